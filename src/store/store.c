/* Picks the store backend for a location. */
#include "vigil/store/store.h"

int vg_store_open(const char *location, int create, struct vg_store **out)
{
	return vg_store_sqlite.open(location, create, out);
}
