/* TLP marking definitions: the standard ids of TLP 1.0 [7.2.1.4] and TLP
 * 2.0 (oasis-open/cti-stix-common-objects), and the check that a marking
 * with one of those ids says the level its id stands for. */
#include "vigil/util/error.h"
#include "vigil/stix/stix.h"

#include "stix_internal.h"

#include <string.h>
#include <strings.h>

#define MD "marking-definition--"

struct tlp_id {
	const char *id;
	enum vg_tlp tlp;
	int v2;            /* 1: TLP 2.0, 0: TLP 1.0 */
	const char *value; /* definition.tlp (1.0) or tlp_2_0 (2.0) */
};

static const struct tlp_id tlp_ids[] = {
    {MD "613f2e26-407d-48c7-9eca-b8e91df99dc9", VG_TLP_CLEAR, 0, "white"},
    {MD "34098fce-860f-48ae-8e50-ebd3cc5e41da", VG_TLP_GREEN, 0, "green"},
    {MD "f88d31f6-486f-44da-b317-01333bde0b82", VG_TLP_AMBER, 0, "amber"},
    {MD "5e57c739-391a-4eb3-b6be-7d15ca92d5ed", VG_TLP_RED, 0, "red"},
    {MD "94868c89-83c2-464b-929b-a1a8aa3c8487", VG_TLP_CLEAR, 1, "clear"},
    {MD "bab4a63c-aed9-4cf5-a766-dfca5abac2bb", VG_TLP_GREEN, 1, "green"},
    {MD "55d920b0-5e8b-4f79-9ee9-91f868d9b421", VG_TLP_AMBER, 1, "amber"},
    {MD "939a9414-2ddd-4d32-a0cd-375ea402b003", VG_TLP_AMBER_STRICT, 1,
     "amber+strict"},
    {MD "e828b379-4e03-4974-9ac4-e53a884c97c1", VG_TLP_RED, 1, "red"},
};

#define N_TLP (sizeof(tlp_ids) / sizeof(tlp_ids[0]))

static const struct tlp_id *tlp_find(const char *id)
{
	/* Every object's markings pass through here: reject on the prefix
	 * and the first UUID byte before any full comparison. */
	if (!id || strncmp(id, MD, sizeof(MD) - 1) != 0)
		return NULL;
	const char *u = id + sizeof(MD) - 1;
	for (size_t i = 0; i < N_TLP; i++) {
		const char *t = tlp_ids[i].id + sizeof(MD) - 1;
		/* The table is lowercase; '|0x20' folds A-F only. */
		if ((u[0] | 0x20) == t[0] && strcasecmp(u, t) == 0)
			return &tlp_ids[i];
	}
	return NULL;
}

enum vg_tlp vg_tlp_of_marking(const char *marking_id)
{
	const struct tlp_id *t = tlp_find(marking_id);
	return t ? t->tlp : VG_TLP_NONE;
}

const char *vg_tlp_name(enum vg_tlp tlp)
{
	switch (tlp) {
	case VG_TLP_CLEAR:
		return "clear";
	case VG_TLP_GREEN:
		return "green";
	case VG_TLP_AMBER:
		return "amber";
	case VG_TLP_AMBER_STRICT:
		return "amber+strict";
	case VG_TLP_RED:
		return "red";
	case VG_TLP_NONE:
		break;
	}
	return "none";
}

static const struct tlp_id *tlp_by_value(int v2, const char *value)
{
	for (size_t i = 0; i < N_TLP; i++)
		if (tlp_ids[i].v2 == v2 && strcmp(tlp_ids[i].value, value) == 0)
			return &tlp_ids[i];
	return NULL;
}

/* TLP 1.0: definition_type "tlp" with definition.tlp. Only the four
 * standard ids may carry it [7.2.1.4], and each its own level. */
static int check_v1(struct vg__vctx *c, const struct tlp_id *byid)
{
	const cJSON *dt = c->prop[VG__P_DEFINITION_TYPE];
	const cJSON *def = c->prop[VG__P_DEFINITION];
	int is_tlp = cJSON_IsString(dt) && strcmp(dt->valuestring, "tlp") == 0;

	if (byid && byid->v2) {
		if (is_tlp)
			return vg__failk(c, "definition_type",
			                 "must not be 'tlp' for a TLP 2.0 "
			                 "marking id");
		byid = NULL;
	}
	if (byid && !is_tlp)
		return vg__failk(c, "definition_type",
		                 "must be 'tlp' for a TLP 1.0 marking id");
	if (!is_tlp)
		return VG_OK;
	/* definition is an object here: the marking-definition rules ran. */
	const struct vg__path pd = {NULL, "definition", 0};
	const struct vg__path pt = {&pd, "tlp", 0};
	const cJSON *lvl = cJSON_GetObjectItemCaseSensitive(def, "tlp");
	const struct tlp_id *byval =
	    cJSON_IsString(lvl) ? tlp_by_value(0, lvl->valuestring) : NULL;
	if (!lvl)
		return vg__fail(c, &pt, "is required");
	if (!byval)
		return vg__fail(c, &pt,
		                "must be one of white, green, amber, red");
	if (byid && byid != byval)
		return vg__fail(c, &pt,
		                "must be '%s' for this TLP 1.0 marking id",
		                byid->value);
	if (!byid)
		return vg__failk(c, "id",
		                 "must be the standard TLP 1.0 id for '%s' "
		                 "(%s)",
		                 byval->value, byval->id);
	return VG_OK;
}

/* TLP 2.0: the property-extension with tlp_2_0, again only on the five
 * standard ids, each with its own level. */
static int check_v2(struct vg__vctx *c, const struct tlp_id *byid)
{
	const cJSON *ext = cJSON_GetObjectItemCaseSensitive(
	    c->prop[VG__P_EXTENSIONS], VG__TLP2_EXTENSION);

	const struct vg__path pe = {NULL, "extensions", 0};
	const struct vg__path px = {&pe, VG__TLP2_EXTENSION, 0};

	if (byid && !byid->v2) {
		if (ext)
			return vg__fail(c, &px,
			                "must not be used on a TLP 1.0 "
			                "marking id");
		byid = NULL;
	}
	if (byid && !ext)
		return vg__failk(c, "extensions",
		                 "needs '" VG__TLP2_EXTENSION
		                 "' for a TLP 2.0 marking id");
	if (!ext)
		return VG_OK;
	const struct vg__path pt = {&px, "tlp_2_0", 0};
	const cJSON *lvl = cJSON_GetObjectItemCaseSensitive(ext, "tlp_2_0");
	const struct tlp_id *byval =
	    cJSON_IsString(lvl) ? tlp_by_value(1, lvl->valuestring) : NULL;
	if (!lvl)
		return vg__fail(c, &pt, "is required");
	if (!byval)
		return vg__fail(c, &pt,
		                "must be one of clear, green, amber, "
		                "amber+strict, red");
	if (byid && byid != byval)
		return vg__fail(c, &pt,
		                "must be '%s' for this TLP 2.0 marking id",
		                byid->value);
	if (!byid)
		return vg__failk(c, "id",
		                 "must be the standard TLP 2.0 id for '%s' "
		                 "(%s)",
		                 byval->value, byval->id);
	return VG_OK;
}

int vg__tlp_check_marking(struct vg__vctx *c)
{
	const cJSON *id = c->prop[VG__P_ID];
	const struct tlp_id *byid = tlp_find(id->valuestring);
	int rc = check_v1(c, byid);
	return rc ? rc : check_v2(c, byid);
}
