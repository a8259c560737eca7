/* The TAXII 2.1 handlers: each parses its parameters, calls one service
 * function (objects.h) and renders the result or the error. */
#include "http_int.h"
#include "vigil/service/objects.h"
#include "vigil/util/error.h"
#include "vigil/util/timefmt.h"

#include <stdio.h>
#include <string.h>

/* segments: taxii2 hub collections ID objects OID versions */
#define COLL(r) ((r)->seg[3])
#define OID(r) ((r)->seg[5])

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

static enum MHD_Result page(struct req *r, enum vg_taxii_page kind,
			    const char *oid, unsigned allowed)
{
	struct vg_taxii_filter f = {0};
	struct vg_buf out;
	struct vg_page_info info = {0};
	char err[300] = "";
	enum MHD_Result ok;
	vg_buf_init(&out, 0);
	int rc = parse_filter(r, &f, allowed, err, sizeof(err));
	if (!rc)
		rc = vg_taxii_page(&r->ctx, COLL(r), kind, oid, &f, &out, &info, err,
				   sizeof(err));
	if (rc) {
		vg_buf_release(&out);
		ok = vg__http_fail(r, rc, rc == VG_EDENIED ? NULL : err);
	} else {
		char first[VG_TIME_LEN], last[VG_TIME_LEN];
		vg_time_format_us(info.first, first);
		vg_time_format_us(info.last, last);
		ok = vg__respond(r, MHD_HTTP_OK, TAXII_MEDIA, &out,
				 "X-TAXII-Date-Added-First", info.count ? first : NULL,
				 "X-TAXII-Date-Added-Last", info.count ? last : NULL,
				 NULL);
	}
	vg_taxii_filter_release(&f);
	return ok;
}

#define PAGE_ARGS (VG_TF_ADDED_AFTER | VG_TF_LIMIT | VG_TF_NEXT)
#define MATCH_ALL (VG_TF_ID | VG_TF_TYPE | VG_TF_VERSION | VG_TF_SPEC_VERSION)

enum MHD_Result vg__h_discovery(struct req *r)
{
	char url[300];
	struct vg_buf b;
	vg_buf_init(&b, 0);
	vg__root_url(r, url, sizeof(url));
	return vg__ok_json(r, vg_taxii_discovery(&r->ctx, url, &b), &b);
}

enum MHD_Result vg__h_api_root(struct req *r)
{
	struct vg_buf b;
	vg_buf_init(&b, 0);
	return vg__ok_json(r, vg_taxii_api_root(&r->ctx,
						r->h->conf->max_content_length, &b),
			   &b);
}

enum MHD_Result vg__h_status(struct req *r)
{
	struct vg_buf b;
	vg_buf_init(&b, 0);
	int rc = vg_taxii_status(&r->ctx, r->seg[3], &b);
	if (rc) {
		vg_buf_release(&b);
		return vg__http_fail(r, rc, "no such status");
	}
	return vg__respond(r, MHD_HTTP_OK, TAXII_MEDIA, &b, NULL);
}

enum MHD_Result vg__h_collections(struct req *r)
{
	struct vg_buf b;
	vg_buf_init(&b, 0);
	return vg__ok_json(r, vg_taxii_collections(&r->ctx, &b), &b);
}

enum MHD_Result vg__h_collection(struct req *r)
{
	struct vg_buf b;
	vg_buf_init(&b, 0);
	int rc = vg_taxii_collection(&r->ctx, COLL(r), &b);
	if (rc) {
		vg_buf_release(&b);
		return vg__http_fail(r, rc, "no such collection");
	}
	return vg__respond(r, MHD_HTTP_OK, TAXII_MEDIA, &b, NULL);
}

enum MHD_Result vg__h_manifest(struct req *r)
{
	return page(r, VG_PAGE_MANIFEST, NULL, PAGE_ARGS | MATCH_ALL);
}

enum MHD_Result vg__h_objects_get(struct req *r)
{
	return page(r, VG_PAGE_OBJECTS, NULL, PAGE_ARGS | MATCH_ALL);
}

enum MHD_Result vg__h_object_get(struct req *r)
{
	return page(r, VG_PAGE_OBJECT, OID(r),
		    PAGE_ARGS | VG_TF_VERSION | VG_TF_SPEC_VERSION);
}

enum MHD_Result vg__h_versions(struct req *r)
{
	return page(r, VG_PAGE_VERSIONS, OID(r), PAGE_ARGS | VG_TF_SPEC_VERSION);
}

enum MHD_Result vg__h_objects_post(struct req *r)
{
	struct vg_buf b;
	struct vg_ingest_counts counts = {0};
	char err[600] = "";
	const char *type = MHD_lookup_connection_value(
		r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (!vg__content_taxii(type))
		return vg__error(r, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
				 "unsupported media type",
				 "send Content-Type: " TAXII_MEDIA);
	vg_buf_init(&b, 0);
	int rc = vg_taxii_add(&r->ctx, COLL(r), r->body.data ? r->body.data : "",
			      r->body.len, &b, &counts, err, sizeof(err));
	if (rc == VG_EINVAL) {
		vg_buf_release(&b);
		return vg__error(r, MHD_HTTP_UNPROCESSABLE_CONTENT,
				 "not an envelope", err);
	}
	if (rc) {
		vg_buf_release(&b);
		return vg__http_fail(r, rc, err[0] ? err : NULL);
	}
	vg__metrics_ingest(counts.accepted, counts.duplicates, counts.rejected);
	return vg__respond(r, MHD_HTTP_ACCEPTED, TAXII_MEDIA, &b, NULL);
}

enum MHD_Result vg__h_object_delete(struct req *r)
{
	struct vg_taxii_filter f = {0};
	char err[300] = "";
	int rc = parse_filter(r, &f, VG_TF_VERSION | VG_TF_SPEC_VERSION, err,
			      sizeof(err));
	if (!rc)
		rc = vg_taxii_delete(&r->ctx, COLL(r), OID(r), &f, err,
				     sizeof(err));
	vg_taxii_filter_release(&f);
	if (rc)
		return vg__http_fail(r, rc, rc == VG_EDENIED ? NULL : err);
	return vg__respond(r, MHD_HTTP_OK, TAXII_MEDIA, NULL, NULL);
}
