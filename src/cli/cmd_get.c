/* vigil get: print one object (its latest version, or every version). */
#include "cli.h"
#include "vigil/util/error.h"

#include <getopt.h>

static const char help[] =
	"usage: vigil [--data DIR] get [--all-versions] ID\n\n"
	"Print the latest version of object ID as JSON, exactly as stored; with\n"
	"--all-versions every stored version, one per line, in the order they\n"
	"were added.\n"
	"Exit status 1 when there is no such object.\n";

static int print_row(void *ud, const struct vg_row *r)
{
	size_t *n = ud;
	(*n)++;
	fwrite(r->json, 1, r->json_len, stdout);
	putchar('\n');
	return VG_OK;
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
			return vg_cli_usage("get", "unknown option");
	}
	if (optind + 1 != argc)
		return vg_cli_usage("get", "give exactly one ID");
	struct vg_store *s;
	int rc = vg_cli_open_store(cli, 0, &s);
	if (rc)
		return rc;
	size_t n = 0;
	const char *id = argv[optind];
	struct vg_query q = {
		.ids = &id,
		.n_ids = 1,
		.versions = all ? VG_VERSIONS_ALL : VG_VERSIONS_LAST,
	};
	rc = s->ops->scan(s, &q, print_row, &n);
	if (rc)
		rc = vg_cli_fail("get failed: %s", vg_store_errmsg(s));
	else if (!n) {
		fprintf(stderr, "vigil: no object '%s'\n", argv[optind]);
		rc = VG_EXIT_PARTIAL;
	}
	vg_store_close(s);
	return rc;
}
