/* Helpers shared by the subcommands. */
#include "cli.h"
#include "vigil/util/buf.h"
#include "vigil/util/error.h"

#include <errno.h>
#include <ctype.h>
#include <getopt.h>
#include <pwd.h>
#include <unistd.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int vg_cli_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("vigil: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return VG_EXIT_FAIL;
}

int vg_cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "vigil %s: ", cmd);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, " (usage: 'vigil help %s')\n", cmd);
	va_end(ap);
	return VG_EXIT_USAGE;
}

int vg_cli_bad_option(const char *cmd, char **argv)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "";
	if (arg[0] != '-' && optopt)
		return vg_cli_usage(cmd, "unknown option '-%c', or it needs "
				    "a value", optopt);
	return vg_cli_usage(cmd, "unknown option '%s', or it needs a value",
			    arg);
}

const char *vg_cli_login(void)
{
	struct passwd *pw = getpwuid(getuid());
	return pw ? pw->pw_name : "?";
}

int vg_cli_open(struct vg_cli *cli, struct vg_service **svc, struct vg_ctx *ctx)
{
	char err[600] = "";
	struct vg_service_conf c = {.location = cli->data,
				     .key_dir = cli->key_dir,
				     .large_cache = cli->large_cache};
	const struct vg_server_conf *set = cli->settings;
	if (set) {
		c.signing_key = set->signing_key;
		c.checkpoint_heads = set->checkpoint_heads;
		c.checkpoint_syslog = set->checkpoint_syslog;
	}
	int rc = vg_service_open(&c, svc, err, sizeof(err));
	if (rc == VG_ENOTFOUND)
		return vg_cli_fail("%s: run 'vigil --data %s init'",
				   err[0] ? err : "no hub", cli->data);
	if (rc)
		return vg_cli_fail("%s", err[0] ? err : vg_strerror(rc));
	vg_ctx_init(ctx, *svc, VG_CHANNEL_CLI, "cli");
	vg_ctx_operator(ctx, vg_cli_login());
	ctx->purpose = cli->purpose;
	return VG_EXIT_OK;
}

int vg_cli_done(struct vg_service *svc, struct vg_ctx *ctx, int rc,
		const char *err)
{
	vg_ctx_release(ctx);
	vg_service_close(svc);
	if (rc)
		return vg_cli_fail("%s", err && err[0] ? err : vg_strerror(rc));
	return VG_EXIT_OK;
}

int vg_cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			return 0;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
	}
	return 0;
}

void vg_cli_json_str(const char *s)
{
	struct vg_buf b;
	vg_buf_init(&b, 0);
	if (s && !vg_buf_json_str(&b, s))
		fputs(b.data, stdout);
	else
		fputs("null", stdout);
	vg_buf_release(&b);
}

int vg_cli_help(int argc, char **argv, const char *help, int *exit)
{
	if (argc >= 2 && !vg_cli_wants_help(argc, argv))
		return 0;
	fputs(help, argc < 2 ? stderr : stdout);
	*exit = argc < 2 ? VG_EXIT_USAGE : VG_EXIT_OK;
	return 1;
}


/* Apply a settings file; a missing one is fine unless required. */
static int load_file(struct vg_server_conf *c, const char *path, int required)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	if (!f)
		return required ? vg_cli_fail("cannot read the settings file "
					      "'%s': %s", path, strerror(errno))
				: 0;
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
	free(line);
	fclose(f);
	if (!rc && text && vg_server_conf_parse(c, text, err, sizeof(err)))
		rc = vg_cli_fail("%s: %s", path, err);
	free(text);
	return rc;
}

const char *vg_cli_home(const struct vg_cli *cli)
{
	if (!strstr(cli->data, "://"))
		return cli->data;
	return cli->key_dir ? cli->key_dir : "/nonexistent";
}

int vg_cli_settings(struct vg_cli *cli, const char *config,
		    struct vg_server_conf *conf)
{
	char path[4096], err[400];
	const char *key;
	int rc;
	vg_server_conf_defaults(conf, cli->data);
	conf->key_dir = cli->key_dir;
	snprintf(path, sizeof(path), "%s/vigil.conf", vg_cli_home(cli));
	if ((rc = load_file(conf, config ? config : path, config != NULL)))
		return rc;
	for (size_t i = 0; (key = vg_server_conf_key(i)); i++) {
		char name[80] = "VIGIL_";
		size_t j = 6;
		for (const char *k = key; *k && j + 1 < sizeof(name); k++)
			name[j++] = (char)toupper((unsigned char)*k);
		name[j] = '\0';
		const char *v = getenv(name);
		if (v && vg_server_conf_set(conf, key, v, err, sizeof(err)))
			return vg_cli_fail("%s: %s", name, err);
	}
	return VG_EXIT_OK;
}
