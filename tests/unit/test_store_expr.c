/* The SQLite and PostgreSQL backends' translations of the access rule's
 * expression select exactly the rows vg_access_read allows, over every
 * combination (the store adds no rule of its own and drops none). The
 * PostgreSQL dialect needs a server: VIGIL_TEST_PG (ctest's unit-pg). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vigil/access/access.h"
#include "vigil/stix/stix.h"
#include "vigil/util/buf.h"

/* the backends' translator (src/store/sql_expr.c), run by SQLite here
 * and by PostgreSQL in the second half */
int vg__sql_expr(const struct vg_access_expr *x, const char *alias,
		 struct vg_buf *sql);

static struct vg_principal who(int64_t org, enum vg_role role, int clearance)
{
	struct vg_principal p = {.user = 10 + org, .org = org, .role = role,
				 .clearance = clearance};
	return p;
}

/* Every object meta over 3 owners x 5 scopes x 2 groups x 6 TLP x 3
 * levels; every principal over 4 orgs x 5 roles x 3 clearances x 4 group
 * sets x 3 grant sets, rows of 3 date_added values. The SQL filter must
 * select exactly what the function allows. */
static void test_sql_matches_function(void **state)
{
	(void)state;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
				      "CREATE TABLE o (n INTEGER PRIMARY KEY, owner, scope,"
				      " grp, tlp, classification, date_added)",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	struct vg_access_meta metas[1700];
	static const int64_t rows[3] = {2, 5, 9};
	int n = 0;
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	for (int owner = 1; owner <= 3; owner++)
		for (int scope = 0; scope < VG_SCOPE__COUNT; scope++)
			for (int grp = 1; grp <= 2; grp++)
				for (int tlp = 0; tlp <= VG_TLP_RED; tlp++)
					for (int cls = 0; cls < 3; cls++)
					for (int r = 0; r < 3; r++) {
						struct vg_access_meta m = {
							owner, (enum vg_scope)scope, grp, tlp, cls,
							rows[r]};
						metas[n] = m;
						char sql[200];
						snprintf(sql, sizeof(sql),
							 "INSERT INTO o VALUES (%d,%d,%d,%d,%d,%d,%lld)",
							 n, owner, scope, grp, tlp, cls,
							 (long long)rows[r]);
						assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL),
								 SQLITE_OK);
						n++;
					}
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	static const int64_t gsets[4][2] = {{0, 0}, {1, 0}, {2, 0}, {1, 2}};
	static const size_t gn[4] = {0, 1, 1, 2};
	static const int64_t grsets[3][2] = {{0, 0}, {5, 0}, {2, 9}};
	static const size_t grn[3] = {0, 1, 2};
	long checked = 0, allowed = 0;
	for (int org = 1; org <= 4; org++)
		for (int role = 0; role < VG_ROLE__COUNT; role++)
			for (int cl = 0; cl < 3; cl++)
				for (int g = 0; g < 4; g++)
				for (int gr = 0; gr < 3; gr++) {
					struct vg_principal p = who(org, (enum vg_role)role, cl);
					p.groups = gsets[g];
					p.n_groups = gn[g];
					p.grants = grsets[gr];
					p.n_grants = grn[gr];
					struct vg_buf sql;
					vg_buf_init(&sql, 0);
					vg_buf_puts(&sql, "SELECT n FROM o x WHERE ");
					struct vg_access_expr x;
					p.operator = org == 4 && role == 0 && g == 0 && gr == 0;
					vg_access_expr(&p, &x);
					assert_int_equal(vg__sql_expr(&x, "x", &sql), 0);
					vg_buf_puts(&sql, " ORDER BY n");
					sqlite3_stmt *st;
					assert_int_equal(sqlite3_prepare_v2(db, sql.data, -1, &st, NULL),
							 SQLITE_OK);
					int next = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
					for (int i = 0; i < n; i++) {
						int fn = vg_access_read(&p, &metas[i]);
						int in_sql = next == i;
						if (in_sql)
							next = sqlite3_step(st) == SQLITE_ROW
								       ? sqlite3_column_int(st, 0)
								       : -1;
						if (fn != in_sql)
							fail_msg("row %d principal org %d role %d "
								 "clearance %d groups %d grants %d: function "
								 "%d sql %d",
								 i, org, role, cl, g, gr, fn, in_sql);
						allowed += fn;
						checked++;
					}
					sqlite3_finalize(st);
					vg_buf_release(&sql);
				}
	assert_int_equal(checked, 540L * 3 * 4 * 5 * 3 * 4 * 3);
	assert_true(allowed > 0 && allowed < checked);
	sqlite3_close(db);
}

/* The same over PostgreSQL (grants too): the rows in a temporary table,
 * each principal's filter in its dialect. */
static void test_pg_sql_matches_function(void **state)
{
	(void)state;
	const char *pg = getenv("VIGIL_TEST_PG");
	if (!pg || !*pg)
		skip(); /* run by ctest as unit-pg/test_store_expr */
	char loc[300];
	const char *q = strstr(pg, "?");
	snprintf(loc, sizeof(loc), "postgresql:///postgres%s", q ? q : "");
	PGconn *c = PQconnectdb(loc);
	assert_int_equal(PQstatus(c), CONNECTION_OK);
	PQclear(PQexec(c, "CREATE TEMP TABLE o (n integer PRIMARY KEY, owner"
			  " bigint, scope integer, grp bigint, tlp integer,"
			  " classification integer, date_added bigint)"));
	PGresult *r = PQexec(
		c, "INSERT INTO o SELECT row_number() OVER (ORDER BY ow, sc, g, t, cl,"
		   " ri) - 1, ow, sc, g, t, cl, (ARRAY[2, 5, 9])[ri] FROM"
		   " generate_series(1, 3) ow, generate_series(0, 4) sc,"
		   " generate_series(1, 2) g, generate_series(0, 5) t,"
		   " generate_series(0, 2) cl, generate_series(1, 3) ri");
	assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
	PQclear(r);
	assert_int_equal(VG_SCOPE__COUNT, 5);
	assert_int_equal(VG_TLP_RED, 5);
	struct vg_access_meta metas[1700];
	static const int64_t rows[3] = {2, 5, 9};
	int n = 0;
	for (int owner = 1; owner <= 3; owner++)
		for (int scope = 0; scope < VG_SCOPE__COUNT; scope++)
			for (int grp = 1; grp <= 2; grp++)
				for (int tlp = 0; tlp <= VG_TLP_RED; tlp++)
					for (int cls = 0; cls < 3; cls++)
					for (int ri = 0; ri < 3; ri++) {
						struct vg_access_meta m = {
							owner, (enum vg_scope)scope, grp, tlp, cls,
							rows[ri]};
						metas[n++] = m;
					}
	static const int64_t gsets[4][2] = {{0, 0}, {1, 0}, {2, 0}, {1, 2}};
	static const size_t gn[4] = {0, 1, 1, 2};
	static const int64_t grsets[3][2] = {{0, 0}, {5, 0}, {2, 9}};
	static const size_t grn[3] = {0, 1, 2};
	long checked = 0, allowed = 0;
	for (int org = 1; org <= 4; org++)
		for (int role = 0; role < VG_ROLE__COUNT; role++)
			for (int cl = 0; cl < 3; cl++)
				for (int g = 0; g < 4; g++)
				for (int gr = 0; gr < 3; gr++) {
					struct vg_principal p = who(org, (enum vg_role)role, cl);
					p.groups = gsets[g];
					p.n_groups = gn[g];
					p.grants = grsets[gr];
					p.n_grants = grn[gr];
					p.operator = org == 4 && role == 0 && g == 0 && gr == 0;
					struct vg_access_expr x;
					struct vg_buf sql;
					vg_buf_init(&sql, 0);
					vg_buf_puts(&sql, "SELECT n FROM o x WHERE ");
					vg_access_expr(&p, &x);
					assert_int_equal(vg__sql_expr(&x, "x", &sql), 0);
					vg_buf_puts(&sql, " ORDER BY n");
					r = PQexec(c, sql.data);
					if (PQresultStatus(r) != PGRES_TUPLES_OK)
						fail_msg("%s: %s", sql.data, PQerrorMessage(c));
					int rows = PQntuples(r), k = 0;
					for (int i = 0; i < n; i++) {
						int fn = vg_access_read(&p, &metas[i]);
						int in_sql = k < rows && atoi(PQgetvalue(r, k, 0)) == i;
						k += in_sql;
						if (fn != in_sql)
							fail_msg("row %d principal org %d role %d "
								 "clearance %d groups %d grants %d: function %d sql %d",
								 i, org, role, cl, g, gr, fn, in_sql);
						allowed += fn;
						checked++;
					}
					PQclear(r);
					vg_buf_release(&sql);
				}
	assert_int_equal(checked, 540L * 3 * 4 * 5 * 3 * 4 * 3);
	assert_true(allowed > 0 && allowed < checked);
	PQfinish(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sql_matches_function),
		cmocka_unit_test(test_pg_sql_matches_function),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
