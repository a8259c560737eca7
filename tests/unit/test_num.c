/* Unit tests of the strict number readers (util/num.h): what a request may
 * write as a number, and everything strtol and strtod would also take. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "vigil/util/error.h"
#include "vigil/util/num.h"

static void uints(void **state)
{
	(void)state;
	uint64_t v = 7;
	assert_int_equal(vg_num_uint("0", 0, 10, &v), VG_OK);
	assert_int_equal(v, 0);
	assert_int_equal(vg_num_uint("0010", 0, 10, &v), VG_OK);
	assert_int_equal(v, 10);
	assert_int_equal(vg_num_uint("18446744073709551615", 0, UINT64_MAX, &v),
			 VG_OK);
	assert_true(v == UINT64_MAX);
	static const char *const bad[] = {
		"", " 1", "1 ", "\t1", "+1", "-0", "-1", "0x10", "1e3", "1.0",
		"nan", "inf", "18446744073709551616", "99999999999999999999",
		"000000000000000000001", "1\n", "\xd9\xa5",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 7;
		assert_int_equal(vg_num_uint(bad[i], 0, UINT64_MAX, &v),
				 VG_EINVAL);
		assert_int_equal(v, 7); /* untouched */
	}
	assert_int_equal(vg_num_uint("11", 0, 10, &v), VG_EINVAL);
	assert_int_equal(vg_num_uint("0", 1, 10, &v), VG_EINVAL);
	assert_int_equal(vg_num_uint(NULL, 0, 10, &v), VG_EINVAL);
}

static void decimals(void **state)
{
	(void)state;
	double v = 7;
	assert_int_equal(vg_num_decimal("0", 0, 1, &v), VG_OK);
	assert_true(v == 0 && !signbit(v));
	assert_int_equal(vg_num_decimal("1", 0, 1, &v), VG_OK);
	assert_true(v == 1);
	assert_int_equal(vg_num_decimal("0.7", 0, 1, &v), VG_OK);
	assert_true(v == 0.7); /* as strtod reads it: scores compare alike */
	assert_int_equal(vg_num_decimal("1.000", 0, 1, &v), VG_OK);
	assert_true(v == 1);
	static const char *const bad[] = {
		"", "nan", "NaN", "inf", "-inf", "infinity", "-0", "-0.0",
		"+0.5", " 0.5", "0.5 ", "0x0.8", "0x1p-1", "1e-1", "5E-1",
		"1.", ".5", "0..5", "0.5.1", "0,5", "1.0000001", "2",
		"0.00000000000000000000000000000000000000001",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 7;
		assert_int_equal(vg_num_decimal(bad[i], 0, 1, &v), VG_EINVAL);
		assert_true(v == 7);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(uints),
		cmocka_unit_test(decimals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
