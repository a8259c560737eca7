/* What the files of core/pattern/ share: the compiled form of a pattern
 * (an arena-allocated tree), literal decoding, the comparison evaluator
 * and the binding search. Everything here is vg__ and may change. */
#ifndef VIGIL_CORE_PATTERN_INT_H
#define VIGIL_CORE_PATTERN_INT_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "vigil/pattern/pattern.h"

/* ---- arena (pat_parse.c) -------------------------------------------- */

struct vg__arena_blk;
struct vg__arena {
	struct vg__arena_blk *head;
	size_t used, cap; /* of head */
};

void *vg__arena_alloc(struct vg__arena *a, size_t n); /* zeroed; NULL=OOM */
char *vg__arena_strndup(struct vg__arena *a, const char *s, size_t n);
void vg__arena_release(struct vg__arena *a);

/* ---- the compiled pattern ------------------------------------------- */

enum vg__step_kind { VG__STEP_KEY, VG__STEP_INDEX, VG__STEP_STAR };

struct vg__step {
	unsigned char kind;
	unsigned char deref; /* key ends in _ref (1) or _refs (2) */
	unsigned char fold;  /* key inside 'hashes': names compare
	                        without case */
	const char *key;     /* NUL-terminated (keys never hold NUL) */
	int64_t index;
};

struct vg__path {
	const char *type; /* object type */
	const char *text; /* the property path, canonical (for the index
	                     and the literal walker) */
	struct vg__step *steps;
	size_t n_steps;
	unsigned char bin;  /* last key ends in _bin (1) or _hex (2) */
	unsigned char fold; /* a value under 'hashes': strings compare
	                       without ASCII case */
};

struct vg__lit {
	unsigned char kind; /* enum vg_pattern_kind */
	int64_t i;
	double f;
	int b;
	struct vg_pattern_time t;
	const char *s; /* string bytes, decoded binary/hex bytes */
	size_t len;
	const char *text; /* for the literal walker */
	size_t text_len;
};

/* An IP address or CIDR block: 16 bytes (IPv4 in the first 4). */
struct vg__cidr {
	unsigned char addr[16];
	int v6;
	int prefix;
};

struct vg__like; /* compiled LIKE (pat_regex.c) */

struct vg__cmp {
	struct vg__path path;
	unsigned char op; /* enum vg_pattern_op */
	unsigned char negated;
	unsigned char never;  /* unsupported: never true */
	struct vg__lit *lits; /* one, or the members of an IN set */
	size_t n_lits;
	void *regex;           /* regex_t for MATCHES */
	struct vg__like *like; /* LIKE */
	struct vg__cidr cidr;  /* ISSUBSET / ISSUPERSET */
};

enum vg__cx_kind { VG__CX_CMP, VG__CX_AND, VG__CX_OR };

/* Comparison expression: n-ary AND / OR over comparisons. */
struct vg__cx {
	unsigned char kind;
	struct vg__cmp *cmp;
	struct vg__cx **kids;
	size_t n_kids;
};

enum vg__ox_kind {
	VG__OX_LEAF, /* [ comparison expression ] */
	VG__OX_AND,
	VG__OX_OR,
	VG__OX_FOLLOWEDBY,
	VG__OX_WITHIN,
	VG__OX_REPEATS,
	VG__OX_STARTSTOP,
};

/* Observation expression. */
struct vg__ox {
	unsigned char kind;
	struct vg__cx *cx;    /* LEAF */
	size_t leaf;          /* LEAF: index in vg_pattern.leaves */
	struct vg__ox **kids; /* AND/OR/FOLLOWEDBY: n; qualifiers: 1 */
	size_t n_kids;
	uint64_t repeats;
	struct vg_pattern_time dur, start, stop;
};

struct vg_pattern {
	struct vg__arena arena;
	struct vg__ox *root;
	struct vg__ox **leaves;
	size_t n_leaves;
	struct vg__cmp **cmps; /* every comparison, in pattern order */
	size_t n_cmps;
	const char *unsupported;
	int simple; /* one leaf, no qualifier */
};

/* ---- literals (pat_lit.c) ------------------------------------------- */

/* Decode base64 (standard alphabet, padded) / hex into out (room for
 * len bytes); returns the decoded length or -1. */
long vg__b64_decode(const char *s, size_t len, unsigned char *out);
long vg__hex_decode(const char *s, size_t len, unsigned char *out);
/* Parse "a.b.c.d", an IPv6 address, optionally "/prefix"; 0 or -1. */
int vg__cidr_parse(const char *s, size_t len, struct vg__cidr *out);
/* 1 when inner (address or block) lies inside outer. */
int vg__cidr_within(const struct vg__cidr *inner, const struct vg__cidr *outer);
int vg__time_cmp(const struct vg_pattern_time *a,
                 const struct vg_pattern_time *b);
/* a + d */
struct vg_pattern_time vg__time_add(struct vg_pattern_time a,
                                    struct vg_pattern_time d);
/* Parse a timestamp of exactly len bytes. */
int vg__time_parse_n(const char *s, size_t len, struct vg_pattern_time *out);

/* ---- regular expressions and LIKE (pat_regex.c) --------------------- */

/* Translate a PCRE regular expression to POSIX ERE and compile it.
 * VG_OK with *out (a regex_t); VG_EINVAL with why (static or in buf) for
 * a malformed expression; VG_EUNSUPPORTED with why for a feature POSIX
 * lacks; VG_ENOMEM. */
int vg__regex_compile(const char *re, size_t len, void **out, const char **why,
                      char *buf, size_t buflen);
int vg__regex_match(const void *re, const char *s, size_t len);
void vg__regex_free(void *re);

int vg__like_compile(struct vg__arena *a, const char *pat, size_t len,
                     struct vg__like **out);
int vg__like_match(const struct vg__like *l, const char *s, size_t len);
/* 1 when p[0..m) occurs in s[0..n) (memmem is a GNU extension). */
int vg__contains(const char *s, size_t n, const char *p, size_t m);
/* The literal of a LIKE that is a plain string (0), a prefix ('x%', 1) or
 * a suffix ('%x', 2); -1 for other shapes. */
int vg__like_affix(const struct vg__like *l, const char **s, size_t *n);

/* ---- evaluation (pat_eval.c) ---------------------------------------- */

/* 1 when the comparison expression is true on root SCO r of the
 * observation o (every comparison looks at r; references resolve in o). */
int vg__cx_eval(const struct vg__cx *cx, const cJSON *root,
                const struct vg_pattern_obs *o);
/* 1 when the leaf's comparison expression is true on some SCO of o;
 * types, when not NULL, holds the "type" of each SCO of o. */
int vg__leaf_eval(const struct vg__ox *leaf, const struct vg_pattern_obs *o);
int vg__leaf_eval_t(const struct vg__ox *leaf, const struct vg_pattern_obs *o,
                    const char *const *types);

/* Call fn on each value the path selects on root (after resolving
 * references in o); stops when fn returns non-zero and returns that. */
typedef int (*vg__value_fn)(void *ud, const cJSON *v);
int vg__path_values(const struct vg__path *p, const cJSON *root,
                    const struct vg_pattern_obs *o, vg__value_fn fn, void *ud);
/* The "type" of an SCO, or NULL. */
const char *vg__sco_type(const cJSON *sco);

/* ---- binding search (pat_match.c) ----------------------------------- */

/* The observations each leaf is true on (indexes into obs, ascending). */
struct vg__cands {
	const uint32_t *idx;
	size_t n;
};

struct vg__search; /* scratch, reusable */
int vg__search_new(struct vg__search **out);
void vg__search_free(struct vg__search *s);
/* 1 match, 0 none, or -VG_ENOMEM / -VG_ETOOBIG. */
int vg__search_run(struct vg__search *s, const struct vg_pattern *p,
                   const struct vg_pattern_obs *obs, size_t n,
                   const struct vg__cands *cands);

#define VG__SEARCH_BUDGET 1000000 /* leaf attempts per pattern */
#define VG__MAX_DEPTH 200         /* nesting of ( [ in a pattern */

#endif
