/* The audit log and its checkpoints in PostgreSQL: rows kept in seq
 * order; the chain itself is computed by the service (audit.h). head and
 * append run inside a write transaction, which holds the hub's write
 * lock: the writers of every process extend one chain. */
#include "pg_int.h"

#include <string.h>

typedef struct vg__pg pg_t;

static int audit_head(struct vg_store *s, int64_t *seq,
                      unsigned char hash[VG_HASH_LEN])
{
	pg_t *p = vg__pg(s);
	PGresult *r = NULL;
	if (p->in_tx == 1 && p->head_ok) {
		/* this transaction wrote it, under the write lock */
		*seq = p->head_seq;
		memcpy(hash, p->head_hash, VG_HASH_LEN);
		return VG_OK;
	}
	int rc = vg__pg_run(p, &r,
	                    "SELECT seq, hash FROM audit ORDER BY seq DESC"
	                    " LIMIT 1",
	                    NULL);
	if (rc)
		return rc;
	*seq = 0;
	memset(hash, 0, VG_HASH_LEN);
	if (PQntuples(r)) {
		*seq = vg__pg_int(r, 0, 0);
		vg__pg_bytes(r, 0, 1, hash, VG_HASH_LEN);
	}
	PQclear(r);
	if (p->in_tx == 1) {
		/* under the write lock nobody else moves it */
		p->head_ok = 1;
		p->head_seq = *seq;
		memcpy(p->head_hash, hash, VG_HASH_LEN);
	}
	return VG_OK;
}

#define APPEND_SQL                                                             \
	"INSERT INTO audit (seq, ts, actor, org, action, target, detail,"      \
	" source, purpose, prev, hash, auth) VALUES ($1,$2,$3,$4,$5,$6,$7,"    \
	"$8,$9,$10,$11,$12)"

static int audit_append(struct vg_store *s, const struct vg_audit_entry *e)
{
	pg_t *p = vg__pg(s);
	PGresult *r = NULL;
	int rc;
	if (p->in_tx == 1 && p->head_ok && e->seq == p->head_seq + 1) {
		/* after the head this transaction knows: never taken, so
		 * queued without waiting */
		rc = vg__pg_queue(
		    p, APPEND_SQL, "iititttttbbt", e->seq, e->ts,
		    e->actor ? e->actor : "", e->org,
		    e->action ? e->action : "", e->target ? e->target : "",
		    e->detail ? e->detail : "", e->source ? e->source : "",
		    e->purpose ? e->purpose : "", e->prev, e->hash,
		    e->auth ? e->auth : "");
		goto out;
	}
	rc =
	    vg__pg_run(p, &r,
	               "INSERT INTO audit (seq, ts, actor, org, action, target,"
	               " detail, source, purpose, prev, hash, auth) VALUES"
	               " ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)"
	               " ON CONFLICT DO NOTHING",
	               "iititttttbbt", e->seq, e->ts, e->actor ? e->actor : "",
	               e->org, e->action ? e->action : "",
	               e->target ? e->target : "", e->detail ? e->detail : "",
	               e->source ? e->source : "", e->purpose ? e->purpose : "",
	               e->prev, e->hash, e->auth ? e->auth : "");
	if (!rc && !vg__pg_changes(r))
		rc = VG_EDUPLICATE;
	PQclear(r);
out:
	if (!rc && p->in_tx == 1) {
		p->head_ok = 1;
		p->head_seq = e->seq;
		memcpy(p->head_hash, e->hash, VG_HASH_LEN);
	}
	return rc;
}

static int audit_scan(struct vg_store *s, const struct vg_audit_filter *f,
                      vg_audit_cb cb, void *ud)
{
	pg_t *p = vg__pg(s);
	/* in parts, like the objects: the log can be long */
	enum { PART = 10000 };
	int64_t after = f->after_seq;
	size_t left = f->limit;
	int rc = VG_OK;
	for (;;) {
		int64_t want = left && left < PART ? (int64_t)left : PART;
		PGresult *r = NULL;
		rc = vg__pg_run(
		    p, &r,
		    "SELECT seq, ts, actor, org, action, target, detail,"
		    " source, purpose, prev, hash, auth FROM audit WHERE"
		    " ($1::text IS NULL OR actor = $1) AND ts >= $2 AND"
		    " seq > $3 AND ($5::text IS NULL OR action = $5)"
		    " ORDER BY seq LIMIT $4",
		    "tiiit", f->actor, f->since, after, want, f->action);
		if (rc)
			return rc;
		int n = PQntuples(r);
		for (int i = 0; !rc && i < n; i++) {
			struct vg_audit_entry e = {
			    .seq = vg__pg_int(r, i, 0),
			    .ts = vg__pg_int(r, i, 1),
			    .actor = PQgetvalue(r, i, 2),
			    .org = vg__pg_int(r, i, 3),
			    .action = PQgetvalue(r, i, 4),
			    .target = PQgetvalue(r, i, 5),
			    .detail = PQgetvalue(r, i, 6),
			    .source = PQgetvalue(r, i, 7),
			    .purpose = PQgetvalue(r, i, 8),
			    .auth = PQgetvalue(r, i, 11),
			};
			/* a damaged hash column reads as zeros: verify says so
			 */
			vg__pg_bytes(r, i, 9, e.prev, VG_HASH_LEN);
			vg__pg_bytes(r, i, 10, e.hash, VG_HASH_LEN);
			after = e.seq;
			rc = cb(ud, &e);
		}
		PQclear(r);
		if (rc || n < want || (left && !(left -= (size_t)n)))
			return rc;
	}
}

static int checkpoint_add(struct vg_store *s, const struct vg_checkpoint *c)
{
	PGresult *r = NULL;
	int rc =
	    vg__pg_run(vg__pg(s), &r,
	               "INSERT INTO checkpoints (seq, head, ts, sig) VALUES"
	               " ($1,$2,$3,$4) ON CONFLICT DO NOTHING",
	               "ibis", c->seq, c->head, c->ts, c->sig);
	if (!rc && !vg__pg_changes(r))
		rc = VG_EDUPLICATE;
	PQclear(r);
	return rc;
}

static int checkpoint_list(struct vg_store *s, vg_checkpoint_cb cb, void *ud)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(
	    vg__pg(s), &r,
	    "SELECT seq, head, ts, sig FROM checkpoints ORDER BY seq", NULL);
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		unsigned char sig[VG_SIG_LEN] = {0};
		struct vg_checkpoint c = {
		    .seq = vg__pg_int(r, i, 0),
		    .ts = vg__pg_int(r, i, 2),
		    .sig = sig,
		};
		vg__pg_bytes(r, i, 1, c.head, VG_HASH_LEN);
		vg__pg_bytes(r, i, 3, sig, VG_SIG_LEN);
		rc = cb(ud, &c);
	}
	PQclear(r);
	return rc;
}

const struct vg_store_audit_ops vg__pg_audit_ops = {
    .head = audit_head,
    .append = audit_append,
    .scan = audit_scan,
    .checkpoint_add = checkpoint_add,
    .checkpoint_list = checkpoint_list,
};
