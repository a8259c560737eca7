/* libFuzzer target: audit entries as JSON (audit/audit_hash.c
 * vg_audit_entry_json), what `vigil audit show --json` and GET
 * /api/v1/audit print. The input, after 9 bytes of numbers and flags, is
 * cut at NUL bytes into the entry's text fields (actor, action, target,
 * source, purpose, auth) and then detail keys and values, which are
 * written with the JSON writer as the service does (a value starting with
 * '#' is a number, '!' a boolean, '~' null, '^' a string cut to at most
 * the next byte's value in bytes); or, with a flag, the rest is taken as
 * the detail text itself, as a log altered by hand may hold it. Aborts
 * unless the output is one strictly valid JSON object (jstream and cJSON)
 * on one line, with no byte the encoder escapes, holding exactly the
 * intended keys in order and the intended values: the strings as given,
 * with every byte that is not UTF-8 replaced by U+FFFD (computed here). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "vigil/audit/audit.h"
#include "vigil/util/buf.h"
#include "vigil/util/error.h"
#include "vigil/util/jsonw.h"
#include "vigil/util/jstream.h"
#include "vigil/util/timefmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ITEMS 16

/* The length of the well-formed UTF-8 sequence at p (Unicode 15, table
 * 3-7), or 0. */
static size_t seq_len(const unsigned char *p, size_t n)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xbf;
	size_t len;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c == 0xe0)
		len = 3, lo = 0xa0;
	else if (c == 0xed)
		len = 3, hi = 0x9f;
	else if (c >= 0xe1 && c <= 0xef)
		len = 3;
	else if (c == 0xf0)
		len = 4, lo = 0x90;
	else if (c == 0xf4)
		len = 4, hi = 0x8f;
	else if (c >= 0xf1 && c <= 0xf3)
		len = 4;
	else
		return 0;
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return len;
}

/* s as the encoder must give it back: each byte that is not part of a
 * well-formed sequence becomes U+FFFD; with max, only the whole
 * characters (a replaced byte counts as one) within max input bytes. */
static void expect_str(const char *s, size_t max, struct vg_buf *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), used = 0;
	vg_buf_reset(out);
	while (used < n) {
		size_t k = seq_len(p + used, n - used);
		if (used + (k ? k : 1) > max)
			break;
		if (k ? vg_buf_append(out, p + used, k)
		      : vg_buf_puts(out, "\xef\xbf\xbd"))
			abort();
		used += k ? k : 1;
	}
	if (vg_buf_append(out, "", 0))
		abort();
}

static void check_str(const cJSON *v, const char *s, size_t max)
{
	struct vg_buf want;
	vg_buf_init(&want, 0);
	expect_str(s ? s : "", max, &want);
	if (!cJSON_IsString(v) || strcmp(v->valuestring, want.data)) {
		fprintf(stderr, "'%s' came back as '%s'\n", want.data,
		        cJSON_IsString(v) ? v->valuestring : "(not a string)");
		abort();
	}
	vg_buf_release(&want);
}

/* No byte the encoder escapes: controls (so no new line), DEL, < > &,
 * U+2028 and U+2029. */
static int inert(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '<' || *p == '>' ||
		    *p == '&' ||
		    (p[0] == 0xe2 && p[1] == 0x80 &&
		     (p[2] == 0xa8 || p[2] == 0xa9)))
			return 0;
	return 1;
}

static int count(void *ud, const char *json, size_t len, size_t index)
{
	(void)json;
	(void)len;
	(void)index;
	++*(size_t *)ud;
	return VG_OK;
}

/* Strictly valid JSON (RFC 8259, UTF-8): the project's own validator. */
static int strict(const char *s)
{
	size_t n = 0;
	struct vg_jstream *js = vg_jstream_new(1 << 24, count, &n);
	if (!js)
		abort();
	int rc = vg_jstream_feed(js, s, strlen(s));
	if (!rc)
		rc = vg_jstream_finish(js);
	vg_jstream_free(js);
	return !rc;
}

struct item {
	const char *key, *value;
	char kind; /* 's' string, 'n' number, 'b' boolean, 'z' null, 'c' cut */
	size_t max;
	int64_t num;
};

/* The next NUL-terminated field of [*p, end), or NULL past the end. */
static const char *next_field(const char **p, const char *end)
{
	if (*p >= end)
		return NULL;
	const char *f = *p;
	*p += strlen(f) + 1;
	return f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = {
	    "seq",    "time",   "actor",   "org",  "action", "target",
	    "detail", "source", "purpose", "auth", "hash",
	};
	if (size < 9)
		return 0;
	unsigned flags = data[0];
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)data[1 + i] << (8 * i);
	/* a NUL-terminated copy, so that the last field ends too */
	char *text = malloc(size - 9 + 1);
	if (!text)
		abort();
	memcpy(text, data + 9, size - 9);
	text[size - 9] = '\0';
	const char *p = text, *end = text + (size - 9);
	struct vg_audit_entry e = {
	    .seq = (int64_t)(v >> 11),
	    .ts = (int64_t)v,
	    .org = (int64_t)(v ^ 0x5555555555555555u) >> 3,
	};
	for (int i = 0; i < VG_HASH_LEN; i++)
		e.hash[i] =
		    (unsigned char)(v >> (i % 8 * 8)) ^ (unsigned char)i;
	const char **fields[] = {&e.actor,  &e.action,  &e.target,
	                         &e.source, &e.purpose, &e.auth};
	for (size_t i = 0; i < 6; i++)
		*fields[i] = next_field(&p, end);

	struct vg_buf detail, out;
	struct item items[MAX_ITEMS];
	size_t n_items = 0;
	int raw = flags & 2;
	vg_buf_init(&detail, 0);
	vg_buf_init(&out, 0);
	if (raw) {
		/* the rest as it stands: a detail altered by hand */
		if (vg_buf_append(&detail, p, p < end ? strlen(p) : 0))
			abort();
	} else {
		struct vg_jw w;
		const char *k, *val;
		vg_jw_init(&w, &detail);
		vg_jw_obj(&w);
		while (n_items < MAX_ITEMS && (k = next_field(&p, end)) &&
		       (val = next_field(&p, end))) {
			struct item *it = &items[n_items++];
			it->key = k;
			it->value = val;
			it->kind = 's';
			it->max = SIZE_MAX;
			vg_jw_key(&w, k);
			switch (val[0]) {
			case '#':
				it->kind = 'n';
				it->num = strtoll(val + 1, NULL, 10);
				vg_jw_int(&w, it->num);
				break;
			case '!':
				it->kind = 'b';
				vg_jw_bool(&w, val[1] != '\0');
				break;
			case '~':
				it->kind = 'z';
				vg_jw_null(&w);
				break;
			case '^':
				it->kind = 'c';
				it->max =
				    val[1] ? (unsigned char)val[1] % 16 : 0;
				it->value = val[1] ? val + 2 : val + 1;
				vg_jw_strn(&w, it->value, it->max);
				break;
			default:
				vg_jw_str(&w, val);
			}
		}
		vg_jw_close(&w);
		if (vg_jw_end(&w))
			abort();
	}
	e.detail = detail.data ? detail.data : "";

	int with_hash = flags & 1;
	if (vg_audit_entry_json(&e, with_hash, &out))
		abort();
	/* one line, inert, strictly valid: nothing can break out of a field */
	if (!inert(out.data) || !strict(out.data))
		abort();
	const char *stop = NULL;
	cJSON *j = cJSON_ParseWithOpts(out.data, &stop, 1);
	if (!cJSON_IsObject(j))
		abort();
	/* exactly the intended keys, in order */
	size_t nk = 0;
	for (const cJSON *c = j->child; c; c = c->next, nk++)
		if (nk >= 10u + !!with_hash || strcmp(c->string, keys[nk]))
			abort();
	if (nk != 10u + !!with_hash)
		abort();
	char t[VG_TIME_LEN];
	vg_time_format_us(e.ts, t);
	const cJSON *seq = cJSON_GetObjectItemCaseSensitive(j, "seq");
	const cJSON *org = cJSON_GetObjectItemCaseSensitive(j, "org");
	if (!cJSON_IsNumber(seq) || seq->valuedouble != (double)e.seq ||
	    !cJSON_IsNumber(org) || org->valuedouble != (double)e.org)
		abort();
	check_str(cJSON_GetObjectItemCaseSensitive(j, "time"), t, SIZE_MAX);
	const char *names[] = {"actor",  "action",  "target",
	                       "source", "purpose", "auth"};
	for (size_t i = 0; i < 6; i++)
		check_str(cJSON_GetObjectItemCaseSensitive(j, names[i]),
		          *fields[i], SIZE_MAX);
	if (with_hash) {
		char h[2 * VG_HASH_LEN + 1];
		for (int i = 0; i < VG_HASH_LEN; i++)
			snprintf(h + 2 * i, 3, "%02x", e.hash[i]);
		check_str(cJSON_GetObjectItemCaseSensitive(j, "hash"), h,
		          SIZE_MAX);
	}

	const cJSON *d = cJSON_GetObjectItemCaseSensitive(j, "detail");
	if (raw) {
		/* kept as JSON only when it is one object that needs no
		 * escaping (then exactly as parsed), else shown as a string */
		const char *d_text = e.detail[0] ? e.detail : "{}";
		if (cJSON_IsObject(d)) {
			/* verbatim, between its key and the next */
			struct vg_buf want;
			vg_buf_init(&want, 0);
			if (vg_buf_printf(&want,
			                  ",\"detail\":%s,\"source\":", d_text))
				abort();
			if (!inert(d_text) || !strstr(out.data, want.data))
				abort();
			vg_buf_release(&want);
		} else {
			check_str(d, d_text, SIZE_MAX);
		}
	} else {
		/* a detail the writer made is always kept as JSON, exactly */
		const cJSON *c = cJSON_IsObject(d) ? d->child : NULL;
		if (!cJSON_IsObject(d))
			abort();
		for (size_t i = 0; i < n_items; i++, c = c->next) {
			struct item *it = &items[i];
			struct vg_buf key;
			vg_buf_init(&key, 0);
			expect_str(it->key, SIZE_MAX, &key);
			if (!c || strcmp(c->string, key.data))
				abort();
			vg_buf_release(&key);
			if ((it->kind == 'n' &&
			     (!cJSON_IsNumber(c) ||
			      c->valuedouble != (double)it->num)) ||
			    (it->kind == 'b' &&
			     !(it->value[1] ? cJSON_IsTrue(c)
			                    : cJSON_IsFalse(c))) ||
			    (it->kind == 'z' && !cJSON_IsNull(c)))
				abort();
			if (it->kind == 's' || it->kind == 'c')
				check_str(c, it->value, it->max);
		}
		if (c)
			abort();
	}
	cJSON_Delete(j);
	vg_buf_release(&detail);
	vg_buf_release(&out);
	free(text);
	return 0;
}
