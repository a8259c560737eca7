/* What leaves this hub for partner hubs: a TAXII page read by a partner's
 * principal goes through the egress rule (core/access/egress.c) instead
 * of the read rule, and, when its sync front asks (fed_meta), carries each
 * object's provenance beside it (x_vigil_provenance: origin, the hubs
 * crossed, the origin's signature, the scope and level it gets there). The
 * objects themselves are written as stored: content never changes on the
 * way. Also: the preview of what would go and why not, and the hub's
 * public document. */
#include "fed_int.h"
#include "taxii_int.h"
#include "vigil/fed/seal.h"
#include "vigil/service/objects.h"
#include "vigil/stix/stix.h"
#include "vigil/util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What one row needs for the rule and for its provenance. */
struct prov_copy {
	int have;
	char origin[100];
	char path[2048];
	char sig[VG_SEAL_TEXT];
	int unsigned_;
};

static int take_prov(void *ud, const struct vg_prov_row *r)
{
	struct prov_copy *p = ud;
	p->have = 1;
	snprintf(p->origin, sizeof(p->origin), "%s", r->origin);
	snprintf(p->path, sizeof(p->path), "%s", r->path);
	snprintf(p->sig, sizeof(p->sig), "%s", r->sig);
	p->unsigned_ = r->unsigned_;
	return 0;
}

struct group_names {
	int64_t id[64];
	char name[64][101];
	size_t n;
};

static int take_group(void *ud, const struct vg_group *g, const char *members)
{
	struct group_names *gn = ud;
	(void)members;
	if (gn->n < 64) {
		gn->id[gn->n] = g->id;
		snprintf(gn->name[gn->n++], 101, "%s", g->name);
	}
	return 0;
}

/* The rule for one stored row: its verdict and what it needs to leave. */
struct eval {
	struct vg_service *svc;
	struct vg_store *s;
	const struct vg__partner *p;
	struct vg__egress e;
	struct vg__fed *f;
	const char *coll_alias;
	struct prov_copy prov;
	int their_level;
};

static enum vg_egress_verdict judge(struct eval *ev, const struct vg_row *r)
{
	const char *path[64];
	const char *labels[64];
	size_t n_path = 0, n_labels = 0;
	cJSON *parr = NULL, *obj = NULL;
	ev->prov.have = 0;
	int rc = ev->s->ops->sync->prov_get(ev->s, r->date_added, take_prov,
	                                    &ev->prov);
	if (rc && rc != VG_ENOTFOUND)
		return VG_EGRESS_PATH; /* cannot tell where it came from: stays
		                        */
	if (ev->prov.have) {
		const cJSON *h;
		parr = cJSON_Parse(ev->prov.path);
		cJSON_ArrayForEach(h,
		                   parr) if (cJSON_IsString(h) && n_path < 64)
		    path[n_path++] = h->valuestring;
	}
	if (ev->p->cfg.n_labels) {
		const cJSON *l;
		obj = cJSON_ParseWithLength(r->json, r->json_len);
		cJSON_ArrayForEach(l,
		                   cJSON_GetObjectItemCaseSensitive(
		                       obj, "labels")) if (cJSON_IsString(l) &&
		                                           n_labels < 64)
		    labels[n_labels++] = l->valuestring;
	}
	struct vg_egress_object o = {
	    .scope = r->scope,
	    .group = r->grp,
	    .tlp = r->tlp,
	    .classification = r->classification,
	    .collection = r->collection,
	    .collection_alias = ev->coll_alias,
	    .type = r->type,
	    .labels = labels,
	    .n_labels = n_labels,
	    .path = path,
	    .n_path = n_path,
	};
	enum vg_egress_verdict v =
	    vg_egress_allowed(&ev->e.rule, &o, &ev->their_level);
	cJSON_Delete(parr);
	cJSON_Delete(obj);
	return v;
}

struct fed_page {
	struct eval ev;
	struct vg_ctx *t;
	struct vg_buf *out;
	struct vg_buf prov;
	struct vg_jw pw;
	struct group_names groups;
	size_t limit, n;
	int more;
	int64_t first, last;
	int meta;
	char last_origin[100], last_name[200], last_pk[80];
	/* the versions made here, sealed once the page is complete: where
	 * each object's text is in out */
	size_t *own_off, *own_len;
	size_t n_own, cap_own;
	/* origins described (name, key) already in this page: once each */
	char told[16][100];
	size_t n_told;
};

/* 1 the first time origin comes up in the page (then it is described). */
static int first_time(struct fed_page *fp, const char *origin)
{
	for (size_t i = 0; i < fp->n_told; i++)
		if (!strcmp(fp->told[i], origin))
			return 0;
	if (fp->n_told < 16)
		snprintf(fp->told[fp->n_told++], 100, "%s", origin);
	return 1;
}

/* A version made here in the page: its signature comes with the seal. */
static int own_add(struct fed_page *fp, size_t off, size_t len)
{
	if (fp->n_own == fp->cap_own) {
		size_t cap = fp->cap_own ? fp->cap_own * 2 : 64;
		size_t *o = realloc(fp->own_off, cap * sizeof(*o));
		if (o)
			fp->own_off = o;
		size_t *l = o ? realloc(fp->own_len, cap * sizeof(*l)) : NULL;
		if (l)
			fp->own_len = l;
		if (!o || !l)
			return VG_ENOMEM;
		fp->cap_own = cap;
	}
	fp->own_off[fp->n_own] = off;
	fp->own_len[fp->n_own++] = len;
	return VG_OK;
}

/* Seal the page's own versions (seal.h): one signature for all of them,
 * each marker "\x01K\x01" in the provenance replaced by version K's
 * proof. The markers are bytes the JSON writer never lets through. */
static int seal_fill(struct fed_page *fp)
{
	struct vg__fed *f = fp->ev.f;
	int rc = VG_OK;
	if (!fp->n_own)
		return VG_OK;
	if (fp->n_own > VG_SEAL_MAX)
		return VG_ETOOBIG;
	unsigned char(*leaves)[VG_SEAL_HASH] = malloc(fp->n_own * VG_SEAL_HASH);
	unsigned char(*salts)[VG_SEAL_SALT] = malloc(fp->n_own * VG_SEAL_SALT);
	struct vg_buf b;
	vg_buf_init(&b, 0);
	if (!leaves || !salts)
		rc = VG_ENOMEM;
	else
		randombytes_buf(salts, fp->n_own * VG_SEAL_SALT);
	for (size_t k = 0; !rc && k < fp->n_own; k++) {
		cJSON *o = cJSON_ParseWithLength(fp->out->data + fp->own_off[k],
		                                 fp->own_len[k]);
		rc = o ? vg_seal_leaf(o, salts[k], leaves[k]) : VG_ENOMEM;
		cJSON_Delete(o);
	}
	unsigned char msg[256], sig[64];
	struct vg_seal_tree tree = {0};
	if (!rc)
		rc = vg_seal_tree_build(
		    &tree, (const unsigned char(*)[VG_SEAL_HASH])leaves,
		    fp->n_own);
	if (!rc) {
		size_t ml =
		    vg_seal_message(f->hub_id, tree.root, msg, sizeof(msg));
		crypto_sign_detached(sig, NULL, msg, ml, f->sk);
	}
	for (size_t i = 0; !rc && i < fp->prov.len; i++) {
		/* the text up to the next marker, in one piece */
		const char *c = fp->prov.data + i;
		const char *m = memchr(c, '\x01', fp->prov.len - i);
		size_t run = m ? (size_t)(m - c) : fp->prov.len - i;
		if (run) {
			rc = vg_buf_append(&b, c, run);
			i += run - 1;
			continue;
		}
		size_t k = 0;
		while (fp->prov.data[++i] != '\x01')
			k = k * 10 + (size_t)(fp->prov.data[i] - '0');
		char text[VG_SEAL_TEXT];
		rc = k < fp->n_own ? vg_seal_text(&tree, k, salts[k], sig, text)
		                   : VG_EINTERNAL;
		if (!rc)
			rc = vg_buf_puts(&b, text);
	}
	if (!rc) {
		vg_buf_release(&fp->prov);
		fp->prov = b;
	} else {
		vg_buf_release(&b);
	}
	vg_seal_tree_release(&tree);
	free(leaves);
	free(salts);
	return rc;
}

static void origin_info(struct fed_page *fp, const char *origin)
{
	if (!strcmp(fp->last_origin, origin))
		return;
	snprintf(fp->last_origin, sizeof(fp->last_origin), "%s", origin);
	fp->last_name[0] = fp->last_pk[0] = '\0';
	vg__fed_hub_setting(fp->ev.s, origin, "name", fp->last_name,
	                    sizeof(fp->last_name));
	vg__fed_hub_setting(fp->ev.s, origin, "pk", fp->last_pk,
	                    sizeof(fp->last_pk));
}

/* The provenance entry of a row that leaves. */
static int write_prov(struct fed_page *fp, const struct vg_row *r, size_t off)
{
	struct vg_jw *w = &fp->pw;
	struct vg__fed *f = fp->ev.f;
	const struct prov_copy *pc = &fp->ev.prov;
	char sig[100] = "";
	int rc = VG_OK;
	vg_jw_obj(w);
	if (pc->have) {
		vg_jw_kstr(w, "origin", pc->origin);
		if (first_time(fp, pc->origin)) {
			origin_info(fp, pc->origin);
			vg_jw_kstr(w, "origin_name", fp->last_name);
			if (fp->last_pk[0])
				vg_jw_kstr(w, "origin_key", fp->last_pk);
		}
		vg_jw_key(w, "path");
		vg_jw_raw(w, pc->path, strlen(pc->path));
		vg_jw_kstr(w, "sig", pc->sig);
	} else {
		/* made here: this hub signs what it publishes, the page's own
		 * versions under one seal (seal_fill) */
		vg_jw_kstr(w, "origin", f->hub_id);
		if (first_time(fp, f->hub_id)) {
			vg_jw_kstr(w, "origin_name", f->hub_name);
			vg_jw_kstr(w, "origin_key", f->pk_hex);
		}
		vg_jw_key(w, "path");
		vg_jw_arr(w);
		vg_jw_str(w, f->hub_id);
		vg_jw_close(w);
		vg_jw_key(w, "sig");
		snprintf(sig, sizeof(sig), "\"\x01%zu\x01\"", fp->n_own);
		vg_jw_raw(w, sig, strlen(sig));
		rc = own_add(fp, off, r->json_len);
	}
	int next = vg_egress_next_scope(r->scope);
	vg_jw_kstr(w, "scope", vg_scope_name((enum vg_scope)next));
	if (next == VG_SCOPE_GROUP)
		for (size_t i = 0; i < fp->groups.n; i++)
			if (fp->groups.id[i] == r->grp)
				vg_jw_kstr(w, "group", fp->groups.name[i]);
	int lv = fp->ev.their_level;
	vg_jw_kstr(w, "level", lv > 0 ? fp->ev.p->cfg.lv_theirs[lv - 1] : "");
	vg_jw_close(w);
	return rc ? rc : w->rc;
}

static int fed_row(void *ud, const struct vg_row *r)
{
	struct fed_page *fp = ud;
	if (judge(&fp->ev, r) != VG_EGRESS_OK)
		return 0;
	if (fp->n == fp->limit) {
		fp->more = 1;
		return 1;
	}
	int rc = vg_buf_puts(fp->out, fp->n ? "," : "{\"objects\":[");
	size_t off = fp->out->len;
	if (!rc)
		rc = vg_buf_append(fp->out, r->json, r->json_len);
	if (!rc && fp->meta)
		rc = write_prov(fp, r, off);
	if (!fp->n)
		fp->first = r->date_added;
	fp->last = r->date_added;
	fp->n++;
	return rc;
}

int vg__fed_page(struct vg_ctx *t, struct vg_store *s,
                 const struct vg__partner *p, const struct vg_coll_view *c,
                 const struct vg_taxii_filter *f, int64_t after,
                 const struct vg_buf *canon, struct vg_buf *out,
                 struct vg_page_info *info, int *more)
{
	(void)canon;
	struct fed_page *fp = calloc(1, sizeof(*fp));
	struct vg_principal all = {.operator= 1 };
	struct vg_access_expr vis;
	if (!fp)
		return VG_ENOMEM;
	int rc = vg__fed_get(t->svc, &fp->ev.f, NULL, 0);
	if (!rc)
		rc = vg__egress_init(t->svc, s, p, &fp->ev.e);
	if (!rc)
		rc = s->ops->sharing->group_list(s, take_group, &fp->groups);
	if (rc)
		goto out;
	fp->ev.svc = t->svc;
	fp->ev.s = s;
	fp->ev.p = p;
	fp->ev.coll_alias = c->alias;
	fp->t = t;
	fp->out = out;
	fp->meta = t->fed_meta;
	fp->limit = f->limit ? f->limit : 100;
	vg_buf_init(&fp->prov, 0);
	vg_jw_init(&fp->pw, &fp->prov);
	vg_jw_arr(&fp->pw);
	/* every stored row of the collection, then the egress rule */
	vg_access_expr(&all, &vis);
	struct vg_query q = {
	    .collection = c->id,
	    .visible = &vis,
	    .types = (const char *const *)f->types,
	    .n_types = f->n_types,
	    .ids = (const char *const *)f->ids,
	    .n_ids = f->n_ids,
	    .added_after = after,
	    .versions = f->versions,
	    .version_keys = (const char *const *)f->version_keys,
	    .n_version_keys = f->n_version_keys,
	    .spec_versions = (const char *const *)f->spec_versions,
	    .n_spec_versions = f->n_spec_versions,
	};
	rc = s->ops->objects->scan(s, &q, fed_row, fp);
	if (rc == 1)
		rc = VG_OK;
	vg_jw_close(&fp->pw);
	if (!rc)
		rc = vg_jw_end(&fp->pw);
	if (!rc)
		rc = seal_fill(fp);
	if (!rc && fp->n)
		rc = vg_buf_puts(out, "],");
	else if (!rc)
		rc = vg_buf_puts(out, "{");
	if (!rc && fp->meta) {
		rc = vg_buf_puts(out, "\"x_vigil_provenance\":");
		if (!rc)
			rc = vg_buf_append(out, fp->prov.data, fp->prov.len);
		if (!rc)
			rc = vg_buf_putc(out, ',');
	}
	info->first = fp->first;
	info->last = fp->last;
	info->count = fp->n;
	*more = fp->more;
out:
	vg_buf_release(&fp->prov);
	vg__egress_release(&fp->ev.e);
	free(fp->own_off);
	free(fp->own_len);
	free(fp);
	return rc;
}

/* ---- preview ----------------------------------------------------------- */

struct preview {
	struct eval ev;
	vg_preview_cb cb;
	void *ud;
	struct {
		char id[40], alias[160];
	} colls[64];
	size_t n_colls;
};

static int take_coll(void *ud, const struct vg_collection *c)
{
	struct preview *pv = ud;
	if (pv->n_colls < 64) {
		snprintf(pv->colls[pv->n_colls].id, 40, "%s", c->id);
		snprintf(pv->colls[pv->n_colls].alias, 160, "%s", c->alias);
		pv->n_colls++;
	}
	return 0;
}

static int preview_row(void *ud, const struct vg_row *r)
{
	struct preview *pv = ud;
	pv->ev.coll_alias = "";
	for (size_t i = 0; i < pv->n_colls; i++)
		if (!strcmp(pv->colls[i].id, r->collection))
			pv->ev.coll_alias = pv->colls[i].alias;
	enum vg_egress_verdict v = judge(&pv->ev, r);
	struct vg_preview_row row = {
	    .id = r->id,
	    .version = r->modified ? r->modified : r->version,
	    .collection =
	        pv->ev.coll_alias[0] ? pv->ev.coll_alias : r->collection,
	    .verdict = v,
	    .reason = vg_egress_reason(v),
	};
	return pv->cb(pv->ud, &row);
}

int vg_partner_preview(struct vg_ctx *c, const char *name, const char *id,
                       vg_preview_cb cb, void *ud)
{
	struct vg_store *s = vg__reader(c->svc);
	struct vg__partner *p = malloc(sizeof(*p));
	struct preview *pv = calloc(1, sizeof(*pv));
	struct vg_principal all = {.operator= 1 };
	struct vg_access_expr vis;
	int rc = vg__require(c, VG_ACT_HUB_ADMIN, "partner.preview");
	if (!rc && (!p || !pv))
		rc = VG_ENOMEM;
	if (!rc && !s)
		rc = VG_ESTORE;
	if (!rc)
		rc = vg__partner_get(s, name, 0, p);
	if (!rc)
		rc = vg__fed_get(c->svc, &pv->ev.f, NULL, 0);
	if (!rc)
		rc = vg__egress_init(c->svc, s, p, &pv->ev.e);
	if (!rc)
		rc = s->ops->sharing->collection_list(s, take_coll, pv);
	if (!rc)
		rc = vg__audit_read(c, "partner.preview", name, "{}");
	if (rc)
		goto out;
	pv->ev.svc = c->svc;
	pv->ev.s = s;
	pv->ev.p = p;
	pv->cb = cb;
	pv->ud = ud;
	vg_access_expr(&all, &vis);
	struct vg_query q = {
	    .visible = &vis,
	    .ids = &id,
	    .n_ids = id ? 1 : 0,
	    .versions = VG_VERSIONS_ALL,
	};
	/* each row once per collection: the rule looks at the row */
	for (size_t i = 0; !rc && i < pv->n_colls; i++) {
		q.collection = pv->colls[i].id;
		rc = s->ops->objects->scan(s, &q, preview_row, pv);
	}
out:
	if (pv)
		vg__egress_release(&pv->ev.e);
	free(pv);
	free(p);
	return rc;
}

/* ---- the hub's document ---------------------------------------------- */

int vg_fed_hub_doc(struct vg_service *svc, struct vg_buf *out)
{
	struct vg__fed *f;
	struct vg_jw w;
	int rc = vg__fed_get(svc, &f, NULL, 0);
	if (rc)
		return rc;
	vg_jw_init(&w, out);
	vg_jw_obj(&w);
	vg_jw_kstr(&w, "hub_id", f->hub_id);
	vg_jw_kstr(&w, "name", f->hub_name);
	vg_jw_kstr(&w, "sign_pk", f->pk_hex);
	vg_jw_kstr(&w, "signature",
	           "Ed25519 over \"vigil-object-v1\\n\" and "
	           "the JCS form of each object version");
	vg_jw_kstr(&w, "api_root", "/taxii2/hub/");
	vg_jw_close(&w);
	return vg_jw_end(&w);
}

/* ---- the push outbox -------------------------------------------------- */

struct outbox {
	struct fed_page fp; /* the rule and the provenance writer */
	struct {
		char id[40], alias[160];
	} colls[64];
	size_t n_colls;
	int64_t scanned; /* the last row looked at, sent or not */
};

static int take_coll_ob(void *ud, const struct vg_collection *c)
{
	struct outbox *ob = ud;
	if (ob->n_colls < 64) {
		snprintf(ob->colls[ob->n_colls].id, 40, "%s", c->id);
		snprintf(ob->colls[ob->n_colls].alias, 160, "%s", c->alias);
		ob->n_colls++;
	}
	return 0;
}

static int outbox_row(void *ud, const struct vg_row *r)
{
	struct outbox *ob = ud;
	ob->fp.ev.coll_alias = "";
	for (size_t i = 0; i < ob->n_colls; i++)
		if (!strcmp(ob->colls[i].id, r->collection))
			ob->fp.ev.coll_alias = ob->colls[i].alias;
	if (ob->fp.n == ob->fp.limit)
		return 1;
	ob->scanned = r->date_added;
	return fed_row(&ob->fp, r);
}

int vg_fed_outbox(struct vg_ctx *c, size_t limit, struct vg_buf *env,
                  int64_t *last, size_t *n)
{
	struct vg_store *s = vg__reader(c->svc);
	struct vg__partner *p = malloc(sizeof(*p));
	struct outbox *ob = calloc(1, sizeof(*ob));
	struct vg_principal all = {.operator= 1 };
	struct vg_access_expr vis;
	char *cur = NULL;
	int64_t after = 0;
	int rc = !s          ? VG_ESTORE
	         : !p || !ob ? VG_ENOMEM
	                     : vg__fed_ctx_partner(c, s, p);
	*n = 0;
	*last = 0;
	if (!rc) {
		rc = s->ops->sync->cursor_get(s, p->id, "push", &cur);
		if (!rc)
			after = strtoll(cur, NULL, 10);
		if (rc == VG_ENOTFOUND)
			rc = VG_OK;
	}
	if (!rc)
		rc = vg__fed_get(c->svc, &ob->fp.ev.f, NULL, 0);
	if (!rc)
		rc = vg__egress_init(c->svc, s, p, &ob->fp.ev.e);
	if (!rc)
		rc = s->ops->sharing->group_list(s, take_group, &ob->fp.groups);
	if (!rc)
		rc = s->ops->sharing->collection_list(s, take_coll_ob, ob);
	if (rc)
		goto out;
	ob->fp.ev.svc = c->svc;
	ob->fp.ev.s = s;
	ob->fp.ev.p = p;
	ob->fp.out = env;
	ob->fp.meta = p->hub_id[0] != '\0'; /* provenance for vigil hubs */
	ob->fp.limit = limit;
	vg_buf_init(&ob->fp.prov, 0);
	vg_jw_init(&ob->fp.pw, &ob->fp.prov);
	vg_jw_arr(&ob->fp.pw);
	vg_access_expr(&all, &vis);
	struct vg_query q = {
	    .visible = &vis,
	    .added_after = after,
	    .versions = VG_VERSIONS_ALL,
	};
	rc = s->ops->objects->scan(s, &q, outbox_row, ob);
	if (rc == 1)
		rc = VG_OK;
	vg_jw_close(&ob->fp.pw);
	if (!rc)
		rc = vg_jw_end(&ob->fp.pw);
	if (!rc)
		rc = seal_fill(&ob->fp);
	if (!rc && ob->fp.n) {
		rc = vg_buf_puts(env, "]");
		if (!rc && ob->fp.meta)
			rc = vg_buf_puts(env, ",\"x_vigil_provenance\":");
		if (!rc && ob->fp.meta)
			rc = vg_buf_append(env, ob->fp.prov.data,
			                   ob->fp.prov.len);
		if (!rc)
			rc = vg_buf_putc(env, '}');
	}
	vg_buf_release(&ob->fp.prov);
	/* the cursor may pass rows that stay: they are not looked at again */
	*last = ob->fp.n == limit ? ob->fp.last : ob->scanned;
	*n = ob->fp.n;
out:
	if (ob) {
		vg__egress_release(&ob->fp.ev.e);
		free(ob->fp.own_off);
		free(ob->fp.own_len);
	}
	free(cur);
	free(ob);
	free(p);
	return rc;
}
