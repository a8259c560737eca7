/* The access rule's expression as SQL for both backends (sql_expr.c). */
#ifndef VIGIL_STORE_SQL_EXPR_H
#define VIGIL_STORE_SQL_EXPR_H

#include "vigil/access/access.h"
#include "vigil/util/buf.h"

/* Append x as a parenthesised SQL condition on the columns of alias
 * ("o": o.owner, ...; "" or NULL: bare names). Only integers from x are
 * written, never text. */
int vg__sql_expr(const struct vg_access_expr *x, const char *alias,
		 struct vg_buf *sql);

#endif
