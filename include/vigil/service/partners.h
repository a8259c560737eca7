/* Federation as use cases: partner hubs (add, set, list, show, remove),
 * what the sync front needs to reach them and to store what it receives
 * (one page at a time, with the cursor in the same transaction), the
 * quarantine, preview and status. docs/federation.md tells the whole
 * story. Administration of partners is the hub admin's (or the
 * operator's); the sync front acts as each partner's own principal
 * (vg_fed_open). */
#ifndef VIGIL_SERVICE_PARTNERS_H
#define VIGIL_SERVICE_PARTNERS_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/access/egress.h"
#include "vigil/service/service.h"
#include "vigil/util/buf.h"

#define VG_FED_MAX_LIST 32

/* A partner as given to add or set. NULL (or 0) leaves a field as it is
 * on set; lists are comma-separated. */
struct vg_partner_spec {
	const char *name;
	const char *url; /* the partner's API root, ending in '/' */
	int direction;   /* enum vg_fed_direction, 0: keep */
	/* remote collections to pull, each "REMOTE" or "REMOTE=LOCAL" */
	const char *const *collections;
	size_t n_collections;
	const char *ca, *cert, *key; /* PEM files; "" clears */
	/* the credential for the partner's hub ("TOKEN" for Bearer, "basic
	 * USER:PASSWORD"), read by the front from a file or stdin */
	const char *secret;
	const char *levels; /* "OURS=THEIRS,...": the classification map */
	const char *types, *labels, *send_collections; /* egress filters */
	int interval;  /* seconds between rounds, 0: keep/default */
	int page_size; /* objects asked for per page, 0: keep (1000) */
	int timeout; /* seconds a read may stall, 0: keep (30) */
};

/* Add a partner hub: checks the URL (https, or http only to a loopback
 * address), makes the organisation "hub:NAME" that represents it and a
 * user NAME@partner with a key (key_out, shown once: the partner hub
 * uses it to pull from or push to this hub), seals the credential with
 * the hub's secret (DATA/hub-sync.key, made on first use). Hub admin or
 * operator; audited "partner.add". VG_EDUPLICATE, VG_EINVAL (err). */
int vg_partner_add(struct vg_ctx *c, const struct vg_partner_spec *sp,
                   char key_out[VG_KEY_TEXT_LEN], char *err, size_t errlen);
int vg_partner_set(struct vg_ctx *c, const struct vg_partner_spec *sp,
                   char *err, size_t errlen);
/* The partner, its cursors and quarantine; its organisation and what it
 * owns stay (ownership is for ever). */
int vg_partner_remove(struct vg_ctx *c, const char *name, char *err,
                      size_t errlen);

/* A partner as listed (no secret: only whether there is one). */
struct vg_partner_info {
	const char *name, *url, *org_name, *hub_id, *sign_pk;
	int direction;
	int has_secret;
	const char *config; /* JSON */
	const char *state;  /* JSON */
	int64_t quarantined;
	int64_t created;
};
typedef int (*vg_partner_info_cb)(void *ud, const struct vg_partner_info *p);
/* Every partner (name NULL) or one (VG_ENOTFOUND). Hub admin; audited. */
int vg_partner_list(struct vg_ctx *c, const char *name, vg_partner_info_cb cb,
                    void *ud);
/* {"partners":[...]} or one partner's object, with its status
 * (docs/federation.md); hub admin, audited. */
int vg_partner_json(struct vg_ctx *c, const char *name, struct vg_buf *out);
/* The status of one partner (name) or of all: last success, lag, backlog,
 * quarantine size, last error, as JSON. */
int vg_partner_status(struct vg_ctx *c, const char *name, struct vg_buf *out);

/* Per-partner series for /metrics (Prometheus text): last success, lag,
 * quarantine size, rounds, errors, backlog. Hub admin or auditor. */
int vg_partner_metrics(struct vg_ctx *c, struct vg_buf *out);

/* ---- the sync front ---------------------------------------------------- */

/* What the sync front needs to reach a partner. secret is the unsealed
 * credential: wipe the struct with vg_partner_conn_wipe. */
struct vg_partner_conn {
	int64_t id;
	char name[101];
	char url[1024];
	int direction;
	char hub_id[80];
	char sign_pk[80];
	char ca[512], cert[512], key[512];
	char secret[1024];
	char remote[VG_FED_MAX_LIST][200]; /* collections to pull */
	size_t n_remote;
	int interval;       /* seconds between rounds */
	size_t limit;       /* page size asked for */
	int64_t overlap_us; /* re-read before the cursor (timestamp ties) */
	int timeout;        /* seconds a read may stall */
};
void vg_partner_conn_wipe(struct vg_partner_conn *pc);
/* The connection of partner name (operator or the partner's own sync
 * context). */
int vg_partner_conn(struct vg_ctx *c, const char *name,
                    struct vg_partner_conn *out, char *err, size_t errlen);
/* Names of every partner whose direction has bits of dir. */
int vg_partner_names(struct vg_ctx *c, int dir, char names[][101], size_t max,
                     size_t *n);

/* Make c the sync principal of partner name: its organisation, a role
 * that writes, channel SYNC, actor "sync:NAME". */
int vg_fed_open(struct vg_service *svc, const char *name, struct vg_ctx *c,
                char *err, size_t errlen);

/* The partner told who it is (its /.well-known/vigil-hub): pinned the
 * first time (audited "partner.pin"); a different id or key later is
 * refused (VG_EDENIED, err says so). */
int vg_fed_learn(struct vg_ctx *c, const char *hub_id, const char *hub_name,
                 const char *sign_pk, char *err, size_t errlen);

/* The cursor of a remote collection: the partner's X-TAXII-Date-Added-Last
 * of the last page stored ("" none). */
int vg_fed_cursor(struct vg_ctx *c, const char *remote, char out[64]);

/* What storing one page did. */
struct vg_fed_page {
	size_t accepted, duplicates, quarantined, returned;
	int more;       /* the envelope's "more" */
	char next[256]; /* its "next" ("" none, or too long to follow) */
};
/* Store one page (a TAXII envelope) received from the partner's remote
 * collection, and move its cursor to date_last (the page's
 * X-TAXII-Date-Added-Last; NULL or "" leaves it), in one transaction with
 * its audit entry ("sync.pull"). Each object goes through validation,
 * the ownership rule (owned by the organisation of its origin hub) and,
 * for vigil partners, the origin's signature; one that fails goes to the
 * quarantine with its reason, never blocking the rest. VG_EINVAL (err):
 * the body is not an envelope. */
int vg_fed_store_page(struct vg_ctx *c, const char *remote, const char *body,
                      size_t len, const char *date_last,
                      struct vg_fed_page *res, char *err, size_t errlen);

/* A pull's pages as the sync front fetches them, in order. */
struct vg_fed_in {
	const char *body;
	size_t len;
	const char *date_last; /* its X-TAXII-Date-Added-Last ("" none) */
	int last;              /* no page follows it in this round */
	void *handle;          /* the source's */
};
struct vg_fed_source {
	/* The next page into *in (VG_OK); with wait 0 and none fetched
	 * yet, VG_OK with in->body NULL. An error (a failed fetch, said in
	 * err) ends the pull. Called on the writer's thread too: wait is 0
	 * there. */
	int (*next)(void *ud, int wait, struct vg_fed_in *in, char *err,
	            size_t errlen);
	/* A page given back once stored (or not to be). */
	void (*release)(void *ud, struct vg_fed_in *in);
	void *ud;
};
/* Store pages of one remote collection from src in one transaction, as
 * vg_fed_store_page stores one, with the cursor moved to the last page's
 * date_last and one audit entry: the first page waited for, then those
 * already fetched, up to max_pages. While this thread reads and checks a
 * page, another stores the ones before it. *taken: the pages stored; res
 * sums their counts; *end: no more pages to take (the last one was
 * stored, or the pull ends with an error). An error of the source, a
 * page that is not an envelope (VG_EINVAL) or that has nowhere to go
 * (VG_EINVAL, err says why) ends the pull after the pages before it are
 * stored: then res and *taken count those. */
int vg_fed_pull_pages(struct vg_ctx *c, const char *remote,
                      const struct vg_fed_source *src, size_t max_pages,
                      struct vg_fed_page *res, size_t *taken, int *end,
                      char *err, size_t errlen);

/* A round ended: record success (error NULL) or the error, for status. */
struct vg_fed_round {
	const char *error; /* NULL: success */
	size_t pages, accepted, duplicates, quarantined;
	int more; /* stopped with more to fetch */
};
int vg_fed_round_done(struct vg_ctx *c, const struct vg_fed_round *r);

/* ---- push ------------------------------------------------------------- */

/* The next envelope for the partner (its sync context): up to limit
 * versions stored after its push cursor that the egress rule lets go,
 * with their provenance for a vigil partner; *n of them, "" when none.
 * *last: where the cursor goes once the partner has them (past versions
 * that stay, too); 0 when nothing was looked at. */
int vg_fed_outbox(struct vg_ctx *c, size_t limit, struct vg_buf *env,
                  int64_t *last, size_t *n);
/* The partner took the envelope up to last (its status resource, or
 * NULL): the cursor moves, with an audit entry ("sync.push") that names
 * each failure of the status. */
int vg_fed_pushed(struct vg_ctx *c, int64_t last, size_t sent,
                  const char *status_json);
/* Wait until objects are stored on this hub (a commit of a write) after
 * *seen, or timeout_ms; *seen gets the new count. 1 when woken. */
int vg_fed_wait(struct vg_service *svc, uint64_t *seen, long timeout_ms);
/* Wake every waiter (the server stops). */
void vg_fed_wake(struct vg_service *svc);

/* ---- deletions (tombstones) -------------------------------------------- */

/* The tombstones after seq `after` (at most limit) that may go to the
 * calling partner hub: {"tombstones":[...],"more":bool,"last":SEQ}. */
int vg_fed_tombstones(struct vg_ctx *c, int64_t after, size_t limit,
                      struct vg_buf *out);
/* Apply tombstones from a partner ({"tombstones":[...]}, the answer of
 * vg_fed_tombstones or a push): each verified against its origin's key
 * and refused (quarantined) unless the origin owns the id here; the
 * origin's rows of that version deleted; kept to go on. pulled: the
 * partner's "last" becomes the cursor in the same transaction. */
int vg_fed_store_tombstones(struct vg_ctx *c, const char *body, size_t len,
                            int pulled, size_t *applied, size_t *refused,
                            int64_t *more, char *err, size_t errlen);
/* The tombstones to push to the partner after its push cursor; *last is
 * where the cursor goes once it has them. */
int vg_fed_tomb_outbox(struct vg_ctx *c, size_t limit, struct vg_buf *out,
                       int64_t *last, size_t *n);
int vg_fed_tomb_pushed(struct vg_ctx *c, int64_t last);

/* ---- quarantine and preview ------------------------------------------ */

struct vg_quarantined {
	int64_t id;
	int64_t created;
	const char *collection, *object_id, *version, *reason, *json;
};
typedef int (*vg_quarantined_cb)(void *ud, const struct vg_quarantined *q);
int vg_partner_quarantine(struct vg_ctx *c, const char *name,
                          vg_quarantined_cb cb, void *ud);
/* Store quarantined objects again (id 0: all); those that pass leave the
 * quarantine, those that fail stay with their new reason. */
int vg_partner_quarantine_retry(struct vg_ctx *c, const char *name, int64_t id,
                                size_t *stored, size_t *still, char *err,
                                size_t errlen);
int vg_partner_quarantine_drop(struct vg_ctx *c, const char *name, int64_t id,
                               int64_t *dropped, char *err, size_t errlen);

/* One object version and whether it would go to the partner. */
struct vg_preview_row {
	const char *id, *version, *collection;
	enum vg_egress_verdict verdict;
	const char *reason;
};
typedef int (*vg_preview_cb)(void *ud, const struct vg_preview_row *r);
/* Every stored version (id NULL) or the versions of id, with the rule
 * that holds each back. Hub admin; audited. */
int vg_partner_preview(struct vg_ctx *c, const char *name, const char *id,
                       vg_preview_cb cb, void *ud);

/* ---- what this hub publishes ----------------------------------------- */

/* {"hub_id","name","sign_pk","api_root"}: served without authentication
 * at /.well-known/vigil-hub (the key partners pin). */
int vg_fed_hub_doc(struct vg_service *svc, struct vg_buf *out);

#endif
