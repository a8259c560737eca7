/* The STIX 2.1 pattern grammar [9.3] (oasis-open's STIXPattern.g4) as a
 * recursive-descent parser that builds the compiled pattern, with the
 * checks the grammar leaves to the text: literals [9.2], operand types
 * [9.4], qualifiers [9.6]. Every refusal names the column and a reason. */
#include "vigil/util/buf.h"
#include "vigil/util/error.h"

#include "pat_lex.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vec {
	void **v;
	size_t n, cap;
};

static int vec_push(struct vec *a, void *x)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 8;
		void **v = realloc(a->v, cap * sizeof(*v));
		if (!v)
			return VG_ENOMEM;
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n++] = x;
	return VG_OK;
}

struct ps {
	struct vg__lexer lx;
	struct vg__token tok;
	struct vg_pattern *p;
	struct vg_pattern_error *err;
	struct vec cmps, leaves;
	int depth;
};

static void set_err(struct ps *ps, size_t off, const char *sec,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void set_err(struct ps *ps, size_t off, const char *sec,
                    const char *fmt, ...)
{
	struct vg_pattern_error *e = ps->err;
	if (!e)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->reason, sizeof(e->reason), fmt, ap);
	va_end(ap);
	e->offset = off;
	e->section = sec;
	/* Columns count characters: every byte but UTF-8 continuations. */
	e->column = 1;
	for (size_t i = 0; i < off && i < ps->lx.len; i++)
		e->column += ((unsigned char)ps->lx.s[i] & 0xc0) != 0x80;
}

#define FAIL(ps, off, sec, ...)                                                \
	(set_err((ps), (off), (sec), __VA_ARGS__), VG_EINVAL)

/* "'text'" of the current token for messages, or "the end". */
static const char *found(struct ps *ps, char *buf, size_t n)
{
	const struct vg__token *t = &ps->tok;
	if (t->kind == VG__T_EOF)
		return "the end of the pattern";
	size_t k = 0, max = t->len > 24 ? 24 : t->len;
	buf[k++] = '\'';
	for (size_t i = 0; i < max && k + 6 < n; i++) {
		unsigned char c = (unsigned char)ps->lx.s[t->off + i];
		if (c < 0x20 || c == 0x7f)
			k += (size_t)snprintf(buf + k, n - k, "\\x%02x", c);
		else
			buf[k++] = (char)c;
	}
	if (max < t->len && k + 4 < n) {
		memcpy(buf + k, "...", 3);
		k += 3;
	}
	buf[k++] = '\'';
	buf[k] = '\0';
	return buf;
}

/* Refuse the current token: "expected X, found Y". */
static int expected(struct ps *ps, const char *what)
{
	char b[64];
	const struct vg__token *t = &ps->tok;
	if ((t->kind == VG__T_IDENT || t->kind == VG__T_BOOL) &&
	    vg__keyword_like(ps->lx.s + t->off, t->len))
		return FAIL(ps, t->off, "9.3",
		            "expected %s, found %s (keywords are upper case)",
		            what, found(ps, b, sizeof(b)));
	return FAIL(ps, t->off, "9.3", "expected %s, found %s", what,
	            found(ps, b, sizeof(b)));
}

static int next(struct ps *ps)
{
	if (vg__lex_next(&ps->lx, &ps->tok) == VG_OK)
		return VG_OK;
	unsigned char c = (unsigned char)ps->lx.s[ps->lx.err_off];
	if (strcmp(ps->lx.err, "unexpected character") == 0)
		return FAIL(ps, ps->lx.err_off, "9.3",
		            c >= 0x20 && c < 0x7f ? "%s '%c'" : "%s '\\x%02x'",
		            ps->lx.err, c);
	return FAIL(ps, ps->lx.err_off, "9.2", "%s", ps->lx.err);
}

static int expect(struct ps *ps, enum vg__tok k, const char *what)
{
	if (ps->tok.kind != k)
		return expected(ps, what);
	return next(ps);
}

static void *alloc(struct ps *ps, size_t n)
{
	return vg__arena_alloc(&ps->p->arena, n);
}

/* Copy a vector of children into the arena. */
static void **kids_of(struct ps *ps, struct vec *v)
{
	void **k = alloc(ps, v->n * sizeof(*k));
	if (k)
		memcpy(k, v->v, v->n * sizeof(*k));
	return k;
}

/* ---- literals [9.2] ------------------------------------------------- */

static int is_literal(enum vg__tok k)
{
	return k == VG__T_STRING || k == VG__T_INT || k == VG__T_INT_NEG ||
	       k == VG__T_FLOAT || k == VG__T_FLOAT_NEG || k == VG__T_BIN ||
	       k == VG__T_HEX || k == VG__T_TS || k == VG__T_BOOL;
}

/* Unescape a string body s[0..n) into the arena; *out_len its length. */
static char *unescape(struct ps *ps, const char *s, size_t n, size_t *out_len)
{
	char *d = alloc(ps, n + 1);
	size_t k = 0;
	if (!d)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\')
			i++; /* the lexer allowed only \' and \\ */
		d[k++] = s[i];
	}
	d[k] = '\0';
	*out_len = k;
	return d;
}

/* Decode the current literal token into *l and advance. */
static int literal(struct ps *ps, struct vg__lit *l)
{
	const struct vg__token t = ps->tok;
	const char *s = ps->lx.s + t.off;
	char buf[64];

	memset(l, 0, sizeof(*l));
	l->text = s;
	l->text_len = t.len;
	switch (t.kind) {
	case VG__T_STRING:
		l->kind = VG_PAT_STRING;
		l->s = unescape(ps, s + 1, t.len - 2, &l->len);
		if (!l->s)
			return VG_ENOMEM;
		l->text = l->s;
		l->text_len = l->len;
		break;
	case VG__T_INT:
	case VG__T_INT_NEG: {
		int neg = s[0] == '-';
		size_t i = (s[0] == '-' || s[0] == '+');
		uint64_t v = 0, lim = neg ? (uint64_t)INT64_MAX + 1 : INT64_MAX;
		for (; i < t.len; i++) {
			unsigned d = (unsigned)(s[i] - '0');
			if (v > (lim - d) / 10)
				return FAIL(ps, t.off, "9.2",
				            "integer out of range");
			v = v * 10 + d;
		}
		l->kind = VG_PAT_INT;
		l->i = neg ? (int64_t)(0 - v) : (int64_t)v;
		l->f = (double)l->i;
		break;
	}
	case VG__T_FLOAT:
	case VG__T_FLOAT_NEG:
		if (t.len >= sizeof(buf))
			return FAIL(ps, t.off, "9.2", "number too long");
		memcpy(buf, s, t.len);
		buf[t.len] = '\0';
		l->kind = VG_PAT_FLOAT;
		l->f = strtod(buf, NULL);
		if (!isfinite(l->f))
			return FAIL(ps, t.off, "9.2", "number out of range");
		break;
	case VG__T_BIN:
	case VG__T_HEX: {
		unsigned char *d = alloc(ps, t.len + 1);
		if (!d)
			return VG_ENOMEM;
		long n = t.kind == VG__T_BIN
		             ? vg__b64_decode(s + 2, t.len - 3, d)
		             : vg__hex_decode(s + 2, t.len - 3, d);
		if (n < 0 || (t.kind == VG__T_BIN && n == 0))
			return FAIL(ps, t.off, "9.2",
			            t.kind == VG__T_BIN
			                ? "invalid binary literal (base64 in "
			                  "groups of four)"
			                : "invalid hex literal (pairs of hex "
			                  "digits)");
		l->kind = t.kind == VG__T_BIN ? VG_PAT_BINARY : VG_PAT_HEX;
		l->s = (const char *)d;
		l->len = (size_t)n;
		l->text = s + 2;
		l->text_len = t.len - 3;
		break;
	}
	case VG__T_TS:
		if (vg__time_parse_n(s + 2, t.len - 3, &l->t))
			return FAIL(ps, t.off, "9.2",
			            "invalid timestamp literal "
			            "(t'YYYY-MM-DDTHH:MM:SS[.s+]Z', a real date)");
		l->kind = VG_PAT_TIMESTAMP;
		l->text = s + 2;
		l->text_len = t.len - 3;
		break;
	case VG__T_BOOL:
		l->kind = VG_PAT_BOOL;
		l->b = s[0] == 't';
		break;
	default: return expected(ps, "a literal");
	}
	return next(ps);
}

/* ---- object paths [9.3] --------------------------------------------- */

static int ends_with(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);
	return n >= k && memcmp(s + n - k, suf, k) == 0;
}

static int plain_name(const char *s, size_t n)
{
	if (!n || !((s[0] >= 'a' && s[0] <= 'z') ||
	            (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_'))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

static int text_add(struct vg_buf *b, const char *s, size_t n, int fold)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (fold && c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (vg_buf_putc(b, c))
			return VG_ENOMEM;
	}
	return VG_OK;
}

/* One key step: the current token is an identifier or a quoted name. */
static int path_key(struct ps *ps, struct vg__path *p, struct vec *steps,
                    struct vg_buf *text, const char *parent)
{
	const struct vg__token t = ps->tok;
	const char *s = ps->lx.s + t.off;
	size_t n = t.len;
	struct vg__step *st = alloc(ps, sizeof(*st));
	if (!st)
		return VG_ENOMEM;
	if (t.kind == VG__T_STRING) {
		st->key = unescape(ps, s + 1, n - 2, &n);
		if (!st->key)
			return VG_ENOMEM;
		if (memchr(st->key, '\0', n))
			return FAIL(ps, t.off, "9.3",
			            "property name holds a NUL byte");
	} else if (t.kind == VG__T_IDENT) {
		st->key = vg__arena_strndup(&ps->p->arena, s, n);
		if (!st->key)
			return VG_ENOMEM;
	} else if (t.kind == VG__T_IDENT_H) {
		return FAIL(ps, t.off, "9.3",
		            "a property name with '-' must be quoted: '%.*s'",
		            (int)(n > 40 ? 40 : n), s);
	} else {
		return expected(ps, "a property name");
	}
	st->kind = VG__STEP_KEY;
	/* Hash names vary in case between producers (md5, MD5): inside
	 * 'hashes' they compare without case (docs/patterns.md). */
	st->fold = parent && strcmp(parent, "hashes") == 0;
	st->deref = ends_with(st->key, n, "_ref")    ? 1
	            : ends_with(st->key, n, "_refs") ? 2
	                                             : 0;
	p->bin = ends_with(st->key, n, "_bin")   ? 1
	         : ends_with(st->key, n, "_hex") ? 2
	                                         : 0;
	p->fold = st->fold;
	int rc = VG_OK;
	if (text->len)
		rc = vg_buf_putc(text, '.');
	if (!rc && plain_name(st->key, n)) {
		rc = text_add(text, st->key, n, st->fold);
	} else if (!rc) {
		rc = vg_buf_putc(text, '\'');
		for (size_t i = 0; !rc && i < n; i++) {
			if (st->key[i] == '\'' || st->key[i] == '\\')
				rc = vg_buf_putc(text, '\\');
			if (!rc)
				rc = text_add(text, st->key + i, 1, st->fold);
		}
		if (!rc)
			rc = vg_buf_putc(text, '\'');
	}
	if (!rc)
		rc = vec_push(steps, st);
	if (rc)
		return VG_ENOMEM;
	return next(ps);
}

static int path_index(struct ps *ps, struct vg__path *p, struct vec *steps,
                      struct vg_buf *text)
{
	struct vg__step *st = alloc(ps, sizeof(*st));
	int rc;
	if (!st)
		return VG_ENOMEM;
	if ((rc = next(ps))) /* the '[' */
		return rc;
	const struct vg__token t = ps->tok;
	if (t.kind == VG__T_STAR) {
		st->kind = VG__STEP_STAR;
		rc = vg_buf_puts(text, "[*]");
	} else if (t.kind == VG__T_INT || t.kind == VG__T_INT_NEG) {
		struct vg__lit l;
		if ((rc = literal(ps, &l)))
			return rc;
		st->kind = VG__STEP_INDEX;
		st->index = l.i;
		rc = vg_buf_printf(text, "[%lld]", (long long)l.i);
		if (!rc)
			rc = vec_push(steps, st);
		if (rc)
			return VG_ENOMEM;
		p->bin = 0;
		p->fold = 0;
		return expect(ps, VG__T_RBRACK, "']'");
	} else {
		return expected(ps, "a list index or '*'");
	}
	if (!rc)
		rc = vec_push(steps, st);
	if (rc)
		return VG_ENOMEM;
	p->bin = 0;
	p->fold = 0;
	if ((rc = next(ps)))
		return rc;
	return expect(ps, VG__T_RBRACK, "']'");
}

static int path(struct ps *ps, struct vg__path *p)
{
	struct vec steps = {0};
	struct vg_buf text;
	int rc;

	vg_buf_init(&text, 0);
	if (ps->tok.kind != VG__T_IDENT && ps->tok.kind != VG__T_IDENT_H) {
		rc = expected(ps, "an object path, '(' or 'EXISTS'");
		goto out;
	}
	p->type = vg__arena_strndup(&ps->p->arena, ps->lx.s + ps->tok.off,
	                            ps->tok.len);
	rc = p->type ? next(ps) : VG_ENOMEM;
	if (!rc)
		rc = expect(ps, VG__T_COLON, "':' after the object type");
	if (!rc)
		rc = path_key(ps, p, &steps, &text, NULL);
	while (!rc &&
	       (ps->tok.kind == VG__T_DOT || ps->tok.kind == VG__T_LBRACK)) {
		if (ps->tok.kind == VG__T_LBRACK) {
			rc = path_index(ps, p, &steps, &text);
			continue;
		}
		const struct vg__step *last = steps.v[steps.n - 1];
		rc = next(ps);
		if (!rc)
			rc = path_key(ps, p, &steps, &text,
			              last->kind == VG__STEP_KEY ? last->key
			                                         : NULL);
	}
	if (rc)
		goto out;
	p->steps = alloc(ps, steps.n * sizeof(*p->steps));
	p->text = vg__arena_strndup(&ps->p->arena, text.data ? text.data : "",
	                            text.len);
	if (!p->steps || !p->text) {
		rc = VG_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < steps.n; i++)
		p->steps[i] = *(struct vg__step *)steps.v[i];
	p->n_steps = steps.n;
out:
	free(steps.v);
	vg_buf_release(&text);
	return rc;
}

/* ---- comparisons [9.4] ---------------------------------------------- */

/* The digits a hash value must have, by algorithm (hashing-algorithm-ov;
 * the OASIS validator checks the same), or 0 when not checked. */
static size_t hash_digits(const char *alg)
{
	static const struct {
		const char *name;
		size_t n;
	} algs[] = {{"md5", 32},      {"sha-1", 40},    {"sha1", 40},
	            {"sha-256", 64},  {"sha256", 64},   {"sha-512", 128},
	            {"sha512", 128},  {"sha3-256", 64}, {"sha3-512", 128},
	            {"sha-224", 56},  {"sha-384", 96},  {"sha3-224", 56},
	            {"sha3-384", 96}, {"ripemd-160", 40}};
	for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++)
		if (strcmp(alg, algs[i].name) == 0)
			return algs[i].n;
	return 0;
}

static int check_hash(struct ps *ps, const struct vg__cmp *c, size_t off)
{
	const struct vg__step *st = &c->path.steps[c->path.n_steps - 1];
	const struct vg__lit *l = &c->lits[0];
	if (!c->path.fold || st->kind != VG__STEP_KEY || l->kind != VG_PAT_STRING)
		return VG_OK;
	char alg[16];
	size_t k = 0;
	for (; st->key[k] && k + 1 < sizeof(alg); k++)
		alg[k] = (char)(st->key[k] >= 'A' && st->key[k] <= 'Z'
		                    ? st->key[k] - 'A' + 'a'
		                    : st->key[k]);
	alg[k] = '\0';
	size_t want = hash_digits(alg);
	int ok = !want || l->len == want;
	for (size_t i = 0; ok && want && i < l->len; i++)
		ok = (l->s[i] >= '0' && l->s[i] <= '9') ||
		     ((l->s[i] | 0x20) >= 'a' && (l->s[i] | 0x20) <= 'f');
	if (!ok)
		return FAIL(ps, off, "9.4", "'%.*s' is not a valid %s hash",
		            (int)(l->len > 40 ? 40 : l->len), l->s, st->key);
	return VG_OK;
}

static const char *op_name(int op)
{
	static const char *const names[] = {
	    "=",  "!=", "<",       "<=",       ">",          ">=",
	    "IN", "LIKE", "MATCHES", "ISSUBSET", "ISSUPERSET", "EXISTS"};
	return names[op];
}

static int set_literal(struct ps *ps, struct vg__cmp *c)
{
	struct vec v = {0};
	int rc = expect(ps, VG__T_LPAREN, "'(' after IN");
	while (!rc && ps->tok.kind != VG__T_RPAREN) {
		if (v.n && (rc = expect(ps, VG__T_COMMA, "',' or ')'")))
			break;
		size_t off = ps->tok.off;
		struct vg__lit *l = alloc(ps, sizeof(*l));
		if (!l) {
			rc = VG_ENOMEM;
			break;
		}
		if (!is_literal(ps->tok.kind)) {
			rc = expected(ps, v.n ? "a literal" : "a literal or ')'");
			break;
		}
		if ((rc = literal(ps, l)) || (rc = vec_push(&v, l)))
			break;
		const struct vg__lit *f = v.v[0];
		int num_f = f->kind == VG_PAT_INT || f->kind == VG_PAT_FLOAT;
		int num_l = l->kind == VG_PAT_INT || l->kind == VG_PAT_FLOAT;
		if (f->kind != l->kind && !(num_f && num_l)) {
			rc = FAIL(ps, off, "9.4",
			          "set members must all be of one type");
			break;
		}
	}
	if (!rc)
		rc = next(ps);
	if (!rc) {
		c->lits = alloc(ps, (v.n ? v.n : 1) * sizeof(*c->lits));
		if (!c->lits)
			rc = VG_ENOMEM;
		for (size_t i = 0; !rc && i < v.n; i++)
			c->lits[i] = *(struct vg__lit *)v.v[i];
		c->n_lits = v.n;
	}
	free(v.v);
	return rc;
}

/* The operator's operand, and its compiled form. */
static int operand(struct ps *ps, struct vg__cmp *c, size_t op_off)
{
	size_t off = ps->tok.off;
	int rc;
	char buf[128];

	if (c->op == VG_PAT_IN)
		return set_literal(ps, c);
	if (!is_literal(ps->tok.kind))
		return expected(ps, "a literal");
	c->lits = alloc(ps, sizeof(*c->lits));
	if (!c->lits)
		return VG_ENOMEM;
	c->n_lits = 1;
	if ((rc = literal(ps, c->lits)))
		return rc;
	const struct vg__lit *l = c->lits;
	switch (c->op) {
	case VG_PAT_EQ:
	case VG_PAT_NE: return check_hash(ps, c, off);
	case VG_PAT_LT:
	case VG_PAT_LE:
	case VG_PAT_GT:
	case VG_PAT_GE:
		if (l->kind == VG_PAT_BOOL)
			return FAIL(ps, off, "9.4",
			            "'%s' needs an orderable literal, not a "
			            "boolean",
			            op_name(c->op));
		return VG_OK;
	default: break;
	}
	if (l->kind != VG_PAT_STRING)
		return FAIL(ps, off, "9.4", "%s needs a string literal",
		            op_name(c->op));
	if (c->op == VG_PAT_LIKE)
		return vg__like_compile(&ps->p->arena, l->s, l->len, &c->like);
	if (c->op == VG_PAT_ISSUBSET || c->op == VG_PAT_ISSUPERSET) {
		if (vg__cidr_parse(l->s, l->len, &c->cidr))
			return FAIL(ps, off, "9.4",
			            "%s needs an IPv4 or IPv6 address or CIDR "
			            "block",
			            op_name(c->op));
		return VG_OK;
	}
	/* MATCHES */
	const char *why = "";
	rc = vg__regex_compile(l->s, l->len, &c->regex, &why, buf,
	                       sizeof(buf));
	if (rc == VG_EINVAL)
		return FAIL(ps, off, "9.4", "invalid regular expression: %s",
		            why);
	if (rc == VG_EUNSUPPORTED) {
		c->never = 1;
		if (!ps->p->unsupported) {
			char m[200];
			struct vg_pattern_error *save = ps->err, e;
			ps->err = &e;
			set_err(ps, op_off, "9.4", "x");
			ps->err = save;
			snprintf(m, sizeof(m),
			         "MATCHES at column %zu uses %s, which vigil "
			         "cannot evaluate: it never matches",
			         e.column, why);
			ps->p->unsupported =
			    vg__arena_strndup(&ps->p->arena, m, strlen(m));
			if (!ps->p->unsupported)
				return VG_ENOMEM;
		}
		return VG_OK;
	}
	return rc;
}

static int cmp_op(enum vg__tok k)
{
	switch (k) {
	case VG__T_EQ: return VG_PAT_EQ;
	case VG__T_NEQ: return VG_PAT_NE;
	case VG__T_LT: return VG_PAT_LT;
	case VG__T_LE: return VG_PAT_LE;
	case VG__T_GT: return VG_PAT_GT;
	case VG__T_GE: return VG_PAT_GE;
	case VG__T_IN: return VG_PAT_IN;
	case VG__T_LIKE: return VG_PAT_LIKE;
	case VG__T_MATCHES: return VG_PAT_MATCHES;
	case VG__T_ISSUBSET: return VG_PAT_ISSUBSET;
	case VG__T_ISSUPERSET: return VG_PAT_ISSUPERSET;
	default: return -1;
	}
}

static int cx_or(struct ps *ps, struct vg__cx **out);

static int prop_test(struct ps *ps, struct vg__cx **out)
{
	int rc;
	if (ps->tok.kind == VG__T_LPAREN) {
		if (++ps->depth > VG__MAX_DEPTH)
			return FAIL(ps, ps->tok.off, "9.3",
			            "nested too deeply");
		if ((rc = next(ps)) || (rc = cx_or(ps, out)))
			return rc;
		ps->depth--;
		return expect(ps, VG__T_RPAREN, "')'");
	}
	struct vg__cmp *c = alloc(ps, sizeof(*c));
	struct vg__cx *x = alloc(ps, sizeof(*x));
	if (!c || !x)
		return VG_ENOMEM;
	x->kind = VG__CX_CMP;
	x->cmp = c;
	/* Listed before it is complete, so vg_pattern_free finds a regex
	 * compiled just before a later failure. */
	if (vec_push(&ps->cmps, c))
		return VG_ENOMEM;
	if (ps->tok.kind == VG__T_NOT || ps->tok.kind == VG__T_EXISTS) {
		if (ps->tok.kind == VG__T_NOT) {
			c->negated = 1;
			if ((rc = next(ps)))
				return rc;
			if (ps->tok.kind != VG__T_EXISTS)
				return expected(ps, "'EXISTS' after 'NOT'");
		}
		c->op = VG_PAT_EXISTS;
		if ((rc = next(ps)) || (rc = path(ps, &c->path)))
			return rc;
	} else {
		if ((rc = path(ps, &c->path)))
			return rc;
		if (ps->tok.kind == VG__T_NOT) {
			c->negated = 1;
			if ((rc = next(ps)))
				return rc;
		}
		int op = cmp_op(ps->tok.kind);
		if (op < 0)
			return expected(ps, "a comparison operator");
		c->op = (unsigned char)op;
		size_t op_off = ps->tok.off;
		if ((rc = next(ps)) || (rc = operand(ps, c, op_off)))
			return rc;
	}
	*out = x;
	return VG_OK;
}

/* AND (and = 1) or OR chains of comparisons, n-ary. */
static int cx_chain(struct ps *ps, struct vg__cx **out, int and)
{
	struct vec v = {0};
	struct vg__cx *x = NULL;
	enum vg__tok k = and ? VG__T_AND : VG__T_OR;
	int rc = and ? prop_test(ps, &x) : cx_chain(ps, &x, 1);
	while (!rc && ps->tok.kind == k) {
		if ((rc = vec_push(&v, x)) || (rc = next(ps)))
			break;
		rc = and ? prop_test(ps, &x) : cx_chain(ps, &x, 1);
	}
	if (!rc && v.n) {
		struct vg__cx *n = alloc(ps, sizeof(*n));
		if (!n || vec_push(&v, x)) {
			rc = VG_ENOMEM;
		} else {
			n->kind = and ? VG__CX_AND : VG__CX_OR;
			n->n_kids = v.n;
			n->kids = (struct vg__cx **)kids_of(ps, &v);
			rc = n->kids ? VG_OK : VG_ENOMEM;
			x = n;
		}
	}
	if (!rc)
		*out = x;
	free(v.v);
	return rc;
}

static int cx_or(struct ps *ps, struct vg__cx **out)
{
	return cx_chain(ps, out, 0);
}

/* ---- observation expressions [9.5, 9.6] ----------------------------- */

static int ox_fb(struct ps *ps, struct vg__ox **out);

static int ox_primary(struct ps *ps, struct vg__ox **out, int *simple)
{
	int rc;
	int bracket = ps->tok.kind == VG__T_LBRACK;
	if (!bracket && ps->tok.kind != VG__T_LPAREN)
		return expected(ps, "'[' or '('");
	if (++ps->depth > VG__MAX_DEPTH)
		return FAIL(ps, ps->tok.off, "9.3", "nested too deeply");
	if ((rc = next(ps)))
		return rc;
	*simple = bracket;
	if (!bracket) {
		if ((rc = ox_fb(ps, out)))
			return rc;
		ps->depth--;
		return expect(ps, VG__T_RPAREN, "')'");
	}
	struct vg__ox *x = alloc(ps, sizeof(*x));
	if (!x)
		return VG_ENOMEM;
	x->kind = VG__OX_LEAF;
	x->leaf = ps->leaves.n;
	if ((rc = cx_or(ps, &x->cx)))
		return rc;
	if (vec_push(&ps->leaves, x))
		return VG_ENOMEM;
	ps->depth--;
	*out = x;
	return expect(ps, VG__T_RBRACK, "']'");
}

static struct vg_pattern_time seconds(const struct vg__lit *l)
{
	struct vg_pattern_time d;
	if (l->kind == VG_PAT_INT) {
		d.sec = l->i;
		d.nsec = 0;
	} else {
		double s = floor(l->f);
		d.sec = (int64_t)s;
		d.nsec = (int32_t)((l->f - s) * 1e9);
	}
	return d;
}

static int qualifier(struct ps *ps, struct vg__ox *q)
{
	struct vg__lit a, b;
	size_t off;
	int rc = next(ps); /* the keyword */
	if (rc)
		return rc;
	off = ps->tok.off;
	switch (q->kind) {
	case VG__OX_WITHIN:
		if (ps->tok.kind != VG__T_INT && ps->tok.kind != VG__T_FLOAT)
			return expected(ps, "a positive number of seconds");
		if ((rc = literal(ps, &a)))
			return rc;
		if (a.f <= 0 || a.f > 1e15)
			return FAIL(ps, off, "9.6",
			            "WITHIN needs a positive number of seconds "
			            "(at most 10^15)");
		q->dur = seconds(&a);
		return expect(ps, VG__T_SECONDS,
		              "'SECONDS' (the only unit of WITHIN)");
	case VG__OX_REPEATS:
		if (ps->tok.kind != VG__T_INT)
			return expected(ps, "a positive integer");
		if ((rc = literal(ps, &a)))
			return rc;
		if (a.i < 1)
			return FAIL(ps, off, "9.6",
			            "REPEATS needs a count of at least 1");
		q->repeats = (uint64_t)a.i;
		return expect(ps, VG__T_TIMES, "'TIMES'");
	default: break;
	}
	if (ps->tok.kind != VG__T_TS)
		return expected(ps, "a timestamp t'...'");
	if ((rc = literal(ps, &a)) ||
	    (rc = expect(ps, VG__T_STOP, "'STOP'")))
		return rc;
	size_t off2 = ps->tok.off;
	if (ps->tok.kind != VG__T_TS)
		return expected(ps, "a timestamp t'...'");
	if ((rc = literal(ps, &b)))
		return rc;
	if (vg__time_cmp(&a.t, &b.t) >= 0)
		return FAIL(ps, off2, "9.6", "STOP must be later than START");
	q->start = a.t;
	q->stop = b.t;
	return VG_OK;
}

static int ox_qualified(struct ps *ps, struct vg__ox **out)
{
	int simple = 0, rc, seen[3] = {0};
	struct vg__ox *x;
	if ((rc = ox_primary(ps, &x, &simple)))
		return rc;
	for (;;) {
		enum vg__tok k = ps->tok.kind;
		int which = k == VG__T_WITHIN ? 0 : k == VG__T_REPEATS ? 1
		            : k == VG__T_START    ? 2
		                                  : -1;
		if (which < 0)
			break;
		/* As the OASIS validator: one qualifier of each kind directly
		 * on [ ... ]; a parenthesised group may stack them. */
		if (simple && seen[which]++) {
			static const char *const kw[] = {"WITHIN", "REPEATS",
			                                 "START/STOP"};
			return FAIL(ps, ps->tok.off, "9.6",
			            "duplicate %s qualifier", kw[which]);
		}
		struct vg__ox *q = alloc(ps, sizeof(*q));
		if (!q)
			return VG_ENOMEM;
		q->kind = which == 0   ? VG__OX_WITHIN
		          : which == 1 ? VG__OX_REPEATS
		                       : VG__OX_STARTSTOP;
		q->kids = alloc(ps, sizeof(*q->kids));
		if (!q->kids)
			return VG_ENOMEM;
		q->kids[0] = x;
		q->n_kids = 1;
		if ((rc = qualifier(ps, q)))
			return rc;
		x = q;
	}
	*out = x;
	return VG_OK;
}

/* Chains of observation expressions: level 0 FOLLOWEDBY, 1 OR, 2 AND. */
static int ox_chain(struct ps *ps, struct vg__ox **out, int level)
{
	static const enum vg__tok ops[] = {VG__T_FOLLOWEDBY, VG__T_OR,
	                                   VG__T_AND};
	static const unsigned char kinds[] = {VG__OX_FOLLOWEDBY, VG__OX_OR,
	                                      VG__OX_AND};
	struct vec v = {0};
	struct vg__ox *x = NULL;
	int rc = level == 2 ? ox_qualified(ps, &x)
	                    : ox_chain(ps, &x, level + 1);
	while (!rc && ps->tok.kind == ops[level]) {
		if ((rc = vec_push(&v, x)) || (rc = next(ps)))
			break;
		rc = level == 2 ? ox_qualified(ps, &x)
		                : ox_chain(ps, &x, level + 1);
	}
	if (!rc && v.n) {
		struct vg__ox *n = alloc(ps, sizeof(*n));
		if (!n || vec_push(&v, x)) {
			rc = VG_ENOMEM;
		} else {
			n->kind = kinds[level];
			n->n_kids = v.n;
			n->kids = (struct vg__ox **)kids_of(ps, &v);
			rc = n->kids ? VG_OK : VG_ENOMEM;
			x = n;
		}
	}
	if (!rc)
		*out = x;
	free(v.v);
	return rc;
}

static int ox_fb(struct ps *ps, struct vg__ox **out)
{
	return ox_chain(ps, out, 0);
}

/* ---- entry points --------------------------------------------------- */

int vg_pattern_parse(const char *text, size_t len, struct vg_pattern **out,
                     struct vg_pattern_error *err)
{
	struct ps ps = {.lx = {.s = text, .len = len}, .err = err};
	int rc;

	ps.p = calloc(1, sizeof(*ps.p));
	if (!ps.p)
		return VG_ENOMEM;
	if (!text)
		ps.lx.len = 0, ps.lx.s = "";
	rc = next(&ps);
	if (!rc)
		rc = ox_fb(&ps, &ps.p->root);
	if (!rc && ps.tok.kind != VG__T_EOF)
		rc = expected(&ps, ps.p->root && ps.p->root->kind != VG__OX_LEAF
		                       ? "'AND', 'OR', 'FOLLOWEDBY', a "
		                         "qualifier or the end"
		                       : "'AND', 'OR', 'FOLLOWEDBY', "
		                         "'WITHIN', 'REPEATS', 'START' or the "
		                         "end");
	/* The vectors move into the pattern, which frees them. */
	ps.p->cmps = (struct vg__cmp **)ps.cmps.v;
	ps.p->n_cmps = ps.cmps.n;
	ps.p->leaves = (struct vg__ox **)ps.leaves.v;
	ps.p->n_leaves = ps.leaves.n;
	if (rc) {
		vg_pattern_free(ps.p);
		return rc;
	}
	ps.p->simple = ps.p->root->kind == VG__OX_LEAF;
	*out = ps.p;
	return VG_OK;
}

void vg_pattern_free(struct vg_pattern *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_cmps; i++)
		vg__regex_free(p->cmps[i]->regex);
	free(p->cmps);
	free(p->leaves);
	vg__arena_release(&p->arena);
	free(p);
}

void vg_pattern_error_text(const struct vg_pattern_error *e, char *buf,
                           size_t n)
{
	if (n)
		snprintf(buf, n, "%s at column %zu", e->reason, e->column);
}

const char *vg_pattern_unsupported(const struct vg_pattern *p)
{
	return p->unsupported;
}
