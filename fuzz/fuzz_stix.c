/* libFuzzer target for the STIX core: any bytes parsed as JSON, then
 * validated; SCO ids and canonical JSON computed on whatever parsed. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vigil/util/buf.h"
#include "vigil/util/error.h"
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
	struct vg_buf b;
	vg_buf_init(&b, 1 << 20);
	vg_jcs(v, &b);
	vg_buf_release(&b);
	cJSON_Delete(v);
	return 0;
}
