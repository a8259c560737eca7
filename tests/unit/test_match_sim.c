/* Unit tests of the string and token similarity functions: known values
 * of Levenshtein, OSA and Jaro-Winkler, the bit-parallel distances equal
 * to the plain dynamic programme on random strings, the weighted
 * distance with its cheap confusable letters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vigil/util/error.h"
#include "vigil/names/match.h"

#define S(x) x, strlen(x)

static void test_lev_known(void **state)
{
	(void)state;
	assert_int_equal(vg_str_lev(S("kitten"), S("sitting")), 3);
	assert_int_equal(vg_str_lev(S("flaw"), S("lawn")), 2);
	assert_int_equal(vg_str_lev(S(""), S("abc")), 3);
	assert_int_equal(vg_str_lev(S("abc"), S("")), 3);
	assert_int_equal(vg_str_lev(S("same"), S("same")), 0);
	assert_int_equal(vg_str_lev_bp(S("kitten"), S("sitting")), 3);
	assert_int_equal(vg_str_lev_bp(S(""), S("abc")), 3);
	/* a transposition is two edits for Levenshtein, one for OSA */
	assert_int_equal(vg_str_lev(S("abcd"), S("acbd")), 2);
	assert_int_equal(vg_str_osa(S("abcd"), S("acbd")), 1);
	assert_int_equal(vg_str_osa_bp(S("abcd"), S("acbd")), 1);
	/* OSA edits no substring twice: "ca" -> "abc" is 3, not 2 */
	assert_int_equal(vg_str_osa(S("ca"), S("abc")), 3);
	assert_int_equal(vg_str_osa_bp(S("ca"), S("abc")), 3);
	assert_int_equal(vg_str_osa(S("donlad"), S("donald")), 1);
}

static void test_bp_limits(void **state)
{
	char a[66], b[100];
	(void)state;
	memset(a, 'a', 65);
	a[65] = '\0';
	memset(b, 'a', 99);
	b[99] = '\0';
	/* a pattern of 64 bytes is the most a word holds */
	assert_int_equal(vg_str_lev_bp(a, 64, b, 99), 35);
	assert_int_equal(vg_str_lev_bp(a, 65, b, 99), SIZE_MAX);
	assert_int_equal(vg_str_osa_bp(a, 65, b, 99), SIZE_MAX);
	/* the plain programme has no such limit */
	assert_int_equal(vg_str_lev(a, 65, b, 99), 34);
}

/* A fixed generator, so a failure can be reproduced. */
static uint32_t rng_state = 12345;
static uint32_t rnd(void)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return rng_state >> 8;
}

static void random_string(char *s, size_t len, int alphabet)
{
	for (size_t i = 0; i < len; i++)
		s[i] = (char)('a' + rnd() % (uint32_t)alphabet);
	s[len] = '\0';
}

static void test_bp_equals_dp(void **state)
{
	char a[65], b[130];
	(void)state;
	for (int k = 0; k < 20000; k++) {
		/* small alphabets make matches, and so transpositions */
		int alpha = 2 + (int)(rnd() % 6);
		size_t al = rnd() % 65, bl = rnd() % 130;
		random_string(a, al, alpha);
		random_string(b, bl, alpha);
		assert_int_equal(vg_str_lev_bp(a, al, b, bl),
		                 vg_str_lev(a, al, b, bl));
		assert_int_equal(vg_str_osa_bp(a, al, b, bl),
		                 vg_str_osa(a, al, b, bl));
	}
}

static void test_jaro_winkler_known(void **state)
{
	(void)state;
	/* the textbook values (Winkler 1990; jellyfish's tests) */
	assert_float_equal(vg_str_jaro_winkler(S("MARTHA"), S("MARHTA")),
	                   0.961111, 1e-6);
	assert_float_equal(vg_str_jaro_winkler(S("DWAYNE"), S("DUANE")), 0.84,
	                   1e-6);
	assert_float_equal(vg_str_jaro_winkler(S("DIXON"), S("DICKSONX")),
	                   0.813333, 1e-6);
	assert_float_equal(vg_str_jaro(S("CRATE"), S("TRACE")), 0.733333, 1e-6);
	assert_float_equal(vg_str_jaro(S("MARTHA"), S("MARHTA")), 0.944444,
	                   1e-6);
	assert_float_equal(vg_str_jaro(S(""), S("")), 1.0, 0);
	assert_float_equal(vg_str_jaro(S("abc"), S("")), 0.0, 0);
	assert_float_equal(vg_str_jaro(S("abc"), S("xyz")), 0.0, 0);
	assert_float_equal(vg_str_jaro_winkler(S("same"), S("same")), 1.0,
	                   1e-12);
	/* no prefix boost below 0.7 */
	assert_float_equal(vg_str_jaro_winkler(S("ab"), S("ac")),
	                   vg_str_jaro(S("ab"), S("ac")), 1e-12);
}

static void test_weighted_distance(void **state)
{
	(void)state;
	/* confusable letters cost half an edit */
	assert_float_equal(vg_name_wdist(S("tim"), S("tom")), 0.5, 0);
	assert_float_equal(vg_name_wdist(S("putin"), S("pudin")), 0.5, 0);
	assert_float_equal(vg_name_wdist(S("sechin"), S("sech1n")), 0.5, 0);
	/* an h or a doubled letter too */
	assert_float_equal(vg_name_wdist(S("jonson"), S("johnson")), 0.5, 0);
	assert_float_equal(vg_name_wdist(S("mohamed"), S("mohammed")), 0.5, 0);
	/* other edits and transpositions cost one */
	assert_float_equal(vg_name_wdist(S("pulin"), S("putin")), 1.0, 0);
	assert_float_equal(vg_name_wdist(S("schloz"), S("scholz")), 1.0, 0);
	assert_float_equal(vg_name_wdist(S("abc"), S("abc")), 0.0, 0);
	/* symmetric */
	assert_float_equal(vg_name_wdist(S("johnson"), S("jonson")), 0.5, 0);
}

static void test_budget(void **state)
{
	(void)state;
	assert_float_equal(vg_name_budget(3), 0.5, 0);
	assert_float_equal(vg_name_budget(5), 1.0, 0);
	assert_float_equal(vg_name_budget(8), 1.5, 0);
	assert_float_equal(vg_name_budget(11), 2.0, 0);
	assert_float_equal(vg_name_budget(20), 2.5, 0);
}

/* Similarity of the first tokens of two normalised names. */
static double tok_sim(struct vg_name_norm *n, const char *a, const char *b,
                      enum vg_match_how *how)
{
	struct vg_name_tokens ta, tb;
	assert_int_equal(vg_name_normalize(n, S(a), VG_PERSON_INDIVIDUAL, &ta),
	                 VG_OK);
	assert_int_equal(vg_name_normalize(n, S(b), VG_PERSON_INDIVIDUAL, &tb),
	                 VG_OK);
	assert_true(ta.n >= 1 && tb.n >= 1);
	return vg_name_token_sim(ta.pool, &ta.tok[0], tb.pool, &tb.tok[0], how);
}

static void test_token_sim(void **state)
{
	struct vg_name_norm *n;
	enum vg_match_how how;
	(void)state;
	assert_int_equal(vg_name_norm_new(&n), VG_OK);

	assert_float_equal(tok_sim(n, "Lavrov", "LAVROV", &how), 1.0, 0);
	assert_int_equal(how, VG_HOW_EXACT);
	/* the spellings of a very common name are one name */
	assert_float_equal(tok_sim(n, "Mohd", "Muhammad", &how), 1.0, 0);
	assert_int_equal(how, VG_HOW_VARIANT);
	/* two different common names are not alike, however close */
	assert_float_equal(tok_sim(n, "Ahmad", "Muhammad", &how), 0.0, 0);
	assert_int_equal(how, VG_HOW_NONE);
	/* within the budget: half the distance share, half Jaro-Winkler */
	double jw = vg_str_jaro_winkler(S("scholze"), S("scholz"));
	assert_float_equal(tok_sim(n, "Scholze", "Scholz", &how),
	                   0.5 * (1.0 - 0.5 * 1.0 / 1.5) + 0.5 * jw, 1e-9);
	assert_int_equal(how, VG_HOW_FUZZY);
	/* past the budget: nothing (Lindenberg / Lindemann) */
	assert_float_equal(tok_sim(n, "Lindenberg", "Lindemann", &how), 0.0, 0);
	/* no fuzzy match on tokens of one or two letters */
	assert_float_equal(tok_sim(n, "Xi", "Si", &how), 0.0, 0);
	/* an initial against a name it starts */
	assert_float_equal(tok_sim(n, "J", "Joachim", &how), 0.75, 0);
	assert_int_equal(how, VG_HOW_INITIAL);
	assert_float_equal(tok_sim(n, "O", "Joachim", &how), 0.0, 0);
	/* Arabic script against Latin by consonant skeleton */
	assert_float_equal(tok_sim(n, "صدام", "Saddam", &how), 0.9, 0);
	assert_int_equal(how, VG_HOW_SKELETON);
	/* particles compare as symbols */
	struct vg_name_tokens a, b;
	assert_int_equal(
	    vg_name_normalize(n, S("x bin y"), VG_PERSON_INDIVIDUAL, &a),
	    VG_OK);
	assert_int_equal(
	    vg_name_normalize(n, S("x ibn y"), VG_PERSON_INDIVIDUAL, &b),
	    VG_OK);
	assert_float_equal(
	    vg_name_token_sim(a.pool, &a.tok[1], b.pool, &b.tok[1], &how), 1.0,
	    0);
	assert_int_equal(how, VG_HOW_SYMBOL);
	vg_name_norm_free(n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lev_known),
	    cmocka_unit_test(test_bp_limits),
	    cmocka_unit_test(test_bp_equals_dp),
	    cmocka_unit_test(test_jaro_winkler_known),
	    cmocka_unit_test(test_weighted_distance),
	    cmocka_unit_test(test_budget),
	    cmocka_unit_test(test_token_sim),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
