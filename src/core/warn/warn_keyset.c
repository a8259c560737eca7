/* A set of correlation keys (keys.h): NUL-terminated texts in one
 * buffer, sorted and made unique once complete; and the exclusion list. */
#include "vigil/warn/keys.h"
#include "vigil/util/error.h"

#include <stdlib.h>
#include <string.h>

void vg_warn_keyset_init(struct vg_warn_keyset *ks)
{
	memset(ks, 0, sizeof(*ks));
	vg_buf_init(&ks->text, 0);
}

void vg_warn_keyset_reset(struct vg_warn_keyset *ks)
{
	vg_buf_reset(&ks->text);
	ks->n = 0;
}

void vg_warn_keyset_release(struct vg_warn_keyset *ks)
{
	vg_buf_release(&ks->text);
	free(ks->off);
	memset(ks, 0, sizeof(*ks));
}

/* The length of s[0..len) cut to max bytes before a whole character. */
static size_t utf8_cut(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

int vg_warn_keyset_add(struct vg_warn_keyset *ks, const char *key, size_t len)
{
	len = utf8_cut(key, len, VG_WARN_KEY_MAX);
	if (!len || memchr(key, '\0', len))
		return VG_OK; /* never a key */
	if (ks->n == ks->cap) {
		size_t cap = ks->cap ? ks->cap * 2 : 16;
		uint32_t *o = realloc(ks->off, cap * sizeof(*o));
		if (!o)
			return VG_ENOMEM;
		ks->off = o;
		ks->cap = cap;
	}
	if (ks->text.len > UINT32_MAX - len - 1)
		return VG_ETOOBIG;
	uint32_t at = (uint32_t)ks->text.len;
	int rc = vg_buf_append(&ks->text, key, len);
	if (!rc)
		rc = vg_buf_append(&ks->text, "", 1);
	if (rc)
		return rc;
	ks->off[ks->n++] = at;
	return VG_OK;
}

/* qsort has no context argument in C17: each offset is sorted beside
 * its text's address. */
struct ent {
	const char *s;
	uint32_t off;
};

static int by_ent(const void *a, const void *b)
{
	return strcmp(((const struct ent *)a)->s, ((const struct ent *)b)->s);
}

int vg_warn_keyset_finish(struct vg_warn_keyset *ks)
{
	if (ks->n < 2)
		return VG_OK;
	struct ent *e = malloc(ks->n * sizeof(*e));
	if (!e)
		return VG_ENOMEM;
	for (size_t i = 0; i < ks->n; i++) {
		e[i].off = ks->off[i];
		e[i].s = ks->text.data + ks->off[i];
	}
	qsort(e, ks->n, sizeof(*e), by_ent);
	size_t k = 0;
	for (size_t i = 0; i < ks->n; i++)
		if (!k || strcmp(e[i].s, e[k - 1].s))
			e[k++] = e[i];
	for (size_t i = 0; i < k; i++)
		ks->off[i] = e[i].off;
	ks->n = k;
	free(e);
	return VG_OK;
}

int vg_warn_keyset_has(const struct vg_warn_keyset *ks, const char *key)
{
	size_t lo = 0, hi = ks->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(vg_warn_keyset_at(ks, mid), key);
		if (!c)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* ---- exclusions -------------------------------------------------------- */

const char *const vg_warn_default_exclusions[] = {
    /* IPv4 special-use blocks (RFC 6890): private, loopback, link
     * local, shared address space, "this network", multicast and
     * reserved, broadcast */
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "224.0.0.0/4",
    "240.0.0.0/4",
    /* IPv6: unspecified, loopback, unique local, link local, multicast */
    "::/128",
    "::1/128",
    "fc00::/7",
    "fe80::/10",
    "ff00::/8",
    /* reserved names (RFC 2606, RFC 6761) */
    "localhost",
    "local",
    "invalid",
    "example.com",
    "example.net",
    "example.org",
    /* domains nearly every mail, URL and DNS log names */
    "google.com",
    "googleapis.com",
    "gstatic.com",
    "microsoft.com",
    "windows.com",
    "windowsupdate.com",
    "office.com",
    "live.com",
    "outlook.com",
    "apple.com",
    "icloud.com",
    "amazonaws.com",
    "akamaihd.net",
    "cloudflare.com",
    "facebook.com",
    "gmail.com",
    "yahoo.com",
    "hotmail.com",
    "w3.org",
    "schema.org",
    /* the hashes of empty input */
    "d41d8cd98f00b204e9800998ecf8427e",
    "da39a3ee5e6b4b0d3255bfef95601890afd80709",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    NULL,
};

void vg_warn_excl_init(struct vg_warn_excl *x)
{
	memset(x, 0, sizeof(*x));
}

void vg_warn_excl_release(struct vg_warn_excl *x)
{
	for (size_t i = 0; i < x->n; i++)
		free(x->keys[i]);
	free(x->keys);
	memset(x, 0, sizeof(*x));
}

int vg_warn_excl_add(struct vg_warn_excl *x, const char *key)
{
	for (size_t i = 0; i < x->n; i++)
		if (!strcmp(x->keys[i], key))
			return VG_OK;
	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 32;
		char **k = realloc(x->keys, cap * sizeof(*k));
		if (!k)
			return VG_ENOMEM;
		x->keys = k;
		x->cap = cap;
	}
	if (!(x->keys[x->n] = strdup(key)))
		return VG_ENOMEM;
	x->n++;
	return VG_OK;
}

int vg_warn_excl_remove(struct vg_warn_excl *x, const char *key)
{
	for (size_t i = 0; i < x->n; i++)
		if (!strcmp(x->keys[i], key)) {
			free(x->keys[i]);
			x->keys[i] = x->keys[--x->n];
			return VG_OK;
		}
	return VG_ENOTFOUND;
}

int vg_warn_excluded(const struct vg_warn_excl *x, const char *key)
{
	int ip = !strncmp(key, "ip4:", 4) || !strncmp(key, "ip6:", 4);
	int dom = !strncmp(key, "dom:", 4);
	size_t kl = strlen(key);
	for (size_t i = 0; i < x->n; i++) {
		const char *e = x->keys[i];
		if (!strcmp(e, key))
			return 1;
		if (ip && !strncmp(e, key, 4) && vg_warn_ip_within(key, e))
			return 1;
		if (dom && !strncmp(e, "dom:", 4)) {
			size_t el = strlen(e);
			if (kl > el && !strncmp(key, e, el) && key[el] == '.')
				return 1;
		}
	}
	return 0;
}
