/* Screening one person against the candidate index: the query's keys
 * credit the names they reach, a gate keeps those the keys could explain,
 * and the entries of the survivors are scored in full. The index is only
 * read; all state is in the caller's scratch. */
#include "match_index_int.h"
#include "vigil/util/error.h"

#include <stdlib.h>
#include <string.h>

/* A name becomes a candidate when the tokens its keys found would cover
 * this share of the query or of the name, counting every token the keys
 * did not find as unmatched: the name score needs 0.70 of the shorter
 * name, and fuzzy matches the keys miss (Pulin / Putin) make up the
 * difference. */
#define CAND_GATE 0.6f
/* At most this many candidate names are scored, best key evidence first. */
#define CAND_MAX 96
/* A key list longer than this is not walked (see candidates); for the
 * looser keys (phonetic, deletions), which collide more, the bar is
 * lower. */
#define LONG_POSTING 256
#define LONG_POSTING_LOOSE 48

struct vg__cand {
	uint32_t name;
	float pre;  /* key coverage */
	float miss; /* the name's miss weight: its length */
};

/* ---- scratch ---------------------------------------------------- */

int vg__index_scratch_init(const struct vg_match_index *ix,
                           struct vg_match_scratch *s)
{
	size_t n = ix->n_names ? ix->n_names : 1;
	s->ix = ix;
	s->acc = calloc(n, sizeof(*s->acc));
	s->touched = malloc(n * sizeof(*s->touched));
	s->cand = malloc(n * sizeof(*s->cand));
	s->cand_cap = n;
	if (!s->acc || !s->touched || !s->cand)
		return VG_ENOMEM;
	return VG_OK;
}

void vg__index_scratch_release(struct vg_match_scratch *s)
{
	free(s->acc);
	free(s->touched);
	free(s->cand);
	s->acc = NULL;
	s->touched = NULL;
	s->cand = NULL;
}

/* ---- query ------------------------------------------------------ */

/* One key of the query: which token(s) it stands for, what a hit earns. */
struct qkey {
	uint64_t key;
	uint32_t slot, count;
	float credit;       /* share of the token weight */
	float weight;       /* the token's (or pair's) weight */
	float miss;         /* and miss weight */
	uint32_t bits;      /* the query tokens it credits */
	uint8_t kind;       /* K_* */
	uint8_t tok;        /* the token (the first of a pair) */
	uint8_t count_long; /* too long a list to walk */
};

struct gather {
	const struct vg_match_index *ix;
	struct qkey *k;
	size_t n, cap;
	const struct vg_name_token *t;
	uint8_t tok;
};

/* What the token costs a name it is missing from (a particle nothing:
 * the name score ignores one without a partner). */
static float miss_of(const struct vg_name_token *t)
{
	return t->weight > 0 && !vg__particle(t) ? vg__miss_weight(t) : 0;
}

static void gather_key(void *ctx, int kind, uint64_t key, float credit)
{
	struct gather *g = ctx;
	size_t sl = vg__slot(g->ix, key);
	if (!g->ix->slots[sl].key || g->n == g->cap)
		return;
	g->k[g->n++] = (struct qkey){
	    .key = key,
	    .slot = (uint32_t)sl,
	    .count = g->ix->slots[sl].count,
	    .credit = credit,
	    .weight = g->t->weight,
	    .miss = miss_of(g->t),
	    .bits = (uint32_t)1 << g->tok,
	    .tok = g->tok,
	    .kind = (uint8_t)kind,
	};
}

static void walk(const struct vg_match_index *ix, struct vg_match_scratch *s,
                 const struct qkey *k)
{
	const uint32_t *p = ix->post + ix->slots[k->slot].start;
	float w = k->credit * k->weight;
	for (uint32_t j = 0; j < k->count; j++) {
		uint32_t nm = p[j];
		struct vg__acc *a = &s->acc[nm];
		if (a->seen & k->bits)
			continue; /* these tokens already credited it */
		if (!a->seen)
			s->touched[s->n_touched++] = nm;
		a->seen |= k->bits;
		a->m += w;
		a->u += k->miss;
	}
}

/* Whether indexed name in has a token with the property key k stands for
 * (for a key whose list is not walked). */
static bool same(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

static bool has_key(const struct vg_match_index *ix, const struct vg__iname *in,
                    const struct vg__nview *qv, const struct qkey *k)
{
	const struct vg_name_token *q = &qv->tok[k->tok];
	if (!(in->sig & vg__sig_bit(k->key)))
		return false;
	if (k->kind == VG__K_GROUP && in->ngroups <= 4) {
		for (uint8_t j = 0; j < in->ngroups; j++)
			if (in->groups[j] == q->group)
				return true;
		return false;
	}
	for (uint32_t j = 0; j < in->n; j++) {
		const struct vg_name_token *t = &ix->tok[in->tok + j];
		switch (k->kind) {
		case VG__K_GROUP:
			if (t->group == q->group)
				return true;
			break;
		case VG__K_TEXT:
			if (t->len == q->len &&
			    same(ix->pool + t->text, qv->pool + q->text,
			         q->len))
				return true;
			break;
		case VG__K_SKEL:
			if (t->skel_len == q->skel_len &&
			    same(ix->pool + t->skel, qv->pool + q->skel,
			         q->skel_len))
				return true;
			break;
		case VG__K_PHON:
			if (t->phon_len == q->phon_len &&
			    same(ix->pool + t->phon, qv->pool + q->phon,
			         q->phon_len))
				return true;
			break;
		default:
			return false;
		}
	}
	return false;
}

/* Coverage as the name score counts it: what the keys found (m, with the
 * miss weight u of those tokens) against that plus what they did not,
 * on the query's side or the name's, whichever is better. */
static float gate_ratio(float m, float u, float qmiss, float nmiss)
{
	float rest = qmiss < nmiss ? qmiss : nmiss;
	rest = rest > u ? rest - u : 0;
	return m > 0 ? m / (m + rest) : 0;
}

/* gate_ratio(...) >= CAND_GATE, without the division. */
static bool gate_pass(float m, float u, float qmiss, float nmiss)
{
	float rest = qmiss < nmiss ? qmiss : nmiss;
	rest = rest > u ? rest - u : 0;
	return m > 0 && m * (1.0f - CAND_GATE) >= CAND_GATE * rest;
}

static int cmp_cand(const void *x, const void *y)
{
	const struct vg__cand *a = x, *b = y;
	if (a->pre != b->pre)
		return a->pre > b->pre ? -1 : 1;
	/* the shorter name first: it has the better chance of a full
	 * match when many names share the query's words */
	if (a->miss != b->miss)
		return a->miss < b->miss ? -1 : 1;
	return a->name < b->name ? -1 : a->name > b->name;
}

/* Key evidence for query name qv: fills s->cand, returns the count.
 * A key listing more than LONG_POSTING names (a very common name, a
 * two-letter skeleton) is weak evidence: its list is not walked, it only
 * credits the names the other keys found; when every key is that common,
 * the shortest list is walked to find some names. */
static size_t candidates(const struct vg_match_index *ix,
                         struct vg_match_scratch *s, const struct vg__nview *qv,
                         enum vg_person_kind kind)
{
	struct qkey keys[VG_NAME_MAX_TOKENS * 16];
	struct gather g = {ix,   keys, 0, sizeof(keys) / sizeof(keys[0]),
	                   NULL, 0};
	size_t seed = SIZE_MAX, nc = 0;
	float qmiss = 0;
	bool any_short = false;
	for (size_t i = 0; i < qv->n; i++) {
		const struct vg_name_token *t = &qv->tok[i];
		uint64_t k;
		/* an initial may match any word it starts: the gate does
		 * not count it against a name */
		if (!(t->flags & VG_TOK_INITIAL))
			qmiss += miss_of(t);
		g.t = t;
		g.tok = (uint8_t)i;
		size_t before = g.n;
		vg__token_keys(qv->pool, t, gather_key, &g);
		/* a common name, or a word listed as written in many names:
		 * its typo neighbours add little but lookups */
		if (!t->group &&
		    !(g.n > before && keys[before].kind == VG__K_TEXT &&
		      keys[before].count > LONG_POSTING_LOOSE))
			vg__token_del_keys(qv->pool, t, gather_key, &g);
		/* a common name's list is long; the names made of common
		 * names only have their own short list (see add_name) */
		if (t->group && t->weight > 0 && g.n &&
		    keys[g.n - 1].count > LONG_POSTING)
			gather_key(&g, VG__K_WEAK,
			           vg__key_of(VG__K_WEAK, NULL, 0, t->group),
			           VG__CREDIT_TEXT);
		if (i + 1 < qv->n &&
		    vg__pair_key(qv->pool, t, &qv->tok[i + 1], &k)) {
			size_t before = g.n;
			gather_key(&g, VG__K_PAIR, k, VG__CREDIT_TEXT);
			if (g.n > before) {
				struct qkey *pk = &keys[g.n - 1];
				const struct vg_name_token *u = &qv->tok[i + 1];
				pk->weight = t->weight + u->weight;
				pk->miss = miss_of(t) + miss_of(u);
				pk->bits |= (uint32_t)1 << (i + 1);
			}
		}
	}
	for (size_t i = 0; i < g.n; i++) {
		bool loose = keys[i].kind == VG__K_PHON ||
		             keys[i].kind == VG__K_DEL ||
		             keys[i].kind == VG__K_SKDEL;
		if (keys[i].count > (loose ? LONG_POSTING_LOOSE : LONG_POSTING))
			keys[i].count_long = 1;
		if (!keys[i].count_long)
			any_short = true;
		else if (seed == SIZE_MAX || keys[i].count < keys[seed].count)
			seed = i;
	}
	size_t deferred[sizeof(keys) / sizeof(keys[0])], nd = 0;
	for (size_t i = 0; i < g.n; i++) {
		if (!keys[i].count_long || (!any_short && i == seed))
			walk(ix, s, &keys[i]);
		else if (keys[i].kind != VG__K_DEL &&
		         keys[i].kind != VG__K_SKDEL &&
		         keys[i].kind != VG__K_PAIR &&
		         keys[i].kind != VG__K_WEAK &&
		         /* a common name's other spellings are in its
		          * group: its skeleton adds nothing worth a look */
		         !(qv->tok[keys[i].tok].group &&
		           keys[i].kind != VG__K_GROUP))
			deferred[nd++] = i;
	}
	/* the most the deferred keys of each token could add */
	float tw[VG_NAME_MAX_TOKENS] = {0}, tu[VG_NAME_MAX_TOKENS] = {0};
	uint32_t dbits = 0;
	for (size_t d = 0; d < nd; d++) {
		const struct qkey *q = &keys[deferred[d]];
		if (dbits & q->bits)
			continue;
		dbits |= q->bits;
		tw[q->tok] = q->credit * q->weight;
		tu[q->tok] = q->miss;
	}
	s->stat_touched += s->n_touched;
	for (size_t i = 0; i < s->n_touched; i++) {
		uint32_t nm = s->touched[i];
		const struct vg__iname *in = &ix->names[nm];
		struct vg__acc *a = &s->acc[nm];
		uint32_t open = dbits & ~a->seen;
		float pre, dw = 0, du = 0;
		for (uint32_t b = open; b; b &= b - 1) {
			int t = __builtin_ctz(b);
			dw += tw[t];
			du += tu[t];
		}
		/* look into the name only when the deferred keys could lift
		 * it over the gate */
		if (open && gate_pass(a->m + dw, a->u + du, qmiss, in->miss)) {
			for (size_t d = 0; d < nd; d++) {
				const struct qkey *q = &keys[deferred[d]];
				if ((a->seen & q->bits) ||
				    !has_key(ix, in, qv, q))
					continue;
				a->seen |= q->bits;
				a->m += q->credit * q->weight;
				a->u += q->miss;
			}
		}
		bool pass = gate_pass(a->m, a->u, qmiss, in->miss);
		pre = pass ? gate_ratio(a->m, a->u, qmiss, in->miss) : 0;
		*a = (struct vg__acc){0, 0, 0};
		if (!pass || ix->entries[in->entry]->kind != kind)
			continue;
		s->cand[nc++] = (struct vg__cand){nm, pre, in->miss};
	}
	s->n_touched = 0;
	return nc;
}

struct found {
	uint32_t entry;
	double score;
};

static int cmp_found(const void *x, const void *y)
{
	const struct found *a = x, *b = y;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return a->entry < b->entry ? -1 : a->entry > b->entry;
}

int vg_match_index_query(const struct vg_match_index *ix,
                         struct vg_match_scratch *s, const struct vg_person *q,
                         double threshold, struct vg_match_hit *hits,
                         size_t max_hits, size_t *n_hits)
{
	uint32_t cn[CAND_MAX * 4];
	struct found found[CAND_MAX * 4];
	size_t ncn = 0, nf = 0;
	int rc;
	if (!ix || !s || !q || !n_hits || (max_hits && !hits) || s->ix != ix)
		return VG_EINVAL;
	s->stat_touched = s->stat_candidates = s->stat_scored = 0;
	rc = vg__scratch_names(s, true, q->n_names);
	if (rc)
		return rc;
	for (size_t i = 0; i < q->n_names; i++) {
		const char *f = q->names[i].full ? q->names[i].full : "";
		rc =
		    vg_name_normalize(s->norm, f, strlen(f), q->kind, &s->q[i]);
		if (rc)
			return rc;
	}
	/* candidate names of every query name (the first four) */
	for (size_t i = 0; i < q->n_names && i < 4; i++) {
		struct vg__nview qv = vg__view(&s->q[i]);
		size_t nc = candidates(ix, s, &qv, q->kind);
		s->stat_candidates += nc;
		if (nc > CAND_MAX) {
			qsort(s->cand, nc, sizeof(*s->cand), cmp_cand);
			nc = CAND_MAX;
		}
		for (size_t k = 0; k < nc; k++)
			cn[ncn++] = s->cand[k].name;
	}
	/* names of one entry are consecutive: sorting groups them */
	for (size_t i = 1; i < ncn; i++) { /* few: insertion sort */
		uint32_t v = cn[i];
		size_t j = i;
		for (; j > 0 && cn[j - 1] > v; j--)
			cn[j] = cn[j - 1];
		cn[j] = v;
	}
	rc = vg__scratch_views(s, q->n_names + ncn);
	if (!rc && ncn > s->emap_cap) {
		void *p = realloc(s->emap, ncn * sizeof(*s->emap));
		if (!p)
			rc = VG_ENOMEM;
		else {
			s->emap = p;
			s->emap_cap = ncn;
		}
	}
	if (rc)
		return rc;
	struct vg__nview *qv = s->views, *ev = s->views + q->n_names;
	for (size_t i = 0; i < q->n_names; i++)
		qv[i] = vg__view(&s->q[i]);
	for (size_t k = 0; k < ncn;) {
		uint32_t e = ix->names[cn[k]].entry;
		size_t ne = 0;
		for (; k < ncn && ix->names[cn[k]].entry == e; k++) {
			if (ne && s->emap[ne - 1] == cn[k] - ix->ent[e].first)
				continue; /* found by two query names */
			const struct vg__iname *in = &ix->names[cn[k]];
			ev[ne] = (struct vg__nview){ix->tok + in->tok, in->n,
			                            ix->pool};
			s->emap[ne++] = cn[k] - ix->ent[e].first;
		}
		double sc = vg__score_person(q, qv, q->n_names, ix->entries[e],
		                             ev, s->emap, ne, threshold, NULL);
		s->stat_scored++;
		if (sc >= threshold)
			found[nf++] = (struct found){e, sc};
	}
	qsort(found, nf, sizeof(found[0]), cmp_found);
	if (nf > max_hits)
		nf = max_hits;
	for (size_t k = 0; k < nf; k++) {
		uint32_t e = found[k].entry;
		struct vg_match_hit *h = &hits[k];
		size_t ne = 0;
		/* the explanation from the same candidate names */
		for (size_t j = 0; j < ncn; j++) {
			const struct vg__iname *in = &ix->names[cn[j]];
			if (in->entry != e ||
			    (ne && s->emap[ne - 1] == cn[j] - ix->ent[e].first))
				continue;
			ev[ne] = (struct vg__nview){ix->tok + in->tok, in->n,
			                            ix->pool};
			s->emap[ne++] = cn[j] - ix->ent[e].first;
		}
		h->entry = e;
		h->user = ix->user[e];
		h->score = vg__score_person(q, qv, q->n_names, ix->entries[e],
		                            ev, s->emap, ne, threshold, &h->ex);
	}
	*n_hits = nf;
	return VG_OK;
}
