/* RFC 8785 JSON Canonicalization Scheme: object keys sorted by UTF-16 code
 * units, ECMAScript number forms, minimal string escapes. Used for the
 * deterministic ids of SCOs, so its output must match other producers
 * byte for byte. */
#include "vigil/util/buf.h"
#include "vigil/util/error.h"
#include "vigil/stix/stix.h"

#include "stix_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* cJSON refuses to parse deeper documents; trees built in code get the
 * same limit so the recursion stays bounded. */
#define JCS_MAX_DEPTH 1000

/* Length of the UTF-8 sequence at p and its code point, or 0 when the
 * bytes are not well-formed UTF-8 (overlong forms, surrogates and values
 * above U+10FFFF included) [RFC 3629]. */
static size_t utf8_next(const unsigned char *p, uint32_t *cp)
{
	uint32_t c = p[0];
	size_t n;
	uint32_t min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xe0) == 0xc0) {
		n = 2, c &= 0x1f, min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3, c &= 0x0f, min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4, c &= 0x07, min = 0x10000;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0; /* also catches the NUL */
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

static int utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		uint32_t cp;
		if (*p < 0x80) {
			p++;
			continue;
		}
		size_t n = utf8_next(p, &cp);
		if (!n)
			return 0;
		p += n;
	}
	return 1;
}

int vg__jcs_str(const char *s, struct vg_buf *out)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *run = p;
	int rc;

	if (!utf8_valid(s))
		return VG_EINVAL;
	rc = vg_buf_putc(out, '"');
	for (; !rc && *p; p++) {
		const char *esc = NULL;
		char u[6];
		switch (*p) {
		case '"':
			esc = "\\\"";
			break;
		case '\\':
			esc = "\\\\";
			break;
		case '\b':
			esc = "\\b";
			break;
		case '\f':
			esc = "\\f";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\r':
			esc = "\\r";
			break;
		case '\t':
			esc = "\\t";
			break;
		default:
			if (*p >= 0x20)
				continue;
			memcpy(u, "\\u00", 4);
			u[4] = hex[*p >> 4];
			u[5] = hex[*p & 15];
		}
		/* Copy the unescaped run before this byte in one go. */
		rc = vg_buf_append(out, run, (size_t)(p - run));
		if (!rc)
			rc = esc ? vg_buf_puts(out, esc)
			         : vg_buf_append(out, u, sizeof(u));
		run = p + 1;
	}
	if (!rc)
		rc = vg_buf_append(out, run, (size_t)(p - run));
	if (!rc)
		rc = vg_buf_putc(out, '"');
	return rc;
}

/* ECMAScript Number::toString (ECMA-262 7.1.12.1), which RFC 8785 3.2.2.3
 * adopts: the shortest digits that read back as the same double, then
 * plain or exponent notation by the decimal exponent. */
static int jcs_number(double d, struct vg_buf *out)
{
	char e[40], digs[20], res[48];
	int k = 0, x, n, prec, len = 0;

	if (!isfinite(d))
		return VG_EINVAL;
	if (d == 0)
		return vg_buf_putc(out, '0'); /* -0 too */
	if (fabs(d) < 9007199254740992.0 && d == floor(d)) {
		/* Exact integers below 2^53 are their own shortest form. */
		int m = snprintf(res, sizeof(res), "%.0f", d);
		return vg_buf_append(out, res, (size_t)m);
	}
	/* snprintf and strtod share the locale's decimal point, so the round
	 * trip holds in any locale; the digits are read past it below. */
	for (prec = 0; prec < 17; prec++) {
		snprintf(e, sizeof(e), "%.*e", prec, d);
		if (strtod(e, NULL) == d)
			break;
	}
	const char *p = e;
	if (*p == '-')
		p++;
	for (; *p && *p != 'e'; p++)
		if (*p >= '0' && *p <= '9' && k < (int)sizeof(digs))
			digs[k++] = *p;
	if (*p != 'e')
		return VG_EINVAL;
	x = atoi(p + 1);
	while (k > 1 && digs[k - 1] == '0')
		k--;
	n = x + 1; /* the decimal point sits after n digits */

	if (d < 0)
		res[len++] = '-';
	if (k <= n && n <= 21) {
		memcpy(res + len, digs, (size_t)k);
		len += k;
		memset(res + len, '0', (size_t)(n - k));
		len += n - k;
	} else if (0 < n && n <= 21) {
		memcpy(res + len, digs, (size_t)n);
		len += n;
		res[len++] = '.';
		memcpy(res + len, digs + n, (size_t)(k - n));
		len += k - n;
	} else if (-6 < n && n <= 0) {
		res[len++] = '0';
		res[len++] = '.';
		memset(res + len, '0', (size_t)-n);
		len += -n;
		memcpy(res + len, digs, (size_t)k);
		len += k;
	} else {
		res[len++] = digs[0];
		if (k > 1) {
			res[len++] = '.';
			memcpy(res + len, digs + 1, (size_t)(k - 1));
			len += k - 1;
		}
		len += snprintf(res + len, sizeof(res) - (size_t)len, "e%c%d",
		                n - 1 < 0 ? '-' : '+', abs(n - 1));
	}
	return vg_buf_append(out, res, (size_t)len);
}

/* UTF-16 code unit order [RFC 8785 3.2.3]. UTF-8 byte order is code point
 * order, which differs from UTF-16 order only between U+E000..U+FFFF and
 * the supplementary planes (surrogates sort first), so the bytes are
 * compared and only the first differing code point is decoded. */
static int utf16_cmp(const char *a, const char *b)
{
	size_t i = 0;
	while (a[i] && a[i] == b[i])
		i++;
	if (a[i] == b[i])
		return 0;
	if (!a[i])
		return -1;
	if (!b[i])
		return 1;
	while (i > 0 && ((unsigned char)a[i] & 0xc0) == 0x80)
		i--;
	uint32_t ca, cb;
	if (!utf8_next((const unsigned char *)a + i, &ca) ||
	    !utf8_next((const unsigned char *)b + i, &cb))
		return strcmp(a + i, b + i); /* validated before; unreachable */
	if ((ca >= 0x10000) != (cb >= 0x10000)) {
		if (ca >= 0x10000)
			ca = 0xd800 + ((ca - 0x10000) >> 10);
		else
			cb = 0xd800 + ((cb - 0x10000) >> 10);
	}
	return ca < cb ? -1 : 1;
}

static int key_cmp(const void *x, const void *y)
{
	const cJSON *a = *(const cJSON *const *)x;
	const cJSON *b = *(const cJSON *const *)y;
	return utf16_cmp(a->string, b->string);
}

static int jcs_value(const cJSON *v, struct vg_buf *out, int depth);

static int jcs_object(const cJSON *v, struct vg_buf *out, int depth)
{
	const cJSON *stack[16];
	const cJSON **kids = stack;
	size_t n = 0, i;
	int rc;

	for (const cJSON *k = v->child; k; k = k->next) {
		if (!k->string || !utf8_valid(k->string))
			return VG_EINVAL;
		n++;
	}
	if (n > sizeof(stack) / sizeof(stack[0])) {
		kids = malloc(n * sizeof(*kids));
		if (!kids)
			return VG_ENOMEM;
	}
	i = 0;
	for (const cJSON *k = v->child; k; k = k->next)
		kids[i++] = k;
	qsort(kids, n, sizeof(*kids), key_cmp);

	rc = vg_buf_putc(out, '{');
	for (i = 0; !rc && i < n; i++) {
		/* I-JSON forbids duplicate names: no canonical form exists. */
		if (i > 0 &&
		    strcmp(kids[i - 1]->string, kids[i]->string) == 0) {
			rc = VG_EINVAL;
			break;
		}
		if (i > 0)
			rc = vg_buf_putc(out, ',');
		if (!rc)
			rc = vg__jcs_str(kids[i]->string, out);
		if (!rc)
			rc = vg_buf_putc(out, ':');
		if (!rc)
			rc = jcs_value(kids[i], out, depth + 1);
	}
	if (!rc)
		rc = vg_buf_putc(out, '}');
	if (kids != stack)
		free(kids);
	return rc;
}

static int jcs_value(const cJSON *v, struct vg_buf *out, int depth)
{
	int rc;

	if (depth > JCS_MAX_DEPTH)
		return VG_ETOOBIG;
	switch (v->type & 0xff) {
	case cJSON_False:
		return vg_buf_append(out, "false", 5);
	case cJSON_True:
		return vg_buf_append(out, "true", 4);
	case cJSON_NULL:
		return vg_buf_append(out, "null", 4);
	case cJSON_Number:
		return jcs_number(v->valuedouble, out);
	case cJSON_String:
		return v->valuestring ? vg__jcs_str(v->valuestring, out)
		                      : VG_EINVAL;
	case cJSON_Array:
		rc = vg_buf_putc(out, '[');
		for (const cJSON *e = v->child; !rc && e; e = e->next) {
			if (e != v->child)
				rc = vg_buf_putc(out, ',');
			if (!rc)
				rc = jcs_value(e, out, depth + 1);
		}
		return rc ? rc : vg_buf_putc(out, ']');
	case cJSON_Object:
		return jcs_object(v, out, depth);
	default:
		return VG_EINVAL; /* cJSON_Raw, cJSON_Invalid */
	}
}

int vg_jcs(const cJSON *v, struct vg_buf *out)
{
	size_t start = out->len;
	int rc = v ? jcs_value(v, out, 0) : VG_EINVAL;
	if (rc && out->data) {
		out->len = start;
		out->data[start] = '\0';
	}
	return rc;
}
