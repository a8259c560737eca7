/* The /api/v1 handlers of early warning: correlations, watches, alerts,
 * access requests and grants, disclosure choices, exclusions, the graph
 * and trends. Each parses, calls one service function and renders. */
#include "warn_http.h"
#include "vigil/service/warn.h"
#include "vigil/util/error.h"
#include "vigil/util/num.h"
#include "vigil/util/jsonw.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* An answer, or the error with the service's words. */
static enum MHD_Result answer(struct req *r, int rc, unsigned status,
                              const char *err, struct vg_buf *b)
{
	if (!rc)
		return vg__respond(r, status, "application/json", b, NULL);
	vg_buf_release(b);
	if (rc == VG_ERATE)
		return vg__error(
		    r, 429, "too many requests",
		    "this hour's hit / no-hit answers are used up");
	if (rc == VG_EUNSUPPORTED)
		return vg__error(r, MHD_HTTP_NOT_IMPLEMENTED, "unsupported",
		                 "this store has no early warning");
	return vg__http_fail(r, rc, err && *err ? err : NULL);
}

/* A whole number from a parameter (dflt when absent): digits only, as
 * every parameter of the API (util/num.h); -1 when bad. */
static long long num_arg(struct req *r, const char *name, long long dflt)
{
	const char *v = vg__arg(r, name);
	uint64_t n;
	if (!v)
		return dflt;
	return vg_num_uint(v, 0, INT64_MAX, &n) ? -1 : (long long)n;
}

static int bad_args(struct req *r, const char *const *allowed,
                    enum MHD_Result *out)
{
	char err[200];
	if (!vg__args_only(r, allowed, err, sizeof(err)))
		return 0;
	*out = vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request", err);
	return 1;
}

/* ---- correlations ---------------------------------------------------------
 */

enum MHD_Result vg__h_correlations(struct req *r)
{
	static const char *const none[] = {NULL};
	struct vg_buf b;
	char err[300] = "";
	enum MHD_Result out;
	if (bad_args(r, none, &out))
		return out;
	vg_buf_init(&b, 0);
	int rc = vg_warn_correlate(&r->ctx, r->seg[3], &b, err, sizeof(err));
	return answer(r, rc, MHD_HTTP_OK,
	              rc == VG_ENOTFOUND ? "no such object" : err, &b);
}

/* ---- watches --------------------------------------------------------------
 */

enum MHD_Result vg__h_watches_get(struct req *r)
{
	struct vg_buf b;
	vg_buf_init(&b, 0);
	return answer(r, vg_watch_list(&r->ctx, &b), MHD_HTTP_OK, NULL, &b);
}

enum MHD_Result vg__h_watches_post(struct req *r)
{
	static const char shape[] =
	    "the body must be {\"kind\": value|name|document|pattern|object|"
	    "query, \"term\": text (a query: an object), \"name\"?, "
	    "\"value_kind\"?, \"name_kind\"?: person|entity, \"threshold\"?: "
	    "0-1, \"shared\"?: bool, \"webhook\"?: URL}";
	cJSON *o = body_object(r);
	struct vg_buf b;
	char err[400] = "", *query = NULL;
	if (!o)
		return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request", shape);
	const cJSON *term = cJSON_GetObjectItemCaseSensitive(o, "term");
	const cJSON *th = cJSON_GetObjectItemCaseSensitive(o, "threshold");
	const cJSON *sh = cJSON_GetObjectItemCaseSensitive(o, "shared");
	if (cJSON_IsObject(term))
		query = cJSON_PrintUnformatted(term);
	struct vg_watch_spec w = {
	    .name = str_of(o, "name"),
	    .kind = str_of(o, "kind"),
	    .term = query ? query : str_of(o, "term"),
	    .value_kind = str_of(o, "value_kind"),
	    .name_kind = str_of(o, "name_kind"),
	    .threshold = cJSON_IsNumber(th) ? th->valuedouble : 0,
	    .shared = cJSON_IsTrue(sh),
	    .webhook = str_of(o, "webhook"),
	};
	int rc = VG_OK;
	if (!w.kind || !w.term || (th && !cJSON_IsNumber(th)) ||
	    (sh && !cJSON_IsBool(sh))) {
		snprintf(err, sizeof(err), "%s", shape);
		rc = VG_EINVAL;
	}
	vg_buf_init(&b, 0);
	if (!rc)
		rc = vg_watch_add(&r->ctx, &w, &b, err, sizeof(err));
	cJSON_free(query);
	cJSON_Delete(o);
	return answer(r, rc, MHD_HTTP_CREATED, err, &b);
}

static int seg_id(const char *s, int64_t *out)
{
	char *end;
	long long n = strtoll(s, &end, 10);
	if (!*s || *end || n < 1)
		return -1;
	*out = n;
	return 0;
}

enum MHD_Result vg__h_watch_delete(struct req *r)
{
	int64_t id;
	if (seg_id(r->seg[3], &id))
		return vg__error(r, MHD_HTTP_NOT_FOUND, "not found",
		                 "no such watch");
	int rc = vg_watch_remove(&r->ctx, id);
	if (rc)
		return vg__http_fail(r, rc, "no such watch");
	struct vg_buf b;
	vg_buf_init(&b, 0);
	vg_buf_printf(&b, "{\"removed\":%lld}", (long long)id);
	return vg__respond(r, MHD_HTTP_OK, "application/json", &b, NULL);
}

/* The body of a change: any of name, term (a query: an object),
 * threshold, shared, webhook (null removes it), each of its type, and
 * nothing else. 0, or -1 with err saying what is wrong. */
static int change_of(const cJSON *o, struct vg_watch_change *ch, char **query,
                     char *err, size_t errlen)
{
	static const char *const keys[] = {"name", "term", "threshold",
	                                   "shared", "webhook"};
	const cJSON *v;
	*ch = (struct vg_watch_change){.shared = -1};
	cJSON_ArrayForEach(v, o)
	{
		size_t k = 0;
		while (k < 5 && strcmp(v->string, keys[k]))
			k++;
		if (k == 5 && !strcmp(v->string, "kind")) {
			snprintf(err, errlen,
			         "a watch's kind does not change: make a new "
			         "watch of the other kind");
			return -1;
		}
		if (k == 5) {
			/* the name as text through the writer, never raw */
			struct vg_buf b;
			struct vg_jw w;
			vg_buf_init(&b, 200);
			vg_jw_init(&w, &b);
			vg_jw_strn(&w, v->string, 100);
			snprintf(err, errlen,
			         "%s is not a field of a watch (name, term, "
			         "threshold, shared, webhook)",
			         vg_jw_end(&w) ? "a field" : b.data);
			vg_buf_release(&b);
			return -1;
		}
		const char *bad = NULL;
		switch (k) {
		case 0:
			if (!cJSON_IsString(v))
				bad = "'name' is text";
			else
				ch->name = v->valuestring;
			break;
		case 1:
			if (cJSON_IsObject(v)) {
				if (!(*query = cJSON_PrintUnformatted(v)))
					bad = "no memory for 'term'";
				ch->term = *query;
			} else if (cJSON_IsString(v)) {
				ch->term = v->valuestring;
			} else {
				bad = "'term' is text (a query: an object)";
			}
			break;
		case 2:
			if (!cJSON_IsNumber(v)) {
				bad = "'threshold' is a number from 0 to 1";
			} else {
				ch->threshold_set = 1;
				ch->threshold = v->valuedouble;
			}
			break;
		case 3:
			if (!cJSON_IsBool(v))
				bad = "'shared' is true or false";
			else
				ch->shared = cJSON_IsTrue(v);
			break;
		case 4:
			if (cJSON_IsNull(v))
				ch->webhook = "";
			else if (!cJSON_IsString(v) || !*v->valuestring)
				bad = "'webhook' is a URL, or null to remove "
				      "it";
			else
				ch->webhook = v->valuestring;
			break;
		}
		if (bad) {
			snprintf(err, errlen, "%s", bad);
			return -1;
		}
	}
	return 0;
}

enum MHD_Result vg__h_watch_patch(struct req *r)
{
	static const char *const none[] = {NULL};
	struct vg_watch_change ch;
	struct vg_buf b;
	char err[400] = "", *query = NULL;
	enum MHD_Result out;
	int64_t id;
	if (bad_args(r, none, &out))
		return out;
	if (seg_id(r->seg[3], &id))
		return vg__error(r, MHD_HTTP_NOT_FOUND, "not found",
		                 "no such watch");
	cJSON *o = body_object(r);
	if (!o)
		return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request",
		                 "the body must be a JSON object with any of "
		                 "\"name\", \"term\", \"threshold\", "
		                 "\"shared\", \"webhook\"");
	int rc =
	    change_of(o, &ch, &query, err, sizeof(err)) ? VG_EINVAL : VG_OK;
	vg_buf_init(&b, 0);
	if (!rc)
		rc = vg_watch_update(&r->ctx, id, &ch, &b, err, sizeof(err));
	cJSON_free(query);
	cJSON_Delete(o);
	return answer(r, rc, MHD_HTTP_OK,
	              rc == VG_ENOTFOUND ? "no such watch" : err, &b);
}

/* ---- alerts ---------------------------------------------------------------
 */

enum MHD_Result vg__h_alerts_get(struct req *r)
{
	static const char *const params[] = {"after", "limit", "unacked", NULL};
	enum MHD_Result out;
	if (bad_args(r, params, &out))
		return out;
	long long after = num_arg(r, "after", 0),
	          limit = num_arg(r, "limit", 100);
	const char *un = vg__arg(r, "unacked");
	if (after < 0 || limit < 1 || limit > 1000 ||
	    (un && strcmp(un, "true") && strcmp(un, "false")))
		return vg__error(
		    r, MHD_HTTP_BAD_REQUEST, "bad request",
		    "'after' is an alert number, 'limit' 1 to 1000, "
		    "'unacked' true or false");
	struct vg_buf b;
	int64_t last;
	vg_buf_init(&b, 0);
	int rc = vg_alerts_list(&r->ctx, after, (size_t)limit,
	                        un && !strcmp(un, "true"), &b, &last);
	return answer(r, rc, MHD_HTTP_OK, NULL, &b);
}

enum MHD_Result vg__h_alert_ack(struct req *r)
{
	int64_t seq;
	if (seg_id(r->seg[3], &seq))
		return vg__error(r, MHD_HTTP_NOT_FOUND, "not found",
		                 "no such alert");
	int rc = vg_alerts_ack(&r->ctx, seq);
	if (rc)
		return vg__http_fail(r, rc, "no such alert");
	struct vg_buf b;
	vg_buf_init(&b, 0);
	vg_buf_printf(&b, "{\"seq\":%lld,\"acked\":true}", (long long)seq);
	return vg__respond(r, MHD_HTTP_OK, "application/json", &b, NULL);
}

/* ---- access requests, grants, disclosure ----------------------------------
 */

enum MHD_Result vg__h_requests_get(struct req *r)
{
	struct vg_buf b;
	vg_buf_init(&b, 0);
	return answer(r, vg_access_requests(&r->ctx, &b), MHD_HTTP_OK, NULL,
	              &b);
}

enum MHD_Result vg__h_requests_post(struct req *r)
{
	cJSON *o = body_object(r);
	struct vg_buf b;
	char err[400] = "";
	const char *object = str_of(o, "object"), *org = str_of(o, "org");
	int rc = VG_OK;
	if (!object || !org) {
		snprintf(err, sizeof(err),
		         "the body must be {\"object\": the id "
		         "the hit / no-hit answer was about, "
		         "\"org\": the holder, \"reason\"?: text}");
		rc = VG_EINVAL;
	}
	vg_buf_init(&b, 0);
	if (!rc)
		rc =
		    vg_access_request(&r->ctx, object, org, str_of(o, "reason"),
		                      &b, err, sizeof(err));
	cJSON_Delete(o);
	return answer(r, rc, MHD_HTTP_CREATED, err, &b);
}

enum MHD_Result vg__h_request_decide(struct req *r)
{
	int64_t id;
	if (seg_id(r->seg[3], &id))
		return vg__error(r, MHD_HTTP_NOT_FOUND, "not found",
		                 "no such request");
	cJSON *o = body_object(r);
	const cJSON *g = cJSON_GetObjectItemCaseSensitive(o, "grant");
	struct vg_buf b;
	char err[400] = "";
	int rc = VG_OK;
	if (!cJSON_IsBool(g) ||
	    (cJSON_GetObjectItemCaseSensitive(o, "object") &&
	     !str_of(o, "object"))) {
		snprintf(err, sizeof(err),
		         "the body must be {\"grant\": bool, "
		         "\"object\"?: one object of the request "
		         "(else all still pending)}");
		rc = VG_EINVAL;
	}
	vg_buf_init(&b, 0);
	if (!rc)
		rc = vg_access_decide(&r->ctx, id, str_of(o, "object"),
		                      cJSON_IsTrue(g), &b, err, sizeof(err));
	cJSON_Delete(o);
	return answer(r, rc, MHD_HTTP_OK, err, &b);
}

enum MHD_Result vg__h_grants_get(struct req *r)
{
	struct vg_buf b;
	vg_buf_init(&b, 0);
	return answer(r, vg_access_grants(&r->ctx, &b), MHD_HTTP_OK, NULL, &b);
}

enum MHD_Result vg__h_grant_delete(struct req *r)
{
	int64_t id;
	if (seg_id(r->seg[3], &id))
		return vg__error(r, MHD_HTTP_NOT_FOUND, "not found",
		                 "no such grant");
	int rc = vg_access_revoke(&r->ctx, id);
	if (rc)
		return vg__http_fail(r, rc, "no such grant");
	struct vg_buf b;
	vg_buf_init(&b, 0);
	vg_buf_printf(&b, "{\"revoked\":%lld}", (long long)id);
	return vg__respond(r, MHD_HTTP_OK, "application/json", &b, NULL);
}

enum MHD_Result vg__h_disclosure_post(struct req *r)
{
	cJSON *o = body_object(r);
	const char *subject = str_of(o, "subject"),
	           *choice = str_of(o, "choice");
	char err[400] = "";
	int c = !choice                      ? -2
	        : !strcmp(choice, "yes")     ? 1
	        : !strcmp(choice, "no")      ? 0
	        : !strcmp(choice, "default") ? -1
	                                     : -2;
	int rc = VG_OK;
	if (!subject || c == -2) {
		snprintf(err, sizeof(err),
		         "the body must be {\"subject\": an object "
		         "id or a collection, \"choice\": yes|no|"
		         "default}");
		rc = VG_EINVAL;
	}
	if (!rc)
		rc =
		    vg_access_disclosure(&r->ctx, subject, c, err, sizeof(err));
	struct vg_buf b;
	struct vg_jw w;
	vg_buf_init(&b, 0);
	vg_jw_init(&w, &b);
	vg_jw_obj(&w);
	vg_jw_kstr(&w, "subject", subject ? subject : "");
	vg_jw_kstr(&w, "choice", choice ? choice : "");
	vg_jw_close(&w);
	if (!rc)
		rc = vg_jw_end(&w);
	cJSON_Delete(o);
	return answer(r, rc, MHD_HTTP_OK, err, &b);
}

/* ---- exclusions
 * -------------------------------------------------------------- */

enum MHD_Result vg__h_exclusions_get(struct req *r)
{
	struct vg_buf b;
	vg_buf_init(&b, 0);
	return answer(r, vg_warn_exclusions(&r->ctx, &b), MHD_HTTP_OK, NULL,
	              &b);
}

enum MHD_Result vg__h_exclusions_post(struct req *r)
{
	cJSON *o = body_object(r);
	const cJSON *ex = cJSON_GetObjectItemCaseSensitive(o, "excluded");
	const char *value = str_of(o, "value");
	char err[400] = "";
	int rc = VG_OK;
	if (!value || !cJSON_IsBool(ex)) {
		snprintf(err, sizeof(err),
		         "the body must be {\"value\": an address, "
		         "block, domain, URL, e-mail address, hash "
		         "or key, \"excluded\": bool}");
		rc = VG_EINVAL;
	}
	if (!rc)
		rc = vg_warn_exclude(&r->ctx, value, cJSON_IsTrue(ex), err,
		                     sizeof(err));
	struct vg_buf b;
	vg_buf_init(&b, 0);
	vg_buf_printf(&b, "{\"excluded\":%s}",
	              cJSON_IsTrue(ex) ? "true" : "false");
	cJSON_Delete(o);
	return answer(r, rc, MHD_HTTP_OK, err, &b);
}

/* ---- graph ------------------------------------------------------------------
 */

struct types {
	const char *v[16];
	size_t n;
	int bad;
};

static enum MHD_Result type_cb(void *cls, enum MHD_ValueKind kind,
                               const char *key, const char *value)
{
	struct types *t = cls;
	(void)kind;
	if (strcmp(key, "type"))
		return MHD_YES;
	if (!value || !*value || t->n == 16)
		t->bad = 1;
	else
		t->v[t->n++] = value;
	return MHD_YES;
}

enum MHD_Result vg__h_graph(struct req *r)
{
	static const char *const params[] = {"id",  "from", "to", "depth",
	                                     "max", "type", NULL};
	enum MHD_Result out;
	if (bad_args(r, params, &out))
		return out;
	const char *what = r->seg[3];
	long long depth = num_arg(r, "depth", !strcmp(what, "path") ? 6 : 2);
	long long max = num_arg(r, "max", 200);
	struct vg_buf b;
	char err[300] = "";
	int rc;
	if (depth < 1 || depth > 8 || max < 1 || max > 5000)
		return vg__error(
		    r, MHD_HTTP_BAD_REQUEST, "bad request",
		    "'depth' is 1 to 8 (neighbours, groups: 1 to 4) "
		    "and 'max' 1 to 5000");
	vg_buf_init(&b, 0);
	if (!strcmp(what, "neighbours") || !strcmp(what, "neighbors")) {
		const char *id = vg__arg(r, "id");
		if (!id || depth > 4) {
			vg_buf_release(&b);
			return vg__error(
			    r, MHD_HTTP_BAD_REQUEST, "bad request",
			    "'id' names an object; 'depth' is 1 to 4");
		}
		rc = vg_graph_neighbours(&r->ctx, id, (int)depth, (size_t)max,
		                         &b);
	} else if (!strcmp(what, "path")) {
		const char *from = vg__arg(r, "from"), *to = vg__arg(r, "to");
		if (!from || !to) {
			vg_buf_release(&b);
			return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request",
			                 "'from' and 'to' name two objects");
		}
		rc = vg_graph_path(&r->ctx, from, to, (int)depth, &b);
		snprintf(err, sizeof(err), "no path of at most %lld steps",
		         depth);
	} else if (!strcmp(what, "groups")) {
		struct types t = {0};
		MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND,
		                          type_cb, &t);
		if (t.bad || depth > 4 || (!t.n && !vg__arg(r, "id"))) {
			vg_buf_release(&b);
			return vg__error(
			    r, MHD_HTTP_BAD_REQUEST, "bad request",
			    "'type' (at most 16) or 'id' chooses the "
			    "objects; 'depth' is 1 to 4");
		}
		rc = vg_graph_groups(&r->ctx, t.v, t.n, vg__arg(r, "id"),
		                     (int)depth, (size_t)max, &b);
	} else {
		vg_buf_release(&b);
		return vg__error(r, MHD_HTTP_NOT_FOUND, "not found",
		                 "graph answers neighbours, path and groups");
	}
	return answer(r, rc, MHD_HTTP_OK, rc == VG_ENOTFOUND ? err : NULL, &b);
}

/* ---- trends ----------------------------------------------------------------
 */

enum MHD_Result vg__h_trends(struct req *r)
{
	static const char *const params[] = {"facet", "interval", "since",
	                                     "until", "window",   "min_count",
	                                     "alpha", NULL};
	enum MHD_Result out;
	if (bad_args(r, params, &out))
		return out;
	const char *iv = vg__arg(r, "interval"), *a = vg__arg(r, "alpha");
	long long window = num_arg(r, "window", 0),
	          mc = num_arg(r, "min_count", 0);
	char *end = NULL;
	double alpha = a ? strtod(a, &end) : 0;
	if ((iv && strcmp(iv, "day") && strcmp(iv, "week")) || window < 0 ||
	    window > 365 || mc < 0 || (a && (*end || alpha <= 0 || alpha >= 1)))
		return vg__error(
		    r, MHD_HTTP_BAD_REQUEST, "bad request",
		    "'interval' is day or week, 'window' 0 to 365, "
		    "'min_count' a whole number, 'alpha' in (0, 1)");
	struct vg_trend_query q = {
	    .facet = vg__arg(r, "facet") ? vg__arg(r, "facet") : "type",
	    .weekly = iv && !strcmp(iv, "week"),
	    .since = vg__arg(r, "since"),
	    .until = vg__arg(r, "until"),
	    .window = (int)window,
	    .min_count = (uint64_t)mc,
	    .alpha = alpha,
	};
	struct vg_buf b;
	char err[300] = "";
	vg_buf_init(&b, 0);
	int rc = vg_trends(&r->ctx, &q, &b, err, sizeof(err));
	return answer(r, rc, MHD_HTTP_OK, err, &b);
}

enum MHD_Result vg__h_signals(struct req *r)
{
	static const char *const params[] = {"days", "until", NULL};
	enum MHD_Result out;
	if (bad_args(r, params, &out))
		return out;
	long long days = num_arg(r, "days", 7);
	if (days < 1 || days > 90)
		return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request",
		                 "'days' is 1 to 90");
	struct vg_buf b;
	char err[300] = "";
	vg_buf_init(&b, 0);
	int rc = vg_trends_signals(&r->ctx, (int)days, vg__arg(r, "until"), &b,
	                           err, sizeof(err));
	return answer(r, rc, MHD_HTTP_OK, err, &b);
}
