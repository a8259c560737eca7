/* The console's search clauses that read an object's JSON text (objects.h:
 * words, label, marking, ref), decided on the parsed text. Shared by the
 * backends that do not decide them in their query language: the memory
 * backend, and PostgreSQL (whose JSON functions refuse a text holding a
 * \u escape of a non-ASCII character in the hub's SQL_ASCII database). */
#ifndef VIGIL_STORE_SEARCH_JSON_H
#define VIGIL_STORE_SEARCH_JSON_H

#include <stddef.h>

#include "vigil/store/objects.h"

/* 1 when q names such a clause. */
int vg__search_json_any(const struct vg_query *q);
/* 1 when the JSON text json (len bytes) meets every such clause of q, as
 * SQLite's search_where decides them (sqlite_objects.c); 0 otherwise, and
 * when the text cannot be parsed. */
int vg__search_json(const struct vg_query *q, const char *json, size_t len);

#endif
