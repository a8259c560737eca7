/* Ingest: STIX input (any shape jstream.h reads) validated object by
 * object and stored in one transaction, so a malformed input changes
 * nothing while invalid objects never block valid ones. What a front sees
 * of it: each object's outcome and the counts (the engine itself is the
 * service's, src/service/ingest_int.h). */
#ifndef VIGIL_INGEST_H
#define VIGIL_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

struct vg_store;
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
	/* 1 when the object was STIX 2.0, converted (opts.convert_20);
	 * conversion says how (also on SCOs made from its container, with
	 * converted 0), else NULL */
	int converted;
	const char *conversion;
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
	/* objects the input may hold (0: no limit): the next one stops the
	 * parse with VG_ETOOMANY, so the rest is never read */
	size_t max_objects;
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
	/* STIX 2.0 objects are up-converted to 2.1 (vg_stix_convert_20)
	 * before validation; without it they are rejected */
	int convert_20;
	/* Federation (the service's sync ingest): admit runs for every valid
	 * object on the parsing thread, with its position in the input; it
	 * may refuse it (non-zero, the reason in msg, reported as a
	 * rejection), give it another owner, and give its classification
	 * (*level >= 0: that level, its markings already classified by the
	 * hub that sent it). on_stored runs inside the transaction after
	 * each version is stored, with its date_added. */
	int (*admit)(void *ud, size_t index, const cJSON *obj, int64_t *owner,
		     int *level, char *msg, size_t len);
	int (*on_stored)(void *ud, struct vg_store *s, size_t index,
			 int64_t date_added);
	/* early warning: each version's correlation keys and the watches it
	 * matches, in the transaction that stores it (NULL: none; set by
	 * vg__collection_target, and by every path that ingests) */
	struct vg_service *svc;
	/* Several inputs in one ingest (vg_ingest_next, the sync front's
	 * pages): called after the last outcome of each input, with that
	 * input's ud, on the thread that stores (inside the transaction);
	 * not with vg_ingest_prepare. Non-zero stops ingest. */
	int (*on_input_end)(void *ud, struct vg_store *s);
	/* Called for every object (may be NULL), on the thread that stores.
	 * Non-zero stops ingest. The hooks get the ud of the input the object
	 * came in (ud, or the one given to vg_ingest_next). */
	int (*on_result)(void *ud, const struct vg_ingest_result *r);
	/* Called about every 1,000 objects (may be NULL). */
	void (*on_progress)(void *ud, size_t objects, uint64_t bytes);
	void *ud;
};

struct vg_ingest_counts {
	size_t accepted, duplicates, rejected;
	size_t converted; /* STIX 2.0 objects converted (any outcome) */
};

#endif
