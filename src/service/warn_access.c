/* Hit / no-hit and what follows it (warn.h): an owner's choice whether
 * its records may be disclosed, access requests from those told of them,
 * the owner's decision per object, and grants: audited, revocable
 * exceptions in the one access rule (access.h, p->grants), read when a
 * principal authenticates. */
#include "warn_int.h"
#include "vigil/util/error.h"
#include "vigil/util/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* c may decide for its organisation's records: a writer of it, or the
 * operator. */
static int may_decide(struct vg_ctx *c, const char *what)
{
	if (c->authenticated &&
	    (c->p.operator|| vg_principal_allows(&c->p, VG_ACT_WRITE)))
		return VG_OK;
	return vg__deny(c, "write", what);
}

static struct vg_store *store_of(struct vg_ctx *c, int *rc)
{
	struct vg_store *s = vg__reader(c->svc);
	*rc = !s ? VG_ESTORE : !s->ops->warn ? VG_EUNSUPPORTED : VG_OK;
	return s;
}

/* ---- disclosure choices ------------------------------------------------ */

struct coll {
	char id[80];
	int found;
};

static int take_coll(void *ud, const struct vg_collection *c)
{
	struct coll *x = ud;
	snprintf(x->id, sizeof(x->id), "%s", c->id);
	x->found = 1;
	return 0;
}

struct choice_job {
	struct vg_ctx *c;
	const char *subject;
	int64_t org;
	int choice;
};

static int choice_fn(struct vg_store *s, void *arg)
{
	struct choice_job *j = arg;
	int rc = s->ops->warn->disclosure_set(s, j->subject, j->org, j->choice);
	struct vg__detail d;
	vg__detail_begin(&d);
	vg_jw_kstr(&d.w, "choice",
	           j->choice < 0 ? "default"
	           : j->choice   ? "yes"
	                         : "no");
	vg_jw_kint(&d.w, "org", j->org);
	const char *detail = vg__detail_end(&d);
	if (!rc)
		rc = detail ? vg__audit(s, j->c, "access.disclosure",
		                        j->subject, detail)
		            : VG_ENOMEM;
	vg__detail_release(&d);
	return rc;
}

int vg_access_disclosure(struct vg_ctx *c, const char *subject, int choice,
                         char *err, size_t errlen)
{
	int rc = may_decide(c, "access.disclosure");
	if (rc)
		return rc;
	struct vg_store *s = store_of(c, &rc);
	if (rc)
		return rc;
	struct choice_job j = {c, subject, c->p.org,
	                       choice < 0 ? -1 : !!choice};
	struct coll co = {0};
	if (vg_stix_id_valid(subject, NULL)) {
		/* an object: its registered owner decides */
		int64_t owner = 0;
		int registered;
		rc = vg__owner_find(s, subject, &owner, &registered);
		if (!rc && !owner)
			rc = VG_ENOTFOUND; /* an SCO: nobody owns it */
		if (!rc && !c->p.operator&& owner != c->p.org)
			rc = VG_ENOTFOUND;
		if (rc) {
			snprintf(err, errlen,
			         "no object '%s' of your organisation",
			         subject);
			return rc;
		}
		j.org = owner;
	} else {
		/* a collection: each organisation decides for its records in
		 * it */
		rc = s->ops->sharing->collection_find(s, subject, take_coll,
		                                      &co);
		if (rc && rc != VG_ENOTFOUND)
			return rc;
		if (!co.found) {
			snprintf(err, errlen, "no collection '%s'", subject);
			return VG_ENOTFOUND;
		}
		j.subject = co.id;
		if (c->p.operator) {
			snprintf(err, errlen,
			         "the operator decides for an "
			         "organisation's objects, not its "
			         "collections");
			return VG_EINVAL;
		}
	}
	return vg__write(c->svc, choice_fn, &j);
}

/* ---- requests --------------------------------------------------------------
 */

struct org {
	int64_t id;
	int found;
};

static int take_org(void *ud, const struct vg_org *o)
{
	struct org *x = ud;
	x->id = o->id;
	x->found = 1;
	return 0;
}

struct req_job {
	struct vg_ctx *c;
	const char *object, *reason, *items;
	int64_t owner, id;
	size_t records;
	char owner_name[128];
};

static int req_fn(struct vg_store *s, void *arg)
{
	struct req_job *j = arg;
	struct vg_request_row r = {
	    .created = vg__now_us(),
	    .requester_org = j->c->p.org,
	    .requester_user = j->c->p.user,
	    .requester_name = j->c->user,
	    .owner_org = j->owner,
	    .object = j->object,
	    .reason = j->reason ? j->reason : "",
	    .items = j->items,
	    .state = VG_REQ_PENDING,
	};
	int rc = s->ops->warn->request_add(s, &r, &j->id);
	char from[128];
	vg__warn_org_name(s, j->c->p.org, from, sizeof(from));
	/* the owner's users learn of it */
	struct vg__detail d;
	vg__detail_begin(&d);
	vg_jw_kint(&d.w, "request", j->id);
	vg_jw_kstr(&d.w, "from", j->c->p.operator? "the hub operator" : from);
	vg_jw_kstr(&d.w, "by", j->c->user);
	vg_jw_key(&d.w, "reason");
	vg_jw_strn(&d.w, r.reason, 1000);
	vg_jw_kint(&d.w, "records", (int64_t)j->records);
	const char *detail = vg__detail_end(&d);
	struct vg_alert_row a = {
	    .org = j->owner,
	    .created = r.created,
	    .kind = VG_ALERT_REQUEST,
	    .detail = detail,
	};
	if (!rc)
		rc = detail ? s->ops->warn->alert_add(s, &a, NULL) : VG_ENOMEM;
	vg__detail_release(&d);
	struct vg__detail ad;
	vg__detail_begin(&ad);
	vg_jw_kstr(&ad.w, "org", j->owner_name);
	vg_jw_kint(&ad.w, "request", j->id);
	vg_jw_kint(&ad.w, "records", (int64_t)j->records);
	const char *adetail = vg__detail_end(&ad);
	if (!rc)
		rc = adetail ? vg__audit(s, j->c, "access.request", j->object,
		                         adetail)
		             : VG_ENOMEM;
	vg__detail_release(&ad);
	return rc;
}

int vg_access_request(struct vg_ctx *c, const char *object, const char *org,
                      const char *reason, struct vg_buf *out, char *err,
                      size_t errlen)
{
	int rc = vg__require(c, VG_ACT_READ, "access.request");
	if (!rc)
		rc = vg_ctx_purpose(c);
	if (rc)
		return rc;
	struct vg_store *s = store_of(c, &rc);
	if (rc)
		return rc;
	if (reason && strlen(reason) > 2000) {
		snprintf(err, errlen, "a reason takes at most 2000 bytes");
		return VG_EINVAL;
	}
	struct org o = {0};
	rc = s->ops->hub->org_find(s, org, 0, take_org, &o);
	if (rc && rc != VG_ENOTFOUND)
		return rc;
	char **ids = NULL;
	size_t n = 0;
	if (o.found)
		rc = vg__warn_hidden_of(c, s, object, o.id, &ids, &n);
	if (!rc && !n) {
		snprintf(err, errlen,
		         "no record of '%s' that you were told of "
		         "matches '%s'",
		         org, object);
		rc = vg__audit_now(c, "access.request", object,
		                   "{\"found\":false}");
		if (!rc)
			rc = VG_ENOTFOUND;
	} else if (rc == VG_ENOTFOUND) {
		snprintf(err, errlen, "no object '%s'", object);
	}
	struct vg__warn_conf conf;
	if (!rc)
		rc = vg__warn_conf_read(s, &conf);
	if (!rc)
		rc = vg__warn_bucket_take(c->svc, &c->p, conf.hits_per_hour);
	struct vg_buf items;
	struct vg_jw w;
	vg_buf_init(&items, 1 << 22);
	vg_jw_init(&w, &items);
	vg_jw_arr(&w);
	for (size_t i = 0; i < n; i++) {
		vg_jw_obj(&w);
		vg_jw_kstr(&w, "object", ids[i]);
		vg_jw_kstr(&w, "state", "pending");
		vg_jw_close(&w);
	}
	vg_jw_close(&w);
	if (!rc)
		rc = vg_jw_end(&w);
	struct req_job j = {c, object, reason, items.data, o.id, 0, n, ""};
	snprintf(j.owner_name, sizeof(j.owner_name), "%s", org);
	if (!rc)
		rc = vg__write(c->svc, req_fn, &j);
	if (!rc) {
		vg__warn_notify(c->svc);
		struct vg_jw jw;
		vg_jw_init(&jw, out);
		vg_jw_obj(&jw);
		vg_jw_kint(&jw, "id", j.id);
		vg_jw_kint(&jw, "records", (int64_t)n);
		vg_jw_close(&jw);
		rc = vg_jw_end(&jw);
	}
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	vg_buf_release(&items);
	return rc;
}

/* ---- listing requests
 * -------------------------------------------------------- */

struct rlist {
	struct vg_ctx *c;
	struct vg_store *s;
	struct vg_jw *w;
	int incoming;
	size_t n;
};

static void counts(const char *items, int64_t *pending, int64_t *granted,
                   int64_t *refused)
{
	cJSON *a = cJSON_Parse(items), *e;
	*pending = *granted = *refused = 0;
	cJSON_ArrayForEach(e, a)
	{
		const cJSON *st = cJSON_GetObjectItemCaseSensitive(e, "state");
		const char *v = cJSON_IsString(st) ? st->valuestring : "";
		*pending += !strcmp(v, "pending");
		*granted += !strcmp(v, "granted");
		*refused += !strcmp(v, "refused");
	}
	cJSON_Delete(a);
}

static int list_req(void *ud, const struct vg_request_row *r)
{
	struct rlist *l = ud;
	int mine =
	    l->c->p.operator||(l->incoming ? r->owner_org == l->c->p.org
	                                   : r->requester_org == l->c->p.org);
	if (!mine)
		return 0;
	struct vg_jw *w = l->w;
	char created[VG_TIME_LEN], org[128];
	int64_t pending, granted, refused;
	vg_time_format_us(r->created, created);
	counts(r->items, &pending, &granted, &refused);
	vg__warn_org_name(l->s, l->incoming ? r->requester_org : r->owner_org,
	                  org, sizeof(org));
	vg_jw_obj(w);
	vg_jw_kint(w, "id", r->id);
	vg_jw_kstr(w, "created", created);
	vg_jw_kstr(w, l->incoming ? "from" : "to", org);
	if (l->incoming) {
		vg_jw_kstr(w, "by", r->requester_name);
		/* the owner's own objects, never the requester's */
		vg_jw_key(w, "items");
		vg_jw_raw(w, r->items, strlen(r->items));
	} else {
		vg_jw_kstr(w, "object", r->object);
	}
	vg_jw_kstr(w, "reason", r->reason);
	vg_jw_kstr(w, "state",
	           r->state == VG_REQ_PENDING ? "pending" : "decided");
	vg_jw_kint(w, "pending", pending);
	vg_jw_kint(w, "granted", granted);
	vg_jw_kint(w, "refused", refused);
	vg_jw_close(w);
	l->n++;
	return w->rc;
}

int vg_access_requests(struct vg_ctx *c, struct vg_buf *out)
{
	int rc = vg__require(c, VG_ACT_READ, "access.requests");
	if (!rc)
		rc = vg_ctx_purpose(c);
	if (rc)
		return rc;
	struct vg_store *s = store_of(c, &rc);
	if (rc)
		return rc;
	struct vg_jw w;
	struct rlist l = {c, s, &w, 0, 0};
	int64_t org = c->p.operator? 0 : c->p.org;
	vg_jw_init(&w, out);
	vg_jw_obj(&w);
	vg_jw_key(&w, "outgoing");
	vg_jw_arr(&w);
	rc = s->ops->warn->request_list(s, org, list_req, &l);
	vg_jw_close(&w);
	vg_jw_key(&w, "incoming");
	vg_jw_arr(&w);
	l.incoming = 1;
	if (!rc)
		rc = s->ops->warn->request_list(s, org, list_req, &l);
	vg_jw_close(&w);
	vg_jw_close(&w);
	if (!rc)
		rc = vg_jw_end(&w);
	return rc ? rc : vg__audit_read(c, "access.requests", "", "{}");
}

/* ---- deciding
 * ------------------------------------------------------------------ */

struct reqrow {
	int found;
	int64_t id, requester_org, requester_user, owner_org;
	char *items;
};

static int take_req(void *ud, const struct vg_request_row *r)
{
	struct reqrow *x = ud;
	x->found = 1;
	x->id = r->id;
	x->requester_org = r->requester_org;
	x->requester_user = r->requester_user;
	x->owner_org = r->owner_org;
	x->items = strdup(r->items);
	return x->items ? 0 : VG_ENOMEM;
}

struct decide_job {
	struct vg_ctx *c;
	struct reqrow *r;
	const char *object;
	int grant;
	int64_t granted, refused, pending, grants;
	char *items;
};

struct rows_of {
	struct vg_store *s;
	struct decide_job *j;
	const char *object;
	int rc;
};

static int grant_row(void *ud, const struct vg_row *row)
{
	struct rows_of *x = ud;
	struct decide_job *j = x->j;
	struct vg_grant_row g = {
	    .org = j->r->requester_org,
	    .owner = j->r->owner_org,
	    .added = row->date_added,
	    .object = row->id,
	    .request = j->r->id,
	    .granted_by = j->c->user,
	    .created = vg__now_us(),
	};
	j->grants++;
	return x->s->ops->warn->grant_add(x->s, &g, NULL);
}

static int decide_fn(struct vg_store *s, void *arg)
{
	struct decide_job *j = arg;
	cJSON *items = cJSON_Parse(j->r->items), *e;
	int rc = VG_OK, touched = 0;
	j->granted = j->refused = j->pending = j->grants = 0;
	if (!items)
		return VG_EINTERNAL;
	cJSON_ArrayForEach(e, items)
	{
		cJSON *st = cJSON_GetObjectItemCaseSensitive(e, "state");
		const cJSON *ob = cJSON_GetObjectItemCaseSensitive(e, "object");
		int pending =
		    cJSON_IsString(st) && !strcmp(st->valuestring, "pending");
		int this =
		    cJSON_IsString(ob) && pending &&
		    (!j->object || !strcasecmp(ob->valuestring, j->object));
		if (!rc && this) {
			touched = 1;
			cJSON_SetValuestring(st,
			                     j->grant ? "granted" : "refused");
			if (j->grant) {
				/* every stored version of it, as it stands now
				 */
				struct vg_principal all = {.operator= 1 };
				struct vg_access_expr vis;
				const char *id = ob->valuestring;
				vg_access_expr(&all, &vis);
				struct vg_query q = {.visible = &vis,
				                     .ids = &id,
				                     .n_ids = 1,
				                     .versions =
				                         VG_VERSIONS_ALL,
				                     .owner = j->r->owner_org};
				struct rows_of x = {s, j, id, 0};
				rc =
				    s->ops->objects->scan(s, &q, grant_row, &x);
			}
		}
		const char *v =
		    cJSON_GetObjectItemCaseSensitive(e, "state")->valuestring;
		j->pending += !strcmp(v, "pending");
		j->granted += !strcmp(v, "granted");
		j->refused += !strcmp(v, "refused");
	}
	if (!rc && !touched)
		rc = VG_ENOTFOUND;
	char *text = rc ? NULL : cJSON_PrintUnformatted(items);
	cJSON_Delete(items);
	if (!rc && !text)
		rc = VG_ENOMEM;
	if (!rc)
		rc = s->ops->warn->request_update(s, j->r->id, text,
		                                  j->pending ? VG_REQ_PENDING
		                                             : VG_REQ_DECIDED,
		                                  j->c->user, vg__now_us());
	cJSON_free(text);
	if (!rc && j->grant)
		rc = vg__warn_gen_move(s); /* watchers' principals changed */
	/* the requester learns the decision */
	char owner[128];
	vg__warn_org_name(s, j->r->owner_org, owner, sizeof(owner));
	struct vg__detail d;
	vg__detail_begin(&d);
	vg_jw_kint(&d.w, "request", j->r->id);
	vg_jw_kstr(&d.w, "by", owner);
	vg_jw_kstr(&d.w, "decision", j->grant ? "granted" : "refused");
	vg_jw_kint(&d.w, "granted", j->granted);
	vg_jw_kint(&d.w, "refused", j->refused);
	vg_jw_kint(&d.w, "pending", j->pending);
	const char *detail = vg__detail_end(&d);
	struct vg_alert_row a = {
	    .org = j->r->requester_org,
	    .user = j->r->requester_user,
	    .created = vg__now_us(),
	    .kind = VG_ALERT_DECISION,
	    .detail = detail,
	};
	if (!rc)
		rc = detail ? s->ops->warn->alert_add(s, &a, NULL) : VG_ENOMEM;
	vg__detail_release(&d);
	char target[32];
	snprintf(target, sizeof(target), "%lld", (long long)j->r->id);
	struct vg__detail ad;
	vg__detail_begin(&ad);
	if (j->object)
		vg_jw_kstr(&ad.w, "object", j->object);
	vg_jw_kint(&ad.w, "to", j->r->requester_org);
	vg_jw_kint(&ad.w, "versions", j->grants);
	const char *adetail = vg__detail_end(&ad);
	if (!rc)
		rc = adetail ? vg__audit(s, j->c,
		                         j->grant ? "access.grant"
		                                  : "access.refuse",
		                         target, adetail)
		             : VG_ENOMEM;
	vg__detail_release(&ad);
	return rc;
}

int vg_access_decide(struct vg_ctx *c, int64_t request, const char *object,
                     int grant, struct vg_buf *out, char *err, size_t errlen)
{
	int rc = may_decide(c, grant ? "access.grant" : "access.refuse");
	if (rc)
		return rc;
	struct vg_store *s = store_of(c, &rc);
	if (rc)
		return rc;
	struct reqrow r = {0};
	char target[32];
	snprintf(target, sizeof(target), "%lld", (long long)request);
	rc = s->ops->warn->request_get(s, request, take_req, &r);
	if (rc && rc != VG_ENOTFOUND)
		goto out;
	if (!r.found || (!c->p.operator&& r.owner_org != c->p.org)) {
		snprintf(err, errlen, "no request %lld to your organisation",
		         (long long)request);
		rc = vg__audit_now(c, grant ? "access.grant" : "access.refuse",
		                   target, "{\"found\":false}");
		rc = rc ? rc : VG_ENOTFOUND;
		goto out;
	}
	struct decide_job j = {c, &r, object, grant, 0, 0, 0, 0, NULL};
	rc = vg__write(c->svc, decide_fn, &j);
	if (rc == VG_ENOTFOUND)
		snprintf(err, errlen, "nothing pending in request %lld%s%s",
		         (long long)request, object ? " for " : "",
		         object ? object : "");
	if (!rc) {
		vg__warn_notify(c->svc);
		struct vg_jw w;
		vg_jw_init(&w, out);
		vg_jw_obj(&w);
		vg_jw_kint(&w, "request", request);
		vg_jw_kint(&w, "granted", j.granted);
		vg_jw_kint(&w, "refused", j.refused);
		vg_jw_kint(&w, "pending", j.pending);
		vg_jw_close(&w);
		rc = vg_jw_end(&w);
	}
out:
	free(r.items);
	return rc;
}

/* ---- grants
 * ------------------------------------------------------------------ */

struct glist {
	struct vg_ctx *c;
	struct vg_store *s;
	struct vg_jw *w;
	int given;
};

static int list_grant(void *ud, const struct vg_grant_row *g)
{
	struct glist *l = ud;
	int mine = l->given ? (l->c->p.operator|| g->owner == l->c->p.org)
	                    : g->org == l->c->p.org;
	if (!mine)
		return 0;
	char created[VG_TIME_LEN], org[128];
	vg_time_format_us(g->created, created);
	vg__warn_org_name(l->s, l->given ? g->org : g->owner, org, sizeof(org));
	vg_jw_obj(l->w);
	vg_jw_kint(l->w, "id", g->id);
	vg_jw_kstr(l->w, l->given ? "to" : "from", org);
	vg_jw_kstr(l->w, "object", g->object);
	vg_jw_kint(l->w, "request", g->request);
	vg_jw_kstr(l->w, "granted_by", g->granted_by);
	vg_jw_kstr(l->w, "created", created);
	vg_jw_kbool(l->w, "revoked", g->revoked);
	vg_jw_close(l->w);
	return l->w->rc;
}

int vg_access_grants(struct vg_ctx *c, struct vg_buf *out)
{
	int rc = vg__require(c, VG_ACT_READ, "access.grants");
	if (!rc)
		rc = vg_ctx_purpose(c);
	if (rc)
		return rc;
	struct vg_store *s = store_of(c, &rc);
	if (rc)
		return rc;
	struct vg_jw w;
	struct glist l = {c, s, &w, 1};
	int64_t org = c->p.operator? 0 : c->p.org;
	vg_jw_init(&w, out);
	vg_jw_obj(&w);
	vg_jw_key(&w, "given");
	vg_jw_arr(&w);
	rc = s->ops->warn->grant_list(s, org, list_grant, &l);
	vg_jw_close(&w);
	vg_jw_key(&w, "received");
	vg_jw_arr(&w);
	l.given = 0;
	if (!rc)
		rc = s->ops->warn->grant_list(s, org, list_grant, &l);
	vg_jw_close(&w);
	vg_jw_close(&w);
	if (!rc)
		rc = vg_jw_end(&w);
	return rc ? rc : vg__audit_read(c, "access.grants", "", "{}");
}

struct gfind {
	int64_t id, owner;
	int found;
};

static int find_grant(void *ud, const struct vg_grant_row *g)
{
	struct gfind *x = ud;
	if (g->id == x->id && !g->revoked) {
		x->found = 1;
		x->owner = g->owner;
	}
	return 0;
}

struct revoke_job {
	struct vg_ctx *c;
	int64_t id;
};

static int revoke_fn(struct vg_store *s, void *arg)
{
	struct revoke_job *j = arg;
	char target[32];
	snprintf(target, sizeof(target), "%lld", (long long)j->id);
	int rc = s->ops->warn->grant_revoke(s, j->id, j->c->user, vg__now_us());
	if (!rc)
		rc = vg__warn_gen_move(s);
	return rc ? rc : vg__audit(s, j->c, "access.revoke", target, "{}");
}

int vg_access_revoke(struct vg_ctx *c, int64_t grant)
{
	int rc = may_decide(c, "access.revoke");
	if (rc)
		return rc;
	struct vg_store *s = store_of(c, &rc);
	if (rc)
		return rc;
	struct gfind x = {grant, 0, 0};
	char target[32];
	snprintf(target, sizeof(target), "%lld", (long long)grant);
	rc = s->ops->warn->grant_list(s, c->p.operator? 0 : c->p.org,
	                              find_grant, &x);
	if (rc)
		return rc;
	if (!x.found || (!c->p.operator&& x.owner != c->p.org)) {
		rc = vg__audit_now(c, "access.revoke", target,
		                   "{\"found\":false}");
		return rc ? rc : VG_ENOTFOUND;
	}
	struct revoke_job j = {c, grant};
	return vg__write(c->svc, revoke_fn, &j);
}
