/* vigil export: stored objects as one STIX bundle on stdout, written by
 * concatenating the stored texts (never re-serialised). */
#include "cli.h"
#include "vigil/service/objects.h"
#include "vigil/util/error.h"
#include "vigil/stix/stix.h"
#include "vigil/util/timefmt.h"

#include <getopt.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"usage: vigil [--data DIR] export [--type T]... [--id ID]...\n"
	"                                 [--added-after TS] [--all-versions]\n\n"
	"Write the stored objects as a STIX 2.1 bundle to standard output, in\n"
	"the order they were added; the latest version of each object unless\n"
	"--all-versions. Filters combine with AND; repeated ones with OR.\n\n"
	"  --type T          only objects of type T\n"
	"  --id ID           only the object ID\n"
	"  --added-after TS  only versions added after TS (a timestamp such\n"
	"                    as 2026-01-31T00:00:00.000000Z)\n"
	"  --all-versions    every stored version, not only the latest\n";

static int write_json(void *ud, const char *json, size_t len)
{
	size_t *n = ud;
	if ((*n)++)
		putchar(',');
	fwrite(json, 1, len, stdout);
	return ferror(stdout) ? VG_EIO : VG_OK;
}

int vg_cmd_export(struct vg_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"type", required_argument, NULL, 't'},
		{"id", required_argument, NULL, 'i'},
		{"added-after", required_argument, NULL, 'a'},
		{"all-versions", no_argument, NULL, 'A'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	struct vg_export_filter q = {0};
	const char **types = calloc((size_t)argc, sizeof(char *));
	const char **ids = calloc((size_t)argc, sizeof(char *));
	int c, rc = VG_EXIT_OK;
	if (!types || !ids) {
		rc = vg_cli_fail("out of memory");
		goto out;
	}
	q.types = types;
	q.ids = ids;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(help, stdout);
			goto out;
		case 't':
			types[q.n_types++] = optarg;
			break;
		case 'i':
			ids[q.n_ids++] = optarg;
			break;
		case 'a':
			if (vg_time_parse_us(optarg, &q.added_after)) {
				rc = vg_cli_usage("export",
						  "--added-after '%s' is not a "
						  "timestamp (YYYY-MM-DDTHH:MM:SS[.s]Z)",
						  optarg);
				goto out;
			}
			break;
		case 'A':
			q.all_versions = 1;
			break;
		default:
			rc = vg_cli_bad_option("export", argv);
			goto out;
		}
	}
	if (optind != argc) {
		rc = vg_cli_usage("export", "unexpected argument '%s'",
				  argv[optind]);
		goto out;
	}
	struct vg_service *svc;
	struct vg_ctx ctx;
	rc = vg_cli_open(cli, &svc, &ctx);
	if (rc)
		goto out;
	unsigned char rnd[16];
	char uuid[37];
	randombytes_buf(rnd, sizeof(rnd));
	vg_uuid_v4(rnd, uuid);
	static char obuf[1 << 20];
	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	printf("{\"type\":\"bundle\",\"id\":\"bundle--%s\",\"objects\":[", uuid);
	size_t n = 0, written = 0;
	int err = vg_objects_export(&ctx, &q, write_json, &written, &n);
	printf("]}\n");
	if (fflush(stdout) && !err)
		err = VG_EIO;
	rc = vg_cli_done(svc, &ctx, err, NULL);
out:
	free(types);
	free(ids);
	return rc;
}
