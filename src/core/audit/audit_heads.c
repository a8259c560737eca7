/* Checkpoint heads as lines of text: written to a file outside the store
 * (and to the syslog) when a checkpoint is signed, read back by `vigil
 * audit verify --heads`. Pure. */
#include "vigil/audit/audit.h"
#include "vigil/util/error.h"
#include "vigil/util/timefmt.h"

#include <stdio.h>
#include <string.h>

static void hex(const unsigned char *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Exactly 2n hex digits at s into p. */
static int unhex(const char *s, size_t len, unsigned char *p, size_t n)
{
	if (len != 2 * n)
		return VG_EINVAL;
	for (size_t i = 0; i < n; i++) {
		int hi = nibble(s[2 * i]), lo = nibble(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return VG_EINVAL;
		p[i] = (unsigned char)(hi << 4 | lo);
	}
	return VG_OK;
}

void vg_checkpoint_head_line(const struct vg_checkpoint *c,
                             char out[VG_HEAD_LINE_LEN])
{
	char t[VG_TIME_LEN], h[2 * VG_HASH_LEN + 1], s[2 * VG_SIG_LEN + 1];
	vg_time_format_us(c->ts, t);
	hex(c->head, VG_HASH_LEN, h);
	hex(c->sig, VG_SIG_LEN, s);
	snprintf(out, VG_HEAD_LINE_LEN, "%lld %s %s %s\n", (long long)c->seq, t,
	         h, s);
}

/* The next field of [*p, end) up to a single space: its start and
 * length; *p moves past the space. */
static const char *field(const char **p, const char *end, size_t *len)
{
	const char *s = *p, *e = s;
	while (e < end && *e != ' ')
		e++;
	*len = (size_t)(e - s);
	*p = e < end ? e + 1 : e;
	return s;
}

int vg_checkpoint_head_parse(const char *line, size_t len,
                             struct vg_checkpoint *c,
                             unsigned char sig[VG_SIG_LEN])
{
	static const char tag[] = VG_HEAD_SYSLOG_TAG;
	const char *p = line, *end = line + len;
	while (end > p &&
	       (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
		end--;
	if (memchr(p, '\0', (size_t)(end - p)))
		return VG_EINVAL;
	/* a syslog line: the head follows the tag */
	for (const char *q = p; (size_t)(end - q) >= sizeof(tag) - 1; q++)
		if (!memcmp(q, tag, sizeof(tag) - 1)) {
			p = q + sizeof(tag) - 1;
			break;
		}
	size_t n;
	char text[VG_TIME_LEN + 8];
	struct vg_checkpoint out = {0};
	/* SEQ: 1 to 18 digits, no sign, no leading zero */
	const char *f = field(&p, end, &n);
	if (n < 1 || n > 18 || f[0] == '0')
		return VG_EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (f[i] < '0' || f[i] > '9')
			return VG_EINVAL;
		out.seq = out.seq * 10 + (f[i] - '0');
	}
	f = field(&p, end, &n);
	if (n >= sizeof(text))
		return VG_EINVAL;
	memcpy(text, f, n);
	text[n] = '\0';
	if (vg_time_parse_us(text, &out.ts))
		return VG_EINVAL;
	f = field(&p, end, &n);
	if (unhex(f, n, out.head, VG_HASH_LEN))
		return VG_EINVAL;
	f = field(&p, end, &n);
	if (p != end || unhex(f, n, sig, VG_SIG_LEN))
		return VG_EINVAL;
	out.sig = sig;
	*c = out;
	return VG_OK;
}
