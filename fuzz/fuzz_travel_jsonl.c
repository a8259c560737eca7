/* libFuzzer target: the travel JSON-lines parser. */
#include <stddef.h>
#include <stdint.h>

#include "vigil/travel/travel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_travel_list l;
	char err[256];
	if (!vg_travel_parse_jsonl((const char *)data, size, &l, err,
	                           sizeof(err)))
		vg_travel_list_release(&l);
	return 0;
}
