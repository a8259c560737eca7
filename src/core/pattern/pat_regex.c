/* MATCHES [9.4]. The standard names PCRE for MATCHES; vigil
 * uses libc's POSIX regular expressions (REG_EXTENDED) and translates
 * the PCRE syntax into them: \d \w \s and their negations, \xHH, \t and
 * friends, \Q..\E, (?:..), named groups, a leading (?i), lazy
 * quantifiers (a match either way). What POSIX cannot say (lookaround,
 * backreferences, atomic groups, possessive quantifiers, \p{..}) is
 * reported as unsupported. docs/patterns.md lists the rest. */
#include "vigil/util/buf.h"
#include "vigil/util/error.h"

#include "pat_int.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NUL_BYTE "[^\x01-\xff]"

/* A compiled MATCHES: the regex and a literal every match contains. */
struct re {
	regex_t re;
	char lit[64];
	size_t lit_len;
};

/* Counted repetitions are expanded by regcomp: a{1000}{1000} is a
 * million states. The expression's expanded size is bounded. */
#define MAX_COUNT 1000
#define MAX_SIZE 20000
#define MAX_GROUPS 64

struct tr {
	const char *s;
	size_t len, i;
	struct vg_buf out;
	const char *why;
	int rc;
	/* expanded size: of the current group so far, of the last atom,
	 * and of the enclosing groups */
	unsigned long cur, last, outer[MAX_GROUPS];
	int depth;
	int can_repeat; /* the last thing written takes a quantifier */
	/* A literal every match contains (found outside groups, without a
	 * top-level '|'), for a memmem before regexec. */
	char run[64], best[64];
	size_t run_len, best_len;
	int run_last; /* the last atom was the run's last byte */
	int alt0;     /* a '|' outside groups: no required literal */
	unsigned long added;
};

static void run_end(struct tr *t)
{
	if (t->run_len > t->best_len) {
		memcpy(t->best, t->run, t->run_len);
		t->best_len = t->run_len;
	}
	t->run_len = 0;
	t->run_last = 0;
}

/* A literal byte written as an atom of its own. */
static void run_add(struct tr *t, unsigned char c)
{
	t->added++;
	if (t->depth || t->run_len >= sizeof(t->run)) {
		run_end(t);
		return;
	}
	t->run[t->run_len++] = (char)c;
	t->run_last = 1;
}

/* A quantifier follows: optional (min 0) drops the last byte. */
static void run_quant(struct tr *t, int optional)
{
	if (t->run_last && optional)
		t->run_len--;
	run_end(t);
}

static int tr_fail(struct tr *t, int rc, const char *why);

/* An atom of expanded size 1 was written. */
static void atom(struct tr *t)
{
	t->last = 1;
	t->cur++;
	t->can_repeat = 1;
}

/* PCRE refuses a**, (*a, |+: glibc would build nested loops of them. */
static int quantifiable(struct tr *t)
{
	if (t->can_repeat) {
		t->can_repeat = 0;
		return 1;
	}
	tr_fail(t, VG_EINVAL, "quantifier does not follow a repeatable item");
	return 0;
}

/* The last atom repeats up to n times. */
static void repeat(struct tr *t, unsigned long n)
{
	if (n > MAX_COUNT) {
		tr_fail(t, VG_EUNSUPPORTED, "a repetition count above 1000");
		return;
	}
	if (n > 1) {
		t->cur += t->last * (n - 1);
		t->last *= n;
	}
	if (t->cur > MAX_SIZE || t->last > MAX_SIZE)
		tr_fail(t, VG_EUNSUPPORTED,
		        "counted repetitions expanding past 20000 states");
}

static int tr_fail(struct tr *t, int rc, const char *why)
{
	if (!t->rc) {
		t->rc = rc;
		t->why = why;
	}
	return rc;
}

static void put(struct tr *t, const char *s)
{
	if (vg_buf_puts(&t->out, s))
		tr_fail(t, VG_ENOMEM, "out of memory");
}

/* A literal byte outside brackets. */
static void put_lit(struct tr *t, unsigned char c)
{
	char b[3] = {0};
	if (c == 0) {
		/* A pattern cannot hold NUL; "no byte but NUL" can (the
		 * subject is delimited by REG_STARTEND, so it may). */
		put(t, NUL_BYTE);
		return;
	}
	if (strchr(".[()*+?{|^$\\", c)) {
		b[0] = '\\';
		b[1] = (char)c;
	} else {
		b[0] = (char)c;
	}
	put(t, b);
}

static int hexv(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* \x after the 'x': \xHH (one or two digits) or \x{H..}; the code point
 * written as UTF-8 into u; returns its byte count, or -1. */
static int read_hex(struct tr *t, unsigned char u[4])
{
	unsigned long cp = 0;
	if (t->i < t->len && t->s[t->i] == '{') {
		size_t st = ++t->i;
		while (t->i < t->len && hexv((unsigned char)t->s[t->i]) >= 0 &&
		       t->i - st < 6)
			cp = cp * 16 +
			     (unsigned long)hexv((unsigned char)t->s[t->i++]);
		if (t->i == st || t->i >= t->len || t->s[t->i] != '}')
			return -1;
		t->i++;
	} else {
		for (int k = 0; k < 2 && t->i < t->len &&
		                hexv((unsigned char)t->s[t->i]) >= 0;
		     k++)
			cp = cp * 16 +
			     (unsigned long)hexv((unsigned char)t->s[t->i++]);
	}
	if (cp > 0x10ffff)
		return -1;
	/* Without PCRE's UTF mode \xHH is one byte; above 0xff it is a
	 * character, written in UTF-8. */
	if (cp < 0x100) {
		u[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		u[0] = (unsigned char)(0xc0 | cp >> 6);
		u[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		u[0] = (unsigned char)(0xe0 | cp >> 12);
		u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	u[0] = (unsigned char)(0xf0 | cp >> 18);
	u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
	u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	u[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

/* The byte of a one-letter escape (\t, \n, ...), or -1. */
static int ctl_escape(char e)
{
	switch (e) {
	case 't':
		return '\t';
	case 'n':
		return '\n';
	case 'r':
		return '\r';
	case 'f':
		return '\f';
	case 'v':
		return '\v';
	case 'e':
		return 0x1b;
	case 'a':
		return 0x07;
	default:
		return -1;
	}
}

static const char space_set[] = " \t\n\r\f\v";

struct cls {
	unsigned char set[32];
	char names[8][12]; /* POSIX classes passed through */
	int n_names;
};

static void cls_add(struct cls *c, unsigned char b)
{
	c->set[b >> 3] |= (unsigned char)(1u << (b & 7));
}

static int cls_has(const struct cls *c, unsigned char b)
{
	return c->set[b >> 3] >> (b & 7) & 1;
}

static void cls_range(struct cls *c, int a, int b)
{
	for (int x = a; x <= b; x++)
		cls_add(c, (unsigned char)x);
}

/* One item of a bracket expression; *lo gets its byte, or -1 when it was
 * a set (\d, [:alpha:]) that cannot end a range. */
static int cls_item(struct tr *t, struct cls *c, int *lo)
{
	unsigned char ch = (unsigned char)t->s[t->i++];
	*lo = -1;
	if (ch == '[' && t->i < t->len && t->s[t->i] == ':') {
		const char *end = NULL;
		for (size_t k = t->i + 1; k + 1 < t->len; k++)
			if (t->s[k] == ':' && t->s[k + 1] == ']') {
				end = t->s + k;
				break;
			}
		static const char *const names[] = {
		    "alnum", "alpha",  "blank", "cntrl", "digit",
		    "graph", "lower",  "print", "punct", "space",
		    "upper", "xdigit", NULL};
		size_t n = end ? (size_t)(end - (t->s + t->i + 1)) : 0;
		for (int k = 0; end && names[k]; k++) {
			if (strlen(names[k]) != n ||
			    memcmp(names[k], t->s + t->i + 1, n))
				continue;
			if (c->n_names < 8)
				memcpy(c->names[c->n_names++], names[k], n + 1);
			t->i = (size_t)(end - t->s) + 2;
			return 0;
		}
		return tr_fail(t, VG_EINVAL, "unknown POSIX class");
	}
	if (ch != '\\') {
		*lo = ch;
		return 0;
	}
	if (t->i >= t->len)
		return tr_fail(t, VG_EINVAL, "ends with a backslash");
	char e = t->s[t->i++];
	int b = ctl_escape(e);
	unsigned char u[4];
	switch (e) {
	case 'd':
		cls_range(c, '0', '9');
		return 0;
	case 'w':
		cls_range(c, 'a', 'z');
		cls_range(c, 'A', 'Z');
		cls_range(c, '0', '9');
		cls_add(c, '_');
		return 0;
	case 's':
		for (const char *p = space_set; *p; p++)
			cls_add(c, (unsigned char)*p);
		return 0;
	case 'b':
		*lo = 0x08;
		return 0;
	case 'x':
		if (read_hex(t, u) != 1)
			return tr_fail(t, VG_EUNSUPPORTED,
			               "a character above \\xff inside [...]");
		*lo = u[0];
		return 0;
	default:
		break;
	}
	if (b >= 0) {
		*lo = b;
		return 0;
	}
	if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') ||
	    (e >= '0' && e <= '9'))
		return tr_fail(t, VG_EUNSUPPORTED, "this escape inside [...]");
	*lo = (unsigned char)e;
	return 0;
}

static void emit_byte_in_cls(struct tr *t, int b)
{
	char s[2] = {(char)b, 0};
	put(t, s);
}

/* [...] starting after the '['. */
static void tr_class(struct tr *t)
{
	struct cls c;
	memset(&c, 0, sizeof(c));
	int neg = 0, first = 1;
	if (t->i < t->len && t->s[t->i] == '^') {
		neg = 1;
		t->i++;
	}
	for (;;) {
		if (t->i >= t->len) {
			tr_fail(t, VG_EINVAL, "missing ']'");
			return;
		}
		if (t->s[t->i] == ']' && !first) {
			t->i++;
			break;
		}
		first = 0;
		int lo, hi;
		if (cls_item(t, &c, &lo))
			return;
		if (lo >= 0 && t->i + 1 < t->len && t->s[t->i] == '-' &&
		    t->s[t->i + 1] != ']') {
			t->i++;
			if (cls_item(t, &c, &hi))
				return;
			if (hi < 0 || hi < lo) {
				tr_fail(t, VG_EINVAL, "bad range inside [...]");
				return;
			}
			cls_range(&c, lo, hi);
		} else if (lo >= 0) {
			cls_add(&c, (unsigned char)lo);
		}
	}
	int nul = cls_has(&c, 0);
	if (nul && neg) {
		tr_fail(t, VG_EUNSUPPORTED, "a NUL byte in [^...]");
		return;
	}
	c.set[0] &= 0xfe;
	if (nul) {
		put(t, "(" NUL_BYTE);
		static const unsigned char none[32];
		if (!c.n_names && memcmp(c.set, none, 32) == 0) {
			put(t, ")");
			return;
		}
		put(t, "|");
	}
	int n = 0;
	for (int b = 1; b < 256; b++)
		n += cls_has(&c, (unsigned char)b);
	if (n == 1 && !c.n_names && !neg) {
		for (int b = 1; b < 256; b++)
			if (cls_has(&c, (unsigned char)b))
				put_lit(t, (unsigned char)b);
		if (nul)
			put(t, ")");
		return;
	}
	/* POSIX rules: ']' first, '-' last, '^' not first, '[' late so it
	 * never opens "[:". */
	put(t, neg ? "[^" : "[");
	int wrote = 0;
	if (cls_has(&c, ']')) {
		put(t, "]");
		wrote = 1;
	}
	for (int b = 1; b < 256; b++) {
		if (!cls_has(&c, (unsigned char)b) || strchr("]-^[", b))
			continue;
		int e = b;
		while (e + 1 < 256 && cls_has(&c, (unsigned char)(e + 1)) &&
		       ((b >= '0' && e + 1 <= '9') ||
		        (b >= 'a' && e + 1 <= 'z') ||
		        (b >= 'A' && e + 1 <= 'Z')))
			e++;
		emit_byte_in_cls(t, b);
		if (e > b) {
			if (e > b + 1)
				put(t, "-");
			emit_byte_in_cls(t, e);
		}
		b = e;
		wrote = 1;
	}
	for (int k = 0; k < c.n_names; k++) {
		put(t, "[:");
		put(t, c.names[k]);
		put(t, ":]");
		wrote = 1;
	}
	if (cls_has(&c, '^')) {
		put(t, "^");
		if (!wrote)
			wrote = 2; /* "[^" alone would negate: add '-' or '[' */
	}
	if (cls_has(&c, '['))
		put(t, "[");
	if (cls_has(&c, '-'))
		put(t, "-");
	else if (wrote == 2 && !cls_has(&c, '['))
		tr_fail(t, VG_EUNSUPPORTED, "[^] alone");
	put(t, nul ? "])" : "]");
}

/* After a quantifier: drop a lazy '?', refuse a possessive '+'. */
static void quant_suffix(struct tr *t)
{
	if (t->i < t->len && t->s[t->i] == '?')
		t->i++;
	else if (t->i < t->len && t->s[t->i] == '+')
		tr_fail(t, VG_EUNSUPPORTED, "possessive quantifiers");
}

static void tr_escape(struct tr *t)
{
	if (t->i >= t->len) {
		tr_fail(t, VG_EINVAL, "ends with a backslash");
		return;
	}
	char e = t->s[t->i++];
	unsigned char u[4];
	int b = ctl_escape(e);
	switch (e) {
	case 'd':
		put(t, "[0-9]");
		return;
	case 'D':
		put(t, "[^0-9]");
		return;
	case 'w':
		put(t, "[A-Za-z0-9_]");
		return;
	case 'W':
		put(t, "[^A-Za-z0-9_]");
		return;
	case 's':
		put(t, "[ \t\n\r\f\v]");
		return;
	case 'S':
		put(t, "[^ \t\n\r\f\v]");
		return;
	case 'b':
		put(t, "\\b");
		return; /* glibc's word boundary */
	case 'B':
		put(t, "\\B");
		return;
	case 'A':
		put(t, "^");
		return;
	case 'z':
	case 'Z':
		put(t, "$");
		return;
	case 'E':
		return;
	case 'Q':
		while (t->i < t->len &&
		       !(t->s[t->i] == '\\' && t->i + 1 < t->len &&
		         t->s[t->i + 1] == 'E')) {
			run_add(t, (unsigned char)t->s[t->i]);
			put_lit(t, (unsigned char)t->s[t->i++]);
		}
		if (t->i < t->len)
			t->i += 2;
		return;
	case 'x': {
		int n = read_hex(t, u);
		if (n < 0) {
			tr_fail(t, VG_EINVAL, "bad \\x escape");
			return;
		}
		if (n > 1)
			put(t, "(");
		for (int k = 0; k < n; k++)
			put_lit(t, u[k]);
		if (n > 1)
			put(t, ")");
		else
			run_add(t, u[0]);
		return;
	}
	default:
		break;
	}
	if (b >= 0) {
		put_lit(t, (unsigned char)b);
		run_add(t, (unsigned char)b);
		return;
	}
	if (e >= '0' && e <= '9') {
		tr_fail(t, VG_EUNSUPPORTED, "backreferences");
		return;
	}
	if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z')) {
		tr_fail(t, VG_EUNSUPPORTED, "this escape");
		return;
	}
	put_lit(t, (unsigned char)e);
	run_add(t, (unsigned char)e);
}

/* "(?" constructs, after the "(?". */
static void tr_group_ext(struct tr *t)
{
	const char *s = t->s + t->i;
	size_t rest = t->len - t->i;
	if (rest && s[0] == ':') {
		t->i++;
		put(t, "(");
		return;
	}
	if (rest && s[0] == '#') {
		while (t->i < t->len && t->s[t->i] != ')')
			t->i++;
		if (t->i >= t->len)
			tr_fail(t, VG_EINVAL, "missing ')'");
		t->i++;
		return;
	}
	if (rest &&
	    (s[0] == '=' || s[0] == '!' ||
	     (rest > 1 && s[0] == '<' && (s[1] == '=' || s[1] == '!')))) {
		tr_fail(t, VG_EUNSUPPORTED, "lookaround");
		return;
	}
	if (rest && s[0] == '>') {
		tr_fail(t, VG_EUNSUPPORTED, "atomic groups");
		return;
	}
	/* Named groups, (?<n>..), (?'n'..), (?P<n>..): a group. */
	size_t k = 0;
	char close = 0;
	if (rest > 1 && s[0] == 'P' && s[1] == '<') {
		k = 2;
		close = '>';
	} else if (rest && (s[0] == '<' || s[0] == '\'')) {
		k = 1;
		close = s[0] == '<' ? '>' : '\'';
	}
	if (close) {
		while (k < rest && s[k] != close)
			k++;
		if (k >= rest) {
			tr_fail(t, VG_EINVAL, "bad group name");
			return;
		}
		t->i += k + 1;
		put(t, "(");
		return;
	}
	tr_fail(t, VG_EUNSUPPORTED, "inline options or this (? group");
}

static int valid_interval(const char *s, size_t n)
{
	/* {m}, {m,}, {m,n} */
	size_t i = 1, d = 0;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++, d++;
	if (!d)
		return 0;
	if (i < n && s[i] == ',') {
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	return i < n && s[i] == '}' ? (int)(i + 1) : 0;
}

static void translate(struct tr *t, int *icase)
{
	if (t->len >= 4 && memcmp(t->s, "(?i)", 4) == 0) {
		*icase = 1;
		t->i = 4;
	}
	while (t->i < t->len && !t->rc) {
		unsigned char c = (unsigned char)t->s[t->i++];
		int n;
		switch (c) {
		case '\\': {
			unsigned long was = t->added;
			tr_escape(t);
			if (t->added == was)
				run_end(t);
			atom(t);
			break;
		}
		case '[':
			tr_class(t);
			run_end(t);
			atom(t);
			break;
		case '(': {
			run_end(t);
			size_t before = t->out.len;
			if (t->i < t->len && t->s[t->i] == '?') {
				t->i++;
				tr_group_ext(t);
			} else {
				put(t, "(");
			}
			/* a group was opened (not a comment) */
			if (t->out.len > before) {
				t->can_repeat = 0;
				if (t->depth >= MAX_GROUPS) {
					tr_fail(t, VG_EUNSUPPORTED,
					        "groups nested deeper than 64");
					break;
				}
				t->outer[t->depth++] = t->cur;
				t->cur = 0;
			}
			break;
		}
		case ')':
			run_end(t);
			emit_byte_in_cls(t, c);
			if (t->depth) {
				t->last = t->cur;
				t->cur = t->outer[--t->depth] + t->last;
			}
			t->can_repeat = 1;
			break;
		case '*':
		case '+':
		case '?':
			if (!quantifiable(t))
				break;
			run_quant(t, c != '+');
			emit_byte_in_cls(t, c);
			quant_suffix(t);
			break;
		case '{':
			n = valid_interval(t->s + t->i - 1, t->len - t->i + 1);
			if (n && quantifiable(t)) {
				unsigned long hi = 0, lo = 0;
				size_t k = t->i;
				while (t->s[k] >= '0' && t->s[k] <= '9' &&
				       lo <= MAX_COUNT)
					lo = lo * 10 +
					     (unsigned long)(t->s[k++] - '0');
				while (t->s[k] == ',' ||
				       (t->s[k] >= '0' && t->s[k] <= '9')) {
					if (t->s[k] != ',' && hi <= MAX_COUNT)
						hi = hi * 10 +
						     (unsigned long)(t->s[k] -
						                     '0');
					k++;
				}
				repeat(t, hi > lo ? hi : lo);
				run_quant(t, lo == 0);
				if (vg_buf_append(&t->out, t->s + t->i - 1,
				                  (size_t)n))
					tr_fail(t, VG_ENOMEM, "out of memory");
				t->i += (size_t)n - 1;
				quant_suffix(t);
			} else {
				put(t, "\\{");
				run_add(t, '{');
				atom(t);
			}
			break;
		case '.':
			run_end(t);
			emit_byte_in_cls(t, c);
			atom(t);
			break;
		case '|':
			if (!t->depth)
				t->alt0 = 1;
			/* fall through */
		case '^':
		case '$':
			run_end(t);
			emit_byte_in_cls(t, c);
			t->can_repeat = 0;
			break;
		default:
			put_lit(t, c);
			run_add(t, c);
			atom(t);
			break;
		}
	}
}

int vg__regex_compile(const char *re, size_t len, void **out, const char **why,
                      char *buf, size_t buflen)
{
	struct tr t = {.s = re, .len = len};
	int icase = 0, rc;
	struct re *r = NULL;

	vg_buf_init(&t.out, 0);
	translate(&t, &icase);
	if (!t.rc && vg_buf_putc(&t.out, '\0'))
		tr_fail(&t, VG_ENOMEM, "out of memory");
	if (t.rc) {
		rc = t.rc;
		*why = t.why;
		goto out;
	}
	run_end(&t);
	r = calloc(1, sizeof(*r));
	if (!r) {
		rc = VG_ENOMEM;
		goto out;
	}
	int e = regcomp(&r->re, t.out.data,
	                REG_EXTENDED | REG_NOSUB | (icase ? REG_ICASE : 0));
	if (e) {
		rc = e == REG_ESPACE ? VG_ENOMEM : VG_EINVAL;
		regerror(e, &r->re, buf, buflen);
		/* glibc's messages start upper case; ours do not. */
		if (buflen && buf[0] >= 'A' && buf[0] <= 'Z')
			buf[0] = (char)(buf[0] - 'A' + 'a');
		*why = buf;
		free(r);
		r = NULL;
		goto out;
	}
	if (!icase && !t.alt0 && t.best_len >= 2) {
		memcpy(r->lit, t.best, t.best_len);
		r->lit_len = t.best_len;
	}
	*out = r;
	r = NULL;
	rc = VG_OK;
out:
	vg_buf_release(&t.out);
	return rc;
}

int vg__regex_match(const void *re, const char *s, size_t len)
{
	const struct re *r = re;
	if (r->lit_len && !vg__contains(s, len, r->lit, r->lit_len))
		return 0;
#ifdef REG_STARTEND
	regmatch_t m[1] = {{0, (regoff_t)len}};
	return regexec(&r->re, s, 1, m, REG_STARTEND) == 0;
#else
	return regexec(&r->re, s, 0, NULL, 0) == 0;
#endif
}

void vg__regex_free(void *re)
{
	struct re *r = re;
	if (!r)
		return;
	regfree(&r->re);
	free(r);
}
