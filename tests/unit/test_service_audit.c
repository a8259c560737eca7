/* The audit log as the service writes it, on the in-memory store: one
 * entry per read and write with the request's actor, organisation,
 * source, purpose and credential; the purpose a hub may require; the
 * chain verifying after all of it; and the JSON an entry is shown as,
 * valid whatever bytes its fields hold. */
#include "svc_fixture.h"

/* vg__audit_now: entries with any bytes at all, as a damaged or hostile
 * log could hold them */
#include "../../src/service/service_int.h"

#define V1 "2024-02-01T00:00:00.000Z"
#define X "indicator--00000000-0000-4000-8000-0000000000c1"
#define NO_FILTER "a=0|v=0|i=|t=|k=|s="

enum { ANALYST, READER, B_ANALYST, AUDITOR, N_WHO };

static const struct who people[N_WHO] = {
    [ANALYST] = {"alpha-analyst", "Alpha", "analyst", "SECRET"},
    [READER] = {"alpha-reader", "Alpha", "reader", "SECRET"},
    [B_ANALYST] = {"bravo-analyst", "Bravo", "analyst", "SECRET"},
    [AUDITOR] = {"auditor", "Alpha", "auditor", "SECRET"},
};

struct world {
	struct hub h;
	struct who w[N_WHO];
	struct log log;
	char community[40];
};

static struct world *world_new(const char *name, int purpose_required)
{
	struct world *w = calloc(1, sizeof(*w));
	assert_non_null(w);
	hub_open(&w->h, name, purpose_required);
	org_add(&w->h, "Alpha");
	org_add(&w->h, "Bravo");
	for (int i = 0; i < N_WHO; i++) {
		w->w[i] = people[i];
		who_add(&w->h, &w->w[i]);
	}
	coll_id(&w->h, "community", w->community);
	log_read(&w->h, &w->log);
	return w;
}

static void world_free(struct world *w)
{
	for (int i = 0; i < N_WHO; i++)
		vg_ctx_release(&w->w[i].c);
	log_free(&w->log);
	hub_close(&w->h);
	free(w);
}

/* The one entry since the last look is who's, with who's purpose. */
static void one_entry(struct world *w, int who, const char *action,
                      const char *target, const char *detail)
{
	const struct vg_ctx *c = &w->w[who].c;
	log_read(&w->h, &w->log);
	log_count(&w->log, 1);
	entry_is(&w->log, 0, action, target, detail, w->w[who].name, c->p.org,
	         w->w[who].auth);
	assert_string_equal(w->log.v[0].source, USER_SOURCE);
	assert_string_equal(w->log.v[0].purpose, c->purpose ? c->purpose : "");
}

static void buf_is(struct vg_buf *b, const char *want)
{
	assert_string_equal(b->data, want);
	vg_buf_reset(b);
}

static int count_json(void *ud, const char *json, size_t len)
{
	(void)json;
	(void)len;
	(*(size_t *)ud)++;
	return 0;
}

static int count_org(void *ud, const struct vg_org *o)
{
	(void)o;
	(*(size_t *)ud)++;
	return 0;
}

static void test_every_call_one_entry(void **state)
{
	(void)state;
	struct world *w = world_new("every-call", 0);
	struct vg_ctx *a = &w->w[ANALYST].c;
	struct vg_taxii_filter f = {0};
	struct vg_page_info info;
	struct vg_buf b;
	char err[200], sid[37], *st;
	vg_buf_init(&b, 0);
	a->purpose = "case 2024/7";

	assert_int_equal(vg_taxii_discovery(a, "/taxii2/root/", &b), VG_OK);
	buf_is(&b,
	       "{\"title\":\"test hub\",\"description\":\"vigil intelligence "
	       "hub\",\"default\":\"/taxii2/root/\",\"api_roots\":"
	       "[\"/taxii2/root/\"]}");
	one_entry(w, ANALYST, "discovery.read", "", "{}");
	assert_int_equal(vg_taxii_api_root(a, 1000, &b), VG_OK);
	vg_buf_reset(&b);
	one_entry(w, ANALYST, "api_root.read", "", "{}");
	assert_int_equal(vg_taxii_collections(a, &b), VG_OK);
	vg_buf_reset(&b);
	one_entry(w, ANALYST, "collections.read", "", "{}");
	assert_int_equal(vg_taxii_collection(a, "community", &b), VG_OK);
	vg_buf_reset(&b);
	one_entry(w, ANALYST, "collection.read", w->community, "{}");
	assert_int_equal(vg_taxii_collection(a, "org-bravo", &b), VG_ENOTFOUND);
	assert_int_equal(b.len, 0);
	one_entry(w, ANALYST, "collection.read", "org-bravo",
	          "{\"found\":false}");

	/* a write, its status, the reads of what it wrote */
	char *obj = indicator(X, V1, "", NULL);
	assert_int_equal(post(a, "community", obj, &st, NULL, err, sizeof(err)),
	                 VG_OK);
	status_is(st, "[{\"id\":\"" X "\",\"version\":\"" V1 "\"}]", "[]", sid);
	one_entry(
	    w, ANALYST, "objects.add", w->community,
	    jfmt("{\"collection\":\"%s\",\"status\":\"%s\",\"accepted\":1,"
	         "\"duplicates\":0,\"rejected\":0}",
	         w->community, sid));
	assert_int_equal(vg_taxii_status(a, sid, &b), VG_OK);
	buf_is(&b, st);
	one_entry(w, ANALYST, "status.read", sid, "{\"found\":true}");
	/* another user's status is not found, and the asking is on record */
	assert_int_equal(vg_taxii_status(&w->w[READER].c, sid, &b),
	                 VG_ENOTFOUND);
	assert_int_equal(b.len, 0);
	one_entry(w, READER, "status.read", sid, "{\"found\":false}");
	free(st);
	free(obj);
	static const char *const actions[] = {
	    "objects.read",
	    "manifest.read",
	    "versions.read",
	    "object.read",
	};
	/* every page: the identities and markings of the hub are in the
	 * community too (two organisations, four levels), and the object */
	for (int kind = VG_PAGE_OBJECTS; kind <= VG_PAGE_OBJECT; kind++) {
		const char *oid = kind >= VG_PAGE_VERSIONS ? X : NULL;
		int want = oid ? 1 : 3 + N_LEVELS + 1;
		assert_int_equal(vg_taxii_page(a, "community", kind, oid, &f,
		                               &b, &info, err, sizeof(err)),
		                 VG_OK);
		assert_int_equal(info.count, want);
		vg_buf_reset(&b);
		one_entry(w, ANALYST, actions[kind], oid ? oid : w->community,
		          jfmt("{\"collection\":\"%s\",\"count\":%d,"
		               "\"filter\":\"" NO_FILTER "\"}",
		               w->community, want));
	}
	/* the operator's reads of the same object */
	size_t n = 0, got = 0;
	assert_int_equal(vg_objects_get(a, X, 1, count_json, &got, &n), VG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(got, 1);
	one_entry(w, ANALYST, "object.read", X, "{\"count\":1}");

	/* admin lists */
	got = 0;
	assert_int_equal(vg_org_list(a, count_org, &got), VG_OK);
	assert_int_equal(got, 3);
	one_entry(w, ANALYST, "orgs.read", "", "{}");

	/* the log itself: the auditor reads it (on record first); a reader
	 * may not */
	struct log seen = {0};
	struct vg_audit_filter af = {.after_seq = w->log.mark};
	assert_int_equal(vg_audit_read(&w->w[AUDITOR].c, &af, log_take, &seen),
	                 VG_OK);
	log_count(&seen, 1);
	entry_is(&seen, 0, "audit.read", "",
	         jfmt("{\"after\":%lld}", (long long)w->log.mark), "auditor",
	         w->w[AUDITOR].c.p.org, w->w[AUDITOR].auth);
	log_free(&seen);
	one_entry(w, AUDITOR, "audit.read", "",
	          jfmt("{\"after\":%lld}", (long long)af.after_seq));
	assert_int_equal(vg_audit_read(&w->w[READER].c, &af, log_take, &seen),
	                 VG_EDENIED);
	assert_int_equal(seen.n, 0);
	one_entry(w, READER, "access.denied", "audit.read",
	          "{\"needs\":\"audit\",\"role\":\"reader\"}");

	/* the delete, last */
	assert_int_equal(
	    vg_taxii_delete(a, "community", X, &f, err, sizeof(err)), VG_OK);
	one_entry(w, ANALYST, "object.delete", X,
	          jfmt("{\"collection\":\"%s\",\"deleted\":1}", w->community));

	/* after all of it the chain holds, entry by entry; verifying reads
	 * nothing on record; only the auditor and the operator verify */
	struct vg_ctx op;
	struct vg_audit_verified v = {.checkpoints = -1};
	ctx_operator(&w->h, &op);
	assert_int_equal(
	    vg_audit_verify(&op, NULL, NULL, &v, err, sizeof(err)),
	    VG_OK);
	assert_string_equal(err, "");
	assert_int_equal(v.entries, w->log.mark);
	assert_int_equal(v.checkpoints, 0);
	assert_int_equal(vg_audit_verify(&w->w[AUDITOR].c, NULL, NULL, &v, err, sizeof(err)),
	                 VG_OK);
	assert_int_equal(v.entries, w->log.mark);
	assert_int_equal(vg_audit_verify(&w->w[ANALYST].c, NULL, NULL, &v, err, sizeof(err)),
	                 VG_EDENIED);
	one_entry(w, ANALYST, "access.denied", "audit.verify",
	          "{\"needs\":\"audit\",\"role\":\"analyst\"}");
	vg_ctx_release(&op);
	vg_buf_release(&b);
	world_free(w);
}

/* A hub that requires a purpose: readers of the API state one, writes
 * and the operator do not need to. */
static void test_purpose_required(void **state)
{
	(void)state;
	struct world *w = world_new("purpose", 1);
	struct vg_ctx *r = &w->w[READER].c, *a = &w->w[ANALYST].c;
	struct vg_taxii_filter f = {0};
	struct vg_page_info info;
	struct vg_buf b;
	char err[200] = "";
	vg_buf_init(&b, 0);

	assert_int_equal(vg_taxii_page(r, "community", VG_PAGE_OBJECTS, NULL,
	                               &f, &b, &info, err, sizeof(err)),
	                 VG_EPURPOSE);
	assert_int_equal(vg_taxii_collections(r, &b), VG_EPURPOSE);
	assert_int_equal(vg_taxii_collection(r, "community", &b), VG_EPURPOSE);
	assert_int_equal(vg_taxii_status(r, "x", &b), VG_EPURPOSE);
	assert_int_equal(vg_org_list(r, NULL, NULL), VG_EPURPOSE);
	assert_int_equal(vg_audit_read(&w->w[AUDITOR].c,
	                               &(struct vg_audit_filter){0}, NULL,
	                               NULL),
	                 VG_EPURPOSE);
	r->purpose = "";
	assert_int_equal(vg_ctx_purpose(r), VG_EPURPOSE);
	assert_int_equal(b.len, 0);
	/* refused before anything was read: nothing on record */
	log_read(&w->h, &w->log);
	log_count(&w->log, 0);

	r->purpose = "case \"7\"";
	assert_int_equal(vg_ctx_purpose(r), VG_OK);
	assert_int_equal(vg_taxii_page(r, "community", VG_PAGE_OBJECTS, NULL,
	                               &f, &b, &info, err, sizeof(err)),
	                 VG_OK);
	one_entry(
	    w, READER, "objects.read", w->community,
	    jfmt("{\"collection\":\"%s\",\"count\":%d,\"filter\":\"" NO_FILTER
	         "\"}",
	         w->community, 3 + N_LEVELS));
	assert_string_equal(w->log.v[0].purpose, "case \"7\"");

	/* a write needs none */
	char *obj = indicator(X, V1, "", NULL), *st = NULL;
	assert_int_equal(post(a, "community", obj, &st, NULL, err, sizeof(err)),
	                 VG_OK);
	log_read(&w->h, &w->log);
	log_count(&w->log, 1);
	assert_string_equal(w->log.v[0].action, "objects.add");
	assert_string_equal(w->log.v[0].purpose, "");
	free(obj);
	free(st);

	/* the operator is asked, never forced; a purpose given is recorded */
	struct vg_ctx op;
	ctx_operator(&w->h, &op);
	assert_int_equal(vg_ctx_purpose(&op), VG_OK);
	vg_buf_reset(&b);
	assert_int_equal(vg_taxii_page(&op, "community", VG_PAGE_OBJECT, X, &f,
	                               &b, &info, err, sizeof(err)),
	                 VG_OK);
	op.purpose = "audit 12";
	assert_int_equal(vg_taxii_page(&op, "community", VG_PAGE_VERSIONS, X,
	                               &f, &b, &info, err, sizeof(err)),
	                 VG_OK);
	log_read(&w->h, &w->log);
	log_count(&w->log, 2);
	const char *detail = jfmt("{\"collection\":\"%s\",\"count\":1,"
	                          "\"filter\":\"" NO_FILTER "\"}",
	                          w->community);
	entry_is(&w->log, 0, "object.read", X, detail, OP_ACTOR, 0, "");
	assert_string_equal(w->log.v[0].purpose, "");
	assert_string_equal(w->log.v[0].source, "cli");
	entry_is(&w->log, 1, "versions.read", X, detail, OP_ACTOR, 0, "");
	assert_string_equal(w->log.v[1].purpose, "audit 12");
	vg_ctx_release(&op);
	vg_buf_release(&b);
	world_free(w);
}

/* ---- the JSON of an entry ---------------------------------------------- */

/* 1 when s[0..n) is well-formed UTF-8 (RFC 3629), written here again so
 * as not to test the encoder with itself. */
static int utf8_ok(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned c = s[i], need, cp, min;
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0)
			need = 1, cp = c & 0x1f, min = 0x80;
		else if ((c & 0xf0) == 0xe0)
			need = 2, cp = c & 0x0f, min = 0x800;
		else if ((c & 0xf8) == 0xf0)
			need = 3, cp = c & 0x07, min = 0x10000;
		else
			return 0;
		for (unsigned k = 1; k <= need; k++) {
			if (i + k >= n || (s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += need + 1;
	}
	return 1;
}

#define FFFD "\xef\xbf\xbd"

struct odd {
	const char *target, *purpose, *detail;
	/* what the JSON must say: the strings, and the detail as JSON */
	const char *want_target, *want_purpose, *want_detail;
};

static const struct odd odd[] = {
    /* quotes, backslashes, controls: escaped, and read back as they were */
    {"q\" b\\ n\n t\t c\x01\x1f d\x7f", "\"}{\"x\":1",
     "{\"k\":\"v\\\"}\\\\\","
     "\"n\":[1,{\"z\":null}]}",
     "q\" b\\ n\n t\t c\x01\x1f d\x7f", "\"}{\"x\":1",
     "{\"k\":\"v\\\"}\\\\\",\"n\":[1,{\"z\":null}]}"},
    /* bytes that are not UTF-8: each becomes U+FFFD */
    {"bad \xff\xfe end", "caf\xc3", "not json \"}", "bad " FFFD FFFD " end",
     "caf" FFFD, "\"not json \\\"}\""},
    {"long \xc0\xaf sur \xed\xa0\x80 big \xf4\x90\x80\x80", "", "{\"a\":1}\"}",
     "long " FFFD FFFD " sur " FFFD FFFD FFFD " big " FFFD FFFD FFFD FFFD, "",
     "\"{\\\"a\\\":1}\\\"}\""},
    /* a detail that only looks like an object is a string */
    {"t", "p", "{\"a\":\"\xff\"}", "t", "p",
     "\"{\\\"a\\\":\\\"" FFFD "\\\"}\""},
    {"t", "p", "{\"a\":\"x\x01\"}", "t", "p",
     "\"{\\\"a\\\":\\\"x\\u0001\\\"}\""},
    {"t", "p", "{\"a\":\"\\ud800\"}", "t", "p",
     "\"{\\\"a\\\":\\\"\\\\ud800\\\"}\""},
    {"t", "p", "[1,2]", "t", "p", "\"[1,2]\""},
    {"<script>&\xe2\x80\xa8", "", "", "<script>&\xe2\x80\xa8", "", "{}"},
};

static const char *const entry_keys[] = {
    "seq",    "time",   "actor",   "org",  "action", "target",
    "detail", "source", "purpose", "auth", "hash",
};

static void test_entry_json(void **state)
{
	(void)state;
	struct hub h;
	struct vg_ctx c;
	struct log l = {0};
	struct vg_buf b;
	size_t n_odd = sizeof(odd) / sizeof(odd[0]);
	hub_open(&h, "entry-json", 0);
	log_read(&h, &l);
	/* an operator whose login is odd too */
	vg_ctx_init(&c, h.svc, VG_CHANNEL_CLI, "cli");
	vg_ctx_operator(&c, "o\"p\x01\xff");
	for (size_t i = 0; i < n_odd; i++) {
		c.purpose = odd[i].purpose;
		assert_int_equal(
		    vg__audit_now(&c, "test.odd", odd[i].target, odd[i].detail),
		    VG_OK);
	}
	log_read(&h, &l);
	log_count(&l, n_odd);
	vg_buf_init(&b, 0);
	for (size_t i = 0; i < n_odd; i++) {
		const struct entry *e = &l.v[i];
		struct vg_audit_entry ae = {
		    .seq = e->seq,
		    .ts = 1,
		    .actor = e->actor,
		    .org = e->org,
		    .action = e->action,
		    .target = e->target,
		    .detail = e->detail,
		    .source = e->source,
		    .purpose = e->purpose,
		    .auth = e->auth,
		};
		/* the log keeps the bytes as they were given */
		assert_string_equal(e->target, odd[i].target);
		assert_string_equal(e->detail, odd[i].detail);
		vg_buf_reset(&b);
		assert_int_equal(vg_audit_entry_json(&ae, 1, &b), VG_OK);
		/* valid JSON: UTF-8, no raw control byte, one value */
		if (!utf8_ok((const unsigned char *)b.data, b.len))
			fail_msg("entry %zu: not UTF-8: %s", i, b.data);
		for (size_t k = 0; k < b.len; k++)
			if ((unsigned char)b.data[k] < 0x20)
				fail_msg("entry %zu: a raw control byte: %s", i,
				         b.data);
		const char *end = NULL;
		cJSON *j = cJSON_ParseWithOpts(b.data, &end, 1);
		if (!j)
			fail_msg("entry %zu: not JSON: %s", i, b.data);
		/* exactly the keys, in order */
		size_t k = 0;
		const cJSON *x;
		cJSON_ArrayForEach(x, j)
		{
			assert_true(k <
			            sizeof(entry_keys) / sizeof(entry_keys[0]));
			assert_string_equal(x->string, entry_keys[k++]);
		}
		assert_int_equal(k, sizeof(entry_keys) / sizeof(entry_keys[0]));
#define STR(name) cJSON_GetObjectItemCaseSensitive(j, name)->valuestring
		assert_string_equal(STR("actor"), "local:o\"p\x01" FFFD);
		assert_string_equal(STR("action"), "test.odd");
		assert_string_equal(STR("target"), odd[i].want_target);
		assert_string_equal(STR("purpose"), odd[i].want_purpose);
		assert_string_equal(STR("source"), "cli");
		assert_string_equal(STR("auth"), "");
		assert_string_equal(STR("time"), "1970-01-01T00:00:00.000001Z");
#undef STR
		cJSON *want = cJSON_Parse(odd[i].want_detail);
		assert_non_null(want);
		if (!cJSON_Compare(
		        cJSON_GetObjectItemCaseSensitive(j, "detail"), want, 1))
			fail_msg("entry %zu: detail in %s, not %s", i, b.data,
			         odd[i].want_detail);
		cJSON_Delete(want);
		cJSON_Delete(j);
	}
	/* and the chain holds them */
	struct vg_ctx op;
	struct vg_audit_verified v;
	char err[200];
	ctx_operator(&h, &op);
	assert_int_equal(
	    vg_audit_verify(&op, NULL, NULL, &v, err, sizeof(err)),
	    VG_OK);
	assert_int_equal(v.entries, l.mark);
	vg_ctx_release(&op);
	vg_ctx_release(&c);
	vg_buf_release(&b);
	log_free(&l);
	hub_close(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_call_one_entry),
	    cmocka_unit_test(test_purpose_required),
	    cmocka_unit_test(test_entry_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
