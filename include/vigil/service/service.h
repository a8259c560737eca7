/* The service layer: every use case of the hub, with its checks and its
 * audit entries, behind one handle (struct vg_service) and called with a
 * request context (struct vg_ctx) that names who asks, why, and through
 * which front. The fronts (http/, cli/, and later sync/ and the web
 * console) parse, call one service function and render; they never reach
 * the store. docs/architecture.md shows the layers and where each rule
 * lives. */
#ifndef VIGIL_SERVICE_H
#define VIGIL_SERVICE_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/access/access.h"

struct vg_service;

struct vg_service_conf {
	const char *location;  /* the store (store.h vg_store_open) */
	/* the server: a writer thread gathers every request's writes into
	 * group commits; otherwise (the CLI) writes run on the caller's
	 * thread, one transaction each */
	int threaded;
	/* the writer keeps a large page cache: a server, whose hub keeps
	 * growing, and a pull (a command's other writes, an import among
	 * them, keep their memory the same whatever the input's size) */
	int large_cache;
	size_t max_batch;      /* jobs per group commit (threaded) */
	long gather_us;        /* how long a lone job waits for company */
	int64_t status_ttl_us; /* TAXII status resources live; 0: 24 hours */
	int purpose_required;  /* readers of the API state a purpose */
	/* a threaded service on a store of several processes keeps
	 * authentications and pages of objects in memory, up to this many
	 * bytes of pages (0: no read cache; readcache.h) */
	size_t read_cache_bytes;
	/* audit checkpoints (docs/security.md): the hub's Ed25519 secret key
	 * (NULL: DIR/hub-signing.key of a directory store), the file each
	 * signed head is appended to (NULL: DIR/audit-heads.log), whether
	 * heads go to the syslog too, and when vigil serve signs one by
	 * itself: after this many entries or seconds (0: never by that) */
	const char *signing_key;
	const char *checkpoint_heads;
	int checkpoint_syslog;
	int64_t checkpoint_entries;
	int64_t checkpoint_seconds;
	/* Limits on what one request may ask of the hub (0: none, as for
	 * the operator's CLI; the server sets them, docs/configuration.md) */
	size_t max_envelope_objects;  /* objects in one TAXII POST */
	size_t screen_max_travellers; /* records in one screening */
	size_t screen_per_minute;     /* records one user screens a minute */
	/* console sessions (session.h): closed after this long without a
	 * request, and this long after sign-in whatever happens (0: 30
	 * minutes and 12 hours) */
	int64_t session_idle_us;
	int64_t session_max_us;
	/* where hub-signing.key is for a store without a directory
	 * (PostgreSQL); a directory store keeps it beside its database */
	const char *key_dir;
};

/* Open the hub in the store at c->location. VG_ENOTFOUND (with err) when
 * the store or the hub does not exist. */
int vg_service_open(const struct vg_service_conf *c, struct vg_service **out,
		    char *err, size_t errlen);
void vg_service_close(struct vg_service *svc);
/* The hub's title (TAXII discovery). */
const char *vg_service_hub_name(const struct vg_service *svc);
/* Group commits and the jobs they carried (for /metrics). */
void vg_service_writer_counts(struct vg_service *svc, unsigned long long *commits,
			      unsigned long long *jobs);

/* ---- the request context ---------------------------------------------- */

enum vg_channel {
	VG_CHANNEL_CLI,  /* the vigil command: the hub operator */
	VG_CHANNEL_HTTP, /* TAXII and /api/v1 */
	VG_CHANNEL_SYNC, /* federation with a partner hub */
	VG_CHANNEL_WEB,  /* the web console's session */
};

/* Audit entries of a read kept back so that a front can commit them
 * without blocking a thread (vg_ctx_commit_reads) and answer only after
 * the commit. */
#define VG_DEFER_MAX 4
struct vg_audit_defer {
	size_t n;
	struct {
		char action[40];
		char *target; /* malloc'd */
		char *detail; /* malloc'd */
	} e[VG_DEFER_MAX];
};

struct vg_ctx {
	struct vg_service *svc;
	enum vg_channel channel;
	struct vg_principal p;   /* p.groups points into groups below */
	int authenticated;
	char user[128];          /* the actor: a user name, "local:LOGIN", "-" */
	char org_name[128];
	char source[64];         /* the client's address, or "cli" */
	char auth[32];           /* the credential: "key:ID", "basic:ID",
				    "session:ID" (the key that opened a
				    console session), "" */
	int64_t key_expires;     /* the key's expiry (us), 0 never */
	const char *purpose;     /* X-Vigil-Purpose, --purpose; may be NULL */
	int64_t *groups;         /* malloc'd, every group of the organisation */
	int64_t *grants;         /* malloc'd, the rows granted to it */
	/* set by a front that answers asynchronously: read entries wait
	 * here (see vg_ctx_commit_reads) */
	struct vg_audit_defer *defer;
	/* a partner hub's sync front asks for provenance with the objects
	 * (X-Vigil-Federation: 1; partners.h) */
	int fed_meta;
	/* set by a front that answers asynchronously and can ask again
	 * when vg_ctx_commit_reads says VG_ESTALE: the service may then
	 * answer from its read cache (a store of several processes), and
	 * the commit of the request's entries checks that what it took
	 * (kept) is what the store holds (docs/architecture.md) */
	int may_keep;
	int64_t gens[2];  /* the store's generations as last known */
	unsigned kept;    /* VG_KEPT_* */
};

enum { VG_KEPT_AUTH = 1, VG_KEPT_DATA = 2 };

/* An unauthenticated context on channel, from source (copied). */
void vg_ctx_init(struct vg_ctx *c, struct vg_service *svc,
		 enum vg_channel channel, const char *source);
void vg_ctx_release(struct vg_ctx *c);
/* Make c the hub operator (the CLI): reads and does everything, audited
 * as "local:LOGIN" of organisation 0 from "cli". */
void vg_ctx_operator(struct vg_ctx *c, const char *login);

/* How a front received a credential. */
enum vg_cred_scheme {
	VG_CRED_NONE,   /* no Authorization header */
	VG_CRED_BEARER, /* Bearer KEY (and Token KEY, as taxii2-client sends) */
	VG_CRED_BASIC,  /* Basic USER:KEY */
	VG_CRED_OTHER,  /* a scheme vigil does not take */
};

enum vg_auth_result {
	VG_AUTH_OK,
	VG_AUTH_MISSING,    /* no credentials */
	VG_AUTH_MALFORMED,  /* not a vigil key */
	VG_AUTH_UNKNOWN,    /* no such key, or wrong secret */
	VG_AUTH_REVOKED,
	VG_AUTH_EXPIRED,
	VG_AUTH_DISABLED,   /* the user is disabled */
	VG_AUTH_WRONG_USER, /* Basic: the key is another user's */
	VG_AUTH_SCHEME,     /* an unsupported scheme */
	VG_AUTH_SESSION_UNKNOWN, /* a console session that does not exist */
	VG_AUTH_SESSION_EXPIRED, /* idle too long, or past its lifetime */
};
const char *vg_auth_result_name(enum vg_auth_result r);

/* API keys are "vgk_" ID "_" SECRET: ID 16 hex digits (public, listed),
 * SECRET 43 base64url characters (256 random bits, shown once, stored as
 * its BLAKE2b-256 hash). */
#define VG_KEY_TEXT_LEN 80

/* Authenticate c with a presented key (user: the Basic user name, else
 * NULL). On success c is that user's principal with every group of the
 * organisation; otherwise the failure is audited ("auth.fail" with the
 * reason and what, e.g. the request path) and *res says why. VG_OK unless
 * the store or the audit log fails. */
int vg_ctx_authenticate(struct vg_ctx *c, enum vg_cred_scheme scheme,
			const char *key, const char *user, const char *what,
			enum vg_auth_result *res);

/* May c take action at all (its role)? VG_EDENIED, audited as
 * "access.denied" of what. Every service function checks its own rules;
 * fronts call this first to refuse early, from their route table. */
int vg_ctx_require(struct vg_ctx *c, enum vg_action action, const char *what);
/* A read by c: VG_EPURPOSE when the hub requires readers of its API to
 * state a purpose and c gave none (the operator is asked with --purpose,
 * never forced). */
int vg_ctx_purpose(const struct vg_ctx *c);

/* Does the hub require readers to state a purpose? */
int vg_service_purpose_required(const struct vg_service *svc);
/* The name of classification level i of the hub ("" past the last). */
const char *vg_service_level_name(const struct vg_service *svc, int i);

/* Commit the read entries kept in c->defer without waiting: done(arg,
 * result) runs on the writer's thread after the commit. c must stay valid
 * until then. */
int vg_ctx_commit_reads(struct vg_ctx *c, void (*done)(void *arg, int result),
			void *arg);
void vg_audit_defer_release(struct vg_audit_defer *d);

#endif
