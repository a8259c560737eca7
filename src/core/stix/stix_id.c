/* STIX identifiers [2.9]: type names, UUID syntax, "type--UUID" ids and
 * UUIDv4/UUIDv5 formatting (SHA-1 from nettle). */
#include "vigil/util/error.h"
#include "vigil/stix/stix.h"

#include "stix_internal.h"

#include <nettle/sha1.h>
#include <string.h>

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Character classes by table: ids are checked several times per object
 * on the ingest path. */
#define C_HEX 1u  /* 0-9 a-f A-F */
#define C_TYPE 2u /* a-z 0-9: type names, with '-' */

static const unsigned char cls[256] = {
    ['0'] = 3, ['1'] = 3, ['2'] = 3, ['3'] = 3, ['4'] = 3, ['5'] = 3, ['6'] = 3,
    ['7'] = 3, ['8'] = 3, ['9'] = 3, ['a'] = 3, ['b'] = 3, ['c'] = 3, ['d'] = 3,
    ['e'] = 3, ['f'] = 3, ['g'] = 2, ['h'] = 2, ['i'] = 2, ['j'] = 2, ['k'] = 2,
    ['l'] = 2, ['m'] = 2, ['n'] = 2, ['o'] = 2, ['p'] = 2, ['q'] = 2, ['r'] = 2,
    ['s'] = 2, ['t'] = 2, ['u'] = 2, ['v'] = 2, ['w'] = 2, ['x'] = 2, ['y'] = 2,
    ['z'] = 2, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
};

#define IS(ch, c) (cls[(unsigned char)(ch)] & (c))

int vg_uuid_valid(const char *s)
{
	if (!s)
		return 0;
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!IS(s[i], C_HEX)) {
			return 0; /* also stops at a NUL */
		}
	}
	if (s[36] != '\0')
		return 0;
	/* RFC 4122 variant: the top bits of clock_seq_hi are 10. */
	int v = hexval(s[19]);
	return v >= 8 && v <= 11;
}

int vg__stix_type_name_valid(const char *s, size_t len)
{
	if (len < 3 || len > 250 || s[0] == '-' || s[len - 1] == '-')
		return 0;
	for (size_t i = 0; i < len; i++) {
		char ch = s[i];
		if (ch == '-') {
			if (s[i + 1] == '-')
				return 0;
		} else if (!IS(ch, C_TYPE)) {
			return 0;
		}
	}
	return 1;
}

int vg__stix_id_split(const char *s, size_t *type_len)
{
	if (!s)
		return 0;
	/* A type name never holds "--", so the first one ends it; a valid
	 * id is at most 250 + 2 + 36 characters. */
	const char *sep = NULL;
	for (const char *p = s; *p && p - s < 252; p++) {
		if (p[0] == '-' && p[1] == '-') {
			sep = p;
			break;
		}
	}
	if (!sep)
		return 0;
	size_t n = (size_t)(sep - s);
	if (!vg__stix_type_name_valid(s, n) || !vg_uuid_valid(sep + 2))
		return 0;
	*type_len = n;
	return 1;
}

int vg_stix_id_valid(const char *s, const char *type)
{
	size_t n;
	if (!vg__stix_id_split(s, &n))
		return 0;
	return !type || (strlen(type) == n && memcmp(s, type, n) == 0);
}

static void uuid_format(const unsigned char b[16], char out[37])
{
	static const char hex[] = "0123456789abcdef";
	char *p = out;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		*p++ = hex[b[i] >> 4];
		*p++ = hex[b[i] & 15];
	}
	*p = '\0';
}

static void uuid_parse(const char *s, unsigned char b[16])
{
	int n = 0;
	for (int i = 0; i < 36; i++) {
		if (s[i] == '-')
			continue;
		int v = hexval(s[i]);
		if (n & 1)
			b[n / 2] = (unsigned char)(b[n / 2] | v);
		else
			b[n / 2] = (unsigned char)(v << 4);
		n++;
	}
}

void vg_uuid_v4(const unsigned char rnd[16], char out[37])
{
	unsigned char b[16];
	memcpy(b, rnd, 16);
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	uuid_format(b, out);
}

int vg_uuid_v5(const char *ns, const void *name, size_t len, char out[37])
{
	unsigned char nsb[16], digest[SHA1_DIGEST_SIZE];
	struct sha1_ctx ctx;

	if (!vg_uuid_valid(ns))
		return VG_EINVAL;
	uuid_parse(ns, nsb);
	sha1_init(&ctx);
	sha1_update(&ctx, sizeof(nsb), nsb);
	sha1_update(&ctx, len, name);
	sha1_digest(&ctx, sizeof(digest), digest);
	digest[6] = (unsigned char)((digest[6] & 0x0f) | 0x50);
	digest[8] = (unsigned char)((digest[8] & 0x3f) | 0x80);
	uuid_format(digest, out);
	return VG_OK;
}
