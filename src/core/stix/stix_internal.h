/* What the STIX files of core/ share with each other but not with the rest
 * of vigil: name rules, the type and property tables and the validation
 * context. Everything here is vg__ and may change without notice. */
#ifndef VIGIL_CORE_STIX_INTERNAL_H
#define VIGIL_CORE_STIX_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "vigil/stix/stix.h"

/* ---- names and identifiers (stix_id.c) ------------------------------ */

/* 1 when s[0..len) is a valid object type name [2.6]: 3-250 characters of
 * a-z, 0-9 and '-', no leading, trailing or double '-'. */
int vg__stix_type_name_valid(const char *s, size_t len);
/* 1 when s is "type--UUID"; *type_len gets the length of the type part. */
int vg__stix_id_split(const char *s, size_t *type_len);

/* ---- canonical JSON (jcs.c) ----------------------------------------- */

/* Append s as a JCS string literal; VG_EINVAL when s is not UTF-8. */
int vg__jcs_str(const char *s, struct vg_buf *out);

/* ---- timestamps (stix_ts.c) ----------------------------------------- */

/* <0, 0, >0 as a is before, at, after b. */
int vg__ts_cmp(const struct vg_ts *a, const struct vg_ts *b);

/* ---- properties the validator knows (stix_types.c) ------------------ */

/* Sorted by name: the table is searched by bisection. */
#define VG__PROPS(X)                                                           \
	X(ANALYSIS_SCO_REFS, "analysis_sco_refs")                              \
	X(CONFIDENCE, "confidence")                                            \
	X(CONTENT, "content")                                                  \
	X(CONTENTS, "contents")                                                \
	X(CONTEXT, "context")                                                  \
	X(COUNT, "count")                                                      \
	X(COUNTRY, "country")                                                  \
	X(CREATED, "created")                                                  \
	X(CREATED_BY_REF, "created_by_ref")                                    \
	X(DEFANGED, "defanged")                                                \
	X(DEFINITION, "definition")                                            \
	X(DEFINITION_TYPE, "definition_type")                                  \
	X(DST_REF, "dst_ref")                                                  \
	X(EXTENSION_TYPES, "extension_types")                                  \
	X(EXTENSIONS, "extensions")                                            \
	X(EXTERNAL_REFERENCES, "external_references")                          \
	X(FIRST_OBSERVED, "first_observed")                                    \
	X(FIRST_SEEN, "first_seen")                                            \
	X(GRANULAR_MARKINGS, "granular_markings")                              \
	X(HASHES, "hashes")                                                    \
	X(ID, "id")                                                            \
	X(IS_FAMILY, "is_family")                                              \
	X(IS_MULTIPART, "is_multipart")                                        \
	X(KILL_CHAIN_PHASES, "kill_chain_phases")                              \
	X(LABELS, "labels")                                                    \
	X(LANG, "lang")                                                        \
	X(LAST_OBSERVED, "last_observed")                                      \
	X(LAST_SEEN, "last_seen")                                              \
	X(LATITUDE, "latitude")                                                \
	X(LONGITUDE, "longitude")                                              \
	X(MODIFIED, "modified")                                                \
	X(NAME, "name")                                                        \
	X(NUMBER, "number")                                                    \
	X(NUMBER_OBSERVED, "number_observed")                                  \
	X(OBJECT_MARKING_REFS, "object_marking_refs")                          \
	X(OBJECT_MODIFIED, "object_modified")                                  \
	X(OBJECT_REF, "object_ref")                                            \
	X(OBJECT_REFS, "object_refs")                                          \
	X(OBJECTS, "objects")                                                  \
	X(OBSERVED_DATA_REFS, "observed_data_refs")                            \
	X(OPINION, "opinion")                                                  \
	X(PATH, "path")                                                        \
	X(PATTERN, "pattern")                                                  \
	X(PATTERN_TYPE, "pattern_type")                                        \
	X(PAYLOAD_BIN, "payload_bin")                                          \
	X(PRODUCT, "product")                                                  \
	X(PROTOCOLS, "protocols")                                              \
	X(PUBLISHED, "published")                                              \
	X(REGION, "region")                                                    \
	X(RELATIONSHIP_TYPE, "relationship_type")                              \
	X(RESULT, "result")                                                    \
	X(REVOKED, "revoked")                                                  \
	X(SCHEMA, "schema")                                                    \
	X(SIGHTING_OF_REF, "sighting_of_ref")                                  \
	X(SOURCE_REF, "source_ref")                                            \
	X(SPEC_VERSION, "spec_version")                                        \
	X(SRC_REF, "src_ref")                                                  \
	X(START_TIME, "start_time")                                            \
	X(STOP_TIME, "stop_time")                                              \
	X(TARGET_REF, "target_ref")                                            \
	X(THREAT_ACTOR_TYPES, "threat_actor_types")                            \
	X(TYPE, "type")                                                        \
	X(URL, "url")                                                          \
	X(VALID_FROM, "valid_from")                                            \
	X(VALID_UNTIL, "valid_until")                                          \
	X(VALUE, "value")                                                      \
	X(VERSION, "version")                                                  \
	X(WHERE_SIGHTED_REFS, "where_sighted_refs")

enum vg__prop {
#define VG__PROP_ENUM(id, name) VG__P_##id,
	VG__PROPS(VG__PROP_ENUM)
#undef VG__PROP_ENUM
	    VG__P__N,
	VG__P__NONE = VG__P__N
};

/* The property's id, or VG__P__NONE when the validator has no rule for it. */
enum vg__prop vg__prop_find(const char *name);
const char *vg__prop_name(enum vg__prop p);

/* JSON shapes a property may be required to have. */
enum vg__shape {
	VG__S_STR,
	VG__S_BOOL,
	VG__S_INT,
	VG__S_NUM,
	VG__S_TS,   /* timestamp string */
	VG__S_ID,   /* STIX identifier */
	VG__S_IDS,  /* non-empty list of identifiers */
	VG__S_STRS, /* non-empty list of strings */
	VG__S_OBJ,
	VG__S_HASHES, /* non-empty object of strings */
};

#define VG__REQ 1u   /* the property must be present */
#define VG__RANGE 2u /* the number must lie in [lo, hi] */

struct vg__pspec {
	unsigned char prop;  /* enum vg__prop */
	unsigned char shape; /* enum vg__shape */
	unsigned char flags;
	double lo, hi;
};

struct vg__vctx;
typedef int (*vg__type_check_fn)(struct vg__vctx *c);

/* Which common timestamps a type requires [3.2, 7.x]. */
#define VG__NEEDS_CREATED 1u
#define VG__NEEDS_MODIFIED 2u

struct vg__stix_type {
	const char *name;
	unsigned char kind;  /* enum vg_stix_kind */
	unsigned char needs; /* VG__NEEDS_* */
	const struct vg__pspec *props;
	size_t n_props;
	vg__type_check_fn check; /* cross-property rules, or NULL */
};

/* The STIX 2.1 type named s[0..len), or NULL for custom/unknown types. */
const struct vg__stix_type *vg__stix_type_find(const char *s, size_t len);
/* The type of an identifier's prefix, or NULL. */
const struct vg__stix_type *vg__stix_type_of_id(const char *id);

/* ---- validation context (stix_validate.c) --------------------------- */

/* One step of a JSON path, linked towards the root; only formatted when a
 * message is written, so walking costs nothing. key NULL means index. */
struct vg__path {
	const struct vg__path *up;
	const char *key;
	int index;
};

struct vg__vctx {
	const cJSON *obj;
	const char *id; /* shown in messages; NULL: "(no id)" */
	char *err;
	size_t errlen;
	const struct vg__stix_type *type; /* NULL for custom types */
	const cJSON *prop[VG__P__N];      /* first occurrence of each */
	struct vg_ts created, modified;
	int has_created, has_modified;
	enum vg_tlp tlp;
};

/* Write "object '<id>': <path>: <rule>" and return VG_EINVAL. */
int vg__fail(struct vg__vctx *c, const struct vg__path *p, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same for a top-level property (key NULL: the object itself). */
int vg__failk(struct vg__vctx *c, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Shape check of one value: VG_OK or the message for path p. */
int vg__check_shape(struct vg__vctx *c, const cJSON *v,
                    const struct vg__path *p, const struct vg__pspec *s);

/* The rules of one common property [3.2] (pid is one of the properties
 * that every type may carry) at top-level member k. */
int vg__check_common(struct vg__vctx *c, enum vg__prop pid, const cJSON *k,
                     const struct vg__path *p);

/* 1 when v is a number with an integral value. */
int vg__is_int(const cJSON *v);

/* ---- value formats (stix_values.c): 1 when s has the format --------- */

/* A well-formed RFC 5646 tag whose primary language subtag is registered
 * (ISO 639-1 codes checked against ICU; see docs/validation.md). */
int vg__lang_valid(const char *s);
int vg__ipv4_valid(const char *s); /* address or CIDR block */
int vg__ipv6_valid(const char *s);
int vg__mac48_valid(const char *s);
int vg__addr_spec_valid(const char *s);
int vg__uri_valid(const char *s);
int vg__base64_valid(const char *s);
int vg__cpe23_valid(const char *s);
int vg__hash_name_valid(const char *s);
/* 1 when the Windows registry key starts with an abbreviated hive. */
int vg__hive_abbreviated(const char *key);
/* 0 when s is the IANA name to use for its character set; 1 when it is
 * not an IANA character set; 2 when it is one but *want is its name. */
int vg__charset_check(const char *s, const char **want);
/* NULL when v suits the hash algorithm named alg (or alg is not one of
 * hash-algorithm-ov), else the vocabulary's name of the algorithm. */
const char *vg__hash_value_rule(const char *alg, const char *v);

/* ---- SCOs (stix_sco.c, stix_sco_id.c) ------------------------------- */

/* The rules of an SCO of a STIX 2.1 type beyond its table [6]. */
int vg__sco_check(struct vg__vctx *c);
/* Timestamps and hashes of observed-data's deprecated container. */
int vg__container_check(struct vg__vctx *c, const cJSON *objects);
/* A hashes value at p [2.7, 10.7]. */
int vg__check_hashes(struct vg__vctx *c, const cJSON *v,
                     const struct vg__path *p);
/* 1 when an ID-contributing property is present, 0 when none is, -1 when
 * obj is not of an SCO type. */
int vg__sco_has_id_props(const cJSON *obj);
/* The ID-contributing properties of an SCO type (NULL-terminated, at
 * most 9), or NULL when type is not one of the 18. */
const char *const *vg__sco_id_props(const char *type);

/* ---- rules across an object (stix_rules.c) -------------------------- */

int vg__check_cve_refs(struct vg__vctx *c);
int vg__check_capec_refs(struct vg__vctx *c);
int vg__relationship_type_valid(const char *s);
int vg__check_observed_refs(struct vg__vctx *c);
int vg__check_selectors(struct vg__vctx *c, const cJSON *sel,
                        const struct vg__path *p);
int vg__check_contents(struct vg__vctx *c);
int vg__check_extension_properties(struct vg__vctx *c);

/* ---- TLP (stix_tlp.c) ----------------------------------------------- */

/* The TLP rules of a marking-definition (its id against its content). */
int vg__tlp_check_marking(struct vg__vctx *c);

#define VG__TLP2_EXTENSION                                                     \
	"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"

#endif
