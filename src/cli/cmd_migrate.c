/* vigil migrate: copy a hub to another store (SQLite to PostgreSQL and
 * back) and verify the copy. */
#include "cli.h"
#include "vigil/service/migrate.h"
#include "vigil/util/error.h"

#include <getopt.h>
#include <string.h>

static const char help[] =
    "usage: vigil migrate --from LOCATION --to LOCATION [--from-key-dir DIR]\n"
    "                     [--json]\n\n"
    "Copy the hub at --from into the store at --to, which must hold no hub\n"
    "(a PostgreSQL database is made when missing): every object version with\n"
    "its date_added, organisations, users, keys, groups, collections, the\n"
    "audit log with its chain and checkpoints, screening runs, and the hub's\n"
    "signing key. Then every table is read back from both and compared, and\n"
    "the copy's audit log is verified; the copy records 'hub.migrate'.\n"
    "Writers of the source wait while it is read: stop its servers first.\n"
    "A location is a directory (SQLite) or postgres://USER@HOST/DB?... .\n\n"
    "  --from LOCATION     the hub to copy\n"
    "  --to LOCATION       the new store\n"
    "  --key-dir DIR       (global option) the signing key's directory of a\n"
    "                      PostgreSQL --to (or --from, without "
    "--from-key-dir)\n"
    "  --from-key-dir DIR  the signing key's directory of a PostgreSQL --from\n"
    "  --json              print the result as JSON\n";

int vg_cmd_migrate(struct vg_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"from", required_argument, NULL, 'f'},
	    {"to", required_argument, NULL, 't'},
	    {"from-key-dir", required_argument, NULL, 'k'},
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {0},
	};
	struct vg_migrate m = {.login = vg_cli_login()};
	int json = 0, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(help, stdout);
			return VG_EXIT_OK;
		case 'f':
			m.from = optarg;
			break;
		case 't':
			m.to = optarg;
			break;
		case 'k':
			m.from_key_dir = optarg;
			break;
		case 'j':
			json = 1;
			break;
		default:
			return vg_cli_usage("migrate", "unknown option");
		}
	}
	if (optind != argc)
		return vg_cli_usage("migrate", "unexpected argument '%s'",
		                    argv[optind]);
	if (!m.from || !m.to)
		return vg_cli_usage("migrate", "--from and --to are required");
	/* the global --key-dir serves the PostgreSQL side */
	if (strstr(m.to, "://"))
		m.to_key_dir = cli->key_dir;
	if (!m.from_key_dir && strstr(m.from, "://") && !strstr(m.to, "://"))
		m.from_key_dir = cli->key_dir;
	struct vg_migrate_result r;
	char err[700] = "";
	int rc = vg_hub_migrate(&m, &r, err, sizeof(err));
	if (rc)
		return vg_cli_fail("migrate: %s",
		                   err[0] ? err : vg_strerror(rc));
	if (json)
		printf("{\"tables\":%zu,\"rows\":%lld,\"verified\":true,"
		       "\"audit_entries\":%lld,\"checkpoints\":%lld}\n",
		       r.tables, (long long)r.rows, (long long)r.entries,
		       (long long)r.checkpoints);
	else
		printf(
		    "copied %zu tables, %lld rows; every table verified equal;"
		    " audit log intact: %lld entries, %lld signed "
		    "checkpoints\n",
		    r.tables, (long long)r.rows, (long long)r.entries,
		    (long long)r.checkpoints);
	return VG_EXIT_OK;
}
