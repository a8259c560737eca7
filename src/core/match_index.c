/* The candidate index: every watchlist name normalised once and keyed by
 * its tokens, consonant skeletons (and their one-letter deletions) and
 * phonetic keys, so a query scores tens of entries instead of the list.
 * Read-only after build; queries keep their state in a scratch. */
#include "match_int.h"
#include "vigil/error.h"

#include <stdlib.h>
#include <string.h>

/* Key kinds, and the share of a token's weight a hit on each earns. */
enum { K_TEXT = 1, K_GROUP, K_SKEL, K_PHON, K_DEL, K_SKDEL, K_WEAK, K_PAIR };
#define CREDIT_TEXT 1.0f
#define CREDIT_SKEL 0.9f
#define CREDIT_PHON 0.7f
#define CREDIT_DEL 0.6f
#define CREDIT_ABD_BARE 0.8f
/* A name becomes a candidate when the tokens its keys found would cover
 * this share of the query or of the name, counting every token the keys
 * did not find as unmatched: the name score needs 0.70 of the shorter
 * name, and fuzzy matches the keys miss (Pulin / Putin) make up the
 * difference. */
#define CAND_GATE 0.7f
/* At most this many candidate names are scored, best key evidence first. */
#define CAND_MAX 96
#define MIN_DEL_LEN 4 /* tokens shorter than this get no deletion keys */
#define MIN_SKDEL_SKEL 3 /* nor skeletons shorter than this */
/* A key list longer than this is not walked (see candidates); for the
 * looser keys (phonetic, deletions), which collide more, the bar is
 * lower. */
#define LONG_POSTING 256
#define LONG_POSTING_LOOSE 48

struct iname {
	uint32_t entry;
	uint32_t tok; /* first token in ix->tok */
	uint32_t n;   /* tokens */
	float miss;   /* sum of its content tokens' miss weights (initials
			 left out: they may match any word they start) */
	uint64_t sig; /* a bit per text, group, skeleton and phonetic key of
			 its tokens: has_key looks in only when it is set */
};

struct ientry {
	uint32_t first; /* its names are names[first .. first + n) */
	uint32_t n;
};

struct vg_match_index {
	const struct vg_person **entries;
	void **user;
	size_t n_entries;
	struct ientry *ent;
	struct iname *names;
	size_t n_names;
	struct vg_name_token *tok;
	size_t n_tok, tok_cap;
	char *pool;
	size_t pool_len, pool_cap;
	/* open addressing; a slot is one 16-byte record, so a lookup costs
	 * one cache line */
	struct kslot *slots;
	size_t kmask;
	uint32_t *post;
	size_t n_post;
};

struct kslot {
	uint64_t key; /* 0 = empty */
	uint32_t start, count; /* its names: post[start .. start + count) */
};

struct vg__cand {
	uint32_t name;
	float pre;  /* key coverage */
	float miss; /* the name's miss weight: its length */
};

/* ---- keys ------------------------------------------------------- */

static uint64_t key_of(int kind, const char *s, size_t len, uint64_t extra)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)kind;
	h *= 1099511628211ULL;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	h ^= extra;
	h *= 1099511628211ULL;
	h ^= h >> 29;
	return h ? h : 1;
}

typedef void (*key_fn)(void *ctx, int kind, uint64_t key, float credit);

/* The keys of one token, strongest first (a query credits a name once per
 * token, with the first key that finds it): its spelling (or its common
 * name group), its skeleton and phonetic key; then (token_del_keys) its
 * skeleton and its spelling with one letter deleted (SymSpell: "pulin"
 * and "putin" share "puin", "ntgnd" and "tgnd" share "tgnd"), so one
 * typo still finds the name. An index keys them all; a query does not
 * ask for the deletions of a common name (its group finds its listed
 * spellings; the index still keys the deletions of every spelling, for a
 * misspelling the table lacks: "Mahamood") nor of a word many names
 * have as written. */
static void token_keys(const char *pool, const struct vg_name_token *t,
		       key_fn fn, void *ctx)
{
	const char *sk = pool + t->skel, *tx = pool + t->text;
	if (t->weight <= 0.0f || t->sym != VG_SYM_NONE)
		return; /* particles and articles find everything */
	if (t->group)
		fn(ctx, K_GROUP, key_of(K_GROUP, NULL, 0, t->group),
		   CREDIT_TEXT);
	else
		fn(ctx, K_TEXT, key_of(K_TEXT, tx, t->len, 0), CREDIT_TEXT);
	/* an abd- compound is also found by, and finds, its bare name
	 * ("Abdul Basir" / "Basir") */
	if ((t->flags & VG_TOK_ABD) && t->len >= 6)
		fn(ctx, K_TEXT, key_of(K_TEXT, tx + 3, t->len - 3U, 0),
		   CREDIT_ABD_BARE);
	if (t->flags & (VG_TOK_DIGITS | VG_TOK_INITIAL))
		return;
	if (t->skel_len >= 2)
		fn(ctx, K_SKEL, key_of(K_SKEL, sk, t->skel_len, 0),
		   CREDIT_SKEL);
	if (t->phon_len >= 2)
		fn(ctx, K_PHON, key_of(K_PHON, pool + t->phon, t->phon_len, 0),
		   CREDIT_PHON);
}

/* The deletion keys of a token (see token_keys). */
static void token_del_keys(const char *pool, const struct vg_name_token *t,
			   key_fn fn, void *ctx)
{
	const char *sk = pool + t->skel, *tx = pool + t->text;
	char d[VG_NAME_TOKEN_MAX + 1];
	if (t->weight <= 0.0f || t->sym != VG_SYM_NONE ||
	    (t->flags & (VG_TOK_DIGITS | VG_TOK_INITIAL)))
		return;
	if (t->skel_len >= MIN_SKDEL_SKEL) {
		fn(ctx, K_SKDEL, key_of(K_SKDEL, sk, t->skel_len, 0),
		   CREDIT_DEL);
		for (size_t i = 0; i < t->skel_len; i++) {
			memcpy(d, sk, i);
			memcpy(d + i, sk + i + 1, t->skel_len - i - 1U);
			fn(ctx, K_SKDEL, key_of(K_SKDEL, d, t->skel_len - 1U, 0),
			   CREDIT_DEL);
		}
	}
	if (t->len >= MIN_DEL_LEN) {
		fn(ctx, K_DEL, key_of(K_DEL, tx, t->len, 0), CREDIT_DEL);
		for (size_t i = 0; i < t->len; i++) {
			if (i && tx[i] == tx[i - 1])
				continue; /* the same string again */
			memcpy(d, tx, i);
			memcpy(d + i, tx + i + 1, t->len - i - 1U);
			fn(ctx, K_DEL, key_of(K_DEL, d, t->len - 1U, 0),
			   CREDIT_DEL);
		}
	}
}

/* Two neighbouring tokens run together ("al sabah" -> "alsabah"), so a
 * packed spelling on either side finds the other. */
static bool pair_key(const char *pool, const struct vg_name_token *a,
		     const struct vg_name_token *b, uint64_t *key)
{
	char s[2 * VG_NAME_TOKEN_MAX + 1];
	if ((a->flags | b->flags) & VG_TOK_DIGITS)
		return false;
	if (a->sym != VG_SYM_NONE && b->sym != VG_SYM_NONE)
		return false;
	memcpy(s, pool + a->text, a->len);
	memcpy(s + a->len, pool + b->text, b->len);
	*key = key_of(K_TEXT, s, (size_t)a->len + b->len, 0);
	return true;
}

static size_t slot(const struct vg_match_index *ix, uint64_t key)
{
	size_t i = (size_t)(key ^ (key >> 32)) & ix->kmask;
	while (ix->slots[i].key && ix->slots[i].key != key)
		i = (i + 1) & ix->kmask;
	return i;
}

/* ---- build ------------------------------------------------------ */

struct kp {
	uint64_t key;
	uint32_t name;
};

struct build {
	struct kp *v;
	size_t n, cap;
	uint32_t name;
	uint64_t sig; /* of the name being keyed */
	int rc;
};

static uint64_t sig_bit(uint64_t key)
{
	return (uint64_t)1 << (key >> 58);
}

static void build_key(void *ctx, int kind, uint64_t key, float credit)
{
	struct build *b = ctx;
	(void)credit;
	if (kind == K_TEXT || kind == K_GROUP || kind == K_SKEL ||
	    kind == K_PHON)
		b->sig |= sig_bit(key);
	if (b->rc)
		return;
	if (b->n == b->cap) {
		size_t c = b->cap ? b->cap * 2 : 4096;
		void *p = realloc(b->v, c * sizeof(*b->v));
		if (!p) {
			b->rc = VG_ENOMEM;
			return;
		}
		b->v = p;
		b->cap = c;
	}
	b->v[b->n++] = (struct kp){key, b->name};
}

static int cmp_kp(const void *x, const void *y)
{
	const struct kp *a = x, *b = y;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->name < b->name ? -1 : a->name > b->name;
}

static int grow(void **p, size_t *cap, size_t need, size_t sz)
{
	if (need <= *cap)
		return VG_OK;
	size_t c = *cap ? *cap : 1024;
	while (c < need)
		c *= 2;
	void *q = realloc(*p, c * sz);
	if (!q)
		return VG_ENOMEM;
	*p = q;
	*cap = c;
	return VG_OK;
}

/* Append normalised name t of entry e to the index and emit its keys. */
static int add_name(struct vg_match_index *ix, const struct vg_name_tokens *t,
		    uint32_t e, struct build *b)
{
	struct iname *in = &ix->names[ix->n_names];
	int rc = grow((void **)&ix->tok, &ix->tok_cap, ix->n_tok + t->n,
		      sizeof(*ix->tok));
	if (!rc)
		rc = grow((void **)&ix->pool, &ix->pool_cap,
			  ix->pool_len + t->pool_len, 1);
	if (rc)
		return rc;
	in->entry = e;
	in->tok = (uint32_t)ix->n_tok;
	in->n = (uint32_t)t->n;
	in->miss = 0;
	memcpy(ix->pool + ix->pool_len, t->pool, t->pool_len);
	for (size_t i = 0; i < t->n; i++) {
		struct vg_name_token k = t->tok[i];
		k.text += (uint32_t)ix->pool_len;
		k.skel += (uint32_t)ix->pool_len;
		k.phon += (uint32_t)ix->pool_len;
		ix->tok[ix->n_tok + i] = k;
		if (k.weight > 0 && !(k.flags & VG_TOK_INITIAL))
			in->miss += vg__miss_weight(&k);
	}
	ix->pool_len += t->pool_len;
	b->name = (uint32_t)ix->n_names;
	b->sig = 0;
	/* the pool may move as it grows: keys are made from the final
	 * copy, which is stable until the next add_name */
	const struct vg_name_token *tk = &ix->tok[ix->n_tok];
	bool weak = true;
	for (size_t i = 0; i < t->n; i++)
		if (tk[i].weight > 0 && tk[i].sym == VG_SYM_NONE && !tk[i].group)
			weak = false;
	for (size_t i = 0; i < t->n; i++) {
		uint64_t k;
		token_keys(ix->pool, &tk[i], build_key, b);
		token_del_keys(ix->pool, &tk[i], build_key, b);
		if (i + 1 < t->n && pair_key(ix->pool, &tk[i], &tk[i + 1], &k))
			build_key(b, K_TEXT, k, 0);
		/* a name of common names only ("Abu Mohammed") is listed
		 * again in a short list of such names per common name */
		if (weak && tk[i].group)
			build_key(b, K_WEAK, key_of(K_WEAK, NULL, 0, tk[i].group),
				  0);
	}
	in->sig = b->sig;
	ix->n_tok += t->n;
	ix->n_names++;
	return b->rc;
}

static int make_table(struct vg_match_index *ix, struct build *b)
{
	size_t uniq = 0, cap = 16;
	if (b->n)
		qsort(b->v, b->n, sizeof(*b->v), cmp_kp);
	for (size_t i = 0; i < b->n; i++)
		if (!i || b->v[i].key != b->v[i - 1].key)
			uniq++;
	while (cap < 2 * uniq)
		cap *= 2;
	ix->slots = calloc(cap, sizeof(*ix->slots));
	ix->post = malloc((b->n ? b->n : 1) * sizeof(*ix->post));
	if (!ix->slots || !ix->post)
		return VG_ENOMEM;
	ix->kmask = cap - 1;
	for (size_t i = 0; i < b->n; i++) {
		const struct kp *p = &b->v[i];
		if (i && p->key == b->v[i - 1].key && p->name == b->v[i - 1].name)
			continue; /* the same key twice in one name */
		size_t s = slot(ix, p->key);
		if (!ix->slots[s].key) {
			ix->slots[s].key = p->key;
			ix->slots[s].start = (uint32_t)ix->n_post;
		}
		ix->slots[s].count++;
		ix->post[ix->n_post++] = p->name;
	}
	return VG_OK;
}

int vg_match_index_build(const struct vg_person *const *entries,
			 void *const *user, size_t n,
			 struct vg_match_index **out)
{
	int rc = VG_OK;
	struct vg_match_index *ix = NULL;
	struct vg_name_norm *norm = NULL;
	struct vg_name_tokens *t = NULL;
	struct build b = {0};
	size_t total = 0;
	if (!entries || !out)
		return VG_EINVAL;
	if (n > INT32_MAX)
		return VG_ETOOBIG;
	for (size_t i = 0; i < n; i++) {
		if (!entries[i])
			return VG_EINVAL;
		total += entries[i]->n_names;
	}
	if (total > INT32_MAX)
		return VG_ETOOBIG;
	ix = calloc(1, sizeof(*ix));
	t = malloc(sizeof(*t));
	if (!ix || !t) {
		rc = VG_ENOMEM;
		goto out;
	}
	ix->n_entries = n;
	ix->entries = malloc((n ? n : 1) * sizeof(*ix->entries));
	ix->user = calloc(n ? n : 1, sizeof(*ix->user));
	ix->ent = malloc((n ? n : 1) * sizeof(*ix->ent));
	ix->names = malloc((total ? total : 1) * sizeof(*ix->names));
	if (!ix->entries || !ix->user || !ix->ent || !ix->names) {
		rc = VG_ENOMEM;
		goto out;
	}
	rc = vg_name_norm_new(&norm);
	if (rc)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct vg_person *p = entries[i];
		ix->entries[i] = p;
		if (user)
			ix->user[i] = user[i];
		ix->ent[i].first = (uint32_t)ix->n_names;
		ix->ent[i].n = (uint32_t)p->n_names;
		for (size_t j = 0; j < p->n_names; j++) {
			const char *f = p->names[j].full ? p->names[j].full
							 : "";
			rc = vg_name_normalize(norm, f, strlen(f), p->kind, t);
			if (!rc)
				rc = add_name(ix, t, (uint32_t)i, &b);
			if (rc)
				goto out;
		}
	}
	rc = make_table(ix, &b);
	if (rc)
		goto out;
	*out = ix;
	ix = NULL;
out:
	free(b.v);
	free(t);
	vg_name_norm_free(norm);
	vg_match_index_free(ix);
	return rc;
}

void vg_match_index_free(struct vg_match_index *ix)
{
	if (!ix)
		return;
	free(ix->entries);
	free(ix->user);
	free(ix->ent);
	free(ix->names);
	free(ix->tok);
	free(ix->pool);
	free(ix->slots);
	free(ix->post);
	free(ix);
}

size_t vg_match_index_size(const struct vg_match_index *ix)
{
	return ix ? ix->n_entries : 0;
}

size_t vg_match_index_names(const struct vg_match_index *ix)
{
	return ix ? ix->n_names : 0;
}

/* ---- scratch ---------------------------------------------------- */

int vg__index_scratch_init(const struct vg_match_index *ix,
			   struct vg_match_scratch *s)
{
	size_t n = ix->n_names ? ix->n_names : 1;
	s->ix = ix;
	s->acc = calloc(n, sizeof(*s->acc));
	s->touched = malloc(n * sizeof(*s->touched));
	s->cand = malloc(n * sizeof(*s->cand));
	s->cand_cap = n;
	if (!s->acc || !s->touched || !s->cand)
		return VG_ENOMEM;
	return VG_OK;
}

void vg__index_scratch_release(struct vg_match_scratch *s)
{
	free(s->acc);
	free(s->touched);
	free(s->cand);
	s->acc = NULL;
	s->touched = NULL;
	s->cand = NULL;
}

/* ---- query ------------------------------------------------------ */

/* One key of the query: which token(s) it stands for, what a hit earns. */
struct qkey {
	uint64_t key;
	uint32_t slot, count;
	float credit;   /* share of the token weight */
	float weight;   /* the token's (or pair's) weight */
	float miss;     /* and miss weight */
	uint32_t bits;  /* the query tokens it credits */
	uint8_t kind;   /* K_* */
	uint8_t tok;    /* the token (the first of a pair) */
	uint8_t count_long; /* too long a list to walk */
};

struct gather {
	const struct vg_match_index *ix;
	struct qkey *k;
	size_t n, cap;
	const struct vg_name_token *t;
	uint8_t tok;
};

static float miss_of(const struct vg_name_token *t)
{
	return t->weight > 0 ? vg__miss_weight(t) : 0;
}

static void gather_key(void *ctx, int kind, uint64_t key, float credit)
{
	struct gather *g = ctx;
	size_t sl = slot(g->ix, key);
	if (!g->ix->slots[sl].key || g->n == g->cap)
		return;
	g->k[g->n++] = (struct qkey){
		.key = key, .slot = (uint32_t)sl,
		.count = g->ix->slots[sl].count, .credit = credit,
		.weight = g->t->weight, .miss = miss_of(g->t),
		.bits = (uint32_t)1 << g->tok, .tok = g->tok,
		.kind = (uint8_t)kind,
	};
}

static void walk(const struct vg_match_index *ix, struct vg_match_scratch *s,
		 const struct qkey *k)
{
	const uint32_t *p = ix->post + ix->slots[k->slot].start;
	float w = k->credit * k->weight;
	for (uint32_t j = 0; j < k->count; j++) {
		uint32_t nm = p[j];
		struct vg__acc *a = &s->acc[nm];
		if (a->seen & k->bits)
			continue; /* these tokens already credited it */
		if (!a->seen)
			s->touched[s->n_touched++] = nm;
		a->seen |= k->bits;
		a->m += w;
		a->u += k->miss;
	}
}

/* Whether indexed name in has a token with the property key k stands for
 * (for a key whose list is not walked). */
static bool same(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

static bool has_key(const struct vg_match_index *ix, const struct iname *in,
		    const struct vg__nview *qv, const struct qkey *k)
{
	const struct vg_name_token *q = &qv->tok[k->tok];
	if (!(in->sig & sig_bit(k->key)))
		return false;
	for (uint32_t j = 0; j < in->n; j++) {
		const struct vg_name_token *t = &ix->tok[in->tok + j];
		switch (k->kind) {
		case K_GROUP:
			if (t->group == q->group)
				return true;
			break;
		case K_TEXT:
			if (t->len == q->len &&
			    same(ix->pool + t->text, qv->pool + q->text, q->len))
				return true;
			break;
		case K_SKEL:
			if (t->skel_len == q->skel_len &&
			    same(ix->pool + t->skel, qv->pool + q->skel,
				 q->skel_len))
				return true;
			break;
		case K_PHON:
			if (t->phon_len == q->phon_len &&
			    same(ix->pool + t->phon, qv->pool + q->phon,
				 q->phon_len))
				return true;
			break;
		default:
			return false;
		}
	}
	return false;
}

/* Coverage as the name score counts it: what the keys found (m, with the
 * miss weight u of those tokens) against that plus what they did not,
 * on the query's side or the name's, whichever is better. */
static float gate_ratio(float m, float u, float qmiss, float nmiss)
{
	float rest = qmiss < nmiss ? qmiss : nmiss;
	rest = rest > u ? rest - u : 0;
	return m > 0 ? m / (m + rest) : 0;
}

/* gate_ratio(...) >= CAND_GATE, without the division. */
static bool gate_pass(float m, float u, float qmiss, float nmiss)
{
	float rest = qmiss < nmiss ? qmiss : nmiss;
	rest = rest > u ? rest - u : 0;
	return m > 0 && m * (1.0f - CAND_GATE) >= CAND_GATE * rest;
}

static int cmp_cand(const void *x, const void *y)
{
	const struct vg__cand *a = x, *b = y;
	if (a->pre != b->pre)
		return a->pre > b->pre ? -1 : 1;
	/* the shorter name first: it has the better chance of a full
	 * match when many names share the query's words */
	if (a->miss != b->miss)
		return a->miss < b->miss ? -1 : 1;
	return a->name < b->name ? -1 : a->name > b->name;
}

/* Key evidence for query name qv: fills s->cand, returns the count.
 * A key listing more than LONG_POSTING names (a very common name, a
 * two-letter skeleton) is weak evidence: its list is not walked, it only
 * credits the names the other keys found; when every key is that common,
 * the shortest list is walked to find some names. */
static size_t candidates(const struct vg_match_index *ix,
			 struct vg_match_scratch *s, const struct vg__nview *qv,
			 enum vg_person_kind kind)
{
	struct qkey keys[VG_NAME_MAX_TOKENS * 16];
	struct gather g = {ix, keys, 0, sizeof(keys) / sizeof(keys[0]),
			   NULL, 0};
	size_t seed = SIZE_MAX, nc = 0;
	float qmiss = 0;
	bool any_short = false;
	for (size_t i = 0; i < qv->n; i++) {
		const struct vg_name_token *t = &qv->tok[i];
		uint64_t k;
		/* an initial may match any word it starts: the gate does
		 * not count it against a name */
		if (!(t->flags & VG_TOK_INITIAL))
			qmiss += miss_of(t);
		g.t = t;
		g.tok = (uint8_t)i;
		size_t before = g.n;
		token_keys(qv->pool, t, gather_key, &g);
		/* a common name, or a word listed as written in many names:
		 * its typo neighbours add little but lookups */
		if (!t->group &&
		    !(g.n > before && keys[before].kind == K_TEXT &&
		      keys[before].count > LONG_POSTING_LOOSE))
			token_del_keys(qv->pool, t, gather_key, &g);
		/* a common name's list is long; the names made of common
		 * names only have their own short list (see add_name) */
		if (t->group && t->weight > 0 && g.n &&
		    keys[g.n - 1].count > LONG_POSTING)
			gather_key(&g, K_WEAK,
				   key_of(K_WEAK, NULL, 0, t->group),
				   CREDIT_TEXT);
		if (i + 1 < qv->n && pair_key(qv->pool, t, &qv->tok[i + 1], &k)) {
			size_t before = g.n;
			gather_key(&g, K_PAIR, k, CREDIT_TEXT);
			if (g.n > before) {
				struct qkey *pk = &keys[g.n - 1];
				const struct vg_name_token *u = &qv->tok[i + 1];
				pk->weight = t->weight + u->weight;
				pk->miss = miss_of(t) + miss_of(u);
				pk->bits |= (uint32_t)1 << (i + 1);
			}
		}
	}
	for (size_t i = 0; i < g.n; i++) {
		bool loose = keys[i].kind == K_PHON || keys[i].kind == K_DEL ||
			     keys[i].kind == K_SKDEL;
		if (keys[i].count > (loose ? LONG_POSTING_LOOSE : LONG_POSTING))
			keys[i].count_long = 1;
		if (!keys[i].count_long)
			any_short = true;
		else if (seed == SIZE_MAX || keys[i].count < keys[seed].count)
			seed = i;
	}
	size_t deferred[sizeof(keys) / sizeof(keys[0])], nd = 0;
	for (size_t i = 0; i < g.n; i++) {
		if (!keys[i].count_long || (!any_short && i == seed))
			walk(ix, s, &keys[i]);
		else if (keys[i].kind != K_DEL && keys[i].kind != K_SKDEL &&
			 keys[i].kind != K_PAIR &&
			 keys[i].kind != K_WEAK)
			deferred[nd++] = i;
	}
	/* the most the deferred keys of each token could add */
	float tw[VG_NAME_MAX_TOKENS] = {0}, tu[VG_NAME_MAX_TOKENS] = {0};
	uint32_t dbits = 0;
	for (size_t d = 0; d < nd; d++) {
		const struct qkey *q = &keys[deferred[d]];
		if (dbits & q->bits)
			continue;
		dbits |= q->bits;
		tw[q->tok] = q->credit * q->weight;
		tu[q->tok] = q->miss;
	}
	s->stat_touched += s->n_touched;
	for (size_t i = 0; i < s->n_touched; i++) {
		uint32_t nm = s->touched[i];
		const struct iname *in = &ix->names[nm];
		struct vg__acc *a = &s->acc[nm];
		uint32_t open = dbits & ~a->seen;
		float pre, dw = 0, du = 0;
		for (uint32_t b = open; b; b &= b - 1) {
			int t = __builtin_ctz(b);
			dw += tw[t];
			du += tu[t];
		}
		/* look into the name only when the deferred keys could lift
		 * it over the gate */
		if (open &&
		    gate_pass(a->m + dw, a->u + du, qmiss, in->miss)) {
			for (size_t d = 0; d < nd; d++) {
				const struct qkey *q = &keys[deferred[d]];
				if ((a->seen & q->bits) ||
				    !has_key(ix, in, qv, q))
					continue;
				a->seen |= q->bits;
				a->m += q->credit * q->weight;
				a->u += q->miss;
			}
		}
		bool pass = gate_pass(a->m, a->u, qmiss, in->miss);
		pre = pass ? gate_ratio(a->m, a->u, qmiss, in->miss) : 0;
		*a = (struct vg__acc){0, 0, 0};
		if (!pass || ix->entries[in->entry]->kind != kind)
			continue;
		s->cand[nc++] = (struct vg__cand){nm, pre, in->miss};
	}
	s->n_touched = 0;
	return nc;
}

struct found {
	uint32_t entry;
	double score;
};

static int cmp_found(const void *x, const void *y)
{
	const struct found *a = x, *b = y;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return a->entry < b->entry ? -1 : a->entry > b->entry;
}

int vg_match_index_query(const struct vg_match_index *ix,
			 struct vg_match_scratch *s, const struct vg_person *q,
			 double threshold, struct vg_match_hit *hits,
			 size_t max_hits, size_t *n_hits)
{
	uint32_t cn[CAND_MAX * 4];
	struct found found[CAND_MAX * 4];
	size_t ncn = 0, nf = 0;
	int rc;
	if (!ix || !s || !q || !n_hits || (max_hits && !hits) || s->ix != ix)
		return VG_EINVAL;
	s->stat_touched = s->stat_candidates = s->stat_scored = 0;
	rc = vg__scratch_names(s, true, q->n_names);
	if (rc)
		return rc;
	for (size_t i = 0; i < q->n_names; i++) {
		const char *f = q->names[i].full ? q->names[i].full : "";
		rc = vg_name_normalize(s->norm, f, strlen(f), q->kind, &s->q[i]);
		if (rc)
			return rc;
	}
	/* candidate names of every query name (the first four) */
	for (size_t i = 0; i < q->n_names && i < 4; i++) {
		struct vg__nview qv = vg__view(&s->q[i]);
		size_t nc = candidates(ix, s, &qv, q->kind);
		s->stat_candidates += nc;
		if (nc > CAND_MAX) {
			qsort(s->cand, nc, sizeof(*s->cand), cmp_cand);
			nc = CAND_MAX;
		}
		for (size_t k = 0; k < nc; k++)
			cn[ncn++] = s->cand[k].name;
	}
	/* names of one entry are consecutive: sorting groups them */
	for (size_t i = 1; i < ncn; i++) { /* few: insertion sort */
		uint32_t v = cn[i];
		size_t j = i;
		for (; j > 0 && cn[j - 1] > v; j--)
			cn[j] = cn[j - 1];
		cn[j] = v;
	}
	rc = vg__scratch_views(s, q->n_names + ncn);
	if (!rc && ncn > s->emap_cap) {
		void *p = realloc(s->emap, ncn * sizeof(*s->emap));
		if (!p)
			rc = VG_ENOMEM;
		else {
			s->emap = p;
			s->emap_cap = ncn;
		}
	}
	if (rc)
		return rc;
	struct vg__nview *qv = s->views, *ev = s->views + q->n_names;
	for (size_t i = 0; i < q->n_names; i++)
		qv[i] = vg__view(&s->q[i]);
	for (size_t k = 0; k < ncn;) {
		uint32_t e = ix->names[cn[k]].entry;
		size_t ne = 0;
		for (; k < ncn && ix->names[cn[k]].entry == e; k++) {
			if (ne && s->emap[ne - 1] ==
					  cn[k] - ix->ent[e].first)
				continue; /* found by two query names */
			const struct iname *in = &ix->names[cn[k]];
			ev[ne] = (struct vg__nview){ix->tok + in->tok, in->n,
						    ix->pool};
			s->emap[ne++] = cn[k] - ix->ent[e].first;
		}
		double sc = vg__score_person(q, qv, q->n_names, ix->entries[e],
					     ev, s->emap, ne, threshold, NULL);
		s->stat_scored++;
		if (sc >= threshold)
			found[nf++] = (struct found){e, sc};
	}
	qsort(found, nf, sizeof(found[0]), cmp_found);
	if (nf > max_hits)
		nf = max_hits;
	for (size_t k = 0; k < nf; k++) {
		uint32_t e = found[k].entry;
		struct vg_match_hit *h = &hits[k];
		size_t ne = 0;
		/* the explanation from the same candidate names */
		for (size_t j = 0; j < ncn; j++) {
			const struct iname *in = &ix->names[cn[j]];
			if (in->entry != e || (ne && s->emap[ne - 1] ==
							     cn[j] - ix->ent[e].first))
				continue;
			ev[ne] = (struct vg__nview){ix->tok + in->tok, in->n,
						    ix->pool};
			s->emap[ne++] = cn[j] - ix->ent[e].first;
		}
		h->entry = e;
		h->user = ix->user[e];
		h->score = vg__score_person(q, qv, q->n_names, ix->entries[e],
					    ev, s->emap, ne, threshold, &h->ex);
	}
	*n_hits = nf;
	return VG_OK;
}
