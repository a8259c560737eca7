/* Watchlist entries as STIX 2.1: an identity object (identity_class
 * individual, organization, or unspecified for vessels and aircraft) with
 * vigil's watchlist property extension holding names and aliases with
 * their quality, dates of birth with their precision, places of birth,
 * nationalities, gender, documents, the list, reference number, programs
 * and listing date. Ids are UUIDv5 of the list and reference number, so a
 * newer list makes new versions of the same objects. Pure. */
#ifndef VIGIL_WL_STIX_H
#define VIGIL_WL_STIX_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "vigil/util/buf.h"
#include "vigil/names/person.h"
#include "vigil/watchlist/watchlist.h"

#define VG_WL_EXT_ID "extension-definition--6e1f1c8e-3b0a-5f21-9d4c-7a1b2c3d4e5f"
#define VG_WL_IDENTITY_ID "identity--d5c5a4f0-6c2e-5b8e-8f3a-1c0b9e7d6a21"

/* "identity--UUIDv5" of list:ref in namespace ns into out (at least 48
 * bytes). A hub keeps its namespace secret (derived from its secret), so
 * nobody else can compute an entry's id: not to claim it before the list
 * is imported, nor to probe which references a private list holds. */
int vg_wl_stix_id(const char *ns, const char *list, const char *ref, char *out,
		  size_t n);

/* The entry as an identity object. created and modified are STIX
 * timestamps; revoked adds "revoked": true. list overrides e->list when
 * not NULL (the hub's own lists). */
int vg_wl_stix_json(const struct vg_wl_entry *e, const char *list,
		    const char *id, const char *created, const char *modified,
		    int revoked, struct vg_buf *out);

/* The extension definition object and the identity that defines it. */
int vg_wl_stix_definition_json(struct vg_buf *out);
int vg_wl_stix_definer_json(struct vg_buf *out);

/* The watchlist extension of a parsed object (NULL when obj is NULL or
 * carries none). */
const cJSON *vg_wl_stix_ext(const cJSON *obj);

/* What an object's watchlist extension says, read back. */
struct vg_wl_ref {
	char list[32];
	char ref[64];
	char name[200]; /* the identity's name */
};

/* Read a watchlist identity back into a person (p must be initialised).
 * VG_ENOTFOUND when obj carries no watchlist extension; VG_EINVAL when the
 * extension is malformed; VG_ENOMEM. */
int vg_wl_stix_person(const cJSON *obj, struct vg_person *p,
		      struct vg_wl_ref *ref);

/* The content that decides whether a re-imported entry changed: the
 * identity's name and class and the extension, as compact JSON. */
int vg_wl_stix_content(const cJSON *obj, struct vg_buf *out);

/* Dates as the extension writes them: "1960", "1960-05", "1960-05-01". */
void vg_pdate_format(const struct vg_pdate *d, char out[16]);
int vg_pdate_parse(const char *s, struct vg_pdate *d);

#endif
