/* PAXLST helpers: error texts with the message, segment, element and
 * component, component text as UTF-8, and EDIFACT dates (DTM formats
 * 101, 102, 201, 203) with the century rule for dates of birth. */
#include "paxlst_int.h"
#include "util/text.h"
#include "vigil/util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- errors and values ----------------------------------------------- */

static void prefix(const struct vg__pax *p, size_t el, size_t c, char *out,
                   size_t cap)
{
	char ref[64];
	size_t n;
	if (p->m) {
		vg__snippet(ref, sizeof(ref), p->m->ref, strlen(p->m->ref));
		n = (size_t)snprintf(out, cap, "message '%s', segment %zu '%s'",
		                     ref, p->mseg, p->s.tag);
	} else {
		n = (size_t)snprintf(out, cap, "interchange, segment %zu '%s'",
		                     p->e.count, p->s.tag);
	}
	if (el && n < cap)
		n += (size_t)snprintf(out + n, cap - n, ", element %zu", el);
	if (el && c && n < cap)
		snprintf(out + n, cap - n, ", component %zu", c);
}

int vg__pax_fail(struct vg__pax *p, size_t el, size_t c, const char *fmt, ...)
{
	char pre[160], msg[320];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	prefix(p, el, c, pre, sizeof(pre));
	vg__errf(p->err, p->errlen, "%s: %s", pre, msg);
	return VG_EINVAL;
}

int vg__pax_bad(struct vg__pax *p, size_t el, size_t c, const char *fmt, ...)
{
	char pre[160], msg[320];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	prefix(p, el, c, pre, sizeof(pre));
	size_t t = p->trav == VG__PAX_NONE ? VG_TRAVEL_NO_RECORD : p->trav;
	struct vg_travel_list *l = &p->m->list;
	char *text = malloc(strlen(pre) + strlen(msg) + 3);
	if (!text ||
	    vg__grow((void **)&l->errors, l->n_errors, sizeof(*l->errors))) {
		free(text);
		return VG_ENOMEM;
	}
	sprintf(text, "%s: %s", pre, msg);
	l->errors[l->n_errors].traveller = t;
	l->errors[l->n_errors].msg = text;
	l->n_errors++;
	if (t != VG_TRAVEL_NO_RECORD)
		l->travellers[t].n_errors++;
	return VG_OK;
}

const char *vg__pax_snip(const struct vg__pax *p, size_t el, size_t c,
                         char out[64])
{
	size_t n;
	const char *v = vg__edi_get(&p->s, el, c, &n);
	vg__snippet(out, 64, v, n);
	return out;
}

int vg__pax_text(const struct vg__pax *p, size_t el, size_t c, char **out)
{
	size_t n;
	const char *v = vg__edi_get(&p->s, el, c, &n);
	char *conv = NULL;
	*out = NULL;
	if (p->latin1) {
		if (!(conv = vg__latin1_to_utf8(v, n)))
			return VG_ENOMEM;
		v = conv;
		n = strlen(conv);
	} else if (!vg__utf8_valid(v, n)) {
		return VG_EINVAL;
	}
	char *t = vg__dup_clean(v, n);
	free(conv);
	if (!t)
		return VG_ENOMEM;
	if (!*t)
		free(t);
	else
		*out = t;
	return VG_OK;
}

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int mday_ok(int y, int m, int d)
{
	static const int md[12] = {31, 29, 31, 30, 31, 30,
	                           31, 31, 30, 31, 30, 31};
	return m >= 1 && m <= 12 && d >= 1 && d <= md[m - 1] &&
	       (m != 2 || d < 29 || leap(y));
}

int vg__pax_time(const struct vg__pax *p, const char *v, size_t n,
                 const char *fmt, int dob, struct vg_pax_time *t)
{
	int yl, tl; /* digits of the year; of the time (0 or 4) */
	if (!*fmt) {
		if (n == 6 || n == 10)
			fmt = n == 6 ? "101" : "201";
		else
			fmt = n == 8 ? "102" : "203";
	}
	if (!strcmp(fmt, "101"))
		yl = 2, tl = 0;
	else if (!strcmp(fmt, "102"))
		yl = 4, tl = 0;
	else if (!strcmp(fmt, "201"))
		yl = 2, tl = 4;
	else if (!strcmp(fmt, "203"))
		yl = 4, tl = 4;
	else
		return -1;
	if (n != (size_t)(yl + 4 + tl))
		return -1;
	struct vg_pax_time r = {.hour = -1, .minute = -1};
	r.year = vg__digits(v, (size_t)yl);
	r.month = vg__digits(v + yl, 2);
	r.day = vg__digits(v + yl + 2, 2);
	if (r.year < 0 || r.month < 0 || r.day < 0)
		return -1;
	if (tl) {
		r.hour = vg__digits(v + yl + 4, 2);
		r.minute = vg__digits(v + yl + 6, 2);
		if (r.hour < 0 || r.hour > 23 || r.minute < 0 || r.minute > 59)
			return -1;
	}
	if (yl == 2) {
		r.year += 2000;
		if (dob) {
			struct vg_pdate d = {r.year, r.month, r.day};
			if (vg_pdate_cmp(&d, &p->ref) > 0)
				r.year -= 100;
		}
	}
	if (r.year < 1 || !mday_ok(r.year, r.month, r.day))
		return -1;
	*t = r;
	return 0;
}
