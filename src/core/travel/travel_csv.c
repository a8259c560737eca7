/* Travel records from CSV (RFC 4180) with a header line naming the
 * columns; the columns and their rules are in docs/travel-formats.md. */
#include "util/csv.h"
#include "util/text.h"
#include "travel_rec.h"
#include "vigil/util/error.h"
#include "vigil/travel/travel.h"

#include <stdlib.h>
#include <string.h>

static const int required[] = {VG__TC_SURNAME, VG__TC_GIVEN, VG__TC_DOB};

/* Map the header's fields to columns: colmap[i] is the column of field
 * i. VG_EINVAL with err set when the header is not usable. */
static int read_header(struct vg__csv *c, int **colmap, size_t *n, char *err,
                       size_t errlen)
{
	int got, rc, seen[VG__TC_COUNT] = {0};
	char why[128];
	int *map = NULL;

	rc = vg__csv_next(c, &got, why, sizeof(why));
	if (rc == VG_EINVAL)
		vg__errf(err, errlen, "%s", why);
	if (rc)
		goto out;
	if (!got) {
		vg__errf(err, errlen, "line 1: no header line");
		rc = VG_EINVAL;
		goto out;
	}
	map = malloc(c->n * sizeof(*map));
	if (!map) {
		rc = VG_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < c->n; i++) {
		size_t len;
		const char *f = vg__csv_field(c, i, &len);
		while (len && (*f == ' ' || *f == '\t'))
			f++, len--;
		while (len && (f[len - 1] == ' ' || f[len - 1] == '\t'))
			len--;
		int col = vg__travel_col(f, len);
		char snip[64];
		vg__snippet(snip, sizeof(snip), f, len);
		if (col < 0) {
			int near = vg__travel_col_near(f, len);
			if (near >= 0)
				vg__errf(err, errlen, "line %zu: unknown column "
				         "'%s' (did you mean '%s'?)", c->rec_line,
				         snip, vg__travel_cols[near]);
			else
				vg__errf(err, errlen, "line %zu: unknown column "
				         "'%s' (the columns are %s)", c->rec_line,
				         snip, VG__TRAVEL_COLS_TEXT);
			rc = VG_EINVAL;
			goto out;
		}
		if (seen[col]++) {
			vg__errf(err, errlen,
			         "line %zu: column '%s' appears twice",
			         c->rec_line, vg__travel_cols[col]);
			rc = VG_EINVAL;
			goto out;
		}
		map[i] = col;
	}
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		if (!seen[required[i]]) {
			vg__errf(err, errlen,
			         "line %zu: missing required column '%s'",
			         c->rec_line, vg__travel_cols[required[i]]);
			rc = VG_EINVAL;
			goto out;
		}
	}
	*colmap = map;
	*n = c->n;
	map = NULL;
out:
	free(map);
	return rc;
}

int vg_travel_parse_csv(const char *buf, size_t len, struct vg_travel_list *out,
                        char *err, size_t errlen)
{
	return vg_travel_parse_csv_max(buf, len, 0, out, err, errlen);
}

int vg_travel_parse_csv_max(const char *buf, size_t len, size_t max,
                            struct vg_travel_list *out, char *err,
                            size_t errlen)
{
	struct vg__csv c;
	struct vg_travel_list l;
	int *map = NULL;
	size_t ncols = 0, records = 0;
	int rc, got;
	char why[128];

	vg__csv_init(&c, buf, len);
	vg_travel_list_init(&l);
	if ((rc = read_header(&c, &map, &ncols, err, errlen)))
		goto out;
	for (;;) {
		rc = vg__csv_next(&c, &got, why, sizeof(why));
		/* a record, good or bad, past the limit stops here */
		if ((rc == VG_EINVAL || (!rc && got)) && max && ++records > max) {
			vg__errf(err, errlen, "more than %zu travellers", max);
			rc = VG_ETOOMANY;
			goto out;
		}
		if (rc == VG_EINVAL) {
			if ((rc = vg__travel_error(&l, VG_TRAVEL_NO_RECORD,
			                           "%s", why)))
				goto out;
			continue;
		}
		if (rc || !got)
			break;
		if (c.n != ncols) {
			rc = vg__travel_error(&l, VG_TRAVEL_NO_RECORD,
			                      "line %zu: %zu field%s, the "
			                      "header has %zu",
			                      c.rec_line, c.n,
			                      c.n == 1 ? "" : "s", ncols);
			if (rc)
				goto out;
			continue;
		}
		struct vg__trec r = {0};
		for (size_t i = 0; i < ncols; i++)
			r.v[map[i]] = vg__csv_field(&c, i, &r.len[map[i]]);
		if ((rc = vg__travel_build(&l, &r, c.rec_line, "column")))
			goto out;
	}
out:
	if (rc == VG_ENOMEM)
		vg__errf(err, errlen, "out of memory");
	if (!rc) {
		*out = l;
		vg_travel_list_init(&l);
	}
	vg_travel_list_release(&l);
	vg__csv_release(&c);
	free(map);
	return rc;
}
