/* Request contexts: who asks (the operator, or a user authenticated by an
 * API key), the checks every use case starts with, and the audit entries
 * every use case writes. */
#include "service_int.h"
#include "readcache.h"
#include "vigil/util/error.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vg_ctx_init(struct vg_ctx *c, struct vg_service *svc,
		 enum vg_channel channel, const char *source)
{
	memset(c, 0, sizeof(*c));
	c->svc = svc;
	c->channel = channel;
	snprintf(c->user, sizeof(c->user), "-");
	snprintf(c->source, sizeof(c->source), "%s", source ? source : "");
	/* what the read cache gives this request was made at the
	 * generations known as it came (and is checked on record) */
	if (svc && svc->rcache)
		vg__rcache_gens(svc->rcache, c->gens);
}

void vg_ctx_release(struct vg_ctx *c)
{
	free(c->groups);
	c->groups = NULL;
	c->p.groups = NULL;
	c->p.n_groups = 0;
	free(c->grants);
	c->grants = NULL;
	c->p.grants = NULL;
	c->p.n_grants = 0;
}

void vg_ctx_operator(struct vg_ctx *c, const char *login)
{
	snprintf(c->user, sizeof(c->user), "local:%s", login ? login : "?");
	snprintf(c->source, sizeof(c->source), "cli");
	c->p = (struct vg_principal){.operator = 1};
	c->authenticated = 1;
}

/* ---- authentication ------------------------------------------------------ */

const char *vg_auth_result_name(enum vg_auth_result r)
{
	static const char *const names[] = {
		"ok", "missing credentials", "malformed key", "unknown key",
		"revoked key", "expired key", "disabled user", "key of another user",
		"unsupported scheme", "unknown session", "expired session",
	};
	return (unsigned)r < sizeof(names) / sizeof(names[0]) ? names[r] : "?";
}

struct found {
	int have;
	char user_name[128];
	int64_t user;
	unsigned char hash[VG_HASH_LEN];
	int64_t expires;
	int revoked;
};

static int take_key(void *ud, const struct vg_key *k)
{
	struct found *f = ud;
	f->have = 1;
	snprintf(f->user_name, sizeof(f->user_name), "%s", k->user_name);
	f->user = k->user;
	memcpy(f->hash, k->hash, VG_HASH_LEN);
	f->expires = k->expires;
	f->revoked = k->revoked;
	return 0;
}

/* The key's user becomes c's principal, unless disabled: a failed
 * authentication leaves c as it was (no one). */
static int take_user(void *ud, const struct vg_user *u)
{
	struct vg_ctx *c = ud;
	if (u->disabled)
		return VG_EDENIED;
	c->p.user = u->id;
	c->p.org = u->org;
	c->p.role = (enum vg_role)u->role;
	c->p.clearance = u->clearance;
	snprintf(c->user, sizeof(c->user), "%s", u->name);
	snprintf(c->org_name, sizeof(c->org_name), "%s", u->org_name);
	return 0;
}

int vg__key_principal(struct vg_ctx *c, struct vg_store *s, const char *id,
		      const unsigned char *hash, const char *user,
		      const char *scheme, enum vg_auth_result *res)
{
	struct found f = {0};
	int rc = s->ops->hub->key_find(s, id, take_key, &f);
	if (rc && rc != VG_ENOTFOUND)
		return rc;
	*res = VG_AUTH_UNKNOWN;
	if (!f.have || (hash && sodium_memcmp(hash, f.hash, VG_HASH_LEN) != 0))
		return VG_OK;
	if (f.revoked) {
		*res = VG_AUTH_REVOKED;
		return VG_OK;
	}
	if (f.expires && vg__now_us() >= f.expires) {
		*res = VG_AUTH_EXPIRED;
		return VG_OK;
	}
	if (user && strcmp(user, f.user_name)) {
		*res = VG_AUTH_WRONG_USER;
		return VG_OK;
	}
	rc = s->ops->hub->user_find(s, NULL, f.user, take_user, c);
	if (rc == VG_EDENIED) {
		*res = VG_AUTH_DISABLED;
		return VG_OK;
	}
	if (rc)
		return rc == VG_ENOTFOUND ? VG_OK : rc;
	int64_t *groups = NULL;
	size_t n = 0;
	rc = s->ops->sharing->groups_of(s, c->p.org, &groups, &n);
	if (rc)
		return rc;
	/* every group, however many: one dropped would narrow the reads and
	 * hide the cause */
	free(c->groups);
	c->groups = groups;
	c->p.groups = groups;
	c->p.n_groups = n;
	/* the rows owners granted the organisation (early warning): none
	 * for nearly everyone, one indexed probe */
	if (s->ops->warn) {
		int64_t *grants = NULL;
		rc = s->ops->warn->grants_of(s, c->p.org, &grants, &n);
		if (rc)
			return rc;
		free(c->grants);
		c->grants = grants;
		c->p.grants = grants;
		c->p.n_grants = n;
	}
	c->key_expires = f.expires;
	snprintf(c->auth, sizeof(c->auth), "%s:%s", scheme, id);
	*res = VG_AUTH_OK;
	return VG_OK;
}

/* Check key (and the Basic user) against the store; *res says the
 * outcome, c becomes the user's principal when it is VG_AUTH_OK. */
static int check_key(struct vg_ctx *c, struct vg_store *s, const char *key,
		     const char *user, enum vg_auth_result *res)
{
	char id[17];
	unsigned char hash[VG_HASH_LEN];
	*res = VG_AUTH_MALFORMED;
	/* vgk_ + 16 hex + _ + 43 base64url */
	if (strlen(key) != 4 + 16 + 1 + 43 || strncmp(key, "vgk_", 4) ||
	    key[20] != '_')
		return VG_OK;
	memcpy(id, key + 4, 16);
	id[16] = '\0';
	for (int i = 0; i < 16; i++)
		if (!strchr("0123456789abcdef", id[i]))
			return VG_OK;
	/* hash even for an unknown id, so both take the same time */
	crypto_generichash(hash, VG_HASH_LEN, (const unsigned char *)key + 21,
			   43, NULL, 0);
	const char *scheme = user ? "basic" : "key";
	struct vg_rcache *k = c->may_keep ? c->svc->rcache : NULL;
	if (k && vg__rcache_auth_get(c, id, hash, user, scheme)) {
		*res = VG_AUTH_OK;
		return VG_OK;
	}
	int rc = vg__key_principal(c, s, id, hash, user, scheme, res);
	if (k && !rc && *res == VG_AUTH_OK)
		vg__rcache_auth_put(c, id, hash);
	return rc;
}

int vg_ctx_authenticate(struct vg_ctx *c, enum vg_cred_scheme scheme,
			const char *key, const char *user, const char *what,
			enum vg_auth_result *res)
{
	struct vg_store *s = vg__reader(c->svc);
	int rc = VG_OK;
	if (!s)
		return VG_ESTORE;
	*res = scheme == VG_CRED_NONE    ? VG_AUTH_MISSING
	       : scheme == VG_CRED_OTHER ? VG_AUTH_SCHEME
	       : !key || !*key           ? VG_AUTH_MISSING
					 : VG_AUTH_MALFORMED;
	if (*res == VG_AUTH_MALFORMED) {
		/* the key, its user, groups and grants: one state of the
		 * store, read under one lock */
		if (s->ops->read_begin && (rc = s->ops->read_begin(s)))
			return rc;
		rc = check_key(c, s, key, scheme == VG_CRED_BASIC ? user : NULL, res);
		if (s->ops->read_begin)
			s->ops->read_end(s);
	}
	if (rc)
		return rc;
	if (*res == VG_AUTH_OK) {
		c->authenticated = 1;
		return VG_OK;
	}
	return vg__auth_fail(c, *res,
			     scheme == VG_CRED_BASIC && user ? user : "", what);
}

int vg__auth_fail(struct vg_ctx *c, enum vg_auth_result res,
		  const char *target, const char *what)
{
	/* a failure is on record too, with where it came from: the name a
	 * Basic client gave is its target, never trusted as the actor */
	struct vg__detail d;
	vg__detail_begin(&d);
	vg_jw_kstr(&d.w, "reason", vg_auth_result_name(res));
	vg_jw_key(&d.w, "path");
	vg_jw_strn(&d.w, what ? what : "", 200);
	const char *detail = vg__detail_end(&d);
	int rc = detail ? vg__audit_read(c, "auth.fail", target, detail)
			: VG_ENOMEM;
	vg__detail_release(&d);
	return rc;
}

/* ---- checks ------------------------------------------------------------- */

int vg__require(struct vg_ctx *c, enum vg_action action, const char *what)
{
	static const char *const names[] = {
		"read", "write", "org-admin", "hub-admin", "audit", "screen",
	};
	/* a partner hub's principal reads and writes by sync, nothing else
	 * (docs/federation.md) */
	int hub = !c->p.operator && !strncmp(c->org_name, "hub:", 4) &&
		  action != VG_ACT_READ && action != VG_ACT_WRITE;
	if (c->authenticated && !hub && vg_principal_allows(&c->p, action))
		return VG_OK;
	return vg__deny(c, (unsigned)action < 6 ? names[action] : "?", what);
}

int vg__deny(struct vg_ctx *c, const char *needs, const char *what)
{
	struct vg__detail d;
	vg__detail_begin(&d);
	vg_jw_kstr(&d.w, "needs", needs);
	vg_jw_kstr(&d.w, "role", c->p.operator ? "operator"
						: vg_role_name(c->p.role));
	const char *detail = vg__detail_end(&d);
	int rc = detail ? vg__audit_read(c, "access.denied", what ? what : "",
					 detail)
			: VG_ENOMEM;
	vg__detail_release(&d);
	return rc ? rc : VG_EDENIED;
}

int vg_ctx_require(struct vg_ctx *c, enum vg_action action, const char *what)
{
	return vg__require(c, action, what);
}

int vg__may_read(struct vg_ctx *c, const char *what)
{
	if (!c->authenticated)
		return vg__deny(c, "authentication", what);
	return vg_ctx_purpose(c);
}

int vg_ctx_purpose(const struct vg_ctx *c)
{
	if (c->svc->conf.purpose_required && !c->p.operator &&
	    (!c->purpose || !*c->purpose))
		return VG_EPURPOSE;
	return VG_OK;
}

/* ---- audit -------------------------------------------------------------- */

void vg__detail_begin(struct vg__detail *d)
{
	vg_buf_init(&d->b, 1 << 20);
	vg_jw_init(&d->w, &d->b);
	vg_jw_obj(&d->w);
}

const char *vg__detail_end(struct vg__detail *d)
{
	vg_jw_close(&d->w);
	return vg_jw_end(&d->w) ? NULL : d->b.data;
}

void vg__detail_release(struct vg__detail *d)
{
	vg_buf_release(&d->b);
}

int vg__audit(struct vg_store *s, const struct vg_ctx *c, const char *action,
	      const char *target, const char *detail)
{
	struct vg_audit_entry e = {
		.ts = vg__now_us(),
		.actor = c->user,
		.org = c->p.org,
		.action = action,
		.target = target ? target : "",
		.detail = detail ? detail : "{}",
		.source = c->source,
		.purpose = c->purpose ? c->purpose : "",
		.auth = c->auth,
	};
	int64_t seq;
	unsigned char head[VG_HASH_LEN];
	/* an answer from the read cache is on record only if still right */
	int rc = vg__rcache_check(s, c);
	if (!rc)
		rc = s->ops->audit->head(s, &seq, head);
	if (rc)
		return rc;
	vg_audit_link(&e, seq, head);
	return s->ops->audit->append(s, &e);
}

struct entry_job {
	const struct vg_ctx *c;
	const char *action, *target, *detail;
};

static int entry_fn(struct vg_store *s, void *arg)
{
	struct entry_job *j = arg;
	return vg__audit(s, j->c, j->action, j->target, j->detail);
}

int vg__audit_now(struct vg_ctx *c, const char *action, const char *target,
		  const char *detail)
{
	struct entry_job j = {c, action, target, detail};
	return vg__write(c->svc, entry_fn, &j);
}

int vg__audit_read(struct vg_ctx *c, const char *action, const char *target,
		   const char *detail)
{
	struct vg_audit_defer *d = c->defer;
	if (!d)
		return vg__audit_now(c, action, target, detail);
	if (d->n == VG_DEFER_MAX)
		return VG_EINTERNAL;
	snprintf(d->e[d->n].action, sizeof(d->e[d->n].action), "%s", action);
	d->e[d->n].target = strdup(target ? target : "");
	d->e[d->n].detail = strdup(detail ? detail : "{}");
	if (!d->e[d->n].target || !d->e[d->n].detail) {
		free(d->e[d->n].target);
		free(d->e[d->n].detail);
		return VG_ENOMEM;
	}
	d->n++;
	return VG_OK;
}

static int deferred_fn(struct vg_store *s, void *arg)
{
	const struct vg_ctx *c = arg;
	const struct vg_audit_defer *d = c->defer;
	int rc = vg__rcache_check(s, c); /* also with no entry */
	for (size_t i = 0; !rc && i < d->n; i++)
		rc = vg__audit(s, c, d->e[i].action, d->e[i].target,
			       d->e[i].detail);
	return rc;
}

int vg_ctx_commit_reads(struct vg_ctx *c, void (*done)(void *arg, int result),
			void *arg)
{
	return vg_writer_submit(c->svc->writer, deferred_fn, c, done, arg);
}

void vg_audit_defer_release(struct vg_audit_defer *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->e[i].target);
		free(d->e[i].detail);
	}
	d->n = 0;
}
