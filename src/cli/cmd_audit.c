/* vigil audit: show, verify and checkpoint the tamper-evident audit log. */
#include "cli.h"
#include "vigil/util/error.h"
#include "vigil/service/hub.h"
#include "vigil/util/timefmt.h"

#include <getopt.h>
#include <sodium.h>
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
	char t[VG_TIME_LEN], h[2 * VG_HASH_LEN + 1];
	vg_time_format_us(e->ts, t);
	if (*json > 0) {
		static const char hex[] = "0123456789abcdef";
		for (int i = 0; i < VG_HASH_LEN; i++) {
			h[2 * i] = hex[e->hash[i] >> 4];
			h[2 * i + 1] = hex[e->hash[i] & 15];
		}
		h[2 * VG_HASH_LEN] = '\0';
		printf("%s{\"seq\":%lld,\"time\":\"%s\",\"actor\":",
		       *json > 1 ? "," : "", (long long)e->seq, t);
		vg_cli_json_str(e->actor);
		printf(",\"org\":%lld,\"action\":", (long long)e->org);
		vg_cli_json_str(e->action);
		printf(",\"target\":");
		vg_cli_json_str(e->target);
		printf(",\"detail\":%s,\"source\":", e->detail[0] ? e->detail : "{}");
		vg_cli_json_str(e->source);
		printf(",\"purpose\":");
		vg_cli_json_str(e->purpose);
		printf(",\"hash\":\"%s\"}", h);
		*json = 2;
	} else {
		printf("%6lld %s %-20s %-18s %s %s%s%s\n", (long long)e->seq, t,
		       e->actor, e->action, e->target, e->detail,
		       e->purpose[0] ? " purpose=" : "", e->purpose);
	}
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
		default: return vg_cli_usage("audit", "unknown option");
		}
	}
	int show = !strcmp(verb, "show"), verify = !strcmp(verb, "verify"),
	    cp = !strcmp(verb, "checkpoint");
	if (optind != argc || !(show || verify || cp))
		return vg_cli_usage("audit", "expected show, verify or checkpoint");
	if (sodium_init() < 0)
		return vg_cli_fail("libsodium cannot start");
	struct vg_store *s;
	struct vg_actor a;
	if ((rc = vg_cli_open_as(cli, &s, &a)))
		return rc;
	int exit = VG_EXIT_OK;
	if (show) {
		/* reading the log is itself on record */
		rc = vg_audit_record(s, &a, "audit.read", f.actor ? f.actor : "", "{}");
		if (json)
			fputs("{\"entries\":[", stdout);
		if (!rc)
			rc = s->ops->hub->audit_scan(s, &f, print_entry, &json);
		if (json)
			puts("]}");
	} else if (verify) {
		int64_t n = 0, k = 0;
		rc = vg_audit_verify(s, &n, &k, err, sizeof(err));
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
		rc = vg_audit_checkpoint(s, cli->data, &a, &seq, err, sizeof(err));
		if (!rc)
			printf("signed checkpoint at entry %lld\n", (long long)seq);
	}
	vg_store_close(s);
	if (rc)
		return vg_cli_fail("%s", err[0] ? err : vg_strerror(rc));
	return exit;
}
