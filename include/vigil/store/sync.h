/* The store's federation rows (part of store.h): partner hubs, their sync
 * cursors, the per-partner quarantine, and the provenance of object
 * versions (origin hub, the hubs crossed, the origin's signature). Kept and
 * found only: what they mean is decided by service/ and core/fed. Writes
 * happen inside the caller's transaction, so a cursor commits with the
 * objects it covers. */
#ifndef VIGIL_STORE_SYNC_H
#define VIGIL_STORE_SYNC_H

#include <stddef.h>
#include <stdint.h>

struct vg_store;

/* One partner hub. Strings are borrowed (for a callback: until it
 * returns). */
struct vg_partner_row {
	int64_t id;
	const char *name;
	const char *url;     /* the partner's API root */
	int direction;       /* enum vg_fed_direction bits (fed.h) */
	int64_t org;         /* the organisation that represents the hub */
	const char *hub_id;  /* the partner hub's id, "" until learnt */
	const char *sign_pk; /* its pinned Ed25519 key (hex), "" until then */
	const char *config;  /* JSON: collections, filters, levels, TLS */
	const unsigned char *secret; /* the sealed credential; NULL none */
	size_t secret_len;
	const char *state; /* JSON: last success, last error, lag */
	int64_t created;
};

struct vg_quarantine_row {
	int64_t id;
	int64_t partner;
	int64_t created;
	const char *collection; /* the local collection it was meant for */
	const char *object_id;  /* may be "" */
	const char *version;    /* may be "" */
	const char *reason;
	const char *json; /* the object's text as received */
	const char *prov; /* its provenance as received (JSON), or "" */
};

/* The provenance of one stored version (by its date_added). */
struct vg_prov_row {
	int64_t date_added;
	const char *origin; /* the origin hub's id */
	const char *path; /* JSON array of the hub ids crossed, origin first */
	const char *sig;  /* the origin's signature (base64), "" unsigned */
	int unsigned_;    /* accepted from a TAXII server that signs nothing */
};

/* A deletion by an object's origin hub, as it travels. */
struct vg_tomb_row {
	int64_t seq;        /* this hub's order of them, from 1 */
	const char *origin; /* the origin hub */
	const char *id;
	const char *version; /* the deleted version (normalised key) */
	const char *sig;     /* the origin's signature (base64) */
	const char *path;    /* JSON array of the hubs crossed */
	/* what the egress rule needs of the version that was deleted */
	int scope, tlp, classification;
	int64_t grp;
	const char *collection, *type;
	int64_t created;
};

typedef int (*vg_partner_cb)(void *ud, const struct vg_partner_row *p);
typedef int (*vg_tomb_cb)(void *ud, const struct vg_tomb_row *t);
typedef int (*vg_quarantine_cb)(void *ud, const struct vg_quarantine_row *q);
typedef int (*vg_prov_cb)(void *ud, const struct vg_prov_row *p);

struct vg_store_sync_ops {
	/* VG_EDUPLICATE when the name is taken; *id gets the new id */
	int (*partner_add)(struct vg_store *s, const struct vg_partner_row *p,
	                   int64_t *id);
	/* Replace every field but id, name, org and created of p->id
	 * (VG_ENOTFOUND). */
	int (*partner_update)(struct vg_store *s,
	                      const struct vg_partner_row *p);
	/* Set only the state of partner id. */
	int (*partner_state)(struct vg_store *s, int64_t id, const char *state);
	/* by name (id 0) or by id (name NULL); VG_ENOTFOUND */
	int (*partner_find)(struct vg_store *s, const char *name, int64_t id,
	                    vg_partner_cb cb, void *ud);
	/* in name order */
	int (*partner_list)(struct vg_store *s, vg_partner_cb cb, void *ud);
	/* the partner, its cursors and its quarantine (VG_ENOTFOUND) */
	int (*partner_remove)(struct vg_store *s, int64_t id);

	/* A cursor of partner by key (a collection, "push"): *value is
	 * malloc'd; VG_ENOTFOUND when unset. */
	int (*cursor_get)(struct vg_store *s, int64_t partner, const char *key,
	                  char **value);
	int (*cursor_set)(struct vg_store *s, int64_t partner, const char *key,
	                  const char *value);

	int (*quarantine_add)(struct vg_store *s,
	                      const struct vg_quarantine_row *q);
	/* partner's quarantine (id 0: all of it) in id order */
	int (*quarantine_list)(struct vg_store *s, int64_t partner, int64_t id,
	                       vg_quarantine_cb cb, void *ud);
	/* remove id (0: all of partner's); *n gets how many */
	int (*quarantine_remove)(struct vg_store *s, int64_t partner,
	                         int64_t id, int64_t *n);
	int (*quarantine_count)(struct vg_store *s, int64_t partner,
	                        int64_t *n);

	/* Provenance of a stored version; VG_EDUPLICATE when it has one. */
	int (*prov_put)(struct vg_store *s, const struct vg_prov_row *p);
	/* VG_ENOTFOUND when the version has none (it was made here). */
	int (*prov_get)(struct vg_store *s, int64_t date_added, vg_prov_cb cb,
	                void *ud);

	/* A tombstone (VG_EDUPLICATE when (origin, id, version) has one);
	 * *seq gets its number. */
	int (*tomb_add)(struct vg_store *s, const struct vg_tomb_row *t,
	                int64_t *seq);
	/* Tombstones after seq, in order, at most limit (0: all). */
	int (*tomb_list)(struct vg_store *s, int64_t after, size_t limit,
	                 vg_tomb_cb cb, void *ud);
};

#endif
