/* Every object of the shared real-world STIX files (MITRE ATT&CK, OASIS
 * examples, the medallion TAXII fixture) validates, except the one STIX
 * 2.0 object of the medallion fixture: exact counts per file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vigil/util/error.h"
#include "vigil/stix/stix.h"

#define STIX_DIR VG_SHARED_DIR "/data/stix/"

struct counts {
	int valid, invalid;
	char last_err[512];
};

static cJSON *load(const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), STIX_DIR "%s", name);
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	long n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	char *text = malloc((size_t)n + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	text[n] = '\0';
	fclose(f);
	cJSON *doc = cJSON_Parse(text);
	free(text);
	if (!doc)
		fail_msg("%s does not parse", path);
	return doc;
}

static void count(const cJSON *obj, struct counts *c)
{
	char err[512];
	struct vg_stix_info info;
	if (vg_stix_validate(obj, &info, err, sizeof(err)) == VG_OK) {
		c->valid++;
		assert_string_equal(
		    info.id, cJSON_GetObjectItem(obj, "id")->valuestring);
	} else {
		c->invalid++;
		memcpy(c->last_err, err, sizeof(err));
	}
}

/* A bundle's "objects", or one object on its own. */
static struct counts check_file(const char *name)
{
	struct counts c = {0, 0, ""};
	cJSON *doc = load(name);
	const cJSON *objs = cJSON_GetObjectItemCaseSensitive(doc, "objects");
	const cJSON *o;
	if (objs) {
		cJSON_ArrayForEach(o, objs) count(o, &c);
	} else {
		count(doc, &c);
	}
	cJSON_Delete(doc);
	return c;
}

static void expect(const char *name, int valid)
{
	struct counts c = check_file(name);
	if (c.invalid)
		fail_msg("%s: %d rejected, last: %s", name, c.invalid,
		         c.last_err);
	assert_int_equal(c.valid, valid);
}

static void test_attack(void **state)
{
	(void)state;
	expect("ics-attack-17.1.json", 1651);
	expect("ics-attack-18.1.json", 1826);
	expect("mobile-attack-17.1.json", 2148);
}

static void test_oasis(void **state)
{
	(void)state;
	expect("oasis-apt1.json", 76);
	expect("oasis-poisonivy.json", 155);
	expect("oasis-example-indicator-for-c2-ip-address.json", 1);
	expect("oasis-example-indicator-to-campaign-relationship.json", 3);
	expect("oasis-example-indicators-for-C2-with-COA.json", 8);
	expect("oasis-example-infrastructure.json", 10);
	expect("oasis-example-interop-objectmarking-test.json", 1);
	expect("oasis-example-malicious-email-indicator-with-attachment.json",
	       6);
}

/* API roots hold collections, which hold objects. */
static void test_medallion(void **state)
{
	struct counts c = {0, 0, ""};
	(void)state;
	cJSON *doc = load("medallion-default-data.json");
	const cJSON *root, *coll, *o;
	cJSON_ArrayForEach(root, doc)
	{
		const cJSON *colls =
		    cJSON_GetObjectItemCaseSensitive(root, "collections");
		cJSON_ArrayForEach(coll, colls)
		{
			const cJSON *objs =
			    cJSON_GetObjectItemCaseSensitive(coll, "objects");
			cJSON_ArrayForEach(o, objs) count(o, &c);
		}
	}
	cJSON_Delete(doc);
	assert_int_equal(c.valid, 7);
	assert_int_equal(c.invalid, 1);
	assert_string_equal(c.last_err,
	                    "object 'malware--c0931cc6-c75e-47e5-9036-"
	                    "78fabc95d4ec': $.spec_version: is required (a STIX "
	                    "2.0 object: import it with --convert-2.0) [3.2]");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_attack),
	    cmocka_unit_test(test_oasis),
	    cmocka_unit_test(test_medallion),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
