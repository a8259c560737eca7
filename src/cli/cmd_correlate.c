/* vigil correlate: the objects related to one object by a shared key
 * (value, name, document), and the hit / no-hit counts of what the
 * reader may not see. The operator sees everything, so hit / no-hit is
 * what API users get; --json prints the answer as the API gives it. */
#include "cli.h"
#include "warn_cli.h"
#include "vigil/service/warn.h"
#include "vigil/util/error.h"

#include <cjson/cJSON.h>
#include <getopt.h>
#include <string.h>

static const char help[] =
    "usage: vigil [--data DIR] correlate [--json] [--as USER] ID\n\n"
    "Print the keys of object ID (observable values, pattern literals,\n"
    "names and aliases, document numbers) and the objects that share one,\n"
    "each with the keys it shares. Keys on more objects than the budget\n"
    "are listed but not expanded; excluded keys (private addresses, very\n"
    "common domains: 'vigil warn exclusions') are not looked up. Records\n"
    "the reader may not read are counted per organisation (hit / no-hit)\n"
    "where their owners allow it: the operator reads everything, so\n"
    "--as USER shows what that user would see. Audited.\n"
    "Exit status 1 when there is no such object.\n";

static const char *str(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : "";
}

static void join(const cJSON *arr)
{
	const cJSON *e;
	int first = 1;
	cJSON_ArrayForEach(e, arr)
	{
		printf("%s%s", first ? "" : ", ",
		       cJSON_IsString(e) ? e->valuestring : "");
		first = 0;
	}
}

static void render(const char *json)
{
	cJSON *r = cJSON_Parse(json);
	const cJSON *e;
	if (!r)
		return;
	printf("%s \"%s\"\n", str(r, "object"), str(r, "label"));
	printf("keys:\n");
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r, "keys"))
	{
		const cJSON *rel =
		    cJSON_GetObjectItemCaseSensitive(e, "related");
		printf("  %-6s %s", str(e, "kind"), str(e, "value"));
		if (cJSON_IsTrue(
		        cJSON_GetObjectItemCaseSensitive(e, "excluded")))
			printf("  (excluded)\n");
		else if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
		             e, "over_budget")))
			printf("  (over the budget: not expanded)\n");
		else
			printf("  %d related\n",
			       cJSON_IsNumber(rel) ? rel->valueint : 0);
	}
	const cJSON *rel = cJSON_GetObjectItemCaseSensitive(r, "related");
	printf("related: %d\n", cJSON_GetArraySize(rel));
	cJSON_ArrayForEach(e, rel)
	{
		printf("  %s \"%s\" shares ", str(e, "id"), str(e, "label"));
		join(cJSON_GetObjectItemCaseSensitive(e, "keys"));
		putchar('\n');
	}
	const cJSON *hits = cJSON_GetObjectItemCaseSensitive(r, "hits");
	if (cJSON_GetArraySize(hits))
		printf("hit / no-hit:\n");
	cJSON_ArrayForEach(e, hits)
	{
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(e, "records");
		printf("  %d record%s held by %s match on ",
		       cJSON_IsNumber(n) ? n->valueint : 0,
		       cJSON_IsNumber(n) && n->valueint == 1 ? "" : "s",
		       str(e, "held_by"));
		join(cJSON_GetObjectItemCaseSensitive(e, "keys"));
		putchar('\n');
	}
	if (*str(r, "hits_withheld"))
		printf("hit / no-hit withheld: %s\n", str(r, "hits_withheld"));
	cJSON_Delete(r);
}

int vg_cmd_correlate(struct vg_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"json", no_argument, NULL, 'j'},
	    {"as", required_argument, NULL, 'a'},
	    {"help", no_argument, NULL, 'h'},
	    {0},
	};
	const char *as = NULL;
	int json = 0, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(help, stdout);
			return VG_EXIT_OK;
		}
		if (c == 'a')
			as = optarg;
		else if (c == 'j')
			json = 1;
		else
			return vg_cli_usage("correlate", "unknown option");
	}
	if (optind + 1 != argc)
		return vg_cli_usage("correlate", "give exactly one ID");
	struct vg_service *svc;
	struct vg_ctx ctx;
	int rc = vg__cli_open_as(cli, as, &svc, &ctx);
	if (rc)
		return rc;
	struct vg_buf b;
	char err[300] = "";
	vg_buf_init(&b, 0);
	rc = vg_warn_correlate(&ctx, argv[optind], &b, err, sizeof(err));
	if (!rc) {
		if (json)
			puts(b.data);
		else
			render(b.data);
	}
	vg_buf_release(&b);
	if (rc == VG_ENOTFOUND) {
		vg_cli_done(svc, &ctx, 0, NULL);
		fprintf(stderr, "vigil: %s\n", err);
		return VG_EXIT_PARTIAL;
	}
	return vg_cli_done(svc, &ctx, rc, err);
}
