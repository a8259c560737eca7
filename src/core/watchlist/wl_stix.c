/* Watchlist entries to and from STIX 2.1 identity objects with vigil's
 * watchlist property extension (wl_stix.h). */
#include "vigil/watchlist/wl_stix.h"
#include "vigil/util/error.h"
#include "vigil/stix/stix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int vg_wl_stix_id(const char *ns, const char *list, const char *ref, char *out,
		  size_t n)
{
	char name[200], uuid[37];
	if (n < 48)
		return VG_ETOOBIG;
	snprintf(name, sizeof(name), "%s:%s", list, ref);
	int rc = vg_uuid_v5(ns, name, strlen(name), uuid);
	if (!rc)
		snprintf(out, n, "identity--%s", uuid);
	return rc;
}

void vg_pdate_format(const struct vg_pdate *d, char out[16])
{
	if (d->year && d->month && d->day)
		snprintf(out, 16, "%04d-%02d-%02d", d->year % 10000,
			 d->month % 13, d->day % 32);
	else if (d->year && d->month)
		snprintf(out, 16, "%04d-%02d", d->year % 10000, d->month % 13);
	else
		snprintf(out, 16, "%04d", d->year % 10000);
}

int vg_pdate_parse(const char *s, struct vg_pdate *d)
{
	int y = 0, m = 0, day = 0, n = 0;
	size_t len = strlen(s);
	memset(d, 0, sizeof(*d));
	if (len == 4 && sscanf(s, "%4d%n", &y, &n) == 1 && n == 4)
		d->year = y;
	else if (len == 7 && sscanf(s, "%4d-%2d%n", &y, &m, &n) == 2 && n == 7)
		d->year = y, d->month = m;
	else if (len == 10 &&
		 sscanf(s, "%4d-%2d-%2d%n", &y, &m, &day, &n) == 3 && n == 10)
		d->year = y, d->month = m, d->day = day;
	else
		return VG_EINVAL;
	return vg_pdate_valid(d) ? VG_OK : VG_EINVAL;
}

static const char *const qualities[] = {"primary", "good", "low", "original"};
static const char *const dob_kinds[] = {"exact", "approximate", "between"};

static cJSON *add_str(cJSON *o, const char *k, const char *v)
{
	return v ? cJSON_AddStringToObject(o, k, v) : o;
}

static int strings(cJSON *o, const char *key, char *const *v, size_t n)
{
	if (!n)
		return VG_OK;
	cJSON *a = cJSON_AddArrayToObject(o, key);
	for (size_t i = 0; a && i < n; i++)
		if (!cJSON_AddItemToArray(a, cJSON_CreateString(v[i])))
			return VG_ENOMEM;
	return a ? VG_OK : VG_ENOMEM;
}

static int ext_json(const struct vg_wl_entry *e, const char *list, cJSON *x)
{
	const struct vg_person *p = &e->person;
	char date[16];
	int rc = VG_OK;
	if (!cJSON_AddStringToObject(x, "extension_type", "property-extension") ||
	    !cJSON_AddStringToObject(x, "list", list) ||
	    !cJSON_AddStringToObject(x, "reference_number", e->ref ? e->ref : "") ||
	    !cJSON_AddStringToObject(x, "kind", vg_wl_kind_name(e->kind)))
		return VG_ENOMEM;
	if (e->listed_on.year) {
		vg_pdate_format(&e->listed_on, date);
		if (!cJSON_AddStringToObject(x, "listed_on", date))
			return VG_ENOMEM;
	}
	rc = strings(x, "programs", e->programs, e->n_programs);
	cJSON *names = rc ? NULL : cJSON_AddArrayToObject(x, "names");
	for (size_t i = 0; names && i < p->n_names; i++) {
		cJSON *n = cJSON_CreateObject();
		if (!n || !cJSON_AddItemToArray(names, n))
			return VG_ENOMEM;
		add_str(n, "full", p->names[i].full);
		add_str(n, "surname", p->names[i].surname);
		add_str(n, "given", p->names[i].given);
		add_str(n, "quality", qualities[p->names[i].quality & 3]);
	}
	if (!names)
		return VG_ENOMEM;
	if (p->n_dobs) {
		cJSON *dobs = cJSON_AddArrayToObject(x, "dates_of_birth");
		for (size_t i = 0; dobs && i < p->n_dobs; i++) {
			cJSON *d = cJSON_CreateObject();
			if (!d || !cJSON_AddItemToArray(dobs, d))
				return VG_ENOMEM;
			add_str(d, "kind", dob_kinds[p->dobs[i].kind % 3]);
			vg_pdate_format(&p->dobs[i].from, date);
			add_str(d, p->dobs[i].kind == VG_DOB_BETWEEN ? "from" : "date",
				date);
			if (p->dobs[i].kind == VG_DOB_BETWEEN) {
				vg_pdate_format(&p->dobs[i].to, date);
				add_str(d, "to", date);
			}
		}
	}
	if (!rc)
		rc = strings(x, "places_of_birth", p->places_of_birth,
			     p->n_places_of_birth);
	if (!rc)
		rc = strings(x, "nationalities", p->nationalities,
			     p->n_nationalities);
	if (!rc && p->gender)
		add_str(x, "gender", p->gender == VG_GENDER_MALE ? "male" : "female");
	if (!rc && p->n_docs) {
		cJSON *docs = cJSON_AddArrayToObject(x, "documents");
		for (size_t i = 0; docs && i < p->n_docs; i++) {
			cJSON *d = cJSON_CreateObject();
			if (!d || !cJSON_AddItemToArray(docs, d))
				return VG_ENOMEM;
			add_str(d, "type", p->docs[i].type);
			add_str(d, "number", p->docs[i].number);
			if (p->docs[i].country[0])
				add_str(d, "country", p->docs[i].country);
		}
	}
	if (!rc)
		rc = strings(x, "addresses", e->addresses, e->n_addresses);
	if (!rc && e->comments && *e->comments)
		add_str(x, "comments", e->comments);
	return rc;
}

static int print(cJSON *o, struct vg_buf *out)
{
	char *s = cJSON_PrintUnformatted(o);
	if (!s)
		return VG_ENOMEM;
	int rc = vg_buf_puts(out, s);
	cJSON_free(s);
	return rc;
}

int vg_wl_stix_json(const struct vg_wl_entry *e, const char *list,
		    const char *id, const char *created, const char *modified,
		    int revoked, struct vg_buf *out)
{
	const char *cls = e->kind == VG_WL_INDIVIDUAL ? "individual"
			  : e->kind == VG_WL_ENTITY   ? "organization"
						      : "unspecified";
	const char *name = e->person.n_names && e->person.names[0].full[0]
				   ? e->person.names[0].full
				   : (e->ref ? e->ref : "unnamed");
	cJSON *o = cJSON_CreateObject(), *exts, *x;
	int rc = VG_ENOMEM;
	if (!o || !cJSON_AddStringToObject(o, "type", "identity") ||
	    !cJSON_AddStringToObject(o, "spec_version", "2.1") ||
	    !cJSON_AddStringToObject(o, "id", id) ||
	    !cJSON_AddStringToObject(o, "created", created) ||
	    !cJSON_AddStringToObject(o, "modified", modified) ||
	    !cJSON_AddStringToObject(o, "name", name) ||
	    !cJSON_AddStringToObject(o, "identity_class", cls) ||
	    (revoked && !cJSON_AddTrueToObject(o, "revoked")) ||
	    !(exts = cJSON_AddObjectToObject(o, "extensions")) ||
	    !(x = cJSON_AddObjectToObject(exts, VG_WL_EXT_ID)))
		goto out;
	rc = ext_json(e, list ? list : e->list, x);
	if (!rc)
		rc = print(o, out);
out:
	cJSON_Delete(o);
	return rc;
}

int vg_wl_stix_definition_json(struct vg_buf *out)
{
	return vg_buf_puts(
		out,
		"{\"type\":\"extension-definition\",\"spec_version\":\"2.1\","
		"\"id\":\"" VG_WL_EXT_ID "\",\"created\":\"2026-11-29T00:00:00.000Z\","
		"\"modified\":\"2026-11-29T00:00:00.000Z\",\"created_by_ref\":\""
		VG_WL_IDENTITY_ID "\",\"name\":\"vigil watchlist entry\","
		"\"description\":\"A person or entity on a sanctions or watch "
		"list: names and aliases with their quality, dates of birth with "
		"their precision, places of birth, nationalities, gender, "
		"documents, the list, reference number, programs and listing "
		"date.\",\"schema\":\"Properties: list (string), reference_number "
		"(string), kind (individual|entity|vessel|aircraft), listed_on "
		"(YYYY[-MM[-DD]]), programs (list of string), names (list of "
		"{full, surname, given, quality: primary|good|low|original}), "
		"dates_of_birth (list of {kind: exact|approximate, date} or {kind: "
		"between, from, to}), places_of_birth, nationalities (ISO 3166-1 "
		"alpha-2), gender (male|female), documents (list of {type, "
		"number, country}), addresses, comments. See vigil "
		"docs/watchlists.md.\",\"version\":\"1.0.0\","
		"\"extension_types\":[\"property-extension\"]}");
}

int vg_wl_stix_definer_json(struct vg_buf *out)
{
	return vg_buf_puts(out,
			   "{\"type\":\"identity\",\"spec_version\":\"2.1\",\"id\":\""
			   VG_WL_IDENTITY_ID "\",\"created\":\"2026-11-29T00:00:00.000Z\","
			   "\"modified\":\"2026-11-29T00:00:00.000Z\",\"name\":\"vigil\","
			   "\"identity_class\":\"system\"}");
}

const cJSON *vg_wl_stix_ext(const cJSON *obj)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(obj, "extensions"), VG_WL_EXT_ID);
	return cJSON_IsObject(x) ? x : NULL;
}

static const char *jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int quality(const char *s)
{
	for (int i = 0; s && i < 4; i++)
		if (!strcmp(s, qualities[i]))
			return i;
	return -1;
}

int vg_wl_stix_person(const cJSON *obj, struct vg_person *p,
		      struct vg_wl_ref *ref)
{
	const cJSON *x = vg_wl_stix_ext(obj);
	const cJSON *v;
	int rc = VG_OK;
	if (!x)
		return VG_ENOTFOUND;
	const char *list = jstr(x, "list"), *num = jstr(x, "reference_number");
	const char *kind = jstr(x, "kind");
	if (!list || !num)
		return VG_EINVAL;
	snprintf(ref->list, sizeof(ref->list), "%s", list);
	snprintf(ref->ref, sizeof(ref->ref), "%s", num);
	snprintf(ref->name, sizeof(ref->name), "%s",
		 jstr(obj, "name") ? jstr(obj, "name") : "");
	p->kind = kind && strcmp(kind, "individual") ? VG_PERSON_ENTITY
						     : VG_PERSON_INDIVIDUAL;
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(x, "names"))
	{
		int q = quality(jstr(v, "quality"));
		if (!jstr(v, "full") || q < 0)
			return VG_EINVAL;
		rc = vg_person_add_name(p, jstr(v, "full"), jstr(v, "surname"),
					jstr(v, "given"), (enum vg_name_quality)q);
		if (rc)
			return rc;
	}
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(x, "dates_of_birth"))
	{
		struct vg_dob d = {0};
		const char *k = jstr(v, "kind");
		int between = k && !strcmp(k, "between");
		d.kind = between ? VG_DOB_BETWEEN
			 : k && !strcmp(k, "approximate") ? VG_DOB_APPROX
							  : VG_DOB_EXACT;
		if (vg_pdate_parse(jstr(v, between ? "from" : "date")
					   ? jstr(v, between ? "from" : "date")
					   : "",
				   &d.from) ||
		    (between && vg_pdate_parse(jstr(v, "to") ? jstr(v, "to") : "",
					       &d.to)))
			continue; /* an unreadable date is no evidence */
		if ((rc = vg_person_add_dob(p, &d)))
			return rc;
	}
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(x, "places_of_birth"))
		if (cJSON_IsString(v) &&
		    (rc = vg_person_add_place_of_birth(p, v->valuestring)))
			return rc;
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(x, "nationalities"))
		if (cJSON_IsString(v) &&
		    (rc = vg_person_add_nationality(p, v->valuestring)))
			return rc;
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(x, "documents"))
		if (jstr(v, "number") &&
		    (rc = vg_person_add_doc(p, jstr(v, "type"), jstr(v, "number"),
					    jstr(v, "country"))))
			return rc;
	const char *g = jstr(x, "gender");
	p->gender = !g ? VG_GENDER_UNKNOWN
		    : !strcmp(g, "male") ? VG_GENDER_MALE
		    : !strcmp(g, "female") ? VG_GENDER_FEMALE
					   : VG_GENDER_UNKNOWN;
	return VG_OK;
}

int vg_wl_stix_content(const cJSON *obj, struct vg_buf *out)
{
	const cJSON *x = vg_wl_stix_ext(obj);
	if (!x)
		return VG_ENOTFOUND;
	char *s = cJSON_PrintUnformatted(x);
	if (!s)
		return VG_ENOMEM;
	int rc = vg_buf_printf(out, "%s|%s|", jstr(obj, "name") ? jstr(obj, "name") : "",
			       jstr(obj, "identity_class") ? jstr(obj, "identity_class")
							   : "");
	if (!rc)
		rc = vg_buf_puts(out, s);
	cJSON_free(s);
	return rc;
}
