/* The console's reads (console.h): search across collections and one
 * object for people. Every query carries the reader's access expression,
 * so what is not readable is never read; every answer is written with
 * the JSON writer; every read is on record before it is answered. */
#include "service_int.h"
#include "vigil/service/console.h"
#include "vigil/stix/stix.h"
#include "vigil/util/error.h"
#include "vigil/util/timefmt.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_LIMIT 50
#define MAX_WORD 100
#define MAX_RELATED 500 /* relationships and sightings shown of one object */
#define MAX_NAMES 900   /* referenced objects named */

/* ---- the hub's names: organisations, collections, groups --------------- */

struct names {
	struct org {
		int64_t id;
		char name[128];
		int64_t *groups;
		size_t n_groups;
	} * orgs;
	size_t n_orgs, cap_orgs;
	struct coll {
		char id[40];
		char alias[80];
	} * colls;
	size_t n_colls, cap_colls;
	struct grp {
		int64_t id;
		char name[128];
	} * groups;
	size_t n_groups, cap_groups;
};

#define GROW(v, n, cap)                                                        \
	((n) < (cap) ? 0                                                       \
	             : ((cap) = (cap) ? (cap)*2 : 16,                          \
	                (v) = realloc((v), (cap) * sizeof(*(v))), !(v)))

static int take_org(void *ud, const struct vg_org *o)
{
	struct names *n = ud;
	if (GROW(n->orgs, n->n_orgs, n->cap_orgs))
		return VG_ENOMEM;
	struct org *x = &n->orgs[n->n_orgs++];
	memset(x, 0, sizeof(*x));
	x->id = o->id;
	snprintf(x->name, sizeof(x->name), "%s", o->name);
	return 0;
}

static int take_coll(void *ud, const struct vg_collection *c)
{
	struct names *n = ud;
	if (GROW(n->colls, n->n_colls, n->cap_colls))
		return VG_ENOMEM;
	struct coll *x = &n->colls[n->n_colls++];
	snprintf(x->id, sizeof(x->id), "%s", c->id);
	snprintf(x->alias, sizeof(x->alias), "%s", c->alias);
	return 0;
}

static int take_group(void *ud, const struct vg_group *g, const char *members)
{
	struct names *n = ud;
	(void)members;
	if (GROW(n->groups, n->n_groups, n->cap_groups))
		return VG_ENOMEM;
	struct grp *x = &n->groups[n->n_groups++];
	x->id = g->id;
	snprintf(x->name, sizeof(x->name), "%s", g->name);
	return 0;
}

static void names_release(struct names *n)
{
	for (size_t i = 0; i < n->n_orgs; i++)
		free(n->orgs[i].groups);
	free(n->orgs);
	free(n->colls);
	free(n->groups);
	memset(n, 0, sizeof(*n));
}

/* Organisations and collections, and with groups also the groups and
 * each organisation's memberships. */
static int names_load(struct vg_store *s, struct names *n, int groups)
{
	memset(n, 0, sizeof(*n));
	int rc = s->ops->hub->org_list(s, take_org, n);
	if (!rc)
		rc = s->ops->sharing->collection_list(s, take_coll, n);
	if (!rc && groups)
		rc = s->ops->sharing->group_list(s, take_group, n);
	for (size_t i = 0; !rc && groups && i < n->n_orgs; i++)
		rc = s->ops->sharing->groups_of(
		    s, n->orgs[i].id, &n->orgs[i].groups, &n->orgs[i].n_groups);
	if (rc)
		names_release(n);
	return rc;
}

static const char *org_name(const struct names *n, int64_t id)
{
	for (size_t i = 0; i < n->n_orgs; i++)
		if (n->orgs[i].id == id)
			return n->orgs[i].name;
	return NULL;
}

static const char *coll_alias(const struct names *n, const char *id)
{
	for (size_t i = 0; id && i < n->n_colls; i++)
		if (!strcmp(n->colls[i].id, id))
			return n->colls[i].alias;
	return NULL;
}

static const char *group_name(const struct names *n, int64_t id)
{
	for (size_t i = 0; i < n->n_groups; i++)
		if (n->groups[i].id == id)
			return n->groups[i].name;
	return NULL;
}

/* ---- summaries ---------------------------------------------------------- */

static const char *jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* What to call an object: its name, else an SCO's value, else a
 * relationship's type. */
static const char *display_name(const cJSON *j)
{
	const char *n = jstr(j, "name");
	if (!n)
		n = jstr(j, "value");
	if (!n)
		n = jstr(j, "relationship_type");
	return n;
}

static void kstrs(struct vg_jw *w, const char *key, const cJSON *j)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key), *e;
	vg_jw_key(w, key);
	vg_jw_arr(w);
	cJSON_ArrayForEach(e, v) if (cJSON_IsString(e))
	    vg_jw_str(w, e->valuestring);
	vg_jw_close(w);
}

static void level(struct vg_jw *w, const struct vg_service *svc, int cl)
{
	const char *name = vg_service_level_name(svc, cl);
	if (cl > 0 && *name)
		vg_jw_str(w, name);
	else
		vg_jw_null(w);
}

/* The keys of a summary of row r (parsed as j), inside an open object. */
static void summary(struct vg_jw *w, const struct vg_service *svc,
                    const struct names *n, const struct vg_row *r,
                    const cJSON *j)
{
	vg_jw_kstr(w, "id", r->id);
	vg_jw_kstr(w, "type", jstr(j, "type"));
	vg_jw_kstr(w, "name", display_name(j));
	vg_jw_key(w, "description");
	vg_jw_strn(w, jstr(j, "description"), 300);
	kstrs(w, "labels", j);
	vg_jw_kstr(w, "created", jstr(j, "created"));
	vg_jw_kstr(w, "modified", jstr(j, "modified"));
	vg_jw_kbool(w, "revoked", r->revoked);
	vg_jw_kstr(w, "tlp", r->tlp ? vg_tlp_name((enum vg_tlp)r->tlp) : NULL);
	vg_jw_key(w, "classification");
	level(w, svc, r->classification);
	vg_jw_kstr(w, "org", org_name(n, r->owner));
	vg_jw_kstr(w, "collection", coll_alias(n, r->collection));
}

/* ---- search ------------------------------------------------------------- */

struct search_out {
	struct vg_jw *w;
	const struct vg_service *svc;
	const struct names *n;
	size_t limit, count;
	int more;
};

static int search_row(void *ud, const struct vg_row *r)
{
	struct search_out *o = ud;
	if (o->count == o->limit) {
		o->more = 1;
		return 1;
	}
	cJSON *j = cJSON_ParseWithLength(r->json, r->json_len);
	if (!j)
		return VG_EJSON;
	vg_jw_obj(o->w);
	summary(o->w, o->svc, o->n, r, j);
	vg_jw_close(o->w);
	cJSON_Delete(j);
	o->count++;
	return o->w->rc;
}

/* A date (the whole day) or timestamp as a version key. */
static int version_key(const char *v, int end, char out[VG_TS_KEY_LEN])
{
	if (strlen(v) == 10 && v[4] == '-' && v[7] == '-' &&
	    strspn(v, "0123456789-") == 10) {
		char ts[40];
		snprintf(ts, sizeof(ts), "%sT%s", v,
		         end ? "23:59:59.999999999Z" : "00:00:00Z");
		return vg_ts_key_of(ts, out);
	}
	return vg_ts_key_of(v, out);
}

static int tlp_of_name(const char *s)
{
	static const char *const n[] = {"clear", "green", "amber",
	                                "amber+strict", "red"};
	for (size_t i = 0; i < 5; i++)
		if (!strcmp(s, n[i]))
			return VG_TLP_CLEAR + (int)i;
	return -1;
}

static int name_like(const char *s, size_t max, const char *extra)
{
	size_t n = strlen(s);
	if (!n || n > max)
		return 0;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      strchr(extra, *p)))
			return 0;
	return 1;
}

static int take_org_id(void *ud, const struct vg_org *o)
{
	*(int64_t *)ud = o->id;
	return 0;
}

int vg_objects_search(struct vg_ctx *c, const struct vg_search *sr,
                      struct vg_buf *out, char *err, size_t errlen)
{
	struct vg_store *s = vg__reader(c->svc);
	char words_buf[VG_QUERY_WORDS * (MAX_WORD + 1) + 1];
	const char *words[VG_QUERY_WORDS];
	size_t n_words = 0;
	char from[VG_TS_KEY_LEN], to[VG_TS_KEY_LEN];
	struct names n = {0};
	struct vg_jw w;
	int rc = vg__require(c, VG_ACT_READ, "objects.search");
	if (!rc)
		rc = vg__may_read(c, "objects.search");
	if (rc)
		return rc;
	if (!s)
		return VG_ESTORE;
	err[0] = '\0';
	struct vg_query q = {.versions = VG_VERSIONS_LAST, .newest_first = 1};
	if (sr->text) {
		if (strlen(sr->text) >= sizeof(words_buf)) {
			snprintf(err, errlen,
			         "'q': at most %d words of %d bytes",
			         VG_QUERY_WORDS, MAX_WORD);
			return VG_EINVAL;
		}
		snprintf(words_buf, sizeof(words_buf), "%s", sr->text);
		for (char *save = NULL,
		          *t = strtok_r(words_buf, " \t\r\n", &save);
		     t; t = strtok_r(NULL, " \t\r\n", &save)) {
			if (n_words == VG_QUERY_WORDS || strlen(t) > MAX_WORD) {
				snprintf(err, errlen,
				         "'q': at most %d words of %d bytes",
				         VG_QUERY_WORDS, MAX_WORD);
				return VG_EINVAL;
			}
			words[n_words++] = t;
		}
		q.words = words;
		q.n_words = n_words;
	}
	const char *type = sr->type;
	if (type && *type) {
		if (!name_like(type, 250, "-")) {
			snprintf(err, errlen, "'type': not a STIX type");
			return VG_EINVAL;
		}
		q.types = &type;
		q.n_types = 1;
	}
	if (sr->label && *sr->label) {
		if (strlen(sr->label) > 250) {
			snprintf(err, errlen, "'label': longer than 250 bytes");
			return VG_EINVAL;
		}
		q.label = sr->label;
	}
	if (sr->marking && *sr->marking) {
		if (!strncmp(sr->marking, "tlp:", 4) &&
		    tlp_of_name(sr->marking + 4) > 0)
			q.tlp = tlp_of_name(sr->marking + 4) + 1;
		else if (!strncmp(sr->marking, "marking-definition--", 20) &&
		         vg_stix_id_valid(sr->marking, "marking-definition"))
			q.marking = sr->marking;
		else {
			snprintf(err, errlen,
			         "'marking': a TLP level (tlp:clear, "
			         "tlp:green, tlp:amber, tlp:amber+strict, "
			         "tlp:red) or a marking-definition id");
			return VG_EINVAL;
		}
	}
	if (sr->org && *sr->org) {
		rc =
		    s->ops->hub->org_find(s, sr->org, 0, take_org_id, &q.owner);
		if (rc == VG_ENOTFOUND) {
			snprintf(err, errlen, "'org': no such organisation");
			return VG_EINVAL;
		}
		if (rc)
			return rc;
	}
	if (sr->since && *sr->since) {
		if (version_key(sr->since, 0, from)) {
			snprintf(err, errlen,
			         "'since': not a date (YYYY-MM-DD) or a "
			         "timestamp");
			return VG_EINVAL;
		}
		q.version_from = from;
	}
	if (sr->until && *sr->until) {
		if (version_key(sr->until, 1, to)) {
			snprintf(err, errlen,
			         "'until': not a date (YYYY-MM-DD) or a "
			         "timestamp");
			return VG_EINVAL;
		}
		q.version_to = to;
	}
	size_t limit = sr->limit ? sr->limit : DEFAULT_LIMIT;
	if (limit > VG_SEARCH_MAX_LIMIT || sr->offset > VG_SEARCH_MAX_OFFSET) {
		snprintf(err, errlen,
		         "'limit' is at most %d and 'offset' at most %d",
		         VG_SEARCH_MAX_LIMIT, VG_SEARCH_MAX_OFFSET);
		return VG_EINVAL;
	}
	struct vg_access_expr vis;
	vg_access_expr(&c->p, &vis);
	q.visible = &vis;
	q.offset = sr->offset;
	q.limit = limit + 1;
	rc = names_load(s, &n, 0);
	if (rc)
		return rc;
	vg_jw_init(&w, out);
	vg_jw_obj(&w);
	vg_jw_key(&w, "results");
	vg_jw_arr(&w);
	struct search_out o = {.w = &w, .svc = c->svc, .n = &n, .limit = limit};
	rc = s->ops->objects->scan(s, &q, search_row, &o);
	if (rc == 1)
		rc = VG_OK;
	vg_jw_close(&w);
	vg_jw_kint(&w, "offset", (int64_t)sr->offset);
	vg_jw_kbool(&w, "more", o.more);
	vg_jw_close(&w);
	if (!rc)
		rc = vg_jw_end(&w);
	names_release(&n);
	if (rc)
		return rc;
	/* the search and what it found are on record before it is answered */
	struct vg__detail d;
	vg__detail_begin(&d);
	if (n_words)
		vg_jw_kstr(&d.w, "q", sr->text);
	if (type && *type)
		vg_jw_kstr(&d.w, "type", type);
	if (q.label)
		vg_jw_kstr(&d.w, "label", q.label);
	if (q.tlp || q.marking)
		vg_jw_kstr(&d.w, "marking", sr->marking);
	if (q.owner)
		vg_jw_kstr(&d.w, "org", sr->org);
	if (q.version_from)
		vg_jw_kstr(&d.w, "since", sr->since);
	if (q.version_to)
		vg_jw_kstr(&d.w, "until", sr->until);
	if (sr->offset)
		vg_jw_kint(&d.w, "offset", (int64_t)sr->offset);
	vg_jw_kint(&d.w, "count", (int64_t)o.count);
	const char *detail = vg__detail_end(&d);
	rc = detail ? vg__audit_read(c, "objects.search", "", detail)
	            : VG_ENOMEM;
	vg__detail_release(&d);
	return rc;
}

/* ---- one object -----------------------------------------------------------
 */

struct ids {
	char **v;
	size_t n, cap;
};

static void ids_add(struct ids *x, const char *id)
{
	if (!id || !*id || x->n == MAX_NAMES)
		return;
	for (size_t i = 0; i < x->n; i++)
		if (!strcmp(x->v[i], id))
			return;
	if (GROW(x->v, x->n, x->cap)) {
		x->n = x->cap = 0;
		return;
	}
	char *copy = strdup(id);
	if (copy)
		x->v[x->n++] = copy;
}

static void ids_release(struct ids *x)
{
	for (size_t i = 0; i < x->n; i++)
		free(x->v[i]);
	free(x->v);
}

/* Every id a property of j names at its top level (*_ref, *_refs). */
static void ids_of_refs(struct ids *x, const cJSON *j)
{
	const cJSON *v, *e;
	cJSON_ArrayForEach(v, j)
	{
		size_t kn = v->string ? strlen(v->string) : 0;
		if (kn > 4 && !strcmp(v->string + kn - 4, "_ref") &&
		    cJSON_IsString(v))
			ids_add(x, v->valuestring);
		if (kn > 5 && !strcmp(v->string + kn - 5, "_refs"))
			cJSON_ArrayForEach(e, v) if (cJSON_IsString(e))
			    ids_add(x, e->valuestring);
	}
}

struct view {
	struct vg_jw *w;
	struct vg_service *svc;
	const struct names *n;
	struct ids refs;
	size_t count;   /* versions */
	size_t related; /* relationships or sightings written */
	/* the newest version's */
	char type[128];
	struct vg_access_meta meta;
	char collection[80];
};

static int version_row(void *ud, const struct vg_row *r)
{
	struct view *v = ud;
	char t[VG_TIME_LEN];
	if (!v->count++) {
		snprintf(v->type, sizeof(v->type), "%s",
		         r->type ? r->type : "");
		v->meta = (struct vg_access_meta){
		    .owner = r->owner,
		    .scope = (enum vg_scope)r->scope,
		    .group = r->grp,
		    .tlp = r->tlp,
		    .classification = r->classification,
		};
		const char *alias = coll_alias(v->n, r->collection);
		snprintf(v->collection, sizeof(v->collection), "%s",
		         alias ? alias : "");
		cJSON *j = cJSON_ParseWithLength(r->json, r->json_len);
		ids_of_refs(&v->refs, j);
		cJSON_Delete(j);
	}
	vg_time_format_us(r->date_added, t);
	vg_jw_obj(v->w);
	vg_jw_kstr(v->w, "version", r->modified);
	vg_jw_kstr(v->w, "date_added", t);
	vg_jw_kstr(v->w, "collection", coll_alias(v->n, r->collection));
	vg_jw_kstr(v->w, "org", org_name(v->n, r->owner));
	vg_jw_kbool(v->w, "revoked", r->revoked);
	vg_jw_kstr(v->w, "tlp",
	           r->tlp ? vg_tlp_name((enum vg_tlp)r->tlp) : NULL);
	vg_jw_key(v->w, "classification");
	level(v->w, v->svc, r->classification);
	vg_jw_key(v->w, "object");
	vg_jw_raw(v->w, r->json, r->json_len);
	vg_jw_close(v->w);
	return v->w->rc;
}

static int related_row(void *ud, const struct vg_row *r)
{
	struct view *v = ud;
	cJSON *j = cJSON_ParseWithLength(r->json, r->json_len);
	if (!j)
		return VG_EJSON;
	vg_jw_obj(v->w);
	summary(v->w, v->svc, v->n, r, j);
	static const char *const refs[] = {"source_ref", "target_ref",
	                                   "sighting_of_ref"};
	for (size_t i = 0; i < 3; i++) {
		const char *ref = jstr(j, refs[i]);
		if (!ref)
			continue;
		vg_jw_kstr(v->w, refs[i], ref);
		ids_add(&v->refs, ref);
	}
	const char *rt = jstr(j, "relationship_type");
	if (rt)
		vg_jw_kstr(v->w, "relationship_type", rt);
	const cJSON *count = cJSON_GetObjectItemCaseSensitive(j, "count");
	if (cJSON_IsNumber(count))
		vg_jw_kint(v->w, "count", (int64_t)count->valuedouble);
	static const char *const seen[] = {"first_seen", "last_seen"};
	for (size_t i = 0; i < 2; i++)
		if (jstr(j, seen[i]))
			vg_jw_kstr(v->w, seen[i], jstr(j, seen[i]));
	if (cJSON_GetObjectItemCaseSensitive(j, "where_sighted_refs")) {
		kstrs(v->w, "where_sighted_refs", j);
		const cJSON *e;
		cJSON_ArrayForEach(
		    e, cJSON_GetObjectItemCaseSensitive(
		           j, "where_sighted_refs")) if (cJSON_IsString(e))
		    ids_add(&v->refs, e->valuestring);
	}
	vg_jw_close(v->w);
	cJSON_Delete(j);
	v->related++;
	return v->w->rc;
}

static int name_row(void *ud, const struct vg_row *r)
{
	struct view *v = ud;
	cJSON *j = cJSON_ParseWithLength(r->json, r->json_len);
	if (!j)
		return VG_EJSON;
	vg_jw_key(v->w, r->id);
	vg_jw_obj(v->w);
	vg_jw_kstr(v->w, "type", jstr(j, "type"));
	vg_jw_kstr(v->w, "name", display_name(j));
	vg_jw_close(v->w);
	cJSON_Delete(j);
	return v->w->rc;
}

static const char *const scope_words[] = {
    "organisation", "community", "connected", "all", "group",
};

/* "who can see this and why": the newest version's markings and
 * audience, every organisation with its reason, and the rule's steps
 * for c. */
static void access_json(struct vg_jw *w, const struct vg_ctx *c,
                        const struct view *v, const struct names *n)
{
	const struct vg_access_meta *m = &v->meta;
	struct vg_access_why why;
	vg_access_explain(&c->p, m, &why);
	vg_jw_key(w, "access");
	vg_jw_obj(w);
	vg_jw_key(w, "you");
	vg_jw_obj(w);
	vg_jw_kbool(w, "read", why.read);
	vg_jw_kbool(w, "role", why.role);
	vg_jw_kbool(w, "clearance", why.clearance);
	vg_jw_kstr(w, "audience", vg_audience_name(why.audience));
	vg_jw_close(w);
	vg_jw_kstr(w, "owner", org_name(n, m->owner));
	vg_jw_kstr(w, "scope",
	           (unsigned)m->scope < VG_SCOPE__COUNT ? scope_words[m->scope]
	                                                : "?");
	vg_jw_kstr(w, "collection", v->collection);
	vg_jw_kstr(w, "group",
	           m->scope == VG_SCOPE_GROUP ? group_name(n, m->group) : NULL);
	vg_jw_kstr(w, "tlp", m->tlp ? vg_tlp_name((enum vg_tlp)m->tlp) : NULL);
	vg_jw_key(w, "classification");
	level(w, c->svc, m->classification);
	vg_jw_key(w, "roles");
	vg_jw_arr(w);
	for (int r = 0; r < VG_ROLE__COUNT; r++)
		if (vg_role_allows((enum vg_role)r, VG_ACT_READ))
			vg_jw_str(w, vg_role_name((enum vg_role)r));
	vg_jw_close(w);
	vg_jw_key(w, "audience");
	vg_jw_arr(w);
	for (size_t i = 0; i < n->n_orgs; i++) {
		enum vg_audience a = vg_access_audience(
		    m, n->orgs[i].id, n->orgs[i].groups, n->orgs[i].n_groups);
		vg_jw_obj(w);
		vg_jw_kstr(w, "org", n->orgs[i].name);
		vg_jw_kbool(w, "in", vg_audience_admits(a));
		vg_jw_kstr(w, "reason", vg_audience_name(a));
		vg_jw_close(w);
	}
	vg_jw_close(w);
	vg_jw_close(w);
}

int vg_object_view(struct vg_ctx *c, const char *id, struct vg_buf *out)
{
	struct vg_store *s = vg__reader(c->svc);
	struct names n = {0};
	struct vg_jw w;
	struct view v = {.w = &w, .svc = c->svc, .n = &n};
	size_t rels = 0, sights = 0;
	int rc = vg__require(c, VG_ACT_READ, "object.view");
	if (!rc)
		rc = vg__may_read(c, "object.view");
	if (rc)
		return rc;
	if (!s)
		return VG_ESTORE;
	if (!vg_stix_id_valid(id, NULL)) {
		rc = vg__audit_read(c, "object.view", "", "{\"count\":0}");
		return rc ? rc : VG_ENOTFOUND;
	}
	rc = names_load(s, &n, 1);
	if (rc)
		return rc;
	struct vg_access_expr vis;
	vg_access_expr(&c->p, &vis);
	vg_jw_init(&w, out);
	vg_jw_obj(&w);
	vg_jw_kstr(&w, "id", id);
	vg_jw_key(&w, "versions");
	vg_jw_arr(&w);
	struct vg_query q = {
	    .visible = &vis,
	    .ids = &id,
	    .n_ids = 1,
	    .versions = VG_VERSIONS_ALL,
	    .newest_first = 1,
	};
	rc = s->ops->objects->scan(s, &q, version_row, &v);
	vg_jw_close(&w);
	if (rc || !v.count)
		goto out;
	vg_jw_kstr(&w, "type", v.type);
	access_json(&w, c, &v, &n);
	static const char *const kinds[] = {"relationship", "sighting"};
	for (size_t k = 0; !rc && k < 2; k++) {
		vg_jw_key(&w, k ? "sightings" : "relationships");
		vg_jw_arr(&w);
		struct vg_query r = {
		    .visible = &vis,
		    .types = &kinds[k],
		    .n_types = 1,
		    .ref = id,
		    .versions = VG_VERSIONS_LAST,
		    .newest_first = 1,
		    .limit = MAX_RELATED,
		};
		v.related = 0;
		rc = s->ops->objects->scan(s, &r, related_row, &v);
		vg_jw_close(&w);
		*(k ? &sights : &rels) = v.related;
	}
	if (rc)
		goto out;
	/* the names of what it references, as far as c may read them */
	vg_jw_key(&w, "names");
	vg_jw_obj(&w);
	if (v.refs.n) {
		struct vg_query r = {
		    .visible = &vis,
		    .ids = (const char *const *)v.refs.v,
		    .n_ids = v.refs.n,
		    .versions = VG_VERSIONS_LAST,
		};
		rc = s->ops->objects->scan(s, &r, name_row, &v);
	}
	vg_jw_close(&w);
	vg_jw_close(&w);
	if (!rc)
		rc = vg_jw_end(&w);
out:
	names_release(&n);
	ids_release(&v.refs);
	if (rc)
		return rc;
	struct vg__detail d;
	vg__detail_begin(&d);
	vg_jw_kint(&d.w, "count", (int64_t)v.count);
	if (v.count) {
		vg_jw_kint(&d.w, "relationships", (int64_t)rels);
		vg_jw_kint(&d.w, "sightings", (int64_t)sights);
	}
	const char *detail = vg__detail_end(&d);
	rc = detail ? vg__audit_read(c, "object.view", id, detail) : VG_ENOMEM;
	vg__detail_release(&d);
	if (!rc && !v.count)
		rc = VG_ENOTFOUND;
	return rc;
}
