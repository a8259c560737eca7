/* Numbers from outside (query parameters, path segments, settings,
 * options), read strictly: only plain decimal digits are taken. strtol
 * and strtod also take leading spaces, a sign, hex, exponents, "nan" and
 * "inf", and saturate on overflow; none of that is a number here. Pure. */
#ifndef VIGIL_UTIL_NUM_H
#define VIGIL_UTIL_NUM_H

#include <stdint.h>

/* s is 1 to 20 ASCII digits (no sign, space or other byte) whose value
 * fits in 64 bits and lies in lo..hi: VG_OK and *out; otherwise
 * VG_EINVAL and *out untouched. */
int vg_num_uint(const char *s, uint64_t lo, uint64_t hi, uint64_t *out);
/* s is DIGITS or DIGITS.DIGITS (at most 40 characters) whose value lies
 * in lo..hi: VG_OK and *out; otherwise VG_EINVAL and *out untouched. */
int vg_num_decimal(const char *s, double lo, double hi, double *out);

#endif
