/* The per-hop rule of federation (egress.h): what may leave for a partner
 * hub, and the reason when something may not. */
#include "vigil/access/egress.h"
#include "vigil/access/access.h"
#include "vigil/stix/stix.h"

#include <string.h>

static int listed(const char *v, const char *const *list, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		if (!strcmp(v, list[i]))
			return 1;
	return 0;
}

enum vg_egress_verdict vg_egress_allowed(const struct vg_egress_partner *p,
                                         const struct vg_egress_object *o,
                                         int *their_level)
{
	/* never back to a hub it came through (nor to the origin) */
	if (p->hub_id && p->hub_id[0])
		for (size_t i = 0; i < o->n_path; i++)
			if (!strcmp(o->path[i], p->hub_id))
				return VG_EGRESS_PATH;
	switch (o->scope) {
	case VG_SCOPE_CONNECTED:
	case VG_SCOPE_ALL:
		break;
	case VG_SCOPE_GROUP: {
		int in = 0;
		for (size_t i = 0; i < p->n_groups; i++)
			in |= p->groups[i] == o->group;
		if (!in)
			return VG_EGRESS_GROUP;
		break;
	}
	default:
		return VG_EGRESS_SCOPE;
	}
	if (o->tlp == VG_TLP_RED || o->tlp == VG_TLP_AMBER_STRICT)
		return VG_EGRESS_TLP;
	if (o->classification < 0 || (size_t)o->classification >= p->n_levels ||
	    p->level_map[o->classification] == VG_EGRESS_NO_LEVEL)
		return VG_EGRESS_LEVEL;
	if (p->n_collections &&
	    !listed(o->collection, p->collections, p->n_collections) &&
	    !listed(o->collection_alias, p->collections, p->n_collections))
		return VG_EGRESS_COLLECTION;
	if (p->n_types && !listed(o->type, p->types, p->n_types))
		return VG_EGRESS_TYPE;
	if (p->n_labels) {
		int any = 0;
		for (size_t i = 0; i < o->n_labels && !any; i++)
			any = listed(o->labels[i], p->labels, p->n_labels);
		if (!any)
			return VG_EGRESS_LABEL;
	}
	if (their_level)
		*their_level = p->level_map[o->classification];
	return VG_EGRESS_OK;
}

static const char *const names[VG_EGRESS__COUNT] = {
    "ok",    "path",       "scope", "group", "tlp",
    "level", "collection", "type",  "label",
};

static const char *const reasons[VG_EGRESS__COUNT] = {
    "may leave",
    "the partner hub is on the object's path (it came from there)",
    "organisation and community scope stay on the hub",
    "its sharing group does not list the partner hub",
    "TLP:RED and TLP:AMBER+STRICT never leave by sync",
    "its classification has no mapping for the partner hub",
    "its collection is not one the partner hub takes",
    "its type is not one the partner hub takes",
    "it has none of the labels the partner hub takes",
};

const char *vg_egress_reason(enum vg_egress_verdict v)
{
	return (unsigned)v < VG_EGRESS__COUNT ? reasons[v] : "?";
}

const char *vg_egress_name(enum vg_egress_verdict v)
{
	return (unsigned)v < VG_EGRESS__COUNT ? names[v] : "?";
}

int vg_egress_next_scope(int scope)
{
	switch (scope) {
	case VG_SCOPE_CONNECTED:
		return VG_SCOPE_COMMUNITY;
	case VG_SCOPE_ALL:
		return VG_SCOPE_ALL;
	case VG_SCOPE_GROUP:
		return VG_SCOPE_GROUP;
	default:
		return -1;
	}
}
