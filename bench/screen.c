/* Screening speed and recall: the UN and OFAC lists parsed and indexed,
 * then synthetic travellers screened on one core and on every core. A
 * known share of the travellers are planted spelling variants of listed
 * people (Muhammad/Mohd spellings, bin/ibn, al-/el-, dropped or swapped
 * name parts, one-letter typos, abd al/abdul packing), the rest fictional
 * names made from syllables (gen.h). Prints the index build time,
 * travellers/s, the time per 300-traveller manifest (on one core, and
 * split over every core as vg_screen_run does), peak RSS, the recall
 * on the planted variants and the false-hit rate on the fictional
 * travellers; writes the names of the lists and a sample of travellers
 * for the brute-force reference that bench/screen.sh runs beside it.
 * Usage: bench_screen SHARED_DIR OUT_DIR [TRAVELLERS] [PLANTED_PERMILLE]
 * [HITS_FILE [THRESHOLD]]; HITS_FILE receives every hit of the one-core
 * run (traveller, entry, score), to check that a change to the matcher
 * leaves the results as they were; THRESHOLD replaces the default. */
#include "vigil/util/error.h"
#include "vigil/stix/gen.h"
#include "vigil/names/match.h"
#include "vigil/names/person.h"
#include "vigil/watchlist/watchlist.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define MANIFEST 300
#define SEED 0x5c7ee2u
#define MAX_HITS 10
#define MAX_TOK 16
#define SAMPLE_PLANTED 1000
#define SAMPLE_FICTIONAL 9000

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double rss_mb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_maxrss / 1024.0;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;
	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) || !(buf = malloc((size_t)n + 1)) ||
	    fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "bench_screen: cannot read %s\n", path);
		exit(1);
	}
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

/* ---- the lists ------------------------------------------------------- */

static struct vg_watchlist un, ofac;
static const struct vg_wl_entry **entries; /* the index's build order */
static size_t n_entries;
static size_t *people; /* positions of individuals, the planting pool */
static size_t n_people;

static void load_lists(const char *shared)
{
	char path[4096], err[512];
	size_t len[4];
	char *buf[4];
	snprintf(path, sizeof(path), "%s/data/watchlists/un/"
				     "consolidated-2026-02-27.xml", shared);
	buf[0] = slurp(path, &len[0]);
	vg_watchlist_init(&un);
	if (vg_wl_parse_un(buf[0], len[0], &un, err, sizeof(err))) {
		fprintf(stderr, "bench_screen: UN list: %s\n", err);
		exit(1);
	}
	free(buf[0]);
	static const char *const files[] = {"sdn.csv", "alt.csv", "add.csv",
					    "sdn_comments.csv"};
	for (int i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/data/watchlists/ofac/%s", shared,
			 files[i]);
		buf[i] = slurp(path, &len[i]);
	}
	struct vg_ofac_input in = {buf[0], len[0], buf[1], len[1],
				   buf[2], len[2], buf[3], len[3]};
	vg_watchlist_init(&ofac);
	if (vg_wl_parse_ofac(&in, &ofac, err, sizeof(err))) {
		fprintf(stderr, "bench_screen: OFAC list: %s\n", err);
		exit(1);
	}
	for (int i = 0; i < 4; i++)
		free(buf[i]);
	n_entries = un.n_entries + ofac.n_entries;
	entries = malloc(n_entries * sizeof(*entries));
	people = malloc(n_entries * sizeof(*people));
	if (!entries || !people)
		exit(1);
	for (size_t i = 0; i < n_entries; i++) {
		entries[i] = i < un.n_entries ? &un.entries[i]
					      : &ofac.entries[i - un.n_entries];
		if (entries[i]->kind == VG_WL_INDIVIDUAL)
			people[n_people++] = i;
	}
}

/* ---- travellers ------------------------------------------------------ */

struct traveller {
	char full[200], surname[100], given[160];
	struct vg_name name;
	struct vg_dob dob;
	struct vg_person p;
	long src; /* the planted traveller's entry (build position), or -1 */
};

static const char *const muhammad[] = {"MUHAMMAD", "MOHAMMED", "MOHAMMAD",
				       "MOHAMED", "MUHAMMED", "MOHAMAD",
				       "MUHAMAD", "MOHD", "MOHAMMET"};
#define N_MUHAMMAD (sizeof(muhammad) / sizeof(muhammad[0]))

struct toks {
	char t[MAX_TOK][64];
	int n;
};

static int is_muhammad(const char *s)
{
	for (size_t i = 0; i < N_MUHAMMAD; i++)
		if (!strcmp(s, muhammad[i]))
			return 1;
	return !strcmp(s, "MUHAMMADU") || !strcmp(s, "MOHAMMEDU");
}

static void drop_tok(struct toks *k, int i)
{
	memmove(k->t[i], k->t[i + 1], (size_t)(k->n - i - 1) * sizeof(k->t[0]));
	k->n--;
}

/* One-letter typo in a token of 4 letters or more: a letter replaced,
 * dropped, doubled or two neighbours swapped. */
static int typo(struct toks *k, struct vg_rng *r)
{
	int cand[MAX_TOK], nc = 0;
	for (int i = 0; i < k->n; i++)
		if (strlen(k->t[i]) >= 4 && isalpha((unsigned char)k->t[i][1]))
			cand[nc++] = i;
	if (!nc)
		return 0;
	char *s = k->t[cand[vg_rng_below(r, (uint32_t)nc)]];
	size_t len = strlen(s), at = 1 + vg_rng_below(r, (uint32_t)len - 1);
	switch (vg_rng_below(r, 4)) {
	case 0:
		s[at] = (char)('A' + vg_rng_below(r, 26));
		break;
	case 1:
		memmove(s + at, s + at + 1, len - at);
		break;
	case 2:
		if (len < 60) {
			memmove(s + at + 1, s + at, len - at + 1);
		}
		break;
	default:
		if (at + 1 < len) {
			char c = s[at];
			s[at] = s[at + 1];
			s[at + 1] = c;
		}
	}
	return 1;
}

/* Apply transformation `kind` to the tokens; 0 when it does not apply. */
static int transform(struct toks *k, int kind, struct vg_rng *r)
{
	switch (kind) {
	case 0: /* another spelling of Muhammad */
		for (int i = 0; i < k->n; i++)
			if (is_muhammad(k->t[i])) {
				const char *v;
				do
					v = muhammad[vg_rng_below(r, N_MUHAMMAD)];
				while (!strcmp(v, k->t[i]));
				snprintf(k->t[i], sizeof(k->t[i]), "%s", v);
				return 1;
			}
		return 0;
	case 1: /* bin / ibn / ben */
		for (int i = 0; i < k->n; i++)
			if (!strcmp(k->t[i], "BIN") || !strcmp(k->t[i], "IBN") ||
			    !strcmp(k->t[i], "BEN")) {
				snprintf(k->t[i], sizeof(k->t[i]), "%s",
					 k->t[i][0] == 'I' ? "BIN" : "IBN");
				return 1;
			}
		return 0;
	case 2: /* al- / el-: el-, detached, attached or dropped */
		for (int i = 0; i < k->n; i++) {
			char *s = k->t[i];
			if ((!strncmp(s, "AL-", 3) || !strncmp(s, "EL-", 3)) &&
			    s[3]) {
				char rest[64];
				snprintf(rest, sizeof(rest), "%s", s + 3);
				int how = (int)vg_rng_below(r, 3);
				if (how == 0)
					snprintf(s, 64, "%s-%.58s",
						 s[0] == 'A' ? "EL" : "AL", rest);
				else if (how == 1)
					snprintf(s, 64, "%c%c%.58s", s[0], s[1], rest);
				else
					snprintf(s, 64, "%s", rest);
				return 1;
			}
			if ((!strcmp(s, "AL") || !strcmp(s, "EL")) && i + 1 < k->n) {
				s[0] = s[0] == 'A' ? 'E' : 'A';
				return 1;
			}
		}
		return 0;
	case 3: /* a part dropped (never the first) */
		if (k->n < 3)
			return 0;
		drop_tok(k, 1 + (int)vg_rng_below(r, (uint32_t)k->n - 1));
		return 1;
	case 4: /* surname first */
		if (k->n < 2)
			return 0;
		{
			char first[64];
			memcpy(first, k->t[0], sizeof(first));
			memmove(k->t[0], k->t[1],
				(size_t)(k->n - 1) * sizeof(k->t[0]));
			memcpy(k->t[k->n - 1], first, sizeof(first));
		}
		return 1;
	case 5: /* abd al X / abdul X / abdel X packed, or unpacked */
		for (int i = 0; i < k->n; i++) {
			char *s = k->t[i];
			if (!strcmp(s, "ABD") && i + 2 < k->n &&
			    (!strcmp(k->t[i + 1], "AL") ||
			     !strcmp(k->t[i + 1], "EL"))) {
				char x[64];
				snprintf(x, sizeof(x), "%s", k->t[i + 2]);
				snprintf(s, 64, "ABDUL%.50s", x);
				drop_tok(k, i + 1);
				drop_tok(k, i + 1);
				return 1;
			}
			if (!strncmp(s, "ABD AL-", 7) || !strncmp(s, "ABD-AL-", 7)) {
				char x[64];
				snprintf(x, sizeof(x), "%s", s + 7);
				snprintf(s, 64, "ABDUL%.50s", x);
				return 1;
			}
			if ((!strcmp(s, "ABDUL") || !strcmp(s, "ABDEL") ||
			     !strcmp(s, "ABDOUL")) && i + 1 < k->n) {
				char x[64];
				snprintf(x, sizeof(x), "%s", k->t[i + 1]);
				snprintf(s, 64, "ABDUL%.50s", x);
				drop_tok(k, i + 1);
				return 1;
			}
			if (!strncmp(s, "ABDUL", 5) && strlen(s) >= 8 &&
			    k->n < MAX_TOK - 1) {
				char x[64];
				snprintf(x, sizeof(x), "%s", s + 5);
				memmove(k->t[i + 2], k->t[i + 1],
					(size_t)(k->n - i - 1) * sizeof(k->t[0]));
				snprintf(k->t[i], 64, "ABD");
				snprintf(k->t[i + 1], 64, "AL-%.58s", x);
				k->n++;
				return 1;
			}
		}
		return 0;
	default:
		return typo(k, r);
	}
}

/* The entry's primary name as a traveller writes it: "Given SURNAME"
 * (OFAC writes "SURNAME, Given"), upper case, in tokens. */
static void entry_tokens(const struct vg_wl_entry *e, struct toks *k)
{
	char buf[400];
	const char *full = e->person.names[0].full, *comma = strstr(full, ", ");
	if (comma)
		snprintf(buf, sizeof(buf), "%s %.*s", comma + 2,
			 (int)(comma - full), full);
	else
		snprintf(buf, sizeof(buf), "%s", full);
	k->n = 0;
	for (char *save = NULL, *t = strtok_r(buf, " ", &save);
	     t && k->n < MAX_TOK; t = strtok_r(NULL, " ", &save)) {
		for (char *c = t; *c; c++)
			*c = (char)toupper((unsigned char)*c);
		snprintf(k->t[k->n++], sizeof(k->t[0]), "%s", t);
	}
}

static void random_dob(struct vg_rng *r, struct vg_pdate *d, int year)
{
	d->year = year ? year : 1940 + (int)vg_rng_below(r, 66);
	d->month = 1 + (int)vg_rng_below(r, 12);
	d->day = 1 + (int)vg_rng_below(r, 28);
}

static void make_traveller(struct vg_rng *r, unsigned permille,
			   struct traveller *t)
{
	struct toks k;
	memset(&t->p, 0, sizeof(t->p));
	t->src = -1;
	t->p.kind = VG_PERSON_INDIVIDUAL;
	if (vg_rng_below(r, 1000) < permille) {
		size_t at = people[vg_rng_below(r, (uint32_t)n_people)];
		const struct vg_wl_entry *e = entries[at];
		t->src = (long)at;
		entry_tokens(e, &k);
		int n = 1 + (vg_rng_below(r, 10) < 4), done = 0;
		for (int tries = 0; done < n && tries < 8; tries++)
			done += transform(&k, (int)vg_rng_below(r, 7), r);
		if (!done)
			typo(&k, r);
		/* the listed date of birth when the list gives one */
		const struct vg_pdate *ld = e->person.n_dobs
						    ? &e->person.dobs[0].from
						    : NULL;
		random_dob(r, &t->dob.from, ld ? ld->year : 0);
		if (ld && ld->month) {
			t->dob.from.month = ld->month;
			t->dob.from.day = ld->day ? ld->day : t->dob.from.day;
		}
		t->p.gender = e->person.gender;
	} else {
		char part[64];
		k.n = 1 + (int)(vg_rng_below(r, 3) == 0) + 1;
		for (int i = 0; i < k.n; i++) {
			vg_rng_name(r, part, sizeof(part));
			for (char *c = part; *c; c++)
				*c = (char)toupper((unsigned char)*c);
			snprintf(k.t[i], sizeof(k.t[i]), "%s", part);
		}
		random_dob(r, &t->dob.from, 0);
		t->p.gender = vg_rng_below(r, 2) ? VG_GENDER_MALE
						 : VG_GENDER_FEMALE;
	}
	/* given names, then the surname (the last part) */
	size_t len = 0;
	t->given[0] = '\0';
	for (int i = 0; i + 1 < k.n; i++)
		len += (size_t)snprintf(t->given + len, sizeof(t->given) - len,
					"%s%s", i ? " " : "", k.t[i]);
	snprintf(t->surname, sizeof(t->surname), "%s", k.t[k.n - 1]);
	snprintf(t->full, sizeof(t->full), "%.150s%s%.45s", t->given,
		 t->given[0] ? " " : "", t->surname);
	t->name = (struct vg_name){t->full, t->surname,
				   t->given[0] ? t->given : NULL,
				   VG_NAME_PRIMARY};
	t->dob.kind = VG_DOB_EXACT;
	t->p.names = &t->name;
	t->p.n_names = 1;
	t->p.dobs = &t->dob;
	t->p.n_dobs = 1;
}

/* Manifest m's travellers: the same whichever thread makes them. */
static size_t make_manifest(size_t m, size_t total, unsigned permille,
			    struct traveller *out)
{
	struct vg_rng r = {SEED ^ (m * 0x9e3779b97f4a7c15ull)};
	size_t n = total - m * MANIFEST < MANIFEST ? total - m * MANIFEST
						   : MANIFEST;
	for (size_t i = 0; i < n; i++)
		make_traveller(&r, permille, &out[i]);
	return n;
}

/* ---- screening ------------------------------------------------------- */

static struct vg_match_index *ix;
static size_t total;
static unsigned permille;
static FILE *dump; /* every hit of the one-core run, to compare builds */
static double threshold = VG_MATCH_DEFAULT_THRESHOLD;

struct run {
	size_t from, to; /* manifests */
	double *ms;      /* time of each manifest (one-core run), or NULL */
	size_t planted, found, fictional, false_hit, hits;
	size_t candidates, scored; /* names the keys found, entries scored */
	int rc;
};

static int has_entry(const struct vg_match_hit *h, size_t n, long src)
{
	for (size_t i = 0; i < n; i++)
		if ((long)h[i].entry == src)
			return 1;
	return 0;
}

static void *run_part(void *arg)
{
	struct run *w = arg;
	struct vg_match_scratch *sc;
	struct traveller *tv = malloc(MANIFEST * sizeof(*tv));
	struct vg_match_hit *h = malloc(MAX_HITS * sizeof(*h));
	if (!tv || !h || (w->rc = vg_match_scratch_new(ix, &sc))) {
		w->rc = w->rc ? w->rc : VG_ENOMEM;
		free(tv);
		free(h);
		return NULL;
	}
	for (size_t m = w->from; m < w->to && !w->rc; m++) {
		size_t n = make_manifest(m, total, permille, tv);
		double t0 = now();
		for (size_t i = 0; i < n && !w->rc; i++) {
			size_t nh = 0;
			w->rc = vg_match_index_query(ix, sc, &tv[i].p,
						     threshold, h, MAX_HITS, &nh);
			w->hits += nh;
			for (size_t k = 0; dump && k < nh; k++)
				fprintf(dump, "%zu\t%s:%s\t%.6f\n",
					m * MANIFEST + i, entries[h[k].entry]->list,
					entries[h[k].entry]->ref, h[k].score);
			size_t nc, ns;
			vg_match_scratch_stats(sc, NULL, &nc, &ns);
			w->candidates += nc;
			w->scored += ns;
			if (tv[i].src >= 0) {
				w->planted++;
				w->found += has_entry(h, nh, tv[i].src);
			} else {
				w->fictional++;
				w->false_hit += nh > 0;
			}
		}
		if (w->ms)
			w->ms[m] = (now() - t0) * 1e3;
	}
	vg_match_scratch_free(sc);
	free(tv);
	free(h);
	return NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Screen every manifest on `threads` threads; returns the wall time. */
static double screen_all(int threads, double *ms, struct run *sum)
{
	size_t manifests = (total + MANIFEST - 1) / MANIFEST;
	struct run w[64];
	pthread_t th[64];
	memset(sum, 0, sizeof(*sum));
	double t0 = now();
	for (int i = 0; i < threads; i++) {
		w[i] = (struct run){.from = manifests * (size_t)i / (size_t)threads,
				    .to = manifests * (size_t)(i + 1) /
					  (size_t)threads,
				    .ms = ms};
		if (i && pthread_create(&th[i], NULL, run_part, &w[i])) {
			fprintf(stderr, "bench_screen: no thread\n");
			exit(1);
		}
	}
	run_part(&w[0]);
	for (int i = 1; i < threads; i++)
		pthread_join(th[i], NULL);
	double wall = now() - t0;
	for (int i = 0; i < threads; i++) {
		if (w[i].rc) {
			fprintf(stderr, "bench_screen: query failed: %s\n",
				vg_strerror(w[i].rc));
			exit(1);
		}
		sum->planted += w[i].planted;
		sum->found += w[i].found;
		sum->fictional += w[i].fictional;
		sum->false_hit += w[i].false_hit;
		sum->hits += w[i].hits;
		sum->candidates += w[i].candidates;
		sum->scored += w[i].scored;
	}
	return wall;
}

/* One manifest split over the cores, as vg_screen_run splits a file:
 * the time a manifest takes when the whole machine screens it. */
struct slice {
	struct vg_match_scratch *sc;
	const struct traveller *tv;
	size_t from, to;
	struct vg_match_hit h[MAX_HITS];
	int rc;
};

static void *screen_slice(void *arg)
{
	struct slice *w = arg;
	for (size_t i = w->from; i < w->to && !w->rc; i++) {
		size_t nh = 0;
		w->rc = vg_match_index_query(ix, w->sc, &w->tv[i].p, threshold,
					     w->h, MAX_HITS, &nh);
	}
	return NULL;
}

static void manifests_split(int threads, size_t count, double *ms)
{
	struct traveller *tv = malloc(MANIFEST * sizeof(*tv));
	struct slice *w = calloc((size_t)threads, sizeof(*w));
	pthread_t th[64];
	if (!tv || !w)
		exit(1);
	for (int i = 0; i < threads; i++)
		if (vg_match_scratch_new(ix, &w[i].sc))
			exit(1);
	for (size_t m = 0; m < count; m++) {
		size_t n = make_manifest(m, total, permille, tv);
		double t0 = now();
		for (int i = 0; i < threads; i++) {
			w[i].tv = tv;
			w[i].from = n * (size_t)i / (size_t)threads;
			w[i].to = n * (size_t)(i + 1) / (size_t)threads;
			if (i && pthread_create(&th[i], NULL, screen_slice, &w[i]))
				exit(1);
		}
		screen_slice(&w[0]);
		for (int i = 1; i < threads; i++)
			pthread_join(th[i], NULL);
		ms[m] = (now() - t0) * 1e3;
		for (int i = 0; i < threads; i++)
			if (w[i].rc)
				exit(1);
	}
	for (int i = 0; i < threads; i++)
		vg_match_scratch_free(w[i].sc);
	free(w);
	free(tv);
}

/* ---- the reference's input ---------------------------------------- */

static void tsv_str(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, f);
}

static void entry_key(FILE *f, long at)
{
	if (at < 0) {
		fputs("-", f);
		return;
	}
	fprintf(f, "%s:", entries[at]->list);
	tsv_str(f, entries[at]->ref);
}

/* Every name of both lists: "list:ref<TAB>name". */
static void write_names(const char *dir)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/names.tsv", dir);
	FILE *f = fopen(path, "w");
	if (!f)
		exit(1);
	for (size_t i = 0; i < n_entries; i++)
		for (size_t k = 0; k < entries[i]->person.n_names; k++) {
			entry_key(f, (long)i);
			fputc('\t', f);
			tsv_str(f, entries[i]->person.names[k].full);
			fputc('\n', f);
		}
	fclose(f);
}

/* The sample: the first SAMPLE_PLANTED planted and SAMPLE_FICTIONAL
 * fictional travellers of the stream, each with its source entry and
 * whether vigil found it (planted) or hit anything (fictional) with the
 * date of birth and on the name alone; prints vigil's figures on it. */
static void write_sample(const char *dir)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/sample.tsv", dir);
	FILE *f = fopen(path, "w");
	struct traveller *tv = malloc(MANIFEST * sizeof(*tv));
	struct vg_match_hit *h = malloc(MAX_HITS * sizeof(*h));
	struct vg_match_scratch *sc;
	if (!f || !tv || !h || vg_match_scratch_new(ix, &sc))
		exit(1);
	size_t planted = 0, fictional = 0, manifests = (total + MANIFEST - 1) / MANIFEST;
	size_t res[2][2] = {{0}}; /* [planted?][dob, name only] */
	fputs("kind\tsource\tname\tdob\tvigil\tvigil_name_only\n", f);
	for (size_t m = 0; m < manifests && (planted < SAMPLE_PLANTED ||
					     fictional < SAMPLE_FICTIONAL);
	     m++) {
		size_t n = make_manifest(m, total, permille, tv);
		for (size_t i = 0; i < n; i++) {
			struct traveller *t = &tv[i];
			int p = t->src >= 0, r[2];
			if (p ? planted >= SAMPLE_PLANTED
			      : fictional >= SAMPLE_FICTIONAL)
				continue;
			for (int d = 0; d < 2; d++) {
				size_t nh = 0;
				t->p.n_dobs = d ? 0 : 1;
				if (vg_match_index_query(ix, sc, &t->p, threshold,
							 h, MAX_HITS, &nh))
					exit(1);
				r[d] = p ? has_entry(h, nh, t->src) : nh > 0;
				res[p][d] += (size_t)r[d];
			}
			fprintf(f, "%s\t", p ? "planted" : "fictional");
			entry_key(f, t->src);
			fprintf(f, "\t%s\t%04d-%02d-%02d\t%d\t%d\n", t->full,
				t->dob.from.year, t->dob.from.month,
				t->dob.from.day, r[0], r[1]);
			p ? planted++ : fictional++;
		}
	}
	fclose(f);
	vg_match_scratch_free(sc);
	free(tv);
	free(h);
	printf("sample (%s/sample.tsv): %zu planted, %zu fictional; vigil "
	       "recall %.1f%% (name only %.1f%%), false hits %.2f%% (name only "
	       "%.2f%%)\n",
	       dir, planted, fictional, 100.0 * (double)res[1][0] / (double)planted,
	       100.0 * (double)res[1][1] / (double)planted,
	       100.0 * (double)res[0][0] / (double)fictional,
	       100.0 * (double)res[0][1] / (double)fictional);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fputs("usage: bench_screen SHARED_DIR OUT_DIR [TRAVELLERS] "
		      "[PLANTED_PERMILLE] [HITS_FILE [THRESHOLD]]\n", stderr);
		return 2;
	}
	total = argc > 3 ? strtoul(argv[3], NULL, 10) : 1000000;
	permille = argc > 4 ? (unsigned)strtoul(argv[4], NULL, 10) : 10;
	int cores = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (cores < 1)
		cores = 1;
	if (cores > 64)
		cores = 64;

	double t0 = now();
	load_lists(argv[1]);
	double t_parse = now() - t0;
	size_t n_names = 0;
	for (size_t i = 0; i < n_entries; i++)
		n_names += entries[i]->person.n_names;
	const struct vg_person **persons = malloc(n_entries * sizeof(*persons));
	if (!persons)
		return 1;
	for (size_t i = 0; i < n_entries; i++)
		persons[i] = &entries[i]->person;
	t0 = now();
	int rc = vg_match_index_build(persons, NULL, n_entries, &ix);
	double t_build = now() - t0;
	if (rc) {
		fprintf(stderr, "bench_screen: index: %s\n", vg_strerror(rc));
		return 1;
	}
	double rss_index = rss_mb();
	printf("lists: %zu entries (UN %zu, OFAC %zu), %zu names, %zu "
	       "individuals to plant from; parsed in %.2f s\n",
	       n_entries, un.n_entries, ofac.n_entries, n_names, n_people,
	       t_parse);
	printf("index build: %.3f s (target < 1 s); peak RSS after build "
	       "%.1f MB\n", t_build, rss_index);

	/* generation alone, for what the all-core wall time includes */
	size_t manifests = (total + MANIFEST - 1) / MANIFEST;
	struct traveller *tv = malloc(MANIFEST * sizeof(*tv));
	if (!tv)
		return 1;
	t0 = now();
	for (size_t m = 0; m < manifests; m++)
		make_manifest(m, total, permille, tv);
	double t_gen = now() - t0;
	free(tv);

	double *ms = malloc(manifests * sizeof(*ms));
	struct run one, all;
	if (!ms)
		return 1;
	if (argc > 5 && !(dump = fopen(argv[5], "w")))
		return 1;
	if (argc > 6)
		threshold = strtod(argv[6], NULL);
	double wall1 = screen_all(1, ms, &one);
	if (dump)
		fclose(dump);
	dump = NULL;
	double screen1 = 0;
	for (size_t m = 0; m < manifests; m++)
		screen1 += ms[m] / 1e3;
	double wallN = screen_all(cores, NULL, &all);
	qsort(ms, manifests, sizeof(*ms), cmp_double);
	double p50 = ms[manifests / 2], p99 = ms[manifests * 99 / 100],
	       pmax = ms[manifests - 1];

	printf("travellers: %zu (%zu planted variants, %zu fictional), %zu "
	       "manifests of %d; generating them takes %.2f s on one core\n",
	       total, one.planted, one.fictional, manifests, MANIFEST, t_gen);
	printf("one core:   %9.0f travellers/s screening (%.2f s; %.2f s with "
	       "generation)  (target >= 100000)\n",
	       (double)total / screen1, screen1, wall1);
	printf("%d cores:    %9.0f travellers/s wall time, generation included "
	       "(%.2f s)\n", cores, (double)total / wallN, wallN);
	printf("manifest of %d on one core: p50 %.2f ms, p99 %.2f ms, max %.2f "
	       "ms  (target p99 < 10 ms)\n", MANIFEST, p50, p99, pmax);
	/* a manifest on every core: the first 1000 manifests are enough */
	size_t split_n = manifests < 1000 ? manifests : 1000;
	manifests_split(cores, split_n, ms);
	qsort(ms, split_n, sizeof(*ms), cmp_double);
	printf("manifest of %d on %d cores (split as vg_screen_run does; %zu "
	       "manifests): p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
	       MANIFEST, cores, split_n, ms[split_n / 2], ms[split_n * 99 / 100],
	       ms[split_n - 1]);
	printf("recall on planted variants: %.2f%% (%zu of %zu) at threshold "
	       "%.2f; false hits on fictional travellers: %.3f%% (%zu of %zu); "
	       "%.3f hits a traveller\n",
	       100.0 * (double)one.found / (double)one.planted, one.found,
	       one.planted, threshold,
	       100.0 * (double)one.false_hit / (double)one.fictional,
	       one.false_hit, one.fictional, (double)one.hits / (double)total);
	printf("a query: %.1f candidate names from the keys, %.1f entries "
	       "scored\n", (double)one.candidates / (double)total,
	       (double)one.scored / (double)total);
	if (one.found != all.found || one.hits != all.hits)
		printf("WARNING: the %d-core run found other hits (%zu, %zu)\n",
		       cores, all.found, all.hits);
	write_names(argv[2]);
	write_sample(argv[2]);
	printf("peak RSS: %.1f MB  (target < 200 MB)\n", rss_mb());
	free(ms);
	free(persons);
	vg_match_index_free(ix);
	vg_watchlist_release(&un);
	vg_watchlist_release(&ofac);
	free(entries);
	free(people);
	return 0;
}
