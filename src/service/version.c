/* vigil's version, reported by `vigil --version` and the server. */
#include "vigil/version.h"

const char *vg_version(void)
{
	return "0.1.0";
}
