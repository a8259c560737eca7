/* vigil gen: deterministic synthetic STIX 2.1 as a bundle on stdout. */
#include "cli.h"
#include "vigil/util/error.h"
#include "vigil/stix/gen.h"
#include "vigil/stix/stix.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"usage: vigil gen [--seed N] --count M\n\n"
	"Write M synthetic STIX 2.1 objects as one bundle to standard output:\n"
	"fictional people and agencies (identity), terrorist threat actors,\n"
	"locations, incidents, indicators with their observables, sightings,\n"
	"relationships and reports. The same seed and count always give the\n"
	"same bytes; every object is valid and every reference resolves.\n\n"
	"  --seed N            the random seed (default 1)\n"
	"  --count M           how many objects\n"
	"  --created-by ID     the identity every created_by_ref names (an\n"
	"                      organisation's, to post the objects as it:\n"
	"                      members may post only what they create)\n\n"
	"       vigil gen --scenario N --out DIR [--noise M]\n\n"
	"Write early warning's scenario N into DIR: alpha.json, gamma.json and\n"
	"beta.json (each agency's bundle, posted in that order by a user of the\n"
	"agency, with M unrelated objects each, default 200) and truth.json\n"
	"(the links correlation must find, the paths, the watches to make first\n"
	"and the alerts each must raise at each step). Names are fictional.\n";

struct out {
	size_t n;
	const char *created_by; /* "identity--UUID" or NULL */
};

#define CBR "\"created_by_ref\":\"identity--"

static int put(void *ud, const char *json, size_t len)
{
	struct out *o = ud;
	if (o->n++)
		putchar(',');
	const char *at = o->created_by ? strstr(json, CBR) : NULL;
	if (at) {
		/* the generated id has the same length as any other */
		size_t head = (size_t)(at - json) + strlen(CBR);
		fwrite(json, 1, head, stdout);
		fputs(o->created_by + 10, stdout);
		fwrite(json + head + 36, 1, len - head - 36, stdout);
	} else {
		fwrite(json, 1, len, stdout);
	}
	return ferror(stdout) ? VG_EIO : VG_OK;
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	if (!*s || *s == '-')
		return -1;
	*out = strtoull(s, &end, 10);
	return *end ? -1 : 0;
}

int vg_cmd_gen(struct vg_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"seed", required_argument, NULL, 's'},
		{"count", required_argument, NULL, 'c'},
		{"created-by", required_argument, NULL, 'b'},
		{"scenario", required_argument, NULL, 'S'},
		{"out", required_argument, NULL, 'o'},
		{"noise", required_argument, NULL, 'N'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	uint64_t seed = 1, count = 0, scenario = 0, noise = 200;
	int c, have_count = 0, have_scenario = 0;
	const char *dir = NULL;
	struct out o = {0};
	(void)cli;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(help, stdout);
			return VG_EXIT_OK;
		}
		if (c == 's' && !parse_u64(optarg, &seed))
			continue;
		if (c == 'c' && !parse_u64(optarg, &count)) {
			have_count = 1;
			continue;
		}
		if (c == 'S' && !parse_u64(optarg, &scenario)) {
			have_scenario = 1;
			continue;
		}
		if (c == 'N' && !parse_u64(optarg, &noise) && noise <= 1000000)
			continue;
		if (c == 'o') {
			dir = optarg;
			continue;
		}
		if (c == 'b') {
			if (!vg_stix_id_valid(optarg, "identity"))
				return vg_cli_usage("gen", "--created-by '%s' is not an "
							   "identity id", optarg);
			o.created_by = optarg;
			continue;
		}
		if (c == 's' || c == 'c')
			return vg_cli_usage("gen", "'%s' is not a whole number",
					    optarg);
		return vg_cli_bad_option("gen", argv);
	}
	if (have_scenario || dir) {
		if (!have_scenario || !dir || have_count)
			return vg_cli_usage("gen", "--scenario N goes with --out DIR "
						   "(and not --count)");
		return vg__cli_gen_scenario(scenario, (size_t)noise, dir);
	}
	if (!have_count)
		return vg_cli_usage("gen", "--count is required");
	static char obuf[1 << 20];
	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	/* the bundle id is derived from the seed too: same input, same bytes */
	printf("{\"type\":\"bundle\",\"id\":\"bundle--%08llx-0000-4000-8000-%012llx\","
	       "\"objects\":[",
	       (unsigned long long)(seed & 0xffffffffu),
	       (unsigned long long)(count & 0xffffffffffffull));
	int rc = vg_gen_stix(seed, (size_t)count, put, &o);
	printf("]}\n");
	if (fflush(stdout) || rc)
		return vg_cli_fail("gen failed: %s", vg_strerror(rc ? rc : VG_EIO));
	return VG_EXIT_OK;
}
