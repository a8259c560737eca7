/* The store's screening runs and their hits (part of store.h). */
#ifndef VIGIL_STORE_SCREEN_H
#define VIGIL_STORE_SCREEN_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/hub/model.h"

struct vg_store;

struct vg_store_screen_ops {
	int (*run_add)(struct vg_store *s, const struct vg_screen_run_row *r);
	int (*hit_add)(struct vg_store *s, const struct vg_screen_hit_row *h);
	/* VG_ENOTFOUND unless hit n of run exists and, when org is not 0,
	 * the run is org's */
	int (*dispose)(struct vg_store *s, const char *run, int64_t n,
		       int64_t org, int disposition, const char *by,
		       const char *note, int64_t at);
	/* The run (when org is 0 or owns it; else VG_ENOTFOUND) and its hits
	 * in order. */
	int (*run_get)(struct vg_store *s, const char *run, int64_t org,
		       vg_screen_run_cb run_cb, vg_screen_hit_cb hit_cb,
		       void *ud);
	/* The runs f selects, newest first (created, then id), with their
	 * counts of hits by state; travellers_json is NULL. */
	int (*run_list)(struct vg_store *s, const struct vg_screen_run_filter *f,
			vg_screen_run_cb cb, void *ud);
	/* Hit n of run (when org is 0 or owns the run; else VG_ENOTFOUND). */
	int (*hit_get)(struct vg_store *s, const char *run, int64_t n,
		       int64_t org, vg_screen_hit_cb cb, void *ud);
	/* Keep a suppression (r->id is ignored); *id gets its id, which
	 * grows with each one kept. */
	int (*suppression_add)(struct vg_store *s,
			       const struct vg_suppression_row *r, int64_t *id);
	/* The suppressions of org (-1: of every organisation), by id; those
	 * withdrawn only when withdrawn_too. */
	int (*suppression_list)(struct vg_store *s, int64_t org,
				int withdrawn_too, vg_suppression_cb cb,
				void *ud);
	/* Withdraw suppression id (of org, unless org is -1). VG_ENOTFOUND
	 * when there is none that still holds. */
	int (*suppression_withdraw)(struct vg_store *s, int64_t id, int64_t org,
				    const char *by, int64_t at);
};

#endif
