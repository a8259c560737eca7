/* The hub's rows in PostgreSQL: settings, organisations, users, keys,
 * sharing groups and collections. Ids are the next after the largest, as
 * SQLite's rowids are (writes hold the hub's write lock, so no two
 * writers pick the same), which keeps them equal across a migration and
 * free of the gaps a sequence leaves. */
#include "pg_int.h"

#include <stdarg.h>
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

/* Run an INSERT ... ON CONFLICT DO NOTHING [RETURNING id]: VG_EDUPLICATE
 * when nothing was inserted; *id (may be NULL) from the returned row.
 * fmt as vg__pg_run's: 't', 'i', 'b'. */
static int insert_new(pg_t *p, int64_t *id, const char *sql, const char *fmt,
                      ...)
{
	struct vg__pg_arg a[8];
	int n = 0;
	va_list ap;
	va_start(ap, fmt);
	for (; *fmt && n < 8; fmt++, n++) {
		memset(&a[n], 0, sizeof(a[n]));
		if (*fmt == 't') {
			a[n].p = va_arg(ap, const char *);
		} else if (*fmt == 'b') {
			a[n].p = va_arg(ap, const char *);
			a[n].len = VG_HASH_LEN;
			a[n].binary = 1;
		} else {
			snprintf(a[n].num, sizeof(a[n].num), "%lld",
			         (long long)va_arg(ap, int64_t));
			a[n].p = a[n].num;
		}
	}
	va_end(ap);
	PGresult *r = NULL;
	int rc = vg__pg_runv(p, &r, sql, n, a);
	if (!rc && !vg__pg_changes(r))
		rc = VG_EDUPLICATE;
	if (!rc && id)
		*id = vg__pg_int(r, 0, 0);
	PQclear(r);
	return rc;
}

/* ---- settings -------------------------------------------------------- */

static int hub_get(struct vg_store *s, const char *key, char **value)
{
	pg_t *p = vg__pg(s);
	PGresult *r = NULL;
	int rc =
	    vg__pg_run(p, &r, "SELECT value FROM hub WHERE key = $1", "t", key);
	if (!rc && PQntuples(r)) {
		*value = strdup(PQgetvalue(r, 0, 0));
		rc = *value ? VG_OK : VG_ENOMEM;
	} else if (!rc) {
		rc = VG_ENOTFOUND;
	}
	PQclear(r);
	return rc;
}

static int hub_set(struct vg_store *s, const char *key, const char *value)
{
	return vg__pg_queue(
	    vg__pg(s),
	    "INSERT INTO hub (key, value) VALUES ($1, $2)"
	    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	    "tt", key, value);
}

/* ---- organisations --------------------------------------------------- */

static int org_add(struct vg_store *s, const char *name, const char *identity,
                   int64_t *id)
{
	return insert_new(
	    vg__pg(s), id,
	    "INSERT INTO orgs (id, name, identity, created) SELECT"
	    " COALESCE(MAX(id), 0) + 1, $1, $2, $3 FROM orgs"
	    " ON CONFLICT DO NOTHING RETURNING id",
	    "tti", name, identity, now_us());
}

static int org_rows(PGresult *r, vg_org_cb cb, void *ud)
{
	int rc = VG_OK;
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		struct vg_org o = {
		    .id = vg__pg_int(r, i, 0),
		    .name = PQgetvalue(r, i, 1),
		    .identity = PQgetvalue(r, i, 2),
		    .created = vg__pg_int(r, i, 3),
		};
		rc = cb(ud, &o);
	}
	return rc;
}

static int org_find(struct vg_store *s, const char *name, int64_t id,
                    vg_org_cb cb, void *ud)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(vg__pg(s), &r,
	                    "SELECT id, name, identity, created FROM orgs"
	                    " WHERE name = $1 OR id = $2",
	                    "ti", name, id);
	if (!rc)
		rc = PQntuples(r) ? org_rows(r, cb, ud) : VG_ENOTFOUND;
	PQclear(r);
	return rc;
}

static int org_list(struct vg_store *s, vg_org_cb cb, void *ud)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(
	    vg__pg(s), &r,
	    "SELECT id, name, identity, created FROM orgs ORDER BY id", NULL);
	if (!rc)
		rc = org_rows(r, cb, ud);
	PQclear(r);
	return rc;
}

/* ---- users ----------------------------------------------------------- */

static int user_add(struct vg_store *s, const char *name, int64_t org, int role,
                    int clearance, int64_t *id)
{
	return insert_new(
	    vg__pg(s), id,
	    "INSERT INTO users (id, name, org, role, clearance,"
	    " created) SELECT COALESCE(MAX(id), 0) + 1, $1, $2, $3,"
	    " $4, $5 FROM users ON CONFLICT DO NOTHING RETURNING id",
	    "tiiii", name, org, (int64_t)role, (int64_t)clearance, now_us());
}

#define USER_SQL                                                               \
	"SELECT u.id, u.name, u.org, o.name, u.role, u.clearance, u.disabled," \
	" u.created FROM users u JOIN orgs o ON o.id = u.org"

static int user_rows(PGresult *r, vg_user_cb cb, void *ud)
{
	int rc = VG_OK;
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		struct vg_user u = {
		    .id = vg__pg_int(r, i, 0),
		    .name = PQgetvalue(r, i, 1),
		    .org = vg__pg_int(r, i, 2),
		    .org_name = PQgetvalue(r, i, 3),
		    .role = (int)vg__pg_int(r, i, 4),
		    .clearance = (int)vg__pg_int(r, i, 5),
		    .disabled = (int)vg__pg_int(r, i, 6),
		    .created = vg__pg_int(r, i, 7),
		};
		rc = cb(ud, &u);
	}
	return rc;
}

static int user_find(struct vg_store *s, const char *name, int64_t id,
                     vg_user_cb cb, void *ud)
{
	pg_t *p = vg__pg(s);
	PGresult *r = NULL;
	int rc;
	if (!name && vg__pg_ahead_user(p, id, cb, ud, &rc))
		return rc;
	/* one statement per form: the planner cannot pick an index for
	 * "name = $1 OR id = $2" once for every call, so that form would be
	 * planned again at each */
	if (!name)
		rc = vg__pg_run(p, &r, USER_SQL " WHERE u.id = $1", "i", id);
	else if (!id)
		rc = vg__pg_run(p, &r, USER_SQL " WHERE u.name = $1", "t",
		                name);
	else
		rc = vg__pg_run(p, &r,
		                USER_SQL " WHERE u.name = $1 OR u.id = $2",
		                "ti", name, id);
	if (!rc)
		rc = PQntuples(r) ? user_rows(r, cb, ud) : VG_ENOTFOUND;
	PQclear(r);
	return rc;
}

static int user_list(struct vg_store *s, int64_t org, vg_user_cb cb, void *ud)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(vg__pg(s), &r,
	                    USER_SQL
	                    " WHERE $1::int8 = 0 OR u.org = $1 ORDER BY u.id",
	                    "i", org);
	if (!rc)
		rc = user_rows(r, cb, ud);
	PQclear(r);
	return rc;
}

static int user_set_disabled(struct vg_store *s, int64_t id, int disabled)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(vg__pg(s), &r,
	                    "UPDATE users SET disabled = $1 WHERE id = $2",
	                    "ii", (int64_t)disabled, id);
	if (!rc && !vg__pg_changes(r))
		rc = VG_ENOTFOUND;
	PQclear(r);
	return rc;
}

/* ---- keys ------------------------------------------------------------ */

static int key_add(struct vg_store *s, const char *id, int64_t user,
                   const unsigned char hash[VG_HASH_LEN], int64_t expires)
{
	return insert_new(
	    vg__pg(s), NULL,
	    "INSERT INTO keys (id, \"user\", hash, created, expires)"
	    " VALUES ($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING",
	    "tibii", id, user, hash, now_us(), expires);
}

static int key_rows(PGresult *r, vg_key_cb cb, void *ud, int *found)
{
	int rc = VG_OK;
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		unsigned char hash[VG_HASH_LEN];
		if (vg__pg_bytes(r, i, 3, hash, VG_HASH_LEN))
			continue; /* a damaged row never authenticates */
		struct vg_key k = {
		    .id = PQgetvalue(r, i, 0),
		    .user = vg__pg_int(r, i, 1),
		    .user_name = PQgetvalue(r, i, 2),
		    .hash = hash,
		    .created = vg__pg_int(r, i, 4),
		    .expires = vg__pg_int(r, i, 5),
		    .revoked = (int)vg__pg_int(r, i, 6),
		};
		if (found)
			*found = 1;
		rc = cb(ud, &k);
	}
	return rc;
}

#define KEY_SQL                                                                \
	"SELECT k.id, k.\"user\", u.name, k.hash, k.created, k.expires,"       \
	" k.revoked FROM keys k JOIN users u ON u.id = k.\"user\""

static int key_list(struct vg_store *s, int64_t org, vg_key_cb cb, void *ud)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(
	    vg__pg(s), &r,
	    KEY_SQL
	    " WHERE $1::int8 = 0 OR u.org = $1 ORDER BY k.created, k.id",
	    "i", org);
	if (!rc)
		rc = key_rows(r, cb, ud, NULL);
	PQclear(r);
	return rc;
}

static int key_revoke(struct vg_store *s, const char *id)
{
	PGresult *r = NULL;
	int rc =
	    vg__pg_run(vg__pg(s), &r,
	               "UPDATE keys SET revoked = 1 WHERE id = $1", "t", id);
	if (!rc && !vg__pg_changes(r))
		rc = VG_ENOTFOUND;
	PQclear(r);
	return rc;
}

/* ---- sharing groups -------------------------------------------------- */

static int group_add(struct vg_store *s, const char *name, int64_t *id)
{
	return insert_new(vg__pg(s), id,
	                  "INSERT INTO groups (id, name, created) SELECT"
	                  " COALESCE(MAX(id), 0) + 1, $1, $2 FROM groups"
	                  " ON CONFLICT DO NOTHING RETURNING id",
	                  "ti", name, now_us());
}

static int group_find(struct vg_store *s, const char *name, int64_t *id)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(vg__pg(s), &r,
	                    "SELECT id FROM groups WHERE name = $1", "t", name);
	if (!rc && PQntuples(r))
		*id = vg__pg_int(r, 0, 0);
	else if (!rc)
		rc = VG_ENOTFOUND;
	PQclear(r);
	return rc;
}

static int group_member(struct vg_store *s, int64_t grp, int64_t org, int add)
{
	pg_t *p = vg__pg(s);
	if (add)
		return insert_new(
		    p, NULL,
		    "INSERT INTO group_members (grp, org) VALUES ($1, $2)"
		    " ON CONFLICT DO NOTHING",
		    "ii", grp, org);
	PGresult *r = NULL;
	int rc = vg__pg_run(
	    p, &r, "DELETE FROM group_members WHERE grp = $1 AND org = $2",
	    "ii", grp, org);
	if (!rc && !vg__pg_changes(r))
		rc = VG_ENOTFOUND;
	PQclear(r);
	return rc;
}

static int group_list(struct vg_store *s, vg_group_cb cb, void *ud)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(vg__pg(s), &r,
	                    "SELECT g.id, g.name, g.created, COALESCE((SELECT"
	                    " string_agg(o.name, ',' ORDER BY o.name) FROM"
	                    " group_members m JOIN orgs o ON o.id = m.org WHERE"
	                    " m.grp = g.id), '') FROM groups g ORDER BY g.id",
	                    NULL);
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		struct vg_group g = {
		    .id = vg__pg_int(r, i, 0),
		    .name = PQgetvalue(r, i, 1),
		    .created = vg__pg_int(r, i, 2),
		};
		rc = cb(ud, &g, PQgetvalue(r, i, 3));
	}
	PQclear(r);
	return rc;
}

static int groups_of(struct vg_store *s, int64_t org, int64_t **ids, size_t *n)
{
	PGresult *r = NULL;
	int rc;
	if (vg__pg_ahead_ids(vg__pg(s), 0, org, ids, n, &rc))
		return rc;
	rc = vg__pg_run(
	    vg__pg(s), &r,
	    "SELECT grp FROM group_members WHERE org = $1 ORDER BY grp", "i",
	    org);
	if (rc)
		return rc;
	size_t len = (size_t)PQntuples(r);
	int64_t *v = len ? malloc(len * sizeof(*v)) : NULL;
	if (len && !v)
		rc = VG_ENOMEM;
	for (size_t i = 0; !rc && i < len; i++)
		v[i] = vg__pg_int(r, (int)i, 0);
	PQclear(r);
	if (rc)
		return rc;
	*ids = v;
	*n = len;
	return VG_OK;
}

/* ---- collections ----------------------------------------------------- */

static int collection_add(struct vg_store *s, const struct vg_collection *c)
{
	return insert_new(
	    vg__pg(s), NULL,
	    "INSERT INTO collections (id, alias, title, description,"
	    " scope, org, grp, position) SELECT $1, $2, $3, $4, $5,"
	    " $6, $7, COALESCE(MAX(position), 0) + 1 FROM collections"
	    " ON CONFLICT DO NOTHING",
	    "ttttiii", c->id, c->alias, c->title, c->description,
	    (int64_t)c->scope, c->org, c->grp);
}

static int collection_rows(PGresult *r, vg_collection_cb cb, void *ud)
{
	int rc = VG_OK;
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		struct vg_collection c = {
		    .id = PQgetvalue(r, i, 0),
		    .alias = PQgetvalue(r, i, 1),
		    .title = PQgetvalue(r, i, 2),
		    .description = PQgetvalue(r, i, 3),
		    .scope = (int)vg__pg_int(r, i, 4),
		    .org = vg__pg_int(r, i, 5),
		    .grp = vg__pg_int(r, i, 6),
		    .position = (int)vg__pg_int(r, i, 7),
		};
		rc = cb(ud, &c);
	}
	return rc;
}

#define COLL_SQL                                                               \
	"SELECT id, alias, title, description, scope, org, grp, position"      \
	" FROM collections"

static int collection_find(struct vg_store *s, const char *key,
                           vg_collection_cb cb, void *ud)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(vg__pg(s), &r,
	                    COLL_SQL " WHERE id = $1 OR alias = $1", "t", key);
	if (!rc)
		rc = PQntuples(r) ? collection_rows(r, cb, ud) : VG_ENOTFOUND;
	PQclear(r);
	return rc;
}

static int collection_list(struct vg_store *s, vg_collection_cb cb, void *ud)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(vg__pg(s), &r, COLL_SQL " ORDER BY position", NULL);
	if (!rc)
		rc = collection_rows(r, cb, ud);
	PQclear(r);
	return rc;
}

const struct vg_store_hub_ops vg__pg_hub_ops = {
    .get = hub_get,
    .set = hub_set,
    .org_add = org_add,
    .org_find = org_find,
    .org_list = org_list,
    .user_add = user_add,
    .user_find = user_find,
    .user_list = user_list,
    .user_set_disabled = user_set_disabled,
    .key_add = key_add,
    .key_find = vg__pg_key_find,
    .key_list = key_list,
    .key_revoke = key_revoke,
};

const struct vg_store_sharing_ops vg__pg_sharing_ops = {
    .group_add = group_add,
    .group_find = group_find,
    .group_member = group_member,
    .group_list = group_list,
    .groups_of = groups_of,
    .collection_add = collection_add,
    .collection_find = collection_find,
    .collection_list = collection_list,
};
