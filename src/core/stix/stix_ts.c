/* STIX timestamps [2.16]: strict parsing of YYYY-MM-DDTHH:MM:SS[.s+]Z and
 * fixed-width keys that sort as the instants do. */
#include "vigil/util/error.h"
#include "vigil/stix/stix.h"

#include "stix_internal.h"

#include <limits.h>

/* Reads n ASCII digits; stops at the first non-digit, so a short string
 * never reads past its NUL. */
static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const unsigned char days[12] = {31, 28, 31, 30, 31, 30,
	                                       31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : days[m - 1];
}

int vg_ts_parse(const char *s, struct vg_ts *out)
{
	struct vg_ts t = {0};

	if (!s)
		return VG_EINVAL;
	if (!digits(s, 4, &t.year) || s[4] != '-' ||
	    !digits(s + 5, 2, &t.mon) || s[7] != '-' ||
	    !digits(s + 8, 2, &t.day) || s[10] != 'T' ||
	    !digits(s + 11, 2, &t.hour) || s[13] != ':' ||
	    !digits(s + 14, 2, &t.min) || s[16] != ':' ||
	    !digits(s + 17, 2, &t.sec))
		return VG_EINVAL;
	const char *p = s + 19;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return VG_EINVAL;
		long scale = 100000000L;
		for (; *p >= '0' && *p <= '9'; p++) {
			/* Digits past the ninth are kept by the caller's text
			 * and only truncated here. */
			t.nsec += (*p - '0') * scale;
			scale /= 10;
			if (t.frac_digits < INT_MAX)
				t.frac_digits++;
		}
	}
	if (p[0] != 'Z' || p[1] != '\0')
		return VG_EINVAL;
	if (t.mon < 1 || t.mon > 12 || t.day < 1 ||
	    t.day > days_in_month(t.year, t.mon) || t.hour > 23 || t.min > 59 ||
	    t.sec > 59)
		return VG_EINVAL;
	*out = t;
	return VG_OK;
}

static char *put(char *p, long v, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + width;
}

void vg_ts_key(const struct vg_ts *ts, char out[VG_TS_KEY_LEN])
{
	/* Hand-rolled rather than snprintf: this runs once per ingested
	 * object. */
	char *p = out;
	p = put(p, ts->year, 4);
	*p++ = '-';
	p = put(p, ts->mon, 2);
	*p++ = '-';
	p = put(p, ts->day, 2);
	*p++ = 'T';
	p = put(p, ts->hour, 2);
	*p++ = ':';
	p = put(p, ts->min, 2);
	*p++ = ':';
	p = put(p, ts->sec, 2);
	*p++ = '.';
	p = put(p, ts->nsec, 9);
	*p++ = 'Z';
	*p = '\0';
}

int vg_ts_key_of(const char *s, char out[VG_TS_KEY_LEN])
{
	struct vg_ts t;
	int rc = vg_ts_parse(s, &t);
	if (rc)
		return rc;
	vg_ts_key(&t, out);
	return VG_OK;
}

int vg__ts_cmp(const struct vg_ts *a, const struct vg_ts *b)
{
	const long av[7] = {a->year, a->mon, a->day, a->hour,
	                    a->min,  a->sec, a->nsec};
	const long bv[7] = {b->year, b->mon, b->day, b->hour,
	                    b->min,  b->sec, b->nsec};
	for (int i = 0; i < 7; i++)
		if (av[i] != bv[i])
			return av[i] < bv[i] ? -1 : 1;
	return 0;
}
