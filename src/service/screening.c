/* Screening use cases (screening.h): one shared index of the current
 * watchlist entries, hits filtered by the one access rule for each
 * caller, runs stored and audited through the writer, dispositions. */
#include "screen_int.h"
#include "vigil/util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- the shared index ------------------------------------------------ */

struct shared {
	struct vg_screen_index x;
	int refs;
};

struct vg_screen_cache {
	pthread_mutex_t mu;
	struct shared *cur;
	int64_t generation; /* newest identity date_added it was built from */
	int64_t checked;    /* when that was last looked at (monotonic us) */
	int building;
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

/* A reference to a current index (rebuilt here when stale). */
static int cache_get(struct vg_screen_cache *c, struct vg_store *s,
		     struct shared **out)
{
	int64_t now = mono_us(), gen = 0;
	int rc = VG_OK, look;
	pthread_mutex_lock(&c->mu);
	look = !c->cur || now - c->checked > 2000000;
	if (look)
		c->checked = now;
	pthread_mutex_unlock(&c->mu);
	if (look && (rc = s->ops->objects->generation(s, "identity", &gen)))
		return rc;
	pthread_mutex_lock(&c->mu);
	int stale = look && gen != c->generation && !c->building;
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
	return vg__screen_store(st, j->c, j->source, j->s->format, &j->s->tl,
				&j->s->r, j->s->threshold, j->s->run);
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
	if (!(threshold >= 0 && threshold <= 1)) { /* NaN too */
		snprintf(err, errlen, "the threshold is not a number from 0 to 1");
		return VG_EINVAL;
	}
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
	if (!rc && !(threshold >= 0 && threshold <= 1)) /* NaN too */
		rc = VG_EINVAL;
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

/* ---- runs and dispositions --------------------------------------------- */

int vg_screen_run_json(struct vg_ctx *c, const char *run, struct vg_buf *out)
{
	struct vg_store *s = vg__reader(c->svc);
	/* a run holds travellers' data and hits: for the roles that screen,
	 * not for an auditor */
	int rc = vg__require(c, VG_ACT_SCREEN, "screen.read");
	if (!rc)
		rc = vg_ctx_purpose(c);
	if (rc)
		return rc;
	if (!s)
		return VG_ESTORE;
	rc = vg__screen_run_get(s, c->p.operator ? 0 : c->p.org, run, out);
	if (!rc || rc == VG_ENOTFOUND) {
		int a = vg__audit_read(c, "screen.read", run,
				       rc ? "{\"found\":false}" : "{\"found\":true}");
		if (a)
			rc = a;
	}
	return rc;
}

struct dispose_job {
	const struct vg_ctx *c;
	const char *run;
	int64_t hit;
	enum vg_disposition d;
	const char *note;
};

static int dispose_fn(struct vg_store *s, void *arg)
{
	struct dispose_job *j = arg;
	int rc = s->ops->screen->dispose(s, j->run, j->hit,
					 j->c->p.operator ? 0 : j->c->p.org,
					 (int)j->d, j->c->user, j->note,
					 vg__now_us());
	if (rc)
		return rc;
	struct vg__detail d;
	vg__detail_begin(&d);
	vg_jw_kint(&d.w, "hit", j->hit);
	vg_jw_kstr(&d.w, "disposition", vg_disposition_name(j->d));
	const char *detail = vg__detail_end(&d);
	rc = detail ? vg__audit(s, j->c, "screen.dispose", j->run, detail)
		    : VG_ENOMEM;
	vg__detail_release(&d);
	return rc;
}

int vg_screen_dispose(struct vg_ctx *c, const char *run, int64_t hit,
		      enum vg_disposition d, const char *note)
{
	int rc = vg__require(c, VG_ACT_WRITE, "screen.dispose");
	if (rc)
		return rc;
	if ((unsigned)d > VG_DISP_NEEDS_REVIEW || d == VG_DISP_OPEN ||
	    (note && strlen(note) > 2000))
		return VG_EINVAL;
	struct dispose_job j = {c, run, hit, d, note};
	rc = vg__write(c->svc, dispose_fn, &j);
	if (rc == VG_ENOTFOUND) {
		int a = vg__audit_now(c, "screen.dispose", run,
				      "{\"refused\":\"no such hit\"}");
		if (a)
			rc = a;
	}
	return rc;
}
