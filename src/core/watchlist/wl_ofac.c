/* The OFAC SDN list from its four CSV files (sdn, alt, add, sdn_comments)
 * into watchlist entries. Remarks are read in wl_ofac_remarks.c. */
#include "util/csv.h"
#include "util/text.h"
#include "wl_ofac.h"
#include "vigil/util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ent_num -> entry index, sorted for binary search */
struct idx {
	long ent;
	size_t at;
};

struct ofac {
	struct vg_watchlist wl;
	struct idx *idx;
	char *err;
	size_t errlen;
};

static int idx_cmp(const void *a, const void *b)
{
	const struct idx *x = a, *y = b;
	return x->ent < y->ent ? -1 : x->ent > y->ent;
}

/* Field i of the record as UTF-8, or NULL for the null "-0-" and for
 * empty fields; clean: white space trimmed and runs made one space. The
 * files are ASCII today; anything not UTF-8 is read as ISO 8859-1, the
 * Treasury's older encoding. */
static int field_as(const struct vg__csv *c, size_t i, int clean, char **out)
{
	size_t n;
	const char *f = vg__csv_field(c, i, &n);
	char *t, *probe;
	*out = NULL;
	if (!vg__utf8_valid(f, n))
		t = vg__latin1_to_utf8(f, n);
	else
		t = strndup(f, n);
	if (!t)
		return VG_ENOMEM;
	probe = vg__dup_clean(t, strlen(t));
	if (!probe) {
		free(t);
		return VG_ENOMEM;
	}
	if (!*probe || !strcmp(probe, "-0-")) {
		free(t);
		free(probe);
		return VG_OK;
	}
	if (clean) {
		free(t);
		t = probe;
	} else {
		free(probe);
	}
	*out = t;
	return VG_OK;
}

static int field(const struct vg__csv *c, size_t i, char **out)
{
	return field_as(c, i, 1, out);
}

/* ent_num: 1-9 digits. */
static long ent_num(const struct vg__csv *c)
{
	size_t n;
	const char *f = vg__csv_field(c, 0, &n);
	while (n && *f == ' ')
		f++, n--;
	while (n && f[n - 1] == ' ')
		n--;
	return vg__digits(f, n);
}

/* Read every record of one file, checking the field count, and call fn.
 * Errors say "<file> line N: ...". */
static int each(struct ofac *o, const char *file, const char *buf, size_t len,
                size_t nfields,
                int (*fn)(struct ofac *, const struct vg__csv *, const char *))
{
	struct vg__csv c;
	char why[128];
	int rc, got;
	vg__csv_init(&c, buf, len);
	for (;;) {
		rc = vg__csv_next(&c, &got, why, sizeof(why));
		if (rc == VG_EINVAL)
			vg__errf(o->err, o->errlen, "%s %s", file, why);
		if (rc || !got)
			break;
		if (c.n != nfields) {
			vg__errf(o->err, o->errlen,
			         "%s line %zu: %zu fields, expected %zu", file,
			         c.rec_line, c.n, nfields);
			rc = VG_EINVAL;
			break;
		}
		if (ent_num(&c) < 0) {
			vg__errf(o->err, o->errlen,
			         "%s line %zu: ent_num is not a number", file,
			         c.rec_line);
			rc = VG_EINVAL;
			break;
		}
		if ((rc = fn(o, &c, file)))
			break;
	}
	vg__csv_release(&c);
	return rc;
}

static int split_programs(struct vg_wl_entry *e, const char *s)
{
	/* "SDGT] [IFSR": the CSV keeps the brackets between programs */
	int rc = VG_OK;
	while (*s && !rc) {
		const char *end = strstr(s, "] [");
		size_t n = end ? (size_t)(end - s) : strlen(s);
		char *one = vg__dup_clean(s, n);
		if (!one)
			return VG_ENOMEM;
		if (*one)
			rc = vg__wl_add_program(e, one);
		free(one);
		s += n;
		if (end)
			s += 3;
	}
	return rc;
}

/* An individual's name is "SURNAME, Given Names": split at the first
 * comma; the full name is kept as written. */
static int add_name(struct vg_wl_entry *e, const char *name,
                    enum vg_name_quality q)
{
	const char *comma = strstr(name, ", ");
	if (e->kind != VG_WL_INDIVIDUAL || !comma)
		return vg_person_add_name(&e->person, name, NULL, NULL, q);
	char *sur = strndup(name, (size_t)(comma - name));
	int rc = sur ? vg_person_add_name(&e->person, name, sur, comma + 2, q)
	             : VG_ENOMEM;
	free(sur);
	return rc;
}

static int sdn_row(struct ofac *o, const struct vg__csv *c, const char *file)
{
	char *name = NULL, *type = NULL, *prog = NULL;
	enum vg_wl_kind k = VG_WL_ENTITY;
	int rc;
	if ((rc = field(c, 1, &name)) || (rc = field(c, 2, &type)) ||
	    (rc = field(c, 3, &prog)))
		goto out;
	if (!name) {
		vg__errf(o->err, o->errlen, "%s line %zu: no SDN_Name", file,
		         c->rec_line);
		rc = VG_EINVAL;
		goto out;
	}
	if (type && !strcmp(type, "individual"))
		k = VG_WL_INDIVIDUAL;
	else if (type && !strcmp(type, "vessel"))
		k = VG_WL_VESSEL;
	else if (type && !strcmp(type, "aircraft"))
		k = VG_WL_AIRCRAFT;
	else if (type) {
		char s[64];
		vg__snippet(s, sizeof(s), type, strlen(type));
		vg__errf(o->err, o->errlen,
		         "%s line %zu: SDN_Type '%s' is not individual, "
		         "vessel, aircraft or -0-",
		         file, c->rec_line, s);
		rc = VG_EINVAL;
		goto out;
	}
	struct vg_wl_entry *e = vg__wl_add(&o->wl, k, "ofac");
	char num[16];
	if (!e) {
		rc = VG_ENOMEM;
		goto out;
	}
	snprintf(num, sizeof(num), "%ld", ent_num(c));
	if (!(e->ref = strdup(num))) {
		rc = VG_ENOMEM;
		goto out;
	}
	if ((rc = add_name(e, name, VG_NAME_PRIMARY)) ||
	    (prog && (rc = split_programs(e, prog))))
		goto out;
	/* raw: sdn_comments.csv may continue it mid-word */
	rc = field_as(c, 11, 0, &e->comments);
out:
	free(name);
	free(type);
	free(prog);
	return rc;
}

static struct vg_wl_entry *find(struct ofac *o, long ent)
{
	struct idx key = {ent, 0};
	struct idx *hit =
	    bsearch(&key, o->idx, o->wl.n_entries, sizeof(*o->idx), idx_cmp);
	return hit ? &o->wl.entries[hit->at] : NULL;
}

static struct vg_wl_entry *entry_of(struct ofac *o, const struct vg__csv *c,
                                    const char *file)
{
	struct vg_wl_entry *e = find(o, ent_num(c));
	if (!e)
		vg__errf(o->err, o->errlen,
		         "%s line %zu: ent_num %ld is not in sdn.csv", file,
		         c->rec_line, ent_num(c));
	return e;
}

static int alt_row(struct ofac *o, const struct vg__csv *c, const char *file)
{
	struct vg_wl_entry *e = entry_of(o, c, file);
	char *name;
	int rc;
	if (!e)
		return VG_EINVAL;
	if ((rc = field(c, 3, &name)) || !name)
		return rc;
	/* aka, fka and nka alike: names the entry is or was known by */
	rc = add_name(e, name, VG_NAME_GOOD);
	free(name);
	return rc;
}

static int add_row(struct ofac *o, const struct vg__csv *c, const char *file)
{
	struct vg_wl_entry *e = entry_of(o, c, file);
	char *f[3] = {NULL, NULL, NULL}, *line = NULL;
	int rc = VG_OK;
	if (!e)
		return VG_EINVAL;
	size_t n = 0;
	for (int i = 0; i < 3 && !rc; i++) {
		rc = field(c, (size_t)i + 2, &f[i]);
		if (f[i])
			n += strlen(f[i]) + 2;
	}
	if (rc || !n)
		goto out;
	if (!(line = malloc(n + 1))) {
		rc = VG_ENOMEM;
		goto out;
	}
	line[0] = '\0';
	for (int i = 0; i < 3; i++) {
		if (!f[i])
			continue;
		if (*line)
			strcat(line, ", ");
		strcat(line, f[i]);
	}
	rc = vg__wl_add_address(e, line);
out:
	for (int i = 0; i < 3; i++)
		free(f[i]);
	free(line);
	return rc;
}

/* sdn_comments.csv continues Remarks cut at the field limit of sdn.csv:
 * the text goes on mid-word, so it is appended without a separator. */
static int comment_row(struct ofac *o, const struct vg__csv *c,
                       const char *file)
{
	struct vg_wl_entry *e = entry_of(o, c, file);
	size_t n;
	const char *more;
	if (!e)
		return VG_EINVAL;
	more = vg__csv_field(c, 1, &n);
	if (!vg__utf8_valid(more, n))
		n = 0; /* not readable text: nothing to add */
	size_t have = e->comments ? strlen(e->comments) : 0;
	char *s = realloc(e->comments, have + n + 1);
	if (!s)
		return VG_ENOMEM;
	memcpy(s + have, more, n);
	s[have + n] = '\0';
	e->comments = s;
	return VG_OK;
}

static int build_index(struct ofac *o)
{
	size_t n = o->wl.n_entries;
	o->idx = malloc((n ? n : 1) * sizeof(*o->idx));
	if (!o->idx)
		return VG_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		o->idx[i].ent = strtol(o->wl.entries[i].ref, NULL, 10);
		o->idx[i].at = i;
	}
	qsort(o->idx, n, sizeof(*o->idx), idx_cmp);
	for (size_t i = 1; i < n; i++) {
		if (o->idx[i].ent == o->idx[i - 1].ent) {
			vg__errf(o->err, o->errlen,
			         "sdn.csv: ent_num %ld appears twice",
			         o->idx[i].ent);
			return VG_EINVAL;
		}
	}
	return VG_OK;
}

int vg_wl_parse_ofac(const struct vg_ofac_input *in, struct vg_watchlist *out,
                     char *err, size_t errlen)
{
	struct ofac o = {.err = err, .errlen = errlen};
	int rc;
	vg_watchlist_init(&o.wl);
	if (!in->sdn) {
		vg__errf(err, errlen, "sdn.csv: missing");
		rc = VG_EINVAL;
		goto out;
	}
	if ((rc = each(&o, "sdn.csv", in->sdn, in->sdn_len, 12, sdn_row)) ||
	    (rc = build_index(&o)))
		goto out;
	if (in->comments && (rc = each(&o, "sdn_comments.csv", in->comments,
	                               in->comments_len, 2, comment_row)))
		goto out;
	if (in->alt &&
	    (rc = each(&o, "alt.csv", in->alt, in->alt_len, 5, alt_row)))
		goto out;
	if (in->add &&
	    (rc = each(&o, "add.csv", in->add, in->add_len, 6, add_row)))
		goto out;
	for (size_t i = 0; i < o.wl.n_entries && !rc; i++) {
		struct vg_wl_entry *e = &o.wl.entries[i];
		if (!e->comments)
			continue;
		char *clean = vg__dup_clean(e->comments, strlen(e->comments));
		if (!clean) {
			rc = VG_ENOMEM;
			break;
		}
		free(e->comments);
		e->comments = clean;
		rc = vg__ofac_remarks(&e->person, e->comments);
	}
	if (rc)
		goto out;
	*out = o.wl;
	vg_watchlist_init(&o.wl);
out:
	if (rc == VG_ENOMEM)
		vg__errf(err, errlen, "out of memory");
	vg_watchlist_release(&o.wl);
	free(o.idx);
	return rc;
}
