/* TAXII 2.1 use cases (taxii.h): collections, pages, add, delete, status.
 * Reads run on the caller's thread and store handle; their audit entries,
 * and every write, go through the group-commit writer. */
#include "service_int.h"
#include "vigil/util/error.h"
#include "vigil/stix/stix.h"
#include "vigil/service/taxii.h"
#include "vigil/util/timefmt.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_LIMIT 100
#define STIX_MEDIA "application/stix+json;version=2.1"

/* ---- collections ----------------------------------------------------- */

static int in_groups(const struct vg_principal *p, int64_t g)
{
	for (size_t i = 0; i < p->n_groups; i++)
		if (p->groups[i] == g)
			return 1;
	return 0;
}

/* The collection rule: hub-wide collections are everyone's; a private one
 * its organisation's; a group's its members'. Roles then say read and
 * write; a role with neither sees no collection at all. */
static int view(const struct vg_session *s, const struct vg_collection *c,
		struct vg_coll_view *v)
{
	const struct vg_principal *p = &s->p;
	int r = vg_role_allows(p->role, VG_ACT_READ);
	int w = vg_role_allows(p->role, VG_ACT_WRITE);
	if (!r && !w)
		return 0;
	if (c->scope == VG_SCOPE_ORG && c->org != p->org)
		return 0;
	if (c->scope == VG_SCOPE_GROUP && !in_groups(p, c->grp))
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
	const struct vg_session *s;
	struct vg_coll_view *v;
	int found;
};

static int take_coll(void *ud, const struct vg_collection *c)
{
	struct find *f = ud;
	f->found = view(f->s, c, f->v);
	return 0;
}

int vg_taxii_collection(const struct vg_taxii *t, const char *id,
			struct vg_coll_view *out)
{
	struct find f = {.s = t->sess, .v = out};
	int rc = t->store->ops->hub->collection_find(t->store, id, take_coll, &f);
	if (rc)
		return rc;
	return f.found ? VG_OK : VG_ENOTFOUND;
}

int vg_taxii_collection_json(const struct vg_coll_view *c, struct vg_buf *out)
{
	int rc = vg_buf_printf(out, "{\"id\":\"%s\",\"title\":", c->id);
	if (!rc)
		rc = vg_buf_json_str(out, c->title);
	if (!rc)
		rc = vg_buf_puts(out, ",\"description\":");
	if (!rc)
		rc = vg_buf_json_str(out, c->description);
	if (!rc)
		rc = vg_buf_puts(out, ",\"alias\":");
	if (!rc)
		rc = vg_buf_json_str(out, c->alias);
	if (!rc)
		rc = vg_buf_printf(out, ",\"can_read\":%s,\"can_write\":%s,"
					"\"media_types\":[\"" STIX_MEDIA "\"]}",
				   c->can_read ? "true" : "false",
				   c->can_write ? "true" : "false");
	return rc;
}

struct list {
	const struct vg_session *s;
	struct vg_buf *out;
	size_t n;
};

static int list_coll(void *ud, const struct vg_collection *c)
{
	struct list *l = ud;
	struct vg_coll_view v;
	if (!view(l->s, c, &v))
		return 0;
	int rc = vg_buf_puts(l->out, l->n++ ? "," : "{\"collections\":[");
	return rc ? rc : vg_taxii_collection_json(&v, l->out);
}

int vg_taxii_collections_json(const struct vg_taxii *t, struct vg_buf *out)
{
	struct list l = {.s = t->sess, .out = out};
	int rc = t->store->ops->hub->collection_list(t->store, list_coll, &l);
	if (!rc)
		rc = vg_buf_puts(out, l.n ? "]}" : "{}");
	return rc;
}

/* ---- audit through the writer ---------------------------------------- */

int vg__audit_request(struct vg_store *s, const struct vg_taxii *t,
		      const char *action, const char *target, const char *detail)
{
	int rc = VG_OK;
	if (t->auth_key)
		rc = vg__audit(s, t->actor, "auth.ok", t->auth_key, "{}");
	return rc ? rc : vg__audit(s, t->actor, action, target, detail);
}

struct audit_job {
	const struct vg_taxii *t;
	const char *action, *target, *detail;
};

static int audit_fn(struct vg_store *s, void *arg)
{
	struct audit_job *j = arg;
	return vg__audit_request(s, j->t, j->action, j->target, j->detail);
}

int vg_taxii_audit(const struct vg_taxii *t, const char *action,
		   const char *target, const char *detail)
{
	struct vg_audit_defer *d = t->defer;
	if (d) {
		if (d->n == VG_DEFER_MAX)
			return VG_EINTERNAL;
		snprintf(d->e[d->n].action, sizeof(d->e[d->n].action), "%s", action);
		snprintf(d->e[d->n].target, sizeof(d->e[d->n].target), "%s",
			 target ? target : "");
		d->e[d->n].detail = strdup(detail ? detail : "{}");
		if (!d->e[d->n].detail)
			return VG_ENOMEM;
		d->n++;
		return VG_OK;
	}
	struct audit_job j = {t, action, target, detail};
	return vg_writer_run(t->writer, audit_fn, &j);
}

static int deferred_fn(struct vg_store *s, void *arg)
{
	const struct vg_taxii *t = arg;
	const struct vg_audit_defer *d = t->defer;
	int rc = VG_OK;
	if (t->auth_key)
		rc = vg__audit(s, t->actor, "auth.ok", t->auth_key, "{}");
	for (size_t i = 0; !rc && i < d->n; i++)
		rc = vg__audit(s, t->actor, d->e[i].action, d->e[i].target,
			       d->e[i].detail);
	return rc;
}

int vg_taxii_audit_submit(const struct vg_taxii *t,
			  void (*done)(void *done_arg, int result),
			  void *done_arg)
{
	return vg_writer_submit(t->writer, deferred_fn, (void *)t, done, done_arg);
}

void vg_audit_defer_release(struct vg_audit_defer *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->e[i].detail);
	d->n = 0;
}

/* ---- paging cursors -------------------------------------------------- */

/* The cursor is the last date_added returned and a MAC that binds it to
 * the caller, the collection, the endpoint, the object and the filters. */
static void cursor_mac(const struct vg_taxii *t, const struct vg_coll_view *c,
		       int kind, const char *oid, const struct vg_buf *canon,
		       int64_t last, unsigned char mac[16])
{
	crypto_generichash_state st;
	char head[160];
	int n = snprintf(head, sizeof(head), "%lld|%s|%d|%lld|",
			 (long long)t->sess->p.user, c->id, kind, (long long)last);
	crypto_generichash_init(&st, t->secret, 32, 16);
	crypto_generichash_update(&st, (const unsigned char *)head, (size_t)n);
	if (oid)
		crypto_generichash_update(&st, (const unsigned char *)oid,
					  strlen(oid));
	crypto_generichash_update(&st, (const unsigned char *)"|", 1);
	crypto_generichash_update(&st, (const unsigned char *)canon->data,
				  canon->len);
	crypto_generichash_final(&st, mac, 16);
}

static void cursor_make(const struct vg_taxii *t, const struct vg_coll_view *c,
			int kind, const char *oid, const struct vg_buf *canon,
			int64_t last, char out[50])
{
	unsigned char raw[24];
	for (int i = 0; i < 8; i++)
		raw[i] = (unsigned char)((uint64_t)last >> (56 - 8 * i));
	cursor_mac(t, c, kind, oid, canon, last, raw + 8);
	vg__hex(raw, sizeof(raw), out);
}

static int cursor_read(const struct vg_taxii *t, const struct vg_coll_view *c,
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
		rc = vg_buf_printf(p->out,
				   "{\"id\":\"%s\",\"date_added\":\"%s\","
				   "\"version\":",
				   r->id, t);
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

int vg_taxii_page(const struct vg_taxii *t, const struct vg_coll_view *c,
		  enum vg_taxii_page kind, const char *object_id,
		  const struct vg_taxii_filter *f, struct vg_buf *out,
		  struct vg_page_info *info, char *err, size_t errlen)
{
	struct vg_buf canon, detail;
	int64_t after = f->added_after;
	int rc;
	vg_buf_init(&canon, 0);
	vg_buf_init(&detail, 0);
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
	const char *one = object_id;
	struct vg_query q = {
		.collection = c->id,
		.who = &t->sess->p,
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
	};
	struct page p = {
		.kind = kind,
		.out = out,
		.limit = f->limit ? f->limit : DEFAULT_LIMIT,
	};
	q.limit = p.limit + 1;
	q.slim = 1;
	rc = t->store->ops->scan(t->store, &q, page_row, &p);
	if (rc == 1)
		rc = VG_OK;
	if (rc)
		goto out;
	/* the read is on record before anything of it leaves */
	rc = vg_buf_printf(&detail, "{\"collection\":\"%s\",\"count\":%zu,"
				    "\"filter\":",
			   c->id, p.n);
	if (!rc)
		rc = vg_buf_json_str(&detail, canon.data);
	if (!rc)
		rc = vg_buf_putc(&detail, '}');
	static const char *const actions[] = {
		"objects.read", "manifest.read", "versions.read", "object.read",
	};
	if (!rc)
		rc = vg_taxii_audit(t, actions[kind], object_id ? object_id : c->id,
				    detail.data);
	if (rc)
		goto out;
	if ((kind == VG_PAGE_OBJECT || kind == VG_PAGE_VERSIONS) && !p.n &&
	    !f->next[0] && !after) {
		rc = VG_ENOTFOUND;
		goto out;
	}
	rc = vg_buf_printf(out, "%s\"more\":%s", p.n ? "]," : "{",
			   p.more ? "true" : "false");
	if (!rc && p.more) {
		char cur[50];
		cursor_make(t, c, kind, object_id, &canon, p.last, cur);
		rc = vg_buf_printf(out, ",\"next\":\"%s\"", cur);
	}
	if (!rc)
		rc = vg_buf_putc(out, '}');
	info->first = p.first;
	info->last = p.last;
	info->count = p.n;
out:
	vg_buf_release(&canon);
	vg_buf_release(&detail);
	return rc;
}
