/* GET /api/v1/alerts/stream: the caller's alerts as server-sent events,
 * resumable with Last-Event-ID (the alert's seq). The response is a
 * libmicrohttpd content reader; with nothing to send the connection is
 * suspended (no thread waits) and resumed when the service says alerts
 * may be new, and every 15 seconds for a comment line that keeps proxies
 * open and finds clients that left. */
#include "warn_http.h"
#include "vigil/service/warn.h"
#include "vigil/util/error.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PING_US 15000000LL

struct sse {
	struct vg_http *h;
	struct MHD_Connection *conn;
	struct vg_ctx ctx; /* the caller, copied: the request may go first */
	int64_t last;      /* the last seq sent (or skipped) */
	size_t sent;
	struct vg_buf out;
	size_t off;
	int suspended;
	unsigned long long seen_wakes;
	int64_t next_ping;
	struct sse *prev, *next;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct sse *streams;
static atomic_ullong wakes;
static int stopping, listening, ticking;
static pthread_t ticker;
static pthread_cond_t tick = PTHREAD_COND_INITIALIZER;

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Resume every suspended stream (all, or those due a ping); mu held. */
static void resume_locked(int only_due)
{
	int64_t now = mono_us();
	for (struct sse *x = streams; x; x = x->next)
		if (x->suspended && (!only_due || now >= x->next_ping)) {
			x->suspended = 0;
			MHD_resume_connection(x->conn);
		}
}

/* The service: alerts may be new (any thread). */
static void wake(void *arg)
{
	(void)arg;
	atomic_fetch_add(&wakes, 1);
	pthread_mutex_lock(&mu);
	resume_locked(0);
	pthread_mutex_unlock(&mu);
}

static void *ping_loop(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mu);
	while (!stopping) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 1;
		pthread_cond_timedwait(&tick, &mu, &until);
		if (!stopping)
			resume_locked(1);
	}
	pthread_mutex_unlock(&mu);
	return NULL;
}

static ssize_t reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct sse *x = cls;
	(void)pos;
	for (;;) {
		if (x->off < x->out.len) {
			size_t n = x->out.len - x->off;
			if (n > max)
				n = max;
			memcpy(buf, x->out.data + x->off, n);
			x->off += n;
			return (ssize_t)n;
		}
		if (atomic_load(&x->h->stopping))
			return MHD_CONTENT_READER_END_OF_STREAM;
		vg_buf_reset(&x->out);
		x->off = 0;
		unsigned long long w = atomic_load(&wakes);
		int64_t last = x->last;
		size_t n = 0;
		if (vg_warn_last_seq(x->h->svc) > x->last ||
		    w != x->seen_wakes) {
			x->seen_wakes = w;
			if (vg_alerts_stream_next(&x->ctx, x->last, &x->out,
			                          &last, &n))
				return MHD_CONTENT_READER_END_WITH_ERROR;
			x->last = last;
			x->sent += n;
		}
		if (x->out.len)
			continue;
		int64_t now = mono_us();
		if (now >= x->next_ping) {
			x->next_ping = now + PING_US;
			if (vg_buf_puts(&x->out, ": ping\n\n"))
				return MHD_CONTENT_READER_END_WITH_ERROR;
			continue;
		}
		/* nothing to send: park the connection, unless a wake came in
		 * while this looked */
		pthread_mutex_lock(&mu);
		if (atomic_load(&wakes) != x->seen_wakes || stopping) {
			pthread_mutex_unlock(&mu);
			continue;
		}
		x->suspended = 1;
		MHD_suspend_connection(x->conn);
		pthread_mutex_unlock(&mu);
		return 0;
	}
}

static void done(void *cls)
{
	struct sse *x = cls;
	pthread_mutex_lock(&mu);
	if (x->prev)
		x->prev->next = x->next;
	else
		streams = x->next;
	if (x->next)
		x->next->prev = x->prev;
	pthread_mutex_unlock(&mu);
	vg_alerts_stream_close(&x->ctx, x->last, x->sent);
	vg_ctx_release(&x->ctx);
	vg_buf_release(&x->out);
	free(x);
}

/* A copy of the request's context that the stream owns. */
static int copy_ctx(struct vg_ctx *dst, const struct vg_ctx *src)
{
	*dst = *src;
	dst->defer = NULL;
	dst->purpose = NULL;
	dst->groups = dst->grants = NULL;
	dst->p.groups = dst->p.grants = NULL;
	if (src->p.n_groups) {
		dst->groups = malloc(src->p.n_groups * sizeof(int64_t));
		if (!dst->groups)
			return VG_ENOMEM;
		memcpy(dst->groups, src->p.groups,
		       src->p.n_groups * sizeof(int64_t));
		dst->p.groups = dst->groups;
	}
	if (src->p.n_grants) {
		dst->grants = malloc(src->p.n_grants * sizeof(int64_t));
		if (!dst->grants) {
			free(dst->groups);
			return VG_ENOMEM;
		}
		memcpy(dst->grants, src->p.grants,
		       src->p.n_grants * sizeof(int64_t));
		dst->p.grants = dst->grants;
	}
	return VG_OK;
}

enum MHD_Result vg__h_alerts_stream(struct req *r)
{
	static const char *const params[] = {"after", NULL};
	char err[200];
	if (vg__args_only(r, params, err, sizeof(err)))
		return vg__error(r, MHD_HTTP_BAD_REQUEST, "bad request", err);
	const char *from = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	                                               "Last-Event-ID");
	if (!from)
		from = vg__arg(r, "after");
	char *end = NULL;
	long long after = from ? strtoll(from, &end, 10) : 0;
	if (from && (!*from || *end || after < 0))
		return vg__error(
		    r, MHD_HTTP_BAD_REQUEST, "bad request",
		    "Last-Event-ID (or 'after') is an alert number");
	/* the stream's opening is on record before anything is sent */
	struct vg_audit_defer *keep = r->ctx.defer;
	r->ctx.defer = NULL;
	int rc = vg_alerts_stream_open(&r->ctx, after);
	r->ctx.defer = keep;
	if (rc)
		return vg__http_fail(r, rc, NULL);
	struct sse *x = calloc(1, sizeof(*x));
	if (!x || copy_ctx(&x->ctx, &r->ctx)) {
		free(x);
		return vg__http_fail(r, VG_ENOMEM, NULL);
	}
	x->h = r->h;
	x->conn = r->conn;
	x->last = after;
	x->seen_wakes = atomic_load(&wakes) - 1; /* look at once */
	x->next_ping = mono_us() + PING_US;
	vg_buf_init(&x->out, 1 << 24);
	/* a first comment: the client knows the stream is open */
	vg_buf_puts(&x->out, ": vigil alerts\nretry: 2000\n\n");
	pthread_mutex_lock(&mu);
	int first = !listening;
	listening = 1;
	if (!ticking && !pthread_create(&ticker, NULL, ping_loop, NULL))
		ticking = 1;
	x->next = streams;
	if (streams)
		streams->prev = x;
	streams = x;
	pthread_mutex_unlock(&mu);
	if (first)
		vg_warn_listen(r->h->svc, wake, NULL);
	struct MHD_Response *res = MHD_create_response_from_callback(
	    MHD_SIZE_UNKNOWN, 4096, reader, x, done);
	if (!res) {
		done(x);
		return MHD_NO;
	}
	MHD_add_response_header(res, MHD_HTTP_HEADER_CONTENT_TYPE,
	                        "text/event-stream; charset=utf-8");
	MHD_add_response_header(res, "Cache-Control", "no-store");
	MHD_add_response_header(res, "X-Accel-Buffering", "no");
	MHD_add_response_header(res, "X-Content-Type-Options", "nosniff");
	r->status = MHD_HTTP_OK;
	enum MHD_Result ok = MHD_queue_response(r->conn, MHD_HTTP_OK, res);
	MHD_destroy_response(res);
	return ok;
}

void vg__sse_stop(struct vg_http *h)
{
	pthread_mutex_lock(&mu);
	stopping = 1;
	resume_locked(0);
	int was = ticking;
	ticking = 0;
	int l = listening;
	listening = 0;
	pthread_cond_broadcast(&tick);
	pthread_mutex_unlock(&mu);
	if (was)
		pthread_join(ticker, NULL);
	if (l)
		vg_warn_unlisten(h->svc, wake, NULL);
}
