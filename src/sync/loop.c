/* The sync loops of `vigil serve`: one thread per pulling partner, a round
 * every interval; after an error the wait doubles (up to 5 minutes) with
 * jitter, so a broken partner is neither hammered nor able to hold up the
 * others. Partners added while serving are picked up at the next start. */
#include "sync_int.h"
#include "vigil/sync/sync.h"
#include "vigil/util/error.h"

#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_PARTNERS 128

struct worker {
	struct vg_sync_loops *l;
	pthread_t thread;
	char name[101];
	int started;
	int push; /* the push loop (else the pull loop) */
};

struct vg_sync_loops {
	struct vg_service *svc;
	pthread_mutex_t mu;
	pthread_cond_t cond;
	int stopping;
	struct worker w[MAX_PARTNERS];
	size_t n;
};

/* Wait ms or until stopping; 1 when stopping. */
static int wait_ms(struct vg_sync_loops *l, long ms)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&l->mu);
	while (!l->stopping &&
	       pthread_cond_timedwait(&l->cond, &l->mu, &until) == 0)
		;
	int stop = l->stopping;
	pthread_mutex_unlock(&l->mu);
	return stop;
}

static int stopping(struct vg_sync_loops *l)
{
	pthread_mutex_lock(&l->mu);
	int s = l->stopping;
	pthread_mutex_unlock(&l->mu);
	return s;
}

/* Push: woken by every commit that stored something (and every interval,
 * for what other processes stored), a round each time. */
static void *run_push(void *arg)
{
	struct worker *w = arg;
	struct vg_sync_loops *l = w->l;
	uint64_t seen = 0;
	int errors = 0;
	while (!stopping(l)) {
		struct vg_sync_report r;
		int rc = vg_sync_push(l->svc, w->name, &r);
		if (rc) {
			long ms = 1000;
			for (int i = 0; i < errors && ms < 300000; i++)
				ms *= 2;
			errors++;
			fprintf(stderr, "vigil sync: push to '%s': %s\n",
			        w->name, r.error);
			ms = (ms > 300000 ? 300000 : ms) *
			     (80 + (long)randombytes_uniform(41)) / 100;
			if (wait_ms(l, ms))
				break;
			continue;
		}
		errors = 0;
		vg_fed_wait(l->svc, &seen, 10000);
	}
	return NULL;
}

static void *run(void *arg)
{
	struct worker *w = arg;
	struct vg_sync_loops *l = w->l;
	int errors = 0;
	while (!wait_ms(l, 0)) {
		struct vg_sync_report r;
		struct vg_partner_conn *pc = calloc(1, sizeof(*pc));
		struct vg_ctx c;
		int interval = 10;
		/* the interval as set now */
		if (pc && !vg_fed_open(l->svc, w->name, &c, r.error,
		                       sizeof(r.error))) {
			if (!vg_partner_conn(&c, w->name, pc, r.error,
			                     sizeof(r.error)))
				interval = pc->interval;
			vg_ctx_release(&c);
		}
		if (pc)
			vg_partner_conn_wipe(pc);
		free(pc);
		int rc = vg_sync_round(l->svc, w->name, &r);
		long ms = (long)interval * 1000;
		if (rc) {
			errors++;
			fprintf(stderr, "vigil sync: partner '%s': %s\n",
			        w->name, r.error);
			for (int i = 1; i < errors && ms < 300000; i++)
				ms *= 2;
			if (ms > 300000)
				ms = 300000;
		} else {
			errors = 0;
			if (r.more)
				ms = 0; /* more to fetch: go on at once */
		}
		/* jitter: 80% to 120% */
		ms = ms * (80 + (long)randombytes_uniform(41)) / 100;
		if (wait_ms(l, ms))
			break;
	}
	return NULL;
}

int vg_sync_start(struct vg_service *svc, struct vg_sync_loops **out)
{
	static char names[MAX_PARTNERS][101];
	struct vg_sync_loops *l = calloc(1, sizeof(*l));
	struct vg_ctx c;
	size_t n = 0;
	if (!l)
		return VG_ENOMEM;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	l->svc = svc;
	pthread_mutex_init(&l->mu, NULL);
	pthread_cond_init(&l->cond, NULL);
	vg_ctx_init(&c, svc, VG_CHANNEL_CLI, "serve");
	vg_ctx_operator(&c, "serve");
	int rc = VG_OK;
	for (int push = 0; !rc && push < 2; push++) {
		rc = vg_partner_names(&c, push ? VG_FED_PUSH : VG_FED_PULL,
		                      names, MAX_PARTNERS, &n);
		for (size_t i = 0; !rc && i < n && l->n < MAX_PARTNERS; i++) {
			struct worker *w = &l->w[l->n];
			w->l = l;
			w->push = push;
			snprintf(w->name, sizeof(w->name), "%.100s", names[i]);
			if (pthread_create(&w->thread, NULL,
			                   push ? run_push : run, w) == 0) {
				w->started = 1;
				l->n++;
			}
		}
	}
	vg_ctx_release(&c);
	*out = l;
	return rc;
}

void vg_sync_stop(struct vg_sync_loops *l)
{
	if (!l)
		return;
	pthread_mutex_lock(&l->mu);
	l->stopping = 1;
	pthread_cond_broadcast(&l->cond);
	pthread_mutex_unlock(&l->mu);
	vg_fed_wake(l->svc);
	for (size_t i = 0; i < l->n; i++)
		if (l->w[i].started)
			pthread_join(l->w[i].thread, NULL);
	pthread_mutex_destroy(&l->mu);
	pthread_cond_destroy(&l->cond);
	free(l);
}
