/* vigil partner: partner hubs (add, list, show, set, remove), their status,
 * one sync round, the quarantine and the preview of what would leave. */
#include "cli.h"
#include "vigil/service/partners.h"
#include "vigil/sync/sync.h"
#include "vigil/util/error.h"

#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: vigil partner add NAME --url URL --direction pull|push|both\n"
    "                     [--collection REMOTE[=LOCAL]]... [--ca FILE]\n"
    "                     [--cert FILE --key FILE] [--secret-file F|-]\n"
    "                     [--levels OURS=THEIRS,...] [--types T,...]\n"
    "                     [--labels L,...] [--send-collections C,...]\n"
    "                     [--interval SECONDS] [--page-size N]\n"
    "                     [--timeout SECONDS] [--json]\n"
    "       vigil partner set NAME [the same options]\n"
    "       vigil partner list|status [--json]\n"
    "       vigil partner show NAME\n"
    "       vigil partner remove NAME\n"
    "       vigil partner sync NAME [--json]\n"
    "       vigil partner quarantine NAME [--retry [ID] | --drop [ID]] "
    "[--json]\n"
    "       vigil partner preview NAME [--id ID] [--json]\n\n"
    "Partner hubs exchange intelligence with this hub over TAXII 2.1\n"
    "(docs/federation.md). add prints the key the partner hub uses to\n"
    "reach this hub (shown once). The credential for the partner's hub is\n"
    "read from --secret-file (or '-' for standard input), never from the\n"
    "command line: a token (Bearer) or 'basic USER:PASSWORD'.\n";

static int read_secret(const char *path, char *out, size_t n)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f)
		return vg_cli_fail("cannot read '%s'", path);
	size_t got = fread(out, 1, n - 1, f);
	if (f != stdin)
		fclose(f);
	out[got] = '\0';
	while (got && (out[got - 1] == '\n' || out[got - 1] == '\r'))
		out[--got] = '\0';
	if (!got)
		return vg_cli_fail("'%s' holds no credential", path);
	return 0;
}

static int parse_dir(const char *s)
{
	return !strcmp(s, "pull")   ? VG_FED_PULL
	       : !strcmp(s, "push") ? VG_FED_PUSH
	       : !strcmp(s, "both") ? VG_FED_BOTH
	                            : -1;
}

static int add_or_set(struct vg_cli *cli, int argc, char **argv, int add)
{
	static const struct option opts[] = {
	    {"url", required_argument, NULL, 'u'},
	    {"direction", required_argument, NULL, 'd'},
	    {"collection", required_argument, NULL, 'c'},
	    {"ca", required_argument, NULL, 'a'},
	    {"cert", required_argument, NULL, 'C'},
	    {"key", required_argument, NULL, 'K'},
	    {"secret-file", required_argument, NULL, 's'},
	    {"levels", required_argument, NULL, 'l'},
	    {"types", required_argument, NULL, 't'},
	    {"labels", required_argument, NULL, 'L'},
	    {"send-collections", required_argument, NULL, 'S'},
	    {"interval", required_argument, NULL, 'i'},
	    {"page-size", required_argument, NULL, 'P'},
	    {"timeout", required_argument, NULL, 'T'},
	    {"json", no_argument, NULL, 'j'},
	    {0},
	};
	const char *verb = add ? "partner add" : "partner set";
	const char *colls[VG_FED_MAX_LIST];
	struct vg_partner_spec sp = {.collections = colls};
	char secret[1024], key[VG_KEY_TEXT_LEN] = "", err[600] = "";
	const char *secret_file = NULL;
	int json = 0, c, rc;
	optind = 2;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'u':
			sp.url = optarg;
			break;
		case 'd':
			if ((sp.direction = parse_dir(optarg)) < 0)
				return vg_cli_usage(verb,
				                    "--direction is pull, push "
				                    "or both");
			break;
		case 'c':
			if (sp.n_collections == VG_FED_MAX_LIST)
				return vg_cli_usage(verb,
				                    "at most %d --collection",
				                    VG_FED_MAX_LIST);
			colls[sp.n_collections++] = optarg;
			break;
		case 'a':
			sp.ca = optarg;
			break;
		case 'C':
			sp.cert = optarg;
			break;
		case 'K':
			sp.key = optarg;
			break;
		case 's':
			secret_file = optarg;
			break;
		case 'l':
			sp.levels = optarg;
			break;
		case 't':
			sp.types = optarg;
			break;
		case 'L':
			sp.labels = optarg;
			break;
		case 'S':
			sp.send_collections = optarg;
			break;
		case 'i':
			sp.interval = atoi(optarg);
			break;
		case 'P':
			sp.page_size = atoi(optarg);
			break;
		case 'T':
			sp.timeout = atoi(optarg);
			break;
		case 'j':
			json = 1;
			break;
		default:
			return vg_cli_usage(verb, "unknown option");
		}
	}
	if (optind + 1 != argc)
		return vg_cli_usage(verb, "give one NAME");
	sp.name = argv[optind];
	if (add && (!sp.url || !sp.direction))
		return vg_cli_usage(verb, "--url and --direction are required");
	if (secret_file) {
		if ((rc = read_secret(secret_file, secret, sizeof(secret))))
			return rc;
		sp.secret = secret;
	}
	struct vg_service *svc;
	struct vg_ctx ctx;
	if ((rc = vg_cli_open(cli, &svc, &ctx)))
		return rc;
	rc = add ? vg_partner_add(&ctx, &sp, key, err, sizeof(err))
	         : vg_partner_set(&ctx, &sp, err, sizeof(err));
	sodium_memzero(secret, sizeof(secret));
	if (!rc && add && json) {
		printf("{\"name\":");
		vg_cli_json_str(sp.name);
		printf(",\"key\":\"%s\"}\n", key);
	} else if (!rc && add) {
		printf("partner '%s' added; the key it uses to reach this hub "
		       "(shown once):\n%s\n",
		       sp.name, key);
	} else if (!rc) {
		printf("partner '%s' updated\n", sp.name);
	}
	sodium_memzero(key, sizeof(key));
	return vg_cli_done(svc, &ctx, rc, err);
}

static int print_buf(struct vg_cli *cli, const char *name,
                     int (*fn)(struct vg_ctx *, const char *, struct vg_buf *))
{
	struct vg_service *svc;
	struct vg_ctx ctx;
	struct vg_buf b;
	int rc = vg_cli_open(cli, &svc, &ctx);
	if (rc)
		return rc;
	vg_buf_init(&b, 0);
	rc = fn(&ctx, name, &b);
	if (!rc)
		printf("%s\n", b.data);
	vg_buf_release(&b);
	char err[200] = "";
	if (rc == VG_ENOTFOUND)
		snprintf(err, sizeof(err), "no partner '%s'", name ? name : "");
	return vg_cli_done(svc, &ctx, rc, err);
}

static int sync_one(struct vg_cli *cli, const char *name, int json)
{
	struct vg_service *svc;
	struct vg_ctx ctx;
	struct vg_sync_report r;
	cli->large_cache = 1; /* a pull writes a hub's worth of pages */
	int rc = vg_cli_open(cli, &svc, &ctx);
	if (rc)
		return rc;
	struct vg_sync_report pr;
	rc = vg_sync_round(svc, name, &r);
	if (!rc) {
		/* and what goes to it, when this hub pushes */
		rc = vg_sync_push(svc, name, &pr);
		if (rc)
			snprintf(r.error, sizeof(r.error), "push: %.590s",
			         pr.error);
	}
	if (json) {
		printf("{\"partner\":");
		vg_cli_json_str(name);
		printf(",\"pages\":%zu,\"accepted\":%zu,\"duplicates\":%zu,"
		       "\"quarantined\":%zu,\"returned\":%zu,\"pushed\":%zu,"
		       "\"error\":",
		       r.pages, r.accepted, r.duplicates, r.quarantined,
		       r.returned, rc ? 0 : pr.accepted);
		vg_cli_json_str(rc ? r.error : NULL);
		printf("}\n");
	} else {
		printf("partner '%s': %zu pages, %zu accepted, %zu duplicates, "
		       "%zu quarantined, %zu returned to their origin; %zu "
		       "pushed\n",
		       name, r.pages, r.accepted, r.duplicates, r.quarantined,
		       r.returned, rc ? 0 : pr.accepted);
	}
	return vg_cli_done(svc, &ctx, rc, r.error);
}

struct qout {
	int json;
	size_t n;
};

static int q_row(void *ud, const struct vg_quarantined *q)
{
	struct qout *o = ud;
	if (o->json) {
		printf("%s{\"id\":%lld,\"object_id\":", o->n ? "," : "",
		       (long long)q->id);
		vg_cli_json_str(q->object_id);
		printf(",\"version\":");
		vg_cli_json_str(q->version);
		printf(",\"reason\":");
		vg_cli_json_str(q->reason);
		printf("}");
	} else {
		printf("%lld\t%s\t%s\t%s\n", (long long)q->id, q->object_id,
		       q->version, q->reason);
	}
	o->n++;
	return 0;
}

static int quarantine(struct vg_cli *cli, int argc, char **argv)
{
	const char *name = NULL;
	int retry = 0, drop = 0, json = 0;
	int64_t id = 0;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--retry") || !strcmp(argv[i], "--drop")) {
			*(argv[i][2] == 'r' ? &retry : &drop) = 1;
			if (i + 1 < argc && argv[i + 1][0] != '-' && name)
				id = strtoll(argv[++i], NULL, 10);
		} else if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if (!name && argv[i][0] != '-') {
			name = argv[i];
		} else {
			return vg_cli_usage("partner quarantine",
			                    "unexpected '%s'", argv[i]);
		}
	}
	if (!name || (retry && drop))
		return vg_cli_usage("partner quarantine",
		                    "give NAME and at most "
		                    "one of --retry, --drop");
	struct vg_service *svc;
	struct vg_ctx ctx;
	char err[600] = "";
	int rc = vg_cli_open(cli, &svc, &ctx);
	if (rc)
		return rc;
	if (retry) {
		size_t ok = 0, still = 0;
		rc = vg_partner_quarantine_retry(&ctx, name, id, &ok, &still,
		                                 err, sizeof(err));
		if (!rc)
			printf(json ? "{\"stored\":%zu,\"still\":%zu}\n"
			            : "%zu stored, %zu still quarantined\n",
			       ok, still);
	} else if (drop) {
		int64_t n = 0;
		rc = vg_partner_quarantine_drop(&ctx, name, id, &n, err,
		                                sizeof(err));
		if (!rc)
			printf(json ? "{\"dropped\":%lld}\n" : "%lld dropped\n",
			       (long long)n);
	} else {
		struct qout o = {json, 0};
		if (json)
			printf("{\"quarantine\":[");
		rc = vg_partner_quarantine(&ctx, name, q_row, &o);
		if (json)
			printf("]}\n");
	}
	if (rc == VG_ENOTFOUND && !err[0])
		snprintf(err, sizeof(err), "no partner '%s'", name);
	return vg_cli_done(svc, &ctx, rc, err);
}

struct pout {
	int json;
	size_t n;
};

static int p_row(void *ud, const struct vg_preview_row *p)
{
	struct pout *o = ud;
	int sent = p->verdict == VG_EGRESS_OK;
	if (o->json) {
		printf("%s{\"id\":", o->n ? "," : "");
		vg_cli_json_str(p->id);
		printf(",\"version\":");
		vg_cli_json_str(p->version);
		printf(",\"collection\":");
		vg_cli_json_str(p->collection);
		printf(",\"sent\":%s,\"rule\":", sent ? "true" : "false");
		vg_cli_json_str(sent ? NULL : vg_egress_name(p->verdict));
		printf(",\"reason\":");
		vg_cli_json_str(sent ? NULL : p->reason);
		printf("}");
	} else {
		printf("%s\t%s\t%s\t%s%s%s\n", sent ? "send" : "hold", p->id,
		       p->version, p->collection, sent ? "" : "\t",
		       sent ? "" : p->reason);
	}
	o->n++;
	return 0;
}

static int preview(struct vg_cli *cli, int argc, char **argv)
{
	const char *name = NULL, *id = NULL;
	int json = 0;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--id") && i + 1 < argc)
			id = argv[++i];
		else if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (!name && argv[i][0] != '-')
			name = argv[i];
		else
			return vg_cli_usage("partner preview",
			                    "unexpected '%s'", argv[i]);
	}
	if (!name)
		return vg_cli_usage("partner preview", "give NAME");
	struct vg_service *svc;
	struct vg_ctx ctx;
	struct pout o = {json, 0};
	int rc = vg_cli_open(cli, &svc, &ctx);
	if (rc)
		return rc;
	if (json)
		printf("{\"objects\":[");
	rc = vg_partner_preview(&ctx, name, id, p_row, &o);
	if (json)
		printf("]}\n");
	char err[200] = "";
	if (rc == VG_ENOTFOUND)
		snprintf(err, sizeof(err), "no partner '%s'", name);
	return vg_cli_done(svc, &ctx, rc, err);
}

static int list_json(struct vg_ctx *c, const char *name, struct vg_buf *b)
{
	return vg_partner_json(c, name, b);
}

static int status_json(struct vg_ctx *c, const char *name, struct vg_buf *b)
{
	return vg_partner_status(c, name, b);
}

static int removed(struct vg_cli *cli, const char *name)
{
	struct vg_service *svc;
	struct vg_ctx ctx;
	char err[300] = "";
	int rc = vg_cli_open(cli, &svc, &ctx);
	if (rc)
		return rc;
	rc = vg_partner_remove(&ctx, name, err, sizeof(err));
	if (!rc)
		printf("partner '%s' removed\n", name);
	return vg_cli_done(svc, &ctx, rc, err);
}

int vg_cmd_partner(struct vg_cli *cli, int argc, char **argv)
{
	int ex;
	if (vg_cli_help(argc, argv, help, &ex))
		return ex;
	const char *verb = argv[1];
	int json = 0;
	const char *name = NULL;
	if (!strcmp(verb, "add") || !strcmp(verb, "set"))
		return add_or_set(cli, argc, argv, verb[0] == 'a');
	if (!strcmp(verb, "quarantine"))
		return quarantine(cli, argc, argv);
	if (!strcmp(verb, "preview"))
		return preview(cli, argc, argv);
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (!name && argv[i][0] != '-')
			name = argv[i];
		else
			return vg_cli_usage("partner", "unexpected '%s'",
			                    argv[i]);
	}
	(void)json;
	if (!strcmp(verb, "list"))
		return print_buf(cli, NULL, list_json);
	if (!strcmp(verb, "status"))
		return print_buf(cli, name, status_json);
	if (!name)
		return vg_cli_usage("partner", "'%s' needs NAME", verb);
	if (!strcmp(verb, "show"))
		return print_buf(cli, name, list_json);
	if (!strcmp(verb, "remove"))
		return removed(cli, name);
	if (!strcmp(verb, "sync"))
		return sync_one(cli, name, json);
	return vg_cli_usage("partner", "unknown verb '%s'", verb);
}
