/* Conversions between STIX/TAXII timestamps and microseconds. */
#include "vigil/util/timefmt.h"
#include "vigil/util/error.h"
#include "vigil/stix/stix.h"

#include <stdio.h>

/* Howard Hinnant's days_from_civil: exact for every Gregorian date. */
int64_t vg_days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

void vg_time_format_us(int64_t us, char out[VG_TIME_LEN])
{
	int64_t secs = us / 1000000, frac = us % 1000000;
	if (frac < 0) {
		frac += 1000000;
		secs--;
	}
	int64_t days = secs / 86400, rem = secs % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	int y, m, d;
	civil_from_days(days, &y, &m, &d);
	/* digits written in place: a page's headers and audit entries
	 * format several per request, and snprintf is most of their cost */
	unsigned f[] = {(unsigned)y % 10000u, (unsigned)m % 13u,
	                (unsigned)d % 32u, (unsigned)(rem / 3600) % 24u,
	                (unsigned)(rem / 60 % 60), (unsigned)(rem % 60),
	                (unsigned)frac % 1000000u};
	static const unsigned char width[] = {4, 2, 2, 2, 2, 2, 6};
	static const char after[] = "--T::.Z";
	char *p = out;
	for (int i = 0; i < 7; i++) {
		for (int k = width[i] - 1; k >= 0; k--, f[i] /= 10)
			p[k] = (char)('0' + f[i] % 10);
		p += width[i];
		*p++ = after[i];
	}
	*p = '\0';
}

int vg_time_parse_us(const char *s, int64_t *us)
{
	struct vg_ts ts;
	if (vg_ts_parse(s, &ts))
		return VG_EINVAL;
	int64_t days = vg_days_from_civil(ts.year, ts.mon, ts.day);
	*us = ((days * 86400 + ts.hour * 3600 + ts.min * 60 + ts.sec) *
	       1000000) + ts.nsec / 1000;
	return VG_OK;
}
