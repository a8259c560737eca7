/* Building and freeing person records (watchlist entries, travellers). */
#include "vigil/names/person.h"
#include "vigil/util/error.h"

#include <stdlib.h>
#include <string.h>

void vg_person_init(struct vg_person *p)
{
	memset(p, 0, sizeof(*p));
}

static void free_strs(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void vg_person_release(struct vg_person *p)
{
	for (size_t i = 0; i < p->n_names; i++) {
		free(p->names[i].full);
		free(p->names[i].surname);
		free(p->names[i].given);
	}
	free(p->names);
	free(p->dobs);
	free_strs(p->places_of_birth, p->n_places_of_birth);
	free_strs(p->nationalities, p->n_nationalities);
	for (size_t i = 0; i < p->n_docs; i++) {
		free(p->docs[i].type);
		free(p->docs[i].number);
	}
	free(p->docs);
	vg_person_init(p);
}

/* Grow *v (of n elements of size sz) by one; VG_ENOMEM leaves it as is. */
static int grow(void **v, size_t n, size_t sz)
{
	void *q = realloc(*v, (n + 1) * sz);
	if (!q)
		return VG_ENOMEM;
	*v = q;
	return VG_OK;
}

static int dup_opt(const char *s, char **out)
{
	*out = NULL;
	if (!s)
		return VG_OK;
	*out = strdup(s);
	return *out ? VG_OK : VG_ENOMEM;
}

int vg_person_add_name(struct vg_person *p, const char *full,
		       const char *surname, const char *given,
		       enum vg_name_quality q)
{
	struct vg_name n = {.quality = q};
	if (dup_opt(full ? full : "", &n.full) ||
	    dup_opt(surname, &n.surname) || dup_opt(given, &n.given) ||
	    grow((void **)&p->names, p->n_names, sizeof(n))) {
		free(n.full);
		free(n.surname);
		free(n.given);
		return VG_ENOMEM;
	}
	p->names[p->n_names++] = n;
	return VG_OK;
}

int vg_person_add_dob(struct vg_person *p, const struct vg_dob *d)
{
	if (grow((void **)&p->dobs, p->n_dobs, sizeof(*d)))
		return VG_ENOMEM;
	p->dobs[p->n_dobs++] = *d;
	return VG_OK;
}

static int add_str(char ***v, size_t *n, const char *s)
{
	char *c = strdup(s);
	if (!c || grow((void **)v, *n, sizeof(char *))) {
		free(c);
		return VG_ENOMEM;
	}
	(*v)[(*n)++] = c;
	return VG_OK;
}

int vg_person_add_place_of_birth(struct vg_person *p, const char *place)
{
	return add_str(&p->places_of_birth, &p->n_places_of_birth, place);
}

int vg_person_add_nationality(struct vg_person *p, const char *code)
{
	return add_str(&p->nationalities, &p->n_nationalities, code);
}

int vg_person_add_doc(struct vg_person *p, const char *type,
		      const char *number, const char *country)
{
	struct vg_document d = {0};
	if (dup_opt(type ? type : "", &d.type) ||
	    dup_opt(number ? number : "", &d.number) ||
	    grow((void **)&p->docs, p->n_docs, sizeof(d))) {
		free(d.type);
		free(d.number);
		return VG_ENOMEM;
	}
	if (country) {
		strncpy(d.country, country, sizeof(d.country) - 1);
	}
	p->docs[p->n_docs++] = d;
	return VG_OK;
}

static int dob_equal(const struct vg_dob *a, const struct vg_dob *b)
{
	return a->kind == b->kind && !vg_pdate_cmp(&a->from, &b->from) &&
	       !vg_pdate_cmp(&a->to, &b->to);
}

int vg_person_add_dob_unique(struct vg_person *p, const struct vg_dob *d)
{
	for (size_t i = 0; i < p->n_dobs; i++)
		if (dob_equal(&p->dobs[i], d))
			return VG_OK;
	return vg_person_add_dob(p, d);
}

static int has_str(char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return 1;
	return 0;
}

int vg_person_add_place_of_birth_unique(struct vg_person *p,
					const char *place)
{
	if (has_str(p->places_of_birth, p->n_places_of_birth, place))
		return VG_OK;
	return vg_person_add_place_of_birth(p, place);
}

int vg_person_add_nationality_unique(struct vg_person *p, const char *code)
{
	if (has_str(p->nationalities, p->n_nationalities, code))
		return VG_OK;
	return vg_person_add_nationality(p, code);
}

int vg_person_add_doc_unique(struct vg_person *p, const char *type,
			     const char *number, const char *country)
{
	for (size_t i = 0; i < p->n_docs; i++) {
		const struct vg_document *d = &p->docs[i];
		if (!strcmp(d->type, type ? type : "") &&
		    !strcmp(d->number, number ? number : "") &&
		    !strncmp(d->country, country ? country : "",
			     sizeof(d->country) - 1))
			return VG_OK;
	}
	return vg_person_add_doc(p, type, number, country);
}

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int vg_pdate_valid(const struct vg_pdate *d)
{
	static const int mdays[12] = {31, 29, 31, 30, 31, 30,
				      31, 31, 30, 31, 30, 31};
	if (d->year < 1 || d->year > 9999 || d->month < 0 || d->month > 12 ||
	    d->day < 0)
		return 0;
	if (!d->month)
		return d->day == 0;
	if (!d->day)
		return 1;
	if (d->day > mdays[d->month - 1])
		return 0;
	return d->month != 2 || d->day < 29 || leap(d->year);
}

int vg_pdate_cmp(const struct vg_pdate *a, const struct vg_pdate *b)
{
	if (a->year != b->year)
		return a->year < b->year ? -1 : 1;
	if (a->month != b->month)
		return a->month < b->month ? -1 : 1;
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	return 0;
}
