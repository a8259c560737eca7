/* Comparison expressions on SCOs [9.4]: object paths walked through
 * dictionaries, lists ([n], [*]) and references (*_ref, *_refs resolved
 * inside the observation), and each operator on each type of value.
 * Comparisons joined by AND must hold on one and the same SCO (the root
 * object of their paths), as the OASIS matcher has it. */
#include "vigil/util/error.h"

#include "pat_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *vg__sco_type(const cJSON *sco)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(sco, "type");
	return cJSON_IsString(t) ? t->valuestring : NULL;
}

/* The SCO of o that ref names: by "id", or by its key in a 2.0 style
 * "objects" dictionary. */
static const cJSON *resolve(const struct vg_pattern_obs *o, const cJSON *ref)
{
	if (!cJSON_IsString(ref))
		return NULL;
	for (size_t i = 0; i < o->n_scos; i++) {
		const cJSON *s = o->scos[i];
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(s, "id");
		if ((cJSON_IsString(id) &&
		     strcmp(id->valuestring, ref->valuestring) == 0) ||
		    (s->string && strcmp(s->string, ref->valuestring) == 0))
			return s;
	}
	return NULL;
}

static const cJSON *member_nocase(const cJSON *obj, const char *key)
{
	for (const cJSON *c = obj->child; c; c = c->next)
		if (c->string && strcasecmp(c->string, key) == 0)
			return c;
	return NULL;
}

static int walk(const struct vg__path *p, size_t i, const cJSON *v, int refs,
                const struct vg_pattern_obs *o, vg__value_fn fn, void *ud)
{
	if (i == p->n_steps)
		return fn(ud, v);
	const struct vg__step *st = &p->steps[i];
	const cJSON *c;
	int r;
	switch (st->kind) {
	case VG__STEP_KEY:
		if (!cJSON_IsObject(v))
			return 0;
		c = st->fold ? member_nocase(v, st->key)
		             : cJSON_GetObjectItemCaseSensitive(v, st->key);
		if (!c)
			return 0;
		if (st->deref == 1 && !(c = resolve(o, c)))
			return 0;
		return walk(p, i + 1, c, st->deref == 2, o, fn, ud);
	case VG__STEP_INDEX:
		if (!cJSON_IsArray(v) || st->index < 0 || st->index > 1 << 30)
			return 0;
		c = cJSON_GetArrayItem(v, (int)st->index);
		if (!c || (refs && !(c = resolve(o, c))))
			return 0;
		return walk(p, i + 1, c, 0, o, fn, ud);
	default:
		if (!cJSON_IsArray(v))
			return 0;
		for (c = v->child; c; c = c->next) {
			const cJSON *e = refs ? resolve(o, c) : c;
			if (e && (r = walk(p, i + 1, e, 0, o, fn, ud)))
				return r;
		}
		return 0;
	}
}

int vg__path_values(const struct vg__path *p, const cJSON *root,
                    const struct vg_pattern_obs *o, vg__value_fn fn, void *ud)
{
	return walk(p, 0, root, 0, o, fn, ud);
}

/* ---- bytes of values ------------------------------------------------ */

/* Reads the bytes of a string value one at a time: raw code points below
 * 256 (a string compared with binary [9.4]), base64 or hex. */
struct bytes {
	const unsigned char *s;
	size_t n, i;
	int kind; /* 0 code points, 1 base64, 2 hex */
	unsigned char buf[3];
	int bn, bi;
};

static int b64v(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

static int hexv(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The next byte, -1 at the end, -2 when the value has no such bytes. */
static int bytes_next(struct bytes *b)
{
	if (b->bi < b->bn)
		return b->buf[b->bi++];
	if (b->i >= b->n)
		return -1;
	const unsigned char *s = b->s + b->i;
	size_t left = b->n - b->i;
	if (b->kind == 2) {
		if (left < 2 || hexv(s[0]) < 0 || hexv(s[1]) < 0)
			return -2;
		b->i += 2;
		return hexv(s[0]) << 4 | hexv(s[1]);
	}
	if (b->kind == 1) {
		int v[4], pad = 0;
		if (left < 4)
			return -2;
		for (int k = 0; k < 4; k++) {
			if (s[k] == '=' && k >= 2 && left == 4) {
				v[k] = 0;
				pad++;
			} else if (pad || (v[k] = b64v(s[k])) < 0) {
				return -2;
			}
		}
		unsigned long w =
		    (unsigned long)v[0] << 18 | (unsigned long)v[1] << 12 |
		    (unsigned long)v[2] << 6 | (unsigned long)v[3];
		b->buf[0] = (unsigned char)(w >> 16);
		b->buf[1] = (unsigned char)(w >> 8);
		b->buf[2] = (unsigned char)w;
		b->bn = 3 - pad;
		b->bi = 1;
		b->i += 4;
		return b->buf[0];
	}
	/* UTF-8 code point, which must be below 256 */
	if (s[0] < 0x80) {
		b->i++;
		return s[0];
	}
	if ((s[0] == 0xc2 || s[0] == 0xc3) && left >= 2 &&
	    (s[1] & 0xc0) == 0x80) {
		b->i += 2;
		return (s[0] & 0x1f) << 6 | (s[1] & 0x3f);
	}
	return -2;
}

static void bytes_init(struct bytes *b, const char *s, int kind)
{
	memset(b, 0, sizeof(*b));
	b->s = (const unsigned char *)s;
	b->n = strlen(s);
	b->kind = kind;
}

/* Order of two byte sequences; *ok 0 when one has no bytes. */
static int bytes_cmp(struct bytes *a, struct bytes *b, int *ok)
{
	for (;;) {
		int x = bytes_next(a), y = bytes_next(b);
		if (x == -2 || y == -2) {
			*ok = 0;
			return 0;
		}
		if (x != y)
			return x < y ? -1 : 1; /* the end (-1) sorts first */
		if (x == -1)
			return 0;
	}
}

/* ---- one comparison ------------------------------------------------- */

/* <0, 0, >0 as v is below, equal to, above l; *ok 0 when the two are
 * not comparable (other types, a string that is not a timestamp). */
static int compare(const struct vg__cmp *c, const struct vg__lit *l,
                   const cJSON *v, int *ok)
{
	*ok = 1;
	switch (l->kind) {
	case VG_PAT_INT:
	case VG_PAT_FLOAT:
		if (!cJSON_IsNumber(v))
			break;
		return v->valuedouble < l->f ? -1 : v->valuedouble > l->f;
	case VG_PAT_BOOL:
		if (!cJSON_IsBool(v))
			break;
		return cJSON_IsTrue(v) != l->b;
	case VG_PAT_TIMESTAMP: {
		struct vg_pattern_time t;
		if (!cJSON_IsString(v) ||
		    vg_pattern_time_parse(v->valuestring, &t))
			break;
		return vg__time_cmp(&t, &l->t);
	}
	case VG_PAT_STRING:
		if (!cJSON_IsString(v))
			break;
		if (c->path.bin) {
			/* A _bin / _hex property against a string: the
			 * string's code points as bytes. */
			struct bytes a, b;
			bytes_init(&a, v->valuestring, c->path.bin);
			bytes_init(&b, l->s, 0);
			return bytes_cmp(&a, &b, ok);
		}
		if (c->path.fold)
			return strcasecmp(v->valuestring, l->s);
		return strcmp(v->valuestring, l->s);
	default: { /* binary, hex */
		if (!cJSON_IsString(v))
			break;
		struct bytes a;
		bytes_init(&a, v->valuestring, c->path.bin);
		for (size_t i = 0;; i++) {
			int x = bytes_next(&a);
			if (x == -2)
				break;
			int y = i < l->len ? (unsigned char)l->s[i] : -1;
			if (x != y)
				return x < y ? -1 : 1;
			if (x == -1)
				return 0;
		}
		break;
	}
	}
	*ok = 0;
	return 0;
}

/* The bytes LIKE and MATCHES see: the string, or the decoded bytes of a
 * _bin / _hex property (malloc'd into *owned). NULL when there are none. */
static const char *subject(const struct vg__cmp *c, const cJSON *v, size_t *len,
                           char **owned)
{
	*owned = NULL;
	if (!cJSON_IsString(v))
		return NULL;
	*len = strlen(v->valuestring);
	if (!c->path.bin)
		return v->valuestring;
	char *d = malloc(*len + 1);
	if (!d)
		return NULL; /* out of memory: no match (docs/patterns.md) */
	long n = c->path.bin == 1
	             ? vg__b64_decode(v->valuestring, *len, (unsigned char *)d)
	             : vg__hex_decode(v->valuestring, *len, (unsigned char *)d);
	if (n < 0) {
		free(d);
		return NULL;
	}
	d[n] = '\0';
	*len = (size_t)n;
	*owned = d;
	return d;
}

static int test(const struct vg__cmp *c, const cJSON *v)
{
	int ok, d;
	size_t len;
	char *owned;
	const char *s;
	struct vg__cidr ip;

	switch (c->op) {
	case VG_PAT_EQ:
	case VG_PAT_NE:
		d = compare(c, &c->lits[0], v, &ok);
		return (ok && d == 0) == (c->op == VG_PAT_EQ);
	case VG_PAT_LT:
	case VG_PAT_LE:
	case VG_PAT_GT:
	case VG_PAT_GE:
		d = compare(c, &c->lits[0], v, &ok);
		if (!ok)
			return 0;
		return c->op == VG_PAT_LT   ? d < 0
		       : c->op == VG_PAT_LE ? d <= 0
		       : c->op == VG_PAT_GT ? d > 0
		                            : d >= 0;
	case VG_PAT_IN:
		for (size_t i = 0; i < c->n_lits; i++)
			if (compare(c, &c->lits[i], v, &ok) == 0 && ok)
				return 1;
		return 0;
	case VG_PAT_LIKE:
	case VG_PAT_MATCHES:
		s = subject(c, v, &len, &owned);
		if (!s)
			return 0;
		d = c->op == VG_PAT_LIKE ? vg__like_match(c->like, s, len)
		                         : vg__regex_match(c->regex, s, len);
		free(owned);
		return d;
	case VG_PAT_ISSUBSET:
	case VG_PAT_ISSUPERSET:
		if (!cJSON_IsString(v) ||
		    vg__cidr_parse(v->valuestring, strlen(v->valuestring), &ip))
			return 0;
		return c->op == VG_PAT_ISSUBSET
		           ? vg__cidr_within(&ip, &c->cidr)
		           : vg__cidr_within(&c->cidr, &ip);
	default:
		return 1; /* EXISTS: the value is there */
	}
}

static int value_fn(void *ud, const cJSON *v)
{
	const struct vg__cmp *c = ud;
	return test(c, v) != c->negated;
}

static int exists_fn(void *ud, const cJSON *v)
{
	(void)ud;
	(void)v;
	return 1;
}

/* A comparison on a root SCO of type rtype. A path that selects nothing
 * makes the comparison false, with or without NOT (but NOT EXISTS). */
static int cmp_eval(const struct vg__cmp *c, const cJSON *root,
                    const char *rtype, const struct vg_pattern_obs *o)
{
	if (c->never || strcmp(c->path.type, rtype) != 0)
		return 0;
	if (c->op == VG_PAT_EXISTS)
		return vg__path_values(&c->path, root, o, exists_fn, NULL) !=
		       c->negated;
	return vg__path_values(&c->path, root, o, value_fn, (void *)c);
}

static int cx_eval(const struct vg__cx *x, const cJSON *root, const char *rtype,
                   const struct vg_pattern_obs *o)
{
	switch (x->kind) {
	case VG__CX_CMP:
		return cmp_eval(x->cmp, root, rtype, o);
	case VG__CX_AND:
		for (size_t i = 0; i < x->n_kids; i++)
			if (!cx_eval(x->kids[i], root, rtype, o))
				return 0;
		return 1;
	default:
		for (size_t i = 0; i < x->n_kids; i++)
			if (cx_eval(x->kids[i], root, rtype, o))
				return 1;
		return 0;
	}
}

int vg__cx_eval(const struct vg__cx *cx, const cJSON *root,
                const struct vg_pattern_obs *o)
{
	const char *t = vg__sco_type(root);
	return t ? cx_eval(cx, root, t, o) : 0;
}

int vg__leaf_eval(const struct vg__ox *leaf, const struct vg_pattern_obs *o)
{
	return vg__leaf_eval_t(leaf, o, NULL);
}

int vg__leaf_eval_t(const struct vg__ox *leaf, const struct vg_pattern_obs *o,
                    const char *const *types)
{
	for (size_t i = 0; i < o->n_scos; i++) {
		const char *t = types ? types[i] : vg__sco_type(o->scos[i]);
		if (t && cx_eval(leaf->cx, o->scos[i], t, o))
			return 1;
	}
	return 0;
}
