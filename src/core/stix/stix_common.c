/* Rules of the properties common to all STIX objects [3.2] and of the
 * JSON shapes the type table asks for (strings, timestamps, ids...). */
#include "vigil/util/error.h"
#include "vigil/stix/stix.h"

#include "stix_internal.h"

#include <math.h>
#include <string.h>

int vg__is_int(const cJSON *v)
{
	return cJSON_IsNumber(v) && isfinite(v->valuedouble) &&
	       floor(v->valuedouble) == v->valuedouble;
}

static int list_of(struct vg__vctx *c, const cJSON *v, const struct vg__path *p,
                   int ids, const char *list_msg)
{
	int i = 0;
	/* An empty list was already reported by the walk [2.12]; this
	 * repeats the rule for callers that check shapes on their own. */
	if (!cJSON_IsArray(v) || !v->child)
		return vg__fail(c, p, "%s", list_msg);
	for (const cJSON *e = v->child; e; e = e->next, i++) {
		if (ids ? cJSON_IsString(e) &&
		              vg_stix_id_valid(e->valuestring, NULL)
		        : cJSON_IsString(e))
			continue;
		const struct vg__path pe = {p, NULL, i};
		return vg__fail(c, &pe,
		                ids ? "must be a STIX identifier"
		                    : "must be a string");
	}
	return VG_OK;
}

int vg__check_shape(struct vg__vctx *c, const cJSON *v,
                    const struct vg__path *p, const struct vg__pspec *s)
{
	struct vg_ts ts;
	int ranged = s->flags & VG__RANGE;

	switch ((enum vg__shape)s->shape) {
	case VG__S_STR:
		if (!cJSON_IsString(v))
			return vg__fail(c, p, "must be a string");
		break;
	case VG__S_BOOL:
		if (!cJSON_IsBool(v))
			return vg__fail(c, p, "must be a boolean");
		break;
	case VG__S_INT:
		if (!vg__is_int(v) || (ranged && (v->valuedouble < s->lo ||
		                                  v->valuedouble > s->hi)))
			return ranged ? vg__fail(c, p,
			                         "must be an integer from %.0f "
			                         "to %.0f",
			                         s->lo, s->hi)
			              : vg__fail(c, p, "must be an integer");
		break;
	case VG__S_NUM:
		if (!cJSON_IsNumber(v) || (ranged && (v->valuedouble < s->lo ||
		                                      v->valuedouble > s->hi)))
			return ranged ? vg__fail(c, p,
			                         "must be a number from %g to "
			                         "%g",
			                         s->lo, s->hi)
			              : vg__fail(c, p, "must be a number");
		break;
	case VG__S_TS:
		if (!cJSON_IsString(v) || vg_ts_parse(v->valuestring, &ts))
			return vg__fail(c, p,
			                "must be a timestamp "
			                "YYYY-MM-DDTHH:MM:SS[.s+]Z");
		break;
	case VG__S_ID:
		if (!cJSON_IsString(v) ||
		    !vg_stix_id_valid(v->valuestring, NULL))
			return vg__fail(c, p, "must be a STIX identifier");
		break;
	case VG__S_IDS:
		return list_of(c, v, p, 1,
		               "must be a non-empty list of STIX identifiers");
	case VG__S_STRS:
		return list_of(c, v, p, 0,
		               "must be a non-empty list of strings");
	case VG__S_OBJ:
		if (!cJSON_IsObject(v))
			return vg__fail(c, p, "must be an object");
		break;
	case VG__S_HASHES:
		return vg__check_hashes(c, v, p);
	}
	return VG_OK;
}

static int shape(struct vg__vctx *c, const cJSON *v, const struct vg__path *p,
                 enum vg__shape s)
{
	const struct vg__pspec spec = {0, (unsigned char)s, 0, 0, 0};
	return vg__check_shape(c, v, p, &spec);
}

/* created and modified: timestamps with at least millisecond precision
 * [3.2]; kept parsed for the version key and the order check. */
static int check_time(struct vg__vctx *c, const cJSON *k,
                      const struct vg__path *p, struct vg_ts *ts, int *has)
{
	/* Parsed here once, not by shape(): two per object on ingest. */
	if (!cJSON_IsString(k) || vg_ts_parse(k->valuestring, ts))
		return shape(c, k, p, VG__S_TS);
	if (ts->frac_digits < 3)
		return vg__fail(c, p,
		                "must have at least millisecond "
		                "precision");
	*has = 1;
	return VG_OK;
}

static int check_external_references(struct vg__vctx *c, const cJSON *k,
                                     const struct vg__path *p)
{
	static const char *const alts[] = {"description", "url", "external_id"};
	int i = 0, rc;

	if (!cJSON_IsArray(k))
		return vg__fail(c, p,
		                "must be a non-empty list of external "
		                "references");
	for (const cJSON *e = k->child; e; e = e->next, i++) {
		const struct vg__path pe = {p, NULL, i};
		if (!cJSON_IsObject(e))
			return vg__fail(c, &pe, "must be an object");
		const cJSON *sn =
		    cJSON_GetObjectItemCaseSensitive(e, "source_name");
		const struct vg__path ps = {&pe, "source_name", 0};
		if (!sn)
			return vg__fail(c, &ps, "is required");
		if ((rc = shape(c, sn, &ps, VG__S_STR)))
			return rc;
		int any = 0;
		for (size_t j = 0; j < 3; j++) {
			const cJSON *a =
			    cJSON_GetObjectItemCaseSensitive(e, alts[j]);
			const struct vg__path pa = {&pe, alts[j], 0};
			if (a && (rc = shape(c, a, &pa, VG__S_STR)))
				return rc;
			any |= a != NULL;
		}
		if (!any)
			return vg__fail(c, &pe,
			                "needs one of 'description', "
			                "'url' or 'external_id'");
		const cJSON *h = cJSON_GetObjectItemCaseSensitive(e, "hashes");
		const struct vg__path ph = {&pe, "hashes", 0};
		if (h && (rc = shape(c, h, &ph, VG__S_HASHES)))
			return rc;
	}
	return VG_OK;
}

static int marking_ref(struct vg__vctx *c, const cJSON *v,
                       const struct vg__path *p)
{
	if (!cJSON_IsString(v) ||
	    !vg_stix_id_valid(v->valuestring, "marking-definition"))
		return vg__fail(c, p, "must be a marking-definition id");
	return VG_OK;
}

static int check_object_marking_refs(struct vg__vctx *c, const cJSON *k,
                                     const struct vg__path *p)
{
	int i = 0, rc;
	if (!cJSON_IsArray(k))
		return vg__fail(c, p,
		                "must be a non-empty list of "
		                "marking-definition ids");
	for (const cJSON *e = k->child; e; e = e->next, i++) {
		const struct vg__path pe = {p, NULL, i};
		if ((rc = marking_ref(c, e, &pe)))
			return rc;
		enum vg_tlp t = vg_tlp_of_marking(e->valuestring);
		if (t > c->tlp)
			c->tlp = t;
	}
	return VG_OK;
}

static int check_granular_markings(struct vg__vctx *c, const cJSON *k,
                                   const struct vg__path *p)
{
	int i = 0, rc;
	if (!cJSON_IsArray(k))
		return vg__fail(c, p,
		                "must be a non-empty list of granular "
		                "markings");
	for (const cJSON *e = k->child; e; e = e->next, i++) {
		const struct vg__path pe = {p, NULL, i};
		if (!cJSON_IsObject(e))
			return vg__fail(c, &pe, "must be an object");
		const cJSON *sel =
		    cJSON_GetObjectItemCaseSensitive(e, "selectors");
		const cJSON *ref =
		    cJSON_GetObjectItemCaseSensitive(e, "marking_ref");
		const cJSON *lang = cJSON_GetObjectItemCaseSensitive(e, "lang");
		const struct vg__path ps = {&pe, "selectors", 0};
		const struct vg__path pr = {&pe, "marking_ref", 0};
		const struct vg__path pl = {&pe, "lang", 0};
		if (!sel)
			return vg__fail(c, &ps, "is required");
		if ((rc = shape(c, sel, &ps, VG__S_STRS)) ||
		    (rc = vg__check_selectors(c, sel, &ps)))
			return rc;
		if (!ref == !lang)
			return vg__fail(c, &pe,
			                "needs exactly one of "
			                "'marking_ref' or 'lang'");
		if (ref && (rc = marking_ref(c, ref, &pr)))
			return rc;
		if (lang && (!cJSON_IsString(lang) ||
		             !vg__lang_valid(lang->valuestring)))
			return vg__fail(c, &pl,
			                "must be an RFC 5646 language tag");
	}
	return VG_OK;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

static int check_extensions(struct vg__vctx *c, const cJSON *k,
                            const struct vg__path *p)
{
	static const char *const types[] = {"new-sdo", "new-sco", "new-sro",
	                                    "property-extension",
	                                    "toplevel-property-extension"};

	if (!cJSON_IsObject(k))
		return vg__fail(c, p, "must be an object");
	for (const cJSON *x = k->child; x; x = x->next) {
		const char *key = x->string;
		const struct vg__path px = {p, key, 0};
		/* Extension definitions [7.3], or the predefined SCO
		 * extensions and 2.0-style custom ones, named '...-ext'. */
		int ok = strncmp(key, "extension-definition--", 22) == 0
		             ? vg_stix_id_valid(key, "extension-definition")
		             : ends_with(key, "-ext") &&
		                   vg__stix_type_name_valid(key, strlen(key));
		if (!ok)
			return vg__fail(c, &px,
			                "must be an extension-definition id or "
			                "a name ending in '-ext'");
		if (!cJSON_IsObject(x))
			return vg__fail(c, &px, "must be an object");
		const cJSON *et =
		    cJSON_GetObjectItemCaseSensitive(x, "extension_type");
		if (!et)
			continue;
		size_t j = 0;
		while (j < 5 && !(cJSON_IsString(et) &&
		                  strcmp(et->valuestring, types[j]) == 0))
			j++;
		if (j == 5) {
			const struct vg__path pt = {&px, "extension_type", 0};
			return vg__fail(c, &pt,
			                "must be one of new-sdo, new-sco, "
			                "new-sro, property-extension, "
			                "toplevel-property-extension");
		}
	}
	return VG_OK;
}

static int check_kill_chain_phases(struct vg__vctx *c, const cJSON *k,
                                   const struct vg__path *p)
{
	static const char *const req[] = {"kill_chain_name", "phase_name"};
	int i = 0, rc;

	if (!cJSON_IsArray(k))
		return vg__fail(c, p,
		                "must be a non-empty list of kill chain "
		                "phases");
	for (const cJSON *e = k->child; e; e = e->next, i++) {
		const struct vg__path pe = {p, NULL, i};
		if (!cJSON_IsObject(e))
			return vg__fail(c, &pe, "must be an object");
		for (size_t j = 0; j < 2; j++) {
			const cJSON *v =
			    cJSON_GetObjectItemCaseSensitive(e, req[j]);
			const struct vg__path pv = {&pe, req[j], 0};
			if (!v)
				return vg__fail(c, &pv, "is required");
			if ((rc = shape(c, v, &pv, VG__S_STR)))
				return rc;
		}
	}
	return VG_OK;
}

int vg__check_common(struct vg__vctx *c, enum vg__prop pid, const cJSON *k,
                     const struct vg__path *p)
{
	switch (pid) {
	case VG__P_CREATED:
		return check_time(c, k, p, &c->created, &c->has_created);
	case VG__P_MODIFIED:
		return check_time(c, k, p, &c->modified, &c->has_modified);
	case VG__P_CREATED_BY_REF:
		if (!cJSON_IsString(k) ||
		    !vg_stix_id_valid(k->valuestring, "identity"))
			return vg__fail(c, p, "must be an identity id");
		return VG_OK;
	case VG__P_DEFANGED:
		/* custom types may be SCOs (new-sco extensions) */
		if (c->type && c->type->kind != VG_STIX_SCO)
			return vg__fail(c, p, "may only be used on SCOs [3.2]");
		return shape(c, k, p, VG__S_BOOL);
	case VG__P_REVOKED:
		return shape(c, k, p, VG__S_BOOL);

	case VG__P_LABELS:
		return shape(c, k, p, VG__S_STRS);
	case VG__P_CONFIDENCE:
		if (!vg__is_int(k) || k->valuedouble < 0 ||
		    k->valuedouble > 100)
			return vg__fail(c, p,
			                "must be an integer from 0 to 100");
		return VG_OK;
	case VG__P_LANG:
		if (!cJSON_IsString(k) || !vg__lang_valid(k->valuestring))
			return vg__fail(c, p,
			                "must be an RFC 5646 language tag");
		return VG_OK;
	case VG__P_EXTERNAL_REFERENCES:
		return check_external_references(c, k, p);
	case VG__P_OBJECT_MARKING_REFS:
		return check_object_marking_refs(c, k, p);
	case VG__P_GRANULAR_MARKINGS:
		return check_granular_markings(c, k, p);
	case VG__P_EXTENSIONS:
		return check_extensions(c, k, p);
	case VG__P_KILL_CHAIN_PHASES:
		return check_kill_chain_phases(c, k, p);
	default:
		return VG_OK; /* a type's own property: the type table's */
	}
}
