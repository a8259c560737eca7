/* Shared between the files of the SQLite backend. */
#ifndef VIGIL_SQLITE_INT_H
#define VIGIL_SQLITE_INT_H

#include <sqlite3.h>
#include <stdio.h>

#include "vigil/util/error.h"
#include "vigil/store/store.h"

struct vg__sq {
	struct vg_store base;
	sqlite3 *db;
	char *path;
	int64_t last_added;
	sqlite3_stmt *find_id, *unset_latest, *insert;
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
/* Bind s (NULL binds NULL) without copying. */
void vg__sq_bind_text(sqlite3_stmt *st, int i, const char *s);
/* A text column of the current row (NULL for NULL). */
static inline const char *vg__sq_col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}
/* Step a statement that returns no rows; resets it. */
int vg__sq_done(struct vg__sq *q, sqlite3_stmt *st, const char *what);

extern const struct vg_store_hub_ops vg__sqlite_hub_ops;

/* Screening runs (sqlite_screen.c); see store_hub.h. */
int vg__sq_screen_run_add(struct vg_store *s, const struct vg_screen_run_row *r);
int vg__sq_screen_hit_add(struct vg_store *s, const struct vg_screen_hit_row *h);
int vg__sq_screen_dispose(struct vg_store *s, const char *run, int64_t n,
			  int64_t org, int disposition, const char *by,
			  const char *note, int64_t at);
int vg__sq_screen_run_get(struct vg_store *s, const char *run, int64_t org,
			  vg_screen_run_cb run_cb, vg_screen_hit_cb hit_cb,
			  void *ud);

#endif
