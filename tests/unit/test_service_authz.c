/* The authorisation matrix (authz_matrix.h) against the service API, part
 * one: the collections each principal is given, who may post where, and
 * the pages of objects and manifests, each exactly the visible versions.
 * Part two (test_service_authz_objects.c): single objects, versions,
 * filters on ids, status resources and deletes. */
#include "authz_matrix.h"

static struct matrix *M;

static int setup(void **state)
{
	(void)state;
	M = matrix_new("authz-pages");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	matrix_free(M);
	return 0;
}

/* Each principal sees a different mix: the matrix is meaningful. */
static void test_the_model_is_not_trivial(void **state)
{
	(void)state;
	int seen[N_PRINCIPALS] = {0};
	for (int i = 0; i < N_PRINCIPALS; i++)
		for (int k = 0; k < N_OBJECTS; k++) {
			const struct version *v[2];
			seen[i] += visible(&M->p[i], &M->o[k], v);
		}
#define SEEN(name) seen[by_name(M, name) - M->p]
	assert_int_equal(SEEN("alpha-analyst-hi"), 2 * N_OBJECTS);
	assert_int_equal(SEEN("alpha-auditor-hi"), 0);
	assert_true(SEEN("bravo-reader-hi") > SEEN("charlie-reader-hi"));
	assert_true(SEEN("charlie-reader-hi") > SEEN("charlie-reader-lo"));
	assert_true(SEEN("charlie-reader-lo") > 0);
	assert_int_equal(SEEN("admin"), SEEN("charlie-analyst-hi"));
#undef SEEN
}

static void test_collections_list(void **state)
{
	(void)state;
	struct vg_buf b;
	vg_buf_init(&b, 0);
	for (int i = 0; i < N_PRINCIPALS; i++) {
		struct principal *p = &M->p[i];
		vg_buf_reset(&b);
		assert_int_equal(vg_taxii_collections(&p->c, &b), VG_OK);
		int want[N_COLLS], n = 0;
		for (int c = 0; c < N_COLLS; c++)
			if (sees_collection(p, c))
				want[n++] = c;
		if (!n) {
			assert_string_equal(b.data, "{}");
			continue;
		}
		cJSON *j = cJSON_Parse(b.data), *x;
		int k = 0;
		cJSON_ArrayForEach(
		    x, cJSON_GetObjectItemCaseSensitive(j, "collections"))
		{
			assert_true(k < n);
			int c = want[k++];
#define MEMBER(name) cJSON_GetObjectItemCaseSensitive(x, name)
			assert_string_equal(MEMBER("alias")->valuestring,
			                    colls[c].alias);
			assert_string_equal(MEMBER("id")->valuestring,
			                    M->coll_id[c]);
			assert_int_equal(cJSON_IsTrue(MEMBER("can_read")),
			                 reads(p->role));
			assert_int_equal(cJSON_IsTrue(MEMBER("can_write")),
			                 writes(p->role));
#undef MEMBER
		}
		assert_int_equal(k, n);
		cJSON_Delete(j);
	}
	vg_buf_release(&b);
}

/* By alias and by id: a collection p may not see answers (as itself, and
 * as the root of its pages) exactly as one that does not exist. */
static void test_collection_resource_by_id_and_alias(void **state)
{
	(void)state;
	const char *missing = "0b7e1e1e-0000-4000-8000-00000000dead";
	struct vg_taxii_filter none = {0};
	for (int i = 0; i < N_PRINCIPALS; i++) {
		struct principal *p = &M->p[i];
		struct answer gone[3];
		memset(gone, 0, sizeof(gone));
		vg_buf_init(&gone[0].body, 0);
		gone[0].rc = vg_taxii_collection(&p->c, missing, &gone[0].body);
		assert_int_equal(gone[0].rc, VG_ENOTFOUND);
		ask(p, missing, VG_PAGE_OBJECTS, NULL, &none, &gone[1]);
		ask(p, missing, VG_PAGE_MANIFEST, NULL, &none, &gone[2]);
		for (int c = 0; c < N_COLLS; c++)
			for (int by_id = 0; by_id < 2; by_id++) {
				const char *ref =
				    by_id ? M->coll_id[c] : colls[c].alias;
				struct answer a[3];
				memset(a, 0, sizeof(a));
				vg_buf_init(&a[0].body, 0);
				a[0].rc =
				    vg_taxii_collection(&p->c, ref, &a[0].body);
				ask(p, ref, VG_PAGE_OBJECTS, NULL, &none,
				    &a[1]);
				ask(p, ref, VG_PAGE_MANIFEST, NULL, &none,
				    &a[2]);
				for (int k = 0; k < 3; k++) {
					if (!sees_collection(p, c)) {
						assert_int_equal(a[k].rc,
						                 VG_ENOTFOUND);
						same_answer(&a[k], &gone[k],
						            p->name);
						continue;
					}
					assert_int_equal(a[k].rc, VG_OK);
					if (k)
						continue;
					cJSON *j = cJSON_Parse(a[0].body.data);
#define MEMBER(name) cJSON_GetObjectItemCaseSensitive(j, name)
					/* by its alias, the alias is its id
					 * (issue 9, item 7) */
					assert_string_equal(
					    MEMBER("id")->valuestring, ref);
					assert_string_equal(
					    MEMBER("alias")->valuestring,
					    colls[c].alias);
					assert_int_equal(
					    cJSON_IsTrue(MEMBER("can_read")),
					    reads(p->role));
					assert_int_equal(
					    cJSON_IsTrue(MEMBER("can_write")),
					    writes(p->role));
#undef MEMBER
					cJSON_Delete(j);
				}
				for (int k = 0; k < 3; k++)
					answer_release(&a[k]);
			}
		for (int k = 0; k < 3; k++)
			answer_release(&gone[k]);
	}
}

/* Posting where one may not: a reader is told it may not write; a
 * collection one may not see answers as one that does not exist. */
static void test_post_to_an_invisible_collection_looks_missing(void **state)
{
	(void)state;
	const char *missing = "0b7e1e1e-0000-4000-8000-00000000beef";
	for (int i = 0; i < N_PRINCIPALS; i++) {
		struct principal *p = &M->p[i];
		for (int c = 0; c < N_COLLS; c++) {
			if (sees_collection(p, c) && writes(p->role))
				continue; /* it would write */
			char err[2][200], *st[2];
			int rc[2];
			rc[0] = post(&p->c, colls[c].alias, "", &st[0], NULL,
			             err[0], sizeof(err[0]));
			rc[1] = post(&p->c, missing, "", &st[1], NULL, err[1],
			             sizeof(err[1]));
			assert_null(st[0]);
			assert_null(st[1]);
			if (sees_collection(p, c)) { /* a reader */
				assert_int_equal(rc[0], VG_EDENIED);
				assert_string_equal(
				    err[0],
				    "no write access to this collection");
			} else {
				assert_int_equal(rc[0], VG_ENOTFOUND);
				assert_int_equal(rc[1], VG_ENOTFOUND);
				assert_string_equal(err[0], err[1]);
			}
		}
	}
}

/* Page through coll's indicators, limit at a time, following 'next';
 * pages gets at most max answers; returns how many. */
static int page_through(struct principal *p, int coll, enum vg_taxii_page kind,
                        size_t limit, const char *version, struct answer *pages,
                        int max)
{
	struct vg_taxii_filter f;
	int n = 0;
	if (version)
		filter_of(&f, limit, "match[type]", "indicator",
		          "match[version]", version, NULL);
	else
		filter_of(&f, limit, "match[type]", "indicator", NULL);
	for (;;) {
		assert_true(n < max);
		struct answer *a = &pages[n++];
		ask(p, colls[coll].alias, kind, NULL, &f, a);
		if (a->rc)
			break;
		cJSON *j = cJSON_Parse(a->body.data);
		const cJSON *next = cJSON_GetObjectItemCaseSensitive(j, "next");
		int more =
		    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "more"));
		assert_int_equal(more, cJSON_IsString(next));
		if (more)
			snprintf(f.next, sizeof(f.next), "%s",
			         next->valuestring);
		cJSON_Delete(j);
		if (!more)
			break;
	}
	vg_taxii_filter_release(&f);
	return n;
}

static int by_added(const void *a, const void *b)
{
	const struct version *x = *(const struct version *const *)a;
	const struct version *y = *(const struct version *const *)b;
	return (x->date_added > y->date_added) -
	       (x->date_added < y->date_added);
}

enum which { LAST, FIRST, ALL };

/* The versions of coll's objects p should get, in date_added order. */
static size_t expected(struct principal *p, int coll, enum which w,
                       const struct version **out)
{
	size_t n = 0;
	for (int i = 0; i < N_OBJECTS; i++) {
		const struct version *vis[2];
		if (M->o[i].coll != coll)
			continue;
		int k = visible(p, &M->o[i], vis);
		if (w == ALL)
			for (int j = 0; j < k; j++)
				out[n++] = vis[j];
		else if (k)
			out[n++] = w == LAST ? latest(p, &M->o[i]) : vis[0];
	}
	qsort(out, n, sizeof(*out), by_added);
	return n;
}

static void test_objects_pages(void **state)
{
	(void)state;
	struct answer pages[60];
	const struct version *want[2 * N_PER_COLL];
	for (int i = 0; i < N_PRINCIPALS; i++)
		for (int k = 0; k < N_POSTED; k++) {
			struct principal *p = &M->p[i];
			int c = posted_to[k];
			if (!sees_collection(p, c))
				continue;
			size_t n = expected(p, c, LAST, want);
			int got = page_through(p, c, VG_PAGE_OBJECTS, 4, NULL,
			                       pages, 60);
			assert_int_equal(got, n ? (int)(n + 3) / 4 : 1);
			for (int g = 0; g < got; g++) {
				assert_int_equal(pages[g].rc, VG_OK);
				size_t from = 4 * (size_t)g;
				size_t len = n - from < 4 ? n - from : 4;
				objects_are(&pages[g], want + from, len,
				            g < got - 1);
				answer_release(&pages[g]);
			}
		}
}

static void test_objects_pages_of_every_version(void **state)
{
	(void)state;
	struct answer pages[2];
	const struct version *want[2 * N_PER_COLL];
	for (int i = 0; i < N_PRINCIPALS; i++)
		for (int k = 0; k < N_POSTED; k++) {
			struct principal *p = &M->p[i];
			int c = posted_to[k];
			if (!sees_collection(p, c))
				continue;
			size_t n = expected(p, c, ALL, want);
			assert_int_equal(page_through(p, c, VG_PAGE_OBJECTS,
			                              1000, "all", pages, 2),
			                 1);
			assert_int_equal(pages[0].rc, VG_OK);
			objects_are(&pages[0], want, n, 0);
			answer_release(&pages[0]);
		}
}

static void test_manifest(void **state)
{
	(void)state;
	static const char *const names[] = {"last", "first", "all"};
	struct answer pages[60];
	const struct version *want[2 * N_PER_COLL];
	for (int i = 0; i < N_PRINCIPALS; i++)
		for (int k = 0; k < N_POSTED; k++)
			for (int w = LAST; w <= ALL; w++) {
				struct principal *p = &M->p[i];
				int c = posted_to[k];
				if (!sees_collection(p, c))
					continue;
				size_t n = expected(p, c, (enum which)w, want);
				int got = page_through(p, c, VG_PAGE_MANIFEST,
				                       3, names[w], pages, 60);
				/* the count is the visible count, nothing more
				 */
				assert_int_equal(got, n ? (int)(n + 2) / 3 : 1);
				size_t at = 0;
				for (int g = 0; g < got; g++) {
					struct answer *a = &pages[g];
					assert_int_equal(a->rc, VG_OK);
					cJSON *j = cJSON_Parse(a->body.data),
					      *x;
					assert_int_equal(
					    cJSON_IsTrue(
					        cJSON_GetObjectItemCaseSensitive(
					            j, "more")),
					    g < got - 1);
					size_t from = at;
					cJSON_ArrayForEach(
					    x, cJSON_GetObjectItemCaseSensitive(
					           j, "objects"))
					{
						assert_true(at < n);
						const struct version *v =
						    want[at++];
						const struct object *o = NULL;
						for (int q = 0;
						     q < N_OBJECTS && !o; q++)
							if (&M->o[q].v[0] ==
							        v ||
							    &M->o[q].v[1] == v)
								o = &M->o[q];
						const char *rec = jfmt(
						    "{\"id\":\"%s\",\"date_"
						    "added\":\"%s\","
						    "\"version\":\"%s\","
						    "\"media_type\":"
						    "\"application/"
						    "stix+json;version=2.1\"}",
						    o->oid,
						    taxii_time(v->date_added),
						    v->modified);
						cJSON *r = cJSON_Parse(rec);
						if (!cJSON_Compare(x, r, 1))
							fail_msg("%s: %s", rec,
							         a->body.data);
						cJSON_Delete(r);
					}
					dates_are(a, want + from, at - from);
					cJSON_Delete(j);
					answer_release(a);
				}
				assert_int_equal(at, n);
			}
}

/* Every writer posts where it sees a collection (a campaign, so the
 * pages of indicators above are not changed), and everyone reads it back
 * by the rule, its organisation being the owner. */
static void test_writers_post_where_they_see(void **state)
{
	(void)state;
	struct vg_taxii_filter none;
	int posted = 0;
	filter_of(&none, 0, NULL);
	for (int i = 0; i < N_PRINCIPALS; i++)
		for (int c = 0; c < N_COLLS; c++) {
			struct principal *p = &M->p[i];
			if (!writes(p->role) || !sees_collection(p, c))
				continue;
			char id[64], *st = NULL, err[200];
			struct vg_ingest_counts k;
			snprintf(id, sizeof(id),
			         "campaign--0b7e1e1e-%04x-4000-8000-%012x", c,
			         i);
			const char *obj = jfmt(
			    "{\"type\":\"campaign\",\"spec_version\":\"2.1\","
			    "\"id\":\"%s\",\"created\":\"" AV1 "\","
			    "\"modified\":\"" AV1 "\",\"name\":\"c\"}",
			    id);
			assert_int_equal(post(&p->c, colls[c].alias, obj, &st,
			                      &k, err, sizeof(err)),
			                 VG_OK);
			status_is(st,
			          jfmt("[{\"id\":\"%s\",\"version\":\"%s\"}]",
			               id, AV1),
			          "[]", NULL);
			free(st);
			posted++;
			struct version v = {.modified = AV1, .owner = p->org};
			for (int r = 0; r < N_PRINCIPALS; r++) {
				struct principal *q = &M->p[r];
				struct answer a;
				ask(q, colls[c].alias, VG_PAGE_OBJECT, id,
				    &none, &a);
				int want =
				    sees_collection(q, c) && may_read(q, c, &v);
				assert_int_equal(a.rc,
				                 want ? VG_OK : VG_ENOTFOUND);
				answer_release(&a);
			}
		}
	/* 3 writing roles x 2 clearances: in Alpha and Bravo 5 collections
	 * each (the hub's three, their own, the group's), in Charlie 4; the
	 * admin 4 */
	assert_int_equal(posted, 2 * 6 * 5 + 6 * 4 + 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_the_model_is_not_trivial),
	    cmocka_unit_test(test_collections_list),
	    cmocka_unit_test(test_collection_resource_by_id_and_alias),
	    cmocka_unit_test(
	        test_post_to_an_invisible_collection_looks_missing),
	    cmocka_unit_test(test_objects_pages),
	    cmocka_unit_test(test_objects_pages_of_every_version),
	    cmocka_unit_test(test_manifest),
	    cmocka_unit_test(test_writers_post_where_they_see),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
