/* Traveller records: their life cycle, format detection, and the checks
 * of the values the CSV and JSON-lines formats share. */
#include "travel_rec.h"
#include "vigil/names/match.h"
#include "util/text.h"
#include "vigil/util/country.h"
#include "vigil/util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const vg__travel_cols[VG__TC_COUNT] = {
    [VG__TC_SURNAME] = "surname",
    [VG__TC_GIVEN] = "given_names",
    [VG__TC_DOB] = "date_of_birth",
    [VG__TC_GENDER] = "gender",
    [VG__TC_NATIONALITY] = "nationality",
    [VG__TC_DOC_TYPE] = "document_type",
    [VG__TC_DOC_NUMBER] = "document_number",
    [VG__TC_DOC_COUNTRY] = "document_country",
    [VG__TC_FLIGHT] = "flight",
    [VG__TC_DATE] = "date",
    [VG__TC_ROLE] = "role",
    [VG__TC_SEAT] = "seat",
    [VG__TC_BOOKING_REF] = "booking_ref",
    [VG__TC_PLACE_OF_BIRTH] = "place_of_birth",
};

static const char *const role_names[] = {
    [VG_ROLE_PASSENGER] = "passenger",
    [VG_ROLE_CREW] = "crew",
    [VG_ROLE_TRANSIT_PASSENGER] = "transit_passenger",
    [VG_ROLE_TRANSIT_CREW] = "transit_crew",
};

const char *vg_traveller_role_name(enum vg_traveller_role r)
{
	if ((unsigned)r >= sizeof(role_names) / sizeof(role_names[0]))
		return "passenger";
	return role_names[r];
}

void vg_traveller_init(struct vg_traveller *t)
{
	memset(t, 0, sizeof(*t));
	vg_person_init(&t->person);
}

void vg_traveller_release(struct vg_traveller *t)
{
	vg_person_release(&t->person);
	free(t->flight);
	free(t->seat);
	free(t->booking_ref);
	free(t->embark);
	free(t->debark);
	vg_traveller_init(t);
}

void vg_travel_list_init(struct vg_travel_list *l)
{
	memset(l, 0, sizeof(*l));
}

void vg_travel_list_release(struct vg_travel_list *l)
{
	for (size_t i = 0; i < l->n_travellers; i++)
		vg_traveller_release(&l->travellers[i]);
	free(l->travellers);
	for (size_t i = 0; i < l->n_errors; i++)
		free(l->errors[i].msg);
	free(l->errors);
	vg_travel_list_init(l);
}

int vg__travel_error(struct vg_travel_list *l, size_t traveller,
                     const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	char *m = strdup(msg);
	if (!m ||
	    vg__grow((void **)&l->errors, l->n_errors, sizeof(*l->errors))) {
		free(m);
		return VG_ENOMEM;
	}
	l->errors[l->n_errors].traveller = traveller;
	l->errors[l->n_errors].msg = m;
	l->n_errors++;
	if (traveller != VG_TRAVEL_NO_RECORD)
		l->travellers[traveller].n_errors++;
	return VG_OK;
}

int vg__travel_col(const char *s, size_t n)
{
	for (int i = 0; i < VG__TC_COUNT; i++)
		if (vg__ieqn(s, n, vg__travel_cols[i]))
			return i;
	return -1;
}

int vg__travel_col_near(const char *s, size_t n)
{
	char low[64];
	int best = -1;
	size_t best_d = 3;
	if (!n || n >= sizeof(low))
		return -1;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	for (int i = 0; i < VG__TC_COUNT; i++) {
		const char *c = vg__travel_cols[i];
		size_t d = vg_str_lev(low, n, c, strlen(c));
		size_t most = strlen(c) <= 5 ? 1 : 2;
		if (d <= most && d < best_d) {
			best = i;
			best_d = d;
		}
	}
	return best;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

enum vg_travel_format vg_travel_detect(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		p += 3;
	while (p < end && is_space(*p))
		p++;
	if (end - p >= 3 && (!memcmp(p, "UNA", 3) || !memcmp(p, "UNB", 3)))
		return VG_TRAVEL_PAXLST;
	if (p < end && *p == '{')
		return VG_TRAVEL_JSONL;
	/* a CSV header: some comma-separated name is "surname" */
	while (p < end && *p != '\n' && *p != '\r') {
		const char *f = p;
		while (p < end && *p != ',' && *p != '\n' && *p != '\r')
			p++;
		const char *e = p;
		while (f < e && (is_space(*f) || *f == '"'))
			f++;
		while (e > f && (is_space(e[-1]) || e[-1] == '"'))
			e--;
		if (vg__ieqn(f, (size_t)(e - f), "surname"))
			return VG_TRAVEL_CSV;
		if (p < end && *p == ',')
			p++;
	}
	return VG_TRAVEL_UNKNOWN;
}

/* ---- the values of one record ---------------------------------------- */

struct ctx {
	struct vg_travel_list *l;
	size_t idx; /* the traveller's index */
	size_t line;
	const char *word;
};

/* Report a bad value of column c; the value is quoted in the message. */
static int bad(struct ctx *x, int c, const char *v, size_t n, const char *what)
{
	char snip[64];
	vg__snippet(snip, sizeof(snip), v, n);
	return vg__travel_error(x->l, x->idx, "line %zu, %s '%s': '%s' %s",
	                        x->line, x->word, vg__travel_cols[c], snip,
	                        what);
}

static int bad_plain(struct ctx *x, int c, const char *what)
{
	return vg__travel_error(x->l, x->idx, "line %zu, %s '%s': %s", x->line,
	                        x->word, vg__travel_cols[c], what);
}

/* The trimmed value of column c, or NULL when absent or empty. */
static const char *val(const struct vg__trec *r, int c, size_t *n)
{
	const char *s = r->v[c];
	size_t len = r->len[c];
	if (!s)
		return NULL;
	while (len && is_space(*s))
		s++, len--;
	while (len && is_space(s[len - 1]))
		len--;
	*n = len;
	return len ? s : NULL;
}

/* Control characters other than white space (which is made one space:
 * RFC 4180 allows line breaks inside quoted fields). */
static int has_control(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
		    c == 0x7F)
			return 1;
	}
	return 0;
}

/* Text usable as is: valid UTF-8 without control characters. */
static int text_ok(struct ctx *x, int c, const char *s, size_t n, int *rc)
{
	*rc = VG_OK;
	if (!vg__utf8_valid(s, n)) {
		*rc = bad_plain(x, c, "is not valid UTF-8");
		return 0;
	}
	if (has_control(s, n)) {
		*rc = bad_plain(x, c, "contains a control character");
		return 0;
	}
	return 1;
}

static int dup_text(char **out, const char *s, size_t n)
{
	*out = vg__dup_clean(s, n);
	return *out ? VG_OK : VG_ENOMEM;
}

static int upper_alnum(char *s)
{
	for (; *s; s++) {
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 'a' + 'A');
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
			return 0;
	}
	return 1;
}

/* A carrier code, IATA (two characters, one a letter at least: "U2") or
 * ICAO (three letters), then 1-4 digits and an optional suffix letter:
 * "AB123", "U21234", "BAW12A". Spaces are dropped, letters uppercased. */
static int flight_norm(const char *s, size_t n, char out[16])
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ')
			continue;
		if (k + 1 >= 16)
			return 0;
		out[k++] = s[i];
	}
	out[k] = '\0';
	if (!upper_alnum(out))
		return 0;
	for (size_t c = 2; c <= 3 && c < k; c++) {
		int letters = 0;
		for (size_t i = 0; i < c; i++)
			letters += out[i] >= 'A' && out[i] <= 'Z';
		if (c == 2 ? letters == 0 : letters != 3)
			continue;
		size_t d = c;
		while (d < k && out[d] >= '0' && out[d] <= '9')
			d++;
		if (d == c || d - c > 4)
			continue;
		if (d == k || (d + 1 == k && out[d] >= 'A' && out[d] <= 'Z'))
			return 1;
	}
	return 0;
}

static int parse_gender(const char *s, size_t n, enum vg_gender *g)
{
	if (vg__ieqn(s, n, "m") || vg__ieqn(s, n, "male"))
		*g = VG_GENDER_MALE;
	else if (vg__ieqn(s, n, "f") || vg__ieqn(s, n, "female"))
		*g = VG_GENDER_FEMALE;
	else if (vg__ieqn(s, n, "u") || vg__ieqn(s, n, "x") ||
	         vg__ieqn(s, n, "unknown"))
		*g = VG_GENDER_UNKNOWN;
	else
		return -1;
	return 0;
}

static int parse_role(const char *s, size_t n, enum vg_traveller_role *r)
{
	for (size_t i = 0; i < sizeof(role_names) / sizeof(role_names[0]);
	     i++) {
		if (vg__ieqn(s, n, role_names[i])) {
			*r = (enum vg_traveller_role)i;
			return 0;
		}
	}
	return -1;
}

/* A country by code or name into out[4]; -1 when it names none. */
static int country(const char *s, size_t n, char out[4])
{
	char tmp[128];
	if (n >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	const char *a2 = vg_country_code(tmp);
	if (!a2)
		return -1;
	memcpy(out, a2, 3);
	return 0;
}

static int name_of(struct vg_traveller *t, const char *sur, size_t sn,
                   const char *giv, size_t gn)
{
	char *s = vg__dup_clean(sur, sn),
	     *g = giv ? vg__dup_clean(giv, gn) : NULL;
	char *full = NULL;
	int rc = VG_ENOMEM;
	if (!s || (giv && !g))
		goto out;
	size_t fl = strlen(s) + (g ? strlen(g) + 1 : 0) + 1;
	full = malloc(fl);
	if (!full)
		goto out;
	if (g && *g)
		snprintf(full, fl, "%s %s", g, s);
	else
		snprintf(full, fl, "%s", s);
	rc = vg_person_add_name(&t->person, full, s, g && *g ? g : NULL,
	                        VG_NAME_PRIMARY);
out:
	free(s);
	free(g);
	free(full);
	return rc;
}

static int build_fields(struct ctx *x, struct vg_traveller *t,
                        const struct vg__trec *r)
{
	const char *s;
	size_t n;
	int rc = VG_OK;

	if ((s = val(r, VG__TC_DOB, &n))) {
		struct vg_dob d = {.kind = VG_DOB_EXACT};
		if (vg__iso_date(s, n, 1, &d.from))
			rc = bad(x, VG__TC_DOB, s, n, "is not a date");
		else
			rc = vg_person_add_dob(&t->person, &d);
		if (rc)
			return rc;
	}
	if ((s = val(r, VG__TC_GENDER, &n)) &&
	    parse_gender(s, n, &t->person.gender) &&
	    (rc = bad(x, VG__TC_GENDER, s, n, "is not M, F, U or X")))
		return rc;
	if ((s = val(r, VG__TC_NATIONALITY, &n))) {
		char a2[4];
		if (country(s, n, a2))
			rc = bad(x, VG__TC_NATIONALITY, s, n,
			         "is not a country");
		else
			rc = vg_person_add_nationality(&t->person, a2);
		if (rc)
			return rc;
	}
	if ((s = val(r, VG__TC_PLACE_OF_BIRTH, &n)) &&
	    text_ok(x, VG__TC_PLACE_OF_BIRTH, s, n, &rc)) {
		char *p = vg__dup_clean(s, n);
		rc =
		    p ? vg_person_add_place_of_birth(&t->person, p) : VG_ENOMEM;
		free(p);
	}
	if (rc)
		return rc;

	/* the document: a number makes one; type and country qualify it */
	const char *dt, *dc, *dn;
	size_t dtn = 0, dcn = 0, dnn = 0;
	dt = val(r, VG__TC_DOC_TYPE, &dtn);
	dc = val(r, VG__TC_DOC_COUNTRY, &dcn);
	dn = val(r, VG__TC_DOC_NUMBER, &dnn);
	char type[8] = "", ctry[4] = "";
	if (dt) {
		if (dtn > 3 || (memcpy(type, dt, dtn), type[dtn] = '\0',
		                !upper_alnum(type))) {
			type[0] = '\0';
			if ((rc = bad(x, VG__TC_DOC_TYPE, dt, dtn,
			              "is not a document code (P, V, I...)")))
				return rc;
		}
	}
	if (dc && country(dc, dcn, ctry)) {
		if ((rc = bad(x, VG__TC_DOC_COUNTRY, dc, dcn,
		              "is not a country")))
			return rc;
	}
	if (!dn && (dt || dc)) {
		if ((rc = bad_plain(x, VG__TC_DOC_NUMBER,
		                    "is empty but a document type or "
		                    "country is given")))
			return rc;
	} else if (dn && text_ok(x, VG__TC_DOC_NUMBER, dn, dnn, &rc)) {
		char *num = vg__dup_clean(dn, dnn);
		if (!num)
			return VG_ENOMEM;
		/* a document with a bad type or country is still worth
		 * screening by its number: it is kept without them */
		rc = vg_person_add_doc(&t->person, type, num, ctry);
		free(num);
	}
	if (rc)
		return rc;

	if ((s = val(r, VG__TC_FLIGHT, &n))) {
		char f[16];
		if (!flight_norm(s, n, f))
			rc = bad(x, VG__TC_FLIGHT, s, n,
			         "is not a flight number");
		else if (!(t->flight = strdup(f)))
			rc = VG_ENOMEM;
		if (rc)
			return rc;
	}
	if ((s = val(r, VG__TC_DATE, &n)) && vg__iso_date(s, n, 0, &t->date) &&
	    (rc = bad(x, VG__TC_DATE, s, n, "is not a date")))
		return rc;
	if ((s = val(r, VG__TC_ROLE, &n)) && parse_role(s, n, &t->role) &&
	    (rc = bad(x, VG__TC_ROLE, s, n,
	              "is not passenger, crew, transit_passenger or "
	              "transit_crew")))
		return rc;
	if ((s = val(r, VG__TC_SEAT, &n)) && text_ok(x, VG__TC_SEAT, s, n, &rc))
		rc = dup_text(&t->seat, s, n);
	if (rc)
		return rc;
	if ((s = val(r, VG__TC_BOOKING_REF, &n)) &&
	    text_ok(x, VG__TC_BOOKING_REF, s, n, &rc))
		rc = dup_text(&t->booking_ref, s, n);
	return rc;
}

int vg__travel_build(struct vg_travel_list *l, const struct vg__trec *r,
                     size_t line, const char *word)
{
	struct ctx x = {
	    .l = l, .idx = VG_TRAVEL_NO_RECORD, .line = line, .word = word};
	const char *sur, *giv;
	size_t sn = 0, gn = 0;
	int rc;

	/* Without a usable surname there is nothing to screen: the record
	 * is dropped and only the error kept. */
	if (!(sur = val(r, VG__TC_SURNAME, &sn)))
		return bad_plain(&x, VG__TC_SURNAME, "is empty");
	if (!text_ok(&x, VG__TC_SURNAME, sur, sn, &rc))
		return rc;

	if (vg__grow((void **)&l->travellers, l->n_travellers,
	             sizeof(*l->travellers)))
		return VG_ENOMEM;
	struct vg_traveller *t = &l->travellers[l->n_travellers];
	vg_traveller_init(t);
	t->line = line;
	x.idx = l->n_travellers++;

	giv = val(r, VG__TC_GIVEN, &gn);
	if (giv && !text_ok(&x, VG__TC_GIVEN, giv, gn, &rc)) {
		if (rc)
			return rc;
		giv = NULL; /* screen on the surname alone */
	}
	if ((rc = name_of(t, sur, sn, giv, gn)))
		return rc;
	return build_fields(&x, t, r);
}
