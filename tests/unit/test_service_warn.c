/* Early warning through the service, on the in-memory store: correlation
 * across spellings and scripts, address blocks, the budget, exclusions
 * and the rights (a hidden record is never shown, only counted as hit /
 * no-hit where its owner allows it, and not at all where not), the
 * hourly allowance; watches of every kind firing on arrival (TAXII POST
 * and import) and retroactively; alerts listed, streamed, acknowledged;
 * access requests and grants. */
#include "svc_fixture.h"

#include "../../src/service/ingest_int.h"
#include "../../src/service/warn_int.h"
#include "vigil/service/warn.h"

#define U(n) "-0000-4000-8000-0000000000" n
#define ID_A "identity--aaaaaaaa" U("01")
#define TA_B "threat-actor--bbbbbbbb" U("01")
#define ID_G "identity--cccccccc" U("01")
#define IND_A "indicator--aaaaaaaa" U("02")
#define IND_G "indicator--cccccccc" U("02")
#define IP_SCO "ipv4-addr--bbbbbbbb" U("03")
#define IP2 "ipv4-addr--bbbbbbbb" U("04")

struct fx {
	struct hub h;
	struct who a, b, g, g2;
	char community[40], org_g[40], group[40];
	struct log log;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	hub_open(&f->h, "warn", 0);
	org_add(&f->h, "alpha");
	org_add(&f->h, "beta");
	org_add(&f->h, "gamma");
	f->a = (struct who){.name = "ann", .org = "alpha", .role = "analyst"};
	f->b = (struct who){.name = "bob", .org = "beta", .role = "analyst"};
	f->g = (struct who){.name = "gil", .org = "gamma", .role = "analyst"};
	f->g2 =
	    (struct who){.name = "gus", .org = "gamma", .role = "org-admin"};
	group_make(&f->h, "pair", "beta", "gamma", NULL);
	who_add(&f->h, &f->a);
	who_add(&f->h, &f->b);
	who_add(&f->h, &f->g);
	who_add(&f->h, &f->g2);
	coll_id(&f->h, "community", f->community);
	coll_id(&f->h, "org-gamma", f->org_g);
	coll_id(&f->h, "group-pair", f->group);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	vg_ctx_release(&f->a.c);
	vg_ctx_release(&f->b.c);
	vg_ctx_release(&f->g.c);
	vg_ctx_release(&f->g2.c);
	log_free(&f->log);
	hub_close(&f->h);
	free(f);
	return 0;
}

static void post_ok(struct vg_ctx *c, const char *coll, const char *objects)
{
	char err[300];
	struct vg_ingest_counts k;
	char *status = NULL;
	int rc = post(c, coll, objects, &status, &k, err, sizeof(err));
	if (rc || k.rejected)
		fail_msg("post: %s %s %s", vg_err_name(rc), err,
		         status ? status : "");
	free(status);
}

static const char *person(const char *id, const char *name, const char *more)
{
	return jfmt(
	    "{\"type\":\"identity\",\"spec_version\":\"2.1\",\"id\":\"%s\","
	    "\"created\":\"2024-01-01T00:00:00.000Z\",\"modified\":"
	    "\"2024-01-01T00:00:00.000Z\",\"name\":\"%s\",\"identity_class\":"
	    "\"individual\"%s}",
	    id, name, more ? more : "");
}

static const char *actor(const char *id, const char *name, const char *more)
{
	return jfmt(
	    "{\"type\":\"threat-actor\",\"spec_version\":\"2.1\",\"id\":"
	    "\"%s\",\"created\":\"2024-01-01T00:00:00.000Z\",\"modified\":"
	    "\"2024-01-01T00:00:00.000Z\",\"name\":\"%s\","
	    "\"threat_actor_types\":[\"terrorist\"]%s}",
	    id, name, more ? more : "");
}

static const char *ind(const char *id, const char *pattern, const char *more)
{
	return jfmt(
	    "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"%s\","
	    "\"created\":\"2024-01-01T00:00:00.000Z\",\"modified\":"
	    "\"2024-01-01T00:00:00.000Z\",\"name\":\"n\",\"pattern\":\"%s\","
	    "\"pattern_type\":\"stix\",\"valid_from\":"
	    "\"2024-01-01T00:00:00Z\"%s}",
	    id, pattern, more ? more : "");
}

static const char *sco(const char *type, const char *id, const char *value)
{
	return jfmt("{\"type\":\"%s\",\"spec_version\":\"2.1\",\"id\":\"%s\","
	            "\"value\":\"%s\"}",
	            type, id, value);
}

/* The correlation as ids and counts: "related: ID[keys]...; hits:
 * ORG=N[keys]...; keys: VALUE(flags)..." */
static void corr_is(struct vg_ctx *c, const char *id, const char *want)
{
	struct vg_buf b, o;
	char err[300] = "";
	vg_buf_init(&b, 0);
	vg_buf_init(&o, 0);
	int rc = vg_warn_correlate(c, id, &b, err, sizeof(err));
	if (rc)
		fail_msg("correlate %s: %s %s", id, vg_err_name(rc), err);
	cJSON *j = cJSON_Parse(b.data), *x, *k;
	vg_buf_puts(&o, "related:");
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(j, "related"))
	{
		vg_buf_printf(
		    &o, " %s[",
		    cJSON_GetObjectItemCaseSensitive(x, "id")->valuestring);
		int first = 1;
		cJSON_ArrayForEach(k,
		                   cJSON_GetObjectItemCaseSensitive(x, "keys"))
		{
			vg_buf_printf(&o, "%s%s", first ? "" : ",",
			              k->valuestring);
			first = 0;
		}
		vg_buf_puts(&o, "]");
	}
	vg_buf_puts(&o, "; hits:");
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(j, "hits"))
	{
		vg_buf_printf(
		    &o, " %s=%d[",
		    cJSON_GetObjectItemCaseSensitive(x, "held_by")->valuestring,
		    cJSON_GetObjectItemCaseSensitive(x, "records")->valueint);
		int first = 1;
		cJSON_ArrayForEach(k,
		                   cJSON_GetObjectItemCaseSensitive(x, "keys"))
		{
			vg_buf_printf(&o, "%s%s", first ? "" : ",",
			              k->valuestring);
			first = 0;
		}
		vg_buf_puts(&o, "]");
	}
	vg_buf_puts(&o, "; keys:");
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(j, "keys"))
	{
		vg_buf_printf(
		    &o, " %s",
		    cJSON_GetObjectItemCaseSensitive(x, "value")->valuestring);
		if (cJSON_IsTrue(
		        cJSON_GetObjectItemCaseSensitive(x, "excluded")))
			vg_buf_puts(&o, "(excluded)");
		if (cJSON_IsTrue(
		        cJSON_GetObjectItemCaseSensitive(x, "over_budget")))
			vg_buf_puts(&o, "(over)");
	}
	if (cJSON_GetObjectItemCaseSensitive(j, "hits_withheld"))
		vg_buf_puts(&o, "; withheld");
	if (strcmp(o.data, want))
		fail_msg("correlation of %s\n got: %s\nwant: %s\n(%s)", id,
		         o.data, want, b.data);
	cJSON_Delete(j);
	vg_buf_release(&b);
	vg_buf_release(&o);
}

static void set(struct fx *f, const char *name, const char *value)
{
	struct vg_ctx op;
	char err[200] = "";
	ctx_operator(&f->h, &op);
	if (vg_warn_set(&op, name, value, err, sizeof(err)))
		fail_msg("set %s: %s", name, err);
	vg_ctx_release(&op);
}

static void disclose(struct vg_ctx *c, const char *subject, int choice)
{
	char err[200] = "";
	if (vg_access_disclosure(c, subject, choice, err, sizeof(err)))
		fail_msg("disclosure %s: %s", subject, err);
}

/* Names correlate across spellings and scripts; a record the reader may
 * not read is only ever counted, and only where its owner allows it. */
static void test_names_and_rights(void **state)
{
	struct fx *f = *state;
	post_ok(&f->a.c, f->community,
	        person(ID_A, "Abu Mohammed al-Jawlani", NULL));
	post_ok(
	    &f->b.c, f->community,
	    actor(TA_B,
	          "\xd8\xa3\xd8\xa8\xd9\x88 \xd9\x85\xd8\xad\xd9\x85\xd8\xaf "
	          "\xd8\xa7\xd9\x84\xd8\xac\xd9\x88\xd9\x84\xd8\xa7\xd9\x86\xd9"
	          "\x8a",
	          ",\"resource_level\":\"individual\""));
	post_ok(&f->g.c, f->org_g,
	        person(ID_G, "Abou Mohammed al-Jolani", NULL));
	/* an unrelated name with the same codes is not a match: the scorer
	 * decides */
	post_ok(&f->b.c, f->community,
	        person("identity--bbbbbbbb" U("09"), "Mohammed Gulnara", NULL));
	/* gamma's record is in its private collection: no disclosure */
	corr_is(&f->a.c, ID_A,
	        "related: " TA_B "[Abu Mohammed al-Jawlani]; hits:; keys: "
	        "Abu Mohammed al-Jawlani");
	/* gamma allows its collection to be disclosed: a hit, no id */
	disclose(&f->g.c, f->org_g, 1);
	corr_is(&f->a.c, ID_A,
	        "related: " TA_B "[Abu Mohammed al-Jawlani]; hits: gamma=1[Abu "
	        "Mohammed al-Jawlani]; keys: Abu Mohammed al-Jawlani");
	/* the object's own choice wins over its collection's */
	disclose(&f->g.c, ID_G, 0);
	corr_is(&f->a.c, ID_A,
	        "related: " TA_B "[Abu Mohammed al-Jawlani]; hits:; keys: "
	        "Abu Mohammed al-Jawlani");
	/* gamma sees everything of its own and the community's */
	corr_is(
	    &f->g.c, ID_G,
	    "related: " ID_A "[Abou Mohammed al-Jolani] " TA_B
	    "[Abou Mohammed al-Jolani]; hits:; keys: Abou Mohammed al-Jolani");
	/* the hourly allowance: hits are withheld when it is spent */
	disclose(&f->g.c, ID_G, -1);
	set(f, "hits_per_hour", "2"); /* one answer was given already */
	corr_is(&f->a.c, ID_A,
	        "related: " TA_B "[Abu Mohammed al-Jawlani]; hits: gamma=1[Abu "
	        "Mohammed al-Jawlani]; keys: Abu Mohammed al-Jawlani");
	corr_is(&f->a.c, ID_A,
	        "related: " TA_B "[Abu Mohammed al-Jawlani]; hits:; keys: "
	        "Abu Mohammed al-Jawlani; withheld");
	/* and the answer is on record, with what it disclosed */
	log_read(&f->h, &f->log);
	struct entry *e = &f->log.v[f->log.n - 1];
	assert_string_equal(e->action, "object.correlate");
	assert_string_equal(e->target, ID_A);
	assert_string_equal(e->detail, "{\"found\":true,\"related\":1,"
	                               "\"over_budget\":0,\"hits\":[],"
	                               "\"withheld\":true}");
	e = &f->log.v[f->log.n - 2];
	assert_string_equal(
	    e->detail, jfmt("{\"found\":true,\"related\":1,\"over_budget\":0,"
	                    "\"hits\":[{\"org\":%lld,\"records\":1}]}",
	                    (long long)f->g.c.p.org));
	/* nothing the reader may not read: not found, as for no object */
	struct vg_buf b;
	char err[200];
	vg_buf_init(&b, 0);
	assert_int_equal(vg_warn_correlate(&f->a.c, ID_G, &b, err, sizeof(err)),
	                 VG_ENOTFOUND);
	assert_int_equal(b.len, 0);
	vg_buf_release(&b);
}

/* Addresses correlate with the blocks that hold them; keys over the
 * budget are listed but not expanded; excluded keys are not looked up. */
static void test_values_budget_exclusions(void **state)
{
	struct fx *f = *state;
	post_ok(&f->a.c, f->community,
	        ind(IND_A,
	            "[ipv4-addr:value = '198.51.100.7'] OR "
	            "[domain-name:value = 'relay.example'] OR "
	            "[ipv4-addr:value = '10.1.2.3']",
	            NULL));
	post_ok(&f->b.c, f->community,
	        sco("ipv4-addr", IP_SCO, "198.51.100.7"));
	post_ok(
	    &f->g.c, f->community,
	    ind(IND_G, "[ipv4-addr:value ISSUBSET '198.51.100.0/24']", NULL));
	/* the group's record: beta and gamma only; a hit for alpha */
	post_ok(&f->g.c, f->group,
	        ind("indicator--cccccccc" U("05"),
	            "[ipv4-addr:value = '198.51.100.7']", NULL));
	/* TLP:RED in the community: never disclosed by default */
	post_ok(&f->g.c, f->community,
	        ind("indicator--cccccccc" U("06"),
	            "[ipv4-addr:value = '198.51.100.7']",
	            ",\"object_marking_refs\":[\"" TLP_RED "\"]"));
	corr_is(&f->a.c, IND_A,
	        "related: " IND_G "[198.51.100.7] " IP_SCO
	        "[198.51.100.7]; hits: "
	        "gamma=1[198.51.100.7]; keys: relay.example 10.1.2.3(excluded) "
	        "198.51.100.7");
	/* beta is in the group: it reads the group's record */
	corr_is(&f->b.c, IP_SCO,
	        "related: " IND_A "[198.51.100.7] " IND_G "[198.51.100.7] "
	        "indicator--cccccccc" U("05") "[198.51.100.7]; hits:; keys: "
	                                      "198.51.100.7");
	/* the block finds the address inside it */
	corr_is(
	    &f->g.c, IND_G,
	    "related: " IND_A "[198.51.100.0/24] indicator--cccccccc" U(
	        "05") "[198.51.100.0/24] indicator--cccccccc" U("06") "[198.51."
	                                                              "100.0/"
	                                                              "24]"
	                                                              " " IP_SCO
	                                                              "[198.51."
	                                                              "100.0/"
	                                                              "24]; "
	                                                              "hits:; "
	                                                              "keys: "
	                                                              "198.51."
	                                                              "100.0/"
	                                                              "24");
	/* three other objects share relay.example: over a budget of 2 */
	post_ok(&f->b.c, f->community,
	        jfmt("%s,%s,%s",
	             sco("domain-name", "domain-name--bbbbbbbb" U("11"),
	                 "relay.example"),
	             ind("indicator--bbbbbbbb" U("12"),
	                 "[domain-name:value = 'relay.example']", NULL),
	             sco("url", "url--bbbbbbbb" U("13"),
	                 "http://relay.example/x")));
	set(f, "budget", "2");
	corr_is(&f->a.c, IND_A,
	        "related:; hits:; keys: relay.example(over) 10.1.2.3(excluded) "
	        "198.51.100.7(over)");
	set(f, "budget", "3");
	corr_is(
	    &f->a.c, IND_A,
	    "related: domain-name--bbbbbbbb" U(
	        "11") "[relay.example] "
	              "indicator--bbbbbbbb" U("12") "[relay.example] "
	                                            "url--bbbbbbbb" U(
	                                                "13") "[relay.example];"
	                                                      " hits:; keys: "
	                                                      "relay.example "
	                                                      "10.1.2.3("
	                                                      "excluded) "
	                                                      "198.51.100.7("
	                                                      "over)");
	/* the hub lifts an exclusion and adds one */
	struct vg_ctx op;
	char err[200];
	ctx_operator(&f->h, &op);
	assert_int_equal(
	    vg_warn_exclude(&op, "10.0.0.0/8", 0, err, sizeof(err)), VG_OK);
	assert_int_equal(
	    vg_warn_exclude(&op, "relay.example", 1, err, sizeof(err)), VG_OK);
	assert_int_equal(
	    vg_warn_exclude(&f->a.c, "x.example", 1, err, sizeof(err)),
	    VG_EDENIED);
	vg_ctx_release(&op);
	set(f, "budget", "100");
	corr_is(&f->a.c, IND_A,
	        "related: " IND_G "[198.51.100.7] " IP_SCO
	        "[198.51.100.7]; hits: "
	        "gamma=1[198.51.100.7]; keys: relay.example(excluded) 10.1.2.3 "
	        "198.51.100.7");
}

/* ---- watches and alerts ------------------------------------------------ */

static int64_t watch(struct vg_ctx *c, const char *kind, const char *term,
                     int shared, int64_t *retro)
{
	struct vg_watch_spec w = {.kind = kind, .term = term, .shared = shared};
	struct vg_buf b;
	char err[300] = "";
	vg_buf_init(&b, 0);
	int rc = vg_watch_add(c, &w, &b, err, sizeof(err));
	if (rc)
		fail_msg("watch %s %s: %s %s", kind, term, vg_err_name(rc),
		         err);
	cJSON *j = cJSON_Parse(b.data);
	int64_t id =
	    (int64_t)cJSON_GetObjectItemCaseSensitive(j, "id")->valuedouble;
	if (retro)
		*retro = (int64_t)cJSON_GetObjectItemCaseSensitive(j, "retro")
		             ->valuedouble;
	cJSON_Delete(j);
	vg_buf_release(&b);
	return id;
}

/* c's alerts after seq as "kind:watch:object" (hits: "hit:watch:org"). */
static void alerts_are(struct vg_ctx *c, int64_t after, const char *want)
{
	struct vg_buf b, o;
	int64_t last;
	vg_buf_init(&b, 0);
	vg_buf_init(&o, 0);
	vg_buf_puts(&o, "");
	assert_int_equal(vg_alerts_list(c, after, 0, 0, &b, &last), VG_OK);
	cJSON *j = cJSON_Parse(b.data), *x;
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(j, "alerts"))
	{
		const char *kind =
		    cJSON_GetObjectItemCaseSensitive(x, "kind")->valuestring;
		const cJSON *obj =
		    cJSON_GetObjectItemCaseSensitive(x, "object");
		const cJSON *d = cJSON_GetObjectItemCaseSensitive(x, "detail");
		const cJSON *held =
		    cJSON_GetObjectItemCaseSensitive(d, "held_by");
		vg_buf_printf(
		    &o, "%s%s%s:%s", o.len ? " " : "", kind,
		    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(x, "retro"))
		        ? "(retro)"
		        : "",
		    obj    ? obj->valuestring
		    : held ? held->valuestring
		           : "-");
		if (!strcmp(kind, "hit"))
			assert_null(obj); /* never the hidden record's id */
	}
	if (strcmp(o.data, want))
		fail_msg("alerts\n got: %s\nwant: %s\n(%s)", o.data, want,
		         b.data);
	cJSON_Delete(j);
	vg_buf_release(&b);
	vg_buf_release(&o);
}

static void test_watches(void **state)
{
	struct fx *f = *state;
	int64_t retro = -1;
	post_ok(&f->a.c, f->community,
	        ind(IND_A, "[ipv4-addr:value = '198.51.100.7']", NULL));
	post_ok(&f->g.c, f->org_g,
	        ind(IND_G, "[ipv4-addr:value = '198.51.100.9']", NULL));
	disclose(&f->g.c, IND_G, 1);
	/* a block: what is stored inside it fires at once (a hit for
	 * gamma's private one) */
	watch(&f->b.c, "value", "198.51.100.0/24", 0, &retro);
	assert_int_equal(retro, 2);
	alerts_are(&f->b.c, 0, "match(retro):" IND_A " hit(retro):gamma");
	/* a new observable inside the block fires on arrival */
	post_ok(&f->a.c, f->community,
	        sco("ipv4-addr", IP_SCO, "198.51.100.200"));
	alerts_are(&f->b.c, 2, "match:" IP_SCO);
	/* ann's names: a new spelling, in another script, fires */
	watch(&f->a.c, "name", "Abu Mohammed al-Jawlani", 0, &retro);
	assert_int_equal(retro, 0);
	post_ok(
	    &f->b.c, f->community,
	    actor(TA_B,
	          "\xd8\xa3\xd8\xa8\xd9\x88 \xd9\x85\xd8\xad\xd9\x85\xd8\xaf "
	          "\xd8\xa7\xd9\x84\xd8\xac\xd9\x88\xd9\x84\xd8\xa7\xd9\x86\xd9"
	          "\x8a",
	          NULL));
	alerts_are(&f->a.c, 0, "match:" TA_B);
	/* an object: whatever refers to it */
	watch(&f->a.c, "object", TA_B, 0, NULL);
	post_ok(&f->b.c, f->community,
	        "{\"type\":\"relationship\",\"spec_version\":\"2.1\",\"id\":"
	        "\"relationship--bbbbbbbb" U(
	            "21") "\",\"created\":"
	                  "\"2024-01-01T00:00:00.000Z\",\"modified\":\"2024-01-"
	                  "01T00:00:00.000Z\","
	                  "\"relationship_type\":\"indicates\",\"source_ref\":"
	                  "\"" IND_A "\","
	                  "\"target_ref\":\"" TA_B "\"}");
	alerts_are(&f->a.c, 0,
	           "match:" TA_B " match:relationship--bbbbbbbb" U("21"));
	/* a pattern: an observable, and observed data naming one */
	watch(&f->g.c, "pattern", "[domain-name:value = 'relay.example']", 0,
	      NULL);
	post_ok(
	    &f->b.c, f->community,
	    jfmt("%s,{\"type\":\"observed-data\",\"spec_version\":\"2.1\","
	         "\"id\":"
	         "\"observed-data--bbbbbbbb" U(
	             "22") "\",\"created\":"
	                   "\"2024-01-01T00:00:00.000Z\",\"modified\":"
	                   "\"2024-01-01T00:00:00.000Z\",\"first_observed\":"
	                   "\"2024-01-01T00:00:00Z\",\"last_observed\":"
	                   "\"2024-01-01T00:00:00Z\",\"number_observed\":3,"
	                   "\"object_refs\":[\"domain-name--bbbbbbbb" U(
	                       "23") "\"]}",
	         sco("domain-name", "domain-name--bbbbbbbb" U("23"),
	             "relay.example")));
	alerts_are(&f->g.c, 0,
	           "match:domain-name--bbbbbbbb" U(
	               "23") " match:observed-data--bbbbbbbb" U("22"));
	/* a query, shared by gamma's users; a document */
	watch(&f->g2.c, "query",
	      "{\"labels\":[\"Cell\"],\"types\":[\"threat-actor\"]}", 1, NULL);
	watch(&f->a.c, "document", "x-123 4567", 0, NULL);
	post_ok(
	    &f->b.c, f->community,
	    jfmt("%s,%s",
	         actor("threat-actor--bbbbbbbb" U("24"), "Kortavel Cell",
	               ",\"labels\":[\"cell\"]"),
	         person("identity--bbbbbbbb" U("25"), "Ivo Trell",
	                ",\"x_vigil_documents\":[{\"type\":\"P\",\"number\":"
	                "\"X1234567\",\"country\":\"FR\"}]")));
	alerts_are(
	    &f->g.c, 0,
	    "match:domain-name--bbbbbbbb" U("23") " match:observed-data--"
	                                          "bbbbbbbb" U("22") " match:"
	                                                             "threat-"
	                                                             "actor--"
	                                                             "bbbbbbb"
	                                                             "b" U(
	                                                                 "24"));
	alerts_are(&f->g2.c, 0, "match:threat-actor--bbbbbbbb" U("24"));
	alerts_are(&f->a.c, 0,
	           "match:" TA_B " match:relationship--bbbbbbbb" U(
	               "21") " match:identity--bbbbbbbb" U("25"));
	/* acknowledged: no longer listed as unacknowledged */
	struct vg_buf b;
	int64_t last;
	vg_buf_init(&b, 0);
	assert_int_equal(vg_alerts_ack(&f->a.c, 3), VG_ENOTFOUND); /* bob's */
	assert_int_equal(vg_alerts_list(&f->a.c, 0, 0, 1, &b, &last), VG_OK);
	cJSON *j = cJSON_Parse(b.data);
	int64_t first = (int64_t)cJSON_GetArrayItem(
	                    cJSON_GetObjectItemCaseSensitive(j, "alerts"), 0)
	                    ->child->valuedouble;
	cJSON_Delete(j);
	assert_int_equal(vg_alerts_ack(&f->a.c, first), VG_OK);
	vg_buf_reset(&b);
	assert_int_equal(vg_alerts_list(&f->a.c, 0, 0, 1, &b, &last), VG_OK);
	j = cJSON_Parse(b.data);
	assert_int_equal(
	    cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "alerts")),
	    2);
	cJSON_Delete(j);
	/* the stream: server-sent events after a seq */
	vg_buf_reset(&b);
	size_t n = 0;
	assert_int_equal(vg_alerts_stream_next(&f->b.c, 1, &b, &last, &n),
	                 VG_OK);
	assert_int_equal(n, 2);
	assert_int_equal(last, 3);
	assert_true(
	    !strncmp(b.data, "id: 2\nevent: alert\ndata: {\"seq\":2,", 33));
	vg_buf_release(&b);
}

/* A change to watch id by c: rc, and the answer (or err) into out. */
static int change(struct vg_ctx *c, int64_t id, struct vg_watch_change ch,
                  char *out, size_t outlen)
{
	struct vg_buf b;
	char err[300] = "";
	vg_buf_init(&b, 0);
	int rc = vg_watch_update(c, id, &ch, &b, err, sizeof(err));
	snprintf(out, outlen, "%s", rc ? err : b.data);
	vg_buf_release(&b);
	return rc;
}

/* Watches changed: the new term's retro alerts leave aside what the old
 * one matched, another's watch is none, a shared one is the creator's
 * and the admins', its webhook the creator's only. */
static void test_watch_changes(void **state)
{
	struct fx *f = *state;
	char got[2000];
	int64_t retro = -1;
	post_ok(&f->a.c, f->community,
	        ind(IND_A, "[ipv4-addr:value = '198.51.100.7']", NULL));
	post_ok(&f->g.c, f->org_g,
	        ind(IND_G, "[ipv4-addr:value = '198.51.100.9']", NULL));
	disclose(&f->g.c, IND_G, 1);
	int64_t w = watch(&f->b.c, "value", "198.51.100.7", 0, &retro);
	assert_int_equal(retro, 1);
	struct vg_watch_change ch = {.shared = -1, .term = "198.51.100.0/24"};
	assert_int_equal(change(&f->b.c, w, ch, got, sizeof(got)), VG_OK);
	assert_non_null(strstr(got, "\"name\":\"198.51.100.0/24\",\"kind\":"
	                            "\"value\",\"term\":\"198.51.100.0/24\""));
	assert_non_null(strstr(got, "\"retro\":1}"));
	alerts_are(&f->b.c, 0, "match(retro):" IND_A " hit(retro):gamma");
	/* an arrival in the block fires; the old term alone would not */
	post_ok(&f->a.c, f->community,
	        sco("ipv4-addr", IP_SCO, "198.51.100.200"));
	alerts_are(&f->b.c, 2, "match:" IP_SCO);
	/* checked as at creation; nothing changed by a refusal */
	ch = (struct vg_watch_change){.shared = -1, .term = "no value"};
	assert_int_equal(change(&f->b.c, w, ch, got, sizeof(got)), VG_EINVAL);
	assert_string_equal(got, "'no value' is not an address, block, "
	                         "domain, URL, e-mail address, MAC address, "
	                         "AS number or hash");
	ch = (struct vg_watch_change){
	    .shared = -1, .threshold_set = 1, .threshold = 0.5};
	assert_int_equal(change(&f->b.c, w, ch, got, sizeof(got)), VG_EINVAL);
	assert_string_equal(got, "only a name watch has a threshold");
	ch = (struct vg_watch_change){.shared = -1};
	assert_int_equal(change(&f->b.c, w, ch, got, sizeof(got)), VG_EINVAL);
	assert_string_equal(got, "nothing to change: give name, term, "
	                         "threshold, shared or webhook");
	/* another organisation's watch is none */
	ch = (struct vg_watch_change){.shared = -1, .name = "mine"};
	assert_int_equal(change(&f->a.c, w, ch, got, sizeof(got)),
	                 VG_ENOTFOUND);
	assert_int_equal(change(&f->a.c, 999, ch, got, sizeof(got)),
	                 VG_ENOTFOUND);
	/* a shared watch of gil's: gus (org-admin) renames it, not its
	 * webhook */
	int64_t q = watch(&f->g.c, "document", "X-123 4567", 1, NULL);
	ch = (struct vg_watch_change){.shared = -1, .name = "team"};
	assert_int_equal(change(&f->g2.c, q, ch, got, sizeof(got)), VG_OK);
	assert_non_null(strstr(got, "\"name\":\"team\""));
	ch = (struct vg_watch_change){.shared = -1, .webhook = ""};
	assert_int_equal(change(&f->g2.c, q, ch, got, sizeof(got)), VG_EDENIED);
	/* private again: gus no longer sees it */
	ch = (struct vg_watch_change){.shared = 0};
	assert_int_equal(change(&f->g.c, q, ch, got, sizeof(got)), VG_OK);
	ch = (struct vg_watch_change){.shared = -1, .name = "x"};
	assert_int_equal(change(&f->g2.c, q, ch, got, sizeof(got)),
	                 VG_ENOTFOUND);
}

/* The import path fires watches too; and a hit becomes a match when the
 * owner grants access. */
static void test_requests_and_grants(void **state)
{
	struct fx *f = *state;
	post_ok(&f->a.c, f->community,
	        ind(IND_A, "[ipv4-addr:value = '203.0.113.5']", NULL));
	post_ok(&f->g.c, f->org_g,
	        ind(IND_G, "[ipv4-addr:value = '203.0.113.5']", NULL));
	disclose(&f->g.c, f->org_g, 1);
	watch(&f->a.c, "value", "203.0.113.5", 0, NULL);
	alerts_are(&f->a.c, 0, "match(retro):" IND_A " hit(retro):gamma");
	corr_is(&f->a.c, IND_A,
	        "related:; hits: gamma=1[203.0.113.5]; keys: "
	        "203.0.113.5");
	/* ann asks gamma; gamma's org-admin is told and grants */
	struct vg_buf b;
	char err[300] = "";
	vg_buf_init(&b, 0);
	assert_int_equal(vg_access_request(&f->a.c, IND_A, "gamma",
	                                   "joint case", &b, err, sizeof(err)),
	                 VG_OK);
	json_equal(b.data, "{\"id\":1,\"records\":1}");
	vg_buf_reset(&b);
	assert_int_equal(vg_access_request(&f->a.c, IND_A, "beta", "x", &b, err,
	                                   sizeof(err)),
	                 VG_ENOTFOUND);
	assert_string_equal(err, "no record of 'beta' that you were told of "
	                         "matches 'indicator--aaaaaaaa" U("02") "'");
	alerts_are(&f->g2.c, 0, "request:-");
	vg_buf_reset(&b);
	assert_int_equal(vg_access_requests(&f->a.c, &b), VG_OK);
	assert_null(strstr(b.data, IND_G)); /* the requester never sees ids */
	vg_buf_reset(&b);
	assert_int_equal(vg_access_requests(&f->g2.c, &b), VG_OK);
	assert_non_null(strstr(b.data, IND_G));
	vg_buf_reset(&b);
	assert_int_equal(
	    vg_access_decide(&f->b.c, 1, NULL, 1, &b, err, sizeof(err)),
	    VG_ENOTFOUND);
	vg_buf_reset(&b);
	assert_int_equal(
	    vg_access_decide(&f->g2.c, 1, IND_G, 1, &b, err, sizeof(err)),
	    VG_OK);
	/* a grant is read at authentication: a new context sees it */
	struct vg_ctx a2;
	ctx_key(&f->h, &a2, f->a.key);
	alerts_are(&a2, 0,
	           "match(retro):" IND_A " match(retro):" IND_G " decision:-");
	corr_is(&a2, IND_A,
	        "related: " IND_G "[203.0.113.5]; hits:; keys: "
	        "203.0.113.5");
	/* revoked: back to a hit */
	vg_buf_reset(&b);
	assert_int_equal(vg_access_grants(&f->g2.c, &b), VG_OK);
	cJSON *j = cJSON_Parse(b.data);
	const cJSON *g =
	    cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "given"), 0);
	int64_t gid =
	    (int64_t)cJSON_GetObjectItemCaseSensitive(g, "id")->valuedouble;
	cJSON_Delete(j);
	assert_int_equal(vg_access_revoke(&f->a.c, gid), VG_ENOTFOUND);
	assert_int_equal(vg_access_revoke(&f->g2.c, gid), VG_OK);
	vg_ctx_release(&a2);
	ctx_key(&f->h, &a2, f->a.key);
	corr_is(&a2, IND_A,
	        "related:; hits: gamma=1[203.0.113.5]; keys: "
	        "203.0.113.5");
	vg_ctx_release(&a2);
	vg_buf_release(&b);
}

/* Link analysis and trends answer under the reader's rights: a hidden
 * object is neither a node nor a way through; counts are of what the
 * reader may see; a sudden count is a spike; signals need k. */
static void test_graph_and_trends(void **state)
{
	struct fx *f = *state;
	const char *rel =
	    "{\"type\":\"relationship\",\"spec_version\":\"2.1\","
	    "\"id\":\"%s\",\"created\":\"2024-01-01T00:00:00.000Z\","
	    "\"modified\":\"2024-01-01T00:00:00.000Z\","
	    "\"relationship_type\":\"%s\",\"source_ref\":\"%s\","
	    "\"target_ref\":\"%s\"}";
	/* a cell -- its indicator -- an address -- the network's indicator
	 * -- the network; and a private link of gamma's */
	post_ok(&f->a.c, f->community,
	        jfmt("%s,%s,%s", actor(TA_B, "Cell", NULL),
	             ind(IND_A, "[ipv4-addr:value = '198.51.100.7']", NULL),
	             jfmt(rel, "relationship--aaaaaaaa" U("31"), "indicates",
	                  IND_A, TA_B)));
	post_ok(&f->b.c, f->community,
	        jfmt("%s,%s,%s",
	             actor("threat-actor--bbbbbbbb" U("32"), "Network", NULL),
	             ind("indicator--bbbbbbbb" U("33"),
	                 "[ipv4-addr:value = '198.51.100.7']", NULL),
	             jfmt(rel, "relationship--bbbbbbbb" U("34"), "indicates",
	                  "indicator--bbbbbbbb" U("33"),
	                  "threat-actor--bbbbbbbb" U("32"))));
	post_ok(&f->g.c, f->org_g,
	        jfmt("%s,%s", person(ID_G, "Ivo Trell", NULL),
	             jfmt(rel, "relationship--cccccccc" U("35"), "related-to",
	                  ID_G, TA_B)));
	struct vg_buf b;
	vg_buf_init(&b, 0);
	assert_int_equal(vg_graph_path(&f->a.c, TA_B,
	                               "threat-actor--bbbbbbbb" U("32"), 6, &b),
	                 VG_OK);
	cJSON *j = cJSON_Parse(b.data), *x;
	assert_int_equal(
	    cJSON_GetObjectItemCaseSensitive(j, "length")->valueint, 3);
	const char *want[] = {TA_B, IND_A, "indicator--bbbbbbbb" U("33"),
	                      "threat-actor--bbbbbbbb" U("32")};
	int i = 0;
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(j, "nodes"))
	    assert_string_equal(
	        cJSON_GetObjectItemCaseSensitive(x, "id")->valuestring,
	        want[i++]);
	const cJSON *e1 =
	    cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "edges"), 1);
	assert_string_equal(
	    cJSON_GetObjectItemCaseSensitive(e1, "kind")->valuestring, "key");
	assert_string_equal(
	    cJSON_GetObjectItemCaseSensitive(e1, "label")->valuestring,
	    "198.51.100.7");
	cJSON_Delete(j);
	/* gamma's person is no node for alpha, but is for gamma */
	vg_buf_reset(&b);
	assert_int_equal(vg_graph_neighbours(&f->a.c, TA_B, 1, 0, &b), VG_OK);
	assert_null(strstr(b.data, ID_G));
	assert_non_null(strstr(b.data, IND_A));
	vg_buf_reset(&b);
	assert_int_equal(vg_graph_neighbours(&f->g.c, TA_B, 1, 0, &b), VG_OK);
	assert_non_null(strstr(b.data, ID_G));
	assert_non_null(strstr(b.data, "\"label\":\"related-to\""));
	vg_buf_reset(&b);
	assert_int_equal(vg_graph_neighbours(&f->a.c, ID_G, 1, 0, &b),
	                 VG_ENOTFOUND);
	/* groups: the two actors are one group through the address */
	vg_buf_reset(&b);
	const char *types[] = {"threat-actor"};
	assert_int_equal(vg_graph_groups(&f->a.c, types, 1, NULL, 3, 0, &b),
	                 VG_OK);
	j = cJSON_Parse(b.data);
	assert_int_equal(
	    cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "groups")),
	    1);
	assert_int_equal(
	    cJSON_GetObjectItemCaseSensitive(
	        cJSON_GetArrayItem(
	            cJSON_GetObjectItemCaseSensitive(j, "groups"), 0),
	        "size")
	        ->valueint,
	    2);
	cJSON_Delete(j);

	/* trends: one label, quiet for weeks, then eight in a day */
	char objs[8192] = "";
	for (int d = 0; d < 28; d += 7) {
		char id[80];
		snprintf(id, sizeof(id),
		         "threat-actor--dddddddd-0000-4000-8000-0000000000%02d",
		         d);
		snprintf(
		    objs + strlen(objs), sizeof(objs) - strlen(objs), "%s%s",
		    *objs ? "," : "",
		    jfmt("{\"type\":\"threat-actor\",\"spec_version\":\"2.1\","
		         "\"id\":\"%s\",\"created\":\"2024-02-%02dT00:00:00."
		         "000Z\","
		         "\"modified\":\"2024-02-%02dT00:00:00.000Z\",\"name\":"
		         "\"x\","
		         "\"labels\":[\"cell\"]}",
		         id, d + 1, d + 1));
	}
	for (int k = 0; k < 8; k++) {
		char id[80];
		snprintf(id, sizeof(id),
		         "threat-actor--eeeeeeee-0000-4000-8000-0000000000%02d",
		         k);
		snprintf(
		    objs + strlen(objs), sizeof(objs) - strlen(objs), ",%s",
		    jfmt("{\"type\":\"threat-actor\",\"spec_version\":\"2.1\","
		         "\"id\":\"%s\",\"created\":\"2024-03-10T00:00:00."
		         "000Z\","
		         "\"modified\":\"2024-03-10T00:00:00.000Z\",\"name\":"
		         "\"x\","
		         "\"labels\":[\"cell\"]}",
		         id));
	}
	post_ok(&f->b.c, f->community, objs);
	vg_buf_reset(&b);
	char err[200] = "";
	struct vg_trend_query q = {
	    .facet = "label", .since = "2024-03-01", .until = "2024-03-15"};
	assert_int_equal(vg_trends(&f->a.c, &q, &b, err, sizeof(err)), VG_OK);
	j = cJSON_Parse(b.data);
	const cJSON *sr = cJSON_GetArrayItem(
	    cJSON_GetObjectItemCaseSensitive(j, "series"), 0);
	assert_string_equal(
	    cJSON_GetObjectItemCaseSensitive(sr, "value")->valuestring, "cell");
	assert_int_equal(
	    cJSON_GetObjectItemCaseSensitive(sr, "total")->valueint, 8);
	const cJSON *sp = cJSON_GetObjectItemCaseSensitive(sr, "spikes");
	assert_int_equal(cJSON_GetArraySize(sp), 1);
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(
	                        cJSON_GetArrayItem(sp, 0), "period")
	                        ->valuestring,
	                    "2024-03-10");
	cJSON_Delete(j);
	/* weekly: the same eight, in the week of Monday 4 March */
	vg_buf_reset(&b);
	q.weekly = 1;
	assert_int_equal(vg_trends(&f->a.c, &q, &b, err, sizeof(err)), VG_OK);
	assert_non_null(
	    strstr(b.data, "{\"period\":\"2024-03-04\",\"count\":8}"));
	vg_buf_reset(&b);
	q = (struct vg_trend_query){.facet = "color"};
	assert_int_equal(vg_trends(&f->a.c, &q, &b, err, sizeof(err)),
	                 VG_EINVAL);
	assert_string_equal(
	    err, "'color' is not a facet (type, label, actor, attack, "
	         "location, sector, country, org)");
	/* signals: the address, by alpha and beta: not at k = 3 */
	vg_buf_reset(&b);
	assert_int_equal(
	    vg_trends_signals(&f->a.c, 1, NULL, &b, err, sizeof(err)), VG_OK);
	assert_non_null(strstr(b.data, "\"signals\":[]"));
	set(f, "k", "2");
	vg_buf_reset(&b);
	assert_int_equal(
	    vg_trends_signals(&f->a.c, 1, NULL, &b, err, sizeof(err)), VG_OK);
	assert_non_null(strstr(b.data,
	                       "{\"kind\":\"ip4\",\"value\":\"198.51.100.7\","
	                       "\"organisations\":2}"));
	vg_buf_release(&b);
}

/* An ingest in the server's two steps (ingest_int.h): objects parsed,
 * validated and matched with the watches of the moment on the request's
 * thread (ingest_prepared), stored later by the writer
 * (ingest_stored): what a watch made in between must see. */
static struct vg_ingest *ingest_prepared(struct fx *f, struct vg_ctx *c,
                                         const char *objects)
{
	struct vg_ingest *g = NULL;
	char body[2000], err[300] = "";
	snprintf(body, sizeof(body), "{\"objects\":[%s]}", objects);
	struct vg_ingest_opts o = {
	    .collection = f->community,
	    .owner = c->p.org,
	    .scope = VG_SCOPE_COMMUNITY,
	    .envelope = 1,
	    .svc = f->h.svc,
	};
	if (vg_ingest_prepare(body, strlen(body), &o, &g, err, sizeof(err)))
		fail_msg("prepare: %s", err);
	return g;
}

static int apply_fn(struct vg_store *s, void *arg)
{
	struct vg_ingest_counts k;
	int rc = vg_ingest_apply(s, arg, &k);
	return rc ? rc : k.accepted == 1 ? VG_OK : VG_EINVAL;
}

static void ingest_stored(struct fx *f, struct vg_ingest *g)
{
	assert_int_equal(vg__write(f->h.svc, apply_fn, g), VG_OK);
	vg_ingest_abort(g); /* frees it */
}

/* A watch made while an object is between its matching and its storing
 * fires once for it, from the storing transaction (the watch's
 * retroactive run came before the object was stored); an object stored
 * after a watch fires once on arrival, and a retroactive run that comes
 * later leaves it to that alert: each matching version alerts exactly
 * once, whatever the order. */
static void test_watch_made_during_ingest(void **state)
{
	struct fx *f = *state;
	int64_t retro = -1;
	/* matched before the watch exists, stored after it was made */
	struct vg_ingest *g = ingest_prepared(
	    f, &f->a.c, sco("ipv4-addr", IP_SCO, "198.51.100.7"));
	int64_t id = watch(&f->b.c, "value", "198.51.100.0/24", 0, &retro);
	assert_int_equal(retro, 0); /* not stored yet */
	ingest_stored(f, g);
	alerts_are(&f->b.c, 0, "match:" IP_SCO);

	/* stored after the watch: its alert on arrival; its retroactive
	 * run, were it as late, bounded by what was stored when the watch
	 * was made (nothing since), adds none */
	id = watch(&f->b.c, "value", "198.51.100.8", 0, &retro);
	assert_int_equal(retro, 0);
	int64_t horizon = 0;
	assert_int_equal(vg__watch_horizon(vg__reader(f->h.svc), &horizon),
	                 VG_OK);
	g = ingest_prepared(f, &f->a.c, sco("ipv4-addr", IP2, "198.51.100.8"));
	ingest_stored(f, g);
	/* both of bob's watches: the block and the address */
	alerts_are(&f->b.c, 0, "match:" IP_SCO " match:" IP2 " match:" IP2);
	size_t raised = 9;
	int truncated = 9;
	assert_int_equal(vg__watch_retro(&f->b.c, id, NULL, 0, horizon,
	                                 &raised, &truncated),
	                 VG_OK);
	assert_int_equal(raised, 0);
	assert_int_equal(truncated, 0);
	alerts_are(&f->b.c, 0, "match:" IP_SCO " match:" IP2 " match:" IP2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_names_and_rights, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_values_budget_exclusions,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_watches, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_watch_made_during_ingest,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_watch_changes, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_requests_and_grants, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_graph_and_trends, setup,
	                                    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
