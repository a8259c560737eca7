/* One pull round with a partner, by the TAXII 2.1 rules: added_after from
 * the partner's own X-TAXII-Date-Added-Last (never this hub's clock), a
 * small overlap before it re-read (ties, de-duplicated by (id, version) in
 * the store), `next` followed with the original parameters, each page
 * stored with its cursor in one transaction. A server that does not
 * advance, a `next` that never ends, errors and oversized or broken
 * answers end the round with an error; what was stored stays. */
#include "sync_int.h"
#include "vigil/service/partners.h"
#include "vigil/sync/sync.h"
#include "vigil/util/error.h"
#include "vigil/util/jspan.h"
#include "vigil/util/timefmt.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PAGES 1000000

/* scheme://host[:port] of the API root, for /.well-known/vigil-hub */
static void origin_of(const char *url, char *out, size_t n)
{
	const char *p = strstr(url, "://");
	const char *slash = p ? strchr(p + 3, '/') : NULL;
	size_t len = slash ? (size_t)(slash - url) : strlen(url);
	snprintf(out, n, "%.*s", (int)len, url);
}

/* A vigil partner says who it is; its id and key are pinned the first
 * time. A plain TAXII server has no such document (404): nothing to pin. */
int vg__sync_learn(struct vg_ctx *c, const struct vg_partner_conn *pc,
                   char *err, size_t errlen)
{
	char url[1200];
	struct vg_http_answer a;
	origin_of(pc->url, url, sizeof(url) - 32);
	strcat(url, "/.well-known/vigil-hub");
	int rc = vg__sync_get(pc, url, &a);
	if (rc) {
		snprintf(err, errlen, "%.300s: %.250s", url, a.error);
		goto out;
	}
	if (a.status != 200) {
		if (pc->hub_id[0]) {
			snprintf(err, errlen,
			         "%.300s: HTTP %ld from a pinned vigil hub",
			         url, a.status);
			rc = VG_EIO;
		}
		goto out;
	}
	cJSON *d =
	    cJSON_ParseWithLength(a.body.data ? a.body.data : "", a.body.len);
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(d, "hub_id");
	const cJSON *nm = cJSON_GetObjectItemCaseSensitive(d, "name");
	const cJSON *pk = cJSON_GetObjectItemCaseSensitive(d, "sign_pk");
	rc = vg_fed_learn(c, cJSON_IsString(id) ? id->valuestring : NULL,
	                  cJSON_IsString(nm) ? nm->valuestring : NULL,
	                  cJSON_IsString(pk) ? pk->valuestring : NULL, err,
	                  errlen);
	cJSON_Delete(d);
out:
	vg__sync_answer_release(&a);
	return rc;
}

static int add_param(char *url, size_t n, const char *name, const char *value)
{
	char *esc = curl_easy_escape(NULL, value, 0);
	if (!esc)
		return VG_ENOMEM;
	size_t len = strlen(url);
	int w = snprintf(url + len, n - len, "%c%s=%s",
	                 strchr(url, '?') ? '&' : '?', name, esc);
	curl_free(esc);
	return w < 0 || (size_t)w >= n - len ? VG_ETOOBIG : VG_OK;
}

/* One remote collection, page after page. A second thread fetches and
 * checks the next page (the TAXII rules: next with the original
 * parameters, progress) while this one reads and checks the pages before
 * and a third stores them (vg_fed_pull_pages), so the partner's server,
 * the network and this hub's two halves of ingest work at once; pages
 * are stored, and the cursor moved, strictly in order. */
#define QUEUE 8 /* pages fetched ahead */
/* pages stored in one transaction, at most: each commit writes every index
 * page its objects touched, and random ids touch most of them (1,000,000
 * objects: 5.6 GB written with 64 pages a transaction, 3.5 GB with 256);
 * the writer is held that long (a few seconds of an initial pull) */
#define BATCH 128

struct fetched {
	struct vg_http_answer a;
	int rc;
	char err[600];
	int last; /* no page after this one */
};

struct fetcher {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cond;
	const struct vg_partner_conn *pc;
	const char *remote;
	char *esc;
	char after[VG_TIME_LEN];
	struct fetched q[QUEUE];
	size_t head, n;
	int stop;
};

static int count_one(void *ud, const struct vg_span *e)
{
	(void)e;
	(*(size_t *)ud)++;
	return 0;
}

/* What the fetcher needs of a page: more, next, how many objects. */
struct tail {
	int more;
	size_t n;
	cJSON *next;
};

static int take_tail(void *ud, const struct vg_span *k, const struct vg_span *v)
{
	struct tail *t = ud;
	if (k->n == 7 && !memcmp(k->p, "objects", 7))
		return vg_jspan_elements(v->p, v->n, count_one, &t->n);
	if (k->n == 4 && !memcmp(k->p, "more", 4))
		t->more = v->n == 4 && !memcmp(v->p, "true", 4);
	else if (k->n == 4 && !memcmp(k->p, "next", 4) && !t->next)
		t->next = cJSON_ParseWithLength(v->p, v->n);
	return 0;
}

/* The next page's parameters from this one: 0 to go on, 1 when it was the
 * last, or an error (e->err says why). */
static int follow(struct fetcher *f, struct fetched *e, char *next,
                  char *prev_next)
{
	/* more, next and how many objects, without parsing the objects */
	const char *body = e->a.body.data ? e->a.body.data : "";
	struct tail t = {0};
	int rc = 0, bad = vg_jspan_members(body, e->a.body.len, take_tail, &t);
	int more = t.more;
	size_t n = t.n;
	cJSON *nx = t.next;
	if (bad)
		rc = 1; /* the store says what is wrong with it */
	else if (!more)
		rc = 1;
	else if (!n) {
		snprintf(e->err, sizeof(e->err),
		         "collection '%s': 'more' with an "
		         "empty page",
		         f->remote);
		rc = VG_EIO;
	} else if (cJSON_IsString(nx) && strlen(nx->valuestring) < 256) {
		if (!strcmp(nx->valuestring, prev_next)) {
			snprintf(e->err, sizeof(e->err),
			         "collection '%s': 'next' "
			         "does not advance",
			         f->remote);
			rc = VG_EIO;
		} else {
			snprintf(next, 256, "%s", nx->valuestring);
			snprintf(prev_next, 256, "%s", nx->valuestring);
		}
	} else {
		/* more without next: after the page's last date_added, which
		 * must move */
		int64_t was = 0, now = 0;
		if (f->after[0])
			vg_time_parse_us(f->after, &was);
		if (!e->a.date_last[0] ||
		    vg_time_parse_us(e->a.date_last, &now) || now <= was) {
			snprintf(e->err, sizeof(e->err),
			         "collection '%s': more "
			         "objects, but the server does not "
			         "advance (X-TAXII-Date-Added-Last)",
			         f->remote);
			rc = VG_EIO;
		} else {
			vg_time_format_us(now, f->after);
			next[0] = '\0';
		}
	}
	cJSON_Delete(nx);
	return rc;
}

static void *fetch_loop(void *arg)
{
	struct fetcher *f = arg;
	char next[256] = "", prev_next[256] = "";
	for (int pages = 0;; pages++) {
		struct fetched e;
		char url[2048], limit[24];
		memset(&e, 0, sizeof(e));
		snprintf(url, sizeof(url), "%scollections/%s/objects/",
		         f->pc->url, f->esc);
		snprintf(limit, sizeof(limit), "%zu", f->pc->limit);
		e.rc = add_param(url, sizeof(url), "limit", limit);
		/* every version: history and revocations travel, not only
		 * what is latest when the page is read */
		if (!e.rc)
			e.rc = add_param(url, sizeof(url), "match%5Bversion%5D",
			                 "all");
		if (!e.rc && f->after[0])
			e.rc = add_param(url, sizeof(url), "added_after",
			                 f->after);
		if (!e.rc && next[0])
			e.rc = add_param(url, sizeof(url), "next", next);
		if (!e.rc && pages == MAX_PAGES) {
			snprintf(e.err, sizeof(e.err),
			         "collection '%s': more than %d "
			         "pages in one round",
			         f->remote, MAX_PAGES);
			e.rc = VG_EIO;
		}
		if (!e.rc) {
			e.rc = vg__sync_get(f->pc, url, &e.a);
			if (e.rc) {
				snprintf(e.err, sizeof(e.err),
				         "collection '%s': %s", f->remote,
				         e.a.error);
			} else if (e.a.status != 200) {
				snprintf(e.err, sizeof(e.err),
				         "collection '%s': HTTP "
				         "%ld: %.200s",
				         f->remote, e.a.status,
				         e.a.body.data ? e.a.body.data : "");
				e.rc = VG_EIO;
			}
		}
		if (!e.rc) {
			int fr = follow(f, &e, next, prev_next);
			if (fr == 1)
				e.last = 1;
			else if (fr)
				e.rc = fr;
		}
		pthread_mutex_lock(&f->mu);
		while (f->n == QUEUE && !f->stop)
			pthread_cond_wait(&f->cond, &f->mu);
		int stop = f->stop;
		if (!stop) {
			f->q[(f->head + f->n) % QUEUE] = e;
			f->n++;
			pthread_cond_broadcast(&f->cond);
		}
		pthread_mutex_unlock(&f->mu);
		if (stop) {
			vg__sync_answer_release(&e.a);
			break;
		}
		if (e.rc || e.last)
			break;
	}
	return NULL;
}

/* The fetched pages, in order, for vg_fed_pull_pages. */
static int src_next(void *ud, int wait, struct vg_fed_in *in, char *err,
                    size_t errlen)
{
	struct fetcher *f = ud;
	struct fetched *e;
	memset(in, 0, sizeof(*in));
	pthread_mutex_lock(&f->mu);
	while (!f->n && wait)
		pthread_cond_wait(&f->cond, &f->mu);
	if (!f->n) {
		pthread_mutex_unlock(&f->mu);
		return VG_OK;
	}
	e = malloc(sizeof(*e));
	if (e) {
		*e = f->q[f->head];
		f->head = (f->head + 1) % QUEUE;
		f->n--;
		pthread_cond_broadcast(&f->cond);
	}
	pthread_mutex_unlock(&f->mu);
	if (!e)
		return VG_ENOMEM;
	int rc = e->rc;
	if (rc) {
		snprintf(err, errlen, "%s", e->err);
		vg__sync_answer_release(&e->a);
		free(e);
		return rc;
	}
	in->body = e->a.body.data ? e->a.body.data : "";
	in->len = e->a.body.len;
	in->date_last = e->a.date_last;
	in->last = e->last;
	in->handle = e;
	return VG_OK;
}

static void src_release(void *ud, struct vg_fed_in *in)
{
	struct fetched *e = in->handle;
	(void)ud;
	if (e) {
		vg__sync_answer_release(&e->a);
		free(e);
	}
	in->handle = NULL;
}

static int pull_collection(struct vg_ctx *c, const struct vg_partner_conn *pc,
                           const char *remote, struct vg_sync_report *r)
{
	char cursor[64];
	struct fetcher f = {.pc = pc, .remote = remote};
	struct vg_fed_source src = {src_next, src_release, &f};
	int rc = vg_fed_cursor(c, remote, cursor);
	if (rc)
		return rc;
	if (!(f.esc = curl_easy_escape(NULL, remote, 0)))
		return VG_ENOMEM;
	if (cursor[0]) {
		/* the overlap: ties at the cursor's instant are read again */
		int64_t us;
		if (!vg_time_parse_us(cursor, &us))
			vg_time_format_us(us - pc->overlap_us, f.after);
	}
	pthread_mutex_init(&f.mu, NULL);
	pthread_cond_init(&f.cond, NULL);
	if (pthread_create(&f.thread, NULL, fetch_loop, &f)) {
		rc = VG_ENOMEM;
		goto out;
	}
	for (int end = 0; !end && !rc;) {
		struct vg_fed_page res;
		size_t k;
		rc = vg_fed_pull_pages(c, remote, &src, BATCH, &res, &k, &end,
		                       r->error, sizeof(r->error));
		r->pages += k;
		r->accepted += res.accepted;
		r->duplicates += res.duplicates;
		r->quarantined += res.quarantined;
		r->returned += res.returned;
	}
	/* the fetcher stops at the next page it would queue */
	pthread_mutex_lock(&f.mu);
	f.stop = 1;
	pthread_cond_broadcast(&f.cond);
	pthread_mutex_unlock(&f.mu);
	pthread_join(f.thread, NULL);
	while (f.n) {
		vg__sync_answer_release(&f.q[f.head].a);
		f.head = (f.head + 1) % QUEUE;
		f.n--;
	}
out:
	pthread_mutex_destroy(&f.mu);
	pthread_cond_destroy(&f.cond);
	curl_free(f.esc);
	return rc;
}

/* A vigil partner's deletions, after the tombstone cursor. */
static int pull_tombstones(struct vg_ctx *c, const struct vg_partner_conn *pc,
                           struct vg_sync_report *r)
{
	char cursor[64], base[1100];
	int rc = vg_fed_cursor(c, "#tombstones", cursor);
	origin_of(pc->url, base, sizeof(base));
	for (int round = 0; !rc && round < 10000; round++) {
		char url[1300];
		struct vg_http_answer a;
		size_t applied = 0, refused = 0;
		int64_t more = 0;
		snprintf(url, sizeof(url),
		         "%s/api/v1/fed/tombstones?after=%s&limit=1000", base,
		         cursor[0] ? cursor : "0");
		rc = vg__sync_get(pc, url, &a);
		if (rc) {
			snprintf(r->error, sizeof(r->error),
			         "tombstones: %.300s", a.error);
		} else if (a.status != 200) {
			snprintf(r->error, sizeof(r->error),
			         "tombstones: HTTP %ld", a.status);
			rc = VG_EIO;
		} else {
			rc = vg_fed_store_tombstones(
			    c, a.body.data ? a.body.data : "", a.body.len, 1,
			    &applied, &refused, &more, r->error,
			    sizeof(r->error));
		}
		vg__sync_answer_release(&a);
		r->quarantined += refused;
		r->tombstones += applied;
		if (rc || !more)
			break;
		if ((rc = vg_fed_cursor(c, "#tombstones", cursor)))
			break;
	}
	return rc;
}

/* Without collections set, every collection the partner lets this hub
 * read (its collections resource, in its order). */
static int discover(const struct vg_partner_conn *pc, char (*out)[200],
                    size_t max, size_t *n, char *err, size_t errlen)
{
	char url[1200];
	struct vg_http_answer a;
	*n = 0;
	snprintf(url, sizeof(url), "%scollections/", pc->url);
	int rc = vg__sync_get(pc, url, &a);
	if (rc) {
		snprintf(err, errlen, "%.300s: %.250s", url, a.error);
	} else if (a.status != 200) {
		snprintf(err, errlen, "%.300s: HTTP %ld", url, a.status);
		rc = VG_EIO;
	} else {
		cJSON *d = cJSON_ParseWithLength(a.body.data ? a.body.data : "",
		                                 a.body.len);
		const cJSON *c;
		cJSON_ArrayForEach(
		    c, cJSON_GetObjectItemCaseSensitive(d, "collections"))
		{
			const cJSON *id =
			    cJSON_GetObjectItemCaseSensitive(c, "id");
			const cJSON *cr =
			    cJSON_GetObjectItemCaseSensitive(c, "can_read");
			if (cJSON_IsString(id) && cJSON_IsTrue(cr) &&
			    *n < max && strlen(id->valuestring) < 200)
				snprintf(out[(*n)++], 200, "%s",
				         id->valuestring);
		}
		if (!cJSON_IsObject(d)) {
			snprintf(err, errlen,
			         "%.300s: not a TAXII collections "
			         "resource",
			         url);
			rc = VG_EIO;
		}
		cJSON_Delete(d);
	}
	vg__sync_answer_release(&a);
	return rc;
}

int vg_sync_round(struct vg_service *svc, const char *name,
                  struct vg_sync_report *r)
{
	struct vg_ctx c;
	struct vg_partner_conn *pc = calloc(1, sizeof(*pc));
	memset(r, 0, sizeof(*r));
	if (!pc)
		return VG_ENOMEM;
	int rc = vg_fed_open(svc, name, &c, r->error, sizeof(r->error));
	if (rc) {
		free(pc);
		return rc;
	}
	rc = vg_partner_conn(&c, name, pc, r->error, sizeof(r->error));
	if (!rc && !(pc->direction & VG_FED_PULL)) {
		/* this hub does not pull from it */
		vg_ctx_release(&c);
		free(pc);
		return VG_OK;
	}
	if (!rc)
		rc = vg__sync_learn(&c, pc, r->error, sizeof(r->error));
	if (!rc && pc->hub_id[0] == '\0') {
		/* pinned just now: read it back */
		char hub[80];
		snprintf(hub, sizeof(hub), "%s", pc->hub_id);
		vg_partner_conn_wipe(pc);
		rc = vg_partner_conn(&c, name, pc, r->error, sizeof(r->error));
	}
	if (!rc && !pc->n_remote)
		rc = discover(pc, pc->remote, VG_FED_MAX_LIST, &pc->n_remote,
		              r->error, sizeof(r->error));
	for (size_t i = 0; !rc && i < pc->n_remote; i++)
		rc = pull_collection(&c, pc, pc->remote[i], r);
	if (!rc && pc->hub_id[0])
		rc = pull_tombstones(&c, pc, r);
	if (rc && !r->error[0])
		snprintf(r->error, sizeof(r->error), "%s", vg_strerror(rc));
	struct vg_fed_round done = {
	    .error = rc ? r->error : NULL,
	    .pages = r->pages,
	    .accepted = r->accepted,
	    .duplicates = r->duplicates,
	    .quarantined = r->quarantined,
	    .more = r->more,
	};
	int rd = vg_fed_round_done(&c, &done);
	if (!rc)
		rc = rd;
	vg_partner_conn_wipe(pc);
	free(pc);
	vg_ctx_release(&c);
	return rc;
}
