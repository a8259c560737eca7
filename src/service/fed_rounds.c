/* Federation beside the pages: the state of each round (for status),
 * the quarantine (list, retry, drop), what a partner hub pushes here and
 * what this hub pushed, and the wait of the push loops. */
#include "fed_int.h"
#include "taxii_int.h"
#include "vigil/util/error.h"
#include "vigil/util/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* ---- rounds, quarantine ------------------------------------------------ */

struct round_job {
	struct vg_ctx *c;
	struct vg__partner *p;
	const struct vg_fed_round *r;
};

static int round_fn(struct vg_store *s, void *arg)
{
	struct round_job *j = arg;
	cJSON *st = cJSON_Parse(j->p->state);
	struct vg_buf b;
	struct vg_jw w;
	int64_t now = vg__now_us();
	if (!cJSON_IsObject(st)) {
		cJSON_Delete(st);
		st = cJSON_CreateObject();
	}
	if (!st)
		return VG_ENOMEM;
	const cJSON *v;
	int64_t ok = 0, err_at = 0, rounds = 0, errors = 0;
	const char *last_error = NULL;
	if (cJSON_IsNumber(
	        v = cJSON_GetObjectItemCaseSensitive(st, "last_success")))
		ok = (int64_t)v->valuedouble;
	if (cJSON_IsNumber(
	        v = cJSON_GetObjectItemCaseSensitive(st, "last_error_at")))
		err_at = (int64_t)v->valuedouble;
	if (cJSON_IsNumber(v = cJSON_GetObjectItemCaseSensitive(st, "rounds")))
		rounds = (int64_t)v->valuedouble;
	if (cJSON_IsNumber(v = cJSON_GetObjectItemCaseSensitive(st, "errors")))
		errors = (int64_t)v->valuedouble;
	last_error = jstr(st, "last_error");
	vg_buf_init(&b, 0);
	vg_jw_init(&w, &b);
	vg_jw_obj(&w);
	vg_jw_kint(&w, "last_success", j->r->error ? ok : now);
	vg_jw_kint(&w, "last_error_at", j->r->error ? now : err_at);
	vg_jw_kstr(&w, "last_error",
	           j->r->error  ? j->r->error
	           : last_error ? last_error
	                        : "");
	vg_jw_kint(&w, "rounds", rounds + 1);
	vg_jw_kint(&w, "errors", errors + (j->r->error != NULL));
	vg_jw_kint(&w, "pages", (int64_t)j->r->pages);
	vg_jw_kint(&w, "accepted", (int64_t)j->r->accepted);
	vg_jw_kint(&w, "duplicates", (int64_t)j->r->duplicates);
	vg_jw_kint(&w, "quarantined", (int64_t)j->r->quarantined);
	vg_jw_kint(&w, "more", j->r->more);
	/* caught up after a round that completed; not known after one that
	 * failed (the partner's backlog is its own) */
	vg_jw_kint(&w, "lag_objects", j->r->error ? -1 : 0);
	vg_jw_close(&w);
	int rc = vg_jw_end(&w);
	if (!rc)
		rc = s->ops->sync->partner_state(s, j->p->id, b.data);
	/* an error is on record; a quiet round that stored nothing is not */
	if (!rc && (j->r->error || j->r->accepted || j->r->quarantined)) {
		struct vg__detail d;
		vg__detail_begin(&d);
		vg_jw_kint(&d.w, "pages", (int64_t)j->r->pages);
		vg_jw_kint(&d.w, "accepted", (int64_t)j->r->accepted);
		vg_jw_kint(&d.w, "quarantined", (int64_t)j->r->quarantined);
		if (j->r->error)
			vg_jw_kstr(&d.w, "error", j->r->error);
		const char *detail = vg__detail_end(&d);
		rc = detail
		         ? vg__audit(s, j->c, "sync.round", j->p->name, detail)
		         : VG_ENOMEM;
		vg__detail_release(&d);
	}
	vg_buf_release(&b);
	cJSON_Delete(st);
	return rc;
}

int vg_fed_round_done(struct vg_ctx *c, const struct vg_fed_round *r)
{
	struct vg_store *s = vg__reader(c->svc);
	struct vg__partner *p = malloc(sizeof(*p));
	int rc = !s ? VG_ESTORE : !p ? VG_ENOMEM : vg__fed_ctx_partner(c, s, p);
	struct round_job j = {c, p, r};
	if (!rc)
		rc = vg__write(c->svc, round_fn, &j);
	free(p);
	return rc;
}

struct qlist {
	vg_quarantined_cb cb;
	void *ud;
};

static int q_row(void *ud, const struct vg_quarantine_row *r)
{
	struct qlist *l = ud;
	struct vg_quarantined q = {
	    .id = r->id,
	    .created = r->created,
	    .collection = r->collection,
	    .object_id = r->object_id,
	    .version = r->version,
	    .reason = r->reason,
	    .json = r->json,
	};
	return l->cb(l->ud, &q);
}

static int admin_partner(struct vg_ctx *c, const char *what, const char *name,
                         struct vg__partner *p, char *err, size_t errlen)
{
	struct vg_store *s = vg__reader(c->svc);
	int rc = vg__require(c, VG_ACT_HUB_ADMIN, what);
	if (rc)
		return rc;
	if (!s)
		return VG_ESTORE;
	rc = vg__partner_get(s, name, 0, p);
	if (rc == VG_ENOTFOUND && err)
		snprintf(err, errlen, "no partner '%s'", name);
	return rc;
}

int vg_partner_quarantine(struct vg_ctx *c, const char *name,
                          vg_quarantined_cb cb, void *ud)
{
	struct vg_store *s = vg__reader(c->svc);
	struct vg__partner *p = malloc(sizeof(*p));
	struct qlist l = {cb, ud};
	int rc = p ? admin_partner(c, "quarantine.read", name, p, NULL, 0)
	           : VG_ENOMEM;
	if (!rc)
		rc = vg__audit_read(c, "quarantine.read", name, "{}");
	if (!rc)
		rc = s->ops->sync->quarantine_list(s, p->id, 0, q_row, &l);
	free(p);
	return rc;
}

struct held {
	int64_t id;
	char *coll, *json, *prov;
	struct held *next;
};

static int hold(void *ud, const struct vg_quarantine_row *r)
{
	struct held **h = ud, *n = calloc(1, sizeof(*n));
	if (!n)
		return VG_ENOMEM;
	n->id = r->id;
	n->coll = strdup(r->collection);
	n->json = strdup(r->json);
	n->prov = strdup(r->prov);
	n->next = *h;
	*h = n;
	return n->coll && n->json && n->prov ? VG_OK : VG_ENOMEM;
}

int vg_partner_quarantine_retry(struct vg_ctx *c, const char *name, int64_t id,
                                size_t *stored, size_t *still, char *err,
                                size_t errlen)
{
	struct vg_store *s = vg__reader(c->svc);
	struct vg__partner *p = malloc(sizeof(*p));
	struct held *h = NULL;
	int rc = p ? admin_partner(c, "quarantine.retry", name, p, err, errlen)
	           : VG_ENOMEM;
	*stored = *still = 0;
	if (!rc)
		rc = s->ops->sync->quarantine_list(s, p->id, id, hold, &h);
	if (!rc && id && !h) {
		snprintf(err, errlen,
		         "partner '%s' has no quarantined object %lld", name,
		         (long long)id);
		rc = VG_ENOTFOUND;
	}
	/* a retry stores as the partner's sync principal would */
	struct vg_ctx sc;
	if (!rc)
		rc = vg_fed_open(c->svc, name, &sc, err, errlen);
	if (!rc)
		snprintf(sc.user, sizeof(sc.user), "%s", c->user);
	for (struct held *x = h; !rc && x; x = x->next) {
		struct vg_buf env;
		struct vg_fed_page res = {0};
		vg_buf_init(&env, 0);
		rc = vg_buf_printf(&env, "{\"objects\":[%s]", x->json);
		if (!rc && x->prov[0])
			rc = vg_buf_printf(&env, ",\"x_vigil_provenance\":[%s]",
			                   x->prov);
		if (!rc)
			rc = vg_buf_putc(&env, '}');
		if (!rc)
			rc = vg__fed_store(&sc, p, NULL, x->coll, x->id,
			                   env.data, env.len, NULL, &res, NULL,
			                   err, errlen);
		vg_buf_release(&env);
		if (!rc && res.quarantined)
			(*still)++;
		else if (!rc)
			(*stored)++;
	}
	if (p && !rc)
		vg_ctx_release(&sc);
	while (h) {
		struct held *n = h->next;
		free(h->coll);
		free(h->json);
		free(h->prov);
		free(h);
		h = n;
	}
	free(p);
	return rc;
}

struct drop_job {
	struct vg_ctx *c;
	int64_t partner, id, n;
	const char *name;
};

static int drop_fn(struct vg_store *s, void *arg)
{
	struct drop_job *j = arg;
	int rc = s->ops->sync->quarantine_remove(s, j->partner, j->id, &j->n);
	if (!rc) {
		struct vg__detail d;
		vg__detail_begin(&d);
		vg_jw_kint(&d.w, "id", j->id);
		vg_jw_kint(&d.w, "dropped", j->n);
		const char *detail = vg__detail_end(&d);
		rc = detail ? vg__audit(s, j->c, "quarantine.drop", j->name,
		                        detail)
		            : VG_ENOMEM;
		vg__detail_release(&d);
	}
	return rc;
}

int vg_partner_quarantine_drop(struct vg_ctx *c, const char *name, int64_t id,
                               int64_t *dropped, char *err, size_t errlen)
{
	struct vg__partner *p = malloc(sizeof(*p));
	int rc = p ? admin_partner(c, "quarantine.drop", name, p, err, errlen)
	           : VG_ENOMEM;
	struct drop_job j = {c, p ? p->id : 0, id, 0, name};
	if (!rc)
		rc = vg__write(c->svc, drop_fn, &j);
	if (!rc && id && !j.n) {
		snprintf(err, errlen,
		         "partner '%s' has no quarantined object %lld", name,
		         (long long)id);
		rc = VG_ENOTFOUND;
	}
	*dropped = (size_t)j.n;
	free(p);
	return rc;
}

/* ---- push: what a partner hub sends, and what this hub sent ----------- */

struct status_job {
	const char *id;
	int64_t user, created;
	const char *json;
};

static int status_fn(struct vg_store *s, void *arg)
{
	struct status_job *j = arg;
	return s->ops->objects->status_put(s, j->id, j->user, j->created,
	                                   j->json);
}

int vg__fed_add(struct vg_ctx *c, const struct vg_coll_view *coll,
                const char *body, size_t len, struct vg_buf *out,
                struct vg_ingest_counts *counts, char *err, size_t errlen)
{
	struct vg_store *s = vg__reader(c->svc);
	struct vg__partner *p = malloc(sizeof(*p));
	struct vg_fed_page res = {0};
	int rc = !s   ? VG_ESTORE
	         : !p ? VG_ENOMEM
	              : vg__partner_of_org(s, c->p.org, p);
	struct vg_ctx sc;
	/* stored as the partner's sync principal, whoever of it posted */
	if (!rc)
		rc = vg_fed_open(c->svc, p->name, &sc, err, errlen);
	if (rc) {
		free(p);
		return rc;
	}
	snprintf(sc.user, sizeof(sc.user), "%s", c->user);
	snprintf(sc.source, sizeof(sc.source), "%s", c->source);
	snprintf(sc.auth, sizeof(sc.auth), "%s", c->auth);
	sc.p.user = c->p.user;
	struct vg__outcome oc = {0};
	cJSON *env = NULL;
	/* a vigil hub's objects go where their provenance says; a plain
	 * TAXII client's into the collection it posted to */
	rc = vg__fed_store(&sc, p, NULL, p->hub_id[0] ? NULL : coll->id, 0, body,
	                   len, NULL, &res, &oc, err, errlen);
	if (!rc && !(env = cJSON_ParseWithLength(body, len)))
		rc = VG_ENOMEM;
	if (!rc) {
		/* the status resource: every object a success but those
		 * quarantined (listed in the audit entry and the quarantine) */
		char id[37], ts[VG_TIME_LEN];
		int64_t now = vg__now_us();
		struct vg_jw w;
		size_t ok = res.accepted + res.duplicates + res.returned;
		vg__uuid4(id);
		vg_time_format_us(now, ts);
		vg_jw_init(&w, out);
		vg_jw_obj(&w);
		vg_jw_kstr(&w, "id", id);
		vg_jw_kstr(&w, "status", "complete");
		vg_jw_kstr(&w, "request_timestamp", ts);
		vg_jw_kint(&w, "total_count", (int64_t)(ok + res.quarantined));
		const cJSON *objs =
		    cJSON_GetObjectItemCaseSensitive(env, "objects");
		vg_jw_kint(&w, "success_count", (int64_t)ok);
		for (int pass = 0; pass < 2; pass++) {
			vg_jw_key(&w, pass ? "failures" : "successes");
			vg_jw_arr(&w);
			for (size_t i = 0; i < oc.n; i++) {
				const cJSON *o =
				    cJSON_GetArrayItem(objs, (int)i);
				const char *mod = jstr(o, "modified");
				if (!oc.bad[i] != !pass)
					continue;
				vg_jw_obj(&w);
				vg_jw_kstr(&w, "id",
				           jstr(o, "id") ? jstr(o, "id") : "");
				if (mod || jstr(o, "created"))
					vg_jw_kstr(&w, "version",
					           mod ? mod
					               : jstr(o, "created"));
				if (pass)
					vg_jw_kstr(&w, "message",
					           oc.reason[i] ? oc.reason[i]
					                        : "refused");
				vg_jw_close(&w);
			}
			vg_jw_close(&w);
			if (!pass)
				vg_jw_kint(&w, "failure_count",
				           (int64_t)res.quarantined);
		}
		vg_jw_kint(&w, "pending_count", 0);
		vg_jw_key(&w, "pendings");
		vg_jw_arr(&w);
		vg_jw_close(&w);
		vg_jw_close(&w);
		rc = vg_jw_end(&w);
		struct status_job sj = {id, c->p.user, now, out->data};
		if (!rc)
			rc = vg__write(c->svc, status_fn, &sj);
		if (counts) {
			counts->accepted = res.accepted;
			counts->duplicates = res.duplicates + res.returned;
			counts->rejected = res.quarantined;
		}
	}
	for (size_t i = 0; oc.reason && i < oc.n; i++)
		free(oc.reason[i]);
	free(oc.reason);
	free(oc.bad);
	cJSON_Delete(env);
	vg_ctx_release(&sc);
	free(p);
	return rc;
}

struct pushed_job {
	struct vg_ctx *c;
	struct vg__partner *p;
	int64_t last;
	size_t sent;
	const char *status;
};

static int pushed_fn(struct vg_store *s, void *arg)
{
	struct pushed_job *j = arg;
	char v[32];
	snprintf(v, sizeof(v), "%lld", (long long)j->last);
	int rc =
	    j->last ? s->ops->sync->cursor_set(s, j->p->id, "push", v) : VG_OK;
	if (rc || !j->sent)
		return rc;
	struct vg__detail d;
	cJSON *st = j->status ? cJSON_Parse(j->status) : NULL;
	const cJSON *f,
	    *ok = cJSON_GetObjectItemCaseSensitive(st, "success_count");
	vg__detail_begin(&d);
	vg_jw_kint(&d.w, "sent", (int64_t)j->sent);
	vg_jw_kint(&d.w, "succeeded",
	           cJSON_IsNumber(ok) ? (int64_t)ok->valuedouble : -1);
	vg_jw_key(&d.w, "failures");
	vg_jw_arr(&d.w);
	int k = 0;
	cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(st, "failures"))
	{
		if (k++ == 100)
			break;
		vg_jw_obj(&d.w);
		vg_jw_kstr(&d.w, "id", jstr(f, "id") ? jstr(f, "id") : "");
		vg_jw_key(&d.w, "message");
		vg_jw_strn(&d.w, jstr(f, "message") ? jstr(f, "message") : "",
		           300);
		vg_jw_close(&d.w);
	}
	vg_jw_close(&d.w);
	vg_jw_kint(&d.w, "cursor", j->last);
	const char *detail = vg__detail_end(&d);
	rc = detail ? vg__audit(s, j->c, "sync.push", j->p->name, detail)
	            : VG_ENOMEM;
	vg__detail_release(&d);
	cJSON_Delete(st);
	return rc;
}

int vg_fed_pushed(struct vg_ctx *c, int64_t last, size_t sent,
                  const char *status_json)
{
	struct vg_store *s = vg__reader(c->svc);
	struct vg__partner *p = malloc(sizeof(*p));
	int rc = !s ? VG_ESTORE : !p ? VG_ENOMEM : vg__fed_ctx_partner(c, s, p);
	struct pushed_job j = {c, p, last, sent, status_json};
	if (!rc)
		rc = vg__write(c->svc, pushed_fn, &j);
	free(p);
	return rc;
}

int vg_fed_wait(struct vg_service *svc, uint64_t *seen, long timeout_ms)
{
	struct vg__fed *f;
	struct timespec until;
	int woke = 0;
	if (vg__fed_get(svc, &f, NULL, 0))
		return 0;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (timeout_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&f->mu);
	while (f->commits == *seen &&
	       pthread_cond_timedwait(&f->cond, &f->mu, &until) == 0)
		;
	woke = f->commits != *seen;
	*seen = f->commits;
	pthread_mutex_unlock(&f->mu);
	return woke;
}

void vg_fed_wake(struct vg_service *svc)
{
	vg__fed_notify(svc);
}
