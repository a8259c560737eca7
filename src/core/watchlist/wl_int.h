/* What the UN and OFAC list parsers share (not public API): building
 * entries, and the date and country forms both lists use. */
#ifndef VIGIL_CORE_WL_INT_H
#define VIGIL_CORE_WL_INT_H

#include "vigil/watchlist/watchlist.h"

/* Append a zeroed entry of kind k from list (a static string) and
 * return it, or NULL on OOM. Pointers to earlier entries are invalidated.
 * The kind counters are updated. */
struct vg_wl_entry *vg__wl_add(struct vg_watchlist *wl, enum vg_wl_kind k,
                               const char *list);
/* Append a copy of s to the entry's programs / addresses. */
int vg__wl_add_program(struct vg_wl_entry *e, const char *s);
int vg__wl_add_address(struct vg_wl_entry *e, const char *s);
/* A nationality or citizenship as the lists write it: the alpha-2 code of
 * a country name, else the text itself; placeholders that say nothing
 * ("na", "n/a", "unknown") are not added. Duplicates are not added. */
int vg__wl_add_nationality(struct vg_person *p, const char *text);
/* Free one entry's contents. */
void vg__wl_entry_release(struct vg_wl_entry *e);

#endif
