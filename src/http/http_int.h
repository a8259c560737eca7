/* Shared between the files of http/. Thin: routing, parsing requests,
 * authentication, mapping errors to statuses and TAXII error bodies. */
#ifndef VIGIL_HTTP_INT_H
#define VIGIL_HTTP_INT_H

#include <microhttpd.h>
#include <stdatomic.h>
#include <stdint.h>

#include "vigil/util/buf.h"
#include "vigil/service/hub.h"
#include "vigil/service/screening.h"
#include "vigil/http/server.h"
#include "vigil/service/taxii.h"
#include "vigil/service/writer.h"

#define TAXII_MEDIA "application/taxii+json;version=2.1"
#define TAXII_ROOT "/taxii2/hub/"

enum route {
	R_HEALTHZ, R_METRICS, R_DISCOVERY, R_API_ROOT, R_COLLECTIONS,
	R_COLLECTION, R_OBJECTS_GET, R_OBJECTS_POST, R_OBJECT_GET,
	R_OBJECT_DELETE, R_VERSIONS, R_MANIFEST, R_STATUS, R_AUDIT, R_SCREEN,
	R_OTHER, R__COUNT,
};

/* The server, shared by every request. */
struct vg_http {
	const struct vg_server_conf *conf;
	struct vg_writer *writer;
	struct vg_hub_info hub;
	struct vg_screen_cache *screen;
	atomic_int in_flight;
	/* after SIGTERM: new requests are refused (503) while the admitted
	 * ones (working) finish */
	atomic_int stopping;
	atomic_int working;
	int tls;
};

/* One request. */
struct req {
	struct vg_http *h;
	struct MHD_Connection *conn;
	const char *method;
	char path[4100];
	struct vg_buf body;
	int too_big;
	int64_t start_ns;
	enum route route;
	int status;
	int taxii; /* TAXII media types and error bodies */
	char source[64];
	/* after authentication */
	int authed;
	struct vg_session sess;
	struct vg_actor actor;
	char key_id[17];
	struct vg_taxii t;
	/* a read's audit entries: the answer waits, suspended, for their
	 * commit (vg__respond) */
	struct vg_audit_defer defer;
	struct MHD_Response *pending;
	unsigned pending_status;
	int audit_rc;
	int admitted; /* counted in working */
};

/* Called again for a resumed request: queue its answer. */
enum MHD_Result vg__respond_resumed(struct req *r);

/* This thread's read handle of the store (opened on first use). */
struct vg_store *vg__http_store(struct vg_http *h);

/* Responses: the body is copied (or taken with _buf); extra headers as
 * name, value pairs ending with NULL. */
enum MHD_Result vg__respond(struct req *r, unsigned status, const char *type,
			    struct vg_buf *body, ...);
/* A TAXII error body {"title","description","http_status"} (or a plain
 * JSON error outside TAXII). */
enum MHD_Result vg__error(struct req *r, unsigned status, const char *title,
			  const char *description);

/* /api/v1/screen (screen_routes.c). */
enum MHD_Result vg__screen_api(struct req *r);
/* Map a service error to a response (routes.c). */
enum MHD_Result vg__http_fail(struct req *r, int rc, const char *what);
int vg__is_get(struct req *r);
enum MHD_Result vg__method_not_allowed(struct req *r, const char *allow);

/* Routing and handlers (routes.c). */
enum MHD_Result vg__dispatch(struct req *r);
/* 1 when the Accept header admits TAXII 2.1 JSON. */
int vg__accept_taxii(const char *accept);
/* 1 when the Content-Type is TAXII 2.1 JSON. */
int vg__content_taxii(const char *type);

/* Metrics (metrics.c). */
void vg__metrics_request(enum route route, unsigned status, int64_t ns);
void vg__metrics_ingest(size_t accepted, size_t duplicates, size_t rejected);
int vg__metrics_text(struct vg_http *h, struct vg_buf *out);
const char *vg__route_name(enum route r);

#endif
