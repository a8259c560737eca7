/* Ingest service: stream -> parse -> validate -> store, one transaction per
 * input, with an outcome reported for every object. */
#include "vigil/ingest.h"
#include "vigil/error.h"
#include "vigil/jstream.h"
#include "vigil/stix.h"
#include "service_int.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct vg_ingest {
	struct vg_store *store;
	struct vg_ingest_opts opts;
	struct vg_jstream *js;
	struct vg_ingest_counts counts;
	uint64_t bytes;
	int in_tx;
	char error[600];
};

static int report(struct vg_ingest *g, size_t index,
		  enum vg_ingest_outcome outcome, const char *id,
		  const char *modified, const char *message)
{
	switch (outcome) {
	case VG_INGEST_ACCEPTED: g->counts.accepted++; break;
	case VG_INGEST_DUPLICATE: g->counts.duplicates++; break;
	case VG_INGEST_REJECTED: g->counts.rejected++; break;
	}
	size_t total = g->counts.accepted + g->counts.duplicates +
		       g->counts.rejected;
	if (g->opts.on_progress && total % 1000 == 0)
		g->opts.on_progress(g->opts.ud, total, g->bytes);
	if (!g->opts.on_result)
		return VG_OK;
	struct vg_ingest_result r = {
		.index = index,
		.outcome = outcome,
		.id = id,
		.modified = modified,
		.message = message,
	};
	return g->opts.on_result(g->opts.ud, &r);
}

static const char *str_member(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* What happened to one object. */
struct outcome {
	enum vg_ingest_outcome what;
	const char *id;       /* into the parsed tree, or NULL */
	const char *modified; /* verbatim modified or created, or NULL */
	char msg[512];
};

static int classification(const cJSON *obj, const struct vg_ingest_opts *o)
{
	const cJSON *refs = cJSON_GetObjectItemCaseSensitive(obj,
							     "object_marking_refs");
	const cJSON *r;
	int level = 0;
	cJSON_ArrayForEach(r, refs)
	{
		for (size_t i = 0; cJSON_IsString(r) && i < o->n_levels; i++)
			if ((int)i > level && o->level_markings[i] &&
			    !strcmp(r->valuestring, o->level_markings[i]))
				level = (int)i;
	}
	return level;
}

/* Validate and store one object. Returns a store failure (which ends the
 * ingest); everything about the object itself goes into *out. obj is the
 * parsed json and stays owned by the caller. */
static int put_one(struct vg_store *s, const cJSON *obj, const char *json,
		   size_t len, const struct vg_ingest_opts *opts,
		   struct outcome *out)
{
	struct vg_stix_info info;
	enum vg_put_result put;
	out->what = VG_INGEST_REJECTED;
	out->id = str_member(obj, "id");
	out->modified = str_member(obj, "modified");
	if (!out->modified)
		out->modified = str_member(obj, "created");
	int rc = vg_stix_validate(obj, &info, out->msg, sizeof(out->msg));
	if (rc == VG_EINVAL)
		return VG_OK;
	if (rc)
		return rc;
	struct vg_object o = {
		.id = info.id,
		.type = info.type,
		.version = info.version,
		.created = info.created,
		.modified = info.modified,
		.spec_version = info.spec_version,
		.revoked = info.revoked,
		.collection = opts->collection,
		.owner = opts->owner,
		.scope = opts->scope,
		.grp = opts->grp,
		.tlp = (int)info.tlp,
		.classification = classification(obj, opts),
		.json = json,
		.json_len = len,
	};
	rc = s->ops->put_object(s, &o, &put);
	switch (rc) {
	case VG_OK:
		out->what = put == VG_PUT_DUPLICATE ? VG_INGEST_DUPLICATE
						    : VG_INGEST_ACCEPTED;
		out->msg[0] = '\0';
		return VG_OK;
	case VG_EREVOKED:
		snprintf(out->msg, sizeof(out->msg),
			 info.revoked ? "object '%s': $.revoked: a newer version "
					"is stored, so this one may not be revoked"
				      : "object '%s': $.modified: the stored "
					"version is revoked; no version may "
					"follow it",
			 info.id);
		return VG_OK;
	case VG_EDENIED:
		snprintf(out->msg, sizeof(out->msg),
			 "object '%s': $.id: belongs to another organisation; "
			 "only its owner may add versions",
			 info.id);
		return VG_OK;
	}
	return rc;
}

static int on_object(void *ud, const char *json, size_t len, size_t index)
{
	struct vg_ingest *g = ud;
	struct outcome out = {0};
	int rc;

	cJSON *obj = cJSON_ParseWithLength(json, len);
	if (!obj)
		return report(g, index, VG_INGEST_REJECTED, NULL, NULL,
			      "object '(no id)': $: cannot be parsed");
	if (!cJSON_IsObject(obj)) {
		cJSON_Delete(obj);
		return report(g, index, VG_INGEST_REJECTED, NULL, NULL,
			      "object '(no id)': $: is not a JSON object");
	}
	/* A bundle inside the input holds nothing more to store. */
	const char *type = str_member(obj, "type");
	if (type && !strcmp(type, "bundle") &&
	    !vg_jstream_is_container(g->js)) {
		cJSON_Delete(obj);
		return VG_OK;
	}
	rc = put_one(g->store, obj, json, len, &g->opts, &out);
	if (rc)
		snprintf(g->error, sizeof(g->error), "%s",
			 vg_store_errmsg(g->store));
	else
		rc = report(g, index, out.what, out.id, out.modified,
			    out.msg[0] ? out.msg : NULL);
	cJSON_Delete(obj);
	return rc;
}

int vg__store_json(struct vg_store *s, const char *json,
		   const struct vg_ingest_opts *o, char *err, size_t errlen)
{
	struct outcome out = {0};
	size_t len = strlen(json);
	cJSON *obj = cJSON_ParseWithLength(json, len);
	if (!obj)
		return VG_ENOMEM;
	int rc = put_one(s, obj, json, len, o, &out);
	if (!rc && out.what == VG_INGEST_REJECTED) {
		snprintf(err, errlen, "%s", out.msg);
		rc = VG_EINVAL;
	}
	cJSON_Delete(obj);
	return rc;
}

int vg_ingest_begin(struct vg_store *s, const struct vg_ingest_opts *o,
		    struct vg_ingest **out)
{
	struct vg_ingest *g = calloc(1, sizeof(*g));
	if (!g)
		return VG_ENOMEM;
	g->store = s;
	if (o)
		g->opts = *o;
	size_t max = g->opts.max_object ? g->opts.max_object : 16u << 20;
	g->js = vg_jstream_new(max, on_object, g);
	if (!g->js) {
		free(g);
		return VG_ENOMEM;
	}
	if (!g->opts.in_transaction) {
		int rc = s->ops->begin(s);
		if (rc) {
			vg_jstream_free(g->js);
			free(g);
			return rc;
		}
		g->in_tx = 1;
	}
	*out = g;
	return VG_OK;
}

int vg_ingest_feed(struct vg_ingest *g, const char *p, size_t n)
{
	g->bytes += n;
	int rc = vg_jstream_feed(g->js, p, n);
	if (rc && !g->error[0])
		snprintf(g->error, sizeof(g->error), "%s",
			 vg_jstream_error(g->js)[0] ? vg_jstream_error(g->js)
						    : vg_strerror(rc));
	return rc;
}

void vg_ingest_abort(struct vg_ingest *g)
{
	if (!g)
		return;
	if (g->in_tx)
		g->store->ops->rollback(g->store);
	vg_jstream_free(g->js);
	free(g);
}

const char *vg_ingest_error(const struct vg_ingest *g)
{
	return g->error;
}

int vg_ingest_was_container(const struct vg_ingest *g)
{
	return vg_jstream_is_container(g->js);
}

void vg_ingest_counts(const struct vg_ingest *g, struct vg_ingest_counts *c)
{
	*c = g->counts;
}

int vg_ingest_end(struct vg_ingest *g, struct vg_ingest_counts *counts,
		  char *err, size_t errlen)
{
	int rc = vg_jstream_finish(g->js);
	if (rc)
		snprintf(g->error, sizeof(g->error), "%s",
			 vg_jstream_error(g->js));
	if (!rc && g->in_tx) {
		rc = g->store->ops->commit(g->store);
		if (rc)
			snprintf(g->error, sizeof(g->error), "%s",
				 vg_store_errmsg(g->store));
		else
			g->in_tx = 0;
	}
	if (!rc && counts)
		*counts = g->counts;
	if (rc && err && errlen)
		snprintf(err, errlen, "%s", g->error);
	vg_ingest_abort(g);
	return rc;
}

int vg_ingest_fd(struct vg_store *s, int fd, const struct vg_ingest_opts *o,
		 struct vg_ingest_counts *counts, char *err, size_t errlen)
{
	enum { CHUNK = 1 << 16 };
	struct vg_ingest *g = NULL;
	char *buf = malloc(CHUNK);
	int rc = buf ? vg_ingest_begin(s, o, &g) : VG_ENOMEM;
	if (rc)
		goto out;
	for (;;) {
		ssize_t n = read(fd, buf, CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "read: %s", strerror(errno));
			rc = VG_EIO;
			break;
		}
		if (n == 0)
			break;
		rc = vg_ingest_feed(g, buf, (size_t)n);
		if (rc) {
			snprintf(err, errlen, "%s", vg_ingest_error(g));
			break;
		}
	}
	if (rc) {
		vg_ingest_abort(g);
		goto out;
	}
	rc = vg_ingest_end(g, counts, err, errlen);
out:
	free(buf);
	return rc;
}
