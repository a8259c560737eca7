/* Trends (warn.h vg_trends, vg_trends_signals): counts per day or week
 * and facet of what the reader may see, with spikes against the trailing
 * baseline (a Poisson tail, rules.h); and cross-agency signals: keys the
 * reader sees that at least k organisations reported within a window,
 * shown only when at least k did (k-anonymity). */
#include "warn_int.h"
#include "vigil/util/error.h"
#include "vigil/util/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ---- days -------------------------------------------------------------------
 */

static int64_t day_num(const char *d)
{
	int y, m, dd;
	if (!d || sscanf(d, "%4d-%2d-%2d", &y, &m, &dd) != 3 || m < 1 ||
	    m > 12 || dd < 1 || dd > 31)
		return INT64_MIN;
	return vg_days_from_civil(y, m, dd);
}

static void day_text(int64_t days, char out[11])
{
	time_t t = (time_t)(days * 86400);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* The period a day falls in: itself, or its ISO week's Monday (day 0,
 * 1970-01-01, was a Thursday). */
static int64_t period_of(int64_t day, int weekly)
{
	if (!weekly)
		return day;
	int64_t dow = ((day % 7) + 7 + 3) % 7; /* Monday 0 */
	return day - dow;
}

/* ---- collecting counts
 * ------------------------------------------------------- */

struct series {
	char *value;
	int64_t *counts; /* per period, from the first of the extended range */
	int64_t total;   /* within [since, until] */
};

struct trend {
	struct series *v;
	size_t n, cap;
	int64_t first; /* first period counted (the baseline's start) */
	size_t periods;
	int weekly;
	const char *strip; /* a prefix taken off the values */
	int rc;
};

static struct series *series_of(struct trend *t, const char *value)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].value, value))
			return &t->v[i];
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct series *n = realloc(t->v, cap * sizeof(*n));
		if (!n)
			return NULL;
		t->v = n;
		t->cap = cap;
	}
	struct series *s = &t->v[t->n];
	s->value = strdup(value);
	s->counts = calloc(t->periods, sizeof(int64_t));
	s->total = 0;
	if (!s->value || !s->counts) {
		free(s->value);
		free(s->counts);
		return NULL;
	}
	t->n++;
	return s;
}

static int on_count(void *ud, const char *value, const char *day, int64_t n)
{
	struct trend *t = ud;
	int64_t d = day_num(day);
	if (d == INT64_MIN)
		return 0;
	int64_t p = period_of(d, t->weekly);
	int64_t step = t->weekly ? 7 : 1;
	int64_t i = (p - t->first) / step;
	if (i < 0 || (size_t)i >= t->periods)
		return 0;
	size_t pl = t->strip ? strlen(t->strip) : 0;
	struct series *s = series_of(
	    t, pl && !strncmp(value, t->strip, pl) ? value + pl : value);
	if (!s)
		return VG_ENOMEM;
	s->counts[i] += n;
	return 0;
}

static int by_total(const void *a, const void *b)
{
	const struct series *x = a, *y = b;
	if (x->total != y->total)
		return x->total < y->total ? 1 : -1;
	return strcmp(x->value, y->value);
}

/* The facets and what they count. */
static const struct {
	const char *name;
	const char *facet[2]; /* store facets; NULL ends */
	const char *strip;
	int ids; /* values are object ids, shown by name */
} facets[] = {
    {"type", {"type", NULL}, NULL, 0},
    {"org", {"owner", NULL}, NULL, 0},
    {"label", {"label:", NULL}, "label:", 0},
    {"sector", {"sector:", NULL}, "sector:", 0},
    {"country", {"country:", NULL}, "country:", 0},
    {"actor", {"ref:threat-actor--", "ref:intrusion-set--"}, "ref:", 1},
    {"attack", {"ref:attack-pattern--", NULL}, "ref:", 1},
    {"location", {"ref:location--", NULL}, "ref:", 1},
};

int vg_trends(struct vg_ctx *c, const struct vg_trend_query *q,
              struct vg_buf *out, char *err, size_t errlen)
{
	struct vg_store *s = vg__reader(c->svc);
	struct trend t = {0};
	int rc = vg__require(c, VG_ACT_READ, "trends.read");
	if (!rc)
		rc = vg_ctx_purpose(c);
	if (rc)
		return rc;
	if (!s)
		return VG_ESTORE;
	if (!s->ops->warn)
		return VG_EUNSUPPORTED;
	size_t f = 0;
	const char *name = q->facet ? q->facet : "type";
	while (f < sizeof(facets) / sizeof(facets[0]) &&
	       strcmp(facets[f].name, name))
		f++;
	if (f == sizeof(facets) / sizeof(facets[0])) {
		snprintf(err, errlen,
		         "'%s' is not a facet (type, label, actor, "
		         "attack, location, sector, country, org)",
		         name);
		return VG_EINVAL;
	}
	int64_t today = vg__now_us() / 86400000000LL;
	int64_t until = q->until ? day_num(q->until) : today;
	int64_t since = q->since ? day_num(q->since) : until - 89;
	if (until == INT64_MIN || since == INT64_MIN || since > until ||
	    until - since > 3660) {
		snprintf(err, errlen,
		         "since and until are days (YYYY-MM-DD), since "
		         "not after until, at most ten years apart");
		return VG_EINVAL;
	}
	int weekly = q->weekly;
	int step = weekly ? 7 : 1;
	int window = q->window ? q->window : weekly ? 8 : 28;
	uint64_t min_count = q->min_count ? q->min_count : 5;
	double alpha = q->alpha > 0 ? q->alpha : 0.001;
	since = period_of(since, weekly);
	until = period_of(until, weekly);
	t.weekly = weekly;
	t.first = since - (int64_t)window * step;
	t.periods = (size_t)((until - t.first) / step + 1);
	t.strip = facets[f].strip;
	char from[11], to[11];
	day_text(t.first, from);
	day_text(until + step - 1, to);
	struct vg_access_expr vis;
	vg_access_expr(&c->p, &vis);
	for (int k = 0; !rc && k < 2 && facets[f].facet[k]; k++) {
		struct vg_warn_countq cq = {.visible = &vis,
		                            .facet = facets[f].facet[k],
		                            .since = from,
		                            .until = to};
		rc = s->ops->warn->counts(s, &cq, on_count, &t);
	}
	size_t base = (size_t)window;
	for (size_t i = 0; !rc && i < t.n; i++)
		for (size_t p = base; p < t.periods; p++)
			t.v[i].total += t.v[i].counts[p];
	if (!rc && t.n)
		qsort(t.v, t.n, sizeof(*t.v), by_total);
	struct vg_jw w;
	vg_jw_init(&w, out);
	vg_jw_obj(&w);
	vg_jw_kstr(&w, "facet", name);
	vg_jw_kstr(&w, "interval", weekly ? "week" : "day");
	day_text(since, from);
	day_text(until, to);
	vg_jw_kstr(&w, "since", from);
	vg_jw_kstr(&w, "until", to);
	vg_jw_key(&w, "spike_rule");
	vg_jw_obj(&w);
	vg_jw_kint(&w, "window", window);
	vg_jw_kint(&w, "min_count", (int64_t)min_count);
	vg_jw_knum(&w, "alpha", alpha, 6);
	vg_jw_close(&w);
	vg_jw_key(&w, "series");
	vg_jw_arr(&w);
	size_t shown = 0;
	for (size_t i = 0; !rc && i < t.n && shown < 50; i++) {
		struct series *sr = &t.v[i];
		char label[200];
		if (!sr->total)
			continue;
		snprintf(label, sizeof(label), "%s", sr->value);
		if (facets[f].ids) {
			/* an object by name, and only one the reader sees */
			char *json = NULL;
			if (vg__warn_visible_json(c, s, sr->value, &json))
				continue;
			cJSON *o = cJSON_Parse(json);
			if (o)
				vg__warn_label(o, label, sizeof(label));
			cJSON_Delete(o);
			free(json);
		} else if (!strcmp(name, "org")) {
			vg__warn_org_name(s, strtoll(sr->value, NULL, 10),
			                  label, sizeof(label));
		}
		shown++;
		vg_jw_obj(&w);
		vg_jw_kstr(&w, "value", sr->value);
		vg_jw_kstr(&w, "label", label);
		vg_jw_kint(&w, "total", sr->total);
		vg_jw_key(&w, "counts");
		vg_jw_arr(&w);
		for (size_t p = base; p < t.periods; p++) {
			if (!sr->counts[p])
				continue;
			char d[11];
			day_text(t.first + (int64_t)p * step, d);
			vg_jw_obj(&w);
			vg_jw_kstr(&w, "period", d);
			vg_jw_kint(&w, "count", sr->counts[p]);
			vg_jw_close(&w);
		}
		vg_jw_close(&w);
		vg_jw_key(&w, "spikes");
		vg_jw_arr(&w);
		for (size_t p = base; p < t.periods; p++) {
			struct vg_spike sp;
			uint64_t hist[366];
			size_t hn = 0;
			for (size_t h = p - base; h < p && hn < 366; h++)
				hist[hn++] = (uint64_t)sr->counts[h];
			vg_warn_spike((uint64_t)sr->counts[p], hist, hn,
			              min_count, alpha, &sp);
			if (!sp.spike)
				continue;
			char d[11];
			day_text(t.first + (int64_t)p * step, d);
			vg_jw_obj(&w);
			vg_jw_kstr(&w, "period", d);
			vg_jw_kint(&w, "count", sr->counts[p]);
			vg_jw_knum(&w, "baseline", sp.baseline, 3);
			vg_jw_knum(&w, "p", sp.p, 9);
			vg_jw_close(&w);
		}
		vg_jw_close(&w);
		vg_jw_close(&w);
	}
	vg_jw_close(&w);
	vg_jw_close(&w);
	if (!rc)
		rc = vg_jw_end(&w);
	for (size_t i = 0; i < t.n; i++) {
		free(t.v[i].value);
		free(t.v[i].counts);
	}
	free(t.v);
	struct vg__detail d;
	vg__detail_begin(&d);
	vg_jw_kstr(&d.w, "facet", name);
	vg_jw_kstr(&d.w, "since", from);
	vg_jw_kstr(&d.w, "until", to);
	const char *detail = vg__detail_end(&d);
	if (!rc)
		rc = detail ? vg__audit_read(c, "trends.read", "", detail)
		            : VG_ENOMEM;
	vg__detail_release(&d);
	return rc;
}

/* ---- cross-agency signals
 * ----------------------------------------------------- */

struct sig {
	char *key;
	char label[200];
	int64_t orgs[64];
	size_t n_orgs;
	int visible;
};

struct sigs {
	struct vg_ctx *c;
	struct vg_store *s;
	const struct vg_warn_excl *ex;
	struct sig *v;
	size_t n, cap;
	const char *last_key;
	struct sig *cur;
};

static int on_window_row(void *ud, const struct vg_warn_row *r)
{
	struct sigs *x = ud;
	/* a pair of a name's tokens is no report of the name */
	if (!vg_warn_key_correlates(r->key) || !strncmp(r->key, "name2:", 6) ||
	    vg_warn_excluded(x->ex, r->key))
		return 0;
	/* rows arrive in key order: one entry per key */
	if (!x->cur || strcmp(x->cur->key, r->key)) {
		if (x->n == x->cap) {
			size_t cap = x->cap ? x->cap * 2 : 64;
			struct sig *n = realloc(x->v, cap * sizeof(*n));
			if (!n)
				return VG_ENOMEM;
			x->v = n;
			x->cap = cap;
		}
		x->cur = &x->v[x->n++];
		memset(x->cur, 0, sizeof(*x->cur));
		if (!(x->cur->key = strdup(r->key))) {
			x->n--;
			x->cur = NULL;
			return VG_ENOMEM;
		}
	}
	struct vg_access_meta m = {
	    .owner = r->owner,
	    .scope = (enum vg_scope)r->scope,
	    .group = r->grp,
	    .tlp = r->tlp,
	    .classification = r->classification,
	    .added = r->added,
	};
	int readable = vg_access_read(&x->c->p, &m);
	/* an organisation counts when the reader may read its record, or
	 * its owner allows hit / no-hit on it */
	if (!readable && vg__warn_decide(x->s, &x->c->p, &m, r->id,
	                                 r->collection) != VG_ALERT_HIT)
		return 0;
	if (readable && !x->cur->visible) {
		x->cur->visible = 1;
		if (!strncmp(r->key, "name:", 5) && r->json) {
			cJSON *o = cJSON_ParseWithLength(r->json, r->json_len);
			if (o)
				vg__warn_label(o, x->cur->label,
				               sizeof(x->cur->label));
			cJSON_Delete(o);
		}
	}
	for (size_t i = 0; i < x->cur->n_orgs; i++)
		if (x->cur->orgs[i] == r->owner)
			return 0;
	if (x->cur->n_orgs < 64)
		x->cur->orgs[x->cur->n_orgs++] = r->owner;
	return 0;
}

static int by_orgs(const void *a, const void *b)
{
	const struct sig *x = a, *y = b;
	if (x->n_orgs != y->n_orgs)
		return x->n_orgs < y->n_orgs ? 1 : -1;
	return strcmp(x->key, y->key);
}

int vg_trends_signals(struct vg_ctx *c, int days, const char *until,
                      struct vg_buf *out, char *err, size_t errlen)
{
	struct vg_store *s = vg__reader(c->svc);
	struct vg__warn_conf conf;
	struct vg_warn_excl ex = {0};
	int rc = vg__require(c, VG_ACT_READ, "trends.signals");
	if (!rc)
		rc = vg_ctx_purpose(c);
	if (rc)
		return rc;
	if (!s)
		return VG_ESTORE;
	if (!s->ops->warn)
		return VG_EUNSUPPORTED;
	if (days <= 0)
		days = 7;
	int64_t end = vg__now_us();
	if (until) {
		int64_t d = day_num(until);
		if (d == INT64_MIN) {
			snprintf(err, errlen, "until is a day (YYYY-MM-DD)");
			return VG_EINVAL;
		}
		end = (d + 1) * 86400000000LL;
	}
	int64_t begin = end - (int64_t)days * 86400000000LL;
	rc = vg__warn_conf_read(s, &conf);
	if (!rc)
		rc = vg__warn_exclusions(c->svc, s, &ex);
	struct sigs x = {c, s, &ex, NULL, 0, 0, NULL, NULL};
	/* the window is of receipt (date_added): "reported within" */
	struct vg_warn_keyq q = {.after = begin - 1, .before = end, .json = 1};
	if (!rc)
		rc = s->ops->warn->keys_scan(s, &q, on_window_row, &x);
	if (!rc && x.n)
		qsort(x.v, x.n, sizeof(*x.v), by_orgs);
	struct vg_jw w;
	char b[VG_TIME_LEN], e[VG_TIME_LEN];
	vg_time_format_us(begin, b);
	vg_time_format_us(end, e);
	vg_jw_init(&w, out);
	vg_jw_obj(&w);
	vg_jw_kstr(&w, "from", b);
	vg_jw_kstr(&w, "until", e);
	vg_jw_kint(&w, "k", conf.k);
	vg_jw_key(&w, "signals");
	vg_jw_arr(&w);
	size_t shown = 0;
	for (size_t i = 0; !rc && i < x.n && shown < 100; i++) {
		struct sig *sg = &x.v[i];
		/* only keys the reader holds, only counts of at least k */
		if (!sg->visible || (int64_t)sg->n_orgs < conf.k)
			continue;
		char kind[16], shown_v[VG_WARN_KEY_MAX];
		vg_warn_key_kind(sg->key, kind);
		if (!strncmp(sg->key, "name:", 5))
			snprintf(shown_v, sizeof(shown_v), "%s", sg->label);
		else
			vg_warn_key_display(sg->key, shown_v, sizeof(shown_v));
		vg_jw_obj(&w);
		vg_jw_kstr(&w, "kind", kind);
		vg_jw_kstr(&w, "value", shown_v);
		vg_jw_kint(&w, "organisations", (int64_t)sg->n_orgs);
		vg_jw_close(&w);
		shown++;
	}
	vg_jw_close(&w);
	vg_jw_close(&w);
	if (!rc)
		rc = vg_jw_end(&w);
	for (size_t i = 0; i < x.n; i++)
		free(x.v[i].key);
	free(x.v);
	vg_warn_excl_release(&ex);
	struct vg__detail d;
	vg__detail_begin(&d);
	vg_jw_kint(&d.w, "days", days);
	vg_jw_kint(&d.w, "signals", (int64_t)shown);
	const char *detail = vg__detail_end(&d);
	if (!rc)
		rc = detail ? vg__audit_read(c, "trends.signals", "", detail)
		            : VG_ENOMEM;
	vg__detail_release(&d);
	return rc;
}
