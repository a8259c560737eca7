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
/* An entry as {"id","version","list","reference_number","name"}. */
int vg__screen_entry_json(const struct vg_screen_entry *e, struct vg_buf *b);
/* The entries that follow lead h (same_person) as the JSON array
 * [{"entry","score","explanation","because"}]; n: hits after h. */
int vg__screen_same_json(const struct vg_screen_hit *h, size_t n,
			 struct vg_buf *b);
/* Keep a run with its hits (one row per lead, keys the travellers'),
 * owned by c's organisation, with its audit entry "screen.run", inside
 * the caller's transaction. */
int vg__screen_store(struct vg_store *s, const struct vg_ctx *c,
		     const char *source, const char *format,
		     const struct vg_travel_list *tl,
		     const struct vg_screen_result *r,
		     const struct vg_traveller_key *keys, double threshold,
		     char run_id[37]);

/* screen_group.c: the key of every traveller with a hit (*out: one per
 * traveller, malloc'd); *nn is made when first needed (free it with
 * vg_name_norm_free). */
int vg__screen_keys(const struct vg_travel_list *tl,
		    const struct vg_screen_result *r, struct vg_name_norm **nn,
		    struct vg_traveller_key **out);
/* Group each traveller's hits that point at the same person (shared
 * document numbers, or a name and an exact date of birth in common):
 * the best leads, the others follow it with same_person. Sets n_leads
 * (and n_raised to it). */
int vg__screen_group(struct vg_screen_result *r, struct vg_name_norm **nn);
/* Hold back the leads that org's suppressions cover (every entry of the
 * hit, at its current version, for the traveller's key); sets n_raised. */
int vg__screen_suppress(struct vg_store *s, int64_t org,
			const struct vg_traveller_key *keys,
			struct vg_screen_result *r);

/* Rebuild the shared index now if it was built and the identities'
 * generation moved (the listener, on another process's change). */
int vg__screen_cache_refresh(struct vg_screen_cache *c, struct vg_store *s);

#endif
