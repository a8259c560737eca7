/* vigil trends: counts per day or week by facet of what the reader may
 * see, with spikes against the trailing baseline; and cross-agency
 * signals (keys at least k organisations reported within days). */
#include "warn_cli.h"
#include "vigil/service/warn.h"
#include "vigil/util/error.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: vigil [--data DIR] trends [--facet F] [--weekly] [--since DAY]\n"
    "                  [--until DAY] [--window N] [--min-count N] [--alpha A]\n"
    "                  [--as USER] [--json]\n"
    "       vigil [--data DIR] trends signals [--days N] [--until DAY]\n"
    "                  [--as USER] [--json]\n\n"
    "Facets: type, label, actor (objects referring to a threat actor or\n"
    "intrusion set), attack (to an attack pattern), location, sector,\n"
    "country, org (the reporting organisation). A day is the object's\n"
    "created date. A spike is a period whose count is at least --min-count\n"
    "(5) and whose probability under a Poisson law with the mean of the\n"
    "--window (28 days, 8 weeks) periods before it is below --alpha\n"
    "(0.001). signals: the keys (values, names, documents) the reader holds\n"
    "that at least k organisations (the hub's setting, 3) reported within\n"
    "--days (7); smaller counts are never shown.\n";

int vg_cmd_trends(struct vg_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"facet", required_argument, NULL, 'f'},
	    {"weekly", no_argument, NULL, 'w'},
	    {"since", required_argument, NULL, 's'},
	    {"until", required_argument, NULL, 'u'},
	    {"window", required_argument, NULL, 'W'},
	    {"min-count", required_argument, NULL, 'm'},
	    {"alpha", required_argument, NULL, 'p'},
	    {"days", required_argument, NULL, 'd'},
	    {"as", required_argument, NULL, 'a'},
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {0},
	};
	struct vg_trend_query q = {0};
	const char *as = NULL;
	long long days = 7;
	int json = 0, c, rc;
	int signals = argc > 1 && !strcmp(argv[1], "signals");
	optind = signals ? 2 : 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		char *end = NULL;
		switch (c) {
		case 'h':
			fputs(help, stdout);
			return VG_EXIT_OK;
		case 'f':
			q.facet = optarg;
			break;
		case 'w':
			q.weekly = 1;
			break;
		case 's':
			q.since = optarg;
			break;
		case 'u':
			q.until = optarg;
			break;
		case 'W':
			q.window = (int)strtol(optarg, &end, 10);
			break;
		case 'm':
			q.min_count = strtoull(optarg, &end, 10);
			break;
		case 'p':
			q.alpha = strtod(optarg, &end);
			break;
		case 'd':
			days = strtoll(optarg, &end, 10);
			break;
		case 'a':
			as = optarg;
			break;
		case 'j':
			json = 1;
			break;
		default:
			return vg_cli_usage("trends", "unknown option");
		}
		if (end && *end)
			return vg_cli_usage("trends", "'%s' is not a number",
			                    optarg);
	}
	if (optind != argc || days < 1 || days > 90 || q.window < 0 ||
	    q.window > 365 || q.alpha < 0 || q.alpha >= 1)
		return vg_cli_usage("trends",
		                    "bad arguments (--days 1 to 90, --window "
		                    "0 to 365, --alpha in (0, 1))");
	struct vg_service *svc;
	struct vg_ctx ctx;
	if ((rc = vg__cli_open_as(cli, as, &svc, &ctx)))
		return rc;
	struct vg_buf b;
	char err[300] = "";
	vg_buf_init(&b, 0);
	rc = signals ? vg_trends_signals(&ctx, (int)days, q.until, &b, err,
	                                 sizeof(err))
	             : vg_trends(&ctx, &q, &b, err, sizeof(err));
	if (!rc && json) {
		puts(b.data);
	} else if (!rc && signals) {
		cJSON *o = cJSON_Parse(b.data), *x;
		printf(
		    "reported by at least %lld organisations from %s to %s:\n",
		    vg__cli_num(o, "k"), vg__cli_str(o, "from"),
		    vg__cli_str(o, "until"));
		cJSON_ArrayForEach(
		    x, cJSON_GetObjectItemCaseSensitive(o, "signals"))
		    printf("  %-6s %s  %lld organisations\n",
		           vg__cli_str(x, "kind"), vg__cli_str(x, "value"),
		           vg__cli_num(x, "organisations"));
		cJSON_Delete(o);
	} else if (!rc) {
		cJSON *o = cJSON_Parse(b.data), *x, *y;
		printf("%s per %s, %s to %s\n", vg__cli_str(o, "facet"),
		       vg__cli_str(o, "interval"), vg__cli_str(o, "since"),
		       vg__cli_str(o, "until"));
		cJSON_ArrayForEach(
		    x, cJSON_GetObjectItemCaseSensitive(o, "series"))
		{
			printf("  %-40s %6lld", vg__cli_str(x, "label"),
			       vg__cli_num(x, "total"));
			cJSON_ArrayForEach(
			    y, cJSON_GetObjectItemCaseSensitive(x, "spikes"))
			    printf(
			        "  spike %s: %lld (baseline %.2f)",
			        vg__cli_str(y, "period"),
			        vg__cli_num(y, "count"),
			        cJSON_GetObjectItemCaseSensitive(y, "baseline")
			            ->valuedouble);
			putchar('\n');
		}
		cJSON_Delete(o);
	}
	vg_buf_release(&b);
	return vg_cli_done(svc, &ctx, rc, err);
}
