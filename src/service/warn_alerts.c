/* Alerts as use cases (warn.h): listed, acknowledged, streamed and
 * delivered by webhook, each shown as its reader may see it now: a match
 * with the object when the reader may read the version, a hit / no-hit
 * (the watch's own term and who holds the record) when the owner allows
 * it, nothing otherwise. Rights are applied at every read, not when the
 * alert was raised: a grant turns a hit into a match; a colleague with
 * less clearance sees a hit where the watch's creator saw a match. */
#include "warn_int.h"
#include "vigil/util/error.h"
#include "vigil/util/timefmt.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- rendering ------------------------------------------------------------
 */

struct meta {
	int found;
	struct vg_access_meta m;
	char collection[80];
};

static int take_meta(void *ud, const struct vg_warn_row *r)
{
	struct meta *x = ud;
	x->found = 1;
	x->m = (struct vg_access_meta){
	    .owner = r->owner,
	    .scope = (enum vg_scope)r->scope,
	    .group = r->grp,
	    .tlp = r->tlp,
	    .classification = r->classification,
	    .added = r->added,
	};
	snprintf(x->collection, sizeof(x->collection), "%s",
	         r->collection ? r->collection : "");
	return 0;
}

static const char *const kinds[] = {"match", "hit", "request", "decision"};

/* The watch, kind and term of a stored detail, nothing else. */
static void bare_detail(struct vg_jw *w, const char *detail, const char *org)
{
	cJSON *d = cJSON_Parse(detail ? detail : "{}");
	static const char *const keep[] = {"watch", "kind", "term"};
	vg_jw_key(w, "detail");
	vg_jw_obj(w);
	for (size_t i = 0; i < 3; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(d, keep[i]);
		if (cJSON_IsString(v))
			vg_jw_kstr(w, keep[i], v->valuestring);
	}
	vg_jw_kstr(w, "held_by", org);
	vg_jw_close(w);
	cJSON_Delete(d);
}

int vg__warn_render(struct vg_store *s, const struct vg_principal *p,
                    const struct vg_alert_row *a, struct vg_jw *w)
{
	char created[VG_TIME_LEN];
	int kind = a->kind;
	struct meta x = {0};
	vg_time_format_us(a->created, created);
	if (kind == VG_ALERT_MATCH || kind == VG_ALERT_HIT) {
		if (s->ops->warn->row(s, a->added, take_meta, &x) || !x.found)
			return 0; /* the version is gone */
		kind = vg__warn_decide(s, p, &x.m, a->object, x.collection);
		if (kind < 0)
			return 0;
	}
	vg_jw_obj(w);
	vg_jw_kint(w, "seq", a->seq);
	vg_jw_kstr(w, "created", created);
	vg_jw_kstr(w, "kind", (unsigned)kind < 4 ? kinds[kind] : "?");
	vg_jw_kbool(w, "retro", a->retro);
	if (a->watch)
		vg_jw_kint(w, "watch", a->watch);
	if (kind == VG_ALERT_MATCH) {
		char shown[VG_WARN_KEY_MAX];
		vg_warn_key_display(a->key, shown, sizeof(shown));
		vg_jw_kstr(w, "object", a->object);
		vg_jw_kstr(w, "version", a->version);
		vg_jw_kstr(w, "matched", shown);
		vg_jw_key(w, "detail");
		vg_jw_raw(w, a->detail, strlen(a->detail));
	} else if (kind == VG_ALERT_HIT) {
		char org[128];
		vg__warn_org_name(s, x.m.owner, org, sizeof(org));
		bare_detail(w, a->detail, org);
	} else {
		vg_jw_key(w, "detail");
		vg_jw_raw(w, a->detail, strlen(a->detail));
	}
	if (a->acked_by) {
		char at[VG_TIME_LEN];
		vg_time_format_us(a->acked_at, at);
		vg_jw_kstr(w, "acked_by", a->acked_by);
		vg_jw_kstr(w, "acked_at", at);
	}
	vg_jw_close(w);
	return 1;
}

/* ---- listing ------------------------------------------------------------ */

struct listing {
	struct vg_store *s;
	const struct vg_principal *p;
	struct vg_jw *w;
	struct vg_buf *sse; /* the stream: events instead of an array */
	size_t n;
	int64_t last;
};

static int list_row(void *ud, const struct vg_alert_row *a)
{
	struct listing *l = ud;
	l->last = a->seq;
	if (!l->sse) {
		l->n += (size_t)vg__warn_render(l->s, l->p, a, l->w);
		return l->w->rc;
	}
	struct vg_buf one;
	struct vg_jw w;
	vg_buf_init(&one, 1 << 20);
	vg_jw_init(&w, &one);
	int shown = vg__warn_render(l->s, l->p, a, &w);
	int rc = vg_jw_end(&w);
	if (!rc && shown) {
		rc = vg_buf_printf(l->sse, "id: %lld\nevent: alert\ndata: ",
		                   (long long)a->seq);
		if (!rc)
			rc = vg_buf_append(l->sse, one.data, one.len);
		if (!rc)
			rc = vg_buf_puts(l->sse, "\n\n");
		l->n++;
	}
	vg_buf_release(&one);
	return rc;
}

/* Whose alerts c reads: its own and its organisation's (the operator,
 * those of its own watches: organisation 0). */
static struct vg_alertq query_for(const struct vg_ctx *c, int64_t after,
                                  size_t limit, int unacked)
{
	struct vg_alertq q = {
	    .org = c->p.operator? 0 : c->p.org,
	    .user = c->p.operator? 0 : c->p.user,
	    .after = after,
	    .limit = limit,
	    .unacked = unacked,
	};
	return q;
}

static int reading(struct vg_ctx *c, const char *what, struct vg_store **s)
{
	int rc = vg__require(c, VG_ACT_READ, what);
	if (!rc)
		rc = vg_ctx_purpose(c);
	if (rc)
		return rc;
	if (!(*s = vg__reader(c->svc)))
		return VG_ESTORE;
	return (*s)->ops->warn ? VG_OK : VG_EUNSUPPORTED;
}

int vg_alerts_list(struct vg_ctx *c, int64_t after, size_t limit, int unacked,
                   struct vg_buf *out, int64_t *last)
{
	struct vg_store *s;
	int rc = reading(c, "alerts.read", &s);
	if (rc)
		return rc;
	if (!limit || limit > 1000)
		limit = limit ? 1000 : 100;
	struct vg_jw w;
	struct listing l = {s, &c->p, &w, NULL, 0, after};
	struct vg_alertq q = query_for(c, after, limit, unacked);
	vg_jw_init(&w, out);
	vg_jw_obj(&w);
	vg_jw_key(&w, "alerts");
	vg_jw_arr(&w);
	rc = s->ops->warn->alert_scan(s, &q, list_row, &l);
	vg_jw_close(&w);
	vg_jw_kint(&w, "last", l.last);
	vg_jw_close(&w);
	if (!rc)
		rc = vg_jw_end(&w);
	struct vg__detail d;
	vg__detail_begin(&d);
	vg_jw_kint(&d.w, "after", after);
	vg_jw_kint(&d.w, "count", (int64_t)l.n);
	const char *detail = vg__detail_end(&d);
	if (!rc)
		rc = detail ? vg__audit_read(c, "alerts.read", "", detail)
		            : VG_ENOMEM;
	vg__detail_release(&d);
	if (!rc && last)
		*last = l.last;
	return rc;
}

/* ---- acknowledging ---------------------------------------------------- */

struct ack {
	const struct vg_ctx *c;
	int mine;
};

static int take_ack(void *ud, const struct vg_alert_row *a)
{
	struct ack *k = ud;
	const struct vg_ctx *c = k->c;
	k->mine = c->p.operator
	              ? a->org == 0
	              : a->org == c->p.org &&(!a->user || a->user == c->p.user);
	return 0;
}

struct ack_job {
	struct vg_ctx *c;
	int64_t seq;
};

static int ack_fn(struct vg_store *s, void *arg)
{
	struct ack_job *j = arg;
	char target[32];
	snprintf(target, sizeof(target), "%lld", (long long)j->seq);
	int rc = s->ops->warn->alert_ack(s, j->seq, j->c->user, vg__now_us());
	return rc ? rc : vg__audit(s, j->c, "alert.ack", target, "{}");
}

int vg_alerts_ack(struct vg_ctx *c, int64_t seq)
{
	struct vg_store *s;
	struct ack k = {c, 0};
	char target[32];
	int rc = reading(c, "alert.ack", &s);
	if (rc)
		return rc;
	snprintf(target, sizeof(target), "%lld", (long long)seq);
	rc = s->ops->warn->alert_get(s, seq, take_ack, &k);
	if (rc && rc != VG_ENOTFOUND)
		return rc;
	if (!k.mine) {
		rc = vg__audit_now(c, "alert.ack", target, "{\"found\":false}");
		return rc ? rc : VG_ENOTFOUND;
	}
	struct ack_job j = {c, seq};
	return vg__write(c->svc, ack_fn, &j);
}

/* ---- the stream ---------------------------------------------------------- */

int vg_alerts_stream_open(struct vg_ctx *c, int64_t after)
{
	struct vg_store *s;
	int rc = reading(c, "alerts.stream", &s);
	if (rc)
		return rc;
	struct vg__detail d;
	vg__detail_begin(&d);
	vg_jw_kint(&d.w, "after", after);
	const char *detail = vg__detail_end(&d);
	rc =
	    detail ? vg__audit_read(c, "alerts.stream", "", detail) : VG_ENOMEM;
	vg__detail_release(&d);
	return rc;
}

int vg_alerts_stream_next(struct vg_ctx *c, int64_t after, struct vg_buf *out,
                          int64_t *last, size_t *n)
{
	struct vg_store *s = vg__reader(c->svc);
	*last = after;
	*n = 0;
	if (!s)
		return VG_ESTORE;
	if (!s->ops->warn)
		return VG_EUNSUPPORTED;
	struct vg_jw unused;
	struct listing l = {s, &c->p, &unused, out, 0, after};
	struct vg_alertq q = query_for(c, after, 100, 0);
	int rc = s->ops->warn->alert_scan(s, &q, list_row, &l);
	if (!rc) {
		*last = l.last;
		*n = l.n;
	}
	return rc;
}

int vg_alerts_stream_close(struct vg_ctx *c, int64_t after, size_t sent)
{
	struct vg__detail d;
	vg__detail_begin(&d);
	vg_jw_kint(&d.w, "last", after);
	vg_jw_kint(&d.w, "sent", (int64_t)sent);
	const char *detail = vg__detail_end(&d);
	int rc = detail ? vg__audit_now(c, "alerts.stream.end", "", detail)
	                : VG_ENOMEM;
	vg__detail_release(&d);
	return rc;
}

/* ---- webhooks ------------------------------------------------------------ */

struct hook_watch {
	int found;
	char url[2048];
	char secret[65];
};

static int take_hook(void *ud, const struct vg_watch_row *w)
{
	struct hook_watch *h = ud;
	h->found = w->webhook && w->secret;
	snprintf(h->url, sizeof(h->url), "%s", w->webhook ? w->webhook : "");
	snprintf(h->secret, sizeof(h->secret), "%s",
	         w->secret ? w->secret : "");
	return 0;
}

struct due {
	struct vg_delivery_row *v;
	size_t n, cap;
};

static int take_due(void *ud, const struct vg_delivery_row *d)
{
	struct due *x = ud;
	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 16;
		struct vg_delivery_row *n = realloc(x->v, cap * sizeof(*n));
		if (!n)
			return VG_ENOMEM;
		x->v = n;
		x->cap = cap;
	}
	x->v[x->n] = *d;
	x->v[x->n++].error = NULL;
	return 0;
}

struct body {
	struct vg_store *s;
	const struct vg_principal *p;
	struct vg_jw *w;
	int shown;
};

static int take_alert(void *ud, const struct vg_alert_row *a)
{
	struct body *b = ud;
	b->shown = vg__warn_render(b->s, b->p, a, b->w);
	return 0;
}

struct gone_job {
	struct vg_delivery_row d;
};

static int gone_fn(struct vg_store *s, void *arg)
{
	struct gone_job *j = arg;
	return s->ops->warn->delivery_update(s, &j->d);
}

int vg_webhooks_due(struct vg_service *svc, size_t limit,
                    int (*cb)(void *ud, const struct vg_webhook *h), void *ud)
{
	struct vg_store *s = vg__reader(svc);
	struct vg__wcache *cache = NULL;
	struct due due = {0};
	if (!s)
		return VG_ESTORE;
	if (!s->ops->warn)
		return VG_OK;
	int rc =
	    s->ops->warn->delivery_due(s, vg__now_us(), limit, take_due, &due);
	struct vg__warn_conf conf;
	if (!rc && due.n)
		rc = vg__warn_conf_read(s, &conf);
	if (!rc && due.n)
		rc = vg__warn_cache_get(svc, s, &cache);
	for (size_t i = 0; !rc && i < due.n; i++) {
		struct vg_delivery_row *d = &due.v[i];
		struct hook_watch h = {0};
		const struct vg__watch *w = NULL;
		for (size_t k = 0; k < cache->n && !w; k++)
			if (cache->w[k].id == d->watch)
				w = &cache->w[k];
		int got = s->ops->warn->watch_get(s, d->watch, take_hook, &h);
		if (got && got != VG_ENOTFOUND) {
			rc = got; /* the store failed: the deliveries wait */
			break;
		}
		if (!got && h.found && !w) {
			/* a watch newer than this cache (another thread is
			 * building the next one): its delivery waits for it */
			sodium_memzero(h.secret, sizeof(h.secret));
			continue;
		}
		if (got == VG_ENOTFOUND || !h.found || !w || !w->active) {
			/* the watch is gone or its creator may no longer read
			 */
			struct gone_job j = {*d};
			j.d.done = 2;
			j.d.error = "the watch is gone or inactive";
			rc = vg__write(svc, gone_fn, &j);
			continue;
		}
		if (!vg_webhook_allowed(h.url, conf.webhook_hosts)) {
			/* the operator withdrew the host since */
			struct gone_job j = {*d};
			j.d.done = 2;
			j.d.error = "the hub no longer allows webhooks to this host";
			sodium_memzero(h.secret, sizeof(h.secret));
			rc = vg__write(svc, gone_fn, &j);
			continue;
		}
		struct vg_buf b;
		struct vg_jw jw;
		vg_buf_init(&b, 1 << 20);
		vg_jw_init(&jw, &b);
		struct body bd = {s, &w->p, &jw, 0};
		rc = s->ops->warn->alert_get(s, d->alert, take_alert, &bd);
		if (!rc)
			rc = vg_jw_end(&jw);
		if (!rc && !bd.shown) {
			/* no longer for the watcher: nothing to send */
			struct gone_job j = {*d};
			j.d.done = 2;
			j.d.error = "no longer visible to the watcher";
			rc = vg__write(svc, gone_fn, &j);
		} else if (!rc) {
			char ts[24], sig[65], hdr[80];
			unsigned char key[32];
			snprintf(ts, sizeof(ts), "%lld",
			         (long long)(vg__now_us() / 1000000));
			if (vg__unhex(h.secret, key, sizeof(key)))
				rc = VG_EINTERNAL;
			else {
				vg_warn_sign(key, sizeof(key), ts, b.data,
				             b.len, sig);
				snprintf(hdr, sizeof(hdr), "sha256=%s", sig);
				struct vg_webhook hk = {
				    .alert = d->alert,
				    .watch = d->watch,
				    .attempts = d->attempts,
				    .url = h.url,
				    .body = b.data,
				    .len = b.len,
				    .timestamp = ts,
				    .signature = hdr,
				};
				rc = cb(ud, &hk);
			}
			sodium_memzero(key, sizeof(key));
		}
		sodium_memzero(h.secret, sizeof(h.secret));
		vg_buf_release(&b);
	}
	vg__warn_cache_put(svc, cache);
	free(due.v);
	return rc;
}

struct done_job {
	struct vg_service *svc;
	const struct vg_webhook *h;
	int ok;
	const char *error;
};

static int done_fn(struct vg_store *s, void *arg)
{
	struct done_job *j = arg;
	int attempts = j->h->attempts + 1;
	int64_t delay = 1000000LL << (attempts < 12 ? attempts - 1 : 11);
	if (delay > 3600000000LL)
		delay = 3600000000LL;
	struct vg_delivery_row d = {
	    .alert = j->h->alert,
	    .watch = j->h->watch,
	    .attempts = attempts,
	    .next_at = vg__now_us() + delay,
	    .done = j->ok            ? 1
	            : attempts >= 10 ? 2
	                             : 0,
	    .error = j->ok ? NULL : j->error,
	};
	int rc = s->ops->warn->delivery_update(s, &d);
	struct vg_ctx sys;
	struct vg__detail det;
	char target[32];
	snprintf(target, sizeof(target), "%lld", (long long)j->h->alert);
	vg__warn_system_ctx(j->svc, &sys);
	vg__detail_begin(&det);
	vg_jw_kint(&det.w, "watch", j->h->watch);
	vg_jw_kint(&det.w, "attempt", attempts);
	vg_jw_kbool(&det.w, "ok", j->ok);
	if (!j->ok) {
		vg_jw_key(&det.w, "error");
		vg_jw_strn(&det.w, j->error ? j->error : "", 300);
		vg_jw_kbool(&det.w, "given_up", d.done == 2);
	}
	const char *detail = vg__detail_end(&det);
	if (!rc)
		rc = detail
		         ? vg__audit(s, &sys, "alert.deliver", target, detail)
		         : VG_ENOMEM;
	vg__detail_release(&det);
	vg_ctx_release(&sys);
	return rc;
}

int vg_webhook_done(struct vg_service *svc, const struct vg_webhook *h, int ok,
                    const char *error)
{
	struct done_job j = {svc, h, ok, error};
	return vg__write(svc, done_fn, &j);
}
