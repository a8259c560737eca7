/* TAXII 2.1 writes: adding an envelope's objects (with its status
 * resource), deleting an object, reading a status. Each write is one job
 * of the group-commit writer, with its audit entry. */
#include "service_int.h"
#include "vigil/util/error.h"
#include "vigil/stix/stix.h"
#include "vigil/service/taxii.h"
#include "vigil/util/timefmt.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct add_job {
	const struct vg_taxii *t;
	const struct vg_coll_view *c;
	struct vg_ingest *g; /* the envelope, parsed and validated */
	struct vg_buf ok, failed; /* status list items */
	struct vg_ingest_counts counts;
	struct vg_buf *out;
	char err[600];
};

static int item(struct vg_buf *b, const struct vg_ingest_result *r,
		const char *message)
{
	int rc = vg_buf_puts(b, b->len ? ",{\"id\":" : "{\"id\":");
	if (!rc)
		rc = vg_buf_json_str(b, r->id ? r->id : "");
	if (!rc && r->modified) {
		rc = vg_buf_puts(b, ",\"version\":");
		if (!rc)
			rc = vg_buf_json_str(b, r->modified);
	}
	if (!rc && message) {
		rc = vg_buf_puts(b, ",\"message\":");
		if (!rc)
			rc = vg_buf_json_str(b, message);
	}
	return rc ? rc : vg_buf_putc(b, '}');
}

static int on_result(void *ud, const struct vg_ingest_result *r)
{
	struct add_job *j = ud;
	switch (r->outcome) {
	case VG_INGEST_ACCEPTED:
		return item(&j->ok, r, NULL);
	case VG_INGEST_DUPLICATE:
		return item(&j->ok, r, "already present");
	case VG_INGEST_REJECTED:
		return item(&j->failed, r, r->message);
	}
	return VG_OK;
}

/* The writer's part: store the validated objects, the status resource
 * and the audit entry in one transaction. */
static int add_fn(struct vg_store *s, void *arg)
{
	struct add_job *j = arg;
	const struct vg_taxii *t = j->t;
	vg_buf_reset(&j->ok);
	vg_buf_reset(&j->failed);
	int rc = vg_ingest_apply(s, j->g, &j->counts);
	if (rc)
		return rc;

	/* the status resource, stored with the objects */
	unsigned char rnd[16];
	char id[37], ts[VG_TIME_LEN];
	int64_t now = vg__now_us();
	randombytes_buf(rnd, sizeof(rnd));
	vg_uuid_v4(rnd, id);
	vg_time_format_us(now, ts);
	size_t ok = j->counts.accepted + j->counts.duplicates;
	size_t total = ok + j->counts.rejected;
	struct vg_buf *out = j->out;
	vg_buf_reset(out);
	rc = vg_buf_printf(out,
			   "{\"id\":\"%s\",\"status\":\"complete\","
			   "\"request_timestamp\":\"%s\",\"total_count\":%zu,"
			   "\"success_count\":%zu,\"successes\":[",
			   id, ts, total, ok);
	if (!rc)
		rc = vg_buf_append(out, j->ok.data, j->ok.len);
	if (!rc)
		rc = vg_buf_printf(out, "],\"failure_count\":%zu,\"failures\":[",
				   j->counts.rejected);
	if (!rc)
		rc = vg_buf_append(out, j->failed.data, j->failed.len);
	if (!rc)
		rc = vg_buf_puts(out, "],\"pending_count\":0,\"pendings\":[]}");
	if (!rc)
		rc = s->ops->hub->status_put(s, id, t->sess->p.user, now, out->data);
	if (!rc) {
		char detail[300];
		snprintf(detail, sizeof(detail),
			 "{\"collection\":\"%s\",\"status\":\"%s\",\"accepted\":%zu,"
			 "\"duplicates\":%zu,\"rejected\":%zu}",
			 j->c->id, id, j->counts.accepted, j->counts.duplicates,
			 j->counts.rejected);
		rc = vg__audit_request(s, t, "objects.add", j->c->id, detail);
	}
	/* statuses older than their time to live go with this write */
	if (!rc && t->status_ttl_us)
		rc = s->ops->hub->status_expire(s, now - t->status_ttl_us);
	return rc;
}

int vg_taxii_add(const struct vg_taxii *t, const struct vg_coll_view *c,
		 const char *body, size_t len, struct vg_buf *out,
		 struct vg_ingest_counts *counts, char *err, size_t errlen)
{
	struct add_job j = {.t = t, .c = c, .out = out};
	struct vg_ingest_opts o = {
		.collection = c->id,
		.owner = t->sess->p.org,
		.scope = c->scope,
		.grp = c->grp,
		.level_markings = t->level_markings,
		.n_levels = t->n_levels,
		.envelope = 1,
		.on_result = on_result,
		.ud = &j,
	};
	size_t i = 0;
	int rc = VG_OK;
	vg_buf_init(&j.ok, 0);
	vg_buf_init(&j.failed, 0);
	/* parsing and validation happen here, on the request's thread, so
	 * the writer only stores */
	while (i < len && strchr(" \t\r\n", body[i]))
		i++;
	if (i == len || body[i] != '{') {
		snprintf(j.err, sizeof(j.err), "the body is not a TAXII envelope "
					       "(a JSON object with 'objects')");
		rc = VG_EINVAL;
	}
	if (!rc) {
		char perr[520] = "";
		rc = vg_ingest_prepare(body, len, &o, &j.g, perr, sizeof(perr));
		if (rc == VG_EJSON || rc == VG_ETOOBIG) {
			snprintf(j.err, sizeof(j.err),
				 "the body is not valid JSON: %.500s", perr);
			rc = VG_EINVAL;
		}
	}
	if (!rc && (vg_ingest_bare(j.g) == 2 ||
		    (!vg_ingest_bare(j.g) && !vg_ingest_was_container(j.g)))) {
		snprintf(j.err, sizeof(j.err), "the body is not a TAXII envelope "
					       "(a JSON object with 'objects')");
		rc = VG_EINVAL;
	}
	if (!rc)
		rc = vg_writer_run(t->writer, add_fn, &j);
	if (!rc && counts)
		*counts = j.counts;
	if (rc == VG_EINVAL) {
		snprintf(err, errlen, "%s", j.err);
		/* a refused body is on record too */
		char detail[200];
		snprintf(detail, sizeof(detail),
			 "{\"collection\":\"%s\",\"refused\":\"not an envelope\"}",
			 c->id);
		int a = vg_taxii_audit(t, "objects.add", c->id, detail);
		if (a)
			rc = a;
	}
	vg_ingest_abort(j.g);
	vg_buf_release(&j.ok);
	vg_buf_release(&j.failed);
	return rc;
}

struct del_job {
	const struct vg_taxii *t;
	const struct vg_coll_view *c;
	struct vg_query q;
	int64_t visible, own, deleted;
};

static int count_rows(void *ud, const struct vg_row *r)
{
	struct del_job *j = ud;
	j->visible++;
	if (r->owner == j->t->sess->p.org)
		j->own++;
	return 0;
}

/* An organisation deletes its own copies; what others hold of the same
 * object stays theirs. Nothing of its own but something visible: 403. */
static int del_fn(struct vg_store *s, void *arg)
{
	struct del_job *j = arg;
	int rc = s->ops->scan(s, &j->q, count_rows, j);
	if (rc)
		return rc;
	if (!j->visible)
		return VG_ENOTFOUND;
	j->own = 0;
	j->q.owner = j->t->sess->p.org;
	rc = s->ops->scan(s, &j->q, count_rows, j);
	if (rc)
		return rc;
	if (!j->own)
		return VG_EDENIED;
	rc = s->ops->delete_objects(s, &j->q, &j->deleted);
	if (!rc) {
		char detail[200];
		snprintf(detail, sizeof(detail),
			 "{\"collection\":\"%s\",\"deleted\":%lld}", j->c->id,
			 (long long)j->deleted);
		rc = vg__audit_request(s, j->t, "object.delete", j->q.ids[0],
				       detail);
	}
	return rc;
}

int vg_taxii_delete(const struct vg_taxii *t, const struct vg_coll_view *c,
		    const char *object_id, const struct vg_taxii_filter *f)
{
	const char *one = object_id;
	struct del_job j = {
		.t = t,
		.c = c,
		.q = {
			.collection = c->id,
			.who = &t->sess->p,
			.ids = &one,
			.n_ids = 1,
			.versions = f->versions ? f->versions : VG_VERSIONS_ALL,
			.version_keys = (const char *const *)f->version_keys,
			.n_version_keys = f->n_version_keys,
			.spec_versions = (const char *const *)f->spec_versions,
			.n_spec_versions = f->n_spec_versions,
		},
	};
	int rc = vg_writer_run(t->writer, del_fn, &j);
	if (rc == VG_ENOTFOUND || rc == VG_EDENIED) {
		char detail[200];
		snprintf(detail, sizeof(detail),
			 "{\"collection\":\"%s\",\"refused\":\"%s\"}", c->id,
			 rc == VG_ENOTFOUND ? "not found" : "not the owner");
		int a = vg_taxii_audit(t, "object.delete", object_id, detail);
		if (a)
			return a;
	}
	return rc;
}

int vg_taxii_status(const struct vg_taxii *t, const char *id,
		    struct vg_buf *out)
{
	char *json = NULL;
	int64_t not_before = t->status_ttl_us ? vg__now_us() - t->status_ttl_us : 0;
	int rc = t->store->ops->hub->status_get(t->store, id, t->sess->p.user,
						not_before, &json);
	if (!rc)
		rc = vg_buf_puts(out, json);
	free(json);
	if (!rc || rc == VG_ENOTFOUND) {
		int a = vg_taxii_audit(t, "status.read", id,
				       rc ? "{\"found\":false}" : "{\"found\":true}");
		if (a)
			rc = a;
	}
	return rc;
}
