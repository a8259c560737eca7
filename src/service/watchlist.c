/* Importing watchlists (UN XML, OFAC CSV) as STIX identity objects with
 * the watchlist extension, and listing what the store holds. A re-import
 * versions what changed and revokes what is no longer listed. */
#include "service_int.h"
#include "vigil/util/error.h"
#include "vigil/service/screening.h"
#include "vigil/util/timefmt.h"
#include "vigil/watchlist/watchlist.h"
#include "vigil/watchlist/wl_stix.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int slurp(const char *path, char **out, size_t *len, char *err,
		 size_t errlen)
{
	FILE *f = fopen(path, "rb");
	struct vg_buf b;
	char chunk[65536];
	size_t n;
	int rc = VG_OK;
	if (!f) {
		snprintf(err, errlen, "cannot read '%.300s': %s", path,
			 strerror(errno));
		return VG_EIO;
	}
	vg_buf_init(&b, (size_t)1 << 31);
	while (!rc && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		rc = vg_buf_append(&b, chunk, n);
	if (!rc && ferror(f))
		rc = VG_EIO;
	fclose(f);
	if (rc) {
		vg_buf_release(&b);
		snprintf(err, errlen, "cannot read '%.300s'", path);
		return rc;
	}
	*out = vg_buf_detach(&b, len);
	return *out ? VG_OK : VG_ENOMEM;
}

static int parse_list(const char *format, const char *path,
		      struct vg_watchlist *wl, char *err, size_t errlen)
{
	int rc;
	char why[500];
	if (!strcmp(format, "un")) {
		char *buf = NULL;
		size_t len = 0;
		rc = slurp(path, &buf, &len, err, errlen);
		if (!rc && (rc = vg_wl_parse_un(buf, len, wl, why, sizeof(why))))
			/* the parser knows the line, not the file */
			snprintf(err, errlen, "'%.300s': %s (--format un takes the "
					      "UN Security Council consolidated "
					      "list, XML)", path, why);
		free(buf);
		return rc;
	}
	if (!strcmp(format, "ofac")) {
		static const char *const names[] = {"sdn.csv", "alt.csv", "add.csv",
						    "sdn_comments.csv"};
		char *bufs[4] = {0};
		size_t lens[4] = {0};
		char dir[4096];
		struct stat st;
		/* the folder, or any file in it (sdn.csv) */
		snprintf(dir, sizeof(dir), "%s", path);
		if (!stat(path, &st) && !S_ISDIR(st.st_mode)) {
			char *slash = strrchr(dir, '/');
			if (slash)
				slash[slash == dir] = '\0';
			else
				snprintf(dir, sizeof(dir), ".");
		}
		rc = VG_OK;
		for (int i = 0; !rc && i < 4; i++) {
			char p[4200];
			snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
			rc = slurp(p, &bufs[i], &lens[i], err, errlen);
		}
		struct vg_ofac_input in = {bufs[0], lens[0], bufs[1], lens[1],
					   bufs[2], lens[2], bufs[3], lens[3]};
		if (!rc && (rc = vg_wl_parse_ofac(&in, wl, why, sizeof(why))))
			snprintf(err, errlen, "'%.300s': %s", dir, why);
		for (int i = 0; i < 4; i++)
			free(bufs[i]);
		return rc;
	}
	snprintf(err, errlen, "format '%s' is not 'un' or 'ofac'", format);
	return VG_EINVAL;
}

/* What the store holds of one list, sorted by id for lookups. */
struct known {
	char id[80];
	char *json;    /* the latest version's text */
	char *content; /* vg_wl_stix_content of it */
	char created[40];
	char modified[40];
	int revoked;
	int seen;      /* still listed */
};

struct known_set {
	struct known *v;
	size_t n, cap;
	const char *list;
	int rc;
};

static int str_eq(const cJSON *o, const char *k, const char *want)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) && !strcmp(v->valuestring, want);
}

static int collect(void *ud, const struct vg_row *r)
{
	struct known_set *k = ud;
	cJSON *o = cJSON_ParseWithLength(r->json, r->json_len);
	const cJSON *x = vg_wl_stix_ext(o);
	if (!x || !str_eq(x, "list", k->list)) {
		cJSON_Delete(o);
		return 0;
	}
	if (k->n == k->cap) {
		size_t cap = k->cap ? k->cap * 2 : 1024;
		struct known *v = realloc(k->v, cap * sizeof(*v));
		if (!v) {
			cJSON_Delete(o);
			return VG_ENOMEM;
		}
		k->v = v;
		k->cap = cap;
	}
	struct known *e = &k->v[k->n];
	struct vg_buf c;
	memset(e, 0, sizeof(*e));
	vg_buf_init(&c, 0);
	snprintf(e->id, sizeof(e->id), "%s", r->id);
	const cJSON *cr = cJSON_GetObjectItemCaseSensitive(o, "created");
	const cJSON *md = cJSON_GetObjectItemCaseSensitive(o, "modified");
	snprintf(e->created, sizeof(e->created), "%s",
		 cJSON_IsString(cr) ? cr->valuestring : "");
	snprintf(e->modified, sizeof(e->modified), "%s",
		 cJSON_IsString(md) ? md->valuestring : "");
	e->revoked = r->revoked;
	e->json = strndup(r->json, r->json_len);
	int rc = vg_wl_stix_content(o, &c);
	e->content = rc ? NULL : vg_buf_detach(&c, NULL);
	cJSON_Delete(o);
	if (!e->json || !e->content) {
		free(e->json);
		free(e->content);
		vg_buf_release(&c);
		return VG_ENOMEM;
	}
	k->n++;
	return 0;
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct known *)a)->id, ((const struct known *)b)->id);
}

static void known_release(struct known_set *k)
{
	for (size_t i = 0; i < k->n; i++) {
		free(k->v[i].json);
		free(k->v[i].content);
	}
	free(k->v);
}

/* A modified timestamp after prev (STIX, millisecond precision). */
static void next_modified(int64_t now, const char *prev, char out[32])
{
	int64_t p = 0;
	char t[VG_TIME_LEN];
	if (prev && *prev && !vg_time_parse_us(prev, &p) && p / 1000 >= now / 1000)
		now = (p / 1000 + 1) * 1000;
	vg_time_format_us(now, t);
	memcpy(out, t, 23);
	out[23] = 'Z';
	out[24] = '\0';
}

/* A revoked version of a known entry that left the list. */
static int revoke(struct vg_store *s, const struct known *k, int64_t now,
		  const struct vg_ingest_opts *o, char *err, size_t errlen)
{
	char mod[32];
	cJSON *obj = cJSON_Parse(k->json);
	if (!obj)
		return VG_ENOMEM;
	next_modified(now, k->modified, mod);
	cJSON_ReplaceItemInObjectCaseSensitive(obj, "modified",
					       cJSON_CreateString(mod));
	cJSON_AddTrueToObject(obj, "revoked");
	char *text = cJSON_PrintUnformatted(obj);
	cJSON_Delete(obj);
	if (!text)
		return VG_ENOMEM;
	int rc = vg__store_json(s, text, o, err, errlen);
	cJSON_free(text);
	return rc;
}

struct import_job {
	const struct vg_ctx *c;
	char ns[37]; /* the hub's secret namespace of entry ids */
	const char *format, *path;
	struct vg_watchlist *wl;
	struct known_set *k;
	struct vg_ingest_opts o;
	struct vg_wl_import_result *res;
	int64_t now;
	char *err;
	size_t errlen;
};

static int import_fn(struct vg_store *s, void *arg)
{
	struct import_job *j = arg;
	struct vg_wl_import_result *res = j->res;
	struct known_set *k = j->k;
	struct vg_buf b;
	int rc;
	memset(res, 0, sizeof(*res));
	for (size_t i = 0; i < k->n; i++)
		k->v[i].seen = 0;
	vg_buf_init(&b, 0);
	/* the extension's definition travels with its entries */
	if (!(rc = vg_wl_stix_definer_json(&b)))
		rc = vg__store_json(s, b.data, &j->o, j->err, j->errlen);
	vg_buf_reset(&b);
	if (!rc && !(rc = vg_wl_stix_definition_json(&b)))
		rc = vg__store_json(s, b.data, &j->o, j->err, j->errlen);
	for (size_t i = 0; !rc && i < j->wl->n_entries; i++) {
		const struct vg_wl_entry *e = &j->wl->entries[i];
		char id[80], mod[32];
		res->entries++;
		if (e->kind == VG_WL_INDIVIDUAL)
			res->individuals++;
		else if (e->kind == VG_WL_ENTITY)
			res->entities++;
		else
			res->others++;
		rc = vg_wl_stix_id(j->ns, k->list, e->ref ? e->ref : "", id,
				   sizeof(id));
		if (rc)
			break;
		struct known key, *old;
		snprintf(key.id, sizeof(key.id), "%s", id);
		old = k->n ? bsearch(&key, k->v, k->n, sizeof(*k->v), by_id) : NULL;
		if (old && old->seen)
			continue; /* the same reference twice in one file */
		if (old)
			old->seen = 1;
		if (old && old->revoked) {
			res->kept_revoked++;
			continue;
		}
		next_modified(j->now, old ? old->modified : NULL, mod);
		vg_buf_reset(&b);
		rc = vg_wl_stix_json(e, k->list, id, old ? old->created : mod, mod,
				     0, &b);
		if (rc)
			break;
		if (old) {
			/* unchanged content: no new version */
			cJSON *obj = cJSON_Parse(b.data);
			struct vg_buf c;
			vg_buf_init(&c, 0);
			rc = obj ? vg_wl_stix_content(obj, &c) : VG_ENOMEM;
			int same = !rc && !strcmp(c.data ? c.data : "", old->content);
			cJSON_Delete(obj);
			vg_buf_release(&c);
			if (rc)
				break;
			if (same) {
				res->unchanged++;
				continue;
			}
		}
		rc = vg__store_json(s, b.data, &j->o, j->err, j->errlen);
		if (!rc)
			old ? res->updated++ : res->added++;
	}
	for (size_t i = 0; !rc && i < k->n; i++)
		if (!k->v[i].seen && !k->v[i].revoked) {
			rc = revoke(s, &k->v[i], j->now, &j->o, j->err, j->errlen);
			if (!rc)
				res->revoked++;
		}
	vg_buf_release(&b);
	if (rc)
		return rc;
	struct vg__detail d;
	vg__detail_begin(&d);
	vg_jw_kstr(&d.w, "list", k->list);
	vg_jw_kstr(&d.w, "format", j->format);
	vg_jw_kint(&d.w, "entries", (int64_t)res->entries);
	vg_jw_kint(&d.w, "added", (int64_t)res->added);
	vg_jw_kint(&d.w, "updated", (int64_t)res->updated);
	vg_jw_kint(&d.w, "unchanged", (int64_t)res->unchanged);
	vg_jw_kint(&d.w, "revoked", (int64_t)res->revoked);
	const char *detail = vg__detail_end(&d);
	rc = detail ? vg__audit(s, j->c, "watchlist.import", j->path, detail)
		    : VG_ENOMEM;
	vg__detail_release(&d);
	return rc;
}

int vg_watchlist_import(struct vg_ctx *c, const char *format, const char *path,
			const char *list, const char *collection,
			struct vg_wl_import_result *res, char *err,
			size_t errlen)
{
	struct vg_store *s = vg__reader(c->svc);
	struct vg_watchlist wl;
	struct known_set k = {.list = list ? list : format};
	struct vg_principal all = {.operator = 1};
	struct vg_access_expr vis;
	char coll_id[40];
	struct import_job j = {.c = c, .format = format, .path = path, .wl = &wl,
			       .k = &k, .res = res, .now = vg__now_us(),
			       .err = err, .errlen = errlen};
	int rc;
	memset(res, 0, sizeof(*res));
	/* the lists are the hub's: imported by its operator */
	if (!c->p.operator)
		return vg__deny(c, "operator", "watchlist.import");
	if (!s)
		return VG_ESTORE;
	vg_watchlist_init(&wl);
	rc = parse_list(format, path, &wl, err, errlen);
	if (rc)
		goto out;
	vg__watchlist_ns(c->svc, j.ns);
	if (vg__collection_target(c->svc, s, collection ? collection : "community",
				  &j.o, coll_id)) {
		snprintf(err, errlen, "no collection '%s' in this hub",
			 collection ? collection : "community");
		rc = VG_ENOTFOUND;
		goto out;
	}
	j.o.watchlist = 1; /* the importer: the one maker of list entries */
	const char *identity = "identity";
	vg_access_expr(&all, &vis);
	struct vg_query q = {.collection = j.o.collection, .visible = &vis,
			     .types = &identity, .n_types = 1};
	rc = s->ops->objects->scan(s, &q, collect, &k);
	if (rc)
		goto out;
	if (k.n) /* k.v is NULL before the first import (UBSan) */
		qsort(k.v, k.n, sizeof(*k.v), by_id);
	rc = vg__write(c->svc, import_fn, &j);
out:
	known_release(&k);
	vg_watchlist_release(&wl);
	return rc;
}

/* ---- listing ----------------------------------------------------------- */

struct lists {
	struct vg_wl_summary v[64];
	char names[64][32];
	size_t n;
};

static int tally(void *ud, const struct vg_row *r)
{
	struct lists *l = ud;
	cJSON *o = cJSON_ParseWithLength(r->json, r->json_len);
	const cJSON *x = vg_wl_stix_ext(o);
	const cJSON *name = x ? cJSON_GetObjectItemCaseSensitive(x, "list") : NULL;
	const cJSON *kind = x ? cJSON_GetObjectItemCaseSensitive(x, "kind") : NULL;
	if (!cJSON_IsString(name)) {
		cJSON_Delete(o);
		return 0;
	}
	size_t i = 0;
	while (i < l->n && strcmp(l->names[i], name->valuestring))
		i++;
	if (i == l->n) {
		if (l->n == 64) {
			cJSON_Delete(o);
			return 0;
		}
		snprintf(l->names[i], sizeof(l->names[i]), "%s", name->valuestring);
		memset(&l->v[i], 0, sizeof(l->v[i]));
		l->v[i].list = l->names[i];
		l->n++;
	}
	struct vg_wl_summary *s = &l->v[i];
	if (r->revoked) {
		s->revoked++;
	} else {
		s->entries++;
		const char *k = cJSON_IsString(kind) ? kind->valuestring : "";
		if (!strcmp(k, "individual"))
			s->individuals++;
		else if (!strcmp(k, "entity"))
			s->entities++;
		else
			s->others++;
	}
	if (r->modified && strcmp(r->modified, s->updated) > 0)
		snprintf(s->updated, sizeof(s->updated), "%s", r->modified);
	cJSON_Delete(o);
	return 0;
}

static int by_list(const void *a, const void *b)
{
	return strcmp(((const struct vg_wl_summary *)a)->list,
		      ((const struct vg_wl_summary *)b)->list);
}

int vg_watchlist_lists(struct vg_ctx *c, vg_wl_summary_cb cb, void *ud)
{
	struct vg_store *s = vg__reader(c->svc);
	const char *identity = "identity";
	struct vg_access_expr vis;
	int rc = vg__require(c, VG_ACT_SCREEN, "watchlist.list");
	if (rc)
		return rc;
	if (!s)
		return VG_ESTORE;
	struct lists *l = calloc(1, sizeof(*l));
	if (!l)
		return VG_ENOMEM;
	vg_access_expr(&c->p, &vis);
	struct vg_query q = {.visible = &vis, .types = &identity, .n_types = 1};
	rc = vg__audit_read(c, "watchlist.list", "", "{}");
	if (!rc)
		rc = s->ops->objects->scan(s, &q, tally, l);
	/* by name, as the header says (the scan gives them as first stored);
	 * the names stay in l->names, so only the summaries move */
	qsort(l->v, l->n, sizeof(l->v[0]), by_list);
	for (size_t i = 0; !rc && i < l->n; i++)
		rc = cb(ud, &l->v[i]);
	free(l);
	return rc;
}
