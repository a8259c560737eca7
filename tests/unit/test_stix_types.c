/* Unit tests of the rules of each STIX 2.1 type (docs/validation.md, "Rules
 * by type"): every type's minimal valid object, each required property
 * missing, and the rules across properties; also vg_stix_info. */
#include "stix_test.h"

/* The tables are searched by bisection: they must stay sorted. */
#include "../../src/core/stix/stix_internal.h"

#define HEAD(t)                                                                \
	"'type':'" t "','spec_version':'2.1','id':'" t "--" UUID1 "',"         \
	"'created':'" T0 "','modified':'" T0 "'"
#define E(t) "object '" t "--" UUID1 "': "
#define SCO(t) "'type':'" t "','id':'" t "--" UUID1 "'"

struct req_case {
	const char *obj;
	const char *key; /* removed to break the rule */
	const char *msg;
};

/* Each object is valid as written, and invalid without key. */
static const struct req_case required[] = {
    {"{" HEAD("attack-pattern") ",'name':'n'}", "name",
     E("attack-pattern") "$.name: is required"},
    {"{" HEAD("campaign") ",'name':'n'}", "name",
     E("campaign") "$.name: is required"},
    {"{" HEAD("course-of-action") ",'name':'n'}", "name",
     E("course-of-action") "$.name: is required"},
    {"{" HEAD("grouping") ",'context':'c','object_refs':['" IND_ID "']}",
     "context", E("grouping") "$.context: is required"},
    {"{" HEAD("grouping") ",'context':'c','object_refs':['" IND_ID "']}",
     "object_refs", E("grouping") "$.object_refs: is required"},
    {"{" HEAD("identity") ",'name':'n'}", "name",
     E("identity") "$.name: is required"},
    {"{" HEAD("incident") ",'name':'n'}", "name",
     E("incident") "$.name: is required"},
    {IND, "pattern", E_IND "$.pattern: is required"},
    {IND, "pattern_type", E_IND "$.pattern_type: is required"},
    {IND, "valid_from", E_IND "$.valid_from: is required"},
    {"{" HEAD("infrastructure") ",'name':'n'}", "name",
     E("infrastructure") "$.name: is required"},
    {"{" HEAD("intrusion-set") ",'name':'n'}", "name",
     E("intrusion-set") "$.name: is required"},
    {"{" HEAD("malware") ",'is_family':false}", "is_family",
     E("malware") "$.is_family: is required"},
    {"{" HEAD("malware-analysis") ",'product':'av','result':'benign'}",
     "product", E("malware-analysis") "$.product: is required"},
    {"{" HEAD("note") ",'content':'c','object_refs':['" IND_ID "']}", "content",
     E("note") "$.content: is required"},
    {"{" HEAD("note") ",'content':'c','object_refs':['" IND_ID "']}",
     "object_refs", E("note") "$.object_refs: is required"},
    {"{" HEAD("observed-data") ",'first_observed':'" T0 "',"
                               "'last_observed':'" T0
                               "','number_observed':1,'object_refs':['" IPV4
                               "']}",
     "first_observed", E("observed-data") "$.first_observed: is required"},
    {"{" HEAD("observed-data") ",'first_observed':'" T0 "',"
                               "'last_observed':'" T0
                               "','number_observed':1,'object_refs':['" IPV4
                               "']}",
     "last_observed", E("observed-data") "$.last_observed: is required"},
    {"{" HEAD("observed-data") ",'first_observed':'" T0 "',"
                               "'last_observed':'" T0
                               "','number_observed':1,'object_refs':['" IPV4
                               "']}",
     "number_observed", E("observed-data") "$.number_observed: is required"},
    {"{" HEAD("observed-data") ",'first_observed':'" T0 "',"
                               "'last_observed':'" T0
                               "','number_observed':1,'object_refs':['" IPV4
                               "']}",
     "object_refs", E("observed-data") "$.object_refs: is required"},
    {"{" HEAD("opinion") ",'opinion':'agree','object_refs':['" IND_ID "']}",
     "opinion", E("opinion") "$.opinion: is required"},
    {"{" HEAD("opinion") ",'opinion':'agree','object_refs':['" IND_ID "']}",
     "object_refs", E("opinion") "$.object_refs: is required"},
    {"{" HEAD("report") ",'name':'n','published':'" T0 "',"
                        "'object_refs':['" IND_ID "']}",
     "name", E("report") "$.name: is required"},
    {"{" HEAD("report") ",'name':'n','published':'" T0 "',"
                        "'object_refs':['" IND_ID "']}",
     "published", E("report") "$.published: is required"},
    {"{" HEAD("report") ",'name':'n','published':'" T0 "',"
                        "'object_refs':['" IND_ID "']}",
     "object_refs", E("report") "$.object_refs: is required"},
    {"{" HEAD("threat-actor") ",'name':'n'}", "name",
     E("threat-actor") "$.name: is required"},
    {"{" HEAD("tool") ",'name':'n'}", "name", E("tool") "$.name: is required"},
    {"{" HEAD("vulnerability") ",'name':'n'}", "name",
     E("vulnerability") "$.name: is required"},
    {"{" HEAD("relationship") ",'relationship_type':'uses',"
                              "'source_ref':'" IND_ID "','target_ref':'" MALW
                              "'}",
     "relationship_type", E("relationship") "$.relationship_type: is required"},
    {"{" HEAD("relationship") ",'relationship_type':'uses',"
                              "'source_ref':'" IND_ID "','target_ref':'" MALW
                              "'}",
     "source_ref", E("relationship") "$.source_ref: is required"},
    {"{" HEAD("relationship") ",'relationship_type':'uses',"
                              "'source_ref':'" IND_ID "','target_ref':'" MALW
                              "'}",
     "target_ref", E("relationship") "$.target_ref: is required"},
    {"{" HEAD("sighting") ",'sighting_of_ref':'" IND_ID "'}", "sighting_of_ref",
     E("sighting") "$.sighting_of_ref: is required"},
    {"{" SCO("autonomous-system") ",'number':15139}", "number",
     E("autonomous-system") "$.number: is required"},
    {"{" SCO("directory") ",'path':'C:\\\\Windows'}", "path",
     E("directory") "$.path: is required"},
    {"{" SCO("domain-name") ",'value':'example.com'}", "value",
     E("domain-name") "$.value: is required"},
    {"{" SCO("email-addr") ",'value':'a@example.com'}", "value",
     E("email-addr") "$.value: is required"},
    {"{" SCO("email-message") ",'is_multipart':false}", "is_multipart",
     E("email-message") "$.is_multipart: is required"},
    {"{" SCO("ipv4-addr") ",'value':'198.51.100.3'}", "value",
     E("ipv4-addr") "$.value: is required"},
    {"{" SCO("ipv6-addr") ",'value':'2001:db8::1'}", "value",
     E("ipv6-addr") "$.value: is required"},
    {"{" SCO("mac-addr") ",'value':'d2:fb:49:24:37:18'}", "value",
     E("mac-addr") "$.value: is required"},
    {"{" SCO("mutex") ",'name':'__CLEANSWEEP__'}", "name",
     E("mutex") "$.name: is required"},
    {"{" SCO("network-traffic") ",'protocols':['tcp'],'dst_ref':'" IPV4 "'}",
     "protocols", E("network-traffic") "$.protocols: is required"},
    {"{" SCO("software") ",'name':'Word'}", "name",
     E("software") "$.name: is required"},
    {"{" SCO("url") ",'value':'https://example.com/'}", "value",
     E("url") "$.value: is required"},
    {"{'type':'marking-definition','spec_version':'2.1','id':'" STMT "',"
     "'created':'" T0 "','definition_type':'statement',"
     "'definition':{'statement':'Copyright'}}",
     "created", "object '" STMT "': $.created: is required"},
    {"{" HEAD("language-content") ",'object_ref':'" IND_ID "',"
                                  "'contents':{'de':{'name':'Bankraub'}}}",
     "object_ref", E("language-content") "$.object_ref: is required"},
    {"{" HEAD("language-content") ",'object_ref':'" IND_ID "',"
                                  "'contents':{'de':{'name':'Bankraub'}}}",
     "contents", E("language-content") "$.contents: is required"},
    {"{" HEAD("extension-definition") ",'name':'n','schema':'s',"
                                      "'version':'1.0','extension_types':['new-"
                                      "sdo'],'created_by_ref':'" IDENT "'}",
     "name", E("extension-definition") "$.name: is required"},
    {"{" HEAD("extension-definition") ",'name':'n','schema':'s',"
                                      "'version':'1.0','extension_types':['new-"
                                      "sdo'],'created_by_ref':'" IDENT "'}",
     "schema", E("extension-definition") "$.schema: is required"},
    {"{" HEAD("extension-definition") ",'name':'n','schema':'s',"
                                      "'version':'1.0','extension_types':['new-"
                                      "sdo'],'created_by_ref':'" IDENT "'}",
     "version", E("extension-definition") "$.version: is required"},
    {"{" HEAD("extension-definition") ",'name':'n','schema':'s',"
                                      "'version':'1.0','extension_types':['new-"
                                      "sdo'],'created_by_ref':'" IDENT "'}",
     "extension_types",
     E("extension-definition") "$.extension_types: is required"},
    {"{" HEAD("extension-definition") ",'name':'n','schema':'s',"
                                      "'version':'1.0','extension_types':['new-"
                                      "sdo'],'created_by_ref':'" IDENT "'}",
     "created_by_ref",
     E("extension-definition") "$.created_by_ref: is required"},
    /* Custom types need the common properties of an SDO. */
    {"{" HEAD("x-mitre-tactic") ",'x_mitre_shortname':'impact'}", "created",
     E("x-mitre-tactic") "$.created: is required"},
    {"{" HEAD("x-mitre-tactic") ",'x_mitre_shortname':'impact'}", "modified",
     E("x-mitre-tactic") "$.modified: is required"},
    {"{" HEAD("x-mitre-tactic") ",'x_mitre_shortname':'impact'}",
     "spec_version",
     E("x-mitre-tactic") "$.spec_version: is required (a STIX 2.0 "
                         "object: import it with --convert-2.0) [3.2]"},
    {"{" HEAD("relationship") ",'relationship_type':'uses',"
                              "'source_ref':'" IND_ID "','target_ref':'" MALW
                              "'}",
     "spec_version",
     E("relationship") "$.spec_version: is required (a STIX 2.0 object: "
                       "import it with --convert-2.0) [3.2]"},
};

static void test_required(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		ok(js(required[i].obj));
		bad(set(js(required[i].obj), required[i].key, NULL),
		    required[i].msg);
	}
}

static void test_scos_without_required(void **state)
{
	(void)state;
	/* No property of their own is required [6.x]. */
	ok(js("{" SCO("process") "}"));
	ok(js("{" SCO("user-account") "}"));
	ok(js("{" SCO("windows-registry-key") "}"));
	ok(js("{" SCO("x509-certificate") "}"));
}

static void test_shapes(void **state)
{
	(void)state;
	bad(js("{" HEAD("tool") ",'name':5}"),
	    E("tool") "$.name: must be a string");
	bad(js("{" HEAD("report") ",'name':'n','published':'today',"
	                          "'object_refs':['" IND_ID "']}"),
	    E("report") "$.published: must be a timestamp "
	                "YYYY-MM-DDTHH:MM:SS[.s+]Z");
	bad(js("{" HEAD("grouping") ",'context':'c','object_refs':'" IND_ID
	                            "'}"),
	    E("grouping") "$.object_refs: must be a non-empty list of STIX "
	                  "identifiers");
	bad(js("{" SCO("autonomous-system") ",'number':1.5}"),
	    E("autonomous-system") "$.number: must be an integer");
	bad(js("{" SCO("email-message") ",'is_multipart':'no'}"),
	    E("email-message") "$.is_multipart: must be a boolean");
	bad(js("{" SCO("network-traffic") ",'protocols':'tcp','src_ref':'" IPV4
	                                  "'}"),
	    E("network-traffic") "$.protocols: must be a non-empty list of "
	                         "strings");
	bad(js("{" HEAD("language-content") ",'object_ref':'" IND_ID "',"
	                                    "'contents':'de'}"),
	    E("language-content") "$.contents: must be an object");
	ok(js(
	    "{" HEAD("language-content") ",'object_ref':'" IND_ID "',"
	                                 "'object_modified':'" T0
	                                 "','contents':{'de':{'name':'x'}}}"));
	bad(js("{" HEAD("language-content") ",'object_ref':'" IND_ID "',"
	                                    "'object_modified':'2016','"
	                                    "contents':{'de':{'name':'x'}}}"),
	    E("language-content") "$.object_modified: must be a timestamp "
	                          "YYYY-MM-DDTHH:MM:SS[.s+]Z");
	/* An open vocabulary: any strings. */
	ok(js("{" HEAD("threat-actor") ",'name':'n',"
	                               "'threat_actor_types':['terrorist','"
	                               "acme-defined']}"));
	bad(js("{" HEAD("threat-actor") ",'name':'n',"
	                                "'threat_actor_types':'terrorist'}"),
	    E("threat-actor") "$.threat_actor_types: must be a non-empty list "
	                      "of strings");
}

static void test_time_order(void **state)
{
	(void)state;
	const char *seen[] = {"campaign", "intrusion-set", "threat-actor",
	                      "infrastructure"};
	char obj[512], msg[256];
	for (size_t i = 0; i < 4; i++) {
		snprintf(obj, sizeof(obj),
		         "{'type':'%s','spec_version':'2.1','id':'%s--" UUID1
		         "','created':'" T0 "','modified':'" T0 "','name':'n',"
		         "'first_seen':'" T1 "','last_seen':'" T1 "'}",
		         seen[i], seen[i]);
		ok(js(obj));
		snprintf(msg, sizeof(msg),
		         "object '%s--" UUID1 "': $.last_seen: is before "
		         "'first_seen'",
		         seen[i]);
		bad(set(js(obj), "last_seen", "'" T0 "'"), msg);
	}
	ok(set(js(IND), "valid_until", "'2016-01-01T00:00:00.001Z'"));
	bad(set(js(IND), "valid_until", "'2016-01-01T00:00:00.000Z'"),
	    E_IND "$.valid_until: must be later than 'valid_from'");
	bad(set(js(IND), "valid_from", "'yesterday'"), E_IND
	    "$.valid_from: must be a timestamp YYYY-MM-DDTHH:MM:SS[.s+]Z");
}

static void test_location(void **state)
{
	(void)state;
	ok(js("{" HEAD("location") ",'region':'south-eastern-asia'}"));
	ok(js("{" HEAD("location") ",'country':'TH'}"));
	ok(js("{" HEAD("location") ",'latitude':90,'longitude':-180}"));
	ok(js("{" HEAD("location") ",'latitude':-90.0,'longitude':180.0}"));
	bad(js("{" HEAD("location") ",'name':'somewhere'}"),
	    E("location") "$: needs 'region', 'country' or 'latitude' and "
	                  "'longitude'");
	bad(js("{" HEAD("location") ",'latitude':48.8566}"),
	    E("location") "$.longitude: is required with 'latitude'");
	bad(js("{" HEAD("location") ",'country':'FR','longitude':2.35}"),
	    E("location") "$.latitude: is required with 'longitude'");
	bad(js("{" HEAD("location") ",'latitude':90.5,'longitude':0}"),
	    E("location") "$.latitude: must be a number from -90 to 90");
	bad(js("{" HEAD("location") ",'latitude':0,'longitude':-180.01}"),
	    E("location") "$.longitude: must be a number from -180 to 180");
	bad(js("{" HEAD("location") ",'latitude':'48','longitude':2}"),
	    E("location") "$.latitude: must be a number from -90 to 90");
}

static void test_malware(void **state)
{
	(void)state;
	ok(js("{" HEAD("malware") ",'is_family':true,'name':'Poison Ivy'}"));
	ok(js("{" HEAD("malware") ",'is_family':false}"));
	bad(js("{" HEAD("malware") ",'is_family':true}"),
	    E("malware") "$.name: is required when 'is_family' is true");
	bad(js("{" HEAD("malware") ",'is_family':'true','name':'n'}"),
	    E("malware") "$.is_family: must be a boolean");
	bad(js("{" HEAD("malware") ",'is_family':false,'first_seen':'" T1 "',"
	                           "'last_seen':'" T0 "'}"),
	    E("malware") "$.last_seen: is before 'first_seen'");
	ok(js("{" HEAD("malware-analysis") ",'product':'av',"
	                                   "'analysis_sco_refs':['file--" UUID1
	                                   "']}"));
	bad(js("{" HEAD("malware-analysis") ",'product':'av'}"),
	    E("malware-analysis") "$: needs 'result' or 'analysis_sco_refs'");
}

static void test_observed_data(void **state)
{
	(void)state;
#define OD(extra)                                                              \
	"{" HEAD("observed-data") ",'first_observed':'" T0 "',"                \
	                          "'last_observed':'" T1                       \
	                          "','number_observed':1" extra "}"
	ok(js(OD(",'object_refs':['" IPV4 "']")));
	ok(js(OD(",'objects':{'0':{'type':'ipv4-addr','value':'1.2.3.4'}}")));
	bad(js(OD(",'object_refs':['" IPV4 "'],'objects':{'0':{'type':"
	          "'ipv4-addr','value':'1.2.3.4'}}")),
	    E("observed-data") "$: must not have both 'objects' and "
	                       "'object_refs'");
	bad(set(js(OD(",'object_refs':['" IPV4 "']")), "last_observed",
	        "'2016-04-06T20:03:47.999Z'"),
	    E("observed-data") "$.last_observed: is before 'first_observed'");
	ok(set(js(OD(",'object_refs':['" IPV4 "']")), "number_observed",
	       "999999999"));
	bad(set(js(OD(",'object_refs':['" IPV4 "']")), "number_observed", "0"),
	    E("observed-data") "$.number_observed: must be an integer from 1 "
	                       "to 999999999");
	bad(set(js(OD(",'object_refs':['" IPV4 "']")), "number_observed",
	        "1000000000"),
	    E("observed-data") "$.number_observed: must be an integer from 1 "
	                       "to 999999999");
#undef OD
}

static void test_opinion(void **state)
{
	(void)state;
	ok(js("{" HEAD("opinion") ",'opinion':'strongly-disagree',"
	                          "'object_refs':['" IND_ID "']}"));
	bad(js("{" HEAD("opinion") ",'opinion':'maybe','object_refs':['" IND_ID
	                           "']}"),
	    E("opinion") "$.opinion: must be one of strongly-disagree, "
	                 "disagree, neutral, agree, strongly-agree");
}

static void test_relationship(void **state)
{
	(void)state;
#define RL(src, tgt)                                                           \
	"{" HEAD("relationship") ",'relationship_type':'r','source_ref':'" src \
	                         "','target_ref':'" tgt "'}"
	ok(js(RL(IND_ID, MALW)));
	ok(js(RL("infrastructure--" UUID1, IPV4))); /* SCOs are fine */
	ok(js(RL("x-mitre-data-component--" UUID1, "attack-pattern--" UUID1)));
	bad(js(RL(REL, MALW)),
	    E("relationship") "$.source_ref: must refer to an SDO or SCO");
	bad(js(RL(IND_ID, TLP1_RED)),
	    E("relationship") "$.target_ref: must refer to an SDO or SCO");
	bad(js(RL(IND_ID, "bundle--" UUID1)),
	    E("relationship") "$.target_ref: must refer to an SDO or SCO");
	bad(js(RL(IND_ID, "malware")),
	    E("relationship") "$.target_ref: must be a STIX identifier");
	ok(set(set(js(RL(IND_ID, MALW)), "start_time", "'" T0 "'"), "stop_time",
	       "'" T1 "'"));
	bad(set(set(js(RL(IND_ID, MALW)), "start_time", "'" T0 "'"),
	        "stop_time", "'" T0 "'"),
	    E("relationship") "$.stop_time: must be later than 'start_time'");
#undef RL
}

static void test_sighting(void **state)
{
	(void)state;
#define SG(extra)                                                              \
	"{" HEAD("sighting") ",'sighting_of_ref':'" IND_ID "'" extra "}"
	ok(js(SG(",'observed_data_refs':['" OBSD
	         "'],'where_sighted_refs':['" IDENT "','" LOC "'],'count':0")));
	ok(set(js(SG("")), "sighting_of_ref", "'x-acme-thing--" UUID1 "'"));
	bad(set(js(SG("")), "sighting_of_ref", "'" IPV4 "'"),
	    E("sighting") "$.sighting_of_ref: must refer to an SDO");
	bad(set(js(SG("")), "sighting_of_ref", "'" REL "'"),
	    E("sighting") "$.sighting_of_ref: must refer to an SDO");
	bad(js(SG(",'observed_data_refs':['" OBSD "','" IND_ID "']")),
	    E("sighting") "$.observed_data_refs[1]: must be an observed-data "
	                  "id");
	bad(js(SG(",'where_sighted_refs':['" MALW "']")),
	    E("sighting") "$.where_sighted_refs[0]: must be an identity or "
	                  "location id");
	ok(js(SG(",'count':999999999")));
	bad(js(SG(",'count':1000000000")),
	    E("sighting") "$.count: must be an integer from 0 to 999999999");
	bad(js(SG(",'count':-1")),
	    E("sighting") "$.count: must be an integer from 0 to 999999999");
	bad(js(SG(",'first_seen':'" T1 "','last_seen':'" T0 "'")),
	    E("sighting") "$.last_seen: is before 'first_seen'");
#undef SG
}

static void test_scos(void **state)
{
	(void)state;
	ok(js("{" SCO("artifact") ",'payload_bin':'aGVsbG8='}"));
	ok(js("{" SCO("artifact") ",'url':'https://example.com/a.bin',"
	                          "'hashes':{'SHA-256':'"
	                          "abababababababababababababababababababababab"
	                          "abababababababababab'}}"));
	bad(js("{" SCO("artifact") ",'mime_type':'text/plain'}"),
	    E("artifact") "$: needs 'payload_bin' or 'url'");
	bad(js("{" SCO("artifact") ",'payload_bin':'aGVsbG8=',"
	                           "'url':'https://example.com/"
	                           "a.bin','hashes':{'MD5':'"
	                           "abababababababababababababababab'}}"),
	    E("artifact") "$: must not have both 'payload_bin' and 'url'");
	bad(js("{" SCO("artifact") ",'url':'https://example.com/a.bin'}"),
	    E("artifact") "$.hashes: is required with 'url'");
	ok(js("{" SCO("file") ",'hashes':{'MD5':'" HEX_MD5 "'}}"));
	ok(js("{" SCO("file") ",'name':'a.exe'}"));
	bad(js("{" SCO("file") ",'size':25536}"),
	    E("file") "$: needs 'hashes' or 'name'");
	bad(js("{" SCO("file") ",'hashes':{'MD5':1}}"),
	    E("file") "$.hashes.MD5: must be a string");
	ok(js("{" SCO("network-traffic") ",'protocols':['tcp'],'src_ref':'" IPV4
	                                 "'}"));
	bad(js("{" SCO("network-traffic") ",'protocols':['tcp']}"),
	    E("network-traffic") "$: needs 'src_ref' or 'dst_ref'");
	bad(js("{" SCO("network-traffic") ",'protocols':[],'src_ref':'" IPV4
	                                  "'}"),
	    E("network-traffic") "$.protocols: must not be an empty list");
}

/* marking-definition: statement and TLP 1.0 / 2.0 forms [7.2]. */
#define MDEF(id, rest)                                                         \
	"{'type':'marking-definition','spec_version':'2.1','id':'" id "',"     \
	"'created':'2017-01-20T00:00:00.000Z'" rest "}"
#define TLP1(level) ",'definition_type':'tlp','definition':{'tlp':'" level "'}"
#define TLP2(level)                                                            \
	",'name':'TLP:X','extensions':{'" TLP2_EXT "':{'extension_type':"      \
	"'property-extension','tlp_2_0':'" level "'}}"
#define STATEMENT                                                              \
	",'definition_type':'statement','definition':{'statement':'c'}"

static void test_marking_definition(void **state)
{
	(void)state;
	ok(js(MDEF(STMT, STATEMENT)));
	ok(js(MDEF(TLP1_GREEN, TLP1("green"))));
	ok(js(MDEF(TLP1_RED, TLP1("red"))));
	ok(js(MDEF(TLP2_AS, TLP2("amber+strict"))));
	ok(js(MDEF(TLP2_AMBER, TLP2("amber"))));
	/* Seen in the wild: a label in definition_type beside the
	 * extension. */
	ok(set(js(MDEF(TLP2_AMBER, TLP2("amber"))), "definition_type",
	       "'TLP:AMBER'"));
	bad(js(MDEF(STMT, ",'name':'n'")),
	    "object '" STMT "': $: needs 'definition_type' and 'definition', "
	    "or 'extensions'");
	bad(js(MDEF(STMT, ",'definition':{'statement':'c'}")),
	    "object '" STMT "': $.definition_type: is required with "
	    "'definition'");
	bad(js(MDEF(STMT, ",'definition_type':'statement'")),
	    "object '" STMT "': $.definition: is required with "
	    "'definition_type'");
	bad(js(MDEF(STMT, ",'definition_type':'statement','definition':'c'")),
	    "object '" STMT "': $.definition: must be an object");
	bad(js(MDEF(STMT, ",'definition_type':'statement','definition':"
	                  "{'text':'c'}")),
	    "object '" STMT "': $.definition.statement: is required");
	bad(js(MDEF(STMT, ",'definition_type':'statement','definition':"
	                  "{'statement':1}")),
	    "object '" STMT "': $.definition.statement: must be a string");
}

static void test_tlp_markings(void **state)
{
	(void)state;
	bad(js(MDEF(TLP1_GREEN, TLP1("red"))),
	    "object '" TLP1_GREEN "': $.definition.tlp: must be 'green' for "
	    "this TLP 1.0 marking id");
	bad(js(MDEF(TLP1_GREEN, TLP1("purple"))),
	    "object '" TLP1_GREEN "': $.definition.tlp: must be one of white, "
	    "green, amber, red");
	bad(js(MDEF(TLP1_GREEN, ",'definition_type':'tlp','definition':{}")),
	    "object '" TLP1_GREEN "': $.definition.tlp: is required");
	bad(js(MDEF(TLP1_GREEN, STATEMENT)),
	    "object '" TLP1_GREEN "': $.definition_type: must be 'tlp' for a "
	    "TLP 1.0 marking id");
	bad(js(MDEF(STMT, TLP1("green"))),
	    "object '" STMT "': $.id: must be the standard TLP 1.0 id for "
	    "'green' (" TLP1_GREEN ")");
	bad(js(MDEF(TLP1_RED, TLP1("red") TLP2("red"))),
	    "object '" TLP1_RED "': $.extensions['" TLP2_EXT "']: must not be "
	    "used on a TLP 1.0 marking id");

	bad(js(MDEF(TLP2_AS, TLP2("amber"))),
	    "object '" TLP2_AS "': $.extensions['" TLP2_EXT "'].tlp_2_0: must "
	    "be 'amber+strict' for this TLP 2.0 marking id");
	bad(js(MDEF(TLP2_AS, TLP2("blue"))),
	    "object '" TLP2_AS "': $.extensions['" TLP2_EXT "'].tlp_2_0: must "
	    "be one of clear, green, amber, amber+strict, red");
	bad(js(MDEF(TLP2_AS, ",'extensions':{'" TLP2_EXT "':{"
	                     "'extension_type':'property-extension'}}")),
	    "object '" TLP2_AS "': $.extensions['" TLP2_EXT "'].tlp_2_0: is "
	    "required");
	bad(js(MDEF(TLP2_AS, STATEMENT)),
	    "object '" TLP2_AS "': $.extensions: needs '" TLP2_EXT "' for a "
	    "TLP 2.0 marking id");
	bad(js(MDEF(TLP2_AS, TLP1("red"))),
	    "object '" TLP2_AS "': $.definition_type: must not be 'tlp' for a "
	    "TLP 2.0 marking id");
	bad(js(MDEF(STMT, TLP2("red"))),
	    "object '" STMT "': $.id: must be the standard TLP 2.0 id for "
	    "'red' (" MD "e828b379-4e03-4974-9ac4-e53a884c97c1)");
}

static void test_marking_circular(void **state)
{
	(void)state;
	ok(js(
	    MDEF(STMT, STATEMENT ",'object_marking_refs':['" TLP1_GREEN "']")));
	bad(js(MDEF(STMT, STATEMENT ",'object_marking_refs':['" TLP1_GREEN
	                            "','" STMT "']")),
	    "object '" STMT "': $.object_marking_refs[1]: must not refer to "
	    "the marking-definition itself");
	bad(js(MDEF(STMT, STATEMENT ",'granular_markings':[{'selectors':"
	                            "['definition_type'],'marking_ref':'" STMT
	                            "'}]")),
	    "object '" STMT "': $.granular_markings[0].marking_ref: must not "
	    "refer to the marking-definition itself");
}

static void test_extension_definition(void **state)
{
	(void)state;
#define XD(types)                                                              \
	"{" HEAD(                                                              \
	    "extension-definition") ",'name':'n','schema':'s',"                \
	                            "'version':'1.0','created_by_ref':'" IDENT \
	                            "','extension_types':" types "}"
	ok(js(XD("['new-sdo','new-sco','new-sro','property-extension',"
	         "'toplevel-property-extension']")));
	bad(js(XD("['property-extension','new-thing']")),
	    E("extension-definition") "$.extension_types[1]: must be one of "
	                              "new-sdo, new-sco, new-sro, "
	                              "property-extension, "
	                              "toplevel-property-extension");
	bad(js(XD("[]")), E("extension-definition") "$.extension_types: must "
	                                            "not be an empty list");
#undef XD
}

static void test_custom_types(void **state)
{
	(void)state;
	ok(js("{" HEAD("x-mitre-matrix") ",'name':'ICS','tactic_refs':["
	                                 "'x-mitre-tactic--" UUID1 "']}"));
	/* Types outside STIX 2.1 without the x- prefix are custom too. */
	ok(js("{" HEAD("acme-widget") ",'size':3}"));
	/* A custom SCO (new-sco extension) is versionless like an SCO. */
	ok(js("{'type':'x-acme-sensor','id':'x-acme-sensor--" UUID1 "',"
	      "'extensions':{'" EXTDEF "':{'extension_type':'new-sco'}}}"));
	bad(js("{'type':'x-acme-sensor','id':'x-acme-sensor--" UUID1 "',"
	       "'extensions':{'" EXTDEF "':{'extension_type':'new-sdo'}}}"),
	    "object 'x-acme-sensor--" UUID1 "': $.spec_version: is required "
	    "(a STIX 2.0 object: import it with --convert-2.0) [3.2]");
	/* Their own properties are the producer's; common rules hold. */
	bad(js("{" HEAD("x-mitre-matrix") ",'tactic_refs':[]}"),
	    E("x-mitre-matrix") "$.tactic_refs: must not be an empty list");
}

static struct vg_stix_info info_of(cJSON *o)
{
	struct vg_stix_info info;
	char err[512];
	memset(&info, 0xa5, sizeof(info));
	if (vg_stix_validate(o, &info, err, sizeof(err)))
		fail_msg("%s", err);
	return info;
}

static void test_info(void **state)
{
	(void)state;
	cJSON *o =
	    set(set(set(js(IND), "modified", "'2017-01-01T00:00:00.1000Z'"),
	            "object_marking_refs",
	            "['" TLP1_GREEN "','" TLP1_RED "','" STMT "']"),
	        "revoked", "true");
	struct vg_stix_info i = info_of(o);
	assert_ptr_equal(i.type, cJSON_GetObjectItem(o, "type")->valuestring);
	assert_string_equal(i.id, IND_ID);
	assert_string_equal(i.created, T0);
	assert_string_equal(i.modified, "2017-01-01T00:00:00.1000Z");
	assert_string_equal(i.spec_version, "2.1");
	assert_string_equal(i.version, "2017-01-01T00:00:00.100000000Z");
	assert_int_equal(i.revoked, 1);
	assert_int_equal(i.kind, VG_STIX_SDO);
	assert_int_equal(i.tlp, VG_TLP_RED);
	cJSON_Delete(o);

	o = set(js(IND), "object_marking_refs",
	        "['" TLP2_AS "','" TLP2_AMBER "']");
	i = info_of(o);
	assert_int_equal(i.tlp, VG_TLP_AMBER_STRICT);
	assert_int_equal(i.revoked, 0);
	cJSON_Delete(o);

	/* A marking definition is versioned by created alone. */
	o = js(MDEF(TLP1_GREEN, TLP1("green")));
	i = info_of(o);
	assert_int_equal(i.kind, VG_STIX_META);
	assert_null(i.modified);
	assert_string_equal(i.version, "2017-01-20T00:00:00.000000000Z");
	assert_int_equal(i.tlp, VG_TLP_NONE);
	cJSON_Delete(o);

	o = js("{" SCO("ipv4-addr") ",'value':'198.51.100.3'}");
	i = info_of(o);
	assert_int_equal(i.kind, VG_STIX_SCO);
	assert_null(i.created);
	assert_null(i.modified);
	assert_null(i.spec_version);
	assert_string_equal(i.version, "");
	cJSON_Delete(o);

	o = js("{" HEAD("relationship") ",'relationship_type':'uses',"
	                                "'source_ref':'" IND_ID
	                                "','target_ref':'" MALW "'}");
	assert_int_equal(info_of(o).kind, VG_STIX_SRO);
	cJSON_Delete(o);
	o = js("{" HEAD("x-mitre-tactic") "}");
	assert_int_equal(info_of(o).kind, VG_STIX_CUSTOM);
	cJSON_Delete(o);

	/* On failure info is left as it was. */
	o = set(js(IND), "confidence", "101");
	memset(&i, 0, sizeof(i));
	assert_int_equal(vg_stix_validate(o, &i, NULL, 0), VG_EINVAL);
	assert_null(i.id);
	cJSON_Delete(o);
}

static void test_tables_sorted(void **state)
{
	(void)state;
	for (int p = 0; p < VG__P__N; p++) {
		assert_int_equal(vg__prop_find(vg__prop_name(p)), p);
		if (p > 0)
			assert_true(
			    strcmp(vg__prop_name(p - 1), vg__prop_name(p)) < 0);
	}
	assert_int_equal(vg__prop_find("x_mitre_version"), VG__P__NONE);
	assert_int_equal(vg__prop_find(""), VG__P__NONE);

	static const char *const all[] = {"artifact",
	                                  "attack-pattern",
	                                  "autonomous-system",
	                                  "campaign",
	                                  "course-of-action",
	                                  "directory",
	                                  "domain-name",
	                                  "email-addr",
	                                  "email-message",
	                                  "extension-definition",
	                                  "file",
	                                  "grouping",
	                                  "identity",
	                                  "incident",
	                                  "indicator",
	                                  "infrastructure",
	                                  "intrusion-set",
	                                  "ipv4-addr",
	                                  "ipv6-addr",
	                                  "language-content",
	                                  "location",
	                                  "mac-addr",
	                                  "malware",
	                                  "malware-analysis",
	                                  "marking-definition",
	                                  "mutex",
	                                  "network-traffic",
	                                  "note",
	                                  "observed-data",
	                                  "opinion",
	                                  "process",
	                                  "relationship",
	                                  "report",
	                                  "sighting",
	                                  "software",
	                                  "threat-actor",
	                                  "tool",
	                                  "url",
	                                  "user-account",
	                                  "vulnerability",
	                                  "windows-registry-key",
	                                  "x509-certificate"};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		const struct vg__stix_type *t =
		    vg__stix_type_find(all[i], strlen(all[i]));
		assert_non_null(t);
		assert_string_equal(t->name, all[i]);
	}
	assert_null(vg__stix_type_find("malwar", 6));
	assert_null(vg__stix_type_find("malwares", 8));
	assert_null(vg__stix_type_find("x-mitre-tactic", 14));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_required),
	    cmocka_unit_test(test_scos_without_required),
	    cmocka_unit_test(test_shapes),
	    cmocka_unit_test(test_time_order),
	    cmocka_unit_test(test_location),
	    cmocka_unit_test(test_malware),
	    cmocka_unit_test(test_observed_data),
	    cmocka_unit_test(test_opinion),
	    cmocka_unit_test(test_relationship),
	    cmocka_unit_test(test_sighting),
	    cmocka_unit_test(test_scos),
	    cmocka_unit_test(test_marking_definition),
	    cmocka_unit_test(test_tlp_markings),
	    cmocka_unit_test(test_marking_circular),
	    cmocka_unit_test(test_extension_definition),
	    cmocka_unit_test(test_custom_types),
	    cmocka_unit_test(test_info),
	    cmocka_unit_test(test_tables_sorted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
