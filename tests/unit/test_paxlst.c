/* Unit tests of the PAXLST parser: messages written from the guide in
 * tests/unit/data/paxlst/ and inline, with exact records and exact error
 * texts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vigil/util/error.h"
#include "vigil/travel/paxlst.h"

#define DATA VG_TEST_DIR "/unit/data/paxlst/"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	long n = ftell(f);
	rewind(f);
	char *b = malloc((size_t)n + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return b;
}

static int parse_file(const char *name, struct vg_paxlst *px, char *err,
                      size_t errlen)
{
	char path[512];
	size_t len;
	snprintf(path, sizeof(path), DATA "%s", name);
	char *buf = slurp(path, &len);
	int rc = vg_paxlst_parse(buf, len, px, err, errlen);
	free(buf);
	return rc;
}

static void expect_file_error(const char *name, const char *want)
{
	struct vg_paxlst px = {0};
	char err[512] = "";
	assert_int_equal(parse_file(name, &px, err, sizeof(err)), VG_EINVAL);
	assert_string_equal(err, want);
	assert_null(px.msgs); /* untouched */
}

static void expect_error(const char *edi, const char *want)
{
	struct vg_paxlst px = {0};
	char err[512] = "";
	assert_int_equal(
	    vg_paxlst_parse(edi, strlen(edi), &px, err, sizeof(err)),
	    VG_EINVAL);
	assert_string_equal(err, want);
	assert_null(px.msgs);
}

static void assert_time(const struct vg_pax_time *t, int y, int mo, int d,
                        int h, int mi)
{
	assert_int_equal(t->year, y);
	assert_int_equal(t->month, mo);
	assert_int_equal(t->day, d);
	assert_int_equal(t->hour, h);
	assert_int_equal(t->minute, mi);
}

static void assert_pdate(const struct vg_pdate *d, int y, int m, int dd)
{
	assert_int_equal(d->year, y);
	assert_int_equal(d->month, m);
	assert_int_equal(d->day, dd);
}

static void assert_str_or_null(const char *got, const char *want)
{
	if (want)
		assert_string_equal(got, want);
	else
		assert_null(got);
}

static void assert_name(const struct vg_traveller *t, const char *full,
                        const char *sur, const char *given)
{
	assert_int_equal(t->person.n_names, 1);
	assert_string_equal(t->person.names[0].full, full);
	assert_string_equal(t->person.names[0].surname, sur);
	assert_str_or_null(t->person.names[0].given, given);
	assert_int_equal(t->person.names[0].quality, VG_NAME_PRIMARY);
}

static void assert_doc(const struct vg_document *d, const char *type,
                       const char *num, const char *ctry, int y, int m, int dd)
{
	assert_string_equal(d->type, type);
	assert_string_equal(d->number, num);
	assert_string_equal(d->country, ctry);
	assert_pdate(&d->expiry, y, m, dd);
}

/* ---- files ------------------------------------------------------------ */

static void passengers(void **state)
{
	struct vg_paxlst px;
	char err[512] = "";
	(void)state;
	assert_int_equal(parse_file("passengers.edi", &px, err, sizeof(err)),
	                 VG_OK);
	assert_string_equal(px.syntax, "UNOA");
	assert_string_equal(px.sender, "AIRLINE1");
	assert_string_equal(px.recipient, "NATAPI");
	assert_string_equal(px.control_ref, "000000001");
	assert_time(&px.prepared, 2026, 2, 27, 10, 30);
	assert_int_equal(px.comp, ':');
	assert_int_equal(px.term, '\'');
	assert_int_equal(px.n_msgs, 1);
	const struct vg_paxlst_msg *m = &px.msgs[0];
	assert_string_equal(m->ref, "MSG001");
	assert_string_equal(m->version, "02B");
	assert_int_equal(m->doc_code, 745);
	assert_string_equal(m->reporting_party, "OPS CONTROL AB");
	assert_string_equal(m->contact, "44 20 5550 0100");
	assert_int_equal(m->n_passengers, 2);
	assert_int_equal(m->n_crew, 0);
	assert_int_equal(m->n_flights, 1);
	assert_string_equal(m->flights[0].ident, "AB123");
	assert_string_equal(m->flights[0].carrier, "AB");
	assert_string_equal(m->flights[0].number, "AB123");
	assert_int_equal(m->flights[0].n_legs, 1);
	const struct vg_pax_leg *l = &m->flights[0].legs[0];
	assert_string_equal(l->dep_airport, "LHR");
	assert_time(&l->dep_time, 2026, 2, 27, 14, 0);
	assert_string_equal(l->arr_airport, "JFK");
	assert_time(&l->arr_time, 2026, 2, 27, 17, 0);

	assert_int_equal(m->list.n_errors, 0);
	assert_int_equal(m->list.n_travellers, 2);
	const struct vg_traveller *t = &m->list.travellers[0];
	assert_name(t, "JOHN PAUL DOE", "DOE", "JOHN PAUL");
	assert_int_equal(t->role, VG_ROLE_PASSENGER);
	assert_int_equal(t->line, 10); /* NAD+FL is segment 10 from UNH */
	assert_int_equal(t->person.gender, VG_GENDER_MALE);
	assert_int_equal(t->person.n_dobs, 1);
	assert_int_equal(t->person.dobs[0].kind, VG_DOB_EXACT);
	assert_pdate(&t->person.dobs[0].from, 1985, 4, 12);
	assert_int_equal(t->person.n_nationalities, 1);
	assert_string_equal(t->person.nationalities[0], "GB");
	assert_int_equal(t->person.n_places_of_birth, 1);
	assert_string_equal(t->person.places_of_birth[0], "LONDON, GBR");
	assert_int_equal(t->person.n_docs, 1);
	assert_doc(&t->person.docs[0], "P", "123456789", "GB", 2031, 1, 15);
	assert_string_equal(t->flight, "AB123");
	assert_pdate(&t->date, 2026, 2, 27);
	assert_string_equal(t->seat, "12A");
	assert_string_equal(t->booking_ref, "QX7R2P");
	assert_string_equal(t->embark, "LHR");
	assert_string_equal(t->debark, "JFK");
	assert_string_equal(t->residence, "GB");
	assert_int_equal(t->n_errors, 0);

	t = &m->list.travellers[1];
	assert_name(t, "ANNE MARTIN", "MARTIN", "ANNE");
	assert_int_equal(t->line, 23);
	assert_int_equal(t->person.gender, VG_GENDER_FEMALE);
	/* 010203 in a 2026 message: 2001, not 1901 */
	assert_pdate(&t->person.dobs[0].from, 2001, 2, 3);
	assert_string_equal(t->person.nationalities[0], "FR");
	assert_int_equal(t->person.n_docs, 2);
	assert_doc(&t->person.docs[0], "P", "18AB12345", "FR", 2030, 6, 1);
	assert_doc(&t->person.docs[1], "V", "V998877", "US", 0, 0, 0);
	assert_string_equal(t->seat, "12B");
	assert_null(t->booking_ref);
	assert_null(t->embark);
	assert_string_equal(t->residence, "");
	vg_paxlst_release(&px);
	assert_null(px.msgs);
}

/* D05B crew list, the release character on ' + : and itself, formats
 * 203 and 102, a flight number without its carrier. */
static void crew(void **state)
{
	struct vg_paxlst px;
	char err[512] = "";
	(void)state;
	assert_int_equal(parse_file("crew.edi", &px, err, sizeof(err)), VG_OK);
	const struct vg_paxlst_msg *m = &px.msgs[0];
	assert_string_equal(m->version, "05B");
	assert_int_equal(m->doc_code, 250);
	assert_int_equal(m->n_crew, 2);
	assert_int_equal(m->n_passengers, 0);
	assert_string_equal(m->flights[0].ident, "123");
	assert_string_equal(m->flights[0].number, "AB123");
	assert_time(&m->flights[0].legs[0].dep_time, 2026, 2, 27, 10, 0);
	assert_int_equal(m->list.n_travellers, 2);
	const struct vg_traveller *t = &m->list.travellers[0];
	assert_name(t, "MARY ANN O'NEIL", "O'NEIL", "MARY ANN");
	assert_int_equal(t->role, VG_ROLE_CREW);
	assert_pdate(&t->person.dobs[0].from, 1970, 1, 2);
	assert_string_equal(t->person.nationalities[0], "IE");
	assert_doc(&t->person.docs[0], "I", "C4+9:7?1", "", 0, 0, 0);
	assert_string_equal(t->flight, "AB123");
	t = &m->list.travellers[1];
	assert_name(t, "PETER SMITH+JONES", "SMITH+JONES", "PETER");
	assert_int_equal(t->role, VG_ROLE_TRANSIT_CREW);
	/* 751224 would be 2075: in the future, so 1975 */
	assert_pdate(&t->person.dobs[0].from, 1975, 12, 24);
	assert_string_equal(t->person.nationalities[0], "DE"); /* ICAO "D" */
	vg_paxlst_release(&px);
}

/* UNA>*,! " : every separator changed, the release character '!'. */
static void custom_una(void **state)
{
	struct vg_paxlst px;
	char err[512] = "";
	(void)state;
	assert_int_equal(parse_file("custom_una.edi", &px, err, sizeof(err)),
	                 VG_OK);
	assert_int_equal(px.comp, '>');
	assert_int_equal(px.elem, '*');
	assert_int_equal(px.dec, ',');
	assert_int_equal(px.rel, '!');
	assert_int_equal(px.term, '"');
	const struct vg_paxlst_msg *m = &px.msgs[0];
	assert_string_equal(m->ref, "M7");
	const struct vg_traveller *t = &m->list.travellers[0];
	assert_name(t, "ROSA MARIA D\"ANGELO", "D\"ANGELO", "ROSA MARIA");
	/* 29 Feb: 2060 is in the future, 1960 was a leap year */
	assert_pdate(&t->person.dobs[0].from, 1960, 2, 29);
	assert_doc(&t->person.docs[0], "P", "YA*12>34", "IT", 2029, 1, 1);
	assert_int_equal(m->list.n_errors, 0);
	vg_paxlst_release(&px);
}

static void two_legs(void **state)
{
	struct vg_paxlst px;
	char err[512] = "";
	(void)state;
	assert_int_equal(parse_file("two_legs.edi", &px, err, sizeof(err)),
	                 VG_OK);
	const struct vg_paxlst_msg *m = &px.msgs[0];
	assert_int_equal(m->n_flights, 2);
	const struct vg_pax_flight *f = &m->flights[0];
	assert_string_equal(f->number, "CD456");
	assert_int_equal(f->n_legs, 2);
	assert_string_equal(f->legs[0].dep_airport, "SIN");
	assert_time(&f->legs[0].dep_time, 2026, 3, 15, 23, 0);
	assert_string_equal(f->legs[0].arr_airport, "DXB");
	assert_time(&f->legs[0].arr_time, 2026, 3, 16, 3, 30);
	assert_string_equal(f->legs[1].dep_airport, "DXB");
	assert_string_equal(f->legs[1].arr_airport, "FRA");
	assert_time(&f->legs[1].arr_time, 2026, 3, 16, 10, 0);
	f = &m->flights[1];
	assert_string_equal(f->number, "CD457");
	assert_int_equal(f->n_legs, 1);
	assert_string_equal(f->legs[0].dep_airport, "FRA");
	assert_string_equal(f->legs[0].arr_airport, "OSL");
	assert_int_equal(m->list.n_travellers, 2);
	/* travellers take the first flight and its first departure */
	assert_string_equal(m->list.travellers[0].flight, "CD456");
	assert_pdate(&m->list.travellers[0].date, 2026, 3, 15);
	assert_int_equal(m->list.travellers[1].role, VG_ROLE_TRANSIT_PASSENGER);
	assert_int_equal(m->n_passengers, 2);
	vg_paxlst_release(&px);
}

static void wrong_cnt(void **state)
{
	(void)state;
	expect_file_error("wrong_cnt.edi",
	                  "message 'MSG004', segment 12 'CNT', element 1, "
	                  "component 2: passenger count 3 but the message "
	                  "holds 2 passengers (NAD+FL/DDT)");
}

static void truncated(void **state)
{
	(void)state;
	expect_file_error("truncated.edi",
	                  "message 'MSG005': truncated: the input ends after "
	                  "segment 10 'NAT' without UNT");
}

static void out_of_order(void **state)
{
	(void)state;
	expect_file_error("out_of_order.edi",
	                  "message 'MSG006', segment 8 'DOC': out of order "
	                  "after segment 7 'DTM'");
}

/* Bad values are errors of their traveller; the others are untouched. */
static void bad_values(void **state)
{
	struct vg_paxlst px;
	char err[512] = "";
	(void)state;
	assert_int_equal(parse_file("bad_values.edi", &px, err, sizeof(err)),
	                 VG_OK);
	const struct vg_paxlst_msg *m = &px.msgs[0];
	static const char *const want[] = {
	    "message 'MSG001', segment 9 'ATT', element 3, component 1: "
	    "gender 'Q' is not M, F, U or X",
	    "message 'MSG001', segment 10 'DTM', element 1, component 2: "
	    "date of birth '990231' is not a date",
	    "message 'MSG001', segment 11 'NAT', element 2, component 1: "
	    "nationality 'XYZ' is not an ISO 3166 alpha-3 code",
	    "message 'MSG001', segment 13 'DTM', element 1, component 2: "
	    "expiry date '301340' is not a date",
	    "message 'MSG001', segment 15 'NAD', element 4, component 1: "
	    "traveller has no surname",
	};
	assert_int_equal(m->list.n_errors, 5);
	for (size_t i = 0; i < 5; i++) {
		assert_string_equal(m->list.errors[i].msg, want[i]);
		assert_int_equal(m->list.errors[i].traveller,
		                 i < 4 ? 0 : VG_TRAVEL_NO_RECORD);
	}
	/* the bad traveller is kept without the bad values, flagged; the one
	 * without a surname is dropped but counted for CNT */
	assert_int_equal(m->n_passengers, 3);
	assert_int_equal(m->list.n_travellers, 2);
	const struct vg_traveller *t = &m->list.travellers[0];
	assert_name(t, "LUIS GARCIA", "GARCIA", "LUIS");
	assert_int_equal(t->n_errors, 4);
	assert_int_equal(t->person.gender, VG_GENDER_UNKNOWN);
	assert_int_equal(t->person.n_dobs, 0);
	assert_int_equal(t->person.n_nationalities, 0);
	assert_doc(&t->person.docs[0], "P", "X1234567", "ES", 0, 0, 0);
	t = &m->list.travellers[1];
	assert_name(t, "ANA LOPEZ", "LOPEZ", "ANA");
	assert_int_equal(t->n_errors, 0);
	assert_pdate(&t->person.dobs[0].from, 1988, 8, 8);
	assert_string_equal(t->person.nationalities[0], "ES");
	vg_paxlst_release(&px);
}

/* ---- inline messages -------------------------------------------------- */

/* UNH..DTM+232: message segments 1-7 */
#define HEAD                                                                   \
	"UNB+UNOA:4+S+R+260227:1030+IC1'"                                      \
	"UNH+M1+PAXLST:D:02B:UN:IATA'BGM+745'TDT+20+AB1+++AB'"                 \
	"LOC+125+LHR'DTM+189:2602271400:201'LOC+87+JFK'"                       \
	"DTM+232:2602271700:201'"
#define TAIL(cnt, unt) "CNT+42:" cnt "'UNT+" unt "+M1'UNZ+1+IC1'"

static const struct vg_paxlst_msg *one(const char *edi, struct vg_paxlst *px)
{
	char err[512] = "";
	int rc = vg_paxlst_parse(edi, strlen(edi), px, err, sizeof(err));
	if (rc)
		fail_msg("%s", err);
	assert_int_equal(px->n_msgs, 1);
	return &px->msgs[0];
}

/* The century of a date of birth: not after the UNB date (2026-02-27). */
static void century(void **state)
{
	struct vg_paxlst px;
	(void)state;
	const struct vg_paxlst_msg *m =
	    one(HEAD "NAD+FL+++A:B'DTM+329:260227'"
	             "NAD+FL+++C:D'DTM+329:260228'"
	             "NAD+FL+++E:F'DTM+329:19991231:102'" TAIL("3", "15"),
	        &px);
	assert_pdate(&m->list.travellers[0].person.dobs[0].from, 2026, 2, 27);
	assert_pdate(&m->list.travellers[1].person.dobs[0].from, 1926, 2, 28);
	assert_pdate(&m->list.travellers[2].person.dobs[0].from, 1999, 12, 31);
	vg_paxlst_release(&px);
}

/* Wrapped lines, a UNOC (ISO 8859-1) name, two messages. */
static void wrapped_latin1_two_messages(void **state)
{
	static const char edi[] =
	    "UNB+UNOC:3+S+R+260227:1030+IC9'\r\n"
	    "UNH+A+PAXLST:D:02B:UN:IATA'BGM+745'TDT+20+AB1'LOC+125+LHR'\n"
	    "NAD+FL+++M\xdcL\nLER:J\xd6RG'CNT+42:1'UNT+7+A'\n"
	    "UNH+B+PAXLST:D:05B:UN:IATA'BGM+250'TDT+20+AB1'LOC+87+JFK'"
	    "NAD+FM+++LEE:AL'CNT+41:1'UNT+7+B'UNZ+2+IC9'";
	struct vg_paxlst px;
	char err[512] = "";
	(void)state;
	assert_int_equal(
	    vg_paxlst_parse(edi, sizeof(edi) - 1, &px, err, sizeof(err)),
	    VG_OK);
	assert_int_equal(px.n_msgs, 2);
	assert_name(&px.msgs[0].list.travellers[0], "J\xc3\x96RG M\xc3\x9cLLER",
	            "M\xc3\x9cLLER", "J\xc3\x96RG");
	assert_int_equal(px.msgs[1].list.travellers[0].role, VG_ROLE_CREW);
	assert_null(px.msgs[1].flights[0].legs[0].dep_airport);
	assert_string_equal(px.msgs[1].flights[0].legs[0].arr_airport, "JFK");
	vg_paxlst_release(&px);
}

static void unt_errors(void **state)
{
	(void)state;
	expect_error(HEAD "NAD+FL+++A:B'CNT+42:1'UNT+9+M1'UNZ+1+IC1'",
	             "message 'M1', segment 10 'UNT', element 1: segment "
	             "count 9 but the message has 10 segments");
	expect_error(HEAD "NAD+FL+++A:B'CNT+42:1'UNT+10+M2'UNZ+1+IC1'",
	             "message 'M1', segment 10 'UNT', element 2: message "
	             "reference 'M2' does not match UNH 'M1'");
	expect_error(HEAD "NAD+FL+++A:B'UNT+9+M1'UNZ+1+IC1'",
	             "message 'M1', segment 9 'UNT': the message has no CNT "
	             "before UNT");
	expect_error(HEAD "NAD+FL+++A:B'CNT+41:1'UNT+10+M1'UNZ+1+IC1'",
	             "message 'M1', segment 9 'CNT', element 1, component 2: "
	             "crew count 1 but the message holds 0 crew members "
	             "(NAD+FM/DDU)");
	expect_error(HEAD "NAD+FL+++A:B'CNT+42:x'UNT+10+M1'UNZ+1+IC1'",
	             "message 'M1', segment 9 'CNT', element 1, component 2: "
	             "count 'x' is not a number");
}

static void envelope_errors(void **state)
{
	(void)state;
	expect_error(HEAD "NAD+FL+++A:B'CNT+42:1'UNT+10+M1'UNZ+2+IC1'",
	             "interchange, segment 12 'UNZ', element 1: message "
	             "count 2 but there is 1");
	expect_error(HEAD "NAD+FL+++A:B'CNT+42:1'UNT+10+M1'UNZ+1+IC2'",
	             "interchange, segment 12 'UNZ', element 2: reference "
	             "'IC2' does not match UNB 'IC1'");
	expect_error(HEAD "NAD+FL+++A:B'CNT+42:1'UNT+10+M1'",
	             "interchange: truncated: the input ends without UNZ");
	expect_error(HEAD "NAD+FL+++A:B'CNT+42:1'UNT+10+M1'UNZ+1+IC1'UNB'",
	             "interchange, segment 13 'UNB': segment after UNZ");
	expect_error("UNH+M1+PAXLST:D:02B:UN:IATA'",
	             "interchange, segment 1 'UNH': the interchange must "
	             "begin with UNB");
	expect_error("", "interchange: the input holds no segments");
	expect_error("UNA:+.", "interchange: UNA: truncated: it needs six "
	                       "characters");
	expect_error("UNA::.? 'UNB'", "interchange: UNA: separator ':' is "
	                              "used twice");
	expect_error("UNB+UNOK:4+S+R+260227:1030+IC1'",
	             "interchange, segment 1 'UNB', element 1, component 1: "
	             "syntax identifier 'UNOK' is not UNOA, UNOB, UNOC or "
	             "UNOY");
	expect_error("UNB+UNOA:4+S+R+261327:1030+IC1'",
	             "interchange, segment 1 'UNB', element 4: date and time "
	             "of preparation '261327:1030' is not a date "
	             "(YYMMDD:HHMM)");
	expect_error("UNB+UNOA:4+S+R+260227:1030+G'UNG+PAXLST+S+R+260227:1030"
	             "+G1+UN+D:02B'UNE+1+G1'UNZ+1+G'",
	             "interchange, segment 3 'UNE', element 1: message count "
	             "1 but there are 0");
}

static void structure_errors(void **state)
{
	(void)state;
	expect_error("UNB+UNOA:4+S+R+260227:1030+IC1'UNH+M1+PAXLST:D:02B:UN'"
	             "TDT+20+AB1'",
	             "message 'M1', segment 2 'TDT': out of order after "
	             "segment 1 'UNH'");
	expect_error("UNB+UNOA:4+S+R+260227:1030+IC1'UNH++PAXLST:D:02B:UN'",
	             "message '', segment 1 'UNH', element 1, component 1: no "
	             "message reference");
	expect_error("UNB+UNOA:4+S+R+260227:1030+IC1'UNH+\xff+PAXLST:D:02B'",
	             "message '', segment 1 'UNH', element 1, component 1: "
	             "message reference is not valid UTF-8");
	expect_error("UNB+UNOA:4+S+R+260227:1030+IC1'UNH+M1+CUSRES:D:02B:UN'",
	             "message 'M1', segment 1 'UNH', element 2: message type "
	             "'CUSRES:D:02B' is not PAXLST:D:02B or PAXLST:D:05B");
	expect_error("UNB+UNOA:4+S+R+260227:1030+IC1'UNH+M1+PAXLST:D:02B:UN'"
	             "BGM+999'",
	             "message 'M1', segment 2 'BGM', element 1, component 1: "
	             "document code '999' is not 745 (passengers) or 250 "
	             "(crew)");
	expect_error(HEAD "NAD+XX+++A:B'",
	             "message 'M1', segment 8 'NAD', element 1, component 1: "
	             "party qualifier 'XX' is not MS, FL, FM, DDT or DDU");
	expect_error(HEAD "NAD+FL+++A:B'FOO+1'",
	             "message 'M1', segment 9 'FOO': unknown segment");
	expect_error(HEAD "NAD+FL+++A:B'NAT+2+FRA'ATT+2++M'",
	             "message 'M1', segment 10 'ATT': out of order after "
	             "segment 9 'NAT'");
	expect_error(HEAD "NAD+FL+++A:B'DOC+P+1'NAT+2+FRA'",
	             "message 'M1', segment 10 'NAT': out of order after "
	             "segment 9 'DOC'");
	expect_error(HEAD "NAD+FL+++A:B'TDT+20+AB2'",
	             "message 'M1', segment 9 'TDT': out of order after "
	             "segment 8 'NAD'");
	expect_error(HEAD "NAD+MS+++X'",
	             "message 'M1', segment 8 'NAD': out of order after "
	             "segment 7 'DTM'");
	expect_error(HEAD "NAD+FL+++A:B'UNZ+1+IC1'",
	             "message 'M1', segment 9 'UNZ': truncated: 'UNZ' before "
	             "the UNT of the message");
	expect_error(HEAD "NAD+FL+++A:B'DTM+329:8001",
	             "message 'M1', segment 9: truncated: no segment "
	             "terminator before the end of the input");
	expect_error(HEAD "NAD+FL+++A:B?",
	             "message 'M1', segment 8: truncated: release character "
	             "at the end of the input");
	expect_error(HEAD "NAD+FL+++A\x01:B'",
	             "message 'M1', segment 8: control character 0x01");
	expect_error(HEAD "nad+FL'", "message 'M1', segment 8: 'nad' is not "
	                             "a segment tag");
	expect_error(HEAD "DTM+189:2602301400:201'",
	             "message 'M1', segment 8 'DTM', element 1, component 2: "
	             "departure time '2602301400' is not a date");
}

/* More traveller errors: each stays with its traveller. */
static void traveller_errors(void **state)
{
	struct vg_paxlst px;
	(void)state;
	const struct vg_paxlst_msg *m =
	    one(HEAD "NAD+FL+++A:B'DTM+329:8001011200:201'LOC+174+ZZZ'"
	             "DOC+P'DTM+36:301301'LOC+91+QQQ'"
	             "DOC+PASSPORT+9'"
	             "NAD+FL+++C:D'DTM+329:800101'" TAIL("2", "18"),
	        &px);
	static const char *const want[] = {
	    "message 'M1', segment 9 'DTM', element 1, component 2: date "
	    "of birth '8001011200' is not a date",
	    "message 'M1', segment 10 'LOC', element 2, component 1: "
	    "country of residence 'ZZZ' is not an ISO 3166 alpha-3 code",
	    "message 'M1', segment 11 'DOC', element 2, component 1: "
	    "document has no number",
	    "message 'M1', segment 14 'DOC', element 1, component 1: "
	    "document type 'PASSPORT' is not a document code",
	};
	assert_int_equal(m->list.n_errors, 4);
	for (size_t i = 0; i < 4; i++)
		assert_string_equal(m->list.errors[i].msg, want[i]);
	/* the DOC without a number takes its DTM and LOC with it */
	assert_int_equal(m->list.travellers[0].person.n_docs, 1);
	assert_doc(&m->list.travellers[0].person.docs[0], "", "9", "", 0, 0, 0);
	assert_int_equal(m->list.travellers[1].n_errors, 0);
	vg_paxlst_release(&px);
}

static void detect(void **state)
{
	static const char una[] = "UNA:+.? 'UNB+UNOA:4'";
	static const char csv[] = "\xEF\xBB\xBF\"Surname\",given_names\n";
	(void)state;
	assert_int_equal(vg_travel_detect(una, sizeof(una) - 1),
	                 VG_TRAVEL_PAXLST);
	assert_int_equal(vg_travel_detect("\r\nUNB+", 6), VG_TRAVEL_PAXLST);
	assert_int_equal(vg_travel_detect(" {\"surname\":1}", 15),
	                 VG_TRAVEL_JSONL);
	assert_int_equal(vg_travel_detect(csv, sizeof(csv) - 1), VG_TRAVEL_CSV);
	assert_int_equal(vg_travel_detect("name,dob\n", 9), VG_TRAVEL_UNKNOWN);
	assert_int_equal(vg_travel_detect("", 0), VG_TRAVEL_UNKNOWN);
}

/* At most max traveller groups in all messages: one more stops the
 * parse. passengers.edi has two. */
static void traveller_limit(void **state)
{
	(void)state;
	char path[512], err[512] = "";
	size_t len;
	struct vg_paxlst px;
	snprintf(path, sizeof(path), DATA "%s", "passengers.edi");
	char *buf = slurp(path, &len);
	assert_int_equal(vg_paxlst_parse_max(buf, len, 2, &px, err, sizeof(err)),
	                 VG_OK);
	assert_int_equal(px.msgs[0].list.n_travellers, 2);
	vg_paxlst_release(&px);
	assert_int_equal(vg_paxlst_parse_max(buf, len, 1, &px, err, sizeof(err)),
	                 VG_ETOOMANY);
	assert_string_equal(err, "more than 1 travellers");
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(passengers),
	    cmocka_unit_test(crew),
	    cmocka_unit_test(custom_una),
	    cmocka_unit_test(two_legs),
	    cmocka_unit_test(wrong_cnt),
	    cmocka_unit_test(truncated),
	    cmocka_unit_test(out_of_order),
	    cmocka_unit_test(bad_values),
	    cmocka_unit_test(century),
	    cmocka_unit_test(wrapped_latin1_two_messages),
	    cmocka_unit_test(unt_errors),
	    cmocka_unit_test(envelope_errors),
	    cmocka_unit_test(structure_errors),
	    cmocka_unit_test(traveller_errors),
	    cmocka_unit_test(detect),
	    cmocka_unit_test(traveller_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
