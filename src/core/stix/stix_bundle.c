/* The bundle envelope [8]: a bundle is not a STIX object, so it has its
 * own few rules and messages that name it as a bundle. */
#include "vigil/util/error.h"
#include "vigil/stix/stix.h"

#include <stdio.h>
#include <string.h>

static int fail(const char *id, const char *path, const char *rule, char *err,
                size_t errlen)
{
	if (err && errlen)
		snprintf(err, errlen, "bundle '%s': %s: %s [8]",
		         id ? id : "(no id)", path, rule);
	return VG_EINVAL;
}

int vg_stix_validate_bundle(const cJSON *b, char *err, size_t errlen)
{
	if (!cJSON_IsObject(b))
		return fail(NULL, "$", "must be a JSON object", err, errlen);
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(b, "type");
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(b, "id");
	const cJSON *objects = cJSON_GetObjectItemCaseSensitive(b, "objects");
	/* Only a well-formed id is echoed, as for objects. */
	const char *shown =
	    cJSON_IsString(id) && vg_stix_id_valid(id->valuestring, NULL)
	        ? id->valuestring
	        : NULL;
	if (!type)
		return fail(shown, "$.type", "is required", err, errlen);
	if (!cJSON_IsString(type) || strcmp(type->valuestring, "bundle") != 0)
		return fail(shown, "$.type", "must be 'bundle'", err, errlen);
	if (!id)
		return fail(NULL, "$.id", "is required", err, errlen);
	if (!shown || !vg_stix_id_valid(shown, "bundle"))
		return fail(shown, "$.id",
		            "must be 'bundle--' followed by a UUID", err,
		            errlen);
	if (objects && !cJSON_IsArray(objects))
		return fail(shown, "$.objects",
		            "must be a list of STIX objects", err, errlen);
	return VG_OK;
}
