/* vigil screening: the screening officer's runs (listed with their hits by
 * state, or one shown as a table or JSON), dispositions of hits, and the
 * suppressions that false-positive dispositions make. */
#include "cli.h"
#include "vigil/util/error.h"
#include "vigil/service/screening.h"
#include "vigil/util/timefmt.h"

#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: vigil [--data DIR] screening list [--open] [--needs-review]\n"
    "                  [--since DATE] [--until DATE] [--source TEXT]\n"
    "                  [--limit N] [--json]\n"
    "       vigil [--data DIR] screening show RUN [--json]\n"
    "       vigil [--data DIR] screening dispose RUN HIT DISPOSITION\n"
    "                  [--note TEXT]\n"
    "       vigil [--data DIR] screening suppressions [--all] [--json]\n"
    "       vigil [--data DIR] screening withdraw SUPPRESSION\n\n"
    "The runs kept by 'vigil screen' and POST /api/v1/screen, and what\n"
    "analysts decided about their hits. Every one of these is audited.\n\n"
    "  list          runs, newest first, with their hits by state (open,\n"
    "                needs review, confirmed, false positive, suppressed)\n"
    "    --open          only runs with an open hit\n"
    "    --needs-review  only runs with a hit that needs review\n"
    "    --since DATE, --until DATE  made from DATE (YYYY-MM-DD or a\n"
    "                    timestamp) / before DATE\n"
    "    --source TEXT   only runs whose source (file name) contains TEXT\n"
    "    --limit N       at most N runs (default 50)\n"
    "  show          a run's travellers and hits as a table (--json: JSON)\n"
    "  dispose       set hit HIT's disposition: confirmed, false-positive\n"
    "                or needs-review. A false positive is remembered: the\n"
    "                same traveller (document, name, date of birth) is not\n"
    "                raised again against the same entry version, but shown\n"
    "                as suppressed; a new version of the entry raises it\n"
    "  suppressions  the remembered false positives in force (--all: the\n"
    "                withdrawn too)\n"
    "  withdraw      withdraw a suppression: later runs raise its hits "
    "again\n\n"
    "RUN is a run id or 'last' (the newest run).\n";

/* ---- show ---------------------------------------------------------- */

static const char *str(const cJSON *o, const char *k)
{
	const char *s =
	    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));
	return s ? s : "";
}

static double num(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

/* "2026-12-06" of a timestamp. */
static const char *day(const char *ts, char out[11])
{
	snprintf(out, 11, "%.10s", ts);
	return out;
}

/* What became of a hit, in words. */
static void state(const cJSON *h, char *out, size_t n)
{
	const char *d = str(h, "disposition");
	const cJSON *sup = cJSON_GetObjectItemCaseSensitive(h, "suppressed");
	char t[11];
	if (!strcmp(d, "open") && sup)
		snprintf(out, n,
		         "suppressed, disposed false positive on %s by %s",
		         day(str(sup, "at"), t), str(sup, "by"));
	else if (strcmp(d, "open"))
		snprintf(out, n, "%s by %s on %s", d, str(h, "disposed_by"),
		         day(str(h, "disposed_at"), t));
	else
		snprintf(out, n, "open");
}

static int show_table(const char *json)
{
	cJSON *run = cJSON_Parse(json);
	if (!run)
		return vg_cli_fail(
		    "the run is not JSON (a bug: please report it)");
	const cJSON *trav = cJSON_GetObjectItemCaseSensitive(run, "travellers");
	const cJSON *hits = cJSON_GetObjectItemCaseSensitive(run, "hits");
	const cJSON *h;
	printf("run %s, made %s by %s\n", str(run, "run"), str(run, "created"),
	       str(run, "actor"));
	printf("%s (%s): %d travellers, %d hits at threshold %.2f\n",
	       str(run, "source"), str(run, "format"), cJSON_GetArraySize(trav),
	       cJSON_GetArraySize(hits), num(run, "threshold"));
	if (cJSON_GetArraySize(hits))
		printf("\n%-4s %-26s %-30s %-5s %-10s %5s  %s\n", "hit",
		       "traveller", "entry", "list", "reference", "score",
		       "state");
	cJSON_ArrayForEach(h, hits)
	{
		const cJSON *e = cJSON_GetObjectItemCaseSensitive(h, "entry");
		const cJSON *t =
		    cJSON_GetArrayItem(trav, (int)num(h, "traveller"));
		const cJSON *o;
		char st[300];
		state(h, st, sizeof(st));
		printf("%-4d %-26.26s %-30.30s %-5.5s %-10.10s %5.2f  %s\n",
		       (int)num(h, "hit"), str(t, "name"), str(e, "name"),
		       str(e, "list"), str(e, "reference_number"),
		       num(h, "score"), st);
		cJSON_ArrayForEach(
		    o, cJSON_GetObjectItemCaseSensitive(h, "same_person"))
		{
			const cJSON *oe =
			    cJSON_GetObjectItemCaseSensitive(o, "entry");
			printf("     %-26s %-30.30s %-5.5s %-10.10s %5.2f  "
			       "same person: "
			       "%s\n",
			       "", str(oe, "name"), str(oe, "list"),
			       str(oe, "reference_number"), num(o, "score"),
			       str(o, "because"));
		}
		if (cJSON_GetObjectItemCaseSensitive(h, "note"))
			printf("     note: %s\n", str(h, "note"));
	}
	cJSON_Delete(run);
	return VG_EXIT_OK;
}

/* ---- list ------------------------------------------------------------- */

struct list_out {
	int json;
	size_t n;
	struct vg_buf b;
	struct vg_jw w;
};

static int list_row(void *ud, const struct vg_screen_run_row *r)
{
	struct list_out *o = ud;
	if (o->json) {
		vg_screen_run_row_json(r, &o->w);
		return o->w.rc;
	}
	char t[VG_TIME_LEN];
	vg_time_format_us(r->created, t);
	if (!o->n++)
		printf("%-36s %-19s %5s %4s %4s %6s %4s %4s %4s  %s\n", "run",
		       "created", "trav", "hits", "open", "review", "conf",
		       "fp", "supp", "source");
	printf("%-36s %-19.19s %5lld %4lld %4lld %6lld %4lld %4lld %4lld  %s\n",
	       r->id, t, (long long)r->travellers, (long long)r->hits,
	       (long long)r->n_open, (long long)r->n_needs_review,
	       (long long)r->n_confirmed, (long long)r->n_false_positive,
	       (long long)r->n_suppressed, r->source);
	return 0;
}

/* DATE as YYYY-MM-DD (midnight UTC) or a timestamp. */
static int parse_day(const char *s, int64_t *us)
{
	char ts[40];
	if (strlen(s) == 10) {
		snprintf(ts, sizeof(ts), "%sT00:00:00Z", s);
		s = ts;
	}
	return vg_time_parse_us(s, us);
}

static int cmd_list(struct vg_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"open", no_argument, NULL, 'o'},
	    {"needs-review", no_argument, NULL, 'r'},
	    {"since", required_argument, NULL, 's'},
	    {"until", required_argument, NULL, 'u'},
	    {"source", required_argument, NULL, 'S'},
	    {"limit", required_argument, NULL, 'l'},
	    {"json", no_argument, NULL, 'j'},
	    {0},
	};
	struct vg_screen_run_filter f = {.limit = 50};
	struct list_out o = {0};
	struct vg_service *svc;
	struct vg_ctx ctx;
	int c, rc;
	char *end;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			f.open = 1;
			break;
		case 'r':
			f.needs_review = 1;
			break;
		case 'S':
			f.source = optarg;
			break;
		case 'j':
			o.json = 1;
			break;
		case 's':
		case 'u':
			if (parse_day(optarg, c == 's' ? &f.since : &f.until))
				return vg_cli_usage(
				    "screening",
				    "--%s '%s' is not "
				    "a date (YYYY-MM-DD) or a "
				    "timestamp",
				    c == 's' ? "since" : "until", optarg);
			break;
		case 'l':
			f.limit = (size_t)strtoul(optarg, &end, 10);
			if (*end || !f.limit || f.limit > 100000)
				return vg_cli_usage("screening",
				                    "--limit takes 1 "
				                    "to 100000");
			break;
		default:
			return vg_cli_bad_option("screening", argv);
		}
	}
	if (optind != argc)
		return vg_cli_usage("screening", "list takes no argument '%s'",
		                    argv[optind]);
	if ((rc = vg_cli_open(cli, &svc, &ctx)))
		return rc;
	vg_buf_init(&o.b, 0);
	vg_jw_init(&o.w, &o.b);
	vg_jw_obj(&o.w);
	vg_jw_key(&o.w, "runs");
	vg_jw_arr(&o.w);
	rc = vg_screen_runs(&ctx, &f, list_row, &o);
	vg_jw_close(&o.w);
	vg_jw_close(&o.w);
	if (!rc && o.json && !(rc = vg_jw_end(&o.w)))
		puts(o.b.data);
	if (!rc && !o.json && !o.n)
		printf("no screening run%s\n",
		       f.open || f.needs_review || f.since || f.until ||
		               f.source
		           ? " matches these filters"
		           : " yet: 'vigil screen FILE' makes one");
	vg_buf_release(&o.b);
	return vg_cli_done(svc, &ctx, rc, NULL);
}

/* ---- suppressions ----------------------------------------------------- */

static int sup_row(void *ud, const struct vg_suppression_row *r)
{
	struct list_out *o = ud;
	if (o->json) {
		vg_suppression_row_json(r, &o->w);
		return o->w.rc;
	}
	char t[VG_TIME_LEN], d[11];
	vg_time_format_us(r->created, t);
	if (!o->n++)
		printf("%-5s %-10s %-44s %-26s %-10s %s\n", "id", "made",
		       "entry", "traveller", "born", "by");
	printf("%-5lld %-10s %-44s %-26.26s %-10s %s%s\n", (long long)r->id,
	       day(t, d), r->entry, r->name, r->dob, r->by,
	       r->withdrawn_at ? " (withdrawn)" : "");
	return 0;
}

static int cmd_suppressions(struct vg_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"all", no_argument, NULL, 'a'},
	    {"json", no_argument, NULL, 'j'},
	    {0},
	};
	struct list_out o = {0};
	struct vg_service *svc;
	struct vg_ctx ctx;
	int all = 0, c, rc;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'a')
			all = 1;
		else if (c == 'j')
			o.json = 1;
		else
			return vg_cli_bad_option("screening", argv);
	}
	if (optind != argc)
		return vg_cli_usage("screening",
		                    "suppressions takes no argument "
		                    "'%s'",
		                    argv[optind]);
	if ((rc = vg_cli_open(cli, &svc, &ctx)))
		return rc;
	vg_buf_init(&o.b, 0);
	vg_jw_init(&o.w, &o.b);
	vg_jw_obj(&o.w);
	vg_jw_key(&o.w, "suppressions");
	vg_jw_arr(&o.w);
	rc = vg_screen_suppressions(&ctx, all, sup_row, &o);
	vg_jw_close(&o.w);
	vg_jw_close(&o.w);
	if (!rc && o.json && !(rc = vg_jw_end(&o.w)))
		puts(o.b.data);
	if (!rc && !o.json && !o.n)
		puts(
		    "no suppression in force: a hit disposed as false-positive "
		    "makes one");
	vg_buf_release(&o.b);
	return vg_cli_done(svc, &ctx, rc, NULL);
}

/* ---- the verbs ------------------------------------------------------- */

int vg_cmd_screening(struct vg_cli *cli, int argc, char **argv)
{
	struct vg_service *svc;
	struct vg_ctx ctx;
	char err[300] = "";
	int rc;
	if (vg_cli_help(argc, argv, help, &rc))
		return rc;
	const char *verb = argv[1];
	if (!strcmp(verb, "list"))
		return cmd_list(cli, argc - 1, argv + 1);
	if (!strcmp(verb, "suppressions"))
		return cmd_suppressions(cli, argc - 1, argv + 1);
	int json = argc == 4 && !strcmp(argv[3], "--json");
	int show = !strcmp(verb, "show") && (argc == 3 || json);
	int dispose = !strcmp(verb, "dispose") &&
	              (argc == 5 || (argc == 7 && !strcmp(argv[5], "--note")));
	int withdraw = !strcmp(verb, "withdraw") && argc == 3;
	if (!show && !dispose && !withdraw)
		return vg_cli_usage("screening",
		                    "expected 'list', 'show RUN "
		                    "[--json]', 'dispose RUN HIT DISPOSITION "
		                    "[--note TEXT]', 'suppressions' or "
		                    "'withdraw SUPPRESSION'");
	int d = dispose ? vg_disposition_parse(argv[4]) : 0;
	char *end = NULL;
	long long n = dispose    ? strtoll(argv[3], &end, 10)
	              : withdraw ? strtoll(argv[2], &end, 10)
	                         : 0;
	if (dispose && (d < 0 || *end || n < 1))
		return vg_cli_usage("screening",
		                    "HIT is a hit number and "
		                    "DISPOSITION one of confirmed, "
		                    "false-positive, needs-review");
	if (withdraw && (*end || n < 1))
		return vg_cli_usage(
		    "screening", "SUPPRESSION is a number "
		                 "('vigil screening suppressions' lists them)");
	if (dispose && argc == 7 && strlen(argv[6]) > 2000)
		return vg_cli_usage("screening",
		                    "--note takes at most 2000 bytes");
	if ((rc = vg_cli_open(cli, &svc, &ctx)))
		return rc;
	if (show) {
		struct vg_buf b;
		vg_buf_init(&b, 0);
		rc = vg_screen_run_json(&ctx, argv[2], &b);
		if (!rc && json)
			puts(b.data);
		else if (!rc)
			rc = show_table(b.data) ? VG_EINTERNAL : VG_OK;
		vg_buf_release(&b);
		if (rc == VG_ENOTFOUND)
			snprintf(err, sizeof(err), "no run '%s'%s", argv[2],
			         !strcmp(argv[2], VG_RUN_LAST)
			             ? ": no screening run yet"
			             : " ('vigil screening list' lists the "
			               "runs)");
	} else if (dispose) {
		char id[37];
		rc = vg_screen_dispose(&ctx, argv[2], n, (enum vg_disposition)d,
		                       argc == 7 ? argv[6] : NULL, id, err,
		                       sizeof(err));
		if (!rc)
			printf("hit %lld of run %s: %s%s\n", n, id, argv[4],
			       d == VG_DISP_FALSE_POSITIVE
			           ? " (remembered: not raised again for "
			             "this traveller and entry version)"
			           : "");
	} else {
		rc = vg_screen_withdraw(&ctx, n);
		if (!rc)
			printf(
			    "suppression %lld withdrawn: later runs raise its "
			    "hits again\n",
			    n);
		else if (rc == VG_ENOTFOUND)
			snprintf(err, sizeof(err),
			         "no suppression %lld in force "
			         "('vigil screening suppressions' lists them)",
			         n);
	}
	return vg_cli_done(svc, &ctx, rc, err);
}
