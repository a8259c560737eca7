/* Picks the store backend from a location. */
#include "pg_int.h"
#include "vigil/store/store.h"
#include "vigil/util/error.h"

#include <stdio.h>
#include <string.h>

int vg_store_open(const char *location, unsigned flags, struct vg_store **out,
		  char *err, size_t errlen)
{
	char dummy[8];
	if (!err || !errlen) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	err[0] = '\0';
	if (!strncmp(location, "postgres://", 11) ||
	    !strncmp(location, "postgresql://", 13)) {
		int rc = vg_store_pg.open(location, flags, out);
		vg__pg_describe(location, rc, err, errlen);
		return rc;
	}
	if (!strncmp(location, "memory:", 7)) {
		int rc = vg_store_memory.open(location + 7, flags, out);
		if (rc == VG_ENOTFOUND)
			snprintf(err, errlen, "no store '%.300s'", location);
		return rc;
	}
	if (!strncmp(location, "sqlite:", 7))
		location += 7;
	if (!*location) {
		snprintf(err, errlen, "the store location is empty");
		return VG_EINVAL;
	}
	int rc = vg_store_sqlite.open(location, flags, out);
	if (rc == VG_ENOTFOUND)
		snprintf(err, errlen, "no store in '%.300s'", location);
	else if (rc)
		snprintf(err, errlen, "cannot open the store in '%.300s': %s",
			 location, vg_strerror(rc));
	return rc;
}
