/* The hub's entities as plain data, shared by every layer: organisations,
 * users, API keys, sharing groups, TAXII collections, counts of stored
 * objects, screening runs and their hits; and the rules for the names
 * people give them. Strings are borrowed: in a callback they live until
 * it returns. */
#ifndef VIGIL_HUB_MODEL_H
#define VIGIL_HUB_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/audit/audit.h"

struct vg_org {
	int64_t id;
	const char *name;
	const char *identity; /* the organisation's STIX identity id */
	int64_t created;
};

struct vg_user {
	int64_t id;
	const char *name;
	int64_t org;
	const char *org_name;
	int role;      /* enum vg_role */
	int clearance;
	int disabled;
	int64_t created;
};

struct vg_key {
	const char *id;   /* public part, shown in lists */
	int64_t user;
	const char *user_name;
	const unsigned char *hash; /* 32 bytes */
	int64_t created;
	int64_t expires;  /* microseconds; 0 never */
	int revoked;
};

struct vg_group {
	int64_t id;
	const char *name;
	int64_t created;
};

struct vg_collection {
	const char *id;    /* UUID */
	const char *alias;
	const char *title;
	const char *description;
	int scope;         /* enum vg_scope */
	int64_t org;       /* the owner of a private collection, else 0 */
	int64_t grp;       /* the group of a group collection, else 0 */
	int position;      /* listing order */
};

typedef int (*vg_org_cb)(void *ud, const struct vg_org *o);
typedef int (*vg_user_cb)(void *ud, const struct vg_user *u);
typedef int (*vg_key_cb)(void *ud, const struct vg_key *k);
typedef int (*vg_group_cb)(void *ud, const struct vg_group *g,
			   const char *members /* comma-separated org names */);
typedef int (*vg_collection_cb)(void *ud, const struct vg_collection *c);

struct vg_type_stats {
	const char *type;
	int64_t objects;  /* distinct ids */
	int64_t versions; /* stored versions */
	int64_t revoked;  /* ids whose latest version is revoked */
};

typedef int (*vg_type_stats_cb)(void *ud, const struct vg_type_stats *t);

struct vg_screen_run_row {
	const char *id;
	int64_t created;
	const char *actor;
	int64_t org;
	const char *source;
	const char *format;
	int64_t travellers, hits;
	double threshold;
	const char *travellers_json; /* JSON array; NULL in lists (run_list) */
	/* lists only: the hits by state (open counts neither disposed nor
	 * suppressed hits; suppressed counts the suppressed still open) */
	int64_t n_open, n_confirmed, n_false_positive, n_needs_review,
		n_suppressed;
};

struct vg_screen_hit_row {
	const char *run;
	int64_t n;         /* hit number within the run, from 1 */
	int64_t traveller; /* index into the run's travellers */
	const char *entry; /* STIX id of the watchlist entry */
	const char *list, *ref;
	double score;
	const char *explanation; /* JSON */
	int disposition;         /* enum vg_disposition */
	const char *disposed_by; /* NULL when open */
	int64_t disposed_at;
	const char *note;
	const char *entry_version; /* the entry's modified; "" for older runs */
	const char *entry_name;    /* "" for older runs */
	/* the traveller as suppressions know it: document number, name and
	 * date of birth, normalised by the service ("" when unknown) */
	const char *key_doc, *key_name, *key_dob;
	/* JSON array of the further entries found to be the same person, or
	 * NULL */
	const char *same_person;
	int64_t suppressed; /* the suppression that held it back, 0 none */
	/* run_get and hit_get: that suppression's maker and time */
	const char *suppressed_by;
	int64_t suppressed_at;
};

typedef int (*vg_screen_run_cb)(void *ud, const struct vg_screen_run_row *r);
typedef int (*vg_screen_hit_cb)(void *ud, const struct vg_screen_hit_row *h);

/* Which runs a list gives, newest first. */
struct vg_screen_run_filter {
	int64_t org;          /* the runs of org; 0: every organisation's */
	const char *run;      /* only this run, or NULL */
	int64_t since, until; /* created within [since, until), microseconds;
			       * 0: unbounded */
	const char *source;   /* sources containing this text, or NULL */
	int open;             /* only runs with an open hit */
	int needs_review;     /* only runs with a hit that needs review */
	size_t limit;         /* at most this many; 0: all */
};

/* A false-positive disposition remembered: later runs of org do not raise
 * a hit on entry (at entry_version) for the traveller with this document
 * number, normalised name and date of birth. */
struct vg_suppression_row {
	int64_t id;
	int64_t org;
	const char *entry, *entry_version;
	const char *doc, *name, *dob;
	const char *run; /* the run and hit whose disposition made it */
	int64_t hit;
	int64_t created;
	const char *by;
	const char *note; /* may be NULL */
	int64_t withdrawn_at; /* 0 while it holds */
	const char *withdrawn_by;
};

typedef int (*vg_suppression_cb)(void *ud, const struct vg_suppression_row *r);


/* Names of organisations and groups: 1-max printable characters without
 * quotes, backslashes or controls. */
int vg_hub_name_ok(const char *s, size_t max);
/* User names: 1-64 of [A-Za-z0-9._@-] (they appear in HTTP Basic). */
int vg_hub_user_name_ok(const char *s);
/* A collection alias from a name: lowercase letters and digits, every
 * other byte '-' (out gets at most n-1 bytes). */
void vg_hub_slug(const char *name, char *out, size_t n);

#endif
