/* Screening as use cases: importing watchlists (UN, OFAC) as STIX and
 * listing them, screening travel data or one name against the entries
 * the caller may read, keeping runs with their hits and the analysts'
 * dispositions. Every function checks the caller's role and is audited
 * with its purpose. */
#ifndef VIGIL_SCREENING_H
#define VIGIL_SCREENING_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/access/access.h"
#include "vigil/hub/model.h"
#include "vigil/names/match.h"
#include "vigil/service/service.h"
#include "vigil/travel/travel.h"
#include "vigil/util/buf.h"
#include "vigil/util/jsonw.h"

/* ---- watchlists ---------------------------------------------------------- */

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
 * one transaction with its audit entry. The operator's. */
int vg_watchlist_import(struct vg_ctx *c, const char *format, const char *path,
			const char *list, const char *collection,
			struct vg_wl_import_result *res, char *err,
			size_t errlen);

struct vg_wl_summary {
	const char *list;
	size_t entries;  /* current (not revoked) */
	size_t individuals, entities, others;
	size_t revoked;
	char updated[32]; /* newest modified among the entries */
};

typedef int (*vg_wl_summary_cb)(void *ud, const struct vg_wl_summary *s);
/* The lists as c may read them, by name. Audited. */
int vg_watchlist_lists(struct vg_ctx *c, vg_wl_summary_cb cb, void *ud);

/* ---- screening ------------------------------------------------------- */

/* One loaded watchlist entry. */
struct vg_screen_entry {
	struct vg_person person;
	char id[80];
	char version[40]; /* its modified: a new version is another entry */
	char list[32];
	char ref[64];
	char name[200];
	struct vg_access_meta meta;
};

/* A screening run's hit. Hits that point at the same person (item 14 of
 * issue 9: shared document numbers, or the same name and date of birth)
 * are one hit with several entries: its first (the best scored) leads,
 * and the others follow it with same_person set. */
struct vg_screen_hit {
	size_t traveller;
	const struct vg_screen_entry *entry;
	double score;
	struct vg_match_explain ex;
	int same_person;     /* another entry of the hit before it */
	char because[128];   /* why: "document '106261543'", "name and date
			      * of birth" */
	/* a lead held back by a remembered false-positive disposition */
	int64_t suppressed;  /* the suppression, 0 none */
	char suppressed_by[128];
	int64_t suppressed_at;
};

struct vg_screen_result {
	struct vg_screen_hit *hits;
	size_t n_hits;  /* entries hit, same person or not */
	size_t n_leads; /* hits as numbered: one per person */
	size_t n_raised; /* leads not suppressed */
};

/* The traveller as a suppression knows it: first document number
 * (letters and digits, upper case), the name normalised (its tokens
 * sorted), the first date of birth; "" when unknown. */
struct vg_traveller_key {
	char doc[64];
	char name[256];
	char dob[16];
};

/* A screening as the caller gets it: the travellers read, the hits (best
 * first per traveller, at most ten, on entries the caller may read), the
 * stored run's id. Release with vg_screening_release. */
struct vg_screening {
	char run[37];       /* "" when not stored (vg_screen_match) */
	const char *format; /* "paxlst", "csv", "jsonl" */
	double threshold;
	struct vg_travel_list tl;
	struct vg_screen_result r;
	struct vg_traveller_key *keys; /* one per traveller (those with hits) */
	size_t n_entries;   /* entries the travellers were screened against */
	void *index;        /* keeps the entries alive */
	struct vg_service *svc;
	unsigned retry_after; /* seconds, when refused with VG_ERATE */
};
void vg_screening_release(struct vg_screening *s);

/* Screen body (PAXLST, CSV or JSON lines: detected) against the named
 * lists (none: all) at threshold (0 to 1) on threads (0: one per core);
 * the run is stored and audited before out is filled. VG_EINVAL (err)
 * for input that is not travel data or a threshold out of range;
 * VG_ENOTFOUND (err) when no entry may be screened against; VG_EDENIED
 * when the role may not screen. The hub's limits (vg_service_conf):
 * VG_ETOOMANY (err) past screen_max_travellers records, where the parse
 * stops; VG_ERATE (err, out->retry_after) when the user's budget of
 * screen_per_minute records a minute does not hold a screening's worth
 * (screen_max_travellers) yet. Refusals for the data, its size and the
 * rate are audited. */
int vg_screen(struct vg_ctx *c, const char *body, size_t len,
	      const char *const *lists, size_t n_lists, double threshold,
	      int threads, const char *source, struct vg_screening *out,
	      char *err, size_t errlen);
/* One person (name, and the dates of birth and nationalities given)
 * against every list, not stored, audited "screen.match". who is moved
 * into out (and left empty). */
int vg_screen_match(struct vg_ctx *c, struct vg_person *who,
		    double threshold, struct vg_screening *out);

/* The run as JSON (travellers with errors, hits with traveller, entry,
 * list, score and explanation; same_person: the other entries of the same
 * person; suppressed: the disposition that held it back). */
int vg_screening_json(const struct vg_screening *s, struct vg_buf *out);

enum vg_disposition {
	VG_DISP_OPEN = 0,
	VG_DISP_CONFIRMED,
	VG_DISP_FALSE_POSITIVE,
	VG_DISP_NEEDS_REVIEW,
};
/* "confirmed", "false-positive", "needs-review"; -1 unknown. */
int vg_disposition_parse(const char *s);
const char *vg_disposition_name(enum vg_disposition d);

/* ---- runs, dispositions and suppressions (screen_runs.c) -------------- */

/* A run is named by its id or "last": the newest run c may read. */
#define VG_RUN_LAST "last"

/* A stored run of c's organisation (any for the operator) as JSON,
 * audited. VG_ENOTFOUND when there is none; VG_EDENIED when the role may
 * not screen (an auditor). */
int vg_screen_run_json(struct vg_ctx *c, const char *run, struct vg_buf *out);
/* Set a hit's disposition, audited; the role must allow writing. run
 * may be "last"; run_id (may be NULL) gets the run's id. VG_ENOTFOUND
 * (err: "no run 'ID'" or "no hit N of run 'ID'") when the run or hit
 * does not exist or belongs to another organisation. note may be
 * NULL (at most 2000 bytes). A false positive is remembered: a
 * suppression for each entry of the hit (see vg_screen_suppressions);
 * another disposition of the same hit later withdraws them. */
int vg_screen_dispose(struct vg_ctx *c, const char *run, int64_t hit,
		      enum vg_disposition d, const char *note, char run_id[37],
		      char *err, size_t errlen);

/* The runs c may read that f selects (f->org is set from c), newest
 * first, each with its counts of hits by state. Audited
 * ("screen.list"). */
int vg_screen_runs(struct vg_ctx *c, const struct vg_screen_run_filter *f,
		   vg_screen_run_cb cb, void *ud);
/* The suppressions of c's organisation (every one for the operator), the
 * withdrawn too when all. Audited ("screen.suppressions"). */
int vg_screen_suppressions(struct vg_ctx *c, int all, vg_suppression_cb cb,
			   void *ud);
/* A listed run ({"run","created","actor","source","format","threshold",
 * "travellers","hits","by_state":{"open","confirmed","false-positive",
 * "needs-review","suppressed"}}) and a suppression as JSON, the same for
 * every front. */
void vg_screen_run_row_json(const struct vg_screen_run_row *r, struct vg_jw *w);
void vg_suppression_row_json(const struct vg_suppression_row *r,
			     struct vg_jw *w);
/* Withdraw suppression id, audited; later runs raise its hits again.
 * VG_ENOTFOUND when c's organisation has no such suppression in force. */
int vg_screen_withdraw(struct vg_ctx *c, int64_t id);

/* Travel data in any supported format (detected), parsed; at most max
 * records (0: any), one more is VG_ETOOMANY and the rest is not read.
 * Pure. */
int vg_screen_parse(const char *buf, size_t len, size_t max,
		    struct vg_travel_list *out, const char **format, char *err,
		    size_t errlen);

/* A shared index of every current watchlist entry, rebuilt when the
 * entries change; kept by the service. */
struct vg_screen_cache;
int vg_screen_cache_new(struct vg_screen_cache **out);
void vg_screen_cache_free(struct vg_screen_cache *c);

#endif
