/* The read cache (readcache.h): the generations last read, the
 * principals of keys, the pages of objects. */
#include "readcache.h"
#include "service_int.h"
#include "vigil/util/error.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

enum { AUTH_SLOTS = 1024, PAGE_SLOTS = 4096 };

struct akey {
	int used;
	char id[17];
	unsigned char hash[VG_HASH_LEN];
	int64_t gen;           /* gens[1] when it was read */
	struct vg_principal p; /* groups and grants below */
	int64_t *groups, *grants;
	char user[128], org_name[128];
	int64_t expires;
};

struct page {
	struct page *next;
	uint64_t h;
	int64_t gens[2];
	char *key, *body, *target, *detail;
	size_t klen, len, size;
	struct vg_page_info info;
};

struct vg_rcache {
	pthread_mutex_t mu;
	int64_t gens[2]; /* as the writer last read them */
	/* the cached answers */
	pthread_rwlock_t lk;
	struct akey auth[AUTH_SLOTS];
	struct page *pages[PAGE_SLOTS];
	int64_t at[2]; /* the generations the pages were made at */
	size_t bytes, budget;
	_Atomic unsigned long long hits, misses, stale;
};

struct vg_rcache *vg__rcache_new(size_t budget)
{
	struct vg_rcache *k = calloc(1, sizeof(*k));
	if (!k)
		return NULL;
	pthread_mutex_init(&k->mu, NULL);
	pthread_rwlock_init(&k->lk, NULL);
	k->budget = budget;
	return k;
}

static void akey_clear(struct akey *a)
{
	free(a->groups);
	free(a->grants);
	sodium_memzero(a, sizeof(*a));
}

static void page_free(struct page *p)
{
	free(p->key);
	free(p->body);
	free(p->target);
	free(p->detail);
	free(p);
}

static void pages_clear(struct vg_rcache *k)
{
	for (size_t i = 0; i < PAGE_SLOTS; i++) {
		for (struct page *p = k->pages[i], *next; p; p = next) {
			next = p->next;
			page_free(p);
		}
		k->pages[i] = NULL;
	}
	k->bytes = 0;
}

void vg__rcache_free(struct vg_rcache *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < AUTH_SLOTS; i++)
		akey_clear(&k->auth[i]);
	pages_clear(k);
	pthread_rwlock_destroy(&k->lk);
	pthread_mutex_destroy(&k->mu);
	free(k);
}

/* ---- the generations ---------------------------------------------------- */

void vg__rcache_gens(struct vg_rcache *k, int64_t gens[2])
{
	pthread_mutex_lock(&k->mu);
	memcpy(gens, k->gens, sizeof(k->gens));
	pthread_mutex_unlock(&k->mu);
}

void vg__rcache_saw(struct vg_rcache *k, const int64_t gens[2])
{
	pthread_mutex_lock(&k->mu);
	/* the writer's readings come in commit order: a generation that
	 * goes back is a database restored or made again; nothing kept is
	 * taken for it */
	int back = gens[0] < k->gens[0] || gens[1] < k->gens[1];
	memcpy(k->gens, gens, sizeof(k->gens));
	pthread_mutex_unlock(&k->mu);
	if (back) {
		pthread_rwlock_wrlock(&k->lk);
		for (size_t i = 0; i < AUTH_SLOTS; i++)
			akey_clear(&k->auth[i]);
		pages_clear(k);
		memset(k->at, 0, sizeof(k->at));
		pthread_rwlock_unlock(&k->lk);
	}
}

int vg__rcache_check(struct vg_store *s, const struct vg_ctx *c)
{
	int64_t now[2];
	if (!c->svc || !c->svc->rcache) /* (a hub being made has none) */
		return VG_OK;
	/* read at the transaction's begin: no round trip, and the
	 * process learns where the store is */
	int rc = s->ops->gens(s, now);
	if (rc)
		return rc;
	vg__rcache_saw(c->svc->rcache, now);
	if (((c->kept & VG_KEPT_AUTH) && now[1] != c->gens[1]) ||
	    ((c->kept & VG_KEPT_DATA) && now[0] != c->gens[0])) {
		c->svc->rcache->stale++;
		return VG_ESTALE;
	}
	return VG_OK;
}

void vg__rcache_counts(struct vg_rcache *k, unsigned long long *hits,
                       unsigned long long *misses, unsigned long long *stale)
{
	*hits = k->hits;
	*misses = k->misses;
	*stale = k->stale;
}

/* hit, counted for /metrics */
static int counted(struct vg_rcache *k, int hit)
{
	if (hit)
		k->hits++;
	else
		k->misses++;
	return hit;
}

/* ---- principals --------------------------------------------------------- */

static struct akey *slot_of(struct vg_rcache *k, const char *id)
{
	/* ids are random hex: their first digits spread them */
	return &k->auth[strtoul((char[4]){id[0], id[1], id[2], '\0'}, NULL,
	                        16) %
	                AUTH_SLOTS];
}

static int64_t *dup_ids(const int64_t *v, size_t n, int *oom)
{
	if (!n)
		return NULL;
	int64_t *d = malloc(n * sizeof(*d));
	if (!d)
		*oom = 1;
	else
		memcpy(d, v, n * sizeof(*d));
	return d;
}

/* dst becomes src, with groups and grants (copies) its own */
static void give(struct vg_principal *dst, int64_t **dst_groups,
                 int64_t **dst_grants, const struct vg_principal *src,
                 int64_t *groups, int64_t *grants)
{
	*dst = *src;
	*dst_groups = groups;
	*dst_grants = grants;
	dst->groups = groups;
	dst->grants = grants;
}

int vg__rcache_auth_get(struct vg_ctx *c, const char *id,
                        const unsigned char *hash, const char *user,
                        const char *scheme)
{
	struct vg_rcache *k = c->svc->rcache;
	int hit = 0, oom = 0;
	pthread_rwlock_rdlock(&k->lk);
	struct akey *a = slot_of(k, id);
	if (a->used && a->gen == c->gens[1] && !strcmp(a->id, id) &&
	    !sodium_memcmp(a->hash, hash, VG_HASH_LEN) &&
	    (!a->expires || vg__now_us() < a->expires) &&
	    (!user || !strcmp(user, a->user))) {
		int64_t *groups = dup_ids(a->groups, a->p.n_groups, &oom);
		int64_t *grants = dup_ids(a->grants, a->p.n_grants, &oom);
		if (!oom) {
			free(c->groups);
			free(c->grants);
			give(&c->p, &c->groups, &c->grants, &a->p, groups,
			     grants);
			snprintf(c->user, sizeof(c->user), "%s", a->user);
			snprintf(c->org_name, sizeof(c->org_name), "%s",
			         a->org_name);
			c->key_expires = a->expires;
			snprintf(c->auth, sizeof(c->auth), "%s:%s", scheme, id);
			c->kept |= VG_KEPT_AUTH;
			hit = 1;
		} else {
			free(groups);
			free(grants);
		}
	}
	pthread_rwlock_unlock(&k->lk);
	return counted(k, hit);
}

void vg__rcache_auth_put(struct vg_ctx *c, const char *id,
                         const unsigned char *hash)
{
	struct vg_rcache *k = c->svc->rcache;
	int oom = 0;
	int64_t *groups = dup_ids(c->p.groups, c->p.n_groups, &oom);
	int64_t *grants = dup_ids(c->p.grants, c->p.n_grants, &oom);
	if (oom) {
		free(groups);
		free(grants);
		return;
	}
	pthread_rwlock_wrlock(&k->lk);
	struct akey *a = slot_of(k, id);
	if (a->used && a->gen > c->gens[1]) {
		/* a later request's: newer than this one */
		pthread_rwlock_unlock(&k->lk);
		free(groups);
		free(grants);
		return;
	}
	akey_clear(a);
	a->used = 1;
	snprintf(a->id, sizeof(a->id), "%s", id);
	memcpy(a->hash, hash, VG_HASH_LEN);
	a->gen = c->gens[1];
	give(&a->p, &a->groups, &a->grants, &c->p, groups, grants);
	snprintf(a->user, sizeof(a->user), "%s", c->user);
	snprintf(a->org_name, sizeof(a->org_name), "%s", c->org_name);
	a->expires = c->key_expires;
	pthread_rwlock_unlock(&k->lk);
}

/* ---- pages -------------------------------------------------------------- */

static uint64_t hash_of(const struct vg_buf *key)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (size_t i = 0; i < key->len; i++)
		h = (h ^ (unsigned char)key->data[i]) * 1099511628211ull;
	return h;
}

static struct page *page_find(struct vg_rcache *k, const struct vg_buf *key,
                              uint64_t h)
{
	for (struct page *p = k->pages[h % PAGE_SLOTS]; p; p = p->next)
		if (p->h == h && p->klen == key->len &&
		    !memcmp(p->key, key->data, key->len))
			return p;
	return NULL;
}

int vg__rcache_page_get(struct vg_ctx *c, const struct vg_buf *key,
                        struct vg_buf *out, struct vg_page_info *info,
                        char **target, char **detail)
{
	struct vg_rcache *k = c->svc->rcache;
	uint64_t h = hash_of(key);
	int hit = 0;
	if (!key->len)
		return 0;
	pthread_rwlock_rdlock(&k->lk);
	struct page *p = page_find(k, key, h);
	if (p && p->gens[0] == c->gens[0] && p->gens[1] == c->gens[1] &&
	    !vg_buf_append(out, p->body, p->len)) {
		*target = strdup(p->target);
		*detail = strdup(p->detail);
		*info = p->info;
		hit = *target && *detail;
		if (hit) {
			c->kept |= VG_KEPT_AUTH | VG_KEPT_DATA;
		} else {
			free(*target);
			free(*detail);
			vg_buf_reset(out);
		}
	}
	pthread_rwlock_unlock(&k->lk);
	return counted(k, hit);
}

void vg__rcache_page_put(struct vg_ctx *c, const struct vg_buf *key,
                         const struct vg_buf *body,
                         const struct vg_page_info *info, const char *target,
                         const char *detail)
{
	struct vg_rcache *k = c->svc->rcache;
	if (!key->len)
		return;
	struct page *p = calloc(1, sizeof(*p));
	if (!p)
		return;
	p->h = hash_of(key);
	memcpy(p->gens, c->gens, sizeof(p->gens));
	p->klen = key->len;
	p->len = body->len;
	p->key = malloc(key->len);
	p->body = malloc(body->len ? body->len : 1);
	p->target = strdup(target);
	p->detail = strdup(detail);
	p->info = *info;
	p->size = sizeof(*p) + key->len + body->len + strlen(target) +
	          strlen(detail) + 2;
	if (!p->key || !p->body || !p->target || !p->detail ||
	    p->size > k->budget) {
		page_free(p);
		return;
	}
	memcpy(p->key, key->data, key->len);
	memcpy(p->body, body->data, body->len);
	pthread_rwlock_wrlock(&k->lk);
	int newer = c->gens[0] > k->at[0] || c->gens[1] > k->at[1];
	int older = c->gens[0] < k->at[0] || c->gens[1] < k->at[1];
	int drop = 0;
	if (newer) {
		/* the store moved on: every page kept is out of date */
		pages_clear(k);
		memcpy(k->at, c->gens, sizeof(k->at));
	} else if (older || page_find(k, key, p->h)) {
		/* made before the pages kept, or kept by another request */
		drop = 1;
	} else if (k->bytes + p->size > k->budget) {
		/* full: start again with what is asked now */
		pages_clear(k);
	}
	if (drop) {
		pthread_rwlock_unlock(&k->lk);
		page_free(p);
		return;
	}
	p->next = k->pages[p->h % PAGE_SLOTS];
	k->pages[p->h % PAGE_SLOTS] = p;
	k->bytes += p->size;
	pthread_rwlock_unlock(&k->lk);
}
