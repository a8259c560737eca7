/* vigil watch: make, list and remove watches (values, names, documents,
 * patterns, objects, queries). A new watch is evaluated at once over
 * what is stored, then on every arrival. */
#include "warn_cli.h"
#include "vigil/service/warn.h"
#include "vigil/util/error.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: vigil [--data DIR] watch add KIND TERM [--name TEXT]\n"
    "                  [--value-kind ip|domain|url|email|hash|mac|asn]\n"
    "                  [--entity] [--threshold 0-1] [--shared]\n"
    "                  [--webhook URL] [--as USER] [--json]\n"
    "       vigil [--data DIR] watch list [--as USER] [--json]\n"
    "       vigil [--data DIR] watch remove ID [--as USER]\n\n"
    "KIND and TERM:\n"
    "  value     an observable value: an address or block (and what lies in\n"
    "            it), a domain (and its subdomains), a URL, an e-mail\n"
    "            address, a hash, a MAC address, an AS number\n"
    "  name      a person's name (an entity's with --entity), matched as\n"
    "            screening does, across spellings and scripts, from the\n"
    "            hub's name_threshold or --threshold\n"
    "  document  a document number\n"
    "  pattern   a STIX pattern, matched against observables and observed "
    "data\n"
    "  object    a STIX id: its new versions and whatever refers to it\n"
    "  query     JSON: {\"types\":[..],\"labels\":[..],\"sectors\":[..],\n"
    "            \"countries\":[..],\"locations\":[location ids]}\n"
    "The watch is the operator's, or with --as USER that user's (--shared:\n"
    "every user of its organisation sees its alerts). With --webhook each\n"
    "alert is POSTed there, signed with HMAC-SHA256 by the secret printed\n"
    "once. Alerts come with 'vigil alerts'.\n";

int vg_cmd_watch(struct vg_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"name", required_argument, NULL, 'n'},
	    {"value-kind", required_argument, NULL, 'v'},
	    {"entity", no_argument, NULL, 'e'},
	    {"threshold", required_argument, NULL, 't'},
	    {"shared", no_argument, NULL, 's'},
	    {"webhook", required_argument, NULL, 'w'},
	    {"as", required_argument, NULL, 'a'},
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {0},
	};
	struct vg_watch_spec w = {0};
	const char *as = NULL;
	int json = 0, c, rc;
	if (vg_cli_help(argc, argv, help, &rc))
		return rc;
	const char *verb = argv[1];
	optind = 2;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		char *end;
		switch (c) {
		case 'n':
			w.name = optarg;
			break;
		case 'v':
			w.value_kind = optarg;
			break;
		case 'e':
			w.name_kind = "entity";
			break;
		case 't':
			w.threshold = strtod(optarg, &end);
			if (*end || w.threshold <= 0 || w.threshold > 1)
				return vg_cli_usage("watch",
				                    "--threshold is a number "
				                    "from 0 to 1");
			break;
		case 's':
			w.shared = 1;
			break;
		case 'w':
			w.webhook = optarg;
			break;
		case 'a':
			as = optarg;
			break;
		case 'j':
			json = 1;
			break;
		default:
			return vg_cli_usage("watch", "unknown option");
		}
	}
	int add = !strcmp(verb, "add") && argc - optind == 2;
	int list = !strcmp(verb, "list") && argc == optind;
	int rm = !strcmp(verb, "remove") && argc - optind == 1;
	if (!add && !list && !rm)
		return vg_cli_usage("watch",
		                    "expected 'add KIND TERM', 'list' or "
		                    "'remove ID'");
	long long id = 0;
	if (rm) {
		char *end;
		id = strtoll(argv[optind], &end, 10);
		if (*end || id < 1)
			return vg_cli_usage("watch",
			                    "'%s' is not a watch number",
			                    argv[optind]);
	}
	struct vg_service *svc;
	struct vg_ctx ctx;
	if ((rc = vg__cli_open_as(cli, as, &svc, &ctx)))
		return rc;
	struct vg_buf b;
	char err[400] = "";
	vg_buf_init(&b, 0);
	if (add) {
		w.kind = argv[optind];
		w.term = argv[optind + 1];
		rc = vg_watch_add(&ctx, &w, &b, err, sizeof(err));
		if (!rc && json) {
			puts(b.data);
		} else if (!rc) {
			cJSON *o = cJSON_Parse(b.data);
			printf("watch %lld (%s %s): %lld alert%s on stored "
			       "data%s\n",
			       vg__cli_num(o, "id"), w.kind, w.term,
			       vg__cli_num(o, "retro"),
			       vg__cli_num(o, "retro") == 1 ? "" : "s",
			       *vg__cli_str(o, "retro_note")
			           ? " (stopped at retro_max)"
			           : "");
			if (*vg__cli_str(o, "secret"))
				printf("webhook secret (shown once): %s\n",
				       vg__cli_str(o, "secret"));
			cJSON_Delete(o);
		}
	} else if (list) {
		rc = vg_watch_list(&ctx, &b);
		if (!rc && json) {
			puts(b.data);
		} else if (!rc) {
			cJSON *o = cJSON_Parse(b.data), *x;
			cJSON_ArrayForEach(
			    x, cJSON_GetObjectItemCaseSensitive(o, "watches"))
			    printf(
			        "%lld  %-8s %s  (%s%s%s)\n",
			        vg__cli_num(x, "id"), vg__cli_str(x, "kind"),
			        vg__cli_str(x, "term"), vg__cli_str(x, "user"),
			        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
			            x, "shared"))
			            ? ", shared"
			            : "",
			        *vg__cli_str(x, "webhook") ? ", webhook" : "");
			cJSON_Delete(o);
		}
	} else {
		rc = vg_watch_remove(&ctx, id);
		if (rc == VG_ENOTFOUND)
			snprintf(err, sizeof(err), "no watch %lld", id);
		if (!rc)
			printf("watch %lld removed\n", id);
	}
	vg_buf_release(&b);
	return vg_cli_done(svc, &ctx, rc, err);
}
