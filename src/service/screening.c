/* Screening use cases (screening.h): one shared index of the current
 * watchlist entries, hits filtered by the one access rule for each
 * caller, runs stored and audited through the writer, dispositions. */
#include "screen_int.h"
#include "vigil/util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the shared index ------------------------------------------------ */

struct shared {
	struct vg_screen_index x;
	int refs;
};

/* What one user may still screen (the rate limit): a budget in records,
 * refilled continuously up to one minute's worth. */
struct budget {
	int64_t user;
	double records;
	int64_t at; /* when it was last refilled (monotonic us) */
};

struct vg_screen_cache {
	pthread_mutex_t mu;
	pthread_cond_t built; /* a build ended */
	struct shared *cur;
	int64_t generation; /* of the identities it was built from */
	int building;
	/* the users' budgets (conf.screen_per_minute), under mu */
	struct budget *budgets;
	size_t n_budgets, cap_budgets;
};

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int vg_screen_cache_new(struct vg_screen_cache **out)
{
	struct vg_screen_cache *c = calloc(1, sizeof(*c));
	if (!c)
		return VG_ENOMEM;
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->built, NULL);
	c->generation = -1;
	*out = c;
	return VG_OK;
}

static void unref(struct vg_screen_cache *c, struct shared *sh)
{
	int last;
	pthread_mutex_lock(&c->mu);
	last = --sh->refs == 0;
	pthread_mutex_unlock(&c->mu);
	if (last) {
		vg__screen_index_release(&sh->x);
		free(sh);
	}
}

void vg_screen_cache_free(struct vg_screen_cache *c)
{
	if (!c)
		return;
	if (c->cur)
		unref(c, c->cur);
	free(c->budgets);
	pthread_cond_destroy(&c->built);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

/* A reference to a current index: every change to an identity (a list
 * entry added, versioned, revoked or deleted) moves the generation in the
 * same transaction, and the index is rebuilt before the next screening
 * when it has moved. */
static int cache_get(struct vg_screen_cache *c, struct vg_store *s,
		     struct shared **out)
{
	int64_t gen = 0;
	int rc = vg__generation(s, &gen);
	if (rc)
		return rc;
	pthread_mutex_lock(&c->mu);
	/* a build under way for a stale index is waited for: an index older
	 * than the generation read is never used (a deleted entry stops
	 * hitting at once, whichever thread or process builds) */
	while (c->building && (!c->cur || gen != c->generation))
		pthread_cond_wait(&c->built, &c->mu);
	int stale = !c->cur || gen != c->generation;
	if (stale)
		c->building = 1;
	pthread_mutex_unlock(&c->mu);
	if (stale) {
		struct shared *sh = calloc(1, sizeof(*sh));
		rc = sh ? vg__screen_load(s, &sh->x) : VG_ENOMEM;
		pthread_mutex_lock(&c->mu);
		c->building = 0;
		pthread_cond_broadcast(&c->built);
		if (!rc) {
			struct shared *old = c->cur;
			sh->refs = 1;
			c->cur = sh;
			c->generation = gen;
			if (old && --old->refs == 0) {
				vg__screen_index_release(&old->x);
				free(old);
			}
		}
		pthread_mutex_unlock(&c->mu);
		if (rc) {
			free(sh);
			return rc;
		}
	}
	pthread_mutex_lock(&c->mu);
	struct shared *sh = c->cur;
	if (sh)
		sh->refs++;
	pthread_mutex_unlock(&c->mu);
	if (!sh)
		return VG_EINTERNAL;
	*out = sh;
	return VG_OK;
}

/* ---- the limits of one screening -------------------------------------- */

/* The user's budget, refilled to now (NULL: out of memory). A full
 * budget says nothing, so full ones make room for new users. Under mu. */
static struct budget *budget_of(struct vg_screen_cache *c, int64_t user,
				double per_min, int64_t now)
{
	struct budget *b = NULL;
	for (size_t i = 0; i < c->n_budgets && !b; i++)
		if (c->budgets[i].user == user)
			b = &c->budgets[i];
	if (!b) {
		size_t n = 0;
		for (size_t i = 0; i < c->n_budgets; i++) {
			struct budget *o = &c->budgets[i];
			if (o->records + (double)(now - o->at) * per_min / 6e7 <
			    per_min)
				c->budgets[n++] = *o;
		}
		c->n_budgets = n;
		if (n == c->cap_budgets) {
			size_t cap = n ? n * 2 : 16;
			struct budget *v = realloc(c->budgets, cap * sizeof(*v));
			if (!v)
				return NULL;
			c->budgets = v;
			c->cap_budgets = cap;
		}
		b = &c->budgets[c->n_budgets++];
		*b = (struct budget){.user = user, .records = per_min, .at = now};
	}
	b->records += (double)(now - b->at) * per_min / 6e7;
	if (b->records > per_min)
		b->records = per_min;
	b->at = now;
	return b;
}

/* Set aside what a screening of c may cost (*reserved records): VG_ERATE
 * with *retry (seconds) when c's budget does not hold that much yet. The
 * operator and a hub without the limit are not counted. */
static int budget_take(struct vg_ctx *c, double *reserved, unsigned *retry)
{
	const struct vg_service_conf *k = &c->svc->conf;
	double per_min = (double)k->screen_per_minute;
	*reserved = 0;
	if (!k->screen_per_minute || c->p.operator)
		return VG_OK;
	/* the most one screening may hold, or the whole budget if smaller,
	 * so a screening always fits once the budget is full */
	double want = k->screen_max_travellers &&
				      (double)k->screen_max_travellers < per_min
			      ? (double)k->screen_max_travellers
			      : per_min;
	struct vg_screen_cache *sc = c->svc->screen;
	int rc = VG_OK;
	pthread_mutex_lock(&sc->mu);
	struct budget *b = budget_of(sc, c->p.user, per_min, mono_us());
	if (!b) {
		rc = VG_ENOMEM;
	} else if (b->records < want) {
		double secs = (want - b->records) * 60 / per_min;
		*retry = secs < 1 ? 1 : (unsigned)secs + (secs > (unsigned)secs);
		rc = VG_ERATE;
	} else {
		b->records -= want;
		*reserved = want;
	}
	pthread_mutex_unlock(&sc->mu);
	return rc;
}

/* A screening of c used `used` of the `reserved` records: the rest goes
 * back to the budget. */
static void budget_settle(struct vg_ctx *c, double reserved, double used)
{
	struct vg_screen_cache *sc = c->svc->screen;
	double per_min = (double)c->svc->conf.screen_per_minute;
	if (reserved <= 0)
		return;
	pthread_mutex_lock(&sc->mu);
	struct budget *b = budget_of(sc, c->p.user, per_min, mono_us());
	if (b)
		b->records += reserved - used;
	pthread_mutex_unlock(&sc->mu);
}

/* The records a parse took: travellers, and those dropped with errors. */
static size_t records_of(const struct vg_travel_list *tl)
{
	size_t n = tl->n_travellers;
	for (size_t i = 0; i < tl->n_errors; i++)
		n += tl->errors[i].traveller == VG_TRAVEL_NO_RECORD;
	return n;
}

/* A refused screening is on record too, with why. */
static int refused(struct vg_ctx *c, const char *source, const char *why)
{
	struct vg__detail d;
	vg__detail_begin(&d);
	vg_jw_kstr(&d.w, "refused", why);
	const char *detail = vg__detail_end(&d);
	int rc = detail ? vg__audit_now(c, "screen.run", source, detail)
			: VG_ENOMEM;
	vg__detail_release(&d);
	return rc;
}

int vg__screen_cache_refresh(struct vg_screen_cache *c, struct vg_store *s)
{
	pthread_mutex_lock(&c->mu);
	int built = c->cur != NULL;
	pthread_mutex_unlock(&c->mu);
	if (!built)
		return VG_OK; /* a process that never screens builds nothing */
	struct shared *sh = NULL;
	int rc = cache_get(c, s, &sh);
	if (!rc)
		unref(c, sh);
	return rc;
}

/* ---- screening ------------------------------------------------------------ */

static int listed(const char *const *lists, size_t n, const char *list)
{
	if (!n)
		return 1;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(lists[i], list))
			return 1;
	return 0;
}

struct keep_for {
	const struct vg_principal *who;
	const char *const *lists;
	size_t n_lists;
};

static int keep_entry(void *ud, const struct vg_screen_entry *e)
{
	const struct keep_for *k = ud;
	return vg_access_read(k->who, &e->meta) &&
	       listed(k->lists, k->n_lists, e->list);
}

static size_t kept_entries(const struct vg_screen_index *x,
			   const struct keep_for *k)
{
	size_t n = 0;
	for (size_t i = 0; i < x->n; i++)
		n += keep_entry((void *)k, &x->entries[i]) != 0;
	return n;
}

void vg_screening_release(struct vg_screening *s)
{
	free(s->keys);
	s->keys = NULL;
	vg__screen_result_release(&s->r);
	vg_travel_list_release(&s->tl);
	if (s->index)
		unref(s->svc->screen, s->index);
	s->index = NULL;
}

struct run_job {
	const struct vg_ctx *c;
	const char *source;
	struct vg_screening *s;
};

static int run_fn(struct vg_store *st, void *arg)
{
	struct run_job *j = arg;
	/* the suppressions as this transaction sees them */
	int rc = vg__screen_suppress(st, j->c->p.org, j->s->keys, &j->s->r);
	return rc ? rc : vg__screen_store(st, j->c, j->source, j->s->format,
					  &j->s->tl, &j->s->r, j->s->keys,
					  j->s->threshold, j->s->run);
}

/* One hit per person, and the travellers' keys for suppressions. */
static int settle(struct vg_screening *s)
{
	struct vg_name_norm *nn = NULL;
	int rc = vg__screen_group(&s->r, &nn);
	if (!rc)
		rc = vg__screen_keys(&s->tl, &s->r, &nn, &s->keys);
	vg_name_norm_free(nn);
	return rc;
}

/* Screen out->tl for c against the shared index. */
static int screen_list(struct vg_ctx *c, const char *const *lists,
		       size_t n_lists, int threads, struct vg_screening *out)
{
	struct vg_store *s = vg__reader(c->svc);
	struct shared *sh = NULL;
	if (!s)
		return VG_ESTORE;
	int rc = cache_get(c->svc->screen, s, &sh);
	if (rc)
		return rc;
	out->index = sh;
	/* only entries the caller may read, of the lists asked for */
	struct keep_for k = {&c->p, lists, n_lists};
	out->n_entries = kept_entries(&sh->x, &k);
	if (!out->n_entries)
		return VG_ENOTFOUND;
	return vg__screen_run_for(&sh->x, &out->tl, out->threshold, threads,
				  keep_entry, &k, &out->r);
}

int vg_screen(struct vg_ctx *c, const char *body, size_t len,
	      const char *const *lists, size_t n_lists, double threshold,
	      int threads, const char *source, struct vg_screening *out,
	      char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	out->svc = c->svc;
	out->threshold = threshold;
	out->format = "unknown";
	vg_travel_list_init(&out->tl);
	double reserved = 0;
	size_t max = c->svc->conf.screen_max_travellers;
	int rc = vg__require(c, VG_ACT_SCREEN, "screen.run");
	if (!rc)
		rc = vg_ctx_purpose(c);
	if (rc)
		return rc;
	if (!(threshold >= 0 && threshold <= 1)) { /* NaN too */
		snprintf(err, errlen, "the threshold is not a number from 0 to 1");
		return VG_EINVAL;
	}
	/* the rate first, so a user over it costs no parsing */
	rc = budget_take(c, &reserved, &out->retry_after);
	if (rc == VG_ERATE) {
		snprintf(err, errlen, "this user has screened as many travellers "
				      "as the hub allows for now; try again in "
				      "%u s", out->retry_after);
		int a = refused(c, source, "rate limit");
		return a ? a : rc;
	}
	if (rc)
		return rc;
	rc = vg_screen_parse(body, len, max, &out->tl, &out->format, err,
			     errlen);
	budget_settle(c, reserved, rc ? 0 : (double)records_of(&out->tl));
	if (rc == VG_ETOOMANY)
		snprintf(err, errlen, "more than %zu travellers, the most this "
				      "hub screens in one request", max);
	if (rc == VG_EINVAL || rc == VG_ETOOMANY) {
		int a = refused(c, source, rc == VG_EINVAL ? "not travel data"
							   : "too many travellers");
		if (a)
			return a;
	}
	if (rc)
		return rc;
	rc = screen_list(c, lists, n_lists, threads, out);
	if (rc == VG_ENOTFOUND) {
		/* no list to screen against: never an answer of "no hit" */
		snprintf(err, errlen, "no watchlist entries%s: import a list with "
				      "'vigil watchlist import'",
			 n_lists ? " in the lists named" : "");
		int a = refused(c, source, "no watchlist entries");
		return a ? a : rc;
	}
	struct run_job j = {c, source, out};
	if (!rc)
		rc = settle(out);
	if (!rc)
		rc = vg__write(c->svc, run_fn, &j);
	return rc;
}

int vg_screen_match(struct vg_ctx *c, struct vg_person *who,
		    double threshold, struct vg_screening *out)
{
	memset(out, 0, sizeof(*out));
	out->svc = c->svc;
	out->threshold = threshold;
	out->format = "name";
	vg_travel_list_init(&out->tl);
	double reserved = 0;
	int rc = vg__require(c, VG_ACT_SCREEN, "screen.match");
	if (!rc)
		rc = vg_ctx_purpose(c);
	if (!rc && !(threshold >= 0 && threshold <= 1)) /* NaN too */
		rc = VG_EINVAL;
	if (!rc && !(rc = budget_take(c, &reserved, &out->retry_after)))
		budget_settle(c, reserved, 1);
	if (rc)
		return rc;
	out->tl.travellers = calloc(1, sizeof(*out->tl.travellers));
	if (!out->tl.travellers)
		return VG_ENOMEM;
	vg_traveller_init(&out->tl.travellers[0]);
	out->tl.n_travellers = 1;
	/* moved: the screening owns the person from here */
	vg_person_release(&out->tl.travellers[0].person);
	out->tl.travellers[0].person = *who;
	vg_person_init(who);
	const struct vg_person *p = &out->tl.travellers[0].person;
	rc = screen_list(c, NULL, 0, 1, out);
	if (rc == VG_ENOTFOUND)
		rc = VG_OK; /* nothing to match against: no hit */
	if (rc)
		return rc;
	struct vg__detail d;
	vg__detail_begin(&d);
	vg_jw_kint(&d.w, "hits", (int64_t)out->r.n_hits);
	vg_jw_knum(&d.w, "threshold", threshold, 2);
	const char *detail = vg__detail_end(&d);
	rc = detail ? vg__audit_now(c, "screen.match",
				    p->n_names ? p->names[0].full : "", detail)
		    : VG_ENOMEM;
	vg__detail_release(&d);
	return rc;
}

int vg_screening_json(const struct vg_screening *s, struct vg_buf *out)
{
	return vg__screen_json(s->run[0] ? s->run : NULL, s->format, &s->tl,
			       &s->r, out);
}
