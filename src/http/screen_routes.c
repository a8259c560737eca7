/* The /api/v1/screen handlers: screening travel data, stored runs (one,
 * or a list with their counts), dispositions of hits, and the
 * suppressions that remembered false positives make. Each parses, calls
 * one service function and renders. */
#include "http_int.h"
#include "vigil/service/screening.h"
#include "vigil/util/error.h"
#include "vigil/util/jsonw.h"
#include "vigil/util/num.h"
#include "vigil/util/timefmt.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lists {
	const char *v[32];
	size_t n;
	int bad;
	const char *threshold;
	char unknown[64];
};

static enum MHD_Result list_cb(void *cls, enum MHD_ValueKind kind,
                               const char *key, const char *value)
{
	struct lists *l = cls;
	(void)kind;
	if (!strcmp(key, "threshold")) {
		if (l->threshold)
			l->bad = 1; /* given twice */
		l->threshold = value ? value : "";
		return MHD_YES;
	}
	if (strcmp(key, "list")) {
		if (!l->unknown[0])
			snprintf(l->unknown, sizeof(l->unknown), "%.50s", key);
		return MHD_YES;
	}
	if (!value || !*value || l->n == 32)
		l->bad = 1;
	else
		l->v[l->n++] = value;
	return MHD_YES;
}

enum MHD_Result vg__h_screen(struct req *r)
{
	struct lists l = {0};
	struct vg_screening sc;
	struct vg_buf b;
	char err[600] = "";
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, list_cb, &l);
	double threshold = VG_MATCH_DEFAULT_THRESHOLD;
	if (l.unknown[0]) {
		snprintf(err, sizeof(err),
		         "'%s' is not a parameter of this "
		         "endpoint",
		         l.unknown);
		return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request", err);
	}
	/* DIGITS[.DIGITS] only: no nan, inf, sign, space, hex or exponent */
	if (l.bad ||
	    (l.threshold && vg_num_decimal(l.threshold, 0, 1, &threshold)))
		return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request",
		                 "'list' names a list (at most 32) and "
		                 "'threshold' is a number from 0 to 1");
	vg_buf_init(&b, 0);
	int rc =
	    vg_screen(&r->ctx, r->body.data ? r->body.data : "", r->body.len,
	              l.v, l.n, threshold, 2, "api", &sc, err, sizeof(err));
	if (rc == VG_EINVAL) {
		vg_screening_release(&sc);
		return vg__error(r, MHD_HTTP_UNPROCESSABLE_CONTENT,
		                 "not travel data", err);
	}
	if (rc == VG_ERATE) {
		char secs[16];
		snprintf(secs, sizeof(secs), "%u", sc.retry_after);
		vg_screening_release(&sc);
		struct vg_jw w;
		vg_jw_init(&w, &b);
		vg_jw_obj(&w);
		vg_jw_kstr(&w, "title", "too many requests");
		vg_jw_kstr(&w, "description", err);
		vg_jw_kstr(&w, "http_status", "429");
		vg_jw_close(&w);
		if (vg_jw_end(&w)) {
			vg_buf_release(&b);
			return MHD_NO;
		}
		return vg__respond(r, MHD_HTTP_TOO_MANY_REQUESTS,
		                   "application/json", &b, "Retry-After", secs,
		                   NULL);
	}
	if (rc == VG_ETOOMANY) {
		vg_screening_release(&sc);
		return vg__http_fail(r, rc, err);
	}
	if (rc == VG_ENOTFOUND) {
		/* nothing to screen against: not an answer of "no hit" */
		vg_screening_release(&sc);
		return vg__error(r, MHD_HTTP_CONFLICT, "no watchlist", err);
	}
	if (!rc)
		rc = vg_screening_json(&sc, &b);
	vg_screening_release(&sc);
	return vg__ok_json(r, rc, &b);
}

enum MHD_Result vg__h_screen_run(struct req *r)
{
	struct vg_buf b;
	vg_buf_init(&b, 0);
	int rc = vg_screen_run_json(&r->ctx, r->seg[3], &b);
	if (rc) {
		vg_buf_release(&b);
		return vg__http_fail(r, rc, "no such run or hit");
	}
	return vg__respond(r, MHD_HTTP_OK, "application/json", &b, NULL);
}

enum MHD_Result vg__h_screen_dispose(struct req *r)
{
	char err[300] = "", id[37] = "";
	uint64_t hit;
	if (vg_num_uint(r->seg[5], 1, INT64_MAX, &hit))
		return vg__error(r, MHD_HTTP_NOT_FOUND, "not found",
		                 "no such hit");
	cJSON *o = vg__body_object(r);
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(o, "disposition");
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, "note");
	int disp =
	    cJSON_IsString(d) ? vg_disposition_parse(d->valuestring) : -1;
	int rc = VG_OK;
	if (disp < 0 || (n && !cJSON_IsString(n)) ||
	    (cJSON_IsString(n) && strlen(n->valuestring) > 2000))
		rc = VG_EINVAL;
	if (!rc)
		rc = vg_screen_dispose(
		    &r->ctx, r->seg[3], (int64_t)hit, (enum vg_disposition)disp,
		    cJSON_IsString(n) ? n->valuestring : NULL, id, err,
		    sizeof(err));
	cJSON_Delete(o);
	if (rc == VG_EINVAL)
		return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request",
		                 "the body must be {\"disposition\": "
		                 "\"confirmed\"|\"false-positive\"|"
		                 "\"needs-review\", \"note\": text up to 2000 "
		                 "characters}");
	/* another organisation's run answers as one that does not exist */
	if (rc)
		return vg__http_fail(r, rc, "no such run or hit");
	struct vg_buf b;
	struct vg_jw w;
	vg_buf_init(&b, 0);
	vg_jw_init(&w, &b);
	vg_jw_obj(&w);
	vg_jw_kstr(&w, "run", id);
	vg_jw_kint(&w, "hit", (int64_t)hit);
	vg_jw_close(&w);
	return vg__ok_json(r, vg_jw_end(&w), &b);
}

/* A boolean parameter: "true" or "false". */
static int flag(struct req *r, const char *name, int *out)
{
	const char *v = vg__arg(r, name);
	*out = v && !strcmp(v, "true");
	return v && strcmp(v, "true") && strcmp(v, "false") ? -1 : 0;
}

struct listed {
	struct vg_jw *w;
	size_t n, limit;
};

static int run_item(void *ud, const struct vg_screen_run_row *row)
{
	struct listed *l = ud;
	if (l->n++ < l->limit)
		vg_screen_run_row_json(row, l->w);
	return l->w->rc;
}

enum MHD_Result vg__h_screen_list(struct req *r)
{
	static const char *const params[] = {
	    "open", "needs_review", "since", "until", "source", "limit", NULL};
	struct vg_screen_run_filter f = {0};
	char err[200];
	const char *v;
	size_t limit = 100;
	if (vg__args_only(r, params, err, sizeof(err)))
		return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request", err);
	if (flag(r, "open", &f.open) ||
	    flag(r, "needs_review", &f.needs_review))
		return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request",
		                 "'open' and 'needs_review' are true or false");
	if (((v = vg__arg(r, "since")) && vg_time_parse_us(v, &f.since)) ||
	    ((v = vg__arg(r, "until")) && vg_time_parse_us(v, &f.until)))
		return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request",
		                 "'since' and 'until' are timestamps "
		                 "(2026-12-01T00:00:00Z)");
	f.source = vg__arg(r, "source");
	if ((v = vg__arg(r, "limit"))) {
		uint64_t n;
		if (vg_num_uint(v, 1, INT64_MAX, &n))
			return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request",
			                 "'limit' is a positive integer (at "
			                 "most 1000 are answered)");
		limit = n > 1000 ? 1000 : (size_t)n;
	}
	f.limit = limit + 1; /* one more says there are more */
	struct vg_buf b;
	struct vg_jw w;
	vg_buf_init(&b, 0);
	vg_jw_init(&w, &b);
	vg_jw_obj(&w);
	vg_jw_key(&w, "runs");
	vg_jw_arr(&w);
	struct listed l = {&w, 0, limit};
	int rc = vg_screen_runs(&r->ctx, &f, run_item, &l);
	vg_jw_close(&w);
	vg_jw_kbool(&w, "more", l.n > limit);
	vg_jw_close(&w);
	if (!rc)
		rc = vg_jw_end(&w);
	return vg__ok_json(r, rc, &b);
}

static int sup_item(void *ud, const struct vg_suppression_row *row)
{
	struct vg_jw *w = ud;
	vg_suppression_row_json(row, w);
	return w->rc;
}

enum MHD_Result vg__h_suppressions(struct req *r)
{
	static const char *const params[] = {"all", NULL};
	char err[200];
	int all;
	if (vg__args_only(r, params, err, sizeof(err)))
		return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request", err);
	if (flag(r, "all", &all))
		return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request",
		                 "'all' is true or false");
	struct vg_buf b;
	struct vg_jw w;
	vg_buf_init(&b, 0);
	vg_jw_init(&w, &b);
	vg_jw_obj(&w);
	vg_jw_key(&w, "suppressions");
	vg_jw_arr(&w);
	int rc = vg_screen_suppressions(&r->ctx, all, sup_item, &w);
	vg_jw_close(&w);
	vg_jw_close(&w);
	if (!rc)
		rc = vg_jw_end(&w);
	return vg__ok_json(r, rc, &b);
}

enum MHD_Result vg__h_suppression_withdraw(struct req *r)
{
	uint64_t id;
	int rc = vg_num_uint(r->seg[4], 1, INT64_MAX, &id)
	             ? VG_ENOTFOUND
	             : vg_screen_withdraw(&r->ctx, (int64_t)id);
	if (rc)
		return vg__http_fail(r, rc, "no such suppression");
	struct vg_buf b;
	struct vg_jw w;
	vg_buf_init(&b, 0);
	vg_jw_init(&w, &b);
	vg_jw_obj(&w);
	vg_jw_kint(&w, "suppression", (int64_t)id);
	vg_jw_kbool(&w, "withdrawn", 1);
	vg_jw_close(&w);
	return vg__ok_json(r, vg_jw_end(&w), &b);
}
