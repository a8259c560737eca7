/* Text helpers shared by the parsers of core/: UTF-8 checks, white space
 * clean-up, excerpts for error messages, dates. */
#include "text.h"

#include "vigil/util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int vg__utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t k;
		unsigned cp, min;
		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xE0) == 0xC0) {
			k = 1, cp = c & 0x1F, min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			k = 2, cp = c & 0x0F, min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			k = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return 0;
		}
		if (n - i <= k)
			return 0;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + j] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += k + 1;
	}
	return 1;
}

char *vg__latin1_to_utf8(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	if (n > ((size_t)-1 - 1) / 2)
		return NULL;
	char *out = malloc(2 * n + 1), *o = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < 0x80) {
			*o++ = (char)s[i];
		} else {
			*o++ = (char)(0xC0 | (s[i] >> 6));
			*o++ = (char)(0x80 | (s[i] & 0x3F));
		}
	}
	*o = '\0';
	return out;
}

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

char *vg__dup_clean(const char *s, size_t n)
{
	char *out = malloc(n + 1), *o = out;
	int gap = 0;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (is_ws(s[i])) {
			gap = o != out;
			continue;
		}
		if (gap)
			*o++ = ' ';
		gap = 0;
		*o++ = s[i];
	}
	*o = '\0';
	return out;
}

void vg__snippet(char *out, size_t cap, const char *s, size_t n)
{
	const size_t max = 40;
	size_t take = n > max ? max : n;
	/* back off to a UTF-8 character boundary */
	if (take < n)
		while (take > 0 && ((unsigned char)s[take] & 0xC0) == 0x80)
			take--;
	if (take + 4 > cap)
		take = cap > 4 ? cap - 4 : 0;
	size_t o = 0;
	for (size_t i = 0; i < take; i++) {
		unsigned char c = (unsigned char)s[i];
		out[o++] = (c < 0x20 || c == 0x7F) ? '?' : (char)c;
	}
	if (take < n && cap >= 4) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

void vg__errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

int vg__ieqn(const char *s, size_t n, const char *lit)
{
	size_t i = 0;
	for (; i < n && lit[i]; i++)
		if (lower((unsigned char)s[i]) != lower((unsigned char)lit[i]))
			return 0;
	return i == n && !lit[i];
}

int vg__month_abbr(const char *s, size_t n)
{
	static const char *const m[12] = {"jan", "feb", "mar", "apr",
	                                  "may", "jun", "jul", "aug",
	                                  "sep", "oct", "nov", "dec"};
	for (int i = 0; i < 12; i++)
		if (vg__ieqn(s, n, m[i]))
			return i + 1;
	return 0;
}

int vg__digits(const char *s, size_t n)
{
	int v = 0;
	if (n == 0 || n > 9)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int vg__iso_date(const char *s, size_t n, int partial, struct vg_pdate *d)
{
	struct vg_pdate r = {0};
	if (n != 10 && !(partial && (n == 4 || n == 7)))
		return -1;
	r.year = vg__digits(s, 4);
	if (n >= 7) {
		if (s[4] != '-')
			return -1;
		r.month = vg__digits(s + 5, 2);
	}
	if (n == 10) {
		if (s[7] != '-')
			return -1;
		r.day = vg__digits(s + 8, 2);
	}
	if (r.year < 0 || r.month < 0 || r.day < 0 || !vg_pdate_valid(&r) ||
	    (n >= 7 && !r.month) || (n == 10 && !r.day))
		return -1;
	*d = r;
	return 0;
}

int vg__grow(void **v, size_t n, size_t sz)
{
	if (n && (n & (n - 1)))
		return VG_OK; /* between powers of two: there is room */
	size_t cap = n ? n * 2 : 1;
	if (cap < n || cap > (size_t)-1 / sz)
		return VG_ENOMEM;
	void *q = realloc(*v, cap * sz);
	if (!q)
		return VG_ENOMEM;
	*v = q;
	return VG_OK;
}
