/* vigil gen --scenario N --out DIR: early warning's scenario as files,
 * one bundle per agency and the ground truth (vigil/warn/scenario.h). */
#include "cli.h"
#include "vigil/util/error.h"
#include "vigil/warn/scenario.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

struct files {
	FILE *f[VG_SCENARIO_AGENCIES];
	size_t n[VG_SCENARIO_AGENCIES];
	const char *dir;
};

static int object(void *ud, size_t a, const char *json, size_t len)
{
	struct files *x = ud;
	if (x->n[a]++)
		fputc(',', x->f[a]);
	fwrite(json, 1, len, x->f[a]);
	return ferror(x->f[a]) ? VG_EIO : VG_OK;
}

static int truth(void *ud, const char *json, size_t len)
{
	struct files *x = ud;
	char path[4096];
	snprintf(path, sizeof(path), "%s/truth.json", x->dir);
	FILE *f = fopen(path, "w");
	if (!f)
		return VG_EIO;
	fwrite(json, 1, len, f);
	fputc('\n', f);
	return fclose(f) ? VG_EIO : VG_OK;
}

int vg__cli_gen_scenario(uint64_t n, size_t noise, const char *dir)
{
	struct files x = {.dir = dir};
	char path[4096];
	int rc = VG_OK;
	if (mkdir(dir, 0755) && errno != EEXIST)
		return vg_cli_fail("cannot make '%s': %s", dir,
		                   strerror(errno));
	for (size_t a = 0; a < VG_SCENARIO_AGENCIES; a++) {
		snprintf(path, sizeof(path), "%s/%s.json", dir,
		         vg_scenario_agency(a));
		if (!(x.f[a] = fopen(path, "w"))) {
			rc = VG_EIO;
			break;
		}
		fprintf(
		    x.f[a],
		    "{\"type\":\"bundle\",\"id\":\"bundle--%08llx-0000-4000-"
		    "8000-%012zx\",\"objects\":[",
		    (unsigned long long)(n & 0xffffffffu), a);
	}
	struct vg_scenario_out o = {object, truth};
	if (!rc)
		rc = vg_scenario(n, noise, &o, &x);
	for (size_t a = 0; a < VG_SCENARIO_AGENCIES; a++) {
		if (!x.f[a])
			continue;
		fputs("]}\n", x.f[a]);
		if (fclose(x.f[a]) && !rc)
			rc = VG_EIO;
	}
	if (rc)
		return vg_cli_fail("scenario %llu: %s", (unsigned long long)n,
		                   vg_strerror(rc));
	printf(
	    "scenario %llu in %s: alpha.json, gamma.json, beta.json (post in "
	    "that order), truth.json\n",
	    (unsigned long long)n, dir);
	return VG_EXIT_OK;
}
