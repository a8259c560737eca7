/* vigil check: the store's full consistency check. */
#include "cli.h"
#include "vigil/util/error.h"

#include <getopt.h>

static const char help[] =
	"usage: vigil [--data DIR] check\n\n"
	"Check the store: the database's own integrity check, then that every\n"
	"object has exactly one latest version and that it is the newest.\n"
	"Exit status 0 when all is well, 3 with the first finding otherwise.\n";

int vg_cmd_check(struct vg_cli *cli, int argc, char **argv)
{
	if (vg_cli_wants_help(argc, argv)) {
		fputs(help, stdout);
		return VG_EXIT_OK;
	}
	if (argc > 1)
		return vg_cli_usage("check", "unexpected argument '%s'", argv[1]);
	struct vg_store *s;
	int rc = vg_cli_open_store(cli, 0, &s);
	if (rc)
		return rc;
	rc = s->ops->check(s);
	if (rc)
		rc = vg_cli_fail("check failed: %s", vg_store_errmsg(s));
	else
		printf("store in '%s' is consistent\n", cli->data);
	vg_store_close(s);
	return rc;
}
