/* vigil stats: counts by type, versions, revoked and the store's size. */
#include "cli.h"
#include "vigil/service/objects.h"
#include "vigil/util/error.h"

#include <getopt.h>

static const char help[] =
	"usage: vigil [--data DIR] stats [--json]\n\n"
	"Print, for each type, the number of objects (distinct ids), stored\n"
	"versions and revoked objects, then the totals and the store's size.\n\n"
	"  --json  machine-readable output\n";

struct tot {
	int json;
	int64_t objects, versions, revoked, types;
};

static int print_type(void *ud, const struct vg_type_stats *t)
{
	struct tot *a = ud;
	if (a->json) {
		printf("%s", a->types ? "," : "");
		vg_cli_json_str(t->type);
		printf(":{\"objects\":%lld,\"versions\":%lld,\"revoked\":%lld}",
		       (long long)t->objects, (long long)t->versions,
		       (long long)t->revoked);
	} else {
		printf("%-32s %10lld %10lld %10lld\n", t->type,
		       (long long)t->objects, (long long)t->versions,
		       (long long)t->revoked);
	}
	a->types++;
	a->objects += t->objects;
	a->versions += t->versions;
	a->revoked += t->revoked;
	return VG_OK;
}

int vg_cmd_stats(struct vg_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	struct tot a = {0};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(help, stdout);
			return VG_EXIT_OK;
		}
		if (c != 'j')
			return vg_cli_bad_option("stats", argv);
		a.json = 1;
	}
	if (optind != argc)
		return vg_cli_usage("stats", "unexpected argument '%s'", argv[optind]);
	struct vg_service *svc;
	struct vg_ctx ctx;
	int rc = vg_cli_open(cli, &svc, &ctx);
	if (rc)
		return rc;
	if (a.json)
		fputs("{\"types\":{", stdout);
	else
		printf("%-32s %10s %10s %10s\n", "type", "objects", "versions",
		       "revoked");
	int64_t bytes = 0;
	rc = vg_objects_stats(&ctx, print_type, &a, &bytes);
	if (!rc && a.json) {
		printf("},\"objects\":%lld,\"versions\":%lld,\"revoked\":%lld,"
		       "\"bytes\":%lld}\n",
		       (long long)a.objects, (long long)a.versions,
		       (long long)a.revoked, (long long)bytes);
	} else if (!rc) {
		printf("%-32s %10lld %10lld %10lld\n", "total",
		       (long long)a.objects, (long long)a.versions,
		       (long long)a.revoked);
		printf("store size: %.1f MB (%lld bytes) in '%s'\n", bytes / 1e6,
		       (long long)bytes, cli->data);
	}
	return vg_cli_done(svc, &ctx, rc, NULL);
}
