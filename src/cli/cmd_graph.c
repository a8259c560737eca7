/* vigil graph: link analysis under the reader's rights, as JSON the web
 * console draws: the objects around one, a shortest path, groups. */
#include "warn_cli.h"
#include "vigil/service/warn.h"
#include "vigil/util/error.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: vigil [--data DIR] graph neighbours ID [--depth 1-4] [--max N]\n"
    "       vigil [--data DIR] graph path FROM TO [--depth 1-8]\n"
    "       vigil [--data DIR] graph groups (--type TYPE... | ID) [--depth "
    "1-4]\n"
    "                                       [--max N]\n"
    "  each with --as USER (what that user may see) and --compact\n\n"
    "Edges are relationships (labelled with their type), sightings,\n"
    "references between objects and shared keys (an address, a domain, a\n"
    "hash...; excluded keys and keys over the budget are none). Only\n"
    "objects the reader may read are nodes or ways through. Prints\n"
    "{\"nodes\":[{id,type,label,depth}],\"edges\":[{source,target,kind,label,\n"
    "via}]} (groups: {\"groups\":[{size,nodes}]}). Audited.\n";

int vg_cmd_graph(struct vg_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"depth", required_argument, NULL, 'd'},
	    {"max", required_argument, NULL, 'm'},
	    {"type", required_argument, NULL, 't'},
	    {"as", required_argument, NULL, 'a'},
	    {"compact", no_argument, NULL, 'c'},
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {0},
	};
	const char *as = NULL, *types[16];
	size_t n_types = 0;
	long long depth = 0, max = 200;
	int compact = 0, c, rc;
	if (vg_cli_help(argc, argv, help, &rc))
		return rc;
	const char *verb = argv[1];
	optind = 2;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		char *end = NULL;
		if (c == 'd')
			depth = strtoll(optarg, &end, 10);
		else if (c == 'm')
			max = strtoll(optarg, &end, 10);
		else if (c == 't' && n_types < 16)
			types[n_types++] = optarg;
		else if (c == 'a')
			as = optarg;
		else if (c == 'c')
			compact = 1;
		else if (c != 'j')
			return vg_cli_usage("graph", "unknown option");
		if (end && (*end || depth < 0 || max < 1 || max > 5000))
			return vg_cli_usage("graph",
			                    "--depth and --max are whole "
			                    "numbers (--max 1 to 5000)");
	}
	int n = argc - optind;
	int nb = (!strcmp(verb, "neighbours") || !strcmp(verb, "neighbors")) &&
	         n == 1;
	int path = !strcmp(verb, "path") && n == 2;
	int groups = !strcmp(verb, "groups") &&
	             ((n == 0 && n_types) || (n == 1 && !n_types));
	if (!nb && !path && !groups)
		return vg_cli_usage("graph",
		                    "expected 'neighbours ID', 'path FROM TO' "
		                    "or 'groups (--type TYPE | ID)'");
	struct vg_service *svc;
	struct vg_ctx ctx;
	if ((rc = vg__cli_open_as(cli, as, &svc, &ctx)))
		return rc;
	struct vg_buf b;
	char err[300] = "";
	vg_buf_init(&b, 0);
	if (nb)
		rc = vg_graph_neighbours(&ctx, argv[optind],
		                         depth ? (int)depth : 2, (size_t)max,
		                         &b);
	else if (path)
		rc = vg_graph_path(&ctx, argv[optind], argv[optind + 1],
		                   depth ? (int)depth : 6, &b);
	else
		rc = vg_graph_groups(&ctx, types, n_types,
		                     n ? argv[optind] : NULL,
		                     depth ? (int)depth : 2, (size_t)max, &b);
	if (rc == VG_ENOTFOUND)
		snprintf(err, sizeof(err),
		         path ? "no path between them that you may "
		                "see"
		              : "no object '%s'",
		         argv[optind]);
	if (rc == VG_EINVAL)
		snprintf(err, sizeof(err), "--depth is out of range");
	if (!rc)
		vg__cli_print_json(b.data, compact);
	vg_buf_release(&b);
	if (rc == VG_ENOTFOUND) {
		vg_cli_done(svc, &ctx, 0, NULL);
		fprintf(stderr, "vigil: %s\n", err);
		return VG_EXIT_PARTIAL;
	}
	return vg_cli_done(svc, &ctx, rc, err);
}
