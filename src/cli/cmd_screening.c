/* vigil screening: stored screening runs, and analysts' dispositions of
 * their hits. */
#include "cli.h"
#include "vigil/util/error.h"
#include "vigil/service/screening.h"

#include <stdlib.h>
#include <string.h>

static const char help[] =
	"usage: vigil [--data DIR] screening show RUN\n"
	"       vigil [--data DIR] screening dispose RUN HIT DISPOSITION\n"
	"                                            [--note TEXT]\n\n"
	"A run's travellers and hits (JSON), and the disposition of one hit:\n"
	"confirmed, false-positive or needs-review. Both are audited.\n";

int vg_cmd_screening(struct vg_cli *cli, int argc, char **argv)
{
	struct vg_service *svc;
	struct vg_ctx ctx;
	int rc;
	if (vg_cli_help(argc, argv, help, &rc))
		return rc;
	int show = !strcmp(argv[1], "show") && argc == 3;
	int dispose = !strcmp(argv[1], "dispose") &&
		      (argc == 5 || (argc == 7 && !strcmp(argv[5], "--note")));
	if (!show && !dispose)
		return vg_cli_usage("screening", "expected 'show RUN' or 'dispose "
						 "RUN HIT DISPOSITION [--note TEXT]'");
	int d = dispose ? vg_disposition_parse(argv[4]) : 0;
	char *end = NULL;
	long long hit = dispose ? strtoll(argv[3], &end, 10) : 0;
	if (dispose && (d < 0 || *end || hit < 1))
		return vg_cli_usage("screening", "HIT is a hit number and "
						 "DISPOSITION one of confirmed, "
						 "false-positive, needs-review");
	if (dispose && argc == 7 && strlen(argv[6]) > 2000)
		return vg_cli_usage("screening", "--note takes at most 2000 bytes");
	if ((rc = vg_cli_open(cli, &svc, &ctx)))
		return rc;
	if (show) {
		struct vg_buf b;
		vg_buf_init(&b, 0);
		rc = vg_screen_run_json(&ctx, argv[2], &b);
		if (!rc)
			puts(b.data);
		vg_buf_release(&b);
	} else {
		rc = vg_screen_dispose(&ctx, argv[2], hit, (enum vg_disposition)d,
				       argc == 7 ? argv[6] : NULL);
		if (!rc)
			printf("hit %lld of run %s: %s\n", hit, argv[2], argv[4]);
	}
	vg_ctx_release(&ctx);
	vg_service_close(svc);
	if (rc == VG_ENOTFOUND)
		return vg_cli_fail(show ? "no run '%s'" : "no hit %s of run '%s'",
				   show ? argv[2] : argv[3], argv[2]);
	if (rc)
		return vg_cli_fail("%s", vg_strerror(rc));
	return VG_EXIT_OK;
}
