/* The hub's rows in SQLite: settings, organisations, users, keys, sharing
 * groups and collections. */
#include "sqlite_int.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct vg__sq sq_t;

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---- settings -------------------------------------------------------- */

static int hub_get(struct vg_store *s, const char *key, char **value)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st, "SELECT value FROM hub WHERE key=?1", "t", key);
	if (rc)
		return rc;
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*value = strdup(vg__sq_col(st, 0));
		rc = *value ? VG_OK : VG_ENOMEM;
	} else {
		rc = step == SQLITE_DONE ? VG_ENOTFOUND : vg__sq_fail(q, "hub get");
	}
	vg__sq_release(q, st);
	return rc;
}

static int hub_set(struct vg_store *s, const char *key, const char *value)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st,
		      "INSERT INTO hub (key, value) VALUES (?1, ?2)"
		      " ON CONFLICT(key) DO UPDATE SET value=excluded.value",
		      "tt", key, value);
	return rc ? rc : vg__sq_run(q, st, "hub set");
}

/* ---- organisations --------------------------------------------------- */

static int org_add(struct vg_store *s, const char *name, const char *identity,
		   int64_t *id)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st,
		      "INSERT INTO orgs (name, identity, created) VALUES (?1,?2,?3)",
		      "tti", name, identity, now_us());
	if (rc || (rc = vg__sq_run(q, st, "add organisation")))
		return rc;
	*id = sqlite3_last_insert_rowid(q->db);
	return VG_OK;
}

static int org_rows(sq_t *q, sqlite3_stmt *st, vg_org_cb cb, void *ud,
		    int *found)
{
	int step, rc = VG_OK;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct vg_org o = {
			.id = sqlite3_column_int64(st, 0),
			.name = vg__sq_col(st, 1),
			.identity = vg__sq_col(st, 2),
			.created = sqlite3_column_int64(st, 3),
		};
		if (found)
			*found = 1;
		if ((rc = cb(ud, &o)))
			break;
	}
	if (!rc && step != SQLITE_DONE)
		rc = vg__sq_fail(q, "read organisations");
	vg__sq_release(q, st);
	return rc;
}

static int org_find(struct vg_store *s, const char *name, int64_t id,
		    vg_org_cb cb, void *ud)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int found = 0;
	int rc = vg__sq_prep(q, &st,
		      "SELECT id, name, identity, created FROM orgs"
		      " WHERE name=?1 OR id=?2",
		      "ti", name, id);
	if (!rc)
		rc = org_rows(q, st, cb, ud, &found);
	return rc ? rc : found ? VG_OK : VG_ENOTFOUND;
}

static int org_list(struct vg_store *s, vg_org_cb cb, void *ud)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st, "SELECT id, name, identity, created FROM orgs"
			      " ORDER BY id", NULL);
	return rc ? rc : org_rows(q, st, cb, ud, NULL);
}

/* ---- users ----------------------------------------------------------- */

static int user_add(struct vg_store *s, const char *name, int64_t org,
		    int role, int clearance, int64_t *id)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st,
		      "INSERT INTO users (name, org, role, clearance, created)"
		      " VALUES (?1,?2,?3,?4,?5)",
		      "tiiii", name, org, (int64_t)role, (int64_t)clearance,
		      now_us());
	if (rc || (rc = vg__sq_run(q, st, "add user")))
		return rc;
	*id = sqlite3_last_insert_rowid(q->db);
	return VG_OK;
}

#define USER_SQL                                                             \
	"SELECT u.id, u.name, u.org, o.name, u.role, u.clearance, u.disabled," \
	" u.created FROM users u JOIN orgs o ON o.id = u.org"

static int user_rows(sq_t *q, sqlite3_stmt *st, vg_user_cb cb, void *ud,
		     int *found)
{
	int step, rc = VG_OK;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct vg_user u = {
			.id = sqlite3_column_int64(st, 0),
			.name = vg__sq_col(st, 1),
			.org = sqlite3_column_int64(st, 2),
			.org_name = vg__sq_col(st, 3),
			.role = sqlite3_column_int(st, 4),
			.clearance = sqlite3_column_int(st, 5),
			.disabled = sqlite3_column_int(st, 6),
			.created = sqlite3_column_int64(st, 7),
		};
		if (found)
			*found = 1;
		if ((rc = cb(ud, &u)))
			break;
	}
	if (!rc && step != SQLITE_DONE)
		rc = vg__sq_fail(q, "read users");
	vg__sq_release(q, st);
	return rc;
}

static int user_find(struct vg_store *s, const char *name, int64_t id,
		     vg_user_cb cb, void *ud)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int found = 0;
	int rc = vg__sq_prep(q, &st, USER_SQL " WHERE u.name=?1 OR u.id=?2", "ti",
		      name, id);
	if (!rc)
		rc = user_rows(q, st, cb, ud, &found);
	return rc ? rc : found ? VG_OK : VG_ENOTFOUND;
}

static int user_list(struct vg_store *s, int64_t org, vg_user_cb cb, void *ud)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st, USER_SQL " WHERE ?1 = 0 OR u.org = ?1"
				     " ORDER BY u.id", "i", org);
	return rc ? rc : user_rows(q, st, cb, ud, NULL);
}

static int user_set_disabled(struct vg_store *s, int64_t id, int disabled)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st, "UPDATE users SET disabled=?1 WHERE id=?2", "ii",
		      (int64_t)disabled, id);
	if (rc || (rc = vg__sq_run(q, st, "disable user")))
		return rc;
	return sqlite3_changes(q->db) ? VG_OK : VG_ENOTFOUND;
}

/* ---- keys ------------------------------------------------------------ */

static int key_add(struct vg_store *s, const char *id, int64_t user,
		   const unsigned char hash[VG_HASH_LEN], int64_t expires)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st,
		      "INSERT INTO keys (id, user, hash, created, expires)"
		      " VALUES (?1,?2,?3,?4,?5)",
		      "tibii", id, user, hash, now_us(), expires);
	return rc ? rc : vg__sq_run(q, st, "add key");
}

static int key_rows(sq_t *q, sqlite3_stmt *st, vg_key_cb cb, void *ud,
		    int *found)
{
	int step, rc = VG_OK;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_bytes(st, 3) != VG_HASH_LEN)
			continue; /* a damaged row never authenticates */
		struct vg_key k = {
			.id = vg__sq_col(st, 0),
			.user = sqlite3_column_int64(st, 1),
			.user_name = vg__sq_col(st, 2),
			.hash = sqlite3_column_blob(st, 3),
			.created = sqlite3_column_int64(st, 4),
			.expires = sqlite3_column_int64(st, 5),
			.revoked = sqlite3_column_int(st, 6),
		};
		if (found)
			*found = 1;
		if ((rc = cb(ud, &k)))
			break;
	}
	if (!rc && step != SQLITE_DONE)
		rc = vg__sq_fail(q, "read keys");
	vg__sq_release(q, st);
	return rc;
}

#define KEY_SQL                                                              \
	"SELECT k.id, k.user, u.name, k.hash, k.created, k.expires, k.revoked" \
	" FROM keys k JOIN users u ON u.id = k.user"

static int key_find(struct vg_store *s, const char *id, vg_key_cb cb, void *ud)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int found = 0;
	int rc = vg__sq_prep(q, &st, KEY_SQL " WHERE k.id=?1", "t", id);
	if (!rc)
		rc = key_rows(q, st, cb, ud, &found);
	return rc ? rc : found ? VG_OK : VG_ENOTFOUND;
}

static int key_list(struct vg_store *s, int64_t org, vg_key_cb cb, void *ud)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st, KEY_SQL " WHERE ?1 = 0 OR u.org = ?1"
				     " ORDER BY k.created, k.id", "i", org);
	return rc ? rc : key_rows(q, st, cb, ud, NULL);
}

static int key_revoke(struct vg_store *s, const char *id)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st, "UPDATE keys SET revoked=1 WHERE id=?1", "t", id);
	if (rc || (rc = vg__sq_run(q, st, "revoke key")))
		return rc;
	return sqlite3_changes(q->db) ? VG_OK : VG_ENOTFOUND;
}

/* ---- sharing groups ---------------------------------------------------- */

static int group_add(struct vg_store *s, const char *name, int64_t *id)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st, "INSERT INTO groups (name, created) VALUES (?1,?2)",
		      "ti", name, now_us());
	if (rc || (rc = vg__sq_run(q, st, "add group")))
		return rc;
	*id = sqlite3_last_insert_rowid(q->db);
	return VG_OK;
}

static int group_find(struct vg_store *s, const char *name, int64_t *id)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st, "SELECT id FROM groups WHERE name=?1", "t", name);
	if (rc)
		return rc;
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	rc = step == SQLITE_ROW    ? VG_OK
	     : step == SQLITE_DONE ? VG_ENOTFOUND
				   : vg__sq_fail(q, "find group");
	vg__sq_release(q, st);
	return rc;
}

static int group_member(struct vg_store *s, int64_t grp, int64_t org, int add)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st,
		      add ? "INSERT INTO group_members (grp, org) VALUES (?1,?2)"
			  : "DELETE FROM group_members WHERE grp=?1 AND org=?2",
		      "ii", grp, org);
	if (rc || (rc = vg__sq_run(q, st, "group member")))
		return rc;
	return add || sqlite3_changes(q->db) ? VG_OK : VG_ENOTFOUND;
}

static int group_list(struct vg_store *s, vg_group_cb cb, void *ud)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int step;
	int rc = vg__sq_prep(q, &st,
		      "SELECT g.id, g.name, g.created, COALESCE((SELECT"
		      " group_concat(name, ',') FROM (SELECT o.name FROM"
		      " group_members m JOIN orgs o ON o.id = m.org WHERE"
		      " m.grp = g.id ORDER BY o.name)), '') FROM groups g"
		      " ORDER BY g.id",
		      NULL);
	if (rc)
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct vg_group g = {
			.id = sqlite3_column_int64(st, 0),
			.name = vg__sq_col(st, 1),
			.created = sqlite3_column_int64(st, 2),
		};
		if ((rc = cb(ud, &g, vg__sq_col(st, 3))))
			break;
	}
	if (!rc && step != SQLITE_DONE)
		rc = vg__sq_fail(q, "read groups");
	vg__sq_release(q, st);
	return rc;
}

static int groups_of(struct vg_store *s, int64_t org, int64_t **ids, size_t *n)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st, "SELECT grp FROM group_members WHERE org=?1"
			      " ORDER BY grp", "i", org);
	return rc ? rc : vg__sq_ints(q, st, "read group members", ids, n);
}

/* ---- collections ----------------------------------------------------- */

static int collection_add(struct vg_store *s, const struct vg_collection *c)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st,
		      "INSERT INTO collections (id, alias, title, description,"
		      " scope, org, grp, position) VALUES (?1,?2,?3,?4,?5,?6,?7,"
		      " (SELECT COALESCE(MAX(position), 0) + 1 FROM collections))",
		      "ttttiii", c->id, c->alias, c->title, c->description,
		      (int64_t)c->scope, c->org, c->grp);
	return rc ? rc : vg__sq_run(q, st, "add collection");
}

static int collection_rows(sq_t *q, sqlite3_stmt *st, vg_collection_cb cb,
			   void *ud, int *found)
{
	int step, rc = VG_OK;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct vg_collection c = {
			.id = vg__sq_col(st, 0),
			.alias = vg__sq_col(st, 1),
			.title = vg__sq_col(st, 2),
			.description = vg__sq_col(st, 3),
			.scope = sqlite3_column_int(st, 4),
			.org = sqlite3_column_int64(st, 5),
			.grp = sqlite3_column_int64(st, 6),
			.position = sqlite3_column_int(st, 7),
		};
		if (found)
			*found = 1;
		if ((rc = cb(ud, &c)))
			break;
	}
	if (!rc && step != SQLITE_DONE)
		rc = vg__sq_fail(q, "read collections");
	vg__sq_release(q, st);
	return rc;
}

#define COLL_SQL                                                             \
	"SELECT id, alias, title, description, scope, org, grp, position"     \
	" FROM collections"

static int collection_find(struct vg_store *s, const char *key,
			   vg_collection_cb cb, void *ud)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int found = 0;
	int rc = vg__sq_prep(q, &st, COLL_SQL " WHERE id=?1 OR alias=?1", "t", key);
	if (!rc)
		rc = collection_rows(q, st, cb, ud, &found);
	return rc ? rc : found ? VG_OK : VG_ENOTFOUND;
}

static int collection_list(struct vg_store *s, vg_collection_cb cb, void *ud)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st, COLL_SQL " ORDER BY position", NULL);
	return rc ? rc : collection_rows(q, st, cb, ud, NULL);
}

const struct vg_store_hub_ops vg__sq_hub_ops = {
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
	.key_find = key_find,
	.key_list = key_list,
	.key_revoke = key_revoke,
};

const struct vg_store_sharing_ops vg__sq_sharing_ops = {
	.group_add = group_add,
	.group_find = group_find,
	.group_member = group_member,
	.group_list = group_list,
	.groups_of = groups_of,
	.collection_add = collection_add,
	.collection_find = collection_find,
	.collection_list = collection_list,
};
