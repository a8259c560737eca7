/* STIX 2.0 objects up-converted to 2.1 by the changes the 2.1 standard
 * made (docs/validation.md lists each rule): spec_version on every
 * object, labels moved to the *_types properties, pattern_type and
 * is_family, and observable containers turned into SCOs with their
 * deterministic ids. */
#include "vigil/util/error.h"
#include "vigil/stix/convert.h"
#include "vigil/stix/stix.h"

#include "stix_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cJSON *get(const cJSON *o, const char *key)
{
	return cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key)
	                         : NULL;
}

static void note(struct vg_stix_conversion *r, const char *fmt, const char *a)
{
	size_t n = strlen(r->note);
	if (n + 3 >= sizeof(r->note))
		return;
	if (n)
		n += (size_t)snprintf(r->note + n, sizeof(r->note) - n, "; ");
	snprintf(r->note + n, sizeof(r->note) - n, fmt, a);
}

/* Move item (a member of obj) to stand right after member after. */
static void move_after(cJSON *obj, cJSON *item, cJSON *after)
{
	if (!after || after == item)
		return;
	cJSON_DetachItemViaPointer(obj, item);
	item->prev = after;
	item->next = after->next;
	if (after->next)
		after->next->prev = item;
	else
		obj->child->prev = item; /* cJSON keeps the tail there */
	after->next = item;
}

/* Add key: item after member after (at the end when after is NULL). */
static int add_after(cJSON *obj, const char *key, cJSON *item, cJSON *after)
{
	if (!item || !cJSON_AddItemToObject(obj, key, item)) {
		cJSON_Delete(item);
		return VG_ENOMEM;
	}
	move_after(obj, item, after);
	return VG_OK;
}

static int rename_member(cJSON *item, const char *key)
{
	char *s = cJSON_malloc(strlen(key) + 1);
	if (!s)
		return VG_ENOMEM;
	strcpy(s, key);
	if (!(item->type & cJSON_StringIsConst))
		cJSON_free(item->string);
	item->type &= ~cJSON_StringIsConst;
	item->string = s;
	return VG_OK;
}

int vg_stix_is_20(const cJSON *obj)
{
	const cJSON *type = get(obj, "type");
	const cJSON *sv = get(obj, "spec_version");
	if (!cJSON_IsString(type) || strcmp(type->valuestring, "bundle") == 0)
		return 0;
	const struct vg__stix_type *t =
	    vg__stix_type_find(type->valuestring, strlen(type->valuestring));
	if (t && t->kind == VG_STIX_SCO)
		return 0;
	/* a 2.1 custom SCO (a new-sco extension) needs no spec_version */
	const cJSON *ext = get(obj, "extensions");
	for (const cJSON *x = cJSON_IsObject(ext) ? ext->child : NULL;
	     x && !t && !sv; x = x->next) {
		const cJSON *et = get(x, "extension_type");
		if (cJSON_IsString(et) &&
		    strcmp(et->valuestring, "new-sco") == 0)
			return 0;
	}
	return !sv ||
	       (cJSON_IsString(sv) && strcmp(sv->valuestring, "2.0") == 0);
}

/* ---- observable containers [2.13] ----------------------------------- */

/* 2.0 names of SCO properties that 2.1 renamed; a 2.0 property that 2.1
 * dropped keeps its value as a custom property, x_stix20_<name>. */
static const struct {
	const char *type, *from, *to;
} renames[] = {
    {"directory", "created", "ctime"},
    {"directory", "modified", "mtime"},
    {"directory", "accessed", "atime"},
    {"file", "created", "ctime"},
    {"file", "modified", "mtime"},
    {"file", "accessed", "atime"},
    {"file", "is_encrypted", "x_stix20_is_encrypted"},
    {"file", "encryption_algorithm", "x_stix20_encryption_algorithm"},
    {"file", "decryption_key", "x_stix20_decryption_key"},
    {"process", "created", "created_time"},
    {"process", "binary_ref", "image_ref"},
    {"process", "name", "x_stix20_name"},
    {"process", "arguments", "x_stix20_arguments"},
    {"user-account", "password_last_changed", "credential_last_changed"},
    {"windows-registry-key", "modified", "modified_time"},
};

struct co {
	cJSON *obj; /* the new SCO (a copy) */
	const char *key;
	char id[300];
	int done;
};

struct ctr {
	struct co *a;
	size_t n;
	const char *owner; /* the observed-data's id, for messages */
	char *err;
	size_t errlen;
};

static struct co *find(struct ctr *t, const char *key)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->a[i].key, key) == 0)
			return &t->a[i];
	return NULL;
}

static int ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int missing(struct ctr *t, const char *key, const char *prop)
{
	if (t->err && t->errlen)
		snprintf(
		    t->err, t->errlen,
		    "object '%s': $.objects['%s'].%s: refers to a key that "
		    "is not in the container [2.13]",
		    t->owner, key, prop);
	return -VG_EINVAL;
}

/* Walk v (the value of a property named name, NULL in lists) for its
 * references. rewrite 0: 1 when every one points at an object whose id is
 * known, 0 when not. rewrite 1: put the ids in their place (1). Errors
 * are negative: -VG_EINVAL when one points nowhere, -VG_ENOMEM. */
static int refs(struct ctr *t, struct co *self, cJSON *v, const char *name,
                int rewrite)
{
	int ready = 1, rc;
	if (name && cJSON_IsString(v) && ends(name, "_ref")) {
		struct co *to = find(t, v->valuestring);
		if (!to)
			return missing(t, self->key, name);
		if (!rewrite)
			return to->done;
		return cJSON_SetValuestring(v, to->id) ? 1 : -VG_ENOMEM;
	}
	if (name && cJSON_IsArray(v) && ends(name, "_refs")) {
		for (cJSON *e = v->child; e; e = e->next) {
			struct co *to =
			    cJSON_IsString(e) ? find(t, e->valuestring) : NULL;
			if (!to)
				return missing(t, self->key, name);
			if (rewrite && !cJSON_SetValuestring(e, to->id))
				return -VG_ENOMEM;
			ready &= to->done;
		}
		return rewrite ? 1 : ready;
	}
	if (cJSON_IsObject(v) || cJSON_IsArray(v))
		for (cJSON *e = v->child; e; e = e->next) {
			rc =
			    refs(t, self, e,
			         cJSON_IsObject(v) ? e->string : NULL, rewrite);
			if (rc < 0)
				return rc;
			ready &= rc;
		}
	return ready;
}

/* The id of one SCO once the references its id depends on are known:
 * UUIDv5 of its ID-contributing properties [2.9]; with none (process) or
 * for a custom type, a UUID in v4 form derived from the observed-data's
 * UUID and the container key, so a second conversion gives the same. */
static int make_id(struct ctr *t, struct co *c, const char *type)
{
	const char *const *props = vg__sco_id_props(type);
	/* The contributing properties with their references resolved, on a
	 * copy: the object's own references are rewritten once, later. */
	cJSON *tmp = cJSON_CreateObject();
	int rc = tmp && cJSON_AddStringToObject(tmp, "type", type) ? VG_OK
	                                                           : VG_ENOMEM;
	for (size_t i = 0; !rc && props && props[i]; i++) {
		cJSON *v = get(c->obj, props[i]), *dup;
		if (!v)
			continue;
		rc = refs(t, c, v, props[i], 0);
		if (rc <= 0) {
			cJSON_Delete(tmp);
			return rc; /* 0: not yet; negative: an error */
		}
		rc = (dup = cJSON_Duplicate(v, 1)) &&
		             cJSON_AddItemToObject(tmp, props[i], dup)
		         ? VG_OK
		         : VG_ENOMEM;
		if (!rc && refs(t, c, dup, props[i], 1) < 0)
			rc = VG_ENOMEM;
	}
	if (!rc)
		rc = vg_stix_sco_id(tmp, c->id, sizeof(c->id));
	cJSON_Delete(tmp);
	if (rc == VG_ENOTFOUND || rc == VG_EINVAL) {
		char uuid[37];
		const char *ns = strstr(t->owner, "--") + 2;
		if (vg_uuid_v5(ns, c->key, strlen(c->key), uuid) ||
		    strlen(type) + 39 > sizeof(c->id))
			return -VG_EINVAL;
		uuid[14] = '4';
		snprintf(c->id, sizeof(c->id), "%s--%s", type, uuid);
	} else if (rc) {
		return -rc;
	}
	c->done = 1;
	return 1;
}

static int sco_20_to_21(cJSON *o, const char *type)
{
	int rc;
	for (size_t i = 0; i < sizeof(renames) / sizeof(renames[0]); i++) {
		cJSON *v;
		if (strcmp(renames[i].type, type) != 0 ||
		    !(v = get(o, renames[i].from)) || get(o, renames[i].to))
			continue;
		if ((rc = rename_member(v, renames[i].to)))
			return rc;
	}
	return VG_OK;
}

static int convert_container(cJSON *obj, cJSON *objects, cJSON *scos,
                             struct vg_stix_conversion *r, char *err,
                             size_t errlen)
{
	const cJSON *id = get(obj, "id");
	struct ctr t = {NULL, 0, NULL, err, errlen};
	size_t left;
	int rc = VG_OK;

	/* A container that cannot be read stays as it is: the validator
	 * then says what is wrong with it. */
	if (!cJSON_IsString(id) ||
	    !vg_stix_id_valid(id->valuestring, "observed-data") ||
	    !cJSON_IsObject(objects) || !objects->child || !scos)
		return VG_OK;
	for (cJSON *o = objects->child; o; o = o->next) {
		const cJSON *type = get(o, "type");
		size_t tl =
		    cJSON_IsString(type) ? strlen(type->valuestring) : 0;
		if (!vg__stix_type_name_valid(tl ? type->valuestring : "",
		                              tl) ||
		    get(o, "id"))
			return VG_OK;
		t.n++;
	}
	t.owner = id->valuestring;
	t.a = calloc(t.n, sizeof(*t.a));
	if (!t.a)
		return VG_ENOMEM;
	size_t i = 0;
	for (cJSON *o = objects->child; o; o = o->next, i++) {
		t.a[i].key = o->string;
		if (!(t.a[i].obj = cJSON_Duplicate(o, 1))) {
			rc = VG_ENOMEM;
			goto out;
		}
		rc = sco_20_to_21(t.a[i].obj, get(o, "type")->valuestring);
		if (rc)
			goto out;
	}
	/* Ids in dependency order: an id that hashes a reference needs the
	 * id it refers to first. */
	for (left = t.n; left;) {
		size_t before = left;
		for (i = 0; i < t.n; i++) {
			if (t.a[i].done)
				continue;
			rc = make_id(&t, &t.a[i],
			             get(t.a[i].obj, "type")->valuestring);
			if (rc < 0) {
				rc = -rc;
				goto out;
			}
			left -= (size_t)rc;
		}
		if (left == before) {
			for (i = 0; t.a[i].done; i++)
				;
			if (err && errlen)
				snprintf(err, errlen,
				         "object '%s': $.objects['%s']: its "
				         "ID-contributing references form a "
				         "cycle [2.13]",
				         t.owner, t.a[i].key);
			rc = VG_EINVAL;
			goto out;
		}
	}
	for (i = 0; i < t.n; i++)
		if ((rc = refs(&t, &t.a[i], t.a[i].obj, NULL, 1)) < 0) {
			rc = -rc;
			goto out;
		}
	cJSON *list = cJSON_CreateArray();
	if (!list) {
		rc = VG_ENOMEM;
		goto out;
	}
	for (i = 0; i < t.n; i++) {
		cJSON *o = t.a[i].obj, *type = get(o, "type"), *idv;
		if ((rc = add_after(
		         o, "id", idv = cJSON_CreateString(t.a[i].id), type)) ||
		    (rc = add_after(o, "spec_version",
		                    cJSON_CreateString("2.1"), idv)) ||
		    !cJSON_AddItemToArray(list,
		                          cJSON_CreateString(t.a[i].id))) {
			cJSON_Delete(list);
			rc = rc ? rc : VG_ENOMEM;
			goto out;
		}
	}
	/* Success: the container becomes object_refs, in its place. */
	cJSON *after = objects == obj->child ? NULL : objects->prev;
	cJSON_Delete(cJSON_DetachItemViaPointer(obj, objects));
	if ((rc = add_after(obj, "object_refs", list, after)))
		goto out;
	for (i = 0; i < t.n; i++) {
		cJSON_AddItemToArray(scos, t.a[i].obj);
		t.a[i].obj = NULL;
	}
	r->scos = t.n;
	note(r, "%s",
	     "the observable container 'objects' made into SCOs "
	     "and 'object_refs'");
	rc = VG_OK;
out:
	for (i = 0; t.a && i < t.n; i++)
		cJSON_Delete(t.a[i].obj);
	free(t.a);
	return rc;
}

/* ---- the object ----------------------------------------------------- */

/* 2.0's labels held what 2.1 put in these properties [4.x]. */
static const struct {
	const char *type, *to;
} labels_to[] = {
    {"indicator", "indicator_types"}, {"malware", "malware_types"},
    {"report", "report_types"},       {"threat-actor", "threat_actor_types"},
    {"tool", "tool_types"},
};

int vg_stix_convert_20(cJSON *obj, cJSON *scos,
                       struct vg_stix_conversion *report, char *err,
                       size_t errlen)
{
	struct vg_stix_conversion r = {0};
	int rc;

	if (!vg_stix_is_20(obj)) {
		*report = r;
		return VG_OK;
	}
	cJSON *type = get(obj, "type");
	const char *t = type->valuestring;
	cJSON *objects = get(obj, "objects");
	if (strcmp(t, "observed-data") == 0 && objects &&
	    !get(obj, "object_refs")) {
		rc = convert_container(obj, objects, scos, &r, err, errlen);
		if (rc)
			return rc;
	}
	cJSON *sv = get(obj, "spec_version");
	if (sv) {
		if (!cJSON_SetValuestring(sv, "2.1"))
			return VG_ENOMEM;
		note(&r, "%s", "spec_version '2.0' made '2.1'");
	} else {
		if ((rc = add_after(obj, "spec_version",
		                    cJSON_CreateString("2.1"), type)))
			return rc;
		note(&r, "%s", "spec_version '2.1' added");
	}
	for (size_t i = 0; i < sizeof(labels_to) / sizeof(labels_to[0]); i++) {
		cJSON *labels = get(obj, "labels");
		if (strcmp(labels_to[i].type, t) != 0 || !labels ||
		    get(obj, labels_to[i].to))
			continue;
		if ((rc = rename_member(labels, labels_to[i].to)))
			return rc;
		note(&r, "labels moved to '%s'", labels_to[i].to);
	}
	if (strcmp(t, "indicator") == 0 && !get(obj, "pattern_type")) {
		cJSON *pattern = get(obj, "pattern");
		cJSON *pt;
		if ((rc =
		         add_after(obj, "pattern_type",
		                   pt = cJSON_CreateString("stix"), pattern)) ||
		    (rc = add_after(obj, "pattern_version",
		                    cJSON_CreateString("2.0"), pt)))
			return rc;
		note(&r, "%s",
		     "'pattern_type': 'stix' and "
		     "'pattern_version': '2.0' added");
	}
	if (strcmp(t, "malware") == 0 && !get(obj, "is_family")) {
		if ((rc = add_after(obj, "is_family", cJSON_CreateBool(1),
		                    get(obj, "name"))))
			return rc;
		note(&r, "%s", "'is_family': true added");
	}
	r.converted = 1;
	*report = r;
	return VG_OK;
}
