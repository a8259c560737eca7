/* Early warning's rows in the in-memory store: the same answers as
 * sqlite_warn.c, by loops. The rows hang off the state as one struct,
 * copied whole with it (transactions and savepoints). */
#include "memory_int.h"
#include "vigil/util/error.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct wk {
	char *key;
	int64_t added;
};
struct ww {
	struct vg_watch_row r;
};
struct wa {
	struct vg_alert_row r;
};
struct wd {
	struct vg_delivery_row r;
};
struct wdis {
	char *subject;
	int64_t org;
	int choice;
};
struct wr {
	struct vg_request_row r;
};
struct wg {
	struct vg_grant_row r;
};
struct wx {
	char *key;
	int excluded;
};

struct m_warn {
	VEC(struct wk) keys;
	VEC(struct ww) watches;
	VEC(struct wa) alerts;
	VEC(struct wd) deliveries;
	VEC(struct wdis) disclosure;
	VEC(struct wr) requests;
	VEC(struct wg) grants;
	VEC(struct wx) excl;
	int64_t next_watch, next_alert, next_request, next_grant;
};

#define dup vg__m_dup

static void free_watch(struct vg_watch_row *w)
{
	free((char *)w->name);
	free((char *)w->user_name);
	free((char *)w->term);
	free((char *)w->display);
	free((char *)w->webhook);
	free((char *)w->secret);
}

static void free_alert(struct vg_alert_row *a)
{
	free((char *)a->object);
	free((char *)a->version);
	free((char *)a->key);
	free((char *)a->detail);
	free((char *)a->acked_by);
}

static void free_request(struct vg_request_row *r)
{
	free((char *)r->requester_name);
	free((char *)r->object);
	free((char *)r->reason);
	free((char *)r->items);
	free((char *)r->decided_by);
}

static void free_grant(struct vg_grant_row *g)
{
	free((char *)g->object);
	free((char *)g->granted_by);
	free((char *)g->revoked_by);
}

void vg__m_warn_free(struct m_warn *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->keys.n; i++)
		free(w->keys.v[i].key);
	for (size_t i = 0; i < w->watches.n; i++)
		free_watch(&w->watches.v[i].r);
	for (size_t i = 0; i < w->alerts.n; i++)
		free_alert(&w->alerts.v[i].r);
	for (size_t i = 0; i < w->deliveries.n; i++)
		free((char *)w->deliveries.v[i].r.error);
	for (size_t i = 0; i < w->disclosure.n; i++)
		free(w->disclosure.v[i].subject);
	for (size_t i = 0; i < w->requests.n; i++)
		free_request(&w->requests.v[i].r);
	for (size_t i = 0; i < w->grants.n; i++)
		free_grant(&w->grants.v[i].r);
	for (size_t i = 0; i < w->excl.n; i++)
		free(w->excl.v[i].key);
	free(w->keys.v);
	free(w->watches.v);
	free(w->alerts.v);
	free(w->deliveries.v);
	free(w->disclosure.v);
	free(w->requests.v);
	free(w->grants.v);
	free(w->excl.v);
	free(w);
}

#define COPY(dst, src)                                                         \
	do {                                                                   \
		(dst).n = (dst).cap = (src).n;                                 \
		(dst).v = (src).n ? malloc((src).n * sizeof(*(src).v)) : NULL; \
		if ((src).n && !(dst).v)                                       \
			ok = 0;                                                \
		else if ((src).n)                                              \
			memcpy((dst).v, (src).v, (src).n * sizeof(*(src).v));  \
	} while (0)

int vg__m_warn_copy(struct m_warn **dst, const struct m_warn *s)
{
	*dst = NULL;
	if (!s)
		return VG_OK;
	struct m_warn *d = calloc(1, sizeof(*d));
	int ok = 1;
	if (!d)
		return VG_ENOMEM;
	COPY(d->keys, s->keys);
	COPY(d->watches, s->watches);
	COPY(d->alerts, s->alerts);
	COPY(d->deliveries, s->deliveries);
	COPY(d->disclosure, s->disclosure);
	COPY(d->requests, s->requests);
	COPY(d->grants, s->grants);
	COPY(d->excl, s->excl);
	d->next_watch = s->next_watch;
	d->next_alert = s->next_alert;
	d->next_request = s->next_request;
	d->next_grant = s->next_grant;
	if (!ok) {
		free(d->keys.v);
		free(d->watches.v);
		free(d->alerts.v);
		free(d->deliveries.v);
		free(d->disclosure.v);
		free(d->requests.v);
		free(d->grants.v);
		free(d->excl.v);
		free(d);
		return VG_ENOMEM;
	}
	for (size_t i = 0; i < d->keys.n; i++)
		d->keys.v[i].key = dup(d->keys.v[i].key);
	for (size_t i = 0; i < d->watches.n; i++) {
		struct vg_watch_row *w = &d->watches.v[i].r;
		w->name = dup(w->name);
		w->user_name = dup(w->user_name);
		w->term = dup(w->term);
		w->display = dup(w->display);
		w->webhook = dup(w->webhook);
		w->secret = dup(w->secret);
	}
	for (size_t i = 0; i < d->alerts.n; i++) {
		struct vg_alert_row *a = &d->alerts.v[i].r;
		a->object = dup(a->object);
		a->version = dup(a->version);
		a->key = dup(a->key);
		a->detail = dup(a->detail);
		a->acked_by = dup(a->acked_by);
	}
	for (size_t i = 0; i < d->deliveries.n; i++)
		d->deliveries.v[i].r.error = dup(d->deliveries.v[i].r.error);
	for (size_t i = 0; i < d->disclosure.n; i++)
		d->disclosure.v[i].subject = dup(d->disclosure.v[i].subject);
	for (size_t i = 0; i < d->requests.n; i++) {
		struct vg_request_row *r = &d->requests.v[i].r;
		r->requester_name = dup(r->requester_name);
		r->object = dup(r->object);
		r->reason = dup(r->reason);
		r->items = dup(r->items);
		r->decided_by = dup(r->decided_by);
	}
	for (size_t i = 0; i < d->grants.n; i++) {
		struct vg_grant_row *g = &d->grants.v[i].r;
		g->object = dup(g->object);
		g->granted_by = dup(g->granted_by);
		g->revoked_by = dup(g->revoked_by);
	}
	for (size_t i = 0; i < d->excl.n; i++)
		d->excl.v[i].key = dup(d->excl.v[i].key);
	*dst = d;
	return VG_OK;
}

/* The state's rows, made on the first write (after TOUCH). */
static struct m_warn *W(struct vg_store *s, int make)
{
	struct m_state *st = &vg__m_db(s)->st;
	if (!st->warn && make)
		st->warn = calloc(1, sizeof(*st->warn));
	return st->warn;
}

static const struct m_obj *obj_at(struct vg_store *s, int64_t added)
{
	struct m_state *st = &vg__m_db(s)->st;
	for (size_t i = 0; i < st->objs.n; i++)
		if (st->objs.v[i].date_added == added)
			return &st->objs.v[i];
	return NULL;
}

/* ---- the key index ------------------------------------------------------- */

static int keys_add(struct vg_store *s, int64_t added, const char *const *keys,
                    size_t n)
{
	TOUCH(s);
	struct m_warn *w = W(s, 1);
	if (!w)
		return VG_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		int have = 0;
		for (size_t k = 0; k < w->keys.n && !have; k++)
			have = w->keys.v[k].added == added &&
			       !strcmp(w->keys.v[k].key, keys[i]);
		if (have)
			continue;
		if (PUSH(w->keys))
			return VG_ENOMEM;
		struct wk *e = &w->keys.v[w->keys.n - 1];
		e->added = added;
		if (!(e->key = strdup(keys[i]))) {
			w->keys.n--;
			return VG_ENOMEM;
		}
	}
	return VG_OK;
}

static int keys_put(struct vg_store *s, const struct vg_warn_keyrow *rows,
                    size_t n)
{
	int rc = VG_OK;
	for (size_t i = 0; !rc && i < n; i++)
		rc = keys_add(s, rows[i].added, &rows[i].key, 1);
	return rc;
}

static int by_key_added(const void *a, const void *b)
{
	const struct wk *x = *(const struct wk *const *)a;
	const struct wk *y = *(const struct wk *const *)b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->added > y->added) - (x->added < y->added);
}

static int key_selected(const struct vg_warn_keyq *q, const char *key)
{
	if (q->n_keys) {
		for (size_t i = 0; i < q->n_keys; i++)
			if (!strcmp(q->keys[i], key))
				return 1;
		return 0;
	}
	if (q->lo)
		return strcmp(key, q->lo) >= 0 &&
		       strcmp(key, q->hi ? q->hi : q->lo) <= 0;
	return 1;
}

static int keys_scan(struct vg_store *s, const struct vg_warn_keyq *q,
                     vg_warn_row_cb cb, void *ud)
{
	struct m_warn *w = W(s, 0);
	if (!w || !w->keys.n)
		return VG_OK;
	const struct wk **v = malloc(w->keys.n * sizeof(*v));
	size_t n = 0;
	int rc = VG_OK;
	if (!v)
		return VG_ENOMEM;
	for (size_t i = 0; i < w->keys.n; i++) {
		const struct wk *e = &w->keys.v[i];
		if (key_selected(q, e->key) &&
		    (!q->after || e->added > q->after) &&
		    (!q->before || e->added < q->before))
			v[n++] = e;
	}
	qsort(v, n, sizeof(*v), by_key_added);
	/* as the SQLite backend: the keys it keeps hashed come after the
	 * others, and back as their kind from a scan of every key */
	int whole = !q->n_keys && !q->lo;
	size_t out = 0;
	for (size_t k = 0; k < 2 * n && !rc; k++) {
		size_t i = k % n;
		if (vg_warn_key_hashed(v[i]->key) != (k >= n))
			continue;
		const struct m_obj *o = obj_at(s, v[i]->added);
		if (!o || (q->latest && (!o->latest || o->revoked)))
			continue;
		if (q->limit && out == q->limit)
			break;
		struct vg_warn_row r = {
		    .key = whole && k >= n ? "ref:" : v[i]->key,
		    .added = o->date_added,
		    .id = o->id,
		    .type = o->type,
		    .version = o->version,
		    .collection = o->collection,
		    .created = o->created,
		    .latest = o->latest,
		    .revoked = o->revoked,
		    .owner = o->owner,
		    .scope = o->scope,
		    .grp = o->grp,
		    .tlp = o->tlp,
		    .classification = o->classification,
		};
		if (q->json) {
			r.json = o->json;
			r.json_len = o->json_len;
		}
		out++;
		rc = cb(ud, &r);
	}
	free(v);
	return rc;
}

static int row_at(struct vg_store *s, int64_t added, vg_warn_row_cb cb,
                  void *ud)
{
	const struct m_obj *o = obj_at(s, added);
	if (!o)
		return VG_ENOTFOUND;
	struct vg_warn_row r = {
	    .added = o->date_added,
	    .id = o->id,
	    .type = o->type,
	    .version = o->version,
	    .collection = o->collection,
	    .created = o->created,
	    .latest = o->latest,
	    .revoked = o->revoked,
	    .owner = o->owner,
	    .scope = o->scope,
	    .grp = o->grp,
	    .tlp = o->tlp,
	    .classification = o->classification,
	};
	return cb(ud, &r);
}

static int keys_clear(struct vg_store *s)
{
	TOUCH(s);
	struct m_warn *w = W(s, 0);
	if (!w)
		return VG_OK;
	for (size_t i = 0; i < w->keys.n; i++)
		free(w->keys.v[i].key);
	w->keys.n = 0;
	return VG_OK;
}

/* Distinct strings, counted: a small set searched in order. */
struct strcount {
	char **v;
	size_t n, cap;
};

static int sc_add(struct strcount *c, const char *s, int *added)
{
	*added = 0;
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i], s))
			return VG_OK;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		char **n = realloc(c->v, cap * sizeof(*n));
		if (!n)
			return VG_ENOMEM;
		c->v = n;
		c->cap = cap;
	}
	if (!(c->v[c->n] = strdup(s)))
		return VG_ENOMEM;
	c->n++;
	*added = 1;
	return VG_OK;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sc_release(struct strcount *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i]);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

static int key_counts(struct vg_store *s, const char *prefix, int64_t min,
                      int (*cb)(void *ud, const char *key, int64_t n), void *ud)
{
	struct m_warn *w = W(s, 0);
	struct strcount keys = {0};
	int rc = VG_OK, added;
	if (!w)
		return VG_OK;
	size_t pl = strlen(prefix);
	for (size_t i = 0; !rc && i < w->keys.n; i++)
		if (!strncmp(w->keys.v[i].key, prefix, pl) &&
		    !vg_warn_key_hashed(w->keys.v[i].key))
			rc = sc_add(&keys, w->keys.v[i].key, &added);
	qsort(keys.v, keys.n, sizeof(char *), by_str);
	for (size_t k = 0; !rc && k < keys.n; k++) {
		struct strcount ids = {0};
		for (size_t i = 0; !rc && i < w->keys.n; i++) {
			if (strcmp(w->keys.v[i].key, keys.v[k]))
				continue;
			const struct m_obj *o = obj_at(s, w->keys.v[i].added);
			if (o && o->latest && !o->revoked)
				rc = sc_add(&ids, o->id, &added);
		}
		if (!rc && (int64_t)ids.n > min)
			rc = cb(ud, keys.v[k], (int64_t)ids.n);
		sc_release(&ids);
	}
	sc_release(&keys);
	return rc;
}

/* The created date of o, else the day of its date_added. */
static void day_of(const struct m_obj *o, char out[11])
{
	if (o->created && strlen(o->created) >= 10) {
		memcpy(out, o->created, 10);
		out[10] = '\0';
		return;
	}
	time_t t = (time_t)(o->date_added / 1000000);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

struct cell {
	char *value;
	char day[11];
	struct strcount ids;
};

static int by_cell(const void *a, const void *b)
{
	const struct cell *x = a, *y = b;
	int c = strcmp(x->value, y->value);
	return c ? c : strcmp(x->day, y->day);
}

static int counts(struct vg_store *s, const struct vg_warn_countq *q,
                  vg_warn_count_cb cb, void *ud)
{
	struct m_state *st = &vg__m_db(s)->st;
	struct m_warn *w = W(s, 0);
	struct cell *cells = NULL;
	size_t n = 0, cap = 0;
	int rc = VG_OK, added;
	if (!q->visible || !q->facet)
		return VG_EINVAL;
	int column = !strcmp(q->facet, "type") || !strcmp(q->facet, "owner");
	size_t pl = strlen(q->facet);
	size_t rows = column ? st->objs.n : w ? w->keys.n : 0;
	for (size_t i = 0; !rc && i < rows; i++) {
		const struct m_obj *o =
		    column ? &st->objs.v[i] : obj_at(s, w->keys.v[i].added);
		char owner[24], day[11];
		const char *value;
		if (!column && strncmp(w->keys.v[i].key, q->facet, pl))
			continue;
		if (!o)
			continue;
		struct vg_access_meta m = {
		    o->owner, (enum vg_scope)o->scope, o->grp,
		    o->tlp,   o->classification,       o->date_added};
		if (!vg_expr_eval(q->visible, 0, &m))
			continue;
		day_of(o, day);
		if ((q->since && strcmp(day, q->since) < 0) ||
		    (q->until && strcmp(day, q->until) > 0))
			continue;
		if (column && !strcmp(q->facet, "owner")) {
			snprintf(owner, sizeof(owner), "%lld",
			         (long long)o->owner);
			value = owner;
		} else {
			value = column ? o->type : w->keys.v[i].key;
		}
		size_t c = 0;
		while (c < n && (strcmp(cells[c].value, value) ||
		                 strcmp(cells[c].day, day)))
			c++;
		if (c == n) {
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				struct cell *nc =
				    realloc(cells, cap * sizeof(*nc));
				if (!nc) {
					rc = VG_ENOMEM;
					break;
				}
				cells = nc;
			}
			memset(&cells[n], 0, sizeof(cells[n]));
			if (!(cells[n].value = strdup(value))) {
				rc = VG_ENOMEM;
				break;
			}
			memcpy(cells[n].day, day, 11);
			n++;
		}
		rc = sc_add(&cells[c].ids, o->id, &added);
	}
	if (!rc)
		qsort(cells, n, sizeof(*cells), by_cell);
	for (size_t c = 0; !rc && c < n; c++)
		rc = cb(ud, cells[c].value, cells[c].day,
		        (int64_t)cells[c].ids.n);
	for (size_t c = 0; c < n; c++) {
		free(cells[c].value);
		sc_release(&cells[c].ids);
	}
	free(cells);
	return rc;
}

/* ---- watches ----------------------------------------------------------- */

static int watch_add(struct vg_store *s, const struct vg_watch_row *r,
                     int64_t *id)
{
	TOUCH(s);
	struct m_warn *w = W(s, 1);
	if (!w || PUSH(w->watches))
		return VG_ENOMEM;
	struct vg_watch_row *n = &w->watches.v[w->watches.n - 1].r;
	*n = *r;
	n->id = ++w->next_watch;
	n->name = dup(r->name);
	n->user_name = dup(r->user_name ? r->user_name : "");
	n->term = dup(r->term);
	n->display = dup(r->display ? r->display : r->term);
	n->webhook = dup(r->webhook);
	n->secret = dup(r->secret);
	if (id)
		*id = n->id;
	return n->name && n->term && n->display ? VG_OK : VG_ENOMEM;
}

static int watch_list(struct vg_store *s, int64_t org, vg_watch_cb cb, void *ud)
{
	struct m_warn *w = W(s, 0);
	for (size_t i = 0; w && i < w->watches.n; i++)
		if (!org || w->watches.v[i].r.org == org) {
			int rc = cb(ud, &w->watches.v[i].r);
			if (rc)
				return rc;
		}
	return VG_OK;
}

static int watch_get(struct vg_store *s, int64_t id, vg_watch_cb cb, void *ud)
{
	struct m_warn *w = W(s, 0);
	for (size_t i = 0; w && i < w->watches.n; i++)
		if (w->watches.v[i].r.id == id)
			return cb(ud, &w->watches.v[i].r);
	return VG_ENOTFOUND;
}

static int watch_remove(struct vg_store *s, int64_t id)
{
	struct m_warn *w = W(s, 0);
	for (size_t i = 0; w && i < w->watches.n; i++)
		if (w->watches.v[i].r.id == id) {
			TOUCH(s);
			w = W(s, 0);
			free_watch(&w->watches.v[i].r);
			memmove(&w->watches.v[i], &w->watches.v[i + 1],
			        (w->watches.n - i - 1) *
			            sizeof(w->watches.v[0]));
			w->watches.n--;
			return VG_OK;
		}
	return VG_ENOTFOUND;
}

static int watch_update(struct vg_store *s, const struct vg_watch_row *r)
{
	struct m_warn *w = W(s, 0);
	size_t i = 0;
	while (w && i < w->watches.n && w->watches.v[i].r.id != r->id)
		i++;
	if (!w || i == w->watches.n)
		return VG_ENOTFOUND;
	/* the new strings first: on failure nothing changed */
	struct vg_watch_row n = {
	    .name = dup(r->name),
	    .term = dup(r->term),
	    .display = dup(r->display ? r->display : r->term),
	    .webhook = dup(r->webhook),
	    .secret = dup(r->secret),
	};
	int rc = !n.name || !n.term || !n.display ||
	                 (r->webhook && !n.webhook) || (r->secret && !n.secret)
	             ? VG_ENOMEM
	             : vg__m_touch(s);
	if (rc) {
		free_watch(&n);
		return rc;
	}
	struct vg_watch_row *o = &W(s, 0)->watches.v[i].r;
	free((char *)o->name);
	free((char *)o->term);
	free((char *)o->display);
	free((char *)o->webhook);
	free((char *)o->secret);
	o->name = n.name;
	o->term = n.term;
	o->display = n.display;
	o->webhook = n.webhook;
	o->secret = n.secret;
	o->shared = r->shared;
	o->threshold = r->threshold;
	return VG_OK;
}

/* ---- alerts ----------------------------------------------------------- */

static int alert_add(struct vg_store *s, const struct vg_alert_row *a,
                     int64_t *seq)
{
	TOUCH(s);
	struct m_warn *w = W(s, 1);
	if (!w || PUSH(w->alerts))
		return VG_ENOMEM;
	struct vg_alert_row *n = &w->alerts.v[w->alerts.n - 1].r;
	*n = *a;
	n->seq = ++w->next_alert;
	n->object = dup(a->object ? a->object : "");
	n->version = dup(a->version ? a->version : "");
	n->key = dup(a->key ? a->key : "");
	n->detail = dup(a->detail ? a->detail : "{}");
	n->acked_by = NULL;
	n->acked_at = 0;
	if (seq)
		*seq = n->seq;
	return n->object && n->version && n->key && n->detail ? VG_OK
	                                                      : VG_ENOMEM;
}

static int alert_scan(struct vg_store *s, const struct vg_alertq *q,
                      vg_alert_cb cb, void *ud)
{
	struct m_warn *w = W(s, 0);
	size_t out = 0;
	for (size_t i = 0; w && i < w->alerts.n; i++) {
		const struct vg_alert_row *a = &w->alerts.v[i].r;
		if (a->org != q->org || (a->user && a->user != q->user) ||
		    a->seq <= q->after || (q->watch && a->watch != q->watch) ||
		    (q->unacked && a->acked_by))
			continue;
		if (q->limit && out == q->limit)
			break;
		out++;
		int rc = cb(ud, a);
		if (rc)
			return rc;
	}
	return VG_OK;
}

static int alert_get(struct vg_store *s, int64_t seq, vg_alert_cb cb, void *ud)
{
	struct m_warn *w = W(s, 0);
	for (size_t i = 0; w && i < w->alerts.n; i++)
		if (w->alerts.v[i].r.seq == seq)
			return cb(ud, &w->alerts.v[i].r);
	return VG_ENOTFOUND;
}

static int alert_ack(struct vg_store *s, int64_t seq, const char *by,
                     int64_t at)
{
	struct m_warn *w = W(s, 0);
	for (size_t i = 0; w && i < w->alerts.n; i++)
		if (w->alerts.v[i].r.seq == seq) {
			TOUCH(s);
			w = W(s, 0);
			struct vg_alert_row *a = &w->alerts.v[i].r;
			free((char *)a->acked_by);
			a->acked_by = dup(by);
			a->acked_at = at;
			return a->acked_by ? VG_OK : VG_ENOMEM;
		}
	return VG_ENOTFOUND;
}

static int alert_last(struct vg_store *s, int64_t *seq)
{
	struct m_warn *w = W(s, 0);
	*seq = w && w->alerts.n ? w->alerts.v[w->alerts.n - 1].r.seq : 0;
	return VG_OK;
}

/* ---- deliveries ------------------------------------------------------- */

static struct wd *find_delivery(struct m_warn *w, int64_t alert, int64_t watch)
{
	for (size_t i = 0; w && i < w->deliveries.n; i++)
		if (w->deliveries.v[i].r.alert == alert &&
		    w->deliveries.v[i].r.watch == watch)
			return &w->deliveries.v[i];
	return NULL;
}

static int delivery_add(struct vg_store *s, const struct vg_delivery_row *d)
{
	TOUCH(s);
	struct m_warn *w = W(s, 1);
	if (!w)
		return VG_ENOMEM;
	if (find_delivery(w, d->alert, d->watch))
		return VG_OK;
	if (PUSH(w->deliveries))
		return VG_ENOMEM;
	struct vg_delivery_row *n = &w->deliveries.v[w->deliveries.n - 1].r;
	*n = *d;
	n->error = dup(d->error);
	return VG_OK;
}

static int by_due(const void *a, const void *b)
{
	const struct vg_delivery_row *x =
	    *(const struct vg_delivery_row *const *)a;
	const struct vg_delivery_row *y =
	    *(const struct vg_delivery_row *const *)b;
	if (x->next_at != y->next_at)
		return x->next_at < y->next_at ? -1 : 1;
	return (x->alert > y->alert) - (x->alert < y->alert);
}

static int delivery_due(struct vg_store *s, int64_t now, size_t limit,
                        vg_delivery_cb cb, void *ud)
{
	struct m_warn *w = W(s, 0);
	if (!w || !w->deliveries.n)
		return VG_OK;
	const struct vg_delivery_row **v = malloc(w->deliveries.n * sizeof(*v));
	size_t n = 0;
	int rc = VG_OK;
	if (!v)
		return VG_ENOMEM;
	for (size_t i = 0; i < w->deliveries.n; i++)
		if (!w->deliveries.v[i].r.done &&
		    w->deliveries.v[i].r.next_at <= now)
			v[n++] = &w->deliveries.v[i].r;
	qsort(v, n, sizeof(*v), by_due);
	for (size_t i = 0; i < n && (!limit || i < limit) && !rc; i++)
		rc = cb(ud, v[i]);
	free(v);
	return rc;
}

static int delivery_update(struct vg_store *s, const struct vg_delivery_row *d)
{
	if (!find_delivery(W(s, 0), d->alert, d->watch))
		return VG_ENOTFOUND;
	TOUCH(s);
	struct wd *e = find_delivery(W(s, 0), d->alert, d->watch);
	char *err = dup(d->error);
	if (d->error && !err)
		return VG_ENOMEM;
	free((char *)e->r.error);
	e->r = *d;
	e->r.error = err;
	return VG_OK;
}

/* ---- disclosure choices ------------------------------------------------- */

static int disclosure_set(struct vg_store *s, const char *subject, int64_t org,
                          int choice)
{
	TOUCH(s);
	struct m_warn *w = W(s, 1);
	if (!w)
		return VG_ENOMEM;
	for (size_t i = 0; i < w->disclosure.n; i++) {
		struct wdis *d = &w->disclosure.v[i];
		if (d->org == org && !strcmp(d->subject, subject)) {
			if (choice < 0) {
				free(d->subject);
				*d = w->disclosure.v[--w->disclosure.n];
			} else {
				d->choice = choice;
			}
			return VG_OK;
		}
	}
	if (choice < 0)
		return VG_OK;
	if (PUSH(w->disclosure))
		return VG_ENOMEM;
	struct wdis *d = &w->disclosure.v[w->disclosure.n - 1];
	d->org = org;
	d->choice = choice;
	return (d->subject = dup(subject)) ? VG_OK : VG_ENOMEM;
}

static int disclosure_get(struct vg_store *s, const char *subject, int64_t org,
                          int *choice)
{
	struct m_warn *w = W(s, 0);
	for (size_t i = 0; w && i < w->disclosure.n; i++)
		if (w->disclosure.v[i].org == org &&
		    !strcmp(w->disclosure.v[i].subject, subject)) {
			*choice = w->disclosure.v[i].choice;
			return VG_OK;
		}
	return VG_ENOTFOUND;
}

/* ---- access requests ------------------------------------------------- */

static int request_add(struct vg_store *s, const struct vg_request_row *r,
                       int64_t *id)
{
	TOUCH(s);
	struct m_warn *w = W(s, 1);
	if (!w || PUSH(w->requests))
		return VG_ENOMEM;
	struct vg_request_row *n = &w->requests.v[w->requests.n - 1].r;
	*n = *r;
	n->id = ++w->next_request;
	n->requester_name = dup(r->requester_name);
	n->object = dup(r->object);
	n->reason = dup(r->reason ? r->reason : "");
	n->items = dup(r->items);
	n->decided_by = NULL;
	n->decided_at = 0;
	if (id)
		*id = n->id;
	return n->requester_name && n->object && n->reason && n->items
	           ? VG_OK
	           : VG_ENOMEM;
}

static int request_get(struct vg_store *s, int64_t id, vg_request_cb cb,
                       void *ud)
{
	struct m_warn *w = W(s, 0);
	for (size_t i = 0; w && i < w->requests.n; i++)
		if (w->requests.v[i].r.id == id)
			return cb(ud, &w->requests.v[i].r);
	return VG_ENOTFOUND;
}

static int request_list(struct vg_store *s, int64_t org, vg_request_cb cb,
                        void *ud)
{
	struct m_warn *w = W(s, 0);
	for (size_t i = w ? w->requests.n : 0; i-- > 0;) {
		const struct vg_request_row *r = &w->requests.v[i].r;
		if (org && r->requester_org != org && r->owner_org != org)
			continue;
		int rc = cb(ud, r);
		if (rc)
			return rc;
	}
	return VG_OK;
}

static int request_update(struct vg_store *s, int64_t id, const char *items,
                          int state, const char *decided_by, int64_t decided_at)
{
	struct m_warn *w = W(s, 0);
	for (size_t i = 0; w && i < w->requests.n; i++)
		if (w->requests.v[i].r.id == id) {
			TOUCH(s);
			w = W(s, 0);
			struct vg_request_row *r = &w->requests.v[i].r;
			char *it = dup(items), *by = dup(decided_by);
			if (!it || (decided_by && !by)) {
				free(it);
				free(by);
				return VG_ENOMEM;
			}
			free((char *)r->items);
			free((char *)r->decided_by);
			r->items = it;
			r->decided_by = by;
			r->state = state;
			r->decided_at = decided_at;
			return VG_OK;
		}
	return VG_ENOTFOUND;
}

/* ---- grants ----------------------------------------------------------- */

static int grant_add(struct vg_store *s, const struct vg_grant_row *g,
                     int64_t *id)
{
	TOUCH(s);
	struct m_warn *w = W(s, 1);
	if (!w || PUSH(w->grants))
		return VG_ENOMEM;
	struct vg_grant_row *n = &w->grants.v[w->grants.n - 1].r;
	*n = *g;
	n->id = ++w->next_grant;
	n->object = dup(g->object);
	n->granted_by = dup(g->granted_by);
	n->revoked = 0;
	n->revoked_by = NULL;
	n->revoked_at = 0;
	if (id)
		*id = n->id;
	return n->object && n->granted_by ? VG_OK : VG_ENOMEM;
}

static int by_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int grants_of(struct vg_store *s, int64_t org, int64_t **added,
                     size_t *n)
{
	struct m_warn *w = W(s, 0);
	size_t k = 0;
	int64_t *v = NULL;
	*added = NULL;
	*n = 0;
	if (!w || !w->grants.n)
		return VG_OK;
	if (!(v = malloc(w->grants.n * sizeof(*v))))
		return VG_ENOMEM;
	for (size_t i = 0; i < w->grants.n; i++)
		if (w->grants.v[i].r.org == org && !w->grants.v[i].r.revoked)
			v[k++] = w->grants.v[i].r.added;
	qsort(v, k, sizeof(*v), by_int64);
	size_t u = 0;
	for (size_t i = 0; i < k; i++)
		if (!u || v[i] != v[u - 1])
			v[u++] = v[i];
	if (!u) {
		free(v);
		return VG_OK;
	}
	*added = v;
	*n = u;
	return VG_OK;
}

static int grant_list(struct vg_store *s, int64_t org, vg_grant_cb cb, void *ud)
{
	struct m_warn *w = W(s, 0);
	for (size_t i = 0; w && i < w->grants.n; i++) {
		const struct vg_grant_row *g = &w->grants.v[i].r;
		if (org && g->org != org && g->owner != org)
			continue;
		int rc = cb(ud, g);
		if (rc)
			return rc;
	}
	return VG_OK;
}

static int grant_revoke(struct vg_store *s, int64_t id, const char *by,
                        int64_t at)
{
	struct m_warn *w = W(s, 0);
	for (size_t i = 0; w && i < w->grants.n; i++)
		if (w->grants.v[i].r.id == id && !w->grants.v[i].r.revoked) {
			TOUCH(s);
			w = W(s, 0);
			struct vg_grant_row *g = &w->grants.v[i].r;
			g->revoked = 1;
			g->revoked_by = dup(by);
			g->revoked_at = at;
			return g->revoked_by ? VG_OK : VG_ENOMEM;
		}
	return VG_ENOTFOUND;
}

/* ---- exclusions ------------------------------------------------------- */

static int excl_put(struct vg_store *s, const char *key, int excluded)
{
	TOUCH(s);
	struct m_warn *w = W(s, 1);
	if (!w)
		return VG_ENOMEM;
	for (size_t i = 0; i < w->excl.n; i++)
		if (!strcmp(w->excl.v[i].key, key)) {
			w->excl.v[i].excluded = excluded;
			return VG_OK;
		}
	if (PUSH(w->excl))
		return VG_ENOMEM;
	w->excl.v[w->excl.n - 1].excluded = excluded;
	return (w->excl.v[w->excl.n - 1].key = dup(key)) ? VG_OK : VG_ENOMEM;
}

static int by_excl(const void *a, const void *b)
{
	return strcmp(((const struct wx *)a)->key, ((const struct wx *)b)->key);
}

static int excl_list(struct vg_store *s, vg_excl_cb cb, void *ud)
{
	struct m_warn *w = W(s, 0);
	if (!w || !w->excl.n)
		return VG_OK;
	struct wx *v = malloc(w->excl.n * sizeof(*v));
	int rc = VG_OK;
	if (!v)
		return VG_ENOMEM;
	memcpy(v, w->excl.v, w->excl.n * sizeof(*v));
	qsort(v, w->excl.n, sizeof(*v), by_excl);
	for (size_t i = 0; i < w->excl.n && !rc; i++)
		rc = cb(ud, v[i].key, v[i].excluded);
	free(v);
	return rc;
}

const struct vg_store_warn_ops vg__m_warn_ops = {
    .keys_add = keys_add,
    .keys_put = keys_put,
    .keys_scan = keys_scan,
    .row = row_at,
    .keys_clear = keys_clear,
    .key_counts = key_counts,
    .counts = counts,
    .watch_add = watch_add,
    .watch_list = watch_list,
    .watch_get = watch_get,
    .watch_remove = watch_remove,
    .watch_update = watch_update,
    .alert_add = alert_add,
    .alert_scan = alert_scan,
    .alert_get = alert_get,
    .alert_ack = alert_ack,
    .alert_last = alert_last,
    .delivery_add = delivery_add,
    .delivery_due = delivery_due,
    .delivery_update = delivery_update,
    .disclosure_set = disclosure_set,
    .disclosure_get = disclosure_get,
    .request_add = request_add,
    .request_get = request_get,
    .request_list = request_list,
    .request_update = request_update,
    .grant_add = grant_add,
    .grants_of = grants_of,
    .grant_list = grant_list,
    .grant_revoke = grant_revoke,
    .excl_put = excl_put,
    .excl_list = excl_list,
};
