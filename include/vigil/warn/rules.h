/* Early warning's rules, pure: what a hit / no-hit answer may disclose,
 * the kinds of watches and what a query watch matches, spike detection
 * against a trailing baseline, the signature of a webhook.
 * docs/early-warning.md states each rule. */
#ifndef VIGIL_WARN_RULES_H
#define VIGIL_WARN_RULES_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "vigil/access/access.h"
#include "vigil/warn/keys.h"

/* ---- hit / no-hit --------------------------------------------------- */

/* An owner's choice for an object or a collection: VG_DISCLOSE_DEFAULT
 * when none was made. */
enum { VG_DISCLOSE_DEFAULT = -1, VG_DISCLOSE_NO = 0, VG_DISCLOSE_YES = 1 };

/* May a reader who cannot read a version with meta m learn that its
 * owner holds a matching record? The object's choice wins over the
 * collection's; without either: yes for hub-wide and group scopes, no
 * for organisation scope and for TLP:RED. */
int vg_warn_disclosable(const struct vg_access_meta *m, int object_choice,
                        int collection_choice);

/* ---- watches ---------------------------------------------------------- */

enum vg_watch_kind {
	VG_WATCH_VALUE,    /* an SCO value, an address block, a domain and
	                      its subdomains */
	VG_WATCH_NAME,     /* a person or entity name, fuzzy */
	VG_WATCH_DOCUMENT, /* a document number */
	VG_WATCH_PATTERN,  /* a STIX pattern */
	VG_WATCH_OBJECT,   /* new versions of an object, and whatever
	                      refers to it */
	VG_WATCH_QUERY,    /* type, label, sector, country, location */
	VG_WATCH__COUNT,
};

/* "value", "name", "document", "pattern", "object", "query"; parse
 * gives -1 for another name. */
const char *vg_watch_kind_name(enum vg_watch_kind k);
int vg_watch_kind_parse(const char *name);

/* A query watch: every list given must hold one of the object's values
 * (lists are ORed within, ANDed together). */
struct vg_watch_query {
	char **types, **labels, **sectors, **countries, **locations;
	size_t n_types, n_labels, n_sectors, n_countries, n_locations;
};

/* Parse {"types":[..],"labels":[..],"sectors":[..],"countries":[..],
 * "locations":[location ids]}: at least one list, strings only.
 * VG_EINVAL with why; VG_ENOMEM. */
int vg_watch_query_parse(const char *json, struct vg_watch_query *q, char *why,
                         size_t whylen);
void vg_watch_query_release(struct vg_watch_query *q);
/* The query as compact JSON (lists sorted as given). */
int vg_watch_query_json(const struct vg_watch_query *q, struct vg_buf *out);
/* 1 when an object of type with keys ks (finished) matches q. */
int vg_watch_query_matches(const struct vg_watch_query *q, const char *type,
                           const struct vg_warn_keyset *ks);
/* The keys of which one must be among an object's for q to match (the
 * most selective list of q), into out: "label:x", "sector:x",
 * "country:X", "ref:location--..." or "type:T". */
int vg_watch_query_anchors(const struct vg_watch_query *q,
                           struct vg_warn_keyset *out);

/* ---- trends ---------------------------------------------------------- */

/* P(X >= k) for X Poisson with mean lambda (k >= 0, lambda >= 0). */
double vg_warn_poisson_tail(uint64_t k, double lambda);

struct vg_spike {
	double baseline; /* mean per period over the trailing window */
	double p;        /* P(count or more | baseline) */
	int spike;       /* count >= min_count and p < alpha */
};

/* Compare count in one period with the counts of the periods before it
 * (history[0..n), any order): the baseline is their mean, floored at
 * 0.5 per period so a first appearance is measured against a small rate
 * rather than none. */
void vg_warn_spike(uint64_t count, const uint64_t *history, size_t n,
                   uint64_t min_count, double alpha, struct vg_spike *out);

/* ---- webhooks -------------------------------------------------------- */

/* The signature a receiver checks: HMAC-SHA256 over "TIMESTAMP.BODY"
 * with the watch's secret, as 64 lower-case hex digits. */
void vg_warn_sign(const unsigned char *secret, size_t secret_len,
                  const char *timestamp, const char *body, size_t len,
                  char out[65]);

#endif
