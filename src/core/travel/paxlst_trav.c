/* PAXLST traveller groups: Group 4 (NAD+FL/FM/DDT/DDU with ATT, DTM, LOC,
 * NAT, RFF...) and Group 5 (DOC with DTM and LOC) into traveller records.
 * A bad value is an error of that traveller only (vg__pax_bad). */
#include "paxlst_int.h"
#include "util/text.h"
#include "vigil/util/country.h"
#include "vigil/util/error.h"

#include <stdlib.h>
#include <string.h>

static struct vg_traveller *cur(struct vg__pax *p)
{
	return p->trav == VG__PAX_NONE ? NULL : &p->m->list.travellers[p->trav];
}

static int comp_is(const struct vg__pax *p, size_t el, size_t c,
                   const char *want)
{
	return !strcmp(vg__edi_get(&p->s, el, c, NULL), want);
}

/* Text of (el, c) for the traveller; not UTF-8 is the traveller's error
 * and gives *out NULL. */
static int text(struct vg__pax *p, size_t el, size_t c, const char *what,
                char **out)
{
	int rc = vg__pax_text(p, el, c, out);
	if (rc == VG_EINVAL)
		return vg__pax_bad(p, el, c, "%s is not valid UTF-8", what);
	return rc;
}

/* An alpha-3 (or ICAO) country code at (el, 1) into out[4]; 1 when it
 * was there and good, 0 when absent or bad (bad is reported). */
static int country3(struct vg__pax *p, size_t el, const char *what, char out[4],
                    int *rc)
{
	size_t n;
	char s[64];
	const char *v = vg__edi_get(&p->s, el, 1, &n);
	*rc = VG_OK;
	if (!n)
		return 0;
	const char *a2 = vg_country_from_alpha3(v);
	if (!a2 || n > 3) {
		*rc = vg__pax_bad(p, el, 1,
		                  "%s '%s' is not an ISO 3166 alpha-3 code",
		                  what, vg__pax_snip(p, el, 1, s));
		return 0;
	}
	memcpy(out, a2, 3);
	out[3] = '\0';
	return 1;
}

static char *join3(const char *a, const char *b, const char *c)
{
	size_t n = strlen(a) + strlen(b) + strlen(c) + 3;
	char *s = malloc(n), *o = s;
	if (!s)
		return NULL;
	const char *parts[3] = {a, b, c};
	for (int i = 0; i < 3; i++) {
		if (!*parts[i])
			continue;
		if (o != s)
			*o++ = ' ';
		size_t l = strlen(parts[i]);
		memcpy(o, parts[i], l);
		o += l;
	}
	*o = '\0';
	return s;
}

int vg__pax_traveller(struct vg__pax *p, enum vg_traveller_role role)
{
	struct vg_paxlst_msg *m = p->m;
	struct vg_travel_list *l = &m->list;
	char *sur = NULL, *giv = NULL, *mid = NULL, *more = NULL;
	char *given = NULL, *full = NULL;
	int rc;

	/* one group past the limit stops the parse: the rest is not read */
	if (p->max && ++p->records > p->max) {
		vg__errf(p->err, p->errlen, "more than %zu travellers", p->max);
		return VG_ETOOMANY;
	}
	if (role == VG_ROLE_PASSENGER || role == VG_ROLE_TRANSIT_PASSENGER)
		m->n_passengers++;
	else
		m->n_crew++;
	p->trav = VG__PAX_NONE;
	p->doc = VG__PAX_NONE;

	/* C080 party name: surname, given name, middle name(s) */
	/* without a usable surname the traveller is dropped: there is
	 * nothing to screen */
	rc = vg__pax_text(p, 4, 1, &sur);
	if (rc == VG_EINVAL)
		rc = vg__pax_bad(p, 4, 1, "surname is not valid UTF-8");
	else if (!rc && !sur)
		rc = vg__pax_bad(p, 4, 1, "traveller has no surname");
	if (rc || !sur)
		goto out;
	if ((rc = text(p, 4, 2, "given name", &giv)) ||
	    (rc = text(p, 4, 3, "middle name", &mid)) ||
	    (rc = text(p, 4, 4, "name", &more)))
		goto out;
	given = join3(giv ? giv : "", mid ? mid : "", more ? more : "");
	if (!given) {
		rc = VG_ENOMEM;
		goto out;
	}
	full = join3(given, sur, "");
	if (!full) {
		rc = VG_ENOMEM;
		goto out;
	}

	if (vg__grow((void **)&l->travellers, l->n_travellers,
	             sizeof(*l->travellers))) {
		rc = VG_ENOMEM;
		goto out;
	}
	struct vg_traveller *t = &l->travellers[l->n_travellers++];
	vg_traveller_init(t);
	p->trav = l->n_travellers - 1;
	t->role = role;
	t->line = p->mseg;
	if ((rc = vg_person_add_name(&t->person, full, sur,
	                             *given ? given : NULL, VG_NAME_PRIMARY)))
		goto out;
	if (m->n_flights) {
		const struct vg_pax_flight *f = &m->flights[0];
		if (!(t->flight = strdup(f->number))) {
			rc = VG_ENOMEM;
			goto out;
		}
		if (f->n_legs && f->legs[0].dep_time.year) {
			t->date.year = f->legs[0].dep_time.year;
			t->date.month = f->legs[0].dep_time.month;
			t->date.day = f->legs[0].dep_time.day;
		}
	}
out:
	free(sur);
	free(giv);
	free(mid);
	free(more);
	free(given);
	free(full);
	return rc;
}

static int att(struct vg__pax *p, struct vg_traveller *t)
{
	char s[64];
	if (!comp_is(p, 1, 1, "2"))
		return VG_OK;
	const char *g = vg__edi_get(&p->s, 3, 1, NULL);
	if (!strcmp(g, "M"))
		t->person.gender = VG_GENDER_MALE;
	else if (!strcmp(g, "F"))
		t->person.gender = VG_GENDER_FEMALE;
	else if (strcmp(g, "U") && strcmp(g, "X") && *g)
		return vg__pax_bad(p, 3, 1, "gender '%s' is not M, F, U or X",
		                   vg__pax_snip(p, 3, 1, s));
	return VG_OK;
}

static int dob(struct vg__pax *p, struct vg_traveller *t)
{
	size_t n;
	char s[64];
	struct vg_pax_time tm;
	if (!comp_is(p, 1, 1, "329"))
		return VG_OK;
	const char *v = vg__edi_get(&p->s, 1, 2, &n);
	if (vg__pax_time(p, v, n, vg__edi_get(&p->s, 1, 3, NULL), 1, &tm) ||
	    tm.hour >= 0)
		return vg__pax_bad(p, 1, 2, "date of birth '%s' is not a date",
		                   vg__pax_snip(p, 1, 2, s));
	struct vg_dob d = {.kind = VG_DOB_EXACT,
	                   .from = {tm.year, tm.month, tm.day}};
	return vg_person_add_dob(&t->person, &d);
}

static int loc(struct vg__pax *p, struct vg_traveller *t)
{
	int rc = VG_OK;
	char **slot = NULL;
	if (comp_is(p, 1, 1, "174")) {
		char a2[4];
		if (country3(p, 2, "country of residence", a2, &rc))
			memcpy(t->residence, a2, 4);
		return rc;
	}
	if (comp_is(p, 1, 1, "178"))
		slot = &t->embark;
	else if (comp_is(p, 1, 1, "179"))
		slot = &t->debark;
	if (slot) {
		char *v = NULL;
		if ((rc = text(p, 2, 1, "place", &v)) || !v)
			return rc;
		free(*slot);
		*slot = v;
		return VG_OK;
	}
	if (comp_is(p, 1, 1, "180")) {
		/* place of birth: C517 code (a country, alpha-3) and name */
		char *code = NULL, *name = NULL, *both = NULL;
		if ((rc = text(p, 2, 1, "place of birth", &code)) ||
		    (rc = text(p, 2, 4, "place of birth", &name)))
			goto pob_out;
		if (code && name) {
			both = malloc(strlen(code) + strlen(name) + 3);
			if (!both) {
				rc = VG_ENOMEM;
				goto pob_out;
			}
			strcpy(both, name);
			strcat(both, ", ");
			strcat(both, code);
		}
		const char *place = both ? both : name ? name : code;
		if (place)
			rc = vg_person_add_place_of_birth(&t->person, place);
	pob_out:
		free(code);
		free(name);
		free(both);
		return rc;
	}
	return VG_OK; /* 22 (clearance) and others: not kept */
}

static int nat(struct vg__pax *p, struct vg_traveller *t)
{
	char a2[4];
	int rc;
	if (country3(p, 2, "nationality", a2, &rc))
		rc = vg_person_add_nationality(&t->person, a2);
	return rc;
}

static int rff(struct vg__pax *p, struct vg_traveller *t)
{
	char **slot = NULL, *v = NULL;
	int rc;
	if (comp_is(p, 1, 1, "AVF"))
		slot = &t->booking_ref;
	else if (comp_is(p, 1, 1, "SEA"))
		slot = &t->seat;
	if (!slot)
		return VG_OK; /* other references: not kept */
	if ((rc = text(p, 1, 2, "reference", &v)) || !v)
		return rc;
	free(*slot);
	*slot = v;
	return VG_OK;
}

int vg__pax_g4(struct vg__pax *p)
{
	struct vg_traveller *t = cur(p);
	const char *tag = p->s.tag;
	if (!t)
		return VG_OK; /* the traveller was dropped; order still held */
	if (!strcmp(tag, "ATT"))
		return att(p, t);
	if (!strcmp(tag, "DTM"))
		return dob(p, t);
	if (!strcmp(tag, "LOC"))
		return loc(p, t);
	if (!strcmp(tag, "NAT"))
		return nat(p, t);
	if (!strcmp(tag, "RFF"))
		return rff(p, t);
	return VG_OK; /* MEA, GEI, FTX, COM, EMP: not kept */
}

/* Document type codes: one to three capitals or digits ("P", "V", "I",
 * "AC", "IP"...). */
static int doc_code(const char *s, size_t n)
{
	if (n < 1 || n > 3)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9')))
			return 0;
	return 1;
}

static int doc(struct vg__pax *p, struct vg_traveller *t)
{
	size_t n;
	char s[64], *num = NULL;
	int rc;
	p->doc = VG__PAX_NONE;
	const char *type = vg__edi_get(&p->s, 1, 1, &n);
	if (!doc_code(type, n)) {
		rc = vg__pax_bad(p, 1, 1,
		                 "document type '%s' is not a document code",
		                 vg__pax_snip(p, 1, 1, s));
		type = "";
		if (rc)
			return rc;
	}
	rc = vg__pax_text(p, 2, 1, &num);
	if (rc == VG_EINVAL)
		return vg__pax_bad(p, 2, 1,
		                   "document number is not valid UTF-8");
	if (rc)
		return rc;
	if (!num)
		return vg__pax_bad(p, 2, 1, "document has no number");
	rc = vg_person_add_doc(&t->person, type, num, NULL);
	free(num);
	if (!rc)
		p->doc = t->person.n_docs - 1;
	return rc;
}

int vg__pax_g5(struct vg__pax *p)
{
	struct vg_traveller *t = cur(p);
	const char *tag = p->s.tag;
	size_t n;
	char s[64];
	int rc = VG_OK;
	if (!t)
		return VG_OK;
	if (!strcmp(tag, "DOC"))
		return doc(p, t);
	if (p->doc == VG__PAX_NONE)
		return VG_OK; /* the document was not kept */
	struct vg_document *d = &t->person.docs[p->doc];
	if (!strcmp(tag, "DTM") && comp_is(p, 1, 1, "36")) {
		struct vg_pax_time tm;
		const char *v = vg__edi_get(&p->s, 1, 2, &n);
		if (vg__pax_time(p, v, n, vg__edi_get(&p->s, 1, 3, NULL), 0,
		                 &tm) ||
		    tm.hour >= 0)
			return vg__pax_bad(p, 1, 2,
			                   "expiry date '%s' is not a date",
			                   vg__pax_snip(p, 1, 2, s));
		d->expiry.year = tm.year;
		d->expiry.month = tm.month;
		d->expiry.day = tm.day;
	} else if (!strcmp(tag, "LOC") && comp_is(p, 1, 1, "91")) {
		char a2[4];
		if (country3(p, 2, "issuing country", a2, &rc))
			memcpy(d->country, a2, 4);
	}
	return rc;
}
