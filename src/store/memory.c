/* An in-memory store ("memory:NAME"): every table as an array, for the
 * service's unit tests, and the proof that the store interface holds no
 * SQL and no rule. Handles of one NAME share the data; a store made with
 * VG_STORE_CREATE lives on without handles (a hub is created, closed,
 * then opened) until vg_store_memory_drop. One transaction at a time
 * (begin waits). A transaction or savepoint copies the whole state the
 * first time something changes after it (vg__m_touch), so it is meant for
 * small stores; the audit log and checkpoints are only ever appended to,
 * so they are never copied: each level keeps their lengths and a rollback
 * cuts them back. A job that only writes its audit entry (every read of
 * the service) thus copies nothing. Readers see a writer's work before
 * its commit (no isolation): tests run on one thread. */
#include "memory_int.h"
#include "vigil/util/error.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t registry_mu = PTHREAD_MUTEX_INITIALIZER;
static struct m_db *registry;

#define DB vg__m_db
#define dup vg__m_dup

struct m_db *vg__m_db(struct vg_store *s)
{
	return ((struct m_handle *)s)->db;
}

char *vg__m_dup(const char *s)
{
	return s ? strdup(s) : NULL;
}

int vg__m_fail(struct vg_store *s, int rc, const char *what)
{
	snprintf(((struct m_handle *)s)->err, sizeof(((struct m_handle *)s)->err),
		 "%s", what);
	return rc;
}

int vg__m_push(void **v, size_t *n, size_t *cap, size_t size)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		void *p = realloc(*v, c * size);
		if (!p)
			return VG_ENOMEM;
		*v = p;
		*cap = c;
	}
	memset((char *)*v + *n * size, 0, size);
	(*n)++;
	return VG_OK;
}

int64_t vg__m_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---- copies of the state (transactions, savepoints) -------------------- */

void vg__m_free_obj(struct m_obj *o)
{
	free(o->id); free(o->type); free(o->version); free(o->created);
	free(o->modified); free(o->spec_version); free(o->collection);
	free(o->json);
}

static void free_state(struct m_state *s)
{
	for (size_t i = 0; i < s->objs.n; i++)
		vg__m_free_obj(&s->objs.v[i]);
	for (size_t i = 0; i < s->kv.n; i++) {
		free(s->kv.v[i].key);
		free(s->kv.v[i].value);
	}
	for (size_t i = 0; i < s->owners.n; i++)
		free(s->owners.v[i].id);
	for (size_t i = 0; i < s->orgs.n; i++) {
		free(s->orgs.v[i].name);
		free(s->orgs.v[i].identity);
	}
	for (size_t i = 0; i < s->users.n; i++)
		free(s->users.v[i].name);
	for (size_t i = 0; i < s->keys.n; i++)
		free(s->keys.v[i].id);
	for (size_t i = 0; i < s->groups.n; i++)
		free(s->groups.v[i].name);
	for (size_t i = 0; i < s->colls.n; i++) {
		struct m_coll *c = &s->colls.v[i];
		free(c->id); free(c->alias); free(c->title); free(c->description);
	}
	for (size_t i = 0; i < s->status.n; i++) {
		free(s->status.v[i].id);
		free(s->status.v[i].json);
	}
	for (size_t i = 0; i < s->audit.n; i++) {
		struct vg_audit_entry *e = &s->audit.v[i].e;
		free((char *)e->actor); free((char *)e->action);
		free((char *)e->target); free((char *)e->detail);
		free((char *)e->source); free((char *)e->purpose);
		free((char *)e->auth);
	}
	for (size_t i = 0; i < s->runs.n; i++) {
		struct vg_screen_run_row *r = &s->runs.v[i].r;
		free((char *)r->id); free((char *)r->actor); free((char *)r->source);
		free((char *)r->format); free((char *)r->travellers_json);
	}
	for (size_t i = 0; i < s->hits.n; i++)
		vg__m_free_hit(&s->hits.v[i].h);
	for (size_t i = 0; i < s->sups.n; i++)
		vg__m_free_sup(&s->sups.v[i].r);
	free(s->sups.v);
	free(s->objs.v); free(s->kv.v); free(s->owners.v); free(s->orgs.v); free(s->users.v);
	free(s->keys.v); free(s->groups.v); free(s->members.v);
	free(s->colls.v); free(s->status.v); free(s->audit.v); free(s->cps.v);
	free(s->runs.v); free(s->hits.v);
	vg__m_sync_free(s->sync);
	vg__m_warn_free(s->warn);
	memset(s, 0, sizeof(*s));
}

#define COPYV(dst, src)                                                      \
	do {                                                                 \
		(dst).n = (dst).cap = (src).n;                               \
		(dst).v = (src).n ? malloc((src).n * sizeof(*(src).v)) : NULL; \
		if ((src).n && !(dst).v)                                     \
			ok = 0;                                              \
		else if ((src).n)                                            \
			memcpy((dst).v, (src).v, (src).n * sizeof(*(src).v)); \
	} while (0)

/* A deep copy of s into d, but for the audit log and checkpoints, which
 * d holds none of (VG_ENOMEM leaves d empty). */
static int copy_state(struct m_state *d, const struct m_state *s)
{
	int ok = 1;
	memset(d, 0, sizeof(*d));
	COPYV(d->objs, s->objs); COPYV(d->kv, s->kv); COPYV(d->owners, s->owners); COPYV(d->orgs, s->orgs);
	COPYV(d->users, s->users); COPYV(d->keys, s->keys);
	COPYV(d->groups, s->groups); COPYV(d->members, s->members);
	COPYV(d->colls, s->colls); COPYV(d->status, s->status);
	COPYV(d->runs, s->runs); COPYV(d->hits, s->hits); COPYV(d->sups, s->sups);
	d->last_added = s->last_added;
	d->next_id = s->next_id;
	if (ok && vg__m_sync_copy(&d->sync, s->sync))
		ok = 0;
	if (!ok) {
		/* nothing was duplicated yet: free only the arrays */
		free(d->objs.v); free(d->kv.v); free(d->owners.v); free(d->orgs.v); free(d->users.v);
		free(d->keys.v); free(d->groups.v); free(d->members.v);
		free(d->colls.v); free(d->status.v); free(d->runs.v);
		free(d->hits.v); free(d->sups.v);
		memset(d, 0, sizeof(*d));
		return VG_ENOMEM;
	}
	/* the strings: each copy owns its own */
	for (size_t i = 0; i < d->objs.n; i++) {
		struct m_obj *o = &d->objs.v[i];
		o->id = dup(o->id); o->type = dup(o->type); o->version = dup(o->version);
		o->created = dup(o->created); o->modified = dup(o->modified);
		o->spec_version = dup(o->spec_version);
		o->collection = dup(o->collection);
		char *j = malloc(o->json_len + 1);
		if (j) {
			memcpy(j, o->json, o->json_len + 1);
		}
		o->json = j;
	}
	for (size_t i = 0; i < d->owners.n; i++)
		d->owners.v[i].id = dup(d->owners.v[i].id);
	for (size_t i = 0; i < d->kv.n; i++) {
		d->kv.v[i].key = dup(d->kv.v[i].key);
		d->kv.v[i].value = dup(d->kv.v[i].value);
	}
	for (size_t i = 0; i < d->orgs.n; i++) {
		d->orgs.v[i].name = dup(d->orgs.v[i].name);
		d->orgs.v[i].identity = dup(d->orgs.v[i].identity);
	}
	for (size_t i = 0; i < d->users.n; i++)
		d->users.v[i].name = dup(d->users.v[i].name);
	for (size_t i = 0; i < d->keys.n; i++)
		d->keys.v[i].id = dup(d->keys.v[i].id);
	for (size_t i = 0; i < d->groups.n; i++)
		d->groups.v[i].name = dup(d->groups.v[i].name);
	for (size_t i = 0; i < d->colls.n; i++) {
		struct m_coll *c = &d->colls.v[i];
		c->id = dup(c->id); c->alias = dup(c->alias); c->title = dup(c->title);
		c->description = dup(c->description);
	}
	for (size_t i = 0; i < d->status.n; i++) {
		d->status.v[i].id = dup(d->status.v[i].id);
		d->status.v[i].json = dup(d->status.v[i].json);
	}
	for (size_t i = 0; i < d->runs.n; i++) {
		struct vg_screen_run_row *r = &d->runs.v[i].r;
		r->id = dup(r->id); r->actor = dup(r->actor); r->source = dup(r->source);
		r->format = dup(r->format); r->travellers_json = dup(r->travellers_json);
	}
	for (size_t i = 0; i < d->hits.n; i++)
		vg__m_dup_hit(&d->hits.v[i].h);
	for (size_t i = 0; i < d->sups.n; i++)
		vg__m_dup_sup(&d->sups.v[i].r);
	d->warn = NULL;
	if (vg__m_warn_copy(&d->warn, s->warn)) {
		free_state(d);
		return VG_ENOMEM;
	}
	return VG_OK;
}

/* Cut the audit log back to n entries and the checkpoints to n_cps. */
static void cut_log(struct m_state *st, size_t n, size_t n_cps)
{
	for (size_t i = n; i < st->audit.n; i++) {
		struct vg_audit_entry *e = &st->audit.v[i].e;
		free((char *)e->actor); free((char *)e->action);
		free((char *)e->target); free((char *)e->detail);
		free((char *)e->source); free((char *)e->purpose);
		free((char *)e->auth);
	}
	if (n < st->audit.n)
		st->audit.n = n;
	if (n_cps < st->cps.n)
		st->cps.n = n_cps;
}

/* The state as it was when level i opened: its copy when something
 * changed since (kept for a savepoint that stays open, else moved out of
 * it), and the log cut back to its length then. */
static int restore(struct m_db *db, unsigned i, int keep)
{
	if (db->copied[i]) {
		struct m_state back;
		if (keep) {
			int rc = copy_state(&back, &db->saved[i]);
			if (rc)
				return rc;
		} else {
			back = db->saved[i];
			memset(&db->saved[i], 0, sizeof(db->saved[i]));
			db->copied[i] = 0;
		}
		/* the log is the live one, whatever the copy */
		back.audit = db->st.audit;
		back.cps = db->st.cps;
		memset(&db->st.audit, 0, sizeof(db->st.audit));
		memset(&db->st.cps, 0, sizeof(db->st.cps));
		free_state(&db->st);
		db->st = back;
	}
	cut_log(&db->st, db->audit_n[i], db->cps_n[i]);
	return VG_OK;
}

/* Open level i of the transaction: nothing is copied yet. */
static void open_level(struct m_db *db, unsigned i)
{
	db->copied[i] = 0;
	db->audit_n[i] = db->st.audit.n;
	db->cps_n[i] = db->st.cps.n;
}

static void close_level(struct m_db *db, unsigned i)
{
	if (db->copied[i])
		free_state(&db->saved[i]);
	db->copied[i] = 0;
}

int vg__m_touch(struct vg_store *s)
{
	struct m_db *db = vg__m_db(s);
	/* a level not copied yet has seen no change: its state is now's */
	for (unsigned i = 0; i < db->depth; i++) {
		if (db->copied[i])
			continue;
		int rc = copy_state(&db->saved[i], &db->st);
		if (rc)
			return rc;
		db->copied[i] = 1;
	}
	return VG_OK;
}

/* ---- handles and transactions ------------------------------------------ */

extern const struct vg_store_ops vg_store_memory;

static int m_open(const char *name, unsigned flags, struct vg_store **out)
{
	struct m_handle *h = calloc(1, sizeof(*h));
	struct m_db *db;
	if (!h)
		return VG_ENOMEM;
	pthread_mutex_lock(&registry_mu);
	for (db = registry; db && strcmp(db->name, name); db = db->next)
		;
	if (!db && !(flags & VG_STORE_CREATE)) {
		pthread_mutex_unlock(&registry_mu);
		free(h);
		return VG_ENOTFOUND;
	}
	if (!db) {
		db = calloc(1, sizeof(*db));
		if (!db || !(db->name = strdup(name))) {
			pthread_mutex_unlock(&registry_mu);
			free(db);
			free(h);
			return VG_ENOMEM;
		}
		pthread_mutex_init(&db->mu, NULL);
		pthread_cond_init(&db->free_tx, NULL);
		db->next = registry;
		registry = db;
		/* the registry's own reference, until vg_store_memory_drop */
		db->kept = 1;
		db->refs++;
	}
	db->refs++;
	pthread_mutex_unlock(&registry_mu);
	h->base.ops = &vg_store_memory;
	h->db = db;
	*out = &h->base;
	return VG_OK;
}

static int m_rollback(struct vg_store *s);

/* Drop one reference to db (registry_mu held); the last frees it. */
static void unref(struct m_db *db)
{
	if (--db->refs)
		return;
	struct m_db **p = &registry;
	while (*p != db)
		p = &(*p)->next;
	*p = db->next;
	free_state(&db->st);
	pthread_mutex_destroy(&db->mu);
	pthread_cond_destroy(&db->free_tx);
	free(db->name);
	free(db);
}

static void m_close(struct vg_store *s)
{
	struct m_db *db = DB(s);
	if (db->writer == s)
		m_rollback(s);
	pthread_mutex_lock(&registry_mu);
	unref(db);
	pthread_mutex_unlock(&registry_mu);
	free(s);
}

void vg_store_memory_drop(const char *name)
{
	struct m_db *db;
	pthread_mutex_lock(&registry_mu);
	for (db = registry; db && strcmp(db->name, name); db = db->next)
		;
	if (db && db->kept) {
		db->kept = 0;
		unref(db);
	}
	pthread_mutex_unlock(&registry_mu);
}

static const char *m_errmsg(struct vg_store *s)
{
	return ((struct m_handle *)s)->err;
}

static int m_begin(struct vg_store *s)
{
	struct m_db *db = DB(s);
	pthread_mutex_lock(&db->mu);
	while (db->writer)
		pthread_cond_wait(&db->free_tx, &db->mu);
	open_level(db, 0);
	db->writer = s;
	db->depth = 1;
	pthread_mutex_unlock(&db->mu);
	return VG_OK;
}

static void end_tx(struct m_db *db)
{
	for (unsigned i = 0; i < db->depth; i++)
		close_level(db, i);
	db->depth = 0;
	db->writer = NULL;
	pthread_cond_broadcast(&db->free_tx);
}

static int m_commit(struct vg_store *s)
{
	struct m_db *db = DB(s);
	if (db->writer != s)
		return VG_EINVAL;
	pthread_mutex_lock(&db->mu);
	end_tx(db);
	pthread_mutex_unlock(&db->mu);
	return VG_OK;
}

static int m_rollback(struct vg_store *s)
{
	struct m_db *db = DB(s);
	if (db->writer != s)
		return VG_EINVAL;
	pthread_mutex_lock(&db->mu);
	int rc = restore(db, 0, 0); /* moves the copy: cannot fail */
	end_tx(db);
	pthread_mutex_unlock(&db->mu);
	return rc;
}

static int m_savepoint(struct vg_store *s, vg_savepoint *sp)
{
	struct m_db *db = DB(s);
	if (db->writer != s || db->depth == VG_M_LEVELS)
		return VG_EINVAL;
	open_level(db, db->depth);
	*sp = db->depth++;
	return VG_OK;
}

static int m_release(struct vg_store *s, vg_savepoint sp)
{
	struct m_db *db = DB(s);
	if (db->writer != s || sp == 0 || sp >= db->depth)
		return VG_EINVAL;
	while (db->depth > sp)
		close_level(db, --db->depth);
	return VG_OK;
}

static int m_rollback_to(struct vg_store *s, vg_savepoint sp)
{
	struct m_db *db = DB(s);
	if (db->writer != s || sp == 0 || sp >= db->depth)
		return VG_EINVAL;
	int rc = restore(db, sp, 1);
	if (rc)
		return rc;
	while (db->depth > sp + 1)
		close_level(db, --db->depth);
	return VG_OK;
}

static int m_size(struct vg_store *s, int64_t *bytes)
{
	struct m_db *db = DB(s);
	int64_t n = 0;
	for (size_t i = 0; i < db->st.objs.n; i++)
		n += (int64_t)db->st.objs.v[i].json_len;
	*bytes = n;
	return VG_OK;
}

static int m_check(struct vg_store *s)
{
	struct m_state *st = &DB(s)->st;
	for (size_t i = 0; i < st->objs.n; i++) {
		const struct m_obj *o = &st->objs.v[i];
		const char *max = o->version;
		for (size_t k = 0; k < st->objs.n; k++) {
			const struct m_obj *v = &st->objs.v[k];
			if (!strcmp(v->id, o->id) && !strcmp(v->collection, o->collection) &&
			    strcmp(v->version, max) > 0)
				max = v->version;
		}
		if (o->latest != !strcmp(o->version, max)) {
			snprintf(((struct m_handle *)s)->err, 200,
				 "object '%s': the latest flag is not on exactly "
				 "its newest version", o->id);
			return VG_ESTORE;
		}
	}
	return VG_OK;
}

const struct vg_store_ops vg_store_memory = {
	.name = "memory",
	.open = m_open,
	.close = m_close,
	.errmsg = m_errmsg,
	.begin = m_begin,
	.commit = m_commit,
	.rollback = m_rollback,
	.savepoint = m_savepoint,
	.release = m_release,
	.rollback_to = m_rollback_to,
	.size = m_size,
	.check = m_check,
	.objects = &vg__m_objects_ops,
	.hub = &vg__m_hub_ops,
	.sharing = &vg__m_sharing_ops,
	.audit = &vg__m_audit_ops,
	.screen = &vg__m_screen_ops,
	.sync = &vg__m_sync_ops,
	.warn = &vg__m_warn_ops,
};
