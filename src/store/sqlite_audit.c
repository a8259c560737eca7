/* The audit log and its checkpoints in SQLite: rows kept in seq order;
 * the chain itself is computed by the service (audit.h). */
#include "sqlite_int.h"

#include <string.h>

typedef struct vg__sq sq_t;

/* ---- audit ----------------------------------------------------------- */

static int audit_head(struct vg_store *s, int64_t *seq,
		      unsigned char hash[VG_HASH_LEN])
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st, "SELECT seq, hash FROM audit ORDER BY seq"
				     " DESC LIMIT 1", NULL);
	if (rc)
		return rc;
	int step = sqlite3_step(st);
	*seq = 0;
	memset(hash, 0, VG_HASH_LEN);
	if (step == SQLITE_ROW) {
		*seq = sqlite3_column_int64(st, 0);
		if (sqlite3_column_bytes(st, 1) == VG_HASH_LEN)
			memcpy(hash, sqlite3_column_blob(st, 1), VG_HASH_LEN);
	} else if (step != SQLITE_DONE) {
		rc = vg__sq_fail(q, "audit head");
	}
	vg__sq_release(q, st);
	return rc;
}

static int audit_append(struct vg_store *s, const struct vg_audit_entry *e)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st,
			     "INSERT INTO audit (seq, ts, actor, org, action, target,"
			     " detail, source, purpose, prev, hash, auth) VALUES"
			     " (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
			     "iititttttbbt", e->seq, e->ts, e->actor ? e->actor : "",
			     e->org, e->action ? e->action : "",
			     e->target ? e->target : "", e->detail ? e->detail : "",
			     e->source ? e->source : "", e->purpose ? e->purpose : "",
			     e->prev, e->hash, e->auth ? e->auth : "");
	return rc ? rc : vg__sq_run(q, st, "append audit entry");
}

static int audit_scan(struct vg_store *s, const struct vg_audit_filter *f,
		      vg_audit_cb cb, void *ud)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	char sql[400];
	snprintf(sql, sizeof(sql),
		 "SELECT seq, ts, actor, org, action, target, detail, source,"
		 " purpose, prev, hash, auth FROM audit WHERE (?1 IS NULL OR actor=?1)"
		 " AND ts >= ?2 AND seq > ?3 AND (?5 IS NULL OR action=?5)"
		 " ORDER BY seq%s",
		 f->limit ? " LIMIT ?4" : "");
	int step, rc = vg__sq_prep(q, &st, sql, "tiiit", f->actor, f->since,
			    f->after_seq, (int64_t)f->limit, f->action);
	if (rc)
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct vg_audit_entry e = {
			.seq = sqlite3_column_int64(st, 0),
			.ts = sqlite3_column_int64(st, 1),
			.actor = vg__sq_col(st, 2),
			.org = sqlite3_column_int64(st, 3),
			.action = vg__sq_col(st, 4),
			.target = vg__sq_col(st, 5),
			.detail = vg__sq_col(st, 6),
			.source = vg__sq_col(st, 7),
			.purpose = vg__sq_col(st, 8),
			.auth = vg__sq_col(st, 11),
		};
		/* a damaged hash column reads as zeros: verify reports it */
		if (sqlite3_column_bytes(st, 9) == VG_HASH_LEN)
			memcpy(e.prev, sqlite3_column_blob(st, 9), VG_HASH_LEN);
		if (sqlite3_column_bytes(st, 10) == VG_HASH_LEN)
			memcpy(e.hash, sqlite3_column_blob(st, 10), VG_HASH_LEN);
		if ((rc = cb(ud, &e)))
			break;
	}
	if (!rc && step != SQLITE_DONE)
		rc = vg__sq_fail(q, "read audit");
	vg__sq_release(q, st);
	return rc;
}

static int checkpoint_add(struct vg_store *s, const struct vg_checkpoint *c)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st,
		      "INSERT INTO checkpoints (seq, head, ts, sig) VALUES"
		      " (?1,?2,?3,?4)",
		      "ibi", c->seq, c->head, c->ts);
	if (rc)
		return rc;
	sqlite3_bind_blob(st, 4, c->sig, VG_SIG_LEN, SQLITE_STATIC);
	return vg__sq_run(q, st, "add checkpoint");
}

static int checkpoint_list(struct vg_store *s, vg_checkpoint_cb cb, void *ud)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	static const unsigned char zero[VG_SIG_LEN];
	int step, rc = vg__sq_prep(q, &st, "SELECT seq, head, ts, sig FROM checkpoints"
				    " ORDER BY seq", NULL);
	if (rc)
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct vg_checkpoint c = {
			.seq = sqlite3_column_int64(st, 0),
			.ts = sqlite3_column_int64(st, 2),
			.sig = sqlite3_column_bytes(st, 3) == VG_SIG_LEN
				       ? sqlite3_column_blob(st, 3)
				       : zero,
		};
		if (sqlite3_column_bytes(st, 1) == VG_HASH_LEN)
			memcpy(c.head, sqlite3_column_blob(st, 1), VG_HASH_LEN);
		if ((rc = cb(ud, &c)))
			break;
	}
	if (!rc && step != SQLITE_DONE)
		rc = vg__sq_fail(q, "read checkpoints");
	vg__sq_release(q, st);
	return rc;
}

const struct vg_store_audit_ops vg__sq_audit_ops = {
	.head = audit_head,
	.append = audit_append,
	.scan = audit_scan,
	.checkpoint_add = checkpoint_add,
	.checkpoint_list = checkpoint_list,
};
