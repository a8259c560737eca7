/* The hub's rows in the store: settings, organisations, users, API keys
 * (hub), sharing groups and TAXII collections (sharing). Part of the store
 * interface (store.h); writes happen inside the caller's transaction. */
#ifndef VIGIL_STORE_HUB_H
#define VIGIL_STORE_HUB_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/audit/audit.h"
#include "vigil/hub/model.h"

struct vg_store;

struct vg_store_hub_ops {
	/* settings; get gives VG_ENOTFOUND when unset */
	int (*get)(struct vg_store *s, const char *key, char **value);
	int (*set)(struct vg_store *s, const char *key, const char *value);

	/* VG_EDUPLICATE when the name is taken */
	int (*org_add)(struct vg_store *s, const char *name,
		       const char *identity, int64_t *id);
	/* find by name (id 0) or by id (name NULL); VG_ENOTFOUND */
	int (*org_find)(struct vg_store *s, const char *name, int64_t id,
			vg_org_cb cb, void *ud);
	int (*org_list)(struct vg_store *s, vg_org_cb cb, void *ud);

	int (*user_add)(struct vg_store *s, const char *name, int64_t org,
			int role, int clearance, int64_t *id);
	int (*user_find)(struct vg_store *s, const char *name, int64_t id,
			 vg_user_cb cb, void *ud);
	/* org 0: every user */
	int (*user_list)(struct vg_store *s, int64_t org, vg_user_cb cb,
			 void *ud);
	int (*user_set_disabled)(struct vg_store *s, int64_t id, int disabled);

	int (*key_add)(struct vg_store *s, const char *id, int64_t user,
		       const unsigned char hash[VG_HASH_LEN], int64_t expires);
	int (*key_find)(struct vg_store *s, const char *id, vg_key_cb cb,
			void *ud);
	/* org 0: every key */
	int (*key_list)(struct vg_store *s, int64_t org, vg_key_cb cb, void *ud);
	/* VG_ENOTFOUND when there is no such key */
	int (*key_revoke)(struct vg_store *s, const char *id);
};

/* Sharing groups and TAXII collections. */
struct vg_store_sharing_ops {
	int (*group_add)(struct vg_store *s, const char *name, int64_t *id);
	int (*group_find)(struct vg_store *s, const char *name, int64_t *id);
	/* VG_EDUPLICATE adding a member twice, VG_ENOTFOUND removing a
	 * non-member */
	int (*group_member)(struct vg_store *s, int64_t grp, int64_t org,
			    int add);
	int (*group_list)(struct vg_store *s, vg_group_cb cb, void *ud);
	/* the groups org belongs to, in ascending id order, into a malloc'd
	 * array (caller frees; NULL when none) */
	int (*groups_of)(struct vg_store *s, int64_t org, int64_t **ids,
			 size_t *n);

	int (*collection_add)(struct vg_store *s, const struct vg_collection *c);
	/* by id or by alias */
	int (*collection_find)(struct vg_store *s, const char *id_or_alias,
			       vg_collection_cb cb, void *ud);
	int (*collection_list)(struct vg_store *s, vg_collection_cb cb,
			       void *ud);
};

#endif
