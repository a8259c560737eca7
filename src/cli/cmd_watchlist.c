/* vigil watchlist: import the UN and OFAC lists, list what is stored. */
#include "cli.h"
#include "vigil/util/error.h"
#include "vigil/service/screening.h"

#include <getopt.h>
#include <string.h>

static const char help[] =
	"usage: vigil [--data DIR] watchlist import --format un FILE\n"
	"                                  [--list NAME] [--collection C] [--json]\n"
	"       vigil [--data DIR] watchlist import --format ofac DIR|FILE ...\n"
	"       vigil [--data DIR] watchlist list [--json]\n\n"
	"Watchlist entries are STIX identity objects with vigil's watchlist\n"
	"extension, stored, versioned and shared like everything else. A newer\n"
	"list makes new versions of changed entries and revokes entries no\n"
	"longer listed.\n\n"
	"  --format un|ofac  the UN Security Council consolidated list (XML),\n"
	"                    or the OFAC SDN list (a directory with sdn.csv,\n"
	"                    alt.csv, add.csv and sdn_comments.csv, or one\n"
	"                    of those files)\n"
	"  --list NAME       the list's name in vigil (default: the format)\n"
	"  --collection C    where the entries go (default \"community\")\n";

static int print_list(void *ud, const struct vg_wl_summary *s)
{
	int *json = ud;
	if (*json > 0) {
		printf("%s{\"list\":", *json > 1 ? "," : "");
		vg_cli_json_str(s->list);
		printf(",\"entries\":%zu,\"individuals\":%zu,\"entities\":%zu,"
		       "\"others\":%zu,\"revoked\":%zu,\"updated\":",
		       s->entries, s->individuals, s->entities, s->others,
		       s->revoked);
		vg_cli_json_str(s->updated);
		putchar('}');
		*json = 2;
	} else {
		printf("%-12s %8zu %11zu %9zu %7zu %8zu  %s\n", s->list, s->entries,
		       s->individuals, s->entities, s->others, s->revoked,
		       s->updated);
	}
	return 0;
}

int vg_cmd_watchlist(struct vg_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"list", required_argument, NULL, 'l'},
		{"collection", required_argument, NULL, 'c'},
		{"json", no_argument, NULL, 'j'},
		{0},
	};
	const char *format = NULL, *list = NULL, *collection = NULL;
	int json = 0, c, rc;
	char err[600] = "";
	if (vg_cli_help(argc, argv, help, &rc))
		return rc;
	const char *verb = argv[1];
	optind = 2;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		case 'l': list = optarg; break;
		case 'c': collection = optarg; break;
		case 'j': json = 1; break;
		default: return vg_cli_bad_option("watchlist", argv);
		}
	}
	int import = !strcmp(verb, "import"), show = !strcmp(verb, "list");
	if (import && (!format || argc - optind != 1))
		return vg_cli_usage("watchlist", "import needs --format and one "
						 "FILE or DIR");
	if (!import && !(show && optind == argc))
		return vg_cli_usage("watchlist", "expected import or list");
	if (list && (strlen(list) > 30 || strspn(list, "abcdefghijklmnopqrstuvwxyz"
						   "0123456789-_") != strlen(list)))
		return vg_cli_usage("watchlist", "--list takes 1-30 of a-z 0-9 - _");
	struct vg_service *svc;
	struct vg_ctx ctx;
	if ((rc = vg_cli_open(cli, &svc, &ctx)))
		return rc;
	if (import) {
		struct vg_wl_import_result r;
		rc = vg_watchlist_import(&ctx, format, argv[optind], list,
					 collection, &r, err, sizeof(err));
		if (!rc && json)
			printf("{\"list\":\"%s\",\"entries\":%zu,\"individuals\":%zu,"
			       "\"entities\":%zu,\"others\":%zu,\"added\":%zu,"
			       "\"updated\":%zu,\"unchanged\":%zu,\"revoked\":%zu,"
			       "\"kept_revoked\":%zu}\n",
			       list ? list : format, r.entries, r.individuals,
			       r.entities, r.others, r.added, r.updated, r.unchanged,
			       r.revoked, r.kept_revoked);
		else if (!rc)
			printf("%s: %zu entries (%zu individuals, %zu entities, %zu "
			       "other): added %zu, updated %zu, unchanged %zu, "
			       "revoked %zu\n",
			       list ? list : format, r.entries, r.individuals,
			       r.entities, r.others, r.added, r.updated, r.unchanged,
			       r.revoked);
	} else {
		if (json)
			fputs("{\"lists\":[", stdout);
		else
			printf("%-12s %8s %11s %9s %7s %8s  %s\n", "list", "entries",
			       "individuals", "entities", "other", "revoked",
			       "updated");
		rc = vg_watchlist_lists(&ctx, print_list, &json);
		if (json)
			puts("]}");
	}
	return vg_cli_done(svc, &ctx, rc, err);
}
