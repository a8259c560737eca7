/* Unit tests of the capped growing buffer (util/buf.h): formatting that
 * fits the room there is, that needs the buffer to grow, and that the cap
 * refuses, which leaves the buffer as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <string.h>

#include "vigil/util/buf.h"
#include "vigil/util/error.h"

static void printf_grows_and_fits(void **state)
{
	(void)state;
	struct vg_buf b;
	vg_buf_init(&b, 0);
	assert_int_equal(vg_buf_printf(&b, "%s-%d", "a", 1), VG_OK);
	assert_string_equal(b.data, "a-1");
	/* exactly the room left, one more, then far more than the room */
	size_t room = b.cap - b.len - 1;
	char fill[256];
	memset(fill, 'x', sizeof(fill));
	assert_true(room < sizeof(fill));
	assert_int_equal(vg_buf_printf(&b, "%.*s", (int)room, fill), VG_OK);
	assert_int_equal(b.len, 3 + room);
	assert_int_equal(vg_buf_printf(&b, "%c", 'y'), VG_OK);
	assert_int_equal(b.len, 4 + room);
	assert_int_equal(vg_buf_printf(&b, "%.*s|%lld", 200, fill, -42LL),
			 VG_OK);
	assert_int_equal(b.len, 4 + room + 200 + 4);
	assert_string_equal(b.data + b.len - 4, "|-42");
	assert_int_equal(strlen(b.data), b.len);
	vg_buf_release(&b);
}

static void printf_past_the_cap_changes_nothing(void **state)
{
	(void)state;
	struct vg_buf b;
	vg_buf_init(&b, 10);
	assert_int_equal(vg_buf_printf(&b, "%s", "12345"), VG_OK);
	/* fits the allocation (64 bytes) but not the cap */
	assert_int_equal(vg_buf_printf(&b, "%s", "678901"), VG_ETOOBIG);
	assert_string_equal(b.data, "12345");
	assert_int_equal(b.len, 5);
	assert_int_equal(vg_buf_printf(&b, "%s", "67890"), VG_OK);
	assert_string_equal(b.data, "1234567890");
	assert_int_equal(vg_buf_printf(&b, "%d", 1), VG_ETOOBIG);
	assert_string_equal(b.data, "1234567890");
	vg_buf_release(&b);
	/* a refusal on the way to a larger allocation */
	vg_buf_init(&b, 100);
	assert_int_equal(vg_buf_printf(&b, "%s", "ab"), VG_OK);
	assert_int_equal(vg_buf_printf(&b, "%0120d", 7), VG_ETOOBIG);
	assert_string_equal(b.data, "ab");
	vg_buf_release(&b);
}

/* put_int writes what "%lld" writes, the extremes included */
static void put_int_is_lld(void **state)
{
	(void)state;
	const long long v[] = {0, 7, -7, 10, 1234567890123LL, LLONG_MAX, LLONG_MIN};
	struct vg_buf b, ref;
	vg_buf_init(&b, 0);
	vg_buf_init(&ref, 0);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_int_equal(vg_buf_put_int(&b, v[i]), VG_OK);
		assert_int_equal(vg_buf_putc(&b, ' '), VG_OK);
		assert_int_equal(vg_buf_printf(&ref, "%lld ", v[i]), VG_OK);
	}
	assert_string_equal(b.data, ref.data);
	assert_string_equal(b.data, "0 7 -7 10 1234567890123 9223372036854775807"
				    " -9223372036854775808 ");
	vg_buf_release(&b);
	vg_buf_init(&b, 3);
	assert_int_equal(vg_buf_put_int(&b, 1234), VG_ETOOBIG);
	assert_int_equal(b.len, 0);
	vg_buf_release(&b);
	vg_buf_release(&ref);
}

static void json_is(const char *in, size_t max, const char *want)
{
	struct vg_buf b;
	vg_buf_init(&b, 0);
	assert_int_equal(vg_buf_json_strn(&b, in, max), VG_OK);
	assert_string_equal(b.data, want);
	vg_buf_release(&b);
}

/* every escape, bad UTF-8 replaced, and a cut that keeps whole
 * characters, inside a run of plain text or at a character */
static void json_strings(void **state)
{
	(void)state;
	json_is("plain text", SIZE_MAX, "\"plain text\"");
	json_is(NULL, SIZE_MAX, "\"\"");
	json_is("q\"b\\n\nr\rt\t", SIZE_MAX, "\"q\\\"b\\\\n\\nr\\rt\\t\"");
	json_is("<a href=x>&</a>\x01\x7f", SIZE_MAX,
		"\"\\u003ca href=x\\u003e\\u0026\\u003c/a\\u003e\\u0001\\u007f\"");
	json_is("caf\xc3\xa9 \xe2\x80\xa8 \xe2\x80\xa9", SIZE_MAX,
		"\"caf\xc3\xa9 \\u2028 \\u2029\"");
	json_is("a\xff" "b\xc3", SIZE_MAX, "\"a\\ufffdb\\ufffd\"");
	json_is("abcdef", 3, "\"abc\"");
	json_is("ab\xc3\xa9" "cd", 3, "\"ab\"");
	json_is("ab\xc3\xa9" "cd", 4, "\"ab\xc3\xa9\"");
	json_is("ab\"cd", 3, "\"ab\\\"\"");
	json_is("abc", 0, "\"\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(printf_grows_and_fits),
		cmocka_unit_test(printf_past_the_cap_changes_nothing),
		cmocka_unit_test(put_int_is_lld),
		cmocka_unit_test(json_strings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
