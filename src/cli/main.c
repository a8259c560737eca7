/* vigil: global options (before or after the command), then one
 * subcommand (one file each); 'vigil help COMMAND' is 'COMMAND --help'. */
#include "cli.h"
#include "vigil/util/version.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const struct vg_cmd commands[] = {
	{"init", "create the store and the hub", vg_cmd_init},
	{"serve", "serve TAXII 2.1 and the hub's API", vg_cmd_serve},
	{"import", "import STIX bundles, envelopes or JSON lines", vg_cmd_import},
	{"export", "write stored objects as a STIX bundle", vg_cmd_export},
	{"get", "print one object", vg_cmd_get},
	{"stats", "counts by type, versions, revoked and store size", vg_cmd_stats},
	{"gen", "write deterministic synthetic STIX 2.1", vg_cmd_gen},
	{"check", "check the store's consistency", vg_cmd_check},
	{"org", "add and list organisations", vg_cmd_org},
	{"user", "add, list and disable users", vg_cmd_user},
	{"key", "issue, list and revoke API keys", vg_cmd_key},
	{"group", "sharing groups and their members", vg_cmd_group},
	{"audit", "show, verify and checkpoint the audit log", vg_cmd_audit},
	{"watchlist", "import the UN and OFAC lists, list the lists", vg_cmd_watchlist},
	{"screen", "screen travellers (PAXLST, CSV, JSON lines)", vg_cmd_screen},
	{"match", "match one name against the watchlists", vg_cmd_match},
	{"screening", "screening runs, dispositions, suppressions",
	 vg_cmd_screening},
	{"partner", "partner hubs: federation over TAXII 2.1", vg_cmd_partner},
	{"correlate", "objects related to one by shared keys; hit / no-hit", vg_cmd_correlate},
	{"warn", "early warning's settings, exclusions and key index", vg_cmd_warn},
	{"watch", "watch values, names, documents, patterns, objects, queries", vg_cmd_watch},
	{"alerts", "list and acknowledge alerts", vg_cmd_alerts},
	{"access", "access requests after hit / no-hit, grants, disclosure", vg_cmd_access},
	{"graph", "link analysis: neighbours, paths, groups", vg_cmd_graph},
	{"trends", "counts, spikes and cross-agency signals", vg_cmd_trends},
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	fprintf(f, "usage: vigil [--data DIR] [--purpose TEXT] COMMAND [ARGS]\n\n"
		   "vigil is a federated intelligence-sharing, early-warning "
		   "and screening hub.\n\ncommands:\n");
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "  %-10s %s\n", "help",
		"'vigil help COMMAND': a command's usage");
	fprintf(f, "\nglobal options (before or after the command):\n"
		   "  --data DIR  the store (default $VIGIL_DATA, else ./vigil-data)\n"
		   "  --purpose TEXT  why you read, recorded with every audit entry\n"
		   "              (default $VIGIL_PURPOSE)\n"
		   "  --version   print the version\n"
		   "  --help      this text; 'vigil COMMAND --help' for a command\n");
}

/* Take --data and --purpose (and their =forms) out of a command's
 * arguments, so that 'vigil stats --data X' means 'vigil --data X
 * stats'. Stops at "--". Returns 0, or 1 when one lacks its value. */
static int take_globals(struct vg_cli *cli, int *argc, char **argv)
{
	int out = 1;
	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		const char **to = !strncmp(a, "--data", 6) ? &cli->data
				  : !strncmp(a, "--purpose", 9) ? &cli->purpose
								 : NULL;
		size_t n = to == &cli->data ? 6 : 9;
		if (!to || (a[n] && a[n] != '=')) {
			argv[out++] = argv[i];
			continue;
		}
		if (a[n] == '=') {
			*to = a + n + 1;
		} else if (i + 1 < *argc) {
			*to = argv[++i];
		} else {
			fprintf(stderr, "vigil: %s needs a value: vigil %s %s "
					"COMMAND ...\n",
				a, a, to == &cli->data ? "DIR" : "TEXT");
			return 1;
		}
	}
	*argc = out;
	argv[out] = NULL;
	return 0;
}

static int run_command(struct vg_cli *cli, int argc, char **argv)
{
	if (!strcmp(argv[0], "help")) {
		if (argc < 2) {
			usage(stdout);
			return VG_EXIT_OK;
		}
		for (size_t c = 0; c < N_COMMANDS; c++)
			if (!strcmp(argv[1], commands[c].name)) {
				char *args[] = {argv[1], "--help", NULL};
				return commands[c].run(cli, 2, args);
			}
		fprintf(stderr, "vigil: unknown command '%s'; 'vigil help' lists "
				"them\n", argv[1]);
		return VG_EXIT_USAGE;
	}
	if (take_globals(cli, &argc, argv))
		return VG_EXIT_USAGE;
	for (size_t c = 0; c < N_COMMANDS; c++)
		if (!strcmp(argv[0], commands[c].name))
			return commands[c].run(cli, argc, argv);
	fprintf(stderr, "vigil: unknown command '%s'; 'vigil help' lists them\n",
		argv[0]);
	return VG_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	struct vg_cli cli = {.data = getenv("VIGIL_DATA"),
			     .purpose = getenv("VIGIL_PURPOSE")};
	int i = 1;
	opterr = 0; /* commands say what is wrong in one line of their own */
	if (!cli.data || !*cli.data)
		cli.data = "./vigil-data";
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--data") && i + 1 < argc) {
			cli.data = argv[++i];
		} else if (!strncmp(argv[i], "--data=", 7)) {
			cli.data = argv[i] + 7;
		} else if (!strcmp(argv[i], "--purpose") && i + 1 < argc) {
			cli.purpose = argv[++i];
		} else if (!strncmp(argv[i], "--purpose=", 10)) {
			cli.purpose = argv[i] + 10;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return VG_EXIT_OK;
		} else if (!strcmp(argv[i], "--data") ||
			   !strcmp(argv[i], "--purpose")) {
			fprintf(stderr, "vigil: %s needs a value: vigil %s %s "
					"COMMAND ...\n", argv[i], argv[i],
				argv[i][2] == 'd' ? "DIR" : "TEXT");
			return VG_EXIT_USAGE;
		} else if (!strcmp(argv[i], "--version")) {
			printf("vigil %s\n", vg_version());
			return VG_EXIT_OK;
		} else {
			fprintf(stderr, "vigil: unknown option '%s' (the global "
					"options are --data, --purpose, --version "
					"and --help; a command's own options go "
					"after it)\n", argv[i]);
			return VG_EXIT_USAGE;
		}
	}
	if (i == argc) {
		usage(stderr);
		return VG_EXIT_USAGE;
	}
	return run_command(&cli, argc - i, argv + i);
}
