/* The ingest engine (used by the service's use cases only). */
#ifndef VIGIL_INGEST_INT_H
#define VIGIL_INGEST_INT_H

#include "vigil/service/ingest.h"
#include "vigil/store/store.h"

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
/* The current input is complete (checked as vg_ingest_end does) and
 * another follows in the same transaction, its objects numbered from 0
 * again and reported with ud; on_input_end(old ud) follows the last
 * outcome of the one that ended. */
int vg_ingest_next(struct vg_ingest *g, void *ud);
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
 * or VG_ETOOBIG with err for input that is not JSON, VG_ETOOMANY past
 * opts.max_objects, where the parse stops); vg_ingest_apply
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
