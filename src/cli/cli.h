/* Shared by the vigil subcommands: global options and small helpers. */
#ifndef VIGIL_CLI_H
#define VIGIL_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "vigil/conf/server_conf.h"
#include "vigil/service/service.h"

struct vg_cli {
	const char *data;    /* store location (--data, $VIGIL_DATA) */
	const char *purpose; /* --purpose, $VIGIL_PURPOSE: why the operator reads */
	/* set before vg_cli_open by commands that sign checkpoints (from
	 * vg_cli_settings); NULL: the service's defaults */
	const struct vg_server_conf *settings;
	const char *key_dir; /* --key-dir, $VIGIL_KEY_DIR: a PostgreSQL hub's key */
	int large_cache;     /* set before vg_cli_open by a pull */
};

struct vg_cmd {
	const char *name;
	const char *summary;
	int (*run)(struct vg_cli *cli, int argc, char **argv);
};

/* Exit codes: 0 success, 1 the command did its work but something was
 * rejected or not found, 2 usage, 3 failure. 'vigil screen' adds 4 when
 * it raised hits (4 | 1 = 5: hits, and records it could not read). */
enum {
	VG_EXIT_OK = 0,
	VG_EXIT_PARTIAL = 1,
	VG_EXIT_USAGE = 2,
	VG_EXIT_FAIL = 3,
	VG_EXIT_HITS = 4,
};

/* Print "vigil: " fmt to stderr; returns VG_EXIT_FAIL. */
int vg_cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print a usage error with a hint to 'vigil help CMD', in one line;
 * returns VG_EXIT_USAGE. */
int vg_cli_usage(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* After getopt_long returned '?' (opterr is off): name the argument it
 * stopped at, in one line, and return VG_EXIT_USAGE. */
int vg_cli_bad_option(const char *cmd, char **argv);
/* Open the hub named by cli->data as the operator (its context in ctx);
 * prints the reason on failure and returns the exit code, else 0. */
int vg_cli_open(struct vg_cli *cli, struct vg_service **svc, struct vg_ctx *ctx);
/* Where the hub's files (signing key, vigil.conf, heads) are: the data
 * directory, or a PostgreSQL hub's key directory ("/nonexistent" when it
 * has none). */
const char *vg_cli_home(const struct vg_cli *cli);
/* The settings as vigil serve reads them: the defaults, then DATA/vigil.conf
 * (or config, which must exist), then VIGIL_<KEY> variables. Prints the
 * reason on failure and returns the exit code, else 0. */
int vg_cli_settings(struct vg_cli *cli, const char *config,
		    struct vg_server_conf *conf);
/* Close what vg_cli_open opened and turn rc (and err, when set) into the
 * exit code. */
int vg_cli_done(struct vg_service *svc, struct vg_ctx *ctx, int rc,
		const char *err);
/* The operator's login name (for the audit log). */
const char *vg_cli_login(void);
/* Print s as a JSON string (or null) to stdout. */
void vg_cli_json_str(const char *s);
/* 1 when argv (argc) holds --help or -h. */
int vg_cli_wants_help(int argc, char **argv);
/* For commands with verbs: with no verb (usage on stderr, *exit 2) or
 * --help (on stdout, *exit 0) print help and return 1; else 0. */
int vg_cli_help(int argc, char **argv, const char *help, int *exit);

int vg_cmd_init(struct vg_cli *cli, int argc, char **argv);
int vg_cmd_import(struct vg_cli *cli, int argc, char **argv);
int vg_cmd_export(struct vg_cli *cli, int argc, char **argv);
int vg_cmd_get(struct vg_cli *cli, int argc, char **argv);
int vg_cmd_stats(struct vg_cli *cli, int argc, char **argv);
int vg_cmd_gen(struct vg_cli *cli, int argc, char **argv);
int vg_cmd_check(struct vg_cli *cli, int argc, char **argv);
int vg_cmd_org(struct vg_cli *cli, int argc, char **argv);
int vg_cmd_user(struct vg_cli *cli, int argc, char **argv);
int vg_cmd_key(struct vg_cli *cli, int argc, char **argv);
int vg_cmd_group(struct vg_cli *cli, int argc, char **argv);
int vg_cmd_audit(struct vg_cli *cli, int argc, char **argv);
int vg_cmd_serve(struct vg_cli *cli, int argc, char **argv);
int vg_cmd_watchlist(struct vg_cli *cli, int argc, char **argv);
int vg_cmd_screen(struct vg_cli *cli, int argc, char **argv);
int vg_cmd_match(struct vg_cli *cli, int argc, char **argv);
int vg_cmd_screening(struct vg_cli *cli, int argc, char **argv);
/* Read a whole file ('-': standard input) into a malloc'd buffer; on
 * failure why says the cause ("No such file or directory", "Is a
 * directory"). */
int vg__cli_read_all(const char *path, char **out, size_t *len, char *why,
		     size_t whylen);
int vg_cmd_partner(struct vg_cli *cli, int argc, char **argv);
int vg_cmd_migrate(struct vg_cli *cli, int argc, char **argv);
int vg_cmd_correlate(struct vg_cli *cli, int argc, char **argv);
int vg_cmd_warn(struct vg_cli *cli, int argc, char **argv);
int vg_cmd_watch(struct vg_cli *cli, int argc, char **argv);
int vg_cmd_alerts(struct vg_cli *cli, int argc, char **argv);
int vg_cmd_access(struct vg_cli *cli, int argc, char **argv);
int vg_cmd_graph(struct vg_cli *cli, int argc, char **argv);
int vg_cmd_trends(struct vg_cli *cli, int argc, char **argv);
/* vigil gen --scenario (cmd_scenario.c). */
int vg__cli_gen_scenario(uint64_t n, size_t noise, const char *dir);

#endif
