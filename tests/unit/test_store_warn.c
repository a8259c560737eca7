/* Early warning's store operations (store/warn.h) give the same answers
 * on the SQLite, the in-memory and the PostgreSQL backends (the last when
 * VIGIL_TEST_PG names a cluster: ctest's unit-pg): the key index (exact keys,
 * ranges, latest versions, windows, counts per key), trend counts under
 * the access expression, watches, alerts, deliveries, disclosure
 * choices, requests, grants and exclusions; and a rollback undoes them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vigil/store/store.h"
#include "vigil/stix/stix.h"
#include "vigil/util/error.h"

struct fx {
	struct vg_store *s;
	char dir[64];
	int memory, pg;
};

/* The cluster's maintenance database, or NULL without VIGIL_TEST_PG. */
static const char *pg_query(void)
{
	const char *pg = getenv("VIGIL_TEST_PG");
	return pg && *pg ? strstr(pg, "?") : NULL;
}

static int pg_drop(void)
{
	char loc[300], sql[100];
	snprintf(loc, sizeof(loc), "postgresql:///postgres%s", pg_query());
	snprintf(sql, sizeof(sql),
	         "DROP DATABASE IF EXISTS vwarn_%d WITH (FORCE)", (int)getpid());
	PGconn *c = PQconnectdb(loc);
	PGresult *r = PQexec(c, sql);
	int bad = PQresultStatus(r) != PGRES_COMMAND_OK;
	PQclear(r);
	PQfinish(c);
	return bad ? -1 : 0;
}

static int open_fx(void **state, int memory)
{
	struct fx *f = calloc(1, sizeof(*f));
	char loc[300];
	f->memory = memory == 1;
	f->pg = memory == 2;
	if (f->pg) {
		snprintf(loc, sizeof(loc), "postgresql:///vwarn_%d%s",
		         (int)getpid(), pg_query());
	} else if (f->memory) {
		snprintf(loc, sizeof(loc), "memory:store-warn-%d", getpid());
	} else {
		snprintf(f->dir, sizeof(f->dir),
		         "/tmp/vigil-store-warn-XXXXXX");
		if (!mkdtemp(f->dir))
			return -1;
		snprintf(loc, sizeof(loc), "%s/db", f->dir);
	}
	if (vg_store_open(loc, VG_STORE_CREATE, &f->s, NULL, 0))
		return -1;
	*state = f;
	return 0;
}

static int setup_sqlite(void **state)
{
	return open_fx(state, 0);
}
static int setup_memory(void **state)
{
	return open_fx(state, 1);
}
static int setup_pg(void **state)
{
	return open_fx(state, 2);
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];
	vg_store_close(f->s);
	if (f->pg) {
		if (pg_drop())
			return -1;
	} else if (f->memory) {
		char loc[64];
		snprintf(loc, sizeof(loc), "store-warn-%d", getpid());
		vg_store_memory_drop(loc);
	} else {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
		if (system(cmd))
			return -1;
	}
	free(f);
	return 0;
}

/* Store one version; its date_added is returned. */
static int64_t put(struct vg_store *s, const char *id, const char *version,
                   int64_t owner, int scope, int latest, const char *created)
{
	char json[200];
	int64_t added = 0;
	snprintf(json, sizeof(json), "{\"id\":\"%s\",\"v\":\"%s\"}", id,
	         version);
	struct vg_object o = {
	    .id = id,
	    .type = "indicator",
	    .version = version,
	    .created = created,
	    .collection = "c",
	    .owner = owner,
	    .scope = scope,
	    .latest = latest,
	    .json = json,
	    .json_len = strlen(json),
	};
	assert_int_equal(s->ops->objects->insert(s, &o, &added), VG_OK);
	return added;
}

static int add_row(void *ud, const struct vg_warn_row *r)
{
	char *out = ud;
	size_t n = strlen(out);
	snprintf(out + n, 600 - n, "%s%s=%s", n ? " " : "", r->key, r->id);
	if (r->json)
		snprintf(out + strlen(out), 600 - strlen(out), "(json)");
	return 0;
}

static void scan_is(struct vg_store *s, const struct vg_warn_keyq *q,
                    const char *want)
{
	char got[600] = "";
	assert_int_equal(s->ops->warn->keys_scan(s, q, add_row, got), VG_OK);
	assert_string_equal(got, want);
}

static int counted(void *ud, const char *key, int64_t n)
{
	char *out = ud;
	size_t l = strlen(out);
	snprintf(out + l, 600 - l, "%s%s:%lld", l ? " " : "", key,
	         (long long)n);
	return 0;
}

static int cell(void *ud, const char *v, const char *day, int64_t n)
{
	char *out = ud;
	size_t l = strlen(out);
	snprintf(out + l, 600 - l, "%s%s@%s=%lld", l ? " " : "", v, day,
	         (long long)n);
	return 0;
}

static void test_key_index(void **state)
{
	struct vg_store *s = ((struct fx *)*state)->s;
	const struct vg_store_warn_ops *w = s->ops->warn;
	assert_int_equal(s->ops->begin(s), VG_OK);
	int64_t a1 =
	    put(s, "a", "1", 1, VG_SCOPE_COMMUNITY, 0, "2024-01-01T00:00:00Z");
	int64_t a2 =
	    put(s, "a", "2", 1, VG_SCOPE_COMMUNITY, 1, "2024-01-01T00:00:00Z");
	int64_t b1 =
	    put(s, "b", "1", 2, VG_SCOPE_ORG, 1, "2024-01-02T00:00:00Z");
	int64_t c1 = put(s, "c", "1", 3, VG_SCOPE_COMMUNITY, 1, NULL);
	const char *ka[] = {"ip4:0a000001/32", "dom:com.example"};
	const char *kb[] = {"ip4:0a000001/32", "dom:com.example.www",
	                    "label:x"};
	const char *kc[] = {"dom:com.example.a", "label:x"};
	assert_int_equal(w->keys_add(s, a1, ka, 2), VG_OK);
	assert_int_equal(w->keys_add(s, a2, ka, 2), VG_OK);
	assert_int_equal(w->keys_add(s, a2, ka, 1), VG_OK); /* again: ignored */
	assert_int_equal(w->keys_add(s, b1, kb, 3), VG_OK);
	assert_int_equal(w->keys_add(s, c1, kc, 2), VG_OK);
	assert_int_equal(w->keys_add(s, 999999, kc, 1), VG_OK); /* no row */
	assert_int_equal(s->ops->commit(s), VG_OK);

	const char *one[] = {"ip4:0a000001/32"};
	struct vg_warn_keyq q = {.keys = one, .n_keys = 1};
	scan_is(s, &q, "ip4:0a000001/32=a ip4:0a000001/32=a ip4:0a000001/32=b");
	q.latest = 1;
	scan_is(s, &q, "ip4:0a000001/32=a ip4:0a000001/32=b");
	q.json = 1;
	q.limit = 1;
	scan_is(s, &q, "ip4:0a000001/32=a(json)");
	struct vg_warn_keyq r = {
	    .lo = "dom:com.example.", .hi = "dom:com.example/", .latest = 1};
	scan_is(s, &r, "dom:com.example.a=c dom:com.example.www=b");
	struct vg_warn_keyq win = {.after = a2, .before = c1};
	scan_is(s, &win, "dom:com.example.www=b ip4:0a000001/32=b label:x=b");

	char got[600] = "";
	assert_int_equal(w->key_counts(s, "", 1, counted, got), VG_OK);
	assert_string_equal(got, "ip4:0a000001/32:2 label:x:2");
	got[0] = '\0';
	assert_int_equal(w->key_counts(s, "label:", 0, counted, got), VG_OK);
	assert_string_equal(got, "label:x:2");

	/* trends: what a community reader of organisation 1 may see */
	struct vg_principal p = {.org = 1, .role = VG_ROLE_READER};
	struct vg_access_expr x;
	vg_access_expr(&p, &x);
	got[0] = '\0';
	struct vg_warn_countq cq = {.visible = &x, .facet = "label:"};
	assert_int_equal(w->counts(s, &cq, cell, got), VG_OK);
	char today[11] = "";
	assert_true(strlen(got) > 0);
	/* c has no created: the day of its date_added */
	snprintf(today, sizeof(today), "%s", strchr(got, '@') + 1);
	char want[200];
	snprintf(want, sizeof(want), "label:x@%s=1", today);
	assert_string_equal(got, want); /* b is organisation 2's */
	got[0] = '\0';
	cq.facet = "type";
	cq.since = "2024-01-01";
	cq.until = "2024-01-01";
	assert_int_equal(w->counts(s, &cq, cell, got), VG_OK);
	assert_string_equal(got, "indicator@2024-01-01=1");
	got[0] = '\0';
	cq.facet = "owner";
	cq.since = cq.until = NULL;
	p.org = 2;
	vg_access_expr(&p, &x);
	assert_int_equal(w->counts(s, &cq, cell, got), VG_OK);
	snprintf(want, sizeof(want), "1@2024-01-01=1 2@2024-01-02=1 3@%s=1",
	         today);
	assert_string_equal(got, want);

	/* the index is rebuilt from nothing */
	assert_int_equal(s->ops->begin(s), VG_OK);
	assert_int_equal(w->keys_clear(s), VG_OK);
	assert_int_equal(s->ops->commit(s), VG_OK);
	q = (struct vg_warn_keyq){0};
	scan_is(s, &q, "");
}

static int take_watch(void *ud, const struct vg_watch_row *w)
{
	char *out = ud;
	size_t l = strlen(out);
	snprintf(out + l, 600 - l, "%s%lld:%s:%s:%s:%d:%s", l ? " " : "",
	         (long long)w->id, w->name, w->term, w->display, w->kind,
	         w->webhook ? w->webhook : "-");
	return 0;
}

/* Every column of a watch, for its changes. */
static int take_watch_all(void *ud, const struct vg_watch_row *w)
{
	char *out = ud;
	size_t l = strlen(out);
	snprintf(out + l, 600 - l,
	         "%s%lld:%s:org%lld:user%lld:%s:shared%d:kind%d:%s:%s:%.2f:%s:"
	         "%s:%lld",
	         l ? " " : "", (long long)w->id, w->name, (long long)w->org,
	         (long long)w->user, w->user_name, w->shared, w->kind, w->term,
	         w->display, w->threshold, w->webhook ? w->webhook : "-",
	         w->secret ? w->secret : "-", (long long)w->created);
	return 0;
}

static int take_alert(void *ud, const struct vg_alert_row *a)
{
	char *out = ud;
	size_t l = strlen(out);
	snprintf(out + l, 600 - l, "%s%lld:%lld:%s:%s", l ? " " : "",
	         (long long)a->seq, (long long)a->watch, a->object,
	         a->acked_by ? a->acked_by : "-");
	return 0;
}

static int take_delivery(void *ud, const struct vg_delivery_row *d)
{
	char *out = ud;
	size_t l = strlen(out);
	snprintf(out + l, 600 - l, "%s%lld/%lld:%d", l ? " " : "",
	         (long long)d->alert, (long long)d->watch, d->attempts);
	return 0;
}

static void test_watches_alerts_deliveries(void **state)
{
	struct vg_store *s = ((struct fx *)*state)->s;
	const struct vg_store_warn_ops *w = s->ops->warn;
	char got[600] = "";
	int64_t id1, id2, seq;
	assert_int_equal(s->ops->begin(s), VG_OK);
	struct vg_watch_row r = {.name = "w1",
	                         .org = 1,
	                         .user = 5,
	                         .kind = 0,
	                         .term = "ip4:0a000001/32",
	                         .display = "10.0.0.1",
	                         .threshold = 0.7,
	                         .created = 1};
	assert_int_equal(w->watch_add(s, &r, &id1), VG_OK);
	r.name = "w2";
	r.org = 2;
	r.webhook = "http://x/";
	assert_int_equal(w->watch_add(s, &r, &id2), VG_OK);
	assert_int_equal(s->ops->commit(s), VG_OK);
	assert_int_equal(w->watch_list(s, 0, take_watch, got), VG_OK);
	assert_string_equal(got, "1:w1:ip4:0a000001/32:10.0.0.1:0:- "
	                         "2:w2:ip4:0a000001/32:10.0.0.1:0:http://x/");
	got[0] = '\0';
	assert_int_equal(w->watch_list(s, 2, take_watch, got), VG_OK);
	assert_string_equal(got, "2:w2:ip4:0a000001/32:10.0.0.1:0:http://x/");
	got[0] = '\0';
	assert_int_equal(w->watch_get(s, 1, take_watch, got), VG_OK);
	assert_string_equal(got, "1:w1:ip4:0a000001/32:10.0.0.1:0:-");
	assert_int_equal(w->watch_get(s, 7, take_watch, got), VG_ENOTFOUND);

	/* a change: the kind, the creator and the date stay */
	struct vg_watch_row u = {.id = id1,
	                         .name = "renamed",
	                         .org = 9,
	                         .user = 9,
	                         .user_name = "nobody",
	                         .kind = 3,
	                         .shared = 1,
	                         .term = "dom:example.org",
	                         .display = "Example.org",
	                         .threshold = 0.9,
	                         .webhook = "https://h/",
	                         .secret = "ab12",
	                         .created = 99};
	assert_int_equal(s->ops->begin(s), VG_OK);
	assert_int_equal(w->watch_update(s, &u), VG_OK);
	assert_int_equal(s->ops->commit(s), VG_OK);
	got[0] = '\0';
	assert_int_equal(w->watch_list(s, 0, take_watch_all, got), VG_OK);
	assert_string_equal(
	    got, "1:renamed:org1:user5::shared1:kind0:dom:example.org:"
	         "Example.org:0.90:https://h/:ab12:1 "
	         "2:w2:org2:user5::shared0:kind0:ip4:0a000001/32:10.0.0.1:"
	         "0.70:http://x/:-:1");
	/* the webhook and its secret removed; no display: the term */
	u.webhook = u.secret = u.display = NULL;
	u.shared = 0;
	assert_int_equal(s->ops->begin(s), VG_OK);
	assert_int_equal(w->watch_update(s, &u), VG_OK);
	u.id = 7;
	assert_int_equal(w->watch_update(s, &u), VG_ENOTFOUND);
	assert_int_equal(s->ops->commit(s), VG_OK);
	got[0] = '\0';
	assert_int_equal(w->watch_get(s, id1, take_watch_all, got), VG_OK);
	assert_string_equal(got, "1:renamed:org1:user5::shared0:kind0:"
	                         "dom:example.org:dom:example.org:0.90:-:-:1");
	/* a change rolled back is none */
	u.id = id1;
	u.name = "gone";
	assert_int_equal(s->ops->begin(s), VG_OK);
	assert_int_equal(w->watch_update(s, &u), VG_OK);
	assert_int_equal(s->ops->rollback(s), VG_OK);
	got[0] = '\0';
	assert_int_equal(w->watch_get(s, id1, take_watch, got), VG_OK);
	assert_string_equal(got,
	                    "1:renamed:dom:example.org:dom:example.org:0:-");

	assert_int_equal(w->alert_last(s, &seq), VG_OK);
	assert_int_equal(seq, 0);
	assert_int_equal(s->ops->begin(s), VG_OK);
	struct vg_alert_row a = {
	    .watch = id1, .org = 1, .user = 5, .object = "x"};
	assert_int_equal(w->alert_add(s, &a, &seq), VG_OK);
	assert_int_equal(seq, 1);
	a.user = 0; /* the organisation's */
	a.object = "y";
	assert_int_equal(w->alert_add(s, &a, &seq), VG_OK);
	a.user = 6; /* another user's */
	a.object = "z";
	assert_int_equal(w->alert_add(s, &a, &seq), VG_OK);
	a.org = 2;
	a.watch = id2;
	assert_int_equal(w->alert_add(s, &a, &seq), VG_OK);
	assert_int_equal(seq, 4);
	struct vg_delivery_row d = {.alert = 4, .watch = id2, .next_at = 100};
	assert_int_equal(w->delivery_add(s, &d), VG_OK);
	d.alert = 3;
	d.next_at = 50;
	assert_int_equal(w->delivery_add(s, &d), VG_OK);
	assert_int_equal(s->ops->commit(s), VG_OK);
	got[0] = '\0';
	struct vg_alertq q = {.org = 1, .user = 5};
	assert_int_equal(w->alert_scan(s, &q, take_alert, got), VG_OK);
	assert_string_equal(got, "1:1:x:- 2:1:y:-");
	assert_int_equal(s->ops->begin(s), VG_OK);
	assert_int_equal(w->alert_ack(s, 1, "ann", 9), VG_OK);
	assert_int_equal(w->alert_ack(s, 77, "ann", 9), VG_ENOTFOUND);
	assert_int_equal(s->ops->commit(s), VG_OK);
	got[0] = '\0';
	q.unacked = 1;
	assert_int_equal(w->alert_scan(s, &q, take_alert, got), VG_OK);
	assert_string_equal(got, "2:1:y:-");
	got[0] = '\0';
	q = (struct vg_alertq){.org = 1, .user = 5, .after = 1, .limit = 1};
	assert_int_equal(w->alert_scan(s, &q, take_alert, got), VG_OK);
	assert_string_equal(got, "2:1:y:-");
	got[0] = '\0';
	assert_int_equal(w->alert_get(s, 1, take_alert, got), VG_OK);
	assert_string_equal(got, "1:1:x:ann");
	assert_int_equal(w->alert_last(s, &seq), VG_OK);
	assert_int_equal(seq, 4);

	got[0] = '\0';
	assert_int_equal(w->delivery_due(s, 60, 0, take_delivery, got), VG_OK);
	assert_string_equal(got, "3/2:0");
	got[0] = '\0';
	assert_int_equal(w->delivery_due(s, 200, 0, take_delivery, got), VG_OK);
	assert_string_equal(got, "3/2:0 4/2:0");
	assert_int_equal(s->ops->begin(s), VG_OK);
	d = (struct vg_delivery_row){.alert = 3,
	                             .watch = id2,
	                             .attempts = 1,
	                             .next_at = 300,
	                             .error = "503"};
	assert_int_equal(w->delivery_update(s, &d), VG_OK);
	d.alert = 4;
	d.done = 1;
	assert_int_equal(w->delivery_update(s, &d), VG_OK);
	assert_int_equal(s->ops->commit(s), VG_OK);
	got[0] = '\0';
	assert_int_equal(w->delivery_due(s, 200, 0, take_delivery, got), VG_OK);
	assert_string_equal(got, "");
	assert_int_equal(w->delivery_due(s, 300, 5, take_delivery, got), VG_OK);
	assert_string_equal(got, "3/2:1");

	assert_int_equal(s->ops->begin(s), VG_OK);
	assert_int_equal(w->watch_remove(s, id1), VG_OK);
	assert_int_equal(w->watch_remove(s, id1), VG_ENOTFOUND);
	assert_int_equal(s->ops->commit(s), VG_OK);
	got[0] = '\0';
	assert_int_equal(w->watch_list(s, 0, take_watch, got), VG_OK);
	assert_string_equal(got, "2:w2:ip4:0a000001/32:10.0.0.1:0:http://x/");
}

static int take_req(void *ud, const struct vg_request_row *r)
{
	char *out = ud;
	size_t l = strlen(out);
	snprintf(out + l, 600 - l, "%s%lld:%lld>%lld:%s:%s:%d:%s", l ? " " : "",
	         (long long)r->id, (long long)r->requester_org,
	         (long long)r->owner_org, r->object, r->items, r->state,
	         r->decided_by ? r->decided_by : "-");
	return 0;
}

static int take_grant(void *ud, const struct vg_grant_row *g)
{
	char *out = ud;
	size_t l = strlen(out);
	snprintf(out + l, 600 - l, "%s%lld:%lld<%lld:%lld:%d", l ? " " : "",
	         (long long)g->id, (long long)g->org, (long long)g->owner,
	         (long long)g->added, g->revoked);
	return 0;
}

static int take_excl(void *ud, const char *key, int excluded)
{
	char *out = ud;
	size_t l = strlen(out);
	snprintf(out + l, 600 - l, "%s%s=%d", l ? " " : "", key, excluded);
	return 0;
}

static void test_requests_grants_choices(void **state)
{
	struct vg_store *s = ((struct fx *)*state)->s;
	const struct vg_store_warn_ops *w = s->ops->warn;
	char got[600] = "";
	int64_t id, *rows = NULL;
	size_t n = 9;
	int choice = 5;
	assert_int_equal(w->disclosure_get(s, "x", 1, &choice), VG_ENOTFOUND);
	assert_int_equal(s->ops->begin(s), VG_OK);
	assert_int_equal(w->disclosure_set(s, "x", 1, 0), VG_OK);
	assert_int_equal(w->disclosure_set(s, "x", 2, 1), VG_OK);
	assert_int_equal(w->disclosure_set(s, "x", 1, 1), VG_OK);
	struct vg_request_row r = {.created = 1,
	                           .requester_org = 2,
	                           .requester_user = 7,
	                           .requester_name = "bob",
	                           .owner_org = 1,
	                           .object = "o",
	                           .reason = "why",
	                           .items = "[]"};
	assert_int_equal(w->request_add(s, &r, &id), VG_OK);
	assert_int_equal(id, 1);
	r.requester_org = 3;
	r.owner_org = 4;
	assert_int_equal(w->request_add(s, &r, &id), VG_OK);
	assert_int_equal(
	    w->request_update(s, 1, "[1]", VG_REQ_DECIDED, "ann", 5), VG_OK);
	assert_int_equal(w->request_update(s, 9, "[]", 0, NULL, 0),
	                 VG_ENOTFOUND);
	struct vg_grant_row g = {.org = 2,
	                         .owner = 1,
	                         .added = 50,
	                         .object = "o",
	                         .request = 1,
	                         .granted_by = "ann",
	                         .created = 5};
	assert_int_equal(w->grant_add(s, &g, &id), VG_OK);
	g.added = 20;
	assert_int_equal(w->grant_add(s, &g, &id), VG_OK);
	g.added = 50; /* the same row again: listed once by grants_of */
	assert_int_equal(w->grant_add(s, &g, &id), VG_OK);
	g.org = 3;
	assert_int_equal(w->grant_add(s, &g, &id), VG_OK);
	assert_int_equal(w->excl_put(s, "dom:com.google", 0), VG_OK);
	assert_int_equal(w->excl_put(s, "ip4:c6336400/24", 1), VG_OK);
	assert_int_equal(w->excl_put(s, "dom:com.google", 1), VG_OK);
	assert_int_equal(s->ops->commit(s), VG_OK);

	assert_int_equal(w->disclosure_get(s, "x", 1, &choice), VG_OK);
	assert_int_equal(choice, 1);
	assert_int_equal(s->ops->begin(s), VG_OK);
	assert_int_equal(w->disclosure_set(s, "x", 1, -1), VG_OK);
	assert_int_equal(s->ops->commit(s), VG_OK);
	assert_int_equal(w->disclosure_get(s, "x", 1, &choice), VG_ENOTFOUND);
	assert_int_equal(w->disclosure_get(s, "x", 2, &choice), VG_OK);

	assert_int_equal(w->request_list(s, 0, take_req, got), VG_OK);
	assert_string_equal(got, "2:3>4:o:[]:0:- 1:2>1:o:[1]:1:ann");
	got[0] = '\0';
	assert_int_equal(w->request_list(s, 1, take_req, got), VG_OK);
	assert_string_equal(got, "1:2>1:o:[1]:1:ann");
	got[0] = '\0';
	assert_int_equal(w->request_get(s, 2, take_req, got), VG_OK);
	assert_string_equal(got, "2:3>4:o:[]:0:-");
	assert_int_equal(w->request_get(s, 3, take_req, got), VG_ENOTFOUND);

	assert_int_equal(w->grants_of(s, 2, &rows, &n), VG_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0], 20);
	assert_int_equal(rows[1], 50);
	free(rows);
	assert_int_equal(w->grants_of(s, 9, &rows, &n), VG_OK);
	assert_int_equal(n, 0);
	assert_null(rows);
	assert_int_equal(s->ops->begin(s), VG_OK);
	assert_int_equal(w->grant_revoke(s, 2, "ann", 6), VG_OK);
	assert_int_equal(w->grant_revoke(s, 2, "ann", 6), VG_ENOTFOUND);
	assert_int_equal(s->ops->commit(s), VG_OK);
	assert_int_equal(w->grants_of(s, 2, &rows, &n), VG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0], 50);
	free(rows);
	got[0] = '\0';
	assert_int_equal(w->grant_list(s, 3, take_grant, got), VG_OK);
	assert_string_equal(got, "4:3<1:50:0");
	got[0] = '\0';
	assert_int_equal(w->grant_list(s, 1, take_grant, got), VG_OK);
	assert_string_equal(got, "1:2<1:50:0 2:2<1:20:1 3:2<1:50:0 4:3<1:50:0");

	got[0] = '\0';
	assert_int_equal(w->excl_list(s, take_excl, got), VG_OK);
	assert_string_equal(got, "dom:com.google=1 ip4:c6336400/24=1");
}

/* References are found by their exact key (the SQLite backend keeps most
 * as hashes): a scan of every key gives them back as their kind, after
 * the others; references to the objects trends count by stay keys. */
static void test_hashed_refs(void **state)
{
	struct vg_store *s = ((struct fx *)*state)->s;
	const struct vg_store_warn_ops *w = s->ops->warn;
	assert_int_equal(s->ops->begin(s), VG_OK);
	int64_t a = put(s, "a", "1", 1, VG_SCOPE_COMMUNITY, 1, NULL);
	int64_t b = put(s, "b", "1", 1, VG_SCOPE_COMMUNITY, 1, NULL);
	const char *ka[] = {"ref:relationship--x", "ref:threat-actor--t",
	                    "label:z"};
	const char *kb[] = {"ref:relationship--x", "ref:relationship--y"};
	assert_int_equal(vg_warn_key_hashed(ka[0]), 1);
	assert_int_equal(vg_warn_key_hashed(ka[1]), 0);
	assert_int_equal(vg_warn_key_hashed("ref:location--l"), 0);
	assert_int_equal(vg_warn_key_hashed("label:ref:x"), 0);
	assert_int_equal(w->keys_add(s, a, ka, 3), VG_OK);
	assert_int_equal(w->keys_add(s, b, kb, 2), VG_OK);
	assert_int_equal(s->ops->commit(s), VG_OK);
	const char *x[] = {"ref:relationship--x", "label:z"};
	struct vg_warn_keyq q = {.keys = x, .n_keys = 2};
	scan_is(s, &q, "label:z=a ref:relationship--x=a ref:relationship--x=b");
	const char *y[] = {"ref:relationship--y"};
	q = (struct vg_warn_keyq){.keys = y, .n_keys = 1};
	scan_is(s, &q, "ref:relationship--y=b");
	q = (struct vg_warn_keyq){.lo = "ref:threat-actor--",
	                          .hi = "ref:threat-actor-."};
	scan_is(s, &q, "ref:threat-actor--t=a");
	q = (struct vg_warn_keyq){.limit = 3};
	scan_is(s, &q, "label:z=a ref:threat-actor--t=a ref:=a");
	char got[600] = "";
	assert_int_equal(w->key_counts(s, "", 0, counted, got), VG_OK);
	assert_string_equal(got, "label:z:1 ref:threat-actor--t:1");
}

static int count_row(void *ud, const struct vg_warn_row *r)
{
	(void)r;
	(*(size_t *)ud)++;
	return 0;
}

static int by_row(const void *a, const void *b)
{
	const struct vg_warn_keyrow *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->added > y->added) - (x->added < y->added);
}

/* The keys of many versions at once (keys_put), in the index's order:
 * the same rows as keys_add gives, texts and hashed references, keys a
 * statement must quote, more rows than one statement takes, a row
 * given twice kept once; rows already stored, given again in order or
 * out of it, left as they are, and a new row given twice out of order
 * kept once. */
static void test_keys_put(void **state)
{
	struct vg_store *s = ((struct fx *)*state)->s;
	const struct vg_store_warn_ops *w = s->ops->warn;
	enum { N = 700, K = 3 };
	static char keys[N][K][64];
	static struct vg_warn_keyrow rows[N * K + 1];
	size_t n = 0;
	assert_int_equal(s->ops->begin(s), VG_OK);
	for (int i = 0; i < N; i++) {
		char id[32];
		snprintf(id, sizeof(id), "o%d", i);
		int64_t added = put(s, id, "1", 1, VG_SCOPE_COMMUNITY, 1, NULL);
		snprintf(keys[i][0], 64, "doc:N%d", i % 7);
		snprintf(keys[i][1], 64, "ref:relationship--%d", i % 5);
		snprintf(keys[i][2], 64, "name:a \"q\" \\b {%d,}", i % 3);
		for (int k = 0; k < K; k++)
			rows[n++] = (struct vg_warn_keyrow){keys[i][k], added};
	}
	rows[n] = rows[0]; /* again: ignored */
	n++;
	qsort(rows, n, sizeof(*rows), by_row);
	assert_int_equal(w->keys_put(s, rows, n), VG_OK);
	assert_int_equal(w->keys_put(s, rows, 0), VG_OK);
	assert_int_equal(s->ops->commit(s), VG_OK);
	size_t got = 0;
	struct vg_warn_keyq q = {0};
	assert_int_equal(w->keys_scan(s, &q, count_row, &got), VG_OK);
	assert_int_equal(got, N * K);
	/* one new row, twice, among stored ones out of order */
	struct vg_warn_keyrow fresh = {"doc:fresh", rows[0].added};
	struct vg_warn_keyrow mixed[] = {fresh, rows[5], rows[0], fresh};
	assert_int_equal(s->ops->begin(s), VG_OK);
	assert_int_equal(w->keys_put(s, rows, n), VG_OK);
	assert_int_equal(w->keys_put(s, mixed, 4), VG_OK);
	assert_int_equal(s->ops->commit(s), VG_OK);
	got = 0;
	assert_int_equal(w->keys_scan(s, &q, count_row, &got), VG_OK);
	assert_int_equal(got, N * K + 1);
	const char *one[] = {"doc:N3"};
	q = (struct vg_warn_keyq){.keys = one, .n_keys = 1};
	got = 0;
	assert_int_equal(w->keys_scan(s, &q, count_row, &got), VG_OK);
	assert_int_equal(got, N / 7);
	const char *ref[] = {"ref:relationship--4"};
	q = (struct vg_warn_keyq){.keys = ref, .n_keys = 1};
	got = 0;
	assert_int_equal(w->keys_scan(s, &q, count_row, &got), VG_OK);
	assert_int_equal(got, N / 5);
	const char *quoted[] = {"name:a \"q\" \\b {2,}"};
	q = (struct vg_warn_keyq){.keys = quoted, .n_keys = 1, .limit = 2};
	char text[600] = "";
	assert_int_equal(w->keys_scan(s, &q, add_row, text), VG_OK);
	assert_string_equal(text, "name:a \"q\" \\b {2,}=o2 "
	                          "name:a \"q\" \\b {2,}=o5");
}

/* A rolled back transaction leaves no key, watch or alert behind. */
static void test_rollback(void **state)
{
	struct vg_store *s = ((struct fx *)*state)->s;
	const struct vg_store_warn_ops *w = s->ops->warn;
	int64_t seq, id;
	assert_int_equal(s->ops->begin(s), VG_OK);
	int64_t a = put(s, "a", "1", 1, VG_SCOPE_COMMUNITY, 1, NULL);
	const char *k[] = {"doc:X1234567"};
	assert_int_equal(w->keys_add(s, a, k, 1), VG_OK);
	struct vg_watch_row r = {.name = "w", .org = 1, .term = "t"};
	assert_int_equal(w->watch_add(s, &r, &id), VG_OK);
	struct vg_alert_row al = {.watch = id, .org = 1};
	assert_int_equal(w->alert_add(s, &al, &seq), VG_OK);
	assert_int_equal(s->ops->rollback(s), VG_OK);
	struct vg_warn_keyq q = {.keys = k, .n_keys = 1};
	scan_is(s, &q, "");
	assert_int_equal(w->alert_last(s, &seq), VG_OK);
	assert_int_equal(seq, 0);
	char got[600] = "";
	assert_int_equal(w->watch_list(s, 0, take_watch, got), VG_OK);
	assert_string_equal(got, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_key_index, setup_sqlite,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_key_index, setup_memory,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_watches_alerts_deliveries,
	                                    setup_sqlite, teardown),
	    cmocka_unit_test_setup_teardown(test_watches_alerts_deliveries,
	                                    setup_memory, teardown),
	    cmocka_unit_test_setup_teardown(test_requests_grants_choices,
	                                    setup_sqlite, teardown),
	    cmocka_unit_test_setup_teardown(test_requests_grants_choices,
	                                    setup_memory, teardown),
	    cmocka_unit_test_setup_teardown(test_hashed_refs, setup_sqlite,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_hashed_refs, setup_memory,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_rollback, setup_sqlite,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_rollback, setup_memory,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_keys_put, setup_sqlite,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_keys_put, setup_memory,
	                                    teardown),
	};
	const struct CMUnitTest on_pg[] = {
	    cmocka_unit_test_setup_teardown(test_key_index, setup_pg, teardown),
	    cmocka_unit_test_setup_teardown(test_watches_alerts_deliveries,
	                                    setup_pg, teardown),
	    cmocka_unit_test_setup_teardown(test_requests_grants_choices,
	                                    setup_pg, teardown),
	    cmocka_unit_test_setup_teardown(test_hashed_refs, setup_pg,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_rollback, setup_pg, teardown),
	    cmocka_unit_test_setup_teardown(test_keys_put, setup_pg, teardown),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	if (pg_query())
		failed += cmocka_run_group_tests(on_pg, NULL, NULL);
	return failed;
}
