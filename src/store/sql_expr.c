/* The access rule's neutral expression (access.h) written as SQL that
 * SQLite and PostgreSQL both read (true and false, integers): the
 * store translates whatever core decides and adds no rule of its own.
 * Only integers from the expression are written, never text. */
#include "sql_expr.h"
#include "vigil/util/error.h"

static const char *const columns[] = {
	[VG_COL_OWNER] = "owner",
	[VG_COL_SCOPE] = "scope",
	[VG_COL_GRP] = "grp",
	[VG_COL_TLP] = "tlp",
	[VG_COL_CLASSIFICATION] = "classification",
	[VG_COL_ADDED] = "date_added",
};

static int node(const struct vg_access_expr *x, unsigned i, const char *a,
		struct vg_buf *sql)
{
	const struct vg_expr *e = &x->node[i];
	const char *dot = *a ? "." : "";
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
		return vg_buf_printf(sql, "%s%s%s %s %lld", a, dot, columns[e->col],
				     e->op == VG_X_EQ   ? "="
				     : e->op == VG_X_NE ? "!="
							: "<=",
				     (long long)e->value);
	case VG_X_IN:
		if (!e->n_set)
			return vg_buf_puts(sql, "false");
		rc = vg_buf_printf(sql, "%s%s%s IN (", a, dot, columns[e->col]);
		for (size_t k = 0; !rc && k < e->n_set; k++)
			rc = vg_buf_printf(sql, "%s%lld", k ? "," : "",
					   (long long)e->set[k]);
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
