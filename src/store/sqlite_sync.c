/* Federation rows in SQLite (store/sync.h): partners, cursors, quarantine,
 * provenance. Kept and found only. */
#include "sqlite_int.h"

#include <stdint.h>
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

static void bind_secret(sqlite3_stmt *st, int i, const struct vg_partner_row *p)
{
	if (p->secret && p->secret_len)
		sqlite3_bind_blob(st, i, p->secret, (int)p->secret_len,
		                  SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static int partner_add(struct vg_store *s, const struct vg_partner_row *p,
                       int64_t *id)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(
	    q, &st,
	    "INSERT INTO sync_partners (name, url, direction, org,"
	    " hub_id, sign_pk, config, state, created) VALUES"
	    " (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
	    "ttiitttti", p->name, p->url, (int64_t)p->direction, p->org,
	    p->hub_id ? p->hub_id : "", p->sign_pk ? p->sign_pk : "", p->config,
	    p->state ? p->state : "{}", now_us());
	if (rc)
		return rc;
	rc = vg__sq_run(q, st, "add partner");
	if (rc)
		return rc;
	*id = sqlite3_last_insert_rowid(q->db);
	if (!p->secret)
		return VG_OK;
	rc = vg__sq_prep(
	    q, &st, "UPDATE sync_partners SET secret=?2 WHERE id=?1", "i", *id);
	if (rc)
		return rc;
	bind_secret(st, 2, p);
	return vg__sq_run(q, st, "partner secret");
}

static int partner_update(struct vg_store *s, const struct vg_partner_row *p)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st,
	                     "UPDATE sync_partners SET url=?2, direction=?3,"
	                     " hub_id=?4, sign_pk=?5, config=?6 WHERE id=?1",
	                     "itittt", p->id, p->url, (int64_t)p->direction,
	                     p->hub_id ? p->hub_id : "",
	                     p->sign_pk ? p->sign_pk : "", p->config);
	if (rc)
		return rc;
	rc = vg__sq_run(q, st, "update partner");
	if (rc)
		return rc;
	if (!sqlite3_changes(q->db))
		return VG_ENOTFOUND;
	rc = vg__sq_prep(q, &st,
	                 "UPDATE sync_partners SET secret=?2 WHERE id=?1", "i",
	                 p->id);
	if (rc)
		return rc;
	bind_secret(st, 2, p);
	return vg__sq_run(q, st, "partner secret");
}

static int partner_state(struct vg_store *s, int64_t id, const char *state)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc =
	    vg__sq_prep(q, &st, "UPDATE sync_partners SET state=?2 WHERE id=?1",
	                "it", id, state);
	return rc ? rc : vg__sq_run(q, st, "partner state");
}

#define PARTNER_COLS                                                           \
	"SELECT id, name, url, direction, org, hub_id, sign_pk, config,"       \
	" secret, state, created FROM sync_partners"

static int emit_partners(sq_t *q, sqlite3_stmt *st, vg_partner_cb cb, void *ud,
                         int *found)
{
	int step, rc = VG_OK;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct vg_partner_row p = {
		    .id = sqlite3_column_int64(st, 0),
		    .name = vg__sq_col(st, 1),
		    .url = vg__sq_col(st, 2),
		    .direction = sqlite3_column_int(st, 3),
		    .org = sqlite3_column_int64(st, 4),
		    .hub_id = vg__sq_col(st, 5),
		    .sign_pk = vg__sq_col(st, 6),
		    .config = vg__sq_col(st, 7),
		    .secret = sqlite3_column_blob(st, 8),
		    .secret_len = (size_t)sqlite3_column_bytes(st, 8),
		    .state = vg__sq_col(st, 9),
		    .created = sqlite3_column_int64(st, 10),
		};
		if (found)
			*found = 1;
		if ((rc = cb(ud, &p)))
			break;
	}
	if (!rc && step != SQLITE_DONE && step != SQLITE_ROW)
		rc = vg__sq_fail(q, "read partners");
	vg__sq_release(q, st);
	return rc;
}

static int partner_find(struct vg_store *s, const char *name, int64_t id,
                        vg_partner_cb cb, void *ud)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int found = 0;
	int rc =
	    name ? vg__sq_prep(q, &st, PARTNER_COLS " WHERE name=?1", "t", name)
	         : vg__sq_prep(q, &st, PARTNER_COLS " WHERE id=?1", "i", id);
	if (rc)
		return rc;
	rc = emit_partners(q, st, cb, ud, &found);
	return rc ? rc : found ? VG_OK : VG_ENOTFOUND;
}

static int partner_list(struct vg_store *s, vg_partner_cb cb, void *ud)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st, PARTNER_COLS " ORDER BY name", NULL);
	return rc ? rc : emit_partners(q, st, cb, ud, NULL);
}

static int partner_remove(struct vg_store *s, int64_t id)
{
	static const char *const sql[] = {
	    "DELETE FROM sync_cursors WHERE partner=?1",
	    "DELETE FROM sync_quarantine WHERE partner=?1",
	    "DELETE FROM sync_partners WHERE id=?1",
	};
	sq_t *q = vg__sq(s);
	for (size_t i = 0; i < 3; i++) {
		sqlite3_stmt *st;
		int rc = vg__sq_prep(q, &st, sql[i], "i", id);
		if (!rc)
			rc = vg__sq_run(q, st, "remove partner");
		if (rc)
			return rc;
	}
	return sqlite3_changes(q->db) ? VG_OK : VG_ENOTFOUND;
}

static int cursor_get(struct vg_store *s, int64_t partner, const char *key,
                      char **value)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc =
	    vg__sq_prep(q, &st,
	                "SELECT value FROM sync_cursors WHERE partner=?1 AND"
	                " key=?2",
	                "it", partner, key);
	if (rc)
		return rc;
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*value = strdup(vg__sq_col(st, 0));
		rc = *value ? VG_OK : VG_ENOMEM;
	} else {
		rc = step == SQLITE_DONE ? VG_ENOTFOUND
		                         : vg__sq_fail(q, "cursor");
	}
	vg__sq_release(q, st);
	return rc;
}

static int cursor_set(struct vg_store *s, int64_t partner, const char *key,
                      const char *value)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc =
	    vg__sq_prep(q, &st,
	                "INSERT INTO sync_cursors (partner, key, value) VALUES"
	                " (?1,?2,?3) ON CONFLICT (partner, key) DO UPDATE SET"
	                " value=excluded.value",
	                "itt", partner, key, value);
	return rc ? rc : vg__sq_run(q, st, "set cursor");
}

static int quarantine_add(struct vg_store *s, const struct vg_quarantine_row *r)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(
	    q, &st,
	    "INSERT INTO sync_quarantine (partner, created,"
	    " collection, object_id, version, reason, json, prov)"
	    " VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
	    "iittttt", r->partner, r->created ? r->created : now_us(),
	    r->collection ? r->collection : "",
	    r->object_id ? r->object_id : "", r->version ? r->version : "",
	    r->reason, r->json);
	if (rc)
		return rc;
	vg__sq_bind_text(st, 8, r->prov ? r->prov : "");
	return vg__sq_run(q, st, "quarantine");
}

static int quarantine_list(struct vg_store *s, int64_t partner, int64_t id,
                           vg_quarantine_cb cb, void *ud)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int step, rc = vg__sq_prep(
	              q, &st,
	              "SELECT id, partner, created, collection, object_id,"
	              " version, reason, json, prov FROM sync_quarantine"
	              " WHERE partner=?1 AND (?2 = 0 OR id=?2) ORDER BY id",
	              "ii", partner, id);
	if (rc)
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct vg_quarantine_row r = {
		    .id = sqlite3_column_int64(st, 0),
		    .partner = sqlite3_column_int64(st, 1),
		    .created = sqlite3_column_int64(st, 2),
		    .collection = vg__sq_col(st, 3),
		    .object_id = vg__sq_col(st, 4),
		    .version = vg__sq_col(st, 5),
		    .reason = vg__sq_col(st, 6),
		    .json = vg__sq_col(st, 7),
		    .prov = vg__sq_col(st, 8),
		};
		if ((rc = cb(ud, &r)))
			break;
	}
	if (!rc && step != SQLITE_DONE && step != SQLITE_ROW)
		rc = vg__sq_fail(q, "read quarantine");
	vg__sq_release(q, st);
	return rc;
}

static int quarantine_remove(struct vg_store *s, int64_t partner, int64_t id,
                             int64_t *n)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st,
	                     "DELETE FROM sync_quarantine WHERE partner=?1 AND"
	                     " (?2 = 0 OR id=?2)",
	                     "ii", partner, id);
	if (!rc)
		rc = vg__sq_run(q, st, "drop quarantine");
	if (!rc)
		*n = sqlite3_changes(q->db);
	return rc;
}

static int quarantine_count(struct vg_store *s, int64_t partner, int64_t *n)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(
	    q, &st, "SELECT COUNT(*) FROM sync_quarantine WHERE partner=?1",
	    "i", partner);
	if (rc)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	else
		rc = vg__sq_fail(q, "count quarantine");
	vg__sq_release(q, st);
	return rc;
}

static int prov_put(struct vg_store *s, const struct vg_prov_row *p)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(
	    q, &st,
	    "INSERT INTO sync_prov (date_added, origin, path, sig,"
	    " unsigned) VALUES (?1,?2,?3,?4,?5)",
	    "ittt", p->date_added, p->origin, p->path, p->sig ? p->sig : "");
	if (rc)
		return rc;
	sqlite3_bind_int(st, 5, p->unsigned_);
	return vg__sq_run(q, st, "provenance");
}

static int prov_get(struct vg_store *s, int64_t date_added, vg_prov_cb cb,
                    void *ud)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st,
	                     "SELECT origin, path, sig, unsigned FROM sync_prov"
	                     " WHERE date_added=?1",
	                     "i", date_added);
	if (rc)
		return rc;
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		struct vg_prov_row p = {
		    .date_added = date_added,
		    .origin = vg__sq_col(st, 0),
		    .path = vg__sq_col(st, 1),
		    .sig = vg__sq_col(st, 2),
		    .unsigned_ = sqlite3_column_int(st, 3),
		};
		rc = cb(ud, &p);
	} else {
		rc = step == SQLITE_DONE ? VG_ENOTFOUND
		                         : vg__sq_fail(q, "provenance");
	}
	vg__sq_release(q, st);
	return rc;
}

static int tomb_add(struct vg_store *s, const struct vg_tomb_row *t,
                    int64_t *seq)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc =
	    vg__sq_prep(q, &st,
	                "INSERT INTO sync_tombstones (origin, id, version, sig,"
	                " path, scope, grp, tlp, classification, collection,"
	                " type, created) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,"
	                "?10,?11,?12)",
	                "tttttiiiitti", t->origin, t->id, t->version, t->sig,
	                t->path, (int64_t)t->scope, t->grp, (int64_t)t->tlp,
	                (int64_t)t->classification, t->collection, t->type,
	                t->created ? t->created : now_us());
	if (rc)
		return rc;
	rc = vg__sq_run(q, st, "tombstone");
	if (!rc)
		*seq = sqlite3_last_insert_rowid(q->db);
	return rc;
}

static int tomb_list(struct vg_store *s, int64_t after, size_t limit,
                     vg_tomb_cb cb, void *ud)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int step,
	    rc =
	        vg__sq_prep(q, &st,
	                    "SELECT seq, origin, id, version, sig, path, scope,"
	                    " grp, tlp, classification, collection, type,"
	                    " created FROM sync_tombstones WHERE seq > ?1"
	                    " ORDER BY seq LIMIT ?2",
	                    "ii", after, limit ? (int64_t)limit : INT64_MAX);
	if (rc)
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct vg_tomb_row t = {
		    .seq = sqlite3_column_int64(st, 0),
		    .origin = vg__sq_col(st, 1),
		    .id = vg__sq_col(st, 2),
		    .version = vg__sq_col(st, 3),
		    .sig = vg__sq_col(st, 4),
		    .path = vg__sq_col(st, 5),
		    .scope = sqlite3_column_int(st, 6),
		    .grp = sqlite3_column_int64(st, 7),
		    .tlp = sqlite3_column_int(st, 8),
		    .classification = sqlite3_column_int(st, 9),
		    .collection = vg__sq_col(st, 10),
		    .type = vg__sq_col(st, 11),
		    .created = sqlite3_column_int64(st, 12),
		};
		if ((rc = cb(ud, &t)))
			break;
	}
	if (!rc && step != SQLITE_DONE && step != SQLITE_ROW)
		rc = vg__sq_fail(q, "read tombstones");
	vg__sq_release(q, st);
	return rc;
}

const struct vg_store_sync_ops vg__sq_sync_ops = {
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
