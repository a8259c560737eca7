/* Shared between the files of service/: the service handle, the hub's
 * settings, the audit helpers every use case goes through. */
#ifndef VIGIL_SERVICE_INT_H
#define VIGIL_SERVICE_INT_H

#include <pthread.h>
#include <stdint.h>

#include "vigil/service/ingest.h"
#include "vigil/service/service.h"
#include "vigil/store/store.h"
#include "vigil/util/jsonw.h"
#include "writer.h"

/* Hub settings kept in the store. */
#define VG_HUB_ID "hub.id"
#define VG_HUB_NAME "hub.name"
#define VG_HUB_ORG "hub.org"              /* the hub's own organisation */
#define VG_HUB_COMMUNITY "hub.community"  /* the community collection id */
#define VG_HUB_SECRET "hub.secret"        /* hex, 32 bytes: cursor MACs */
#define VG_HUB_SIGN_PK "hub.sign_pk"      /* hex Ed25519 public key */
#define VG_HUB_LEVELS "hub.classification_levels" /* comma-separated */

#define VG_MAX_LEVELS 16

struct vg__fed;

/* What the service knows of its hub, read once at open. */
struct vg_hub_info {
	char name[200];
	int64_t org;               /* the hub's own organisation */
	unsigned char secret[32];  /* cursor MACs */
	char levels[VG_MAX_LEVELS][80];     /* classification marking ids */
	char level_names[VG_MAX_LEVELS][64];
	const char *level_ptrs[VG_MAX_LEVELS];
	size_t n_levels;
};

struct vg_service {
	unsigned long long serial; /* unique in the process */
	char *location;
	char *key_dir;             /* the store's directory; NULL none */
	char *signing_key;         /* the key's path; NULL none */
	char *heads;               /* the heads file; NULL none */
	/* the last checkpoint this process knows of, for automatic ones
	 * (under mu): its entry, and when it was signed (or when counting
	 * began); no new attempt before retry_us after a failure */
	struct {
		int known;
		int64_t seq, us, retry_us;
	} cp;
	struct vg_service_conf conf;
	struct vg_hub_info hub;
	struct vg_writer *writer;
	/* read handles, one per thread (the CLI: the writer's own) */
	pthread_mutex_t mu;
	struct vg_store **readers;
	size_t n_readers, cap_readers;
	struct vg_screen_cache *screen;
	struct vg_sessions *sessions; /* the console's (session.c) */
	struct vg__fed *fed;       /* federation keys (fed_keys.c), on first use */
	/* a store of several processes (store.h notify): a thread listens
	 * for their changes and refreshes the caches early */
	struct vg_store *listener;
	pthread_t listen_thread;
	_Atomic int listen_stop;
	struct vg_warn_state *warn; /* early warning (warn_int.h) */
	struct vg_rcache *rcache;   /* the read cache; NULL none */
};

int64_t vg__now_us(void);
/* Hex of n bytes into out (2n+1 bytes). */
void vg__hex(const unsigned char *p, size_t n, char *out);
/* Parse 2n hex digits into p; VG_EINVAL otherwise. */
int vg__unhex(const char *s, unsigned char *p, size_t n);
/* A random UUIDv4 (37 bytes with the NUL). */
void vg__uuid4(char out[37]);

/* This thread's read handle (NULL when it cannot be opened). */
struct vg_store *vg__reader(struct vg_service *svc);
/* Run fn(s, arg) in a write transaction (the writer's) and wait for its
 * commit. */
int vg__write(struct vg_service *svc, vg_write_fn fn, void *arg);
/* The same in a transaction of its own (writer.h vg_writer_run_alone). */
int vg__write_alone(struct vg_service *svc, vg_write_fn fn, void *arg);

/* Read the hub's settings from s; VG_ENOTFOUND when it holds no hub. */
int vg__hub_info(struct vg_store *s, struct vg_hub_info *out);
int vg__setting(struct vg_store *s, const char *key, char *out, size_t n);
/* The namespace of the hub's watchlist entry ids: a keyed hash of the
 * hub's secret, so nobody outside can compute an entry's id. */
void vg__watchlist_ns(const struct vg_service *svc, char out[37]);
/* Classification level by name (case-insensitive); -1 unknown. */
int vg__hub_level(const struct vg_hub_info *h, const char *name);

/* ---- audit ---------------------------------------------------------- */

/* Append an entry for c's request inside the caller's transaction:
 * chained after the log's head, with c's actor, organisation, source,
 * purpose and credential. detail is JSON written with vg_jw (NULL: {}). */
int vg__audit(struct vg_store *s, const struct vg_ctx *c, const char *action,
	      const char *target, const char *detail);
/* A read's entry: kept in c->defer when the front answers
 * asynchronously, else committed now (its own transaction). */
int vg__audit_read(struct vg_ctx *c, const char *action, const char *target,
		   const char *detail);
/* An entry in its own transaction, now. */
int vg__audit_now(struct vg_ctx *c, const char *action, const char *target,
		  const char *detail);

/* A detail object built with the writer: vg__detail_begin, vg_jw_k*
 * calls, then vg__detail_end gives the text (or NULL on failure). */
struct vg__detail {
	struct vg_buf b;
	struct vg_jw w;
};
void vg__detail_begin(struct vg__detail *d);
const char *vg__detail_end(struct vg__detail *d);
void vg__detail_release(struct vg__detail *d);

/* c becomes the principal of key id (its user, organisation and groups),
 * unless the key is unknown, revoked, expired, of another user than user
 * (when not NULL) or its user disabled (*res says which). hash: the
 * presented secret's, compared in constant time (NULL: the key was
 * proven before, as for a session). c->auth becomes "SCHEME:ID". */
int vg__key_principal(struct vg_ctx *c, struct vg_store *s, const char *id,
		      const unsigned char *hash, const char *user,
		      const char *scheme, enum vg_auth_result *res);

/* Put a failed authentication on record ("auth.fail": the reason, what
 * was asked, e.g. the path; target: a Basic user name or ""). */
int vg__auth_fail(struct vg_ctx *c, enum vg_auth_result res,
		  const char *target, const char *what);

/* Console sessions (session.c): made at open, freed at close. */
struct vg_sessions;
int vg__sessions_new(struct vg_sessions **out);
void vg__sessions_free(struct vg_sessions *ss);

/* VG_EDENIED (and an "access.denied" entry) unless c may take action. */
int vg__require(struct vg_ctx *c, enum vg_action action, const char *what);
/* A read by c: authenticated (else denied, audited), with a purpose
 * where the hub requires one (VG_EPURPOSE). The role and the access rule
 * are the caller's to check. */
int vg__may_read(struct vg_ctx *c, const char *what);
/* The same refusal for a right no role has (needs: what it takes). */
int vg__deny(struct vg_ctx *c, const char *needs, const char *what);

/* The generation of the identities: moved (inside the caller's
 * transaction) whenever an identity is stored or deleted, so that caches
 * built from them (the screening index) know they are stale. */
int vg__generation(struct vg_store *s, int64_t *gen);
int vg__generation_move(struct vg_store *s);
/* The topic other processes hear when the generation moves. */
#define VG__TOPIC_IDENTITIES "identities"
/* ... when early warning's generation moves (watches, grants, settings:
 * warn_state.c), and when alerts are raised. */
#define VG__TOPIC_WATCHES "watches"
#define VG__TOPIC_ALERTS "alerts"

/* Once per store: owned ids that several organisations hold (stored
 * before ownership was enforced) are registered to their first holder and
 * the others' rows narrowed to their holder (ownership.c). */
int vg__ownership_repair(struct vg_service *svc);
/* The organisation an owned id belongs to: the registry's, else its first
 * holder's, registered now so that it outlives the rows about to go.
 * VG_ENOTFOUND when this hub never held it; *owner 0 for a shared id
 * (SCOs, TLP markings), which nobody owns. */
int vg__owner_register(struct vg_store *s, const char *id, int64_t *owner);
/* The same, read only: *registered says whether the registry holds it. */
int vg__owner_find(struct vg_store *s, const char *id, int64_t *owner,
		   int *registered);

/* ---- ingest helpers ------------------------------------------------- */

/* Validate and store one object text (compact JSON) inside the caller's
 * transaction, with o's collection, owner and scope. VG_EINVAL with the
 * validator's message in err for invalid objects. */
int vg__store_json(struct vg_store *s, const char *json,
		   const struct vg_ingest_opts *o, char *err, size_t errlen);
/* Ingest options for a collection (id or alias) of the hub: its scope
 * and group, owned by the collection's organisation (the hub's own for
 * hub-wide and group collections), with the hub's classification
 * markings. VG_ENOTFOUND when there is no such collection. */
int vg__collection_target(struct vg_service *svc, struct vg_store *s,
			  const char *coll, struct vg_ingest_opts *o,
			  char id_out[40]);

/* ---- administration helpers (admin.c) --------------------------------- */

/* Inside a transaction: an organisation, its identity object and its
 * private collection (err says why a name is refused). */
int vg__org_create(struct vg_store *s, const char *name, int64_t *id,
		   char *err, size_t errlen);
/* The secret that seals partner credentials, DIR/hub-sync.key (mode
 * 0600): made unless it exists (fed_keys.c). */
int vg__fed_key_file(const char *dir, char *err, size_t errlen);
/* Inside a transaction: a new API key of user (key_out, shown once). */
int vg__make_key(struct vg_store *s, int64_t user, int expires_days,
		 char key_out[VG_KEY_TEXT_LEN], char id_out[17]);

#endif
