/* The store: object versions and their indexed columns, behind one ops
 * table per backend (SQLite now). Callers never write SQL; every function
 * returns a vg_err code and, for VG_ESTORE, a message through
 * vg_store_errmsg. */
#ifndef VIGIL_STORE_H
#define VIGIL_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/access/access.h"
#include "vigil/taxii/filter.h"

struct vg_store;

/* One object version to store. Strings are borrowed for the call. */
struct vg_object {
	const char *id;
	const char *type;
	const char *version;  /* normalised key (stix.h VG_TS_KEY_LEN) or "" */
	const char *created;  /* verbatim, may be NULL */
	const char *modified; /* verbatim, may be NULL */
	const char *spec_version; /* may be NULL */
	int revoked;
	const char *collection; /* TAXII collection id ("" none) */
	int64_t owner;        /* the posting organisation */
	int scope;            /* enum vg_scope, from the collection */
	int64_t grp;          /* sharing group when scope is a group */
	int tlp;              /* enum vg_tlp */
	int classification;   /* hub-defined level, 0 unclassified */
	const char *json;     /* compact JSON text, exactly as validated */
	size_t json_len;
};

enum vg_put_result {
	VG_PUT_LATEST,    /* stored and now the latest version */
	VG_PUT_OLDER,     /* stored; a newer version stays the latest */
	VG_PUT_DUPLICATE, /* (id, version) was in the collection: nothing done */
};

/* A stored version as read back. Pointers live until the callback
 * returns. */
struct vg_row {
	int64_t date_added; /* microseconds since the epoch, unique */
	const char *id;
	const char *type;
	const char *version;  /* normalised key */
	const char *modified; /* verbatim modified, else created, else NULL */
	const char *spec_version;
	const char *collection;
	const char *json;
	size_t json_len;
	int revoked;
	int latest;
	/* what the access rule needs (access.h) */
	int64_t owner;
	int scope;
	int64_t grp;
	int tlp;
	int classification;
};

/* Return non-zero to stop the scan; that value is returned by the scan. */
typedef int (*vg_row_cb)(void *ud, const struct vg_row *row);

/* Which versions to read. Lists are ORed within, fields ANDed. "Newest"
 * and "oldest" are among the versions the principal may read, so an
 * invisible newer version never hides, or reveals itself through, an
 * older visible one. */
struct vg_query {
	const char *collection;   /* NULL: every collection */
	/* NULL: no access filter. Only the local operator (the CLI, which
	 * owns the store's files) reads without a principal. */
	const struct vg_principal *who;
	const char *const *types; size_t n_types; /* none: every type */
	const char *const *ids; size_t n_ids;     /* none: every id */
	int64_t added_after;  /* strictly after, in microseconds; 0: all */
	unsigned versions;    /* enum vg_versions bits; 0: LAST */
	const char *const *version_keys; size_t n_version_keys;
	const char *const *spec_versions; size_t n_spec_versions;
	int64_t owner;        /* only this organisation's rows; 0: any */
	size_t limit;         /* 0: no limit */
	/* rows carry only date_added, id, version, modified and json (the
	 * rest zero): what a TAXII page writes, read faster */
	int slim;
};

struct vg_type_stats {
	const char *type;
	int64_t objects;  /* distinct ids */
	int64_t versions; /* stored versions */
	int64_t revoked;  /* ids whose latest version is revoked */
};

typedef int (*vg_type_stats_cb)(void *ud, const struct vg_type_stats *t);

struct vg_store_ops {
	const char *name;
	/* Open the store at location; with create, make it (and its
	 * directory) when missing. VG_ENOTFOUND when missing and !create. */
	int (*open)(const char *location, int create, struct vg_store **out);
	void (*close)(struct vg_store *s);
	/* Write transactions; nothing is visible or durable before commit,
	 * and commit returns only when the data is on disk. */
	int (*begin)(struct vg_store *s);
	int (*commit)(struct vg_store *s);
	int (*rollback)(struct vg_store *s);
	/* verb is "SAVEPOINT", "ROLLBACK TO" or "RELEASE": a nested unit of
	 * work inside the open transaction (the group-commit writer's jobs) */
	int (*savepoint)(struct vg_store *s, const char *verb);
	/* Store one version in o->collection (inside a transaction).
	 * VG_EREVOKED when it would follow a revoked version in the
	 * collection, or is revoked and older than the latest there;
	 * VG_EDENIED when it is a new version of an id that another
	 * organisation owns. */
	int (*put_object)(struct vg_store *s, const struct vg_object *o,
			  enum vg_put_result *res);
	/* Versions matching q in date_added order (rows of one (id, version)
	 * in several collections are read once when q->collection is NULL). */
	int (*scan)(struct vg_store *s, const struct vg_query *q, vg_row_cb cb,
		    void *ud);
	/* Delete the versions matching q (q->collection must be set; q->ids
	 * one id); *deleted gets how many. Inside a transaction. */
	int (*delete_objects)(struct vg_store *s, const struct vg_query *q,
			      int64_t *deleted);
	int (*type_stats)(struct vg_store *s, vg_type_stats_cb cb, void *ud);
	/* Page cache of this handle in KiB (the writer's is larger: it
	 * touches every index on ingest). */
	int (*cache_kib)(struct vg_store *s, int kib);
	/* Copy the write-ahead log into the store and start it again, so
	 * that it does not grow without end under constant reads. */
	int (*checkpoint)(struct vg_store *s);
	/* The newest date_added among versions of type (0 when none): tells
	 * a cache built from them whether it is stale. */
	int (*max_added)(struct vg_store *s, const char *type, int64_t *out);
	/* Bytes the store occupies on disk. */
	int (*size)(struct vg_store *s, int64_t *bytes);
	/* Full consistency check; VG_ESTORE with the finding otherwise. */
	int (*check)(struct vg_store *s);
	/* The message of the last VG_ESTORE (or other failure) on s. */
	const char *(*errmsg)(struct vg_store *s);

	/* ---- the hub (see hub.h for the rows) ---- */
	const struct vg_store_hub_ops *hub;
};

#include "vigil/store/hub.h"

/* Every backend's handle starts with this. */
struct vg_store {
	const struct vg_store_ops *ops;
};

extern const struct vg_store_ops vg_store_sqlite;

/* Open the store at location: a directory (the SQLite backend, file
 * vigil.db inside it). */
int vg_store_open(const char *location, int create, struct vg_store **out);

static inline void vg_store_close(struct vg_store *s)
{
	if (s)
		s->ops->close(s);
}

static inline const char *vg_store_errmsg(struct vg_store *s)
{
	return s->ops->errmsg(s);
}

#endif
