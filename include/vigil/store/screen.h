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
};

#endif
