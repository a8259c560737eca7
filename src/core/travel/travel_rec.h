/* What the CSV and JSON-lines travel parsers share (not public API): the
 * column names and the building of one traveller from its text values. */
#ifndef VIGIL_CORE_TRAVEL_REC_H
#define VIGIL_CORE_TRAVEL_REC_H

#include <stddef.h>

#include "vigil/travel/travel.h"

enum vg__tcol {
	VG__TC_SURNAME,
	VG__TC_GIVEN,
	VG__TC_DOB,
	VG__TC_GENDER,
	VG__TC_NATIONALITY,
	VG__TC_DOC_TYPE,
	VG__TC_DOC_NUMBER,
	VG__TC_DOC_COUNTRY,
	VG__TC_FLIGHT,
	VG__TC_DATE,
	VG__TC_ROLE,
	VG__TC_SEAT,
	VG__TC_BOOKING_REF,
	VG__TC_PLACE_OF_BIRTH,
	VG__TC_COUNT
};

/* Column/field names, indexed by enum vg__tcol. */
extern const char *const vg__travel_cols[VG__TC_COUNT];
/* The column named s[0..n) (ASCII case ignored), or -1. */
int vg__travel_col(const char *s, size_t n);
/* The column whose name is nearest to s[0..n) (at most two edits, or one
 * for short names), for "did you mean"; -1 when none is near. */
int vg__travel_col_near(const char *s, size_t n);
#define VG__TRAVEL_COLS_TEXT                                                 \
	"surname, given_names, date_of_birth, gender, nationality, "          \
	"document_type, document_number, document_country, flight, date, "   \
	"role, seat, booking_ref, place_of_birth"

/* One record's values: v[i] NULL when the column or key is absent. */
struct vg__trec {
	const char *v[VG__TC_COUNT];
	size_t len[VG__TC_COUNT];
};

/* Append an error (VG_TRAVEL_NO_RECORD or a traveller index) formatted
 * like printf. VG_OK or VG_ENOMEM. */
int vg__travel_error(struct vg_travel_list *l, size_t traveller,
                     const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Check the values of one record (docs/travel-formats.md) and append the
 * traveller, or only an error when it has no surname. word is "column"
 * (CSV) or "field" (JSON lines) for the messages. VG_OK or VG_ENOMEM. */
int vg__travel_build(struct vg_travel_list *l, const struct vg__trec *r,
                     size_t line, const char *word);

#endif
