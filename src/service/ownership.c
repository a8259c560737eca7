/* The one-time repair of ids stored before ownership was enforced: an
 * earlier release let another organisation hold "copies" of an owned
 * version (and so show content under an id it did not create). Once per
 * store, at open: each owned id held by several organisations is
 * registered to its first holder, and the other organisations' rows of it
 * are narrowed to their holder only (kept, never deleted: acknowledged
 * data is not lost; nobody else reads them). Audited. */
#include "service_int.h"
#include "vigil/stix/versions.h"
#include "vigil/util/error.h"

#include <stdlib.h>
#include <string.h>

#define REPAIRED "owners.repaired"

struct ids {
	char **v;
	size_t n, cap;
};

static int take_id(void *ud, const char *id)
{
	struct ids *l = ud;
	if (vg_stix_id_shared(id))
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		char **v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return VG_ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	return (l->v[l->n++] = strdup(id)) ? VG_OK : VG_ENOMEM;
}

struct rows {
	struct vg_stored_version *v;
	char **keep; /* the strings, owned */
	size_t n, cap;
};

static int take_row(void *ud, const struct vg_stored_version *r)
{
	struct rows *l = ud;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct vg_stored_version *v = realloc(l->v, cap * sizeof(*v));
		char **k = realloc(l->keep, 2 * cap * sizeof(*k));
		if (v)
			l->v = v;
		if (k)
			l->keep = k;
		if (!v || !k)
			return VG_ENOMEM;
		l->cap = cap;
	}
	struct vg_stored_version *x = &l->v[l->n];
	*x = *r;
	l->keep[2 * l->n] = strdup(r->collection);
	l->keep[2 * l->n + 1] = strdup(r->version);
	x->collection = l->keep[2 * l->n];
	x->version = l->keep[2 * l->n + 1];
	l->n++;
	return x->collection && x->version ? VG_OK : VG_ENOMEM;
}

static void rows_release(struct rows *l)
{
	for (size_t i = 0; i < 2 * l->n; i++)
		free(l->keep[i]);
	free(l->keep);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

struct job {
	const struct vg_ctx *c;
	int64_t ids, rows;
};

static int repair_fn(struct vg_store *s, void *arg)
{
	struct job *j = arg;
	struct ids ids = {0};
	char *done = NULL;
	int rc = s->ops->hub->get(s, REPAIRED, &done);
	free(done);
	if (rc != VG_ENOTFOUND)
		return rc; /* repaired already, or a failure */
	rc = s->ops->objects->shared_ids(s, take_id, &ids);
	for (size_t i = 0; !rc && i < ids.n; i++) {
		struct rows r = {0};
		int64_t owner = 0, first = 0;
		rc = s->ops->objects->versions(s, ids.v[i], take_row, &r);
		for (size_t k = 0; !rc && k < r.n; k++)
			if (!first || r.v[k].date_added < first) {
				first = r.v[k].date_added;
				owner = r.v[k].owner;
			}
		int64_t registered;
		int have = rc ? rc : s->ops->objects->owner_of(s, ids.v[i], &registered);
		if (!rc && have == VG_ENOTFOUND)
			rc = s->ops->objects->owner_set(s, ids.v[i], owner);
		else if (!rc && !have)
			owner = registered;
		else
			rc = have;
		for (size_t k = 0; !rc && k < r.n; k++) {
			if (r.v[k].owner == owner)
				continue;
			rc = s->ops->objects->set_scope(s, ids.v[i], r.v[k].version,
							r.v[k].collection,
							r.v[k].owner, VG_SCOPE_ORG);
			j->rows++;
		}
		j->ids++;
		rows_release(&r);
	}
	for (size_t i = 0; i < ids.n; i++)
		free(ids.v[i]);
	free(ids.v);
	if (!rc)
		rc = s->ops->hub->set(s, REPAIRED, "1");
	if (!rc && j->ids) {
		struct vg__detail d;
		vg__detail_begin(&d);
		vg_jw_kint(&d.w, "ids", j->ids);
		vg_jw_kint(&d.w, "rows_narrowed", j->rows);
		const char *detail = vg__detail_end(&d);
		rc = detail ? vg__audit(s, j->c, "store.repair", "owners", detail)
			    : VG_ENOMEM;
		vg__detail_release(&d);
	}
	return rc;
}

int vg__ownership_repair(struct vg_service *svc)
{
	struct vg_store *s = vg__reader(svc);
	char *done = NULL;
	int have = s ? s->ops->hub->get(s, REPAIRED, &done) : VG_ESTORE;
	free(done);
	if (have != VG_ENOTFOUND)
		return have; /* done already (VG_OK), or a failure */
	struct vg_ctx c;
	vg_ctx_init(&c, svc, VG_CHANNEL_CLI, "vigil");
	vg_ctx_operator(&c, "vigil");
	struct job j = {&c, 0, 0};
	int rc = vg__write(svc, repair_fn, &j);
	vg_ctx_release(&c);
	return rc;
}

struct first {
	int64_t added, owner;
};

static int take_first(void *ud, const struct vg_stored_version *v)
{
	struct first *f = ud;
	if (!f->added || v->date_added < f->added) {
		f->added = v->date_added;
		f->owner = v->owner;
	}
	return 0;
}

int vg__owner_find(struct vg_store *s, const char *id, int64_t *owner,
		   int *registered)
{
	struct first f = {0};
	*owner = 0;
	*registered = 0;
	if (vg_stix_id_shared(id))
		return VG_OK;
	int rc = s->ops->objects->owner_of(s, id, owner);
	if (rc != VG_ENOTFOUND) {
		*registered = !rc;
		return rc;
	}
	rc = s->ops->objects->versions(s, id, take_first, &f);
	if (!rc && !f.added)
		return VG_ENOTFOUND;
	if (!rc)
		*owner = f.owner;
	return rc;
}

int vg__owner_register(struct vg_store *s, const char *id, int64_t *owner)
{
	int registered;
	int rc = vg__owner_find(s, id, owner, &registered);
	if (!rc && *owner && !registered)
		rc = s->ops->objects->owner_set(s, id, *owner);
	return rc;
}
