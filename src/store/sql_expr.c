/* The access rule's neutral expression (access.h) written as SQL that
 * SQLite and PostgreSQL both read (true and false, integers): the
 * store translates whatever core decides and adds no rule of its own.
 * Only integers from the expression are written, never text. */
#include "sql_expr.h"
#include "vigil/store/store.h"
#include "vigil/util/error.h"

static const char *const columns[] = {
	[VG_COL_OWNER] = "owner",
	[VG_COL_SCOPE] = "scope",
	[VG_COL_GRP] = "grp",
	[VG_COL_TLP] = "tlp",
	[VG_COL_CLASSIFICATION] = "classification",
	[VG_COL_ADDED] = "date_added",
};

/* "alias.column", or the column alone without an alias */
static int column(struct vg_buf *sql, const char *a, enum vg_col col)
{
	int rc = VG_OK;
	if (*a) {
		rc = vg_buf_puts(sql, a);
		if (!rc)
			rc = vg_buf_putc(sql, '.');
	}
	return rc ? rc : vg_buf_puts(sql, columns[col]);
}

static int node(const struct vg_access_expr *x, unsigned i, const char *a,
		struct vg_buf *sql)
{
	const struct vg_expr *e = &x->node[i];
	int rc = VG_OK;
	if (i >= x->n)
		return VG_EINVAL;
	switch (e->op) {
	case VG_X_TRUE:
		return vg_buf_puts(sql, "true");
	case VG_X_FALSE:
		return vg_buf_puts(sql, "false");
	case VG_X_AND:
	case VG_X_OR:
		rc = vg_buf_putc(sql, '(');
		for (unsigned k = 0; !rc && k < e->n; k++) {
			if (k)
				rc = vg_buf_puts(sql, e->op == VG_X_AND ? " AND " : " OR ");
			if (!rc)
				rc = node(x, e->first + k, a, sql);
		}
		if (!rc && !e->n)
			rc = vg_buf_puts(sql, e->op == VG_X_AND ? "true" : "false");
		return rc ? rc : vg_buf_putc(sql, ')');
	case VG_X_EQ:
	case VG_X_NE:
	case VG_X_LE:
	case VG_X_IN:
		if (e->op == VG_X_IN && !e->n_set)
			return vg_buf_puts(sql, "false");
		rc = column(sql, a, e->col);
		if (!rc)
			rc = vg_buf_puts(sql, e->op == VG_X_EQ   ? " = "
					     : e->op == VG_X_NE ? " != "
					     : e->op == VG_X_LE ? " <= "
								: " IN (");
		if (e->op != VG_X_IN)
			return rc ? rc : vg_buf_put_int(sql, (long long)e->value);
		for (size_t k = 0; !rc && k < e->n_set; k++) {
			if (k)
				rc = vg_buf_putc(sql, ',');
			if (!rc)
				rc = vg_buf_put_int(sql, (long long)e->set[k]);
		}
		return rc ? rc : vg_buf_putc(sql, ')');
	}
	return VG_EINVAL;
}

int vg__sql_expr(const struct vg_access_expr *x, const char *alias,
		struct vg_buf *sql)
{
	int rc = vg_buf_putc(sql, '(');
	if (!rc)
		rc = node(x, 0, alias ? alias : "", sql);
	return rc ? rc : vg_buf_putc(sql, ')');
}

int vg__sql_versions(const struct vg_query *qy, struct vg_buf *sql, char mark,
		     int (*param)(void *ud, const char *text), void *ud)
{
	unsigned v = qy->versions ? qy->versions : VG_VERSIONS_LAST;
	const char *sep = "";
	if (v & VG_VERSIONS_ALL)
		return VG_OK;
	int rc = vg_buf_puts(sql, " AND (");
	for (int k = 0; !rc && k < 2; k++) {
		if (!(v & (k ? VG_VERSIONS_FIRST : VG_VERSIONS_LAST)))
			continue;
		if (!k && qy->collection) {
			rc = vg_buf_printf(sql, "%so.latest = 1", sep);
			sep = " OR ";
		}
		if (!rc)
			rc = vg_buf_printf(sql,
					   "%so.version = (SELECT %s(v.version)"
					   " FROM objects v WHERE v.id = o.id%s"
					   " AND ",
					   sep, k ? "MIN" : "MAX",
					   qy->collection
						   ? " AND v.collection = o.collection"
						   : "");
		if (!rc)
			rc = vg__sql_expr(qy->visible, "v", sql);
		if (!rc)
			rc = vg_buf_putc(sql, ')');
		sep = " OR ";
	}
	if (!rc && (v & VG_VERSIONS_LIST)) {
		rc = vg_buf_printf(sql, "%so.version IN (", sep);
		for (size_t i = 0; !rc && i < qy->n_version_keys; i++)
			rc = vg_buf_printf(sql, "%s%c%d", i ? "," : "", mark,
					   param(ud, qy->version_keys[i]));
		/* an empty list matches nothing */
		if (!rc && !qy->n_version_keys)
			rc = vg_buf_puts(sql, "NULL");
		if (!rc)
			rc = vg_buf_putc(sql, ')');
		sep = " OR ";
	}
	if (!rc && !*sep)
		rc = vg_buf_puts(sql, "false"); /* no version asked */
	return rc ? rc : vg_buf_putc(sql, ')');
}
