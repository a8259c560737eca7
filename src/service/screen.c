/* Screening: watchlist entries (STIX identities with the watchlist
 * extension) loaded under the caller's access rights into a match index;
 * travel data parsed in any supported format; every traveller screened,
 * on as many threads as asked; runs kept with their hits and the
 * analysts' dispositions. */
#include "service_int.h"
#include "vigil/util/error.h"
#include "vigil/travel/paxlst.h"
#include "screen_int.h"
#include "vigil/stix/stix.h"
#include "vigil/util/timefmt.h"
#include "vigil/watchlist/wl_stix.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- loading --------------------------------------------------------- */

struct loader {
	struct vg_screen_index *x;
	size_t cap;
};

static int load_row(void *ud, const struct vg_row *r)
{
	struct loader *l = ud;
	struct vg_screen_index *x = l->x;
	if (r->revoked)
		return 0; /* delisted */
	cJSON *o = cJSON_ParseWithLength(r->json, r->json_len);
	if (!o)
		return 0;
	if (x->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 1024;
		struct vg_screen_entry *v = realloc(x->entries, cap * sizeof(*v));
		if (!v) {
			cJSON_Delete(o);
			return VG_ENOMEM;
		}
		x->entries = v;
		l->cap = cap;
	}
	struct vg_screen_entry *e = &x->entries[x->n];
	struct vg_wl_ref ref;
	memset(e, 0, sizeof(*e));
	vg_person_init(&e->person);
	int rc = vg_wl_stix_person(o, &e->person, &ref);
	cJSON_Delete(o);
	if (rc || !e->person.n_names) {
		vg_person_release(&e->person);
		return rc == VG_ENOMEM ? rc : 0;
	}
	snprintf(e->id, sizeof(e->id), "%s", r->id);
	snprintf(e->version, sizeof(e->version), "%s",
		 r->modified ? r->modified : "");
	snprintf(e->list, sizeof(e->list), "%s", ref.list);
	snprintf(e->ref, sizeof(e->ref), "%s", ref.ref);
	snprintf(e->name, sizeof(e->name), "%s", ref.name);
	e->meta = (struct vg_access_meta){
		.owner = r->owner,
		.scope = (enum vg_scope)r->scope,
		.group = r->grp,
		.tlp = r->tlp,
		.classification = r->classification,
		.added = r->date_added,
	};
	x->n++;
	return 0;
}

int vg__screen_load(struct vg_store *s, struct vg_screen_index *out)
{
	struct loader l = {.x = out};
	const char *identity = "identity";
	struct vg_principal all = {.operator = 1};
	struct vg_access_expr vis;
	/* the latest version of every entry: each caller's hits are then
	 * filtered by the access rule (vg__screen_run_for's keep) */
	vg_access_expr(&all, &vis);
	struct vg_query q = {.visible = &vis, .types = &identity, .n_types = 1};
	struct timespec t0, t1;
	memset(out, 0, sizeof(*out));
	int rc = s->ops->objects->scan(s, &q, load_row, &l);
	const struct vg_person **persons = NULL;
	if (!rc && out->n) {
		persons = malloc(out->n * sizeof(*persons));
		if (!persons)
			rc = VG_ENOMEM;
	}
	for (size_t i = 0; !rc && i < out->n; i++)
		persons[i] = &out->entries[i].person;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* no entry, no index: screening then says there is no list */
	if (!rc && out->n)
		rc = vg_match_index_build(persons, NULL, out->n, &out->ix);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	out->build_seconds = (double)(t1.tv_sec - t0.tv_sec) +
			     (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	free(persons);
	if (rc)
		vg__screen_index_release(out);
	return rc;
}

void vg__screen_index_release(struct vg_screen_index *x)
{
	vg_match_index_free(x->ix);
	for (size_t i = 0; i < x->n; i++)
		vg_person_release(&x->entries[i].person);
	free(x->entries);
	memset(x, 0, sizeof(*x));
}

/* ---- travel data ------------------------------------------------------- */

/* Move every message's travellers and errors into one list. */
static int paxlst_list(struct vg_paxlst *px, struct vg_travel_list *out)
{
	size_t nt = 0, ne = 0;
	for (size_t m = 0; m < px->n_msgs; m++) {
		nt += px->msgs[m].list.n_travellers;
		ne += px->msgs[m].list.n_errors;
	}
	out->travellers = nt ? calloc(nt, sizeof(*out->travellers)) : NULL;
	out->errors = ne ? calloc(ne, sizeof(*out->errors)) : NULL;
	if ((nt && !out->travellers) || (ne && !out->errors))
		return VG_ENOMEM;
	for (size_t m = 0; m < px->n_msgs; m++) {
		struct vg_travel_list *l = &px->msgs[m].list;
		size_t base = out->n_travellers;
		for (size_t i = 0; i < l->n_errors; i++) {
			out->errors[out->n_errors] = l->errors[i];
			if (l->errors[i].traveller != VG_TRAVEL_NO_RECORD)
				out->errors[out->n_errors].traveller += base;
			out->n_errors++;
		}
		/* a message without travellers has none to move (and both
		 * pointers may be NULL, which memcpy must never get) */
		if (l->n_travellers)
			memcpy(out->travellers + base, l->travellers,
			       l->n_travellers * sizeof(*l->travellers));
		out->n_travellers += l->n_travellers;
		/* moved: the message no longer owns them */
		free(l->travellers);
		free(l->errors);
		memset(l, 0, sizeof(*l));
	}
	return VG_OK;
}

int vg_screen_parse(const char *buf, size_t len, size_t max,
		    struct vg_travel_list *out, const char **format, char *err,
		    size_t errlen)
{
	vg_travel_list_init(out);
	switch (vg_travel_detect(buf, len)) {
	case VG_TRAVEL_PAXLST: {
		struct vg_paxlst px;
		*format = "paxlst";
		int rc = vg_paxlst_parse_max(buf, len, max, &px, err, errlen);
		if (rc)
			return rc;
		rc = paxlst_list(&px, out);
		vg_paxlst_release(&px);
		return rc;
	}
	case VG_TRAVEL_CSV:
		*format = "csv";
		return vg_travel_parse_csv_max(buf, len, max, out, err, errlen);
	case VG_TRAVEL_JSONL:
		*format = "jsonl";
		return vg_travel_parse_jsonl_max(buf, len, max, out, err, errlen);
	case VG_TRAVEL_UNKNOWN:
		break;
	}
	*format = "unknown";
	snprintf(err, errlen, "the input is not PAXLST (UNA/UNB), CSV with the "
			      "travel header, or JSON lines");
	return VG_EINVAL;
}

/* ---- screening ------------------------------------------------------- */

#define MAX_HITS_PER_TRAVELLER 10

struct worker {
	const struct vg_screen_index *x;
	const struct vg_travel_list *tl;
	double threshold;
	vg_screen_keep_fn keep;
	void *ud;
	size_t from, to;
	struct vg_screen_hit *hits;
	size_t n_hits, cap;
	int rc;
};

static int add_hit(struct worker *w, size_t t, const struct vg_match_hit *h)
{
	if (w->n_hits == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 64;
		struct vg_screen_hit *v = realloc(w->hits, cap * sizeof(*v));
		if (!v)
			return VG_ENOMEM;
		w->hits = v;
		w->cap = cap;
	}
	struct vg_screen_hit *o = &w->hits[w->n_hits++];
	memset(o, 0, sizeof(*o));
	o->traveller = t;
	o->entry = &w->x->entries[h->entry];
	o->score = h->score;
	o->ex = h->ex;
	return VG_OK;
}

/* One traveller's best hits among the entries w->keep keeps. The query
 * gives the best hits over every entry, so when some are not kept and the
 * query was cut, it is asked again for more: entries a caller may not
 * read must never take the place of hits it may see. */
static int screen_one(struct worker *w, struct vg_match_scratch *sc, size_t t,
		      struct vg_match_hit *first)
{
	const struct vg_person *q = &w->tl->travellers[t].person;
	struct vg_match_hit *h = first, *more = NULL;
	size_t cap = MAX_HITS_PER_TRAVELLER, all = vg_match_index_size(w->x->ix);
	size_t n = 0, kept = 0;
	int rc;
	for (;;) {
		rc = vg_match_index_query(w->x->ix, sc, q, w->threshold, h, cap, &n);
		if (rc)
			break;
		kept = 0;
		for (size_t i = 0; i < n; i++)
			if (!w->keep || w->keep(w->ud, &w->x->entries[h[i].entry]))
				kept++;
		if (kept >= MAX_HITS_PER_TRAVELLER || n < cap || cap >= all)
			break;
		cap = cap * 8 < all ? cap * 8 : all;
		struct vg_match_hit *v = realloc(more, cap * sizeof(*v));
		if (!v) {
			rc = VG_ENOMEM;
			break;
		}
		h = more = v;
	}
	kept = 0;
	for (size_t i = 0; !rc && i < n && kept < MAX_HITS_PER_TRAVELLER; i++) {
		if (w->keep && !w->keep(w->ud, &w->x->entries[h[i].entry]))
			continue;
		rc = add_hit(w, t, &h[i]);
		kept++;
	}
	free(more);
	return rc;
}

static void *screen_part(void *arg)
{
	struct worker *w = arg;
	struct vg_match_scratch *sc = NULL;
	struct vg_match_hit h[MAX_HITS_PER_TRAVELLER];
	w->rc = vg_match_scratch_new(w->x->ix, &sc);
	for (size_t t = w->from; !w->rc && t < w->to; t++)
		w->rc = screen_one(w, sc, t, h);
	vg_match_scratch_free(sc);
	return NULL;
}

int vg__screen_run_for(const struct vg_screen_index *x,
		      const struct vg_travel_list *tl, double threshold,
		      int threads, vg_screen_keep_fn keep, void *ud,
		      struct vg_screen_result *out)
{
	memset(out, 0, sizeof(*out));
	if (!x->ix || !tl->n_travellers)
		return VG_OK;
	if (threads <= 0)
		threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (threads < 1)
		threads = 1;
	if ((size_t)threads > tl->n_travellers)
		threads = (int)tl->n_travellers;
	if (threads > 64)
		threads = 64;
	struct worker w[64];
	pthread_t th[64];
	size_t per = (tl->n_travellers + (size_t)threads - 1) / (size_t)threads;
	int rc = VG_OK;
	for (int i = 0; i < threads; i++) {
		w[i] = (struct worker){.x = x, .tl = tl, .threshold = threshold,
				       .keep = keep, .ud = ud,
				       .from = (size_t)i * per};
		w[i].to = w[i].from + per < tl->n_travellers ? w[i].from + per
							     : tl->n_travellers;
		if (i && pthread_create(&th[i], NULL, screen_part, &w[i]))
			screen_part(&w[i]); /* no thread: do it here */
		else if (!i)
			th[0] = pthread_self();
	}
	screen_part(&w[0]);
	for (int i = 1; i < threads; i++)
		pthread_join(th[i], NULL);
	size_t total = 0;
	for (int i = 0; i < threads; i++) {
		total += w[i].n_hits;
		if (w[i].rc && !rc)
			rc = w[i].rc;
	}
	if (!rc && total && !(out->hits = malloc(total * sizeof(*out->hits))))
		rc = VG_ENOMEM;
	/* parts are in traveller order, so the hits are too */
	for (int i = 0; i < threads; i++) {
		if (!rc && w[i].n_hits) /* no hits: both may be NULL (UBSan) */
			memcpy(out->hits + out->n_hits, w[i].hits,
			       w[i].n_hits * sizeof(*w[i].hits));
		if (!rc)
			out->n_hits += w[i].n_hits;
		free(w[i].hits);
	}
	return rc;
}

void vg__screen_result_release(struct vg_screen_result *r)
{
	free(r->hits);
	memset(r, 0, sizeof(*r));
}

/* ---- output ----------------------------------------------------------- */

static int person_json(const struct vg_traveller *t, struct vg_buf *b)
{
	const struct vg_person *p = &t->person;
	char date[16];
	int rc = vg_buf_printf(b, "{\"line\":%zu,\"name\":", t->line);
	if (!rc)
		rc = vg_buf_json_str(b, p->n_names ? p->names[0].full : "");
	if (!rc && p->n_dobs) {
		vg_pdate_format(&p->dobs[0].from, date);
		rc = vg_buf_printf(b, ",\"date_of_birth\":\"%s\"", date);
	}
	if (!rc && p->n_nationalities) {
		rc = vg_buf_puts(b, ",\"nationality\":");
		if (!rc)
			rc = vg_buf_json_str(b, p->nationalities[0]);
	}
	if (!rc && p->n_docs) {
		rc = vg_buf_puts(b, ",\"document\":");
		if (!rc)
			rc = vg_buf_json_str(b, p->docs[0].number);
	}
	if (!rc && t->flight) {
		rc = vg_buf_puts(b, ",\"flight\":");
		if (!rc)
			rc = vg_buf_json_str(b, t->flight);
	}
	if (!rc)
		rc = vg_buf_printf(b, ",\"role\":\"%s\",\"errors\":%zu}",
				   vg_traveller_role_name(t->role), t->n_errors);
	return rc;
}

static int travellers_json(const struct vg_travel_list *tl, struct vg_buf *b)
{
	int rc = vg_buf_putc(b, '[');
	for (size_t i = 0; !rc && i < tl->n_travellers; i++) {
		if (i)
			rc = vg_buf_putc(b, ',');
		if (!rc)
			rc = person_json(&tl->travellers[i], b);
	}
	return rc ? rc : vg_buf_putc(b, ']');
}

int vg__screen_entry_json(const struct vg_screen_entry *e, struct vg_buf *b)
{
	int rc = vg_buf_puts(b, "{\"id\":");
	if (!rc)
		rc = vg_buf_json_str(b, e->id);
	if (!rc && e->version[0]) {
		rc = vg_buf_puts(b, ",\"version\":");
		if (!rc)
			rc = vg_buf_json_str(b, e->version);
	}
	if (!rc)
		rc = vg_buf_puts(b, ",\"list\":");
	if (!rc)
		rc = vg_buf_json_str(b, e->list);
	if (!rc)
		rc = vg_buf_puts(b, ",\"reference_number\":");
	if (!rc)
		rc = vg_buf_json_str(b, e->ref);
	if (!rc)
		rc = vg_buf_puts(b, ",\"name\":");
	if (!rc)
		rc = vg_buf_json_str(b, e->name);
	return rc ? rc : vg_buf_putc(b, '}');
}

int vg__screen_same_json(const struct vg_screen_hit *h, size_t n,
			 struct vg_buf *b)
{
	int rc = vg_buf_putc(b, '[');
	for (size_t i = 1; !rc && i <= n && h[i].same_person; i++) {
		rc = vg_buf_puts(b, i > 1 ? ",{\"entry\":" : "{\"entry\":");
		if (!rc)
			rc = vg__screen_entry_json(h[i].entry, b);
		if (!rc)
			rc = vg_buf_printf(b, ",\"score\":%.4f,\"explanation\":",
					   h[i].score);
		if (!rc)
			rc = vg_match_explain_json(&h[i].ex, b);
		if (!rc)
			rc = vg_buf_puts(b, ",\"because\":");
		if (!rc)
			rc = vg_buf_json_str(b, h[i].because);
		if (!rc)
			rc = vg_buf_putc(b, '}');
	}
	return rc ? rc : vg_buf_putc(b, ']');
}

/* Lead h (and the n hits after it) as hit number num of a run (stored:
 * with its disposition and suppression) or of a match (not stored). */
static int hit_json(const struct vg_screen_hit *h, size_t n, size_t num,
		    int stored, struct vg_buf *b)
{
	int rc = vg_buf_printf(b, "{\"hit\":%zu,\"traveller\":%zu,\"score\":%.4f,"
				  "\"entry\":",
			       num, h->traveller, h->score);
	if (!rc)
		rc = vg__screen_entry_json(h->entry, b);
	if (!rc)
		rc = vg_buf_puts(b, ",\"explanation\":");
	if (!rc)
		rc = vg_match_explain_json(&h->ex, b);
	if (!rc && stored)
		rc = vg_buf_puts(b, ",\"disposition\":\"open\"");
	if (!rc && n && h[1].same_person) {
		rc = vg_buf_puts(b, ",\"same_person\":");
		if (!rc)
			rc = vg__screen_same_json(h, n, b);
	}
	if (!rc && h->suppressed) {
		char t[VG_TIME_LEN];
		vg_time_format_us(h->suppressed_at, t);
		rc = vg_buf_printf(b, ",\"suppressed\":{\"suppression\":%lld,"
				      "\"by\":",
				   (long long)h->suppressed);
		if (!rc)
			rc = vg_buf_json_str(b, h->suppressed_by);
		if (!rc)
			rc = vg_buf_printf(b, ",\"at\":\"%s\"}", t);
	}
	return rc ? rc : vg_buf_putc(b, '}');
}

int vg__screen_json(const char *run_id, const char *format,
		   const struct vg_travel_list *tl,
		   const struct vg_screen_result *r, struct vg_buf *out)
{
	int rc = vg_buf_puts(out, "{");
	if (!rc && run_id)
		rc = vg_buf_printf(out, "\"run\":\"%s\",", run_id);
	if (!rc)
		rc = vg_buf_printf(out, "\"format\":\"%s\",\"travellers\":", format);
	if (!rc)
		rc = travellers_json(tl, out);
	if (!rc)
		rc = vg_buf_puts(out, ",\"errors\":[");
	for (size_t i = 0; !rc && i < tl->n_errors; i++) {
		if (i)
			rc = vg_buf_putc(out, ',');
		if (!rc)
			rc = vg_buf_json_str(out, tl->errors[i].msg);
	}
	if (!rc)
		rc = vg_buf_puts(out, "],\"hits\":[");
	for (size_t i = 0, num = 0; !rc && i < r->n_hits; i++) {
		if (r->hits[i].same_person)
			continue;
		if (num)
			rc = vg_buf_putc(out, ',');
		if (!rc)
			rc = hit_json(&r->hits[i], r->n_hits - i - 1, ++num,
				      run_id != NULL, out);
	}
	return rc ? rc : vg_buf_puts(out, "]}");
}

/* ---- runs and dispositions ------------------------------------------- */

static const char *const disp_names[] = {"open", "confirmed", "false-positive",
					 "needs-review"};

int vg_disposition_parse(const char *s)
{
	for (int i = 1; i < 4; i++)
		if (!strcmp(s, disp_names[i]))
			return i;
	return -1;
}

const char *vg_disposition_name(enum vg_disposition d)
{
	return (unsigned)d < 4 ? disp_names[d] : "?";
}

int vg__screen_store(struct vg_store *s, const struct vg_ctx *a,
		    const char *source, const char *format,
		    const struct vg_travel_list *tl,
		    const struct vg_screen_result *r,
		    const struct vg_traveller_key *keys, double threshold,
		    char run_id[37])
{
	unsigned char rnd[16];
	struct vg_buf trav, ex, same;
	vg_buf_init(&trav, 0);
	vg_buf_init(&ex, 0);
	vg_buf_init(&same, 0);
	randombytes_buf(rnd, sizeof(rnd));
	vg_uuid_v4(rnd, run_id);
	int rc = travellers_json(tl, &trav);
	struct vg_screen_run_row row = {
		.id = run_id,
		.created = vg__now_us(),
		.actor = a->user,
		.org = a->p.org,
		.source = source ? source : "",
		.format = format,
		.travellers = (int64_t)tl->n_travellers,
		.hits = (int64_t)r->n_leads,
		.threshold = threshold,
		.travellers_json = trav.data,
	};
	if (!rc)
		rc = s->ops->screen->run_add(s, &row);
	int64_t num = 0, suppressed = 0;
	for (size_t i = 0; !rc && i < r->n_hits; i++) {
		const struct vg_screen_hit *h = &r->hits[i];
		const struct vg_traveller_key *k =
			keys ? &keys[h->traveller] : NULL;
		if (h->same_person)
			continue;
		vg_buf_reset(&ex);
		vg_buf_reset(&same);
		rc = vg_match_explain_json(&h->ex, &ex);
		int grouped = i + 1 < r->n_hits && h[1].same_person;
		if (!rc && grouped)
			rc = vg__screen_same_json(h, r->n_hits - i - 1, &same);
		struct vg_screen_hit_row hr = {
			.run = run_id,
			.n = ++num,
			.traveller = (int64_t)h->traveller,
			.entry = h->entry->id,
			.list = h->entry->list,
			.ref = h->entry->ref,
			.score = h->score,
			.explanation = ex.data,
			.entry_version = h->entry->version,
			.entry_name = h->entry->name,
			.key_doc = k ? k->doc : "",
			.key_name = k ? k->name : "",
			.key_dob = k ? k->dob : "",
			.same_person = grouped ? same.data : NULL,
			.suppressed = h->suppressed,
		};
		suppressed += h->suppressed != 0;
		if (!rc)
			rc = s->ops->screen->hit_add(s, &hr);
	}
	if (!rc) {
		struct vg__detail d;
		vg__detail_begin(&d);
		vg_jw_kstr(&d.w, "run", run_id);
		vg_jw_kstr(&d.w, "format", format);
		vg_jw_kint(&d.w, "travellers", (int64_t)tl->n_travellers);
		vg_jw_kint(&d.w, "hits", (int64_t)r->n_leads);
		if (suppressed)
			vg_jw_kint(&d.w, "suppressed", suppressed);
		vg_jw_knum(&d.w, "threshold", threshold, 2);
		const char *detail = vg__detail_end(&d);
		rc = detail ? vg__audit(s, a, "screen.run", source ? source : "",
					detail)
			    : VG_ENOMEM;
		vg__detail_release(&d);
	}
	vg_buf_release(&trav);
	vg_buf_release(&ex);
	vg_buf_release(&same);
	return rc;
}
