/* The hub's versioning and ownership rules, decided from the versions a
 * store holds of one id and the id's registered owner (pure: the store
 * only keeps and finds rows): who may add a version, which version is the
 * latest in a collection, revocation being final, and what a re-posted
 * version is.
 *
 * Ownership (docs/security.md): an SDO, SRO or meta object belongs to the
 * organisation that first stored its id, for ever: while rows of it exist
 * their first one says who, and the id is registered to its owner when
 * rows are deleted (the registration outlives them, and wins over the
 * rows when both exist); only that organisation adds versions, and any other
 * organisation's version of it, whatever its modified and whether or not
 * the poster can read the id, is refused with one answer. An SCO (its id
 * derived from its values) and the standard TLP marking definitions are
 * shared: every organisation holds its own copy, and a copy never speaks
 * of another organisation's. */
#ifndef VIGIL_STIX_VERSIONS_H
#define VIGIL_STIX_VERSIONS_H

#include <stddef.h>
#include <stdint.h>

/* One stored row of the id. */
struct vg_stored_version {
	int64_t date_added;
	const char *collection;
	const char *version; /* normalised key (stix.h vg_ts_key) */
	int64_t owner;
	int revoked;
};

/* A version about to be stored. */
struct vg_new_version {
	const char *collection;
	const char *version;
	int64_t owner;
	int revoked;
	int shared;            /* an SCO or a standard TLP marking */
	int64_t registered;    /* the id's registered owner; 0 none */
};

enum vg_plan_action {
	VG_PLAN_INSERT,    /* store it (latest and copy say how) */
	VG_PLAN_DUPLICATE, /* the poster holds this version here already */
	VG_PLAN_DENIED,    /* a new version of an id another organisation owns */
	VG_PLAN_REVOKED,   /* would follow a revoked version, or a revoked
			    * version older than one that exists (of the
			    * owner's, in any collection) */
};

struct vg_version_plan {
	enum vg_plan_action action;
	int latest;       /* the newest version of the id in the collection */
	int clear_latest; /* older rows there lose their latest flag first */
	int copy;         /* another organisation holds this version here */
	int after_revoked; /* REVOKED: it would follow a revoked version
			    * (else it is revoked and older than one stored) */
};

/* Decide what storing v means, given the n rows the store holds of its
 * id (in any order) and its registered owner. For an owned id without a
 * registration (stored before owners were registered) the owner is whoever
 * stored the id first. */
void vg_version_plan(const struct vg_stored_version *rows, size_t n,
		     const struct vg_new_version *v, struct vg_version_plan *out);

/* 1 when id is shared (not owned): an SCO's (its type one of the STIX 2.1
 * cyber-observable types) or a standard TLP marking definition's. */
int vg_stix_id_shared(const char *id);

/* The newest version among rows of collection (NULL when none): the one
 * to flag latest after a delete. */
const char *vg_version_newest(const struct vg_stored_version *rows, size_t n,
			      const char *collection);

#endif
