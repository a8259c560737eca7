/* The PostgreSQL backend of the store (location postgres://...): one
 * connection per handle (the service holds one per reader thread and one
 * for its writer: that is the process's pool). This file: connecting and
 * reconnecting, transactions and savepoints, the hub's clock, the
 * consistency check; statements (prepared once per connection, pipelined)
 * are in pg_run.c, the domains in pg_*.c, the schema in pg_schema.c.
 *
 * Isolation. A write transaction is READ COMMITTED and takes the hub's
 * write lock (an advisory lock) first, so the writers of every process
 * take turns: each sees everything committed before it, the audit log's
 * head and append form one chain, and date_added (read under the lock)
 * grows in commit order, which is what keeps paging by date_added
 * consistent across processes. Reads outside a transaction are one
 * statement each, one snapshot each (as SQLite's readers); a scan that is
 * read in parts runs in a REPEATABLE READ READ ONLY transaction. */
#include "pg_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct vg__pg pg_t;

static int pg_rollback(struct vg_store *s);

/* Why the last open on this thread failed (vg__pg_open_error). */
static _Thread_local char open_err[400];

const char *vg__pg_open_error(void)
{
	return open_err;
}

static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message; /* notices (e.g. "already exists, skipping") */
}

static void chomp(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

int vg__pg_fail(struct vg__pg *p, const char *what, const PGresult *r)
{
	const char *msg = r ? PQresultErrorMessage(r) : "";
	if (!msg || !*msg)
		msg = PQerrorMessage(p->conn);
	snprintf(p->err, sizeof(p->err), "%s: %s", what, msg);
	chomp(p->err);
	return VG_ESTORE;
}

int64_t vg__pg_int(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col)
	           ? 0
	           : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int vg__pg_bytes(const PGresult *r, int row, int col, unsigned char *out,
                 size_t n)
{
	const char *v = vg__pg_str(r, row, col);
	if (!v || v[0] != '\\' || v[1] != 'x' || strlen(v + 2) != 2 * n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int hi = hexval(v[2 + 2 * i]), lo = hexval(v[3 + 2 * i]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

int64_t vg__pg_changes(const PGresult *r)
{
	const char *n = PQcmdTuples((PGresult *)r);
	return n && *n ? strtoll(n, NULL, 10) : 0;
}

void vg__pg_owner_forget(struct vg__pg *p)
{
	free(p->owner_id);
	p->owner_id = NULL;
}

/* The end (or start) of a transaction: nothing read in it stays. */
static void tx_forget(pg_t *p)
{
	vg__pg_owner_forget(p);
	vg__pg_prefetch_forget(p, NULL);
	vg__pg_ahead_forget(p);
	p->head_ok = 0;
}

/* Session settings of every new connection. */
static int session(pg_t *p)
{
	PQsetNoticeProcessor(p->conn, quiet, NULL);
	p->connections++;
	/* no JIT: vigil's statements are short, and a write transaction's
	 * enable_seqscan = off makes any scan look costly enough to compile
	 * (tens of milliseconds a statement) */
	int rc = vg__pg_exec(p, "SET client_min_messages = warning;"
	                        " SET bytea_output = 'hex';"
	                        " SET synchronous_commit = on; SET jit = off");
	return rc ? rc : vg__pg_relisten(p);
}

int vg__pg_ensure(struct vg__pg *p)
{
	if (PQstatus(p->conn) == CONNECTION_OK)
		return VG_OK;
	return vg__pg_reconnect(p);
}

int vg__pg_reconnect(struct vg__pg *p)
{
	if (p->in_tx)
		return vg__pg_fail(p, "connection lost in a transaction", NULL);
	vg__pg_cache_clear(p);
	PQreset(p->conn);
	if (PQstatus(p->conn) != CONNECTION_OK)
		return vg__pg_fail(p, "reconnect", NULL);
	return session(p);
}

static const char *pg_errmsg(struct vg_store *s)
{
	return vg__pg(s)->err;
}

static void pg_close(struct vg_store *s)
{
	pg_t *p = vg__pg(s);
	vg__pg_cache_clear(p);
	tx_forget(p);
	vg__pg_batch_free(p);
	if (p->load) /* a COPY left open: abandoned with the connection */
		vg__pg_copy_abandon(p);
	PQfinish(p->conn);
	free(p->location);
	free(p);
}

/* libpq's connection to location (its dbname replaced when db). */
static PGconn *connect_to(const char *location, const char *db)
{
	const char *keys[] = {"dbname", "dbname", "fallback_application_name",
	                      NULL};
	const char *vals[] = {location, db, "vigil", NULL};
	if (!db) {
		keys[1] = "fallback_application_name";
		vals[1] = "vigil";
		keys[2] = vals[2] = NULL;
	}
	return PQconnectdbParams(keys, vals, 1);
}

/* Make the database location names, through the maintenance database:
 * texts are kept byte for byte (SQL_ASCII) and compared by bytes (C), as
 * SQLite does. Another process making it at the same time is fine. */
static int create_database(const char *location)
{
	char *errmsg = NULL, *dbname = NULL;
	PQconninfoOption *opts = PQconninfoParse(location, &errmsg);
	int rc = VG_ENOTFOUND;
	for (PQconninfoOption *o = opts; o && o->keyword; o++)
		if (!strcmp(o->keyword, "dbname") && o->val && *o->val)
			dbname = strdup(o->val);
	PQconninfoFree(opts);
	PQfreemem(errmsg);
	if (!dbname)
		return VG_ENOTFOUND;
	PGconn *c = connect_to(location, "postgres");
	if (PQstatus(c) != CONNECTION_OK) {
		snprintf(open_err, sizeof(open_err), "%s", PQerrorMessage(c));
		chomp(open_err);
		rc = VG_ESTORE;
		goto out;
	}
	char *ident = PQescapeIdentifier(c, dbname, strlen(dbname));
	char sql[512];
	snprintf(sql, sizeof(sql),
	         "CREATE DATABASE %s TEMPLATE template0 ENCODING 'SQL_ASCII'"
	         " LC_COLLATE 'C' LC_CTYPE 'C'",
	         ident ? ident : "\"\"");
	PQfreemem(ident);
	PGresult *r = PQexec(c, sql);
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	if (r && PQresultStatus(r) == PGRES_COMMAND_OK)
		rc = VG_OK;
	else if (state && !strcmp(state, "42P04"))
		rc = VG_OK; /* made by someone else meanwhile */
	else {
		snprintf(open_err, sizeof(open_err),
		         "cannot create the database: %s",
		         r ? PQresultErrorMessage(r) : PQerrorMessage(c));
		chomp(open_err);
		rc = VG_ESTORE;
	}
	PQclear(r);
out:
	PQfinish(c);
	free(dbname);
	return rc;
}

static int pg_open(const char *location, unsigned flags, struct vg_store **out)
{
	pg_t *p = calloc(1, sizeof(*p));
	int rc = VG_ENOMEM;
	open_err[0] = '\0';
	if (!p || !(p->location = strdup(location)))
		goto fail;
	p->base.ops = &vg_store_pg;
	p->conn = connect_to(location, NULL);
	if (PQstatus(p->conn) != CONNECTION_OK) {
		const char *msg = PQerrorMessage(p->conn);
		int missing = msg && strstr(msg, "does not exist") &&
		              strstr(msg, "database");
		if (!missing) {
			snprintf(open_err, sizeof(open_err), "%s",
			         msg ? msg : "");
			chomp(open_err);
			rc = VG_ESTORE;
			goto fail;
		}
		if (!(flags & VG_STORE_CREATE)) {
			rc = VG_ENOTFOUND;
			goto fail;
		}
		if ((rc = create_database(location)))
			goto fail;
		PQfinish(p->conn);
		p->conn = connect_to(location, NULL);
		if (PQstatus(p->conn) != CONNECTION_OK) {
			snprintf(open_err, sizeof(open_err), "%s",
			         PQerrorMessage(p->conn));
			chomp(open_err);
			rc = VG_ESTORE;
			goto fail;
		}
	}
	rc = session(p);
	if (!rc)
		rc = vg__pg_migrate(p);
	if (rc) {
		snprintf(open_err, sizeof(open_err), "%.390s", p->err);
		goto fail;
	}
	*out = &p->base;
	return VG_OK;
fail:
	if (p)
		pg_close(&p->base);
	return rc;
}

static int64_t local_us_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)(t.tv_sec - t0->tv_sec) * 1000000 +
	       (t.tv_nsec - t0->tv_nsec) / 1000;
}

int64_t vg__pg_next_added(struct vg__pg *p)
{
	int64_t now = p->db_now + local_us_since(&p->local_at_begin);
	p->last_added = now > p->last_added ? now : p->last_added + 1;
	return p->last_added;
}

static int pg_begin(struct vg_store *s)
{
	pg_t *p = vg__pg(s);
	PGresult *r = NULL;
	int rc = vg__pg_ensure(p);
	if (rc)
		return rc;
	tx_forget(p);
	/* one round trip: the lock, then (a new snapshot in READ COMMITTED)
	 * the hub's last date_added and the database's clock, as prepared
	 * statements (planned once per connection, not at every begin). A
	 * writer's reads are lookups by key; the statistics of rows it has
	 * just written (a large import is one transaction) are not there yet
	 * and would make the planner scan whole tables: no scans. */
	p->in_tx = 1; /* the statements below are queued */
	rc = vg__pg_queue_plain(p, "BEGIN");
	if (!rc)
		rc = vg__pg_queue_plain(p, "SET LOCAL enable_seqscan = off");
	if (!rc)
		rc = vg__pg_queue(
		    p, "SELECT pg_advisory_xact_lock(" VG__PG_WRITE_LOCK ")",
		    NULL);
	/* and, under the lock, the read cache's generations and the audit
	 * log's head, which the transaction's entries follow */
	if (!rc)
		rc = vg__pg_run(
		    p, &r,
		    "SELECT (SELECT COALESCE(MAX(date_added), 0) FROM objects),"
		    " (extract(epoch from clock_timestamp()) * 1000000)::int8,"
		    " g.data, g.auth,"
		    " (SELECT seq FROM audit ORDER BY seq DESC LIMIT 1),"
		    " (SELECT hash FROM audit ORDER BY seq DESC LIMIT 1)"
		    " FROM vigil_gen g WHERE g.one = 1",
		    NULL);
	if (!rc && PQntuples(r) != 1)
		rc = vg__pg_fail(p, "begin", r);
	if (rc) {
		char why[512];
		snprintf(why, sizeof(why), "%s", p->err);
		PQclear(r);
		vg__pg_drain_last(p, NULL);
		PQclear(PQexec(p->conn, "ROLLBACK"));
		p->in_tx = 0;
		snprintf(p->err, sizeof(p->err), "begin: %.500s", why);
		return rc;
	}
	int64_t last = vg__pg_int(r, 0, 0);
	p->db_now = vg__pg_int(r, 0, 1);
	p->tx_gens[0] = vg__pg_int(r, 0, 2);
	p->tx_gens[1] = vg__pg_int(r, 0, 3);
	p->head_seq = vg__pg_int(r, 0, 4); /* 0 and zeros: an empty log */
	memset(p->head_hash, 0, VG_HASH_LEN);
	p->head_ok = PQgetisnull(r, 0, 5) ||
	             !vg__pg_bytes(r, 0, 5, p->head_hash, VG_HASH_LEN);
	PQclear(r);
	clock_gettime(CLOCK_MONOTONIC, &p->local_at_begin);
	p->inserted = 0;
	if (last > p->last_added)
		p->last_added = last;
	return VG_OK;
}

static int pg_commit(struct vg_store *s)
{
	pg_t *p = vg__pg(s);
	PGresult *r = NULL;
	int rc = VG_OK;
	/* what is gathered and queued, and the COMMIT, in one round trip */
	rc = vg__pg_batch_flush(p);
	if (!rc && p->piped && !(rc = vg__pg_queue_plain(p, "COMMIT")))
		rc = vg__pg_drain_last(p, &r);
	if (rc) {
		/* a queued write failed: nothing of the transaction stays */
		char why[512];
		snprintf(why, sizeof(why), "%s", p->err);
		pg_rollback(s);
		snprintf(p->err, sizeof(p->err), "%s", why);
		return rc;
	}
	if (!r)
		r = PQexec(p->conn, "COMMIT");
	/* COMMIT of a failed transaction answers ROLLBACK, without error */
	if (!r || PQresultStatus(r) != PGRES_COMMAND_OK ||
	    strcmp(PQcmdStatus(r), "COMMIT"))
		rc = vg__pg_fail(p, "commit", r);
	if (rc && r && PQresultStatus(r) == PGRES_COMMAND_OK)
		snprintf(p->err, sizeof(p->err),
		         "commit: the transaction had "
		         "failed and was rolled back");
	PQclear(r);
	p->in_tx = 0;
	tx_forget(p);
	/* a large import changes the tables' shape more than autovacuum
	 * notices in time: the next reads would be planned on the old
	 * statistics (an empty table: a scan of every row per page) */
	if (!rc && p->inserted >= 5000)
		PQclear(PQexec(p->conn, "ANALYZE objects, owners"));
	return rc;
}

static int pg_rollback(struct vg_store *s)
{
	pg_t *p = vg__pg(s);
	int rc = VG_OK;
	vg__pg_batch_drop(p);
	vg__pg_drain_last(p, NULL);
	PGresult *r = PQexec(p->conn, "ROLLBACK");
	if (!r || PQresultStatus(r) != PGRES_COMMAND_OK)
		rc = vg__pg_fail(p, "rollback", r);
	PQclear(r);
	p->in_tx = 0;
	tx_forget(p);
	return rc;
}

/* SAVEPOINT and RELEASE are queued with the writes (a failure among
 * them fails the batch: the writer takes a failed release as fatal);
 * ROLLBACK TO runs now, after what is queued. */
static int savepoint_sql(pg_t *p, const char *verb, vg_savepoint sp)
{
	char sql[48];
	snprintf(sql, sizeof(sql), "%s sp%u", verb, sp);
	vg__pg_owner_forget(p);
	int undo = !strcmp(verb, "ROLLBACK TO SAVEPOINT"), rc = VG_OK;
	/* rows gathered since the last savepoint belong to the work of it:
	 * sent before SAVEPOINT and RELEASE, forgotten by ROLLBACK TO */
	if (undo)
		vg__pg_batch_drop(p);
	else if ((rc = vg__pg_batch_flush(p)))
		return rc;
	if (!undo && p->in_tx == 1)
		return vg__pg_queue_plain(p, sql);
	p->head_ok = 0;
	vg__pg_drain_last(p, NULL);
	PGresult *r = PQexec(p->conn, sql);
	if (!r || PQresultStatus(r) != PGRES_COMMAND_OK)
		rc = vg__pg_fail(p, sql, r);
	PQclear(r);
	return rc;
}

static int pg_savepoint(struct vg_store *s, vg_savepoint *sp)
{
	pg_t *p = vg__pg(s);
	vg_savepoint n = ++p->savepoints;
	int rc = savepoint_sql(p, "SAVEPOINT", n);
	if (!rc)
		*sp = n;
	return rc;
}

static int pg_release(struct vg_store *s, vg_savepoint sp)
{
	return savepoint_sql(vg__pg(s), "RELEASE SAVEPOINT", sp);
}

static int pg_rollback_to(struct vg_store *s, vg_savepoint sp)
{
	return savepoint_sql(vg__pg(s), "ROLLBACK TO SAVEPOINT", sp);
}

static int pg_size(struct vg_store *s, int64_t *bytes)
{
	pg_t *p = vg__pg(s);
	PGresult *r = NULL;
	int rc = vg__pg_run(
	    p, &r, "SELECT pg_database_size(current_database())", NULL);
	if (!rc)
		*bytes = vg__pg_int(r, 0, 0);
	PQclear(r);
	return rc;
}

static int pg_gens(struct vg_store *s, int64_t gens[2])
{
	PGresult *r = NULL;
	if (vg__pg(s)->in_tx) {
		/* read under the write lock: what the transaction works on */
		memcpy(gens, vg__pg(s)->tx_gens, 2 * sizeof(gens[0]));
		return VG_OK;
	}
	int rc =
	    vg__pg_run(vg__pg(s), &r, "SELECT data, auth FROM vigil_gen", NULL);
	if (!rc && PQntuples(r) != 1)
		rc = vg__pg_fail(vg__pg(s), "gens", r);
	if (!rc) {
		gens[0] = vg__pg_int(r, 0, 0);
		gens[1] = vg__pg_int(r, 0, 1);
	}
	PQclear(r);
	return rc;
}

static int pg_check(struct vg_store *s)
{
	pg_t *p = vg__pg(s);
	PGresult *r = NULL;
	int rc = vg__pg_run(
	    p, &r,
	    "SELECT id FROM objects o WHERE latest != (version ="
	    " (SELECT MAX(v.version) FROM objects v WHERE v.id = o.id"
	    " AND v.collection = o.collection))::int LIMIT 1",
	    NULL);
	if (!rc && PQntuples(r)) {
		snprintf(p->err, sizeof(p->err),
		         "object '%s': the latest flag is not on exactly its "
		         "newest version",
		         PQgetvalue(r, 0, 0));
		rc = VG_ESTORE;
	}
	PQclear(r);
	return rc;
}

const struct vg_store_ops vg_store_pg = {
    .name = "postgres",
    .open = pg_open,
    .close = pg_close,
    .errmsg = pg_errmsg,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .savepoint = pg_savepoint,
    .release = pg_release,
    .rollback_to = pg_rollback_to,
    .gens = pg_gens,
    .size = pg_size,
    .check = pg_check,
    .notify = vg__pg_notify,
    .listen = vg__pg_listen,
    .wait = vg__pg_wait,
    .objects = &vg__pg_objects_ops,
    .hub = &vg__pg_hub_ops,
    .sharing = &vg__pg_sharing_ops,
    .audit = &vg__pg_audit_ops,
    .screen = &vg__pg_screen_ops,
    .sync = &vg__pg_sync_ops,
    .warn = &vg__pg_warn_ops,
    .copy = &vg__pg_copy_ops,
};

/* location without its password, for messages. */
static void redact(const char *location, char *out, size_t n)
{
	snprintf(out, n, "%s", location);
	char *scheme = strstr(out, "://");
	char *at = scheme ? strchr(scheme + 3, '@') : NULL;
	char *colon = scheme ? strchr(scheme + 3, ':') : NULL;
	char *slash = scheme ? strchr(scheme + 3, '/') : NULL;
	if (at && colon && colon < at && (!slash || at < slash))
		memmove(colon + 4, at, strlen(at) + 1),
		    memcpy(colon, ":***", 4);
	char *pw = strstr(out, "password=");
	if (pw) {
		char *end = strchr(pw, '&');
		char *rest = end ? end : pw + strlen(pw);
		memmove(pw + 12, rest, strlen(rest) + 1);
		memcpy(pw + 9, "***", 3);
	}
}

void vg__pg_describe(const char *location, int rc, char *err, size_t errlen)
{
	char loc[400];
	if (!rc)
		return;
	redact(location, loc, sizeof(loc));
	if (rc == VG_ENOTFOUND)
		snprintf(err, errlen, "no store in '%s'", loc);
	else
		snprintf(err, errlen, "cannot open the store in '%s': %s", loc,
		         open_err[0] ? open_err : vg_strerror(rc));
}
