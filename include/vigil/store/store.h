/* The store: a persistence boundary only. It keeps and finds rows; every
 * rule (ownership, versioning, revocation, the latest version, the audit
 * chain, who may read what) is decided in core/ and service/ and handed to
 * it as data. One const ops table per backend, chosen from the location
 * (vg_store_open); the functions are grouped by domain in tables of their
 * own (objects, hub, sharing, audit, screening; sync and warn reserved for
 * federation and early warning), each in its own header. Every function
 * returns a vg_err code; for VG_ESTORE the message is vg_store_errmsg.
 * Strings in rows handed to callbacks live until the callback returns. */
#ifndef VIGIL_STORE_H
#define VIGIL_STORE_H

#include <stddef.h>
#include <stdint.h>

struct vg_store;

/* vg_store_open flags */
enum {
	VG_STORE_CREATE = 1, /* make the store (and its directory) if missing */
	VG_STORE_WRITER = 2, /* the handle that writes most: a larger cache */
};

/* A nested unit of work inside the open transaction (the group-commit
 * writer's jobs), named by the handle savepoint gives. */
typedef unsigned vg_savepoint;

struct vg_store_objects_ops;
struct vg_store_hub_ops;
struct vg_store_sharing_ops;
struct vg_store_audit_ops;
struct vg_store_screen_ops;
struct vg_store_sync_ops;
struct vg_store_warn_ops;
struct vg_store_copy_ops;

struct vg_store_ops {
	const char *name;
	/* Open the store at location (without the backend's prefix).
	 * VG_ENOTFOUND when missing and not VG_STORE_CREATE. */
	int (*open)(const char *location, unsigned flags, struct vg_store **out);
	void (*close)(struct vg_store *s);
	/* The message of the last failure on s. */
	const char *(*errmsg)(struct vg_store *s);

	/* A write transaction: nothing is visible or durable before commit,
	 * and commit returns only when the data is on disk. begin waits for
	 * other writers (other processes too). */
	int (*begin)(struct vg_store *s);
	int (*commit)(struct vg_store *s);
	int (*rollback)(struct vg_store *s);
	int (*savepoint)(struct vg_store *s, vg_savepoint *sp);
	int (*release)(struct vg_store *s, vg_savepoint sp);
	/* Undo the work since the savepoint (it stays open: release it). */
	int (*rollback_to)(struct vg_store *s, vg_savepoint sp);

	/* Optional (NULL: every read is its own snapshot). The reads on s
	 * between read_begin and read_end see one state of the store and
	 * take its locks once; read_end after read_begin, whatever the
	 * reads returned. Not inside a write transaction. */
	int (*read_begin)(struct vg_store *s);
	void (*read_end)(struct vg_store *s);

	/* Optional (NULL: the store has no read cache, as SQLite's, whose
	 * reads are in the process). The store's generations, read now:
	 * gens[0] moves with every change to the objects and collections,
	 * gens[1] with every change to the keys, users, organisations,
	 * groups and access grants, in the transaction that makes it, so
	 * that a value read says exactly which state it belongs to. Inside
	 * a write transaction: as read when it began, under the write lock
	 * (no round trip). */
	int (*gens)(struct vg_store *s, int64_t gens[2]);

	/* Bytes the store occupies on disk. */
	int (*size)(struct vg_store *s, int64_t *bytes);
	/* The backend's own consistency check (VG_ESTORE with the finding). */
	int (*check)(struct vg_store *s);

	/* Optional (NULL: one process per store, as SQLite's). Signals
	 * between the processes of one store, to refresh caches early; what
	 * is right never rests on them (a signal arrives after the commit
	 * that sent it, and may be lost: caches still check the store).
	 * notify, inside a write transaction, tells every handle listening to
	 * topic ([a-z_], at most 40) once the transaction commits (never if
	 * it does not); listen makes s such a handle; wait calls heard with
	 * each topic heard, "*" when some may have been missed (the
	 * connection was made again), waiting up to ms for the first. */
	int (*notify)(struct vg_store *s, const char *topic);
	int (*listen)(struct vg_store *s, const char *topic);
	int (*wait)(struct vg_store *s, int ms,
		    void (*heard)(void *ud, const char *topic), void *ud);

	const struct vg_store_objects_ops *objects;
	const struct vg_store_hub_ops *hub;
	const struct vg_store_sharing_ops *sharing;
	const struct vg_store_audit_ops *audit;
	const struct vg_store_screen_ops *screen;
	const struct vg_store_sync_ops *sync; /* federation (sync.h) */
	const struct vg_store_warn_ops *warn; /* early warning: NULL until then */
	const struct vg_store_copy_ops *copy; /* vigil migrate (NULL: none) */
};

/* Every backend's handle starts with this. */
struct vg_store {
	const struct vg_store_ops *ops;
};

extern const struct vg_store_ops vg_store_sqlite;
extern const struct vg_store_ops vg_store_memory;

/* Open the store at location: "DIR" or "sqlite:DIR" (the SQLite backend,
 * file vigil.db inside DIR), "memory:NAME" (in this process only; the
 * same NAME is the same store, and one made with VG_STORE_CREATE lives,
 * with or without handles, until vg_store_memory_drop).
 * "postgres://..." or "postgresql://..." (a libpq URI: the PostgreSQL
 * backend; VG_STORE_CREATE makes the database when it is missing).
 * err (may be NULL) says why it failed. */
int vg_store_open(const char *location, unsigned flags, struct vg_store **out,
		  char *err, size_t errlen);

/* Let the memory store NAME go: its data is freed when its last handle
 * closes (now, when none is open). Unknown names are ignored. */
void vg_store_memory_drop(const char *name);

static inline void vg_store_close(struct vg_store *s)
{
	if (s)
		s->ops->close(s);
}

static inline const char *vg_store_errmsg(struct vg_store *s)
{
	return s->ops->errmsg(s);
}

#include "vigil/store/objects.h"
#include "vigil/store/hub.h"
#include "vigil/store/audit.h"
#include "vigil/store/screen.h"
#include "vigil/store/sync.h"
#include "vigil/store/copy.h"
#include "vigil/store/warn.h"

#endif
