/* vigil access: after a hit / no-hit, ask the holder for access; the
 * holder grants or refuses per object; grants are listed and revoked;
 * owners choose what may be disclosed as hit / no-hit. The operator reads
 * everything, so these act as a user (--as USER). */
#include "warn_cli.h"
#include "vigil/service/warn.h"
#include "vigil/util/error.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: vigil [--data DIR] access request OBJECT --org ORG [--reason "
    "TEXT]\n"
    "       vigil [--data DIR] access requests\n"
    "       vigil [--data DIR] access grant REQUEST [OBJECT]\n"
    "       vigil [--data DIR] access refuse REQUEST [OBJECT]\n"
    "       vigil [--data DIR] access grants\n"
    "       vigil [--data DIR] access revoke GRANT\n"
    "       vigil [--data DIR] access disclose SUBJECT yes|no|default\n"
    "  each with --as USER (the user acting; the operator otherwise)\n\n"
    "request: ask ORG for its records that match OBJECT, which a hit /\n"
    "no-hit answer told of ('vigil correlate --as USER OBJECT'); ORG's users\n"
    "are alerted. grant / refuse: the holder decides for one of its objects\n"
    "in the request (or all still pending); a grant lets the requester's\n"
    "organisation read the object's versions (never past a user's\n"
    "clearance) until revoked. disclose: whether an object or a collection\n"
    "of the user's organisation may be disclosed as hit / no-hit (default:\n"
    "yes for hub-wide and group collections, no for the organisation's own\n"
    "collection and for TLP:RED). Everything is audited; JSON is printed.\n";

int vg_cmd_access(struct vg_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"org", required_argument, NULL, 'o'},
	    {"reason", required_argument, NULL, 'r'},
	    {"as", required_argument, NULL, 'a'},
	    {"help", no_argument, NULL, 'h'},
	    {0},
	};
	const char *as = NULL, *org = NULL, *reason = NULL;
	int c, rc;
	if (vg_cli_help(argc, argv, help, &rc))
		return rc;
	const char *verb = argv[1];
	optind = 2;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'o')
			org = optarg;
		else if (c == 'r')
			reason = optarg;
		else if (c == 'a')
			as = optarg;
		else
			return vg_cli_usage("access", "unknown option");
	}
	int n = argc - optind;
	char **arg = argv + optind;
	int request = !strcmp(verb, "request") && n == 1 && org;
	int requests = !strcmp(verb, "requests") && n == 0;
	int decide = (!strcmp(verb, "grant") || !strcmp(verb, "refuse")) &&
	             (n == 1 || n == 2);
	int grants = !strcmp(verb, "grants") && n == 0;
	int revoke = !strcmp(verb, "revoke") && n == 1;
	int disclose = !strcmp(verb, "disclose") && n == 2;
	if (!request && !requests && !decide && !grants && !revoke && !disclose)
		return vg_cli_usage("access",
		                    "see the usage for the verbs and their "
		                    "arguments");
	long long id = 0;
	if (decide || revoke) {
		char *end;
		id = strtoll(arg[0], &end, 10);
		if (*end || id < 1)
			return vg_cli_usage("access", "'%s' is not a number",
			                    arg[0]);
	}
	int choice = 0;
	if (disclose) {
		choice = !strcmp(arg[1], "yes")       ? 1
		         : !strcmp(arg[1], "no")      ? 0
		         : !strcmp(arg[1], "default") ? -1
		                                      : -2;
		if (choice == -2)
			return vg_cli_usage(
			    "access", "disclose takes yes, no or default");
	}
	struct vg_service *svc;
	struct vg_ctx ctx;
	if ((rc = vg__cli_open_as(cli, as, &svc, &ctx)))
		return rc;
	struct vg_buf b;
	char err[400] = "";
	vg_buf_init(&b, 0);
	if (request)
		rc = vg_access_request(&ctx, arg[0], org, reason, &b, err,
		                       sizeof(err));
	else if (requests)
		rc = vg_access_requests(&ctx, &b);
	else if (decide)
		rc = vg_access_decide(&ctx, id, n == 2 ? arg[1] : NULL,
		                      !strcmp(verb, "grant"), &b, err,
		                      sizeof(err));
	else if (grants)
		rc = vg_access_grants(&ctx, &b);
	else if (revoke) {
		rc = vg_access_revoke(&ctx, id);
		if (rc == VG_ENOTFOUND)
			snprintf(err, sizeof(err),
			         "no grant %lld of your organisation", id);
		if (!rc)
			printf("grant %lld revoked\n", id);
	} else {
		rc = vg_access_disclosure(&ctx, arg[0], choice, err,
		                          sizeof(err));
		if (!rc)
			printf("%s: hit / no-hit disclosure %s\n", arg[0],
			       arg[1]);
	}
	if (!rc && b.data)
		vg__cli_print_json(b.data, 0);
	vg_buf_release(&b);
	return vg_cli_done(svc, &ctx, rc, err);
}
