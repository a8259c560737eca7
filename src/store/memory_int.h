/* Shared between the files of the in-memory store (memory.c). */
#ifndef VIGIL_MEMORY_INT_H
#define VIGIL_MEMORY_INT_H

#include <pthread.h>

#include "vigil/store/store.h"

struct m_obj {
	int64_t date_added;
	char *id, *type, *version, *created, *modified, *spec_version;
	char *collection, *json;
	size_t json_len;
	int revoked, latest, copy, scope, tlp, classification;
	int64_t owner, grp;
};

struct m_kv { char *key, *value; };
struct m_owner { char *id; int64_t owner; };
struct m_org { int64_t id, created; char *name, *identity; };
struct m_user { int64_t id, org, created; char *name; int role, clearance, disabled; };
struct m_key { char *id; int64_t user, created, expires; unsigned char hash[VG_HASH_LEN]; int revoked; };
struct m_group { int64_t id, created; char *name; };
struct m_member { int64_t grp, org; };
struct m_coll { char *id, *alias, *title, *description; int scope, position; int64_t org, grp; };
struct m_status { char *id, *json; int64_t user, created; };
struct m_audit { struct vg_audit_entry e; };
struct m_cp { int64_t seq, ts; unsigned char head[VG_HASH_LEN], sig[VG_SIG_LEN]; };
struct m_run { struct vg_screen_run_row r; };
struct m_hit { struct vg_screen_hit_row h; };
struct m_sup { struct vg_suppression_row r; };

#define VEC(T) struct { T *v; size_t n, cap; }

struct m_sync; /* memory_sync.c */

/* Everything a store holds. */
struct m_state {
	VEC(struct m_obj) objs;
	VEC(struct m_kv) kv;
	VEC(struct m_owner) owners;
	VEC(struct m_org) orgs;
	VEC(struct m_user) users;
	VEC(struct m_key) keys;
	VEC(struct m_group) groups;
	VEC(struct m_member) members;
	VEC(struct m_coll) colls;
	VEC(struct m_status) status;
	VEC(struct m_audit) audit;
	VEC(struct m_cp) cps;
	VEC(struct m_run) runs;
	VEC(struct m_hit) hits;
	VEC(struct m_sup) sups;
	struct m_sync *sync; /* federation rows; NULL until the first */
	int64_t last_added, next_id;
	struct m_warn *warn; /* early warning's rows (memory_warn.c) */
};

#define VG_M_LEVELS 16

/* One named store, shared by its handles. */
struct m_db {
	char *name;
	int refs;  /* handles, and the registry's while kept */
	int kept;  /* made with VG_STORE_CREATE and not yet dropped */
	pthread_mutex_t mu;
	pthread_cond_t free_tx;
	struct vg_store *writer; /* the handle in a transaction, or NULL */
	struct m_state st;
	/* [0] the transaction, then savepoints: the state before each,
	 * copied at the first change after it opened (copied[i]); the
	 * audit log and checkpoints, only appended to, by their lengths */
	struct m_state saved[VG_M_LEVELS];
	int copied[VG_M_LEVELS];
	size_t audit_n[VG_M_LEVELS], cps_n[VG_M_LEVELS];
	unsigned depth;
	struct m_db *next;
};

struct m_handle {
	struct vg_store base;
	struct m_db *db;
	char err[200];
};

struct m_db *vg__m_db(struct vg_store *s);
/* s->err gets the message; returns rc. */
int vg__m_fail(struct vg_store *s, int rc, const char *what);
char *vg__m_dup(const char *s);
/* Free the strings of a screening hit or a suppression; copy them (each
 * copy owns its own: VG_ENOMEM when one could not be made). */
void vg__m_free_hit(struct vg_screen_hit_row *h);
int vg__m_dup_hit(struct vg_screen_hit_row *h);
void vg__m_free_sup(struct vg_suppression_row *r);
int vg__m_dup_sup(struct vg_suppression_row *r);
/* Free the strings of one object row. */
void vg__m_free_obj(struct m_obj *o);
int vg__m_push(void **v, size_t *n, size_t *cap, size_t size);
#define PUSH(vec) vg__m_push((void **)&(vec).v, &(vec).n, &(vec).cap, sizeof(*(vec).v))
int64_t vg__m_now(void);
/* Before any change but an append to the audit log or the checkpoints:
 * the open transaction's levels that have no copy of the state yet get
 * one (VG_ENOMEM). */
int vg__m_touch(struct vg_store *s);
#define TOUCH(s)                                                             \
	do {                                                                 \
		int touch_rc_ = vg__m_touch(s);                              \
		if (touch_rc_)                                               \
			return touch_rc_;                                    \
	} while (0)

extern const struct vg_store_objects_ops vg__m_objects_ops;
extern const struct vg_store_hub_ops vg__m_hub_ops;
extern const struct vg_store_sharing_ops vg__m_sharing_ops;
extern const struct vg_store_audit_ops vg__m_audit_ops;
extern const struct vg_store_screen_ops vg__m_screen_ops;
extern const struct vg_store_sync_ops vg__m_sync_ops;
/* The federation rows of a state: freed with it, deep-copied with it. */
void vg__m_sync_free(struct m_sync *y);
int vg__m_sync_copy(struct m_sync **out, const struct m_sync *s);
extern const struct vg_store_warn_ops vg__m_warn_ops;

/* Early warning's rows, copied with the state (memory_warn.c). */
void vg__m_warn_free(struct m_warn *w);
int vg__m_warn_copy(struct m_warn **dst, const struct m_warn *src);

#endif
