/* The consonant skeleton and the phonetic key of a normalised token: the
 * two spelling-insensitive forms token comparison and the index use. */
#include "vigil/names/match.h"

#include <stdbool.h>

static bool is_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

size_t vg_name_skeleton(const char *t, size_t len, char *out, size_t cap)
{
	size_t n = 0;
	char prev = 0;
	if (!cap)
		return 0;
	/* an attached article: "alsabah", Arabic-script "altkryty" */
	if (len >= 5 && (t[0] == 'a' || t[0] == 'e') && t[1] == 'l') {
		t += 2;
		len -= 2;
	}
	for (size_t i = 0; i < len; i++) {
		char c = t[i];
		/* dh is one letter (dhal) inside a name; at its end it is d
		 * and the h of a final vowel (Arabic-script "hmadh",
		 * Hamada) */
		if (c == 'd' && i + 2 < len && t[i + 1] == 'h') {
			c = 's';
			i++;
		} else if (c == 'q') {
			c = 'k';
		} else if (c == 'j') {
			c = 'g';
		} else if (c == 'z') {
			c = 's';
		} else if (c == 'p') {
			c = 'b'; /* Arabic has no p or v: Pérez is "byryz" */
		} else if (c == 'v') {
			c = 'f';
		}
		/* doubled letters collapse before vowels go, so "muhammad"
		 * keeps two m's as Arabic-script "mhmd" does */
		if (c == prev)
			continue;
		prev = c;
		if (is_vowel(c) || c == 'w' || c == 'y' || c == 'h')
			continue;
		if (n + 1 < cap)
			out[n++] = c;
	}
	out[n] = '\0';
	return n;
}

/* The class of a letter in the phonetic key. */
static char phon_class(char c)
{
	switch (c) {
	case 'b':
	case 'p':
		return 'b';
	case 'c':
	case 'g':
	case 'k':
	case 'q':
		return 'k';
	case 'd':
	case 't':
		return 't';
	case 'f':
	case 'v':
	case 'w':
		return 'f';
	case 's':
	case 'z':
		return 's';
	case 'x':
		return 'x';
	default:
		return c;
	}
}

size_t vg_name_phonetic(const char *t, size_t len, char *out, size_t cap)
{
	size_t n = 0;
	char prev = 0;
	if (!cap)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = t[i], nx = i + 1 < len ? t[i + 1] : 0;
		char k;
		if (c == 's' && nx == 'c' && i + 2 < len && t[i + 2] == 'h') {
			k = 'x';
			i += 2;
		} else if ((c == 's' || c == 'c' || c == 'z') && nx == 'h') {
			k = 'x';
			i++;
		} else if (c == 'd' && nx == 'j') {
			k = 'x'; /* Djamel */
			i++;
		} else if (c == 'j') {
			/* j and ch are one sound, voiced and not, as d/t and
			 * b/p are (Korean Jang / Chang, Jin / Chin) */
			k = 'x';
		} else if (c == 'p' && nx == 'h') {
			k = 'f';
			i++;
		} else if ((c == 'k' || c == 'g' || c == 't' || c == 'd') &&
		           nx == 'h') {
			k = phon_class(c);
			i++;
		} else if ((c == 'c' && nx == 'k') || (c == 'q' && nx == 'u')) {
			k = 'k';
			i++;
		} else if ((c == 't' && (nx == 's' || nx == 'z'))) {
			k = 's';
			i++;
		} else if (c == 'c' && (nx == 'e' || nx == 'i' || nx == 'y')) {
			k = 's';
		} else if (is_vowel(c) || c == 'y' || c == 'h') {
			/* only a leading vowel is kept, as one class */
			if (i == 0 && c != 'h')
				k = 'a';
			else {
				prev = 0;
				continue;
			}
		} else {
			k = phon_class(c);
		}
		if (k == prev)
			continue;
		prev = k;
		if (n + 1 < cap)
			out[n++] = k;
	}
	out[n] = '\0';
	return n;
}
