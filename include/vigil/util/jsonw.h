/* A JSON writer: objects, arrays, keys and values appended to a vg_buf,
 * commas placed by the writer, every string escaped by vg_buf_json_str
 * (so outside data can never break out of its value, whatever its bytes).
 * Errors are sticky: after the first failure every call does nothing and
 * vg_jw_end returns it, so callers write a whole document and check once. */
#ifndef VIGIL_UTIL_JSONW_H
#define VIGIL_UTIL_JSONW_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/util/buf.h"

#define VG_JW_DEPTH 32

struct vg_jw {
	struct vg_buf *b;
	int rc;          /* the first error, VG_OK until then */
	unsigned depth;
	unsigned char items[VG_JW_DEPTH]; /* 1 once a level holds a value */
	char closer[VG_JW_DEPTH];         /* '}' or ']' for each level */
	int after_key;
};

/* Start writing into b (appended to what it holds). */
void vg_jw_init(struct vg_jw *w, struct vg_buf *b);
/* The first error (VG_ENOMEM, VG_ETOOBIG, VG_EINVAL for unbalanced
 * nesting), or VG_OK when the document is complete. */
int vg_jw_end(struct vg_jw *w);

void vg_jw_obj(struct vg_jw *w);   /* { */
void vg_jw_arr(struct vg_jw *w);   /* [ */
void vg_jw_close(struct vg_jw *w); /* } or ], whichever is open */
void vg_jw_key(struct vg_jw *w, const char *key);

void vg_jw_str(struct vg_jw *w, const char *s); /* NULL writes null */
/* At most max bytes of s, cut before a whole UTF-8 character. */
void vg_jw_strn(struct vg_jw *w, const char *s, size_t max);
void vg_jw_int(struct vg_jw *w, int64_t v);
/* A finite number with up to decimals places; NaN and infinities write
 * null (JSON has no such numbers). */
void vg_jw_num(struct vg_jw *w, double v, int decimals);
void vg_jw_bool(struct vg_jw *w, int v);
void vg_jw_null(struct vg_jw *w);
/* A value that is already JSON text (a stored STIX object, a document
 * this program wrote): copied as it is. */
void vg_jw_raw(struct vg_jw *w, const char *json, size_t len);

/* key and value in one call */
void vg_jw_kstr(struct vg_jw *w, const char *key, const char *s);
void vg_jw_kint(struct vg_jw *w, const char *key, int64_t v);
void vg_jw_kbool(struct vg_jw *w, const char *key, int v);
void vg_jw_knum(struct vg_jw *w, const char *key, double v, int decimals);

#endif
