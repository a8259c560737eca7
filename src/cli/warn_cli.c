/* Helpers of the early-warning commands (warn_cli.h). */
#include "warn_cli.h"
#include "vigil/service/warn.h"
#include "vigil/util/error.h"

#include <stdlib.h>

int vg__cli_open_as(struct vg_cli *cli, const char *as, struct vg_service **svc,
                    struct vg_ctx *ctx)
{
	int rc = vg_cli_open(cli, svc, ctx);
	char err[200] = "";
	if (rc || !as)
		return rc;
	if ((rc = vg_warn_ctx_as(ctx, as, err, sizeof(err)))) {
		vg_cli_done(*svc, ctx, 0, NULL);
		return vg_cli_fail("%s", err[0] ? err : vg_strerror(rc));
	}
	return VG_EXIT_OK;
}

void vg__cli_print_json(const char *json, int compact)
{
	cJSON *j = compact ? NULL : cJSON_Parse(json);
	char *s = j ? cJSON_Print(j) : NULL;
	puts(s ? s : json);
	cJSON_free(s);
	cJSON_Delete(j);
}

const char *vg__cli_str(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : "";
}

long long vg__cli_num(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsNumber(v) ? (long long)v->valuedouble : 0;
}
