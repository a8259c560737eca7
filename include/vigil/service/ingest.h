/* Ingest: STIX input (any shape jstream.h reads) fed in chunks, validated
 * object by object and stored in one transaction, so a malformed input
 * changes nothing while invalid objects never block valid ones. */
#ifndef VIGIL_INGEST_H
#define VIGIL_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/store/store.h"

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
	/* STIX 2.0 objects are up-converted to 2.1 (vg_stix_convert_20)
	 * before validation; without it they are rejected */
	int convert_20;
	/* Called for every object (may be NULL). Non-zero stops ingest. */
	int (*on_result)(void *ud, const struct vg_ingest_result *r);
	/* Called about every 1,000 objects (may be NULL). */
	void (*on_progress)(void *ud, size_t objects, uint64_t bytes);
	void *ud;
};

struct vg_ingest_counts {
	size_t accepted, duplicates, rejected;
	size_t converted; /* STIX 2.0 objects converted (any outcome) */
};

struct vg_ingest;

/* Start ingesting into s: opens the write transaction. */
int vg_ingest_begin(struct vg_store *s, const struct vg_ingest_opts *o,
		    struct vg_ingest **out);
/* Feed input bytes. VG_EJSON / VG_ETOOBIG for input that is not JSON or too
 * large (vg_ingest_error says where); VG_EINVAL for a bundle whose envelope
 * is invalid (vg_stix_validate_bundle; not with opts.envelope); VG_ESTORE
 * etc. for store failures.
 * After any error only vg_ingest_abort is useful. */
int vg_ingest_feed(struct vg_ingest *g, const char *p, size_t n);
/* End of input: checks the input was complete and commits. On success the
 * counts are final and the data durable. Frees g either way; on failure
 * everything is rolled back. */
int vg_ingest_end(struct vg_ingest *g, struct vg_ingest_counts *counts,
		  char *err, size_t errlen);
/* Roll back and free. */
void vg_ingest_abort(struct vg_ingest *g);
/* The message of the last failure ("line 3, column 7: expected ':'"). */
const char *vg_ingest_error(const struct vg_ingest *g);
/* 1 when the input was a container (bundle, envelope, array), not bare
 * objects. */
int vg_ingest_was_container(const struct vg_ingest *g);
/* With opts.envelope: 0 when the input held an objects array; 1 when it
 * was an object with neither "objects" nor "type" (an envelope with no
 * objects, {"more":false}); 2 when it was an object with "type" (a lone
 * STIX object) or with an "objects" that is not an array. */
int vg_ingest_bare(const struct vg_ingest *g);
/* Counts so far. */
void vg_ingest_counts(const struct vg_ingest *g, struct vg_ingest_counts *c);

/* Two steps, for the server: vg_ingest_prepare parses and validates a
 * whole input on the caller's thread without touching any store (VG_EJSON
 * or VG_ETOOBIG with err for input that is not JSON); vg_ingest_apply
 * then stores the validated objects inside the caller's transaction,
 * reporting each outcome through the options' on_result, and may run
 * again (a retried transaction). Free with vg_ingest_abort. */
int vg_ingest_prepare(const char *buf, size_t len,
		      const struct vg_ingest_opts *o, struct vg_ingest **out,
		      char *err, size_t errlen);
int vg_ingest_apply(struct vg_store *s, struct vg_ingest *g,
		    struct vg_ingest_counts *counts);

/* Ingest from a file descriptor until end of file: begin, feed, end. */
int vg_ingest_fd(struct vg_store *s, int fd, const struct vg_ingest_opts *o,
		 struct vg_ingest_counts *counts, char *err, size_t errlen);

#endif
