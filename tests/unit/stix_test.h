/* Helpers of the STIX validation tests: objects written with ' for ", a
 * property swapped in or out, and exact checks of the outcome. */
#ifndef VIGIL_TEST_STIX_TEST_H
#define VIGIL_TEST_STIX_TEST_H

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

#define UUID1 "8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"
#define IDENT "identity--f431f809-377b-45e0-aa1c-6a4751cae5ff"
#define MALW "malware--31b940d4-6f7f-459a-80ea-9c1f17b58abc"
#define IPV4 "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4"
#define LOC "location--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64"
#define OBSD "observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf"
#define REL "relationship--7aebe2f0-28d6-48a2-9c3e-b0aaa60266ed"
#define MD "marking-definition--"
#define TLP1_GREEN MD "34098fce-860f-48ae-8e50-ebd3cc5e41da"
#define TLP1_RED MD "5e57c739-391a-4eb3-b6be-7d15ca92d5ed"
#define TLP2_AMBER MD "55d920b0-5e8b-4f79-9ee9-91f868d9b421"
#define TLP2_AS MD "939a9414-2ddd-4d32-a0cd-375ea402b003"
#define STMT MD "fa42a846-8d90-4e51-bc29-71d5b4802168"
#define EXTDEF "extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e"
#define TLP2_EXT "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
#define HEX_MD5 "3773a88f65a5e780c8dff9cdc3a056f3"
#define HEX_SHA256                                                             \
	"effb46bba03f6c8aea5c653f9cf984f170dcdd3bbbe2ff6843c3e5da0e698766"
#define T0 "2016-04-06T20:03:48.000Z"
#define T1 "2016-05-07T11:22:30.000Z"

/* A valid indicator; most common-property tests start from it. */
#define IND_ID "indicator--" UUID1
#define IND                                                                    \
	"{'type':'indicator','spec_version':'2.1','id':'" IND_ID "',"          \
	"'created':'" T0 "','modified':'" T0 "',"                              \
	"'pattern':'[file:size = 25536]','pattern_type':'stix',"               \
	"'valid_from':'2016-01-01T00:00:00Z'}"
#define E_IND "object '" IND_ID "': "

/* Parse JSON written with ' in place of " (none of the tests needs a
 * literal '). */
static inline cJSON *js(const char *q)
{
	char *s = strdup(q);
	assert_non_null(s);
	for (char *p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	cJSON *v = cJSON_Parse(s);
	if (!v)
		fail_msg("test JSON does not parse: %s", q);
	free(s);
	return v;
}

/* o with key set to the value v (JSON with '), or removed when v is NULL;
 * a set key moves to the end of the object. */
static inline cJSON *set(cJSON *o, const char *key, const char *v)
{
	cJSON_DeleteItemFromObjectCaseSensitive(o, key);
	if (v)
		cJSON_AddItemToObject(o, key, js(v));
	return o;
}

static inline void ok(cJSON *o)
{
	char err[1024] = "";
	int rc = vg_stix_validate(o, NULL, err, sizeof(err));
	if (rc != VG_OK) {
		char *s = cJSON_PrintUnformatted(o);
		fail_msg("rejected %s\n  %s", s, err);
	}
	cJSON_Delete(o);
}

static inline void bad(cJSON *o, const char *msg)
{
	char err[1024] = "";
	int rc = vg_stix_validate(o, NULL, err, sizeof(err));
	if (rc != VG_EINVAL) {
		char *s = cJSON_PrintUnformatted(o);
		fail_msg("accepted %s", s);
	}
	assert_string_equal(err, msg);
	cJSON_Delete(o);
}

/* The same for a raw JSON text (duplicate keys cannot be built). */
static inline void bad_text(const char *q, const char *msg)
{
	bad(js(q), msg);
}

#endif
