/* Administration: creating the hub; organisations, users, API keys and
 * sharing groups. Each action checks the caller's role, runs in one
 * transaction with its audit entry, and reports what is wrong in err
 * ("organisation 'x' exists already"); VG_EDENIED when the role does not
 * allow it. Who may do what (docs/security.md):
 *  - hub-admin: everything;
 *  - org-admin: users of their own organisation with the roles reader,
 *    analyst and org-admin and at most their own clearance, and those
 *    users' keys;
 *  - every user: their own keys;
 *  - the operator (CLI): everything. */
#ifndef VIGIL_SERVICE_ADMIN_H
#define VIGIL_SERVICE_ADMIN_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/hub/model.h"
#include "vigil/service/service.h"

struct vg_hub_init {
	const char *hub_name;   /* default "vigil hub" */
	const char *org_name;   /* the first organisation, default "hub" */
	const char *admin_name; /* the hub admin, default "admin" */
	const char *levels;     /* classification levels, lowest first */
	/* where the audit signing key goes (NULL: DIR/hub-signing.key, or
	 * KEY_DIR/hub-signing.key for a store without a directory); a file
	 * that exists is never overwritten */
	const char *signing_key;
	/* where the keys go for a store without a directory (PostgreSQL:
	 * required; made 0700 if missing) */
	const char *key_dir;
};

/* Create the store at location and the hub in it: settings, the hub's
 * Ed25519 signing key (in->signing_key, else DIR/hub-signing.key or
 * KEY_DIR/hub-signing.key for PostgreSQL, mode 0600; its public key,
 * hex, in pk_out when not NULL), the first organisation with its
 * identity object, the community, connected and all collections, the
 * organisation's private collection, the hub admin and the admin's key
 * (key_out), audited as the operator login. VG_EDUPLICATE when the hub
 * exists already; VG_EINVAL (err) for names; VG_EIO (err) when the key
 * cannot be written (then no hub is created). */
int vg_hub_create(const char *location, const struct vg_hub_init *in,
		  const char *login, char key_out[VG_KEY_TEXT_LEN],
		  char pk_out[2 * 32 + 1], char *err, size_t errlen);

int vg_org_add(struct vg_ctx *c, const char *name, char *err, size_t errlen);
int vg_user_add(struct vg_ctx *c, const char *name, const char *org,
		const char *role, const char *clearance, char *err,
		size_t errlen);
int vg_user_disable(struct vg_ctx *c, const char *name, char *err,
		    size_t errlen);
/* A new key for user (expires_days 0: never); key_out gets the key,
 * shown once. */
int vg_key_new(struct vg_ctx *c, const char *user, int expires_days,
	       char key_out[VG_KEY_TEXT_LEN], char *err, size_t errlen);
int vg_key_revoke(struct vg_ctx *c, const char *id, char *err, size_t errlen);
int vg_group_add(struct vg_ctx *c, const char *name, char *err, size_t errlen);
int vg_group_member(struct vg_ctx *c, const char *group, const char *org,
		    int add, char *err, size_t errlen);

/* Lists, audited: organisations (everyone authenticated); users and keys
 * (hub-admin all, org-admin their organisation's, others their own);
 * groups (hub-admin all, others their organisation's). */
int vg_org_list(struct vg_ctx *c, vg_org_cb cb, void *ud);
int vg_user_list(struct vg_ctx *c, vg_user_cb cb, void *ud);
int vg_key_list(struct vg_ctx *c, vg_key_cb cb, void *ud);
int vg_group_list(struct vg_ctx *c, vg_group_cb cb, void *ud);

#endif
