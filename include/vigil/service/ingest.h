/* Ingest: STIX input (any shape jstream.h reads) validated object by
 * object and stored in one transaction, so a malformed input changes
 * nothing while invalid objects never block valid ones. What a front sees
 * of it: each object's outcome and the counts (the engine itself is the
 * service's, src/service/ingest_int.h). */
#ifndef VIGIL_INGEST_H
#define VIGIL_INGEST_H

#include <stddef.h>
#include <stdint.h>

struct vg_service;

enum vg_ingest_outcome {
	VG_INGEST_ACCEPTED,  /* stored as a new version */
	VG_INGEST_DUPLICATE, /* that (id, version) was stored already */
	VG_INGEST_REJECTED,  /* invalid, or refused by the versioning rules */
};

/* One object's outcome. id and version are NULL when the object had none
 * usable; message is set for rejections. Valid during the call only. */
struct vg_ingest_result {
	size_t index; /* position in the input, from 0 */
	enum vg_ingest_outcome outcome;
	const char *id;
	const char *modified; /* verbatim modified (or created), may be NULL */
	const char *message;
};

struct vg_ingest_opts {
	const char *collection; /* where versions go ("" none) */
	int64_t owner;      /* organisation that posts */
	int scope;          /* enum vg_scope given to new versions */
	int64_t grp;        /* the sharing group of a group scope */
	/* the hub's classification markings: level i is marked by
	 * level_markings[i]; an object's classification is the highest level
	 * among its object_marking_refs, 0 when none */
	const char *const *level_markings;
	size_t n_levels;
	size_t max_object;  /* bytes; 0: 16 MiB */
	/* the caller runs the transaction (the writer's jobs); ingest then
	 * neither begins, commits nor rolls back */
	int in_transaction;
	/* parse and validate on the caller's thread while a second thread
	 * stores (for large inputs: both cores work); outcomes are then
	 * reported from that thread, still in input order */
	int pipeline;
	/* the input must be a TAXII envelope: a top-level object without an
	 * objects array is not stored but noted (vg_ingest_bare) */
	int envelope;
	/* the poster's organisation identity: owned objects must name it as
	 * created_by_ref (it is added where absent); NULL: kept as given
	 * (the operator republishing, a partner hub's objects) */
	const char *creator;
	/* the watchlist importer: may store entries with vigil's watchlist
	 * extension, its definition and its definer; nobody else may */
	int watchlist;
	/* early warning: each version's correlation keys and the watches it
	 * matches, in the transaction that stores it (NULL: none; set by
	 * vg__collection_target, and by every path that ingests) */
	struct vg_service *svc;
	/* Called for every object (may be NULL). Non-zero stops ingest. */
	int (*on_result)(void *ud, const struct vg_ingest_result *r);
	/* Called about every 1,000 objects (may be NULL). */
	void (*on_progress)(void *ud, size_t objects, uint64_t bytes);
	void *ud;
};

struct vg_ingest_counts {
	size_t accepted, duplicates, rejected;
};

#endif
