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

static int by_key(const void *a, const void *b)
{
	const struct vg_warn_keyrow *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->added > y->added) - (x->added < y->added);
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
	qsort(rows, b->n, sizeof(*rows), by_key);
	int rc = s->ops->warn->keys_put(s, rows, b->n);
	free(rows);
	if (!rc)
		vg__keybuf_reset(b);
	return rc;
}
