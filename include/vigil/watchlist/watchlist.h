/* Sanctions watchlists into person records: the UN Security Council
 * Consolidated List (XML) and the US OFAC SDN list (its four CSV files).
 * Pure: buffers in, allocated entries out; the input is treated as
 * hostile. How each list maps to the record, and why: docs/watchlists.md. */
#ifndef VIGIL_WATCHLIST_H
#define VIGIL_WATCHLIST_H

#include <stddef.h>

#include "vigil/names/person.h"

enum vg_wl_kind {
	VG_WL_INDIVIDUAL = 0,
	VG_WL_ENTITY,
	VG_WL_VESSEL,   /* OFAC SDN_Type "vessel" (person.kind ENTITY) */
	VG_WL_AIRCRAFT, /* OFAC SDN_Type "aircraft" (person.kind ENTITY) */
};

struct vg_wl_entry {
	/* names[0] is the listed name (VG_NAME_PRIMARY), then aliases (GOOD
	 * or LOW) and names in original script (ORIGINAL). */
	struct vg_person person;
	enum vg_wl_kind kind;
	const char *list; /* "un" or "ofac" (static) */
	char *ref;        /* UN REFERENCE_NUMBER ("QDi.006"), OFAC ent_num */
	char **programs;  /* UN_LIST_TYPE ("Al-Qaida"); OFAC programs
	                   * ("SDGT", "IFSR") */
	size_t n_programs;
	struct vg_pdate listed_on; /* UN LISTED_ON; zero for OFAC (the CSV
	                            * files do not give it) */
	char *comments;   /* UN COMMENTS1, OFAC Remarks in full; NULL none */
	char **addresses; /* one line each: "street, city, ..., country" */
	size_t n_addresses;
};

struct vg_watchlist {
	struct vg_wl_entry *entries; /* in the order of the source */
	size_t n_entries;
	/* entries of each kind (they add up to n_entries) */
	size_t n_individuals, n_entities, n_vessels, n_aircraft;
};

void vg_watchlist_init(struct vg_watchlist *wl);
/* Free everything wl owns; it is empty and reusable afterwards. */
void vg_watchlist_release(struct vg_watchlist *wl);
/* "individual", "entity", "vessel", "aircraft". */
const char *vg_wl_kind_name(enum vg_wl_kind k);

/* Parse the UN Consolidated List (CONSOLIDATED_LIST with INDIVIDUALS and
 * ENTITIES) from buf[0..len) with libxml2: no network, no entity
 * expansion, and a document with a DOCTYPE is refused. Every INDIVIDUAL
 * and ENTITY becomes one entry, in document order.
 * VG_OK with *out filled (the caller releases it); VG_EINVAL with err set
 * ("line 12: ..." for XML that is not well-formed, or what is wrong with
 * the structure, e.g. "INDIVIDUAL 3 (DATAID 6908001): no REFERENCE_NUMBER")
 * and *out untouched; VG_ETOOBIG past 2 GiB; VG_ENOMEM. */
int vg_wl_parse_un(const char *buf, size_t len, struct vg_watchlist *out,
                   char *err, size_t errlen);

/* The OFAC files, each a buffer (CSV without header, null written -0-).
 * sdn is required; alt (aliases), add (addresses) and comments (the rest
 * of Remarks too long for sdn.csv) may be NULL. */
struct vg_ofac_input {
	const char *sdn;
	size_t sdn_len;
	const char *alt;
	size_t alt_len;
	const char *add;
	size_t add_len;
	const char *comments;
	size_t comments_len;
};

/* Parse the OFAC SDN list: one entry per sdn.csv row (vessels and
 * aircraft kept, with their kind), aliases from alt.csv, addresses from
 * add.csv, and dates and places of birth, nationalities, citizenships,
 * passports and national identity numbers, gender and weak aliases read
 * from Remarks (docs/watchlists.md lists the forms understood).
 * VG_OK with *out filled; VG_EINVAL with err naming the file and line,
 * e.g. "alt.csv line 5: ent_num 999 is not in sdn.csv", and *out
 * untouched; VG_ENOMEM. A malformed row fails the whole list: a list with
 * entries silently missing is worse than no list. */
int vg_wl_parse_ofac(const struct vg_ofac_input *in, struct vg_watchlist *out,
                     char *err, size_t errlen);

#endif
