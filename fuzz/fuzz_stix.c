/* libFuzzer target for the STIX core: any bytes parsed as JSON, then
 * validated (as an object and as a bundle envelope); SCO ids and canonical
 * JSON computed on whatever parsed; STIX 2.0 converted and the result and
 * its SCOs validated. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vigil/util/buf.h"
#include "vigil/util/error.h"
#include "vigil/stix/convert.h"
#include "vigil/stix/stix.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON *v = cJSON_ParseWithLength((const char *)data, size);
	if (!v)
		return 0;
	struct vg_stix_info info;
	char err[256], id[300];
	if (vg_stix_validate(v, &info, err, sizeof(err)) == VG_OK) {
		/* The promises of the contract on success. */
		if (info.version[0] &&
		    strlen(info.version) != VG_TS_KEY_LEN - 1)
			__builtin_trap();
	} else if (!memchr(err, '\0', sizeof(err))) {
		__builtin_trap();
	}
	vg_stix_sco_id(v, id, sizeof(id));
	if (vg_stix_validate_bundle(v, err, sizeof(err)) != VG_OK &&
	    !memchr(err, '\0', sizeof(err)))
		__builtin_trap();
	cJSON *scos = cJSON_CreateArray();
	struct vg_stix_conversion conv;
	if (scos &&
	    vg_stix_convert_20(v, scos, &conv, err, sizeof(err)) == VG_OK) {
		if (!memchr(conv.note, '\0', sizeof(conv.note)))
			__builtin_trap();
		vg_stix_validate(v, &info, err, sizeof(err));
		for (cJSON *o = scos->child; o; o = o->next)
			vg_stix_validate(o, &info, err, sizeof(err));
	}
	cJSON_Delete(scos);
	struct vg_buf b;
	vg_buf_init(&b, 1 << 20);
	vg_jcs(v, &b);
	vg_buf_release(&b);
	cJSON_Delete(v);
	return 0;
}
