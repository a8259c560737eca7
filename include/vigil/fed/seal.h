/* Seals: how a hub signs what it publishes without one Ed25519 operation
 * per object version (about 20 us to sign and 60 us to verify each, more
 * than the rest of a sync costs). The versions of one page are leaves of
 * a Merkle tree; the origin signs its root once; each version carries its
 * proof (salt, position, the sibling hashes up to the root) and the
 * signed root, so it verifies alone, wherever it is relayed, and nothing
 * else of the page can be learnt from it (the salt hides each leaf).
 *
 *   leaf  = BLAKE2b-128("vigil-leaf-v1\n" || salt(16) || JCS(object))
 *   node  = BLAKE2b-128("vigil-node-v1\n" || left || right); an odd node
 *           goes up unchanged
 *   seal  = Ed25519(origin key, "vigil-seal-v1\n" || origin hub id ||
 *           "\n" || root)
 *   text  = "seal1:" base64url(salt || n || index || path) ":"
 *           base64url(root || seal)       (n, index: 2 bytes, big end)
 * Pure: keys and randomness come from the caller. */
#ifndef VIGIL_FED_SEAL_H
#define VIGIL_FED_SEAL_H

#include <cjson/cJSON.h>
#include <stddef.h>

#define VG_SEAL_HASH 16
#define VG_SEAL_SALT 16
#define VG_SEAL_MAX 4096 /* leaves in one seal */
#define VG_SEAL_DEPTH 12 /* enough for VG_SEAL_MAX */
#define VG_SEAL_TEXT 400 /* the longest text, with its NUL */

/* The leaf of obj (its JCS form) with salt. VG_EINVAL when obj has no JCS
 * form; VG_ENOMEM. */
int vg_seal_leaf(const cJSON *obj, const unsigned char salt[VG_SEAL_SALT],
                 unsigned char leaf[VG_SEAL_HASH]);
/* A tree over n (1..VG_SEAL_MAX) leaves, every level kept, so each
 * leaf's path is read off it. */
struct vg_seal_tree {
	unsigned char (*node)[VG_SEAL_HASH]; /* level 0 (the leaves) first */
	size_t level_off[VG_SEAL_DEPTH + 2], level_n[VG_SEAL_DEPTH + 2];
	size_t levels;
	unsigned char root[VG_SEAL_HASH];
};
/* Build t over n leaves (copied). VG_EINVAL for n out of range, VG_ENOMEM. */
int vg_seal_tree_build(struct vg_seal_tree *t,
                       const unsigned char (*leaves)[VG_SEAL_HASH], size_t n);
void vg_seal_tree_release(struct vg_seal_tree *t);
/* The root over n (1..VG_SEAL_MAX) leaves. */
void vg_seal_root(const unsigned char (*leaves)[VG_SEAL_HASH], size_t n,
                  unsigned char root[VG_SEAL_HASH]);
/* The message the origin signs for root. */
size_t vg_seal_message(const char *origin,
                       const unsigned char root[VG_SEAL_HASH],
                       unsigned char *out, size_t len);
/* The text of leaf i's proof in tree t under its signed root (sig: 64
 * bytes). */
int vg_seal_text(const struct vg_seal_tree *t, size_t i,
                 const unsigned char salt[VG_SEAL_SALT],
                 const unsigned char sig[64], char out[VG_SEAL_TEXT]);

/* A proof read back. */
struct vg_seal_proof {
	unsigned char salt[VG_SEAL_SALT];
	size_t n, index;
	unsigned char path[VG_SEAL_DEPTH][VG_SEAL_HASH];
	size_t n_path;
	unsigned char root[VG_SEAL_HASH];
	unsigned char sig[64];
};
/* Parse a seal text; VG_EINVAL when it is not one. */
int vg_seal_parse(const char *text, struct vg_seal_proof *p);
/* 1 when obj with the proof's salt climbs to the proof's root (the root's
 * signature is the caller's to check, once per root). */
int vg_seal_holds(const cJSON *obj, const struct vg_seal_proof *p);

#endif
