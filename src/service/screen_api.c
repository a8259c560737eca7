/* Screening for the server: one shared index of the current watchlist
 * entries, hits filtered by the one access rule for each caller, runs
 * stored and audited through the group-commit writer. */
#include "service_int.h"
#include "vigil/util/error.h"
#include "vigil/service/screening.h"
#include "vigil/service/taxii.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

int vg_screen_cache_new(const char *location, struct vg_screen_cache **out)
{
	(void)location;
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
		vg_screen_index_release(&sh->x);
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
	if (look && (rc = s->ops->max_added(s, "identity", &gen)))
		return rc;
	pthread_mutex_lock(&c->mu);
	int stale = look && gen != c->generation && !c->building;
	if (stale)
		c->building = 1;
	pthread_mutex_unlock(&c->mu);
	if (stale) {
		struct shared *sh = calloc(1, sizeof(*sh));
		rc = sh ? vg_screen_load(s, NULL, NULL, 0, &sh->x) : VG_ENOMEM;
		pthread_mutex_lock(&c->mu);
		c->building = 0;
		if (!rc) {
			struct shared *old = c->cur;
			sh->refs = 1;
			c->cur = sh;
			c->generation = gen;
			if (old && --old->refs == 0) {
				vg_screen_index_release(&old->x);
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

struct run_job {
	const struct vg_taxii *t;
	const char *source, *format;
	const struct vg_travel_list *tl;
	const struct vg_screen_result *r;
	double threshold;
	char run[37];
};

static int run_fn(struct vg_store *s, void *arg)
{
	struct run_job *j = arg;
	int rc = VG_OK;
	if (j->t->auth_key)
		rc = vg__audit(s, j->t->actor, "auth.ok", j->t->auth_key, "{}");
	if (!rc)
		rc = vg_screen_store(s, j->t->actor, j->source, j->format, j->tl,
				     j->r, j->threshold, j->run);
	return rc;
}

int vg_screen_request(const struct vg_taxii *t, struct vg_screen_cache *c,
		      const char *body, size_t len, const char *const *lists,
		      size_t n_lists, double threshold, const char *source,
		      struct vg_buf *out, char *err, size_t errlen)
{
	struct vg_travel_list tl;
	struct vg_screen_result r = {0};
	struct shared *sh = NULL;
	const char *format = "unknown";
	if (!vg_role_allows(t->sess->p.role, VG_ACT_SCREEN))
		return VG_EDENIED;
	int rc = vg_screen_parse(body, len, &tl, &format, err, errlen);
	if (rc) {
		vg_travel_list_release(&tl);
		if (rc == VG_EINVAL) {
			int a = vg_taxii_audit(t, "screen.run", source,
					       "{\"refused\":\"not travel data\"}");
			if (a)
				return a;
		}
		return rc;
	}
	/* only entries the caller may read, of the lists asked for */
	struct keep_for k = {&t->sess->p, lists, n_lists};
	rc = cache_get(c, t->store, &sh);
	if (!rc)
		rc = vg_screen_run_for(&sh->x, &tl, threshold, 2, keep_entry, &k,
				       &r);
	struct run_job j = {t, source, format, &tl, &r, threshold, ""};
	if (!rc)
		rc = vg_writer_run(t->writer, run_fn, &j);
	if (!rc)
		rc = vg_screen_json(j.run, format, &tl, &r, out);
	vg_screen_result_release(&r);
	if (sh)
		unref(c, sh);
	vg_travel_list_release(&tl);
	return rc;
}

int vg_screen_request_get(const struct vg_taxii *t, const char *run,
			  struct vg_buf *out)
{
	/* a run holds travellers' data and hits: for the roles that screen,
	 * not for an auditor */
	if (!vg_role_allows(t->sess->p.role, VG_ACT_SCREEN))
		return VG_EDENIED;
	int rc = vg_screen_run_json(t->store, t->actor, run, out);
	if (!rc || rc == VG_ENOTFOUND) {
		int a = vg_taxii_audit(t, "screen.read", run,
				       rc ? "{\"found\":false}" : "{\"found\":true}");
		if (a)
			rc = a;
	}
	return rc;
}

struct dispose_job {
	const struct vg_taxii *t;
	const char *run;
	int64_t hit;
	int d;
	const char *note;
};

static int dispose_fn(struct vg_store *s, void *arg)
{
	struct dispose_job *j = arg;
	int rc = VG_OK;
	if (j->t->auth_key)
		rc = vg__audit(s, j->t->actor, "auth.ok", j->t->auth_key, "{}");
	if (!rc)
		rc = vg_screen_dispose(s, j->t->actor, j->run, j->hit,
				       (enum vg_disposition)j->d, j->note);
	return rc;
}

int vg_screen_request_dispose(const struct vg_taxii *t, const char *run,
			      int64_t hit, const char *body, size_t len,
			      char *err, size_t errlen)
{
	if (!vg_role_allows(t->sess->p.role, VG_ACT_WRITE))
		return VG_EDENIED;
	cJSON *o = cJSON_ParseWithLength(body ? body : "", len);
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(o, "disposition");
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, "note");
	int disp = cJSON_IsString(d) ? vg_disposition_parse(d->valuestring) : -1;
	int rc = VG_OK;
	if (disp < 0 || (n && !cJSON_IsString(n)) ||
	    (cJSON_IsString(n) && strlen(n->valuestring) > 2000)) {
		snprintf(err, errlen, "the body must be {\"disposition\": "
				      "\"confirmed\"|\"false-positive\"|"
				      "\"needs-review\", \"note\": text up to 2000 "
				      "characters}");
		rc = VG_EINVAL;
	}
	struct dispose_job j = {t, run, hit, disp,
				cJSON_IsString(n) ? n->valuestring : NULL};
	if (!rc)
		rc = vg_writer_run(t->writer, dispose_fn, &j);
	if (rc == VG_ENOTFOUND) {
		int a = vg_taxii_audit(t, "screen.dispose", run,
				       "{\"refused\":\"no such hit\"}");
		if (a)
			rc = a;
	}
	cJSON_Delete(o);
	return rc;
}
