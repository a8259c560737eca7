/* TAXII timestamps (date_added): microseconds since the epoch, written
 * exactly as YYYY-MM-DDTHH:MM:SS.ssssssZ. Pure. */
#ifndef VIGIL_TIMEFMT_H
#define VIGIL_TIMEFMT_H

#include <stdint.h>

#define VG_TIME_LEN 28 /* 27 characters and the NUL */

/* Write us as a TAXII timestamp. */
void vg_time_format_us(int64_t us, char out[VG_TIME_LEN]);
/* Parse any STIX timestamp (stix.h rules) to microseconds, fractions
 * beyond microseconds truncated. VG_EINVAL when s is not one. */
int vg_time_parse_us(const char *s, int64_t *us);
/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t vg_days_from_civil(int y, int m, int d);

#endif
