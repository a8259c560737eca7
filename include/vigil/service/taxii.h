/* TAXII 2.1 use cases, independent of HTTP: collections as a caller sees
 * them, pages of objects, manifests and versions, adding and deleting
 * objects, status resources. Every read goes through the access rule
 * (store queries carry the principal) and is audited through the
 * group-commit writer before its result is handed back. */
#ifndef VIGIL_TAXII_H
#define VIGIL_TAXII_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/util/buf.h"
#include "vigil/service/hub.h"
#include "vigil/service/ingest.h"
#include "vigil/store/store.h"
#include "vigil/taxii/filter.h"
#include "vigil/service/writer.h"

/* Audit entries of a read, kept back so that the caller can commit them
 * without blocking a thread (vg_taxii_audit_submit) and answer only after
 * the commit. */
#define VG_DEFER_MAX 4
struct vg_audit_defer {
	size_t n;
	struct {
		char action[40];
		char target[300];
		char *detail; /* malloc'd */
	} e[VG_DEFER_MAX];
};

/* What a request runs with. */
struct vg_taxii {
	struct vg_store *store;   /* this thread's handle, for reads */
	struct vg_writer *writer; /* all writes and audit entries */
	const struct vg_session *sess;
	const struct vg_actor *actor;
	const unsigned char *secret; /* 32 bytes: cursor MACs */
	int64_t status_ttl_us;       /* how long status resources live */
	const char *const *level_markings; /* classification markings */
	size_t n_levels;
	/* the key that authenticated the request: its "auth.ok" entry is
	 * written with the request's audit entry, in the same transaction */
	const char *auth_key;
	/* when set, vg_taxii_audit keeps the entries here instead of
	 * committing them: the caller must submit them and answer only when
	 * they are committed */
	struct vg_audit_defer *defer;
};

/* A collection as the caller sees it. */
struct vg_coll_view {
	char id[40];
	char alias[160];
	char title[200];
	char description[300];
	int scope;
	int64_t org, grp;
	int can_read, can_write;
};

/* Find a collection the caller may see (by id or alias). VG_ENOTFOUND
 * both when it does not exist and when the caller may not see it. */
int vg_taxii_collection(const struct vg_taxii *t, const char *id,
			struct vg_coll_view *out);
/* {"collections":[...]} of the collections the caller may see (the key is
 * left out when there are none), in a stable order. */
int vg_taxii_collections_json(const struct vg_taxii *t, struct vg_buf *out);
/* One collection's resource. */
int vg_taxii_collection_json(const struct vg_coll_view *c, struct vg_buf *out);

enum vg_taxii_page {
	VG_PAGE_OBJECTS,  /* envelope of objects */
	VG_PAGE_MANIFEST, /* manifest records */
	VG_PAGE_VERSIONS, /* versions of one object */
	VG_PAGE_OBJECT,   /* envelope of one object's versions */
};

/* The result of a page read. */
struct vg_page_info {
	int64_t first, last; /* date_added of the first and last row; 0 none */
	size_t count;
};

/* Read a page. object_id is set for VERSIONS and OBJECT. Writes the body
 * into out (which must start empty; on an error it holds a partial body
 * to discard). VG_EINVAL (a bad cursor: err says so) maps to 400;
 * VG_ENOTFOUND (OBJECT/VERSIONS with nothing visible) to 404. */
int vg_taxii_page(const struct vg_taxii *t, const struct vg_coll_view *c,
		  enum vg_taxii_page kind, const char *object_id,
		  const struct vg_taxii_filter *f, struct vg_buf *out,
		  struct vg_page_info *info, char *err, size_t errlen);

/* Add the objects of an envelope (body) to the collection; write the
 * status resource into out. VG_EINVAL when body is not an envelope at all
 * (err says why: 422). */
int vg_taxii_add(const struct vg_taxii *t, const struct vg_coll_view *c,
		 const char *body, size_t len, struct vg_buf *out,
		 struct vg_ingest_counts *counts, char *err, size_t errlen);

/* Delete one object's versions matching f (match[version] and
 * match[spec_version]). VG_ENOTFOUND when nothing visible matches;
 * VG_EDENIED when a matching version belongs to another organisation. */
int vg_taxii_delete(const struct vg_taxii *t, const struct vg_coll_view *c,
		    const char *object_id, const struct vg_taxii_filter *f);

/* The caller's status resource; VG_ENOTFOUND when unknown, another
 * user's, or expired. */
int vg_taxii_status(const struct vg_taxii *t, const char *id,
		    struct vg_buf *out);

/* Record an audit entry through the writer (auth outcomes, refusals), or
 * keep it in t->defer. */
int vg_taxii_audit(const struct vg_taxii *t, const char *action,
		   const char *target, const char *detail);

/* Commit the kept entries (and the request's auth.ok) without waiting:
 * done(done_arg, result) runs on the writer's thread after the commit.
 * The entries and t's strings must stay valid until then; the details
 * are freed afterwards by vg_audit_defer_release. */
int vg_taxii_audit_submit(const struct vg_taxii *t,
			  void (*done)(void *done_arg, int result),
			  void *done_arg);
void vg_audit_defer_release(struct vg_audit_defer *d);

#endif
