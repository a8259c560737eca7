/* The person (or entity) record that screening works on: a watchlist entry
 * and a traveller are both one. Parsers in core/ fill it; the matcher reads
 * it. All strings are UTF-8, owned by the record (vg_person_release frees
 * them). */
#ifndef VIGIL_PERSON_H
#define VIGIL_PERSON_H

#include <stddef.h>

/* A date with parts that may be unknown (0): year only, year and month. */
struct vg_pdate {
	int year;  /* 0 unknown */
	int month; /* 1-12, 0 unknown */
	int day;   /* 1-31, 0 unknown */
};

enum vg_dob_kind {
	VG_DOB_EXACT,   /* from; parts may be unknown (year only) */
	VG_DOB_APPROX,  /* about from (within a few years) */
	VG_DOB_BETWEEN, /* from .. to */
};

struct vg_dob {
	enum vg_dob_kind kind;
	struct vg_pdate from, to; /* to only for VG_DOB_BETWEEN */
};

enum vg_name_quality {
	VG_NAME_PRIMARY = 0, /* the listed name */
	VG_NAME_GOOD,        /* a good-quality alias (UN "Good", OFAC aka) */
	VG_NAME_LOW,         /* a low-quality alias (UN "Low", OFAC weak) */
	VG_NAME_ORIGINAL,    /* the name in its original script */
};

struct vg_name {
	char *full;       /* the whole name as written */
	char *surname;    /* NULL when the source does not split it */
	char *given;      /* given and middle names, NULL when not split */
	enum vg_name_quality quality;
};

struct vg_document {
	char *type;    /* "P" passport, "V" visa, "I" identity card, or text */
	char *number;  /* as written */
	char country[4]; /* ISO 3166-1 alpha-2 issuing country, "" unknown */
	struct vg_pdate expiry; /* date of expiry, all zero when unknown */
};

enum vg_gender { VG_GENDER_UNKNOWN = 0, VG_GENDER_MALE, VG_GENDER_FEMALE };

enum vg_person_kind { VG_PERSON_INDIVIDUAL = 0, VG_PERSON_ENTITY };

struct vg_person {
	enum vg_person_kind kind;
	struct vg_name *names;  size_t n_names;
	struct vg_dob *dobs;    size_t n_dobs;
	char **places_of_birth; size_t n_places_of_birth;
	/* ISO 3166-1 alpha-2 codes, uppercase ("IQ"); raw text when the
	 * country could not be mapped */
	char **nationalities;   size_t n_nationalities;
	struct vg_document *docs; size_t n_docs;
	enum vg_gender gender;
};

void vg_person_init(struct vg_person *p);
/* Free everything the record owns; it is empty and reusable afterwards. */
void vg_person_release(struct vg_person *p);
/* Appenders copy their string arguments. VG_OK or VG_ENOMEM. */
int vg_person_add_name(struct vg_person *p, const char *full,
		       const char *surname, const char *given,
		       enum vg_name_quality q);
int vg_person_add_dob(struct vg_person *p, const struct vg_dob *d);
int vg_person_add_place_of_birth(struct vg_person *p, const char *place);
int vg_person_add_nationality(struct vg_person *p, const char *code);
int vg_person_add_doc(struct vg_person *p, const char *type,
		      const char *number, const char *country);

/* The same, but a value equal to one the record already holds is not added
 * again (lists repeat a date or a passport under several aliases): VG_OK
 * either way. Documents are equal when type, number and country are. */
int vg_person_add_dob_unique(struct vg_person *p, const struct vg_dob *d);
int vg_person_add_place_of_birth_unique(struct vg_person *p,
					const char *place);
int vg_person_add_nationality_unique(struct vg_person *p, const char *code);
int vg_person_add_doc_unique(struct vg_person *p, const char *type,
			     const char *number, const char *country);

/* 1 when d is a possible calendar date with unknown parts allowed: year
 * 1..9999; month 0 (unknown) or 1..12; day 0 (unknown) or a day of that
 * month (29 February only in leap years); a day needs a month. Else 0. */
int vg_pdate_valid(const struct vg_pdate *d);
/* <0, 0, >0 as a is before, equal to or after b, comparing year, month and
 * day in turn (unknown parts are 0 and so sort first). */
int vg_pdate_cmp(const struct vg_pdate *a, const struct vg_pdate *b);

#endif
