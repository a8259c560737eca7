/* Early warning's rows in PostgreSQL (store/warn.h), as in SQLite
 * (sqlite_warn.c): watches, alerts, webhook deliveries, disclosure
 * choices, access requests and grants, exclusions; the key index is in
 * pg_warn_keys.c. Ids and alert numbers are the next after the largest,
 * as SQLite's rowids are, under the write lock (pg_hub.c says why). */
#include "pg_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct vg__pg pg_t;

/* ---- watches ----------------------------------------------------------- */

static int watch_add(struct vg_store *s, const struct vg_watch_row *w,
                     int64_t *id)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(
	    vg__pg(s), &r,
	    "INSERT INTO warn_watches (id, name, org, \"user\", user_name,"
	    " shared, kind, term, display, threshold, webhook, secret,"
	    " created, disabled) SELECT COALESCE(MAX(id), 0) + 1, $1, $2,"
	    " $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13 FROM"
	    " warn_watches RETURNING id",
	    "tiitiittdttii", w->name, w->org, w->user,
	    w->user_name ? w->user_name : "", (int64_t)w->shared,
	    (int64_t)w->kind, w->term, w->display ? w->display : w->term,
	    w->threshold, w->webhook, w->secret, w->created,
	    (int64_t)w->disabled);
	if (!rc && id)
		*id = vg__pg_int(r, 0, 0);
	PQclear(r);
	return rc;
}

#define WATCH_SQL                                                              \
	"SELECT id, name, org, \"user\", user_name, shared, kind, term,"       \
	" display, threshold, webhook, secret, created, disabled FROM"         \
	" warn_watches"

static int watch_rows(PGresult *r, vg_watch_cb cb, void *ud)
{
	int rc = VG_OK;
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		struct vg_watch_row w = {
		    .id = vg__pg_int(r, i, 0),
		    .name = PQgetvalue(r, i, 1),
		    .org = vg__pg_int(r, i, 2),
		    .user = vg__pg_int(r, i, 3),
		    .user_name = PQgetvalue(r, i, 4),
		    .shared = (int)vg__pg_int(r, i, 5),
		    .kind = (int)vg__pg_int(r, i, 6),
		    .term = PQgetvalue(r, i, 7),
		    .display = PQgetvalue(r, i, 8),
		    .threshold = strtod(PQgetvalue(r, i, 9), NULL),
		    .webhook = vg__pg_str(r, i, 10),
		    .secret = vg__pg_str(r, i, 11),
		    .created = vg__pg_int(r, i, 12),
		    .disabled = (int)vg__pg_int(r, i, 13),
		};
		rc = cb(ud, &w);
	}
	return rc;
}

static int watch_list(struct vg_store *s, int64_t org, vg_watch_cb cb, void *ud)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(vg__pg(s), &r,
	                    WATCH_SQL " WHERE $1::int8 = 0 OR org = $1"
	                              " ORDER BY id",
	                    "i", org);
	if (!rc)
		rc = watch_rows(r, cb, ud);
	PQclear(r);
	return rc;
}

static int watch_get(struct vg_store *s, int64_t id, vg_watch_cb cb, void *ud)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(vg__pg(s), &r, WATCH_SQL " WHERE id = $1", "i", id);
	if (!rc)
		rc = PQntuples(r) ? watch_rows(r, cb, ud) : VG_ENOTFOUND;
	PQclear(r);
	return rc;
}

/* A command that must change a row: VG_ENOTFOUND when it changed none. */
static int change(PGresult *r, int rc)
{
	if (!rc && !vg__pg_changes(r))
		rc = VG_ENOTFOUND;
	PQclear(r);
	return rc;
}

static int watch_remove(struct vg_store *s, int64_t id)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(vg__pg(s), &r,
	                    "DELETE FROM warn_watches WHERE id = $1", "i", id);
	return change(r, rc);
}

static int watch_update(struct vg_store *s, const struct vg_watch_row *w)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(
	    vg__pg(s), &r,
	    "UPDATE warn_watches SET name = $2, shared = $3, term = $4,"
	    " display = $5, threshold = $6, webhook = $7, secret = $8"
	    " WHERE id = $1",
	    "itittdtt", w->id, w->name, (int64_t)w->shared, w->term,
	    w->display ? w->display : w->term, w->threshold, w->webhook,
	    w->secret);
	return change(r, rc);
}

/* ---- alerts ------------------------------------------------------------- */

static int alert_add(struct vg_store *s, const struct vg_alert_row *a,
                     int64_t *seq)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(
	    vg__pg(s), &r,
	    "INSERT INTO warn_alerts (seq, watch, org, \"user\", created,"
	    " kind, retro, added, object, version, key, detail) SELECT"
	    " COALESCE(MAX(seq), 0) + 1, $1, $2, $3, $4, $5, $6, $7, $8,"
	    " $9, $10, $11 FROM warn_alerts RETURNING seq",
	    "iiiiiiitttt", a->watch, a->org, a->user, a->created,
	    (int64_t)a->kind, (int64_t)a->retro, a->added,
	    a->object ? a->object : "", a->version ? a->version : "",
	    a->key ? a->key : "", a->detail ? a->detail : "{}");
	if (!rc && seq)
		*seq = vg__pg_int(r, 0, 0);
	PQclear(r);
	return rc;
}

#define ALERT_SQL                                                              \
	"SELECT seq, watch, org, \"user\", created, kind, retro, added,"       \
	" object, version, key, detail, acked_by, acked_at FROM warn_alerts"

static int alert_rows(PGresult *r, vg_alert_cb cb, void *ud)
{
	int rc = VG_OK;
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		struct vg_alert_row a = {
		    .seq = vg__pg_int(r, i, 0),
		    .watch = vg__pg_int(r, i, 1),
		    .org = vg__pg_int(r, i, 2),
		    .user = vg__pg_int(r, i, 3),
		    .created = vg__pg_int(r, i, 4),
		    .kind = (int)vg__pg_int(r, i, 5),
		    .retro = (int)vg__pg_int(r, i, 6),
		    .added = vg__pg_int(r, i, 7),
		    .object = PQgetvalue(r, i, 8),
		    .version = PQgetvalue(r, i, 9),
		    .key = PQgetvalue(r, i, 10),
		    .detail = PQgetvalue(r, i, 11),
		    .acked_by = vg__pg_str(r, i, 12),
		    .acked_at = vg__pg_int(r, i, 13),
		};
		rc = cb(ud, &a);
	}
	return rc;
}

static int alert_scan(struct vg_store *s, const struct vg_alertq *q,
                      vg_alert_cb cb, void *ud)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(
	    vg__pg(s), &r,
	    ALERT_SQL " WHERE org = $1 AND (\"user\" = 0 OR \"user\" = $2)"
	              " AND seq > $3 AND ($4::int8 = 0 OR watch = $4) AND"
	              " ($5::int8 = 0 OR acked_by IS NULL) ORDER BY seq"
	              " LIMIT $6",
	    "iiiiii", q->org, q->user, q->after, q->watch, (int64_t)q->unacked,
	    q->limit ? (int64_t)q->limit : INT64_MAX);
	if (!rc)
		rc = alert_rows(r, cb, ud);
	PQclear(r);
	return rc;
}

static int alert_get(struct vg_store *s, int64_t seq, vg_alert_cb cb, void *ud)
{
	PGresult *r = NULL;
	int rc =
	    vg__pg_run(vg__pg(s), &r, ALERT_SQL " WHERE seq = $1", "i", seq);
	if (!rc)
		rc = PQntuples(r) ? alert_rows(r, cb, ud) : VG_ENOTFOUND;
	PQclear(r);
	return rc;
}

static int alert_ack(struct vg_store *s, int64_t seq, const char *by,
                     int64_t at)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(vg__pg(s), &r,
	                    "UPDATE warn_alerts SET acked_by = $2,"
	                    " acked_at = $3 WHERE seq = $1",
	                    "iti", seq, by, at);
	return change(r, rc);
}

static int alert_last(struct vg_store *s, int64_t *seq)
{
	PGresult *r = NULL;
	int rc =
	    vg__pg_run(vg__pg(s), &r,
	               "SELECT COALESCE(MAX(seq), 0) FROM warn_alerts", NULL);
	if (!rc)
		*seq = vg__pg_int(r, 0, 0);
	PQclear(r);
	return rc;
}

/* ---- deliveries ---------------------------------------------------------- */

static int delivery_add(struct vg_store *s, const struct vg_delivery_row *d)
{
	return vg__pg_run(vg__pg(s), NULL,
	                  "INSERT INTO warn_deliveries (alert, watch,"
	                  " attempts, next_at, done, error) VALUES"
	                  " ($1,$2,$3,$4,$5,$6) ON CONFLICT DO NOTHING",
	                  "iiiiit", d->alert, d->watch, (int64_t)d->attempts,
	                  d->next_at, (int64_t)d->done, d->error);
}

static int delivery_due(struct vg_store *s, int64_t now, size_t limit,
                        vg_delivery_cb cb, void *ud)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(
	    vg__pg(s), &r,
	    "SELECT alert, watch, attempts, next_at, done, error FROM"
	    " warn_deliveries WHERE done = 0 AND next_at <= $1"
	    " ORDER BY next_at, alert LIMIT $2",
	    "ii", now, limit ? (int64_t)limit : INT64_MAX);
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		struct vg_delivery_row d = {
		    .alert = vg__pg_int(r, i, 0),
		    .watch = vg__pg_int(r, i, 1),
		    .attempts = (int)vg__pg_int(r, i, 2),
		    .next_at = vg__pg_int(r, i, 3),
		    .done = (int)vg__pg_int(r, i, 4),
		    .error = vg__pg_str(r, i, 5),
		};
		rc = cb(ud, &d);
	}
	PQclear(r);
	return rc;
}

static int delivery_update(struct vg_store *s, const struct vg_delivery_row *d)
{
	PGresult *r = NULL;
	int rc =
	    vg__pg_run(vg__pg(s), &r,
	               "UPDATE warn_deliveries SET attempts = $3, next_at = $4,"
	               " done = $5, error = $6 WHERE alert = $1 AND watch = $2",
	               "iiiiit", d->alert, d->watch, (int64_t)d->attempts,
	               d->next_at, (int64_t)d->done, d->error);
	return change(r, rc);
}

/* ---- disclosure choices --------------------------------------------------
 */

static int disclosure_set(struct vg_store *s, const char *subject, int64_t org,
                          int choice)
{
	if (choice < 0)
		return vg__pg_run(vg__pg(s), NULL,
		                  "DELETE FROM warn_disclosure WHERE"
		                  " subject = $1 AND org = $2",
		                  "ti", subject, org);
	return vg__pg_run(vg__pg(s), NULL,
	                  "INSERT INTO warn_disclosure (subject, org, choice)"
	                  " VALUES ($1,$2,$3) ON CONFLICT (subject, org) DO"
	                  " UPDATE SET choice = EXCLUDED.choice",
	                  "tii", subject, org, (int64_t)choice);
}

static int disclosure_get(struct vg_store *s, const char *subject, int64_t org,
                          int *choice)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(vg__pg(s), &r,
	                    "SELECT choice FROM warn_disclosure WHERE"
	                    " subject = $1 AND org = $2",
	                    "ti", subject, org);
	if (!rc && PQntuples(r))
		*choice = (int)vg__pg_int(r, 0, 0);
	else if (!rc)
		rc = VG_ENOTFOUND;
	PQclear(r);
	return rc;
}

/* ---- access requests ---------------------------------------------------- */

static int request_add(struct vg_store *s, const struct vg_request_row *q,
                       int64_t *id)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(
	    vg__pg(s), &r,
	    "INSERT INTO warn_requests (id, created, requester_org,"
	    " requester_user, requester_name, owner_org, object, reason,"
	    " items, state) SELECT COALESCE(MAX(id), 0) + 1, $1, $2, $3,"
	    " $4, $5, $6, $7, $8, $9 FROM warn_requests RETURNING id",
	    "iiitittti", q->created, q->requester_org, q->requester_user,
	    q->requester_name, q->owner_org, q->object,
	    q->reason ? q->reason : "", q->items, (int64_t)q->state);
	if (!rc && id)
		*id = vg__pg_int(r, 0, 0);
	PQclear(r);
	return rc;
}

#define REQ_SQL                                                                \
	"SELECT id, created, requester_org, requester_user,"                   \
	" requester_name, owner_org, object, reason, items, state,"            \
	" decided_by, decided_at FROM warn_requests"

static int request_rows(PGresult *r, vg_request_cb cb, void *ud)
{
	int rc = VG_OK;
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		struct vg_request_row q = {
		    .id = vg__pg_int(r, i, 0),
		    .created = vg__pg_int(r, i, 1),
		    .requester_org = vg__pg_int(r, i, 2),
		    .requester_user = vg__pg_int(r, i, 3),
		    .requester_name = PQgetvalue(r, i, 4),
		    .owner_org = vg__pg_int(r, i, 5),
		    .object = PQgetvalue(r, i, 6),
		    .reason = PQgetvalue(r, i, 7),
		    .items = PQgetvalue(r, i, 8),
		    .state = (int)vg__pg_int(r, i, 9),
		    .decided_by = vg__pg_str(r, i, 10),
		    .decided_at = vg__pg_int(r, i, 11),
		};
		rc = cb(ud, &q);
	}
	return rc;
}

static int request_get(struct vg_store *s, int64_t id, vg_request_cb cb,
                       void *ud)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(vg__pg(s), &r, REQ_SQL " WHERE id = $1", "i", id);
	if (!rc)
		rc = PQntuples(r) ? request_rows(r, cb, ud) : VG_ENOTFOUND;
	PQclear(r);
	return rc;
}

static int request_list(struct vg_store *s, int64_t org, vg_request_cb cb,
                        void *ud)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(vg__pg(s), &r,
	                    REQ_SQL " WHERE $1::int8 = 0 OR requester_org = $1"
	                            " OR owner_org = $1 ORDER BY id DESC",
	                    "i", org);
	if (!rc)
		rc = request_rows(r, cb, ud);
	PQclear(r);
	return rc;
}

static int request_update(struct vg_store *s, int64_t id, const char *items,
                          int state, const char *decided_by, int64_t decided_at)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(vg__pg(s), &r,
	                    "UPDATE warn_requests SET items = $2, state = $3,"
	                    " decided_by = $4, decided_at = $5 WHERE id = $1",
	                    "ititi", id, items, (int64_t)state, decided_by,
	                    decided_at);
	return change(r, rc);
}

/* ---- grants ---------------------------------------------------------------
 */

static int grant_add(struct vg_store *s, const struct vg_grant_row *g,
                     int64_t *id)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(
	    vg__pg(s), &r,
	    "INSERT INTO warn_grants (id, org, owner, added, object,"
	    " request, granted_by, created) SELECT COALESCE(MAX(id), 0)"
	    " + 1, $1, $2, $3, $4, $5, $6, $7 FROM warn_grants RETURNING id",
	    "iiititi", g->org, g->owner, g->added, g->object, g->request,
	    g->granted_by, g->created);
	if (!rc && id)
		*id = vg__pg_int(r, 0, 0);
	PQclear(r);
	return rc;
}

static int grants_of(struct vg_store *s, int64_t org, int64_t **added,
                     size_t *n)
{
	PGresult *r = NULL;
	int rc;
	if (vg__pg_ahead_ids(vg__pg(s), 1, org, added, n, &rc))
		return rc;
	rc = vg__pg_run(vg__pg(s), &r,
	                "SELECT DISTINCT added FROM warn_grants WHERE"
	                " org = $1 AND revoked = 0 ORDER BY added",
	                "i", org);
	int k = rc ? 0 : PQntuples(r);
	int64_t *v = NULL;
	if (!rc && k && !(v = malloc((size_t)k * sizeof(*v))))
		rc = VG_ENOMEM;
	for (int i = 0; !rc && i < k; i++)
		v[i] = vg__pg_int(r, i, 0);
	PQclear(r);
	if (rc)
		return rc;
	*added = v;
	*n = (size_t)k;
	return VG_OK;
}

static int grant_list(struct vg_store *s, int64_t org, vg_grant_cb cb, void *ud)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(
	    vg__pg(s), &r,
	    "SELECT id, org, owner, added, object, request, granted_by,"
	    " created, revoked, revoked_by, revoked_at FROM warn_grants"
	    " WHERE $1::int8 = 0 OR org = $1 OR owner = $1 ORDER BY id",
	    "i", org);
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		struct vg_grant_row g = {
		    .id = vg__pg_int(r, i, 0),
		    .org = vg__pg_int(r, i, 1),
		    .owner = vg__pg_int(r, i, 2),
		    .added = vg__pg_int(r, i, 3),
		    .object = PQgetvalue(r, i, 4),
		    .request = vg__pg_int(r, i, 5),
		    .granted_by = PQgetvalue(r, i, 6),
		    .created = vg__pg_int(r, i, 7),
		    .revoked = (int)vg__pg_int(r, i, 8),
		    .revoked_by = vg__pg_str(r, i, 9),
		    .revoked_at = vg__pg_int(r, i, 10),
		};
		rc = cb(ud, &g);
	}
	PQclear(r);
	return rc;
}

static int grant_revoke(struct vg_store *s, int64_t id, const char *by,
                        int64_t at)
{
	PGresult *r = NULL;
	int rc =
	    vg__pg_run(vg__pg(s), &r,
	               "UPDATE warn_grants SET revoked = 1, revoked_by = $2,"
	               " revoked_at = $3 WHERE id = $1 AND revoked = 0",
	               "iti", id, by, at);
	return change(r, rc);
}

/* ---- exclusions --------------------------------------------------------- */

static int excl_put(struct vg_store *s, const char *key, int excluded)
{
	return vg__pg_run(vg__pg(s), NULL,
	                  "INSERT INTO warn_exclusions (key, excluded) VALUES"
	                  " ($1,$2) ON CONFLICT (key) DO UPDATE SET"
	                  " excluded = EXCLUDED.excluded",
	                  "ti", key, (int64_t)excluded);
}

static int excl_list(struct vg_store *s, vg_excl_cb cb, void *ud)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(vg__pg(s), &r,
	                    "SELECT key, excluded FROM warn_exclusions"
	                    " ORDER BY key",
	                    NULL);
	for (int i = 0; !rc && i < PQntuples(r); i++)
		rc = cb(ud, PQgetvalue(r, i, 0), (int)vg__pg_int(r, i, 1));
	PQclear(r);
	return rc;
}

const struct vg_store_warn_ops vg__pg_warn_ops = {
    .keys_add = vg__pg_warn_keys_add,
    .keys_put = vg__pg_warn_keys_put,
    .keys_scan = vg__pg_warn_keys_scan,
    .row = vg__pg_warn_row,
    .keys_clear = vg__pg_warn_keys_clear,
    .key_counts = vg__pg_warn_key_counts,
    .counts = vg__pg_warn_counts,
    .watch_add = watch_add,
    .watch_list = watch_list,
    .watch_get = watch_get,
    .watch_remove = watch_remove,
    .watch_update = watch_update,
    .alert_add = alert_add,
    .alert_scan = alert_scan,
    .alert_get = alert_get,
    .alert_ack = alert_ack,
    .alert_last = alert_last,
    .delivery_add = delivery_add,
    .delivery_due = delivery_due,
    .delivery_update = delivery_update,
    .disclosure_set = disclosure_set,
    .disclosure_get = disclosure_get,
    .request_add = request_add,
    .request_get = request_get,
    .request_list = request_list,
    .request_update = request_update,
    .grant_add = grant_add,
    .grants_of = grants_of,
    .grant_list = grant_list,
    .grant_revoke = grant_revoke,
    .excl_put = excl_put,
    .excl_list = excl_list,
};
