/* Unit tests of the CSV and JSON-lines travel parsers and of the country
 * lookups they use: exact records and exact error texts. */
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
#include "vigil/travel/travel.h"

static void csv(const char *text, struct vg_travel_list *l)
{
	char err[256] = "";
	int rc = vg_travel_parse_csv(text, strlen(text), l, err, sizeof(err));
	if (rc)
		fail_msg("%s", err);
}

static void jsonl(const char *text, struct vg_travel_list *l)
{
	char err[256] = "";
	int rc = vg_travel_parse_jsonl(text, strlen(text), l, err, sizeof(err));
	if (rc)
		fail_msg("%s", err);
}

static void csv_fails(const char *text, const char *want)
{
	struct vg_travel_list l = {0};
	char err[256] = "";
	assert_int_equal(
	    vg_travel_parse_csv(text, strlen(text), &l, err, sizeof(err)),
	    VG_EINVAL);
	assert_string_equal(err, want);
	assert_null(l.travellers);
}

static void assert_errors(const struct vg_travel_list *l,
                          const char *const *want, size_t n)
{
	for (size_t i = 0; i < l->n_errors && i < n; i++)
		assert_string_equal(l->errors[i].msg, want[i]);
	assert_int_equal(l->n_errors, n);
}

static void assert_pdate(const struct vg_pdate *d, int y, int m, int dd)
{
	assert_int_equal(d->year, y);
	assert_int_equal(d->month, m);
	assert_int_equal(d->day, dd);
}

#define HEADER                                                                 \
	"surname,given_names,date_of_birth,gender,nationality,document_type,"  \
	"document_number,document_country,flight,date\r\n"

static void csv_full_record(void **state)
{
	struct vg_travel_list l;
	(void)state;
	csv(HEADER "DOE,John Paul,1985-04-12,M,GBR,P,123456789,GB,AB123,"
	           "2026-02-27\r\n",
	    &l);
	assert_int_equal(l.n_errors, 0);
	assert_int_equal(l.n_travellers, 1);
	const struct vg_traveller *t = &l.travellers[0];
	assert_int_equal(t->line, 2);
	assert_int_equal(t->person.n_names, 1);
	assert_string_equal(t->person.names[0].full, "John Paul DOE");
	assert_string_equal(t->person.names[0].surname, "DOE");
	assert_string_equal(t->person.names[0].given, "John Paul");
	assert_int_equal(t->person.n_dobs, 1);
	assert_int_equal(t->person.dobs[0].kind, VG_DOB_EXACT);
	assert_pdate(&t->person.dobs[0].from, 1985, 4, 12);
	assert_int_equal(t->person.gender, VG_GENDER_MALE);
	assert_string_equal(t->person.nationalities[0], "GB");
	assert_int_equal(t->person.n_docs, 1);
	assert_string_equal(t->person.docs[0].type, "P");
	assert_string_equal(t->person.docs[0].number, "123456789");
	assert_string_equal(t->person.docs[0].country, "GB");
	assert_string_equal(t->flight, "AB123");
	assert_pdate(&t->date, 2026, 2, 27);
	assert_int_equal(t->role, VG_ROLE_PASSENGER);
	assert_int_equal(t->n_errors, 0);
	vg_travel_list_release(&l);
	assert_null(l.travellers);
}

/* RFC 4180 quoting: commas, doubled quotes and a line break inside a
 * field; header names in any case and order; optional columns. */
static void csv_quoting(void **state)
{
	struct vg_travel_list l;
	(void)state;
	csv("\xEF\xBB\xBF"
	    "Given_Names,SURNAME,Date_Of_Birth,Nationality,Role,Seat\n"
	    "\"Anne, Marie\",\"O\"\"NEIL\",1970-01,Iran (Islamic Republic of),"
	    "crew,\"1\n2A\"\n"
	    "\"\",LEE,1950,,,\n",
	    &l);
	assert_int_equal(l.n_errors, 0);
	assert_int_equal(l.n_travellers, 2);
	const struct vg_traveller *t = &l.travellers[0];
	assert_string_equal(t->person.names[0].full, "Anne, Marie O\"NEIL");
	assert_string_equal(t->person.names[0].surname, "O\"NEIL");
	assert_string_equal(t->person.names[0].given, "Anne, Marie");
	assert_pdate(&t->person.dobs[0].from, 1970, 1, 0); /* month only */
	assert_string_equal(t->person.nationalities[0], "IR");
	assert_int_equal(t->role, VG_ROLE_CREW);
	assert_string_equal(t->seat, "1 2A"); /* white space made one space */
	t = &l.travellers[1];
	assert_int_equal(t->line, 4); /* the quoted line break counts */
	assert_string_equal(t->person.names[0].full, "LEE");
	assert_null(t->person.names[0].given);
	assert_pdate(&t->person.dobs[0].from, 1950, 0, 0);
	assert_int_equal(t->person.n_nationalities, 0);
	assert_int_equal(t->person.n_docs, 0);
	vg_travel_list_release(&l);
}

static void csv_header_errors(void **state)
{
	(void)state;
	csv_fails("", "line 1: no header line");
	csv_fails("surname,given_names\nDOE,J\n",
	          "line 1: missing required column 'date_of_birth'");
	csv_fails("given_names,date_of_birth\n",
	          "line 1: missing required column 'surname'");
	csv_fails("surname,given_names,date_of_birth,nationalty\n",
	          "line 1: unknown column 'nationalty' (did you mean "
	          "'nationality'?)");
	csv_fails("surname,given_names,date_of_birth,SURNAME\n",
	          "line 1: column 'surname' appears twice");
	csv_fails("surname,\"given_names,date_of_birth\n",
	          "line 1: quoted field not closed before the end");
}

/* Bad values are errors of their record, which is kept without them;
 * rows that cannot be read are dropped; no bad row stops the others. */
static void csv_bad_rows(void **state)
{
	struct vg_travel_list l;
	(void)state;
	csv(HEADER "A,a,1980-01-01,M,FRA,P,1,FRA,AB1,2026-01-01\n"
	           "B,b,1985-13-01,Q,Narnia,passport,2,Narnia,12,2026-02-30\n"
	           "C,c,1990-02-03\n"
	           ",d,1991-01-01,,,,,,,\n"
	           "E,e,1975-02-29,,,P,,,,\n"
	           "F\"x,f,1970,,,,,,,\n"
	           "\"G\"x,g,1970,,,,,,,\n"
	           "H,h,2000-02-29,F,DEU,,,,,\n",
	    &l);
	static const char *const want[] = {
	    "line 3, column 'date_of_birth': '1985-13-01' is not a date",
	    "line 3, column 'gender': 'Q' is not M, F, U or X",
	    "line 3, column 'nationality': 'Narnia' is not a country",
	    "line 3, column 'document_type': 'passport' is not a document "
	    "code (P, V, I...)",
	    "line 3, column 'document_country': 'Narnia' is not a country",
	    "line 3, column 'flight': '12' is not a flight number",
	    "line 3, column 'date': '2026-02-30' is not a date",
	    "line 4: 3 fields, the header has 10",
	    "line 5, column 'surname': is empty",
	    "line 6, column 'date_of_birth': '1975-02-29' is not a date",
	    "line 6, column 'document_number': is empty but a document "
	    "type or country is given",
	    "line 7: quote inside an unquoted field",
	    "line 8: text after a closing quote",
	};
	assert_errors(&l, want, sizeof(want) / sizeof(want[0]));
	assert_int_equal(l.n_travellers, 4);
	assert_string_equal(l.travellers[0].person.names[0].surname, "A");
	assert_int_equal(l.travellers[0].n_errors, 0);
	const struct vg_traveller *b = &l.travellers[1];
	assert_string_equal(b->person.names[0].surname, "B");
	assert_int_equal(b->n_errors, 7);
	assert_int_equal(b->person.n_dobs, 0);
	assert_int_equal(b->person.gender, VG_GENDER_UNKNOWN);
	assert_int_equal(b->person.n_nationalities, 0);
	/* the number is still worth screening: kept without type/country */
	assert_int_equal(b->person.n_docs, 1);
	assert_string_equal(b->person.docs[0].number, "2");
	assert_string_equal(b->person.docs[0].type, "");
	assert_null(b->flight);
	assert_pdate(&b->date, 0, 0, 0);
	for (size_t i = 0; i < 7; i++)
		assert_int_equal(l.errors[i].traveller, 1);
	assert_int_equal(l.errors[7].traveller, VG_TRAVEL_NO_RECORD);
	assert_int_equal(l.errors[8].traveller, VG_TRAVEL_NO_RECORD);
	assert_string_equal(l.travellers[2].person.names[0].surname, "E");
	assert_int_equal(l.travellers[2].n_errors, 2);
	const struct vg_traveller *h = &l.travellers[3];
	assert_string_equal(h->person.names[0].surname, "H");
	assert_int_equal(h->line, 9);
	assert_pdate(&h->person.dobs[0].from, 2000, 2, 29);
	assert_int_equal(h->person.gender, VG_GENDER_FEMALE);
	assert_string_equal(h->person.nationalities[0], "DE");
	vg_travel_list_release(&l);
}

static void csv_flights(void **state)
{
	struct vg_travel_list l;
	static const char *const good[] = {"AB123", "ab 123", "U21234",
	                                   "BAW12A", "9W1"};
	static const char *const norm[] = {"AB123", "AB123", "U21234", "BAW12A",
	                                   "9W1"};
	(void)state;
	for (size_t i = 0; i < 5; i++) {
		char text[256];
		snprintf(text, sizeof(text),
		         "surname,given_names,date_of_birth,flight\nX,,,%s\n",
		         good[i]);
		csv(text, &l);
		assert_int_equal(l.n_errors, 0);
		assert_string_equal(l.travellers[0].flight, norm[i]);
		vg_travel_list_release(&l);
	}
	csv("surname,given_names,date_of_birth,flight\nX,,,12345\n"
	    "Y,,,AB12345\nZ,,,A-12\n",
	    &l);
	assert_int_equal(l.n_errors, 3);
	assert_string_equal(l.errors[2].msg, "line 4, column 'flight': "
	                                     "'A-12' is not a flight number");
	vg_travel_list_release(&l);
}

static void csv_utf8(void **state)
{
	struct vg_travel_list l;
	(void)state;
	csv("surname,given_names,date_of_birth\n"
	    "M\xc3\x9cLLER,J\xc3\xb6rg,\n"
	    "M\xfcLLER,x,\n"
	    "OK,bad\xff,\n",
	    &l);
	static const char *const want[] = {
	    "line 3, column 'surname': is not valid UTF-8",
	    "line 4, column 'given_names': is not valid UTF-8",
	};
	assert_errors(&l, want, 2);
	assert_int_equal(l.n_travellers, 2);
	assert_string_equal(l.travellers[0].person.names[0].full,
	                    "J\xc3\xb6rg M\xc3\x9cLLER");
	/* screened on the surname alone */
	assert_string_equal(l.travellers[1].person.names[0].full, "OK");
	assert_int_equal(l.travellers[1].n_errors, 1);
	vg_travel_list_release(&l);
}

/* ---- JSON lines -------------------------------------------------------- */

static void jsonl_records(void **state)
{
	struct vg_travel_list l;
	(void)state;
	jsonl("{\"surname\":\"DOE\",\"given_names\":\"Jane\","
	      "\"date_of_birth\":\"1990-05-06\",\"gender\":\"female\","
	      "\"nationality\":\"Syrian Arab Republic\",\"document_type\":"
	      "\"P\",\"document_number\":\"N0001\",\"document_country\":"
	      "\"SYR\",\"flight\":\"XY9\",\"date\":\"2026-03-01\","
	      "\"booking_ref\":\"ABC123\",\"seat\":null}\n"
	      "\n"
	      "   \r\n"
	      "{\"surname\":\"ROE\"}\r\n",
	      &l);
	assert_int_equal(l.n_errors, 0);
	assert_int_equal(l.n_travellers, 2);
	const struct vg_traveller *t = &l.travellers[0];
	assert_string_equal(t->person.names[0].full, "Jane DOE");
	assert_pdate(&t->person.dobs[0].from, 1990, 5, 6);
	assert_int_equal(t->person.gender, VG_GENDER_FEMALE);
	assert_string_equal(t->person.nationalities[0], "SY");
	assert_string_equal(t->person.docs[0].country, "SY");
	assert_string_equal(t->flight, "XY9");
	assert_string_equal(t->booking_ref, "ABC123");
	assert_null(t->seat);
	assert_int_equal(t->line, 1);
	assert_int_equal(l.travellers[1].line, 4);
	vg_travel_list_release(&l);
}

static void jsonl_errors(void **state)
{
	struct vg_travel_list l;
	(void)state;
	jsonl("{\"surname\":\"A\",\"date_of_birth\":\"1985-13-01\"}\n"
	      "{\"surname\":\"B\"\n"
	      "[1,2]\n"
	      "{\"given_names\":\"C\"}\n"
	      "{\"surname\":\"D\",\"gender\":\"Q\",\"nationalty\":\"FR\","
	      "\"seat\":12,\"seat\":\"1A\"}\n"
	      "{\"surname\":\"E\"} {\"surname\":\"F\"}\n"
	      "{\"surname\":\"G\\u00e9\"}\n",
	      &l);
	static const char *const want[] = {
	    "line 1, field 'date_of_birth': '1985-13-01' is not a date",
	    "line 2: malformed JSON",
	    "line 3: not a JSON object",
	    "line 4: missing required field 'surname'",
	    "line 5, field 'gender': 'Q' is not M, F, U or X",
	    "line 5, field 'nationalty': is not a known field",
	    "line 5, field 'seat': is not a string",
	    "line 6: malformed JSON",
	};
	assert_errors(&l, want, sizeof(want) / sizeof(want[0]));
	assert_int_equal(l.n_travellers, 3);
	assert_string_equal(l.travellers[0].person.names[0].full, "A");
	assert_int_equal(l.travellers[0].n_errors, 1);
	assert_string_equal(l.travellers[1].person.names[0].full, "D");
	assert_int_equal(l.travellers[1].n_errors, 3);
	assert_string_equal(l.travellers[1].seat, "1A");
	assert_string_equal(l.travellers[2].person.names[0].full, "G\xc3\xa9");
	vg_travel_list_release(&l);
}

/* ---- countries --------------------------------------------------------- */

static void countries(void **state)
{
	(void)state;
	assert_string_equal(vg_country_code("IQ"), "IQ");
	assert_string_equal(vg_country_code("irq"), "IQ");
	assert_string_equal(vg_country_code("Iraq"), "IQ");
	assert_string_equal(vg_country_code("  syrian   ARAB republic "), "SY");
	assert_string_equal(vg_country_code("Russian Federation"), "RU");
	assert_string_equal(
	    vg_country_code(
	        "United Kingdom of Great Britain and Northern Ireland"),
	    "GB");
	assert_string_equal(vg_country_code("Iran (Islamic Republic of)"),
	                    "IR");
	assert_string_equal(vg_country_code("Korea, North"), "KP");
	assert_string_equal(vg_country_code("Democratic People\xe2\x80\x99s "
	                                    "Republic of Korea"),
	                    "KP");
	assert_string_equal(vg_country_code("T\xc3\xbcrkiye"), "TR");
	assert_string_equal(vg_country_code("Burma"), "MM");
	assert_string_equal(vg_country_code("D"), "DE");
	assert_string_equal(vg_country_code("Kosovo"), "XK");
	assert_string_equal(vg_country_code("UK"), "GB");
	assert_null(vg_country_code("Narnia"));
	assert_null(vg_country_code(""));
	assert_null(vg_country_code(NULL));
	assert_string_equal(vg_country_code("na"), "NA"); /* a code first */
	assert_null(vg_country_from_name("na"));
	assert_null(vg_country_from_name("IRQ"));
	assert_string_equal(vg_country_from_alpha3("GBD"), "GB");
	assert_null(vg_country_from_alpha3("XXA")); /* stateless */
	assert_null(vg_country_from_alpha3("Iraq"));
	const struct vg_country *c = vg_country_get("sy");
	assert_non_null(c);
	assert_string_equal(c->alpha3, "SYR");
	assert_string_equal(c->name, "Syrian Arab Republic");
	assert_null(vg_country_get("ZZ"));
	assert_string_equal(vg_country_get("XK")->alpha3, "XKX");
}

/* At most max records, good or dropped: one more stops the parse. */
static void record_limits(void **state)
{
	(void)state;
	struct vg_travel_list l = {0};
	char err[256] = "";
	const char *ok = "surname,given_names,date_of_birth\n"
	                 "A,B,1970-01-01\nC,D,1971-01-01\n";
	assert_int_equal(vg_travel_parse_csv_max(ok, strlen(ok), 2, &l, err,
	                                         sizeof(err)),
	                 VG_OK);
	assert_int_equal(l.n_travellers, 2);
	vg_travel_list_release(&l);
	const char *bad = "surname,given_names,date_of_birth\n"
	                  "A,B,1970-01-01\nshort\nC,D,1971-01-01\n";
	assert_int_equal(vg_travel_parse_csv_max(bad, strlen(bad), 2, &l, err,
	                                         sizeof(err)),
	                 VG_ETOOMANY);
	assert_string_equal(err, "more than 2 travellers");
	assert_null(l.travellers);
	const char *lines = "{\"surname\":\"A\"}\n\n{\"surname\":\"B\"}\n"
	                    "not json\n";
	assert_int_equal(vg_travel_parse_jsonl_max(lines, strlen(lines), 3, &l,
	                                           err, sizeof(err)),
	                 VG_OK);
	assert_int_equal(l.n_travellers, 2);
	assert_int_equal(l.n_errors, 1);
	vg_travel_list_release(&l);
	err[0] = '\0';
	assert_int_equal(vg_travel_parse_jsonl_max(lines, strlen(lines), 2, &l,
	                                           err, sizeof(err)),
	                 VG_ETOOMANY);
	assert_string_equal(err, "more than 2 travellers");
	assert_null(l.travellers);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(csv_full_record),   cmocka_unit_test(csv_quoting),
	    cmocka_unit_test(csv_header_errors), cmocka_unit_test(csv_bad_rows),
	    cmocka_unit_test(csv_flights),       cmocka_unit_test(csv_utf8),
	    cmocka_unit_test(jsonl_records),     cmocka_unit_test(jsonl_errors),
	    cmocka_unit_test(countries),         cmocka_unit_test(record_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
