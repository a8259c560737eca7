/* Unit tests of the rules of issue 14 (docs/validation.md, the rows with a
 * section at the end of their message): SCO values, hashes, timestamps at
 * every depth, rules across properties, names, selectors, translations,
 * references and the bundle envelope. A passing and a failing case for
 * each, with the exact message. */
#include "stix_test.h"

#define SCO(t, id) "{'type':'" t "','id':'" t "--" id "'"
#define E(t, id) "object '" t "--" id "': "
/* UUIDv4 ids for SCOs, and a v5 one (not computed for its object). */
#define V4 UUID1
#define V5 "28bb3599-77cd-5a82-a950-b5bc3caf07c4"

static void test_ip_addresses(void **state)
{
	(void)state;
	const char *good4[] = {"198.51.100.3", "10.0.0.0/8", "0.0.0.0/0",
	                       "255.255.255.255/32"};
	const char *bad4[] = {"foo",   "10.0.0.1/33", "010.0.0.1", "1.2.3.4/08",
	                      "1.2.3", "1.2.3.4/",    "::1"};
	char obj[256];
	for (size_t i = 0; i < sizeof(good4) / sizeof(good4[0]); i++) {
		snprintf(obj, sizeof(obj),
		         SCO("ipv4-addr", V5) ",'value':'%s'}", good4[i]);
		ok(js(obj));
	}
	for (size_t i = 0; i < sizeof(bad4) / sizeof(bad4[0]); i++) {
		snprintf(obj, sizeof(obj),
		         SCO("ipv4-addr", V5) ",'value':'%s'}", bad4[i]);
		bad(js(obj), E("ipv4-addr", V5) "$.value: must be an IPv4 "
		                                "address or CIDR block [6.8]");
	}
	ok(js(SCO("ipv6-addr", V5) ",'value':'2001:db8::1'}"));
	ok(js(SCO("ipv6-addr", V5) ",'value':'2001:db8::/32'}"));
	bad(js(SCO("ipv6-addr", V5) ",'value':'::1/129'}"),
	    E("ipv6-addr", V5) "$.value: must be an IPv6 address or CIDR "
	                       "block [6.9]");
	bad(js(SCO("ipv6-addr", V5) ",'value':'198.51.100.3'}"),
	    E("ipv6-addr", V5) "$.value: must be an IPv6 address or CIDR "
	                       "block [6.9]");
}

static void test_mac_addr(void **state)
{
	(void)state;
	ok(js(SCO("mac-addr", V5) ",'value':'d2:fb:49:24:37:18'}"));
	const char *msg = E(
	    "mac-addr", V5) "$.value: must be a MAC-48 "
	                    "address, lowercase, colon-delimited, with leading "
	                    "zeros [6.10]";
	bad(js(SCO("mac-addr", V5) ",'value':'D2:FB:49:24:37:18'}"), msg);
	bad(js(SCO("mac-addr", V5) ",'value':'d2-fb-49-24-37-18'}"), msg);
	bad(js(SCO("mac-addr", V5) ",'value':'d2:fb:49:24:37:8'}"), msg);
}

static void test_email_addr(void **state)
{
	(void)state;
	ok(js(SCO("email-addr", V5) ",'value':'jdoe@example.com'}"));
	ok(js(SCO("email-addr", V5) ",'value':'john.doe+x@[192.0.2.1]'}"));
	ok(js(
	    SCO("email-addr", V5) ",'value':'\\\"john doe\\\"@example.com'}"));
	const char *msg =
	    E("email-addr",
	      V5) "$.value: must be an email "
	          "address (RFC 5322 addr-spec) without a display name "
	          "[6.5]";
	bad(js(SCO("email-addr", V5) ",'value':'John Doe <jdoe@example.com>'}"),
	    msg);
	bad(js(SCO("email-addr", V5) ",'value':'jdoe'}"), msg);
	bad(js(SCO("email-addr", V5) ",'value':'jdoe@example..com'}"), msg);
}

static void test_urls(void **state)
{
	(void)state;
	ok(js(SCO("url", V5) ",'value':'https://example.com/a%20b?x=1#top'}"));
	ok(js(SCO("url", V5) ",'value':'http://[2001:db8::1]:8080/'}"));
	ok(js(SCO("url", V5) ",'value':'mailto:jdoe@example.com'}"));
	const char *msg = E("url", V5) "$.value: must be a URI (RFC 3986) "
	                               "[6.15]";
	bad(js(SCO("url", V5) ",'value':'foo'}"), msg);
	bad(js(SCO("url", V5) ",'value':'http://exa mple.com/'}"), msg);
	bad(js(SCO("url", V5) ",'value':'http://example.com/%zz'}"), msg);
	bad(js(SCO("url", V5) ",'value':'http://example.com/a#b#c'}"), msg);
	ok(js(SCO("artifact", V5) ",'url':'https://example.com/a.bin',"
	                          "'hashes':{'SHA-256':'" HEX_SHA256 "'}}"));
	bad(js(SCO("artifact",
	           V5) ",'url':'foo','hashes':{'SHA-256':'" HEX_SHA256 "'}}"),
	    E("artifact", V5) "$.url: must be a URI (RFC 3986) [6.1]");
}

static void test_payload_bin(void **state)
{
	(void)state;
	ok(js(SCO("artifact", V5) ",'payload_bin':'aGVsbG8='}"));
	ok(js(SCO("artifact", V5) ",'payload_bin':'aGk='}"));
	const char *msg = E("artifact", V5) "$.payload_bin: must be base64 "
	                                    "(RFC 4648, padded) [2.1]";
	bad(js(SCO("artifact", V5) ",'payload_bin':'aGVsbG8'}"), msg);
	bad(js(SCO("artifact", V5) ",'payload_bin':'aGV$bG8='}"), msg);
	bad(js(SCO("artifact", V5) ",'payload_bin':'aGl='}"), msg);
	bad(js(SCO("artifact", V5) ",'payload_bin':'not base64!'}"), msg);
}

static void test_encodings(void **state)
{
	(void)state;
	ok(js(
	    SCO("file", V5) ",'name':'quêry.dll','name_enc':'windows-1252'}"));
	ok(js(SCO("directory", V5) ",'path':'C:\\\\a','path_enc':'utf-8'}"));
	ok(js(SCO("file", V5) ",'name':'a','name_enc':'Shift_JIS'}"));
	bad(js(SCO("file", V5) ",'name':'a','name_enc':'foo'}"),
	    E("file", V5) "$.name_enc: must be the name of a character set in "
	                  "the IANA registry [3.9.1]");
	bad(js(SCO("file", V5) ",'name':'a','name_enc':'latin1'}"),
	    E("file", V5) "$.name_enc: must be the character set's preferred "
	                  "IANA name, 'ISO-8859-1' [3.9.1]");
	bad(js(SCO("file", V5) ",'hashes':{'MD5':'" HEX_MD5 "'},"
	                       "'name_enc':'UTF-8'}"),
	    E("file", V5) "$.name_enc: must not be present without 'name' "
	                  "[3.1]");
}

static void test_software(void **state)
{
	(void)state;
	ok(js(SCO("software", V5) ",'name':'Word','cpe':'cpe:2.3:a:microsoft:"
	                          "word:2000:*:*:*:*:*:*:*','languages':['en','"
	                          "fra','zh-Hant']}"));
	ok(js(SCO("software", V5) ",'name':'Word','cpe':'cpe:2.3:o:acme:os\\\\"
	                          ":x:1.0:-:*:en-us:*:*:x86:*'}"));
	const char *msg = E("software", V5) "$.cpe: must be a CPE 2.3 "
	                                    "formatted string [6.14]";
	bad(js(SCO("software",
	           V5) ",'name':'W','cpe':'cpe:/a:microsoft:word'}"),
	    msg);
	bad(js(SCO("software", V5) ",'name':'W','cpe':'cpe:2.3:a:microsoft:"
	                           "word:2000'}"),
	    msg);
	bad(js(SCO("software", V5) ",'name':'W','cpe':'cpe:2.3:x:a:b:c:d:e:f:"
	                           "g:h:i:j'}"),
	    msg);
	bad(js(SCO("software", V5) ",'name':'W','languages':['en','english']}"),
	    E("software", V5) "$.languages[1]: must be an RFC 5646 language "
	                      "tag [6.14]");
}

static void test_registry_key(void **state)
{
	(void)state;
	ok(js(SCO("windows-registry-key",
	          V5) ",'key':'HKEY_LOCAL_MACHINE\\\\System\\\\Foo'}"));
	bad(js(SCO("windows-registry-key",
	           V5) ",'key':'HKLM\\\\System\\\\Foo'}"),
	    E("windows-registry-key", V5) "$.key: must name its hive in full "
	                                  "(HKEY_LOCAL_MACHINE, not HKLM) "
	                                  "[6.17]");
	bad(js(SCO("windows-registry-key", V5) ",'key':'hkcu\\\\Software'}"),
	    E("windows-registry-key", V5) "$.key: must name its hive in full "
	                                  "(HKEY_LOCAL_MACHINE, not HKLM) "
	                                  "[6.17]");
}

static void test_hashes(void **state)
{
	(void)state;
	ok(js(SCO(
	    "file",
	    V5) ",'hashes':{'MD5':'" HEX_MD5 "','SHA-256':'" HEX_SHA256
	        "','x_foo_hash':'whatever','SSDEEP':'96:s4Ud1Lj96"
	        "tHHlZDrwciQmA+4uy1I0G4HYuL8N3TzS8QsO/wqWXLcMSx:sF1LjEtHHlZDr"
	        "wiQmAD0G4HYuL8N3TzS8QsO/wqWXLcMSx','TLSH':'T1" HEX_SHA256
	        "abcdef'}}"));
	bad(js(SCO("file", V5) ",'hashes':{'MD5':'" HEX_MD5 "0'}}"),
	    E("file", V5) "$.hashes.MD5: must be 32 hexadecimal digits (MD5) "
	                  "[10.7]");
	bad(js(SCO("file", V5) ",'hashes':{'sha256':'xyz'}}"),
	    E("file", V5) "$.hashes.sha256: must be 64 hexadecimal digits "
	                  "(SHA-256) [10.7]");
	bad(js(SCO("file", V5) ",'hashes':{'SHA-1':'" HEX_MD5 "'}}"),
	    E("file", V5) "$.hashes['SHA-1']: must be 40 hexadecimal digits "
	                  "(SHA-1) [10.7]");
	bad(js(SCO("file", V5) ",'hashes':{'SSDEEP':'abc'}}"),
	    E("file", V5) "$.hashes.SSDEEP: must be an ssdeep piecewise hash "
	                  "(blocksize:hash:hash) [10.7]");
	bad(js(SCO("file", V5) ",'hashes':{'TLSH':'" HEX_SHA256 "'}}"),
	    E("file", V5) "$.hashes.TLSH: must be a TLSH hash (70 hexadecimal "
	                  "digits, 'T1' before them or not) [10.7]");
	bad(js(SCO("file", V5) ",'hashes':{'md':'" HEX_MD5 "'}}"),
	    E("file", V5) "$.hashes.md: is not a valid hash algorithm name "
	                  "(3-250 characters of A-Z, a-z, 0-9, '-' and '_') "
	                  "[2.7]");
	bad(js(SCO("file", V5) ",'hashes':{'sha 1':'" HEX_MD5 "'}}"),
	    E("file", V5) "$.hashes['sha 1']: is not a valid hash algorithm "
	                  "name (3-250 characters of A-Z, a-z, 0-9, '-' and "
	                  "'_') [2.7]");
	/* Hashes at depth: external references, NTFS streams, PE parts. */
	bad(set(js(IND), "external_references",
	        "[{'source_name':'a','url':'u','hashes':{'SHA-256':'aa'}}]"),
	    E_IND "$.external_references[0].hashes['SHA-256']: must be 64 "
	          "hexadecimal digits (SHA-256) [10.7]");
	bad(js(SCO("file", V5) ",'name':'a','extensions':{'ntfs-ext':{"
	                       "'alternate_data_streams':[{'name':'s','hashes':"
	                       "{'MD5':'1'}}]}}}"),
	    E("file", V5) "$.extensions['ntfs-ext'].alternate_data_streams[0]"
	                  ".hashes.MD5: must be 32 hexadecimal digits (MD5) "
	                  "[10.7]");
	bad(js(SCO("file", V5) ",'name':'a','extensions':{'windows-pebinary-"
	                       "ext':{'pe_type':'exe','sections':[{'name':'."
	                       "text','hashes':{"
	                       "'SHA-256':'1'}}]}}}"),
	    E("file", V5) "$.extensions['windows-pebinary-ext'].sections[0]"
	                  ".hashes['SHA-256']: must be 64 hexadecimal digits "
	                  "(SHA-256) [10.7]");
	bad(js(SCO("x509-certificate", V5) ",'hashes':{'SHA-1':'1'}}"),
	    E("x509-certificate", V5) "$.hashes['SHA-1']: must be 40 "
	                              "hexadecimal digits (SHA-1) [10.7]");
}

static void test_id_references(void **state)
{
	(void)state;
#define VULN(refs)                                                             \
	"{'type':'vulnerability','spec_version':'2.1','id':'vulnerability-"    \
	"-" V4 "','created':'" T0 "','modified':'" T0                          \
	"','name':'CVE-2014-0160',"                                            \
	"'external_references':" refs "}"
#define AP(refs)                                                               \
	"{'type':'attack-pattern','spec_version':'2.1','id':'attack-pattern-"  \
	"-" V4 "','created':'" T0 "','modified':'" T0 "','name':'Phishing',"   \
	"'external_references':" refs "}"
	ok(js(VULN("[{'source_name':'cve','external_id':'CVE-2014-0160'},"
	           "{'source_name':'cve','external_id':'CVE-2021-1234567'},"
	           "{'source_name':'nvd','url':'https://nvd.nist.gov/'}]")));
	bad(js(VULN("[{'source_name':'CVE','external_id':'CVE-2014-0160'}]")),
	    E("vulnerability", V4) "$.external_references[0].source_name: "
	                           "must be 'cve' for a CVE id [4.19]");
	bad(js(VULN("[{'source_name':'nvd','external_id':'CVE-2014-0160'}]")),
	    E("vulnerability", V4) "$.external_references[0].source_name: "
	                           "must be 'cve' for a CVE id [4.19]");
	bad(js(VULN("[{'source_name':'cve','external_id':'CVE-14-0160'}]")),
	    E("vulnerability", V4) "$.external_references[0].external_id: "
	                           "must be a CVE id, CVE-YYYY-NNNN [4.19]");
	bad(js(VULN("[{'source_name':'cve','url':'https://cve.org/'}]")),
	    E("vulnerability", V4) "$.external_references[0].external_id: is "
	                           "required with source 'cve' [4.19]");
	ok(js(AP("[{'source_name':'capec','external_id':'CAPEC-163'}]")));
	bad(js(AP("[{'source_name':'capec','external_id':'CAPEC163'}]")),
	    E("attack-pattern", V4) "$.external_references[0].external_id: "
	                            "must be a CAPEC id, CAPEC-N [4.1]");
	bad(js(AP("[{'source_name':'mitre','external_id':'capec-163'}]")),
	    E("attack-pattern", V4) "$.external_references[0].source_name: "
	                            "must be 'capec' for a CAPEC id [4.1]");
	/* Other types keep their references as they are. */
	ok(set(js(IND), "external_references",
	       "[{'source_name':'CVE','external_id':'2014-0160'}]"));
}

static void test_nested_timestamps(void **state)
{
	(void)state;
	ok(js(SCO("file",
	          V5) ",'name':'a','ctime':'2016-01-20T14:11:25.55Z',"
	              "'extensions':{'windows-pebinary-ext':{'pe_type':'exe',"
	              "'time_date_stamp':'2016-01-20T14:11:25Z'}}}"));
	bad(js(SCO("file", V5) ",'name':'a','extensions':{'windows-pebinary-"
	                       "ext':{'pe_type':'exe','time_date_stamp':'2016-"
	                       "02-30T00:00:00Z'"
	                       "}}}"),
	    E("file", V5) "$.extensions['windows-pebinary-ext']."
	                  "time_date_stamp: must be a timestamp "
	                  "YYYY-MM-DDTHH:MM:SS[.s+]Z [2.16]");
	bad(js(SCO("file", V5) ",'name':'a','mtime':'yesterday'}"),
	    E("file", V5) "$.mtime: must be a timestamp "
	                  "YYYY-MM-DDTHH:MM:SS[.s+]Z [2.16]");
	ok(js(SCO(
	    "x509-certificate",
	    V5) ",'serial_number':'1',"
	        "'validity_not_before':'2016-03-12T12:00:00Z',"
	        "'x509_v3_extensions':{'private_key_usage_period_not_after':"
	        "'2018-03-12T12:00:00Z'}}"));
	bad(js(SCO("x509-certificate",
	           V5) ",'serial_number':'1',"
	               "'validity_not_after':'2016-13-12T12:00:00Z'}"),
	    E("x509-certificate", V5) "$.validity_not_after: must be a "
	                              "timestamp YYYY-MM-DDTHH:MM:SS[.s+]Z "
	                              "[2.16]");
	bad(js(SCO("x509-certificate", V5) ",'serial_number':'1',"
	                                   "'x509_v3_extensions':{'private_key_"
	                                   "usage_period_not_before':"
	                                   "'2016-03-12 12:00:00'}}"),
	    E("x509-certificate", V5) "$.x509_v3_extensions."
	                              "private_key_usage_period_not_before: "
	                              "must be a timestamp "
	                              "YYYY-MM-DDTHH:MM:SS[.s+]Z [2.16]");
	bad(js(SCO("process", V4) ",'pid':1,'created_time':'2016-01-20'}"),
	    E("process", V4) "$.created_time: must be a timestamp "
	                     "YYYY-MM-DDTHH:MM:SS[.s+]Z [2.16]");
	bad(js(SCO("user-account",
	           V4) ",'account_created':'2016-01-20T25:00:00Z'}"),
	    E("user-account", V4) "$.account_created: must be a timestamp "
	                          "YYYY-MM-DDTHH:MM:SS[.s+]Z [2.16]");
	bad(js(SCO("email-message", V4) ",'is_multipart':false,'date':1}"),
	    E("email-message", V4) "$.date: must be a timestamp "
	                           "YYYY-MM-DDTHH:MM:SS[.s+]Z [2.16]");
	bad(js(SCO("windows-registry-key",
	           V4) ",'modified_time':'2016-01-20T14:11:25+01:00'}"),
	    E("windows-registry-key", V4) "$.modified_time: must be a "
	                                  "timestamp YYYY-MM-DDTHH:MM:SS[.s+]Z "
	                                  "[2.16]");
	/* malware-analysis: its own timestamps */
	bad(js("{'type':'malware-analysis','spec_version':'2.1','id':'malware-"
	       "analysis--" V4 "','created':'" T0 "','modified':'" T0 "',"
	       "'product':'av','result':'malicious','analysis_started':'now'}"),
	    E("malware-analysis", V4) "$.analysis_started: must be a "
	                              "timestamp YYYY-MM-DDTHH:MM:SS[.s+]Z");
	/* and the objects of observed-data's deprecated container */
#define OBS(objects)                                                           \
	"{'type':'observed-data','spec_version':'2.1','id':'" OBSD "',"        \
	"'created':'" T0 "','modified':'" T0 "','first_observed':'" T0 "',"    \
	"'last_observed':'" T0 "','number_observed':1,'objects':" objects "}"
	ok(js(OBS("{'0':{'type':'file','name':'a','created':'" T0 "'}}")));
	bad(js(OBS("{'0':{'type':'file','name':'a','created':'2016-02-30T00:"
	           "00:00Z'}}")),
	    "object '" OBSD "': $.objects['0'].created: must be a timestamp "
	    "YYYY-MM-DDTHH:MM:SS[.s+]Z [2.16]");
	bad(js(OBS("{'0':{'type':'file','hashes':{'MD5':'1'}}}")),
	    "object '" OBSD "': $.objects['0'].hashes.MD5: must be 32 "
	    "hexadecimal digits (MD5) [10.7]");
}

static void test_container_refs(void **state)
{
	(void)state;
	/* the container's keys, not identifiers [2.9, 2.13] */
	ok(js(OBS("{'0':{'type':'ipv4-addr','value':'1.2.3.4'},'1':{'type':"
	          "'network-traffic','src_ref':'0','dst_ref':'0','protocols':"
	          "['tcp'],'x_acme_ref':'anything'}}")));
	bad(js(OBS("{'0':{'type':'ipv4-addr','value':'1.2.3.4'},'1':{'type':"
	           "'network-traffic','src_ref':'7','protocols':['tcp']}}")),
	    "object '" OBSD "': $.objects['1'].src_ref: must be a key of the "
	    "container [2.13]");
	bad(js(OBS("{'0':{'type':'domain-name','value':'a.example',"
	           "'resolves_to_refs':['0','9']}}")),
	    "object '" OBSD "': $.objects['0'].resolves_to_refs[1]: must be a "
	    "key of the container [2.13]");
	bad(js(OBS("{'0':{'type':'file','name':'a','extensions':{'archive-"
	           "ext':{'contains_refs':['" IPV4 "']}}}}")),
	    "object '" OBSD "': $.objects['0'].extensions['archive-ext']"
	    ".contains_refs[0]: must be a key of the container [2.13]");
}

static void test_sco_cross_rules(void **state)
{
	(void)state;
	ok(js(SCO("email-message", V4) ",'is_multipart':true,"
	                               "'body_multipart':[{'body':'hi'}]}"));
	ok(js(SCO("email-message", V4) ",'is_multipart':false,'body':'hi'}"));
	bad(js(SCO("email-message", V4) ",'is_multipart':true,'body':'hi'}"),
	    E("email-message", V4) "$.body: must not be present when "
	                           "'is_multipart' is true [6.6]");
	bad(js(SCO("email-message", V4) ",'is_multipart':false,"
	                                "'body_multipart':[{'body':'hi'}]}"),
	    E("email-message", V4) "$.body_multipart: must not be present when "
	                           "'is_multipart' is false [6.6]");

	ok(js(SCO("artifact", V5) ",'payload_bin':'aGk=','encryption_algorithm'"
	                          ":'AES-256-GCM','decryption_key':'secret'}"));
	bad(js(SCO("artifact", V5) ",'payload_bin':'aGk=','decryption_key':"
	                           "'secret'}"),
	    E("artifact", V5) "$.decryption_key: must not be present without "
	                      "'encryption_algorithm' [6.1]");
	bad(js(SCO("artifact",
	           V5) ",'payload_bin':'aGk=','encryption_algorithm'"
	               ":'rot13'}"),
	    E("artifact", V5) "$.encryption_algorithm: must be one of "
	                      "AES-256-GCM, ChaCha20-Poly1305, "
	                      "mime-type-indicated [10.4]");

#define NT(rest)                                                               \
	SCO("network-traffic", V5)                                             \
	",'protocols':['tcp'],'src_ref':'" IPV4 "'" rest "}"
	ok(js(NT(",'is_active':false,'start':'" T0 "','end':'" T0 "',"
	         "'src_port':0,'dst_port':65535")));
	ok(js(NT(",'is_active':true,'start':'" T0 "'")));
	bad(js(NT(",'is_active':true,'end':'" T0 "'")),
	    E("network-traffic", V5) "$.end: must not be present when "
	                             "'is_active' is true [6.12]");
	bad(js(NT(",'start':'" T1 "','end':'" T0 "'")),
	    E("network-traffic", V5) "$.end: is before 'start' [6.12]");
	bad(js(NT(",'end':'2016-13-01T00:00:00Z'")),
	    E("network-traffic", V5) "$.end: must be a timestamp "
	                             "YYYY-MM-DDTHH:MM:SS[.s+]Z [2.16]");
	bad(js(NT(",'dst_port':65536")),
	    E("network-traffic", V5) "$.dst_port: must be an integer from 0 "
	                             "to 65535 [6.12]");
}

static void test_sco_uuid_version(void **state)
{
	(void)state;
	/* No ID-contributing property: UUIDv4 [2.9]. */
	ok(js(SCO("process", V4) ",'pid':1}"));
	ok(js(SCO("user-account", V4) ",'display_name':'x'}"));
	const char *msg = "must be a UUIDv4 when no ID-contributing property "
	                  "is present [2.9]";
	char want[256];
	snprintf(want, sizeof(want), E("process", V5) "$.id: %s", msg);
	bad(js(SCO("process", V5) ",'pid':1}"), want);
	snprintf(want, sizeof(want), E("user-account", V5) "$.id: %s", msg);
	bad(js(SCO("user-account", V5) ",'display_name':'x'}"), want);
	/* With them, UUIDv5 is a SHOULD: a v4 id is accepted [3.4]. */
	ok(js(SCO("user-account", V4) ",'user_id':'1001'}"));
	ok(js(SCO("ipv4-addr", V4) ",'value':'198.51.100.3'}"));
}

static void test_names(void **state)
{
	(void)state;
	ok(set(js(IND), "abc_1", "1"));
	bad(set(js(IND), "_abc", "1"), E_IND "$._abc: must start with a "
	                                     "letter [3.1]");
	bad(set(js(IND), "3dx", "1"), E_IND "$['3dx']: must start with a "
	                                    "letter [3.1]");
	const char *reserved[] = {"severity", "username", "phone_number",
	                          "action"};
	char want[256];
	for (size_t i = 0; i < 4; i++) {
		snprintf(want, sizeof(want),
		         E_IND "$.%s: is a reserved property name [3.8]",
		         reserved[i]);
		bad(set(js(IND), reserved[i], "'high'"), want);
	}
	/* usernames and phone_numbers are not reserved names */
	ok(set(js(IND), "usernames", "['a']"));
	ok(set(js(IND), "phone_numbers", "['a']"));
	bad(set(js(IND), "defanged", "true"),
	    E_IND "$.defanged: may only be used on SCOs [3.2]");
}

static void test_relationship_type(void **state)
{
	(void)state;
#define REL_T(t)                                                               \
	"{'type':'relationship','spec_version':'2.1','id':'" REL "',"          \
	"'created':'" T0 "','modified':'" T0 "','relationship_type':'" t "',"  \
	"'source_ref':'" IND_ID "','target_ref':'" MALW "'}"
	ok(js(REL_T("uses")));
	ok(js(REL_T("x-acme-variant-of2")));
	const char *msg = "object '" REL "': $.relationship_type: must be made "
	                  "of a-z, 0-9 and '-' [5.1]";
	bad(js(REL_T("Uses")), msg);
	bad(js(REL_T("related_to")), msg);
	bad(js(REL_T("")), msg);
}

static void test_extension_properties(void **state)
{
	(void)state;
#define EXT(types, props)                                                      \
	"{'type':'extension-definition','spec_version':'2.1','id':'" EXTDEF    \
	"','created':'" T0 "','modified':'" T0 "','created_by_ref':'" IDENT    \
	"','name':'n','schema':'s','version':'1.0','extension_types':" types   \
	",'extension_properties':" props "}"
	ok(js(EXT("['toplevel-property-extension']", "['x_rank']")));
	ok(js(EXT("['new-sdo','toplevel-property-extension']", "['rank']")));
	bad(js(EXT("['property-extension']", "['rank']")),
	    "object '" EXTDEF "': $.extension_properties: may only be used "
	    "when 'extension_types' has toplevel-property-extension [7.3]");
	bad(js(EXT("['toplevel-property-extension']", "'rank'")),
	    "object '" EXTDEF "': $.extension_properties: must be a non-empty "
	    "list of strings");
}

static void test_selectors(void **state)
{
	(void)state;
#define GM(sel)                                                                \
	set(set(js(IND), "labels", "['a','b']"), "granular_markings",          \
	    "[{'selectors':" sel ",'marking_ref':'" TLP1_RED "'}]")
	ok(set(GM("['labels.[1]','pattern','labels']"), "external_references",
	       "[{'source_name':'a','url':'u'}]"));
	ok(set(GM("['external_references.[0].source_name']"),
	       "external_references", "[{'source_name':'a','url':'u'}]"));
	const char *syntax =
	    E_IND "$.granular_markings[0].selectors[0]: must "
	          "be property names, dictionary keys and [index] "
	          "separated by '.' [7.2.3]";
	const char *absent =
	    E_IND "$.granular_markings[0].selectors[0]: must "
	          "select a property or list item present on the "
	          "object [7.2.3]";
	bad(GM("['labels..[0]']"), syntax);
	bad(GM("['labels.[x]']"), syntax);
	bad(GM("['labels.[01]']"), syntax);
	bad(GM("['']"), syntax);
	bad(GM("['[0]']"), absent);
	bad(GM("['description']"), absent);
	bad(GM("['labels.[2]']"), absent);
	bad(GM("['pattern.[0]']"), absent);
	bad(GM("['labels.name']"), absent);
}

static void test_language_content(void **state)
{
	(void)state;
#define LC(contents)                                                           \
	"{'type':'language-content','spec_version':'2.1','id':'language-"      \
	"content--" V4 "','created':'" T0 "','modified':'" T0 "',"             \
	"'object_ref':'" IND_ID "','contents':" contents "}"
	ok(js(LC("{'de':{'name':'Bankraub','labels':['','b']},"
	         "'zh-Hant':{'description':'x'}}")));
	bad(js(LC("{'english':{'name':'x'}}")),
	    E("language-content", V4) "$.contents.english: must be an RFC 5646 "
	                              "language tag [7.1]");
	bad(js(LC("{'zz':{'name':'x'}}")),
	    E("language-content", V4) "$.contents.zz: must be an RFC 5646 "
	                              "language tag [7.1]");
	bad(js(LC("{'de':'Bankraub'}")),
	    E("language-content", V4) "$.contents.de: must be a non-empty "
	                              "object of translated properties [7.1]");
	bad(js(LC("{'de':{'Name':'x'}}")),
	    E("language-content", V4) "$.contents.de.Name: is not a property "
	                              "name (a-z, 0-9 and '_', starting with a "
	                              "letter) [7.1]");
}

static void test_lang_known(void **state)
{
	(void)state;
	const char *goods[] = {
	    "'tl'",        "'iw'",         "'bh'",
	    "'en-GB-oed'", "'de-CH-1901'", "'en-a-bbb-x-ccc'",
	    "'zh-yue-HK'", "'tlh'",        "'es-419'"};
	for (size_t i = 0; i < sizeof(goods) / sizeof(goods[0]); i++)
		ok(set(js(IND), "lang", goods[i]));
	const char *bads[] = {"'zz'",        "'qq-US'", "'en-a'",
	                      "'en-US-a-b'", "'en-x'",  "'de-CH-19011901x'"};
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++)
		bad(set(js(IND), "lang", bads[i]),
		    E_IND "$.lang: must be an RFC 5646 language tag");
}

static void test_observed_refs(void **state)
{
	(void)state;
#define OBR(refs)                                                              \
	"{'type':'observed-data','spec_version':'2.1','id':'" OBSD "',"        \
	"'created':'" T0 "','modified':'" T0 "','first_observed':'" T0 "',"    \
	"'last_observed':'" T0 "','number_observed':1,'object_refs':" refs "}"
	ok(js(OBR("['" IPV4 "','" REL "']")));
	ok(js(OBR("['x-acme-sensor-reading--" V4 "']")));
	bad(js(OBR("['" IPV4 "','" IND_ID "']")),
	    "object '" OBSD "': $.object_refs[1]: must refer to an SCO or SRO "
	    "[4.14]");
	bad(js(OBR("['" REL "']")),
	    "object '" OBSD "': $.object_refs: must refer to at least one SCO "
	    "[4.14]");
}

static void bundle_bad(const char *q, const char *msg)
{
	char err[512] = "";
	cJSON *b = js(q);
	assert_int_equal(vg_stix_validate_bundle(b, err, sizeof(err)),
	                 VG_EINVAL);
	assert_string_equal(err, msg);
	cJSON_Delete(b);
}

static void test_bundle(void **state)
{
	(void)state;
	cJSON *b = js("{'type':'bundle','id':'bundle--" V4 "','objects':[]}");
	assert_int_equal(vg_stix_validate_bundle(b, NULL, 0), VG_OK);
	cJSON_Delete(b);
	b = js("{'type':'bundle','id':'bundle--" V4 "','spec_version':'2.0'}");
	assert_int_equal(vg_stix_validate_bundle(b, NULL, 0), VG_OK);
	cJSON_Delete(b);
	bundle_bad("{'id':'bundle--" V4 "'}",
	           "bundle 'bundle--" V4 "': $.type: is required [8]");
	bundle_bad("{'type':'bundel','id':'bundle--" V4 "'}",
	           "bundle 'bundle--" V4 "': $.type: must be 'bundle' [8]");
	bundle_bad("{'type':'bundle'}",
	           "bundle '(no id)': $.id: is required [8]");
	bundle_bad("{'type':'bundle','id':'bundle--1234'}",
	           "bundle '(no id)': $.id: must be 'bundle--' followed by a "
	           "UUID [8]");
	bundle_bad("{'type':'bundle','id':'" IND_ID "'}",
	           "bundle '" IND_ID "': $.id: must be 'bundle--' followed by "
	           "a UUID [8]");
	bundle_bad("{'type':'bundle','id':'bundle--" V4 "','objects':{}}",
	           "bundle 'bundle--" V4 "': $.objects: must be a list of STIX "
	           "objects [8]");
	bundle_bad("[]", "bundle '(no id)': $: must be a JSON object [8]");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ip_addresses),
	    cmocka_unit_test(test_mac_addr),
	    cmocka_unit_test(test_email_addr),
	    cmocka_unit_test(test_urls),
	    cmocka_unit_test(test_payload_bin),
	    cmocka_unit_test(test_encodings),
	    cmocka_unit_test(test_software),
	    cmocka_unit_test(test_registry_key),
	    cmocka_unit_test(test_hashes),
	    cmocka_unit_test(test_id_references),
	    cmocka_unit_test(test_nested_timestamps),
	    cmocka_unit_test(test_container_refs),
	    cmocka_unit_test(test_sco_cross_rules),
	    cmocka_unit_test(test_sco_uuid_version),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_relationship_type),
	    cmocka_unit_test(test_extension_properties),
	    cmocka_unit_test(test_selectors),
	    cmocka_unit_test(test_language_content),
	    cmocka_unit_test(test_lang_known),
	    cmocka_unit_test(test_observed_refs),
	    cmocka_unit_test(test_bundle),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
