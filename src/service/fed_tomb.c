/* Deletions across hubs: when the owner deletes an object version made on
 * this hub, a tombstone signed by this hub records it; partners get the
 * tombstones the egress rule lets go (each with the hubs it crossed),
 * verify the origin's signature, check that the origin owns the id there,
 * delete their copies, and relay the tombstone in turn. A tombstone from
 * anyone but the origin is refused (into the quarantine). */
#include "fed_int.h"
#include "vigil/stix/stix.h"
#include "vigil/util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the origin signs: the deleted version, by id and version key. */
static int tomb_text(const char *origin, const char *id, const char *version,
                     struct vg_buf *b)
{
	return vg_buf_printf(b, "vigil-tombstone-v1\n%s\n%s\n%s", origin, id,
	                     version);
}

static int tomb_sign(const struct vg__fed *f, const char *id,
                     const char *version, char out[100])
{
	struct vg_buf b;
	unsigned char sig[crypto_sign_BYTES];
	vg_buf_init(&b, 0);
	int rc = tomb_text(f->hub_id, id, version, &b);
	if (!rc) {
		crypto_sign_detached(sig, NULL, (const unsigned char *)b.data,
		                     b.len, f->sk);
		sodium_bin2base64(out, 100, sig, sizeof(sig),
		                  sodium_base64_VARIANT_ORIGINAL);
	}
	vg_buf_release(&b);
	return rc;
}

static int tomb_verify(const char *pk_hex, const char *origin, const char *id,
                       const char *version, const char *sig)
{
	unsigned char pk[32], raw[crypto_sign_BYTES];
	size_t n = 0;
	struct vg_buf b;
	if (!pk_hex || vg__unhex(pk_hex, pk, sizeof(pk)) || !sig ||
	    sodium_base642bin(raw, sizeof(raw), sig, strlen(sig), NULL, &n,
	                      NULL, sodium_base64_VARIANT_ORIGINAL) ||
	    n != sizeof(raw))
		return 0;
	vg_buf_init(&b, 0);
	int ok = !tomb_text(origin, id, version, &b) &&
	         !crypto_sign_verify_detached(
	             raw, (const unsigned char *)b.data, b.len, pk);
	vg_buf_release(&b);
	return ok;
}

/* ---- on this hub's deletes -------------------------------------------- */

struct deleting {
	struct vg_store *s;
	struct vg__fed *f;
	int rc;
};

static int take_prov_flag(void *ud, const struct vg_prov_row *p)
{
	(void)p;
	*(int *)ud = 1;
	return 0;
}

static int tomb_row(void *ud, const struct vg_row *r)
{
	struct deleting *d = ud;
	int received = 0;
	char sig[100], path[100];
	int rc = d->s->ops->sync->prov_get(d->s, r->date_added, take_prov_flag,
	                                   &received);
	if (rc && rc != VG_ENOTFOUND)
		return rc;
	if (received)
		return 0; /* a copy of another hub's: deleted here only */
	if ((rc = tomb_sign(d->f, r->id, r->version, sig)))
		return rc;
	snprintf(path, sizeof(path), "[\"%s\"]", d->f->hub_id);
	struct vg_tomb_row t = {
	    .origin = d->f->hub_id,
	    .id = r->id,
	    .version = r->version,
	    .sig = sig,
	    .path = path,
	    .scope = r->scope,
	    .grp = r->grp,
	    .tlp = r->tlp,
	    .classification = r->classification,
	    .collection = r->collection,
	    .type = r->type,
	};
	int64_t seq;
	rc = d->s->ops->sync->tomb_add(d->s, &t, &seq);
	return rc == VG_EDUPLICATE ? VG_OK : rc;
}

int vg__fed_deleting(struct vg_ctx *c, struct vg_store *s,
                     const struct vg_query *q)
{
	struct deleting d = {.s = s};
	int rc = vg__fed_get(c->svc, &d.f, NULL, 0);
	if (rc)
		return rc;
	struct vg_query all = *q;
	all.slim = 0;
	all.versions = q->versions ? q->versions : VG_VERSIONS_ALL;
	return s->ops->objects->scan(s, &all, tomb_row, &d);
}

/* ---- serving them to partners ----------------------------------------- */

struct serve {
	struct vg_store *s;
	struct vg__egress e;
	const struct vg__partner *p;
	struct vg_jw *w;
	size_t n, limit;
	int64_t last;
	int more;
};

static int serve_row(void *ud, const struct vg_tomb_row *t)
{
	struct serve *sv = ud;
	const char *path[64];
	size_t n_path = 0;
	const cJSON *h;
	if (sv->n == sv->limit) {
		sv->more = 1;
		return 1;
	}
	sv->last = t->seq;
	cJSON *parr = cJSON_Parse(t->path);
	cJSON_ArrayForEach(h, parr) if (cJSON_IsString(h) && n_path < 64)
	    path[n_path++] = h->valuestring;
	struct vg_egress_object o = {
	    .scope = t->scope,
	    .group = t->grp,
	    .tlp = t->tlp,
	    .classification = t->classification,
	    .collection = t->collection,
	    .collection_alias = "",
	    .type = t->type,
	    .path = path,
	    .n_path = n_path,
	};
	/* the filters on collections and labels are not known of a deletion:
	 * only the rules of the table, the type and the path */
	struct vg_egress_partner rule = sv->e.rule;
	rule.n_collections = 0;
	rule.n_labels = 0;
	int ok = vg_egress_allowed(&rule, &o, NULL) == VG_EGRESS_OK;
	if (ok) {
		char pk[80] = "";
		vg__fed_hub_setting(sv->s, t->origin, "pk", pk, sizeof(pk));
		vg_jw_obj(sv->w);
		vg_jw_kint(sv->w, "seq", t->seq);
		vg_jw_kstr(sv->w, "origin", t->origin);
		if (pk[0])
			vg_jw_kstr(sv->w, "origin_key", pk);
		vg_jw_kstr(sv->w, "id", t->id);
		vg_jw_kstr(sv->w, "version", t->version);
		vg_jw_kstr(sv->w, "sig", t->sig);
		vg_jw_key(sv->w, "path");
		vg_jw_raw(sv->w, t->path, strlen(t->path));
		vg_jw_kint(sv->w, "scope", t->scope);
		vg_jw_kint(sv->w, "tlp", t->tlp);
		vg_jw_kint(sv->w, "classification", t->classification);
		vg_jw_kstr(sv->w, "type", t->type);
		vg_jw_close(sv->w);
		sv->n++;
	}
	cJSON_Delete(parr);
	return sv->w->rc;
}

/* The tombstones after seq `after` that may go to partner p, as
 * {"tombstones":[...],"more":bool,"last":SEQ}. */
static int tombs_json(struct vg_ctx *c, struct vg_store *s,
                      const struct vg__partner *p, int64_t after, size_t limit,
                      struct vg_buf *out)
{
	struct vg_jw w;
	struct serve sv = {.s = s,
	                   .p = p,
	                   .w = &w,
	                   .limit = limit ? limit : 1000,
	                   .last = after};
	int rc = vg__egress_init(c->svc, s, p, &sv.e);
	if (rc)
		return rc;
	vg_jw_init(&w, out);
	vg_jw_obj(&w);
	vg_jw_key(&w, "tombstones");
	vg_jw_arr(&w);
	rc = s->ops->sync->tomb_list(s, after, 0, serve_row, &sv);
	if (rc == 1)
		rc = VG_OK;
	vg_jw_close(&w);
	vg_jw_kbool(&w, "more", sv.more);
	vg_jw_kint(&w, "last", sv.last);
	vg_jw_close(&w);
	vg__egress_release(&sv.e);
	return rc ? rc : vg_jw_end(&w);
}

int vg_fed_tombstones(struct vg_ctx *c, int64_t after, size_t limit,
                      struct vg_buf *out)
{
	struct vg_store *s = vg__reader(c->svc);
	struct vg__partner *p = malloc(sizeof(*p));
	int rc = !s ? VG_ESTORE : !p ? VG_ENOMEM : VG_OK;
	if (!rc && (c->p.operator|| vg__partner_of_org(s, c->p.org, p)))
		rc = vg__deny(c, "a partner hub", "tombstones.read");
	if (!rc)
		rc = tombs_json(c, s, p, after, limit, out);
	if (!rc)
		rc = vg__audit_read(c, "tombstones.read", p->name, "{}");
	free(p);
	return rc;
}

int vg_fed_tomb_outbox(struct vg_ctx *c, size_t limit, struct vg_buf *out,
                       int64_t *last, size_t *n)
{
	struct vg_store *s = vg__reader(c->svc);
	struct vg__partner *p = malloc(sizeof(*p));
	char *cur = NULL;
	int64_t after = 0;
	int rc = !s ? VG_ESTORE : !p ? VG_ENOMEM : vg__fed_ctx_partner(c, s, p);
	if (!rc) {
		rc =
		    s->ops->sync->cursor_get(s, p->id, "push:tombstones", &cur);
		if (!rc)
			after = strtoll(cur, NULL, 10);
		if (rc == VG_ENOTFOUND)
			rc = VG_OK;
	}
	if (!rc)
		rc = tombs_json(c, s, p, after, limit, out);
	*n = 0;
	*last = after;
	if (!rc) {
		cJSON *d = cJSON_Parse(out->data);
		const cJSON *l = cJSON_GetObjectItemCaseSensitive(d, "last");
		*n = (size_t)cJSON_GetArraySize(
		    cJSON_GetObjectItemCaseSensitive(d, "tombstones"));
		if (cJSON_IsNumber(l))
			*last = (int64_t)l->valuedouble;
		cJSON_Delete(d);
	}
	free(cur);
	free(p);
	return rc;
}

/* ---- applying what partners send -------------------------------------- */

struct apply_job {
	struct vg_ctx *c;
	struct vg__partner *p;
	struct vg__fed *f;
	cJSON *doc;
	const char *cursor_key; /* NULL: pushed to us */
	int64_t last;
	size_t applied, refused;
};

struct left_rows {
	char coll[64][40];
	size_t n;
};

static int gather_colls(void *ud, const struct vg_stored_version *v)
{
	struct left_rows *l = ud;
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->coll[i], v->collection))
			return 0;
	if (l->n < 64)
		snprintf(l->coll[l->n++], 40, "%s", v->collection);
	return 0;
}

struct newest {
	char v[VG_TS_KEY_LEN + 8];
	const char *coll;
};

static int take_newest(void *ud, const struct vg_stored_version *v)
{
	struct newest *n = ud;
	if (!strcmp(v->collection, n->coll) && strcmp(v->version, n->v) > 0)
		snprintf(n->v, sizeof(n->v), "%s", v->version);
	return 0;
}

/* Delete the origin's rows of (id, version) everywhere; the newest left
 * in each collection becomes the latest. */
static int delete_version(struct vg_store *s, const char *id,
                          const char *version, int64_t org, int64_t *deleted)
{
	struct left_rows l = {.n = 0};
	struct vg_principal all = {.operator= 1 };
	struct vg_access_expr vis;
	int rc = s->ops->objects->versions(s, id, gather_colls, &l);
	*deleted = 0;
	vg_access_expr(&all, &vis);
	for (size_t i = 0; !rc && i < l.n; i++) {
		const char *key = version;
		struct vg_query q = {
		    .collection = l.coll[i],
		    .visible = &vis,
		    .ids = &id,
		    .n_ids = 1,
		    .versions = VG_VERSIONS_LIST,
		    .version_keys = &key,
		    .n_version_keys = 1,
		    .owner = org,
		};
		int64_t n = 0;
		rc = s->ops->objects->remove(s, &q, &n);
		*deleted += n;
		struct newest nw = {"", l.coll[i]};
		if (!rc)
			rc = s->ops->objects->versions(s, id, take_newest, &nw);
		if (!rc)
			rc = s->ops->objects->set_latest(s, id, l.coll[i],
			                                 nw.v[0] ? nw.v : NULL);
	}
	return rc;
}

static const char *js(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int refuse(struct vg_store *s, struct apply_job *j, const cJSON *t,
                  const char *why)
{
	char *text = cJSON_PrintUnformatted(t);
	struct vg_quarantine_row q = {
	    .partner = j->p->id,
	    .collection = "",
	    .object_id = js(t, "id") ? js(t, "id") : "",
	    .version = js(t, "version") ? js(t, "version") : "",
	    .reason = why,
	    .json = text ? text : "{}",
	    .prov = "tombstone",
	};
	int rc = s->ops->sync->quarantine_add(s, &q);
	free(text);
	j->refused++;
	return rc;
}

/* The sharing of the copy here (the first row found). */
static int take_here(void *ud, const struct vg_row *r)
{
	struct vg_tomb_row *t = ud;
	t->scope = r->scope;
	t->grp = r->grp;
	t->tlp = r->tlp;
	t->classification = r->classification;
	return 1;
}

static int apply_one(struct vg_store *s, struct apply_job *j, const cJSON *t)
{
	const char *origin = js(t, "origin"), *id = js(t, "id");
	const char *version = js(t, "version"), *sig = js(t, "sig");
	const cJSON *h, *path = cJSON_GetObjectItemCaseSensitive(t, "path");
	char pk[80] = "", org[32] = "", why[300];
	if (!origin || !id || !version || !sig || !cJSON_IsArray(path))
		return refuse(s, j, t,
		              "tombstone: not {origin, id, version, sig, "
		              "path}");
	if (!strcmp(origin, j->f->hub_id))
		return VG_OK; /* this hub's own */
	cJSON_ArrayForEach(
	    h,
	    path) if (cJSON_IsString(h) &&
	              !strcmp(h->valuestring,
	                      j->f->hub_id)) return VG_OK; /* it passed here */
	if (vg__fed_hub_setting(s, origin, "pk", pk, sizeof(pk)) ||
	    vg__fed_hub_setting(s, origin, "org", org, sizeof(org))) {
		snprintf(why, sizeof(why),
		         "tombstone of '%.80s': origin hub "
		         "'%.80s' unknown here",
		         id, origin);
		return refuse(s, j, t, why);
	}
	if (!tomb_verify(pk, origin, id, version, sig)) {
		snprintf(why, sizeof(why),
		         "tombstone of '%.80s': the signature of "
		         "origin hub '%.80s' does not verify "
		         "(forged)",
		         id, origin);
		return refuse(s, j, t, why);
	}
	int64_t owner = 0, origin_org = strtoll(org, NULL, 10);
	int rc = vg__owner_register(s, id, &owner);
	/* never held here, or a shared id (SCO) whose copies are each
	 * holder's: nothing to delete or relay */
	if (rc == VG_ENOTFOUND || (!rc && !owner))
		return VG_OK;
	if (rc)
		return rc;
	if (owner != origin_org) {
		snprintf(why, sizeof(why),
		         "tombstone of '%.80s': hub '%.80s' is "
		         "not its origin",
		         id, origin);
		return refuse(s, j, t, why);
	}
	/* how the copy here was shared decides where the tombstone goes on */
	struct vg_tomb_row here = {.scope = VG_SCOPE_ORG};
	struct vg_principal all = {.operator= 1 };
	struct vg_access_expr vis;
	vg_access_expr(&all, &vis);
	struct vg_query q = {.visible = &vis,
	                     .ids = &id,
	                     .n_ids = 1,
	                     .versions = VG_VERSIONS_LIST,
	                     .version_keys = &version,
	                     .n_version_keys = 1,
	                     .owner = owner};
	if ((rc = s->ops->objects->scan(s, &q, take_here, &here)) && rc != 1)
		return rc;
	int64_t deleted = 0;
	if ((rc = delete_version(s, id, version, owner, &deleted)))
		return rc;
	/* kept, with this hub on its path, to go on to the next hubs */
	struct vg_buf pb;
	struct vg_jw w;
	vg_buf_init(&pb, 0);
	vg_jw_init(&w, &pb);
	vg_jw_arr(&w);
	cJSON_ArrayForEach(h, path) if (cJSON_IsString(h))
	    vg_jw_str(&w, h->valuestring);
	vg_jw_str(&w, j->f->hub_id);
	vg_jw_close(&w);
	rc = vg_jw_end(&w);
	struct vg_tomb_row tr = {
	    .origin = origin,
	    .id = id,
	    .version = version,
	    .sig = sig,
	    .path = pb.data,
	    .scope = here.scope,
	    .grp = here.grp,
	    .tlp = here.tlp,
	    .classification = here.classification,
	    .collection = "",
	    .type = js(t, "type") ? js(t, "type") : "",
	};
	int64_t seq;
	if (!rc) {
		rc = s->ops->sync->tomb_add(s, &tr, &seq);
		if (rc == VG_EDUPLICATE)
			rc = VG_OK;
	}
	vg_buf_release(&pb);
	if (!rc) {
		struct vg__detail d;
		vg__detail_begin(&d);
		vg_jw_kstr(&d.w, "origin", origin);
		vg_jw_kstr(&d.w, "version", version);
		vg_jw_kint(&d.w, "deleted", deleted);
		const char *detail = vg__detail_end(&d);
		rc = detail ? vg__audit(s, j->c, "sync.tombstone", id, detail)
		            : VG_ENOMEM;
		vg__detail_release(&d);
		j->applied++;
	}
	return rc;
}

static int apply_fn(struct vg_store *s, void *arg)
{
	struct apply_job *j = arg;
	const cJSON *t;
	int rc = VG_OK;
	j->applied = j->refused = 0;
	cJSON_ArrayForEach(
	    t, cJSON_GetObjectItemCaseSensitive(j->doc, "tombstones"))
	{
		if ((rc = apply_one(s, j, t)))
			return rc;
	}
	if (j->cursor_key && j->last) {
		char v[32];
		snprintf(v, sizeof(v), "%lld", (long long)j->last);
		rc = s->ops->sync->cursor_set(s, j->p->id, j->cursor_key, v);
	}
	return rc;
}

int vg_fed_store_tombstones(struct vg_ctx *c, const char *body, size_t len,
                            int pulled, size_t *applied, size_t *refused,
                            int64_t *more, char *err, size_t errlen)
{
	struct vg_store *s = vg__reader(c->svc);
	struct vg__partner *p = malloc(sizeof(*p));
	struct apply_job j = {.c = c, .p = p};
	int rc = !s ? VG_ESTORE : !p ? VG_ENOMEM : VG_OK;
	if (!rc && c->channel == VG_CHANNEL_SYNC)
		rc = vg__fed_ctx_partner(c, s, p);
	else if (!rc && (c->p.operator|| vg__partner_of_org(s, c->p.org, p)))
		rc = vg__deny(c, "a partner hub", "tombstones.add");
	if (!rc)
		rc = vg__fed_get(c->svc, &j.f, err, errlen);
	if (rc)
		goto out;
	j.doc = cJSON_ParseWithLength(body, len);
	const cJSON *arr =
	    cJSON_GetObjectItemCaseSensitive(j.doc, "tombstones");
	if (!cJSON_IsArray(arr)) {
		snprintf(err, errlen, "not {\"tombstones\": [...]}");
		rc = VG_EINVAL;
		goto out;
	}
	const cJSON *l = cJSON_GetObjectItemCaseSensitive(j.doc, "last");
	j.last = cJSON_IsNumber(l) ? (int64_t)l->valuedouble : 0;
	j.cursor_key = pulled ? "pull:#tombstones" : NULL;
	rc = vg__write(c->svc, apply_fn, &j);
	if (!rc) {
		*applied = j.applied;
		*refused = j.refused;
		*more = cJSON_IsTrue(
		    cJSON_GetObjectItemCaseSensitive(j.doc, "more"));
	}
out:
	cJSON_Delete(j.doc);
	free(p);
	return rc;
}

struct tpushed {
	int64_t partner, last;
};

static int tpushed_fn(struct vg_store *s, void *arg)
{
	struct tpushed *t = arg;
	char v[32];
	snprintf(v, sizeof(v), "%lld", (long long)t->last);
	return s->ops->sync->cursor_set(s, t->partner, "push:tombstones", v);
}

int vg_fed_tomb_pushed(struct vg_ctx *c, int64_t last)
{
	struct vg_store *s = vg__reader(c->svc);
	struct vg__partner *p = malloc(sizeof(*p));
	int rc = !s ? VG_ESTORE : !p ? VG_ENOMEM : vg__fed_ctx_partner(c, s, p);
	struct tpushed t = {p ? p->id : 0, last};
	if (!rc)
		rc = vg__write(c->svc, tpushed_fn, &t);
	free(p);
	return rc;
}
