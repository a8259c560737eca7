/* The tokens of STIX patterns [9.2, 9.3]: keywords (upper case only),
 * identifiers, literals, operators; whitespace (Unicode's too) and
 * comments are skipped. Also the pattern's arena. */
#include "vigil/util/error.h"

#include "pat_lex.h"

#include <stdlib.h>
#include <string.h>

/* ---- arena ---------------------------------------------------------- */

struct vg__arena_blk {
	struct vg__arena_blk *next;
	size_t cap;
	max_align_t data[];
};

void *vg__arena_alloc(struct vg__arena *a, size_t n)
{
	n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (!a->head || a->cap - a->used < n) {
		size_t cap = n > 4000 ? n : 4000;
		struct vg__arena_blk *b = malloc(sizeof(*b) + cap);
		if (!b)
			return NULL;
		b->next = a->head;
		b->cap = cap;
		a->head = b;
		a->used = 0;
		a->cap = cap;
	}
	void *p = (char *)a->head->data + a->used;
	a->used += n;
	memset(p, 0, n);
	return p;
}

char *vg__arena_strndup(struct vg__arena *a, const char *s, size_t n)
{
	if (n == (size_t)-1)
		return NULL;
	char *d = vg__arena_alloc(a, n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

void vg__arena_release(struct vg__arena *a)
{
	struct vg__arena_blk *b = a->head;
	while (b) {
		struct vg__arena_blk *n = b->next;
		free(b);
		b = n;
	}
	a->head = NULL;
	a->used = a->cap = 0;
}

/* ---- tokens --------------------------------------------------------- */

static const struct {
	const char *word;
	enum vg__tok kind;
} keywords[] = {
    {"AND", VG__T_AND},
    {"OR", VG__T_OR},
    {"NOT", VG__T_NOT},
    {"FOLLOWEDBY", VG__T_FOLLOWEDBY},
    {"LIKE", VG__T_LIKE},
    {"MATCHES", VG__T_MATCHES},
    {"ISSUPERSET", VG__T_ISSUPERSET},
    {"ISSUBSET", VG__T_ISSUBSET},
    {"EXISTS", VG__T_EXISTS},
    {"LAST", VG__T_LAST},
    {"IN", VG__T_IN},
    {"START", VG__T_START},
    {"STOP", VG__T_STOP},
    {"SECONDS", VG__T_SECONDS},
    {"WITHIN", VG__T_WITHIN},
    {"REPEATS", VG__T_REPEATS},
    {"TIMES", VG__T_TIMES},
    {"true", VG__T_BOOL},
    {"false", VG__T_BOOL},
};

const char *vg__keyword_like(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
		const char *w = keywords[i].word;
		if (strlen(w) != n || keywords[i].kind == VG__T_BOOL)
			continue;
		size_t k = 0;
		while (k < n && (s[k] | 0x20) == (w[k] | 0x20))
			k++;
		if (k == n)
			return w;
	}
	return NULL;
}

/* Bytes of a Unicode space at s (the grammar's WS set), or 0. */
static size_t uspace(const unsigned char *s, size_t n)
{
	if (n >= 2 && s[0] == 0xc2 && (s[1] == 0x85 || s[1] == 0xa0))
		return 2;
	if (n < 3)
		return 0;
	if (s[0] == 0xe1 && s[1] == 0x9a && s[2] == 0x80)
		return 3;
	if (s[0] == 0xe2 && s[1] == 0x80 &&
	    ((s[2] >= 0x80 && s[2] <= 0x8a) || s[2] == 0xa8 || s[2] == 0xa9 ||
	     s[2] == 0xaf))
		return 3;
	if (s[0] == 0xe2 && s[1] == 0x81 && s[2] == 0x9f)
		return 3;
	if (s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80)
		return 3;
	return 0;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_ident0(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int lex_fail(struct vg__lexer *lx, size_t off, const char *why)
{
	lx->err_off = off;
	lx->err = why;
	return VG_EINVAL;
}

/* A quoted body from s[i] (just after the quote) to the closing quote;
 * strings allow \' and \\ only. *end gets the index after the quote. */
static int lex_quoted(struct vg__lexer *lx, size_t i, int escapes, size_t start,
                      size_t *end)
{
	const char *s = lx->s;
	while (i < lx->len && s[i] != '\'') {
		if (s[i] == '\0')
			return lex_fail(lx, i, "unexpected NUL byte");
		if (s[i] == '\\' && escapes) {
			if (i + 1 < lx->len &&
			    (s[i + 1] == '\'' || s[i + 1] == '\\')) {
				i += 2;
				continue;
			}
			return lex_fail(lx, i,
			                "invalid escape in a string (only \\' "
			                "and \\\\)");
		}
		i++;
	}
	if (i >= lx->len)
		return lex_fail(lx, start, "unterminated quoted literal");
	*end = i + 1;
	return VG_OK;
}

int vg__lex_next(struct vg__lexer *lx, struct vg__token *t)
{
	const char *s = lx->s;
	size_t n = lx->len, i = lx->pos;

	/* whitespace and comments */
	for (;;) {
		size_t u;
		if (i < n && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))) {
			i++;
		} else if (i < n &&
		           (u = uspace((const unsigned char *)s + i, n - i))) {
			i += u;
		} else if (i + 1 < n && s[i] == '/' && s[i + 1] == '*') {
			size_t st = i;
			i += 2;
			while (i + 1 < n && !(s[i] == '*' && s[i + 1] == '/'))
				i++;
			if (i + 1 >= n)
				return lex_fail(lx, st, "unterminated comment");
			i += 2;
		} else if (i + 1 < n && s[i] == '/' && s[i + 1] == '/') {
			while (i < n && s[i] != '\n' && s[i] != '\r')
				i++;
		} else {
			break;
		}
	}
	t->off = i;
	if (i >= n) {
		t->kind = VG__T_EOF;
		t->len = 0;
		lx->pos = i;
		return VG_OK;
	}
	char c = s[i];
	size_t st = i;
	enum vg__tok k;
	switch (c) {
	case '[':
		k = VG__T_LBRACK;
		i++;
		goto done;
	case ']':
		k = VG__T_RBRACK;
		i++;
		goto done;
	case '(':
		k = VG__T_LPAREN;
		i++;
		goto done;
	case ')':
		k = VG__T_RPAREN;
		i++;
		goto done;
	case ':':
		k = VG__T_COLON;
		i++;
		goto done;
	case ',':
		k = VG__T_COMMA;
		i++;
		goto done;
	case '*':
		k = VG__T_STAR;
		i++;
		goto done;
	case '=':
		k = VG__T_EQ;
		i += (i + 1 < n && s[i + 1] == '=') ? 2 : 1;
		goto done;
	case '!':
		if (i + 1 < n && s[i + 1] == '=') {
			k = VG__T_NEQ;
			i += 2;
			goto done;
		}
		return lex_fail(lx, i, "unexpected character '!'");
	case '<':
		k = VG__T_LT;
		i++;
		if (i < n && s[i] == '=') {
			k = VG__T_LE;
			i++;
		} else if (i < n && s[i] == '>') {
			k = VG__T_NEQ;
			i++;
		}
		goto done;
	case '>':
		k = VG__T_GT;
		i++;
		if (i < n && s[i] == '=') {
			k = VG__T_GE;
			i++;
		}
		goto done;
	case '\'':
		k = VG__T_STRING;
		if (lex_quoted(lx, i + 1, 1, st, &i))
			return VG_EINVAL;
		goto done;
	default:
		break;
	}
	if (c == '.' && !(i + 1 < n && is_digit(s[i + 1]))) {
		k = VG__T_DOT;
		i++;
		goto done;
	}
	if (is_digit(c) || c == '.' || c == '+' || c == '-') {
		int neg = c == '-';
		if (c == '+' || c == '-')
			i++;
		size_t d0 = i;
		while (i < n && is_digit(s[i]))
			i++;
		size_t nd = i - d0;
		if (i + 1 < n && s[i] == '.' && is_digit(s[i + 1])) {
			i++;
			while (i < n && is_digit(s[i]))
				i++;
			k = neg ? VG__T_FLOAT_NEG : VG__T_FLOAT;
			goto done;
		}
		if (!nd)
			return lex_fail(lx, st,
			                c == '.' ? "unexpected character '.'"
			                         : "expected digits after "
			                           "the sign");
		if (nd > 1 && s[d0] == '0')
			return lex_fail(lx, st,
			                "an integer may not start with 0");
		k = neg ? VG__T_INT_NEG : VG__T_INT;
		goto done;
	}
	if (is_ident0(c)) {
		int hyphen = 0;
		while (i < n &&
		       (is_ident0(s[i]) || is_digit(s[i]) || s[i] == '-')) {
			hyphen |= s[i] == '-';
			i++;
		}
		size_t len = i - st;
		if (len == 1 && i < n && s[i] == '\'' &&
		    (c == 't' || c == 'h' || c == 'b')) {
			k = c == 't'   ? VG__T_TS
			    : c == 'h' ? VG__T_HEX
			               : VG__T_BIN;
			if (lex_quoted(lx, i + 1, 0, st, &i))
				return VG_EINVAL;
			goto done;
		}
		k = hyphen ? VG__T_IDENT_H : VG__T_IDENT;
		for (size_t w = 0; w < sizeof(keywords) / sizeof(keywords[0]);
		     w++)
			if (strlen(keywords[w].word) == len &&
			    memcmp(keywords[w].word, s + st, len) == 0)
				k = keywords[w].kind;
		goto done;
	}
	if (c == '\0')
		return lex_fail(lx, i, "unexpected NUL byte");
	return lex_fail(lx, i, "unexpected character");
done:
	t->kind = k;
	t->len = i - st;
	lx->pos = i;
	return VG_OK;
}
