/* The STIX 2.1 pattern grammar [9.3] (oasis-open's STIXPattern.g4) as a
 * recursive-descent parser that builds the compiled pattern, with the
 * checks the grammar leaves to the text: literals [9.2], operand types
 * [9.4], qualifiers [9.6]. Every refusal names the column and a reason. */
#include "vigil/util/buf.h"
#include "vigil/util/error.h"

#include "pat_parse.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int vg__vec_push(struct vg__vec *a, void *x)
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

void vg__ps_error(struct vg__ps *ps, size_t off, const char *sec,
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

/* "'text'" of the current token for messages, or "the end". */
static const char *found(struct vg__ps *ps, char *buf, size_t n)
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
int vg__ps_expected(struct vg__ps *ps, const char *what)
{
	char b[64];
	const struct vg__token *t = &ps->tok;
	if ((t->kind == VG__T_IDENT || t->kind == VG__T_BOOL) &&
	    vg__keyword_like(ps->lx.s + t->off, t->len))
		return VG__FAIL(
		    ps, t->off, "9.3",
		    "expected %s, found %s (keywords are upper case)", what,
		    found(ps, b, sizeof(b)));
	return VG__FAIL(ps, t->off, "9.3", "expected %s, found %s", what,
	                found(ps, b, sizeof(b)));
}

int vg__ps_next(struct vg__ps *ps)
{
	if (vg__lex_next(&ps->lx, &ps->tok) == VG_OK)
		return VG_OK;
	unsigned char c = (unsigned char)ps->lx.s[ps->lx.err_off];
	if (strcmp(ps->lx.err, "unexpected character") == 0)
		return VG__FAIL(ps, ps->lx.err_off, "9.3",
		                c >= 0x20 && c < 0x7f ? "%s '%c'"
		                                      : "%s '\\x%02x'",
		                ps->lx.err, c);
	return VG__FAIL(ps, ps->lx.err_off, "9.2", "%s", ps->lx.err);
}

int vg__ps_expect(struct vg__ps *ps, enum vg__tok k, const char *what)
{
	if (ps->tok.kind != k)
		return vg__ps_expected(ps, what);
	return vg__ps_next(ps);
}

void *vg__ps_alloc(struct vg__ps *ps, size_t n)
{
	return vg__arena_alloc(&ps->p->arena, n);
}

/* Copy a vector of children into the arena. */
static void **kids_of(struct vg__ps *ps, struct vg__vec *v)
{
	void **k = vg__ps_alloc(ps, v->n * sizeof(*k));
	if (k)
		memcpy(k, v->v, v->n * sizeof(*k));
	return k;
}

/* ---- comparisons [9.4] ---------------------------------------------- */

/* The digits a hash value must have, by algorithm (hashing-algorithm-ov;
 * the OASIS validator checks the same), or 0 when not checked. */
static size_t hash_digits(const char *alg)
{
	static const struct {
		const char *name;
		size_t n;
	} algs[] = {{"md5", 32},      {"sha-1", 40},     {"sha1", 40},
	            {"sha-256", 64},  {"sha256", 64},    {"sha-512", 128},
	            {"sha512", 128},  {"sha3-256", 64},  {"sha3-512", 128},
	            {"sha-224", 56},  {"sha-384", 96},   {"sha3-224", 56},
	            {"sha3-384", 96}, {"ripemd-160", 40}};
	for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++)
		if (strcmp(alg, algs[i].name) == 0)
			return algs[i].n;
	return 0;
}

static int check_hash(struct vg__ps *ps, const struct vg__cmp *c, size_t off)
{
	const struct vg__step *st = &c->path.steps[c->path.n_steps - 1];
	const struct vg__lit *l = &c->lits[0];
	if (!c->path.fold || st->kind != VG__STEP_KEY ||
	    l->kind != VG_PAT_STRING)
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
		return VG__FAIL(ps, off, "9.4", "'%.*s' is not a valid %s hash",
		                (int)(l->len > 40 ? 40 : l->len), l->s,
		                st->key);
	return VG_OK;
}

static const char *op_name(int op)
{
	static const char *const names[] = {
	    "=",  "!=",   "<",       "<=",       ">",          ">=",
	    "IN", "LIKE", "MATCHES", "ISSUBSET", "ISSUPERSET", "EXISTS"};
	return names[op];
}

static int set_literal(struct vg__ps *ps, struct vg__cmp *c)
{
	struct vg__vec v = {0};
	int rc = vg__ps_expect(ps, VG__T_LPAREN, "'(' after IN");
	while (!rc && ps->tok.kind != VG__T_RPAREN) {
		if (v.n && (rc = vg__ps_expect(ps, VG__T_COMMA, "',' or ')'")))
			break;
		size_t off = ps->tok.off;
		struct vg__lit *l = vg__ps_alloc(ps, sizeof(*l));
		if (!l) {
			rc = VG_ENOMEM;
			break;
		}
		if (!vg__is_literal(ps->tok.kind)) {
			rc = vg__ps_expected(ps, v.n ? "a literal"
			                             : "a literal or ')'");
			break;
		}
		if ((rc = vg__ps_literal(ps, l)) || (rc = vg__vec_push(&v, l)))
			break;
		const struct vg__lit *f = v.v[0];
		int num_f = f->kind == VG_PAT_INT || f->kind == VG_PAT_FLOAT;
		int num_l = l->kind == VG_PAT_INT || l->kind == VG_PAT_FLOAT;
		if (f->kind != l->kind && !(num_f && num_l)) {
			rc = VG__FAIL(ps, off, "9.4",
			              "set members must all be of one type");
			break;
		}
	}
	if (!rc)
		rc = vg__ps_next(ps);
	if (!rc) {
		c->lits = vg__ps_alloc(ps, (v.n ? v.n : 1) * sizeof(*c->lits));
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
static int operand(struct vg__ps *ps, struct vg__cmp *c, size_t op_off)
{
	size_t off = ps->tok.off;
	int rc;
	char buf[128];

	if (c->op == VG_PAT_IN)
		return set_literal(ps, c);
	if (!vg__is_literal(ps->tok.kind))
		return vg__ps_expected(ps, "a literal");
	c->lits = vg__ps_alloc(ps, sizeof(*c->lits));
	if (!c->lits)
		return VG_ENOMEM;
	c->n_lits = 1;
	if ((rc = vg__ps_literal(ps, c->lits)))
		return rc;
	const struct vg__lit *l = c->lits;
	switch (c->op) {
	case VG_PAT_EQ:
	case VG_PAT_NE:
		return check_hash(ps, c, off);
	case VG_PAT_LT:
	case VG_PAT_LE:
	case VG_PAT_GT:
	case VG_PAT_GE:
		if (l->kind == VG_PAT_BOOL)
			return VG__FAIL(
			    ps, off, "9.4",
			    "'%s' needs an orderable literal, not a "
			    "boolean",
			    op_name(c->op));
		return VG_OK;
	default:
		break;
	}
	if (l->kind != VG_PAT_STRING)
		return VG__FAIL(ps, off, "9.4", "%s needs a string literal",
		                op_name(c->op));
	if (c->op == VG_PAT_LIKE)
		return vg__like_compile(&ps->p->arena, l->s, l->len, &c->like);
	if (c->op == VG_PAT_ISSUBSET || c->op == VG_PAT_ISSUPERSET) {
		if (vg__cidr_parse(l->s, l->len, &c->cidr))
			return VG__FAIL(
			    ps, off, "9.4",
			    "%s needs an IPv4 or IPv6 address or CIDR "
			    "block",
			    op_name(c->op));
		return VG_OK;
	}
	/* MATCHES */
	const char *why = "";
	rc = vg__regex_compile(l->s, l->len, &c->regex, &why, buf, sizeof(buf));
	if (rc == VG_EINVAL)
		return VG__FAIL(ps, off, "9.4",
		                "invalid regular expression: %s", why);
	if (rc == VG_EUNSUPPORTED) {
		c->never = 1;
		if (!ps->p->unsupported) {
			char m[200];
			struct vg_pattern_error *save = ps->err, e;
			ps->err = &e;
			vg__ps_error(ps, op_off, "9.4", "x");
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
	case VG__T_EQ:
		return VG_PAT_EQ;
	case VG__T_NEQ:
		return VG_PAT_NE;
	case VG__T_LT:
		return VG_PAT_LT;
	case VG__T_LE:
		return VG_PAT_LE;
	case VG__T_GT:
		return VG_PAT_GT;
	case VG__T_GE:
		return VG_PAT_GE;
	case VG__T_IN:
		return VG_PAT_IN;
	case VG__T_LIKE:
		return VG_PAT_LIKE;
	case VG__T_MATCHES:
		return VG_PAT_MATCHES;
	case VG__T_ISSUBSET:
		return VG_PAT_ISSUBSET;
	case VG__T_ISSUPERSET:
		return VG_PAT_ISSUPERSET;
	default:
		return -1;
	}
}

static int cx_or(struct vg__ps *ps, struct vg__cx **out);

static int prop_test(struct vg__ps *ps, struct vg__cx **out)
{
	int rc;
	if (ps->tok.kind == VG__T_LPAREN) {
		if (++ps->depth > VG__MAX_DEPTH)
			return VG__FAIL(ps, ps->tok.off, "9.3",
			                "nested too deeply");
		if ((rc = vg__ps_next(ps)) || (rc = cx_or(ps, out)))
			return rc;
		ps->depth--;
		return vg__ps_expect(ps, VG__T_RPAREN, "')'");
	}
	struct vg__cmp *c = vg__ps_alloc(ps, sizeof(*c));
	struct vg__cx *x = vg__ps_alloc(ps, sizeof(*x));
	if (!c || !x)
		return VG_ENOMEM;
	x->kind = VG__CX_CMP;
	x->cmp = c;
	/* Listed before it is complete, so vg_pattern_free finds a regex
	 * compiled just before a later failure. */
	if (vg__vec_push(&ps->cmps, c))
		return VG_ENOMEM;
	if (ps->tok.kind == VG__T_NOT || ps->tok.kind == VG__T_EXISTS) {
		if (ps->tok.kind == VG__T_NOT) {
			c->negated = 1;
			if ((rc = vg__ps_next(ps)))
				return rc;
			if (ps->tok.kind != VG__T_EXISTS)
				return vg__ps_expected(ps,
				                       "'EXISTS' after 'NOT'");
		}
		c->op = VG_PAT_EXISTS;
		if ((rc = vg__ps_next(ps)) || (rc = vg__ps_path(ps, &c->path)))
			return rc;
	} else {
		if ((rc = vg__ps_path(ps, &c->path)))
			return rc;
		if (ps->tok.kind == VG__T_NOT) {
			c->negated = 1;
			if ((rc = vg__ps_next(ps)))
				return rc;
		}
		int op = cmp_op(ps->tok.kind);
		if (op < 0)
			return vg__ps_expected(ps, "a comparison operator");
		c->op = (unsigned char)op;
		size_t op_off = ps->tok.off;
		if ((rc = vg__ps_next(ps)) || (rc = operand(ps, c, op_off)))
			return rc;
	}
	*out = x;
	return VG_OK;
}

/* AND (and = 1) or OR chains of comparisons, n-ary. */
static int cx_chain(struct vg__ps *ps, struct vg__cx **out, int and)
{
	struct vg__vec v = {0};
	struct vg__cx *x = NULL;
	enum vg__tok k = and? VG__T_AND : VG__T_OR;
	int rc = and? prop_test(ps, &x) : cx_chain(ps, &x, 1);
	while (!rc && ps->tok.kind == k) {
		if ((rc = vg__vec_push(&v, x)) || (rc = vg__ps_next(ps)))
			break;
		rc = and? prop_test(ps, &x) : cx_chain(ps, &x, 1);
	}
	if (!rc && v.n) {
		struct vg__cx *n = vg__ps_alloc(ps, sizeof(*n));
		if (!n || vg__vec_push(&v, x)) {
			rc = VG_ENOMEM;
		} else {
			n->kind = and? VG__CX_AND : VG__CX_OR;
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

static int cx_or(struct vg__ps *ps, struct vg__cx **out)
{
	return cx_chain(ps, out, 0);
}

/* ---- observation expressions [9.5, 9.6] ----------------------------- */

static int ox_fb(struct vg__ps *ps, struct vg__ox **out);

static int ox_primary(struct vg__ps *ps, struct vg__ox **out, int *simple)
{
	int rc;
	int bracket = ps->tok.kind == VG__T_LBRACK;
	if (!bracket && ps->tok.kind != VG__T_LPAREN)
		return vg__ps_expected(ps, "'[' or '('");
	if (++ps->depth > VG__MAX_DEPTH)
		return VG__FAIL(ps, ps->tok.off, "9.3", "nested too deeply");
	if ((rc = vg__ps_next(ps)))
		return rc;
	*simple = bracket;
	if (!bracket) {
		if ((rc = ox_fb(ps, out)))
			return rc;
		ps->depth--;
		return vg__ps_expect(ps, VG__T_RPAREN, "')'");
	}
	struct vg__ox *x = vg__ps_alloc(ps, sizeof(*x));
	if (!x)
		return VG_ENOMEM;
	x->kind = VG__OX_LEAF;
	x->leaf = ps->leaves.n;
	if ((rc = cx_or(ps, &x->cx)))
		return rc;
	if (vg__vec_push(&ps->leaves, x))
		return VG_ENOMEM;
	ps->depth--;
	*out = x;
	return vg__ps_expect(ps, VG__T_RBRACK, "']'");
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

static int qualifier(struct vg__ps *ps, struct vg__ox *q)
{
	struct vg__lit a, b;
	size_t off;
	int rc = vg__ps_next(ps); /* the keyword */
	if (rc)
		return rc;
	off = ps->tok.off;
	switch (q->kind) {
	case VG__OX_WITHIN:
		if (ps->tok.kind != VG__T_INT && ps->tok.kind != VG__T_FLOAT)
			return vg__ps_expected(ps,
			                       "a positive number of seconds");
		if ((rc = vg__ps_literal(ps, &a)))
			return rc;
		if (a.f <= 0 || a.f > 1e15)
			return VG__FAIL(
			    ps, off, "9.6",
			    "WITHIN needs a positive number of seconds "
			    "(at most 10^15)");
		q->dur = seconds(&a);
		return vg__ps_expect(ps, VG__T_SECONDS,
		                     "'SECONDS' (the only unit of WITHIN)");
	case VG__OX_REPEATS:
		if (ps->tok.kind != VG__T_INT)
			return vg__ps_expected(ps, "a positive integer");
		if ((rc = vg__ps_literal(ps, &a)))
			return rc;
		if (a.i < 1)
			return VG__FAIL(ps, off, "9.6",
			                "REPEATS needs a count of at least 1");
		q->repeats = (uint64_t)a.i;
		return vg__ps_expect(ps, VG__T_TIMES, "'TIMES'");
	default:
		break;
	}
	if (ps->tok.kind != VG__T_TS)
		return vg__ps_expected(ps, "a timestamp t'...'");
	if ((rc = vg__ps_literal(ps, &a)) ||
	    (rc = vg__ps_expect(ps, VG__T_STOP, "'STOP'")))
		return rc;
	size_t off2 = ps->tok.off;
	if (ps->tok.kind != VG__T_TS)
		return vg__ps_expected(ps, "a timestamp t'...'");
	if ((rc = vg__ps_literal(ps, &b)))
		return rc;
	if (vg__time_cmp(&a.t, &b.t) >= 0)
		return VG__FAIL(ps, off2, "9.6",
		                "STOP must be later than START");
	q->start = a.t;
	q->stop = b.t;
	return VG_OK;
}

static int ox_qualified(struct vg__ps *ps, struct vg__ox **out)
{
	int simple = 0, rc, seen[3] = {0};
	struct vg__ox *x;
	if ((rc = ox_primary(ps, &x, &simple)))
		return rc;
	for (;;) {
		enum vg__tok k = ps->tok.kind;
		int which = k == VG__T_WITHIN    ? 0
		            : k == VG__T_REPEATS ? 1
		            : k == VG__T_START   ? 2
		                                 : -1;
		if (which < 0)
			break;
		/* As the OASIS validator: one qualifier of each kind directly
		 * on [ ... ]; a parenthesised group may stack them. */
		if (simple && seen[which]++) {
			static const char *const kw[] = {"WITHIN", "REPEATS",
			                                 "START/STOP"};
			return VG__FAIL(ps, ps->tok.off, "9.6",
			                "duplicate %s qualifier", kw[which]);
		}
		struct vg__ox *q = vg__ps_alloc(ps, sizeof(*q));
		if (!q)
			return VG_ENOMEM;
		q->kind = which == 0   ? VG__OX_WITHIN
		          : which == 1 ? VG__OX_REPEATS
		                       : VG__OX_STARTSTOP;
		q->kids = vg__ps_alloc(ps, sizeof(*q->kids));
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
static int ox_chain(struct vg__ps *ps, struct vg__ox **out, int level)
{
	static const enum vg__tok ops[] = {VG__T_FOLLOWEDBY, VG__T_OR,
	                                   VG__T_AND};
	static const unsigned char kinds[] = {VG__OX_FOLLOWEDBY, VG__OX_OR,
	                                      VG__OX_AND};
	struct vg__vec v = {0};
	struct vg__ox *x = NULL;
	int rc =
	    level == 2 ? ox_qualified(ps, &x) : ox_chain(ps, &x, level + 1);
	while (!rc && ps->tok.kind == ops[level]) {
		if ((rc = vg__vec_push(&v, x)) || (rc = vg__ps_next(ps)))
			break;
		rc = level == 2 ? ox_qualified(ps, &x)
		                : ox_chain(ps, &x, level + 1);
	}
	if (!rc && v.n) {
		struct vg__ox *n = vg__ps_alloc(ps, sizeof(*n));
		if (!n || vg__vec_push(&v, x)) {
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

static int ox_fb(struct vg__ps *ps, struct vg__ox **out)
{
	return ox_chain(ps, out, 0);
}

/* ---- entry points --------------------------------------------------- */

int vg_pattern_parse(const char *text, size_t len, struct vg_pattern **out,
                     struct vg_pattern_error *err)
{
	struct vg__ps ps = {.lx = {.s = text, .len = len}, .err = err};
	int rc;

	ps.p = calloc(1, sizeof(*ps.p));
	if (!ps.p)
		return VG_ENOMEM;
	if (!text)
		ps.lx.len = 0, ps.lx.s = "";
	rc = vg__ps_next(&ps);
	if (!rc)
		rc = ox_fb(&ps, &ps.p->root);
	if (!rc && ps.tok.kind != VG__T_EOF)
		rc = vg__ps_expected(
		    &ps, ps.p->root && ps.p->root->kind != VG__OX_LEAF
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
