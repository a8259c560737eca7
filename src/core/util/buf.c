/* The capped growing buffer every module appends through. */
#include "vigil/util/buf.h"
#include "vigil/util/error.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vg_buf_init(struct vg_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max ? max : VG_BUF_DEFAULT_MAX;
}

int vg_buf_grow(struct vg_buf *b, size_t n)
{
	if (n > b->max || b->len > b->max - n)
		return VG_ETOOBIG;
	size_t need = b->len + n + 1;
	if (need <= b->cap)
		return VG_OK;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need) {
		if (cap > SIZE_MAX / 2)
			return VG_ENOMEM;
		cap *= 2;
	}
	char *p = realloc(b->data, cap);
	if (!p)
		return VG_ENOMEM;
	b->data = p;
	b->cap = cap;
	return VG_OK;
}

int vg_buf_append(struct vg_buf *b, const void *p, size_t n)
{
	int rc = vg_buf_grow(b, n);
	if (rc)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return VG_OK;
}

int vg_buf_puts(struct vg_buf *b, const char *s)
{
	return vg_buf_append(b, s, strlen(s));
}

int vg_buf_putc(struct vg_buf *b, char c)
{
	return vg_buf_append(b, &c, 1);
}

int vg_buf_vprintf(struct vg_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return VG_EINVAL;
	int rc = vg_buf_grow(b, (size_t)n);
	if (rc)
		return rc;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return VG_OK;
}

int vg_buf_printf(struct vg_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vg_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

int vg_buf_json_str(struct vg_buf *b, const char *s)
{
	size_t start = b->len;
	int rc = vg_buf_putc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; !rc && *p; p++) {
		switch (*p) {
		case '"': rc = vg_buf_append(b, "\\\"", 2); break;
		case '\\': rc = vg_buf_append(b, "\\\\", 2); break;
		case '\n': rc = vg_buf_append(b, "\\n", 2); break;
		case '\r': rc = vg_buf_append(b, "\\r", 2); break;
		case '\t': rc = vg_buf_append(b, "\\t", 2); break;
		default:
			if (*p < 0x20)
				rc = vg_buf_printf(b, "\\u%04x", *p);
			else
				rc = vg_buf_putc(b, (char)*p);
		}
	}
	if (!rc)
		rc = vg_buf_putc(b, '"');
	if (rc && b->data) {
		b->len = start;
		b->data[start] = '\0';
	}
	return rc;
}

void vg_buf_reset(struct vg_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void vg_buf_release(struct vg_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

char *vg_buf_detach(struct vg_buf *b, size_t *len)
{
	char *p = b->data;
	if (!p) {
		p = calloc(1, 1);
		if (!p)
			return NULL;
	}
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	return p;
}
