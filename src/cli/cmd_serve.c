/* vigil serve: the hub server. Settings come from DATA/vigil.conf (or
 * --config FILE), then VIGIL_* environment variables, then flags; each
 * later source overrides the earlier. */
#include "cli.h"
#include "vigil/util/error.h"
#include "vigil/http/server.h"
#include "vigil/sync/sync.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"usage: vigil [--data DIR] serve [--listen HOST:PORT] [--threads N]\n"
	"                                [--tls-cert FILE --tls-key FILE]\n"
	"                                [--config FILE] [--set KEY=VALUE]...\n\n"
	"Serve TAXII 2.1 at /taxii2/, the hub's API at /api/v1/ (audit log,\n"
	"screening, administration), /healthz and /metrics. SIGTERM or\n"
	"SIGINT finishes the requests in flight and stops. Settings (see\n"
	"docs/configuration.md) come from DIR/vigil.conf or --config, then\n"
	"VIGIL_<KEY> environment variables, then flags.\n\n"
	"  --listen HOST:PORT  an address or a host name; default\n"
	"                      127.0.0.1:8080 (port 0: any free port). Plain\n"
	"                      HTTP off loopback is served with a warning\n"
	"  --threads N         worker threads (default 4)\n"
	"  --tls-cert FILE     PEM certificate (with --tls-key): serve HTTPS\n"
	"  --tls-key FILE      PEM private key\n"
	"  --config FILE       settings file instead of DIR/vigil.conf\n"
	"  --set KEY=VALUE     any setting of the file (behind a reverse proxy:\n"
	"                      public_url=https://hub.example.org and\n"
	"                      trusted_proxies=127.0.0.1)\n";

static int set(struct vg_server_conf *c, const char *key, const char *value,
	       const char *from)
{
	char err[400];
	if (vg_server_conf_set(c, key, value, err, sizeof(err)))
		return vg_cli_fail("%s: %s", from, err);
	return 0;
}

/* The sync loops run beside the server, on its service. */
static int sync_start(struct vg_service *svc, void *arg)
{
	return vg_sync_start(svc, arg);
}

static void sync_stop(void *arg)
{
	vg_sync_stop(*(struct vg_sync_loops **)arg);
}

int vg_cmd_serve(struct vg_cli *cli, int argc, char **argv)
{
	struct vg_sync_loops *loops = NULL;
	struct vg_serve_hooks hooks = {
		sync_start, sync_stop, &loops,
	};
	static const struct option opts[] = {
		{"listen", required_argument, NULL, 'l'},
		{"threads", required_argument, NULL, 't'},
		{"tls-cert", required_argument, NULL, 'c'},
		{"tls-key", required_argument, NULL, 'k'},
		{"config", required_argument, NULL, 'f'},
		{"set", required_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	struct vg_server_conf conf;
	const char *config = NULL;
	int c, rc;
	/* the file first, so that environment and flags override it */
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(help, stdout);
			return VG_EXIT_OK;
		}
		if (c == 'f')
			config = optarg;
		if (c == '?')
			return vg_cli_bad_option("serve", argv);
	}
	if (optind != argc)
		return vg_cli_usage("serve", "unexpected argument '%s'", argv[optind]);
	if ((rc = vg_cli_settings(cli, config, &conf)))
		return rc;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		const char *key = c == 'l'   ? "listen"
				  : c == 't' ? "threads"
				  : c == 'c' ? "tls_cert"
				  : c == 'k' ? "tls_key"
					     : NULL;
		if (key && (rc = set(&conf, key, optarg, "flag")))
			return rc;
		if (c == 's') {
			char kv[600];
			snprintf(kv, sizeof(kv), "%s", optarg);
			char *eq = strchr(kv, '=');
			if (!eq)
				return vg_cli_usage("serve", "--set takes KEY=VALUE");
			*eq = '\0';
			if ((rc = set(&conf, kv, eq + 1, "--set")))
				return rc;
		}
	}
	rc = vg_serve_with(&conf, &hooks);
	return rc ? VG_EXIT_FAIL : VG_EXIT_OK;
}
