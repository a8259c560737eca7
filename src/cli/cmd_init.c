/* vigil init: create the store and the hub (its first organisation, the
 * hub admin and the admin's API key, shown once). */
#include "cli.h"
#include "vigil/util/error.h"
#include "vigil/service/admin.h"

#include <getopt.h>
#include <sodium.h>
#include <string.h>

static const char help[] =
	"usage: vigil [--data DIR] init [--org NAME] [--admin NAME]\n"
	"                               [--hub-name NAME] [--levels L1,L2,...]\n"
	"                               [--json]\n\n"
	"Create the store in DIR (default ./vigil-data) and the hub in it: its\n"
	"first organisation, the community, connected and all collections, the\n"
	"organisation's private collection, the hub's audit signing key and the\n"
	"hub admin, whose API key is printed once. On an existing hub it\n"
	"changes nothing.\n\n"
	"  --org NAME       the first organisation (default \"hub\")\n"
	"  --admin NAME     the hub admin's user name (default \"admin\")\n"
	"  --hub-name NAME  the hub's title in TAXII discovery\n"
	"  --levels LIST    classification levels, lowest first (default\n"
	"                   UNCLASSIFIED,RESTRICTED,CONFIDENTIAL,SECRET)\n"
	"  --json           machine-readable output, with the key\n";

int vg_cmd_init(struct vg_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"org", required_argument, NULL, 'o'},
		{"admin", required_argument, NULL, 'a'},
		{"hub-name", required_argument, NULL, 'n'},
		{"levels", required_argument, NULL, 'l'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	struct vg_hub_init in = {0};
	int json = 0, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(help, stdout);
			return VG_EXIT_OK;
		case 'j': json = 1; break;
		case 'o': in.org_name = optarg; break;
		case 'a': in.admin_name = optarg; break;
		case 'n': in.hub_name = optarg; break;
		case 'l': in.levels = optarg; break;
		default: return vg_cli_bad_option("init", argv);
		}
	}
	if (optind != argc)
		return vg_cli_usage("init", "unexpected argument '%s'", argv[optind]);
	char key[VG_KEY_TEXT_LEN] = "", msg[600] = "";
	int err = vg_hub_create(cli->data, &in, vg_cli_login(), key, msg,
				sizeof(msg));
	if (err == VG_EDUPLICATE) {
		if (json) {
			printf("{\"data\":");
			vg_cli_json_str(cli->data);
			printf(",\"created\":false}\n");
		}
		else
			printf("the hub in '%s' exists already\n", cli->data);
		return VG_EXIT_OK;
	}
	if (err == VG_EINVAL)
		return vg_cli_usage("init", "%s", msg);
	if (err)
		return vg_cli_fail("cannot create the hub: %s",
				   msg[0] ? msg : vg_strerror(err));
	if (json) {
		printf("{\"data\":");
		vg_cli_json_str(cli->data);
		printf(",\"created\":true,\"admin\":");
		vg_cli_json_str(in.admin_name ? in.admin_name : "admin");
		printf(",\"key\":\"%s\"}\n", key);
	} else {
		printf("created the hub in '%s'\n"
		       "hub admin '%s', API key (shown once, keep it safe):\n%s\n",
		       cli->data, in.admin_name ? in.admin_name : "admin", key);
	}
	sodium_memzero(key, sizeof(key));
	return VG_EXIT_OK;
}
