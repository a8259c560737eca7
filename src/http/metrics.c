/* /metrics in Prometheus text format: requests by route and status, a
 * latency histogram, objects stored, ingest counts, group commits. */
#include "http_int.h"
#include "vigil/service/objects.h"
#include "vigil/util/error.h"

#include <stdatomic.h>

static const unsigned statuses[] = {200, 201, 202, 400, 401, 403, 404, 405,
				    406, 409, 413, 414, 415, 422, 431, 499,
				    500, 503};
#define N_STATUS (sizeof(statuses) / sizeof(statuses[0]))
static const double bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
				0.05, 0.1, 0.25, 0.5, 1, 2.5};
#define N_BOUNDS (sizeof(bounds) / sizeof(bounds[0]))

static atomic_ullong requests[R__COUNT][N_STATUS + 1];
static atomic_ullong buckets[N_BOUNDS + 1];
static atomic_ullong latency_ns_sum, latency_count;
static atomic_ullong ingested[3];

static const char *const route_names[R__COUNT] = {
	"healthz", "metrics", "discovery", "api_root", "collections",
	"collection", "objects_get", "objects_post", "object_get",
	"object_delete", "versions", "manifest", "status", "audit", "screen",
	"admin", "ui", "session", "console", "other", "warn",
};

const char *vg__route_name(enum route r)
{
	return (unsigned)r < R__COUNT ? route_names[r] : "other";
}

void vg__metrics_request(enum route route, unsigned status, int64_t ns)
{
	size_t s = N_STATUS;
	for (size_t i = 0; i < N_STATUS; i++)
		if (statuses[i] == status)
			s = i;
	if ((unsigned)route >= R__COUNT)
		route = R_OTHER;
	atomic_fetch_add(&requests[route][s], 1);
	double secs = (double)ns / 1e9;
	size_t b = 0;
	while (b < N_BOUNDS && secs > bounds[b])
		b++;
	atomic_fetch_add(&buckets[b], 1);
	atomic_fetch_add(&latency_ns_sum, (unsigned long long)(ns > 0 ? ns : 0));
	atomic_fetch_add(&latency_count, 1);
}

void vg__metrics_ingest(size_t accepted, size_t duplicates, size_t rejected)
{
	atomic_fetch_add(&ingested[0], accepted);
	atomic_fetch_add(&ingested[1], duplicates);
	atomic_fetch_add(&ingested[2], rejected);
}

int vg__metrics_text(const struct vg_hub_counts *n, struct vg_buf *b)
{
	int rc = vg_buf_puts(b, "# HELP vigil_http_requests_total HTTP requests "
				"by route and status.\n"
				"# TYPE vigil_http_requests_total counter\n");
	for (int r = 0; !rc && r < R__COUNT; r++)
		for (size_t s = 0; !rc && s <= N_STATUS; s++) {
			unsigned long long n = atomic_load(&requests[r][s]);
			if (!n)
				continue;
			if (s < N_STATUS)
				rc = vg_buf_printf(b, "vigil_http_requests_total{route=\"%s\","
						      "status=\"%u\"} %llu\n",
						   route_names[r], statuses[s], n);
			else
				rc = vg_buf_printf(b, "vigil_http_requests_total{route=\"%s\","
						      "status=\"other\"} %llu\n",
						   route_names[r], n);
		}
	if (!rc)
		rc = vg_buf_puts(b, "# HELP vigil_http_request_duration_seconds "
				    "Request latency.\n# TYPE "
				    "vigil_http_request_duration_seconds histogram\n");
	unsigned long long cum = 0;
	for (size_t i = 0; !rc && i < N_BOUNDS; i++) {
		cum += atomic_load(&buckets[i]);
		rc = vg_buf_printf(b, "vigil_http_request_duration_seconds_bucket"
				      "{le=\"%g\"} %llu\n",
				   bounds[i], cum);
	}
	cum += atomic_load(&buckets[N_BOUNDS]);
	if (!rc)
		rc = vg_buf_printf(b, "vigil_http_request_duration_seconds_bucket"
				      "{le=\"+Inf\"} %llu\n"
				      "vigil_http_request_duration_seconds_sum %.6f\n"
				      "vigil_http_request_duration_seconds_count %llu\n",
				   cum, atomic_load(&latency_ns_sum) / 1e9,
				   atomic_load(&latency_count));
	if (!rc)
		rc = vg_buf_printf(b, "# HELP vigil_ingest_objects_total Objects "
				      "posted, by outcome.\n# TYPE "
				      "vigil_ingest_objects_total counter\n"
				      "vigil_ingest_objects_total{outcome=\"accepted\"} %llu\n"
				      "vigil_ingest_objects_total{outcome=\"duplicate\"} %llu\n"
				      "vigil_ingest_objects_total{outcome=\"rejected\"} %llu\n",
				   atomic_load(&ingested[0]), atomic_load(&ingested[1]),
				   atomic_load(&ingested[2]));
	if (!rc)
		rc = vg_buf_printf(b, "# HELP vigil_store_commits_total Group "
				      "commits and the jobs they carried.\n# TYPE "
				      "vigil_store_commits_total counter\n"
				      "vigil_store_commits_total %llu\n"
				      "vigil_store_jobs_total %llu\n",
				   n->commits, n->jobs);
	if (!rc)
		rc = vg_buf_printf(b, "# HELP vigil_objects_stored Objects (distinct "
				      "ids) and versions in the store.\n# TYPE "
				      "vigil_objects_stored gauge\n"
				      "vigil_objects_stored %lld\n"
				      "vigil_object_versions_stored %lld\n",
				   n->objects, n->versions);
	if (!rc && n->read_cache)
		rc = vg_buf_printf(b, "# HELP vigil_read_cache_total Answers "
				      "taken from the read cache, made for it, "
				      "and found out of date when recorded (then "
				      "asked of the store again).\n# TYPE "
				      "vigil_read_cache_total counter\n"
				      "vigil_read_cache_total{outcome=\"hit\"} %llu\n"
				      "vigil_read_cache_total{outcome=\"miss\"} %llu\n"
				      "vigil_read_cache_total{outcome=\"stale\"} %llu\n",
				   n->cache_hits, n->cache_misses, n->cache_stale);
	return rc;
}
