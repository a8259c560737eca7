/* vigil check: the store's full consistency check. */
#include "cli.h"
#include "vigil/service/objects.h"
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
	struct vg_service *svc;
	struct vg_ctx ctx;
	char err[600] = "";
	int rc = vg_cli_open(cli, &svc, &ctx);
	if (rc)
		return rc;
	rc = vg_objects_check(&ctx, err, sizeof(err));
	if (!rc)
		printf("store in '%s' is consistent\n", cli->data);
	vg_ctx_release(&ctx);
	vg_service_close(svc);
	return rc ? vg_cli_fail("check failed: %s", err[0] ? err : vg_strerror(rc))
		  : VG_EXIT_OK;
}
