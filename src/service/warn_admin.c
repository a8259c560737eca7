/* Early warning's administration (warn.h): the correlation exclusions,
 * the keys over the budget, the settings, rebuilding the key index. */
#include "warn_int.h"
#include "vigil/util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A value as the key it excludes: a key as such, else a value vigil
 * reads (an address or block, a domain with its subdomains, a hash...). */
static int value_key(const char *value, char *out, size_t n, char *err,
                     size_t errlen)
{
	static const char *const kinds[] = {
	    "ip4:", "ip6:", "dom:",  "url:",   "email:", "hash:",
	    "mac:", "asn:", "name:", "name2:", "doc:"};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strncmp(value, kinds[i], strlen(kinds[i])) &&
		    strlen(value) > strlen(kinds[i])) {
			snprintf(out, n, "%s", value);
			return VG_OK;
		}
	struct vg__warn_tls *t = vg__warn_tls(NULL);
	struct vg_warn_keyset ks;
	if (!t)
		return VG_ENOMEM;
	vg_warn_keyset_init(&ks);
	int rc = vg_warn_value_key(t->keyer, value, NULL, &ks, err, errlen);
	if (rc == VG_EINVAL)
		rc = vg_warn_value_key(t->keyer, value, "domain", &ks, err,
		                       errlen);
	if (!rc) {
		/* a URL gives its host too: the URL itself is meant */
		const char *k = vg_warn_keyset_at(&ks, ks.n - 1);
		for (size_t i = 0; i < ks.n; i++)
			if (!strncmp(vg_warn_keyset_at(&ks, i), "url:", 4) ||
			    !strncmp(vg_warn_keyset_at(&ks, i), "email:", 6))
				k = vg_warn_keyset_at(&ks, i);
		snprintf(out, n, "%s", k);
	}
	vg_warn_keyset_release(&ks);
	return rc;
}

static int may_administer(struct vg_ctx *c, const char *what)
{
	if (c->authenticated &&
	    (c->p.operator|| vg_principal_allows(&c->p, VG_ACT_HUB_ADMIN)))
		return VG_OK;
	return vg__deny(c, "hub-admin", what);
}

struct excl_job {
	struct vg_ctx *c;
	const char *key, *value;
	int excluded;
};

static int excl_fn(struct vg_store *s, void *arg)
{
	struct excl_job *j = arg;
	int rc = s->ops->warn->excl_put(s, j->key, j->excluded);
	struct vg__detail d;
	vg__detail_begin(&d);
	vg_jw_kstr(&d.w, "value", j->value);
	vg_jw_kbool(&d.w, "excluded", j->excluded);
	const char *detail = vg__detail_end(&d);
	if (!rc)
		rc = detail ? vg__audit(s, j->c, "warn.exclude", j->key, detail)
		            : VG_ENOMEM;
	vg__detail_release(&d);
	return rc;
}

int vg_warn_exclude(struct vg_ctx *c, const char *value, int excluded,
                    char *err, size_t errlen)
{
	struct vg_store *s = vg__reader(c->svc);
	char key[VG_WARN_KEY_MAX];
	int rc = may_administer(c, "warn.exclude");
	if (rc)
		return rc;
	if (!s)
		return VG_ESTORE;
	if (!s->ops->warn)
		return VG_EUNSUPPORTED;
	if ((rc = value_key(value ? value : "", key, sizeof(key), err, errlen)))
		return rc;
	struct excl_job j = {c, key, value, excluded};
	return vg__write(c->svc, excl_fn, &j);
}

int vg_warn_exclusions(struct vg_ctx *c, struct vg_buf *out)
{
	struct vg_store *s = vg__reader(c->svc);
	struct vg_warn_excl ex;
	int rc = vg__require(c, VG_ACT_READ, "warn.exclusions");
	if (!rc)
		rc = vg_ctx_purpose(c);
	if (rc)
		return rc;
	if (!s)
		return VG_ESTORE;
	if (!s->ops->warn)
		return VG_EUNSUPPORTED;
	if ((rc = vg__warn_exclusions(c->svc, s, &ex)))
		return rc;
	struct vg_jw w;
	vg_jw_init(&w, out);
	vg_jw_obj(&w);
	vg_jw_key(&w, "exclusions");
	vg_jw_arr(&w);
	for (size_t i = 0; i < ex.n; i++) {
		char kind[16], shown[VG_WARN_KEY_MAX];
		vg_warn_key_kind(ex.keys[i], kind);
		vg_warn_key_display(ex.keys[i], shown, sizeof(shown));
		vg_jw_obj(&w);
		vg_jw_kstr(&w, "key", ex.keys[i]);
		vg_jw_kstr(&w, "kind", kind);
		vg_jw_kstr(&w, "value", shown);
		vg_jw_close(&w);
	}
	vg_jw_close(&w);
	vg_jw_close(&w);
	rc = vg_jw_end(&w);
	vg_warn_excl_release(&ex);
	return rc ? rc : vg__audit_read(c, "warn.exclusions", "", "{}");
}

/* ---- the budget ------------------------------------------------------------
 */

static int over_row(void *ud, const char *key, int64_t n)
{
	struct vg_jw *w = ud;
	char kind[16], shown[VG_WARN_KEY_MAX];
	if (!vg_warn_key_correlates(key))
		return 0;
	vg_warn_key_kind(key, kind);
	vg_warn_key_display(key, shown, sizeof(shown));
	vg_jw_obj(w);
	vg_jw_kstr(w, "key", key);
	vg_jw_kstr(w, "kind", kind);
	vg_jw_kstr(w, "value", shown);
	vg_jw_kint(w, "objects", n);
	vg_jw_close(w);
	return w->rc;
}

int vg_warn_over_budget(struct vg_ctx *c, struct vg_buf *out)
{
	struct vg_store *s = vg__reader(c->svc);
	struct vg__warn_conf conf;
	/* key values of every organisation's objects: the operator's */
	if (!c->p.operator)
		return vg__deny(c, "operator", "warn.over_budget");
	if (!s)
		return VG_ESTORE;
	if (!s->ops->warn)
		return VG_EUNSUPPORTED;
	int rc = vg__warn_conf_read(s, &conf);
	struct vg_jw w;
	vg_jw_init(&w, out);
	vg_jw_obj(&w);
	vg_jw_kint(&w, "budget", conf.budget);
	vg_jw_key(&w, "keys");
	vg_jw_arr(&w);
	if (!rc)
		rc = s->ops->warn->key_counts(s, "", conf.budget, over_row, &w);
	vg_jw_close(&w);
	vg_jw_close(&w);
	if (!rc)
		rc = vg_jw_end(&w);
	return rc ? rc : vg__audit_read(c, "warn.over_budget", "", "{}");
}

/* ---- settings
 * ---------------------------------------------------------------- */

int vg_warn_settings(struct vg_ctx *c, struct vg_buf *out)
{
	struct vg_store *s = vg__reader(c->svc);
	struct vg__warn_conf f;
	int rc = vg__require(c, VG_ACT_READ, "warn.settings");
	if (rc)
		return rc;
	if (!s)
		return VG_ESTORE;
	if ((rc = vg__warn_conf_read(s, &f)))
		return rc;
	struct vg_jw w;
	vg_jw_init(&w, out);
	vg_jw_obj(&w);
	vg_jw_kstr(&w, "index", f.index ? "on" : "off");
	vg_jw_kint(&w, "budget", f.budget);
	vg_jw_knum(&w, "name_threshold", f.name_threshold, 2);
	vg_jw_kint(&w, "hits_per_hour", f.hits_per_hour);
	vg_jw_kint(&w, "k", f.k);
	vg_jw_kint(&w, "retro_max", f.retro_max);
	vg_jw_close(&w);
	rc = vg_jw_end(&w);
	return rc ? rc : vg__audit_read(c, "warn.settings", "", "{}");
}

struct set_job {
	struct vg_ctx *c;
	char key[64];
	const char *value;
};

static int set_fn(struct vg_store *s, void *arg)
{
	struct set_job *j = arg;
	int rc = s->ops->hub->set(s, j->key, j->value);
	struct vg__detail d;
	vg__detail_begin(&d);
	vg_jw_kstr(&d.w, "value", j->value);
	const char *detail = vg__detail_end(&d);
	if (!rc)
		rc = vg__warn_gen_move(s);
	if (!rc)
		rc = detail ? vg__audit(s, j->c, "warn.set", j->key, detail)
		            : VG_ENOMEM;
	vg__detail_release(&d);
	return rc;
}

int vg_warn_set(struct vg_ctx *c, const char *name, const char *value,
                char *err, size_t errlen)
{
	static const struct {
		const char *name;
		double lo, hi;
	} known[] = {
	    {"index", 0, 0},
	    {"budget", 1, 1e9},
	    {"name_threshold", 0.01, 1},
	    {"hits_per_hour", 0, 1e9},
	    {"k", 2, 1000},
	    {"retro_max", 0, 1e7},
	};
	if (!c->p.operator)
		return vg__deny(c, "operator", "warn.set");
	size_t i = 0;
	while (i < sizeof(known) / sizeof(known[0]) &&
	       strcmp(known[i].name, name))
		i++;
	if (i == sizeof(known) / sizeof(known[0])) {
		snprintf(err, errlen,
		         "'%s' is not a setting (index, budget, "
		         "name_threshold, hits_per_hour, k, retro_max)",
		         name);
		return VG_EINVAL;
	}
	if (!strcmp(name, "index")) {
		if (strcmp(value, "on") && strcmp(value, "off")) {
			snprintf(err, errlen, "index is on or off, not '%s'",
			         value);
			return VG_EINVAL;
		}
	} else {
		char *end;
		double d = strtod(value, &end);
		int integral = strcmp(name, "name_threshold") != 0;
		if (!*value || *end || d < known[i].lo || d > known[i].hi ||
		    (integral && d != (double)(long long)d)) {
			snprintf(err, errlen,
			         "%s must be %s from %g to %g, not '%s'", name,
			         integral ? "a whole number" : "a number",
			         known[i].lo, known[i].hi, value);
			return VG_EINVAL;
		}
	}
	struct set_job j = {.c = c, .value = value};
	snprintf(j.key, sizeof(j.key), "warn.%s", name);
	int rc = vg__write(c->svc, set_fn, &j);
	if (!rc)
		vg__warn_cache_drop(c->svc);
	return rc;
}

/* ---- rebuilding the index
 * ---------------------------------------------------- */

struct reindex_job {
	struct vg_ctx *c;
	struct vg_store *s;
	struct vg__warn_tls *t;
	struct vg_warn_keyset ks;
	size_t versions, keys;
};

static int reindex_row(void *ud, const struct vg_row *r)
{
	struct reindex_job *j = ud;
	cJSON *o = cJSON_ParseWithLength(r->json, r->json_len);
	int rc = o ? vg_warn_object_keys(j->t->keyer, o, &j->ks) : VG_OK;
	cJSON_Delete(o);
	if (rc || !j->ks.n)
		return rc;
	const char **v = malloc(j->ks.n * sizeof(*v));
	if (!v)
		return VG_ENOMEM;
	for (size_t i = 0; i < j->ks.n; i++)
		v[i] = vg_warn_keyset_at(&j->ks, i);
	rc = j->s->ops->warn->keys_add(j->s, r->date_added, v, j->ks.n);
	free(v);
	j->versions++;
	j->keys += j->ks.n;
	return rc;
}

static int reindex_fn(struct vg_store *s, void *arg)
{
	struct reindex_job *j = arg;
	struct vg_principal all = {.operator= 1 };
	struct vg_access_expr vis;
	j->s = s;
	j->versions = j->keys = 0;
	vg_access_expr(&all, &vis);
	/* every row: copies in other collections are versions of their own */
	struct vg_query q = {.visible = &vis, .versions = VG_VERSIONS_ALL};
	int rc = s->ops->warn->keys_clear(s);
	if (!rc)
		rc = s->ops->objects->scan(s, &q, reindex_row, j);
	struct vg__detail d;
	vg__detail_begin(&d);
	vg_jw_kint(&d.w, "versions", (int64_t)j->versions);
	vg_jw_kint(&d.w, "keys", (int64_t)j->keys);
	const char *detail = vg__detail_end(&d);
	if (!rc)
		rc = detail ? vg__audit(s, j->c, "warn.reindex", "", detail)
		            : VG_ENOMEM;
	vg__detail_release(&d);
	return rc;
}

int vg_warn_reindex(struct vg_ctx *c, size_t *versions, size_t *keys)
{
	struct reindex_job j = {.c = c};
	if (!c->p.operator)
		return vg__deny(c, "operator", "warn.reindex");
	struct vg_store *s = vg__reader(c->svc);
	if (!s)
		return VG_ESTORE;
	if (!s->ops->warn)
		return VG_EUNSUPPORTED;
	if (!(j.t = vg__warn_tls(NULL)))
		return VG_ENOMEM;
	vg_warn_keyset_init(&j.ks);
	int rc = vg__write(c->svc, reindex_fn, &j);
	vg_warn_keyset_release(&j.ks);
	if (!rc) {
		*versions = j.versions;
		*keys = j.keys;
	}
	return rc;
}
