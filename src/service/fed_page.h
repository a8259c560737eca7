/* Shared by fed_ingest.c (a lone page: a push received, a retry) and
 * fed_pull.c (a pull's stream of pages): a page received from a partner,
 * read, checked object by object through the ingest engine's hooks and
 * stored with its provenance and quarantine rows. */
#ifndef VIGIL_FED_PAGE_H
#define VIGIL_FED_PAGE_H

#include "fed_int.h"
#include "ingest_int.h"
#include "vigil/service/partners.h"
#include "vigil/util/jspan.h"

#include <stdatomic.h>

/* Where a page goes: a local collection. */
struct vg__target {
	char id[40];
	int scope;
	int64_t grp, org;
};

/* One object's origin, resolved before parsing. */
struct vg__origin {
	char id[100];
	int64_t org; /* 0 until resolved */
	char pk[80];
};

/* The origins admit knows: a lone page's, or a whole pull's. */
struct vg__origins {
	struct vg__origin *v;
	size_t n, cap;
	size_t last; /* found last: most objects share it */
};

struct vg__pull;

struct vg__page {
	struct vg_ctx *c;
	struct vg__partner *p;
	struct vg__fed *f;
	struct vg__target t;
	const char *remote; /* NULL: a retry from the quarantine */
	int64_t retry_id;
	cJSON *env;           /* x_vigil_provenance, parsed */
	struct vg_span *objs; /* each object's text */
	size_t cap_objs;
	const cJSON *prov;   /* the provenance array */
	const cJSON **provs; /* its items by position */
	size_t n;
	int more; /* the envelope's more and next */
	char next[256];
	struct vg__origins *og; /* own, or the pull's */
	struct vg__origins own;
	unsigned char *skip; /* per object: came back to its origin */
	unsigned char *bad;  /* per object: refused */
	char **reason;       /* per refused object */
	struct vg_ingest *g;
	struct vg_ingest_counts counts;
	const char *date_last;
	struct vg_fed_page res;
	char *err;
	size_t errlen;
	struct vg__seal_cache *seals; /* the parsing thread's */
	struct vg__seal_cache own_seals;
	char pseudo[200]; /* the origin of what a plain TAXII server
	                   * sends: "taxii:NAME@THIS-HUB" */
	/* a page of a pull (vg_fed_pull_pages) */
	struct vg__pull *pull;
	struct vg_fed_in in;
	struct vg__page *newer; /* the pull's pages, oldest first */
	atomic_int stored;      /* set by the storing thread when done */
};

/* Read one page into j, whose c, p, f, err are set: the objects' texts
 * as they came (no tree: ingest parses each) and the provenance alone,
 * checked against the objects. Touches no store. VG_EINVAL (j->err). */
int vg__page_read(struct vg__page *j, const char *body, size_t len);
/* The alias of the local collection for the page: local when set, else
 * by the first object's provenance. */
void vg__page_alias(const struct vg__page *j, const char *local,
                    char alias[160]);
/* j->t: the collection of alias, which takes the partner's objects (a
 * group's must list it). VG_ENOTFOUND, VG_EDENIED (j->err). */
int vg__page_target(struct vg__page *j, struct vg_store *s, const char *alias);
/* 1 when every origin the page names that could be known is in j->og. */
int vg__page_origins_known(const struct vg__page *j);
/* Add the page's origins missing from j->og as s knows them; *need: some
 * are new (made by vg__page_origins_make). */
int vg__page_origins_add(struct vg__page *j, struct vg_store *s, int *need);
/* Make the new ones: their organisations, their keys pinned on first
 * sight (introduced by this partner; audited), in s's transaction. */
int vg__page_origins_make(struct vg_store *s, struct vg__page *j);
/* The ingest options for pages going to j's target (hooks, j as ud). */
void vg__page_opts(struct vg__page *j, struct vg_ingest_opts *o);
/* The page's refused objects into the quarantine (a retried one leaves
 * it, or stays with its new reason). */
int vg__page_quarantine(struct vg_store *s, struct vg__page *j);
/* After the objects of one or more pages of j's collection: the cursor
 * (to date_last) and the audit entry, with res the pages' counts. */
int vg__page_tail(struct vg_store *s, const struct vg__page *j,
                  const struct vg_fed_page *res, const char *date_last);
/* Free what j holds (not j). */
void vg__page_release(struct vg__page *j);
/* The local collection a remote one goes to (NULL: by provenance). */
const char *vg__page_local(const struct vg__partner *p, const char *remote);

#endif
