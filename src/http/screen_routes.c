/* /api/v1/screen: screen travel data (POST), read a stored run (GET
 * /api/v1/screen/RUN), dispose of a hit (POST /api/v1/screen/RUN/hits/N). */
#include "http_int.h"
#include "vigil/util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lists {
	const char *v[32];
	size_t n;
	int bad;
};

static enum MHD_Result list_cb(void *cls, enum MHD_ValueKind kind,
			       const char *key, const char *value)
{
	struct lists *l = cls;
	(void)kind;
	if (strcmp(key, "list"))
		return MHD_YES;
	if (!value || !*value || l->n == 32)
		l->bad = 1;
	else
		l->v[l->n++] = value;
	return MHD_YES;
}

enum MHD_Result vg__screen_api(struct req *r)
{
	char path[sizeof(r->path)], err[600] = "";
	char *seg[6];
	int n = 0;
	struct vg_buf b;
	r->route = R_SCREEN;
	snprintf(path, sizeof(path), "%s", r->path + strlen("/api/v1/screen"));
	for (char *save = NULL, *t = strtok_r(path, "/", &save); t && n < 6;
	     t = strtok_r(NULL, "/", &save))
		seg[n++] = t;
	vg_buf_init(&b, 0);
	int rc;
	if (n == 0) {
		if (strcmp(r->method, "POST"))
			return vg__method_not_allowed(r, "POST");
		struct lists l = {0};
		MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, list_cb, &l);
		double threshold = VG_MATCH_DEFAULT_THRESHOLD;
		const char *t = MHD_lookup_connection_value(
			r->conn, MHD_GET_ARGUMENT_KIND, "threshold");
		char *end = NULL;
		if (t)
			threshold = strtod(t, &end);
		if (l.bad || (t && (*end || !*t || threshold < 0 || threshold > 1)))
			return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request",
					 "'list' names a list (at most 32) and "
					 "'threshold' is a number from 0 to 1");
		rc = vg_screen_request(&r->t, r->h->screen,
				       r->body.data ? r->body.data : "", r->body.len,
				       l.v, l.n, threshold, "api", &b, err,
				       sizeof(err));
		if (rc == VG_EINVAL) {
			vg_buf_release(&b);
			return vg__error(r, MHD_HTTP_UNPROCESSABLE_CONTENT,
					 "not travel data", err);
		}
	} else if (n == 1) {
		if (!vg__is_get(r))
			return vg__method_not_allowed(r, "GET");
		rc = vg_screen_request_get(&r->t, seg[0], &b);
	} else if (n == 3 && !strcmp(seg[1], "hits")) {
		if (strcmp(r->method, "POST"))
			return vg__method_not_allowed(r, "POST");
		char *end;
		long long hit = strtoll(seg[2], &end, 10);
		if (*end || hit < 1)
			return vg__error(r, MHD_HTTP_NOT_FOUND, "not found",
					 "no such hit");
		rc = vg_screen_request_dispose(&r->t, seg[0], hit,
					       r->body.data, r->body.len, err,
					       sizeof(err));
		if (!rc)
			rc = vg_buf_printf(&b, "{\"run\":\"%s\",\"hit\":%lld}", seg[0],
					   hit);
	} else {
		return vg__error(r, MHD_HTTP_NOT_FOUND, "not found", "no such resource");
	}
	if (rc) {
		vg_buf_release(&b);
		return vg__http_fail(r, rc, rc == VG_ENOTFOUND ? "no such run or hit"
				   : rc == VG_EDENIED ? "the role does not allow this"
						      : err);
	}
	return vg__respond(r, MHD_HTTP_OK, "application/json", &b, NULL);
}
