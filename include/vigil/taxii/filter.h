/* TAXII 2.1 query parameters [3.3-3.5]: added_after, limit, next and
 * match[id|type|version|spec_version], parsed and checked. Pure. */
#ifndef VIGIL_TAXII_FILTER_H
#define VIGIL_TAXII_FILTER_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/util/buf.h"

#define VG_TAXII_MAX_LIMIT 1000
#define VG_TAXII_MAX_TERMS 100

/* Which versions of each id: a set of these bits (0 means LAST). */
enum vg_versions {
	VG_VERSIONS_LAST = 1,  /* the newest version of each id */
	VG_VERSIONS_FIRST = 2, /* the oldest */
	VG_VERSIONS_LIST = 4,  /* the versions in version_keys */
	VG_VERSIONS_ALL = 8,   /* every version */
};

struct vg_taxii_filter {
	int64_t added_after; /* microseconds; 0 none */
	size_t limit;        /* 0 none given */
	char next[128];      /* the cursor as given, "" none */
	char *ids[VG_TAXII_MAX_TERMS]; size_t n_ids;
	char *types[VG_TAXII_MAX_TERMS]; size_t n_types;
	unsigned versions;   /* enum vg_versions bits (above); 0 default */
	char *version_keys[VG_TAXII_MAX_TERMS]; size_t n_version_keys;
	char *spec_versions[VG_TAXII_MAX_TERMS]; size_t n_spec_versions;
	unsigned seen;       /* which parameters were given */
};

/* Add one query parameter (name and value already URL-decoded).
 * VG_EINVAL with the reason in err for a name that is not a TAXII filter
 * ("'foo' is not a parameter of this endpoint"), a malformed value or a
 * parameter given twice; VG_ENOMEM. */
int vg_taxii_filter_add(struct vg_taxii_filter *f, const char *name,
			const char *value, char *err, size_t errlen);
/* Parameters the endpoint does not take give VG_EINVAL: allowed is a set
 * of VG_TF_* bits. */
enum {
	VG_TF_ADDED_AFTER = 1,
	VG_TF_LIMIT = 2,
	VG_TF_NEXT = 4,
	VG_TF_ID = 8,
	VG_TF_TYPE = 16,
	VG_TF_VERSION = 32,
	VG_TF_SPEC_VERSION = 64,
};
int vg_taxii_filter_allowed(const struct vg_taxii_filter *f, unsigned allowed,
			    char *err, size_t errlen);
/* A canonical text of the filters (without next and limit), which a paging
 * cursor is bound to. */
int vg_taxii_filter_canon(const struct vg_taxii_filter *f, struct vg_buf *out);
void vg_taxii_filter_release(struct vg_taxii_filter *f);

#endif
