/* LIKE [9.4]: SQL's wildcards on the whole string, '%' any run and '_'
 * one character, compiled to a plain compare for the common shapes. */
#include "vigil/util/error.h"

#include "pat_int.h"

#include <string.h>

enum { LIKE_EXACT, LIKE_PREFIX, LIKE_SUFFIX, LIKE_CONTAINS, LIKE_GENERAL };

struct vg__like {
	int shape;
	const char *pat; /* the whole pattern (GENERAL) or its literal */
	size_t len;
};

int vg__like_compile(struct vg__arena *a, const char *pat, size_t len,
                     struct vg__like **out)
{
	struct vg__like *l = vg__arena_alloc(a, sizeof(*l));
	if (!l)
		return VG_ENOMEM;
	size_t pct = 0, und = 0;
	for (size_t i = 0; i < len; i++) {
		pct += pat[i] == '%';
		und += pat[i] == '_';
	}
	l->pat = pat;
	l->len = len;
	l->shape = LIKE_GENERAL;
	/* The common shapes get a plain compare. */
	if (!und && !pct) {
		l->shape = LIKE_EXACT;
	} else if (!und && pct == 1 && len && pat[len - 1] == '%') {
		l->shape = LIKE_PREFIX;
		l->len = len - 1;
	} else if (!und && pct == 1 && pat[0] == '%') {
		l->shape = LIKE_SUFFIX;
		l->pat = pat + 1;
		l->len = len - 1;
	} else if (!und && pct == 2 && len >= 2 && pat[0] == '%' &&
	           pat[len - 1] == '%') {
		l->shape = LIKE_CONTAINS;
		l->pat = pat + 1;
		l->len = len - 2;
	}
	*out = l;
	return VG_OK;
}

int vg__like_affix(const struct vg__like *l, const char **s, size_t *n)
{
	*s = l->pat;
	*n = l->len;
	switch (l->shape) {
	case LIKE_EXACT:
		return 0;
	case LIKE_PREFIX:
		return 1;
	case LIKE_SUFFIX:
		return 2;
	default:
		return -1;
	}
}

/* memmem is a GNU extension: the plain loop, with memchr on the first
 * byte doing most of the work. */
int vg__contains(const char *s, size_t n, const char *p, size_t m)
{
	if (m == 0)
		return 1;
	for (size_t i = 0; i + m <= n;) {
		const char *c = memchr(s + i, p[0], n - m + 1 - i);
		if (!c)
			return 0;
		i = (size_t)(c - s);
		if (memcmp(c, p, m) == 0)
			return 1;
		i++;
	}
	return 0;
}

/* Bytes of the UTF-8 character that starts with c (1 for a stray byte). */
static size_t u8len(unsigned char c)
{
	return c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
}

int vg__like_match(const struct vg__like *l, const char *s, size_t n)
{
	const char *p = l->pat;
	size_t m = l->len;
	switch (l->shape) {
	case LIKE_EXACT:
		return n == m && memcmp(s, p, m) == 0;
	case LIKE_PREFIX:
		return n >= m && memcmp(s, p, m) == 0;
	case LIKE_SUFFIX:
		return n >= m && memcmp(s + n - m, p, m) == 0;
	case LIKE_CONTAINS:
		return vg__contains(s, n, p, m);
	default:
		break;
	}
	/* '%' any run, '_' one character; on a mismatch go back to the
	 * last '%' and let it take one more character: O(n*m) at worst. */
	size_t i = 0, j = 0, star = (size_t)-1, mark = 0;
	while (i < n) {
		if (j < m && p[j] == '_') {
			i += u8len((unsigned char)s[i]);
			j++;
		} else if (j < m && p[j] == '%') {
			star = j++;
			mark = i;
		} else if (j < m && p[j] == s[i]) {
			i++;
			j++;
		} else if (star != (size_t)-1) {
			j = star + 1;
			mark += u8len((unsigned char)s[mark]);
			i = mark;
		} else {
			return 0;
		}
	}
	while (j < m && p[j] == '%')
		j++;
	return j == m && i == n;
}
