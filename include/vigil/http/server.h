/* The hub server: TAXII 2.1, /api/v1, /healthz and /metrics over
 * libmicrohttpd (internal thread pool on epoll, TLS through GnuTLS). */
#ifndef VIGIL_SERVER_H
#define VIGIL_SERVER_H

#include "vigil/conf/server_conf.h"

/* Serve until SIGTERM or SIGINT, then finish the requests in flight and
 * stop. Returns VG_OK after a clean stop. */
int vg_serve(const struct vg_server_conf *c);

#endif
