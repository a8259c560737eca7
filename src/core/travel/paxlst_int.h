/* The PAXLST parser's state and helpers shared by paxlst.c (envelope,
 * message structure, flights) and paxlst_trav.c (traveller groups). Not
 * public API. */
#ifndef VIGIL_CORE_PAXLST_INT_H
#define VIGIL_CORE_PAXLST_INT_H

#include "edi.h"
#include "vigil/travel/paxlst.h"

/* Where a message is in the guide's order: header, Group 1 (reporting
 * party), Group 2 (flight), Group 3 (its places), Group 4 (a traveller),
 * Group 5 (a traveller's document), trailer counts. */
enum vg__pax_st {
	VG__M_BGM, /* after UNH: BGM must follow */
	VG__M_HDR,
	VG__M_G1,
	VG__M_G2,
	VG__M_G3,
	VG__M_G4,
	VG__M_G5,
	VG__M_CNT,
};

#define VG__PAX_NONE ((size_t)-1)

struct vg__pax {
	struct vg__edi e;
	struct vg__edi_seg s;
	struct vg_paxlst px;
	struct vg_paxlst_msg *m; /* the message being read, NULL outside */
	size_t mseg;             /* segment number in it, UNH = 1 */
	enum vg__pax_st st;
	int rank;         /* order inside Group 4 or 5 */
	char prev_tag[4]; /* the message's previous segment */
	size_t prev_no;
	size_t trav;         /* current traveller, VG__PAX_NONE dropped */
	size_t doc;          /* current document, VG__PAX_NONE none */
	struct vg_pdate ref; /* UNB date: the century of birth dates */
	int latin1;          /* UNOC: text is ISO 8859-1 */
	size_t max, records; /* traveller groups allowed (0: any), seen */
	char *err;
	size_t errlen;
};

/* A structural error: writes "message 'REF', segment N 'TAG'[, element
 * E[, component C]]: <text>" (or "interchange, segment N 'TAG'..."
 * outside a message) into p->err and returns VG_EINVAL. el 0: no
 * element; c 0: no component. */
int vg__pax_fail(struct vg__pax *p, size_t el, size_t c, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The same text as an error of the current traveller (or of no record
 * when it was dropped). VG_OK or VG_ENOMEM. */
int vg__pax_bad(struct vg__pax *p, size_t el, size_t c, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Excerpt of component (el, c) for a message, into out[64]. */
const char *vg__pax_snip(const struct vg__pax *p, size_t el, size_t c,
                         char out[64]);
/* Component (el, c) as clean UTF-8 (ISO 8859-1 converted under UNOC):
 * VG_OK with *out malloc'd or NULL when empty, VG_EINVAL when it is not
 * valid UTF-8 (nothing reported), VG_ENOMEM. */
int vg__pax_text(const struct vg__pax *p, size_t el, size_t c, char **out);
/* Parse a DTM value with its format code (101, 102, 201, 203, or none:
 * by length). dob: two-digit years take the century that keeps the date
 * on or before p->ref; else 2000-2099. 0 or -1. */
int vg__pax_time(const struct vg__pax *p, const char *v, size_t n,
                 const char *fmt, int dob, struct vg_pax_time *t);

/* Traveller groups (paxlst_trav.c): a NAD+FL/FM/DDT/DDU starting a
 * traveller, and the segments of Groups 4 and 5 for it. */
int vg__pax_traveller(struct vg__pax *p, enum vg_traveller_role role);
int vg__pax_g4(struct vg__pax *p);
int vg__pax_g5(struct vg__pax *p);

#endif
