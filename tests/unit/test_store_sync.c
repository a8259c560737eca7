/* The sync domain of the store (store/sync.h) gives the same answers on
 * every backend (PostgreSQL too when VIGIL_TEST_PG names a cluster: ctest's
 * unit-pg runs it): partners and their secrets, cursors, quarantine,
 * provenance, tombstones; and a rollback takes a cursor back with the rest
 * (the memory store's copies). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vigil/store/store.h"
#include "vigil/util/error.h"

struct seen {
	char text[4096];
};

static int show_partner(void *ud, const struct vg_partner_row *p)
{
	struct seen *s = ud;
	size_t n = strlen(s->text);
	snprintf(s->text + n, sizeof(s->text) - n,
	         "%s|%s|%d|%lld|%s|%s|%s|%zu|%s;", p->name, p->url,
	         p->direction, (long long)p->org, p->hub_id, p->sign_pk,
	         p->config, p->secret_len, p->state);
	return 0;
}

static int show_q(void *ud, const struct vg_quarantine_row *q)
{
	struct seen *s = ud;
	size_t n = strlen(s->text);
	snprintf(s->text + n, sizeof(s->text) - n, "%s|%s|%s|%s|%s|%s;",
	         q->collection, q->object_id, q->version, q->reason, q->json,
	         q->prov);
	return 0;
}

static int show_prov(void *ud, const struct vg_prov_row *p)
{
	struct seen *s = ud;
	snprintf(s->text, sizeof(s->text), "%lld|%s|%s|%s|%d",
	         (long long)p->date_added, p->origin, p->path, p->sig,
	         p->unsigned_);
	return 0;
}

static int show_tomb(void *ud, const struct vg_tomb_row *t)
{
	struct seen *s = ud;
	size_t n = strlen(s->text);
	snprintf(s->text + n, sizeof(s->text) - n,
	         "%lld|%s|%s|%s|%s|%s|%d|%lld|%d|%d|%s|%s|%lld;",
	         (long long)t->seq, t->origin, t->id, t->version, t->sig,
	         t->path, t->scope, (long long)t->grp, t->tlp,
	         t->classification, t->collection, t->type,
	         (long long)t->created);
	return 0;
}

static int secret_is_123(void *ud, const struct vg_partner_row *p)
{
	(void)ud;
	assert_int_equal(p->secret_len, 3);
	assert_memory_equal(p->secret, "\1\2\3", 3);
	return 0;
}

/* The same steps on any backend; the answers as one text. */
static void run(struct vg_store *s, struct seen *out)
{
	const struct vg_store_sync_ops *y = s->ops->sync;
	unsigned char secret[3] = {1, 2, 3};
	int64_t a = 0, b = 0, n = 0;
	char *v = NULL;
	struct seen t = {""};
	assert_int_equal(s->ops->begin(s), VG_OK);
	struct vg_partner_row pa = {.name = "beta",
	                            .url = "https://b/",
	                            .direction = 1,
	                            .org = 5,
	                            .config = "{}",
	                            .secret = secret,
	                            .secret_len = 3};
	struct vg_partner_row pb = {.name = "alpha",
	                            .url = "https://a/",
	                            .direction = 3,
	                            .org = 6,
	                            .config = "{\"x\":1}"};
	assert_int_equal(y->partner_add(s, &pa, &a), VG_OK);
	assert_int_equal(y->partner_add(s, &pb, &b), VG_OK);
	assert_int_equal(y->partner_add(s, &pa, &n), VG_EDUPLICATE);
	assert_int_equal(y->partner_find(s, "beta", 0, secret_is_123, NULL),
	                 VG_OK);
	pa.id = a;
	pa.hub_id = "H";
	pa.sign_pk = "PK";
	pa.secret = NULL;
	pa.secret_len = 0;
	assert_int_equal(y->partner_update(s, &pa), VG_OK);
	assert_int_equal(y->partner_state(s, b, "{\"ok\":1}"), VG_OK);
	assert_int_equal(y->cursor_get(s, a, "pull:all", &v), VG_ENOTFOUND);
	assert_int_equal(y->cursor_set(s, a, "pull:all", "T1"), VG_OK);
	assert_int_equal(y->cursor_set(s, a, "pull:all", "T2"), VG_OK);
	assert_int_equal(s->ops->commit(s), VG_OK);
	/* a cursor moved in a transaction that rolls back stays where it was */
	assert_int_equal(s->ops->begin(s), VG_OK);
	assert_int_equal(y->cursor_set(s, a, "pull:all", "T3"), VG_OK);
	assert_int_equal(s->ops->rollback(s), VG_OK);
	assert_int_equal(y->cursor_get(s, a, "pull:all", &v), VG_OK);
	assert_string_equal(v, "T2");
	free(v);
	assert_int_equal(s->ops->begin(s), VG_OK);
	struct vg_quarantine_row q = {.partner = a,
	                              .created = 1,
	                              .collection = "c",
	                              .object_id = "indicator--1",
	                              .version = "v",
	                              .reason = "bad",
	                              .json = "{}",
	                              .prov = "{\"o\":1}"};
	assert_int_equal(y->quarantine_add(s, &q), VG_OK);
	q.reason = "worse";
	assert_int_equal(y->quarantine_add(s, &q), VG_OK);
	q.partner = b;
	assert_int_equal(y->quarantine_add(s, &q), VG_OK);
	struct vg_prov_row p = {.date_added = 42,
	                        .origin = "O",
	                        .path = "[\"O\"]",
	                        .sig = "S",
	                        .unsigned_ = 0};
	assert_int_equal(y->prov_put(s, &p), VG_OK);
	assert_int_equal(y->prov_put(s, &p), VG_EDUPLICATE);
	struct vg_tomb_row tb = {.origin = "O",
	                         .id = "indicator--1",
	                         .version = "v1",
	                         .sig = "S1",
	                         .path = "[\"O\"]",
	                         .scope = 2,
	                         .grp = 7,
	                         .tlp = 3,
	                         .classification = 1,
	                         .collection = "c",
	                         .type = "indicator",
	                         .created = 9};
	int64_t seq = 0;
	assert_int_equal(y->tomb_add(s, &tb, &seq), VG_OK);
	assert_int_equal(seq, 1);
	assert_int_equal(y->tomb_add(s, &tb, &seq), VG_EDUPLICATE);
	tb.version = "v2";
	assert_int_equal(y->tomb_add(s, &tb, &seq), VG_OK);
	assert_int_equal(seq, 2);
	tb.version = "v3";
	assert_int_equal(y->tomb_add(s, &tb, &seq), VG_OK);
	assert_int_equal(seq, 3);
	assert_int_equal(s->ops->commit(s), VG_OK);
	assert_int_equal(y->tomb_list(s, 1, 1, show_tomb, &t), VG_OK);
	assert_int_equal(y->tomb_list(s, 2, 0, show_tomb, &t), VG_OK);
	assert_int_equal(y->tomb_list(s, 3, 0, show_tomb, &t), VG_OK);

	assert_int_equal(y->partner_list(s, show_partner, &t), VG_OK);
	assert_int_equal(y->partner_find(s, "beta", 0, show_partner, &t),
	                 VG_OK);
	assert_int_equal(y->partner_find(s, NULL, b, show_partner, &t), VG_OK);
	assert_int_equal(y->partner_find(s, "gamma", 0, show_partner, &t),
	                 VG_ENOTFOUND);
	assert_int_equal(y->quarantine_count(s, a, &n), VG_OK);
	assert_int_equal(n, 2);
	assert_int_equal(y->quarantine_list(s, a, 0, show_q, &t), VG_OK);
	struct seen pr = {""};
	assert_int_equal(y->prov_get(s, 42, show_prov, &pr), VG_OK);
	assert_int_equal(y->prov_get(s, 43, show_prov, &pr), VG_ENOTFOUND);
	assert_int_equal(s->ops->begin(s), VG_OK);
	assert_int_equal(y->partner_remove(s, a), VG_OK);
	assert_int_equal(y->partner_remove(s, a), VG_ENOTFOUND);
	assert_int_equal(s->ops->commit(s), VG_OK);
	assert_int_equal(y->quarantine_count(s, a, &n), VG_OK);
	assert_int_equal(n, 0);
	assert_int_equal(y->quarantine_count(s, b, &n), VG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(y->cursor_get(s, a, "pull:all", &v), VG_ENOTFOUND);
	snprintf(out->text, sizeof(out->text), "%.3000s#%.1000s", t.text,
	         pr.text);
}

/* The cluster's database for this test, or "" without VIGIL_TEST_PG. */
static void pg_location(char *loc, size_t n)
{
	const char *pg = getenv("VIGIL_TEST_PG"), *q;
	loc[0] = '\0';
	if (pg && *pg && (q = strstr(pg, "?")))
		snprintf(loc, n, "postgresql:///vsync_%d%s", (int)getpid(), q);
}

static void pg_drop(void)
{
	char m[300], sql[100];
	const char *q = strstr(getenv("VIGIL_TEST_PG"), "?");
	snprintf(m, sizeof(m), "postgresql:///postgres%s", q);
	snprintf(sql, sizeof(sql),
	         "DROP DATABASE IF EXISTS vsync_%d WITH (FORCE)",
	         (int)getpid());
	PGconn *c = PQconnectdb(m);
	PGresult *r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		fail_msg("%s: %s", sql, PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
}

static void test_backends_agree(void **state)
{
	(void)state;
	struct vg_store *m = NULL, *q = NULL, *g = NULL;
	struct seen a, b, c;
	char dir[] = "/tmp/vigil-store-sync-XXXXXX", loc[300];
	assert_non_null(mkdtemp(dir));
	assert_int_equal(
	    vg_store_open("memory:sync", VG_STORE_CREATE, &m, NULL, 0), VG_OK);
	assert_int_equal(vg_store_open(dir, VG_STORE_CREATE, &q, NULL, 0),
	                 VG_OK);
	run(m, &a);
	run(q, &b);
	assert_string_equal(a.text, b.text);
	assert_string_equal(a.text,
	                    "2|O|indicator--1|v2|S1|[\"O\"]|2|7|3|1|c|"
	                    "indicator|9;"
	                    "3|O|indicator--1|v3|S1|[\"O\"]|2|7|3|1|c|"
	                    "indicator|9;"
	                    "alpha|https://a/|3|6|||{\"x\":1}|0|{\"ok\":1};"
	                    "beta|https://b/|1|5|H|PK|{}|0|{};"
	                    "beta|https://b/|1|5|H|PK|{}|0|{};"
	                    "alpha|https://a/|3|6|||{\"x\":1}|0|{\"ok\":1};"
	                    "c|indicator--1|v|bad|{}|{\"o\":1};c|indicator--1|"
	                    "v|worse|{}|{\"o\":1};"
	                    "#42|O|[\"O\"]|S|0");
	pg_location(loc, sizeof(loc));
	if (loc[0]) {
		char err[300] = "";
		int rc =
		    vg_store_open(loc, VG_STORE_CREATE, &g, err, sizeof(err));
		if (rc)
			fail_msg("open: %s %s", vg_err_name(rc), err);
		run(g, &c);
		assert_string_equal(a.text, c.text);
		vg_store_close(g);
		pg_drop();
	}
	vg_store_close(m);
	vg_store_memory_drop("sync");
	vg_store_close(q);
	char cmd[200];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_backends_agree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
