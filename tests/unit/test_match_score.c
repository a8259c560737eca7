/* Unit tests of person scoring: the spellings, particles, orders and
 * packings that must match, Arabic script against Latin (real pairs from
 * the UN list), the people who must not, each qualifier moving the score
 * by its documented amount, and the explanation rendered. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vigil/util/error.h"
#include "vigil/names/match.h"
#include "vigil/names/person.h"

static struct vg_match_scratch *scratch;

static int setup(void **state)
{
	(void)state;
	return vg_match_scratch_new(NULL, &scratch) == VG_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	vg_match_scratch_free(scratch);
	return 0;
}

static void person(struct vg_person *p, enum vg_person_kind kind,
                   const char *name)
{
	vg_person_init(p);
	p->kind = kind;
	assert_int_equal(
	    vg_person_add_name(p, name, NULL, NULL, VG_NAME_PRIMARY), VG_OK);
}

/* The score of two one-name individuals; ex may be NULL. */
static double score(const char *a, const char *b, struct vg_match_explain *ex)
{
	struct vg_person q, e;
	double s = -1;
	person(&q, VG_PERSON_INDIVIDUAL, a);
	person(&e, VG_PERSON_INDIVIDUAL, b);
	assert_int_equal(vg_match_persons(scratch, &q, &e, &s, ex), VG_OK);
	vg_person_release(&q);
	vg_person_release(&e);
	return s;
}

#define THR VG_MATCH_DEFAULT_THRESHOLD

/* The explanation of two one-name individuals rendered into b (as a
 * line, or as JSON), while the persons it points into are alive. */
static void explained(const char *a, const char *bname, bool as_json,
                      struct vg_buf *b)
{
	struct vg_person q, e;
	struct vg_match_explain ex;
	double s;
	person(&q, VG_PERSON_INDIVIDUAL, a);
	person(&e, VG_PERSON_INDIVIDUAL, bname);
	assert_int_equal(vg_match_persons(scratch, &q, &e, &s, &ex), VG_OK);
	vg_buf_reset(b);
	assert_int_equal(as_json ? vg_match_explain_json(&ex, b)
	                         : vg_match_explain_line(&ex, b),
	                 VG_OK);
	vg_person_release(&q);
	vg_person_release(&e);
}

static void test_muhammad_spellings(void **state)
{
	static const char *const spell[] = {
	    "Mohammed", "Mohamed", "Mohd",    "Muhammed", "Mohammad",
	    "Mohamad",  "Muhamad", "Mohamud", "Mouhamed", "Muhammad"};
	struct vg_match_explain ex;
	(void)state;
	for (size_t i = 0; i < sizeof(spell) / sizeof(spell[0]); i++) {
		char q[64];
		snprintf(q, sizeof(q), "%s bin Salman", spell[i]);
		/* every spelling is the same name: a full score */
		assert_float_equal(score(q, "Muhammad bin Salman", &ex), 1.0,
		                   1e-6);
		assert_int_equal(ex.parts[0].how,
		                 i + 1 < sizeof(spell) / sizeof(spell[0])
		                     ? VG_HOW_VARIANT
		                     : VG_HOW_EXACT);
	}
	/* Arabic script too */
	assert_float_equal(score("محمد بن سلمان", "Muhammad bin Salman", &ex),
	                   0.94, 0.01);
}

static void test_particles_match(void **state)
{
	struct vg_match_explain ex;
	(void)state;
	/* bin / ibn are one symbol; Osama / Usama, Laden / Ladin fuzzy */
	assert_true(score("Osama bin Laden", "Usama ibn Ladin", &ex) >= THR);
	assert_int_equal(ex.parts[1].how, VG_HOW_SYMBOL);
	assert_string_equal(ex.parts[1].query, "bin");
	assert_float_equal(
	    score("Mohammed bin Salman", "Mohammed ibn Salman", NULL), 1.0,
	    1e-6);
	/* al- / el- are articles: Bashar / Bachar is the only difference */
	assert_true(score("Bashar al-Assad", "Bachar el-Assad", NULL) >= THR);
	assert_float_equal(
	    score("Nasir ad-Din al-Tusi", "Nasir al-Din Tusi", NULL), 1.0,
	    1e-6);
	assert_float_equal(
	    score("Abu Bakr ash-Shami", "Abu Bakr al-Shami", NULL), 1.0, 1e-6);
}

/* Name particles written in one spelling of a name and left out in
 * another (issue 9): one without a partner is ignored, so it never turns
 * a match into a miss, and the explanation says which were ignored. */
static void test_particles_ignored(void **state)
{
	static const char *const pairs[][3] = {
	    /* with particles, without, the entry */
	    {"Mohamed bin Omar", "Mohamed Omar", "Mohammed Omar"},
	    {"Abu Bakr al-Baghdadi", "Bakr al-Baghdadi", "Bakr Baghdadi"},
	    {"Hamada Ould Mohamed El Khairy", "Hamada Mohamed Khairy",
	     "HAMADA MOHAMED KHAIRY"},
	    {"Ould Mohamed", "Mohamed", "Mohamed"},
	    {"Usama bin Muhammad bin Awad bin Ladin",
	     "Usama Muhammad Awad Ladin", "Usama Muhammad Awad Ladin"},
	    {"Ali ibn Taher al-Harzi", "Ali Taher Harzi", "Ali Taher Harzi"},
	    {"Hassan ben Ali Fergani", "Hassan Ali Fergani",
	     "Hassan Ali Fergani"},
	    {"Abu Mohammed al-Adnani", "Mohammed Adnani", "Mohammed Adnani"},
	    {"Juan de Dios Usuga", "Juan Dios Usuga", "USUGA DAVID, Juan"},
	    {"Maria de la Cruz Lopez", "Maria Cruz Lopez", "Maria Cruz Lopez"},
	    /* Arabic script: ولد (wld) is ould */
	    {"حماده ولد محمد الخيري", "حماده محمد الخيري",
	     "HAMADA MOHAMED EL KHAIRY"},
	};
	struct vg_match_explain ex;
	(void)state;
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		double with = score(pairs[i][0], pairs[i][2], NULL);
		double without = score(pairs[i][1], pairs[i][2], NULL);
		/* the particles change nothing, on either side */
		assert_float_equal(with, without, 1e-6);
		assert_float_equal(score(pairs[i][2], pairs[i][0], NULL),
		                   score(pairs[i][2], pairs[i][1], NULL), 1e-6);
	}
	/* and each pair a hit where the name says enough */
	assert_float_equal(score("Mohamed bin Omar", "Mohammed Omar", &ex),
	                   0.95, 1e-6);
	assert_float_equal(
	    score("Abu Bakr al-Baghdadi", "Abu Bakr Baghdadi", NULL), 1.0,
	    1e-6);
	assert_float_equal(score("Hamada Ould Mohamed El Khairy",
	                         "HAMADA MOHAMED KHAIRY", NULL),
	                   1.0, 1e-6);
	assert_true(score("حماده ولد محمد الخيري",
	                  "HAMADA OULD MOHAMED EL KHAIRY", NULL) >= THR);
	assert_true(score("Juan de Dios Usuga", "USUGA DAVID, Juan de Dios",
	                  NULL) >= THR);

	/* the explanation names the particles ignored */
	score("Mohamed bin Omar", "Mohammed Omar", &ex);
	assert_int_equal(ex.n_parts, 3);
	assert_string_equal(ex.parts[1].query, "bin");
	assert_string_equal(ex.parts[1].entry, "");
	assert_int_equal(ex.parts[1].how, VG_HOW_IGNORED);
	assert_float_equal(ex.parts[1].weight, 0.0, 0);
	struct vg_buf b;
	vg_buf_init(&b, 0);
	explained("Mohamed bin Omar", "Mohammed Omar", false, &b);
	assert_string_equal(b.data,
	                    "0.95 \"Mohamed bin Omar\" ~ \"Mohammed Omar\" "
	                    "(primary, name 0.95): mohamed=mohammed 1.00 "
	                    "variant, bin ignored, omar=omar 1.00 exact");
	explained("Hamada Mohamed Khairy", "HAMADA OULD MOHAMED EL KHAIRY",
	          true, &b);
	assert_string_equal(
	    b.data, "{\"score\":1.0000,\"name_score\":1.0000,"
	            "\"query_name\":\"Hamada Mohamed Khairy\","
	            "\"entry_name\":\"HAMADA OULD MOHAMED EL KHAIRY\","
	            "\"entry_name_quality\":\"primary\",\"parts\":["
	            "{\"query\":\"hamada\",\"entry\":\"hamada\","
	            "\"similarity\":1.0000,\"weight\":1.00,\"how\":\"exact\"},"
	            "{\"query\":\"mohamed\",\"entry\":\"mohamed\","
	            "\"similarity\":1.0000,\"weight\":0.30,\"how\":\"exact\"},"
	            "{\"query\":\"khairy\",\"entry\":\"khairy\","
	            "\"similarity\":1.0000,\"weight\":1.00,\"how\":\"exact\"},"
	            "{\"query\":\"\",\"entry\":\"ould\",\"similarity\":0.0000,"
	            "\"weight\":0.00,\"how\":\"ignored\"}],\"qualifiers\":[]}");
	explained("Hamada Mohamed Khairy", "HAMADA OULD MOHAMED EL KHAIRY",
	          false, &b);
	assert_string_equal(b.data,
	                    "1.00 \"Hamada Mohamed Khairy\" ~ \"HAMADA OULD "
	                    "MOHAMED EL KHAIRY\" (primary, name 1.00): "
	                    "hamada=hamada 1.00 exact, mohamed=mohamed 1.00 "
	                    "exact, khairy=khairy 1.00 exact, ould (entry) "
	                    "ignored");
	vg_buf_release(&b);

	/* a particle both names have still counts as evidence, and still
	 * says who is whose son */
	score("Mohammed bin Salman", "Muhammad bin Salman", &ex);
	assert_int_equal(ex.parts[1].how, VG_HOW_SYMBOL);
	assert_float_equal(
	    score("Salman bin Muhammad", "Muhammad bin Salman", NULL), 0.6,
	    1e-6);
	/* a word that is only a particle elsewhere is a name here: Ben
	 * first, as in Ben Netanyahu */
	assert_true(score("Ben Netanyahu", "Netanyahu", NULL) < THR);
}

static void test_reordered(void **state)
{
	(void)state;
	assert_float_equal(score("Putin Vladimir", "Vladimir Putin", NULL), 1.0,
	                   1e-6);
	assert_float_equal(score("PUTIN, Vladimir", "Vladimir Putin", NULL),
	                   1.0, 1e-6);
	assert_float_equal(
	    score("bin Salman Mohammed", "Mohammed bin Salman", NULL), 1.0,
	    1e-6);
	/* but father and son swapped around bin are two people */
	double s = score("Salman bin Muhammad", "Muhammad bin Salman", NULL);
	assert_float_equal(s, 0.6, 1e-6);
	assert_true(s < THR);
}

static void test_packed(void **state)
{
	struct vg_match_explain ex;
	(void)state;
	assert_float_equal(score("Abdulaziz", "Abd al Aziz", NULL), 1.0, 1e-6);
	assert_float_equal(
	    score("Abdulaziz Al Saud", "Abd al-Aziz Alsaud", &ex), 1.0, 1e-6);
	assert_float_equal(score("Jaber Alsabah", "Jaber Al Sabah", &ex), 1.0,
	                   1e-6);
	assert_int_equal(ex.parts[1].how, VG_HOW_PACKED);
	assert_string_equal(ex.parts[1].query, "alsabah");
	assert_string_equal(ex.parts[1].entry, "al sabah");
	assert_float_equal(score("SergeiLavrov", "Sergei Lavrov", NULL), 1.0,
	                   1e-6);
}

/* Real NAME_ORIGINAL_SCRIPT / Latin pairs of the UN list
 * (consolidated-2026-02-27.xml). */
static void test_arabic_against_latin(void **state)
{
	static const char *const pairs[][2] = {
	    {"صدام حسين التكريتي", "SADDAM HUSSEIN AL-TIKRITI"},
	    {"عزت ابراهيم الدوري", "IZZAT IBRAHIM AL-DURI"},
	    {"طارق عزيز", "TARIQ AZIZ"},
	    {"جمال مصطفى عبد الله سلطان التكريتي",
	     "JAMAL MUSTAFA ABDALLAH SULTAN AL-TIKRITI"},
	};
	struct vg_match_explain ex;
	(void)state;
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		assert_true(score(pairs[i][0], pairs[i][1], &ex) >= THR);
	score(pairs[0][0], pairs[0][1], &ex);
	assert_int_equal(ex.n_parts, 3);
	assert_string_equal(ex.parts[0].query, "sdam");
	assert_string_equal(ex.parts[0].entry, "saddam");
	assert_int_equal(ex.parts[0].how, VG_HOW_SKELETON);
	assert_string_equal(ex.parts[2].query, "altkryty");
	assert_string_equal(ex.parts[2].entry, "tikriti");
	/* and a different man of the same family does not match */
	assert_true(score("عزت ابراهيم الدوري", "SADDAM HUSSEIN AL-TIKRITI",
	                  NULL) < THR);
}

static void test_unrelated(void **state)
{
	(void)state;
	/* sharing one very common name is no match */
	assert_true(score("Muhammad Ali Hassan", "Muhammad Karimov", NULL) <
	            THR);
	assert_true(score("Ahmed Yilmaz", "Ahmed Hassan", NULL) < THR);
	/* another family name (nisbah) */
	assert_true(score("Barzan Ibrahim Hassan al-Mosuli",
	                  "Barzan Ibrahim Hassan al-Tikriti", NULL) < THR);
	/* another given name */
	assert_true(score("Friedrich Lindenberg", "Lars Friedrich Lindemann",
	                  NULL) < THR);
	assert_true(score("Fernando Castro", "Fidel Castro", NULL) < THR);
	/* a name of common names only is weak evidence */
	double s = score("Abu Ahmad", "Abu Ahmad", NULL);
	assert_float_equal(s, 0.85, 1e-6);
	/* initials alone */
	assert_true(score("N. N.", "Nursultan Nazarbayev", NULL) < THR);
}

static void test_extras_and_typos(void **state)
{
	(void)state;
	/* an added patronymic costs a little */
	assert_true(score("Vladimir Vladimirovich Putin", "Vladimir Putin",
	                  NULL) >= THR);
	/* a typo in the surname */
	assert_true(score("Vladimir Pulin", "Vladimir Putin", NULL) >= THR);
	assert_true(score("Alexandr Lukashnko", "Alexander Lukashenko", NULL) >=
	            THR);
	/* a single name against a long one counts little */
	assert_true(score("Shamsuddin", "Shamsuddin Mohammed Haqqani", NULL) <
	            THR);
}

/* A pair whose name score leaves room above and below. */
static double with_dobs(const struct vg_dob *qd, const struct vg_dob *ed,
                        struct vg_match_explain *ex)
{
	struct vg_person q, e;
	double s;
	person(&q, VG_PERSON_INDIVIDUAL, "Vladimir Pulin");
	person(&e, VG_PERSON_INDIVIDUAL, "Vladimir Putin");
	if (qd)
		assert_int_equal(vg_person_add_dob(&q, qd), VG_OK);
	if (ed)
		assert_int_equal(vg_person_add_dob(&e, ed), VG_OK);
	assert_int_equal(vg_match_persons(scratch, &q, &e, &s, ex), VG_OK);
	vg_person_release(&q);
	vg_person_release(&e);
	return s;
}

static void test_dates_of_birth(void **state)
{
	struct vg_match_explain ex;
	struct vg_dob q = {VG_DOB_EXACT, {1952, 10, 7}, {0, 0, 0}};
	(void)state;
	double base = with_dobs(NULL, NULL, &ex);
	assert_int_equal(ex.n_adj, 0);
	assert_true(base > 0.8 && base < 0.9);

	struct vg_dob same = {VG_DOB_EXACT, {1952, 10, 7}, {0, 0, 0}};
	assert_float_equal(with_dobs(&q, &same, &ex), base + 0.10, 1e-6);
	assert_int_equal(ex.adj[0].kind, VG_QUAL_DOB);
	assert_string_equal(ex.adj[0].detail, "same date 1952-10-07");

	struct vg_dob swapped = {VG_DOB_EXACT, {1952, 7, 10}, {0, 0, 0}};
	assert_float_equal(with_dobs(&q, &swapped, &ex), base + 0.05, 1e-6);
	assert_string_equal(ex.adj[0].detail, "day and month swapped (1952)");

	/* the entry gives the year only */
	struct vg_dob year = {VG_DOB_EXACT, {1952, 0, 0}, {0, 0, 0}};
	assert_float_equal(with_dobs(&q, &year, &ex), base + 0.05, 1e-6);
	assert_string_equal(ex.adj[0].detail,
	                    "same year 1952 (entry year only)");

	/* a range of up to five years, and a wider one */
	struct vg_dob narrow = {VG_DOB_BETWEEN, {1950, 0, 0}, {1954, 0, 0}};
	assert_float_equal(with_dobs(&q, &narrow, &ex), base + 0.05, 1e-6);
	assert_string_equal(ex.adj[0].detail, "1952 within 1950-1954");
	struct vg_dob wide = {VG_DOB_BETWEEN, {1940, 0, 0}, {1960, 0, 0}};
	assert_float_equal(with_dobs(&q, &wide, &ex), base + 0.02, 1e-6);

	/* "approximately 1950" covers 1947-1953 */
	struct vg_dob about = {VG_DOB_APPROX, {1950, 0, 0}, {0, 0, 0}};
	assert_float_equal(with_dobs(&q, &about, &ex), base + 0.02, 1e-6);

	/* near: a guess or a typo; far: another person */
	struct vg_dob near = {VG_DOB_EXACT, {1955, 0, 0}, {0, 0, 0}};
	assert_float_equal(with_dobs(&q, &near, &ex), base - 0.05, 1e-6);
	struct vg_dob far = {VG_DOB_EXACT, {1980, 3, 1}, {0, 0, 0}};
	double s = with_dobs(&q, &far, &ex);
	/* -0.20, and 0.06 more: Vladimir and Pulin / Putin (0.6967) bring
	 * 1.6967 of the 2 that two specific words bring */
	assert_float_equal(s, base - 0.260667, 1e-6);
	assert_true(s < THR);
	assert_float_equal(ex.adj[0].delta, -0.260667, 1e-6);
	assert_string_equal(ex.adj[0].detail,
	                    "1952 against 1980-1980, name evidence 1.70");

	/* of several dates on the list the most favourable counts */
	struct vg_person qq, e;
	person(&qq, VG_PERSON_INDIVIDUAL, "Vladimir Pulin");
	person(&e, VG_PERSON_INDIVIDUAL, "Vladimir Putin");
	vg_person_add_dob(&qq, &q);
	vg_person_add_dob(&e, &far);
	vg_person_add_dob(&e, &year);
	assert_int_equal(vg_match_persons(scratch, &qq, &e, &s, NULL), VG_OK);
	assert_float_equal(s, base + 0.05, 1e-6);
	vg_person_release(&qq);
	vg_person_release(&e);
}

/* One pair of one-name individuals born in the years given. */
static double born(const char *a, int ya, const char *b, int yb,
                   struct vg_match_explain *ex)
{
	struct vg_person q, e;
	struct vg_dob da = {VG_DOB_EXACT, {ya, 0, 0}, {0, 0, 0}};
	struct vg_dob db = {VG_DOB_EXACT, {yb, 0, 0}, {0, 0, 0}};
	double s;
	person(&q, VG_PERSON_INDIVIDUAL, a);
	person(&e, VG_PERSON_INDIVIDUAL, b);
	vg_person_add_dob(&q, &da);
	vg_person_add_dob(&e, &db);
	assert_int_equal(vg_match_persons(scratch, &q, &e, &s, ex), VG_OK);
	vg_person_release(&q);
	vg_person_release(&e);
	return s;
}

/* A date of birth clearly another costs a name of common names more:
 * thousands share "Ali Hassan", and the date is what tells them apart. */
static void test_dates_weak_names(void **state)
{
	struct vg_match_explain ex;
	(void)state;
	/* two specific words: -0.20 as before */
	assert_float_equal(
	    born("Vladimir Putin", 1952, "Vladimir Putin", 1980, &ex), 0.80,
	    1e-6);
	assert_string_equal(ex.adj[0].detail, "1952 against 1980-1980");
	/* common names only (evidence 1.0): -0.40, no longer a hit */
	assert_float_equal(born("Ali Hassan", 1949, "ALI, Hassan", 1976, &ex),
	                   0.60, 1e-6);
	assert_float_equal(ex.adj[0].delta, -0.40, 1e-6);
	assert_string_equal(ex.adj[0].detail,
	                    "1949 against 1976-1976, name evidence 1.00");
	/* a specific family name and a common given name (1.5): -0.30 */
	assert_float_equal(
	    born("Ahmed Al-Masri", 1979, "AL-MASRI, Ahmad", 1965, &ex), 0.70,
	    1e-6);
	/* a near date or the same one moves the score as for any name */
	assert_float_equal(born("Ali Hassan", 1975, "ALI, Hassan", 1976, NULL),
	                   1.0, 1e-6);
	assert_float_equal(born("Ali Hassan", 1973, "ALI, Hassan", 1976, NULL),
	                   0.95, 1e-6);
}

static void test_other_qualifiers(void **state)
{
	struct vg_person q, e;
	struct vg_match_explain ex;
	double base, s;
	(void)state;
	person(&q, VG_PERSON_INDIVIDUAL, "Vladimir Pulin");
	person(&e, VG_PERSON_INDIVIDUAL, "Vladimir Putin");
	assert_int_equal(vg_match_persons(scratch, &q, &e, &base, NULL), VG_OK);

	q.gender = VG_GENDER_FEMALE;
	e.gender = VG_GENDER_MALE;
	assert_int_equal(vg_match_persons(scratch, &q, &e, &s, &ex), VG_OK);
	assert_float_equal(s, base - 0.15, 1e-6);
	assert_int_equal(ex.adj[0].kind, VG_QUAL_GENDER);
	q.gender = VG_GENDER_MALE;
	assert_int_equal(vg_match_persons(scratch, &q, &e, &s, NULL), VG_OK);
	assert_float_equal(s, base, 1e-6);

	vg_person_add_nationality(&q, "RU");
	vg_person_add_nationality(&e, "ru");
	assert_int_equal(vg_match_persons(scratch, &q, &e, &s, &ex), VG_OK);
	assert_float_equal(s, base + 0.03, 1e-6);
	assert_string_equal(ex.adj[0].detail, "shared nationality RU");
	vg_person_release(&q);

	person(&q, VG_PERSON_INDIVIDUAL, "Vladimir Pulin");
	vg_person_add_nationality(&q, "BY");
	assert_int_equal(vg_match_persons(scratch, &q, &e, &s, NULL), VG_OK);
	assert_float_equal(s, base - 0.05, 1e-6);
	vg_person_release(&q);
	vg_person_release(&e);

	/* an equal document number is strong evidence on its own */
	person(&q, VG_PERSON_INDIVIDUAL, "Ivan Petrov");
	person(&e, VG_PERSON_INDIVIDUAL, "Vladimir Putin");
	vg_person_add_doc(&q, "P", "a12-345 67", "RU");
	vg_person_add_doc(&e, "passport", "A1234567", "RU");
	assert_int_equal(vg_match_persons(scratch, &q, &e, &s, &ex), VG_OK);
	assert_float_equal(s, 0.95, 1e-6);
	assert_float_equal(ex.name_score, 0.0, 1e-6);
	assert_string_equal(ex.adj[0].detail, "same document number A1234567");
	/* not when the issuing countries differ */
	e.docs[0].country[0] = 'U', e.docs[0].country[1] = 'A';
	assert_int_equal(vg_match_persons(scratch, &q, &e, &s, NULL), VG_OK);
	assert_float_equal(s, 0.0, 1e-6);
	vg_person_release(&q);
	vg_person_release(&e);
}

static void test_alias_quality(void **state)
{
	struct vg_person q, e;
	struct vg_match_explain ex;
	double s;
	(void)state;
	person(&q, VG_PERSON_INDIVIDUAL, "Hajji Rumuli Byiringiro");
	vg_person_init(&e);
	vg_person_add_name(&e, "Gaston Iyamuremye", NULL, NULL,
	                   VG_NAME_PRIMARY);
	vg_person_add_name(&e, "Rumuli Byiringiro", NULL, NULL, VG_NAME_LOW);
	assert_int_equal(vg_match_persons(scratch, &q, &e, &s, &ex), VG_OK);
	/* the low-quality alias matched fully, and counts 0.8 */
	assert_float_equal(ex.name_score, 1.0, 1e-6);
	assert_float_equal(s, 0.8, 1e-6);
	assert_int_equal(ex.entry_name, 1);
	assert_int_equal(ex.entry_quality, VG_NAME_LOW);
	assert_int_equal(ex.adj[0].kind, VG_QUAL_NAME_QUALITY);
	assert_float_equal(ex.adj[0].delta, -0.2, 1e-6);
	vg_person_release(&q);
	vg_person_release(&e);
}

static void test_entities(void **state)
{
	struct vg_person q, e;
	double s;
	(void)state;
	person(&q, VG_PERSON_ENTITY, "Siemens Aktiengesellschaft");
	person(&e, VG_PERSON_ENTITY, "SIEMENS AG");
	assert_int_equal(vg_match_persons(scratch, &q, &e, &s, NULL), VG_OK);
	assert_float_equal(s, 1.0, 1e-6);
	vg_person_release(&q);
	vg_person_release(&e);
	person(&q, VG_PERSON_ENTITY, "Saudi Arabian Gas Company");
	person(&e, VG_PERSON_ENTITY, "Saudi Arabian Oil Company");
	assert_int_equal(vg_match_persons(scratch, &q, &e, &s, NULL), VG_OK);
	assert_true(s < THR);
	vg_person_release(&q);
	vg_person_release(&e);
}

static void test_explanation(void **state)
{
	struct vg_person q, e;
	struct vg_match_explain ex;
	struct vg_buf b;
	struct vg_dob d = {VG_DOB_EXACT, {1985, 8, 31}, {0, 0, 0}};
	double s;
	(void)state;
	person(&q, VG_PERSON_INDIVIDUAL, "Mohamed bin Salman");
	person(&e, VG_PERSON_INDIVIDUAL, "MUHAMMAD BIN SALMAN AL SAUD");
	vg_person_add_dob(&q, &d);
	vg_person_add_dob(&e, &d);
	vg_person_add_nationality(&q, "SA");
	vg_person_add_nationality(&e, "SA");
	assert_int_equal(vg_match_persons(scratch, &q, &e, &s, &ex), VG_OK);
	vg_buf_init(&b, 0);
	assert_int_equal(vg_match_explain_json(&ex, &b), VG_OK);
	assert_string_equal(
	    b.data,
	    "{\"score\":0.9700,\"name_score\":0.8400,"
	    "\"query_name\":\"Mohamed bin Salman\","
	    "\"entry_name\":\"MUHAMMAD BIN SALMAN AL SAUD\","
	    "\"entry_name_quality\":\"primary\",\"parts\":["
	    "{\"query\":\"mohamed\",\"entry\":\"muhammad\","
	    "\"similarity\":1.0000,\"weight\":0.30,\"how\":\"variant\"},"
	    "{\"query\":\"bin\",\"entry\":\"bin\",\"similarity\":1.0000,"
	    "\"weight\":0.20,\"how\":\"symbol\"},"
	    "{\"query\":\"salman\",\"entry\":\"salman\","
	    "\"similarity\":1.0000,\"weight\":1.00,\"how\":\"exact\"},"
	    "{\"query\":\"\",\"entry\":\"saud\",\"similarity\":0.0000,"
	    "\"weight\":1.00,\"how\":\"none\"}],\"qualifiers\":["
	    "{\"kind\":\"dob\",\"delta\":0.1000,"
	    "\"detail\":\"same date 1985-08-31\"},"
	    "{\"kind\":\"nationality\",\"delta\":0.0300,"
	    "\"detail\":\"shared nationality SA\"}]}");
	vg_buf_reset(&b);
	assert_int_equal(vg_match_explain_line(&ex, &b), VG_OK);
	assert_string_equal(
	    b.data,
	    "0.97 \"Mohamed bin Salman\" ~ \"MUHAMMAD BIN SALMAN AL SAUD\" "
	    "(primary, name 0.84): mohamed=muhammad 1.00 variant, "
	    "bin=bin 1.00 symbol, salman=salman 1.00 exact, saud (entry) "
	    "unmatched; dob +0.10 same date 1985-08-31; nationality +0.03 "
	    "shared nationality SA");
	/* a buffer too small is left as it was */
	struct vg_buf small;
	vg_buf_init(&small, 16);
	assert_int_equal(vg_buf_puts(&small, "kept"), VG_OK);
	assert_int_equal(vg_match_explain_json(&ex, &small), VG_ETOOBIG);
	assert_string_equal(small.data, "kept");
	assert_int_equal(vg_match_explain_line(&ex, &small), VG_ETOOBIG);
	assert_string_equal(small.data, "kept");
	vg_buf_release(&small);
	vg_buf_release(&b);
	vg_person_release(&q);
	vg_person_release(&e);
}

static void test_names_api(void **state)
{
	struct vg_name_tokens a, b;
	struct vg_name_norm *n = vg_match_scratch_norm(scratch);
	double s;
	(void)state;
	assert_int_equal(
	    vg_name_normalize(n, "Kim Jong Un", 11, VG_PERSON_INDIVIDUAL, &a),
	    VG_OK);
	assert_int_equal(
	    vg_name_normalize(n, "KIM JONG-UN", 11, VG_PERSON_INDIVIDUAL, &b),
	    VG_OK);
	s = vg_match_names(&a, &b, VG_PERSON_INDIVIDUAL, NULL);
	assert_float_equal(s, 1.0, 1e-6);
	/* an empty name matches nothing */
	assert_int_equal(vg_name_normalize(n, "", 0, VG_PERSON_INDIVIDUAL, &b),
	                 VG_OK);
	assert_float_equal(vg_match_names(&a, &b, VG_PERSON_INDIVIDUAL, NULL),
	                   0.0, 0);
	assert_int_equal(vg_match_persons(scratch, NULL, NULL, &s, NULL),
	                 VG_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_muhammad_spellings),
	    cmocka_unit_test(test_particles_match),
	    cmocka_unit_test(test_particles_ignored),
	    cmocka_unit_test(test_reordered),
	    cmocka_unit_test(test_packed),
	    cmocka_unit_test(test_arabic_against_latin),
	    cmocka_unit_test(test_unrelated),
	    cmocka_unit_test(test_extras_and_typos),
	    cmocka_unit_test(test_dates_of_birth),
	    cmocka_unit_test(test_dates_weak_names),
	    cmocka_unit_test(test_other_qualifiers),
	    cmocka_unit_test(test_alias_quality),
	    cmocka_unit_test(test_entities),
	    cmocka_unit_test(test_explanation),
	    cmocka_unit_test(test_names_api),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
