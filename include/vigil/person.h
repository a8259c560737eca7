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

#endif
