/* vigil screen: screen a travel file (PAXLST, CSV or JSON lines) against
 * the watchlists; the run is kept with its hits. */
#include "cli.h"
#include "vigil/util/error.h"
#include "vigil/util/num.h"
#include "vigil/service/screening.h"
#include "vigil/util/timefmt.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
	"usage: vigil [--data DIR] screen [--list NAME]... [--threshold T]\n"
	"                                 [--threads N] [--json] FILE\n\n"
	"Screen every traveller of FILE (UN/EDIFACT PAXLST, CSV with the travel\n"
	"header, or JSON lines: detected; '-' reads standard input) against the\n"
	"watchlists in the store (all, or the --list ones). Prints each hit:\n"
	"traveller, entry, list, score and the explanation. The run is kept\n"
	"with its hits for analysts' dispositions ('vigil screening'). Hits of\n"
	"one person on several lists (a shared document number, or the same\n"
	"name and date of birth) are one hit; a hit disposed as a false\n"
	"positive before (same traveller, same entry version) is shown as\n"
	"suppressed and not counted.\n\n"
	"  --list NAME    screen against this list only (repeatable)\n"
	"  --threshold T  the lowest score reported (default 0.70)\n"
	"  --threads N    threads to screen on (default: one per core)\n"
	"  --json         the run as JSON\n\n"
	"exit status: 0 no hit, every record read; 1 no hit, but records\n"
	"that could not be read or had bad values; 4 hits; 5 hits and bad\n"
	"records; 2 usage error; 3 nothing screened (an unreadable file,\n"
	"not travel data, no watchlist). Suppressed hits are not hits here.\n";

int vg__cli_read_all(const char *path, char **out, size_t *len, char *why,
		     size_t whylen)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	struct vg_buf b;
	char chunk[65536];
	size_t n;
	int rc = VG_OK;
	if (!f) {
		snprintf(why, whylen, "%s", strerror(errno));
		return VG_EIO;
	}
	vg_buf_init(&b, (size_t)1 << 30);
	while (!rc && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		rc = vg_buf_append(&b, chunk, n);
	if (!rc && ferror(f)) {
		/* a directory opens, and fails on the first read */
		snprintf(why, whylen, "%s", strerror(errno));
		rc = VG_EIO;
	} else if (rc) {
		snprintf(why, whylen, "%s", rc == VG_ENOMEM ? "out of memory"
					    : "larger than 1 GiB");
	}
	if (f != stdin)
		fclose(f);
	if (rc) {
		vg_buf_release(&b);
		return rc;
	}
	*out = vg_buf_detach(&b, len);
	return *out ? VG_OK : VG_ENOMEM;
}

static void print_table(const struct vg_travel_list *tl,
			const struct vg_screen_result *r, int tty)
{
	struct vg_buf line;
	size_t num = 0;
	vg_buf_init(&line, 0);
	if (tty && r->n_hits)
		printf("%-4s %-28s %-30s %-6s %-12s %s\n", "hit", "traveller",
		       "entry", "list", "reference", "score");
	for (size_t i = 0; i < r->n_hits; i++) {
		const struct vg_screen_hit *h = &r->hits[i];
		const struct vg_person *p = &tl->travellers[h->traveller].person;
		vg_buf_reset(&line);
		vg_match_explain_line(&h->ex, &line);
		if (h->same_person) {
			printf("     %-28s %-30.30s %-6s %-12s %.2f  same person: "
			       "%s\n     %s\n",
			       "", h->entry->name, h->entry->list, h->entry->ref,
			       h->score, h->because, line.data ? line.data : "");
			continue;
		}
		printf("%-4zu %-28.28s %-30.30s %-6s %-12s %.2f\n", ++num,
		       p->n_names ? p->names[0].full : "?", h->entry->name,
		       h->entry->list, h->entry->ref, h->score);
		if (h->suppressed) {
			char t[VG_TIME_LEN];
			vg_time_format_us(h->suppressed_at, t);
			printf("     suppressed, disposed false positive on "
			       "%.10s by %s\n", t, h->suppressed_by);
		}
		printf("     %s\n", line.data ? line.data : "");
	}
	vg_buf_release(&line);
}

int vg_cmd_screen(struct vg_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"list", required_argument, NULL, 'l'},
		{"threshold", required_argument, NULL, 't'},
		{"threads", required_argument, NULL, 'n'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	const char *lists[32];
	size_t n_lists = 0;
	double threshold = VG_MATCH_DEFAULT_THRESHOLD;
	int json = 0, threads = 0, c, rc;
	char *end;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(help, stdout);
			return VG_EXIT_OK;
		case 'l':
			if (n_lists == 32)
				return vg_cli_usage("screen", "at most 32 --list");
			lists[n_lists++] = optarg;
			break;
		case 't':
			if (vg_num_decimal(optarg, 0, 1, &threshold))
				return vg_cli_usage("screen", "--threshold takes a "
							      "number from 0 to 1");
			break;
		case 'n':
			threads = (int)strtol(optarg, &end, 10);
			if (*end || threads < 1 || threads > 64)
				return vg_cli_usage("screen", "--threads takes 1 to 64");
			break;
		case 'j':
			json = 1;
			break;
		default:
			return vg_cli_bad_option("screen", argv);
		}
	}
	if (argc - optind != 1)
		return vg_cli_usage("screen", "give one FILE");
	const char *path = argv[optind];
	char *buf = NULL, err[600] = "";
	size_t len = 0;
	if (vg__cli_read_all(path, &buf, &len, err, sizeof(err)))
		return vg_cli_fail("cannot read '%s': %s", path, err);
	struct vg_service *svc;
	struct vg_ctx ctx;
	struct vg_screening sc;
	if ((rc = vg_cli_open(cli, &svc, &ctx))) {
		free(buf);
		return rc;
	}
	rc = vg_screen(&ctx, buf, len, lists, n_lists, threshold, threads, path,
		       &sc, err, sizeof(err));
	if (!rc) {
		if (json) {
			struct vg_buf out;
			vg_buf_init(&out, 0);
			rc = vg_screening_json(&sc, &out);
			if (!rc)
				puts(out.data);
			vg_buf_release(&out);
		} else {
			for (size_t i = 0; i < sc.tl.n_errors; i++)
				printf("  error: %s\n", sc.tl.errors[i].msg);
			print_table(&sc.tl, &sc.r, isatty(1));
			printf("%s: %zu travellers screened against %zu entries "
			       "(%s), %zu hits at threshold %.2f",
			       path, sc.tl.n_travellers, sc.n_entries, sc.format,
			       sc.r.n_leads, threshold);
			if (sc.r.n_leads > sc.r.n_raised)
				printf(" (%zu suppressed)",
				       sc.r.n_leads - sc.r.n_raised);
			printf("; run %s\n", sc.run);
		}
	}
	/* input errors name the file: "FILE: line 1: unknown column" */
	int exit = rc == VG_EINVAL && err[0] ? vg_cli_fail("%s: %s", path, err)
	       : rc ? vg_cli_fail("%s", err[0] ? err : vg_strerror(rc))
		    : (sc.r.n_raised ? VG_EXIT_HITS : 0) |
			      (sc.tl.n_errors ? VG_EXIT_PARTIAL : 0);
	vg_screening_release(&sc);
	vg_ctx_release(&ctx);
	vg_service_close(svc);
	free(buf);
	return exit;
}
