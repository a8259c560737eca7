/* The access rule: explicit cases, and proof that vg_access_sql selects
 * exactly the rows vg_access_read allows, over every combination. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "vigil/access/access.h"
#include "vigil/stix/stix.h"

static const struct vg_access_meta base = {
	.owner = 1, .scope = VG_SCOPE_COMMUNITY, .tlp = VG_TLP_GREEN,
};

static struct vg_principal who(int64_t org, enum vg_role role, int clearance)
{
	struct vg_principal p = {.user = 10 + org, .org = org, .role = role,
				 .clearance = clearance};
	return p;
}

static void test_roles_grant_actions(void **state)
{
	(void)state;
	assert_true(vg_role_allows(VG_ROLE_READER, VG_ACT_READ));
	assert_false(vg_role_allows(VG_ROLE_READER, VG_ACT_WRITE));
	assert_true(vg_role_allows(VG_ROLE_ANALYST, VG_ACT_WRITE));
	assert_false(vg_role_allows(VG_ROLE_ANALYST, VG_ACT_ORG_ADMIN));
	assert_true(vg_role_allows(VG_ROLE_ORG_ADMIN, VG_ACT_ORG_ADMIN));
	assert_false(vg_role_allows(VG_ROLE_ORG_ADMIN, VG_ACT_HUB_ADMIN));
	assert_true(vg_role_allows(VG_ROLE_HUB_ADMIN, VG_ACT_HUB_ADMIN));
	assert_false(vg_role_allows(VG_ROLE_HUB_ADMIN, VG_ACT_AUDIT));
	assert_true(vg_role_allows(VG_ROLE_AUDITOR, VG_ACT_AUDIT));
	assert_false(vg_role_allows(VG_ROLE_AUDITOR, VG_ACT_READ));
	assert_int_equal(vg_role_parse("org-admin"), VG_ROLE_ORG_ADMIN);
	assert_int_equal(vg_role_parse("root"), -1);
	assert_string_equal(vg_role_name(VG_ROLE_HUB_ADMIN), "hub-admin");
}

static void test_explicit_cases(void **state)
{
	(void)state;
	struct vg_principal a = who(1, VG_ROLE_READER, 0);
	struct vg_principal b = who(2, VG_ROLE_READER, 0);
	struct vg_principal admin = who(2, VG_ROLE_HUB_ADMIN, 3);
	struct vg_principal auditor = who(1, VG_ROLE_AUDITOR, 3);
	struct vg_access_meta m = base;
	assert_true(vg_access_read(&a, &m));
	assert_true(vg_access_read(&b, &m));
	assert_false(vg_access_read(&auditor, &m)); /* roles never grant content */
	m.scope = VG_SCOPE_ORG;
	assert_true(vg_access_read(&a, &m));
	assert_false(vg_access_read(&b, &m));
	assert_false(vg_access_read(&admin, &m)); /* admins see by the rules */
	m = base;
	m.tlp = VG_TLP_RED;
	assert_true(vg_access_read(&a, &m));
	assert_false(vg_access_read(&b, &m));
	m.tlp = VG_TLP_AMBER_STRICT;
	assert_true(vg_access_read(&b, &m));
	m = base;
	m.classification = 2;
	assert_false(vg_access_read(&a, &m)); /* even the owner needs clearance */
	a.clearance = 2;
	assert_true(vg_access_read(&a, &m));
	m = base;
	m.scope = VG_SCOPE_GROUP;
	m.group = 7;
	m.tlp = VG_TLP_RED;
	assert_false(vg_access_read(&b, &m));
	int64_t groups[] = {3, 7};
	b.groups = groups;
	b.n_groups = 2;
	assert_true(vg_access_read(&b, &m)); /* RED to a group names its members */
}

/* Every object meta over 3 owners x 5 scopes x 2 groups x 6 TLP x 3
 * levels; every principal over 4 orgs x 5 roles x 3 clearances x 4 group
 * sets. The SQL filter must select exactly what the function allows. */
static void test_sql_matches_function(void **state)
{
	(void)state;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
				      "CREATE TABLE o (n INTEGER PRIMARY KEY, owner, scope,"
				      " grp, tlp, classification)",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	struct vg_access_meta metas[600];
	int n = 0;
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	for (int owner = 1; owner <= 3; owner++)
		for (int scope = 0; scope < VG_SCOPE__COUNT; scope++)
			for (int grp = 1; grp <= 2; grp++)
				for (int tlp = 0; tlp <= VG_TLP_RED; tlp++)
					for (int cls = 0; cls < 3; cls++) {
						struct vg_access_meta m = {
							owner, (enum vg_scope)scope, grp, tlp, cls};
						metas[n] = m;
						char sql[200];
						snprintf(sql, sizeof(sql),
							 "INSERT INTO o VALUES (%d,%d,%d,%d,%d,%d)",
							 n, owner, scope, grp, tlp, cls);
						assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL),
								 SQLITE_OK);
						n++;
					}
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	static const int64_t gsets[4][2] = {{0, 0}, {1, 0}, {2, 0}, {1, 2}};
	static const size_t gn[4] = {0, 1, 1, 2};
	long checked = 0, allowed = 0;
	for (int org = 1; org <= 4; org++)
		for (int role = 0; role < VG_ROLE__COUNT; role++)
			for (int cl = 0; cl < 3; cl++)
				for (int g = 0; g < 4; g++) {
					struct vg_principal p = who(org, (enum vg_role)role, cl);
					p.groups = gsets[g];
					p.n_groups = gn[g];
					struct vg_buf sql;
					vg_buf_init(&sql, 0);
					vg_buf_puts(&sql, "SELECT n FROM o x WHERE ");
					assert_int_equal(vg_access_sql(&p, "x", &sql), 0);
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
								 "clearance %d groups %d: function %d sql %d",
								 i, org, role, cl, g, fn, in_sql);
						allowed += fn;
						checked++;
					}
					sqlite3_finalize(st);
					vg_buf_release(&sql);
				}
	assert_int_equal(checked, 540L * 4 * 5 * 3 * 4);
	assert_true(allowed > 0 && allowed < checked);
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles_grant_actions),
		cmocka_unit_test(test_explicit_cases),
		cmocka_unit_test(test_sql_matches_function),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
