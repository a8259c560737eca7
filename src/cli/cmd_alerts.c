/* vigil alerts: the alerts of the operator's watches (or, with --as, a
 * user's), each as its reader may see it now; and acknowledging one. */
#include "warn_cli.h"
#include "vigil/service/warn.h"
#include "vigil/util/error.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
    "usage: vigil [--data DIR] alerts [--after SEQ] [--limit N] [--unacked]\n"
    "                  [--follow] [--as USER] [--json]\n"
    "       vigil [--data DIR] alerts ack SEQ [--as USER]\n\n"
    "List alerts in the order they were raised: a match names the object;\n"
    "a hit / no-hit (a record the reader may not read, whose owner allows\n"
    "it) says only who holds it; requests and decisions concern access.\n"
    "--follow keeps listing new alerts as they come (every second).\n"
    "Every listing and acknowledgement is audited.\n";

static void print_alert(const cJSON *a)
{
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(a, "detail");
	const char *kind = vg__cli_str(a, "kind");
	printf("#%lld %s %s%s", vg__cli_num(a, "seq"),
	       vg__cli_str(a, "created"), kind,
	       cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a, "retro"))
	           ? " (on stored data)"
	           : "");
	if (!strcmp(kind, "match"))
		printf(" watch \"%s\": %s matched %s", vg__cli_str(d, "watch"),
		       vg__cli_str(a, "object"), vg__cli_str(a, "matched"));
	else if (!strcmp(kind, "hit"))
		printf(" watch \"%s\": a record held by %s matches %s",
		       vg__cli_str(d, "watch"), vg__cli_str(d, "held_by"),
		       vg__cli_str(d, "term"));
	else if (!strcmp(kind, "request"))
		printf(" request %lld from %s (%s): %s",
		       vg__cli_num(d, "request"), vg__cli_str(d, "from"),
		       vg__cli_str(d, "by"), vg__cli_str(d, "reason"));
	else
		printf(" request %lld %s by %s", vg__cli_num(d, "request"),
		       vg__cli_str(d, "decision"), vg__cli_str(d, "by"));
	if (*vg__cli_str(a, "acked_by"))
		printf(" [acknowledged by %s]", vg__cli_str(a, "acked_by"));
	putchar('\n');
}

int vg_cmd_alerts(struct vg_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"after", required_argument, NULL, 'A'},
	    {"limit", required_argument, NULL, 'l'},
	    {"unacked", no_argument, NULL, 'u'},
	    {"follow", no_argument, NULL, 'f'},
	    {"as", required_argument, NULL, 'a'},
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {0},
	};
	long long after = 0, limit = 100;
	const char *as = NULL;
	int json = 0, unacked = 0, follow = 0, c, rc;
	int ack = argc > 1 && !strcmp(argv[1], "ack");
	optind = ack ? 2 : 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		char *end = NULL;
		switch (c) {
		case 'h':
			fputs(help, stdout);
			return VG_EXIT_OK;
		case 'A':
			after = strtoll(optarg, &end, 10);
			break;
		case 'l':
			limit = strtoll(optarg, &end, 10);
			break;
		case 'u':
			unacked = 1;
			break;
		case 'f':
			follow = 1;
			break;
		case 'a':
			as = optarg;
			break;
		case 'j':
			json = 1;
			break;
		default:
			return vg_cli_usage("alerts", "unknown option");
		}
		if (end && (*end || after < 0 || limit < 1 || limit > 1000))
			return vg_cli_usage("alerts",
			                    "--after is an alert number, "
			                    "--limit 1 to 1000");
	}
	long long seq = 0;
	if (ack) {
		char *end = NULL;
		if (argc - optind != 1 ||
		    (seq = strtoll(argv[optind], &end, 10)) < 1 || *end)
			return vg_cli_usage("alerts", "expected 'ack SEQ'");
	} else if (optind != argc) {
		return vg_cli_usage("alerts", "unexpected '%s'", argv[optind]);
	}
	struct vg_service *svc;
	struct vg_ctx ctx;
	if ((rc = vg__cli_open_as(cli, as, &svc, &ctx)))
		return rc;
	char err[200] = "";
	if (ack) {
		rc = vg_alerts_ack(&ctx, seq);
		if (rc == VG_ENOTFOUND)
			snprintf(err, sizeof(err), "no alert %lld of yours",
			         seq);
		if (!rc)
			printf("alert %lld acknowledged\n", seq);
		return vg_cli_done(svc, &ctx, rc, err);
	}
	struct vg_buf b;
	vg_buf_init(&b, 0);
	do {
		int64_t last = after;
		vg_buf_reset(&b);
		rc = vg_alerts_list(&ctx, after, (size_t)limit, unacked, &b,
		                    &last);
		if (!rc && json) {
			puts(b.data);
		} else if (!rc) {
			cJSON *o = cJSON_Parse(b.data), *x;
			cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(
			                          o, "alerts")) print_alert(x);
			cJSON_Delete(o);
		}
		fflush(stdout);
		after = last;
		if (follow && !rc)
			sleep(1);
	} while (follow && !rc);
	vg_buf_release(&b);
	return vg_cli_done(svc, &ctx, rc, err);
}
