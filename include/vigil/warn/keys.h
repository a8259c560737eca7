/* Early warning's correlation keys: what an object version is indexed
 * under, computed from its JSON alone. Normalised observable values
 * (IPv4/IPv6 addresses and CIDR blocks, domains, URLs, e-mail addresses,
 * file hashes by algorithm, MAC addresses, AS numbers), the literal values
 * of indicator patterns, person and entity names and aliases through the
 * screening normaliser, document numbers, the ids an object refers to and
 * the facets trends count (labels, sectors, countries). Pure: no I/O, no
 * clock, no global state; the ICU contexts live in a struct vg_warn_keyer,
 * one per thread. docs/early-warning.md gives every key's form. */
#ifndef VIGIL_WARN_KEYS_H
#define VIGIL_WARN_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "vigil/names/person.h"
#include "vigil/util/buf.h"

/* A key is text "KIND:VALUE", at most VG_WARN_KEY_MAX bytes, valid UTF-8:
 *   ip4:0a000001/32      an IPv4 address or block: 8 hex digits of the
 *                        network, '/', the prefix in 2 digits
 *   ip6:<32 hex>/128     an IPv6 address or block (prefix in 3 digits)
 *   dom:com.example.www  a domain, lower case, IDNA ASCII, labels reversed
 *                        (so a domain and its subdomains are one range)
 *   url:http://host/p    a URL: scheme and host lower case, default port,
 *                        fragment dropped, empty path '/'
 *   email:a@example.com  an e-mail address, lower case
 *   hash:sha256:<hex>    a hash by algorithm (md5, sha1, sha256, sha512,
 *                        sha3-256, sha3-512, ssdeep, tlsh, ...), lower case
 *   mac:00:11:22:33:44:55, asn:64500
 *   name:#1 gln          a name: the sorted codes of its distinctive
 *                        tokens (a common-name group '#N', else the
 *                        consonant skeleton)
 *   name2:#1 gln         each pair of those codes of a person's name of
 *                        three or more (weaker: a name with a token
 *                        more or less)
 *   doc:X1234567         a document number: letters and digits, upper case
 *   ref:<stix id>        an id the object refers to (relationship ends,
 *                        sightings, object_refs, every *_ref(s) but
 *                        created_by_ref and object_marking_refs)
 *   label:<label>, sector:<sector>, country:<ISO alpha-2>: facets
 * The ordering of keys as byte strings is what the stores index. */
#define VG_WARN_KEY_MAX 512

/* Keys that correlate objects (not references or facets). */
int vg_warn_key_correlates(const char *key);
/* The kind of a key ("ip4", "name", ...) into out (at most 16 bytes). */
void vg_warn_key_kind(const char *key, char out[16]);

/* ---- a set of keys ------------------------------------------------- */

struct vg_warn_keyset {
	struct vg_buf text; /* the keys, each NUL-terminated */
	uint32_t *off;      /* where each key starts in text */
	size_t n, cap;
};

void vg_warn_keyset_init(struct vg_warn_keyset *ks);
void vg_warn_keyset_reset(struct vg_warn_keyset *ks);
void vg_warn_keyset_release(struct vg_warn_keyset *ks);
/* Add key[0..len) (cut to VG_WARN_KEY_MAX at a character boundary).
 * VG_OK, VG_ENOMEM. */
int vg_warn_keyset_add(struct vg_warn_keyset *ks, const char *key, size_t len);
/* Sort and drop duplicates. VG_OK, VG_ENOMEM. */
int vg_warn_keyset_finish(struct vg_warn_keyset *ks);
static inline const char *vg_warn_keyset_at(const struct vg_warn_keyset *ks,
                                            size_t i)
{
	return ks->text.data + ks->off[i];
}
/* 1 when the (finished) set holds key. */
int vg_warn_keyset_has(const struct vg_warn_keyset *ks, const char *key);

/* ---- the keyer ------------------------------------------------------ */

/* The normalisation contexts (ICU transliterator, IDNA), made on first
 * use. One per thread. */
struct vg_warn_keyer;
int vg_warn_keyer_new(struct vg_warn_keyer **out);
void vg_warn_keyer_free(struct vg_warn_keyer *k);

/* Every key of a STIX object (validated or not: what cannot be read is
 * skipped), finished (sorted, unique). VG_OK, VG_ENOMEM, VG_EINTERNAL
 * (ICU). */
int vg_warn_object_keys(struct vg_warn_keyer *k, const cJSON *obj,
                        struct vg_warn_keyset *out);

/* The key of a value as a user gives it: an IPv4 or IPv6 address or CIDR
 * block, a URL (with "://"), an e-mail address, a MAC address, "AS64500",
 * a hash (hex of 32, 40, 64 or 128 digits: MD5, SHA-1, SHA-256,
 * SHA-512), else a domain name. kind (NULL: guess) forces one of "ip",
 * "domain", "url", "email", "hash", "mac", "asn". Added to out (not
 * finished). VG_EINVAL (with why) for a value of no such kind. */
int vg_warn_value_key(struct vg_warn_keyer *k, const char *value,
                      const char *kind, struct vg_warn_keyset *out, char *why,
                      size_t whylen);

/* The name keys of one name (kind: person or entity normalisation).
 * Added to out (not finished). */
int vg_warn_name_keys(struct vg_warn_keyer *k, const char *name,
                      enum vg_person_kind kind, struct vg_warn_keyset *out);

/* "doc:" and the letters and digits of number in upper case into out
 * (at least 80 bytes); 0, or -1 when fewer than 4 remain. */
int vg_warn_doc_key(const char *number, char *out, size_t n);

/* The keys of a STIX pattern's literals (what equality or IN compare an
 * indexed property with; an address block under ISSUBSET). VG_EINVAL
 * when text is not a valid pattern. Added to out (not finished). */
int vg_warn_pattern_keys(struct vg_warn_keyer *k, const char *text,
                         struct vg_warn_keyset *out);

/* ---- IP keys --------------------------------------------------------- */

/* The keys of the blocks that hold an ip4/ip6 key's network: every
 * shorter prefix, /0 included (added to out). Other keys: none. */
int vg_warn_ip_supernets(const char *key, struct vg_warn_keyset *out);
/* The key of the block of prefix p (shorter than the key's) that holds
 * an ip4/ip6 key's network, into out (at least 64 bytes); -1 when key
 * is none or p is not shorter. */
int vg_warn_ip_supernet(const char *key, int p, char *out);
/* The range [lo, hi] of keys whose network lies inside an ip4/ip6
 * key's block (lo and hi at least VG_WARN_KEY_MAX bytes); -1 for other
 * keys. The range also holds blocks larger than the key's that start
 * inside it: check with vg_warn_ip_within. */
int vg_warn_ip_range(const char *key, char *lo, char *hi);
/* 1 when ip key inner (address or block) lies inside ip key outer. */
int vg_warn_ip_within(const char *inner, const char *outer);
/* The range of a domain key and its subdomains: [key, key] and
 * [key ".", key "/") as lo/hi of the second. -1 for other keys. */
int vg_warn_dom_subrange(const char *key, char *lo, char *hi);

/* ---- display ---------------------------------------------------------- */

/* A key as a person reads it: ip keys as addresses or blocks, domains in
 * their usual order, the rest without the kind. Names have no readable
 * form: their key text is kept. */
void vg_warn_key_display(const char *key, char *out, size_t n);

/* ---- names of an object ------------------------------------------------ */

/* The object as a person record for name matching: identity (individual
 * or not), threat-actor (an individual when resource_level says so),
 * intrusion-set; its name, aliases and, for watchlist entries, the
 * extension's names and documents. VG_ENOTFOUND when it has no name.
 * p must be initialised; *kind gets the normalisation kind. */
int vg_warn_object_person(const cJSON *obj, struct vg_person *p,
                          enum vg_person_kind *kind);

/* ---- exclusions ------------------------------------------------------- */

/* A list of keys that never correlate: an ip key covers the addresses
 * and blocks inside it, a domain key its subdomains, others themselves. */
struct vg_warn_excl {
	char **keys;
	size_t n, cap;
};

void vg_warn_excl_init(struct vg_warn_excl *x);
void vg_warn_excl_release(struct vg_warn_excl *x);
int vg_warn_excl_add(struct vg_warn_excl *x, const char *key);
int vg_warn_excl_remove(struct vg_warn_excl *x, const char *key);
/* 1 when key is excluded by x. */
int vg_warn_excluded(const struct vg_warn_excl *x, const char *key);
/* The exclusions vigil ships (private and special-use address blocks,
 * reserved and very common domains, hashes of empty input), as values
 * vg_warn_value_key reads, NULL-terminated. */
extern const char *const vg_warn_default_exclusions[];

#endif
