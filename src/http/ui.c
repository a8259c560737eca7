/* The web console's files at /ui/ (embedded, see ui_assets.h): the right
 * media type, an ETag (304 when it matches), immutable caching for the
 * hashed names, gzip when the client takes it, and the headers that keep
 * the console in its own origin (a strict CSP, no framing, no
 * sniffing, no referrer). No authentication: the files hold no data;
 * the console signs in through /api/v1/session. */
#include "http_int.h"
#include "ui_assets.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Only files of the hub itself; no inline script or style, no eval. */
#define UI_CSP                                                                 \
	"default-src 'self'; script-src 'self'; style-src 'self'; "            \
	"img-src 'self'; font-src 'self'; connect-src 'self'; "                \
	"object-src 'none'; base-uri 'none'; form-action 'self'; "             \
	"frame-ancestors 'none'"

void vg__ui_headers(struct MHD_Response *res)
{
	MHD_add_response_header(res, "Content-Security-Policy", UI_CSP);
	MHD_add_response_header(res, "X-Frame-Options", "DENY");
	MHD_add_response_header(res, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(res, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(res, "Cross-Origin-Opener-Policy",
	                        "same-origin");
	MHD_add_response_header(res, "Cross-Origin-Resource-Policy",
	                        "same-origin");
}

static const struct vg_ui_asset *find(const char *name)
{
	for (size_t i = 0; i < vg_ui_n_assets; i++)
		if (!strcmp(vg_ui_assets[i].name, name))
			return &vg_ui_assets[i];
	return NULL;
}

/* Does Accept-Encoding take gzip (and not with q=0)? */
static int takes_gzip(const char *ae)
{
	char low[256];
	size_t i;
	if (!ae)
		return 0;
	for (i = 0; ae[i] && i < sizeof(low) - 1; i++)
		low[i] = (char)tolower((unsigned char)ae[i]);
	low[i] = '\0';
	for (char *save = NULL, *t = strtok_r(low, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		while (*t == ' ')
			t++;
		if (strncmp(t, "gzip", 4) ||
		    (t[4] && t[4] != ';' && t[4] != ' '))
			continue;
		const char *q = strstr(t, "q=");
		return !(q && strtod(q + 2, NULL) == 0);
	}
	return 0;
}

static enum MHD_Result queue(struct req *r, unsigned status,
                             struct MHD_Response *res)
{
	vg__ui_headers(res);
	r->status = (int)status;
	enum MHD_Result ok = MHD_queue_response(r->conn, status, res);
	MHD_destroy_response(res);
	return ok;
}

static enum MHD_Result redirect(struct req *r, const char *to)
{
	struct MHD_Response *res = MHD_create_response_from_buffer(
	    0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (!res)
		return MHD_NO;
	MHD_add_response_header(res, MHD_HTTP_HEADER_LOCATION, to);
	MHD_add_response_header(res, "Cache-Control", "no-store");
	return queue(r, MHD_HTTP_MOVED_PERMANENTLY, res);
}

enum MHD_Result vg__h_root(struct req *r)
{
	return redirect(r, "/ui/");
}

enum MHD_Result vg__h_ui(struct req *r)
{
	/* the page must be at /ui/ for its files' relative names */
	if (r->n_seg == 1 && strcmp(r->path, "/ui/"))
		return redirect(r, "/ui/");
	const struct vg_ui_asset *a =
	    find(r->n_seg == 1 ? "index.html" : r->seg[1]);
	if (!a) {
		struct MHD_Response *res = MHD_create_response_from_buffer(
		    9, (void *)"not found", MHD_RESPMEM_PERSISTENT);
		if (!res)
			return MHD_NO;
		MHD_add_response_header(res, MHD_HTTP_HEADER_CONTENT_TYPE,
		                        "text/plain; charset=utf-8");
		MHD_add_response_header(res, "Cache-Control", "no-store");
		return queue(r, MHD_HTTP_NOT_FOUND, res);
	}
	const char *inm = MHD_lookup_connection_value(
	    r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
	int gz = takes_gzip(MHD_lookup_connection_value(
	    r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING));
	int same = inm && strstr(inm, a->etag);
	struct MHD_Response *res = MHD_create_response_from_buffer(
	    same ? 0
	    : gz ? a->gz_len
	         : a->len,
	    (void *)(same ? (const unsigned char *)""
	             : gz ? a->gz
	                  : a->data),
	    MHD_RESPMEM_PERSISTENT);
	if (!res)
		return MHD_NO;
	MHD_add_response_header(res, MHD_HTTP_HEADER_ETAG, a->etag);
	MHD_add_response_header(res, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
	/* index.html is checked each time (it names the current files);
	 * the hashed files never change under their names */
	MHD_add_response_header(
	    res, "Cache-Control",
	    a->immutable ? "public, max-age=31536000, immutable" : "no-cache");
	if (same)
		return queue(r, MHD_HTTP_NOT_MODIFIED, res);
	MHD_add_response_header(res, MHD_HTTP_HEADER_CONTENT_TYPE, a->type);
	if (gz)
		MHD_add_response_header(res, MHD_HTTP_HEADER_CONTENT_ENCODING,
		                        "gzip");
	return queue(r, MHD_HTTP_OK, res);
}
