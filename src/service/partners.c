/* Partner hubs as use cases (partners.h): their settings, the sealed
 * credential, the organisation and user that represent each, the sync
 * principal, pinning, cursors. */
#include "fed_int.h"
#include "vigil/hub/model.h"
#include "vigil/stix/stix.h"
#include "vigil/util/error.h"
#include "vigil/util/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- settings -------------------------------------------------------- */

void vg__fed_cfg_defaults(struct vg__fed_cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->interval = 10;
	c->limit = 1000;
	c->overlap_us = 1;
	c->timeout = 30;
}

static void copy_str_list(const cJSON *a, char (*dst)[120], size_t max,
                          size_t *n)
{
	const cJSON *v;
	*n = 0;
	cJSON_ArrayForEach(v, a) if (cJSON_IsString(v) && *n < max)
	    snprintf(dst[(*n)++], 120, "%s", v->valuestring);
}

static void str_of(const cJSON *o, const char *k, char *out, size_t n)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	if (cJSON_IsString(v))
		snprintf(out, n, "%s", v->valuestring);
}

int vg__fed_cfg_parse(const char *json, struct vg__fed_cfg *c)
{
	vg__fed_cfg_defaults(c);
	cJSON *o = cJSON_Parse(json ? json : "{}"), *v;
	if (!cJSON_IsObject(o)) {
		cJSON_Delete(o);
		return VG_EINVAL;
	}
	cJSON_ArrayForEach(v,
	                   cJSON_GetObjectItemCaseSensitive(o, "collections"))
	{
		if (c->n_remote == FED_LIST)
			break;
		str_of(v, "remote", c->remote[c->n_remote],
		       sizeof(c->remote[0]));
		str_of(v, "local", c->local[c->n_remote], sizeof(c->local[0]));
		c->n_remote++;
	}
	str_of(o, "ca", c->ca, sizeof(c->ca));
	str_of(o, "cert", c->cert, sizeof(c->cert));
	str_of(o, "key", c->key, sizeof(c->key));
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(o, "levels"))
	{
		if (c->n_lv == VG_MAX_LEVELS || !cJSON_IsString(v))
			continue;
		snprintf(c->lv_ours[c->n_lv], 64, "%s", v->string);
		snprintf(c->lv_theirs[c->n_lv], 64, "%s", v->valuestring);
		c->n_lv++;
	}
	copy_str_list(cJSON_GetObjectItemCaseSensitive(o, "types"), c->types,
	              FED_LIST, &c->n_types);
	copy_str_list(cJSON_GetObjectItemCaseSensitive(o, "labels"), c->labels,
	              FED_LIST, &c->n_labels);
	copy_str_list(cJSON_GetObjectItemCaseSensitive(o, "send_collections"),
	              c->colls, FED_LIST, &c->n_colls);
	if (cJSON_IsNumber(v = cJSON_GetObjectItemCaseSensitive(o, "interval")))
		c->interval = v->valueint;
	if (cJSON_IsNumber(v = cJSON_GetObjectItemCaseSensitive(o, "limit")))
		c->limit = (size_t)v->valuedouble;
	if (cJSON_IsNumber(
	        v = cJSON_GetObjectItemCaseSensitive(o, "overlap_us")))
		c->overlap_us = (int64_t)v->valuedouble;
	if (cJSON_IsNumber(v = cJSON_GetObjectItemCaseSensitive(o, "timeout")))
		c->timeout = v->valueint;
	cJSON_Delete(o);
	return VG_OK;
}

static void put_list(struct vg_jw *w, const char *key, char (*v)[120], size_t n)
{
	vg_jw_key(w, key);
	vg_jw_arr(w);
	for (size_t i = 0; i < n; i++)
		vg_jw_str(w, v[i]);
	vg_jw_close(w);
}

int vg__fed_cfg_json(const struct vg__fed_cfg *c, struct vg_buf *out)
{
	struct vg_jw w;
	vg_jw_init(&w, out);
	vg_jw_obj(&w);
	vg_jw_key(&w, "collections");
	vg_jw_arr(&w);
	for (size_t i = 0; i < c->n_remote; i++) {
		vg_jw_obj(&w);
		vg_jw_kstr(&w, "remote", c->remote[i]);
		vg_jw_kstr(&w, "local", c->local[i]);
		vg_jw_close(&w);
	}
	vg_jw_close(&w);
	vg_jw_kstr(&w, "ca", c->ca);
	vg_jw_kstr(&w, "cert", c->cert);
	vg_jw_kstr(&w, "key", c->key);
	vg_jw_key(&w, "levels");
	vg_jw_obj(&w);
	for (size_t i = 0; i < c->n_lv; i++)
		vg_jw_kstr(&w, c->lv_ours[i], c->lv_theirs[i]);
	vg_jw_close(&w);
	put_list(&w, "types", (char(*)[120])c->types, c->n_types);
	put_list(&w, "labels", (char(*)[120])c->labels, c->n_labels);
	put_list(&w, "send_collections", (char(*)[120])c->colls, c->n_colls);
	vg_jw_kint(&w, "interval", c->interval);
	vg_jw_kint(&w, "limit", (int64_t)c->limit);
	vg_jw_kint(&w, "overlap_us", c->overlap_us);
	vg_jw_kint(&w, "timeout", c->timeout);
	vg_jw_close(&w);
	return vg_jw_end(&w);
}

/* ---- partners as the service sees them -------------------------------- */

static int take_partner(void *ud, const struct vg_partner_row *r)
{
	struct vg__partner *p = ud;
	memset(p, 0, sizeof(*p));
	p->id = r->id;
	p->org = r->org;
	p->direction = r->direction;
	p->created = r->created;
	snprintf(p->name, sizeof(p->name), "%s", r->name);
	snprintf(p->url, sizeof(p->url), "%s", r->url);
	snprintf(p->hub_id, sizeof(p->hub_id), "%s", r->hub_id);
	snprintf(p->sign_pk, sizeof(p->sign_pk), "%s", r->sign_pk);
	snprintf(p->state, sizeof(p->state), "%s", r->state);
	if (r->secret && r->secret_len <= sizeof(p->secret)) {
		memcpy(p->secret, r->secret, r->secret_len);
		p->secret_len = r->secret_len;
	}
	return vg__fed_cfg_parse(r->config, &p->cfg);
}

int vg__fed_org_name(void *ud, const struct vg_org *o)
{
	snprintf(ud, 128, "%s", o->name);
	return 0;
}

int vg__partner_get(struct vg_store *s, const char *name, int64_t id,
                    struct vg__partner *out)
{
	int rc = s->ops->sync->partner_find(s, name, id, take_partner, out);
	if (!rc)
		s->ops->hub->org_find(s, NULL, out->org, vg__fed_org_name,
		                      out->org_name);
	return rc;
}

struct by_org {
	int64_t org;
	int64_t id;
};

static int match_org(void *ud, const struct vg_partner_row *r)
{
	struct by_org *b = ud;
	if (r->org == b->org)
		b->id = r->id;
	return 0;
}

int vg__partner_of_org(struct vg_store *s, int64_t org, struct vg__partner *out)
{
	struct by_org b = {org, 0};
	if (!org)
		return VG_ENOTFOUND;
	int rc = s->ops->sync->partner_list(s, match_org, &b);
	if (rc)
		return rc;
	return b.id ? vg__partner_get(s, NULL, b.id, out) : VG_ENOTFOUND;
}

int vg__egress_init(struct vg_service *svc, struct vg_store *s,
                    const struct vg__partner *p, struct vg__egress *e)
{
	size_t n_groups = 0;
	memset(e, 0, sizeof(*e));
	int rc = s->ops->sharing->groups_of(s, p->org, &e->groups, &n_groups);
	if (rc)
		return rc;
	for (size_t i = 0; i < p->cfg.n_colls; i++)
		e->colls[i] = p->cfg.colls[i];
	for (size_t i = 0; i < p->cfg.n_types; i++)
		e->types[i] = p->cfg.types[i];
	for (size_t i = 0; i < p->cfg.n_labels; i++)
		e->labels[i] = p->cfg.labels[i];
	/* the classification map: level 0 (unclassified, or no marking)
	 * goes as the partner's lowest unless mapped otherwise; every other
	 * level only where a mapping names it */
	for (size_t i = 0; i < VG_MAX_LEVELS; i++)
		e->level_map[i] = i ? VG_EGRESS_NO_LEVEL : 0;
	for (size_t k = 0; k < p->cfg.n_lv; k++) {
		int ours = vg__hub_level(&svc->hub, p->cfg.lv_ours[k]);
		if (ours >= 0)
			e->level_map[ours] =
			    (int)k + 1; /* their name: lv_theirs[k] */
	}
	e->rule = (struct vg_egress_partner){
	    .hub_id = p->hub_id,
	    .groups = e->groups,
	    .n_groups = n_groups,
	    .collections = e->colls,
	    .n_collections = p->cfg.n_colls,
	    .types = e->types,
	    .n_types = p->cfg.n_types,
	    .labels = e->labels,
	    .n_labels = p->cfg.n_labels,
	    .level_map = e->level_map,
	    .n_levels = svc->hub.n_levels ? svc->hub.n_levels : 1,
	};
	return VG_OK;
}

void vg__egress_release(struct vg__egress *e)
{
	free(e->groups);
	e->groups = NULL;
}

/* ---- checks on what an operator gives -------------------------------- */

static int url_ok(const char *url, char *err, size_t errlen)
{
	const char *host;
	if (!strncmp(url, "https://", 8)) {
		host = url + 8;
	} else if (!strncmp(url, "http://", 7)) {
		/* plain HTTP only on this machine (tests, the walkthrough) */
		host = url + 7;
		if (strncmp(host, "127.", 4) && strncmp(host, "localhost", 9) &&
		    strncmp(host, "[::1]", 5)) {
			snprintf(err, errlen,
			         "partner URL '%.200s': plain http is "
			         "only for loopback addresses; use "
			         "https",
			         url);
			return VG_EINVAL;
		}
	} else {
		snprintf(err, errlen,
		         "partner URL '%.200s' must start with "
		         "https://",
		         url);
		return VG_EINVAL;
	}
	size_t n = strlen(url);
	if (!*host || *host == '/' || n > 1000 || url[n - 1] != '/' ||
	    strpbrk(url, " \t\r\n\"\\")) {
		snprintf(err, errlen,
		         "partner URL '%.200s' must be the API root, "
		         "ending with '/'",
		         url);
		return VG_EINVAL;
	}
	return VG_OK;
}

static int name_ok(const char *name, char *err, size_t errlen)
{
	if (!name || strlen(name) > 50 || !vg_hub_user_name_ok(name) ||
	    strchr(name, '@')) {
		snprintf(err, errlen,
		         "partner name '%.60s' must be 1-50 of A-Z a-z "
		         "0-9 . _ -",
		         name ? name : "");
		return VG_EINVAL;
	}
	return VG_OK;
}

/* Split a comma list into dst (120 bytes each). */
static void split_list(const char *s, char (*dst)[120], size_t *n)
{
	char copy[4096];
	*n = 0;
	snprintf(copy, sizeof(copy), "%s", s);
	for (char *save = NULL, *t = strtok_r(copy, ",", &save);
	     t && *n < FED_LIST; t = strtok_r(NULL, ",", &save))
		if (*t)
			snprintf(dst[(*n)++], 120, "%s", t);
}

static int apply_spec(struct vg_service *svc, const struct vg_partner_spec *sp,
                      struct vg__fed_cfg *c, char *err, size_t errlen)
{
	if (sp->n_collections) {
		if (sp->n_collections > FED_LIST) {
			snprintf(err, errlen, "at most %d collections",
			         FED_LIST);
			return VG_EINVAL;
		}
		c->n_remote = 0;
		for (size_t i = 0; i < sp->n_collections; i++) {
			char copy[300];
			snprintf(copy, sizeof(copy), "%s", sp->collections[i]);
			char *eq = strchr(copy, '=');
			if (eq)
				*eq++ = '\0';
			if (!*copy || strlen(copy) >= sizeof(c->remote[0]) ||
			    strpbrk(copy, "/?&# ")) {
				snprintf(err, errlen,
				         "collection '%.100s' is not a "
				         "collection id or alias",
				         sp->collections[i]);
				return VG_EINVAL;
			}
			snprintf(c->remote[i], sizeof(c->remote[0]), "%.199s",
			         copy);
			snprintf(c->local[i], sizeof(c->local[0]), "%.79s",
			         eq ? eq : "");
			c->n_remote++;
		}
	}
	if (sp->ca)
		snprintf(c->ca, sizeof(c->ca), "%s", sp->ca);
	if (sp->cert)
		snprintf(c->cert, sizeof(c->cert), "%s", sp->cert);
	if (sp->key)
		snprintf(c->key, sizeof(c->key), "%s", sp->key);
	if (!!c->cert[0] != !!c->key[0]) {
		snprintf(err, errlen, "--cert and --key go together");
		return VG_EINVAL;
	}
	if (sp->levels) {
		char copy[1024];
		c->n_lv = 0;
		snprintf(copy, sizeof(copy), "%s", sp->levels);
		for (char *save = NULL, *t = strtok_r(copy, ",", &save); t;
		     t = strtok_r(NULL, ",", &save)) {
			char *eq = strchr(t, '=');
			if (!eq || eq == t || !eq[1] ||
			    c->n_lv == VG_MAX_LEVELS ||
			    vg__hub_level(&svc->hub, (*eq = '\0', t)) < 0) {
				snprintf(err, errlen,
				         "levels: '%s' is not OURS=THEIRS "
				         "with OURS a level of this hub",
				         t);
				return VG_EINVAL;
			}
			snprintf(c->lv_ours[c->n_lv], 64, "%s", t);
			snprintf(c->lv_theirs[c->n_lv], 64, "%s", eq + 1);
			c->n_lv++;
		}
	}
	if (sp->types)
		split_list(sp->types, c->types, &c->n_types);
	if (sp->labels)
		split_list(sp->labels, c->labels, &c->n_labels);
	if (sp->send_collections)
		split_list(sp->send_collections, c->colls, &c->n_colls);
	if (sp->interval > 0)
		c->interval = sp->interval;
	if (sp->page_size > 0)
		c->limit =
		    (size_t)(sp->page_size > 1000 ? 1000 : sp->page_size);
	if (sp->timeout > 0)
		c->timeout = sp->timeout > 3600 ? 3600 : sp->timeout;
	return VG_OK;
}

/* secretbox: nonce and box */
static int seal(const struct vg__fed *f, const char *secret, unsigned char *out,
                size_t *n)
{
	size_t len = strlen(secret);
	if (len > 900)
		return VG_ETOOBIG;
	randombytes_buf(out, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES,
	                      (const unsigned char *)secret, len, out, f->box);
	*n = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len;
	return VG_OK;
}

static int unseal(const struct vg__fed *f, const unsigned char *in, size_t n,
                  char *out, size_t outlen)
{
	const size_t head =
	    crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
	out[0] = '\0';
	if (!n)
		return VG_OK;
	if (n < head || n - head >= outlen ||
	    crypto_secretbox_open_easy(
	        (unsigned char *)out, in + crypto_secretbox_NONCEBYTES,
	        n - crypto_secretbox_NONCEBYTES, in, f->box))
		return VG_EINVAL;
	out[n - head] = '\0';
	return VG_OK;
}

/* ---- add, set, remove ------------------------------------------------- */

struct add_job {
	struct vg_ctx *c;
	const struct vg_partner_spec *sp;
	const char *config;
	unsigned char *secret;
	size_t secret_len;
	char *key_out;
	char *err;
	size_t errlen;
	int64_t id;
};

static int take_org_id(void *ud, const struct vg_org *o)
{
	*(int64_t *)ud = o->id;
	return 0;
}

struct user_id {
	int64_t id, org;
};

static int take_user_id(void *ud, const struct vg_user *u)
{
	struct user_id *x = ud;
	x->id = u->id;
	x->org = u->org;
	return 0;
}

static int add_fn(struct vg_store *s, void *arg)
{
	struct add_job *j = arg;
	char org_name[128], user[80], keyid[17];
	int64_t org = 0, uid = 0;
	snprintf(org_name, sizeof(org_name), "hub:%s", j->sp->name);
	snprintf(user, sizeof(user), "%s@partner", j->sp->name);
	/* a partner added again gets its organisation back: what it owns
	 * stays its own */
	struct vg__partner *other = malloc(sizeof(*other));
	int rc = other
	             ? s->ops->hub->org_find(s, org_name, 0, take_org_id, &org)
	             : VG_ENOMEM;
	if (!rc && !vg__partner_of_org(s, org, other)) {
		snprintf(j->err, j->errlen, "partner '%s' exists already",
		         j->sp->name);
		rc = VG_EDUPLICATE;
	} else if (rc == VG_ENOTFOUND) {
		rc = vg__org_create(s, org_name, &org, j->err, j->errlen);
	}
	free(other);
	struct vg_partner_row r = {
	    .name = j->sp->name,
	    .url = j->sp->url,
	    .direction = j->sp->direction,
	    .org = org,
	    .config = j->config,
	    .secret = j->secret,
	    .secret_len = j->secret_len,
	};
	if (!rc)
		rc = s->ops->sync->partner_add(s, &r, &j->id);
	if (rc == VG_EDUPLICATE && !j->err[0])
		snprintf(j->err, j->errlen, "partner '%s' exists already",
		         j->sp->name);
	struct user_id u = {0, 0};
	if (!rc && !s->ops->hub->user_find(s, user, 0, take_user_id, &u) &&
	    u.org == org)
		uid = u.id;
	else if (!rc)
		rc = s->ops->hub->user_add(s, user, org, VG_ROLE_ANALYST, 0,
		                           &uid);
	if (rc == VG_EDUPLICATE && !j->err[0])
		snprintf(j->err, j->errlen, "user '%s' exists already", user);
	if (!rc)
		rc = vg__make_key(s, uid, 0, j->key_out, keyid);
	if (!rc) {
		struct vg__detail d;
		vg__detail_begin(&d);
		vg_jw_kstr(&d.w, "url", j->sp->url);
		vg_jw_kint(&d.w, "direction", j->sp->direction);
		vg_jw_kstr(&d.w, "org", org_name);
		vg_jw_kstr(&d.w, "user", user);
		vg_jw_kstr(&d.w, "key", keyid);
		const char *detail = vg__detail_end(&d);
		rc = detail ? vg__audit(s, j->c, "partner.add", j->sp->name,
		                        detail)
		            : VG_ENOMEM;
		vg__detail_release(&d);
	}
	return rc;
}

int vg_partner_add(struct vg_ctx *c, const struct vg_partner_spec *sp,
                   char key_out[VG_KEY_TEXT_LEN], char *err, size_t errlen)
{
	struct vg__fed_cfg cfg;
	struct vg__fed *f;
	struct vg_buf conf;
	unsigned char secret[1200];
	struct add_job j = {
	    .c = c, .sp = sp, .key_out = key_out, .err = err, .errlen = errlen};
	int rc = vg__require(c, VG_ACT_HUB_ADMIN, "partner.add");
	if (rc)
		return rc;
	err[0] = '\0';
	if ((rc = name_ok(sp->name, err, errlen)) ||
	    (rc = url_ok(sp->url ? sp->url : "", err, errlen)))
		return rc;
	if (sp->direction < 1 || sp->direction > 3) {
		snprintf(err, errlen, "direction must be pull, push or both");
		return VG_EINVAL;
	}
	vg__fed_cfg_defaults(&cfg);
	if ((rc = apply_spec(c->svc, sp, &cfg, err, errlen)))
		return rc;
	if ((rc = vg__fed_get(c->svc, &f, err, errlen)))
		return rc;
	if (sp->secret && (rc = seal(f, sp->secret, secret, &j.secret_len))) {
		snprintf(err, errlen,
		         "the credential is longer than 900 bytes");
		return rc;
	}
	j.secret = sp->secret ? secret : NULL;
	vg_buf_init(&conf, 0);
	rc = vg__fed_cfg_json(&cfg, &conf);
	j.config = conf.data;
	if (!rc)
		rc = vg__write(c->svc, add_fn, &j);
	vg_buf_release(&conf);
	sodium_memzero(secret, sizeof(secret));
	return rc;
}

struct set_job {
	struct vg_ctx *c;
	struct vg__partner *p;
	const char *config;
	const unsigned char *secret;
	size_t secret_len;
	const char *what;
};

static int set_fn(struct vg_store *s, void *arg)
{
	struct set_job *j = arg;
	struct vg_partner_row r = {
	    .id = j->p->id,
	    .url = j->p->url,
	    .direction = j->p->direction,
	    .hub_id = j->p->hub_id,
	    .sign_pk = j->p->sign_pk,
	    .config = j->config,
	    .secret = j->secret,
	    .secret_len = j->secret_len,
	};
	int rc = s->ops->sync->partner_update(s, &r);
	return rc ? rc : vg__audit(s, j->c, "partner.set", j->p->name, j->what);
}

static int find_partner(struct vg_ctx *c, const char *name,
                        struct vg__partner *p, char *err, size_t errlen)
{
	struct vg_store *s = vg__reader(c->svc);
	if (!s)
		return VG_ESTORE;
	int rc = vg__partner_get(s, name, 0, p);
	if (rc == VG_ENOTFOUND)
		snprintf(err, errlen, "no partner '%s'", name);
	return rc;
}

int vg_partner_set(struct vg_ctx *c, const struct vg_partner_spec *sp,
                   char *err, size_t errlen)
{
	struct vg__partner *p = malloc(sizeof(*p));
	struct vg__fed *f;
	struct vg_buf conf;
	unsigned char secret[1200];
	int rc = vg__require(c, VG_ACT_HUB_ADMIN, "partner.set");
	if (rc || !p) {
		free(p);
		return rc ? rc : VG_ENOMEM;
	}
	err[0] = '\0';
	struct set_job j = {.c = c, .p = p};
	vg_buf_init(&conf, 0);
	if ((rc = find_partner(c, sp->name, p, err, errlen)))
		goto out;
	if (sp->url) {
		if ((rc = url_ok(sp->url, err, errlen)))
			goto out;
		snprintf(p->url, sizeof(p->url), "%s", sp->url);
	}
	if (sp->direction) {
		if (sp->direction > 3) {
			snprintf(err, errlen,
			         "direction must be pull, push or both");
			rc = VG_EINVAL;
			goto out;
		}
		p->direction = sp->direction;
	}
	if ((rc = apply_spec(c->svc, sp, &p->cfg, err, errlen)) ||
	    (rc = vg__fed_get(c->svc, &f, err, errlen)))
		goto out;
	j.secret = p->secret;
	j.secret_len = p->secret_len;
	if (sp->secret) {
		if ((rc = seal(f, sp->secret, secret, &j.secret_len)))
			goto out;
		j.secret = secret;
	}
	rc = vg__fed_cfg_json(&p->cfg, &conf);
	j.config = conf.data;
	j.what = sp->secret ? "{\"secret\":\"replaced\"}" : "{}";
	if (!rc)
		rc = vg__write(c->svc, set_fn, &j);
out:
	vg_buf_release(&conf);
	sodium_memzero(secret, sizeof(secret));
	sodium_memzero(p, sizeof(*p));
	free(p);
	return rc;
}

struct rm_job {
	struct vg_ctx *c;
	int64_t id;
	const char *name;
};

static int rm_fn(struct vg_store *s, void *arg)
{
	struct rm_job *j = arg;
	int rc = s->ops->sync->partner_remove(s, j->id);
	return rc ? rc : vg__audit(s, j->c, "partner.remove", j->name, "{}");
}

int vg_partner_remove(struct vg_ctx *c, const char *name, char *err,
                      size_t errlen)
{
	struct vg__partner *p = malloc(sizeof(*p));
	int rc = vg__require(c, VG_ACT_HUB_ADMIN, "partner.remove");
	if (!rc && !p)
		rc = VG_ENOMEM;
	if (!rc)
		rc = find_partner(c, name, p, err, errlen);
	struct rm_job j = {.c = c, .id = p ? p->id : 0, .name = name};
	if (!rc)
		rc = vg__write(c->svc, rm_fn, &j);
	free(p);
	return rc;
}

/* ---- the sync front's side --------------------------------------------- */

void vg_partner_conn_wipe(struct vg_partner_conn *pc)
{
	sodium_memzero(pc, sizeof(*pc));
}

/* Only the operator, or the partner's own sync principal. */
static int may_sync(struct vg_ctx *c, const struct vg__partner *p)
{
	return c->p.operator||(c->channel == VG_CHANNEL_SYNC &&
	                       c->authenticated && c->p.org == p->org);
}

int vg_partner_conn(struct vg_ctx *c, const char *name,
                    struct vg_partner_conn *out, char *err, size_t errlen)
{
	struct vg__partner *p = malloc(sizeof(*p));
	struct vg__fed *f;
	int rc = p ? find_partner(c, name, p, err, errlen) : VG_ENOMEM;
	if (!rc && !may_sync(c, p))
		rc = vg__deny(c, "operator", "partner.conn");
	if (!rc)
		rc = vg__fed_get(c->svc, &f, err, errlen);
	if (rc)
		goto out;
	memset(out, 0, sizeof(*out));
	out->id = p->id;
	out->direction = p->direction;
	snprintf(out->name, sizeof(out->name), "%s", p->name);
	snprintf(out->url, sizeof(out->url), "%s", p->url);
	snprintf(out->hub_id, sizeof(out->hub_id), "%s", p->hub_id);
	snprintf(out->sign_pk, sizeof(out->sign_pk), "%s", p->sign_pk);
	snprintf(out->ca, sizeof(out->ca), "%s", p->cfg.ca);
	snprintf(out->cert, sizeof(out->cert), "%s", p->cfg.cert);
	snprintf(out->key, sizeof(out->key), "%s", p->cfg.key);
	for (size_t i = 0; i < p->cfg.n_remote; i++)
		snprintf(out->remote[i], sizeof(out->remote[0]), "%s",
		         p->cfg.remote[i]);
	/* none set: the sync front pulls every collection it may read */
	out->n_remote = p->cfg.n_remote;
	out->interval = p->cfg.interval > 0 ? p->cfg.interval : 10;
	out->limit = p->cfg.limit ? p->cfg.limit : 1000;
	out->overlap_us = p->cfg.overlap_us;
	out->timeout = p->cfg.timeout > 0 ? p->cfg.timeout : 30;
	if (unseal(f, p->secret, p->secret_len, out->secret,
	           sizeof(out->secret))) {
		snprintf(err, errlen,
		         "partner '%s': the credential cannot be "
		         "unsealed (hub-sync.key changed?)",
		         name);
		rc = VG_EINVAL;
	}
out:
	if (p)
		sodium_memzero(p, sizeof(*p));
	free(p);
	return rc;
}

struct names_job {
	int dir;
	char (*names)[101];
	size_t max, n;
};

static int name_row(void *ud, const struct vg_partner_row *r)
{
	struct names_job *j = ud;
	/* pushing needs the credential for the partner's hub; without one a
	 * push partner only pulls from this hub */
	if ((r->direction & j->dir) && j->n < j->max &&
	    (j->dir != VG_FED_PUSH || r->secret_len))
		snprintf(j->names[j->n++], 101, "%s", r->name);
	return 0;
}

int vg_partner_names(struct vg_ctx *c, int dir, char names[][101], size_t max,
                     size_t *n)
{
	struct vg_store *s = vg__reader(c->svc);
	struct names_job j = {dir, names, max, 0};
	if (!c->p.operator)
		return vg__deny(c, "operator", "partners.read");
	if (!s)
		return VG_ESTORE;
	int rc = s->ops->sync->partner_list(s, name_row, &j);
	*n = j.n;
	return rc;
}

int vg_fed_open(struct vg_service *svc, const char *name, struct vg_ctx *c,
                char *err, size_t errlen)
{
	struct vg_store *s = vg__reader(svc);
	struct vg__partner *p = malloc(sizeof(*p));
	int rc = !s   ? VG_ESTORE
	         : !p ? VG_ENOMEM
	              : vg__partner_get(s, name, 0, p);
	if (rc == VG_ENOTFOUND)
		snprintf(err, errlen, "no partner '%s'", name);
	if (!rc) {
		vg_ctx_init(c, svc, VG_CHANNEL_SYNC, p->url);
		c->p = (struct vg_principal){
		    .org = p->org,
		    .role = VG_ROLE_ANALYST,
		    .clearance =
		        svc->hub.n_levels ? (int)svc->hub.n_levels - 1 : 0,
		};
		c->authenticated = 1;
		snprintf(c->user, sizeof(c->user), "sync:%s", p->name);
		snprintf(c->org_name, sizeof(c->org_name), "%s", p->org_name);
		snprintf(c->source, sizeof(c->source), "sync");
		snprintf(c->auth, sizeof(c->auth), "partner:%.20s", p->name);
	}
	free(p);
	return rc;
}

int vg__fed_ctx_partner(struct vg_ctx *c, struct vg_store *s,
                        struct vg__partner *p)
{
	if (c->channel != VG_CHANNEL_SYNC || !c->authenticated)
		return vg__deny(c, "sync", "sync");
	return vg__partner_of_org(s, c->p.org, p);
}

struct learn_job {
	struct vg_ctx *c;
	struct vg__partner *p;
	const char *hub_id, *name, *pk;
};

static int learn_fn(struct vg_store *s, void *arg)
{
	struct learn_job *j = arg;
	char org[32];
	snprintf(j->p->hub_id, sizeof(j->p->hub_id), "%s", j->hub_id);
	snprintf(j->p->sign_pk, sizeof(j->p->sign_pk), "%s", j->pk);
	struct vg_buf conf;
	vg_buf_init(&conf, 0);
	int rc = vg__fed_cfg_json(&j->p->cfg, &conf);
	struct vg_partner_row r = {
	    .id = j->p->id,
	    .url = j->p->url,
	    .direction = j->p->direction,
	    .hub_id = j->hub_id,
	    .sign_pk = j->pk,
	    .config = conf.data,
	    .secret = j->p->secret,
	    .secret_len = j->p->secret_len,
	};
	if (!rc)
		rc = s->ops->sync->partner_update(s, &r);
	vg_buf_release(&conf);
	/* the partner hub is its own origin: its organisation owns what it
	 * originates, wherever it comes from */
	snprintf(org, sizeof(org), "%lld", (long long)j->p->org);
	/* a hub seen before as an origin keeps its organisation: what it
	 * owns stays owned by the same one */
	char known[32];
	if (!rc &&
	    vg__fed_hub_setting(s, j->hub_id, "org", known, sizeof(known)))
		rc = vg__fed_hub_set(s, j->hub_id, "org", org);
	if (!rc)
		rc = vg__fed_hub_set(s, j->hub_id, "pk", j->pk);
	if (!rc)
		rc = vg__fed_hub_set(s, j->hub_id, "name", j->name);
	if (!rc) {
		struct vg__detail d;
		vg__detail_begin(&d);
		vg_jw_kstr(&d.w, "hub_id", j->hub_id);
		vg_jw_kstr(&d.w, "sign_pk", j->pk);
		const char *detail = vg__detail_end(&d);
		rc = detail
		         ? vg__audit(s, j->c, "partner.pin", j->p->name, detail)
		         : VG_ENOMEM;
		vg__detail_release(&d);
	}
	return rc;
}

int vg_fed_learn(struct vg_ctx *c, const char *hub_id, const char *hub_name,
                 const char *sign_pk, char *err, size_t errlen)
{
	struct vg_store *s = vg__reader(c->svc);
	struct vg__partner *p = malloc(sizeof(*p));
	unsigned char pk[32];
	char known[80] = "";
	int rc = !s ? VG_ESTORE : !p ? VG_ENOMEM : vg__fed_ctx_partner(c, s, p);
	if (rc)
		goto out;
	if (!vg_uuid_valid(hub_id ? hub_id : "") || !sign_pk ||
	    vg__unhex(sign_pk, pk, sizeof(pk)) || !hub_name ||
	    !vg_hub_name_ok(hub_name, 100)) {
		snprintf(err, errlen,
		         "partner '%s': its hub document is not "
		         "{hub_id, name, sign_pk}",
		         p->name);
		rc = VG_EINVAL;
		goto out;
	}
	if (p->hub_id[0]) {
		if (strcmp(p->hub_id, hub_id) ||
		    strcasecmp(p->sign_pk, sign_pk)) {
			snprintf(err, errlen,
			         "partner '%s': the hub answers as %s "
			         "with key %.16s..., but %s with key "
			         "%.16s... is pinned",
			         p->name, hub_id, sign_pk, p->hub_id,
			         p->sign_pk);
			rc = VG_EDENIED;
		}
		goto out;
	}
	/* a key seen before through a relay must be the same */
	if (!vg__fed_hub_setting(s, hub_id, "pk", known, sizeof(known)) &&
	    strcasecmp(known, sign_pk)) {
		snprintf(err, errlen,
		         "partner '%s': hub %s has key %.16s... pinned, "
		         "not %.16s...",
		         p->name, hub_id, known, sign_pk);
		rc = VG_EDENIED;
		goto out;
	}
	struct learn_job j = {c, p, hub_id, hub_name, sign_pk};
	rc = vg__write(c->svc, learn_fn, &j);
out:
	free(p);
	return rc;
}

int vg_fed_cursor(struct vg_ctx *c, const char *remote, char out[64])
{
	struct vg_store *s = vg__reader(c->svc);
	struct vg__partner *p = malloc(sizeof(*p));
	char *v = NULL, key[240];
	int rc = !s ? VG_ESTORE : !p ? VG_ENOMEM : vg__fed_ctx_partner(c, s, p);
	out[0] = '\0';
	snprintf(key, sizeof(key), "pull:%s", remote);
	if (!rc) {
		rc = s->ops->sync->cursor_get(s, p->id, key, &v);
		if (!rc)
			snprintf(out, 64, "%s", v);
		if (rc == VG_ENOTFOUND)
			rc = VG_OK;
	}
	free(v);
	free(p);
	return rc;
}
