/* The store's early-warning rows (part of store.h): the key index of
 * object versions (keys.h), watches, alerts and their webhook
 * deliveries, owners' disclosure choices, access requests and grants,
 * the correlation exclusions. The store keeps and finds; which rows an
 * answer may show, and how, is the service's. Writes happen inside the
 * caller's transaction. */
#ifndef VIGIL_STORE_WARN_H
#define VIGIL_STORE_WARN_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/access/access.h"

struct vg_store;

/* ---- the key index -------------------------------------------------- */

/* Keys a backend may keep as a hash only: references ("ref:ID", half of
 * all keys) but to the objects trends count by (threat actors,
 * intrusion sets, attack patterns, locations). They are found by their
 * exact key only; a scan of every key gives them back as "ref:", and
 * key_counts leaves them out. */
static inline int vg_warn_key_hashed(const char *key)
{
	static const char *const kept[] = {"threat-actor--", "intrusion-set--",
	                                   "attack-pattern--", "location--"};
	if (key[0] != 'r' || key[1] != 'e' || key[2] != 'f' || key[3] != ':')
		return 0;
	for (int i = 0; i < 4; i++) {
		const char *a = key + 4, *b = kept[i];
		while (*b && *a == *b)
			a++, b++;
		if (!*b)
			return 0;
	}
	return 1;
}

/* One row of the key index: a key of the version stored as added. */
struct vg_warn_keyrow {
	const char *key;
	int64_t added;
};

/* A stored version found through one of its keys. Strings live until
 * the callback returns. */
struct vg_warn_row {
	const char *key;
	int64_t added; /* the version's date_added */
	const char *id, *type, *version, *collection;
	const char *created; /* verbatim, may be NULL */
	int latest, revoked;
	int64_t owner;
	int scope;
	int64_t grp;
	int tlp, classification;
	const char *json; /* NULL unless the query asked for it */
	size_t json_len;
};
typedef int (*vg_warn_row_cb)(void *ud, const struct vg_warn_row *r);

struct vg_warn_keyq {
	/* exact keys, ORed; or, when lo is set, every key in [lo, hi]; or,
	 * with neither, every key */
	const char *const *keys;
	size_t n_keys;
	const char *lo, *hi;
	int latest;            /* only versions flagged latest, not revoked */
	int json;              /* rows carry the version's JSON */
	int64_t after, before; /* date_added > after and < before; 0: open */
	size_t limit;          /* rows; 0: no limit */
};

/* Counts for trends: distinct objects per (value, day) among versions
 * q->visible holds true for. The day is the version's created date
 * (YYYY-MM-DD), else the day of its date_added. */
struct vg_warn_countq {
	const struct vg_access_expr *visible; /* required */
	/* "type" and "owner" count the versions' columns; any other text is
	 * a key prefix ("label:", "ref:threat-actor--") whose keys are the
	 * values */
	const char *facet;
	const char *since, *until; /* days, inclusive; NULL: open */
};
typedef int (*vg_warn_count_cb)(void *ud, const char *value, const char *day,
                                int64_t count);

/* ---- watches, alerts, deliveries ------------------------------------ */

struct vg_watch_row {
	int64_t id;
	const char *name;
	int64_t org, user; /* the creator */
	const char *user_name;
	int shared;          /* every user of org sees its alerts */
	int kind;            /* enum vg_watch_kind */
	const char *term;    /* value key, name, document key, pattern,
	                        object id or query JSON */
	const char *display; /* the term as the user wrote it */
	double threshold;    /* names */
	const char *webhook; /* URL or NULL */
	const char *secret;  /* hex HMAC key or NULL */
	int64_t created;
	int disabled;
};
typedef int (*vg_watch_cb)(void *ud, const struct vg_watch_row *w);

/* What kind of alert: a match the watcher may read, or a hit / no-hit
 * (a record the watcher may not read), an access request to an owner, a
 * decision to the requester. */
enum vg_alert_kind {
	VG_ALERT_MATCH,
	VG_ALERT_HIT,
	VG_ALERT_REQUEST,
	VG_ALERT_DECISION,
};

struct vg_alert_row {
	int64_t seq;       /* set by the store: increasing, unique */
	int64_t watch;     /* 0 for requests and decisions */
	int64_t org, user; /* whom it is for: user 0 = every user of org */
	int64_t created;
	int kind;           /* enum vg_alert_kind */
	int retro;          /* found when the watch was made */
	int64_t added;      /* the version's date_added, 0 none */
	const char *object; /* its id ("" none) */
	const char *version;
	const char *key;      /* the matched key or term ("" none) */
	const char *detail;   /* JSON object */
	const char *acked_by; /* NULL until acknowledged */
	int64_t acked_at;
};
typedef int (*vg_alert_cb)(void *ud, const struct vg_alert_row *a);

struct vg_alertq {
	int64_t org;   /* required */
	int64_t user;  /* the reader: its own and its org's shared alerts */
	int64_t after; /* seq > after */
	int64_t watch; /* 0: any */
	int unacked;   /* only those not acknowledged */
	size_t limit;  /* 0: no limit */
};

struct vg_delivery_row {
	int64_t alert, watch;
	int attempts;
	int64_t next_at;
	int done; /* 0 pending, 1 delivered, 2 given up */
	const char *error;
};
typedef int (*vg_delivery_cb)(void *ud, const struct vg_delivery_row *d);

/* ---- access requests and grants ---------------------------------------- */

enum vg_request_state { VG_REQ_PENDING, VG_REQ_DECIDED };

struct vg_request_row {
	int64_t id;
	int64_t created;
	int64_t requester_org, requester_user, owner_org;
	const char *requester_name; /* the user */
	const char *object; /* the requester's object the match came from */
	const char *reason;
	/* [{"object": ID, "rows": [date_added...], "state": "pending"|
	 * "granted"|"refused"}]: the owner's objects; never shown to the
	 * requester */
	const char *items;
	int state;
	const char *decided_by;
	int64_t decided_at;
};
typedef int (*vg_request_cb)(void *ud, const struct vg_request_row *r);

struct vg_grant_row {
	int64_t id;
	int64_t org;   /* the grantee organisation */
	int64_t owner; /* the granting organisation */
	int64_t added; /* the version granted */
	const char *object;
	int64_t request;
	const char *granted_by;
	int64_t created;
	int revoked;
	const char *revoked_by;
	int64_t revoked_at;
};
typedef int (*vg_grant_cb)(void *ud, const struct vg_grant_row *g);

typedef int (*vg_excl_cb)(void *ud, const char *key, int excluded);

struct vg_store_warn_ops {
	/* the key index: keys of the version stored as added */
	int (*keys_add)(struct vg_store *s, int64_t added,
	                const char *const *keys, size_t n);
	/* the keys of many versions at once, rows in the index's order
	 * (key as strcmp orders it, then added), so that each page of the
	 * index is visited once; a row already there is left as it is */
	int (*keys_put)(struct vg_store *s, const struct vg_warn_keyrow *rows,
	                size_t n);
	/* rows of q in (key, added) order, the keys kept hashed
	 * (vg_warn_key_hashed) after the others */
	int (*keys_scan)(struct vg_store *s, const struct vg_warn_keyq *q,
	                 vg_warn_row_cb cb, void *ud);
	/* the stored version added (key NULL, no JSON); VG_ENOTFOUND */
	int (*row)(struct vg_store *s, int64_t added, vg_warn_row_cb cb,
	           void *ud);
	/* forget every key (the index is rebuilt) */
	int (*keys_clear)(struct vg_store *s);
	/* keys starting with prefix ("" any) found on more than min
	 * distinct objects among latest versions, with that count */
	int (*key_counts)(struct vg_store *s, const char *prefix, int64_t min,
	                  int (*cb)(void *ud, const char *key, int64_t n),
	                  void *ud);
	/* trends (see struct vg_warn_countq), in (value, day) order */
	int (*counts)(struct vg_store *s, const struct vg_warn_countq *q,
	              vg_warn_count_cb cb, void *ud);

	/* watches: add sets *id; list every watch (org 0) or org's, by id */
	int (*watch_add)(struct vg_store *s, const struct vg_watch_row *w,
	                 int64_t *id);
	int (*watch_list)(struct vg_store *s, int64_t org, vg_watch_cb cb,
	                  void *ud);
	/* VG_ENOTFOUND when there is no watch id */
	int (*watch_get)(struct vg_store *s, int64_t id, vg_watch_cb cb,
	                 void *ud);
	int (*watch_remove)(struct vg_store *s, int64_t id);
	/* watch w->id takes w's name, shared, term, display, threshold,
	 * webhook and secret (NULL: none); its kind, creator, created and
	 * alerts stay. VG_ENOTFOUND when there is no watch w->id */
	int (*watch_update)(struct vg_store *s, const struct vg_watch_row *w);

	/* alerts: add sets a->seq (read back with *seq) */
	int (*alert_add)(struct vg_store *s, const struct vg_alert_row *a,
	                 int64_t *seq);
	/* q's alerts in seq order */
	int (*alert_scan)(struct vg_store *s, const struct vg_alertq *q,
	                  vg_alert_cb cb, void *ud);
	/* VG_ENOTFOUND when there is no alert seq */
	int (*alert_get)(struct vg_store *s, int64_t seq, vg_alert_cb cb,
	                 void *ud);
	int (*alert_ack)(struct vg_store *s, int64_t seq, const char *by,
	                 int64_t at);
	/* the highest seq (0 none) */
	int (*alert_last)(struct vg_store *s, int64_t *seq);

	/* webhook deliveries: due ones (not done, next_at <= now) oldest
	 * first */
	int (*delivery_add)(struct vg_store *s,
	                    const struct vg_delivery_row *d);
	int (*delivery_due)(struct vg_store *s, int64_t now, size_t limit,
	                    vg_delivery_cb cb, void *ud);
	int (*delivery_update)(struct vg_store *s,
	                       const struct vg_delivery_row *d);

	/* an owner's choice for an object or collection id (subject);
	 * get: VG_ENOTFOUND when none */
	int (*disclosure_set)(struct vg_store *s, const char *subject,
	                      int64_t org, int choice);
	int (*disclosure_get)(struct vg_store *s, const char *subject,
	                      int64_t org, int *choice);

	/* access requests: list those org made or received (0: all), newest
	 * first */
	int (*request_add)(struct vg_store *s, const struct vg_request_row *r,
	                   int64_t *id);
	int (*request_get)(struct vg_store *s, int64_t id, vg_request_cb cb,
	                   void *ud);
	int (*request_list)(struct vg_store *s, int64_t org, vg_request_cb cb,
	                    void *ud);
	int (*request_update)(struct vg_store *s, int64_t id, const char *items,
	                      int state, const char *decided_by,
	                      int64_t decided_at);

	/* grants: the rows granted to org and not revoked, ascending, into a
	 * malloc'd array (caller frees; NULL when none) */
	int (*grant_add)(struct vg_store *s, const struct vg_grant_row *g,
	                 int64_t *id);
	int (*grants_of)(struct vg_store *s, int64_t org, int64_t **added,
	                 size_t *n);
	/* grants org gave or received (0: all), by id */
	int (*grant_list)(struct vg_store *s, int64_t org, vg_grant_cb cb,
	                  void *ud);
	/* VG_ENOTFOUND unless grant id exists and is not revoked */
	int (*grant_revoke)(struct vg_store *s, int64_t id, const char *by,
	                    int64_t at);

	/* correlation exclusions changed from vigil's defaults: a key made
	 * excluded (1) or not (0) */
	int (*excl_put)(struct vg_store *s, const char *key, int excluded);
	int (*excl_list)(struct vg_store *s, vg_excl_cb cb, void *ud);
};

#endif
