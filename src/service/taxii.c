/* TAXII 2.1 reads (objects.h): discovery, API root, collections, pages
 * of objects, manifests and versions. Reads run on the caller's thread
 * and its read handle; their audit entries go through the group-commit
 * writer (or wait in the context for the front to commit them). */
#include "service_int.h"
#include "taxii_int.h"
#include "fed_int.h"
#include "readcache.h"
#include "vigil/service/objects.h"
#include "vigil/stix/stix.h"
#include "vigil/util/error.h"
#include "vigil/util/timefmt.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_LIMIT 100

/* ---- collections ----------------------------------------------------- */

/* The collection rule: hub-wide collections are everyone's; a private one
 * its organisation's; a group's its members'. Roles then say read and
 * write; a role with neither sees no collection at all. */
static int view(const struct vg_ctx *ctx, const struct vg_collection *c,
		struct vg_coll_view *v)
{
	const struct vg_principal *p = &ctx->p;
	int r = vg_principal_allows(p, VG_ACT_READ);
	int w = vg_principal_allows(p, VG_ACT_WRITE);
	if (!ctx->authenticated || (!r && !w))
		return 0;
	if (!p->operator && c->scope == VG_SCOPE_ORG && c->org != p->org)
		return 0;
	if (!p->operator && c->scope == VG_SCOPE_GROUP &&
	    !vg_principal_in_group(p, c->grp))
		return 0;
	memset(v, 0, sizeof(*v));
	snprintf(v->id, sizeof(v->id), "%s", c->id);
	snprintf(v->alias, sizeof(v->alias), "%s", c->alias);
	snprintf(v->title, sizeof(v->title), "%s", c->title);
	snprintf(v->description, sizeof(v->description), "%s", c->description);
	v->scope = c->scope;
	v->org = c->org;
	v->grp = c->grp;
	v->can_read = r;
	v->can_write = w;
	return 1;
}

struct find {
	const struct vg_ctx *c;
	struct vg_coll_view *v;
	int found;
};

static int take_coll(void *ud, const struct vg_collection *c)
{
	struct find *f = ud;
	f->found = view(f->c, c, f->v);
	return 0;
}

int vg__taxii_collection(struct vg_ctx *c, struct vg_store *s, const char *id,
			 struct vg_coll_view *out)
{
	struct find f = {.c = c, .v = out};
	int rc = s->ops->sharing->collection_find(s, id, take_coll, &f);
	if (rc && rc != VG_ENOTFOUND)
		return rc;
	if (f.found)
		return VG_OK;
	/* invisible and missing look the same, and both are on record */
	rc = vg__audit_read(c, "collection.read", id, "{\"found\":false}");
	return rc ? rc : VG_ENOTFOUND;
}

/* as_id: the id the resource gives itself (NULL: its own). */
static int collection_json(const struct vg_coll_view *c, const char *as_id,
			   struct vg_jw *w)
{
	vg_jw_obj(w);
	vg_jw_kstr(w, "id", as_id ? as_id : c->id);
	vg_jw_kstr(w, "title", c->title);
	vg_jw_kstr(w, "description", c->description);
	vg_jw_kstr(w, "alias", c->alias);
	vg_jw_kbool(w, "can_read", c->can_read);
	vg_jw_kbool(w, "can_write", c->can_write);
	vg_jw_key(w, "media_types");
	vg_jw_arr(w);
	vg_jw_str(w, STIX_MEDIA);
	vg_jw_close(w);
	vg_jw_close(w);
	return w->rc;
}

int vg_taxii_collection(struct vg_ctx *c, const char *id, struct vg_buf *out)
{
	struct vg_store *s = vg__reader(c->svc);
	struct vg_coll_view v;
	struct vg_jw w;
	int rc_read = vg__may_read(c, "collection.read");
	if (rc_read)
		return rc_read;
	if (!s)
		return VG_ESTORE;
	int rc = vg__taxii_collection(c, s, id, &v);
	if (rc)
		return rc;
	vg_jw_init(&w, out);
	/* read at its alias URL, the collection names itself by the alias:
	 * TAXII clients (OASIS taxii2-client) check that the id they read is
	 * in the URL they read it from. Everything else (pages, cursors, the
	 * audit log, the list of collections) knows it by its id */
	collection_json(&v, strcmp(id, v.alias) ? NULL : v.alias, &w);
	rc = vg_jw_end(&w);
	return rc ? rc : vg__audit_read(c, "collection.read", v.id, "{}");
}

struct list {
	const struct vg_ctx *c;
	struct vg_jw *w;
	size_t n;
};

static int list_coll(void *ud, const struct vg_collection *c)
{
	struct list *l = ud;
	struct vg_coll_view v;
	if (!view(l->c, c, &v))
		return 0;
	if (!l->n++) {
		vg_jw_key(l->w, "collections");
		vg_jw_arr(l->w);
	}
	return collection_json(&v, NULL, l->w);
}

int vg_taxii_collections(struct vg_ctx *c, struct vg_buf *out)
{
	struct vg_store *s = vg__reader(c->svc);
	struct vg_jw w;
	struct list l = {.c = c, .w = &w};
	int rc_read = vg__may_read(c, "collections.read");
	if (rc_read)
		return rc_read;
	if (!s)
		return VG_ESTORE;
	vg_jw_init(&w, out);
	vg_jw_obj(&w);
	int rc = s->ops->sharing->collection_list(s, list_coll, &l);
	if (l.n)
		vg_jw_close(&w);
	vg_jw_close(&w);
	if (!rc)
		rc = vg_jw_end(&w);
	return rc ? rc : vg__audit_read(c, "collections.read", "", "{}");
}

int vg_taxii_discovery(struct vg_ctx *c, const char *root_url,
		       struct vg_buf *out)
{
	struct vg_jw w;
	int rc_read = vg__may_read(c, "discovery.read");
	if (rc_read)
		return rc_read;
	vg_jw_init(&w, out);
	vg_jw_obj(&w);
	vg_jw_kstr(&w, "title", c->svc->hub.name);
	vg_jw_kstr(&w, "description", "vigil intelligence hub");
	vg_jw_kstr(&w, "default", root_url);
	vg_jw_key(&w, "api_roots");
	vg_jw_arr(&w);
	vg_jw_str(&w, root_url);
	vg_jw_close(&w);
	vg_jw_close(&w);
	int rc = vg_jw_end(&w);
	return rc ? rc : vg__audit_read(c, "discovery.read", "", "{}");
}

int vg_taxii_api_root(struct vg_ctx *c, size_t max_content_length,
		      struct vg_buf *out)
{
	struct vg_jw w;
	int rc_read = vg__may_read(c, "api_root.read");
	if (rc_read)
		return rc_read;
	vg_jw_init(&w, out);
	vg_jw_obj(&w);
	vg_jw_kstr(&w, "title", c->svc->hub.name);
	vg_jw_kstr(&w, "description", "the hub's API root");
	vg_jw_key(&w, "versions");
	vg_jw_arr(&w);
	vg_jw_str(&w, TAXII_MEDIA);
	vg_jw_close(&w);
	vg_jw_kint(&w, "max_content_length", (int64_t)max_content_length);
	vg_jw_close(&w);
	int rc = vg_jw_end(&w);
	return rc ? rc : vg__audit_read(c, "api_root.read", "", "{}");
}

/* ---- paging cursors -------------------------------------------------- */

/* The cursor is the last date_added returned and a MAC that binds it to
 * the caller, the collection, the endpoint, the object and the filters. */
static void cursor_mac(const struct vg_ctx *t, const struct vg_coll_view *c,
		       int kind, const char *oid, const struct vg_buf *canon,
		       int64_t last, unsigned char mac[16])
{
	crypto_generichash_state st;
	char head[160];
	int n = snprintf(head, sizeof(head), "%lld|%s|%d|%lld|",
			 (long long)t->p.user, c->id, kind, (long long)last);
	crypto_generichash_init(&st, t->svc->hub.secret, 32, 16);
	crypto_generichash_update(&st, (const unsigned char *)head, (size_t)n);
	if (oid)
		crypto_generichash_update(&st, (const unsigned char *)oid,
					  strlen(oid));
	crypto_generichash_update(&st, (const unsigned char *)"|", 1);
	crypto_generichash_update(&st, (const unsigned char *)canon->data,
				  canon->len);
	crypto_generichash_final(&st, mac, 16);
}

static void cursor_make(const struct vg_ctx *t, const struct vg_coll_view *c,
			int kind, const char *oid, const struct vg_buf *canon,
			int64_t last, char out[50])
{
	unsigned char raw[24];
	for (int i = 0; i < 8; i++)
		raw[i] = (unsigned char)((uint64_t)last >> (56 - 8 * i));
	cursor_mac(t, c, kind, oid, canon, last, raw + 8);
	vg__hex(raw, sizeof(raw), out);
}

static int cursor_read(const struct vg_ctx *t, const struct vg_coll_view *c,
		       int kind, const char *oid, const struct vg_buf *canon,
		       const char *text, int64_t *last)
{
	unsigned char raw[24], mac[16];
	if (strlen(text) != 48 || vg__unhex(text, raw, sizeof(raw)))
		return VG_EINVAL;
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | raw[i];
	cursor_mac(t, c, kind, oid, canon, (int64_t)v, mac);
	if (sodium_memcmp(mac, raw + 8, 16))
		return VG_EINVAL;
	*last = (int64_t)v;
	return VG_OK;
}

/* ---- pages ----------------------------------------------------------- */

struct page {
	enum vg_taxii_page kind;
	struct vg_buf *out;
	size_t limit, n;
	int more;
	int64_t first, last;
};

static int page_row(void *ud, const struct vg_row *r)
{
	struct page *p = ud;
	char t[VG_TIME_LEN];
	int rc;
	if (p->n == p->limit) {
		p->more = 1;
		return 1; /* stop: one row past the page says there is more */
	}
	/* room for the page at four times the first row's size, up to
	 * 1 MiB, rather than doublings that copy it (what is not written
	 * is never touched) */
	if (!p->n && (p->kind == VG_PAGE_OBJECTS || p->kind == VG_PAGE_OBJECT)) {
		size_t room = 4 * (r->json_len + 1) * p->limit;
		if ((rc = vg_buf_grow(p->out, room < (1 << 20) ? room : (1 << 20))))
			return rc;
	}
	/* rows go straight into the answer; the envelope's "more" and
	 * "next" follow them (JSON does not order keys) */
	rc = vg_buf_puts(p->out, p->n ? ","
			 : p->kind == VG_PAGE_VERSIONS ? "{\"versions\":["
						       : "{\"objects\":[");
	if (rc)
		return rc;
	switch (p->kind) {
	case VG_PAGE_OBJECTS:
	case VG_PAGE_OBJECT:
		rc = vg_buf_append(p->out, r->json, r->json_len);
		break;
	case VG_PAGE_MANIFEST:
		vg_time_format_us(r->date_added, t);
		rc = vg_buf_puts(p->out, "{\"id\":");
		if (!rc)
			rc = vg_buf_json_str(p->out, r->id);
		if (!rc)
			rc = vg_buf_printf(p->out, ",\"date_added\":\"%s\","
						   "\"version\":", t);
		/* a version is a timestamp: an SCO, which has neither modified
		 * nor created, gets its date_added (as the reference server) */
		if (!rc)
			rc = vg_buf_json_str(p->out, r->modified ? r->modified : t);
		if (!rc)
			rc = vg_buf_puts(p->out, ",\"media_type\":\"" STIX_MEDIA "\"}");
		break;
	case VG_PAGE_VERSIONS:
		vg_time_format_us(r->date_added, t);
		rc = vg_buf_json_str(p->out, r->modified ? r->modified : t);
		break;
	}
	if (!p->n)
		p->first = r->date_added;
	p->last = r->date_added;
	p->n++;
	return rc;
}

/* The envelope's end after the page's rows ("more", "next"), or
 * VG_ENOTFOUND for an object that is not there. */
static int end_page(const struct vg_ctx *t, const struct vg_coll_view *c,
		    const struct page *p, int partner_page, const char *oid,
		    int64_t after, const struct vg_taxii_filter *f,
		    const struct vg_buf *canon, char *err, size_t errlen)
{
	if ((p->kind == VG_PAGE_OBJECT || p->kind == VG_PAGE_VERSIONS) &&
	    !p->n && !f->next[0] && !after) {
		snprintf(err, errlen, "no such object");
		return VG_ENOTFOUND;
	}
	int rc = vg_buf_printf(p->out, "%s\"more\":%s",
			       partner_page ? "" : p->n ? "]," : "{",
			       p->more ? "true" : "false");
	if (!rc && p->more) {
		char cur[50];
		cursor_make(t, c, (int)p->kind, oid, canon, p->last, cur);
		rc = vg_buf_printf(p->out, ",\"next\":\"%s\"", cur);
	}
	return rc ? rc : vg_buf_putc(p->out, '}');
}

/* ---- the read cache ---------------------------------------------------- */

/* Numbers end with ';', texts are their length, ':' and their bytes: no
 * two requests write the same key. */
static int key_int(struct vg_buf *b, int64_t v)
{
	int rc = vg_buf_put_int(b, v);
	return rc ? rc : vg_buf_putc(b, ';');
}

static int key_str(struct vg_buf *b, const char *s)
{
	s = s ? s : "";
	int rc = vg_buf_put_int(b, (int64_t)strlen(s));
	if (!rc)
		rc = vg_buf_putc(b, ':');
	return rc ? rc : vg_buf_puts(b, s);
}

static int key_list(struct vg_buf *b, char *const *v, size_t n)
{
	int rc = key_int(b, (int64_t)n);
	for (size_t i = 0; !rc && i < n; i++)
		rc = key_str(b, v[i]);
	return rc;
}

/* Everything a page depends on besides the store: who reads (the
 * principal is the user's at the cache's generations), the collection
 * as named, the endpoint, the object and every parameter. Empty when the
 * page is not kept: the operator's, and a partner hub's (fed_serve.c). */
static void page_key(const struct vg_ctx *t, const char *coll, int kind,
		     const char *oid, const struct vg_taxii_filter *f,
		     struct vg_buf *b)
{
	if (!t->svc->rcache || !t->may_keep || t->p.operator ||
	    !strncmp(t->org_name, "hub:", 4))
		return;
	int rc = key_int(b, t->p.user);
	if (!rc)
		rc = key_int(b, kind);
	if (!rc)
		rc = key_int(b, t->fed_meta);
	if (!rc)
		rc = key_str(b, coll);
	if (!rc)
		rc = key_str(b, oid);
	if (!rc)
		rc = key_int(b, f->added_after);
	if (!rc)
		rc = key_int(b, (int64_t)f->limit);
	if (!rc)
		rc = key_int(b, f->versions);
	if (!rc)
		rc = key_str(b, f->next);
	if (!rc)
		rc = key_list(b, f->ids, f->n_ids);
	if (!rc)
		rc = key_list(b, f->types, f->n_types);
	if (!rc)
		rc = key_list(b, f->version_keys, f->n_version_keys);
	if (!rc)
		rc = key_list(b, f->spec_versions, f->n_spec_versions);
	if (rc)
		vg_buf_reset(b);
}

int vg_taxii_page(struct vg_ctx *t, const char *coll, enum vg_taxii_page kind,
		  const char *object_id, const struct vg_taxii_filter *f,
		  struct vg_buf *out, struct vg_page_info *info, char *err,
		  size_t errlen)
{
	static const char *const actions[] = {
		"objects.read", "manifest.read", "versions.read", "object.read",
	};
	struct vg_store *s = vg__reader(t->svc);
	struct vg_coll_view cv, *c = &cv;
	struct vg_access_expr vis;
	struct vg_buf canon;
	int64_t after = f->added_after;
	int rc = vg__may_read(t, actions[kind]);
	if (rc)
		return rc;
	if (!s)
		return VG_ESTORE;
	/* an answer the store would give now, kept: on record as well */
	struct vg_buf key;
	char *kept_target, *kept_detail;
	vg_buf_init(&key, 0);
	page_key(t, coll, kind, object_id, f, &key);
	if (vg__rcache_page_get(t, &key, out, info, &kept_target,
				&kept_detail)) {
		vg_buf_release(&key);
		rc = vg__audit_read(t, actions[kind], kept_target, kept_detail);
		free(kept_target);
		free(kept_detail);
		return rc;
	}
	rc = vg__taxii_collection(t, s, coll, c);
	if (rc) {
		vg_buf_release(&key);
		snprintf(err, errlen, "no such collection");
		return rc;
	}
	if (!c->can_read) {
		vg_buf_release(&key);
		snprintf(err, errlen, "no read access to this collection");
		return vg__require(t, VG_ACT_READ, actions[kind]);
	}
	vg_buf_init(&canon, 0);
	rc = vg_taxii_filter_canon(f, &canon);
	if (rc)
		goto out;
	if (f->next[0]) {
		int64_t last;
		if (cursor_read(t, c, kind, object_id, &canon, f->next, &last)) {
			snprintf(err, errlen, "'next': not a cursor of this "
					      "request; start again without it");
			rc = VG_EINVAL;
			goto out;
		}
		if (last > after)
			after = last;
	}
	vg_access_expr(&t->p, &vis);
	const char *one = object_id;
	struct vg_query q = {
		.collection = c->id,
		.visible = &vis,
		.types = (const char *const *)f->types,
		.n_types = f->n_types,
		.ids = object_id ? &one : (const char *const *)f->ids,
		.n_ids = object_id ? 1 : f->n_ids,
		.added_after = after,
		.versions = kind == VG_PAGE_VERSIONS ? VG_VERSIONS_ALL : f->versions,
		.version_keys = (const char *const *)f->version_keys,
		.n_version_keys = f->n_version_keys,
		.spec_versions = (const char *const *)f->spec_versions,
		.n_spec_versions = f->n_spec_versions,
		.slim = 1,
	};
	struct page p = {
		.kind = kind,
		.out = out,
		.limit = !f->limit ? DEFAULT_LIMIT
			 : f->limit < VG_TAXII_MAX_LIMIT ? f->limit
							 : VG_TAXII_MAX_LIMIT,
	};
	q.limit = p.limit + 1;
	/* a partner hub reads objects by the egress rule (fed_serve.c) */
	struct vg__partner *partner = NULL;
	if (!t->p.operator && !strncmp(t->org_name, "hub:", 4) &&
	    (partner = malloc(sizeof(*partner))) &&
	    vg__partner_of_org(s, t->p.org, partner)) {
		free(partner);
		partner = NULL;
	}
	int partner_page = partner != NULL;
	if (partner && (kind == VG_PAGE_MANIFEST || kind == VG_PAGE_VERSIONS)) {
		/* hubs read objects, by the egress rule, and nothing else */
		free(partner);
		vg_buf_release(&canon);
		vg_buf_release(&key);
		snprintf(err, errlen, "partner hubs read objects only");
		return vg__deny(t, "a user, not a partner hub", actions[kind]);
	}
	if (partner) {
		struct vg_taxii_filter pf = *f;
		struct vg_page_info pi = {0};
		pf.limit = p.limit;
		if (object_id) {
			pf.ids[0] = (char *)object_id;
			pf.n_ids = 1;
		}
		rc = vg__fed_page(t, s, partner, c, &pf, after, &canon, out, &pi,
				  &p.more);
		p.n = pi.count;
		p.first = pi.first;
		p.last = pi.last;
		free(partner);
	} else {
		rc = s->ops->objects->scan(s, &q, page_row, &p);
	}
	if (rc == 1)
		rc = VG_OK;
	if (rc)
		goto out;
	/* the read is on record before anything of it leaves */
	struct vg__detail d;
	vg__detail_begin(&d);
	vg_jw_kstr(&d.w, "collection", c->id);
	vg_jw_kint(&d.w, "count", (int64_t)p.n);
	vg_jw_kstr(&d.w, "filter", canon.data ? canon.data : "");
	const char *detail = vg__detail_end(&d);
	const char *what = object_id ? object_id : c->id;
	rc = detail ? vg__audit_read(t, actions[kind], what, detail)
		    : VG_ENOMEM;
	if (!rc)
		rc = end_page(t, c, &p, partner_page, object_id, after, f,
			      &canon, err, errlen);
	if (!rc) {
		info->first = p.first;
		info->last = p.last;
		info->count = p.n;
		vg__rcache_page_put(t, &key, out, info, what, detail);
	}
	vg__detail_release(&d);
out:
	vg_buf_release(&canon);
	vg_buf_release(&key);
	return rc;
}
