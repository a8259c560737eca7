/* The formats of STIX values that other standards define: IP addresses and
 * CIDR blocks, MAC-48, addr-spec, URIs, base64, RFC 5646 language tags, CPE
 * 2.3 names, IANA character sets (ICU) and the hash algorithms of
 * hash-algorithm-ov. Pure predicates over NUL-terminated strings. */
#include "vigil/util/error.h"
#include "vigil/stix/stix.h"

#include "stix_internal.h"

#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

#include <unicode/ucnv.h>
#include <unicode/uloc.h>

static int is_digit(unsigned char ch)
{
	return ch >= '0' && ch <= '9';
}

static int is_alpha(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static int is_alnum(unsigned char ch)
{
	return is_alpha(ch) || is_digit(ch);
}

static int is_hex(unsigned char ch)
{
	return is_digit(ch) || (ch >= 'a' && ch <= 'f') ||
	       (ch >= 'A' && ch <= 'F');
}

/* ---- IP addresses [6.8, 6.9] ---------------------------------------- */

/* "a" or "a/n" with n from 0 to max, no sign or leading zero in n. */
static int cidr_valid(const char *s, int af, int max)
{
	char addr[64];
	unsigned char bin[16];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);

	if (n == 0 || n >= sizeof(addr))
		return 0;
	memcpy(addr, s, n);
	addr[n] = '\0';
	/* inet_pton takes dotted quads without leading zeros (RFC 3986's
	 * dec-octet) and RFC 4291 text for IPv6, without zone ids. */
	if (inet_pton(af, addr, bin) != 1)
		return 0;
	if (!slash)
		return 1;
	const char *p = slash + 1;
	int v = 0, digits = 0;
	for (; is_digit((unsigned char)*p) && digits < 4; p++, digits++)
		v = v * 10 + (*p - '0');
	return digits > 0 && !*p && v <= max &&
	       !(digits > 1 && slash[1] == '0');
}

int vg__ipv4_valid(const char *s)
{
	return cidr_valid(s, AF_INET, 32);
}

int vg__ipv6_valid(const char *s)
{
	return cidr_valid(s, AF_INET6, 128);
}

/* Lowercase, colon-delimited MAC-48 with leading zeros [6.10]. */
int vg__mac48_valid(const char *s)
{
	for (int i = 0; i < 17; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (i % 3 == 2 ? ch != ':'
		               : !(is_digit(ch) || (ch >= 'a' && ch <= 'f')))
			return 0;
	}
	return s[17] == '\0';
}

/* ---- addr-spec (RFC 5322 3.4.1, with RFC 6532's UTF-8) [6.5] -------- */

static int atext(unsigned char ch)
{
	return is_alnum(ch) || ch >= 0x80 || strchr("!#$%&'*+-/=?^_`{|}~", ch);
}

/* dot-atom: atext runs separated by single dots; returns its end or NULL. */
static const char *dot_atom(const char *p)
{
	for (;;) {
		const char *start = p;
		while (*p && atext((unsigned char)*p))
			p++;
		if (p == start)
			return NULL;
		if (*p != '.')
			return p;
		p++;
	}
}

int vg__addr_spec_valid(const char *s)
{
	const char *p = s;
	if (*p == '"') {
		for (p++; *p && *p != '"'; p++) {
			unsigned char ch = (unsigned char)*p;
			if (ch == '\\') {
				if (!p[1])
					return 0;
				p++;
			} else if (ch < 0x20 && ch != '\t') {
				return 0;
			} else if (ch == 0x7f) {
				return 0;
			}
		}
		if (*p++ != '"')
			return 0;
	} else if (!(p = dot_atom(p))) {
		return 0;
	}
	if (*p++ != '@')
		return 0;
	if (*p == '[') {
		for (p++; *p && *p != ']'; p++) {
			unsigned char ch = (unsigned char)*p;
			if (ch < 33 || ch > 126 || ch == '[' || ch == '\\')
				return 0;
		}
		return p[0] == ']' && p[1] == '\0';
	}
	p = dot_atom(p);
	return p && !*p;
}

/* ---- URIs (RFC 3986) [6.15, 6.1] ------------------------------------ */

static int uri_char(unsigned char ch)
{
	/* unreserved, sub-delims, ':' '@' '/' '?' */
	return is_alnum(ch) || (ch && strchr("-._~!$&'()*+,;=:@/?", ch));
}

int vg__uri_valid(const char *s)
{
	const char *p = s;
	if (!is_alpha((unsigned char)*p))
		return 0;
	while (is_alnum((unsigned char)*p) || *p == '+' || *p == '-' ||
	       *p == '.')
		p++;
	if (*p++ != ':')
		return 0;
	int authority = p[0] == '/' && p[1] == '/', in_auth = authority;
	int fragment = 0, literal = 0;
	if (authority)
		p += 2;
	for (; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (in_auth && (ch == '/' || ch == '?' || ch == '#'))
			in_auth = 0;
		if (ch == '%') {
			if (!is_hex((unsigned char)p[1]) ||
			    !is_hex((unsigned char)p[2]))
				return 0;
			p += 2;
		} else if (ch == '#') {
			if (fragment++)
				return 0;
		} else if (ch == '[') {
			/* an IP literal: only as the host, once */
			if (!in_auth || literal++)
				return 0;
		} else if (ch == ']') {
			if (!in_auth || literal != 1)
				return 0;
			literal = 2;
		} else if (!uri_char(ch)) {
			return 0;
		}
	}
	return literal != 1;
}

/* ---- base64 (RFC 4648 4, padded) [2.1] ------------------------------ */

static int b64(unsigned char ch)
{
	if (is_alpha(ch))
		return ch >= 'a' ? ch - 'a' + 26 : ch - 'A';
	if (is_digit(ch))
		return ch - '0' + 52;
	return ch == '+' ? 62 : ch == '/' ? 63 : -1;
}

int vg__base64_valid(const char *s)
{
	/* Checked in place rather than decoded: payload_bin can be as large
	 * as an object may be. The bits that padding leaves over must be
	 * zero (RFC 4648 3.5: canonical encoding). */
	size_t n = strlen(s), pad = 0;
	if (n % 4)
		return 0;
	if (n && s[n - 1] == '=')
		pad = n >= 2 && s[n - 2] == '=' ? 2 : 1;
	for (size_t i = 0; i < n - pad; i++)
		if (b64((unsigned char)s[i]) < 0)
			return 0;
	if (pad == 1)
		return (b64((unsigned char)s[n - 2]) & 3) == 0;
	if (pad == 2)
		return (b64((unsigned char)s[n - 3]) & 15) == 0;
	return 1;
}

/* ---- RFC 5646 language tags ----------------------------------------- */

static const char *const irregular[] = {
    "en-GB-oed", "i-ami", "i-bnn",     "i-default", "i-enochian", "i-hak",
    "i-klingon", "i-lux", "i-mingo",   "i-navajo",  "i-pwn",      "i-tao",
    "i-tay",     "i-tsu", "sgn-BE-FR", "sgn-BE-NL", "sgn-CH-DE",  NULL};

struct subtag {
	const char *p;
	size_t n;
};

static int all(const struct subtag *t, int (*cls)(unsigned char))
{
	for (size_t i = 0; i < t->n; i++)
		if (!cls((unsigned char)t->p[i]))
			return 0;
	return 1;
}

/* The primary language subtag is registered. ISO 639-1 codes are checked
 * against ICU, which knows them all but "bh" (Bihari, still in the IANA
 * registry); three-letter codes (thousands, ISO 639-3) are accepted as
 * they are: ICU knows only some, and refusing the others would refuse
 * valid tags. */
static int primary_known(const struct subtag *t)
{
	char two[3];
	if (t->n != 2)
		return t->n == 3;
	two[0] = (char)(t->p[0] | 0x20);
	two[1] = (char)(t->p[1] | 0x20);
	two[2] = '\0';
	return strcmp(two, "bh") == 0 || *uloc_getISO3Language(two) != '\0';
}

int vg__lang_valid(const char *s)
{
	struct subtag t[64];
	size_t n = 0, i = 0;

	for (const char *const *g = irregular; *g; g++)
		if (strcasecmp(s, *g) == 0)
			return 1;
	/* Subtags: 1-8 letters or digits between single hyphens. */
	for (const char *p = s;;) {
		size_t m = 0;
		while (is_alnum((unsigned char)p[m]))
			m++;
		if (m < 1 || m > 8 || n == 64)
			return 0;
		t[n].p = p;
		t[n++].n = m;
		p += m;
		if (!*p)
			break;
		if (*p++ != '-')
			return 0;
	}
#define SINGLE(k, ch) (t[k].n == 1 && (t[k].p[0] | 0x20) == (ch))
	if (!SINGLE(0, 'x')) {
		/* language: 2-3 letters and up to three extlangs; the 4-8
		 * letter forms are reserved and none is registered */
		if (t[0].n > 3 || t[0].n < 2 || !all(&t[0], is_alpha) ||
		    !primary_known(&t[0]))
			return 0;
		i = 1;
		for (int e = 0;
		     e < 3 && i < n && t[i].n == 3 && all(&t[i], is_alpha); e++)
			i++;
		if (i < n && t[i].n == 4 && all(&t[i], is_alpha))
			i++; /* script */
		if (i < n && ((t[i].n == 2 && all(&t[i], is_alpha)) ||
		              (t[i].n == 3 && all(&t[i], is_digit))))
			i++; /* region */
		while (i < n &&
		       (t[i].n >= 5 ||
		        (t[i].n == 4 && is_digit((unsigned char)t[i].p[0]))))
			i++; /* variants */
		while (i < n && t[i].n == 1 && !SINGLE(i, 'x')) {
			size_t j = i + 1; /* extension: singleton, 2-8 */
			while (j < n && t[j].n >= 2)
				j++;
			if (j == i + 1)
				return 0;
			i = j;
		}
		if (i == n)
			return 1;
		if (!SINGLE(i, 'x'))
			return 0;
	}
	/* private use: "x" and at least one subtag of 1-8 */
	return n - i >= 2;
#undef SINGLE
}

/* ---- CPE 2.3 formatted strings (NISTIR 7695 6.2) [6.14] ------------- */

/* One attribute: "*", "-", or an avstring with its wildcards and
 * escapes; *p moves past it. */
static int cpe_avstring(const char **pp)
{
	const char *p = *pp;
	if ((p[0] == '*' || p[0] == '-') && (p[1] == ':' || !p[1])) {
		*pp = p + 1;
		return 1;
	}
	if (*p == '*')
		p++;
	else
		while (*p == '?')
			p++;
	int body = 0;
	for (;;) {
		unsigned char ch = (unsigned char)*p;
		if (is_alnum(ch) || ch == '-' || ch == '.' || ch == '_') {
			p++;
		} else if (ch == '\\' && p[1] &&
		           strchr("\\*?!\"#$%&'()+,/:;<=>@[]^`{|}~", p[1])) {
			p += 2;
		} else {
			break;
		}
		body++;
	}
	if (!body)
		return 0;
	if (*p == '*')
		p++;
	else
		while (*p == '?')
			p++;
	*pp = p;
	return 1;
}

int vg__cpe23_valid(const char *s)
{
	const char *p = s;
	if (strncmp(p, "cpe:2.3:", 8) != 0)
		return 0;
	p += 8;
	if (!strchr("aoh*-", *p) || !*p || (p[1] != ':'))
		return 0;
	p++;
	for (int i = 0; i < 10; i++) {
		if (*p++ != ':')
			return 0;
		if (i == 5) {
			/* language: 2-3 letters, optional -region, or * - */
			if ((p[0] == '*' || p[0] == '-') &&
			    (p[1] == ':' || !p[1])) {
				p++;
				continue;
			}
			int m = 0;
			while (is_alpha((unsigned char)p[m]))
				m++;
			if (m < 2 || m > 3)
				return 0;
			p += m;
			if (*p == '-') {
				p++;
				if (is_alpha((unsigned char)p[0]) &&
				    is_alpha((unsigned char)p[1]))
					p += 2;
				else if (is_digit((unsigned char)p[0]) &&
				         is_digit((unsigned char)p[1]) &&
				         is_digit((unsigned char)p[2]))
					p += 3;
				else
					return 0;
			}
			continue;
		}
		if (!cpe_avstring(&p))
			return 0;
	}
	return *p == '\0';
}

/* ---- IANA character sets (ICU's alias table) [3.9.1] ---------------- */

int vg__charset_check(const char *s, const char **want)
{
	UErrorCode e = U_ZERO_ERROR;
	const char *mime = NULL, *iana = NULL;

	*want = NULL;
	if (strlen(s) > 40) /* the registry's longest name is 40 */
		return 1;
	mime = ucnv_getStandardName(s, "MIME", &e);
	if (U_FAILURE(e))
		mime = NULL;
	e = U_ZERO_ERROR;
	iana = ucnv_getStandardName(s, "IANA", &e);
	if (U_FAILURE(e))
		iana = NULL;
	/* The preferred MIME name where there is one, else the Name; the
	 * registry's names are not case-sensitive. */
	*want = mime ? mime : iana;
	if (!*want)
		return 1;
	return strcasecmp(s, *want) == 0 ? 0 : 2;
}

/* ---- hashes [2.7, 10.7] --------------------------------------------- */

int vg__hash_name_valid(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!(is_alnum((unsigned char)s[n]) || s[n] == '-' ||
		      s[n] == '_') ||
		    n >= 250)
			return 0;
	return n >= 3;
}

static int hex_run(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_hex((unsigned char)s[i]))
			return 0;
	return s[n] == '\0';
}

/* ssdeep's blocksize:hash:hash, each hash of base64 characters. */
static int ssdeep_valid(const char *s)
{
	const char *p = s;
	int digits = 0;
	while (is_digit((unsigned char)*p) && digits < 10)
		p++, digits++;
	if (!digits || *p++ != ':')
		return 0;
	for (int part = 0; part < 2; part++) {
		int m = 0;
		while (b64((unsigned char)p[m]) >= 0)
			m++;
		if (m > 64)
			return 0;
		p += m;
		if (part == 0 && *p++ != ':')
			return 0;
	}
	return *p == '\0';
}

static const struct hash_alg {
	const char *key; /* the name, upper case, without '-' or '_' */
	const char *name;
	int hex; /* hex digits, 0: its own syntax */
} algs[] = {
    {"MD5", "MD5", 32},          {"SHA1", "SHA-1", 40},
    {"SHA256", "SHA-256", 64},   {"SHA512", "SHA-512", 128},
    {"SHA3256", "SHA3-256", 64}, {"SHA3512", "SHA3-512", 128},
    {"SSDEEP", "SSDEEP", 0},     {"TLSH", "TLSH", 0},
};

const char *vg__hash_value_rule(const char *alg, const char *v)
{
	char key[16];
	size_t n = 0;
	/* The key names the algorithm: "sha256" and "SHA_256" name SHA-256
	 * as much as "SHA-256" does, so its value has SHA-256's format. */
	for (const char *p = alg; *p; p++) {
		if (*p == '-' || *p == '_')
			continue;
		if (n + 1 >= sizeof(key))
			return NULL;
		key[n++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
	}
	key[n] = '\0';
	for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
		const struct hash_alg *a = &algs[i];
		if (strcmp(key, a->key) != 0)
			continue;
		if (a->hex)
			return hex_run(v, (size_t)a->hex) ? NULL : a->name;
		if (a->name[0] == 'S')
			return ssdeep_valid(v) ? NULL : a->name;
		/* TLSH: 35 bytes in hex, with the "T1" version prefix that
		 * TLSH 4 writes, or without it */
		return hex_run(v, 70) || ((v[0] == 'T' || v[0] == 't') &&
		                          v[1] == '1' && hex_run(v + 2, 70))
		           ? NULL
		           : a->name;
	}
	return NULL; /* a custom algorithm: its value is its producer's */
}

/* ---- Windows registry hives [6.17] ---------------------------------- */

int vg__hive_abbreviated(const char *key)
{
	static const char *const abbrev[] = {"HKLM", "HKCU", "HKCR", "HKU",
	                                     "HKCC", "HKPD", "HKDD", NULL};
	size_t n = strcspn(key, "\\/");
	for (const char *const *a = abbrev; *a; a++)
		if (strlen(*a) == n && strncasecmp(key, *a, n) == 0)
			return 1;
	return 0;
}
