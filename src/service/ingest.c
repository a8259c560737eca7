/* Ingest service: stream -> parse -> validate -> store, one transaction per
 * input, with an outcome reported for every object. */
#include "ingest_int.h"
#include "vigil/util/error.h"
#include "vigil/util/jstream.h"
#include "vigil/stix/convert.h"
#include "vigil/stix/stix.h"
#include "vigil/watchlist/wl_stix.h"
#include "service_int.h"
#include "warn_int.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

struct pipe;

/* The rows the store holds of one id, gathered for vg_version_plan. The
 * strings are copied into one growing buffer, offsets first. */
struct rows {
	struct vg_stored_version *v;
	size_t n, cap;
	struct vg_buf text;
	int rc;
};

/* A set of strings (marking-definition ids), small: searched in order. */
struct strset {
	char **v;
	size_t n, cap;
};

/* A version stored owner-only because a marking it names was unknown:
 * given back its scope when the marking turns up later in the input. */
struct pending {
	char *id, *version, *collection, *refs; /* refs: NUL-separated, "" ends */
	int64_t owner;
	int scope;
};

struct vg_ingest {
	struct vg_store *store;
	struct rows rows;
	struct strset known, unknown; /* marking definitions, as found */
	struct pending *pend;
	size_t n_pend, cap_pend;
	int identities; /* an identity was stored: the generation moves */
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
	struct vg__warn_eval *warn; /* early warning (warn_ingest.c) */
	char error[600];
};

static int report(struct vg_ingest *g, void *ud, size_t index,
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
		g->opts.on_progress(ud, total, g->bytes);
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
	return g->opts.on_result(ud, &r);
}

static const char *str_member(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* What the markings of an object say: the strictest TLP and the highest
 * classification named in object_marking_refs and in granular_markings
 * (the most restrictive marking of any part applies to the whole: the
 * store keeps one level per version), ids compared in any case; and the
 * references the hub cannot classify by their id alone (neither TLP nor
 * one of its levels), NUL-separated into unknown (ending with "").
 * Returns the bytes unknown needs. */
struct marks {
	enum vg_tlp tlp;
	int level;
	char unknown[1024];
	size_t unknown_len;
	int overflow;
};

static void mark(const char *ref, const struct vg_ingest_opts *o,
		 struct marks *m)
{
	enum vg_tlp t = vg_tlp_of_marking(ref);
	if (t != VG_TLP_NONE) {
		if (t > m->tlp)
			m->tlp = t;
		return;
	}
	for (size_t i = 0; i < o->n_levels; i++)
		if (o->level_markings[i] && !strcasecmp(ref, o->level_markings[i])) {
			if ((int)i > m->level)
				m->level = (int)i;
			return;
		}
	size_t n = strlen(ref) + 1;
	if (m->unknown_len + n + 1 > sizeof(m->unknown)) {
		m->overflow = 1; /* too many to list: unknown all the same */
		return;
	}
	memcpy(m->unknown + m->unknown_len, ref, n);
	m->unknown_len += n;
}

static void markings(const cJSON *obj, const struct vg_ingest_opts *o,
		     struct marks *m)
{
	const cJSON *r, *g;
	memset(m, 0, sizeof(*m));
	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(obj,
							       "object_marking_refs"))
		if (cJSON_IsString(r))
			mark(r->valuestring, o, m);
	cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(obj,
							       "granular_markings"))
	{
		const char *ref = str_member(g, "marking_ref");
		if (ref)
			mark(ref, o, m);
	}
	if (m->overflow) {
		/* an id no marking definition has: never known */
		static const char never[] = "marking-definition--(too many)";
		m->unknown_len = 0;
		memcpy(m->unknown, never, sizeof(never));
		m->unknown_len = sizeof(never);
	}
	m->unknown[m->unknown_len] = '\0';
}

/* One object ready for the store: everything it needs copied into one
 * allocation, so it can cross to the store thread and outlive the parse. */
struct item {
	struct item *next;
	size_t index;
	void *ud;             /* the hooks' ud of the input it came in */
	int end;              /* no object: the end of that input */
	int rejected;         /* by validation: msg says why */
	struct vg_object o;   /* strings point into text below */
	const char *id;       /* for reporting, may be NULL */
	const char *modified; /* verbatim modified or created, may be NULL */
	const char *msg;
	const char *unknown;  /* marking refs to look up, "" ends; NULL none */
	int shared;           /* an SCO or a standard TLP marking */
	int marking_ok;       /* a statement or TLP marking definition */
	int converted;          /* a STIX 2.0 object, converted */
	const char *conversion; /* how, or NULL */
	struct vg__warn_item *warn; /* keys and watches matched, or NULL */
	char text[];
};

static void item_free(struct item *it)
{
	if (it)
		vg__warn_item_free(it->warn);
	free(it);
}

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

/* The hub's rules on what an object may be, beyond STIX: watchlist
 * entries only from the importer; created_by_ref the poster's identity
 * for owned objects posted by members. A rejection's message goes into
 * msg; *add_creator says the text needs the poster's created_by_ref. */
static int hub_rules(const cJSON *obj, const struct vg_stix_info *info,
		     const struct vg_ingest_opts *o, int shared, char *msg,
		     size_t len, int *add_creator)
{
	*add_creator = 0;
	if (!o->watchlist) {
		if (vg_wl_stix_ext(obj)) {
			snprintf(msg, len, "object '%s': $.extensions['%s']: watchlist "
					   "entries are made by 'vigil watchlist "
					   "import' only",
				 info->id, VG_WL_EXT_ID);
			return VG_EINVAL;
		}
		if (!strcasecmp(info->id, VG_WL_EXT_ID) ||
		    !strcasecmp(info->id, VG_WL_IDENTITY_ID)) {
			snprintf(msg, len, "object '%s': $.id: reserved for the hub's "
					   "watchlists", info->id);
			return VG_EINVAL;
		}
	}
	if (!o->creator || shared || info->kind == VG_STIX_SCO)
		return VG_OK;
	const char *cbr = str_member(obj, "created_by_ref");
	if (!cbr) {
		*add_creator = 1;
	} else if (strcasecmp(cbr, o->creator)) {
		snprintf(msg, len, "object '%s': $.created_by_ref: must be the "
				   "posting organisation's identity '%s'",
			 info->id, o->creator);
		return VG_EINVAL;
	}
	return VG_OK;
}

/* Validate one parsed object into a new item (NULL when out of memory),
 * with its early-warning keys and matches (w: NULL for none). */
static struct item *prepare(const cJSON *obj, const char *json, size_t len,
			    size_t index, const struct vg_ingest_opts *opts,
			    const char *conversion, struct vg__warn_eval *w)
{
	struct vg_stix_info info;
	struct marks m;
	char msg[512];
	const char *id = str_member(obj, "id");
	const char *mod = str_member(obj, "modified");
	int add_creator = 0, shared = 0;
	if (!mod)
		mod = str_member(obj, "created");
	int rc = vg_stix_validate(obj, &info, msg, sizeof(msg));
	if (rc && rc != VG_EINVAL)
		return NULL;
	if (!rc) {
		/* the watchlist extension's definition and definer go with every
		 * list, into each list's collection: held like SCOs */
		shared = vg_stix_id_shared(info.id) ||
			 (opts->watchlist && (!strcasecmp(info.id, VG_WL_EXT_ID) ||
					      !strcasecmp(info.id, VG_WL_IDENTITY_ID)));
		rc = hub_rules(obj, &info, opts, shared, msg, sizeof(msg),
			       &add_creator);
	}
	int64_t owner = opts->owner;
	int level = -1;
	if (!rc && opts->admit) {
		rc = opts->admit(opts->ud, index, obj, &owner, &level, msg,
				 sizeof(msg))
			     ? VG_EINVAL
			     : VG_OK;
		add_creator = 0;
	}
	int bad = rc == VG_EINVAL;
	if (!bad)
		markings(obj, opts, &m);
	if (!bad && level >= 0) {
		/* classified by the hub that sent it */
		m.level = level;
		m.unknown_len = 0;
		m.unknown[0] = '\0';
	}
	/* created_by_ref goes first in the text: the rest stays exact */
	char creator[200] = "";
	if (add_creator)
		snprintf(creator, sizeof(creator), "\"created_by_ref\":\"%s\",",
			 opts->creator);
	size_t extra = strlen(creator);
	size_t need = sizeof(struct item) + span(id) + span(mod) +
		      span(conversion) +
		      (bad ? span(msg)
			   : len + extra + 1 + span(info.type) + span(info.version) +
				     span(info.created) + span(info.modified) +
				     span(info.spec_version) + m.unknown_len + 1);
	struct vg__warn_item *wi = NULL;
	if (!bad && vg__warn_prepare(w, obj, &info, &wi))
		return NULL;
	struct item *it = malloc(need);
	if (!it) {
		vg__warn_item_free(wi);
		return NULL;
	}
	char *p = it->text;
	it->next = NULL;
	it->warn = wi;
	it->index = index;
	it->ud = opts->ud;
	it->end = 0;
	it->rejected = bad;
	it->unknown = NULL;
	it->shared = shared;
	it->marking_ok = 0;
	it->id = put_str(&p, id);
	it->modified = put_str(&p, mod);
	it->msg = bad ? put_str(&p, msg) : NULL;
	it->converted = 0;
	it->conversion = put_str(&p, conversion);
	if (bad)
		return it;
	if (extra) {
		/* the object is '{' ... : the member goes right after it, and
		 * an empty object gets no trailing comma */
		p[0] = '{';
		memcpy(p + 1, creator, extra);
		if (len == 2)
			extra--;
		memcpy(p + 1 + extra, json + 1, len - 1);
		len += extra;
	} else {
		memcpy(p, json, len);
	}
	p[len] = '\0';
	it->o = (struct vg_object){
		.json = p,
		.json_len = len,
		.revoked = info.revoked,
		.collection = opts->collection,
		.owner = owner,
		.scope = opts->scope,
		.grp = opts->grp,
		.tlp = (int)m.tlp,
		.classification = m.level,
	};
	p += len + 1;
	it->o.id = it->id;
	it->o.type = put_str(&p, info.type);
	it->o.version = put_str(&p, info.version);
	it->o.created = put_str(&p, info.created);
	it->o.modified = put_str(&p, info.modified);
	it->o.spec_version = put_str(&p, info.spec_version);
	if (m.unknown_len) {
		memcpy(p, m.unknown, m.unknown_len + 1);
		it->unknown = p;
	}
	if (!strcmp(info.type, "marking-definition")) {
		const char *dt = str_member(obj, "definition_type");
		it->marking_ok = vg_tlp_of_marking(info.id) != VG_TLP_NONE ||
				 (dt && !strcmp(dt, "statement"));
	}
	return it;
}

static void free_items(struct item *it)
{
	while (it) {
		struct item *next = it->next;
		item_free(it);
		it = next;
	}
}

/* With opts.convert_20 a STIX 2.0 object is up-converted, then validated
 * as 2.1; the SCOs made from its observable container come first, as
 * items of the same index. Returns a list (NULL when out of memory). */
static struct item *prepare_any(cJSON *obj, const char *json, size_t len,
				size_t index, const struct vg_ingest_opts *opts,
				struct vg__warn_eval *w)
{
	struct vg_stix_conversion conv;
	struct item *head = NULL, **tail = &head, *it;
	char err[512], from[400];
	if (!opts->convert_20 || !vg_stix_is_20(obj))
		return prepare(obj, json, len, index, opts, NULL, w);
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
			it->ud = opts->ud;
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
		it = text ? prepare(o, text, strlen(text), index, opts, from, w)
			  : NULL;
		free(text);
		if (!it)
			rc = VG_ENOMEM;
		else
			*tail = it, tail = &it->next;
	}
	char *text = rc ? NULL : cJSON_PrintUnformatted(obj);
	it = text ? prepare(obj, text, strlen(text), index, opts, conv.note,
			   w)
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

static int gather(void *ud, const struct vg_stored_version *v)
{
	struct rows *r = ud;
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 8;
		struct vg_stored_version *nv = realloc(r->v, cap * sizeof(*nv));
		if (!nv)
			return VG_ENOMEM;
		r->v = nv;
		r->cap = cap;
	}
	/* offsets now, pointers once the buffer stops moving */
	struct vg_stored_version *o = &r->v[r->n++];
	*o = *v;
	o->collection = (const char *)(uintptr_t)r->text.len;
	int rc = vg_buf_append(&r->text, v->collection, strlen(v->collection) + 1);
	o->version = (const char *)(uintptr_t)r->text.len;
	if (!rc)
		rc = vg_buf_append(&r->text, v->version, strlen(v->version) + 1);
	return rc;
}

/* What storing it means, from every row of its id and its registered
 * owner (versions.h). */
static int plan(struct vg_ingest *g, const struct item *it,
		struct vg_version_plan *p)
{
	const struct vg_object *o = &it->o;
	struct rows *r = &g->rows;
	int64_t registered = 0;
	r->n = 0;
	vg_buf_reset(&r->text);
	int rc = g->store->ops->objects->versions(g->store, o->id, gather, r);
	if (!rc && !it->shared) {
		rc = g->store->ops->objects->owner_of(g->store, o->id, &registered);
		if (rc == VG_ENOTFOUND)
			rc = VG_OK;
	}
	if (rc)
		return rc;
	for (size_t i = 0; i < r->n; i++) {
		r->v[i].collection = r->text.data + (uintptr_t)r->v[i].collection;
		r->v[i].version = r->text.data + (uintptr_t)r->v[i].version;
	}
	struct vg_new_version nv = {
		.collection = o->collection ? o->collection : "",
		.version = o->version,
		.owner = o->owner,
		.revoked = o->revoked,
		.shared = it->shared,
		.registered = registered,
	};
	vg_version_plan(r->v, r->n, &nv, p);
	return VG_OK;
}

static int strset_has(const struct strset *s, const char *v)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcasecmp(s->v[i], v))
			return 1;
	return 0;
}

static int strset_add(struct strset *s, const char *v)
{
	if (strset_has(s, v))
		return VG_OK;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		char **n = realloc(s->v, cap * sizeof(*n));
		if (!n)
			return VG_ENOMEM;
		s->v = n;
		s->cap = cap;
	}
	if (!(s->v[s->n] = strdup(v)))
		return VG_ENOMEM;
	s->n++;
	return VG_OK;
}

static void strset_release(struct strset *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

struct found_mark {
	int ok;
};

static int stored_mark(void *ud, const struct vg_row *r)
{
	struct found_mark *f = ud;
	cJSON *o = cJSON_ParseWithLength(r->json, r->json_len);
	const char *dt = str_member(o, "definition_type");
	f->ok = dt && !strcmp(dt, "statement");
	cJSON_Delete(o);
	return 0;
}

/* Is ref a marking definition the hub understands (a statement: no
 * restriction), stored or earlier in this input? Answers are kept. */
static int mark_known(struct vg_ingest *g, const char *ref, int *known)
{
	if (strset_has(&g->known, ref) || strset_has(&g->unknown, ref)) {
		*known = strset_has(&g->known, ref);
		return VG_OK;
	}
	struct vg_principal all = {.operator = 1};
	struct vg_access_expr vis;
	struct found_mark f = {0};
	vg_access_expr(&all, &vis);
	struct vg_query q = {.visible = &vis, .ids = &ref, .n_ids = 1};
	int rc = g->store->ops->objects->scan(g->store, &q, stored_mark, &f);
	if (rc)
		return rc;
	*known = f.ok;
	return strset_add(f.ok ? &g->known : &g->unknown, ref);
}

/* A version whose markings name an unknown definition is stored for its
 * owner only; it gets its scope back if the definition comes later in
 * the input (a bundle may list it after the objects it marks). */
static int fail_closed(struct vg_ingest *g, struct item *it, int *closed)
{
	*closed = 0;
	for (const char *r = it->unknown; r && *r; r += strlen(r) + 1) {
		int known;
		int rc = mark_known(g, r, &known);
		if (rc)
			return rc;
		if (!known)
			*closed = 1;
	}
	return VG_OK;
}

static int pend(struct vg_ingest *g, const struct item *it, int scope)
{
	if (g->n_pend == g->cap_pend) {
		size_t cap = g->cap_pend ? g->cap_pend * 2 : 16;
		struct pending *n = realloc(g->pend, cap * sizeof(*n));
		if (!n)
			return VG_ENOMEM;
		g->pend = n;
		g->cap_pend = cap;
	}
	size_t rl = 0;
	while (it->unknown[rl])
		rl += strlen(it->unknown + rl) + 1;
	struct pending *p = &g->pend[g->n_pend];
	p->id = strdup(it->o.id);
	p->version = strdup(it->o.version);
	p->collection = strdup(it->o.collection ? it->o.collection : "");
	p->refs = malloc(rl + 1);
	p->owner = it->o.owner;
	p->scope = scope;
	if (p->refs)
		memcpy(p->refs, it->unknown, rl + 1);
	g->n_pend++;
	return p->id && p->version && p->collection && p->refs ? VG_OK
							       : VG_ENOMEM;
}

static void pend_release(struct vg_ingest *g)
{
	for (size_t i = 0; i < g->n_pend; i++) {
		free(g->pend[i].id);
		free(g->pend[i].version);
		free(g->pend[i].collection);
		free(g->pend[i].refs);
	}
	free(g->pend);
	g->pend = NULL;
	g->n_pend = g->cap_pend = 0;
}

/* The end of an input, inside its transaction: versions held back for a
 * marking defined later get their scope; a changed identity moves the
 * generation (the screening index is rebuilt). */
static int finish(struct vg_ingest *g)
{
	int rc = VG_OK;
	for (size_t i = 0; !rc && i < g->n_pend; i++) {
		const struct pending *p = &g->pend[i];
		int all = 1;
		for (const char *r = p->refs; *r && all; r += strlen(r) + 1)
			all = strset_has(&g->known, r);
		if (all)
			rc = g->store->ops->objects->set_scope(g->store, p->id,
							       p->version,
							       p->collection,
							       p->owner, p->scope);
	}
	pend_release(g);
	if (!rc && g->identities)
		rc = vg__generation_move(g->store);
	g->identities = 0;
	if (!rc)
		rc = vg__warn_finish(g->warn, g->store);
	return rc;
}

/* Store one item by the versioning rules and report its outcome. Returns
 * a store failure (which ends the ingest) or the callback's code. */
static int apply(struct vg_ingest *g, struct item *it)
{
	char msg[512];
	struct vg_version_plan p;
	int closed = 0;
	int64_t added = 0;
	if (it->end)
		return g->opts.on_input_end ? g->opts.on_input_end(it->ud, g->store)
					    : VG_OK;
	if (it->rejected)
		return report(g, it->ud, it->index, VG_INGEST_REJECTED, it->id,
			      it->modified, it->msg, it->converted,
			      it->conversion);
	int rc = plan(g, it, &p);
	if (rc)
		goto fail;
	switch (p.action) {
	case VG_PLAN_DUPLICATE:
		if (it->marking_ok && (rc = strset_add(&g->known, it->o.id)))
			goto fail;
		return report(g, it->ud, it->index, VG_INGEST_DUPLICATE, it->id,
			      it->modified, NULL, it->converted, it->conversion);
	case VG_PLAN_REVOKED:
		snprintf(msg, sizeof(msg),
			 p.after_revoked
				 ? "object '%s': $.modified: the stored version "
				   "is revoked; no version may follow it"
				 : "object '%s': $.revoked: a newer version is "
				   "stored, so this one may not be revoked",
			 it->id);
		return report(g, it->ud, it->index, VG_INGEST_REJECTED, it->id,
			      it->modified, msg, it->converted, it->conversion);
	case VG_PLAN_DENIED:
		snprintf(msg, sizeof(msg),
			 "object '%s': $.id: belongs to another organisation; "
			 "only its owner may add versions",
			 it->id);
		return report(g, it->ud, it->index, VG_INGEST_REJECTED, it->id,
			      it->modified, msg, it->converted, it->conversion);
	case VG_PLAN_INSERT:
		break;
	}
	if (it->unknown && (rc = fail_closed(g, it, &closed)))
		goto fail;
	int scope = it->o.scope;
	if (closed) {
		/* fail closed: for the owner only, until the marking is known */
		it->o.scope = VG_SCOPE_ORG;
		if ((rc = pend(g, it, scope)))
			goto fail;
	}
	it->o.latest = p.latest;
	it->o.copy = p.copy;
	rc = g->store->ops->objects->insert(g->store, &it->o, &added);
	if (!rc && g->opts.on_stored)
		rc = g->opts.on_stored(it->ud, g->store, it->index, added);
	if (!rc)
		rc = vg__warn_apply(g->warn, g->store, it->warn, &it->o, added);
	it->o.scope = scope;
	if (!rc && p.clear_latest)
		rc = g->store->ops->objects->set_latest(g->store, it->o.id,
							it->o.collection,
							it->o.version);
	if (!rc && it->marking_ok)
		rc = strset_add(&g->known, it->o.id);
	g->identities |= !strcmp(it->o.type, "identity");
	if (!rc)
		return report(g, it->ud, it->index, VG_INGEST_ACCEPTED, it->id,
			      it->modified, NULL, it->converted, it->conversion);
fail:
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


/* Tell the store which ids the next BATCH items from it will ask about
 * (their reads in one go where the backend can). */
static int prefetch(struct vg_ingest *g, const struct item *it)
{
	int (*fn)(struct vg_store *, const char *const *, size_t) =
		g->store->ops->objects->prefetch;
	const char *ids[BATCH];
	size_t n = 0, k = 0;
	if (!fn)
		return VG_OK;
	for (; it && k < BATCH; it = it->next, k++)
		if (!it->rejected)
			ids[n++] = it->o.id;
	return n ? fn(g->store, ids, n) : VG_OK;
}

/* Apply every item of list, the store told of each BATCH ahead. */
static int apply_all(struct vg_ingest *g, struct item *list)
{
	/* the watches as this transaction sees them: a watch made since
	 * the items were matched is matched here */
	int rc = vg__warn_sync(g->warn, g->store);
	size_t k = 0;
	for (struct item *it = list; it && !rc; it = it->next, k++) {
		if (k % BATCH == 0 && (rc = prefetch(g, it)))
			break;
		rc = apply(g, it);
	}
	return rc;
}

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
		int rc = apply_all(g, list);
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

	if (g->opts.max_objects && index >= g->opts.max_objects) {
		snprintf(g->error, sizeof(g->error),
			 "more than %zu objects", g->opts.max_objects);
		return VG_ETOOMANY;
	}
	cJSON *obj = cJSON_ParseWithLength(json, len);
	if (!obj || !cJSON_IsObject(obj)) {
		const char *why = obj ? "object '(no id)': $: is not a JSON object"
				      : "object '(no id)': $: cannot be parsed";
		cJSON_Delete(obj);
		it = calloc(1, sizeof(*it) + strlen(why) + 1); /* no warn */
		if (!it)
			return VG_ENOMEM;
		it->index = index;
		it->ud = g->opts.ud;
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
		it = prepare_any(obj, json, len, index, &g->opts, g->warn);
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
	item_free(it);
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
	vg_buf_init(&g.rows.text, 0);
	struct why why = {""};
	quiet.on_result = keep_why;
	quiet.ud = &why;
	quiet.on_progress = NULL;
	g.opts = quiet;
	size_t len = strlen(json);
	cJSON *obj = cJSON_ParseWithLength(json, len);
	if (!obj)
		return VG_ENOMEM;
	int rc = vg__warn_eval_begin(o->svc, &g.warn);
	struct item *it = rc ? NULL : prepare(obj, json, len, 0, o, NULL, g.warn);
	cJSON_Delete(obj);
	if (!it) {
		vg__warn_eval_end(g.warn);
		return rc ? rc : VG_ENOMEM;
	}
	it->ud = g.opts.ud; /* reported to keep_why */
	rc = vg__warn_sync(g.warn, s);
	if (!rc)
		rc = apply(&g, it);
	if (!rc)
		rc = finish(&g);
	if (!rc && g.counts.rejected) {
		snprintf(err, errlen, "%s", why.msg[0] ? why.msg : "rejected");
		rc = VG_EINVAL;
	}
	item_free(it);
	vg__warn_eval_end(g.warn);
	free(g.rows.v);
	vg_buf_release(&g.rows.text);
	strset_release(&g.known);
	strset_release(&g.unknown);
	pend_release(&g);
	return rc;
}

/* The parser of one input. */
static struct vg_jstream *new_stream(struct vg_ingest *g)
{
	size_t max = g->opts.max_object ? g->opts.max_object : 16u << 20;
	struct vg_jstream *js = vg_jstream_new(max, on_object, g);
	if (js && g->opts.envelope)
		vg_jstream_one_value(js); /* one envelope, nothing after it */
	else if (js)
		vg_jstream_on_envelope(js, on_envelope);
	return js;
}

/* The end of the current input, behind its objects (for on_input_end). */
static int push_end(struct vg_ingest *g)
{
	struct item *it;
	if (!g->opts.on_input_end)
		return VG_OK;
	if (!(it = calloc(1, sizeof(*it))))
		return VG_ENOMEM;
	it->end = 1;
	it->ud = g->opts.ud;
	return push(g, it);
}

int vg_ingest_begin(struct vg_store *s, const struct vg_ingest_opts *o,
		    struct vg_ingest **out)
{
	struct vg_ingest *g = calloc(1, sizeof(*g));
	if (!g)
		return VG_ENOMEM;
	g->store = s;
	vg_buf_init(&g->rows.text, 0);
	if (o)
		g->opts = *o;
	g->js = new_stream(g);
	int wrc = g->js ? vg__warn_eval_begin(g->opts.svc, &g->warn) : VG_ENOMEM;
	if (wrc) {
		vg_jstream_free(g->js);
		free(g);
		return wrc;
	}
	if (!g->opts.in_transaction) {
		int rc = s->ops->begin(s);
		if (rc) {
			vg__warn_eval_end(g->warn);
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

int vg_ingest_next(struct vg_ingest *g, void *ud)
{
	struct vg_jstream *js;
	int rc = vg_jstream_finish(g->js);
	if (rc) {
		snprintf(g->error, sizeof(g->error), "%s",
			 vg_jstream_error(g->js));
		return rc;
	}
	if ((rc = push_end(g)))
		return rc;
	if (!(js = new_stream(g)))
		return VG_ENOMEM;
	vg_jstream_free(g->js);
	g->js = js;
	g->opts.ud = ud; /* the store thread reads each item's own */
	g->bare = 0;
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
	free(g->rows.v);
	vg_buf_release(&g->rows.text);
	strset_release(&g->known);
	strset_release(&g->unknown);
	pend_release(g);
	vg__warn_eval_end(g->warn);
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
	if (!rc)
		rc = push_end(g);
	/* everything validated is stored (and reported) before the commit */
	int prc = pipe_end(g, !rc);
	if (!rc)
		rc = prc;
	if (!rc && (rc = finish(g)))
		snprintf(g->error, sizeof(g->error), "%s", vg_store_errmsg(g->store));
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
	/* a retried transaction starts from nothing it learnt before */
	strset_release(&g->known);
	strset_release(&g->unknown);
	pend_release(g);
	g->identities = 0;
	vg__warn_restart(g->warn);
	rc = apply_all(g, g->held);
	if (!rc)
		rc = finish(g);
	if (!rc && counts)
		*counts = g->counts;
	return rc;
}
