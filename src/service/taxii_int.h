/* Shared between the TAXII files of service/. */
#ifndef VIGIL_TAXII_INT_H
#define VIGIL_TAXII_INT_H

#include "service_int.h"

#define STIX_MEDIA "application/stix+json;version=2.1"
#define TAXII_MEDIA "application/taxii+json;version=2.1"

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

/* Find a collection c may see (by id or alias). VG_ENOTFOUND both when it
 * does not exist and when c may not see it (audited as a read of it). */
int vg__taxii_collection(struct vg_ctx *c, struct vg_store *s, const char *id,
			 struct vg_coll_view *out);

#endif
