/* vigil key: issue, list and revoke API keys. */
#include "cli.h"
#include "vigil/util/error.h"
#include "vigil/service/admin.h"
#include "vigil/util/timefmt.h"

#include <getopt.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"usage: vigil [--data DIR] key new --user NAME [--expires DAYS] [--json]\n"
	"       vigil [--data DIR] key list [--json]\n"
	"       vigil [--data DIR] key revoke ID\n\n"
	"Keys are 256-bit random secrets, shown once and stored hashed. Clients\n"
	"send them as 'Authorization: Bearer KEY', or with HTTP Basic as\n"
	"USER:KEY. ID is the public part shown by 'key list'.\n";

static int print_key(void *ud, const struct vg_key *k)
{
	int *json = ud;
	char created[VG_TIME_LEN], expires[VG_TIME_LEN] = "never";
	vg_time_format_us(k->created, created);
	if (k->expires)
		vg_time_format_us(k->expires, expires);
	if (*json > 0) {
		printf("%s{\"id\":", *json > 1 ? "," : "");
		vg_cli_json_str(k->id);
		printf(",\"user\":");
		vg_cli_json_str(k->user_name);
		printf(",\"created\":\"%s\",\"expires\":%s%s%s,\"revoked\":%s}",
		       created, k->expires ? "\"" : "",
		       k->expires ? expires : "null", k->expires ? "\"" : "",
		       k->revoked ? "true" : "false");
		*json = 2;
	} else {
		printf("%s %-20s created %s expires %s%s\n", k->id, k->user_name,
		       created, expires, k->revoked ? "  (revoked)" : "");
	}
	return 0;
}

int vg_cmd_key(struct vg_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"user", required_argument, NULL, 'u'},
		{"expires", required_argument, NULL, 'e'},
		{"json", no_argument, NULL, 'j'},
		{0},
	};
	const char *user = NULL;
	int days = 0, json = 0, c, rc;
	char err[512] = "", key[VG_KEY_TEXT_LEN];
	if (vg_cli_help(argc, argv, help, &rc))
		return rc;
	const char *verb = argv[1];
	optind = 2;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *end;
		switch (c) {
		case 'u': user = optarg; break;
		case 'e':
			days = (int)strtol(optarg, &end, 10);
			if (*end || days < 1 || days > 3650)
				return vg_cli_usage("key", "--expires takes 1 to "
							   "3650 days");
			break;
		case 'j': json = 1; break;
		default: return vg_cli_bad_option("key", argv);
		}
	}
	int nargs = argc - optind;
	int is_new = !strcmp(verb, "new"), list = !strcmp(verb, "list"),
	    revoke = !strcmp(verb, "revoke");
	if ((is_new && (nargs || !user)) || (list && nargs) ||
	    (revoke && nargs != 1) || !(is_new || list || revoke))
		return vg_cli_usage("key", "expected 'new --user NAME', 'list' or "
					   "'revoke ID'");
	struct vg_service *svc;
	struct vg_ctx ctx;
	if ((rc = vg_cli_open(cli, &svc, &ctx)))
		return rc;
	if (is_new) {
		rc = vg_key_new(&ctx, user, days, key, err, sizeof(err));
		if (!rc && json) {
			printf("{\"user\":");
			vg_cli_json_str(user);
			printf(",\"id\":\"%.16s\",\"key\":\"%s\"}\n", key + 4, key);
		}
		else if (!rc)
			printf("API key for '%s' (shown once, keep it safe):\n%s\n",
			       user, key);
		sodium_memzero(key, sizeof(key));
	} else if (revoke) {
		rc = vg_key_revoke(&ctx, argv[optind], err, sizeof(err));
		if (!rc)
			printf("revoked key '%s'\n", argv[optind]);
	} else {
		if (json)
			fputs("{\"keys\":[", stdout);
		rc = vg_key_list(&ctx, print_key, &json);
		if (json)
			puts("]}");
	}
	return vg_cli_done(svc, &ctx, rc, err);
}
