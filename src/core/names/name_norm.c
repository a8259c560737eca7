/* Name normalisation: any script to lowercase ASCII tokens through ICU,
 * then particles, titles and legal forms as symbols, "abdulaziz" split,
 * and for every token its consonant skeleton and phonetic key. */
#include "match_int.h"
#include "vigil/util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>
#include <unicode/utrans.h>

/* Bytes of a name looked at: a name is a few dozen bytes; the cut bounds
 * the work on hostile input. */
#define NORM_IN_MAX 1024
#define NORM_U_MAX 4096
#define NORM_S_MAX 8192
#define RAW_MAX (VG_NAME_MAX_TOKENS * 2)

/* Russian-Latin/BGN before Any-Latin: BGN writes Cyrillic the way
 * English-language lists do (Sergey, Khodorkovsky), where the default
 * ISO 9 style writes "sergej", "hodorkovskij". */
static const char TRANS_ID[] =
    "NFKC; Lower; Russian-Latin/BGN; Any-Latin; Latin-ASCII; NFD; "
    "[:Nonspacing Mark:] Remove; NFC";

struct vg_name_norm {
	UTransliterator *tr;
	UChar u[NORM_U_MAX];
	char s[NORM_S_MAX];
};

int vg_name_norm_new(struct vg_name_norm **out)
{
	int rc = VG_OK;
	UErrorCode st = U_ZERO_ERROR;
	UChar id[sizeof(TRANS_ID)];
	struct vg_name_norm *n = calloc(1, sizeof(*n));
	if (!n) {
		rc = VG_ENOMEM;
		goto out;
	}
	u_uastrncpy(id, TRANS_ID, (int32_t)sizeof(TRANS_ID));
	n->tr = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
	if (U_FAILURE(st) || !n->tr) {
		rc = st == U_MEMORY_ALLOCATION_ERROR ? VG_ENOMEM : VG_EINTERNAL;
		goto out;
	}
	*out = n;
	n = NULL;
out:
	vg_name_norm_free(n);
	return rc;
}

void vg_name_norm_free(struct vg_name_norm *n)
{
	if (!n)
		return;
	if (n->tr)
		utrans_close(n->tr);
	free(n);
}

static bool is_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* ---- tokenising ------------------------------------------------- */

struct raw {
	char t[VG_NAME_TOKEN_MAX + 1];
	uint8_t len;
	char sep; /* the separator after the token: '-', '.', ' ' */
};

/* Apostrophes and modifier letters for ayn and hamza are deleted, not
 * separators: "Qa'ida" is one word, as is BGN's "otvet·stvennost'". */
static bool is_deleted(UChar32 c)
{
	return c == '\'' || c == '`' || c == 0xB4 || c == 0xB7 ||
	       (c >= 0x2B9 && c <= 0x2BF) || c == 0x2C8 || c == 0x2CC ||
	       c == 0x2018 || c == 0x2019 || (c >= 0x200B && c <= 0x200D);
}

static bool is_abjad(UChar32 c)
{
	return (c >= 0x590 && c <= 0x8FF) || (c >= 0xFB1D && c <= 0xFDFF) ||
	       (c >= 0xFE70 && c <= 0xFEFF);
}

/* Han, Hangul and Kana write a syllable per character: one character
 * more or less is another name, so their tokens compare exactly. */
static bool is_cjk(UChar32 c)
{
	return (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3040 && c <= 0x30FF) ||
	       (c >= 0x3130 && c <= 0x318F) || (c >= 0x3400 && c <= 0x4DBF) ||
	       (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) ||
	       (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FFFF);
}

static size_t tokenize(const char *s, size_t len, struct raw *raw)
{
	size_t n = 0;
	struct raw *cur = &raw[0];
	cur->len = 0;
	for (size_t i = 0; i < len && n < RAW_MAX;) {
		unsigned char b = (unsigned char)s[i];
		size_t start = i;
		bool part = false;
		char sep = ' ';
		if (b < 0x80) {
			i++;
			if (b == '\'' || b == '`')
				continue;
			if ((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9'))
				part = true;
			else if (b >= 'A' && b <= 'Z') {
				b = (unsigned char)(b - 'A' + 'a');
				part = true;
			} else {
				sep = (char)b;
			}
			if (part) {
				if (cur->len < VG_NAME_TOKEN_MAX)
					cur->t[cur->len++] = (char)b;
				continue;
			}
		} else {
			UChar32 c;
			int32_t ii = (int32_t)i;
			U8_NEXT(s, ii, (int32_t)len, c);
			i = (size_t)ii;
			if (c >= 0 && is_deleted(c))
				continue;
			int8_t ty = c >= 0 ? u_charType(c) : 0;
			if (c >= 0 &&
			    (u_isalnum(c) || ty == U_COMBINING_SPACING_MARK ||
			     ty == U_NON_SPACING_MARK)) {
				if (cur->len + (i - start) <=
				    VG_NAME_TOKEN_MAX) {
					memcpy(cur->t + cur->len, s + start,
					       i - start);
					cur->len =
					    (uint8_t)(cur->len + (i - start));
				}
				continue;
			}
		}
		if (cur->len) {
			cur->t[cur->len] = '\0';
			cur->sep = sep;
			n++;
			if (n < RAW_MAX) {
				cur = &raw[n];
				cur->len = 0;
			}
		} else if (n && sep != ' ' && raw[n - 1].sep == ' ') {
			/* "abd -al" still joins */
			raw[n - 1].sep = sep;
		}
	}
	if (n < RAW_MAX && cur->len) {
		cur->t[cur->len] = '\0';
		cur->sep = ' ';
		n++;
	}
	return n;
}

/* In entity names "A.B.C." and "S.R.L" are one word: join a run of single
 * letters each but the last followed by a dot. */
static size_t join_initialisms(struct raw *raw, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && raw[j].len == 1 && raw[j].sep == '.')
			j++;
		if (j < n && j > i && raw[j].len == 1)
			j++; /* the last letter needs no dot */
		if (j - i >= 2) {
			struct raw r = {.len = 0, .sep = raw[j - 1].sep};
			for (size_t k = i; k < j; k++)
				r.t[r.len++] = raw[k].t[0];
			r.t[r.len] = '\0';
			raw[w++] = r;
			i = j;
		} else {
			if (w != i)
				raw[w] = raw[i];
			w++;
			i++;
		}
	}
	return w;
}

/* ---- emitting tokens -------------------------------------------- */

static int pool_put(struct vg_name_tokens *out, const char *s, size_t len,
                    uint32_t *off)
{
	if (out->pool_len + len + 1 > VG_NAME_POOL_MAX)
		return -1;
	*off = (uint32_t)out->pool_len;
	memcpy(out->pool + out->pool_len, s, len);
	out->pool[out->pool_len + len] = '\0';
	out->pool_len += len + 1;
	return 0;
}

static void emit(struct vg_name_tokens *out, const char *t, size_t len,
                 uint8_t sym, uint8_t flags, uint8_t group, float weight)
{
	char skel[VG_NAME_TOKEN_MAX + 1], phon[VG_NAME_TOKEN_MAX + 1];
	struct vg_name_token *k;
	size_t pl = out->pool_len;
	if (out->n >= VG_NAME_MAX_TOKENS || !len)
		return;
	if (len > VG_NAME_TOKEN_MAX)
		len = VG_NAME_TOKEN_MAX;
	k = &out->tok[out->n];
	memset(k, 0, sizeof(*k));
	size_t sl = 0, ph = 0;
	if (!(flags & VG_TOK_DIGITS) && sym == VG_SYM_NONE) {
		sl = vg_name_skeleton(t, len, skel, sizeof(skel));
		ph = vg_name_phonetic(t, len, phon, sizeof(phon));
	}
	skel[sl] = '\0';
	phon[ph] = '\0';
	if (pool_put(out, t, len, &k->text) ||
	    pool_put(out, skel, sl, &k->skel) ||
	    pool_put(out, phon, ph, &k->phon)) {
		out->pool_len = pl; /* the name is cut here */
		out->n = VG_NAME_MAX_TOKENS;
		return;
	}
	k->len = (uint8_t)len;
	k->skel_len = (uint8_t)sl;
	k->phon_len = (uint8_t)ph;
	k->sym = sym;
	k->flags = flags;
	k->group = group;
	k->weight = weight;
	struct vg__sig g = vg__signature(t, len);
	k->cmask = g.c;
	k->lmask = g.l;
	out->n++;
}

static float length_weight(size_t len)
{
	return len <= 2 ? VG__W_SHORT : len == 3 ? VG__W_THREE : 1.0f;
}

float vg__miss_weight(const struct vg_name_token *t)
{
	if (t->flags & VG_TOK_INITIAL)
		return VG__W_INITIAL_MISS;
	if (t->sym != VG_SYM_NONE || (t->flags & VG_TOK_DIGITS))
		return t->weight;
	return length_weight(t->len);
}

static float sym_weight(uint8_t sym)
{
	switch (sym) {
	case VG_SYM_AL:
	case VG_SYM_STOP:
		return 0.0f;
	case VG_SYM_ABD:
		return VG__W_ABD;
	case VG_SYM_PARTICLE:
		return VG__W_PARTICLE;
	case VG_SYM_LEGAL:
		return VG__W_LEGAL;
	default:
		return VG__W_PATRONYM;
	}
}

static bool all_digits(const char *t, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (t[i] < '0' || t[i] > '9')
			return false;
	return true;
}

/* Series numbers in organisation names: "Fund VIII", "Trust II". */
static bool is_roman(const char *t, size_t len)
{
	static const char *const r[] = {"ii",   "iii", "iv",  "vi",  "vii",
	                                "viii", "ix",  "xi",  "xii", "xiii",
	                                "xiv",  "xv",  "xvi", "xx"};
	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		if (strlen(r[i]) == len && !memcmp(r[i], t, len))
			return true;
	return false;
}

/* "abdulaziz", "abdurrahman", "abdelkader": the offset of the name after
 * abd- and its article, 0 when t is no such compound. */
static size_t abd_split(const char *t, size_t len, bool abjad)
{
	size_t i;
	if (abjad) /* Arabic script writes the article: "bdalrhmn" */
		i = (len >= 6 && !memcmp(t, "bdal", 4)) ? 4 : 0;
	else if (len >= 7 && !memcmp(t, "abd", 3)) {
		i = 3;
		while (i < 5 && is_vowel(t[i]))
			i++;
		if (t[i] == 'l')
			i++;
		/* the article assimilates: abd-ur-rahman */
		if (i + 1 < len && t[i] == t[i + 1] && !is_vowel(t[i]))
			i++;
	} else
		return 0;
	return (i && len - i >= 3) ? i : 0;
}

/* Number words in organisation names ("Brigade Forty-Four", "First
 * International Bank") as the digits they stand for. */
static int number_word(const char *t, size_t len)
{
	static const char *const units[] = {
	    "zero",    "one",     "two",       "three",    "four",
	    "five",    "six",     "seven",     "eight",    "nine",
	    "ten",     "eleven",  "twelve",    "thirteen", "fourteen",
	    "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
	static const char *const tens[] = {"twenty", "thirty", "forty",
	                                   "fifty",  "sixty",  "seventy",
	                                   "eighty", "ninety"};
	static const char *const ord[] = {
	    "first", "second",  "third",  "fourth", "fifth",
	    "sixth", "seventh", "eighth", "ninth",  "tenth"};
	for (int i = 0; i < 20; i++)
		if (strlen(units[i]) == len && !memcmp(units[i], t, len))
			return i;
	for (int i = 0; i < 8; i++)
		if (strlen(tens[i]) == len && !memcmp(tens[i], t, len))
			return 20 + 10 * i;
	for (int i = 0; i < 10; i++)
		if (strlen(ord[i]) == len && !memcmp(ord[i], t, len))
			return i + 1;
	/* 1st, 2nd, 3rd, 44th */
	if (len >= 3 && t[0] >= '0' && t[0] <= '9') {
		size_t d = 0;
		int v = 0;
		while (d < len && d < 6 && t[d] >= '0' && t[d] <= '9')
			v = v * 10 + (t[d++] - '0');
		if (len - d == 2 &&
		    (!memcmp(t + d, "st", 2) || !memcmp(t + d, "nd", 2) ||
		     !memcmp(t + d, "rd", 2) || !memcmp(t + d, "th", 2)))
			return v;
	}
	return -1;
}

/* The row for raw token i, with the context rules applied: articles
 * such as "ad" only hyphen-joined ("ad-din"), "ben" not as the first
 * word (Ben Netanyahu). */
static const struct vg__word *lookup(const struct raw *raw, size_t i,
                                     enum vg_person_kind kind, bool abjad,
                                     size_t emitted)
{
	const struct vg__word *w =
	    vg__word_find(raw[i].t, raw[i].len, kind, abjad);
	if (w && (w->flags & VG__W_HYPHEN) && raw[i].sep != '-')
		return NULL;
	if (w && (w->flags & VG__W_NOTFIRST) && emitted == 0)
		return NULL;
	return w;
}

/* Emit the abd- compound "abd" + rest (rest may start with an article
 * Arabic script writes attached: "alrhmn"). */
static void emit_abd(struct vg_name_tokens *out, const char *rest, size_t rl,
                     enum vg_person_kind kind, bool abjad, uint8_t flags)
{
	char t[VG_NAME_TOKEN_MAX + 1];
	if (abjad && rl >= 5 && !memcmp(rest, "al", 2)) {
		rest += 2;
		rl -= 2;
	}
	if (rl > VG_NAME_TOKEN_MAX - 3)
		rl = VG_NAME_TOKEN_MAX - 3;
	memcpy(t, "abd", 3);
	memcpy(t + 3, rest, rl);
	const struct vg__word *g = vg__word_find(t, rl + 3, kind, abjad);
	uint8_t grp = g && g->sym == VG_SYM_NONE ? g->group : 0;
	emit(out, t, rl + 3, VG_SYM_NONE, flags | VG_TOK_ABD, grp,
	     grp ? vg__group_weight(grp) : 1.0f);
}

/* Theophoric and laqab endings written as words of their own: "Najib
 * Ullah", "Noor ud Din", Arabic-script "صلاح الدين" (slah aldyn). They
 * join the name before them, as "Najibullah", "Nooruddin" and
 * "Salahaldin" are written too: the tail's canonical spelling into *tail,
 * the raw tokens it takes into *take; 0 when raw[i] starts no tail. */
static size_t tail_at(const struct raw *raw, size_t n, size_t i, bool abjad,
                      const char **tail)
{
	static const char *const allah[] = {"allah", "ullah", "ulla",
	                                    "ulah",  "alla",  "allh"};
	static const char *const din[] = {"din", "deen", "dine", "dyn",
	                                  "aldyn"};
	static const char *const art[] = {"al", "el", "ul", "ud", "ad", "ed"};
	size_t take = 1;
	const struct raw *r = &raw[i];
	for (size_t k = 0; k < sizeof(art) / sizeof(art[0]); k++)
		if (r->len == 2 && !memcmp(r->t, art[k], 2) && i + 1 < n) {
			r = &raw[i + 1];
			take = 2;
			break;
		}
	for (size_t k = 0; take == 1 && k < sizeof(allah) / sizeof(allah[0]);
	     k++)
		if (strlen(allah[k]) == r->len &&
		    !memcmp(r->t, allah[k], r->len)) {
			*tail = abjad ? "allh" : "ullah";
			return 1;
		}
	for (size_t k = 0; k < sizeof(din) / sizeof(din[0]); k++)
		if (strlen(din[k]) == r->len && !memcmp(r->t, din[k], r->len)) {
			*tail = abjad ? "dyn" : "din";
			return take;
		}
	return 0;
}

/* The same endings written joined: "Nooruddin", "Noureddine" and
 * "Salahaldin" all end in "din" once their article is gone. Returns the
 * length of t to keep before "din" (or "dyn"), 0 for no such ending. */
static size_t din_stem(const char *t, size_t len)
{
	static const char *const end[] = {"uddin", "uddeen", "eddine", "eddin",
	                                  "addin", "aldin",  "eldin",  "aldeen",
	                                  "udeen", "aldyn",  "eldine"};
	for (size_t k = 0; k < sizeof(end) / sizeof(end[0]); k++) {
		size_t el = strlen(end[k]);
		if (len >= el + 3 && !memcmp(t + len - el, end[k], el))
			return len - el;
	}
	return 0;
}

/* Join tail to the last token emitted, when that is an ordinary name. */
static bool join_tail(struct vg_name_tokens *out, const char *tail,
                      enum vg_person_kind kind, bool abjad)
{
	char t[VG_NAME_TOKEN_MAX + 1];
	struct vg_name_token *last;
	size_t tl = strlen(tail);
	if (!out->n)
		return false;
	last = &out->tok[out->n - 1];
	if (last->sym != VG_SYM_NONE ||
	    (last->flags & (VG_TOK_DIGITS | VG_TOK_INITIAL)) ||
	    last->len + tl > VG_NAME_TOKEN_MAX)
		return false;
	memcpy(t, out->pool + last->text, last->len);
	memcpy(t + last->len, tail, tl);
	size_t len = last->len + tl;
	uint8_t flags = last->flags;
	/* take the last token back and emit the whole */
	out->pool_len = last->text;
	out->n--;
	const struct vg__word *g = vg__word_find(t, len, kind, abjad);
	uint8_t grp = g && g->sym == VG_SYM_NONE ? g->group : 0;
	emit(out, t, len, VG_SYM_NONE, flags, grp,
	     grp ? vg__group_weight(grp) : length_weight(len));
	return true;
}

static void classify(const struct raw *raw, size_t n, enum vg_person_kind kind,
                     bool abjad, uint8_t flags, struct vg_name_tokens *out)
{
	const char *words[RAW_MAX];
	uint8_t ab = flags;
	bool ent = kind == VG_PERSON_ENTITY;
	for (size_t i = 0; i < n; i++)
		words[i] = raw[i].t;
	for (size_t i = 0; i < n; i++) {
		const char *t = raw[i].t;
		size_t len = raw[i].len, np = 0;
		int num;
		if (ent) {
			const char *lf = vg__legal_phrase(words, n, i, &np);
			if (lf) {
				emit(out, lf, strlen(lf), VG_SYM_LEGAL, ab, 0,
				     VG__W_LEGAL);
				i += np - 1;
				continue;
			}
		}
		if (ent && (num = number_word(t, len)) >= 0) {
			char d[16];
			int v = num, k;
			/* "forty four", "forty-four": one number */
			if (num >= 20 && num % 10 == 0 && i + 1 < n &&
			    (k = number_word(raw[i + 1].t, raw[i + 1].len)) >
			        0 &&
			    k < 10) {
				v += k;
				i++;
			}
			int dl = snprintf(d, sizeof(d), "%d", v);
			emit(out, d, (size_t)dl, VG_SYM_NONE,
			     ab | VG_TOK_DIGITS, 0, VG__W_DIGITS);
			continue;
		}
		if (all_digits(t, len) || (ent && i > 0 && is_roman(t, len))) {
			emit(out, t, len, VG_SYM_NONE, ab | VG_TOK_DIGITS, 0,
			     VG__W_DIGITS);
			continue;
		}
		const char *tail;
		size_t take = !ent ? tail_at(raw, n, i, abjad, &tail) : 0;
		if (take && join_tail(out, tail, kind, abjad)) {
			i += take - 1;
			continue;
		}
		const struct vg__word *w = lookup(raw, i, kind, abjad, out->n);
		if (w && w->sym == VG_SYM_TITLE)
			continue;
		if (w && w->sym == VG_SYM_ABD && !ent) {
			/* abd and the name after it are one name: skip the
			 * article between ("abd al-aziz") */
			size_t k = i + 1;
			const struct vg__word *a;
			while (k < n && (a = lookup(raw, k, kind, abjad, 1)) &&
			       a->sym == VG_SYM_AL)
				k++;
			const struct vg__word *nx =
			    k < n ? lookup(raw, k, kind, abjad, 1) : NULL;
			if (k < n && (!nx || nx->sym == VG_SYM_NONE) &&
			    !all_digits(raw[k].t, raw[k].len) &&
			    raw[k].len >= 2) {
				emit_abd(out, raw[k].t, raw[k].len, kind, abjad,
				         ab);
				i = k;
				continue;
			}
		}
		if (w && w->sym != VG_SYM_NONE) {
			const char *c = w->canon ? w->canon : w->text;
			emit(out, c, strlen(c), w->sym, ab, 0,
			     sym_weight(w->sym));
			continue;
		}
		if (w) {
			emit(out, t, len, VG_SYM_NONE, ab, w->group,
			     vg__group_weight(w->group));
			continue;
		}
		size_t rest = !ent ? abd_split(t, len, abjad) : 0;
		if (rest) {
			emit_abd(out, t + rest, len - rest, kind, abjad, ab);
			continue;
		}
		size_t stem = !ent ? din_stem(t, len) : 0;
		if (stem) {
			char d[VG_NAME_TOKEN_MAX + 1];
			memcpy(d, t, stem);
			memcpy(d + stem, abjad ? "dyn" : "din", 3);
			emit(out, d, stem + 3, VG_SYM_NONE, ab, 0,
			     length_weight(stem + 3));
			continue;
		}
		if (len == 1 && !(t[0] >= '0' && t[0] <= '9')) {
			emit(out, t, len, VG_SYM_NONE, ab | VG_TOK_INITIAL, 0,
			     VG__W_INITIAL);
			continue;
		}
		emit(out, t, len, VG_SYM_NONE, ab, 0, length_weight(len));
	}
}

/* "PUTIN, Vladimir" is "Vladimir PUTIN": with exactly one comma, the
 * part after it comes first. */
static void rotate_comma(struct raw *raw, size_t n)
{
	size_t c = n, commas = 0;
	struct raw tmp[RAW_MAX];
	for (size_t i = 0; i + 1 < n; i++)
		if (raw[i].sep == ',') {
			commas++;
			c = i + 1;
		}
	if (commas != 1)
		return;
	memcpy(tmp, raw + c, (n - c) * sizeof(*raw));
	memcpy(tmp + (n - c), raw, c * sizeof(*raw));
	memcpy(raw, tmp, n * sizeof(*raw));
}

/* Transliterate s through ICU into n->s; returns the UTF-8 length. */
static int transliterate(struct vg_name_norm *n, const char *s, size_t len,
                         size_t *outlen)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t ulen = 0, olen = 0;
	u_strFromUTF8WithSub(n->u, NORM_U_MAX / 2, &ulen, s, (int32_t)len,
	                     0xFFFD, NULL, &st);
	if (U_FAILURE(st))
		return st == U_MEMORY_ALLOCATION_ERROR ? VG_ENOMEM
		                                       : VG_EINTERNAL;
	if (ulen > NORM_U_MAX / 2)
		ulen = NORM_U_MAX / 2;
	int32_t limit = ulen;
	utrans_transUChars(n->tr, n->u, &ulen, NORM_U_MAX, 0, &limit, &st);
	if (st == U_BUFFER_OVERFLOW_ERROR) {
		/* a pathological expansion: keep what fits */
		st = U_ZERO_ERROR;
		ulen = NORM_U_MAX;
	}
	if (U_FAILURE(st))
		return st == U_MEMORY_ALLOCATION_ERROR ? VG_ENOMEM
		                                       : VG_EINTERNAL;
	u_strToUTF8WithSub(n->s, NORM_S_MAX - 1, &olen, n->u, ulen, 0xFFFD,
	                   NULL, &st);
	if (st == U_BUFFER_OVERFLOW_ERROR ||
	    st == U_STRING_NOT_TERMINATED_WARNING) {
		st = U_ZERO_ERROR;
		olen = NORM_S_MAX - 1;
	}
	if (U_FAILURE(st))
		return VG_EINTERNAL;
	*outlen = (size_t)olen;
	return VG_OK;
}

int vg_name_normalize(struct vg_name_norm *n, const char *s, size_t len,
                      enum vg_person_kind kind, struct vg_name_tokens *out)
{
	struct raw raw[RAW_MAX];
	bool ascii = true, abjad = false, cjk = false;
	size_t nraw;
	int rc = VG_OK;
	out->n = 0;
	out->pool_len = 0;
	if (!s || !n)
		return VG_EINVAL;
	if (len > NORM_IN_MAX)
		len = NORM_IN_MAX;
	for (size_t i = 0; i < len;) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		UChar32 c;
		int32_t ii = (int32_t)i;
		ascii = false;
		U8_NEXT(s, ii, (int32_t)len, c);
		i = (size_t)ii;
		if (c >= 0 && is_abjad(c))
			abjad = true;
		if (c >= 0 && is_cjk(c))
			cjk = true;
	}
	if (ascii) {
		nraw = tokenize(s, len, raw);
	} else {
		size_t tl = 0;
		rc = transliterate(n, s, len, &tl);
		if (rc)
			return rc;
		nraw = tokenize(n->s, tl, raw);
	}
	if (kind == VG_PERSON_ENTITY)
		nraw = join_initialisms(raw, nraw);
	else
		rotate_comma(raw, nraw);
	classify(raw, nraw, kind, abjad,
	         (abjad ? VG_TOK_ABJAD : 0) | (cjk ? VG_TOK_CJK : 0), out);
	return VG_OK;
}
