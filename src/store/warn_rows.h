/* Early warning's key rows as both SQL backends store them: a key that
 * vg_warn_key_hashed names goes into warn_refs as a 63-bit hash, found
 * by exact key only; the rest into warn_keys as text (warn_rows.c). */
#ifndef VIGIL_STORE_WARN_ROWS_H
#define VIGIL_STORE_WARN_ROWS_H

#include "vigil/store/warn.h"

#include <stddef.h>
#include <stdint.h>

/* FNV-1a, then a splitmix finaliser, in 63 bits: the same in every
 * backend, so a hub copied from one to the other finds its references. */
int64_t vg__warn_key_hash(const char *key);

struct vg__hrow {
	int64_t h, added;
};

/* Rows split by table: text points at rows (in their order), hash holds
 * the hashed ones sorted by (hash, added), the index's order. */
struct vg__warn_split {
	const struct vg_warn_keyrow **text;
	struct vg__hrow *hash;
	size_t nt, nh;
};

/* VG_OK or VG_ENOMEM (then nothing to release). */
int vg__warn_split(const struct vg_warn_keyrow *rows, size_t n,
                   struct vg__warn_split *out);
void vg__warn_split_release(struct vg__warn_split *sp);

#endif
