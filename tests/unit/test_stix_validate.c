/* Unit tests of the rules every STIX object follows (docs/validation.md,
 * "Common rules"): a passing and a failing case for each, with the exact
 * message. Type-specific rules are in test_stix_types.c. */
#include "stix_test.h"

static void test_object(void **state)
{
	(void)state;
	ok(js(IND));
	bad(js("[]"), "object '(no id)': $: must be a JSON object");
	bad(js("'indicator'"), "object '(no id)': $: must be a JSON object");
}

static void test_duplicate_keys(void **state)
{
	(void)state;
	bad_text("{'type':'indicator','name':'a','id':'" IND_ID "','name':'b'}",
	         E_IND "$.name: is a duplicate key");
	bad(set(js(IND), "external_references",
	        "[{'source_name':'a','url':'u','url':'v'}]"),
	    E_IND "$.external_references[0].url: is a duplicate key");
	/* Custom content is the producer's, but JSON rules still hold. */
	bad(set(js(IND), "x_acme", "{'a':{'b':1,'b':2}}"),
	    E_IND "$.x_acme.a.b: is a duplicate key");
	ok(set(js(IND), "x_acme", "{'a':{'b':1,'c':2}}"));

	/* Past 24 members the check sorts instead of comparing pairs. */
	char big[2048] = "{";
	for (int i = 0; i < 30; i++)
		snprintf(big + strlen(big), sizeof(big) - strlen(big),
		         "'k%02d':%d,", i, i);
	strcat(big, "'k07':1}");
	bad(set(js(IND), "x_big", big),
	    E_IND "$.x_big.k07: is a duplicate key");
	/* Drop the repeated "'k07':1" and its comma. */
	size_t n = strlen(big) - strlen(",'k07':1}");
	big[n] = '}';
	big[n + 1] = '\0';
	ok(set(js(IND), "x_big", big));
}

static void test_type(void **state)
{
	(void)state;
	bad(set(js(IND), "type", NULL), E_IND "$.type: is required");
	const char *bad_types[] = {"'ab'",   "'Indicator'", "'-abc'",
	                           "'abc-'", "'a--bc'",     "'in dicator'",
	                           "5",      "null"};
	for (size_t i = 0; i < sizeof(bad_types) / sizeof(bad_types[0]); i++)
		bad(set(js(IND), "type", bad_types[i]),
		    E_IND "$.type: must be 3-250 characters of a-z, 0-9 and "
		          "'-', without leading, trailing or double '-'");
	bad(set(js(IND), "type", "'bundle'"),
	    E_IND "$.type: 'bundle' is not an object type");

	/* 250 characters is the longest name; 251 is one too many. */
	char name[260], obj[700];
	memset(name, 'x', 250);
	name[1] = '-';
	name[250] = '\0';
	snprintf(obj, sizeof(obj),
	         "{'type':'%s','spec_version':'2.1','id':'%s--" UUID1 "',"
	         "'created':'" T0 "','modified':'" T0 "'}",
	         name, name);
	ok(js(obj));
	name[250] = 'x';
	name[251] = '\0';
	snprintf(obj, sizeof(obj),
	         "{'type':'%s','spec_version':'2.1','id':'%s--" UUID1 "'}",
	         name, name);
	bad(js(obj), "object '(no id)': $.type: must be 3-250 characters of "
	             "a-z, 0-9 and '-', without leading, trailing or double "
	             "'-'");
}

static void test_id(void **state)
{
	(void)state;
	bad(set(js(IND), "id", NULL), "object '(no id)': $.id: is required");
	bad(set(js(IND), "id", "'" MALW "'"),
	    "object '" MALW "': $.id: must be 'indicator--' followed by a "
	    "UUID");
	bad(set(js(IND), "id",
	        "'indicator--8e2e2d2b-17d4-4cbf-738f-"
	        "98ee46b3cd3f'"),
	    "object '(no id)': $.id: must be 'indicator--' followed by a UUID");
	bad(set(js(IND), "id", "'indicator-" UUID1 "'"),
	    "object '(no id)': $.id: must be 'indicator--' followed by a UUID");
	bad(set(js(IND), "id", "7"),
	    "object '(no id)': $.id: must be 'indicator--' followed by a UUID");
	ok(set(js(IND), "id",
	       "'indicator--8E2E2D2B-17D4-4CBF-938F-"
	       "98EE46B3CD3F'"));
}

static void test_spec_version(void **state)
{
	(void)state;
	bad(set(js(IND), "spec_version", NULL),
	    E_IND "$.spec_version: is required (a STIX 2.0 object: import it "
	          "with --convert-2.0) [3.2]");
	bad(set(js(IND), "spec_version", "'2.0'"),
	    E_IND "$.spec_version: must be '2.1' (a STIX 2.0 object: import "
	          "it with --convert-2.0) [3.2]");
	bad(set(js(IND), "spec_version", "2.1"),
	    E_IND "$.spec_version: must be '2.1'");
	/* Optional for SCOs, but 2.1 when present. */
	ok(js("{'type':'ipv4-addr','id':'" IPV4 "','value':'198.51.100.3'}"));
	ok(js("{'type':'ipv4-addr','id':'" IPV4 "','value':'198.51.100.3',"
	      "'spec_version':'2.1'}"));
	bad(js("{'type':'ipv4-addr','id':'" IPV4 "','value':'198.51.100.3',"
	       "'spec_version':'2.0'}"),
	    "object '" IPV4 "': $.spec_version: must be '2.1' (a STIX 2.0 "
	    "object: import it with --convert-2.0) [3.2]");
	bad(js("{'type':'ipv4-addr','id':'" IPV4 "','value':'198.51.100.3',"
	       "'spec_version':'2.2'}"),
	    "object '" IPV4 "': $.spec_version: must be '2.1'");
}

static void test_created_modified(void **state)
{
	(void)state;
	bad(set(js(IND), "created", NULL), E_IND "$.created: is required");
	bad(set(js(IND), "modified", NULL), E_IND "$.modified: is required");
	bad(set(js(IND), "created", "'2016-04-06 20:03:48.000Z'"),
	    E_IND "$.created: must be a timestamp YYYY-MM-DDTHH:MM:SS[.s+]Z");
	bad(set(js(IND), "modified", "20160406"),
	    E_IND "$.modified: must be a timestamp YYYY-MM-DDTHH:MM:SS[.s+]Z");
	/* At least millisecond precision [3.2]. */
	bad(set(js(IND), "created", "'2016-04-06T20:03:48Z'"),
	    E_IND "$.created: must have at least millisecond precision");
	bad(set(js(IND), "modified", "'2016-04-06T20:03:48.10Z'"),
	    E_IND "$.modified: must have at least millisecond precision");
	ok(set(set(js(IND), "created", "'2016-04-06T20:03:48.123456Z'"),
	       "modified", "'2016-04-06T20:03:48.123456789123Z'"));
	/* modified is not before created; equal is the first version. */
	bad(set(js(IND), "modified", "'2016-04-06T20:03:47.999Z'"),
	    E_IND "$.modified: is before 'created'");
	ok(set(js(IND), "modified", "'2016-04-06T20:03:48.0001Z'"));
}

static void test_created_by_ref(void **state)
{
	(void)state;
	ok(set(js(IND), "created_by_ref", "'" IDENT "'"));
	bad(set(js(IND), "created_by_ref", "'" MALW "'"),
	    E_IND "$.created_by_ref: must be an identity id");
	bad(set(js(IND), "created_by_ref", "'identity'"),
	    E_IND "$.created_by_ref: must be an identity id");
}

static void test_revoked_defanged(void **state)
{
	(void)state;
	ok(set(js(IND), "revoked", "true"));
	bad(set(js(IND), "revoked", "'yes'"),
	    E_IND "$.revoked: must be a boolean");
	ok(js("{'type':'ipv4-addr','id':'" IPV4 "','value':'1.2.3.4',"
	      "'defanged':true}"));
	bad(js("{'type':'ipv4-addr','id':'" IPV4 "','value':'1.2.3.4',"
	       "'defanged':1}"),
	    "object '" IPV4 "': $.defanged: must be a boolean");
}

static void test_labels(void **state)
{
	(void)state;
	ok(set(js(IND), "labels", "['a','b']"));
	bad(set(js(IND), "labels", "[]"),
	    E_IND "$.labels: must not be an empty list");
	bad(set(js(IND), "labels", "'a'"),
	    E_IND "$.labels: must be a non-empty list of strings");
	bad(set(js(IND), "labels", "['a',1]"),
	    E_IND "$.labels[1]: must be a string");
}

static void test_confidence(void **state)
{
	(void)state;
	ok(set(js(IND), "confidence", "0"));
	ok(set(js(IND), "confidence", "100"));
	const char *bads[] = {"101", "-1", "50.5", "'50'"};
	for (size_t i = 0; i < 4; i++)
		bad(set(js(IND), "confidence", bads[i]),
		    E_IND "$.confidence: must be an integer from 0 to 100");
}

static void test_lang(void **state)
{
	(void)state;
	const char *goods[] = {"'en'",        "'en-US'",     "'zh-Hant-TW'",
	                       "'deu'",       "'x-klingon'", "'i-enochian'",
	                       "'sr-Latn-RS'"};
	for (size_t i = 0; i < sizeof(goods) / sizeof(goods[0]); i++)
		ok(set(js(IND), "lang", goods[i]));
	const char *bads[] = {"'e'",  "'english'", "'en_US'",  "'en-'",
	                      "'x'",  "'-en'",     "'en--us'", "'en-abcdefghi'",
	                      "'12'", "5"};
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++)
		bad(set(js(IND), "lang", bads[i]),
		    E_IND "$.lang: must be an RFC 5646 language tag");
}

static void test_external_references(void **state)
{
	(void)state;
	ok(set(js(IND), "external_references",
	       "[{'source_name':'capec','external_id':'CAPEC-163'},"
	       "{'source_name':'a','url':'https://example.com'},"
	       "{'source_name':'b','description':'d','hashes':{'SHA-256':"
	       "'6db12788c37247f2316052e142f42f4b259d6561751e5f401a1ae2a6df9c"
	       "674b'}}]"));
	bad(set(js(IND), "external_references", "[]"),
	    E_IND "$.external_references: must not be an empty list");
	bad(set(js(IND), "external_references", "{'source_name':'a'}"),
	    E_IND "$.external_references: must be a non-empty list of "
	          "external references");
	bad(set(js(IND), "external_references", "['capec']"),
	    E_IND "$.external_references[0]: must be an object");
	bad(set(js(IND), "external_references",
	        "[{'source_name':'a','url':'u'},{'url':'u'}]"),
	    E_IND "$.external_references[1].source_name: is required");
	bad(set(js(IND), "external_references",
	        "[{'source_name':1,'url':'u'}]"),
	    E_IND "$.external_references[0].source_name: must be a string");
	bad(set(js(IND), "external_references", "[{'source_name':'a'}]"),
	    E_IND "$.external_references[0]: needs one of 'description', "
	          "'url' or 'external_id'");
	bad(set(js(IND), "external_references",
	        "[{'source_name':'a','url':5}]"),
	    E_IND "$.external_references[0].url: must be a string");
	bad(set(js(IND), "external_references",
	        "[{'source_name':'a','url':'u','hashes':{}}]"),
	    E_IND "$.external_references[0].hashes: must be a non-empty "
	          "object of hash strings");
	bad(set(js(IND), "external_references",
	        "[{'source_name':'a','url':'u','hashes':'abc'}]"),
	    E_IND "$.external_references[0].hashes: must be a non-empty "
	          "object of hash strings");
	bad(set(js(IND), "external_references",
	        "[{'source_name':'a','url':'u','hashes':{'SHA-256':5}}]"),
	    E_IND "$.external_references[0].hashes['SHA-256']: must be a "
	          "string");
}

static void test_object_marking_refs(void **state)
{
	(void)state;
	ok(set(js(IND), "object_marking_refs",
	       "['" TLP1_GREEN "','" STMT "']"));
	bad(set(js(IND), "object_marking_refs", "[]"),
	    E_IND "$.object_marking_refs: must not be an empty list");
	bad(set(js(IND), "object_marking_refs", "'" TLP1_GREEN "'"),
	    E_IND "$.object_marking_refs: must be a non-empty list of "
	          "marking-definition ids");
	bad(set(js(IND), "object_marking_refs",
	        "['" TLP1_GREEN "','" IDENT "']"),
	    E_IND "$.object_marking_refs[1]: must be a marking-definition id");
	bad(set(js(IND), "object_marking_refs", "['tlp:green']"),
	    E_IND "$.object_marking_refs[0]: must be a marking-definition id");
}

static void test_granular_markings(void **state)
{
	(void)state;
	ok(set(
	    js(IND), "granular_markings",
	    "[{'selectors':['pattern','pattern_type'],'marking_ref':'" TLP1_RED
	    "'},{'selectors':['valid_from'],'lang':'fr'}]"));
	bad(set(js(IND), "granular_markings", "[]"),
	    E_IND "$.granular_markings: must not be an empty list");
	bad(set(js(IND), "granular_markings", "{}"),
	    E_IND "$.granular_markings: must be a non-empty list of granular "
	          "markings");
	bad(set(js(IND), "granular_markings", "[1]"),
	    E_IND "$.granular_markings[0]: must be an object");
	bad(set(js(IND), "granular_markings",
	        "[{'marking_ref':'" TLP1_RED "'}]"),
	    E_IND "$.granular_markings[0].selectors: is required");
	bad(set(js(IND), "granular_markings",
	        "[{'selectors':[],'marking_ref':'" TLP1_RED "'}]"),
	    E_IND "$.granular_markings[0].selectors: must not be an empty "
	          "list");
	bad(set(js(IND), "granular_markings",
	        "[{'selectors':'pattern','marking_ref':'" TLP1_RED "'}]"),
	    E_IND "$.granular_markings[0].selectors: must be a non-empty list "
	          "of strings");
	bad(set(js(IND), "granular_markings",
	        "[{'selectors':['pattern'],'marking_ref':'" TLP1_RED
	        "','lang':'en'}]"),
	    E_IND "$.granular_markings[0]: needs exactly one of 'marking_ref' "
	          "or 'lang'");
	bad(set(js(IND), "granular_markings", "[{'selectors':['pattern']}]"),
	    E_IND "$.granular_markings[0]: needs exactly one of 'marking_ref' "
	          "or 'lang'");
	bad(set(js(IND), "granular_markings",
	        "[{'selectors':['pattern'],'marking_ref':'" IDENT "'}]"),
	    E_IND "$.granular_markings[0].marking_ref: must be a "
	          "marking-definition id");
	bad(set(js(IND), "granular_markings",
	        "[{'selectors':['pattern'],'lang':'english'}]"),
	    E_IND "$.granular_markings[0].lang: must be an RFC 5646 language "
	          "tag");
}

static void test_extensions(void **state)
{
	(void)state;
	ok(set(js(IND), "extensions",
	       "{'" EXTDEF "':{'extension_type':'property-extension',"
	       "'rank':5}}"));
	ok(js("{'type':'file','id':'file--" UUID1 "','name':'a.exe',"
	      "'extensions':{'ntfs-ext':{'sid':'1'},'x-acme-ext':{'a':1}}}"));
	bad(set(js(IND), "extensions", "['" EXTDEF "']"),
	    E_IND "$.extensions: must be an object");
	bad(set(js(IND), "extensions", "{'acme':{}}"),
	    E_IND "$.extensions.acme: must be an extension-definition id or a "
	          "name ending in '-ext'");
	bad(set(js(IND), "extensions", "{'Acme-ext':{}}"),
	    E_IND "$.extensions['Acme-ext']: must be an extension-definition "
	          "id or a name ending in '-ext'");
	bad(set(js(IND), "extensions", "{'extension-definition--1234':{}}"),
	    E_IND "$.extensions['extension-definition--1234']: must be an "
	          "extension-definition id or a name ending in '-ext'");
	bad(set(js(IND), "extensions", "{'ntfs-ext':5}"),
	    E_IND "$.extensions['ntfs-ext']: must be an object");
	bad(set(js(IND), "extensions",
	        "{'" EXTDEF "':{'extension_type':'new-thing'}}"),
	    E_IND "$.extensions['" EXTDEF "'].extension_type: must be one of "
	          "new-sdo, new-sco, new-sro, property-extension, "
	          "toplevel-property-extension");
}

static void test_kill_chain_phases(void **state)
{
	(void)state;
	ok(set(js(IND), "kill_chain_phases",
	       "[{'kill_chain_name':'lockheed-martin-cyber-kill-chain',"
	       "'phase_name':'delivery'}]"));
	bad(set(js(IND), "kill_chain_phases", "'delivery'"),
	    E_IND "$.kill_chain_phases: must be a non-empty list of kill "
	          "chain phases");
	bad(set(js(IND), "kill_chain_phases", "['delivery']"),
	    E_IND "$.kill_chain_phases[0]: must be an object");
	bad(set(js(IND), "kill_chain_phases", "[{'kill_chain_name':'k'}]"),
	    E_IND "$.kill_chain_phases[0].phase_name: is required");
	bad(set(js(IND), "kill_chain_phases",
	        "[{'kill_chain_name':1,'phase_name':'p'}]"),
	    E_IND "$.kill_chain_phases[0].kill_chain_name: must be a string");
}

static void test_empty_lists(void **state)
{
	(void)state;
	ok(set(js(IND), "indicator_types", "['malicious-activity']"));
	bad(set(js(IND), "indicator_types", "[]"),
	    E_IND "$.indicator_types: must not be an empty list");
	bad(set(js(IND), "acme_matrix", "[[1],[]]"),
	    E_IND "$.acme_matrix[1]: must not be an empty list");
	bad(set(js(IND), "extensions",
	        "{'" EXTDEF "':{'extension_type':'property-extension',"
	        "'ranks':{'all':[]}}}"),
	    E_IND "$.extensions['" EXTDEF "'].ranks.all: must not be an empty "
	          "list");
	/* Custom properties are left alone (ATT&CK sends empty lists). */
	ok(set(js(IND), "x_acme_list", "[]"));
	ok(set(js(IND), "x_mitre_related_assets",
	       "[{'name':'a','related_asset_sectors':[]}]"));
	ok(set(js(IND), "extensions",
	       "{'" EXTDEF "':{'extension_type':'property-extension',"
	       "'x_list':[]}}"));
}

static void test_property_names(void **state)
{
	(void)state;
	const char *msg = "is not a valid property name (3-250 characters of "
	                  "a-z, 0-9 and '_')";
	char want[512];
	ok(set(js(IND), "abc", "1"));
	ok(set(js(IND), "x_mitre_version", "'1.0'"));
	snprintf(want, sizeof(want), E_IND "$.ab: %s", msg);
	bad(set(js(IND), "ab", "1"), want);
	snprintf(want, sizeof(want), E_IND "$.Name: %s", msg);
	bad(set(js(IND), "Name", "'a'"), want);
	snprintf(want, sizeof(want), E_IND "$['has-hyphen']: %s", msg);
	bad(set(js(IND), "has-hyphen", "1"), want);
	snprintf(want, sizeof(want), E_IND "$['it\\'s']: %s", msg);
	bad(set(js(IND), "it's", "1"), want);

	char name[260];
	memset(name, 'a', 250);
	name[250] = '\0';
	ok(set(js(IND), name, "1"));
	name[250] = 'a';
	name[251] = '\0';
	cJSON *o = set(js(IND), name, "1");
	char err[1024];
	assert_int_equal(vg_stix_validate(o, NULL, err, sizeof(err)),
	                 VG_EINVAL);
	snprintf(want, sizeof(want), E_IND "$.%s: %s", name, msg);
	assert_string_equal(err, want);
	cJSON_Delete(o);
	/* Names below the top level are the property's business. */
	ok(set(js(IND), "external_references",
	       "[{'source_name':'a','url':'u','hashes':{'x_acme':'aa'}}]"));
}

static void test_refs(void **state)
{
	(void)state;
	ok(set(set(js(IND), "sample_ref", "'" MALW "'"), "sample_refs",
	       "['" MALW "','x-acme-thing--" UUID1 "']"));
	bad(set(js(IND), "sample_ref", "'malware'"),
	    E_IND "$.sample_ref: must be a STIX identifier");
	bad(set(js(IND), "sample_ref", "['" MALW "']"),
	    E_IND "$.sample_ref: must be a STIX identifier");
	bad(set(js(IND), "sample_refs", "'" MALW "'"),
	    E_IND "$.sample_refs: must be a non-empty list of STIX "
	          "identifiers");
	bad(set(js(IND), "sample_refs", "[]"),
	    E_IND "$.sample_refs: must not be an empty list");
	bad(set(js(IND), "sample_refs", "['" MALW "','malware--1']"),
	    E_IND "$.sample_refs[1]: must be a STIX identifier");
	/* At any depth, outside custom properties. */
	bad(js("{'type':'file','id':'file--" UUID1 "','name':'a.zip',"
	       "'extensions':{'archive-ext':{'contains_refs':['a.txt']}}}"),
	    "object 'file--" UUID1 "': $.extensions['archive-ext']"
	    ".contains_refs[0]: must be a STIX identifier");
	ok(set(js(IND), "x_acme_ref", "'not an id'"));
	ok(set(js(IND), "x_acme", "{'owner_ref':'not an id'}"));
}

static void test_depth(void **state)
{
	(void)state;
	/* Deeper than cJSON parses: only a tree built in code gets here. */
	cJSON *o = js(IND), *inner = cJSON_CreateNumber(1);
	for (int i = 0; i < 1005; i++) {
		cJSON *a = cJSON_CreateArray();
		cJSON_AddItemToArray(a, inner);
		inner = a;
	}
	cJSON_AddItemToObject(o, "x_deep", inner);
	char want[4096] = E_IND "$.x_deep";
	for (int i = 0; i < 1000; i++)
		strcat(want, "[0]");
	strcat(want, ": is nested too deeply");
	want[1023] = '\0'; /* the message buffer below holds 1024 */
	bad(o, want);
}

static void test_messages(void **state)
{
	char err[32];
	(void)state;
	/* Truncated to the buffer, always terminated; NULL is fine. */
	cJSON *o = set(js(IND), "confidence", "101");
	assert_int_equal(vg_stix_validate(o, NULL, err, sizeof(err)),
	                 VG_EINVAL);
	assert_string_equal(err, "object 'indicator--8e2e2d2b-17d");
	assert_int_equal(vg_stix_validate(o, NULL, NULL, 0), VG_EINVAL);
	assert_int_equal(vg_stix_validate(o, NULL, err, 1), VG_EINVAL);
	assert_string_equal(err, "");
	cJSON_Delete(o);
	/* Control bytes in a key do not break the message's line. */
	bad(set(js(IND), "a\tb", "1"),
	    E_IND "$['a\\u0009b']: is not a valid property name (3-250 "
	          "characters of a-z, 0-9 and '_')");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_object),
	    cmocka_unit_test(test_duplicate_keys),
	    cmocka_unit_test(test_type),
	    cmocka_unit_test(test_id),
	    cmocka_unit_test(test_spec_version),
	    cmocka_unit_test(test_created_modified),
	    cmocka_unit_test(test_created_by_ref),
	    cmocka_unit_test(test_revoked_defanged),
	    cmocka_unit_test(test_labels),
	    cmocka_unit_test(test_confidence),
	    cmocka_unit_test(test_lang),
	    cmocka_unit_test(test_external_references),
	    cmocka_unit_test(test_object_marking_refs),
	    cmocka_unit_test(test_granular_markings),
	    cmocka_unit_test(test_extensions),
	    cmocka_unit_test(test_kill_chain_phases),
	    cmocka_unit_test(test_empty_lists),
	    cmocka_unit_test(test_property_names),
	    cmocka_unit_test(test_refs),
	    cmocka_unit_test(test_depth),
	    cmocka_unit_test(test_messages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
