/* The authorisation matrix of tests/integration/test_authz.py, against the
 * service API directly (no HTTP, the in-memory store): the same three
 * organisations (Alpha, Bravo, Charlie) and sharing group (Joint: Alpha
 * and Bravo), a user of every role at a high (SECRET) and a low
 * (UNCLASSIFIED) clearance in each organisation plus the hub's admin,
 * and the same objects: Alpha's SECRET analyst posts indicators into
 * Alpha's private collection, the community, connected and all
 * collections and the group's collection, with every TLP at UNCLASSIFIED
 * and at SECRET, each in two versions, plus objects whose versions differ
 * in TLP or classification and one carrying both classification
 * markings.
 *
 * What each principal may see comes from the restatement of the rule
 * below (test_authz.py's, from src/core/access.c's comments and
 * DESIGN.md), never from the code under test. Shared by
 * test_service_authz*.c, each of which builds the hub once. */
#ifndef VG_TEST_AUTHZ_MATRIX_H
#define VG_TEST_AUTHZ_MATRIX_H

#include "svc_fixture.h"

#include <time.h>

/* ---- the rule, re-stated ---------------------------------------------------
 */

enum { HUB, ALPHA, BRAVO, CHARLIE, N_ORGS };
static const char *const org_names[N_ORGS] = {"hub", "Alpha", "Bravo",
                                              "Charlie"};

enum { READER, ANALYST, ORG_ADMIN, HUB_ADMIN, AUDITOR, N_ROLES };
static const char *const role_names[N_ROLES] = {
    "reader", "analyst", "org-admin", "hub-admin", "auditor",
};

static const char *const level_names[N_LEVELS] = {
    "UNCLASSIFIED",
    "RESTRICTED",
    "CONFIDENTIAL",
    "SECRET",
};

/* the sharing group Joint */
static inline int in_joint(int org)
{
	return org == ALPHA || org == BRAVO;
}

enum scope { S_ORG, S_COMMUNITY, S_CONNECTED, S_ALL, S_GROUP };

/* alias, scope, owning organisation; in the hub's order */
static const struct coll {
	const char *alias;
	enum scope scope;
	int org;
} colls[] = {
    {"community", S_COMMUNITY, -1},
    {"connected", S_CONNECTED, -1},
    {"all", S_ALL, -1},
    {"org-hub", S_ORG, HUB},
    {"org-alpha", S_ORG, ALPHA},
    {"org-bravo", S_ORG, BRAVO},
    {"org-charlie", S_ORG, CHARLIE},
    {"group-joint", S_GROUP, -1},
};
#define N_COLLS 8
enum { C_COMMUNITY = 0, C_ORG_ALPHA = 4, C_JOINT = 7 };

/* where Alpha's analyst posts, in this order */
static const int posted_to[] = {4, 0, 1, 2, 7};
#define N_POSTED 5

enum {
	T_NONE,
	T_CLEAR,
	T_GREEN,
	T_AMBER,
	T_AMBER_STRICT,
	T_RED,
	T_RED1,
	N_TLPS
};
static const char *const tlp_names[N_TLPS] = {
    "none", "clear", "green", "amber", "amber+strict", "red", "red-1.0",
};
static const char *const tlp_ids[N_TLPS] = {
    NULL, TLP_CLEAR, TLP_GREEN, TLP_AMBER, TLP_AMBER_STRICT, TLP_RED, TLP1_RED,
};

static inline int is_red(int tlp)
{
	return tlp == T_RED || tlp == T_RED1;
}

/* Roles give actions, never content; the auditor does not read. */
static inline int reads(int role)
{
	return role != AUDITOR;
}

static inline int writes(int role)
{
	return role == ANALYST || role == ORG_ADMIN || role == HUB_ADMIN;
}

struct principal {
	char name[48];
	int org, role, clearance;
	char key[VG_KEY_TEXT_LEN];
	struct vg_ctx c;
};

struct version {
	const char *modified;
	int tlp;
	int classes[2], n_classes; /* the classification markings, in order */
	int classification;        /* the highest of them */
	char *json;
	cJSON *obj;
	int64_t date_added; /* as stored, read from the store */
	int owner;
};

struct object {
	int coll; /* index into colls */
	char label[48];
	char oid[64];
	struct version v[2];
};

/* May principal p read version v of an object in collection coll?
 * 1. the role must allow reading;
 * 2. the classification must not exceed the reader's clearance;
 * 3. the owner organisation always sees its own;
 * 4. scope organisation: nobody else;
 * 5. community / connected / all: everyone, unless TLP:RED, which names
 *    nobody beyond the owner;
 * 6. sharing group: the group's members (TLP:RED included). */
static inline int may_read(const struct principal *p, int coll,
                           const struct version *v)
{
	if (!reads(p->role))
		return 0;
	if (v->classification > p->clearance)
		return 0;
	if (v->owner == p->org)
		return 1;
	switch (colls[coll].scope) {
	case S_ORG:
		return 0;
	case S_COMMUNITY:
	case S_CONNECTED:
	case S_ALL:
		return !is_red(v->tlp);
	case S_GROUP:
		return in_joint(p->org);
	}
	fail();
	return 0;
}

/* Hub-wide collections are everyone's, a private one its organisation's,
 * a group's its members'; a role with neither read nor write sees no
 * collection at all. */
static inline int sees_collection(const struct principal *p, int coll)
{
	if (!reads(p->role) && !writes(p->role))
		return 0;
	if (colls[coll].scope == S_ORG)
		return colls[coll].org == p->org;
	if (colls[coll].scope == S_GROUP)
		return in_joint(p->org);
	return 1;
}

/* The versions of o that p may read, in date_added order (the first
 * version was posted first); returns how many. */
static inline int visible(const struct principal *p, const struct object *o,
                          const struct version *out[2])
{
	int n = 0;
	if (!sees_collection(p, o->coll))
		return 0;
	for (int i = 0; i < 2; i++)
		if (may_read(p, o->coll, &o->v[i]))
			out[n++] = &o->v[i];
	return n;
}

/* The newest version p may read (NULL: none). */
static inline const struct version *latest(const struct principal *p,
                                           const struct object *o)
{
	const struct version *vis[2];
	int n = visible(p, o, vis);
	if (!n)
		return NULL;
	return n == 2 && strcmp(vis[1]->modified, vis[0]->modified) < 0
	           ? vis[0]
	           : vis[n - 1];
}

/* ---- the data --------------------------------------------------------------
 */

#define AV1 "2024-01-01T00:00:00.000Z"
#define AV2 "2024-02-01T00:00:00.000Z"
#define N_PRINCIPALS (3 * N_ROLES * 2 + 1)
#define N_PER_COLL (N_TLPS * 2 + 3)
#define N_OBJECTS (N_POSTED * N_PER_COLL)

struct matrix {
	struct hub h;
	struct principal p[N_PRINCIPALS];
	struct object o[N_OBJECTS];
	char coll_id[N_COLLS][40];
	char status_id[N_COLLS][37];
	char *status_body[N_COLLS];
	int poster; /* alpha-analyst-hi */
};

static inline struct principal *by_name(struct matrix *m, const char *name)
{
	for (int i = 0; i < N_PRINCIPALS; i++)
		if (!strcmp(m->p[i].name, name))
			return &m->p[i];
	fail_msg("no principal %s", name);
	return NULL;
}

static inline void version_init(struct matrix *m, struct object *o, int i,
                                const char *modified, int tlp, int c1, int c2)
{
	struct version *v = &o->v[i];
	char refs[300] = "";
	v->modified = modified;
	v->tlp = tlp;
	v->owner = ALPHA;
	v->classes[0] = c1;
	v->n_classes = 1;
	if (c2 >= 0)
		v->classes[v->n_classes++] = c2;
	v->classification = c2 > c1 ? c2 : c1;
	if (tlp_ids[tlp])
		snprintf(refs, sizeof(refs), "\"%s\",", tlp_ids[tlp]);
	for (int k = 0; k < v->n_classes; k++)
		snprintf(refs + strlen(refs), sizeof(refs) - strlen(refs),
		         "%s\"%s\"", k ? "," : "", m->h.levels[v->classes[k]]);
	v->json = indicator(o->oid, modified, refs, NULL);
	v->obj = cJSON_Parse(v->json);
	assert_non_null(v->obj);
}

static inline void make_objects(struct matrix *m)
{
	int n = 0;
	for (int k = 0; k < N_POSTED; k++) {
		int coll = posted_to[k];
		for (int i = 0; i < N_PER_COLL; i++) {
			struct object *o = &m->o[n];
			o->coll = coll;
			snprintf(o->oid, sizeof(o->oid),
			         "indicator--%08x-0000-4000-8000-%012x",
			         coll + 1, i + 1);
			if (i < 2 * N_TLPS) {
				int tlp = i / 2,
				    cls = i % 2 ? SECRET : UNCLASSIFIED;
				snprintf(o->label, sizeof(o->label), "%s/%s",
				         tlp_names[tlp], level_names[cls]);
				version_init(m, o, 0, AV1, tlp, cls, -1);
				version_init(m, o, 1, AV2, tlp, cls, -1);
			} else if (i == 2 * N_TLPS) {
				snprintf(o->label, sizeof(o->label),
				         "green then red");
				version_init(m, o, 0, AV1, T_GREEN,
				             UNCLASSIFIED, -1);
				version_init(m, o, 1, AV2, T_RED, UNCLASSIFIED,
				             -1);
			} else if (i == 2 * N_TLPS + 1) {
				snprintf(o->label, sizeof(o->label),
				         "unclassified then secret");
				version_init(m, o, 0, AV1, T_GREEN,
				             UNCLASSIFIED, -1);
				version_init(m, o, 1, AV2, T_GREEN, SECRET, -1);
			} else {
				snprintf(o->label, sizeof(o->label),
				         "both markings");
				version_init(m, o, 0, AV1, T_CLEAR,
				             UNCLASSIFIED, SECRET);
				version_init(m, o, 1, AV2, T_CLEAR, SECRET,
				             UNCLASSIFIED);
			}
			n++;
		}
	}
	assert_int_equal(n, N_OBJECTS);
}

/* Organisations, the group, one user per (organisation, role,
 * clearance) with a key, and the hub's admin. */
static inline void make_principals(struct matrix *m)
{
	int n = 0;
	for (int org = ALPHA; org <= CHARLIE; org++)
		org_add(&m->h, org_names[org]);
	group_make(&m->h, "Joint", "Alpha", "Bravo", NULL);
	for (int org = ALPHA; org <= CHARLIE; org++)
		for (int role = 0; role < N_ROLES; role++)
			for (int hi = 1; hi >= 0; hi--) {
				struct principal *p = &m->p[n++];
				char lower[16];
				snprintf(lower, sizeof(lower), "%s",
				         org_names[org]);
				lower[0] = (char)(lower[0] - 'A' + 'a');
				snprintf(p->name, sizeof(p->name), "%s-%s-%s",
				         lower, role_names[role],
				         hi ? "hi" : "lo");
				p->org = org;
				p->role = role;
				p->clearance = hi ? SECRET : UNCLASSIFIED;
				user_add(&m->h, p->name, org_names[org],
				         role_names[role],
				         level_names[p->clearance], p->key,
				         NULL);
				ctx_key(&m->h, &p->c, p->key);
			}
	struct principal *admin = &m->p[n++];
	snprintf(admin->name, sizeof(admin->name), "admin");
	admin->org = HUB;
	admin->role = HUB_ADMIN;
	admin->clearance = SECRET;
	snprintf(admin->key, sizeof(admin->key), "%s", m->h.admin_key);
	ctx_key(&m->h, &admin->c, admin->key);
	assert_int_equal(n, N_PRINCIPALS);
	m->poster = (int)(by_name(m, "alpha-analyst-hi") - m->p);
}

static inline int take_added(void *ud, const struct vg_row *r)
{
	struct matrix *m = ud;
	for (int i = 0; i < N_OBJECTS; i++) {
		struct object *o = &m->o[i];
		if (strcmp(o->oid, r->id))
			continue;
		assert_string_equal(r->collection, m->coll_id[o->coll]);
		for (int k = 0; k < 2; k++)
			if (!strcmp(o->v[k].modified, r->modified))
				o->v[k].date_added = r->date_added;
	}
	return 0;
}

/* Every collection posts its first versions, then its second ones (so
 * date_added follows that order); the dates as stored are read from the
 * store itself, not through the service. */
static inline void post_objects(struct matrix *m)
{
	for (int k = 0; k < N_POSTED; k++) {
		int coll = posted_to[k];
		struct vg_buf body;
		char err[200], *st = NULL;
		struct vg_ingest_counts counts;
		vg_buf_init(&body, 0);
		for (int round = 0; round < 2; round++)
			for (int i = 0; i < N_OBJECTS; i++)
				if (m->o[i].coll == coll)
					vg_buf_printf(&body, "%s%s",
					              body.len ? "," : "",
					              m->o[i].v[round].json);
		assert_int_equal(post(&m->p[m->poster].c, colls[coll].alias,
		                      body.data, &st, &counts, err,
		                      sizeof(err)),
		                 VG_OK);
		assert_int_equal(counts.accepted, 2 * N_PER_COLL);
		cJSON *j = cJSON_Parse(st);
		snprintf(
		    m->status_id[coll], 37, "%s",
		    cJSON_GetObjectItemCaseSensitive(j, "id")->valuestring);
		cJSON_Delete(j);
		m->status_body[coll] = st;
		vg_buf_release(&body);
	}
	struct vg_store *s = NULL;
	struct vg_principal everyone = {.operator= 1 };
	struct vg_access_expr all;
	const char *type = "indicator";
	vg_access_expr(&everyone, &all);
	struct vg_query q = {.visible = &all,
	                     .types = &type,
	                     .n_types = 1,
	                     .versions = VG_VERSIONS_ALL};
	assert_int_equal(vg_store_open(m->h.location, 0, &s, NULL, 0), VG_OK);
	assert_int_equal(s->ops->objects->scan(s, &q, take_added, m), VG_OK);
	vg_store_close(s);
	for (int i = 0; i < N_OBJECTS; i++)
		for (int k = 0; k < 2; k++)
			assert_true(m->o[i].v[k].date_added > 0);
}

static inline struct matrix *matrix_new(const char *name)
{
	struct matrix *m = calloc(1, sizeof(*m));
	assert_non_null(m);
	hub_open(&m->h, name, 0);
	make_principals(m);
	for (int c = 0; c < N_COLLS; c++)
		coll_id(&m->h, colls[c].alias, m->coll_id[c]);
	/* everything the matrix posts is Alpha's, and says so */
	org_identity(&m->h, "Alpha", fixture_creator);
	make_objects(m);
	post_objects(m);
	return m;
}

static inline void matrix_free(struct matrix *m)
{
	for (int i = 0; i < N_PRINCIPALS; i++)
		vg_ctx_release(&m->p[i].c);
	for (int i = 0; i < N_OBJECTS; i++)
		for (int k = 0; k < 2; k++) {
			free(m->o[i].v[k].json);
			cJSON_Delete(m->o[i].v[k].obj);
		}
	for (int c = 0; c < N_COLLS; c++)
		free(m->status_body[c]);
	hub_close(&m->h);
	free(m);
}

/* ---- asking, and comparing answers ------------------------------------------
 */

/* What the service answered: its code, error text, body, page info. */
struct answer {
	int rc;
	char err[200];
	struct vg_buf body;
	struct vg_page_info info;
};

static inline void answer_release(struct answer *a)
{
	vg_buf_release(&a->body);
}

/* a and b are the same answer, byte for byte. */
static inline void same_answer(const struct answer *a, const struct answer *b,
                               const char *what)
{
	if (a->rc != b->rc || strcmp(a->err, b->err) ||
	    a->body.len != b->body.len ||
	    (a->body.len && memcmp(a->body.data, b->body.data, a->body.len)) ||
	    a->info.count != b->info.count || a->info.first != b->info.first ||
	    a->info.last != b->info.last)
		fail_msg("%s: %s '%s' %s, not %s '%s' %s", what,
		         vg_err_name(a->rc), a->err,
		         a->body.data ? a->body.data : "", vg_err_name(b->rc),
		         b->err, b->body.data ? b->body.data : "");
}

/* A filter of TAXII parameters: pairs of name and value, NULL ended. */
static inline void filter_of(struct vg_taxii_filter *f, size_t limit, ...)
{
	va_list ap;
	char err[200];
	memset(f, 0, sizeof(*f));
	f->limit = limit;
	va_start(ap, limit);
	for (const char *k; (k = va_arg(ap, const char *));) {
		const char *v = va_arg(ap, const char *);
		if (vg_taxii_filter_add(f, k, v, err, sizeof(err)))
			fail_msg("%s=%s: %s", k, v, err);
	}
	va_end(ap);
}

static inline void ask(struct principal *p, const char *coll,
                       enum vg_taxii_page kind, const char *oid,
                       const struct vg_taxii_filter *f, struct answer *a)
{
	memset(a, 0, sizeof(*a));
	vg_buf_init(&a->body, 0);
	a->rc = vg_taxii_page(&p->c, coll, kind, oid, f, &a->body, &a->info,
	                      a->err, sizeof(a->err));
}

/* The TAXII form of a date_added, computed here. */
static inline const char *taxii_time(int64_t us)
{
	static char out[4][40];
	static unsigned next;
	char *b = out[next++ % 4];
	time_t s = (time_t)(us / 1000000);
	struct tm tm;
	gmtime_r(&s, &tm);
	size_t n = strftime(b, 40, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(b + n, 40 - n, ".%06lldZ", (long long)(us % 1000000));
	return b;
}

/* The page's info names these versions' dates (none: zeros). */
static inline void dates_are(const struct answer *a,
                             const struct version *const *v, size_t n)
{
	assert_int_equal(a->info.count, n);
	assert_int_equal(a->info.first, n ? v[0]->date_added : 0);
	assert_int_equal(a->info.last, n ? v[n - 1]->date_added : 0);
}

/* The objects of a page's envelope are exactly these versions. */
static inline void objects_are(const struct answer *a,
                               const struct version *const *v, size_t n,
                               int more)
{
	cJSON *j = cJSON_Parse(a->body.data), *x;
	size_t k = 0;
	assert_non_null(j);
	assert_int_equal(
	    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "more")), more);
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(j, "objects"))
	{
		assert_true(k < n);
		if (!cJSON_Compare(x, v[k]->obj, 1))
			fail_msg("object %zu of %s", k, a->body.data);
		k++;
	}
	assert_int_equal(k, n);
	dates_are(a, v, n);
	cJSON_Delete(j);
}

#endif
