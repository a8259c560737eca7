/* UN/EDIFACT syntax: service string advice (UNA), segments, elements and
 * components with the release character undone (not public API; the
 * PAXLST parser is its user). */
#ifndef VIGIL_CORE_EDI_H
#define VIGIL_CORE_EDI_H

#include <stddef.h>

#include "vigil/util/buf.h"

/* Limits well above what any PAXLST segment uses (NAD has 9 elements,
 * C080 has 6 components); a segment past them is an error, not data. */
#define VG__EDI_MAX_ELEMS 32
#define VG__EDI_MAX_COMPS 16

struct vg__edi_elem {
	size_t n_comp;
	size_t off[VG__EDI_MAX_COMPS]; /* into the segment's text */
	size_t len[VG__EDI_MAX_COMPS];
};

struct vg__edi_seg {
	char tag[4];
	size_t n_elem; /* data elements after the tag */
	struct vg__edi_elem elem[VG__EDI_MAX_ELEMS];
	struct vg_buf text; /* component values, released, each NUL-ended */
};

struct vg__edi {
	const char *p, *end;
	char comp, elem, dec, rel, term; /* rel 0: no release character */
	int una;                         /* the input began with UNA */
	size_t count; /* segments read so far (UNA is not one) */
};

/* Start on buf[0..len): reads UNA when the input begins with it (after a
 * UTF-8 byte order mark and line breaks), else takes the defaults
 * ":+.? '". VG_OK, or VG_EINVAL with why set (a short or inconsistent
 * UNA). */
int vg__edi_init(struct vg__edi *e, const char *buf, size_t len, char *why,
                 size_t whylen);
void vg__edi_seg_init(struct vg__edi_seg *s);
void vg__edi_seg_release(struct vg__edi_seg *s);
/* Read the next segment into s. CR and LF are skipped wherever they are
 * not separators (files are often wrapped). VG_OK with *got 1 or 0 (end
 * of input), VG_EINVAL with why set to the reason only (no terminator
 * before the end, a control character, a bad tag, too many elements or
 * components; e->count is then the failing segment's number, for the
 * caller's prefix), or VG_ENOMEM. After VG_EINVAL the reader must not be
 * used again. */
int vg__edi_next(struct vg__edi *e, struct vg__edi_seg *s, int *got, char *why,
                 size_t whylen);
/* Component c (1-based) of data element el (1-based; element 0 is the
 * tag), NUL-terminated; "" when absent. *len set when len is not NULL. */
const char *vg__edi_get(const struct vg__edi_seg *s, size_t el, size_t c,
                        size_t *len);

#endif
