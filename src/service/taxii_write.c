/* TAXII 2.1 writes (objects.h): adding an envelope's objects with its
 * status resource, deleting an object, reading a status. Parsing and
 * validation run on the caller's thread; each write is one job of the
 * group-commit writer, with its audit entry. */
#include "ingest_int.h"
#include "service_int.h"
#include "taxii_int.h"
#include "fed_int.h"
#include "vigil/service/objects.h"
#include "vigil/stix/stix.h"
#include "vigil/util/error.h"
#include "vigil/util/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A status lists at most this many failures (the first ones, in input
 * order); failure_count stays exact. Successes are bounded by the
 * objects an envelope may hold. */
#define MAX_LISTED_FAILURES 1000
/* ids and versions in a status are cut at this many bytes: a valid id has
 * at most 288, a rejected object's may be as long as the body */
#define MAX_ITEM_TEXT 300

struct add_job {
	struct vg_ctx *c;
	const struct vg_coll_view *coll;
	struct vg_ingest *g; /* the envelope, parsed and validated */
	struct vg_buf ok, failed; /* status list items */
	struct vg_jw wok, wfailed;
	size_t listed_failures;
	struct vg_ingest_counts counts;
	struct vg_buf *out;
};

static int item(struct vg_jw *w, const struct vg_ingest_result *r,
		const char *message)
{
	vg_jw_obj(w);
	vg_jw_key(w, "id");
	vg_jw_strn(w, r->id ? r->id : "", MAX_ITEM_TEXT);
	if (r->modified) {
		vg_jw_key(w, "version");
		vg_jw_strn(w, r->modified, MAX_ITEM_TEXT);
	}
	if (message)
		vg_jw_kstr(w, "message", message);
	vg_jw_close(w);
	return w->rc;
}

static int on_result(void *ud, const struct vg_ingest_result *r)
{
	struct add_job *j = ud;
	switch (r->outcome) {
	case VG_INGEST_ACCEPTED:
		return item(&j->wok, r, NULL);
	case VG_INGEST_DUPLICATE:
		return item(&j->wok, r, "already present");
	case VG_INGEST_REJECTED:
		if (j->listed_failures == MAX_LISTED_FAILURES)
			return VG_OK; /* counted, not listed */
		j->listed_failures++;
		return item(&j->wfailed, r, r->message);
	}
	return VG_OK;
}

/* The writer's part: store the validated objects, the status resource
 * and the audit entry in one transaction. */
static int add_fn(struct vg_store *s, void *arg)
{
	struct add_job *j = arg;
	struct vg_ctx *c = j->c;
	/* a retried transaction starts its lists again */
	vg_buf_reset(&j->ok);
	vg_buf_reset(&j->failed);
	j->listed_failures = 0;
	vg_jw_init(&j->wok, &j->ok);
	vg_jw_init(&j->wfailed, &j->failed);
	vg_jw_arr(&j->wok);
	vg_jw_arr(&j->wfailed);
	int rc = vg_ingest_apply(s, j->g, &j->counts);
	vg_jw_close(&j->wok);
	vg_jw_close(&j->wfailed);
	if (!rc)
		rc = vg_jw_end(&j->wok);
	if (!rc)
		rc = vg_jw_end(&j->wfailed);
	if (rc)
		return rc;

	/* the status resource, stored with the objects */
	char id[37], ts[VG_TIME_LEN];
	int64_t now = vg__now_us();
	struct vg_jw w;
	vg__uuid4(id);
	vg_time_format_us(now, ts);
	size_t ok = j->counts.accepted + j->counts.duplicates;
	size_t total = ok + j->counts.rejected;
	vg_buf_reset(j->out);
	vg_jw_init(&w, j->out);
	vg_jw_obj(&w);
	vg_jw_kstr(&w, "id", id);
	vg_jw_kstr(&w, "status", "complete");
	vg_jw_kstr(&w, "request_timestamp", ts);
	vg_jw_kint(&w, "total_count", (int64_t)total);
	vg_jw_kint(&w, "success_count", (int64_t)ok);
	vg_jw_key(&w, "successes");
	vg_jw_raw(&w, j->ok.data, j->ok.len);
	vg_jw_kint(&w, "failure_count", (int64_t)j->counts.rejected);
	vg_jw_key(&w, "failures");
	vg_jw_raw(&w, j->failed.data, j->failed.len);
	vg_jw_kint(&w, "pending_count", 0);
	vg_jw_key(&w, "pendings");
	vg_jw_arr(&w);
	vg_jw_close(&w);
	vg_jw_close(&w);
	rc = vg_jw_end(&w);
	if (!rc)
		rc = s->ops->objects->status_put(s, id, c->p.user, now, j->out->data);
	if (!rc) {
		struct vg__detail d;
		vg__detail_begin(&d);
		vg_jw_kstr(&d.w, "collection", j->coll->id);
		vg_jw_kstr(&d.w, "status", id);
		vg_jw_kint(&d.w, "accepted", (int64_t)j->counts.accepted);
		vg_jw_kint(&d.w, "duplicates", (int64_t)j->counts.duplicates);
		vg_jw_kint(&d.w, "rejected", (int64_t)j->counts.rejected);
		const char *detail = vg__detail_end(&d);
		rc = detail ? vg__audit(s, c, "objects.add", j->coll->id, detail)
			    : VG_ENOMEM;
		vg__detail_release(&d);
	}
	/* statuses older than their time to live go with this write */
	if (!rc)
		rc = s->ops->objects->status_expire(s, now - c->svc->conf.status_ttl_us);
	return rc;
}

static int take_identity(void *ud, const struct vg_org *o)
{
	snprintf(ud, 128, "%s", o->identity);
	return 0;
}

static int refused(struct vg_ctx *c, const char *coll, const char *why)
{
	struct vg__detail d;
	vg__detail_begin(&d);
	vg_jw_kstr(&d.w, "collection", coll);
	vg_jw_kstr(&d.w, "refused", why);
	const char *detail = vg__detail_end(&d);
	int rc = detail ? vg__audit_now(c, "objects.add", coll, detail) : VG_ENOMEM;
	vg__detail_release(&d);
	return rc;
}

int vg_taxii_add(struct vg_ctx *c, const char *coll, const char *body,
		 size_t len, struct vg_buf *out, struct vg_ingest_counts *counts,
		 char *err, size_t errlen)
{
	struct vg_store *s = vg__reader(c->svc);
	struct vg_coll_view cv;
	struct add_job j = {.c = c, .coll = &cv, .out = out};
	size_t i = 0;
	int rc;
	/* the collection first: one the caller may not see is 404, as one
	 * that does not exist */
	if (!c->authenticated)
		return vg__require(c, VG_ACT_WRITE, "objects.add");
	if (!s)
		return VG_ESTORE;
	if ((rc = vg__taxii_collection(c, s, coll, &cv))) {
		snprintf(err, errlen, "no such collection");
		return rc;
	}
	if (!cv.can_write) {
		snprintf(err, errlen, "no write access to this collection");
		return vg__require(c, VG_ACT_WRITE, "objects.add");
	}
	/* a partner hub's objects are stored by the sync rules */
	if (!strncmp(c->org_name, "hub:", 4) && !c->p.operator) {
		struct vg__partner *p = malloc(sizeof(*p));
		rc = p ? vg__partner_of_org(s, c->p.org, p) : VG_ENOMEM;
		free(p);
		if (!rc)
			return vg__fed_add(c, &cv, body, len, out, counts, err,
					   errlen);
		if (rc != VG_ENOTFOUND)
			return rc;
	}
	/* what the poster creates names the poster's organisation */
	char creator[128] = "";
	if ((rc = s->ops->hub->org_find(s, NULL, c->p.org, take_identity,
					creator)))
		return rc;
	struct vg_ingest_opts o = {
		.collection = cv.id,
		.owner = c->p.org,
		.creator = creator,
		.scope = cv.scope,
		.grp = cv.grp,
		.level_markings = c->svc->hub.level_ptrs,
		.n_levels = c->svc->hub.n_levels,
		.envelope = 1,
		.max_objects = c->svc->conf.max_envelope_objects,
		.svc = c->svc,
		.on_result = on_result,
		.ud = &j,
	};
	vg_buf_init(&j.ok, 0);
	vg_buf_init(&j.failed, 0);
	/* parsing and validation happen here, on the request's thread, so
	 * the writer only stores */
	while (i < len && strchr(" \t\r\n", body[i]))
		i++;
	if (i == len || body[i] != '{') {
		snprintf(err, errlen, "the body is not a TAXII envelope "
				      "(a JSON object with 'objects')");
		rc = VG_EINVAL;
	}
	if (!rc) {
		char perr[520] = "";
		rc = vg_ingest_prepare(body, len, &o, &j.g, perr, sizeof(perr));
		if (rc == VG_EJSON || rc == VG_ETOOBIG) {
			snprintf(err, errlen, "the body is not valid JSON: %.500s",
				 perr);
			rc = VG_EINVAL;
		} else if (rc == VG_ETOOMANY) {
			/* refused where the parse stopped */
			snprintf(err, errlen, "the envelope holds %s, the most "
					      "this hub takes in one request",
				 perr);
		}
	}
	if (!rc && (vg_ingest_bare(j.g) == 2 ||
		    (!vg_ingest_bare(j.g) && !vg_ingest_was_container(j.g)))) {
		snprintf(err, errlen, "the body is not a TAXII envelope "
				      "(a JSON object with 'objects')");
		rc = VG_EINVAL;
	}
	if (!rc)
		rc = vg__write(c->svc, add_fn, &j);
	if (!rc && counts)
		*counts = j.counts;
	if (rc == VG_EINVAL || rc == VG_ETOOMANY) {
		/* a refused body is on record too */
		int a = refused(c, cv.id, rc == VG_EINVAL ? "not an envelope"
							  : "too many objects");
		if (a)
			rc = a;
	}
	vg_ingest_abort(j.g);
	vg_buf_release(&j.ok);
	vg_buf_release(&j.failed);
	return rc;
}

struct del_job {
	struct vg_ctx *c;
	const struct vg_coll_view *coll;
	struct vg_query q;
	const char *id;
	int64_t visible, own, deleted;
	int identity;
};

static int count_rows(void *ud, const struct vg_row *r)
{
	struct del_job *j = ud;
	j->visible++;
	if (r->owner == j->c->p.org)
		j->own++;
	j->identity |= !strcmp(r->type, "identity");
	return 0;
}

struct remaining {
	struct vg_stored_version *v;
	size_t n, cap;
	char **strs;
	int rc;
};

static int keep_version(void *ud, const struct vg_stored_version *v)
{
	struct remaining *r = ud;
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		struct vg_stored_version *nv = realloc(r->v, cap * sizeof(*nv));
		char **ns = realloc(r->strs, cap * 2 * sizeof(*ns));
		if (nv)
			r->v = nv;
		if (ns)
			r->strs = ns;
		if (!nv || !ns)
			return VG_ENOMEM;
		r->cap = cap;
	}
	char *coll = strdup(v->collection), *ver = strdup(v->version);
	r->strs[2 * r->n] = coll;
	r->strs[2 * r->n + 1] = ver;
	r->v[r->n] = *v;
	r->v[r->n].collection = coll ? coll : "";
	r->v[r->n].version = ver ? ver : "";
	r->n++;
	return coll && ver ? 0 : VG_ENOMEM;
}

static void remaining_release(struct remaining *r)
{
	for (size_t i = 0; i < 2 * r->n; i++)
		free(r->strs[i]);
	free(r->strs);
	free(r->v);
}

/* An organisation deletes its own copies; what others hold of the same
 * object stays theirs. Nothing of its own but something visible: 403.
 * The newest remaining version in the collection becomes the latest. */
static int del_fn(struct vg_store *s, void *arg)
{
	struct del_job *j = arg;
	struct remaining left = {0};
	j->visible = j->own = 0;
	j->q.owner = 0;
	int rc = s->ops->objects->scan(s, &j->q, count_rows, j);
	if (rc)
		return rc;
	if (!j->visible)
		return VG_ENOTFOUND;
	j->own = 0;
	j->q.owner = j->c->p.org;
	rc = s->ops->objects->scan(s, &j->q, count_rows, j);
	if (rc)
		return rc;
	if (!j->own)
		return VG_EDENIED;
	/* an owned id stays its owner's after its rows are gone */
	int64_t owner;
	rc = vg__owner_register(s, j->id, &owner);
	/* a deletion by the origin travels as its signed tombstone */
	if (!rc)
		rc = vg__fed_deleting(j->c, s, &j->q);
	if (!rc)
		rc = s->ops->objects->remove(s, &j->q, &j->deleted);
	if (!rc && j->identity)
		rc = vg__generation_move(s);
	if (!rc)
		rc = s->ops->objects->versions(s, j->id, keep_version, &left);
	if (!rc)
		rc = s->ops->objects->set_latest(
			s, j->id, j->coll->id,
			vg_version_newest(left.v, left.n, j->coll->id));
	remaining_release(&left);
	if (!rc) {
		struct vg__detail d;
		vg__detail_begin(&d);
		vg_jw_kstr(&d.w, "collection", j->coll->id);
		vg_jw_kint(&d.w, "deleted", j->deleted);
		const char *detail = vg__detail_end(&d);
		rc = detail ? vg__audit(s, j->c, "object.delete", j->id, detail)
			    : VG_ENOMEM;
		vg__detail_release(&d);
	}
	return rc;
}

int vg_taxii_delete(struct vg_ctx *c, const char *coll, const char *object_id,
		    const struct vg_taxii_filter *f, char *err, size_t errlen)
{
	struct vg_store *s = vg__reader(c->svc);
	struct vg_coll_view cv;
	struct vg_access_expr vis;
	const char *one = object_id;
	int rc;
	if (!c->authenticated)
		return vg__require(c, VG_ACT_WRITE, "object.delete");
	if (!s)
		return VG_ESTORE;
	if ((rc = vg__taxii_collection(c, s, coll, &cv))) {
		snprintf(err, errlen, "no such collection");
		return rc;
	}
	if (!(cv.can_read && cv.can_write))
		return vg__require(c, VG_ACT_WRITE, "object.delete");
	vg_access_expr(&c->p, &vis);
	struct del_job j = {
		.c = c,
		.coll = &cv,
		.id = object_id,
		.q = {
			.collection = cv.id,
			.visible = &vis,
			.ids = &one,
			.n_ids = 1,
			.versions = f->versions ? f->versions : VG_VERSIONS_ALL,
			.version_keys = (const char *const *)f->version_keys,
			.n_version_keys = f->n_version_keys,
			.spec_versions = (const char *const *)f->spec_versions,
			.n_spec_versions = f->n_spec_versions,
		},
	};
	rc = vg__write(c->svc, del_fn, &j);
	if (rc == VG_ENOTFOUND)
		snprintf(err, errlen, "no such object");
	if (rc == VG_ENOTFOUND || rc == VG_EDENIED) {
		struct vg__detail d;
		vg__detail_begin(&d);
		vg_jw_kstr(&d.w, "collection", cv.id);
		vg_jw_kstr(&d.w, "refused", rc == VG_ENOTFOUND ? "not found"
							       : "not the owner");
		const char *detail = vg__detail_end(&d);
		int a = detail ? vg__audit_now(c, "object.delete", object_id, detail)
			       : VG_ENOMEM;
		vg__detail_release(&d);
		if (a)
			return a;
	}
	return rc;
}

int vg_taxii_status(struct vg_ctx *c, const char *id, struct vg_buf *out)
{
	struct vg_store *s = vg__reader(c->svc);
	char *json = NULL;
	int rc_read = vg__may_read(c, "status.read");
	if (rc_read)
		return rc_read;
	if (!s)
		return VG_ESTORE;
	int64_t not_before = vg__now_us() - c->svc->conf.status_ttl_us;
	int rc = s->ops->objects->status_get(s, id, c->p.user, not_before, &json);
	if (!rc)
		rc = vg_buf_puts(out, json);
	free(json);
	if (!rc || rc == VG_ENOTFOUND) {
		int a = vg__audit_read(c, "status.read", id,
				       rc ? "{\"found\":false}" : "{\"found\":true}");
		if (a)
			rc = a;
	}
	return rc;
}
