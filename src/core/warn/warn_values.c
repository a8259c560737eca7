/* Observable values as correlation keys (keys.h): IPv4 and IPv6
 * addresses and blocks, domains (IDNA, labels reversed), URLs, e-mail
 * addresses, hashes, MAC addresses; ranges and containment of blocks. */
#include "warn_int.h"
#include "vigil/util/error.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uidna.h>

/* ---- IP addresses and blocks ----------------------------------------- */

struct ipnet {
	unsigned char a[16];
	int v6;
	int prefix;
};

static int parse_ip(const char *s, size_t len, struct ipnet *out)
{
	char buf[64];
	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (!len || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	char *slash = strchr(buf, '/');
	long prefix = -1;
	if (slash) {
		char *end;
		*slash = '\0';
		if (!slash[1] || !isdigit((unsigned char)slash[1]))
			return -1;
		prefix = strtol(slash + 1, &end, 10);
		if (*end || prefix < 0)
			return -1;
	}
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, buf, out->a) == 1) {
		out->v6 = 0;
		if (prefix > 32)
			return -1;
		out->prefix = prefix < 0 ? 32 : (int)prefix;
	} else if (inet_pton(AF_INET6, buf, out->a) == 1) {
		out->v6 = 1;
		if (prefix > 128)
			return -1;
		out->prefix = prefix < 0 ? 128 : (int)prefix;
	} else {
		return -1;
	}
	/* the block's network: host bits cleared */
	int bits = out->v6 ? 128 : 32;
	for (int b = out->prefix; b < bits; b++)
		out->a[b / 8] &= (unsigned char)~(0x80 >> (b % 8));
	return 0;
}

static void ip_key(const struct ipnet *n, char *out, size_t cap)
{
	/* by hand: matching an address looks up a key per watched block
	 * size, and snprintf per byte was most of it */
	static const char hex[] = "0123456789abcdef";
	char k[4 + 32 + 1 + 3 + 1];
	int bytes = n->v6 ? 16 : 4;
	size_t at = 0;
	memcpy(k, n->v6 ? "ip6:" : "ip4:", 4);
	at = 4;
	for (int i = 0; i < bytes; i++) {
		k[at++] = hex[n->a[i] >> 4];
		k[at++] = hex[n->a[i] & 15];
	}
	k[at++] = '/';
	if (n->v6)
		k[at++] = (char)('0' + n->prefix / 100);
	k[at++] = (char)('0' + n->prefix / 10 % 10);
	k[at++] = (char)('0' + n->prefix % 10);
	k[at] = '\0';
	snprintf(out, cap, "%s", k);
}

static int hexval(int c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
	                              : -1;
}

/* Read an ip4/ip6 key back. */
static int key_ip(const char *key, struct ipnet *out)
{
	int v6 = !strncmp(key, "ip6:", 4);
	if (!v6 && strncmp(key, "ip4:", 4))
		return -1;
	size_t digits = v6 ? 32 : 8;
	const char *p = key + 4;
	memset(out, 0, sizeof(*out));
	out->v6 = v6;
	for (size_t i = 0; i < digits; i += 2) {
		int hi = hexval((unsigned char)p[i]), lo;
		if (hi < 0 || (lo = hexval((unsigned char)p[i + 1])) < 0)
			return -1;
		out->a[i / 2] = (unsigned char)(hi << 4 | lo);
	}
	if (p[digits] != '/')
		return -1;
	char *end;
	long pr = strtol(p + digits + 1, &end, 10);
	if (*end || pr < 0 || pr > (v6 ? 128 : 32))
		return -1;
	out->prefix = (int)pr;
	return 0;
}

int vg__warn_add_ip(struct vg_warn_keyset *ks, const char *s, size_t len,
                    int *added)
{
	struct ipnet n;
	char key[64];
	*added = 0;
	if (parse_ip(s, len, &n))
		return VG_OK;
	ip_key(&n, key, sizeof(key));
	*added = 1;
	return vg_warn_keyset_add(ks, key, strlen(key));
}

int vg_warn_ip_supernets(const char *key, struct vg_warn_keyset *out)
{
	struct ipnet n;
	if (key_ip(key, &n))
		return VG_OK;
	int rc = VG_OK;
	for (int p = n.prefix - 1; p >= 0 && !rc; p--) {
		struct ipnet s = n;
		char k[64];
		s.prefix = p;
		for (int b = p; b < (n.v6 ? 128 : 32); b++)
			s.a[b / 8] &= (unsigned char)~(0x80 >> (b % 8));
		ip_key(&s, k, sizeof(k));
		rc = vg_warn_keyset_add(out, k, strlen(k));
	}
	return rc;
}

int vg_warn_ip_supernet(const char *key, int p, char *out)
{
	struct ipnet n;
	if (key_ip(key, &n) || p < 0 || p >= n.prefix)
		return -1;
	n.prefix = p;
	for (int b = p; b < (n.v6 ? 128 : 32); b++)
		n.a[b / 8] &= (unsigned char)~(0x80 >> (b % 8));
	ip_key(&n, out, 64);
	return 0;
}

int vg_warn_ip_range(const char *key, char *lo, char *hi)
{
	struct ipnet n;
	if (key_ip(key, &n))
		return -1;
	struct ipnet top = n;
	int bits = n.v6 ? 128 : 32;
	for (int b = n.prefix; b < bits; b++)
		top.a[b / 8] |= (unsigned char)(0x80 >> (b % 8));
	/* every key of a network in [n, top], any prefix: the prefix
	 * digits sort after '/' */
	n.prefix = 0;
	top.prefix = bits;
	ip_key(&n, lo, VG_WARN_KEY_MAX);
	ip_key(&top, hi, VG_WARN_KEY_MAX);
	return 0;
}

int vg_warn_ip_within(const char *inner, const char *outer)
{
	struct ipnet i, o;
	if (key_ip(inner, &i) || key_ip(outer, &o) || i.v6 != o.v6 ||
	    i.prefix < o.prefix)
		return 0;
	for (int b = 0; b < o.prefix; b++) {
		int m = 0x80 >> (b % 8);
		if ((i.a[b / 8] & m) != (o.a[b / 8] & m))
			return 0;
	}
	return 1;
}

/* ---- domains ------------------------------------------------------------ */

static int ascii_only(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 0;
	return 1;
}

int vg__warn_domain(struct vg_warn_keyer *k, const char *s, size_t len,
                    char *out, size_t n)
{
	char tmp[300];
	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len && (isspace((unsigned char)s[len - 1]) || s[len - 1] == '.'))
		len--;
	if (!len || len >= sizeof(tmp) || n < 2)
		return -1;
	if (!ascii_only(s, len)) {
		UErrorCode e = U_ZERO_ERROR;
		UIDNAInfo info = UIDNA_INFO_INITIALIZER;
		if (!k->idna) {
			k->idna =
			    uidna_openUTS46(UIDNA_NONTRANSITIONAL_TO_ASCII, &e);
			if (U_FAILURE(e)) {
				k->idna = NULL;
				return -1;
			}
		}
		int32_t m =
		    uidna_nameToASCII_UTF8(k->idna, s, (int32_t)len, tmp,
		                           (int32_t)sizeof(tmp) - 1, &info, &e);
		if (U_FAILURE(e) || info.errors || m <= 0 ||
		    (size_t)m >= sizeof(tmp))
			return -1;
		s = tmp;
		len = (size_t)m;
	}
	if (len >= n)
		return -1;
	for (size_t i = 0; i < len; i++) {
		char c = (char)tolower((unsigned char)s[i]);
		if (!(isalnum((unsigned char)c) || c == '-' || c == '_' ||
		      c == '.'))
			return -1;
		if (c == '.' && (i == 0 || out[i - 1] == '.'))
			return -1;
		out[i] = c;
	}
	out[len] = '\0';
	return 0;
}

int vg__warn_add_domain(struct vg_warn_keyset *ks, const char *dom)
{
	char key[VG_WARN_KEY_MAX + 8];
	size_t len = strlen(dom), at = 4;
	if (len + 5 > sizeof(key))
		return VG_OK;
	memcpy(key, "dom:", 4);
	/* labels in reverse order */
	for (size_t end = len; end > 0;) {
		size_t start = end;
		while (start > 0 && dom[start - 1] != '.')
			start--;
		memcpy(key + at, dom + start, end - start);
		at += end - start;
		if (start > 0)
			key[at++] = '.';
		end = start ? start - 1 : 0;
	}
	key[at] = '\0';
	return vg_warn_keyset_add(ks, key, at);
}

int vg_warn_dom_subrange(const char *key, char *lo, char *hi)
{
	size_t n = strlen(key);
	if (strncmp(key, "dom:", 4) || n + 2 > VG_WARN_KEY_MAX)
		return -1;
	memcpy(lo, key, n);
	memcpy(hi, key, n);
	lo[n] = '.';
	hi[n] = '/'; /* the byte after '.' */
	lo[n + 1] = hi[n + 1] = '\0';
	return 0;
}

/* ---- URLs and e-mail addresses ------------------------------------------ */

/* Add the host of a URL: an address, a bracketed IPv6 address or a
 * domain. */
static int add_host(struct vg_warn_keyer *k, struct vg_warn_keyset *ks,
                    const char *h, size_t len, char *canon, size_t cn)
{
	int added = 0;
	if (len > 2 && h[0] == '[' && h[len - 1] == ']') {
		int rc = vg__warn_add_ip(ks, h + 1, len - 2, &added);
		if (rc || !added)
			return rc ? rc : -1;
		snprintf(canon, cn, "%.*s", (int)len, h);
		for (char *p = canon; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		return VG_OK;
	}
	int rc = vg__warn_add_ip(ks, h, len, &added);
	if (rc)
		return rc;
	if (added) {
		snprintf(canon, cn, "%.*s", (int)len, h);
		return VG_OK;
	}
	if (vg__warn_domain(k, h, len, canon, cn))
		return -1;
	return vg__warn_add_domain(ks, canon);
}

int vg__warn_add_url(struct vg_warn_keyer *k, struct vg_warn_keyset *ks,
                     const char *s, size_t len, int *added)
{
	char scheme[32], host[300];
	*added = 0;
	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	const char *sep = len > 3 ? strstr(s, "://") : NULL;
	if (!sep || (size_t)(sep - s) >= len || sep == s ||
	    (size_t)(sep - s) >= sizeof(scheme))
		return VG_OK;
	size_t sl = (size_t)(sep - s);
	for (size_t i = 0; i < sl; i++) {
		char c = (char)tolower((unsigned char)s[i]);
		if (!(isalnum((unsigned char)c) || c == '+' || c == '-' ||
		      c == '.'))
			return VG_OK;
		scheme[i] = c;
	}
	scheme[sl] = '\0';
	const char *a = sep + 3, *end = s + len;
	const char *ae = a;
	while (ae < end && *ae != '/' && *ae != '?' && *ae != '#')
		ae++;
	/* drop credentials: user:password@ */
	for (const char *p = ae; p > a; p--)
		if (p[-1] == '@') {
			a = p;
			break;
		}
	const char *port = NULL;
	const char *hend = ae;
	if (a < ae && *a == '[') {
		const char *rb = memchr(a, ']', (size_t)(ae - a));
		if (!rb)
			return VG_OK;
		hend = rb + 1;
		if (hend < ae && *hend == ':')
			port = hend + 1;
	} else {
		const char *c = memchr(a, ':', (size_t)(ae - a));
		if (c) {
			hend = c;
			port = c + 1;
		}
	}
	if (hend == a)
		return VG_OK;
	int rc = add_host(k, ks, a, (size_t)(hend - a), host, sizeof(host));
	if (rc < 0)
		return VG_OK;
	if (rc)
		return rc;
	char portbuf[8] = "";
	if (port && port < ae) {
		size_t pl = (size_t)(ae - port);
		if (pl >= sizeof(portbuf))
			return VG_OK;
		for (size_t i = 0; i < pl; i++)
			if (!isdigit((unsigned char)port[i]))
				return VG_OK;
		long pn = strtol(port, NULL, 10);
		int dflt = (!strcmp(scheme, "http") && pn == 80) ||
		           (!strcmp(scheme, "https") && pn == 443) ||
		           (!strcmp(scheme, "ftp") && pn == 21);
		if (!dflt)
			snprintf(portbuf, sizeof(portbuf), ":%ld", pn);
	}
	const char *path = ae, *pend = end;
	const char *frag = memchr(path, '#', (size_t)(end - path));
	if (frag)
		pend = frag;
	struct vg_buf b;
	vg_buf_init(&b, VG_WARN_KEY_MAX * 2);
	rc = vg_buf_printf(&b, "url:%s://%s%s", scheme, host, portbuf);
	if (!rc && (pend == path || *path != '/'))
		rc = vg_buf_putc(&b, '/');
	if (!rc)
		rc = vg_buf_append(&b, path, (size_t)(pend - path));
	if (rc == VG_ETOOBIG)
		rc = VG_OK; /* cut by keyset_add below */
	if (!rc && b.data) {
		rc = vg_warn_keyset_add(ks, b.data, b.len);
		*added = 1;
	}
	vg_buf_release(&b);
	return rc;
}

int vg__warn_add_email(struct vg_warn_keyer *k, struct vg_warn_keyset *ks,
                       const char *s, size_t len, int *added)
{
	char dom[300], key[VG_WARN_KEY_MAX + 8];
	*added = 0;
	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	const char *at = memchr(s, '@', len);
	if (!at || at == s || memchr(at + 1, '@', len - (size_t)(at - s) - 1))
		return VG_OK;
	size_t ll = (size_t)(at - s);
	for (size_t i = 0; i < ll; i++)
		if (isspace((unsigned char)s[i]) || s[i] == '<' || s[i] == '>')
			return VG_OK;
	if (vg__warn_domain(k, at + 1, len - ll - 1, dom, sizeof(dom)) ||
	    !strchr(dom, '.'))
		return VG_OK;
	if (ll + strlen(dom) + 8 > sizeof(key))
		return VG_OK;
	size_t n = (size_t)snprintf(key, sizeof(key), "email:");
	for (size_t i = 0; i < ll; i++)
		key[n++] = (char)tolower((unsigned char)s[i]);
	n += (size_t)snprintf(key + n, sizeof(key) - n, "@%s", dom);
	*added = 1;
	int rc = vg_warn_keyset_add(ks, key, n);
	return rc ? rc : vg__warn_add_domain(ks, dom);
}

/* ---- hashes and MAC addresses ---------------------------------------- */

int vg__warn_add_hash(struct vg_warn_keyset *ks, const char *alg,
                      const char *value, size_t len)
{
	char a[32], key[VG_WARN_KEY_MAX + 8];
	size_t n = 0;
	/* SHA-256 and SHA256 are one; SHA3-256 keeps its dash */
	for (const char *p = alg; *p && n + 1 < sizeof(a); p++) {
		char c = (char)tolower((unsigned char)*p);
		if (c == '\'' || c == '"' || c == ' ')
			continue;
		if (c == '-' && !(n == 4 && !strncmp(a, "sha3", 4)))
			continue;
		a[n++] = c;
	}
	a[n] = '\0';
	while (len && isspace((unsigned char)*value)) {
		value++;
		len--;
	}
	while (len && isspace((unsigned char)value[len - 1]))
		len--;
	if (!n || len < 8 || len + n + 7 > sizeof(key))
		return VG_OK;
	size_t k = (size_t)snprintf(key, sizeof(key), "hash:%s:", a);
	for (size_t i = 0; i < len; i++)
		key[k++] = (char)tolower((unsigned char)value[i]);
	return vg_warn_keyset_add(ks, key, k);
}

int vg__warn_add_mac(struct vg_warn_keyset *ks, const char *s, size_t len,
                     int *added)
{
	char key[48] = "mac:";
	size_t n = 4, digits = 0;
	*added = 0;
	for (size_t i = 0; i < len; i++) {
		char c = (char)tolower((unsigned char)s[i]);
		if (isxdigit((unsigned char)c)) {
			if (n + 2 >= sizeof(key))
				return VG_OK;
			if (digits && digits % 2 == 0)
				key[n++] = ':';
			key[n++] = c;
			digits++;
		} else if (c != ':' && c != '-' && c != '.') {
			return VG_OK;
		}
	}
	if (digits != 12 && digits != 16)
		return VG_OK;
	*added = 1;
	return vg_warn_keyset_add(ks, key, n);
}

/* ---- display --------------------------------------------------------- */

static void reverse_labels(const char *d, char *out, size_t n)
{
	size_t len = strlen(d), at = 0;
	if (!n)
		return;
	for (size_t end = len; end > 0 && at + 1 < n;) {
		size_t start = end;
		while (start > 0 && d[start - 1] != '.')
			start--;
		size_t l = end - start;
		if (at + l + 1 >= n)
			break;
		memcpy(out + at, d + start, l);
		at += l;
		if (start > 0)
			out[at++] = '.';
		end = start ? start - 1 : 0;
	}
	out[at] = '\0';
}

void vg_warn_key_display(const char *key, char *out, size_t n)
{
	struct ipnet ip;
	if (!n)
		return;
	if (!key_ip(key, &ip)) {
		char a[64];
		inet_ntop(ip.v6 ? AF_INET6 : AF_INET, ip.a, a, sizeof(a));
		if (ip.prefix == (ip.v6 ? 128 : 32))
			snprintf(out, n, "%s", a);
		else
			snprintf(out, n, "%s/%d", a, ip.prefix);
		return;
	}
	if (!strncmp(key, "dom:", 4)) {
		reverse_labels(key + 4, out, n);
		return;
	}
	const char *c = strchr(key, ':');
	if (c && strncmp(key, "name:", 5) && strncmp(key, "name2:", 6))
		snprintf(out, n, "%s", c + 1);
	else
		snprintf(out, n, "%s", key);
}

int vg_warn_key_correlates(const char *key)
{
	static const char *const kinds[] = {
	    "ip4:", "ip6:", "dom:",  "url:",   "email:", "hash:",
	    "mac:", "asn:", "name:", "name2:", "doc:"};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strncmp(key, kinds[i], strlen(kinds[i])))
			return 1;
	return 0;
}

void vg_warn_key_kind(const char *key, char out[16])
{
	size_t n = 0;
	while (key[n] && key[n] != ':' && n < 15) {
		out[n] = key[n];
		n++;
	}
	out[n] = '\0';
}
