/* The STIX 2.1 object types: for each, its kind, the properties it
 * requires and their shapes, and its rules across properties (sections
 * 4-7 of the standard; docs/validation.md lists them). */
#include "vigil/util/error.h"
#include "vigil/stix/stix.h"

#include "stix_internal.h"

#include <string.h>
#include <strings.h>

/* ---- property names ------------------------------------------------- */

static const char *const prop_names[VG__P__N] = {
#define VG__PROP_NAME(id, name) name,
    VG__PROPS(VG__PROP_NAME)
#undef VG__PROP_NAME
};

enum vg__prop vg__prop_find(const char *name)
{
	size_t lo = 0, hi = VG__P__N;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		/* The first byte settles most steps without a call. */
		int d =
		    (unsigned char)name[0] - (unsigned char)prop_names[mid][0];
		if (d == 0 && name[0])
			d = strcmp(name + 1, prop_names[mid] + 1);
		if (d == 0)
			return (enum vg__prop)mid;
		if (d < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return VG__P__NONE;
}

const char *vg__prop_name(enum vg__prop p)
{
	return p < VG__P__N ? prop_names[p] : "";
}

/* ---- helpers for the rules ------------------------------------------ */

#define P(x) (c->prop[VG__P_##x])

/* a before b (strict: a strictly before b). Both were shape-checked. */
static int ts_order(struct vg__vctx *c, enum vg__prop a, enum vg__prop b,
                    int strict)
{
	struct vg_ts ta, tb;
	if (!c->prop[a] || !c->prop[b] ||
	    vg_ts_parse(c->prop[a]->valuestring, &ta) ||
	    vg_ts_parse(c->prop[b]->valuestring, &tb))
		return VG_OK;
	int d = vg__ts_cmp(&tb, &ta);
	if (strict && d <= 0)
		return vg__failk(c, vg__prop_name(b), "must be later than '%s'",
		                 vg__prop_name(a));
	if (!strict && d < 0)
		return vg__failk(c, vg__prop_name(b), "is before '%s'",
		                 vg__prop_name(a));
	return VG_OK;
}

static int check_seen(struct vg__vctx *c)
{
	return ts_order(c, VG__P_FIRST_SEEN, VG__P_LAST_SEEN, 0);
}

static int is_bundle_id(const char *id)
{
	return strncmp(id, "bundle--", 8) == 0;
}

/* 1 when id names an SDO: a STIX 2.1 SDO type or a custom type. */
static int is_sdo_id(const char *id)
{
	const struct vg__stix_type *t = vg__stix_type_of_id(id);
	return t ? t->kind == VG_STIX_SDO : !is_bundle_id(id);
}

static int one_of(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(s, *set) == 0)
			return 1;
	return 0;
}

/* ---- rules per type ------------------------------------------------- */

/* A "stix" pattern must parse [9] (stix_pattern.c). */
int vg__stix_check_pattern(struct vg__vctx *c, const cJSON *pattern);

static int check_indicator(struct vg__vctx *c)
{
	if (strcmp(P(PATTERN_TYPE)->valuestring, "stix") == 0) {
		int rc = vg__stix_check_pattern(c, P(PATTERN));
		if (rc)
			return rc;
	}
	return ts_order(c, VG__P_VALID_FROM, VG__P_VALID_UNTIL, 1);
}

static int check_location(struct vg__vctx *c)
{
	if (P(LATITUDE) && !P(LONGITUDE))
		return vg__failk(c, "longitude", "is required with 'latitude'");
	if (P(LONGITUDE) && !P(LATITUDE))
		return vg__failk(c, "latitude", "is required with 'longitude'");
	if (!P(REGION) && !P(COUNTRY) && !P(LATITUDE))
		return vg__failk(c, NULL,
		                 "needs 'region', 'country' or "
		                 "'latitude' and 'longitude'");
	return VG_OK;
}

static int check_malware(struct vg__vctx *c)
{
	if (cJSON_IsTrue(P(IS_FAMILY)) && !P(NAME))
		return vg__failk(c, "name",
		                 "is required when 'is_family' is "
		                 "true");
	return check_seen(c);
}

static int check_attack_pattern(struct vg__vctx *c)
{
	return vg__check_capec_refs(c);
}

static int check_vulnerability(struct vg__vctx *c)
{
	return vg__check_cve_refs(c);
}

static int check_language_content(struct vg__vctx *c)
{
	return vg__check_contents(c);
}

static int check_malware_analysis(struct vg__vctx *c)
{
	/* its timestamps, by name: rare enough to stay out of the table */
	static const char *const ts[] = {"analysis_started", "analysis_ended",
	                                 "submitted"};
	static const struct vg__pspec tspec = {0, VG__S_TS, 0, 0, 0};
	for (size_t i = 0; i < 3; i++) {
		const cJSON *v =
		    cJSON_GetObjectItemCaseSensitive(c->obj, ts[i]);
		const struct vg__path pk = {NULL, ts[i], 0};
		int rc;
		if (v && (rc = vg__check_shape(c, v, &pk, &tspec)))
			return rc;
	}
	if (!P(RESULT) && !P(ANALYSIS_SCO_REFS))
		return vg__failk(c, NULL,
		                 "needs 'result' or 'analysis_sco_refs'");
	return VG_OK;
}

static int check_observed_data(struct vg__vctx *c)
{
	if (P(OBJECTS) && P(OBJECT_REFS))
		return vg__failk(c, NULL,
		                 "must not have both 'objects' and "
		                 "'object_refs'");
	/* 'objects' is the deprecated 2.0 form, still valid in 2.1 [4.14]. */
	if (!P(OBJECTS) && !P(OBJECT_REFS))
		return vg__failk(c, "object_refs", "is required");
	int rc = P(OBJECTS) ? vg__container_check(c, P(OBJECTS))
	                    : vg__check_observed_refs(c);
	if (rc)
		return rc;
	return ts_order(c, VG__P_FIRST_OBSERVED, VG__P_LAST_OBSERVED, 0);
}

static int check_opinion(struct vg__vctx *c)
{
	static const char *const vals[] = {"strongly-disagree", "disagree",
	                                   "neutral",           "agree",
	                                   "strongly-agree",    NULL};
	if (!one_of(P(OPINION)->valuestring, vals))
		return vg__failk(c, "opinion",
		                 "must be one of strongly-disagree, disagree, "
		                 "neutral, agree, strongly-agree");
	return VG_OK;
}

static int check_relationship(struct vg__vctx *c)
{
	if (!vg__relationship_type_valid(P(RELATIONSHIP_TYPE)->valuestring))
		return vg__failk(c, "relationship_type",
		                 "must be made of a-z, 0-9 and '-' [5.1]");
	/* Not an SRO, marking, language content, extension definition or
	 * bundle [5.1]; SDOs, SCOs and custom objects are fine. */
	static const enum vg__prop ends[] = {VG__P_SOURCE_REF,
	                                     VG__P_TARGET_REF};
	for (size_t i = 0; i < 2; i++) {
		const char *id = c->prop[ends[i]]->valuestring;
		const struct vg__stix_type *t = vg__stix_type_of_id(id);
		if ((t &&
		     (t->kind == VG_STIX_SRO || t->kind == VG_STIX_META)) ||
		    is_bundle_id(id))
			return vg__failk(c, vg__prop_name(ends[i]),
			                 "must refer to an SDO or SCO");
	}
	return ts_order(c, VG__P_START_TIME, VG__P_STOP_TIME, 1);
}

static int check_ref_list(struct vg__vctx *c, const cJSON *list,
                          const char *key, const char *t1, const char *t2,
                          const char *msg)
{
	const struct vg__path pk = {NULL, key, 0};
	int i = 0;
	if (!list)
		return VG_OK;
	for (const cJSON *e = list->child; e; e = e->next, i++) {
		if (vg_stix_id_valid(e->valuestring, t1) ||
		    (t2 && vg_stix_id_valid(e->valuestring, t2)))
			continue;
		const struct vg__path pe = {&pk, NULL, i};
		return vg__fail(c, &pe, "%s", msg);
	}
	return VG_OK;
}

static int check_sighting(struct vg__vctx *c)
{
	int rc;
	if (!is_sdo_id(P(SIGHTING_OF_REF)->valuestring))
		return vg__failk(c, "sighting_of_ref", "must refer to an SDO");
	rc = check_ref_list(c, P(OBSERVED_DATA_REFS), "observed_data_refs",
	                    "observed-data", NULL,
	                    "must be an observed-data id");
	if (!rc)
		rc = check_ref_list(
		    c, P(WHERE_SIGHTED_REFS), "where_sighted_refs", "identity",
		    "location", "must be an identity or location id");
	return rc ? rc : check_seen(c);
}

static int check_artifact(struct vg__vctx *c)
{
	if (P(PAYLOAD_BIN) && P(URL))
		return vg__failk(c, NULL,
		                 "must not have both 'payload_bin' "
		                 "and 'url'");
	if (!P(PAYLOAD_BIN) && !P(URL))
		return vg__failk(c, NULL, "needs 'payload_bin' or 'url'");
	if (P(URL) && !P(HASHES))
		return vg__failk(c, "hashes", "is required with 'url'");
	return VG_OK;
}

static int check_file(struct vg__vctx *c)
{
	if (!P(HASHES) && !P(NAME))
		return vg__failk(c, NULL, "needs 'hashes' or 'name'");
	return VG_OK;
}

static int check_network_traffic(struct vg__vctx *c)
{
	if (!P(SRC_REF) && !P(DST_REF))
		return vg__failk(c, NULL, "needs 'src_ref' or 'dst_ref'");
	return VG_OK;
}

static int check_extension_definition(struct vg__vctx *c)
{
	static const char *const vals[] = {"new-sdo",
	                                   "new-sco",
	                                   "new-sro",
	                                   "property-extension",
	                                   "toplevel-property-extension",
	                                   NULL};
	const struct vg__path pk = {NULL, "extension_types", 0};
	int i = 0;
	for (const cJSON *e = P(EXTENSION_TYPES)->child; e; e = e->next, i++) {
		if (one_of(e->valuestring, vals))
			continue;
		const struct vg__path pe = {&pk, NULL, i};
		return vg__fail(c, &pe,
		                "must be one of new-sdo, new-sco, new-sro, "
		                "property-extension, "
		                "toplevel-property-extension");
	}
	return vg__check_extension_properties(c);
}

static int same_id(const cJSON *ref, const char *id)
{
	/* UUID hex digits compare without case. */
	return cJSON_IsString(ref) && strcasecmp(ref->valuestring, id) == 0;
}

static int check_marking_definition(struct vg__vctx *c)
{
	const cJSON *dt = P(DEFINITION_TYPE), *def = P(DEFINITION);
	const char *id = P(ID)->valuestring;
	int i, rc;

	/* definition_type and definition, unless the marking is defined by
	 * an extension (TLP 2.0) [7.2.1]. */
	if (def && !dt)
		return vg__failk(c, "definition_type",
		                 "is required with 'definition'");
	if (!P(EXTENSIONS) && !dt)
		return vg__failk(c, NULL,
		                 "needs 'definition_type' and "
		                 "'definition', or 'extensions'");
	if (!P(EXTENSIONS) && !def)
		return vg__failk(c, "definition",
		                 "is required with 'definition_type'");
	if (def && strcmp(dt->valuestring, "statement") == 0) {
		const cJSON *st =
		    cJSON_GetObjectItemCaseSensitive(def, "statement");
		const struct vg__path pd = {NULL, "definition", 0};
		const struct vg__path ps = {&pd, "statement", 0};
		if (!st)
			return vg__fail(c, &ps, "is required");
		if (!cJSON_IsString(st))
			return vg__fail(c, &ps, "must be a string");
	}
	rc = vg__tlp_check_marking(c);
	if (rc)
		return rc;

	/* A marking may not mark itself [7.2.2]. */
	const struct vg__path pm = {NULL, "object_marking_refs", 0};
	i = 0;
	for (const cJSON *e =
	         P(OBJECT_MARKING_REFS) ? P(OBJECT_MARKING_REFS)->child : NULL;
	     e; e = e->next, i++) {
		if (!same_id(e, id))
			continue;
		const struct vg__path pe = {&pm, NULL, i};
		return vg__fail(c, &pe,
		                "must not refer to the "
		                "marking-definition itself");
	}
	const struct vg__path pg = {NULL, "granular_markings", 0};
	i = 0;
	for (const cJSON *g = P(GRANULAR_MARKINGS) ? P(GRANULAR_MARKINGS)->child
	                                           : NULL;
	     g; g = g->next, i++) {
		const cJSON *ref =
		    cJSON_GetObjectItemCaseSensitive(g, "marking_ref");
		if (!same_id(ref, id))
			continue;
		const struct vg__path pe = {&pg, NULL, i};
		const struct vg__path pr = {&pe, "marking_ref", 0};
		return vg__fail(c, &pr,
		                "must not refer to the "
		                "marking-definition itself");
	}
	return VG_OK;
}

/* ---- the table ------------------------------------------------------ */

/* One row per entry reads better than the formatter's wrapping. */
/* clang-format off */
#define R(p, s) {VG__P_##p, VG__S_##s, VG__REQ, 0, 0}
#define O(p, s) {VG__P_##p, VG__S_##s, 0, 0, 0}
#define RR(p, s, lo, hi) {VG__P_##p, VG__S_##s, VG__REQ | VG__RANGE, lo, hi}
#define OR(p, s, lo, hi) {VG__P_##p, VG__S_##s, VG__RANGE, lo, hi}

static const struct vg__pspec p_named[] = {R(NAME, STR)};
static const struct vg__pspec p_seen[] = {
	R(NAME, STR), O(FIRST_SEEN, TS), O(LAST_SEEN, TS)};
static const struct vg__pspec p_threat_actor[] = {
	R(NAME, STR), O(FIRST_SEEN, TS), O(LAST_SEEN, TS),
	O(THREAT_ACTOR_TYPES, STRS)};
static const struct vg__pspec p_grouping[] = {
	R(CONTEXT, STR), R(OBJECT_REFS, IDS)};
static const struct vg__pspec p_indicator[] = {
	R(PATTERN, STR), R(PATTERN_TYPE, STR), R(VALID_FROM, TS),
	O(VALID_UNTIL, TS)};
static const struct vg__pspec p_location[] = {
	O(REGION, STR), O(COUNTRY, STR), OR(LATITUDE, NUM, -90, 90),
	OR(LONGITUDE, NUM, -180, 180)};
static const struct vg__pspec p_malware[] = {
	R(IS_FAMILY, BOOL), O(NAME, STR), O(FIRST_SEEN, TS), O(LAST_SEEN, TS)};
static const struct vg__pspec p_malware_analysis[] = {
	R(PRODUCT, STR), O(RESULT, STR), O(ANALYSIS_SCO_REFS, IDS)};
static const struct vg__pspec p_note[] = {
	R(CONTENT, STR), R(OBJECT_REFS, IDS)};
static const struct vg__pspec p_observed_data[] = {
	R(FIRST_OBSERVED, TS), R(LAST_OBSERVED, TS),
	RR(NUMBER_OBSERVED, INT, 1, 999999999), O(OBJECT_REFS, IDS),
	O(OBJECTS, OBJ)};
static const struct vg__pspec p_opinion[] = {
	R(OPINION, STR), R(OBJECT_REFS, IDS)};
static const struct vg__pspec p_report[] = {
	R(NAME, STR), R(PUBLISHED, TS), R(OBJECT_REFS, IDS)};
static const struct vg__pspec p_relationship[] = {
	R(RELATIONSHIP_TYPE, STR), R(SOURCE_REF, ID), R(TARGET_REF, ID),
	O(START_TIME, TS), O(STOP_TIME, TS)};
static const struct vg__pspec p_sighting[] = {
	R(SIGHTING_OF_REF, ID), OR(COUNT, INT, 0, 999999999),
	O(FIRST_SEEN, TS), O(LAST_SEEN, TS), O(OBSERVED_DATA_REFS, IDS),
	O(WHERE_SIGHTED_REFS, IDS)};
static const struct vg__pspec p_artifact[] = {
	O(PAYLOAD_BIN, STR), O(URL, STR), O(HASHES, HASHES)};
static const struct vg__pspec p_as[] = {R(NUMBER, INT)};
static const struct vg__pspec p_directory[] = {R(PATH, STR)};
static const struct vg__pspec p_value[] = {R(VALUE, STR)};
static const struct vg__pspec p_email_message[] = {R(IS_MULTIPART, BOOL)};
static const struct vg__pspec p_file[] = {O(NAME, STR), O(HASHES, HASHES)};
static const struct vg__pspec p_network_traffic[] = {
	R(PROTOCOLS, STRS), O(SRC_REF, ID), O(DST_REF, ID)};
static const struct vg__pspec p_marking[] = {
	O(NAME, STR), O(DEFINITION_TYPE, STR), O(DEFINITION, OBJ)};
static const struct vg__pspec p_language_content[] = {
	R(OBJECT_REF, ID), O(OBJECT_MODIFIED, TS), R(CONTENTS, OBJ)};
static const struct vg__pspec p_extension_definition[] = {
	R(NAME, STR), R(SCHEMA, STR), R(VERSION, STR),
	R(EXTENSION_TYPES, STRS), R(CREATED_BY_REF, ID)};

#define N(a) a, sizeof(a) / sizeof(a[0])
#define NONE NULL, 0
#define BOTH (VG__NEEDS_CREATED | VG__NEEDS_MODIFIED)
#define SDO(name, props, check) {name, VG_STIX_SDO, BOTH, props, check}
#define SRO(name, props, check) {name, VG_STIX_SRO, BOTH, props, check}
#define SCO(name, props, check) {name, VG_STIX_SCO, 0, props, check}
#define META(name, needs, props, check) {name, VG_STIX_META, needs, props, check}

/* Sorted by name: searched by bisection. */
static const struct vg__stix_type types[] = {
	SCO("artifact", N(p_artifact), check_artifact),
	SDO("attack-pattern", N(p_named), check_attack_pattern),
	SCO("autonomous-system", N(p_as), NULL),
	SDO("campaign", N(p_seen), check_seen),
	SDO("course-of-action", N(p_named), NULL),
	SCO("directory", N(p_directory), NULL),
	SCO("domain-name", N(p_value), NULL),
	SCO("email-addr", N(p_value), NULL),
	SCO("email-message", N(p_email_message), NULL),
	META("extension-definition", BOTH, N(p_extension_definition),
	     check_extension_definition),
	SCO("file", N(p_file), check_file),
	SDO("grouping", N(p_grouping), NULL),
	SDO("identity", N(p_named), NULL),
	SDO("incident", N(p_named), NULL),
	SDO("indicator", N(p_indicator), check_indicator),
	SDO("infrastructure", N(p_seen), check_seen),
	SDO("intrusion-set", N(p_seen), check_seen),
	SCO("ipv4-addr", N(p_value), NULL),
	SCO("ipv6-addr", N(p_value), NULL),
	META("language-content", BOTH, N(p_language_content),
	     check_language_content),
	SDO("location", N(p_location), check_location),
	SCO("mac-addr", N(p_value), NULL),
	SDO("malware", N(p_malware), check_malware),
	SDO("malware-analysis", N(p_malware_analysis), check_malware_analysis),
	/* Marking definitions are never versioned: no modified [7.2.1]. */
	META("marking-definition", VG__NEEDS_CREATED, N(p_marking),
	     check_marking_definition),
	SCO("mutex", N(p_named), NULL),
	SCO("network-traffic", N(p_network_traffic), check_network_traffic),
	SDO("note", N(p_note), NULL),
	SDO("observed-data", N(p_observed_data), check_observed_data),
	SDO("opinion", N(p_opinion), check_opinion),
	SCO("process", NONE, NULL),
	SRO("relationship", N(p_relationship), check_relationship),
	SDO("report", N(p_report), NULL),
	SRO("sighting", N(p_sighting), check_sighting),
	SCO("software", N(p_named), NULL),
	SDO("threat-actor", N(p_threat_actor), check_seen),
	SDO("tool", N(p_named), NULL),
	SCO("url", N(p_value), NULL),
	SCO("user-account", NONE, NULL),
	SDO("vulnerability", N(p_named), check_vulnerability),
	SCO("windows-registry-key", NONE, NULL),
	SCO("x509-certificate", NONE, NULL),
};
/* clang-format on */

const struct vg__stix_type *vg__stix_type_find(const char *s, size_t len)
{
	size_t lo = 0, hi = sizeof(types) / sizeof(types[0]);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const char *name = types[mid].name;
		int d = strncmp(s, name, len);
		if (d == 0 && name[len] != '\0')
			d = -1; /* s is a proper prefix of name */
		if (d == 0)
			return &types[mid];
		if (d < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const struct vg__stix_type *vg__stix_type_of_id(const char *id)
{
	const char *sep = id ? strstr(id, "--") : NULL;
	return sep ? vg__stix_type_find(id, (size_t)(sep - id)) : NULL;
}
