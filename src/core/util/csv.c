/* RFC 4180 records from a buffer: quoted fields with "" for a quote and
 * line breaks inside, any of CRLF/LF/CR between records. */
#include "csv.h"
#include "text.h"
#include "vigil/util/error.h"

#include <stdlib.h>
#include <string.h>

void vg__csv_init(struct vg__csv *c, const char *buf, size_t len)
{
	memset(c, 0, sizeof(*c));
	c->p = buf;
	c->end = buf + len;
	c->line = 1;
	if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
		c->p += 3;
	vg_buf_init(&c->text, 0);
}

void vg__csv_release(struct vg__csv *c)
{
	vg_buf_release(&c->text);
	free(c->off);
	free(c->len);
	c->off = c->len = NULL;
	c->n = c->cap = 0;
}

static int end_field(struct vg__csv *c, size_t start)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		size_t *o = realloc(c->off, cap * sizeof(*o));
		if (!o)
			return VG_ENOMEM;
		c->off = o;
		size_t *l = realloc(c->len, cap * sizeof(*l));
		if (!l)
			return VG_ENOMEM;
		c->len = l;
		c->cap = cap;
	}
	c->off[c->n] = start;
	c->len[c->n] = c->text.len - start;
	c->n++;
	return vg_buf_putc(&c->text, '\0');
}

/* Consume a line break at c->p if there is one; 1 when there was. */
static int eat_eol(struct vg__csv *c)
{
	if (c->p < c->end && *c->p == '\r') {
		c->p++;
		if (c->p < c->end && *c->p == '\n')
			c->p++;
		c->line++;
		return 1;
	}
	if (c->p < c->end && *c->p == '\n') {
		c->p++;
		c->line++;
		return 1;
	}
	return 0;
}

static void skip_line(struct vg__csv *c)
{
	while (c->p < c->end && *c->p != '\n' && *c->p != '\r')
		c->p++;
	eat_eol(c);
}

int vg__csv_next(struct vg__csv *c, int *got, char *why, size_t whylen)
{
	int rc;
	*got = 0;
	vg_buf_reset(&c->text);
	c->n = 0;
	while (!c->done && eat_eol(c))
		; /* blank lines */
	if (c->p < c->end && *c->p == 0x1A && c->p + 1 == c->end)
		c->p++;
	if (c->done || c->p >= c->end) {
		c->done = 1;
		return VG_OK;
	}
	c->rec_line = c->line;
	for (;;) {
		size_t start = c->text.len;
		if (c->p < c->end && *c->p == '"') {
			c->p++;
			for (;;) {
				if (c->p >= c->end) {
					c->done = 1;
					vg__errf(why, whylen,
					         "line %zu: quoted field not "
					         "closed before the end",
					         c->rec_line);
					return VG_EINVAL;
				}
				char ch = *c->p++;
				if (ch == '"') {
					if (c->p < c->end && *c->p == '"') {
						c->p++;
					} else {
						break;
					}
				} else if (ch == '\n' ||
				           (ch == '\r' && (c->p >= c->end ||
				                           *c->p != '\n'))) {
					c->line++;
				}
				if ((rc = vg_buf_putc(&c->text, ch)))
					return rc;
			}
			if (c->p < c->end && *c->p != ',' && *c->p != '\n' &&
			    *c->p != '\r') {
				skip_line(c);
				vg__errf(why, whylen,
				         "line %zu: text after a closing quote",
				         c->rec_line);
				return VG_EINVAL;
			}
		} else {
			const char *q = c->p;
			while (q < c->end && *q != ',' && *q != '\n' &&
			       *q != '\r') {
				if (*q == '"') {
					skip_line(c);
					vg__errf(why, whylen,
					         "line %zu: quote inside an "
					         "unquoted field",
					         c->rec_line);
					return VG_EINVAL;
				}
				q++;
			}
			if ((rc = vg_buf_append(&c->text, c->p,
			                        (size_t)(q - c->p))))
				return rc;
			c->p = q;
		}
		if ((rc = end_field(c, start)))
			return rc;
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		eat_eol(c);
		break;
	}
	*got = 1;
	return VG_OK;
}

const char *vg__csv_field(const struct vg__csv *c, size_t i, size_t *len)
{
	if (len)
		*len = c->len[i];
	return c->text.data + c->off[i];
}
