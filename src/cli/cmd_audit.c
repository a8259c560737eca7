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
	"       vigil [--data DIR] audit verify [--heads FILE] [--public-key HEX]\n"
	"                                       [--json]\n"
	"       vigil [--data DIR] audit checkpoint [--config FILE]\n\n"
	"Every authentication, read, write, delete and admin action is an\n"
	"entry of a hash chain. 'verify' checks the chain and every signed\n"
	"checkpoint and names the first entry that was changed, removed,\n"
	"reordered or truncated (exit status 1). 'checkpoint' signs the\n"
	"current head with the hub's Ed25519 key (the signing_key setting) and\n"
	"appends it to the heads file (checkpoint_heads); vigil serve signs\n"
	"them by itself too (docs/security.md).\n\n"
	"  --heads FILE      also check every checkpoint head of FILE (a copy\n"
	"                    kept outside the hub): a log cut after one is found\n"
	"  --public-key HEX  the hub's public key as kept outside the hub: the\n"
	"                    store's must be the same\n"
	"  --config FILE     settings file instead of DIR/vigil.conf\n";

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
		{"heads", required_argument, NULL, 'H'},
		{"public-key", required_argument, NULL, 'p'},
		{"config", required_argument, NULL, 'c'},
		{0},
	};
	struct vg_audit_filter f = {0};
	const char *heads = NULL, *pk = NULL, *config = NULL;
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
		case 'H': heads = optarg; break;
		case 'p': pk = optarg; break;
		case 'c': config = optarg; break;
		default: return vg_cli_bad_option("audit", argv);
		}
	}
	int show = !strcmp(verb, "show"), verify = !strcmp(verb, "verify"),
	    cp = !strcmp(verb, "checkpoint");
	if (optind != argc || !(show || verify || cp))
		return vg_cli_usage("audit", "expected show, verify or checkpoint");
	if ((heads || pk) && !verify)
		return vg_cli_usage("audit", "--heads and --public-key are for "
					     "verify");
	if (config && !cp)
		return vg_cli_usage("audit", "--config is for checkpoint");
	if (pk && (strlen(pk) != 64 || strspn(pk, "0123456789abcdefABCDEF") != 64))
		return vg_cli_usage("audit", "--public-key '%s' is not 64 hex "
					     "digits", pk);
	struct vg_server_conf settings;
	if (cp) {
		/* where the key and the heads file are: as vigil serve has it */
		if ((rc = vg_cli_settings(cli, config, &settings)))
			return rc;
		cli->settings = &settings;
	}
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
		struct vg_audit_verified v;
		rc = vg_audit_verify(&ctx, heads, pk, &v, err, sizeof(err));
		if (rc == VG_EINVAL) {
			if (json) {
				printf("{\"ok\":false,\"entries\":%lld,\"error\":",
				       (long long)v.entries);
				vg_cli_json_str(err);
				puts("}");
			} else {
				printf("audit log NOT intact: %s\n", err);
			}
			rc = 0;
			exit = VG_EXIT_PARTIAL;
		} else if (!rc && json) {
			printf("{\"ok\":true,\"entries\":%lld,\"checkpoints\":%lld",
			       (long long)v.entries, (long long)v.checkpoints);
			if (heads)
				printf(",\"heads\":%lld", (long long)v.heads);
			puts("}");
		} else if (!rc) {
			printf("audit log intact: %lld entries, %lld signed "
			       "checkpoints verified",
			       (long long)v.entries, (long long)v.checkpoints);
			if (heads)
				printf(", %lld heads of '%s' found", (long long)v.heads,
				       heads);
			putchar('\n');
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
