/* The in-memory store's transactions: a rollback, to a savepoint or of
 * the whole transaction, gives back exactly the state before it (rows
 * and settings from a copy made at the first change, the audit log and
 * checkpoints by their lengths), and a commit keeps everything. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vigil/store/store.h"
#include "vigil/util/error.h"

static struct vg_store *open_store(const char *name)
{
	struct vg_store *s = NULL;
	char loc[80];
	snprintf(loc, sizeof(loc), "memory:%s", name);
	assert_int_equal(vg_store_open(loc, VG_STORE_CREATE, &s, NULL, 0),
	                 VG_OK);
	return s;
}

static void set(struct vg_store *s, const char *k, const char *v)
{
	assert_int_equal(s->ops->hub->set(s, k, v), VG_OK);
}

/* The setting k's value, "-" when unset. */
static const char *get(struct vg_store *s, const char *k)
{
	static char out[64];
	char *v = NULL;
	int rc = s->ops->hub->get(s, k, &v);
	snprintf(out, sizeof(out), "%s", rc == VG_ENOTFOUND ? "-" : v);
	free(v);
	return out;
}

/* Append an entry chained after the head, with action a. */
static void append(struct vg_store *s, const char *a)
{
	int64_t seq;
	unsigned char head[VG_HASH_LEN];
	struct vg_audit_entry e = {.ts = 1,
	                           .actor = "t",
	                           .action = a,
	                           .target = "",
	                           .detail = "{}",
	                           .source = "",
	                           .purpose = "",
	                           .auth = ""};
	assert_int_equal(s->ops->audit->head(s, &seq, head), VG_OK);
	vg_audit_link(&e, seq, head);
	assert_int_equal(s->ops->audit->append(s, &e), VG_OK);
}

static int add_action(void *ud, const struct vg_audit_entry *e)
{
	char *out = ud;
	snprintf(out + strlen(out), 200 - strlen(out), "%s%s", *out ? " " : "",
	         e->action);
	return 0;
}

/* The log's actions, in order, and the head's seq agreeing with them. */
static void log_is(struct vg_store *s, const char *want, int64_t n)
{
	char got[200] = "";
	struct vg_audit_filter f = {0};
	int64_t seq;
	unsigned char head[VG_HASH_LEN];
	assert_int_equal(s->ops->audit->scan(s, &f, add_action, got), VG_OK);
	assert_string_equal(got, want);
	assert_int_equal(s->ops->audit->head(s, &seq, head), VG_OK);
	assert_int_equal(seq, n);
}

static int count_org(void *ud, const struct vg_org *o)
{
	(void)o;
	(*(int *)ud)++;
	return 0;
}

static int orgs(struct vg_store *s)
{
	int n = 0;
	assert_int_equal(s->ops->hub->org_list(s, count_org, &n), VG_OK);
	return n;
}

static void test_rollback_to_a_savepoint(void **state)
{
	(void)state;
	struct vg_store *s = open_store("tx-savepoint");
	vg_savepoint sp;
	int64_t org;
	assert_int_equal(s->ops->begin(s), VG_OK);
	set(s, "a", "1");
	append(s, "one");
	assert_int_equal(s->ops->savepoint(s, &sp), VG_OK);
	set(s, "a", "2");
	assert_int_equal(s->ops->hub->org_add(s, "Org", "identity--x", &org),
	                 VG_OK);
	append(s, "two");
	log_is(s, "one two", 2);
	assert_int_equal(s->ops->rollback_to(s, sp), VG_OK);
	assert_string_equal(get(s, "a"), "1");
	assert_int_equal(orgs(s), 0);
	log_is(s, "one", 1);
	/* the savepoint stays open: again */
	set(s, "a", "3");
	append(s, "three");
	assert_int_equal(s->ops->rollback_to(s, sp), VG_OK);
	assert_string_equal(get(s, "a"), "1");
	log_is(s, "one", 1);
	assert_int_equal(s->ops->release(s, sp), VG_OK);
	assert_int_equal(s->ops->commit(s), VG_OK);
	assert_string_equal(get(s, "a"), "1");
	log_is(s, "one", 1);
	vg_store_close(s);
	vg_store_memory_drop("tx-savepoint");
}

static void test_rollback_of_appends_only(void **state)
{
	(void)state;
	struct vg_store *s = open_store("tx-appends");
	vg_savepoint sp;
	assert_int_equal(s->ops->begin(s), VG_OK);
	set(s, "a", "1");
	append(s, "one");
	assert_int_equal(s->ops->commit(s), VG_OK);
	/* a transaction of audit entries only */
	assert_int_equal(s->ops->begin(s), VG_OK);
	append(s, "two");
	assert_int_equal(s->ops->savepoint(s, &sp), VG_OK);
	append(s, "three");
	assert_int_equal(s->ops->rollback_to(s, sp), VG_OK);
	log_is(s, "one two", 2);
	assert_int_equal(s->ops->release(s, sp), VG_OK);
	assert_int_equal(s->ops->rollback(s), VG_OK);
	log_is(s, "one", 1);
	assert_string_equal(get(s, "a"), "1");
	/* a change after the savepoint opened: both levels keep the state
	 * from before it */
	assert_int_equal(s->ops->begin(s), VG_OK);
	assert_int_equal(s->ops->savepoint(s, &sp), VG_OK);
	set(s, "a", "2");
	append(s, "two");
	assert_int_equal(s->ops->release(s, sp), VG_OK);
	assert_string_equal(get(s, "a"), "2");
	assert_int_equal(s->ops->rollback(s), VG_OK);
	assert_string_equal(get(s, "a"), "1");
	log_is(s, "one", 1);
	/* a checkpoint is cut back too */
	struct vg_checkpoint cp = {
	    .seq = 1, .ts = 1, .sig = (const unsigned char[VG_SIG_LEN]){0}};
	assert_int_equal(s->ops->begin(s), VG_OK);
	assert_int_equal(s->ops->audit->checkpoint_add(s, &cp), VG_OK);
	assert_int_equal(s->ops->rollback(s), VG_OK);
	assert_int_equal(s->ops->begin(s), VG_OK);
	assert_int_equal(s->ops->audit->checkpoint_add(s, &cp), VG_OK);
	assert_int_equal(s->ops->commit(s), VG_OK);
	vg_store_close(s);
	vg_store_memory_drop("tx-appends");
}

static void test_nested_savepoints(void **state)
{
	(void)state;
	struct vg_store *s = open_store("tx-nested");
	vg_savepoint sp1, sp2;
	assert_int_equal(s->ops->begin(s), VG_OK);
	set(s, "x", "1");
	append(s, "x");
	assert_int_equal(s->ops->savepoint(s, &sp1), VG_OK);
	append(s, "between");
	assert_int_equal(s->ops->savepoint(s, &sp2), VG_OK);
	set(s, "y", "1");
	append(s, "y");
	assert_int_equal(s->ops->rollback_to(s, sp2), VG_OK);
	assert_string_equal(get(s, "x"), "1");
	assert_string_equal(get(s, "y"), "-");
	log_is(s, "x between", 2);
	assert_int_equal(s->ops->release(s, sp2), VG_OK);
	set(s, "z", "1");
	assert_int_equal(s->ops->rollback_to(s, sp1), VG_OK);
	assert_string_equal(get(s, "z"), "-");
	assert_string_equal(get(s, "x"), "1");
	log_is(s, "x", 1);
	assert_int_equal(s->ops->release(s, sp1), VG_OK);
	assert_int_equal(s->ops->rollback(s), VG_OK);
	assert_string_equal(get(s, "x"), "-");
	log_is(s, "", 0);
	/* a handle closed inside its transaction rolls it back */
	assert_int_equal(s->ops->begin(s), VG_OK);
	set(s, "x", "2");
	append(s, "lost");
	struct vg_store *t = open_store("tx-nested");
	vg_store_close(s);
	assert_string_equal(get(t, "x"), "-");
	log_is(t, "", 0);
	vg_store_close(t);
	vg_store_memory_drop("tx-nested");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rollback_to_a_savepoint),
	    cmocka_unit_test(test_rollback_of_appends_only),
	    cmocka_unit_test(test_nested_savepoints),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
