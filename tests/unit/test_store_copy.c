/* The copy interface (copy.h) refuses a table list whose type letters are
 * not what the store holds, on SQLite and on PostgreSQL (when
 * VIGIL_TEST_PG names a cluster: ctest's unit-pg), naming the table and
 * the column: a value read as another type would reach the copy changed
 * (a text read as an integer is 0) while both sides still agree. */
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

static int count(void *ud, const struct vg_store_value *v, size_t n)
{
	(void)v;
	(void)n;
	++*(int *)ud;
	return 0;
}

static void refuses(const char *location)
{
	struct vg_store *s = NULL;
	int rows = 0;
	assert_int_equal(vg_store_open(location, VG_STORE_CREATE, &s, NULL, 0),
	                 VG_OK);
	assert_int_equal(s->ops->begin(s), VG_OK);
	assert_int_equal(s->ops->hub->set(s, "k", "some text"), VG_OK);
	assert_int_equal(s->ops->commit(s), VG_OK);
	const struct vg_store_table good = {"hub", "key,value", "tt", "key"};
	assert_int_equal(s->ops->copy->rows(s, &good, count, &rows), VG_OK);
	assert_true(rows >= 1);
	const struct vg_store_table bad = {"hub", "key,value", "ti", "key"};
	rows = 0;
	assert_int_equal(s->ops->copy->rows(s, &bad, count, &rows), VG_ESTORE);
	assert_int_equal(rows, 0);
	assert_string_equal(vg_store_errmsg(s),
	                    "table 'hub' column 'value' holds a text where "
	                    "the copy list says an integer");
	vg_store_close(s);
}

static void test_sqlite(void **state)
{
	char dir[] = "/tmp/vigil-store-copy-XXXXXX", cmd[100];
	(void)state;
	assert_non_null(mkdtemp(dir));
	refuses(dir);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_postgres(void **state)
{
	const char *pg = getenv("VIGIL_TEST_PG");
	char loc[300], sql[100];
	(void)state;
	if (!pg || !*pg)
		skip(); /* run by ctest as unit-pg/test_store_copy */
	const char *q = strstr(pg, "?");
	snprintf(loc, sizeof(loc), "postgresql:///vcopy_%d%s", (int)getpid(),
	         q);
	refuses(loc);
	snprintf(loc, sizeof(loc), "postgresql:///postgres%s", q);
	snprintf(sql, sizeof(sql), "DROP DATABASE vcopy_%d WITH (FORCE)",
	         (int)getpid());
	PGconn *c = PQconnectdb(loc);
	PGresult *r = PQexec(c, sql);
	assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
	PQclear(r);
	PQfinish(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sqlite),
	    cmocka_unit_test(test_postgres),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
