/* vigil's version, reported by `vigil --version` and the server. */
#include "vigil/util/version.h"

const char *vg_version(void)
{
	return "0.1.0";
}
