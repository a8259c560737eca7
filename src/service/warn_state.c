/* Early warning's state in the service: settings, the watch cache and
 * its generation, each thread's working state, the listeners of the live
 * stream and the ticker that notices alerts raised by other processes,
 * the hourly allowance of hit / no-hit answers, and small helpers. */
#include "warn_int.h"
#include "vigil/util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- settings ------------------------------------------------------------ */

static int64_t setting_int(struct vg_store *s, const char *key, int64_t dflt)
{
	char v[64];
	if (vg__setting(s, key, v, sizeof(v)))
		return dflt;
	char *end;
	long long n = strtoll(v, &end, 10);
	return *v && !*end ? n : dflt;
}

int vg__warn_conf_read(struct vg_store *s, struct vg__warn_conf *c)
{
	char v[64];
	c->index =
	    vg__setting(s, "warn.index", v, sizeof(v)) || strcmp(v, "off");
	c->budget = setting_int(s, "warn.budget", 100);
	c->hits_per_hour = setting_int(s, "warn.hits_per_hour", 300);
	c->k = setting_int(s, "warn.k", 3);
	c->retro_max = setting_int(s, "warn.retro_max", 1000);
	if (vg__setting(s, "warn.webhook_hosts", c->webhook_hosts,
	                sizeof(c->webhook_hosts)))
		c->webhook_hosts[0] = '\0';
	c->name_threshold = VG_MATCH_DEFAULT_THRESHOLD;
	if (!vg__setting(s, "warn.name_threshold", v, sizeof(v))) {
		char *end;
		double d = strtod(v, &end);
		if (!*end && d > 0 && d <= 1)
			c->name_threshold = d;
	}
	return VG_OK;
}

/* ---- the string map --------------------------------------------------------
 */

struct slot {
	char *key;
	uint64_t h; /* key's hash: most probes end without reading key */
	uint32_t *v;
	uint32_t n, cap;
};

struct vg__smap {
	struct slot *s;
	size_t cap, used;
};

static uint64_t hash(const char *k)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *k; k++) {
		h ^= (unsigned char)*k;
		h *= 1099511628211ULL;
	}
	return h;
}

int vg__smap_new(size_t hint, struct vg__smap **out)
{
	struct vg__smap *m = calloc(1, sizeof(*m));
	size_t cap = 64;
	while (cap < hint * 2)
		cap *= 2;
	if (!m || !(m->s = calloc(cap, sizeof(*m->s)))) {
		free(m);
		return VG_ENOMEM;
	}
	m->cap = cap;
	*out = m;
	return VG_OK;
}

void vg__smap_free(struct vg__smap *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->cap; i++) {
		free(m->s[i].key);
		free(m->s[i].v);
	}
	free(m->s);
	free(m);
}

static struct slot *find_h(const struct vg__smap *m, const char *key,
                           uint64_t h)
{
	size_t i = h & (m->cap - 1);
	while (m->s[i].key && (m->s[i].h != h || strcmp(m->s[i].key, key)))
		i = (i + 1) & (m->cap - 1);
	return &m->s[i];
}

static struct slot *find(const struct vg__smap *m, const char *key)
{
	return find_h(m, key, hash(key));
}

static int grow(struct vg__smap *m)
{
	struct vg__smap n = {.cap = m->cap * 2};
	if (!(n.s = calloc(n.cap, sizeof(*n.s))))
		return VG_ENOMEM;
	for (size_t i = 0; i < m->cap; i++)
		if (m->s[i].key)
			*find_h(&n, m->s[i].key, m->s[i].h) = m->s[i];
	free(m->s);
	m->s = n.s;
	m->cap = n.cap;
	return VG_OK;
}

int vg__smap_add(struct vg__smap *m, const char *key, uint32_t v)
{
	if ((m->used + 1) * 2 > m->cap && grow(m))
		return VG_ENOMEM;
	uint64_t h = hash(key);
	struct slot *s = find_h(m, key, h);
	if (!s->key) {
		if (!(s->key = strdup(key)))
			return VG_ENOMEM;
		s->h = h;
		m->used++;
	}
	for (uint32_t i = 0; i < s->n; i++)
		if (s->v[i] == v)
			return VG_OK;
	if (s->n == s->cap) {
		uint32_t cap = s->cap ? s->cap * 2 : 2;
		uint32_t *nv = realloc(s->v, cap * sizeof(*nv));
		if (!nv)
			return VG_ENOMEM;
		s->v = nv;
		s->cap = cap;
	}
	s->v[s->n++] = v;
	return VG_OK;
}

const uint32_t *vg__smap_get(const struct vg__smap *m, const char *key,
                             size_t *n)
{
	const struct slot *s = find(m, key);
	*n = s->key ? s->n : 0;
	return s->key ? s->v : NULL;
}

/* ---- each thread's working state ----------------------------------------- */

static pthread_key_t tls_key;
static pthread_once_t tls_once = PTHREAD_ONCE_INIT;

static void tls_free(void *p)
{
	struct vg__warn_tls *t = p;
	if (!t)
		return;
	vg_warn_keyer_free(t->keyer);
	vg_match_scratch_free(t->pair);
	vg_match_scratch_free(t->scratch);
	vg_pattern_matcher_free(t->matcher);
	vg_warn_keyset_release(&t->keys);
	free(t);
}

static void tls_init(void)
{
	pthread_key_create(&tls_key, tls_free);
}

struct vg__warn_tls *vg__warn_tls(const struct vg__wcache *c)
{
	pthread_once(&tls_once, tls_init);
	struct vg__warn_tls *t = pthread_getspecific(tls_key);
	if (!t) {
		t = calloc(1, sizeof(*t));
		if (!t || vg_warn_keyer_new(&t->keyer)) {
			free(t);
			return NULL;
		}
		vg_warn_keyset_init(&t->keys);
		pthread_setspecific(tls_key, t);
	}
	/* the scratch and matcher serve one cache: made again for another */
	if (c && t->serial != c->serial) {
		vg_match_scratch_free(t->scratch);
		vg_pattern_matcher_free(t->matcher);
		t->scratch = NULL;
		t->matcher = NULL;
		t->serial = c->serial;
		if (c->names && vg_match_scratch_new(c->names, &t->scratch))
			t->scratch = NULL;
		if (c->patterns &&
		    vg_pattern_matcher_new(c->patterns, &t->matcher))
			t->matcher = NULL;
		if ((c->names && !t->scratch) || (c->patterns && !t->matcher)) {
			t->serial = 0;
			return NULL;
		}
	}
	return t;
}

struct vg_match_scratch *vg__warn_pair_scratch(struct vg__warn_tls *t)
{
	if (t && !t->pair && vg_match_scratch_new(NULL, &t->pair))
		t->pair = NULL;
	return t ? t->pair : NULL;
}

/* The calling thread's state goes (the main thread never exits through
 * pthread_exit, so its destructor would not run). */
static void tls_release_here(void)
{
	pthread_once(&tls_once, tls_init);
	struct vg__warn_tls *t = pthread_getspecific(tls_key);
	if (t) {
		pthread_setspecific(tls_key, NULL);
		tls_free(t);
	}
}

/* ---- the cache -------------------------------------------------------------
 */

#define GEN_KEY "gen.warn"

int vg__warn_gen_move(struct vg_store *s)
{
	char v[32];
	int64_t g = setting_int(s, GEN_KEY, 0);
	snprintf(v, sizeof(v), "%lld", (long long)g + 1);
	int rc = s->ops->hub->set(s, GEN_KEY, v);
	/* the other processes rebuild their cache before they are asked */
	if (!rc && s->ops->notify)
		rc = s->ops->notify(s, VG__TOPIC_WATCHES);
	return rc;
}

static void put_locked(struct vg__wcache *c, int *last)
{
	*last = --c->refs == 0;
}

void vg__warn_cache_put(struct vg_service *svc, struct vg__wcache *c)
{
	int last;
	if (!c)
		return;
	pthread_mutex_lock(&svc->warn->mu);
	put_locked(c, &last);
	pthread_mutex_unlock(&svc->warn->mu);
	if (last)
		vg__warn_cache_free(c);
}

void vg__warn_cache_drop(struct vg_service *svc)
{
	struct vg_warn_state *w = svc->warn;
	int last = 0;
	pthread_mutex_lock(&w->mu);
	struct vg__wcache *c = w->cache;
	w->cache = NULL;
	if (c)
		put_locked(c, &last);
	pthread_mutex_unlock(&w->mu);
	if (last)
		vg__warn_cache_free(c);
}

int vg__warn_cache_get(struct vg_service *svc, struct vg_store *s,
                       struct vg__wcache **out)
{
	struct vg_warn_state *w = svc->warn;
	int64_t gen = setting_int(s, GEN_KEY, 0);
	for (;;) {
		pthread_mutex_lock(&w->mu);
		struct vg__wcache *c = w->cache;
		if (c && c->gen == gen) {
			c->refs++;
			pthread_mutex_unlock(&w->mu);
			*out = c;
			return VG_OK;
		}
		if (!w->building)
			break;
		/* another thread builds it: wait for it (as the screening
		 * index does). The cache held is older than the generation
		 * read: matching with it would miss the watches made since,
		 * and the arrivals they should alert on */
		pthread_mutex_unlock(&w->mu);
		struct timespec ms = {0, 1000000};
		nanosleep(&ms, NULL);
	}
	w->building = 1;
	pthread_mutex_unlock(&w->mu);
	struct vg__wcache *n = NULL;
	int rc = vg__warn_cache_build(s, gen, 0, &n);
	int last = 0;
	pthread_mutex_lock(&w->mu);
	w->building = 0;
	struct vg__wcache *old = NULL;
	if (!rc) {
		old = w->cache;
		n->refs = 2; /* the state's and the caller's */
		w->cache = n;
		if (old)
			put_locked(old, &last);
	}
	pthread_mutex_unlock(&w->mu);
	if (last)
		vg__warn_cache_free(old);
	if (rc)
		return rc;
	*out = n;
	return VG_OK;
}

void vg__warn_cache_ref(struct vg_service *svc, struct vg__wcache *c)
{
	pthread_mutex_lock(&svc->warn->mu);
	c->refs++;
	pthread_mutex_unlock(&svc->warn->mu);
}

int64_t vg__warn_gen(struct vg_store *s)
{
	return setting_int(s, GEN_KEY, 0);
}

int vg__warn_cache_for(struct vg_service *svc, struct vg_store *s, int64_t gen,
                       struct vg__wcache **out)
{
	struct vg_warn_state *w = svc->warn;
	pthread_mutex_lock(&w->mu);
	struct vg__wcache *c = w->cache;
	if (c && c->gen == gen)
		c->refs++;
	else
		c = NULL;
	pthread_mutex_unlock(&w->mu);
	if (c) {
		*out = c;
		return VG_OK;
	}
	/* built from s as its transaction sees the watches (perhaps changed
	 * by an earlier job of the same transaction, not yet committed):
	 * the caller's alone, never the process's */
	int rc = vg__warn_cache_build(s, gen, 0, &c);
	if (rc)
		return rc;
	c->refs = 1;
	*out = c;
	return VG_OK;
}

int vg__warn_alert_add(struct vg_store *s, const struct vg_alert_row *a,
                       int64_t *seq)
{
	int rc = s->ops->warn->alert_add(s, a, seq);
	if (!rc && s->ops->notify)
		rc = s->ops->notify(s, VG__TOPIC_ALERTS);
	return rc;
}

int vg__warn_cache_refresh(struct vg_service *svc, struct vg_store *s)
{
	struct vg__wcache *c = NULL;
	int rc = svc->warn ? vg__warn_cache_get(svc, s, &c) : VG_OK;
	vg__warn_cache_put(svc, c);
	return rc;
}

/* ---- listeners and the ticker ------------------------------------------- */

int vg_warn_listen(struct vg_service *svc, void (*fn)(void *), void *arg)
{
	struct vg_warn_state *w = svc->warn;
	int rc = VG_OK;
	pthread_mutex_lock(&w->mu);
	if (w->n_listeners == w->cap_listeners) {
		size_t cap = w->cap_listeners ? w->cap_listeners * 2 : 8;
		struct listener *l = realloc(w->listeners, cap * sizeof(*l));
		if (!l)
			rc = VG_ENOMEM;
		else {
			w->listeners = l;
			w->cap_listeners = cap;
		}
	}
	if (!rc)
		w->listeners[w->n_listeners++] = (struct listener){fn, arg};
	pthread_mutex_unlock(&w->mu);
	return rc;
}

void vg_warn_unlisten(struct vg_service *svc, void (*fn)(void *), void *arg)
{
	struct vg_warn_state *w = svc->warn;
	pthread_mutex_lock(&w->mu);
	for (size_t i = 0; i < w->n_listeners; i++)
		if (w->listeners[i].fn == fn && w->listeners[i].arg == arg) {
			w->listeners[i] = w->listeners[--w->n_listeners];
			break;
		}
	pthread_mutex_unlock(&w->mu);
}

int64_t vg_warn_last_seq(struct vg_service *svc)
{
	return atomic_load(&svc->warn->last_seq);
}

void vg__warn_notify(struct vg_service *svc)
{
	struct vg_warn_state *w = svc->warn;
	struct vg_store *s = vg__reader(svc);
	int64_t last = 0;
	if (s && s->ops->warn && !s->ops->warn->alert_last(s, &last) &&
	    last > atomic_load(&w->last_seq))
		atomic_store(&w->last_seq, last);
	/* listeners are called outside the lock on a copy: one may
	 * unlisten from its callback */
	pthread_mutex_lock(&w->mu);
	size_t n = w->n_listeners;
	struct listener *copy = n ? malloc(n * sizeof(*copy)) : NULL;
	if (copy)
		memcpy(copy, w->listeners, n * sizeof(*copy));
	pthread_mutex_unlock(&w->mu);
	for (size_t i = 0; copy && i < n; i++)
		copy[i].fn(copy[i].arg);
	free(copy);
}

/* Twice a second: alerts raised by another process (an import by the
 * command, another server on the same store) wake the stream too. */
static void *ticker(void *arg)
{
	struct vg_service *svc = arg;
	struct vg_warn_state *w = svc->warn;
	pthread_mutex_lock(&w->mu);
	while (!w->stopping) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 500000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&w->tick, &w->mu, &until);
		if (w->stopping)
			break;
		size_t listening = w->n_listeners;
		pthread_mutex_unlock(&w->mu);
		struct vg_store *s = listening ? vg__reader(svc) : NULL;
		int64_t last = 0;
		if (s && s->ops->warn && !s->ops->warn->alert_last(s, &last) &&
		    last > atomic_load(&w->last_seq))
			vg__warn_notify(svc);
		pthread_mutex_lock(&w->mu);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

int vg__warn_open(struct vg_service *svc)
{
	struct vg_warn_state *w = calloc(1, sizeof(*w));
	if (!w)
		return VG_ENOMEM;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->tick, NULL);
	svc->warn = w;
	struct vg_store *s = vg__reader(svc);
	int64_t last = 0;
	if (s && s->ops->warn)
		s->ops->warn->alert_last(s, &last);
	atomic_store(&w->last_seq, last);
	if (svc->conf.threaded &&
	    !pthread_create(&w->ticker, NULL, ticker, svc))
		w->ticking = 1;
	return VG_OK;
}

void vg__warn_close(struct vg_service *svc)
{
	struct vg_warn_state *w = svc->warn;
	if (!w)
		return;
	if (w->ticking) {
		pthread_mutex_lock(&w->mu);
		w->stopping = 1;
		pthread_cond_broadcast(&w->tick);
		pthread_mutex_unlock(&w->mu);
		pthread_join(w->ticker, NULL);
	}
	vg__warn_cache_drop(svc);
	tls_release_here();
	free(w->listeners);
	free(w->buckets);
	pthread_cond_destroy(&w->tick);
	pthread_mutex_destroy(&w->mu);
	free(w);
	svc->warn = NULL;
}

/* ---- the hourly allowance ---------------------------------------------- */

int vg__warn_bucket_take(struct vg_service *svc, const struct vg_principal *p,
                         int64_t per_hour)
{
	struct vg_warn_state *w = svc->warn;
	int64_t hour = vg__now_us() / 3600000000LL;
	int rc = VG_OK;
	if (p->operator|| per_hour <= 0)
		return per_hour <= 0 && !p->operator? VG_ERATE : VG_OK;
	pthread_mutex_lock(&w->mu);
	struct bucket *b = NULL;
	for (size_t i = 0; i < w->n_buckets && !b; i++)
		if (w->buckets[i].user == p->user)
			b = &w->buckets[i];
	if (!b) {
		struct bucket *nb =
		    realloc(w->buckets, (w->n_buckets + 1) * sizeof(*nb));
		if (!nb) {
			pthread_mutex_unlock(&w->mu);
			return VG_ENOMEM;
		}
		w->buckets = nb;
		b = &w->buckets[w->n_buckets++];
		*b = (struct bucket){p->user, hour, 0};
	}
	if (b->hour != hour) {
		b->hour = hour;
		b->n = 0;
	}
	if (b->n >= per_hour)
		rc = VG_ERATE;
	else
		b->n++;
	pthread_mutex_unlock(&w->mu);
	return rc;
}

/* ---- helpers ------------------------------------------------------------- */

struct org_name {
	char *out;
	size_t n;
};

static int take_org(void *ud, const struct vg_org *o)
{
	struct org_name *on = ud;
	snprintf(on->out, on->n, "%s", o->name);
	return 0;
}

void vg__warn_org_name(struct vg_store *s, int64_t org, char *out, size_t n)
{
	struct org_name on = {out, n};
	snprintf(out, n, "organisation %lld", (long long)org);
	s->ops->hub->org_find(s, NULL, org, take_org, &on);
}

static const char *jstr(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

void vg__warn_label(const cJSON *obj, char *out, size_t n)
{
	static const char *const props[] = {
	    "name", "value",        "pattern", "relationship_type",
	    "path", "display_name", "user_id", "key"};
	const char *t = jstr(obj, "type");
	for (size_t i = 0; i < sizeof(props) / sizeof(props[0]); i++) {
		const char *v = jstr(obj, props[i]);
		if (v) {
			snprintf(out, n, "%s", v);
			return;
		}
	}
	const cJSON *num = cJSON_GetObjectItemCaseSensitive(obj, "number");
	if (cJSON_IsNumber(num)) {
		snprintf(out, n, "AS%.0f", num->valuedouble);
		return;
	}
	snprintf(out, n, "%s", t ? t : "");
}

void vg__warn_system_ctx(struct vg_service *svc, struct vg_ctx *c)
{
	vg_ctx_init(c, svc, VG_CHANNEL_HTTP, "warn");
	snprintf(c->user, sizeof(c->user), "vigil:warn");
	c->p = (struct vg_principal){.operator= 1 };
	c->authenticated = 1;
}

static int take_excl(void *ud, const char *key, int excluded)
{
	struct vg_warn_excl *x = ud;
	return excluded ? vg_warn_excl_add(x, key)
	                : (vg_warn_excl_remove(x, key), 0);
}

int vg__warn_exclusions(struct vg_service *svc, struct vg_store *s,
                        struct vg_warn_excl *out)
{
	struct vg__warn_tls *t = vg__warn_tls(NULL);
	(void)svc;
	vg_warn_excl_init(out);
	if (!t)
		return VG_ENOMEM;
	struct vg_warn_keyset ks;
	vg_warn_keyset_init(&ks);
	int rc = VG_OK;
	for (size_t i = 0; !rc && vg_warn_default_exclusions[i]; i++) {
		char why[200];
		vg_warn_keyset_reset(&ks);
		/* "localhost" is a domain too, though it has no dot */
		if (vg_warn_value_key(t->keyer, vg_warn_default_exclusions[i],
		                      NULL, &ks, why, sizeof(why)) &&
		    vg_warn_value_key(t->keyer, vg_warn_default_exclusions[i],
		                      "domain", &ks, why, sizeof(why)))
			continue;
		for (size_t k = 0; !rc && k < ks.n; k++)
			if (!strncmp(vg_warn_keyset_at(&ks, k), "dom:", 4) ||
			    ks.n == 1)
				rc = vg_warn_excl_add(
				    out, vg_warn_keyset_at(&ks, k));
	}
	vg_warn_keyset_release(&ks);
	if (!rc && s->ops->warn)
		rc = s->ops->warn->excl_list(s, take_excl, out);
	if (rc)
		vg_warn_excl_release(out);
	return rc;
}
