/* Group commit: one thread owns the store's write transactions. Callers
 * hand it jobs and wait; it runs every job waiting into one transaction
 * (each job inside its own savepoint, so a failing job undoes only its own
 * work) and commits once, so one fsync makes many requests durable. A
 * caller learns its job's result only after the commit that made it
 * durable. Without a thread (the CLI) each job is its own transaction on
 * the caller's thread. */
#ifndef VIGIL_WRITER_H
#define VIGIL_WRITER_H

#include <stddef.h>

#include "vigil/store/store.h"

struct vg_writer;

/* A job: does its writes on s (inside the writer's transaction) and
 * returns VG_OK or an error (its writes are then rolled back). */
typedef int (*vg_write_fn)(struct vg_store *s, void *arg);

/* Start a writer on s (which it then owns). threaded: a thread of its
 * own; a job that finds the queue otherwise empty waits up to gather_us
 * microseconds for company before its commit (0: none). */
int vg_writer_start(struct vg_store *s, int threaded, size_t max_batch,
		    long gather_us, struct vg_writer **out);
/* Run fn(arg) in the next transaction and wait for its commit. Returns
 * fn's result, or the commit's error when fn succeeded but the commit
 * failed (nothing of the batch is then stored). */
int vg_writer_run(struct vg_writer *w, vg_write_fn fn, void *arg);
/* The same in a transaction of its own, never batched with other jobs:
 * for a large job, which a savepoint would make keep the first image of
 * every page it changes in memory. */
int vg_writer_run_alone(struct vg_writer *w, vg_write_fn fn, void *arg);
/* Queue fn(arg) without waiting: done(done_arg, result) is called on the
 * writer's thread after the commit that made the job durable (or after
 * its failure); without a thread, before this returns. Such a job runs
 * without a savepoint: it may fail with VG_ESTALE before it writes
 * anything; any other failure fails the whole batch. */
int vg_writer_submit(struct vg_writer *w, vg_write_fn fn, void *arg,
		     void (*done)(void *done_arg, int result), void *done_arg);
/* Finish the queued jobs, then stop, close the store and free. */
void vg_writer_stop(struct vg_writer *w);
/* The store the writer writes (without a thread, the caller may read it
 * between jobs). */
struct vg_store *vg_writer_store(struct vg_writer *w);
/* Transactions and jobs so far (for /metrics). */
void vg_writer_counts(struct vg_writer *w, unsigned long long *commits,
		      unsigned long long *jobs);

#endif
