/* The authorisation matrix (authz_matrix.h) against the service API, part
 * two: single objects and their versions, pages filtered on an id, status
 * resources and deletes. Whatever a principal may not see answers exactly
 * as what does not exist: the same code, error text, body and page info. */
#include "authz_matrix.h"
#include "vigil/stix/stix.h"

static struct matrix *M;

static int setup(void **state)
{
	(void)state;
	M = matrix_new("authz-objects");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	matrix_free(M);
	return 0;
}

#define MISSING "indicator--0b7e1e1e-0000-4000-8000-00000000dead"

static void test_object_get_and_versions(void **state)
{
	(void)state;
	enum { OBJECT, ALL, VERSIONS };
	struct vg_taxii_filter f[3];
	filter_of(&f[OBJECT], 0, NULL);
	filter_of(&f[ALL], 0, "match[version]", "all", NULL);
	filter_of(&f[VERSIONS], 0, NULL);
	const enum vg_taxii_page kinds[3] = {VG_PAGE_OBJECT, VG_PAGE_OBJECT,
	                                     VG_PAGE_VERSIONS};
	for (int i = 0; i < N_PRINCIPALS; i++)
		for (int c = 0; c < N_POSTED; c++) {
			struct principal *p = &M->p[i];
			const char *coll = colls[posted_to[c]].alias;
			struct answer miss[3];
			for (int k = 0; k < 3; k++) {
				ask(p, coll, kinds[k], MISSING, &f[k],
				    &miss[k]);
				assert_int_equal(miss[k].rc, VG_ENOTFOUND);
			}
			for (int q = 0; q < N_OBJECTS; q++) {
				const struct object *o = &M->o[q];
				const struct version *vis[2];
				if (o->coll != posted_to[c])
					continue;
				int n = visible(p, o, vis);
				for (int k = 0; k < 3; k++) {
					struct answer a;
					ask(p, coll, kinds[k], o->oid, &f[k],
					    &a);
					if (!n) {
						assert_int_equal(a.rc,
						                 VG_ENOTFOUND);
						same_answer(&a, &miss[k],
						            p->name);
						answer_release(&a);
						continue;
					}
					assert_int_equal(a.rc, VG_OK);
					const struct version *last =
					    latest(p, o);
					if (k == OBJECT)
						objects_are(&a, &last, 1, 0);
					else if (k == ALL)
						objects_are(&a, vis, (size_t)n,
						            0);
					else {
						const char *want =
						    n == 2
						        ? jfmt(
						              "{\"versions\":["
						              "\"%s\","
						              "\"%s\"],"
						              "\"more\":false}",
						              vis[0]->modified,
						              vis[1]->modified)
						        : jfmt(
						              "{\"versions\":["
						              "\"%s\"],"
						              "\"more\":false}",
						              vis[0]->modified);
						assert_string_equal(a.body.data,
						                    want);
						dates_are(&a, vis, (size_t)n);
					}
					answer_release(&a);
				}
			}
			for (int k = 0; k < 3; k++)
				answer_release(&miss[k]);
		}
	for (int k = 0; k < 3; k++)
		vg_taxii_filter_release(&f[k]);
}

/* A page filtered on the id of an object one may not see is the page of
 * an id that does not exist. */
static void test_pages_filtered_on_an_invisible_id_look_missing(void **state)
{
	(void)state;
	int checked = 0;
	for (int i = 0; i < N_PRINCIPALS; i++)
		for (int c = 0; c < N_POSTED; c++) {
			struct principal *p = &M->p[i];
			const char *coll = colls[posted_to[c]].alias;
			if (!sees_collection(p, posted_to[c]))
				continue;
			for (int all = 0; all < 2; all++)
				for (int kind = VG_PAGE_OBJECTS;
				     kind <= VG_PAGE_MANIFEST; kind++) {
					struct vg_taxii_filter f;
					struct answer miss;
					filter_of(&f, 0, "match[id]", MISSING,
					          all ? "match[version]" : NULL,
					          "all", NULL);
					ask(p, coll, kind, NULL, &f, &miss);
					vg_taxii_filter_release(&f);
					assert_int_equal(miss.rc, VG_OK);
					assert_string_equal(miss.body.data,
					                    "{\"more\":false}");
					for (int q = 0; q < N_OBJECTS; q++) {
						const struct object *o =
						    &M->o[q];
						const struct version *vis[2];
						if (o->coll != posted_to[c] ||
						    visible(p, o, vis))
							continue;
						struct answer a;
						filter_of(&f, 0, "match[id]",
						          o->oid,
						          all ? "match[version]"
						              : NULL,
						          "all", NULL);
						ask(p, coll, kind, NULL, &f,
						    &a);
						vg_taxii_filter_release(&f);
						same_answer(&a, &miss, p->name);
						answer_release(&a);
						checked++;
					}
					answer_release(&miss);
				}
		}
	assert_true(checked > 100);
}

static void status_of(struct principal *p, const char *id, struct answer *a)
{
	memset(a, 0, sizeof(*a));
	vg_buf_init(&a->body, 0);
	a->rc = vg_taxii_status(&p->c, id, &a->body);
}

static void test_status_only_for_its_poster(void **state)
{
	(void)state;
	for (int i = 0; i < N_PRINCIPALS; i++) {
		struct principal *p = &M->p[i];
		struct answer miss;
		status_of(p, "0b7e1e1e-0000-4000-8000-00000000dead", &miss);
		assert_int_equal(miss.rc, VG_ENOTFOUND);
		for (int c = 0; c < N_POSTED; c++) {
			int coll = posted_to[c];
			struct answer a;
			status_of(p, M->status_id[coll], &a);
			if (i == M->poster) {
				assert_int_equal(a.rc, VG_OK);
				assert_string_equal(a.body.data,
				                    M->status_body[coll]);
			} else {
				same_answer(&a, &miss, p->name);
			}
			answer_release(&a);
		}
		answer_release(&miss);
	}
}

static int count_rows(void *ud, const struct vg_row *r)
{
	(void)r;
	(*(int *)ud)++;
	return 0;
}

/* Versions of type stored, whoever may read them (from the store). */
static int stored(const char *type)
{
	struct vg_store *s = NULL;
	struct vg_principal everyone = {.operator= 1 };
	struct vg_access_expr all;
	int n = 0;
	vg_access_expr(&everyone, &all);
	struct vg_query q = {.visible = &all,
	                     .types = &type,
	                     .n_types = 1,
	                     .versions = VG_VERSIONS_ALL};
	assert_int_equal(vg_store_open(M->h.location, 0, &s, NULL, 0), VG_OK);
	assert_int_equal(s->ops->objects->scan(s, &q, count_rows, &n), VG_OK);
	vg_store_close(s);
	return n;
}

static void del(struct principal *p, const char *coll, const char *oid,
                const struct vg_taxii_filter *f, struct answer *a)
{
	memset(a, 0, sizeof(*a));
	vg_buf_init(&a->body, 0);
	a->rc = vg_taxii_delete(&p->c, coll, oid, f, a->err, sizeof(a->err));
}

/* Deletes that never delete (the owner's name a version that does not
 * exist): an invisible object answers as a missing one; a visible one of
 * another organisation is refused. */
static void test_delete(void **state)
{
	(void)state;
	struct vg_taxii_filter q[2];
	filter_of(&q[0], 0, NULL);
	filter_of(&q[1], 0, "match[version]", "2000-01-01T00:00:00.000Z", NULL);
	for (int i = 0; i < N_PRINCIPALS; i++)
		for (int c = 0; c < N_POSTED; c++) {
			struct principal *p = &M->p[i];
			const char *coll = colls[posted_to[c]].alias;
			int own = p->org == ALPHA && writes(p->role);
			for (int k = own; k < 2; k++) {
				struct answer miss;
				del(p, coll, MISSING, &q[k], &miss);
				for (int n = 0; n < N_OBJECTS; n++) {
					const struct object *o = &M->o[n];
					const struct version *vis[2];
					struct answer a;
					if (o->coll != posted_to[c])
						continue;
					del(p, coll, o->oid, &q[k], &a);
					if (!sees_collection(p, o->coll)) {
						assert_int_equal(a.rc,
						                 VG_ENOTFOUND);
						same_answer(&a, &miss, p->name);
					} else if (!writes(p->role)) {
						assert_int_equal(a.rc,
						                 VG_EDENIED);
						same_answer(&a, &miss, p->name);
					} else if (!visible(p, o, vis) || k) {
						assert_int_equal(a.rc,
						                 VG_ENOTFOUND);
						same_answer(&a, &miss, p->name);
					} else {
						/* the front says why */
						assert_int_equal(a.rc,
						                 VG_EDENIED);
						assert_string_equal(a.err, "");
					}
					answer_release(&a);
				}
				answer_release(&miss);
			}
		}
	vg_taxii_filter_release(&q[1]);
	/* nothing was deleted */
	assert_int_equal(stored("indicator"), 2 * N_OBJECTS);
}

/* Alpha's org-admin deletes two of Alpha's objects (not the poster: any
 * writer of the owning organisation may); afterwards no principal finds
 * them anywhere. */
static void test_delete_by_the_owner_then_gone_for_everyone(void **state)
{
	(void)state;
	const struct {
		int coll, tlp;
		const char *id;
	} targets[] = {
	    {C_COMMUNITY, T_GREEN,
	     "malware--0b7e1e1e-0000-4000-8000-000000000001"},
	    {C_JOINT, T_RED, "malware--0b7e1e1e-0000-4000-8000-000000000002"},
	};
	const char *missing = "malware--0b7e1e1e-0000-4000-8000-0000000000ff";
	struct vg_taxii_filter none;
	filter_of(&none, 0, NULL);
	struct principal *poster = &M->p[M->poster];
	struct principal *bravo = by_name(M, "bravo-analyst-hi");
	struct principal *owner = by_name(M, "alpha-org-admin-lo");
	for (int t = 0; t < 2; t++) {
		char *st = NULL, err[200];
		struct vg_ingest_counts k;
		const char *m =
		    jfmt("{\"type\":\"malware\",\"spec_version\":\"2.1\","
		         "\"id\":\"%s\","
		         "\"created\":\"" AV1 "\",\"modified\":\"" AV1 "\","
		         "\"name\":\"to delete\",\"is_family\":true,"
		         "\"object_marking_refs\":[\"%s\",\"%s\"]}",
		         targets[t].id, tlp_ids[targets[t].tlp],
		         M->h.levels[UNCLASSIFIED]);
		const char *coll = colls[targets[t].coll].alias;
		assert_int_equal(
		    post(&poster->c, coll, m, &st, &k, err, sizeof(err)),
		    VG_OK);
		assert_int_equal(k.accepted, 1);
		free(st);
		struct answer a;
		ask(bravo, coll, VG_PAGE_OBJECT, targets[t].id, &none, &a);
		assert_int_equal(a.rc, VG_OK);
		answer_release(&a);
		del(bravo, coll, targets[t].id, &none, &a);
		assert_int_equal(a.rc, VG_EDENIED);
		answer_release(&a);
		del(owner, coll, targets[t].id, &none, &a);
		assert_int_equal(a.rc, VG_OK);
		assert_string_equal(a.err, "");
		answer_release(&a);
	}
	assert_int_equal(stored("malware"), 0);
	for (int i = 0; i < N_PRINCIPALS; i++)
		for (int t = 0; t < 2; t++) {
			struct principal *p = &M->p[i];
			const char *coll = colls[targets[t].coll].alias;
			struct vg_taxii_filter by_id;
			struct answer obj, vers, miss, man, objs;
			filter_of(&by_id, 0, "match[id]", targets[t].id, NULL);
			ask(p, coll, VG_PAGE_OBJECT, targets[t].id, &none,
			    &obj);
			ask(p, coll, VG_PAGE_VERSIONS, targets[t].id, &none,
			    &vers);
			ask(p, coll, VG_PAGE_OBJECT, missing, &none, &miss);
			ask(p, coll, VG_PAGE_MANIFEST, NULL, &by_id, &man);
			ask(p, coll, VG_PAGE_OBJECTS, NULL, &by_id, &objs);
			vg_taxii_filter_release(&by_id);
			same_answer(&obj, &miss, p->name);
			if (sees_collection(p, targets[t].coll)) {
				assert_int_equal(obj.rc, VG_ENOTFOUND);
				assert_string_equal(vers.err, "no such object");
				assert_string_equal(man.body.data,
				                    "{\"more\":false}");
				assert_string_equal(objs.body.data,
				                    "{\"more\":false}");
			} else {
				assert_string_equal(obj.err,
				                    "no such collection");
			}
			answer_release(&obj);
			answer_release(&vers);
			answer_release(&miss);
			answer_release(&man);
			answer_release(&objs);
		}
}

/* SCO ids are deterministic, so Bravo can post an SCO that Alpha holds
 * as TLP:RED in the community collection. Bravo's post makes Bravo's own
 * copy: the status says what it says for an SCO nobody holds (no
 * "already present"), and Bravo reads back what it stored. */
static void
test_posting_an_sco_another_org_holds_invisibly_reveals_nothing(void **state)
{
	(void)state;
	char uuid[37], id[64], value[32], *st = NULL, err[200];
	struct vg_ingest_counts k;
	snprintf(value, sizeof(value), "198.51.100.%d", 7);
	const char *name = jfmt("{\"value\":\"%s\"}", value);
	assert_int_equal(vg_uuid_v5("00abedb4-aa42-466c-9c01-fed23315a9b7",
	                            name, strlen(name), uuid),
	                 VG_OK);
	snprintf(id, sizeof(id), "ipv4-addr--%s", uuid);
	const char *sco =
	    jfmt("{\"type\":\"ipv4-addr\",\"spec_version\":\"2.1\","
	         "\"id\":\"%s\",\"value\":\"%s\"",
	         id, value);
	char held[400], plain[400];
	snprintf(held, sizeof(held), "%s,\"object_marking_refs\":[\"%s\"]}",
	         sco, TLP_RED);
	snprintf(plain, sizeof(plain), "%s}", sco);
	assert_int_equal(post(&M->p[M->poster].c, "community", held, &st, &k,
	                      err, sizeof(err)),
	                 VG_OK);
	assert_int_equal(k.accepted, 1);
	free(st);
	struct principal *bravo = by_name(M, "bravo-analyst-hi");
	assert_int_equal(
	    post(&bravo->c, "community", plain, &st, &k, err, sizeof(err)),
	    VG_OK);
	status_is(st, jfmt("[{\"id\":\"%s\"}]", id), "[]", NULL);
	free(st);
	struct vg_taxii_filter none;
	struct answer a;
	filter_of(&none, 0, NULL);
	ask(bravo, "community", VG_PAGE_OBJECT, id, &none, &a);
	assert_int_equal(a.rc, VG_OK);
	cJSON *j = cJSON_Parse(a.body.data), *want = cJSON_Parse(plain);
	const cJSON *objs = cJSON_GetObjectItemCaseSensitive(j, "objects");
	assert_int_equal(cJSON_GetArraySize(objs), 1);
	assert_true(cJSON_Compare(cJSON_GetArrayItem(objs, 0), want, 1));
	cJSON_Delete(j);
	cJSON_Delete(want);
	answer_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_object_get_and_versions),
	    cmocka_unit_test(
	        test_pages_filtered_on_an_invisible_id_look_missing),
	    cmocka_unit_test(test_status_only_for_its_poster),
	    cmocka_unit_test(test_delete),
	    cmocka_unit_test(test_delete_by_the_owner_then_gone_for_everyone),
	    cmocka_unit_test(
	        test_posting_an_sco_another_org_holds_invisibly_reveals_nothing),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
