/* The screening engine, shared by the screening use cases. */
#ifndef VIGIL_SCREEN_INT_H
#define VIGIL_SCREEN_INT_H

#include "service_int.h"
#include "vigil/service/screening.h"

struct vg_screen_index {
	struct vg_screen_entry *entries;
	size_t n;
	struct vg_match_index *ix;
	double build_seconds;
};

/* Load the latest version of every watchlist entry (not revoked) and
 * build the index; who may see which is decided per screening. */
int vg__screen_load(struct vg_store *s, struct vg_screen_index *out);
void vg__screen_index_release(struct vg_screen_index *x);

/* Which entries may be hits (for one caller): non-zero keeps e. Called
 * from the screening threads at once, so it must only read. */
typedef int (*vg_screen_keep_fn)(void *ud, const struct vg_screen_entry *e);

/* Screen every traveller against the index (threads: 0 = one per core):
 * each traveller's best hits among the entries keep keeps, scoring at
 * least threshold, at most ten, best first; out->hits in traveller
 * order. Entries left out never take the place of kept ones. */
int vg__screen_run_for(const struct vg_screen_index *x,
		       const struct vg_travel_list *tl, double threshold,
		       int threads, vg_screen_keep_fn keep, void *ud,
		       struct vg_screen_result *out);
void vg__screen_result_release(struct vg_screen_result *r);

/* The run as JSON; run_id may be NULL (not stored). */
int vg__screen_json(const char *run_id, const char *format,
		    const struct vg_travel_list *tl,
		    const struct vg_screen_result *r, struct vg_buf *out);
/* Keep a run with its hits, owned by c's organisation, with its audit
 * entry "screen.run", inside the caller's transaction. */
int vg__screen_store(struct vg_store *s, const struct vg_ctx *c,
		     const char *source, const char *format,
		     const struct vg_travel_list *tl,
		     const struct vg_screen_result *r, double threshold,
		     char run_id[37]);
/* A stored run (org 0: any) as JSON into out. */
int vg__screen_run_get(struct vg_store *s, int64_t org, const char *run_id,
		       struct vg_buf *out);

#endif
