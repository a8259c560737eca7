/* Early warning's hook in the ingest (ingest.c): on the parsing thread
 * each validated object gets its keys and the watches it matches; on the
 * storing thread, in the transaction that stores the version, its keys
 * go into the index and its alerts are raised under each watcher's
 * rights; observed data are matched with their observables at the end of
 * the input. Every path that stores objects (import, TAXII, watchlists,
 * sync) goes through here. */
#include "warn_int.h"
#include "vigil/util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vg__warn_item {
	struct vg_warn_keyset keys;
	struct vg__cands cands;
	int observed; /* observed data: matched at the end of the input */
};

struct deferred {
	struct vg_access_meta m;
	char *id, *version, *collection, *json;
};

struct vg__warn_eval {
	struct vg_service *svc;
	struct vg__wcache *cache;
	struct deferred *d;
	size_t n, cap;
	size_t raised; /* alerts raised by this pass */
	int notify;    /* alerts were raised: listeners learn of it */
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
	int rc = vg__warn_cache_get(svc, s, &e->cache);
	if (rc) {
		free(e);
		return rc;
	}
	if (!e->cache->conf.index) {
		vg__warn_cache_put(svc, e->cache);
		free(e);
		return VG_OK;
	}
	e->svc = svc;
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
	e->raised = 0;
}

void vg__warn_eval_end(struct vg__warn_eval *e)
{
	if (!e)
		return;
	drop_deferred(e);
	free(e->d);
	vg__warn_cache_put(e->svc, e->cache);
	if (e->notify)
		vg__warn_notify(e->svc);
	free(e);
}

void vg__warn_item_free(struct vg__warn_item *it)
{
	if (!it)
		return;
	vg_warn_keyset_release(&it->keys);
	vg__cands_release(&it->cands);
	free(it);
}

int vg__warn_prepare(struct vg__warn_eval *e, const cJSON *obj,
                     const struct vg_stix_info *info,
                     struct vg__warn_item **out)
{
	*out = NULL;
	if (!e)
		return VG_OK;
	struct vg__warn_tls *t = vg__warn_tls(e->cache);
	struct vg__warn_item *it = calloc(1, sizeof(*it));
	if (!t || !it) {
		free(it);
		return VG_ENOMEM;
	}
	vg_warn_keyset_init(&it->keys);
	int rc = vg_warn_object_keys(t->keyer, obj, &it->keys);
	if (!rc)
		rc = vg__warn_match(e->cache, obj, info->type, info->id,
		                    info->kind == VG_STIX_SCO, &it->keys,
		                    vg__now_us(), &it->cands);
	it->observed =
	    e->cache->patterns && !strcmp(info->type, "observed-data");
	if (rc || (!it->keys.n && !it->cands.n && !it->observed)) {
		vg__warn_item_free(it);
		return rc;
	}
	*out = it;
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

static int add_keys(struct vg_store *s, int64_t added,
                    const struct vg_warn_keyset *ks)
{
	const char *stack[64] = {0};
	const char **v = ks->n <= 64 ? stack : malloc(ks->n * sizeof(*v));
	if (!v)
		return VG_ENOMEM;
	for (size_t i = 0; i < ks->n; i++)
		v[i] = vg_warn_keyset_at(ks, i);
	int rc = s->ops->warn->keys_add(s, added, v, ks->n);
	if (v != stack)
		free(v);
	return rc;
}

static const char *version_of(const struct vg_object *o)
{
	return o->modified ? o->modified : o->created ? o->created : "";
}

int vg__warn_apply(struct vg__warn_eval *e, struct vg_store *s,
                   const struct vg__warn_item *it, const struct vg_object *o,
                   int64_t added)
{
	if (!e || !it)
		return VG_OK;
	int rc = it->keys.n ? add_keys(s, added, &it->keys) : VG_OK;
	struct vg_access_meta m = meta_of(o, added);
	for (size_t i = 0; !rc && i < it->cands.n; i++) {
		int raised = 0;
		rc = vg__warn_raise(s, e->cache, &it->cands.v[i], &m, o->id,
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
	rc = vg__warn_match_obs(e->cache, &obs, 1, &cands);
	for (size_t i = 0; !rc && i < cands.n; i++) {
		int raised = 0;
		rc = vg__warn_raise(s, e->cache, &cands.v[i], &d->m, d->id,
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
