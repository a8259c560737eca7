/* STIX 2.0 to 2.1: the explicit up-conversion of one object, by the rules
 * of docs/validation.md ("STIX 2.0 on import"), for any front to call
 * before vg_stix_validate. Pure: no I/O, no clock, no randomness (the ids
 * it makes are derived from the input, so converting twice gives the same
 * objects and a second import finds duplicates). */
#ifndef VIGIL_STIX_CONVERT_H
#define VIGIL_STIX_CONVERT_H

#include <stddef.h>
#include <cjson/cJSON.h>

/* What vg_stix_convert_20 did to one object. */
struct vg_stix_conversion {
	int converted; /* 1: the object was STIX 2.0 and is now 2.1 */
	size_t scos;   /* SCOs made from an observed-data container */
	/* the changes, "; "-separated, e.g. "spec_version '2.1' added;
	 * labels moved to 'malware_types'; 'is_family': true added" */
	char note[400];
};

/* 1 when obj is a STIX 2.0 object: a JSON object with a "type" that is
 * not "bundle" nor one of the 2.1 SCO types (2.0 had no top-level SCOs),
 * and with no "spec_version" or the string "2.0". */
int vg_stix_is_20(const cJSON *obj);

/* Up-convert obj in place when vg_stix_is_20(obj); else change nothing
 * and report converted = 0. The SCOs made from an observed-data's
 * container are appended to scos (a cJSON array the caller owns; may be
 * NULL only when obj is not an observed-data with "objects"). The result
 * is not validated: call vg_stix_validate on obj and on each new SCO.
 * VG_OK with *report set; VG_EINVAL when the container cannot be turned
 * into SCOs (a reference to a key that is not in it, references that form
 * a cycle through ID-contributing properties), with a message in err of
 * the form "object '<id>': <JSON path>: <rule> [2.13]" and obj left as
 * it was; VG_ENOMEM (obj may then be partly converted: reject it). */
int vg_stix_convert_20(cJSON *obj, cJSON *scos,
                       struct vg_stix_conversion *report, char *err,
                       size_t errlen);

#endif
