/* Shared between the files of http/. Thin: routing (one table), parsing
 * requests, authentication headers, mapping service errors to statuses
 * and TAXII error bodies. Every rule is the service's. */
#ifndef VIGIL_HTTP_INT_H
#define VIGIL_HTTP_INT_H

#include <microhttpd.h>
#include <stdatomic.h>
#include <stdint.h>

#include "vigil/http/server.h"
#include "vigil/service/service.h"
#include "vigil/service/session.h"
#include "vigil/taxii/filter.h"
#include "vigil/util/buf.h"

#define TAXII_MEDIA "application/taxii+json;version=2.1"
#define TAXII_ROOT "/taxii2/hub/"

/* Route names (for /metrics). */
enum route {
	R_HEALTHZ, R_METRICS, R_DISCOVERY, R_API_ROOT, R_COLLECTIONS,
	R_COLLECTION, R_OBJECTS_GET, R_OBJECTS_POST, R_OBJECT_GET,
	R_OBJECT_DELETE, R_VERSIONS, R_MANIFEST, R_STATUS, R_AUDIT, R_SCREEN,
	R_ADMIN, R_UI, R_SESSION, R_CONSOLE, R_OTHER, R_WARN, R__COUNT,
};

/* The server, shared by every request. */
struct vg_http {
	const struct vg_server_conf *conf;
	struct vg_service *svc;
	atomic_int in_flight;
	/* after SIGTERM: new requests are refused (503) while the admitted
	 * ones (working) finish */
	atomic_int stopping;
	atomic_int working;
	/* requests with a large body in flight: when the last one ends,
	 * freed memory goes back to the system (server.c completed) */
	atomic_int large;
	int tls;
};

#define MAX_SEGS 10

struct vg_route;

/* One request. */
struct req {
	struct vg_http *h;
	struct MHD_Connection *conn;
	const char *method;
	char path[4100];
	/* the path cut at '/', empty segments dropped (so "//" and "/" name
	 * the same resource for the routes and for every check) */
	char segbuf[4100];
	char *seg[MAX_SEGS];
	int n_seg;
	struct vg_buf body;
	int too_big;
	int large; /* counted in vg_http.large */
	int64_t start_ns;
	enum route route;
	int status;
	int taxii; /* TAXII media types and error bodies */
	char source[64];
	struct vg_ctx ctx;
	const struct vg_route *rt; /* the route matched */
	/* a read's audit entries: the answer waits, suspended, for their
	 * commit (vg__respond) */
	struct vg_audit_defer defer;
	struct MHD_Response *pending;
	unsigned pending_status;
	int audit_rc;
	int admitted; /* counted in working */
	int proxied;  /* from a trusted proxy: its X-Forwarded-* count */
	/* authenticated by a console session (the cookie): its id and what
	 * the service said of it */
	int by_session;
	char sid[VG_SESSION_TOKEN_LEN];
	struct vg_session_info sess;
};

/* One entry of the route table. */
struct vg_route {
	const char *method;  /* "GET" (HEAD too), "POST", "PATCH", "DELETE" */
	const char *pattern; /* segments; "*" matches any one */
	enum route name;
	enum MHD_Result (*fn)(struct req *r);
	int need;            /* enum vg_action, or NEED_AUTH only */
	unsigned flags;      /* ROUTE_* */
	const char *denied;  /* the 403 description */
};

#define NEED_AUTH (-1)
enum {
	ROUTE_READ = 1,    /* a read: the purpose, where required */
	ROUTE_TAXII = 2,   /* TAXII media types */
	ROUTE_NO_AUTH = 4, /* /healthz */
	ROUTE_ARGS = 8,    /* the handler reads query parameters; without
			    * it, any parameter is 400 */
	ROUTE_STREAM = 16, /* answers as things happen: never from the read
			    * cache, as it cannot be asked again */
};

/* Called again for a resumed request: queue its answer. */
enum MHD_Result vg__respond_resumed(struct req *r);

/* Responses: the body is taken; extra headers as name, value pairs
 * ending with NULL. */
enum MHD_Result vg__respond(struct req *r, unsigned status, const char *type,
			    struct vg_buf *body, ...);
/* A TAXII error body {"title","description","http_status"} (or a plain
 * JSON error outside TAXII). */
enum MHD_Result vg__error(struct req *r, unsigned status, const char *title,
			  const char *description);
/* 405 with the Allow header. */
enum MHD_Result vg__method_not_allowed(struct req *r, const char *allow);
/* Map a service error to a response; what describes a 404, 400 or 403
 * (NULL: the route's words for a 403). */
enum MHD_Result vg__http_fail(struct req *r, int rc, const char *what);
/* 200 with JSON (TAXII's or plain) of b. */
enum MHD_Result vg__ok_json(struct req *r, int rc, struct vg_buf *b);

/* Routing (routes.c). */
enum MHD_Result vg__dispatch(struct req *r);
/* 1 when the Accept header admits TAXII 2.1 JSON. */
int vg__accept_taxii(const char *accept);
/* 1 when the Content-Type is TAXII 2.1 JSON. */
int vg__content_taxii(const char *type);
const char *vg__arg(struct req *r, const char *name);
/* Every query parameter must be one of allowed (NULL-terminated), each
 * given once: VG_EINVAL with err naming the first that is not. */
int vg__args_only(struct req *r, const char *const *allowed, char *err,
		  size_t errlen);
/* The request body as one JSON object and nothing after it but white
 * space, or NULL (caller frees with cJSON_Delete). */
struct cJSON;
struct cJSON *vg__body_object(struct req *r);

/* The handlers, by file. */
enum MHD_Result vg__h_discovery(struct req *r);
enum MHD_Result vg__h_api_root(struct req *r);
enum MHD_Result vg__h_status(struct req *r);
enum MHD_Result vg__h_collections(struct req *r);
enum MHD_Result vg__h_collection(struct req *r);
enum MHD_Result vg__h_manifest(struct req *r);
enum MHD_Result vg__h_objects_get(struct req *r);
enum MHD_Result vg__h_objects_post(struct req *r);
enum MHD_Result vg__h_object_get(struct req *r);
enum MHD_Result vg__h_object_delete(struct req *r);
enum MHD_Result vg__h_versions(struct req *r);
enum MHD_Result vg__h_audit(struct req *r);
enum MHD_Result vg__h_screen(struct req *r);
enum MHD_Result vg__h_screen_run(struct req *r);
enum MHD_Result vg__h_screen_dispose(struct req *r);
enum MHD_Result vg__h_screen_list(struct req *r);
enum MHD_Result vg__h_suppressions(struct req *r);
enum MHD_Result vg__h_suppression_withdraw(struct req *r);
enum MHD_Result vg__h_orgs_get(struct req *r);
enum MHD_Result vg__h_orgs_post(struct req *r);
enum MHD_Result vg__h_users_get(struct req *r);
enum MHD_Result vg__h_users_post(struct req *r);
enum MHD_Result vg__h_user_disable(struct req *r);
enum MHD_Result vg__h_keys_get(struct req *r);
enum MHD_Result vg__h_keys_post(struct req *r);
enum MHD_Result vg__h_key_delete(struct req *r);
enum MHD_Result vg__h_groups_get(struct req *r);
enum MHD_Result vg__h_groups_post(struct req *r);
enum MHD_Result vg__h_group_member_add(struct req *r);
enum MHD_Result vg__h_group_member_remove(struct req *r);
enum MHD_Result vg__h_well_known(struct req *r);
enum MHD_Result vg__h_tombstones_get(struct req *r);
enum MHD_Result vg__h_tombstones_post(struct req *r);
enum MHD_Result vg__h_partners_get(struct req *r);
enum MHD_Result vg__h_partners_post(struct req *r);
enum MHD_Result vg__h_partner_get(struct req *r);
enum MHD_Result vg__h_partner_patch(struct req *r);
enum MHD_Result vg__h_partner_delete(struct req *r);
enum MHD_Result vg__h_partner_status(struct req *r);
enum MHD_Result vg__h_partner_quarantine(struct req *r);
enum MHD_Result vg__h_partner_quarantine_act(struct req *r);
enum MHD_Result vg__h_partner_preview(struct req *r);
enum MHD_Result vg__h_healthz(struct req *r);
/* the console (ui.c, api_console.c) */
enum MHD_Result vg__h_root(struct req *r);
enum MHD_Result vg__h_ui(struct req *r);
enum MHD_Result vg__h_session_open(struct req *r);
enum MHD_Result vg__h_session_get(struct req *r);
enum MHD_Result vg__h_session_close(struct req *r);
enum MHD_Result vg__h_session_purpose(struct req *r);
enum MHD_Result vg__h_search(struct req *r);
enum MHD_Result vg__h_object_view(struct req *r);
enum MHD_Result vg__h_audit_verify(struct req *r);
/* The console's security headers (CSP, no framing, no sniffing, no
 * referrer), added to its pages and files. */
void vg__ui_headers(struct MHD_Response *res);
/* Every "METHOD pattern" of /api/v1 routes, as JSON strings into an open
 * array of w: what this server offers the console. */
struct vg_jw;
void vg__routes_json(struct vg_jw *w);
enum MHD_Result vg__h_metrics(struct req *r);

/* Reverse proxies (proxy.c). From a trusted proxy, the client's address
 * of X-Forwarded-For becomes r->source (and r->proxied is set). */
void vg__forwarded(struct req *r);
/* The API root's URL as clients reach it: public_url, else the scheme and
 * host of the request (X-Forwarded-Proto and -Host from a trusted proxy),
 * else the path alone. */
void vg__root_url(struct req *r, char *out, size_t n);
/* Warn on stderr when c serves plain HTTP on an address (a struct
 * sockaddr_storage) that is not loopback. */
void vg__warn_plain(const struct vg_server_conf *c, const void *sa);

/* Metrics (metrics.c). */
void vg__metrics_request(enum route route, unsigned status, int64_t ns);
void vg__metrics_ingest(size_t accepted, size_t duplicates, size_t rejected);
struct vg_hub_counts;
int vg__metrics_text(const struct vg_hub_counts *n, struct vg_buf *out);
const char *vg__route_name(enum route r);

#endif
