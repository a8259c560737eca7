/* The PostgreSQL backend's own guarantees, on handles of one database
 * (VIGIL_TEST_PG names the cluster; ctest's unit-pg runs it): writers of
 * two handles take turns, date_added grows across them, the audit chain
 * stays one; a queued write that fails undoes the whole transaction at
 * commit; the prefetch hint changes no answer; the user, groups and
 * grants read with a key answer only the reads right after it; notify
 * reaches a listener
 * only when its transaction commits; a killed connection is made again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vigil/store/store.h"
#include "vigil/util/error.h"

static char loc[300];

static void maint(const char *sql)
{
	char m[300];
	const char *q = strstr(getenv("VIGIL_TEST_PG"), "?");
	snprintf(m, sizeof(m), "postgresql:///postgres%s", q ? q : "");
	PGconn *c = PQconnectdb(m);
	PGresult *r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("%s: %s", sql, PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
}

static int setup(void **state)
{
	(void)state;
	const char *pg = getenv("VIGIL_TEST_PG");
	if (!pg || !*pg)
		return 0;
	const char *q = strstr(pg, "?");
	snprintf(loc, sizeof(loc), "postgresql:///vs_%d%s", (int)getpid(),
	         q ? q : "");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char sql[100];
	if (!loc[0])
		return 0;
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS vs_%d WITH (FORCE)",
	         (int)getpid());
	maint(sql);
	return 0;
}

static struct vg_store *open_pg(void)
{
	struct vg_store *s = NULL;
	char err[300] = "";
	if (!loc[0])
		skip(); /* run by ctest as unit-pg/test_store_pg */
	int rc = vg_store_open(loc, VG_STORE_CREATE, &s, err, sizeof(err));
	if (rc)
		fail_msg("open: %s %s", vg_err_name(rc), err);
	return s;
}

static void object(struct vg_object *o, const char *id, const char *version)
{
	static const char json[] = "{}";
	memset(o, 0, sizeof(*o));
	o->id = id;
	o->type = "indicator";
	o->version = version;
	o->collection = "c";
	o->owner = 1;
	o->latest = 1;
	o->json = json;
	o->json_len = 2;
}

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

struct writer {
	struct vg_store *s;
	int n, base;
	int64_t added[200];
};

/* Many small transactions, each an object and two audit entries. */
static void *write_loop(void *arg)
{
	struct writer *w = arg;
	for (int i = 0; i < w->n; i++) {
		char id[64];
		struct vg_object o;
		snprintf(id, sizeof(id),
		         "indicator--%08d-0000-4000-8000-000000000000",
		         w->base + i);
		object(&o, id, "2020-01-01T00:00:00.000000000Z");
		if (w->s->ops->begin(w->s) ||
		    w->s->ops->objects->insert(w->s, &o, &w->added[i]))
			return "write";
		append(w->s, "a");
		append(w->s, "b");
		if (w->s->ops->commit(w->s))
			return "commit";
	}
	return NULL;
}

static int chain_cb(void *ud, const struct vg_audit_entry *e)
{
	struct chain {
		int64_t n;
		unsigned char prev[VG_HASH_LEN];
		int bad;
	} *c = ud;
	struct vg_audit_entry again = *e;
	if (e->seq != c->n + 1 || memcmp(e->prev, c->prev, VG_HASH_LEN))
		c->bad = 1;
	vg_audit_link(&again, c->n, c->prev);
	if (memcmp(again.hash, e->hash, VG_HASH_LEN))
		c->bad = 1;
	c->n = e->seq;
	memcpy(c->prev, e->hash, VG_HASH_LEN);
	return 0;
}

/* Two handles write at once: their transactions take turns, every
 * date_added is unique and each handle's grow; one chain of 4n entries. */
static void test_two_writers(void **state)
{
	(void)state;
	struct vg_store *a = open_pg(), *b = open_pg();
	struct writer wa = {a, 150, 0, {0}}, wb = {b, 150, 1000, {0}};
	pthread_t ta, tb;
	void *ra, *rb;
	pthread_create(&ta, NULL, write_loop, &wa);
	pthread_create(&tb, NULL, write_loop, &wb);
	pthread_join(ta, &ra);
	pthread_join(tb, &rb);
	assert_null(ra);
	assert_null(rb);
	for (int i = 1; i < 150; i++) {
		assert_true(wa.added[i] > wa.added[i - 1]);
		assert_true(wb.added[i] > wb.added[i - 1]);
	}
	for (int i = 0; i < 150; i++)
		for (int k = 0; k < 150; k++)
			assert_true(wa.added[i] != wb.added[k]);
	struct {
		int64_t n;
		unsigned char prev[VG_HASH_LEN];
		int bad;
	} c = {0};
	struct vg_audit_filter f = {0};
	assert_int_equal(a->ops->audit->scan(a, &f, chain_cb, &c), VG_OK);
	assert_int_equal(c.bad, 0);
	assert_int_equal(c.n, 600);
	vg_store_close(a);
	vg_store_close(b);
}

static int count_rows(void *ud, const struct vg_row *r)
{
	(void)r;
	++*(int *)ud;
	return 0;
}

static int ids(struct vg_store *s, const char *id)
{
	struct vg_principal all = {.operator= 1 };
	struct vg_access_expr x;
	int n = 0;
	vg_access_expr(&all, &x);
	struct vg_query q = {
	    .visible = &x, .ids = &id, .n_ids = 1, .versions = VG_VERSIONS_ALL};
	assert_int_equal(s->ops->objects->scan(s, &q, count_rows, &n), VG_OK);
	return n;
}

/* A queued insert that fails (its key is taken) is found at the commit at
 * the latest, and nothing of the transaction stays. */
static void test_failed_queued_write_undoes_all(void **state)
{
	(void)state;
	struct vg_store *s = open_pg();
	struct vg_object o;
	const char *id = "indicator--0000abcd-0000-4000-8000-000000000000";
	object(&o, id, "2021-01-01T00:00:00.000000000Z");
	assert_int_equal(s->ops->begin(s), VG_OK);
	assert_int_equal(s->ops->objects->insert(s, &o, NULL), VG_OK);
	assert_int_equal(s->ops->commit(s), VG_OK);
	assert_int_equal(s->ops->begin(s), VG_OK);
	assert_int_equal(s->ops->hub->set(s, "k", "v"), VG_OK);
	int rc = s->ops->objects->insert(s, &o, NULL); /* queued: OK or not */
	if (!rc)
		rc = s->ops->commit(s);
	else
		s->ops->rollback(s);
	assert_int_equal(rc, VG_ESTORE);
	char *v = NULL;
	assert_int_equal(s->ops->hub->get(s, "k", &v), VG_ENOTFOUND);
	assert_int_equal(ids(s, id), 1);
	/* and the handle works on */
	assert_int_equal(s->ops->begin(s), VG_OK);
	assert_int_equal(s->ops->hub->set(s, "k", "w"), VG_OK);
	assert_int_equal(s->ops->commit(s), VG_OK);
	assert_int_equal(s->ops->hub->get(s, "k", &v), VG_OK);
	assert_string_equal(v, "w");
	free(v);
	vg_store_close(s);
}

struct seen {
	int n;
	char ids[8][80];
	int64_t owner;
};

static int seen_cb(void *ud, const struct vg_stored_version *v)
{
	struct seen *s = ud;
	snprintf(s->ids[s->n++ % 8], 80, "%s %s %lld", v->collection,
	         v->version, (long long)v->owner);
	return 0;
}

/* versions and owner_of answer the same with and without the hint, and
 * after writes to a hinted id. */
static void test_prefetch_is_only_a_hint(void **state)
{
	(void)state;
	struct vg_store *s = open_pg();
	const char *a = "indicator--0000aaaa-0000-4000-8000-000000000000";
	const char *b = "indicator--0000bbbb-0000-4000-8000-000000000000";
	const char *none = "indicator--0000cccc-0000-4000-8000-000000000000";
	struct vg_object o;
	object(&o, a, "2021-01-01T00:00:00.000000000Z");
	assert_int_equal(s->ops->begin(s), VG_OK);
	assert_int_equal(s->ops->objects->insert(s, &o, NULL), VG_OK);
	assert_int_equal(s->ops->objects->owner_set(s, a, 7), VG_OK);
	assert_int_equal(s->ops->commit(s), VG_OK);
	const char *hint[] = {a, b, none};
	assert_int_equal(s->ops->begin(s), VG_OK);
	assert_int_equal(s->ops->objects->prefetch(s, hint, 3), VG_OK);
	struct seen x = {0};
	int64_t owner = 0;
	assert_int_equal(s->ops->objects->versions(s, a, seen_cb, &x), VG_OK);
	assert_int_equal(x.n, 1);
	assert_string_equal(x.ids[0], "c 2021-01-01T00:00:00.000000000Z 1");
	assert_int_equal(s->ops->objects->owner_of(s, a, &owner), VG_OK);
	assert_int_equal(owner, 7);
	memset(&x, 0, sizeof(x));
	assert_int_equal(s->ops->objects->versions(s, none, seen_cb, &x),
	                 VG_OK);
	assert_int_equal(x.n, 0);
	assert_int_equal(s->ops->objects->owner_of(s, none, &owner),
	                 VG_ENOTFOUND);
	/* a write to a hinted id: read from the database again */
	object(&o, none, "2022-01-01T00:00:00.000000000Z");
	assert_int_equal(s->ops->objects->insert(s, &o, NULL), VG_OK);
	assert_int_equal(s->ops->objects->owner_set(s, none, 9), VG_OK);
	memset(&x, 0, sizeof(x));
	assert_int_equal(s->ops->objects->versions(s, none, seen_cb, &x),
	                 VG_OK);
	assert_int_equal(x.n, 1);
	assert_int_equal(s->ops->objects->owner_of(s, none, &owner), VG_OK);
	assert_int_equal(owner, 9);
	assert_int_equal(s->ops->objects->owner_set(s, none, 9), VG_EDUPLICATE);
	s->ops->rollback(s);
	/* rows gathered and not yet sent when the hint comes (the read is
	 * sent before them): their ids are read again, with them */
	const char *d = "indicator--0000dddd-0000-4000-8000-000000000000";
	const char *hint2[] = {d, a};
	assert_int_equal(s->ops->begin(s), VG_OK);
	memset(&x, 0, sizeof(x));
	assert_int_equal(s->ops->objects->versions(s, d, seen_cb, &x), VG_OK);
	assert_int_equal(x.n, 0);
	object(&o, d, "2023-01-01T00:00:00.000000000Z");
	assert_int_equal(s->ops->objects->insert(s, &o, NULL), VG_OK);
	assert_int_equal(s->ops->objects->owner_set(s, d, 5), VG_OK);
	assert_int_equal(s->ops->objects->prefetch(s, hint2, 2), VG_OK);
	memset(&x, 0, sizeof(x));
	assert_int_equal(s->ops->objects->versions(s, d, seen_cb, &x), VG_OK);
	assert_int_equal(x.n, 1);
	assert_string_equal(x.ids[0], "c 2023-01-01T00:00:00.000000000Z 1");
	assert_int_equal(s->ops->objects->owner_of(s, d, &owner), VG_OK);
	assert_int_equal(owner, 5);
	memset(&x, 0, sizeof(x));
	assert_int_equal(s->ops->objects->versions(s, a, seen_cb, &x), VG_OK);
	assert_int_equal(x.n, 1);
	assert_int_equal(s->ops->commit(s), VG_OK);
	memset(&x, 0, sizeof(x));
	assert_int_equal(s->ops->objects->versions(s, d, seen_cb, &x), VG_OK);
	assert_int_equal(x.n, 1);
	vg_store_close(s);
}

static int take_user(void *ud, const struct vg_user *u)
{
	*(int *)ud = u->disabled ? 2 : 1;
	return 0;
}

static int take_key(void *ud, const struct vg_key *k)
{
	(void)k;
	++*(int *)ud;
	return 0;
}

/* Authentication's reads, as service/ctx.c makes them (key, user, groups,
 * grants), whose answers come with the key's: right after it they are the
 * database's; after any other statement, the database's of then. */
static void test_auth_read_ahead_is_fresh(void **state)
{
	(void)state;
	struct vg_store *s = open_pg(), *w = open_pg();
	int64_t org = 0, other = 0, user = 0, grp = 0, *ids = NULL;
	size_t n = 9;
	unsigned char hash[VG_HASH_LEN] = {1};
	int seen = 0;
	assert_int_equal(w->ops->begin(w), VG_OK);
	assert_int_equal(w->ops->hub->org_add(w, "a", "identity--a", &org),
	                 VG_OK);
	assert_int_equal(w->ops->hub->org_add(w, "b", "identity--b", &other),
	                 VG_OK);
	assert_int_equal(w->ops->hub->user_add(w, "u", org, 1, 0, &user),
	                 VG_OK);
	assert_int_equal(w->ops->hub->key_add(w, "k1", user, hash, 0), VG_OK);
	assert_int_equal(w->ops->sharing->group_add(w, "g", &grp), VG_OK);
	assert_int_equal(w->ops->commit(w), VG_OK);

	/* right after the key: as read with it */
	assert_int_equal(s->ops->hub->key_find(s, "k1", take_key, &seen),
	                 VG_OK);
	assert_int_equal(seen, 1);
	assert_int_equal(
	    s->ops->hub->user_find(s, NULL, user, take_user, &seen), VG_OK);
	assert_int_equal(seen, 1);
	assert_int_equal(s->ops->sharing->groups_of(s, org, &ids, &n), VG_OK);
	assert_int_equal(n, 0);
	assert_null(ids);
	assert_int_equal(s->ops->warn->grants_of(s, org, &ids, &n), VG_OK);
	assert_int_equal(n, 0);

	/* the key read, then another statement, then changes by another
	 * handle: the reads after see the changes */
	seen = 0;
	assert_int_equal(s->ops->hub->key_find(s, "k1", take_key, &seen),
	                 VG_OK);
	char *v = NULL;
	assert_int_equal(s->ops->hub->get(s, "none", &v), VG_ENOTFOUND);
	assert_int_equal(w->ops->begin(w), VG_OK);
	assert_int_equal(w->ops->hub->user_set_disabled(w, user, 1), VG_OK);
	assert_int_equal(w->ops->sharing->group_member(w, grp, org, 1), VG_OK);
	assert_int_equal(w->ops->commit(w), VG_OK);
	assert_int_equal(
	    s->ops->hub->user_find(s, NULL, user, take_user, &seen), VG_OK);
	assert_int_equal(seen, 2);
	assert_int_equal(s->ops->sharing->groups_of(s, org, &ids, &n), VG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], grp);
	free(ids);

	/* read with the key, asked for another organisation: the
	 * database's answer for that one; and each read is answered once */
	assert_int_equal(w->ops->begin(w), VG_OK);
	assert_int_equal(w->ops->sharing->group_member(w, grp, other, 1),
	                 VG_OK);
	assert_int_equal(w->ops->commit(w), VG_OK);
	assert_int_equal(s->ops->hub->key_find(s, "k1", take_key, &seen),
	                 VG_OK);
	assert_int_equal(s->ops->sharing->groups_of(s, other, &ids, &n), VG_OK);
	assert_int_equal(n, 1);
	free(ids);
	assert_int_equal(s->ops->sharing->groups_of(s, org, &ids, &n), VG_OK);
	assert_int_equal(n, 1);
	free(ids);
	assert_int_equal(w->ops->begin(w), VG_OK);
	assert_int_equal(w->ops->sharing->group_member(w, grp, org, 0), VG_OK);
	assert_int_equal(w->ops->commit(w), VG_OK);
	assert_int_equal(s->ops->sharing->groups_of(s, org, &ids, &n), VG_OK);
	assert_int_equal(n, 0);

	/* an unknown key keeps nothing */
	assert_int_equal(s->ops->hub->key_find(s, "k2", take_key, &seen),
	                 VG_ENOTFOUND);
	assert_int_equal(
	    s->ops->hub->user_find(s, NULL, user, take_user, &seen), VG_OK);
	assert_int_equal(seen, 2);
	vg_store_close(w);
	vg_store_close(s);
}

static void heard(void *ud, const char *topic)
{
	char *out = ud;
	strncat(out, topic, 63 - strlen(out));
	strncat(out, ";", 63 - strlen(out));
}

/* A listener hears a topic when the transaction that sent it commits,
 * never when it rolls back; topics are [a-z_]. */
static void test_notify_reaches_listeners_at_commit(void **state)
{
	(void)state;
	struct vg_store *w = open_pg(), *l = open_pg();
	char got[64] = "";
	assert_int_equal(l->ops->listen(l, "identities"), VG_OK);
	assert_int_equal(l->ops->listen(l, "Bad-Topic"), VG_EINVAL);
	assert_int_equal(w->ops->begin(w), VG_OK);
	assert_int_equal(w->ops->notify(w, "identities"), VG_OK);
	assert_int_equal(w->ops->notify(w, "watches"), VG_OK); /* nobody */
	assert_int_equal(l->ops->wait(l, 50, heard, got), VG_OK);
	assert_string_equal(got, ""); /* not before the commit */
	assert_int_equal(w->ops->commit(w), VG_OK);
	for (int i = 0; i < 40 && !got[0]; i++)
		assert_int_equal(l->ops->wait(l, 100, heard, got), VG_OK);
	assert_string_equal(got, "identities;");
	got[0] = '\0';
	assert_int_equal(w->ops->begin(w), VG_OK);
	assert_int_equal(w->ops->notify(w, "identities"), VG_OK);
	assert_int_equal(w->ops->rollback(w), VG_OK);
	assert_int_equal(l->ops->wait(l, 300, heard, got), VG_OK);
	assert_string_equal(got, "");
	/* the listener's connection killed: "*" (anything may have changed),
	 * then it hears again */
	char kill[200];
	snprintf(kill, sizeof(kill),
	         "SELECT pg_terminate_backend(pid) FROM"
	         " pg_stat_activity WHERE datname = 'vs_%d' AND query LIKE"
	         " 'LISTEN%%'",
	         (int)getpid());
	maint(kill);
	for (int i = 0; i < 40 && !got[0]; i++)
		l->ops->wait(l, 100, heard, got);
	assert_string_equal(got, "*;");
	got[0] = '\0';
	assert_int_equal(w->ops->begin(w), VG_OK);
	assert_int_equal(w->ops->notify(w, "identities"), VG_OK);
	assert_int_equal(w->ops->commit(w), VG_OK);
	for (int i = 0; i < 40 && !got[0]; i++)
		assert_int_equal(l->ops->wait(l, 100, heard, got), VG_OK);
	assert_string_equal(got, "identities;");
	vg_store_close(w);
	vg_store_close(l);
}

/* A reader whose connection was killed reads on with a new one. */
static void test_reconnects_by_itself(void **state)
{
	(void)state;
	struct vg_store *s = open_pg();
	char *v = NULL;
	assert_int_equal(s->ops->hub->get(s, "none", &v), VG_ENOTFOUND);
	char kill[200];
	snprintf(kill, sizeof(kill),
	         "SELECT pg_terminate_backend(pid) FROM"
	         " pg_stat_activity WHERE datname = 'vs_%d'",
	         (int)getpid());
	maint(kill);
	assert_int_equal(s->ops->hub->get(s, "none", &v), VG_ENOTFOUND);
	assert_int_equal(s->ops->begin(s), VG_OK);
	assert_int_equal(s->ops->hub->set(s, "after", "yes"), VG_OK);
	assert_int_equal(s->ops->commit(s), VG_OK);
	assert_int_equal(s->ops->hub->get(s, "after", &v), VG_OK);
	free(v);
	vg_store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_two_writers),
	    cmocka_unit_test(test_failed_queued_write_undoes_all),
	    cmocka_unit_test(test_prefetch_is_only_a_hint),
	    cmocka_unit_test(test_auth_read_ahead_is_fresh),
	    cmocka_unit_test(test_notify_reaches_listeners_at_commit),
	    cmocka_unit_test(test_reconnects_by_itself),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
