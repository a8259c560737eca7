/* Names and messages of vigil's error codes, from VG_ERRNO_MAP. */
#include "vigil/util/error.h"

static const char *const names[] = {
	"VG_OK",
#define X(name, msg) "VG_E" #name,
	VG_ERRNO_MAP(X)
#undef X
};

static const char *const messages[] = {
	"success",
#define X(name, msg) msg,
	VG_ERRNO_MAP(X)
#undef X
};

const char *vg_err_name(int err)
{
	if (err < 0 || err >= VG_E__COUNT)
		return "VG_E?";
	return names[err];
}

const char *vg_strerror(int err)
{
	if (err < 0 || err >= VG_E__COUNT)
		return "unknown error";
	return messages[err];
}
