/* Unit tests of RFC 8785 canonical JSON: key order by UTF-16 code units,
 * ECMAScript numbers (the RFC's appendix B values), string escapes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <math.h>

#include "vigil/util/buf.h"
#include "vigil/util/error.h"
#include "vigil/stix/stix.h"

static void jcs_is(const char *json, const char *want)
{
	struct vg_buf b;
	cJSON *v = cJSON_Parse(json);
	assert_non_null(v);
	vg_buf_init(&b, 0);
	assert_int_equal(vg_jcs(v, &b), VG_OK);
	assert_string_equal(b.data, want);
	vg_buf_release(&b);
	cJSON_Delete(v);
}

static void num_is(uint64_t bits, const char *want)
{
	double d;
	struct vg_buf b;
	memcpy(&d, &bits, sizeof(d));
	cJSON *v = cJSON_CreateNumber(d);
	vg_buf_init(&b, 0);
	assert_int_equal(vg_jcs(v, &b), VG_OK);
	assert_string_equal(b.data, want);
	vg_buf_release(&b);
	cJSON_Delete(v);
}

static void test_key_order(void **state)
{
	(void)state;
	jcs_is("{\"b\":1,\"a\":2,\"aa\":3,\"A\":4}",
	       "{\"A\":4,\"a\":2,\"aa\":3,\"b\":1}");
	/* RFC 8785 3.2.3: U+1F600 (a surrogate pair in UTF-16) sorts before
	 * U+FB33, although its UTF-8 bytes sort after. */
	jcs_is("{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\","
	       "\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\",\"1\":\"One\","
	       "\"\\ud83d\\ude00\":\"Emoji: Grinning Face\","
	       "\"\\u0080\":\"Control\","
	       "\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}",
	       "{\"\\r\":\"Carriage Return\",\"1\":\"One\","
	       "\"\xc2\x80\":\"Control\","
	       "\"\xc3\xb6\":\"Latin Small Letter O With Diaeresis\","
	       "\"\xe2\x82\xac\":\"Euro Sign\","
	       "\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\","
	       "\"\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\"}");
	/* Nested objects sort too; arrays keep their order. */
	jcs_is("{\"z\":{\"y\":[3,1,2],\"x\":{}},\"a\":[]}",
	       "{\"a\":[],\"z\":{\"x\":{},\"y\":[3,1,2]}}");
	/* More keys than the on-stack array: the allocated path. */
	jcs_is("{\"t\":0,\"s\":0,\"r\":0,\"q\":0,\"p\":0,\"o\":0,\"n\":0,"
	       "\"m\":0,\"l\":0,\"k\":0,\"j\":0,\"i\":0,\"h\":0,\"g\":0,"
	       "\"f\":0,\"e\":0,\"d\":0,\"c\":0,\"b\":0,\"a\":0}",
	       "{\"a\":0,\"b\":0,\"c\":0,\"d\":0,\"e\":0,\"f\":0,\"g\":0,"
	       "\"h\":0,\"i\":0,\"j\":0,\"k\":0,\"l\":0,\"m\":0,\"n\":0,"
	       "\"o\":0,\"p\":0,\"q\":0,\"r\":0,\"s\":0,\"t\":0}");
}

static void test_numbers(void **state)
{
	(void)state;
	jcs_is("[1e21,1e20,0.1,-0,1E-7,1e-6,123.456,-1.5,10,-7,4.50]",
	       "[1e+21,100000000000000000000,0.1,0,1e-7,0.000001,123.456,"
	       "-1.5,10,-7,4.5]");
	/* RFC 8785 appendix B, by IEEE 754 bit pattern. */
	num_is(0x0000000000000000ull, "0");
	num_is(0x8000000000000000ull, "0");
	num_is(0x0000000000000001ull, "5e-324");
	num_is(0x8000000000000001ull, "-5e-324");
	num_is(0x7fefffffffffffffull, "1.7976931348623157e+308");
	num_is(0xffefffffffffffffull, "-1.7976931348623157e+308");
	num_is(0x4340000000000000ull, "9007199254740992");
	num_is(0xc340000000000000ull, "-9007199254740992");
	num_is(0x4430000000000000ull, "295147905179352830000");
	num_is(0x44b52d02c7e14af5ull, "9.999999999999997e+22");
	num_is(0x44b52d02c7e14af6ull, "1e+23");
	num_is(0x44b52d02c7e14af7ull, "1.0000000000000001e+23");
	num_is(0x444b1ae4d6e2ef4eull, "999999999999999700000");
	num_is(0x444b1ae4d6e2ef4full, "999999999999999900000");
	num_is(0x444b1ae4d6e2ef50ull, "1e+21");
	num_is(0x3eb0c6f7a0b5ed8cull, "9.999999999999997e-7");
	num_is(0x3eb0c6f7a0b5ed8dull, "0.000001");
	num_is(0x41b3de4355555553ull, "333333333.3333332");
	num_is(0x41b3de4355555554ull, "333333333.33333325");
	num_is(0x41b3de4355555555ull, "333333333.3333333");
	num_is(0x41b3de4355555556ull, "333333333.3333334");
	num_is(0x41b3de4355555557ull, "333333333.33333343");
	num_is(0xbecbf647612f3696ull, "-0.0000033333333333333333");
	num_is(0x43143ff3c1cb0959ull, "1424953923781206.2");
}

static void test_non_finite(void **state)
{
	struct vg_buf b;
	(void)state;
	vg_buf_init(&b, 0);
	assert_int_equal(vg_buf_puts(&b, "keep"), VG_OK);
	cJSON *v = cJSON_CreateArray();
	cJSON_AddItemToArray(v, cJSON_CreateNumber(1));
	cJSON_AddItemToArray(v, cJSON_CreateNumber(INFINITY));
	assert_int_equal(vg_jcs(v, &b), VG_EINVAL);
	assert_string_equal(b.data, "keep"); /* nothing half-written */
	cJSON_Delete(v);
	v = cJSON_CreateNumber(NAN);
	assert_int_equal(vg_jcs(v, &b), VG_EINVAL);
	assert_string_equal(b.data, "keep");
	cJSON_Delete(v);
	vg_buf_release(&b);
}

static void test_strings(void **state)
{
	(void)state;
	/* Short escapes, \u00xx for other controls, nothing else. */
	jcs_is("\"\\b\\f\\n\\r\\t\\u0001\\u001f\\\"\\\\\"",
	       "\"\\b\\f\\n\\r\\t\\u0001\\u001f\\\"\\\\\"");
	jcs_is("\"\\/ \\u007f \\u00e9 \\u2028 \\ud83d\\ude00\"",
	       "\"/ \x7f \xc3\xa9 \xe2\x80\xa8 \xf0\x9f\x98\x80\"");
	jcs_is("[true,false,null,\"\",{}]", "[true,false,null,\"\",{}]");
}

static void test_invalid(void **state)
{
	struct vg_buf b;
	(void)state;
	vg_buf_init(&b, 0);
	/* Not UTF-8: a lone continuation byte, an overlong form, and an
	 * encoded surrogate. */
	const char *bad[] = {"\"\x80\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"",
	                     "{\"\xff\":1}"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cJSON *v = cJSON_Parse(bad[i]);
		assert_non_null(v);
		assert_int_equal(vg_jcs(v, &b), VG_EINVAL);
		cJSON_Delete(v);
	}
	/* Duplicate names have no canonical form. */
	cJSON *v = cJSON_Parse("{\"a\":1,\"b\":2,\"a\":3}");
	assert_int_equal(vg_jcs(v, &b), VG_EINVAL);
	cJSON_Delete(v);
	assert_int_equal(b.len, 0);
	assert_int_equal(vg_jcs(NULL, &b), VG_EINVAL);
	vg_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_key_order),  cmocka_unit_test(test_numbers),
	    cmocka_unit_test(test_non_finite), cmocka_unit_test(test_strings),
	    cmocka_unit_test(test_invalid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
