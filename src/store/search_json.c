/* The search clauses on an object's parsed JSON text (search_json.h). */
#include "search_json.h"

#include <cjson/cJSON.h>
#include <string.h>

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
		while (i < n && s[i] &&
		       fold((unsigned char)s[i]) == fold((unsigned char)w[i]))
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
	{
		if (cJSON_IsString(e) && !strcmp(e->valuestring, want))
			return 1;
	}
	return 0;
}

int vg__search_json_any(const struct vg_query *q)
{
	return q->n_words || q->label || q->marking || q->ref;
}

int vg__search_json(const struct vg_query *q, const char *json, size_t len)
{
	if (!vg__search_json_any(q))
		return 1;
	cJSON *j = cJSON_ParseWithLength(json, len);
	int ok = j != NULL;
	for (size_t i = 0; ok && i < q->n_words; i++) {
		const char *name = str_at(j, "name");
		const char *desc = str_at(j, "description");
		ok = contains(name ? name : "", q->words[i]) ||
		     contains(desc ? desc : "", q->words[i]);
	}
	if (ok && q->label)
		ok = has_value(j, "labels", q->label);
	if (ok && q->marking)
		ok = has_value(j, "object_marking_refs", q->marking);
	if (ok && q->ref) {
		const char *a = str_at(j, "source_ref");
		const char *b = str_at(j, "target_ref");
		const char *c = str_at(j, "sighting_of_ref");
		ok = (a && !strcmp(a, q->ref)) || (b && !strcmp(b, q->ref)) ||
		     (c && !strcmp(c, q->ref));
	}
	cJSON_Delete(j);
	return ok;
}
