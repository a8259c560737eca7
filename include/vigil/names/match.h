/* Name matching for screening travellers against watchlists: name
 * normalisation (transliteration, particles, skeletons, phonetic keys),
 * token similarity, person scoring with an explanation for every hit, and
 * an in-memory candidate index over watchlist entries.
 *
 * Everything here is pure: no files, clock or global mutable state. ICU
 * transliterators live in an explicit context (struct vg_name_norm, owned
 * by a struct vg_match_scratch); one scratch serves one thread at a time.
 * docs/matching.md gives the method, every weight and the measured figures.
 */
#ifndef VIGIL_MATCH_H
#define VIGIL_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/util/buf.h"
#include "vigil/names/person.h"

/* A hit scores at least this by default. On the 826 labelled pairs of
 * name-bench-cases.csv it is the F1-best round figure (docs/matching.md). */
#define VG_MATCH_DEFAULT_THRESHOLD 0.70

/* Limits of one normalised name. Longer tokens are cut to
 * VG_NAME_TOKEN_MAX bytes; tokens past VG_NAME_MAX_TOKENS are dropped (a
 * real name has far fewer; the cut keeps the cost of a query bounded). */
#define VG_NAME_TOKEN_MAX 64
#define VG_NAME_MAX_TOKENS 24
#define VG_NAME_POOL_MAX 1536

/* ------------------------------------------------------------------ */
/* Normalisation                                                       */

/* What a token is, beyond its letters. Symbols compare by kind, not by
 * spelling: "bin", "ibn", "ben" and Arabic-script "bn" are all VG_SYM_BIN. */
enum vg_name_sym {
	VG_SYM_NONE = 0, /* an ordinary name part */
	VG_SYM_AL,       /* article al- / el- / ad- / ash- ...: weight 0 */
	VG_SYM_BIN,      /* bin / ibn / ben / bn: son of */
	VG_SYM_BINT,     /* bint / binti: daughter of */
	VG_SYM_ABU,      /* abu / abou: father of (kunya) */
	VG_SYM_UMM,      /* umm / oum: mother of */
	VG_SYM_ABD,      /* abd / abdul / abdel: servant of */
	VG_SYM_OULD,     /* ould / wuld: son of (Maghreb) */
	VG_SYM_PARTICLE, /* de / van / von / da / le ...: surname particles */
	VG_SYM_TITLE,    /* mr / dr / sheikh / haji / president: weight 0 */
	VG_SYM_LEGAL,    /* legal form: ltd = limited, jsc = oao, llc = ooo */
	VG_SYM_STOP,     /* the / of / and in organisation names: weight 0 */
};

/* Token flags. */
#define VG_TOK_ABJAD 0x01   /* from Arabic/Hebrew script: no vowels written */
#define VG_TOK_INITIAL 0x02 /* a single letter, as "J." */
#define VG_TOK_DIGITS 0x04  /* a number (or a Roman numeral in an entity) */
#define VG_TOK_ABD 0x08     /* an abd- compound: "abd al-aziz" = "abdaziz" */
#define VG_TOK_CJK 0x10     /* from Han, Hangul or Kana: compared exactly */

/* One normalised token. Strings are offsets into the pool of the name
 * they belong to (struct vg_name_tokens.pool, or an index's pool), so the
 * record can be copied freely. */
struct vg_name_token {
	uint32_t text; /* lowercase ASCII (or leftover UTF-8 letters) */
	uint32_t skel; /* consonant skeleton (SCREENING.md), may be "" */
	uint32_t phon; /* phonetic key, may be "" */
	uint8_t len, skel_len, phon_len;
	uint8_t sym;   /* enum vg_name_sym */
	uint8_t flags; /* VG_TOK_* */
	uint8_t group; /* very common name group (1 = Muhammad...), 0 none */
	float weight;  /* evidence weight 0..1 (docs/matching.md) */
	/* letter signatures, for a cheap lower bound of the weighted
	 * distance: confusable classes present once / twice (bits 0-31 /
	 * 32-63), and raw letters present */
	uint64_t cmask;
	uint32_t lmask;
};

/* A normalised name: tokens in the order written; token i's spelling is
 * the NUL-terminated string at pool + tok[i].text. */
struct vg_name_tokens {
	struct vg_name_token tok[VG_NAME_MAX_TOKENS];
	size_t n;
	char pool[VG_NAME_POOL_MAX];
	size_t pool_len;
};

/* The normalisation context: the ICU transliterator ("NFKC; Lower;
 * Russian-Latin/BGN; Any-Latin; Latin-ASCII; NFD; [:Nonspacing Mark:]
 * Remove; NFC") and its buffers. Not for concurrent use: one per thread.
 * vg_name_norm_new: VG_OK, VG_ENOMEM, or VG_EINTERNAL when ICU cannot open
 * the transliterator (missing ICU data). *out is set only on VG_OK. */
struct vg_name_norm;
int vg_name_norm_new(struct vg_name_norm **out);
void vg_name_norm_free(struct vg_name_norm *n);

/* Normalise the UTF-8 name s (len bytes; at most the first 1024 are read)
 * into out: ICU transliteration when s is not plain ASCII; apostrophes and
 * ayn/hamza marks dropped; every other character that is no letter or
 * digit separates tokens; particles, articles and titles (and in entity
 * names legal forms and stop words) become symbols or go; compound names
 * become one token whichever way they are written ("Abd al-Aziz", "Abdul
 * Aziz", "Abdulaziz" all give "abdaziz"; "Najib Ullah" = "najibullah";
 * "Noor ud Din" = "noordin"); "SURNAME, Given" is turned round in person
 * names; dotted initialisms ("A.B.C.") join and number words become
 * digits in entity names. out is always left valid (possibly empty).
 * Returns VG_OK, VG_EINVAL (n or s NULL), VG_ENOMEM, VG_EINTERNAL (ICU
 * failure); invalid UTF-8 is replaced, not an error. */
int vg_name_normalize(struct vg_name_norm *n, const char *s, size_t len,
                      enum vg_person_kind kind, struct vg_name_tokens *out);

/* The consonant skeleton of one lowercase ASCII token (SCREENING.md):
 * strip an attached "al"/"el" (when 3+ letters follow), fold q->k, j->g,
 * z->s, dh->s and (Arabic has neither p nor v) p->b, v->f, collapse
 * doubled letters, drop vowels and w, y, h. Writes at
 * most cap-1 bytes and a NUL into out; returns the length written. */
size_t vg_name_skeleton(const char *tok, size_t len, char *out, size_t cap);

/* A metaphone-like phonetic key of one lowercase ASCII token: digraphs
 * (ph, sh, ch, kh, th, ...) folded, consonants folded into classes (b/p,
 * c/g/k/q, d/t, f/v/w, s/z, j/ch/sh), vowels dropped after the first
 * letter, repeats collapsed. Writes at most cap-1 bytes and a NUL; returns
 * length. */
size_t vg_name_phonetic(const char *tok, size_t len, char *out, size_t cap);

/* ------------------------------------------------------------------ */
/* Similarity                                                          */

/* Unit-cost Levenshtein distance. vg_str_lev is the plain dynamic
 * programme (any length; it allocates when b is longer than 255 bytes and
 * returns SIZE_MAX if that fails). vg_str_lev_bp is Myers/Hyyro
 * bit-parallel for a pattern a of at most 64 bytes (b any length); it
 * returns the same value, or SIZE_MAX when alen > 64. */
size_t vg_str_lev(const char *a, size_t alen, const char *b, size_t blen);
size_t vg_str_lev_bp(const char *a, size_t alen, const char *b, size_t blen);
/* The same for the optimal string alignment distance (Levenshtein plus
 * transposition of two adjacent letters at cost 1, Hyyro 2003). */
size_t vg_str_osa(const char *a, size_t alen, const char *b, size_t blen);
size_t vg_str_osa_bp(const char *a, size_t alen, const char *b, size_t blen);

/* Jaro and Jaro-Winkler (prefix scale 0.1, at most 4 prefix letters)
 * similarity in [0,1]; both empty is 1. Strings of up to 64 bytes use a
 * bitmask for the matched flags; longer ones are cut at 64 bytes. */
double vg_str_jaro(const char *a, size_t alen, const char *b, size_t blen);
double vg_str_jaro_winkler(const char *a, size_t alen, const char *b,
                           size_t blen);

/* Weighted edit distance between two lowercase ASCII tokens: an edit
 * between confusable letters (vowels and y among themselves, c/g/j/k/q,
 * s/z, d/t, b/p, f/v/w, look-alike digits 0/o 1/i 9/g ...) or an inserted
 * h or doubled letter costs 0.5, any other edit or adjacent transposition
 * 1. Computed bit-parallel for tokens of up to 64 bytes as
 * d_folded + 0.5 * (d_raw - d_folded) with OSA distances on the raw and
 * the confusable-folded strings. */
double vg_name_wdist(const char *a, size_t alen, const char *b, size_t blen);

/* The edit budget for a token pair whose longer member has len letters:
 * a pair further apart than this is not a fuzzy match. */
double vg_name_budget(size_t len);

/* How two tokens (or token runs) were matched. */
enum vg_match_how {
	VG_HOW_EXACT = 0, /* same normalised spelling */
	VG_HOW_SYMBOL,    /* same particle, legal form or title symbol */
	VG_HOW_VARIANT, /* spellings of one very common name (Mohd, Muhammad) */
	VG_HOW_FUZZY,   /* within the weighted edit budget */
	VG_HOW_SKELETON, /* same consonant skeleton (Arabic script vs Latin) */
	VG_HOW_INITIAL,  /* an initial against a name it starts */
	VG_HOW_PACKED,   /* one token against two or three run together */
	VG_HOW_NONE,     /* unmatched */
	VG_HOW_IGNORED,  /* a name particle without a partner (bin, ould,
	                    abu, de...): it costs nothing */
};

/* Similarity in [0,1] of token a (in pool pa) and token b (in pool pb),
 * the first rule that applies (docs/matching.md, section 2): 1 for the
 * same spelling, symbol or spelling of one common-name group; 0 for a
 * symbol against anything else or two different common names; an abd-
 * compound against its bare name 0.8 x their similarity; numbers and two
 * CJK tokens equal only; an initial against a word it starts 0.75; 0 for
 * other tokens of 1-2 letters (unless from Arabic script); within the
 * edit budget (capped at 0.5 for a common name against another word)
 * 0.5 x (1 - 0.5 x wdist/budget) + 0.5 x Jaro-Winkler, else 0; for a
 * token from Arabic script at least 0.9 / 0.7 / 0.6 when the consonant
 * skeletons are equal (3+ / 2 / 1 consonants), 0.75 one deletion apart.
 * *how (may be NULL) says which rule gave it. */
double vg_name_token_sim(const char *pa, const struct vg_name_token *a,
                         const char *pb, const struct vg_name_token *b,
                         enum vg_match_how *how);

/* ------------------------------------------------------------------ */
/* Scoring and explanations                                            */

#define VG_MATCH_MAX_PARTS 24
#define VG_MATCH_MAX_ADJ 8
#define VG_MATCH_PART_TEXT 80

/* One aligned part: query token(s) against entry token(s). An unmatched
 * token has the other side empty, similarity 0 and how VG_HOW_NONE; an
 * unmatched name particle (bin, bint, abu, umm, ould, de, van...) the same
 * with how VG_HOW_IGNORED and weight 0: "Mohamed bin Omar" is "Mohamed
 * Omar" with the patronymic written out. */
struct vg_match_part {
	char query[VG_MATCH_PART_TEXT]; /* normalised, runs joined by ' ' */
	char entry[VG_MATCH_PART_TEXT];
	float similarity; /* 0..1 */
	float weight;     /* evidence weight the part carries, 0..1 */
	uint8_t how;      /* enum vg_match_how */
};

/* What moved the score after the names. */
enum vg_match_qual {
	VG_QUAL_DOB = 0,     /* date of birth */
	VG_QUAL_GENDER,      /* gender */
	VG_QUAL_NATIONALITY, /* nationality */
	VG_QUAL_DOCUMENT,    /* document number */
	VG_QUAL_NAME_QUALITY /* the entry name matched is a low-quality alias */
};

struct vg_match_adjust {
	uint8_t kind;    /* enum vg_match_qual */
	float delta;     /* added to the score (before clamping to [0,1]) */
	char detail[72]; /* e.g. "same year 1971 (entry year only)" */
};

/* The explanation of one scored pair of persons. The name pointers refer
 * to the vg_person records scored and are valid as long as those are. */
struct vg_match_explain {
	double score;      /* final score in [0,1] */
	double name_score; /* the best name pair's score before qualifiers */
	size_t query_name; /* index in the query person's names */
	size_t entry_name; /* index in the entry person's names */
	const char *query_text; /* names[query_name].full */
	const char *entry_text; /* names[entry_name].full */
	enum vg_name_quality entry_quality;
	struct vg_match_part parts[VG_MATCH_MAX_PARTS];
	size_t n_parts;
	struct vg_match_adjust adj[VG_MATCH_MAX_ADJ];
	size_t n_adj;
};

/* Per-thread working state for scoring and querying: the normalisation
 * context, the query's normalised names and (for an index) candidate
 * accumulators. vg_match_scratch_new: ix may be NULL for pairwise scoring
 * only; VG_OK, VG_ENOMEM or VG_EINTERNAL (ICU). A scratch made for one
 * index serves only that index. */
struct vg_match_index;
struct vg_match_scratch;
int vg_match_scratch_new(const struct vg_match_index *ix,
                         struct vg_match_scratch **out);
void vg_match_scratch_free(struct vg_match_scratch *s);
/* The scratch's normalisation context (for callers that also normalise). */
struct vg_name_norm *vg_match_scratch_norm(struct vg_match_scratch *s);

/* Score two normalised names, order-independently (docs/matching.md,
 * section 3): 1 for the same tokens; extra tokens on the longer name cost
 * a little, tokens without a partner on both sides cost a lot; a name
 * particle without a partner (bin, ould, abu, de...) costs nothing and
 * is reported as VG_HOW_IGNORED. ex (may be
 * NULL) is cleared and receives the parts and the name score. Returns the
 * score in [0,1]. */
double vg_match_names(const struct vg_name_tokens *q,
                      const struct vg_name_tokens *e, enum vg_person_kind kind,
                      struct vg_match_explain *ex);

/* Score person q (a traveller) against person e (a watchlist entry): the
 * best pair of names (low-quality aliases and single-token names count
 * less), then date of birth, gender, nationality; an equal document
 * number is strong evidence on its own. Fills ex (may be NULL).
 * *score receives the result in [0,1]. VG_OK, VG_EINVAL (NULL argument),
 * VG_ENOMEM, VG_EINTERNAL (ICU). */
int vg_match_persons(struct vg_match_scratch *s, const struct vg_person *q,
                     const struct vg_person *e, double *score,
                     struct vg_match_explain *ex);

/* Append the explanation as one JSON object to b:
 * {"score":0.9700,"name_score":0.8400,"query_name":"Mohamed bin Salman",
 *  "entry_name":"MUHAMMAD BIN SALMAN AL SAUD","entry_name_quality":
 *  "primary","parts":[{"query":"mohamed","entry":"muhammad",
 *  "similarity":1.0000,"weight":0.30,"how":"variant"},...,{"query":"",
 *  "entry":"saud","similarity":0.0000,"weight":1.00,"how":"none"}],
 *  "qualifiers":[{"kind":"dob","delta":0.1000,"detail":"same date
 *  1985-08-31"},...]}
 * VG_OK, VG_ENOMEM or VG_ETOOBIG; b is unchanged on error. */
int vg_match_explain_json(const struct vg_match_explain *ex, struct vg_buf *b);
/* Append one human line (no newline), e.g.
 * 0.97 "Mohamed bin Salman" ~ "MUHAMMAD BIN SALMAN AL SAUD" (primary,
 * name 0.84): mohamed=muhammad 1.00 variant, bin=bin 1.00 symbol,
 * salman=salman 1.00 exact, saud (entry) unmatched; dob +0.10 same date
 * 1985-08-31; nationality +0.03 shared nationality SA
 * VG_OK, VG_ENOMEM or VG_ETOOBIG; b unchanged on error. */
int vg_match_explain_line(const struct vg_match_explain *ex, struct vg_buf *b);

/* ------------------------------------------------------------------ */
/* Candidate index                                                     */

/* Build an index over n entries. The index keeps the entry pointers (it
 * does not copy the persons: they must outlive the index and stay
 * unchanged) and user[i] as entry i's opaque pointer (user may be NULL).
 * Every name is normalised once and keyed by its tokens' spellings (or
 * common-name groups), skeletons, phonetic keys and one-letter deletions
 * (docs/matching.md, section 5). *out is set only on VG_OK; errors:
 * VG_EINVAL (NULL arguments), VG_ENOMEM, VG_ETOOBIG (more than 2^31
 * entries or names), VG_EINTERNAL (ICU). */
int vg_match_index_build(const struct vg_person *const *entries,
                         void *const *user, size_t n,
                         struct vg_match_index **out);
void vg_match_index_free(struct vg_match_index *ix);
size_t vg_match_index_size(const struct vg_match_index *ix);
size_t vg_match_index_names(const struct vg_match_index *ix);

struct vg_match_hit {
	size_t entry; /* position of the entry in the build array */
	void *user;   /* user[entry] given at build, or NULL */
	double score;
	struct vg_match_explain ex;
};

/* Screen person q against the index: candidates come from the keys of q's
 * names (the first four), each candidate entry is scored as
 * vg_match_persons does (over its names the keys reached), and hits
 * scoring at least threshold are written to hits (at most max_hits, best
 * first; ties by entry position) with their explanations. *n_hits
 * receives the count. Only entries of q's kind are screened. The
 * candidate gate passes the names whose keys cover 60% of the query or
 * of the name: far below the default threshold the index does not
 * promise every hit a full scan would give. The index is only read, so
 * any number of threads may query one index, each with its own scratch
 * (made by vg_match_scratch_new for this index). Errors: VG_EINVAL (NULL
 * argument, hits NULL with max_hits > 0, or a scratch of another index),
 * VG_ENOMEM, VG_EINTERNAL. */
int vg_match_index_query(const struct vg_match_index *ix,
                         struct vg_match_scratch *s, const struct vg_person *q,
                         double threshold, struct vg_match_hit *hits,
                         size_t max_hits, size_t *n_hits);

/* Statistics of the last query on s (for benchmarks): names the keys
 * reached, candidate names kept, entries fully scored (any may be NULL). */
void vg_match_scratch_stats(const struct vg_match_scratch *s, size_t *touched,
                            size_t *candidates, size_t *scored);

#endif
