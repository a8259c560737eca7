/* Watches as use cases (warn.h): made (checked, stored, and evaluated at
 * once over what is stored: "retro" alerts), listed and removed; the
 * checks and the retroactive run serve changes too (warn_watch_edit.c).
 * The
 * retroactive evaluation finds its candidates through the key index and
 * matches each with the same code as an arrival (vg__warn_match), so a
 * watch says the same of an object whether it came before or after. */
#include "warn_int.h"
#include "vigil/util/error.h"
#include "vigil/util/timefmt.h"

#include <ctype.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- checking what is watched ------------------------------------------- */

static int check_term(const struct vg_watch_spec *w, struct vg__watch_made *m,
                      char *err, size_t errlen)
{
	struct vg__warn_tls *t = vg__warn_tls(NULL);
	struct vg_warn_keyset ks;
	int rc = VG_OK;
	const char *term = w->term ? w->term : "";
	if (!t)
		return VG_ENOMEM;
	m->kind = vg_watch_kind_parse(w->kind ? w->kind : "");
	if (m->kind < 0) {
		snprintf(err, errlen,
		         "'%s' is not a kind of watch (value, name, "
		         "document, pattern, object, query)",
		         w->kind ? w->kind : "");
		return VG_EINVAL;
	}
	if (!*term || strlen(term) > 4000) {
		snprintf(err, errlen,
		         "a watch needs a term of 1 to 4000 bytes");
		return VG_EINVAL;
	}
	snprintf(m->display, sizeof(m->display), "%s", term);
	vg_warn_keyset_init(&ks);
	switch ((enum vg_watch_kind)m->kind) {
	case VG_WATCH_VALUE:
		rc = vg_warn_value_key(t->keyer, term, w->value_kind, &ks, err,
		                       errlen);
		if (!rc) {
			/* a URL or an address names its host too: the value
			 * itself is watched */
			const char *k = vg_warn_keyset_at(&ks, 0);
			for (size_t i = 0; i < ks.n; i++)
				if (!strncmp(vg_warn_keyset_at(&ks, i),
				             "url:", 4) ||
				    !strncmp(vg_warn_keyset_at(&ks, i),
				             "email:", 6))
					k = vg_warn_keyset_at(&ks, i);
			snprintf(m->term, sizeof(m->term), "%s", k);
		}
		break;
	case VG_WATCH_NAME: {
		const char *nk = w->name_kind ? w->name_kind : "person";
		if (strcmp(nk, "person") && strcmp(nk, "entity")) {
			snprintf(err, errlen,
			         "a name is a person's or an entity's, "
			         "not '%s'",
			         nk);
			rc = VG_EINVAL;
		} else if (w->threshold < 0 || w->threshold > 1) {
			snprintf(err, errlen, "the threshold is from 0 to 1");
			rc = VG_EINVAL;
		} else {
			snprintf(m->term, sizeof(m->term), "%s:%s", nk, term);
		}
		break;
	}
	case VG_WATCH_DOCUMENT:
		if (vg_warn_doc_key(term, m->term, sizeof(m->term))) {
			snprintf(err, errlen,
			         "'%.100s' is not a document number (at "
			         "least 4 letters or digits)",
			         term);
			rc = VG_EINVAL;
		}
		break;
	case VG_WATCH_PATTERN: {
		struct vg_pattern *p = NULL;
		struct vg_pattern_error pe;
		rc = vg_pattern_parse(term, strlen(term), &p, &pe);
		if (rc == VG_EINVAL) {
			char why[200];
			vg_pattern_error_text(&pe, why, sizeof(why));
			snprintf(err, errlen, "pattern: %s [%s]", why,
			         pe.section);
		}
		vg_pattern_free(p);
		snprintf(m->term, sizeof(m->term), "%s", term);
		break;
	}
	case VG_WATCH_OBJECT:
		if (!vg_stix_id_valid(term, NULL)) {
			snprintf(err, errlen, "'%.100s' is not a STIX id",
			         term);
			rc = VG_EINVAL;
		}
		for (size_t i = 0; term[i] && i + 1 < sizeof(m->term); i++)
			m->term[i] = (char)tolower((unsigned char)term[i]);
		break;
	case VG_WATCH_QUERY: {
		struct vg_watch_query q;
		struct vg_buf b;
		rc = vg_watch_query_parse(term, &q, err, errlen);
		if (rc)
			break;
		vg_buf_init(&b, sizeof(m->term) - 1);
		rc = vg_watch_query_json(&q, &b);
		if (!rc) {
			snprintf(m->term, sizeof(m->term), "%s", b.data);
			snprintf(m->display, sizeof(m->display), "%s", b.data);
		}
		vg_buf_release(&b);
		vg_watch_query_release(&q);
		break;
	}
	case VG_WATCH__COUNT:
		break;
	}
	vg_warn_keyset_release(&ks);
	if (rc)
		return rc;
	if (w->webhook && *w->webhook) {
		if ((strncmp(w->webhook, "http://", 7) &&
		     strncmp(w->webhook, "https://", 8)) ||
		    strlen(w->webhook) > 2000 ||
		    strpbrk(w->webhook, " \r\n\t")) {
			snprintf(err, errlen,
			         "a webhook is an http:// or https:// URL "
			         "of at most 2000 bytes");
			return VG_EINVAL;
		}
		unsigned char raw[32];
		randombytes_buf(raw, sizeof(raw));
		vg__hex(raw, sizeof(raw), m->secret);
		sodium_memzero(raw, sizeof(raw));
	}
	return VG_OK;
}

/* A webhook goes only to a host the operator allowed: any analyst may
 * make a watch, and the hub's requests must not reach what its network
 * can (docs/early-warning.md). */
static int check_webhook(struct vg_store *s, const struct vg_watch_spec *w,
                         char *err, size_t errlen)
{
	struct vg__warn_conf conf;
	if (!w->webhook || !*w->webhook)
		return VG_OK;
	int rc = vg__warn_conf_read(s, &conf);
	if (!rc && !vg_webhook_allowed(w->webhook, conf.webhook_hosts)) {
		snprintf(err, errlen,
		         "webhooks go only to the hosts the hub's operator "
		         "allowed (vigil warn set webhook_hosts HOST,...); "
		         "this URL's host is not one of them");
		rc = VG_EINVAL;
	}
	return rc;
}

int vg__watch_check(struct vg_store *s, const struct vg_watch_spec *w,
                    struct vg__watch_made *m, char *err, size_t errlen)
{
	int rc = check_term(w, m, err, errlen);
	return rc ? rc : check_webhook(s, w, err, errlen);
}

/* ---- making a watch --------------------------------------------------------
 */

struct owner {
	int64_t user, org;
	char name[128];
	int found;
};

static int take_added(void *ud, const struct vg_row *r)
{
	*(int64_t *)ud = r->date_added;
	return 1; /* the first is the newest */
}

static int take_owner(void *ud, const struct vg_user *u)
{
	struct owner *o = ud;
	o->user = u->id;
	o->org = u->org;
	snprintf(o->name, sizeof(o->name), "%s", u->name);
	o->found = !u->disabled;
	return 0;
}

struct add_job {
	struct vg_ctx *c;
	const struct vg_watch_spec *w;
	const struct vg__watch_made *m;
	const struct owner *o;
	int64_t id;
	int64_t horizon; /* the newest version stored with the watch */
};

int vg__watch_horizon(struct vg_store *s, int64_t *out)
{
	struct vg_principal all = {.operator= 1 };
	struct vg_access_expr vis;
	vg_access_expr(&all, &vis);
	struct vg_query q = {.visible = &vis,
	                     .versions = VG_VERSIONS_ALL,
	                     .newest_first = 1,
	                     .limit = 1,
	                     .slim = 1};
	*out = 0;
	int rc = s->ops->objects->scan(s, &q, take_added, out);
	return rc == 1 ? VG_OK : rc;
}

static int add_fn(struct vg_store *s, void *arg)
{
	struct add_job *j = arg;
	struct vg_watch_row r = {
	    .name = j->w->name && *j->w->name ? j->w->name : j->m->display,
	    .org = j->o->org,
	    .user = j->o->user,
	    .user_name = j->o->name,
	    .shared = j->w->shared,
	    .kind = j->m->kind,
	    .term = j->m->term,
	    .display = j->m->display,
	    .threshold = j->w->threshold,
	    .webhook = j->w->webhook && *j->w->webhook ? j->w->webhook : NULL,
	    .secret = j->m->secret[0] ? j->m->secret : NULL,
	    .created = vg__now_us(),
	};
	int rc = s->ops->warn->watch_add(s, &r, &j->id);
	if (!rc)
		rc = vg__warn_gen_move(s);
	/* what is stored by now, the watch's retroactive run finds; what is
	 * stored after, the transaction that stores it matches with the
	 * watch (its generation moved here: vg__warn_sync) */
	if (!rc)
		rc = vg__watch_horizon(s, &j->horizon);
	struct vg__detail d;
	char target[32];
	snprintf(target, sizeof(target), "%lld", (long long)j->id);
	vg__detail_begin(&d);
	vg_jw_kstr(&d.w, "kind",
	           vg_watch_kind_name((enum vg_watch_kind)r.kind));
	vg_jw_key(&d.w, "term");
	vg_jw_strn(&d.w, r.display, 500);
	vg_jw_kstr(&d.w, "for", r.user_name);
	vg_jw_kbool(&d.w, "shared", r.shared);
	vg_jw_kbool(&d.w, "webhook", r.webhook != NULL);
	const char *detail = vg__detail_end(&d);
	if (!rc)
		rc = detail ? vg__audit(s, j->c, "watch.add", target, detail)
		            : VG_ENOMEM;
	vg__detail_release(&d);
	return rc;
}

/* ---- retroactive evaluation ---------------------------------------------- */

struct found {
	struct vg_access_meta m;
	char *object, *version, *collection;
	struct vg__cand cand;
};

struct retro {
	struct vg_service *svc;
	struct vg_store *s;
	const struct vg__wcache *c;
	struct vg__wcache *own; /* the cache of the watch alone */
	uint32_t w;
	size_t max;
	int64_t horizon; /* versions stored after it are not looked at */
	int truncated;
	struct found *v;
	size_t n, cap;
	struct vg_warn_keyset ks;
	char **seen; /* objects already found */
	size_t n_seen, cap_seen;
	int rc;
};

static int seen(struct retro *r, const char *id)
{
	for (size_t i = 0; i < r->n_seen; i++)
		if (!strcasecmp(r->seen[i], id))
			return 1;
	if (r->n_seen == r->cap_seen) {
		size_t cap = r->cap_seen ? r->cap_seen * 2 : 64;
		char **n = realloc(r->seen, cap * sizeof(*n));
		if (!n)
			return -1;
		r->seen = n;
		r->cap_seen = cap;
	}
	if (!(r->seen[r->n_seen] = strdup(id)))
		return -1;
	r->n_seen++;
	return 0;
}

static int keep(struct retro *r, const struct vg_access_meta *m,
                const char *object, const char *version, const char *collection,
                struct vg__cand *cand)
{
	if (r->n == r->max) {
		r->truncated = 1;
		return 1; /* stops the scan */
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 32;
		struct found *n = realloc(r->v, cap * sizeof(*n));
		if (!n)
			return VG_ENOMEM;
		r->v = n;
		r->cap = cap;
	}
	struct found *f = &r->v[r->n];
	f->m = *m;
	f->object = strdup(object);
	f->version = strdup(version ? version : "");
	f->collection = strdup(collection ? collection : "");
	f->cand = *cand;
	cand->key = cand->detail = NULL; /* taken */
	if (!f->object || !f->version || !f->collection) {
		free(f->object);
		free(f->version);
		free(f->collection);
		free(f->cand.key);
		free(f->cand.detail);
		return VG_ENOMEM;
	}
	r->n++;
	return VG_OK;
}

/* Match one stored version with the new watch, as an arrival would be. */
static int consider(struct retro *r, const cJSON *obj, const char *type,
                    const char *id, const char *version, const char *collection,
                    const struct vg_access_meta *m, struct vg_pattern_obs *obs)
{
	struct vg__warn_tls *t = vg__warn_tls(r->c);
	struct vg__cands cands = {0};
	struct vg_stix_info info;
	char msg[8];
	int rc;
	if (!t)
		return VG_ENOMEM;
	if (obs) {
		rc = vg__warn_match_obs(r->c, obs, 1, &cands);
	} else {
		if ((rc = vg_warn_object_keys(t->keyer, obj, &r->ks)))
			return rc;
		int sco = !vg_stix_validate(obj, &info, msg, sizeof(msg)) &&
		          info.kind == VG_STIX_SCO;
		rc = vg__warn_match(r->c, obj, type, id, sco, &r->ks, m->added,
		                    &cands);
	}
	for (size_t i = 0; !rc && i < cands.n; i++)
		if (cands.v[i].watch == r->w) {
			rc = keep(r, m, id, version, collection, &cands.v[i]);
			break;
		}
	vg__cands_release(&cands);
	return rc;
}

static int on_row(void *ud, const struct vg_warn_row *row)
{
	struct retro *r = ud;
	if (row->added > r->horizon)
		return 0; /* matched on arrival */
	int s = seen(r, row->id);
	if (s)
		return s < 0 ? VG_ENOMEM : 0;
	cJSON *obj =
	    row->json ? cJSON_ParseWithLength(row->json, row->json_len) : NULL;
	if (!obj)
		return 0;
	struct vg_access_meta m = {
	    .owner = row->owner,
	    .scope = (enum vg_scope)row->scope,
	    .group = row->grp,
	    .tlp = row->tlp,
	    .classification = row->classification,
	    .added = row->added,
	};
	const cJSON *mod = cJSON_GetObjectItemCaseSensitive(obj, "modified");
	const char *version = cJSON_IsString(mod) ? mod->valuestring : "";
	int rc;
	if (!strcmp(row->type, "observed-data") &&
	    r->c->w[r->w].kind == VG_WATCH_PATTERN) {
		cJSON *sc[64];
		size_t n = 0;
		struct vg_pattern_obs obs;
		rc = VG_OK;
		if (!vg_pattern_obs_from_observed_data(&obs, obj) &&
		    !(rc = vg__warn_gather_scos(r->s, obj, sc, 64, &n)) && n) {
			obs.scos = (const cJSON *const *)sc;
			obs.n_scos = n;
			rc = consider(r, obj, row->type, row->id, version,
			              row->collection, &m, &obs);
		}
		for (size_t i = 0; i < n; i++)
			cJSON_Delete(sc[i]);
	} else {
		rc = consider(r, obj, row->type, row->id, version,
		              row->collection, &m, NULL);
	}
	cJSON_Delete(obj);
	return rc;
}

static int scan_keys(struct retro *r, const char *const *keys, size_t n)
{
	struct vg_warn_keyq q = {
	    .keys = keys, .n_keys = n, .latest = 1, .json = 1};
	int rc = r->s->ops->warn->keys_scan(r->s, &q, on_row, r);
	return rc == 1 ? VG_OK : rc;
}

static int scan_range(struct retro *r, const char *lo, const char *hi)
{
	struct vg_warn_keyq q = {.lo = lo, .hi = hi, .latest = 1, .json = 1};
	int rc = r->s->ops->warn->keys_scan(r->s, &q, on_row, r);
	return rc == 1 ? VG_OK : rc;
}

static int on_typed(void *ud, const struct vg_row *row)
{
	struct vg_warn_row w = {
	    .id = row->id,
	    .type = row->type,
	    .collection = row->collection,
	    .added = row->date_added,
	    .owner = row->owner,
	    .scope = row->scope,
	    .grp = row->grp,
	    .tlp = row->tlp,
	    .classification = row->classification,
	    .json = row->json,
	    .json_len = row->json_len,
	};
	return on_row(ud, &w);
}

/* The observed data referring to each observable found so far. */
static int with_observed(struct retro *r)
{
	size_t n = r->n;
	int rc = VG_OK;
	for (size_t i = 0; !rc && i < n && !r->truncated; i++) {
		char key[VG_WARN_KEY_MAX];
		snprintf(key, sizeof(key), "ref:%s", r->v[i].object);
		for (char *p = key + 4; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		const char *k = key;
		rc = scan_keys(r, &k, 1);
	}
	return rc;
}

static int retro_run(struct retro *r)
{
	const struct vg__watch *w = &r->c->w[r->w];
	struct vg__warn_tls *t = vg__warn_tls(r->c);
	struct vg_warn_keyset ks;
	char lo[VG_WARN_KEY_MAX], hi[VG_WARN_KEY_MAX];
	int rc = VG_OK;
	if (!t)
		return VG_ENOMEM;
	vg_warn_keyset_init(&ks);
	switch (w->kind) {
	case VG_WATCH_VALUE:
	case VG_WATCH_DOCUMENT: {
		const char *k = w->term;
		rc = scan_keys(r, &k, 1);
		if (!rc && !vg_warn_ip_range(w->term, lo, hi))
			rc = scan_range(r, lo, hi);
		if (!rc && !vg_warn_dom_subrange(w->term, lo, hi))
			rc = scan_range(r, lo, hi);
		break;
	}
	case VG_WATCH_OBJECT: {
		char key[VG_WARN_KEY_MAX];
		snprintf(key, sizeof(key), "ref:%s", w->term);
		const char *k = key;
		rc = scan_keys(r, &k, 1);
		break;
	}
	case VG_WATCH_NAME: {
		const char *name = strchr(w->term, ':');
		if (name &&
		    !(rc = vg_warn_name_keys(t->keyer, name + 1,
		                             VG_PERSON_INDIVIDUAL, &ks)))
			rc = vg_warn_name_keys(t->keyer, name + 1,
			                       VG_PERSON_ENTITY, &ks);
		break;
	}
	case VG_WATCH_PATTERN:
		rc = vg_warn_pattern_keys(t->keyer, w->term, &ks);
		break;
	case VG_WATCH_QUERY:
		rc = vg_watch_query_anchors(&w->query, &ks);
		break;
	}
	if (!rc)
		rc = vg_warn_keyset_finish(&ks);
	for (size_t i = 0; !rc && i < ks.n && !r->truncated; i++) {
		const char *k = vg_warn_keyset_at(&ks, i);
		if (!strncmp(k, "type:", 5)) {
			/* a query by type only: the objects of the type */
			struct vg_principal all = {.operator= 1 };
			struct vg_access_expr vis;
			const char *type = k + 5;
			vg_access_expr(&all, &vis);
			struct vg_query q = {
			    .visible = &vis, .types = &type, .n_types = 1};
			rc = r->s->ops->objects->scan(r->s, &q, on_typed, r);
			rc = rc == 1 ? VG_OK : rc;
			continue;
		}
		rc = scan_keys(r, &k, 1);
		if (!rc && w->kind == VG_WATCH_PATTERN &&
		    !vg_warn_ip_range(k, lo, hi))
			rc = scan_range(r, lo, hi);
	}
	if (!rc && w->kind == VG_WATCH_PATTERN)
		rc = with_observed(r);
	vg_warn_keyset_release(&ks);
	return rc;
}

static void retro_release(struct retro *r)
{
	vg__warn_cache_free(r->own);
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].object);
		free(r->v[i].version);
		free(r->v[i].collection);
		free(r->v[i].cand.key);
		free(r->v[i].cand.detail);
	}
	free(r->v);
	for (size_t i = 0; i < r->n_seen; i++)
		free(r->seen[i]);
	free(r->seen);
	vg_warn_keyset_release(&r->ks);
}

struct raise_job {
	struct vg_ctx *c;
	struct retro *r;
	int64_t id;
	size_t raised;
};

static int raise_fn(struct vg_store *s, void *arg)
{
	struct raise_job *j = arg;
	struct retro *r = j->r;
	int rc = VG_OK;
	j->raised = 0;
	for (size_t i = 0; !rc && i < r->n; i++) {
		int raised = 0;
		rc = vg__warn_raise(s, r->c, &r->v[i].cand, &r->v[i].m,
		                    r->v[i].object, r->v[i].version,
		                    r->v[i].collection, 1, &raised);
		j->raised += (size_t)raised;
	}
	struct vg__detail d;
	char target[32];
	snprintf(target, sizeof(target), "%lld", (long long)j->id);
	vg__detail_begin(&d);
	vg_jw_kint(&d.w, "alerts", (int64_t)j->raised);
	vg_jw_kbool(&d.w, "truncated", r->truncated);
	const char *detail = vg__detail_end(&d);
	if (!rc)
		rc = detail ? vg__audit(s, j->c, "watch.retro", target, detail)
		            : VG_ENOMEM;
	vg__detail_release(&d);
	return rc;
}

/* What watch id matches among the stored objects but the skip ones,
 * into r (released by the caller). *ran is 0 when the watch is not
 * active or the hub's retro_max is 0. */
static int retro_find(struct vg_ctx *c, int64_t id, char *const *skip,
                      size_t n_skip, int64_t horizon, struct retro *r, int *ran)
{
	struct vg_store *s = vg__reader(c->svc);
	struct vg__wcache *cache = NULL;
	*ran = 0;
	vg_warn_keyset_init(&r->ks);
	if (!s)
		return VG_ESTORE;
	/* a cache of the watch alone: the hub's is rebuilt by the next
	 * arrival, not by each watch made or changed */
	int rc = vg__warn_cache_build(s, -1, id, &cache);
	if (rc)
		return rc;
	cache->refs = 1;
	r->own = cache;
	size_t i = 0;
	while (i < cache->n && cache->w[i].id != id)
		i++;
	if (i == cache->n || !cache->w[i].active || !cache->conf.retro_max)
		return VG_OK;
	r->svc = c->svc;
	r->s = s;
	r->c = cache;
	r->w = (uint32_t)i;
	r->max = (size_t)cache->conf.retro_max;
	r->horizon = horizon;
	for (size_t k = 0; k < n_skip; k++)
		if (seen(r, skip[k]) < 0)
			return VG_ENOMEM;
	*ran = 1;
	return retro_run(r);
}

int vg__watch_retro(struct vg_ctx *c, int64_t id, char *const *skip,
                    size_t n_skip, int64_t horizon, size_t *raised,
                    int *truncated)
{
	struct retro r = {0};
	int ran;
	*raised = 0;
	*truncated = 0;
	int rc = retro_find(c, id, skip, n_skip, horizon, &r, &ran);
	if (!rc && ran) {
		struct raise_job j = {c, &r, id, 0};
		rc = vg__write(c->svc, raise_fn, &j);
		*raised = j.raised;
		*truncated = r.truncated;
		if (!rc && j.raised)
			vg__warn_notify(c->svc);
	}
	retro_release(&r);
	return rc;
}

int vg__watch_matches(struct vg_ctx *c, int64_t id, char ***objects, size_t *n)
{
	struct retro r = {0};
	int ran;
	char **v = NULL;
	int rc = retro_find(c, id, NULL, 0, INT64_MAX, &r, &ran);
	if (!rc && r.n && !(v = calloc(r.n, sizeof(*v))))
		rc = VG_ENOMEM;
	for (size_t i = 0; !rc && i < r.n; i++) {
		v[i] = r.v[i].object;
		r.v[i].object = NULL;
	}
	if (!rc) {
		*objects = v;
		*n = r.n;
	}
	retro_release(&r);
	return rc;
}

int vg_watch_add(struct vg_ctx *c, const struct vg_watch_spec *w,
                 struct vg_buf *out, char *err, size_t errlen)
{
	struct vg_store *s = vg__reader(c->svc);
	struct vg__watch_made *m = calloc(1, sizeof(*m));
	struct owner o = {.user = c->p.user, .org = c->p.org, .found = 1};
	int rc = vg__require(c, VG_ACT_READ, "watch.add");
	if (rc || !m) {
		free(m);
		return rc ? rc : VG_ENOMEM;
	}
	snprintf(o.name, sizeof(o.name), "%s", c->user);
	if (!s) {
		rc = VG_ESTORE;
		goto out;
	}
	if (!s->ops->warn) {
		rc = VG_EUNSUPPORTED;
		goto out;
	}
	if (w->for_user && *w->for_user) {
		/* the operator makes a watch in a user's name */
		if (!c->p.operator) {
			rc = vg__deny(c, "operator", "watch.add");
			goto out;
		}
		o.found = 0;
		rc = s->ops->hub->user_find(s, w->for_user, 0, take_owner, &o);
		if (rc == VG_ENOTFOUND || (!rc && !o.found)) {
			snprintf(err, errlen, "no user '%s'", w->for_user);
			rc = VG_ENOTFOUND;
		}
		if (rc)
			goto out;
	}
	if ((rc = check_term(w, m, err, errlen)) ||
	    (rc = check_webhook(s, w, err, errlen)))
		goto out;
	struct add_job j = {c, w, m, &o, 0, 0};
	if ((rc = vg__write(c->svc, add_fn, &j)))
		goto out;
	size_t raised = 0;
	int truncated = 0;
	rc = vg__watch_retro(c, j.id, NULL, 0, j.horizon, &raised, &truncated);
	if (rc)
		goto out;
	struct vg_jw jw;
	vg_jw_init(&jw, out);
	vg_jw_obj(&jw);
	vg_jw_kint(&jw, "id", j.id);
	if (m->secret[0])
		vg_jw_kstr(&jw, "secret", m->secret);
	vg_jw_kint(&jw, "retro", (int64_t)raised);
	if (truncated)
		vg_jw_kstr(&jw, "retro_note", "stopped at the hub's retro_max");
	vg_jw_close(&jw);
	rc = vg_jw_end(&jw);
out:
	sodium_memzero(m, sizeof(*m));
	free(m);
	return rc;
}

/* ---- listing and removing --------------------------------------------------
 */

struct list {
	const struct vg_ctx *c;
	struct vg_jw *w;
	size_t n;
};

/* c sees its own watches, its organisation's shared ones (the
 * operator: all). */
int vg__watch_sees(const struct vg_ctx *c, const struct vg_watch_row *r)
{
	return c->p.operator||(r->org == c->p.org &&
	                       (r->shared || r->user == c->p.user));
}

void vg__watch_fields(struct vg_jw *w, const struct vg_watch_row *r)
{
	char created[VG_TIME_LEN];
	vg_time_format_us(r->created, created);
	vg_jw_kint(w, "id", r->id);
	vg_jw_kstr(w, "name", r->name);
	vg_jw_kstr(w, "kind", vg_watch_kind_name((enum vg_watch_kind)r->kind));
	vg_jw_kstr(w, "term", r->display);
	if (r->kind == VG_WATCH_NAME)
		vg_jw_knum(w, "threshold", r->threshold, 2);
	vg_jw_kstr(w, "user", r->user_name);
	vg_jw_kbool(w, "shared", r->shared);
	if (r->webhook)
		vg_jw_kstr(w, "webhook", r->webhook);
	vg_jw_kstr(w, "created", created);
}

static int list_row(void *ud, const struct vg_watch_row *r)
{
	struct list *l = ud;
	if (!vg__watch_sees(l->c, r))
		return 0;
	struct vg_jw *w = l->w;
	vg_jw_obj(w);
	vg__watch_fields(w, r);
	vg_jw_close(w);
	l->n++;
	return w->rc;
}

int vg_watch_list(struct vg_ctx *c, struct vg_buf *out)
{
	struct vg_store *s = vg__reader(c->svc);
	int rc = vg__require(c, VG_ACT_READ, "watch.list");
	if (!rc)
		rc = vg_ctx_purpose(c);
	if (rc)
		return rc;
	if (!s)
		return VG_ESTORE;
	if (!s->ops->warn)
		return VG_EUNSUPPORTED;
	struct vg_jw w;
	struct list l = {c, &w, 0};
	vg_jw_init(&w, out);
	vg_jw_obj(&w);
	vg_jw_key(&w, "watches");
	vg_jw_arr(&w);
	rc = s->ops->warn->watch_list(s, c->p.operator? 0 : c->p.org, list_row,
	                              &l);
	vg_jw_close(&w);
	vg_jw_close(&w);
	if (!rc)
		rc = vg_jw_end(&w);
	struct vg__detail d;
	vg__detail_begin(&d);
	vg_jw_kint(&d.w, "count", (int64_t)l.n);
	const char *detail = vg__detail_end(&d);
	if (!rc)
		rc = detail ? vg__audit_read(c, "watch.list", "", detail)
		            : VG_ENOMEM;
	vg__detail_release(&d);
	return rc;
}

int vg__watch_may_change(const struct vg_ctx *c, const struct vg_watch_row *r)
{
	/* the creator; for shared watches the organisation's admins too */
	int creator = r->user == c->p.user;
	int admin = r->shared && r->org == c->p.org &&
	            vg_principal_allows(&c->p, VG_ACT_ORG_ADMIN);
	return creator || admin || c->p.operator;
}

struct rm {
	const struct vg_ctx *c;
	int found, may;
};

static int take_rm(void *ud, const struct vg_watch_row *r)
{
	struct rm *m = ud;
	m->found = vg__watch_sees(m->c, r);
	m->may = vg__watch_may_change(m->c, r);
	return 0;
}

struct rm_job {
	struct vg_ctx *c;
	int64_t id;
};

static int rm_fn(struct vg_store *s, void *arg)
{
	struct rm_job *j = arg;
	char target[32];
	int rc = s->ops->warn->watch_remove(s, j->id);
	snprintf(target, sizeof(target), "%lld", (long long)j->id);
	if (!rc)
		rc = vg__warn_gen_move(s);
	return rc ? rc : vg__audit(s, j->c, "watch.remove", target, "{}");
}

int vg_watch_remove(struct vg_ctx *c, int64_t id)
{
	struct vg_store *s = vg__reader(c->svc);
	struct rm m = {c, 0, 0};
	char target[32];
	int rc = vg__require(c, VG_ACT_READ, "watch.remove");
	if (rc)
		return rc;
	if (!s)
		return VG_ESTORE;
	if (!s->ops->warn)
		return VG_EUNSUPPORTED;
	snprintf(target, sizeof(target), "%lld", (long long)id);
	rc = s->ops->warn->watch_get(s, id, take_rm, &m);
	if (rc && rc != VG_ENOTFOUND)
		return rc;
	if (!m.found) {
		/* another organisation's watch is none */
		rc = vg__audit_now(c, "watch.remove", target,
		                   "{\"found\":false}");
		return rc ? rc : VG_ENOTFOUND;
	}
	if (!m.may)
		return vg__deny(c, "the watch's creator or org-admin",
		                "watch.remove");
	struct rm_job j = {c, id};
	return vg__write(c->svc, rm_fn, &j);
}
