/* Link analysis (warn.h vg_graph_*): the objects around one, a shortest
 * path between two, connected groups; over relationships, sightings,
 * embedded references and shared keys, and only through objects the
 * reader may read (a hidden object is neither a node nor a way through).
 * The graph is computed when asked, from the key index: references are
 * keys too ("ref:ID"), so "what refers to X" is one lookup. */
#include "warn_int.h"
#include "vigil/util/error.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct gnode {
	char *id, *type, *label;
	int depth;
	int parent;      /* node it was reached from (-1 none) */
	int parent_edge; /* edge it was reached by */
	int seed;        /* groups: a member of the starting set */
	int group;
};

struct gedge {
	int a, b; /* nodes; a -> b as the data says */
	char *kind, *label, *via;
};

struct graph {
	struct vg_ctx *c;
	struct vg_store *s;
	struct vg__warn_conf conf;
	struct vg_warn_excl ex;
	struct vg__warn_tls *t;
	struct gnode *n;
	size_t nn, capn, max;
	struct gedge *e;
	size_t ne, cape;
	int truncated;
};

static int node_find(const struct graph *g, const char *id)
{
	for (size_t i = 0; i < g->nn; i++)
		if (!strcasecmp(g->n[i].id, id))
			return (int)i;
	return -1;
}

/* Add a node for a visible object (json: its text); its index, or -1
 * when the graph is full. */
static int node_add(struct graph *g, const char *id, const char *json,
                    size_t len, int depth, int *idx)
{
	*idx = node_find(g, id);
	if (*idx >= 0)
		return VG_OK;
	if (g->nn >= g->max) {
		g->truncated = 1;
		return VG_OK;
	}
	if (g->nn == g->capn) {
		size_t cap = g->capn ? g->capn * 2 : 32;
		struct gnode *n = realloc(g->n, cap * sizeof(*n));
		if (!n)
			return VG_ENOMEM;
		g->n = n;
		g->capn = cap;
	}
	cJSON *o = cJSON_ParseWithLength(json, len);
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "type");
	char label[200] = "";
	if (o)
		vg__warn_label(o, label, sizeof(label));
	struct gnode *x = &g->n[g->nn];
	memset(x, 0, sizeof(*x));
	x->id = strdup(id);
	x->type = strdup(cJSON_IsString(t) ? t->valuestring : "");
	x->label = strdup(label);
	x->depth = depth;
	x->parent = x->parent_edge = -1;
	x->group = -1;
	cJSON_Delete(o);
	if (!x->id || !x->type || !x->label) {
		free(x->id);
		free(x->type);
		free(x->label);
		return VG_ENOMEM;
	}
	*idx = (int)g->nn++;
	return VG_OK;
}

static int edge_add(struct graph *g, int a, int b, const char *kind,
                    const char *label, const char *via, int *idx)
{
	*idx = -1;
	if (a < 0 || b < 0 || a == b)
		return VG_OK;
	for (size_t i = 0; i < g->ne; i++) {
		struct gedge *e = &g->e[i];
		if (((e->a == a && e->b == b) || (e->a == b && e->b == a)) &&
		    !strcmp(e->kind, kind) && !strcmp(e->label, label)) {
			*idx = (int)i;
			return VG_OK;
		}
	}
	if (g->ne == g->cape) {
		size_t cap = g->cape ? g->cape * 2 : 64;
		struct gedge *n = realloc(g->e, cap * sizeof(*n));
		if (!n)
			return VG_ENOMEM;
		g->e = n;
		g->cape = cap;
	}
	struct gedge *e = &g->e[g->ne];
	e->a = a;
	e->b = b;
	e->kind = strdup(kind);
	e->label = strdup(label);
	e->via = via ? strdup(via) : NULL;
	if (!e->kind || !e->label || (via && !e->via)) {
		free(e->kind);
		free(e->label);
		free(e->via);
		return VG_ENOMEM;
	}
	*idx = (int)g->ne++;
	return VG_OK;
}

static void graph_release(struct graph *g)
{
	for (size_t i = 0; i < g->nn; i++) {
		free(g->n[i].id);
		free(g->n[i].type);
		free(g->n[i].label);
	}
	for (size_t i = 0; i < g->ne; i++) {
		free(g->e[i].kind);
		free(g->e[i].label);
		free(g->e[i].via);
	}
	free(g->n);
	free(g->e);
	vg_warn_excl_release(&g->ex);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

/* ---- the neighbours of one node --------------------------------------------
 */

/* One neighbour, found (when visible) and joined to node from. */
struct step {
	struct graph *g;
	int from, depth;
	const char *kind, *label, *via;
	int reversed; /* the edge points to from */
};

static int reach(struct step *st, const char *id)
{
	struct graph *g = st->g;
	char *json = NULL;
	int idx = node_find(g, id), e;
	if (idx < 0) {
		int rc = vg__warn_visible_json(g->c, g->s, id, &json);
		if (rc == VG_ENOTFOUND)
			return VG_OK; /* hidden or absent: no way through */
		if (rc)
			return rc;
		rc = node_add(g, id, json, strlen(json), st->depth, &idx);
		free(json);
		if (rc || idx < 0)
			return rc;
		g->n[idx].parent = st->from;
	}
	int rc =
	    st->reversed
	        ? edge_add(g, idx, st->from, st->kind, st->label, st->via, &e)
	        : edge_add(g, st->from, idx, st->kind, st->label, st->via, &e);
	if (!rc && g->n[idx].parent == st->from && g->n[idx].parent_edge < 0)
		g->n[idx].parent_edge = e;
	return rc;
}

/* The references an object's JSON makes (but provenance and markings). */
static int refs_of(struct step *st, const cJSON *o, const char *skip)
{
	const cJSON *p;
	int rc = VG_OK;
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(o, "type");
	const char *t = cJSON_IsString(type) ? type->valuestring : "";
	int sro = !strcmp(t, "relationship") || !strcmp(t, "sighting");
	cJSON_ArrayForEach(p, o)
	{
		const char *name = p->string;
		if (rc)
			break;
		if (!name || !strcmp(name, "created_by_ref") ||
		    !strcmp(name, "object_marking_refs"))
			continue;
		const cJSON *rt =
		    cJSON_GetObjectItemCaseSensitive(o, "relationship_type");
		st->kind = sro ? t : "ref";
		st->label =
		    sro && !strcmp(t, "relationship") && cJSON_IsString(rt)
		        ? rt->valuestring
		        : name;
		if (ends_with(name, "_ref") && cJSON_IsString(p)) {
			if (!skip || strcasecmp(p->valuestring, skip))
				rc = reach(st, p->valuestring);
		} else if (ends_with(name, "_refs") && cJSON_IsArray(p)) {
			const cJSON *e;
			size_t i = 0;
			cJSON_ArrayForEach(e, p)
			{
				if (rc || ++i > 200)
					break;
				if (cJSON_IsString(e) &&
				    (!skip || strcasecmp(e->valuestring, skip)))
					rc = reach(st, e->valuestring);
			}
		}
	}
	return rc;
}

struct back {
	struct graph *g;
	int from, depth;
	const char *self;
	int rc;
};

/* An object that refers to the node: a relationship or sighting leads
 * through to its other ends; anything else is a neighbour itself. */
static int on_referrer(void *ud, const struct vg_warn_row *r)
{
	struct back *b = ud;
	struct graph *g = b->g;
	struct vg_access_meta m = {
	    .owner = r->owner,
	    .scope = (enum vg_scope)r->scope,
	    .group = r->grp,
	    .tlp = r->tlp,
	    .classification = r->classification,
	    .added = r->added,
	};
	if (!vg_access_read(&g->c->p, &m) || !r->json)
		return 0;
	if (g->nn >= g->max) {
		g->truncated = 1;
		return 1;
	}
	cJSON *o = cJSON_ParseWithLength(r->json, r->json_len);
	if (!o)
		return 0;
	int rc = VG_OK;
	struct step st = {g, b->from, b->depth, "ref", "", r->id, 0};
	if (!strcmp(r->type, "relationship") || !strcmp(r->type, "sighting")) {
		/* the relation is the edge; its other ends the neighbours */
		rc = refs_of(&st, o, b->self);
		/* the edge's direction as the data says: from the other end
		 * to this node when this node is the target */
		const cJSON *tgt =
		    cJSON_GetObjectItemCaseSensitive(o, "target_ref");
		if (cJSON_IsString(tgt) &&
		    !strcasecmp(tgt->valuestring, b->self))
			for (size_t i = 0; i < g->ne; i++)
				if (g->e[i].via &&
				    !strcmp(g->e[i].via, r->id) &&
				    g->e[i].a == b->from) {
					int t = g->e[i].a;
					g->e[i].a = g->e[i].b;
					g->e[i].b = t;
				}
	} else {
		int idx, e;
		rc = node_add(g, r->id, r->json, r->json_len, b->depth, &idx);
		if (!rc && idx >= 0) {
			const char *prop = "refers to";
			const cJSON *p;
			cJSON_ArrayForEach(
			    p, o) if (p->string && strstr(p->string, "_ref") &&
			              strstr(cJSON_IsString(p) ? p->valuestring
			                                       : "",
			                     b->self)) prop = p->string;
			if (g->n[idx].parent < 0 && idx != b->from)
				g->n[idx].parent = b->from;
			rc = edge_add(g, idx, b->from, "ref", prop, NULL, &e);
			if (!rc && g->n[idx].parent == b->from &&
			    g->n[idx].parent_edge < 0)
				g->n[idx].parent_edge = e;
		}
	}
	cJSON_Delete(o);
	return rc;
}

/* Objects sharing a correlating key with the node (excluded keys and
 * keys over the budget are no edge). */
struct shared {
	struct graph *g;
	int from, depth;
	const char *self, *shown;
	size_t seen;
};

static int on_sharer(void *ud, const struct vg_warn_row *r)
{
	struct shared *x = ud;
	struct graph *g = x->g;
	if (!strcasecmp(r->id, x->self))
		return 0;
	if (++x->seen > (size_t)g->conf.budget)
		return 2; /* over the budget: no edges from this key */
	return 0;
}

static int on_sharer_add(void *ud, const struct vg_warn_row *r)
{
	struct shared *x = ud;
	struct graph *g = x->g;
	struct vg_access_meta m = {
	    .owner = r->owner,
	    .scope = (enum vg_scope)r->scope,
	    .group = r->grp,
	    .tlp = r->tlp,
	    .classification = r->classification,
	    .added = r->added,
	};
	int idx, e;
	if (!strcasecmp(r->id, x->self) || !vg_access_read(&g->c->p, &m) ||
	    !r->json)
		return 0;
	/* a name key only proposes: the same person by the scorer */
	int rc = node_add(g, r->id, r->json, r->json_len, x->depth, &idx);
	if (rc || idx < 0)
		return rc;
	if (g->n[idx].parent < 0 && idx != x->from)
		g->n[idx].parent = x->from;
	rc = edge_add(g, x->from, idx, "key", x->shown, NULL, &e);
	if (!rc && g->n[idx].parent == x->from && g->n[idx].parent_edge < 0)
		g->n[idx].parent_edge = e;
	return rc;
}

static int shared_keys(struct graph *g, int from, int depth, const cJSON *o)
{
	struct vg_warn_keyset ks;
	int rc;
	vg_warn_keyset_init(&ks);
	rc = vg_warn_object_keys(g->t->keyer, o, &ks);
	for (size_t i = 0; !rc && i < ks.n; i++) {
		const char *k = vg_warn_keyset_at(&ks, i);
		char shown[VG_WARN_KEY_MAX];
		/* names are left to correlation, where the scorer confirms */
		if (!vg_warn_key_correlates(k) || !strncmp(k, "name", 4) ||
		    vg_warn_excluded(&g->ex, k))
			continue;
		vg_warn_key_display(k, shown, sizeof(shown));
		struct shared x = {g, from, depth, g->n[from].id, shown, 0};
		struct vg_warn_keyq q = {.keys = &k, .n_keys = 1, .latest = 1};
		rc = g->s->ops->warn->keys_scan(g->s, &q, on_sharer, &x);
		if (rc == 2) {
			rc = VG_OK;
			continue;
		}
		q.json = 1;
		if (!rc)
			rc = g->s->ops->warn->keys_scan(g->s, &q, on_sharer_add,
			                                &x);
	}
	vg_warn_keyset_release(&ks);
	return rc;
}

static int expand(struct graph *g, int from)
{
	char *json = NULL, key[VG_WARN_KEY_MAX];
	int depth = g->n[from].depth + 1;
	int rc = vg__warn_visible_json(g->c, g->s, g->n[from].id, &json);
	if (rc)
		return rc == VG_ENOTFOUND ? VG_OK : rc;
	cJSON *o = cJSON_Parse(json);
	free(json);
	if (!o)
		return VG_OK;
	struct step st = {g, from, depth, "ref", "", NULL, 0};
	rc = refs_of(&st, o, NULL);
	if (!rc) {
		size_t n =
		    (size_t)snprintf(key, sizeof(key), "ref:%s", g->n[from].id);
		for (size_t i = 4; i < n && i < sizeof(key); i++)
			key[i] = (char)tolower((unsigned char)key[i]);
		const char *k = key;
		struct back b = {g, from, depth, g->n[from].id, 0};
		struct vg_warn_keyq q = {.keys = &k,
		                         .n_keys = 1,
		                         .latest = 1,
		                         .json = 1,
		                         .limit = 2000};
		rc = g->s->ops->warn->keys_scan(g->s, &q, on_referrer, &b);
		rc = rc == 1 ? VG_OK : rc;
	}
	if (!rc)
		rc = shared_keys(g, from, depth, o);
	cJSON_Delete(o);
	return rc;
}

/* ---- answers ---------------------------------------------------------------
 */

static int start(struct vg_ctx *c, const char *what, struct graph *g,
                 size_t max)
{
	int rc = vg__require(c, VG_ACT_READ, what);
	if (!rc)
		rc = vg_ctx_purpose(c);
	if (rc)
		return rc;
	memset(g, 0, sizeof(*g));
	g->c = c;
	g->s = vg__reader(c->svc);
	g->max = max ? max : 200;
	if (!g->s)
		return VG_ESTORE;
	if (!g->s->ops->warn)
		return VG_EUNSUPPORTED;
	if (!(g->t = vg__warn_tls(NULL)))
		return VG_ENOMEM;
	rc = vg__warn_conf_read(g->s, &g->conf);
	return rc ? rc : vg__warn_exclusions(c->svc, g->s, &g->ex);
}

static int seed(struct graph *g, const char *id, int *idx)
{
	char *json = NULL;
	int rc = vg__warn_visible_json(g->c, g->s, id, &json);
	if (rc)
		return rc;
	rc = node_add(g, id, json, strlen(json), 0, idx);
	free(json);
	return rc;
}

static void write_node(struct vg_jw *w, const struct gnode *n)
{
	vg_jw_obj(w);
	vg_jw_kstr(w, "id", n->id);
	vg_jw_kstr(w, "type", n->type);
	vg_jw_kstr(w, "label", n->label);
	vg_jw_kint(w, "depth", n->depth);
	vg_jw_close(w);
}

static void write_edge(struct vg_jw *w, const struct graph *g,
                       const struct gedge *e)
{
	vg_jw_obj(w);
	vg_jw_kstr(w, "source", g->n[e->a].id);
	vg_jw_kstr(w, "target", g->n[e->b].id);
	vg_jw_kstr(w, "kind", e->kind);
	vg_jw_kstr(w, "label", e->label);
	if (e->via)
		vg_jw_kstr(w, "via", e->via);
	vg_jw_close(w);
}

static int write_graph(struct graph *g, struct vg_buf *out)
{
	struct vg_jw w;
	vg_jw_init(&w, out);
	vg_jw_obj(&w);
	vg_jw_key(&w, "nodes");
	vg_jw_arr(&w);
	for (size_t i = 0; i < g->nn; i++)
		write_node(&w, &g->n[i]);
	vg_jw_close(&w);
	vg_jw_key(&w, "edges");
	vg_jw_arr(&w);
	for (size_t i = 0; i < g->ne; i++)
		write_edge(&w, g, &g->e[i]);
	vg_jw_close(&w);
	vg_jw_kbool(&w, "truncated", g->truncated);
	vg_jw_close(&w);
	return vg_jw_end(&w);
}

static int audit(struct graph *g, const char *what, const char *target,
                 int found)
{
	struct vg__detail d;
	vg__detail_begin(&d);
	vg_jw_kstr(&d.w, "query", what);
	vg_jw_kbool(&d.w, "found", found);
	vg_jw_kint(&d.w, "nodes", (int64_t)g->nn);
	vg_jw_kint(&d.w, "edges", (int64_t)g->ne);
	const char *detail = vg__detail_end(&d);
	int rc = detail ? vg__audit_read(g->c, "graph.read", target, detail)
	                : VG_ENOMEM;
	vg__detail_release(&d);
	return rc;
}

/* Breadth first from the nodes already in g, to depth. */
static int bfs(struct graph *g, int depth, const char *stop_at, int *found)
{
	int rc = VG_OK;
	for (size_t i = 0; !rc && i < g->nn; i++) {
		if (g->n[i].depth >= depth)
			continue;
		if (stop_at && (*found = node_find(g, stop_at)) >= 0)
			break;
		rc = expand(g, (int)i);
	}
	if (stop_at && !rc)
		*found = node_find(g, stop_at);
	return rc;
}

int vg_graph_neighbours(struct vg_ctx *c, const char *id, int depth,
                        size_t max_nodes, struct vg_buf *out)
{
	struct graph g;
	int idx, rc = start(c, "graph.read", &g, max_nodes);
	if (!rc && (depth < 1 || depth > 4))
		rc = VG_EINVAL;
	if (!rc)
		rc = seed(&g, id, &idx);
	if (rc == VG_ENOTFOUND) {
		int a = audit(&g, "neighbours", id, 0);
		rc = a ? a : VG_ENOTFOUND;
	} else if (!rc) {
		rc = bfs(&g, depth, NULL, NULL);
		if (!rc)
			rc = audit(&g, "neighbours", id, 1);
		if (!rc)
			rc = write_graph(&g, out);
	}
	graph_release(&g);
	return rc;
}

int vg_graph_path(struct vg_ctx *c, const char *from, const char *to,
                  int max_depth, struct vg_buf *out)
{
	struct graph g;
	int idx, found = -1, rc = start(c, "graph.read", &g, 5000);
	if (!rc && (max_depth < 1 || max_depth > 8))
		rc = VG_EINVAL;
	if (!rc)
		rc = seed(&g, from, &idx);
	if (!rc) {
		char *json = NULL;
		/* the end must be visible too: else no path, as for none */
		rc = vg__warn_visible_json(c, g.s, to, &json);
		free(json);
	}
	if (!rc)
		rc = bfs(&g, max_depth, to, &found);
	if (!rc && found < 0)
		rc = VG_ENOTFOUND;
	char target[300];
	snprintf(target, sizeof(target), "%s %s", from, to);
	int a = audit(&g, "path", target, !rc);
	if (!rc)
		rc = a;
	else if (rc == VG_ENOTFOUND && a)
		rc = a;
	if (!rc) {
		/* the path, from the end back to the start */
		int path[64], n = 0;
		for (int at = found; at >= 0 && n < 64; at = g.n[at].parent)
			path[n++] = at;
		struct vg_jw w;
		vg_jw_init(&w, out);
		vg_jw_obj(&w);
		vg_jw_key(&w, "nodes");
		vg_jw_arr(&w);
		for (int i = n - 1; i >= 0; i--)
			write_node(&w, &g.n[path[i]]);
		vg_jw_close(&w);
		vg_jw_key(&w, "edges");
		vg_jw_arr(&w);
		for (int i = n - 1; i > 0; i--) {
			int e = g.n[path[i - 1]].parent_edge;
			if (e >= 0)
				write_edge(&w, &g, &g.e[e]);
		}
		vg_jw_close(&w);
		vg_jw_kint(&w, "length", n - 1);
		vg_jw_close(&w);
		rc = vg_jw_end(&w);
	}
	graph_release(&g);
	return rc;
}

struct seeds {
	struct graph *g;
	size_t max;
	int rc;
};

static int take_seed(void *ud, const struct vg_row *r)
{
	struct seeds *s = ud;
	int idx;
	if (s->g->nn >= s->max)
		return 1;
	int rc = node_add(s->g, r->id, r->json, r->json_len, 0, &idx);
	if (!rc && idx >= 0)
		s->g->n[idx].seed = 1;
	return rc;
}

int vg_graph_groups(struct vg_ctx *c, const char *const *types, size_t n_types,
                    const char *id, int depth, size_t max_nodes,
                    struct vg_buf *out)
{
	struct graph g;
	int idx,
	    rc = start(c, "graph.read", &g, max_nodes ? max_nodes * 4 : 800);
	size_t max_seeds = max_nodes ? max_nodes : 200;
	if (!rc && (depth < 1 || depth > 4))
		rc = VG_EINVAL;
	if (!rc && id) {
		rc = seed(&g, id, &idx);
		if (!rc && idx >= 0)
			g.n[idx].seed = 1;
	} else if (!rc) {
		struct vg_access_expr vis;
		vg_access_expr(&c->p, &vis);
		struct vg_query q = {
		    .visible = &vis, .types = types, .n_types = n_types};
		struct seeds s = {&g, max_seeds, 0};
		rc = g.s->ops->objects->scan(g.s, &q, take_seed, &s);
		rc = rc == 1 ? VG_OK : rc;
	}
	if (!rc)
		rc = bfs(&g, depth, NULL, NULL);
	/* groups: the seeds joined by any path found (union by the edges) */
	int *root = rc ? NULL : malloc((g.nn ? g.nn : 1) * sizeof(int));
	if (!rc && !root)
		rc = VG_ENOMEM;
	for (size_t i = 0; !rc && i < g.nn; i++)
		root[i] = (int)i;
	for (size_t i = 0; !rc && i < g.ne; i++) {
		int a = g.e[i].a, b = g.e[i].b;
		while (root[a] != a)
			a = root[a];
		while (root[b] != b)
			b = root[b];
		if (a != b)
			root[a > b ? a : b] = a < b ? a : b;
	}
	int a_rc = audit(&g, "groups", id ? id : "", !rc);
	if (!rc)
		rc = a_rc;
	if (!rc) {
		struct vg_jw w;
		vg_jw_init(&w, out);
		vg_jw_obj(&w);
		vg_jw_key(&w, "groups");
		vg_jw_arr(&w);
		for (size_t r = 0; r < g.nn; r++) {
			size_t size = 0;
			for (size_t i = 0; i < g.nn; i++) {
				int x = (int)i;
				while (root[x] != x)
					x = root[x];
				size += x == (int)r && g.n[i].seed;
			}
			if (!size)
				continue;
			vg_jw_obj(&w);
			vg_jw_kint(&w, "size", (int64_t)size);
			vg_jw_key(&w, "nodes");
			vg_jw_arr(&w);
			for (size_t i = 0; i < g.nn; i++) {
				int x = (int)i;
				while (root[x] != x)
					x = root[x];
				if (x == (int)r && g.n[i].seed)
					write_node(&w, &g.n[i]);
			}
			vg_jw_close(&w);
			vg_jw_close(&w);
		}
		vg_jw_close(&w);
		vg_jw_kbool(&w, "truncated", g.truncated);
		vg_jw_close(&w);
		rc = vg_jw_end(&w);
	}
	free(root);
	graph_release(&g);
	return rc;
}
