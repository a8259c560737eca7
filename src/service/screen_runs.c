/* The screening officer's workflow (screening.h): stored runs, read one
 * at a time or listed with their counts; dispositions of hits, a false
 * positive remembered as a suppression of the same person against the
 * same entry version; suppressions listed and withdrawn. Each is checked
 * and audited here. */
#include "screen_int.h"
#include "vigil/util/error.h"
#include "vigil/util/timefmt.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The organisation whose runs c reads: every one for the operator. */
static int64_t org_of(const struct vg_ctx *c)
{
	return c->p.operator? 0 : c->p.org;
}

struct found_run {
	char id[37];
	int64_t org;
	int found;
};

static int take_run(void *ud, const struct vg_screen_run_row *r)
{
	struct found_run *f = ud;
	snprintf(f->id, sizeof(f->id), "%s", r->id);
	f->org = r->org;
	f->found = 1;
	return 0;
}

/* The run c means by run (an id, or "last": its newest), if c may read
 * it; VG_ENOTFOUND otherwise. */
static int find_run(struct vg_store *s, const struct vg_ctx *c, const char *run,
                    struct found_run *out)
{
	struct vg_screen_run_filter f = {.org = org_of(c), .limit = 1};
	memset(out, 0, sizeof(*out));
	if (strcmp(run, VG_RUN_LAST))
		f.run = run;
	int rc = s->ops->screen->run_list(s, &f, take_run, out);
	return rc ? rc : out->found ? VG_OK : VG_ENOTFOUND;
}

/* ---- one run as JSON --------------------------------------------------- */

struct run_out {
	struct vg_buf *b;
	size_t n;
};

static int run_row(void *ud, const struct vg_screen_run_row *r)
{
	struct run_out *o = ud;
	char t[VG_TIME_LEN];
	vg_time_format_us(r->created, t);
	int rc = vg_buf_printf(
	    o->b, "{\"run\":\"%s\",\"created\":\"%s\",\"actor\":", r->id, t);
	if (!rc)
		rc = vg_buf_json_str(o->b, r->actor);
	if (!rc)
		rc = vg_buf_puts(o->b, ",\"source\":");
	if (!rc)
		rc = vg_buf_json_str(o->b, r->source);
	if (!rc)
		rc = vg_buf_printf(o->b,
		                   ",\"format\":\"%s\",\"threshold\":%.2f,"
		                   "\"travellers\":%s,\"hits\":[",
		                   r->format, r->threshold, r->travellers_json);
	return rc;
}

static int hit_row(void *ud, const struct vg_screen_hit_row *h)
{
	struct run_out *o = ud;
	int rc = vg_buf_printf(o->b,
	                       "%s{\"hit\":%lld,\"traveller\":%lld,"
	                       "\"score\":%.4f,\"entry\":{\"id\":",
	                       o->n++ ? "," : "", (long long)h->n,
	                       (long long)h->traveller, h->score);
	if (!rc)
		rc = vg_buf_json_str(o->b, h->entry);
	if (!rc && h->entry_version && h->entry_version[0]) {
		rc = vg_buf_puts(o->b, ",\"version\":");
		if (!rc)
			rc = vg_buf_json_str(o->b, h->entry_version);
	}
	if (!rc)
		rc = vg_buf_puts(o->b, ",\"list\":");
	if (!rc)
		rc = vg_buf_json_str(o->b, h->list);
	if (!rc)
		rc = vg_buf_puts(o->b, ",\"reference_number\":");
	if (!rc)
		rc = vg_buf_json_str(o->b, h->ref);
	if (!rc && h->entry_name && h->entry_name[0]) {
		rc = vg_buf_puts(o->b, ",\"name\":");
		if (!rc)
			rc = vg_buf_json_str(o->b, h->entry_name);
	}
	/* explanation and same_person are JSON the service wrote */
	if (!rc)
		rc = vg_buf_printf(
		    o->b, "},\"explanation\":%s,\"disposition\":\"%s\"",
		    h->explanation,
		    vg_disposition_name((enum vg_disposition)h->disposition));
	if (!rc && h->same_person)
		rc = vg_buf_printf(o->b, ",\"same_person\":%s", h->same_person);
	if (!rc && h->suppressed) {
		char t[VG_TIME_LEN];
		vg_time_format_us(h->suppressed_at, t);
		rc = vg_buf_printf(o->b,
		                   ",\"suppressed\":{\"suppression\":%lld,"
		                   "\"by\":",
		                   (long long)h->suppressed);
		if (!rc)
			rc = vg_buf_json_str(
			    o->b, h->suppressed_by ? h->suppressed_by : "");
		if (!rc)
			rc = vg_buf_printf(o->b, ",\"at\":\"%s\"}", t);
	}
	if (!rc && h->disposed_by) {
		char t[VG_TIME_LEN];
		vg_time_format_us(h->disposed_at, t);
		rc = vg_buf_puts(o->b, ",\"disposed_by\":");
		if (!rc)
			rc = vg_buf_json_str(o->b, h->disposed_by);
		if (!rc)
			rc = vg_buf_printf(o->b, ",\"disposed_at\":\"%s\"", t);
		if (!rc && h->note) {
			rc = vg_buf_puts(o->b, ",\"note\":");
			if (!rc)
				rc = vg_buf_json_str(o->b, h->note);
		}
	}
	return rc ? rc : vg_buf_putc(o->b, '}');
}

int vg_screen_run_json(struct vg_ctx *c, const char *run, struct vg_buf *out)
{
	struct vg_store *s = vg__reader(c->svc);
	struct found_run f;
	/* a run holds travellers' data and hits: for the roles that screen,
	 * not for an auditor */
	int rc = vg__require(c, VG_ACT_SCREEN, "screen.read");
	if (!rc)
		rc = vg_ctx_purpose(c);
	if (rc)
		return rc;
	if (!s)
		return VG_ESTORE;
	rc = find_run(s, c, run, &f);
	if (!rc) {
		struct run_out o = {.b = out};
		rc = s->ops->screen->run_get(s, f.id, org_of(c), run_row,
		                             hit_row, &o);
		if (!rc)
			rc = vg_buf_puts(out, "]}");
	}
	if (!rc || rc == VG_ENOTFOUND) {
		int a = vg__audit_read(c, "screen.read", rc ? run : f.id,
		                       rc ? "{\"found\":false}"
		                          : "{\"found\":true}");
		if (a)
			rc = a;
	}
	return rc;
}

/* ---- dispositions ----------------------------------------------------- */

/* What a disposition needs of its hit to remember it. */
struct hit_keys {
	int found;
	int64_t traveller;
	char entry[80], version[40], doc[64], name[256], dob[16];
	char *same; /* the same_person JSON, malloc'd */
	int disposition;
};

static int take_hit(void *ud, const struct vg_screen_hit_row *h)
{
	struct hit_keys *k = ud;
	k->found = 1;
	k->traveller = h->traveller;
	k->disposition = h->disposition;
	snprintf(k->entry, sizeof(k->entry), "%s", h->entry);
	snprintf(k->version, sizeof(k->version), "%s", h->entry_version);
	snprintf(k->doc, sizeof(k->doc), "%s", h->key_doc);
	snprintf(k->name, sizeof(k->name), "%s", h->key_name);
	snprintf(k->dob, sizeof(k->dob), "%s", h->key_dob);
	k->same = h->same_person ? strdup(h->same_person) : NULL;
	return h->same_person && !k->same ? VG_ENOMEM : VG_OK;
}

struct dispose_job {
	const struct vg_ctx *c;
	const char *run;
	int64_t hit;
	enum vg_disposition d;
	const char *note;
	char *err;
	size_t errlen;
	int no_run;
	char run_id[37];
};

struct made {
	const char *run;
	int64_t hit;
	int64_t ids[32];
	size_t n;
};

static int made_here(void *ud, const struct vg_suppression_row *r)
{
	struct made *m = ud;
	if (!strcmp(r->run, m->run) && r->hit == m->hit &&
	    m->n < sizeof(m->ids) / sizeof(m->ids[0]))
		m->ids[m->n++] = r->id;
	return 0;
}

/* Remember a false positive: one suppression per entry of the hit (an
 * entry of an older run without its version cannot be remembered). */
static int suppress(struct vg_store *s, const struct dispose_job *j,
                    int64_t org, const struct hit_keys *k, struct vg_jw *w)
{
	struct vg_suppression_row r = {
	    .org = org,
	    .doc = k->doc,
	    .name = k->name,
	    .dob = k->dob,
	    .run = j->run_id,
	    .hit = j->hit,
	    .created = vg__now_us(),
	    .by = j->c->user,
	    .note = j->note,
	};
	cJSON *same = k->same ? cJSON_Parse(k->same) : NULL;
	const cJSON *e = NULL;
	int rc = VG_OK, i = -1;
	vg_jw_key(w, "suppressions");
	vg_jw_arr(w);
	for (;;) {
		if (i >= 0) {
			const cJSON *o = cJSON_GetArrayItem(same, i);
			if (!o)
				break;
			e = cJSON_GetObjectItemCaseSensitive(o, "entry");
			r.entry = cJSON_GetStringValue(
			    cJSON_GetObjectItemCaseSensitive(e, "id"));
			r.entry_version = cJSON_GetStringValue(
			    cJSON_GetObjectItemCaseSensitive(e, "version"));
		} else {
			r.entry = k->entry;
			r.entry_version = k->version;
		}
		i++;
		if (!r.entry || !r.entry_version || !r.entry_version[0])
			continue;
		int64_t id = 0;
		rc = s->ops->screen->suppression_add(s, &r, &id);
		if (rc)
			break;
		vg_jw_int(w, id);
		if (!same)
			break;
	}
	vg_jw_close(w);
	cJSON_Delete(same);
	return rc;
}

static int dispose_fn(struct vg_store *s, void *arg)
{
	struct dispose_job *j = arg;
	struct found_run f;
	struct hit_keys k = {0};
	struct made m = {.hit = j->hit};
	int rc = find_run(s, j->c, j->run, &f);
	if (rc == VG_ENOTFOUND)
		j->no_run = 1;
	if (rc)
		return rc;
	snprintf(j->run_id, sizeof(j->run_id), "%s", f.id);
	m.run = j->run_id;
	rc = s->ops->screen->hit_get(s, f.id, j->hit, org_of(j->c), take_hit,
	                             &k);
	if (!rc)
		rc = s->ops->screen->dispose(s, f.id, j->hit, org_of(j->c),
		                             (int)j->d, j->c->user, j->note,
		                             vg__now_us());
	/* the suppressions this hit made, still in force */
	if (!rc)
		rc = s->ops->screen->suppression_list(s, f.org, 0, made_here,
		                                      &m);
	struct vg__detail d;
	vg__detail_begin(&d);
	vg_jw_kint(&d.w, "hit", j->hit);
	vg_jw_kstr(&d.w, "disposition", vg_disposition_name(j->d));
	if (!rc && j->d == VG_DISP_FALSE_POSITIVE && !m.n)
		rc = suppress(s, j, f.org, &k, &d.w);
	if (!rc && j->d != VG_DISP_FALSE_POSITIVE && m.n) {
		/* no longer a false positive: its suppressions go */
		vg_jw_key(&d.w, "withdrawn");
		vg_jw_arr(&d.w);
		for (size_t i = 0; !rc && i < m.n; i++) {
			rc = s->ops->screen->suppression_withdraw(
			    s, m.ids[i], f.org, j->c->user, vg__now_us());
			vg_jw_int(&d.w, m.ids[i]);
		}
		vg_jw_close(&d.w);
	}
	const char *detail = vg__detail_end(&d);
	if (!rc)
		rc = detail ? vg__audit(s, j->c, "screen.dispose", f.id, detail)
		            : VG_ENOMEM;
	vg__detail_release(&d);
	free(k.same);
	return rc;
}

int vg_screen_dispose(struct vg_ctx *c, const char *run, int64_t hit,
                      enum vg_disposition d, const char *note, char run_id[37],
                      char *err, size_t errlen)
{
	int rc = vg__require(c, VG_ACT_WRITE, "screen.dispose");
	if (rc)
		return rc;
	if ((unsigned)d > VG_DISP_NEEDS_REVIEW || d == VG_DISP_OPEN ||
	    (note && strlen(note) > 2000)) {
		snprintf(err, errlen,
		         "a disposition is confirmed, false-positive "
		         "or needs-review, with a note of at most "
		         "2000 bytes");
		return VG_EINVAL;
	}
	struct dispose_job j = {c, run, hit, d, note, err, errlen, 0, ""};
	rc = vg__write(c->svc, dispose_fn, &j);
	if (!rc && run_id)
		memcpy(run_id, j.run_id, sizeof(j.run_id));
	if (rc == VG_ENOTFOUND) {
		if (j.no_run)
			snprintf(err, errlen, "no run '%s'", run);
		else
			snprintf(err, errlen, "no hit %lld of run '%s'",
			         (long long)hit, j.run_id);
		int a = vg__audit_now(
		    c, "screen.dispose", j.no_run ? run : j.run_id,
		    j.no_run ? "{\"refused\":\"no such run\"}"
		             : "{\"refused\":\"no such hit\"}");
		if (a)
			rc = a;
	}
	return rc;
}

/* ---- lists ------------------------------------------------------------ */

void vg_screen_run_row_json(const struct vg_screen_run_row *r, struct vg_jw *w)
{
	char t[VG_TIME_LEN];
	vg_time_format_us(r->created, t);
	vg_jw_obj(w);
	vg_jw_kstr(w, "run", r->id);
	vg_jw_kstr(w, "created", t);
	vg_jw_kstr(w, "actor", r->actor);
	vg_jw_kstr(w, "source", r->source);
	vg_jw_kstr(w, "format", r->format);
	vg_jw_knum(w, "threshold", r->threshold, 2);
	vg_jw_kint(w, "travellers", r->travellers);
	vg_jw_kint(w, "hits", r->hits);
	vg_jw_key(w, "by_state");
	vg_jw_obj(w);
	vg_jw_kint(w, "open", r->n_open);
	vg_jw_kint(w, "confirmed", r->n_confirmed);
	vg_jw_kint(w, "false-positive", r->n_false_positive);
	vg_jw_kint(w, "needs-review", r->n_needs_review);
	vg_jw_kint(w, "suppressed", r->n_suppressed);
	vg_jw_close(w);
	vg_jw_close(w);
}

void vg_suppression_row_json(const struct vg_suppression_row *r,
                             struct vg_jw *w)
{
	char t[VG_TIME_LEN];
	vg_jw_obj(w);
	vg_jw_kint(w, "suppression", r->id);
	vg_jw_kstr(w, "entry", r->entry);
	vg_jw_kstr(w, "entry_version", r->entry_version);
	vg_jw_key(w, "traveller");
	vg_jw_obj(w);
	vg_jw_kstr(w, "document", r->doc);
	vg_jw_kstr(w, "name", r->name);
	vg_jw_kstr(w, "date_of_birth", r->dob);
	vg_jw_close(w);
	vg_jw_kstr(w, "run", r->run);
	vg_jw_kint(w, "hit", r->hit);
	vg_time_format_us(r->created, t);
	vg_jw_kstr(w, "created", t);
	vg_jw_kstr(w, "by", r->by);
	if (r->note)
		vg_jw_kstr(w, "note", r->note);
	if (r->withdrawn_at) {
		vg_time_format_us(r->withdrawn_at, t);
		vg_jw_kstr(w, "withdrawn_at", t);
		vg_jw_kstr(w, "withdrawn_by", r->withdrawn_by);
	}
	vg_jw_close(w);
}

struct counted {
	vg_screen_run_cb cb;
	void *ud;
	int64_t n;
};

static int count_run(void *ud, const struct vg_screen_run_row *r)
{
	struct counted *k = ud;
	k->n++;
	return k->cb(k->ud, r);
}

int vg_screen_runs(struct vg_ctx *c, const struct vg_screen_run_filter *f,
                   vg_screen_run_cb cb, void *ud)
{
	struct vg_store *s = vg__reader(c->svc);
	struct vg_screen_run_filter mine = *f;
	struct counted k = {cb, ud, 0};
	int rc = vg__require(c, VG_ACT_SCREEN, "screen.list");
	if (!rc)
		rc = vg_ctx_purpose(c);
	if (rc)
		return rc;
	if (!s)
		return VG_ESTORE;
	mine.org = org_of(c);
	rc = s->ops->screen->run_list(s, &mine, count_run, &k);
	if (rc)
		return rc;
	struct vg__detail d;
	vg__detail_begin(&d);
	vg_jw_kint(&d.w, "count", k.n);
	if (f->open)
		vg_jw_kbool(&d.w, "open", 1);
	if (f->needs_review)
		vg_jw_kbool(&d.w, "needs_review", 1);
	if (f->since || f->until) {
		char t[VG_TIME_LEN];
		vg_time_format_us(f->since, t);
		if (f->since)
			vg_jw_kstr(&d.w, "since", t);
		vg_time_format_us(f->until, t);
		if (f->until)
			vg_jw_kstr(&d.w, "until", t);
	}
	if (f->source)
		vg_jw_kstr(&d.w, "source", f->source);
	const char *detail = vg__detail_end(&d);
	rc = detail ? vg__audit_read(c, "screen.list", "", detail) : VG_ENOMEM;
	vg__detail_release(&d);
	return rc;
}

struct counted_sup {
	vg_suppression_cb cb;
	void *ud;
	int64_t n;
};

static int count_sup(void *ud, const struct vg_suppression_row *r)
{
	struct counted_sup *k = ud;
	k->n++;
	return k->cb(k->ud, r);
}

int vg_screen_suppressions(struct vg_ctx *c, int all, vg_suppression_cb cb,
                           void *ud)
{
	struct vg_store *s = vg__reader(c->svc);
	struct counted_sup k = {cb, ud, 0};
	int rc = vg__require(c, VG_ACT_SCREEN, "screen.suppressions");
	if (!rc)
		rc = vg_ctx_purpose(c);
	if (rc)
		return rc;
	if (!s)
		return VG_ESTORE;
	rc = s->ops->screen->suppression_list(s, c->p.operator? -1 : c->p.org,
	                                      all, count_sup, &k);
	if (rc)
		return rc;
	char detail[80];
	snprintf(detail, sizeof(detail), "{\"count\":%lld%s}", (long long)k.n,
	         all ? ",\"withdrawn_too\":true" : "");
	return vg__audit_read(c, "screen.suppressions", "", detail);
}

struct withdraw_job {
	const struct vg_ctx *c;
	int64_t id;
};

static int withdraw_fn(struct vg_store *s, void *arg)
{
	struct withdraw_job *j = arg;
	char target[24];
	int rc = s->ops->screen->suppression_withdraw(
	    s, j->id, j->c->p.operator? -1 : j->c->p.org, j->c->user,
	    vg__now_us());
	snprintf(target, sizeof(target), "%lld", (long long)j->id);
	return rc ? rc : vg__audit(s, j->c, "screen.withdraw", target, "{}");
}

int vg_screen_withdraw(struct vg_ctx *c, int64_t id)
{
	struct withdraw_job j = {c, id};
	int rc = vg__require(c, VG_ACT_WRITE, "screen.withdraw");
	if (rc)
		return rc;
	rc = vg__write(c->svc, withdraw_fn, &j);
	if (rc == VG_ENOTFOUND) {
		char target[24];
		snprintf(target, sizeof(target), "%lld", (long long)id);
		int a = vg__audit_now(c, "screen.withdraw", target,
		                      "{\"refused\":\"no such suppression\"}");
		if (a)
			rc = a;
	}
	return rc;
}
