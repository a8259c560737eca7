/* The group-commit writer (src/service/writer.c) on the in-memory store:
 * a failing job undoes only its own work; a savepoint that cannot be
 * rolled back or released aborts the whole batch, so no job of it is
 * reported as stored; a submitted job has no savepoint. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/service/writer.h"
#include "vigil/store/store.h"
#include "vigil/util/error.h"

/* The memory backend with a rollback_to that fails when asked to. */
static struct vg_store_ops broken;
static int fail_rollback_to;

static int bad_rollback_to(struct vg_store *s, vg_savepoint sp)
{
	if (fail_rollback_to)
		return VG_ESTORE;
	return vg_store_memory.rollback_to(s, sp);
}

static int set_key(struct vg_store *s, void *arg)
{
	return s->ops->hub->set(s, (const char *)arg, "1");
}

static int set_then_fail(struct vg_store *s, void *arg)
{
	int rc = s->ops->hub->set(s, (const char *)arg, "1");
	return rc ? rc : VG_EINVAL;
}

static int has(struct vg_store *s, const char *key)
{
	char *v = NULL;
	int rc = s->ops->hub->get(s, key, &v);
	free(v);
	return rc == VG_OK;
}

static struct vg_store *open_store(const char *name)
{
	struct vg_store *s = NULL;
	assert_int_equal(vg_store_open(name, VG_STORE_CREATE, &s, NULL, 0), VG_OK);
	broken = *s->ops;
	broken.rollback_to = bad_rollback_to;
	s->ops = &broken;
	return s;
}

static void test_a_failing_job_undoes_only_its_own_work(void **state)
{
	(void)state;
	struct vg_store *s = open_store("memory:writer-1"), *r = NULL;
	struct vg_writer *w;
	fail_rollback_to = 0;
	assert_int_equal(vg_store_open("memory:writer-1", 0, &r, NULL, 0), VG_OK);
	assert_int_equal(vg_writer_start(s, 0, 16, 0, &w), VG_OK);
	assert_int_equal(vg_writer_run(w, set_key, "a"), VG_OK);
	assert_int_equal(vg_writer_run(w, set_then_fail, "b"), VG_EINVAL);
	assert_true(has(r, "a"));
	assert_false(has(r, "b"));
	vg_writer_stop(w);
	vg_store_close(r);
}

static void done(void *arg, int rc)
{
	int *slot = arg;
	*slot = rc + 1000; /* set: the callback ran */
}

static void test_a_failed_rollback_to_aborts_the_batch(void **state)
{
	(void)state;
	struct vg_store *s = open_store("memory:writer-2"), *r = NULL;
	struct vg_writer *w;
	int a = 0;
	fail_rollback_to = 1;
	assert_int_equal(vg_store_open("memory:writer-2", 0, &r, NULL, 0), VG_OK);
	/* a thread that waits 200 ms for company: both jobs in one batch */
	assert_int_equal(vg_writer_start(s, 1, 16, 200000, &w), VG_OK);
	assert_int_equal(vg_writer_submit(w, set_key, "c", done, &a), VG_OK);
	assert_int_equal(vg_writer_run(w, set_then_fail, "d"), VG_ESTORE);
	vg_writer_stop(w); /* finishes the queued jobs */
	/* the job that succeeded is not reported stored: its transaction
	 * could not be trusted and was rolled back whole */
	assert_int_equal(a, VG_ESTORE + 1000);
	assert_false(has(r, "c"));
	assert_false(has(r, "d"));
	vg_store_close(r);
}

static int stale(struct vg_store *s, void *arg)
{
	(void)s;
	(void)arg;
	return VG_ESTALE;
}

/* A submitted job (a read's audit entries) runs without a savepoint: it
 * may fail with VG_ESTALE before it writes, and the others are stored;
 * any other failure of it fails the whole batch. */
static void test_a_submitted_job_has_no_savepoint(void **state)
{
	(void)state;
	struct vg_store *s = open_store("memory:writer-4"), *r = NULL;
	struct vg_writer *w;
	int g = 0, h = 0, i = 0, j = 0;
	fail_rollback_to = 1; /* never asked for */
	assert_int_equal(vg_store_open("memory:writer-4", 0, &r, NULL, 0), VG_OK);
	assert_int_equal(vg_writer_start(s, 1, 16, 200000, &w), VG_OK);
	assert_int_equal(vg_writer_submit(w, set_key, "g", done, &g), VG_OK);
	assert_int_equal(vg_writer_submit(w, stale, NULL, done, &h), VG_OK);
	assert_int_equal(vg_writer_run(w, set_key, "i"), VG_OK);
	assert_int_equal(g, VG_OK + 1000);
	assert_int_equal(h, VG_ESTALE + 1000);
	assert_true(has(r, "g"));
	assert_true(has(r, "i"));
	/* a submitted job that fails otherwise: nothing of its batch */
	assert_int_equal(vg_writer_submit(w, set_key, "j", done, &j), VG_OK);
	assert_int_equal(vg_writer_submit(w, set_then_fail, "k", done, &i),
			 VG_OK);
	vg_writer_stop(w);
	assert_int_equal(j, VG_EINVAL + 1000);
	assert_int_equal(i, VG_EINVAL + 1000);
	assert_false(has(r, "j"));
	assert_false(has(r, "k"));
	vg_store_close(r);
}

/* A job run alone is never batched with others and needs no savepoint:
 * with savepoints that cannot be rolled back, its failure is its own and
 * the job queued before it is stored in its own transaction. */
static void test_a_job_alone_has_its_own_transaction(void **state)
{
	(void)state;
	struct vg_store *s = open_store("memory:writer-3"), *r = NULL;
	struct vg_writer *w;
	int e = 0;
	unsigned long long commits, jobs;
	fail_rollback_to = 1;
	assert_int_equal(vg_store_open("memory:writer-3", 0, &r, NULL, 0), VG_OK);
	/* the first job waits 200 ms for company: the second comes */
	assert_int_equal(vg_writer_start(s, 1, 16, 200000, &w), VG_OK);
	assert_int_equal(vg_writer_submit(w, set_key, "e", done, &e), VG_OK);
	assert_int_equal(vg_writer_run_alone(w, set_then_fail, "f"), VG_EINVAL);
	vg_writer_counts(w, &commits, &jobs);
	assert_int_equal(commits, 2);
	assert_int_equal(jobs, 2);
	vg_writer_stop(w);
	assert_int_equal(e, VG_OK + 1000);
	assert_true(has(r, "e"));
	assert_false(has(r, "f"));
	vg_store_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_failing_job_undoes_only_its_own_work),
		cmocka_unit_test(test_a_submitted_job_has_no_savepoint),
		cmocka_unit_test(test_a_failed_rollback_to_aborts_the_batch),
		cmocka_unit_test(test_a_job_alone_has_its_own_transaction),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
