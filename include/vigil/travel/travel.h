/* Travel data: the traveller record every travel format becomes (a person
 * plus what the journey says), and the CSV and JSON-lines parsers. PAXLST
 * is in paxlst.h. Formats and error texts: docs/travel-formats.md. Pure:
 * parsers read a buffer and allocate the results, nothing else. */
#ifndef VIGIL_TRAVEL_H
#define VIGIL_TRAVEL_H

#include <stddef.h>

#include "vigil/names/person.h"

enum vg_travel_format {
	VG_TRAVEL_UNKNOWN = 0,
	VG_TRAVEL_PAXLST, /* UN/EDIFACT PAXLST (paxlst.h) */
	VG_TRAVEL_CSV,
	VG_TRAVEL_JSONL,
};

enum vg_traveller_role {
	VG_ROLE_PASSENGER = 0,     /* PAXLST NAD+FL */
	VG_ROLE_CREW,              /* NAD+FM */
	VG_ROLE_TRANSIT_PASSENGER, /* NAD+DDT */
	VG_ROLE_TRANSIT_CREW,      /* NAD+DDU */
};

struct vg_traveller {
	/* names[0] is the traveller's name with surname and given (given
	 * and middle names) split and full = "GIVEN MIDDLE SURNAME"; dobs,
	 * nationalities, docs (type "P", "V", "I" or another document code),
	 * gender and places_of_birth as the input gives them. */
	struct vg_person person;
	enum vg_traveller_role role;
	char *flight;         /* "AB123" (carrier and number), NULL unknown */
	struct vg_pdate date; /* date of travel (departure), zero unknown */
	char *seat;           /* NULL unknown */
	char *booking_ref;    /* NULL unknown */
	char *embark;         /* place of embarkation (airport), NULL unknown */
	char *debark;         /* place of debarkation, NULL unknown */
	char residence[4];    /* country of residence, alpha-2, "" unknown */
	/* Where the record starts: the CSV or JSON-lines line, or the PAXLST
	 * segment number of its NAD (counted from UNH = 1). */
	size_t line;
	/* Errors about this record in the list's errors: 0 when clean. A
	 * record with errors is kept with the bad fields left unset, so that
	 * it can still be screened by name; the caller must not take it for
	 * a complete record. */
	size_t n_errors;
};

/* No record: the error is about a record that was dropped (it had no
 * usable name, or could not be split into fields). */
#define VG_TRAVEL_NO_RECORD ((size_t)-1)

struct vg_travel_error {
	size_t traveller; /* index into travellers, or VG_TRAVEL_NO_RECORD */
	char *msg;        /* the text, e.g. "line 7, column 'date_of_birth':
	                   * '1985-13-01' is not a date" */
};

struct vg_travel_list {
	struct vg_traveller *travellers;
	size_t n_travellers;
	struct vg_travel_error *errors; /* in input order */
	size_t n_errors;
};

void vg_traveller_init(struct vg_traveller *t);
void vg_traveller_release(struct vg_traveller *t);
void vg_travel_list_init(struct vg_travel_list *l);
/* Free everything the list owns; it is empty and reusable afterwards. */
void vg_travel_list_release(struct vg_travel_list *l);
/* "passenger", "crew", "transit_passenger", "transit_crew". */
const char *vg_traveller_role_name(enum vg_traveller_role r);

/* Which format buf holds, from its first bytes (a UTF-8 byte order mark
 * and white space skipped): "UNA" or "UNB" -> PAXLST; '{' -> JSONL; a
 * first line naming a "surname" column -> CSV; else UNKNOWN. Looks at the
 * first line only and never fails. */
enum vg_travel_format vg_travel_detect(const char *buf, size_t len);

/* Parse CSV travel records (RFC 4180; the header and the rules of each
 * column are in docs/travel-formats.md): a header line naming the columns
 * (ASCII case ignored, any order) with at least surname, given_names and
 * date_of_birth, then one traveller a line.
 *
 * Errors of the whole file (no header, a required column missing, an
 * unknown or repeated column) return VG_EINVAL with err set to e.g.
 * "line 1: missing required column 'surname'" and leave *out untouched.
 * Otherwise VG_OK: *out (initialised by the parser; the caller releases
 * it) holds every record that has a surname and the right number of
 * fields, and out->errors every problem, one message each:
 *   "line 7, column 'date_of_birth': '1985-13-01' is not a date"
 *   "line 9: 4 fields, the header has 10"  (record dropped)
 * A bad record never stops the records after it. VG_ENOMEM on OOM (and
 * *out untouched). err may be NULL when errlen is 0. */
int vg_travel_parse_csv(const char *buf, size_t len, struct vg_travel_list *out,
                        char *err, size_t errlen);

/* Parse JSON lines: one JSON object a line with the CSV column names as
 * keys and string (or null) values; blank lines are skipped. Every line
 * stands alone, so there are no errors of the whole input: VG_OK with
 * *out as for CSV and errors such as
 *   "line 3: malformed JSON"  /  "line 4: not a JSON object"
 *   "line 5: missing required field 'surname'"  (record dropped)
 *   "line 6, field 'gender': 'Q' is not M, F, U or X"
 * or VG_ENOMEM. err and errlen are as for CSV (unused but for OOM). */
int vg_travel_parse_jsonl(const char *buf, size_t len,
                          struct vg_travel_list *out, char *err, size_t errlen);

/* The two parsers taking at most max records (0: any): each traveller
 * and each record dropped with an error counts one; one more stops the
 * parse with VG_ETOOMANY and err "more than MAX travellers" (*out
 * untouched), so the rest of the input is never read. */
int vg_travel_parse_csv_max(const char *buf, size_t len, size_t max,
                            struct vg_travel_list *out, char *err,
                            size_t errlen);
int vg_travel_parse_jsonl_max(const char *buf, size_t len, size_t max,
                              struct vg_travel_list *out, char *err,
                              size_t errlen);

#endif
