/* vg_stix_validate: one pass over a STIX 2.1 object that checks JSON-level
 * rules (duplicate keys, empty lists, references) everywhere, the common
 * properties, then the rules of the object's type; the first broken rule
 * becomes the message "object '<id>': <JSON path>: <rule>". */
#include "vigil/util/error.h"
#include "vigil/stix/stix.h"

#include "stix_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Deeper documents than cJSON itself parses are refused. */
#define MAX_DEPTH 1000
/* Objects with more members than this are checked for duplicate keys by
 * sorting; below it, comparing all pairs is faster than allocating. */
#define DUP_SORT_MIN 24

/* ---- messages ------------------------------------------------------- */

struct msg {
	char *p;
	size_t cap, len; /* len < cap always: room for the NUL */
};

static void m_put(struct msg *m, const char *s, size_t n)
{
	size_t room = m->cap - 1 - m->len;
	if (n > room)
		n = room;
	memcpy(m->p + m->len, s, n);
	m->len += n;
	m->p[m->len] = '\0';
}

static void m_puts(struct msg *m, const char *s)
{
	m_put(m, s, strlen(s));
}

static int plain_key(const char *k)
{
	if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') ||
	      *k == '_'))
		return 0;
	for (; *k; k++)
		if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') ||
		      (*k >= '0' && *k <= '9') || *k == '_'))
			return 0;
	return 1;
}

static void put_path(struct msg *m, const struct vg__path *p)
{
	char tmp[24];
	if (!p) {
		m_put(m, "$", 1);
		return;
	}
	put_path(m, p->up);
	if (!p->key) {
		m_put(m, tmp,
		      (size_t)snprintf(tmp, sizeof(tmp), "[%d]", p->index));
	} else if (plain_key(p->key)) {
		m_put(m, ".", 1);
		m_puts(m, p->key);
	} else {
		/* Bracket notation; quotes, backslashes and control bytes of
		 * the key are escaped so the path stays one line. */
		m_put(m, "['", 2);
		for (const unsigned char *s = (const unsigned char *)p->key; *s;
		     s++) {
			if (*s == '\'' || *s == '\\') {
				tmp[0] = '\\';
				tmp[1] = (char)*s;
				m_put(m, tmp, 2);
			} else if (*s < 0x20 || *s == 0x7f) {
				m_put(m, tmp,
				      (size_t)snprintf(tmp, sizeof(tmp),
				                       "\\u%04x", *s));
			} else {
				m_put(m, (const char *)s, 1);
			}
		}
		m_put(m, "']", 2);
	}
}

static int vfail(struct vg__vctx *c, const struct vg__path *p, const char *fmt,
                 va_list ap)
{
	if (!c->err || !c->errlen)
		return VG_EINVAL;
	struct msg m = {c->err, c->errlen, 0};
	m.p[0] = '\0';
	m_puts(&m, "object '");
	m_puts(&m, c->id ? c->id : "(no id)");
	m_puts(&m, "': ");
	put_path(&m, p);
	m_puts(&m, ": ");
	vsnprintf(m.p + m.len, m.cap - m.len, fmt, ap);
	return VG_EINVAL;
}

int vg__fail(struct vg__vctx *c, const struct vg__path *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vfail(c, p, fmt, ap);
	va_end(ap);
	return rc;
}

int vg__failk(struct vg__vctx *c, const char *key, const char *fmt, ...)
{
	const struct vg__path pk = {NULL, key, 0};
	va_list ap;
	va_start(ap, fmt);
	int rc = vfail(c, key ? &pk : NULL, fmt, ap);
	va_end(ap);
	return rc;
}

/* ---- rules that hold at every depth --------------------------------- */

static int key_cmp(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* cJSON keeps every member of a repeated key; STIX consumers would each
 * pick a different one, so the object is refused [RFC 8259 4, I-JSON]. */
static int check_dups(struct vg__vctx *c, const cJSON *o,
                      const struct vg__path *p)
{
	size_t n = 0;
	const char *dup = NULL;

	for (const cJSON *k = o->child; k; k = k->next)
		n++;
	if (n < 2)
		return VG_OK;
	if (n < DUP_SORT_MIN) {
		for (const cJSON *a = o->child; a && !dup; a = a->next)
			for (const cJSON *b = a->next; b; b = b->next)
				if (a->string[0] == b->string[0] &&
				    strcmp(a->string, b->string) == 0) {
					dup = a->string;
					break;
				}
	} else {
		const char **keys = malloc(n * sizeof(*keys));
		size_t i = 0;
		if (!keys)
			return VG_ENOMEM;
		for (const cJSON *k = o->child; k; k = k->next)
			keys[i++] = k->string;
		qsort(keys, n, sizeof(*keys), key_cmp);
		for (i = 1; i < n && !dup; i++)
			if (strcmp(keys[i - 1], keys[i]) == 0)
				dup = keys[i];
		free(keys);
	}
	if (!dup)
		return VG_OK;
	const struct vg__path pd = {p, dup, 0};
	return vg__fail(c, &pd, "is a duplicate key");
}

static int is_custom_name(const char *k)
{
	return k[0] == 'x' && k[1] == '_';
}

/* *_ref holds an identifier and *_refs a list of them [2.9, 3.1]. */
static int check_ref_name(struct vg__vctx *c, const cJSON *k,
                          const struct vg__path *p)
{
	static const struct vg__pspec one = {0, VG__S_ID, 0, 0, 0};
	static const struct vg__pspec many = {0, VG__S_IDS, 0, 0, 0};
	size_t n = strlen(k->string);
	const char *e = k->string + n;

	if (n >= 4 && memcmp(e - 4, "_ref", 4) == 0)
		return vg__check_shape(c, k, p, &one);
	if (n >= 5 && memcmp(e - 5, "_refs", 5) == 0)
		return vg__check_shape(c, k, p, &many);
	return VG_OK;
}

/* Lists are never empty [2.12], members are unique, references are ids.
 * Below a custom (x_) property (mode WALK_CUSTOM) only the duplicate rule
 * applies: its
 * content is the producer's, and ATT&CK does send empty lists there. */
enum { WALK_STIX, WALK_CUSTOM, WALK_CONTAINER };

static int walk(struct vg__vctx *c, const cJSON *v, const struct vg__path *p,
                int custom, int depth)
{
	int rc, i = 0;

	if (depth > MAX_DEPTH)
		return vg__fail(c, p, "is nested too deeply");
	if (cJSON_IsArray(v)) {
		if (!v->child && custom != WALK_CUSTOM)
			return vg__fail(c, p, "must not be an empty list");
		for (const cJSON *e = v->child; e; e = e->next, i++) {
			if (!(e->type & (cJSON_Array | cJSON_Object)))
				continue;
			const struct vg__path pe = {p, NULL, i};
			if ((rc = walk(c, e, &pe, custom, depth + 1)))
				return rc;
		}
		return VG_OK;
	}
	if (!cJSON_IsObject(v))
		return VG_OK;
	if ((rc = check_dups(c, v, p)))
		return rc;
	for (const cJSON *k = v->child; k; k = k->next) {
		const struct vg__path pk = {p, k->string, 0};
		int cust = is_custom_name(k->string) ? WALK_CUSTOM : custom;
		if ((k->type & (cJSON_Array | cJSON_Object)) &&
		    (rc = walk(c, k, &pk, cust, depth + 1)))
			return rc;
		if (cust == WALK_STIX && (rc = check_ref_name(c, k, &pk)))
			return rc;
	}
	return VG_OK;
}

/* ---- the object ----------------------------------------------------- */

/* Top-level property names: 3-250 characters of a-z, 0-9 and '_' [3.1];
 * only 'id' is shorter, and it is in the property table. */
static int prop_name_valid(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') ||
		      (s[n] >= '0' && s[n] <= '9') || s[n] == '_') ||
		    n >= 250)
			return 0;
	return n >= 3;
}

/* The names reserved on every object [3.8]; kept out of the property
 * table, whose bisection runs for every member of every object. */
static int reserved_name(const char *s)
{
	switch (s[0]) {
	case 'a':
		return strcmp(s, "action") == 0;
	case 'p':
		return strcmp(s, "phone_number") == 0;
	case 's':
		return strcmp(s, "severity") == 0;
	case 'u':
		return strcmp(s, "username") == 0;
	}
	return 0;
}

/* A custom type declares itself an SCO through a new-sco extension
 * [7.3]; it then needs no created/modified/spec_version. */
static int declares_new_sco(const cJSON *ext)
{
	if (!cJSON_IsObject(ext))
		return 0;
	for (const cJSON *x = ext->child; x; x = x->next) {
		const cJSON *t =
		    cJSON_GetObjectItemCaseSensitive(x, "extension_type");
		if (cJSON_IsString(t) && strcmp(t->valuestring, "new-sco") == 0)
			return 1;
	}
	return 0;
}

static int check_head(struct vg__vctx *c, int *sco_like)
{
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(c->obj, "type");
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(c->obj, "id");
	const cJSON *sv =
	    cJSON_GetObjectItemCaseSensitive(c->obj, "spec_version");

	if (!type)
		return vg__failk(c, "type", "is required");
	size_t tlen =
	    cJSON_IsString(type) ? strnlen(type->valuestring, 251) : 0;
	if (!vg__stix_type_name_valid(type->valuestring, tlen))
		return vg__failk(c, "type",
		                 "must be 3-250 characters of a-z, 0-9 and "
		                 "'-', without leading, trailing or double "
		                 "'-'");
	if (strcmp(type->valuestring, "bundle") == 0)
		return vg__failk(c, "type", "'bundle' is not an object type");
	c->type = vg__stix_type_find(type->valuestring, tlen);
	if (!id)
		return vg__failk(c, "id", "is required");
	/* c->id is well-formed, so its type ends at the first "--". */
	if (!c->id || strncmp(c->id, type->valuestring, tlen) != 0 ||
	    c->id[tlen] != '-' || c->id[tlen + 1] != '-')
		return vg__failk(c, "id", "must be '%s--' followed by a UUID",
		                 type->valuestring);
	c->prop[VG__P_TYPE] = type;
	c->prop[VG__P_ID] = id;

	*sco_like = c->type ? c->type->kind == VG_STIX_SCO
	                    : declares_new_sco(cJSON_GetObjectItemCaseSensitive(
	                          c->obj, "extensions"));
	/* The one front-neutral name of the conversion option: the CLI's
	 * flag and, later, the federation partners' setting. */
	if (!sv && !*sco_like)
		return vg__failk(c, "spec_version",
		                 "is required (a STIX 2.0 object: import it "
		                 "with --convert-2.0) [3.2]");
	if (sv && cJSON_IsString(sv) && strcmp(sv->valuestring, "2.0") == 0)
		return vg__failk(c, "spec_version",
		                 "must be '2.1' (a STIX 2.0 object: import it "
		                 "with --convert-2.0) [3.2]");
	if (sv && !(cJSON_IsString(sv) && strcmp(sv->valuestring, "2.1") == 0))
		return vg__failk(c, "spec_version", "must be '2.1'");
	return VG_OK;
}

static int check_members(struct vg__vctx *c)
{
	int rc;
	for (const cJSON *k = c->obj->child; k; k = k->next) {
		const char *name = k->string;
		enum vg__prop pid = vg__prop_find(name);
		const struct vg__path pk = {NULL, name, 0};
		int custom = WALK_STIX;

		if (pid == VG__P__NONE) {
			if (!prop_name_valid(name))
				return vg__fail(c, &pk,
				                "is not a valid property name "
				                "(3-250 characters of a-z, "
				                "0-9 and '_')");
			if (!(name[0] >= 'a' && name[0] <= 'z'))
				return vg__fail(
				    c, &pk, "must start with a letter [3.1]");
			if (reserved_name(name))
				return vg__fail(c, &pk,
				                "is a reserved property name "
				                "[3.8]");
			custom = is_custom_name(name) ? WALK_CUSTOM : WALK_STIX;
		} else if (pid == VG__P_OBJECTS && c->type &&
		           strcmp(c->type->name, "observed-data") == 0) {
			/* the deprecated container's references are its own
			 * keys, not identifiers [2.9, 2.13] */
			c->prop[pid] = k;
			custom = WALK_CONTAINER;
		} else {
			c->prop[pid] = k;
		}
		if ((k->type & (cJSON_Array | cJSON_Object)) &&
		    (rc = walk(c, k, &pk, custom, 1)))
			return rc;
		/* The markings and the creator have stricter rules of
		 * their own, with messages that name the type expected. */
		if (custom == WALK_STIX && pid != VG__P_CREATED_BY_REF &&
		    pid != VG__P_OBJECT_MARKING_REFS &&
		    (rc = check_ref_name(c, k, &pk)))
			return rc;
		if (pid != VG__P__NONE &&
		    (rc = vg__check_common(c, pid, k, &pk)))
			return rc;
	}
	return VG_OK;
}

static int check_type(struct vg__vctx *c, int sco_like)
{
	unsigned needs = c->type    ? c->type->needs
	                 : sco_like ? 0
	                            : VG__NEEDS_CREATED | VG__NEEDS_MODIFIED;
	int rc;

	if ((needs & VG__NEEDS_CREATED) && !c->has_created)
		return vg__failk(c, "created", "is required");
	if ((needs & VG__NEEDS_MODIFIED) && !c->has_modified)
		return vg__failk(c, "modified", "is required");
	if (c->has_created && c->has_modified &&
	    vg__ts_cmp(&c->modified, &c->created) < 0)
		return vg__failk(c, "modified", "is before 'created'");
	if (!c->type)
		return VG_OK; /* custom: its own rules are the producer's */
	for (size_t i = 0; i < c->type->n_props; i++) {
		const struct vg__pspec *s = &c->type->props[i];
		const cJSON *v = c->prop[s->prop];
		const struct vg__path pk = {NULL, vg__prop_name(s->prop), 0};
		if (!v) {
			if (s->flags & VG__REQ)
				return vg__fail(c, &pk, "is required");
			continue;
		}
		if ((rc = vg__check_shape(c, v, &pk, s)))
			return rc;
	}
	if (c->type->check && (rc = c->type->check(c)))
		return rc;
	return c->type->kind == VG_STIX_SCO ? vg__sco_check(c) : VG_OK;
}

int vg_stix_validate(const cJSON *obj, struct vg_stix_info *info, char *err,
                     size_t errlen)
{
	struct vg__vctx c;
	int sco_like = 0, rc;

	memset(&c, 0, sizeof(c));
	c.obj = obj;
	c.err = err;
	c.errlen = errlen;

	if (!cJSON_IsObject(obj))
		return vg__failk(&c, NULL, "must be a JSON object");
	/* An id is shown in messages only once it is a well-formed one. */
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(obj, "id");
	if (cJSON_IsString(id) && vg_stix_id_valid(id->valuestring, NULL))
		c.id = id->valuestring;
	if ((rc = check_dups(&c, obj, NULL)) ||
	    (rc = check_head(&c, &sco_like)) || (rc = check_members(&c)) ||
	    (rc = check_type(&c, sco_like)))
		return rc;

	if (info) {
		const cJSON *sv = c.prop[VG__P_SPEC_VERSION];
		info->type = c.prop[VG__P_TYPE]->valuestring;
		info->id = c.prop[VG__P_ID]->valuestring;
		info->created =
		    c.has_created ? c.prop[VG__P_CREATED]->valuestring : NULL;
		info->modified =
		    c.has_modified ? c.prop[VG__P_MODIFIED]->valuestring : NULL;
		info->spec_version = sv ? sv->valuestring : NULL;
		if (c.has_modified)
			vg_ts_key(&c.modified, info->version);
		else if (c.has_created)
			vg_ts_key(&c.created, info->version);
		else
			info->version[0] = '\0';
		info->revoked = cJSON_IsTrue(c.prop[VG__P_REVOKED]);
		info->kind =
		    c.type ? (enum vg_stix_kind)c.type->kind : VG_STIX_CUSTOM;
		info->tlp = c.tlp;
	}
	return VG_OK;
}
