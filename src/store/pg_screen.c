/* Screening runs and their hits in PostgreSQL. */
#include "pg_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct vg__pg pg_t;

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
	    " ref, score, explanation) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)"
	    " ON CONFLICT DO NOTHING",
	    "tiitttdt", h->run, h->n, h->traveller, h->entry, h->list, h->ref,
	    h->score, h->explanation);
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
	rc = vg__pg_run(
	    p, &r,
	    "SELECT run, n, traveller, entry, list, ref, score,"
	    " explanation, disposition, disposed_by, disposed_at, note"
	    " FROM screen_hits WHERE run = $1 ORDER BY n",
	    "t", run);
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		struct vg_screen_hit_row h = {
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
		};
		rc = hit_cb(ud, &h);
	}
	PQclear(r);
	return rc;
}

const struct vg_store_screen_ops vg__pg_screen_ops = {
    .run_add = run_add,
    .hit_add = hit_add,
    .dispose = dispose,
    .run_get = run_get,
};
