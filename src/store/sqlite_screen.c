/* Screening runs and their hits in SQLite. */
#include "sqlite_int.h"

#include <string.h>

typedef struct vg__sq sq_t;

/* A hit with the maker and time of the suppression that held it back. */
#define HIT_SQL                                                              \
	"SELECT h.run, h.n, h.traveller, h.entry, h.list, h.ref, h.score,"  \
	" h.explanation, h.disposition, h.disposed_by, h.disposed_at,"       \
	" h.note, h.entry_version, h.entry_name, h.key_doc, h.key_name,"     \
	" h.key_dob, h.same_person, h.suppressed, p.by, p.created FROM"      \
	" screen_hits h LEFT JOIN screen_suppressions p ON p.id ="           \
	" h.suppressed"

static void hit_of(sqlite3_stmt *st, struct vg_screen_hit_row *h)
{
	*h = (struct vg_screen_hit_row){
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
		.entry_version = vg__sq_col(st, 12),
		.entry_name = vg__sq_col(st, 13),
		.key_doc = vg__sq_col(st, 14),
		.key_name = vg__sq_col(st, 15),
		.key_dob = vg__sq_col(st, 16),
		.same_person = vg__sq_col(st, 17),
		.suppressed = sqlite3_column_int64(st, 18),
		.suppressed_by = vg__sq_col(st, 19),
		.suppressed_at = sqlite3_column_int64(st, 20),
	};
}

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
				" list, ref, score, explanation, entry_version,"
				" entry_name, key_doc, key_name, key_dob,"
				" same_person, suppressed) VALUES (?1,?2,?3,?4,?5,"
				"?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)");
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
	sqlite3_bind_text(st, 9, h->entry_version ? h->entry_version : "", -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 10, h->entry_name ? h->entry_name : "", -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 11, h->key_doc ? h->key_doc : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, h->key_name ? h->key_name : "", -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 13, h->key_dob ? h->key_dob : "", -1, SQLITE_STATIC);
	vg__sq_bind_text(st, 14, h->same_person);
	sqlite3_bind_int64(st, 15, h->suppressed);
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
	rc = vg__sq_prepare(q, &st, HIT_SQL " WHERE h.run=?1 ORDER BY h.n");
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, run, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct vg_screen_hit_row h;
		hit_of(st, &h);
		if ((rc = hit_cb(ud, &h)))
			break;
	}
	if (!rc && step != SQLITE_DONE)
		rc = vg__sq_fail(q, "read screening hits");
	sqlite3_finalize(st);
	return rc;
}

static int hit_get(struct vg_store *s, const char *run, int64_t n, int64_t org,
		   vg_screen_hit_cb cb, void *ud)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int step;
	int rc = vg__sq_prepare(q, &st, HIT_SQL " WHERE h.run=?1 AND h.n=?2 AND"
					" (?3 = 0 OR (SELECT org FROM screen_runs"
					" WHERE id=?1) = ?3)");
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, run, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, n);
	sqlite3_bind_int64(st, 3, org);
	if ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct vg_screen_hit_row h;
		hit_of(st, &h);
		rc = cb(ud, &h);
	} else {
		rc = step == SQLITE_DONE ? VG_ENOTFOUND
					 : vg__sq_fail(q, "read a screening hit");
	}
	sqlite3_finalize(st);
	return rc;
}

/* The filter's conditions are all bound; an unused one is written so that
 * it holds for every run (?N = 0 OR ...). */
static int run_list(struct vg_store *s, const struct vg_screen_run_filter *f,
		    vg_screen_run_cb cb, void *ud)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int step;
	int rc = vg__sq_prepare(
		q, &st,
		"SELECT r.id, r.created, r.actor, r.org, r.source, r.format,"
		" r.travellers, r.hits, r.threshold,"
		" (SELECT count(*) FROM screen_hits h WHERE h.run=r.id AND"
		"  h.disposition=0 AND h.suppressed=0),"
		" (SELECT count(*) FROM screen_hits h WHERE h.run=r.id AND"
		"  h.disposition=1),"
		" (SELECT count(*) FROM screen_hits h WHERE h.run=r.id AND"
		"  h.disposition=2),"
		" (SELECT count(*) FROM screen_hits h WHERE h.run=r.id AND"
		"  h.disposition=3),"
		" (SELECT count(*) FROM screen_hits h WHERE h.run=r.id AND"
		"  h.disposition=0 AND h.suppressed<>0)"
		" FROM screen_runs r WHERE (?1 = 0 OR r.org = ?1)"
		" AND (?2 IS NULL OR r.id = ?2)"
		" AND (?3 = 0 OR r.created >= ?3) AND (?4 = 0 OR r.created < ?4)"
		" AND (?5 IS NULL OR instr(r.source, ?5) > 0)"
		" AND (?6 = 0 OR EXISTS (SELECT 1 FROM screen_hits h WHERE"
		"  h.run=r.id AND h.disposition=0 AND h.suppressed=0))"
		" AND (?7 = 0 OR EXISTS (SELECT 1 FROM screen_hits h WHERE"
		"  h.run=r.id AND h.disposition=3))"
		" ORDER BY r.created DESC, r.id DESC LIMIT ?8");
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, f->org);
	vg__sq_bind_text(st, 2, f->run);
	sqlite3_bind_int64(st, 3, f->since);
	sqlite3_bind_int64(st, 4, f->until);
	vg__sq_bind_text(st, 5, f->source);
	sqlite3_bind_int(st, 6, !!f->open);
	sqlite3_bind_int(st, 7, !!f->needs_review);
	sqlite3_bind_int64(st, 8, f->limit ? (int64_t)f->limit : -1);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
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
			.n_open = sqlite3_column_int64(st, 9),
			.n_confirmed = sqlite3_column_int64(st, 10),
			.n_false_positive = sqlite3_column_int64(st, 11),
			.n_needs_review = sqlite3_column_int64(st, 12),
			.n_suppressed = sqlite3_column_int64(st, 13),
		};
		if ((rc = cb(ud, &r)))
			break;
	}
	if (!rc && step != SQLITE_DONE)
		rc = vg__sq_fail(q, "list screening runs");
	sqlite3_finalize(st);
	return rc;
}

/* ---- suppressions --------------------------------------------------- */

static int suppression_add(struct vg_store *s,
			   const struct vg_suppression_row *r, int64_t *id)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prepare(q, &st,
				"INSERT INTO screen_suppressions (org, entry,"
				" entry_version, doc, name, dob, run, hit, created,"
				" by, note) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,"
				"?11)");
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, r->org);
	sqlite3_bind_text(st, 2, r->entry, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, r->entry_version, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, r->doc, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, r->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, r->dob, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, r->run, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, r->hit);
	sqlite3_bind_int64(st, 9, r->created);
	sqlite3_bind_text(st, 10, r->by, -1, SQLITE_STATIC);
	vg__sq_bind_text(st, 11, r->note);
	rc = vg__sq_done(q, st, "add a suppression");
	sqlite3_finalize(st);
	if (!rc)
		*id = sqlite3_last_insert_rowid(q->db);
	return rc;
}

static int suppression_list(struct vg_store *s, int64_t org, int withdrawn_too,
			    vg_suppression_cb cb, void *ud)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int step;
	int rc = vg__sq_prepare(q, &st,
				"SELECT id, org, entry, entry_version, doc, name,"
				" dob, run, hit, created, by, note, withdrawn_at,"
				" withdrawn_by FROM screen_suppressions WHERE"
				" (?1 < 0 OR org = ?1) AND (?2 OR withdrawn_at = 0)"
				" ORDER BY id");
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, org);
	sqlite3_bind_int(st, 2, !!withdrawn_too);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct vg_suppression_row r = {
			.id = sqlite3_column_int64(st, 0),
			.org = sqlite3_column_int64(st, 1),
			.entry = vg__sq_col(st, 2),
			.entry_version = vg__sq_col(st, 3),
			.doc = vg__sq_col(st, 4),
			.name = vg__sq_col(st, 5),
			.dob = vg__sq_col(st, 6),
			.run = vg__sq_col(st, 7),
			.hit = sqlite3_column_int64(st, 8),
			.created = sqlite3_column_int64(st, 9),
			.by = vg__sq_col(st, 10),
			.note = vg__sq_col(st, 11),
			.withdrawn_at = sqlite3_column_int64(st, 12),
			.withdrawn_by = vg__sq_col(st, 13),
		};
		if ((rc = cb(ud, &r)))
			break;
	}
	if (!rc && step != SQLITE_DONE)
		rc = vg__sq_fail(q, "list suppressions");
	sqlite3_finalize(st);
	return rc;
}

static int suppression_withdraw(struct vg_store *s, int64_t id, int64_t org,
				const char *by, int64_t at)
{
	sq_t *q = vg__sq(s);
	sqlite3_stmt *st;
	int rc = vg__sq_prepare(q, &st,
				"UPDATE screen_suppressions SET withdrawn_at=?1,"
				" withdrawn_by=?2 WHERE id=?3 AND withdrawn_at=0"
				" AND (?4 < 0 OR org = ?4)");
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, at);
	sqlite3_bind_text(st, 2, by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, id);
	sqlite3_bind_int64(st, 4, org);
	rc = vg__sq_done(q, st, "withdraw a suppression");
	sqlite3_finalize(st);
	if (!rc && !sqlite3_changes(q->db))
		rc = VG_ENOTFOUND;
	return rc;
}

const struct vg_store_screen_ops vg__sq_screen_ops = {
	.run_add = run_add,
	.hit_add = hit_add,
	.dispose = dispose,
	.run_get = run_get,
	.run_list = run_list,
	.hit_get = hit_get,
	.suppression_add = suppression_add,
	.suppression_list = suppression_list,
	.suppression_withdraw = suppression_withdraw,
};
