/* Helpers shared by the subcommands. */
#include "cli.h"
#include "vigil/util/buf.h"
#include "vigil/util/error.h"
#include "vigil/service/hub.h"

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
	fprintf(stderr, "\nrun 'vigil %s --help' for usage\n", cmd);
	va_end(ap);
	return VG_EXIT_USAGE;
}

int vg_cli_open_store(struct vg_cli *cli, int create, struct vg_store **out)
{
	int rc = vg_store_open(cli->data, create, out);
	if (rc == VG_ENOTFOUND)
		return vg_cli_fail("no store in '%s': run 'vigil --data %s init'",
				   cli->data, cli->data);
	if (rc)
		return vg_cli_fail("cannot open the store in '%s': %s",
				   cli->data, vg_strerror(rc));
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

void vg_cli_actor(struct vg_actor *a)
{
	static char name[160];
	struct passwd *pw = getpwuid(getuid());
	snprintf(name, sizeof(name), "local:%s", pw ? pw->pw_name : "?");
	a->name = name;
	a->user = 0;
	a->org = 0;
	a->source = "cli";
	a->purpose = NULL;
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

int vg_cli_open_as(struct vg_cli *cli, struct vg_store **s, struct vg_actor *a)
{
	vg_cli_actor(a);
	return vg_cli_open_store(cli, 0, s);
}

int vg_cli_done(struct vg_store *s, int rc, const char *err)
{
	vg_store_close(s);
	if (rc)
		return vg_cli_fail("%s", err && err[0] ? err : vg_strerror(rc));
	return VG_EXIT_OK;
}
