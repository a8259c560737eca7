/* vigil group: sharing groups of organisations. */
#include "cli.h"
#include "vigil/util/error.h"
#include "vigil/service/admin.h"

#include <string.h>

static const char help[] =
	"usage: vigil [--data DIR] group add NAME\n"
	"       vigil [--data DIR] group member add|remove GROUP ORG\n"
	"       vigil [--data DIR] group list [--json]\n\n"
	"A sharing group is a set of organisations with its own TAXII\n"
	"collection: what is posted there is read by the group's members (and\n"
	"its poster) only.\n";

static int print_group(void *ud, const struct vg_group *g, const char *members)
{
	int *json = ud;
	if (*json > 0) {
		printf("%s{\"id\":%lld,\"name\":", *json > 1 ? "," : "",
		       (long long)g->id);
		vg_cli_json_str(g->name);
		printf(",\"members\":");
		vg_cli_json_str(members);
		putchar('}');
		*json = 2;
	} else {
		printf("%-4lld %-30s %s\n", (long long)g->id, g->name, members);
	}
	return 0;
}

int vg_cmd_group(struct vg_cli *cli, int argc, char **argv)
{
	char err[512] = "";
	int rc;
	if (vg_cli_help(argc, argv, help, &rc))
		return rc;
	int add = !strcmp(argv[1], "add") && argc == 3;
	int member = !strcmp(argv[1], "member") && argc == 5 &&
		     (!strcmp(argv[2], "add") || !strcmp(argv[2], "remove"));
	int list = !strcmp(argv[1], "list") &&
		   (argc == 2 || (argc == 3 && !strcmp(argv[2], "--json")));
	if (!add && !member && !list)
		return vg_cli_usage("group", "expected 'add NAME', 'member "
					     "add|remove GROUP ORG' or 'list'");
	struct vg_service *svc;
	struct vg_ctx ctx;
	if ((rc = vg_cli_open(cli, &svc, &ctx)))
		return rc;
	if (add) {
		rc = vg_group_add(&ctx, argv[2], err, sizeof(err));
		if (!rc)
			printf("added sharing group '%s'\n", argv[2]);
	} else if (member) {
		int in = !strcmp(argv[2], "add");
		rc = vg_group_member(&ctx, argv[3], argv[4], in, err, sizeof(err));
		if (!rc)
			printf("%s '%s' %s '%s'\n", in ? "added" : "removed",
			       argv[4], in ? "to" : "from", argv[3]);
	} else {
		int json = argc == 3;
		if (json)
			fputs("{\"groups\":[", stdout);
		rc = vg_group_list(&ctx, print_group, &json);
		if (json)
			puts("]}");
	}
	return vg_cli_done(svc, &ctx, rc, err);
}
