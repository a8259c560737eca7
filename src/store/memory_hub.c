/* Settings, organisations, users, keys, sharing groups, collections and
 * the audit log of the in-memory store. */
#include "memory_int.h"
#include "vigil/util/error.h"

#include <stdlib.h>
#include <string.h>

#define ST(s) (&vg__m_db(s)->st)
#define dup vg__m_dup

/* ---- settings ---------------------------------------------------------- */

static int h_get(struct vg_store *s, const char *key, char **value)
{
	struct m_state *st = ST(s);
	for (size_t i = 0; i < st->kv.n; i++)
		if (!strcmp(st->kv.v[i].key, key)) {
			*value = strdup(st->kv.v[i].value);
			return *value ? VG_OK : VG_ENOMEM;
		}
	return VG_ENOTFOUND;
}

static int h_set(struct vg_store *s, const char *key, const char *value)
{
	TOUCH(s);
	struct m_state *st = ST(s);
	char *v = dup(value);
	if (!v)
		return VG_ENOMEM;
	for (size_t i = 0; i < st->kv.n; i++)
		if (!strcmp(st->kv.v[i].key, key)) {
			free(st->kv.v[i].value);
			st->kv.v[i].value = v;
			return VG_OK;
		}
	if (PUSH(st->kv)) {
		free(v);
		return VG_ENOMEM;
	}
	st->kv.v[st->kv.n - 1].key = dup(key);
	st->kv.v[st->kv.n - 1].value = v;
	return st->kv.v[st->kv.n - 1].key ? VG_OK : VG_ENOMEM;
}

/* ---- organisations, users, keys ---------------------------------------- */

static int org_add(struct vg_store *s, const char *name, const char *identity,
		   int64_t *id)
{
	TOUCH(s);
	struct m_state *st = ST(s);
	for (size_t i = 0; i < st->orgs.n; i++)
		if (!strcmp(st->orgs.v[i].name, name) ||
		    !strcmp(st->orgs.v[i].identity, identity))
			return VG_EDUPLICATE;
	if (PUSH(st->orgs))
		return VG_ENOMEM;
	struct m_org *o = &st->orgs.v[st->orgs.n - 1];
	o->id = (int64_t)st->orgs.n;
	o->name = dup(name);
	o->identity = dup(identity);
	o->created = vg__m_now();
	*id = o->id;
	return o->name && o->identity ? VG_OK : VG_ENOMEM;
}

static int org_emit(const struct m_org *o, vg_org_cb cb, void *ud)
{
	struct vg_org r = {o->id, o->name, o->identity, o->created};
	return cb(ud, &r);
}

static int org_find(struct vg_store *s, const char *name, int64_t id,
		    vg_org_cb cb, void *ud)
{
	struct m_state *st = ST(s);
	for (size_t i = 0; i < st->orgs.n; i++)
		if ((name && !strcmp(st->orgs.v[i].name, name)) ||
		    st->orgs.v[i].id == id)
			return org_emit(&st->orgs.v[i], cb, ud);
	return VG_ENOTFOUND;
}

static int org_list(struct vg_store *s, vg_org_cb cb, void *ud)
{
	struct m_state *st = ST(s);
	for (size_t i = 0; i < st->orgs.n; i++) {
		int rc = org_emit(&st->orgs.v[i], cb, ud);
		if (rc)
			return rc;
	}
	return VG_OK;
}

static const char *org_name(const struct m_state *st, int64_t id)
{
	for (size_t i = 0; i < st->orgs.n; i++)
		if (st->orgs.v[i].id == id)
			return st->orgs.v[i].name;
	return "";
}

static int user_add(struct vg_store *s, const char *name, int64_t org,
		    int role, int clearance, int64_t *id)
{
	TOUCH(s);
	struct m_state *st = ST(s);
	for (size_t i = 0; i < st->users.n; i++)
		if (!strcmp(st->users.v[i].name, name))
			return VG_EDUPLICATE;
	if (PUSH(st->users))
		return VG_ENOMEM;
	struct m_user *u = &st->users.v[st->users.n - 1];
	u->id = (int64_t)st->users.n;
	u->name = dup(name);
	u->org = org;
	u->role = role;
	u->clearance = clearance;
	u->created = vg__m_now();
	*id = u->id;
	return u->name ? VG_OK : VG_ENOMEM;
}

static int user_emit(const struct m_state *st, const struct m_user *u,
		     vg_user_cb cb, void *ud)
{
	struct vg_user r = {u->id, u->name, u->org, org_name(st, u->org),
			    u->role, u->clearance, u->disabled, u->created};
	return cb(ud, &r);
}

static int user_find(struct vg_store *s, const char *name, int64_t id,
		     vg_user_cb cb, void *ud)
{
	struct m_state *st = ST(s);
	for (size_t i = 0; i < st->users.n; i++)
		if ((name && !strcmp(st->users.v[i].name, name)) ||
		    st->users.v[i].id == id)
			return user_emit(st, &st->users.v[i], cb, ud);
	return VG_ENOTFOUND;
}

static int user_list(struct vg_store *s, int64_t org, vg_user_cb cb, void *ud)
{
	struct m_state *st = ST(s);
	for (size_t i = 0; i < st->users.n; i++) {
		if (org && st->users.v[i].org != org)
			continue;
		int rc = user_emit(st, &st->users.v[i], cb, ud);
		if (rc)
			return rc;
	}
	return VG_OK;
}

static int user_set_disabled(struct vg_store *s, int64_t id, int disabled)
{
	TOUCH(s);
	struct m_state *st = ST(s);
	for (size_t i = 0; i < st->users.n; i++)
		if (st->users.v[i].id == id) {
			st->users.v[i].disabled = disabled;
			return VG_OK;
		}
	return VG_ENOTFOUND;
}

static const struct m_user *user_by_id(const struct m_state *st, int64_t id)
{
	for (size_t i = 0; i < st->users.n; i++)
		if (st->users.v[i].id == id)
			return &st->users.v[i];
	return NULL;
}

static int key_add(struct vg_store *s, const char *id, int64_t user,
		   const unsigned char hash[VG_HASH_LEN], int64_t expires)
{
	TOUCH(s);
	struct m_state *st = ST(s);
	for (size_t i = 0; i < st->keys.n; i++)
		if (!strcmp(st->keys.v[i].id, id))
			return VG_EDUPLICATE;
	if (PUSH(st->keys))
		return VG_ENOMEM;
	struct m_key *k = &st->keys.v[st->keys.n - 1];
	k->id = dup(id);
	k->user = user;
	memcpy(k->hash, hash, VG_HASH_LEN);
	k->created = vg__m_now();
	k->expires = expires;
	return k->id ? VG_OK : VG_ENOMEM;
}

static int key_emit(const struct m_state *st, const struct m_key *k,
		    vg_key_cb cb, void *ud)
{
	const struct m_user *u = user_by_id(st, k->user);
	struct vg_key r = {k->id, k->user, u ? u->name : "", k->hash, k->created,
			   k->expires, k->revoked};
	return cb(ud, &r);
}

static int key_find(struct vg_store *s, const char *id, vg_key_cb cb, void *ud)
{
	struct m_state *st = ST(s);
	for (size_t i = 0; i < st->keys.n; i++)
		if (!strcmp(st->keys.v[i].id, id))
			return key_emit(st, &st->keys.v[i], cb, ud);
	return VG_ENOTFOUND;
}

static int key_list(struct vg_store *s, int64_t org, vg_key_cb cb, void *ud)
{
	struct m_state *st = ST(s);
	for (size_t i = 0; i < st->keys.n; i++) {
		const struct m_user *u = user_by_id(st, st->keys.v[i].user);
		if (org && (!u || u->org != org))
			continue;
		int rc = key_emit(st, &st->keys.v[i], cb, ud);
		if (rc)
			return rc;
	}
	return VG_OK;
}

static int key_revoke(struct vg_store *s, const char *id)
{
	TOUCH(s);
	struct m_state *st = ST(s);
	for (size_t i = 0; i < st->keys.n; i++)
		if (!strcmp(st->keys.v[i].id, id)) {
			st->keys.v[i].revoked = 1;
			return VG_OK;
		}
	return VG_ENOTFOUND;
}

const struct vg_store_hub_ops vg__m_hub_ops = {
	.get = h_get,
	.set = h_set,
	.org_add = org_add,
	.org_find = org_find,
	.org_list = org_list,
	.user_add = user_add,
	.user_find = user_find,
	.user_list = user_list,
	.user_set_disabled = user_set_disabled,
	.key_add = key_add,
	.key_find = key_find,
	.key_list = key_list,
	.key_revoke = key_revoke,
};

/* ---- sharing groups and collections ------------------------------------- */

static int group_add(struct vg_store *s, const char *name, int64_t *id)
{
	TOUCH(s);
	struct m_state *st = ST(s);
	for (size_t i = 0; i < st->groups.n; i++)
		if (!strcmp(st->groups.v[i].name, name))
			return VG_EDUPLICATE;
	if (PUSH(st->groups))
		return VG_ENOMEM;
	struct m_group *g = &st->groups.v[st->groups.n - 1];
	g->id = (int64_t)st->groups.n;
	g->name = dup(name);
	g->created = vg__m_now();
	*id = g->id;
	return g->name ? VG_OK : VG_ENOMEM;
}

static int group_find(struct vg_store *s, const char *name, int64_t *id)
{
	struct m_state *st = ST(s);
	for (size_t i = 0; i < st->groups.n; i++)
		if (!strcmp(st->groups.v[i].name, name)) {
			*id = st->groups.v[i].id;
			return VG_OK;
		}
	return VG_ENOTFOUND;
}

static int group_member(struct vg_store *s, int64_t grp, int64_t org, int add)
{
	TOUCH(s);
	struct m_state *st = ST(s);
	for (size_t i = 0; i < st->members.n; i++) {
		if (st->members.v[i].grp != grp || st->members.v[i].org != org)
			continue;
		if (add)
			return VG_EDUPLICATE;
		st->members.v[i] = st->members.v[--st->members.n];
		return VG_OK;
	}
	if (!add)
		return VG_ENOTFOUND;
	if (PUSH(st->members))
		return VG_ENOMEM;
	st->members.v[st->members.n - 1] = (struct m_member){grp, org};
	return VG_OK;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int group_list(struct vg_store *s, vg_group_cb cb, void *ud)
{
	struct m_state *st = ST(s);
	int rc = VG_OK;
	for (size_t i = 0; !rc && i < st->groups.n; i++) {
		const struct m_group *g = &st->groups.v[i];
		const char **names = malloc((st->members.n + 1) * sizeof(*names));
		struct vg_buf b;
		size_t n = 0;
		if (!names)
			return VG_ENOMEM;
		for (size_t k = 0; k < st->members.n; k++)
			if (st->members.v[k].grp == g->id)
				names[n++] = org_name(st, st->members.v[k].org);
		qsort(names, n, sizeof(*names), by_name);
		vg_buf_init(&b, 0);
		for (size_t k = 0; !rc && k < n; k++)
			rc = vg_buf_printf(&b, "%s%s", k ? "," : "", names[k]);
		struct vg_group r = {g->id, g->name, g->created};
		if (!rc)
			rc = cb(ud, &r, b.data ? b.data : "");
		vg_buf_release(&b);
		free(names);
	}
	return rc;
}

static int by_id64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int groups_of(struct vg_store *s, int64_t org, int64_t **ids, size_t *n)
{
	struct m_state *st = ST(s);
	int64_t *v = NULL;
	size_t k = 0;
	for (size_t i = 0; i < st->members.n; i++) {
		if (st->members.v[i].org != org)
			continue;
		int64_t *w = realloc(v, (k + 1) * sizeof(*v));
		if (!w) {
			free(v);
			return VG_ENOMEM;
		}
		v = w;
		v[k++] = st->members.v[i].grp;
	}
	if (k)
		qsort(v, k, sizeof(*v), by_id64);
	*ids = v;
	*n = k;
	return VG_OK;
}

static int coll_add(struct vg_store *s, const struct vg_collection *c)
{
	TOUCH(s);
	struct m_state *st = ST(s);
	int pos = 0;
	for (size_t i = 0; i < st->colls.n; i++) {
		if (!strcmp(st->colls.v[i].id, c->id) ||
		    !strcmp(st->colls.v[i].alias, c->alias))
			return VG_EDUPLICATE;
		if (st->colls.v[i].position > pos)
			pos = st->colls.v[i].position;
	}
	if (PUSH(st->colls))
		return VG_ENOMEM;
	struct m_coll *x = &st->colls.v[st->colls.n - 1];
	x->id = dup(c->id);
	x->alias = dup(c->alias);
	x->title = dup(c->title);
	x->description = dup(c->description);
	x->scope = c->scope;
	x->org = c->org;
	x->grp = c->grp;
	x->position = pos + 1;
	return x->id && x->alias && x->title && x->description ? VG_OK
							       : VG_ENOMEM;
}

static int coll_emit(const struct m_coll *x, vg_collection_cb cb, void *ud)
{
	struct vg_collection c = {x->id, x->alias, x->title, x->description,
				  x->scope, x->org, x->grp, x->position};
	return cb(ud, &c);
}

static int coll_find(struct vg_store *s, const char *key, vg_collection_cb cb,
		     void *ud)
{
	struct m_state *st = ST(s);
	for (size_t i = 0; i < st->colls.n; i++)
		if (!strcmp(st->colls.v[i].id, key) ||
		    !strcmp(st->colls.v[i].alias, key))
			return coll_emit(&st->colls.v[i], cb, ud);
	return VG_ENOTFOUND;
}

static int coll_list(struct vg_store *s, vg_collection_cb cb, void *ud)
{
	struct m_state *st = ST(s);
	/* added in position order, kept so */
	for (size_t i = 0; i < st->colls.n; i++) {
		int rc = coll_emit(&st->colls.v[i], cb, ud);
		if (rc)
			return rc;
	}
	return VG_OK;
}

const struct vg_store_sharing_ops vg__m_sharing_ops = {
	.group_add = group_add,
	.group_find = group_find,
	.group_member = group_member,
	.group_list = group_list,
	.groups_of = groups_of,
	.collection_add = coll_add,
	.collection_find = coll_find,
	.collection_list = coll_list,
};

/* ---- the audit log ---------------------------------------------------- */

static int a_head(struct vg_store *s, int64_t *seq, unsigned char hash[VG_HASH_LEN])
{
	struct m_state *st = ST(s);
	*seq = 0;
	memset(hash, 0, VG_HASH_LEN);
	if (st->audit.n) {
		*seq = st->audit.v[st->audit.n - 1].e.seq;
		memcpy(hash, st->audit.v[st->audit.n - 1].e.hash, VG_HASH_LEN);
	}
	return VG_OK;
}

static int a_append(struct vg_store *s, const struct vg_audit_entry *e)
{
	struct m_state *st = ST(s);
	if (st->audit.n && st->audit.v[st->audit.n - 1].e.seq >= e->seq)
		return VG_EDUPLICATE;
	if (PUSH(st->audit))
		return VG_ENOMEM;
	struct vg_audit_entry *x = &st->audit.v[st->audit.n - 1].e;
	*x = *e;
	x->actor = dup(e->actor ? e->actor : "");
	x->action = dup(e->action ? e->action : "");
	x->target = dup(e->target ? e->target : "");
	x->detail = dup(e->detail ? e->detail : "");
	x->source = dup(e->source ? e->source : "");
	x->purpose = dup(e->purpose ? e->purpose : "");
	x->auth = dup(e->auth ? e->auth : "");
	return x->actor && x->action && x->target && x->detail && x->source &&
			       x->purpose && x->auth
		       ? VG_OK
		       : VG_ENOMEM;
}

static int a_scan(struct vg_store *s, const struct vg_audit_filter *f,
		  vg_audit_cb cb, void *ud)
{
	struct m_state *st = ST(s);
	size_t n = 0;
	for (size_t i = 0; i < st->audit.n; i++) {
		const struct vg_audit_entry *e = &st->audit.v[i].e;
		if ((f->actor && strcmp(e->actor, f->actor)) ||
		    (f->action && strcmp(e->action, f->action)) || e->ts < f->since ||
		    e->seq <= f->after_seq)
			continue;
		if (f->limit && n == f->limit)
			break;
		n++;
		int rc = cb(ud, e);
		if (rc)
			return rc;
	}
	return VG_OK;
}

static int cp_add(struct vg_store *s, const struct vg_checkpoint *c)
{
	struct m_state *st = ST(s);
	for (size_t i = 0; i < st->cps.n; i++)
		if (st->cps.v[i].seq == c->seq)
			return VG_EDUPLICATE;
	if (PUSH(st->cps))
		return VG_ENOMEM;
	struct m_cp *x = &st->cps.v[st->cps.n - 1];
	x->seq = c->seq;
	x->ts = c->ts;
	memcpy(x->head, c->head, VG_HASH_LEN);
	memcpy(x->sig, c->sig, VG_SIG_LEN);
	return VG_OK;
}

static int cp_list(struct vg_store *s, vg_checkpoint_cb cb, void *ud)
{
	struct m_state *st = ST(s);
	for (size_t i = 0; i < st->cps.n; i++) {
		struct vg_checkpoint c = {.seq = st->cps.v[i].seq,
					  .ts = st->cps.v[i].ts,
					  .sig = st->cps.v[i].sig};
		memcpy(c.head, st->cps.v[i].head, VG_HASH_LEN);
		int rc = cb(ud, &c);
		if (rc)
			return rc;
	}
	return VG_OK;
}

const struct vg_store_audit_ops vg__m_audit_ops = {
	.head = a_head,
	.append = a_append,
	.scan = a_scan,
	.checkpoint_add = cp_add,
	.checkpoint_list = cp_list,
};
