/* A growing byte buffer with a size cap (git's strbuf, curl's dynbuf).
 * The contents are always NUL-terminated; len excludes the NUL. */
#ifndef VIGIL_BUF_H
#define VIGIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct vg_buf {
	char *data;  /* NULL until the first append; then NUL-terminated */
	size_t len;  /* bytes in use, without the NUL */
	size_t cap;  /* bytes allocated */
	size_t max;  /* the cap on len; appends past it fail with VG_ETOOBIG */
};

#define VG_BUF_DEFAULT_MAX ((size_t)1 << 30)

/* Initialise an empty buffer; max 0 means VG_BUF_DEFAULT_MAX. */
void vg_buf_init(struct vg_buf *b, size_t max);
/* Append; VG_ENOMEM or VG_ETOOBIG leave the buffer as it was. */
int vg_buf_append(struct vg_buf *b, const void *p, size_t n);
int vg_buf_puts(struct vg_buf *b, const char *s);
int vg_buf_putc(struct vg_buf *b, char c);
int vg_buf_printf(struct vg_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int vg_buf_vprintf(struct vg_buf *b, const char *fmt, va_list ap);
/* Append v in decimal (what "%lld" writes, without printf's cost). */
int vg_buf_put_int(struct vg_buf *b, long long v);
/* Append s (NULL: "") as a JSON string literal, quotes included. Every
 * control character, quote, backslash, DEL, '<', '>', '&', U+2028 and
 * U+2029 is escaped, and a byte that is not well-formed UTF-8 becomes
 * \ufffd, so the result is valid JSON (and inert in HTML) whatever s
 * holds. */
int vg_buf_json_str(struct vg_buf *b, const char *s);
/* The same with at most max bytes of s, cut before a whole UTF-8
 * character, never inside one. */
int vg_buf_json_strn(struct vg_buf *b, const char *s, size_t max);
/* Make room for n more bytes without changing len. */
int vg_buf_grow(struct vg_buf *b, size_t n);
/* Forget the contents, keep the memory. */
void vg_buf_reset(struct vg_buf *b);
/* Free the contents; the buffer is empty and reusable afterwards. */
void vg_buf_release(struct vg_buf *b);
/* Hand over the contents (caller frees); the buffer is left empty. Returns
 * an empty string rather than NULL for an empty buffer, or NULL on OOM. */
char *vg_buf_detach(struct vg_buf *b, size_t *len);

#endif
