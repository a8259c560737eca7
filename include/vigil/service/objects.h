/* Intelligence as use cases: the TAXII 2.1 resources (discovery, API
 * root, collections, pages of objects, manifests and versions, adding and
 * deleting objects, status resources) and the operator's reads (get,
 * export, import, statistics, the consistency check). Every function
 * checks the caller's role and collection rights, reads through the one
 * access rule, and writes its audit entry (reads: before anything of the
 * answer is handed back). */
#ifndef VIGIL_SERVICE_OBJECTS_H
#define VIGIL_SERVICE_OBJECTS_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/hub/model.h"
#include "vigil/service/ingest.h"
#include "vigil/service/service.h"
#include "vigil/taxii/filter.h"
#include "vigil/util/buf.h"

/* ---- TAXII ------------------------------------------------------------ */

/* Discovery ({"title",...,"api_roots":[root_url]}) and the API root
 * resource, each audited. */
int vg_taxii_discovery(struct vg_ctx *c, const char *root_url,
		       struct vg_buf *out);
int vg_taxii_api_root(struct vg_ctx *c, size_t max_content_length,
		      struct vg_buf *out);
/* {"collections":[...]} of the collections c may see (the key is left
 * out when there are none), in a stable order. */
int vg_taxii_collections(struct vg_ctx *c, struct vg_buf *out);
/* One collection's resource (by id or alias). VG_ENOTFOUND both when it
 * does not exist and when c may not see it; audited either way. */
int vg_taxii_collection(struct vg_ctx *c, const char *id, struct vg_buf *out);

enum vg_taxii_page {
	VG_PAGE_OBJECTS,  /* envelope of objects */
	VG_PAGE_MANIFEST, /* manifest records */
	VG_PAGE_VERSIONS, /* versions of one object */
	VG_PAGE_OBJECT,   /* envelope of one object's versions */
};

struct vg_page_info {
	int64_t first, last; /* date_added of the first and last row; 0 none */
	size_t count;
};

/* Read a page of collection coll (id or alias); object_id for VERSIONS
 * and OBJECT. Writes the body into out (which must start empty).
 * VG_ENOTFOUND: no such collection (err says which), or OBJECT/VERSIONS
 * with nothing visible; VG_EDENIED: no read right on the collection;
 * VG_EINVAL (err): a bad cursor. */
int vg_taxii_page(struct vg_ctx *c, const char *coll, enum vg_taxii_page kind,
		  const char *object_id, const struct vg_taxii_filter *f,
		  struct vg_buf *out, struct vg_page_info *info, char *err,
		  size_t errlen);

/* Add the objects of an envelope (body) to collection coll; the status
 * resource goes into out. VG_EINVAL (err) when body is not an envelope at
 * all; VG_EDENIED without write access; VG_ENOTFOUND no collection. */
int vg_taxii_add(struct vg_ctx *c, const char *coll, const char *body,
		 size_t len, struct vg_buf *out, struct vg_ingest_counts *counts,
		 char *err, size_t errlen);

/* Delete c's organisation's versions of one object matching f
 * (match[version], match[spec_version]). VG_ENOTFOUND (err says whether
 * the collection or the object) when nothing visible matches;
 * VG_EDENIED when what matches is another organisation's, or without
 * write and read rights on the collection. */
int vg_taxii_delete(struct vg_ctx *c, const char *coll, const char *object_id,
		    const struct vg_taxii_filter *f, char *err, size_t errlen);

/* c's status resource; VG_ENOTFOUND when unknown, another user's, or
 * expired. */
int vg_taxii_status(struct vg_ctx *c, const char *id, struct vg_buf *out);

/* ---- the operator's reads and writes ---------------------------------- */

/* Each object text as stored, in date_added order. */
typedef int (*vg_json_cb)(void *ud, const char *json, size_t len);

/* Object id: its latest version (or every version), as c may read it.
 * *n counts them (0: no such object). Audited "object.read". */
int vg_objects_get(struct vg_ctx *c, const char *id, int all_versions,
		   vg_json_cb cb, void *ud, size_t *n);

struct vg_export_filter {
	const char *const *types; size_t n_types;
	const char *const *ids; size_t n_ids;
	int64_t added_after;
	int all_versions;
};
/* Every version matching f that c may read. Audited "objects.export". */
int vg_objects_export(struct vg_ctx *c, const struct vg_export_filter *f,
		      vg_json_cb cb, void *ud, size_t *n);

/* Import STIX read from fd (any shape: bundle, envelope, array, JSON
 * lines) into collection coll (id or alias) in one transaction, owned by
 * the collection's organisation (the hub's own for hub-wide and group
 * collections). o gives the callbacks (collection, owner and scope are
 * set here). name (a file name) is what the audit entry names. */
int vg_objects_import(struct vg_ctx *c, const char *coll, const char *name,
		      int fd, const struct vg_ingest_opts *o,
		      struct vg_ingest_counts *counts, char *err,
		      size_t errlen);

/* Counts per type of everything stored and the store's size. Audited. */
int vg_objects_stats(struct vg_ctx *c, vg_type_stats_cb cb, void *ud,
		     int64_t *bytes);
/* The store's consistency check (VG_ESTORE, err the finding). Audited. */
int vg_objects_check(struct vg_ctx *c, char *err, size_t errlen);

/* What /metrics shows of the hub: objects (distinct ids) and versions
 * stored, group commits. Hub-admin or auditor; audited. */
struct vg_hub_counts {
	long long objects, versions;
	unsigned long long commits, jobs;
	/* the read cache (a store of several processes): answers taken
	 * from it, made for it, and found out of date when recorded */
	int read_cache;
	unsigned long long cache_hits, cache_misses, cache_stale;
};
int vg_metrics_read(struct vg_ctx *c, struct vg_hub_counts *out);

#endif
