/* UN/EDIFACT PAXLST (D02B and D05B, the WCO/IATA/ICAO API guidelines):
 * passenger and crew lists into traveller records. Pure: one buffer in,
 * allocated records out. Segments supported, the order enforced and every
 * error text: docs/travel-formats.md. */
#ifndef VIGIL_PAXLST_H
#define VIGIL_PAXLST_H

#include <stddef.h>

#include "vigil/travel/travel.h"

/* A date and time as the message gives it (local time of the place). */
struct vg_pax_time {
	int year, month, day; /* all 0 when not given */
	int hour, minute;     /* -1 when the message gives a date only */
};

struct vg_pax_leg {
	char *dep_airport;           /* LOC+125, NULL when not given */
	struct vg_pax_time dep_time; /* DTM+189 after it */
	char *arr_airport;           /* LOC+87, NULL when not given */
	struct vg_pax_time arr_time; /* DTM+232 after it */
};

struct vg_pax_flight {
	char *ident;   /* TDT element 2 as written: "AB123" */
	char *carrier; /* TDT element 5 (carrier id), NULL when absent */
	char *number;  /* "AB123" with the carrier put in front when the
	                * ident lacks it ("123" and carrier "AB" give
	                * "AB123"): the form travellers' flight takes */
	struct vg_pax_leg *legs; /* one per LOC+125 (or LOC+87 without one) */
	size_t n_legs;
};

struct vg_paxlst_msg {
	char *ref;             /* UNH message reference */
	char version[4];       /* "02B" or "05B" */
	int doc_code;          /* BGM: 745 passenger list, 250 crew list */
	char *reporting_party; /* NAD+MS name, NULL when absent */
	char *contact;         /* first COM number, NULL when absent */
	struct vg_pax_flight *flights; /* TDT+20 groups, in order */
	size_t n_flights;
	/* The travellers (NAD+FL/FM/DDT/DDU groups) and the errors of
	 * single travellers. Each traveller's flight and date are those of
	 * the first flight and its first departure. */
	struct vg_travel_list list;
	size_t n_passengers; /* NAD+FL and DDT groups (as CNT+42 counts) */
	size_t n_crew;       /* NAD+FM and DDU groups (as CNT+41 counts) */
};

struct vg_paxlst {
	char syntax[5];              /* UNB syntax identifier: "UNOA".."UNOY" */
	char *sender;                /* UNB sender identification */
	char *recipient;             /* UNB recipient identification */
	char *control_ref;           /* UNB interchange control reference */
	struct vg_pax_time prepared; /* UNB date and time of preparation */
	/* separators in force (UNA or the defaults) */
	char comp, elem, dec, rel, term;
	struct vg_paxlst_msg *msgs;
	size_t n_msgs;
};

/* Parse one interchange (UNA? UNB (UNG? (UNH..UNT)+ UNE?)+ UNZ) from
 * buf[0..len).
 *
 * Dates of birth are YYMMDD in the message: the century is the one that
 * does not put the date after the UNB date of preparation (so 010203 in a
 * 2026 message is 2001-02-03 and 300203 is 1930-02-03). Expiry dates with
 * two-digit years are taken in 2000-2099.
 *
 * VG_OK: *out filled (the caller releases it with vg_paxlst_release). A
 * bad value in one traveller's group (a date of birth that is no date, a
 * nationality that is no ISO 3166 code, a document without a number...)
 * does not stop the others: it goes into that message's list.errors,
 * with the traveller kept and the value left unset (or the traveller
 * dropped when it has no surname), e.g.
 *   message 'MSG001', segment 14 'DTM', element 1, component 2: date of
 *   birth '990231' is not a date
 * Segments are counted from UNH = 1, as UNT counts them; elements from 1
 * after the tag, components from 1.
 *
 * VG_EINVAL: the interchange or a message is broken as a whole (truncated,
 * a segment out of the guide's order, a CNT or UNT count or reference that
 * disagrees with the content, an unknown segment or qualifier that decides
 * the structure); err holds the one message, e.g.
 *   message 'MSG001', segment 31 'UNT', element 1: segment count 30 but
 *   the message has 31 segments
 *   interchange, segment 2: truncated: no segment terminator before the
 *   end of the input
 * ("interchange" segment numbers count from the start of the input, UNA
 * not included) and *out is untouched. VG_ENOMEM likewise. */
int vg_paxlst_parse(const char *buf, size_t len, struct vg_paxlst *out,
                    char *err, size_t errlen);
/* The same, taking at most max traveller groups (NAD+FL, FM, DDT, DDU,
 * kept or dropped) in all messages (0: any): one more stops the parse
 * with VG_ETOOMANY and err "more than MAX travellers", so the rest of the
 * input is never read. */
int vg_paxlst_parse_max(const char *buf, size_t len, size_t max,
                        struct vg_paxlst *out, char *err, size_t errlen);

/* Free everything px owns; it is zeroed afterwards. */
void vg_paxlst_release(struct vg_paxlst *px);

#endif
