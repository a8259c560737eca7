/* The audit log as a use case: reading it, verifying its hash chain and
 * signed checkpoints, signing new checkpoints. */
#include "service_int.h"
#include "vigil/audit/audit.h"
#include "vigil/service/audit.h"
#include "vigil/util/error.h"

#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct walk {
	int64_t expect;      /* the next seq */
	unsigned char prev[VG_HASH_LEN];
	int64_t n;
	char *err;
	size_t errlen;
	/* hashes by seq, for checkpoints (grown as needed) */
	unsigned char (*hashes)[VG_HASH_LEN];
	size_t cap;
};

/* Does e's content hash correctly if it stood at another position? */
static int64_t belongs_at(const struct vg_audit_entry *e)
{
	struct vg_audit_entry t = *e;
	unsigned char h[VG_HASH_LEN];
	for (int64_t d = -64; d <= 64; d++) {
		if (!d || e->seq + d < 1)
			continue;
		t.seq = e->seq + d;
		vg_audit_hash(&t, h);
		if (!memcmp(h, e->hash, VG_HASH_LEN))
			return t.seq;
	}
	return 0;
}

static int check_entry(void *ud, const struct vg_audit_entry *e)
{
	struct walk *w = ud;
	unsigned char h[VG_HASH_LEN];
	if (e->seq != w->expect) {
		snprintf(w->err, w->errlen,
			 "entry %lld: removed (the log goes from entry %lld to "
			 "entry %lld)",
			 (long long)w->expect, (long long)w->expect - 1,
			 (long long)e->seq);
		return VG_EINVAL;
	}
	vg_audit_hash(e, h);
	if (memcmp(h, e->hash, VG_HASH_LEN)) {
		int64_t at = belongs_at(e);
		if (at)
			snprintf(w->err, w->errlen,
				 "entry %lld: reordered (its content is entry "
				 "%lld's)",
				 (long long)e->seq, (long long)at);
		else
			snprintf(w->err, w->errlen,
				 "entry %lld: changed (its hash does not match "
				 "its content)",
				 (long long)e->seq);
		return VG_EINVAL;
	}
	if (memcmp(e->prev, w->prev, VG_HASH_LEN)) {
		snprintf(w->err, w->errlen,
			 "entry %lld: out of place (it does not follow entry "
			 "%lld)",
			 (long long)e->seq, (long long)e->seq - 1);
		return VG_EINVAL;
	}
	if ((size_t)e->seq >= w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 1024;
		while (cap <= (size_t)e->seq)
			cap *= 2;
		void *p = realloc(w->hashes, cap * VG_HASH_LEN);
		if (!p)
			return VG_ENOMEM;
		w->hashes = p;
		w->cap = cap;
	}
	memcpy(w->hashes[e->seq], e->hash, VG_HASH_LEN);
	memcpy(w->prev, e->hash, VG_HASH_LEN);
	w->expect++;
	w->n++;
	return VG_OK;
}

struct cps {
	struct walk *w;
	unsigned char pk[32];
	int64_t n;
};

static int check_checkpoint(void *ud, const struct vg_checkpoint *c)
{
	struct cps *k = ud;
	struct walk *w = k->w;
	int64_t last = w->expect - 1;
	if (vg_checkpoint_verify(c->seq, c->head, c->ts, c->sig, k->pk)) {
		snprintf(w->err, w->errlen,
			 "checkpoint at entry %lld: the signature is not the "
			 "hub's",
			 (long long)c->seq);
		return VG_EINVAL;
	}
	if (c->seq > last) {
		snprintf(w->err, w->errlen,
			 "entry %lld: removed (truncated: a checkpoint signed "
			 "the log up to entry %lld, it now ends at entry %lld)",
			 (long long)last + 1, (long long)c->seq, (long long)last);
		return VG_EINVAL;
	}
	if (c->seq >= 1 && memcmp(w->hashes[c->seq], c->head, VG_HASH_LEN)) {
		snprintf(w->err, w->errlen,
			 "entry %lld: changed since the checkpoint that signed it",
			 (long long)c->seq);
		return VG_EINVAL;
	}
	k->n++;
	return VG_OK;
}

int vg_audit_read(struct vg_ctx *c, const struct vg_audit_filter *f,
		  vg_audit_cb cb, void *ud)
{
	struct vg_store *s = vg__reader(c->svc);
	int rc = vg__require(c, VG_ACT_AUDIT, "audit.read");
	if (!rc)
		rc = vg_ctx_purpose(c);
	if (rc)
		return rc;
	if (!s)
		return VG_ESTORE;
	struct vg__detail d;
	vg__detail_begin(&d);
	if (f->actor)
		vg_jw_kstr(&d.w, "actor", f->actor);
	if (f->since)
		vg_jw_kint(&d.w, "since", f->since);
	if (f->after_seq)
		vg_jw_kint(&d.w, "after", f->after_seq);
	const char *detail = vg__detail_end(&d);
	/* committed before the scan, so that the log shows its own reading */
	rc = detail ? vg__audit_now(c, "audit.read", f->actor ? f->actor : "",
				    detail)
		    : VG_ENOMEM;
	vg__detail_release(&d);
	return rc ? rc : s->ops->audit->scan(s, f, cb, ud);
}

int vg_audit_verify(struct vg_ctx *c, int64_t *n_entries,
		    int64_t *n_checkpoints, char *err, size_t errlen)
{
	struct walk w = {.expect = 1, .err = err, .errlen = errlen};
	struct cps k = {.w = &w};
	struct vg_audit_filter f = {0};
	struct vg_store *s = vg__reader(c->svc);
	char *pkhex = NULL;
	err[0] = '\0';
	int rc = vg__require(c, VG_ACT_AUDIT, "audit.verify");
	if (rc)
		return rc;
	if (!s)
		return VG_ESTORE;
	rc = s->ops->hub->get(s, VG_HUB_SIGN_PK, &pkhex);
	if (rc || vg__unhex(pkhex, k.pk, 32)) {
		snprintf(err, errlen, "the hub's public key is missing or damaged");
		free(pkhex);
		return VG_EINVAL;
	}
	free(pkhex);
	rc = s->ops->audit->scan(s, &f, check_entry, &w);
	if (!rc)
		rc = s->ops->audit->checkpoint_list(s, check_checkpoint, &k);
	*n_entries = w.n;
	*n_checkpoints = k.n;
	free(w.hashes);
	return rc;
}

static int read_signing_key(const char *dir, unsigned char sk[64])
{
	char path[4096], hex[260] = "";
	snprintf(path, sizeof(path), "%s/hub-signing.key", dir);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return VG_ENOTFOUND;
	ssize_t n = read(fd, hex, sizeof(hex) - 1);
	close(fd);
	if (n < 128)
		return VG_EINVAL;
	hex[128] = '\0';
	int rc = vg__unhex(hex, sk, 64);
	sodium_memzero(hex, sizeof(hex));
	return rc;
}

struct sign_job {
	const struct vg_ctx *c;
	const unsigned char *sk;
	int64_t seq;
};

static int sign_fn(struct vg_store *s, void *arg)
{
	struct sign_job *j = arg;
	unsigned char sig[VG_SIG_LEN], head[VG_HASH_LEN];
	int64_t seq;
	int rc = vg__audit(s, j->c, "audit.checkpoint", "", "{}");
	/* the head now includes the entry that records this checkpoint */
	if (!rc)
		rc = s->ops->audit->head(s, &seq, head);
	int64_t ts = vg__now_us();
	if (!rc)
		rc = vg_checkpoint_sign(seq, head, ts, j->sk, sig);
	struct vg_checkpoint c = {.seq = seq, .ts = ts, .sig = sig};
	memcpy(c.head, head, VG_HASH_LEN);
	if (!rc)
		rc = s->ops->audit->checkpoint_add(s, &c);
	if (!rc)
		j->seq = seq;
	return rc;
}

int vg_audit_checkpoint(struct vg_ctx *c, int64_t *seq, char *err,
			size_t errlen)
{
	unsigned char sk[64];
	const char *dir = c->svc->key_dir;
	/* the signing key is on the hub's machine: the operator's */
	if (!c->p.operator)
		return vg__deny(c, "operator", "audit.checkpoint");
	int rc = dir ? read_signing_key(dir, sk) : VG_ENOTFOUND;
	if (rc) {
		snprintf(err, errlen, "cannot read the hub's signing key in "
				      "'%.300s/hub-signing.key'", dir ? dir : "?");
		return rc;
	}
	struct sign_job j = {c, sk, 0};
	rc = vg__write(c->svc, sign_fn, &j);
	sodium_memzero(sk, sizeof(sk));
	if (!rc)
		*seq = j.seq;
	return rc;
}
