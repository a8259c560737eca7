/* The group-commit writer thread (see writer.h). */
#include "writer.h"
#include "vigil/util/error.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct job {
	vg_write_fn fn;
	void *arg;
	int rc;
	int done;
	int alone; /* in a batch of its own */
	struct job *next;
	/* submitted jobs: called after the commit, then the job is freed */
	void (*on_done)(void *done_arg, int result);
	void *done_arg;
};

struct vg_writer {
	struct vg_store *store;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t work, finished;
	struct job *head, *tail;
	size_t max_batch;
	long gather_us; /* how long a lone job waits for company */
	int stopping;
	int threaded;
	unsigned long long commits, jobs;
};

/* One job in its savepoint. A savepoint that cannot be rolled back or
 * released leaves the transaction in an unknown state: that aborts the
 * whole batch (returned as fatal). A job alone in its batch needs none:
 * its failure rolls the transaction back, and a savepoint would keep, in
 * memory, the first image of every page the job changes (a large import
 * or pull changes hundreds of megabytes of them). */
static int run_job(struct vg_store *s, struct job *j, int alone, int *fatal)
{
	vg_savepoint sp;
	if (alone)
		return j->fn(s, j->arg);
	if (j->on_done) {
		/* a submitted job (writer.h): no savepoint to undo it */
		int rc = j->fn(s, j->arg);
		if (rc && rc != VG_ESTALE)
			*fatal = rc;
		return rc;
	}
	int rc = s->ops->savepoint(s, &sp);
	if (rc) {
		*fatal = rc;
		return rc;
	}
	rc = j->fn(s, j->arg);
	int r = rc ? s->ops->rollback_to(s, sp) : VG_OK;
	if (!r)
		r = s->ops->release(s, sp);
	if (r)
		*fatal = r;
	return rc ? rc : r;
}

/* The batch's jobs in the transaction begun (rc: how the begin went). */
static void run_batch(struct vg_writer *w, struct job *batch, int rc)
{
	struct vg_store *s = w->store;
	int any = 0, fatal = VG_OK;
	for (struct job *j = batch; j; j = j->next) {
		if (rc || fatal) {
			j->rc = rc ? rc : fatal;
			continue;
		}
		j->rc = run_job(s, j, !batch->next, &fatal);
		if (!j->rc)
			any = 1;
	}
	if (!rc && fatal) {
		/* nothing of this batch is stored: every job learns why */
		s->ops->rollback(s);
		for (struct job *j = batch; j; j = j->next)
			j->rc = fatal;
	} else if (!rc) {
		int c = any ? s->ops->commit(s) : s->ops->rollback(s);
		if (c)
			for (struct job *j = batch; j; j = j->next)
				if (!j->rc)
					j->rc = c;
		if (c && any)
			s->ops->rollback(s);
	}
	/* submitted jobs learn their result here; waiting ones below */
	for (struct job *j = batch, *next; j; j = next) {
		next = j->next;
		if (j->on_done) {
			j->on_done(j->done_arg, j->rc);
			j->done = 2; /* freed below, outside the list walk */
		}
	}
	pthread_mutex_lock(&w->mu);
	w->commits++;
	for (struct job *j = batch, *next; j; j = next) {
		next = j->next;
		w->jobs++;
		if (j->done == 2)
			free(j);
		else
			j->done = 1;
	}
	pthread_cond_broadcast(&w->finished);
	pthread_mutex_unlock(&w->mu);
}

static void *loop(void *arg)
{
	struct vg_writer *w = arg;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->head && !w->stopping)
			pthread_cond_wait(&w->work, &w->mu);
		if (!w->head && w->stopping)
			break;
		/* a short wait gathers more jobs into one commit: each commit
		 * costs an fsync and every reader's page cache */
		if (w->gather_us && !w->stopping && w->head == w->tail &&
		    !w->head->alone) {
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_nsec += w->gather_us * 1000L;
			if (until.tv_nsec >= 1000000000L) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&w->work, &w->mu, &until);
		}
		/* the transaction first: begin waits for the store's write
		 * lock (another process may hold it), and every job that
		 * comes meanwhile joins this batch */
		pthread_mutex_unlock(&w->mu);
		int rc = w->store->ops->begin(w->store);
		pthread_mutex_lock(&w->mu);
		/* take up to max_batch waiting jobs, up to one that runs
		 * alone (or only that one) */
		struct job *batch = w->head, *last = batch;
		for (size_t n = 1; !batch->alone && n < w->max_batch &&
				   last->next && !last->next->alone;
		     n++)
			last = last->next;
		w->head = last->next;
		if (!w->head)
			w->tail = NULL;
		last->next = NULL;
		pthread_mutex_unlock(&w->mu);
		run_batch(w, batch, rc);
		pthread_mutex_lock(&w->mu);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

int vg_writer_start(struct vg_store *store, int threaded, size_t max_batch,
		    long gather_us, struct vg_writer **out)
{
	struct vg_writer *w = calloc(1, sizeof(*w));
	if (!w)
		return VG_ENOMEM;
	w->store = store;
	w->threaded = threaded;
	w->max_batch = max_batch ? max_batch : 256;
	w->gather_us = gather_us;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->work, NULL);
	pthread_cond_init(&w->finished, NULL);
	if (threaded && pthread_create(&w->thread, NULL, loop, w)) {
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->work);
		pthread_cond_destroy(&w->finished);
		free(w);
		return VG_ENOMEM;
	}
	*out = w;
	return VG_OK;
}

struct vg_store *vg_writer_store(struct vg_writer *w)
{
	return w->store;
}

/* Without a thread: the job is the batch, here and now (a submitted
 * job is freed by run_batch). */
static int run_inline(struct vg_writer *w, struct job *j)
{
	int submitted = j->on_done != NULL;
	run_batch(w, j, w->store->ops->begin(w->store));
	return submitted ? VG_OK : j->rc;
}

static int run_wait(struct vg_writer *w, vg_write_fn fn, void *arg,
		    int alone)
{
	struct job j = {.fn = fn, .arg = arg, .alone = alone};
	if (!w->threaded)
		return run_inline(w, &j);
	pthread_mutex_lock(&w->mu);
	if (w->stopping) {
		pthread_mutex_unlock(&w->mu);
		return VG_EIO;
	}
	if (w->tail)
		w->tail->next = &j;
	else
		w->head = &j;
	w->tail = &j;
	pthread_cond_signal(&w->work);
	while (!j.done)
		pthread_cond_wait(&w->finished, &w->mu);
	pthread_mutex_unlock(&w->mu);
	return j.rc;
}

int vg_writer_run(struct vg_writer *w, vg_write_fn fn, void *arg)
{
	return run_wait(w, fn, arg, 0);
}

int vg_writer_run_alone(struct vg_writer *w, vg_write_fn fn, void *arg)
{
	return run_wait(w, fn, arg, 1);
}

int vg_writer_submit(struct vg_writer *w, vg_write_fn fn, void *arg,
		     void (*done)(void *done_arg, int result), void *done_arg)
{
	struct job *j = calloc(1, sizeof(*j));
	if (!j)
		return VG_ENOMEM;
	j->fn = fn;
	j->arg = arg;
	j->on_done = done;
	j->done_arg = done_arg;
	if (!w->threaded) {
		run_inline(w, j); /* calls done, then frees j */
		return VG_OK;
	}
	pthread_mutex_lock(&w->mu);
	if (w->stopping) {
		pthread_mutex_unlock(&w->mu);
		free(j);
		return VG_EIO;
	}
	if (w->tail)
		w->tail->next = j;
	else
		w->head = j;
	w->tail = j;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->mu);
	return VG_OK;
}

void vg_writer_counts(struct vg_writer *w, unsigned long long *commits,
		      unsigned long long *jobs)
{
	pthread_mutex_lock(&w->mu);
	*commits = w->commits;
	*jobs = w->jobs;
	pthread_mutex_unlock(&w->mu);
}

void vg_writer_stop(struct vg_writer *w)
{
	if (!w)
		return;
	if (w->threaded) {
		pthread_mutex_lock(&w->mu);
		w->stopping = 1;
		pthread_cond_signal(&w->work);
		pthread_mutex_unlock(&w->mu);
		pthread_join(w->thread, NULL);
	}
	vg_store_close(w->store);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->work);
	pthread_cond_destroy(&w->finished);
	free(w);
}
