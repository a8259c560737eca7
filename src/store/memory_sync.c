/* Federation rows in the in-memory store (store/sync.h), as arrays hung off
 * the state (m_state.sync), copied and freed with it. */
#include "memory_int.h"
#include "vigil/util/error.h"

#include <stdlib.h>
#include <string.h>

struct m_partner {
	int64_t id, org, created;
	int direction;
	char *name, *url, *hub_id, *sign_pk, *config, *state;
	unsigned char *secret;
	size_t secret_len;
};
struct m_cursor {
	int64_t partner;
	char *key, *value;
};
struct m_quar {
	int64_t id, partner, created;
	char *collection, *object_id, *version, *reason, *json, *prov;
};
struct m_prov {
	int64_t date_added;
	char *origin, *path, *sig;
	int unsigned_;
};
struct m_tomb {
	int64_t seq, grp, created;
	int scope, tlp, classification;
	char *origin, *id, *version, *sig, *path, *collection, *type;
};

struct m_sync {
	VEC(struct m_partner) partners;
	VEC(struct m_cursor) cursors;
	VEC(struct m_quar) quar;
	VEC(struct m_prov) prov;
	VEC(struct m_tomb) tombs;
	int64_t next_id, next_tomb;
};

#define dup vg__m_dup

static void free_partner(struct m_partner *p)
{
	free(p->name);
	free(p->url);
	free(p->hub_id);
	free(p->sign_pk);
	free(p->config);
	free(p->state);
	free(p->secret);
}

static void free_tomb(struct m_tomb *t)
{
	free(t->origin);
	free(t->id);
	free(t->version);
	free(t->sig);
	free(t->path);
	free(t->collection);
	free(t->type);
}

static void free_quar(struct m_quar *q)
{
	free(q->collection);
	free(q->object_id);
	free(q->version);
	free(q->reason);
	free(q->json);
	free(q->prov);
}

void vg__m_sync_free(struct m_sync *y)
{
	if (!y)
		return;
	for (size_t i = 0; i < y->partners.n; i++)
		free_partner(&y->partners.v[i]);
	for (size_t i = 0; i < y->cursors.n; i++) {
		free(y->cursors.v[i].key);
		free(y->cursors.v[i].value);
	}
	for (size_t i = 0; i < y->quar.n; i++)
		free_quar(&y->quar.v[i]);
	for (size_t i = 0; i < y->prov.n; i++) {
		free(y->prov.v[i].origin);
		free(y->prov.v[i].path);
		free(y->prov.v[i].sig);
	}
	for (size_t i = 0; i < y->tombs.n; i++)
		free_tomb(&y->tombs.v[i]);
	free(y->partners.v);
	free(y->cursors.v);
	free(y->quar.v);
	free(y->prov.v);
	free(y->tombs.v);
	free(y);
}

static unsigned char *dupmem(const unsigned char *p, size_t n)
{
	unsigned char *d = p && n ? malloc(n) : NULL;
	if (d)
		memcpy(d, p, n);
	return d;
}

#define COPYVEC(d, s)                                                          \
	do {                                                                   \
		(d).n = (d).cap = (s).n;                                       \
		(d).v = (s).n ? calloc((s).n, sizeof(*(s).v)) : NULL;          \
		if ((s).n && !(d).v)                                           \
			goto nomem;                                            \
		if ((s).n)                                                     \
			memcpy((d).v, (s).v, (s).n * sizeof(*(s).v));          \
	} while (0)

int vg__m_sync_copy(struct m_sync **out, const struct m_sync *s)
{
	*out = NULL;
	if (!s)
		return VG_OK;
	struct m_sync *d = calloc(1, sizeof(*d));
	if (!d)
		return VG_ENOMEM;
	d->next_id = s->next_id;
	d->next_tomb = s->next_tomb;
	COPYVEC(d->partners, s->partners);
	for (size_t i = 0; i < d->partners.n; i++) {
		struct m_partner *p = &d->partners.v[i];
		p->name = dup(p->name);
		p->url = dup(p->url);
		p->hub_id = dup(p->hub_id);
		p->sign_pk = dup(p->sign_pk);
		p->config = dup(p->config);
		p->state = dup(p->state);
		p->secret = dupmem(p->secret, p->secret_len);
	}
	COPYVEC(d->cursors, s->cursors);
	for (size_t i = 0; i < d->cursors.n; i++) {
		d->cursors.v[i].key = dup(d->cursors.v[i].key);
		d->cursors.v[i].value = dup(d->cursors.v[i].value);
	}
	COPYVEC(d->quar, s->quar);
	for (size_t i = 0; i < d->quar.n; i++) {
		struct m_quar *q = &d->quar.v[i];
		q->collection = dup(q->collection);
		q->object_id = dup(q->object_id);
		q->version = dup(q->version);
		q->reason = dup(q->reason);
		q->json = dup(q->json);
		q->prov = dup(q->prov);
	}
	COPYVEC(d->prov, s->prov);
	for (size_t i = 0; i < d->prov.n; i++) {
		d->prov.v[i].origin = dup(d->prov.v[i].origin);
		d->prov.v[i].path = dup(d->prov.v[i].path);
		d->prov.v[i].sig = dup(d->prov.v[i].sig);
	}
	COPYVEC(d->tombs, s->tombs);
	for (size_t i = 0; i < d->tombs.n; i++) {
		struct m_tomb *t = &d->tombs.v[i];
		t->origin = dup(t->origin);
		t->id = dup(t->id);
		t->version = dup(t->version);
		t->sig = dup(t->sig);
		t->path = dup(t->path);
		t->collection = dup(t->collection);
		t->type = dup(t->type);
	}
	*out = d;
	return VG_OK;
nomem:
	vg__m_sync_free(d);
	return VG_ENOMEM;
}

/* The sync state of s, made on first use (the caller has touched). */
static struct m_sync *Y(struct vg_store *s)
{
	struct m_state *st = &vg__m_db(s)->st;
	if (!st->sync)
		st->sync = calloc(1, sizeof(*st->sync));
	return st->sync;
}

static const struct m_sync *R(struct vg_store *s)
{
	static const struct m_sync empty;
	const struct m_state *st = &vg__m_db(s)->st;
	return st->sync ? st->sync : &empty;
}

static int64_t now_us(void)
{
	return vg__m_now();
}

static int set_fields(struct m_partner *p, const struct vg_partner_row *r)
{
	char *url = dup(r->url), *hub = dup(r->hub_id ? r->hub_id : "");
	char *pk = dup(r->sign_pk ? r->sign_pk : ""), *cf = dup(r->config);
	unsigned char *sec = dupmem(r->secret, r->secret_len);
	if (!url || !hub || !pk || !cf ||
	    (r->secret && r->secret_len && !sec)) {
		free(url);
		free(hub);
		free(pk);
		free(cf);
		free(sec);
		return VG_ENOMEM;
	}
	free(p->url);
	free(p->hub_id);
	free(p->sign_pk);
	free(p->config);
	free(p->secret);
	p->url = url;
	p->hub_id = hub;
	p->sign_pk = pk;
	p->config = cf;
	p->secret = sec;
	p->secret_len = sec ? r->secret_len : 0;
	p->direction = r->direction;
	return VG_OK;
}

static struct m_partner *by_id(const struct m_sync *y, int64_t id)
{
	for (size_t i = 0; i < y->partners.n; i++)
		if (y->partners.v[i].id == id)
			return &y->partners.v[i];
	return NULL;
}

static int partner_add(struct vg_store *s, const struct vg_partner_row *r,
                       int64_t *id)
{
	TOUCH(s);
	struct m_sync *y = Y(s);
	if (!y)
		return VG_ENOMEM;
	for (size_t i = 0; i < y->partners.n; i++)
		if (!strcmp(y->partners.v[i].name, r->name))
			return vg__m_fail(s, VG_EDUPLICATE,
			                  "partner name taken");
	if (PUSH(y->partners))
		return VG_ENOMEM;
	struct m_partner *p = &y->partners.v[y->partners.n - 1];
	p->name = dup(r->name);
	p->state = dup(r->state ? r->state : "{}");
	p->org = r->org;
	p->created = now_us();
	p->id = ++y->next_id;
	if (!p->name || !p->state || set_fields(p, r)) {
		free_partner(p);
		y->partners.n--;
		return VG_ENOMEM;
	}
	*id = p->id;
	return VG_OK;
}

static int partner_update(struct vg_store *s, const struct vg_partner_row *r)
{
	TOUCH(s);
	struct m_partner *p = by_id(Y(s), r->id);
	return p ? set_fields(p, r) : VG_ENOTFOUND;
}

static int partner_state(struct vg_store *s, int64_t id, const char *state)
{
	TOUCH(s);
	struct m_partner *p = by_id(Y(s), id);
	char *v = dup(state);
	if (!p || !v) {
		free(v);
		return p ? VG_ENOMEM : VG_ENOTFOUND;
	}
	free(p->state);
	p->state = v;
	return VG_OK;
}

static int emit(const struct m_partner *p, vg_partner_cb cb, void *ud)
{
	struct vg_partner_row r = {
	    .id = p->id,
	    .name = p->name,
	    .url = p->url,
	    .direction = p->direction,
	    .org = p->org,
	    .hub_id = p->hub_id,
	    .sign_pk = p->sign_pk,
	    .config = p->config,
	    .secret = p->secret,
	    .secret_len = p->secret_len,
	    .state = p->state,
	    .created = p->created,
	};
	return cb(ud, &r);
}

static int partner_find(struct vg_store *s, const char *name, int64_t id,
                        vg_partner_cb cb, void *ud)
{
	const struct m_sync *y = R(s);
	for (size_t i = 0; i < y->partners.n; i++) {
		const struct m_partner *p = &y->partners.v[i];
		if (name ? !strcmp(p->name, name) : p->id == id)
			return emit(p, cb, ud);
	}
	return VG_ENOTFOUND;
}

static int by_name(const void *a, const void *b)
{
	return strcmp((*(const struct m_partner *const *)a)->name,
	              (*(const struct m_partner *const *)b)->name);
}

static int partner_list(struct vg_store *s, vg_partner_cb cb, void *ud)
{
	const struct m_sync *y = R(s);
	const struct m_partner **v =
	    y->partners.n ? malloc(y->partners.n * sizeof(*v)) : NULL;
	int rc = VG_OK;
	if (y->partners.n && !v)
		return VG_ENOMEM;
	for (size_t i = 0; i < y->partners.n; i++)
		v[i] = &y->partners.v[i];
	if (y->partners.n)
		qsort(v, y->partners.n, sizeof(*v), by_name);
	for (size_t i = 0; !rc && i < y->partners.n; i++)
		rc = emit(v[i], cb, ud);
	free(v);
	return rc;
}

static int partner_remove(struct vg_store *s, int64_t id)
{
	TOUCH(s);
	struct m_sync *y = Y(s);
	struct m_partner *p = by_id(y, id);
	if (!p)
		return VG_ENOTFOUND;
	free_partner(p);
	*p = y->partners.v[--y->partners.n];
	for (size_t i = 0; i < y->cursors.n;) {
		if (y->cursors.v[i].partner == id) {
			free(y->cursors.v[i].key);
			free(y->cursors.v[i].value);
			y->cursors.v[i] = y->cursors.v[--y->cursors.n];
		} else {
			i++;
		}
	}
	for (size_t i = 0; i < y->quar.n;) {
		if (y->quar.v[i].partner == id) {
			free_quar(&y->quar.v[i]);
			memmove(&y->quar.v[i], &y->quar.v[i + 1],
			        (y->quar.n - i - 1) * sizeof(y->quar.v[0]));
			y->quar.n--;
		} else {
			i++;
		}
	}
	return VG_OK;
}

static int cursor_get(struct vg_store *s, int64_t partner, const char *key,
                      char **value)
{
	const struct m_sync *y = R(s);
	for (size_t i = 0; i < y->cursors.n; i++)
		if (y->cursors.v[i].partner == partner &&
		    !strcmp(y->cursors.v[i].key, key))
			return (*value = dup(y->cursors.v[i].value))
			           ? VG_OK
			           : VG_ENOMEM;
	return VG_ENOTFOUND;
}

static int cursor_set(struct vg_store *s, int64_t partner, const char *key,
                      const char *value)
{
	TOUCH(s);
	struct m_sync *y = Y(s);
	char *v = dup(value);
	if (!y || !v) {
		free(v);
		return VG_ENOMEM;
	}
	for (size_t i = 0; i < y->cursors.n; i++)
		if (y->cursors.v[i].partner == partner &&
		    !strcmp(y->cursors.v[i].key, key)) {
			free(y->cursors.v[i].value);
			y->cursors.v[i].value = v;
			return VG_OK;
		}
	if (PUSH(y->cursors)) {
		free(v);
		return VG_ENOMEM;
	}
	struct m_cursor *c = &y->cursors.v[y->cursors.n - 1];
	c->partner = partner;
	c->value = v;
	if (!(c->key = dup(key))) {
		free(v);
		y->cursors.n--;
		return VG_ENOMEM;
	}
	return VG_OK;
}

static int quarantine_add(struct vg_store *s, const struct vg_quarantine_row *r)
{
	TOUCH(s);
	struct m_sync *y = Y(s);
	if (!y || PUSH(y->quar))
		return VG_ENOMEM;
	struct m_quar *q = &y->quar.v[y->quar.n - 1];
	q->id = ++y->next_id;
	q->partner = r->partner;
	q->created = r->created ? r->created : now_us();
	q->collection = dup(r->collection ? r->collection : "");
	q->object_id = dup(r->object_id ? r->object_id : "");
	q->version = dup(r->version ? r->version : "");
	q->reason = dup(r->reason);
	q->json = dup(r->json);
	q->prov = dup(r->prov ? r->prov : "");
	if (!q->collection || !q->object_id || !q->version || !q->reason ||
	    !q->json || !q->prov) {
		free_quar(q);
		y->quar.n--;
		return VG_ENOMEM;
	}
	return VG_OK;
}

static int quarantine_list(struct vg_store *s, int64_t partner, int64_t id,
                           vg_quarantine_cb cb, void *ud)
{
	const struct m_sync *y = R(s);
	int rc = VG_OK;
	for (size_t i = 0; !rc && i < y->quar.n; i++) {
		const struct m_quar *q = &y->quar.v[i];
		if (q->partner != partner || (id && q->id != id))
			continue;
		struct vg_quarantine_row r = {
		    .id = q->id,
		    .partner = q->partner,
		    .created = q->created,
		    .collection = q->collection,
		    .object_id = q->object_id,
		    .version = q->version,
		    .reason = q->reason,
		    .json = q->json,
		    .prov = q->prov,
		};
		rc = cb(ud, &r);
	}
	return rc;
}

static int quarantine_remove(struct vg_store *s, int64_t partner, int64_t id,
                             int64_t *n)
{
	TOUCH(s);
	struct m_sync *y = Y(s);
	*n = 0;
	for (size_t i = 0; y && i < y->quar.n;) {
		struct m_quar *q = &y->quar.v[i];
		if (q->partner == partner && (!id || q->id == id)) {
			free_quar(q);
			memmove(q, q + 1, (y->quar.n - i - 1) * sizeof(*q));
			y->quar.n--;
			(*n)++;
		} else {
			i++;
		}
	}
	return VG_OK;
}

static int quarantine_count(struct vg_store *s, int64_t partner, int64_t *n)
{
	const struct m_sync *y = R(s);
	*n = 0;
	for (size_t i = 0; i < y->quar.n; i++)
		*n += y->quar.v[i].partner == partner;
	return VG_OK;
}

static int prov_put(struct vg_store *s, const struct vg_prov_row *r)
{
	TOUCH(s);
	struct m_sync *y = Y(s);
	if (!y)
		return VG_ENOMEM;
	for (size_t i = 0; i < y->prov.n; i++)
		if (y->prov.v[i].date_added == r->date_added)
			return VG_EDUPLICATE;
	if (PUSH(y->prov))
		return VG_ENOMEM;
	struct m_prov *p = &y->prov.v[y->prov.n - 1];
	p->date_added = r->date_added;
	p->unsigned_ = r->unsigned_;
	p->origin = dup(r->origin);
	p->path = dup(r->path);
	p->sig = dup(r->sig ? r->sig : "");
	if (!p->origin || !p->path || !p->sig) {
		free(p->origin);
		free(p->path);
		free(p->sig);
		y->prov.n--;
		return VG_ENOMEM;
	}
	return VG_OK;
}

static int prov_get(struct vg_store *s, int64_t date_added, vg_prov_cb cb,
                    void *ud)
{
	const struct m_sync *y = R(s);
	for (size_t i = 0; i < y->prov.n; i++) {
		const struct m_prov *p = &y->prov.v[i];
		if (p->date_added != date_added)
			continue;
		struct vg_prov_row r = {
		    .date_added = p->date_added,
		    .origin = p->origin,
		    .path = p->path,
		    .sig = p->sig,
		    .unsigned_ = p->unsigned_,
		};
		return cb(ud, &r);
	}
	return VG_ENOTFOUND;
}

static int tomb_add(struct vg_store *s, const struct vg_tomb_row *r,
                    int64_t *seq)
{
	TOUCH(s);
	struct m_sync *y = Y(s);
	if (!y)
		return VG_ENOMEM;
	for (size_t i = 0; i < y->tombs.n; i++)
		if (!strcmp(y->tombs.v[i].origin, r->origin) &&
		    !strcmp(y->tombs.v[i].id, r->id) &&
		    !strcmp(y->tombs.v[i].version, r->version))
			return VG_EDUPLICATE;
	if (PUSH(y->tombs))
		return VG_ENOMEM;
	struct m_tomb *t = &y->tombs.v[y->tombs.n - 1];
	t->seq = ++y->next_tomb;
	t->grp = r->grp;
	t->created = r->created ? r->created : now_us();
	t->scope = r->scope;
	t->tlp = r->tlp;
	t->classification = r->classification;
	t->origin = dup(r->origin);
	t->id = dup(r->id);
	t->version = dup(r->version);
	t->sig = dup(r->sig);
	t->path = dup(r->path);
	t->collection = dup(r->collection);
	t->type = dup(r->type);
	if (!t->origin || !t->id || !t->version || !t->sig || !t->path ||
	    !t->collection || !t->type) {
		free_tomb(t);
		y->tombs.n--;
		return VG_ENOMEM;
	}
	*seq = t->seq;
	return VG_OK;
}

static int tomb_list(struct vg_store *s, int64_t after, size_t limit,
                     vg_tomb_cb cb, void *ud)
{
	const struct m_sync *y = R(s);
	size_t n = 0;
	int rc = VG_OK;
	for (size_t i = 0; !rc && i < y->tombs.n; i++) {
		const struct m_tomb *t = &y->tombs.v[i];
		if (t->seq <= after)
			continue;
		if (limit && n++ == limit)
			break;
		struct vg_tomb_row r = {
		    .seq = t->seq,
		    .origin = t->origin,
		    .id = t->id,
		    .version = t->version,
		    .sig = t->sig,
		    .path = t->path,
		    .scope = t->scope,
		    .tlp = t->tlp,
		    .classification = t->classification,
		    .grp = t->grp,
		    .collection = t->collection,
		    .type = t->type,
		    .created = t->created,
		};
		rc = cb(ud, &r);
	}
	return rc;
}

const struct vg_store_sync_ops vg__m_sync_ops = {
    .partner_add = partner_add,
    .partner_update = partner_update,
    .partner_state = partner_state,
    .partner_find = partner_find,
    .partner_list = partner_list,
    .partner_remove = partner_remove,
    .cursor_get = cursor_get,
    .cursor_set = cursor_set,
    .quarantine_add = quarantine_add,
    .quarantine_list = quarantine_list,
    .quarantine_remove = quarantine_remove,
    .quarantine_count = quarantine_count,
    .prov_put = prov_put,
    .prov_get = prov_get,
    .tomb_add = tomb_add,
    .tomb_list = tomb_list,
};
