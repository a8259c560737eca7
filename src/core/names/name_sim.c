/* String and token similarity for name matching: Levenshtein and optimal
 * string alignment distances (plain dynamic programme and Myers/Hyyro
 * bit-parallel), Jaro-Winkler, the weighted distance with cheap
 * confusable letters, and the similarity of two normalised tokens. */
#include "match_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- plain dynamic programmes (the reference) ------------------- */

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;
	return m < c ? m : c;
}

/* One routine for both distances: osa adds adjacent transpositions. */
static size_t dp_dist(const char *a, size_t alen, const char *b, size_t blen,
                      bool osa)
{
	size_t stack[3 * 256];
	size_t *rows = stack, *heap = NULL, d;
	if (blen + 1 > 256) {
		if (blen > (SIZE_MAX / sizeof(size_t) - 1) / 3)
			return SIZE_MAX;
		heap = malloc(3 * (blen + 1) * sizeof(size_t));
		if (!heap)
			return SIZE_MAX;
		rows = heap;
	}
	size_t *pp = rows, *p = rows + (blen + 1), *c = rows + 2 * (blen + 1);
	for (size_t j = 0; j <= blen; j++)
		p[j] = j;
	for (size_t i = 1; i <= alen; i++) {
		c[0] = i;
		for (size_t j = 1; j <= blen; j++) {
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			c[j] = min3(p[j] + 1, c[j - 1] + 1, p[j - 1] + cost);
			if (osa && i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && pp[j - 2] + 1 < c[j])
				c[j] = pp[j - 2] + 1;
		}
		size_t *t = pp;
		pp = p;
		p = c;
		c = t;
	}
	d = p[blen];
	free(heap);
	return d;
}

size_t vg_str_lev(const char *a, size_t alen, const char *b, size_t blen)
{
	return dp_dist(a, alen, b, blen, false);
}

size_t vg_str_osa(const char *a, size_t alen, const char *b, size_t blen)
{
	return dp_dist(a, alen, b, blen, true);
}

/* ---- bit-parallel (Myers 1999, Hyyro 2001/2003) ----------------- */

/* The pattern's match masks, one word per byte value. */
struct peq {
	uint64_t m[256];
};

static void peq_set(struct peq *q, const char *a, size_t alen)
{
	for (size_t i = 0; i < alen; i++)
		q->m[(unsigned char)a[i]] |= (uint64_t)1 << i;
}

static size_t bp_dist(const struct peq *q, size_t m, const char *b, size_t blen,
                      bool osa)
{
	uint64_t vp = m == 64 ? ~(uint64_t)0 : (((uint64_t)1 << m) - 1);
	uint64_t vn = 0, d0 = 0, pm_old = 0;
	uint64_t top = (uint64_t)1 << (m - 1);
	size_t score = m;
	for (size_t j = 0; j < blen; j++) {
		uint64_t pm = q->m[(unsigned char)b[j]];
		uint64_t tr = osa ? (((~d0) & pm) << 1) & pm_old : 0;
		d0 = (((pm & vp) + vp) ^ vp) | pm | vn | tr;
		uint64_t hp = vn | ~(d0 | vp);
		uint64_t hn = d0 & vp;
		if (hp & top)
			score++;
		else if (hn & top)
			score--;
		hp = (hp << 1) | 1;
		hn <<= 1;
		vp = hn | ~(d0 | hp);
		vn = hp & d0;
		pm_old = pm;
	}
	return score;
}

static size_t bp(const char *a, size_t alen, const char *b, size_t blen,
                 bool osa)
{
	struct peq q;
	size_t d;
	if (alen > 64)
		return SIZE_MAX;
	if (!alen)
		return blen;
	/* only the entries the strings use are cleared: zeroing all 2 KiB
	 * would cost more than the distance itself */
	for (size_t i = 0; i < alen; i++)
		q.m[(unsigned char)a[i]] = 0;
	for (size_t j = 0; j < blen; j++)
		q.m[(unsigned char)b[j]] = 0;
	peq_set(&q, a, alen);
	d = bp_dist(&q, alen, b, blen, osa);
	return d;
}

size_t vg_str_lev_bp(const char *a, size_t alen, const char *b, size_t blen)
{
	return bp(a, alen, b, blen, false);
}

size_t vg_str_osa_bp(const char *a, size_t alen, const char *b, size_t blen)
{
	return bp(a, alen, b, blen, true);
}

/* ---- Jaro-Winkler ----------------------------------------------- */

double vg_str_jaro(const char *a, size_t alen, const char *b, size_t blen)
{
	uint64_t bmatched = 0, amatched = 0;
	size_t m = 0, t = 0, k = 0;
	if (alen > 64)
		alen = 64;
	if (blen > 64)
		blen = 64;
	if (!alen && !blen)
		return 1.0;
	if (!alen || !blen)
		return 0.0;
	size_t win = (alen > blen ? alen : blen) / 2;
	win = win ? win - 1 : 0;
	for (size_t i = 0; i < alen; i++) {
		size_t lo = i > win ? i - win : 0;
		size_t hi = i + win + 1 < blen ? i + win + 1 : blen;
		for (size_t j = lo; j < hi; j++) {
			if (!(bmatched & ((uint64_t)1 << j)) && a[i] == b[j]) {
				bmatched |= (uint64_t)1 << j;
				amatched |= (uint64_t)1 << i;
				m++;
				break;
			}
		}
	}
	if (!m)
		return 0.0;
	for (size_t i = 0; i < alen; i++) {
		if (!(amatched & ((uint64_t)1 << i)))
			continue;
		while (!(bmatched & ((uint64_t)1 << k)))
			k++;
		if (a[i] != b[k])
			t++;
		k++;
	}
	double md = (double)m;
	return (md / (double)alen + md / (double)blen +
	        (md - (double)t / 2) / md) /
	       3.0;
}

double vg_str_jaro_winkler(const char *a, size_t alen, const char *b,
                           size_t blen)
{
	double j = vg_str_jaro(a, alen, b, blen);
	size_t l = 0;
	/* Winkler's boost applies only to pairs already alike (> 0.7) */
	if (j <= 0.7)
		return j;
	while (l < 4 && l < alen && l < blen && a[l] == b[l])
		l++;
	return j + (double)l * 0.1 * (1.0 - j);
}

/* ---- weighted distance ------------------------------------------ */

/* The confusable classes: one letter per class, and 0 for letters that
 * vanish (h, as in Mohamed / Muhammad, Jonson / Johnson). */
static char fold_char(char c)
{
	switch (c) {
	case 'a':
	case 'e':
	case 'i':
	case 'o':
	case 'u':
	case 'y':
	case '0':
	case '1':
	case '3':
	case '4':
		return 'a';
	case 'c':
	case 'g':
	case 'j':
	case 'k':
	case 'q':
	case '9':
		return 'k';
	case 's':
	case 'z':
	case '2':
	case '5':
		return 's';
	case 'd':
	case 't':
	case '7':
		return 't';
	case 'b':
	case 'p':
	case '6':
	case '8':
		return 'p';
	case 'f':
	case 'v':
	case 'w':
		return 'f';
	case 'h':
		return 0;
	default:
		return c;
	}
}

/* Fold and collapse doubled letters (Hanniball, Mohammed). */
static size_t fold(const char *s, size_t len, char *out)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		char c = fold_char(s[i]);
		if (!c || (n && out[n - 1] == c))
			continue;
		out[n++] = c;
	}
	return n;
}

struct vg__sig vg__signature(const char *s, size_t len)
{
	struct vg__sig g = {0, 0, len};
	for (size_t i = 0; i < len; i++) {
		char c = fold_char(s[i]);
		unsigned ci = (c >= 'a' && c <= 'z') ? (unsigned)(c - 'a') : 26;
		unsigned li =
		    (s[i] >= 'a' && s[i] <= 'z') ? (unsigned)(s[i] - 'a') : 26;
		if (c) {
			uint64_t b = (uint64_t)1 << ci;
			g.c |= (g.c & b) ? b << 32 : b;
		}
		g.l |= (uint32_t)1 << li;
	}
	return g;
}

/* Portable popcount: the generic build has no popcnt instruction and
 * the builtin then calls a slow library routine. */
static unsigned popcount64(uint64_t x)
{
	x = x - ((x >> 1) & 0x5555555555555555ULL);
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
	return (unsigned)((x * 0x0101010101010101ULL) >> 56);
}

bool vg__may_match(const struct vg__sig *a, const struct vg__sig *b)
{
	size_t l = a->len > b->len ? a->len : b->len;
	size_t dl = a->len > b->len ? a->len - b->len : b->len - a->len;
	double budget = vg_name_budget(l);
	/* weighted distance >= d_fold >= |cmask xor| / 2 and
	 * >= d_raw / 2 >= |lmask xor| / 4 and >= length difference / 2 */
	return 0.5 * (double)dl <= budget &&
	       (double)popcount64(a->c ^ b->c) / 2.0 <= budget &&
	       (double)popcount64(a->l ^ b->l) / 4.0 <= budget;
}

/* The weighted distance, or a value above limit as soon as the folded
 * distance alone exceeds it (the raw distance is then not needed). */
static double wdist_limited(const char *a, size_t alen, const char *b,
                            size_t blen, double limit)
{
	char fa[VG_NAME_POOL_MAX], fb[VG_NAME_POOL_MAX];
	size_t raw, fd, fal, fbl;
	if (alen > blen) { /* the shorter is the bit-parallel pattern */
		const char *t = a;
		size_t tl = alen;
		a = b;
		alen = blen;
		b = t;
		blen = tl;
	}
	if (blen >= sizeof(fa))
		blen = sizeof(fa) - 1;
	if (alen > blen)
		alen = blen;
	fal = fold(a, alen, fa);
	fbl = fold(b, blen, fb);
	fd = fal <= 64 ? vg_str_osa_bp(fa, fal, fb, fbl)
	               : vg_str_osa(fa, fal, fb, fbl);
	if (fd == SIZE_MAX)
		return (double)blen;
	if ((double)fd > limit)
		return (double)fd;
	raw = alen <= 64 ? vg_str_osa_bp(a, alen, b, blen)
	                 : vg_str_osa(a, alen, b, blen);
	if (raw == SIZE_MAX)
		return (double)blen;
	if (fd > raw) /* cannot happen for a letter map; kept as a guard */
		fd = raw;
	return (double)fd + 0.5 * (double)(raw - fd);
}

double vg_name_wdist(const char *a, size_t alen, const char *b, size_t blen)
{
	return wdist_limited(a, alen, b, blen, (double)SIZE_MAX);
}

double vg_name_budget(size_t len)
{
	if (len <= 3)
		return 0.5;
	if (len <= 5)
		return 1.0;
	if (len <= 8)
		return 1.5;
	if (len <= 11)
		return 2.0;
	return 2.5;
}

/* ---- token similarity ------------------------------------------- */

/* An abd- compound against the bare name after abd-. */
#define ABD_BARE 0.8
/* The edit budget between a very common name and another word. */
#define GROUP_BUDGET 0.5

/* Within budget (capped at cap): half the weighted distance against the
 * budget, half Jaro-Winkler (which rewards a shared beginning). */
static double fuzzy_capped(const char *a, size_t alen, const char *b,
                           size_t blen, double cap)
{
	size_t l = alen > blen ? alen : blen;
	double budget = vg_name_budget(l);
	if (budget > cap)
		budget = cap;
	double d = wdist_limited(a, alen, b, blen, budget);
	if (d > budget)
		return 0.0;
	/* the edit part falls to 0.5 at the edge of the budget */
	double s = 1.0 - 0.5 * d / budget;
	return 0.5 * s + 0.5 * vg_str_jaro_winkler(a, alen, b, blen);
}

static double fuzzy_checked(const char *a, size_t alen, const char *b,
                            size_t blen)
{
	return fuzzy_capped(a, alen, b, blen, 1e9);
}

static double fuzzy(const char *a, size_t alen, const char *b, size_t blen)
{
	struct vg__sig sa = vg__signature(a, alen), sb = vg__signature(b, blen);
	if (!vg__may_match(&sa, &sb))
		return 0.0;
	return fuzzy_checked(a, alen, b, blen);
}

/* Arabic script writes no short vowels: compare consonant skeletons. */
static double skel_sim(const char *sa, size_t sal, const char *sb, size_t sbl)
{
	if (!sal || !sbl)
		return 0.0;
	/* two consonants ("ns": Yunus, Niaz, Anas) say little, one less */
	if (sal == sbl && !memcmp(sa, sb, sal))
		return sal >= 3 ? 0.9 : sal == 2 ? 0.7 : 0.6;
	if (sal < 3 || sbl < 3)
		return 0.0;
	size_t d = vg_str_lev_bp(sa, sal, sb, sbl);
	size_t l = sal > sbl ? sal : sbl;
	if (d == 1 && l >= 4)
		return 0.75;
	return 0.0;
}

double vg__string_sim(const char *a, size_t alen, const char *b, size_t blen,
                      bool abjad, bool checked, enum vg_match_how *how)
{
	double s = 0.0;
	enum vg_match_how h = VG_HOW_NONE;
	if (alen == blen && !memcmp(a, b, alen)) {
		s = 1.0;
		h = VG_HOW_EXACT;
	} else if (alen > 2 && blen > 2) {
		s = checked ? fuzzy_checked(a, alen, b, blen)
		            : fuzzy(a, alen, b, blen);
		if (s > 0)
			h = VG_HOW_FUZZY;
		if (abjad) {
			char ka[VG_NAME_POOL_MAX], kb[VG_NAME_POOL_MAX];
			size_t kal = vg_name_skeleton(a, alen, ka, sizeof(ka));
			size_t kbl = vg_name_skeleton(b, blen, kb, sizeof(kb));
			double k = skel_sim(ka, kal, kb, kbl);
			if (k > s) {
				s = k;
				h = VG_HOW_SKELETON;
			}
		}
	}
	if (how)
		*how = h;
	return s;
}

double vg_name_token_sim(const char *pa, const struct vg_name_token *a,
                         const char *pb, const struct vg_name_token *b,
                         enum vg_match_how *how)
{
	const char *ta = pa + a->text, *tb = pb + b->text;
	enum vg_match_how h = VG_HOW_NONE;
	double s = 0.0, cap = 1e9;
	if (a->len == b->len && !memcmp(ta, tb, a->len)) {
		s = 1.0;
		h = a->sym != VG_SYM_NONE ? VG_HOW_SYMBOL : VG_HOW_EXACT;
		goto out;
	}
	if (a->sym != VG_SYM_NONE || b->sym != VG_SYM_NONE)
		goto out; /* symbols match only themselves */
	if (a->group || b->group) {
		/* spellings of one common name are the same name; two
		 * different common names (Ahmad, Muhammad) are not alike
		 * however close their letters */
		if (a->group == b->group) {
			s = 1.0;
			h = VG_HOW_VARIANT;
			goto out;
		}
		if (a->group && b->group)
			goto out;
		/* a common name has many near neighbours that are other
		 * names (Ahmed, Hamed, Ahmadi): one cheap edit at most */
		cap = GROUP_BUDGET;
	}
	if ((a->flags ^ b->flags) & VG_TOK_ABD) {
		/* "Abdul Hanif" against "Hanif": the same name with abd-
		 * added or dropped, a weaker match than the compound */
		const struct vg_name_token *c = (a->flags & VG_TOK_ABD) ? a : b;
		const struct vg_name_token *o = c == a ? b : a;
		const char *tc = (c == a ? ta : tb) + 3;
		const char *to = c == a ? tb : ta;
		size_t lc = c->len - 3U;
		if (lc > 2 && o->len > 2) {
			s = ABD_BARE *
			    vg__string_sim(tc, lc, to, o->len,
			                   (a->flags | b->flags) & VG_TOK_ABJAD,
			                   false, NULL);
			h = VG_HOW_FUZZY;
		}
		goto out;
	}
	if ((a->flags | b->flags) & VG_TOK_DIGITS)
		goto out;
	if ((a->flags & b->flags) & VG_TOK_CJK)
		goto out; /* one syllable more or less is another name */
	if ((a->flags & VG_TOK_INITIAL) || (b->flags & VG_TOK_INITIAL)) {
		if (ta[0] == tb[0] &&
		    !((a->flags & b->flags) & VG_TOK_INITIAL)) {
			s = 0.75;
			h = VG_HOW_INITIAL;
		}
		goto out;
	}
	/* Arabic script writes two letters for Izzat (zt) or Taha (th):
	 * its short tokens still compare by skeleton */
	if ((a->len <= 2 || b->len <= 2) &&
	    !(((a->flags | b->flags) & VG_TOK_ABJAD) && a->len > 1 &&
	      b->len > 1))
		goto out;
	struct vg__sig sa = vg__tok_sig(a), sb = vg__tok_sig(b);
	if (a->len > 2 && b->len > 2 && vg__may_match(&sa, &sb))
		s = fuzzy_capped(ta, a->len, tb, b->len, cap);
	if (s > 0)
		h = VG_HOW_FUZZY;
	if ((a->flags | b->flags) & VG_TOK_ABJAD) {
		double k = skel_sim(pa + a->skel, a->skel_len, pb + b->skel,
		                    b->skel_len);
		if (k > s) {
			s = k;
			h = VG_HOW_SKELETON;
		}
	}
out:
	if (how)
		*how = h;
	return s;
}
