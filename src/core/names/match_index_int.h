/* What the candidate index's two files (match_index.c: keys and build;
 * match_query.c: queries) share: the index's layout and its keys. */
#ifndef VIGIL_MATCH_INDEX_INT_H
#define VIGIL_MATCH_INDEX_INT_H

#include "match_int.h"

/* Key kinds, and the share of a token's weight a hit on each earns. */
enum {
	VG__K_TEXT = 1,
	VG__K_GROUP,
	VG__K_SKEL,
	VG__K_PHON,
	VG__K_DEL,
	VG__K_SKDEL,
	VG__K_WEAK,
	VG__K_PAIR
};
#define VG__CREDIT_TEXT 1.0f
#define VG__CREDIT_SKEL 0.9f
#define VG__CREDIT_PHON 0.7f
#define VG__CREDIT_DEL 0.6f
#define VG__CREDIT_ABD_BARE 0.8f
#define VG__MIN_DEL_LEN 4    /* tokens shorter than this get no deletion keys */
#define VG__MIN_SKDEL_SKEL 3 /* nor skeletons shorter than this */
struct vg__iname {
	uint32_t entry;
	uint32_t tok; /* first token in ix->tok */
	uint32_t n;   /* tokens */
	float miss;   /* sum of its content tokens' miss weights (initials
	                 left out: they may match any word they start) */
	uint64_t sig; /* a bit per text, group, skeleton and phonetic key of
	                 its tokens: has_key looks in only when it is set */
	uint8_t groups[4]; /* its common-name groups (0 ends the list), */
	uint8_t ngroups;   /* so a group check reads no token */
};

struct vg__ientry {
	uint32_t first; /* its names are names[first .. first + n) */
	uint32_t n;
};

struct vg_match_index {
	const struct vg_person **entries;
	void **user;
	size_t n_entries;
	struct vg__ientry *ent;
	struct vg__iname *names;
	size_t n_names;
	struct vg_name_token *tok;
	size_t n_tok, tok_cap;
	char *pool;
	size_t pool_len, pool_cap;
	/* open addressing; a slot is one 16-byte record, so a lookup costs
	 * one cache line */
	struct vg__kslot *slots;
	size_t kmask;
	uint32_t *post;
	size_t n_post;
};

struct vg__kslot {
	uint64_t key;          /* 0 = empty */
	uint32_t start, count; /* its names: post[start .. start + count) */
};

typedef void (*vg__key_fn)(void *ctx, int kind, uint64_t key, float credit);

/* The 64-bit key of a kind and a string (plus extra, for a group). */
uint64_t vg__key_of(int kind, const char *s, size_t len, uint64_t extra);
/* A token's keys, strongest first, and its deletion keys (see
 * match_index.c for which and why). */
void vg__token_keys(const char *pool, const struct vg_name_token *t,
                    vg__key_fn fn, void *ctx);
void vg__token_del_keys(const char *pool, const struct vg_name_token *t,
                        vg__key_fn fn, void *ctx);
/* The key of two neighbouring tokens run together; false when the pair
 * is no name ("al bin"). */
bool vg__pair_key(const char *pool, const struct vg_name_token *a,
                  const struct vg_name_token *b, uint64_t *key);
/* The slot of key in ix (empty when the key is absent). */
size_t vg__slot(const struct vg_match_index *ix, uint64_t key);

/* The bit a key sets in a name's signature. */
static inline uint64_t vg__sig_bit(uint64_t key)
{
	return (uint64_t)1 << (key >> 58);
}

#endif
