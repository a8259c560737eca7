/* Unit tests of the UN and OFAC list parsers: exact counts over the real
 * lists, exact records, the Remarks forms, and hostile or broken input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vigil/util/country.h"
#include "vigil/util/error.h"
#include "vigil/watchlist/watchlist.h"

#define UN_XML VG_SHARED_DIR "/data/watchlists/un/consolidated-2026-02-27.xml"
#define OFAC_DIR VG_SHARED_DIR "/data/watchlists/ofac/"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	long n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	char *b = malloc((size_t)n + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	b[n] = '\0';
	*len = (size_t)n;
	return b;
}

struct counts {
	size_t names[4]; /* by quality */
	size_t dobs[3];  /* by kind */
	size_t docs, pobs, nats, addrs, male, female;
};

static void count(const struct vg_watchlist *wl, struct counts *c)
{
	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < wl->n_entries; i++) {
		const struct vg_wl_entry *e = &wl->entries[i];
		const struct vg_person *p = &e->person;
		for (size_t j = 0; j < p->n_names; j++)
			c->names[p->names[j].quality]++;
		for (size_t j = 0; j < p->n_dobs; j++)
			c->dobs[p->dobs[j].kind]++;
		c->docs += p->n_docs;
		c->pobs += p->n_places_of_birth;
		c->nats += p->n_nationalities;
		c->addrs += e->n_addresses;
		c->male += p->gender == VG_GENDER_MALE;
		c->female += p->gender == VG_GENDER_FEMALE;
	}
}

static const struct vg_wl_entry *by_ref(const struct vg_watchlist *wl,
                                        const char *ref)
{
	for (size_t i = 0; i < wl->n_entries; i++)
		if (!strcmp(wl->entries[i].ref, ref))
			return &wl->entries[i];
	fail_msg("no entry %s", ref);
	return NULL;
}

static void assert_dob(const struct vg_dob *d, enum vg_dob_kind k, int y, int m,
                       int dd, int ty)
{
	assert_int_equal(d->kind, k);
	assert_int_equal(d->from.year, y);
	assert_int_equal(d->from.month, m);
	assert_int_equal(d->from.day, dd);
	assert_int_equal(d->to.year, ty);
}

static void assert_name(const struct vg_name *n, const char *full,
                        const char *sur, const char *given,
                        enum vg_name_quality q)
{
	assert_string_equal(n->full, full);
	if (sur)
		assert_string_equal(n->surname, sur);
	else
		assert_null(n->surname);
	if (given)
		assert_string_equal(n->given, given);
	else
		assert_null(n->given);
	assert_int_equal(n->quality, q);
}

/* ---- UN ---------------------------------------------------------------- */

static struct vg_watchlist un;

static int un_setup(void **state)
{
	size_t len;
	char err[256] = "", *buf = slurp(UN_XML, &len);
	(void)state;
	int rc = vg_wl_parse_un(buf, len, &un, err, sizeof(err));
	free(buf);
	if (rc)
		fprintf(stderr, "un: %s\n", err);
	return rc;
}

static int un_teardown(void **state)
{
	(void)state;
	vg_watchlist_release(&un);
	return 0;
}

/* The expected numbers come from tests/unit/data/wl_counts.py, which
 * reads the same file with Python's ElementTree and the rules of
 * docs/watchlists.md and shares no code with the parser (run it with
 * the shared directory as argument; with "un" after it, it prints every
 * entry, which matched the C parser entry by entry when these numbers
 * were written). */
static void un_counts(void **state)
{
	struct counts c;
	(void)state;
	assert_int_equal(un.n_entries, 1003);
	assert_int_equal(un.n_individuals, 730);
	assert_int_equal(un.n_entities, 273);
	assert_int_equal(un.n_vessels, 0);
	assert_int_equal(un.n_aircraft, 0);
	count(&un, &c);
	assert_int_equal(c.names[VG_NAME_PRIMARY], 1003);
	assert_int_equal(c.names[VG_NAME_GOOD], 2137);
	assert_int_equal(c.names[VG_NAME_LOW], 615);
	assert_int_equal(c.names[VG_NAME_ORIGINAL], 378);
	assert_int_equal(c.dobs[VG_DOB_EXACT], 741);
	assert_int_equal(c.dobs[VG_DOB_APPROX], 116);
	assert_int_equal(c.dobs[VG_DOB_BETWEEN], 31);
	assert_int_equal(c.docs, 448);
	assert_int_equal(c.pobs, 657);
	assert_int_equal(c.nats, 651);
	assert_int_equal(c.male, 52);
	assert_int_equal(c.female, 2);
	/* individuals first, in document order, then entities */
	assert_string_equal(un.entries[0].ref, "CDi.001");
	assert_int_equal(un.entries[729].kind, VG_WL_INDIVIDUAL);
	assert_int_equal(un.entries[730].kind, VG_WL_ENTITY);
	for (size_t i = 0; i < un.n_entries; i++)
		assert_string_equal(un.entries[i].list, "un");
}

/* The first individual, field by field. */
static void un_first_individual(void **state)
{
	const struct vg_wl_entry *e = &un.entries[0];
	const struct vg_person *p = &e->person;
	(void)state;
	assert_string_equal(e->ref, "CDi.001");
	assert_int_equal(e->kind, VG_WL_INDIVIDUAL);
	assert_int_equal(p->kind, VG_PERSON_INDIVIDUAL);
	assert_int_equal(e->n_programs, 1);
	assert_string_equal(e->programs[0], "DRC");
	assert_int_equal(e->listed_on.year, 2012);
	assert_int_equal(e->listed_on.month, 12);
	assert_int_equal(e->listed_on.day, 31);
	assert_int_equal(p->n_names, 1); /* its one alias is empty */
	assert_name(&p->names[0], "ERIC BADEGE", NULL, NULL, VG_NAME_PRIMARY);
	assert_int_equal(p->n_dobs, 1);
	assert_dob(&p->dobs[0], VG_DOB_EXACT, 1971, 0, 0, 0);
	assert_int_equal(p->n_places_of_birth, 0); /* COUNTRY is empty */
	assert_int_equal(p->n_nationalities, 1);
	assert_string_equal(p->nationalities[0], "CD");
	assert_int_equal(p->n_docs, 0);
	assert_int_equal(p->gender, VG_GENDER_MALE);
	assert_int_equal(e->n_addresses, 1);
	assert_string_equal(e->addresses[0], "Rwanda");
	assert_string_equal(
	    e->comments,
	    "He fled to Rwanda in March 2013 and is still living there as "
	    "of early 2016. INTERPOL-UN Security Council Special Notice "
	    "web link:https://www.interpol.int/en/How-we-work/Notices/"
	    "View-UN-Notices-Individuals");
}

/* Original script, good and low aliases, two passports. */
static void un_qdi006(void **state)
{
	const struct vg_wl_entry *e = by_ref(&un, "QDi.006");
	const struct vg_person *p = &e->person;
	(void)state;
	assert_string_equal(e->programs[0], "Al-Qaida");
	assert_int_equal(p->n_names, 17);
	assert_name(&p->names[0], "AIMAN MUHAMMED RABI AL-ZAWAHIRI", NULL, NULL,
	            VG_NAME_PRIMARY);
	assert_name(&p->names[1],
	            "\xd8\xa3\xd9\x8a\xd9\x85\xd9\x86 \xd9\x85\xd8\xad\xd9\x85"
	            "\xd8\xaf \xd8\xb1\xd8\xa8\xd9\x8a\xd8\xb9 \xd8\xa7\xd9\x84"
	            "\xd8\xb8\xd9\x88\xd8\xa7\xd9\x87\xd8\xb1\xd9\x8a",
	            NULL, NULL, VG_NAME_ORIGINAL);
	assert_name(&p->names[2], "Ayman Al-Zawahari", NULL, NULL,
	            VG_NAME_GOOD);
	assert_name(&p->names[15], "Abu Fatma", NULL, NULL, VG_NAME_LOW);
	assert_name(&p->names[16], "Abu Mohammed", NULL, NULL, VG_NAME_LOW);
	assert_int_equal(p->n_dobs, 1);
	assert_dob(&p->dobs[0], VG_DOB_EXACT, 1951, 6, 19, 0);
	assert_int_equal(p->n_places_of_birth, 1);
	assert_string_equal(p->places_of_birth[0], "Giza, Egypt");
	assert_int_equal(p->n_nationalities, 1);
	assert_string_equal(p->nationalities[0], "EG");
	assert_int_equal(p->n_docs, 2);
	assert_string_equal(p->docs[0].type, "P");
	assert_string_equal(p->docs[0].number, "1084010");
	assert_string_equal(p->docs[0].country, "EG");
	assert_string_equal(p->docs[1].type, "P");
	assert_string_equal(p->docs[1].number, "19820215");
	assert_string_equal(p->docs[1].country, "");
	assert_int_equal(e->listed_on.year, 2001);
}

/* Four dates of birth, one a range; three places of birth. */
static void un_tai153(void **state)
{
	const struct vg_person *p = &by_ref(&un, "TAi.153")->person;
	(void)state;
	assert_int_equal(p->n_dobs, 4);
	assert_dob(&p->dobs[0], VG_DOB_EXACT, 1966, 0, 0, 0);
	assert_dob(&p->dobs[1], VG_DOB_EXACT, 1961, 0, 0, 0);
	assert_dob(&p->dobs[2], VG_DOB_BETWEEN, 1968, 0, 0, 1970);
	assert_dob(&p->dobs[3], VG_DOB_EXACT, 1962, 0, 0, 0);
	assert_int_equal(p->n_places_of_birth, 3);
	assert_string_equal(p->places_of_birth[2],
	                    "Chaman, Baluchistan Province, Pakistan");
}

static void un_entity(void **state)
{
	const struct vg_wl_entry *e = by_ref(&un, "QDe.004");
	(void)state;
	assert_int_equal(e->kind, VG_WL_ENTITY);
	assert_int_equal(e->person.kind, VG_PERSON_ENTITY);
	assert_string_equal(e->person.names[0].full, "AL-QAIDA");
	assert_int_equal(e->person.names[1].quality, VG_NAME_ORIGINAL);
	/* the entities' "a.k.a." quality is a good alias */
	assert_int_equal(e->person.names[2].quality, VG_NAME_GOOD);
	assert_string_equal(e->person.names[2].full, "\"The Base\"");
	assert_int_equal(e->person.n_dobs, 0);
}

static void un_refuses_doctype(void **state)
{
	static const char xml[] =
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY a \"aaaaaaaaaa\">"
	    "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n"
	    "<CONSOLIDATED_LIST><INDIVIDUALS/></CONSOLIDATED_LIST>";
	struct vg_watchlist wl = {0};
	char err[256];
	(void)state;
	assert_int_equal(
	    vg_wl_parse_un(xml, sizeof(xml) - 1, &wl, err, sizeof(err)),
	    VG_EINVAL);
	assert_string_equal(err, "a DOCTYPE is not allowed");
	assert_null(wl.entries);
}

static void un_broken(void **state)
{
	static const char bad[] = "<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n"
	                          "</ENTITIES></CONSOLIDATED_LIST>";
	static const char root[] = "<LIST/>";
	static const char noref[] =
	    "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>"
	    "<DATAID>42</DATAID><FIRST_NAME>A</FIRST_NAME>"
	    "</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>";
	static const char noname[] =
	    "<CONSOLIDATED_LIST><ENTITIES><ENTITY>"
	    "<REFERENCE_NUMBER>X.1</REFERENCE_NUMBER><FIRST_NAME> "
	    "</FIRST_NAME></ENTITY></ENTITIES></CONSOLIDATED_LIST>";
	struct vg_watchlist wl = {0};
	char err[256];
	(void)state;
	assert_int_equal(
	    vg_wl_parse_un(bad, sizeof(bad) - 1, &wl, err, sizeof(err)),
	    VG_EINVAL);
	assert_string_equal(err, "line 3: Opening and ending tag mismatch: "
	                         "INDIVIDUALS line 2 and ENTITIES");
	assert_int_equal(
	    vg_wl_parse_un(root, sizeof(root) - 1, &wl, err, sizeof(err)),
	    VG_EINVAL);
	assert_string_equal(err, "the root element is not CONSOLIDATED_LIST");
	assert_int_equal(
	    vg_wl_parse_un(noref, sizeof(noref) - 1, &wl, err, sizeof(err)),
	    VG_EINVAL);
	assert_string_equal(err, "INDIVIDUAL 1 (DATAID 42): no "
	                         "REFERENCE_NUMBER");
	assert_int_equal(
	    vg_wl_parse_un(noname, sizeof(noname) - 1, &wl, err, sizeof(err)),
	    VG_EINVAL);
	assert_string_equal(err, "ENTITY 1 (X.1): no name");
	assert_int_equal(vg_wl_parse_un("", 0, &wl, err, sizeof(err)),
	                 VG_EINVAL);
	assert_null(wl.entries);
}

/* ---- OFAC -------------------------------------------------------------- */

static struct vg_watchlist ofac;

static int ofac_setup(void **state)
{
	struct vg_ofac_input in = {0};
	char err[256] = "";
	(void)state;
	in.sdn = slurp(OFAC_DIR "sdn.csv", &in.sdn_len);
	in.alt = slurp(OFAC_DIR "alt.csv", &in.alt_len);
	in.add = slurp(OFAC_DIR "add.csv", &in.add_len);
	in.comments = slurp(OFAC_DIR "sdn_comments.csv", &in.comments_len);
	int rc = vg_wl_parse_ofac(&in, &ofac, err, sizeof(err));
	free((char *)in.sdn);
	free((char *)in.alt);
	free((char *)in.add);
	free((char *)in.comments);
	if (rc)
		fprintf(stderr, "ofac: %s\n", err);
	return rc;
}

static int ofac_teardown(void **state)
{
	(void)state;
	vg_watchlist_release(&ofac);
	return 0;
}

/* Expected numbers from tests/unit/data/wl_counts.py (Python's csv module
 * and the Remarks rules of docs/watchlists.md, written apart from the C
 * code; its per-entry dump matched the parser entry by entry). alt.csv
 * has 11,910 rows, all with a name: 11,910 good aliases; the 2,441 low
 * ones are the a.k.a./f.k.a. quotes in Remarks. */
static void ofac_counts(void **state)
{
	struct counts c;
	(void)state;
	assert_int_equal(ofac.n_entries, 8976);
	assert_int_equal(ofac.n_individuals, 4620);
	assert_int_equal(ofac.n_entities, 3673);
	assert_int_equal(ofac.n_vessels, 406);
	assert_int_equal(ofac.n_aircraft, 277);
	count(&ofac, &c);
	assert_int_equal(c.names[VG_NAME_PRIMARY], 8976);
	assert_int_equal(c.names[VG_NAME_GOOD], 11910);
	assert_int_equal(c.names[VG_NAME_LOW], 2441);
	assert_int_equal(c.names[VG_NAME_ORIGINAL], 0);
	assert_int_equal(c.dobs[VG_DOB_EXACT], 4934);
	assert_int_equal(c.dobs[VG_DOB_APPROX], 77);
	assert_int_equal(c.dobs[VG_DOB_BETWEEN], 113);
	assert_int_equal(c.docs, 3086);
	assert_int_equal(c.pobs, 3073);
	assert_int_equal(c.nats, 2693);
	assert_int_equal(c.male, 1384);
	assert_int_equal(c.female, 129);
	/* add.csv: 13,837 rows, 2,397 of them with address, city and
	 * country all -0- */
	assert_int_equal(c.addrs, 13837 - 2397);
	assert_string_equal(ofac.entries[0].ref, "36");
	assert_string_equal(ofac.entries[0].list, "ofac");
}

/* A DOB range beside an exact DOB, a passport and an ID number in the
 * Remarks, aliases from alt.csv and weak ones from Remarks. */
static void ofac_21727(void **state)
{
	const struct vg_wl_entry *e = by_ref(&ofac, "21727");
	const struct vg_person *p = &e->person;
	(void)state;
	assert_int_equal(e->kind, VG_WL_INDIVIDUAL);
	assert_int_equal(e->n_programs, 1);
	assert_string_equal(e->programs[0], "SDGT");
	assert_int_equal(p->n_names, 7);
	assert_name(&p->names[0], "JEDI, Muhammad Wanndy Bin Mohamed", "JEDI",
	            "Muhammad Wanndy Bin Mohamed", VG_NAME_PRIMARY);
	assert_name(&p->names[4], "WANNDY, Muhamad", "WANNDY", "Muhamad",
	            VG_NAME_GOOD);
	assert_name(&p->names[5], "AL-FATEH, Abu Hamzah", "AL-FATEH",
	            "Abu Hamzah", VG_NAME_LOW);
	assert_int_equal(p->n_dobs, 2);
	assert_dob(&p->dobs[0], VG_DOB_EXACT, 1990, 11, 16, 0);
	assert_dob(&p->dobs[1], VG_DOB_BETWEEN, 1989, 0, 0, 1991);
	assert_int_equal(p->n_places_of_birth, 1);
	assert_string_equal(p->places_of_birth[0],
	                    "Durian Tunggal, Malacca, Malaysia");
	assert_int_equal(p->n_nationalities, 1);
	assert_string_equal(p->nationalities[0], "MY");
	assert_int_equal(p->gender, VG_GENDER_MALE);
	assert_int_equal(p->n_docs, 2);
	assert_string_equal(p->docs[0].type, "P");
	assert_string_equal(p->docs[0].number, "A33373751");
	assert_string_equal(p->docs[0].country, "MY");
	assert_string_equal(p->docs[1].type, "I");
	assert_string_equal(p->docs[1].number, "90116-04-5293");
	assert_string_equal(p->docs[1].country, "");
	assert_int_equal(e->n_addresses, 1);
	assert_string_equal(e->addresses[0], "Syria");
}

/* "DOB circa 1970" and a passport with its expiry. */
static void ofac_9330(void **state)
{
	const struct vg_person *p = &by_ref(&ofac, "9330")->person;
	(void)state;
	assert_int_equal(p->n_dobs, 1);
	assert_dob(&p->dobs[0], VG_DOB_APPROX, 1970, 0, 0, 0);
	assert_int_equal(p->n_docs, 1);
	assert_string_equal(p->docs[0].number, "2863795S");
	assert_string_equal(p->docs[0].country, "IQ");
	assert_int_equal(p->docs[0].expiry.year, 2005);
	assert_int_equal(p->docs[0].expiry.month, 8);
	assert_int_equal(p->docs[0].expiry.day, 23);
}

/* Remarks cut at the sdn.csv limit go on in sdn_comments.csv mid-word:
 * the identification number is only in the continuation. */
static void ofac_comments_continue(void **state)
{
	const struct vg_wl_entry *e = by_ref(&ofac, "28264");
	(void)state;
	assert_int_equal(e->n_programs, 2);
	assert_string_equal(e->programs[0], "DPRK3");
	assert_string_equal(e->programs[1], "CYBER2");
	assert_int_equal(e->person.n_docs, 1);
	assert_string_equal(e->person.docs[0].number, "210302198701102136");
	assert_string_equal(e->person.docs[0].country, "CN");
	assert_non_null(strstr(e->comments, "; Phone Number 8613314257947;"));
}

static void ofac_vessel(void **state)
{
	size_t v = 0;
	(void)state;
	for (size_t i = 0; i < ofac.n_entries; i++) {
		if (ofac.entries[i].kind == VG_WL_VESSEL) {
			assert_int_equal(ofac.entries[i].person.kind,
			                 VG_PERSON_ENTITY);
			v++;
		}
	}
	assert_int_equal(v, 406);
}

static int parse_sdn(const char *sdn, const char *alt, struct vg_watchlist *wl,
                     char *err, size_t errlen)
{
	struct vg_ofac_input in = {.sdn = sdn, .sdn_len = strlen(sdn)};
	if (alt) {
		in.alt = alt;
		in.alt_len = strlen(alt);
	}
	return vg_wl_parse_ofac(&in, wl, err, errlen);
}

/* The forms of the brief and their neighbours, one entry. */
static void ofac_remarks_forms(void **state)
{
	static const char sdn[] =
	    "1,\"DOE, John\",\"individual\",\"SDGT] [IFSR\",-0- ,-0- ,"
	    "-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 01 Jan 1960; alt. DOB 1962; "
	    "alt. DOB circa 1958; alt. DOB 1960 to 1962; alt. DOB Mar 1962 "
	    "to Feb 1963; alt. DOB circa 1979-1982; alt. DOB 31 Feb 1960; "
	    "POB Baghdad, Iraq; nationality Iraq; citizen Iraq; "
	    "alt. nationality Narnia; Passport A1234567 (Iraq); "
	    "alt. Passport B7654321 (Iraq) issued 01 Jan 2001 expires 31 "
	    "Dec 2011; National ID No. 12345 (Jordan); Cedula No. 99 "
	    "(Colombia); Tax ID No. 555 (Iraq); Gender Female; a.k.a. "
	    "'ABU JOHN'; f.k.a. 'DOE, Johnny'.\"\r\n";
	struct vg_watchlist wl;
	char err[256];
	(void)state;
	assert_int_equal(parse_sdn(sdn, NULL, &wl, err, sizeof(err)), VG_OK);
	assert_int_equal(wl.n_entries, 1);
	const struct vg_person *p = &wl.entries[0].person;
	assert_int_equal(wl.entries[0].n_programs, 2);
	assert_string_equal(wl.entries[0].programs[1], "IFSR");
	assert_int_equal(p->n_dobs, 6); /* 31 Feb is no date: skipped */
	assert_dob(&p->dobs[0], VG_DOB_EXACT, 1960, 1, 1, 0);
	assert_dob(&p->dobs[1], VG_DOB_EXACT, 1962, 0, 0, 0);
	assert_dob(&p->dobs[2], VG_DOB_APPROX, 1958, 0, 0, 0);
	assert_dob(&p->dobs[3], VG_DOB_BETWEEN, 1960, 0, 0, 1962);
	assert_dob(&p->dobs[4], VG_DOB_BETWEEN, 1962, 3, 0, 1963);
	assert_int_equal(p->dobs[4].to.month, 2);
	assert_dob(&p->dobs[5], VG_DOB_BETWEEN, 1979, 0, 0, 1982);
	assert_int_equal(p->n_places_of_birth, 1);
	assert_string_equal(p->places_of_birth[0], "Baghdad, Iraq");
	assert_int_equal(p->n_nationalities, 2);
	assert_string_equal(p->nationalities[0], "IQ");
	assert_string_equal(p->nationalities[1], "Narnia"); /* raw text */
	assert_int_equal(p->n_docs, 4);
	assert_string_equal(p->docs[0].number, "A1234567");
	assert_string_equal(p->docs[0].country, "IQ");
	assert_string_equal(p->docs[1].number, "B7654321");
	assert_int_equal(p->docs[1].expiry.year, 2011);
	assert_int_equal(p->docs[1].expiry.month, 12);
	assert_string_equal(p->docs[2].type, "I");
	assert_string_equal(p->docs[2].country, "JO");
	assert_string_equal(p->docs[3].number, "99");
	assert_int_equal(p->gender, VG_GENDER_FEMALE);
	assert_int_equal(p->n_names, 3);
	assert_name(&p->names[1], "ABU JOHN", NULL, NULL, VG_NAME_LOW);
	assert_name(&p->names[2], "DOE, Johnny", "DOE", "Johnny", VG_NAME_LOW);
	vg_watchlist_release(&wl);
}

static void ofac_errors(void **state)
{
	static const char sdn[] = "10,\"A\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
	                          "-0- ,-0- ,-0- ,-0- \n"
	                          "11,\"B\",-0- ,-0- ,-0- \n";
	static const char ok[] = "10,\"A\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
	                         "-0- ,-0- ,-0- ,-0- \n";
	static const char dup[] = "10,\"A\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
	                          "-0- ,-0- ,-0- ,-0- \n"
	                          "10,\"B\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
	                          "-0- ,-0- ,-0- ,-0- \n";
	static const char type[] = "10,\"A\",\"ship\",-0- ,-0- ,-0- ,-0- ,"
	                           "-0- ,-0- ,-0- ,-0- ,-0- \n";
	static const char alt[] = "10,1,\"aka\",\"AA\",-0- \n"
	                          "999,2,\"aka\",\"ZZ\",-0- \n";
	struct vg_watchlist wl = {0};
	char err[256];
	(void)state;
	assert_int_equal(parse_sdn(sdn, NULL, &wl, err, sizeof(err)),
	                 VG_EINVAL);
	assert_string_equal(err, "sdn.csv line 2: 5 fields, expected 12");
	assert_int_equal(parse_sdn(ok, alt, &wl, err, sizeof(err)), VG_EINVAL);
	assert_string_equal(err, "alt.csv line 2: ent_num 999 is not in "
	                         "sdn.csv");
	assert_int_equal(parse_sdn(dup, NULL, &wl, err, sizeof(err)),
	                 VG_EINVAL);
	assert_string_equal(err, "sdn.csv: ent_num 10 appears twice");
	assert_int_equal(parse_sdn(type, NULL, &wl, err, sizeof(err)),
	                 VG_EINVAL);
	assert_string_equal(err, "sdn.csv line 1: SDN_Type 'ship' is not "
	                         "individual, vessel, aircraft or -0-");
	assert_null(wl.entries);
	/* ISO 8859-1 bytes are read as such */
	static const char latin1[] = "12,\"P\xc9REZ, Jos\xe9\",\"individual\","
	                             "-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
	                             "-0- ,-0- \n";
	assert_int_equal(parse_sdn(latin1, NULL, &wl, err, sizeof(err)), VG_OK);
	assert_string_equal(wl.entries[0].person.names[0].full,
	                    "P\xc3\x89REZ, Jos\xc3\xa9");
	vg_watchlist_release(&wl);
}

int main(void)
{
	const struct CMUnitTest un_tests[] = {
	    cmocka_unit_test(un_counts), cmocka_unit_test(un_first_individual),
	    cmocka_unit_test(un_qdi006), cmocka_unit_test(un_tai153),
	    cmocka_unit_test(un_entity),
	};
	const struct CMUnitTest ofac_tests[] = {
	    cmocka_unit_test(ofac_counts),
	    cmocka_unit_test(ofac_21727),
	    cmocka_unit_test(ofac_9330),
	    cmocka_unit_test(ofac_comments_continue),
	    cmocka_unit_test(ofac_vessel),
	};
	const struct CMUnitTest small[] = {
	    cmocka_unit_test(un_refuses_doctype),
	    cmocka_unit_test(un_broken),
	    cmocka_unit_test(ofac_remarks_forms),
	    cmocka_unit_test(ofac_errors),
	};
	int fails =
	    cmocka_run_group_tests_name("un", un_tests, un_setup, un_teardown);
	fails += cmocka_run_group_tests_name("ofac", ofac_tests, ofac_setup,
	                                     ofac_teardown);
	fails += cmocka_run_group_tests_name("small", small, NULL, NULL);
	return fails ? 1 : 0;
}
