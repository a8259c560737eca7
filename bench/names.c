/* Name-matching quality on the labelled pairs of name-bench-cases.csv:
 * precision, recall and F1 of vigil's matcher at its default threshold,
 * overall and per case group, schema and category, beside a plain
 * sorted-token Jaro-Winkler reference computed in the same run.
 * Usage: bench_names name-bench-cases.csv [-v] (-v lists every error). */
#include "vigil/util/error.h"
#include "vigil/names/match.h"
#include "vigil/names/person.h"

#include "ref_jw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS 4096
#define MAX_FIELDS 8
#define REF_THRESHOLD 0.90 /* a usual setting for plain Jaro-Winkler */

struct row {
	char *f[MAX_FIELDS]; /* case_group schema name1 name2 is_match quality
	                        category notes */
	int label;
	double ours, ref;
};

/* One CSV record (RFC 4180 quoting) from *p; fields point into a copy. */
static int parse_record(char **p, char **f, int max)
{
	char *s = *p, *w;
	int n = 0;
	if (!*s)
		return -1;
	while (n < max) {
		f[n++] = w = s;
		if (*s == '"') {
			s++;
			for (;;) {
				if (!*s)
					break;
				if (*s == '"' && s[1] == '"') {
					*w++ = '"';
					s += 2;
				} else if (*s == '"') {
					s++;
					break;
				} else
					*w++ = *s++;
			}
		}
		while (*s && *s != ',' && *s != '\n' && *s != '\r')
			*w++ = *s++;
		char c = *s;
		if (c)
			s++;
		if (c == '\r' && *s == '\n')
			s++;
		*w = '\0';
		if (c == ',')
			continue;
		break;
	}
	*p = s;
	return n;
}

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	long n;
	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) || (n = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) || !(buf = malloc((size_t)n + 1)) ||
	    fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		free(buf);
		fclose(fp);
		return NULL;
	}
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

/* ---- the reference: sorted-token Jaro-Winkler (ref_jw.h) ------ */

static UTransliterator *ref_tr;

static double ref_score(const char *a, const char *b)
{
	char ka[1024], kb[1024];
	ref_jw_key(ref_tr, a, ka, sizeof(ka));
	ref_jw_key(ref_tr, b, kb, sizeof(kb));
	return ref_jw_keys(ka, kb);
}

/* ---- tallies ---------------------------------------------------- */

struct tally {
	int tp, fp, fn, tn;
};

static void count(struct tally *t, int label, double s, double thr)
{
	int pred = s >= thr;
	if (pred && label)
		t->tp++;
	else if (pred)
		t->fp++;
	else if (label)
		t->fn++;
	else
		t->tn++;
}

static void prf(const struct tally *t, double *p, double *r, double *f)
{
	*p = t->tp + t->fp ? (double)t->tp / (t->tp + t->fp) : 0;
	*r = t->tp + t->fn ? (double)t->tp / (t->tp + t->fn) : 0;
	*f = *p + *r > 0 ? 2 * *p * *r / (*p + *r) : 0;
}

/* A ratio, or "-" when it has no denominator (a group without a single
 * labelled match has no recall). */
static const char *ratio(char *buf, int num, int den)
{
	if (!den)
		return "    -";
	snprintf(buf, 8, "%5.3f", (double)num / den);
	return buf;
}

static const char *f1(char *buf, const struct tally *t)
{
	if (!t->tp)
		return t->fp + t->fn ? "0.000" : "    -";
	snprintf(buf, 8, "%5.3f", 2.0 * t->tp / (2 * t->tp + t->fp + t->fn));
	return buf;
}

static void print_line(const char *name, const struct row *rows, size_t n,
                       int field, const char *value, double thr)
{
	struct tally a = {0}, b = {0};
	char x[6][8];
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (field >= 0 && strcmp(rows[i].f[field], value))
			continue;
		k++;
		count(&a, rows[i].label, rows[i].ours, thr);
		count(&b, rows[i].label, rows[i].ref, REF_THRESHOLD);
	}
	printf("%-34.34s %4zu | %s %s %s  %3d %3d %3d %3d | %s %s %s\n", name,
	       k, ratio(x[0], a.tp, a.tp + a.fp),
	       ratio(x[1], a.tp, a.tp + a.fn), f1(x[2], &a), a.tp, a.fp, a.fn,
	       a.tn, ratio(x[3], b.tp, b.tp + b.fp),
	       ratio(x[4], b.tp, b.tp + b.fn), f1(x[5], &b));
}

static void by_field(const struct row *rows, size_t n, int field,
                     const char *title, double thr)
{
	const char *seen[256];
	size_t ns = 0;
	printf("\nby %s\n", title);
	for (size_t i = 0; i < n; i++) {
		const char *v = rows[i].f[field];
		size_t j;
		for (j = 0; j < ns && strcmp(seen[j], v); j++)
			;
		if (j < ns || ns == 256)
			continue;
		seen[ns++] = v;
		print_line(v[0] ? v : "(none)", rows, n, field, v, thr);
	}
}

static double best_threshold(const struct row *rows, size_t n, int ref,
                             double *best_f)
{
	double bt = 0;
	*best_f = 0;
	for (int k = 30; k <= 99; k++) {
		struct tally t = {0};
		double p, r, f, thr = k / 100.0;
		for (size_t i = 0; i < n; i++)
			count(&t, rows[i].label,
			      ref ? rows[i].ref : rows[i].ours, thr);
		prf(&t, &p, &r, &f);
		if (f > *best_f) {
			*best_f = f;
			bt = thr;
		}
	}
	return bt;
}

static enum vg_person_kind kind_of(const char *schema)
{
	return strcmp(schema, "Person") ? VG_PERSON_ENTITY
	                                : VG_PERSON_INDIVIDUAL;
}

int main(int argc, char **argv)
{
	static struct row rows[MAX_ROWS];
	struct vg_match_scratch *s = NULL;
	struct vg_match_explain ex;
	struct vg_buf line;
	size_t n = 0;
	int verbose = argc > 2 && !strcmp(argv[2], "-v");
	char *csv, *p;
	if (argc < 2) {
		fprintf(stderr,
		        "usage: bench_names name-bench-cases.csv [-v]\n");
		return 2;
	}
	csv = slurp(argv[1]);
	if (!csv) {
		fprintf(stderr, "bench_names: cannot read '%s'\n", argv[1]);
		return 1;
	}
	ref_tr = ref_jw_open();
	if (!ref_tr || vg_match_scratch_new(NULL, &s)) {
		fprintf(stderr, "bench_names: cannot open ICU\n");
		return 1;
	}
	vg_buf_init(&line, 0);
	p = csv;
	char *hdr[MAX_FIELDS];
	parse_record(&p, hdr, MAX_FIELDS);
	while (n < MAX_ROWS) {
		struct row *r = &rows[n];
		int nf = parse_record(&p, r->f, MAX_FIELDS);
		if (nf < 0)
			break;
		if (nf < 7) {
			fprintf(stderr, "bench_names: line %zu: %d fields\n",
			        n + 2, nf);
			return 1;
		}
		for (int k = nf; k < MAX_FIELDS; k++)
			r->f[k] = "";
		r->label = !strcmp(r->f[4], "true");
		n++;
	}
	for (size_t i = 0; i < n; i++) {
		struct row *r = &rows[i];
		struct vg_person a, b;
		vg_person_init(&a);
		vg_person_init(&b);
		a.kind = b.kind = kind_of(r->f[1]);
		if (vg_person_add_name(&a, r->f[2], NULL, NULL,
		                       VG_NAME_PRIMARY) ||
		    vg_person_add_name(&b, r->f[3], NULL, NULL,
		                       VG_NAME_PRIMARY) ||
		    vg_match_persons(s, &a, &b, &r->ours, &ex)) {
			fprintf(stderr, "bench_names: scoring failed\n");
			return 1;
		}
		r->ref = ref_score(r->f[2], r->f[3]);
		if (verbose &&
		    (r->ours >= VG_MATCH_DEFAULT_THRESHOLD) != r->label) {
			vg_buf_reset(&line);
			vg_match_explain_line(&ex, &line);
			printf("%s %s/%s: %s\n", r->label ? "FN" : "FP",
			       r->f[0], r->f[1], line.data);
		}
		vg_person_release(&a);
		vg_person_release(&b);
	}

	double thr = VG_MATCH_DEFAULT_THRESHOLD, bf, rbf;
	double bt = best_threshold(rows, n, 0, &bf);
	double rbt = best_threshold(rows, n, 1, &rbf);
	printf("name-bench-cases: %zu pairs; vigil at threshold %.2f, "
	       "reference (sorted-token Jaro-Winkler) at %.2f\n",
	       n, thr, REF_THRESHOLD);
	printf("%-34s %4s | %-5s %-5s %-5s  %3s %3s %3s %3s | %-5s %-5s %-5s\n",
	       "", "n", "P", "R", "F1", "tp", "fp", "fn", "tn", "refP", "refR",
	       "refF1");
	print_line("ALL", rows, n, -1, NULL, thr);
	by_field(rows, n, 0, "case_group", thr);
	by_field(rows, n, 1, "schema", thr);
	by_field(rows, n, 6, "category", thr);
	printf("\nbest threshold: vigil %.2f (F1 %.3f); reference %.2f "
	       "(F1 %.3f)\n",
	       bt, bf, rbt, rbf);
	printf("vigil F1 by threshold:");
	for (int k = 60; k <= 80; k += 2) {
		struct tally t = {0};
		double p, r, f;
		for (size_t i = 0; i < n; i++)
			count(&t, rows[i].label, rows[i].ours, k / 100.0);
		prf(&t, &p, &r, &f);
		printf(" %.2f:%.3f", k / 100.0, f);
	}
	printf("\n");
	vg_buf_release(&line);
	vg_match_scratch_free(s);
	utrans_close(ref_tr);
	free(csv);
	return 0;
}
