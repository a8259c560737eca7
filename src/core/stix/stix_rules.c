/* Rules of names, references and selectors that span an object: CVE and
 * CAPEC external references [4.1, 4.19], relationship types [5.1],
 * observed-data references [4.14], granular-marking selectors [7.2.3],
 * language-content translations [7.1] and extension properties [7.3].
 * Messages end with the section of the rule. */
#include "vigil/util/error.h"
#include "vigil/stix/stix.h"

#include "stix_internal.h"

#include <string.h>
#include <strings.h>

static int is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* "CVE-YYYY-NNNN" with four or more digits in its sequence number. */
static int cve_id_valid(const char *s)
{
	if (strncmp(s, "CVE-", 4) != 0)
		return 0;
	for (int i = 4; i < 8; i++)
		if (!is_digit(s[i]))
			return 0;
	if (s[8] != '-')
		return 0;
	size_t n = 0;
	while (is_digit(s[9 + n]))
		n++;
	return n >= 4 && s[9 + n] == '\0';
}

/* "CAPEC-N". */
static int capec_id_valid(const char *s)
{
	size_t n = 0;
	if (strncmp(s, "CAPEC-", 6) != 0)
		return 0;
	while (is_digit(s[6 + n]))
		n++;
	return n >= 1 && s[6 + n] == '\0';
}

/* A reference that gives a CVE (vulnerability) or CAPEC (attack-pattern)
 * id: its source_name is that source in any case, or its external_id
 * starts with the source's prefix. Such a reference has the source's
 * exact name and an id of its form [4.1, 4.19]. */
static int check_id_references(struct vg__vctx *c, const char *source,
                               const char *prefix, int (*valid)(const char *),
                               const char *form, const char *sec)
{
	const cJSON *refs = c->prop[VG__P_EXTERNAL_REFERENCES];
	const struct vg__path pr = {NULL, "external_references", 0};
	size_t plen = strlen(prefix);
	int i = 0;
	for (const cJSON *r = refs ? refs->child : NULL; r; r = r->next, i++) {
		const cJSON *sn =
		    cJSON_GetObjectItemCaseSensitive(r, "source_name");
		const cJSON *eid =
		    cJSON_GetObjectItemCaseSensitive(r, "external_id");
		const char *s = sn->valuestring;
		const char *e = cJSON_IsString(eid) ? eid->valuestring : NULL;
		if (strcasecmp(s, source) != 0 &&
		    !(e && strncasecmp(e, prefix, plen) == 0))
			continue;
		const struct vg__path pe = {&pr, NULL, i};
		const struct vg__path ps = {&pe, "source_name", 0};
		const struct vg__path pi = {&pe, "external_id", 0};
		if (strcmp(s, source) != 0)
			return vg__fail(
			    c, &ps, "must be '%s' for a %s id [%s]", source,
			    prefix[1] == 'V' ? "CVE" : "CAPEC", sec);
		if (!e)
			return vg__fail(c, &pi,
			                "is required with source '%s' [%s]",
			                source, sec);
		if (!valid(e))
			return vg__fail(c, &pi, "must be %s [%s]", form, sec);
	}
	return VG_OK;
}

int vg__check_cve_refs(struct vg__vctx *c)
{
	return check_id_references(c, "cve", "CVE-", cve_id_valid,
	                           "a CVE id, CVE-YYYY-NNNN", "4.19");
}

int vg__check_capec_refs(struct vg__vctx *c)
{
	return check_id_references(c, "capec", "CAPEC-", capec_id_valid,
	                           "a CAPEC id, CAPEC-N", "4.1");
}

int vg__relationship_type_valid(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || is_digit(*s) || *s == '-'))
			return 0;
	return 1;
}

/* observed-data's object_refs: SCOs and SROs, at least one SCO [4.14].
 * A custom type may be an SCO (a new-sco extension), so it counts as
 * one. */
int vg__check_observed_refs(struct vg__vctx *c)
{
	const cJSON *refs = c->prop[VG__P_OBJECT_REFS];
	const struct vg__path pr = {NULL, "object_refs", 0};
	int i = 0, scos = 0;
	if (!refs)
		return VG_OK;
	for (const cJSON *r = refs->child; r; r = r->next, i++) {
		const struct vg__stix_type *t =
		    vg__stix_type_of_id(r->valuestring);
		if (!t) {
			if (strncmp(r->valuestring, "bundle--", 8) != 0) {
				scos++;
				continue;
			}
		} else if (t->kind == VG_STIX_SCO) {
			scos++;
			continue;
		} else if (t->kind == VG_STIX_SRO) {
			continue;
		}
		const struct vg__path pe = {&pr, NULL, i};
		return vg__fail(c, &pe, "must refer to an SCO or SRO [4.14]");
	}
	if (!scos)
		return vg__fail(c, &pr,
		                "must refer to at least one SCO [4.14]");
	return VG_OK;
}

/* ---- granular-marking selectors [7.2.3] ----------------------------- */

/* Follow selector s through the object: property names (or dictionary
 * keys) and [index] between dots. 0: it selects something present; 1: it
 * is not a selector; 2: it selects nothing on this object. */
static int resolve_selector(const cJSON *root, const char *s)
{
	const cJSON *cur = root;
	char key[256];
	if (!*s)
		return 1;
	for (const char *p = s;;) {
		size_t n = strcspn(p, ".");
		if (n == 0 || n >= sizeof(key))
			return 1;
		memcpy(key, p, n);
		key[n] = '\0';
		if (key[0] == '[') {
			size_t j = 1;
			long idx = 0;
			while (j < n - 1 && is_digit(key[j]) && j < 10)
				idx = idx * 10 + (key[j++] - '0');
			if (j == 1 || j != n - 1 || key[j] != ']' ||
			    (key[1] == '0' && j > 2))
				return 1;
			if (!cJSON_IsArray(cur))
				return 2;
			cur = cJSON_GetArrayItem(cur, (int)idx);
		} else {
			for (size_t j = 0; j < n; j++)
				if (!((key[j] >= 'a' && key[j] <= 'z') ||
				      (key[j] >= 'A' && key[j] <= 'Z') ||
				      is_digit(key[j]) || key[j] == '_' ||
				      key[j] == '-'))
					return 1;
			if (!cJSON_IsObject(cur))
				return 2;
			cur = cJSON_GetObjectItemCaseSensitive(cur, key);
		}
		if (!cur)
			return 2;
		p += n;
		if (!*p)
			return 0;
		p++;
	}
}

int vg__check_selectors(struct vg__vctx *c, const cJSON *sel,
                        const struct vg__path *p)
{
	int i = 0;
	for (const cJSON *s = sel->child; s; s = s->next, i++) {
		const struct vg__path ps = {p, NULL, i};
		int rc = resolve_selector(c->obj, s->valuestring);
		if (rc == 1)
			return vg__fail(
			    c, &ps,
			    "must be property names, dictionary keys "
			    "and [index] separated by '.' [7.2.3]");
		if (rc == 2)
			return vg__fail(c, &ps,
			                "must select a property or list item "
			                "present on the object [7.2.3]");
	}
	return VG_OK;
}

/* ---- language-content [7.1] ----------------------------------------- */

static int prop_name(const char *s)
{
	size_t n = 0;
	if (!(s[0] >= 'a' && s[0] <= 'z'))
		return 0;
	for (; s[n]; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') || is_digit(s[n]) ||
		      s[n] == '_') ||
		    n >= 250)
			return 0;
	return n >= 2; /* 'id' is a property name too */
}

int vg__check_contents(struct vg__vctx *c)
{
	const struct vg__path pc = {NULL, "contents", 0};
	for (const cJSON *l = c->prop[VG__P_CONTENTS]->child; l; l = l->next) {
		const struct vg__path pl = {&pc, l->string, 0};
		if (!vg__lang_valid(l->string))
			return vg__fail(
			    c, &pl, "must be an RFC 5646 language tag [7.1]");
		if (!cJSON_IsObject(l) || !l->child)
			return vg__fail(
			    c, &pl,
			    "must be a non-empty object of translated "
			    "properties [7.1]");
		for (const cJSON *k = l->child; k; k = k->next) {
			if (prop_name(k->string))
				continue;
			const struct vg__path pk = {&pl, k->string, 0};
			return vg__fail(c, &pk,
			                "is not a property name (a-z, 0-9 and "
			                "'_', starting with a letter) [7.1]");
		}
	}
	return VG_OK;
}

/* ---- extension-definition [7.3] ------------------------------------- */

int vg__check_extension_properties(struct vg__vctx *c)
{
	const cJSON *ep =
	    cJSON_GetObjectItemCaseSensitive(c->obj, "extension_properties");
	const struct vg__path pp = {NULL, "extension_properties", 0};
	int rc;
	if (!ep)
		return VG_OK;
	static const struct vg__pspec strs = {0, VG__S_STRS, 0, 0, 0};
	if ((rc = vg__check_shape(c, ep, &pp, &strs)))
		return rc;
	for (const cJSON *t = c->prop[VG__P_EXTENSION_TYPES]->child; t;
	     t = t->next)
		if (strcmp(t->valuestring, "toplevel-property-extension") == 0)
			return VG_OK;
	return vg__fail(c, &pp,
	                "may only be used when 'extension_types' has "
	                "toplevel-property-extension [7.3]");
}
