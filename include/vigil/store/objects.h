/* The store's object versions and TAXII status resources (part of store.h).
 * Writes happen inside the caller's transaction. */
#ifndef VIGIL_STORE_OBJECTS_H
#define VIGIL_STORE_OBJECTS_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/access/access.h"
#include "vigil/hub/model.h"
#include "vigil/stix/versions.h"
#include "vigil/taxii/filter.h"

struct vg_store;

/* One object version to store. Strings are borrowed for the call. */
struct vg_object {
	const char *id;
	const char *type;
	const char *version;  /* normalised key (stix.h VG_TS_KEY_LEN) or "" */
	const char *created;  /* verbatim, may be NULL */
	const char *modified; /* verbatim, may be NULL */
	const char *spec_version; /* may be NULL */
	int revoked;
	const char *collection; /* TAXII collection id ("" none) */
	int64_t owner;        /* the posting organisation */
	int scope;            /* enum vg_scope, from the collection */
	int64_t grp;          /* sharing group when scope is a group */
	int tlp;              /* enum vg_tlp */
	int classification;   /* hub-defined level, 0 unclassified */
	int latest;           /* decided by vg_version_plan */
	int copy;             /* likewise */
	const char *json;     /* compact JSON text, exactly as validated */
	size_t json_len;
};

/* A stored version as read back. */
struct vg_row {
	int64_t date_added; /* microseconds since the epoch, unique, increasing */
	const char *id;
	const char *type;
	const char *version;  /* normalised key */
	const char *modified; /* verbatim modified, else created, else NULL */
	const char *spec_version;
	const char *collection;
	const char *json;
	size_t json_len;
	int revoked;
	int latest;
	/* what the access rule needs (access.h) */
	int64_t owner;
	int scope;
	int64_t grp;
	int tlp;
	int classification;
};

/* Return non-zero to stop the scan; that value is returned by the scan. */
typedef int (*vg_row_cb)(void *ud, const struct vg_row *row);
typedef int (*vg_version_cb)(void *ud, const struct vg_stored_version *v);

#define VG_QUERY_WORDS 8

/* Which versions to read. Lists are ORed within, fields ANDed. Only
 * versions the expression visible holds true for are read, and "newest"
 * and "oldest" are among those, so an invisible newer version never
 * hides, or reveals itself through, an older visible one. */
struct vg_query {
	const char *collection;   /* NULL: every collection */
	/* required: the access rule of the reader (vg_access_expr); the
	 * operator's is true */
	const struct vg_access_expr *visible;
	const char *const *types; size_t n_types; /* none: every type */
	const char *const *ids; size_t n_ids;     /* none: every id */
	int64_t added_after;  /* strictly after, in microseconds; 0: all */
	unsigned versions;    /* enum vg_versions bits; 0: LAST */
	const char *const *version_keys; size_t n_version_keys;
	const char *const *spec_versions; size_t n_spec_versions;
	int64_t owner;        /* only this organisation's rows; 0: any */
	/* the console's search, over the JSON texts (a scan, not an index):
	 * every word in the name or the description (ASCII letters in any
	 * case, other bytes exactly), a label, a reference of
	 * object_marking_refs, a TLP level, versions (normalised keys) from
	 * and to (inclusive), versions whose source_ref, target_ref or
	 * sighting_of_ref is ref */
	const char *const *words; size_t n_words; /* at most VG_QUERY_WORDS */
	const char *label;
	const char *marking;
	int tlp;              /* enum vg_tlp + 1; 0: any */
	const char *version_from, *version_to;
	const char *ref;
	int newest_first;     /* date_added descending */
	size_t offset;        /* rows skipped before the first given */
	size_t limit;         /* 0: no limit */
	/* rows carry only date_added, id, version, modified and json (the
	 * rest zero): what a TAXII page writes, read faster */
	int slim;
};

struct vg_store_objects_ops {
	/* Every stored row of id, in any order (what vg_version_plan reads). */
	int (*versions)(struct vg_store *s, const char *id, vg_version_cb cb,
			void *ud);
	/* Store o with the next date_added of the hub (strictly after every
	 * one stored, whichever process stored it), given in *date_added
	 * (may be NULL). */
	int (*insert)(struct vg_store *s, const struct vg_object *o,
		      int64_t *date_added);
	/* The organisation an owned id is registered to (VG_ENOTFOUND: none).
	 * Registrations outlive the id's rows. */
	int (*owner_of)(struct vg_store *s, const char *id, int64_t *owner);
	/* Register id to owner (VG_EDUPLICATE when it is registered). */
	int (*owner_set)(struct vg_store *s, const char *id, int64_t owner);
	/* Every id whose rows more than one organisation holds. */
	int (*shared_ids)(struct vg_store *s, int (*cb)(void *ud, const char *id),
			  void *ud);
	/* Set the scope of the row (id, version, collection, owner). */
	int (*set_scope)(struct vg_store *s, const char *id, const char *version,
			 const char *collection, int64_t owner, int scope);
	/* Flag exactly the rows of id in collection whose version is version
	 * (NULL: none) as the latest. */
	int (*set_latest)(struct vg_store *s, const char *id,
			  const char *collection, const char *version);
	/* Versions matching q in date_added order (rows of one (id, version)
	 * held in several collections or by several organisations are read
	 * once). VG_EINVAL without q->visible. */
	int (*scan)(struct vg_store *s, const struct vg_query *q, vg_row_cb cb,
		    void *ud);
	/* Delete the versions matching q (q->collection set, q->ids one id);
	 * *deleted gets how many. */
	int (*remove)(struct vg_store *s, const struct vg_query *q,
		      int64_t *deleted);
	/* Per type, counted once across collections, in type order. */
	int (*type_stats)(struct vg_store *s, vg_type_stats_cb cb, void *ud);

	/* Optional (NULL: none). A hint inside a write transaction: versions
	 * and owner_of will be asked next for these ids, so a backend may
	 * read them in one go (PostgreSQL: one round trip for a batch). The
	 * answers are the same with or without it. */
	int (*prefetch)(struct vg_store *s, const char *const *ids, size_t n);

	/* TAXII status resources. get: VG_ENOTFOUND unless the status
	 * exists, belongs to user and was created at or after not_before. */
	int (*status_put)(struct vg_store *s, const char *id, int64_t user,
			  int64_t created, const char *json);
	int (*status_get)(struct vg_store *s, const char *id, int64_t user,
			  int64_t not_before, char **json);
	int (*status_expire)(struct vg_store *s, int64_t before);
};

#endif
