/* Shared between the files of sync/: one HTTP exchange with a partner. */
#ifndef VIGIL_SYNC_INT_H
#define VIGIL_SYNC_INT_H

#include <stddef.h>

#include "vigil/service/partners.h"
#include "vigil/util/buf.h"

/* Bodies larger than this are refused (an oversized envelope). */
#define VG_SYNC_MAX_BODY ((size_t)64 << 20)

struct vg_http_answer {
	long status;
	struct vg_buf body;
	char date_last[64]; /* X-TAXII-Date-Added-Last, "" none */
	char error[300];    /* the transport's error, "" none */
};

/* GET url from partner pc (its TLS settings and credential, timeouts on
 * connect and every read, the body capped). VG_OK when an answer came
 * (any status); VG_EIO with a->error otherwise. */
int vg__sync_get(const struct vg_partner_conn *pc, const char *url,
                 struct vg_http_answer *a);
/* POST body (TAXII JSON) to url; the same as GET otherwise. */
int vg__sync_post(const struct vg_partner_conn *pc, const char *url,
                  const char *body, size_t len, struct vg_http_answer *a);
void vg__sync_answer_release(struct vg_http_answer *a);
/* The partner's hub document, pinned the first time (pull.c). */
int vg__sync_learn(struct vg_ctx *c, const struct vg_partner_conn *pc,
                   char *err, size_t errlen);

#endif
