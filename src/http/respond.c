/* Building responses: media types, TAXII error bodies, extra headers. */
#include "http_int.h"
#include "vigil/util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The request's answer came from the read cache (readcache.h) and the
 * store had moved on when it was to be recorded: nothing of it was
 * recorded or sent. The request runs again, from the store. */
static enum MHD_Result ask_again(struct req *r)
{
	vg_audit_defer_release(&r->defer);
	vg_ctx_release(&r->ctx);
	vg_ctx_init(&r->ctx, r->h->svc, VG_CHANNEL_HTTP, r->source);
	r->ctx.defer = &r->defer; /* and may_keep 0: no second time */
	r->by_session = 0;
	return vg__dispatch(r);
}

/* The writer's thread, after the commit of a parked answer's entries. */
static void audit_done(void *arg, int result)
{
	struct req *r = arg;
	r->audit_rc = result;
	MHD_resume_connection(r->conn);
}

enum MHD_Result vg__respond(struct req *r, unsigned status, const char *type,
			    struct vg_buf *body, ...)
{
	size_t len = 0;
	char *data = body ? vg_buf_detach(body, &len) : NULL;
	struct MHD_Response *res = MHD_create_response_from_buffer(
		len, data ? data : (void *)"",
		data ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!res) {
		free(data);
		return MHD_NO;
	}
	if (type)
		MHD_add_response_header(res, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(res, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(res, "Cache-Control", "no-store");
	va_list ap;
	va_start(ap, body);
	for (const char *name; (name = va_arg(ap, const char *));) {
		const char *value = va_arg(ap, const char *);
		if (value)
			MHD_add_response_header(res, name, value);
	}
	va_end(ap);
	if (r->defer.n || r->ctx.kept) {
		/* nothing leaves before the request's audit entries are
		 * committed: park the answer, let the thread serve others */
		r->pending = res;
		r->pending_status = status;
		MHD_suspend_connection(r->conn);
		if (vg_ctx_commit_reads(&r->ctx, audit_done, r)) {
			r->audit_rc = VG_EIO;
			MHD_resume_connection(r->conn);
		}
		return MHD_YES;
	}
	r->status = (int)status;
	enum MHD_Result ok = MHD_queue_response(r->conn, status, res);
	MHD_destroy_response(res);
	return ok;
}

enum MHD_Result vg__respond_resumed(struct req *r)
{
	struct MHD_Response *res = r->pending;
	r->pending = NULL;
	vg_audit_defer_release(&r->defer);
	if (r->audit_rc == VG_ESTALE) {
		MHD_destroy_response(res);
		return ask_again(r);
	}
	if (r->audit_rc) {
		MHD_destroy_response(res);
		return vg__error(r, 503, "unavailable",
				 "the audit log cannot be written");
	}
	r->status = (int)r->pending_status;
	enum MHD_Result ok = MHD_queue_response(r->conn, r->pending_status, res);
	MHD_destroy_response(res);
	return ok;
}

enum MHD_Result vg__method_not_allowed(struct req *r, const char *allow)
{
	struct vg_buf b;
	vg_buf_init(&b, 0);
	vg_buf_puts(&b, "{\"title\":\"method not allowed\",\"http_status\":"
			"\"405\"}");
	return vg__respond(r, MHD_HTTP_METHOD_NOT_ALLOWED,
			   r->taxii ? TAXII_MEDIA : "application/json", &b,
			   "Allow", allow, NULL);
}

enum MHD_Result vg__http_fail(struct req *r, int rc, const char *what)
{
	switch (rc) {
	case VG_ESTALE:
		return ask_again(r);
	case VG_ENOTFOUND:
		return vg__error(r, MHD_HTTP_NOT_FOUND, "not found",
				 what ? what : "no such resource");
	case VG_EINVAL:
		return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request", what);
	case VG_EDENIED:
		return vg__error(r, MHD_HTTP_FORBIDDEN, "forbidden",
				 what ? what
				 : r->rt && r->rt->denied ? r->rt->denied
							  : "the role does not allow this");
	case VG_EPURPOSE:
		return vg__error(r, MHD_HTTP_BAD_REQUEST, "purpose required",
				 "this hub requires an X-Vigil-Purpose header on "
				 "every read and screening");
	case VG_ETOOMANY:
		return vg__error(r, MHD_HTTP_CONTENT_TOO_LARGE, "request too large",
				 what);
	case VG_ESTORE:
		return vg__error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "unavailable",
				 "the store cannot be used right now");
	}
	fprintf(stderr, "vigil serve: %s %s: %s\n", r->method, r->path,
		vg_strerror(rc));
	return vg__error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal error", NULL);
}

enum MHD_Result vg__ok_json(struct req *r, int rc, struct vg_buf *b)
{
	if (rc) {
		vg_buf_release(b);
		return vg__http_fail(r, rc, NULL);
	}
	return vg__respond(r, MHD_HTTP_OK, r->taxii ? TAXII_MEDIA : "application/json",
			   b, NULL);
}

enum MHD_Result vg__error(struct req *r, unsigned status, const char *title,
			  const char *description)
{
	struct vg_buf b;
	char code[8];
	vg_buf_init(&b, 0);
	snprintf(code, sizeof(code), "%u", status);
	int rc = vg_buf_puts(&b, "{\"title\":");
	if (!rc)
		rc = vg_buf_json_str(&b, title);
	if (!rc && description) {
		rc = vg_buf_puts(&b, ",\"description\":");
		if (!rc)
			rc = vg_buf_json_str(&b, description);
	}
	if (!rc)
		rc = vg_buf_printf(&b, ",\"http_status\":\"%s\"}", code);
	if (rc) {
		vg_buf_release(&b);
		return MHD_NO;
	}
	if (status == MHD_HTTP_UNAUTHORIZED)
		return vg__respond(r, status, r->taxii ? TAXII_MEDIA : "application/json",
				   &b, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
				   "Bearer realm=\"vigil\", Basic realm=\"vigil\", "
				   "charset=\"UTF-8\"",
				   NULL);
	return vg__respond(r, status, r->taxii ? TAXII_MEDIA : "application/json",
			   &b, NULL);
}

/* Does one media range (type/subtype;params) admit TAXII 2.1? */
static int range_ok(const char *s, size_t n, int wildcards)
{
	char buf[256];
	if (n >= sizeof(buf))
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	char *p = buf, *save = NULL;
	char *type = strtok_r(p, ";", &save);
	if (!type)
		return 0;
	while (*type == ' ' || *type == '\t')
		type++;
	char *e = type + strlen(type);
	while (e > type && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	if (wildcards && (!strcmp(type, "*/*") || !strcmp(type, "application/*")))
		return 1;
	if (strcasecmp(type, "application/taxii+json"))
		return 0;
	for (char *prm; (prm = strtok_r(NULL, ";", &save));) {
		while (*prm == ' ')
			prm++;
		if (!strncasecmp(prm, "version=", 8)) {
			char *v = prm + 8;
			char *ve = v + strlen(v);
			while (ve > v && ve[-1] == ' ')
				*--ve = '\0';
			if (strcmp(v, "2.1"))
				return 0;
		}
	}
	return 1;
}

int vg__accept_taxii(const char *accept)
{
	if (!accept || !*accept)
		return 1;
	for (const char *p = accept;;) {
		const char *c = strchr(p, ',');
		size_t n = c ? (size_t)(c - p) : strlen(p);
		if (range_ok(p, n, 1))
			return 1;
		if (!c)
			return 0;
		p = c + 1;
	}
}

int vg__content_taxii(const char *type)
{
	return type && !strchr(type, ',') && range_ok(type, strlen(type), 0);
}
