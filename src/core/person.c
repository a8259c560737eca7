/* Building and freeing person records (watchlist entries, travellers). */
#include "vigil/person.h"
#include "vigil/error.h"

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
