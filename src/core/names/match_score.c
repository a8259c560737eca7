/* The name score: order-independent alignment of two normalised names
 * (token pairs, then packing: "alsabah" = "al sabah"), coverage of the
 * better explained name (name particles left without a partner ignored),
 * and the structural factors on top (patronymic roles, family names,
 * initials, specificity). */
#include "match_int.h"

#include <string.h>

/* A pair below this similarity is no evidence at all. */
#define MIN_PAIR_SIM 0.5
/* A packed pair must be this close: a run of words run together is a
 * weaker hypothesis than two words that match one by one. */
#define MIN_PACKED_SIM 0.8
/* How much the tokens the longer name has in excess cost: an added
 * middle name or patronymic is common in real data. */
#define EXTRA_COST 0.4
/* The same when the shorter name is a single word: "Shamsuddin" against
 * "Shamsuddin Mohammed Haqqani" says much less. */
#define EXTRA_COST_SINGLE 0.7
/* "X bin Y" against "Y bin X": father and son, not one person. */
#define ROLE_SWAP 0.6
/* Both names' last parts unmatched: in most names on the lists the last
 * part is the family, tribe or place name (nisbah), and two different
 * ones mean two families. */
#define FAMILY_CLASH 0.85
/* Nothing but initials matched ("N.N." against "Nursultan Nazarbayev"). */
#define INITIALS_ONLY 0.5
/* Evidence (similarity x weight) the shorter name must bring for a full
 * score: "Abu Ahmad" (a kunya) or "Muhammad Ali" alone, matched
 * perfectly, bring 0.7 and 0.8 and are scaled down (docs/matching.md). */
#define SPECIFIC_EVIDENCE 1.0
#define MAX_PAIRS 1024
#define MAX_RUN 3

struct pair {
	uint8_t qi, qn, ei, en; /* spans: first token and count */
	uint8_t how;
	float sim;
	float w; /* weight covered, to break ties */
};

static uint32_t span_mask(size_t i, size_t n)
{
	return (uint32_t)(((uint64_t)1 << (i + n)) - ((uint64_t)1 << i));
}

static bool content(const struct vg_name_token *t)
{
	return t->weight > 0.0f;
}

/* The run's text, symbols by their canonical spelling. */
static size_t run_text(const struct vg__nview *v, size_t i, size_t n, char *out,
                       size_t cap)
{
	size_t l = 0;
	for (size_t k = i; k < i + n; k++) {
		const struct vg_name_token *t = &v->tok[k];
		if (l + t->len >= cap)
			return 0;
		memcpy(out + l, v->pool + t->text, t->len);
		l += t->len;
	}
	out[l] = '\0';
	return l;
}

/* A run worth packing: 2-3 tokens, at least one of them an ordinary
 * name part (a run of symbols alone is no name). */
static bool packable(const struct vg__nview *v, size_t i, size_t n)
{
	bool word = false;
	if (i + n > v->n)
		return false;
	for (size_t k = i; k < i + n; k++) {
		const struct vg_name_token *t = &v->tok[k];
		if (t->flags & VG_TOK_DIGITS)
			return false;
		if (t->sym == VG_SYM_NONE)
			word = true;
	}
	return word;
}

static float span_weight(const struct vg__nview *v, size_t i, size_t n)
{
	float w = 0;
	for (size_t k = i; k < i + n; k++)
		w += v->tok[k].weight;
	return w;
}

/* Packed pairs: one free token of a against runs of free tokens of b
 * (ua, ub: the tokens already matched). */
static size_t add_packed(const struct vg__nview *a, const struct vg__nview *b,
                         uint32_t ua, uint32_t ub, bool a_is_query,
                         struct pair *p, size_t np)
{
	char run[VG_NAME_POOL_MAX];
	bool abjad = false, cjk = false;
	if (a->n && (a->tok[0].flags & VG_TOK_ABJAD))
		abjad = true;
	if (b->n && (b->tok[0].flags & VG_TOK_ABJAD))
		abjad = true;
	if (a->n && b->n && (a->tok[0].flags & b->tok[0].flags & VG_TOK_CJK))
		cjk = true;
	for (size_t i = 0; i < a->n; i++) {
		const struct vg_name_token *t = &a->tok[i];
		if (t->sym != VG_SYM_NONE || t->len < 4 ||
		    (t->flags & VG_TOK_DIGITS) || (ua & ((uint32_t)1 << i)))
			continue;
		for (size_t j = 0; j + 1 < b->n; j++) {
			/* cheapest test first: a run starts where the word
			 * does */
			if (b->pool[b->tok[j].text] != a->pool[t->text])
				continue;
			for (size_t n = 2; n <= MAX_RUN; n++) {
				if (!packable(b, j, n) ||
				    (ub & span_mask(j, n)))
					continue;
				/* presence bits only: twice-bits of a run are
				 * not the union of its tokens' */
				struct vg__sig rs = {0, 0, 0};
				struct vg__sig ts = vg__tok_sig(t);
				for (size_t k = j; k < j + n; k++) {
					rs.c |= b->tok[k].cmask & 0xffffffffu;
					rs.l |= b->tok[k].lmask;
					rs.len += b->tok[k].len;
				}
				ts.c &= 0xffffffffu;
				/* and ends where the word does (a typo there
				 * and a split together are too much);
				 * Arabic-script runs compare by
				 * skeleton, which the letter test does not
				 * bound */
				const struct vg_name_token *lt =
				    &b->tok[j + n - 1];
				if ((!abjad &&
				     (b->pool[lt->text + lt->len - 1] !=
				          a->pool[t->text + t->len - 1] ||
				      !vg__may_match(&ts, &rs))))
					continue;
				size_t rl = run_text(b, j, n, run, sizeof(run));
				if (!rl)
					continue;
				enum vg_match_how how;
				double s = vg__string_sim(a->pool + t->text,
				                          t->len, run, rl,
				                          abjad, !abjad, &how);
				if (s < MIN_PACKED_SIM || np >= MAX_PAIRS ||
				    (cjk && s < 1.0))
					continue;
				struct pair pr = {
				    .how = VG_HOW_PACKED,
				    .sim = (float)s,
				    .w = t->weight + span_weight(b, j, n),
				};
				if (a_is_query) {
					pr.qi = (uint8_t)i, pr.qn = 1;
					pr.ei = (uint8_t)j, pr.en = (uint8_t)n;
				} else {
					pr.ei = (uint8_t)i, pr.en = 1;
					pr.qi = (uint8_t)j, pr.qn = (uint8_t)n;
				}
				p[np++] = pr;
			}
		}
	}
	return np;
}

/* The first bin/bint with a name part on each side, or -1. */
static int patronym_at(const struct vg__nview *v)
{
	bool before = false;
	for (size_t i = 0; i < v->n; i++) {
		const struct vg_name_token *t = &v->tok[i];
		if ((t->sym == VG_SYM_BIN || t->sym == VG_SYM_BINT) && before) {
			for (size_t k = i + 1; k < v->n; k++)
				if (v->tok[k].sym == VG_SYM_NONE)
					return (int)i;
			return -1;
		}
		if (t->sym == VG_SYM_NONE && content(t))
			before = true;
	}
	return -1;
}

/* The last ordinary word: the family name in most written orders. */
static int last_word(const struct vg__nview *v)
{
	for (size_t i = v->n; i-- > 0;) {
		const struct vg_name_token *t = &v->tok[i];
		if (t->sym == VG_SYM_NONE && content(t) &&
		    !(t->flags & (VG_TOK_DIGITS | VG_TOK_INITIAL)))
			return (int)i;
	}
	return -1;
}

/* Structural factors on top of the token evidence. */
static double structure(const struct vg__nview *q, const struct vg__nview *e,
                        const struct pair *acc, size_t nacc, uint32_t uq,
                        uint32_t ue, enum vg_person_kind kind)
{
	double f = 1.0;
	int bq = patronym_at(q), be = patronym_at(e);
	bool solid = false, swap = false;
	for (size_t k = 0; k < nacc; k++) {
		const struct pair *p = &acc[k];
		const struct vg_name_token *tq = &q->tok[p->qi];
		const struct vg_name_token *te = &e->tok[p->ei];
		if (p->how != VG_HOW_INITIAL &&
		    (tq->sym == VG_SYM_NONE || p->qn > 1 || p->en > 1))
			solid = true;
		if (bq >= 0 && be >= 0 && p->qn == 1 && p->en == 1 &&
		    tq->sym == VG_SYM_NONE && te->sym == VG_SYM_NONE &&
		    ((int)p->qi > bq) != ((int)p->ei > be))
			swap = true;
	}
	if (!solid)
		f *= INITIALS_ONLY;
	if (swap)
		f *= ROLE_SWAP;
	if (kind == VG_PERSON_INDIVIDUAL) {
		int lq = last_word(q), le = last_word(e);
		if (lq >= 0 && le >= 0 && !(uq & ((uint32_t)1 << lq)) &&
		    !(ue & ((uint32_t)1 << le)))
			f *= FAMILY_CLASH;
	}
	return f;
}

static int cmp_pair(const void *x, const void *y)
{
	const struct pair *a = x, *b = y;
	if (a->sim != b->sim)
		return a->sim > b->sim ? -1 : 1;
	/* equally good: the finer pair first, so the rest can still pack */
	if (a->qn + a->en != b->qn + b->en)
		return a->qn + a->en < b->qn + b->en ? -1 : 1;
	if (a->w != b->w)
		return a->w > b->w ? -1 : 1;
	/* stable order for equal pairs: by position */
	if (a->qi != b->qi)
		return a->qi < b->qi ? -1 : 1;
	return a->ei < b->ei ? -1 : a->ei > b->ei;
}

struct side {
	float matched_w; /* match weight of matched tokens */
	float evidence;  /* similarity x match weight */
	float missed;    /* miss weight of tokens left alone */
	size_t words;    /* content tokens */
};

static void tally(const struct vg__nview *v, uint32_t used, const float *sim,
                  struct side *s)
{
	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < v->n; i++) {
		const struct vg_name_token *t = &v->tok[i];
		bool u = used & ((uint32_t)1 << i);
		if (!content(t) || (!u && vg__particle(t)))
			continue;
		s->words++;
		if (u) {
			s->matched_w += t->weight;
			s->evidence += sim[i] * t->weight;
		} else {
			s->missed += vg__miss_weight(t);
		}
	}
}

static void part_text(const struct vg__nview *v, size_t i, size_t n, char *out)
{
	size_t l = 0;
	out[0] = '\0';
	for (size_t k = i; k < i + n; k++) {
		const struct vg_name_token *t = &v->tok[k];
		size_t tl = t->len;
		if (l + tl + 2 >= VG_MATCH_PART_TEXT)
			break;
		if (l)
			out[l++] = ' ';
		memcpy(out + l, v->pool + t->text, tl);
		l += tl;
		out[l] = '\0';
	}
}

static void explain_parts(const struct vg__nview *q, const struct vg__nview *e,
                          const struct pair *acc, size_t nacc, uint32_t uq,
                          uint32_t ue, struct vg_match_explain *ex)
{
	ex->n_parts = 0;
	/* in the query's order, unmatched query tokens in place */
	for (size_t i = 0; i < q->n && ex->n_parts < VG_MATCH_MAX_PARTS; i++) {
		struct vg_match_part *pt = &ex->parts[ex->n_parts];
		const struct pair *p = NULL;
		for (size_t k = 0; k < nacc; k++)
			if (acc[k].qi == i)
				p = &acc[k];
		if (p) {
			part_text(q, p->qi, p->qn, pt->query);
			part_text(e, p->ei, p->en, pt->entry);
			pt->similarity = p->sim;
			pt->weight = (span_weight(q, p->qi, p->qn) +
			              span_weight(e, p->ei, p->en)) /
			             2.0f;
			pt->how = p->how;
			ex->n_parts++;
		} else if (!(uq & ((uint32_t)1 << i)) && content(&q->tok[i])) {
			bool ign = vg__particle(&q->tok[i]);
			part_text(q, i, 1, pt->query);
			pt->entry[0] = '\0';
			pt->similarity = 0;
			pt->weight = ign ? 0 : vg__miss_weight(&q->tok[i]);
			pt->how = ign ? VG_HOW_IGNORED : VG_HOW_NONE;
			ex->n_parts++;
		}
	}
	for (size_t j = 0; j < e->n && ex->n_parts < VG_MATCH_MAX_PARTS; j++) {
		struct vg_match_part *pt = &ex->parts[ex->n_parts];
		if ((ue & ((uint32_t)1 << j)) || !content(&e->tok[j]))
			continue;
		bool ign = vg__particle(&e->tok[j]);
		pt->query[0] = '\0';
		part_text(e, j, 1, pt->entry);
		pt->similarity = 0;
		pt->weight = ign ? 0 : vg__miss_weight(&e->tok[j]);
		pt->how = ign ? VG_HOW_IGNORED : VG_HOW_NONE;
		ex->n_parts++;
	}
}

static bool unmatched(const struct vg__nview *v, uint32_t used)
{
	for (size_t i = 0; i < v->n; i++)
		if (content(&v->tok[i]) && !(used & ((uint32_t)1 << i)))
			return true;
	return false;
}

/* Sort the candidate pairs, best first, and accept greedily those whose
 * tokens are all still free. Returns the new count of accepted pairs. */
static size_t accept(struct pair *p, size_t np, struct pair *acc, size_t nacc,
                     uint32_t *uq, uint32_t *ue, float *simq, float *sime)
{
	/* a few dozen pairs: insertion sort (qsort allocates) */
	for (size_t i = 1; i < np; i++) {
		struct pair v = p[i];
		size_t j = i;
		for (; j > 0 && cmp_pair(&p[j - 1], &v) > 0; j--)
			p[j] = p[j - 1];
		p[j] = v;
	}
	for (size_t k = 0; k < np && nacc < VG_NAME_MAX_TOKENS; k++) {
		uint32_t mq = span_mask(p[k].qi, p[k].qn);
		uint32_t me = span_mask(p[k].ei, p[k].en);
		if ((*uq & mq) || (*ue & me))
			continue;
		*uq |= mq;
		*ue |= me;
		acc[nacc++] = p[k];
		for (size_t i = p[k].qi; i < (size_t)p[k].qi + p[k].qn; i++)
			simq[i] = p[k].sim;
		for (size_t j = p[k].ei; j < (size_t)p[k].ei + p[k].en; j++)
			sime[j] = p[k].sim;
	}
	return nacc;
}

double vg__match_views(const struct vg__nview *q, const struct vg__nview *e,
                       enum vg_person_kind kind, struct vg_match_explain *ex,
                       double *evidence)
{
	double evid = 0.0;
	struct pair p[MAX_PAIRS], acc[VG_NAME_MAX_TOKENS];
	float simq[VG_NAME_MAX_TOKENS] = {0}, sime[VG_NAME_MAX_TOKENS] = {0};
	size_t np = 0, nacc = 0;
	uint32_t uq = 0, ue = 0;
	double score = 0.0;

	for (size_t i = 0; i < q->n; i++) {
		if (!content(&q->tok[i]))
			continue;
		for (size_t j = 0; j < e->n && np < MAX_PAIRS; j++) {
			enum vg_match_how how;
			if (!content(&e->tok[j]))
				continue;
			double s = vg_name_token_sim(q->pool, &q->tok[i],
			                             e->pool, &e->tok[j], &how);
			if (s < MIN_PAIR_SIM)
				continue;
			p[np++] = (struct pair){
			    .qi = (uint8_t)i,
			    .qn = 1,
			    .ei = (uint8_t)j,
			    .en = 1,
			    .how = (uint8_t)how,
			    .sim = (float)s,
			    .w = q->tok[i].weight + e->tok[j].weight,
			};
		}
	}
	nacc = accept(p, np, acc, nacc, &uq, &ue, simq, sime);
	/* packing only among tokens the one-to-one pass left alone, and
	 * only when both names have some: most pairs need none */
	if (unmatched(q, uq) && unmatched(e, ue)) {
		np = add_packed(q, e, uq, ue, true, p, 0);
		np = add_packed(e, q, ue, uq, false, p, np);
		nacc = accept(p, np, acc, nacc, &uq, &ue, simq, sime);
	}

	struct side sq, se;
	tally(q, uq, simq, &sq);
	tally(e, ue, sime, &se);
	if (nacc && sq.evidence > 0 && se.evidence > 0) {
		double cq = sq.evidence / (sq.matched_w + sq.missed);
		double ce = se.evidence / (se.matched_w + se.missed);
		double fq = sq.matched_w / (sq.matched_w + sq.missed);
		double fe = se.matched_w / (se.matched_w + se.missed);
		/* the short side is the one better explained */
		bool qshort = fq > fe || (fq == fe && sq.words <= se.words);
		double cov = qshort ? cq : ce, frac = qshort ? fe : fq;
		size_t wshort = qshort ? sq.words : se.words;
		size_t wlong = qshort ? se.words : sq.words;
		double beta =
		    (kind == VG_PERSON_INDIVIDUAL && wshort == 1 && wlong >= 2)
		        ? EXTRA_COST_SINGLE
		        : EXTRA_COST;
		evid = qshort ? sq.evidence : se.evidence;
		score = cov * (1.0 - beta * (1.0 - frac));
		score *= structure(q, e, acc, nacc, uq, ue, kind);
		if (evid < SPECIFIC_EVIDENCE)
			score *= 0.5 + 0.5 * evid / SPECIFIC_EVIDENCE;
	}
	if (score < 0)
		score = 0;
	if (score > 1)
		score = 1;
	if (ex) {
		explain_parts(q, e, acc, nacc, uq, ue, ex);
		ex->name_score = score;
		ex->score = score;
	}
	if (evidence)
		*evidence = score > 0 ? evid : 0.0;
	return score;
}

double vg_match_names(const struct vg_name_tokens *q,
                      const struct vg_name_tokens *e, enum vg_person_kind kind,
                      struct vg_match_explain *ex)
{
	struct vg__nview vq = vg__view(q), ve = vg__view(e);
	if (ex) {
		memset(ex, 0, sizeof(*ex));
	}
	return vg__match_views(&vq, &ve, kind, ex, NULL);
}

double vg__quality_factor(enum vg_name_quality q)
{
	/* a low-quality alias (often a bare kunya such as "Abu Mohammed")
	 * is weak evidence on its own */
	return q == VG_NAME_LOW ? 0.8 : 1.0;
}
