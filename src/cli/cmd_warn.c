/* vigil warn: early warning's settings and the correlation exclusions;
 * the keys over the budget; rebuilding the key index. */
#include "cli.h"
#include "vigil/service/warn.h"
#include "vigil/util/error.h"

#include <cjson/cJSON.h>
#include <string.h>

static const char help[] =
    "usage: vigil [--data DIR] warn settings\n"
    "       vigil [--data DIR] warn set NAME VALUE\n"
    "       vigil [--data DIR] warn exclusions\n"
    "       vigil [--data DIR] warn exclude VALUE\n"
    "       vigil [--data DIR] warn include VALUE\n"
    "       vigil [--data DIR] warn over-budget\n"
    "       vigil [--data DIR] warn reindex\n\n"
    "settings (JSON): index (on|off: correlation keys and watches at\n"
    "ingest), budget (a key on more objects is not expanded; 100),\n"
    "name_threshold (0.70), hits_per_hour (hit / no-hit answers a user\n"
    "gets an hour; 300), k (cross-agency signals need k organisations; 3),\n"
    "retro_max (alerts a new watch raises over stored data; 1000).\n"
    "exclusions: the keys that never correlate (vigil's defaults: private\n"
    "and special addresses, reserved and very common domains, empty-file\n"
    "hashes; and the hub's changes). exclude and include take a value (an\n"
    "address or block, a domain and its subdomains, a URL, an e-mail\n"
    "address, a hash) or a key.\n"
    "over-budget: the keys found on more objects than the budget.\n"
    "reindex: compute the keys of every stored version again (after an\n"
    "upgrade from a store made before early warning).\n";

int vg_cmd_warn(struct vg_cli *cli, int argc, char **argv)
{
	struct vg_service *svc;
	struct vg_ctx ctx;
	char err[300] = "";
	int rc;
	if (vg_cli_help(argc, argv, help, &rc))
		return rc;
	const char *verb = argv[1];
	int one = !strcmp(verb, "exclude") || !strcmp(verb, "include");
	int two = !strcmp(verb, "set");
	int none = !strcmp(verb, "settings") || !strcmp(verb, "exclusions") ||
	           !strcmp(verb, "over-budget") || !strcmp(verb, "reindex");
	if (!(one && argc == 3) && !(two && argc == 4) && !(none && argc == 2))
		return vg_cli_usage("warn",
		                    "expected settings, set NAME VALUE, "
		                    "exclusions, exclude VALUE, include "
		                    "VALUE, over-budget or reindex");
	if ((rc = vg_cli_open(cli, &svc, &ctx)))
		return rc;
	struct vg_buf b;
	vg_buf_init(&b, 0);
	if (!strcmp(verb, "settings"))
		rc = vg_warn_settings(&ctx, &b);
	else if (!strcmp(verb, "exclusions"))
		rc = vg_warn_exclusions(&ctx, &b);
	else if (!strcmp(verb, "over-budget"))
		rc = vg_warn_over_budget(&ctx, &b);
	else if (two)
		rc = vg_warn_set(&ctx, argv[2], argv[3], err, sizeof(err));
	else if (one)
		rc = vg_warn_exclude(&ctx, argv[2], !strcmp(verb, "exclude"),
		                     err, sizeof(err));
	else {
		size_t versions = 0, keys = 0;
		rc = vg_warn_reindex(&ctx, &versions, &keys);
		if (!rc)
			printf("reindexed %zu versions: %zu keys\n", versions,
			       keys);
	}
	if (!rc && b.data)
		puts(b.data);
	else if (!rc && (one || two))
		printf("%s %s%s%s\n", verb, argv[2], two ? " = " : "",
		       two ? argv[3] : "");
	vg_buf_release(&b);
	return vg_cli_done(svc, &ctx, rc, err);
}
