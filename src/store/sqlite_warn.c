/* Early warning's rows in SQLite (store/warn.h): the key index (one
 * WITHOUT ROWID table ordered by key, then version), watches, alerts,
 * deliveries, disclosure choices, access requests and grants,
 * exclusions. */
#include "sqlite_int.h"
#include "warn_rows.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct vg__sq sq_t;

/* ---- the key index -------------------------------------------------- */

/* Two tables: warn_keys (text, ordered, for ranges) and warn_refs
 * (warn_rows.h). */

/* The keys of a version go in by statements of up to 8 rows each: the
 * index insert is the cost, the statement's overhead need not be. */
#define ROWS8(t, c)                                                            \
	{                                                                      \
		"INSERT OR IGNORE INTO " t " (" c ", added) VALUES (?1,?9)",   \
		    "INSERT OR IGNORE INTO " t " (" c                          \
		    ", added) VALUES (?1,?9),(?2,?9)",                         \
		    "INSERT OR IGNORE INTO " t " (" c                          \
		    ", added) VALUES (?1,?9),(?2,?9),"                         \
		    "(?3,?9)",                                                 \
		    "INSERT OR IGNORE INTO " t " (" c                          \
		    ", added) VALUES (?1,?9),(?2,?9),"                         \
		    "(?3,?9),(?4,?9)",                                         \
		    "INSERT OR IGNORE INTO " t " (" c                          \
		    ", added) VALUES (?1,?9),(?2,?9),"                         \
		    "(?3,?9),(?4,?9),(?5,?9)",                                 \
		    "INSERT OR IGNORE INTO " t " (" c                          \
		    ", added) VALUES (?1,?9),(?2,?9),"                         \
		    "(?3,?9),(?4,?9),(?5,?9),(?6,?9)",                         \
		    "INSERT OR IGNORE INTO " t " (" c                          \
		    ", added) VALUES (?1,?9),(?2,?9),"                         \
		    "(?3,?9),(?4,?9),(?5,?9),(?6,?9),(?7,?9)",                 \
		    "INSERT OR IGNORE INTO " t " (" c                          \
		    ", added) VALUES (?1,?9),(?2,?9),"                         \
		    "(?3,?9),(?4,?9),(?5,?9),(?6,?9),(?7,?9),(?8,?9)"          \
	}

static const char *const add_text[8] = ROWS8("warn_keys", "key");
static const char *const add_hash[8] = ROWS8("warn_refs", "h");

static int add_rows(sq_t *q, int64_t added, const char *const *keys, size_t n,
                    int hashed)
{
	int rc = VG_OK;
	for (size_t at = 0; !rc && at < n; at += 8) {
		size_t k = n - at < 8 ? n - at : 8;
		sqlite3_stmt *st;
		/* k is 1 to 8; "% 8" says so to the compiler's bounds check */
		if ((rc = vg__sq_cached(q, &st,
		                        (hashed ? add_hash : add_text)[(k - 1) % 8])))
			break;
		for (size_t i = 0; i < k; i++) {
			if (hashed)
				sqlite3_bind_int64(st, (int)i + 1,
				                   vg__warn_key_hash(keys[at + i]));
			else
				sqlite3_bind_text(st, (int)i + 1, keys[at + i],
				                  -1, SQLITE_STATIC);
		}
		sqlite3_bind_int64(st, 9, added);
		rc = vg__sq_done(q, st, "add keys");
		vg__sq_release(q, st);
	}
	return rc;
}

static int keys_add(struct vg_store *s, int64_t added, const char *const *keys,
                    size_t n)
{
	sq_t *q = vg__sq(s);
	const char *stack[2][64] = {{0}};
	const char **v[2] = {stack[0], stack[1]};
	size_t m[2] = {0, 0};
	if (n > 64) {
		v[0] = malloc(n * sizeof(char *));
		v[1] = malloc(n * sizeof(char *));
		if (!v[0] || !v[1]) {
			free(v[0] == stack[0] ? NULL : v[0]);
			free(v[1] == stack[1] ? NULL : v[1]);
			return VG_ENOMEM;
		}
	}
	for (size_t i = 0; i < n; i++) {
		int h = vg_warn_key_hashed(keys[i]);
		v[h][m[h]++] = keys[i];
	}
	int rc = add_rows(q, added, v[0], m[0], 0);
	if (!rc)
		rc = add_rows(q, added, v[1], m[1], 1);
	if (n > 64) {
		free(v[0]);
		free(v[1]);
	}
	return rc;
}

/* keys_put's rows go in by statements of PUT_ROWS (key, added) pairs,
 * the rest one by one: two statements to keep, whatever the count. */
enum { PUT_ROWS = 32 };

static int put_sql(struct vg_buf *b, const char *table, const char *col,
                   size_t rows)
{
	int rc = vg_buf_printf(b, "INSERT OR IGNORE INTO %s (%s, added) VALUES",
	                       table, col);
	for (size_t i = 0; !rc && i < rows; i++)
		rc = vg_buf_printf(b, "%s(?%zu,?%zu)", i ? "," : "", 2 * i + 1,
		                   2 * i + 2);
	return rc;
}

/* The rows of one table: text's keys, or hash's hashes (n of either). */
static int put_table(sq_t *q, int hashed, size_t n,
                     const struct vg_warn_keyrow *const *text,
                     const struct vg__hrow *hash)
{
	const char *table = hashed ? "warn_refs" : "warn_keys";
	const char *col = hashed ? "h" : "key";
	struct vg_buf many, one;
	vg_buf_init(&many, 0);
	vg_buf_init(&one, 0);
	int rc = put_sql(&many, table, col, PUT_ROWS);
	if (!rc)
		rc = put_sql(&one, table, col, 1);
	for (size_t at = 0; !rc && at < n;) {
		size_t k = n - at >= PUT_ROWS ? PUT_ROWS : 1;
		sqlite3_stmt *st;
		if ((rc = vg__sq_cached(q, &st, k > 1 ? many.data : one.data)))
			break;
		for (size_t i = 0; i < k; i++, at++) {
			if (hashed) {
				sqlite3_bind_int64(st, (int)(2 * i + 1),
				                   hash[at].h);
				sqlite3_bind_int64(st, (int)(2 * i + 2),
				                   hash[at].added);
			} else {
				sqlite3_bind_text(st, (int)(2 * i + 1),
				                  text[at]->key, -1,
				                  SQLITE_STATIC);
				sqlite3_bind_int64(st, (int)(2 * i + 2),
				                   text[at]->added);
			}
		}
		rc = vg__sq_done(q, st, "add keys");
		vg__sq_release(q, st);
	}
	vg_buf_release(&many);
	vg_buf_release(&one);
	return rc;
}

static int keys_put(struct vg_store *s, const struct vg_warn_keyrow *rows,
                    size_t n)
{
	sq_t *q = vg__sq(s);
	struct vg__warn_split sp;
	int rc = vg__warn_split(rows, n, &sp);
	if (rc)
		return rc;
	rc = put_table(q, 0, sp.nt, sp.text, NULL);
	if (!rc)
		rc = put_table(q, 1, sp.nh, NULL, sp.hash);
	vg__warn_split_release(&sp);
	return rc;
}

#define KEY_COLS                                                               \
	" k.added, o.id, o.type, o.version, o.collection, o.created,"          \
	" o.latest, o.revoked, o.owner, o.scope, o.grp, o.tlp,"                \
	" o.classification"

enum { MAX_KEYS = 1000 };

/* One of the two tables: the text keys (keys, or the range of qy), or
 * the hashed keys (keys). emitted counts rows against qy->limit. */
struct scan {
	sq_t *q;
	const struct vg_warn_keyq *qy;
	vg_warn_row_cb cb;
	void *ud;
	size_t emitted;
};

static int scan_table(struct scan *x, int hashed, const char *const *keys,
                      size_t n, int whole)
{
	const struct vg_warn_keyq *qy = x->qy;
	struct vg_buf sql;
	sqlite3_stmt *st = NULL;
	int rc, step;
	if (qy->limit && x->emitted >= qy->limit)
		return VG_OK;
	vg_buf_init(&sql, 1 << 20);
	rc =
	    vg_buf_printf(&sql,
	                  "SELECT %s," KEY_COLS "%s FROM %s k JOIN objects o ON"
	                  " o.date_added = k.added WHERE 1",
	                  hashed ? "k.h" : "k.key", qy->json ? ", o.json" : "",
	                  hashed ? "warn_refs" : "warn_keys");
	if (!rc && n) {
		rc =
		    vg_buf_printf(&sql, " AND k.%s IN (", hashed ? "h" : "key");
		for (size_t i = 0; !rc && i < n; i++)
			rc = vg_buf_printf(&sql, "%s?%zu", i ? "," : "", i + 1);
		if (!rc)
			rc = vg_buf_putc(&sql, ')');
	} else if (!rc && !whole && qy->lo) {
		rc = vg_buf_puts(&sql, " AND k.key >= ?1 AND k.key <= ?2");
	}
	if (!rc && qy->latest)
		rc = vg_buf_puts(&sql, " AND o.latest = 1 AND o.revoked = 0");
	if (!rc && qy->after)
		rc = vg_buf_printf(&sql, " AND k.added > %lld",
		                   (long long)qy->after);
	if (!rc && qy->before)
		rc = vg_buf_printf(&sql, " AND k.added < %lld",
		                   (long long)qy->before);
	if (!rc)
		rc = vg_buf_printf(&sql, " ORDER BY k.%s, k.added",
		                   hashed ? "h" : "key");
	if (!rc && qy->limit)
		rc = vg_buf_printf(&sql, " LIMIT %zu", qy->limit - x->emitted);
	if (!rc)
		rc = vg__sq_cached(x->q, &st, sql.data);
	if (rc)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (hashed)
			sqlite3_bind_int64(st, (int)i + 1, vg__warn_key_hash(keys[i]));
		else
			sqlite3_bind_text(st, (int)i + 1, keys[i], -1,
			                  SQLITE_STATIC);
	}
	if (!n && !whole && qy->lo) {
		sqlite3_bind_text(st, 1, qy->lo, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, qy->hi ? qy->hi : qy->lo, -1,
		                  SQLITE_STATIC);
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *key = "ref:";
		if (!hashed) {
			key = vg__sq_col(st, 0);
		} else {
			/* the key asked for, by its hash */
			int64_t h = sqlite3_column_int64(st, 0);
			for (size_t i = 0; i < n; i++)
				if (vg__warn_key_hash(keys[i]) == h) {
					key = keys[i];
					break;
				}
		}
		struct vg_warn_row r = {
		    .key = key,
		    .added = sqlite3_column_int64(st, 1),
		    .id = vg__sq_col(st, 2),
		    .type = vg__sq_col(st, 3),
		    .version = vg__sq_col(st, 4),
		    .collection = vg__sq_col(st, 5),
		    .created = vg__sq_col(st, 6),
		    .latest = sqlite3_column_int(st, 7),
		    .revoked = sqlite3_column_int(st, 8),
		    .owner = sqlite3_column_int64(st, 9),
		    .scope = sqlite3_column_int(st, 10),
		    .grp = sqlite3_column_int64(st, 11),
		    .tlp = sqlite3_column_int(st, 12),
		    .classification = sqlite3_column_int(st, 13),
		};
		if (qy->json) {
			r.json = vg__sq_col(st, 14);
			r.json_len = (size_t)sqlite3_column_bytes(st, 14);
		}
		x->emitted++;
		if ((rc = x->cb(x->ud, &r)))
			break;
	}
	if (!rc && step != SQLITE_DONE)
		rc = vg__sq_fail(x->q, "read keys");
out:
	vg__sq_release(x->q, st);
	vg_buf_release(&sql);
	return rc;
}

static int keys_scan(struct vg_store *s, const struct vg_warn_keyq *qy,
                     vg_warn_row_cb cb, void *ud)
{
	struct scan x = {vg__sq(s), qy, cb, ud, 0};
	const char *stack[2][64] = {{0}};
	const char **v[2] = {stack[0], stack[1]};
	size_t m[2] = {0, 0};
	int rc;
	if (qy->n_keys > MAX_KEYS)
		return VG_ETOOBIG;
	if (!qy->n_keys) {
		/* a range is of text keys; every key, of both tables */
		rc = scan_table(&x, 0, NULL, 0, !qy->lo);
		return rc || qy->lo ? rc : scan_table(&x, 1, NULL, 0, 1);
	}
	if (qy->n_keys > 64) {
		v[0] = malloc(qy->n_keys * sizeof(char *));
		v[1] = malloc(qy->n_keys * sizeof(char *));
		if (!v[0] || !v[1]) {
			free(v[0] == stack[0] ? NULL : v[0]);
			free(v[1] == stack[1] ? NULL : v[1]);
			return VG_ENOMEM;
		}
	}
	for (size_t i = 0; i < qy->n_keys; i++) {
		int h = vg_warn_key_hashed(qy->keys[i]);
		v[h][m[h]++] = qy->keys[i];
	}
	rc = m[0] ? scan_table(&x, 0, v[0], m[0], 0) : VG_OK;
	if (!rc && m[1])
		rc = scan_table(&x, 1, v[1], m[1], 0);
	if (qy->n_keys > 64) {
		free(v[0]);
		free(v[1]);
	}
	return rc;
}

static int row_at(struct vg_store *s, int64_t added, vg_warn_row_cb cb,
                  void *ud)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(
	    q, &st,
	    "SELECT o.date_added, o.id, o.type, o.version,"
	    " o.collection, o.created, o.latest, o.revoked, o.owner,"
	    " o.scope, o.grp, o.tlp, o.classification FROM objects o"
	    " WHERE o.date_added = ?1",
	    "i", added);
	if (rc)
		return rc;
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		struct vg_warn_row r = {
		    .added = sqlite3_column_int64(st, 0),
		    .id = vg__sq_col(st, 1),
		    .type = vg__sq_col(st, 2),
		    .version = vg__sq_col(st, 3),
		    .collection = vg__sq_col(st, 4),
		    .created = vg__sq_col(st, 5),
		    .latest = sqlite3_column_int(st, 6),
		    .revoked = sqlite3_column_int(st, 7),
		    .owner = sqlite3_column_int64(st, 8),
		    .scope = sqlite3_column_int(st, 9),
		    .grp = sqlite3_column_int64(st, 10),
		    .tlp = sqlite3_column_int(st, 11),
		    .classification = sqlite3_column_int(st, 12),
		};
		rc = cb(ud, &r);
	} else {
		rc = step == SQLITE_DONE ? VG_ENOTFOUND : vg__sq_fail(q, "row");
	}
	vg__sq_release(q, st);
	return rc;
}

static int keys_clear(struct vg_store *s)
{
	int rc = vg__sq_exec(vg__sq(s), "DELETE FROM warn_keys");
	return rc ? rc : vg__sq_exec(vg__sq(s), "DELETE FROM warn_refs");
}

/* The first key after every key starting with prefix. */
static void prefix_end(const char *prefix, char *out, size_t n)
{
	size_t l = strlen(prefix);
	snprintf(out, n, "%s", prefix);
	if (l && l < n)
		out[l - 1] = (char)(out[l - 1] + 1);
}

static int key_counts(struct vg_store *s, const char *prefix, int64_t min,
                      int (*cb)(void *ud, const char *key, int64_t n), void *ud)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	char end[256];
	prefix_end(prefix, end, sizeof(end));
	int rc = vg__sq_prep(
	    q, &st,
	    "SELECT k.key, COUNT(DISTINCT o.id) FROM warn_keys k JOIN"
	    " objects o ON o.date_added = k.added WHERE (?1 = '' OR"
	    " (k.key >= ?1 AND k.key < ?2)) AND o.latest = 1 AND"
	    " o.revoked = 0 GROUP BY k.key HAVING COUNT(DISTINCT o.id)"
	    " > ?3 ORDER BY k.key",
	    "tti", prefix, end, min);
	int step;
	if (rc)
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		if ((rc = cb(ud, vg__sq_col(st, 0),
		             sqlite3_column_int64(st, 1))))
			break;
	if (!rc && step != SQLITE_DONE)
		rc = vg__sq_fail(q, "count keys");
	vg__sq_release(q, st);
	return rc;
}

#define DAY                                                                    \
	"COALESCE(substr(o.created, 1, 10), date(o.date_added / 1000000,"      \
	" 'unixepoch'))"

static int counts(struct vg_store *s, const struct vg_warn_countq *qy,
                  vg_warn_count_cb cb, void *ud)
{
	sq_t *q = vg__sq(s);
	struct vg_buf sql;
	sqlite3_stmt *st = NULL;
	char end[256];
	int rc, step, bind = 0;
	if (!qy->visible || !qy->facet)
		return VG_EINVAL;
	vg_buf_init(&sql, 1 << 20);
	if (!strcmp(qy->facet, "type") || !strcmp(qy->facet, "owner")) {
		rc =
		    vg_buf_printf(&sql,
		                  "SELECT CAST(o.%s AS TEXT), " DAY ","
		                  " COUNT(DISTINCT o.id) FROM objects o WHERE ",
		                  qy->facet);
	} else {
		rc = vg_buf_puts(&sql,
		                 "SELECT k.key, " DAY ", COUNT(DISTINCT o.id)"
		                 " FROM warn_keys k JOIN objects o ON"
		                 " o.date_added = k.added WHERE k.key >= ?1 AND"
		                 " k.key < ?2 AND ");
		bind = 1;
	}
	if (!rc)
		rc = vg__sql_expr(qy->visible, "o", &sql);
	if (!rc && qy->since)
		rc = vg_buf_printf(&sql, " AND " DAY " >= ?%d", bind ? 3 : 1);
	if (!rc && qy->until)
		rc = vg_buf_printf(&sql, " AND " DAY " <= ?%d",
		                   (bind ? 3 : 1) + !!qy->since);
	if (!rc)
		rc = vg_buf_puts(&sql, " GROUP BY 1, 2 ORDER BY 1, 2");
	if (!rc)
		rc = vg__sq_cached(q, &st, sql.data);
	if (rc)
		goto out;
	int at = 1;
	if (bind) {
		prefix_end(qy->facet, end, sizeof(end));
		sqlite3_bind_text(st, at++, qy->facet, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, at++, end, -1, SQLITE_STATIC);
	}
	if (qy->since)
		sqlite3_bind_text(st, at++, qy->since, -1, SQLITE_STATIC);
	if (qy->until)
		sqlite3_bind_text(st, at++, qy->until, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		if ((rc = cb(ud, vg__sq_col(st, 0), vg__sq_col(st, 1),
		             sqlite3_column_int64(st, 2))))
			break;
	if (!rc && step != SQLITE_DONE)
		rc = vg__sq_fail(q, "count trends");
out:
	vg__sq_release(q, st);
	vg_buf_release(&sql);
	return rc;
}

/* ---- watches ----------------------------------------------------------- */

static int watch_add(struct vg_store *s, const struct vg_watch_row *w,
                     int64_t *id)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_cached(
	    q, &st,
	    "INSERT INTO warn_watches (name, org, user, user_name,"
	    " shared, kind, term, display, threshold, webhook,"
	    " secret, created, disabled) VALUES (?1,?2,?3,?4,?5,?6,"
	    "?7,?8,?9,?10,?11,?12,?13)");
	if (rc)
		return rc;
	vg__sq_bind_text(st, 1, w->name);
	sqlite3_bind_int64(st, 2, w->org);
	sqlite3_bind_int64(st, 3, w->user);
	vg__sq_bind_text(st, 4, w->user_name ? w->user_name : "");
	sqlite3_bind_int(st, 5, w->shared);
	sqlite3_bind_int(st, 6, w->kind);
	vg__sq_bind_text(st, 7, w->term);
	vg__sq_bind_text(st, 8, w->display ? w->display : w->term);
	sqlite3_bind_double(st, 9, w->threshold);
	vg__sq_bind_text(st, 10, w->webhook);
	vg__sq_bind_text(st, 11, w->secret);
	sqlite3_bind_int64(st, 12, w->created);
	sqlite3_bind_int(st, 13, w->disabled);
	rc = vg__sq_run(q, st, "add watch");
	if (!rc && id)
		*id = sqlite3_last_insert_rowid(q->db);
	return rc;
}

#define WATCH_COLS                                                             \
	"id, name, org, user, user_name, shared, kind, term, display,"         \
	" threshold, webhook, secret, created, disabled"

static int watch_rows(sq_t *q, sqlite3_stmt *st, vg_watch_cb cb, void *ud,
                      int *found)
{
	int step, rc = VG_OK;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct vg_watch_row w = {
		    .id = sqlite3_column_int64(st, 0),
		    .name = vg__sq_col(st, 1),
		    .org = sqlite3_column_int64(st, 2),
		    .user = sqlite3_column_int64(st, 3),
		    .user_name = vg__sq_col(st, 4),
		    .shared = sqlite3_column_int(st, 5),
		    .kind = sqlite3_column_int(st, 6),
		    .term = vg__sq_col(st, 7),
		    .display = vg__sq_col(st, 8),
		    .threshold = sqlite3_column_double(st, 9),
		    .webhook = vg__sq_col(st, 10),
		    .secret = vg__sq_col(st, 11),
		    .created = sqlite3_column_int64(st, 12),
		    .disabled = sqlite3_column_int(st, 13),
		};
		if (found)
			*found = 1;
		if ((rc = cb(ud, &w)))
			break;
	}
	if (!rc && step != SQLITE_DONE)
		rc = vg__sq_fail(q, "read watches");
	vg__sq_release(q, st);
	return rc;
}

static int watch_list(struct vg_store *s, int64_t org, vg_watch_cb cb, void *ud)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st,
	                     "SELECT " WATCH_COLS " FROM warn_watches"
	                     " WHERE ?1 = 0 OR org = ?1 ORDER BY id",
	                     "i", org);
	return rc ? rc : watch_rows(q, st, cb, ud, NULL);
}

static int watch_get(struct vg_store *s, int64_t id, vg_watch_cb cb, void *ud)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int found = 0;
	int rc = vg__sq_prep(q, &st,
	                     "SELECT " WATCH_COLS " FROM warn_watches"
	                     " WHERE id = ?1",
	                     "i", id);
	if (!rc)
		rc = watch_rows(q, st, cb, ud, &found);
	return rc ? rc : found ? VG_OK : VG_ENOTFOUND;
}

static int watch_remove(struct vg_store *s, int64_t id)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st, "DELETE FROM warn_watches WHERE id = ?1",
	                     "i", id);
	if (!rc)
		rc = vg__sq_run(q, st, "remove watch");
	return rc ? rc : sqlite3_changes(q->db) ? VG_OK : VG_ENOTFOUND;
}

static int watch_update(struct vg_store *s, const struct vg_watch_row *w)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_cached(
	    q, &st,
	    "UPDATE warn_watches SET name = ?2, shared = ?3, term = ?4,"
	    " display = ?5, threshold = ?6, webhook = ?7, secret = ?8"
	    " WHERE id = ?1");
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, w->id);
	vg__sq_bind_text(st, 2, w->name);
	sqlite3_bind_int(st, 3, w->shared);
	vg__sq_bind_text(st, 4, w->term);
	vg__sq_bind_text(st, 5, w->display ? w->display : w->term);
	sqlite3_bind_double(st, 6, w->threshold);
	vg__sq_bind_text(st, 7, w->webhook);
	vg__sq_bind_text(st, 8, w->secret);
	rc = vg__sq_run(q, st, "update watch");
	return rc ? rc : sqlite3_changes(q->db) ? VG_OK : VG_ENOTFOUND;
}

/* ---- alerts ------------------------------------------------------------- */

static int alert_add(struct vg_store *s, const struct vg_alert_row *a,
                     int64_t *seq)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc =
	    vg__sq_cached(q, &st,
	                  "INSERT INTO warn_alerts (watch, org, user, created,"
	                  " kind, retro, added, object, version, key, detail)"
	                  " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)");
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, a->watch);
	sqlite3_bind_int64(st, 2, a->org);
	sqlite3_bind_int64(st, 3, a->user);
	sqlite3_bind_int64(st, 4, a->created);
	sqlite3_bind_int(st, 5, a->kind);
	sqlite3_bind_int(st, 6, a->retro);
	sqlite3_bind_int64(st, 7, a->added);
	vg__sq_bind_text(st, 8, a->object ? a->object : "");
	vg__sq_bind_text(st, 9, a->version ? a->version : "");
	vg__sq_bind_text(st, 10, a->key ? a->key : "");
	vg__sq_bind_text(st, 11, a->detail ? a->detail : "{}");
	rc = vg__sq_run(q, st, "add alert");
	if (!rc && seq)
		*seq = sqlite3_last_insert_rowid(q->db);
	return rc;
}

#define ALERT_COLS                                                             \
	"seq, watch, org, user, created, kind, retro, added, object, version," \
	" key, detail, acked_by, acked_at"

static int alert_rows(sq_t *q, sqlite3_stmt *st, vg_alert_cb cb, void *ud,
                      int *found)
{
	int step, rc = VG_OK;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct vg_alert_row a = {
		    .seq = sqlite3_column_int64(st, 0),
		    .watch = sqlite3_column_int64(st, 1),
		    .org = sqlite3_column_int64(st, 2),
		    .user = sqlite3_column_int64(st, 3),
		    .created = sqlite3_column_int64(st, 4),
		    .kind = sqlite3_column_int(st, 5),
		    .retro = sqlite3_column_int(st, 6),
		    .added = sqlite3_column_int64(st, 7),
		    .object = vg__sq_col(st, 8),
		    .version = vg__sq_col(st, 9),
		    .key = vg__sq_col(st, 10),
		    .detail = vg__sq_col(st, 11),
		    .acked_by = vg__sq_col(st, 12),
		    .acked_at = sqlite3_column_int64(st, 13),
		};
		if (found)
			*found = 1;
		if ((rc = cb(ud, &a)))
			break;
	}
	if (!rc && step != SQLITE_DONE)
		rc = vg__sq_fail(q, "read alerts");
	vg__sq_release(q, st);
	return rc;
}

static int alert_scan(struct vg_store *s, const struct vg_alertq *qy,
                      vg_alert_cb cb, void *ud)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(
	    q, &st,
	    "SELECT " ALERT_COLS " FROM warn_alerts WHERE org = ?1"
	    " AND (user = 0 OR user = ?2) AND seq > ?3 AND"
	    " (?4 = 0 OR watch = ?4) AND (?5 = 0 OR acked_by IS NULL)"
	    " ORDER BY seq LIMIT ?6",
	    "iiiiii", qy->org, qy->user, qy->after, qy->watch,
	    (int64_t)qy->unacked, qy->limit ? (int64_t)qy->limit : INT64_MAX);
	return rc ? rc : alert_rows(q, st, cb, ud, NULL);
}

static int alert_get(struct vg_store *s, int64_t seq, vg_alert_cb cb, void *ud)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int found = 0;
	int rc = vg__sq_prep(q, &st,
	                     "SELECT " ALERT_COLS " FROM warn_alerts"
	                     " WHERE seq = ?1",
	                     "i", seq);
	if (!rc)
		rc = alert_rows(q, st, cb, ud, &found);
	return rc ? rc : found ? VG_OK : VG_ENOTFOUND;
}

static int alert_ack(struct vg_store *s, int64_t seq, const char *by,
                     int64_t at)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st,
	                     "UPDATE warn_alerts SET acked_by = ?2,"
	                     " acked_at = ?3 WHERE seq = ?1",
	                     "iti", seq, by, at);
	if (!rc)
		rc = vg__sq_run(q, st, "acknowledge alert");
	return rc ? rc : sqlite3_changes(q->db) ? VG_OK : VG_ENOTFOUND;
}

static int alert_last(struct vg_store *s, int64_t *seq)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(
	    q, &st, "SELECT COALESCE(MAX(seq), 0) FROM warn_alerts", NULL);
	if (rc)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW)
		*seq = sqlite3_column_int64(st, 0);
	else
		rc = vg__sq_fail(q, "last alert");
	vg__sq_release(q, st);
	return rc;
}

/* ---- deliveries ---------------------------------------------------------- */

static int delivery_add(struct vg_store *s, const struct vg_delivery_row *d)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc =
	    vg__sq_prep(q, &st,
	                "INSERT OR IGNORE INTO warn_deliveries (alert, watch,"
	                " attempts, next_at, done, error) VALUES"
	                " (?1,?2,?3,?4,?5,?6)",
	                "iiiiit", d->alert, d->watch, (int64_t)d->attempts,
	                d->next_at, (int64_t)d->done, d->error);
	return rc ? rc : vg__sq_run(q, st, "add delivery");
}

static int delivery_due(struct vg_store *s, int64_t now, size_t limit,
                        vg_delivery_cb cb, void *ud)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int step;
	int rc = vg__sq_prep(
	    q, &st,
	    "SELECT alert, watch, attempts, next_at, done, error FROM"
	    " warn_deliveries WHERE done = 0 AND next_at <= ?1"
	    " ORDER BY next_at, alert LIMIT ?2",
	    "ii", now, limit ? (int64_t)limit : INT64_MAX);
	if (rc)
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct vg_delivery_row d = {
		    .alert = sqlite3_column_int64(st, 0),
		    .watch = sqlite3_column_int64(st, 1),
		    .attempts = sqlite3_column_int(st, 2),
		    .next_at = sqlite3_column_int64(st, 3),
		    .done = sqlite3_column_int(st, 4),
		    .error = vg__sq_col(st, 5),
		};
		if ((rc = cb(ud, &d)))
			break;
	}
	if (!rc && step != SQLITE_DONE)
		rc = vg__sq_fail(q, "due deliveries");
	vg__sq_release(q, st);
	return rc;
}

static int delivery_update(struct vg_store *s, const struct vg_delivery_row *d)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(
	    q, &st,
	    "UPDATE warn_deliveries SET attempts = ?3, next_at = ?4,"
	    " done = ?5, error = ?6 WHERE alert = ?1 AND watch = ?2",
	    "iiiiit", d->alert, d->watch, (int64_t)d->attempts, d->next_at,
	    (int64_t)d->done, d->error);
	if (!rc)
		rc = vg__sq_run(q, st, "update delivery");
	return rc ? rc : sqlite3_changes(q->db) ? VG_OK : VG_ENOTFOUND;
}

/* ---- disclosure choices ----------------------------------------------------
 */

static int disclosure_set(struct vg_store *s, const char *subject, int64_t org,
                          int choice)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = choice < 0
	             ? vg__sq_prep(q, &st,
	                           "DELETE FROM warn_disclosure WHERE"
	                           " subject = ?1 AND org = ?2",
	                           "ti", subject, org)
	             : vg__sq_prep(q, &st,
	                           "INSERT OR REPLACE INTO warn_disclosure"
	                           " (subject, org, choice) VALUES (?1,?2,?3)",
	                           "tii", subject, org, (int64_t)choice);
	return rc ? rc : vg__sq_run(q, st, "set disclosure");
}

static int disclosure_get(struct vg_store *s, const char *subject, int64_t org,
                          int *choice)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st,
	                     "SELECT choice FROM warn_disclosure WHERE"
	                     " subject = ?1 AND org = ?2",
	                     "ti", subject, org);
	if (rc)
		return rc;
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*choice = sqlite3_column_int(st, 0);
	rc = step == SQLITE_ROW    ? VG_OK
	     : step == SQLITE_DONE ? VG_ENOTFOUND
	                           : vg__sq_fail(q, "disclosure");
	vg__sq_release(q, st);
	return rc;
}

/* ---- access requests ---------------------------------------------------- */

static int request_add(struct vg_store *s, const struct vg_request_row *r,
                       int64_t *id)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(
	    q, &st,
	    "INSERT INTO warn_requests (created, requester_org,"
	    " requester_user, requester_name, owner_org, object,"
	    " reason, items, state) VALUES (?1,?2,?3,?4,?5,?6,?7,"
	    "?8,?9)",
	    "iiitittti", r->created, r->requester_org, r->requester_user,
	    r->requester_name, r->owner_org, r->object,
	    r->reason ? r->reason : "", r->items, (int64_t)r->state);
	if (!rc)
		rc = vg__sq_run(q, st, "add request");
	if (!rc && id)
		*id = sqlite3_last_insert_rowid(q->db);
	return rc;
}

#define REQ_COLS                                                               \
	"id, created, requester_org, requester_user, requester_name,"          \
	" owner_org, object, reason, items, state, decided_by, decided_at"

static int request_rows(sq_t *q, sqlite3_stmt *st, vg_request_cb cb, void *ud,
                        int *found)
{
	int step, rc = VG_OK;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct vg_request_row r = {
		    .id = sqlite3_column_int64(st, 0),
		    .created = sqlite3_column_int64(st, 1),
		    .requester_org = sqlite3_column_int64(st, 2),
		    .requester_user = sqlite3_column_int64(st, 3),
		    .requester_name = vg__sq_col(st, 4),
		    .owner_org = sqlite3_column_int64(st, 5),
		    .object = vg__sq_col(st, 6),
		    .reason = vg__sq_col(st, 7),
		    .items = vg__sq_col(st, 8),
		    .state = sqlite3_column_int(st, 9),
		    .decided_by = vg__sq_col(st, 10),
		    .decided_at = sqlite3_column_int64(st, 11),
		};
		if (found)
			*found = 1;
		if ((rc = cb(ud, &r)))
			break;
	}
	if (!rc && step != SQLITE_DONE)
		rc = vg__sq_fail(q, "read requests");
	vg__sq_release(q, st);
	return rc;
}

static int request_get(struct vg_store *s, int64_t id, vg_request_cb cb,
                       void *ud)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int found = 0;
	int rc = vg__sq_prep(q, &st,
	                     "SELECT " REQ_COLS " FROM warn_requests"
	                     " WHERE id = ?1",
	                     "i", id);
	if (!rc)
		rc = request_rows(q, st, cb, ud, &found);
	return rc ? rc : found ? VG_OK : VG_ENOTFOUND;
}

static int request_list(struct vg_store *s, int64_t org, vg_request_cb cb,
                        void *ud)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st,
	                     "SELECT " REQ_COLS " FROM warn_requests"
	                     " WHERE ?1 = 0 OR requester_org = ?1 OR"
	                     " owner_org = ?1 ORDER BY id DESC",
	                     "i", org);
	return rc ? rc : request_rows(q, st, cb, ud, NULL);
}

static int request_update(struct vg_store *s, int64_t id, const char *items,
                          int state, const char *decided_by, int64_t decided_at)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st,
	                     "UPDATE warn_requests SET items = ?2, state = ?3,"
	                     " decided_by = ?4, decided_at = ?5 WHERE id = ?1",
	                     "ititi", id, items, (int64_t)state, decided_by,
	                     decided_at);
	if (!rc)
		rc = vg__sq_run(q, st, "update request");
	return rc ? rc : sqlite3_changes(q->db) ? VG_OK : VG_ENOTFOUND;
}

/* ---- grants ---------------------------------------------------------------
 */

static int grant_add(struct vg_store *s, const struct vg_grant_row *g,
                     int64_t *id)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc =
	    vg__sq_prep(q, &st,
	                "INSERT INTO warn_grants (org, owner, added, object,"
	                " request, granted_by, created) VALUES (?1,?2,?3,?4,"
	                "?5,?6,?7)",
	                "iiititi", g->org, g->owner, g->added, g->object,
	                g->request, g->granted_by, g->created);
	if (!rc)
		rc = vg__sq_run(q, st, "add grant");
	if (!rc && id)
		*id = sqlite3_last_insert_rowid(q->db);
	return rc;
}

static int grants_of(struct vg_store *s, int64_t org, int64_t **added,
                     size_t *n)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st,
	                     "SELECT DISTINCT added FROM warn_grants WHERE"
	                     " org = ?1 AND revoked = 0 ORDER BY added",
	                     "i", org);
	return rc ? rc : vg__sq_ints(q, st, "grants", added, n);
}

static int grant_list(struct vg_store *s, int64_t org, vg_grant_cb cb, void *ud)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int step;
	int rc = vg__sq_prep(
	    q, &st,
	    "SELECT id, org, owner, added, object, request,"
	    " granted_by, created, revoked, revoked_by, revoked_at"
	    " FROM warn_grants WHERE ?1 = 0 OR org = ?1 OR owner = ?1"
	    " ORDER BY id",
	    "i", org);
	if (rc)
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct vg_grant_row g = {
		    .id = sqlite3_column_int64(st, 0),
		    .org = sqlite3_column_int64(st, 1),
		    .owner = sqlite3_column_int64(st, 2),
		    .added = sqlite3_column_int64(st, 3),
		    .object = vg__sq_col(st, 4),
		    .request = sqlite3_column_int64(st, 5),
		    .granted_by = vg__sq_col(st, 6),
		    .created = sqlite3_column_int64(st, 7),
		    .revoked = sqlite3_column_int(st, 8),
		    .revoked_by = vg__sq_col(st, 9),
		    .revoked_at = sqlite3_column_int64(st, 10),
		};
		if ((rc = cb(ud, &g)))
			break;
	}
	if (!rc && step != SQLITE_DONE)
		rc = vg__sq_fail(q, "list grants");
	vg__sq_release(q, st);
	return rc;
}

static int grant_revoke(struct vg_store *s, int64_t id, const char *by,
                        int64_t at)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc =
	    vg__sq_prep(q, &st,
	                "UPDATE warn_grants SET revoked = 1, revoked_by = ?2,"
	                " revoked_at = ?3 WHERE id = ?1 AND revoked = 0",
	                "iti", id, by, at);
	if (!rc)
		rc = vg__sq_run(q, st, "revoke grant");
	return rc ? rc : sqlite3_changes(q->db) ? VG_OK : VG_ENOTFOUND;
}

/* ---- exclusions --------------------------------------------------------- */

static int excl_put(struct vg_store *s, const char *key, int excluded)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prep(q, &st,
	                     "INSERT OR REPLACE INTO warn_exclusions"
	                     " (key, excluded) VALUES (?1,?2)",
	                     "ti", key, (int64_t)excluded);
	return rc ? rc : vg__sq_run(q, st, "set exclusion");
}

static int excl_list(struct vg_store *s, vg_excl_cb cb, void *ud)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int step;
	int rc = vg__sq_prep(q, &st,
	                     "SELECT key, excluded FROM warn_exclusions"
	                     " ORDER BY key",
	                     NULL);
	if (rc)
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		if ((rc = cb(ud, vg__sq_col(st, 0), sqlite3_column_int(st, 1))))
			break;
	if (!rc && step != SQLITE_DONE)
		rc = vg__sq_fail(q, "exclusions");
	vg__sq_release(q, st);
	return rc;
}

const struct vg_store_warn_ops vg__sq_warn_ops = {
    .keys_add = keys_add,
    .keys_put = keys_put,
    .keys_scan = keys_scan,
    .row = row_at,
    .keys_clear = keys_clear,
    .key_counts = key_counts,
    .counts = counts,
    .watch_add = watch_add,
    .watch_list = watch_list,
    .watch_get = watch_get,
    .watch_remove = watch_remove,
    .watch_update = watch_update,
    .alert_add = alert_add,
    .alert_scan = alert_scan,
    .alert_get = alert_get,
    .alert_ack = alert_ack,
    .alert_last = alert_last,
    .delivery_add = delivery_add,
    .delivery_due = delivery_due,
    .delivery_update = delivery_update,
    .disclosure_set = disclosure_set,
    .disclosure_get = disclosure_get,
    .request_add = request_add,
    .request_get = request_get,
    .request_list = request_list,
    .request_update = request_update,
    .grant_add = grant_add,
    .grants_of = grants_of,
    .grant_list = grant_list,
    .grant_revoke = grant_revoke,
    .excl_put = excl_put,
    .excl_list = excl_list,
};
