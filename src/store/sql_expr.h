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

struct vg_query;
/* The versions an objects query keeps (" AND (...)"; nothing when it
 * keeps every version): the newest and the first the reader may see
 * (qy->visible), and those listed. In one collection the row flagged
 * latest is the newest there, so the newest the reader may see when the
 * reader may see it: its subquery is skipped. Each listed version is a
 * text parameter that param(ud, text) takes and numbers, written after
 * mark ('$' PostgreSQL, '?' SQLite). */
int vg__sql_versions(const struct vg_query *qy, struct vg_buf *sql, char mark,
		     int (*param)(void *ud, const char *text), void *ud);

#endif
