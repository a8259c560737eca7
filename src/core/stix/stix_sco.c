/* The rules of STIX Cyber-observable Objects [6] beyond their required
 * properties: the formats of their values, timestamps at every depth
 * (extensions and embedded types too), hashes, *_enc character sets, the
 * rules across properties and the UUIDv4 of SCOs without ID-contributing
 * properties. Messages end with the section of the rule. */
#include "vigil/util/error.h"
#include "vigil/stix/stix.h"

#include "stix_internal.h"

#include <string.h>

#define TS_MSG "must be a timestamp YYYY-MM-DDTHH:MM:SS[.s+]Z [2.16]"

static const cJSON *get(const cJSON *o, const char *key)
{
	return cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key)
	                         : NULL;
}

/* ---- shared pieces -------------------------------------------------- */

static int check_ts(struct vg__vctx *c, const cJSON *v,
                    const struct vg__path *p, struct vg_ts *out)
{
	struct vg_ts t;
	if (!cJSON_IsString(v) || vg_ts_parse(v->valuestring, out ? out : &t))
		return vg__fail(c, p, TS_MSG);
	return VG_OK;
}

/* The timestamps named in keys (NULL-terminated), members of o at p. */
static int check_ts_list(struct vg__vctx *c, const cJSON *o,
                         const struct vg__path *p, const char *const *keys)
{
	int rc;
	for (; keys && *keys; keys++) {
		const cJSON *v = get(o, *keys);
		const struct vg__path pk = {p, *keys, 0};
		if (v && (rc = check_ts(c, v, &pk, NULL)))
			return rc;
	}
	return VG_OK;
}

int vg__check_hashes(struct vg__vctx *c, const cJSON *v,
                     const struct vg__path *p)
{
	if (!cJSON_IsObject(v) || !v->child)
		return vg__fail(c, p,
		                "must be a non-empty object of hash strings");
	for (const cJSON *h = v->child; h; h = h->next) {
		const struct vg__path ph = {p, h->string, 0};
		if (!cJSON_IsString(h))
			return vg__fail(c, &ph, "must be a string");
		if (!vg__hash_name_valid(h->string))
			return vg__fail(c, &ph,
			                "is not a valid hash algorithm name "
			                "(3-250 characters of A-Z, a-z, 0-9, "
			                "'-' and '_') [2.7]");
		const char *alg =
		    vg__hash_value_rule(h->string, h->valuestring);
		if (!alg)
			continue;
		if (strcmp(alg, "SSDEEP") == 0)
			return vg__fail(c, &ph,
			                "must be an ssdeep piecewise hash "
			                "(blocksize:hash:hash) [10.7]");
		if (strcmp(alg, "TLSH") == 0)
			return vg__fail(
			    c, &ph,
			    "must be a TLSH hash (70 hexadecimal "
			    "digits, 'T1' before them or not) [10.7]");
		static const struct {
			const char *alg;
			int digits;
		} len[] = {{"MD5", 32},      {"SHA-1", 40},
		           {"SHA-256", 64},  {"SHA-512", 128},
		           {"SHA3-256", 64}, {"SHA3-512", 128}};
		int digits = 0;
		for (size_t i = 0; i < sizeof(len) / sizeof(len[0]); i++)
			if (strcmp(len[i].alg, alg) == 0)
				digits = len[i].digits;
		return vg__fail(c, &ph,
		                "must be %d hexadecimal digits (%s) [10.7]",
		                digits, alg);
	}
	return VG_OK;
}

/* Each member of o ending in _enc names an IANA character set, and the
 * property it describes is present [3.1, 3.9.1]. */
static int check_enc(struct vg__vctx *c, const cJSON *o,
                     const struct vg__path *p)
{
	for (const cJSON *k = o->child; k; k = k->next) {
		size_t n = strlen(k->string);
		if (n < 5 || strcmp(k->string + n - 4, "_enc") != 0 ||
		    (k->string[0] == 'x' && k->string[1] == '_'))
			continue;
		const struct vg__path pk = {p, k->string, 0};
		char base[256];
		if (n - 4 >= sizeof(base))
			continue;
		memcpy(base, k->string, n - 4);
		base[n - 4] = '\0';
		if (!get(o, base))
			return vg__fail(
			    c, &pk, "must not be present without '%s' [3.1]",
			    base);
		const char *want = NULL;
		int rc = cJSON_IsString(k)
		             ? vg__charset_check(k->valuestring, &want)
		             : 1;
		if (rc == 2)
			return vg__fail(c, &pk,
			                "must be the character set's preferred "
			                "IANA name, '%s' [3.9.1]",
			                want);
		if (rc)
			return vg__fail(
			    c, &pk,
			    "must be the name of a character set in "
			    "the IANA registry [3.9.1]");
	}
	return VG_OK;
}

static int str_rule(struct vg__vctx *c, const char *key,
                    int (*valid)(const char *), const char *msg)
{
	const cJSON *v = get(c->obj, key);
	if (!v || (cJSON_IsString(v) && valid(v->valuestring)))
		return VG_OK;
	return vg__failk(c, key, "%s", msg);
}

static int int_range(struct vg__vctx *c, const char *key, double lo, double hi,
                     const char *sec)
{
	const cJSON *v = get(c->obj, key);
	if (!v ||
	    (vg__is_int(v) && v->valuedouble >= lo && v->valuedouble <= hi))
		return VG_OK;
	return vg__failk(c, key, "must be an integer from %.0f to %.0f [%s]",
	                 lo, hi, sec);
}

/* ---- the types ------------------------------------------------------ */

static int check_artifact(struct vg__vctx *c)
{
	static const char *const algs[] = {"AES-256-GCM", "ChaCha20-Poly1305",
	                                   "mime-type-indicated"};
	const cJSON *ea = get(c->obj, "encryption_algorithm");
	int rc;

	if ((rc = str_rule(c, "payload_bin", vg__base64_valid,
	                   "must be base64 (RFC 4648, padded) [2.1]")) ||
	    (rc = str_rule(c, "url", vg__uri_valid,
	                   "must be a URI (RFC 3986) [6.1]")))
		return rc;
	if (get(c->obj, "decryption_key") && !ea)
		return vg__failk(c, "decryption_key",
		                 "must not be present without "
		                 "'encryption_algorithm' [6.1]");
	if (!ea)
		return VG_OK;
	for (size_t i = 0; i < 3; i++)
		if (cJSON_IsString(ea) && strcmp(ea->valuestring, algs[i]) == 0)
			return VG_OK;
	return vg__failk(c, "encryption_algorithm",
	                 "must be one of AES-256-GCM, ChaCha20-Poly1305, "
	                 "mime-type-indicated [10.4]");
}

static int check_email_message(struct vg__vctx *c)
{
	const cJSON *mp = get(c->obj, "is_multipart");
	if (cJSON_IsTrue(mp) && get(c->obj, "body"))
		return vg__failk(c, "body",
		                 "must not be present when 'is_multipart' is "
		                 "true [6.6]");
	if (cJSON_IsFalse(mp) && get(c->obj, "body_multipart"))
		return vg__failk(c, "body_multipart",
		                 "must not be present when 'is_multipart' is "
		                 "false [6.6]");
	return VG_OK;
}

static int check_file(struct vg__vctx *c)
{
	const cJSON *ext = get(c->obj, "extensions");
	const struct vg__path pe = {NULL, "extensions", 0};
	int rc, i;

	/* NTFS alternate data streams and the PE binary's parts carry
	 * hashes of their own [6.7.3, 6.7.6]. */
	const cJSON *ntfs = get(ext, "ntfs-ext");
	const struct vg__path pn = {&pe, "ntfs-ext", 0};
	const struct vg__path pa = {&pn, "alternate_data_streams", 0};
	const cJSON *ads = get(ntfs, "alternate_data_streams");
	i = 0;
	for (const cJSON *s = cJSON_IsArray(ads) ? ads->child : NULL; s;
	     s = s->next, i++) {
		const struct vg__path ps = {&pa, NULL, i};
		const struct vg__path ph = {&ps, "hashes", 0};
		const cJSON *h = get(s, "hashes");
		if (h && (rc = vg__check_hashes(c, h, &ph)))
			return rc;
	}
	const cJSON *pe_ext = get(ext, "windows-pebinary-ext");
	const struct vg__path pp = {&pe, "windows-pebinary-ext", 0};
	static const char *const pe_ts[] = {"time_date_stamp", NULL};
	if ((rc = check_ts_list(c, pe_ext, &pp, pe_ts)))
		return rc;
	const struct vg__path pfh = {&pp, "file_header_hashes", 0};
	const cJSON *h = get(pe_ext, "file_header_hashes");
	if (h && (rc = vg__check_hashes(c, h, &pfh)))
		return rc;
	const struct vg__path po = {&pp, "optional_header", 0};
	const struct vg__path poh = {&po, "hashes", 0};
	h = get(get(pe_ext, "optional_header"), "hashes");
	if (h && (rc = vg__check_hashes(c, h, &poh)))
		return rc;
	const cJSON *sections = get(pe_ext, "sections");
	const struct vg__path psec = {&pp, "sections", 0};
	i = 0;
	for (const cJSON *s = cJSON_IsArray(sections) ? sections->child : NULL;
	     s; s = s->next, i++) {
		const struct vg__path ps = {&psec, NULL, i};
		const struct vg__path ph = {&ps, "hashes", 0};
		h = get(s, "hashes");
		if (h && (rc = vg__check_hashes(c, h, &ph)))
			return rc;
	}
	return VG_OK;
}

static int check_ipv4(struct vg__vctx *c)
{
	return str_rule(c, "value", vg__ipv4_valid,
	                "must be an IPv4 address or CIDR block [6.8]");
}

static int check_ipv6(struct vg__vctx *c)
{
	return str_rule(c, "value", vg__ipv6_valid,
	                "must be an IPv6 address or CIDR block [6.9]");
}

static int check_mac(struct vg__vctx *c)
{
	return str_rule(c, "value", vg__mac48_valid,
	                "must be a MAC-48 address, lowercase, colon-delimited, "
	                "with leading zeros [6.10]");
}

static int check_email_addr(struct vg__vctx *c)
{
	return str_rule(c, "value", vg__addr_spec_valid,
	                "must be an email address (RFC 5322 addr-spec) "
	                "without a display name [6.5]");
}

static int check_url(struct vg__vctx *c)
{
	return str_rule(c, "value", vg__uri_valid,
	                "must be a URI (RFC 3986) [6.15]");
}

static int check_network_traffic(struct vg__vctx *c)
{
	const cJSON *start = get(c->obj, "start"), *end = get(c->obj, "end");
	struct vg_ts ts, te;
	int rc;

	if ((start &&
	     (rc = check_ts(c, start, &(struct vg__path){NULL, "start", 0},
	                    &ts))) ||
	    (end &&
	     (rc = check_ts(c, end, &(struct vg__path){NULL, "end", 0}, &te))))
		return rc;
	if (end && cJSON_IsTrue(get(c->obj, "is_active")))
		return vg__failk(c, "end",
		                 "must not be present when 'is_active' is "
		                 "true [6.12]");
	if (start && end && vg__ts_cmp(&te, &ts) < 0)
		return vg__failk(c, "end", "is before 'start' [6.12]");
	if ((rc = int_range(c, "src_port", 0, 65535, "6.12")) ||
	    (rc = int_range(c, "dst_port", 0, 65535, "6.12")))
		return rc;
	return VG_OK;
}

static int check_software(struct vg__vctx *c)
{
	const cJSON *langs = get(c->obj, "languages");
	int i = 0, rc;
	if ((rc = str_rule(c, "cpe", vg__cpe23_valid,
	                   "must be a CPE 2.3 formatted string [6.14]")))
		return rc;
	for (const cJSON *l = cJSON_IsArray(langs) ? langs->child : NULL; l;
	     l = l->next, i++) {
		if (cJSON_IsString(l) && vg__lang_valid(l->valuestring))
			continue;
		const struct vg__path pl = {NULL, "languages", 0};
		const struct vg__path pi = {&pl, NULL, i};
		return vg__fail(c, &pi,
		                "must be an RFC 5646 language tag [6.14]");
	}
	return VG_OK;
}

static int check_registry_key(struct vg__vctx *c)
{
	const cJSON *key = get(c->obj, "key");
	if (cJSON_IsString(key) && vg__hive_abbreviated(key->valuestring))
		return vg__failk(c, "key",
		                 "must name its hive in full "
		                 "(HKEY_LOCAL_MACHINE, not HKLM) [6.17]");
	return VG_OK;
}

static int check_x509(struct vg__vctx *c)
{
	static const char *const v3_ts[] = {
	    "private_key_usage_period_not_before",
	    "private_key_usage_period_not_after", NULL};
	const cJSON *h = get(c->obj, "hashes");
	const struct vg__path ph = {NULL, "hashes", 0};
	const struct vg__path pv = {NULL, "x509_v3_extensions", 0};
	int rc;
	if (h && (rc = vg__check_hashes(c, h, &ph)))
		return rc;
	return check_ts_list(c, get(c->obj, "x509_v3_extensions"), &pv, v3_ts);
}

/* Timestamps by type: their own and, for observed-data containers, the
 * STIX 2.0 names of the same properties. */
#define FILE_TS "ctime", "mtime", "atime"
static const char *const ts_directory[] = {FILE_TS, NULL};
static const char *const ts_email[] = {"date", NULL};
static const char *const ts_process[] = {"created_time", NULL};
static const char *const ts_user[] = {
    "account_created",     "account_expires",    "credential_last_changed",
    "account_first_login", "account_last_login", NULL};
static const char *const ts_registry[] = {"modified_time", NULL};
static const char *const ts_x509[] = {"validity_not_before",
                                      "validity_not_after", NULL};

struct sco_rules {
	const char *type;
	const char *const *ts;
	int (*check)(struct vg__vctx *c);
};

/* Sorted by type. */
static const struct sco_rules rules[] = {
    {"artifact", NULL, check_artifact},
    {"autonomous-system", NULL, NULL},
    {"directory", ts_directory, NULL},
    {"domain-name", NULL, NULL},
    {"email-addr", NULL, check_email_addr},
    {"email-message", ts_email, check_email_message},
    {"file", ts_directory, check_file},
    {"ipv4-addr", NULL, check_ipv4},
    {"ipv6-addr", NULL, check_ipv6},
    {"mac-addr", NULL, check_mac},
    {"mutex", NULL, NULL},
    {"network-traffic", NULL, check_network_traffic},
    {"process", ts_process, NULL},
    {"software", NULL, check_software},
    {"url", NULL, check_url},
    {"user-account", ts_user, NULL},
    {"windows-registry-key", ts_registry, check_registry_key},
    {"x509-certificate", ts_x509, check_x509},
};

static const struct sco_rules *rules_of(const char *type)
{
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (strcmp(rules[i].type, type) == 0)
			return &rules[i];
	return NULL;
}

/* A UUIDv4 when no ID-contributing property is present [2.9]; with them,
 * UUIDv5 is only a SHOULD, and other algorithms MAY be used [3.4]. */
static int check_uuid_version(struct vg__vctx *c)
{
	const char *id = c->id;
	const char *sep = id ? strstr(id, "--") : NULL;
	if (!sep || vg__sco_has_id_props(c->obj) != 0)
		return VG_OK;
	if (sep[2 + 14] == '4')
		return VG_OK;
	return vg__failk(c, "id",
	                 "must be a UUIDv4 when no ID-contributing property is "
	                 "present [2.9]");
}

int vg__sco_check(struct vg__vctx *c)
{
	const struct sco_rules *r = rules_of(c->type->name);
	int rc;
	if (!r)
		return VG_OK;
	if ((rc = check_uuid_version(c)) ||
	    (rc = check_ts_list(c, c->obj, NULL, r->ts)) ||
	    (rc = check_enc(c, c->obj, NULL)))
		return rc;
	return r->check ? r->check(c) : VG_OK;
}

/* References inside a container are keys of that container [2.13]. */
static int local_refs(struct vg__vctx *c, const cJSON *objects, const cJSON *v,
                      const struct vg__path *p)
{
	int rc, i = 0;
	for (const cJSON *k = v->child; k; k = k->next, i++) {
		const struct vg__path pk = {
		    p, cJSON_IsObject(v) ? k->string : NULL, i};
		const char *name = cJSON_IsObject(v) ? k->string : "";
		size_t n = strlen(name);
		if (cJSON_IsObject(v) && name[0] == 'x' && name[1] == '_')
			continue;
		int one = n >= 4 && strcmp(name + n - 4, "_ref") == 0;
		int many = n >= 5 && strcmp(name + n - 5, "_refs") == 0;
		if (one || many) {
			int j = 0;
			for (const cJSON *r = one ? k : k->child; r;
			     r = one ? NULL : r->next, j++) {
				const struct vg__path pr = {&pk, NULL, j};
				if (cJSON_IsString(r) &&
				    get(objects, r->valuestring))
					continue;
				return vg__fail(
				    c, one ? &pk : &pr,
				    "must be a key of the container "
				    "[2.13]");
			}
		} else if ((cJSON_IsObject(k) || cJSON_IsArray(k)) &&
		           (rc = local_refs(c, objects, k, &pk))) {
			return rc;
		}
	}
	return VG_OK;
}

/* The deprecated observable container [2.13] of observed-data: its SCOs
 * are 2.1 or 2.0 objects, so only what both versions share is checked:
 * timestamps (by either version's names), hashes, and that references
 * are keys of the container. */
int vg__container_check(struct vg__vctx *c, const cJSON *objects)
{
	static const char *const ts20[] = {"created", "modified", "accessed",
	                                   "password_last_changed", NULL};
	const struct vg__path po = {NULL, "objects", 0};
	int rc;
	for (const cJSON *o = objects->child; o; o = o->next) {
		const struct vg__path pk = {&po, o->string, 0};
		const cJSON *type = get(o, "type");
		if (!cJSON_IsString(type))
			continue;
		const struct sco_rules *r = rules_of(type->valuestring);
		const cJSON *h = get(o, "hashes");
		const struct vg__path ph = {&pk, "hashes", 0};
		if ((r && (rc = check_ts_list(c, o, &pk, r->ts))) ||
		    (rc = check_ts_list(c, o, &pk, ts20)) ||
		    (h && (rc = vg__check_hashes(c, h, &ph))) ||
		    (rc = local_refs(c, objects, o, &pk)))
			return rc;
	}
	return VG_OK;
}
