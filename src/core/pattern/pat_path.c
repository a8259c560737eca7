/* Literals [9.2] and object paths [9.3] of STIX patterns, for the
 * parser (pat_parse.c): decoded and checked, paths in canonical text. */
#include "vigil/util/buf.h"
#include "vigil/util/error.h"

#include "pat_parse.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int vg__is_literal(enum vg__tok k)
{
	return k == VG__T_STRING || k == VG__T_INT || k == VG__T_INT_NEG ||
	       k == VG__T_FLOAT || k == VG__T_FLOAT_NEG || k == VG__T_BIN ||
	       k == VG__T_HEX || k == VG__T_TS || k == VG__T_BOOL;
}

/* Unescape a string body s[0..n) into the arena; *out_len its length. */
static char *unescape(struct vg__ps *ps, const char *s, size_t n,
                      size_t *out_len)
{
	char *d = vg__ps_alloc(ps, n + 1);
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
int vg__ps_literal(struct vg__ps *ps, struct vg__lit *l)
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
				return VG__FAIL(ps, t.off, "9.2",
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
			return VG__FAIL(ps, t.off, "9.2", "number too long");
		memcpy(buf, s, t.len);
		buf[t.len] = '\0';
		l->kind = VG_PAT_FLOAT;
		l->f = strtod(buf, NULL);
		if (!isfinite(l->f))
			return VG__FAIL(ps, t.off, "9.2",
			                "number out of range");
		break;
	case VG__T_BIN:
	case VG__T_HEX: {
		unsigned char *d = vg__ps_alloc(ps, t.len + 1);
		if (!d)
			return VG_ENOMEM;
		long n = t.kind == VG__T_BIN
		             ? vg__b64_decode(s + 2, t.len - 3, d)
		             : vg__hex_decode(s + 2, t.len - 3, d);
		if (n < 0 || (t.kind == VG__T_BIN && n == 0))
			return VG__FAIL(
			    ps, t.off, "9.2",
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
			return VG__FAIL(
			    ps, t.off, "9.2",
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
	default:
		return vg__ps_expected(ps, "a literal");
	}
	return vg__ps_next(ps);
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
static int path_key(struct vg__ps *ps, struct vg__path *p,
                    struct vg__vec *steps, struct vg_buf *text,
                    const char *parent)
{
	const struct vg__token t = ps->tok;
	const char *s = ps->lx.s + t.off;
	size_t n = t.len;
	struct vg__step *st = vg__ps_alloc(ps, sizeof(*st));
	if (!st)
		return VG_ENOMEM;
	if (t.kind == VG__T_STRING) {
		st->key = unescape(ps, s + 1, n - 2, &n);
		if (!st->key)
			return VG_ENOMEM;
		if (memchr(st->key, '\0', n))
			return VG__FAIL(ps, t.off, "9.3",
			                "property name holds a NUL byte");
	} else if (t.kind == VG__T_IDENT) {
		st->key = vg__arena_strndup(&ps->p->arena, s, n);
		if (!st->key)
			return VG_ENOMEM;
	} else if (t.kind == VG__T_IDENT_H) {
		return VG__FAIL(
		    ps, t.off, "9.3",
		    "a property name with '-' must be quoted: '%.*s'",
		    (int)(n > 40 ? 40 : n), s);
	} else {
		return vg__ps_expected(ps, "a property name");
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
		rc = vg__vec_push(steps, st);
	if (rc)
		return VG_ENOMEM;
	return vg__ps_next(ps);
}

static int path_index(struct vg__ps *ps, struct vg__path *p,
                      struct vg__vec *steps, struct vg_buf *text)
{
	struct vg__step *st = vg__ps_alloc(ps, sizeof(*st));
	int rc;
	if (!st)
		return VG_ENOMEM;
	if ((rc = vg__ps_next(ps))) /* the '[' */
		return rc;
	const struct vg__token t = ps->tok;
	if (t.kind == VG__T_STAR) {
		st->kind = VG__STEP_STAR;
		rc = vg_buf_puts(text, "[*]");
	} else if (t.kind == VG__T_INT || t.kind == VG__T_INT_NEG) {
		struct vg__lit l;
		if ((rc = vg__ps_literal(ps, &l)))
			return rc;
		st->kind = VG__STEP_INDEX;
		st->index = l.i;
		rc = vg_buf_printf(text, "[%lld]", (long long)l.i);
		if (!rc)
			rc = vg__vec_push(steps, st);
		if (rc)
			return VG_ENOMEM;
		p->bin = 0;
		p->fold = 0;
		return vg__ps_expect(ps, VG__T_RBRACK, "']'");
	} else {
		return vg__ps_expected(ps, "a list index or '*'");
	}
	if (!rc)
		rc = vg__vec_push(steps, st);
	if (rc)
		return VG_ENOMEM;
	p->bin = 0;
	p->fold = 0;
	if ((rc = vg__ps_next(ps)))
		return rc;
	return vg__ps_expect(ps, VG__T_RBRACK, "']'");
}

int vg__ps_path(struct vg__ps *ps, struct vg__path *p)
{
	struct vg__vec steps = {0};
	struct vg_buf text;
	int rc;

	vg_buf_init(&text, 0);
	if (ps->tok.kind != VG__T_IDENT && ps->tok.kind != VG__T_IDENT_H) {
		rc = vg__ps_expected(ps, "an object path, '(' or 'EXISTS'");
		goto out;
	}
	p->type = vg__arena_strndup(&ps->p->arena, ps->lx.s + ps->tok.off,
	                            ps->tok.len);
	rc = p->type ? vg__ps_next(ps) : VG_ENOMEM;
	if (!rc)
		rc =
		    vg__ps_expect(ps, VG__T_COLON, "':' after the object type");
	if (!rc)
		rc = path_key(ps, p, &steps, &text, NULL);
	while (!rc &&
	       (ps->tok.kind == VG__T_DOT || ps->tok.kind == VG__T_LBRACK)) {
		if (ps->tok.kind == VG__T_LBRACK) {
			rc = path_index(ps, p, &steps, &text);
			continue;
		}
		const struct vg__step *last = steps.v[steps.n - 1];
		rc = vg__ps_next(ps);
		if (!rc)
			rc = path_key(ps, p, &steps, &text,
			              last->kind == VG__STEP_KEY ? last->key
			                                         : NULL);
	}
	if (rc)
		goto out;
	p->steps = vg__ps_alloc(ps, steps.n * sizeof(*p->steps));
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
