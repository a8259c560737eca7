/* The console's sessions (session.h): a table in the server's memory,
 * under one lock, keyed by the hash of each session's id. A session
 * remembers the key that opened it; every request re-derives the
 * principal from that key, so a session never outlives its key's rights. */
#include "service_int.h"
#include "vigil/service/session.h"
#include "vigil/util/error.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Enough for every analyst of a hub several times over; past it the
 * session idle the longest gives way (never a refusal to sign in). */
#define MAX_SESSIONS 10000

struct sess {
	unsigned char hash[32]; /* BLAKE2b-256 of the id */
	char csrf[VG_SESSION_TOKEN_LEN];
	char key[17]; /* the key that opened it */
	char purpose[VG_PURPOSE_MAX + 1];
	int64_t created, last, expires;
};

struct vg_sessions {
	pthread_mutex_t mu;
	struct sess *v;
	size_t n, cap;
};

int vg__sessions_new(struct vg_sessions **out)
{
	struct vg_sessions *ss = calloc(1, sizeof(*ss));
	if (!ss)
		return VG_ENOMEM;
	pthread_mutex_init(&ss->mu, NULL);
	*out = ss;
	return VG_OK;
}

void vg__sessions_free(struct vg_sessions *ss)
{
	if (!ss)
		return;
	if (ss->v)
		sodium_memzero(ss->v, ss->cap * sizeof(*ss->v));
	free(ss->v);
	pthread_mutex_destroy(&ss->mu);
	free(ss);
}

static int64_t idle_us(const struct vg_service *svc)
{
	return svc->conf.session_idle_us > 0 ? svc->conf.session_idle_us
	                                     : 30LL * 60 * 1000000;
}

static int64_t max_us(const struct vg_service *svc)
{
	return svc->conf.session_max_us > 0 ? svc->conf.session_max_us
	                                    : 12LL * 3600 * 1000000;
}

static void token(char out[VG_SESSION_TOKEN_LEN])
{
	unsigned char rnd[32];
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2base64(out, VG_SESSION_TOKEN_LEN, rnd, sizeof(rnd),
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(rnd, sizeof(rnd));
}

/* The hash of a presented id; -1 when it is not the shape of one. */
static int hash_of(const char *sid, unsigned char h[32])
{
	if (!sid || strlen(sid) != VG_SESSION_TOKEN_LEN - 1 ||
	    strspn(sid, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                "0123456789-_") != VG_SESSION_TOKEN_LEN - 1)
		return -1;
	crypto_generichash(h, 32, (const unsigned char *)sid, strlen(sid), NULL,
	                   0);
	return 0;
}

static int expired(const struct vg_service *svc, const struct sess *e,
                   int64_t now)
{
	return now >= e->expires || now - e->last > idle_us(svc);
}

/* Under the lock. */
static void drop(struct vg_sessions *ss, size_t i)
{
	ss->v[i] = ss->v[--ss->n];
	sodium_memzero(&ss->v[ss->n], sizeof(ss->v[ss->n]));
}

static struct sess *find(struct vg_sessions *ss, const unsigned char h[32])
{
	for (size_t i = 0; i < ss->n; i++)
		if (!memcmp(ss->v[i].hash, h, 32))
			return &ss->v[i];
	return NULL;
}

static void info_of(const struct vg_service *svc, const struct sess *e,
                    struct vg_session_info *out)
{
	memset(out, 0, sizeof(*out));
	memcpy(out->csrf, e->csrf, sizeof(out->csrf));
	memcpy(out->purpose, e->purpose, sizeof(out->purpose));
	out->created = e->created;
	out->expires = e->expires;
	out->idle_us = idle_us(svc);
}

/* Keep e, making room: expired sessions go first, then the one idle the
 * longest. */
static int insert(struct vg_service *svc, const struct sess *e)
{
	struct vg_sessions *ss = svc->sessions;
	int rc = VG_OK;
	pthread_mutex_lock(&ss->mu);
	for (size_t i = 0; i < ss->n;)
		if (expired(svc, &ss->v[i], e->created))
			drop(ss, i);
		else
			i++;
	if (ss->n == MAX_SESSIONS) {
		size_t old = 0;
		for (size_t i = 1; i < ss->n; i++)
			if (ss->v[i].last < ss->v[old].last)
				old = i;
		drop(ss, old);
	}
	if (ss->n == ss->cap) {
		size_t cap = ss->cap ? ss->cap * 2 : 16;
		struct sess *v = calloc(cap, sizeof(*v));
		if (!v) {
			rc = VG_ENOMEM;
			goto out;
		}
		if (ss->v) {
			memcpy(v, ss->v, ss->n * sizeof(*v));
			sodium_memzero(ss->v, ss->cap * sizeof(*v));
			free(ss->v);
		}
		ss->v = v;
		ss->cap = cap;
	}
	ss->v[ss->n++] = *e;
out:
	pthread_mutex_unlock(&ss->mu);
	return rc;
}

/* End the session sid, without a record (the caller has one). */
static void forget(struct vg_service *svc, const char *sid)
{
	unsigned char h[32];
	if (hash_of(sid, h))
		return;
	pthread_mutex_lock(&svc->sessions->mu);
	struct sess *e = find(svc->sessions, h);
	if (e)
		drop(svc->sessions, (size_t)(e - svc->sessions->v));
	pthread_mutex_unlock(&svc->sessions->mu);
}

static int purpose_ok(struct vg_ctx *c, const char *purpose)
{
	if (purpose && strlen(purpose) > VG_PURPOSE_MAX)
		return VG_EINVAL;
	if (c->svc->conf.purpose_required && (!purpose || !*purpose))
		return VG_EPURPOSE;
	return VG_OK;
}

int vg_session_open(struct vg_ctx *c, const char *user, const char *key,
                    const char *purpose, struct vg_session_info *out,
                    enum vg_auth_result *res)
{
	struct sess e = {0};
	char sid[VG_SESSION_TOKEN_LEN];
	int rc = vg_ctx_authenticate(c, VG_CRED_BASIC, key, user,
	                             "/api/v1/session", res);
	if (rc || *res != VG_AUTH_OK)
		return rc;
	rc = purpose_ok(c, purpose);
	if (rc)
		return rc;
	/* the key's id, from "basic:ID" */
	const char *colon = strchr(c->auth, ':');
	snprintf(e.key, sizeof(e.key), "%s", colon ? colon + 1 : "");
	token(sid);
	token(e.csrf);
	hash_of(sid, e.hash);
	snprintf(e.purpose, sizeof(e.purpose), "%s", purpose ? purpose : "");
	e.created = e.last = vg__now_us();
	e.expires = e.created + max_us(c->svc);
	if (c->key_expires && c->key_expires < e.expires)
		e.expires = c->key_expires;
	snprintf(c->auth, sizeof(c->auth), "session:%s", e.key);
	c->purpose = e.purpose[0] ? e.purpose : NULL;
	c->channel = VG_CHANNEL_WEB;
	rc = insert(c->svc, &e);
	if (rc)
		goto out;
	struct vg__detail d;
	vg__detail_begin(&d);
	vg_jw_kint(&d.w, "idle_seconds", idle_us(c->svc) / 1000000);
	vg_jw_kint(&d.w, "lifetime_seconds", (e.expires - e.created) / 1000000);
	const char *detail = vg__detail_end(&d);
	rc = detail ? vg__audit_now(c, "session.open", c->user, detail)
	            : VG_ENOMEM;
	vg__detail_release(&d);
	if (rc) {
		forget(c->svc, sid);
		goto out;
	}
	info_of(c->svc, &e, out);
	memcpy(out->id, sid, sizeof(out->id));
	c->purpose = NULL; /* e is this function's: the caller keeps out */
out:
	sodium_memzero(sid, sizeof(sid));
	sodium_memzero(&e, sizeof(e));
	return rc;
}

int vg_session_authenticate(struct vg_ctx *c, const char *sid, int write,
                            const char *csrf, const char *what,
                            struct vg_session_info *out,
                            enum vg_auth_result *res)
{
	struct vg_store *s = vg__reader(c->svc);
	struct vg_sessions *ss = c->svc->sessions;
	unsigned char h[32];
	struct sess e;
	int found = 0, rc;
	if (!s)
		return VG_ESTORE;
	int64_t now = vg__now_us();
	*res = VG_AUTH_SESSION_UNKNOWN;
	if (!hash_of(sid, h)) {
		pthread_mutex_lock(&ss->mu);
		struct sess *p = find(ss, h);
		if (p && expired(c->svc, p, now)) {
			*res = VG_AUTH_SESSION_EXPIRED;
			drop(ss, (size_t)(p - ss->v));
		} else if (p) {
			e = *p;
			found = 1;
		}
		pthread_mutex_unlock(&ss->mu);
	}
	if (found) {
		rc = vg__key_principal(c, s, e.key, NULL, NULL, "session", res);
		if (rc)
			goto out;
		if (*res != VG_AUTH_OK)
			forget(c->svc, sid);
	}
	if (*res != VG_AUTH_OK) {
		rc = vg__auth_fail(c, *res, "", what);
		goto out;
	}
	c->authenticated = 1;
	c->channel = VG_CHANNEL_WEB;
	/* the idle time starts again: the session may have ended meanwhile
	 * (sign-out on another tab), and then it stays ended */
	pthread_mutex_lock(&ss->mu);
	struct sess *p = find(ss, h);
	if (p)
		p->last = now;
	pthread_mutex_unlock(&ss->mu);
	info_of(c->svc, &e, out);
	rc = VG_OK;
	if (write && (!csrf || strlen(csrf) != strlen(e.csrf) ||
	              sodium_memcmp(csrf, e.csrf, strlen(e.csrf)) != 0))
		rc = vg__deny(c, "csrf-token", what);
out:
	sodium_memzero(&e, sizeof(e));
	return rc;
}

int vg_session_close(struct vg_ctx *c, const char *sid)
{
	if (!c->authenticated || c->channel != VG_CHANNEL_WEB)
		return vg__deny(c, "session", "session.close");
	forget(c->svc, sid);
	return vg__audit_now(c, "session.close", c->user, "{}");
}

int vg_session_set_purpose(struct vg_ctx *c, const char *sid,
                           const char *purpose, struct vg_session_info *out)
{
	unsigned char h[32];
	if (!c->authenticated || c->channel != VG_CHANNEL_WEB ||
	    hash_of(sid, h))
		return vg__deny(c, "session", "session.purpose");
	int rc = purpose_ok(c, purpose);
	if (rc)
		return rc;
	struct sess e;
	int found = 0;
	pthread_mutex_lock(&c->svc->sessions->mu);
	struct sess *p = find(c->svc->sessions, h);
	if (p) {
		snprintf(p->purpose, sizeof(p->purpose), "%s", purpose);
		e = *p;
		found = 1;
	}
	pthread_mutex_unlock(&c->svc->sessions->mu);
	if (!found)
		return VG_ENOTFOUND;
	/* the entry carries the new purpose, as every later one */
	c->purpose = purpose;
	rc = vg__audit_now(c, "session.purpose", c->user, "{}");
	info_of(c->svc, &e, out);
	sodium_memzero(&e, sizeof(e));
	return rc;
}

int vg_session_read(struct vg_ctx *c)
{
	if (!c->authenticated)
		return vg__deny(c, "authentication", "session.read");
	return vg__audit_read(c, "session.read", c->user, "{}");
}

size_t vg_session_count(struct vg_service *svc)
{
	pthread_mutex_lock(&svc->sessions->mu);
	size_t n = svc->sessions->n;
	pthread_mutex_unlock(&svc->sessions->mu);
	return n;
}

size_t vg_ctx_actions(const struct vg_ctx *c, const char *names[6])
{
	static const char *const all[] = {"read",      "write", "org-admin",
	                                  "hub-admin", "audit", "screen"};
	size_t n = 0;
	for (int a = VG_ACT_READ; a <= VG_ACT_SCREEN; a++)
		if (c->authenticated &&
		    vg_principal_allows(&c->p, (enum vg_action)a))
			names[n++] = all[a];
	return n;
}
