/* The hub's rows in the store: settings, organisations, users, API keys,
 * sharing groups, TAXII collections, status resources and the audit log.
 * Part of the store interface (store.h); strings in rows passed to
 * callbacks live until the callback returns. Writes happen inside the
 * caller's transaction. */
#ifndef VIGIL_STORE_HUB_H
#define VIGIL_STORE_HUB_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/audit/audit.h"

struct vg_store;

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

struct vg_screen_run_row {
	const char *id;
	int64_t created;
	const char *actor;
	int64_t org;
	const char *source;
	const char *format;
	int64_t travellers, hits;
	double threshold;
	const char *travellers_json; /* JSON array */
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
};

typedef int (*vg_screen_run_cb)(void *ud, const struct vg_screen_run_row *r);
typedef int (*vg_screen_hit_cb)(void *ud, const struct vg_screen_hit_row *h);

typedef int (*vg_org_cb)(void *ud, const struct vg_org *o);
typedef int (*vg_user_cb)(void *ud, const struct vg_user *u);
typedef int (*vg_key_cb)(void *ud, const struct vg_key *k);
typedef int (*vg_group_cb)(void *ud, const struct vg_group *g,
			   const char *members /* comma-separated org names */);
typedef int (*vg_collection_cb)(void *ud, const struct vg_collection *c);
typedef int (*vg_audit_cb)(void *ud, const struct vg_audit_entry *e);
typedef int (*vg_checkpoint_cb)(void *ud, const struct vg_checkpoint *c);

struct vg_audit_filter {
	const char *actor;   /* NULL: everyone */
	int64_t since;       /* ts >= since; 0: all */
	int64_t after_seq;   /* seq > after_seq */
	size_t limit;        /* 0: no limit */
};

struct vg_store_hub_ops {
	/* settings; get gives VG_ENOTFOUND when unset */
	int (*get)(struct vg_store *s, const char *key, char **value);
	int (*set)(struct vg_store *s, const char *key, const char *value);

	/* VG_EDUPLICATE when the name is taken */
	int (*org_add)(struct vg_store *s, const char *name,
		       const char *identity, int64_t *id);
	/* find by name (id 0) or by id (name NULL) */
	int (*org_find)(struct vg_store *s, const char *name, int64_t id,
			vg_org_cb cb, void *ud);
	int (*org_list)(struct vg_store *s, vg_org_cb cb, void *ud);

	int (*user_add)(struct vg_store *s, const char *name, int64_t org,
			int role, int clearance, int64_t *id);
	int (*user_find)(struct vg_store *s, const char *name, int64_t id,
			 vg_user_cb cb, void *ud);
	int (*user_list)(struct vg_store *s, vg_user_cb cb, void *ud);
	int (*user_set_disabled)(struct vg_store *s, int64_t id, int disabled);

	int (*key_add)(struct vg_store *s, const char *id, int64_t user,
		       const unsigned char hash[VG_HASH_LEN], int64_t expires);
	int (*key_find)(struct vg_store *s, const char *id, vg_key_cb cb,
			void *ud);
	int (*key_list)(struct vg_store *s, vg_key_cb cb, void *ud);
	/* VG_ENOTFOUND when there is no such key */
	int (*key_revoke)(struct vg_store *s, const char *id);

	int (*group_add)(struct vg_store *s, const char *name, int64_t *id);
	int (*group_find)(struct vg_store *s, const char *name, int64_t *id);
	/* VG_EDUPLICATE adding a member twice, VG_ENOTFOUND removing a
	 * non-member */
	int (*group_member)(struct vg_store *s, int64_t grp, int64_t org,
			    int add);
	int (*group_list)(struct vg_store *s, vg_group_cb cb, void *ud);
	/* the groups org belongs to, in ascending id order, into a malloc'd
	 * array (caller frees) */
	int (*groups_of)(struct vg_store *s, int64_t org, int64_t **ids,
			 size_t *n);

	int (*collection_add)(struct vg_store *s, const struct vg_collection *c);
	/* by id or by alias */
	int (*collection_find)(struct vg_store *s, const char *id_or_alias,
			       vg_collection_cb cb, void *ud);
	int (*collection_list)(struct vg_store *s, vg_collection_cb cb,
			       void *ud);

	int (*status_put)(struct vg_store *s, const char *id, int64_t user,
			  int64_t created, const char *json);
	/* VG_ENOTFOUND unless the status exists, belongs to user and is
	 * newer than not_before */
	int (*status_get)(struct vg_store *s, const char *id, int64_t user,
			  int64_t not_before, char **json);
	int (*status_expire)(struct vg_store *s, int64_t before);

	/* Append e (seq, prev and hash are computed here from the chain's
	 * head with vg_audit_hash). Inside the caller's transaction. */
	int (*audit_append)(struct vg_store *s, struct vg_audit_entry *e);
	int (*audit_scan)(struct vg_store *s, const struct vg_audit_filter *f,
			  vg_audit_cb cb, void *ud);
	int (*checkpoint_add)(struct vg_store *s, const struct vg_checkpoint *c);
	int (*checkpoint_list)(struct vg_store *s, vg_checkpoint_cb cb,
			       void *ud);

	int (*screen_run_add)(struct vg_store *s,
			      const struct vg_screen_run_row *r);
	int (*screen_hit_add)(struct vg_store *s,
			      const struct vg_screen_hit_row *h);
	/* VG_ENOTFOUND unless hit n of run exists and, when org is not 0,
	 * the run is org's */
	int (*screen_dispose)(struct vg_store *s, const char *run, int64_t n,
			      int64_t org, int disposition, const char *by,
			      const char *note, int64_t at);
	/* The run (when org is 0 or owns it; else VG_ENOTFOUND) and its hits
	 * in order. */
	int (*screen_run_get)(struct vg_store *s, const char *run, int64_t org,
			      vg_screen_run_cb run_cb, vg_screen_hit_cb hit_cb,
			      void *ud);
};

#endif
