/* Partner hubs as lists, status and /metrics series (partners.h): what
 * each partner is, and how its sync goes (state kept by fed_ingest.c). */
#include "fed_int.h"
#include "vigil/util/error.h"
#include "vigil/util/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- lists and status -------------------------------------------------- */

struct list_job {
	struct vg_store *s;
	vg_partner_info_cb cb;
	void *ud;
};

static int list_row(void *ud, const struct vg_partner_row *r)
{
	struct list_job *l = ud;
	char org[128] = "";
	int64_t q = 0;
	l->s->ops->hub->org_find(l->s, NULL, r->org, vg__fed_org_name, org);
	int rc = l->s->ops->sync->quarantine_count(l->s, r->id, &q);
	if (rc)
		return rc;
	struct vg_partner_info i = {
	    .name = r->name,
	    .url = r->url,
	    .org_name = org,
	    .hub_id = r->hub_id,
	    .sign_pk = r->sign_pk,
	    .direction = r->direction,
	    .has_secret = r->secret_len > 0,
	    .config = r->config,
	    .state = r->state,
	    .quarantined = q,
	    .created = r->created,
	};
	return l->cb(l->ud, &i);
}

int vg_partner_list(struct vg_ctx *c, const char *name, vg_partner_info_cb cb,
                    void *ud)
{
	struct vg_store *s = vg__reader(c->svc);
	int rc = vg__require(c, VG_ACT_HUB_ADMIN, "partners.read");
	if (rc)
		return rc;
	if (!s)
		return VG_ESTORE;
	if ((rc = vg__audit_read(c, "partners.read", name ? name : "", "{}")))
		return rc;
	struct list_job l = {s, cb, ud};
	return name ? s->ops->sync->partner_find(s, name, 0, list_row, &l)
	            : s->ops->sync->partner_list(s, list_row, &l);
}

static const char *dir_name(int d)
{
	return d == VG_FED_BOTH ? "both" : d == VG_FED_PUSH ? "push" : "pull";
}

static int64_t state_int(const cJSON *st, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(st, k);
	return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0;
}

/* The status of one partner from its state: last success, lag, backlog,
 * quarantine size, last error. */
static void status_json(struct vg_jw *w, const struct vg_partner_info *p)
{
	char t[VG_TIME_LEN];
	cJSON *st = cJSON_Parse(p->state);
	int64_t ok = state_int(st, "last_success");
	int64_t err_at = state_int(st, "last_error_at");
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(st, "last_error");
	vg_jw_obj(w);
	vg_jw_kstr(w, "name", p->name);
	vg_jw_kstr(w, "direction", dir_name(p->direction));
	vg_jw_key(w, "last_success");
	if (ok) {
		vg_time_format_us(ok, t);
		vg_jw_str(w, t);
	} else {
		vg_jw_null(w);
	}
	vg_jw_key(w, "lag_seconds");
	if (ok)
		vg_jw_num(w, (double)(vg__now_us() - ok) / 1e6, 3);
	else
		vg_jw_null(w);
	vg_jw_key(w, "lag_objects");
	if (ok && state_int(st, "lag_objects") >= 0)
		vg_jw_int(w, state_int(st, "lag_objects"));
	else
		vg_jw_null(w);
	vg_jw_kbool(w, "backlog", state_int(st, "more") != 0);
	vg_jw_kint(w, "last_round_accepted", state_int(st, "accepted"));
	vg_jw_kint(w, "last_round_duplicates", state_int(st, "duplicates"));
	vg_jw_kint(w, "last_round_quarantined", state_int(st, "quarantined"));
	vg_jw_kint(w, "rounds", state_int(st, "rounds"));
	vg_jw_kint(w, "errors", state_int(st, "errors"));
	vg_jw_kint(w, "quarantine", p->quarantined);
	vg_jw_key(w, "last_error");
	if (cJSON_IsString(e) && err_at > ok)
		vg_jw_str(w, e->valuestring);
	else
		vg_jw_null(w);
	vg_jw_key(w, "last_error_at");
	if (err_at) {
		vg_time_format_us(err_at, t);
		vg_jw_str(w, t);
	} else {
		vg_jw_null(w);
	}
	vg_jw_close(w);
	cJSON_Delete(st);
}

struct json_job {
	struct vg_jw *w;
	int status_only;
};

static int json_row(void *ud, const struct vg_partner_info *p)
{
	struct json_job *j = ud;
	struct vg_jw *w = j->w;
	char t[VG_TIME_LEN];
	if (j->status_only) {
		status_json(w, p);
		return w->rc;
	}
	vg_jw_obj(w);
	vg_jw_kstr(w, "name", p->name);
	vg_jw_kstr(w, "url", p->url);
	vg_jw_kstr(w, "direction", dir_name(p->direction));
	vg_jw_kstr(w, "org", p->org_name);
	vg_jw_kstr(w, "hub_id", p->hub_id);
	vg_jw_kstr(w, "sign_pk", p->sign_pk);
	vg_jw_kbool(w, "credential", p->has_secret);
	vg_time_format_us(p->created, t);
	vg_jw_kstr(w, "created", t);
	vg_jw_key(w, "config");
	vg_jw_raw(w, p->config, strlen(p->config));
	vg_jw_key(w, "status");
	status_json(w, p);
	vg_jw_close(w);
	return w->rc;
}

static int partners_json(struct vg_ctx *c, const char *name, int status,
                         struct vg_buf *out)
{
	struct vg_jw w;
	struct json_job j = {&w, status};
	vg_jw_init(&w, out);
	if (!name) {
		vg_jw_obj(&w);
		vg_jw_key(&w, "partners");
		vg_jw_arr(&w);
	}
	int rc = vg_partner_list(c, name, json_row, &j);
	if (!name) {
		vg_jw_close(&w);
		vg_jw_close(&w);
	}
	return rc ? rc : vg_jw_end(&w);
}

int vg_partner_json(struct vg_ctx *c, const char *name, struct vg_buf *out)
{
	return partners_json(c, name, 0, out);
}

int vg_partner_status(struct vg_ctx *c, const char *name, struct vg_buf *out)
{
	return partners_json(c, name, 1, out);
}

/* ---- /metrics ------------------------------------------------------------ */

struct metrics_job {
	struct vg_store *s;
	struct vg_buf *out;
	int rc;
};

static int metric_row(void *ud, const struct vg_partner_row *r)
{
	struct metrics_job *m = ud;
	char name[220];
	struct vg_buf nb;
	int64_t q = 0;
	cJSON *st = cJSON_Parse(r->state);
	int64_t ok = state_int(st, "last_success");
	cJSON_Delete(st);
	/* the partner's name as a label value: escaped as JSON is a superset
	 * of what Prometheus needs for names of [A-Za-z0-9._-] */
	vg_buf_init(&nb, 0);
	vg_buf_json_str(&nb, r->name);
	snprintf(name, sizeof(name), "%s", nb.data ? nb.data : "\"\"");
	vg_buf_release(&nb);
	int rc = m->s->ops->sync->quarantine_count(m->s, r->id, &q);
	if (!rc)
		rc = vg_buf_printf(
		    m->out,
		    "vigil_sync_last_success_seconds{partner=%s} %.3f\n"
		    "vigil_sync_lag_seconds{partner=%s} %.3f\n"
		    "vigil_sync_quarantine{partner=%s} %lld\n",
		    name, ok / 1e6, name, ok ? (vg__now_us() - ok) / 1e6 : -1.0,
		    name, (long long)q);
	st = cJSON_Parse(r->state);
	if (!rc)
		rc = vg_buf_printf(m->out,
		                   "vigil_sync_rounds_total{partner=%s} %lld\n"
		                   "vigil_sync_errors_total{partner=%s} %lld\n"
		                   "vigil_sync_backlog{partner=%s} %lld\n",
		                   name, (long long)state_int(st, "rounds"),
		                   name, (long long)state_int(st, "errors"),
		                   name, (long long)state_int(st, "more"));
	cJSON_Delete(st);
	return rc;
}

int vg_partner_metrics(struct vg_ctx *c, struct vg_buf *out)
{
	struct vg_store *s = vg__reader(c->svc);
	if (!vg_principal_allows(&c->p, VG_ACT_AUDIT) &&
	    !vg_principal_allows(&c->p, VG_ACT_HUB_ADMIN))
		return vg__deny(c, "hub-admin or audit", "metrics.read");
	if (!s)
		return VG_ESTORE;
	struct metrics_job m = {s, out, 0};
	int rc =
	    vg_buf_puts(out, "# HELP vigil_sync_lag_seconds Seconds since the "
	                     "last successful round with each partner hub.\n"
	                     "# TYPE vigil_sync_lag_seconds gauge\n");
	return rc ? rc : s->ops->sync->partner_list(s, metric_row, &m);
}
