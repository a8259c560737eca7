/* libFuzzer target for STIX patterns: any bytes parsed as a pattern; a
 * refusal must point inside the text, an accepted pattern has its
 * literals listed and is matched against a few observations by
 * vg_pattern_match and by an indexed set, which must agree. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vigil/pattern/pattern.h"
#include "vigil/util/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char scos_json[] =
    "[{\"type\":\"ipv4-addr\",\"id\":\"ipv4-addr--1\",\"value\":\"10.0.0.1\"},"
    "{\"type\":\"domain-name\",\"value\":\"example.com\",\"resolves_to_refs\":"
    "[\"ipv4-addr--1\"]},"
    "{\"type\":\"file\",\"name\":\"a.exe\",\"size\":1024,\"hashes\":{\"MD5\":"
    "\"79054025255fb1a26e4bc422aef54eb4\"},\"magic_number_hex\":\"ffd8\"},"
    "{\"type\":\"url\",\"value\":\"http://example.com/x\"}]";

static cJSON *scos;
static const cJSON *list[4];
static struct vg_pattern_obs obs[3];

static void setup(void)
{
	scos = cJSON_Parse(scos_json);
	size_t k = 0;
	for (const cJSON *c = scos->child; c && k < 4; c = c->next)
		list[k++] = c;
	vg_pattern_time_parse("2024-01-01T00:00:00Z", &obs[0].first);
	vg_pattern_time_parse("2024-01-01T00:05:00Z", &obs[0].last);
	obs[0].scos = list;
	obs[0].n_scos = 2;
	obs[0].count = 3;
	obs[1] = obs[0];
	obs[1].scos = list + 2;
	obs[1].count = 1;
	vg_pattern_time_parse("2024-01-01T00:10:00Z", &obs[1].first);
	obs[1].last = obs[1].first;
	obs[2] = obs[1];
	obs[2].scos = list;
	obs[2].n_scos = 4;
	obs[2].count = 1000000;
}

static int lit_fn(void *ud, const struct vg_pattern_literal *l)
{
	(void)ud;
	if (!l->object_type || !l->path || (l->len && !l->text))
		__builtin_trap();
	return 0;
}

static int hit_fn(void *ud, uint64_t id)
{
	(void)id;
	(*(int *)ud)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_pattern *p = NULL;
	struct vg_pattern_error e;

	if (!scos)
		setup();
	int rc = vg_pattern_parse((const char *)data, size, &p, &e);
	if (rc == VG_EINVAL) {
		if (e.offset > size || e.column < 1 || e.column > size + 1 ||
		    !e.section || !memchr(e.reason, '\0', sizeof(e.reason)))
			__builtin_trap();
		return 0;
	}
	if (rc)
		return 0;
	vg_pattern_literals(p, lit_fn, NULL);
	int one = -1, hits = 0;
	size_t complex = 0;
	rc = vg_pattern_match(p, obs, 3, &one);
	struct vg_pattern_set *s = NULL;
	struct vg_pattern_matcher *m = NULL;
	if (vg_pattern_set_new(&s) == VG_OK &&
	    vg_pattern_set_add(s, p, 7) == VG_OK &&
	    vg_pattern_matcher_new(s, &m) == VG_OK &&
	    vg_pattern_matcher_run(m, obs, 3, hit_fn, &hits, &complex) ==
	        VG_OK &&
	    rc == VG_OK && !complex && hits != one)
		__builtin_trap();
	vg_pattern_matcher_free(m);
	vg_pattern_set_free(s);
	vg_pattern_free(p);
	return 0;
}
