/* The route table and dispatch: a request's path is cut into segments
 * once (empty ones dropped), matched against the table, authenticated,
 * checked by the service for the route's right, then handed to its
 * handler. Handlers parse, call one service function and render. */
#include "http_int.h"
#include "warn_http.h"
#include "vigil/util/error.h"
#include "vigil/util/jsonw.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PARTNERS_403 "partner hubs are for hub admins"

static const struct vg_route routes[] = {
	{"GET", "healthz", R_HEALTHZ, vg__h_healthz, NEED_AUTH, ROUTE_NO_AUTH, NULL},
	/* the console: its files need no key (they hold no data) */
	{"GET", "", R_UI, vg__h_root, NEED_AUTH, ROUTE_NO_AUTH | ROUTE_ARGS,
	 NULL},
	{"GET", "ui", R_UI, vg__h_ui, NEED_AUTH, ROUTE_NO_AUTH | ROUTE_ARGS,
	 NULL},
	{"GET", "ui/*", R_UI, vg__h_ui, NEED_AUTH, ROUTE_NO_AUTH | ROUTE_ARGS,
	 NULL},
	{"GET", "metrics", R_METRICS, vg__h_metrics, NEED_AUTH, ROUTE_READ,
	 "metrics are for hub admins and auditors"},
	{"GET", ".well-known/vigil-hub", R_OTHER, vg__h_well_known, NEED_AUTH,
	 ROUTE_NO_AUTH, NULL},
	/* TAXII 2.1 */
	{"GET", "taxii2", R_DISCOVERY, vg__h_discovery, NEED_AUTH,
	 ROUTE_READ | ROUTE_TAXII, NULL},
	{"GET", "taxii2/hub", R_API_ROOT, vg__h_api_root, NEED_AUTH,
	 ROUTE_READ | ROUTE_TAXII, NULL},
	{"GET", "taxii2/hub/status/*", R_STATUS, vg__h_status, NEED_AUTH,
	 ROUTE_READ | ROUTE_TAXII, NULL},
	{"GET", "taxii2/hub/collections", R_COLLECTIONS, vg__h_collections,
	 NEED_AUTH, ROUTE_READ | ROUTE_TAXII, NULL},
	{"GET", "taxii2/hub/collections/*", R_COLLECTION, vg__h_collection,
	 NEED_AUTH, ROUTE_READ | ROUTE_TAXII, NULL},
	{"GET", "taxii2/hub/collections/*/manifest", R_MANIFEST, vg__h_manifest,
	 NEED_AUTH, ROUTE_READ | ROUTE_TAXII | ROUTE_ARGS,
	 "no read access to this collection"},
	{"GET", "taxii2/hub/collections/*/objects", R_OBJECTS_GET,
	 vg__h_objects_get, NEED_AUTH, ROUTE_READ | ROUTE_TAXII | ROUTE_ARGS,
	 "no read access to this collection"},
	{"POST", "taxii2/hub/collections/*/objects", R_OBJECTS_POST,
	 vg__h_objects_post, NEED_AUTH, ROUTE_TAXII,
	 "no write access to this collection"},
	{"GET", "taxii2/hub/collections/*/objects/*", R_OBJECT_GET,
	 vg__h_object_get, NEED_AUTH, ROUTE_READ | ROUTE_TAXII | ROUTE_ARGS,
	 "no read access to this collection"},
	{"DELETE", "taxii2/hub/collections/*/objects/*", R_OBJECT_DELETE,
	 vg__h_object_delete, NEED_AUTH, ROUTE_TAXII | ROUTE_ARGS,
	 "only the owning organisation may delete this object"},
	{"GET", "taxii2/hub/collections/*/objects/*/versions", R_VERSIONS,
	 vg__h_versions, NEED_AUTH, ROUTE_READ | ROUTE_TAXII | ROUTE_ARGS,
	 "no read access to this collection"},
	/* /api/v1 */
	{"GET", "api/v1/audit", R_AUDIT, vg__h_audit, VG_ACT_AUDIT,
	 ROUTE_READ | ROUTE_ARGS, "the audit log is for the auditor role"},
	{"POST", "api/v1/screen", R_SCREEN, vg__h_screen, VG_ACT_SCREEN,
	 ROUTE_READ | ROUTE_ARGS, "the role does not allow this"},
	{"GET", "api/v1/screen", R_SCREEN, vg__h_screen_list, VG_ACT_SCREEN,
	 ROUTE_READ | ROUTE_ARGS, "the role does not allow this"},
	/* before the run route below, which would take it for a run */
	{"GET", "api/v1/screen/suppressions", R_SCREEN, vg__h_suppressions,
	 VG_ACT_SCREEN, ROUTE_READ | ROUTE_ARGS, "the role does not allow this"},
	{"DELETE", "api/v1/screen/suppressions/*", R_SCREEN,
	 vg__h_suppression_withdraw, VG_ACT_WRITE, 0,
	 "the role does not allow this"},
	{"GET", "api/v1/screen/*", R_SCREEN, vg__h_screen_run, VG_ACT_SCREEN,
	 ROUTE_READ, "the role does not allow this"},
	{"POST", "api/v1/screen/*/hits/*", R_SCREEN, vg__h_screen_dispose,
	 VG_ACT_WRITE, 0, "the role does not allow this"},
	{"GET", "api/v1/audit/verify", R_AUDIT, vg__h_audit_verify, VG_ACT_AUDIT,
	 ROUTE_READ, "the audit log is for the auditor role"},
	/* the console's sessions, search and object view */
	{"POST", "api/v1/session", R_SESSION, vg__h_session_open, NEED_AUTH,
	 ROUTE_NO_AUTH, NULL},
	{"GET", "api/v1/session", R_SESSION, vg__h_session_get, NEED_AUTH, 0,
	 NULL},
	{"DELETE", "api/v1/session", R_SESSION, vg__h_session_close, NEED_AUTH, 0,
	 NULL},
	{"POST", "api/v1/session/purpose", R_SESSION, vg__h_session_purpose,
	 NEED_AUTH, 0, NULL},
	{"GET", "api/v1/search", R_CONSOLE, vg__h_search, VG_ACT_READ,
	 ROUTE_READ | ROUTE_ARGS, "the role does not read intelligence"},
	{"GET", "api/v1/objects/*", R_CONSOLE, vg__h_object_view, VG_ACT_READ,
	 ROUTE_READ, "the role does not read intelligence"},
	{"GET", "api/v1/orgs", R_ADMIN, vg__h_orgs_get, NEED_AUTH, ROUTE_READ,
	 NULL},
	{"POST", "api/v1/orgs", R_ADMIN, vg__h_orgs_post, VG_ACT_HUB_ADMIN, 0,
	 "organisations are for hub admins"},
	{"GET", "api/v1/users", R_ADMIN, vg__h_users_get, NEED_AUTH, ROUTE_READ,
	 NULL},
	{"POST", "api/v1/users", R_ADMIN, vg__h_users_post, VG_ACT_ORG_ADMIN, 0,
	 "the role does not allow adding this user"},
	{"POST", "api/v1/users/*/disable", R_ADMIN, vg__h_user_disable,
	 VG_ACT_ORG_ADMIN, 0, "the role does not allow disabling this user"},
	{"GET", "api/v1/keys", R_ADMIN, vg__h_keys_get, NEED_AUTH, ROUTE_READ,
	 NULL},
	{"POST", "api/v1/keys", R_ADMIN, vg__h_keys_post, NEED_AUTH, 0,
	 "the role does not allow keys for this user"},
	{"DELETE", "api/v1/keys/*", R_ADMIN, vg__h_key_delete, NEED_AUTH, 0,
	 "the role does not allow revoking this key"},
	{"GET", "api/v1/groups", R_ADMIN, vg__h_groups_get, NEED_AUTH,
	 ROUTE_READ, NULL},
	{"POST", "api/v1/groups", R_ADMIN, vg__h_groups_post, VG_ACT_HUB_ADMIN, 0,
	 "sharing groups are for hub admins"},
	{"POST", "api/v1/groups/*/members/*", R_ADMIN, vg__h_group_member_add,
	 VG_ACT_HUB_ADMIN, 0, "sharing groups are for hub admins"},
	{"DELETE", "api/v1/groups/*/members/*", R_ADMIN,
	 vg__h_group_member_remove, VG_ACT_HUB_ADMIN, 0,
	 "sharing groups are for hub admins"},
	/* federation (fed_routes.c) */
	{"GET", "api/v1/partners", R_ADMIN, vg__h_partners_get, VG_ACT_HUB_ADMIN,
	 ROUTE_READ, PARTNERS_403},
	{"POST", "api/v1/partners", R_ADMIN, vg__h_partners_post,
	 VG_ACT_HUB_ADMIN, 0, PARTNERS_403},
	{"GET", "api/v1/partners/status", R_ADMIN, vg__h_partner_status,
	 VG_ACT_HUB_ADMIN, ROUTE_READ, PARTNERS_403},
	{"GET", "api/v1/partners/*", R_ADMIN, vg__h_partner_get, VG_ACT_HUB_ADMIN,
	 ROUTE_READ, PARTNERS_403},
	{"PATCH", "api/v1/partners/*", R_ADMIN, vg__h_partner_patch,
	 VG_ACT_HUB_ADMIN, 0, PARTNERS_403},
	{"DELETE", "api/v1/partners/*", R_ADMIN, vg__h_partner_delete,
	 VG_ACT_HUB_ADMIN, 0, PARTNERS_403},
	{"GET", "api/v1/partners/*/status", R_ADMIN, vg__h_partner_status,
	 VG_ACT_HUB_ADMIN, ROUTE_READ, PARTNERS_403},
	{"GET", "api/v1/partners/*/quarantine", R_ADMIN, vg__h_partner_quarantine,
	 VG_ACT_HUB_ADMIN, ROUTE_READ, PARTNERS_403},
	{"POST", "api/v1/partners/*/quarantine/retry", R_ADMIN,
	 vg__h_partner_quarantine_act, VG_ACT_HUB_ADMIN, 0, PARTNERS_403},
	{"POST", "api/v1/partners/*/quarantine/drop", R_ADMIN,
	 vg__h_partner_quarantine_act, VG_ACT_HUB_ADMIN, 0, PARTNERS_403},
	{"GET", "api/v1/partners/*/preview", R_ADMIN, vg__h_partner_preview,
	 VG_ACT_HUB_ADMIN, ROUTE_READ | ROUTE_ARGS, PARTNERS_403},
	{"GET", "api/v1/fed/tombstones", R_OTHER, vg__h_tombstones_get,
	 VG_ACT_READ, ROUTE_READ | ROUTE_ARGS, "for partner hubs"},
	{"POST", "api/v1/fed/tombstones", R_OTHER, vg__h_tombstones_post,
	 VG_ACT_WRITE, 0, "for partner hubs"},
	/* early warning (warn_routes.c, warn_sse.c) */
	{"GET", "api/v1/objects/*/correlations", R_WARN, vg__h_correlations,
	 VG_ACT_READ, ROUTE_READ, "the role does not allow reading"},
	{"GET", "api/v1/watches", R_WARN, vg__h_watches_get, VG_ACT_READ,
	 ROUTE_READ, "the role does not allow watches"},
	{"POST", "api/v1/watches", R_WARN, vg__h_watches_post, VG_ACT_READ, 0,
	 "the role does not allow watches"},
	{"DELETE", "api/v1/watches/*", R_WARN, vg__h_watch_delete, VG_ACT_READ,
	 0, "the role does not allow removing this watch"},
	{"PATCH", "api/v1/watches/*", R_WARN, vg__h_watch_patch, VG_ACT_READ,
	 0, "the role does not allow changing this watch"},
	{"GET", "api/v1/alerts", R_WARN, vg__h_alerts_get, VG_ACT_READ,
	 ROUTE_READ | ROUTE_ARGS, "the role does not allow alerts"},
	{"GET", "api/v1/alerts/stream", R_WARN, vg__h_alerts_stream, VG_ACT_READ,
	 ROUTE_READ | ROUTE_ARGS | ROUTE_STREAM, "the role does not allow alerts"},
	{"POST", "api/v1/alerts/*/ack", R_WARN, vg__h_alert_ack, VG_ACT_READ, 0,
	 "the role does not allow alerts"},
	{"GET", "api/v1/access-requests", R_WARN, vg__h_requests_get,
	 VG_ACT_READ, ROUTE_READ, "the role does not allow access requests"},
	{"POST", "api/v1/access-requests", R_WARN, vg__h_requests_post,
	 VG_ACT_READ, ROUTE_READ, "the role does not allow access requests"},
	{"POST", "api/v1/access-requests/*/decide", R_WARN,
	 vg__h_request_decide, VG_ACT_WRITE, 0,
	 "deciding is for the owning organisation's analysts"},
	{"GET", "api/v1/grants", R_WARN, vg__h_grants_get, VG_ACT_READ,
	 ROUTE_READ, "the role does not allow this"},
	{"DELETE", "api/v1/grants/*", R_WARN, vg__h_grant_delete, VG_ACT_WRITE,
	 0, "revoking is for the owning organisation's analysts"},
	{"POST", "api/v1/disclosure", R_WARN, vg__h_disclosure_post,
	 VG_ACT_WRITE, 0, "the owning organisation's analysts decide this"},
	{"GET", "api/v1/exclusions", R_WARN, vg__h_exclusions_get, VG_ACT_READ,
	 ROUTE_READ, "the role does not allow this"},
	{"POST", "api/v1/exclusions", R_WARN, vg__h_exclusions_post, NEED_AUTH,
	 0, "exclusions are for hub admins"},
	{"GET", "api/v1/graph/*", R_WARN, vg__h_graph, VG_ACT_READ, ROUTE_READ | ROUTE_ARGS,
	 "the role does not allow reading"},
	{"GET", "api/v1/trends", R_WARN, vg__h_trends, VG_ACT_READ, ROUTE_READ | ROUTE_ARGS,
	 "the role does not allow reading"},
	{"GET", "api/v1/trends/signals", R_WARN, vg__h_signals, VG_ACT_READ,
	 ROUTE_READ | ROUTE_ARGS, "the role does not allow reading"},
};

#define N_ROUTES (sizeof(routes) / sizeof(routes[0]))

/* ---- helpers -------------------------------------------------------- */

const char *vg__arg(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

struct only {
	const char *const *allowed;
	unsigned seen;
	int twice;
	char bad[80];
};

static enum MHD_Result only_cb(void *cls, enum MHD_ValueKind kind,
			       const char *key, const char *value)
{
	struct only *o = cls;
	unsigned i = 0;
	(void)kind;
	(void)value;
	if (o->bad[0])
		return MHD_NO;
	for (const char *const *a = o->allowed; a && *a; a++, i++) {
		if (strcmp(key, *a))
			continue;
		o->twice = (o->seen >> i) & 1;
		o->seen |= 1u << i;
		if (o->twice)
			break;
		return MHD_YES;
	}
	snprintf(o->bad, sizeof(o->bad), "%.60s", key);
	return MHD_NO;
}

int vg__args_only(struct req *r, const char *const *allowed, char *err,
		  size_t errlen)
{
	struct only o = {.allowed = allowed};
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, only_cb, &o);
	if (!o.bad[0])
		return VG_OK;
	snprintf(err, errlen, o.twice ? "'%s' given more than once"
				      : "'%s' is not a parameter of this endpoint",
		 o.bad);
	return VG_EINVAL;
}

/* ---- authentication -------------------------------------------------- */

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
	    strlen(colon + 1) >= kn) {
		sodium_memzero(raw, sizeof(raw));
		return -1;
	}
	*colon = '\0';
	memcpy(user, raw, (size_t)(colon - (char *)raw) + 1);
	snprintf(key, kn, "%s", colon + 1);
	sodium_memzero(raw, sizeof(raw));
	return 0;
}

#define SESSION_COOKIE "vigil_session"

static int writes(const struct req *r)
{
	return strcmp(r->method, "GET") && strcmp(r->method, "HEAD");
}

/* Authenticate by the console's session cookie: on failure (audited by
 * the service) 401, or 403 for a change without the session's CSRF
 * token. */
static int authenticate_session(struct req *r, const char *sid,
				enum MHD_Result *answered)
{
	enum vg_auth_result res;
	const char *csrf = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						       "X-CSRF-Token");
	int rc = vg_session_authenticate(&r->ctx, sid, writes(r), csrf, r->path,
					 &r->sess, &res);
	if (rc == VG_EDENIED) {
		*answered = vg__error(r, MHD_HTTP_FORBIDDEN, "forbidden",
				      "a change needs this session's X-CSRF-Token");
		return -1;
	}
	if (rc) {
		*answered = vg__error(r, 503, "unavailable",
				      rc == VG_ESTORE ? "the store cannot be opened"
						      : "the audit log cannot be written");
		return -1;
	}
	if (res != VG_AUTH_OK) {
		*answered = vg__error(r, MHD_HTTP_UNAUTHORIZED,
				      "authentication required",
				      res == VG_AUTH_SESSION_EXPIRED
					      ? "the session has expired: sign in again"
					      : "the session has ended: sign in again");
		return -1;
	}
	r->by_session = 1;
	snprintf(r->sid, sizeof(r->sid), "%s", sid);
	return 0;
}

/* Authenticate from the Authorization header, else the console's
 * session cookie; on failure (audited by the service) answer 401. */
static int authenticate(struct req *r, enum MHD_Result *answered)
{
	const char *auth = MHD_lookup_connection_value(
		r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	const char *sid = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND,
						      SESSION_COOKIE);
	if (!auth && sid)
		return authenticate_session(r, sid, answered);
	char user[130] = "", key[200] = "";
	enum vg_cred_scheme scheme = VG_CRED_NONE;
	enum vg_auth_result res;
	if (auth && (!strncasecmp(auth, "Bearer ", 7) ||
		     !strncasecmp(auth, "Token ", 6))) {
		/* taxii2-client's TokenAuth says Token */
		scheme = VG_CRED_BEARER;
		snprintf(key, sizeof(key), "%s", auth + (auth[0] == 'T' ||
							 auth[0] == 't' ? 6 : 7));
	} else if (auth && !strncasecmp(auth, "Basic ", 6)) {
		scheme = VG_CRED_BASIC;
		if (decode_basic(auth + 6, user, sizeof(user), key, sizeof(key)))
			key[0] = '\0';
	} else if (auth) {
		scheme = VG_CRED_OTHER;
	}
	int rc = vg_ctx_authenticate(&r->ctx, scheme, key, user, r->path, &res);
	sodium_memzero(key, sizeof(key));
	if (rc) {
		*answered = vg__error(r, 503, "unavailable",
				      rc == VG_ESTORE ? "the store cannot be opened"
						      : "the audit log cannot be written");
		return -1;
	}
	if (res == VG_AUTH_OK)
		return 0;
	*answered = vg__error(r, MHD_HTTP_UNAUTHORIZED, "authentication required",
			      "send 'Authorization: Bearer KEY' or HTTP Basic "
			      "USER:KEY");
	return -1;
}

void vg__routes_json(struct vg_jw *w)
{
	char line[160];
	for (size_t i = 0; i < N_ROUTES; i++) {
		if (strncmp(routes[i].pattern, "api/v1/", 7))
			continue;
		snprintf(line, sizeof(line), "%s %s", routes[i].method,
			 routes[i].pattern);
		vg_jw_str(w, line);
	}
}

/* ---- dispatch -------------------------------------------------------- */

static void split(struct req *r)
{
	snprintf(r->segbuf, sizeof(r->segbuf), "%s", r->path);
	r->n_seg = 0;
	for (char *save = NULL, *t = strtok_r(r->segbuf, "/", &save); t;
	     t = strtok_r(NULL, "/", &save)) {
		if (r->n_seg == MAX_SEGS) {
			r->n_seg = -1; /* longer than any route */
			return;
		}
		r->seg[r->n_seg++] = t;
	}
}

/* The pattern's segments (no empty one) against the path's, "*" for any
 * one segment; read in place, as every request tries many routes. */
static int matches(const char *pattern, struct req *r)
{
	int n = 0;
	for (const char *t = pattern; *t; n++) {
		size_t len = strcspn(t, "/");
		if (n >= r->n_seg ||
		    ((len != 1 || *t != '*') &&
		     (strncmp(t, r->seg[n], len) || r->seg[n][len])))
			return 0;
		t += len;
		t += *t == '/';
	}
	return n == r->n_seg;
}

static int method_is(const struct req *r, const char *m)
{
	return !strcmp(r->method, m) ||
	       (!strcmp(m, "GET") && !strcmp(r->method, "HEAD"));
}

/* The handler, once the query holds only what it reads: a route without
 * ROUTE_ARGS takes no parameter at all. */
static enum MHD_Result run(struct req *r, const struct vg_route *rt)
{
	char err[200];
	if (!(rt->flags & ROUTE_ARGS) && vg__args_only(r, NULL, err, sizeof(err)))
		return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request", err);
	return rt->fn(r);
}

enum MHD_Result vg__dispatch(struct req *r)
{
	const struct vg_route *found = NULL;
	char allow[64] = "";
	enum MHD_Result answered;
	split(r);
	for (size_t i = 0; i < N_ROUTES && !found; i++) {
		if (!matches(routes[i].pattern, r))
			continue;
		if (method_is(r, routes[i].method)) {
			found = &routes[i];
		} else if (!strstr(allow, routes[i].method)) {
			size_t n = strlen(allow);
			snprintf(allow + n, sizeof(allow) - n, "%s%s", n ? ", " : "",
				 routes[i].method);
		}
	}
	r->taxii = r->n_seg > 0 && !strcmp(r->seg[0], "taxii2");
	if (found && (found->flags & ROUTE_NO_AUTH)) {
		r->route = found->name;
		return run(r, found);
	}
	/* a refusal is counted under the route asked for (/metrics) */
	if (found)
		r->route = found->name;
	if (found && (found->flags & ROUTE_STREAM))
		r->ctx.may_keep = 0;
	if (authenticate(r, &answered))
		return answered;
	const char *purpose = MHD_lookup_connection_value(
		r->conn, MHD_HEADER_KIND, "X-Vigil-Purpose");
	if (purpose && strlen(purpose) > 500)
		return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request",
				 "X-Vigil-Purpose is longer than 500 characters");
	r->ctx.purpose = purpose;
	/* the console states its purpose once, in its session */
	if (!purpose && r->by_session && r->sess.purpose[0])
		r->ctx.purpose = r->sess.purpose;
	/* a partner hub's sync front asks for the objects' provenance */
	const char *fed = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						      "X-Vigil-Federation");
	r->ctx.fed_meta = fed && !strcmp(fed, "1");
	if (!found) {
		if (allow[0]) {
			r->route = R_OTHER;
			return vg__method_not_allowed(r, allow);
		}
		return vg__error(r, MHD_HTTP_NOT_FOUND, "not found",
				 "no such resource");
	}
	r->route = found->name;
	if (found->flags & ROUTE_TAXII) {
		const char *accept = MHD_lookup_connection_value(
			r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
		if (!vg__accept_taxii(accept))
			return vg__error(r, MHD_HTTP_NOT_ACCEPTABLE, "not acceptable",
					 "this server answers " TAXII_MEDIA);
	}
	/* the route's right and the purpose, checked (and a refusal
	 * audited) by the service before the handler reads anything */
	r->rt = found;
	int rc = VG_OK;
	if (found->need != NEED_AUTH)
		rc = vg_ctx_require(&r->ctx, (enum vg_action)found->need,
				    found->pattern);
	if (!rc && (found->flags & ROUTE_READ))
		rc = vg_ctx_purpose(&r->ctx);
	if (rc)
		return vg__http_fail(r, rc, NULL);
	return run(r, found);
}
