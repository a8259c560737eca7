/* Unit tests of the streaming JSON splitter: shapes, compaction, chunking,
 * and the exact errors for malformed input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vigil/util/buf.h"
#include "vigil/util/error.h"
#include "vigil/util/jstream.h"

struct out {
	struct vg_buf all; /* objects joined with '\n' */
	size_t n;
};

static int collect(void *ud, const char *json, size_t len, size_t index)
{
	struct out *o = ud;
	assert_int_equal(index, o->n);
	assert_int_equal(strlen(json), len);
	o->n++;
	vg_buf_append(&o->all, json, len);
	return vg_buf_putc(&o->all, '\n');
}

/* Runs input through a stream fed in chunks of `chunk` bytes. */
static int run(const char *in, size_t chunk, struct out *o, char *err,
	       size_t errlen, int *container)
{
	vg_buf_init(&o->all, 0);
	o->n = 0;
	struct vg_jstream *s = vg_jstream_new(1 << 20, collect, o);
	size_t n = strlen(in);
	int rc = VG_OK;
	for (size_t i = 0; i < n && !rc; i += chunk)
		rc = vg_jstream_feed(s, in + i, n - i < chunk ? n - i : chunk);
	if (!rc)
		rc = vg_jstream_finish(s);
	snprintf(err, errlen, "%s", vg_jstream_error(s));
	if (container)
		*container = vg_jstream_is_container(s);
	vg_jstream_free(s);
	return rc;
}

static void expect(const char *in, const char *want, size_t nwant,
		   int container_want)
{
	for (size_t chunk = 1; chunk <= 64; chunk = chunk * 2 + 1) {
		struct out o;
		char err[200];
		int container;
		int rc = run(in, chunk, &o, err, sizeof(err), &container);
		assert_int_equal(rc, VG_OK);
		assert_string_equal(err, "");
		assert_int_equal(o.n, nwant);
		assert_string_equal(o.all.data ? o.all.data : "", want);
		assert_int_equal(container, container_want);
		vg_buf_release(&o.all);
	}
}

static void expect_error(const char *in, const char *want)
{
	for (size_t chunk = 1; chunk <= 64; chunk = chunk * 2 + 1) {
		struct out o;
		char err[200];
		int rc = run(in, chunk, &o, err, sizeof(err), NULL);
		assert_int_equal(rc, VG_EJSON);
		assert_string_equal(err, want);
		vg_buf_release(&o.all);
	}
}

static void test_bundle(void **state)
{
	(void)state;
	expect("{ \"type\" : \"bundle\", \"id\": \"bundle--1\",\n"
	       "  \"objects\": [ {\"a\": [1, 2.5e-3, true]} ,\n"
	       "{\"b\" : \"x y\\\"z\", \"objects\": [null]} ] }",
	       "{\"a\":[1,2.5e-3,true]}\n{\"b\":\"x y\\\"z\",\"objects\":[null]}\n",
	       2, 1);
}

static void test_envelope_key_order(void **state)
{
	(void)state;
	expect("{\"objects\":[{\"x\":1}],\"more\":false,\"next\":\"a\"}",
	       "{\"x\":1}\n", 1, 1);
	expect("{\"more\":false,\"objects\":[]}", "", 0, 1);
}

static void test_array_and_lines(void **state)
{
	(void)state;
	expect("[{\"x\":1},{\"y\":{\"z\":[]}}]", "{\"x\":1}\n{\"y\":{\"z\":[]}}\n",
	       2, 1);
	expect("{\"x\":1}\n{\"y\":2}\r\n\n{\"z\":\"\xc3\xa9\"}\n",
	       "{\"x\":1}\n{\"y\":2}\n{\"z\":\"\xc3\xa9\"}\n", 3, 0);
	expect("  {\"x\" : 1 }  ", "{\"x\":1}\n", 1, 0);
	expect("7", "7\n", 1, 0);
}

static void test_medallion(void **state)
{
	(void)state;
	expect("{\"/discovery\":{\"title\":\"t\"},\"root\":{\"information\":{},"
	       "\"collections\":[{\"id\":\"c\",\"objects\":[{\"o\":1},{\"o\":2}],"
	       "\"manifest\":[{\"m\":1}]}]}}",
	       "{\"o\":1}\n{\"o\":2}\n", 2, 1);
}

static void test_strings_verbatim(void **state)
{
	(void)state;
	expect("[{\"s\":\"a\\u00e9\\ud83d\\ude00\\n \\/\"}]",
	       "{\"s\":\"a\\u00e9\\ud83d\\ude00\\n \\/\"}\n", 1, 1);
	/* 4-byte UTF-8 */
	expect("[\"\xf0\x9f\x98\x80\"]", "\"\xf0\x9f\x98\x80\"\n", 1, 1);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("", "line 1, column 1: no JSON value in the input");
	expect_error("   \n ", "line 2, column 2: no JSON value in the input");
	expect_error("{\"objects\":[{\"a\":1},",
		     "line 1, column 21: unexpected end of input inside a value");
	expect_error("{\"a\" 1}", "line 1, column 6: expected ':', found '1'");
	expect_error("[1,]", "line 1, column 4: expected a value, found ']'");
	expect_error("{\"a\":1,}",
		     "line 1, column 8: expected a property name, found '}'");
	expect_error("[01]", "line 1, column 3: leading zero in number");
	expect_error("[1.]", "line 1, column 4: expected a digit after '.'");
	expect_error("[tru]", "line 1, column 5: invalid literal, expected 'true'");
	expect_error("[\"a\nb\"]",
		     "line 1, column 4: control character 0x0a in string");
	expect_error("[\"\xc0\xaf\"]", "line 1, column 3: invalid UTF-8 in string");
	expect_error("[\"\xed\xa0\x80\"]",
		     "line 1, column 4: invalid UTF-8 in string");
	expect_error("[\"\\ud800x\"]",
		     "line 1, column 9: high surrogate escape without low surrogate");
	expect_error("[\"\\udc00\"]",
		     "line 1, column 8: low surrogate escape without high surrogate");
	expect_error("[\"\\x\"]", "line 1, column 4: invalid escape '\\x'");
	expect_error("{\"a\":1}}", "line 1, column 8: expected a value, found '}'");
	expect_error("nope", "line 1, column 2: invalid literal, expected 'null'");
}

static void test_depth_limit(void **state)
{
	(void)state;
	char in[1200];
	memset(in, '[', 600);
	in[600] = '\0';
	expect_error(in, "line 1, column 513: nesting deeper than 512 levels");
}

static int stop_at_second(void *ud, const char *json, size_t len, size_t i)
{
	(void)ud;
	(void)json;
	(void)len;
	return i == 1 ? VG_EINVAL : VG_OK;
}

static void test_callback_stops(void **state)
{
	(void)state;
	struct vg_jstream *s = vg_jstream_new(100, stop_at_second, NULL);
	const char *in = "[1,2,3]";
	assert_int_equal(vg_jstream_feed(s, in, strlen(in)), VG_EINVAL);
	assert_int_equal(vg_jstream_feed(s, "]", 1), VG_EJSON);
	vg_jstream_free(s);
	/* a bare number ends only at the end of input: the code comes from
	 * finish, and the stream is failed after it as after a feed (found
	 * by fuzz/fuzz_jstream.c) */
	s = vg_jstream_new(100, stop_at_second, NULL);
	assert_int_equal(vg_jstream_feed(s, "1 2", 3), VG_OK);
	assert_int_equal(vg_jstream_finish(s), VG_EINVAL);
	assert_int_equal(vg_jstream_feed(s, "{}", 2), VG_EJSON);
	vg_jstream_free(s);
}

static void test_too_big(void **state)
{
	(void)state;
	struct out o = {0};
	vg_buf_init(&o.all, 0);
	struct vg_jstream *s = vg_jstream_new(8, collect, &o);
	const char *in = "[{\"a\":1},{\"abcdefgh\":1}]";
	assert_int_equal(vg_jstream_feed(s, in, strlen(in)), VG_ETOOBIG);
	assert_string_equal(vg_jstream_error(s),
			    "line 1, column 18: object longer than 8 bytes");
	assert_int_equal(o.n, 1);
	vg_jstream_free(s);
	vg_buf_release(&o.all);
}

/* The envelope callback: a container object's members other than its
 * objects, whatever their order, and the objects still reach the object
 * callback; nothing for bare objects or arrays. */
static int keep_env(void *ud, const char *json, size_t len)
{
	struct vg_buf *b = ud;
	assert_int_equal(strlen(json), len);
	vg_buf_append(b, json, len);
	return vg_buf_putc(b, '\n');
}

static int count_obj(void *ud, const char *json, size_t len, size_t index)
{
	(void)json;
	(void)len;
	(void)index;
	struct vg_buf *b = ud;
	return vg_buf_putc(b, 'o');
}

static void envelope(const char *in, const char *want)
{
	for (size_t chunk = 1; chunk <= 64; chunk = chunk * 2 + 1) {
		struct vg_buf b;
		vg_buf_init(&b, 0);
		struct vg_jstream *s = vg_jstream_new(1 << 20, count_obj, &b);
		vg_jstream_on_envelope(s, (vg_jstream_env_cb)keep_env);
		/* both callbacks share the buffer through ud */
		size_t n = strlen(in);
		int rc = VG_OK;
		for (size_t i = 0; i < n && !rc; i += chunk)
			rc = vg_jstream_feed(s, in + i,
					     n - i < chunk ? n - i : chunk);
		if (!rc)
			rc = vg_jstream_finish(s);
		assert_int_equal(rc, VG_OK);
		assert_string_equal(b.data ? b.data : "", want);
		vg_jstream_free(s);
		vg_buf_release(&b);
	}
}

static void test_envelope_members(void **state)
{
	(void)state;
	envelope("{\"type\": \"bundle\", \"id\": \"bundle--1\", "
		 "\"objects\": [{\"a\":1}, {\"b\":[2]}]}",
		 "oo{\"type\":\"bundle\",\"id\":\"bundle--1\"}\n");
	envelope("{\"objects\":[{\"a\":1}],\"id\":\"x\",\"more\":false}",
		 "o{\"id\":\"x\",\"more\":false}\n");
	envelope("{\"type\":\"bundle\",\"objects\":[],\"spec_version\":"
		 "\"2.0\"}",
		 "{\"type\":\"bundle\",\"spec_version\":\"2.0\"}\n");
	envelope("{\"objects\":[{\"a\":1}]}", "o{}\n");
	envelope("{\"type\":\"bundle\",\"objects\":[{\"a\":1}]}\n"
		 "{\"id\":\"b2\",\"objects\":[{\"a\":2}]}",
		 "o{\"type\":\"bundle\"}\no{\"id\":\"b2\"}\n");
	/* no objects array: the object itself is the one to handle */
	envelope("{\"type\":\"bundle\",\"id\":\"x\"}", "o");
	envelope("[{\"a\":1},{\"b\":2}]", "oo");
}

static int refuse_env(void *ud, const char *json, size_t len)
{
	(void)ud;
	(void)json;
	(void)len;
	return VG_EINVAL;
}

static void test_envelope_stops(void **state)
{
	(void)state;
	struct vg_buf b;
	vg_buf_init(&b, 0);
	struct vg_jstream *s = vg_jstream_new(1 << 20, count_obj, &b);
	vg_jstream_on_envelope(s, refuse_env);
	const char *in = "{\"type\":\"bundle\",\"objects\":[{\"a\":1}]}";
	assert_int_equal(vg_jstream_feed(s, in, strlen(in)), VG_EINVAL);
	assert_string_equal(b.data, "o");
	vg_jstream_free(s);
	vg_buf_release(&b);
}

/* The error names the first byte past the limit, however the input is
 * cut: a long string value is copied in runs, which used to name the
 * end of the run (so the column moved with the chunking; found by
 * fuzz/fuzz_jstream.c). */
static void test_too_big_same_column_in_chunks(void **state)
{
	(void)state;
	const char *in = "[{\"a\":\"bcdefghijklmnop\"}]";
	for (size_t chunk = 1; chunk <= strlen(in); chunk++) {
		struct out o = {0};
		vg_buf_init(&o.all, 0);
		struct vg_jstream *s = vg_jstream_new(10, collect, &o);
		int rc = VG_OK;
		for (size_t i = 0; i < strlen(in) && !rc; i += chunk) {
			size_t k = strlen(in) - i < chunk ? strlen(in) - i : chunk;
			rc = vg_jstream_feed(s, in + i, k);
		}
		assert_int_equal(rc, VG_ETOOBIG);
		/* {"a":"bcde fits in 10 bytes; f, column 12, does not */
		assert_string_equal(vg_jstream_error(s),
				    "line 1, column 12: object longer than 10 bytes");
		vg_jstream_free(s);
		vg_buf_release(&o.all);
	}
}

/* A TAXII envelope is one JSON value: a second one, or anything but white
 * space after it, fails where it starts; JSON lines stay for the rest. */
static void test_one_value(void **state)
{
	(void)state;
	static const struct {
		const char *in, *err;
	} cases[] = {
		{"{\"objects\":[{\"a\":1}]}{\"objects\":[{\"b\":2}]}",
		 "line 1, column 22: data after the JSON value, found '{'"},
		{"{\"objects\":[]}\n {\"objects\":[]}",
		 "line 2, column 2: data after the JSON value, found '{'"},
		{"{\"objects\":[]} x", "line 1, column 16: data after the JSON "
				      "value, found 'x'"},
		{"5 6", "line 1, column 3: data after the JSON value, found '6'"},
		{"{\"objects\":[]} \r\n\t", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct out o = {0};
		vg_buf_init(&o.all, 0);
		struct vg_jstream *s = vg_jstream_new(1 << 20, collect, &o);
		vg_jstream_one_value(s);
		int rc = vg_jstream_feed(s, cases[i].in, strlen(cases[i].in));
		if (!rc)
			rc = vg_jstream_finish(s);
		assert_int_equal(rc, cases[i].err ? VG_EJSON : VG_OK);
		assert_string_equal(vg_jstream_error(s),
				    cases[i].err ? cases[i].err : "");
		vg_jstream_free(s);
		vg_buf_release(&o.all);
	}
	/* without it, the same input is two values (JSON lines) */
	struct out o;
	char err[200];
	assert_int_equal(run("{\"a\":1}{\"b\":2}", 64, &o, err, sizeof(err),
			     NULL),
			 VG_OK);
	assert_int_equal(o.n, 2);
	vg_buf_release(&o.all);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bundle),
		cmocka_unit_test(test_envelope_key_order),
		cmocka_unit_test(test_array_and_lines),
		cmocka_unit_test(test_medallion),
		cmocka_unit_test(test_strings_verbatim),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_too_big),
		cmocka_unit_test(test_envelope_members),
		cmocka_unit_test(test_envelope_stops),
		cmocka_unit_test(test_too_big_same_column_in_chunks),
		cmocka_unit_test(test_one_value),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
