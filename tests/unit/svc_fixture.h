/* What the service tests share (test_service*.c): a hub on the in-memory
 * store (on PostgreSQL when VIGIL_TEST_PG names a cluster: a database per
 * hub, dropped at hub_close), contexts for the operator and for users with keys, and the audit
 * log read back entry by entry. Included by each test program (static
 * inline: each uses what it needs). */
#ifndef VG_TEST_SVC_FIXTURE_H
#define VG_TEST_SVC_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <libpq-fe.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vigil/service/admin.h"
#include "vigil/service/audit.h"
#include "vigil/service/objects.h"
#include "vigil/service/service.h"
#include "vigil/store/store.h"
#include "vigil/util/error.h"

#define OP_LOGIN "tester"
#define OP_ACTOR "local:" OP_LOGIN
#define USER_SOURCE "192.0.2.7"

/* The marking definitions of TLP 2.0 (and TLP:RED of 1.0). */
#define MD "marking-definition--"
#define TLP_CLEAR MD "94868c89-83c2-464b-929b-a1a8aa3c8487"
#define TLP_GREEN MD "bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
#define TLP_AMBER MD "55d920b0-5e8b-4f79-9ee9-91f868d9b421"
#define TLP_AMBER_STRICT MD "939a9414-2ddd-4d32-a0cd-375ea402b003"
#define TLP_RED MD "e828b379-4e03-4974-9ac4-e53a884c97c1"
#define TLP1_RED MD "5e57c739-391a-4eb3-b6be-7d15ca92d5ed"

/* The hub's default levels, lowest first. */
enum { UNCLASSIFIED, RESTRICTED, CONFIDENTIAL, SECRET, N_LEVELS };

struct hub {
	char name[64];
	char location[300];
	char key_dir[128];
	struct vg_service *svc;
	char admin_key[VG_KEY_TEXT_LEN];
	/* the classification markings' ids, as the store holds them */
	char levels[N_LEVELS][80];
};

/* The PostgreSQL cluster the tests run on ("postgresql:///?host=..."),
 * or NULL: the memory store. */
static inline const char *test_pg(void)
{
	const char *pg = getenv("VIGIL_TEST_PG");
	return pg && *pg ? pg : NULL;
}

/* Run sql on the cluster's maintenance database. */
static inline void test_pg_exec(const char *sql)
{
	char loc[300];
	const char *q = strstr(test_pg(), "?");
	snprintf(loc, sizeof(loc), "postgresql:///postgres%s", q ? q : "");
	PGconn *c = PQconnectdb(loc);
	PGresult *r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		fail_msg("%s: %s", sql, PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
}

/* Create hub "memory:NAME" (or database vu_PID_NAME) and open its
 * service (one thread). */
static inline void hub_open(struct hub *h, const char *name,
                            int purpose_required)
{
	char err[300] = "";
	struct vg_hub_init in = {.hub_name = "test hub", .org_name = "hub"};
	memset(h, 0, sizeof(*h));
	snprintf(h->name, sizeof(h->name), "%s", name);
	snprintf(h->location, sizeof(h->location), "memory:%s", name);
	if (test_pg()) {
		const char *q = strstr(test_pg(), "?");
		snprintf(h->location, sizeof(h->location),
		         "postgresql:///vu_%d_%s%s", (int)getpid(), name, q ? q : "");
		snprintf(h->key_dir, sizeof(h->key_dir), "/tmp/vigil-unit-%d-%s",
		         (int)getpid(), name);
		in.key_dir = h->key_dir;
	}
	int rc = vg_hub_create(h->location, &in, OP_LOGIN, h->admin_key, NULL,
	                       err, sizeof(err));
	if (rc)
		fail_msg("hub create: %s %s", vg_err_name(rc), err);
	struct vg_service_conf c = {
	    .location = h->location,
	    .purpose_required = purpose_required,
	    .key_dir = h->key_dir[0] ? h->key_dir : NULL,
	};
	rc = vg_service_open(&c, &h->svc, err, sizeof(err));
	if (rc)
		fail_msg("service open: %s %s", vg_err_name(rc), err);
	/* the levels' marking ids, read from the store itself */
	struct vg_store *s = NULL;
	assert_int_equal(vg_store_open(h->location, 0, &s, NULL, 0), VG_OK);
	for (int i = 0; i < N_LEVELS; i++) {
		char key[32], *v = NULL;
		snprintf(key, sizeof(key), "hub.level.%d", i);
		assert_int_equal(s->ops->hub->get(s, key, &v), VG_OK);
		snprintf(h->levels[i], sizeof(h->levels[i]), "%s", v);
		free(v);
	}
	vg_store_close(s);
}

static inline void hub_close(struct hub *h)
{
	vg_service_close(h->svc);
	vg_store_memory_drop(h->name);
	if (test_pg()) {
		char sql[200], path[200];
		snprintf(sql, sizeof(sql),
		         "DROP DATABASE IF EXISTS \"vu_%d_%s\" WITH (FORCE)",
		         (int)getpid(), h->name);
		test_pg_exec(sql);
		snprintf(path, sizeof(path), "%s/hub-signing.key", h->key_dir);
		unlink(path);
		rmdir(h->key_dir);
	}
}

static inline void ctx_operator(struct hub *h, struct vg_ctx *c)
{
	vg_ctx_init(c, h->svc, VG_CHANNEL_CLI, "cli");
	vg_ctx_operator(c, OP_LOGIN);
}

/* A context authenticated by key (as the HTTP front makes one). */
static inline void ctx_key(struct hub *h, struct vg_ctx *c, const char *key)
{
	enum vg_auth_result res;
	vg_ctx_init(c, h->svc, VG_CHANNEL_HTTP, USER_SOURCE);
	assert_int_equal(
	    vg_ctx_authenticate(c, VG_CRED_BEARER, key, NULL, "/taxii2/", &res),
	    VG_OK);
	assert_int_equal(res, VG_AUTH_OK);
}

static inline int org_identity_take(void *ud, const struct vg_org *o)
{
	const char **w = ud;
	if (!strcmp(o->name, w[0]))
		snprintf((char *)w[1], 80, "%s", o->identity);
	return 0;
}

/* The operator adds organisation name. */
static inline void org_add(struct hub *h, const char *name)
{
	struct vg_ctx op;
	char err[200] = "";
	ctx_operator(h, &op);
	if (vg_org_add(&op, name, err, sizeof(err)))
		fail_msg("org add %s: %s", name, err);
	vg_ctx_release(&op);
}

/* The operator adds a user and a key for it; key_id (17 bytes, may be
 * NULL) gets the key's public id. */
static inline void user_add(struct hub *h, const char *name, const char *org,
                            const char *role, const char *clearance,
                            char key[VG_KEY_TEXT_LEN], char *key_id)
{
	struct vg_ctx op;
	char err[200] = "";
	ctx_operator(h, &op);
	if (vg_user_add(&op, name, org, role, clearance, err, sizeof(err)))
		fail_msg("user add %s: %s", name, err);
	if (vg_key_new(&op, name, 0, key, err, sizeof(err)))
		fail_msg("key new %s: %s", name, err);
	if (key_id)
		snprintf(key_id, 17, "%.16s", key + 4);
	vg_ctx_release(&op);
}

/* ---- the audit log, read back ------------------------------------------ */

struct entry {
	int64_t seq, org;
	char *actor, *action, *target, *detail, *source, *purpose, *auth;
};

struct log {
	struct entry *v;
	size_t n, cap;
	int64_t mark; /* entries after this seq are read next */
};

static inline int log_take(void *ud, const struct vg_audit_entry *e)
{
	struct log *l = ud;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		assert_non_null(l->v);
	}
	l->v[l->n++] = (struct entry){
	    e->seq,
	    e->org,
	    strdup(e->actor),
	    strdup(e->action),
	    strdup(e->target),
	    strdup(e->detail),
	    strdup(e->source),
	    strdup(e->purpose),
	    strdup(e->auth),
	};
	return 0;
}

static inline void log_clear(struct log *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct entry *e = &l->v[i];
		free(e->actor);
		free(e->action);
		free(e->target);
		free(e->detail);
		free(e->source);
		free(e->purpose);
		free(e->auth);
	}
	l->n = 0;
}

static inline void log_free(struct log *l)
{
	log_clear(l);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* The entries written since the last read (as the operator); that read's
 * own "audit.read" entry, last, is checked and left out. */
static inline void log_read(struct hub *h, struct log *l)
{
	struct vg_ctx op;
	struct vg_audit_filter f = {.after_seq = l->mark};
	char want[64] = "{}";
	ctx_operator(h, &op);
	log_clear(l);
	assert_int_equal(vg_audit_read(&op, &f, log_take, l), VG_OK);
	vg_ctx_release(&op);
	assert_true(l->n >= 1);
	struct entry *last = &l->v[l->n - 1];
	if (l->mark)
		snprintf(want, sizeof(want), "{\"after\":%lld}",
		         (long long)l->mark);
	assert_string_equal(last->action, "audit.read");
	assert_string_equal(last->actor, OP_ACTOR);
	assert_string_equal(last->detail, want);
	l->mark = last->seq;
	free(last->actor);
	free(last->action);
	free(last->target);
	free(last->detail);
	free(last->source);
	free(last->purpose);
	free(last->auth);
	l->n--;
	/* seq follows seq: nothing between them went missing */
	for (size_t i = 0; i + 1 < l->n; i++)
		assert_int_equal(l->v[i + 1].seq, l->v[i].seq + 1);
}

/* The log read holds n entries (else say which it holds). */
static inline void log_count(const struct log *l, size_t n)
{
	if (l->n == n)
		return;
	char what[1024] = "";
	for (size_t i = 0; i < l->n && strlen(what) < 900; i++)
		snprintf(what + strlen(what), sizeof(what) - strlen(what),
		         " %s(%.40s)", l->v[i].action, l->v[i].target);
	fail_msg("%zu audit entries, not %zu:%s", l->n, n, what);
}

/* Entry i is exactly this (source and purpose checked separately). */
static inline void entry_is(const struct log *l, size_t i, const char *action,
                            const char *target, const char *detail,
                            const char *actor, int64_t org, const char *auth)
{
	assert_true(i < l->n);
	const struct entry *e = &l->v[i];
	assert_string_equal(e->action, action);
	assert_string_equal(e->target, target);
	assert_string_equal(e->detail, detail);
	assert_string_equal(e->actor, actor);
	assert_int_equal(e->org, org);
	assert_string_equal(e->auth, auth);
}

/* ---- STIX ------------------------------------------------------------------
 */

/* An indicator version: markings is a comma-separated list of quoted
 * marking ids ("" none); extra is more members (",\"revoked\":true"). */
/* The identity the objects made by indicator() name as their creator
 * (created_by_ref: the hub refuses another than the poster's, and adds
 * the poster's where there is none); "" names none. */
static char fixture_creator[80];

/* The identity of organisation name. */
static inline void org_identity(struct hub *h, const char *name, char out[80])
{
	struct vg_ctx op;
	const char *want[2] = {name, out};
	out[0] = '\0';
	ctx_operator(h, &op);
	assert_int_equal(vg_org_list(&op, org_identity_take, want), VG_OK);
	vg_ctx_release(&op);
	assert_true(out[0] != '\0');
}

static inline char *indicator(const char *id, const char *modified,
                              const char *markings, const char *extra)
{
	static const char fmt[] =
	    "{\"type\":\"indicator\",\"spec_version\":\"2.1\","
	    "\"id\":\"%s\",\"created\":\"2024-01-01T00:00:00.000Z\","
	    "\"modified\":\"%s\",\"name\":\"test\","
	    "\"pattern\":\"[ipv4-addr:value = '10.0.0.1']\","
	    "\"pattern_type\":\"stix\","
	    "\"valid_from\":\"2024-01-01T00:00:00Z\"%s%s%s%s%s%s%s}";
	const char *open = *markings ? ",\"object_marking_refs\":[" : "";
	const char *close = *markings ? "]" : "";
	const char *cb = fixture_creator[0] ? ",\"created_by_ref\":\"" : "";
	const char *cq = fixture_creator[0] ? "\"" : "";
	extra = extra ? extra : "";
	int n = snprintf(NULL, 0, fmt, id, modified, open, markings, close, cb,
	                 fixture_creator, cq, extra);
	char *s = malloc((size_t)n + 1);
	assert_non_null(s);
	snprintf(s, (size_t)n + 1, fmt, id, modified, open, markings, close, cb,
	         fixture_creator, cq, extra);
	return s;
}

/* JSON text a and b hold the same value. */
static inline void json_equal(const char *a, const char *b)
{
	cJSON *x = cJSON_Parse(a), *y = cJSON_Parse(b);
	if (!x || !y || !cJSON_Compare(x, y, 1))
		fail_msg("JSON differs:\n  %s\n  %s", a, b);
	cJSON_Delete(x);
	cJSON_Delete(y);
}

/* ---- people, collections, pages ---------------------------------------------
 */

/* A user of the hub with a key and a context authenticated by it. */
struct who {
	const char *name, *org, *role, *clearance;
	char key[VG_KEY_TEXT_LEN];
	char key_id[17];
	char auth[32]; /* "key:ID", as the audit log names the credential */
	struct vg_ctx c;
};

static inline void who_add(struct hub *h, struct who *w)
{
	user_add(h, w->name, w->org, w->role, w->clearance, w->key, w->key_id);
	snprintf(w->auth, sizeof(w->auth), "key:%s", w->key_id);
	ctx_key(h, &w->c, w->key);
}

/* The operator makes group name with the organisations members (NULL
 * ended). */
static inline void group_make(struct hub *h, const char *name, ...)
{
	struct vg_ctx op;
	char err[200] = "";
	va_list ap;
	ctx_operator(h, &op);
	if (vg_group_add(&op, name, err, sizeof(err)))
		fail_msg("group add %s: %s", name, err);
	va_start(ap, name);
	for (const char *org; (org = va_arg(ap, const char *));)
		if (vg_group_member(&op, name, org, 1, err, sizeof(err)))
			fail_msg("group member %s: %s", org, err);
	va_end(ap);
	vg_ctx_release(&op);
}

/* The id of the collection alias (out: 40 bytes), asked as the operator,
 * from the list (read at its alias, a collection names itself by it). */
static inline void coll_id(struct hub *h, const char *alias, char *out)
{
	struct vg_ctx op;
	struct vg_buf b;
	const cJSON *c;
	vg_buf_init(&b, 0);
	ctx_operator(h, &op);
	assert_int_equal(vg_taxii_collections(&op, &b), VG_OK);
	cJSON *j = cJSON_Parse(b.data);
	out[0] = '\0';
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(j, "collections"))
	{
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(c, "alias");
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(c, "id");
		if (cJSON_IsString(a) && !strcmp(a->valuestring, alias) &&
		    cJSON_IsString(id))
			snprintf(out, 40, "%s", id->valuestring);
	}
	assert_true(out[0]);
	cJSON_Delete(j);
	vg_buf_release(&b);
	vg_ctx_release(&op);
}

/* Formatted text for an expectation, from a few rotating buffers. */
static inline const char *jfmt(const char *fmt, ...)
{
	static char bufs[8][2048];
	static unsigned next;
	char *b = bufs[next++ % 8];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(b, sizeof(bufs[0]), fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof(bufs[0]));
	return b;
}

/* A short name for an object version in the tests' summaries: the last
 * two characters of the id, "@", and v0..v11 from the month of the
 * version (the tests' versions are the first days of 2024's months). */
static inline void short_name(struct vg_buf *o, const char *id,
                              const char *version)
{
	size_t n = strlen(id);
	int month = version && strlen(version) > 7 ? atoi(version + 5) : 0;
	assert_int_equal(vg_buf_printf(o, "%s%s@v%d", o->len ? " " : "",
	                               id + (n > 2 ? n - 2 : 0), month - 1),
	                 VG_OK);
}

/* The page's content as short names (objects, manifest) or versions,
 * with " +more" when it says there is more; out gets it. */
static inline void summarise(const char *body, enum vg_taxii_page kind,
                             const char *oid, char *out, size_t n)
{
	struct vg_buf o;
	cJSON *j = cJSON_Parse(body), *x;
	assert_non_null(j);
	vg_buf_init(&o, 0);
	vg_buf_puts(&o, "");
	if (kind == VG_PAGE_VERSIONS) {
		cJSON_ArrayForEach(
		    x, cJSON_GetObjectItemCaseSensitive(j, "versions"))
		    short_name(&o, oid, x->valuestring);
	} else {
		cJSON_ArrayForEach(
		    x, cJSON_GetObjectItemCaseSensitive(j, "objects"))
		{
			const cJSON *id =
			    cJSON_GetObjectItemCaseSensitive(x, "id");
			const cJSON *v = cJSON_GetObjectItemCaseSensitive(
			    x,
			    kind == VG_PAGE_MANIFEST ? "version" : "modified");
			short_name(&o, id->valuestring, v->valuestring);
			if (cJSON_IsTrue(
			        cJSON_GetObjectItemCaseSensitive(x, "revoked")))
				vg_buf_puts(&o, "!");
		}
	}
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "more")))
		vg_buf_puts(&o, " +more");
	snprintf(out, n, "%s", o.data);
	vg_buf_release(&o);
	cJSON_Delete(j);
}

/* Read a page of indicators (version: a match[version] value, NULL for
 * the default)
 * and summarise it into got; on failure got is "" and the page must have
 * written nothing. Returns vg_taxii_page's code; err its message. */
static inline int page(struct vg_ctx *c, const char *coll,
                       enum vg_taxii_page kind, const char *oid,
                       const char *version, char *got, size_t n, char *err,
                       size_t errlen)
{
	struct vg_taxii_filter f = {0};
	struct vg_page_info info;
	struct vg_buf b;
	char ferr[200];
	err[0] = got[0] = '\0';
	/* the tests' objects, without the hub's identities and markings */
	assert_int_equal(vg_taxii_filter_add(&f, "match[type]", "indicator",
	                                     ferr, sizeof(ferr)),
	                 VG_OK);
	if (version)
		assert_int_equal(vg_taxii_filter_add(&f, "match[version]",
		                                     version, ferr,
		                                     sizeof(ferr)),
		                 VG_OK);
	vg_buf_init(&b, 0);
	int rc = vg_taxii_page(c, coll, kind, oid, &f, &b, &info, err, errlen);
	if (rc)
		assert_int_equal(b.len, 0);
	else
		summarise(b.data, kind, oid, got, n);
	vg_buf_release(&b);
	vg_taxii_filter_release(&f);
	return rc;
}

/* POST the objects (JSON texts joined by commas) to coll in an envelope;
 * status (when not NULL) gets the status resource (caller frees). */
static inline int post(struct vg_ctx *c, const char *coll, const char *objects,
                       char **status, struct vg_ingest_counts *counts,
                       char *err, size_t errlen)
{
	struct vg_buf body, out;
	struct vg_ingest_counts k = {9, 9, 9, 9};
	vg_buf_init(&body, 0);
	vg_buf_init(&out, 0);
	assert_int_equal(vg_buf_printf(&body, "{\"objects\":[%s]}", objects),
	                 VG_OK);
	err[0] = '\0';
	int rc =
	    vg_taxii_add(c, coll, body.data, body.len, &out, &k, err, errlen);
	if (counts)
		*counts = k;
	if (status)
		*status = rc ? NULL : strdup(out.data);
	vg_buf_release(&body);
	vg_buf_release(&out);
	return rc;
}

/* The status resource is complete with exactly these successes and
 * failures (JSON arrays); its id goes into id (37 bytes, may be NULL). */
static inline void status_is(const char *status, const char *successes,
                             const char *failures, char *id)
{
	static const char *const keys[] = {
	    "id",
	    "status",
	    "request_timestamp",
	    "total_count",
	    "success_count",
	    "successes",
	    "failure_count",
	    "failures",
	    "pending_count",
	    "pendings",
	};
	cJSON *j = cJSON_Parse(status), *x;
	cJSON *ok = cJSON_Parse(successes), *bad = cJSON_Parse(failures);
	size_t i = 0;
	assert_non_null(j);
	assert_non_null(ok);
	assert_non_null(bad);
	cJSON_ArrayForEach(x, j)
	{
		assert_true(i < sizeof(keys) / sizeof(keys[0]));
		assert_string_equal(x->string, keys[i++]);
	}
	assert_int_equal(i, sizeof(keys) / sizeof(keys[0]));
	int n_ok = cJSON_GetArraySize(ok), n_bad = cJSON_GetArraySize(bad);
#define MEMBER(k) cJSON_GetObjectItemCaseSensitive(j, k)
	assert_string_equal(MEMBER("status")->valuestring, "complete");
	assert_int_equal(MEMBER("total_count")->valueint, n_ok + n_bad);
	assert_int_equal(MEMBER("success_count")->valueint, n_ok);
	assert_int_equal(MEMBER("failure_count")->valueint, n_bad);
	assert_int_equal(MEMBER("pending_count")->valueint, 0);
	assert_int_equal(cJSON_GetArraySize(MEMBER("pendings")), 0);
	if (!cJSON_Compare(MEMBER("successes"), ok, 1) ||
	    !cJSON_Compare(MEMBER("failures"), bad, 1))
		fail_msg("status %s\nwanted successes %s\nand failures %s",
		         status, successes, failures);
	if (id)
		snprintf(id, 37, "%s", MEMBER("id")->valuestring);
#undef MEMBER
	cJSON_Delete(j);
	cJSON_Delete(ok);
	cJSON_Delete(bad);
}

#endif
