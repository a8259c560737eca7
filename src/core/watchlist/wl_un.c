/* The UN Security Council Consolidated List (XML) into watchlist entries,
 * with libxml2 reading a buffer as hostile input. Mapping and choices:
 * docs/watchlists.md. */
#include "util/text.h"
#include "wl_int.h"
#include "vigil/util/country.h"
#include "vigil/util/error.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int named(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	       !strcmp((const char *)n->name, name);
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n->children; c; c = c->next)
		if (named(c, name))
			return c;
	return NULL;
}

/* The text of element n, white space cleaned: *out NULL when empty. */
static int text_of(const xmlNode *n, char **out)
{
	*out = NULL;
	if (!n)
		return VG_OK;
	xmlChar *raw = xmlNodeGetContent(n);
	if (!raw)
		return n->children ? VG_ENOMEM : VG_OK;
	char *t = vg__dup_clean((const char *)raw, strlen((const char *)raw));
	xmlFree(raw);
	if (!t)
		return VG_ENOMEM;
	if (*t)
		*out = t;
	else
		free(t);
	return VG_OK;
}

static int child_text(const xmlNode *n, const char *name, char **out)
{
	return text_of(child(n, name), out);
}

/* Join the texts of the named children with sep, skipping empty ones:
 * *out NULL when all are empty. */
static int join_children(const xmlNode *n, const char *const *names, size_t k,
                         const char *sep, char **out)
{
	char *acc = NULL;
	int rc = VG_OK;
	for (size_t i = 0; i < k && !rc; i++) {
		char *t;
		if ((rc = child_text(n, names[i], &t)) || !t)
			continue;
		if (!acc) {
			acc = t;
			continue;
		}
		char *j = malloc(strlen(acc) + strlen(sep) + strlen(t) + 1);
		if (j)
			sprintf(j, "%s%s%s", acc, sep, t);
		else
			rc = VG_ENOMEM;
		free(acc);
		free(t);
		acc = j;
	}
	if (rc) {
		free(acc);
		acc = NULL;
	}
	*out = acc;
	return rc;
}

/* "YYYY-MM-DD" (00 for an unknown month or day) or "YYYY". */
static int un_date(const char *s, struct vg_pdate *d)
{
	size_t n = strlen(s);
	struct vg_pdate r = {0};
	r.year = vg__digits(s, 4);
	if (n == 10 && s[4] == '-' && s[7] == '-') {
		r.month = vg__digits(s + 5, 2);
		r.day = vg__digits(s + 8, 2);
	} else if (n != 4) {
		return -1;
	}
	if (r.year < 0 || r.month < 0 || r.day < 0 || !vg_pdate_valid(&r))
		return -1;
	*d = r;
	return 0;
}

static int year_of(const xmlNode *n, const char *name, struct vg_pdate *d)
{
	char *t;
	int rc = child_text(n, name, &t);
	if (rc)
		return rc;
	rc = t && strlen(t) == 4 && !un_date(t, d) ? VG_OK : VG_EINVAL;
	free(t);
	return rc;
}

/* INDIVIDUAL_DATE_OF_BIRTH: FROM_YEAR/TO_YEAR make a range; else DATE or
 * YEAR, approximate when TYPE_OF_DATE says APPROXIMATELY. An element
 * with no date (only a NOTE, or nothing) adds nothing. */
static int dob(struct vg_person *p, const xmlNode *n)
{
	struct vg_dob d = {.kind = VG_DOB_EXACT};
	char *type = NULL, *v = NULL;
	int rc;
	if ((rc = child_text(n, "TYPE_OF_DATE", &type)))
		return rc;
	if (child(n, "FROM_YEAR") && child(n, "TO_YEAR")) {
		if ((rc = year_of(n, "FROM_YEAR", &d.from)) == VG_OK &&
		    (rc = year_of(n, "TO_YEAR", &d.to)) == VG_OK) {
			d.kind = VG_DOB_BETWEEN;
			rc = vg_person_add_dob_unique(p, &d);
		}
		goto out;
	}
	if ((rc = child_text(n, "DATE", &v)))
		goto out;
	if (!v && (rc = child_text(n, "YEAR", &v)))
		goto out;
	if (v && !un_date(v, &d.from)) {
		if (type && !strcmp(type, "APPROXIMATELY"))
			d.kind = VG_DOB_APPROX;
		rc = vg_person_add_dob_unique(p, &d);
	}
out:
	free(type);
	free(v);
	return rc == VG_EINVAL ? VG_OK : rc; /* unreadable years: skipped */
}

static int place(struct vg_person *p, const xmlNode *n)
{
	static const char *const parts[] = {"STREET", "CITY", "STATE_PROVINCE",
	                                    "COUNTRY"};
	char *s;
	int rc = join_children(n, parts, 4, ", ", &s);
	if (!rc && s)
		rc = vg_person_add_place_of_birth_unique(p, s);
	free(s);
	return rc;
}

static int address(struct vg_wl_entry *e, const xmlNode *n)
{
	static const char *const parts[] = {"STREET", "CITY", "STATE_PROVINCE",
	                                    "ZIP_CODE", "COUNTRY"};
	char *s;
	int rc = join_children(n, parts, 5, ", ", &s);
	if (!rc && s)
		rc = vg__wl_add_address(e, s);
	free(s);
	return rc;
}

/* The list writes the document type as free text in several languages:
 * passports become "P", national identity numbers "I", the rest is kept
 * as written. */
static const char *doc_type(const char *t)
{
	static const char *const passport[] = {"passport", "passeport",
	                                       "pasaporte"};
	if (!t)
		return "";
	for (size_t i = 0; i < 3; i++) {
		size_t k = strlen(passport[i]);
		for (const char *s = t; strlen(s) >= k; s++)
			if (vg__ieqn(s, k, passport[i]))
				return "P";
	}
	if (vg__ieqn(t, strlen(t), "National Identification Number"))
		return "I";
	return t;
}

static int document(struct vg_person *p, const xmlNode *n)
{
	char *num = NULL, *type = NULL, *ctry = NULL;
	int rc;
	if ((rc = child_text(n, "NUMBER", &num)) || !num)
		goto out;
	if ((rc = child_text(n, "TYPE_OF_DOCUMENT", &type)) ||
	    (rc = child_text(n, "ISSUING_COUNTRY", &ctry)))
		goto out;
	if (!ctry && (rc = child_text(n, "COUNTRY_OF_ISSUE", &ctry)))
		goto out;
	const char *a2 = ctry ? vg_country_from_name(ctry) : NULL;
	rc = vg_person_add_doc_unique(p, doc_type(type), num, a2);
out:
	free(num);
	free(type);
	free(ctry);
	return rc;
}

static enum vg_name_quality quality(const char *q)
{
	/* "Low" marks a weak alias; "Good", the entities' "a.k.a." and
	 * "f.k.a.", and an empty quality are all taken as good: nothing
	 * says they are weak. */
	return q && !strcmp(q, "Low") ? VG_NAME_LOW : VG_NAME_GOOD;
}

static int alias(struct vg_person *p, const xmlNode *n)
{
	char *name = NULL, *q = NULL;
	int rc;
	if ((rc = child_text(n, "ALIAS_NAME", &name)) || !name)
		goto out;
	if ((rc = child_text(n, "QUALITY", &q)))
		goto out;
	rc = vg_person_add_name(p, name, NULL, NULL, quality(q));
out:
	free(name);
	free(q);
	return rc;
}

/* An alias may carry its own date and place of birth: they are the
 * person's too (added when not already there). */
static int alias_birth(struct vg_person *p, const xmlNode *n)
{
	static const char *const parts[] = {"CITY_OF_BIRTH",
	                                    "COUNTRY_OF_BIRTH"};
	char *d = NULL, *pl = NULL;
	int rc;
	if ((rc = child_text(n, "DATE_OF_BIRTH", &d)))
		goto out;
	struct vg_dob b = {.kind = VG_DOB_EXACT};
	if (d && !un_date(d, &b.from) && (rc = vg_person_add_dob_unique(p, &b)))
		goto out;
	if ((rc = join_children(n, parts, 2, ", ", &pl)) || !pl)
		goto out;
	rc = vg_person_add_place_of_birth_unique(p, pl);
out:
	free(d);
	free(pl);
	return rc;
}

static int primary_name(struct vg_person *p, const xmlNode *n)
{
	static const char *const parts[] = {"FIRST_NAME", "SECOND_NAME",
	                                    "THIRD_NAME", "FOURTH_NAME"};
	char *full;
	int rc = join_children(n, parts, 4, " ", &full);
	if (rc || !full)
		return rc ? rc : VG_EINVAL;
	/* the UN format does not say which part is the surname */
	rc = vg_person_add_name(p, full, NULL, NULL, VG_NAME_PRIMARY);
	free(full);
	return rc;
}

static int values(struct vg_wl_entry *e, const xmlNode *n, int nationality)
{
	int rc = VG_OK;
	for (const xmlNode *v = n->children; v && !rc; v = v->next) {
		char *t;
		if (!named(v, "VALUE"))
			continue;
		if ((rc = text_of(v, &t)) || !t)
			continue;
		rc = nationality ? vg__wl_add_nationality(&e->person, t)
		                 : vg__wl_add_program(e, t);
		free(t);
	}
	return rc;
}

static int entry(struct vg_watchlist *wl, const xmlNode *n, int individual,
                 size_t ordinal, char *err, size_t errlen)
{
	const char *what = individual ? "INDIVIDUAL" : "ENTITY";
	const char *pre = individual ? "INDIVIDUAL_" : "ENTITY_";
	char alias_tag[32], addr_tag[32], *s = NULL, *id = NULL;
	int rc;
	struct vg_wl_entry *e =
	    vg__wl_add(wl, individual ? VG_WL_INDIVIDUAL : VG_WL_ENTITY, "un");
	if (!e)
		return VG_ENOMEM;
	snprintf(alias_tag, sizeof(alias_tag), "%sALIAS", pre);
	snprintf(addr_tag, sizeof(addr_tag), "%sADDRESS", pre);

	if ((rc = child_text(n, "DATAID", &id)))
		goto out;
	if ((rc = child_text(n, "REFERENCE_NUMBER", &e->ref)))
		goto out;
	if (!e->ref) {
		rc = VG_EINVAL;
		vg__errf(err, errlen, "%s %zu (DATAID %s): no REFERENCE_NUMBER",
		         what, ordinal, id ? id : "none");
		goto out;
	}
	rc = primary_name(&e->person, n);
	if (rc == VG_EINVAL)
		vg__errf(err, errlen, "%s %zu (%s): no name", what, ordinal,
		         e->ref);
	if (rc)
		goto out;
	if ((rc = child_text(n, "UN_LIST_TYPE", &s)))
		goto out;
	if (s && (rc = vg__wl_add_program(e, s)))
		goto out;
	free(s);
	if ((rc = child_text(n, "LISTED_ON", &s)))
		goto out;
	struct vg_pdate listed;
	if (s && !un_date(s, &listed))
		e->listed_on = listed; /* unreadable: left unknown */
	free(s);
	s = NULL;
	if ((rc = child_text(n, "COMMENTS1", &e->comments)) ||
	    (rc = child_text(n, "GENDER", &s)))
		goto out;
	if (s && !strcmp(s, "Male"))
		e->person.gender = VG_GENDER_MALE;
	else if (s && !strcmp(s, "Female"))
		e->person.gender = VG_GENDER_FEMALE;

	for (const xmlNode *c = n->children; c && !rc; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (named(c, alias_tag)) {
			rc = alias(&e->person, c);
		} else if (named(c, "NAME_ORIGINAL_SCRIPT")) {
			char *o;
			if (!(rc = text_of(c, &o)) && o)
				rc = vg_person_add_name(&e->person, o, NULL,
				                        NULL, VG_NAME_ORIGINAL);
			free(o);
		} else if (named(c, "NATIONALITY")) {
			rc = values(e, c, 1);
		} else if (named(c, "INDIVIDUAL_DATE_OF_BIRTH")) {
			rc = dob(&e->person, c);
		} else if (named(c, "INDIVIDUAL_PLACE_OF_BIRTH")) {
			rc = place(&e->person, c);
		} else if (named(c, "INDIVIDUAL_DOCUMENT")) {
			rc = document(&e->person, c);
		} else if (named(c, addr_tag)) {
			rc = address(e, c);
		}
	}
	/* births under aliases after the listed ones, so those come first */
	for (const xmlNode *c = n->children; c && !rc; c = c->next)
		if (named(c, alias_tag))
			rc = alias_birth(&e->person, c);
out:
	free(s);
	free(id);
	return rc;
}

/* A DOCTYPE could declare entities; the list never has one, so any is
 * refused before libxml2 reads it. */
static int has_doctype(const char *buf, size_t len)
{
	static const char k[] = "<!DOCTYPE";
	for (size_t i = 0; i + sizeof(k) - 1 <= len; i++)
		if (buf[i] == '<' && !memcmp(buf + i, k, sizeof(k) - 1))
			return 1;
	return 0;
}

static int walk(struct vg_watchlist *wl, const xmlNode *root, char *err,
                size_t errlen)
{
	int rc = VG_OK;
	size_t ni = 0, ne = 0;
	if (!root || !named(root, "CONSOLIDATED_LIST")) {
		vg__errf(err, errlen,
		         "the root element is not CONSOLIDATED_LIST");
		return VG_EINVAL;
	}
	for (const xmlNode *g = root->children; g && !rc; g = g->next) {
		int ind = named(g, "INDIVIDUALS");
		if (!ind && !named(g, "ENTITIES"))
			continue;
		for (const xmlNode *c = g->children; c && !rc; c = c->next) {
			if (named(c, ind ? "INDIVIDUAL" : "ENTITY"))
				rc = entry(wl, c, ind, ind ? ++ni : ++ne, err,
				           errlen);
		}
	}
	return rc;
}

int vg_wl_parse_un(const char *buf, size_t len, struct vg_watchlist *out,
                   char *err, size_t errlen)
{
	struct vg_watchlist wl;
	xmlParserCtxtPtr ctxt = NULL;
	xmlDocPtr doc = NULL;
	int rc;

	vg_watchlist_init(&wl);
	if (len > INT_MAX) {
		vg__errf(err, errlen, "the list is larger than 2 GiB");
		rc = VG_ETOOBIG;
		goto out;
	}
	if (has_doctype(buf, len)) {
		vg__errf(err, errlen, "a DOCTYPE is not allowed");
		rc = VG_EINVAL;
		goto out;
	}
	if (!(ctxt = xmlNewParserCtxt())) {
		rc = VG_ENOMEM;
		goto out;
	}
	/* no XML_PARSE_NOENT (entities stay unexpanded), no DTD loading,
	 * no network, and libxml2's default size limits (no HUGE) */
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, "un.xml", NULL,
	                        XML_PARSE_NONET | XML_PARSE_NOERROR |
	                            XML_PARSE_NOWARNING);
	if (!doc) {
		const xmlError *e = xmlCtxtGetLastError(ctxt);
		char msg[160] = "not well-formed";
		if (e && e->message) {
			/* libxml2's text may quote the input: keep it short
			 * and printable */
			size_t k = 0;
			for (const char *m = e->message;
			     *m && *m != '\n' && k + 1 < sizeof(msg); m++)
				msg[k++] = (unsigned char)*m < 0x20 ? '?' : *m;
			msg[k] = '\0';
		}
		vg__errf(err, errlen, "line %d: %s", e ? e->line : 0, msg);
		rc = VG_EINVAL;
		goto out;
	}
	if (doc->intSubset || doc->extSubset) {
		vg__errf(err, errlen, "a DOCTYPE is not allowed");
		rc = VG_EINVAL;
		goto out;
	}
	if ((rc = walk(&wl, xmlDocGetRootElement(doc), err, errlen)))
		goto out;
	*out = wl;
	vg_watchlist_init(&wl);
out:
	if (rc == VG_ENOMEM)
		vg__errf(err, errlen, "out of memory");
	vg_watchlist_release(&wl);
	if (doc)
		xmlFreeDoc(doc);
	if (ctxt)
		xmlFreeParserCtxt(ctxt);
	return rc;
}
