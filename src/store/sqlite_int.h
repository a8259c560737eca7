/* Shared between the files of the SQLite backend. */
#ifndef VIGIL_SQLITE_INT_H
#define VIGIL_SQLITE_INT_H

#include <sqlite3.h>
#include <stdio.h>

#include "vigil/store/store.h"
#include "vigil/util/buf.h"
#include "vigil/util/error.h"
#include "sql_expr.h"

struct vg__sq {
	struct vg_store base;
	sqlite3 *db;
	char *path;
	int64_t last_added;  /* read under the write lock at each begin */
	unsigned savepoints; /* open savepoints, the depth of the next */
	unsigned long long commits;
	sqlite3_stmt *find_id, *set_latest, *insert;
	sqlite3_stmt *load; /* copy.h: the table being loaded */
	const struct vg_store_table *load_table;
	/* prepared statements kept by SQL text (vg__sq_cached) */
	struct {
		char *sql;
		sqlite3_stmt *st;
		int busy;
	} cache[32];
	unsigned next_slot;
	char err[512];
};

static inline struct vg__sq *vg__sq(struct vg_store *s)
{
	return (struct vg__sq *)s;
}

int vg__sqlite_migrate(sqlite3 *db, char *err, size_t errlen);
/* Record the connection's error as "what: message"; VG_ESTORE (VG_ENOMEM
 * when SQLite ran out of memory). */
int vg__sq_fail(struct vg__sq *q, const char *what);
int vg__sq_prepare(struct vg__sq *q, sqlite3_stmt **st, const char *sql);
/* A prepared statement for sql from the handle's cache (prepared and
 * kept on first use); give it back with vg__sq_release, which resets it
 * and clears its bindings (or finalizes one that was not kept). */
int vg__sq_cached(struct vg__sq *q, sqlite3_stmt **st, const char *sql);
void vg__sq_release(struct vg__sq *q, sqlite3_stmt *st);
/* A cached statement for sql with arguments bound from fmt: "t" text
 * (NULL binds NULL), "i" int64, "b" a VG_HASH_LEN blob. */
int vg__sq_prep(struct vg__sq *q, sqlite3_stmt **st, const char *sql,
		const char *fmt, ...);
/* Step a statement that returns no rows and release it. */
int vg__sq_run(struct vg__sq *q, sqlite3_stmt *st, const char *what);
/* Bind s (NULL binds NULL) without copying. */
void vg__sq_bind_text(sqlite3_stmt *st, int i, const char *s);
/* A text column of the current row (NULL for NULL). */
static inline const char *vg__sq_col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}
/* Step a statement that returns no rows; resets it. */
int vg__sq_done(struct vg__sq *q, sqlite3_stmt *st, const char *what);
/* Prepare (uncached), step and finalize sql with no arguments. */
/* Step st to the end, its first column's integers into *out (malloc'd,
 * NULL when none) and their count into *n; st is released. */
int vg__sq_ints(struct vg__sq *q, sqlite3_stmt *st, const char *what,
		int64_t **out, size_t *n);
int vg__sq_exec(struct vg__sq *q, const char *sql);
/* The first column of the first row of sql as text (out "" when none). */
int vg__sq_first_text(struct vg__sq *q, const char *sql, char *out, size_t n);

extern const struct vg_store_objects_ops vg__sq_objects_ops;
extern const struct vg_store_hub_ops vg__sq_hub_ops;
extern const struct vg_store_sharing_ops vg__sq_sharing_ops;
extern const struct vg_store_audit_ops vg__sq_audit_ops;
extern const struct vg_store_screen_ops vg__sq_screen_ops;
extern const struct vg_store_sync_ops vg__sq_sync_ops;
extern const struct vg_store_copy_ops vg__sq_copy_ops;
extern const struct vg_store_warn_ops vg__sq_warn_ops;

#endif
