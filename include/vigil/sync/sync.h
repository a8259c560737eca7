/* The sync front: a TAXII 2.1 client (libcurl) that pulls from partner
 * hubs into this hub through the service (partners.h), one principal per
 * partner. Works against any TAXII 2.1 server; with a vigil partner it
 * also pins the hub's key and carries provenance. docs/federation.md. */
#ifndef VIGIL_SYNC_H
#define VIGIL_SYNC_H

#include <stddef.h>

#include "vigil/service/service.h"

/* What one round did, for the CLI. */
struct vg_sync_report {
	size_t pages, accepted, duplicates, quarantined, returned;
	size_t tombstones; /* deletions applied (pull) or sent (push) */
	int more;          /* stopped with more to fetch (page cap) */
	char error[600];   /* "" on success */
};

/* One round with partner name: every remote collection, page by page
 * until the partner has nothing more. VG_OK when the round completed;
 * otherwise the error is in r->error and on record (status). */
int vg_sync_round(struct vg_service *svc, const char *name,
                  struct vg_sync_report *r);

/* One push round with partner name: everything stored since its push
 * cursor that may go, in envelopes, each status resource polled until
 * complete; the cursor moves after each envelope the partner took. */
int vg_sync_push(struct vg_service *svc, const char *name,
                 struct vg_sync_report *r);

/* The loops of `vigil serve`: one thread per pulling partner, a round
 * every interval; one per pushing partner, woken by each commit that
 * stored objects (and every interval); both back off with jitter after
 * errors. */
struct vg_sync_loops;
int vg_sync_start(struct vg_service *svc, struct vg_sync_loops **out);
void vg_sync_stop(struct vg_sync_loops *l);

#endif
