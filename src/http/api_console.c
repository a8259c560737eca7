/* The /api/v1 endpoints the web console needs: sessions (sign in and
 * out, the purpose), search, one object for people, and the audit
 * log's verification. Each parses, calls one service function and
 * renders. */
#include "http_int.h"
#include "vigil/service/audit.h"
#include "vigil/service/console.h"
#include "vigil/util/error.h"
#include "vigil/util/jsonw.h"
#include "vigil/util/num.h"
#include "vigil/util/timefmt.h"

#include <cjson/cJSON.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- sessions ------------------------------------------------------------ */

/* The session's cookie: HttpOnly (no script reads it), SameSite=Strict
 * (no other site sends it), Secure when the server speaks TLS, for the
 * whole hub (the console calls /api/v1 and /taxii2). */
static void cookie(struct req *r, const char *sid, char *out, size_t n)
{
	snprintf(out, n,
	         "vigil_session=%s; Path=/; HttpOnly; SameSite=Strict%s%s", sid,
	         r->h->tls ? "; Secure" : "", *sid ? "" : "; Max-Age=0");
}

/* Who the caller is, and with a session its CSRF token, purpose and end. */
static int session_json(struct req *r, const struct vg_session_info *si,
                        struct vg_buf *b)
{
	struct vg_jw w;
	const char *actions[6];
	size_t n = vg_ctx_actions(&r->ctx, actions);
	char t[VG_TIME_LEN];
	vg_jw_init(&w, b);
	vg_jw_obj(&w);
	vg_jw_kstr(&w, "user", r->ctx.user);
	vg_jw_kstr(&w, "org", r->ctx.org_name);
	vg_jw_kstr(&w, "role", vg_role_name(r->ctx.p.role));
	vg_jw_kint(&w, "clearance", r->ctx.p.clearance);
	vg_jw_kstr(&w, "clearance_name",
	           vg_service_level_name(r->h->svc, r->ctx.p.clearance));
	vg_jw_kstr(&w, "hub", vg_service_hub_name(r->h->svc));
	vg_jw_kbool(&w, "purpose_required",
	            vg_service_purpose_required(r->h->svc));
	if (si) {
		vg_jw_kstr(&w, "csrf", si->csrf);
		vg_jw_kstr(&w, "purpose", si->purpose);
		vg_jw_kint(&w, "idle_seconds", si->idle_us / 1000000);
		vg_time_format_us(si->expires, t);
		vg_jw_kstr(&w, "expires", t);
	}
	vg_jw_key(&w, "actions");
	vg_jw_arr(&w);
	for (size_t i = 0; i < n; i++)
		vg_jw_str(&w, actions[i]);
	vg_jw_close(&w);
	/* what this server offers: the console links the pages whose
	 * endpoints are here */
	vg_jw_key(&w, "routes");
	vg_jw_arr(&w);
	vg__routes_json(&w);
	vg_jw_close(&w);
	vg_jw_close(&w);
	return vg_jw_end(&w);
}

static int is_json(struct req *r)
{
	const char *type = MHD_lookup_connection_value(
	    r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	return type && !strncasecmp(type, "application/json", 16) &&
	       (!type[16] || type[16] == ';' || type[16] == ' ');
}

static cJSON *body_object(struct req *r)
{
	cJSON *o = cJSON_ParseWithLength(r->body.data ? r->body.data : "",
	                                 r->body.len);
	if (!cJSON_IsObject(o)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static const char *str_of(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static enum MHD_Result purpose_required(struct req *r)
{
	return vg__error(r, MHD_HTTP_BAD_REQUEST, "purpose required",
	                 "this hub requires a purpose: state why you read");
}

enum MHD_Result vg__h_session_open(struct req *r)
{
	struct vg_session_info si;
	enum vg_auth_result res;
	struct vg_buf b;
	char set[200];
	/* JSON only: a form of another site cannot post it without asking
	 * (CORS), so nobody is signed in behind their back */
	if (!is_json(r))
		return vg__error(r, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
		                 "unsupported media type",
		                 "sign in with Content-Type: application/json");
	cJSON *o = body_object(r);
	const char *user = str_of(o, "user"), *key = str_of(o, "key");
	const cJSON *pv = cJSON_GetObjectItemCaseSensitive(o, "purpose");
	if (!user || !key || (pv && !cJSON_IsString(pv) && !cJSON_IsNull(pv))) {
		cJSON_Delete(o);
		return vg__error(
		    r, MHD_HTTP_BAD_REQUEST, "bad request",
		    "the body must be {\"user\": text, \"key\": text, "
		    "\"purpose\": text (optional)}");
	}
	int rc = vg_session_open(&r->ctx, user, key,
	                         cJSON_IsString(pv) ? pv->valuestring : NULL,
	                         &si, &res);
	if (o) {
		/* the key was in the body: not left in freed memory */
		cJSON *k = cJSON_GetObjectItemCaseSensitive(o, "key");
		if (cJSON_IsString(k))
			sodium_memzero(k->valuestring, strlen(k->valuestring));
	}
	cJSON_Delete(o);
	if (r->body.data)
		sodium_memzero(r->body.data, r->body.len);
	if (rc == VG_EPURPOSE)
		return purpose_required(r);
	if (rc == VG_EINVAL)
		return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request",
		                 "the purpose is longer than 500 bytes");
	if (rc)
		return vg__http_fail(r, rc, NULL);
	if (res != VG_AUTH_OK)
		return vg__error(
		    r, MHD_HTTP_UNAUTHORIZED, "authentication required",
		    "the user name and key do not match a valid key "
		    "of an enabled user");
	vg_buf_init(&b, 0);
	rc = session_json(r, &si, &b);
	cookie(r, si.id, set, sizeof(set));
	sodium_memzero(si.id, sizeof(si.id));
	if (rc) {
		vg_buf_release(&b);
		sodium_memzero(set, sizeof(set));
		return vg__http_fail(r, rc, NULL);
	}
	enum MHD_Result ok =
	    vg__respond(r, MHD_HTTP_CREATED, "application/json", &b,
	                MHD_HTTP_HEADER_SET_COOKIE, set, NULL);
	sodium_memzero(set, sizeof(set));
	return ok;
}

enum MHD_Result vg__h_session_get(struct req *r)
{
	struct vg_buf b;
	int rc = vg_session_read(&r->ctx);
	if (rc)
		return vg__http_fail(r, rc, NULL);
	vg_buf_init(&b, 0);
	rc = session_json(r, r->by_session ? &r->sess : NULL, &b);
	return vg__ok_json(r, rc, &b);
}

static enum MHD_Result no_session(struct req *r)
{
	return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request",
	                 "this request was not made in a console session");
}

enum MHD_Result vg__h_session_close(struct req *r)
{
	struct vg_buf b;
	char set[200];
	if (!r->by_session)
		return no_session(r);
	int rc = vg_session_close(&r->ctx, r->sid);
	if (rc)
		return vg__http_fail(r, rc, NULL);
	vg_buf_init(&b, 0);
	vg_buf_puts(&b, "{\"signed_out\":true}");
	cookie(r, "", set, sizeof(set));
	return vg__respond(r, MHD_HTTP_OK, "application/json", &b,
	                   MHD_HTTP_HEADER_SET_COOKIE, set, NULL);
}

enum MHD_Result vg__h_session_purpose(struct req *r)
{
	struct vg_session_info si;
	struct vg_buf b;
	if (!r->by_session)
		return no_session(r);
	cJSON *o = body_object(r);
	const char *purpose = str_of(o, "purpose");
	if (!purpose) {
		cJSON_Delete(o);
		return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request",
		                 "the body must be {\"purpose\": text}");
	}
	int rc = vg_session_set_purpose(&r->ctx, r->sid, purpose, &si);
	cJSON_Delete(o);
	if (rc == VG_EPURPOSE)
		return purpose_required(r);
	if (rc == VG_EINVAL)
		return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request",
		                 "the purpose is longer than 500 bytes");
	if (rc)
		return vg__http_fail(r, rc, NULL);
	vg_buf_init(&b, 0);
	rc = session_json(r, &si, &b);
	return vg__ok_json(r, rc, &b);
}

/* ---- search and objects ------------------------------------------------- */

enum MHD_Result vg__h_search(struct req *r)
{
	static const char *const params[] = {
	    "q",     "type",  "label",  "marking", "org",
	    "since", "until", "offset", "limit",   NULL};
	char err[300] = "";
	struct vg_buf b;
	if (vg__args_only(r, params, err, sizeof(err)))
		return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request", err);
	struct vg_search s = {
	    .text = vg__arg(r, "q"),
	    .type = vg__arg(r, "type"),
	    .label = vg__arg(r, "label"),
	    .marking = vg__arg(r, "marking"),
	    .org = vg__arg(r, "org"),
	    .since = vg__arg(r, "since"),
	    .until = vg__arg(r, "until"),
	};
	const char *v;
	uint64_t n;
	if ((v = vg__arg(r, "offset"))) {
		if (vg_num_uint(v, 0, VG_SEARCH_MAX_OFFSET, &n))
			return vg__error(
			    r, MHD_HTTP_BAD_REQUEST, "bad request",
			    "'offset' is a number from 0 to 100000");
		s.offset = (size_t)n;
	}
	if ((v = vg__arg(r, "limit"))) {
		if (vg_num_uint(v, 1, VG_SEARCH_MAX_LIMIT, &n))
			return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request",
			                 "'limit' is a number from 1 to 200");
		s.limit = (size_t)n;
	}
	vg_buf_init(&b, 0);
	int rc = vg_objects_search(&r->ctx, &s, &b, err, sizeof(err));
	if (rc == VG_EINVAL) {
		vg_buf_release(&b);
		return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request", err);
	}
	return vg__ok_json(r, rc, &b);
}

enum MHD_Result vg__h_object_view(struct req *r)
{
	struct vg_buf b;
	vg_buf_init(&b, 0);
	int rc = vg_object_view(&r->ctx, r->seg[3], &b);
	if (rc) {
		vg_buf_release(&b);
		return vg__http_fail(r, rc, "no such object");
	}
	return vg__respond(r, MHD_HTTP_OK, "application/json", &b, NULL);
}

/* ---- the audit log's verification --------------------------------------- */

enum MHD_Result vg__h_audit_verify(struct req *r)
{
	struct vg_audit_verified v;
	struct vg_buf b;
	struct vg_jw w;
	char err[1024] = "";
	int intact = 0;
	int rc = vg_audit_check(&r->ctx, &v, &intact, err, sizeof(err));
	if (rc)
		return vg__http_fail(r, rc, NULL);
	vg_buf_init(&b, 0);
	vg_jw_init(&w, &b);
	vg_jw_obj(&w);
	vg_jw_kbool(&w, "intact", intact);
	vg_jw_kint(&w, "entries", v.entries);
	vg_jw_kint(&w, "checkpoints", v.checkpoints);
	vg_jw_kint(&w, "heads", v.heads);
	if (!intact)
		vg_jw_kstr(&w, "finding", err);
	vg_jw_close(&w);
	return vg__ok_json(r, vg_jw_end(&w), &b);
}
