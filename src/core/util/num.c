/* Strict decimal numbers (num.h): what a request may write as a number. */
#include "vigil/util/num.h"
#include "vigil/util/error.h"

#include <stdlib.h>
#include <string.h>

int vg_num_uint(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
	uint64_t v = 0;
	size_t n = 0;
	if (!s)
		return VG_EINVAL;
	for (; s[n]; n++) {
		unsigned d = (unsigned char)s[n] - '0';
		if (d > 9 || n == 20 || v > (UINT64_MAX - d) / 10)
			return VG_EINVAL;
		v = v * 10 + d;
	}
	if (!n || v < lo || v > hi)
		return VG_EINVAL;
	*out = v;
	return VG_OK;
}

int vg_num_decimal(const char *s, double lo, double hi, double *out)
{
	size_t n = 0, digits = 0, dot = 0;
	if (!s)
		return VG_EINVAL;
	for (; s[n]; n++) {
		if (s[n] >= '0' && s[n] <= '9')
			digits++;
		else if (s[n] == '.' && !dot && digits)
			dot = n;
		else
			return VG_EINVAL;
	}
	/* digits on both sides of a dot; short enough to be a setting */
	if (!digits || n > 40 || (dot && dot == n - 1))
		return VG_EINVAL;
	/* only digits and one dot are left, so strtod reads exactly them
	 * (vigil never calls setlocale: the decimal point is '.') */
	double v = strtod(s, NULL);
	if (!(v >= lo && v <= hi))
		return VG_EINVAL;
	*out = v;
	return VG_OK;
}
