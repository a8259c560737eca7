/* Validation speed on real objects: µs per object for vg_stix_validate,
 * printed beside cJSON's parse of the same file (the reference: ingest
 * parses every object before validating it). bench_stix_validate FILE */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "vigil/stix/stix.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s BUNDLE.json\n", argv[0]);
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	char *text = malloc((size_t)n + 1);
	if (!text || fread(text, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "%s: cannot read\n", argv[1]);
		return 1;
	}
	text[n] = '\0';
	fclose(f);

	const int rounds = 20;
	double t0 = now();
	cJSON *doc = NULL;
	for (int r = 0; r < rounds; r++) {
		cJSON_Delete(doc);
		doc = cJSON_Parse(text);
	}
	double parse = (now() - t0) / rounds;
	const cJSON *objs = cJSON_GetObjectItemCaseSensitive(doc, "objects");
	int count = cJSON_GetArraySize(objs), valid = 0;
	if (!count) {
		fprintf(stderr, "%s: no objects\n", argv[1]);
		return 1;
	}

	t0 = now();
	for (int r = 0; r < rounds; r++) {
		const cJSON *o;
		cJSON_ArrayForEach(o, objs)
		{
			char err[256];
			struct vg_stix_info info;
			valid +=
			    vg_stix_validate(o, &info, err, sizeof(err)) == 0;
		}
	}
	double validate = (now() - t0) / rounds;

	printf("stix_validate: %d objects (%d valid)\n", count, valid / rounds);
	printf("  vg_stix_validate  %8.3f us/object\n", validate * 1e6 / count);
	printf("  cJSON_Parse (ref) %8.3f us/object\n", parse * 1e6 / count);
	cJSON_Delete(doc);
	free(text);
	return 0;
}
