/* Small text helpers shared by the parsers of core/ (not public API: names
 * start with vg__). All are pure and allocate only where they say so. */
#ifndef VIGIL_CORE_TEXT_H
#define VIGIL_CORE_TEXT_H

#include <stddef.h>

#include "vigil/names/person.h"

/* 1 when s[0..n) is well-formed UTF-8 (no overlongs, surrogates or code
 * points past U+10FFFF) without NUL bytes, else 0. */
int vg__utf8_valid(const char *s, size_t n);
/* s[0..n) read as ISO 8859-1, written as UTF-8 (malloc'd, NUL-terminated),
 * or NULL on OOM. */
char *vg__latin1_to_utf8(const char *s, size_t n);
/* Copy of s[0..n) without leading and trailing white space and with each
 * run of white space inside made one space (the lists wrap long values
 * over indented lines). malloc'd; NULL on OOM. */
char *vg__dup_clean(const char *s, size_t n);
/* A printable excerpt of s[0..n) for error messages: control bytes become
 * '?', and past 40 bytes it is cut (at a UTF-8 boundary) and ends "...".
 * out is always NUL-terminated; cap must be at least 48. */
void vg__snippet(char *out, size_t cap, const char *s, size_t n);
/* snprintf into err (when errlen > 0); never fails. */
void vg__errf(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* ASCII case-insensitive equality of s[0..n) and the string lit. */
int vg__ieqn(const char *s, size_t n, const char *lit);
/* 1..12 for "Jan".."Dec" (three letters, ASCII case ignored), else 0. */
int vg__month_abbr(const char *s, size_t n);
/* s[0..n) all ASCII digits (n >= 1, n <= 9): its value, else -1. */
int vg__digits(const char *s, size_t n);
/* "YYYY-MM-DD"; with partial, also "YYYY-MM" and "YYYY". Checks the
 * calendar (vg_pdate_valid). 0 and *d set, or -1. */
int vg__iso_date(const char *s, size_t n, int partial, struct vg_pdate *d);

/* Make room in *v (n elements of size sz, grown only by this function)
 * for element n: the capacity doubles at each power of two, so appending
 * n items costs O(n) copies, not O(n^2) as growing by one would (a
 * hostile input could make that quadratic). VG_OK or VG_ENOMEM (*v
 * unchanged). */
int vg__grow(void **v, size_t n, size_t sz);

#endif
