/* The hub server's lifecycle: libmicrohttpd with its internal thread pool
 * on epoll, the limits that are always on, request bodies, and a clean
 * stop on SIGTERM. The service (opened here) does the rest. */
#include "http_int.h"
#include "vigil/service/audit.h"
#include "warn_http.h"
#include "vigil/util/error.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <netdb.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- the header deadline ------------------------------------------- */

/* libmicrohttpd's timeout is for idleness: a client that trickles a byte
 * of its headers every second is never idle. So each connection is
 * tracked from its start (and from the end of each of its requests) until
 * its request's headers are complete; one still waiting after
 * idle_timeout is shut down by the main thread's watch. A connection is
 * untracked (under the lock) before libmicrohttpd closes its socket, so a
 * shutdown never reaches a reused descriptor. */
struct track {
	int fd;
	int waiting; /* for the headers of a request */
	int cut;
	int64_t since_ns;
	struct track *prev, *next;
};

static pthread_mutex_t tracks_mu = PTHREAD_MUTEX_INITIALIZER;
static struct track *tracks;

static void notify_connection(void *cls, struct MHD_Connection *c,
			      void **socket_context,
			      enum MHD_ConnectionNotificationCode code)
{
	(void)cls;
	struct track *t = *socket_context;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		t = ci ? calloc(1, sizeof(*t)) : NULL;
		*socket_context = t;
		if (!t)
			return;
		t->fd = ci->connect_fd;
		t->waiting = 1;
		t->since_ns = mono_ns();
		pthread_mutex_lock(&tracks_mu);
		t->next = tracks;
		if (tracks)
			tracks->prev = t;
		tracks = t;
		pthread_mutex_unlock(&tracks_mu);
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED && t) {
		pthread_mutex_lock(&tracks_mu);
		if (t->prev)
			t->prev->next = t->next;
		else
			tracks = t->next;
		if (t->next)
			t->next->prev = t->prev;
		pthread_mutex_unlock(&tracks_mu);
		free(t);
		*socket_context = NULL;
	}
}

static void set_waiting(struct MHD_Connection *c, int waiting)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct track *t = ci ? ci->socket_context : NULL;
	if (!t)
		return;
	pthread_mutex_lock(&tracks_mu);
	t->waiting = waiting;
	t->since_ns = mono_ns();
	pthread_mutex_unlock(&tracks_mu);
}

/* Shut down the connections that have waited for headers too long. */
static void cut_slow_headers(int64_t limit_ns)
{
	int64_t now = mono_ns();
	pthread_mutex_lock(&tracks_mu);
	for (struct track *t = tracks; t; t = t->next) {
		if (t->waiting && !t->cut && now - t->since_ns > limit_ns) {
			shutdown(t->fd, SHUT_RDWR);
			t->cut = 1;
		}
	}
	pthread_mutex_unlock(&tracks_mu);
}

/* ---- requests ---------------------------------------------------------- */

static void client_address(struct MHD_Connection *c, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(out, n, "?");
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out,
			  (socklen_t)n);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr,
			  out, (socklen_t)n);
}

/* A body from this size on makes a request large: the memory it took is
 * returned to the system once no large request is left (below 1 MiB,
 * glibc's own trimming is enough; bench/serve's envelopes are smaller) */
#define LARGE_BODY (1u << 20)

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
		      enum MHD_RequestTerminationCode code)
{
	(void)code;
	struct vg_http *h = cls;
	struct req *r = *con_cls;
	set_waiting(c, 1); /* for the next request's headers */
	if (!r)
		return;
	vg__metrics_request(r->route, (unsigned)(r->status ? r->status : 499),
			    mono_ns() - r->start_ns);
	if (r->pending)
		MHD_destroy_response(r->pending);
	vg_audit_defer_release(&r->defer);
	vg_ctx_release(&r->ctx);
	vg_buf_release(&r->body);
	if (r->admitted)
		atomic_fetch_sub(&h->working, 1);
	int large = r->large;
	free(r);
	*con_cls = NULL;
	atomic_fetch_sub(&h->in_flight, 1);
	/* vg_serve keeps freed memory for the readers' page caches
	 * (M_TRIM_THRESHOLD); what a burst of large bodies took is given
	 * back when the last of them ends, off the path of small reads */
	if (large && atomic_fetch_sub(&h->large, 1) == 1)
		malloc_trim(0);
}

/* How the request says its body's length: every Content-Length and
 * Transfer-Encoding header, counted (libmicrohttpd uses the first one, or
 * Transfer-Encoding over Content-Length; a proxy in front may take
 * another, and the two would then split the stream differently). */
struct framing {
	int lengths, encodings, chunked;
};

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind,
				     const char *key, const char *value)
{
	struct framing *f = cls;
	(void)kind;
	if (!strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH)) {
		f->lengths++;
	} else if (!strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING)) {
		f->encodings++;
		f->chunked = value && !strcasecmp(value, "chunked");
	}
	return MHD_YES;
}

/* Refuse a request whose length is ambiguous (request smuggling behind
 * a proxy): two Content-Length headers, Content-Length with
 * Transfer-Encoding, or an encoding other than one "chunked". */
static const char *ambiguous_length(struct MHD_Connection *conn)
{
	struct framing f = {0};
	MHD_get_connection_values(conn, MHD_HEADER_KIND, count_framing, &f);
	if (f.lengths > 1)
		return "more than one Content-Length header";
	if (f.lengths && f.encodings)
		return "both Content-Length and Transfer-Encoding";
	if (f.encodings > 1 || (f.encodings && !f.chunked))
		return "a Transfer-Encoding other than one 'chunked'";
	return NULL;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn,
			      const char *url, const char *method,
			      const char *version, const char *upload,
			      size_t *upload_size, void **con_cls)
{
	struct vg_http *h = cls;
	struct req *r = *con_cls;
	(void)version;
	if (!r) {
		r = calloc(1, sizeof(*r));
		if (!r)
			return MHD_NO;
		atomic_fetch_add(&h->in_flight, 1);
		set_waiting(conn, 0); /* the headers are all here */
		*con_cls = r;
		r->h = h;
		r->conn = conn;
		r->method = method;
		r->start_ns = mono_ns();
		r->route = R_OTHER;
		r->taxii = !strncmp(url, "/taxii2/", 8);
		client_address(conn, r->source, sizeof(r->source));
		vg__forwarded(r); /* the client behind a trusted proxy */
		vg_ctx_init(&r->ctx, h->svc, VG_CHANNEL_HTTP, r->source);
		r->ctx.defer = &r->defer;
		/* a read can be asked again when its kept answer turns out
		 * out of date (vg__respond_resumed) */
		r->ctx.may_keep = !strcmp(method, "GET") || !strcmp(method, "HEAD");
		vg_buf_init(&r->body, h->conf->max_content_length);
		if (atomic_load(&h->stopping)) {
			/* stopping: what is admitted finishes, nothing new
			 * starts */
			struct vg_buf b;
			vg_buf_init(&b, 0);
			vg_buf_puts(&b, "{\"title\":\"unavailable\",\"description\":"
					"\"the server is stopping\",\"http_status\":"
					"\"503\"}");
			return vg__respond(r, MHD_HTTP_SERVICE_UNAVAILABLE,
					   r->taxii ? TAXII_MEDIA : "application/json",
					   &b, "Connection", "close", "Retry-After",
					   "5", NULL);
		}
		r->admitted = 1;
		atomic_fetch_add(&h->working, 1);
		const char *why = ambiguous_length(conn);
		if (why) {
			/* answered and closed before any of the body is read */
			struct vg_buf b;
			vg_buf_init(&b, 0);
			int rc = vg_buf_puts(&b, "{\"title\":\"bad request\","
						 "\"description\":");
			if (!rc)
				rc = vg_buf_json_str(&b, why);
			if (!rc)
				rc = vg_buf_puts(&b, ",\"http_status\":\"400\"}");
			if (rc) {
				vg_buf_release(&b);
				return MHD_NO;
			}
			return vg__respond(r, MHD_HTTP_BAD_REQUEST,
					   r->taxii ? TAXII_MEDIA : "application/json",
					   &b, "Connection", "close", NULL);
		}
		if (strlen(url) > h->conf->max_url_length ||
		    strlen(url) >= sizeof(r->path))
			return vg__error(r, MHD_HTTP_URI_TOO_LONG, "URI too long",
					 "the request path is longer than allowed");
		snprintf(r->path, sizeof(r->path), "%s", url);
		/* refuse an oversized body before reading any of it */
		const char *cl = MHD_lookup_connection_value(
			conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > h->conf->max_content_length)
			return vg__error(r, MHD_HTTP_CONTENT_TOO_LARGE,
					 "request too large",
					 "the body exceeds max_content_length");
		/* a known length is allocated once, not grown by copies */
		if (cl && vg_buf_grow(&r->body, (size_t)strtoull(cl, NULL, 10)))
			return MHD_NO;
		return MHD_YES;
	}
	if (r->pending)
		return vg__respond_resumed(r);
	if (r->status)
		return MHD_YES; /* answered already (413, 414): discard the rest */
	if (*upload_size) {
		if (!r->too_big &&
		    vg_buf_append(&r->body, upload, *upload_size) != VG_OK) {
			r->too_big = 1;
			vg_buf_release(&r->body);
		}
		if (!r->large && r->body.len >= LARGE_BODY) {
			r->large = 1;
			atomic_fetch_add(&h->large, 1);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->too_big)
		return vg__error(r, MHD_HTTP_CONTENT_TOO_LARGE, "request too large",
				 "the body exceeds max_content_length");
	return vg__dispatch(r);
}

/* ---- setup and the clean stop --------------------------------------- */

static int read_file(const char *path, char **out)
{
	FILE *f = fopen(path, "rb");
	struct vg_buf b;
	char chunk[4096];
	size_t n;
	if (!f)
		return VG_EIO;
	vg_buf_init(&b, 1 << 20);
	int rc = VG_OK;
	while (!rc && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		rc = vg_buf_append(&b, chunk, n);
	if (!rc && ferror(f))
		rc = VG_EIO; /* a directory: errno says so */
	else if (rc)
		errno = 0;
	fclose(f);
	if (rc) {
		vg_buf_release(&b);
		return rc;
	}
	*out = vg_buf_detach(&b, NULL);
	return *out ? VG_OK : VG_ENOMEM;
}

static int parse_listen(const char *listen, struct sockaddr_storage *ss)
{
	char host[128];
	const char *colon = strrchr(listen, ':');
	if (!colon || (size_t)(colon - listen) >= sizeof(host))
		return VG_EINVAL;
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535 || !colon[1])
		return VG_EINVAL;
	memset(ss, 0, sizeof(*ss));
	size_t hl = strlen(host);
	if (hl > 2 && host[0] == '[' && host[hl - 1] == ']') {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
		host[hl - 1] = '\0';
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		return inet_pton(AF_INET6, host + 1, &a->sin6_addr) == 1 ? VG_OK
									 : VG_EINVAL;
	}
	struct sockaddr_in *a = (struct sockaddr_in *)ss;
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &a->sin_addr) == 1)
		return VG_OK;
	/* a host name ("localhost"): its first IPv4 address, else IPv6 */
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
	if (!host[0] || getaddrinfo(host, NULL, &hints, &res))
		return VG_EINVAL;
	const struct addrinfo *pick = NULL;
	for (const struct addrinfo *r = res; r; r = r->ai_next)
		if ((r->ai_family == AF_INET &&
		     (!pick || pick->ai_family != AF_INET)) ||
		    (r->ai_family == AF_INET6 && !pick))
			pick = r;
	if (pick) {
		memcpy(ss, pick->ai_addr, pick->ai_addrlen);
		if (pick->ai_family == AF_INET)
			a->sin_port = htons((uint16_t)port);
		else
			((struct sockaddr_in6 *)ss)->sin6_port =
				htons((uint16_t)port);
	}
	freeaddrinfo(res);
	return pick ? VG_OK : VG_EINVAL;
}

/* Is the address free to listen on? Bound here with what libmicrohttpd
 * sets by default, SO_REUSEADDR only (a restart binds while the last
 * run's connections linger in TIME_WAIT), so a port another server
 * listens on is refused with its cause before anything starts. Never
 * SO_REUSEPORT: with it a second server would bind the same port and the
 * kernel split the connections between the two. errno on failure. */
static int port_free(const struct sockaddr_storage *ss)
{
	int one = 1, rc = -1;
	int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	socklen_t len = ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
						  : sizeof(struct sockaddr_in);
	if (fd < 0)
		return -1;
	/* IPv6 only, as libmicrohttpd binds without MHD_USE_DUAL_STACK */
	if (!setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) &&
	    (ss->ss_family != AF_INET6 ||
	     !setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one))) &&
	    !bind(fd, (const struct sockaddr *)ss, len))
		rc = 0;
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

static void log_mhd(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	fputs("vigil serve: ", stderr);
	vfprintf(stderr, fmt, ap);
}

/* The server's own login, the actor of its automatic checkpoints. */
static const char *login(void)
{
	struct passwd *pw = getpwuid(getuid());
	return pw ? pw->pw_name : "?";
}

/* An automatic checkpoint when one is due; a failure is reported and
 * retried later by the service, the server goes on. */
static void checkpoint_tick(struct vg_ctx *cp)
{
	char err[1024];
	int64_t seq;
	int rc = vg_audit_checkpoint_auto(cp, &seq, err, sizeof(err));
	if (rc)
		fprintf(stderr, "vigil serve: automatic checkpoint: %s\n",
			err[0] ? err : vg_strerror(rc));
}

int vg_serve(const struct vg_server_conf *c)
{
	return vg_serve_with(c, NULL);
}

int vg_serve_with(const struct vg_server_conf *c,
		  const struct vg_serve_hooks *hooks)
{
	int hooked = 0;
	struct vg_http h = {.conf = c};
	struct sockaddr_storage ss;
	char *cert = NULL, *key = NULL;
	struct MHD_Daemon *d = NULL;
	sigset_t sigs;
	struct vg_ctx cp = {0}; /* the server's own: automatic checkpoints */
	int rc, auto_cp = 0;
	if (sodium_init() < 0)
		return VG_EINTERNAL;
	/* keep freed memory: every commit makes each reader connection drop
	 * and refill its page cache, and returning that memory to the kernel
	 * each time costs page faults (glibc's thresholds). Blocks of 4 MiB
	 * and more (large request bodies; nothing a read allocates) are
	 * mapped apart and unmapped when freed: kept in a thread's arena they
	 * would stay at its top, which malloc_trim does not release. */
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
	mallopt(M_TRIM_THRESHOLD, 1 << 30);
	if (parse_listen(c->listen, &ss)) {
		fprintf(stderr, "vigil serve: listen '%s' is not HOST:PORT (an "
				"address or a host name that resolves, IPv6 as "
				"[::1]:8080)\n", c->listen);
		return VG_EINVAL;
	}
	if (port_free(&ss)) {
		fprintf(stderr, "vigil serve: cannot listen on %s: %s\n",
			c->listen, errno == EADDRINUSE ? "address in use"
						       : strerror(errno));
		return VG_EIO;
	}
	vg__warn_plain(c, &ss);
	if (!!c->tls_cert[0] != !!c->tls_key[0]) {
		fprintf(stderr, "vigil serve: --tls-cert and --tls-key go together\n");
		return VG_EINVAL;
	}
	for (int i = 0; c->tls_cert[0] && i < 2; i++) {
		const char *path = i ? c->tls_key : c->tls_cert;
		if (read_file(path, i ? &key : &cert)) {
			fprintf(stderr, "vigil serve: cannot read the TLS %s '%s': "
					"%s\n", i ? "key (tls_key)"
						  : "certificate (tls_cert)",
				path, errno ? strerror(errno) : "too large");
			rc = VG_EIO;
			goto out;
		}
	}
	h.tls = cert != NULL;
	/* signals are taken by sigwait below, never by another thread: block
	 * them before the first thread (the writer) starts, as threads
	 * inherit the mask; an unblocked thread would die of SIGTERM */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	struct vg_service_conf sc = {
		.location = c->data,
		.threaded = 1,
		.large_cache = 1,
		.max_batch = 512,
		.gather_us = (long)c->commit_wait_us,
		.status_ttl_us = (int64_t)c->status_ttl_hours * 3600000000LL,
		.purpose_required = c->purpose_required,
		.read_cache_bytes = (size_t)c->read_cache_mb << 20,
		.signing_key = c->signing_key,
		.key_dir = c->key_dir,
		.checkpoint_heads = c->checkpoint_heads,
		.checkpoint_syslog = c->checkpoint_syslog,
		.checkpoint_entries = (int64_t)c->checkpoint_entries,
		.checkpoint_seconds = c->checkpoint_seconds,
		.max_envelope_objects = c->max_envelope_objects,
		.screen_max_travellers = c->max_screen_travellers,
		.screen_per_minute = c->screen_per_minute,
		.session_idle_us = (int64_t)c->session_idle_seconds * 1000000,
		.session_max_us = (int64_t)c->session_max_seconds * 1000000,
	};
	char err[512] = "";
	rc = vg_service_open(&sc, &h.svc, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "vigil serve: %s\n", err[0] ? err : vg_strerror(rc));
		goto out;
	}
	/* automatic checkpoints: a key or heads file that cannot be used
	 * stops the server now, not at its first checkpoint */
	auto_cp = c->checkpoint_entries || c->checkpoint_seconds;
	vg_ctx_init(&cp, h.svc, VG_CHANNEL_CLI, "server");
	vg_ctx_operator(&cp, login());
	snprintf(cp.source, sizeof(cp.source), "server");
	if (auto_cp) {
		char note[600];
		rc = vg_audit_checkpoint_ready(&cp, note, sizeof(note), err,
					       sizeof(err));
		if (rc) {
			fprintf(stderr, "vigil serve: %s\n",
				err[0] ? err : vg_strerror(rc));
			goto out;
		}
		if (note[0])
			fprintf(stderr, "vigil serve: note: %s\n", note);
	}
	if (vg__webhooks_start(&h))
		fprintf(stderr, "vigil serve: webhooks cannot start; alerts are "
				"kept and delivered when they can\n");
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC |
			 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG |
			 (h.tls ? MHD_USE_TLS : 0) |
			 (ss.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0);
	struct MHD_OptionItem tls_opts[] = {
		{MHD_OPTION_HTTPS_MEM_CERT, 0, cert},
		{MHD_OPTION_HTTPS_MEM_KEY, 0, key},
		{MHD_OPTION_HTTPS_PRIORITIES, 0,
		 (void *)"NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"},
		{MHD_OPTION_END, 0, NULL},
	};
	d = MHD_start_daemon(
		flags, 0, NULL, NULL, handle, &h,
		MHD_OPTION_EXTERNAL_LOGGER, log_mhd, NULL,
		MHD_OPTION_SOCK_ADDR, &ss,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)c->threads,
		MHD_OPTION_CONNECTION_LIMIT, c->connection_limit,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, c->per_ip_limit,
		MHD_OPTION_CONNECTION_TIMEOUT, c->idle_timeout,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, c->max_header_bytes,
		MHD_OPTION_NOTIFY_COMPLETED, completed, &h,
		MHD_OPTION_NOTIFY_CONNECTION, notify_connection, NULL,
		MHD_OPTION_ARRAY, h.tls ? tls_opts : tls_opts + 3,
		MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "vigil serve: cannot listen on %s: %s\n", c->listen,
			strerror(errno));
		rc = VG_EIO;
		goto out;
	}
	const union MHD_DaemonInfo *di =
		MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	char host[128];
	snprintf(host, sizeof(host), "%.*s",
		 (int)(strrchr(c->listen, ':') - c->listen), c->listen);
	printf("vigil serving on %s://%s:%u/taxii2/\n", h.tls ? "https" : "http",
	       host, di ? di->port : 0);
	fflush(stdout);
	if (hooks && hooks->start) {
		if ((rc = hooks->start(h.svc, hooks->arg)))
			goto out;
		hooked = 1;
	}

	/* wait for a signal, watching the header deadline and signing the
	 * audit checkpoints that are due every second */
	const struct timespec tick = {1, 0};
	int sig;
	while ((sig = sigtimedwait(&sigs, NULL, &tick)) < 0) {
		cut_slow_headers((int64_t)c->idle_timeout * 1000000000);
		if (auto_cp)
			checkpoint_tick(&cp);
	}
	/* let the admitted requests finish, refusing new ones. Not
	 * MHD_quiesce_daemon: with a thread pool on epoll, libmicrohttpd
	 * 0.9.75 races its workers removing the listen socket and can abort
	 * the process ("Failed to remove listen FD from epoll set") */
	if (hooked)
		hooks->stop(hooks->arg);
	hooked = 0;
	atomic_store(&h.stopping, 1);
	vg__sse_stop(&h);
	for (int i = 0; i < 3000 && atomic_load(&h.working) > 0; i++)
		usleep(10000);
	MHD_stop_daemon(d);
	d = NULL;
	fprintf(stderr, "vigil serve: stopped on signal %d\n", sig);
	rc = VG_OK;
out:
	if (hooked)
		hooks->stop(hooks->arg);
	if (d)
		MHD_stop_daemon(d);
	vg_ctx_release(&cp);
	vg__webhooks_stop();
	vg_service_close(h.svc);
	free(cert);
	if (key) {
		sodium_memzero(key, strlen(key));
		free(key);
	}
	return rc;
}
