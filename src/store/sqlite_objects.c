/* Object versions in SQLite: one row per (id, version, collection, owner)
 * with the indexed columns beside the JSON text. The rows are kept and
 * found here; which rows to write is decided by the service (versions.h). */
#include "sqlite_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct vg__sq sq_t;

static int sq_versions(struct vg_store *s, const char *id, vg_version_cb cb,
		       void *ud)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st = q->find_id;
	int step, rc = VG_OK;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct vg_stored_version v = {
			.date_added = sqlite3_column_int64(st, 0),
			.collection = vg__sq_col(st, 1),
			.version = vg__sq_col(st, 2),
			.owner = sqlite3_column_int64(st, 3),
			.revoked = sqlite3_column_int(st, 4),
		};
		if ((rc = cb(ud, &v)))
			break;
	}
	if (!rc && step != SQLITE_DONE)
		rc = vg__sq_fail(q, "find object");
	sqlite3_reset(st);
	return rc;
}

/* The next date_added: now in microseconds, but always after the last
 * (read under the write lock by begin, so across processes too). */
static int64_t next_added(sq_t *q)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	int64_t now = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	q->last_added = now > q->last_added ? now : q->last_added + 1;
	return q->last_added;
}

static int sq_insert(struct vg_store *s, const struct vg_object *o,
		     int64_t *date_added)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st = q->insert;
	int64_t added = next_added(q);
	sqlite3_bind_int64(st, 1, added);
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
	sqlite3_bind_int(st, 13, o->latest);
	sqlite3_bind_text(st, 14, o->collection ? o->collection : "", -1,
			  SQLITE_STATIC);
	sqlite3_bind_int64(st, 15, o->grp);
	sqlite3_bind_text(st, 16, o->json, (int)o->json_len, SQLITE_STATIC);
	sqlite3_bind_int(st, 17, o->copy);
	int rc = vg__sq_done(q, st, "insert object");
	sqlite3_clear_bindings(st);
	if (!rc && date_added)
		*date_added = added;
	return rc;
}

static int sq_set_latest(struct vg_store *s, const char *id,
			 const char *collection, const char *version)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st = q->set_latest;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, collection, -1, SQLITE_STATIC);
	vg__sq_bind_text(st, 3, version);
	int rc = vg__sq_done(q, st, "set latest");
	sqlite3_clear_bindings(st);
	return rc;
}

static int sq_owner_of(struct vg_store *s, const char *id, int64_t *owner)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st, "SELECT owner FROM owners WHERE id=?1", "t", id);
	if (rc)
		return rc;
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*owner = sqlite3_column_int64(st, 0);
	rc = step == SQLITE_ROW    ? VG_OK
	     : step == SQLITE_DONE ? VG_ENOTFOUND
				   : vg__sq_fail(q, "owner of");
	vg__sq_release(q, st);
	return rc;
}

static int sq_owner_set(struct vg_store *s, const char *id, int64_t owner)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st, "INSERT INTO owners (id, owner) VALUES (?1,?2)",
			     "ti", id, owner);
	return rc ? rc : vg__sq_run(q, st, "register owner");
}

static int sq_shared_ids(struct vg_store *s,
			 int (*cb)(void *ud, const char *id), void *ud)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int step, rc = vg__sq_prep(q, &st,
				   "SELECT id FROM objects GROUP BY id"
				   " HAVING COUNT(DISTINCT owner) > 1",
				   NULL);
	if (rc)
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		if ((rc = cb(ud, vg__sq_col(st, 0))))
			break;
	if (!rc && step != SQLITE_DONE)
		rc = vg__sq_fail(q, "ids of several owners");
	vg__sq_release(q, st);
	return rc;
}

static int sq_set_scope(struct vg_store *s, const char *id, const char *version,
			const char *collection, int64_t owner, int scope)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st,
			     "UPDATE objects SET scope=?5 WHERE id=?1 AND version=?2"
			     " AND collection=?3 AND owner=?4",
			     "tttii", id, version, collection, owner, (int64_t)scope);
	return rc ? rc : vg__sq_run(q, st, "set scope");
}

/* ---- queries --------------------------------------------------------- */

enum { MAX_TERMS = 1000 };

struct params {
	const char *text[3 * MAX_TERMS + VG_QUERY_WORDS + 16];
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
	int rc = vg_buf_puts(sql, " AND ");
	return rc ? rc : vg__sql_expr(qy->visible, a, sql);
}

static int bind_text(struct params *p, const char *v)
{
	p->text[p->n++] = v;
	return p->n;
}

static int sq_text(void *ud, const char *v)
{
	return bind_text(ud, v);
}

/* The search's clauses (objects.h): SQLite's lower() folds ASCII only,
 * as the memory backend does. */
static int search_where(const struct vg_query *qy, struct vg_buf *sql,
			struct params *p)
{
	int rc = VG_OK;
	for (size_t i = 0; !rc && i < qy->n_words; i++) {
		int k = bind_text(p, qy->words[i]);
		rc = vg_buf_printf(sql,
				   " AND (instr(lower(COALESCE(json_extract(o.json,"
				   " '$.name'), '')), lower(?%d)) > 0 OR"
				   " instr(lower(COALESCE(json_extract(o.json,"
				   " '$.description'), '')), lower(?%d)) > 0)",
				   k, k);
	}
	if (!rc && qy->label)
		rc = vg_buf_printf(sql, " AND EXISTS (SELECT 1 FROM json_each(o.json,"
					" '$.labels') WHERE value = ?%d)",
				   bind_text(p, qy->label));
	if (!rc && qy->marking)
		rc = vg_buf_printf(sql, " AND EXISTS (SELECT 1 FROM json_each(o.json,"
					" '$.object_marking_refs') WHERE value = ?%d)",
				   bind_text(p, qy->marking));
	if (!rc && qy->tlp)
		rc = vg_buf_printf(sql, " AND o.tlp = %d", qy->tlp - 1);
	if (!rc && qy->version_from)
		rc = vg_buf_printf(sql, " AND o.version >= ?%d",
				   bind_text(p, qy->version_from));
	if (!rc && qy->version_to)
		rc = vg_buf_printf(sql, " AND o.version <= ?%d",
				   bind_text(p, qy->version_to));
	if (!rc && qy->ref) {
		int k = bind_text(p, qy->ref);
		rc = vg_buf_printf(sql, " AND (json_extract(o.json, '$.source_ref') = ?%d"
					" OR json_extract(o.json, '$.target_ref') = ?%d"
					" OR json_extract(o.json, '$.sighting_of_ref') = ?%d)",
				   k, k, k);
	}
	return rc;
}

/* WHERE clause (from "FROM objects o WHERE") for qy into sql and p. */
static int build_where(const struct vg_query *qy, struct vg_buf *sql,
		       struct params *p)
{
	int rc;
	if (!qy->visible)
		return VG_EINVAL; /* no read without the reader's rule */
	if (qy->n_types > MAX_TERMS || qy->n_ids > MAX_TERMS ||
	    qy->n_version_keys > MAX_TERMS || qy->n_spec_versions > MAX_TERMS ||
	    qy->n_words > VG_QUERY_WORDS)
		return VG_ETOOBIG;
	/* set as they are used: a page's parameters are a few of the 24 KB */
	p->n = 0;
	p->added_pos = 0;
	p->added_after = 0;
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
	if (!rc)
		rc = search_where(qy, sql, p);
	if (rc)
		return rc;
	rc = vg__sql_versions(qy, sql, '?', sq_text, p);
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
	struct params *p = malloc(sizeof(*p));
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
		rc = vg_buf_puts(&sql, qy->newest_first ? " ORDER BY o.date_added DESC"
							: " ORDER BY o.date_added");
	if (!rc && (qy->limit || qy->offset))
		rc = vg_buf_printf(&sql, " LIMIT %lld",
				   qy->limit ? (long long)qy->limit : -1LL);
	if (!rc && qy->offset)
		rc = vg_buf_printf(&sql, " OFFSET %zu", qy->offset);
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

static int sq_remove(struct vg_store *s, const struct vg_query *qy,
		     int64_t *deleted)
{
	sq_t *q = vg__sq(s);
	struct vg_buf sql;
	struct params *p = malloc(sizeof(*p));
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


/* ---- status resources ------------------------------------------------ */

static int status_put(struct vg_store *s, const char *id, int64_t user,
		      int64_t created, const char *json)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st,
		      "INSERT INTO status (id, user, created, json) VALUES"
		      " (?1,?2,?3,?4)",
		      "tiit", id, user, created, json);
	return rc ? rc : vg__sq_run(q, st, "add status");
}

static int status_get(struct vg_store *s, const char *id, int64_t user,
		      int64_t not_before, char **json)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st,
		      "SELECT json FROM status WHERE id=?1 AND user=?2 AND"
		      " created >= ?3",
		      "tii", id, user, not_before);
	if (rc)
		return rc;
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*json = strdup(vg__sq_col(st, 0));
		rc = *json ? VG_OK : VG_ENOMEM;
	} else {
		rc = step == SQLITE_DONE ? VG_ENOTFOUND : vg__sq_fail(q, "status");
	}
	vg__sq_release(q, st);
	return rc;
}

static int status_expire(struct vg_store *s, int64_t before)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st, "DELETE FROM status WHERE created < ?1", "i", before);
	return rc ? rc : vg__sq_run(q, st, "expire status");
}

const struct vg_store_objects_ops vg__sq_objects_ops = {
	.versions = sq_versions,
	.insert = sq_insert,
	.owner_of = sq_owner_of,
	.owner_set = sq_owner_set,
	.shared_ids = sq_shared_ids,
	.set_scope = sq_set_scope,
	.set_latest = sq_set_latest,
	.scan = sq_scan,
	.remove = sq_remove,
	.type_stats = sq_type_stats,
	.status_put = status_put,
	.status_get = status_get,
	.status_expire = status_expire,
};
