/* bench_warn: the helpers of bench/warn.sh, over a hub's store.
 *   bench_warn watches DATA N       make N watches of every kind (as the
 *                                   operator), a few of them matching
 *                                   `vigil gen` data
 *   bench_warn correlate DATA N     correlate N stored objects (sampled
 *                                   over the types that have keys) as a
 *                                   reader, the way the server does (its
 *                                   audit entry handed to the group
 *                                   commit), then 50 as the command does
 *                                   (each entry committed first); prints
 *                                   the median, p90 and p99 of each */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vigil/service/objects.h"
#include "vigil/service/service.h"
#include "vigil/service/warn.h"
#include "vigil/stix/gen.h"
#include "vigil/util/error.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int open_hub(const char *data, int threaded, struct vg_service **svc,
                    struct vg_ctx *c)
{
	char err[300] = "";
	struct vg_service_conf conf = {.location = data,
	                               .threaded = threaded,
	                               .max_batch = 512,
	                               .gather_us = 1000};
	int rc = vg_service_open(&conf, svc, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "bench_warn: %s\n",
		        err[0] ? err : vg_strerror(rc));
		return rc;
	}
	vg_ctx_init(c, *svc, VG_CHANNEL_CLI, "cli");
	vg_ctx_operator(c, "bench");
	return VG_OK;
}

static int watches(const char *data, long n)
{
	struct vg_service *svc;
	struct vg_ctx c;
	struct vg_rng r = {.s = 7};
	if (open_hub(data, 0, &svc, &c))
		return 1;
	double t0 = now();
	long made = 0;
	for (long i = 0; i < n; i++) {
		char term[300], name[64], sur[64];
		struct vg_watch_spec w = {0};
		unsigned k = vg_rng_below(&r, 100);
		/* 40% values, 20% names, 10% documents, 15% patterns, 10%
		 * objects, 5% queries; one in a hundred values is a domain
		 * `vigil gen` makes, so some alerts are raised */
		if (k < 40) {
			w.kind = "value";
			if (k < 20)
				snprintf(term, sizeof(term), "198.%u.%u.%u",
				         vg_rng_below(&r, 256),
				         vg_rng_below(&r, 256),
				         vg_rng_below(&r, 256));
			else if (k < 39)
				snprintf(term, sizeof(term),
				         "watched-%ld.example", i);
			else {
				vg_rng_name(&r, name, sizeof(name));
				for (char *p = name; *p; p++)
					*p = (char)(*p | 0x20);
				snprintf(term, sizeof(term), "%s-%u.example",
				         name, vg_rng_below(&r, 200000));
			}
		} else if (k < 60) {
			w.kind = "name";
			vg_rng_name(&r, name, sizeof(name));
			vg_rng_name(&r, sur, sizeof(sur));
			snprintf(term, sizeof(term), "%s %s", name, sur);
		} else if (k < 70) {
			w.kind = "document";
			snprintf(term, sizeof(term), "P%07u",
			         vg_rng_below(&r, 10000000));
		} else if (k < 85) {
			w.kind = "pattern";
			snprintf(term, sizeof(term),
			         k < 78
			             ? "[ipv4-addr:value = '203.0.%u.%u']"
			             : "[domain-name:value = 'x%u-%u.example']",
			         vg_rng_below(&r, 256), vg_rng_below(&r, 256));
		} else if (k < 95) {
			w.kind = "object";
			snprintf(term, sizeof(term),
			         "threat-actor--%08x-0000-4000-8000-%012x",
			         vg_rng_below(&r, 0xffffffffu), (unsigned)i);
		} else {
			w.kind = "query";
			snprintf(term, sizeof(term),
			         "{\"labels\":[\"label-%u\"],\"types\":["
			         "\"indicator\"]}",
			         vg_rng_below(&r, 1000));
		}
		w.term = term;
		struct vg_buf b;
		char err[300];
		vg_buf_init(&b, 0);
		int rc = vg_watch_add(&c, &w, &b, err, sizeof(err));
		vg_buf_release(&b);
		if (rc) {
			fprintf(stderr, "bench_warn: watch %s %s: %s\n", w.kind,
			        term, err);
			break;
		}
		made++;
	}
	printf("made %ld watches in %.1f s\n", made, now() - t0);
	vg_ctx_release(&c);
	vg_service_close(svc);
	return made == n ? 0 : 1;
}

/* ---- correlation lookups ----------------------------------------------------
 */

struct sample {
	char **ids;
	size_t n, want, seen, every;
};

static int take_id(void *ud, const char *json, size_t len)
{
	struct sample *s = ud;
	(void)len;
	if (s->n == s->want || s->seen++ % s->every)
		return 0;
	const char *p = strstr(json, "\"id\":\"");
	if (!p)
		return 0;
	p += 6;
	const char *e = strchr(p, '"');
	s->ids[s->n++] = strndup(p, (size_t)(e - p));
	return 0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void report(const char *what, double *t, size_t n)
{
	qsort(t, n, sizeof(*t), cmp);
	printf("%-44s n=%zu median %.3f ms  p90 %.3f ms  p99 %.3f ms\n", what,
	       n, t[n / 2] * 1e3, t[n * 9 / 10] * 1e3, t[n * 99 / 100] * 1e3);
}

static atomic_int committed;

static void done(void *arg, int result)
{
	(void)arg;
	(void)result;
	atomic_store(&committed, 1);
}

static int correlate(const char *data, long n, const char *user)
{
	struct vg_service *svc;
	struct vg_ctx op, c;
	char err[300];
	if (open_hub(data, 1, &svc, &op))
		return 1;
	static const char *const types[] = {"indicator", "identity",
	                                    "threat-actor", "domain-name",
	                                    "ipv4-addr"};
	struct vg_hub_counts hc;
	struct vg_export_filter f = {.types = types, .n_types = 5};
	struct sample s = {.ids = calloc((size_t)n, sizeof(char *)),
	                   .want = (size_t)n};
	size_t count = 0;
	/* about 55% of `vigil gen` objects are of those types */
	if (vg_metrics_read(&op, &hc))
		hc.versions = 1000000;
	s.every = (size_t)(hc.versions * 55 / 100 / n);
	if (!s.every)
		s.every = 1;
	if (vg_objects_export(&op, &f, take_id, &s, &count)) {
		fprintf(stderr, "bench_warn: cannot read the ids\n");
		return 1;
	}
	printf("objects stored: %lld versions; %zu sampled\n", hc.versions,
	       s.n);
	vg_ctx_init(&c, svc, VG_CHANNEL_HTTP, "127.0.0.1");
	vg_ctx_operator(&c, "bench");
	if (vg_warn_ctx_as(&c, user, err, sizeof(err))) {
		fprintf(stderr, "bench_warn: %s\n", err);
		return 1;
	}
	double *t = calloc(s.n, sizeof(double));
	size_t related = 0, over = 0;
	struct vg_audit_defer defer = {0};
	for (size_t i = 0; i < s.n; i++) {
		struct vg_buf b;
		vg_buf_init(&b, 0);
		c.defer = &defer;
		double t0 = now();
		int rc = vg_warn_correlate(&c, s.ids[i], &b, err, sizeof(err));
		t[i] = now() - t0;
		/* the entry goes to the group commit, as the server's do */
		atomic_store(&committed, 0);
		if (vg_ctx_commit_reads(&c, done, NULL))
			atomic_store(&committed, 1);
		if (rc)
			fprintf(stderr, "bench_warn: %s: %s\n", s.ids[i], err);
		related +=
		    b.data ? (size_t)(strstr(b.data, "\"related\":[]") == NULL)
		           : 0;
		over += b.data && strstr(b.data, "\"over_budget\":true");
		vg_buf_release(&b);
		/* wait for the commit before the defer is reused */
		while (!atomic_load(&committed)) {
			struct timespec us = {0, 50000};
			nanosleep(&us, NULL);
		}
		vg_audit_defer_release(&defer);
	}
	c.defer = NULL;
	report("correlate, audit handed to the group commit", t, s.n);
	printf("  with related objects: %zu; with a key over the budget: %zu\n",
	       related, over);
	vg_ctx_release(&c);
	vg_ctx_release(&op);
	vg_service_close(svc);

	/* the command's way: each read's entry committed before it returns */
	if (open_hub(data, 0, &svc, &op))
		return 1;
	vg_ctx_init(&c, svc, VG_CHANNEL_CLI, "cli");
	vg_ctx_operator(&c, "bench");
	vg_warn_ctx_as(&c, user, err, sizeof(err));
	size_t m = s.n < 50 ? s.n : 50;
	for (size_t i = 0; i < m; i++) {
		struct vg_buf b;
		vg_buf_init(&b, 0);
		double t0 = now();
		vg_warn_correlate(&c, s.ids[i], &b, err, sizeof(err));
		t[i] = now() - t0;
		vg_buf_release(&b);
	}
	report("correlate, audit committed first (the CLI)", t, m);
	vg_ctx_release(&c);
	vg_ctx_release(&op);
	vg_service_close(svc);
	for (size_t i = 0; i < s.n; i++)
		free(s.ids[i]);
	free(s.ids);
	free(t);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "watches"))
		return watches(argv[2], strtol(argv[3], NULL, 10));
	if (argc >= 5 && !strcmp(argv[1], "correlate"))
		return correlate(argv[2], strtol(argv[3], NULL, 10), argv[4]);
	fprintf(stderr,
	        "usage: bench_warn watches DATA N | correlate DATA N USER\n");
	return 2;
}
