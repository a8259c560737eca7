/* The console's search clauses in the stores (objects.h: words in the
 * name or description, a label, a marking reference, a TLP level, a
 * range of versions, a reference, newest first, an offset): SQLite, the
 * in-memory backend and PostgreSQL (when VIGIL_TEST_PG names a cluster:
 * ctest's unit-pg runs it) give the same rows, in the same order, for
 * every query and every reader, and exactly the rows expected. */
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

#include "vigil/stix/stix.h"
#include "vigil/store/store.h"
#include "vigil/util/error.h"

struct obj {
	const char *id, *version, *json;
	int64_t owner;
	int scope, tlp;
};

#define V1 "2026-01-01T00:00:00.000000000Z"
#define V2 "2026-02-01T00:00:00.000000000Z"
#define RED "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"

static const struct obj objs[] = {
    {"indicator--00000000-0000-4000-8000-000000000001", V1,
     "{\"type\":\"indicator\",\"name\":\"Border Crossing alert\","
     "\"description\":\"seen at the port\",\"labels\":[\"travel\",\"port\"]}",
     1, VG_SCOPE_COMMUNITY, 0},
    {"indicator--00000000-0000-4000-8000-000000000001", V2,
     "{\"type\":\"indicator\",\"name\":\"Border crossing ALERT v2\","
     "\"labels\":[\"travel\"]}",
     1, VG_SCOPE_COMMUNITY, 0},
    {"malware--00000000-0000-4000-8000-000000000002", V1,
     "{\"type\":\"malware\",\"name\":\"Sandcrawler\",\"description\":"
     "\"a loader used at the border\",\"object_marking_refs\":[\"" RED "\"]}",
     1, VG_SCOPE_COMMUNITY, VG_TLP_RED},
    {"malware--00000000-0000-4000-8000-000000000003", V2,
     "{\"type\":\"malware\",\"name\":\"Private \\u00e9clair\","
     "\"labels\":\"port\"}",
     2, VG_SCOPE_ORG, 0},
    {"relationship--00000000-0000-4000-8000-000000000004", V1,
     "{\"type\":\"relationship\",\"relationship_type\":\"uses\","
     "\"source_ref\":\"indicator--00000000-0000-4000-8000-000000000001\","
     "\"target_ref\":\"malware--00000000-0000-4000-8000-000000000002\"}",
     1, VG_SCOPE_COMMUNITY, 0},
    {"sighting--00000000-0000-4000-8000-000000000005", V2,
     "{\"type\":\"sighting\",\"sighting_of_ref\":"
     "\"malware--00000000-0000-4000-8000-000000000003\"}",
     2, VG_SCOPE_ORG, 0},
};

#define N_OBJS (sizeof(objs) / sizeof(objs[0]))

static char sqlite_dir[64];
/* the same rows on PostgreSQL, or NULL */
static struct vg_store *pgs;

static struct vg_store *fill(const char *loc)
{
	struct vg_store *s = NULL;
	assert_int_equal(vg_store_open(loc, VG_STORE_CREATE, &s, NULL, 0),
	                 VG_OK);
	assert_int_equal(s->ops->begin(s), VG_OK);
	for (size_t i = 0; i < N_OBJS; i++) {
		char type[40];
		snprintf(type, sizeof(type), "%.*s",
		         (int)strcspn(objs[i].id, "-"), objs[i].id);
		struct vg_object o = {
		    .id = objs[i].id,
		    .type = type,
		    .version = objs[i].version,
		    .collection = "c",
		    .owner = objs[i].owner,
		    .scope = objs[i].scope,
		    .tlp = objs[i].tlp,
		    .latest = i != 0,
		    .json = objs[i].json,
		    .json_len = strlen(objs[i].json),
		};
		assert_int_equal(s->ops->objects->insert(s, &o, NULL), VG_OK);
		usleep(2); /* date_added apart */
	}
	assert_int_equal(s->ops->commit(s), VG_OK);
	return s;
}

static int take(void *ud, const struct vg_row *r)
{
	char *out = ud;
	size_t n = strlen(out);
	snprintf(out + n, 1024 - n, "%s%.*s@%c", n ? " " : "",
	         (int)strcspn(r->id, "-"), r->id, r->version[6]);
	return 0;
}

/* The rows of q on s as "type@month" words. */
static const char *rows(struct vg_store *s, struct vg_query *q,
                        const struct vg_principal *p)
{
	static char out[2][1024];
	static int k;
	struct vg_access_expr x;
	char *o = out[k++ % 2];
	o[0] = '\0';
	vg_access_expr(p, &x);
	q->visible = &x;
	assert_int_equal(s->ops->objects->scan(s, q, take, o), VG_OK);
	return o;
}

static void same(struct vg_store *a, struct vg_store *b, struct vg_query q,
                 const char *want_org1, const char *want_org2)
{
	struct vg_principal p1 = {.org = 1, .role = VG_ROLE_ANALYST};
	struct vg_principal p2 = {.org = 2, .role = VG_ROLE_ANALYST};
	struct vg_query c = q, g = q;
	assert_string_equal(rows(a, &q, &p1), want_org1);
	assert_string_equal(rows(b, &c, &p1), want_org1);
	if (pgs)
		assert_string_equal(rows(pgs, &g, &p1), want_org1);
	q = c;
	assert_string_equal(rows(a, &q, &p2), want_org2);
	assert_string_equal(rows(b, &c, &p2), want_org2);
	if (pgs)
		assert_string_equal(rows(pgs, &g, &p2), want_org2);
}

/* The cluster's database for this test, or "" without VIGIL_TEST_PG. */
static void pg_location(char *loc, size_t n)
{
	const char *pg = getenv("VIGIL_TEST_PG"), *q;
	loc[0] = '\0';
	if (pg && *pg && (q = strstr(pg, "?")))
		snprintf(loc, n, "postgresql:///vsearch_%d%s", (int)getpid(),
		         q);
}

static void pg_drop(void)
{
	char m[300], sql[100];
	const char *q = strstr(getenv("VIGIL_TEST_PG"), "?");
	snprintf(m, sizeof(m), "postgresql:///postgres%s", q);
	snprintf(sql, sizeof(sql),
	         "DROP DATABASE IF EXISTS vsearch_%d WITH (FORCE)",
	         (int)getpid());
	PGconn *c = PQconnectdb(m);
	PGresult *r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		fail_msg("%s: %s", sql, PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
}

static void test_search_clauses_agree(void **state)
{
	(void)state;
	char loc[96];
	snprintf(sqlite_dir, sizeof(sqlite_dir), "/tmp/vigil-search-XXXXXX");
	assert_non_null(mkdtemp(sqlite_dir));
	snprintf(loc, sizeof(loc), "sqlite:%s", sqlite_dir);
	struct vg_store *sq = fill(loc);
	struct vg_store *mem = fill("memory:search");
	char pg_loc[300];
	pg_location(pg_loc, sizeof(pg_loc));
	if (pg_loc[0])
		pgs = fill(pg_loc);
	const char *border[] = {"BORDER"}, *two[] = {"border", "alert"};
	const char *none[] = {"zzz"}, *accent[] = {"\xc3\xa9"
	                                           "clair"};
	const char *empty[] = {""};
	/* every word in the name or the description, ASCII in any case;
	 * the latest version each reader may see */
	same(sq, mem, (struct vg_query){.words = border, .n_words = 1},
	     "indicator@2 malware@1", "indicator@2");
	same(sq, mem, (struct vg_query){.words = two, .n_words = 2},
	     "indicator@2", "indicator@2");
	same(sq, mem,
	     (struct vg_query){
	         .words = two, .n_words = 2, .versions = VG_VERSIONS_ALL},
	     "indicator@1 indicator@2", "indicator@1 indicator@2");
	same(sq, mem, (struct vg_query){.words = none, .n_words = 1}, "", "");
	same(sq, mem, (struct vg_query){.words = accent, .n_words = 1}, "",
	     "malware@2");
	same(sq, mem,
	     (struct vg_query){.words = empty, .n_words = 1, .newest_first = 1},
	     "relationship@1 malware@1 indicator@2",
	     "sighting@2 relationship@1 malware@2 indicator@2");
	/* labels (an array or one string), markings, TLP */
	same(sq, mem,
	     (struct vg_query){.label = "port", .versions = VG_VERSIONS_ALL},
	     "indicator@1", "indicator@1 malware@2");
	same(sq, mem, (struct vg_query){.marking = RED}, "malware@1", "");
	same(sq, mem, (struct vg_query){.tlp = VG_TLP_RED + 1}, "malware@1",
	     "");
	same(sq, mem, (struct vg_query){.tlp = VG_TLP_NONE + 1},
	     "indicator@2 relationship@1",
	     "indicator@2 malware@2 relationship@1 sighting@2");
	/* versions from and to */
	same(sq, mem,
	     (struct vg_query){.version_from = V2, .versions = VG_VERSIONS_ALL},
	     "indicator@2", "indicator@2 malware@2 sighting@2");
	same(sq, mem,
	     (struct vg_query){.version_to = V1, .versions = VG_VERSIONS_ALL},
	     "indicator@1 malware@1 relationship@1",
	     "indicator@1 relationship@1");
	/* what refers to an object */
	same(sq, mem, (struct vg_query){.ref = objs[2].id}, "relationship@1",
	     "relationship@1");
	same(sq, mem, (struct vg_query){.ref = objs[3].id}, "", "sighting@2");
	/* newest first, from an offset, a limit */
	same(sq, mem,
	     (struct vg_query){.newest_first = 1, .offset = 1, .limit = 2},
	     "malware@1 indicator@2", "relationship@1 malware@2");
	same(sq, mem, (struct vg_query){.offset = 10}, "", "");
	/* too many words */
	const char *nine[9] = {"a", "b", "c", "d", "e", "f", "g", "h", "i"};
	struct vg_principal p = {.org = 1, .role = VG_ROLE_ANALYST};
	struct vg_access_expr x;
	vg_access_expr(&p, &x);
	char out[1024] = "";
	struct vg_query q = {.visible = &x, .words = nine, .n_words = 9};
	assert_int_equal(sq->ops->objects->scan(sq, &q, take, out), VG_ETOOBIG);
	assert_int_equal(mem->ops->objects->scan(mem, &q, take, out),
	                 VG_ETOOBIG);
	if (pgs) {
		assert_int_equal(pgs->ops->objects->scan(pgs, &q, take, out),
		                 VG_ETOOBIG);
		vg_store_close(pgs);
		pgs = NULL;
		pg_drop();
	}
	vg_store_close(sq);
	vg_store_close(mem);
	vg_store_memory_drop("search");
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", sqlite_dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_search_clauses_agree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
