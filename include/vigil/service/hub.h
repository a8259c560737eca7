/* Hub services: creating the hub, organisations, users, API keys, sharing
 * groups, authentication and the audit log. Every action runs in one
 * transaction with its audit entry. The caller is named by a struct
 * vg_actor: a user of the hub, or the local operator of the CLI (who owns
 * the store's files and so acts with the hub's full rights). */
#ifndef VIGIL_HUB_H
#define VIGIL_HUB_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/access/access.h"
#include "vigil/util/buf.h"
#include "vigil/service/ingest.h"
#include "vigil/store/store.h"

/* Who acts, for the audit log. */
struct vg_actor {
	const char *name;    /* user name, or "local:LOGIN" */
	int64_t user;        /* 0 for the local operator */
	int64_t org;
	const char *source;  /* client address, or "cli" */
	const char *purpose; /* X-Vigil-Purpose, or NULL */
};

/* API keys are "vgk_" ID "_" SECRET: ID 16 hex digits (public, listed),
 * SECRET 43 base64url characters (256 random bits, shown once, stored as
 * its BLAKE2b-256 hash). */
#define VG_KEY_TEXT_LEN 80

/* Hub settings kept in the store. */
#define VG_HUB_ID "hub.id"
#define VG_HUB_NAME "hub.name"
#define VG_HUB_ORG "hub.org"              /* the hub's own organisation */
#define VG_HUB_COMMUNITY "hub.community"  /* the community collection id */
#define VG_HUB_SECRET "hub.secret"        /* hex, 32 bytes: cursor MACs */
#define VG_HUB_SIGN_PK "hub.sign_pk"      /* hex Ed25519 public key */
#define VG_HUB_LEVELS "hub.classification_levels" /* comma-separated */

struct vg_hub_init {
	const char *dir;        /* the data directory (for the signing key) */
	const char *hub_name;   /* default "vigil hub" */
	const char *org_name;   /* the first organisation, default "hub" */
	const char *admin_name; /* the hub admin, default "admin" */
	const char *levels;     /* classification levels, lowest first */
};

/* Create the hub in an empty store: settings, the hub's Ed25519 signing
 * key (DIR/hub-signing.key, mode 0600), the first organisation with its
 * identity object, the community, connected and all collections, the
 * organisation's private collection, the hub admin and the admin's key
 * (written to key_out). VG_EDUPLICATE when the hub exists already. */
int vg_hub_create(struct vg_store *s, const struct vg_hub_init *in,
		  const struct vg_actor *actor, char key_out[VG_KEY_TEXT_LEN]);

/* What a server needs to know of its hub, read once at start. */
struct vg_hub_info {
	char name[200];
	unsigned char secret[32];  /* cursor MACs */
	char levels[16][80];       /* classification marking ids, lowest first */
	size_t n_levels;
	char level_names[16][64];
	const char *level_ptrs[16]; /* levels[i], for vg_ingest_opts */
	char target[40];            /* the collection vg_hub_target chose */
};

/* Read the hub's settings; VG_ENOTFOUND when the store holds no hub. */
int vg_hub_info(struct vg_store *s, struct vg_hub_info *out);

/* Ingest options for the local operator importing into a collection (id
 * or alias): its scope and group, owned by the collection's organisation
 * (the hub's own for hub-wide and group collections), with the hub's
 * classification markings (kept in *hub, which must outlive o). */
int vg_hub_target(struct vg_store *s, const char *collection,
		  struct vg_ingest_opts *o, struct vg_hub_info *hub);

/* 1 when the store holds a hub. */
int vg_hub_exists(struct vg_store *s);

/* Admin actions. Each checks the actor's role (the local operator may do
 * all), runs in one transaction with its audit entry, and reports what is
 * wrong in err ("organisation 'x' exists already"). */
int vg_org_add(struct vg_store *s, const struct vg_actor *a, const char *name,
	       char *err, size_t errlen);
int vg_user_add(struct vg_store *s, const struct vg_actor *a, const char *name,
		const char *org, const char *role, const char *clearance,
		char *err, size_t errlen);
int vg_user_disable(struct vg_store *s, const struct vg_actor *a,
		    const char *name, char *err, size_t errlen);
int vg_key_new(struct vg_store *s, const struct vg_actor *a, const char *user,
	       int expires_days, char key_out[VG_KEY_TEXT_LEN], char *err,
	       size_t errlen);
int vg_key_revoke(struct vg_store *s, const struct vg_actor *a,
		  const char *id, char *err, size_t errlen);
int vg_group_add(struct vg_store *s, const struct vg_actor *a,
		 const char *name, char *err, size_t errlen);
int vg_group_member(struct vg_store *s, const struct vg_actor *a,
		    const char *group, const char *org, int add, char *err,
		    size_t errlen);

/* Classification level by name (case-insensitive) from the hub's list;
 * -1 when unknown. Level 0 is the lowest. */
int vg_hub_level(struct vg_store *s, const char *name);

/* An authenticated caller. */
struct vg_session {
	struct vg_principal p;
	int64_t groups[64];
	char user[128];
	char org_name[128];
};

enum vg_auth_result {
	VG_AUTH_OK,
	VG_AUTH_MISSING,   /* no credentials */
	VG_AUTH_MALFORMED, /* not a vigil key */
	VG_AUTH_UNKNOWN,   /* no such key, or wrong secret */
	VG_AUTH_REVOKED,
	VG_AUTH_EXPIRED,
	VG_AUTH_DISABLED,  /* the user is disabled */
	VG_AUTH_WRONG_USER, /* Basic: the key is another user's */
};

/* Check a presented key (and, for HTTP Basic, the user name, else NULL)
 * at time now (microseconds). Does not audit: the caller records the
 * outcome with its request. */
int vg_auth_key(struct vg_store *s, const char *key, const char *user,
		int64_t now, struct vg_session *out, enum vg_auth_result *res);
const char *vg_auth_result_name(enum vg_auth_result r);

/* Append one audit entry in its own transaction. */
int vg_audit_record(struct vg_store *s, const struct vg_actor *a,
		    const char *action, const char *target, const char *detail);

/* Verify the whole chain and every checkpoint against the hub's public
 * key. VG_OK when intact; otherwise VG_EINVAL with the first finding in
 * err, naming the entry ("entry 17: changed (its hash does not match its
 * content)"). n_entries and n_checkpoints count what was checked. */
int vg_audit_verify(struct vg_store *s, int64_t *n_entries,
		    int64_t *n_checkpoints, char *err, size_t errlen);
/* Sign the current head with the key in DIR/hub-signing.key. */
int vg_audit_checkpoint(struct vg_store *s, const char *dir,
			const struct vg_actor *a, int64_t *seq, char *err,
			size_t errlen);

#endif
