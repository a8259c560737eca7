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
	size_t cap = b->cap ? b->cap : 256;
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
	/* formatted once into the room there is; a second time only when
	 * it did not fit */
	size_t room = b->cap - b->len;
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(b->cap ? b->data + b->len : NULL, b->cap ? room : 0,
			  fmt, cp);
	va_end(cp);
	int rc = n < 0 ? VG_EINVAL : VG_OK;
	if (!rc && (size_t)n < room && (size_t)n <= b->max &&
	    b->len <= b->max - (size_t)n) {
		b->len += (size_t)n;
		return VG_OK;
	}
	if (!rc)
		rc = vg_buf_grow(b, (size_t)n);
	if (!rc) {
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
		b->len += (size_t)n;
	} else if (b->cap) {
		b->data[b->len] = '\0'; /* what did not fit is not kept */
	}
	return rc;
}

int vg_buf_printf(struct vg_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vg_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

int vg_buf_put_int(struct vg_buf *b, long long v)
{
	char d[24];
	size_t i = sizeof(d);
	/* negated as unsigned: LLONG_MIN has no positive twin */
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v
				     : (unsigned long long)v;
	do
		d[--i] = (char)('0' + u % 10);
	while ((u /= 10));
	if (v < 0)
		d[--i] = '-';
	return vg_buf_append(b, d + i, sizeof(d) - i);
}

/* Length of the well-formed UTF-8 sequence at p (at most n bytes), or 0
 * when it is not one (overlong, surrogate, past U+10FFFF, cut short). */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	unsigned c = p[0];
	size_t len;
	unsigned min;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	unsigned cp = c & (0x3f >> (len - 1));
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* A byte that stands for itself in a JSON string vg_buf_json_strn
 * writes: printable ASCII but the quote, the backslash and markup. */
static int plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '<' &&
	       c != '>' && c != '&';
}

int vg_buf_json_strn(struct vg_buf *b, const char *s, size_t max)
{
	size_t start = b->len, n = s ? strlen(s) : 0, used = 0;
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	int rc = vg_buf_putc(b, '"');
	while (!rc && used < n) {
		/* a run of printable ASCII that needs no escape, in one copy */
		size_t run = used;
		while (run < n && run < max && plain(p[run]))
			run++;
		if (run > used) {
			rc = vg_buf_append(b, p + used, run - used);
			used = run;
			continue;
		}
		size_t k = utf8_len(p + used, n - used);
		/* a cut never splits a character: the whole one, or none */
		if (used + (k ? k : 1) > max)
			break;
		unsigned c = p[used];
		if (!k) {
			/* not UTF-8: the replacement character, never the byte */
			rc = vg_buf_append(b, "\\ufffd", 6);
			used++;
			continue;
		}
		if (k == 3 && c == 0xe2 && p[used + 1] == 0x80 &&
		    (p[used + 2] == 0xa8 || p[used + 2] == 0xa9)) {
			/* U+2028 and U+2029 end lines in JavaScript */
			rc = vg_buf_printf(b, "\\u%04x", 0x2000 + (p[used + 2] - 0x80));
		} else if (k > 1) {
			rc = vg_buf_append(b, p + used, k);
		} else if (c == '"') {
			rc = vg_buf_append(b, "\\\"", 2);
		} else if (c == '\\') {
			rc = vg_buf_append(b, "\\\\", 2);
		} else if (c == '\n') {
			rc = vg_buf_append(b, "\\n", 2);
		} else if (c == '\r') {
			rc = vg_buf_append(b, "\\r", 2);
		} else if (c == '\t') {
			rc = vg_buf_append(b, "\\t", 2);
		} else if (c < 0x20 || c == 0x7f || c == '<' || c == '>' ||
			   c == '&') {
			/* controls, and what HTML would read as markup */
			rc = vg_buf_printf(b, "\\u%04x", c);
		} else {
			rc = vg_buf_putc(b, (char)c);
		}
		used += k;
	}
	if (!rc)
		rc = vg_buf_putc(b, '"');
	if (rc && b->data) {
		b->len = start;
		b->data[start] = '\0';
	}
	return rc;
}

int vg_buf_json_str(struct vg_buf *b, const char *s)
{
	return vg_buf_json_strn(b, s, SIZE_MAX);
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
