/* vigil import: STIX files (or stdin) into the store, one transaction per
 * file, with counts and every rejection and its reason. */
#include "cli.h"
#include "vigil/util/buf.h"
#include "vigil/util/error.h"
#include "vigil/service/objects.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char help[] =
	"usage: vigil [--data DIR] import [--json] [--collection C] [--convert-2.0]\n"
	"                                FILE...\n\n"
	"Import STIX 2.1 objects from each FILE: a bundle, a TAXII envelope, a\n"
	"JSON array or JSON lines ('-' reads standard input). Each file is one\n"
	"transaction: a file that is not well-formed JSON changes nothing;\n"
	"invalid objects are rejected with their reason and never block valid\n"
	"ones. Prints accepted / duplicate / rejected counts. Exit status 1\n"
	"when anything was rejected or a file could not be imported.\n\n"
	"Objects go to the collection C (id or alias, default \"community\"),\n"
	"owned by the collection's organisation or, for a hub-wide or group\n"
	"collection, by the hub's own organisation; each import is audited.\n\n"
	"  --json          machine-readable output\n"
	"  --collection C  the TAXII collection to import into\n"
	"  --convert-2.0   convert STIX 2.0 objects to 2.1 (docs/validation.md)\n"
	"                  and report each conversion; without it they are\n"
	"                  rejected\n";

struct imp {
	int json;
	struct vg_ctx *vctx;
	const char *collection;
	int convert;          /* --convert-2.0 */
	struct vg_buf conversions; /* JSON records of this file's */
	const char *file;
	int tty;
	double started, last;
	size_t n_rejections; /* printed in JSON for this file */
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void progress(void *ud, size_t objects, uint64_t bytes)
{
	struct imp *c = ud;
	double t = now();
	if (!c->tty || t - c->started < 1.0 || t - c->last < 0.25)
		return;
	c->last = t;
	fprintf(stderr, "\r%s: %zu objects, %.1f MB, %.0f objects/s   ", c->file,
		objects, bytes / 1e6, objects / (t - c->started));
}

static int on_result(void *ud, const struct vg_ingest_result *r)
{
	struct imp *c = ud;
	if (r->conversion && c->json) {
		/* printed after the rejections: a failed append only drops
		 * a record */
		struct vg_buf *b = &c->conversions;
		if (!vg_buf_printf(b, "%s{\"index\":%zu,\"id\":",
				   b->len ? "," : "", r->index))
			(void)(vg_buf_json_str(b, r->id ? r->id : "") ||
			       vg_buf_puts(b, ",\"conversion\":") ||
			       vg_buf_json_str(b, r->conversion) ||
			       vg_buf_putc(b, '}'));
	} else if (r->conversion) {
		if (c->tty && c->last > 0)
			fputs("\r\033[K", stderr);
		printf("  converted #%zu: object ", r->index);
		vg_cli_json_str(r->id ? r->id : "(no id)");
		printf(": %s\n", r->conversion);
	}
	if (r->outcome != VG_INGEST_REJECTED)
		return 0;
	if (c->json) {
		printf("%s{\"index\":%zu,\"id\":", c->n_rejections++ ? "," : "",
		       r->index);
		vg_cli_json_str(r->id);
		fputs(",\"error\":", stdout);
		vg_cli_json_str(r->message);
		putchar('}');
	} else {
		if (c->tty && c->last > 0)
			fputs("\r\033[K", stderr);
		printf("  rejected #%zu: %s\n", r->index, r->message);
	}
	return 0;
}

static int import_one(struct imp *c, struct vg_ingest_counts *total,
		      int *failed)
{
	char err[700] = "";
	struct vg_ingest_counts n = {0};
	int fd = strcmp(c->file, "-") ? open(c->file, O_RDONLY) : 0;
	int rc;
	c->started = now();
	c->last = 0;
	c->n_rejections = 0;
	vg_buf_reset(&c->conversions);
	if (c->json) {
		fputs("{\"file\":", stdout);
		vg_cli_json_str(c->file);
		fputs(",\"rejections\":[", stdout);
	}
	if (fd < 0) {
		snprintf(err, sizeof(err), "cannot open: %s", strerror(errno));
		rc = VG_EIO;
	} else {
		struct vg_ingest_opts o = {
			.convert_20 = c->convert,
			.on_result = on_result,
			.on_progress = progress,
			.ud = c,
		};
		rc = vg_objects_import(c->vctx, c->collection, c->file, fd, &o, &n,
				       err, sizeof(err));
		if (fd)
			close(fd);
	}
	if (c->tty && c->last > 0)
		fputs("\r\033[K", stderr);
	if (rc) {
		*failed = 1;
		memset(&n, 0, sizeof(n));
	}
	total->accepted += n.accepted;
	total->duplicates += n.duplicates;
	total->rejected += n.rejected;
	total->converted += n.converted;
	if (c->json) {
		printf("],\"conversions\":[%s],\"accepted\":%zu,\"duplicates\":%zu,"
		       "\"rejected\":%zu,\"converted\":%zu,\"error\":",
		       rc || !c->conversions.data ? "" : c->conversions.data,
		       n.accepted, n.duplicates, n.rejected, n.converted);
		vg_cli_json_str(rc ? err : NULL);
		putchar('}');
	} else if (rc) {
		printf("%s: not imported, nothing changed: %s\n", c->file, err);
	} else if (c->convert) {
		printf("%s: accepted %zu, duplicate %zu, rejected %zu, "
		       "converted %zu\n",
		       c->file, n.accepted, n.duplicates, n.rejected,
		       n.converted);
	} else {
		printf("%s: accepted %zu, duplicate %zu, rejected %zu\n",
		       c->file, n.accepted, n.duplicates, n.rejected);
	}
	/* a store failure ends the whole command; bad input only this file */
	return rc == VG_ESTORE || rc == VG_ENOMEM || rc == VG_ENOTFOUND ? rc
									: VG_OK;
}

int vg_cmd_import(struct vg_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"collection", required_argument, NULL, 'c'},
		{"convert-2.0", no_argument, NULL, '2'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	struct imp c = {.tty = isatty(2)};
	vg_buf_init(&c.conversions, 0);
	const char *collection = "community";
	int ch;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (ch == 'h') {
			fputs(help, stdout);
			return VG_EXIT_OK;
		}
		if (ch == 'c')
			collection = optarg;
		else if (ch == '2')
			c.convert = 1;
		else if (ch == 'j')
			c.json = 1;
		else
			return vg_cli_bad_option("import", argv);
	}
	if (optind == argc)
		return vg_cli_usage("import", "no FILE given");
	struct vg_service *svc;
	struct vg_ctx vctx;
	int rc = vg_cli_open(cli, &svc, &vctx);
	if (rc)
		return rc;
	c.vctx = &vctx;
	c.collection = collection;
	struct vg_ingest_counts total = {0};
	int failed = 0, files = 0;
	if (c.json)
		fputs("{\"files\":[", stdout);
	for (int i = optind; i < argc && !rc; i++, files++) {
		c.file = argv[i];
		if (c.json && files)
			putchar(',');
		rc = import_one(&c, &total, &failed);
	}
	if (c.json)
		printf("],\"accepted\":%zu,\"duplicates\":%zu,\"rejected\":%zu,"
		       "\"converted\":%zu}\n",
		       total.accepted, total.duplicates, total.rejected,
		       total.converted);
	else if (files > 1 && c.convert)
		printf("total: accepted %zu, duplicate %zu, rejected %zu, "
		       "converted %zu\n",
		       total.accepted, total.duplicates, total.rejected,
		       total.converted);
	else if (files > 1)
		printf("total: accepted %zu, duplicate %zu, rejected %zu\n",
		       total.accepted, total.duplicates, total.rejected);
	vg_ctx_release(&vctx);
	vg_service_close(svc);
	vg_buf_release(&c.conversions);
	if (rc == VG_ENOTFOUND)
		return vg_cli_fail("no collection '%s' in this hub", collection);
	if (rc)
		return vg_cli_fail("store failure: %s", vg_strerror(rc));
	return failed || total.rejected ? VG_EXIT_PARTIAL : VG_EXIT_OK;
}
