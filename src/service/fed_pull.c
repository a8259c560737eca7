/* A pull's pages stored (partners.h vg_fed_pull_pages): streamed through
 * the ingest pipeline, many pages a transaction with their cursor. */
#include "fed_page.h"
#include "vigil/util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One transaction of a pull. This thread reads and checks each page
 * (parse, validation, the origin's signature) while the ingest's store
 * thread stores the pages before it; a page's quarantine rows follow its
 * last object; the cursor and the audit entry end the transaction. A run
 * of pages to one target is one ingest; a page for another target, or
 * naming an origin not yet resolved, starts the next. */
struct vg__pull {
	struct vg_ctx *c;
	struct vg__partner *p;
	struct vg__fed *f;
	const char *remote, *local;
	const struct vg_fed_source *src;
	size_t max_pages;
	struct vg_fed_in first; /* waited for before the transaction */
	int first_taken;
	struct vg__origins og;
	struct vg__seal_cache seals;
	struct vg__page *oldest, *newest; /* pages not given back yet */
	struct vg_ingest *g;              /* the current run of pages */
	struct vg__target t;
	char alias[160];
	struct vg_fed_page total; /* the store thread's while g runs */
	size_t taken;
	int end;
	int stop_rc; /* what ended the pull early, after the commit */
	char date_last[64];
	char *err;
	size_t errlen;
};

/* A page not taken into the transaction (no error code is negative). */
#define NOT_TAKEN (-1)

/* After a page's last object (on the store thread): its quarantine rows,
 * its counts; then it may be given back. */
static int page_stored(void *ud, struct vg_store *s)
{
	struct vg__page *j = ud;
	struct vg__pull *m = j->pull;
	int rc = vg__page_quarantine(s, j);
	m->total.accepted += j->res.accepted;
	m->total.duplicates += j->res.duplicates;
	m->total.quarantined += j->res.quarantined;
	m->total.returned += j->res.returned;
	atomic_store_explicit(&j->stored, 1, memory_order_release);
	return rc;
}

static void page_free(struct vg__pull *m, struct vg__page *j)
{
	m->src->release(m->src->ud, &j->in);
	vg__page_release(j);
	free(j);
}

/* Give back the pages stored (all: every page, the store thread ended). */
static void give_back(struct vg__pull *m, int all)
{
	while (m->oldest &&
	       (all || atomic_load_explicit(&m->oldest->stored,
	                                    memory_order_acquire))) {
		struct vg__page *j = m->oldest;
		if (!(m->oldest = j->newer))
			m->newest = NULL;
		page_free(m, j);
	}
}

/* The end of a run: everything fed is stored (in the transaction). */
static int run_end(struct vg__pull *m)
{
	char e[600] = "";
	int rc = vg_ingest_end(m->g, NULL, e, sizeof(e));
	m->g = NULL;
	if (rc)
		snprintf(m->err, m->errlen, "partner '%s': %s", m->p->name, e);
	return rc;
}

/* A run of pages to j's target: its origins resolved (new ones made, in
 * this transaction), an ingest begun with j as its first input.
 * NOT_TAKEN: the page has nowhere to go here (m->err says why). */
static int run_begin(struct vg_store *s, struct vg__pull *m, struct vg__page *j,
                     const char *alias)
{
	struct vg_ingest_opts o;
	int need = 0;
	int rc = vg__page_target(j, s, alias);
	if (rc)
		return rc == VG_ENOTFOUND || rc == VG_EDENIED ? NOT_TAKEN : rc;
	if ((rc = vg__page_origins_add(j, s, &need)))
		return rc;
	if (need) {
		if ((rc = vg__page_origins_make(s, j)))
			return rc;
	}
	vg__page_opts(j, &o);
	m->t = j->t;
	o.collection = m->t.id; /* the run outlives its first page */
	o.in_transaction = 1;
	o.pipeline = 1;
	o.on_input_end = page_stored;
	if ((rc = vg_ingest_begin(s, &o, &m->g)))
		return rc;
	snprintf(m->alias, sizeof(m->alias), "%s", alias);
	return VG_OK;
}

/* Take one page into the transaction (in is the page's, given back with
 * it). NOT_TAKEN: the pull ends before it (m->stop_rc and m->err say
 * why); an error fails the transaction. */
static int take_page(struct vg_store *s, struct vg__pull *m,
                     const struct vg_fed_in *in)
{
	char alias[160];
	struct vg__page *j = calloc(1, sizeof(*j));
	if (!j) {
		m->src->release(m->src->ud, (struct vg_fed_in *)in);
		return VG_ENOMEM;
	}
	*j = (struct vg__page){.c = m->c,
	                       .p = m->p,
	                       .f = m->f,
	                       .remote = m->remote,
	                       .err = m->err,
	                       .errlen = m->errlen,
	                       .og = &m->og,
	                       .seals = &m->seals,
	                       .pull = m,
	                       .in = *in};
	int rc = vg__page_read(j, in->body, in->len), bad = rc == VG_EINVAL;
	if (!rc) {
		vg__page_alias(j, m->local, alias);
		if (m->g &&
		    (strcmp(alias, m->alias) || !vg__page_origins_known(j)))
			rc = run_end(m);
		if (!rc && !m->g)
			bad = (rc = run_begin(s, m, j, alias)) == NOT_TAKEN;
		else if (!rc)
			rc = vg_ingest_next(m->g, j);
	}
	if (bad) {
		/* not an envelope, or nowhere to go: the pages before it are
		 * stored, and the pull ends with the reason */
		m->stop_rc = rc == NOT_TAKEN ? VG_EINVAL : rc;
		page_free(m, j);
		return NOT_TAKEN;
	}
	if (rc) {
		page_free(m, j);
		return rc;
	}
	j->t = m->t;
	if (m->newest)
		m->newest->newer = j;
	else
		m->oldest = j;
	m->newest = j;
	if ((rc = vg_ingest_feed(m->g, in->body, in->len))) {
		snprintf(m->err, m->errlen, "partner '%s': %s", m->p->name,
		         vg_ingest_error(m->g));
		return rc == VG_EJSON || rc == VG_ETOOBIG ? VG_EINVAL : rc;
	}
	m->taken++;
	if (in->date_last && *in->date_last)
		snprintf(m->date_last, sizeof(m->date_last), "%s",
		         in->date_last);
	return VG_OK;
}

static int pull_fn(struct vg_store *s, void *arg)
{
	struct vg__pull *m = arg;
	struct vg_fed_in in = m->first;
	int rc = VG_OK;
	m->first_taken = 1;
	while (!rc && in.body) {
		if ((rc = take_page(s, m, &in)))
			break;
		give_back(m, 0);
		if (in.last) {
			m->end = 1;
			break;
		}
		if (m->taken == m->max_pages)
			break;
		/* only what is fetched already: the writer never waits on
		 * the network */
		int nr = m->src->next(m->src->ud, 0, &in, m->err, m->errlen);
		if (nr) {
			m->stop_rc = nr;
			break;
		}
	}
	if (rc == NOT_TAKEN)
		rc = VG_OK;
	if (!rc && m->g)
		rc = run_end(m);
	if (rc && m->g) {
		vg_ingest_abort(m->g);
		m->g = NULL;
	}
	give_back(m, 1);
	if (!rc && m->taken) {
		struct vg__page tail = {
		    .c = m->c, .p = m->p, .remote = m->remote, .t = m->t};
		rc = vg__page_tail(s, &tail, &m->total, m->date_last);
	}
	return rc;
}

int vg_fed_pull_pages(struct vg_ctx *c, const char *remote,
                      const struct vg_fed_source *src, size_t max_pages,
                      struct vg_fed_page *res, size_t *taken, int *end,
                      char *err, size_t errlen)
{
	struct vg_store *s = vg__reader(c->svc);
	struct vg__pull *m = calloc(1, sizeof(*m));
	struct vg__partner *p = malloc(sizeof(*p));
	int rc = !s || !p || !m ? (s ? VG_ENOMEM : VG_ESTORE)
	                        : vg__fed_ctx_partner(c, s, p);
	memset(res, 0, sizeof(*res));
	*taken = 0;
	*end = 1;
	if (!rc)
		rc = vg__fed_get(c->svc, &m->f, err, errlen);
	if (!rc)
		rc = src->next(src->ud, 1, &m->first, err, errlen);
	if (rc)
		goto out;
	m->c = c;
	m->p = p;
	m->remote = remote;
	m->local = vg__page_local(p, remote);
	m->src = src;
	m->max_pages = max_pages ? max_pages : 1;
	m->err = err;
	m->errlen = errlen;
	/* alone: other jobs in its transaction would put it in a savepoint */
	rc = vg__write_alone(c->svc, pull_fn, m);
	if (!m->first_taken)
		src->release(src->ud, &m->first);
	if (!rc) {
		*res = m->total;
		*taken = m->taken;
		*end = m->end || m->stop_rc;
		rc = m->stop_rc;
	}
out:
	if (m)
		free(m->og.v);
	free(m);
	free(p);
	return rc;
}
