/* What may leave the hub for one partner hub, per hop: the federation twin
 * of the read rule (access.h), one pure function. docs/federation.md
 * states it as a table; tests/unit/test_egress.c checks it over every
 * combination of its inputs.
 *
 *  - organisation and community scope stay on the hub;
 *  - connected communities leave and become community on the next hub;
 *  - all leaves and stays all;
 *  - a sharing group leaves only for hubs the group lists (the partner's
 *    organisation is a member), and stays that group;
 *  - TLP:RED and TLP:AMBER+STRICT never leave by sync;
 *  - the classification must have a mapping to a level of the partner;
 *  - the partner's filters (collections, types, labels) apply;
 *  - nothing goes to a hub on the object's path (it came from there). */
#ifndef VIGIL_ACCESS_EGRESS_H
#define VIGIL_ACCESS_EGRESS_H

#include <stddef.h>
#include <stdint.h>

/* Which ways data flows with a partner, from this hub's side. */
enum vg_fed_direction {
	VG_FED_PULL = 1, /* this hub fetches from the partner */
	VG_FED_PUSH = 2, /* this hub sends to the partner */
	VG_FED_BOTH = 3,
};

#define VG_EGRESS_NO_LEVEL (-1)

/* What the rule needs of the partner. Lists are borrowed. */
struct vg_egress_partner {
	const char *hub_id; /* the partner hub ("" unknown) */
	const int64_t *groups;
	size_t n_groups; /* groups that list it */
	/* filters: an empty list lets everything through */
	const char *const *collections;
	size_t n_collections;
	const char *const *types;
	size_t n_types;
	const char *const *labels;
	size_t n_labels;
	/* level_map[i]: the partner's level for this hub's level i, or
	 * VG_EGRESS_NO_LEVEL; levels at or past n_levels have none */
	const int *level_map;
	size_t n_levels;
};

/* What the rule needs of an object version. */
struct vg_egress_object {
	int scope;              /* enum vg_scope */
	int64_t group;          /* the sharing group of a group scope */
	int tlp;                /* enum vg_tlp */
	int classification;     /* this hub's level */
	const char *collection; /* the local collection's id */
	const char *collection_alias;
	const char *type;
	const char *const *labels;
	size_t n_labels;
	const char *const *path;
	size_t n_path; /* hub ids crossed */
};

/* Why an object stays (the first rule that holds it back). */
enum vg_egress_verdict {
	VG_EGRESS_OK = 0,
	VG_EGRESS_PATH,       /* the partner is on the object's path */
	VG_EGRESS_SCOPE,      /* organisation or community scope */
	VG_EGRESS_GROUP,      /* a sharing group that does not list the hub */
	VG_EGRESS_TLP,        /* TLP:RED or TLP:AMBER+STRICT */
	VG_EGRESS_LEVEL,      /* no mapping for its classification */
	VG_EGRESS_COLLECTION, /* not in the partner's collections */
	VG_EGRESS_TYPE,       /* not one of the partner's types */
	VG_EGRESS_LABEL,      /* none of the partner's labels */
	VG_EGRESS__COUNT,
};

/* May o go to p? VG_EGRESS_OK, and *their_level (may be NULL) the level
 * it gets there; otherwise the first rule (in the order of the enum) that
 * holds it back. */
enum vg_egress_verdict vg_egress_allowed(const struct vg_egress_partner *p,
                                         const struct vg_egress_object *o,
                                         int *their_level);
/* The rule as words: "the partner hub is on the object's path" ... */
const char *vg_egress_reason(enum vg_egress_verdict v);
/* Short names for lists and JSON: "ok", "path", "scope", ... */
const char *vg_egress_name(enum vg_egress_verdict v);
/* The scope an object that leaves with scope s has on the next hub
 * (connected: community; all and group: the same); -1 when it stays. */
int vg_egress_next_scope(int scope);

#endif
