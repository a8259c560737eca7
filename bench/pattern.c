/* STIX pattern matching speed: 1,000 generated patterns (equality on
 * IPv4, domain, URL and file hashes, IN, LIKE, MATCHES, ISSUBSET, AND/OR
 * and observation expressions with qualifiers) against 100,000 generated
 * observations, through the indexed set, beside the reference: a plain
 * loop calling vg_pattern_match for every pattern on every observation in
 * the same program. Both must find the same matches.
 * bench_pattern [PATTERNS [OBSERVATIONS [BATCH...]]] */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vigil/pattern/pattern.h"
#include "vigil/util/error.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

/* Values drawn from small pools, so that observations hit patterns. */
static void ip(char *b, size_t n, uint32_t k)
{
	snprintf(b, n, "10.%u.%u.%u", k >> 16 & 255, k >> 8 & 255, k & 255);
}

#define POOL 20000 /* distinct values per kind */

static void hexhash(char *b, uint32_t k, int len)
{
	uint64_t x = k * 0x9e3779b97f4a7c15ull + 1;
	for (int i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		b[i] = "0123456789abcdef"[x & 15];
	}
	b[len] = '\0';
}

/* Values of the patterns with qualifiers, planted in the observations
 * so that FOLLOWEDBY and REPEATS find bindings in batches. */
struct plant {
	uint32_t ip, dn; /* FOLLOWEDBY: this IPv4, then this domain */
	int kind;        /* 1 FOLLOWEDBY, 2 REPEATS (dn twice) */
};
static struct plant plants[1000];
static int n_plants;

static char *make_pattern(int i)
{
	char a[80], b[80], h[130];
	char *s = malloc(512);
	uint32_t k = rnd(POOL), k2 = rnd(POOL), r = (uint32_t)i % 100;
	if (r < 40) {
		ip(a, sizeof(a), k);
		snprintf(s, 512, "[ipv4-addr:value = '%s']", a);
	} else if (r < 55) {
		snprintf(s, 512, "[domain-name:value = 'h%u.example.com']", k);
	} else if (r < 63) {
		snprintf(s, 512, "[url:value = 'http://h%u.example.com/a']", k);
	} else if (r < 68) {
		hexhash(h, k, 64);
		snprintf(s, 512, "[file:hashes.'SHA-256' = '%s']", h);
	} else if (r < 73) {
		hexhash(h, k, 32);
		snprintf(s, 512, "[file:hashes.MD5 = '%s']", h);
	} else if (r < 78) {
		ip(a, sizeof(a), k);
		ip(b, sizeof(b), k2);
		snprintf(s, 512,
		         "[ipv4-addr:value IN ('%s', '%s', '10.255.0.%u')]", a,
		         b, k & 255);
	} else if (r < 83) {
		snprintf(s, 512,
		         "[domain-name:value LIKE '%%.h%u.example.com']", k);
	} else if (r < 86) {
		snprintf(
		    s, 512,
		    "[url:value MATCHES '^https?://h%u\\\\.example\\\\.com/']",
		    k);
	} else if (r < 88) {
		snprintf(s, 512, "[ipv4-addr:value ISSUBSET '10.%u.%u.0/24']",
		         k >> 16 & 255, k >> 8 & 255);
	} else if (r < 91) {
		snprintf(
		    s, 512,
		    "[file:name = 'f%u.exe' AND file:size > 1000 OR "
		    "file:hashes.MD5 = '00000000000000000000000000000000']",
		    k);
	} else if (r < 94) {
		ip(a, sizeof(a), k);
		snprintf(s, 512,
		         "[ipv4-addr:value = '%s' OR domain-name:value = "
		         "'h%u.example.com']",
		         a, k2);
	} else if (r < 96) {
		ip(a, sizeof(a), k);
		snprintf(
		    s, 512,
		    "([ipv4-addr:value = '%s'] FOLLOWEDBY [domain-name:value "
		    "= 'h%u.example.com']) WITHIN 300 SECONDS",
		    a, k2);
		if (n_plants < 1000)
			plants[n_plants++] = (struct plant){k, k2, 1};
	} else if (r < 98) {
		snprintf(
		    s, 512,
		    "[domain-name:value = 'h%u.example.com'] REPEATS 2 TIMES "
		    "WITHIN 600 SECONDS",
		    k);
		if (n_plants < 1000)
			plants[n_plants++] = (struct plant){0, k, 2};
	} else {
		ip(a, sizeof(a), k);
		snprintf(
		    s, 512,
		    "[ipv4-addr:value = '%s'] START t'2024-01-01T00:00:00Z' "
		    "STOP t'2024-01-01T12:00:00Z'",
		    a);
	}
	return s;
}

static cJSON *value_sco(const char *type, const char *v)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "type", type);
	cJSON_AddStringToObject(o, "value", v);
	return o;
}

static cJSON *make_sco(void)
{
	char a[80], h[130];
	cJSON *o = cJSON_CreateObject();
	uint32_t r = rnd(100), k = rnd(POOL);
	if (r < 55) {
		ip(a, sizeof(a), k);
		cJSON_AddStringToObject(o, "type", "ipv4-addr");
		cJSON_AddStringToObject(o, "value", a);
	} else if (r < 75) {
		snprintf(a, sizeof(a),
		         rnd(2) ? "h%u.example.com" : "www.h%u.example.com", k);
		cJSON_AddStringToObject(o, "type", "domain-name");
		cJSON_AddStringToObject(o, "value", a);
	} else if (r < 87) {
		snprintf(a, sizeof(a),
		         rnd(2) ? "http://h%u.example.com/a"
		                : "https://h%u.example.com/b",
		         k);
		cJSON_AddStringToObject(o, "type", "url");
		cJSON_AddStringToObject(o, "value", a);
	} else {
		cJSON *hs = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "type", "file");
		snprintf(a, sizeof(a), "f%u.exe", k);
		cJSON_AddStringToObject(o, "name", a);
		cJSON_AddNumberToObject(o, "size", rnd(4000));
		hexhash(h, k, 64);
		cJSON_AddStringToObject(hs, "SHA-256", h);
		hexhash(h, rnd(POOL), 32);
		cJSON_AddStringToObject(hs, "MD5", h);
		cJSON_AddItemToObject(o, "hashes", hs);
	}
	return o;
}

struct tally {
	uint64_t n, sum; /* matches, and a checksum of (batch, pattern) */
	uint64_t batch;
};

static int hit(void *ud, uint64_t id)
{
	struct tally *t = ud;
	t->n++;
	t->sum += (t->batch + 1) * 1000003u + id * 7919u;
	return 0;
}

int main(int argc, char **argv)
{
	int np = argc > 1 ? atoi(argv[1]) : 1000;
	int no = argc > 2 ? atoi(argv[2]) : 100000;
	int batches[8] = {1, 10}, nb = 2;
	if (argc > 3) {
		nb = 0;
		for (int i = 3; i < argc && nb < 8; i++)
			batches[nb++] = atoi(argv[i]);
	}
	if (np <= 0 || no <= 0)
		return 2;

	struct vg_pattern **pats = calloc((size_t)np, sizeof(*pats));
	struct vg_pattern_set *set;
	if (vg_pattern_set_new(&set))
		return 1;
	for (int i = 0; i < np; i++) {
		char *s = make_pattern(i);
		struct vg_pattern_error e;
		if (vg_pattern_parse(s, strlen(s), &pats[i], &e)) {
			fprintf(stderr, "pattern %d refused: %s: %s\n", i,
			        e.reason, s);
			return 1;
		}
		if (vg_pattern_set_add(set, pats[i], (uint64_t)i))
			return 1;
		free(s);
	}
	cJSON **scos = calloc((size_t)no, sizeof(*scos));
	struct vg_pattern_obs *obs = calloc((size_t)no, sizeof(*obs));
	struct vg_pattern_time t0;
	vg_pattern_time_parse("2024-01-01T00:00:00Z", &t0);
	for (int i = 0; i < no; i++) {
		scos[i] = make_sco();
		/* every 100th observation starts a planted pair */
		const struct plant *pl =
		    &plants[(i / 100) % (n_plants ? n_plants : 1)];
		char v[80];
		if (n_plants && i % 100 == 0 && pl->kind == 1) {
			ip(v, sizeof(v), pl->ip);
			cJSON_Delete(scos[i]);
			scos[i] = value_sco("ipv4-addr", v);
		} else if (n_plants && i % 100 <= 1) {
			snprintf(v, sizeof(v), "h%u.example.com", pl->dn);
			cJSON_Delete(scos[i]);
			scos[i] = value_sco("domain-name", v);
		}
		obs[i].scos = (const cJSON *const *)&scos[i];
		obs[i].n_scos = 1;
		obs[i].first.sec = t0.sec + i;
		obs[i].last = obs[i].first;
		obs[i].count = 1;
	}
	struct vg_pattern_matcher *m;
	if (vg_pattern_matcher_new(set, &m))
		return 1;

	int same = 1;
	for (int b = 0; b < nb; b++) {
		int bs = batches[b] > 0 ? batches[b] : 1;
		struct tally ti = {0}, tp = {0};
		size_t complex = 0, cx;
		double a = now();
		for (int i = 0; i < no; i += bs) {
			int n = no - i < bs ? no - i : bs;
			ti.batch = (uint64_t)i;
			if (vg_pattern_matcher_run(m, obs + i, (size_t)n, hit,
			                           &ti, &cx))
				return 1;
			complex += cx;
		}
		double ts = now() - a;
		a = now();
		for (int i = 0; i < no && !getenv("BENCH_PATTERN_NO_REF");
		     i += bs) {
			int n = no - i < bs ? no - i : bs;
			tp.batch = (uint64_t)i;
			for (int p = 0; p < np; p++) {
				int r;
				if (vg_pattern_match(pats[p], obs + i,
				                     (size_t)n, &r))
					return 1;
				if (r)
					hit(&tp, (uint64_t)p);
			}
		}
		double tl = now() - a;
		if (getenv("BENCH_PATTERN_NO_REF")) /* for profiling */
			tp = ti, tl = 1;
		int ok = ti.n == tp.n && ti.sum == tp.sum && !complex;
		same &= ok;
		printf("%d patterns, %d observations, %d at a time:\n", np, no,
		       bs);
		printf("  indexed set       %12.0f observations/s  (%.3f s, "
		       "%" PRIu64 " matches)\n",
		       no / ts, ts, ti.n);
		printf("  plain loop (ref)  %12.0f observations/s  (%.3f s, "
		       "%" PRIu64 " matches)\n",
		       no / tl, tl, tp.n);
		printf("  speed-up %.0fx; same matches: %s\n", tl / ts,
		       ok ? "yes" : "NO");
	}
	vg_pattern_matcher_free(m);
	vg_pattern_set_free(set);
	for (int i = 0; i < np; i++)
		vg_pattern_free(pats[i]);
	for (int i = 0; i < no; i++)
		cJSON_Delete(scos[i]);
	free(scos);
	free(obs);
	free(pats);
	return same ? 0 : 1;
}
