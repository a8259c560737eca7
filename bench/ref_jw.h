/* The reference matcher both name benchmarks print beside vigil's
 * figures: plain sorted-token Jaro-Winkler. A name is transliterated by
 * ICU ("Any-Latin; Latin-ASCII; Lower"), cut into letters-and-digits
 * tokens, the tokens sorted and joined by one space; two names score the
 * Jaro-Winkler similarity of their keys. Header-only: each bench_* is one
 * file (bench/CMakeLists.txt). */
#ifndef VIGIL_BENCH_REF_JW_H
#define VIGIL_BENCH_REF_JW_H

#include "vigil/names/match.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

/* NULL when ICU cannot open the transliterator. */
static UTransliterator *ref_jw_open(void)
{
	UErrorCode st = U_ZERO_ERROR;
	UChar id[64];
	u_uastrcpy(id, "Any-Latin; Latin-ASCII; Lower");
	UTransliterator *tr =
	    utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
	return U_FAILURE(st) ? NULL : tr;
}

static int ref_jw_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void ref_jw_key(UTransliterator *tr, const char *s, char *out,
                       size_t cap)
{
	UChar u[2048];
	char a[4096], *tok[128];
	int32_t ul = 0, lim, al = 0;
	UErrorCode st = U_ZERO_ERROR;
	size_t nt = 0, o = 0;
	u_strFromUTF8WithSub(u, 1024, &ul, s, -1, 0xFFFD, NULL, &st);
	lim = ul;
	utrans_transUChars(tr, u, &ul, 2048, 0, &lim, &st);
	u_strToUTF8(a, sizeof(a) - 1, &al, u, ul, &st);
	if (U_FAILURE(st))
		al = 0;
	a[al] = '\0';
	for (char *p = a; *p;) {
		while (*p &&
		       !((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
			*p++ = '\0';
		if (!*p)
			break;
		if (nt < 128)
			tok[nt++] = p;
		while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
			p++;
	}
	qsort(tok, nt, sizeof(tok[0]), ref_jw_cmp);
	out[0] = '\0';
	for (size_t i = 0; i < nt; i++) {
		size_t l = strlen(tok[i]);
		if (o + l + 2 >= cap)
			break;
		if (o)
			out[o++] = ' ';
		memcpy(out + o, tok[i], l);
		o += l;
		out[o] = '\0';
	}
}

static double ref_jw_keys(const char *ka, const char *kb)
{
	return vg_str_jaro_winkler(ka, strlen(ka), kb, strlen(kb));
}

#endif
