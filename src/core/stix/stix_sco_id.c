/* Deterministic SCO identifiers [2.9]: UUIDv5 in the STIX namespace over
 * the JCS form of an object of the type's ID-contributing properties. */
#include "vigil/util/buf.h"
#include "vigil/util/error.h"
#include "vigil/stix/stix.h"

#include "stix_internal.h"

#include <stdio.h>
#include <string.h>

#define SCO_NAMESPACE "00abedb4-aa42-466c-9c01-fed23315a9b7"
/* A JCS text larger than this is not an id anyone will reproduce. */
#define SCO_JCS_MAX ((size_t)16 << 20)

struct sco_def {
	const char *type;
	/* Sorted by UTF-16 code units (ASCII: strcmp order), which is the
	 * order JCS writes them in, so no sorting is needed. */
	const char *props[9];
};

static const struct sco_def sco_defs[] = {
    {"artifact", {"hashes", "payload_bin"}},
    {"autonomous-system", {"number"}},
    {"directory", {"path"}},
    {"domain-name", {"value"}},
    {"email-addr", {"value"}},
    {"email-message", {"body", "from_ref", "subject"}},
    {"file", {"extensions", "hashes", "name", "parent_directory_ref"}},
    {"ipv4-addr", {"value"}},
    {"ipv6-addr", {"value"}},
    {"mac-addr", {"value"}},
    {"mutex", {"name"}},
    {"network-traffic",
     {"dst_port", "dst_ref", "end", "extensions", "protocols", "src_port",
      "src_ref", "start"}},
    {"process", {NULL}},
    {"software", {"cpe", "name", "swid", "vendor", "version"}},
    {"url", {"value"}},
    {"user-account", {"account_login", "account_type", "user_id"}},
    {"windows-registry-key", {"key", "values"}},
    {"x509-certificate", {"hashes", "serial_number"}},
};

/* One hash only, by preference MD5, SHA-1, SHA-256, SHA-512, else the
 * first listed [2.9]; NULL when there is none. */
static const cJSON *pick_hash(const cJSON *hashes)
{
	static const char *const pref[] = {"MD5", "SHA-1", "SHA-256",
	                                   "SHA-512"};
	if (!cJSON_IsObject(hashes))
		return NULL;
	for (size_t i = 0; i < 4; i++) {
		const cJSON *h =
		    cJSON_GetObjectItemCaseSensitive(hashes, pref[i]);
		if (h)
			return h;
	}
	return hashes->child;
}

static int put_member(struct vg_buf *b, int *n, const char *key, const cJSON *v)
{
	int rc = vg_buf_putc(b, *n ? ',' : '{');
	if (!rc)
		rc = vg__jcs_str(key, b);
	if (!rc)
		rc = vg_buf_putc(b, ':');
	if (!rc)
		rc = vg_jcs(v, b);
	(*n)++;
	return rc;
}

static const struct sco_def *def_of(const char *type)
{
	for (size_t i = 0; i < sizeof(sco_defs) / sizeof(sco_defs[0]); i++)
		if (strcmp(sco_defs[i].type, type) == 0)
			return &sco_defs[i];
	return NULL;
}

const char *const *vg__sco_id_props(const char *type)
{
	const struct sco_def *def = def_of(type);
	return def ? def->props : NULL;
}

int vg__sco_has_id_props(const cJSON *obj)
{
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(obj, "type");
	const struct sco_def *def =
	    cJSON_IsString(type) ? def_of(type->valuestring) : NULL;
	if (!def)
		return -1;
	for (size_t i = 0; i < 9 && def->props[i]; i++) {
		const cJSON *v =
		    cJSON_GetObjectItemCaseSensitive(obj, def->props[i]);
		/* an empty hashes object contributes nothing */
		if (v && (strcmp(def->props[i], "hashes") != 0 || pick_hash(v)))
			return 1;
	}
	return 0;
}

int vg_stix_sco_id(const cJSON *obj, char *out, size_t outlen)
{
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(obj, "type");
	const struct sco_def *def = NULL;
	struct vg_buf b;
	char uuid[37];
	int rc = VG_OK, n = 0;

	if (!cJSON_IsString(type))
		return VG_EINVAL;
	def = def_of(type->valuestring);
	if (!def)
		return VG_EINVAL;

	vg_buf_init(&b, SCO_JCS_MAX);
	for (size_t i = 0; !rc && i < 9 && def->props[i]; i++) {
		const char *key = def->props[i];
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
		if (!v)
			continue;
		if (strcmp(key, "hashes") == 0) {
			const cJSON *h = pick_hash(v);
			if (!h)
				continue;
			rc = vg_buf_putc(&b, n ? ',' : '{');
			if (!rc)
				rc = vg_buf_puts(&b, "\"hashes\":{");
			if (!rc)
				rc = vg__jcs_str(h->string, &b);
			if (!rc)
				rc = vg_buf_putc(&b, ':');
			if (!rc)
				rc = vg_jcs(h, &b);
			if (!rc)
				rc = vg_buf_putc(&b, '}');
			n++;
		} else {
			rc = put_member(&b, &n, key, v);
		}
	}
	if (rc)
		goto out;
	if (!n) {
		rc = VG_ENOTFOUND;
		goto out;
	}
	if ((rc = vg_buf_putc(&b, '}')))
		goto out;
	if ((rc = vg_uuid_v5(SCO_NAMESPACE, b.data, b.len, uuid)))
		goto out;
	if (strlen(def->type) + 2 + 36 + 1 > outlen) {
		rc = VG_ETOOBIG;
		goto out;
	}
	snprintf(out, outlen, "%s--%s", def->type, uuid);
out:
	vg_buf_release(&b);
	return rc;
}
