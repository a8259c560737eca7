/* Observation expressions [9.5, 9.6]: a depth-first search for a binding
 * of observations to the pattern's [ ... ] expressions that meets AND,
 * OR, FOLLOWEDBY, WITHIN, REPEATS and START/STOP. An observation seen
 * count times supplies count instances, all in [first, last]; instances
 * are counted, never listed, so the cost does not grow with count (the
 * OASIS matcher expands them, issue #67 there). docs/patterns.md gives
 * the time semantics. */
#include "vigil/util/error.h"

#include "pat_int.h"

#include <stdlib.h>
#include <string.h>

struct bind {
	uint32_t obs;
	uint64_t units;
};

enum { SC_WITHIN, SC_STARTSTOP, SC_AFTER };

/* A time constraint on every observation bound while it is active. */
struct scope {
	unsigned char kind, active;
	size_t h0; /* WITHIN: the bindings of its scope start here */
	struct vg_pattern_time a, b; /* WITHIN: a = duration; START/STOP;
	                                AFTER: a = threshold */
};

struct vg__search {
	uint64_t *used; /* instances taken, per observation */
	size_t used_cap;
	struct bind *stk;
	size_t top, stk_cap;
	struct scope *sc;
	size_t nsc, sc_cap;
	const struct vg_pattern_obs *obs;
	const struct vg__cands *cands;
	long steps;
	int depth;
	size_t floor_at;    /* REPEATS: the first binding of a repetition... */
	uint32_t floor_obs; /* ...is not below the previous one's first */
};

/* The rest of the match, as a chain of frames (continuations). */
struct kont {
	const struct kont *up;
	const struct vg__ox *x;
	size_t i;    /* next child, or repetitions done */
	size_t h0;   /* stack height where this node's bindings start */
	size_t slot; /* scope to switch off on resuming, or NONE */
};

#define NONE ((size_t)-1)
#define MAX_DEPTH 3000

int vg__search_new(struct vg__search **out)
{
	struct vg__search *s = calloc(1, sizeof(*s));
	if (!s)
		return VG_ENOMEM;
	*out = s;
	return VG_OK;
}

void vg__search_free(struct vg__search *s)
{
	if (!s)
		return;
	free(s->used);
	free(s->stk);
	free(s->sc);
	free(s);
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return VG_OK;
	size_t n = *cap ? *cap : 16;
	while (n < need)
		n *= 2;
	void *q = realloc(*p, n * size);
	if (!q)
		return VG_ENOMEM;
	*p = q;
	*cap = n;
	return VG_OK;
}

static int scope_push(struct vg__search *s, struct scope sc, size_t *slot)
{
	if (grow((void **)&s->sc, &s->sc_cap, s->nsc + 1, sizeof(*s->sc)))
		return -VG_ENOMEM;
	*slot = s->nsc;
	s->sc[s->nsc++] = sc;
	return 0;
}

/* May observation o join the binding under every active scope? */
static int scopes_ok(const struct vg__search *s, const struct vg_pattern_obs *o)
{
	for (size_t i = 0; i < s->nsc; i++) {
		const struct scope *c = &s->sc[i];
		if (!c->active)
			continue;
		if (c->kind == SC_AFTER) {
			if (vg__time_cmp(&o->last, &c->a) < 0)
				return 0;
		} else if (c->kind == SC_STARTSTOP) {
			/* Some instant of [first, last] in [start, stop). */
			if (vg__time_cmp(&o->first, &c->b) >= 0 ||
			    vg__time_cmp(&o->last, &c->a) < 0)
				return 0;
		} else {
			/* All of the scope's observations can be given
			 * instants within the duration: the latest first
			 * is at most the earliest last plus the duration. */
			struct vg_pattern_time maxf = o->first, minl = o->last;
			for (size_t k = c->h0; k < s->top; k++) {
				const struct vg_pattern_obs *b =
				    &s->obs[s->stk[k].obs];
				if (vg__time_cmp(&b->first, &maxf) > 0)
					maxf = b->first;
				if (vg__time_cmp(&b->last, &minl) < 0)
					minl = b->last;
			}
			struct vg_pattern_time lim = vg__time_add(minl, c->a);
			if (vg__time_cmp(&maxf, &lim) > 0)
				return 0;
		}
	}
	return 1;
}

static int m_node(struct vg__search *s, const struct vg__ox *x,
                  const struct kont *k);
static int m_cont(struct vg__search *s, const struct kont *k);

/* Bind t instances of observation o, go on with k, unbind. */
static int take(struct vg__search *s, uint32_t o, uint64_t t,
                const struct kont *k, const struct vg__ox *rep_leaf,
                uint64_t rest, size_t next_j);
static int rep_leaf(struct vg__search *s, const struct vg__ox *leaf,
                    uint64_t need, size_t from, const struct kont *k);

static int budget(struct vg__search *s)
{
	return ++s->steps > VG__SEARCH_BUDGET ? -VG_ETOOBIG : 0;
}

static int may_bind(const struct vg__search *s, uint32_t o)
{
	const struct vg_pattern_obs *ob = &s->obs[o];
	if (s->used[o] >= ob->count)
		return 0;
	if (s->top == s->floor_at && o < s->floor_obs)
		return 0;
	return scopes_ok(s, ob);
}

static int take(struct vg__search *s, uint32_t o, uint64_t t,
                const struct kont *k, const struct vg__ox *leaf, uint64_t rest,
                size_t next_j)
{
	int r = budget(s);
	if (r)
		return r;
	if (grow((void **)&s->stk, &s->stk_cap, s->top + 1, sizeof(*s->stk)))
		return -VG_ENOMEM;
	s->used[o] += t;
	s->stk[s->top++] = (struct bind){o, t};
	r = rest ? rep_leaf(s, leaf, rest, next_j, k) : m_cont(s, k);
	s->top--;
	s->used[o] -= t;
	return r;
}

/* REPEATS n TIMES over a [ ... ]: need more instances, taken several at
 * a time from one observation, from candidates from.. on. */
static int rep_leaf(struct vg__search *s, const struct vg__ox *leaf,
                    uint64_t need, size_t from, const struct kont *k)
{
	const struct vg__cands *c = &s->cands[leaf->leaf];
	uint64_t after = 0; /* instances the candidates after j can give */
	for (size_t j = from; j < c->n; j++) {
		uint64_t a = s->obs[c->idx[j]].count - s->used[c->idx[j]];
		after = after + a < after ? UINT64_MAX : after + a;
	}
	for (size_t j = from; j < c->n; j++) {
		uint32_t o = c->idx[j];
		uint64_t avail = s->obs[o].count - s->used[o];
		if (after != UINT64_MAX)
			after -= avail;
		if (avail + after < need && after != UINT64_MAX)
			return 0;
		if (!may_bind(s, o))
			continue;
		uint64_t hi = avail < need ? avail : need;
		uint64_t lo = need > after ? need - after : 1;
		/* Most from one observation first; fewer leaves instances of
		 * it to the rest of the pattern. */
		for (uint64_t t = hi; t >= lo && t; t--) {
			int r = take(s, o, t, k, leaf, need - t, j + 1);
			if (r)
				return r;
		}
	}
	return 0;
}

static int m_node(struct vg__search *s, const struct vg__ox *x,
                  const struct kont *k)
{
	int r = 0;
	size_t slot;
	if (++s->depth > MAX_DEPTH) {
		s->depth--;
		return -VG_ETOOBIG;
	}
	switch (x->kind) {
	case VG__OX_LEAF: {
		const struct vg__cands *c = &s->cands[x->leaf];
		for (size_t j = 0; j < c->n && !r; j++)
			if (may_bind(s, c->idx[j]))
				r = take(s, c->idx[j], 1, k, NULL, 0, 0);
		break;
	}
	case VG__OX_AND:
	case VG__OX_FOLLOWEDBY: {
		struct kont f = {k, x, 1, s->top, NONE};
		r = m_node(s, x->kids[0], &f);
		break;
	}
	case VG__OX_OR:
		for (size_t i = 0; i < x->n_kids && !r; i++)
			r = m_node(s, x->kids[i], k);
		break;
	case VG__OX_WITHIN:
	case VG__OX_STARTSTOP: {
		struct scope sc = {.active = 1, .h0 = s->top};
		sc.kind = x->kind == VG__OX_WITHIN ? SC_WITHIN : SC_STARTSTOP;
		sc.a = x->kind == VG__OX_WITHIN ? x->dur : x->start;
		sc.b = x->stop;
		if ((r = scope_push(s, sc, &slot)))
			break;
		struct kont f = {k, x, 0, s->top, slot};
		r = m_node(s, x->kids[0], &f);
		s->nsc--;
		break;
	}
	default: { /* REPEATS */
		const struct vg__ox *kid = x->kids[0];
		if (kid->kind == VG__OX_LEAF) {
			r = rep_leaf(s, kid, x->repeats, 0, k);
			break;
		}
		struct kont f = {k, x, 1, s->top, NONE};
		r = m_node(s, kid, &f);
		break;
	}
	}
	s->depth--;
	return r;
}

/* Resume frame k: the child before it has a binding. */
static int m_cont(struct vg__search *s, const struct kont *k)
{
	if (!k)
		return 1; /* the whole pattern has a binding */
	const struct vg__ox *x = k->x;
	int r = 0;
	if (++s->depth > MAX_DEPTH) {
		s->depth--;
		return -VG_ETOOBIG;
	}
	if (k->slot != NONE)
		s->sc[k->slot].active = 0;
	switch (x->kind) {
	case VG__OX_AND:
		if (k->i < x->n_kids) {
			struct kont f = {k->up, x, k->i + 1, k->h0, NONE};
			r = m_node(s, x->kids[k->i], &f);
		} else {
			r = m_cont(s, k->up);
		}
		break;
	case VG__OX_FOLLOWEDBY:
		if (k->i < x->n_kids) {
			/* Every later observation can be given an instant
			 * not before the latest first of the earlier ones. */
			struct scope sc = {.kind = SC_AFTER, .active = 1};
			size_t slot;
			sc.a = s->obs[s->stk[k->h0].obs].first;
			for (size_t j = k->h0 + 1; j < s->top; j++)
				if (vg__time_cmp(&s->obs[s->stk[j].obs].first,
				                 &sc.a) > 0)
					sc.a = s->obs[s->stk[j].obs].first;
			if ((r = scope_push(s, sc, &slot)))
				break;
			struct kont f = {k->up, x, k->i + 1, k->h0, slot};
			r = m_node(s, x->kids[k->i], &f);
			s->nsc--;
		} else {
			r = m_cont(s, k->up);
		}
		break;
	case VG__OX_REPEATS: {
		size_t fa = s->floor_at;
		uint32_t fo = s->floor_obs;
		if (k->i < x->repeats) {
			/* Repetitions in order of their first observation:
			 * the same set in another order is not tried. */
			s->floor_at = s->top;
			s->floor_obs = s->stk[k->h0].obs;
			struct kont f = {k->up, x, k->i + 1, s->top, NONE};
			r = m_node(s, x->kids[0], &f);
		} else {
			s->floor_at = NONE;
			r = m_cont(s, k->up);
		}
		s->floor_at = fa;
		s->floor_obs = fo;
		break;
	}
	default: /* WITHIN, START/STOP: the scope ends with its child */
		r = m_cont(s, k->up);
		break;
	}
	if (k->slot != NONE)
		s->sc[k->slot].active = 1;
	s->depth--;
	return r;
}

int vg__search_run(struct vg__search *s, const struct vg_pattern *p,
                   const struct vg_pattern_obs *obs, size_t n,
                   const struct vg__cands *cands)
{
	if (grow((void **)&s->used, &s->used_cap, n ? n : 1, sizeof(*s->used)))
		return -VG_ENOMEM;
	memset(s->used, 0, n * sizeof(*s->used));
	s->obs = obs;
	s->cands = cands;
	s->top = s->nsc = 0;
	s->steps = 0;
	s->depth = 0;
	s->floor_at = NONE;
	s->floor_obs = 0;
	return m_node(s, p->root, NULL);
}

int vg_pattern_match(const struct vg_pattern *p,
                     const struct vg_pattern_obs *obs, size_t n, int *matched)
{
	struct vg__cands *cands = NULL;
	uint32_t *idx = NULL;
	struct vg__search *s = NULL;
	int rc, r;

	if (n > UINT32_MAX)
		return VG_ETOOBIG;
	if (p->simple) {
		/* One [ ... ] without qualifiers: any observation will do. */
		for (size_t i = 0; i < n; i++) {
			if (obs[i].count && vg__leaf_eval(p->root, &obs[i])) {
				*matched = 1;
				return VG_OK;
			}
		}
		*matched = 0;
		return VG_OK;
	}
	if (n && p->n_leaves > SIZE_MAX / sizeof(*idx) / n)
		return VG_ETOOBIG;
	cands = calloc(p->n_leaves, sizeof(*cands));
	idx = malloc((p->n_leaves * n + 1) * sizeof(*idx));
	if (!cands || !idx) {
		rc = VG_ENOMEM;
		goto out;
	}
	for (size_t l = 0; l < p->n_leaves; l++) {
		uint32_t *at = idx + l * n;
		size_t k = 0;
		for (size_t i = 0; i < n; i++)
			if (obs[i].count &&
			    vg__leaf_eval(p->leaves[l], &obs[i]))
				at[k++] = (uint32_t)i;
		cands[l].idx = at;
		cands[l].n = k;
	}
	if ((rc = vg__search_new(&s)))
		goto out;
	r = vg__search_run(s, p, obs, n, cands);
	if (r < 0) {
		rc = -r;
		goto out;
	}
	*matched = r;
	rc = VG_OK;
out:
	vg__search_free(s);
	free(idx);
	free(cands);
	return rc;
}
