/* Statements on a PostgreSQL connection (pg.c has the connection and
 * the transactions): each prepared once per connection and kept by its
 * text, run at once or, inside a write transaction, queued in libpq's
 * pipeline with those after it; a read outside a transaction on a lost
 * connection is tried once more on a new one. */
#include "pg_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct vg__pg pg_t;

void vg__pg_cache_clear(struct vg__pg *p)
{
	for (unsigned i = 0; i < VG__PG_CACHE; i++) {
		free(p->cache[i].sql);
		p->cache[i].sql = NULL;
	}
}

int vg__pg_exec(struct vg__pg *p, const char *sql)
{
	vg__pg_ahead_forget(p);
	int rc = vg__pg_ensure(p);
	if (!rc)
		rc = vg__pg_batch_flush(p);
	if (!rc)
		rc = vg__pg_drain_last(p, NULL);
	if (rc)
		return rc;
	PGresult *r = PQexec(p->conn, sql);
	ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		rc = vg__pg_fail(p, sql, r);
	PQclear(r);
	return rc;
}

static uint64_t sql_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* 1 when sql is prepared on this connection (its name in *name). */
static int cached(pg_t *p, const char *sql, const char **name)
{
	uint64_t h = sql_hash(sql);
	for (unsigned i = 0; i < VG__PG_CACHE; i++) {
		if (p->cache[i].sql && p->cache[i].hash == h &&
		    !strcmp(p->cache[i].sql, sql)) {
			*name = p->cache[i].name;
			return 1;
		}
	}
	return 0;
}

/* The name of the statement prepared for sql (prepared now if needed). */
static int prepared(pg_t *p, const char *sql, const char **name)
{
	unsigned i;
	if (cached(p, sql, name))
		return VG_OK;
	i = p->next_slot++ % VG__PG_CACHE;
	char *copy = strdup(sql);
	if (!copy)
		return VG_ENOMEM;
	if (p->cache[i].sql) {
		/* the slot's old statement goes */
		char dealloc[48];
		snprintf(dealloc, sizeof(dealloc), "DEALLOCATE %s",
		         p->cache[i].name);
		PQclear(PQexec(p->conn, dealloc));
		free(p->cache[i].sql);
		p->cache[i].sql = NULL;
	}
	snprintf(p->cache[i].name, sizeof(p->cache[i].name), "vg%u",
	         ++p->serial);
	PGresult *r = PQprepare(p->conn, p->cache[i].name, sql, 0, NULL);
	if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
		int rc = vg__pg_fail(p, "prepare", r);
		PQclear(r);
		free(copy);
		return rc;
	}
	PQclear(r);
	p->cache[i].sql = copy;
	p->cache[i].hash = sql_hash(sql);
	*name = p->cache[i].name;
	return VG_OK;
}

static int lost(pg_t *p)
{
	return PQstatus(p->conn) != CONNECTION_OK;
}

/* Collect the results of the commands queued in the pipeline (and sync
 * it): the first failure, or VG_OK. *last (may be NULL) gets the result of
 * the last command queued. The pipeline is left. */
int vg__pg_drain_last(struct vg__pg *p, PGresult **last)
{
	int rc = VG_OK, nulls = 0;
	PGresult *keep = NULL;
	if (!p->piped)
		return VG_OK;
	if (PQpipelineSync(p->conn) != 1)
		rc = vg__pg_fail(p, "pipeline", NULL);
	while (!rc || PQstatus(p->conn) == CONNECTION_OK) {
		PGresult *r = PQgetResult(p->conn);
		if (!r) {
			/* between the results of two commands; a broken
			 * connection gives nothing more */
			if (PQstatus(p->conn) != CONNECTION_OK ||
			    ++nulls > p->piped + 1) {
				if (!rc)
					rc = vg__pg_fail(p, "pipeline", NULL);
				break;
			}
			continue;
		}
		ExecStatusType st = PQresultStatus(r);
		if (st == PGRES_PIPELINE_SYNC) {
			PQclear(r);
			break;
		}
		if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && !rc)
			rc = vg__pg_fail(p, "queued statement", r);
		PQclear(keep);
		keep = r;
	}
	p->piped = 0;
	PQexitPipelineMode(p->conn);
	if (last && !rc)
		*last = keep;
	else
		PQclear(keep);
	return rc;
}

int vg__pg_drain(struct vg__pg *p)
{
	int rc = vg__pg_batch_flush(p);
	return rc ? rc : vg__pg_drain_last(p, NULL);
}

/* Queue a statement without parameters (savepoints) in the pipeline. */
int vg__pg_queue_plain(struct vg__pg *p, const char *sql)
{
	vg__pg_ahead_forget(p);
	if (!p->piped && PQenterPipelineMode(p->conn) != 1)
		return vg__pg_fail(p, "pipeline", NULL);
	if (PQsendQueryParams(p->conn, sql, 0, NULL, NULL, NULL, NULL, 0) !=
	    1) {
		int rc = vg__pg_fail(p, sql, NULL);
		p->piped++;
		vg__pg_drain_last(p, NULL);
		return rc;
	}
	p->piped++;
	return VG_OK;
}

/* Run (or with queue, inside a write transaction, only send) a prepared
 * statement. A statement run while others are queued goes through the
 * pipeline after them: one round trip for all. */
static int run_args(pg_t *p, PGresult **res, const char *sql, int n,
                    struct vg__pg_arg *args, int queue)
{
	const char *vals_s[32], **vals = vals_s;
	int lens_s[32], fmts_s[32], *lens = lens_s, *fmts = fmts_s;
	int rc;
	vg__pg_ahead_forget(p); /* read before this statement */
	if (n > 32) {
		vals = malloc(n * sizeof(*vals));
		lens = malloc(n * sizeof(*lens));
		fmts = malloc(n * sizeof(*fmts));
		if (!vals || !lens || !fmts) {
			rc = VG_ENOMEM;
			goto out;
		}
	}
	for (int i = 0; i < n; i++) {
		vals[i] = args[i].p;
		lens[i] = args[i].len;
		fmts[i] = args[i].binary;
	}
	queue = queue && p->in_tx == 1;
	/* rows gathered go first: whatever this statement is sees them */
	if ((rc = vg__pg_batch_flush(p)))
		goto out;
	for (int attempt = 0;; attempt++) {
		const char *name = NULL;
		PGresult *r = NULL;
		rc = vg__pg_ensure(p);
		if (!rc && !cached(p, sql, &name) && p->piped)
			rc = vg__pg_drain_last(
			    p, NULL); /* preparing is not pipelined */
		if (!rc)
			rc = prepared(p, sql, &name);
		if (!rc && (queue || p->piped)) {
			if (!p->piped && PQenterPipelineMode(p->conn) != 1) {
				rc = vg__pg_fail(p, "pipeline", NULL);
				goto out;
			}
			if (PQsendQueryPrepared(p->conn, name, n, vals, lens,
			                        fmts, 0) != 1) {
				rc = vg__pg_fail(p, "queue", NULL);
				p->piped++;
				vg__pg_drain_last(p, NULL);
				goto out;
			}
			p->piped++;
			/* a bounded queue: failures are found soon enough */
			if (queue && p->piped < 512)
				goto out;
			rc = vg__pg_drain_last(p, queue ? NULL : &r);
			if (rc || queue) {
				PQclear(r);
				goto out;
			}
		} else if (!rc) {
			r = PQexecPrepared(p->conn, name, n, vals, lens, fmts,
			                   0);
		}
		if (!rc) {
			ExecStatusType st =
			    r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
			if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
				if (res)
					*res = r;
				else
					PQclear(r);
				rc = VG_OK;
				goto out;
			}
			const char *state =
			    r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
			if (state && !strcmp(state, "23505")) {
				snprintf(p->err, sizeof(p->err), "%s",
				         "duplicate");
				PQclear(r);
				rc = VG_EDUPLICATE;
				goto out;
			}
			if (state && !strcmp(state, "26000")) {
				/* the statement is not on this session (a
				 * pooler or a DISCARD): prepare anew */
				vg__pg_cache_clear(p);
			}
			rc = vg__pg_fail(p, "query", r);
			PQclear(r);
		}
		/* a read outside a transaction may be tried again on a new
		 * connection: nothing of it happened */
		if (attempt || p->in_tx || !lost(p))
			break;
	}
out:
	if (vals != vals_s) {
		free(vals);
		free(lens);
		free(fmts);
	}
	return rc;
}

int vg__pg_prepare(struct vg__pg *p, const char *sql)
{
	const char *name;
	int rc = VG_OK;
	if (cached(p, sql, &name))
		return VG_OK;
	if (p->piped)
		rc = vg__pg_drain_last(p, NULL); /* preparing is not pipelined */
	return rc ? rc : prepared(p, sql, &name);
}

int vg__pg_send_first(struct vg__pg *p, const char *sql, int n,
                      struct vg__pg_arg *args, int *pos)
{
	const char *vals[4], *name;
	int lens[4], fmts[4], rc;
	vg__pg_ahead_forget(p);
	if (n > 4 || p->in_tx != 1)
		return VG_EINVAL;
	/* room for the statements that follow it without a wait (a full
	 * queue is waited for, which would read this result too) */
	if (p->piped > 256 && (rc = vg__pg_drain_last(p, NULL)))
		return rc;
	if ((rc = vg__pg_prepare(p, sql)) || !cached(p, sql, &name))
		return rc ? rc : VG_ESTORE;
	for (int i = 0; i < n; i++) {
		vals[i] = args[i].p;
		lens[i] = args[i].len;
		fmts[i] = args[i].binary;
	}
	if (!p->piped && PQenterPipelineMode(p->conn) != 1)
		return vg__pg_fail(p, "pipeline", NULL);
	if (PQsendQueryPrepared(p->conn, name, n, vals, lens, fmts, 0) != 1) {
		rc = vg__pg_fail(p, "queue", NULL);
		p->piped++;
		vg__pg_drain_last(p, NULL);
		return rc;
	}
	*pos = ++p->piped;
	/* the server sends what it has as soon as it gets here */
	if (PQsendFlushRequest(p->conn) != 1 || PQflush(p->conn) < 0) {
		rc = vg__pg_fail(p, "flush", NULL);
		vg__pg_drain_last(p, NULL);
		return rc;
	}
	return VG_OK;
}

int vg__pg_take(struct vg__pg *p, int pos, PGresult **out)
{
	PGresult *keep = NULL;
	int rc = VG_OK;
	if (pos < 1 || pos > p->piped)
		return VG_EINVAL;
	for (int i = 1; i <= pos; i++) {
		PGresult *r, *first = NULL;
		while ((r = PQgetResult(p->conn))) {
			if (first)
				PQclear(r);
			else
				first = r;
		}
		ExecStatusType st =
		    first ? PQresultStatus(first) : PGRES_FATAL_ERROR;
		if (!rc && st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
			rc = vg__pg_fail(p, i < pos ? "queued statement" : "query",
			                 first);
		if (i == pos && !rc)
			keep = first;
		else
			PQclear(first);
		if (!first && PQstatus(p->conn) != CONNECTION_OK)
			break;
	}
	p->piped -= pos;
	if (rc || !p->piped) {
		/* a failure aborts what follows: sync now (its message is
		 * the one kept); nothing left: leave the pipeline */
		char why[sizeof(p->err)];
		memcpy(why, p->err, sizeof(why));
		p->piped++; /* the sync's own result */
		int d = vg__pg_drain_last(p, NULL);
		if (rc)
			memcpy(p->err, why, sizeof(why));
		rc = rc ? rc : d;
	}
	if (rc) {
		PQclear(keep);
		return rc;
	}
	*out = keep;
	return VG_OK;
}

int vg__pg_runv(struct vg__pg *p, PGresult **res, const char *sql, int n,
                struct vg__pg_arg *args)
{
	return run_args(p, res, sql, n, args, 0);
}

int vg__pg_queuev(struct vg__pg *p, const char *sql, int n,
                  struct vg__pg_arg *args)
{
	return run_args(p, NULL, sql, n, args, 1);
}

static int run_fmt(pg_t *p, PGresult **res, const char *sql, int queue,
                   const char *fmt, va_list ap)
{
	struct vg__pg_arg args[24];
	int n = 0;
	for (; fmt && *fmt && n < 24; fmt++, n++) {
		struct vg__pg_arg *a = &args[n];
		memset(a, 0, sizeof(*a));
		switch (*fmt) {
		case 't':
			a->p = va_arg(ap, const char *);
			break;
		case 'i':
			snprintf(a->num, sizeof(a->num), "%lld",
			         (long long)va_arg(ap, int64_t));
			a->p = a->num;
			break;
		case 'd':
			snprintf(a->num, sizeof(a->num), "%.17g",
			         va_arg(ap, double));
			a->p = a->num;
			break;
		case 'b':
		case 's':
			a->p = va_arg(ap, const char *);
			a->len = *fmt == 'b' ? VG_HASH_LEN : VG_SIG_LEN;
			a->binary = 1;
			break;
		case 'n':
			a->p = va_arg(ap, const char *);
			a->len = (int)va_arg(ap, size_t);
			a->binary = 1;
			break;
		}
	}
	return run_args(p, res, sql, n, args, queue);
}

int vg__pg_run(struct vg__pg *p, PGresult **res, const char *sql,
               const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = run_fmt(p, res, sql, 0, fmt, ap);
	va_end(ap);
	return rc;
}

int vg__pg_queue(struct vg__pg *p, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = run_fmt(p, NULL, sql, 1, fmt, ap);
	va_end(ap);
	return rc;
}
