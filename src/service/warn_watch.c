/* The watch cache: every watch of the hub indexed for matching an
 * arrival (a map from keys to watches, the screening name index over
 * name watches, a pattern set over pattern watches), each with the
 * principal of its creator; matching an arrival against it; and what an
 * alert says under the creator's rights. */
#include "warn_int.h"
#include "vigil/util/error.h"
#include "vigil/util/jsonw.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Atomic unsigned long long serials;

/* ---- building ------------------------------------------------------------ */

struct rows {
	struct vg__watch *w;
	size_t n, cap;
	int rc;
};

static char *sdup(const char *s)
{
	return strdup(s ? s : "");
}

static int take_watch(void *ud, const struct vg_watch_row *r)
{
	struct rows *rs = ud;
	if (r->disabled)
		return 0;
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 64;
		struct vg__watch *n = realloc(rs->w, cap * sizeof(*n));
		if (!n)
			return VG_ENOMEM;
		rs->w = n;
		rs->cap = cap;
	}
	struct vg__watch *w = &rs->w[rs->n++];
	memset(w, 0, sizeof(*w));
	vg_person_init(&w->person);
	w->id = r->id;
	w->org = r->org;
	w->user = r->user;
	w->shared = r->shared;
	w->kind = r->kind;
	w->hook = r->webhook && *r->webhook;
	w->threshold = r->threshold;
	w->name = sdup(r->name);
	w->term = sdup(r->term);
	w->display = sdup(r->display);
	return w->name && w->term && w->display ? 0 : VG_ENOMEM;
}

struct who {
	struct vg__watch *w;
	int found;
};

static int take_user(void *ud, const struct vg_user *u)
{
	struct who *h = ud;
	h->found = !u->disabled;
	h->w->p.user = u->id;
	h->w->p.org = u->org;
	h->w->p.role = (enum vg_role)u->role;
	h->w->p.clearance = u->clearance;
	return 0;
}

/* The creator's principal as the access rule reads it now. */
static int principal(struct vg_store *s, struct vg__watch *w)
{
	if (!w->org && !w->user) {
		w->p = (struct vg_principal){.operator= 1 };
		w->active = 1;
		return VG_OK;
	}
	struct who h = {w, 0};
	int rc = s->ops->hub->user_find(s, NULL, w->user, take_user, &h);
	if (rc == VG_ENOTFOUND)
		return VG_OK; /* inactive */
	if (rc || !h.found)
		return rc;
	size_t n = 0;
	if ((rc = s->ops->sharing->groups_of(s, w->p.org, &w->groups, &n)))
		return rc;
	w->p.groups = w->groups;
	w->p.n_groups = n;
	if ((rc = s->ops->warn->grants_of(s, w->p.org, &w->grants, &n)))
		return rc;
	w->p.grants = w->grants;
	w->p.n_grants = n;
	w->active = vg_principal_allows(&w->p, VG_ACT_READ);
	return VG_OK;
}

static int lower_key(struct vg__smap *m, const char *prefix, const char *id,
                     uint32_t v)
{
	char key[VG_WARN_KEY_MAX];
	size_t n = (size_t)snprintf(key, sizeof(key), "%s%s", prefix, id);
	for (size_t i = strlen(prefix); i < n && i < sizeof(key); i++)
		key[i] = (char)tolower((unsigned char)key[i]);
	return vg__smap_add(m, key, v);
}

/* Put watch i into the cache's indexes. */
static int index_watch(struct vg__wcache *c, uint32_t i)
{
	struct vg__watch *w = &c->w[i];
	struct vg_warn_keyset ks;
	int rc = VG_OK;
	switch (w->kind) {
	case VG_WATCH_VALUE:
	case VG_WATCH_DOCUMENT: {
		/* "ip4:HHHHHHHH/NN", "ip6:<32 hex>/NNN" */
		const char *slash = strrchr(w->term, '/');
		if (slash && !strncmp(w->term, "ip4:", 4) &&
		    atoi(slash + 1) <= 32)
			c->v4_prefix[atoi(slash + 1)] = 1;
		if (slash && !strncmp(w->term, "ip6:", 4) &&
		    atoi(slash + 1) <= 128)
			c->v6_prefix[atoi(slash + 1)] = 1;
		return vg__smap_add(c->map, w->term, i);
	}
	case VG_WATCH_OBJECT:
		rc = lower_key(c->map, "ref:", w->term, i);
		return rc ? rc : lower_key(c->map, "id:", w->term, i);
	case VG_WATCH_QUERY: {
		char why[200];
		if (vg_watch_query_parse(w->term, &w->query, why, sizeof(why)))
			return VG_OK; /* unreadable: never matches */
		vg_warn_keyset_init(&ks);
		rc = vg_watch_query_anchors(&w->query, &ks);
		for (size_t k = 0; !rc && k < ks.n; k++)
			rc = vg__smap_add(c->map, vg_warn_keyset_at(&ks, k), i);
		vg_warn_keyset_release(&ks);
		return rc;
	}
	case VG_WATCH_NAME: {
		/* term: "person:NAME" or "entity:NAME" */
		const char *colon = strchr(w->term, ':');
		if (!colon)
			return VG_OK;
		w->person.kind = !strncmp(w->term, "entity:", 7)
		                     ? VG_PERSON_ENTITY
		                     : VG_PERSON_INDIVIDUAL;
		c->name_kinds |= 1 << w->person.kind;
		return vg_person_add_name(&w->person, colon + 1, NULL, NULL,
		                          VG_NAME_PRIMARY);
	}
	case VG_WATCH_PATTERN:
		if (vg_pattern_parse(w->term, strlen(w->term), &w->pattern,
		                     NULL)) {
			w->pattern = NULL;
			return VG_OK;
		}
		c->n_patterns++;
		return vg_pattern_set_add(c->patterns, w->pattern, i);
	}
	return VG_OK;
}

void vg__warn_cache_free(struct vg__wcache *c)
{
	if (!c)
		return;
	vg_pattern_set_free(c->patterns);
	vg_match_index_free(c->names);
	vg__smap_free(c->map);
	for (size_t i = 0; i < c->n; i++) {
		struct vg__watch *w = &c->w[i];
		free(w->name);
		free(w->term);
		free(w->display);
		free(w->groups);
		free(w->grants);
		vg_pattern_free(w->pattern);
		vg_watch_query_release(&w->query);
		vg_person_release(&w->person);
	}
	free(c->w);
	free(c->persons);
	free(c->users);
	free(c);
}

int vg__warn_cache_build(struct vg_store *s, int64_t gen, int64_t one,
                         struct vg__wcache **out)
{
	struct vg__wcache *c = calloc(1, sizeof(*c));
	struct rows rs = {0};
	int rc;
	if (!c)
		return VG_ENOMEM;
	c->serial = ++serials;
	c->gen = gen;
	rc = vg__warn_conf_read(s, &c->conf);
	if (!rc && s->ops->warn)
		rc = one ? s->ops->warn->watch_get(s, one, take_watch, &rs)
		         : s->ops->warn->watch_list(s, 0, take_watch, &rs);
	c->w = rs.w;
	c->n = rs.n;
	if (!rc)
		rc = vg__smap_new(c->n, &c->map);
	if (!rc)
		rc = vg_pattern_set_new(&c->patterns);
	for (size_t i = 0; !rc && i < c->n; i++)
		rc = principal(s, &c->w[i]);
	for (size_t i = 0; !rc && i < c->n; i++)
		rc = index_watch(c, (uint32_t)i);
	/* the name watches, in one screening index */
	size_t names = 0;
	for (size_t i = 0; i < c->n; i++)
		names +=
		    c->w[i].kind == VG_WATCH_NAME && c->w[i].person.n_names;
	if (!rc && names) {
		c->persons = calloc(names, sizeof(*c->persons));
		c->users = calloc(names, sizeof(*c->users));
		if (!c->persons || !c->users)
			rc = VG_ENOMEM;
		c->min_threshold = 1.0;
		for (size_t i = 0; !rc && i < c->n; i++) {
			struct vg__watch *w = &c->w[i];
			if (w->kind != VG_WATCH_NAME || !w->person.n_names)
				continue;
			if (w->threshold <= 0)
				w->threshold = c->conf.name_threshold;
			if (w->threshold < c->min_threshold)
				c->min_threshold = w->threshold;
			c->persons[c->n_names] = &w->person;
			c->users[c->n_names++] = (void *)(uintptr_t)i;
		}
		if (!rc)
			rc = vg_match_index_build(c->persons, c->users,
			                          c->n_names, &c->names);
	}
	if (!rc && !c->n_patterns) {
		vg_pattern_set_free(c->patterns);
		c->patterns = NULL;
	}
	if (rc) {
		vg__warn_cache_free(c);
		return rc;
	}
	*out = c;
	return VG_OK;
}

/* ---- matching --------------------------------------------------------------
 */

void vg__cands_release(struct vg__cands *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].key);
		free(c->v[i].detail);
	}
	free(c->v);
	memset(c, 0, sizeof(*c));
}

static int has_watch(const struct vg__cands *out, uint32_t w)
{
	for (size_t i = 0; i < out->n; i++)
		if (out->v[i].watch == w)
			return 1;
	return 0;
}

/* Add candidate (w, key) with a detail: the watch, its term and what
 * matched (extra: more JSON members, already written, or NULL). */
static int cand(const struct vg__wcache *c, struct vg__cands *out, uint32_t w,
                const char *key, const char *extra)
{
	const struct vg__watch *wt = &c->w[w];
	if (has_watch(out, w))
		return VG_OK;
	if (out->n == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 4;
		struct vg__cand *n = realloc(out->v, cap * sizeof(*n));
		if (!n)
			return VG_ENOMEM;
		out->v = n;
		out->cap = cap;
	}
	char shown[VG_WARN_KEY_MAX];
	struct vg_buf b;
	struct vg_jw jw;
	vg_warn_key_display(key, shown, sizeof(shown));
	vg_buf_init(&b, 1 << 20);
	vg_jw_init(&jw, &b);
	vg_jw_obj(&jw);
	vg_jw_kstr(&jw, "watch", wt->name);
	vg_jw_kstr(&jw, "kind",
	           vg_watch_kind_name((enum vg_watch_kind)wt->kind));
	vg_jw_kstr(&jw, "term", wt->display);
	vg_jw_kstr(&jw, "matched",
	           wt->kind == VG_WATCH_VALUE || wt->kind == VG_WATCH_DOCUMENT
	               ? shown
	               : key);
	if (extra) {
		/* extra is ",\"k\":v..." members */
		vg_jw_close(&jw);
		if (!jw.rc && b.len) {
			b.len--; /* reopen the object */
			b.data[b.len] = '\0';
			jw.rc = vg_buf_puts(&b, extra);
			if (!jw.rc)
				jw.rc = vg_buf_putc(&b, '}');
		}
	} else {
		vg_jw_close(&jw);
	}
	int rc = vg_jw_end(&jw);
	struct vg__cand *cd = &out->v[out->n];
	cd->watch = w;
	cd->key = strdup(key);
	cd->detail = rc ? NULL : vg_buf_detach(&b, NULL);
	vg_buf_release(&b);
	if (rc || !cd->key || !cd->detail) {
		free(cd->key);
		free(cd->detail);
		return rc ? rc : VG_ENOMEM;
	}
	out->n++;
	return VG_OK;
}

/* The watches found under one lookup key. */
static int by_key(const struct vg__wcache *c, const char *lookup,
                  const char *key, const char *type,
                  const struct vg_warn_keyset *keys, struct vg__cands *out)
{
	size_t n;
	const uint32_t *v = vg__smap_get(c->map, lookup, &n);
	int rc = VG_OK;
	for (size_t i = 0; !rc && i < n; i++) {
		const struct vg__watch *w = &c->w[v[i]];
		if (!w->active)
			continue;
		switch (w->kind) {
		case VG_WATCH_VALUE:
		case VG_WATCH_DOCUMENT:
			rc = cand(c, out, v[i], key, NULL);
			break;
		case VG_WATCH_OBJECT:
			if (!strncmp(lookup, "ref:", 4) ||
			    !strncmp(lookup, "id:", 3))
				rc = cand(c, out, v[i], lookup,
				          !strncmp(lookup, "id:", 3)
				              ? ",\"why\":\"a new version\""
				              : ",\"why\":\"refers to it\"");
			break;
		case VG_WATCH_QUERY:
			if (vg_watch_query_matches(&w->query, type, keys))
				rc = cand(c, out, v[i], lookup, NULL);
			break;
		}
	}
	return rc;
}

/* The lookups of one key: itself, the blocks holding an address, the
 * parents of a domain. */
static int key_lookups(const struct vg__wcache *c, const char *key,
                       const char *type, const struct vg_warn_keyset *keys,
                       struct vg__cands *out)
{
	int rc = by_key(c, key, key, type, keys, out);
	if (rc)
		return rc;
	if (!strncmp(key, "ip4:", 4) || !strncmp(key, "ip6:", 4)) {
		/* the blocks that hold it, of the sizes watches name */
		const unsigned char *used =
		    key[2] == '4' ? c->v4_prefix : c->v6_prefix;
		int max = key[2] == '4' ? 32 : 128;
		char k[64];
		for (int p = 0; !rc && p < max; p++)
			if (used[p] && !vg_warn_ip_supernet(key, p, k))
				rc = by_key(c, k, key, type, keys, out);
	} else if (!strncmp(key, "dom:", 4)) {
		char parent[VG_WARN_KEY_MAX];
		snprintf(parent, sizeof(parent), "%s", key);
		for (char *dot; !rc && (dot = strrchr(parent + 4, '.'));) {
			*dot = '\0';
			rc = by_key(c, parent, key, type, keys, out);
		}
	}
	return rc;
}

static int name_hits(const struct vg__wcache *c, struct vg__warn_tls *t,
                     const struct vg_person *q, struct vg__cands *out)
{
	struct vg_match_hit hits[16];
	size_t n = 0;
	int rc = vg_match_index_query(c->names, t->scratch, q, c->min_threshold,
	                              hits, 16, &n);
	for (size_t i = 0; !rc && i < n; i++) {
		uint32_t w = (uint32_t)(uintptr_t)hits[i].user;
		if (!c->w[w].active || hits[i].score < c->w[w].threshold)
			continue;
		struct vg_buf b;
		vg_buf_init(&b, 1 << 16);
		rc = vg_buf_printf(&b,
		                   ",\"score\":%.4f,\"name\":", hits[i].score);
		if (!rc)
			rc = vg_buf_json_str(&b, hits[i].ex.query_text);
		if (!rc)
			rc = vg_buf_puts(&b, ",\"explanation\":");
		if (!rc)
			rc = vg_match_explain_json(&hits[i].ex, &b);
		if (!rc)
			rc = cand(c, out, w, hits[i].ex.query_text, b.data);
		vg_buf_release(&b);
	}
	return rc;
}

static int on_pattern(void *ud, uint64_t id)
{
	void **a = ud;
	const struct vg__wcache *c = a[0];
	struct vg__cands *out = a[1];
	const struct vg__watch *w = &c->w[id];
	if (!w->active)
		return 0;
	return cand(c, out, (uint32_t)id, w->display, NULL);
}

int vg__warn_match_obs(const struct vg__wcache *c,
                       const struct vg_pattern_obs *obs, size_t n,
                       struct vg__cands *out)
{
	if (!c->patterns)
		return VG_OK;
	struct vg__warn_tls *t = vg__warn_tls(c);
	if (!t)
		return VG_ENOMEM;
	void *a[2] = {(void *)c, out};
	return vg_pattern_matcher_run(t->matcher, obs, n, on_pattern, a, NULL);
}

int vg__warn_match(const struct vg__wcache *c, const cJSON *obj,
                   const char *type, const char *id, int sco,
                   const struct vg_warn_keyset *keys, int64_t now_us,
                   struct vg__cands *out)
{
	int rc = VG_OK;
	char tk[140];
	if (!c->n)
		return VG_OK;
	for (size_t i = 0; !rc && i < keys->n; i++)
		rc =
		    key_lookups(c, vg_warn_keyset_at(keys, i), type, keys, out);
	/* the keys of the object itself, built by hand: twice per arrival */
	if (!rc && id) {
		char k[VG_WARN_KEY_MAX];
		size_t n = strlen(id);
		if (n > sizeof(k) - 4)
			n = sizeof(k) - 4;
		memcpy(k, "id:", 3);
		for (size_t i = 0; i < n; i++)
			k[3 + i] = (char)tolower((unsigned char)id[i]);
		k[3 + n] = '\0';
		rc = by_key(c, k, k, type, keys, out);
	}
	size_t tn = strlen(type);
	if (tn > sizeof(tk) - 6)
		tn = sizeof(tk) - 6;
	memcpy(tk, "type:", 5);
	memcpy(tk + 5, type, tn);
	tk[5 + tn] = '\0';
	if (!rc)
		rc = by_key(c, tk, tk, type, keys, out);
	if (!rc && c->names &&
	    (!strcmp(type, "identity") || !strcmp(type, "threat-actor") ||
	     !strcmp(type, "intrusion-set"))) {
		struct vg__warn_tls *t = vg__warn_tls(c);
		struct vg_person p;
		enum vg_person_kind kind;
		vg_person_init(&p);
		if (!t)
			rc = VG_ENOMEM;
		else if (!(rc = vg_warn_object_person(obj, &p, &kind)) &&
		         p.n_names) {
			/* a group's or a person's name, unless the object says:
			 * a threat actor is looked up as both (as the kinds
			 * watched) */
			if (c->name_kinds & (1 << kind))
				rc = name_hits(c, t, &p, out);
			enum vg_person_kind other = kind == VG_PERSON_ENTITY
			                                ? VG_PERSON_INDIVIDUAL
			                                : VG_PERSON_ENTITY;
			if (!rc && strcmp(type, "identity") &&
			    (c->name_kinds & (1 << other))) {
				p.kind = other;
				rc = name_hits(c, t, &p, out);
			}
		} else if (rc == VG_ENOTFOUND) {
			rc = VG_OK;
		}
		vg_person_release(&p);
	}
	/* an observable is an observation of itself, now */
	if (!rc && c->patterns && obj && sco) {
		const cJSON *scos[1] = {obj};
		struct vg_pattern_obs o = {
		    .scos = scos,
		    .n_scos = 1,
		    .first = {now_us / 1000000,
		              (int32_t)(now_us % 1000000) * 1000},
		    .count = 1,
		};
		o.last = o.first;
		rc = vg__warn_match_obs(c, &o, 1, out);
	}
	return rc;
}

/* ---- what an alert says ----------------------------------------------------
 */

int vg__warn_decide(struct vg_store *s, const struct vg_principal *p,
                    const struct vg_access_meta *m, const char *object,
                    const char *collection)
{
	if (vg_access_read(p, m))
		return VG_ALERT_MATCH;
	int oc = VG_DISCLOSE_DEFAULT, cc = VG_DISCLOSE_DEFAULT;
	if (s->ops->warn->disclosure_get(s, object, m->owner, &oc))
		oc = VG_DISCLOSE_DEFAULT;
	if (collection &&
	    s->ops->warn->disclosure_get(s, collection, m->owner, &cc))
		cc = VG_DISCLOSE_DEFAULT;
	return vg_warn_disclosable(m, oc, cc) ? VG_ALERT_HIT : -1;
}

int vg__warn_raise(struct vg_store *s, const struct vg__wcache *c,
                   const struct vg__cand *cand, const struct vg_access_meta *m,
                   const char *object, const char *version,
                   const char *collection, int retro, int *raised)
{
	const struct vg__watch *w = &c->w[cand->watch];
	*raised = 0;
	int kind = vg__warn_decide(s, &w->p, m, object, collection);
	if (kind < 0)
		return VG_OK;
	char hidden[1024] = "";
	if (kind == VG_ALERT_HIT) {
		/* what a hit / no-hit may say: the watch's own term and the
		 * owner, nothing of the record */
		char org[128];
		struct vg_buf b;
		struct vg_jw jw;
		vg__warn_org_name(s, m->owner, org, sizeof(org));
		vg_buf_init(&b, sizeof(hidden) - 1);
		vg_jw_init(&jw, &b);
		vg_jw_obj(&jw);
		vg_jw_kstr(&jw, "watch", w->name);
		vg_jw_kstr(&jw, "kind",
		           vg_watch_kind_name((enum vg_watch_kind)w->kind));
		vg_jw_kstr(&jw, "term", w->display);
		vg_jw_kstr(&jw, "held_by", org);
		vg_jw_close(&jw);
		if (!vg_jw_end(&jw))
			snprintf(hidden, sizeof(hidden), "%s", b.data);
		vg_buf_release(&b);
	}
	struct vg_alert_row a = {
	    .watch = w->id,
	    .org = w->org,
	    .user = w->shared ? 0 : w->user,
	    .created = vg__now_us(),
	    .kind = kind,
	    .retro = retro,
	    .added = m->added,
	    .object = object,
	    .version = version,
	    .key = kind == VG_ALERT_HIT ? w->display : cand->key,
	    .detail = kind == VG_ALERT_HIT ? hidden : cand->detail,
	};
	int64_t seq = 0;
	int rc = vg__warn_alert_add(s, &a, &seq);
	if (!rc && w->hook) {
		struct vg_delivery_row d = {
		    .alert = seq, .watch = w->id, .next_at = a.created};
		rc = s->ops->warn->delivery_add(s, &d);
	}
	if (!rc)
		*raised = 1;
	return rc;
}
