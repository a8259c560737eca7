/* Early warning's key rows for the SQL backends (warn_rows.h). */
#include "warn_rows.h"
#include "vigil/util/error.h"

#include <stdlib.h>

int64_t vg__warn_key_hash(const char *key)
{
	uint64_t h = 1469598103934665603ULL;
	for (const char *p = key; *p; p++) {
		h ^= (unsigned char)*p;
		h *= 1099511628211ULL;
	}
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return (int64_t)(h & INT64_MAX);
}

static int by_hash(const void *a, const void *b)
{
	const struct vg__hrow *x = a, *y = b;
	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return (x->added > y->added) - (x->added < y->added);
}

int vg__warn_split(const struct vg_warn_keyrow *rows, size_t n,
                   struct vg__warn_split *out)
{
	size_t nh = 0;
	for (size_t i = 0; i < n; i++)
		nh += (size_t)vg_warn_key_hashed(rows[i].key);
	size_t nt = n - nh;
	out->text = nt ? malloc(nt * sizeof(*out->text)) : NULL;
	out->hash = nh ? malloc(nh * sizeof(*out->hash)) : NULL;
	out->nt = out->nh = 0;
	if ((nt && !out->text) || (nh && !out->hash)) {
		vg__warn_split_release(out);
		return VG_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		if (vg_warn_key_hashed(rows[i].key))
			out->hash[out->nh++] = (struct vg__hrow){
			    vg__warn_key_hash(rows[i].key), rows[i].added};
		else
			out->text[out->nt++] = &rows[i];
	}
	/* the hashes' order is not the keys': sorted here */
	if (out->nh)
		qsort(out->hash, out->nh, sizeof(*out->hash), by_hash);
	return VG_OK;
}

void vg__warn_split_release(struct vg__warn_split *sp)
{
	free(sp->text);
	free(sp->hash);
	sp->text = NULL;
	sp->hash = NULL;
	sp->nt = sp->nh = 0;
}
