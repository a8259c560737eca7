/* STIX 2.1 model: validation of one object, timestamps, identifiers, TLP.
 * Pure (no I/O, no clock, no global state). Rules and their sources are in
 * docs/validation.md; the summary is ../shared/reference/STIX-2.1.md. */
#ifndef VIGIL_STIX_H
#define VIGIL_STIX_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "vigil/util/buf.h"

/* ---- timestamps [2.16] ---------------------------------------------- */

/* "YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ": 30 characters and the NUL. Keys of
 * equal instants are equal and keys sort as the instants do. */
#define VG_TS_KEY_LEN 31

struct vg_ts {
	int year, mon, day, hour, min, sec;
	long nsec;       /* fraction, truncated to nanoseconds */
	int frac_digits; /* digits written after the '.', 0 when none */
};

/* Parse a STIX timestamp: YYYY-MM-DDTHH:MM:SS[.s+]Z, UTC only (no other
 * offsets), real calendar dates (29 February only in leap years), hours
 * 00-23, minutes and seconds 00-59. Any number of fraction digits is
 * accepted (the text is kept verbatim by callers). VG_OK or VG_EINVAL. */
int vg_ts_parse(const char *s, struct vg_ts *out);
/* Write the normalised key of ts into out. */
void vg_ts_key(const struct vg_ts *ts, char out[VG_TS_KEY_LEN]);
/* Parse s and write its key; VG_EINVAL when s is not a timestamp. */
int vg_ts_key_of(const char *s, char out[VG_TS_KEY_LEN]);

/* ---- identifiers [2.9] ---------------------------------------------- */

/* 1 when s is a UUID in canonical 8-4-4-4-12 hex form (hex digits in
 * either case, mixed too, as RFC 4122 reads them) with an RFC 4122
 * variant, else 0. The version nibble is not checked. */
int vg_uuid_valid(const char *s);
/* 1 when s is "type--UUID" with a valid type name and UUID, else 0. When
 * type is not NULL the prefix must equal it. */
int vg_stix_id_valid(const char *s, const char *type);
/* Format 16 random bytes (from the caller) as a UUIDv4: out gets 36 chars
 * and the NUL. */
void vg_uuid_v4(const unsigned char rnd[16], char out[37]);
/* UUIDv5 (SHA-1) of name in namespace ns (a UUID string); out gets 36
 * chars and the NUL. VG_EINVAL when ns is not a UUID. */
int vg_uuid_v5(const char *ns, const void *name, size_t len, char out[37]);

/* RFC 8785 (JCS) canonical JSON of v appended to out. VG_EINVAL for values
 * JCS cannot represent (non-finite numbers, strings or names that are not
 * UTF-8, duplicate member names, cJSON raw items), VG_ENOMEM/VG_ETOOBIG;
 * on any error out is left as it was. */
int vg_jcs(const cJSON *v, struct vg_buf *out);

/* The deterministic id of an SCO: "type--UUIDv5" over the JCS form of its
 * ID-contributing properties (see the reference for the table); with none
 * present, VG_ENOTFOUND (the caller then uses a UUIDv4). out must hold at
 * least 300 bytes (VG_ETOOBIG when outlen is too small for this id).
 * VG_EINVAL when obj is not one of the 18 STIX 2.1 SCO types, or when a
 * contributing value has no JCS form. */
int vg_stix_sco_id(const cJSON *obj, char *out, size_t outlen);

/* ---- markings ------------------------------------------------------- */

enum vg_tlp {
	VG_TLP_NONE = 0, /* no TLP marking */
	VG_TLP_CLEAR,    /* TLP 2.0 CLEAR, TLP 1.0 WHITE */
	VG_TLP_GREEN,
	VG_TLP_AMBER,
	VG_TLP_AMBER_STRICT,
	VG_TLP_RED,
};

/* TLP level of a marking-definition id (TLP 1.0 and 2.0 ids), or
 * VG_TLP_NONE when the id is not a TLP marking. */
enum vg_tlp vg_tlp_of_marking(const char *marking_id);
/* "clear", "green", "amber", "amber+strict", "red", "none". */
const char *vg_tlp_name(enum vg_tlp tlp);

/* ---- objects -------------------------------------------------------- */

enum vg_stix_kind {
	VG_STIX_SDO,
	VG_STIX_SRO,  /* relationship, sighting */
	VG_STIX_SCO,
	VG_STIX_META, /* marking-definition, language-content, extension-def. */
	VG_STIX_CUSTOM, /* x- types */
};

/* What the store indexes about a valid object. Pointers point into the
 * cJSON tree that was validated and live as long as it. */
struct vg_stix_info {
	const char *type;
	const char *id;
	const char *created;      /* verbatim, NULL when absent */
	const char *modified;     /* verbatim, NULL when absent */
	const char *spec_version; /* NULL when absent (SCOs) */
	/* key of modified, else of created, else "" (unversioned SCOs) */
	char version[VG_TS_KEY_LEN];
	int revoked;
	enum vg_stix_kind kind;
	enum vg_tlp tlp; /* strictest TLP in object_marking_refs */
};

/* Validate one STIX 2.1 object (the rules of docs/validation.md). On
 * success fills *info when info is not NULL and returns VG_OK. On failure
 * returns VG_EINVAL and writes one message into err (truncated to errlen,
 * always NUL-terminated when errlen > 0) of the form
 *     object '<id>': <JSON path>: <rule broken>
 * e.g. "object 'indicator--8e2e...': $.modified: is before 'created'";
 * <id> is "(no id)" when the object has no usable id. VG_ENOMEM possible. */
int vg_stix_validate(const cJSON *obj, struct vg_stix_info *info, char *err,
		     size_t errlen);

/* Validate the envelope of a bundle [8]: bundle is the bundle object
 * itself, or (from a stream) its members other than "objects". It needs
 * "type": "bundle" and an "id" that is "bundle--" and a UUID; "objects",
 * when present, is a list. A "spec_version" (STIX 2.0 bundles have one) is
 * not checked. VG_OK, or VG_EINVAL with one message in err of the form
 *     bundle '<id>': <JSON path>: <rule> [8]
 * (<id> "(no id)" unless the id is well-formed). */
int vg_stix_validate_bundle(const cJSON *bundle, char *err, size_t errlen);

#endif
