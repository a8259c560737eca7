/* The SQLite backend of the store: one file (vigil.db) in WAL mode with
 * synchronous=FULL, so a committed transaction survives kill -9 and power
 * loss. This file: opening, transactions and savepoints, the statement
 * cache, the consistency check; the domains are in sqlite_*.c. Tuning
 * (page cache, WAL restarts) stays in here, out of the interface. */
#include "sqlite_int.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

typedef struct vg__sq sq_t;

int vg__sq_fail(struct vg__sq *q, const char *what)
{
	snprintf(q->err, sizeof(q->err), "%s: %s", what, sqlite3_errmsg(q->db));
	return sqlite3_errcode(q->db) == SQLITE_NOMEM ? VG_ENOMEM : VG_ESTORE;
}

int vg__sq_prepare(struct vg__sq *q, sqlite3_stmt **st, const char *sql)
{
	if (sqlite3_prepare_v3(q->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st,
			       NULL))
		return vg__sq_fail(q, "prepare");
	return VG_OK;
}

enum { CACHE_SLOTS = sizeof(((struct vg__sq *)0)->cache) /
		     sizeof(((struct vg__sq *)0)->cache[0]) };

int vg__sq_cached(struct vg__sq *q, sqlite3_stmt **st, const char *sql)
{
	unsigned i, n;
	for (i = 0; i < CACHE_SLOTS; i++) {
		if (q->cache[i].st && !q->cache[i].busy &&
		    !strcmp(q->cache[i].sql, sql)) {
			q->cache[i].busy = 1;
			*st = q->cache[i].st;
			return VG_OK;
		}
	}
	int rc = vg__sq_prepare(q, st, sql);
	if (rc)
		return rc;
	/* keep it in the next slot not in use; when all are, do not */
	for (n = 0; n < CACHE_SLOTS; n++) {
		i = (q->next_slot + n) % CACHE_SLOTS;
		if (!q->cache[i].busy)
			break;
	}
	char *copy = n < CACHE_SLOTS ? strdup(sql) : NULL;
	if (!copy)
		return VG_OK;
	sqlite3_finalize(q->cache[i].st);
	free(q->cache[i].sql);
	q->cache[i].sql = copy;
	q->cache[i].st = *st;
	q->cache[i].busy = 1;
	q->next_slot = i + 1;
	return VG_OK;
}

void vg__sq_release(struct vg__sq *q, sqlite3_stmt *st)
{
	if (!st)
		return;
	for (unsigned i = 0; i < CACHE_SLOTS; i++) {
		if (q->cache[i].st == st) {
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			q->cache[i].busy = 0;
			return;
		}
	}
	sqlite3_finalize(st);
}

void vg__sq_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

int vg__sq_done(struct vg__sq *q, sqlite3_stmt *st, const char *what)
{
	int step = sqlite3_step(st);
	sqlite3_reset(st);
	if (step == SQLITE_DONE)
		return VG_OK;
	if (step == SQLITE_CONSTRAINT)
		return VG_EDUPLICATE;
	return vg__sq_fail(q, what);
}

int vg__sq_prep(struct vg__sq *q, sqlite3_stmt **st, const char *sql,
		const char *fmt, ...)
{
	va_list ap;
	int rc = vg__sq_cached(q, st, sql);
	if (rc)
		return rc;
	va_start(ap, fmt);
	for (int i = 1; fmt && *fmt; fmt++, i++) {
		if (*fmt == 't')
			vg__sq_bind_text(*st, i, va_arg(ap, const char *));
		else if (*fmt == 'i')
			sqlite3_bind_int64(*st, i, va_arg(ap, int64_t));
		else
			sqlite3_bind_blob(*st, i, va_arg(ap, const void *),
					  VG_HASH_LEN, SQLITE_STATIC);
	}
	va_end(ap);
	return VG_OK;
}

int vg__sq_run(struct vg__sq *q, sqlite3_stmt *st, const char *what)
{
	int rc = vg__sq_done(q, st, what);
	vg__sq_release(q, st);
	return rc;
}

int vg__sq_ints(struct vg__sq *q, sqlite3_stmt *st, const char *what,
		int64_t **out, size_t *n)
{
	int64_t *v = NULL;
	size_t k = 0, cap = 0;
	int rc = VG_OK, step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (k == cap) {
			cap = cap ? cap * 2 : 16;
			int64_t *w = realloc(v, cap * sizeof(*w));
			if (!w) {
				rc = VG_ENOMEM;
				break;
			}
			v = w;
		}
		v[k++] = sqlite3_column_int64(st, 0);
	}
	if (!rc && step != SQLITE_DONE)
		rc = vg__sq_fail(q, what);
	vg__sq_release(q, st);
	if (rc) {
		free(v);
		return rc;
	}
	*out = v;
	*n = k;
	return VG_OK;
}

int vg__sq_exec(struct vg__sq *q, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(q->db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return VG_OK;
	snprintf(q->err, sizeof(q->err), "%s: %s", sql,
		 msg ? msg : sqlite3_errmsg(q->db));
	sqlite3_free(msg);
	return sqlite3_errcode(q->db) == SQLITE_NOMEM ? VG_ENOMEM : VG_ESTORE;
}

int vg__sq_first_text(struct vg__sq *q, const char *sql, char *out, size_t n)
{
	sqlite3_stmt *st = NULL;
	int rc = vg__sq_prepare(q, &st, sql);
	out[0] = '\0';
	if (rc)
		return rc;
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
	else if (step != SQLITE_DONE)
		rc = vg__sq_fail(q, sql);
	sqlite3_finalize(st);
	return rc;
}

static const char *sq_errmsg(struct vg_store *s)
{
	return vg__sq(s)->err;
}

static void sq_close(struct vg_store *s)
{
	sq_t *q = vg__sq(s);
	for (unsigned i = 0; i < CACHE_SLOTS; i++) {
		sqlite3_finalize(q->cache[i].st);
		free(q->cache[i].sql);
	}
	sqlite3_finalize(q->find_id);
	sqlite3_finalize(q->set_latest);
	sqlite3_finalize(q->insert);
	sqlite3_finalize(q->load);
	sqlite3_close(q->db);
	free(q->path);
	free(q);
}

/* Process-wide settings, before SQLite initialises: no memory statistics,
 * whose global mutex every allocation of every thread would take. */
static void sq_global_init(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int sq_open(const char *dir, unsigned flags, struct vg_store **out)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, sq_global_init);
	sq_t *q = calloc(1, sizeof(*q));
	int rc = VG_ENOMEM;
	struct stat sb;
	if (!q)
		return VG_ENOMEM;
	q->base.ops = &vg_store_sqlite;
	size_t n = strlen(dir) + sizeof("/vigil.db");
	q->path = malloc(n);
	if (!q->path)
		goto fail;
	snprintf(q->path, n, "%s/vigil.db", dir);
	if (stat(q->path, &sb) != 0) {
		if (!(flags & VG_STORE_CREATE)) {
			rc = VG_ENOTFOUND;
			goto fail;
		}
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			rc = VG_EIO;
			goto fail;
		}
	}
	if (sqlite3_open_v2(q->path, &q->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				    SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		rc = VG_ESTORE;
		goto fail;
	}
	sqlite3_busy_timeout(q->db, 30000);
	/* the writer touches every index on ingest: a larger page cache,
	 * 192 MiB (the random indexes of 1,000,000 objects, about 200 MB,
	 * stay mostly in it; the process stays under 300 MB) */
	rc = vg__sq_exec(q, flags & VG_STORE_WRITER
				    ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
				      "PRAGMA foreign_keys=ON; PRAGMA cache_size=-196608;"
				      "PRAGMA temp_store=MEMORY;"
				    : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
				      "PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;"
				      "PRAGMA temp_store=MEMORY;");
	if (!rc)
		rc = vg__sqlite_migrate(q->db, q->err, sizeof(q->err));
	if (!rc)
		rc = vg__sq_prepare(q, &q->find_id,
				    "SELECT date_added, collection, version, owner,"
				    " revoked FROM objects WHERE id=?1");
	if (!rc)
		rc = vg__sq_prepare(q, &q->set_latest,
				    "UPDATE objects SET latest = (version IS ?3)"
				    " WHERE id=?1 AND collection=?2 AND"
				    " latest != (version IS ?3)");
	if (!rc)
		rc = vg__sq_prepare(q, &q->insert,
				    "INSERT INTO objects (date_added, id, version, type,"
				    " created, modified, spec_version, revoked, owner,"
				    " scope, tlp, classification, latest, collection,"
				    " grp, json, copy) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,"
				    "?9,?10,?11,?12,?13,?14,?15,?16,?17)");
	if (rc) {
		/* the handle dies with its message: say it here */
		fprintf(stderr, "vigil: store '%s': %s\n", q->path,
			q->err[0] ? q->err : sqlite3_errmsg(q->db));
		goto fail;
	}
	*out = &q->base;
	return VG_OK;
fail:
	sq_close(&q->base);
	return rc;
}

/* A transaction verb, prepared once and kept (vg__sq_cached): the
 * writer says several per batch, and parsing them is not free. */
static int verb(sq_t *q, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int rc = vg__sq_cached(q, &st, sql);
	return rc ? rc : vg__sq_run(q, st, sql);
}

static int sq_begin(struct vg_store *s)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st = NULL;
	int rc = verb(q, "BEGIN IMMEDIATE");
	if (rc)
		return rc;
	/* the write lock is ours until commit: the hub's last date_added is
	 * read here, so every process continues the one sequence */
	rc = vg__sq_cached(q, &st, "SELECT COALESCE(MAX(date_added), 0) FROM objects");
	if (!rc && sqlite3_step(st) == SQLITE_ROW) {
		int64_t last = sqlite3_column_int64(st, 0);
		if (last > q->last_added)
			q->last_added = last;
	} else if (!rc) {
		rc = vg__sq_fail(q, "last date_added");
	}
	vg__sq_release(q, st);
	if (rc)
		verb(q, "ROLLBACK");
	return rc;
}

static int sq_commit(struct vg_store *s)
{
	sq_t *q = vg__sq(s);
	int rc = verb(q, "COMMIT");
	q->savepoints = 0;
	/* readers never stop on a busy hub, so SQLite's own (passive)
	 * checkpoints cannot start the log again: do it now and then */
	if (!rc && ++q->commits % 256 == 0) {
		int c = sqlite3_wal_checkpoint_v2(q->db, NULL,
						  SQLITE_CHECKPOINT_RESTART, NULL,
						  NULL);
		(void)c; /* busy: readers on the old log; the next will do */
	}
	return rc;
}

static int sq_rollback(struct vg_store *s)
{
	sq_t *q = vg__sq(s);
	q->savepoints = 0;
	return verb(q, "ROLLBACK");
}

/* A read transaction: SQLite takes the log's read lock at the first
 * read and keeps it to the end, instead of once per statement. */
static int sq_read_begin(struct vg_store *s)
{
	return verb(vg__sq(s), "BEGIN");
}

static void sq_read_end(struct vg_store *s)
{
	sq_t *q = vg__sq(s);
	/* a handle left in a transaction would fail every read after */
	if (verb(q, "COMMIT") && !sqlite3_get_autocommit(q->db))
		verb(q, "ROLLBACK");
}

/* A savepoint is named for its depth (sp1 the outermost): the names
 * repeat from one transaction and job to the next, so their statements
 * stay prepared. */
static int savepoint_sql(sq_t *q, const char *what, vg_savepoint sp)
{
	char sql[48];
	snprintf(sql, sizeof(sql), "%s sp%u", what, sp);
	return verb(q, sql);
}

static int sq_savepoint(struct vg_store *s, vg_savepoint *sp)
{
	sq_t *q = vg__sq(s);
	vg_savepoint n = ++q->savepoints;
	int rc = savepoint_sql(q, "SAVEPOINT", n);
	if (!rc)
		*sp = n;
	return rc;
}

static int sq_release(struct vg_store *s, vg_savepoint sp)
{
	sq_t *q = vg__sq(s);
	int rc = savepoint_sql(q, "RELEASE", sp);
	if (!rc && sp)
		q->savepoints = sp - 1; /* and every one inside it */
	return rc;
}

static int sq_rollback_to(struct vg_store *s, vg_savepoint sp)
{
	return savepoint_sql(vg__sq(s), "ROLLBACK TO", sp);
}

static int sq_size(struct vg_store *s, int64_t *bytes)
{
	sq_t *q = vg__sq(s);
	struct stat sb;
	char wal[4096];
	int64_t total = 0;
	if (stat(q->path, &sb) == 0)
		total += sb.st_size;
	snprintf(wal, sizeof(wal), "%s-wal", q->path);
	if (stat(wal, &sb) == 0)
		total += sb.st_size;
	*bytes = total;
	return VG_OK;
}

static int sq_check(struct vg_store *s)
{
	sq_t *q = vg__sq(s);
	char found[300];
	int rc = vg__sq_first_text(q, "PRAGMA integrity_check", found, sizeof(found));
	if (rc)
		return rc;
	if (strcmp(found, "ok")) {
		snprintf(q->err, sizeof(q->err), "integrity check: %s", found);
		return VG_ESTORE;
	}
	rc = vg__sq_first_text(q,
			"SELECT id FROM objects o WHERE latest != (version ="
			" (SELECT MAX(v.version) FROM objects v WHERE v.id = o.id"
			" AND v.collection = o.collection)) LIMIT 1",
			found, sizeof(found));
	if (!rc && found[0]) {
		snprintf(q->err, sizeof(q->err),
			 "object '%s': the latest flag is not on exactly its "
			 "newest version", found);
		return VG_ESTORE;
	}
	return rc;
}

const struct vg_store_ops vg_store_sqlite = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.errmsg = sq_errmsg,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.savepoint = sq_savepoint,
	.release = sq_release,
	.rollback_to = sq_rollback_to,
	.read_begin = sq_read_begin,
	.read_end = sq_read_end,
	.size = sq_size,
	.check = sq_check,
	.objects = &vg__sq_objects_ops,
	.hub = &vg__sq_hub_ops,
	.sharing = &vg__sq_sharing_ops,
	.audit = &vg__sq_audit_ops,
	.screen = &vg__sq_screen_ops,
	.sync = &vg__sq_sync_ops,
	.copy = &vg__sq_copy_ops,
	.warn = &vg__sq_warn_ops,
};
