/* Copying a hub's tables out of and into SQLite (copy.h). */
#include "sqlite_int.h"
#include "vigil/store/copy.h"

#include <stdlib.h>
#include <string.h>

typedef struct vg__sq sq_t;

enum { MAX_COLS = 32 };

static int select_sql(const struct vg_store_table *t, struct vg_buf *b)
{
	return vg_buf_printf(b, "SELECT %s FROM %s ORDER BY %s", t->cols,
	                     t->name, t->order);
}

/* The storage class a column of type letter l holds (copy.h). */
static int class_of(char l)
{
	return l == 'i'   ? SQLITE_INTEGER
	       : l == 'r' ? SQLITE_FLOAT
	       : l == 'b' ? SQLITE_BLOB
	                  : SQLITE_TEXT;
}

static const char *const class_names[] = {
    [SQLITE_INTEGER] = "an integer", [SQLITE_FLOAT] = "a real",
    [SQLITE_TEXT] = "a text",        [SQLITE_BLOB] = "a blob",
    [SQLITE_NULL] = "NULL",
};

/* Column c of t, by its name in t->cols, into out. */
static void col_name(const struct vg_store_table *t, int c, char *out,
                     size_t n)
{
	const char *p = t->cols;
	for (int i = 0; i < c && p; i++)
		if ((p = strchr(p, ',')))
			p++;
	size_t len = p ? strcspn(p, ",") : 0;
	snprintf(out, n, "%.*s", (int)len, p ? p : "");
}

static int sq_rows(struct vg_store *s, const struct vg_store_table *t,
                   vg_store_row_cb cb, void *ud)
{
	sq_t *q = vg__sq(s);
	struct vg_buf sql;
	sqlite3_stmt *st = NULL;
	size_t n = strlen(t->types);
	char num[MAX_COLS][32];
	struct vg_store_value v[MAX_COLS];
	int rc, step;
	if (n > MAX_COLS)
		return VG_EINVAL;
	vg_buf_init(&sql, 0);
	rc = select_sql(t, &sql);
	if (!rc)
		rc = vg__sq_prepare(q, &st, sql.data);
	vg_buf_release(&sql);
	if (rc)
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		for (size_t i = 0; i < n; i++) {
			int c = (int)i;
			memset(&v[i], 0, sizeof(v[i]));
			int have = sqlite3_column_type(st, c);
			if (have == SQLITE_NULL) {
				v[i].null = 1;
				continue;
			}
			/* a value copied as another type would be changed: the
			 * copy list is wrong, the copy must not go on */
			if (have != class_of(t->types[i])) {
				char col[64];
				col_name(t, c, col, sizeof(col));
				snprintf(q->err, sizeof(q->err),
				         "table '%s' column '%s' holds %s where "
				         "the copy list says %s",
				         t->name, col, class_names[have],
				         class_names[class_of(t->types[i])]);
				rc = VG_ESTORE;
				goto out;
			}
			switch (t->types[i]) {
			case 'i':
				snprintf(
				    num[i], sizeof(num[i]), "%lld",
				    (long long)sqlite3_column_int64(st, c));
				v[i].p = num[i];
				v[i].len = strlen(num[i]);
				break;
			case 'r':
				snprintf(num[i], sizeof(num[i]), "%.17g",
				         sqlite3_column_double(st, c));
				v[i].p = num[i];
				v[i].len = strlen(num[i]);
				break;
			case 'b':
				v[i].p = sqlite3_column_blob(st, c);
				v[i].len = (size_t)sqlite3_column_bytes(st, c);
				break;
			default:
				v[i].p =
				    (const char *)sqlite3_column_text(st, c);
				v[i].len = (size_t)sqlite3_column_bytes(st, c);
			}
			if (!v[i].p)
				v[i].p = "";
		}
		if ((rc = cb(ud, v, n)))
			break;
	}
	if (!rc && step != SQLITE_DONE)
		rc = vg__sq_fail(q, t->name);
out:
	sqlite3_finalize(st);
	return rc;
}

static int sq_load_begin(struct vg_store *s, const struct vg_store_table *t)
{
	sq_t *q = vg__sq(s);
	struct vg_buf sql;
	size_t n = strlen(t->types);
	int rc;
	vg_buf_init(&sql, 0);
	rc = vg_buf_printf(&sql, "INSERT INTO %s (%s) VALUES (", t->name,
	                   t->cols);
	for (size_t i = 0; !rc && i < n; i++)
		rc = vg_buf_puts(&sql, i ? ",?" : "?");
	if (!rc)
		rc = vg_buf_putc(&sql, ')');
	sqlite3_finalize(q->load);
	q->load = NULL;
	if (!rc)
		rc = vg__sq_prepare(q, &q->load, sql.data);
	vg_buf_release(&sql);
	q->load_table = t;
	return rc;
}

static int sq_load_row(struct vg_store *s, const struct vg_store_value *v,
                       size_t n)
{
	sq_t *q = vg__sq(s);
	const struct vg_store_table *t = q->load_table;
	sqlite3_stmt *st = q->load;
	char num[32];
	if (!st || n != strlen(t->types))
		return VG_EINVAL;
	for (size_t i = 0; i < n; i++) {
		int c = (int)i + 1;
		if (v[i].null) {
			sqlite3_bind_null(st, c);
			continue;
		}
		switch (t->types[i]) {
		case 'i':
		case 'r':
			snprintf(num, sizeof(num), "%.*s", (int)v[i].len,
			         v[i].p);
			if (t->types[i] == 'i')
				sqlite3_bind_int64(st, c,
				                   strtoll(num, NULL, 10));
			else
				sqlite3_bind_double(st, c, strtod(num, NULL));
			break;
		case 'b':
			sqlite3_bind_blob(st, c, v[i].p, (int)v[i].len,
			                  SQLITE_TRANSIENT);
			break;
		default:
			sqlite3_bind_text(st, c, v[i].p, (int)v[i].len,
			                  SQLITE_TRANSIENT);
		}
	}
	int step = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return step == SQLITE_DONE ? VG_OK : vg__sq_fail(q, t->name);
}

static int sq_load_end(struct vg_store *s)
{
	sq_t *q = vg__sq(s);
	sqlite3_finalize(q->load);
	q->load = NULL;
	q->load_table = NULL;
	return VG_OK;
}

const struct vg_store_copy_ops vg__sq_copy_ops = {
    .rows = sq_rows,
    .load_begin = sq_load_begin,
    .load_row = sq_load_row,
    .load_end = sq_load_end,
};
