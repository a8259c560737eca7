/* The OFAC Remarks free text: dates and places of birth, nationality and
 * citizenship, gender, passports and identity numbers, and weak aliases,
 * in the forms the SDN list writes them (docs/watchlists.md). Parts are
 * separated by ';'; a part in no known form is left in the comments only. */
#include "util/text.h"
#include "wl_ofac.h"
#include "vigil/util/country.h"
#include "vigil/util/error.h"

#include <stdlib.h>
#include <string.h>

struct span {
	const char *p;
	size_t n;
};

static int starts(struct span s, const char *lit)
{
	size_t k = strlen(lit);
	return s.n >= k && !memcmp(s.p, lit, k);
}

static struct span skip(struct span s, size_t k)
{
	s.p += k;
	s.n -= k;
	return s;
}

static struct span trim(struct span s)
{
	while (s.n &&
	       (*s.p == ' ' || *s.p == '\t' || *s.p == '\r' || *s.p == '\n'))
		s = skip(s, 1);
	while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t' ||
	               s.p[s.n - 1] == '\r' || s.p[s.n - 1] == '\n'))
		s.n--;
	return s;
}

/* One date: "DD Mon YYYY", "Mon YYYY" or "YYYY" at the start of s; the
 * rest is left in *s. 0 or -1. */
static int one_date(struct span *s, struct vg_pdate *d)
{
	struct vg_pdate r = {0};
	struct span t = *s;
	if (t.n >= 3 && t.p[0] >= '0' && t.p[0] <= '9' && t.p[1] >= '0' &&
	    t.p[1] <= '9' && t.p[2] == ' ') {
		r.day = vg__digits(t.p, 2);
		t = skip(t, 3);
	}
	if (t.n >= 4 && (r.month = vg__month_abbr(t.p, 3)) && t.p[3] == ' ')
		t = skip(t, 4);
	else if (r.day)
		return -1; /* a day needs a month */
	else
		r.month = 0;
	if (t.n < 4 || (r.year = vg__digits(t.p, 4)) < 0)
		return -1;
	t = skip(t, 4);
	if (t.n && t.p[0] >= '0' && t.p[0] <= '9')
		return -1;
	if (!vg_pdate_valid(&r))
		return -1;
	*d = r;
	*s = t;
	return 0;
}

/* "DOB 01 Jan 1960", "DOB 1960", "DOB circa 1960", "DOB 1960 to 1962",
 * "DOB 01 Jan 1961 to 31 Dec 1962", "DOB circa 1979-1982". */
static int dob(struct vg_person *p, struct span s)
{
	struct vg_dob d = {.kind = VG_DOB_EXACT};
	if (starts(s, "circa ")) {
		d.kind = VG_DOB_APPROX;
		s = skip(s, 6);
	}
	if (one_date(&s, &d.from))
		return VG_OK; /* not a form we know: comments only */
	if (!s.n)
		return vg_person_add_dob_unique(p, &d);
	if (starts(s, " to "))
		s = skip(s, 4);
	else if (starts(s, "-") && !d.from.month)
		s = skip(s, 1);
	else
		return VG_OK;
	if (one_date(&s, &d.to) || s.n || vg_pdate_cmp(&d.from, &d.to) > 0)
		return VG_OK;
	d.kind = VG_DOB_BETWEEN;
	return vg_person_add_dob_unique(p, &d);
}

/* Document labels and the type each gives (P passport, I identity, V
 * visa); longer labels first where one begins another. */
static const struct {
	const char *label;
	const char *type;
} doc_labels[] = {
    {"Passport Booklet", "P"},
    {"Diplomatic Passport", "P"},
    {"Passport", "P"},
    {"National ID No.", "I"},
    {"National Foreign ID Number", "I"},
    {"Identification Number", "I"},
    {"Personal ID Card", "I"},
    {"Cedula No.", "I"},
    {"D.N.I.", "I"},
    {"Tazkira National ID Card", "I"},
    {"Turkish Identification Number", "I"},
    {"Numero de Identidad", "I"},
    {"Citizen's Card Number", "I"},
    {"Kenyan ID No.", "I"},
    {"VisaNumberID", "V"},
};

static const char *find(struct span s, const char *lit)
{
	size_t k = strlen(lit);
	for (size_t i = 0; i + k <= s.n; i++)
		if (!memcmp(s.p + i, lit, k))
			return s.p + i;
	return NULL;
}

static int dup_span(struct span s, char **out)
{
	*out = vg__dup_clean(s.p, s.n);
	return *out ? VG_OK : VG_ENOMEM;
}

/* "<label> NUMBER (Country) issued ... expires 23 Aug 2005": the number
 * runs to the first '(' or " issued" or " expire"; the country is the
 * parenthesis right after it. */
static int document(struct vg_person *p, const char *type, struct span s)
{
	struct vg_pdate expiry = {0};
	char *num = NULL, *ctry = NULL;
	int rc;
	while (s.n && (*s.p == ' ' || *s.p == ':' || *s.p == '#'))
		s = skip(s, 1);
	struct span num_s = s;
	const char *cut[] = {"(", " issued", " expire"};
	for (size_t i = 0; i < 3; i++) {
		const char *c = find(num_s, cut[i]);
		if (c)
			num_s.n = (size_t)(c - num_s.p);
	}
	num_s = trim(num_s);
	if (!num_s.n)
		return VG_OK;
	struct span rest = trim(skip(s, (size_t)(num_s.p + num_s.n - s.p)));
	const char *a2 = NULL;
	if (starts(rest, "(")) {
		const char *close = memchr(rest.p, ')', rest.n);
		if (close) {
			struct span c = {rest.p + 1,
			                 (size_t)(close - rest.p - 1)};
			if ((rc = dup_span(c, &ctry)))
				goto out;
			a2 = vg_country_from_name(ctry);
		}
	}
	const char *ex = find(rest, "expires ");
	if (ex) {
		struct span e = {ex + 8, (size_t)(rest.p + rest.n - ex - 8)};
		struct vg_pdate d;
		if (!one_date(&e, &d) && d.day)
			expiry = d;
	}
	if ((rc = dup_span(num_s, &num)))
		goto out;
	size_t before = p->n_docs;
	rc = vg_person_add_doc_unique(p, type, num, a2);
	if (!rc && p->n_docs > before)
		p->docs[p->n_docs - 1].expiry = expiry;
out:
	free(num);
	free(ctry);
	return rc;
}

/* "a.k.a. 'ABU MOHAMMED'": weak aliases (OFAC puts its weak AKAs in
 * Remarks; the strong ones are in alt.csv). */
static int weak_alias(struct vg_person *p, struct span s)
{
	const char *q1 = memchr(s.p, '\'', s.n);
	const char *q2 = NULL;
	for (size_t i = s.n; i-- > 0;) {
		if (s.p[i] == '\'') {
			q2 = s.p + i;
			break;
		}
	}
	if (!q1 || q2 <= q1 + 1)
		return VG_OK;
	char *name;
	struct span in = {q1 + 1, (size_t)(q2 - q1 - 1)};
	int rc = dup_span(in, &name);
	if (rc)
		return rc;
	/* an individual's alias is "SURNAME, Given" like the listed name */
	char *comma =
	    p->kind == VG_PERSON_INDIVIDUAL ? strstr(name, ", ") : NULL;
	if (!*name) {
		rc = VG_OK;
	} else if (comma) {
		char *sur = strndup(name, (size_t)(comma - name));
		rc = sur ? vg_person_add_name(p, name, sur, comma + 2,
		                              VG_NAME_LOW)
		         : VG_ENOMEM;
		free(sur);
	} else {
		rc = vg_person_add_name(p, name, NULL, NULL, VG_NAME_LOW);
	}
	free(name);
	return rc;
}

static int text_value(struct vg_person *p, struct span s, int nationality)
{
	char *v;
	int rc = dup_span(trim(s), &v);
	if (rc)
		return rc;
	if (*v)
		rc = nationality ? vg__wl_add_nationality(p, v)
		                 : vg_person_add_place_of_birth_unique(p, v);
	free(v);
	return rc;
}

static int part(struct vg_person *p, struct span s)
{
	s = trim(s);
	if (s.n && s.p[s.n - 1] == '.')
		s.n--;
	if (starts(s, "alt. ") || starts(s, "Alt. "))
		s = skip(s, 5);
	if (starts(s, "DOB "))
		return dob(p, skip(s, 4));
	if (starts(s, "POB "))
		return text_value(p, skip(s, 4), 0);
	if (starts(s, "nationality: "))
		return text_value(p, skip(s, 13), 1);
	if (starts(s, "nationality "))
		return text_value(p, skip(s, 12), 1);
	if (starts(s, "citizen "))
		return text_value(p, skip(s, 8), 1);
	if (starts(s, "Gender ")) {
		struct span g = skip(s, 7);
		if (g.n == 4 && !memcmp(g.p, "Male", 4))
			p->gender = VG_GENDER_MALE;
		else if (g.n == 6 && !memcmp(g.p, "Female", 6))
			p->gender = VG_GENDER_FEMALE;
		return VG_OK;
	}
	if (starts(s, "a.k.a. ") || starts(s, "f.k.a. ") ||
	    starts(s, "n.k.a. "))
		return weak_alias(p, skip(s, 7));
	for (size_t i = 0; i < sizeof(doc_labels) / sizeof(doc_labels[0]);
	     i++) {
		size_t k = strlen(doc_labels[i].label);
		if (starts(s, doc_labels[i].label) && s.n > k &&
		    (s.p[k] == ' ' || s.p[k] == ':'))
			return document(p, doc_labels[i].type, skip(s, k));
	}
	return VG_OK;
}

int vg__ofac_remarks(struct vg_person *p, const char *remarks)
{
	const char *s = remarks;
	int rc = VG_OK;
	while (!rc) {
		const char *e = strchr(s, ';');
		struct span sp = {s, e ? (size_t)(e - s) : strlen(s)};
		rc = part(p, sp);
		if (!e)
			break;
		s = e + 1;
	}
	return rc;
}
