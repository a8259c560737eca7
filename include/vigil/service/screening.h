/* Screening services: importing watchlists (UN, OFAC) as STIX, listing
 * them, loading them into a match index under a principal's access
 * rights, screening travellers, and keeping screening runs with their
 * hits and dispositions. */
#ifndef VIGIL_SCREENING_H
#define VIGIL_SCREENING_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/access/access.h"
#include "vigil/util/buf.h"
#include "vigil/service/hub.h"
#include "vigil/names/match.h"
#include "vigil/store/store.h"
#include "vigil/travel/travel.h"

struct vg_wl_import_result {
	size_t entries;     /* in the file */
	size_t individuals, entities, others;
	size_t added, updated, unchanged, revoked;
	size_t kept_revoked; /* listed again after a revocation: left as is */
};

/* Import a list: format "un" (path: the XML file) or "ofac" (path: the
 * directory with sdn.csv, alt.csv, add.csv, sdn_comments.csv). list names
 * the list (default: the format); collection (id or alias, default
 * "community") says where the entries go. New entries are added, changed
 * ones get a new version, entries no longer listed are revoked; all in
 * one transaction with its audit entry. */
int vg_watchlist_import(struct vg_store *s, const struct vg_actor *a,
			const char *format, const char *path, const char *list,
			const char *collection, struct vg_wl_import_result *res,
			char *err, size_t errlen);

struct vg_wl_summary {
	const char *list;
	size_t entries;  /* current (not revoked) */
	size_t individuals, entities, others;
	size_t revoked;
	char updated[32]; /* newest modified among the entries */
};

typedef int (*vg_wl_summary_cb)(void *ud, const struct vg_wl_summary *s);
/* The lists in the store (as the local operator sees them), by name. */
int vg_watchlist_lists(struct vg_store *s, vg_wl_summary_cb cb, void *ud);

/* ---- screening ------------------------------------------------------- */

/* One loaded watchlist entry. */
struct vg_screen_entry {
	struct vg_person person;
	char id[80];
	char list[32];
	char ref[64];
	char name[200];
	struct vg_access_meta meta;
};

struct vg_screen_index {
	struct vg_screen_entry *entries;
	size_t n;
	struct vg_match_index *ix;
	double build_seconds;
};

/* Load the latest watchlist entries that who may read (NULL: all, for the
 * local operator), of the named lists only (none: every list), and build
 * the index. */
int vg_screen_load(struct vg_store *s, const struct vg_principal *who,
		   const char *const *lists, size_t n_lists,
		   struct vg_screen_index *out);
void vg_screen_index_release(struct vg_screen_index *x);

/* Travel data in any supported format (detected), parsed. */
int vg_screen_parse(const char *buf, size_t len, struct vg_travel_list *out,
		    const char **format, char *err, size_t errlen);

/* A screening run's hit. */
struct vg_screen_hit {
	size_t traveller;
	const struct vg_screen_entry *entry;
	double score;
	struct vg_match_explain ex;
};

struct vg_screen_result {
	struct vg_screen_hit *hits;
	size_t n_hits;
};

/* Screen every traveller against the index (threads: 0 = one per core):
 * each traveller's best hits scoring at least threshold, at most ten,
 * best first; out->hits in traveller order. */
int vg_screen_run(const struct vg_screen_index *x,
		  const struct vg_travel_list *tl, double threshold,
		  int threads, struct vg_screen_result *out);

/* Which entries may be hits (for one caller): non-zero keeps e. Called
 * from the screening threads at once, so it must only read. */
typedef int (*vg_screen_keep_fn)(void *ud, const struct vg_screen_entry *e);

/* vg_screen_run with hits only on the entries keep keeps (keep NULL: all):
 * the ten best of those, whatever the entries left out would have
 * scored. */
int vg_screen_run_for(const struct vg_screen_index *x,
		      const struct vg_travel_list *tl, double threshold,
		      int threads, vg_screen_keep_fn keep, void *ud,
		      struct vg_screen_result *out);
void vg_screen_result_release(struct vg_screen_result *r);

/* The run as JSON (travellers with errors, hits with traveller, entry,
 * list, score and explanation) appended to out. run_id may be NULL. */
int vg_screen_json(const char *run_id, const char *format,
		   const struct vg_travel_list *tl,
		   const struct vg_screen_result *r, struct vg_buf *out);

/* Keep a run: its travellers and hits, owned by the actor's organisation,
 * with an audit entry "screen.run". run_id gets the new id (37 bytes).
 * Inside the caller's transaction. */
int vg_screen_store(struct vg_store *s, const struct vg_actor *a,
		    const char *source, const char *format,
		    const struct vg_travel_list *tl,
		    const struct vg_screen_result *r, double threshold,
		    char run_id[37]);

enum vg_disposition {
	VG_DISP_OPEN = 0,
	VG_DISP_CONFIRMED,
	VG_DISP_FALSE_POSITIVE,
	VG_DISP_NEEDS_REVIEW,
};
/* "confirmed", "false-positive", "needs-review"; -1 unknown. */
int vg_disposition_parse(const char *s);
const char *vg_disposition_name(enum vg_disposition d);

/* Set a hit's disposition (inside the caller's transaction), audited.
 * VG_ENOTFOUND when the run or hit does not exist or belongs to another
 * organisation (org 0: the local operator, any run). */
int vg_screen_dispose(struct vg_store *s, const struct vg_actor *a,
		      const char *run_id, int64_t hit, enum vg_disposition d,
		      const char *note);

/* A stored run as JSON (for `vigil screen show` and the API). */
int vg_screen_run_json(struct vg_store *s, const struct vg_actor *a,
		       const char *run_id, struct vg_buf *out);


/* ---- for the server ---------------------------------------------------- */

/* A shared index of every current watchlist entry, rebuilt when identity
 * objects change (looked at most every two seconds). Callers take a
 * reference and filter hits for the principal (vg_screen_visible). */
struct vg_screen_cache;
int vg_screen_cache_new(const char *location, struct vg_screen_cache **out);
void vg_screen_cache_free(struct vg_screen_cache *c);

struct vg_taxii;

/* Screen body (any supported format) for the caller of t: the hits are
 * those on entries the caller may read, of the named lists (none: all);
 * the run is stored and audited (with the request's authentication and
 * purpose) before out gets its JSON. VG_EINVAL with err for input that is
 * not travel data; VG_EDENIED when the role may not screen. */
int vg_screen_request(const struct vg_taxii *t, struct vg_screen_cache *c,
		      const char *body, size_t len, const char *const *lists,
		      size_t n_lists, double threshold, const char *source,
		      struct vg_buf *out, char *err, size_t errlen);
/* A stored run of the caller's organisation, audited; VG_EDENIED when
 * the role may not screen (an auditor). */
int vg_screen_request_get(const struct vg_taxii *t, const char *run,
			  struct vg_buf *out);
/* Dispose of a hit: body {"disposition": "...", "note": "..."}; the role
 * must allow writing. VG_EINVAL with err for a bad body. */
int vg_screen_request_dispose(const struct vg_taxii *t, const char *run,
			      int64_t hit, const char *body, size_t len,
			      char *err, size_t errlen);

#endif
