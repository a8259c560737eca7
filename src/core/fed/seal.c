/* Seals: Merkle proofs under one signed root per page (seal.h). */
#include "vigil/fed/seal.h"
#include "vigil/stix/stix.h"
#include "vigil/util/buf.h"
#include "vigil/util/error.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static const char leaf_tag[] = "vigil-leaf-v1\n";
static const char node_tag[] = "vigil-node-v1\n";
static const char seal_tag[] = "vigil-seal-v1\n";

int vg_seal_leaf(const cJSON *obj, const unsigned char salt[VG_SEAL_SALT],
                 unsigned char leaf[VG_SEAL_HASH])
{
	struct vg_buf b;
	crypto_generichash_state st;
	vg_buf_init(&b, 0);
	int rc = vg_jcs(obj, &b);
	if (!rc) {
		crypto_generichash_init(&st, NULL, 0, VG_SEAL_HASH);
		crypto_generichash_update(&st, (const unsigned char *)leaf_tag,
		                          sizeof(leaf_tag) - 1);
		crypto_generichash_update(&st, salt, VG_SEAL_SALT);
		crypto_generichash_update(&st, (const unsigned char *)b.data,
		                          b.len);
		crypto_generichash_final(&st, leaf, VG_SEAL_HASH);
	}
	vg_buf_release(&b);
	return rc;
}

static void node(const unsigned char *l, const unsigned char *r,
                 unsigned char *out)
{
	unsigned char in[sizeof(node_tag) - 1 + 2 * VG_SEAL_HASH];
	memcpy(in, node_tag, sizeof(node_tag) - 1);
	memcpy(in + sizeof(node_tag) - 1, l, VG_SEAL_HASH);
	memcpy(in + sizeof(node_tag) - 1 + VG_SEAL_HASH, r, VG_SEAL_HASH);
	crypto_generichash(out, VG_SEAL_HASH, in, sizeof(in), NULL, 0);
}

/* One level up, in place: n nodes become (n + 1) / 2. */
static size_t up(unsigned char (*v)[VG_SEAL_HASH], size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i += 2, k++) {
		if (i + 1 < n)
			node(v[i], v[i + 1], v[k]);
		else
			memmove(v[k], v[i], VG_SEAL_HASH);
	}
	return k;
}

void vg_seal_root(const unsigned char (*leaves)[VG_SEAL_HASH], size_t n,
                  unsigned char root[VG_SEAL_HASH])
{
	static _Thread_local unsigned char work[VG_SEAL_MAX][VG_SEAL_HASH];
	memcpy(work, leaves, n * VG_SEAL_HASH);
	while (n > 1)
		n = up(work, n);
	memcpy(root, work[0], VG_SEAL_HASH);
}

size_t vg_seal_message(const char *origin,
                       const unsigned char root[VG_SEAL_HASH],
                       unsigned char *out, size_t len)
{
	size_t ol = strlen(origin),
	       need = sizeof(seal_tag) - 1 + ol + 1 + VG_SEAL_HASH;
	if (need > len)
		return 0;
	memcpy(out, seal_tag, sizeof(seal_tag) - 1);
	memcpy(out + sizeof(seal_tag) - 1, origin, ol);
	out[sizeof(seal_tag) - 1 + ol] = '\n';
	memcpy(out + sizeof(seal_tag) + ol, root, VG_SEAL_HASH);
	return need;
}

int vg_seal_tree_build(struct vg_seal_tree *t,
                       const unsigned char (*leaves)[VG_SEAL_HASH], size_t n)
{
	memset(t, 0, sizeof(*t));
	if (!n || n > VG_SEAL_MAX)
		return VG_EINVAL;
	/* odd nodes going up add at most one a level */
	t->node = malloc((2 * n + VG_SEAL_DEPTH + 2) * VG_SEAL_HASH);
	if (!t->node)
		return VG_ENOMEM;
	memcpy(t->node, leaves, n * VG_SEAL_HASH);
	size_t off = 0, m = n, next = n;
	for (;;) {
		t->level_off[t->levels] = off;
		t->level_n[t->levels++] = m;
		if (m == 1)
			break;
		for (size_t i = 0; i < m; i += 2) {
			if (i + 1 < m)
				node(t->node[off + i], t->node[off + i + 1],
				     t->node[next + i / 2]);
			else
				memcpy(t->node[next + i / 2], t->node[off + i],
				       VG_SEAL_HASH);
		}
		off = next;
		next += (m + 1) / 2;
		m = (m + 1) / 2;
	}
	memcpy(t->root, t->node[off], VG_SEAL_HASH);
	return VG_OK;
}

void vg_seal_tree_release(struct vg_seal_tree *t)
{
	free(t->node);
	t->node = NULL;
}

int vg_seal_text(const struct vg_seal_tree *t, size_t i,
                 const unsigned char salt[VG_SEAL_SALT],
                 const unsigned char sig[64], char out[VG_SEAL_TEXT])
{
	unsigned char proof[VG_SEAL_SALT + 4 + VG_SEAL_DEPTH * VG_SEAL_HASH];
	unsigned char rs[VG_SEAL_HASH + 64];
	size_t len = VG_SEAL_SALT + 4, idx = i, n = t->level_n[0];
	if (!t->node || i >= n)
		return VG_EINVAL;
	memcpy(proof, salt, VG_SEAL_SALT);
	proof[VG_SEAL_SALT] = (unsigned char)(n >> 8);
	proof[VG_SEAL_SALT + 1] = (unsigned char)n;
	proof[VG_SEAL_SALT + 2] = (unsigned char)(i >> 8);
	proof[VG_SEAL_SALT + 3] = (unsigned char)i;
	for (size_t l = 0; l + 1 < t->levels; l++) {
		size_t sib = idx ^ 1;
		if (sib < t->level_n[l]) {
			memcpy(proof + len, t->node[t->level_off[l] + sib],
			       VG_SEAL_HASH);
			len += VG_SEAL_HASH;
		}
		idx /= 2;
	}
	memcpy(rs, t->root, VG_SEAL_HASH);
	memcpy(rs + VG_SEAL_HASH, sig, 64);
	memcpy(out, "seal1:", 6);
	sodium_bin2base64(out + 6, VG_SEAL_TEXT - 7, proof, len,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	size_t o = strlen(out);
	out[o++] = ':';
	sodium_bin2base64(out + o, VG_SEAL_TEXT - o, rs, sizeof(rs),
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return VG_OK;
}

/* Each base64url character's value plus one (0: not one). */
static const unsigned char b64url[256] = {
    ['A'] = 1,  ['B'] = 2,  ['C'] = 3,  ['D'] = 4,  ['E'] = 5,  ['F'] = 6,
    ['G'] = 7,  ['H'] = 8,  ['I'] = 9,  ['J'] = 10, ['K'] = 11, ['L'] = 12,
    ['M'] = 13, ['N'] = 14, ['O'] = 15, ['P'] = 16, ['Q'] = 17, ['R'] = 18,
    ['S'] = 19, ['T'] = 20, ['U'] = 21, ['V'] = 22, ['W'] = 23, ['X'] = 24,
    ['Y'] = 25, ['Z'] = 26, ['a'] = 27, ['b'] = 28, ['c'] = 29, ['d'] = 30,
    ['e'] = 31, ['f'] = 32, ['g'] = 33, ['h'] = 34, ['i'] = 35, ['j'] = 36,
    ['k'] = 37, ['l'] = 38, ['m'] = 39, ['n'] = 40, ['o'] = 41, ['p'] = 42,
    ['q'] = 43, ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47, ['v'] = 48,
    ['w'] = 49, ['x'] = 50, ['y'] = 51, ['z'] = 52, ['0'] = 53, ['1'] = 54,
    ['2'] = 55, ['3'] = 56, ['4'] = 57, ['5'] = 58, ['6'] = 59, ['7'] = 60,
    ['8'] = 61, ['9'] = 62, ['-'] = 63, ['_'] = 64,
};

/* base64url without padding into at most max bytes, as strict as
 * sodium_base642bin (no other byte, no bits left over) and many times
 * faster: its constant-time decoder was 4% of a pull, for public data. */
static int b64url_decode(unsigned char *out, size_t max, const char *in,
                         size_t n, size_t *len)
{
	unsigned acc = 0, bits = 0;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned v = b64url[(unsigned char)in[i]];
		if (!v)
			return -1;
		acc = acc << 6 | (v - 1);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o == max)
				return -1;
			out[o++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	if (bits > 4 || acc)
		return -1;
	*len = o;
	return 0;
}

int vg_seal_parse(const char *text, struct vg_seal_proof *p)
{
	unsigned char proof[VG_SEAL_SALT + 4 + VG_SEAL_DEPTH * VG_SEAL_HASH];
	unsigned char rs[VG_SEAL_HASH + 64];
	size_t len = 0, rl = 0;
	const char *colon;
	memset(p, 0, sizeof(*p));
	if (!text || strncmp(text, "seal1:", 6) ||
	    !(colon = strchr(text + 6, ':')))
		return VG_EINVAL;
	if (b64url_decode(proof, sizeof(proof), text + 6,
	                  (size_t)(colon - text - 6), &len) ||
	    b64url_decode(rs, sizeof(rs), colon + 1, strlen(colon + 1), &rl) ||
	    len < VG_SEAL_SALT + 4 || (len - VG_SEAL_SALT - 4) % VG_SEAL_HASH ||
	    rl != sizeof(rs))
		return VG_EINVAL;
	memcpy(p->salt, proof, VG_SEAL_SALT);
	p->n = (size_t)proof[VG_SEAL_SALT] << 8 | proof[VG_SEAL_SALT + 1];
	p->index =
	    (size_t)proof[VG_SEAL_SALT + 2] << 8 | proof[VG_SEAL_SALT + 3];
	p->n_path = (len - VG_SEAL_SALT - 4) / VG_SEAL_HASH;
	if (!p->n || p->n > VG_SEAL_MAX || p->index >= p->n)
		return VG_EINVAL;
	memcpy(p->path, proof + VG_SEAL_SALT + 4, p->n_path * VG_SEAL_HASH);
	memcpy(p->root, rs, VG_SEAL_HASH);
	memcpy(p->sig, rs + VG_SEAL_HASH, 64);
	return VG_OK;
}

int vg_seal_holds(const cJSON *obj, const struct vg_seal_proof *p)
{
	unsigned char h[VG_SEAL_HASH];
	size_t idx = p->index, m = p->n, k = 0;
	if (vg_seal_leaf(obj, p->salt, h))
		return 0;
	/* climb as the tree was built: a node with no sibling goes up as it is
	 */
	while (m > 1) {
		size_t sib = idx ^ 1;
		if (sib < m) {
			if (k == p->n_path)
				return 0;
			if (idx & 1)
				node(p->path[k], h, h);
			else
				node(h, p->path[k], h);
			k++;
		}
		m = (m + 1) / 2;
		idx /= 2;
	}
	return k == p->n_path && sodium_memcmp(h, p->root, VG_SEAL_HASH) == 0;
}
