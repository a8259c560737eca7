/* libFuzzer target: the travel CSV parser (and format detection). */
#include <stddef.h>
#include <stdint.h>

#include "vigil/travel/travel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_travel_list l;
	char err[256];
	(void)vg_travel_detect((const char *)data, size);
	if (!vg_travel_parse_csv((const char *)data, size, &l, err,
	                         sizeof(err)))
		vg_travel_list_release(&l);
	return 0;
}
