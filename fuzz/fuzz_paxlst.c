/* libFuzzer target: the PAXLST parser on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>

#include "vigil/travel/paxlst.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_paxlst px;
	char err[256];
	if (!vg_paxlst_parse((const char *)data, size, &px, err, sizeof(err)))
		vg_paxlst_release(&px);
	return 0;
}
