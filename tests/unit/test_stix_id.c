/* Unit tests of STIX identifiers: UUID syntax, "type--UUID", UUIDv4 and
 * UUIDv5 (with the standard's SCO vectors), and the TLP marking ids. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vigil/util/error.h"
#include "vigil/stix/stix.h"

#define U "8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"

static void test_uuid_valid(void **state)
{
	(void)state;
	assert_true(vg_uuid_valid(U));
	assert_true(vg_uuid_valid("8E2E2D2B-17D4-4CBF-938F-98EE46B3CD3F"));
	/* mixed case, as in OASIS examples */
	assert_true(vg_uuid_valid("81f12913-1372-4c96-85ec-E9034ac98aba"));
	/* RFC 4122 variant only: 8, 9, a, b */
	assert_true(vg_uuid_valid("8e2e2d2b-17d4-4cbf-b38f-98ee46b3cd3f"));
	assert_false(vg_uuid_valid("8e2e2d2b-17d4-4cbf-738f-98ee46b3cd3f"));
	assert_false(vg_uuid_valid("8e2e2d2b-17d4-4cbf-c38f-98ee46b3cd3f"));
	assert_false(vg_uuid_valid("8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3"));
	assert_false(vg_uuid_valid(U "0"));
	assert_false(vg_uuid_valid("8e2e2d2b17d4-4cbf-938f-98ee46b3cd3f0"));
	assert_false(vg_uuid_valid("8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3g"));
	assert_false(vg_uuid_valid(""));
	assert_false(vg_uuid_valid(NULL));
}

static void test_stix_id_valid(void **state)
{
	(void)state;
	assert_true(vg_stix_id_valid("indicator--" U, NULL));
	assert_true(vg_stix_id_valid("indicator--" U, "indicator"));
	assert_false(vg_stix_id_valid("indicator--" U, "malware"));
	assert_false(vg_stix_id_valid("indicator--" U, "indicato"));
	assert_true(vg_stix_id_valid("x-mitre-tactic--" U, "x-mitre-tactic"));
	assert_false(vg_stix_id_valid("x-mitre-tactic--" U, "x-mitre"));
	assert_false(vg_stix_id_valid("Indicator--" U, NULL));
	assert_false(vg_stix_id_valid("ab--" U, NULL));
	assert_false(vg_stix_id_valid("-indicator--" U, NULL));
	assert_false(vg_stix_id_valid("--" U, NULL));
	assert_false(vg_stix_id_valid("indicator-" U, NULL));
	assert_false(vg_stix_id_valid("indicator---" U, NULL));
	assert_false(vg_stix_id_valid("indicator--" U "-", NULL));
	assert_false(vg_stix_id_valid(U, NULL));
	assert_false(vg_stix_id_valid(NULL, NULL));
}

static void test_uuid_v4(void **state)
{
	unsigned char rnd[16];
	char out[37];
	(void)state;
	memset(rnd, 0xff, sizeof(rnd));
	vg_uuid_v4(rnd, out);
	assert_string_equal(out, "ffffffff-ffff-4fff-bfff-ffffffffffff");
	memset(rnd, 0, sizeof(rnd));
	vg_uuid_v4(rnd, out);
	assert_string_equal(out, "00000000-0000-4000-8000-000000000000");
	assert_true(vg_uuid_valid(out));
}

static void test_uuid_v5(void **state)
{
	char out[37];
	(void)state;
	/* The DNS namespace of RFC 4122, as Python's uuid.uuid5 gives it. */
	assert_int_equal(vg_uuid_v5("6ba7b810-9dad-11d1-80b4-00c04fd430c8",
	                            "python.org", 10, out),
	                 VG_OK);
	assert_string_equal(out, "886313e1-3b8a-5372-9b90-0c9aee199e5d");
	assert_int_equal(vg_uuid_v5("00abedb4-aa42-466c-9c01-fed23315a9b7",
	                            "{\"value\":\"198.51.100.3\"}", 24, out),
	                 VG_OK);
	assert_string_equal(out, "28bb3599-77cd-5a82-a950-b5bc3caf07c4");
	memcpy(out, "untouched", 10);
	assert_int_equal(vg_uuid_v5("not-a-uuid", "x", 1, out), VG_EINVAL);
	assert_string_equal(out, "untouched");
}

static int sco_id(const char *json, char *out, size_t outlen)
{
	cJSON *o = cJSON_Parse(json);
	assert_non_null(o);
	int rc = vg_stix_sco_id(o, out, outlen);
	cJSON_Delete(o);
	return rc;
}

static void sco_is(const char *json, const char *want)
{
	char out[300];
	assert_int_equal(sco_id(json, out, sizeof(out)), VG_OK);
	assert_string_equal(out, want);
}

static void test_sco_vectors(void **state)
{
	(void)state;
	/* The three examples of the standard (reference document). */
	sco_is("{\"type\":\"ipv4-addr\",\"value\":\"198.51.100.3\"}",
	       "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4");
	sco_is("{\"type\":\"domain-name\",\"value\":\"example.com\"}",
	       "domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7");
	sco_is("{\"type\":\"url\",\"value\":"
	       "\"https://example.com/research/index.html\"}",
	       "url--47c3cf9a-5027-5bf0-997a-017c7edc7c55");
	/* Properties that do not contribute change nothing. */
	sco_is("{\"type\":\"ipv4-addr\",\"spec_version\":\"2.1\",\"id\":"
	       "\"ipv4-addr--1e4ffad7-0b88-41d4-ba4d-77d27490b956\","
	       "\"value\":\"198.51.100.3\",\"defanged\":true}",
	       "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4");
}

static void test_sco_contributing(void **state)
{
	(void)state;
	/* One hash, MD5 preferred over SHA-256; keys in JCS order. Expected
	 * ids computed with Python's uuid5 over json.dumps(sort_keys). */
	sco_is(
	    "{\"type\":\"file\",\"name\":\"a.exe\",\"hashes\":{"
	    "\"SHA-256\":\"aa\",\"MD5\":\"1717b7fff97d37a1e1a0029d83492de1\"}"
	    ",\"size\":10}",
	    "file--1bc5bd0f-5f84-552c-b7a2-95d3b28f6285");
	sco_is("{\"type\":\"file\",\"hashes\":{\"SHA-256\":\"aa\"}}",
	       "file--25ff7a47-62fd-581e-a28d-ebc8f0e249f3");
	/* None of the four: the first hash listed. */
	sco_is("{\"type\":\"file\",\"hashes\":{\"SSDEEP\":\"3:a\"}}",
	       "file--5ea9f6d0-28e5-5450-8e1a-35ab2e3fff7d");
	sco_is("{\"type\":\"autonomous-system\",\"number\":15139}",
	       "autonomous-system--3aa27478-50b5-5ab8-9da9-cdc12b657fff");
	sco_is("{\"type\":\"network-traffic\",\"protocols\":[\"tcp\"],"
	       "\"dst_port\":443,\"dst_ref\":"
	       "\"ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4\"}",
	       "network-traffic--068a4b54-d696-5b35-a085-8122d7f6fab1");
	sco_is(
	    "{\"type\":\"email-addr\",\"value\":\"j\xc3\xb6hn@example.com\"}",
	    "email-addr--1910b314-af26-5215-971c-b7047face420");
}

static void test_sco_errors(void **state)
{
	char out[300];
	(void)state;
	assert_int_equal(
	    sco_id("{\"type\":\"process\",\"pid\":1}", out, sizeof(out)),
	    VG_ENOTFOUND);
	assert_int_equal(sco_id("{\"type\":\"domain-name\"}", out, sizeof(out)),
	                 VG_ENOTFOUND);
	assert_int_equal(
	    sco_id("{\"type\":\"file\",\"hashes\":{}}", out, sizeof(out)),
	    VG_ENOTFOUND);
	assert_int_equal(
	    sco_id("{\"type\":\"indicator\",\"name\":\"x\"}", out, sizeof(out)),
	    VG_EINVAL);
	assert_int_equal(sco_id("{\"value\":\"x\"}", out, sizeof(out)),
	                 VG_EINVAL);
	assert_int_equal(sco_id("{\"type\":\"url\",\"value\":\"x\"}", out, 40),
	                 VG_ETOOBIG);
}

#define MD "marking-definition--"

static void test_tlp(void **state)
{
	(void)state;
	assert_int_equal(vg_tlp_of_marking(MD "613f2e26-407d-48c7-9eca-"
	                                      "b8e91df99dc9"),
	                 VG_TLP_CLEAR);
	assert_int_equal(vg_tlp_of_marking(MD "34098fce-860f-48ae-8e50-"
	                                      "ebd3cc5e41da"),
	                 VG_TLP_GREEN);
	assert_int_equal(vg_tlp_of_marking(MD "f88d31f6-486f-44da-b317-"
	                                      "01333bde0b82"),
	                 VG_TLP_AMBER);
	assert_int_equal(vg_tlp_of_marking(MD "5e57c739-391a-4eb3-b6be-"
	                                      "7d15ca92d5ed"),
	                 VG_TLP_RED);
	assert_int_equal(vg_tlp_of_marking(MD "94868c89-83c2-464b-929b-"
	                                      "a1a8aa3c8487"),
	                 VG_TLP_CLEAR);
	assert_int_equal(vg_tlp_of_marking(MD "bab4a63c-aed9-4cf5-a766-"
	                                      "dfca5abac2bb"),
	                 VG_TLP_GREEN);
	assert_int_equal(vg_tlp_of_marking(MD "55d920b0-5e8b-4f79-9ee9-"
	                                      "91f868d9b421"),
	                 VG_TLP_AMBER);
	assert_int_equal(vg_tlp_of_marking(MD "939a9414-2ddd-4d32-a0cd-"
	                                      "375ea402b003"),
	                 VG_TLP_AMBER_STRICT);
	assert_int_equal(vg_tlp_of_marking(MD "e828b379-4e03-4974-9ac4-"
	                                      "e53a884c97c1"),
	                 VG_TLP_RED);
	/* The UUID's hex digits compare without case. */
	assert_int_equal(vg_tlp_of_marking(MD "E828B379-4E03-4974-9AC4-"
	                                      "E53A884C97C1"),
	                 VG_TLP_RED);
	/* One digit off (as in the OASIS interop example) is not TLP. */
	assert_int_equal(vg_tlp_of_marking(MD "5e57c739-391a-4eb3-b6be-"
	                                      "7d15ca92d5ec"),
	                 VG_TLP_NONE);
	assert_int_equal(vg_tlp_of_marking("identity--5e57c739-391a-4eb3-"
	                                   "b6be-7d15ca92d5ed"),
	                 VG_TLP_NONE);
	assert_int_equal(vg_tlp_of_marking(NULL), VG_TLP_NONE);

	assert_string_equal(vg_tlp_name(VG_TLP_NONE), "none");
	assert_string_equal(vg_tlp_name(VG_TLP_CLEAR), "clear");
	assert_string_equal(vg_tlp_name(VG_TLP_GREEN), "green");
	assert_string_equal(vg_tlp_name(VG_TLP_AMBER), "amber");
	assert_string_equal(vg_tlp_name(VG_TLP_AMBER_STRICT), "amber+strict");
	assert_string_equal(vg_tlp_name(VG_TLP_RED), "red");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_uuid_valid),
	    cmocka_unit_test(test_stix_id_valid),
	    cmocka_unit_test(test_uuid_v4),
	    cmocka_unit_test(test_uuid_v5),
	    cmocka_unit_test(test_sco_vectors),
	    cmocka_unit_test(test_sco_contributing),
	    cmocka_unit_test(test_sco_errors),
	    cmocka_unit_test(test_tlp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
