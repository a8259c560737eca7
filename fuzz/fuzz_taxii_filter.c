/* libFuzzer target: the TAXII query parameters (taxii/taxii_filter.c).
 * The input is a query string: '&'-separated name=value pairs,
 * percent-decoded, added one by one as the server does (the first error
 * ends it, as a 400 would). Aborts unless an error says why, what was
 * kept stays within the limits, vg_taxii_filter_allowed refuses exactly
 * the parameters an endpoint does not take, and the canonical text (what
 * a paging cursor is bound to) is stable: the filter parsed back from its
 * own canonical text has the same canonical text. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vigil/taxii/filter.h"
#include "vigil/util/buf.h"
#include "vigil/util/error.h"
#include "vigil/util/timefmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* s[0..n) percent-decoded ('+' is a space) into a malloc'd string; a %00
 * ends it, as it would end the C string the server passes on. */
static char *decode(const char *s, size_t n)
{
	char *out = malloc(n + 1), *o = out;
	if (!out)
		abort();
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (s[i] == '%' && i + 2 < n && (hi = hexval(s[i + 1])) >= 0 &&
		    (lo = hexval(s[i + 2])) >= 0) {
			*o++ = (char)(hi << 4 | lo);
			i += 2;
		} else {
			*o++ = s[i] == '+' ? ' ' : s[i];
		}
	}
	*o = '\0';
	return out;
}

/* Add one name=value (nul-free text); the filter's result. */
static int add(struct vg_taxii_filter *f, const char *name, const char *value)
{
	char err[512] = "";
	int rc = vg_taxii_filter_add(f, name, value, err, sizeof(err));
	if (rc == VG_EINVAL && !err[0])
		abort();
	if (rc && rc != VG_EINVAL && rc != VG_ENOMEM)
		abort();
	return rc;
}

/* The bounds the filter promises. */
static void check_kept(const struct vg_taxii_filter *f)
{
	if (f->limit > VG_TAXII_MAX_LIMIT || strlen(f->next) >= sizeof(f->next))
		abort();
	if (f->n_ids > VG_TAXII_MAX_TERMS || f->n_types > VG_TAXII_MAX_TERMS ||
	    f->n_version_keys > VG_TAXII_MAX_TERMS ||
	    f->n_spec_versions > VG_TAXII_MAX_TERMS)
		abort();
	for (size_t i = 0; i < f->n_ids; i++)
		if (!f->ids[i][0] || strchr(f->ids[i], ','))
			abort();
	for (size_t i = 0; i < f->n_types; i++)
		if (!f->types[i][0] || strchr(f->types[i], ','))
			abort();
	if (!!(f->versions & VG_VERSIONS_LIST) != !!f->n_version_keys)
		abort();
}

/* Each endpoint's parameters: allowed refuses exactly what is not in
 * its set. */
static void check_allowed(const struct vg_taxii_filter *f)
{
	static const unsigned sets[] = {
	    0,
	    0x7f,
	    VG_TF_ADDED_AFTER | VG_TF_LIMIT | VG_TF_NEXT | VG_TF_VERSION |
	        VG_TF_SPEC_VERSION,
	    VG_TF_ADDED_AFTER | VG_TF_LIMIT | VG_TF_NEXT | VG_TF_SPEC_VERSION,
	};
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		char err[200] = "";
		int rc = vg_taxii_filter_allowed(f, sets[i], err, sizeof(err));
		int expect = (f->seen & ~sets[i]) ? VG_EINVAL : VG_OK;
		if (rc != expect ||
		    (rc && !strstr(err, "is not a parameter of")))
			abort();
	}
}

/* The value of "|TAG=" in canon, up to the next '|' (copied into out). */
static const char *canon_list(const char *canon, const char *tag, char *out,
                              size_t n)
{
	char key[8];
	snprintf(key, sizeof(key), "|%s=", tag);
	const char *p = strstr(canon, key);
	if (!p)
		abort();
	p += strlen(key);
	size_t len = strcspn(p, "|");
	if (len >= n)
		abort();
	memcpy(out, p, len);
	out[len] = '\0';
	return out;
}

/* Parse canon (a=N|v=N|i=...|t=...|k=...|s=...) back into parameters. */
static void parse_canon(const char *canon, struct vg_taxii_filter *g)
{
	long long a;
	unsigned v;
	size_t n = strlen(canon) + 1;
	char *list = malloc(n), *ver = malloc(n + 32);
	if (!list || !ver || sscanf(canon, "a=%lld|v=%u|", &a, &v) != 2)
		abort();
	if (a) {
		char t[VG_TIME_LEN];
		vg_time_format_us(a, t);
		if (add(g, "added_after", t))
			abort();
	}
	ver[0] = '\0';
	if (v & VG_VERSIONS_LAST)
		strcat(ver, ",last");
	if (v & VG_VERSIONS_FIRST)
		strcat(ver, ",first");
	if (v & VG_VERSIONS_ALL)
		strcat(ver, ",all");
	if (canon_list(canon, "k", list, n)[0]) {
		strcat(ver, ",");
		strcat(ver, list);
	}
	if (ver[0] && add(g, "match[version]", ver + 1))
		abort();
	static const char *const lists[][2] = {
	    {"i", "match[id]"},
	    {"t", "match[type]"},
	    {"s", "match[spec_version]"},
	};
	for (size_t i = 0; i < 3; i++)
		if (canon_list(canon, lists[i][0], list, n)[0] &&
		    add(g, lists[i][1], list))
			abort();
	free(list);
	free(ver);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *q = (const char *)data, *end = q + size;
	struct vg_taxii_filter f = {0}, g = {0};
	int rc = VG_OK;
	while (q < end && !rc) {
		const char *amp = memchr(q, '&', (size_t)(end - q));
		const char *stop = amp ? amp : end;
		const char *eq = memchr(q, '=', (size_t)(stop - q));
		char *name = decode(q, (size_t)((eq ? eq : stop) - q));
		char *value =
		    eq ? decode(eq + 1, (size_t)(stop - eq - 1)) : NULL;
		rc = add(&f, name, value);
		free(name);
		free(value);
		q = amp ? amp + 1 : end;
	}
	check_kept(&f);
	check_allowed(&f);
	if (!rc) {
		struct vg_buf c1, c2;
		vg_buf_init(&c1, 0);
		vg_buf_init(&c2, 0);
		if (vg_taxii_filter_canon(&f, &c1))
			abort();
		parse_canon(c1.data, &g);
		if (vg_taxii_filter_canon(&g, &c2) ||
		    strcmp(c1.data, c2.data)) {
			fprintf(stderr, "canon '%s' parsed back gives '%s'\n",
			        c1.data, c2.data);
			abort();
		}
		vg_buf_release(&c1);
		vg_buf_release(&c2);
	}
	vg_taxii_filter_release(&f);
	vg_taxii_filter_release(&g);
	return 0;
}
