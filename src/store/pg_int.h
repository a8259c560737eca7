/* Shared between the files of the PostgreSQL backend (pg*.c). */
#ifndef VIGIL_PG_INT_H
#define VIGIL_PG_INT_H

#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "vigil/store/store.h"
#include "vigil/util/buf.h"
#include "vigil/util/error.h"
#include "sql_expr.h"

/* Advisory lock keys (per database): every write transaction holds
 * VG__PG_WRITE_LOCK until it ends, so the writers of every process take
 * turns like SQLite's BEGIN IMMEDIATE; migrations hold the other. */
#define VG__PG_WRITE_LOCK "1986619185" /* "vig1" */
#define VG__PG_MIGRATE_LOCK "1986619186"

enum { VG__PG_CACHE = 256 };

struct vg__pg {
	struct vg_store base;
	PGconn *conn;
	char *location;
	int in_tx;
	unsigned savepoints;
	/* the hub's clock, read from the database under the write lock at
	 * each begin: date_added = db time + elapsed, always after the last */
	int64_t last_added;
	int64_t db_now;
	struct timespec local_at_begin;
	/* statements prepared on this connection, by SQL text */
	struct {
		char *sql;
		char name[16];
		uint64_t hash; /* of sql: most lookups compare only this */
	} cache[VG__PG_CACHE];
	unsigned next_slot, serial;
	/* the owner of the id that versions() read last, inside a write
	 * transaction (owner_of of the same id then needs no round trip) */
	char *owner_id;
	int64_t owner;
	int owner_found;
	void *load; /* the COPY under way (pg_copy.c) */
	int piped;  /* statements queued in the pipeline, results unread */
	int64_t inserted; /* object rows written by this transaction */
	/* channels listened to (LISTEN again on every new connection) */
	char topics[8][48];
	int n_topics;
	unsigned connections; /* connections made: a new one may have missed
	                       * notifications */
	void *prefetched;     /* rows read ahead for versions (pg_objects.c) */
	void *batch;          /* rows gathered to be sent as one (pg_batch.c) */
	/* authentication's rows read with the key (pg_auth.c), and how
	 * many of its three reads are still to take them */
	PGresult *ahead;
	int ahead_left;
	/* the audit log's head: read as the transaction began (under the
	 * write lock), then as it wrote it */
	int head_ok;
	int64_t head_seq;
	int64_t tx_gens[2]; /* vigil_gen as the write transaction began */
	unsigned char head_hash[VG_HASH_LEN];
	char err[512];
};

static inline struct vg__pg *vg__pg(struct vg_store *s)
{
	return (struct vg__pg *)s;
}

/* A parameter of vg__pg_run. */
struct vg__pg_arg {
	const char *p; /* NULL: SQL NULL */
	int len;       /* binary parameters */
	int binary;
	char num[32]; /* integers are written here */
};

/* Run sql (prepared once per connection and kept by its text) with
 * arguments from fmt: 't' text (NULL: NULL), 'i' int64, 'd' double, 'b' a
 * VG_HASH_LEN blob, 's' a VG_SIG_LEN blob, 'n' text of a given length
 * (const char *, size_t). *res (may be NULL) gets the result, which the
 * caller clears. VG_EDUPLICATE on a unique violation (the transaction is
 * then aborted: prefer ON CONFLICT DO NOTHING), VG_ESTORE with the
 * message otherwise. A read outside a transaction on a lost connection
 * reconnects and tries once more. */
int vg__pg_run(struct vg__pg *p, PGresult **res, const char *sql,
               const char *fmt, ...);
/* Inside a write transaction, send sql without waiting for its result:
 * it is queued in the pipeline with the statements after it, and a
 * failure is reported by the next statement that waits (at the latest
 * the commit, which then rolls back). Outside one, vg__pg_run. For
 * writes whose result the caller does not need. */
int vg__pg_queue(struct vg__pg *p, const char *sql, const char *fmt, ...);
/* vg__pg_queue with n arguments already made. */
int vg__pg_queuev(struct vg__pg *p, const char *sql, int n,
                  struct vg__pg_arg *args);
/* Gathering rows inside a write transaction (pg_batch.c): added to the
 * next statement sent; flush queues them now; drop forgets them (the
 * transaction rolls back); free at close. */
int vg__pg_batch_object(struct vg__pg *p, const struct vg_object *o,
                        int64_t added);
int vg__pg_batch_owner(struct vg__pg *p, const char *id, int64_t owner);
/* An early warning key of the version added: its text into warn_keys,
 * or (hashed) hash into warn_refs. */
int vg__pg_batch_key(struct vg__pg *p, const char *key, int64_t hash,
                     int hashed, int64_t added);
int vg__pg_batch_flush(struct vg__pg *p);
void vg__pg_batch_drop(struct vg__pg *p);
/* Prepare the statements a flush sends (so that it sends them without
 * waiting); the ids of the object and owner rows gathered, NUL-separated
 * (NULL when none). */
int vg__pg_batch_prepare(struct vg__pg *p);
const char *vg__pg_batch_ids(struct vg__pg *p, size_t *len);
void vg__pg_batch_free(struct vg__pg *p);
/* An array parameter in PostgreSQL's binary form (pg_batch.c), built in
 * a: add appends one element of type 'l' (int8, n), 'i' (int4, n: fails
 * outside its range) or 't' (len bytes of s; s NULL: NULL); arg writes
 * the header for the n elements added and points *arg at a (which must
 * then not change until the statement is sent). An empty a makes no
 * array: add at least one element. */
int vg__pg_arr_add(struct vg_buf *a, char type, const char *s, size_t len,
                   int64_t n);
void vg__pg_arr_arg(struct vg_buf *a, char type, size_t n,
                    struct vg__pg_arg *arg);
/* Prepare sql on this connection now (waiting for what is queued). */
int vg__pg_prepare(struct vg__pg *p, const char *sql);
/* Inside a write transaction, queue sql (at most 4 arguments) without
 * sending the rows gathered first, and have the server send its result
 * at once: *pos is its place among the results not yet read, for
 * vg__pg_take, which reads the results up to it (the first failure
 * among them, the transaction then failed) and gives its result. */
int vg__pg_send_first(struct vg__pg *p, const char *sql, int n,
                      struct vg__pg_arg *args, int *pos);
int vg__pg_take(struct vg__pg *p, int pos, PGresult **out);
/* Wait for what is queued: its first failure. */
int vg__pg_drain(struct vg__pg *p);
/* The same with n arguments already made. */
int vg__pg_runv(struct vg__pg *p, PGresult **res, const char *sql, int n,
                struct vg__pg_arg *args);
/* Run sql without arguments and without preparing it (transaction
 * control, migrations). */
int vg__pg_exec(struct vg__pg *p, const char *sql);
/* Connected: a lost connection, outside a transaction, is made again
 * (the statements prepared are gone with the old session). */
int vg__pg_ensure(struct vg__pg *p);
/* Forget the statements prepared on this connection. */
void vg__pg_cache_clear(struct vg__pg *p);
/* Queue a statement without parameters (savepoints, COMMIT) in the
 * pipeline. */
int vg__pg_queue_plain(struct vg__pg *p, const char *sql);
/* Collect the results of what is queued and leave the pipeline: the
 * first failure, or VG_OK; *last (may be NULL) gets the result of the
 * last statement queued. */
int vg__pg_drain_last(struct vg__pg *p, PGresult **last);
/* Record "what: message"; VG_ESTORE. */
int vg__pg_fail(struct vg__pg *p, const char *what, const PGresult *r);

/* Values of a text-format result. */
static inline const char *vg__pg_str(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}
int64_t vg__pg_int(const PGresult *r, int row, int col);
/* A bytea column ("\x..." text) into out when it holds exactly n bytes;
 * 0 then, -1 otherwise (out untouched). */
int vg__pg_bytes(const PGresult *r, int row, int col, unsigned char *out,
                 size_t n);
/* Rows changed by a command. */
int64_t vg__pg_changes(const PGresult *r);

/* Apply the schema's migrations (pg_schema.c). */
int vg__pg_migrate(struct vg__pg *p);

/* The next date_added of the open write transaction. */
int64_t vg__pg_next_added(struct vg__pg *p);
/* Why the last vg_store_pg.open on this thread failed. */
const char *vg__pg_open_error(void);

/* The message of a failed open of location (its password hidden). */
void vg__pg_describe(const char *location, int rc, char *err, size_t errlen);

/* Free a COPY left unfinished (the handle closes). */
void vg__pg_copy_abandon(struct vg__pg *p);

/* Forget the owner cached by versions(). */
void vg__pg_owner_forget(struct vg__pg *p);
/* Forget the rows read ahead of id (NULL: of every id). */
void vg__pg_prefetch_forget(struct vg__pg *p, const char *id);

/* Authentication's reads (pg_auth.c): the key with its user, groups and
 * grants in one statement; the three reads after it answered from that
 * (1, their result in *rc) or not (0: ask the database). Forgotten at
 * the handle's next statement. */
int vg__pg_key_find(struct vg_store *s, const char *id, vg_key_cb cb, void *ud);
int vg__pg_ahead_user(struct vg__pg *p, int64_t id, vg_user_cb cb, void *ud,
                      int *rc);
int vg__pg_ahead_ids(struct vg__pg *p, int grants, int64_t org, int64_t **ids,
                     size_t *n, int *rc);
void vg__pg_ahead_forget(struct vg__pg *p);

/* Signals between processes (pg_notify.c). */
int vg__pg_notify(struct vg_store *s, const char *topic);
int vg__pg_listen(struct vg_store *s, const char *topic);
int vg__pg_wait(struct vg_store *s, int ms,
                void (*heard)(void *ud, const char *topic), void *ud);
/* Connect again (outside a transaction): the statements prepared and the
 * channels listened to are made again on the new session. */
int vg__pg_reconnect(struct vg__pg *p);
/* LISTEN again to every topic (after a new connection). */
int vg__pg_relisten(struct vg__pg *p);

/* The queries on object versions (pg_query.c), in vg__pg_objects_ops. */
int vg__pg_scan(struct vg_store *s, const struct vg_query *qy, vg_row_cb cb,
                void *ud);
int vg__pg_remove(struct vg_store *s, const struct vg_query *qy,
                  int64_t *removed);
int vg__pg_type_stats(struct vg_store *s, vg_type_stats_cb cb, void *ud);

/* Early warning's key index (pg_warn_keys.c), in vg__pg_warn_ops. */
int vg__pg_warn_keys_add(struct vg_store *s, int64_t added,
                         const char *const *keys, size_t n);
int vg__pg_warn_keys_put(struct vg_store *s, const struct vg_warn_keyrow *rows,
                         size_t n);
int vg__pg_warn_keys_scan(struct vg_store *s, const struct vg_warn_keyq *q,
                          vg_warn_row_cb cb, void *ud);
int vg__pg_warn_row(struct vg_store *s, int64_t added, vg_warn_row_cb cb,
                    void *ud);
int vg__pg_warn_keys_clear(struct vg_store *s);
int vg__pg_warn_key_counts(struct vg_store *s, const char *prefix,
                           int64_t min,
                           int (*cb)(void *ud, const char *key, int64_t n),
                           void *ud);
int vg__pg_warn_counts(struct vg_store *s, const struct vg_warn_countq *q,
                       vg_warn_count_cb cb, void *ud);

extern const struct vg_store_ops vg_store_pg;
extern const struct vg_store_objects_ops vg__pg_objects_ops;
extern const struct vg_store_hub_ops vg__pg_hub_ops;
extern const struct vg_store_sharing_ops vg__pg_sharing_ops;
extern const struct vg_store_audit_ops vg__pg_audit_ops;
extern const struct vg_store_screen_ops vg__pg_screen_ops;
extern const struct vg_store_sync_ops vg__pg_sync_ops;
extern const struct vg_store_warn_ops vg__pg_warn_ops;
extern const struct vg_store_copy_ops vg__pg_copy_ops;

#endif
