/* Federation over HTTP: the hub's public document (/.well-known/vigil-hub)
 * and /api/v1/partners (hub admins): each handler parses, calls one
 * service function (partners.h) and renders. */
#include "http_int.h"
#include "vigil/service/partners.h"
#include "vigil/util/error.h"
#include "vigil/util/jsonw.h"
#include "vigil/util/num.h"

#include <cjson/cJSON.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum MHD_Result vg__h_well_known(struct req *r)
{
	struct vg_buf b;
	vg_buf_init(&b, 0);
	int rc = vg_fed_hub_doc(r->h->svc, &b);
	if (rc) {
		vg_buf_release(&b);
		return vg__http_fail(r, rc, NULL);
	}
	return vg__respond(r, MHD_HTTP_OK, "application/json", &b, NULL);
}

static const char *jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int direction(const char *s)
{
	return !s                   ? 0
	       : !strcmp(s, "pull") ? VG_FED_PULL
	       : !strcmp(s, "push") ? VG_FED_PUSH
	       : !strcmp(s, "both") ? VG_FED_BOTH
	                            : -1;
}

/* The body of POST (add) and PATCH (set) as a spec; lists point into the
 * JSON, which the caller frees. NULL: not the shape. */
static int spec_of(cJSON *o, struct vg_partner_spec *sp, const char **colls)
{
	const cJSON *v;
	memset(sp, 0, sizeof(*sp));
	if (!cJSON_IsObject(o))
		return -1;
	sp->name = jstr(o, "name");
	sp->url = jstr(o, "url");
	sp->direction = direction(jstr(o, "direction"));
	sp->ca = jstr(o, "ca");
	sp->cert = jstr(o, "cert");
	sp->key = jstr(o, "key");
	sp->secret = jstr(o, "credential");
	sp->levels = jstr(o, "levels");
	sp->types = jstr(o, "types");
	sp->labels = jstr(o, "labels");
	sp->send_collections = jstr(o, "send_collections");
	if (cJSON_IsNumber(v = cJSON_GetObjectItemCaseSensitive(o, "interval")))
		sp->interval = v->valueint;
	if (cJSON_IsNumber(
	        v = cJSON_GetObjectItemCaseSensitive(o, "page_size")))
		sp->page_size = v->valueint;
	if (cJSON_IsNumber(v = cJSON_GetObjectItemCaseSensitive(o, "timeout")))
		sp->timeout = v->valueint;
	cJSON_ArrayForEach(v,
	                   cJSON_GetObjectItemCaseSensitive(o, "collections"))
	{
		if (!cJSON_IsString(v) || sp->n_collections == VG_FED_MAX_LIST)
			return -1;
		colls[sp->n_collections++] = v->valuestring;
	}
	sp->collections = colls;
	return sp->direction < 0 ? -1 : 0;
}

static const char shape[] =
    "the body must be {\"name\", \"url\", \"direction\": pull|push|both, "
    "and optionally \"collections\": [...], \"credential\", \"ca\", "
    "\"cert\", \"key\", \"levels\", \"types\", \"labels\", "
    "\"send_collections\", \"interval\"}";

enum MHD_Result vg__h_partners_post(struct req *r)
{
	cJSON *o = cJSON_ParseWithLength(r->body.data ? r->body.data : "",
	                                 r->body.len);
	struct vg_partner_spec sp;
	const char *colls[VG_FED_MAX_LIST];
	char err[600] = "", key[VG_KEY_TEXT_LEN] = "";
	struct vg_buf b;
	if (spec_of(o, &sp, colls) || !sp.name || !sp.url) {
		cJSON_Delete(o);
		return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request", shape);
	}
	vg_buf_init(&b, 0);
	int rc = vg_partner_add(&r->ctx, &sp, key, err, sizeof(err));
	if (!rc) {
		/* the key the partner hub uses here, shown once */
		struct vg_jw w;
		vg_jw_init(&w, &b);
		vg_jw_obj(&w);
		vg_jw_kstr(&w, "name", sp.name);
		vg_jw_kstr(&w, "key", key);
		vg_jw_close(&w);
		rc = vg_jw_end(&w);
	}
	sodium_memzero(key, sizeof(key));
	if (sp.secret)
		sodium_memzero((char *)sp.secret, strlen(sp.secret));
	cJSON_Delete(o);
	if (rc == VG_EDUPLICATE) {
		vg_buf_release(&b);
		return vg__error(r, MHD_HTTP_CONFLICT, "conflict", err);
	}
	if (rc) {
		vg_buf_release(&b);
		return vg__http_fail(r, rc, err[0] ? err : NULL);
	}
	return vg__respond(r, MHD_HTTP_CREATED, "application/json", &b, NULL);
}

enum MHD_Result vg__h_partner_patch(struct req *r)
{
	cJSON *o = cJSON_ParseWithLength(r->body.data ? r->body.data : "",
	                                 r->body.len);
	struct vg_partner_spec sp;
	const char *colls[VG_FED_MAX_LIST];
	char err[600] = "";
	if (spec_of(o, &sp, colls)) {
		cJSON_Delete(o);
		return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request", shape);
	}
	sp.name = r->seg[3];
	int rc = vg_partner_set(&r->ctx, &sp, err, sizeof(err));
	if (sp.secret)
		sodium_memzero((char *)sp.secret, strlen(sp.secret));
	cJSON_Delete(o);
	if (rc)
		return vg__http_fail(r, rc, err[0] ? err : "no such partner");
	struct vg_buf b;
	vg_buf_init(&b, 0);
	rc = vg_partner_json(&r->ctx, r->seg[3], &b);
	return vg__ok_json(r, rc, &b);
}

enum MHD_Result vg__h_partners_get(struct req *r)
{
	struct vg_buf b;
	vg_buf_init(&b, 0);
	return vg__ok_json(r, vg_partner_json(&r->ctx, NULL, &b), &b);
}

enum MHD_Result vg__h_partner_get(struct req *r)
{
	struct vg_buf b;
	vg_buf_init(&b, 0);
	int rc = vg_partner_json(&r->ctx, r->seg[3], &b);
	if (rc) {
		vg_buf_release(&b);
		return vg__http_fail(r, rc, "no such partner");
	}
	return vg__respond(r, MHD_HTTP_OK, "application/json", &b, NULL);
}

enum MHD_Result vg__h_partner_status(struct req *r)
{
	struct vg_buf b;
	vg_buf_init(&b, 0);
	int rc = vg_partner_status(
	    &r->ctx,
	    r->n_seg > 3 && strcmp(r->seg[3], "status") ? r->seg[3] : NULL, &b);
	if (rc) {
		vg_buf_release(&b);
		return vg__http_fail(r, rc, "no such partner");
	}
	return vg__respond(r, MHD_HTTP_OK, "application/json", &b, NULL);
}

enum MHD_Result vg__h_partner_delete(struct req *r)
{
	char err[300] = "";
	int rc = vg_partner_remove(&r->ctx, r->seg[3], err, sizeof(err));
	if (rc)
		return vg__http_fail(r, rc, err[0] ? err : NULL);
	return vg__respond(r, MHD_HTTP_OK, "application/json", NULL, NULL);
}

static int q_row(void *ud, const struct vg_quarantined *q)
{
	struct vg_jw *w = ud;
	vg_jw_obj(w);
	vg_jw_kint(w, "id", q->id);
	vg_jw_kstr(w, "object_id", q->object_id);
	vg_jw_kstr(w, "version", q->version);
	vg_jw_kstr(w, "collection", q->collection);
	vg_jw_kstr(w, "reason", q->reason);
	vg_jw_close(w);
	return w->rc;
}

enum MHD_Result vg__h_partner_quarantine(struct req *r)
{
	struct vg_buf b;
	struct vg_jw w;
	vg_buf_init(&b, 0);
	vg_jw_init(&w, &b);
	vg_jw_obj(&w);
	vg_jw_key(&w, "quarantine");
	vg_jw_arr(&w);
	int rc = vg_partner_quarantine(&r->ctx, r->seg[3], q_row, &w);
	vg_jw_close(&w);
	vg_jw_close(&w);
	if (!rc)
		rc = vg_jw_end(&w);
	if (rc) {
		vg_buf_release(&b);
		return vg__http_fail(r, rc, "no such partner");
	}
	return vg__respond(r, MHD_HTTP_OK, "application/json", &b, NULL);
}

/* POST .../quarantine/retry and .../quarantine/drop: the body names one
 * quarantined row ({"id": N}) or is empty or {} for all of them. */
enum MHD_Result vg__h_partner_quarantine_act(struct req *r)
{
	static const char shape[] =
	    "the body is empty, {} (every quarantined object) or {\"id\": "
	    "a quarantined row's id}";
	int retry = !strcmp(r->seg[5], "retry");
	char err[300] = "";
	int64_t id = 0;
	if (r->body.len) {
		cJSON *o = cJSON_ParseWithLength(r->body.data, r->body.len);
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "id");
		int bad = !cJSON_IsObject(o) ||
		          cJSON_GetArraySize(o) > (v ? 1 : 0) ||
		          (v && (!cJSON_IsNumber(v) || v->valuedouble < 1 ||
		                 v->valuedouble > 9007199254740991.0 ||
		                 v->valuedouble != (double)(int64_t)v->valuedouble));
		if (!bad && v)
			id = (int64_t)v->valuedouble;
		cJSON_Delete(o);
		if (bad)
			return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request",
			                 shape);
	}
	struct vg_buf b;
	struct vg_jw w;
	int rc;
	vg_buf_init(&b, 0);
	vg_jw_init(&w, &b);
	vg_jw_obj(&w);
	if (retry) {
		size_t stored = 0, still = 0;
		rc = vg_partner_quarantine_retry(&r->ctx, r->seg[3], id, &stored,
		                                 &still, err, sizeof(err));
		vg_jw_kint(&w, "stored", (int64_t)stored);
		vg_jw_kint(&w, "still", (int64_t)still);
	} else {
		int64_t dropped = 0;
		rc = vg_partner_quarantine_drop(&r->ctx, r->seg[3], id, &dropped,
		                                err, sizeof(err));
		vg_jw_kint(&w, "dropped", dropped);
	}
	vg_jw_close(&w);
	if (!rc)
		rc = vg_jw_end(&w);
	if (rc) {
		vg_buf_release(&b);
		return vg__http_fail(r, rc, err[0] ? err : "no such partner");
	}
	return vg__respond(r, MHD_HTTP_OK, "application/json", &b, NULL);
}

static int p_row(void *ud, const struct vg_preview_row *p)
{
	struct vg_jw *w = ud;
	vg_jw_obj(w);
	vg_jw_kstr(w, "id", p->id);
	vg_jw_kstr(w, "version", p->version);
	vg_jw_kstr(w, "collection", p->collection);
	vg_jw_kbool(w, "sent", p->verdict == VG_EGRESS_OK);
	if (p->verdict != VG_EGRESS_OK) {
		vg_jw_kstr(w, "rule", vg_egress_name(p->verdict));
		vg_jw_kstr(w, "reason", p->reason);
	}
	vg_jw_close(w);
	return w->rc;
}

enum MHD_Result vg__h_partner_preview(struct req *r)
{
	static const char *const params[] = {"id", NULL};
	struct vg_buf b;
	struct vg_jw w;
	char err[200];
	if (vg__args_only(r, params, err, sizeof(err)))
		return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request", err);
	const char *id = vg__arg(r, "id");
	vg_buf_init(&b, 0);
	vg_jw_init(&w, &b);
	vg_jw_obj(&w);
	vg_jw_key(&w, "objects");
	vg_jw_arr(&w);
	int rc = vg_partner_preview(&r->ctx, r->seg[3], id, p_row, &w);
	vg_jw_close(&w);
	vg_jw_close(&w);
	if (!rc)
		rc = vg_jw_end(&w);
	if (rc) {
		vg_buf_release(&b);
		return vg__http_fail(r, rc, "no such partner");
	}
	return vg__respond(r, MHD_HTTP_OK, "application/json", &b, NULL);
}

/* Deletions for partner hubs: read (pull) and given (push). */
enum MHD_Result vg__h_tombstones_get(struct req *r)
{
	static const char *const params[] = {"after", "limit", NULL};
	char err[200];
	const char *a = vg__arg(r, "after"), *l = vg__arg(r, "limit");
	uint64_t after = 0, limit = 1000;
	if (vg__args_only(r, params, err, sizeof(err)))
		return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request", err);
	/* digits only: no sign, space, hex or exponent */
	if ((a && vg_num_uint(a, 0, INT64_MAX, &after)) ||
	    (l && vg_num_uint(l, 1, INT64_MAX, &limit)))
		return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request",
		                 "'after' and 'limit' are whole numbers");
	struct vg_buf b;
	vg_buf_init(&b, 0);
	int rc = vg_fed_tombstones(&r->ctx, (int64_t)after,
	                           (size_t)(limit > 1000 ? 1000 : limit), &b);
	if (rc) {
		vg_buf_release(&b);
		return vg__http_fail(r, rc, NULL);
	}
	return vg__respond(r, MHD_HTTP_OK, "application/json", &b, NULL);
}

enum MHD_Result vg__h_tombstones_post(struct req *r)
{
	char err[300] = "";
	size_t applied = 0, refused = 0;
	int64_t more = 0;
	int rc = vg_fed_store_tombstones(
	    &r->ctx, r->body.data ? r->body.data : "", r->body.len, 0, &applied,
	    &refused, &more, err, sizeof(err));
	if (rc == VG_EINVAL)
		return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request", err);
	if (rc)
		return vg__http_fail(r, rc, err[0] ? err : NULL);
	struct vg_buf b;
	struct vg_jw w;
	vg_buf_init(&b, 0);
	vg_jw_init(&w, &b);
	vg_jw_obj(&w);
	vg_jw_kint(&w, "applied", (int64_t)applied);
	vg_jw_kint(&w, "refused", (int64_t)refused);
	vg_jw_close(&w);
	return vg__ok_json(r, vg_jw_end(&w), &b);
}
