/* Shared between the files of service/. */
#ifndef VIGIL_SERVICE_INT_H
#define VIGIL_SERVICE_INT_H

#include <stdint.h>

#include "vigil/service/hub.h"
#include "vigil/service/ingest.h"
#include "vigil/store/store.h"

int64_t vg__now_us(void);
/* Hex of n bytes into out (2n+1 bytes). */
void vg__hex(const unsigned char *p, size_t n, char *out);
/* Parse 2n hex digits into p; VG_EINVAL otherwise. */
int vg__unhex(const char *s, unsigned char *p, size_t n);
/* Validate and store one object text (compact JSON) inside the caller's
 * transaction, with o's collection, owner and scope. VG_EINVAL with the
 * validator's message in err for invalid objects. */
int vg__store_json(struct vg_store *s, const char *json,
		   const struct vg_ingest_opts *o, char *err, size_t errlen);
/* Append an audit entry inside the caller's transaction. */
int vg__audit(struct vg_store *s, const struct vg_actor *a, const char *action,
	      const char *target, const char *detail);

struct vg_taxii;
/* The request's "auth.ok" entry (when a key authenticated it), then its
 * action entry, inside the caller's transaction. */
int vg__audit_request(struct vg_store *s, const struct vg_taxii *t,
		      const char *action, const char *target,
		      const char *detail);

#endif
