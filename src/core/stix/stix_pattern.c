/* The indicator rule of [4.7] that needs the pattern grammar: a pattern
 * whose pattern_type is "stix" must be a valid STIX pattern [9]. Kept in
 * its own file so the type table (stix_types.c) only calls it. */
#include "vigil/pattern/pattern.h"
#include "vigil/util/error.h"

#include "stix_internal.h"

#include <string.h>

/* Also declared beside check_indicator in stix_types.c. */
int vg__stix_check_pattern(struct vg__vctx *c, const cJSON *pattern);

int vg__stix_check_pattern(struct vg__vctx *c, const cJSON *pattern)
{
	struct vg_pattern *p;
	struct vg_pattern_error e;
	const char *s = pattern->valuestring;
	int rc = vg_pattern_parse(s, strlen(s), &p, &e);
	if (rc == VG_EINVAL)
		return vg__failk(c, "pattern", "%s at column %zu [%s]",
		                 e.reason, e.column, e.section);
	if (rc)
		return rc;
	vg_pattern_free(p);
	return VG_OK;
}
