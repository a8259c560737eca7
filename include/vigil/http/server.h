/* The hub server: TAXII 2.1, /api/v1, /healthz and /metrics over
 * libmicrohttpd (internal thread pool on epoll, TLS through GnuTLS). */
#ifndef VIGIL_SERVER_H
#define VIGIL_SERVER_H

#include "vigil/conf/server_conf.h"

/* Serve until SIGTERM or SIGINT, then finish the requests in flight and
 * stop. Returns VG_OK after a clean stop. */
int vg_serve(const struct vg_server_conf *c);

/* What runs beside the server on its service (the sync loops): start
 * once it listens, stop before the service closes. */
struct vg_service;
struct vg_serve_hooks {
	int (*start)(struct vg_service *svc, void *arg);
	void (*stop)(void *arg);
	void *arg;
};
int vg_serve_with(const struct vg_server_conf *c,
		  const struct vg_serve_hooks *hooks);

#endif
