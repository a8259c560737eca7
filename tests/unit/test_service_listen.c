/* Several processes on one PostgreSQL store (ctest's unit-pg; skipped
 * without VIGIL_TEST_PG): a threaded service hears the others' changes as
 * they commit and acts at once. A watch made through another service
 * rebuilds this one's watch cache, with no ingest here to ask for it; a
 * watch removed, again. */
#include "svc_fixture.h"

#include "vigil/service/warn.h"

#include "../../src/service/warn_int.h"

/* The generation svc's watch cache was built at (-1: none). */
static int64_t cache_gen(struct vg_service *svc)
{
	pthread_mutex_lock(&svc->warn->mu);
	int64_t g = svc->warn->cache ? svc->warn->cache->gen : -1;
	pthread_mutex_unlock(&svc->warn->mu);
	return g;
}

/* The store's warn generation. */
static int64_t store_gen(struct vg_store *s)
{
	char *v = NULL;
	int rc = s->ops->hub->get(s, "gen.warn", &v);
	int64_t g = rc ? 0 : strtoll(v, NULL, 10);
	free(v);
	return g;
}

/* Wait (at most 10 s) until svc's cache is at generation want. */
static void cache_reaches(struct vg_service *svc, int64_t want)
{
	for (int i = 0; i < 1000 && cache_gen(svc) != want; i++) {
		struct timespec ms = {0, 10000000L};
		nanosleep(&ms, NULL);
	}
	assert_int_equal(cache_gen(svc), want);
}

static void test_watches_heard(void **state)
{
	struct hub h;
	struct vg_ctx op;
	struct vg_service *other = NULL;
	struct vg_store *s = NULL;
	struct vg_buf out;
	char err[300] = "";
	(void)state;
	if (!test_pg())
		skip();
	hub_open(&h, "listen", 0);
	struct vg_service_conf c = {
	    .location = h.location, .threaded = 1, .key_dir = h.key_dir};
	assert_int_equal(vg_service_open(&c, &other, err, sizeof(err)), VG_OK);
	assert_int_equal(vg_store_open(h.location, 0, &s, NULL, 0), VG_OK);
	assert_int_equal(vg__warn_cache_refresh(other, s), VG_OK);
	int64_t before = store_gen(s);
	assert_int_equal(cache_gen(other), before);

	/* a watch made through the first service */
	ctx_operator(&h, &op);
	struct vg_watch_spec w = {.kind = "value", .term = "10.0.0.1"};
	vg_buf_init(&out, 0);
	assert_int_equal(vg_watch_add(&op, &w, &out, err, sizeof(err)), VG_OK);
	vg_buf_release(&out);
	int64_t after = store_gen(s);
	assert_true(after > before);
	cache_reaches(other, after);
	struct vg__wcache *wc = NULL;
	assert_int_equal(vg__warn_cache_get(other, s, &wc), VG_OK);
	assert_int_equal(wc->n, 1);
	vg__warn_cache_put(other, wc);

	/* and removed */
	assert_int_equal(vg_watch_remove(&op, 1), VG_OK);
	int64_t removed = store_gen(s);
	assert_true(removed > after);
	cache_reaches(other, removed);

	vg_ctx_release(&op);
	vg_store_close(s);
	vg_service_close(other);
	hub_close(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_watches_heard),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
