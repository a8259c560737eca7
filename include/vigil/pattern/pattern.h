/* STIX 2.1 patterning [9]: parse and check a pattern, list the literal
 * values it names, and match patterns against observations, one pattern
 * at a time or many at once through an index. Pure: no I/O, no clock, no
 * global state; out of memory is VG_ENOMEM, never an abort. The grammar,
 * the semantics chosen where the standard leaves room, and the limits are
 * in docs/patterns.md. */
#ifndef VIGIL_PATTERN_H
#define VIGIL_PATTERN_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/* ---- parsing -------------------------------------------------------- */

struct vg_pattern;

/* Where and why a pattern was refused. */
struct vg_pattern_error {
	size_t offset;       /* byte offset of the fault in the text */
	size_t column;       /* 1-based, counted in characters (UTF-8) */
	const char *section; /* of the standard, e.g. "9.3"; never NULL */
	char reason[160];    /* "expected ']', found 'OR'": lowercase, no
	                        position, no full stop */
};

/* Parse and check text[0..len) (need not be NUL-terminated; a NUL byte
 * is refused as a character). On success *out owns the compiled pattern
 * (regular expressions and LIKE matchers precompiled); free it with
 * vg_pattern_free. Errors: VG_EINVAL with *err filled (when err is not
 * NULL) for a pattern that breaks the grammar or a rule of [9];
 * VG_ENOMEM. *out is set only on success. */
int vg_pattern_parse(const char *text, size_t len, struct vg_pattern **out,
                     struct vg_pattern_error *err);
void vg_pattern_free(struct vg_pattern *p);

/* Write "<reason> at column N" into buf (truncated to n, always
 * NUL-terminated when n > 0). */
void vg_pattern_error_text(const struct vg_pattern_error *e, char *buf,
                           size_t n);

/* NULL, or why some comparison of p can never be true in vigil although
 * the pattern is valid (a MATCHES using a PCRE feature POSIX regular
 * expressions lack: lookaround, backreferences, atomic groups). The
 * text lives as long as p. */
const char *vg_pattern_unsupported(const struct vg_pattern *p);

/* ---- literals ------------------------------------------------------- */

enum vg_pattern_op {
	VG_PAT_EQ,
	VG_PAT_NE,
	VG_PAT_LT,
	VG_PAT_LE,
	VG_PAT_GT,
	VG_PAT_GE,
	VG_PAT_IN,
	VG_PAT_LIKE,
	VG_PAT_MATCHES,
	VG_PAT_ISSUBSET,
	VG_PAT_ISSUPERSET,
	VG_PAT_EXISTS,
};

enum vg_pattern_kind {
	VG_PAT_INT,
	VG_PAT_FLOAT,
	VG_PAT_STRING,
	VG_PAT_BINARY, /* b'base64' */
	VG_PAT_HEX,    /* h'hex' */
	VG_PAT_TIMESTAMP,
	VG_PAT_BOOL,
};

/* One literal of one comparison. Pointers live as long as the pattern. */
struct vg_pattern_literal {
	const char *object_type; /* "file" */
	const char *path;        /* "value", "resolves_to_refs[*].value",
	                            "hashes.'sha-256'": canonical, names
	                            quoted only when they must be, hash
	                            names in lower case */
	enum vg_pattern_op op;
	int negated; /* NOT before the operator */
	enum vg_pattern_kind kind;
	/* The value as text: strings unescaped (\' and \\ resolved; may hold
	 * any byte but NUL), numbers and booleans as written, binary and hex
	 * without the b'' / h'' quotes, timestamps without t''. */
	const char *text;
	size_t len;
};

typedef int (*vg_pattern_literal_fn)(void *ud,
                                     const struct vg_pattern_literal *lit);

/* Call fn for every literal of p in pattern order (each member of an IN
 * set separately; EXISTS has none). Stops at the first non-zero return
 * of fn and returns it; VG_OK when all were visited. */
int vg_pattern_literals(const struct vg_pattern *p, vg_pattern_literal_fn fn,
                        void *ud);

/* ---- observations --------------------------------------------------- */

/* An instant: seconds since 1970-01-01T00:00:00Z and nanoseconds. */
struct vg_pattern_time {
	int64_t sec;
	int32_t nsec;
};

/* Parse a STIX timestamp (vg_ts_parse's rules); VG_OK or VG_EINVAL. */
int vg_pattern_time_parse(const char *s, struct vg_pattern_time *out);

/* One observation: the SCOs observed together, in [first, last], count
 * times (observed-data's number_observed; 1 for a single sighting of one
 * SCO, then first = last). References (*_ref, *_refs) inside the SCOs are
 * resolved against the SCOs of the same observation, by their "id" or,
 * for STIX 2.0 style "objects" dictionaries, by their key. The matcher
 * treats count as a number: its cost does not grow with it. */
struct vg_pattern_obs {
	const cJSON *const *scos;
	size_t n_scos;
	struct vg_pattern_time first, last;
	uint64_t count;
};

/* Fill first, last and count of o from an observed-data object; scos are
 * left to the caller (the objects that object_refs names, or the members
 * of a 2.0 "objects" dictionary). VG_EINVAL when first_observed or
 * last_observed is not a timestamp, last is before first, or
 * number_observed is not an integer 1..999999999. */
int vg_pattern_obs_from_observed_data(struct vg_pattern_obs *o,
                                      const cJSON *observed_data);

/* ---- matching one pattern ------------------------------------------- */

/* Does p match the observations obs[0..n)? *matched gets 1 or 0. Errors:
 * VG_ENOMEM; VG_ETOOBIG when the search for a binding of observations to
 * the pattern's observation expressions passes its step budget
 * (combinations of REPEATS, AND and FOLLOWEDBY over many observations):
 * the answer is then unknown. *matched is set only on success. */
int vg_pattern_match(const struct vg_pattern *p,
                     const struct vg_pattern_obs *obs, size_t n, int *matched);

/* ---- matching many patterns ----------------------------------------- */

/* A set of patterns with an index from (object type, property path,
 * literal) and from object type to the patterns' observation
 * expressions, so that an observation is tested only against the
 * patterns that can match it. Adding is cheap; there is no removal
 * (build a new set). A set is read-only while matchers use it, so
 * several threads may each run their own matcher over one set. */
struct vg_pattern_set;
struct vg_pattern_matcher;

int vg_pattern_set_new(struct vg_pattern_set **out);
/* Add p (borrowed: it must outlive the set) under the caller's id.
 * VG_ENOMEM, VG_ETOOBIG past 2^31 observation expressions. */
int vg_pattern_set_add(struct vg_pattern_set *s, const struct vg_pattern *p,
                       uint64_t id);
size_t vg_pattern_set_count(const struct vg_pattern_set *s);
void vg_pattern_set_free(struct vg_pattern_set *s);

/* Scratch memory for matching against s; one per thread. */
int vg_pattern_matcher_new(const struct vg_pattern_set *s,
                           struct vg_pattern_matcher **out);
void vg_pattern_matcher_free(struct vg_pattern_matcher *m);

/* Called once per matching pattern, with its id; a non-zero return stops
 * the run and is returned by vg_pattern_matcher_run. */
typedef int (*vg_pattern_hit_fn)(void *ud, uint64_t id);

/* Match every pattern of the set against obs[0..n) with the same
 * semantics as vg_pattern_match. Patterns whose search passes the step
 * budget are skipped and counted in *too_complex (when not NULL).
 * VG_OK, VG_ENOMEM, or fn's non-zero return. */
int vg_pattern_matcher_run(struct vg_pattern_matcher *m,
                           const struct vg_pattern_obs *obs, size_t n,
                           vg_pattern_hit_fn fn, void *ud, size_t *too_complex);

#endif
