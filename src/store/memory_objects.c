/* Object versions and status resources of the in-memory store: the same
 * answers as the SQLite backend's queries (sqlite_objects.c), by loops. */
#include "memory_int.h"
#include "vigil/util/error.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

static struct vg_access_meta meta(const struct m_obj *o)
{
	struct vg_access_meta m = {
		.owner = o->owner,
		.scope = (enum vg_scope)o->scope,
		.group = o->grp,
		.tlp = o->tlp,
		.classification = o->classification,
		.added = o->date_added,
	};
	return m;
}

static int visible(const struct vg_query *q, const struct m_obj *o)
{
	struct vg_access_meta m = meta(o);
	return vg_expr_eval(q->visible, 0, &m);
}

static int in_list(const char *v, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v, list[i]))
			return 1;
	return 0;
}

/* The newest (max) or oldest version of o's id the reader may see (in
 * o's collection when the query names one). */
static const char *extreme(const struct m_state *st, const struct vg_query *q,
			   const struct m_obj *o, int max)
{
	const char *best = NULL;
	for (size_t i = 0; i < st->objs.n; i++) {
		const struct m_obj *v = &st->objs.v[i];
		if (strcmp(v->id, o->id) ||
		    (q->collection && strcmp(v->collection, o->collection)) ||
		    !visible(q, v))
			continue;
		if (!best || (max ? strcmp(v->version, best) > 0
				  : strcmp(v->version, best) < 0))
			best = v->version;
	}
	return best;
}

static int fold(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Is w in s, ASCII letters in any case (as SQLite's lower())? */
static int contains(const char *s, const char *w)
{
	size_t n = strlen(w);
	for (; s && *s; s++) {
		size_t i = 0;
		while (i < n && s[i] && fold((unsigned char)s[i]) ==
						fold((unsigned char)w[i]))
			i++;
		if (i == n)
			return 1;
	}
	return !n && s;
}

static const char *str_at(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int has_value(const cJSON *o, const char *k, const char *want)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k), *e;
	if (cJSON_IsString(v))
		return !strcmp(v->valuestring, want);
	cJSON_ArrayForEach(e, v)
		if (cJSON_IsString(e) && !strcmp(e->valuestring, want))
			return 1;
	return 0;
}

/* The search's clauses (objects.h), on the parsed JSON text. */
static int search_match(const struct vg_query *q, const struct m_obj *o)
{
	if (q->tlp && o->tlp != q->tlp - 1)
		return 0;
	if (q->version_from && strcmp(o->version, q->version_from) < 0)
		return 0;
	if (q->version_to && strcmp(o->version, q->version_to) > 0)
		return 0;
	if (!q->n_words && !q->label && !q->marking && !q->ref)
		return 1;
	cJSON *j = cJSON_ParseWithLength(o->json, o->json_len);
	int ok = j != NULL;
	for (size_t i = 0; ok && i < q->n_words; i++) {
		const char *name = str_at(j, "name"), *desc = str_at(j, "description");
		ok = contains(name ? name : "", q->words[i]) ||
		     contains(desc ? desc : "", q->words[i]);
	}
	if (ok && q->label)
		ok = has_value(j, "labels", q->label);
	if (ok && q->marking)
		ok = has_value(j, "object_marking_refs", q->marking);
	if (ok && q->ref) {
		const char *a = str_at(j, "source_ref"), *b = str_at(j, "target_ref");
		const char *c = str_at(j, "sighting_of_ref");
		ok = (a && !strcmp(a, q->ref)) || (b && !strcmp(b, q->ref)) ||
		     (c && !strcmp(c, q->ref));
	}
	cJSON_Delete(j);
	return ok;
}

/* Does o match q (every clause of the SQL backend's WHERE)? */
static int match(const struct m_state *st, const struct vg_query *q,
		 const struct m_obj *o)
{
	if (q->collection && strcmp(o->collection, q->collection))
		return 0;
	if (!visible(q, o))
		return 0;
	if (q->added_after && o->date_added <= q->added_after)
		return 0;
	if (q->n_types && !in_list(o->type, q->types, q->n_types))
		return 0;
	if (q->n_ids && !in_list(o->id, q->ids, q->n_ids))
		return 0;
	if (q->n_spec_versions &&
	    !in_list(o->spec_version ? o->spec_version : "2.1", q->spec_versions,
		     q->n_spec_versions))
		return 0;
	if (!search_match(q, o))
		return 0;
	unsigned v = q->versions ? q->versions : VG_VERSIONS_LAST;
	if (!(v & VG_VERSIONS_ALL)) {
		int ok = 0;
		if (v & VG_VERSIONS_LAST) {
			const char *x = extreme(st, q, o, 1);
			ok |= (q->collection && o->latest) ||
			      (x && !strcmp(o->version, x));
		}
		if (v & VG_VERSIONS_FIRST) {
			const char *x = extreme(st, q, o, 0);
			ok |= x && !strcmp(o->version, x);
		}
		if (v & VG_VERSIONS_LIST)
			ok |= in_list(o->version, q->version_keys, q->n_version_keys);
		if (!ok)
			return 0;
	}
	if (q->owner && o->owner != q->owner)
		return 0;
	/* a version held in several collections, or by several
	 * organisations, is read once: at its first visible row */
	if (q->collection && !o->copy)
		return 1;
	for (size_t i = 0; i < st->objs.n; i++) {
		const struct m_obj *w = &st->objs.v[i];
		if (!strcmp(w->id, o->id) && !strcmp(w->version, o->version) &&
		    w->date_added < o->date_added &&
		    (!q->collection || !strcmp(w->collection, o->collection)) &&
		    (!q->owner || w->owner == o->owner) && visible(q, w))
			return 0;
	}
	return 1;
}

static int by_added(const void *a, const void *b)
{
	const struct m_obj *x = *(const struct m_obj *const *)a;
	const struct m_obj *y = *(const struct m_obj *const *)b;
	return (x->date_added > y->date_added) - (x->date_added < y->date_added);
}

/* The rows matching q in date_added order (a malloc'd array of pointers
 * into the state). */
static int select_rows(const struct m_state *st, const struct vg_query *q,
		       const struct m_obj ***out, size_t *n)
{
	const struct m_obj **v = malloc((st->objs.n + 1) * sizeof(*v));
	size_t k = 0;
	if (!v)
		return VG_ENOMEM;
	if (q->n_words > VG_QUERY_WORDS) {
		free(v);
		return VG_ETOOBIG;
	}
	for (size_t i = 0; i < st->objs.n; i++)
		if (match(st, q, &st->objs.v[i]))
			v[k++] = &st->objs.v[i];
	qsort(v, k, sizeof(*v), by_added);
	if (q->newest_first)
		for (size_t i = 0; i < k / 2; i++) {
			const struct m_obj *t = v[i];
			v[i] = v[k - 1 - i];
			v[k - 1 - i] = t;
		}
	size_t skip = q->offset < k ? q->offset : k;
	memmove(v, v + skip, (k - skip) * sizeof(*v));
	k -= skip;
	*out = v;
	*n = q->limit && k > q->limit ? q->limit : k;
	return VG_OK;
}

static int m_versions(struct vg_store *s, const char *id, vg_version_cb cb,
		      void *ud)
{
	struct m_state *st = &vg__m_db(s)->st;
	for (size_t i = 0; i < st->objs.n; i++) {
		const struct m_obj *o = &st->objs.v[i];
		if (strcmp(o->id, id))
			continue;
		struct vg_stored_version v = {o->date_added, o->collection,
					      o->version, o->owner, o->revoked};
		int rc = cb(ud, &v);
		if (rc)
			return rc;
	}
	return VG_OK;
}

static int m_insert(struct vg_store *s, const struct vg_object *o,
		    int64_t *date_added)
{
	TOUCH(s);
	struct m_state *st = &vg__m_db(s)->st;
	const char *coll = o->collection ? o->collection : "";
	for (size_t i = 0; i < st->objs.n; i++) {
		const struct m_obj *x = &st->objs.v[i];
		if (!strcmp(x->id, o->id) && !strcmp(x->version, o->version) &&
		    !strcmp(x->collection, coll) && x->owner == o->owner)
			return vg__m_fail(s, VG_EDUPLICATE, "insert object: taken");
	}
	if (PUSH(st->objs))
		return VG_ENOMEM;
	struct m_obj *n = &st->objs.v[st->objs.n - 1];
	int64_t now = vg__m_now();
	st->last_added = now > st->last_added ? now : st->last_added + 1;
	n->date_added = st->last_added;
	n->id = vg__m_dup(o->id);
	n->type = vg__m_dup(o->type);
	n->version = vg__m_dup(o->version);
	n->created = vg__m_dup(o->created);
	n->modified = vg__m_dup(o->modified);
	n->spec_version = vg__m_dup(o->spec_version);
	n->collection = vg__m_dup(coll);
	n->json = malloc(o->json_len + 1);
	if (n->json) {
		memcpy(n->json, o->json, o->json_len);
		n->json[o->json_len] = '\0';
	}
	n->json_len = o->json_len;
	n->revoked = o->revoked;
	n->latest = o->latest;
	n->copy = o->copy;
	n->owner = o->owner;
	n->scope = o->scope;
	n->grp = o->grp;
	n->tlp = o->tlp;
	n->classification = o->classification;
	if (!n->id || !n->type || !n->version || !n->collection || !n->json)
		return VG_ENOMEM; /* the transaction is rolled back */
	if (date_added)
		*date_added = n->date_added;
	return VG_OK;
}

static int m_owner_of(struct vg_store *s, const char *id, int64_t *owner)
{
	struct m_state *st = &vg__m_db(s)->st;
	for (size_t i = 0; i < st->owners.n; i++)
		if (!strcmp(st->owners.v[i].id, id)) {
			*owner = st->owners.v[i].owner;
			return VG_OK;
		}
	return VG_ENOTFOUND;
}

static int m_owner_set(struct vg_store *s, const char *id, int64_t owner)
{
	struct m_state *st = &vg__m_db(s)->st;
	int64_t o;
	if (!m_owner_of(s, id, &o))
		return VG_EDUPLICATE;
	if (PUSH(st->owners))
		return VG_ENOMEM;
	st->owners.v[st->owners.n - 1].id = vg__m_dup(id);
	st->owners.v[st->owners.n - 1].owner = owner;
	return st->owners.v[st->owners.n - 1].id ? VG_OK : VG_ENOMEM;
}

static int m_shared_ids(struct vg_store *s,
			int (*cb)(void *ud, const char *id), void *ud)
{
	struct m_state *st = &vg__m_db(s)->st;
	for (size_t i = 0; i < st->objs.n; i++) {
		const struct m_obj *o = &st->objs.v[i];
		int first = 1, other = 0;
		for (size_t k = 0; k < st->objs.n; k++) {
			const struct m_obj *x = &st->objs.v[k];
			if (strcmp(x->id, o->id))
				continue;
			if (k < i)
				first = 0;
			other |= x->owner != o->owner;
		}
		if (first && other) {
			int rc = cb(ud, o->id);
			if (rc)
				return rc;
		}
	}
	return VG_OK;
}

static int m_set_scope(struct vg_store *s, const char *id, const char *version,
		       const char *collection, int64_t owner, int scope)
{
	struct m_state *st = &vg__m_db(s)->st;
	for (size_t i = 0; i < st->objs.n; i++) {
		struct m_obj *o = &st->objs.v[i];
		if (!strcmp(o->id, id) && !strcmp(o->version, version) &&
		    !strcmp(o->collection, collection) && o->owner == owner)
			o->scope = scope;
	}
	return VG_OK;
}

static int m_set_latest(struct vg_store *s, const char *id,
			const char *collection, const char *version)
{
	TOUCH(s);
	struct m_state *st = &vg__m_db(s)->st;
	for (size_t i = 0; i < st->objs.n; i++) {
		struct m_obj *o = &st->objs.v[i];
		if (!strcmp(o->id, id) && !strcmp(o->collection, collection))
			o->latest = version && !strcmp(o->version, version);
	}
	return VG_OK;
}

static void row_of(const struct m_obj *o, int slim, struct vg_row *r)
{
	memset(r, 0, sizeof(*r));
	r->date_added = o->date_added;
	r->id = o->id;
	r->version = o->version;
	r->modified = o->modified ? o->modified : o->created;
	r->json = o->json;
	r->json_len = o->json_len;
	if (slim)
		return;
	r->type = o->type;
	r->spec_version = o->spec_version;
	r->collection = o->collection;
	r->revoked = o->revoked;
	r->latest = o->latest;
	r->owner = o->owner;
	r->scope = o->scope;
	r->grp = o->grp;
	r->tlp = o->tlp;
	r->classification = o->classification;
}

static int m_scan(struct vg_store *s, const struct vg_query *q, vg_row_cb cb,
		  void *ud)
{
	const struct m_obj **v;
	size_t n;
	if (!q->visible)
		return VG_EINVAL; /* no read without the reader's rule */
	int rc = select_rows(&vg__m_db(s)->st, q, &v, &n);
	if (rc)
		return rc;
	for (size_t i = 0; !rc && i < n; i++) {
		struct vg_row r;
		row_of(v[i], q->slim, &r);
		rc = cb(ud, &r);
	}
	free(v);
	return rc;
}

static int m_remove(struct vg_store *s, const struct vg_query *q,
		    int64_t *deleted)
{
	TOUCH(s);
	struct m_state *st = &vg__m_db(s)->st;
	const struct m_obj **v;
	size_t n;
	if (!q->visible || !q->collection || q->n_ids != 1)
		return VG_EINVAL;
	int rc = select_rows(st, q, &v, &n);
	if (rc)
		return rc;
	/* mark, then compact */
	for (size_t i = 0; i < n; i++)
		((struct m_obj *)v[i])->date_added = -((struct m_obj *)v[i])->date_added;
	size_t k = 0;
	for (size_t i = 0; i < st->objs.n; i++) {
		if (st->objs.v[i].date_added < 0)
			vg__m_free_obj(&st->objs.v[i]);
		else
			st->objs.v[k++] = st->objs.v[i];
	}
	st->objs.n = k;
	*deleted = (int64_t)n;
	free(v);
	return VG_OK;
}

static int by_type(const void *a, const void *b)
{
	return strcmp((*(const struct m_obj *const *)a)->type,
		      (*(const struct m_obj *const *)b)->type);
}

static int m_type_stats(struct vg_store *s, vg_type_stats_cb cb, void *ud)
{
	struct m_state *st = &vg__m_db(s)->st;
	const struct m_obj **v = malloc((st->objs.n + 1) * sizeof(*v));
	if (!v)
		return VG_ENOMEM;
	for (size_t i = 0; i < st->objs.n; i++)
		v[i] = &st->objs.v[i];
	qsort(v, st->objs.n, sizeof(*v), by_type);
	int rc = VG_OK;
	for (size_t i = 0; !rc && i < st->objs.n;) {
		size_t j = i;
		while (j < st->objs.n && !strcmp(v[j]->type, v[i]->type))
			j++;
		struct vg_type_stats t = {.type = v[i]->type};
		/* each (id, version) once; each id once */
		for (size_t a = i; a < j; a++) {
			int first_version = 1, first_id = 1, revoked = 0;
			for (size_t b = i; b < a; b++) {
				if (!strcmp(v[b]->id, v[a]->id)) {
					first_id = 0;
					if (!strcmp(v[b]->version, v[a]->version))
						first_version = 0;
				}
			}
			if (!first_version)
				continue;
			t.versions++;
			t.objects += first_id;
			/* revoked when the newest version of the id is */
			const char *newest = v[a]->version;
			for (size_t b = i; b < j; b++)
				if (!strcmp(v[b]->id, v[a]->id) &&
				    strcmp(v[b]->version, newest) > 0)
					newest = v[b]->version;
			if (!strcmp(newest, v[a]->version))
				for (size_t b = i; b < j; b++)
					if (!strcmp(v[b]->id, v[a]->id) &&
					    !strcmp(v[b]->version, newest))
						revoked |= v[b]->revoked;
			t.revoked += revoked;
		}
		rc = cb(ud, &t);
		i = j;
	}
	free(v);
	return rc;
}

static int m_status_put(struct vg_store *s, const char *id, int64_t user,
			int64_t created, const char *json)
{
	TOUCH(s);
	struct m_state *st = &vg__m_db(s)->st;
	for (size_t i = 0; i < st->status.n; i++)
		if (!strcmp(st->status.v[i].id, id))
			return VG_EDUPLICATE;
	if (PUSH(st->status))
		return VG_ENOMEM;
	struct m_status *x = &st->status.v[st->status.n - 1];
	x->id = vg__m_dup(id);
	x->json = vg__m_dup(json);
	x->user = user;
	x->created = created;
	return x->id && x->json ? VG_OK : VG_ENOMEM;
}

static int m_status_get(struct vg_store *s, const char *id, int64_t user,
			int64_t not_before, char **json)
{
	struct m_state *st = &vg__m_db(s)->st;
	for (size_t i = 0; i < st->status.n; i++) {
		const struct m_status *x = &st->status.v[i];
		if (!strcmp(x->id, id) && x->user == user && x->created >= not_before) {
			*json = strdup(x->json);
			return *json ? VG_OK : VG_ENOMEM;
		}
	}
	return VG_ENOTFOUND;
}

static int m_status_expire(struct vg_store *s, int64_t before)
{
	TOUCH(s);
	struct m_state *st = &vg__m_db(s)->st;
	size_t k = 0;
	for (size_t i = 0; i < st->status.n; i++) {
		if (st->status.v[i].created < before) {
			free(st->status.v[i].id);
			free(st->status.v[i].json);
		} else {
			st->status.v[k++] = st->status.v[i];
		}
	}
	st->status.n = k;
	return VG_OK;
}

const struct vg_store_objects_ops vg__m_objects_ops = {
	.versions = m_versions,
	.insert = m_insert,
	.owner_of = m_owner_of,
	.owner_set = m_owner_set,
	.shared_ids = m_shared_ids,
	.set_scope = m_set_scope,
	.set_latest = m_set_latest,
	.scan = m_scan,
	.remove = m_remove,
	.type_stats = m_type_stats,
	.status_put = m_status_put,
	.status_get = m_status_get,
	.status_expire = m_status_expire,
};
