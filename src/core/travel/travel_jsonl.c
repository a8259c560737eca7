/* Travel records from JSON lines: one object a line, keyed by the CSV
 * column names (docs/travel-formats.md). Each line stands alone. */
#include "util/text.h"
#include "travel_rec.h"
#include "vigil/util/error.h"
#include "vigil/travel/travel.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

/* One line's object into a record; the values point into obj. Problems
 * that leave the record usable are reported against it afterwards, so
 * they are collected here as (key, problem) and replayed. */
static int line_record(struct vg_travel_list *l, const char *p, size_t n,
                       size_t line)
{
	cJSON *obj = NULL;
	struct vg__trec r = {0};
	struct {
		char key[64];
		const char *why;
	} late[16];
	size_t n_late = 0, skipped = 0;
	int rc = VG_OK;

	if (!vg__utf8_valid(p, n))
		return vg__travel_error(l, VG_TRAVEL_NO_RECORD,
		                        "line %zu: not valid UTF-8", line);
	const char *stop = NULL;
	obj = cJSON_ParseWithLengthOpts(p, n, &stop, 0);
	if (obj && stop != p + n) {
		/* something after the value: not one JSON text */
		cJSON_Delete(obj);
		obj = NULL;
	}
	if (!obj)
		return vg__travel_error(l, VG_TRAVEL_NO_RECORD,
		                        "line %zu: malformed JSON", line);
	if (!cJSON_IsObject(obj)) {
		rc = vg__travel_error(l, VG_TRAVEL_NO_RECORD,
		                      "line %zu: not a JSON object", line);
		goto out;
	}
	for (cJSON *it = obj->child; it; it = it->next) {
		const char *k = it->string ? it->string : "";
		int col = vg__travel_col(k, strlen(k));
		const char *why = NULL;
		if (col < 0)
			why = "is not a known field";
		else if (r.v[col])
			why = "appears twice";
		else if (cJSON_IsString(it) && it->valuestring)
			r.v[col] = it->valuestring,
			r.len[col] = strlen(it->valuestring);
		else if (!cJSON_IsNull(it))
			why = "is not a string";
		if (!why)
			continue;
		if (n_late < sizeof(late) / sizeof(late[0])) {
			vg__snippet(late[n_late].key, sizeof(late[0].key), k,
			            strlen(k));
			late[n_late++].why = why;
		} else {
			skipped++;
		}
	}
	if (!r.v[VG__TC_SURNAME]) {
		rc = vg__travel_error(l, VG_TRAVEL_NO_RECORD,
		                      "line %zu: missing required field "
		                      "'surname'",
		                      line);
		goto out;
	}
	size_t before = l->n_travellers;
	if ((rc = vg__travel_build(l, &r, line, "field")))
		goto out;
	size_t idx = l->n_travellers > before ? before : VG_TRAVEL_NO_RECORD;
	for (size_t i = 0; i < n_late && !rc; i++)
		rc = vg__travel_error(l, idx, "line %zu, field '%s': %s", line,
		                      late[i].key, late[i].why);
	if (!rc && skipped)
		rc = vg__travel_error(l, idx,
		                      "line %zu: %zu more fields in error",
		                      line, skipped);
out:
	cJSON_Delete(obj);
	return rc;
}

int vg_travel_parse_jsonl(const char *buf, size_t len,
                          struct vg_travel_list *out, char *err, size_t errlen)
{
	return vg_travel_parse_jsonl_max(buf, len, 0, out, err, errlen);
}

int vg_travel_parse_jsonl_max(const char *buf, size_t len, size_t max,
                              struct vg_travel_list *out, char *err,
                              size_t errlen)
{
	struct vg_travel_list l;
	const char *p = buf, *end = buf + len;
	size_t line = 0, records = 0;
	int rc = VG_OK;

	vg_travel_list_init(&l);
	if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		p += 3;
	while (p < end && !rc) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		line++;
		const char *s = p;
		while (s < e && (*s == ' ' || *s == '\t' || *s == '\r'))
			s++;
		const char *t = e;
		while (t > s &&
		       (t[-1] == ' ' || t[-1] == '\t' || t[-1] == '\r'))
			t--;
		/* every line that is not blank is a record, good or bad */
		if (t > s && max && ++records > max)
			rc = VG_ETOOMANY;
		else if (t > s)
			rc = line_record(&l, s, (size_t)(t - s), line);
		p = nl ? nl + 1 : end;
	}
	if (rc == VG_ETOOMANY) {
		vg__errf(err, errlen, "more than %zu travellers", max);
	} else if (rc) {
		vg__errf(err, errlen, "out of memory");
	} else {
		*out = l;
		vg_travel_list_init(&l);
	}
	vg_travel_list_release(&l);
	return rc;
}
