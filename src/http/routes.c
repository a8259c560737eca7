/* Routing and the endpoint handlers: TAXII 2.1 under /taxii2/, the audit
 * log under /api/v1/audit, /healthz and /metrics. Handlers parse, call one
 * service function and map its result to a status; no rule lives here. */
#include "http_int.h"
#include "vigil/util/error.h"
#include "vigil/util/timefmt.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ---- authentication -------------------------------------------------- */

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int decode_basic(const char *b64, char *user, size_t un, char *key,
			size_t kn)
{
	unsigned char raw[300];
	size_t len = 0;
	if (sodium_base642bin(raw, sizeof(raw) - 1, b64, strlen(b64), NULL, &len,
			      NULL, sodium_base64_VARIANT_ORIGINAL))
		return -1;
	raw[len] = '\0';
	char *colon = strchr((char *)raw, ':');
	if (!colon || (size_t)(colon - (char *)raw) >= un ||
	    strlen(colon + 1) >= kn)
		return -1;
	*colon = '\0';
	memcpy(user, raw, (size_t)(colon - (char *)raw) + 1);
	snprintf(key, kn, "%s", colon + 1);
	sodium_memzero(raw, sizeof(raw));
	return 0;
}

/* Authenticate; on failure, audit it and answer 401. */
static int authenticate(struct req *r, enum MHD_Result *answered)
{
	const char *auth = MHD_lookup_connection_value(
		r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	char user[130] = "", key[200] = "";
	int basic = 0;
	if (auth && !strncasecmp(auth, "Bearer ", 7)) {
		snprintf(key, sizeof(key), "%s", auth + 7);
	} else if (auth && !strncasecmp(auth, "Basic ", 6)) {
		basic = 1;
		if (decode_basic(auth + 6, user, sizeof(user), key, sizeof(key)))
			key[0] = '\0';
	}
	struct vg_store *s = vg__http_store(r->h);
	enum vg_auth_result res = VG_AUTH_MISSING;
	r->actor.source = r->source;
	r->actor.name = "-";
	if (!s) {
		*answered = vg__error(r, 503, "unavailable", "the store cannot be opened");
		return -1;
	}
	int rc = vg_auth_key(s, key, basic ? user : NULL, now_us(),
			     &r->sess, &res);
	sodium_memzero(key, sizeof(key));
	if (!rc && res == VG_AUTH_OK) {
		r->authed = 1;
		r->actor.name = r->sess.user;
		r->actor.user = r->sess.p.user;
		r->actor.org = r->sess.p.org;
		if (auth && !strncasecmp(auth, "Bearer vgk_", 11))
			snprintf(r->key_id, sizeof(r->key_id), "%.16s", auth + 11);
		else if (basic)
			snprintf(r->key_id, sizeof(r->key_id), "basic:%.10s", user);
		return 0;
	}
	/* a failure is on record too, with the address it came from */
	r->t = (struct vg_taxii){.store = s, .writer = r->h->writer,
				 .actor = &r->actor, .defer = &r->defer};
	char detail[200];
	snprintf(detail, sizeof(detail), "{\"reason\":\"%s\",\"path\":\"%.100s\"}",
		 rc ? "store error" : vg_auth_result_name(res), r->path);
	for (char *p = detail; *p; p++)
		if (*p == '\\' || (unsigned char)*p < 0x20)
			*p = '?';
	if (vg_taxii_audit(&r->t, "auth.fail", basic ? user : "", detail)) {
		*answered = vg__error(r, 503, "unavailable", "the audit log cannot be written");
		return -1;
	}
	*answered = vg__error(r, MHD_HTTP_UNAUTHORIZED, "authentication required",
			      "send 'Authorization: Bearer KEY' or HTTP Basic "
			      "USER:KEY");
	return -1;
}

/* ---- helpers ------------------------------------------------------- */

enum MHD_Result vg__http_fail(struct req *r, int rc, const char *what)
{
	switch (rc) {
	case VG_ENOTFOUND:
		return vg__error(r, MHD_HTTP_NOT_FOUND, "not found", what);
	case VG_EINVAL:
		return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request", what);
	case VG_EDENIED:
		return vg__error(r, MHD_HTTP_FORBIDDEN, "forbidden", what);
	}
	fprintf(stderr, "vigil serve: %s %s: %s\n", r->method, r->path,
		vg_strerror(rc));
	return vg__error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal error", NULL);
}

struct args {
	struct vg_taxii_filter *f;
	char err[300];
	int rc;
};

static enum MHD_Result arg_cb(void *cls, enum MHD_ValueKind kind,
			      const char *key, const char *value)
{
	struct args *a = cls;
	(void)kind;
	if (!a->rc)
		a->rc = vg_taxii_filter_add(a->f, key, value, a->err, sizeof(a->err));
	return MHD_YES;
}

static int parse_filter(struct req *r, struct vg_taxii_filter *f,
			unsigned allowed, char *err, size_t errlen)
{
	struct args a = {.f = f};
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, arg_cb, &a);
	if (a.rc) {
		snprintf(err, errlen, "%s", a.err);
		return a.rc;
	}
	return vg_taxii_filter_allowed(f, allowed, err, errlen);
}

static enum MHD_Result page(struct req *r, const struct vg_coll_view *c,
			    enum vg_taxii_page kind, const char *oid,
			    unsigned allowed)
{
	struct vg_taxii_filter f = {0};
	struct vg_buf out;
	struct vg_page_info info = {0};
	char err[300];
	enum MHD_Result ok;
	vg_buf_init(&out, 0);
	int rc = parse_filter(r, &f, allowed, err, sizeof(err));
	if (!rc && !c->can_read)
		rc = VG_EDENIED;
	if (!rc)
		rc = vg_taxii_page(&r->t, c, kind, oid, &f, &out, &info, err,
				   sizeof(err));
	if (rc) {
		ok = vg__http_fail(r, rc, rc == VG_EDENIED ? "no read access to this collection"
			       : rc == VG_ENOTFOUND ? "no such object"
						    : err);
	} else {
		char first[VG_TIME_LEN], last[VG_TIME_LEN];
		vg_time_format_us(info.first, first);
		vg_time_format_us(info.last, last);
		ok = vg__respond(r, MHD_HTTP_OK, TAXII_MEDIA, &out,
				 "X-TAXII-Date-Added-First", info.count ? first : NULL,
				 "X-TAXII-Date-Added-Last", info.count ? last : NULL,
				 NULL);
	}
	vg_buf_release(&out);
	vg_taxii_filter_release(&f);
	return ok;
}

static void root_url(struct req *r, char *out, size_t n)
{
	const char *host = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						       MHD_HTTP_HEADER_HOST);
	int ok = host && *host && strlen(host) < 200;
	for (const char *p = host; ok && *p; p++)
		ok = isalnum((unsigned char)*p) || strchr(".-:[]", *p);
	if (ok)
		snprintf(out, n, "%s://%s" TAXII_ROOT, r->h->tls ? "https" : "http",
			 host);
	else
		snprintf(out, n, TAXII_ROOT);
}

static enum MHD_Result simple_json(struct req *r, int rc, struct vg_buf *b,
				   const char *action, const char *target)
{
	if (!rc)
		rc = vg_taxii_audit(&r->t, action, target, "{}");
	if (rc) {
		vg_buf_release(b);
		return vg__http_fail(r, rc, NULL);
	}
	return vg__respond(r, MHD_HTTP_OK, TAXII_MEDIA, b, NULL);
}

enum MHD_Result vg__method_not_allowed(struct req *r, const char *allow)
{
	struct vg_buf b;
	vg_buf_init(&b, 0);
	vg_buf_printf(&b, "{\"title\":\"method not allowed\",\"http_status\":"
			  "\"405\"}");
	return vg__respond(r, MHD_HTTP_METHOD_NOT_ALLOWED,
			   r->taxii ? TAXII_MEDIA : "application/json", &b,
			   "Allow", allow, NULL);
}

/* ---- TAXII ----------------------------------------------------------- */

#define MAX_SEGS 8

static int split_path(char *p, char **seg, int max)
{
	int n = 0;
	for (char *save = NULL, *t = strtok_r(p, "/", &save); t;
	     t = strtok_r(NULL, "/", &save)) {
		if (n == max)
			return -1;
		seg[n++] = t;
	}
	return n;
}

int vg__is_get(struct req *r)
{
	return !strcmp(r->method, "GET") || !strcmp(r->method, "HEAD");
}

static enum MHD_Result taxii(struct req *r)
{
	char path[sizeof(r->path)], url[300], err[300];
	char *seg[MAX_SEGS];
	struct vg_buf b;
	snprintf(path, sizeof(path), "%s", r->path + strlen("/taxii2/"));
	int n = split_path(path, seg, MAX_SEGS);
	vg_buf_init(&b, 0);
	if (n == 0) {
		r->route = R_DISCOVERY;
		if (!vg__is_get(r))
			return vg__method_not_allowed(r, "GET");
		root_url(r, url, sizeof(url));
		int rc = vg_buf_puts(&b, "{\"title\":");
		if (!rc)
			rc = vg_buf_json_str(&b, r->h->hub.name);
		if (!rc)
			rc = vg_buf_puts(&b, ",\"description\":\"vigil intelligence "
					     "hub\",\"default\":");
		if (!rc)
			rc = vg_buf_json_str(&b, url);
		if (!rc)
			rc = vg_buf_puts(&b, ",\"api_roots\":[");
		if (!rc)
			rc = vg_buf_json_str(&b, url);
		if (!rc)
			rc = vg_buf_puts(&b, "]}");
		return simple_json(r, rc, &b, "discovery.read", "");
	}
	if (strcmp(seg[0], "hub") || n < 1)
		return vg__error(r, MHD_HTTP_NOT_FOUND, "not found", "no such API root");
	if (n == 1) {
		r->route = R_API_ROOT;
		if (!vg__is_get(r))
			return vg__method_not_allowed(r, "GET");
		int rc = vg_buf_puts(&b, "{\"title\":");
		if (!rc)
			rc = vg_buf_json_str(&b, r->h->hub.name);
		if (!rc)
			rc = vg_buf_printf(&b, ",\"description\":\"the hub's API "
					       "root\",\"versions\":[\"" TAXII_MEDIA
					       "\"],\"max_content_length\":%zu}",
					   r->h->conf->max_content_length);
		return simple_json(r, rc, &b, "api_root.read", "");
	}
	if (!strcmp(seg[1], "status") && n == 3) {
		r->route = R_STATUS;
		if (!vg__is_get(r))
			return vg__method_not_allowed(r, "GET");
		int rc = vg_taxii_status(&r->t, seg[2], &b);
		if (rc) {
			vg_buf_release(&b);
			return vg__http_fail(r, rc, "no such status");
		}
		return vg__respond(r, MHD_HTTP_OK, TAXII_MEDIA, &b, NULL);
	}
	if (strcmp(seg[1], "collections") || n > 7)
		return vg__error(r, MHD_HTTP_NOT_FOUND, "not found", "no such resource");
	if (n == 2) {
		r->route = R_COLLECTIONS;
		if (!vg__is_get(r))
			return vg__method_not_allowed(r, "GET");
		int rc = vg_taxii_collections_json(&r->t, &b);
		return simple_json(r, rc, &b, "collections.read", "");
	}
	struct vg_coll_view c;
	int rc = vg_taxii_collection(&r->t, seg[2], &c);
	if (n == 3) {
		r->route = R_COLLECTION;
		if (!vg__is_get(r))
			return vg__method_not_allowed(r, "GET");
		if (!rc)
			rc = vg_taxii_collection_json(&c, &b);
		if (rc == VG_ENOTFOUND) {
			/* invisible and missing look the same, and both are read */
			vg_taxii_audit(&r->t, "collection.read", seg[2],
				       "{\"found\":false}");
			return vg__http_fail(r, rc, "no such collection");
		}
		return simple_json(r, rc, &b, "collection.read", c.id);
	}
	if (rc) {
		vg_taxii_audit(&r->t, "collection.read", seg[2], "{\"found\":false}");
		return vg__http_fail(r, rc, "no such collection");
	}
	const unsigned page_args = VG_TF_ADDED_AFTER | VG_TF_LIMIT | VG_TF_NEXT;
	const unsigned match_all = VG_TF_ID | VG_TF_TYPE | VG_TF_VERSION |
				   VG_TF_SPEC_VERSION;
	if (!strcmp(seg[3], "manifest") && n == 4) {
		r->route = R_MANIFEST;
		if (!vg__is_get(r))
			return vg__method_not_allowed(r, "GET");
		return page(r, &c, VG_PAGE_MANIFEST, NULL, page_args | match_all);
	}
	if (strcmp(seg[3], "objects"))
		return vg__error(r, MHD_HTTP_NOT_FOUND, "not found", "no such resource");
	if (n == 4) {
		if (vg__is_get(r)) {
			r->route = R_OBJECTS_GET;
			return page(r, &c, VG_PAGE_OBJECTS, NULL, page_args | match_all);
		}
		if (strcmp(r->method, "POST"))
			return vg__method_not_allowed(r, "GET, POST");
		r->route = R_OBJECTS_POST;
		const char *type = MHD_lookup_connection_value(
			r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
		if (!vg__content_taxii(type))
			return vg__error(r, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
					 "unsupported media type",
					 "send Content-Type: " TAXII_MEDIA);
		if (!c.can_write)
			return vg__error(r, MHD_HTTP_FORBIDDEN, "forbidden",
					 "no write access to this collection");
		struct vg_ingest_counts counts = {0};
		rc = vg_taxii_add(&r->t, &c, r->body.data ? r->body.data : "",
				  r->body.len, &b, &counts, err, sizeof(err));
		if (rc == VG_EINVAL) {
			vg_buf_release(&b);
			return vg__error(r, MHD_HTTP_UNPROCESSABLE_CONTENT,
					 "not an envelope", err);
		}
		if (rc) {
			vg_buf_release(&b);
			return vg__http_fail(r, rc, NULL);
		}
		vg__metrics_ingest(counts.accepted, counts.duplicates,
				   counts.rejected);
		return vg__respond(r, MHD_HTTP_ACCEPTED, TAXII_MEDIA, &b, NULL);
	}
	const char *oid = seg[4];
	if (n == 5) {
		if (vg__is_get(r)) {
			r->route = R_OBJECT_GET;
			return page(r, &c, VG_PAGE_OBJECT, oid,
				    page_args | VG_TF_VERSION | VG_TF_SPEC_VERSION);
		}
		if (strcmp(r->method, "DELETE"))
			return vg__method_not_allowed(r, "GET, DELETE");
		r->route = R_OBJECT_DELETE;
		struct vg_taxii_filter f = {0};
		rc = parse_filter(r, &f, VG_TF_VERSION | VG_TF_SPEC_VERSION, err,
				  sizeof(err));
		if (!rc && !(c.can_read && c.can_write))
			rc = VG_EDENIED;
		if (!rc)
			rc = vg_taxii_delete(&r->t, &c, oid, &f);
		vg_taxii_filter_release(&f);
		if (rc)
			return vg__http_fail(r, rc, rc == VG_ENOTFOUND ? "no such object"
					 : rc == VG_EDENIED
						 ? "only the owning organisation may "
						   "delete this object"
						 : err);
		return vg__respond(r, MHD_HTTP_OK, TAXII_MEDIA, NULL, NULL);
	}
	if (n == 6 && !strcmp(seg[5], "versions")) {
		r->route = R_VERSIONS;
		if (!vg__is_get(r))
			return vg__method_not_allowed(r, "GET");
		return page(r, &c, VG_PAGE_VERSIONS, oid,
			    page_args | VG_TF_SPEC_VERSION);
	}
	return vg__error(r, MHD_HTTP_NOT_FOUND, "not found", "no such resource");
}

/* ---- /api/v1/audit ----------------------------------------------------- */

struct audit_out {
	struct vg_buf *b;
	size_t n;
};

static int audit_row(void *ud, const struct vg_audit_entry *e)
{
	struct audit_out *o = ud;
	char t[VG_TIME_LEN];
	vg_time_format_us(e->ts, t);
	int rc = vg_buf_printf(o->b, "%s{\"seq\":%lld,\"time\":\"%s\",\"actor\":",
			       o->n++ ? "," : "", (long long)e->seq, t);
	if (!rc)
		rc = vg_buf_json_str(o->b, e->actor);
	if (!rc)
		rc = vg_buf_printf(o->b, ",\"org\":%lld,\"action\":", (long long)e->org);
	if (!rc)
		rc = vg_buf_json_str(o->b, e->action);
	if (!rc)
		rc = vg_buf_puts(o->b, ",\"target\":");
	if (!rc)
		rc = vg_buf_json_str(o->b, e->target);
	if (!rc)
		rc = vg_buf_printf(o->b, ",\"detail\":%s,\"source\":",
				   e->detail[0] ? e->detail : "{}");
	if (!rc)
		rc = vg_buf_json_str(o->b, e->source);
	if (!rc)
		rc = vg_buf_puts(o->b, ",\"purpose\":");
	if (!rc)
		rc = vg_buf_json_str(o->b, e->purpose);
	return rc ? rc : vg_buf_putc(o->b, '}');
}

static enum MHD_Result audit_api(struct req *r)
{
	struct vg_audit_filter f = {.limit = 100};
	struct vg_buf b;
	const char *v;
	r->route = R_AUDIT;
	if (!vg__is_get(r))
		return vg__method_not_allowed(r, "GET");
	if (!vg_role_allows(r->sess.p.role, VG_ACT_AUDIT))
		return vg__error(r, MHD_HTTP_FORBIDDEN, "forbidden",
				 "the audit log is for the auditor role");
	f.actor = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "actor");
	if ((v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
					     "since")) &&
	    vg_time_parse_us(v, &f.since))
		return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request",
				 "'since' is not a timestamp");
	if ((v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
					     "after"))) {
		char *end;
		f.after_seq = strtoll(v, &end, 10);
		if (!*v || *end || f.after_seq < 0)
			return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request",
					 "'after' is not an entry number");
	}
	if ((v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
					     "limit"))) {
		char *end;
		long long l = strtoll(v, &end, 10);
		if (!*v || *end || l < 1)
			return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request",
					 "'limit' is not a positive integer");
		f.limit = l > 1000 ? 1000 : (size_t)l;
	}
	vg_buf_init(&b, 0);
	struct audit_out o = {.b = &b};
	int rc = vg_buf_puts(&b, "{\"entries\":[");
	/* committed before the scan, so that the log shows its own reading */
	struct vg_audit_defer *keep = r->t.defer;
	r->t.defer = NULL;
	if (!rc)
		rc = vg_taxii_audit(&r->t, "audit.read", f.actor ? f.actor : "", "{}");
	r->t.defer = keep;
	if (!rc)
		rc = r->t.store->ops->hub->audit_scan(r->t.store, &f, audit_row, &o);
	if (!rc)
		rc = vg_buf_printf(&b, "],\"more\":%s}",
				   o.n == f.limit ? "true" : "false");
	if (rc) {
		vg_buf_release(&b);
		return vg__http_fail(r, rc, NULL);
	}
	return vg__respond(r, MHD_HTTP_OK, "application/json", &b, NULL);
}

/* ---- dispatch -------------------------------------------------------- */

enum MHD_Result vg__dispatch(struct req *r)
{
	enum MHD_Result answered;
	if (!strcmp(r->path, "/healthz")) {
		struct vg_buf b;
		r->route = R_HEALTHZ;
		vg_buf_init(&b, 0);
		vg_buf_puts(&b, "{\"status\":\"ok\"}");
		return vg__respond(r, MHD_HTTP_OK, "application/json", &b, NULL);
	}
	if (authenticate(r, &answered))
		return answered;
	const char *purpose = MHD_lookup_connection_value(
		r->conn, MHD_HEADER_KIND, "X-Vigil-Purpose");
	if (purpose && strlen(purpose) > 500)
		return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request",
				 "X-Vigil-Purpose is longer than 500 characters");
	r->actor.purpose = purpose;
	r->t = (struct vg_taxii){
		.store = vg__http_store(r->h),
		.writer = r->h->writer,
		.sess = &r->sess,
		.actor = &r->actor,
		.secret = r->h->hub.secret,
		.status_ttl_us = (int64_t)r->h->conf->status_ttl_hours * 3600000000LL,
		.level_markings = r->h->hub.level_ptrs,
		.n_levels = r->h->hub.n_levels,
		.auth_key = r->key_id[0] ? r->key_id : NULL,
		.defer = &r->defer,
	};
	/* screening travellers is a read of the watchlists, by POST */
	int screen = !strcmp(r->method, "POST") &&
		     (!strcmp(r->path, "/api/v1/screen") ||
		      !strcmp(r->path, "/api/v1/screen/"));
	if (r->h->conf->purpose_required && (vg__is_get(r) || screen) &&
	    (!purpose || !*purpose))
		return vg__error(r, MHD_HTTP_BAD_REQUEST, "purpose required",
				 "this hub requires an X-Vigil-Purpose header on "
				 "every read and screening");
	if (!strcmp(r->path, "/metrics")) {
		struct vg_buf b;
		r->route = R_METRICS;
		if (!vg_role_allows(r->sess.p.role, VG_ACT_AUDIT) &&
		    !vg_role_allows(r->sess.p.role, VG_ACT_HUB_ADMIN))
			return vg__error(r, MHD_HTTP_FORBIDDEN, "forbidden",
					 "metrics are for hub admins and auditors");
		vg_buf_init(&b, 0);
		int rc = vg__metrics_text(r->h, &b);
		if (!rc)
			rc = vg_taxii_audit(&r->t, "metrics.read", "", "{}");
		if (rc) {
			vg_buf_release(&b);
			return vg__http_fail(r, rc, NULL);
		}
		return vg__respond(r, MHD_HTTP_OK,
				   "text/plain; version=0.0.4; charset=utf-8", &b,
				   NULL);
	}
	if (!strcmp(r->path, "/api/v1/audit") || !strcmp(r->path, "/api/v1/audit/"))
		return audit_api(r);
	if (!strncmp(r->path, "/api/v1/screen", 14) &&
	    (!r->path[14] || r->path[14] == '/'))
		return vg__screen_api(r);
	if (r->taxii) {
		const char *accept = MHD_lookup_connection_value(
			r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
		if (!vg__accept_taxii(accept))
			return vg__error(r, MHD_HTTP_NOT_ACCEPTABLE, "not acceptable",
					 "this server answers " TAXII_MEDIA);
		return taxii(r);
	}
	return vg__error(r, MHD_HTTP_NOT_FOUND, "not found", "no such resource");
}
