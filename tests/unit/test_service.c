/* The service's rules on the in-memory store, through the use cases the
 * fronts call: ownership and versioning (vg_taxii_add and its status),
 * deletes, what readers of each organisation see, and what each role may
 * do, each with the exact audit entries it leaves. No SQLite, no HTTP. */
#include "svc_fixture.h"

enum {
	A_ANALYST,
	A_READER,
	A_ADMIN,
	A_ADMIN_LO,
	B_ANALYST,
	B_READER,
	C_READER,
	C_LOW,
	AUDITOR,
	N_WHO
};

static const struct who people[N_WHO] = {
    [A_ANALYST] = {"alpha-analyst", "Alpha", "analyst", "SECRET"},
    [A_READER] = {"alpha-reader", "Alpha", "reader", "UNCLASSIFIED"},
    [A_ADMIN] = {"alpha-admin", "Alpha", "org-admin", "SECRET"},
    [A_ADMIN_LO] = {"alpha-admin-lo", "Alpha", "org-admin", "RESTRICTED"},
    [B_ANALYST] = {"bravo-analyst", "Bravo", "analyst", "SECRET"},
    [B_READER] = {"bravo-reader", "Bravo", "reader", "SECRET"},
    [C_READER] = {"charlie-reader", "Charlie", "reader", "SECRET"},
    [C_LOW] = {"charlie-low", "Charlie", "reader", "UNCLASSIFIED"},
    [AUDITOR] = {"auditor", "Alpha", "auditor", "SECRET"},
};

/* Versions: the first day of a month of 2024 (v0 is January). */
#define V0 "2024-01-01T00:00:00.000Z"
#define V1 "2024-02-01T00:00:00.000Z"
#define V2 "2024-03-01T00:00:00.000Z"
#define V3 "2024-04-01T00:00:00.000Z"
#define V4 "2024-05-01T00:00:00.000Z"

/* Ids end in the two characters the summaries show. */
#define OID(xx) "indicator--00000000-0000-4000-8000-0000000000" xx

struct world {
	struct hub h;
	struct who w[N_WHO];
	struct log log;
	char community[40], all[40], joint[40], org_alpha[40];
	int64_t alpha, bravo, charlie;
};

static struct world *world_new(const char *name)
{
	struct world *w = calloc(1, sizeof(*w));
	assert_non_null(w);
	hub_open(&w->h, name, 0);
	org_add(&w->h, "Alpha");
	org_add(&w->h, "Bravo");
	org_add(&w->h, "Charlie");
	group_make(&w->h, "Joint", "Alpha", "Bravo", NULL);
	for (int i = 0; i < N_WHO; i++) {
		w->w[i] = people[i];
		who_add(&w->h, &w->w[i]);
	}
	w->alpha = w->w[A_ANALYST].c.p.org;
	w->bravo = w->w[B_ANALYST].c.p.org;
	w->charlie = w->w[C_READER].c.p.org;
	coll_id(&w->h, "community", w->community);
	coll_id(&w->h, "all", w->all);
	coll_id(&w->h, "group-joint", w->joint);
	coll_id(&w->h, "org-alpha", w->org_alpha);
	log_read(&w->h, &w->log); /* what follows is the test's */
	return w;
}

/* After all of a test, the audit chain holds: every entry in place. */
static void world_free(struct world *w)
{
	struct vg_ctx op;
	struct vg_audit_verified v = {.checkpoints = -1};
	char err[200];
	ctx_operator(&w->h, &op);
	assert_int_equal(
	    vg_audit_verify(&op, NULL, NULL, &v, err, sizeof(err)), VG_OK);
	assert_string_equal(err, "");
	assert_true(v.entries >= w->log.mark);
	assert_int_equal(v.checkpoints, 0);
	vg_ctx_release(&op);
	for (int i = 0; i < N_WHO; i++)
		vg_ctx_release(&w->w[i].c);
	log_free(&w->log);
	hub_close(&w->h);
	free(w);
}

/* The one entry since the last look is who's. */
static void one_entry(struct world *w, int who, const char *action,
                      const char *target, const char *detail)
{
	log_read(&w->h, &w->log);
	log_count(&w->log, 1);
	entry_is(&w->log, 0, action, target, detail, w->w[who].name,
	         w->w[who].c.p.org, w->w[who].auth);
	assert_string_equal(w->log.v[0].source, USER_SOURCE);
}

/* who posted to collection coll_id: the status resource sid and its
 * counts are on record. */
static void add_logged(struct world *w, int who, const char *coll_id,
                       const char *sid, int accepted, int duplicates,
                       int rejected)
{
	one_entry(
	    w, who, "objects.add", coll_id,
	    jfmt("{\"collection\":\"%s\",\"status\":\"%s\",\"accepted\":%d,"
	         "\"duplicates\":%d,\"rejected\":%d}",
	         coll_id, sid, accepted, duplicates, rejected));
}

/* Post one object and expect exactly these status lists and counts. */
static void post_one(struct world *w, int who, const char *coll,
                     const char *coll_id, char *obj, const char *successes,
                     const char *failures, int accepted, int duplicates,
                     int rejected)
{
	char *st, err[300], sid[37];
	struct vg_ingest_counts k;
	assert_int_equal(
	    post(&w->w[who].c, coll, obj, &st, &k, err, sizeof(err)), VG_OK);
	status_is(st, successes, failures, sid);
	assert_int_equal(k.accepted, accepted);
	assert_int_equal(k.duplicates, duplicates);
	assert_int_equal(k.rejected, rejected);
	add_logged(w, who, coll_id, sid, accepted, duplicates, rejected);
	free(st);
	free(obj);
}

static const char *ok_item(const char *id, const char *version,
                           const char *message)
{
	return message
	           ? jfmt("{\"id\":\"%s\",\"version\":\"%s\",\"message\":\"%"
	                  "s\"}",
	                  id, version, message)
	           : jfmt("{\"id\":\"%s\",\"version\":\"%s\"}", id, version);
}

#define DENIED_MSG(id)                                                         \
	"object '" id "': $.id: belongs to another organisation; only its "    \
	"owner may add versions"
#define AFTER_REVOKED_MSG(id)                                                  \
	"object '" id "': $.modified: the stored version is revoked; no "      \
	"version may follow it"
#define REVOKED_OLDER_MSG(id)                                                  \
	"object '" id "': $.revoked: a newer version is stored, so this one "  \
	"may not be revoked"

/* The id of collection alias, as the world knows it. */
static const char *cid(const struct world *w, const char *alias)
{
	return !strcmp(alias, "community")   ? w->community
	       : !strcmp(alias, "all")       ? w->all
	       : !strcmp(alias, "org-alpha") ? w->org_alpha
	                                     : w->joint;
}

/* Expect a page of indicators of coll as seen by who (version: NULL,
 * "first" or "all"), and its one audit entry. */
static void sees(struct world *w, int who, const char *coll,
                 enum vg_taxii_page kind, const char *oid, const char *version,
                 const char *want)
{
	static const char *const actions[] = {
	    "objects.read",
	    "manifest.read",
	    "versions.read",
	    "object.read",
	};
	char got[1024], err[200];
	int rc = page(&w->w[who].c, coll, kind, oid, version, got, sizeof(got),
	              err, sizeof(err));
	if (rc)
		fail_msg("%s reading %s: %s %s", w->w[who].name, coll,
		         vg_err_name(rc), err);
	assert_string_equal(got, want);
	int count = 0;
	for (const char *p = want; *p; p++)
		count += *p == '@';
	unsigned bits = !version ? 0 : !strcmp(version, "first") ? 2 : 8;
	one_entry(w, who, actions[kind], oid ? oid : cid(w, coll),
	          jfmt("{\"collection\":\"%s\",\"count\":%d,"
	               "\"filter\":\"a=0|v=%u|i=|t=indicator|k=|s=\"}",
	               cid(w, coll), count, bits));
}

static void test_versions(void **state)
{
	(void)state;
	struct world *w = world_new("versions");
	const char *x = OID("a1"), *z = OID("a2"), *y = OID("b1");
	char buf[4096];

	/* a new object, then a new version by its owner: the latest */
	post_one(w, A_ANALYST, "community", w->community,
	         indicator(x, V1, "", NULL), jfmt("[%s]", ok_item(x, V1, NULL)),
	         "[]", 1, 0, 0);
	sees(w, C_READER, "community", VG_PAGE_OBJECTS, NULL, NULL, "a1@v1");
	post_one(w, A_ANALYST, "community", w->community,
	         indicator(x, V2, "", NULL), jfmt("[%s]", ok_item(x, V2, NULL)),
	         "[]", 1, 0, 0);
	sees(w, C_READER, "community", VG_PAGE_OBJECTS, NULL, NULL, "a1@v2");
	sees(w, C_READER, "community", VG_PAGE_VERSIONS, x, NULL,
	     "a1@v1 a1@v2");

	/* the same (id, modified) again */
	post_one(
	    w, A_ANALYST, "community", w->community, indicator(x, V2, "", NULL),
	    jfmt("[%s]", ok_item(x, V2, "already present")), "[]", 0, 1, 0);

	/* an older version arriving later: stored, not the latest */
	post_one(w, A_ANALYST, "community", w->community,
	         indicator(x, V0, "", NULL), jfmt("[%s]", ok_item(x, V0, NULL)),
	         "[]", 1, 0, 0);
	sees(w, C_READER, "community", VG_PAGE_OBJECTS, NULL, NULL, "a1@v2");
	sees(w, C_READER, "community", VG_PAGE_OBJECT, x, NULL, "a1@v2");
	sees(w, C_READER, "community", VG_PAGE_VERSIONS, x, NULL,
	     "a1@v1 a1@v2 a1@v0");
	sees(w, C_READER, "community", VG_PAGE_MANIFEST, NULL, "first",
	     "a1@v0");

	/* another organisation's new version of the id: refused, and
	 * nothing of it is stored; its own new object is fine */
	post_one(w, B_ANALYST, "community", w->community,
	         indicator(x, V3, "", NULL), "[]",
	         jfmt("[%s]", ok_item(x, V3, DENIED_MSG(OID("a1")))), 0, 0, 1);
	post_one(w, B_ANALYST, "all", w->all, indicator(x, V3, "", NULL), "[]",
	         jfmt("[%s]", ok_item(x, V3, DENIED_MSG(OID("a1")))), 0, 0, 1);
	post_one(w, B_ANALYST, "community", w->community,
	         indicator(y, V1, "", NULL), jfmt("[%s]", ok_item(y, V1, NULL)),
	         "[]", 1, 0, 0);
	sees(w, C_READER, "community", VG_PAGE_OBJECTS, NULL, NULL,
	     "a1@v2 b1@v1");
	sees(w, C_READER, "community", VG_PAGE_VERSIONS, x, NULL,
	     "a1@v1 a1@v2 a1@v0");
	sees(w, C_READER, "all", VG_PAGE_OBJECTS, NULL, NULL, "");

	/* revocation is final: the revoked version is the latest, nothing
	 * follows it; a revoked version older than a stored one is refused */
	post_one(w, A_ANALYST, "community", w->community,
	         indicator(x, V3, "", ",\"revoked\":true"),
	         jfmt("[%s]", ok_item(x, V3, NULL)), "[]", 1, 0, 0);
	sees(w, C_READER, "community", VG_PAGE_OBJECT, x, NULL, "a1@v3!");
	post_one(w, A_ANALYST, "community", w->community,
	         indicator(z, V2, "", NULL), jfmt("[%s]", ok_item(z, V2, NULL)),
	         "[]", 1, 0, 0);
	/* a revoked version after the revoked one follows it too */
	post_one(w, A_ANALYST, "community", w->community,
	         indicator(x, V4, "", ",\"revoked\":true"), "[]",
	         jfmt("[%s]", ok_item(x, V4, AFTER_REVOKED_MSG(OID("a1")))), 0,
	         0, 1);
	/* one envelope: each object has its own outcome, in order */
	char *ids[3] = {indicator(x, V4, "", NULL),
	                indicator(z, V1, "", ",\"revoked\":true"),
	                indicator(OID("a3"), V1, "", NULL)};
	snprintf(buf, sizeof(buf), "%s,%s,%s", ids[0], ids[1], ids[2]);
	for (int i = 0; i < 3; i++)
		free(ids[i]);
	post_one(w, A_ANALYST, "community", w->community, strdup(buf),
	         jfmt("[%s]", ok_item(OID("a3"), V1, NULL)),
	         jfmt("[%s,%s]", ok_item(x, V4, AFTER_REVOKED_MSG(OID("a1"))),
	              ok_item(z, V1, REVOKED_OLDER_MSG(OID("a2")))),
	         1, 0, 2);
	/* the refusals stored nothing */
	sees(w, A_ANALYST, "community", VG_PAGE_VERSIONS, x, NULL,
	     "a1@v1 a1@v2 a1@v0 a1@v3");
	sees(w, A_ANALYST, "community", VG_PAGE_VERSIONS, z, NULL, "a2@v2");
	sees(w, C_READER, "community", VG_PAGE_OBJECTS, NULL, NULL,
	     "b1@v1 a1@v3! a2@v2 a3@v1");
	world_free(w);
}

static void test_delete(void **state)
{
	(void)state;
	struct world *w = world_new("delete");
	struct vg_taxii_filter all = {0}, v2 = {0};
	const char *d = OID("d1"), *red = OID("d2"), *missing = OID("d9");
	char err[200];
	assert_int_equal(
	    vg_taxii_filter_add(&v2, "match[version]", V2, err, sizeof(err)),
	    VG_OK);
	post_one(w, A_ANALYST, "community", w->community,
	         indicator(d, V1, "", NULL), jfmt("[%s]", ok_item(d, V1, NULL)),
	         "[]", 1, 0, 0);
	post_one(w, A_ANALYST, "community", w->community,
	         indicator(d, V2, "", NULL), jfmt("[%s]", ok_item(d, V2, NULL)),
	         "[]", 1, 0, 0);
	/* Bravo cannot hold a copy of a version Alpha made */
	post_one(w, B_ANALYST, "community", w->community,
	         indicator(d, V1, "", NULL), "[]",
	         jfmt("[%s]", ok_item(d, V1, DENIED_MSG(OID("d1")))), 0, 0, 1);
	post_one(w, A_ANALYST, "community", w->community,
	         indicator(red, V1, "\"" TLP_RED "\"", NULL),
	         jfmt("[%s]", ok_item(red, V1, NULL)), "[]", 1, 0, 0);
	sees(w, C_READER, "community", VG_PAGE_VERSIONS, d, NULL,
	     "d1@v1 d1@v2");

	/* nothing of it is Bravo's: refused */
	assert_int_equal(vg_taxii_delete(&w->w[B_ANALYST].c, "community", d,
	                                 &all, err, sizeof(err)),
	                 VG_EDENIED);
	one_entry(w, B_ANALYST, "object.delete", d,
	          jfmt("{\"collection\":\"%s\",\"refused\":\"not the owner\"}",
	               w->community));

	/* the owner deletes its newest version: the one before is the
	 * latest again (the store's check agrees on the flag) */
	assert_int_equal(vg_taxii_delete(&w->w[A_ANALYST].c, "community", d,
	                                 &v2, err, sizeof(err)),
	                 VG_OK);
	one_entry(w, A_ANALYST, "object.delete", d,
	          jfmt("{\"collection\":\"%s\",\"deleted\":1}", w->community));
	sees(w, C_READER, "community", VG_PAGE_OBJECTS, NULL, NULL, "d1@v1");
	sees(w, C_READER, "community", VG_PAGE_OBJECT, d, NULL, "d1@v1");
	sees(w, C_READER, "community", VG_PAGE_VERSIONS, d, NULL, "d1@v1");
	struct vg_ctx op;
	ctx_operator(&w->h, &op);
	assert_int_equal(vg_objects_check(&op, err, sizeof(err)), VG_OK);
	/* that version again: nothing matches */
	assert_int_equal(vg_taxii_delete(&w->w[A_ANALYST].c, "community", d,
	                                 &v2, err, sizeof(err)),
	                 VG_ENOTFOUND);
	assert_string_equal(err, "no such object");

	/* invisible and missing objects answer alike, and are on record */
	log_read(&w->h, &w->log);
	const char *targets[] = {red, missing};
	for (int i = 0; i < 2; i++) {
		err[0] = '\0';
		assert_int_equal(vg_taxii_delete(&w->w[B_ANALYST].c,
		                                 "community", targets[i], &all,
		                                 err, sizeof(err)),
		                 VG_ENOTFOUND);
		assert_string_equal(err, "no such object");
		one_entry(
		    w, B_ANALYST, "object.delete", targets[i],
		    jfmt("{\"collection\":\"%s\",\"refused\":\"not found\"}",
		         w->community));
	}
	/* a reader may not delete at all; an invisible collection is missing */
	assert_int_equal(vg_taxii_delete(&w->w[B_READER].c, "community", d,
	                                 &all, err, sizeof(err)),
	                 VG_EDENIED);
	one_entry(w, B_READER, "access.denied", "object.delete",
	          "{\"needs\":\"write\",\"role\":\"reader\"}");
	assert_int_equal(vg_taxii_delete(&w->w[B_ANALYST].c, "org-alpha", d,
	                                 &all, err, sizeof(err)),
	                 VG_ENOTFOUND);
	assert_string_equal(err, "no such collection");
	one_entry(w, B_ANALYST, "collection.read", "org-alpha",
	          "{\"found\":false}");

	/* the owner deletes the rest: gone for everyone */
	assert_int_equal(vg_taxii_delete(&w->w[A_ANALYST].c, "community", d,
	                                 &all, err, sizeof(err)),
	                 VG_OK);
	one_entry(w, A_ANALYST, "object.delete", d,
	          jfmt("{\"collection\":\"%s\",\"deleted\":1}", w->community));
	char got[200];
	const int readers[] = {A_ANALYST, C_READER};
	for (int i = 0; i < 2; i++) {
		assert_int_equal(page(&w->w[readers[i]].c, "community",
		                      VG_PAGE_OBJECT, d, NULL, got, sizeof(got),
		                      err, sizeof(err)),
		                 VG_ENOTFOUND);
		assert_string_equal(err, "no such object");
		one_entry(w, readers[i], "object.read", d,
		          jfmt("{\"collection\":\"%s\",\"count\":0,\"filter\":"
		               "\"a=0|v=0|i=|t=indicator|k=|s=\"}",
		               w->community));
	}
	sees(w, A_ANALYST, "community", VG_PAGE_OBJECTS, NULL, NULL, "d2@v1");
	assert_int_equal(vg_objects_check(&op, err, sizeof(err)), VG_OK);
	vg_ctx_release(&op);
	vg_taxii_filter_release(&v2);
	world_free(w);
}

static void test_access(void **state)
{
	(void)state;
	struct world *w = world_new("access");
	char lv[N_LEVELS][100];
	for (int i = 0; i < N_LEVELS; i++)
		snprintf(lv[i], sizeof(lv[i]), "\"%s\"", w->h.levels[i]);
	/* g: green; r: red; s: green and SECRET; j: red in the group; p:
	 * Alpha's private collection */
	const char *g = OID("e1"), *r = OID("e2"), *s = OID("e3"),
	           *j = OID("e4"), *p = OID("e5");
	char *objs[] = {
	    indicator(g, V1, "\"" TLP_GREEN "\"", NULL),
	    indicator(r, V1, "\"" TLP_RED "\"", NULL),
	    indicator(s, V1, jfmt("\"%s\",%s", TLP_GREEN, lv[SECRET]), NULL),
	    indicator(j, V1, "\"" TLP_RED "\"", NULL),
	    indicator(p, V1, "\"" TLP_GREEN "\"", NULL),
	};
	const char *where[] = {"community", "community", "community",
	                       "group-joint", "org-alpha"};
	for (int i = 0; i < 5; i++) {
		char *st, err[200];
		struct vg_ingest_counts k;
		assert_int_equal(post(&w->w[A_ANALYST].c, where[i], objs[i],
		                      &st, &k, err, sizeof(err)),
		                 VG_OK);
		assert_int_equal(k.accepted, 1);
		free(st);
		free(objs[i]);
	}
	log_read(&w->h, &w->log);
	/* community: TLP:RED only for the owner, SECRET only with clearance */
	sees(w, A_ANALYST, "community", VG_PAGE_OBJECTS, NULL, NULL,
	     "e1@v1 e2@v1 e3@v1");
	sees(w, A_READER, "community", VG_PAGE_OBJECTS, NULL, NULL,
	     "e1@v1 e2@v1");
	sees(w, B_READER, "community", VG_PAGE_OBJECTS, NULL, NULL,
	     "e1@v1 e3@v1");
	sees(w, C_READER, "community", VG_PAGE_OBJECTS, NULL, NULL,
	     "e1@v1 e3@v1");
	sees(w, C_LOW, "community", VG_PAGE_OBJECTS, NULL, NULL, "e1@v1");
	sees(w, C_LOW, "community", VG_PAGE_MANIFEST, NULL, NULL, "e1@v1");
	/* the group: its members only, TLP:RED included */
	sees(w, B_READER, "group-joint", VG_PAGE_OBJECTS, NULL, NULL, "e4@v1");
	sees(w, A_READER, "group-joint", VG_PAGE_OBJECTS, NULL, NULL, "e4@v1");
	sees(w, A_READER, "org-alpha", VG_PAGE_OBJECTS, NULL, NULL, "e5@v1");
	/* what may not be seen answers as what does not exist */
	struct {
		int who;
		const char *coll, *oid, *err;
	} no[] = {
	    {C_READER, "group-joint", NULL, "no such collection"},
	    {B_READER, "org-alpha", NULL, "no such collection"},
	    {AUDITOR, "community", NULL, "no such collection"},
	    {C_READER, "community", r, "no such object"},
	    {C_LOW, "community", s, "no such object"},
	    {A_READER, "community", s, "no such object"},
	    {C_READER, "community", OID("e9"), "no such object"},
	};
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		char got[100], err[100];
		int rc =
		    page(&w->w[no[i].who].c, no[i].coll,
		         no[i].oid ? VG_PAGE_OBJECT : VG_PAGE_OBJECTS,
		         no[i].oid, NULL, got, sizeof(got), err, sizeof(err));
		assert_int_equal(rc, VG_ENOTFOUND);
		assert_string_equal(err, no[i].err);
		rc = page(&w->w[no[i].who].c, no[i].coll,
		          no[i].oid ? VG_PAGE_VERSIONS : VG_PAGE_MANIFEST,
		          no[i].oid, NULL, got, sizeof(got), err, sizeof(err));
		assert_int_equal(rc, VG_ENOTFOUND);
		assert_string_equal(err, no[i].err);
	}
	/* the auditor lists no collection; the operator reads everything */
	struct vg_buf b;
	vg_buf_init(&b, 0);
	assert_int_equal(vg_taxii_collections(&w->w[AUDITOR].c, &b), VG_OK);
	assert_string_equal(b.data, "{}");
	vg_buf_release(&b);
	struct vg_ctx op;
	char got[200], err[100];
	ctx_operator(&w->h, &op);
	assert_int_equal(page(&op, "community", VG_PAGE_OBJECTS, NULL, NULL,
	                      got, sizeof(got), err, sizeof(err)),
	                 VG_OK);
	assert_string_equal(got, "e1@v1 e2@v1 e3@v1");
	for (int i = 0; i < 2; i++) {
		assert_int_equal(page(&op, i ? "org-alpha" : "group-joint",
		                      VG_PAGE_OBJECTS, NULL, NULL, got,
		                      sizeof(got), err, sizeof(err)),
		                 VG_OK);
		assert_string_equal(got, i ? "e5@v1" : "e4@v1");
	}
	vg_ctx_release(&op);
	world_free(w);
}

static void test_roles(void **state)
{
	(void)state;
	struct world *w = world_new("roles");
	char err[300], key[VG_KEY_TEXT_LEN], *st = NULL;
	const char *deny_fmt = "{\"needs\":\"%s\",\"role\":\"%s\"}";
	struct vg_ctx *admin = &w->w[A_ADMIN].c, *reader = &w->w[A_READER].c;

	/* a reader may not add objects */
	char *obj = indicator(OID("f1"), V1, "", NULL);
	assert_int_equal(
	    post(reader, "community", obj, &st, NULL, err, sizeof(err)),
	    VG_EDENIED);
	assert_string_equal(err, "no write access to this collection");
	one_entry(w, A_READER, "access.denied", "objects.add",
	          jfmt(deny_fmt, "write", "reader"));
	/* the auditor sees no collection to add to */
	assert_int_equal(post(&w->w[AUDITOR].c, "community", obj, &st, NULL,
	                      err, sizeof(err)),
	                 VG_ENOTFOUND);
	assert_string_equal(err, "no such collection");
	one_entry(w, AUDITOR, "collection.read", "community",
	          "{\"found\":false}");
	free(obj);

	/* an org-admin: users of its organisation below hub-admin, at most
	 * its own clearance */
	assert_int_equal(vg_user_add(admin, "newbie", "Alpha", "hub-admin",
	                             NULL, err, sizeof(err)),
	                 VG_EDENIED);
	assert_string_equal(err, "the role does not allow adding a user with "
	                         "role 'hub-admin' to 'Alpha'");
	one_entry(w, A_ADMIN, "access.denied", "user.add",
	          jfmt(deny_fmt, "hub-admin", "org-admin"));
	assert_int_equal(vg_user_add(admin, "newbie", "Bravo", "reader", NULL,
	                             err, sizeof(err)),
	                 VG_EDENIED);
	one_entry(w, A_ADMIN, "access.denied", "user.add",
	          jfmt(deny_fmt, "hub-admin", "org-admin"));
	assert_int_equal(vg_user_add(&w->w[A_ADMIN_LO].c, "newbie", "Alpha",
	                             "analyst", "SECRET", err, sizeof(err)),
	                 VG_EDENIED);
	one_entry(w, A_ADMIN_LO, "access.denied", "user.add",
	          jfmt(deny_fmt, "hub-admin", "org-admin"));
	assert_int_equal(vg_user_add(admin, "newbie", "Alpha", "analyst",
	                             "CONFIDENTIAL", err, sizeof(err)),
	                 VG_OK);
	one_entry(w, A_ADMIN, "user.add", "newbie",
	          jfmt("{\"org\":%lld,\"role\":\"analyst\",\"clearance\":%d}",
	               (long long)w->alpha, CONFIDENTIAL));
	/* a reader may not add users at all */
	assert_int_equal(vg_user_add(reader, "newbie2", "Alpha", "reader", NULL,
	                             err, sizeof(err)),
	                 VG_EDENIED);
	one_entry(w, A_READER, "access.denied", "user.add",
	          jfmt(deny_fmt, "org-admin", "reader"));

	/* another organisation's users and keys are missing to an
	 * org-admin: the same answer and the same entry as for none */
	const char *names[] = {"bravo-reader", "nobody"};
	const char *refused = "{\"refused\":\"not found\"}";
	for (int i = 0; i < 2; i++) {
		char want[100];
		snprintf(want, sizeof(want), "no user '%s'", names[i]);
		assert_int_equal(
		    vg_user_disable(admin, names[i], err, sizeof(err)),
		    VG_ENOTFOUND);
		assert_string_equal(err, want);
		one_entry(w, A_ADMIN, "user.disable", names[i], refused);
		assert_int_equal(
		    vg_key_new(admin, names[i], 0, key, err, sizeof(err)),
		    VG_ENOTFOUND);
		assert_string_equal(err, want);
		one_entry(w, A_ADMIN, "key.new", names[i], refused);
	}
	const char *ids[] = {w->w[B_READER].key_id, "0123456789abcdef"};
	for (int i = 0; i < 2; i++) {
		assert_int_equal(vg_key_revoke(admin, ids[i], err, sizeof(err)),
		                 VG_ENOTFOUND);
		assert_string_equal(err, jfmt("no key '%s'", ids[i]));
		one_entry(w, A_ADMIN, "key.revoke", ids[i], refused);
	}

	/* users manage their own keys, and only theirs */
	char own[VG_KEY_TEXT_LEN], own_id[17];
	assert_int_equal(
	    vg_key_new(reader, "alpha-reader", 30, own, err, sizeof(err)),
	    VG_OK);
	snprintf(own_id, sizeof(own_id), "%.16s", own + 4);
	one_entry(w, A_READER, "key.new", own_id,
	          "{\"user\":\"alpha-reader\",\"expires_days\":30}");
	assert_int_equal(
	    vg_key_new(reader, "alpha-analyst", 0, key, err, sizeof(err)),
	    VG_EDENIED);
	assert_string_equal(err,
	                    "the role does not allow keys for 'alpha-analyst'");
	one_entry(w, A_READER, "access.denied", "key.new",
	          jfmt(deny_fmt, "hub-admin", "reader"));
	assert_int_equal(
	    vg_key_revoke(reader, w->w[A_ANALYST].key_id, err, sizeof(err)),
	    VG_EDENIED);
	one_entry(w, A_READER, "access.denied", "key.revoke",
	          jfmt(deny_fmt, "hub-admin", "reader"));
	assert_int_equal(vg_key_revoke(reader, own_id, err, sizeof(err)),
	                 VG_OK);
	one_entry(w, A_READER, "key.revoke", own_id, "{}");
	/* the revoked key no longer authenticates; the failure is on record */
	struct vg_ctx c;
	enum vg_auth_result res;
	vg_ctx_init(&c, w->h.svc, VG_CHANNEL_HTTP, USER_SOURCE);
	assert_int_equal(vg_ctx_authenticate(&c, VG_CRED_BEARER, own, NULL,
	                                     "/taxii2/x/", &res),
	                 VG_OK);
	assert_int_equal(res, VG_AUTH_REVOKED);
	assert_int_equal(c.authenticated, 0);
	vg_ctx_release(&c);
	log_read(&w->h, &w->log);
	log_count(&w->log, 1);
	entry_is(&w->log, 0, "auth.fail", "",
	         "{\"reason\":\"revoked key\",\"path\":\"/taxii2/x/\"}", "-", 0,
	         "");
	/* an org-admin manages the keys of its organisation's users */
	assert_int_equal(
	    vg_key_revoke(admin, w->w[A_ANALYST].key_id, err, sizeof(err)),
	    VG_OK);
	one_entry(w, A_ADMIN, "key.revoke", w->w[A_ANALYST].key_id, "{}");
	assert_int_equal(
	    vg_user_disable(admin, "alpha-reader", err, sizeof(err)), VG_OK);
	one_entry(w, A_ADMIN, "user.disable", "alpha-reader", "{}");
	/* its key no longer authenticates */
	vg_ctx_init(&c, w->h.svc, VG_CHANNEL_HTTP, USER_SOURCE);
	assert_int_equal(vg_ctx_authenticate(&c, VG_CRED_BEARER,
	                                     w->w[A_READER].key, NULL, "/p/",
	                                     &res),
	                 VG_OK);
	assert_int_equal(res, VG_AUTH_DISABLED);
	assert_int_equal(c.authenticated, 0);
	vg_ctx_release(&c);
	log_read(&w->h, &w->log);
	log_count(&w->log, 1);
	/* as for any key that fails, the entry names no one */
	entry_is(&w->log, 0, "auth.fail", "",
	         "{\"reason\":\"disabled user\",\"path\":\"/p/\"}", "-", 0, "");
	/* but not hub-wide ones */
	assert_int_equal(vg_org_add(admin, "Delta", err, sizeof(err)),
	                 VG_EDENIED);
	one_entry(w, A_ADMIN, "access.denied", "org.add",
	          jfmt(deny_fmt, "hub-admin", "org-admin"));
	assert_int_equal(vg_group_add(admin, "Other", err, sizeof(err)),
	                 VG_EDENIED);
	one_entry(w, A_ADMIN, "access.denied", "group.add",
	          jfmt(deny_fmt, "hub-admin", "org-admin"));

	/* a failed authentication leaves no principal behind: a disabled
	 * hub-admin's context is refused what a hub-admin may do */
	struct vg_ctx op;
	struct vg_hub_counts counts;
	ctx_operator(&w->h, &op);
	assert_int_equal(vg_user_disable(&op, "admin", err, sizeof(err)),
	                 VG_OK);
	vg_ctx_release(&op);
	vg_ctx_init(&c, w->h.svc, VG_CHANNEL_HTTP, USER_SOURCE);
	assert_int_equal(vg_ctx_authenticate(&c, VG_CRED_BEARER, w->h.admin_key,
	                                     NULL, "/metrics", &res),
	                 VG_OK);
	assert_int_equal(res, VG_AUTH_DISABLED);
	assert_int_equal(c.p.role, VG_ROLE_READER);
	assert_int_equal(c.p.org, 0);
	assert_string_equal(c.user, "-");
	assert_int_equal(vg_metrics_read(&c, &counts), VG_EDENIED);
	vg_ctx_release(&c);
	log_read(&w->h, &w->log);
	log_count(&w->log, 3);
	entry_is(&w->log, 1, "auth.fail", "",
	         "{\"reason\":\"disabled user\",\"path\":\"/metrics\"}", "-", 0,
	         "");
	entry_is(&w->log, 2, "access.denied", "metrics.read",
	         "{\"needs\":\"hub-admin or audit\",\"role\":\"reader\"}", "-",
	         0, "");
	world_free(w);
}

/* A memory hub outlives the handle that created it, until it is dropped:
 * vg_hub_create closes its handle, and the service opens the hub after. */
static void test_memory_hub(void **state)
{
	(void)state;
	if (test_pg())
		skip(); /* the memory store's own lifetime */
	struct hub h;
	char key[VG_KEY_TEXT_LEN], err[200] = "";
	struct vg_hub_init in = {0};
	hub_open(&h, "memory-hub", 0);
	assert_string_equal(vg_service_hub_name(h.svc), "test hub");
	/* a second handle sees the same store: the hub exists */
	assert_int_equal(
	    vg_hub_create(h.location, &in, OP_LOGIN, key, NULL, err,
	                  sizeof(err)),
	    VG_EDUPLICATE);
	vg_service_close(h.svc);
	/* closed, still there */
	struct vg_service_conf c = {.location = h.location};
	assert_int_equal(vg_service_open(&c, &h.svc, err, sizeof(err)), VG_OK);
	vg_service_close(h.svc);
	vg_store_memory_drop(h.name);
	assert_int_equal(vg_service_open(&c, &h.svc, err, sizeof(err)),
	                 VG_ENOTFOUND);
	assert_string_equal(err, "no store 'memory:memory-hub'");
	/* dropped while open: gone when the last handle closes */
	hub_open(&h, "memory-hub", 0);
	vg_store_memory_drop(h.name);
	struct vg_ctx op;
	char got[100];
	ctx_operator(&h, &op);
	assert_int_equal(page(&op, "community", VG_PAGE_OBJECTS, NULL, NULL,
	                      got, sizeof(got), err, sizeof(err)),
	                 VG_OK);
	assert_string_equal(got, "");
	vg_service_close(h.svc);
	assert_int_equal(vg_service_open(&c, &h.svc, err, sizeof(err)),
	                 VG_ENOTFOUND);
	vg_store_memory_drop(h.name); /* unknown: nothing happens */
}

/* Revocation is final for the object, not for one collection: nothing
 * follows a revoked version in any collection, and a revoked version may
 * not arrive older than one stored anywhere. Only the owner's versions
 * count: another organisation's revoked copy blocks nothing. */
static void test_revocation_across_collections(void **state)
{
	(void)state;
	struct world *w = world_new("revocation");
	const char *x = OID("c1"), *z = OID("c2"), *y = OID("c3");
	const char *revoked = ",\"revoked\":true";
	post_one(w, A_ANALYST, "community", w->community,
	         indicator(x, V1, "", NULL), jfmt("[%s]", ok_item(x, V1, NULL)),
	         "[]", 1, 0, 0);
	post_one(w, A_ANALYST, "community", w->community,
	         indicator(x, V2, "", revoked),
	         jfmt("[%s]", ok_item(x, V2, NULL)), "[]", 1, 0, 0);
	/* after the revoked version: not here, not elsewhere, revoked or not */
	post_one(w, A_ANALYST, "all", w->all, indicator(x, V3, "", NULL), "[]",
	         jfmt("[%s]", ok_item(x, V3, AFTER_REVOKED_MSG(OID("c1")))), 0,
	         0, 1);
	post_one(w, A_ANALYST, "community", w->community,
	         indicator(x, V3, "", revoked), "[]",
	         jfmt("[%s]", ok_item(x, V3, AFTER_REVOKED_MSG(OID("c1")))), 0,
	         0, 1);
	/* the revoked version itself may be shared further */
	post_one(w, A_ANALYST, "all", w->all, indicator(x, V2, "", revoked),
	         jfmt("[%s]", ok_item(x, V2, NULL)), "[]", 1, 0, 0);
	sees(w, C_READER, "all", VG_PAGE_VERSIONS, x, NULL, "c1@v2");
	/* a revoked version older than one stored in another collection */
	post_one(w, A_ANALYST, "all", w->all, indicator(z, V2, "", NULL),
	         jfmt("[%s]", ok_item(z, V2, NULL)), "[]", 1, 0, 0);
	post_one(w, A_ANALYST, "community", w->community,
	         indicator(z, V1, "", revoked), "[]",
	         jfmt("[%s]", ok_item(z, V1, REVOKED_OLDER_MSG(OID("c2")))), 0,
	         0, 1);
	sees(w, C_READER, "community", VG_PAGE_OBJECTS, NULL, NULL, "c1@v2!");
	/* Bravo cannot revoke Alpha's object, nor block it */
	post_one(w, A_ANALYST, "community", w->community,
	         indicator(y, V1, "", NULL), jfmt("[%s]", ok_item(y, V1, NULL)),
	         "[]", 1, 0, 0);
	post_one(w, B_ANALYST, "all", w->all, indicator(y, V1, "", revoked),
	         "[]", jfmt("[%s]", ok_item(y, V1, DENIED_MSG(OID("c3")))), 0,
	         0, 1);
	post_one(w, A_ANALYST, "all", w->all, indicator(y, V2, "", NULL),
	         jfmt("[%s]", ok_item(y, V2, NULL)), "[]", 1, 0, 0);
	world_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_memory_hub),
	    cmocka_unit_test(test_versions),
	    cmocka_unit_test(test_revocation_across_collections),
	    cmocka_unit_test(test_delete),
	    cmocka_unit_test(test_access),
	    cmocka_unit_test(test_roles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
