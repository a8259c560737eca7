/* Object versions in PostgreSQL: one row per (id, version, collection,
 * owner) with the indexed columns beside the JSON text, as in SQLite
 * (sqlite_objects.c): versions, inserts, owners, latest flags, status
 * resources; the queries are in pg_query.c. Which rows to write is
 * decided by the service. */
#include "pg_int.h"

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

/* The ids as a binary text array (a in *arg). */
static int id_array(const char *const *ids, size_t n, struct vg_buf *a,
                    struct vg__pg_arg *arg)
{
	int rc = VG_OK;
	for (size_t i = 0; !rc && i < n; i++)
		rc = vg__pg_arr_add(a, 't', ids[i], strlen(ids[i]), 0);
	if (!rc)
		vg__pg_arr_arg(a, 't', n, arg);
	return rc;
}

#define PREFETCH_SQL                                                           \
	"SELECT id, date_added, collection, version, owner, revoked, 0"       \
	" FROM objects WHERE id = ANY($1::text[]) UNION ALL SELECT id, 0,"     \
	" NULL, NULL, owner, 0, 1 FROM owners WHERE id = ANY($1::text[])"      \
	" ORDER BY 1"

/* The read goes before the rows gathered so far (the previous batch's),
 * which are sent right after its answer: the server writes them while
 * the ingest applies the next batch, instead of the ingest waiting for
 * those writes before the read. An id among the rows gathered is then
 * not known from the read: it is asked again when needed. */
static int pg_prefetch(struct vg_store *s, const char *const *ids, size_t n)
{
	pg_t *p = vg__pg(s);
	struct vg_buf lit, pending;
	PGresult *r = NULL;
	int rc, pos = 0;
	vg__pg_prefetch_forget(p, NULL);
	if (p->in_tx != 1 || !n)
		return VG_OK; /* a hint only */
	vg_buf_init(&lit, 0);
	vg_buf_init(&pending, 0);
	struct vg__pg_arg arg;
	rc = id_array(ids, n, &lit, &arg);
	if (!rc)
		rc = vg__pg_batch_prepare(p);
	if (!rc)
		rc = vg__pg_send_first(p, PREFETCH_SQL, 1, &arg, &pos);
	size_t plen = 0;
	const char *ids_before = vg__pg_batch_ids(p, &plen);
	if (!rc && ids_before)
		rc = vg_buf_append(&pending, ids_before, plen);
	/* read before the rows are sent: a large answer and a large batch
	 * in flight both ways at once would each wait for the other */
	if (!rc)
		rc = vg__pg_take(p, pos, &r);
	if (!rc && (rc = vg__pg_batch_flush(p)))
		PQclear(r);
	vg_buf_release(&lit);
	if (rc)
		goto out;
	struct ahead *a = calloc(1, sizeof(*a));
	size_t cap = 16;
	while (cap < 2 * n)
		cap *= 2;
	if (a)
		a->slot = calloc(cap, sizeof(*a->slot));
	if (!a || !a->slot) {
		free(a);
		PQclear(r);
		rc = VG_ENOMEM;
		goto out;
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
		if (vg_buf_append(&a->asked, ids[i], strlen(ids[i]) + 1)) {
			k--; /* the rest are asked when needed */
			break;
		}
	}
	for (size_t i = 0; i < k; i++) {
		const char *id = a->asked.data + at[i];
		struct slot *sl = find(a, id, 1);
		if (!sl->id) {
			sl->id = id;
			sl->owner_row = -1;
		}
	}
	/* written after the read was sent: not known from it */
	for (size_t i = 0; i < pending.len;) {
		const char *id = pending.data + i;
		vg__pg_prefetch_forget(p, id);
		i += strlen(id) + 1;
	}
out:
	vg_buf_release(&pending);
	return rc;
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
    .scan = vg__pg_scan,
    .remove = vg__pg_remove,
    .type_stats = vg__pg_type_stats,
    .prefetch = pg_prefetch,
    .status_put = status_put,
    .status_get = status_get,
    .status_expire = status_expire,
};
