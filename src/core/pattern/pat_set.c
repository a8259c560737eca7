/* Many patterns at once: an index from (object type, property path,
 * literal) for the [ ... ] expressions that need an equality (or IN) to
 * hold, and from object type for the others, so that each SCO of an
 * observation is tested only against expressions that can be true on it.
 * The same evaluation and binding search as vg_pattern_match decide. */
#include "vigil/util/buf.h"
#include "vigil/util/error.h"

#include "pat_int.h"

#include <stdlib.h>
#include <string.h>

struct u32vec {
	uint32_t *v;
	uint32_t n, cap;
};

static int u32_push(struct u32vec *a, uint32_t x)
{
	if (a->n == a->cap) {
		uint32_t cap = a->cap ? a->cap * 2 : 4;
		uint32_t *v = realloc(a->v, cap * sizeof(*v));
		if (!v || cap < a->cap)
			return VG_ENOMEM;
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n++] = x;
	return VG_OK;
}

struct key_ent {
	uint64_t h;
	char *key;
	size_t klen;
	struct u32vec leaves;
};

/* Affixes are keyed on at most this many bytes. */
#define AFFIX_MAX 16

/* A path that index keys look at, and which keys of its values to try. */
struct ipath {
	const struct vg__path *p;
	unsigned char eq;    /* equality: 's', 'n', 'b' keys */
	unsigned char cidr;  /* ISSUBSET: 'c' keys */
	uint32_t plen, slen; /* LIKE 'x%' / '%x': bit L-1 for length L */
};

struct type_ent {
	char *type;
	uint64_t h;
	struct u32vec plain; /* leaves tested on every SCO */
	struct ipath *paths;
	size_t n_paths, cap_paths;
};

struct set_pat {
	const struct vg_pattern *p;
	uint64_t id;
	uint32_t leaf0;
};

struct vg_pattern_set {
	struct set_pat *pats;
	size_t n_pats, cap_pats;
	const struct vg__ox **leaves; /* global leaf number -> leaf */
	uint32_t *leaf_pat;
	size_t n_leaves, cap_leaves;
	struct key_ent *keys;
	size_t n_keys, cap_keys;
	uint32_t *table; /* open addressing: key index + 1, 0 empty */
	size_t table_cap;
	struct type_ent *types;
	size_t n_types, cap_types;
};

static uint64_t hash(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ull;
	}
	return h ^ (h >> 29);
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return VG_OK;
	size_t n = *cap ? *cap : 8;
	while (n < need)
		n *= 2;
	void *q = realloc(*p, n * size);
	if (!q)
		return VG_ENOMEM;
	*p = q;
	*cap = n;
	return VG_OK;
}

int vg_pattern_set_new(struct vg_pattern_set **out)
{
	struct vg_pattern_set *s = calloc(1, sizeof(*s));
	if (!s)
		return VG_ENOMEM;
	*out = s;
	return VG_OK;
}

void vg_pattern_set_free(struct vg_pattern_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_keys; i++) {
		free(s->keys[i].key);
		free(s->keys[i].leaves.v);
	}
	for (size_t i = 0; i < s->n_types; i++) {
		free(s->types[i].type);
		free(s->types[i].plain.v);
		free(s->types[i].paths);
	}
	free(s->keys);
	free(s->table);
	free(s->types);
	free(s->pats);
	free(s->leaves);
	free(s->leaf_pat);
	free(s);
}

size_t vg_pattern_set_count(const struct vg_pattern_set *s)
{
	return s->n_pats;
}

static struct type_ent *type_find(const struct vg_pattern_set *s, const char *t,
                                  uint64_t h)
{
	for (size_t i = 0; i < s->n_types; i++)
		if (s->types[i].h == h && strcmp(s->types[i].type, t) == 0)
			return &s->types[i];
	return NULL;
}

static int type_get(struct vg_pattern_set *s, const char *t,
                    struct type_ent **out)
{
	uint64_t h = hash(t, strlen(t));
	struct type_ent *e = type_find(s, t, h);
	if (!e) {
		if (grow((void **)&s->types, &s->cap_types, s->n_types + 1,
		         sizeof(*s->types)))
			return VG_ENOMEM;
		e = &s->types[s->n_types];
		memset(e, 0, sizeof(*e));
		e->type = strdup(t);
		if (!e->type)
			return VG_ENOMEM;
		e->h = h;
		s->n_types++;
	}
	*out = e;
	return VG_OK;
}

/* ---- index keys ----------------------------------------------------- */

/* The key of a value at path p: type NUL path NUL kind bytes. */
static int key_of(struct vg_buf *b, const struct vg__path *p, char kind,
                  const void *v, size_t n)
{
	vg_buf_reset(b);
	int rc = vg_buf_append(b, p->type, strlen(p->type) + 1);
	if (!rc)
		rc = vg_buf_append(b, p->text, strlen(p->text) + 1);
	if (!rc)
		rc = vg_buf_putc(b, kind);
	if (!rc && kind == 's' && p->fold) {
		const char *s = v;
		for (size_t i = 0; !rc && i < n; i++)
			rc = vg_buf_putc(b, (char)(s[i] >= 'A' && s[i] <= 'Z'
			                               ? s[i] - 'A' + 'a'
			                               : s[i]));
	} else if (!rc) {
		rc = vg_buf_append(b, v, n);
	}
	return rc;
}

static int lit_key(struct vg_buf *b, const struct vg__path *p,
                   const struct vg__lit *l)
{
	double d;
	switch (l->kind) {
	case VG_PAT_STRING:
		return key_of(b, p, 's', l->s, l->len);
	case VG_PAT_BOOL:
		return key_of(b, p, 'b', l->b ? "1" : "0", 1);
	default:
		d = l->f == 0 ? 0 : l->f; /* -0 and 0 are one key */
		return key_of(b, p, 'n', &d, sizeof(d));
	}
}

static int indexable(const struct vg__cmp *c, const struct vg__lit *l)
{
	return !c->path.bin && !c->never &&
	       (l->kind == VG_PAT_STRING || l->kind == VG_PAT_INT ||
	        l->kind == VG_PAT_FLOAT || l->kind == VG_PAT_BOOL);
}

/* Bytes of the address an ISSUBSET key holds: a value inside a block of
 * at least /16 (/32 for IPv6) shares them with it. */
static size_t cidr_key_len(const struct vg__cidr *c)
{
	return c->v6 ? (c->prefix >= 32 ? 4 : 0) : (c->prefix >= 16 ? 2 : 0);
}

static int cidr_key(struct vg_buf *b, const struct vg__path *p,
                    const struct vg__cidr *c)
{
	unsigned char k[5];
	size_t n = cidr_key_len(c);
	k[0] = (unsigned char)c->v6;
	memcpy(k + 1, c->addr, n);
	return key_of(b, p, 'c', k, n + 1);
}

/* One key a matching SCO must have. */
struct nkey {
	const struct vg__cmp *cmp;
	const struct vg__lit *lit; /* equality and IN */
	char kind;                 /* 's' 'n' 'b' equality, 'c', 'P', 'S' */
};

struct need {
	struct nkey *k;
	size_t n, cap;
};

static int need_push(struct need *k, const struct vg__cmp *c,
                     const struct vg__lit *l, char kind)
{
	if (grow((void **)&k->k, &k->cap, k->n + 1, sizeof(*k->k)))
		return VG_ENOMEM;
	k->k[k->n++] = (struct nkey){c, l, kind};
	return VG_OK;
}

/* Keys one of which every SCO the expression is true on must have:
 * 1 with them appended to k, 0 when there are none, or -VG_ENOMEM. */
static int need_keys(const struct vg__cx *x, struct need *k)
{
	size_t n0 = k->n;
	int r;
	switch (x->kind) {
	case VG__CX_CMP: {
		const struct vg__cmp *c = x->cmp;
		const char *a;
		size_t an;
		if (c->negated || c->never || c->path.bin)
			return 0;
		if (c->op == VG_PAT_ISSUBSET) {
			if (!cidr_key_len(&c->cidr))
				return 0;
			return need_push(k, c, NULL, 'c') ? -VG_ENOMEM : 1;
		}
		if (c->op == VG_PAT_LIKE) {
			int shape = vg__like_affix(c->like, &a, &an);
			if (shape < 0 || (shape && !an))
				return 0;
			return need_push(k, c, NULL, "sPS"[shape]) ? -VG_ENOMEM
			                                           : 1;
		}
		if ((c->op != VG_PAT_EQ && c->op != VG_PAT_IN) || !c->n_lits)
			return 0;
		for (size_t i = 0; i < c->n_lits; i++)
			if (!indexable(c, &c->lits[i]))
				return 0;
		for (size_t i = 0; i < c->n_lits; i++)
			if (need_push(k, c, &c->lits[i], 'e'))
				return -VG_ENOMEM;
		return 1;
	}
	case VG__CX_OR:
		for (size_t i = 0; i < x->n_kids; i++) {
			if ((r = need_keys(x->kids[i], k)) <= 0) {
				k->n = n0;
				return r;
			}
		}
		return 1;
	default: { /* AND: the operand with the fewest keys */
		size_t best = (size_t)-1, best_n = 0;
		for (size_t i = 0; i < x->n_kids; i++) {
			if ((r = need_keys(x->kids[i], k)) < 0)
				return r;
			if (r && (best == (size_t)-1 || k->n - n0 < best_n)) {
				best = i;
				best_n = k->n - n0;
			}
			k->n = n0;
		}
		if (best == (size_t)-1)
			return 0;
		return need_keys(x->kids[best], k);
	}
	}
}

static int table_insert(struct vg_pattern_set *s, size_t ki)
{
	if ((s->n_keys + 1) * 2 > s->table_cap) {
		size_t cap = s->table_cap ? s->table_cap * 2 : 64;
		uint32_t *t = calloc(cap, sizeof(*t));
		if (!t)
			return VG_ENOMEM;
		for (size_t i = 0; i < s->table_cap; i++) {
			if (!s->table[i])
				continue;
			size_t j = s->keys[s->table[i] - 1].h & (cap - 1);
			while (t[j])
				j = (j + 1) & (cap - 1);
			t[j] = s->table[i];
		}
		free(s->table);
		s->table = t;
		s->table_cap = cap;
	}
	size_t j = s->keys[ki].h & (s->table_cap - 1);
	while (s->table[j])
		j = (j + 1) & (s->table_cap - 1);
	s->table[j] = (uint32_t)(ki + 1);
	return VG_OK;
}

static const struct key_ent *key_find(const struct vg_pattern_set *s,
                                      const char *key, size_t n, uint64_t h)
{
	if (!s->table_cap)
		return NULL;
	for (size_t j = h & (s->table_cap - 1); s->table[j];
	     j = (j + 1) & (s->table_cap - 1)) {
		const struct key_ent *e = &s->keys[s->table[j] - 1];
		if (e->h == h && e->klen == n && memcmp(e->key, key, n) == 0)
			return e;
	}
	return NULL;
}

static int key_add(struct vg_pattern_set *s, const struct vg_buf *b,
                   uint32_t leaf)
{
	uint64_t h = hash(b->data, b->len);
	struct key_ent *e = (struct key_ent *)key_find(s, b->data, b->len, h);
	if (!e) {
		if (s->n_keys >= UINT32_MAX - 1 ||
		    grow((void **)&s->keys, &s->cap_keys, s->n_keys + 1,
		         sizeof(*s->keys)))
			return VG_ENOMEM;
		e = &s->keys[s->n_keys];
		memset(e, 0, sizeof(*e));
		e->key = malloc(b->len);
		if (!e->key)
			return VG_ENOMEM;
		memcpy(e->key, b->data, b->len);
		e->klen = b->len;
		e->h = h;
		s->n_keys++;
		if (table_insert(s, s->n_keys - 1)) {
			free(e->key);
			s->n_keys--;
			return VG_ENOMEM;
		}
	}
	return u32_push(&e->leaves, leaf);
}

static int type_path(struct type_ent *t, const struct vg__path *p,
                     struct ipath **out)
{
	for (size_t i = 0; i < t->n_paths; i++) {
		if (strcmp(t->paths[i].p->text, p->text) == 0) {
			*out = &t->paths[i];
			return VG_OK;
		}
	}
	if (grow((void **)&t->paths, &t->cap_paths, t->n_paths + 1,
	         sizeof(*t->paths)))
		return VG_ENOMEM;
	*out = &t->paths[t->n_paths++];
	memset(*out, 0, sizeof(**out));
	(*out)->p = p;
	return VG_OK;
}

/* The key of need n, and what its path must try on values. */
static int need_key(struct vg_buf *b, const struct nkey *n, struct ipath *ip)
{
	const struct vg__path *p = &n->cmp->path;
	const char *a;
	size_t an;
	switch (n->kind) {
	case 'e':
		ip->eq = 1;
		return lit_key(b, p, n->lit);
	case 'c':
		ip->cidr = 1;
		return cidr_key(b, p, &n->cmp->cidr);
	case 's':
		ip->eq = 1;
		vg__like_affix(n->cmp->like, &a, &an);
		return key_of(b, p, 's', a, an);
	case 'P':
		vg__like_affix(n->cmp->like, &a, &an);
		an = an > AFFIX_MAX ? AFFIX_MAX : an;
		ip->plen |= 1u << (an - 1);
		return key_of(b, p, 'P', a, an);
	default:
		vg__like_affix(n->cmp->like, &a, &an);
		a += an > AFFIX_MAX ? an - AFFIX_MAX : 0;
		an = an > AFFIX_MAX ? AFFIX_MAX : an;
		ip->slen |= 1u << (an - 1);
		return key_of(b, p, 'S', a, an);
	}
}

/* Every object type the expression names. */
static int plain_types(struct vg_pattern_set *s, const struct vg__cx *x,
                       uint32_t leaf)
{
	if (x->kind != VG__CX_CMP) {
		for (size_t i = 0; i < x->n_kids; i++)
			if (plain_types(s, x->kids[i], leaf))
				return VG_ENOMEM;
		return VG_OK;
	}
	struct type_ent *t;
	if (type_get(s, x->cmp->path.type, &t))
		return VG_ENOMEM;
	if (t->plain.n && t->plain.v[t->plain.n - 1] == leaf)
		return VG_OK;
	return u32_push(&t->plain, leaf);
}

static int index_leaf(struct vg_pattern_set *s, const struct vg__ox *x,
                      uint32_t leaf)
{
	struct need k = {0};
	struct vg_buf b;
	int rc, r = need_keys(x->cx, &k);

	vg_buf_init(&b, 0);
	if (r < 0) {
		rc = -r;
	} else if (r == 0) {
		rc = plain_types(s, x->cx, leaf);
	} else {
		rc = VG_OK;
		for (size_t i = 0; !rc && i < k.n; i++) {
			struct type_ent *t;
			struct ipath *ip;
			rc = type_get(s, k.k[i].cmp->path.type, &t);
			if (!rc)
				rc = type_path(t, &k.k[i].cmp->path, &ip);
			if (!rc)
				rc = need_key(&b, &k.k[i], ip);
			if (!rc)
				rc = key_add(s, &b, leaf);
		}
	}
	vg_buf_release(&b);
	free(k.k);
	return rc;
}

int vg_pattern_set_add(struct vg_pattern_set *s, const struct vg_pattern *p,
                       uint64_t id)
{
	if (s->n_leaves + p->n_leaves >= (size_t)1 << 31)
		return VG_ETOOBIG;
	if (grow((void **)&s->pats, &s->cap_pats, s->n_pats + 1,
	         sizeof(*s->pats)))
		return VG_ENOMEM;
	size_t cap = s->cap_leaves;
	if (grow((void **)&s->leaves, &cap, s->n_leaves + p->n_leaves,
	         sizeof(*s->leaves)) ||
	    grow((void **)&s->leaf_pat, &s->cap_leaves,
	         s->n_leaves + p->n_leaves, sizeof(*s->leaf_pat)))
		return VG_ENOMEM;
	/* A failure part way leaves index entries of leaves beyond
	 * n_leaves: they are ignored (matchers stop at n_leaves). */
	for (size_t i = 0; i < p->n_leaves; i++) {
		uint32_t g = (uint32_t)(s->n_leaves + i);
		s->leaves[g] = p->leaves[i];
		s->leaf_pat[g] = (uint32_t)s->n_pats;
		if (index_leaf(s, p->leaves[i], g))
			return VG_ENOMEM;
	}
	s->pats[s->n_pats++] = (struct set_pat){p, id, (uint32_t)s->n_leaves};
	s->n_leaves += p->n_leaves;
	return VG_OK;
}

/* ---- matching ------------------------------------------------------- */

struct vg_pattern_matcher {
	const struct vg_pattern_set *s;
	uint32_t gen;
	uint32_t *leaf_gen, *leaf_obs; /* leaf tested on obs in run gen */
	uint32_t *pat_gen;
	size_t n_leaves, n_pats; /* sizes of the arrays above */
	uint64_t *hits;          /* leaf << 32 | obs */
	size_t n_hits, cap_hits;
	uint32_t *hit_obs;
	size_t cap_hit_obs;
	uint32_t *touched;
	size_t n_touched, cap_touched;
	struct vg__cands *cands;
	size_t cap_cands;
	struct vg_buf key;
	struct vg__search *search;
	const char **types; /* of the current observation's SCOs */
	size_t cap_types;
	/* during one run */
	const struct vg_pattern_obs *obs;
	uint32_t cur;
	int err;
};

int vg_pattern_matcher_new(const struct vg_pattern_set *s,
                           struct vg_pattern_matcher **out)
{
	struct vg_pattern_matcher *m = calloc(1, sizeof(*m));
	if (!m || vg__search_new(&m->search)) {
		free(m);
		return VG_ENOMEM;
	}
	m->s = s;
	vg_buf_init(&m->key, 0);
	*out = m;
	return VG_OK;
}

void vg_pattern_matcher_free(struct vg_pattern_matcher *m)
{
	if (!m)
		return;
	free(m->leaf_gen);
	free(m->leaf_obs);
	free(m->pat_gen);
	free(m->hits);
	free(m->hit_obs);
	free(m->touched);
	free(m->cands);
	free(m->types);
	vg_buf_release(&m->key);
	vg__search_free(m->search);
	free(m);
}

/* Arrays sized to the set (which may have grown since). */
static int fit(struct vg_pattern_matcher *m)
{
	const struct vg_pattern_set *s = m->s;
	if (s->n_leaves > m->n_leaves) {
		uint32_t *a = realloc(m->leaf_gen, s->n_leaves * sizeof(*a));
		if (!a)
			return VG_ENOMEM;
		m->leaf_gen = a;
		a = realloc(m->leaf_obs, s->n_leaves * sizeof(*a));
		if (!a)
			return VG_ENOMEM;
		m->leaf_obs = a;
		memset(m->leaf_gen + m->n_leaves, 0,
		       (s->n_leaves - m->n_leaves) * sizeof(*a));
		m->n_leaves = s->n_leaves;
	}
	if (s->n_pats > m->n_pats) {
		uint32_t *a = realloc(m->pat_gen, s->n_pats * sizeof(*a));
		if (!a)
			return VG_ENOMEM;
		m->pat_gen = a;
		memset(a + m->n_pats, 0, (s->n_pats - m->n_pats) * sizeof(*a));
		m->n_pats = s->n_pats;
	}
	if (++m->gen == 0) { /* wrapped: forget every stamp */
		memset(m->leaf_gen, 0, m->n_leaves * sizeof(*m->leaf_gen));
		memset(m->pat_gen, 0, m->n_pats * sizeof(*m->pat_gen));
		m->gen = 1;
	}
	return VG_OK;
}

/* Test leaf g on the current observation, once per observation. */
static void consider(struct vg_pattern_matcher *m, uint32_t g)
{
	if (g >= m->n_leaves || m->err ||
	    (m->leaf_gen[g] == m->gen && m->leaf_obs[g] == m->cur))
		return;
	m->leaf_gen[g] = m->gen;
	m->leaf_obs[g] = m->cur;
	if (!vg__leaf_eval_t(m->s->leaves[g], &m->obs[m->cur], m->types))
		return;
	if (grow((void **)&m->hits, &m->cap_hits, m->n_hits + 1,
	         sizeof(*m->hits))) {
		m->err = VG_ENOMEM;
		return;
	}
	m->hits[m->n_hits++] = (uint64_t)g << 32 | m->cur;
	uint32_t pat = m->s->leaf_pat[g];
	if (m->pat_gen[pat] == m->gen)
		return;
	m->pat_gen[pat] = m->gen;
	if (grow((void **)&m->touched, &m->cap_touched, m->n_touched + 1,
	         sizeof(*m->touched))) {
		m->err = VG_ENOMEM;
		return;
	}
	m->touched[m->n_touched++] = pat;
}

struct valctx {
	struct vg_pattern_matcher *m;
	const struct ipath *ip;
};

/* Look up the key in m->key (rc: building it failed). */
static void lookup(struct vg_pattern_matcher *m, int rc)
{
	if (rc) {
		m->err = VG_ENOMEM;
		return;
	}
	const struct key_ent *e = key_find(m->s, m->key.data, m->key.len,
	                                   hash(m->key.data, m->key.len));
	for (uint32_t i = 0; e && i < e->leaves.n; i++)
		consider(m, e->leaves.v[i]);
}

/* A value at an indexed path: look up each key it has. */
static int value_key(void *ud, const cJSON *v)
{
	struct valctx *c = ud;
	struct vg_pattern_matcher *m = c->m;
	const struct vg__path *p = c->ip->p;
	double d;
	if (cJSON_IsNumber(v) && c->ip->eq) {
		d = v->valuedouble == 0 ? 0 : v->valuedouble;
		lookup(m, key_of(&m->key, p, 'n', &d, sizeof(d)));
	} else if (cJSON_IsBool(v) && c->ip->eq) {
		lookup(m,
		       key_of(&m->key, p, 'b', cJSON_IsTrue(v) ? "1" : "0", 1));
	}
	if (!cJSON_IsString(v))
		return m->err != 0;
	const char *s = v->valuestring;
	size_t n = strlen(s);
	if (c->ip->eq)
		lookup(m, key_of(&m->key, p, 's', s, n));
	if (c->ip->cidr) {
		struct vg__cidr ip;
		if (!vg__cidr_parse(s, n, &ip) && cidr_key_len(&ip))
			lookup(m, cidr_key(&m->key, p, &ip));
	}
	for (size_t l = 1; l <= AFFIX_MAX && l <= n; l++) {
		if (c->ip->plen >> (l - 1) & 1)
			lookup(m, key_of(&m->key, p, 'P', s, l));
		if (c->ip->slen >> (l - 1) & 1)
			lookup(m, key_of(&m->key, p, 'S', s + n - l, l));
	}
	return m->err != 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

int vg_pattern_matcher_run(struct vg_pattern_matcher *m,
                           const struct vg_pattern_obs *obs, size_t n,
                           vg_pattern_hit_fn fn, void *ud, size_t *too_complex)
{
	const struct vg_pattern_set *s = m->s;
	size_t skipped = 0;
	int rc;

	if (n > UINT32_MAX)
		return VG_ETOOBIG;
	if ((rc = fit(m)))
		return rc;
	m->n_hits = m->n_touched = 0;
	m->obs = obs;
	m->err = 0;
	for (size_t i = 0; i < n && !m->err; i++) {
		m->cur = (uint32_t)i;
		if (!obs[i].count)
			continue;
		if (grow((void **)&m->types, &m->cap_types, obs[i].n_scos + 1,
		         sizeof(*m->types)))
			return VG_ENOMEM;
		for (size_t j = 0; j < obs[i].n_scos; j++)
			m->types[j] = vg__sco_type(obs[i].scos[j]);
		for (size_t j = 0; j < obs[i].n_scos && !m->err; j++) {
			const cJSON *sco = obs[i].scos[j];
			const char *t = m->types[j];
			const struct type_ent *te =
			    t ? type_find(s, t, hash(t, strlen(t))) : NULL;
			if (!te)
				continue;
			for (uint32_t k = 0; k < te->plain.n; k++)
				consider(m, te->plain.v[k]);
			for (size_t k = 0; k < te->n_paths && !m->err; k++) {
				struct valctx c = {m, &te->paths[k]};
				vg__path_values(te->paths[k].p, sco, &obs[i],
				                value_key, &c);
			}
		}
	}
	if (m->err)
		return m->err;
	if (m->n_hits)
		qsort(m->hits, m->n_hits, sizeof(*m->hits), cmp_u64);
	if (grow((void **)&m->hit_obs, &m->cap_hit_obs, m->n_hits + 1,
	         sizeof(*m->hit_obs)))
		return VG_ENOMEM;
	for (size_t i = 0; i < m->n_hits; i++)
		m->hit_obs[i] = (uint32_t)m->hits[i];
	for (size_t t = 0; t < m->n_touched; t++) {
		const struct set_pat *sp = &s->pats[m->touched[t]];
		const struct vg_pattern *p = sp->p;
		int r = 1;
		if (!p->simple) {
			if (grow((void **)&m->cands, &m->cap_cands, p->n_leaves,
			         sizeof(*m->cands)))
				return VG_ENOMEM;
			/* The hits of this pattern's leaves, by binary search
			 * in the sorted hits. */
			uint64_t lo = (uint64_t)sp->leaf0 << 32;
			size_t a = 0, b = m->n_hits;
			while (a < b) {
				size_t mid = (a + b) / 2;
				if (m->hits[mid] < lo)
					a = mid + 1;
				else
					b = mid;
			}
			for (size_t l = 0; l < p->n_leaves; l++) {
				size_t st = a;
				while (a < m->n_hits &&
				       m->hits[a] >> 32 == sp->leaf0 + l)
					a++;
				m->cands[l].idx = m->hit_obs + st;
				m->cands[l].n = a - st;
			}
			r = vg__search_run(m->search, p, obs, n, m->cands);
			if (r == -VG_ETOOBIG) {
				skipped++;
				continue;
			}
			if (r < 0)
				return -r;
		}
		if (r && (rc = fn(ud, sp->id)))
			return rc;
	}
	if (too_complex)
		*too_complex = skipped;
	return VG_OK;
}
