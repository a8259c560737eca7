/* The keys of many stored versions gathered and put into the index
 * together, in the index's own order: a version's keys land on pages
 * spread over the whole index, so putting them one version at a time
 * changes (and, in a long transaction, spills) each page many times;
 * sorted, each page is changed once per flush. */
#include "warn_int.h"
#include "vigil/util/error.h"

#include <stdlib.h>
#include <string.h>

/* A flush past this many rows or bytes of keys bounds the memory. */
enum { FLUSH_ROWS = 1 << 17, FLUSH_BYTES = 16 << 20 };

void vg__keybuf_init(struct vg__keybuf *b)
{
	memset(b, 0, sizeof(*b));
	vg_buf_init(&b->text, 0);
}

void vg__keybuf_reset(struct vg__keybuf *b)
{
	vg_buf_reset(&b->text);
	b->n = 0;
}

void vg__keybuf_release(struct vg__keybuf *b)
{
	vg_buf_release(&b->text);
	free(b->v);
	b->v = NULL;
	b->n = b->cap = 0;
}

int vg__keybuf_add(struct vg__keybuf *b, struct vg_store *s, int64_t added,
                   const char *keys, size_t len, size_t n)
{
	if (b->n + n > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		while (cap < b->n + n)
			cap *= 2;
		struct vg__keyref *v = realloc(b->v, cap * sizeof(*v));
		if (!v)
			return VG_ENOMEM;
		b->v = v;
		b->cap = cap;
	}
	size_t off = b->text.len;
	int rc = vg_buf_append(&b->text, keys, len);
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++) {
		b->v[b->n++] = (struct vg__keyref){off, added};
		off += strlen(b->text.data + off) + 1;
	}
	if (b->n >= FLUSH_ROWS || b->text.len >= FLUSH_BYTES)
		return vg__keybuf_flush(b, s);
	return VG_OK;
}

/* Sorting the rows: a multikey quicksort (Bentley and Sedgewick), which
 * reads each key's bytes about once instead of comparing whole keys
 * log n times; equal keys by version. The two smaller parts of each
 * split are sorted by recursion, the largest in the loop: the depth
 * stays under log2 n whatever the keys. */

static void swap(struct vg_warn_keyrow *a, size_t i, size_t j)
{
	struct vg_warn_keyrow t = a[i];
	a[i] = a[j];
	a[j] = t;
}

static int by_added(const void *x, const void *y)
{
	const struct vg_warn_keyrow *a = x, *b = y;
	return (a->added > b->added) - (a->added < b->added);
}

/* Few rows, their keys equal before byte d: by insertion. */
static void few(struct vg_warn_keyrow *a, size_t n, size_t d)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0; j--) {
			int c = strcmp(a[j - 1].key + d, a[j].key + d);
			if (c < 0 || (!c && a[j - 1].added <= a[j].added))
				break;
			swap(a, j - 1, j);
		}
}

static void mkqs(struct vg_warn_keyrow *a, size_t n, size_t d)
{
	while (n > 1) {
		if (n < 12) {
			few(a, n, d);
			return;
		}
		swap(a, 0, n / 2);
		unsigned char v = (unsigned char)a[0].key[d];
		size_t lt = 0, i = 0, gt = n;
		while (i < gt) {
			unsigned char c = (unsigned char)a[i].key[d];
			if (c < v)
				swap(a, lt++, i++);
			else if (c > v)
				swap(a, i, --gt);
			else
				i++;
		}
		/* [0, lt) before, [lt, gt) byte d equal, [gt, n) after */
		struct part {
			struct vg_warn_keyrow *a;
			size_t n, d;
		} p[3] = {
		    {a, lt, d}, {a + lt, gt - lt, d + 1}, {a + gt, n - gt, d}};
		if (!v) {
			/* the equal ones ended: the same key, by version */
			qsort(p[1].a, p[1].n, sizeof(*a), by_added);
			p[1].n = 0;
		}
		size_t big = p[0].n >= p[1].n && p[0].n >= p[2].n ? 0
		             : p[1].n >= p[2].n                   ? 1
		                                                  : 2;
		for (size_t k = 0; k < 3; k++)
			if (k != big)
				mkqs(p[k].a, p[k].n, p[k].d);
		a = p[big].a;
		n = p[big].n;
		d = p[big].d;
	}
}

int vg__keybuf_flush(struct vg__keybuf *b, struct vg_store *s)
{
	if (!b->n)
		return VG_OK;
	struct vg_warn_keyrow *rows = malloc(b->n * sizeof(*rows));
	if (!rows)
		return VG_ENOMEM;
	for (size_t i = 0; i < b->n; i++)
		rows[i] = (struct vg_warn_keyrow){b->text.data + b->v[i].off,
		                                  b->v[i].added};
	mkqs(rows, b->n, 0);
	int rc = s->ops->warn->keys_put(s, rows, b->n);
	free(rows);
	if (!rc)
		vg__keybuf_reset(b);
	return rc;
}
