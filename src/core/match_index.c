/* The candidate index: every watchlist name normalised once and keyed by
 * its tokens, consonant skeletons (and their one-letter deletions) and
 * phonetic keys, so a query scores tens of entries instead of the list.
 * Read-only after build; queries keep their state in a scratch. */
#include "match_int.h"
#include "vigil/error.h"

#include <stdlib.h>
#include <string.h>

/* Key kinds, and the share of a token's weight a hit on each earns. */
enum { K_TEXT = 1, K_GROUP, K_SKEL, K_PHON, K_SKDEL };
#define CREDIT_TEXT 1.0f
#define CREDIT_SKEL 0.9f
#define CREDIT_PHON 0.7f
#define CREDIT_SKDEL 0.6f
/* A name becomes a candidate when the keys explain this share of the
 * query's or of its own weight: the name score needs much more. */
#define CAND_GATE 0.45f
/* At most this many candidate names are scored, best key evidence first. */
#define CAND_MAX 64
#define MIN_SKDEL_SKEL 4 /* skeletons shorter than this get no deletions */

struct iname {
	uint32_t entry;
	uint32_t tok; /* first token in ix->tok */
	uint32_t n;   /* tokens */
	float weight; /* sum of its content tokens' weights */
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
	uint64_t *keys; /* open addressing, 0 = empty */
	uint32_t *kstart, *kcount;
	size_t kmask;
	uint32_t *post;
	size_t n_post;
};

struct vg__cand {
	uint32_t name;
	float pre;
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

typedef void (*key_fn)(void *ctx, uint64_t key, float credit);

/* The keys of one token, strongest first (a query credits a name once per
 * token, with the first key that finds it). */
static void token_keys(const char *pool, const struct vg_name_token *t,
		       key_fn fn, void *ctx)
{
	const char *sk = pool + t->skel;
	if (t->weight <= 0.0f || t->sym != VG_SYM_NONE)
		return; /* particles and articles find everything */
	if (t->group) {
		fn(ctx, key_of(K_GROUP, NULL, 0, t->group), CREDIT_TEXT);
		return;
	}
	fn(ctx, key_of(K_TEXT, pool + t->text, t->len, 0), CREDIT_TEXT);
	if (t->flags & (VG_TOK_DIGITS | VG_TOK_INITIAL))
		return;
	if (t->skel_len >= 2)
		fn(ctx, key_of(K_SKEL, sk, t->skel_len, 0), CREDIT_SKEL);
	if (t->phon_len >= 2)
		fn(ctx, key_of(K_PHON, pool + t->phon, t->phon_len, 0),
		   CREDIT_PHON);
	if (t->skel_len >= MIN_SKDEL_SKEL) {
		char d[VG_NAME_TOKEN_MAX + 1];
		fn(ctx, key_of(K_SKDEL, sk, t->skel_len, 0), CREDIT_SKDEL);
		for (size_t i = 0; i < t->skel_len; i++) {
			memcpy(d, sk, i);
			memcpy(d + i, sk + i + 1, t->skel_len - i - 1);
			fn(ctx, key_of(K_SKDEL, d, t->skel_len - 1U, 0),
			   CREDIT_SKDEL);
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
	while (ix->keys[i] && ix->keys[i] != key)
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
	int rc;
};

static void build_key(void *ctx, uint64_t key, float credit)
{
	struct build *b = ctx;
	(void)credit;
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
	in->weight = 0;
	memcpy(ix->pool + ix->pool_len, t->pool, t->pool_len);
	for (size_t i = 0; i < t->n; i++) {
		struct vg_name_token k = t->tok[i];
		k.text += (uint32_t)ix->pool_len;
		k.skel += (uint32_t)ix->pool_len;
		k.phon += (uint32_t)ix->pool_len;
		ix->tok[ix->n_tok + i] = k;
		in->weight += k.weight;
	}
	ix->pool_len += t->pool_len;
	b->name = (uint32_t)ix->n_names;
	/* the pool may move as it grows: keys are made from the final
	 * copy, which is stable until the next add_name */
	const struct vg_name_token *tk = &ix->tok[ix->n_tok];
	for (size_t i = 0; i < t->n; i++) {
		uint64_t k;
		token_keys(ix->pool, &tk[i], build_key, b);
		if (i + 1 < t->n && pair_key(ix->pool, &tk[i], &tk[i + 1], &k))
			build_key(b, k, 0);
	}
	ix->n_tok += t->n;
	ix->n_names++;
	return b->rc;
}

static int make_table(struct vg_match_index *ix, struct build *b)
{
	size_t uniq = 0, cap = 16;
	qsort(b->v, b->n, sizeof(*b->v), cmp_kp);
	for (size_t i = 0; i < b->n; i++)
		if (!i || b->v[i].key != b->v[i - 1].key)
			uniq++;
	while (cap < 2 * uniq)
		cap *= 2;
	ix->keys = calloc(cap, sizeof(*ix->keys));
	ix->kstart = calloc(cap, sizeof(*ix->kstart));
	ix->kcount = calloc(cap, sizeof(*ix->kcount));
	ix->post = malloc((b->n ? b->n : 1) * sizeof(*ix->post));
	if (!ix->keys || !ix->kstart || !ix->kcount || !ix->post)
		return VG_ENOMEM;
	ix->kmask = cap - 1;
	for (size_t i = 0; i < b->n; i++) {
		const struct kp *p = &b->v[i];
		if (i && p->key == b->v[i - 1].key && p->name == b->v[i - 1].name)
			continue; /* the same key twice in one name */
		size_t s = slot(ix, p->key);
		if (!ix->keys[s]) {
			ix->keys[s] = p->key;
			ix->kstart[s] = (uint32_t)ix->n_post;
		}
		ix->kcount[s]++;
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
	free(ix->keys);
	free(ix->kstart);
	free(ix->kcount);
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
	s->stamp = calloc(n, sizeof(*s->stamp));
	s->touched = malloc(n * sizeof(*s->touched));
	s->cand = malloc(n * sizeof(*s->cand));
	s->cand_cap = n;
	if (!s->acc || !s->stamp || !s->touched || !s->cand)
		return VG_ENOMEM;
	return VG_OK;
}

void vg__index_scratch_release(struct vg_match_scratch *s)
{
	free(s->acc);
	free(s->stamp);
	free(s->touched);
	free(s->cand);
	s->acc = NULL;
	s->stamp = NULL;
	s->touched = NULL;
	s->cand = NULL;
}

/* ---- query ------------------------------------------------------ */

struct qctx {
	const struct vg_match_index *ix;
	struct vg_match_scratch *s;
	float weight; /* the query token's weight */
};

static void query_key(void *ctx, uint64_t key, float credit)
{
	struct qctx *c = ctx;
	const struct vg_match_index *ix = c->ix;
	struct vg_match_scratch *s = c->s;
	size_t sl = slot(ix, key);
	if (!ix->keys[sl])
		return;
	const uint32_t *p = ix->post + ix->kstart[sl];
	float w = credit * c->weight;
	for (uint32_t k = 0; k < ix->kcount[sl]; k++) {
		uint32_t nm = p[k];
		if (s->stamp[nm] == s->token_stamp)
			continue; /* this token already credited it */
		s->stamp[nm] = s->token_stamp;
		if (s->acc[nm] == 0.0f)
			s->touched[s->n_touched++] = nm;
		s->acc[nm] += w;
	}
}

static int cmp_cand(const void *x, const void *y)
{
	const struct vg__cand *a = x, *b = y;
	if (a->pre != b->pre)
		return a->pre > b->pre ? -1 : 1;
	return a->name < b->name ? -1 : a->name > b->name;
}

/* Key evidence for query name qv: fills s->cand, returns the count. */
static size_t candidates(const struct vg_match_index *ix,
			 struct vg_match_scratch *s, const struct vg__nview *qv,
			 enum vg_person_kind kind)
{
	struct qctx c = {ix, s, 0};
	float qw = 0;
	size_t nc = 0;
	for (size_t i = 0; i < qv->n; i++) {
		const struct vg_name_token *t = &qv->tok[i];
		uint64_t k;
		qw += t->weight;
		if (++s->token_stamp == 0) { /* wrapped: forget old stamps */
			memset(s->stamp, 0, ix->n_names * sizeof(*s->stamp));
			s->token_stamp = 1;
		}
		c.weight = t->weight;
		token_keys(qv->pool, t, query_key, &c);
		if (i + 1 < qv->n && pair_key(qv->pool, t, &qv->tok[i + 1], &k)) {
			c.weight = t->weight + qv->tok[i + 1].weight;
			query_key(&c, k, CREDIT_TEXT);
		}
	}
	for (size_t i = 0; i < s->n_touched; i++) {
		uint32_t nm = s->touched[i];
		const struct iname *in = &ix->names[nm];
		float a = s->acc[nm];
		float f1 = qw > 0 ? a / qw : 0, f2 = in->weight > 0 ? a / in->weight : 0;
		float pre = f1 > f2 ? f1 : f2;
		s->acc[nm] = 0.0f;
		if (pre < CAND_GATE || ix->entries[in->entry]->kind != kind)
			continue;
		s->cand[nc++] = (struct vg__cand){nm, pre};
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

static int cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return a < b ? -1 : a > b;
}

static void entry_views(const struct vg_match_index *ix, uint32_t e,
			struct vg__nview *v)
{
	const struct ientry *ie = &ix->ent[e];
	for (uint32_t j = 0; j < ie->n; j++) {
		const struct iname *in = &ix->names[ie->first + j];
		v[j] = (struct vg__nview){ix->tok + in->tok, in->n, ix->pool};
	}
}

int vg_match_index_query(const struct vg_match_index *ix,
			 struct vg_match_scratch *s, const struct vg_person *q,
			 double threshold, struct vg_match_hit *hits,
			 size_t max_hits, size_t *n_hits)
{
	uint32_t ents[CAND_MAX * 4];
	struct found found[CAND_MAX * 4];
	size_t ne = 0, nf = 0, maxn = 0;
	int rc;
	if (!ix || !s || !q || !n_hits || (max_hits && !hits) || s->ix != ix)
		return VG_EINVAL;
	s->stat_candidates = s->stat_scored = 0;
	rc = vg__scratch_names(s, true, q->n_names);
	if (rc)
		return rc;
	for (size_t i = 0; i < q->n_names; i++) {
		const char *f = q->names[i].full ? q->names[i].full : "";
		rc = vg_name_normalize(s->norm, f, strlen(f), q->kind, &s->q[i]);
		if (rc)
			return rc;
	}
	/* candidates of every query name (at most 4 names looked at) */
	for (size_t i = 0; i < q->n_names && i < 4; i++) {
		struct vg__nview qv = vg__view(&s->q[i]);
		size_t nc = candidates(ix, s, &qv, q->kind);
		s->stat_candidates += nc;
		if (nc > CAND_MAX) {
			qsort(s->cand, nc, sizeof(*s->cand), cmp_cand);
			nc = CAND_MAX;
		}
		for (size_t k = 0; k < nc; k++)
			ents[ne++] = ix->names[s->cand[k].name].entry;
	}
	qsort(ents, ne, sizeof(ents[0]), cmp_u32);
	for (size_t k = 0; k < ne; k++)
		if (ix->ent[ents[k]].n > maxn)
			maxn = ix->ent[ents[k]].n;
	rc = vg__scratch_views(s, q->n_names + maxn);
	if (rc)
		return rc;
	struct vg__nview *qv = s->views, *ev = s->views + q->n_names;
	for (size_t i = 0; i < q->n_names; i++)
		qv[i] = vg__view(&s->q[i]);
	for (size_t k = 0; k < ne; k++) {
		uint32_t e = ents[k];
		if (k && e == ents[k - 1])
			continue;
		/* dates of birth, gender, nationality alone may rule it out;
		 * else only names that may reach the floor are scored */
		double floor = vg__name_floor(q, ix->entries[e], threshold);
		if (floor > 1.0)
			continue;
		entry_views(ix, e, ev);
		double sc = vg__score_person_floor(q, qv, q->n_names,
						   ix->entries[e], ev,
						   ix->ent[e].n, floor);
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
		entry_views(ix, e, ev);
		h->entry = e;
		h->user = ix->user[e];
		h->score = vg__score_person(q, qv, q->n_names, ix->entries[e],
					    ev, ix->ent[e].n, &h->ex);
	}
	*n_hits = nf;
	return VG_OK;
}
