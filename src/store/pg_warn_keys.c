/* Early warning's key index in PostgreSQL (store/warn.h), as in SQLite
 * (sqlite_warn*.c): warn_keys ordered by key then version, warn_refs the
 * keys vg_warn_key_hashed names as a 63-bit hash found by exact key only;
 * the counts of keys and the trends. */
#include "pg_int.h"
#include "warn_rows.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct vg__pg pg_t;

/* The keys of a version go in with the batch of the write transaction
 * (pg_batch.c); outside one, by statements of up to 8 rows. Row i is
 * ($i, $k+1) for k rows. */
#define ADD(t, c) "INSERT INTO " t " (" c ", added) VALUES "
#define END " ON CONFLICT DO NOTHING"
#define ROWS8(t, c)                                                            \
	{                                                                      \
		ADD(t, c)                                                      \
		"($1,$2)" END, ADD(t, c) "($1,$3),($2,$3)" END,                \
		    ADD(t, c) "($1,$4),($2,$4),($3,$4)" END,                   \
		    ADD(t, c) "($1,$5),($2,$5),($3,$5),($4,$5)" END,           \
		    ADD(t, c) "($1,$6),($2,$6),($3,$6),($4,$6),($5,$6)" END,   \
		    ADD(t, c) "($1,$7),($2,$7),($3,$7),($4,$7),($5,$7),"       \
		              "($6,$7)" END,                                   \
		    ADD(t, c) "($1,$8),($2,$8),($3,$8),($4,$8),($5,$8),"       \
		              "($6,$8),($7,$8)" END,                           \
		    ADD(t, c) "($1,$9),($2,$9),($3,$9),($4,$9),($5,$9),"       \
		              "($6,$9),($7,$9),($8,$9)" END                    \
	}

static const char *const add_text[8] = ROWS8("warn_keys", "key");
static const char *const add_hash[8] = ROWS8("warn_refs", "h");

static int add_rows(pg_t *p, int64_t added, const char *const *keys, size_t n,
                    int hashed)
{
	int rc = VG_OK;
	if (p->in_tx == 1) {
		/* gathered with the object rows (pg_batch.c) */
		for (size_t i = 0; !rc && i < n; i++)
			rc = vg__pg_batch_key(p, keys[i],
			                      hashed ? vg__warn_key_hash(keys[i]) : 0,
			                      hashed, added);
		return rc;
	}
	for (size_t at = 0; !rc && at < n; at += 8) {
		size_t k = n - at < 8 ? n - at : 8;
		struct vg__pg_arg a[9];
		memset(a, 0, sizeof(a));
		for (size_t i = 0; i < k; i++) {
			if (hashed) {
				snprintf(a[i].num, sizeof(a[i].num), "%lld",
				         (long long)vg__warn_key_hash(keys[at + i]));
				a[i].p = a[i].num;
			} else {
				a[i].p = keys[at + i];
			}
		}
		snprintf(a[k].num, sizeof(a[k].num), "%lld", (long long)added);
		a[k].p = a[k].num;
		/* k is 1 to 8; "% 8" says so to the compiler's bounds check */
		rc = vg__pg_queuev(p, (hashed ? add_hash : add_text)[(k - 1) % 8],
		                   (int)k + 1, a);
	}
	return rc;
}

/* The keys split by table: v[0] texts, v[1] hashed (arrays of n, on the
 * stack up to 64). */
struct split {
	const char *stack[2][64];
	const char **v[2];
	size_t m[2];
};

static int split(struct split *x, const char *const *keys, size_t n)
{
	x->v[0] = x->stack[0];
	x->v[1] = x->stack[1];
	x->m[0] = x->m[1] = 0;
	if (n > 64) {
		x->v[0] = malloc(n * sizeof(char *));
		x->v[1] = malloc(n * sizeof(char *));
		if (!x->v[0] || !x->v[1]) {
			free(x->v[0]);
			free(x->v[1]);
			return VG_ENOMEM;
		}
	}
	for (size_t i = 0; i < n; i++) {
		int h = vg_warn_key_hashed(keys[i]);
		x->v[h][x->m[h]++] = keys[i];
	}
	return VG_OK;
}

static void split_free(struct split *x)
{
	if (x->v[0] != x->stack[0]) {
		free(x->v[0]);
		free(x->v[1]);
	}
}

int vg__pg_warn_keys_add(struct vg_store *s, int64_t added,
                         const char *const *keys, size_t n)
{
	struct split x;
	int rc = split(&x, keys, n);
	if (rc)
		return rc;
	rc = add_rows(vg__pg(s), added, x.v[0], x.m[0], 0);
	if (!rc)
		rc = add_rows(vg__pg(s), added, x.v[1], x.m[1], 1);
	split_free(&x);
	return rc;
}

/* keys_put sends PUT_ROWS rows a statement, as two arrays unnested: one
 * statement queued in the pipeline per chunk, whatever its size. */
enum { PUT_ROWS = 1000 };

/* One chunk of one table: keys (text) or hashes, and their versions, as
 * binary arrays unnested in the select list (pg_batch.c says why). A row
 * already stored is skipped. Rows strictly in order hold no two alike,
 * so in a write transaction a lookup of each in the index does (NOT
 * EXISTS: under the write lock no other writer adds rows meanwhile),
 * which costs the server a fifth less than ON CONFLICT's speculative
 * insertion; rows out of order, which the contract of keys_put excludes,
 * or outside a write transaction still go in by ON CONFLICT. */
static int put_chunk(pg_t *p, const struct vg_warn_keyrow *const *text,
                     const struct vg__hrow *hash, size_t n)
{
	static const char *const sql[2][2] = {
	    {"INSERT INTO warn_keys (key, added) SELECT unnest($1::text[]),"
	     " unnest($2::int8[]) ON CONFLICT DO NOTHING",
	     "INSERT INTO warn_refs (h, added) SELECT unnest($1::int8[]),"
	     " unnest($2::int8[]) ON CONFLICT DO NOTHING"},
	    {"INSERT INTO warn_keys (key, added) SELECT k, a FROM (SELECT"
	     " unnest($1::text[]) AS k, unnest($2::int8[]) AS a) r WHERE NOT"
	     " EXISTS (SELECT 1 FROM warn_keys w WHERE w.key = r.k AND"
	     " w.added = r.a)",
	     "INSERT INTO warn_refs (h, added) SELECT k, a FROM (SELECT"
	     " unnest($1::int8[]) AS k, unnest($2::int8[]) AS a) r WHERE NOT"
	     " EXISTS (SELECT 1 FROM warn_refs w WHERE w.h = r.k AND"
	     " w.added = r.a)"}};
	struct vg_buf keys, added;
	struct vg__pg_arg a[2];
	int rc = VG_OK, lookup = p->in_tx == 1;
	size_t m = 0;
	vg_buf_init(&keys, 0);
	vg_buf_init(&added, 0);
	for (size_t i = 0; !rc && i < n; i++) {
		int64_t when = hash ? hash[i].added : text[i]->added;
		if (i) {
			/* against the row before: <0 in order, 0 the same */
			int c = hash ? (hash[i - 1].h > hash[i].h) -
			                   (hash[i - 1].h < hash[i].h)
			             : strcmp(text[i - 1]->key, text[i]->key);
			int64_t was =
			    hash ? hash[i - 1].added : text[i - 1]->added;
			if (!c)
				c = (was > when) - (was < when);
			if (!c)
				continue; /* kept once */
			lookup &= c < 0;
		}
		if (hash)
			rc = vg__pg_arr_add(&keys, 'l', NULL, 0, hash[i].h);
		else
			rc = vg__pg_arr_add(&keys, 't', text[i]->key,
			                    strlen(text[i]->key), 0);
		if (!rc)
			rc = vg__pg_arr_add(&added, 'l', NULL, 0, when);
		m++;
	}
	if (!rc && m) {
		vg__pg_arr_arg(&keys, hash ? 'l' : 't', m, &a[0]);
		vg__pg_arr_arg(&added, 'l', m, &a[1]);
		rc = vg__pg_queuev(p, sql[lookup][hash != NULL], 2, a);
	}
	vg_buf_release(&keys);
	vg_buf_release(&added);
	return rc;
}

int vg__pg_warn_keys_put(struct vg_store *s, const struct vg_warn_keyrow *rows,
                         size_t n)
{
	pg_t *p = vg__pg(s);
	struct vg__warn_split sp;
	int rc = vg__warn_split(rows, n, &sp);
	if (rc)
		return rc;
	for (size_t at = 0; !rc && at < sp.nt; at += PUT_ROWS)
		rc = put_chunk(p, sp.text + at, NULL,
		               sp.nt - at < PUT_ROWS ? sp.nt - at : PUT_ROWS);
	for (size_t at = 0; !rc && at < sp.nh; at += PUT_ROWS)
		rc = put_chunk(p, NULL, sp.hash + at,
		               sp.nh - at < PUT_ROWS ? sp.nh - at : PUT_ROWS);
	vg__warn_split_release(&sp);
	return rc;
}

/* The most exact keys one scan may ask for, as in SQLite. */
enum { MAX_KEYS = 1000 };

#define KEY_COLS                                                               \
	" k.added, o.id, o.type, o.version, o.collection, o.created,"          \
	" o.latest, o.revoked, o.owner, o.scope, o.grp, o.tlp,"                \
	" o.classification"

/* keys as one array parameter: {"k1","k2"} (texts quoted, \ and "
 * escaped) or {h1,h2}; one statement whatever their number. */
static int array_of(const char *const *keys, size_t n, int hashed,
                    struct vg_buf *out)
{
	int rc = vg_buf_putc(out, '{');
	for (size_t i = 0; !rc && i < n; i++) {
		if (i)
			rc = vg_buf_putc(out, ',');
		if (!rc && hashed) {
			rc = vg_buf_printf(out, "%lld",
			                   (long long)vg__warn_key_hash(keys[i]));
			continue;
		}
		if (!rc)
			rc = vg_buf_putc(out, '"');
		for (const char *c = keys[i]; !rc && *c; c++) {
			if (*c == '"' || *c == '\\')
				rc = vg_buf_putc(out, '\\');
			if (!rc)
				rc = vg_buf_putc(out, *c);
		}
		if (!rc)
			rc = vg_buf_putc(out, '"');
	}
	return rc ? rc : vg_buf_putc(out, '}');
}

/* One of the two tables: the text keys (keys, or the range of qy), or
 * the hashed keys (keys). emitted counts rows against qy->limit. */
struct scan {
	pg_t *p;
	const struct vg_warn_keyq *qy;
	vg_warn_row_cb cb;
	void *ud;
	size_t emitted;
};

static int scan_table(struct scan *x, int hashed, const char *const *keys,
                      size_t n, int whole)
{
	const struct vg_warn_keyq *qy = x->qy;
	struct vg_buf sql, arr;
	struct vg__pg_arg a[5];
	int na = 0, rc;
	PGresult *r = NULL;
	if (qy->limit && x->emitted >= qy->limit)
		return VG_OK;
	memset(a, 0, sizeof(a));
	vg_buf_init(&sql, 1 << 16);
	vg_buf_init(&arr, (size_t)1 << 26);
	rc = vg_buf_printf(&sql,
	                   "SELECT %s," KEY_COLS "%s FROM %s k JOIN objects o"
	                   " ON o.date_added = k.added WHERE true",
	                   hashed ? "k.h" : "k.key", qy->json ? ", o.json" : "",
	                   hashed ? "warn_refs" : "warn_keys");
	if (!rc && n) {
		rc = array_of(keys, n, hashed, &arr);
		a[na++].p = arr.data;
		if (!rc)
			rc = vg_buf_printf(&sql, " AND k.%s = ANY($1::%s[])",
			                   hashed ? "h" : "key",
			                   hashed ? "bigint" : "text");
	} else if (!rc && !whole && qy->lo) {
		a[na++].p = qy->lo;
		a[na++].p = qy->hi ? qy->hi : qy->lo;
		rc = vg_buf_puts(&sql, " AND k.key >= $1 AND k.key <= $2");
	}
	if (!rc && qy->latest)
		rc = vg_buf_puts(&sql, " AND o.latest = 1 AND o.revoked = 0");
	if (!rc && qy->after) {
		snprintf(a[na].num, sizeof(a[na].num), "%lld",
		         (long long)qy->after);
		a[na].p = a[na].num;
		rc = vg_buf_printf(&sql, " AND k.added > $%d", ++na);
	}
	if (!rc && qy->before) {
		snprintf(a[na].num, sizeof(a[na].num), "%lld",
		         (long long)qy->before);
		a[na].p = a[na].num;
		rc = vg_buf_printf(&sql, " AND k.added < $%d", ++na);
	}
	if (!rc)
		rc = vg_buf_printf(&sql, " ORDER BY k.%s, k.added",
		                   hashed ? "h" : "key");
	if (!rc && qy->limit) {
		snprintf(a[na].num, sizeof(a[na].num), "%zu",
		         qy->limit - x->emitted);
		a[na].p = a[na].num;
		rc = vg_buf_printf(&sql, " LIMIT $%d", ++na);
	}
	if (!rc)
		rc = vg__pg_runv(x->p, &r, sql.data, na, a);
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		const char *key = "ref:";
		if (!hashed) {
			key = PQgetvalue(r, i, 0);
		} else {
			/* the key asked for, by its hash */
			int64_t h = vg__pg_int(r, i, 0);
			for (size_t j = 0; j < n; j++)
				if (vg__warn_key_hash(keys[j]) == h) {
					key = keys[j];
					break;
				}
		}
		struct vg_warn_row w = {
		    .key = key,
		    .added = vg__pg_int(r, i, 1),
		    .id = PQgetvalue(r, i, 2),
		    .type = PQgetvalue(r, i, 3),
		    .version = PQgetvalue(r, i, 4),
		    .collection = PQgetvalue(r, i, 5),
		    .created = vg__pg_str(r, i, 6),
		    .latest = (int)vg__pg_int(r, i, 7),
		    .revoked = (int)vg__pg_int(r, i, 8),
		    .owner = vg__pg_int(r, i, 9),
		    .scope = (int)vg__pg_int(r, i, 10),
		    .grp = vg__pg_int(r, i, 11),
		    .tlp = (int)vg__pg_int(r, i, 12),
		    .classification = (int)vg__pg_int(r, i, 13),
		};
		if (qy->json) {
			w.json = PQgetvalue(r, i, 14);
			w.json_len = (size_t)PQgetlength(r, i, 14);
		}
		x->emitted++;
		rc = x->cb(x->ud, &w);
	}
	PQclear(r);
	vg_buf_release(&arr);
	vg_buf_release(&sql);
	return rc;
}

int vg__pg_warn_keys_scan(struct vg_store *s, const struct vg_warn_keyq *qy,
                          vg_warn_row_cb cb, void *ud)
{
	struct scan x = {vg__pg(s), qy, cb, ud, 0};
	struct split k;
	int rc;
	if (qy->n_keys > MAX_KEYS)
		return VG_ETOOBIG;
	if (!qy->n_keys) {
		/* a range is of text keys; every key, of both tables */
		rc = scan_table(&x, 0, NULL, 0, !qy->lo);
		return rc || qy->lo ? rc : scan_table(&x, 1, NULL, 0, 1);
	}
	if ((rc = split(&k, qy->keys, qy->n_keys)))
		return rc;
	rc = k.m[0] ? scan_table(&x, 0, k.v[0], k.m[0], 0) : VG_OK;
	if (!rc && k.m[1])
		rc = scan_table(&x, 1, k.v[1], k.m[1], 0);
	split_free(&k);
	return rc;
}

int vg__pg_warn_row(struct vg_store *s, int64_t added, vg_warn_row_cb cb,
                    void *ud)
{
	PGresult *r = NULL;
	int rc =
	    vg__pg_run(vg__pg(s), &r,
	               "SELECT o.date_added, o.id, o.type, o.version,"
	               " o.collection, o.created, o.latest, o.revoked, o.owner,"
	               " o.scope, o.grp, o.tlp, o.classification FROM objects o"
	               " WHERE o.date_added = $1",
	               "i", added);
	if (!rc && PQntuples(r)) {
		struct vg_warn_row w = {
		    .added = vg__pg_int(r, 0, 0),
		    .id = PQgetvalue(r, 0, 1),
		    .type = PQgetvalue(r, 0, 2),
		    .version = PQgetvalue(r, 0, 3),
		    .collection = PQgetvalue(r, 0, 4),
		    .created = vg__pg_str(r, 0, 5),
		    .latest = (int)vg__pg_int(r, 0, 6),
		    .revoked = (int)vg__pg_int(r, 0, 7),
		    .owner = vg__pg_int(r, 0, 8),
		    .scope = (int)vg__pg_int(r, 0, 9),
		    .grp = vg__pg_int(r, 0, 10),
		    .tlp = (int)vg__pg_int(r, 0, 11),
		    .classification = (int)vg__pg_int(r, 0, 12),
		};
		rc = cb(ud, &w);
	} else if (!rc) {
		rc = VG_ENOTFOUND;
	}
	PQclear(r);
	return rc;
}

int vg__pg_warn_keys_clear(struct vg_store *s)
{
	int rc = vg__pg_run(vg__pg(s), NULL, "DELETE FROM warn_keys", NULL);
	return rc ? rc
	          : vg__pg_run(vg__pg(s), NULL, "DELETE FROM warn_refs", NULL);
}

/* The first key after every key starting with prefix. */
static void prefix_end(const char *prefix, char *out, size_t n)
{
	size_t l = strlen(prefix);
	snprintf(out, n, "%s", prefix);
	if (l && l < n)
		out[l - 1] = (char)(out[l - 1] + 1);
}

int vg__pg_warn_key_counts(struct vg_store *s, const char *prefix, int64_t min,
                           int (*cb)(void *ud, const char *key, int64_t n),
                           void *ud)
{
	PGresult *r = NULL;
	char end[256];
	prefix_end(prefix, end, sizeof(end));
	int rc = vg__pg_run(
	    vg__pg(s), &r,
	    "SELECT k.key, COUNT(DISTINCT o.id) FROM warn_keys k JOIN"
	    " objects o ON o.date_added = k.added WHERE ($1::text = '' OR"
	    " (k.key >= $1 AND k.key < $2)) AND o.latest = 1 AND"
	    " o.revoked = 0 GROUP BY k.key HAVING COUNT(DISTINCT o.id)"
	    " > $3 ORDER BY k.key",
	    "tti", prefix, end, min);
	for (int i = 0; !rc && i < PQntuples(r); i++)
		rc = cb(ud, PQgetvalue(r, i, 0), vg__pg_int(r, i, 1));
	PQclear(r);
	return rc;
}

/* SQLite's COALESCE(substr(created, 1, 10), date(date_added / 1000000,
 * 'unixepoch')): the created day, else the day the version came, UTC. */
#define DAY                                                                    \
	"COALESCE(substr(o.created, 1, 10), to_char(to_timestamp("             \
	"o.date_added / 1000000) AT TIME ZONE 'UTC', 'YYYY-MM-DD'))"

int vg__pg_warn_counts(struct vg_store *s, const struct vg_warn_countq *qy,
                       vg_warn_count_cb cb, void *ud)
{
	struct vg_buf sql;
	struct vg__pg_arg a[4];
	char end[256];
	int rc, na = 0;
	PGresult *r = NULL;
	if (!qy->visible || !qy->facet)
		return VG_EINVAL;
	memset(a, 0, sizeof(a));
	vg_buf_init(&sql, 1 << 20);
	if (!strcmp(qy->facet, "type") || !strcmp(qy->facet, "owner")) {
		rc =
		    vg_buf_printf(&sql,
		                  "SELECT CAST(o.%s AS text), " DAY ","
		                  " COUNT(DISTINCT o.id) FROM objects o WHERE ",
		                  qy->facet);
	} else {
		prefix_end(qy->facet, end, sizeof(end));
		a[na++].p = qy->facet;
		a[na++].p = end;
		rc = vg_buf_puts(&sql,
		                 "SELECT k.key, " DAY ", COUNT(DISTINCT o.id)"
		                 " FROM warn_keys k JOIN objects o ON"
		                 " o.date_added = k.added WHERE k.key >= $1 AND"
		                 " k.key < $2 AND ");
	}
	if (!rc)
		rc = vg__sql_expr(qy->visible, "o", &sql);
	if (!rc && qy->since) {
		a[na].p = qy->since;
		rc = vg_buf_printf(&sql, " AND " DAY " >= $%d", ++na);
	}
	if (!rc && qy->until) {
		a[na].p = qy->until;
		rc = vg_buf_printf(&sql, " AND " DAY " <= $%d", ++na);
	}
	if (!rc)
		rc = vg_buf_puts(&sql, " GROUP BY 1, 2 ORDER BY 1, 2");
	if (!rc)
		rc = vg__pg_runv(vg__pg(s), &r, sql.data, na, a);
	for (int i = 0; !rc && i < PQntuples(r); i++)
		rc = cb(ud, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1),
		        vg__pg_int(r, i, 2));
	PQclear(r);
	vg_buf_release(&sql);
	return rc;
}
