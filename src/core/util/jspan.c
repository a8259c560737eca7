/* Spans of JSON values without a tree (jspan.h): a skipper that knows
 * strings, escapes and nesting, nothing more. */
#include "vigil/util/jspan.h"
#include "vigil/util/error.h"

#include <string.h>

static size_t ws(const char *p, size_t i, size_t n)
{
	while (i < n &&
	       (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
		i++;
	return i;
}

/* The end of the value starting at i (one past it), or 0 on error. */
static size_t skip(const char *p, size_t i, size_t n)
{
	int depth = 0;
	if (i >= n)
		return 0;
	do {
		if (i >= n)
			return 0;
		char c = p[i];
		if (c == '"') {
			/* to the closing quote: one not escaped by an odd run
			 * of backslashes */
			for (i++;;) {
				const char *q = memchr(p + i, '"', n - i);
				if (!q)
					return 0;
				size_t k = (size_t)(q - p), b = 0;
				while (k - b > i && p[k - b - 1] == '\\')
					b++;
				i = k + 1;
				if (!(b & 1))
					break;
			}
		} else if (c == '{' || c == '[') {
			depth++;
			i++;
		} else if (c == '}' || c == ']') {
			if (--depth < 0)
				return 0;
			i++;
		} else {
			/* a number, true, false, null, or separators inside */
			i++;
			if (!depth) {
				while (i < n && !strchr(",}] \t\r\n", p[i]))
					i++;
			}
		}
	} while (depth > 0);
	return i;
}

int vg_jspan_members(const char *p, size_t n,
                     int (*cb)(void *ud, const struct vg_span *key,
                               const struct vg_span *value),
                     void *ud)
{
	size_t i = ws(p, 0, n);
	if (i >= n || p[i] != '{')
		return VG_EJSON;
	i = ws(p, i + 1, n);
	if (i < n && p[i] == '}')
		return VG_OK;
	for (;;) {
		if (i >= n || p[i] != '"')
			return VG_EJSON;
		size_t ks = i + 1, ke = skip(p, i, n);
		if (!ke)
			return VG_EJSON;
		i = ws(p, ke, n);
		if (i >= n || p[i] != ':')
			return VG_EJSON;
		size_t vs = ws(p, i + 1, n), ve = skip(p, vs, n);
		if (!ve)
			return VG_EJSON;
		struct vg_span k = {p + ks, ke - 1 - ks}, v = {p + vs, ve - vs};
		int rc = cb(ud, &k, &v);
		if (rc)
			return rc;
		i = ws(p, ve, n);
		if (i < n && p[i] == '}')
			return VG_OK;
		if (i >= n || p[i] != ',')
			return VG_EJSON;
		i = ws(p, i + 1, n);
	}
}

int vg_jspan_elements(const char *p, size_t n,
                      int (*cb)(void *ud, const struct vg_span *e), void *ud)
{
	size_t i = ws(p, 0, n);
	if (i >= n || p[i] != '[')
		return VG_EJSON;
	i = ws(p, i + 1, n);
	if (i < n && p[i] == ']')
		return VG_OK;
	for (;;) {
		size_t e = skip(p, i, n);
		if (!e)
			return VG_EJSON;
		struct vg_span s = {p + i, e - i};
		int rc = cb(ud, &s);
		if (rc)
			return rc;
		i = ws(p, e, n);
		if (i < n && p[i] == ']')
			return VG_OK;
		if (i >= n || p[i] != ',')
			return VG_EJSON;
		i = ws(p, i + 1, n);
	}
}
