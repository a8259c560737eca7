/* What the sync front receives, stored (partners.h vg_fed_store_page): one
 * page at a time, every object through validation, the ownership rule and
 * the origin's signature, refused ones into the partner's quarantine with
 * their reason, and the cursor moved in the same transaction as the
 * objects it covers, so a crash resumes without a gap or a duplicate. */
#include "fed_page.h"
#include "taxii_int.h"
#include "vigil/stix/stix.h"
#include "vigil/util/jspan.h"
#include "vigil/util/error.h"
#include "vigil/util/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static int take_target(void *ud, const struct vg_collection *c)
{
	struct vg__target *t = ud;
	snprintf(t->id, sizeof(t->id), "%s", c->id);
	t->scope = c->scope;
	t->grp = c->grp;
	t->org = c->org;
	return 0;
}

static const char *jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int take_span(void *ud, const struct vg_span *e)
{
	struct vg__page *j = ud;
	if (j->n == j->cap_objs) {
		size_t cap = j->cap_objs ? j->cap_objs * 2 : 256;
		struct vg_span *v = realloc(j->objs, cap * sizeof(*v));
		if (!v)
			return VG_ENOMEM;
		j->objs = v;
		j->cap_objs = cap;
	}
	j->objs[j->n++] = *e;
	return VG_OK;
}

static int is_key(const struct vg_span *k, const char *name)
{
	return k->n == strlen(name) && !memcmp(k->p, name, k->n);
}

/* The members of an envelope that matter, in one pass over it. */
static int take_member(void *ud, const struct vg_span *k,
                       const struct vg_span *v)
{
	struct vg__page *j = ud;
	if (is_key(k, "objects"))
		return vg_jspan_elements(v->p, v->n, take_span, j);
	if (is_key(k, "x_vigil_provenance") && !j->env)
		j->env = cJSON_ParseWithLength(v->p, v->n);
	else if (is_key(k, "more"))
		j->more = v->n == 4 && !memcmp(v->p, "true", 4);
	else if (is_key(k, "next") && v->n > 2 && v->p[0] == '"' &&
	         v->n - 2 < sizeof(j->next) &&
	         !memchr(v->p + 1, '\\', v->n - 2))
		snprintf(j->next, sizeof(j->next), "%.*s", (int)v->n - 2,
		         v->p + 1);
	return VG_OK;
}

static const cJSON *prov_of(const struct vg__page *j, size_t i)
{
	return j->provs && i < j->n ? j->provs[i] : NULL;
}

static struct vg__origin *find_origin(struct vg__origins *og, const char *id)
{
	if (og->last < og->n && !strcmp(og->v[og->last].id, id))
		return &og->v[og->last];
	for (size_t i = 0; i < og->n; i++)
		if (!strcmp(og->v[i].id, id))
			return &og->v[og->last = i];
	return NULL;
}

static int on_path(const cJSON *prov, const char *hub)
{
	const cJSON *h;
	cJSON_ArrayForEach(
	    h, cJSON_GetObjectItemCaseSensitive(
	           prov, "path")) if (cJSON_IsString(h) &&
	                              !strcmp(h->valuestring, hub)) return 1;
	return 0;
}

/* The checks of one object before it is stored (ingest's admit hook):
 * where it comes from, the origin's signature, its level here. */
static int admit(void *ud, size_t index, const cJSON *obj, int64_t *owner,
                 int *level, char *msg, size_t len)
{
	struct vg__page *j = ud;
	const cJSON *pv = prov_of(j, index);
	const char *id = jstr(obj, "id");
	if (index >= j->n)
		return snprintf(msg, len, "object '%s': not in the envelope",
		                id),
		       1;
	if (!j->prov) {
		/* a plain TAXII server: the partner's own trust, unsigned */
		*owner = j->p->org;
		return 0;
	}
	const char *origin = jstr(pv, "origin"), *sig = jstr(pv, "sig");
	if (!origin) {
		snprintf(msg, len,
		         "object '%s': no provenance from partner '%s'", id,
		         j->p->name);
		return 1;
	}
	if (!strcmp(origin, j->f->hub_id) || on_path(pv, j->f->hub_id)) {
		/* this hub's own object, or one that passed here: nothing new
		 */
		j->skip[index] = 1;
		snprintf(msg, len, "returned");
		return 1;
	}
	const struct vg__origin *o = find_origin(j->og, origin);
	if (!o || !o->org) {
		snprintf(msg, len, "object '%s': origin hub '%.80s' unknown",
		         id, origin);
		return 1;
	}
	if (!strncmp(origin, "taxii:", 6)) {
		/* relayed from a TAXII server that signs nothing */
		if (sig && *sig) {
			snprintf(msg, len,
			         "object '%s': a signature from unsigned "
			         "origin '%.80s'",
			         id, origin);
			return 1;
		}
	} else if (!sig || !*sig) {
		snprintf(msg, len,
		         "object '%s': origin hub '%.80s' signs what it "
		         "publishes, and this copy has no signature",
		         id, origin);
		return 1;
	} else if (!vg__fed_verify(o->pk, origin, obj, sig, j->seals)) {
		snprintf(msg, len,
		         "object '%s': the signature of origin hub "
		         "'%.80s' does not verify (altered or forged)",
		         id, origin);
		return 1;
	}
	const char *lv = jstr(pv, "level");
	*level = 0;
	if (lv && *lv && (*level = vg__hub_level(&j->c->svc->hub, lv)) < 0) {
		snprintf(msg, len,
		         "object '%s': classification '%.60s' is not a "
		         "level of this hub",
		         id, lv);
		return 1;
	}
	*owner = o->org;
	return 0;
}

/* The provenance row of a stored version (ingest's on_stored hook): the
 * path it came by, with this hub at its end. */
static int on_stored(void *ud, struct vg_store *s, size_t index,
                     int64_t date_added)
{
	struct vg__page *j = ud;
	const cJSON *pv = prov_of(j, index), *h;
	struct vg_buf path;
	struct vg_jw w;
	vg_buf_init(&path, 0);
	vg_jw_init(&w, &path);
	vg_jw_arr(&w);
	const char *origin = pv ? jstr(pv, "origin") : NULL;
	if (!origin)
		origin = j->pseudo;
	if (pv)
		cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(
		                          pv, "path")) if (cJSON_IsString(h))
		    vg_jw_str(&w, h->valuestring);
	if (!pv)
		vg_jw_str(&w, origin);
	vg_jw_str(&w, j->f->hub_id);
	vg_jw_close(&w);
	int rc = vg_jw_end(&w);
	const char *sig = pv ? jstr(pv, "sig") : NULL;
	struct vg_prov_row r = {
	    .date_added = date_added,
	    .origin = origin,
	    .path = path.data,
	    .sig = sig ? sig : "",
	    .unsigned_ = !sig || !*sig,
	};
	if (!rc)
		rc = s->ops->sync->prov_put(s, &r);
	vg_buf_release(&path);
	return rc;
}

static int on_result(void *ud, const struct vg_ingest_result *r)
{
	struct vg__page *j = ud;
	if (r->index >= j->n)
		return VG_OK;
	switch (r->outcome) {
	case VG_INGEST_ACCEPTED:
		j->res.accepted++;
		break;
	case VG_INGEST_DUPLICATE:
		j->res.duplicates++;
		break;
	case VG_INGEST_REJECTED:
		if (j->skip[r->index]) {
			j->res.returned++;
			break;
		}
		j->bad[r->index] = 1;
		free(j->reason[r->index]);
		j->reason[r->index] =
		    strdup(r->message ? r->message : "refused");
		if (!j->reason[r->index])
			return VG_ENOMEM;
		j->res.quarantined++;
		break;
	}
	return VG_OK;
}

static int later(const char *a, const char *b)
{
	int64_t x, y;
	if (!b || !*b)
		return 1;
	if (vg_time_parse_us(a, &x) || vg_time_parse_us(b, &y))
		return 0;
	return x > y;
}

/* The page's refused objects into the quarantine; a retried one leaves
 * it, or stays with its new reason. */
int vg__page_quarantine(struct vg_store *s, struct vg__page *j)
{
	int rc = VG_OK;
	for (size_t i = 0; !rc && i < j->n; i++) {
		if (!j->bad[i])
			continue;
		/* kept as it came, to be stored again as it came */
		cJSON *o = cJSON_ParseWithLength(j->objs[i].p, j->objs[i].n);
		char *text = strndup(j->objs[i].p, j->objs[i].n);
		char *prov = prov_of(j, i)
		                 ? cJSON_PrintUnformatted(prov_of(j, i))
		                 : NULL;
		const char *mod = jstr(o, "modified");
		struct vg_quarantine_row q = {
		    .partner = j->p->id,
		    .collection = j->t.id,
		    .object_id = jstr(o, "id") ? jstr(o, "id") : "",
		    .version = mod ? mod : jstr(o, "created"),
		    .reason = j->reason[i],
		    .json = text ? text : "",
		    .prov = prov ? prov : "",
		};
		rc = text ? s->ops->sync->quarantine_add(s, &q) : VG_ENOMEM;
		cJSON_Delete(o);
		free(text);
		free(prov);
	}
	if (!rc && j->retry_id) {
		/* retried: it leaves the quarantine, or stays with the new
		 * reason (added again above) */
		int64_t n;
		rc = s->ops->sync->quarantine_remove(s, j->p->id, j->retry_id,
		                                     &n);
	}
	return rc;
}

/* The writer's part: objects, provenance, quarantine. */
static int page_body(struct vg_store *s, struct vg__page *j)
{
	memset(&j->res, 0, sizeof(j->res));
	memset(j->bad, 0, j->n);
	int rc = vg_ingest_apply(s, j->g, &j->counts);
	return rc ? rc : vg__page_quarantine(s, j);
}

/* After the objects of one or more pages of j's collection: the cursor
 * (to date_last) and the audit entry, with res the pages' counts. */
int vg__page_tail(struct vg_store *s, const struct vg__page *j,
                  const struct vg_fed_page *res, const char *date_last)
{
	int rc = VG_OK;
	char key[240];
	if (j->remote)
		snprintf(key, sizeof(key), "pull:%s", j->remote);
	if (!rc && j->remote && date_last && *date_last) {
		char *cur = NULL;
		rc = s->ops->sync->cursor_get(s, j->p->id, key, &cur);
		if (rc == VG_ENOTFOUND)
			rc = VG_OK;
		if (!rc && later(date_last, cur))
			rc = s->ops->sync->cursor_set(s, j->p->id, key,
			                              date_last);
		free(cur);
	}
	if (!rc) {
		struct vg__detail d;
		vg__detail_begin(&d);
		vg_jw_kstr(&d.w, "collection", j->t.id);
		vg_jw_kstr(&d.w, "remote", j->remote ? j->remote : "");
		if (j->retry_id)
			vg_jw_kint(&d.w, "retry", j->retry_id);
		vg_jw_kint(&d.w, "accepted", (int64_t)res->accepted);
		vg_jw_kint(&d.w, "duplicates", (int64_t)res->duplicates);
		vg_jw_kint(&d.w, "quarantined", (int64_t)res->quarantined);
		vg_jw_kint(&d.w, "returned", (int64_t)res->returned);
		vg_jw_kstr(&d.w, "cursor", date_last ? date_last : "");
		const char *detail = vg__detail_end(&d);
		rc = detail
		         ? vg__audit(s, j->c,
		                     j->retry_id ? "sync.retry" : "sync.pull",
		                     j->p->name, detail)
		         : VG_ENOMEM;
		vg__detail_release(&d);
	}
	return rc;
}

/* The writer's part for one page: objects, provenance, quarantine,
 * cursor, audit. */
static int page_fn(struct vg_store *s, void *arg)
{
	struct vg__page *j = arg;
	int rc = page_body(s, j);
	return rc ? rc : vg__page_tail(s, j, &j->res, j->date_last);
}

/* Organisations for origin hubs seen for the first time, and their keys
 * pinned on first sight (introduced by this partner; audited). */
struct origins_job {
	struct vg_ctx *c;
	struct vg__page *pj;
};

static int origin_org(struct vg_store *s, struct vg_ctx *c,
                      const struct vg__partner *p, struct vg__origin *o,
                      const char *name, const char *key)
{
	char v[80], org_name[160];
	int rc = vg__fed_hub_setting(s, o->id, "org", v, sizeof(v));
	if (!rc) {
		o->org = strtoll(v, NULL, 10);
		if (!vg__fed_hub_setting(s, o->id, "pk", v, sizeof(v)))
			snprintf(o->pk, sizeof(o->pk), "%s", v);
		return VG_OK;
	}
	if (rc != VG_ENOTFOUND)
		return rc;
	char err[300] = "";
	snprintf(org_name, sizeof(org_name), "hub:%.60s",
	         name && vg_hub_name_ok(name, 60) ? name : o->id);
	rc = vg__org_create(s, org_name, &o->org, err, sizeof(err));
	if (rc == VG_EDUPLICATE) {
		/* another hub of that name: the id tells them apart */
		snprintf(org_name, sizeof(org_name), "hub:%.60s (%.8s)",
		         name && vg_hub_name_ok(name, 60) ? name : "?", o->id);
		rc = vg__org_create(s, org_name, &o->org, err, sizeof(err));
	}
	snprintf(v, sizeof(v), "%lld", (long long)o->org);
	if (!rc)
		rc = vg__fed_hub_set(s, o->id, "org", v);
	if (!rc && name)
		rc = vg__fed_hub_set(s, o->id, "name", name);
	if (!rc && key && strncmp(o->id, "taxii:", 6)) {
		rc = vg__fed_hub_set(s, o->id, "pk", key);
		snprintf(o->pk, sizeof(o->pk), "%s", key);
	}
	if (!rc) {
		struct vg__detail d;
		vg__detail_begin(&d);
		vg_jw_kstr(&d.w, "org", org_name);
		vg_jw_kstr(&d.w, "sign_pk", key ? key : "");
		vg_jw_kstr(&d.w, "introduced_by", p->name);
		const char *detail = vg__detail_end(&d);
		rc = detail ? vg__audit(s, c, "fed.origin", o->id, detail)
		            : VG_ENOMEM;
		vg__detail_release(&d);
	}
	return rc;
}

static int origins_fn(struct vg_store *s, void *arg)
{
	struct origins_job *oj = arg;
	struct vg__page *j = oj->pj;
	int rc = VG_OK;
	for (size_t i = 0; !rc && i < j->og->n; i++) {
		const char *name = NULL, *key = NULL;
		if (j->og->v[i].org)
			continue;
		for (size_t k = 0; k < j->n; k++) {
			const cJSON *pv = prov_of(j, k);
			const char *og = jstr(pv, "origin");
			if (og && !strcmp(og, j->og->v[i].id)) {
				name = jstr(pv, "origin_name");
				key = jstr(pv, "origin_key");
				break;
			}
		}
		if (key) {
			unsigned char raw[32];
			if (vg__unhex(key, raw, sizeof(raw)))
				key = NULL;
		}
		rc = origin_org(s, j->c, j->p, &j->og->v[i], name, key);
	}
	return rc;
}

int vg__page_origins_make(struct vg_store *s, struct vg__page *j)
{
	struct origins_job oj = {j->c, j};
	return origins_fn(s, &oj);
}

/* The page's origins that admit could know (not this hub, a hub id or a
 * TAXII server's name). */
static int knowable(const struct vg__page *j, const char *og)
{
	return og && strlen(og) < sizeof(j->og->v[0].id) &&
	       strcmp(og, j->f->hub_id) &&
	       (!strncmp(og, "taxii:", 6) || vg_uuid_valid(og));
}

/* 1 when every origin of the page that could be known is in its table. */
int vg__page_origins_known(const struct vg__page *j)
{
	for (size_t i = 0; j->prov && i < j->n; i++) {
		const char *og = jstr(prov_of(j, i), "origin");
		if (knowable(j, og) && !find_origin(j->og, og))
			return 0;
	}
	return 1;
}

/* Add the page's origins missing from its table, as the store s knows
 * them; *need: some are new (their org 0, made by origins_fn). */
int vg__page_origins_add(struct vg__page *j, struct vg_store *s, int *need)
{
	struct vg__origins *t = j->og;
	*need = 0;
	for (size_t i = 0; i < j->n; i++) {
		const char *og = jstr(prov_of(j, i), "origin");
		if (!knowable(j, og) || find_origin(t, og))
			continue;
		if (t->n == t->cap) {
			size_t cap = t->cap ? t->cap * 2 : 8;
			struct vg__origin *v = realloc(t->v, cap * sizeof(*v));
			if (!v)
				return VG_ENOMEM;
			t->v = v;
			t->cap = cap;
		}
		struct vg__origin *o = &t->v[t->n++];
		memset(o, 0, sizeof(*o));
		snprintf(o->id, sizeof(o->id), "%s", og);
		char v[80];
		int rc = vg__fed_hub_setting(s, og, "org", v, sizeof(v));
		if (rc == VG_ENOTFOUND) {
			*need = 1;
			continue;
		}
		if (rc)
			return rc;
		o->org = strtoll(v, NULL, 10);
		if (!vg__fed_hub_setting(s, og, "pk", v, sizeof(v)))
			snprintf(o->pk, sizeof(o->pk), "%s", v);
	}
	return VG_OK;
}

/* The origins of a lone page: known ones resolved here, new ones made in
 * a transaction of their own. */
static int resolve_origins(struct vg__page *j, struct vg_store *s)
{
	int need = 0;
	int rc = vg__page_origins_add(j, s, &need);
	if (rc || !need)
		return rc;
	struct origins_job oj = {j->c, j};
	return vg__write(j->c->svc, origins_fn, &oj);
}

static int find_target(struct vg_store *s, const char *coll,
                       struct vg__target *t)
{
	return s->ops->sharing->collection_find(s, coll, take_target, t);
}

/* The local collection of a page: the partner's setting for the remote
 * collection, else what the objects' provenance says (connected arrives as
 * community; all stays all; a group goes to the local group of that name,
 * which must list the partner hub), else the community. */
void vg__page_alias(const struct vg__page *j, const char *local,
                    char alias[160])
{
	snprintf(alias, 160, "community");
	if (local && *local) {
		snprintf(alias, 160, "%s", local);
	} else if (j->n && prov_of(j, 0)) {
		const char *scope = jstr(prov_of(j, 0), "scope");
		const char *grp = jstr(prov_of(j, 0), "group");
		if (scope && !strcmp(scope, "all")) {
			snprintf(alias, 160, "all");
		} else if (scope && !strcmp(scope, "group") && grp) {
			char sl[120];
			vg_hub_slug(grp, sl, sizeof(sl));
			snprintf(alias, 160, "group-%s", sl);
		}
	}
}

int vg__page_target(struct vg__page *j, struct vg_store *s, const char *alias)
{
	int rc = find_target(s, alias, &j->t);
	if (rc == VG_ENOTFOUND)
		snprintf(j->err, j->errlen,
		         "partner '%s': no local collection "
		         "'%s' for what it sends",
		         j->p->name, alias);
	if (rc)
		return rc;
	if (j->t.scope == VG_SCOPE_GROUP) {
		/* only a group that lists the partner hub takes its objects */
		int64_t *g = NULL;
		size_t n = 0;
		int in = 0;
		rc = s->ops->sharing->groups_of(s, j->p->org, &g, &n);
		for (size_t i = 0; i < n; i++)
			in |= g[i] == j->t.grp;
		free(g);
		if (!rc && !in) {
			snprintf(j->err, j->errlen,
			         "partner '%s': the group of "
			         "collection '%s' does not list it",
			         j->p->name, alias);
			rc = VG_EDENIED;
		}
	}
	return rc;
}

void vg__page_release(struct vg__page *j)
{
	vg_ingest_abort(j->g);
	for (size_t i = 0; j->reason && i < j->n; i++)
		free(j->reason[i]);
	free(j->reason);
	free(j->skip);
	free(j->bad);
	free(j->own.v);
	free(j->provs);
	free(j->objs);
	cJSON_Delete(j->env);
}

const char *vg__page_local(const struct vg__partner *p, const char *remote)
{
	for (size_t i = 0; remote && i < p->cfg.n_remote; i++)
		if (!strcmp(p->cfg.remote[i], remote))
			return p->cfg.local[i];
	return NULL;
}

/* Read one page into j, whose c, p, f, err are set: the objects' texts
 * as they came (no tree: ingest parses each) and the provenance alone.
 * Touches no store. */
int vg__page_read(struct vg__page *j, const char *body, size_t len)
{
	struct vg__partner *p = j->p;
	char *err = j->err;
	size_t errlen = j->errlen;
	snprintf(j->pseudo, sizeof(j->pseudo), "taxii:%s@%s", p->name,
	         j->f->hub_id);
	int rc = vg_jspan_members(body, len, take_member, j);
	if (rc) {
		snprintf(err, errlen,
		         "partner '%s': the answer is not a TAXII "
		         "envelope",
		         p->name);
		rc = rc == VG_ENOMEM ? rc : VG_EINVAL;
		goto out;
	}
	j->prov = j->env;
	if (j->prov && (!cJSON_IsArray(j->prov) ||
	                (size_t)cJSON_GetArraySize(j->prov) != j->n)) {
		snprintf(err, errlen,
		         "partner '%s': x_vigil_provenance does not "
		         "match the objects",
		         p->name);
		rc = VG_EINVAL;
		goto out;
	}
	if (!j->prov && p->hub_id[0] && j->n) {
		/* a vigil hub always says where its objects come from */
		snprintf(err, errlen,
		         "partner '%s': a vigil hub answered without "
		         "provenance",
		         p->name);
		rc = VG_EINVAL;
		goto out;
	}
	if (j->prov) {
		/* by position: cJSON's arrays are lists */
		const cJSON *it;
		size_t k = 0;
		if (!(j->provs = calloc(j->n + 1, sizeof(*j->provs)))) {
			rc = VG_ENOMEM;
			goto out;
		}
		cJSON_ArrayForEach(it, j->prov) j->provs[k++] = it;
	}
	j->skip = calloc(j->n + 1, 1);
	j->bad = calloc(j->n + 1, 1);
	j->reason = calloc(j->n + 1, sizeof(*j->reason));
	if (!j->skip || !j->bad || !j->reason)
		rc = VG_ENOMEM;
out:
	return rc;
}

/* The ingest options of pages going to j's target. */
void vg__page_opts(struct vg__page *j, struct vg_ingest_opts *o)
{
	struct vg_ctx *c = j->c;
	*o = (struct vg_ingest_opts){
	    .collection = j->t.id,
	    .owner = j->p->org,
	    .scope = j->t.scope,
	    .grp = j->t.grp,
	    .level_markings = c->svc->hub.level_ptrs,
	    .n_levels = c->svc->hub.n_levels,
	    .envelope = 1,
	    .svc = c->svc,
	    .admit = admit,
	    .on_stored = on_stored,
	    .on_result = on_result,
	    .ud = j,
	};
}

/* Read one page and prepare its objects (parsed, validated, admitted)
 * into j, whose c, p, remote, retry_id, err are set. */
static int page_setup(struct vg__page *j, const char *local, const char *body,
                      size_t len)
{
	struct vg_ctx *c = j->c;
	struct vg_store *s = vg__reader(c->svc);
	struct vg_ingest_opts o;
	char alias[160], perr[520] = "";
	int rc = s ? vg__fed_get(c->svc, &j->f, j->err, j->errlen) : VG_ESTORE;
	j->og = &j->own;
	j->seals = &j->own_seals;
	if (rc || (rc = vg__page_read(j, body, len)))
		return rc;
	vg__page_alias(j, local, alias);
	if ((rc = vg__page_target(j, s, alias)) || (rc = resolve_origins(j, s)))
		return rc;
	vg__page_opts(j, &o);
	rc = vg_ingest_prepare(body, len, &o, &j->g, perr, sizeof(perr));
	if (rc == VG_EJSON || rc == VG_ETOOBIG) {
		snprintf(j->err, j->errlen, "partner '%s': %s", j->p->name,
		         perr);
		rc = VG_EINVAL;
	}
	return rc;
}

int vg__fed_store(struct vg_ctx *c, struct vg__partner *p, const char *remote,
                  const char *local, int64_t retry_id, const char *body,
                  size_t len, const char *date_last, struct vg_fed_page *res,
                  struct vg__outcome *oc, char *err, size_t errlen)
{
	struct vg__page j = {.c = c,
	                     .p = p,
	                     .remote = remote,
	                     .retry_id = retry_id,
	                     .date_last = date_last,
	                     .err = err,
	                     .errlen = errlen};
	int rc = page_setup(&j, local, body, len);
	if (!rc)
		rc = vg__write(c->svc, page_fn, &j);
	if (!rc && res) {
		*res = j.res;
		res->more = j.more;
		snprintf(res->next, sizeof(res->next), "%s", j.next);
	}
	if (!rc && oc) {
		oc->bad = j.bad;
		oc->reason = j.reason;
		oc->n = j.n;
		j.bad = NULL;
		j.reason = NULL;
	}
	vg__page_release(&j);
	return rc;
}

int vg_fed_store_page(struct vg_ctx *c, const char *remote, const char *body,
                      size_t len, const char *date_last,
                      struct vg_fed_page *res, char *err, size_t errlen)
{
	struct vg_store *s = vg__reader(c->svc);
	struct vg__partner *p = malloc(sizeof(*p));
	int rc = !s ? VG_ESTORE : !p ? VG_ENOMEM : vg__fed_ctx_partner(c, s, p);
	if (!rc)
		rc =
		    vg__fed_store(c, p, remote, vg__page_local(p, remote), 0,
		                  body, len, date_last, res, NULL, err, errlen);
	free(p);
	return rc;
}
