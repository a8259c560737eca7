/* The /api/v1 handlers (audit log, administration), /healthz and
 * /metrics: each parses, calls one service function and renders.
 * Screening's are in screen_routes.c. */
#include "http_int.h"
#include "vigil/audit/audit.h"
#include "vigil/service/admin.h"
#include "vigil/service/audit.h"
#include "vigil/service/objects.h"
#include "vigil/service/partners.h"
#include "vigil/util/error.h"
#include "vigil/util/jsonw.h"
#include "vigil/util/num.h"
#include "vigil/util/timefmt.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- /healthz and /metrics -------------------------------------------- */

enum MHD_Result vg__h_healthz(struct req *r)
{
	struct vg_buf b;
	vg_buf_init(&b, 0);
	vg_buf_puts(&b, "{\"status\":\"ok\"}");
	return vg__respond(r, MHD_HTTP_OK, "application/json", &b, NULL);
}

enum MHD_Result vg__h_metrics(struct req *r)
{
	struct vg_hub_counts n;
	struct vg_buf b;
	vg_buf_init(&b, 0);
	int rc = vg_metrics_read(&r->ctx, &n);
	if (!rc)
		rc = vg__metrics_text(&n, &b);
	if (!rc)
		rc = vg_partner_metrics(&r->ctx, &b);
	if (rc) {
		vg_buf_release(&b);
		return vg__http_fail(r, rc, NULL);
	}
	return vg__respond(r, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8",
			   &b, NULL);
}

/* ---- /api/v1/audit ------------------------------------------------------- */

struct audit_out {
	struct vg_buf *b;
	size_t n;
};

static int audit_row(void *ud, const struct vg_audit_entry *e)
{
	struct audit_out *o = ud;
	int rc = o->n++ ? vg_buf_putc(o->b, ',') : VG_OK;
	return rc ? rc : vg_audit_entry_json(e, 0, o->b);
}

enum MHD_Result vg__h_audit(struct req *r)
{
	static const char *const params[] = {"actor", "action", "since", "after",
					     "limit", NULL};
	struct vg_audit_filter f = {.limit = 100};
	struct vg_buf b;
	const char *v;
	char err[200];
	if (vg__args_only(r, params, err, sizeof(err)))
		return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request", err);
	uint64_t n;
	f.actor = vg__arg(r, "actor");
	f.action = vg__arg(r, "action");
	if ((v = vg__arg(r, "since")) && vg_time_parse_us(v, &f.since))
		return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request",
				 "'since' is not a timestamp");
	/* digits only: no sign, space, hex or exponent; within 64 bits */
	if ((v = vg__arg(r, "after"))) {
		if (vg_num_uint(v, 0, INT64_MAX, &n))
			return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request",
					 "'after' is not an entry number");
		f.after_seq = (int64_t)n;
	}
	if ((v = vg__arg(r, "limit"))) {
		if (vg_num_uint(v, 1, INT64_MAX, &n))
			return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request",
					 "'limit' is not a positive integer");
		f.limit = n > 1000 ? 1000 : (size_t)n;
	}
	vg_buf_init(&b, 0);
	struct audit_out o = {.b = &b};
	int rc = vg_buf_puts(&b, "{\"entries\":[");
	if (!rc)
		rc = vg_audit_read(&r->ctx, &f, audit_row, &o);
	if (!rc)
		rc = vg_buf_printf(&b, "],\"more\":%s}",
				   o.n == f.limit ? "true" : "false");
	return vg__ok_json(r, rc, &b);
}

/* The JSON body's object, or NULL (the answer is then 400): one JSON
 * value and nothing after it but white space (cJSON stops after the first
 * value and would ignore a second). */
cJSON *vg__body_object(struct req *r)
{
	const char *p = r->body.data ? r->body.data : "", *end = NULL;
	cJSON *o = cJSON_ParseWithLengthOpts(p, r->body.len, &end, 0);
	while (o && end < p + r->body.len && strchr(" \t\r\n", *end) && *end)
		end++;
	if (!cJSON_IsObject(o) || end != p + r->body.len) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* ---- administration ----------------------------------------------------- */

static const char *str_of(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* 201 or the error, with the service's words. */
static enum MHD_Result created(struct req *r, int rc, const char *err,
			       struct vg_buf *b)
{
	if (rc) {
		vg_buf_release(b);
		if (rc == VG_EDUPLICATE)
			return vg__error(r, MHD_HTTP_CONFLICT, "conflict", err);
		return vg__http_fail(r, rc, err && err[0] ? err : NULL);
	}
	return vg__respond(r, MHD_HTTP_CREATED, "application/json", b, NULL);
}

struct list_out {
	struct vg_jw w;
};

static int org_row(void *ud, const struct vg_org *o)
{
	struct vg_jw *w = ud;
	char t[VG_TIME_LEN];
	vg_time_format_us(o->created, t);
	vg_jw_obj(w);
	vg_jw_kint(w, "id", o->id);
	vg_jw_kstr(w, "name", o->name);
	vg_jw_kstr(w, "identity", o->identity);
	vg_jw_kstr(w, "created", t);
	vg_jw_close(w);
	return w->rc;
}

static int user_row(void *ud, const struct vg_user *u)
{
	struct vg_jw *w = ud;
	vg_jw_obj(w);
	vg_jw_kint(w, "id", u->id);
	vg_jw_kstr(w, "name", u->name);
	vg_jw_kstr(w, "org", u->org_name);
	vg_jw_kstr(w, "role", vg_role_name((enum vg_role)u->role));
	vg_jw_kint(w, "clearance", u->clearance);
	vg_jw_kbool(w, "disabled", u->disabled);
	vg_jw_close(w);
	return w->rc;
}

static int key_row(void *ud, const struct vg_key *k)
{
	struct vg_jw *w = ud;
	char t[VG_TIME_LEN];
	vg_jw_obj(w);
	vg_jw_kstr(w, "id", k->id);
	vg_jw_kstr(w, "user", k->user_name);
	vg_time_format_us(k->created, t);
	vg_jw_kstr(w, "created", t);
	vg_jw_key(w, "expires");
	if (k->expires) {
		vg_time_format_us(k->expires, t);
		vg_jw_str(w, t);
	} else {
		vg_jw_null(w);
	}
	vg_jw_kbool(w, "revoked", k->revoked);
	vg_jw_close(w);
	return w->rc;
}

static int group_row(void *ud, const struct vg_group *g, const char *members)
{
	struct vg_jw *w = ud;
	vg_jw_obj(w);
	vg_jw_kint(w, "id", g->id);
	vg_jw_kstr(w, "name", g->name);
	vg_jw_key(w, "members");
	vg_jw_arr(w);
	char copy[4096];
	snprintf(copy, sizeof(copy), "%s", members ? members : "");
	for (char *save = NULL, *m = strtok_r(copy, ",", &save); m;
	     m = strtok_r(NULL, ",", &save))
		vg_jw_str(w, m);
	vg_jw_close(w);
	vg_jw_close(w);
	return w->rc;
}

/* {"KEY":[...]} of a list service call. */
#define LIST(r, key, call, row)                                              \
	do {                                                                 \
		struct vg_buf b_;                                            \
		struct vg_jw w_;                                             \
		vg_buf_init(&b_, 0);                                         \
		vg_jw_init(&w_, &b_);                                        \
		vg_jw_obj(&w_);                                              \
		vg_jw_key(&w_, key);                                         \
		vg_jw_arr(&w_);                                              \
		int rc_ = call(&(r)->ctx, row, &w_);                         \
		vg_jw_close(&w_);                                            \
		vg_jw_close(&w_);                                            \
		if (!rc_)                                                    \
			rc_ = vg_jw_end(&w_);                                \
		return vg__ok_json(r, rc_, &b_);                             \
	} while (0)

enum MHD_Result vg__h_orgs_get(struct req *r)
{
	LIST(r, "orgs", vg_org_list, org_row);
}

enum MHD_Result vg__h_users_get(struct req *r)
{
	LIST(r, "users", vg_user_list, user_row);
}

enum MHD_Result vg__h_keys_get(struct req *r)
{
	LIST(r, "keys", vg_key_list, key_row);
}

enum MHD_Result vg__h_groups_get(struct req *r)
{
	LIST(r, "groups", vg_group_list, group_row);
}

static enum MHD_Result bad_body(struct req *r, const char *shape)
{
	char msg[300];
	snprintf(msg, sizeof(msg), "the body must be %s", shape);
	return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request", msg);
}

/* {"name": NAME} and the service call that takes it. */
static enum MHD_Result named(struct req *r, const char *key,
			     int (*fn)(struct vg_ctx *, const char *, char *,
				       size_t))
{
	cJSON *o = vg__body_object(r);
	const char *name = str_of(o, "name");
	char err[400] = "";
	struct vg_buf b;
	if (!name) {
		cJSON_Delete(o);
		return bad_body(r, "{\"name\": text}");
	}
	vg_buf_init(&b, 0);
	int rc = fn(&r->ctx, name, err, sizeof(err));
	if (!rc) {
		struct vg_jw w;
		vg_jw_init(&w, &b);
		vg_jw_obj(&w);
		vg_jw_kstr(&w, key, name);
		vg_jw_close(&w);
		rc = vg_jw_end(&w);
	}
	cJSON_Delete(o);
	return created(r, rc, err, &b);
}

enum MHD_Result vg__h_orgs_post(struct req *r)
{
	return named(r, "name", vg_org_add);
}

enum MHD_Result vg__h_groups_post(struct req *r)
{
	return named(r, "name", vg_group_add);
}

enum MHD_Result vg__h_users_post(struct req *r)
{
	cJSON *o = vg__body_object(r);
	const char *name = str_of(o, "name"), *org = str_of(o, "org");
	const char *role = str_of(o, "role"), *cl = str_of(o, "clearance");
	const cJSON *clv = cJSON_GetObjectItemCaseSensitive(o, "clearance");
	char err[400] = "";
	struct vg_buf b;
	if (!name || !org || !role || (clv && !cl)) {
		cJSON_Delete(o);
		return bad_body(r, "{\"name\", \"org\", \"role\" and optionally "
				   "\"clearance\": text}");
	}
	vg_buf_init(&b, 0);
	int rc = vg_user_add(&r->ctx, name, org, role, cl, err, sizeof(err));
	if (!rc) {
		struct vg_jw w;
		vg_jw_init(&w, &b);
		vg_jw_obj(&w);
		vg_jw_kstr(&w, "name", name);
		vg_jw_kstr(&w, "org", org);
		vg_jw_kstr(&w, "role", role);
		vg_jw_close(&w);
		rc = vg_jw_end(&w);
	}
	cJSON_Delete(o);
	return created(r, rc, err, &b);
}

enum MHD_Result vg__h_user_disable(struct req *r)
{
	char err[400] = "";
	struct vg_buf b;
	vg_buf_init(&b, 0);
	int rc = vg_user_disable(&r->ctx, r->seg[3], err, sizeof(err));
	if (rc) {
		vg_buf_release(&b);
		return vg__http_fail(r, rc, err[0] ? err : NULL);
	}
	struct vg_jw w;
	vg_jw_init(&w, &b);
	vg_jw_obj(&w);
	vg_jw_kstr(&w, "name", r->seg[3]);
	vg_jw_kbool(&w, "disabled", 1);
	vg_jw_close(&w);
	return vg__ok_json(r, vg_jw_end(&w), &b);
}

enum MHD_Result vg__h_keys_post(struct req *r)
{
	cJSON *o = vg__body_object(r);
	const char *user = str_of(o, "user");
	const cJSON *days = cJSON_GetObjectItemCaseSensitive(o, "expires_days");
	char err[400] = "", key[VG_KEY_TEXT_LEN] = "";
	struct vg_buf b;
	/* a whole number of days, 0 to 3650: not -0, 1.5 or 1e999 (inf) */
	if (!user || (days && (!cJSON_IsNumber(days) ||
			       !(days->valuedouble >= 0 &&
				 days->valuedouble <= 3650) ||
			       signbit(days->valuedouble) ||
			       days->valuedouble != floor(days->valuedouble)))) {
		cJSON_Delete(o);
		return bad_body(r, "{\"user\": text, \"expires_days\": 0 to 3650}");
	}
	vg_buf_init(&b, 0);
	int rc = vg_key_new(&r->ctx, user, days ? (int)days->valuedouble : 0, key,
			    err, sizeof(err));
	if (!rc) {
		/* the key is shown once, here */
		char id[17];
		snprintf(id, sizeof(id), "%.16s", key + 4);
		struct vg_jw w;
		vg_jw_init(&w, &b);
		vg_jw_obj(&w);
		vg_jw_kstr(&w, "user", user);
		vg_jw_kstr(&w, "id", id);
		vg_jw_kstr(&w, "key", key);
		vg_jw_close(&w);
		rc = vg_jw_end(&w);
	}
	sodium_memzero(key, sizeof(key));
	cJSON_Delete(o);
	return created(r, rc, err, &b);
}

enum MHD_Result vg__h_key_delete(struct req *r)
{
	char err[400] = "";
	int rc = vg_key_revoke(&r->ctx, r->seg[3], err, sizeof(err));
	if (rc)
		return vg__http_fail(r, rc, err[0] ? err : NULL);
	return vg__respond(r, MHD_HTTP_OK, "application/json", NULL, NULL);
}

static enum MHD_Result member(struct req *r, int add)
{
	char err[400] = "";
	int rc = vg_group_member(&r->ctx, r->seg[3], r->seg[5], add, err,
				 sizeof(err));
	if (rc == VG_EDUPLICATE)
		return vg__error(r, MHD_HTTP_CONFLICT, "conflict", err);
	if (rc)
		return vg__http_fail(r, rc, err[0] ? err : NULL);
	return vg__respond(r, MHD_HTTP_OK, "application/json", NULL, NULL);
}

enum MHD_Result vg__h_group_member_add(struct req *r)
{
	return member(r, 1);
}

enum MHD_Result vg__h_group_member_remove(struct req *r)
{
	return member(r, 0);
}
