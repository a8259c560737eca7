/* The matcher on real lists: (1) UN self-test: index the primary names of
 * the UN list's individuals, query every alias and every original-script
 * name, print rank-1 recall per kind beside a brute-force sorted-token
 * Jaro-Winkler reference; (2) speed: index UN + OFAC (all names), time
 * the build and the queries, beside a brute-force scan in the same run.
 * The UN XML and OFAC CSV are parsed here, for the benchmark only.
 * Usage: bench_names_un SHARED_DIR [queries [speed|travellers]] ("speed":
 * only the timed queries; "travellers": only the fictional travellers on
 * one thread, for profiling). */
#include "ref_jw.h"
#include "vigil/util/error.h"
#include "vigil/names/match.h"
#include "vigil/names/person.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define MAX_HITS 10

struct plist {
	struct vg_person *v;
	size_t n, cap;
};

struct probe {
	char *name;
	size_t entry; /* the individual it belongs to (position in the list) */
	int kind;     /* 0 good alias, 1 low alias, 2 alias without quality,
	                 3 original script */
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

static void probe_add(struct probes *p, const char *name, size_t entry,
                      int kind)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 1024;
		p->v = realloc(p->v, p->cap * sizeof(*p->v));
		if (!p->v)
			die("out of memory");
	}
	p->v[p->n].name = strdup(name);
	p->v[p->n].entry = entry;
	p->v[p->n].kind = kind;
	p->n++;
}

/* ---- UN list ---------------------------------------------------- */

static xmlNode *child(xmlNode *n, const char *name)
{
	for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    !strcmp((const char *)c->name, name))
			return c;
	return NULL;
}

/* The trimmed text of n's child called name, or "" (static buffer). */
static const char *text(xmlNode *n, const char *name)
{
	static char buf[2048];
	xmlNode *c = child(n, name);
	xmlChar *t = c ? xmlNodeGetContent(c) : NULL;
	buf[0] = '\0';
	if (t) {
		const char *s = (const char *)t;
		while (*s == ' ' || *s == '\n' || *s == '\t')
			s++;
		snprintf(buf, sizeof(buf), "%s", s);
		size_t l = strlen(buf);
		while (l && (buf[l - 1] == ' ' || buf[l - 1] == '\n'))
			buf[--l] = '\0';
		xmlFree(t);
	}
	return buf;
}

static void add_name(struct vg_person *p, const char *s, enum vg_name_quality q)
{
	if (*s && vg_person_add_name(p, s, NULL, NULL, q))
		die("out of memory");
}

static void un_dobs(xmlNode *ind, struct vg_person *p)
{
	for (xmlNode *c = ind->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)c->name, "INDIVIDUAL_DATE_OF_BIRTH"))
			continue;
		struct vg_dob d = {0};
		char type[32];
		snprintf(type, sizeof(type), "%s", text(c, "TYPE_OF_DATE"));
		if (*text(c, "DATE")) {
			sscanf(text(c, "DATE"), "%d-%d-%d", &d.from.year,
			       &d.from.month, &d.from.day);
		} else if (*text(c, "YEAR")) {
			d.from.year = atoi(text(c, "YEAR"));
		} else if (*text(c, "FROM_YEAR")) {
			d.kind = VG_DOB_BETWEEN;
			d.from.year = atoi(text(c, "FROM_YEAR"));
			d.to.year = atoi(text(c, "TO_YEAR"));
		} else
			continue;
		if (!strcmp(type, "APPROXIMATELY"))
			d.kind = VG_DOB_APPROX;
		if (d.from.year > 0 && vg_person_add_dob(p, &d))
			die("out of memory");
	}
}

/* Individuals then entities into l; every individual's aliases and
 * original-script name into probes (entry = position in l). */
static void load_un(const char *path, struct plist *l, struct probes *pr,
                    size_t *n_individuals)
{
	xmlDoc *doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_HUGE);
	if (!doc)
		die("cannot parse the UN list");
	xmlNode *root = xmlDocGetRootElement(doc);
	xmlNode *inds = child(root, "INDIVIDUALS");
	for (xmlNode *i = inds ? inds->children : NULL; i; i = i->next) {
		if (i->type != XML_ELEMENT_NODE)
			continue;
		struct vg_person *p = plist_add(l);
		char full[1024] = "";
		const char *parts[] = {"FIRST_NAME", "SECOND_NAME",
		                       "THIRD_NAME", "FOURTH_NAME"};
		for (int k = 0; k < 4; k++) {
			const char *t = text(i, parts[k]);
			if (*t) {
				size_t fl = strlen(full);
				snprintf(full + fl, sizeof(full) - fl, "%s%s",
				         fl ? " " : "", t);
			}
		}
		p->kind = VG_PERSON_INDIVIDUAL;
		add_name(p, full, VG_NAME_PRIMARY);
		const char *g = text(i, "GENDER");
		p->gender = !strcmp(g, "Male")     ? VG_GENDER_MALE
		            : !strcmp(g, "Female") ? VG_GENDER_FEMALE
		                                   : VG_GENDER_UNKNOWN;
		un_dobs(i, p);
		for (xmlNode *a = i->children; a; a = a->next) {
			if (a->type != XML_ELEMENT_NODE ||
			    strcmp((const char *)a->name, "INDIVIDUAL_ALIAS"))
				continue;
			char q[16], nm[1024];
			snprintf(q, sizeof(q), "%s", text(a, "QUALITY"));
			snprintf(nm, sizeof(nm), "%s", text(a, "ALIAS_NAME"));
			if (!*nm)
				continue;
			int kind = !strcmp(q, "Good")  ? 0
			           : !strcmp(q, "Low") ? 1
			                               : 2;
			add_name(p, nm, kind == 1 ? VG_NAME_LOW : VG_NAME_GOOD);
			probe_add(pr, nm, l->n - 1, kind);
		}
		const char *o = text(i, "NAME_ORIGINAL_SCRIPT");
		if (*o) {
			char nm[1024];
			snprintf(nm, sizeof(nm), "%s", o);
			add_name(p, nm, VG_NAME_ORIGINAL);
			probe_add(pr, nm, l->n - 1, 3);
		}
	}
	*n_individuals = l->n;
	xmlNode *ents = child(root, "ENTITIES");
	for (xmlNode *e = ents ? ents->children : NULL; e; e = e->next) {
		if (e->type != XML_ELEMENT_NODE)
			continue;
		struct vg_person *p = plist_add(l);
		p->kind = VG_PERSON_ENTITY;
		add_name(p, text(e, "FIRST_NAME"), VG_NAME_PRIMARY);
		for (xmlNode *a = e->children; a; a = a->next) {
			if (a->type == XML_ELEMENT_NODE &&
			    !strcmp((const char *)a->name, "ENTITY_ALIAS")) {
				char nm[1024];
				snprintf(nm, sizeof(nm), "%s",
				         text(a, "ALIAS_NAME"));
				add_name(p, nm,
				         !strcmp(text(a, "QUALITY"), "Low")
				             ? VG_NAME_LOW
				             : VG_NAME_GOOD);
			}
		}
	}
	xmlFreeDoc(doc);
}

/* ---- OFAC SDN (sdn.csv, alt.csv) -------------------------------- */

/* Split one CSV line into at most max fields (quotes honoured, "-0-"
 * is empty); returns the count. Fields are cut in place. */
static int csv_fields(char *s, char **f, int max)
{
	int n = 0;
	while (n < max) {
		char *w = s;
		f[n++] = w;
		if (*s == '"') {
			s++;
			while (*s && !(*s == '"' && s[1] != '"')) {
				if (*s == '"')
					s++;
				*w++ = *s++;
			}
			if (*s == '"')
				s++;
		}
		while (*s && *s != ',' && *s != '\n' && *s != '\r')
			*w++ = *s++;
		char c = *s;
		*w = '\0';
		while (w > f[n - 1] && w[-1] == ' ')
			*--w = '\0';
		if (!strcmp(f[n - 1], "-0-"))
			f[n - 1][0] = '\0';
		if (c != ',')
			break;
		s++;
	}
	return n;
}

static int month_of(const char *m)
{
	static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr",
	                                  "May", "Jun", "Jul", "Aug",
	                                  "Sep", "Oct", "Nov", "Dec"};
	for (int i = 0; i < 12; i++)
		if (!strncasecmp(m, mon[i], 3))
			return i + 1;
	return 0;
}

/* "DOB 10 Dec 1948", "DOB Dec 1948", "DOB 1946", "DOB circa 1960",
 * "DOB 1960 to 1962" in the remarks. */
static void ofac_dobs(const char *r, struct vg_person *p)
{
	for (const char *s = strstr(r, "DOB "); s; s = strstr(s + 4, "DOB ")) {
		struct vg_dob d = {0};
		char a[16] = "", b[16] = "", c[16] = "", e[16] = "";
		int n = sscanf(s + 4, "%15s %15s %15s %15s", a, b, c, e);
		size_t al = strlen(a);
		if (al && a[al - 1] == ';')
			a[--al] = '\0';
		if (!strcmp(a, "circa") && n >= 2) {
			d.kind = VG_DOB_APPROX;
			d.from.year = atoi(b);
		} else if (n >= 3 && !strncmp(b, "to", 2)) {
			d.kind = VG_DOB_BETWEEN;
			d.from.year = atoi(a);
			d.to.year = atoi(c);
		} else if (n >= 3 && month_of(b) && atoi(a) > 0) {
			d.from.day = atoi(a);
			d.from.month = month_of(b);
			d.from.year = atoi(c);
		} else if (n >= 2 && month_of(a) && atoi(b) > 0) {
			d.from.month = month_of(a);
			d.from.year = atoi(b);
		} else {
			d.from.year = atoi(a);
		}
		if (d.from.year > 1800 && vg_person_add_dob(p, &d))
			die("out of memory");
	}
}

static int cmp_num(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return x < y ? -1 : x > y;
}

/* dir: at most 4096 bytes (main's path buffer). */
static void load_ofac(const char *dir, struct plist *l)
{
	char path[4200], line[8192];
	size_t first = l->n;
	long *nums = NULL;
	snprintf(path, sizeof(path), "%s/sdn.csv", dir);
	FILE *fp = fopen(path, "r");
	if (!fp)
		die("cannot read sdn.csv");
	while (fgets(line, sizeof(line), fp)) {
		char *f[12];
		if (csv_fields(line, f, 12) < 3 || !*f[1])
			continue;
		struct vg_person *p = plist_add(l);
		p->kind = !strcmp(f[2], "individual") ? VG_PERSON_INDIVIDUAL
		                                      : VG_PERSON_ENTITY;
		add_name(p, f[1], VG_NAME_PRIMARY);
		/* entry number -> position, for alt.csv */
		nums = realloc(nums, (l->n - first) * 2 * sizeof(long));
		if (!nums)
			die("out of memory");
		nums[2 * (l->n - first - 1)] = atol(f[0]);
		nums[2 * (l->n - first - 1) + 1] = (long)(l->n - 1);
		ofac_dobs(f[11] ? f[11] : "", p);
	}
	fclose(fp);
	size_t n = l->n - first;
	qsort(nums, n, 2 * sizeof(long), cmp_num);
	snprintf(path, sizeof(path), "%s/alt.csv", dir);
	fp = fopen(path, "r");
	if (!fp)
		die("cannot read alt.csv");
	while (fgets(line, sizeof(line), fp)) {
		char *f[5];
		long key;
		if (csv_fields(line, f, 5) < 4 || !*f[3])
			continue;
		key = atol(f[0]);
		long *hit = bsearch(&key, nums, n, 2 * sizeof(long), cmp_num);
		if (hit)
			add_name(&l->v[hit[1]], f[3], VG_NAME_GOOD);
	}
	fclose(fp);
	free(nums);
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
static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
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

/* ---- the UN self-test ------------------------------------------- */

static void self_test(struct plist *un, size_t n_ind, struct probes *pr)
{
	const char *kinds[] = {"alias, quality Good", "alias, quality Low",
	                       "alias, no quality", "original script"};
	size_t tot[4] = {0}, top1[4] = {0}, top1t[4] = {0}, reft[4] = {0};
	struct vg_person *prim = calloc(n_ind, sizeof(*prim));
	const struct vg_person **ptr = calloc(n_ind, sizeof(*ptr));
	char(*keys)[512] = calloc(n_ind, sizeof(*keys));
	struct vg_match_index *ix;
	struct vg_match_scratch *s;
	struct vg_match_hit *hits = calloc(MAX_HITS, sizeof(*hits));
	UTransliterator *tr = ref_jw_open();
	if (!prim || !ptr || !keys || !hits)
		die("out of memory");
	if (!tr)
		die("cannot open ICU");
	for (size_t i = 0; i < n_ind; i++) {
		vg_person_init(&prim[i]);
		add_name(&prim[i], un->v[i].names[0].full, VG_NAME_PRIMARY);
		ptr[i] = &prim[i];
		ref_jw_key(tr, un->v[i].names[0].full, keys[i],
		           sizeof(keys[i]));
	}
	double t0 = now();
	struct vg_match_scratch *sb;
	bool show = getenv("BENCH_SHOW") != NULL;
	if (vg_match_index_build(ptr, NULL, n_ind, &ix) ||
	    vg_match_scratch_new(ix, &s) || vg_match_scratch_new(NULL, &sb))
		die("cannot build the index");
	double t1 = now();
	for (size_t k = 0; k < pr->n; k++) {
		struct probe *p = &pr->v[k];
		struct vg_person q;
		size_t nh = 0;
		char qk[512];
		vg_person_init(&q);
		add_name(&q, p->name, VG_NAME_PRIMARY);
		if (vg_match_index_query(ix, s, &q, 0.01, hits, MAX_HITS, &nh))
			die("query failed");
		tot[p->kind]++;
		if (nh && hits[0].entry == p->entry) {
			top1[p->kind]++;
			if (hits[0].score >= VG_MATCH_DEFAULT_THRESHOLD)
				top1t[p->kind]++;
		}
		/* the reference: brute force over every primary name */
		ref_jw_key(tr, p->name, qk, sizeof(qk));
		double best = -1;
		size_t bi = 0;
		for (size_t i = 0; i < n_ind; i++) {
			double j = ref_jw_keys(qk, keys[i]);
			if (j > best) {
				best = j;
				bi = i;
			}
		}
		if (bi == p->entry)
			reft[p->kind]++;
		bool listed = false;
		for (size_t h = 0; h < nh; h++)
			listed |= hits[h].entry == p->entry &&
			          hits[h].score >= VG_MATCH_DEFAULT_THRESHOLD;
		if (show && !listed) {
			/* what the scan would have found: the index's loss */
			double sc;
			struct vg_match_explain ex;
			vg_match_persons(sb, &q, &prim[p->entry], &sc, &ex);
			if (sc >= VG_MATCH_DEFAULT_THRESHOLD) {
				struct vg_buf b;
				vg_buf_init(&b, 0);
				vg_match_explain_line(&ex, &b);
				printf("  index lost: %s\n", b.data);
				vg_buf_release(&b);
			}
		}
		vg_person_release(&q);
	}
	printf("UN self-test: %zu individuals indexed by primary name only "
	       "(build %.1f ms); rank-1 recall of every alias and original-"
	       "script name\n",
	       n_ind, (t1 - t0) * 1e3);
	printf("%-22s %5s | %-13s %-22s | %-13s\n", "probe", "n",
	       "vigil rank-1", "vigil rank-1 >= 0.70", "reference JW");
	for (int k = 0; k < 4; k++)
		if (tot[k])
			printf(
			    "%-22s %5zu | %5.1f%% %6zu | %5.1f%% %15zu | "
			    "%5.1f%% %6zu\n",
			    kinds[k], tot[k],
			    100.0 * top1[k] / (tot[k] ? tot[k] : 1), top1[k],
			    100.0 * top1t[k] / (tot[k] ? tot[k] : 1), top1t[k],
			    100.0 * reft[k] / (tot[k] ? tot[k] : 1), reft[k]);
	vg_match_scratch_free(s);
	vg_match_scratch_free(sb);
	vg_match_index_free(ix);
	utrans_close(tr);
	for (size_t i = 0; i < n_ind; i++)
		vg_person_release(&prim[i]);
	free(prim);
	free(ptr);
	free(keys);
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
static void brute(const char *label, const struct plist *all,
                  const struct vg_match_index *ix, const struct plist *q,
                  size_t n, size_t step, int show)
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
		for (size_t e = 0; e < all->n; e++) {
			double sc;
			if (all->v[e].kind != q->v[i].kind)
				continue;
			if (vg_match_persons(s, &q->v[i], &all->v[e], &sc,
			                     NULL))
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
				vg_match_persons(s, &q->v[i], &all->v[e], &sc,
				                 &ex);
				vg_match_explain_line(&ex, &b);
				printf("  missed: %s\n", b.data);
				vg_buf_release(&b);
			}
		}
	}
	double el = cpu_now() - t0 - tq;
	printf("%-28s %6zu queries: %7.0f us/query CPU (brute-force scan of "
	       "%zu entries); the index found %zu of its %zu hits\n",
	       label, done, el * 1e6 / (done ? done : 1), all->n, found,
	       found + missed);
	vg_match_scratch_free(s);
	vg_match_scratch_free(si);
	free(hits);
}

int main(int argc, char **argv)
{
	struct plist all = {0}, un_q = {0}, trav = {0};
	struct probes pr = {0};
	size_t n_ind = 0, nq = argc > 2 ? (size_t)atol(argv[2]) : 20000;
	bool only_speed = argc > 3 && !strcmp(argv[3], "speed");
	bool only_trav = argc > 3 && !strcmp(argv[3], "travellers");
	char path[4096];
	if (argc < 2) {
		fprintf(stderr, "usage: bench_names_un SHARED_DIR [queries]\n");
		return 2;
	}
	snprintf(path, sizeof(path),
	         "%s/data/watchlists/un/consolidated-2026-02-27.xml", argv[1]);
	load_un(path, &all, &pr, &n_ind);
	if (!only_speed && !only_trav)
		self_test(&all, n_ind, &pr);

	size_t n_un = all.n;
	snprintf(path, sizeof(path), "%s/data/watchlists/ofac", argv[1]);
	load_ofac(path, &all);
	const struct vg_person **ptr = malloc(all.n * sizeof(*ptr));
	size_t names = 0;
	if (!ptr)
		die("out of memory");
	for (size_t i = 0; i < all.n; i++) {
		ptr[i] = &all.v[i];
		names += all.v[i].n_names;
	}
	struct vg_match_index *ix;
	double t0 = now();
	if (vg_match_index_build(ptr, NULL, all.n, &ix))
		die("cannot build the index");
	double t1 = now();
	printf("\nindex over UN (%zu) + OFAC (%zu): %zu entries, %zu names, "
	       "built in %.0f ms\n",
	       n_un, all.n - n_un, all.n, names, (t1 - t0) * 1e3);

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
		brute("reference (travellers)", &all, ix, &trav, 200, 1,
		      getenv("BENCH_SHOW") ? 20 : 0);
		brute("reference (UN aliases)", &all, ix, &un_q, 120,
		      un_q.n / 120, getenv("BENCH_SHOW") ? 20 : 0);
	}

out:
	vg_match_index_free(ix);
	free(ptr);
	for (size_t i = 0; i < all.n; i++)
		vg_person_release(&all.v[i]);
	for (size_t i = 0; i < un_q.n; i++)
		vg_person_release(&un_q.v[i]);
	for (size_t i = 0; i < trav.n; i++)
		vg_person_release(&trav.v[i]);
	for (size_t i = 0; i < pr.n; i++)
		free(pr.v[i].name);
	free(all.v);
	free(un_q.v);
	free(trav.v);
	free(pr.v);
	xmlCleanupParser();
	return 0;
}
