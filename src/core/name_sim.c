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

/* The pattern's match masks. Only the bytes in the pattern are set and
 * cleared again, so a call costs O(m + n), not a 256-entry reset. */
struct peq {
	uint64_t m[256];
};

static void peq_set(struct peq *q, const char *a, size_t alen)
{
	for (size_t i = 0; i < alen; i++)
		q->m[(unsigned char)a[i]] |= (uint64_t)1 << i;
}

static void peq_clear(struct peq *q, const char *a, size_t alen)
{
	for (size_t i = 0; i < alen; i++)
		q->m[(unsigned char)a[i]] = 0;
}

static size_t bp_dist(const struct peq *q, size_t m, const char *b,
		      size_t blen, bool osa)
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
	/* zeroing 2 KiB per call would cost more than the distance itself */
	for (size_t i = 0; i < alen; i++)
		q.m[(unsigned char)a[i]] = 0;
	for (size_t j = 0; j < blen; j++)
		q.m[(unsigned char)b[j]] = 0;
	peq_set(&q, a, alen);
	d = bp_dist(&q, alen, b, blen, osa);
	peq_clear(&q, a, alen);
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
	return (md / (double)alen + md / (double)blen + (md - (double)t / 2) / md) /
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
 * vanish (h, as in Mohamed / Muhammad, Jonson / Johnson): vowels, y and
 * 0 1 3 4 -> a; c g j k q 9 -> k; s z 2 5 -> s; d t 7 -> t; b p 6 8 -> p;
 * f v w -> f; every other byte stays. A table, not a switch: it is looked
 * up for every letter of every token pair a query compares. */
static const unsigned char fold_tab[256] = {
	  0,   1,   2,   3,   4,   5,   6,   7,   8,   9,  10,  11,  12,  13,  14,  15,
	 16,  17,  18,  19,  20,  21,  22,  23,  24,  25,  26,  27,  28,  29,  30,  31,
	 32,  33,  34,  35,  36,  37,  38,  39,  40,  41,  42,  43,  44,  45,  46,  47,
	 97,  97, 115,  97,  97, 115, 112, 116, 112, 107,  58,  59,  60,  61,  62,  63,
	 64,  65,  66,  67,  68,  69,  70,  71,  72,  73,  74,  75,  76,  77,  78,  79,
	 80,  81,  82,  83,  84,  85,  86,  87,  88,  89,  90,  91,  92,  93,  94,  95,
	 96,  97, 112, 107, 116,  97, 102, 107,   0,  97, 107, 107, 108, 109, 110,  97,
	112, 107, 114, 115, 116,  97, 102, 102, 120,  97, 115, 123, 124, 125, 126, 127,
	128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 141, 142, 143,
	144, 145, 146, 147, 148, 149, 150, 151, 152, 153, 154, 155, 156, 157, 158, 159,
	160, 161, 162, 163, 164, 165, 166, 167, 168, 169, 170, 171, 172, 173, 174, 175,
	176, 177, 178, 179, 180, 181, 182, 183, 184, 185, 186, 187, 188, 189, 190, 191,
	192, 193, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 204, 205, 206, 207,
	208, 209, 210, 211, 212, 213, 214, 215, 216, 217, 218, 219, 220, 221, 222, 223,
	224, 225, 226, 227, 228, 229, 230, 231, 232, 233, 234, 235, 236, 237, 238, 239,
	240, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253, 254, 255,
};

static char fold_char(char c)
{
	return (char)fold_tab[(unsigned char)c];
}

/* The bit of a byte in a letter set: a-z 0-25, 0-9 26-35, anything else
 * 63 (sharing a bit only weakens the bounds below, never breaks them). */
static const unsigned char set_bit[256] = {
	63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
	63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
	63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
	26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 63, 63, 63, 63, 63, 63,
	63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
	63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
	63,  0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14,
	15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 63, 63, 63, 63, 63,
	63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
	63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
	63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
	63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
	63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
	63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
	63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
	63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
};

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

double vg_name_wdist(const char *a, size_t alen, const char *b, size_t blen)
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
	raw = alen <= 64 ? vg_str_osa_bp(a, alen, b, blen)
			 : vg_str_osa(a, alen, b, blen);
	fd = fal <= 64 ? vg_str_osa_bp(fa, fal, fb, fbl)
		       : vg_str_osa(fa, fal, fb, fbl);
	if (raw == SIZE_MAX || fd == SIZE_MAX)
		return (double)(alen > blen ? alen : blen);
	if (fd > raw) /* collapsing doubles can lengthen it: "aiz" / "aziz" */
		fd = raw;
	return (double)fd + 0.5 * (double)(raw - fd);
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

/* The bag distance of two strings of at most 64 bytes: how many letters
 * one has that the other lacks (counted with repeats), the larger of the
 * two counts. An edit changes at most one letter on each side and a
 * transposition none, so it bounds the OSA distance from below. */
static size_t bag_dist(const char *a, size_t alen, const char *b, size_t blen)
{
	signed char c[256];
	size_t more_a = 0, more_b = 0;
	for (size_t i = 0; i < alen; i++)
		c[(unsigned char)a[i]] = 0;
	for (size_t j = 0; j < blen; j++)
		c[(unsigned char)b[j]] = 0;
	for (size_t i = 0; i < alen; i++)
		c[(unsigned char)a[i]]++;
	for (size_t j = 0; j < blen; j++) {
		signed char *x = &c[(unsigned char)b[j]];
		if (*x > 0)
			(*x)--;
		else
			more_b++;
	}
	more_a = alen - (blen - more_b); /* letters of a left unpaired */
	return more_a > more_b ? more_a : more_b;
}

void vg__letter_sets(const char *s, size_t len, struct vg__lsets *out)
{
	uint64_t r = 0, f = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i], k = fold_tab[c];
		r |= (uint64_t)1 << set_bit[c];
		if (k)
			f |= (uint64_t)1 << set_bit[k];
	}
	out->raw = r;
	out->folded = f;
}

static unsigned popcount64(uint64_t x)
{
	/* no popcnt instruction is assumed: SWAR beats a libgcc call */
	x = x - ((x >> 1) & 0x5555555555555555ull);
	x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (unsigned)((x * 0x0101010101010101ull) >> 56);
}

/* Letters one set has and the other lacks, the larger count: each needs
 * an edit of its own, so this too bounds the OSA distance from below
 * (more weakly than the bag distance, but with one pass and no counts). */
static unsigned set_dist(uint64_t a, uint64_t b)
{
	unsigned x = popcount64(a & ~b), y = popcount64(b & ~a);
	return x > y ? x : y;
}

double vg__wdist_lower_sets(const struct vg__lsets *a, const struct vg__lsets *b)
{
	unsigned raw = set_dist(a->raw, b->raw);
	unsigned folded = set_dist(a->folded, b->folded);
	/* vg_name_wdist takes the folded distance at most the raw one
	 * (collapsing "aa" can make it longer: "aiz" / "aziz") */
	return 0.5 * (double)raw + 0.5 * (double)(folded < raw ? folded : raw);
}

/* A lower bound of vg_name_wdist(a, b) = (raw + min(folded, raw)) / 2:
 * from the letter sets when they already put the pair over budget, else
 * from the bag distances of the raw and the folded strings. A few
 * operations a letter instead of two bit-parallel distances: nearly every
 * pair of tokens a query compares is unrelated and over budget, and this
 * alone says so for most of them. 0 (no bound) past 64 bytes. */
static double wdist_lower(const char *a, size_t alen, const char *b,
			  size_t blen, double budget)
{
	char fa[64], fb[64];
	struct vg__lsets sa, sb;
	if (alen > 64 || blen > 64)
		return 0.0;
	vg__letter_sets(a, alen, &sa);
	vg__letter_sets(b, blen, &sb);
	double lb = vg__wdist_lower_sets(&sa, &sb);
	if (lb > budget)
		return lb;
	size_t fal = fold(a, alen, fa), fbl = fold(b, blen, fb);
	size_t raw = bag_dist(a, alen, b, blen);
	size_t folded = bag_dist(fa, fal, fb, fbl);
	return 0.5 * (double)raw + 0.5 * (double)(folded < raw ? folded : raw);
}

/* Within budget: half the normalised weighted distance, half
 * Jaro-Winkler (which rewards a shared beginning). */
static double fuzzy(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t l = alen > blen ? alen : blen;
	if (wdist_lower(a, alen, b, blen, vg_name_budget(l)) > vg_name_budget(l))
		return 0.0; /* as vg_name_wdist would say, at less cost */
	double d = vg_name_wdist(a, alen, b, blen);
	if (d > vg_name_budget(l))
		return 0.0;
	double s = 1.0 - d / (double)l;
	return 0.5 * s + 0.5 * vg_str_jaro_winkler(a, alen, b, blen);
}

/* Arabic script writes no short vowels: compare consonant skeletons. */
static double skel_sim(const char *sa, size_t sal, const char *sb, size_t sbl)
{
	if (!sal || !sbl)
		return 0.0;
	if (sal == sbl && !memcmp(sa, sb, sal))
		return 0.9;
	if (sal < 3 || sbl < 3)
		return 0.0;
	size_t d = vg_str_lev_bp(sa, sal, sb, sbl);
	size_t l = sal > sbl ? sal : sbl;
	if (d == 1 && l >= 4)
		return 0.75;
	return 0.0;
}

double vg__string_sim(const char *a, size_t alen, const char *b, size_t blen,
		      bool abjad, enum vg_match_how *how)
{
	double s = 0.0;
	enum vg_match_how h = VG_HOW_NONE;
	if (alen == blen && !memcmp(a, b, alen)) {
		s = 1.0;
		h = VG_HOW_EXACT;
	} else if (alen > 2 && blen > 2) {
		s = fuzzy(a, alen, b, blen);
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
	double s = 0.0;
	if (a->len == b->len && !memcmp(ta, tb, a->len)) {
		s = 1.0;
		h = a->sym != VG_SYM_NONE ? VG_HOW_SYMBOL : VG_HOW_EXACT;
		goto out;
	}
	if (a->sym != VG_SYM_NONE || b->sym != VG_SYM_NONE)
		goto out; /* symbols match only themselves */
	if ((a->flags ^ b->flags) & VG_TOK_ABD) {
		/* "Abdul Hanif" against "Hanif": the same name with abd-
		 * added or dropped, a weaker match than the compound */
		const struct vg_name_token *c = (a->flags & VG_TOK_ABD) ? a : b;
		const struct vg_name_token *o = c == a ? b : a;
		const char *tc = (c == a ? ta : tb) + 3;
		const char *to = c == a ? tb : ta;
		size_t lc = c->len - 3U;
		if (lc > 2 && o->len > 2) {
			s = ABD_BARE * vg__string_sim(tc, lc, to, o->len,
						      (a->flags | b->flags) &
							      VG_TOK_ABJAD,
						      NULL);
			h = VG_HOW_FUZZY;
		}
		goto out;
	}
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
	}
	if ((a->flags | b->flags) & VG_TOK_DIGITS)
		goto out;
	if ((a->flags & b->flags) & VG_TOK_CJK)
		goto out; /* one syllable more or less is another name */
	if ((a->flags & VG_TOK_INITIAL) || (b->flags & VG_TOK_INITIAL)) {
		if (ta[0] == tb[0] && !((a->flags & b->flags) & VG_TOK_INITIAL)) {
			s = 0.75;
			h = VG_HOW_INITIAL;
		}
		goto out;
	}
	if (a->len <= 2 || b->len <= 2)
		goto out;
	s = fuzzy(ta, a->len, tb, b->len);
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
