/* Screening runs and their hits in SQLite. */
#include "sqlite_int.h"

#include <string.h>

typedef struct vg__sq sq_t;

static int run_add(struct vg_store *s, const struct vg_screen_run_row *r)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prepare(q, &st,
				"INSERT INTO screen_runs (id, created, actor, org,"
				" source, format, travellers, hits, threshold,"
				" travellers_json) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,"
				"?9,?10)");
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, r->created);
	sqlite3_bind_text(st, 3, r->actor, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, r->org);
	sqlite3_bind_text(st, 5, r->source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, r->format, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, r->travellers);
	sqlite3_bind_int64(st, 8, r->hits);
	sqlite3_bind_double(st, 9, r->threshold);
	sqlite3_bind_text(st, 10, r->travellers_json, -1, SQLITE_STATIC);
	rc = vg__sq_done(q, st, "add screening run");
	sqlite3_finalize(st);
	return rc;
}

static int hit_add(struct vg_store *s, const struct vg_screen_hit_row *h)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prepare(q, &st,
				"INSERT INTO screen_hits (run, n, traveller, entry,"
				" list, ref, score, explanation) VALUES (?1,?2,?3,"
				"?4,?5,?6,?7,?8)");
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, h->run, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, h->n);
	sqlite3_bind_int64(st, 3, h->traveller);
	sqlite3_bind_text(st, 4, h->entry, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, h->list, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, h->ref, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 7, h->score);
	sqlite3_bind_text(st, 8, h->explanation, -1, SQLITE_STATIC);
	rc = vg__sq_done(q, st, "add screening hit");
	sqlite3_finalize(st);
	return rc;
}

static int dispose(struct vg_store *s, const char *run, int64_t n, int64_t org,
		   int disposition, const char *by, const char *note, int64_t at)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prepare(q, &st,
				"UPDATE screen_hits SET disposition=?1,"
				" disposed_by=?2, disposed_at=?3, note=?4 WHERE run=?5"
				" AND n=?6 AND (?7 = 0 OR (SELECT org FROM screen_runs"
				" WHERE id=?5) = ?7)");
	if (rc)
		return rc;
	sqlite3_bind_int(st, 1, disposition);
	sqlite3_bind_text(st, 2, by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, at);
	vg__sq_bind_text(st, 4, note);
	sqlite3_bind_text(st, 5, run, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, n);
	sqlite3_bind_int64(st, 7, org);
	rc = vg__sq_done(q, st, "dispose of a hit");
	sqlite3_finalize(st);
	if (!rc && !sqlite3_changes(q->db))
		rc = VG_ENOTFOUND;
	return rc;
}

static int run_get(struct vg_store *s, const char *run, int64_t org,
		   vg_screen_run_cb run_cb, vg_screen_hit_cb hit_cb, void *ud)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int step, found = 0;
	int rc = vg__sq_prepare(q, &st,
				"SELECT id, created, actor, org, source, format,"
				" travellers, hits, threshold, travellers_json FROM"
				" screen_runs WHERE id=?1 AND (?2 = 0 OR org = ?2)");
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, run, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, org);
	if ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct vg_screen_run_row r = {
			.id = vg__sq_col(st, 0),
			.created = sqlite3_column_int64(st, 1),
			.actor = vg__sq_col(st, 2),
			.org = sqlite3_column_int64(st, 3),
			.source = vg__sq_col(st, 4),
			.format = vg__sq_col(st, 5),
			.travellers = sqlite3_column_int64(st, 6),
			.hits = sqlite3_column_int64(st, 7),
			.threshold = sqlite3_column_double(st, 8),
			.travellers_json = vg__sq_col(st, 9),
		};
		found = 1;
		rc = run_cb(ud, &r);
	} else if (step != SQLITE_DONE) {
		rc = vg__sq_fail(q, "read screening run");
	}
	sqlite3_finalize(st);
	if (rc || !found)
		return rc ? rc : VG_ENOTFOUND;
	rc = vg__sq_prepare(q, &st,
			    "SELECT run, n, traveller, entry, list, ref, score,"
			    " explanation, disposition, disposed_by, disposed_at,"
			    " note FROM screen_hits WHERE run=?1 ORDER BY n");
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, run, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct vg_screen_hit_row h = {
			.run = vg__sq_col(st, 0),
			.n = sqlite3_column_int64(st, 1),
			.traveller = sqlite3_column_int64(st, 2),
			.entry = vg__sq_col(st, 3),
			.list = vg__sq_col(st, 4),
			.ref = vg__sq_col(st, 5),
			.score = sqlite3_column_double(st, 6),
			.explanation = vg__sq_col(st, 7),
			.disposition = sqlite3_column_int(st, 8),
			.disposed_by = vg__sq_col(st, 9),
			.disposed_at = sqlite3_column_int64(st, 10),
			.note = vg__sq_col(st, 11),
		};
		if ((rc = hit_cb(ud, &h)))
			break;
	}
	if (!rc && step != SQLITE_DONE)
		rc = vg__sq_fail(q, "read screening hits");
	sqlite3_finalize(st);
	return rc;
}

const struct vg_store_screen_ops vg__sq_screen_ops = {
	.run_add = run_add,
	.hit_add = hit_add,
	.dispose = dispose,
	.run_get = run_get,
};
