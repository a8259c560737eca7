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

struct vg_screen_cache {
	pthread_mutex_t mu;
	struct shared *cur;
	int64_t generation; /* of the identities it was built from */
	int building;
};

int vg_screen_cache_new(struct vg_screen_cache **out)
{
	struct vg_screen_cache *c = calloc(1, sizeof(*c));
	if (!c)
		return VG_ENOMEM;
	pthread_mutex_init(&c->mu, NULL);
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
	int stale = (!c->cur || gen != c->generation) && !c->building;
	if (stale)
		c->building = 1;
	pthread_mutex_unlock(&c->mu);
	if (stale) {
		struct shared *sh = calloc(1, sizeof(*sh));
		rc = sh ? vg__screen_load(s, &sh->x) : VG_ENOMEM;
		pthread_mutex_lock(&c->mu);
		c->building = 0;
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
	int rc = vg__require(c, VG_ACT_SCREEN, "screen.run");
	if (!rc)
		rc = vg_ctx_purpose(c);
	if (rc)
		return rc;
	rc = vg_screen_parse(body, len, &out->tl, &out->format, err, errlen);
	if (rc) {
		if (rc == VG_EINVAL) {
			int a = vg__audit_now(c, "screen.run", source,
					      "{\"refused\":\"not travel data\"}");
			if (a)
				return a;
		}
		return rc;
	}
	rc = screen_list(c, lists, n_lists, threads, out);
	if (rc == VG_ENOTFOUND)
		snprintf(err, errlen, "no watchlist entries%s: import a list with "
				      "'vigil watchlist import'",
			 n_lists ? " in the lists named" : "");
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
	int rc = vg__require(c, VG_ACT_SCREEN, "screen.match");
	if (!rc)
		rc = vg_ctx_purpose(c);
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
