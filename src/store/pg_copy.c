/* Copying a hub's tables out of and into PostgreSQL (copy.h): out with a
 * cursor, in with COPY ... FROM STDIN, both in the caller's transaction. */
#include "pg_int.h"
#include "vigil/store/copy.h"

#include <stdlib.h>
#include <string.h>

typedef struct vg__pg pg_t;

enum { MAX_COLS = 32, FETCH = 5000, FLUSH = 1 << 16 };

static int hexval(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
	                              : -1;
}

/* One row of r as values (blobs decoded into blob, reals rewritten). */
static int row_values(const struct vg_store_table *t, PGresult *r, int row,
                      struct vg_store_value *v, char num[][32],
                      struct vg_buf *blob)
{
	size_t n = strlen(t->types);
	size_t at[MAX_COLS] = {0};
	vg_buf_reset(blob);
	for (size_t i = 0; i < n; i++) {
		int c = (int)i;
		memset(&v[i], 0, sizeof(v[i]));
		if (PQgetisnull(r, row, c)) {
			v[i].null = 1;
			continue;
		}
		const char *s = PQgetvalue(r, row, c);
		size_t len = (size_t)PQgetlength(r, row, c);
		if (t->types[i] == 'b') {
			/* "\x" and hex digits */
			at[i] = blob->len;
			for (size_t k = 2; k + 1 < len; k += 2) {
				int hi = hexval(s[k]), lo = hexval(s[k + 1]);
				if (hi < 0 || lo < 0)
					return VG_ESTORE;
				if (vg_buf_putc(blob, (char)(hi << 4 | lo)))
					return VG_ENOMEM;
			}
			v[i].len = blob->len - at[i];
		} else if (t->types[i] == 'r') {
			snprintf(num[i], 32, "%.17g", strtod(s, NULL));
			v[i].p = num[i];
			v[i].len = strlen(num[i]);
		} else {
			v[i].p = s;
			v[i].len = len;
		}
	}
	/* the buffer has stopped moving: point into it */
	for (size_t i = 0; i < n; i++)
		if (t->types[i] == 'b' && !v[i].null)
			v[i].p = blob->len ? blob->data + at[i] : "";
	return VG_OK;
}

/* The type letter (copy.h) of a column of PostgreSQL type oid. */
static char letter_of(Oid oid)
{
	switch (oid) {
	case 20: /* int8 */
	case 21: /* int2 */
	case 23: /* int4 */
		return 'i';
	case 700: /* float4 */
	case 701: /* float8 */
		return 'r';
	case 17: /* bytea */
		return 'b';
	default:
		return 't';
	}
}

/* A value read as another type would be changed: the copy list is wrong,
 * and the copy must not go on. */
static int check_types(pg_t *p, const struct vg_store_table *t, PGresult *r)
{
	static const char *const names[] = {
	    ['i'] = "an integer", ['r'] = "a real", ['b'] = "a blob",
	    ['t'] = "a text"};
	for (int c = 0; c < PQnfields(r); c++) {
		char have = letter_of(PQftype(r, c));
		if (have == t->types[c])
			continue;
		snprintf(p->err, sizeof(p->err),
		         "table '%s' column '%s' holds %s where the copy list"
		         " says %s",
		         t->name, PQfname(r, c), names[(unsigned char)have],
		         names[(unsigned char)t->types[c]]);
		return VG_ESTORE;
	}
	return VG_OK;
}

static int pg_rows(struct vg_store *s, const struct vg_store_table *t,
                   vg_store_row_cb cb, void *ud)
{
	pg_t *p = vg__pg(s);
	struct vg_buf sql, blob;
	struct vg_store_value v[MAX_COLS];
	char num[MAX_COLS][32];
	size_t n = strlen(t->types);
	int rc, own = 0;
	if (n > MAX_COLS)
		return VG_EINVAL;
	vg_buf_init(&sql, 0);
	vg_buf_init(&blob, 0);
	if (!p->in_tx) {
		if ((rc = vg__pg_exec(
		         p, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")))
			goto out;
		own = 1;
		p->in_tx = 2;
	}
	rc = vg_buf_printf(&sql,
	                   "DECLARE vg_copy NO SCROLL CURSOR FOR SELECT %s"
	                   " FROM %s ORDER BY %s",
	                   t->cols, t->name, t->order);
	if (!rc)
		rc = vg__pg_exec(p, sql.data);
	while (!rc) {
		PGresult *r = PQexec(p->conn, "FETCH 5000 FROM vg_copy");
		if (!r || PQresultStatus(r) != PGRES_TUPLES_OK) {
			rc = vg__pg_fail(p, t->name, r);
			PQclear(r);
			break;
		}
		int rows = PQntuples(r);
		rc = check_types(p, t, r);
		for (int i = 0; !rc && i < rows; i++) {
			rc = row_values(t, r, i, v, num, &blob);
			if (!rc)
				rc = cb(ud, v, n);
		}
		PQclear(r);
		if (rows < FETCH)
			break;
	}
	PQclear(PQexec(p->conn, "CLOSE vg_copy"));
	if (own) {
		PQclear(PQexec(p->conn, "COMMIT"));
		p->in_tx = 0;
	}
out:
	vg_buf_release(&sql);
	vg_buf_release(&blob);
	return rc;
}

/* COPY's text form of one value into b. */
static int put_value(struct vg_buf *b, char type,
                     const struct vg_store_value *v)
{
	static const char hex[] = "0123456789abcdef";
	int rc = VG_OK;
	if (v->null)
		return vg_buf_puts(b, "\\N");
	if (type == 'b') {
		rc = vg_buf_puts(b, "\\\\x");
		for (size_t i = 0; !rc && i < v->len; i++) {
			unsigned char c = (unsigned char)v->p[i];
			char two[2] = {hex[c >> 4], hex[c & 15]};
			rc = vg_buf_append(b, two, 2);
		}
		return rc;
	}
	for (size_t i = 0; !rc && i < v->len; i++) {
		char c = v->p[i];
		const char *esc = c == '\\'   ? "\\\\"
		                  : c == '\t' ? "\\t"
		                  : c == '\n' ? "\\n"
		                  : c == '\r' ? "\\r"
		                              : NULL;
		rc = esc ? vg_buf_puts(b, esc) : vg_buf_putc(b, c);
	}
	return rc;
}

/* The COPY under way: its table and the lines not yet sent. */
struct load {
	const struct vg_store_table *t;
	struct vg_buf lines;
};

static int flush(pg_t *p, struct vg_buf *b)
{
	if (!b->len)
		return VG_OK;
	if (PQputCopyData(p->conn, b->data, (int)b->len) != 1)
		return vg__pg_fail(p, "copy", NULL);
	vg_buf_reset(b);
	return VG_OK;
}

static int pg_load_begin(struct vg_store *s, const struct vg_store_table *t)
{
	pg_t *p = vg__pg(s);
	struct vg_buf sql;
	int rc;
	if (p->load)
		return VG_EINVAL;
	if ((rc = vg__pg_drain(p)))
		return rc;
	struct load *l = calloc(1, sizeof(*l));
	if (!l)
		return VG_ENOMEM;
	l->t = t;
	vg_buf_init(&l->lines, 0);
	vg_buf_init(&sql, 0);
	rc = vg_buf_printf(&sql, "COPY %s (%s) FROM STDIN", t->name, t->cols);
	PGresult *r = rc ? NULL : PQexec(p->conn, sql.data);
	if (!rc && (!r || PQresultStatus(r) != PGRES_COPY_IN))
		rc = vg__pg_fail(p, t->name, r);
	PQclear(r);
	vg_buf_release(&sql);
	if (rc) {
		vg_buf_release(&l->lines);
		free(l);
		return rc;
	}
	p->load = l;
	return VG_OK;
}

static int pg_load_row(struct vg_store *s, const struct vg_store_value *v,
                       size_t n)
{
	pg_t *p = vg__pg(s);
	struct load *l = p->load;
	int rc = VG_OK;
	if (!l || n != strlen(l->t->types))
		return VG_EINVAL;
	for (size_t i = 0; !rc && i < n; i++) {
		if (i)
			rc = vg_buf_putc(&l->lines, '\t');
		if (!rc)
			rc = put_value(&l->lines, l->t->types[i], &v[i]);
	}
	if (!rc)
		rc = vg_buf_putc(&l->lines, '\n');
	if (!rc && l->lines.len >= FLUSH)
		rc = flush(p, &l->lines);
	return rc;
}

static int pg_load_end(struct vg_store *s)
{
	pg_t *p = vg__pg(s);
	struct load *l = p->load;
	int rc;
	if (!l)
		return VG_EINVAL;
	rc = flush(p, &l->lines);
	if (PQputCopyEnd(p->conn, rc ? "failed" : NULL) != 1 && !rc)
		rc = vg__pg_fail(p, "copy end", NULL);
	PGresult *r;
	while ((r = PQgetResult(p->conn))) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK && !rc)
			rc = vg__pg_fail(p, l->t->name, r);
		PQclear(r);
	}
	vg_buf_release(&l->lines);
	free(l);
	p->load = NULL;
	return rc;
}

void vg__pg_copy_abandon(struct vg__pg *p)
{
	struct load *l = p->load;
	if (!l)
		return;
	PQputCopyEnd(p->conn, "abandoned");
	vg_buf_release(&l->lines);
	free(l);
	p->load = NULL;
}

const struct vg_store_copy_ops vg__pg_copy_ops = {
    .rows = pg_rows,
    .load_begin = pg_load_begin,
    .load_row = pg_load_row,
    .load_end = pg_load_end,
};
