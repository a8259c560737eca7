/* vigil user: add, list and disable users. */
#include "cli.h"
#include "vigil/access/access.h"
#include "vigil/util/error.h"
#include "vigil/service/admin.h"

#include <getopt.h>
#include <string.h>

static const char help[] =
	"usage: vigil [--data DIR] user add NAME --org ORG --role ROLE\n"
	"                                   [--clearance LEVEL]\n"
	"       vigil [--data DIR] user list [--json]\n"
	"       vigil [--data DIR] user disable NAME\n\n"
	"Roles: reader (read), analyst (read, write), org-admin, hub-admin,\n"
	"auditor (the audit log only). Roles grant actions, never content: what\n"
	"a user reads is decided by the sharing rules. The clearance is one of\n"
	"the hub's classification levels (default: the lowest).\n";

static int print_user(void *ud, const struct vg_user *u)
{
	int *json = ud;
	if (*json > 0) {
		printf("%s{\"id\":%lld,\"name\":", *json > 1 ? "," : "",
		       (long long)u->id);
		vg_cli_json_str(u->name);
		printf(",\"org\":");
		vg_cli_json_str(u->org_name);
		printf(",\"role\":\"%s\",\"clearance\":%d,\"disabled\":%s}",
		       vg_role_name((enum vg_role)u->role), u->clearance,
		       u->disabled ? "true" : "false");
		*json = 2;
	} else {
		printf("%-4lld %-20s %-20s %-10s clearance %d%s\n",
		       (long long)u->id, u->name, u->org_name,
		       vg_role_name((enum vg_role)u->role), u->clearance,
		       u->disabled ? "  (disabled)" : "");
	}
	return 0;
}

int vg_cmd_user(struct vg_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"org", required_argument, NULL, 'o'},
		{"role", required_argument, NULL, 'r'},
		{"clearance", required_argument, NULL, 'c'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	const char *org = NULL, *role = NULL, *clearance = NULL;
	int json = 0, c, rc;
	char err[512] = "";
	if (vg_cli_help(argc, argv, help, &rc))
		return rc;
	const char *verb = argv[1];
	optind = 2;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'o': org = optarg; break;
		case 'r': role = optarg; break;
		case 'c': clearance = optarg; break;
		case 'j': json = 1; break;
		default: return vg_cli_bad_option("user", argv);
		}
	}
	int nargs = argc - optind;
	int add = !strcmp(verb, "add"), list = !strcmp(verb, "list"),
	    dis = !strcmp(verb, "disable");
	if (add && (nargs != 1 || !org || !role))
		return vg_cli_usage("user", "add needs NAME, --org and --role");
	if ((dis && nargs != 1) || (list && nargs) || !(add || list || dis))
		return vg_cli_usage("user", "expected add, list or disable");
	struct vg_service *svc;
	struct vg_ctx ctx;
	if ((rc = vg_cli_open(cli, &svc, &ctx)))
		return rc;
	if (add) {
		rc = vg_user_add(&ctx, argv[optind], org, role, clearance, err,
				 sizeof(err));
		if (!rc)
			printf("added user '%s' (%s) to '%s'\n", argv[optind],
			       role, org);
	} else if (dis) {
		rc = vg_user_disable(&ctx, argv[optind], err, sizeof(err));
		if (!rc)
			printf("disabled user '%s'; their keys no longer "
			       "authenticate\n", argv[optind]);
	} else {
		if (json)
			fputs("{\"users\":[", stdout);
		rc = vg_user_list(&ctx, print_user, &json);
		if (json)
			puts("]}");
	}
	return vg_cli_done(svc, &ctx, rc, err);
}
