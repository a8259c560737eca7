/* The reads and imports of the vigil command (objects.h): get, export,
 * import, statistics, the consistency check, and what /metrics shows.
 * Each is checked and audited like the same read over the API. */
#include "ingest_int.h"
#include "service_int.h"
#include "readcache.h"
#include "vigil/service/objects.h"
#include "vigil/util/error.h"

#include <stdio.h>
#include <string.h>

struct emit {
	vg_json_cb cb;
	void *ud;
	size_t n;
};

static int emit_row(void *ud, const struct vg_row *r)
{
	struct emit *e = ud;
	e->n++;
	return e->cb(e->ud, r->json, r->json_len);
}

/* The entry of a read that is done: what and how many. */
static int read_done(struct vg_ctx *c, const char *action, const char *target,
		     size_t n)
{
	struct vg__detail d;
	vg__detail_begin(&d);
	vg_jw_kint(&d.w, "count", (int64_t)n);
	const char *detail = vg__detail_end(&d);
	int rc = detail ? vg__audit_now(c, action, target, detail) : VG_ENOMEM;
	vg__detail_release(&d);
	return rc;
}

static int count_row(void *ud, const struct vg_row *r)
{
	(void)r;
	(*(size_t *)ud)++;
	return 0;
}

/* A read is on record before anything of it is handed over: one id is
 * counted first (cheap), then the entry, then the rows. */
int vg_objects_get(struct vg_ctx *c, const char *id, int all_versions,
		   vg_json_cb cb, void *ud, size_t *n)
{
	struct vg_store *s = vg__reader(c->svc);
	struct vg_access_expr vis;
	struct emit e = {cb, ud, 0};
	int rc = vg__require(c, VG_ACT_READ, "object.read");
	if (rc)
		return rc;
	if (!s)
		return VG_ESTORE;
	vg_access_expr(&c->p, &vis);
	struct vg_query q = {
		.visible = &vis,
		.ids = &id,
		.n_ids = 1,
		.versions = all_versions ? VG_VERSIONS_ALL : VG_VERSIONS_LAST,
	};
	size_t count = 0;
	rc = s->ops->objects->scan(s, &q, count_row, &count);
	if (!rc)
		rc = read_done(c, "object.read", id, count);
	if (!rc && count)
		rc = s->ops->objects->scan(s, &q, emit_row, &e);
	*n = e.n;
	return rc;
}

int vg_objects_export(struct vg_ctx *c, const struct vg_export_filter *f,
		      vg_json_cb cb, void *ud, size_t *n)
{
	struct vg_store *s = vg__reader(c->svc);
	struct vg_access_expr vis;
	struct emit e = {cb, ud, 0};
	int rc = vg__require(c, VG_ACT_READ, "objects.export");
	if (rc)
		return rc;
	if (!s)
		return VG_ESTORE;
	vg_access_expr(&c->p, &vis);
	struct vg_query q = {
		.visible = &vis,
		.types = f->types,
		.n_types = f->n_types,
		.ids = f->ids,
		.n_ids = f->n_ids,
		.added_after = f->added_after,
		.versions = f->all_versions ? VG_VERSIONS_ALL : VG_VERSIONS_LAST,
	};
	/* the export is on record, with its filter, before it is written */
	struct vg__detail d;
	vg__detail_begin(&d);
	vg_jw_key(&d.w, "types");
	vg_jw_arr(&d.w);
	for (size_t i = 0; i < f->n_types; i++)
		vg_jw_str(&d.w, f->types[i]);
	vg_jw_close(&d.w);
	vg_jw_key(&d.w, "ids");
	vg_jw_arr(&d.w);
	for (size_t i = 0; i < f->n_ids; i++)
		vg_jw_str(&d.w, f->ids[i]);
	vg_jw_close(&d.w);
	vg_jw_kint(&d.w, "added_after", f->added_after);
	vg_jw_kbool(&d.w, "all_versions", f->all_versions);
	const char *detail = vg__detail_end(&d);
	rc = detail ? vg__audit_now(c, "objects.export", "", detail) : VG_ENOMEM;
	vg__detail_release(&d);
	if (!rc)
		rc = s->ops->objects->scan(s, &q, emit_row, &e);
	*n = e.n;
	return rc;
}

struct import_job {
	struct vg_ctx *c;
	const char *name, *coll;
	int fd;
	struct vg_ingest_opts o;
	struct vg_ingest_counts counts;
	char *err;
	size_t errlen;
};

static int import_fn(struct vg_store *s, void *arg)
{
	struct import_job *j = arg;
	int rc = vg_ingest_fd(s, j->fd, &j->o, &j->counts, j->err, j->errlen);
	if (rc)
		return rc;
	struct vg__detail d;
	vg__detail_begin(&d);
	vg_jw_kstr(&d.w, "collection", j->o.collection);
	vg_jw_kint(&d.w, "accepted", (int64_t)j->counts.accepted);
	vg_jw_kint(&d.w, "duplicates", (int64_t)j->counts.duplicates);
	vg_jw_kint(&d.w, "rejected", (int64_t)j->counts.rejected);
	if (j->o.convert_20)
		vg_jw_kint(&d.w, "converted", (int64_t)j->counts.converted);
	const char *detail = vg__detail_end(&d);
	rc = detail ? vg__audit(s, j->c, "objects.import", j->name, detail)
		    : VG_ENOMEM;
	vg__detail_release(&d);
	return rc;
}

int vg_objects_import(struct vg_ctx *c, const char *coll, const char *name,
		      int fd, const struct vg_ingest_opts *o,
		      struct vg_ingest_counts *counts, char *err, size_t errlen)
{
	struct vg_store *s = vg__reader(c->svc);
	char id[40];
	struct import_job j = {.c = c, .name = name, .coll = coll, .fd = fd,
			       .err = err, .errlen = errlen};
	/* an import is the operator's: it writes as the collection's
	 * organisation, which no user of the API may claim */
	if (!c->p.operator)
		return vg__deny(c, "operator", "objects.import");
	if (!s)
		return VG_ESTORE;
	int rc = vg__collection_target(c->svc, s, coll, &j.o, id);
	if (rc) {
		snprintf(err, errlen, "no collection '%s' in this hub", coll);
		return rc;
	}
	j.o.on_result = o->on_result;
	j.o.on_progress = o->on_progress;
	j.o.ud = o->ud;
	j.o.convert_20 = o->convert_20;
	j.o.in_transaction = 1;
	j.o.pipeline = 1;
	rc = vg__write_alone(c->svc, import_fn, &j);
	if (!rc)
		*counts = j.counts;
	return rc;
}

int vg_objects_stats(struct vg_ctx *c, vg_type_stats_cb cb, void *ud,
		     int64_t *bytes)
{
	struct vg_store *s = vg__reader(c->svc);
	/* counts of everything stored, whoever may read it: the operator's */
	if (!c->p.operator)
		return vg__deny(c, "operator", "stats.read");
	if (!s)
		return VG_ESTORE;
	int rc = vg__audit_now(c, "stats.read", "", "{}");
	if (!rc)
		rc = s->ops->objects->type_stats(s, cb, ud);
	if (!rc)
		rc = s->ops->size(s, bytes);
	return rc;
}

int vg_objects_check(struct vg_ctx *c, char *err, size_t errlen)
{
	struct vg_store *s = vg__reader(c->svc);
	if (!c->p.operator)
		return vg__deny(c, "operator", "store.check");
	if (!s)
		return VG_ESTORE;
	int rc = s->ops->check(s);
	if (rc)
		snprintf(err, errlen, "%s", vg_store_errmsg(s));
	int a = vg__audit_now(c, "store.check", "", rc ? "{\"ok\":false}"
						   : "{\"ok\":true}");
	return rc ? rc : a;
}

struct count {
	long long objects, versions;
};

static int add_type(void *ud, const struct vg_type_stats *t)
{
	struct count *c = ud;
	c->objects += t->objects;
	c->versions += t->versions;
	return 0;
}

int vg_metrics_read(struct vg_ctx *c, struct vg_hub_counts *out)
{
	struct vg_store *s = vg__reader(c->svc);
	struct count n = {0};
	if (!vg_principal_allows(&c->p, VG_ACT_AUDIT) &&
	    !vg_principal_allows(&c->p, VG_ACT_HUB_ADMIN))
		return vg__deny(c, "hub-admin or audit", "metrics.read");
	int rc = vg_ctx_purpose(c);
	if (rc)
		return rc;
	if (!s)
		return VG_ESTORE;
	rc = s->ops->objects->type_stats(s, add_type, &n);
	if (!rc)
		rc = vg__audit_read(c, "metrics.read", "", "{}");
	out->objects = n.objects;
	out->versions = n.versions;
	vg_writer_counts(c->svc->writer, &out->commits, &out->jobs);
	if ((out->read_cache = c->svc->rcache != NULL))
		vg__rcache_counts(c->svc->rcache, &out->cache_hits,
				  &out->cache_misses, &out->cache_stale);
	return rc;
}

/* ---- collections as ingest targets ----------------------------------- */

struct target {
	char id[40];
	int scope;
	int64_t org, grp;
};

static int take_target(void *ud, const struct vg_collection *c)
{
	struct target *t = ud;
	snprintf(t->id, sizeof(t->id), "%s", c->id);
	t->scope = c->scope;
	t->org = c->org;
	t->grp = c->grp;
	return 0;
}

int vg__collection_target(struct vg_service *svc, struct vg_store *s,
			  const char *coll, struct vg_ingest_opts *o,
			  char id_out[40])
{
	struct target t;
	int rc = s->ops->sharing->collection_find(s, coll, take_target, &t);
	if (rc)
		return rc;
	memcpy(id_out, t.id, 40);
	memset(o, 0, sizeof(*o));
	o->collection = id_out;
	o->scope = t.scope;
	o->grp = t.grp;
	o->owner = t.org ? t.org : svc->hub.org;
	o->level_markings = svc->hub.level_ptrs;
	o->n_levels = svc->hub.n_levels;
	o->svc = svc;
	return VG_OK;
}
