/* Person against person: the best pair of names, then the qualifiers
 * (date of birth with its precision, gender, nationality, document
 * number); and the per-thread scratch both pairwise scoring and index
 * queries work in. */
#include "match_int.h"
#include "vigil/util/error.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Date-of-birth moves (docs/matching.md gives the reasoning). */
#define DOB_SAME_DATE 0.10
#define DOB_SWAPPED 0.05   /* day and month swapped */
#define DOB_SAME_YEAR 0.05 /* same year where one side gives only the year */
#define DOB_IN_RANGE 0.05  /* inside a "between" range of up to 5 years */
#define DOB_IN_WIDE 0.02   /* inside a wider range, or near an "about" */
#define DOB_NEAR -0.05     /* within 3 years: a typo or a guess */
#define DOB_OTHER -0.20    /* clearly another date */
/* ... and up to this much more when the names prove little: below two
 * specific words' worth of evidence (NAME_STRONG), down to a name of
 * common names only (NAME_WEAK: "Ali Hassan", "Mohammed Khan"), which
 * thousands of people share; the date is then what tells them apart */
#define DOB_OTHER_WEAK -0.20
#define NAME_STRONG 2.0
#define NAME_WEAK 1.0
#define APPROX_YEARS 3 /* "approximately 1960" covers 1957-1963 */
#define GENDER_OTHER -0.15
#define NAT_SHARED 0.03
#define NAT_OTHER -0.05 /* weak: nationalities change and are added */
#define DOC_SCORE 0.95  /* an equal document number lifts to at least this */
#define DOC_MIN_DELTA 0.30
#define DOC_MIN_LEN 5 /* shorter numbers are too easily shared */
/* The most the qualifiers other than a document can add. */
#define QUAL_MAX_UP (DOB_SAME_DATE + NAT_SHARED)

static void add_adj(struct vg_match_explain *ex, enum vg_match_qual kind,
                    double delta, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add_adj(struct vg_match_explain *ex, enum vg_match_qual kind,
                    double delta, const char *fmt, ...)
{
	va_list ap;
	if (!ex || ex->n_adj >= VG_MATCH_MAX_ADJ)
		return;
	struct vg_match_adjust *a = &ex->adj[ex->n_adj++];
	a->kind = (uint8_t)kind;
	a->delta = (float)delta;
	va_start(ap, fmt);
	vsnprintf(a->detail, sizeof(a->detail), fmt, ap);
	va_end(ap);
}

/* ---- date of birth ---------------------------------------------- */

struct span {
	int lo, hi;     /* years */
	int month, day; /* 0 unknown, or a range */
};

static bool to_span(const struct vg_dob *d, struct span *s)
{
	memset(s, 0, sizeof(*s));
	if (d->from.year <= 0)
		return false;
	s->lo = s->hi = d->from.year;
	if (d->kind == VG_DOB_APPROX) {
		s->lo -= APPROX_YEARS;
		s->hi += APPROX_YEARS;
	} else if (d->kind == VG_DOB_BETWEEN) {
		s->hi = d->to.year >= s->lo ? d->to.year : s->lo;
	} else {
		s->month = d->from.month;
		s->day = d->from.day;
	}
	return true;
}

static int gap(const struct span *a, const struct span *b)
{
	if (a->hi < b->lo)
		return b->lo - a->hi;
	if (b->hi < a->lo)
		return a->lo - b->hi;
	return 0;
}

/* Format the detail only when asked: scoring without an explanation is
 * the hot path, and snprintf costs more than the comparison. */
#define DETAIL(...)                                                            \
	do {                                                                   \
		if (detail)                                                    \
			snprintf(detail, cap, __VA_ARGS__);                    \
	} while (0)

/* The move for one pair of dates into *delta (and its detail text when
 * detail is not NULL); false when either date has no year. */
static bool dob_pair(const struct vg_dob *qd, const struct vg_dob *ed,
                     double *delta, char *detail, size_t cap)
{
	struct span q, e;
	if (!to_span(qd, &q) || !to_span(ed, &e))
		return false;
	int g = gap(&q, &e);
	bool q_exact = q.lo == q.hi, e_exact = e.lo == e.hi;
	if (q_exact && e_exact && q.day && e.day && q.month && e.month) {
		if (q.lo == e.lo && q.month == e.month && q.day == e.day) {
			DETAIL("same date %04d-%02d-%02d", q.lo, q.month,
			       q.day);
			*delta = DOB_SAME_DATE;
			return true;
		}
		if (q.lo == e.lo && q.month == e.day && q.day == e.month) {
			DETAIL("day and month swapped (%04d)", q.lo);
			*delta = DOB_SWAPPED;
			return true;
		}
		if (q.lo == e.lo ||
		    (g <= 1 && q.month == e.month && q.day == e.day)) {
			DETAIL("%s differs (%04d-%02d-%02d / "
			       "%04d-%02d-%02d)",
			       q.lo == e.lo ? "day" : "year", q.lo, q.month,
			       q.day, e.lo, e.month, e.day);
			*delta = 0.0;
			return true;
		}
	} else if (q_exact && e_exact) {
		/* at least one gives the year (and maybe month) only */
		bool month_clash = q.month && e.month && q.month != e.month;
		if (g == 0 && !month_clash) {
			DETAIL("same year %04d (%s year only)", q.lo,
			       (e.month && e.day) ? "query" : "entry");
			*delta = DOB_SAME_YEAR;
			return true;
		}
		if (g <= 1) {
			DETAIL("%04d against %04d", q.lo, e.lo);
			*delta = 0.0;
			return true;
		}
	} else {
		/* an approximate year or a range on one side at least */
		const struct span *r = e_exact ? &q : &e;
		if (g == 0) {
			bool narrow = r->hi - r->lo <= 5 &&
			              ed->kind == VG_DOB_BETWEEN && q_exact;
			DETAIL("%04d within %04d-%04d", q.lo, e.lo, e.hi);
			*delta = narrow ? DOB_IN_RANGE : DOB_IN_WIDE;
			return true;
		}
		if (g <= 2) {
			DETAIL("%d year(s) outside %04d-%04d", g, e.lo, e.hi);
			*delta = 0.0;
			return true;
		}
	}
	if (g <= 3) {
		DETAIL("%04d against %04d", q.lo, e.lo);
		*delta = DOB_NEAR;
		return true;
	}
	DETAIL("%04d against %04d-%04d", q.lo, e.lo, e.hi);
	*delta = DOB_OTHER;
	return true;
}

/* ---- qualifiers ------------------------------------------------- */

/* Upper-case letters and digits only: "A 123-456" = "a123456". */
static size_t doc_norm(const char *s, char *out, size_t cap)
{
	size_t n = 0;
	for (; s && *s && n + 1 < cap; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 'a' && c <= 'z')
			out[n++] = (char)(c - 'a' + 'A');
		else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
			out[n++] = (char)c;
	}
	out[n] = '\0';
	return n;
}

static bool same_code(const char *a, const char *b)
{
	return a && b && !strcasecmp(a, b);
}

/* The extra move of a clearly different date for names that brought
 * evidence (0 for a specific name). */
static double weak_name_extra(double evidence)
{
	double f = (NAME_STRONG - evidence) / (NAME_STRONG - NAME_WEAK);
	if (f <= 0)
		return 0.0;
	return DOB_OTHER_WEAK * (f > 1 ? 1.0 : f);
}

double vg__qualify(const struct vg_person *q, const struct vg_person *e,
                   double s, double evidence, struct vg_match_explain *ex)
{
	double total = s;

	if (q->n_dobs && e->n_dobs) {
		double best = 0, d;
		size_t bi = 0, bj = 0;
		bool any = false;
		for (size_t i = 0; i < q->n_dobs; i++)
			for (size_t j = 0; j < e->n_dobs; j++)
				if (dob_pair(&q->dobs[i], &e->dobs[j], &d, NULL,
				             0) &&
				    (!any || d > best)) {
					best = d;
					bi = i;
					bj = j;
					any = true;
				}
		if (any) {
			char det[72];
			/* every date clearly another, on a weak name */
			double extra =
			    best <= DOB_OTHER ? weak_name_extra(evidence) : 0.0;
			total += best + extra;
			if (ex) {
				dob_pair(&q->dobs[bi], &e->dobs[bj], &d, det,
				         sizeof(det));
				if (extra < 0)
					add_adj(ex, VG_QUAL_DOB, best + extra,
					        "%.40s, name evidence %.2f",
					        det, evidence);
				else
					add_adj(ex, VG_QUAL_DOB, best, "%s",
					        det);
			}
		}
	}
	if (q->gender && e->gender && q->gender != e->gender) {
		total += GENDER_OTHER;
		add_adj(ex, VG_QUAL_GENDER, GENDER_OTHER, "%s against %s",
		        q->gender == VG_GENDER_MALE ? "male" : "female",
		        e->gender == VG_GENDER_MALE ? "male" : "female");
	}
	if (q->n_nationalities && e->n_nationalities) {
		const char *shared = NULL;
		for (size_t i = 0; i < q->n_nationalities && !shared; i++)
			for (size_t j = 0; j < e->n_nationalities; j++)
				if (same_code(q->nationalities[i],
				              e->nationalities[j]))
					shared = q->nationalities[i];
		if (shared) {
			total += NAT_SHARED;
			add_adj(ex, VG_QUAL_NATIONALITY, NAT_SHARED,
			        "shared nationality %.8s", shared);
		} else {
			total += NAT_OTHER;
			add_adj(ex, VG_QUAL_NATIONALITY, NAT_OTHER,
			        "nationality %.8s against %.8s",
			        q->nationalities[0], e->nationalities[0]);
		}
	}
	for (size_t i = 0; i < q->n_docs; i++) {
		char a[64], b[64];
		bool hit = false;
		if (doc_norm(q->docs[i].number, a, sizeof(a)) < DOC_MIN_LEN)
			continue;
		for (size_t j = 0; j < e->n_docs && !hit; j++) {
			const char *qc = q->docs[i].country;
			const char *ec = e->docs[j].country;
			if (doc_norm(e->docs[j].number, b, sizeof(b)) <
			        DOC_MIN_LEN ||
			    strcmp(a, b))
				continue;
			if (qc[0] && ec[0] && strcasecmp(qc, ec))
				continue;
			hit = true;
		}
		if (hit) {
			double d = DOC_SCORE - total;
			if (d < DOC_MIN_DELTA)
				d = DOC_MIN_DELTA;
			total += d;
			add_adj(ex, VG_QUAL_DOCUMENT, d,
			        "same document number %.40s", a);
			break;
		}
	}
	if (total < 0)
		total = 0;
	if (total > 1)
		total = 1;
	if (ex)
		ex->score = total;
	return total;
}

/* ---- persons ---------------------------------------------------- */

double vg__score_person(const struct vg_person *q, const struct vg__nview *qv,
                        size_t nq, const struct vg_person *e,
                        const struct vg__nview *ev, const uint32_t *emap,
                        size_t ne, double floor, struct vg_match_explain *ex)
{
	double best = -1.0, best_raw = 0.0, best_ev = 0.0;
	size_t bi = 0, bj = 0, bv = 0;
	for (size_t i = 0; i < nq; i++)
		for (size_t j = 0; j < ne; j++) {
			double ev_, raw = vg__match_views(&qv[i], &ev[j],
			                                  e->kind, NULL, &ev_);
			size_t en = emap ? emap[j] : j;
			double f =
			    raw * vg__quality_factor(e->names[en].quality);
			if (f > best) {
				best = f;
				best_raw = raw;
				best_ev = ev_;
				bv = j;
				bi = i;
				bj = en;
			}
		}
	if (best < 0) {
		if (ex)
			memset(ex, 0, sizeof(*ex));
		return 0.0;
	}
	/* out of reach of floor whatever the dates say: only an equal
	 * document number could still lift it */
	if (!ex && best + QUAL_MAX_UP < floor && !(q->n_docs && e->n_docs))
		return best;
	if (ex) {
		memset(ex, 0, sizeof(*ex));
		vg__match_views(&qv[bi], &ev[bv], e->kind, ex, NULL);
		ex->query_name = bi;
		ex->entry_name = bj;
		ex->query_text = q->names[bi].full;
		ex->entry_text = e->names[bj].full;
		ex->entry_quality = e->names[bj].quality;
		ex->name_score = best_raw;
		if (best < best_raw)
			add_adj(ex, VG_QUAL_NAME_QUALITY, best - best_raw,
			        "low-quality alias");
	}
	return vg__qualify(q, e, best, best_ev, ex);
}

int vg__scratch_names(struct vg_match_scratch *s, bool query, size_t n)
{
	struct vg_name_tokens **v = query ? &s->q : &s->e;
	size_t *cap = query ? &s->q_cap : &s->e_cap;
	if (n <= *cap)
		return VG_OK;
	size_t c = *cap ? *cap : 4;
	while (c < n)
		c *= 2;
	if (c > SIZE_MAX / sizeof(**v))
		return VG_ENOMEM;
	void *p = realloc(*v, c * sizeof(**v));
	if (!p)
		return VG_ENOMEM;
	*v = p;
	*cap = c;
	return VG_OK;
}

int vg__scratch_views(struct vg_match_scratch *s, size_t n)
{
	if (n <= s->views_cap)
		return VG_OK;
	size_t c = s->views_cap ? s->views_cap : 16;
	while (c < n)
		c *= 2;
	void *p = realloc(s->views, c * sizeof(*s->views));
	if (!p)
		return VG_ENOMEM;
	s->views = p;
	s->views_cap = c;
	return VG_OK;
}

int vg_match_scratch_new(const struct vg_match_index *ix,
                         struct vg_match_scratch **out)
{
	int rc;
	struct vg_match_scratch *s = calloc(1, sizeof(*s));
	if (!s)
		return VG_ENOMEM;
	rc = vg_name_norm_new(&s->norm);
	if (rc)
		goto out;
	if (ix) {
		rc = vg__index_scratch_init(ix, s);
		if (rc)
			goto out;
	}
	*out = s;
	s = NULL;
out:
	vg_match_scratch_free(s);
	return rc;
}

void vg_match_scratch_free(struct vg_match_scratch *s)
{
	if (!s)
		return;
	vg__index_scratch_release(s);
	vg_name_norm_free(s->norm);
	free(s->q);
	free(s->e);
	free(s->views);
	free(s->emap);
	free(s);
}

struct vg_name_norm *vg_match_scratch_norm(struct vg_match_scratch *s)
{
	return s->norm;
}

void vg_match_scratch_stats(const struct vg_match_scratch *s, size_t *touched,
                            size_t *candidates, size_t *scored)
{
	if (touched)
		*touched = s->stat_touched;
	if (candidates)
		*candidates = s->stat_candidates;
	if (scored)
		*scored = s->stat_scored;
}

/* Normalise every name of p into s->q or s->e. */
static int norm_all(struct vg_match_scratch *s, const struct vg_person *p,
                    bool query)
{
	int rc = vg__scratch_names(s, query, p->n_names);
	if (rc)
		return rc;
	struct vg_name_tokens *v = query ? s->q : s->e;
	for (size_t i = 0; i < p->n_names; i++) {
		const char *f = p->names[i].full ? p->names[i].full : "";
		rc = vg_name_normalize(s->norm, f, strlen(f), p->kind, &v[i]);
		if (rc)
			return rc;
	}
	return VG_OK;
}

int vg_match_persons(struct vg_match_scratch *s, const struct vg_person *q,
                     const struct vg_person *e, double *score,
                     struct vg_match_explain *ex)
{
	int rc;
	if (!s || !q || !e || !score)
		return VG_EINVAL;
	rc = norm_all(s, q, true);
	if (!rc)
		rc = norm_all(s, e, false);
	if (!rc)
		rc = vg__scratch_views(s, q->n_names + e->n_names);
	if (rc)
		return rc;
	struct vg__nview *qv = s->views, *ev = s->views + q->n_names;
	for (size_t i = 0; i < q->n_names; i++)
		qv[i] = vg__view(&s->q[i]);
	for (size_t j = 0; j < e->n_names; j++)
		ev[j] = vg__view(&s->e[j]);
	*score = vg__score_person(q, qv, q->n_names, e, ev, NULL, e->n_names,
	                          0.0, ex);
	return VG_OK;
}
