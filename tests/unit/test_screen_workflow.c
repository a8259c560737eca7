/* The screening officer's store operations (runs listed with counts, one
 * hit, suppressions kept, listed and withdrawn) give the same answers on
 * the SQLite, the in-memory and the PostgreSQL backends (when
 * VIGIL_TEST_PG names a cluster: ctest's unit-pg); and the workflow through
 * the service (on the in-memory store, or PostgreSQL under unit-pg): a
 * false positive disposed, the same traveller suppressed in the next run,
 * withdrawn, raised again. */
#include "svc_fixture.h"

#include "vigil/service/screening.h"

#include <unistd.h>

/* ---- the store, on both backends ------------------------------------ */

static void add_run(struct vg_store *s, const char *id, int64_t created,
                    int64_t org, const char *source, int hits)
{
	struct vg_screen_run_row r = {
	    .id = id,
	    .created = created,
	    .actor = "alice",
	    .org = org,
	    .source = source,
	    .format = "csv",
	    .travellers = 3,
	    .hits = hits,
	    .threshold = 0.7,
	    .travellers_json = "[]",
	};
	assert_int_equal(s->ops->screen->run_add(s, &r), VG_OK);
	for (int i = 1; i <= hits; i++) {
		struct vg_screen_hit_row h = {
		    .run = id,
		    .n = i,
		    .traveller = i - 1,
		    .entry = "identity--e",
		    .list = "un",
		    .ref = "X.1",
		    .score = 0.9,
		    .explanation = "{}",
		    .entry_version = "2026-01-01T00:00:00.000Z",
		    .entry_name = "E",
		    .key_doc = "P1",
		    .key_name = "doe jane",
		    .key_dob = "1970",
		    .same_person = i == 2 ? "[]" : NULL,
		};
		assert_int_equal(s->ops->screen->hit_add(s, &h), VG_OK);
	}
}

static int list_ids(void *ud, const struct vg_screen_run_row *r)
{
	char *out = ud;
	char one[120];
	snprintf(one, sizeof(one), "%s%s:%lld/%lld/%lld/%lld/%lld",
	         out[0] ? " " : "", r->id, (long long)r->n_open,
	         (long long)r->n_confirmed, (long long)r->n_false_positive,
	         (long long)r->n_needs_review, (long long)r->n_suppressed);
	strcat(out, one);
	assert_null(r->travellers_json);
	return 0;
}

static const char *runs(struct vg_store *s, struct vg_screen_run_filter f)
{
	static char out[1000];
	out[0] = '\0';
	assert_int_equal(s->ops->screen->run_list(s, &f, list_ids, out), VG_OK);
	return out;
}

static int hit_text(void *ud, const struct vg_screen_hit_row *h)
{
	snprintf(ud, 300, "%lld %s %s %s|%s|%s %s %lld %s", (long long)h->n,
	         h->entry, h->entry_version, h->key_doc, h->key_name,
	         h->key_dob, h->same_person ? h->same_person : "-",
	         (long long)h->suppressed,
	         h->suppressed_by ? h->suppressed_by : "-");
	return 0;
}

static int sup_text(void *ud, const struct vg_suppression_row *r)
{
	char *out = ud;
	char one[200];
	snprintf(one, sizeof(one), "%s%lld:%lld:%s:%s:%lld:%s:%s",
	         out[0] ? " " : "", (long long)r->id, (long long)r->org, r->run,
	         r->by, (long long)r->hit, r->note ? r->note : "-",
	         r->withdrawn_at ? r->withdrawn_by : "in force");
	strcat(out, one);
	return 0;
}

static const char *sups(struct vg_store *s, int64_t org, int all)
{
	static char out[1000];
	out[0] = '\0';
	assert_int_equal(
	    s->ops->screen->suppression_list(s, org, all, sup_text, out),
	    VG_OK);
	return out;
}

/* The same steps and answers on the store at location. */
static void scenario(const char *location)
{
	struct vg_store *s = NULL;
	char hit[300];
	int64_t id = 0;
	assert_int_equal(vg_store_open(location, VG_STORE_CREATE, &s, NULL, 0),
	                 VG_OK);
	assert_int_equal(s->ops->begin(s), VG_OK);
	add_run(s, "r1", 100, 1, "monday.csv", 2);
	add_run(s, "r2", 300, 1, "tuesday.edi", 0);
	add_run(s, "r3", 200, 2, "monday.csv", 1);
	assert_int_equal(
	    s->ops->screen->dispose(s, "r1", 1, 1, 3, "alice", NULL, 400),
	    VG_OK);
	assert_int_equal(s->ops->commit(s), VG_OK);

	/* newest first; org 0 is every organisation's */
	assert_string_equal(runs(s, (struct vg_screen_run_filter){0}),
	                    "r2:0/0/0/0/0 r3:1/0/0/0/0 r1:1/0/0/1/0");
	assert_string_equal(runs(s, (struct vg_screen_run_filter){.org = 1}),
	                    "r2:0/0/0/0/0 r1:1/0/0/1/0");
	assert_string_equal(runs(s, (struct vg_screen_run_filter){.open = 1}),
	                    "r3:1/0/0/0/0 r1:1/0/0/1/0");
	assert_string_equal(
	    runs(s, (struct vg_screen_run_filter){.needs_review = 1}),
	    "r1:1/0/0/1/0");
	assert_string_equal(
	    runs(s, (struct vg_screen_run_filter){.source = "monday"}),
	    "r3:1/0/0/0/0 r1:1/0/0/1/0");
	assert_string_equal(
	    runs(s, (struct vg_screen_run_filter){.since = 150, .until = 300}),
	    "r3:1/0/0/0/0");
	assert_string_equal(runs(s, (struct vg_screen_run_filter){.limit = 1}),
	                    "r2:0/0/0/0/0");
	assert_string_equal(runs(s, (struct vg_screen_run_filter){.run = "r3"}),
	                    "r3:1/0/0/0/0");
	assert_string_equal(
	    runs(s, (struct vg_screen_run_filter){.run = "r3", .org = 1}), "");

	assert_int_equal(s->ops->screen->hit_get(s, "r1", 2, 1, hit_text, hit),
	                 VG_OK);
	assert_string_equal(hit, "2 identity--e 2026-01-01T00:00:00.000Z "
	                         "P1|doe jane|1970 [] 0 -");
	assert_int_equal(s->ops->screen->hit_get(s, "r1", 2, 2, hit_text, hit),
	                 VG_ENOTFOUND);
	assert_int_equal(s->ops->screen->hit_get(s, "r1", 3, 0, hit_text, hit),
	                 VG_ENOTFOUND);

	/* suppressions: ids grow, org -1 is every organisation's */
	struct vg_suppression_row r = {
	    .org = 1,
	    .entry = "identity--e",
	    .entry_version = "2026-01-01T00:00:00.000Z",
	    .doc = "P1",
	    .name = "doe jane",
	    .dob = "1970",
	    .run = "r1",
	    .hit = 2,
	    .created = 500,
	    .by = "alice",
	    .note = "not her",
	};
	assert_int_equal(s->ops->begin(s), VG_OK);
	assert_int_equal(s->ops->screen->suppression_add(s, &r, &id), VG_OK);
	assert_int_equal(id, 1);
	r.org = 2;
	r.run = "r3";
	r.note = NULL;
	assert_int_equal(s->ops->screen->suppression_add(s, &r, &id), VG_OK);
	assert_int_equal(id, 2);
	assert_int_equal(s->ops->commit(s), VG_OK);
	assert_string_equal(sups(s, 1, 0), "1:1:r1:alice:2:not her:in force");
	assert_string_equal(sups(s, -1, 0), "1:1:r1:alice:2:not her:in force "
	                                    "2:2:r3:alice:2:-:in force");

	/* a hit held back names its suppression's maker and time */
	assert_int_equal(s->ops->begin(s), VG_OK);
	struct vg_screen_run_row run = {.id = "r4",
	                                .created = 600,
	                                .actor = "a",
	                                .org = 1,
	                                .source = "",
	                                .format = "csv",
	                                .travellers_json = "[]"};
	struct vg_screen_hit_row h = {.run = "r4",
	                              .n = 1,
	                              .entry = "identity--e",
	                              .list = "un",
	                              .ref = "X.1",
	                              .explanation = "{}",
	                              .suppressed = 1};
	assert_int_equal(s->ops->screen->run_add(s, &run), VG_OK);
	assert_int_equal(s->ops->screen->hit_add(s, &h), VG_OK);
	assert_int_equal(s->ops->commit(s), VG_OK);
	assert_int_equal(s->ops->screen->hit_get(s, "r4", 1, 0, hit_text, hit),
	                 VG_OK);
	assert_string_equal(hit, "1 identity--e  || - 1 alice");
	assert_string_equal(runs(s, (struct vg_screen_run_filter){.run = "r4"}),
	                    "r4:0/0/0/0/1");

	/* withdrawn: by another organisation, no; twice, no */
	assert_int_equal(s->ops->begin(s), VG_OK);
	assert_int_equal(
	    s->ops->screen->suppression_withdraw(s, 1, 2, "bob", 700),
	    VG_ENOTFOUND);
	assert_int_equal(
	    s->ops->screen->suppression_withdraw(s, 1, 1, "alice", 700), VG_OK);
	assert_int_equal(
	    s->ops->screen->suppression_withdraw(s, 1, -1, "op", 800),
	    VG_ENOTFOUND);
	assert_int_equal(s->ops->commit(s), VG_OK);
	assert_string_equal(sups(s, 1, 0), "");
	assert_string_equal(sups(s, 1, 1), "1:1:r1:alice:2:not her:alice");

	/* a rolled-back suppression leaves nothing */
	assert_int_equal(s->ops->begin(s), VG_OK);
	assert_int_equal(s->ops->screen->suppression_add(s, &r, &id), VG_OK);
	assert_int_equal(s->ops->rollback(s), VG_OK);
	assert_string_equal(sups(s, 2, 1), "2:2:r3:alice:2:-:in force");
	vg_store_close(s);
}

static void test_memory(void **state)
{
	(void)state;
	scenario("memory:screen-store");
	vg_store_memory_drop("screen-store");
}

static void test_sqlite(void **state)
{
	char dir[] = "/tmp/vigil-screen-store-XXXXXX", cmd[200];
	(void)state;
	assert_non_null(mkdtemp(dir));
	scenario(dir);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_postgres(void **state)
{
	char loc[300], sql[120];
	(void)state;
	if (!test_pg())
		skip();
	snprintf(loc, sizeof(loc), "postgresql:///vscreen_%d%s", (int)getpid(),
	         strstr(test_pg(), "?"));
	scenario(loc);
	snprintf(sql, sizeof(sql),
	         "DROP DATABASE IF EXISTS vscreen_%d WITH (FORCE)",
	         (int)getpid());
	test_pg_exec(sql);
}

/* ---- the service, on the in-memory store ---------------------------- */

static const char list_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CONSOLIDATED_LIST>"
    "<INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>GRETA"
    "</FIRST_NAME><SECOND_NAME>HALVORSEN</SECOND_NAME><UN_LIST_TYPE>T"
    "</UN_LIST_TYPE><REFERENCE_NUMBER>TAi.902</REFERENCE_NUMBER>"
    "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>"
    "1966-02-03</DATE></INDIVIDUAL_DATE_OF_BIRTH></INDIVIDUAL>"
    "</INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>\n";
static const char travellers[] =
    "surname,given_names,date_of_birth,document_number\n"
    "HALVORSEN,Greta,1966-02-03,N0112233\n";

static void screen(struct vg_ctx *c, struct vg_screening *sc)
{
	char err[300] = "";
	int rc = vg_screen(c, travellers, strlen(travellers), NULL, 0, 0.7, 1,
	                   "t.csv", sc, err, sizeof(err));
	if (rc)
		fail_msg("screen: %s %s", vg_err_name(rc), err);
}

static int count_sup(void *ud, const struct vg_suppression_row *r)
{
	(void)r;
	(*(int *)ud)++;
	return 0;
}

static void test_service_workflow(void **state)
{
	struct hub h;
	struct vg_ctx op;
	struct vg_screening sc;
	struct vg_wl_import_result res;
	char path[] = "/tmp/vigil-screen-list-XXXXXX", err[300] = "", id[37];
	(void)state;
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, list_xml, sizeof(list_xml) - 1),
	                 (ssize_t)sizeof(list_xml) - 1);
	close(fd);
	hub_open(&h, "screen-workflow", 0);
	ctx_operator(&h, &op);
	assert_int_equal(vg_watchlist_import(&op, "un", path, "t", NULL, &res,
	                                     err, sizeof(err)),
	                 VG_OK);
	unlink(path);

	screen(&op, &sc);
	assert_int_equal(sc.r.n_leads, 1);
	assert_int_equal(sc.r.n_raised, 1);
	assert_string_equal(sc.keys[0].doc, "N0112233");
	assert_string_equal(sc.keys[0].name, "greta halvorsen");
	assert_string_equal(sc.keys[0].dob, "1966-02-03");
	char run[37];
	snprintf(run, sizeof(run), "%s", sc.run);
	vg_screening_release(&sc);

	assert_int_equal(vg_screen_dispose(&op, "nope", 1, VG_DISP_CONFIRMED,
	                                   NULL, id, err, sizeof(err)),
	                 VG_ENOTFOUND);
	assert_string_equal(err, "no run 'nope'");
	assert_int_equal(vg_screen_dispose(&op, VG_RUN_LAST, 1,
	                                   VG_DISP_FALSE_POSITIVE, "not her",
	                                   id, err, sizeof(err)),
	                 VG_OK);
	assert_string_equal(id, run);

	screen(&op, &sc);
	assert_int_equal(sc.r.n_leads, 1);
	assert_int_equal(sc.r.n_raised, 0);
	assert_int_equal(sc.r.hits[0].suppressed, 1);
	assert_string_equal(sc.r.hits[0].suppressed_by, OP_ACTOR);
	vg_screening_release(&sc);

	int n = 0;
	assert_int_equal(vg_screen_suppressions(&op, 0, count_sup, &n), VG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(vg_screen_withdraw(&op, 1), VG_OK);
	assert_int_equal(vg_screen_withdraw(&op, 1), VG_ENOTFOUND);
	screen(&op, &sc);
	assert_int_equal(sc.r.n_raised, 1);
	assert_int_equal(sc.r.hits[0].suppressed, 0);
	vg_screening_release(&sc);
	vg_ctx_release(&op);
	hub_close(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_memory),
	    cmocka_unit_test(test_sqlite),
	    cmocka_unit_test(test_postgres),
	    cmocka_unit_test(test_service_workflow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
