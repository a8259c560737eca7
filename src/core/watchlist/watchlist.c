/* Watchlist entries: their life cycle and what the UN and OFAC parsers
 * share in building them. */
#include "wl_int.h"
#include "util/text.h"
#include "vigil/util/country.h"
#include "vigil/util/error.h"

#include <stdlib.h>
#include <string.h>

void vg_watchlist_init(struct vg_watchlist *wl)
{
	memset(wl, 0, sizeof(*wl));
}

static void free_strs(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void vg__wl_entry_release(struct vg_wl_entry *e)
{
	vg_person_release(&e->person);
	free(e->ref);
	free_strs(e->programs, e->n_programs);
	free(e->comments);
	free_strs(e->addresses, e->n_addresses);
	memset(e, 0, sizeof(*e));
}

void vg_watchlist_release(struct vg_watchlist *wl)
{
	for (size_t i = 0; i < wl->n_entries; i++)
		vg__wl_entry_release(&wl->entries[i]);
	free(wl->entries);
	vg_watchlist_init(wl);
}

const char *vg_wl_kind_name(enum vg_wl_kind k)
{
	switch (k) {
	case VG_WL_INDIVIDUAL:
		return "individual";
	case VG_WL_ENTITY:
		return "entity";
	case VG_WL_VESSEL:
		return "vessel";
	case VG_WL_AIRCRAFT:
		return "aircraft";
	}
	return "entity";
}

struct vg_wl_entry *vg__wl_add(struct vg_watchlist *wl, enum vg_wl_kind k,
                               const char *list)
{
	if (vg__grow((void **)&wl->entries, wl->n_entries,
	             sizeof(*wl->entries)))
		return NULL;
	struct vg_wl_entry *e = &wl->entries[wl->n_entries++];
	memset(e, 0, sizeof(*e));
	vg_person_init(&e->person);
	e->kind = k;
	e->list = list;
	e->person.kind =
	    k == VG_WL_INDIVIDUAL ? VG_PERSON_INDIVIDUAL : VG_PERSON_ENTITY;
	switch (k) {
	case VG_WL_INDIVIDUAL:
		wl->n_individuals++;
		break;
	case VG_WL_ENTITY:
		wl->n_entities++;
		break;
	case VG_WL_VESSEL:
		wl->n_vessels++;
		break;
	case VG_WL_AIRCRAFT:
		wl->n_aircraft++;
		break;
	}
	return e;
}

static int add_str(char ***v, size_t *n, const char *s)
{
	char *c = strdup(s);
	char **q = c ? realloc(*v, (*n + 1) * sizeof(*q)) : NULL;
	if (!q) {
		free(c);
		return VG_ENOMEM;
	}
	*v = q;
	q[(*n)++] = c;
	return VG_OK;
}

int vg__wl_add_program(struct vg_wl_entry *e, const char *s)
{
	return add_str(&e->programs, &e->n_programs, s);
}

int vg__wl_add_address(struct vg_wl_entry *e, const char *s)
{
	return add_str(&e->addresses, &e->n_addresses, s);
}

int vg__wl_add_nationality(struct vg_person *p, const char *text)
{
	static const char *const nothing[] = {"na", "n/a", "unknown"};
	for (size_t i = 0; i < sizeof(nothing) / sizeof(nothing[0]); i++)
		if (vg__ieqn(text, strlen(text), nothing[i]))
			return VG_OK;
	if (!*text)
		return VG_OK;
	const char *a2 = vg_country_from_name(text);
	return vg_person_add_nationality_unique(p, a2 ? a2 : text);
}
