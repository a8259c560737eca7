/* Unit tests of STIX patterning [9]: the grammar rule by rule (valid
 * patterns, and invalid ones with their exact message and column), the
 * literals the walker lists, and the matcher's truth table per operator
 * and per qualifier. Every match is checked twice: vg_pattern_match and
 * an indexed set (with decoy patterns) must agree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vigil/pattern/pattern.h"
#include "vigil/stix/stix.h"
#include "vigil/util/error.h"

/* ---- helpers -------------------------------------------------------- */

static struct vg_pattern *parse(const char *s)
{
	struct vg_pattern *p = NULL;
	struct vg_pattern_error e;
	char msg[256];
	if (vg_pattern_parse(s, strlen(s), &p, &e) != VG_OK) {
		vg_pattern_error_text(&e, msg, sizeof(msg));
		fail_msg("refused %s: %s", s, msg);
	}
	return p;
}

static void ok(const char *s)
{
	vg_pattern_free(parse(s));
}

/* Refused with exactly "<reason> at column N" in section sec. */
static void bad(const char *s, const char *want, const char *sec)
{
	struct vg_pattern *p = (struct vg_pattern *)0x1;
	struct vg_pattern_error e;
	char msg[256];
	int rc = vg_pattern_parse(s, strlen(s), &p, &e);
	if (rc != VG_EINVAL)
		fail_msg("accepted: %s", s);
	assert_ptr_equal(p, (struct vg_pattern *)0x1); /* untouched */
	vg_pattern_error_text(&e, msg, sizeof(msg));
	if (strcmp(msg, want) != 0)
		fail_msg("%s\n  got:  %s\n  want: %s", s, msg, want);
	assert_string_equal(e.section, sec);
}

#define MAX_OBS 16

/* Observations built from JSON: a list of SCOs with times and count. */
struct world {
	struct vg_pattern_obs obs[MAX_OBS];
	cJSON *doc[MAX_OBS];
	const cJSON *scos[MAX_OBS][8];
	size_t n;
};

static void add_obs(struct world *w, const char *scos, const char *first,
                    const char *last, uint64_t count)
{
	assert_true(w->n < MAX_OBS);
	cJSON *d = cJSON_Parse(scos);
	assert_non_null(d);
	size_t k = 0;
	for (const cJSON *c = d->child; c; c = c->next) {
		assert_true(k < 8);
		w->scos[w->n][k++] = c;
	}
	struct vg_pattern_obs *o = &w->obs[w->n];
	o->scos = w->scos[w->n];
	o->n_scos = k;
	assert_int_equal(vg_pattern_time_parse(first, &o->first), VG_OK);
	assert_int_equal(vg_pattern_time_parse(last, &o->last), VG_OK);
	o->count = count;
	w->doc[w->n++] = d;
}

/* One SCO seen once at t. */
static void add_sco(struct world *w, const char *sco, const char *t)
{
	char buf[1024];
	snprintf(buf, sizeof(buf), "[%s]", sco);
	add_obs(w, buf, t, t, 1);
}

static void world_free(struct world *w)
{
	for (size_t i = 0; i < w->n; i++)
		cJSON_Delete(w->doc[i]);
	w->n = 0;
}

static int collect(void *ud, uint64_t id)
{
	uint64_t *hits = ud;
	*hits |= 1ull << id;
	return 0;
}

/* Patterns of the set besides the one under test. */
static const char *const decoys[] = {
    "[ipv4-addr:value = '10.9.9.9']",
    "[file:name = 'decoy.exe'] FOLLOWEDBY [file:name = 'decoy2.exe']",
    "[domain-name:value LIKE '%.decoy']",
};

/* Does pattern s match w? Both matchers must say the same. */
static int matches(const char *s, const struct world *w)
{
	struct vg_pattern *p = parse(s), *d[3];
	struct vg_pattern_set *set;
	struct vg_pattern_matcher *m;
	int one = -1;
	uint64_t hits = 0;
	size_t complex = 99;

	assert_int_equal(vg_pattern_match(p, w->obs, w->n, &one), VG_OK);
	assert_int_equal(vg_pattern_set_new(&set), VG_OK);
	for (int i = 0; i < 3; i++) {
		d[i] = parse(decoys[i]);
		assert_int_equal(vg_pattern_set_add(set, d[i], (uint64_t)i + 1),
		                 VG_OK);
	}
	assert_int_equal(vg_pattern_set_add(set, p, 0), VG_OK);
	assert_int_equal(vg_pattern_matcher_new(set, &m), VG_OK);
	assert_int_equal(
	    vg_pattern_matcher_run(m, w->obs, w->n, collect, &hits, &complex),
	    VG_OK);
	assert_int_equal(complex, 0);
	if ((int)(hits & 1) != one)
		fail_msg("%s: match says %d, the set says %d", s, one,
		         (int)(hits & 1));
	vg_pattern_matcher_free(m);
	vg_pattern_set_free(set);
	for (int i = 0; i < 3; i++)
		vg_pattern_free(d[i]);
	vg_pattern_free(p);
	return one;
}

static void yes(const char *s, const struct world *w)
{
	if (matches(s, w) != 1)
		fail_msg("does not match: %s", s);
}

static void no(const char *s, const struct world *w)
{
	if (matches(s, w) != 0)
		fail_msg("matches: %s", s);
}

#define T0 "2024-01-01T00:00:00Z"

/* ---- grammar: valid ------------------------------------------------- */

static void test_valid_comparisons(void **state)
{
	(void)state;
	ok("[file:size = 1280]");
	ok("[file:size == 1280]");
	ok("[file:size != 1280]");
	ok("[file:size <> 1280]");
	ok("[file:size < 1024]");
	ok("[file:size <= 1024]");
	ok("[file:size > 1024]");
	ok("[file:size >= 1024]");
	ok("[file:size NOT = 1]");
	ok("[file:size NOT < 1]");
	ok("[file:name IN ('a', 'b', 'c')]");
	ok("[file:size IN (1024, 2048.5)]"); /* numbers mix */
	ok("[file:size NOT IN ()]");
	ok("[file:name LIKE 'name%']");
	ok("[file:name NOT LIKE '_x%']");
	ok("[file:name MATCHES '^a.+\\\\.exe$']");
	ok("[ipv4-addr:value ISSUBSET '192.168.0.0/16']");
	ok("[ipv4-addr:value NOT ISSUPERSET '192.168.1.1']");
	ok("[ipv6-addr:value ISSUBSET '2001:db8::/32']");
	ok("[file:name NOT MATCHES 'x']");
	ok("[EXISTS file:name]");
	ok("[NOT EXISTS file:name]");
	ok("[file:name = 'a' AND file:size = 1 OR file:size = 2]");
	ok("[(file:name = 'a' OR file:size = 1) AND (file:size = 2)]");
	ok("[((((file:size = 1))))]");
}

static void test_valid_paths(void **state)
{
	(void)state;
	ok("[file:hashes.'SHA-256' = "
	   "'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f'"
	   "]");
	ok("[file:extensions.'windows-pebinary-ext'.sections[*].entropy > "
	   "7.0]");
	ok("[email-message:body_multipart[0].body_raw_ref.name = 'x']");
	ok("[x:list[-1] = 1]");
	ok("[x-usb-device:usbdrive.serial_number = '5758']");
	ok("[file:'name' = 'a']");
	ok("[file:hashes[*] = '8665c8d477534008b3058b72e2dae8ae']");
	ok("[x:'it\\'s' = 1]");
	ok("[_x_:_y_ = 1]");
	ok("[ANDROID:ORBIT = 1]"); /* keywords only as whole words */
}

static void test_valid_literals(void **state)
{
	(void)state;
	ok("[x:a = -5]");
	ok("[x:a = +5]");
	ok("[x:a = 0]");
	ok("[x:a = -0.5]");
	ok("[x:a = .5]");
	ok("[x:a = 9223372036854775807]");
	ok("[x:a = -9223372036854775808]");
	ok("[x:a = 'it\\'s a \\\\ backslash']");
	ok("[x:a = '']");
	ok("[x:a = 'caf\xc3\xa9']");
	ok("[x:a = b'dGhpcyBpcyBhIHRlc3Q=']");
	ok("[x:a = b'YQ==']");
	ok("[x:a = h'']");
	ok("[x:a = h'ffD8']");
	ok("[x:a = t'2016-06-01T01:30:00Z']");
	ok("[x:a = t'2016-06-01T01:30:00.123456789Z']");
	ok("[x:a = t'2024-02-29T00:00:00Z']");
	ok("[x:a = true]");
	ok("[x:a != false]");
}

static void test_valid_observations(void **state)
{
	(void)state;
	ok("[a:b = 1] AND [a:b = 2]");
	ok("[a:b = 1] OR [a:b = 2] AND [a:b = 3]");
	ok("[a:b = 1] FOLLOWEDBY [a:b = 2] FOLLOWEDBY [a:b = 3]");
	ok("([a:b = 1] FOLLOWEDBY [a:b = 2]) WITHIN 300 SECONDS");
	ok("[a:b = 1] WITHIN 0.5 SECONDS");
	ok("[a:b = 1] REPEATS 5 TIMES WITHIN 1800 SECONDS");
	ok("[a:b = 1] START t'2016-06-01T01:30:00Z' STOP "
	   "t'2016-06-01T02:20:00Z'");
	ok("[a:b = 1] REPEATS 2 TIMES WITHIN 5 SECONDS START "
	   "t'2016-06-01T01:30:00Z' STOP t'2016-06-01T02:20:00Z'");
	/* A group may stack qualifiers of one kind (the OASIS validator). */
	ok("([a:b = 1]) WITHIN 5 SECONDS WITHIN 6 SECONDS");
	ok("([a:b = 1] REPEATS 2 TIMES) REPEATS 2 TIMES");
	ok("( [(x:p IN(443,6443) AND x:q != 0) ])");
	/* whitespace, Unicode spaces, comments */
	ok("\t[a:b\n=\r1]\xc2\xa0/* c */ AND // d\n[a:b = 2]\xe3\x80\x80");
}

static int count_lines(void *ud, const struct vg_pattern_literal *l)
{
	(void)l;
	(*(int *)ud)++;
	return 0;
}

/* Every indicator with pattern_type "stix", at any depth of v. */
static int check_indicators(const cJSON *v)
{
	int n = 0;
	const cJSON *pt = cJSON_GetObjectItem(v, "pattern_type");
	const cJSON *pa = cJSON_GetObjectItem(v, "pattern");
	if (cJSON_IsObject(v) && cJSON_IsString(pt) && cJSON_IsString(pa) &&
	    strcmp(pt->valuestring, "stix") == 0) {
		struct vg_pattern *p = parse(pa->valuestring);
		int lits = 0;
		vg_pattern_literals(p, count_lines, &lits);
		assert_true(lits > 0);
		vg_pattern_free(p);
		n++;
	}
	for (const cJSON *c = v->child; c; c = c->next)
		n += check_indicators(c);
	return n;
}

/* Every stix pattern of the shared STIX files, and the standard's
 * examples (as the OASIS validator's test data lists them). */
static void test_valid_real_patterns(void **state)
{
	(void)state;
	static const char *const files[] = {
	    "oasis-apt1.json",
	    "oasis-poisonivy.json",
	    "medallion-default-data.json",
	    "oasis-example-indicator-for-c2-ip-address.json",
	    "oasis-example-indicator-to-campaign-relationship.json",
	    "oasis-example-indicators-for-C2-with-COA.json",
	    "oasis-example-malicious-email-indicator-with-attachment.json"};
	int n = 0;
	for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/data/stix/%s", VG_SHARED_DIR,
		         files[f]);
		FILE *fp = fopen(path, "rb");
		assert_non_null(fp);
		static char text[200000];
		size_t len = fread(text, 1, sizeof(text) - 1, fp);
		fclose(fp);
		text[len] = '\0';
		cJSON *d = cJSON_Parse(text);
		assert_non_null(d);
		n += check_indicators(d);
		cJSON_Delete(d);
	}
	assert_int_equal(n, 47); /* 43 in bundles, 4 in medallion's */

	static const char *const spec[] = {
	    "[email-message:from_ref.value MATCHES '.+\\\\@example\\\\.com$' "
	    "AND email-message:body_multipart[*].body_raw_ref.name MATCHES "
	    "'^Final Report.+\\\\.exe$']",
	    "[user-account:account_type = 'unix' AND user-account:user_id = "
	    "'1007'] AND [user-account:account_type = 'unix']",
	    "[artifact:mime_type = 'application/vnd.tcpdump.pcap' AND "
	    "artifact:payload_bin MATCHES "
	    "'\\\\xd4\\\\xc3\\\\xb2\\\\xa1\\\\x02\\\\x00\\\\x04\\\\x00']",
	    "[file:name = 'foo.dll' AND file:parent_directory_ref.path = "
	    "'C:\\\\Windows\\\\System32']",
	    "[file:mime_type = 'image/bmp' AND file:magic_number_hex = "
	    "h'ffd8']",
	    "[network-traffic:dst_ref.type = 'domain-name' AND "
	    "network-traffic:dst_ref.value = 'example.com'] REPEATS 5 TIMES "
	    "WITHIN 1800 SECONDS",
	    "[domain-name:value = 'www.5z8.info' AND "
	    "domain-name:resolves_to_refs[*].value = '198.51.100.1/32']",
	    "[(file:name = 'pdf.exe' OR file:size = '371712') AND "
	    "file:created = t'2014-01-13T07:03:17Z']",
	    "[process:command_line MATCHES '^.+>-add GlobalSign.cer -c -s -r "
	    "localMachine Root$'] FOLLOWEDBY [process:command_line "
	    "MATCHES'^.+>-add GlobalSign.cer'] WITHIN 300 SECONDS",
	    "[network-traffic:dst_ref.value ISSUBSET "
	    "'2001:0db8:dead:beef:0000:0000:0000:0000/64']",
	    "([file:name = 'foo.dll'] AND [win-registry-key:key = "
	    "'HKEY_LOCAL_MACHINE\\\\foo\\\\bar']) OR [process:name = "
	    "'fooproc' OR process:name = 'procfoo']",
	};
	for (size_t i = 0; i < sizeof(spec) / sizeof(spec[0]); i++) {
		struct vg_pattern *p = parse(spec[i]);
		assert_null(vg_pattern_unsupported(p));
		vg_pattern_free(p);
	}
}

/* ---- grammar: invalid ----------------------------------------------- */

static void test_invalid_structure(void **state)
{
	(void)state;
	bad("", "expected '[' or '(', found the end of the pattern at column 1",
	    "9.3");
	bad("file:size = 1280", "expected '[' or '(', found 'file' at column 1",
	    "9.3");
	bad("[file:size = 1",
	    "expected ']', found the end of the pattern at column 15", "9.3");
	bad("[file:size = 1]]",
	    "expected 'AND', 'OR', 'FOLLOWEDBY', 'WITHIN', 'REPEATS', 'START' "
	    "or the end, found ']' at column 16",
	    "9.3");
	bad("([a:b = 1] AND [a:b = 2]",
	    "expected ')', found the end of the pattern at column 25", "9.3");
	bad("[a:b = 1] AND",
	    "expected '[' or '(', found the end of the "
	    "pattern at column 14",
	    "9.3");
	bad("[a:b = 1] FOLLOWEDBY",
	    "expected '[' or '(', found the end of the pattern at column 21",
	    "9.3");
	bad("[file:name = 'a' AND]",
	    "expected an object path, '(' or 'EXISTS', found ']' at column 21",
	    "9.3");
	bad("[]",
	    "expected an object path, '(' or 'EXISTS', found ']' at "
	    "column 2",
	    "9.3");
	bad("[(a:b = 1]", "expected ')', found ']' at column 10", "9.3");
	bad("[a:b = 1] and [a:b = 2]",
	    "expected 'AND', 'OR', 'FOLLOWEDBY', 'WITHIN', 'REPEATS', 'START' "
	    "or the end, found 'and' (keywords are upper case) at column 11",
	    "9.3");
	bad("[a:b = 1] within 2 seconds",
	    "expected 'AND', 'OR', 'FOLLOWEDBY', 'WITHIN', 'REPEATS', 'START' "
	    "or the end, found 'within' (keywords are upper case) at column 11",
	    "9.3");
	bad("[a:b = 1] /* open", "unterminated comment at column 11", "9.2");
	/* columns count characters, not bytes */
	bad("[a:b = 'caf\xc3\xa9'] ]",
	    "expected 'AND', 'OR', 'FOLLOWEDBY', 'WITHIN', 'REPEATS', 'START' "
	    "or the end, found ']' at column 16",
	    "9.3");
	char deep[1000];
	memset(deep, '(', 300);
	strcpy(deep + 300, "[a:b = 1]");
	bad(deep, "nested too deeply at column 201", "9.3");
	/* a NUL byte in the text */
	struct vg_pattern *p;
	struct vg_pattern_error e;
	assert_int_equal(vg_pattern_parse("[a:b = 1]\0", 10, &p, &e),
	                 VG_EINVAL);
	assert_string_equal(e.reason, "unexpected NUL byte");
	assert_int_equal(e.column, 10);
	assert_int_equal(e.offset, 9);
}

static void test_invalid_paths(void **state)
{
	(void)state;
	bad("[file.size = 1280]",
	    "expected ':' after the object type, found '.' at column 6", "9.3");
	bad("[file:mime-type = 'x']",
	    "a property name with '-' must be quoted: 'mime-type' at column 7",
	    "9.3");
	bad("[file: = 1]", "expected a property name, found '=' at column 8",
	    "9.3");
	bad("[file:a. = 1]", "expected a property name, found '=' at column 10",
	    "9.3");
	bad("[file:a[x] = 1]",
	    "expected a list index or '*', found 'x' at column 9", "9.3");
	bad("[file:a[1 = 1]", "expected ']', found '=' at column 11", "9.3");
	bad("[1:a = 1]",
	    "expected an object path, '(' or 'EXISTS', found '1' at column 2",
	    "9.3");
	bad("[NOT file:a = 1]",
	    "expected 'EXISTS' after 'NOT', found 'file' at column 6", "9.3");
	bad("[EXISTS]",
	    "expected an object path, '(' or 'EXISTS', found ']' "
	    "at column 8",
	    "9.3");
}

static void test_invalid_operators(void **state)
{
	(void)state;
	bad("[file:size ~ 1]", "unexpected character '~' at column 12", "9.3");
	bad("[file:size =? 'x']", "unexpected character '?' at column 13",
	    "9.3");
	bad("[file:size ! 1]", "unexpected character '!' at column 12", "9.2");
	bad("[file:size 1]",
	    "expected a comparison operator, found '1' at column 12", "9.3");
	bad("[file:size NOT NOT = 1]",
	    "expected a comparison operator, found 'NOT' at column 16", "9.3");
	bad("[file:size = ]", "expected a literal, found ']' at column 14",
	    "9.3");
	bad("[file:hashes.MD5 = cead3f77f6cda6ec00f57d76c9a6879f]",
	    "expected a literal, found 'cead3f77f6cda6ec00f57d76...' at column "
	    "20",
	    "9.3");
	bad("[file:name MATCHES /.*\\.dll/]",
	    "unexpected character '/' at column 20", "9.3");
	bad("[a:b < true]",
	    "'<' needs an orderable literal, not a boolean at column 8", "9.4");
	bad("[a:b LIKE 5]", "LIKE needs a string literal at column 11", "9.4");
	bad("[a:b MATCHES b'YQ==']",
	    "MATCHES needs a string literal at column 14", "9.4");
	bad("[a:b ISSUBSET '10.0.0.0/33']",
	    "ISSUBSET needs an IPv4 or IPv6 address or CIDR block at column 15",
	    "9.4");
	bad("[a:b ISSUPERSET 'example.com']",
	    "ISSUPERSET needs an IPv4 or IPv6 address or CIDR block at column "
	    "17",
	    "9.4");
	bad("[a:b ISSUBSET '010.0.0.1']",
	    "ISSUBSET needs an IPv4 or IPv6 address or CIDR block at column 15",
	    "9.4");
	bad("[a:b IN 1]", "expected '(' after IN, found '1' at column 9",
	    "9.3");
	bad("[a:b IN (1, 'x')]",
	    "set members must all be of one type at column 13", "9.4");
	bad("[a:b IN (1 2)]", "expected ',' or ')', found '2' at column 12",
	    "9.3");
	bad("[a:b IN (1,)]", "expected a literal, found ')' at column 12",
	    "9.3");
	bad("[a:b MATCHES '(a']",
	    "invalid regular expression: unmatched ( or \\( at column 14",
	    "9.4");
	bad("[a:b MATCHES 'a\\\\']",
	    "invalid regular expression: ends with a backslash at column 14",
	    "9.4");
	/* glibc would build nested loops of stacked quantifiers (found by
	 * fuzzing: 12 s and 600 MB for one pattern) */
	bad("[a:b MATCHES 'a**']",
	    "invalid regular expression: quantifier does not follow a "
	    "repeatable item at column 14",
	    "9.4");
	bad("[a:b MATCHES '(*a)']",
	    "invalid regular expression: quantifier does not follow a "
	    "repeatable item at column 14",
	    "9.4");
	bad("[file:hashes.'SHA-256' = 'f00']",
	    "'f00' is not a valid SHA-256 hash at column 26", "9.4");
	bad("[file:hashes.md5 = 'zz0123456789012345678901234567890']",
	    "'zz0123456789012345678901234567890' is not a valid md5 hash at "
	    "column 20",
	    "9.4");
}

static void test_invalid_literals(void **state)
{
	(void)state;
	bad("[a:b = 0123]", "an integer may not start with 0 at column 8",
	    "9.2");
	bad("[a:b = 9223372036854775808]", "integer out of range at column 8",
	    "9.2");
	bad("[a:b = -]", "expected digits after the sign at column 8", "9.2");
	bad("[a:b = 'x]", "unterminated quoted literal at column 8", "9.2");
	bad("[a:b = 'a\\nb']",
	    "invalid escape in a string (only \\' and \\\\) at column 10",
	    "9.2");
	bad("[a:b = b'====']",
	    "invalid binary literal (base64 in groups of four) at column 8",
	    "9.2");
	bad("[a:b = b'YQ=']",
	    "invalid binary literal (base64 in groups of four) at column 8",
	    "9.2");
	bad("[a:b = b'']",
	    "invalid binary literal (base64 in groups of four) at column 8",
	    "9.2");
	bad("[a:b = h'abc']",
	    "invalid hex literal (pairs of hex digits) at column 8", "9.2");
	bad("[a:b = h'zz']",
	    "invalid hex literal (pairs of hex digits) at column 8", "9.2");
	static const char *const ts[] = {
	    "2457-73-22T32:81:84.1Z", "2024-13-01T12:00:00Z",
	    "2024-01-32T12:00:00Z",   "2024-01-15T25:00:00Z",
	    "2024-01-15T12:60:00Z",   "2024-01-15T12:30:61Z",
	    "2024-01-15T12:30:45",    "not-a-timestamp",
	    "2024/01/15T12:30:45Z",   "2023-02-29T12:00:00Z",
	    "2024-01-15t12:30:45z",   "2024-01-15T12:30:45+00:00"};
	for (size_t i = 0; i < sizeof(ts) / sizeof(ts[0]); i++) {
		char s[128];
		snprintf(s, sizeof(s), "[a:b = t'%s']", ts[i]);
		bad(s,
		    "invalid timestamp literal (t'YYYY-MM-DDTHH:MM:SS[.s+]Z', "
		    "a "
		    "real date) at column 8",
		    "9.2");
	}
	bad("[a:b = TRUE]", "expected a literal, found 'TRUE' at column 8",
	    "9.3");
}

static void test_invalid_qualifiers(void **state)
{
	(void)state;
	const char *k = "[w:key = 'k']";
	char s[256];
#define Q(q) (snprintf(s, sizeof(s), "%s %s", k, q), s)
	bad(Q("WITHIN ]"),
	    "expected a positive number of seconds, found ']' at column 22",
	    "9.3");
	bad(Q("WITHIN 5 HOURS"),
	    "expected 'SECONDS' (the only unit of WITHIN), found 'HOURS' at "
	    "column 24",
	    "9.3");
	bad(Q("WITHIN -5 SECONDS"),
	    "expected a positive number of seconds, found '-5' at column 22",
	    "9.3");
	bad(Q("WITHIN 0 SECONDS"),
	    "WITHIN needs a positive number of seconds (at most 10^15) at "
	    "column 22",
	    "9.6");
	bad(Q("WITHIN 0.0 SECONDS"),
	    "WITHIN needs a positive number of seconds (at most 10^15) at "
	    "column 22",
	    "9.6");
	bad(Q("REPEATS 0 TIMES"),
	    "REPEATS needs a count of at least 1 at column 23", "9.6");
	bad(Q("REPEATS 1.5 TIMES"),
	    "expected a positive integer, found '1.5' at column 23", "9.3");
	bad(Q("REPEATS 2"),
	    "expected 'TIMES', found the end of the pattern at column 24",
	    "9.3");
	bad(Q("START '2016-06-01T01:30:00Z' STOP '2016-06-01T02:30:00Z'"),
	    "expected a timestamp t'...', found ''2016-06-01T01:30:00Z'' at "
	    "column 21",
	    "9.3");
	bad(Q("START t'2016-06-01T01:30:00Z'"),
	    "expected 'STOP', found the end of the pattern at column 44",
	    "9.3");
	bad(Q("START t'2016-06-01T01:30:00Z' STOP t'2016-06-01T01:30:00Z'"),
	    "STOP must be later than START at column 50", "9.6");
	bad(Q("WITHIN 5 SECONDS WITHIN 6 SECONDS"),
	    "duplicate WITHIN qualifier at column 32", "9.6");
	bad(Q("REPEATS 2 TIMES REPEATS 3 TIMES"),
	    "duplicate REPEATS qualifier at column 31", "9.6");
	bad(Q("START t'2016-06-01T01:30:00Z' STOP t'2016-06-01T02:30:00Z' "
	      "START t'2016-06-01T01:30:00Z' STOP t'2016-06-01T02:30:00Z'"),
	    "duplicate START/STOP qualifier at column 74", "9.6");
#undef Q
}

/* ---- literals ------------------------------------------------------- */

static int list_lits(void *ud, const struct vg_pattern_literal *l)
{
	static const char *const kinds[] = {
	    "int", "float", "string", "binary", "hex", "timestamp", "bool"};
	char *out = ud;
	size_t n = strlen(out);
	snprintf(out + n, 1024 - n, "%s|%s|%d|%s%s|%.*s\n", l->object_type,
	         l->path, (int)l->op, l->negated ? "not " : "", kinds[l->kind],
	         (int)l->len, l->text);
	return 0;
}

static int stop_at_two(void *ud, const struct vg_pattern_literal *l)
{
	(void)l;
	return ++*(int *)ud == 2 ? 42 : 0;
}

static void test_literals(void **state)
{
	(void)state;
	char out[1024] = "";
	struct vg_pattern *p = parse(
	    "[file:hashes.'SHA-256' = "
	    "'AEC070645FE53EE3B3763059376134F058CC337247C978ADD178B6CCDFB0019F'"
	    " OR file:name NOT IN ('a.exe', 'it\\'s')] FOLLOWEDBY "
	    "[network-traffic:dst_ref.value ISSUBSET '10.0.0.0/8' AND "
	    "network-traffic:dst_port >= -1 AND x:y[*].'a b' = h'FF' AND "
	    "x:t = t'2016-06-01T01:30:00.5Z' AND x:f = 1.50 AND x:b = true "
	    "AND x:bin = b'YQ==' AND EXISTS x:e]");
	assert_int_equal(vg_pattern_literals(p, list_lits, out), VG_OK);
	assert_string_equal(
	    out,
	    "file|hashes.'sha-256'|0|string|"
	    "AEC070645FE53EE3B3763059376134F058CC337247C978ADD178B6CCDFB0019F\n"
	    "file|name|6|not string|a.exe\n"
	    "file|name|6|not string|it's\n"
	    "network-traffic|dst_ref.value|9|string|10.0.0.0/8\n"
	    "network-traffic|dst_port|5|int|-1\n"
	    "x|y[*].'a b'|0|hex|FF\n"
	    "x|t|0|timestamp|2016-06-01T01:30:00.5Z\n"
	    "x|f|0|float|1.50\n"
	    "x|b|0|bool|true\n"
	    "x|bin|0|binary|YQ==\n");
	int n = 0;
	assert_int_equal(vg_pattern_literals(p, stop_at_two, &n), 42);
	assert_int_equal(n, 2);
	vg_pattern_free(p);
}

/* ---- matcher: operators --------------------------------------------- */

static void test_match_equality(void **state)
{
	(void)state;
	struct world w = {0};
	add_sco(&w,
	        "{\"type\":\"file\",\"name\":\"a.exe\",\"size\":1024,"
	        "\"ratio\":0.5,\"signed\":true,\"hashes\":{\"MD5\":"
	        "\"79054025255FB1A26E4BC422AEF54EB4\"},\"ctime\":"
	        "\"2016-06-01T01:30:00.000Z\",\"magic_number_hex\":\"ffd8\","
	        "\"payload_bin\":\"YWJj\",\"text\":\"abc\"}",
	        T0);
	yes("[file:name = 'a.exe']", &w);
	no("[file:name = 'A.EXE']", &w); /* case-sensitive */
	no("[file:name != 'a.exe']", &w);
	yes("[file:name != 'b.exe']", &w);
	yes("[file:name NOT = 'b.exe']", &w);
	no("[file:name NOT != 'b.exe']", &w);
	yes("[file:size = 1024]", &w);
	yes("[file:size = 1024.0]", &w);
	no("[file:size = '1024']", &w); /* types differ: not equal */
	yes("[file:size != '1024']", &w);
	yes("[file:ratio = 0.5]", &w);
	yes("[file:signed = true]", &w);
	no("[file:signed = false]", &w);
	no("[file:signed = 1]", &w);
	/* a missing property: false, whatever the operator or NOT */
	no("[file:nope = 1]", &w);
	no("[file:nope != 1]", &w);
	no("[file:nope NOT = 1]", &w);
	no("[file:nope NOT IN (1)]", &w);
	/* hash names and hex values compare without case */
	yes("[file:hashes.md5 = '79054025255fb1a26e4bc422aef54eb4']", &w);
	yes("[file:hashes.'MD5' = '79054025255FB1A26E4BC422AEF54EB4']", &w);
	/* timestamps compare as instants */
	yes("[file:ctime = t'2016-06-01T01:30:00Z']", &w);
	no("[file:ctime = t'2016-06-01T01:30:00.001Z']", &w);
	no("[file:name = t'2016-06-01T01:30:00Z']", &w);
	/* binary: _hex and _bin properties decoded, others as bytes */
	yes("[file:magic_number_hex = h'FFD8']", &w);
	yes("[file:magic_number_hex = b'/9g=']", &w);
	no("[file:magic_number_hex = h'ffd9']", &w);
	yes("[file:payload_bin = h'616263']", &w);
	yes("[file:payload_bin = 'abc']", &w);
	yes("[file:text = h'616263']", &w);
	yes("[file:text = b'YWJj']", &w);
	/* IN */
	yes("[file:name IN ('x', 'a.exe')]", &w);
	no("[file:name IN ('x', 'y')]", &w);
	yes("[file:name NOT IN ('x', 'y')]", &w);
	no("[file:name IN ()]", &w);
	yes("[file:size IN (1, 1024.0)]", &w);
	/* the comparison's type must be the SCO's */
	no("[url:name = 'a.exe']", &w);
	world_free(&w);
}

static void test_match_order(void **state)
{
	(void)state;
	struct world w = {0};
	add_sco(&w,
	        "{\"type\":\"file\",\"name\":\"m\",\"size\":10,"
	        "\"ctime\":\"2016-06-01T01:30:00Z\",\"data_hex\":\"0102\"}",
	        T0);
	static const struct {
		const char *p;
		int want;
	} t[] = {
	    {"[file:size < 11]", 1},
	    {"[file:size < 10]", 0},
	    {"[file:size <= 10]", 1},
	    {"[file:size <= 9.5]", 0},
	    {"[file:size > 9]", 1},
	    {"[file:size > 10]", 0},
	    {"[file:size >= 10]", 1},
	    {"[file:size >= 10.5]", 0},
	    {"[file:size NOT < 11]", 0},
	    {"[file:size NOT > 11]", 1},
	    {"[file:name < 'n']", 1},
	    {"[file:name > 'l']", 1},
	    {"[file:name >= 'm']", 1},
	    {"[file:name < 'm']", 0},
	    {"[file:size < 'z']", 0}, /* no order between types */
	    {"[file:size NOT < 'z']", 1},
	    {"[file:ctime < t'2016-06-01T01:30:01Z']", 1},
	    {"[file:ctime > t'2016-06-01T01:30:01Z']", 0},
	    {"[file:data_hex > h'01']", 1},
	    {"[file:data_hex < h'0103']", 1},
	    {"[file:data_hex <= h'0102']", 1},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (matches(t[i].p, &w) != t[i].want)
			fail_msg("%s should be %d", t[i].p, t[i].want);
	world_free(&w);
}

static void test_match_like_matches(void **state)
{
	(void)state;
	struct world w = {0};
	add_sco(&w,
	        "{\"type\":\"email-message\",\"subject\":\"[IMPORTANT] "
	        "Please Review Before 12 May\",\"body\":\"caf\xc3\xa9 "
	        "ok\",\"payload_bin\":\"1MOyoQIABAA=\"}",
	        T0);
	yes("[email-message:subject LIKE '[IMPORTANT]%']", &w);
	yes("[email-message:subject LIKE '%May']", &w);
	yes("[email-message:subject LIKE '%Review%']", &w);
	yes("[email-message:subject LIKE '[_MPORTANT] %Before __ May']", &w);
	no("[email-message:subject LIKE 'important%']", &w);
	no("[email-message:subject LIKE '%Review']", &w);
	yes("[email-message:subject NOT LIKE 'x%']", &w);
	yes("[email-message:body LIKE 'caf_ ok']", &w); /* _ is a character */
	no("[email-message:body LIKE 'caf__ ok']", &w);
	yes("[email-message:subject MATCHES '^\\\\[IMPORTANT\\\\] Please']",
	    &w);
	/* a class, as in the OASIS example: not the text "[IMPORTANT]" */
	no("[email-message:subject MATCHES '^[IMPORTANT] Please Review']", &w);
	yes("[email-message:subject MATCHES 'Before \\\\d{2} \\\\w+$']", &w);
	no("[email-message:subject MATCHES 'Before \\\\d{3}']", &w);
	yes("[email-message:subject MATCHES '(?i)please\\\\s+review']", &w);
	no("[email-message:subject MATCHES 'please']", &w);
	yes("[email-message:subject MATCHES 'Rev(?:iew)+?\\\\b']", &w);
	yes("[email-message:subject MATCHES '[\\\\d]{2}']", &w);
	yes("[email-message:subject MATCHES '\\\\QReview Before\\\\E']", &w);
	yes("[email-message:subject NOT MATCHES 'xyz']", &w);
	/* the standard's binary example: \x00 in the expression too */
	yes("[email-message:payload_bin MATCHES "
	    "'\\\\xd4\\\\xc3\\\\xb2\\\\xa1\\\\x02\\\\x00\\\\x04\\\\x00']",
	    &w);
	no("[email-message:payload_bin MATCHES '^\\\\xd4\\\\x00']", &w);
	/* unsupported PCRE: valid, reported, never true */
	struct vg_pattern *p = parse("[email-message:subject MATCHES "
	                             "'Please(?= Review)']");
	assert_string_equal(vg_pattern_unsupported(p),
	                    "MATCHES at column 24 uses lookaround, which vigil "
	                    "cannot evaluate: it never matches");
	vg_pattern_free(p);
	no("[email-message:subject MATCHES 'Please(?= Review)']", &w);
	p = parse("[email-message:subject MATCHES '((a{100}){100}){100}']");
	assert_string_equal(vg_pattern_unsupported(p),
	                    "MATCHES at column 24 uses counted repetitions "
	                    "expanding past 20000 states, which vigil cannot "
	                    "evaluate: it never matches");
	vg_pattern_free(p);
	p = parse("[email-message:subject MATCHES 'a{1001}']");
	assert_string_equal(
	    vg_pattern_unsupported(p),
	    "MATCHES at column 24 uses a repetition count above "
	    "1000, which vigil cannot evaluate: it never "
	    "matches");
	vg_pattern_free(p);
	no("[email-message:subject NOT MATCHES 'Please(?= Review)']", &w);
	world_free(&w);
}

/* MATCHES skips regexec when a literal every match needs is absent:
 * optional parts must not be taken for needed ones. */
static void test_match_regex_literal(void **state)
{
	(void)state;
	struct world w = {0};
	add_sco(&w, "{\"type\":\"x\",\"v\":\"ac\",\"w\":\"xa.b\"}", T0);
	static const struct {
		const char *re;
		int want;
	} t[] = {
	    {"ab?c", 1},           {"ab*c", 1},       {"ab{0,2}c", 1},
	    {"ab+c", 0},           {"ab{1,}c", 0},    {"a(bc)?", 1},
	    {"zz|ac", 1},          {"(zz|a)c", 1},    {"^ac$", 1},
	    {"a\\\\x63", 1},       {"a\\\\x62?c", 1}, {"\\\\Qac\\\\E", 1},
	    {"\\\\Qab\\\\E?c", 1}, {"(?i)AC", 1},     {"a.", 1},
	    {"a[bc]", 1},          {"a\\\\{?c", 1},   {"ca", 0},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char s[128];
		snprintf(s, sizeof(s), "[x:v MATCHES '%s']", t[i].re);
		if (matches(s, &w) != t[i].want)
			fail_msg("%s should be %d", s, t[i].want);
	}
	yes("[x:w MATCHES 'xa\\\\.b']", &w);
	no("[x:w MATCHES 'xa\\\\.c']", &w);
	world_free(&w);
}

static void test_match_ip_sets(void **state)
{
	(void)state;
	struct world w = {0};
	add_obs(&w,
	        "[{\"type\":\"ipv4-addr\",\"value\":\"198.51.100.7\"},"
	        "{\"type\":\"ipv4-addr\",\"value\":\"203.0.113.0/24\"},"
	        "{\"type\":\"ipv6-addr\",\"value\":\"2001:db8:dead:beef::1\"}]",
	        T0, T0, 1);
	yes("[ipv4-addr:value ISSUBSET '198.51.100.0/24']", &w);
	yes("[ipv4-addr:value ISSUBSET '198.51.100.7']", &w);
	no("[ipv4-addr:value ISSUBSET '10.0.0.0/8']", &w);
	yes("[ipv4-addr:value ISSUBSET '203.0.0.0/16']", &w);
	yes("[ipv4-addr:value ISSUPERSET '203.0.113.9']", &w);
	yes("[ipv4-addr:value ISSUPERSET '203.0.113.128/25']", &w);
	no("[ipv4-addr:value ISSUPERSET '203.0.0.0/16']", &w);
	yes("[ipv4-addr:value NOT ISSUBSET '10.0.0.0/8']", &w);
	yes("[ipv6-addr:value ISSUBSET "
	    "'2001:0db8:dead:beef:0000:0000:0000:0000/64']",
	    &w);
	no("[ipv6-addr:value ISSUBSET '2001:db8:dead:bee0::/64']", &w);
	no("[ipv6-addr:value ISSUBSET '0.0.0.0/0']", &w); /* families */
	yes("[ipv4-addr:value ISSUBSET '0.0.0.0/0']", &w);
	world_free(&w);
}

static void test_match_paths(void **state)
{
	(void)state;
	struct world w = {0};
	add_obs(&w,
	        "[{\"type\":\"email-message\",\"id\":\"email-message--1\","
	        "\"from_ref\":\"email-addr--1\",\"to_refs\":[\"email-addr--2\","
	        "\"email-addr--3\"],\"body_multipart\":[{\"body_raw_ref\":"
	        "\"file--1\"},{\"body\":\"x\"}]},"
	        "{\"type\":\"email-addr\",\"id\":\"email-addr--1\","
	        "\"value\":\"evil@example.com\"},"
	        "{\"type\":\"email-addr\",\"id\":\"email-addr--2\","
	        "\"value\":\"a@example.org\"},"
	        "{\"type\":\"email-addr\",\"id\":\"email-addr--3\","
	        "\"value\":\"b@example.org\"},"
	        "{\"type\":\"file\",\"id\":\"file--1\",\"name\":\"Final Report "
	        "2024.exe\",\"extensions\":{\"windows-pebinary-ext\":"
	        "{\"sections\":[{\"entropy\":3.1},{\"entropy\":7.5}]}}}]",
	        T0, T0, 1);
	yes("[email-message:from_ref.value MATCHES '.+\\\\@example\\\\.com$']",
	    &w);
	yes("[email-message:to_refs[*].value = 'b@example.org']", &w);
	yes("[email-message:to_refs[0].value = 'a@example.org']", &w);
	no("[email-message:to_refs[0].value = 'b@example.org']", &w);
	no("[email-message:to_refs[5].value = 'b@example.org']", &w);
	no("[email-message:to_refs[-1].value = 'b@example.org']", &w);
	yes("[email-message:body_multipart[*].body_raw_ref.name MATCHES "
	    "'^Final Report.+\\\\.exe$']",
	    &w);
	yes("[file:extensions.'windows-pebinary-ext'.sections[*].entropy > "
	    "7.0]",
	    &w);
	no("[file:extensions.'windows-pebinary-ext'.sections[0].entropy > "
	   "7.0]",
	   &w);
	yes("[EXISTS file:extensions]", &w);
	no("[EXISTS file:size]", &w);
	yes("[NOT EXISTS file:size]", &w);
	no("[NOT EXISTS url:value]", &w); /* no url at all */
	/* AND: on one and the same SCO */
	yes("[email-addr:value = 'a@example.org' OR email-addr:value = 'x']",
	    &w);
	no("[email-addr:value = 'a@example.org' AND email-addr:value = "
	   "'b@example.org']",
	   &w);
	no("[email-addr:value = 'a@example.org' AND file:name LIKE '%']", &w);
	yes("[(file:name LIKE 'Final%' OR file:size = 1) AND EXISTS "
	    "file:extensions]",
	    &w);
	world_free(&w);
}

/* ---- matcher: observation operators and qualifiers ------------------ */

#define IP(v) "{\"type\":\"ipv4-addr\",\"value\":\"" v "\"}"
#define DN(v) "{\"type\":\"domain-name\",\"value\":\"" v "\"}"

static void test_match_and_or(void **state)
{
	(void)state;
	struct world w = {0};
	add_sco(&w, IP("10.0.0.1"), "2024-01-01T00:00:00Z");
	add_sco(&w, DN("example.com"), "2024-01-01T00:01:00Z");
	yes("[ipv4-addr:value = '10.0.0.1'] AND [domain-name:value = "
	    "'example.com']",
	    &w);
	no("[ipv4-addr:value = '10.0.0.1'] AND [domain-name:value = "
	   "'example.org']",
	   &w);
	yes("[ipv4-addr:value = '10.0.0.9'] OR [domain-name:value = "
	    "'example.com']",
	    &w);
	no("[ipv4-addr:value = '10.0.0.9'] OR [domain-name:value = 'x']", &w);
	/* two [ ] need two observations (instances) */
	no("[ipv4-addr:value = '10.0.0.1'] AND [ipv4-addr:value LIKE '10.%']",
	   &w);
	world_free(&w);
	/* ... which one observation seen twice supplies */
	add_obs(&w, "[" IP("10.0.0.1") "]", T0, T0, 2);
	yes("[ipv4-addr:value = '10.0.0.1'] AND [ipv4-addr:value LIKE '10.%']",
	    &w);
	no("[ipv4-addr:value = '10.0.0.1'] AND [ipv4-addr:value LIKE '10.%'] "
	   "AND [ipv4-addr:value LIKE '%1']",
	   &w);
	world_free(&w);
}

static void test_match_followedby(void **state)
{
	(void)state;
	struct world w = {0};
	add_sco(&w, IP("10.0.0.1"), "2024-01-01T00:00:00Z");
	add_sco(&w, DN("example.com"), "2024-01-01T00:01:00Z");
	const char *ab = "[ipv4-addr:value = '10.0.0.1'] FOLLOWEDBY "
	                 "[domain-name:value = 'example.com']";
	const char *ba = "[domain-name:value = 'example.com'] FOLLOWEDBY "
	                 "[ipv4-addr:value = '10.0.0.1']";
	yes(ab, &w);
	no(ba, &w);
	world_free(&w);
	/* overlapping intervals: instants can be chosen in order */
	add_obs(&w, "[" IP("10.0.0.1") "]", "2024-01-01T00:00:00Z",
	        "2024-01-01T00:10:00Z", 1);
	add_obs(&w, "[" DN("example.com") "]", "2024-01-01T00:05:00Z",
	        "2024-01-01T00:06:00Z", 1);
	yes(ab, &w);
	yes(ba, &w);
	world_free(&w);
	/* the same instant: not before, so it follows */
	add_sco(&w, IP("10.0.0.1"), T0);
	add_sco(&w, DN("example.com"), T0);
	yes(ab, &w);
	yes(ba, &w);
	world_free(&w);
	/* three in a row */
	add_sco(&w, IP("10.0.0.1"), "2024-01-01T00:00:00Z");
	add_sco(&w, DN("a.com"), "2024-01-01T00:01:00Z");
	add_sco(&w, DN("b.com"), "2024-01-01T00:02:00Z");
	yes("[ipv4-addr:value = '10.0.0.1'] FOLLOWEDBY [domain-name:value = "
	    "'a.com'] FOLLOWEDBY [domain-name:value = 'b.com']",
	    &w);
	no("[ipv4-addr:value = '10.0.0.1'] FOLLOWEDBY [domain-name:value = "
	   "'b.com'] FOLLOWEDBY [domain-name:value = 'a.com']",
	   &w);
	/* b.com (00:02) of the left side is after a.com (00:01) */
	no("([ipv4-addr:value = '10.0.0.1'] AND [domain-name:value = "
	   "'b.com']) FOLLOWEDBY [domain-name:value = 'a.com']",
	   &w);
	world_free(&w);
}

static void test_match_within(void **state)
{
	(void)state;
	struct world w = {0};
	add_sco(&w, IP("10.0.0.1"), "2024-01-01T00:00:00Z");
	add_sco(&w, DN("example.com"), "2024-01-01T00:05:00Z");
	const char *p = "([ipv4-addr:value = '10.0.0.1'] FOLLOWEDBY "
	                "[domain-name:value = 'example.com']) WITHIN %s "
	                "SECONDS";
	char s[256];
	snprintf(s, sizeof(s), p, "300");
	yes(s, &w); /* exactly 300 s apart */
	snprintf(s, sizeof(s), p, "299.999");
	no(s, &w);
	snprintf(s, sizeof(s), p, "3600");
	yes(s, &w);
	/* a single observation is always within */
	yes("[ipv4-addr:value = '10.0.0.1'] WITHIN 1 SECONDS", &w);
	world_free(&w);
	/* intervals: the gap between the latest first and the earliest last */
	add_obs(&w, "[" IP("10.0.0.1") "]", "2024-01-01T00:00:00Z",
	        "2024-01-01T00:01:00Z", 1);
	add_obs(&w, "[" DN("example.com") "]", "2024-01-01T00:03:00Z",
	        "2024-01-01T00:09:00Z", 1);
	snprintf(s, sizeof(s), p, "120");
	yes(s, &w);
	snprintf(s, sizeof(s), p, "119");
	no(s, &w);
	world_free(&w);
}

static void test_match_repeats(void **state)
{
	(void)state;
	struct world w = {0};
	add_sco(&w, IP("10.0.0.1"), "2024-01-01T00:00:00Z");
	add_sco(&w, IP("10.0.0.1"), "2024-01-01T00:10:00Z");
	add_sco(&w, IP("10.0.0.1"), "2024-01-01T00:20:00Z");
	const char *ip = "[ipv4-addr:value = '10.0.0.1']";
	char s[256];
	snprintf(s, sizeof(s), "%s REPEATS 3 TIMES", ip);
	yes(s, &w);
	snprintf(s, sizeof(s), "%s REPEATS 4 TIMES", ip);
	no(s, &w);
	snprintf(s, sizeof(s), "%s REPEATS 2 TIMES WITHIN 600 SECONDS", ip);
	yes(s, &w);
	snprintf(s, sizeof(s), "%s REPEATS 3 TIMES WITHIN 600 SECONDS", ip);
	no(s, &w);
	snprintf(s, sizeof(s), "%s REPEATS 3 TIMES WITHIN 1200 SECONDS", ip);
	yes(s, &w);
	/* REPEATS over a group */
	snprintf(s, sizeof(s), "(%s OR [url:value = 'x']) REPEATS 3 TIMES", ip);
	yes(s, &w);
	snprintf(
	    s, sizeof(s),
	    "(%s FOLLOWEDBY [ipv4-addr:value LIKE '10.%%']) REPEATS 2 TIMES",
	    ip);
	no(s, &w); /* needs four instances */
	world_free(&w);
}

/* number_observed counts instances; matching cost must not grow with it
 * (the OASIS matcher lists every instance). */
static void test_match_number_observed(void **state)
{
	(void)state;
	struct world w = {0};
	add_obs(&w, "[" IP("10.0.0.1") "]", "2024-01-01T00:00:00Z",
	        "2024-01-01T00:30:00Z", 999999999);
	yes("[ipv4-addr:value = '10.0.0.1'] REPEATS 999999999 TIMES", &w);
	no("[ipv4-addr:value = '10.0.0.1'] REPEATS 1000000000 TIMES", &w);
	yes("[ipv4-addr:value = '10.0.0.1'] REPEATS 5 TIMES WITHIN 1 SECONDS",
	    &w);
	yes("([ipv4-addr:value = '10.0.0.1'] REPEATS 500000000 TIMES) AND "
	    "([ipv4-addr:value = '10.0.0.1'] REPEATS 499999999 TIMES)",
	    &w);
	no("([ipv4-addr:value = '10.0.0.1'] REPEATS 500000000 TIMES) AND "
	   "([ipv4-addr:value = '10.0.0.1'] REPEATS 500000000 TIMES)",
	   &w);
	yes("[ipv4-addr:value = '10.0.0.1'] FOLLOWEDBY [ipv4-addr:value = "
	    "'10.0.0.1']",
	    &w);
	world_free(&w);
	/* instances from several observations add up */
	add_obs(&w, "[" IP("10.0.0.1") "]", T0, T0, 3);
	add_obs(&w, "[" IP("10.0.0.1") "]", "2024-01-01T01:00:00Z",
	        "2024-01-01T01:00:00Z", 4);
	yes("[ipv4-addr:value = '10.0.0.1'] REPEATS 7 TIMES", &w);
	no("[ipv4-addr:value = '10.0.0.1'] REPEATS 8 TIMES", &w);
	no("[ipv4-addr:value = '10.0.0.1'] REPEATS 5 TIMES WITHIN 60 SECONDS",
	   &w);
	yes("[ipv4-addr:value = '10.0.0.1'] REPEATS 4 TIMES WITHIN 60 SECONDS",
	    &w);
	world_free(&w);
}

static void test_match_start_stop(void **state)
{
	(void)state;
	struct world w = {0};
	add_obs(&w, "[" IP("10.0.0.1") "]", "2016-06-01T01:00:00Z",
	        "2016-06-01T01:30:00Z", 1);
	const char *ip = "[ipv4-addr:value = '10.0.0.1'] START t'%s' STOP "
	                 "t'%s'";
	static const struct {
		const char *start, *stop;
		int want;
	} t[] = {
	    {"2016-06-01T00:00:00Z", "2016-06-01T02:00:00Z", 1}, /* covers */
	    {"2016-06-01T01:10:00Z", "2016-06-01T01:20:00Z", 1}, /* inside */
	    {"2016-06-01T01:30:00Z", "2016-06-01T02:00:00Z", 1}, /* at last */
	    {"2016-06-01T00:00:00Z", "2016-06-01T01:00:00Z", 0}, /* stop is
	                                                             open */
	    {"2016-06-01T00:00:00Z", "2016-06-01T01:00:00.001Z", 1},
	    {"2016-06-01T01:30:00.001Z", "2016-06-01T02:00:00Z", 0},
	    {"2016-05-01T00:00:00Z", "2016-05-02T00:00:00Z", 0},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char s[256];
		snprintf(s, sizeof(s), ip, t[i].start, t[i].stop);
		if (matches(s, &w) != t[i].want)
			fail_msg("%s should be %d", s, t[i].want);
	}
	world_free(&w);
	/* every observation of the group must fall in the window */
	add_sco(&w, IP("10.0.0.1"), "2016-06-01T01:00:00Z");
	add_sco(&w, DN("example.com"), "2016-06-01T03:00:00Z");
	no("([ipv4-addr:value = '10.0.0.1'] AND [domain-name:value = "
	   "'example.com']) START t'2016-06-01T00:00:00Z' STOP "
	   "t'2016-06-01T02:00:00Z'",
	   &w);
	yes("([ipv4-addr:value = '10.0.0.1'] AND [domain-name:value = "
	    "'example.com']) START t'2016-06-01T00:00:00Z' STOP "
	    "t'2016-06-01T04:00:00Z'",
	    &w);
	world_free(&w);
}

/* ---- the set -------------------------------------------------------- */

static void test_set(void **state)
{
	(void)state;
	static const char *const pats[] = {
	    "[ipv4-addr:value = '10.0.0.1']",                         /* 0 */
	    "[ipv4-addr:value IN ('10.0.0.2', '10.0.0.1')]",          /* 1 */
	    "[domain-name:value = 'example.com']",                    /* 2 */
	    "[ipv4-addr:value ISSUBSET '10.0.0.0/8']",                /* 3 */
	    "[file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4']", /* 4 */
	    "[ipv4-addr:value = '10.0.0.1'] REPEATS 2 TIMES",         /* 5 */
	    "[ipv4-addr:value = '10.0.0.1'] FOLLOWEDBY [domain-name:value = "
	    "'example.com']", /* 6 */
	    "[ipv4-addr:value = '10.0.0.1' AND ipv4-addr:value = "
	    "'10.0.0.2']", /* 7 */
	};
	struct vg_pattern *p[8];
	struct vg_pattern_set *set;
	struct vg_pattern_matcher *m;
	assert_int_equal(vg_pattern_set_new(&set), VG_OK);
	for (int i = 0; i < 8; i++) {
		p[i] = parse(pats[i]);
		assert_int_equal(vg_pattern_set_add(set, p[i], (uint64_t)i),
		                 VG_OK);
	}
	assert_int_equal(vg_pattern_set_count(set), 8);
	assert_int_equal(vg_pattern_matcher_new(set, &m), VG_OK);
	struct world w = {0};
	add_sco(&w, IP("10.0.0.1"), "2024-01-01T00:00:00Z");
	uint64_t hits = 0;
	assert_int_equal(
	    vg_pattern_matcher_run(m, w.obs, 1, collect, &hits, NULL), VG_OK);
	assert_int_equal(hits, 1u << 0 | 1u << 1 | 1u << 3);
	add_sco(&w, DN("example.com"), "2024-01-01T00:01:00Z");
	add_obs(&w,
	        "[{\"type\":\"file\",\"hashes\":{\"md5\":"
	        "\"79054025255FB1A26E4BC422AEF54EB4\"}}]",
	        T0, T0, 1);
	add_sco(&w, IP("10.0.0.1"), "2024-01-01T00:02:00Z");
	hits = 0;
	assert_int_equal(
	    vg_pattern_matcher_run(m, w.obs, w.n, collect, &hits, NULL), VG_OK);
	assert_int_equal(hits, 0x7f);
	/* the same matcher again: nothing left over */
	hits = 0;
	assert_int_equal(
	    vg_pattern_matcher_run(m, w.obs + 1, 1, collect, &hits, NULL),
	    VG_OK);
	assert_int_equal(hits, 1u << 2);
	world_free(&w);
	vg_pattern_matcher_free(m);
	vg_pattern_set_free(set);
	for (int i = 0; i < 8; i++)
		vg_pattern_free(p[i]);
}

static void test_observed_data(void **state)
{
	(void)state;
	struct vg_pattern_obs o;
	cJSON *od =
	    cJSON_Parse("{\"type\":\"observed-data\",\"first_observed\":"
	                "\"2024-01-01T00:00:00Z\",\"last_observed\":"
	                "\"2024-01-01T00:00:01.5Z\",\"number_observed\":7}");
	assert_int_equal(vg_pattern_obs_from_observed_data(&o, od), VG_OK);
	assert_int_equal(o.count, 7);
	assert_int_equal(o.first.sec, 1704067200);
	assert_int_equal(o.last.sec, 1704067201);
	assert_int_equal(o.last.nsec, 500000000);
	cJSON_ReplaceItemInObject(od, "number_observed", cJSON_CreateNumber(0));
	assert_int_equal(vg_pattern_obs_from_observed_data(&o, od), VG_EINVAL);
	cJSON_Delete(od);
	struct vg_pattern_time t;
	assert_int_equal(vg_pattern_time_parse("1969-12-31T23:59:59Z", &t),
	                 VG_OK);
	assert_int_equal(t.sec, -1);
	assert_int_equal(vg_pattern_time_parse("0000-01-01T00:00:00Z", &t),
	                 VG_OK);
	assert_int_equal(t.sec, -62167219200LL);
}

/* The hook in validation [4.7]: pattern_type "stix" must parse. */
static void test_indicator_validation(void **state)
{
	(void)state;
	static const char *const head =
	    "{\"type\":\"indicator\",\"spec_version\":\"2.1\","
	    "\"id\":\"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\","
	    "\"created\":\"2026-01-01T00:00:00.000Z\","
	    "\"modified\":\"2026-01-01T00:00:00.000Z\","
	    "\"valid_from\":\"2026-01-01T00:00:00Z\",";
	static const struct {
		const char *tail, *err;
	} t[] = {
	    {"\"pattern_type\":\"stix\",\"pattern\":\"[ipv4-addr:value = "
	     "'10.0.0.1']\"}",
	     NULL},
	    {"\"pattern_type\":\"stix\",\"pattern\":\"[ipv4-addr:value = "
	     "'10.0.0.1'\"}",
	     "$.pattern: expected ']', found the end of the pattern at column "
	     "30 [9.3]"},
	    {"\"pattern_type\":\"stix\",\"pattern\":\"[file:hashes.MD5 = "
	     "'x']\"}",
	     "$.pattern: 'x' is not a valid MD5 hash at column 20 [9.4]"},
	    {"\"pattern_type\":\"stix\",\"pattern\":\"[a:b = 1] WITHIN 5 "
	     "MINUTES\"}",
	     "$.pattern: expected 'SECONDS' (the only unit of WITHIN), found "
	     "'MINUTES' at column 20 [9.3]"},
	    /* other pattern languages are not parsed */
	    {"\"pattern_type\":\"sigma\",\"pattern\":\"title: x\"}", NULL},
	    {"\"pattern_type\":\"snort\",\"pattern\":\"[not stix\"}", NULL},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char json[1024], err[256] = "", want[300];
		snprintf(json, sizeof(json), "%s%s", head, t[i].tail);
		cJSON *o = cJSON_Parse(json);
		assert_non_null(o);
		int rc = vg_stix_validate(o, NULL, err, sizeof(err));
		cJSON_Delete(o);
		if (!t[i].err) {
			if (rc != VG_OK)
				fail_msg("refused: %s", err);
			continue;
		}
		assert_int_equal(rc, VG_EINVAL);
		snprintf(
		    want, sizeof(want),
		    "object 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'"
		    ": %s",
		    t[i].err);
		assert_string_equal(err, want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_valid_comparisons),
	    cmocka_unit_test(test_valid_paths),
	    cmocka_unit_test(test_valid_literals),
	    cmocka_unit_test(test_valid_observations),
	    cmocka_unit_test(test_valid_real_patterns),
	    cmocka_unit_test(test_invalid_structure),
	    cmocka_unit_test(test_invalid_paths),
	    cmocka_unit_test(test_invalid_operators),
	    cmocka_unit_test(test_invalid_literals),
	    cmocka_unit_test(test_invalid_qualifiers),
	    cmocka_unit_test(test_literals),
	    cmocka_unit_test(test_match_equality),
	    cmocka_unit_test(test_match_order),
	    cmocka_unit_test(test_match_like_matches),
	    cmocka_unit_test(test_match_regex_literal),
	    cmocka_unit_test(test_match_ip_sets),
	    cmocka_unit_test(test_match_paths),
	    cmocka_unit_test(test_match_and_or),
	    cmocka_unit_test(test_match_followedby),
	    cmocka_unit_test(test_match_within),
	    cmocka_unit_test(test_match_repeats),
	    cmocka_unit_test(test_match_number_observed),
	    cmocka_unit_test(test_match_start_stop),
	    cmocka_unit_test(test_set),
	    cmocka_unit_test(test_observed_data),
	    cmocka_unit_test(test_indicator_validation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
