/* What the matcher's files (name_norm.c, name_tables.c, name_sim.c,
 * match_score.c, match_explain.c, match_index.c) share but do not publish. */
#ifndef VIGIL_MATCH_INT_H
#define VIGIL_MATCH_INT_H

#include "vigil/names/match.h"

#include <stdbool.h>

/* A normalised name seen through its token array and string pool: a
 * struct vg_name_tokens, or a name stored inside an index. */
struct vg__nview {
	const struct vg_name_token *tok;
	size_t n;
	const char *pool;
};

static inline struct vg__nview vg__view(const struct vg_name_tokens *t)
{
	struct vg__nview v = {t->tok, t->n, t->pool};
	return v;
}

/* name_tables.c: the fixed word lists. */
struct vg__word {
	const char *text;  /* as it appears after normalisation */
	const char *canon; /* the spelling stored (NULL: text itself) */
	uint8_t sym;       /* enum vg_name_sym, or VG_SYM_NONE for a group */
	uint8_t group;     /* common-name group, 0 none */
	uint8_t flags;     /* VG__W_* */
};
#define VG__W_HYPHEN 0x01   /* an article only when hyphen-joined (ad-din) */
#define VG__W_NOTFIRST 0x02 /* a particle only when not the first word */
#define VG__W_ENTITY 0x04   /* applies to entity names only */
#define VG__W_PERSON 0x08   /* applies to person names only */

/* The row for text in a name of the given kind; abjad says the token came
 * from Arabic script (its own spellings, as "mhmd", then win). */
const struct vg__word *vg__word_find(const char *text, size_t len,
                                     enum vg_person_kind kind, bool abjad);
/* For the test that the table is sorted. */
int vg__word_count(void);
const char *vg__word_text(int i);
/* Legal-form phrases of several words, as "joint stock company" -> jsc:
 * the longest phrase starting at words[i]; *nwords its length. */
const char *vg__legal_phrase(const char *const *words, size_t n, size_t i,
                             size_t *nwords);
/* Evidence weight of a very common name group (docs/matching.md). */
float vg__group_weight(uint8_t group);
const char *vg__group_name(uint8_t group);

/* Token weights (docs/matching.md). */
#define VG__W_PATRONYM 0.2f /* bin, bint, abu, umm, ould */
#define VG__W_ABD 0.25f
#define VG__W_PARTICLE 0.3f
#define VG__W_LEGAL 0.15f
#define VG__W_DIGITS 0.3f
#define VG__W_INITIAL 0.4f
#define VG__W_INITIAL_MISS 0.8f /* a contradicting initial is a real clash */
#define VG__W_SHORT 0.5f        /* tokens of 2 letters */
#define VG__W_THREE 0.8f        /* tokens of 3 letters */

/* A name particle (bin, bint, abu, umm, ould; de, van, von ...): written
 * in one spelling of a name and left out in another ("Mohamed bin Omar",
 * "Mohammed Omar"), so one without a partner is ignored, neither evidence
 * nor a miss. */
static inline bool vg__particle(const struct vg_name_token *t)
{
	return t->sym == VG_SYM_BIN || t->sym == VG_SYM_BINT ||
	       t->sym == VG_SYM_ABU || t->sym == VG_SYM_UMM ||
	       t->sym == VG_SYM_OULD || t->sym == VG_SYM_PARTICLE;
}

/* The penalty weight of a token left without a partner: its length
 * weight, not its commonness (a "Mohamed" against an "Ahmed" is a real
 * difference even though matching "Mohamed" proves little). */
float vg__miss_weight(const struct vg_name_token *t);

/* name_sim.c: letter signatures of s (struct vg_name_token.cmask and
 * lmask). An edit changes at most two bits of either, so signatures that
 * differ in k bits are at least k/2 folded edits (cmask) or k/4 weighted
 * edits (lmask) apart. */
struct vg__sig {
	uint64_t c;
	uint32_t l;
	size_t len;
};
struct vg__sig vg__signature(const char *s, size_t len);
/* Whether strings with signatures a and b could be within the budget:
 * the test every fuzzy comparison passes first. */
bool vg__may_match(const struct vg__sig *a, const struct vg__sig *b);
static inline struct vg__sig vg__tok_sig(const struct vg_name_token *t)
{
	struct vg__sig s = {t->cmask, t->lmask, t->len};
	return s;
}

/* name_sim.c: similarity of two strings of letters outside any token
 * record (packed runs); abjad says one side came from Arabic script,
 * checked that the caller has already passed vg__may_match. */
double vg__string_sim(const char *a, size_t alen, const char *b, size_t blen,
                      bool abjad, bool checked, enum vg_match_how *how);

/* The per-thread scratch (match_person.c makes it, match_index.c adds
 * the candidate accumulators when it serves an index). */
struct vg__cand;
/* A query's evidence for one indexed name. */
struct vg__acc {
	float m;       /* key credit so far */
	float u;       /* miss weight of the tokens credited */
	uint32_t seen; /* the query tokens that credited it */
};
struct vg_match_scratch {
	const struct vg_match_index *ix;
	struct vg_name_norm *norm;
	struct vg_name_tokens *q; /* the query's normalised names */
	size_t q_cap;
	struct vg_name_tokens *e; /* an entry's, for pairwise scoring */
	size_t e_cap;
	struct vg__nview *views;
	size_t views_cap;
	/* index queries */
	struct vg__acc *acc; /* per indexed name, one record (one cache
	                        line touched per name) */
	uint32_t *touched;   /* names with acc > 0 */
	size_t n_touched;
	struct vg__cand *cand;
	size_t cand_cap;
	uint32_t *emap; /* the person's name index of each view scored */
	size_t emap_cap;
	size_t stat_touched, stat_candidates, stat_scored;
};

/* Make sure s->q (or s->e) holds n names; VG_OK or VG_ENOMEM. */
int vg__scratch_names(struct vg_match_scratch *s, bool query, size_t n);
int vg__scratch_views(struct vg_match_scratch *s, size_t n);
/* match_index.c: allocate and free the index part of a scratch. */
int vg__index_scratch_init(const struct vg_match_index *ix,
                           struct vg_match_scratch *s);
void vg__index_scratch_release(struct vg_match_scratch *s);

/* Score person q (names normalised in qv[0..nq)) against person e (names
 * in ev[0..ne); ev[j] is e->names[emap[j]], or e->names[j] when emap is
 * NULL): the best name pair scaled by its quality, then the qualifiers.
 * Without ex, a name score the qualifiers cannot lift to floor is
 * returned as it is. Fills ex when not NULL. */
double vg__score_person(const struct vg_person *q, const struct vg__nview *qv,
                        size_t nq, const struct vg_person *e,
                        const struct vg__nview *ev, const uint32_t *emap,
                        size_t ne, double floor, struct vg_match_explain *ex);

/* match_score.c */
/* *evidence (may be NULL) receives what the better explained name brings
 * (the sum of similarity x weight of its matched tokens: two specific
 * words fully matched bring 2, "Ali Hassan" 1). */
double vg__match_views(const struct vg__nview *q, const struct vg__nview *e,
                       enum vg_person_kind kind, struct vg_match_explain *ex,
                       double *evidence);
/* Qualifiers of q against e added to name score s, whose names brought
 * evidence (vg__match_views): fills ex->adj when ex is not NULL; returns
 * the final score in [0,1]. */
double vg__qualify(const struct vg_person *q, const struct vg_person *e,
                   double s, double evidence, struct vg_match_explain *ex);
/* The factor a name's quality applies to its name score. */
double vg__quality_factor(enum vg_name_quality q);

#endif
