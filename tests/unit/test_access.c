/* The access rule: explicit cases, and proof that the expression given to
 * the stores (vg_access_expr) holds exactly where vg_access_read allows,
 * over every combination. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
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
 * levels x 3 rows; every principal over 4 orgs x 5 roles x 3 clearances
 * x 4 group sets x 3 grant sets, and the operator. The expression the
 * stores translate must hold exactly where the function allows. */
static void test_expression_matches_function(void **state)
{
	(void)state;
	static const int64_t gsets[4][2] = {{0, 0}, {1, 0}, {2, 0}, {1, 2}};
	static const size_t gn[4] = {0, 1, 1, 2};
	static const int64_t grsets[3][2] = {{0, 0}, {5, 0}, {2, 9}};
	static const size_t grn[3] = {0, 1, 2};
	static const int64_t rows[3] = {2, 5, 9};
	long checked = 0, allowed = 0, by_grant = 0;
	for (int org = 1; org <= 5; org++)
		for (int role = 0; role < VG_ROLE__COUNT; role++)
			for (int cl = 0; cl < 3; cl++)
				for (int g = 0; g < 4; g++)
				for (int gr = 0; gr < 3; gr++) {
					struct vg_principal p = who(org, (enum vg_role)role, cl);
					p.groups = gsets[g];
					p.n_groups = gn[g];
					p.grants = grsets[gr];
					p.n_grants = grn[gr];
					p.operator = org == 5; /* org 5: the operator */
					struct vg_access_expr x;
					vg_access_expr(&p, &x);
					assert_true(x.n >= 1 && x.n <= VG_EXPR_NODES);
					struct vg_principal bare = p;
					bare.n_grants = 0;
					for (int owner = 1; owner <= 3; owner++)
					for (int scope = 0; scope < VG_SCOPE__COUNT; scope++)
					for (int grp = 1; grp <= 2; grp++)
					for (int tlp = 0; tlp <= VG_TLP_RED; tlp++)
					for (int cls = 0; cls < 3; cls++)
					for (int r = 0; r < 3; r++) {
						struct vg_access_meta m = {
							owner, (enum vg_scope)scope, grp, tlp, cls,
							rows[r]};
						int fn = vg_access_read(&p, &m);
						if (fn != vg_expr_eval(&x, 0, &m))
							fail_msg("org %d role %d clearance %d groups %d "
								 "grants %d: function %d", org, role, cl,
								 g, gr, fn);
						by_grant += fn && !vg_access_read(&bare, &m);
						allowed += fn;
						checked++;
					}
				}
	assert_int_equal(checked, 540L * 3 * 5 * 5 * 3 * 4 * 3);
	assert_true(allowed > 0 && allowed < checked);
	assert_true(by_grant > 0);
}

/* A grant opens the audience to one row for the grantee's organisation,
 * never past the clearance, and nothing for another row. */
static void test_grants(void **state)
{
	(void)state;
	static const int64_t rows[] = {3, 40, 700};
	struct vg_principal b = who(2, VG_ROLE_READER, 1);
	struct vg_access_meta m = {.owner = 1, .scope = VG_SCOPE_ORG,
				   .tlp = VG_TLP_RED, .added = 40};
	assert_false(vg_access_read(&b, &m));
	b.grants = rows;
	b.n_grants = 3;
	assert_true(vg_access_read(&b, &m));
	struct vg_access_why why;
	vg_access_explain(&b, &m, &why); /* the console says why */
	assert_true(why.read);
	assert_int_equal(why.audience, VG_AUD_GRANTED);
	assert_string_equal(vg_audience_name(why.audience), "granted");
	m.added = 41;
	vg_access_explain(&b, &m, &why);
	assert_false(why.read);
	assert_int_equal(why.audience, VG_AUD_NOT_OWNER);
	assert_false(vg_access_read(&b, &m));
	m.added = 700;
	m.classification = 2;
	assert_false(vg_access_read(&b, &m)); /* above the clearance */
	struct vg_principal auditor = who(2, VG_ROLE_AUDITOR, 3);
	auditor.grants = rows;
	auditor.n_grants = 3;
	m.classification = 0;
	assert_false(vg_access_read(&auditor, &m)); /* no reading role */
}

/* The rule explained step by step (the console's "who can see this and
 * why") gives vg_access_read's verdict over every combination, and the
 * audience of an organisation is the same whoever in it asks. */
static void test_explanation_matches_function(void **state)
{
	(void)state;
	static const int64_t gsets[4][2] = {{0, 0}, {1, 0}, {2, 0}, {1, 2}};
	static const size_t gn[4] = {0, 1, 1, 2};
	long checked = 0;
	for (int org = 1; org <= 4; org++)
		for (int role = 0; role < VG_ROLE__COUNT; role++)
			for (int cl = 0; cl < 3; cl++)
				for (int g = 0; g < 4; g++) {
					struct vg_principal p = who(org, (enum vg_role)role, cl);
					p.groups = gsets[g];
					p.n_groups = gn[g];
					for (int owner = 1; owner <= 3; owner++)
					for (int scope = 0; scope < VG_SCOPE__COUNT; scope++)
					for (int grp = 1; grp <= 2; grp++)
					for (int tlp = 0; tlp <= VG_TLP_RED; tlp++)
					for (int cls = 0; cls < 3; cls++) {
						struct vg_access_meta m = {
							owner, (enum vg_scope)scope, grp, tlp, cls, 0};
						struct vg_access_why why;
						vg_access_explain(&p, &m, &why);
						if (why.read != vg_access_read(&p, &m))
							fail_msg("org %d role %d clearance %d groups "
								 "%d", org, role, cl, g);
						assert_int_equal(why.role,
								 vg_role_allows(p.role, VG_ACT_READ));
						assert_int_equal(why.clearance, cls <= cl);
						assert_int_equal(why.audience,
								 vg_access_audience(&m, org, p.groups,
										    p.n_groups));
						checked++;
					}
				}
	assert_int_equal(checked, 540L * 4 * 5 * 3 * 4);
	struct vg_access_meta red = {1, VG_SCOPE_COMMUNITY, 0, VG_TLP_RED, 0, 0};
	assert_int_equal(vg_access_audience(&red, 2, NULL, 0), VG_AUD_RED);
	assert_int_equal(vg_access_audience(&red, 1, NULL, 0), VG_AUD_OWNER);
	struct vg_access_meta grp = {1, VG_SCOPE_GROUP, 7, VG_TLP_RED, 0, 0};
	const int64_t seven = 7;
	assert_int_equal(vg_access_audience(&grp, 2, &seven, 1), VG_AUD_GROUP);
	assert_int_equal(vg_access_audience(&grp, 3, NULL, 0), VG_AUD_NOT_MEMBER);
	struct vg_access_meta own = {1, VG_SCOPE_ORG, 0, VG_TLP_CLEAR, 0, 0};
	assert_int_equal(vg_access_audience(&own, 2, &seven, 1), VG_AUD_NOT_OWNER);
	assert_string_equal(vg_audience_name(VG_AUD_RED), "tlp-red");
	assert_false(vg_audience_admits(VG_AUD_NOT_MEMBER));
}

static void test_operator_reads_and_does_everything(void **state)
{
	(void)state;
	struct vg_principal op = {.operator = 1};
	struct vg_access_meta m = base;
	m.scope = VG_SCOPE_ORG;
	m.tlp = VG_TLP_RED;
	m.classification = 3;
	assert_true(vg_access_read(&op, &m));
	for (int a = VG_ACT_READ; a <= VG_ACT_SCREEN; a++)
		assert_true(vg_principal_allows(&op, (enum vg_action)a));
	struct vg_principal auditor = who(1, VG_ROLE_AUDITOR, 3);
	assert_false(vg_principal_allows(&auditor, VG_ACT_READ));
	assert_true(vg_principal_allows(&auditor, VG_ACT_AUDIT));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles_grant_actions),
		cmocka_unit_test(test_explicit_cases),
		cmocka_unit_test(test_expression_matches_function),
		cmocka_unit_test(test_explanation_matches_function),
		cmocka_unit_test(test_grants),
		cmocka_unit_test(test_operator_reads_and_does_everything),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
