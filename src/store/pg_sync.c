/* Federation rows in PostgreSQL (store/sync.h): partners, cursors,
 * quarantine, provenance, tombstones; kept and found only, as in SQLite
 * (sqlite_sync.c). Ids and sequence numbers are the next after the
 * largest, as SQLite's rowids are (pg_hub.c says why). */
#include "pg_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct vg__pg pg_t;

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The sealed credential as a bytea parameter: NULL when there is none
 * (an empty one is none too, as in SQLite). */
static const char *secret_of(const struct vg_partner_row *p, size_t *len)
{
	*len = p->secret && p->secret_len ? p->secret_len : 0;
	return *len ? (const char *)p->secret : NULL;
}

static int partner_add(struct vg_store *s, const struct vg_partner_row *p,
                       int64_t *id)
{
	pg_t *g = vg__pg(s);
	PGresult *r = NULL;
	size_t len;
	const char *secret = secret_of(p, &len);
	int rc = vg__pg_run(
	    g, &r,
	    "INSERT INTO sync_partners (id, name, url, direction, org,"
	    " hub_id, sign_pk, config, state, created, secret) SELECT"
	    " COALESCE(MAX(id), 0) + 1, $1, $2, $3, $4, $5, $6, $7, $8, $9,"
	    " $10 FROM sync_partners ON CONFLICT DO NOTHING RETURNING id",
	    "ttiitttti"
	    "n",
	    p->name, p->url, (int64_t)p->direction, p->org,
	    p->hub_id ? p->hub_id : "", p->sign_pk ? p->sign_pk : "", p->config,
	    p->state ? p->state : "{}", now_us(), secret, len);
	if (!rc && !vg__pg_changes(r))
		rc = VG_EDUPLICATE;
	if (!rc)
		*id = vg__pg_int(r, 0, 0);
	PQclear(r);
	return rc;
}

static int partner_update(struct vg_store *s, const struct vg_partner_row *p)
{
	PGresult *r = NULL;
	size_t len;
	const char *secret = secret_of(p, &len);
	int rc = vg__pg_run(
	    vg__pg(s), &r,
	    "UPDATE sync_partners SET url = $2, direction = $3,"
	    " hub_id = $4, sign_pk = $5, config = $6,"
	    " secret = $7 WHERE id = $1",
	    "itittt"
	    "n",
	    p->id, p->url, (int64_t)p->direction, p->hub_id ? p->hub_id : "",
	    p->sign_pk ? p->sign_pk : "", p->config, secret, len);
	if (!rc && !vg__pg_changes(r))
		rc = VG_ENOTFOUND;
	PQclear(r);
	return rc;
}

static int partner_state(struct vg_store *s, int64_t id, const char *state)
{
	return vg__pg_queue(vg__pg(s),
	                    "UPDATE sync_partners SET state = $2 WHERE id = $1",
	                    "it", id, state);
}

#define PARTNER_COLS                                                           \
	"SELECT id, name, url, direction, org, hub_id, sign_pk, config,"       \
	" secret, state, created FROM sync_partners"

static int emit_partners(pg_t *g, PGresult *r, vg_partner_cb cb, void *ud)
{
	int rc = VG_OK;
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		unsigned char *secret = NULL;
		size_t len = 0;
		if (!PQgetisnull(r, i, 8)) {
			secret = PQunescapeBytea(
			    (const unsigned char *)PQgetvalue(r, i, 8), &len);
			if (!secret)
				return vg__pg_fail(g, "partner secret", NULL);
		}
		struct vg_partner_row p = {
		    .id = vg__pg_int(r, i, 0),
		    .name = PQgetvalue(r, i, 1),
		    .url = PQgetvalue(r, i, 2),
		    .direction = (int)vg__pg_int(r, i, 3),
		    .org = vg__pg_int(r, i, 4),
		    .hub_id = PQgetvalue(r, i, 5),
		    .sign_pk = PQgetvalue(r, i, 6),
		    .config = PQgetvalue(r, i, 7),
		    .secret = len ? secret : NULL,
		    .secret_len = len,
		    .state = PQgetvalue(r, i, 9),
		    .created = vg__pg_int(r, i, 10),
		};
		rc = cb(ud, &p);
		PQfreemem(secret);
	}
	return rc;
}

static int partner_find(struct vg_store *s, const char *name, int64_t id,
                        vg_partner_cb cb, void *ud)
{
	pg_t *g = vg__pg(s);
	PGresult *r = NULL;
	int rc =
	    name ? vg__pg_run(g, &r, PARTNER_COLS " WHERE name = $1", "t", name)
	         : vg__pg_run(g, &r, PARTNER_COLS " WHERE id = $1", "i", id);
	if (!rc)
		rc = PQntuples(r) ? emit_partners(g, r, cb, ud) : VG_ENOTFOUND;
	PQclear(r);
	return rc;
}

static int partner_list(struct vg_store *s, vg_partner_cb cb, void *ud)
{
	pg_t *g = vg__pg(s);
	PGresult *r = NULL;
	int rc = vg__pg_run(g, &r, PARTNER_COLS " ORDER BY name", NULL);
	if (!rc)
		rc = emit_partners(g, r, cb, ud);
	PQclear(r);
	return rc;
}

/* The partner's cursors and quarantine go whether or not it is there (as
 * in SQLite); VG_ENOTFOUND says it was not. */
static int partner_remove(struct vg_store *s, int64_t id)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(
	    vg__pg(s), &r,
	    "WITH c AS (DELETE FROM sync_cursors WHERE partner = $1),"
	    " q AS (DELETE FROM sync_quarantine WHERE partner = $1)"
	    " DELETE FROM sync_partners WHERE id = $1",
	    "i", id);
	if (!rc && !vg__pg_changes(r))
		rc = VG_ENOTFOUND;
	PQclear(r);
	return rc;
}

static int cursor_get(struct vg_store *s, int64_t partner, const char *key,
                      char **value)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(vg__pg(s), &r,
	                    "SELECT value FROM sync_cursors WHERE partner = $1"
	                    " AND key = $2",
	                    "it", partner, key);
	if (!rc && PQntuples(r)) {
		*value = strdup(PQgetvalue(r, 0, 0));
		rc = *value ? VG_OK : VG_ENOMEM;
	} else if (!rc) {
		rc = VG_ENOTFOUND;
	}
	PQclear(r);
	return rc;
}

static int cursor_set(struct vg_store *s, int64_t partner, const char *key,
                      const char *value)
{
	return vg__pg_queue(vg__pg(s),
	                    "INSERT INTO sync_cursors (partner, key, value)"
	                    " VALUES ($1, $2, $3) ON CONFLICT (partner, key)"
	                    " DO UPDATE SET value = excluded.value",
	                    "itt", partner, key, value);
}

static int quarantine_add(struct vg_store *s, const struct vg_quarantine_row *q)
{
	return vg__pg_queue(
	    vg__pg(s),
	    "INSERT INTO sync_quarantine (id, partner, created, collection,"
	    " object_id, version, reason, json, prov) SELECT"
	    " COALESCE(MAX(id), 0) + 1, $1, $2, $3, $4, $5, $6, $7, $8"
	    " FROM sync_quarantine",
	    "iitttttt", q->partner, q->created ? q->created : now_us(),
	    q->collection ? q->collection : "",
	    q->object_id ? q->object_id : "", q->version ? q->version : "",
	    q->reason, q->json, q->prov ? q->prov : "");
}

static int quarantine_list(struct vg_store *s, int64_t partner, int64_t id,
                           vg_quarantine_cb cb, void *ud)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(
	    vg__pg(s), &r,
	    "SELECT id, partner, created, collection, object_id, version,"
	    " reason, json, prov FROM sync_quarantine WHERE partner = $1"
	    " AND ($2::int8 = 0 OR id = $2) ORDER BY id",
	    "ii", partner, id);
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		struct vg_quarantine_row q = {
		    .id = vg__pg_int(r, i, 0),
		    .partner = vg__pg_int(r, i, 1),
		    .created = vg__pg_int(r, i, 2),
		    .collection = PQgetvalue(r, i, 3),
		    .object_id = PQgetvalue(r, i, 4),
		    .version = PQgetvalue(r, i, 5),
		    .reason = PQgetvalue(r, i, 6),
		    .json = PQgetvalue(r, i, 7),
		    .prov = PQgetvalue(r, i, 8),
		};
		rc = cb(ud, &q);
	}
	PQclear(r);
	return rc;
}

static int quarantine_remove(struct vg_store *s, int64_t partner, int64_t id,
                             int64_t *n)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(vg__pg(s), &r,
	                    "DELETE FROM sync_quarantine WHERE partner = $1 AND"
	                    " ($2::int8 = 0 OR id = $2)",
	                    "ii", partner, id);
	if (!rc)
		*n = vg__pg_changes(r);
	PQclear(r);
	return rc;
}

static int quarantine_count(struct vg_store *s, int64_t partner, int64_t *n)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(vg__pg(s), &r,
	                    "SELECT COUNT(*) FROM sync_quarantine WHERE"
	                    " partner = $1",
	                    "i", partner);
	if (!rc)
		*n = vg__pg_int(r, 0, 0);
	PQclear(r);
	return rc;
}

static int prov_put(struct vg_store *s, const struct vg_prov_row *p)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(vg__pg(s), &r,
	                    "INSERT INTO sync_prov (date_added, origin, path,"
	                    " sig, unsigned) VALUES ($1, $2, $3, $4, $5)"
	                    " ON CONFLICT DO NOTHING",
	                    "ittti", p->date_added, p->origin, p->path,
	                    p->sig ? p->sig : "", (int64_t)p->unsigned_);
	if (!rc && !vg__pg_changes(r))
		rc = VG_EDUPLICATE;
	PQclear(r);
	return rc;
}

static int prov_get(struct vg_store *s, int64_t date_added, vg_prov_cb cb,
                    void *ud)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(vg__pg(s), &r,
	                    "SELECT origin, path, sig, unsigned FROM sync_prov"
	                    " WHERE date_added = $1",
	                    "i", date_added);
	if (!rc && PQntuples(r)) {
		struct vg_prov_row p = {
		    .date_added = date_added,
		    .origin = PQgetvalue(r, 0, 0),
		    .path = PQgetvalue(r, 0, 1),
		    .sig = PQgetvalue(r, 0, 2),
		    .unsigned_ = (int)vg__pg_int(r, 0, 3),
		};
		rc = cb(ud, &p);
	} else if (!rc) {
		rc = VG_ENOTFOUND;
	}
	PQclear(r);
	return rc;
}

static int tomb_add(struct vg_store *s, const struct vg_tomb_row *t,
                    int64_t *seq)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(
	    vg__pg(s), &r,
	    "INSERT INTO sync_tombstones (seq, origin, id, version, sig,"
	    " path, scope, grp, tlp, classification, collection, type,"
	    " created) SELECT COALESCE(MAX(seq), 0) + 1, $1, $2, $3, $4, $5,"
	    " $6, $7, $8, $9, $10, $11, $12 FROM sync_tombstones"
	    " ON CONFLICT DO NOTHING RETURNING seq",
	    "tttttiiiitti", t->origin, t->id, t->version, t->sig, t->path,
	    (int64_t)t->scope, t->grp, (int64_t)t->tlp,
	    (int64_t)t->classification, t->collection, t->type,
	    t->created ? t->created : now_us());
	if (!rc && !vg__pg_changes(r))
		rc = VG_EDUPLICATE;
	if (!rc)
		*seq = vg__pg_int(r, 0, 0);
	PQclear(r);
	return rc;
}

static int tomb_list(struct vg_store *s, int64_t after, size_t limit,
                     vg_tomb_cb cb, void *ud)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(
	    vg__pg(s), &r,
	    "SELECT seq, origin, id, version, sig, path, scope, grp, tlp,"
	    " classification, collection, type, created FROM sync_tombstones"
	    " WHERE seq > $1 ORDER BY seq LIMIT $2",
	    "ii", after, limit ? (int64_t)limit : INT64_MAX);
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		struct vg_tomb_row t = {
		    .seq = vg__pg_int(r, i, 0),
		    .origin = PQgetvalue(r, i, 1),
		    .id = PQgetvalue(r, i, 2),
		    .version = PQgetvalue(r, i, 3),
		    .sig = PQgetvalue(r, i, 4),
		    .path = PQgetvalue(r, i, 5),
		    .scope = (int)vg__pg_int(r, i, 6),
		    .grp = vg__pg_int(r, i, 7),
		    .tlp = (int)vg__pg_int(r, i, 8),
		    .classification = (int)vg__pg_int(r, i, 9),
		    .collection = PQgetvalue(r, i, 10),
		    .type = PQgetvalue(r, i, 11),
		    .created = vg__pg_int(r, i, 12),
		};
		rc = cb(ud, &t);
	}
	PQclear(r);
	return rc;
}

const struct vg_store_sync_ops vg__pg_sync_ops = {
    .partner_add = partner_add,
    .partner_update = partner_update,
    .partner_state = partner_state,
    .partner_find = partner_find,
    .partner_list = partner_list,
    .partner_remove = partner_remove,
    .cursor_get = cursor_get,
    .cursor_set = cursor_set,
    .quarantine_add = quarantine_add,
    .quarantine_list = quarantine_list,
    .quarantine_remove = quarantine_remove,
    .quarantine_count = quarantine_count,
    .prov_put = prov_put,
    .prov_get = prov_get,
    .tomb_add = tomb_add,
    .tomb_list = tomb_list,
};
