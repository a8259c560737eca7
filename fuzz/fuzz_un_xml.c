/* libFuzzer target: the UN consolidated list parser (XML). */
#include <stddef.h>
#include <stdint.h>

#include "vigil/watchlist/watchlist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_watchlist wl;
	char err[256];
	if (!vg_wl_parse_un((const char *)data, size, &wl, err, sizeof(err)))
		vg_watchlist_release(&wl);
	return 0;
}
