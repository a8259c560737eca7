/* Correlation (warn.h vg_warn_correlate): the keys of one object the
 * reader can see, looked up in the key index (addresses also by the
 * blocks that hold them and the blocks by what they hold); each related
 * version either shown (the reader may read it), counted as hit / no-hit
 * for its owner (the owner allows it), or left out. No pair is stored:
 * the answer is made when asked, under the asker's rights. */
#include "warn_int.h"
#include "vigil/util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- small sets ------------------------------------------------------------
 */

struct ids {
	char **v;
	size_t n, cap;
};

static int ids_has(const struct ids *s, const char *id)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcasecmp(s->v[i], id))
			return 1;
	return 0;
}

static int ids_add(struct ids *s, const char *id)
{
	if (ids_has(s, id))
		return VG_OK;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		char **n = realloc(s->v, cap * sizeof(*n));
		if (!n)
			return VG_ENOMEM;
		s->v = n;
		s->cap = cap;
	}
	if (!(s->v[s->n] = strdup(id)))
		return VG_ENOMEM;
	s->n++;
	return VG_OK;
}

static void ids_release(struct ids *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* ---- what the answer collects ----------------------------------------------
 */

struct related {
	char *id, *type, *label;
	struct ids keys; /* shown forms */
};

struct hidden {
	int64_t owner;
	struct ids objects; /* never shown */
	struct ids keys;    /* the asker's own keys, shown forms */
};

struct keyinfo {
	char *key, *shown;
	int excluded, over;
	size_t related;
};

struct corr {
	struct vg_ctx *c;
	struct vg_store *s;
	const char *id;
	struct vg__warn_conf conf;
	struct vg__warn_tls *t;
	struct vg_person self; /* the object's names, for name keys */
	int has_self;
	struct related *rel;
	size_t n_rel, cap_rel;
	struct hidden *hid;
	size_t n_hid, cap_hid;
	struct keyinfo *keys;
	size_t n_keys;
	/* the key being looked up */
	struct keyinfo *cur;
	const char *range_of; /* an address block: rows must lie inside */
	struct ids seen;      /* distinct objects found for cur */
	struct ids shown_here, hidden_here;
	int rc;
};

static struct related *rel_find(struct corr *k, const char *id)
{
	for (size_t i = 0; i < k->n_rel; i++)
		if (!strcasecmp(k->rel[i].id, id))
			return &k->rel[i];
	return NULL;
}

static int rel_add(struct corr *k, const struct vg_warn_row *r)
{
	struct related *x = rel_find(k, r->id);
	if (!x) {
		if (k->n_rel == k->cap_rel) {
			size_t cap = k->cap_rel ? k->cap_rel * 2 : 16;
			struct related *n = realloc(k->rel, cap * sizeof(*n));
			if (!n)
				return VG_ENOMEM;
			k->rel = n;
			k->cap_rel = cap;
		}
		char label[200] = "";
		cJSON *o = r->json ? cJSON_ParseWithLength(r->json, r->json_len)
		                   : NULL;
		if (o)
			vg__warn_label(o, label, sizeof(label));
		cJSON_Delete(o);
		x = &k->rel[k->n_rel];
		memset(x, 0, sizeof(*x));
		x->id = strdup(r->id);
		x->type = strdup(r->type);
		x->label = strdup(label);
		if (!x->id || !x->type || !x->label) {
			free(x->id);
			free(x->type);
			free(x->label);
			return VG_ENOMEM;
		}
		k->n_rel++;
	}
	return ids_add(&x->keys, k->cur->shown);
}

static struct hidden *hid_get(struct corr *k, int64_t owner)
{
	for (size_t i = 0; i < k->n_hid; i++)
		if (k->hid[i].owner == owner)
			return &k->hid[i];
	if (k->n_hid == k->cap_hid) {
		size_t cap = k->cap_hid ? k->cap_hid * 2 : 4;
		struct hidden *n = realloc(k->hid, cap * sizeof(*n));
		if (!n)
			return NULL;
		k->hid = n;
		k->cap_hid = cap;
	}
	struct hidden *h = &k->hid[k->n_hid++];
	memset(h, 0, sizeof(*h));
	h->owner = owner;
	return h;
}

/* Does the related version's name match the object's closely enough? A
 * name key only proposes: the screening scorer decides. */
static int names_agree(struct corr *k, const struct vg_warn_row *r)
{
	if (!k->has_self || !r->json)
		return 0;
	cJSON *o = cJSON_ParseWithLength(r->json, r->json_len);
	struct vg_person p;
	enum vg_person_kind kind;
	double score = 0;
	int ok = 0;
	vg_person_init(&p);
	struct vg_match_scratch *sc = vg__warn_pair_scratch(k->t);
	if (o && sc && !vg_warn_object_person(o, &p, &kind) && p.n_names) {
		p.kind = k->self.kind; /* compared as the asker's kind */
		if (!vg_match_persons(sc, &k->self, &p, &score, NULL))
			ok = score >= k->conf.name_threshold;
	}
	vg_person_release(&p);
	cJSON_Delete(o);
	return ok;
}

#define OVER 0x7fff

static int on_row(void *ud, const struct vg_warn_row *r)
{
	struct corr *k = ud;
	int rc;
	if (!strcasecmp(r->id, k->id))
		return 0; /* the object itself */
	if (k->range_of && !vg_warn_ip_within(r->key, k->range_of))
		return 0;
	if (!ids_has(&k->seen, r->id)) {
		if ((rc = ids_add(&k->seen, r->id)))
			return rc;
		if ((int64_t)k->seen.n > k->conf.budget)
			return OVER; /* listed, not expanded */
	}
	if (!strncmp(r->key, "name", 4) && !names_agree(k, r))
		return 0;
	struct vg_access_meta m = {
	    .owner = r->owner,
	    .scope = (enum vg_scope)r->scope,
	    .group = r->grp,
	    .tlp = r->tlp,
	    .classification = r->classification,
	    .added = r->added,
	};
	if (vg_access_read(&k->c->p, &m)) {
		if (ids_has(&k->shown_here, r->id))
			return 0;
		rc = ids_add(&k->shown_here, r->id);
		return rc ? rc : rel_add(k, r);
	}
	int d = vg__warn_decide(k->s, &k->c->p, &m, r->id, r->collection);
	if (d != VG_ALERT_HIT)
		return 0;
	struct hidden *h = hid_get(k, r->owner);
	if (!h)
		return VG_ENOMEM;
	if ((rc = ids_add(&h->objects, r->id)) ||
	    (rc = ids_add(&h->keys, k->cur->shown)))
		return rc;
	return ids_add(&k->hidden_here, r->id);
}

static int count_row(void *ud, const struct vg_warn_row *r)
{
	struct corr *k = ud;
	if (!strcasecmp(r->id, k->id) || ids_has(&k->seen, r->id))
		return 0;
	int rc = ids_add(&k->seen, r->id);
	if (rc)
		return rc;
	return (int64_t)k->seen.n > k->conf.budget ? OVER : 0;
}

static int scan(struct corr *k, const struct vg_warn_keyq *q)
{
	int rc = k->s->ops->warn->keys_scan(k->s, q, on_row, k);
	if (rc == OVER) {
		k->cur->over = 1;
		return VG_OK;
	}
	return rc;
}

/* Look up one key of the object. */
static int lookup(struct corr *k, struct keyinfo *ki)
{
	struct vg_warn_keyset ks;
	int rc;
	k->cur = ki;
	k->range_of = NULL;
	vg_warn_keyset_init(&ks);
	rc = vg_warn_keyset_add(&ks, ki->key, strlen(ki->key));
	if (!rc)
		rc = vg_warn_ip_supernets(ki->key, &ks);
	const char **v = rc ? NULL : malloc(ks.n * sizeof(*v));
	if (!rc && !v)
		rc = VG_ENOMEM;
	for (size_t i = 0; !rc && i < ks.n; i++)
		v[i] = vg_warn_keyset_at(&ks, i);
	struct vg_warn_keyq q = {
	    .keys = v, .n_keys = ks.n, .latest = 1, .json = 1};
	if (!rc && !strncmp(ki->key, "name", 4)) {
		/* a name is checked by the scorer, row by row: count first,
		 * without the texts, so a common name over the budget costs
		 * one cheap scan */
		q.json = 0;
		rc = k->s->ops->warn->keys_scan(k->s, &q, count_row, k);
		if (rc == OVER) {
			ki->over = 1;
			rc = VG_OK;
		}
		ids_release(&k->seen);
		q.json = 1;
	}
	if (!rc && !ki->over)
		rc = scan(k, &q);
	/* a block: the addresses and blocks inside it too */
	char lo[VG_WARN_KEY_MAX], hi[VG_WARN_KEY_MAX];
	if (!rc && !ki->over && !vg_warn_ip_range(ki->key, lo, hi) &&
	    !strstr(ki->key, "/32") && !strstr(ki->key, "/128")) {
		struct vg_warn_keyq r = {
		    .lo = lo, .hi = hi, .latest = 1, .json = 1};
		k->range_of = ki->key;
		rc = scan(k, &r);
	}
	free(v);
	vg_warn_keyset_release(&ks);
	ki->related = k->shown_here.n;
	if (ki->over) {
		/* over the budget: nothing of it is shown */
		for (size_t i = 0; i < k->n_rel; i++) {
			struct related *x = &k->rel[i];
			for (size_t j = 0; j < x->keys.n; j++)
				if (!strcmp(x->keys.v[j], ki->shown)) {
					free(x->keys.v[j]);
					x->keys.v[j] = x->keys.v[--x->keys.n];
					j--;
				}
		}
		for (size_t i = 0; i < k->n_hid; i++) {
			struct hidden *h = &k->hid[i];
			for (size_t j = 0; j < h->keys.n; j++)
				if (!strcmp(h->keys.v[j], ki->shown)) {
					free(h->keys.v[j]);
					h->keys.v[j] = h->keys.v[--h->keys.n];
					j--;
				}
		}
		ki->related = 0;
	}
	ids_release(&k->seen);
	ids_release(&k->shown_here);
	ids_release(&k->hidden_here);
	return rc;
}

/* ---- the object asked about --------------------------------------------- */

struct first {
	char *json;
	char version[VG_TS_KEY_LEN];
};

static int take_newest(void *ud, const struct vg_row *r)
{
	struct first *f = ud;
	if (f->json && strcmp(r->version, f->version) <= 0)
		return 0;
	free(f->json);
	f->json = strndup(r->json, r->json_len);
	snprintf(f->version, sizeof(f->version), "%s", r->version);
	return f->json ? 0 : VG_ENOMEM;
}

int vg__warn_visible_json(struct vg_ctx *c, struct vg_store *s, const char *id,
                          char **json)
{
	struct vg_access_expr vis;
	struct first f = {0};
	vg_access_expr(&c->p, &vis);
	struct vg_query q = {.visible = &vis,
	                     .ids = &id,
	                     .n_ids = 1,
	                     .versions = VG_VERSIONS_LAST};
	int rc = s->ops->objects->scan(s, &q, take_newest, &f);
	if (!rc && !f.json)
		rc = VG_ENOTFOUND;
	if (rc) {
		free(f.json);
		return rc;
	}
	*json = f.json;
	return VG_OK;
}

/* ---- the answer -------------------------------------------------------------
 */

static void write_ids(struct vg_jw *w, const char *name, const struct ids *s)
{
	vg_jw_key(w, name);
	vg_jw_arr(w);
	for (size_t i = 0; i < s->n; i++)
		vg_jw_str(w, s->v[i]);
	vg_jw_close(w);
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct related *)a)->id,
	              ((const struct related *)b)->id);
}

static int answer(struct corr *k, const char *label, int withheld,
                  struct vg_buf *out)
{
	struct vg_jw w;
	if (k->n_rel)
		qsort(k->rel, k->n_rel, sizeof(*k->rel), by_id);
	vg_jw_init(&w, out);
	vg_jw_obj(&w);
	vg_jw_kstr(&w, "object", k->id);
	vg_jw_kstr(&w, "label", label);
	vg_jw_key(&w, "keys");
	vg_jw_arr(&w);
	for (size_t i = 0; i < k->n_keys; i++) {
		const struct keyinfo *ki = &k->keys[i];
		char kind[16];
		vg_warn_key_kind(ki->key, kind);
		vg_jw_obj(&w);
		vg_jw_kstr(&w, "kind", kind);
		vg_jw_kstr(&w, "value", ki->shown);
		vg_jw_kbool(&w, "excluded", ki->excluded);
		vg_jw_kbool(&w, "over_budget", ki->over);
		vg_jw_kint(&w, "related", (int64_t)ki->related);
		vg_jw_close(&w);
	}
	vg_jw_close(&w);
	vg_jw_key(&w, "related");
	vg_jw_arr(&w);
	for (size_t i = 0; i < k->n_rel; i++) {
		const struct related *x = &k->rel[i];
		if (!x->keys.n)
			continue;
		vg_jw_obj(&w);
		vg_jw_kstr(&w, "id", x->id);
		vg_jw_kstr(&w, "type", x->type);
		vg_jw_kstr(&w, "label", x->label);
		write_ids(&w, "keys", &x->keys);
		vg_jw_close(&w);
	}
	vg_jw_close(&w);
	vg_jw_key(&w, "hits");
	vg_jw_arr(&w);
	for (size_t i = 0; !withheld && i < k->n_hid; i++) {
		const struct hidden *h = &k->hid[i];
		char org[128];
		if (!h->keys.n || !h->objects.n)
			continue;
		vg__warn_org_name(k->s, h->owner, org, sizeof(org));
		vg_jw_obj(&w);
		vg_jw_kstr(&w, "held_by", org);
		vg_jw_kint(&w, "records", (int64_t)h->objects.n);
		write_ids(&w, "keys", &h->keys);
		vg_jw_close(&w);
	}
	vg_jw_close(&w);
	if (withheld)
		vg_jw_kstr(&w, "hits_withheld",
		           "this hour's hit / no-hit answers are used up");
	vg_jw_close(&w);
	return vg_jw_end(&w);
}

static int audit(struct corr *k, int found, int withheld)
{
	struct vg__detail d;
	size_t over = 0, rel = 0;
	for (size_t i = 0; i < k->n_keys; i++)
		over += k->keys[i].over;
	for (size_t i = 0; i < k->n_rel; i++)
		rel += k->rel[i].keys.n > 0;
	vg__detail_begin(&d);
	vg_jw_kbool(&d.w, "found", found);
	vg_jw_kint(&d.w, "related", (int64_t)rel);
	vg_jw_kint(&d.w, "over_budget", (int64_t)over);
	vg_jw_key(&d.w, "hits");
	vg_jw_arr(&d.w);
	for (size_t i = 0; !withheld && i < k->n_hid; i++) {
		if (!k->hid[i].keys.n)
			continue;
		vg_jw_obj(&d.w);
		vg_jw_kint(&d.w, "org", k->hid[i].owner);
		vg_jw_kint(&d.w, "records", (int64_t)k->hid[i].objects.n);
		vg_jw_close(&d.w);
	}
	vg_jw_close(&d.w);
	if (withheld)
		vg_jw_kbool(&d.w, "withheld", 1);
	const char *detail = vg__detail_end(&d);
	int rc = detail
	             ? vg__audit_read(k->c, "object.correlate", k->id, detail)
	             : VG_ENOMEM;
	vg__detail_release(&d);
	return rc;
}

static void corr_release(struct corr *k)
{
	for (size_t i = 0; i < k->n_rel; i++) {
		free(k->rel[i].id);
		free(k->rel[i].type);
		free(k->rel[i].label);
		ids_release(&k->rel[i].keys);
	}
	free(k->rel);
	for (size_t i = 0; i < k->n_hid; i++) {
		ids_release(&k->hid[i].objects);
		ids_release(&k->hid[i].keys);
	}
	free(k->hid);
	for (size_t i = 0; i < k->n_keys; i++) {
		free(k->keys[i].key);
		free(k->keys[i].shown);
	}
	free(k->keys);
	vg_person_release(&k->self);
	ids_release(&k->seen);
	ids_release(&k->shown_here);
	ids_release(&k->hidden_here);
}

/* Look up every key of object id for c into k; the object's label into
 * label. VG_ENOTFOUND when c may not read id. */
static int run(struct vg_ctx *c, struct vg_store *s, const char *id,
               struct corr *k, char *label, size_t labellen)
{
	struct vg_warn_excl ex = {0};
	struct vg_warn_keyset ks;
	char *json = NULL;
	cJSON *obj = NULL;
	vg_warn_keyset_init(&ks);
	k->c = c;
	k->s = s;
	k->id = id;
	int rc = vg__warn_conf_read(s, &k->conf);
	if (!rc)
		rc = vg__warn_visible_json(c, s, id, &json);
	if (rc)
		goto out;
	obj = cJSON_Parse(json);
	k->t = vg__warn_tls(NULL);
	if (!obj || !k->t) {
		rc = VG_ENOMEM;
		goto out;
	}
	vg__warn_label(obj, label, labellen);
	enum vg_person_kind kind;
	k->has_self =
	    !vg_warn_object_person(obj, &k->self, &kind) && k->self.n_names;
	if ((rc = vg_warn_object_keys(k->t->keyer, obj, &ks)) ||
	    (rc = vg__warn_exclusions(c->svc, s, &ex)))
		goto out;
	size_t n = 0;
	for (size_t i = 0; i < ks.n; i++)
		n += vg_warn_key_correlates(vg_warn_keyset_at(&ks, i));
	k->keys = calloc(n ? n : 1, sizeof(*k->keys));
	if (!k->keys) {
		rc = VG_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < ks.n; i++) {
		const char *key = vg_warn_keyset_at(&ks, i);
		if (!vg_warn_key_correlates(key))
			continue;
		struct keyinfo *ki = &k->keys[k->n_keys++];
		char shown[VG_WARN_KEY_MAX];
		if (!strncmp(key, "name", 4))
			snprintf(shown, sizeof(shown), "%s", label);
		else
			vg_warn_key_display(key, shown, sizeof(shown));
		ki->key = strdup(key);
		ki->shown = strdup(shown);
		if (!ki->key || !ki->shown) {
			rc = VG_ENOMEM;
			goto out;
		}
		ki->excluded = vg_warn_excluded(&ex, key);
	}
	for (size_t i = 0; !rc && i < k->n_keys; i++)
		if (!k->keys[i].excluded)
			rc = lookup(k, &k->keys[i]);
	/* a version the reader may read elsewhere is no hidden record */
	for (size_t i = 0; !rc && i < k->n_hid; i++) {
		struct hidden *h = &k->hid[i];
		for (size_t j = 0; j < h->objects.n; j++)
			if (rel_find(k, h->objects.v[j])) {
				free(h->objects.v[j]);
				h->objects.v[j] = h->objects.v[--h->objects.n];
				j--;
			}
	}
out:
	cJSON_Delete(obj);
	free(json);
	vg_warn_excl_release(&ex);
	vg_warn_keyset_release(&ks);
	return rc;
}

int vg_warn_correlate(struct vg_ctx *c, const char *id, struct vg_buf *out,
                      char *err, size_t errlen)
{
	struct vg_store *s = vg__reader(c->svc);
	struct corr k = {0};
	char label[200] = "";
	int rc = vg__require(c, VG_ACT_READ, "object.correlate");
	if (!rc)
		rc = vg_ctx_purpose(c);
	if (rc)
		return rc;
	if (!s)
		return VG_ESTORE;
	if (!s->ops->warn)
		return VG_EUNSUPPORTED;
	vg_person_init(&k.self);
	rc = run(c, s, id, &k, label, sizeof(label));
	if (rc == VG_ENOTFOUND) {
		snprintf(err, errlen, "no object '%s'", id);
		int a = audit(&k, 0, 0);
		rc = a ? a : VG_ENOTFOUND;
		goto out;
	}
	int any = 0, withheld = 0;
	for (size_t i = 0; !rc && i < k.n_hid; i++)
		any |= k.hid[i].objects.n && k.hid[i].keys.n;
	if (any) {
		rc = vg__warn_bucket_take(c->svc, &c->p, k.conf.hits_per_hour);
		withheld = rc == VG_ERATE;
		if (withheld)
			rc = VG_OK;
	}
	if (!rc)
		rc = audit(&k, 1, withheld);
	if (!rc)
		rc = answer(&k, label, withheld, out);
out:
	corr_release(&k);
	return rc;
}

int vg__warn_hidden_of(struct vg_ctx *c, struct vg_store *s, const char *id,
                       int64_t owner, char ***ids, size_t *n)
{
	struct corr k = {0};
	char label[200];
	vg_person_init(&k.self);
	int rc = run(c, s, id, &k, label, sizeof(label));
	*ids = NULL;
	*n = 0;
	for (size_t i = 0; !rc && i < k.n_hid; i++) {
		struct hidden *h = &k.hid[i];
		if (h->owner != owner || !h->keys.n)
			continue;
		/* handed over: the caller frees them */
		*ids = h->objects.v;
		*n = h->objects.n;
		memset(&h->objects, 0, sizeof(h->objects));
	}
	corr_release(&k);
	return rc;
}
