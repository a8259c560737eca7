/* The egress rule (what may leave for a partner hub, per hop): explicit
 * cases, then every combination of scope, group membership, TLP,
 * classification and its mapping, path, and the three filters, against a
 * reference written from the table of docs/federation.md. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "vigil/access/access.h"
#include "vigil/access/egress.h"
#include "vigil/stix/stix.h"

static const int64_t groups[] = {7};
static const int level_map[] = {0, VG_EGRESS_NO_LEVEL, 2, VG_EGRESS_NO_LEVEL};
static const char *const colls[] = {"all", "group-g"};
static const char *const types[] = {"indicator"};
static const char *const labels[] = {"terrorism"};

static struct vg_egress_partner partner(void)
{
	struct vg_egress_partner p = {
	    .hub_id = "hub-P",
	    .groups = groups,
	    .n_groups = 1,
	    .level_map = level_map,
	    .n_levels = 4,
	};
	return p;
}

static void test_explicit(void **state)
{
	(void)state;
	struct vg_egress_partner p = partner();
	const char *path_other[] = {"hub-A"}, *path_p[] = {"hub-A", "hub-P"};
	struct vg_egress_object o = {.scope = VG_SCOPE_ALL,
	                             .tlp = VG_TLP_GREEN,
	                             .type = "indicator",
	                             .path = path_other,
	                             .n_path = 1};
	int lv = -5;
	assert_int_equal(vg_egress_allowed(&p, &o, &lv), VG_EGRESS_OK);
	assert_int_equal(lv, 0);
	o.classification = 2;
	assert_int_equal(vg_egress_allowed(&p, &o, &lv), VG_EGRESS_OK);
	assert_int_equal(lv, 2);
	o.classification = 1;
	assert_int_equal(vg_egress_allowed(&p, &o, NULL), VG_EGRESS_LEVEL);
	o.classification = 9; /* past the map: no mapping */
	assert_int_equal(vg_egress_allowed(&p, &o, NULL), VG_EGRESS_LEVEL);
	o.classification = 0;
	o.path = path_p;
	o.n_path = 2;
	assert_int_equal(vg_egress_allowed(&p, &o, NULL), VG_EGRESS_PATH);
	o.n_path = 0;
	o.scope = VG_SCOPE_COMMUNITY;
	assert_int_equal(vg_egress_allowed(&p, &o, NULL), VG_EGRESS_SCOPE);
	o.scope = VG_SCOPE_ORG;
	assert_int_equal(vg_egress_allowed(&p, &o, NULL), VG_EGRESS_SCOPE);
	o.scope = VG_SCOPE_GROUP;
	o.group = 8;
	assert_int_equal(vg_egress_allowed(&p, &o, NULL), VG_EGRESS_GROUP);
	o.group = 7;
	assert_int_equal(vg_egress_allowed(&p, &o, NULL), VG_EGRESS_OK);
	o.tlp = VG_TLP_RED; /* even for the group's named recipients */
	assert_int_equal(vg_egress_allowed(&p, &o, NULL), VG_EGRESS_TLP);
	o.tlp = VG_TLP_AMBER_STRICT;
	assert_int_equal(vg_egress_allowed(&p, &o, NULL), VG_EGRESS_TLP);
	o.tlp = VG_TLP_AMBER;
	assert_int_equal(vg_egress_allowed(&p, &o, NULL), VG_EGRESS_OK);
	/* a partner whose hub id is not known yet: no path rule */
	p.hub_id = "";
	o.path = path_p;
	o.n_path = 2;
	assert_int_equal(vg_egress_allowed(&p, &o, NULL), VG_EGRESS_OK);
	assert_int_equal(vg_egress_next_scope(VG_SCOPE_CONNECTED),
	                 VG_SCOPE_COMMUNITY);
	assert_int_equal(vg_egress_next_scope(VG_SCOPE_ALL), VG_SCOPE_ALL);
	assert_int_equal(vg_egress_next_scope(VG_SCOPE_GROUP), VG_SCOPE_GROUP);
	assert_int_equal(vg_egress_next_scope(VG_SCOPE_COMMUNITY), -1);
	assert_int_equal(vg_egress_next_scope(VG_SCOPE_ORG), -1);
	assert_string_equal(vg_egress_name(VG_EGRESS_TLP), "tlp");
	assert_string_equal(vg_egress_reason(VG_EGRESS_TLP),
	                    "TLP:RED and TLP:AMBER+STRICT never leave by sync");
}

/* The table, checked in its order: the first rule that holds an object
 * back is the answer. */
static enum vg_egress_verdict reference(int on_path, int scope, int member,
                                        int tlp, int level, int coll_f,
                                        int coll_in, int type_f, int type_in,
                                        int label_f, int label_in)
{
	if (on_path)
		return VG_EGRESS_PATH;
	if (scope == VG_SCOPE_ORG || scope == VG_SCOPE_COMMUNITY)
		return VG_EGRESS_SCOPE;
	if (scope == VG_SCOPE_GROUP && !member)
		return VG_EGRESS_GROUP;
	if (tlp == VG_TLP_RED || tlp == VG_TLP_AMBER_STRICT)
		return VG_EGRESS_TLP;
	if (level == 1 || level == 3)
		return VG_EGRESS_LEVEL;
	if (coll_f && !coll_in)
		return VG_EGRESS_COLLECTION;
	if (type_f && !type_in)
		return VG_EGRESS_TYPE;
	if (label_f && !label_in)
		return VG_EGRESS_LABEL;
	return VG_EGRESS_OK;
}

static void test_every_combination(void **state)
{
	(void)state;
	size_t n = 0, ok = 0;
	const char *path_p[] = {"hub-A", "hub-P"}, *path_a[] = {"hub-A"};
	const char *lab_yes[] = {"x", "terrorism"}, *lab_no[] = {"x"};
	for (int on_path = 0; on_path < 2; on_path++)
		for (int scope = 0; scope < VG_SCOPE__COUNT; scope++)
			for (int member = 0; member < 2; member++)
				for (int tlp = 0; tlp <= VG_TLP_RED; tlp++)
					for (int level = 0; level < 4; level++)
						for (int cf = 0; cf < 2; cf++)
							for (int ci = 0; ci < 2;
							     ci++)
								for (int tf = 0;
								     tf < 2;
								     tf++)
									for (
									    int ti =
									        0;
									    ti <
									    2;
									    ti++)
										for (
										    int lf =
										        0;
										    lf <
										    2;
										    lf++)
											for (
											    int li =
											        0;
											    li <
											    2;
											    li++) {
												struct vg_egress_partner
												    p = partner();
												if (cf) {
													p.collections =
													    colls;
													p.n_collections =
													    2;
												}
												if (tf) {
													p.types =
													    types;
													p.n_types =
													    1;
												}
												if (lf) {
													p.labels =
													    labels;
													p.n_labels =
													    1;
												}
												struct vg_egress_object o = {
												    .scope =
												        scope,
												    .group =
												        member
												            ? 7
												            : 8,
												    .tlp =
												        tlp,
												    .classification =
												        level,
												    .collection =
												        ci ? "all"
												           : "community",
												    .collection_alias =
												        ci ? "all"
												           : "community",
												    .type =
												        ti ? "indicator"
												           : "malware",
												    .labels =
												        li ? lab_yes
												           : lab_no,
												    .n_labels =
												        li ? 2
												           : 1,
												    .path =
												        on_path
												            ? path_p
												            : path_a,
												    .n_path =
												        on_path
												            ? 2
												            : 1,
												};
												int lv =
												    -5;
												enum vg_egress_verdict want = reference(
												    on_path,
												    scope,
												    member,
												    tlp,
												    level,
												    cf,
												    ci,
												    tf,
												    ti,
												    lf,
												    li);
												enum vg_egress_verdict
												    got = vg_egress_allowed(
												        &p,
												        &o,
												        &lv);
												if (got !=
												    want)
													fail_msg(
													    "path %d scope %d member %d tlp %d level %d "
													    "coll %d/%d type %d/%d label %d/%d: %s, want %s",
													    on_path,
													    scope,
													    member,
													    tlp,
													    level,
													    cf,
													    ci,
													    tf,
													    ti,
													    lf,
													    li,
													    vg_egress_name(
													        got),
													    vg_egress_name(
													        want));
												if (got ==
												    VG_EGRESS_OK) {
													assert_int_equal(
													    lv,
													    level_map
													        [level]);
													/* what leaves has a scope on the next hub */
													assert_true(
													    vg_egress_next_scope(
													        scope) >=
													    0);
													ok++;
												}
												n++;
											}
	assert_int_equal(n, 2 * 5 * 2 * 6 * 4 * 64);
	assert_true(ok > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_explicit),
	    cmocka_unit_test(test_every_combination),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
