/* vigil org: add and list organisations. */
#include "cli.h"
#include "vigil/util/error.h"
#include "vigil/service/admin.h"
#include "vigil/util/timefmt.h"

#include <string.h>

static const char help[] =
	"usage: vigil [--data DIR] org add NAME\n"
	"       vigil [--data DIR] org list [--json]\n\n"
	"Organisations are the agencies of the hub. Adding one also creates its\n"
	"STIX identity object and its private TAXII collection.\n";

static int print_org(void *ud, const struct vg_org *o)
{
	int *json = ud;
	char t[VG_TIME_LEN];
	vg_time_format_us(o->created, t);
	if (*json > 0) {
		printf("%s{\"id\":%lld,\"name\":", *json > 1 ? "," : "",
		       (long long)o->id);
		vg_cli_json_str(o->name);
		printf(",\"identity\":");
		vg_cli_json_str(o->identity);
		printf(",\"created\":\"%s\"}", t);
		*json = 2;
	} else {
		printf("%-4lld %-30s %s %s\n", (long long)o->id, o->name,
		       o->identity, t);
	}
	return 0;
}

int vg_cmd_org(struct vg_cli *cli, int argc, char **argv)
{
	struct vg_service *svc;
	struct vg_ctx ctx;
	char err[512] = "";
	int rc;
	if (vg_cli_help(argc, argv, help, &rc))
		return rc;
	int add = !strcmp(argv[1], "add"), list = !strcmp(argv[1], "list");
	int json = list && argc == 3 && !strcmp(argv[2], "--json");
	if (!(add && argc == 3) && !(list && (argc == 2 || json)))
		return vg_cli_usage("org", "expected 'add NAME' or 'list [--json]'");
	if ((rc = vg_cli_open(cli, &svc, &ctx)))
		return rc;
	if (add) {
		rc = vg_org_add(&ctx, argv[2], err, sizeof(err));
		if (!rc)
			printf("added organisation '%s'\n", argv[2]);
	} else {
		if (json)
			fputs("{\"orgs\":[", stdout);
		rc = vg_org_list(&ctx, print_org, &json);
		if (json)
			puts("]}");
	}
	return vg_cli_done(svc, &ctx, rc, err);
}
