/* Copying a hub from one store to another, table by table and row by row
 * (vigil migrate; part of store.h). The tables and their columns are one
 * list (vg_store_tables) that every backend reads and writes in the same
 * form, so a copy between any two backends keeps every value: texts and
 * blobs byte for byte, integers, reals to the last bit, NULLs. */
#ifndef VIGIL_STORE_COPY_H
#define VIGIL_STORE_COPY_H

#include <stddef.h>

struct vg_store;

/* One table: its name, its columns (comma-separated, as SQL names them)
 * with a type letter each ('i' integer, 't' text, 'b' blob, 'r' real),
 * and the columns that order its rows (its key). Tables are listed so
 * that rows referred to come before the rows that refer to them. */
struct vg_store_table {
	const char *name;
	const char *cols;
	const char *types;
	const char *order;
};

/* Every table of a hub, ending with a zeroed entry. A domain that adds a
 * table adds it here (and to each backend's schema). */
extern const struct vg_store_table vg_store_tables[];

/* A value: NULL, or len bytes at p; integers and reals as decimal text
 * ("%lld", "%.17g"), texts and blobs as their bytes. */
struct vg_store_value {
	const char *p;
	size_t len;
	int null;
};

/* Return non-zero to stop; that value is returned by rows. */
typedef int (*vg_store_row_cb)(void *ud, const struct vg_store_value *v,
                               size_t n);

struct vg_store_copy_ops {
	/* Every row of t, in t->order. */
	int (*rows)(struct vg_store *s, const struct vg_store_table *t,
	            vg_store_row_cb cb, void *ud);
	/* Add rows to t inside the caller's transaction: load_begin, any
	 * number of load_row (values in t->cols order), load_end (which
	 * reports what failed). */
	int (*load_begin)(struct vg_store *s, const struct vg_store_table *t);
	int (*load_row)(struct vg_store *s, const struct vg_store_value *v,
	                size_t n);
	int (*load_end)(struct vg_store *s);
};

#endif
