/* Object versions in PostgreSQL: one row per (id, version, collection,
 * owner) with the indexed columns beside the JSON text, as in SQLite
 * (sqlite_objects.c); the queries have the same meaning, written for
 * PostgreSQL. Which rows to write is decided by the service. */
#include "pg_int.h"
#include "search_json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct vg__pg pg_t;

/* ---- rows read ahead (prefetch) ---------------------------------------
 * The rows of a batch's ids, and their registered owners, from one query
 * ordered by id: each id's rows are a run of the result, found through a
 * small open-addressing table. An id is forgotten as soon as anything
 * writes to it, and everything at the end of the transaction. */

struct ahead {
	PGresult *res;
	struct slot {
		const char *id; /* into res, or the id asked for (no rows) */
		int first, n;   /* its run of rows (owner's included) */
		int owner_row;  /* -1: unregistered */
		int gone;       /* written since: ask the database */
	} * slot;
	size_t cap;
	struct vg_buf asked; /* ids without rows, NUL-separated */
};

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static struct slot *find(struct ahead *a, const char *id, int add)
{
	if (!a || !a->cap)
		return NULL;
	for (size_t i = hash(id) & (a->cap - 1);; i = (i + 1) & (a->cap - 1)) {
		struct slot *s = &a->slot[i];
		if (!s->id)
			return add ? s : NULL;
		if (!strcmp(s->id, id))
			return s;
	}
}

void vg__pg_prefetch_forget(struct vg__pg *p, const char *id)
{
	struct ahead *a = p->prefetched;
	if (!a)
		return;
	if (id) {
		struct slot *s = find(a, id, 0);
		if (s)
			s->gone = 1;
		return;
	}
	PQclear(a->res);
	free(a->slot);
	vg_buf_release(&a->asked);
	free(a);
	p->prefetched = NULL;
}

/* The ids as a PostgreSQL array literal. */
static int array_literal(const char *const *ids, size_t n, struct vg_buf *b)
{
	int rc = vg_buf_putc(b, '{');
	for (size_t i = 0; !rc && i < n; i++) {
		rc = vg_buf_puts(b, i ? ",\"" : "\"");
		for (const char *c = ids[i]; !rc && *c; c++)
			rc = *c == '"' || *c == '\\'
			         ? vg_buf_printf(b, "\\%c", *c)
			         : vg_buf_putc(b, *c);
		if (!rc)
			rc = vg_buf_putc(b, '"');
	}
	return rc ? rc : vg_buf_putc(b, '}');
}

static int pg_prefetch(struct vg_store *s, const char *const *ids, size_t n)
{
	pg_t *p = vg__pg(s);
	struct vg_buf lit;
	PGresult *r = NULL;
	int rc;
	vg__pg_prefetch_forget(p, NULL);
	if (p->in_tx != 1 || !n)
		return VG_OK; /* a hint only */
	vg_buf_init(&lit, 0);
	rc = array_literal(ids, n, &lit);
	if (!rc)
		rc = vg__pg_run(
		    p, &r,
		    "SELECT id, date_added, collection, version, owner,"
		    " revoked, 0 FROM objects WHERE id = ANY($1::text[])"
		    " UNION ALL SELECT id, 0, NULL, NULL, owner, 0, 1 FROM"
		    " owners WHERE id = ANY($1::text[]) ORDER BY 1",
		    "t", lit.data);
	vg_buf_release(&lit);
	if (rc)
		return rc;
	struct ahead *a = calloc(1, sizeof(*a));
	size_t cap = 16;
	while (cap < 2 * n)
		cap *= 2;
	if (a)
		a->slot = calloc(cap, sizeof(*a->slot));
	if (!a || !a->slot) {
		free(a);
		PQclear(r);
		return VG_ENOMEM;
	}
	a->res = r;
	a->cap = cap;
	vg_buf_init(&a->asked, 0);
	p->prefetched = a;
	int rows = PQntuples(r);
	for (int i = 0; i < rows; i++) {
		const char *id = PQgetvalue(r, i, 0);
		struct slot *sl = find(a, id, 1);
		if (!sl->id) {
			sl->id = id;
			sl->first = i;
			sl->owner_row = -1;
		}
		if (vg__pg_int(r, i, 6))
			sl->owner_row = i;
		sl->n++;
	}
	/* ids with nothing stored: known to have no rows and no owner */
	size_t at[256], k = 0;
	for (size_t i = 0; i < n && k < 256; i++) {
		if (find(a, ids[i], 0))
			continue;
		at[k++] = a->asked.len;
		if (vg_buf_append(&a->asked, ids[i], strlen(ids[i]) + 1))
			return VG_OK; /* the rest are asked when needed */
	}
	for (size_t i = 0; i < k; i++) {
		const char *id = a->asked.data + at[i];
		struct slot *sl = find(a, id, 1);
		if (!sl->id) {
			sl->id = id;
			sl->owner_row = -1;
		}
	}
	return VG_OK;
}

/* Every row of id, and (marked 1) its registered owner: the ingest asks
 * for both, one after the other, so inside a write transaction the owner
 * is kept for owner_of. */
static int pg_versions(struct vg_store *s, const char *id, vg_version_cb cb,
                       void *ud)
{
	pg_t *p = vg__pg(s);
	PGresult *r = NULL;
	struct slot *ahead = p->in_tx == 1 ? find(p->prefetched, id, 0) : NULL;
	if (ahead && !ahead->gone) {
		struct ahead *a = p->prefetched;
		int rc = VG_OK;
		for (int i = ahead->first; !rc && i < ahead->first + ahead->n;
		     i++) {
			if (vg__pg_int(a->res, i, 6))
				continue;
			struct vg_stored_version v = {
			    .date_added = vg__pg_int(a->res, i, 1),
			    .collection = PQgetvalue(a->res, i, 2),
			    .version = PQgetvalue(a->res, i, 3),
			    .owner = vg__pg_int(a->res, i, 4),
			    .revoked = (int)vg__pg_int(a->res, i, 5),
			};
			rc = cb(ud, &v);
		}
		vg__pg_owner_forget(p);
		if (!rc && (p->owner_id = strdup(id))) {
			p->owner_found = ahead->owner_row >= 0;
			p->owner = p->owner_found
			               ? vg__pg_int(a->res, ahead->owner_row, 4)
			               : 0;
		}
		return rc;
	}
	int rc = vg__pg_run(
	    p, &r,
	    "SELECT date_added, collection, version, owner, revoked, 0"
	    " FROM objects WHERE id = $1 UNION ALL SELECT 0, NULL,"
	    " NULL, owner, 0, 1 FROM owners WHERE id = $1",
	    "t", id);
	if (rc)
		return rc;
	int n = PQntuples(r), found = 0;
	int64_t owner = 0;
	for (int i = 0; !rc && i < n; i++) {
		if (vg__pg_int(r, i, 5)) {
			found = 1;
			owner = vg__pg_int(r, i, 3);
			continue;
		}
		struct vg_stored_version v = {
		    .date_added = vg__pg_int(r, i, 0),
		    .collection = PQgetvalue(r, i, 1),
		    .version = PQgetvalue(r, i, 2),
		    .owner = vg__pg_int(r, i, 3),
		    .revoked = (int)vg__pg_int(r, i, 4),
		};
		rc = cb(ud, &v);
	}
	PQclear(r);
	vg__pg_owner_forget(p);
	if (!rc && p->in_tx == 1 && (p->owner_id = strdup(id))) {
		p->owner = owner;
		p->owner_found = found;
	}
	return rc;
}

static int pg_insert(struct vg_store *s, const struct vg_object *o,
                     int64_t *date_added)
{
	pg_t *p = vg__pg(s);
	int64_t added = vg__pg_next_added(p);
	vg__pg_prefetch_forget(p, o->id);
	p->inserted++;
	/* gathered in a write transaction, sent with the next statement */
	int rc = p->in_tx == 1
	             ? vg__pg_batch_object(p, o, added)
	             : vg__pg_run(
	                   p, NULL,
	                   "INSERT INTO objects (date_added, id, version, type,"
	                   " created, modified, spec_version, revoked, owner,"
	                   " scope, tlp, classification, latest, collection,"
	                   " grp, json, copy) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,"
	                   "$9,$10,$11,$12,$13,$14,$15,$16,$17)",
	                   "itttttti"
	                   "iiiiitin"
	                   "i",
	                   added, o->id, o->version, o->type, o->created,
	                   o->modified, o->spec_version, (int64_t)o->revoked,
	                   o->owner, (int64_t)o->scope, (int64_t)o->tlp,
	                   (int64_t)o->classification, (int64_t)o->latest,
	                   o->collection ? o->collection : "", o->grp, o->json,
	                   o->json_len, (int64_t)o->copy);
	if (!rc && date_added)
		*date_added = added;
	return rc;
}

static int pg_set_latest(struct vg_store *s, const char *id,
                         const char *collection, const char *version)
{
	vg__pg_prefetch_forget(vg__pg(s), id);
	return vg__pg_queue(
	    vg__pg(s),
	    "UPDATE objects SET latest = (version IS NOT DISTINCT FROM"
	    " $3::text)::int WHERE id = $1 AND collection = $2 AND"
	    " latest != (version IS NOT DISTINCT FROM $3::text)::int",
	    "ttt", id, collection, version);
}

static int pg_owner_of(struct vg_store *s, const char *id, int64_t *owner)
{
	pg_t *p = vg__pg(s);
	if (p->in_tx == 1 && p->owner_id && !strcmp(p->owner_id, id)) {
		if (!p->owner_found)
			return VG_ENOTFOUND;
		*owner = p->owner;
		return VG_OK;
	}
	PGresult *r = NULL;
	int rc = vg__pg_run(p, &r, "SELECT owner FROM owners WHERE id = $1",
	                    "t", id);
	if (!rc && PQntuples(r))
		*owner = vg__pg_int(r, 0, 0);
	else if (!rc)
		rc = VG_ENOTFOUND;
	PQclear(r);
	return rc;
}

static int pg_owner_set(struct vg_store *s, const char *id, int64_t owner)
{
	pg_t *p = vg__pg(s);
	PGresult *r = NULL;
	vg__pg_prefetch_forget(p, id);
	if (p->in_tx == 1 && p->owner_id && !strcmp(p->owner_id, id) &&
	    !p->owner_found) {
		/* known to be unregistered in this transaction: no need to
		 * wait for the answer */
		p->owner_found = 1;
		p->owner = owner;
		return vg__pg_batch_owner(p, id, owner);
	}
	vg__pg_owner_forget(p);
	int rc = vg__pg_run(p, &r,
	                    "INSERT INTO owners (id, owner) VALUES ($1, $2)"
	                    " ON CONFLICT DO NOTHING",
	                    "ti", id, owner);
	if (!rc && !vg__pg_changes(r))
		rc = VG_EDUPLICATE;
	PQclear(r);
	return rc;
}

static int pg_shared_ids(struct vg_store *s,
                         int (*cb)(void *ud, const char *id), void *ud)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(vg__pg(s), &r,
	                    "SELECT id FROM objects GROUP BY id"
	                    " HAVING COUNT(DISTINCT owner) > 1 ORDER BY id",
	                    NULL);
	for (int i = 0; !rc && i < PQntuples(r); i++)
		rc = cb(ud, PQgetvalue(r, i, 0));
	PQclear(r);
	return rc;
}

static int pg_set_scope(struct vg_store *s, const char *id, const char *version,
                        const char *collection, int64_t owner, int scope)
{
	vg__pg_prefetch_forget(vg__pg(s), id);
	return vg__pg_queue(vg__pg(s),
	                    "UPDATE objects SET scope = $5 WHERE id = $1 AND"
	                    " version = $2 AND collection = $3 AND owner = $4",
	                    "tttii", id, version, collection, owner,
	                    (int64_t)scope);
}

/* ---- queries --------------------------------------------------------- */

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

static int vis(struct vg_buf *sql, const struct vg_query *qy, const char *a)
{
	int rc = vg_buf_puts(sql, " AND ");
	return rc ? rc : vg__pg_expr(qy->visible, a, sql);
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
	unsigned v = qy->versions ? qy->versions : VG_VERSIONS_LAST;
	if (!(v & VG_VERSIONS_ALL)) {
		const char *sep = "";
		rc = vg_buf_puts(sql, " AND (");
		for (int k = 0; !rc && k < 2; k++) {
			unsigned bit = k ? VG_VERSIONS_FIRST : VG_VERSIONS_LAST;
			if (!(v & bit))
				continue;
			/* in one collection the row flagged latest is the
			 * newest there (see sqlite_objects.c) */
			if (!k && qy->collection) {
				rc = vg_buf_printf(sql, "%so.latest = 1", sep);
				sep = " OR ";
				if (rc)
					break;
			}
			rc = vg_buf_printf(
			    sql,
			    "%so.version = (SELECT %s(v.version)"
			    " FROM objects v WHERE v.id = o.id%s",
			    sep, k ? "MIN" : "MAX",
			    qy->collection ? " AND v.collection = o.collection"
			                   : "");
			if (!rc)
				rc = vis(sql, qy, "v");
			if (!rc)
				rc = vg_buf_putc(sql, ')');
			sep = " OR ";
		}
		if (!rc && (v & VG_VERSIONS_LIST)) {
			rc = vg_buf_printf(sql, "%so.version IN (", sep);
			for (size_t i = 0; !rc && i < qy->n_version_keys; i++)
				rc = vg_buf_printf(
				    sql, "%s$%d", i ? "," : "",
				    text_param(p, qy->version_keys[i]));
			if (!rc && !qy->n_version_keys)
				rc = vg_buf_puts(sql, "NULL");
			if (!rc)
				rc = vg_buf_putc(sql, ')');
			sep = " OR ";
		}
		if (!rc && !*sep)
			rc = vg_buf_puts(
			    sql, "false"); /* an empty list matches nothing */
		if (!rc)
			rc = vg_buf_putc(sql, ')');
	}
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
static int pg_scan(struct vg_store *s, const struct vg_query *qy, vg_row_cb cb,
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

static int pg_remove(struct vg_store *s, const struct vg_query *qy,
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
			rc = pg_scan(s, &all, collect_added, &sql);
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

static int pg_type_stats(struct vg_store *s, vg_type_stats_cb cb, void *ud)
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

/* ---- status resources ------------------------------------------------ */

static int status_put(struct vg_store *s, const char *id, int64_t user,
                      int64_t created, const char *json)
{
	pg_t *p = vg__pg(s);
	PGresult *r = NULL;
	int rc =
	    vg__pg_run(p, &r,
	               "INSERT INTO status (id, \"user\", created, json) VALUES"
	               " ($1,$2,$3,$4) ON CONFLICT DO NOTHING",
	               "tiit", id, user, created, json);
	if (!rc && !vg__pg_changes(r))
		rc = VG_EDUPLICATE;
	PQclear(r);
	return rc;
}

static int status_get(struct vg_store *s, const char *id, int64_t user,
                      int64_t not_before, char **json)
{
	pg_t *p = vg__pg(s);
	PGresult *r = NULL;
	int rc =
	    vg__pg_run(p, &r,
	               "SELECT json FROM status WHERE id = $1 AND \"user\" = $2"
	               " AND created >= $3",
	               "tii", id, user, not_before);
	if (!rc && PQntuples(r)) {
		*json = strdup(PQgetvalue(r, 0, 0));
		rc = *json ? VG_OK : VG_ENOMEM;
	} else if (!rc) {
		rc = VG_ENOTFOUND;
	}
	PQclear(r);
	return rc;
}

static int status_expire(struct vg_store *s, int64_t before)
{
	return vg__pg_queue(vg__pg(s), "DELETE FROM status WHERE created < $1",
	                    "i", before);
}

const struct vg_store_objects_ops vg__pg_objects_ops = {
    .versions = pg_versions,
    .insert = pg_insert,
    .owner_of = pg_owner_of,
    .owner_set = pg_owner_set,
    .shared_ids = pg_shared_ids,
    .set_scope = pg_set_scope,
    .set_latest = pg_set_latest,
    .scan = pg_scan,
    .remove = pg_remove,
    .type_stats = pg_type_stats,
    .prefetch = pg_prefetch,
    .status_put = status_put,
    .status_get = status_get,
    .status_expire = status_expire,
};
