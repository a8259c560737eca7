/* Early warning's hook in the ingest (ingest.c): on the parsing thread
 * each validated object gets its keys and the watches it matches; on the
 * storing thread, in the transaction that stores the version, its keys
 * are gathered (put into the index in its order by the end of the input,
 * warn_keybuf.c) and its alerts are raised under each watcher's rights,
 * matched again first when the watches changed since the parsing thread
 * matched (vg__warn_sync); observed data are matched with their
 * observables at the end of the input. Every path that stores objects
 * (import, TAXII, watchlists, sync) goes through here. */
#include "warn_int.h"
#include "vigil/util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the parsing thread found of one object: the watches it matched
 * (in the eval's cache) and its keys, NUL-separated in one block. */
struct vg__warn_item {
	struct vg__cands cands;
	int observed; /* observed data: matched at the end of the input */
	size_t n_keys, len;
	char keys[];
};

struct deferred {
	struct vg_access_meta m;
	char *id, *version, *collection, *json;
};

struct vg__warn_eval {
	struct vg_service *svc;
	/* the cache the parsing threads match with (fixed for the ingest),
	 * and the one of the watches as the storing transaction sees them:
	 * the same unless watches changed since the ingest began */
	struct vg__wcache *cache, *live;
	struct deferred *d;
	size_t n, cap;
	size_t raised;          /* alerts raised by this pass */
	int notify;             /* alerts were raised: listeners learn of it */
	struct vg__keybuf keys; /* put into the index by vg__warn_finish */
};

int vg__warn_eval_begin(struct vg_service *svc, struct vg__warn_eval **out)
{
	*out = NULL;
	if (!svc || !svc->warn)
		return VG_OK;
	struct vg_store *s = vg__reader(svc);
	if (!s)
		return VG_ESTORE;
	if (!s->ops->warn)
		return VG_OK; /* a backend without early warning */
	struct vg__warn_eval *e = calloc(1, sizeof(*e));
	if (!e)
		return VG_ENOMEM;
	/* kept with early warning off too: the storing transaction may
	 * find it on (vg__warn_sync) */
	int rc = vg__warn_cache_get(svc, s, &e->cache);
	if (rc) {
		free(e);
		return rc;
	}
	e->svc = svc;
	e->live = e->cache;
	vg__warn_cache_ref(svc, e->live);
	vg__keybuf_init(&e->keys);
	*out = e;
	return VG_OK;
}

static void drop_deferred(struct vg__warn_eval *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free(e->d[i].id);
		free(e->d[i].version);
		free(e->d[i].collection);
		free(e->d[i].json);
	}
	e->n = 0;
}

void vg__warn_restart(struct vg__warn_eval *e)
{
	if (!e)
		return;
	drop_deferred(e);
	vg__keybuf_reset(&e->keys);
	e->raised = 0;
}

void vg__warn_eval_end(struct vg__warn_eval *e)
{
	if (!e)
		return;
	drop_deferred(e);
	free(e->d);
	vg__keybuf_release(&e->keys);
	vg__warn_cache_put(e->svc, e->cache);
	vg__warn_cache_put(e->svc, e->live);
	if (e->notify)
		vg__warn_notify(e->svc);
	free(e);
}

void vg__warn_item_free(struct vg__warn_item *it)
{
	if (!it)
		return;
	vg__cands_release(&it->cands);
	free(it);
}

/* An item of ks's keys (finished), taking cands; *out NULL when there is
 * nothing to do. */
static int make_item(const struct vg_warn_keyset *ks, struct vg__cands *cands,
                     int observed, struct vg__warn_item **out)
{
	*out = NULL;
	if (!ks->n && !cands->n && !observed)
		return VG_OK;
	size_t len = 0;
	for (size_t i = 0; i < ks->n; i++)
		len += strlen(vg_warn_keyset_at(ks, i)) + 1;
	struct vg__warn_item *it = malloc(sizeof(*it) + len);
	if (!it)
		return VG_ENOMEM;
	it->cands = *cands;
	memset(cands, 0, sizeof(*cands));
	it->observed = observed;
	it->n_keys = ks->n;
	it->len = len;
	char *p = it->keys;
	for (size_t i = 0; i < ks->n; i++) {
		const char *k = vg_warn_keyset_at(ks, i);
		size_t n = strlen(k) + 1;
		memcpy(p, k, n);
		p += n;
	}
	*out = it;
	return VG_OK;
}

/* The keys of obj and what it matches in c (sco: an observable). */
static int evaluate(const struct vg__wcache *c, const cJSON *obj,
                    const char *type, const char *id, int sco,
                    struct vg__warn_item **out)
{
	*out = NULL;
	if (!c->conf.index)
		return VG_OK;
	struct vg__warn_tls *t = vg__warn_tls(c);
	struct vg__cands cands = {0};
	if (!t)
		return VG_ENOMEM;
	int rc = vg_warn_object_keys(t->keyer, obj, &t->keys);
	/* the clock only for an observable matched with patterns */
	if (!rc)
		rc = vg__warn_match(c, obj, type, id, sco, &t->keys,
		                    sco && c->patterns ? vg__now_us() : 0,
		                    &cands);
	if (!rc)
		rc = make_item(&t->keys, &cands,
		               c->patterns && !strcmp(type, "observed-data"),
		               out);
	vg__cands_release(&cands);
	return rc;
}

int vg__warn_prepare(struct vg__warn_eval *e, const cJSON *obj,
                     const struct vg_stix_info *info,
                     struct vg__warn_item **out)
{
	*out = NULL;
	return e ? evaluate(e->cache, obj, info->type, info->id,
	                    info->kind == VG_STIX_SCO, out)
	         : VG_OK;
}

int vg__warn_sync(struct vg__warn_eval *e, struct vg_store *s)
{
	if (!e)
		return VG_OK;
	int64_t gen = vg__warn_gen(s);
	if (gen == e->live->gen)
		return VG_OK;
	struct vg__wcache *c = NULL;
	int rc = vg__warn_cache_for(e->svc, s, gen, &c);
	if (rc)
		return rc;
	vg__warn_cache_put(e->svc, e->live);
	e->live = c;
	return VG_OK;
}

static struct vg_access_meta meta_of(const struct vg_object *o, int64_t added)
{
	struct vg_access_meta m = {
	    .owner = o->owner,
	    .scope = (enum vg_scope)o->scope,
	    .group = o->grp,
	    .tlp = o->tlp,
	    .classification = o->classification,
	    .added = added,
	};
	return m;
}

static const char *version_of(const struct vg_object *o)
{
	return o->modified ? o->modified : o->created ? o->created : "";
}

/* it's keys and alerts (its watches in cache c), in the transaction. */
static int apply_item(struct vg__warn_eval *e, struct vg_store *s,
                      const struct vg__wcache *c,
                      const struct vg__warn_item *it, const struct vg_object *o,
                      int64_t added)
{
	int rc = it->n_keys ? vg__keybuf_add(&e->keys, s, added, it->keys,
	                                     it->len, it->n_keys)
	                    : VG_OK;
	struct vg_access_meta m = meta_of(o, added);
	for (size_t i = 0; !rc && i < it->cands.n; i++) {
		int raised = 0;
		rc = vg__warn_raise(s, c, &it->cands.v[i], &m, o->id,
		                    version_of(o), o->collection, 0, &raised);
		e->raised += (size_t)raised;
	}
	if (!rc && it->observed) {
		if (e->n == e->cap) {
			size_t cap = e->cap ? e->cap * 2 : 16;
			struct deferred *d = realloc(e->d, cap * sizeof(*d));
			if (!d)
				return VG_ENOMEM;
			e->d = d;
			e->cap = cap;
		}
		struct deferred *d = &e->d[e->n];
		d->m = m;
		d->id = strdup(o->id);
		d->version = strdup(version_of(o));
		d->collection = strdup(o->collection ? o->collection : "");
		d->json = strndup(o->json, o->json_len);
		if (!d->id || !d->version || !d->collection || !d->json) {
			free(d->id);
			free(d->version);
			free(d->collection);
			free(d->json);
			return VG_ENOMEM;
		}
		e->n++;
	}
	return rc;
}

/* The watches changed after the parsing thread matched o: matched again
 * here, with the watches the transaction sees. */
static int apply_again(struct vg__warn_eval *e, struct vg_store *s,
                       const struct vg_object *o, int64_t added)
{
	struct vg_stix_info info;
	char msg[8];
	struct vg__warn_item *it = NULL;
	if (!e->live->conf.index)
		return VG_OK;
	cJSON *obj = cJSON_ParseWithLength(o->json, o->json_len);
	if (!obj)
		return VG_ENOMEM;
	int sco = !vg_stix_validate(obj, &info, msg, sizeof(msg)) &&
	          info.kind == VG_STIX_SCO;
	int rc = evaluate(e->live, obj, o->type, o->id, sco, &it);
	cJSON_Delete(obj);
	if (!rc && it)
		rc = apply_item(e, s, e->live, it, o, added);
	vg__warn_item_free(it);
	return rc;
}

int vg__warn_apply(struct vg__warn_eval *e, struct vg_store *s,
                   const struct vg__warn_item *it, const struct vg_object *o,
                   int64_t added)
{
	if (!e)
		return VG_OK;
	if (e->live != e->cache)
		return apply_again(e, s, o, added);
	return it ? apply_item(e, s, e->cache, it, o, added) : VG_OK;
}

/* ---- observed data ----------------------------------------------------------
 */

struct scos {
	cJSON **v;
	size_t n, max;
};

static int take_sco(void *ud, const struct vg_row *r)
{
	struct scos *sc = ud;
	if (sc->n == sc->max)
		return 0;
	cJSON *o = cJSON_ParseWithLength(r->json, r->json_len);
	if (o)
		sc->v[sc->n++] = o;
	return 0;
}

/* The observables an observed-data object names: its object_refs as
 * stored (this input's included: the transaction sees them), or STIX
 * 2.0's embedded objects. */
static int gather(struct vg_store *s, const cJSON *od, struct scos *sc)
{
	const cJSON *refs = cJSON_GetObjectItemCaseSensitive(od, "object_refs");
	const cJSON *e;
	if (!cJSON_IsArray(refs)) {
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(
		                          od, "objects")) if (sc->n < sc->max &&
		                                              cJSON_IsObject(e))
		    sc->v[sc->n++] = cJSON_Duplicate(e, 1);
		return VG_OK;
	}
	const char *ids[64];
	size_t n = 0;
	cJSON_ArrayForEach(e, refs) if (n < 64 && cJSON_IsString(e)) ids[n++] =
	    e->valuestring;
	if (!n)
		return VG_OK;
	struct vg_principal all = {.operator= 1 };
	struct vg_access_expr vis;
	vg_access_expr(&all, &vis);
	struct vg_query q = {.visible = &vis, .ids = ids, .n_ids = n};
	return s->ops->objects->scan(s, &q, take_sco, sc);
}

int vg__warn_gather_scos(struct vg_store *s, const cJSON *od, cJSON **v,
                         size_t max, size_t *n)
{
	struct scos sc = {v, 0, max};
	int rc = gather(s, od, &sc);
	*n = sc.n;
	return rc;
}

static int match_observed(struct vg__warn_eval *e, struct vg_store *s,
                          const struct deferred *d)
{
	cJSON *od = cJSON_Parse(d->json);
	cJSON *v[64];
	struct scos sc = {v, 0, 64};
	struct vg__cands cands = {0};
	struct vg_pattern_obs obs;
	int rc = VG_OK;
	if (!od)
		return VG_OK;
	if (vg_pattern_obs_from_observed_data(&obs, od))
		goto out;
	if ((rc = gather(s, od, &sc)) || !sc.n)
		goto out;
	obs.scos = (const cJSON *const *)sc.v;
	obs.n_scos = sc.n;
	rc = vg__warn_match_obs(e->live, &obs, 1, &cands);
	for (size_t i = 0; !rc && i < cands.n; i++) {
		int raised = 0;
		rc = vg__warn_raise(s, e->live, &cands.v[i], &d->m, d->id,
		                    d->version, d->collection, 0, &raised);
		e->raised += (size_t)raised;
	}
out:
	vg__cands_release(&cands);
	for (size_t i = 0; i < sc.n; i++)
		cJSON_Delete(sc.v[i]);
	cJSON_Delete(od);
	return rc;
}

int vg__warn_finish(struct vg__warn_eval *e, struct vg_store *s)
{
	int rc = VG_OK;
	if (!e)
		return VG_OK;
	rc = vg__keybuf_flush(&e->keys, s);
	for (size_t i = 0; !rc && i < e->n; i++)
		rc = match_observed(e, s, &e->d[i]);
	drop_deferred(e);
	if (!rc && e->raised) {
		/* the hub raised alerts: on record with the data */
		struct vg_ctx sys;
		struct vg__detail det;
		vg__warn_system_ctx(e->svc, &sys);
		vg__detail_begin(&det);
		vg_jw_kint(&det.w, "alerts", (int64_t)e->raised);
		const char *detail = vg__detail_end(&det);
		rc = detail ? vg__audit(s, &sys, "alerts.raise", "", detail)
		            : VG_ENOMEM;
		vg__detail_release(&det);
		vg_ctx_release(&sys);
		e->notify = 1;
	}
	e->raised = 0;
	return rc;
}
