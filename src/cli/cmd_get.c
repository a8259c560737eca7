/* vigil get: print one object (its latest version, or every version). */
#include "cli.h"
#include "vigil/service/objects.h"
#include "vigil/util/error.h"

#include <getopt.h>

static const char help[] =
	"usage: vigil [--data DIR] get [--all-versions] ID\n\n"
	"Print the latest version of object ID as JSON, exactly as stored; with\n"
	"--all-versions every stored version, one per line, in the order they\n"
	"were added.\n"
	"Exit status 1 when there is no such object.\n";

static int print_json(void *ud, const char *json, size_t len)
{
	(void)ud;
	fwrite(json, 1, len, stdout);
	putchar('\n');
	return ferror(stdout) ? VG_EIO : VG_OK;
}

int vg_cmd_get(struct vg_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"all-versions", no_argument, NULL, 'A'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	int all = 0, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(help, stdout);
			return VG_EXIT_OK;
		}
		if (c == 'A')
			all = 1;
		else if (c != 'j') /* output is JSON already */
			return vg_cli_bad_option("get", argv);
	}
	if (optind + 1 != argc)
		return vg_cli_usage("get", "give exactly one ID");
	struct vg_service *svc;
	struct vg_ctx ctx;
	int rc = vg_cli_open(cli, &svc, &ctx);
	if (rc)
		return rc;
	size_t n = 0;
	rc = vg_objects_get(&ctx, argv[optind], all, print_json, NULL, &n);
	if (!rc && !n) {
		vg_cli_done(svc, &ctx, 0, NULL);
		fprintf(stderr, "vigil: no object '%s'\n", argv[optind]);
		return VG_EXIT_PARTIAL;
	}
	return vg_cli_done(svc, &ctx, rc, NULL);
}
