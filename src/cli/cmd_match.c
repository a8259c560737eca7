/* vigil match: one name (with optional date of birth and nationality)
 * against every watchlist in the store. */
#include "cli.h"
#include "vigil/util/country.h"
#include "vigil/util/error.h"
#include "vigil/util/num.h"
#include "vigil/service/screening.h"
#include "vigil/watchlist/wl_stix.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"usage: vigil [--data DIR] match \"NAME\" [--dob DATE] [--nationality CC]\n"
	"                                [--threshold T] [--json]\n\n"
	"Match one name against every watchlist in the store and print the hits\n"
	"by score, each with its entry (list, reference number, names) and the\n"
	"explanation. DATE is YYYY, YYYY-MM or YYYY-MM-DD; CC a country code or\n"
	"name. The consultation is audited.\n";

int vg_cmd_match(struct vg_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"dob", required_argument, NULL, 'd'},
		{"nationality", required_argument, NULL, 'n'},
		{"threshold", required_argument, NULL, 't'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	struct vg_traveller t;
	double threshold = VG_MATCH_DEFAULT_THRESHOLD;
	int json = 0, c, rc;
	vg_traveller_init(&t);
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		struct vg_dob d = {0};
		const char *cc;
		switch (c) {
		case 'h':
			fputs(help, stdout);
			return VG_EXIT_OK;
		case 'd':
			if (vg_pdate_parse(optarg, &d.from)) {
				vg_traveller_release(&t);
				return vg_cli_usage("match", "--dob '%s' is not YYYY, "
							     "YYYY-MM or YYYY-MM-DD", optarg);
			}
			vg_person_add_dob(&t.person, &d);
			break;
		case 'n':
			if (!(cc = vg_country_code(optarg))) {
				vg_traveller_release(&t);
				return vg_cli_usage("match", "--nationality '%s' is not "
							     "a country", optarg);
			}
			vg_person_add_nationality(&t.person, cc);
			break;
		case 't':
			if (vg_num_decimal(optarg, 0, 1, &threshold)) {
				vg_traveller_release(&t);
				return vg_cli_usage("match", "--threshold takes 0 to 1");
			}
			break;
		case 'j':
			json = 1;
			break;
		default:
			vg_traveller_release(&t);
			return vg_cli_bad_option("match", argv);
		}
	}
	if (argc - optind != 1 || !*argv[optind]) {
		vg_traveller_release(&t);
		return vg_cli_usage("match", "give one NAME");
	}
	vg_person_add_name(&t.person, argv[optind], NULL, NULL, VG_NAME_PRIMARY);

	struct vg_service *svc;
	struct vg_ctx ctx;
	struct vg_screening sc;
	if ((rc = vg_cli_open(cli, &svc, &ctx))) {
		vg_traveller_release(&t);
		return rc;
	}
	rc = vg_screen_match(&ctx, &t.person, threshold, &sc);
	struct vg_buf b, line;
	vg_buf_init(&b, 0);
	vg_buf_init(&line, 0);
	if (!rc && json)
		rc = vg_buf_puts(&b, "{\"hits\":[");
	for (size_t i = 0; !rc && i < sc.r.n_hits; i++) {
		const struct vg_screen_hit *h = &sc.r.hits[i];
		const struct vg_person *e = &h->entry->person;
		if (!json) {
			vg_buf_reset(&line);
			vg_match_explain_line(&h->ex, &line);
			printf("%.2f %-6s %-12s %s\n     %s\n", h->score,
			       h->entry->list, h->entry->ref, h->entry->name,
			       line.data ? line.data : "");
			continue;
		}
		rc = vg_buf_printf(&b, "%s{\"score\":%.4f,\"entry\":{\"id\":",
				   i ? "," : "", h->score);
		if (!rc)
			rc = vg_buf_json_str(&b, h->entry->id);
		if (!rc)
			rc = vg_buf_puts(&b, ",\"list\":");
		if (!rc)
			rc = vg_buf_json_str(&b, h->entry->list);
		if (!rc)
			rc = vg_buf_puts(&b, ",\"reference_number\":");
		if (!rc)
			rc = vg_buf_json_str(&b, h->entry->ref);
		if (!rc)
			rc = vg_buf_puts(&b, ",\"names\":[");
		for (size_t k = 0; !rc && k < e->n_names; k++) {
			if (k)
				rc = vg_buf_putc(&b, ',');
			if (!rc)
				rc = vg_buf_json_str(&b, e->names[k].full);
		}
		if (!rc)
			rc = vg_buf_puts(&b, "]},\"explanation\":");
		if (!rc)
			rc = vg_match_explain_json(&h->ex, &b);
		if (!rc)
			rc = vg_buf_putc(&b, '}');
	}
	if (!rc && json && !(rc = vg_buf_puts(&b, "]}")))
		puts(b.data);
	if (!rc && !json && !sc.r.n_hits)
		printf("no hit at threshold %.2f among %zu entries\n", threshold,
		       sc.n_entries);
	vg_buf_release(&b);
	vg_buf_release(&line);
	vg_screening_release(&sc);
	vg_traveller_release(&t);
	vg_ctx_release(&ctx);
	vg_service_close(svc);
	if (rc)
		return vg_cli_fail("match failed: %s", vg_strerror(rc));
	return VG_EXIT_OK;
}
