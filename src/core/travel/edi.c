/* UN/EDIFACT syntax level: UNA, and segments split into elements and
 * components with the release character honoured everywhere. */
#include "edi.h"
#include "util/text.h"
#include "vigil/util/error.h"

#include <string.h>

static int alnum(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9');
}

int vg__edi_init(struct vg__edi *e, const char *buf, size_t len, char *why,
                 size_t whylen)
{
	memset(e, 0, sizeof(*e));
	e->p = buf;
	e->end = buf + len;
	e->comp = ':';
	e->elem = '+';
	e->dec = '.';
	e->rel = '?';
	e->term = '\'';
	if (len >= 3 && !memcmp(e->p, "\xEF\xBB\xBF", 3))
		e->p += 3;
	while (e->p < e->end && (*e->p == '\r' || *e->p == '\n'))
		e->p++;
	if (e->end - e->p < 3 || memcmp(e->p, "UNA", 3))
		return VG_OK;
	if (e->end - e->p < 9) {
		vg__errf(why, whylen,
		         "UNA: truncated: it needs six characters");
		return VG_EINVAL;
	}
	const char *u = e->p + 3;
	char rel = u[3] == ' ' ? 0 : u[3]; /* a space: no release char */
	char seps[4] = {u[0], u[1], u[5], rel};
	for (int i = 0; i < 4; i++) {
		if (i == 3 && !rel)
			continue;
		if (alnum(seps[i]) || seps[i] == ' ' ||
		    (unsigned char)seps[i] >= 0x80 || seps[i] == '\0') {
			vg__errf(why, whylen,
			         "UNA: separator '%c' is a letter, digit, "
			         "space or not ASCII",
			         (unsigned char)seps[i] >= 0x20 &&
			                 (unsigned char)seps[i] < 0x7F
			             ? seps[i]
			             : '?');
			return VG_EINVAL;
		}
		for (int j = 0; j < i; j++) {
			if (seps[i] == seps[j]) {
				vg__errf(why, whylen,
				         "UNA: separator '%c' is used twice",
				         seps[i] >= 0x20 ? seps[i] : '?');
				return VG_EINVAL;
			}
		}
	}
	if (u[2] != '.' && u[2] != ',') {
		vg__errf(why, whylen, "UNA: decimal mark must be '.' or ','");
		return VG_EINVAL;
	}
	e->comp = u[0];
	e->elem = u[1];
	e->dec = u[2];
	e->rel = rel;
	e->term = u[5];
	e->una = 1;
	e->p += 9;
	return VG_OK;
}

void vg__edi_seg_init(struct vg__edi_seg *s)
{
	memset(s, 0, sizeof(*s));
	vg_buf_init(&s->text, 0);
}

void vg__edi_seg_release(struct vg__edi_seg *s)
{
	vg_buf_release(&s->text);
}

/* A line break that is not a separator: skipped. */
static int skippable(const struct vg__edi *e, char c)
{
	return (c == '\r' || c == '\n') && c != e->comp && c != e->elem &&
	       c != e->term && c != e->rel;
}

static int end_comp(struct vg__edi_seg *s, size_t start, char *why,
                    size_t whylen)
{
	struct vg__edi_elem *el = &s->elem[s->n_elem];
	if (el->n_comp == VG__EDI_MAX_COMPS) {
		vg__errf(why, whylen, "more than %d components in an element",
		         VG__EDI_MAX_COMPS);
		return VG_EINVAL;
	}
	el->off[el->n_comp] = start;
	el->len[el->n_comp] = s->text.len - start;
	el->n_comp++;
	return vg_buf_putc(&s->text, '\0');
}

int vg__edi_next(struct vg__edi *e, struct vg__edi_seg *s, int *got, char *why,
                 size_t whylen)
{
	int rc;
	*got = 0;
	while (e->p < e->end && skippable(e, *e->p))
		e->p++;
	if (e->p >= e->end)
		return VG_OK;
	e->count++;
	vg_buf_reset(&s->text);
	s->n_elem = 0;
	memset(&s->elem[0], 0, sizeof(s->elem[0]));
	size_t start = 0;
	for (;;) {
		if (e->p >= e->end) {
			vg__errf(why, whylen,
			         "truncated: no segment terminator before "
			         "the end of the input");
			return VG_EINVAL;
		}
		char c = *e->p++;
		if (skippable(e, c))
			continue;
		if (e->rel && c == e->rel) {
			if (e->p >= e->end) {
				vg__errf(why, whylen,
				         "truncated: release character at the "
				         "end of the input");
				return VG_EINVAL;
			}
			c = *e->p++;
			if (c == '\r' || c == '\n') {
				vg__errf(why, whylen,
				         "line break after the release "
				         "character");
				return VG_EINVAL;
			}
		} else if (c == e->comp || c == e->elem || c == e->term) {
			if ((rc = end_comp(s, start, why, whylen)))
				return rc;
			start = s->text.len;
			if (c == e->comp)
				continue;
			if (c == e->term)
				break;
			if (s->n_elem + 1 >= VG__EDI_MAX_ELEMS) {
				vg__errf(why, whylen, "more than %d elements",
				         VG__EDI_MAX_ELEMS - 1);
				return VG_EINVAL;
			}
			s->n_elem++;
			memset(&s->elem[s->n_elem], 0, sizeof(s->elem[0]));
			continue;
		}
		if ((unsigned char)c < 0x20 || c == 0x7F) {
			vg__errf(why, whylen, "control character 0x%02x",
			         (unsigned char)c);
			return VG_EINVAL;
		}
		if ((rc = vg_buf_putc(&s->text, c)))
			return rc;
	}
	/* element 0 is the tag: three capital letters, one component */
	const char *tag = s->text.data + s->elem[0].off[0];
	size_t tl = s->elem[0].len[0];
	if (tl != 3 || s->elem[0].n_comp != 1 || tag[0] < 'A' || tag[0] > 'Z' ||
	    tag[1] < 'A' || tag[1] > 'Z' || tag[2] < 'A' || tag[2] > 'Z') {
		char snip[64];
		vg__snippet(snip, sizeof(snip), tag, tl);
		vg__errf(why, whylen, "'%s' is not a segment tag", snip);
		return VG_EINVAL;
	}
	memcpy(s->tag, tag, 4);
	*got = 1;
	return VG_OK;
}

const char *vg__edi_get(const struct vg__edi_seg *s, size_t el, size_t c,
                        size_t *len)
{
	if (el > s->n_elem || c < 1 || c > s->elem[el].n_comp) {
		if (len)
			*len = 0;
		return "";
	}
	if (len)
		*len = s->elem[el].len[c - 1];
	return s->text.data + s->elem[el].off[c - 1];
}
