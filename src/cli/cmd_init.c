/* vigil init: create the store and the hub (its first organisation, the
 * hub admin and the admin's API key, shown once). */
#include "cli.h"
#include "vigil/util/error.h"
#include "vigil/service/admin.h"

#include <ctype.h>
#include <getopt.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
	"usage: vigil [--data DIR] init [--org NAME] [--admin NAME]\n"
	"                               [--hub-name NAME] [--levels L1,L2,...]\n"
	"                               [--signing-key PATH] [--json]\n\n"
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
	"  --signing-key PATH  write the audit signing key there (a new file,\n"
	"                   mode 0600) instead of DIR/hub-signing.key, and\n"
	"                   record it as signing_key in DIR/vigil.conf\n"
	"  --json           machine-readable output, with the key\n";

/* Append "signing_key = PATH" to the settings file (made if missing). */
static int record_key(const char *conf, const char *path)
{
	FILE *f = fopen(conf, "a");
	if (!f)
		return -1;
	int bad = fprintf(f, "# the audit signing key, kept outside the data "
			     "directory (vigil init)\nsigning_key = %s\n",
			  path) < 0;
	bad |= fflush(f) != 0 || fsync(fileno(f)) != 0;
	bad |= fclose(f) != 0;
	return bad ? -1 : 0;
}

int vg_cmd_init(struct vg_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"org", required_argument, NULL, 'o'},
		{"admin", required_argument, NULL, 'a'},
		{"hub-name", required_argument, NULL, 'n'},
		{"levels", required_argument, NULL, 'l'},
		{"signing-key", required_argument, NULL, 'k'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	struct vg_hub_init in = {.key_dir = cli->key_dir};
	const char *key_path = NULL;
	char abs[4096], conf[4200];
	int json = 0, c, exit = VG_EXIT_OK;
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
		case 'k': key_path = optarg; break;
		default: return vg_cli_bad_option("init", argv);
		}
	}
	if (optind != argc)
		return vg_cli_usage("init", "unexpected argument '%s'", argv[optind]);
	snprintf(conf, sizeof(conf), "%s/vigil.conf", vg_cli_home(cli));
	if (key_path) {
		size_t n = strlen(key_path);
		/* it becomes a line of vigil.conf: absolute, no quoting */
		if (!n || strchr(key_path, '\n') || isspace((unsigned char)key_path[0]) ||
		    isspace((unsigned char)key_path[n - 1]))
			return vg_cli_usage("init", "--signing-key '%s' cannot be "
					    "a setting (empty, a newline, or "
					    "spaces at an end)", key_path);
		char cwd[2048] = "";
		if (key_path[0] != '/' && !getcwd(cwd, sizeof(cwd)))
			return vg_cli_fail("cannot tell the current directory");
		int len = snprintf(abs, sizeof(abs), "%s%s%s", cwd,
				   cwd[0] ? "/" : "", key_path);
		if (len < 0 || len >= 500)
			return vg_cli_usage("init", "--signing-key: a path of at "
					    "most 500 characters");
		in.signing_key = abs;
	}
	char key[VG_KEY_TEXT_LEN] = "", msg[600] = "", pk[2 * 32 + 1] = "";
	int err = vg_hub_create(cli->data, &in, vg_cli_login(), key, pk, msg,
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
	/* the key is useless to vigil serve and vigil audit checkpoint
	 * unless they know where it is */
	if (in.signing_key && record_key(conf, in.signing_key)) {
		fprintf(stderr, "vigil: cannot add 'signing_key = %s' to '%s': "
				"add it yourself\n",
			in.signing_key, conf);
		exit = VG_EXIT_PARTIAL;
	}
	if (json) {
		printf("{\"data\":");
		vg_cli_json_str(cli->data);
		printf(",\"created\":true,\"admin\":");
		vg_cli_json_str(in.admin_name ? in.admin_name : "admin");
		printf(",\"key\":\"%s\",\"signing_key\":", key);
		vg_cli_json_str(in.signing_key);
		printf(",\"public_key\":\"%s\"}\n", pk);
	} else {
		printf("created the hub in '%s'\n", cli->data);
		if (in.signing_key)
			printf("audit signing key: %s (set as signing_key in "
			       "'%s')\n", in.signing_key, conf);
		printf("audit public key (keep a copy off the hub): %s\n"
		       "hub admin '%s', API key (shown once, keep it safe):\n%s\n",
		       pk, in.admin_name ? in.admin_name : "admin", key);
	}
	sodium_memzero(key, sizeof(key));
	return exit;
}
