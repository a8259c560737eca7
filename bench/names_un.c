/* The matcher on real lists, read by the hub's own parsers
 * (vg_wl_parse_un, vg_wl_parse_ofac):
 * (1) UN self-test: index the primary names of the UN list's individuals,
 *     query every alias and every original-script name, print rank-1
 *     recall per kind beside a brute-force sorted-token Jaro-Winkler
 *     reference;
 * (2) the same with UN and OFAC indexed together, every entry of both
 *     lists by its primary name only (ten times the candidates a hub
 *     screening both lists has), and the outside negatives: fictional
 *     travellers, a third of them with name particles, screened against
 *     both lists as the hub does;
 * (3) speed: index UN + OFAC (all names), time the build and the queries,
 *     beside a brute-force scan in the same run.
 * Usage: bench_names_un SHARED_DIR [queries [speed|travellers|self]]
 * ("speed": only the timed queries; "travellers": only the fictional
 * travellers on one thread, for profiling; "self": only (1) and (2)).
 * BENCH_SHOW=1 prints what the index lost and the combined self-test's
 * misses. */
#include "ref_jw.h"
#include "vigil/util/error.h"
#include "vigil/names/match.h"
#include "vigil/names/person.h"
#include "vigil/watchlist/watchlist.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_HITS 10
/* outside negatives screened */
#define N_NEGATIVES 10000

struct plist {
	struct vg_person *v;
	size_t n, cap;
};

/* A UN alias or original-script name, queried for its individual. */
struct probe {
	const char *name;
	size_t un; /* the individual's position in the UN list */
	int kind;  /* 0 good alias, 1 low alias, 2 original script */
};

struct probes {
	struct probe *v;
	size_t n, cap;
};

static void die(const char *what)
{
	fprintf(stderr, "bench_names_un: %s\n", what);
	exit(1);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of the calling thread: the machine may be shared, and wall
 * time would then measure the neighbours. */
static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct vg_person *plist_add(struct plist *l)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 1024;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v)
			die("out of memory");
	}
	vg_person_init(&l->v[l->n]);
	return &l->v[l->n++];
}

static void plist_free(struct plist *l)
{
	for (size_t i = 0; i < l->n; i++)
		vg_person_release(&l->v[i]);
	free(l->v);
}

static void add_name(struct vg_person *p, const char *s, enum vg_name_quality q)
{
	if (*s && vg_person_add_name(p, s, NULL, NULL, q))
		die("out of memory");
}

/* ---- the lists, as the hub reads them ---------------------------- */

static struct vg_watchlist un, ofac;

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;
	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) || !(buf = malloc((size_t)n + 1)) ||
	    fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "bench_names_un: cannot read %s\n", path);
		exit(1);
	}
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

static void load_lists(const char *shared)
{
	static const char *const files[] = {"sdn.csv", "alt.csv", "add.csv",
	                                    "sdn_comments.csv"};
	char path[4200], err[512];
	size_t len[4];
	char *buf[4];
	snprintf(path, sizeof(path),
	         "%s/data/watchlists/un/consolidated-2026-02-27.xml", shared);
	buf[0] = slurp(path, &len[0]);
	vg_watchlist_init(&un);
	if (vg_wl_parse_un(buf[0], len[0], &un, err, sizeof(err))) {
		fprintf(stderr, "bench_names_un: UN list: %s\n", err);
		exit(1);
	}
	free(buf[0]);
	for (int i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/data/watchlists/ofac/%s",
		         shared, files[i]);
		buf[i] = slurp(path, &len[i]);
	}
	struct vg_ofac_input in = {buf[0], len[0], buf[1], len[1],
	                           buf[2], len[2], buf[3], len[3]};
	vg_watchlist_init(&ofac);
	if (vg_wl_parse_ofac(&in, &ofac, err, sizeof(err))) {
		fprintf(stderr, "bench_names_un: OFAC list: %s\n", err);
		exit(1);
	}
	for (int i = 0; i < 4; i++)
		free(buf[i]);
}

static void probe_add(struct probes *p, const char *name, size_t un_at,
                      int kind)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 1024;
		p->v = realloc(p->v, p->cap * sizeof(*p->v));
		if (!p->v)
			die("out of memory");
	}
	p->v[p->n++] = (struct probe){name, un_at, kind};
}

/* Every alias and original-script name of every UN individual. */
static void make_probes(struct probes *pr)
{
	for (size_t i = 0; i < un.n_entries; i++) {
		const struct vg_wl_entry *e = &un.entries[i];
		if (e->kind != VG_WL_INDIVIDUAL)
			continue;
		for (size_t j = 0; j < e->person.n_names; j++) {
			const struct vg_name *n = &e->person.names[j];
			int kind = n->quality == VG_NAME_GOOD       ? 0
			           : n->quality == VG_NAME_LOW      ? 1
			           : n->quality == VG_NAME_ORIGINAL ? 2
			                                            : -1;
			if (kind >= 0)
				probe_add(pr, n->full, i, kind);
		}
	}
}

/* ---- queries ---------------------------------------------------- */

/* Fictional travellers: common given names and family names combined
 * at random (a fixed seed), with a random date of birth. */
static const char *const given[] = {
    "Mohammed",     "Ahmed",   "Ali",     "Omar",    "Fatima", "Aisha",
    "Hassan",       "Youssef", "John",    "Mary",    "James",  "Anna",
    "Maria",        "Jose",    "Juan",    "Olga",    "Ivan",   "Sergei",
    "Wei",          "Li",      "Hiroshi", "Yuki",    "Peter",  "Sarah",
    "Abdul Rahman", "Ibrahim", "Khalid",  "Mustafa", "Elena",  "David",
    "Kwame",        "Amina",   "Priya",   "Rahul",   "Chen",   "Thomas"};
static const char *const family[] = {
    "Smith",     "Garcia",   "Khan",    "Hassan",   "Ivanov", "Kim",
    "Nguyen",    "Mueller",  "Rossi",   "Al-Masri", "Haddad", "Yilmaz",
    "Kowalski",  "Silva",    "Okafor",  "Tanaka",   "Petrov", "Mansour",
    "Rahman",    "Ali",      "Brown",   "Lopez",    "Sato",   "Cohen",
    "El Amrani", "Abdullah", "Popescu", "Novak",    "Jensen", "Singh",
    "Wang",      "Mahmoud",  "Karimov", "Bakr"};

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint32_t rnd_of(uint64_t *st)
{
	*st ^= *st << 13;
	*st ^= *st >> 7;
	*st ^= *st << 17;
	return (uint32_t)(*st >> 11);
}

static uint32_t rnd(void)
{
	return rnd_of(&rng);
}

static void travellers(struct plist *l, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct vg_person *p = plist_add(l);
		char nm[256];
		size_t ng = sizeof(given) / sizeof(given[0]);
		size_t nf = sizeof(family) / sizeof(family[0]);
		if (rnd() % 3 == 0)
			snprintf(nm, sizeof(nm), "%s %s %s", given[rnd() % ng],
			         given[rnd() % ng], family[rnd() % nf]);
		else
			snprintf(nm, sizeof(nm), "%s %s", given[rnd() % ng],
			         family[rnd() % nf]);
		add_name(p, nm, VG_NAME_PRIMARY);
		struct vg_dob d = {.kind = VG_DOB_EXACT};
		d.from.year = 1940 + (int)(rnd() % 65);
		d.from.month = 1 + (int)(rnd() % 12);
		d.from.day = 1 + (int)(rnd() % 28);
		vg_person_add_dob(p, &d);
		p->gender = rnd() % 2 ? VG_GENDER_MALE : VG_GENDER_FEMALE;
	}
}

/* ---- outside negatives ------------------------------------------ */

/* Fictional people, none of them listed: two thirds as the travellers
 * above, one third with the particles of Arabic and Romance names, as
 * "Omar bin Ali Haddad", "Aisha ould Hassan", "Abu Khalid Mansour",
 * "Maria de Silva" (a seed of their own, so the travellers stay the
 * same). Each has a date of birth and gender, as a traveller has. */
static void negatives(struct plist *l, size_t n, bool *particle)
{
	static const char *const forms[] = {
	    "%s bin %s %s", "%s ibn %s %s", "%s ould %s", "%s ben %s %s",
	    "Abu %s %s",    "%s al-%s",     "%s el %s",   "%s de %s"};
	uint64_t st = 0xD1B54A32D192ED03ULL;
	size_t ng = sizeof(given) / sizeof(given[0]);
	size_t nf = sizeof(family) / sizeof(family[0]);
	for (size_t i = 0; i < n; i++) {
		struct vg_person *p = plist_add(l);
		char nm[256];
		const char *g1 = given[rnd_of(&st) % ng];
		const char *g2 = given[rnd_of(&st) % ng];
		const char *f = family[rnd_of(&st) % nf];
		uint32_t r = rnd_of(&st) % 24;
		if (r < 8) {
			int k = (int)r;
			particle[i] = true;
			if (k == 2 || k == 5 || k == 6 || k == 7)
				snprintf(nm, sizeof(nm), forms[k], g1,
				         k == 2 ? g2 : f);
			else if (k == 4)
				snprintf(nm, sizeof(nm), forms[k], g1, f);
			else
				snprintf(nm, sizeof(nm), forms[k], g1, g2, f);
		} else if (r < 13) {
			particle[i] = false;
			snprintf(nm, sizeof(nm), "%s %s %s", g1, g2, f);
		} else {
			particle[i] = false;
			snprintf(nm, sizeof(nm), "%s %s", g1, f);
		}
		add_name(p, nm, VG_NAME_PRIMARY);
		struct vg_dob d = {.kind = VG_DOB_EXACT};
		d.from.year = 1940 + (int)(rnd_of(&st) % 65);
		d.from.month = 1 + (int)(rnd_of(&st) % 12);
		d.from.day = 1 + (int)(rnd_of(&st) % 28);
		vg_person_add_dob(p, &d);
		p->gender = rnd_of(&st) % 2 ? VG_GENDER_MALE : VG_GENDER_FEMALE;
	}
}

/* The share of the negatives that get a hit at the default threshold
 * from ix, all and those with particles; name_only screens the name
 * without date of birth and gender. */
static void false_hits(const char *label, const struct vg_match_index *ix,
                       const struct plist *neg, const bool *particle,
                       bool name_only, bool show)
{
	struct vg_match_scratch *s;
	struct vg_match_hit *hits = calloc(MAX_HITS, sizeof(*hits));
	size_t fh = 0, fp = 0, np = 0;
	if (!hits || vg_match_scratch_new(ix, &s))
		die("cannot make a scratch");
	for (size_t i = 0; i < neg->n; i++) {
		struct vg_person q, *p = &neg->v[i];
		size_t nh = 0;
		vg_person_init(&q);
		if (name_only) {
			add_name(&q, p->names[0].full, VG_NAME_PRIMARY);
			p = &q;
		}
		if (vg_match_index_query(ix, s, p, VG_MATCH_DEFAULT_THRESHOLD,
		                         hits, MAX_HITS, &nh))
			die("query failed");
		np += particle[i];
		if (nh) {
			fh++;
			fp += particle[i];
			if (show) {
				struct vg_buf b;
				vg_buf_init(&b, 0);
				vg_match_explain_line(&hits[0].ex, &b);
				printf("  false hit: %s\n", b.data);
				vg_buf_release(&b);
			}
		}
		vg_person_release(&q);
	}
	printf("%-44s %5.2f%% (%zu of %zu); with particles %5.2f%% (%zu of "
	       "%zu)\n",
	       label, 100.0 * fh / neg->n, fh, neg->n,
	       100.0 * fp / (np ? np : 1), fp, np);
	vg_match_scratch_free(s);
	free(hits);
}

/* ---- who is on both lists ----------------------------------------- */

/* The same person is often on both lists. In the combined self-test an
 * OFAC entry of the probe's individual ranked first is no error, so the
 * two are linked, on evidence that owes nothing to vigil's matcher. The
 * names are compared as the reference writes them (ICU-transliterated,
 * lowercase, letters and digits, tokens sorted); two entries are one
 * person when
 * 1. a name is written the same (two tokens at least), or a document
 *    number is the same (6 letters and digits at least);
 * 2. or a name has the same letters as one of the other's, in another
 *    order or spacing (8 letters at least: "abdulmalik al houthi" and
 *    "al houthi abdul malik");
 * 3. or one primary name's tokens (two at least) are all in the other's
 *    ("abdul manan agha" in "agha haji abdul manan"), and the dates of
 *    birth do not disagree (one side has none, or a year in common,
 *    "approximately" taken as 2 years either way);
 * 4. or the primary names share two tokens of 3 letters or more, and
 *    both give dates of birth with a year in common. */
#define LINK_KEYS 48

struct pkeys {
	char (*k)[160];         /* name keys, then document keys ('#...') */
	uint8_t (*letters)[26]; /* letter counts of each name key */
	size_t n, n_names;
	char prim[160];   /* the primary name's key */
	int lo[8], hi[8]; /* years of birth */
	size_t ny;
};

struct links {
	size_t *v; /* OFAC positions linked to UN individual i:
	              v[off[i] .. off[i + 1]) */
	size_t *off;
	size_t n_linked; /* UN individuals with a link */
};

static void doc_key(const char *num, char *out, size_t cap)
{
	size_t n = 0;
	out[n++] = '#'; /* never equal to a name key */
	for (; num && *num && n + 1 < cap; num++)
		if ((*num >= '0' && *num <= '9') ||
		    (*num >= 'A' && *num <= 'Z'))
			out[n++] = *num;
		else if (*num >= 'a' && *num <= 'z')
			out[n++] = (char)(*num - 'a' + 'A');
	out[n] = '\0';
}

/* The keys of a person's names (not low-quality aliases), documents and
 * years of birth. */
static void person_keys(UTransliterator *tr, const struct vg_person *p,
                        struct pkeys *out)
{
	out->n = out->ny = 0;
	out->k = malloc(LINK_KEYS * sizeof(*out->k));
	out->letters = calloc(LINK_KEYS, sizeof(*out->letters));
	if (!out->k || !out->letters)
		die("out of memory");
	ref_jw_key(tr, p->names[0].full, out->prim, sizeof(out->prim));
	for (size_t j = 0; j < p->n_names && out->n < LINK_KEYS; j++) {
		char *k = out->k[out->n];
		if (p->names[j].quality == VG_NAME_LOW)
			continue;
		ref_jw_key(tr, p->names[j].full, k, sizeof(out->k[0]));
		if (!strchr(k, ' '))
			continue;
		for (const char *c = k; *c; c++)
			if (*c >= 'a' && *c <= 'z' &&
			    out->letters[out->n][*c - 'a'] < 255)
				out->letters[out->n][*c - 'a']++;
		out->n++;
	}
	out->n_names = out->n;
	for (size_t j = 0; j < p->n_docs && out->n < LINK_KEYS; j++) {
		doc_key(p->docs[j].number, out->k[out->n], sizeof(out->k[0]));
		if (strlen(out->k[out->n]) >= 7)
			out->n++;
	}
	for (size_t j = 0; j < p->n_dobs && out->ny < 8; j++) {
		const struct vg_dob *d = &p->dobs[j];
		int lo = d->from.year, hi = d->from.year;
		if (d->kind == VG_DOB_APPROX)
			lo -= 2, hi += 2;
		else if (d->kind == VG_DOB_BETWEEN && d->to.year > lo)
			hi = d->to.year;
		if (lo > 0) {
			out->lo[out->ny] = lo;
			out->hi[out->ny++] = hi;
		}
	}
}

static void pkeys_free(struct pkeys *k)
{
	free(k->k);
	free(k->letters);
}

/* Tokens of key a (of minlen letters or more) that are in key b, and
 * a's token count. */
static size_t shared_tokens(const char *a, const char *b, size_t minlen,
                            size_t *na)
{
	size_t n = 0;
	*na = 0;
	for (const char *t = a; *t;) {
		size_t l = strcspn(t, " ");
		(*na)++;
		if (l >= minlen)
			for (const char *u = b; *u;) {
				size_t m = strcspn(u, " ");
				if (m == l && !memcmp(t, u, l)) {
					n++;
					break;
				}
				u += m + (u[m] == ' ');
			}
		t += l + (t[l] == ' ');
	}
	return n;
}

static bool same_person(const struct pkeys *a, const struct pkeys *b)
{
	int dob = a->ny && b->ny ? 0 : -1; /* -1: a side has none */
	size_t na, nb;
	for (size_t i = 0; i < a->n; i++)
		for (size_t j = 0; j < b->n; j++)
			if (!strcmp(a->k[i], b->k[j]))
				return true;
	for (size_t i = 0; i < a->n_names; i++)
		for (size_t j = 0; j < b->n_names; j++) {
			size_t nl = 0;
			for (int c = 0; c < 26; c++)
				nl += a->letters[i][c];
			if (nl >= 8 &&
			    !memcmp(a->letters[i], b->letters[j], 26))
				return true;
		}
	for (size_t i = 0; i < a->ny && dob == 0; i++)
		for (size_t j = 0; j < b->ny && dob == 0; j++)
			if (a->lo[i] <= b->hi[j] && b->lo[j] <= a->hi[i])
				dob = 1;
	if (dob == 0)
		return false;
	if ((shared_tokens(a->prim, b->prim, 1, &na) == na && na >= 2) ||
	    (shared_tokens(b->prim, a->prim, 1, &nb) == nb && nb >= 2))
		return true;
	return dob == 1 && shared_tokens(a->prim, b->prim, 3, &na) >= 2;
}

static void make_links(UTransliterator *tr, struct links *l)
{
	size_t nl = 0, lcap = 256;
	struct pkeys *ok = calloc(ofac.n_entries, sizeof(*ok)), uk;
	l->off = calloc(un.n_entries + 1, sizeof(*l->off));
	l->v = malloc(lcap * sizeof(*l->v));
	l->n_linked = 0;
	if (!ok || !l->off || !l->v)
		die("out of memory");
	for (size_t i = 0; i < ofac.n_entries; i++)
		if (ofac.entries[i].kind == VG_WL_INDIVIDUAL)
			person_keys(tr, &ofac.entries[i].person, &ok[i]);
	for (size_t i = 0; i < un.n_entries; i++) {
		const struct vg_wl_entry *e = &un.entries[i];
		size_t first = nl;
		l->off[i] = nl;
		if (e->kind != VG_WL_INDIVIDUAL)
			continue;
		person_keys(tr, &e->person, &uk);
		for (size_t o = 0; o < ofac.n_entries; o++) {
			if (!ok[o].k || !same_person(&uk, &ok[o]))
				continue;
			if (nl == lcap) {
				lcap *= 2;
				l->v = realloc(l->v, lcap * sizeof(*l->v));
				if (!l->v)
					die("out of memory");
			}
			l->v[nl++] = o;
		}
		pkeys_free(&uk);
		if (nl > first)
			l->n_linked++;
	}
	l->off[un.n_entries] = nl;
	for (size_t i = 0; i < ofac.n_entries; i++)
		pkeys_free(&ok[i]);
	free(ok);
}

static bool linked(const struct links *l, size_t un_at, size_t ofac_at)
{
	for (size_t d = l->off[un_at]; d < l->off[un_at + 1]; d++)
		if (l->v[d] == ofac_at)
			return true;
	return false;
}

/* ---- the self-tests ----------------------------------------------- */

/* An index of primary names only: entries (UN individuals, or every
 * entry of both lists), each a copy with its primary name alone. */
struct pindex {
	const char *label;
	size_t n;
	struct vg_person *prim;
	const struct vg_wl_entry **src;
	size_t *un_at; /* a UN position's index position, SIZE_MAX if none */
	char (*keys)[512]; /* the reference's keys of the primary names */
	struct vg_match_index *ix;
	double build_ms;
};

static void pindex_add(struct pindex *p, const struct vg_wl_entry *e,
                       UTransliterator *tr)
{
	struct vg_person *c = &p->prim[p->n];
	vg_person_init(c);
	c->kind = e->person.kind;
	add_name(c, e->person.names[0].full, VG_NAME_PRIMARY);
	p->src[p->n] = e;
	ref_jw_key(tr, e->person.names[0].full, p->keys[p->n],
	           sizeof(p->keys[0]));
	if (e >= un.entries && e < un.entries + un.n_entries)
		p->un_at[e - un.entries] = p->n;
	p->n++;
}

/* combined: every entry of OFAC then UN (OFAC first, so that a tie
 * between a UN entry and an OFAC one never favours the UN entry);
 * otherwise the UN individuals. */
static void pindex_build(struct pindex *p, bool combined, UTransliterator *tr)
{
	size_t cap = un.n_entries + (combined ? ofac.n_entries : 0);
	const struct vg_person **ptr;
	memset(p, 0, sizeof(*p));
	p->label = combined ? "UN + OFAC" : "UN only";
	p->prim = calloc(cap, sizeof(*p->prim));
	p->src = calloc(cap, sizeof(*p->src));
	p->un_at = malloc(un.n_entries * sizeof(*p->un_at));
	p->keys = calloc(cap, sizeof(*p->keys));
	ptr = calloc(cap, sizeof(*ptr));
	if (!p->prim || !p->src || !p->un_at || !p->keys || !ptr)
		die("out of memory");
	for (size_t i = 0; i < un.n_entries; i++)
		p->un_at[i] = SIZE_MAX;
	for (size_t i = 0; combined && i < ofac.n_entries; i++)
		pindex_add(p, &ofac.entries[i], tr);
	for (size_t i = 0; i < un.n_entries; i++)
		if (combined || un.entries[i].kind == VG_WL_INDIVIDUAL)
			pindex_add(p, &un.entries[i], tr);
	for (size_t i = 0; i < p->n; i++)
		ptr[i] = &p->prim[i];
	double t0 = now();
	if (vg_match_index_build(ptr, NULL, p->n, &p->ix))
		die("cannot build the index");
	p->build_ms = (now() - t0) * 1e3;
	free(ptr);
}

static void pindex_free(struct pindex *p)
{
	for (size_t i = 0; i < p->n; i++)
		vg_person_release(&p->prim[i]);
	vg_match_index_free(p->ix);
	free(p->prim);
	free(p->src);
	free(p->un_at);
	free(p->keys);
}

/* Whether index entry at is a linked OFAC entry of UN individual u. */
static bool other_self(const struct pindex *p, const struct links *l, size_t u,
                       size_t at)
{
	const struct vg_wl_entry *e = p->src[at];
	return e >= ofac.entries && e < ofac.entries + ofac.n_entries &&
	       linked(l, u, (size_t)(e - ofac.entries));
}

#define N_KINDS 3
static const char *const kinds[N_KINDS] = {
    "alias, quality Good", "alias, quality Low", "original script"};

/* Query every probe against p; rank-1 counts when the probe's entry is
 * the best hit once entries linked to it (the same person on the other
 * list) are passed over. Also the strict figure (the entry itself
 * first) and the reference's rank-1 (brute force over every indexed
 * individual, the same rule). */
static void self_test(const struct pindex *p, const struct probes *pr,
                      const struct links *l, UTransliterator *tr, bool show)
{
	size_t tot[N_KINDS] = {0}, top1[N_KINDS] = {0}, top1t[N_KINDS] = {0},
	       strict[N_KINDS] = {0}, reft[N_KINDS] = {0};
	struct vg_match_scratch *s, *sb;
	struct vg_match_hit *hits = calloc(MAX_HITS, sizeof(*hits));
	bool combined = p->n > un.n_entries;
	if (!hits || vg_match_scratch_new(p->ix, &s) ||
	    vg_match_scratch_new(NULL, &sb))
		die("cannot make a scratch");
	for (size_t k = 0; k < pr->n; k++) {
		const struct probe *pb = &pr->v[k];
		size_t target = p->un_at[pb->un];
		struct vg_person q;
		size_t nh = 0;
		char qk[512];
		vg_person_init(&q);
		add_name(&q, pb->name, VG_NAME_PRIMARY);
		if (vg_match_index_query(p->ix, s, &q, 0.01, hits, MAX_HITS,
		                         &nh))
			die("query failed");
		tot[pb->kind]++;
		if (nh && hits[0].entry == target)
			strict[pb->kind]++;
		size_t h = 0;
		while (h < nh && hits[h].entry != target &&
		       other_self(p, l, pb->un, hits[h].entry))
			h++;
		bool first = h < nh && hits[h].entry == target;
		if (first) {
			top1[pb->kind]++;
			if (hits[h].score >= VG_MATCH_DEFAULT_THRESHOLD)
				top1t[pb->kind]++;
		}
		/* the reference: brute force over every indexed individual */
		ref_jw_key(tr, pb->name, qk, sizeof(qk));
		double best = -1;
		size_t bi = 0;
		for (size_t i = 0; i < p->n; i++) {
			if (p->prim[i].kind != VG_PERSON_INDIVIDUAL)
				continue;
			if (other_self(p, l, pb->un, i))
				continue;
			double j = ref_jw_keys(qk, p->keys[i]);
			if (j > best) {
				best = j;
				bi = i;
			}
		}
		if (bi == target)
			reft[pb->kind]++;
		if (show && combined && !first && pb->kind != 1) {
			printf("  miss: \"%s\" (%s %s)", pb->name,
			       un.entries[pb->un].ref,
			       un.entries[pb->un].person.names[0].full);
			if (h < nh)
				printf(
				    " below %s %s \"%s\" %.2f",
				    p->src[hits[h].entry]->list,
				    p->src[hits[h].entry]->ref,
				    p->src[hits[h].entry]->person.names[0].full,
				    hits[h].score);
			printf("\n");
		}
		if (show && !combined) {
			bool listed = false;
			for (size_t i = 0; i < nh; i++)
				listed |=
				    hits[i].entry == target &&
				    hits[i].score >= VG_MATCH_DEFAULT_THRESHOLD;
			/* what the scan would have found: the index's loss */
			double sc;
			struct vg_match_explain ex;
			vg_match_persons(sb, &q, &p->prim[target], &sc, &ex);
			if (!listed && sc >= VG_MATCH_DEFAULT_THRESHOLD) {
				struct vg_buf b;
				vg_buf_init(&b, 0);
				vg_match_explain_line(&ex, &b);
				printf("  index lost: %s\n", b.data);
				vg_buf_release(&b);
			}
		}
		vg_person_release(&q);
	}
	printf("%s: %zu entries indexed by primary name only (build %.0f "
	       "ms)\n",
	       p->label, p->n, p->build_ms);
	printf("%-20s %5s | %-13s %-13s | %-13s | %-12s\n", "probe", "n",
	       "rank-1", "and >= 0.70", "strict rank-1", "reference JW");
	for (int k = 0; k < N_KINDS; k++) {
		double d = tot[k] ? (double)tot[k] : 1;
		printf("%-20s %5zu | %5.1f%% %6zu | %5.1f%% %6zu | %5.1f%% "
		       "%6zu | %5.1f%% %5zu\n",
		       kinds[k], tot[k], 100.0 * top1[k] / d, top1[k],
		       100.0 * top1t[k] / d, top1t[k], 100.0 * strict[k] / d,
		       strict[k], 100.0 * reft[k] / d, reft[k]);
	}
	vg_match_scratch_free(s);
	vg_match_scratch_free(sb);
	free(hits);
}

/* ---- speed ------------------------------------------------------ */

struct run {
	const struct vg_match_index *ix;
	const struct plist *q;
	size_t from, to;
	size_t hits, touched, candidates, scored;
	double secs;
};

static void *run_queries(void *arg)
{
	struct run *r = arg;
	struct vg_match_scratch *s;
	struct vg_match_hit *hits = calloc(MAX_HITS, sizeof(*hits));
	if (!hits || vg_match_scratch_new(r->ix, &s))
		die("cannot make a scratch");
	double t0 = cpu_now();
	for (size_t i = r->from; i < r->to; i++) {
		size_t nh = 0, c = 0, sc = 0, t = 0;
		if (vg_match_index_query(r->ix, s, &r->q->v[i],
		                         VG_MATCH_DEFAULT_THRESHOLD, hits,
		                         MAX_HITS, &nh))
			die("query failed");
		vg_match_scratch_stats(s, &t, &c, &sc);
		r->touched += t;
		r->hits += nh;
		r->candidates += c;
		r->scored += sc;
	}
	r->secs = cpu_now() - t0;
	vg_match_scratch_free(s);
	free(hits);
	return NULL;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

static void speed(const char *label, const struct vg_match_index *ix,
                  const struct plist *q)
{
	/* five runs: the best is the least disturbed by whatever else the
	 * machine runs, the median shows the spread */
	double secs[5];
	struct run r;
	for (int k = 0; k < 5; k++) {
		r = (struct run){ix, q, 0, q->n, 0, 0, 0, 0, 0};
		run_queries(&r);
		secs[k] = r.secs;
	}
	qsort(secs, 5, sizeof(secs[0]), cmp_double);
	printf("%-28s %6zu queries: %7.2f us/query CPU best of 5 (%8.0f/s "
	       "one core), median %.2f\n"
	       "%-28s per query: %.0f names reached by keys, %.1f candidate "
	       "names, %.1f entries scored, %.3f hits\n",
	       label, q->n, secs[0] * 1e6 / q->n, q->n / secs[0],
	       secs[2] * 1e6 / q->n, "", (double)r.touched / q->n,
	       (double)r.candidates / q->n, (double)r.scored / q->n,
	       (double)r.hits / q->n);
	/* the same queries on two threads sharing the index */
	struct run t[2] = {{ix, q, 0, q->n / 2, 0, 0, 0, 0, 0},
	                   {ix, q, q->n / 2, q->n, 0, 0, 0, 0, 0}};
	pthread_t th[2];
	double t0 = now();
	for (int k = 0; k < 2; k++)
		if (pthread_create(&th[k], NULL, run_queries, &t[k]))
			die("cannot start a thread");
	for (int k = 0; k < 2; k++)
		pthread_join(th[k], NULL);
	double el = now() - t0;
	printf("%-28s two threads: %8.0f queries/s, same hits: %s\n", "",
	       q->n / el, t[0].hits + t[1].hits == r.hits ? "yes" : "NO");
}

/* Brute force: every query against every entry with vg_match_persons
 * (normalising both each time, as a matcher without an index does), and
 * whether the index finds every hit the scan finds. */
static void brute(const char *label, const struct vg_person *const *all,
                  size_t n_all, const struct vg_match_index *ix,
                  const struct plist *q, size_t n, size_t step, int show)
{
	struct vg_match_scratch *s, *si;
	struct vg_match_hit *hits = calloc(MAX_HITS, sizeof(*hits));
	size_t found = 0, missed = 0, done = 0;
	if (!hits || vg_match_scratch_new(NULL, &s) ||
	    vg_match_scratch_new(ix, &si))
		die("cannot make a scratch");
	double t0 = cpu_now(), tq = 0;
	for (size_t i = 0; i < q->n && done < n; i += step, done++) {
		size_t nh = 0;
		double a = cpu_now();
		if (vg_match_index_query(ix, si, &q->v[i],
		                         VG_MATCH_DEFAULT_THRESHOLD, hits,
		                         MAX_HITS, &nh))
			die("query failed");
		tq += cpu_now() - a;
		for (size_t e = 0; e < n_all; e++) {
			double sc;
			if (all[e]->kind != q->v[i].kind)
				continue;
			if (vg_match_persons(s, &q->v[i], all[e], &sc, NULL))
				die("scoring failed");
			if (sc < VG_MATCH_DEFAULT_THRESHOLD)
				continue;
			bool in = nh == MAX_HITS; /* the index keeps the best */
			for (size_t h = 0; h < nh; h++)
				in |= hits[h].entry == e;
			if (in) {
				found++;
				continue;
			}
			missed++;
			if (show-- > 0) {
				struct vg_match_explain ex;
				struct vg_buf b;
				vg_buf_init(&b, 0);
				vg_match_persons(s, &q->v[i], all[e], &sc, &ex);
				vg_match_explain_line(&ex, &b);
				printf("  missed: %s\n", b.data);
				vg_buf_release(&b);
			}
		}
	}
	double el = cpu_now() - t0 - tq;
	printf("%-28s %6zu queries: %7.0f us/query CPU (brute-force scan of "
	       "%zu entries); the index found %zu of its %zu hits\n",
	       label, done, el * 1e6 / (done ? done : 1), n_all, found,
	       found + missed);
	vg_match_scratch_free(s);
	vg_match_scratch_free(si);
	free(hits);
}

int main(int argc, char **argv)
{
	struct plist un_q = {0}, trav = {0}, neg = {0};
	struct probes pr = {0};
	struct links lk = {0};
	size_t nq = argc > 2 ? (size_t)atol(argv[2]) : 20000;
	bool only_speed = argc > 3 && !strcmp(argv[3], "speed");
	bool only_trav = argc > 3 && !strcmp(argv[3], "travellers");
	bool only_self = argc > 3 && !strcmp(argv[3], "self");
	bool show = getenv("BENCH_SHOW") != NULL;
	struct vg_match_index *ix = NULL;
	const struct vg_person **all = NULL;
	bool *particle = NULL;
	if (argc < 2) {
		fprintf(stderr, "usage: bench_names_un SHARED_DIR [queries "
		                "[speed|travellers|self]]\n");
		return 2;
	}
	load_lists(argv[1]);
	make_probes(&pr);

	/* the hub's index: every name of every entry, UN then OFAC */
	size_t n_all = un.n_entries + ofac.n_entries, names = 0;
	all = malloc(n_all * sizeof(*all));
	if (!all)
		die("out of memory");
	for (size_t i = 0; i < n_all; i++) {
		all[i] = i < un.n_entries
		             ? &un.entries[i].person
		             : &ofac.entries[i - un.n_entries].person;
		names += all[i]->n_names;
	}
	double t0 = now();
	if (vg_match_index_build(all, NULL, n_all, &ix))
		die("cannot build the index");
	double t1 = now();

	if (!only_speed && !only_trav) {
		UTransliterator *tr = ref_jw_open();
		struct pindex pu, pc;
		if (!tr)
			die("cannot open ICU");
		make_links(tr, &lk);
		pindex_build(&pu, false, tr);
		pindex_build(&pc, true, tr);
		printf("UN self-test: every alias and original-script name of "
		       "the %zu UN individuals queried by name alone; rank-1: "
		       "its individual ranks first (an OFAC entry linked to "
		       "it, %zu individuals have one, passed over); strict: "
		       "the UN entry itself first\n\n",
		       un.n_individuals, lk.n_linked);
		self_test(&pu, &pr, &lk, tr, show);
		printf("\n");
		self_test(&pc, &pr, &lk, tr, show);
		particle = calloc(N_NEGATIVES, sizeof(*particle));
		if (!particle)
			die("out of memory");
		negatives(&neg, N_NEGATIVES, particle);
		printf("\noutside negatives: %d fictional people, a third with "
		       "name particles; hit at >= %.2f\n",
		       N_NEGATIVES, VG_MATCH_DEFAULT_THRESHOLD);
		false_hits("travellers (name, dob, gender), hub index", ix,
		           &neg, particle, false, show);
		false_hits("name only, hub index", ix, &neg, particle, true,
		           false);
		false_hits("name only, primary names UN + OFAC", pc.ix, &neg,
		           particle, true, false);
		pindex_free(&pu);
		pindex_free(&pc);
		utrans_close(tr);
		if (only_self)
			goto out;
	}

	printf("\nindex over UN (%zu) + OFAC (%zu): %zu entries, %zu names, "
	       "built in %.0f ms\n",
	       un.n_entries, ofac.n_entries, n_all, names, (t1 - t0) * 1e3);
	/* the UN aliases as travellers: nearly every query is a hit */
	for (size_t k = 0; k < pr.n; k++) {
		struct vg_person *p = plist_add(&un_q);
		add_name(p, pr.v[k].name, VG_NAME_PRIMARY);
	}
	travellers(&trav, nq);
	if (only_trav) { /* for profiling: one thread, one set */
		struct run r = {ix, &trav, 0, trav.n, 0, 0, 0, 0, 0};
		run_queries(&r);
		printf("%.2f us/query CPU\n", r.secs * 1e6 / trav.n);
		goto out;
	}
	speed("fictional travellers", ix, &trav);
	speed("UN aliases as travellers", ix, &un_q);
	if (!only_speed) {
		brute("reference (travellers)", all, n_all, ix, &trav, 200, 1,
		      show ? 20 : 0);
		brute("reference (UN aliases)", all, n_all, ix, &un_q, 120,
		      un_q.n / 120, show ? 20 : 0);
	}

out:
	vg_match_index_free(ix);
	free(all);
	free(particle);
	free(lk.v);
	free(lk.off);
	plist_free(&un_q);
	plist_free(&trav);
	plist_free(&neg);
	free(pr.v);
	vg_watchlist_release(&un);
	vg_watchlist_release(&ofac);
	return 0;
}
