/* What the web console reads that TAXII does not give: a search across
 * every collection, and one object as a person needs it (its versions,
 * who may see it and why, its relationships and sightings). Both read
 * only what the caller may read (the one access rule, in the store's
 * query), write JSON into out, and are audited. */
#ifndef VIGIL_SERVICE_CONSOLE_H
#define VIGIL_SERVICE_CONSOLE_H

#include <stddef.h>

#include "vigil/service/service.h"
#include "vigil/util/buf.h"

#define VG_SEARCH_MAX_LIMIT 200
#define VG_SEARCH_MAX_OFFSET 100000

/* A search; every field may be NULL (or 0). */
struct vg_search {
	const char *text; /* words (at most 8, each at most 100 bytes), all
	                     in the name or the description */
	const char *type; /* a STIX type */
	const char *label;
	const char *marking; /* "tlp:clear", "tlp:green", "tlp:amber",
	                        "tlp:amber+strict", "tlp:red", or a
	                        marking-definition id */
	const char *org;     /* the owner organisation, by name */
	const char *since;   /* the version (modified, else created): from */
	const char *until;   /* and to; a date (YYYY-MM-DD, the whole day)
	                        or a timestamp */
	size_t offset;       /* at most VG_SEARCH_MAX_OFFSET */
	size_t limit;        /* 1 to VG_SEARCH_MAX_LIMIT; 0: 50 */
};

/* The latest version c may read of every object matching s, newest
 * first: {"results":[{"id","type","name","description","labels",
 * "created","modified","revoked","tlp","classification","org",
 * "collection"}],"offset":N,"more":bool}. VG_EINVAL with err naming the
 * parameter. Audited "objects.search" with the filter and the count. */
int vg_objects_search(struct vg_ctx *c, const struct vg_search *s,
                      struct vg_buf *out, char *err, size_t errlen);

/* Object id as c may read it: {"id","type","versions":[{"version",
 * "date_added","collection","org","revoked","tlp","classification",
 * "object"}] (newest first), "access":{...} (the newest version's: its
 * owner, scope, group, TLP, classification, which organisations are in
 * its audience and why, and the steps of the rule for c), "relationships"
 * and "sightings" (summaries with their refs), "names" (the name of
 * every object referenced that c may read)}. VG_ENOTFOUND when c may
 * read no version (as for an id that does not exist). Audited
 * "object.view". */
int vg_object_view(struct vg_ctx *c, const char *id, struct vg_buf *out);

#endif
