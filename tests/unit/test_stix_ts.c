/* Unit tests of STIX timestamps [2.16]: calendar edge cases, UTC only,
 * fraction digits, and the normalised keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vigil/util/error.h"
#include "vigil/stix/stix.h"
#include "vigil/util/timefmt.h"

static void ok(const char *s)
{
	struct vg_ts t;
	if (vg_ts_parse(s, &t) != VG_OK)
		fail_msg("rejected: %s", s);
}

static void bad(const char *s)
{
	struct vg_ts t = {.year = -1};
	if (vg_ts_parse(s, &t) != VG_EINVAL)
		fail_msg("accepted: %s", s);
	assert_int_equal(t.year, -1); /* untouched on failure */
}

static void key_is(const char *s, const char *want)
{
	char key[VG_TS_KEY_LEN];
	assert_int_equal(vg_ts_key_of(s, key), VG_OK);
	assert_string_equal(key, want);
}

static void test_leap_years(void **state)
{
	(void)state;
	ok("2024-02-29T00:00:00Z");
	bad("2023-02-29T00:00:00Z");
	bad("1900-02-29T00:00:00Z"); /* divisible by 100, not by 400 */
	ok("2000-02-29T00:00:00Z");  /* divisible by 400 */
	ok("2023-02-28T23:59:59Z");
}

static void test_calendar(void **state)
{
	(void)state;
	bad("2023-02-30T00:00:00Z");
	bad("2023-04-31T00:00:00Z");
	ok("2023-12-31T00:00:00Z");
	bad("2023-13-01T00:00:00Z");
	bad("2023-00-01T00:00:00Z");
	bad("2023-01-00T00:00:00Z");
	bad("2023-01-32T00:00:00Z");
	ok("0000-01-01T00:00:00Z");
	ok("9999-12-31T23:59:59.999Z");
}

static void test_clock(void **state)
{
	(void)state;
	bad("2023-01-01T24:00:00Z");
	bad("2023-01-01T23:60:00Z");
	bad("2023-01-01T23:59:60Z"); /* no leap seconds */
	ok("2023-01-01T23:59:59Z");
	ok("2023-01-01T00:00:00Z");
}

static void test_utc_only(void **state)
{
	(void)state;
	bad("2023-01-01T00:00:00+00:00");
	bad("2023-01-01T00:00:00.000+01:00");
	bad("2023-01-01T00:00:00z");
	bad("2023-01-01t00:00:00Z");
	bad("2023-01-01T00:00:00");
	bad("2023-01-01 00:00:00Z");
	bad("2023-01-01T00:00:00ZZ");
	bad("2023-01-01T00:00:00Z ");
	bad("2023-01-01");
	bad("2023-1-01T00:00:00Z");
	bad("");
	bad("20230101T000000Z");
	assert_int_equal(vg_ts_parse(NULL, &(struct vg_ts){0}), VG_EINVAL);
}

static void test_fraction(void **state)
{
	struct vg_ts t;
	(void)state;
	bad("2023-01-01T00:00:00.Z");
	bad("2023-01-01T00:00:00.1.2Z");
	bad("2023-01-01T00:00:00,123Z");

	assert_int_equal(vg_ts_parse("2023-01-01T00:00:00Z", &t), VG_OK);
	assert_int_equal(t.frac_digits, 0);
	assert_int_equal(t.nsec, 0);
	assert_int_equal(vg_ts_parse("2023-01-01T00:00:00.1Z", &t), VG_OK);
	assert_int_equal(t.frac_digits, 1);
	assert_int_equal(t.nsec, 100000000);
	assert_int_equal(vg_ts_parse("2023-01-01T00:00:00.123456Z", &t), VG_OK);
	assert_int_equal(t.frac_digits, 6);
	assert_int_equal(t.nsec, 123456000);
	/* More than nine digits: accepted, truncated to nanoseconds. */
	assert_int_equal(vg_ts_parse("2023-01-01T00:00:00.123456789987Z", &t),
	                 VG_OK);
	assert_int_equal(t.frac_digits, 12);
	assert_int_equal(t.nsec, 123456789);
	assert_int_equal(t.year, 2023);
	assert_int_equal(t.mon, 1);
	assert_int_equal(t.day, 1);
}

static void test_keys(void **state)
{
	char a[VG_TS_KEY_LEN], b[VG_TS_KEY_LEN];
	(void)state;
	key_is("2016-05-12T08:17:27Z", "2016-05-12T08:17:27.000000000Z");
	key_is("2016-05-12T08:17:27.1Z", "2016-05-12T08:17:27.100000000Z");
	key_is("2016-05-12T08:17:27.100Z", "2016-05-12T08:17:27.100000000Z");
	key_is("2016-05-12T08:17:27.123456789Z",
	       "2016-05-12T08:17:27.123456789Z");
	key_is("2016-05-12T08:17:27.1234567891Z",
	       "2016-05-12T08:17:27.123456789Z");
	key_is("0001-01-01T00:00:00Z", "0001-01-01T00:00:00.000000000Z");
	assert_int_equal(strlen("2016-05-12T08:17:27.000000000Z"),
	                 VG_TS_KEY_LEN - 1);

	/* '.1Z' and '.100Z' are one instant, so one key. */
	assert_int_equal(vg_ts_key_of("2020-01-01T00:00:00.1Z", a), VG_OK);
	assert_int_equal(vg_ts_key_of("2020-01-01T00:00:00.100Z", b), VG_OK);
	assert_string_equal(a, b);

	/* Keys sort as the instants do, whatever the fraction length. */
	assert_int_equal(vg_ts_key_of("2020-01-01T00:00:00.9Z", a), VG_OK);
	assert_int_equal(vg_ts_key_of("2020-01-01T00:00:00.10Z", b), VG_OK);
	assert_true(strcmp(a, b) > 0);
	assert_int_equal(vg_ts_key_of("2020-01-01T00:00:01Z", b), VG_OK);
	assert_true(strcmp(a, b) < 0);

	memcpy(a, "untouched", 10);
	assert_int_equal(vg_ts_key_of("2020-01-01T00:00:00+00:00", a),
	                 VG_EINVAL);
	assert_string_equal(a, "untouched");
}

/* Microseconds written as a TAXII timestamp, and read back. */
static void test_format(void **state)
{
	(void)state;
	static const struct {
		int64_t us;
		const char *text;
	} cases[] = {
		{0, "1970-01-01T00:00:00.000000Z"},
		{1, "1970-01-01T00:00:00.000001Z"},
		{-1, "1969-12-31T23:59:59.999999Z"},
		{951782400000000LL, "2000-02-29T00:00:00.000000Z"},
		{1796537085794284LL, "2026-12-06T06:04:45.794284Z"},
		{253402300799999999LL, "9999-12-31T23:59:59.999999Z"},
		{-62135596800000000LL, "0001-01-01T00:00:00.000000Z"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[VG_TIME_LEN];
		int64_t back = 0;
		memset(out, 'x', sizeof(out));
		vg_time_format_us(cases[i].us, out);
		assert_string_equal(out, cases[i].text);
		assert_int_equal(vg_time_parse_us(out, &back), VG_OK);
		assert_true(back == cases[i].us);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_leap_years), cmocka_unit_test(test_calendar),
	    cmocka_unit_test(test_clock),      cmocka_unit_test(test_utc_only),
	    cmocka_unit_test(test_fraction),   cmocka_unit_test(test_keys),
	    cmocka_unit_test(test_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
