/* Early warning as use cases: correlation with hit / no-hit, watches and
 * their alerts (list, acknowledge, a live stream, signed webhooks),
 * access requests and grants, link analysis and trends. Every function
 * checks the caller, answers only under the caller's rights, writes its
 * audit entry, and writes its answer as JSON into out (which must start
 * empty). docs/early-warning.md gives the rules, docs/api.md the
 * shapes. Errors: VG_EDENIED (the role), VG_ENOTFOUND (nothing the
 * caller may see), VG_EINVAL (err says what), VG_ERATELIMIT (too many
 * hit / no-hit answers this hour), VG_EPURPOSE. */
#ifndef VIGIL_SERVICE_WARN_H
#define VIGIL_SERVICE_WARN_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/service/service.h"
#include "vigil/util/buf.h"

/* ---- the operator acting as a user --------------------------------------- */

/* The operator's context c becomes user's principal (organisation,
 * role, clearance, groups, grants), so the command shows what that user
 * would see (hit / no-hit, alerts) and acts in its name (watches, access
 * requests); the audit log names both ("local:LOGIN as USER"). Only the
 * operator; VG_ENOTFOUND (err) for no such enabled user. Audited
 * "operator.as". */
int vg_warn_ctx_as(struct vg_ctx *c, const char *user, char *err,
                   size_t errlen);

/* ---- correlation ------------------------------------------------------ */

/* The objects related to object id by a shared key that c may read,
 * each with the key; for related versions c may not read, only how many
 * records which organisation holds (where the owner allows it); keys
 * over the budget and excluded keys listed, not expanded. Audited
 * "object.correlate". */
int vg_warn_correlate(struct vg_ctx *c, const char *id, struct vg_buf *out,
                      char *err, size_t errlen);

/* The correlation exclusions in force: vigil's own and the hub's
 * changes (every reader); add (excluded 1) or lift (0) one, as a value
 * vigil reads (docs/early-warning.md) or a key (hub-admin or the
 * operator). */
int vg_warn_exclusions(struct vg_ctx *c, struct vg_buf *out);
int vg_warn_exclude(struct vg_ctx *c, const char *value, int excluded,
                    char *err, size_t errlen);
/* The keys found on more objects than the budget (the operator). */
int vg_warn_over_budget(struct vg_ctx *c, struct vg_buf *out);
/* Early warning's settings: list, or set one (the operator): index
 * (on|off), budget, name_threshold, hits_per_hour, k, retro_max. */
int vg_warn_settings(struct vg_ctx *c, struct vg_buf *out);
int vg_warn_set(struct vg_ctx *c, const char *name, const char *value,
                char *err, size_t errlen);
/* Compute the keys of every stored version again (the operator). */
int vg_warn_reindex(struct vg_ctx *c, size_t *versions, size_t *keys);

/* ---- watches ------------------------------------------------------------ */

struct vg_watch_spec {
	const char *name;       /* a label; NULL: the term */
	const char *kind;       /* value, name, document, pattern, object,
	                           query */
	const char *term;       /* what is watched */
	const char *value_kind; /* value: ip, domain, url, email, hash, mac,
	                           asn (NULL: guessed) */
	const char *name_kind;  /* name: person (default) or entity */
	double threshold;       /* name: 0 for the hub's */
	int shared;             /* every user of the organisation sees it */
	const char *webhook;    /* http(s) URL, or NULL */
	const char *for_user;   /* the operator makes it for this user */
};

/* Make a watch for c (read role); it is evaluated at once over what is
 * stored ("retro" alerts, at most the hub's retro_max) and on every
 * arrival after. out: {"id","secret"?,"retro":N,"retro_note"?}; the
 * webhook secret is shown this once. Audited "watch.add". */
int vg_watch_add(struct vg_ctx *c, const struct vg_watch_spec *w,
                 struct vg_buf *out, char *err, size_t errlen);
/* c's watches and its organisation's shared ones (the operator: all). */
int vg_watch_list(struct vg_ctx *c, struct vg_buf *out);
/* Remove a watch of c's (or, for org-admins, of its organisation). */
int vg_watch_remove(struct vg_ctx *c, int64_t id);

/* ---- alerts ----------------------------------------------------------------
 */

/* c's alerts after seq after, at most limit (0: 100), oldest first, each
 * shown as c may see it now. *last gets the last seq listed (after when
 * none). Audited "alerts.read". */
int vg_alerts_list(struct vg_ctx *c, int64_t after, size_t limit, int unacked,
                   struct vg_buf *out, int64_t *last);
/* Acknowledge one of c's alerts. Audited "alert.ack". */
int vg_alerts_ack(struct vg_ctx *c, int64_t seq);

/* The live stream: open (audited "alerts.stream" with where it starts),
 * then next appends the server-sent events of c's alerts after seq
 * after ("id: SEQ\nevent: alert\ndata: JSON\n\n" each) to out, with
 * *last and *n; close puts on record how many were sent. */
int vg_alerts_stream_open(struct vg_ctx *c, int64_t after);
int vg_alerts_stream_next(struct vg_ctx *c, int64_t after, struct vg_buf *out,
                          int64_t *last, size_t *n);
int vg_alerts_stream_close(struct vg_ctx *c, int64_t after, size_t sent);

/* fn(arg) runs (on any thread) whenever alerts may be new: after a
 * commit that raised some, and when another process raised some. */
int vg_warn_listen(struct vg_service *svc, void (*fn)(void *arg), void *arg);
void vg_warn_unlisten(struct vg_service *svc, void (*fn)(void *arg), void *arg);
/* The highest alert seq the service knows. */
int64_t vg_warn_last_seq(struct vg_service *svc);

/* ---- webhooks ----------------------------------------------------------- */

struct vg_webhook {
	int64_t alert, watch;
	int attempts; /* made before this one */
	const char *url;
	const char *body; /* the alert as the watcher may see it */
	size_t len;
	const char *timestamp; /* seconds since the epoch */
	const char *signature; /* "sha256=" HMAC-SHA256 of "TS.BODY" */
};

/* The deliveries due now (at most limit), each with its signed body. */
int vg_webhooks_due(struct vg_service *svc, size_t limit,
                    int (*cb)(void *ud, const struct vg_webhook *h), void *ud);
/* A delivery's outcome: ok, or retried with backoff (1 s doubling, at
 * most 1 hour apart) until 10 attempts. Audited "alert.deliver". */
int vg_webhook_done(struct vg_service *svc, const struct vg_webhook *h, int ok,
                    const char *error);

/* ---- access requests and grants --------------------------------------- */

/* Ask org (by name) for the records of it that match object (one c
 * reads) and that c was told of as hit / no-hit. out: {"id","records"}.
 * The owner is alerted. Audited "access.request". */
int vg_access_request(struct vg_ctx *c, const char *object, const char *org,
                      const char *reason, struct vg_buf *out, char *err,
                      size_t errlen);
/* Requests c's organisation made (without the owner's ids) and received
 * (with them). */
int vg_access_requests(struct vg_ctx *c, struct vg_buf *out);
/* The owner grants (grant 1) or refuses one object of a request (object
 * NULL: every object still pending). A grant is an exception in the
 * access rule for the requester's organisation, per stored version.
 * Audited "access.grant" / "access.refuse". */
int vg_access_decide(struct vg_ctx *c, int64_t request, const char *object,
                     int grant, struct vg_buf *out, char *err, size_t errlen);
/* Grants c's organisation gave and received. */
int vg_access_grants(struct vg_ctx *c, struct vg_buf *out);
/* The owner revokes a grant. Audited "access.revoke". */
int vg_access_revoke(struct vg_ctx *c, int64_t grant);
/* The owner's choice whether an object or a collection (id or alias)
 * may be disclosed as hit / no-hit: choice 1 yes, 0 no, -1 the default.
 * Audited "access.disclosure". */
int vg_access_disclosure(struct vg_ctx *c, const char *subject, int choice,
                         char *err, size_t errlen);

/* ---- link analysis ------------------------------------------------------ */

/* Objects within depth (1-4) of id over relationships, sightings,
 * references and shared keys, as c may see them, at most max_nodes
 * (0: 200): {"nodes":[{"id","type","label","depth"}],"edges":[{"source",
 * "target","kind","label"}],"truncated":bool}. Audited "graph.read". */
int vg_graph_neighbours(struct vg_ctx *c, const char *id, int depth,
                        size_t max_nodes, struct vg_buf *out);
/* A shortest path from one object to another (at most max_depth 1-8
 * edges): the same shape, nodes in path order; VG_ENOTFOUND when none. */
int vg_graph_path(struct vg_ctx *c, const char *from, const char *to,
                  int max_depth, struct vg_buf *out);
/* Connected groups among the objects of types (or around id) within
 * depth: {"groups":[{"nodes":[...],"size"}],...}. */
int vg_graph_groups(struct vg_ctx *c, const char *const *types, size_t n_types,
                    const char *id, int depth, size_t max_nodes,
                    struct vg_buf *out);

/* ---- trends ------------------------------------------------------------- */

struct vg_trend_query {
	const char *facet; /* type, label, actor, attack, location, sector,
	                      country, org */
	int weekly;        /* per ISO week (Monday) instead of per day */
	const char *since, *until; /* YYYY-MM-DD, NULL: the last 90 days to
	                              the newest */
	int window;                /* baseline periods for spikes (0: 28 days or
	                              8 weeks) */
	uint64_t min_count;        /* a spike has at least this many (0: 5) */
	double alpha;              /* and P(count or more) below (0: 0.001) */
};

/* Counts per period and facet value of what c may see, with spikes;
 * audited "trends.read". */
int vg_trends(struct vg_ctx *c, const struct vg_trend_query *q,
              struct vg_buf *out, char *err, size_t errlen);
/* Keys c sees that at least k organisations reported within days
 * (0: 7) ending at until (NULL: now): only counts of at least k.
 * Audited "trends.signals". */
int vg_trends_signals(struct vg_ctx *c, int days, const char *until,
                      struct vg_buf *out, char *err, size_t errlen);

#endif
