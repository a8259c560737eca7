/* The service handle: the store's location, the writer, one read handle
 * per thread, the hub's settings and the screening cache. */
#include "service_int.h"
#include "fed_int.h"
#include "readcache.h"
#include "screen_int.h"
#include "warn_int.h"
#include "vigil/service/screening.h"
#include "vigil/stix/stix.h"
#include "vigil/util/error.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

int64_t vg__now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void vg__hex(const unsigned char *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int vg__unhex(const char *s, unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int hi = nibble(s[2 * i]);
		int lo = hi < 0 ? -1 : nibble(s[2 * i + 1]);
		if (lo < 0)
			return VG_EINVAL;
		p[i] = (unsigned char)(hi << 4 | lo);
	}
	return s[2 * n] ? VG_EINVAL : VG_OK;
}

void vg__uuid4(char out[37])
{
	unsigned char rnd[16];
	randombytes_buf(rnd, sizeof(rnd));
	vg_uuid_v4(rnd, out);
}

/* ---- hub settings ----------------------------------------------------- */

int vg__setting(struct vg_store *s, const char *key, char *out, size_t n)
{
	char *v = NULL;
	int rc = s->ops->hub->get(s, key, &v);
	if (!rc)
		snprintf(out, n, "%s", v);
	free(v);
	return rc;
}

int vg__hub_info(struct vg_store *s, struct vg_hub_info *out)
{
	char hex[80], levels[1024], org[32];
	memset(out, 0, sizeof(*out));
	int rc = vg__setting(s, VG_HUB_SECRET, hex, sizeof(hex));
	if (rc)
		return rc;
	if (vg__unhex(hex, out->secret, sizeof(out->secret)))
		return VG_EINVAL;
	if (vg__setting(s, VG_HUB_NAME, out->name, sizeof(out->name)))
		snprintf(out->name, sizeof(out->name), "vigil hub");
	if (!vg__setting(s, VG_HUB_ORG, org, sizeof(org)))
		out->org = strtoll(org, NULL, 10);
	if (vg__setting(s, VG_HUB_LEVELS, levels, sizeof(levels)))
		levels[0] = '\0';
	size_t i = 0;
	for (char *save = NULL, *t = strtok_r(levels, ",", &save);
	     t && i < VG_MAX_LEVELS; t = strtok_r(NULL, ",", &save), i++) {
		char key[32];
		snprintf(key, sizeof(key), "hub.level.%zu", i);
		snprintf(out->level_names[i], sizeof(out->level_names[i]), "%s", t);
		if (vg__setting(s, key, out->levels[i], sizeof(out->levels[i])))
			break;
		out->level_ptrs[i] = out->levels[i];
		out->n_levels = i + 1;
	}
	return VG_OK;
}

int vg__hub_level(const struct vg_hub_info *h, const char *name)
{
	for (size_t i = 0; i < h->n_levels; i++)
		if (!strcasecmp(h->level_names[i], name))
			return (int)i;
	return -1;
}

void vg__watchlist_ns(const struct vg_service *svc, char out[37])
{
	unsigned char h[16];
	crypto_generichash(h, sizeof(h), (const unsigned char *)"vigil watchlist ids",
			   19, svc->hub.secret, sizeof(svc->hub.secret));
	/* formatted as a UUID (version 4 bits, as any namespace) */
	vg_uuid_v4(h, out);
	sodium_memzero(h, sizeof(h));
}

#define GEN_KEY "gen.identity"

int vg__generation(struct vg_store *s, int64_t *gen)
{
	char v[32];
	int rc = vg__setting(s, GEN_KEY, v, sizeof(v));
	*gen = rc ? 0 : strtoll(v, NULL, 10);
	return rc == VG_ENOTFOUND ? VG_OK : rc;
}

int vg__generation_move(struct vg_store *s)
{
	int64_t g;
	char v[32];
	int rc = vg__generation(s, &g);
	snprintf(v, sizeof(v), "%lld", (long long)g + 1);
	if (!rc)
		rc = s->ops->hub->set(s, GEN_KEY, v);
	/* the other processes rebuild their index before they are asked */
	if (!rc && s->ops->notify)
		rc = s->ops->notify(s, VG__TOPIC_IDENTITIES);
	return rc;
}

/* ---- the listener: other processes' changes ---------------------------- */

enum { HEARD_IDENTITIES = 1, HEARD_WATCHES = 2, HEARD_ALERTS = 4 };

static void heard(void *ud, const char *topic)
{
	int *what = ud;
	if (!strcmp(topic, "*")) /* a new connection: anything may have */
		*what |= HEARD_IDENTITIES | HEARD_WATCHES | HEARD_ALERTS;
	else if (!strcmp(topic, VG__TOPIC_IDENTITIES))
		*what |= HEARD_IDENTITIES;
	else if (!strcmp(topic, VG__TOPIC_WATCHES))
		*what |= HEARD_WATCHES;
	else if (!strcmp(topic, VG__TOPIC_ALERTS))
		*what |= HEARD_ALERTS;
}

/* The other processes' changes, as they commit: the screening index and
 * the watch cache rebuilt here at once, the alert streams woken. */
static void *listen_loop(void *arg)
{
	struct vg_service *svc = arg;
	while (!svc->listen_stop) {
		int what = 0;
		int rc = svc->listener->ops->wait(svc->listener, 250, heard,
						  &what);
		if (rc) {
			/* the database is away: try again in a while */
			struct timespec ts = {0, 500 * 1000000L};
			nanosleep(&ts, NULL);
			continue;
		}
		if (what & HEARD_IDENTITIES)
			vg__screen_cache_refresh(svc->screen, svc->listener);
		if (what & HEARD_WATCHES)
			vg__warn_cache_refresh(svc, svc->listener);
		if (what & HEARD_ALERTS)
			vg__warn_notify(svc);
	}
	return NULL;
}

/* A threaded service on a store of several processes listens for their
 * changes (nothing when it cannot: the caches check the store anyway). */
static void listen_start(struct vg_service *svc, struct vg_store *s)
{
	struct vg_store *l = NULL;
	if (!svc->conf.threaded || !s->ops->listen)
		return;
	if (vg_store_open(svc->location, 0, &l, NULL, 0))
		return;
	if (l->ops->listen(l, VG__TOPIC_IDENTITIES) ||
	    l->ops->listen(l, VG__TOPIC_WATCHES) ||
	    l->ops->listen(l, VG__TOPIC_ALERTS)) {
		vg_store_close(l);
		return;
	}
	/* set before the thread starts: it reads it at once */
	svc->listener = l;
	if (pthread_create(&svc->listen_thread, NULL, listen_loop, svc)) {
		svc->listener = NULL;
		vg_store_close(l);
	}
}

int vg_service_purpose_required(const struct vg_service *svc)
{
	return svc->conf.purpose_required;
}

const char *vg_service_level_name(const struct vg_service *svc, int i)
{
	return i >= 0 && (size_t)i < svc->hub.n_levels ? svc->hub.level_names[i]
							: "";
}

const char *vg_service_hub_name(const struct vg_service *svc)
{
	return svc->hub.name;
}

/* A thread's read handle is found by its service's serial number, never
 * by the address (a later service may reuse the address of a closed one). */
static _Atomic unsigned long long serials;

/* ---- open and close ----------------------------------------------------- */

/* Where the signing key and the heads file are by default: a directory
 * store's directory, else the key directory of the configuration (NULL:
 * none). */
static char *key_dir(const char *location, const char *conf_dir)
{
	if (strstr(location, "://"))
		return conf_dir ? strdup(conf_dir) : NULL;
	if (!strncmp(location, "memory:", 7))
		return NULL;
	if (!strncmp(location, "sqlite:", 7))
		location += 7;
	return strdup(location);
}

/* path as given, else NAME in the store's directory, else NULL; *oom
 * set when a copy fails. */
static char *in_dir(const char *path, const char *dir, const char *name,
		    int *oom)
{
	char *out = NULL;
	if (path && *path) {
		out = strdup(path);
	} else if (dir) {
		size_t n = strlen(dir) + strlen(name) + 2;
		out = malloc(n);
		if (out)
			snprintf(out, n, "%s/%s", dir, name);
	} else {
		return NULL;
	}
	if (!out)
		*oom = 1;
	return out;
}

int vg_service_open(const struct vg_service_conf *c, struct vg_service **out,
		    char *err, size_t errlen)
{
	struct vg_service *svc = calloc(1, sizeof(*svc));
	struct vg_store *s = NULL;
	int rc;
	if (!svc || sodium_init() < 0) {
		free(svc);
		return VG_ENOMEM;
	}
	svc->serial = ++serials;
	svc->conf = *c;
	if (!svc->conf.status_ttl_us)
		svc->conf.status_ttl_us = 24LL * 3600 * 1000000;
	svc->location = strdup(c->location);
	svc->key_dir = key_dir(c->location, c->key_dir);
	int oom = 0;
	svc->signing_key = in_dir(c->signing_key, svc->key_dir,
				  "hub-signing.key", &oom);
	svc->heads = in_dir(c->checkpoint_heads, svc->key_dir,
			    "audit-heads.log", &oom);
	svc->conf.location = svc->location;
	svc->conf.signing_key = svc->signing_key;
	svc->conf.checkpoint_heads = svc->heads;
	pthread_mutex_init(&svc->mu, NULL);
	rc = svc->location && !oom
		 ? vg_store_open(c->location,
				 c->large_cache ? VG_STORE_WRITER : 0, &s, err,
				 errlen)
		 : VG_ENOMEM;
	if (!rc) {
		rc = vg__hub_info(s, &svc->hub);
		if (rc == VG_ENOTFOUND)
			snprintf(err, errlen, "no hub in '%.300s'", c->location);
	}
	if (!rc)
		rc = vg_writer_start(s, c->threaded, c->max_batch, c->gather_us,
				     &svc->writer);
	if (rc) {
		vg_store_close(s);
		vg_service_close(svc);
		return rc;
	}
	rc = vg_screen_cache_new(&svc->screen);
	/* the read cache saves round trips to a shared database; SQLite
	 * reads in the process */
	if (!rc && c->threaded && c->read_cache_bytes && s->ops->gens) {
		int64_t g[2];
		if (!(svc->rcache = vg__rcache_new(c->read_cache_bytes)))
			rc = VG_ENOMEM;
		else if (!s->ops->gens(s, g))
			vg__rcache_saw(svc->rcache, g);
	}
	if (!rc)
		rc = vg__sessions_new(&svc->sessions);
	if (!rc)
		rc = vg__ownership_repair(svc);
	if (!rc)
		rc = vg__warn_open(svc);
	if (rc) {
		vg_service_close(svc);
		return rc;
	}
	listen_start(svc, s);
	*out = svc;
	return VG_OK;
}

void vg_service_close(struct vg_service *svc)
{
	if (!svc)
		return;
	if (svc->listener) {
		svc->listen_stop = 1;
		pthread_join(svc->listen_thread, NULL);
		vg_store_close(svc->listener);
	}
	vg__warn_close(svc);
	vg_writer_stop(svc->writer);
	vg_screen_cache_free(svc->screen);
	vg__rcache_free(svc->rcache);
	vg__sessions_free(svc->sessions);
	vg__fed_free(svc->fed);
	for (size_t i = 0; i < svc->n_readers; i++)
		vg_store_close(svc->readers[i]);
	free(svc->readers);
	pthread_mutex_destroy(&svc->mu);
	free(svc->location);
	free(svc->key_dir);
	free(svc->signing_key);
	free(svc->heads);
	free(svc);
}

void vg_service_writer_counts(struct vg_service *svc, unsigned long long *commits,
			      unsigned long long *jobs)
{
	vg_writer_counts(svc->writer, commits, jobs);
}

/* ---- read handles and writes ------------------------------------------- */

static _Thread_local struct {
	unsigned long long serial;
	struct vg_store *s;
} tls;

struct vg_store *vg__reader(struct vg_service *svc)
{
	if (!svc->conf.threaded)
		return vg_writer_store(svc->writer); /* one thread, one handle */
	if (tls.serial == svc->serial && tls.s)
		return tls.s;
	struct vg_store *s = NULL;
	if (vg_store_open(svc->location, 0, &s, NULL, 0))
		return NULL;
	pthread_mutex_lock(&svc->mu);
	if (svc->n_readers == svc->cap_readers) {
		size_t cap = svc->cap_readers ? svc->cap_readers * 2 : 16;
		struct vg_store **v = realloc(svc->readers, cap * sizeof(*v));
		if (v) {
			svc->readers = v;
			svc->cap_readers = cap;
		}
	}
	int kept = svc->n_readers < svc->cap_readers;
	if (kept)
		svc->readers[svc->n_readers++] = s;
	pthread_mutex_unlock(&svc->mu);
	if (!kept) {
		vg_store_close(s);
		return NULL;
	}
	tls.serial = svc->serial;
	tls.s = s;
	return s;
}

static int write_job(struct vg_service *svc, vg_write_fn fn, void *arg,
		     int alone)
{
	int rc = alone ? vg_writer_run_alone(svc->writer, fn, arg)
		       : vg_writer_run(svc->writer, fn, arg);
	/* the push loops look for what a commit stored */
	if (!rc && svc->fed)
		vg__fed_notify(svc);
	return rc;
}

int vg__write(struct vg_service *svc, vg_write_fn fn, void *arg)
{
	return write_job(svc, fn, arg, 0);
}

int vg__write_alone(struct vg_service *svc, vg_write_fn fn, void *arg)
{
	return write_job(svc, fn, arg, 1);
}
