/* Shared between the early-warning files of service/ (warn_*.c): the
 * per-service state, the watch cache, the ingest hook, rendering under
 * the reader's rights. docs/early-warning.md describes the whole. */
#ifndef VIGIL_WARN_INT_H
#define VIGIL_WARN_INT_H

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdatomic.h>

#include "service_int.h"
#include "vigil/names/match.h"
#include "vigil/pattern/pattern.h"
#include "vigil/service/warn.h"
#include "vigil/stix/stix.h"
#include "vigil/warn/keys.h"
#include "vigil/warn/rules.h"

/* ---- settings (hub settings "warn.*") ---------------------------------- */

struct vg__warn_conf {
	int index;             /* warn.index: keys and watches at ingest */
	int64_t budget;        /* warn.budget: objects a key may correlate */
	double name_threshold; /* warn.name_threshold */
	int64_t hits_per_hour; /* warn.hits_per_hour: hit / no-hit answers */
	int64_t k;             /* warn.k: cross-agency signals */
	int64_t retro_max;     /* warn.retro_max: alerts of a new watch */
	char webhook_hosts[1001]; /* warn.webhook_hosts: where webhooks go */
};

/* Read the settings from s (defaults where unset). */
int vg__warn_conf_read(struct vg_store *s, struct vg__warn_conf *c);

/* ---- a string map: key -> list of small integers ---------------------- */

struct vg__smap;
int vg__smap_new(size_t hint, struct vg__smap **out);
void vg__smap_free(struct vg__smap *m);
int vg__smap_add(struct vg__smap *m, const char *key, uint32_t v);
/* The values of key (NULL, *n 0 when none); valid until the next add. */
const uint32_t *vg__smap_get(const struct vg__smap *m, const char *key,
                             size_t *n);

/* ---- the watch cache --------------------------------------------------- */

struct vg__watch {
	int64_t id, org, user;
	int shared, kind, hook;
	char *name, *term, *display;
	double threshold;
	int active;            /* the creator may still read */
	struct vg_principal p; /* the creator's, at the cache's build */
	int64_t *groups, *grants;
	struct vg_pattern *pattern;
	struct vg_watch_query query;
	struct vg_person person;
};

struct vg__wcache {
	int refs;
	uint64_t serial; /* unique per build, in the process */
	int64_t gen;     /* the store's generation it was built at */
	struct vg__warn_conf conf;
	struct vg__watch *w;
	size_t n;
	struct vg__smap *map; /* keys -> watches (see warn_watch.c) */
	struct vg_match_index *names;
	const struct vg_person **persons;
	void **users;
	size_t n_names;
	double min_threshold;
	int name_kinds; /* bit per enum vg_person_kind watched */
	/* the prefix lengths of watched address blocks: an arrival's
	 * address is looked up under those only */
	unsigned char v4_prefix[33], v6_prefix[129];
	struct vg_pattern_set *patterns;
	size_t n_patterns;
};

struct vg_warn_state {
	pthread_mutex_t mu;
	struct vg__wcache *cache;
	int building;
	/* listeners (the live stream): called when alerts may be new */
	struct listener {
		void (*fn)(void *arg);
		void *arg;
	} * listeners;
	size_t n_listeners, cap_listeners;
	atomic_llong last_seq; /* the highest alert seq known */
	pthread_t ticker;
	int ticking, stopping;
	pthread_cond_t tick;
	/* hit / no-hit answers per user in the current hour */
	struct bucket {
		int64_t user, hour, n;
	} * buckets;
	size_t n_buckets;
};

int vg__warn_open(struct vg_service *svc);
void vg__warn_close(struct vg_service *svc);

/* A reference to the current cache (rebuilt when the store's generation
 * "gen.warn" moved); give it back with vg__warn_cache_put. */
int vg__warn_cache_get(struct vg_service *svc, struct vg_store *s,
                       struct vg__wcache **out);
void vg__warn_cache_put(struct vg_service *svc, struct vg__wcache *c);
/* One more reference to c (given back with vg__warn_cache_put). */
void vg__warn_cache_ref(struct vg_service *svc, struct vg__wcache *c);
/* The store's watch generation as s sees it (inside a write transaction:
 * final until its commit, writers taking turns). */
int64_t vg__warn_gen(struct vg_store *s);
/* A cache of generation gen as s sees it: the process's when it is of
 * gen, else one built from s for the caller alone. */
int vg__warn_cache_for(struct vg_service *svc, struct vg_store *s,
                       int64_t gen, struct vg__wcache **out);
/* Move the generation (inside the caller's transaction): watches,
 * grants or settings changed. The other processes of the store are told
 * (VG__TOPIC_WATCHES) at commit. */
int vg__warn_gen_move(struct vg_store *s);
/* Add an alert (store/warn.h alert_add), the other processes' streams
 * told at commit (VG__TOPIC_ALERTS). */
int vg__warn_alert_add(struct vg_store *s, const struct vg_alert_row *a,
                       int64_t *seq);
/* Build a cache from s's watches (warn_watch.c; only watch one when not
 * 0: a new watch's retroactive run) and free one. */
int vg__warn_cache_build(struct vg_store *s, int64_t gen, int64_t one,
                         struct vg__wcache **out);
void vg__warn_cache_free(struct vg__wcache *c);
/* Drop the process's cache, so the next ingest rebuilds it. */
void vg__warn_cache_drop(struct vg_service *svc);
/* Build the cache now from s when the store's generation moved (another
 * process changed watches): the next ingest here does not wait for it. */
int vg__warn_cache_refresh(struct vg_service *svc, struct vg_store *s);

/* ---- watches (warn_watches.c), shared with their changes -------------- */

/* A watch's term as checked: its kind, the term as matched, as shown,
 * and the new webhook's secret (hex; "" when no webhook was given). */
struct vg__watch_made {
	int kind;
	char term[4096];
	char display[4096];
	char secret[65];
};
/* Check w's kind, term, threshold and webhook (the form, then the
 * operator's allowed hosts) as a new watch's; VG_EINVAL with err. */
int vg__watch_check(struct vg_store *s, const struct vg_watch_spec *w,
                    struct vg__watch_made *m, char *err, size_t errlen);
/* Whether c sees watch r (its own, its organisation's shared ones; the
 * operator all), and may change or remove it (the creator; for a shared
 * watch its organisation's admins; the operator). */
int vg__watch_sees(const struct vg_ctx *c, const struct vg_watch_row *r);
int vg__watch_may_change(const struct vg_ctx *c, const struct vg_watch_row *r);
/* r's fields as the list shows them, into the open object of w. */
void vg__watch_fields(struct vg_jw *w, const struct vg_watch_row *r);
/* The newest date_added s holds (0: none): read in the transaction
 * that makes or changes a watch, the bound of its retroactive run. */
int vg__watch_horizon(struct vg_store *s, int64_t *out);
/* Evaluate watch id over the versions stored up to horizon (a date_added,
 * from vg__watch_horizon: the later ones were matched on arrival), the
 * skip objects aside, and raise its alerts (at most the hub's retro_max;
 * audited "watch.retro"). */
int vg__watch_retro(struct vg_ctx *c, int64_t id, char *const *skip,
                    size_t n_skip, int64_t horizon, size_t *raised,
                    int *truncated);
/* The objects watch id matches now among the stored ones (at most the
 * hub's retro_max), malloc'd (the caller frees each and the array). */
int vg__watch_matches(struct vg_ctx *c, int64_t id, char ***objects, size_t *n);

/* Per-thread working state: the keyer, a scratch for the cache's name
 * index and a matcher for its patterns (made when the cache changes). */
struct vg__warn_tls {
	struct vg_warn_keyer *keyer;
	struct vg_match_scratch *pair; /* for scoring two persons */
	struct vg_match_scratch *scratch;
	struct vg_pattern_matcher *matcher;
	uint64_t serial; /* of the cache the scratch and matcher serve */
	struct vg_warn_keyset keys; /* an object's, while it is evaluated */
};
struct vg__warn_tls *vg__warn_tls(const struct vg__wcache *c);
/* The thread's scratch for scoring a pair of persons (NULL: no memory). */
struct vg_match_scratch *vg__warn_pair_scratch(struct vg__warn_tls *t);

/* ---- correlation ------------------------------------------------------ */

/* The newest version of id c may read, as JSON (caller frees);
 * VG_ENOTFOUND when none. */
int vg__warn_visible_json(struct vg_ctx *c, struct vg_store *s, const char *id,
                          char **json);
/* The objects of owner that match object id (one c reads) and that c
 * may learn of as hit / no-hit: their ids, into *ids (malloc'd array of
 * malloc'd strings). VG_ENOTFOUND when c may not read id. */
int vg__warn_hidden_of(struct vg_ctx *c, struct vg_store *s, const char *id,
                       int64_t owner, char ***ids, size_t *n);

/* ---- matching an arrival ----------------------------------------------- */

/* One watch an arrival matched, before the rights decide what to say. */
struct vg__cand {
	uint32_t watch; /* index in the cache */
	char *key;      /* the matched key or term */
	char *detail;   /* JSON: the explanation (for the watcher) */
};

struct vg__cands {
	struct vg__cand *v;
	size_t n, cap;
};

void vg__cands_release(struct vg__cands *c);
/* The watches of c an object matches, from its keys (finished) and,
 * for names and patterns (sco: an observable), its JSON. now: the
 * observation's instant. */
int vg__warn_match(const struct vg__wcache *c, const cJSON *obj,
                   const char *type, const char *id, int sco,
                   const struct vg_warn_keyset *keys, int64_t now_us,
                   struct vg__cands *out);
/* The pattern watches of c that observations obs[0..n) match. */
int vg__warn_match_obs(const struct vg__wcache *c,
                       const struct vg_pattern_obs *obs, size_t n,
                       struct vg__cands *out);

/* What an alert about the version with meta m says to principal p: a
 * match (p may read it), a hit / no-hit (the owner allows it), or
 * nothing (-1). The choices are read from s. */
int vg__warn_decide(struct vg_store *s, const struct vg_principal *p,
                    const struct vg_access_meta *m, const char *object,
                    const char *collection);
/* Store the alert of candidate cand about a stored version, deciding by
 * the watch's principal; *raised 1 when one was stored. */
int vg__warn_raise(struct vg_store *s, const struct vg__wcache *c,
                   const struct vg__cand *cand, const struct vg_access_meta *m,
                   const char *object, const char *version,
                   const char *collection, int retro, int *raised);

/* ---- keys gathered for the index ------------------------------------------ */

/* The keys of many stored versions, put into the index together in its
 * own order (store/warn.h keys_put): each page of the index is then
 * changed once, not once per version. Within one transaction: what is
 * gathered goes in before the transaction's end (vg__keybuf_flush). */
struct vg__keybuf {
	struct vg_buf text; /* the keys, NUL-terminated */
	struct vg__keyref {
		size_t off;
		int64_t added;
	} * v;
	size_t n, cap;
};

void vg__keybuf_init(struct vg__keybuf *b);
/* Forget what was gathered (the transaction rolled back). */
void vg__keybuf_reset(struct vg__keybuf *b);
void vg__keybuf_release(struct vg__keybuf *b);
/* Gather the n keys of the version stored as added (NUL-separated in
 * keys[0..len)); put what was gathered into s's index when it grew past
 * its bound. */
int vg__keybuf_add(struct vg__keybuf *b, struct vg_store *s, int64_t added,
                   const char *keys, size_t len, size_t n);
/* Put what was gathered into s's index, sorted, and forget it. */
int vg__keybuf_flush(struct vg__keybuf *b, struct vg_store *s);

/* ---- the ingest hook (ingest.c calls these) ----------------------------- */

struct vg__warn_eval;
struct vg__warn_item;

/* Start early warning for one ingest of svc (NULL: none). */
int vg__warn_eval_begin(struct vg_service *svc, struct vg__warn_eval **out);
void vg__warn_eval_end(struct vg__warn_eval *e);
/* A transaction begins again (a retried job): forget its pass. */
void vg__warn_restart(struct vg__warn_eval *e);
/* On the parsing thread: the keys of a validated object and the watches
 * it matches. *out NULL when there is nothing to do. */
int vg__warn_prepare(struct vg__warn_eval *e, const cJSON *obj,
                     const struct vg_stix_info *info,
                     struct vg__warn_item **out);
void vg__warn_item_free(struct vg__warn_item *it);
/* On the storing thread, inside the transaction, before its items: the
 * watches as the transaction sees them. When they changed since the
 * ingest began (a watch made meanwhile), the items are matched again
 * with them (vg__warn_apply): every version stored after a watch's
 * commit is matched with it, every one before is found by its
 * retroactive run (vg__watch_retro). */
int vg__warn_sync(struct vg__warn_eval *e, struct vg_store *s);
/* On the storing thread, after the version was inserted as added: its
 * keys and alerts, in the same transaction (it may be NULL: nothing
 * was found when it was prepared). */
int vg__warn_apply(struct vg__warn_eval *e, struct vg_store *s,
                   const struct vg__warn_item *it, const struct vg_object *o,
                   int64_t added);
/* The end of an input, in its transaction: observed data matched with
 * their observables; the alerts raised put on record. */
int vg__warn_finish(struct vg__warn_eval *e, struct vg_store *s);

/* The observables observed data od names (its object_refs as s holds
 * them, or 2.0's embedded objects), parsed into v (at most max; the
 * caller deletes them). */
int vg__warn_gather_scos(struct vg_store *s, const cJSON *od, cJSON **v,
                         size_t max, size_t *n);

/* Tell the listeners that alerts may be new (after a commit). */
void vg__warn_notify(struct vg_service *svc);

/* ---- rendering -------------------------------------------------------- */

/* Write alert a as principal p may see it now (a match, a hit / no-hit,
 * a request or decision); 1 written, 0 when it is not for p. */
int vg__warn_render(struct vg_store *s, const struct vg_principal *p,
                    const struct vg_alert_row *a, struct vg_jw *w);

/* The reader's name of an organisation ("organisation 7" when unknown). */
void vg__warn_org_name(struct vg_store *s, int64_t org, char *out, size_t n);
/* The readable name of a STIX object's JSON (name, value, pattern...). */
void vg__warn_label(const cJSON *obj, char *out, size_t n);
/* Take one hit / no-hit answer from p's hourly allowance: VG_OK or
 * VG_ERATE. The operator has no limit. */
int vg__warn_bucket_take(struct vg_service *svc, const struct vg_principal *p,
                         int64_t per_hour);
/* The effective correlation exclusions (vigil's defaults and the
 * store's changes). */
int vg__warn_exclusions(struct vg_service *svc, struct vg_store *s,
                        struct vg_warn_excl *out);
/* A system context for entries written by the hub itself. */
void vg__warn_system_ctx(struct vg_service *svc, struct vg_ctx *c);

#endif
