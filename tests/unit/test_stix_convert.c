/* Unit tests of the STIX 2.0 up-conversion (vg_stix_convert_20): each rule
 * of docs/validation.md "STIX 2.0 on import", the objects it makes valid
 * 2.1, and the containers it refuses. */
#include "stix_test.h"

#include "vigil/stix/convert.h"

#define HEAD20(t, id)                                                          \
	"{'type':'" t "','id':'" t "--" id "','created':'" T0 "',"             \
	"'modified':'" T0 "'"

/* Convert q; the result must be the JSON want (with '), and valid. */
static void converts(const char *q, const char *want, const char *note)
{
	struct vg_stix_conversion r;
	char err[512] = "";
	cJSON *o = js(q), *scos = cJSON_CreateArray(), *w = js(want);
	assert_int_equal(vg_stix_convert_20(o, scos, &r, err, sizeof(err)),
	                 VG_OK);
	assert_int_equal(r.converted, 1);
	assert_string_equal(r.note, note);
	char *got = cJSON_PrintUnformatted(o), *exp = cJSON_PrintUnformatted(w);
	assert_string_equal(got, exp);
	free(got);
	free(exp);
	cJSON_Delete(w);
	cJSON_Delete(scos);
	ok(o);
}

static void test_is_20(void **state)
{
	(void)state;
	const char *yes[] = {HEAD20("malware", UUID1) ",'name':'x'}",
	                     HEAD20("x-acme-thing", UUID1) "}",
	                     "{'type':'report','spec_version':'2.0'}"};
	const char *no[] = {
	    IND,
	    "{'type':'ipv4-addr','value':'1.2.3.4'}",
	    "{'type':'bundle','id':'bundle--" UUID1 "'}",
	    "{'id':'x'}",
	    "[1]",
	    "{'type':'report','spec_version':'2.1'}",
	    "{'type':'x-acme-sensor','id':'x-acme-sensor--" UUID1
	    "','extensions':{'" EXTDEF "':{'extension_type':"
	    "'new-sco'}}}"};
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		cJSON *o = js(yes[i]);
		assert_int_equal(vg_stix_is_20(o), 1);
		cJSON_Delete(o);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		cJSON *o = js(no[i]);
		assert_int_equal(vg_stix_is_20(o), 0);
		cJSON_Delete(o);
	}
}

static void test_not_20_unchanged(void **state)
{
	(void)state;
	struct vg_stix_conversion r = {1, 3, "x"};
	cJSON *o = js(IND);
	char *before = cJSON_PrintUnformatted(o);
	assert_int_equal(vg_stix_convert_20(o, NULL, &r, NULL, 0), VG_OK);
	assert_int_equal(r.converted, 0);
	assert_int_equal(r.scos, 0);
	assert_string_equal(r.note, "");
	char *after = cJSON_PrintUnformatted(o);
	assert_string_equal(before, after);
	free(before);
	free(after);
	cJSON_Delete(o);
}

static void test_spec_version_and_labels(void **state)
{
	(void)state;
	/* medallion's one 2.0 object: only spec_version was missing */
	converts(HEAD20("malware",
	                UUID1) ",'name':'Poison Ivy','is_family':"
	                       "true,'malware_types':['remote-access-trojan']}",
	         "{'type':'malware','spec_version':'2.1','id':'malware--" UUID1
	         "','created':'" T0 "','modified':'" T0 "','name':'Poison Ivy',"
	         "'is_family':true,'malware_types':['remote-access-trojan']}",
	         "spec_version '2.1' added");
	converts(HEAD20("malware", UUID1) ",'name':'Poison Ivy','labels':"
	                                  "['remote-access-trojan']}",
	         "{'type':'malware','spec_version':'2.1','id':'malware--" UUID1
	         "','created':'" T0 "','modified':'" T0 "','name':'Poison Ivy',"
	         "'is_family':true,'malware_types':['remote-access-trojan']}",
	         "spec_version '2.1' added; labels moved to 'malware_types'; "
	         "'is_family': true added");
	converts(
	    HEAD20(
	        "indicator",
	        UUID1) ",'labels':['malicious-activity'],"
	               "'pattern':'[ipv4-addr:value = \\u0027198.51.100.1\\u0027]',"
	               "'valid_from':'" T0 "'}",
	    "{'type':'indicator','spec_version':'2.1','id':'indicator--" UUID1
	    "','created':'" T0 "','modified':'" T0 "',"
	    "'indicator_types':['malicious-activity'],'pattern':"
	    "'[ipv4-addr:value = \\u0027198.51.100.1\\u0027]','pattern_type':'stix',"
	    "'pattern_version':'2.0','valid_from':'" T0 "'}",
	    "spec_version '2.1' added; labels moved to 'indicator_types'; "
	    "'pattern_type': 'stix' and 'pattern_version': '2.0' added");
	converts(
	    "{'type':'report','spec_version':'2.0','id':'report--" UUID1
	    "','created':'" T0 "','modified':'" T0 "','name':'r','labels':"
	    "['threat-report'],'published':'" T0 "','object_refs':['" MALW
	    "']}",
	    "{'type':'report','spec_version':'2.1','id':'report--" UUID1
	    "','created':'" T0 "','modified':'" T0 "','name':'r',"
	    "'report_types':['threat-report'],'published':'" T0 "',"
	    "'object_refs':['" MALW "']}",
	    "spec_version '2.0' made '2.1'; labels moved to 'report_types'");
	converts(HEAD20("threat-actor", UUID1) ",'name':'t','labels':['spy']}",
	         "{'type':'threat-actor','spec_version':'2.1','id':'threat-"
	         "actor--" UUID1 "','created':'" T0 "','modified':'" T0
	         "','name':'t',"
	         "'threat_actor_types':['spy']}",
	         "spec_version '2.1' added; labels moved to "
	         "'threat_actor_types'");
	converts(
	    HEAD20("tool", UUID1) ",'name':'t','labels':['remote-access']}",
	    "{'type':'tool','spec_version':'2.1','id':'tool--" UUID1 "',"
	    "'created':'" T0 "','modified':'" T0 "','name':'t',"
	    "'tool_types':['remote-access']}",
	    "spec_version '2.1' added; labels moved to 'tool_types'");
	/* labels stay where 2.1 kept them, and beside a *_types already set */
	converts(
	    HEAD20("campaign", UUID1) ",'name':'c','labels':['x']}",
	    "{'type':'campaign','spec_version':'2.1','id':'campaign--" UUID1
	    "','created':'" T0 "','modified':'" T0 "','name':'c',"
	    "'labels':['x']}",
	    "spec_version '2.1' added");
}

#define OD20(objects)                                                          \
	HEAD20("observed-data", "b67d30ff-02ac-498a-92f9-32f845f448cf")        \
	",'first_observed':'" T0 "','last_observed':'" T0 "',"                 \
	"'number_observed':1,'objects':" objects "}"

static void test_container(void **state)
{
	(void)state;
	struct vg_stix_conversion r;
	char err[512] = "";
	cJSON *o = js(OD20("{'0':{'type':'ipv4-addr','value':'198.51.100.3'},"
	                   "'1':{'type':'domain-name','value':'example.com',"
	                   "'resolves_to_refs':['0']},"
	                   "'2':{'type':'process','pid':7,'name':'gedit',"
	                   "'created':'" T0 "','opened_connection_refs':['3']},"
	                   "'3':{'type':'network-traffic','protocols':['tcp'],"
	                   "'src_ref':'0'}}"));
	cJSON *scos = cJSON_CreateArray();
	assert_int_equal(vg_stix_convert_20(o, scos, &r, err, sizeof(err)),
	                 VG_OK);
	assert_int_equal(r.scos, 4);
	assert_string_equal(r.note, "the observable container 'objects' made "
	                            "into SCOs and 'object_refs'; spec_version "
	                            "'2.1' added");
	/* the reference's vectors; refs rewritten to ids */
	cJSON *ip = cJSON_GetArrayItem(scos, 0),
	      *dn = cJSON_GetArrayItem(scos, 1);
	cJSON *proc = cJSON_GetArrayItem(scos, 2),
	      *nt = cJSON_GetArrayItem(scos, 3);
	assert_string_equal(cJSON_GetObjectItem(ip, "id")->valuestring, IPV4);
	assert_string_equal(
	    cJSON_GetObjectItem(dn, "id")->valuestring,
	    "domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7");
	assert_string_equal(
	    cJSON_GetArrayItem(cJSON_GetObjectItem(dn, "resolves_to_refs"), 0)
	        ->valuestring,
	    IPV4);
	assert_string_equal(cJSON_GetObjectItem(nt, "src_ref")->valuestring,
	                    IPV4);
	/* process: no contributing property, a derived UUIDv4; 2.0 names */
	const char *pid = cJSON_GetObjectItem(proc, "id")->valuestring;
	assert_int_equal(strncmp(pid, "process--", 9), 0);
	assert_int_equal(pid[9 + 14], '4');
	assert_non_null(cJSON_GetObjectItem(proc, "created_time"));
	assert_non_null(cJSON_GetObjectItem(proc, "x_stix20_name"));
	assert_null(cJSON_GetObjectItem(proc, "name"));
	assert_string_equal(
	    cJSON_GetArrayItem(
	        cJSON_GetObjectItem(proc, "opened_connection_refs"), 0)
	        ->valuestring,
	    cJSON_GetObjectItem(nt, "id")->valuestring);
	/* the observed-data: object_refs in the container's order */
	assert_null(cJSON_GetObjectItem(o, "objects"));
	cJSON *refs = cJSON_GetObjectItem(o, "object_refs");
	assert_int_equal(cJSON_GetArraySize(refs), 4);
	assert_string_equal(cJSON_GetArrayItem(refs, 2)->valuestring, pid);
	/* the same input gives the same ids */
	cJSON *o2 = js(OD20("{'2':{'type':'process','pid':7}}"));
	cJSON *scos2 = cJSON_CreateArray();
	assert_int_equal(vg_stix_convert_20(o2, scos2, &r, err, sizeof(err)),
	                 VG_OK);
	assert_string_equal(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(scos2, 0), "id")
	        ->valuestring,
	    pid);
	cJSON_Delete(o2);
	cJSON_Delete(scos2);
	/* everything made is valid 2.1 */
	for (cJSON *s = scos->child; s; s = s->next)
		ok(cJSON_Duplicate(s, 1));
	cJSON_Delete(scos);
	ok(o);
}

static void test_container_refused(void **state)
{
	(void)state;
	struct vg_stix_conversion r;
	char err[512] = "";
	cJSON *o = js(OD20("{'0':{'type':'network-traffic','protocols':['tcp'],"
	                   "'src_ref':'7'}}"));
	char *before = cJSON_PrintUnformatted(o);
	cJSON *scos = cJSON_CreateArray();
	assert_int_equal(vg_stix_convert_20(o, scos, &r, err, sizeof(err)),
	                 VG_EINVAL);
	assert_string_equal(err, "object 'observed-data--b67d30ff-02ac-498a-"
	                         "92f9-32f845f448cf': $.objects['0'].src_ref: "
	                         "refers to a key that is not in the container "
	                         "[2.13]");
	char *after = cJSON_PrintUnformatted(o);
	assert_string_equal(before, after);
	assert_int_equal(cJSON_GetArraySize(scos), 0);
	free(before);
	free(after);
	cJSON_Delete(o);
	/* two files inside each other's parent directory refs */
	o = js(
	    OD20("{'0':{'type':'file','name':'a','parent_directory_ref':'1'},"
	         "'1':{'type':'file','name':'b','parent_directory_ref':'0'}}"));
	assert_int_equal(vg_stix_convert_20(o, scos, &r, err, sizeof(err)),
	                 VG_EINVAL);
	assert_string_equal(err, "object 'observed-data--b67d30ff-02ac-498a-"
	                         "92f9-32f845f448cf': $.objects['0']: its "
	                         "ID-contributing references form a cycle "
	                         "[2.13]");
	cJSON_Delete(o);
	cJSON_Delete(scos);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_is_20),
	    cmocka_unit_test(test_not_20_unchanged),
	    cmocka_unit_test(test_spec_version_and_labels),
	    cmocka_unit_test(test_container),
	    cmocka_unit_test(test_container_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
