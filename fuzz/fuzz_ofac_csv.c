/* libFuzzer target: the OFAC list parser. The input is split into the
 * four files at the first three form feeds (sdn, alt, add, comments), so
 * the fuzzer reaches the joins between files and the Remarks reader. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vigil/watchlist/watchlist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	const char *part[4] = {NULL, NULL, NULL, NULL};
	size_t len[4] = {0, 0, 0, 0};
	for (int i = 0; i < 4 && p <= end; i++) {
		const char *ff =
		    i < 3 ? memchr(p, '\f', (size_t)(end - p)) : NULL;
		const char *e = ff ? ff : end;
		part[i] = p;
		len[i] = (size_t)(e - p);
		if (!ff)
			break;
		p = ff + 1;
	}
	struct vg_ofac_input in = {part[0], len[0], part[1], len[1],
	                           part[2], len[2], part[3], len[3]};
	struct vg_watchlist wl;
	char err[256];
	if (!vg_wl_parse_ofac(&in, &wl, err, sizeof(err)))
		vg_watchlist_release(&wl);
	return 0;
}
