/* The audit log as a use case: reading it, verifying its hash chain, its
 * signed checkpoints and the heads kept outside the store (signing them
 * is audit_checkpoint.c). */
#include "service_int.h"
#include "vigil/audit/audit.h"
#include "vigil/service/audit.h"
#include "vigil/util/error.h"

#include <errno.h>
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
	/* the seqs of the store's checkpoints, ascending (for the heads) */
	int64_t *seqs;
	size_t cap;
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
	if ((size_t)k->n == k->cap) {
		size_t cap = k->cap ? k->cap * 2 : 64;
		void *p = realloc(k->seqs, cap * sizeof(*k->seqs));
		if (!p)
			return VG_ENOMEM;
		k->seqs = p;
		k->cap = cap;
	}
	k->seqs[k->n++] = c->seq;
	return VG_OK;
}

static int has_checkpoint(const struct cps *k, int64_t seq)
{
	size_t lo = 0, hi = (size_t)k->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (k->seqs[mid] == seq)
			return 1;
		if (k->seqs[mid] < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* One line of a heads file against the log walked into k: signed by the
 * hub, its entry still there with the head it signed, and its checkpoint
 * still in the store. */
static int check_head(struct cps *k, const char *file, size_t lineno,
		      const char *line, size_t len)
{
	struct walk *w = k->w;
	struct vg_checkpoint c;
	unsigned char sig[VG_SIG_LEN];
	int64_t last = w->expect - 1;
	if (vg_checkpoint_head_parse(line, len, &c, sig)) {
		snprintf(w->err, w->errlen,
			 "%s line %zu: not a checkpoint head (expected SEQ TIME "
			 "HEAD SIGNATURE)",
			 file, lineno);
		return VG_EINVAL;
	}
	if (vg_checkpoint_verify(c.seq, c.head, c.ts, c.sig, k->pk)) {
		snprintf(w->err, w->errlen,
			 "%s line %zu: the signature of the checkpoint at entry "
			 "%lld is not the hub's",
			 file, lineno, (long long)c.seq);
		return VG_EINVAL;
	}
	if (c.seq > last) {
		snprintf(w->err, w->errlen,
			 "entry %lld: removed (truncated after the checkpoint "
			 "of %s line %zu)",
			 (long long)last + 1, file, lineno);
		return VG_EINVAL;
	}
	if (memcmp(w->hashes[c.seq], c.head, VG_HASH_LEN)) {
		snprintf(w->err, w->errlen,
			 "entry %lld: changed since the checkpoint of %s line %zu",
			 (long long)c.seq, file, lineno);
		return VG_EINVAL;
	}
	if (!has_checkpoint(k, c.seq)) {
		snprintf(w->err, w->errlen,
			 "checkpoint at entry %lld: removed from the store (%s "
			 "line %zu holds it)",
			 (long long)c.seq, file, lineno);
		return VG_EINVAL;
	}
	return VG_OK;
}

/* Every line of the heads file (blank lines skipped). */
static int check_heads(struct cps *k, const char *file, int64_t *n_heads)
{
	FILE *f = fopen(file, "r");
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t got;
	int rc = VG_OK;
	if (!f) {
		snprintf(k->w->err, k->w->errlen, "cannot read '%s': %s", file,
			 strerror(errno));
		return VG_EIO;
	}
	while (!rc && (got = getline(&line, &cap, f)) > 0) {
		lineno++;
		if (strspn(line, " \t\r\n") == (size_t)got)
			continue;
		rc = check_head(k, file, lineno, line, (size_t)got);
		if (!rc)
			(*n_heads)++;
	}
	if (!rc && ferror(f)) {
		snprintf(k->w->err, k->w->errlen, "cannot read '%s'", file);
		rc = VG_EIO;
	}
	free(line);
	fclose(f);
	return rc;
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
	if (f->action)
		vg_jw_kstr(&d.w, "action", f->action);
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

int vg_audit_verify(struct vg_ctx *c, const char *heads,
		    const char *public_key, struct vg_audit_verified *out,
		    char *err, size_t errlen)
{
	struct walk w = {.expect = 1, .err = err, .errlen = errlen};
	struct cps k = {.w = &w};
	struct vg_audit_filter f = {0};
	struct vg_store *s = vg__reader(c->svc);
	unsigned char given[32];
	char *pkhex = NULL;
	memset(out, 0, sizeof(*out));
	err[0] = '\0';
	int rc = vg__require(c, VG_ACT_AUDIT, "audit.verify");
	if (rc)
		return rc;
	if (!s)
		return VG_ESTORE;
	if (public_key && vg__unhex(public_key, given, 32)) {
		snprintf(err, errlen, "the public key given is not 64 hex digits");
		return VG_EUNSUPPORTED;
	}
	rc = s->ops->hub->get(s, VG_HUB_SIGN_PK, &pkhex);
	if (rc || vg__unhex(pkhex, k.pk, 32)) {
		snprintf(err, errlen, "the hub's public key is missing or damaged");
		free(pkhex);
		return VG_EINVAL;
	}
	free(pkhex);
	/* a key kept outside the hub is the one that counts */
	if (public_key && memcmp(given, k.pk, 32)) {
		snprintf(err, errlen, "the hub's public key in the store is not "
				      "the one given");
		return VG_EINVAL;
	}
	rc = s->ops->audit->scan(s, &f, check_entry, &w);
	if (!rc)
		rc = s->ops->audit->checkpoint_list(s, check_checkpoint, &k);
	if (!rc && heads)
		rc = check_heads(&k, heads, &out->heads);
	out->entries = w.n;
	out->checkpoints = k.n;
	free(w.hashes);
	free(k.seqs);
	return rc;
}

int vg_audit_check(struct vg_ctx *c, struct vg_audit_verified *out,
		   int *intact, char *err, size_t errlen)
{
	const char *heads = c->svc->heads;
	int rc = vg_audit_verify(c, heads && !access(heads, F_OK) ? heads : NULL,
				 NULL, out, err, errlen);
	if (rc == VG_EDENIED || rc == VG_ESTORE || rc == VG_ENOMEM)
		return rc;
	/* a finding is an answer, not a failure of the request */
	*intact = rc == VG_OK;
	if (rc && !err[0])
		snprintf(err, errlen, "%s", vg_strerror(rc));
	struct vg__detail d;
	vg__detail_begin(&d);
	vg_jw_kbool(&d.w, "intact", *intact);
	vg_jw_kint(&d.w, "entries", out->entries);
	vg_jw_kint(&d.w, "checkpoints", out->checkpoints);
	if (out->heads)
		vg_jw_kint(&d.w, "heads", out->heads);
	const char *detail = vg__detail_end(&d);
	rc = detail ? vg__audit_read(c, "audit.verify", "", detail) : VG_ENOMEM;
	vg__detail_release(&d);
	return rc;
}
