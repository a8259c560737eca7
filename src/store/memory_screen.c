/* Screening runs, their hits and the suppressions of the in-memory store:
 * the same answers as sqlite_screen.c, with loops. */
#include "memory_int.h"
#include "vigil/util/error.h"

#include <stdlib.h>
#include <string.h>

#define ST(s) (&vg__m_db(s)->st)
#define dup vg__m_dup

/* ---- row strings --------------------------------------------------- */

#define HIT_STRINGS(X)                                                         \
	X(run)                                                                 \
	X(entry) X(list) X(ref) X(explanation) X(disposed_by) X(note)          \
	    X(entry_version) X(entry_name) X(key_doc) X(key_name) X(key_dob)   \
	        X(same_person)

void vg__m_free_hit(struct vg_screen_hit_row *h)
{
#define FREE(f) free((char *)h->f);
	HIT_STRINGS(FREE)
#undef FREE
}

int vg__m_dup_hit(struct vg_screen_hit_row *h)
{
	int ok = 1;
#define DUP(f)                                                                 \
	if (h->f && !(h->f = dup(h->f)))                                       \
		ok = 0;
	HIT_STRINGS(DUP)
#undef DUP
	/* the suppression's maker and time are looked up, never kept */
	h->suppressed_by = NULL;
	h->suppressed_at = 0;
	return ok ? VG_OK : VG_ENOMEM;
}

#define SUP_STRINGS(X)                                                         \
	X(entry)                                                               \
	X(entry_version) X(doc) X(name) X(dob) X(run) X(by) X(note)            \
	    X(withdrawn_by)

void vg__m_free_sup(struct vg_suppression_row *r)
{
#define FREE(f) free((char *)r->f);
	SUP_STRINGS(FREE)
#undef FREE
}

int vg__m_dup_sup(struct vg_suppression_row *r)
{
	int ok = 1;
#define DUP(f)                                                                 \
	if (r->f && !(r->f = dup(r->f)))                                       \
		ok = 0;
	SUP_STRINGS(DUP)
#undef DUP
	return ok ? VG_OK : VG_ENOMEM;
}

/* ---- runs and hits --------------------------------------------------- */

static int run_add(struct vg_store *s, const struct vg_screen_run_row *r)
{
	TOUCH(s);
	struct m_state *st = ST(s);
	if (PUSH(st->runs))
		return VG_ENOMEM;
	struct vg_screen_run_row *x = &st->runs.v[st->runs.n - 1].r;
	*x = *r;
	x->id = dup(r->id);
	x->actor = dup(r->actor);
	x->source = dup(r->source);
	x->format = dup(r->format);
	x->travellers_json = dup(r->travellers_json);
	return x->id && x->actor && x->source && x->format && x->travellers_json
	           ? VG_OK
	           : VG_ENOMEM;
}

static int hit_add(struct vg_store *s, const struct vg_screen_hit_row *h)
{
	TOUCH(s);
	struct m_state *st = ST(s);
	if (PUSH(st->hits))
		return VG_ENOMEM;
	struct vg_screen_hit_row *x = &st->hits.v[st->hits.n - 1].h;
	*x = *h;
	x->disposition = 0;
	x->disposed_by = NULL;
	x->disposed_at = 0;
	x->note = NULL;
	/* as the SQLite columns: "" for what is not given */
	if (!x->entry_version)
		x->entry_version = "";
	if (!x->entry_name)
		x->entry_name = "";
	if (!x->key_doc)
		x->key_doc = "";
	if (!x->key_name)
		x->key_name = "";
	if (!x->key_dob)
		x->key_dob = "";
	return vg__m_dup_hit(x);
}

static const struct vg_screen_run_row *run_of(const struct m_state *st,
                                              const char *run, int64_t org)
{
	for (size_t i = 0; i < st->runs.n; i++)
		if (!strcmp(st->runs.v[i].r.id, run) &&
		    (!org || st->runs.v[i].r.org == org))
			return &st->runs.v[i].r;
	return NULL;
}

static int dispose(struct vg_store *s, const char *run, int64_t n, int64_t org,
                   int disposition, const char *by, const char *note,
                   int64_t at)
{
	TOUCH(s);
	struct m_state *st = ST(s);
	if (!run_of(st, run, org))
		return VG_ENOTFOUND;
	for (size_t i = 0; i < st->hits.n; i++) {
		struct vg_screen_hit_row *h = &st->hits.v[i].h;
		if (strcmp(h->run, run) || h->n != n)
			continue;
		free((char *)h->disposed_by);
		free((char *)h->note);
		h->disposition = disposition;
		h->disposed_by = dup(by);
		h->note = dup(note);
		h->disposed_at = at;
		return h->disposed_by ? VG_OK : VG_ENOMEM;
	}
	return VG_ENOTFOUND;
}

/* h as a callback gets it: with its suppression's maker and time. */
static int emit_hit(const struct m_state *st, const struct vg_screen_hit_row *h,
                    vg_screen_hit_cb cb, void *ud)
{
	struct vg_screen_hit_row out = *h;
	for (size_t i = 0; h->suppressed && i < st->sups.n; i++)
		if (st->sups.v[i].r.id == h->suppressed) {
			out.suppressed_by = st->sups.v[i].r.by;
			out.suppressed_at = st->sups.v[i].r.created;
		}
	return cb(ud, &out);
}

static const struct vg_screen_hit_row *hit_of(const struct m_state *st,
                                              const char *run, int64_t n)
{
	for (size_t i = 0; i < st->hits.n; i++)
		if (!strcmp(st->hits.v[i].h.run, run) && st->hits.v[i].h.n == n)
			return &st->hits.v[i].h;
	return NULL;
}

static int run_get(struct vg_store *s, const char *run, int64_t org,
                   vg_screen_run_cb run_cb, vg_screen_hit_cb hit_cb, void *ud)
{
	struct m_state *st = ST(s);
	const struct vg_screen_run_row *r = run_of(st, run, org);
	if (!r)
		return VG_ENOTFOUND;
	int rc = run_cb(ud, r);
	for (int64_t n = 1; !rc; n++) {
		const struct vg_screen_hit_row *h = hit_of(st, run, n);
		if (!h)
			break;
		rc = emit_hit(st, h, hit_cb, ud);
	}
	return rc;
}

static int hit_get(struct vg_store *s, const char *run, int64_t n, int64_t org,
                   vg_screen_hit_cb cb, void *ud)
{
	struct m_state *st = ST(s);
	const struct vg_screen_hit_row *h =
	    run_of(st, run, org) ? hit_of(st, run, n) : NULL;
	return h ? emit_hit(st, h, cb, ud) : VG_ENOTFOUND;
}

/* The run with its counts, when f selects it (0), else 1. */
static int run_counts(const struct m_state *st,
                      const struct vg_screen_run_row *r,
                      const struct vg_screen_run_filter *f,
                      struct vg_screen_run_row *out)
{
	if ((f->org && r->org != f->org) || (f->run && strcmp(f->run, r->id)) ||
	    (f->since && r->created < f->since) ||
	    (f->until && r->created >= f->until) ||
	    (f->source && !strstr(r->source, f->source)))
		return 1;
	*out = *r;
	out->travellers_json = NULL;
	for (size_t i = 0; i < st->hits.n; i++) {
		const struct vg_screen_hit_row *h = &st->hits.v[i].h;
		if (strcmp(h->run, r->id))
			continue;
		out->n_open += h->disposition == 0 && !h->suppressed;
		out->n_confirmed += h->disposition == 1;
		out->n_false_positive += h->disposition == 2;
		out->n_needs_review += h->disposition == 3;
		out->n_suppressed += h->disposition == 0 && h->suppressed;
	}
	if ((f->open && !out->n_open) ||
	    (f->needs_review && !out->n_needs_review))
		return 1;
	return 0;
}

/* Newest first: created, then id, both descending. */
static int newer(const struct vg_screen_run_row *a,
                 const struct vg_screen_run_row *b)
{
	if (a->created != b->created)
		return a->created > b->created;
	return strcmp(a->id, b->id) > 0;
}

static int run_list(struct vg_store *s, const struct vg_screen_run_filter *f,
                    vg_screen_run_cb cb, void *ud)
{
	struct m_state *st = ST(s);
	const struct vg_screen_run_row *last = NULL;
	int rc = VG_OK;
	/* select the next newest run after last, again and again: lists are
	 * short, and this needs no copy of the rows */
	for (size_t sent = 0; !rc && (!f->limit || sent < f->limit); sent++) {
		const struct vg_screen_run_row *best = NULL;
		struct vg_screen_run_row row, best_row;
		for (size_t i = 0; i < st->runs.n; i++) {
			const struct vg_screen_run_row *r = &st->runs.v[i].r;
			if ((last && !newer(last, r)) ||
			    (best && !newer(r, best)))
				continue;
			if (run_counts(st, r, f, &row))
				continue;
			best = r;
			best_row = row;
		}
		if (!best)
			break;
		rc = cb(ud, &best_row);
		last = best;
	}
	return rc;
}

/* ---- suppressions --------------------------------------------------- */

static int sup_add(struct vg_store *s, const struct vg_suppression_row *r,
                   int64_t *id)
{
	TOUCH(s);
	struct m_state *st = ST(s);
	int64_t next = st->sups.n ? st->sups.v[st->sups.n - 1].r.id + 1 : 1;
	if (PUSH(st->sups))
		return VG_ENOMEM;
	struct vg_suppression_row *x = &st->sups.v[st->sups.n - 1].r;
	*x = *r;
	x->id = next;
	x->withdrawn_at = 0;
	x->withdrawn_by = NULL;
	int rc = vg__m_dup_sup(x);
	if (!rc)
		*id = next;
	return rc;
}

static int sup_list(struct vg_store *s, int64_t org, int withdrawn_too,
                    vg_suppression_cb cb, void *ud)
{
	struct m_state *st = ST(s);
	int rc = VG_OK;
	for (size_t i = 0; !rc && i < st->sups.n; i++) {
		const struct vg_suppression_row *r = &st->sups.v[i].r;
		if ((org < 0 || r->org == org) &&
		    (withdrawn_too || !r->withdrawn_at))
			rc = cb(ud, r);
	}
	return rc;
}

static int sup_withdraw(struct vg_store *s, int64_t id, int64_t org,
                        const char *by, int64_t at)
{
	TOUCH(s);
	struct m_state *st = ST(s);
	for (size_t i = 0; i < st->sups.n; i++) {
		struct vg_suppression_row *r = &st->sups.v[i].r;
		if (r->id != id || r->withdrawn_at ||
		    (org >= 0 && r->org != org))
			continue;
		char *b = dup(by);
		if (!b)
			return VG_ENOMEM;
		r->withdrawn_at = at;
		r->withdrawn_by = b;
		return VG_OK;
	}
	return VG_ENOTFOUND;
}

const struct vg_store_screen_ops vg__m_screen_ops = {
    .run_add = run_add,
    .hit_add = hit_add,
    .dispose = dispose,
    .run_get = run_get,
    .run_list = run_list,
    .hit_get = hit_get,
    .suppression_add = sup_add,
    .suppression_list = sup_list,
    .suppression_withdraw = sup_withdraw,
};
