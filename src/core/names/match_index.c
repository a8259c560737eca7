/* The candidate index, keys and build: every watchlist name normalised
 * once and keyed by its tokens, consonant skeletons (and their one-letter
 * deletions) and phonetic keys, so a query scores tens of entries instead
 * of the list. Read-only after build (queries: match_query.c). */
#include "match_index_int.h"
#include "vigil/util/error.h"

#include <stdlib.h>
#include <string.h>

/* ---- keys ------------------------------------------------------- */

uint64_t vg__key_of(int kind, const char *s, size_t len, uint64_t extra)
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

/* The keys of one token, strongest first (a query credits a name once per
 * token, with the first key that finds it): its spelling (or its common
 * name group), its skeleton and phonetic key; then (vg__token_del_keys) its
 * skeleton and its spelling with one letter deleted (SymSpell: "pulin"
 * and "putin" share "puin", "ntgnd" and "tgnd" share "tgnd"), so one
 * typo still finds the name. An index keys them all; a query does not
 * ask for the deletions of a common name (its group finds its listed
 * spellings; the index still keys the deletions of every spelling, for a
 * misspelling the table lacks: "Mahamood") nor of a word many names
 * have as written. */
void vg__token_keys(const char *pool, const struct vg_name_token *t,
                    vg__key_fn fn, void *ctx)
{
	const char *sk = pool + t->skel, *tx = pool + t->text;
	if (t->weight <= 0.0f || t->sym != VG_SYM_NONE)
		return; /* particles and articles find everything */
	if (t->group)
		fn(ctx, VG__K_GROUP, vg__key_of(VG__K_GROUP, NULL, 0, t->group),
		   VG__CREDIT_TEXT);
	else
		fn(ctx, VG__K_TEXT, vg__key_of(VG__K_TEXT, tx, t->len, 0),
		   VG__CREDIT_TEXT);
	/* an abd- compound is also found by, and finds, its bare name
	 * ("Abdul Basir" / "Basir") */
	if ((t->flags & VG_TOK_ABD) && t->len >= 6)
		fn(ctx, VG__K_TEXT,
		   vg__key_of(VG__K_TEXT, tx + 3, t->len - 3U, 0),
		   VG__CREDIT_ABD_BARE);
	if (t->flags & (VG_TOK_DIGITS | VG_TOK_INITIAL))
		return;
	if (t->skel_len >= 2)
		fn(ctx, VG__K_SKEL, vg__key_of(VG__K_SKEL, sk, t->skel_len, 0),
		   VG__CREDIT_SKEL);
	if (t->phon_len >= 2)
		fn(ctx, VG__K_PHON,
		   vg__key_of(VG__K_PHON, pool + t->phon, t->phon_len, 0),
		   VG__CREDIT_PHON);
}

/* The deletion keys of a token (see vg__token_keys). */
void vg__token_del_keys(const char *pool, const struct vg_name_token *t,
                        vg__key_fn fn, void *ctx)
{
	const char *sk = pool + t->skel, *tx = pool + t->text;
	char d[VG_NAME_TOKEN_MAX + 1];
	if (t->weight <= 0.0f || t->sym != VG_SYM_NONE ||
	    (t->flags & (VG_TOK_DIGITS | VG_TOK_INITIAL)))
		return;
	if (t->skel_len >= VG__MIN_SKDEL_SKEL) {
		fn(ctx, VG__K_SKDEL,
		   vg__key_of(VG__K_SKDEL, sk, t->skel_len, 0), VG__CREDIT_DEL);
		for (size_t i = 0; i < t->skel_len; i++) {
			memcpy(d, sk, i);
			memcpy(d + i, sk + i + 1, t->skel_len - i - 1U);
			fn(ctx, VG__K_SKDEL,
			   vg__key_of(VG__K_SKDEL, d, t->skel_len - 1U, 0),
			   VG__CREDIT_DEL);
		}
	}
	if (t->len >= VG__MIN_DEL_LEN) {
		fn(ctx, VG__K_DEL, vg__key_of(VG__K_DEL, tx, t->len, 0),
		   VG__CREDIT_DEL);
		for (size_t i = 0; i < t->len; i++) {
			if (i && tx[i] == tx[i - 1])
				continue; /* the same string again */
			memcpy(d, tx, i);
			memcpy(d + i, tx + i + 1, t->len - i - 1U);
			fn(ctx, VG__K_DEL,
			   vg__key_of(VG__K_DEL, d, t->len - 1U, 0),
			   VG__CREDIT_DEL);
		}
	}
}

/* Two neighbouring tokens run together ("al sabah" -> "alsabah"), so a
 * packed spelling on either side finds the other. */
bool vg__pair_key(const char *pool, const struct vg_name_token *a,
                  const struct vg_name_token *b, uint64_t *key)
{
	char s[2 * VG_NAME_TOKEN_MAX + 1];
	if ((a->flags | b->flags) & VG_TOK_DIGITS)
		return false;
	if (a->sym != VG_SYM_NONE && b->sym != VG_SYM_NONE)
		return false;
	memcpy(s, pool + a->text, a->len);
	memcpy(s + a->len, pool + b->text, b->len);
	*key = vg__key_of(VG__K_TEXT, s, (size_t)a->len + b->len, 0);
	return true;
}

size_t vg__slot(const struct vg_match_index *ix, uint64_t key)
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

static void build_key(void *ctx, int kind, uint64_t key, float credit)
{
	struct build *b = ctx;
	(void)credit;
	if (kind == VG__K_TEXT || kind == VG__K_GROUP || kind == VG__K_SKEL ||
	    kind == VG__K_PHON)
		b->sig |= vg__sig_bit(key);
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
	struct vg__iname *in = &ix->names[ix->n_names];
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
	memset(in->groups, 0, sizeof(in->groups));
	in->ngroups = 0;
	memcpy(ix->pool + ix->pool_len, t->pool, t->pool_len);
	for (size_t i = 0; i < t->n; i++) {
		struct vg_name_token k = t->tok[i];
		k.text += (uint32_t)ix->pool_len;
		k.skel += (uint32_t)ix->pool_len;
		k.phon += (uint32_t)ix->pool_len;
		ix->tok[ix->n_tok + i] = k;
		if (k.weight > 0 && !(k.flags & VG_TOK_INITIAL) &&
		    !vg__particle(&k))
			in->miss += vg__miss_weight(&k);
		if (k.group && k.weight > 0) {
			if (in->ngroups < 4)
				in->groups[in->ngroups] = k.group;
			if (in->ngroups < UINT8_MAX)
				in->ngroups++;
		}
	}
	ix->pool_len += t->pool_len;
	b->name = (uint32_t)ix->n_names;
	b->sig = 0;
	/* the pool may move as it grows: keys are made from the final
	 * copy, which is stable until the next add_name */
	const struct vg_name_token *tk = &ix->tok[ix->n_tok];
	bool weak = true;
	for (size_t i = 0; i < t->n; i++)
		if (tk[i].weight > 0 && tk[i].sym == VG_SYM_NONE &&
		    !tk[i].group)
			weak = false;
	for (size_t i = 0; i < t->n; i++) {
		uint64_t k;
		vg__token_keys(ix->pool, &tk[i], build_key, b);
		vg__token_del_keys(ix->pool, &tk[i], build_key, b);
		if (i + 1 < t->n &&
		    vg__pair_key(ix->pool, &tk[i], &tk[i + 1], &k))
			build_key(b, VG__K_TEXT, k, 0);
		/* a name of common names only ("Abu Mohammed") is listed
		 * again in a short list of such names per common name */
		if (weak && tk[i].group)
			build_key(b, VG__K_WEAK,
			          vg__key_of(VG__K_WEAK, NULL, 0, tk[i].group),
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
		if (i && p->key == b->v[i - 1].key &&
		    p->name == b->v[i - 1].name)
			continue; /* the same key twice in one name */
		size_t s = vg__slot(ix, p->key);
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
			const char *f =
			    p->names[j].full ? p->names[j].full : "";
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
