/* Parsing and checking TAXII 2.1 query parameters (taxii_filter.h). */
#include "vigil/taxii/filter.h"
#include "vigil/util/error.h"
#include "vigil/util/num.h"
#include "vigil/stix/stix.h"
#include "vigil/util/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int bad(char *err, size_t n, const char *fmt, const char *name,
	       const char *value)
{
	snprintf(err, n, fmt, name, value);
	return VG_EINVAL;
}

static int type_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 3 || n > 250)
		return 0;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '-'))
			return 0;
	return 1;
}

static int spec_ok(const char *s)
{
	/* N.N */
	const char *p = s;
	if (*p < '0' || *p > '9')
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p++ != '.' || *p < '0' || *p > '9')
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	return !*p && p - s <= 10;
}

/* Split value on commas into out (copies), checking each with ok. */
static int split(const char *name, const char *value, char **out, size_t *n,
		 int (*ok)(const char *), char *err, size_t errlen)
{
	const char *p = value;
	for (;;) {
		const char *c = strchr(p, ',');
		size_t len = c ? (size_t)(c - p) : strlen(p);
		if (*n == VG_TAXII_MAX_TERMS)
			return bad(err, errlen, "'%s': more than 100 values%s", name, "");
		char *v = strndup(p, len);
		if (!v)
			return VG_ENOMEM;
		if (!len || (ok && !ok(v))) {
			int rc = bad(err, errlen, "'%s': '%s' is not a valid value",
				     name, v);
			free(v);
			return rc;
		}
		out[(*n)++] = v;
		if (!c)
			return VG_OK;
		p = c + 1;
	}
}

static int id_ok(const char *s)
{
	return vg_stix_id_valid(s, NULL);
}

static int version_values(struct vg_taxii_filter *f, const char *name,
			  const char *value, char *err, size_t errlen)
{
	char *terms[VG_TAXII_MAX_TERMS];
	size_t n = 0;
	int rc = split(name, value, terms, &n, NULL, err, errlen);
	for (size_t i = 0; !rc && i < n; i++) {
		char key[VG_TS_KEY_LEN];
		if (!strcmp(terms[i], "last")) {
			f->versions |= VG_VERSIONS_LAST;
		} else if (!strcmp(terms[i], "first")) {
			f->versions |= VG_VERSIONS_FIRST;
		} else if (!strcmp(terms[i], "all")) {
			if (n != 1)
				rc = bad(err, errlen, "'%s': 'all' must stand alone%s",
					 name, "");
			f->versions |= VG_VERSIONS_ALL;
		} else if (!vg_ts_key_of(terms[i], key)) {
			f->versions |= VG_VERSIONS_LIST;
			char *k = strdup(key);
			if (!k)
				rc = VG_ENOMEM;
			else
				f->version_keys[f->n_version_keys++] = k;
		} else {
			rc = bad(err, errlen, "'%s': '%s' is not first, last, all "
					      "or a timestamp", name, terms[i]);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(terms[i]);
	return rc;
}

int vg_taxii_filter_add(struct vg_taxii_filter *f, const char *name,
			const char *value, char *err, size_t errlen)
{
	static const struct {
		const char *name;
		unsigned bit;
	} known[] = {
		{"added_after", VG_TF_ADDED_AFTER}, {"limit", VG_TF_LIMIT},
		{"next", VG_TF_NEXT}, {"match[id]", VG_TF_ID},
		{"match[type]", VG_TF_TYPE}, {"match[version]", VG_TF_VERSION},
		{"match[spec_version]", VG_TF_SPEC_VERSION},
	};
	unsigned bit = 0;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(name, known[i].name))
			bit = known[i].bit;
	if (!bit) /* match[foo] too: refused, never silently ignored */
		return bad(err, errlen, "'%s' is not a parameter of this "
					"endpoint%s", name, "");
	if (f->seen & bit)
		return bad(err, errlen, "'%s' given more than once%s", name, "");
	f->seen |= bit;
	if (!value)
		value = "";
	switch (bit) {
	case VG_TF_ADDED_AFTER:
		if (vg_time_parse_us(value, &f->added_after))
			return bad(err, errlen, "'%s': '%s' is not a timestamp",
				   name, value);
		return VG_OK;
	case VG_TF_LIMIT: {
		/* digits only; more than a page holds is cut to a page */
		uint64_t v;
		if (vg_num_uint(value, 1, INT64_MAX, &v))
			return bad(err, errlen, "'%s': '%s' is not a positive "
						"integer", name, value);
		f->limit = v > VG_TAXII_MAX_LIMIT ? VG_TAXII_MAX_LIMIT : (size_t)v;
		return VG_OK;
	}
	case VG_TF_NEXT:
		if (!*value || strlen(value) >= sizeof(f->next))
			return bad(err, errlen, "'%s': '%s' is not a valid cursor",
				   name, value);
		snprintf(f->next, sizeof(f->next), "%s", value);
		return VG_OK;
	case VG_TF_ID:
		return split(name, value, f->ids, &f->n_ids, id_ok, err, errlen);
	case VG_TF_TYPE:
		return split(name, value, f->types, &f->n_types, type_ok, err,
			     errlen);
	case VG_TF_VERSION:
		return version_values(f, name, value, err, errlen);
	case VG_TF_SPEC_VERSION:
		return split(name, value, f->spec_versions, &f->n_spec_versions,
			     spec_ok, err, errlen);
	}
	return VG_OK;
}

int vg_taxii_filter_allowed(const struct vg_taxii_filter *f, unsigned allowed,
			    char *err, size_t errlen)
{
	static const char *const names[] = {
		"added_after", "limit", "next", "match[id]", "match[type]",
		"match[version]", "match[spec_version]",
	};
	for (int i = 0; i < 7; i++)
		if ((f->seen & (1u << i)) && !(allowed & (1u << i)))
			return bad(err, errlen, "'%s' is not a parameter of this "
						"endpoint%s", names[i], "");
	return VG_OK;
}

static int list(struct vg_buf *out, const char *tag, char *const *v, size_t n)
{
	int rc = vg_buf_printf(out, "|%s=", tag);
	for (size_t i = 0; !rc && i < n; i++)
		rc = vg_buf_printf(out, "%s%s", i ? "," : "", v[i]);
	return rc;
}

int vg_taxii_filter_canon(const struct vg_taxii_filter *f, struct vg_buf *out)
{
	int rc = vg_buf_printf(out, "a=%lld|v=%u", (long long)f->added_after,
			       f->versions);
	if (!rc)
		rc = list(out, "i", f->ids, f->n_ids);
	if (!rc)
		rc = list(out, "t", f->types, f->n_types);
	if (!rc)
		rc = list(out, "k", f->version_keys, f->n_version_keys);
	if (!rc)
		rc = list(out, "s", f->spec_versions, f->n_spec_versions);
	return rc;
}

void vg_taxii_filter_release(struct vg_taxii_filter *f)
{
	for (size_t i = 0; i < f->n_ids; i++)
		free(f->ids[i]);
	for (size_t i = 0; i < f->n_types; i++)
		free(f->types[i]);
	for (size_t i = 0; i < f->n_version_keys; i++)
		free(f->version_keys[i]);
	for (size_t i = 0; i < f->n_spec_versions; i++)
		free(f->spec_versions[i]);
	memset(f, 0, sizeof(*f));
}
