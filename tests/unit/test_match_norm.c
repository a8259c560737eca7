/* Unit tests of name normalisation: transliteration, tokens, particles
 * as symbols, abd- compounds, surname-first commas, legal forms and
 * numbers in organisation names, consonant skeletons, phonetic keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/core/names/match_int.h"
#include "vigil/util/error.h"
#include "vigil/names/match.h"

static struct vg_name_norm *norm;

static int setup(void **state)
{
	(void)state;
	return vg_name_norm_new(&norm) == VG_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	vg_name_norm_free(norm);
	return 0;
}

/* The tokens of s joined by spaces, symbols in capitals ("BIN"). */
static const char *toks(const char *s, enum vg_person_kind kind)
{
	static char out[1024];
	struct vg_name_tokens t;
	size_t o = 0;
	assert_int_equal(vg_name_normalize(norm, s, strlen(s), kind, &t),
	                 VG_OK);
	out[0] = '\0';
	for (size_t i = 0; i < t.n; i++) {
		const char *x = t.pool + t.tok[i].text;
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s",
		                      i ? " " : "");
		for (; *x && o + 1 < sizeof(out); x++)
			out[o++] = t.tok[i].sym != VG_SYM_NONE
			               ? (char)(*x - 'a' + 'A')
			               : *x;
		out[o] = '\0';
	}
	return out;
}

#define P VG_PERSON_INDIVIDUAL
#define E VG_PERSON_ENTITY

static void test_ascii_basics(void **state)
{
	(void)state;
	assert_string_equal(toks("Vladimir PUTIN", P), "vladimir putin");
	/* apostrophes go, other punctuation separates */
	assert_string_equal(toks("Mu'tassim O'Neil-Smith", P),
	                    "mutassim oneil smith");
	/* titles are dropped */
	assert_string_equal(toks("Dr. Rami Makhlouf", P), "rami makhlouf");
	assert_string_equal(toks("Shaikh Isa", P), "isa");
	/* "SURNAME, Given" is turned round */
	assert_string_equal(toks("PUTIN, Vladimir Vladimirovich", P),
	                    "vladimir vladimirovich putin");
	assert_string_equal(toks("", P), "");
	assert_string_equal(toks(" ,.- ", P), "");
}

static void test_particles(void **state)
{
	(void)state;
	assert_string_equal(toks("Osama bin Laden", P), "osama BIN laden");
	assert_string_equal(toks("Usama ibn Ladin", P), "usama BIN ladin");
	/* "ben" is a particle, not as a first name */
	assert_string_equal(toks("Noureddine Ben Ali", P), "nourdin BIN ali");
	assert_string_equal(toks("Ben Netanyahu", P), "ben netanyahu");
	assert_string_equal(toks("Bashar al-Assad", P), "bashar AL assad");
	assert_string_equal(toks("Bachar el-Assad", P), "bachar AL assad");
	/* "ad", "ash" are articles only hyphen-joined */
	assert_string_equal(toks("Abu Bakr ash-Shami", P), "ABU bakr AL shami");
	assert_string_equal(toks("Umm Kulthum bint Ali", P),
	                    "UMM kulthum BINT ali");
	assert_string_equal(toks("Ould Sidi", P), "OULD sidi");
	assert_string_equal(toks("Abou Mohammed", P), "ABU mohammed");
	/* Arabic-script ولد (wld) is ould; "wld" in a Latin name is not */
	assert_string_equal(toks("حماده ولد محمد", P), "hmadh OULD mhmd");
	assert_string_equal(toks("Wld Sidi", P), "wld sidi");
	/* de la, de los: surname particles in person names */
	assert_string_equal(toks("Maria de la Cruz", P), "maria DE LA cruz");
	assert_string_equal(toks("Juan de los Santos", P),
	                    "juan DE LOS santos");
	assert_string_equal(toks("Banco de la Nacion", E),
	                    "banco DE LA nacion");
}

static void test_abd_compounds(void **state)
{
	(void)state;
	/* every way of writing an abd- name gives one token */
	assert_string_equal(toks("Abd al-Aziz", P), "abdaziz");
	assert_string_equal(toks("Abdul Aziz", P), "abdaziz");
	assert_string_equal(toks("Abdulaziz", P), "abdaziz");
	assert_string_equal(toks("ABDEL AZIZ", P), "abdaziz");
	assert_string_equal(toks("Abdurrahman", P), "abdrahman");
	assert_string_equal(toks("Abd-al-Rahman", P), "abdrahman");
	/* Arabic script: the article is written attached */
	assert_string_equal(toks("عبد الرحمن", P), "abdrhmn");
	/* Abdullah is a name of its own (a common one) */
	assert_string_equal(toks("Abdullah", P), "abdullah");
	/* a lone trailing abdul stays a particle */
	assert_string_equal(toks("Nooruddin Turabi Abdul", P),
	                    "noordin turabi ABD");
}

static void test_compound_endings(void **state)
{
	(void)state;
	assert_string_equal(toks("Najib Ullah", P), "najibullah");
	assert_string_equal(toks("Najibullah", P), "najibullah");
	assert_string_equal(toks("Noor ud Din", P), "noordin");
	assert_string_equal(toks("Nooruddin", P), "noordin");
	assert_string_equal(toks("Salah al-Din", P), "salahdin");
	assert_string_equal(toks("Noureddine", P), "nourdin");
	/* Din as a first name stays */
	assert_string_equal(toks("Din Mohammad", P), "din mohammad");
}

static void test_transliteration(void **state)
{
	(void)state;
	/* Cyrillic through BGN, as English-language lists write it */
	assert_string_equal(toks("Сергей Викторович Лавров", P),
	                    "sergey viktorovich lavrov");
	assert_string_equal(toks("Владимир Путин", P), "vladimir putin");
	/* diacritics go */
	assert_string_equal(toks("Recep Tayyip Erdoğan", P),
	                    "recep tayyip erdogan");
	assert_string_equal(toks("Aleksandar Vučić", P), "aleksandar vucic");
	/* Arabic script: consonants, the article attached */
	assert_string_equal(toks("صدام حسين التكريتي", P),
	                    "sdam hsyn altkryty");
	/* Greek */
	assert_string_equal(toks("Κυριάκος", P), "kyriakos");
	/* CJK: syllables, flagged to compare exactly */
	struct vg_name_tokens t;
	const char *xi = "习近平";
	assert_int_equal(vg_name_normalize(norm, xi, strlen(xi), P, &t), VG_OK);
	assert_int_equal(t.n, 3);
	assert_true(t.tok[0].flags & VG_TOK_CJK);
	const char *ar = "محمد";
	assert_int_equal(vg_name_normalize(norm, ar, strlen(ar), P, &t), VG_OK);
	assert_true(t.tok[0].flags & VG_TOK_ABJAD);
	assert_int_equal(t.tok[0].group, 1); /* Muhammad */
}

static void test_bad_input(void **state)
{
	struct vg_name_tokens t;
	char big[5000];
	(void)state;
	assert_int_equal(vg_name_normalize(norm, NULL, 0, P, &t), VG_EINVAL);
	assert_int_equal(t.n, 0);
	/* invalid UTF-8 is replaced, not an error */
	assert_string_equal(toks("Ab\xff\xfe"
	                         "c Def",
	                         P),
	                    "ab c def");
	/* a huge name is cut, the tokens stay bounded */
	memset(big, 'a', sizeof(big) - 1);
	for (size_t i = 5; i < sizeof(big) - 1; i += 6)
		big[i] = ' ';
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(vg_name_normalize(norm, big, strlen(big), P, &t),
	                 VG_OK);
	assert_int_equal(t.n, VG_NAME_MAX_TOKENS);
	/* a token longer than the limit is cut */
	memset(big, 'b', 200);
	big[200] = '\0';
	assert_int_equal(vg_name_normalize(norm, big, 200, P, &t), VG_OK);
	assert_int_equal(t.n, 1);
	assert_int_equal(t.tok[0].len, VG_NAME_TOKEN_MAX);
}

static void test_entities(void **state)
{
	(void)state;
	assert_string_equal(toks("A.B.C. Company", E), "abc CO");
	assert_string_equal(toks("Siemens Aktiengesellschaft", E),
	                    "siemens AG");
	assert_string_equal(toks("Siemens AG", E), "siemens AG");
	assert_string_equal(toks("Open Joint Stock Company Gazprom", E),
	                    "JSC gazprom");
	assert_string_equal(toks("OAO Gazprom", E), "JSC gazprom");
	assert_string_equal(toks("ООО Гринвуд", E), "LLC grinvud");
	assert_string_equal(toks("FABERLIC EUROPE Sp. z o.o.", E),
	                    "faberlic europe SPZOO");
	assert_string_equal(toks("Brigade Forty-Four", E), "brigade 44");
	assert_string_equal(toks("1st International Bank", E),
	                    "1 international bank");
	/* stop words stay, weightless, for packing */
	assert_string_equal(toks("The Bank of England", E),
	                    "THE bank OF england");
	/* legal forms are entity words only */
	assert_string_equal(toks("Nicolas Maduro SA", P), "nicolas maduro sa");
}

static const char *skel(const char *t)
{
	static char out[128];
	vg_name_skeleton(t, strlen(t), out, sizeof(out));
	return out;
}

static const char *phon(const char *t)
{
	static char out[128];
	vg_name_phonetic(t, strlen(t), out, sizeof(out));
	return out;
}

static void test_skeleton(void **state)
{
	(void)state;
	/* the Arabic-script spelling and the Latin ones meet */
	assert_string_equal(skel("mhmd"), "mmd");
	assert_string_equal(skel("muhammad"), "mmd");
	assert_string_equal(skel("mohammed"), "mmd");
	assert_string_equal(skel("altkryty"), "tkrt");
	assert_string_equal(skel("tikriti"), "tkrt");
	assert_string_equal(skel("hsyn"), "sn");
	assert_string_equal(skel("hussein"), "sn");
	/* q/k, j/g, z/s, dh/s folds */
	assert_string_equal(skel("qasim"), "ksm");
	assert_string_equal(skel("jamal"), "gml");
	assert_string_equal(skel("aziz"), "ss");
	assert_string_equal(skel("dhahabi"), "sb");
	assert_string_equal(skel("fadhli"), "fsl");
	/* but a final "dh" is d and the h of a final vowel: Arabic-script
	 * حماده (hmadh) is Hamada */
	assert_string_equal(skel("hmadh"), "md");
	assert_string_equal(skel("hamada"), "md");
	/* the attached article goes when three letters or more follow */
	assert_string_equal(skel("alsabah"), "sb");
	assert_string_equal(skel("ali"), "l");
	/* the output is cut to the buffer */
	char small[3];
	assert_int_equal(vg_name_skeleton("bcdfgh", 6, small, sizeof(small)),
	                 2);
	assert_string_equal(small, "bc");
}

static void test_phonetic(void **state)
{
	(void)state;
	assert_string_equal(phon("schwarz"), "xfrs");
	assert_string_equal(phon("schwartz"), "xfrs");
	assert_string_equal(phon("philip"), "flb");
	assert_string_equal(phon("chang"), "xnk");
	assert_string_equal(phon("jang"), "xnk");
	assert_string_equal(phon("khan"), "kn");
	assert_string_equal(phon("omar"), "amr");
	assert_string_equal(phon("cencora"), "snkr");
	assert_string_equal(phon("sencora"), "snkr");
}

static void test_word_table_sorted(void **state)
{
	(void)state;
	for (int i = 1; i < vg__word_count(); i++)
		assert_true(strcmp(vg__word_text(i - 1), vg__word_text(i)) <=
		            0);
}

static void test_weights(void **state)
{
	struct vg_name_tokens t;
	const char *s = "Mohammed bin Ali Hassan Karimov J";
	(void)state;
	assert_int_equal(vg_name_normalize(norm, s, strlen(s), P, &t), VG_OK);
	assert_int_equal(t.n, 6);
	assert_float_equal(t.tok[0].weight, 0.3, 1e-6); /* Muhammad */
	assert_float_equal(t.tok[1].weight, 0.2, 1e-6); /* bin */
	assert_float_equal(t.tok[2].weight, 0.5, 1e-6); /* Ali */
	assert_float_equal(t.tok[3].weight, 0.5, 1e-6); /* Hassan */
	assert_float_equal(t.tok[4].weight, 1.0, 1e-6);
	assert_float_equal(t.tok[5].weight, 0.4, 1e-6); /* an initial */
	assert_true(t.tok[5].flags & VG_TOK_INITIAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ascii_basics),
	    cmocka_unit_test(test_particles),
	    cmocka_unit_test(test_abd_compounds),
	    cmocka_unit_test(test_compound_endings),
	    cmocka_unit_test(test_transliteration),
	    cmocka_unit_test(test_bad_input),
	    cmocka_unit_test(test_entities),
	    cmocka_unit_test(test_skeleton),
	    cmocka_unit_test(test_phonetic),
	    cmocka_unit_test(test_word_table_sorted),
	    cmocka_unit_test(test_weights),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
