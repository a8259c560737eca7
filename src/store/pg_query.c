/* The queries on object versions in PostgreSQL: pages of a collection,
 * searches, manifests and exports (scan), deletions (remove) and the
 * counts by type, with the same meaning as SQLite's (sqlite_objects.c).
 * The access rule comes written by core (sql_expr.c); clauses on the JSON
 * text are decided on the parsed text (search_json.c). */
#include "pg_int.h"
#include "search_json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct vg__pg pg_t;

enum { MAX_TERMS = 1000, CHUNK = 5000 };

/* the lists of four fields, the words and a dozen single values */
struct params {
	struct vg__pg_arg a[4 * MAX_TERMS + VG_QUERY_WORDS + 16];
	int n;
};

static int text_param(struct params *p, const char *v)
{
	memset(&p->a[p->n], 0, sizeof(p->a[0]));
	p->a[p->n].p = v;
	return ++p->n;
}

static int int_param(struct params *p, int64_t v)
{
	struct vg__pg_arg *a = &p->a[p->n];
	memset(a, 0, sizeof(*a));
	snprintf(a->num, sizeof(a->num), "%lld", (long long)v);
	a->p = a->num;
	return ++p->n;
}

static int add_in(struct vg_buf *sql, struct params *p, const char *col,
                  const char *const *v, size_t n)
{
	int rc = vg_buf_printf(sql, " AND %s IN (", col);
	for (size_t i = 0; !rc && i < n; i++)
		rc = vg_buf_printf(sql, "%s$%d", i ? "," : "",
		                   text_param(p, v[i]));
	return rc ? rc : vg_buf_putc(sql, ')');
}

static int pg_text(void *ud, const char *v)
{
	return text_param(ud, v);
}

static int vis(struct vg_buf *sql, const struct vg_query *qy, const char *a)
{
	int rc = vg_buf_puts(sql, " AND ");
	return rc ? rc : vg__sql_expr(qy->visible, a, sql);
}

/* 1 when s is a UUID in lowercase hex (8-4-4-4-12). */
static int uuid_text(const char *s)
{
	for (int i = 0; i < 36; i++) {
		int dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? s[i] != '-'
		         : !((s[i] >= '0' && s[i] <= '9') ||
		             (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	}
	return s[36] == '\0';
}

/* The search's clauses (objects.h), as sqlite_objects.c search_where
 * writes them. Those that read the JSON text are decided on the parsed
 * text by the scan (search_json.c): here they only narrow the rows, by
 * what is true of every row they hold: a text without a backslash holds
 * each of its strings verbatim (lower() with "C" folds ASCII only, as
 * the search does). */
static int search_where(const struct vg_query *qy, struct vg_buf *sql,
                        struct params *p)
{
	int rc = VG_OK;
	for (size_t i = 0; !rc && i < qy->n_words; i++)
		rc = vg_buf_printf(sql,
		                   " AND (strpos(o.json, chr(92)) > 0 OR"
		                   " strpos(lower(o.json COLLATE \"C\"),"
		                   " lower($%d COLLATE \"C\")) > 0)",
		                   text_param(p, qy->words[i]));
	const char *verbatim[] = {qy->label, qy->marking, qy->ref};
	for (size_t i = 0; !rc && i < 3; i++)
		if (verbatim[i])
			rc =
			    vg_buf_printf(sql,
			                  " AND (strpos(o.json, chr(92)) > 0 OR"
			                  " strpos(o.json, $%d) > 0)",
			                  text_param(p, verbatim[i]));
	if (!rc && qy->tlp)
		rc = vg_buf_printf(sql, " AND o.tlp = %d", qy->tlp - 1);
	if (!rc && qy->version_from)
		rc = vg_buf_printf(sql, " AND o.version >= $%d",
		                   text_param(p, qy->version_from));
	if (!rc && qy->version_to)
		rc = vg_buf_printf(sql, " AND o.version <= $%d",
		                   text_param(p, qy->version_to));
	return rc;
}

/* WHERE clause (from "FROM objects o WHERE") for qy, as sqlite_objects.c
 * build_where writes it. *cursor (when not NULL) gets the number of the
 * parameter that date_added must be after (before, when the scan reads
 * newest first), always present: a scan read in parts moves it. */
static int build_where(const struct vg_query *qy, struct vg_buf *sql,
                       struct params *p, int *cursor)
{
	int rc;
	if (!qy->visible)
		return VG_EINVAL; /* no read without the reader's rule */
	if (qy->n_types > MAX_TERMS || qy->n_ids > MAX_TERMS ||
	    qy->n_version_keys > MAX_TERMS || qy->n_spec_versions > MAX_TERMS ||
	    qy->n_words > VG_QUERY_WORDS)
		return VG_ETOOBIG;
	p->n = 0;
	rc = vg_buf_puts(sql, " FROM objects o WHERE true");
	/* a collection id made by the hub (a UUID, checked here character by
	 * character) is written into the statement, like the integers of
	 * the access rule: a page's statement then has no parameter, and
	 * PostgreSQL plans it once per connection, for that collection's
	 * rows, instead of at every request; anything else is bound */
	if (!rc && qy->collection && uuid_text(qy->collection))
		rc = vg_buf_printf(sql, " AND o.collection = '%s'",
		                   qy->collection);
	else if (!rc && qy->collection)
		rc = vg_buf_printf(sql, " AND o.collection = $%d",
		                   text_param(p, qy->collection));
	if (!rc)
		rc = vis(sql, qy, "o");
	int desc = cursor && qy->newest_first;
	if (!rc && (qy->added_after || (cursor && !desc))) {
		int k = int_param(p, qy->added_after);
		if (cursor && !desc)
			*cursor = k;
		rc = vg_buf_printf(sql, " AND o.date_added > $%d", k);
	}
	if (!rc && desc) {
		*cursor = int_param(p, INT64_MAX);
		rc = vg_buf_printf(sql, " AND o.date_added < $%d", *cursor);
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
	rc = vg__sql_versions(qy, sql, '$', pg_text, p);
	if (!rc && qy->owner)
		rc = vg_buf_printf(sql, " AND o.owner = %lld",
		                   (long long)qy->owner);
	if (!rc) {
		/* a version held in several collections, or by several
		 * organisations, is read once */
		rc = vg_buf_printf(
		    sql,
		    " AND (%s NOT EXISTS (SELECT 1 FROM objects w"
		    " WHERE w.id = o.id AND w.version = o.version"
		    " AND w.date_added < o.date_added%s%s",
		    qy->collection ? "o.copy = 0 OR" : "",
		    qy->collection ? " AND w.collection = o.collection" : "",
		    qy->owner ? " AND w.owner = o.owner" : "");
		if (!rc)
			rc = vis(sql, qy, "w");
		if (!rc)
			rc = vg_buf_puts(sql, "))");
	}
	return rc;
}

#define ROW_COLS                                                               \
	"o.date_added, o.id, o.version, COALESCE(o.modified, o.created),"      \
	" o.json, o.type, o.spec_version, o.collection, o.revoked,"            \
	" o.latest, o.owner, o.scope, o.grp, o.tlp, o.classification"
#define ROW_COLS_SLIM                                                          \
	"o.date_added, o.id, o.version, COALESCE(o.modified, o.created),"      \
	" o.json"

/* Where a scan is: the rows still to skip and to give (the search's
 * clauses on the JSON text are decided here, so skipping and counting are
 * too), and the date_added of the last row read. */
struct progress {
	int json;          /* the JSON clauses are decided here */
	size_t skip, left; /* left 0: no limit */
	int done;
	int64_t last;
};

/* Hand the rows of r that meet the query to cb. */
static int rows(const struct vg_query *qy, PGresult *r, vg_row_cb cb, void *ud,
                struct progress *pr)
{
	int n = PQntuples(r), rc = VG_OK;
	for (int i = 0; !rc && !pr->done && i < n; i++) {
		struct vg_row row = {
		    .date_added = vg__pg_int(r, i, 0),
		    .id = PQgetvalue(r, i, 1),
		    .version = PQgetvalue(r, i, 2),
		    .modified = vg__pg_str(r, i, 3),
		    .json = PQgetvalue(r, i, 4),
		    .json_len = (size_t)PQgetlength(r, i, 4),
		};
		pr->last = row.date_added;
		if (pr->json) {
			if (!vg__search_json(qy, row.json, row.json_len))
				continue;
			if (pr->skip) {
				pr->skip--;
				continue;
			}
		}
		if (!qy->slim) {
			row.type = PQgetvalue(r, i, 5);
			row.spec_version = vg__pg_str(r, i, 6);
			row.collection = PQgetvalue(r, i, 7);
			row.revoked = (int)vg__pg_int(r, i, 8);
			row.latest = (int)vg__pg_int(r, i, 9);
			row.owner = vg__pg_int(r, i, 10);
			row.scope = (int)vg__pg_int(r, i, 11);
			row.grp = vg__pg_int(r, i, 12);
			row.tlp = (int)vg__pg_int(r, i, 13);
			row.classification = (int)vg__pg_int(r, i, 14);
		}
		rc = cb(ud, &row);
		if (pr->left && !--pr->left)
			pr->done = 1;
	}
	return rc;
}

/* Read in parts of CHUNK rows (by date_added, which orders the scan), so
 * that no result holds the whole hub and callbacks may use the handle;
 * outside a write transaction the parts share one snapshot. The offset
 * is the statement's for its first part, and the limit counts down over
 * the parts; when the JSON clauses are decided here, both are applied to
 * the rows that meet them, every part is whole. */
int vg__pg_scan(struct vg_store *s, const struct vg_query *qy, vg_row_cb cb,
                void *ud)
{
	pg_t *p = vg__pg(s);
	struct vg_buf sql;
	struct params *pa = calloc(1, sizeof(*pa));
	struct progress pr = {
	    .json = vg__search_json_any(qy),
	    .skip = qy->offset,
	    .left = qy->limit,
	};
	int rc, cursor = 0, snapshot = 0, limit_at = 0, offset_at = 0;
	vg_buf_init(&sql, 1 << 20);
	if (!pa)
		return VG_ENOMEM;
	int parts = pr.json || !qy->limit || qy->limit > CHUNK;
	rc = vg_buf_puts(&sql, qy->slim ? "SELECT " ROW_COLS_SLIM
	                                : "SELECT " ROW_COLS);
	if (!rc)
		rc = build_where(qy, &sql, pa, parts ? &cursor : NULL);
	if (!rc)
		rc = vg_buf_puts(&sql, qy->newest_first
		                           ? " ORDER BY o.date_added DESC"
		                           : " ORDER BY o.date_added");
	if (!rc && parts) {
		limit_at = int_param(pa, 0);
		rc = vg_buf_printf(&sql, " LIMIT $%d", limit_at);
		if (!rc && qy->offset && !pr.json) {
			offset_at = int_param(pa, (int64_t)qy->offset);
			rc = vg_buf_printf(&sql, " OFFSET $%d", offset_at);
		}
	} else if (!rc) {
		/* integers, written in: see the collection above */
		rc = vg_buf_printf(&sql, " LIMIT %zu", qy->limit);
		if (!rc && qy->offset)
			rc = vg_buf_printf(&sql, " OFFSET %zu", qy->offset);
	}
	if (rc)
		goto out;
	if (parts && !p->in_tx) {
		if ((rc = vg__pg_exec(p, "BEGIN ISOLATION LEVEL REPEATABLE READ"
		                         " READ ONLY")))
			goto out;
		p->in_tx = 2;
		snapshot = 1;
	}
	for (;;) {
		/* a part is at most what is left to give, unless rows are
		 * still to be decided here */
		size_t want = !parts ? qy->limit
		              : !pr.json && pr.left && pr.left < CHUNK ? pr.left
		                                                       : CHUNK;
		PGresult *r = NULL;
		if (limit_at)
			snprintf(pa->a[limit_at - 1].num, sizeof(pa->a[0].num),
			         "%zu", want);
		if ((rc = vg__pg_runv(p, &r, sql.data, pa->n, pa->a)))
			break;
		size_t got = (size_t)PQntuples(r);
		rc = rows(qy, r, cb, ud, &pr);
		PQclear(r);
		if (rc || !parts || got < want || pr.done)
			break;
		snprintf(pa->a[cursor - 1].num, sizeof(pa->a[0].num), "%lld",
		         (long long)pr.last);
		if (offset_at) /* skipped by the first part */
			snprintf(pa->a[offset_at - 1].num, sizeof(pa->a[0].num),
			         "0");
	}
	if (snapshot) {
		PQclear(PQexec(p->conn, "COMMIT"));
		p->in_tx = 0;
	}
out:
	vg_buf_release(&sql);
	free(pa);
	return rc;
}

/* A row's date_added added to an array literal under way. */
static int collect_added(void *ud, const struct vg_row *row)
{
	struct vg_buf *b = ud;
	return vg_buf_printf(b, "%s%lld", b->len > 1 ? "," : "",
	                     (long long)row->date_added);
}

int vg__pg_remove(struct vg_store *s, const struct vg_query *qy,
                  int64_t *deleted)
{
	pg_t *p = vg__pg(s);
	struct vg_buf sql;
	struct params *pa = calloc(1, sizeof(*pa));
	PGresult *r = NULL;
	int rc;
	vg_buf_init(&sql, 1 << 20);
	if (!pa)
		return VG_ENOMEM;
	if (!qy->collection || qy->n_ids != 1) {
		rc = VG_EINVAL;
		goto out;
	}
	vg__pg_prefetch_forget(p, qy->ids[0]);
	if (vg__search_json_any(qy)) {
		/* the rows the scan finds (it decides the JSON clauses) */
		struct vg_query all = *qy;
		all.offset = all.limit = 0;
		all.newest_first = 0;
		all.slim = 1;
		rc = vg_buf_putc(&sql, '{');
		if (!rc)
			rc = vg__pg_scan(s, &all, collect_added, &sql);
		if (!rc)
			rc = vg_buf_putc(&sql, '}');
		if (!rc)
			rc = vg__pg_run(p, &r,
			                "DELETE FROM objects WHERE"
			                " date_added = ANY($1::int8[])",
			                "t", sql.data);
		goto done;
	}
	rc = vg_buf_puts(&sql, "DELETE FROM objects WHERE date_added IN"
	                       " (SELECT o.date_added");
	if (!rc)
		rc = build_where(qy, &sql, pa, NULL);
	if (!rc)
		rc = vg_buf_putc(&sql, ')');
	if (!rc)
		rc = vg__pg_runv(p, &r, sql.data, pa->n, pa->a);
done:
	if (!rc)
		*deleted = vg__pg_changes(r);
	PQclear(r);
out:
	vg_buf_release(&sql);
	free(pa);
	return rc;
}

int vg__pg_type_stats(struct vg_store *s, vg_type_stats_cb cb, void *ud)
{
	pg_t *p = vg__pg(s);
	PGresult *r = NULL;
	/* per type: distinct ids, distinct (id, version), ids whose newest
	 * version is revoked; counted once across collections */
	int rc = vg__pg_run(
	    p, &r,
	    "SELECT type, COUNT(DISTINCT id), COUNT(*), SUM(CASE WHEN"
	    " revoked <> 0 AND newest THEN 1 ELSE 0 END) FROM (SELECT"
	    " MIN(type) AS type, id, version, MAX(revoked) AS revoked,"
	    " version = (SELECT MAX(v.version) FROM objects v WHERE"
	    " v.id = o.id) AS newest FROM objects o GROUP BY id, version) t"
	    " GROUP BY type ORDER BY type",
	    NULL);
	if (rc)
		return rc;
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		struct vg_type_stats t = {
		    .type = PQgetvalue(r, i, 0),
		    .objects = vg__pg_int(r, i, 1),
		    .versions = vg__pg_int(r, i, 2),
		    .revoked = vg__pg_int(r, i, 3),
		};
		rc = cb(ud, &t);
	}
	PQclear(r);
	return rc;
}
