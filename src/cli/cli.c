/* Helpers shared by the subcommands. */
#include "cli.h"
#include "vigil/util/buf.h"
#include "vigil/util/error.h"

#include <getopt.h>
#include <pwd.h>
#include <unistd.h>

#include <stdarg.h>
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
	struct vg_service_conf c = {.location = cli->data};
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

