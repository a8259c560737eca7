/* Shared between the files of core/warn/. */
#ifndef VIGIL_CORE_WARN_INT_H
#define VIGIL_CORE_WARN_INT_H

#include "vigil/names/match.h"
#include "vigil/warn/keys.h"

struct vg_warn_keyer {
	struct vg_name_norm *norm; /* made on first use */
	void *idna;                /* ICU UIDNA, made on first use */
	struct vg_name_tokens tok; /* scratch */
};

/* The canonical ASCII form of a domain (lower case, IDNA, no final dot)
 * into out; -1 when s is no domain name. */
int vg__warn_domain(struct vg_warn_keyer *k, const char *s, size_t len,
                    char *out, size_t n);
/* Add the dom: key of a canonical domain. */
int vg__warn_add_domain(struct vg_warn_keyset *ks, const char *dom);
/* Add the ip4:/ip6: key of an address or block; -1 when s is none. */
int vg__warn_add_ip(struct vg_warn_keyset *ks, const char *s, size_t len,
                    int *added);
/* Add url: (and the host's dom: or ip key); -1 when s is no URL. */
int vg__warn_add_url(struct vg_warn_keyer *k, struct vg_warn_keyset *ks,
                     const char *s, size_t len, int *added);
/* Add email: (and dom: of its domain); *added 0 when s is none. */
int vg__warn_add_email(struct vg_warn_keyer *k, struct vg_warn_keyset *ks,
                       const char *s, size_t len, int *added);
/* Add hash:ALG:HEX for an algorithm name as written ("SHA-256"). */
int vg__warn_add_hash(struct vg_warn_keyset *ks, const char *alg,
                      const char *value, size_t len);
/* Add mac: of a MAC address; *added 0 when s is none. */
int vg__warn_add_mac(struct vg_warn_keyset *ks, const char *s, size_t len,
                     int *added);

#endif
