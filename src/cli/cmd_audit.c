/* vigil audit: show, verify and checkpoint the tamper-evident audit log. */
#include "cli.h"
#include "vigil/util/error.h"
#include "vigil/audit/audit.h"
#include "vigil/service/audit.h"
#include "vigil/util/buf.h"
#include "vigil/util/timefmt.h"

#include <getopt.h>
#include <string.h>

static const char help[] =
	"usage: vigil [--data DIR] audit show [--actor USER] [--since TS] [--json]\n"
	"       vigil [--data DIR] audit verify [--json]\n"
	"       vigil [--data DIR] audit checkpoint\n\n"
	"Every authentication, read, write, delete and admin action is an\n"
	"entry of a hash chain. 'verify' checks the chain and every signed\n"
	"checkpoint and names the first entry that was changed, removed,\n"
	"reordered or truncated (exit status 1). 'checkpoint' signs the\n"
	"current head with the hub's Ed25519 key.\n";

static int print_entry(void *ud, const struct vg_audit_entry *e)
{
	int *json = ud;
	char t[VG_TIME_LEN];
	if (*json > 0) {
		struct vg_buf b;
		vg_buf_init(&b, 0);
		int rc = vg_audit_entry_json(e, 1, &b);
		if (!rc)
			printf("%s%s", *json > 1 ? "," : "", b.data);
		vg_buf_release(&b);
		*json = 2;
		return rc;
	}
	/* one line each: what could end a line or move the cursor is shown
	 * escaped, as in JSON */
	struct vg_buf who, what, target, detail, purpose;
	vg_time_format_us(e->ts, t);
	vg_buf_init(&who, 0);
	vg_buf_init(&what, 0);
	vg_buf_init(&target, 0);
	vg_buf_init(&detail, 0);
	vg_buf_init(&purpose, 0);
	vg_buf_json_str(&who, e->actor);
	vg_buf_json_str(&what, e->action);
	vg_buf_json_str(&target, e->target);
	vg_buf_json_str(&detail, e->detail);
	vg_buf_json_str(&purpose, e->purpose);
	printf("%6lld %s %-20s %-18s %s %s%s%s\n", (long long)e->seq, t,
	       who.data, what.data, target.data, detail.data,
	       e->purpose[0] ? " purpose=" : "", e->purpose[0] ? purpose.data : "");
	vg_buf_release(&who);
	vg_buf_release(&what);
	vg_buf_release(&target);
	vg_buf_release(&detail);
	vg_buf_release(&purpose);
	return 0;
}

int vg_cmd_audit(struct vg_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"actor", required_argument, NULL, 'a'},
		{"since", required_argument, NULL, 's'},
		{"json", no_argument, NULL, 'j'},
		{0},
	};
	struct vg_audit_filter f = {0};
	int json = 0, c, rc;
	char err[512] = "";
	if (vg_cli_help(argc, argv, help, &rc))
		return rc;
	const char *verb = argv[1];
	optind = 2;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'a': f.actor = optarg; break;
		case 's':
			if (vg_time_parse_us(optarg, &f.since))
				return vg_cli_usage("audit", "--since '%s' is not a "
							     "timestamp", optarg);
			break;
		case 'j': json = 1; break;
		default: return vg_cli_bad_option("audit", argv);
		}
	}
	int show = !strcmp(verb, "show"), verify = !strcmp(verb, "verify"),
	    cp = !strcmp(verb, "checkpoint");
	if (optind != argc || !(show || verify || cp))
		return vg_cli_usage("audit", "expected show, verify or checkpoint");
	struct vg_service *svc;
	struct vg_ctx ctx;
	if ((rc = vg_cli_open(cli, &svc, &ctx)))
		return rc;
	int exit = VG_EXIT_OK;
	if (show) {
		/* reading the log is itself on record */
		if (json)
			fputs("{\"entries\":[", stdout);
		rc = vg_audit_read(&ctx, &f, print_entry, &json);
		if (json)
			puts("]}");
	} else if (verify) {
		int64_t n = 0, k = 0;
		rc = vg_audit_verify(&ctx, &n, &k, err, sizeof(err));
		if (rc == VG_EINVAL) {
			if (json) {
				printf("{\"ok\":false,\"entries\":%lld,\"error\":",
				       (long long)n);
				vg_cli_json_str(err);
				puts("}");
			} else {
				printf("audit log NOT intact: %s\n", err);
			}
			rc = 0;
			exit = VG_EXIT_PARTIAL;
		} else if (!rc) {
			if (json)
				printf("{\"ok\":true,\"entries\":%lld,\"checkpoints\":"
				       "%lld}\n", (long long)n, (long long)k);
			else
				printf("audit log intact: %lld entries, %lld signed "
				       "checkpoints verified\n",
				       (long long)n, (long long)k);
		}
	} else {
		int64_t seq = 0;
		rc = vg_audit_checkpoint(&ctx, &seq, err, sizeof(err));
		if (!rc)
			printf("signed checkpoint at entry %lld\n", (long long)seq);
	}
	rc = vg_cli_done(svc, &ctx, rc, err);
	return rc ? rc : exit;
}
