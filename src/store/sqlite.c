/* The SQLite backend of the store: one file (vigil.db) in WAL mode with
 * synchronous=FULL, so a committed transaction survives kill -9 and power
 * loss. Statements on the ingest path are prepared once per handle. */
#include "sqlite_int.h"
#include "vigil/util/buf.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

typedef struct vg__sq sq_t;

/* a version key (stix.h VG_TS_KEY_LEN) or "" */
#define VG__VERSION_MAX 40

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
	sqlite3_finalize(q->unset_latest);
	sqlite3_finalize(q->insert);
	sqlite3_close(q->db);
	free(q->path);
	free(q);
}

static int exec(sq_t *q, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(q->db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return VG_OK;
	snprintf(q->err, sizeof(q->err), "%s: %s", sql,
		 msg ? msg : sqlite3_errmsg(q->db));
	sqlite3_free(msg);
	return VG_ESTORE;
}

/* Process-wide settings, before SQLite initialises: no memory statistics,
 * whose global mutex every allocation of every thread would take. */
static void sq_global_init(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int sq_open(const char *dir, int create, struct vg_store **out)
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
		if (!create) {
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
	rc = exec(q, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
		     "PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;"
		     "PRAGMA temp_store=MEMORY;");
	if (!rc)
		rc = vg__sqlite_migrate(q->db, q->err, sizeof(q->err));
	if (!rc)
		rc = vg__sq_prepare(q, &q->find_id,
				    "SELECT date_added, collection, version, owner,"
				    " latest, revoked FROM objects WHERE id=?1");
	if (!rc)
		rc = vg__sq_prepare(q, &q->unset_latest,
				    "UPDATE objects SET latest=0 WHERE id=?1 AND"
				    " collection=?2 AND latest=1");
	if (!rc)
		rc = vg__sq_prepare(q, &q->insert,
				    "INSERT INTO objects (date_added, id, version, type,"
				    " created, modified, spec_version, revoked, owner,"
				    " scope, tlp, classification, latest, collection,"
				    " grp, json, copy) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,"
				    "?9,?10,?11,?12,?13,?14,?15,?16,?17)");
	if (!rc) {
		sqlite3_stmt *st = NULL;
		rc = vg__sq_prepare(q, &st, "SELECT COALESCE(MAX(date_added),0)"
					    " FROM objects");
		if (!rc && sqlite3_step(st) == SQLITE_ROW)
			q->last_added = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
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

static int sq_begin(struct vg_store *s)
{
	return exec(vg__sq(s), "BEGIN IMMEDIATE");
}

static int sq_commit(struct vg_store *s)
{
	return exec(vg__sq(s), "COMMIT");
}

static int sq_rollback(struct vg_store *s)
{
	return exec(vg__sq(s), "ROLLBACK");
}

static int sq_savepoint(struct vg_store *s, const char *verb)
{
	char sql[32];
	snprintf(sql, sizeof(sql), "%s job", verb);
	return exec(vg__sq(s), sql);
}

/* The next date_added: now in microseconds, but always after the last. */
static int64_t next_added(sq_t *q)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	int64_t now = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	q->last_added = now > q->last_added ? now : q->last_added + 1;
	return q->last_added;
}

static int sq_put(struct vg_store *s, const struct vg_object *o,
		  enum vg_put_result *res)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st = q->find_id;
	const char *coll = o->collection ? o->collection : "";
	int step, version_known = 0, in_coll = 0, own_rows = 0, is_copy = 0;
	int own_revoked = 0;
	char coll_max[VG__VERSION_MAX] = "", own_max[VG__VERSION_MAX] = "";
	int64_t first_added = 0, owner = 0;

	/* one look at every stored row of this id decides everything */
	sqlite3_bind_text(st, 1, o->id, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *c = (const char *)sqlite3_column_text(st, 1);
		const char *v = (const char *)sqlite3_column_text(st, 2);
		int same_coll = !strcmp(c, coll);
		/* the poster's own rows of this collection */
		int own = same_coll && sqlite3_column_int64(st, 3) == o->owner;
		if (own && !strcmp(v, o->version)) {
			sqlite3_reset(st);
			*res = VG_PUT_DUPLICATE;
			return VG_OK;
		}
		/* the owner is whoever stored the id first: a copy of a
		 * version by another organisation does not make it theirs */
		if (!first_added || sqlite3_column_int64(st, 0) < first_added) {
			first_added = sqlite3_column_int64(st, 0);
			owner = sqlite3_column_int64(st, 3);
		}
		if (!strcmp(v, o->version)) {
			version_known = 1;
			if (same_coll)
				is_copy = 1;
		}
		if (same_coll && (!in_coll++ || strcmp(v, coll_max) > 0))
			snprintf(coll_max, sizeof(coll_max), "%s", v);
		if (own && (!own_rows++ || strcmp(v, own_max) > 0)) {
			snprintf(own_max, sizeof(own_max), "%s", v);
			own_revoked = sqlite3_column_int(st, 5);
		}
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		return vg__sq_fail(q, "find object");

	/* a new version is its owner's to make; a copy of a known one is not */
	if (first_added && owner != o->owner && !version_known)
		return VG_EDENIED;
	/* revocation is final: nothing may follow a revoked version, and a
	 * revoked version may not arrive before one that exists */
	int own_cmp = own_rows ? strcmp(o->version, own_max) : 1;
	if (own_rows &&
	    ((own_cmp > 0 && own_revoked) || (own_cmp < 0 && o->revoked)))
		return VG_EREVOKED;
	/* latest: the newest version of the id in the collection, whoever
	 * holds it (copies of it are latest too) */
	int cmp = in_coll ? strcmp(o->version, coll_max) : 1;
	if (in_coll && cmp > 0) {
		sqlite3_bind_text(q->unset_latest, 1, o->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(q->unset_latest, 2, coll, -1, SQLITE_STATIC);
		int rc = vg__sq_done(q, q->unset_latest, "unset latest");
		if (rc)
			return rc;
	}
	int is_latest = cmp >= 0;
	st = q->insert;
	sqlite3_bind_int64(st, 1, next_added(q));
	sqlite3_bind_text(st, 2, o->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, o->version, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, o->type, -1, SQLITE_STATIC);
	vg__sq_bind_text(st, 5, o->created);
	vg__sq_bind_text(st, 6, o->modified);
	vg__sq_bind_text(st, 7, o->spec_version);
	sqlite3_bind_int(st, 8, o->revoked);
	sqlite3_bind_int64(st, 9, o->owner);
	sqlite3_bind_int(st, 10, o->scope);
	sqlite3_bind_int(st, 11, o->tlp);
	sqlite3_bind_int(st, 12, o->classification);
	sqlite3_bind_int(st, 13, is_latest);
	sqlite3_bind_text(st, 14, coll, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 15, o->grp);
	sqlite3_bind_text(st, 16, o->json, (int)o->json_len, SQLITE_STATIC);
	sqlite3_bind_int(st, 17, is_copy);
	int rc = vg__sq_done(q, st, "insert object");
	sqlite3_clear_bindings(st);
	if (rc)
		return rc;
	*res = is_latest ? VG_PUT_LATEST : VG_PUT_OLDER;
	return VG_OK;
}

/* ---- queries --------------------------------------------------------- */

enum { MAX_TERMS = 1000 };

struct params {
	const char *text[3 * MAX_TERMS + 8];
	int n;
	int64_t added_after;
	int added_pos;
};

static int add_in(struct vg_buf *sql, struct params *p, const char *col,
		  const char *const *v, size_t n)
{
	int rc = vg_buf_printf(sql, " AND %s IN (", col);
	for (size_t i = 0; !rc && i < n; i++) {
		p->text[p->n++] = v[i];
		rc = vg_buf_printf(sql, "%s?%d", i ? "," : "", p->n);
	}
	return rc ? rc : vg_buf_putc(sql, ')');
}

static int vis(struct vg_buf *sql, const struct vg_query *qy, const char *a)
{
	if (!qy->who)
		return VG_OK;
	int rc = vg_buf_puts(sql, " AND ");
	return rc ? rc : vg_access_sql(qy->who, a, sql);
}

/* WHERE clause (from "FROM objects o WHERE") for qy into sql and p. */
static int build_where(const struct vg_query *qy, struct vg_buf *sql,
		       struct params *p)
{
	int rc;
	if (qy->n_types > MAX_TERMS || qy->n_ids > MAX_TERMS ||
	    qy->n_version_keys > MAX_TERMS || qy->n_spec_versions > MAX_TERMS)
		return VG_ETOOBIG;
	p->n = 0;
	rc = vg_buf_puts(sql, " FROM objects o WHERE 1");
	if (!rc && qy->collection) {
		p->text[p->n++] = qy->collection;
		rc = vg_buf_printf(sql, " AND o.collection = ?%d", p->n);
	}
	if (!rc)
		rc = vis(sql, qy, "o");
	if (!rc && qy->added_after) {
		p->added_pos = ++p->n;
		p->text[p->added_pos - 1] = NULL;
		p->added_after = qy->added_after;
		rc = vg_buf_printf(sql, " AND o.date_added > ?%d", p->added_pos);
	}
	if (!rc && qy->n_types)
		rc = add_in(sql, p, "o.type", qy->types, qy->n_types);
	if (!rc && qy->n_ids)
		rc = add_in(sql, p, "o.id", qy->ids, qy->n_ids);
	/* spec_version is optional on SCOs, and then 2.1 [STIX 2.1 3.2] */
	if (!rc && qy->n_spec_versions)
		rc = add_in(sql, p, "COALESCE(o.spec_version, '2.1')",
			    qy->spec_versions, qy->n_spec_versions);
	if (rc)
		return rc;
	unsigned v = qy->versions ? qy->versions : VG_VERSIONS_LAST;
	if (!(v & VG_VERSIONS_ALL)) {
		const char *sep = "";
		rc = vg_buf_puts(sql, " AND (");
		for (int k = 0; !rc && k < 2; k++) {
			unsigned bit = k ? VG_VERSIONS_FIRST : VG_VERSIONS_LAST;
			if (!(v & bit))
				continue;
			/* in one collection, a version flagged latest is the
			 * newest there, so the newest the reader may see when
			 * the reader may see it (the access rule is applied to
			 * o): its subquery is skipped */
			if (!k && qy->collection) {
				rc = vg_buf_printf(sql, "%so.latest = 1", sep);
				sep = " OR ";
				if (rc)
					break;
			}
			rc = vg_buf_printf(sql, "%so.version = (SELECT %s(v.version)"
						" FROM objects v WHERE v.id = o.id%s",
					   sep, k ? "MIN" : "MAX",
					   qy->collection
						   ? " AND v.collection = o.collection"
						   : "");
			if (!rc)
				rc = vis(sql, qy, "v");
			if (!rc)
				rc = vg_buf_putc(sql, ')');
			sep = " OR ";
		}
		if (!rc && (v & VG_VERSIONS_LIST)) {
			rc = vg_buf_printf(sql, "%so.version IN (", sep);
			for (size_t i = 0; !rc && i < qy->n_version_keys; i++) {
				p->text[p->n++] = qy->version_keys[i];
				rc = vg_buf_printf(sql, "%s?%d", i ? "," : "", p->n);
			}
			if (!rc)
				rc = vg_buf_putc(sql, ')');
			sep = " OR ";
		}
		if (!rc && !*sep)
			rc = vg_buf_puts(sql, "0"); /* an empty list matches nothing */
		if (!rc)
			rc = vg_buf_putc(sql, ')');
	}
	if (!rc && qy->owner)
		rc = vg_buf_printf(sql, " AND o.owner = %lld", (long long)qy->owner);
	if (!rc) {
		/* a version held in several collections, or by several
		 * organisations, is read once */
		/* unary + keeps SQLite on the id index: by collection and
		 * date_added it would scan every earlier row of the page */
		rc = vg_buf_printf(sql, " AND (%s NOT EXISTS (SELECT 1 FROM objects w"
					" WHERE w.id = o.id AND w.version = o.version"
					" AND +w.date_added < o.date_added%s%s",
				   /* in one collection only copies can have an
				    * earlier row of their version */
				   qy->collection ? "o.copy = 0 OR" : "",
				   qy->collection ? " AND +w.collection = o.collection"
						  : "",
				   qy->owner ? " AND w.owner = o.owner" : "");
		if (!rc)
			rc = vis(sql, qy, "w");
		if (!rc)
			rc = vg_buf_puts(sql, "))");
	}
	return rc;
}

static void bind_params(sqlite3_stmt *st, const struct params *p)
{
	for (int i = 0; i < p->n; i++) {
		if (i + 1 == p->added_pos)
			sqlite3_bind_int64(st, i + 1, p->added_after);
		else
			sqlite3_bind_text(st, i + 1, p->text[i], -1, SQLITE_STATIC);
	}
}

#define ROW_COLS                                                             \
	"o.date_added, o.id, o.version, COALESCE(o.modified, o.created),"   \
	" o.json, o.type, o.spec_version, o.collection, o.revoked,"          \
	" o.latest, o.owner, o.scope, o.grp, o.tlp, o.classification"
/* what a page needs (vg_query.slim): the first five */
#define ROW_COLS_SLIM                                                        \
	"o.date_added, o.id, o.version, COALESCE(o.modified, o.created),"   \
	" o.json"

static int sq_scan(struct vg_store *s, const struct vg_query *qy,
		   vg_row_cb cb, void *ud)
{
	sq_t *q = vg__sq(s);
	struct vg_buf sql;
	struct params *p = calloc(1, sizeof(*p));
	sqlite3_stmt *st = NULL;
	int rc, step;
	vg_buf_init(&sql, 1 << 20);
	if (!p)
		return VG_ENOMEM;
	rc = vg_buf_puts(&sql, qy->slim ? "SELECT " ROW_COLS_SLIM
					: "SELECT " ROW_COLS);
	if (!rc)
		rc = build_where(qy, &sql, p);
	if (!rc)
		rc = vg_buf_puts(&sql, " ORDER BY o.date_added");
	if (!rc && qy->limit)
		rc = vg_buf_printf(&sql, " LIMIT %zu", qy->limit);
	if (rc)
		goto out;
	if ((rc = vg__sq_cached(q, &st, sql.data)))
		goto out;
	bind_params(st, p);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct vg_row r = {
			.date_added = sqlite3_column_int64(st, 0),
			.id = (const char *)sqlite3_column_text(st, 1),
			.version = (const char *)sqlite3_column_text(st, 2),
			.modified = (const char *)sqlite3_column_text(st, 3),
			.json = (const char *)sqlite3_column_text(st, 4),
			.json_len = (size_t)sqlite3_column_bytes(st, 4),
		};
		if (!qy->slim) {
			r.type = (const char *)sqlite3_column_text(st, 5);
			r.spec_version = (const char *)sqlite3_column_text(st, 6);
			r.collection = (const char *)sqlite3_column_text(st, 7);
			r.revoked = sqlite3_column_int(st, 8);
			r.latest = sqlite3_column_int(st, 9);
			r.owner = sqlite3_column_int64(st, 10);
			r.scope = sqlite3_column_int(st, 11);
			r.grp = sqlite3_column_int64(st, 12);
			r.tlp = sqlite3_column_int(st, 13);
			r.classification = sqlite3_column_int(st, 14);
		}
		rc = cb(ud, &r);
		if (rc)
			break;
	}
	if (!rc && step != SQLITE_DONE)
		rc = vg__sq_fail(q, "read objects");
out:
	vg__sq_release(q, st);
	vg_buf_release(&sql);
	free(p);
	return rc;
}

static int sq_delete(struct vg_store *s, const struct vg_query *qy,
		     int64_t *deleted)
{
	sq_t *q = vg__sq(s);
	struct vg_buf sql;
	struct params *p = calloc(1, sizeof(*p));
	sqlite3_stmt *st = NULL;
	int rc;
	vg_buf_init(&sql, 1 << 20);
	if (!p)
		return VG_ENOMEM;
	if (!qy->collection || qy->n_ids != 1) {
		rc = VG_EINVAL;
		goto out;
	}
	rc = vg_buf_puts(&sql, "DELETE FROM objects WHERE date_added IN"
			       " (SELECT o.date_added");
	if (!rc)
		rc = build_where(qy, &sql, p);
	if (!rc)
		rc = vg_buf_putc(&sql, ')');
	if (rc)
		goto out;
	if (sqlite3_prepare_v2(q->db, sql.data, -1, &st, NULL)) {
		rc = vg__sq_fail(q, "prepare delete");
		goto out;
	}
	bind_params(st, p);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = vg__sq_fail(q, "delete objects");
		goto out;
	}
	*deleted = sqlite3_changes(q->db);
	sqlite3_finalize(st);
	/* the newest remaining version in the collection is the latest */
	rc = vg__sq_prepare(q, &st,
			    "UPDATE objects SET latest = (version = (SELECT"
			    " MAX(v.version) FROM objects v WHERE v.id = ?1 AND"
			    " v.collection = ?2)) WHERE id = ?1 AND collection = ?2");
	if (rc) {
		st = NULL;
		goto out;
	}
	sqlite3_bind_text(st, 1, qy->ids[0], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, qy->collection, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = vg__sq_fail(q, "update latest");
out:
	sqlite3_finalize(st);
	vg_buf_release(&sql);
	free(p);
	return rc;
}

static int sq_type_stats(struct vg_store *s, vg_type_stats_cb cb, void *ud)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st = NULL;
	/* per type: distinct ids, distinct (id, version), ids whose newest
	 * version is revoked; counted once across collections */
	int rc = vg__sq_prepare(q, &st,
				"SELECT type, COUNT(DISTINCT id), COUNT(*),"
				" SUM(revoked AND newest) FROM (SELECT type, id,"
				" version, MAX(revoked) AS revoked, version = (SELECT"
				" MAX(v.version) FROM objects v WHERE v.id = o.id)"
				" AS newest FROM objects o GROUP BY id, version)"
				" GROUP BY type ORDER BY type");
	int step;
	if (rc)
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct vg_type_stats t = {
			.type = (const char *)sqlite3_column_text(st, 0),
			.objects = sqlite3_column_int64(st, 1),
			.versions = sqlite3_column_int64(st, 2),
			.revoked = sqlite3_column_int64(st, 3),
		};
		rc = cb(ud, &t);
		if (rc)
			break;
	}
	if (!rc && step != SQLITE_DONE)
		rc = vg__sq_fail(q, "type statistics");
	sqlite3_finalize(st);
	return rc;
}

static int sq_cache_kib(struct vg_store *s, int kib)
{
	char sql[64];
	snprintf(sql, sizeof(sql), "PRAGMA cache_size=%d", -kib);
	return exec(vg__sq(s), sql);
}

static int sq_checkpoint(struct vg_store *s)
{
	sq_t *q = vg__sq(s);
	int rc = sqlite3_wal_checkpoint_v2(q->db, NULL, SQLITE_CHECKPOINT_RESTART,
					   NULL, NULL);
	/* busy: readers still on the old log; the next attempt will do */
	return rc == SQLITE_OK || rc == SQLITE_BUSY ? VG_OK
						    : vg__sq_fail(q, "checkpoint");
}

static int sq_max_added(struct vg_store *s, const char *type, int64_t *out)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st = NULL;
	int rc = vg__sq_prepare(q, &st, "SELECT COALESCE(MAX(date_added), 0)"
					" FROM objects WHERE type = ?1");
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, type, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else
		rc = vg__sq_fail(q, "max date_added");
	sqlite3_finalize(st);
	return rc;
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

static int first_text(sq_t *q, const char *sql, char *out, size_t n)
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

static int sq_check(struct vg_store *s)
{
	sq_t *q = vg__sq(s);
	char found[300];
	int rc = first_text(q, "PRAGMA integrity_check", found, sizeof(found));
	if (rc)
		return rc;
	if (strcmp(found, "ok")) {
		snprintf(q->err, sizeof(q->err), "integrity check: %s", found);
		return VG_ESTORE;
	}
	rc = first_text(q,
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
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.savepoint = sq_savepoint,
	.put_object = sq_put,
	.scan = sq_scan,
	.delete_objects = sq_delete,
	.type_stats = sq_type_stats,
	.size = sq_size,
	.max_added = sq_max_added,
	.checkpoint = sq_checkpoint,
	.cache_kib = sq_cache_kib,
	.check = sq_check,
	.errmsg = sq_errmsg,
	.hub = &vg__sqlite_hub_ops,
};
