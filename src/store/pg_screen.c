/* Screening runs, their hits and the suppressions in PostgreSQL, as in
 * SQLite (sqlite_screen.c). */
#include "pg_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct vg__pg pg_t;

/* A hit with the maker and time of the suppression that held it back. */
#define HIT_SQL                                                                \
	"SELECT h.run, h.n, h.traveller, h.entry, h.list, h.ref, h.score,"     \
	" h.explanation, h.disposition, h.disposed_by, h.disposed_at,"         \
	" h.note, h.entry_version, h.entry_name, h.key_doc, h.key_name,"       \
	" h.key_dob, h.same_person, h.suppressed, p.\"by\", p.created FROM"    \
	" screen_hits h LEFT JOIN screen_suppressions p ON p.id ="             \
	" h.suppressed"

static void hit_of(const PGresult *r, int i, struct vg_screen_hit_row *h)
{
	*h = (struct vg_screen_hit_row){
	    .run = PQgetvalue(r, i, 0),
	    .n = vg__pg_int(r, i, 1),
	    .traveller = vg__pg_int(r, i, 2),
	    .entry = PQgetvalue(r, i, 3),
	    .list = PQgetvalue(r, i, 4),
	    .ref = PQgetvalue(r, i, 5),
	    .score = strtod(PQgetvalue(r, i, 6), NULL),
	    .explanation = PQgetvalue(r, i, 7),
	    .disposition = (int)vg__pg_int(r, i, 8),
	    .disposed_by = vg__pg_str(r, i, 9),
	    .disposed_at = vg__pg_int(r, i, 10),
	    .note = vg__pg_str(r, i, 11),
	    .entry_version = PQgetvalue(r, i, 12),
	    .entry_name = PQgetvalue(r, i, 13),
	    .key_doc = PQgetvalue(r, i, 14),
	    .key_name = PQgetvalue(r, i, 15),
	    .key_dob = PQgetvalue(r, i, 16),
	    .same_person = vg__pg_str(r, i, 17),
	    .suppressed = vg__pg_int(r, i, 18),
	    .suppressed_by = vg__pg_str(r, i, 19),
	    .suppressed_at = vg__pg_int(r, i, 20),
	};
}

static int run_add(struct vg_store *s, const struct vg_screen_run_row *r)
{
	PGresult *res = NULL;
	int rc = vg__pg_run(
	    vg__pg(s), &res,
	    "INSERT INTO screen_runs (id, created, actor, org, source,"
	    " format, travellers, hits, threshold, travellers_json)"
	    " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)"
	    " ON CONFLICT DO NOTHING",
	    "titittiidt", r->id, r->created, r->actor, r->org, r->source,
	    r->format, r->travellers, r->hits, r->threshold,
	    r->travellers_json);
	if (!rc && !vg__pg_changes(res))
		rc = VG_EDUPLICATE;
	PQclear(res);
	return rc;
}

static int hit_add(struct vg_store *s, const struct vg_screen_hit_row *h)
{
	PGresult *res = NULL;
	int rc = vg__pg_run(
	    vg__pg(s), &res,
	    "INSERT INTO screen_hits (run, n, traveller, entry, list,"
	    " ref, score, explanation, entry_version, entry_name, key_doc,"
	    " key_name, key_dob, same_person, suppressed) VALUES ($1,$2,$3,"
	    "$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)"
	    " ON CONFLICT DO NOTHING",
	    "tiitttdttttttti", h->run, h->n, h->traveller, h->entry, h->list,
	    h->ref, h->score, h->explanation,
	    h->entry_version ? h->entry_version : "",
	    h->entry_name ? h->entry_name : "", h->key_doc ? h->key_doc : "",
	    h->key_name ? h->key_name : "", h->key_dob ? h->key_dob : "",
	    h->same_person, h->suppressed);
	if (!rc && !vg__pg_changes(res))
		rc = VG_EDUPLICATE;
	PQclear(res);
	return rc;
}

static int dispose(struct vg_store *s, const char *run, int64_t n, int64_t org,
                   int disposition, const char *by, const char *note,
                   int64_t at)
{
	PGresult *res = NULL;
	int rc = vg__pg_run(
	    vg__pg(s), &res,
	    "UPDATE screen_hits SET disposition = $1, disposed_by = $2,"
	    " disposed_at = $3, note = $4 WHERE run = $5 AND n = $6"
	    " AND ($7::int8 = 0 OR (SELECT org FROM screen_runs WHERE"
	    " id = $5) = $7)",
	    "itittii", (int64_t)disposition, by, at, note, run, n, org);
	if (!rc && !vg__pg_changes(res))
		rc = VG_ENOTFOUND;
	PQclear(res);
	return rc;
}

static int run_get(struct vg_store *s, const char *run, int64_t org,
                   vg_screen_run_cb run_cb, vg_screen_hit_cb hit_cb, void *ud)
{
	pg_t *p = vg__pg(s);
	PGresult *r = NULL;
	int rc = vg__pg_run(
	    p, &r,
	    "SELECT id, created, actor, org, source, format,"
	    " travellers, hits, threshold, travellers_json FROM"
	    " screen_runs WHERE id = $1 AND ($2::int8 = 0 OR org = $2)",
	    "ti", run, org);
	if (rc)
		return rc;
	if (!PQntuples(r)) {
		PQclear(r);
		return VG_ENOTFOUND;
	}
	struct vg_screen_run_row row = {
	    .id = PQgetvalue(r, 0, 0),
	    .created = vg__pg_int(r, 0, 1),
	    .actor = PQgetvalue(r, 0, 2),
	    .org = vg__pg_int(r, 0, 3),
	    .source = PQgetvalue(r, 0, 4),
	    .format = PQgetvalue(r, 0, 5),
	    .travellers = vg__pg_int(r, 0, 6),
	    .hits = vg__pg_int(r, 0, 7),
	    .threshold = strtod(PQgetvalue(r, 0, 8), NULL),
	    .travellers_json = PQgetvalue(r, 0, 9),
	};
	rc = run_cb(ud, &row);
	PQclear(r);
	if (rc)
		return rc;
	r = NULL;
	rc = vg__pg_run(p, &r, HIT_SQL " WHERE h.run = $1 ORDER BY h.n", "t",
	                run);
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		struct vg_screen_hit_row h;
		hit_of(r, i, &h);
		rc = hit_cb(ud, &h);
	}
	PQclear(r);
	return rc;
}

static int hit_get(struct vg_store *s, const char *run, int64_t n, int64_t org,
                   vg_screen_hit_cb cb, void *ud)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(vg__pg(s), &r,
	                    HIT_SQL " WHERE h.run = $1 AND h.n = $2 AND"
	                            " ($3::int8 = 0 OR (SELECT org FROM"
	                            " screen_runs WHERE id = $1) = $3)",
	                    "tii", run, n, org);
	if (!rc && PQntuples(r)) {
		struct vg_screen_hit_row h;
		hit_of(r, 0, &h);
		rc = cb(ud, &h);
	} else if (!rc) {
		rc = VG_ENOTFOUND;
	}
	PQclear(r);
	return rc;
}

/* The filter's conditions are all bound; an unused one is written so that
 * it holds for every run ($N = 0 OR ...), as in sqlite_screen.c. */
static int run_list(struct vg_store *s, const struct vg_screen_run_filter *f,
                    vg_screen_run_cb cb, void *ud)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(
	    vg__pg(s), &r,
	    "SELECT r.id, r.created, r.actor, r.org, r.source, r.format,"
	    " r.travellers, r.hits, r.threshold,"
	    " (SELECT count(*) FROM screen_hits h WHERE h.run = r.id AND"
	    "  h.disposition = 0 AND h.suppressed = 0),"
	    " (SELECT count(*) FROM screen_hits h WHERE h.run = r.id AND"
	    "  h.disposition = 1),"
	    " (SELECT count(*) FROM screen_hits h WHERE h.run = r.id AND"
	    "  h.disposition = 2),"
	    " (SELECT count(*) FROM screen_hits h WHERE h.run = r.id AND"
	    "  h.disposition = 3),"
	    " (SELECT count(*) FROM screen_hits h WHERE h.run = r.id AND"
	    "  h.disposition = 0 AND h.suppressed <> 0)"
	    " FROM screen_runs r WHERE ($1::int8 = 0 OR r.org = $1)"
	    " AND ($2::text IS NULL OR r.id = $2)"
	    " AND ($3::int8 = 0 OR r.created >= $3)"
	    " AND ($4::int8 = 0 OR r.created < $4)"
	    " AND ($5::text IS NULL OR strpos(r.source, $5) > 0)"
	    " AND ($6::int8 = 0 OR EXISTS (SELECT 1 FROM screen_hits h WHERE"
	    "  h.run = r.id AND h.disposition = 0 AND h.suppressed = 0))"
	    " AND ($7::int8 = 0 OR EXISTS (SELECT 1 FROM screen_hits h WHERE"
	    "  h.run = r.id AND h.disposition = 3))"
	    " ORDER BY r.created DESC, r.id DESC LIMIT $8",
	    "itiitiii", f->org, f->run, f->since, f->until, f->source,
	    (int64_t) !!f->open, (int64_t) !!f->needs_review,
	    f->limit ? (int64_t)f->limit : INT64_MAX);
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		struct vg_screen_run_row row = {
		    .id = PQgetvalue(r, i, 0),
		    .created = vg__pg_int(r, i, 1),
		    .actor = PQgetvalue(r, i, 2),
		    .org = vg__pg_int(r, i, 3),
		    .source = PQgetvalue(r, i, 4),
		    .format = PQgetvalue(r, i, 5),
		    .travellers = vg__pg_int(r, i, 6),
		    .hits = vg__pg_int(r, i, 7),
		    .threshold = strtod(PQgetvalue(r, i, 8), NULL),
		    .n_open = vg__pg_int(r, i, 9),
		    .n_confirmed = vg__pg_int(r, i, 10),
		    .n_false_positive = vg__pg_int(r, i, 11),
		    .n_needs_review = vg__pg_int(r, i, 12),
		    .n_suppressed = vg__pg_int(r, i, 13),
		};
		rc = cb(ud, &row);
	}
	PQclear(r);
	return rc;
}

/* ---- suppressions --------------------------------------------------- */

/* Ids are the next after the largest, as SQLite's rowids (pg_hub.c). */
static int suppression_add(struct vg_store *s,
                           const struct vg_suppression_row *r, int64_t *id)
{
	PGresult *res = NULL;
	int rc = vg__pg_run(
	    vg__pg(s), &res,
	    "INSERT INTO screen_suppressions (id, org, entry, entry_version,"
	    " doc, name, dob, run, hit, created, \"by\", note) SELECT"
	    " COALESCE(MAX(id), 0) + 1, $1, $2, $3, $4, $5, $6, $7, $8, $9,"
	    " $10, $11 FROM screen_suppressions RETURNING id",
	    "ittttttiitt", r->org, r->entry, r->entry_version, r->doc, r->name,
	    r->dob, r->run, r->hit, r->created, r->by, r->note);
	if (!rc && PQntuples(res) == 1)
		*id = vg__pg_int(res, 0, 0);
	else if (!rc)
		rc = vg__pg_fail(vg__pg(s), "add a suppression", res);
	PQclear(res);
	return rc;
}

static int suppression_list(struct vg_store *s, int64_t org, int withdrawn_too,
                            vg_suppression_cb cb, void *ud)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(
	    vg__pg(s), &r,
	    "SELECT id, org, entry, entry_version, doc, name, dob, run, hit,"
	    " created, \"by\", note, withdrawn_at, withdrawn_by FROM"
	    " screen_suppressions WHERE ($1::int8 < 0 OR org = $1) AND"
	    " ($2::int8 <> 0 OR withdrawn_at = 0) ORDER BY id",
	    "ii", org, (int64_t) !!withdrawn_too);
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		struct vg_suppression_row row = {
		    .id = vg__pg_int(r, i, 0),
		    .org = vg__pg_int(r, i, 1),
		    .entry = PQgetvalue(r, i, 2),
		    .entry_version = PQgetvalue(r, i, 3),
		    .doc = PQgetvalue(r, i, 4),
		    .name = PQgetvalue(r, i, 5),
		    .dob = PQgetvalue(r, i, 6),
		    .run = PQgetvalue(r, i, 7),
		    .hit = vg__pg_int(r, i, 8),
		    .created = vg__pg_int(r, i, 9),
		    .by = PQgetvalue(r, i, 10),
		    .note = vg__pg_str(r, i, 11),
		    .withdrawn_at = vg__pg_int(r, i, 12),
		    .withdrawn_by = vg__pg_str(r, i, 13),
		};
		rc = cb(ud, &row);
	}
	PQclear(r);
	return rc;
}

static int suppression_withdraw(struct vg_store *s, int64_t id, int64_t org,
                                const char *by, int64_t at)
{
	PGresult *r = NULL;
	int rc = vg__pg_run(vg__pg(s), &r,
	                    "UPDATE screen_suppressions SET withdrawn_at = $1,"
	                    " withdrawn_by = $2 WHERE id = $3 AND"
	                    " withdrawn_at = 0 AND ($4::int8 < 0 OR org = $4)",
	                    "itii", at, by, id, org);
	if (!rc && !vg__pg_changes(r))
		rc = VG_ENOTFOUND;
	PQclear(r);
	return rc;
}

const struct vg_store_screen_ops vg__pg_screen_ops = {
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
