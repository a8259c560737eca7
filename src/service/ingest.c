/* Ingest service: stream -> parse -> validate -> store, one transaction per
 * input, with an outcome reported for every object. */
#include "vigil/service/ingest.h"
#include "vigil/util/error.h"
#include "vigil/util/jstream.h"
#include "vigil/stix/stix.h"
#include "vigil/stix/convert.h"
#include "service_int.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct pipe;

struct vg_ingest {
	struct vg_store *store;
	struct vg_ingest_opts opts;
	struct vg_jstream *js;
	struct vg_ingest_counts counts;
	uint64_t bytes;
	int in_tx;
	struct pipe *pipe; /* when pipelined */
	int bare;          /* see vg_ingest_bare */
	/* prepared only (vg_ingest_prepare): validated items wait here */
	int collect;
	struct item *held, *held_tail;
	char error[600];
};

static int report(struct vg_ingest *g, size_t index,
		  enum vg_ingest_outcome outcome, const char *id,
		  const char *modified, const char *message, int converted,
		  const char *conversion)
{
	g->counts.converted += converted != 0;
	switch (outcome) {
	case VG_INGEST_ACCEPTED: g->counts.accepted++; break;
	case VG_INGEST_DUPLICATE: g->counts.duplicates++; break;
	case VG_INGEST_REJECTED: g->counts.rejected++; break;
	}
	size_t total = g->counts.accepted + g->counts.duplicates +
		       g->counts.rejected;
	if (g->opts.on_progress && total % 1000 == 0)
		g->opts.on_progress(g->opts.ud, total, g->bytes);
	if (!g->opts.on_result)
		return VG_OK;
	struct vg_ingest_result r = {
		.index = index,
		.outcome = outcome,
		.id = id,
		.modified = modified,
		.message = message,
		.converted = converted,
		.conversion = conversion,
	};
	return g->opts.on_result(g->opts.ud, &r);
}

static const char *str_member(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int classification(const cJSON *obj, const struct vg_ingest_opts *o)
{
	const cJSON *refs = cJSON_GetObjectItemCaseSensitive(obj,
							     "object_marking_refs");
	const cJSON *r;
	int level = 0;
	cJSON_ArrayForEach(r, refs)
	{
		for (size_t i = 0; cJSON_IsString(r) && i < o->n_levels; i++)
			if ((int)i > level && o->level_markings[i] &&
			    !strcmp(r->valuestring, o->level_markings[i]))
				level = (int)i;
	}
	return level;
}

/* One object ready for the store: everything it needs copied into one
 * allocation, so it can cross to the store thread and outlive the parse. */
struct item {
	struct item *next;
	size_t index;
	int rejected;         /* by validation: msg says why */
	struct vg_object o;   /* strings point into text below */
	const char *id;       /* for reporting, may be NULL */
	const char *modified; /* verbatim modified or created, may be NULL */
	const char *msg;
	int converted;          /* a STIX 2.0 object, converted */
	const char *conversion; /* how, or NULL */
	char text[];
};

static size_t span(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

static const char *put_str(char **p, const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	memcpy(*p, s, n);
	const char *out = *p;
	*p += n;
	return out;
}

/* Validate one parsed object into a new item (NULL when out of memory). */
static struct item *prepare(const cJSON *obj, const char *json, size_t len,
			    size_t index, const struct vg_ingest_opts *opts,
			    const char *conversion)
{
	struct vg_stix_info info;
	char msg[512];
	const char *id = str_member(obj, "id");
	const char *mod = str_member(obj, "modified");
	if (!mod)
		mod = str_member(obj, "created");
	int rc = vg_stix_validate(obj, &info, msg, sizeof(msg));
	if (rc && rc != VG_EINVAL)
		return NULL;
	int bad = rc == VG_EINVAL;
	size_t need = sizeof(struct item) + span(id) + span(mod) +
		      span(conversion) +
		      (bad ? span(msg)
			   : len + 1 + span(info.type) + span(info.version) +
				     span(info.created) + span(info.modified) +
				     span(info.spec_version));
	struct item *it = malloc(need);
	if (!it)
		return NULL;
	char *p = it->text;
	it->next = NULL;
	it->index = index;
	it->rejected = bad;
	it->id = put_str(&p, id);
	it->modified = put_str(&p, mod);
	it->msg = bad ? put_str(&p, msg) : NULL;
	it->converted = 0;
	it->conversion = put_str(&p, conversion);
	if (bad)
		return it;
	memcpy(p, json, len);
	p[len] = '\0';
	it->o = (struct vg_object){
		.json = p,
		.json_len = len,
		.revoked = info.revoked,
		.collection = opts->collection,
		.owner = opts->owner,
		.scope = opts->scope,
		.grp = opts->grp,
		.tlp = (int)info.tlp,
		.classification = classification(obj, opts),
	};
	p += len + 1;
	it->o.id = it->id;
	it->o.type = put_str(&p, info.type);
	it->o.version = put_str(&p, info.version);
	it->o.created = put_str(&p, info.created);
	it->o.modified = put_str(&p, info.modified);
	it->o.spec_version = put_str(&p, info.spec_version);
	return it;
}

static void free_items(struct item *it)
{
	while (it) {
		struct item *next = it->next;
		free(it);
		it = next;
	}
}

/* With opts.convert_20 a STIX 2.0 object is up-converted, then validated
 * as 2.1; the SCOs made from its observable container come first, as
 * items of the same index. Returns a list (NULL when out of memory). */
static struct item *prepare_any(cJSON *obj, const char *json, size_t len,
				size_t index, const struct vg_ingest_opts *opts)
{
	struct vg_stix_conversion conv;
	struct item *head = NULL, **tail = &head, *it;
	char err[512], from[400];
	if (!opts->convert_20 || !vg_stix_is_20(obj))
		return prepare(obj, json, len, index, opts, NULL);
	cJSON *scos = cJSON_CreateArray();
	int rc = scos ? vg_stix_convert_20(obj, scos, &conv, err, sizeof(err))
		      : VG_ENOMEM;
	if (rc == VG_EINVAL) {
		/* not convertible: rejected with the reason, unconverted */
		const char *id = str_member(obj, "id");
		cJSON_Delete(scos);
		it = calloc(1, sizeof(*it) + span(id) + strlen(err) + 1);
		if (it) {
			char *p = it->text;
			it->index = index;
			it->rejected = 1;
			it->id = put_str(&p, id);
			it->msg = put_str(&p, err);
		}
		return it;
	}
	snprintf(from, sizeof(from), "made from the observable container of "
		 "'%s'", str_member(obj, "id") ? str_member(obj, "id") : "");
	for (cJSON *o = rc ? NULL : scos->child; o && !rc; o = o->next) {
		char *text = cJSON_PrintUnformatted(o);
		it = text ? prepare(o, text, strlen(text), index, opts, from)
			  : NULL;
		free(text);
		if (!it)
			rc = VG_ENOMEM;
		else
			*tail = it, tail = &it->next;
	}
	char *text = rc ? NULL : cJSON_PrintUnformatted(obj);
	it = text ? prepare(obj, text, strlen(text), index, opts, conv.note)
		  : NULL;
	free(text);
	cJSON_Delete(scos);
	if (!it) {
		free_items(head);
		return NULL;
	}
	it->converted = 1;
	*tail = it;
	return head;
}

/* Store one item and report its outcome. Returns a store failure (which
 * ends the ingest) or the callback's code. */
static int apply(struct vg_ingest *g, struct item *it)
{
	char msg[512];
	enum vg_put_result put;
	if (it->rejected)
		return report(g, it->index, VG_INGEST_REJECTED, it->id,
			      it->modified, it->msg, it->converted,
			      it->conversion);
	int rc = g->store->ops->put_object(g->store, &it->o, &put);
	switch (rc) {
	case VG_OK:
		return report(g, it->index,
			      put == VG_PUT_DUPLICATE ? VG_INGEST_DUPLICATE
						      : VG_INGEST_ACCEPTED,
			      it->id, it->modified, NULL, it->converted,
			      it->conversion);
	case VG_EREVOKED:
		snprintf(msg, sizeof(msg),
			 it->o.revoked ? "object '%s': $.revoked: a newer version "
					 "is stored, so this one may not be revoked"
				       : "object '%s': $.modified: the stored "
					 "version is revoked; no version may "
					 "follow it",
			 it->id);
		return report(g, it->index, VG_INGEST_REJECTED, it->id,
			      it->modified, msg, it->converted, it->conversion);
	case VG_EDENIED:
		snprintf(msg, sizeof(msg),
			 "object '%s': $.id: belongs to another organisation; "
			 "only its owner may add versions",
			 it->id);
		return report(g, it->index, VG_INGEST_REJECTED, it->id,
			      it->modified, msg, it->converted, it->conversion);
	}
	snprintf(g->error, sizeof(g->error), "%s", vg_store_errmsg(g->store));
	return rc;
}

/* ---- the pipeline: this thread parses and validates, a store thread
 * inserts, so the two halves of the work use two cores. Outcomes are
 * reported by the store thread, in input order. */

#define BATCH 256
#define MAX_QUEUED 4

struct pipe {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cond;
	struct item *head, *tail; /* queued batches, joined into one list */
	size_t queued;            /* batches waiting */
	struct item *batch, *batch_tail;
	size_t batch_n;
	int done, stop;
	int rc;                   /* the store thread's failure */
};

static void *store_loop(void *arg)
{
	struct vg_ingest *g = arg;
	struct pipe *p = g->pipe;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->head && !p->done && !p->stop)
			pthread_cond_wait(&p->cond, &p->mu);
		if (p->stop || (!p->head && p->done))
			break;
		struct item *list = p->head;
		p->head = p->tail = NULL;
		p->queued = 0;
		pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->mu);
		int rc = VG_OK;
		for (struct item *it = list; it && !rc; it = it->next)
			rc = apply(g, it);
		free_items(list);
		pthread_mutex_lock(&p->mu);
		if (rc) {
			p->rc = rc;
			break;
		}
	}
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* Hand the current batch to the store thread (waiting while it is behind,
 * so memory stays bounded). */
static int flush(struct pipe *p)
{
	int rc;
	if (!p->batch)
		return VG_OK;
	pthread_mutex_lock(&p->mu);
	while (p->queued >= MAX_QUEUED && !p->rc)
		pthread_cond_wait(&p->cond, &p->mu);
	rc = p->rc;
	if (!rc) {
		if (p->tail)
			p->tail->next = p->batch;
		else
			p->head = p->batch;
		p->tail = p->batch_tail;
		p->queued++;
		pthread_cond_broadcast(&p->cond);
	}
	pthread_mutex_unlock(&p->mu);
	if (rc)
		free_items(p->batch);
	p->batch = p->batch_tail = NULL;
	p->batch_n = 0;
	return rc;
}

static int pipe_push(struct pipe *p, struct item *it)
{
	if (p->batch_tail)
		p->batch_tail->next = it;
	else
		p->batch = it;
	p->batch_tail = it;
	return ++p->batch_n == BATCH ? flush(p) : VG_OK;
}

/* Finish (drain = 1: store what is queued) and join the store thread. */
static int pipe_end(struct vg_ingest *g, int drain)
{
	struct pipe *p = g->pipe;
	if (!p)
		return VG_OK;
	int rc = drain ? flush(p) : VG_OK;
	pthread_mutex_lock(&p->mu);
	if (drain)
		p->done = 1;
	else
		p->stop = 1;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->thread, NULL);
	if (!rc)
		rc = p->rc;
	free_items(p->head);
	free_items(p->batch);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cond);
	free(p);
	g->pipe = NULL;
	return rc;
}

static int push(struct vg_ingest *g, struct item *it);

/* A bundle's envelope, met at its end: an invalid one stops the input,
 * which then changes nothing. A TAXII envelope (no type, no id) has no
 * rules here. */
static int on_envelope(void *ud, const char *json, size_t len)
{
	struct vg_ingest *g = ud;
	cJSON *env = cJSON_ParseWithLength(json, len);
	int rc = env ? VG_OK : VG_ENOMEM;
	if (env && (cJSON_GetObjectItemCaseSensitive(env, "type") ||
		    cJSON_GetObjectItemCaseSensitive(env, "id")))
		rc = vg_stix_validate_bundle(env, g->error, sizeof(g->error));
	cJSON_Delete(env);
	return rc;
}

static int on_object(void *ud, const char *json, size_t len, size_t index)
{
	struct vg_ingest *g = ud;
	struct item *it;
	int rc;

	cJSON *obj = cJSON_ParseWithLength(json, len);
	if (!obj || !cJSON_IsObject(obj)) {
		const char *why = obj ? "object '(no id)': $: is not a JSON object"
				      : "object '(no id)': $: cannot be parsed";
		cJSON_Delete(obj);
		it = calloc(1, sizeof(*it) + strlen(why) + 1);
		if (!it)
			return VG_ENOMEM;
		it->index = index;
		it->rejected = 1;
		it->msg = strcpy(it->text, why);
	} else if (g->opts.envelope && !vg_jstream_is_container(g->js)) {
		/* an envelope without objects, or not an envelope at all */
		g->bare = cJSON_GetObjectItemCaseSensitive(obj, "type") ||
				  cJSON_GetObjectItemCaseSensitive(obj, "objects")
			  ? 2
			  : 1;
		cJSON_Delete(obj);
		return VG_OK;
	} else {
		/* a bundle inside the input holds nothing more to store */
		const char *type = str_member(obj, "type");
		if (type && !strcmp(type, "bundle") &&
		    !vg_jstream_is_container(g->js)) {
			rc = g->opts.envelope
				     ? VG_OK
				     : vg_stix_validate_bundle(obj, g->error,
							       sizeof(g->error));
			cJSON_Delete(obj);
			return rc;
		}
		it = prepare_any(obj, json, len, index, &g->opts);
		cJSON_Delete(obj);
		if (!it)
			return VG_ENOMEM;
	}
	/* one object, or a converted one and the SCOs made from it */
	while (it->next) {
		struct item *next = it->next;
		it->next = NULL;
		if ((rc = push(g, it))) {
			free_items(next);
			return rc;
		}
		it = next;
	}
	return push(g, it);
}

static int push(struct vg_ingest *g, struct item *it)
{
	int rc;
	if (g->pipe)
		return pipe_push(g->pipe, it);
	if (g->collect) {
		if (g->held_tail)
			g->held_tail->next = it;
		else
			g->held = it;
		g->held_tail = it;
		return VG_OK;
	}
	rc = apply(g, it);
	free(it);
	return rc;
}

/* vg__store_json's outcome: the store's reason for a rejection (owned by
 * another organisation, after a revoked version) is only reported. */
struct why {
	char msg[512];
};

static int keep_why(void *ud, const struct vg_ingest_result *r)
{
	struct why *w = ud;
	if (r->outcome == VG_INGEST_REJECTED && r->message)
		snprintf(w->msg, sizeof(w->msg), "%s", r->message);
	return VG_OK;
}

int vg__store_json(struct vg_store *s, const char *json,
		   const struct vg_ingest_opts *o, char *err, size_t errlen)
{
	struct vg_ingest g = {.store = s, .opts = *o};
	struct vg_ingest_opts quiet = *o;
	struct why why = {""};
	quiet.on_result = keep_why;
	quiet.ud = &why;
	quiet.on_progress = NULL;
	g.opts = quiet;
	size_t len = strlen(json);
	cJSON *obj = cJSON_ParseWithLength(json, len);
	if (!obj)
		return VG_ENOMEM;
	struct item *it = prepare(obj, json, len, 0, o, NULL);
	cJSON_Delete(obj);
	if (!it)
		return VG_ENOMEM;
	int rc = apply(&g, it);
	if (!rc && g.counts.rejected) {
		snprintf(err, errlen, "%s", why.msg[0] ? why.msg : "rejected");
		rc = VG_EINVAL;
	}
	free(it);
	return rc;
}

int vg_ingest_begin(struct vg_store *s, const struct vg_ingest_opts *o,
		    struct vg_ingest **out)
{
	struct vg_ingest *g = calloc(1, sizeof(*g));
	if (!g)
		return VG_ENOMEM;
	g->store = s;
	if (o)
		g->opts = *o;
	size_t max = g->opts.max_object ? g->opts.max_object : 16u << 20;
	g->js = vg_jstream_new(max, on_object, g);
	if (!g->js) {
		free(g);
		return VG_ENOMEM;
	}
	if (!g->opts.envelope)
		vg_jstream_on_envelope(g->js, on_envelope);
	if (!g->opts.in_transaction) {
		int rc = s->ops->begin(s);
		if (rc) {
			vg_jstream_free(g->js);
			free(g);
			return rc;
		}
		g->in_tx = 1;
	}
	if (g->opts.pipeline) {
		struct pipe *p = calloc(1, sizeof(*p));
		if (p) {
			pthread_mutex_init(&p->mu, NULL);
			pthread_cond_init(&p->cond, NULL);
			g->pipe = p;
			if (pthread_create(&p->thread, NULL, store_loop, g)) {
				pthread_mutex_destroy(&p->mu);
				pthread_cond_destroy(&p->cond);
				free(p);
				g->pipe = NULL; /* fall back to one thread */
			}
		}
	}
	*out = g;
	return VG_OK;
}

int vg_ingest_feed(struct vg_ingest *g, const char *p, size_t n)
{
	g->bytes += n;
	int rc = vg_jstream_feed(g->js, p, n);
	if (rc && !g->error[0])
		snprintf(g->error, sizeof(g->error), "%s",
			 vg_jstream_error(g->js)[0] ? vg_jstream_error(g->js)
						    : vg_strerror(rc));
	return rc;
}

void vg_ingest_abort(struct vg_ingest *g)
{
	if (!g)
		return;
	pipe_end(g, 0);
	free_items(g->held);
	if (g->in_tx)
		g->store->ops->rollback(g->store);
	vg_jstream_free(g->js);
	free(g);
}

const char *vg_ingest_error(const struct vg_ingest *g)
{
	return g->error;
}

int vg_ingest_bare(const struct vg_ingest *g)
{
	return g->bare;
}

int vg_ingest_was_container(const struct vg_ingest *g)
{
	return vg_jstream_is_container(g->js);
}

void vg_ingest_counts(const struct vg_ingest *g, struct vg_ingest_counts *c)
{
	*c = g->counts;
}

int vg_ingest_end(struct vg_ingest *g, struct vg_ingest_counts *counts,
		  char *err, size_t errlen)
{
	int rc = vg_jstream_finish(g->js);
	if (rc)
		snprintf(g->error, sizeof(g->error), "%s",
			 vg_jstream_error(g->js));
	/* everything validated is stored (and reported) before the commit */
	int prc = pipe_end(g, !rc);
	if (!rc)
		rc = prc;
	if (!rc && g->in_tx) {
		rc = g->store->ops->commit(g->store);
		if (rc)
			snprintf(g->error, sizeof(g->error), "%s",
				 vg_store_errmsg(g->store));
		else
			g->in_tx = 0;
	}
	if (!rc && counts)
		*counts = g->counts;
	if (rc && err && errlen)
		snprintf(err, errlen, "%s", g->error);
	vg_ingest_abort(g);
	return rc;
}

int vg_ingest_fd(struct vg_store *s, int fd, const struct vg_ingest_opts *o,
		 struct vg_ingest_counts *counts, char *err, size_t errlen)
{
	enum { CHUNK = 1 << 16 };
	struct vg_ingest *g = NULL;
	struct vg_ingest_opts po = *o;
	char *buf = malloc(CHUNK);
	po.pipeline = 1;
	int rc = buf ? vg_ingest_begin(s, &po, &g) : VG_ENOMEM;
	if (rc)
		goto out;
	for (;;) {
		ssize_t n = read(fd, buf, CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "read: %s", strerror(errno));
			rc = VG_EIO;
			break;
		}
		if (n == 0)
			break;
		rc = vg_ingest_feed(g, buf, (size_t)n);
		if (rc) {
			snprintf(err, errlen, "%s", vg_ingest_error(g));
			break;
		}
	}
	if (rc) {
		vg_ingest_abort(g);
		goto out;
	}
	rc = vg_ingest_end(g, counts, err, errlen);
out:
	free(buf);
	return rc;
}

int vg_ingest_prepare(const char *buf, size_t len,
		      const struct vg_ingest_opts *o, struct vg_ingest **out,
		      char *err, size_t errlen)
{
	struct vg_ingest_opts po = *o;
	struct vg_ingest *g = NULL;
	po.in_transaction = 1; /* nothing is stored here */
	po.pipeline = 0;
	int rc = vg_ingest_begin(NULL, &po, &g);
	if (rc)
		return rc;
	g->collect = 1;
	rc = vg_ingest_feed(g, buf, len);
	if (!rc && (rc = vg_jstream_finish(g->js)))
		snprintf(g->error, sizeof(g->error), "%s", vg_jstream_error(g->js));
	if (rc) {
		snprintf(err, errlen, "%s", g->error);
		vg_ingest_abort(g);
		return rc;
	}
	*out = g;
	return VG_OK;
}

int vg_ingest_apply(struct vg_store *s, struct vg_ingest *g,
		    struct vg_ingest_counts *counts)
{
	int rc = VG_OK;
	g->store = s;
	memset(&g->counts, 0, sizeof(g->counts));
	for (struct item *it = g->held; it && !rc; it = it->next)
		rc = apply(g, it);
	if (!rc && counts)
		*counts = g->counts;
	return rc;
}
