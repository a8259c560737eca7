/* vigil serve: the hub server. Settings come from DATA/vigil.conf (or
 * --config FILE), then VIGIL_* environment variables, then flags; each
 * later source overrides the earlier. */
#include "cli.h"
#include "vigil/util/error.h"
#include "vigil/http/server.h"
#include "vigil/sync/sync.h"

#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"usage: vigil [--data DIR] serve [--listen ADDR:PORT] [--threads N]\n"
	"                                [--tls-cert FILE --tls-key FILE]\n"
	"                                [--config FILE] [--set KEY=VALUE]...\n\n"
	"Serve TAXII 2.1 at /taxii2/, the audit log at /api/v1/audit, /healthz\n"
	"and /metrics. SIGTERM or SIGINT finishes the requests in flight and\n"
	"stops. Settings (see docs/configuration.md) come from DIR/vigil.conf\n"
	"or --config, then VIGIL_<KEY> environment variables, then flags.\n\n"
	"  --listen ADDR:PORT  default 127.0.0.1:8080 (port 0: any free port)\n"
	"  --threads N         worker threads (default 4)\n"
	"  --tls-cert FILE     PEM certificate (with --tls-key): serve HTTPS\n"
	"  --tls-key FILE      PEM private key\n"
	"  --config FILE       settings file instead of DIR/vigil.conf\n"
	"  --set KEY=VALUE     any setting of the file\n";

static const char *const keys[] = {
	"listen", "threads", "tls_cert", "tls_key", "max_content_length",
	"max_header_bytes", "max_url_length", "connection_limit",
	"per_ip_connection_limit", "idle_timeout", "purpose_required",
	"status_ttl_hours", "commit_wait_us",
};

static int load_file(struct vg_server_conf *c, const char *path, int required)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t n = 0;
	if (!f)
		return required ? vg_cli_fail("cannot read '%s'", path) : 0;
	char err[400];
	size_t len = 0;
	ssize_t got;
	char *line = NULL;
	size_t cap = 0;
	int rc = 0;
	while ((got = getline(&line, &cap, f)) > 0 && len < (1 << 20)) {
		char *t = realloc(text, len + (size_t)got + 1);
		if (!t) {
			rc = vg_cli_fail("out of memory");
			break;
		}
		text = t;
		memcpy(text + len, line, (size_t)got);
		len += (size_t)got;
		text[len] = '\0';
	}
	(void)n;
	free(line);
	fclose(f);
	if (!rc && text && vg_server_conf_parse(c, text, err, sizeof(err)))
		rc = vg_cli_fail("%s: %s", path, err);
	free(text);
	return rc;
}

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
	char path[4096];
	int c, rc;
	vg_server_conf_defaults(&conf, cli->data);
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
			return vg_cli_usage("serve", "unknown option");
	}
	if (optind != argc)
		return vg_cli_usage("serve", "unexpected argument '%s'", argv[optind]);
	snprintf(path, sizeof(path), "%s/vigil.conf", cli->data);
	if ((rc = load_file(&conf, config ? config : path, config != NULL)))
		return rc;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		char env[64];
		size_t j = 0;
		for (const char *k = keys[i]; *k && j + 1 < sizeof(env) - 6; k++)
			env[j++] = (char)toupper((unsigned char)*k);
		env[j] = '\0';
		char name[80];
		snprintf(name, sizeof(name), "VIGIL_%s", env);
		const char *v = getenv(name);
		if (v && (rc = set(&conf, keys[i], v, name)))
			return rc;
	}
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
