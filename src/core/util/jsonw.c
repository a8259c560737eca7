/* The JSON writer (jsonw.h). */
#include "vigil/util/jsonw.h"
#include "vigil/util/error.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void vg_jw_init(struct vg_jw *w, struct vg_buf *b)
{
	memset(w, 0, sizeof(*w));
	w->b = b;
}

int vg_jw_end(struct vg_jw *w)
{
	if (!w->rc && (w->depth || w->after_key))
		w->rc = VG_EINVAL;
	return w->rc;
}

/* Before a value: the comma, unless it follows its key or is the first. */
static int value_start(struct vg_jw *w)
{
	if (w->rc)
		return 0;
	if (w->after_key) {
		w->after_key = 0;
		return 1;
	}
	if (w->depth && w->items[w->depth - 1])
		w->rc = vg_buf_putc(w->b, ',');
	if (w->depth)
		w->items[w->depth - 1] = 1;
	return !w->rc;
}

static void open(struct vg_jw *w, char c)
{
	if (!value_start(w))
		return;
	if (w->depth == VG_JW_DEPTH) {
		w->rc = VG_EINVAL;
		return;
	}
	w->closer[w->depth] = c == '{' ? '}' : ']';
	w->items[w->depth++] = 0;
	w->rc = vg_buf_putc(w->b, c);
}

void vg_jw_obj(struct vg_jw *w)
{
	open(w, '{');
}

void vg_jw_arr(struct vg_jw *w)
{
	open(w, '[');
}

void vg_jw_close(struct vg_jw *w)
{
	if (w->rc)
		return;
	if (!w->depth || w->after_key) {
		w->rc = VG_EINVAL;
		return;
	}
	w->depth--;
	char c = w->closer[w->depth];
	w->rc = vg_buf_putc(w->b, c);
}

void vg_jw_key(struct vg_jw *w, const char *key)
{
	if (w->rc)
		return;
	if (!w->depth || w->after_key) {
		w->rc = VG_EINVAL;
		return;
	}
	if (w->items[w->depth - 1])
		w->rc = vg_buf_putc(w->b, ',');
	w->items[w->depth - 1] = 1;
	if (!w->rc)
		w->rc = vg_buf_json_str(w->b, key);
	if (!w->rc)
		w->rc = vg_buf_putc(w->b, ':');
	w->after_key = 1;
}

void vg_jw_strn(struct vg_jw *w, const char *s, size_t max)
{
	if (!s) {
		vg_jw_null(w);
		return;
	}
	if (value_start(w))
		w->rc = vg_buf_json_strn(w->b, s, max);
}

void vg_jw_str(struct vg_jw *w, const char *s)
{
	vg_jw_strn(w, s, SIZE_MAX);
}

void vg_jw_int(struct vg_jw *w, int64_t v)
{
	if (value_start(w))
		w->rc = vg_buf_put_int(w->b, (long long)v);
}

void vg_jw_num(struct vg_jw *w, double v, int decimals)
{
	if (!isfinite(v)) {
		vg_jw_null(w);
		return;
	}
	if (value_start(w))
		w->rc = vg_buf_printf(w->b, "%.*f", decimals < 0 ? 0 : decimals, v);
}

void vg_jw_bool(struct vg_jw *w, int v)
{
	if (value_start(w))
		w->rc = vg_buf_puts(w->b, v ? "true" : "false");
}

void vg_jw_null(struct vg_jw *w)
{
	if (value_start(w))
		w->rc = vg_buf_puts(w->b, "null");
}

void vg_jw_raw(struct vg_jw *w, const char *json, size_t len)
{
	if (value_start(w))
		w->rc = len ? vg_buf_append(w->b, json, len) : vg_buf_puts(w->b, "null");
}

void vg_jw_kstr(struct vg_jw *w, const char *key, const char *s)
{
	vg_jw_key(w, key);
	vg_jw_str(w, s);
}

void vg_jw_kint(struct vg_jw *w, const char *key, int64_t v)
{
	vg_jw_key(w, key);
	vg_jw_int(w, v);
}

void vg_jw_kbool(struct vg_jw *w, const char *key, int v)
{
	vg_jw_key(w, key);
	vg_jw_bool(w, v);
}

void vg_jw_knum(struct vg_jw *w, const char *key, double v, int decimals)
{
	vg_jw_key(w, key);
	vg_jw_num(w, v, decimals);
}
