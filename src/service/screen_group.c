/* What a screening decides after the matcher: which hits of one
 * traveller point at the same person (one hit with several entries), the
 * traveller's key for suppressions, and which hits a remembered
 * false-positive disposition holds back. Decided here, never in the
 * store, which only keeps the suppressions. */
#include "screen_int.h"
#include "vigil/util/error.h"
#include "vigil/watchlist/wl_stix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* At most this many hits per traveller (screen.c keeps ten). */
#define MAX_GROUP 16

/* ---- normal forms ---------------------------------------------------- */

/* A document number as letters and digits in upper case ("k-203 8771" is
 * "K2038771"). */
static void doc_norm(const char *s, char *out, size_t n)
{
	size_t k = 0;
	for (; s && *s && k + 1 < n; s++) {
		char c = *s;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 32);
		if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
			out[k++] = c;
	}
	out[k] = '\0';
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A name as the matcher normalises it (transliterated, particles and
 * titles as symbols), its weighted tokens sorted and joined by spaces:
 * "AL-FADHLI, Muhsin" and "Muhsin al Fadhli" give "fadhli muhsin". */
static int name_norm(struct vg_name_norm *nn, const char *s,
                     enum vg_person_kind kind, char *out, size_t n)
{
	struct vg_name_tokens *t = malloc(sizeof(*t));
	const char *v[VG_NAME_MAX_TOKENS];
	size_t k = 0, len = 0;
	if (!t)
		return VG_ENOMEM;
	int rc = vg_name_normalize(nn, s, strlen(s), kind, t);
	for (size_t i = 0; !rc && i < t->n; i++) {
		const struct vg_name_token *tok = &t->tok[i];
		if (tok->weight <= 0 || tok->sym == VG_SYM_AL ||
		    tok->sym == VG_SYM_TITLE || tok->sym == VG_SYM_STOP ||
		    tok->sym == VG_SYM_LEGAL)
			continue;
		v[k++] = t->pool + tok->text;
	}
	qsort(v, k, sizeof(v[0]), cmp_str);
	out[0] = '\0';
	for (size_t i = 0; !rc && i < k; i++) {
		int w =
		    snprintf(out + len, n - len, "%s%s", i ? " " : "", v[i]);
		if (w < 0 || (size_t)w >= n - len)
			break; /* cut at a token: a long name stays comparable
			        */
		len += (size_t)w;
	}
	free(t);
	return rc;
}

int vg__screen_keys(const struct vg_travel_list *tl,
                    const struct vg_screen_result *r, struct vg_name_norm **nn,
                    struct vg_traveller_key **out)
{
	struct vg_traveller_key *k = NULL;
	int rc = VG_OK;
	*out = NULL;
	if (!tl->n_travellers)
		return VG_OK;
	k = calloc(tl->n_travellers, sizeof(*k));
	if (!k)
		return VG_ENOMEM;
	for (size_t i = 0; !rc && i < r->n_hits; i++) {
		size_t t = r->hits[i].traveller;
		const struct vg_person *p = &tl->travellers[t].person;
		if (i && r->hits[i - 1].traveller == t)
			continue; /* one key per traveller */
		if (!*nn)
			rc = vg_name_norm_new(nn);
		if (!rc && p->n_docs)
			doc_norm(p->docs[0].number, k[t].doc, sizeof(k[t].doc));
		if (!rc && p->n_names)
			rc = name_norm(*nn, p->names[0].full,
			               VG_PERSON_INDIVIDUAL, k[t].name,
			               sizeof(k[t].name));
		if (!rc && p->n_dobs)
			vg_pdate_format(&p->dobs[0].from, k[t].dob);
	}
	if (rc) {
		free(k);
		return rc;
	}
	*out = k;
	return VG_OK;
}

/* ---- one person ------------------------------------------------------- */

/* An entry's names as name_norm gives them (low-quality aliases left
 * out: they are too weak to say two entries are one person). */
struct names {
	char (*v)[256];
	size_t n;
};

static int entry_names(struct vg_name_norm *nn, const struct vg_person *p,
                       struct names *out)
{
	out->n = 0;
	out->v = p->n_names ? calloc(p->n_names, sizeof(*out->v)) : NULL;
	if (p->n_names && !out->v)
		return VG_ENOMEM;
	for (size_t i = 0; i < p->n_names; i++) {
		if (p->names[i].quality == VG_NAME_LOW)
			continue;
		int rc = name_norm(nn, p->names[i].full, p->kind,
		                   out->v[out->n], sizeof(out->v[0]));
		if (rc)
			return rc;
		if (out->v[out->n][0])
			out->n++;
	}
	return VG_OK;
}

/* Why entries a and b are one person ("" when they are not): a document
 * number both list (five characters or more), or a name both give with a
 * date of birth both give exactly. */
static void same_person(const struct vg_person *a, const struct names *an,
                        const struct vg_person *b, const struct names *bn,
                        char *why, size_t n)
{
	why[0] = '\0';
	for (size_t i = 0; i < a->n_docs; i++) {
		char x[64], y[64];
		doc_norm(a->docs[i].number, x, sizeof(x));
		if (strlen(x) < 5)
			continue;
		for (size_t j = 0; j < b->n_docs; j++) {
			doc_norm(b->docs[j].number, y, sizeof(y));
			if (!strcmp(x, y)) {
				snprintf(why, n, "document '%s'", x);
				return;
			}
		}
	}
	int dob = 0;
	for (size_t i = 0; !dob && i < a->n_dobs; i++)
		for (size_t j = 0; !dob && j < b->n_dobs; j++)
			dob = a->dobs[i].kind == VG_DOB_EXACT &&
			      b->dobs[j].kind == VG_DOB_EXACT &&
			      a->dobs[i].from.year &&
			      !vg_pdate_cmp(&a->dobs[i].from, &b->dobs[j].from);
	for (size_t i = 0; dob && i < an->n; i++)
		for (size_t j = 0; j < bn->n; j++)
			if (!strcmp(an->v[i], bn->v[j])) {
				snprintf(why, n, "name and date of birth");
				return;
			}
}

static size_t find(size_t *up, size_t i)
{
	while (up[i] != i)
		i = up[i] = up[up[i]];
	return i;
}

/* Group the n hits of one traveller (best first): each group in the
 * place of its best hit, which leads; the others follow it. */
static int group_one(struct vg_name_norm *nn, struct vg_screen_hit *h, size_t n)
{
	struct names nm[MAX_GROUP] = {{0}};
	char why[MAX_GROUP][MAX_GROUP][128];
	size_t up[MAX_GROUP], k = 0;
	struct vg_screen_hit *tmp = malloc(n * sizeof(*tmp));
	int rc = tmp ? VG_OK : VG_ENOMEM;
	for (size_t i = 0; !rc && i < n; i++)
		rc = entry_names(nn, &h[i].entry->person, &nm[i]);
	for (size_t i = 0; i < n; i++)
		up[i] = i;
	for (size_t i = 0; !rc && i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			same_person(&h[i].entry->person, &nm[i],
			            &h[j].entry->person, &nm[j], why[i][j],
			            sizeof(why[i][j]));
			memcpy(why[j][i], why[i][j], sizeof(why[i][j]));
			size_t a = find(up, i), b = find(up, j);
			/* a group's root is its lowest index: its best hit */
			if (why[i][j][0] && a != b)
				up[a > b ? a : b] = a < b ? a : b;
		}
	for (size_t lead = 0; !rc && lead < n; lead++) {
		if (find(up, lead) != lead)
			continue;
		for (size_t i = lead; i < n; i++) {
			if (find(up, i) != lead)
				continue;
			tmp[k] = h[i];
			tmp[k].same_person = i != lead;
			tmp[k].because[0] = '\0';
			/* the reason: its link to the earliest of the group */
			for (size_t x = lead; i != lead && x < n; x++)
				if (x != i && find(up, x) == lead &&
				    why[x][i][0]) {
					memcpy(tmp[k].because, why[x][i],
					       sizeof(tmp[k].because));
					break;
				}
			k++;
		}
	}
	if (!rc)
		memcpy(h, tmp, n * sizeof(*h));
	for (size_t i = 0; i < n; i++)
		free(nm[i].v);
	free(tmp);
	return rc;
}

int vg__screen_group(struct vg_screen_result *r, struct vg_name_norm **nn)
{
	int rc = VG_OK;
	r->n_leads = 0;
	for (size_t i = 0; !rc && i < r->n_hits;) {
		size_t j = i;
		while (j < r->n_hits &&
		       r->hits[j].traveller == r->hits[i].traveller)
			j++;
		if (j - i > 1 && j - i <= MAX_GROUP) {
			if (!*nn)
				rc = vg_name_norm_new(nn);
			if (!rc)
				rc = group_one(*nn, r->hits + i, j - i);
		}
		i = j;
	}
	for (size_t i = 0; i < r->n_hits; i++)
		r->n_leads += !r->hits[i].same_person;
	r->n_raised = r->n_leads;
	return rc;
}

/* ---- suppressions ---------------------------------------------------- */

struct sup {
	int64_t id, created;
	char entry[80], version[40], doc[64], name[256], dob[16], by[128];
};

struct sups {
	struct sup *v;
	size_t n, cap;
};

static int take_sup(void *ud, const struct vg_suppression_row *r)
{
	struct sups *l = ud;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct sup *v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return VG_ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	struct sup *s = &l->v[l->n++];
	s->id = r->id;
	s->created = r->created;
	snprintf(s->entry, sizeof(s->entry), "%s", r->entry);
	snprintf(s->version, sizeof(s->version), "%s", r->entry_version);
	snprintf(s->doc, sizeof(s->doc), "%s", r->doc);
	snprintf(s->name, sizeof(s->name), "%s", r->name);
	snprintf(s->dob, sizeof(s->dob), "%s", r->dob);
	snprintf(s->by, sizeof(s->by), "%s", r->by);
	return VG_OK;
}

/* The suppression that covers entry e (at its current version) for the
 * traveller k, or NULL. */
static const struct sup *covering(const struct sups *l,
                                  const struct vg_screen_entry *e,
                                  const struct vg_traveller_key *k)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct sup *s = &l->v[i];
		if (!strcmp(s->entry, e->id) && e->version[0] &&
		    !strcmp(s->version, e->version) &&
		    !strcmp(s->doc, k->doc) && !strcmp(s->name, k->name) &&
		    !strcmp(s->dob, k->dob))
			return s;
	}
	return NULL;
}

int vg__screen_suppress(struct vg_store *s, int64_t org,
                        const struct vg_traveller_key *keys,
                        struct vg_screen_result *r)
{
	struct sups l = {0};
	int rc = s->ops->screen->suppression_list(s, org, 0, take_sup, &l);
	r->n_raised = 0;
	for (size_t i = 0; !rc && i < r->n_hits; i++) {
		struct vg_screen_hit *h = &r->hits[i];
		if (h->same_person)
			continue;
		h->suppressed = 0;
		/* a person is held back only when every entry of the hit is:
		 * a new entry, or a new version of one, raises it again */
		const struct sup *lead =
		    keys ? covering(&l, h->entry, &keys[h->traveller]) : NULL;
		for (size_t j = i + 1;
		     lead && j < r->n_hits && r->hits[j].same_person; j++)
			if (!covering(&l, r->hits[j].entry,
			              &keys[h->traveller]))
				lead = NULL;
		if (lead) {
			h->suppressed = lead->id;
			h->suppressed_at = lead->created;
			snprintf(h->suppressed_by, sizeof(h->suppressed_by),
			         "%s", lead->by);
		} else {
			r->n_raised++;
		}
	}
	free(l.v);
	return rc;
}
