/* Literal values of patterns [9.2] and their observed counterparts:
 * base64 and hex bytes, IP addresses and CIDR blocks, instants. */
#include "vigil/util/error.h"
#include "vigil/stix/stix.h"

#include "pat_int.h"

#include <string.h>

static int b64_val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

long vg__b64_decode(const char *s, size_t len, unsigned char *out)
{
	/* Groups of four, padding only at the end, as the grammar has it. */
	if (len % 4)
		return -1;
	long n = 0;
	for (size_t i = 0; i < len; i += 4) {
		int v[4], pad = 0;
		for (int j = 0; j < 4; j++) {
			unsigned char c = (unsigned char)s[i + j];
			if (c == '=' && i + 4 == len && j >= 2) {
				v[j] = 0;
				pad++;
				continue;
			}
			if (pad || (v[j] = b64_val(c)) < 0)
				return -1;
		}
		unsigned long w =
		    ((unsigned long)v[0] << 18) | ((unsigned long)v[1] << 12) |
		    ((unsigned long)v[2] << 6) | (unsigned long)v[3];
		out[n++] = (unsigned char)(w >> 16);
		if (pad < 2)
			out[n++] = (unsigned char)(w >> 8);
		if (pad < 1)
			out[n++] = (unsigned char)w;
	}
	return n;
}

static int hex_val(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long vg__hex_decode(const char *s, size_t len, unsigned char *out)
{
	if (len % 2)
		return -1;
	for (size_t i = 0; i < len; i += 2) {
		int hi = hex_val((unsigned char)s[i]);
		int lo = hex_val((unsigned char)s[i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i / 2] = (unsigned char)(hi << 4 | lo);
	}
	return (long)(len / 2);
}

/* Dotted quad, each part 0-255 without leading zeros (as inet_pton). */
static int ipv4_parse(const char *s, size_t len, unsigned char out[4])
{
	size_t i = 0;
	for (int part = 0; part < 4; part++) {
		if (part && (i >= len || s[i++] != '.'))
			return -1;
		size_t st = i;
		int v = 0;
		while (i < len && s[i] >= '0' && s[i] <= '9' && i - st < 3)
			v = v * 10 + (s[i++] - '0');
		if (i == st || v > 255 || (s[st] == '0' && i - st > 1))
			return -1;
		out[part] = (unsigned char)v;
	}
	return i == len ? 0 : -1;
}

/* RFC 4291 text forms: groups of 1-4 hex digits, one "::", and an
 * optional trailing dotted quad. */
static int ipv6_parse(const char *s, size_t len, unsigned char out[16])
{
	unsigned char b[16] = {0};
	int n = 0, gap = -1;
	size_t i = 0;
	if (len >= 2 && s[0] == ':' && s[1] == ':') {
		gap = 0;
		i = 2;
	} else if (len && s[0] == ':') {
		return -1;
	}
	while (i < len) {
		size_t st = i;
		int v = 0;
		while (i < len && i - st < 4 &&
		       hex_val((unsigned char)s[i]) >= 0)
			v = v * 16 + hex_val((unsigned char)s[i++]);
		if (i < len && s[i] == '.') {
			if (n > 12 || ipv4_parse(s + st, len - st, b + n))
				return -1;
			n += 4;
			i = len;
			break;
		}
		if (i == st || n > 14)
			return -1;
		b[n++] = (unsigned char)(v >> 8);
		b[n++] = (unsigned char)v;
		if (i == len)
			break;
		if (s[i] != ':')
			return -1;
		i++;
		if (i < len && s[i] == ':') {
			if (gap >= 0)
				return -1;
			gap = n;
			i++;
			if (i == len)
				break;
		} else if (i == len) {
			return -1;
		}
	}
	if (gap < 0 && n != 16)
		return -1;
	if (gap >= 0) {
		if (n > 14)
			return -1;
		memset(out, 0, 16);
		memcpy(out, b, (size_t)gap);
		memcpy(out + 16 - (n - gap), b + gap, (size_t)(n - gap));
	} else {
		memcpy(out, b, 16);
	}
	return 0;
}

int vg__cidr_parse(const char *s, size_t len, struct vg__cidr *out)
{
	struct vg__cidr c;
	memset(&c, 0, sizeof(c));
	const char *slash = memchr(s, '/', len);
	size_t alen = slash ? (size_t)(slash - s) : len;
	if (ipv4_parse(s, alen, c.addr) == 0) {
		c.prefix = 32;
	} else if (ipv6_parse(s, alen, c.addr) == 0) {
		c.v6 = 1;
		c.prefix = 128;
	} else {
		return -1;
	}
	if (slash) {
		const char *p = slash + 1, *e = s + len;
		int v = 0;
		if (p == e || e - p > 3 || (*p == '0' && e - p > 1))
			return -1;
		for (; p < e; p++) {
			if (*p < '0' || *p > '9')
				return -1;
			v = v * 10 + (*p - '0');
		}
		if (v > c.prefix)
			return -1;
		c.prefix = v;
	}
	*out = c;
	return 0;
}

int vg__cidr_within(const struct vg__cidr *in, const struct vg__cidr *out)
{
	if (in->v6 != out->v6 || in->prefix < out->prefix)
		return 0;
	int full = out->prefix / 8, rest = out->prefix % 8;
	if (memcmp(in->addr, out->addr, (size_t)full))
		return 0;
	if (rest) {
		unsigned char m = (unsigned char)(0xff << (8 - rest));
		if ((in->addr[full] & m) != (out->addr[full] & m))
			return 0;
	}
	return 1;
}

int vg__time_cmp(const struct vg_pattern_time *a,
                 const struct vg_pattern_time *b)
{
	if (a->sec != b->sec)
		return a->sec < b->sec ? -1 : 1;
	if (a->nsec != b->nsec)
		return a->nsec < b->nsec ? -1 : 1;
	return 0;
}

struct vg_pattern_time vg__time_add(struct vg_pattern_time a,
                                    struct vg_pattern_time d)
{
	struct vg_pattern_time r = {a.sec + d.sec, a.nsec + d.nsec};
	if (r.nsec >= 1000000000) {
		r.nsec -= 1000000000;
		r.sec++;
	}
	return r;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int vg_pattern_time_parse(const char *s, struct vg_pattern_time *out)
{
	struct vg_ts t;
	if (!s || vg_ts_parse(s, &t))
		return VG_EINVAL;
	out->sec = days_from_civil(t.year, t.mon, t.day) * 86400 +
	           t.hour * 3600 + t.min * 60 + t.sec;
	out->nsec = (int32_t)t.nsec;
	return VG_OK;
}

int vg__time_parse_n(const char *s, size_t len, struct vg_pattern_time *out)
{
	char buf[64];
	if (len >= sizeof(buf) || memchr(s, '\0', len))
		return VG_EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return vg_pattern_time_parse(buf, out);
}

int vg_pattern_obs_from_observed_data(struct vg_pattern_obs *o, const cJSON *od)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(od, "first_observed");
	const cJSON *l = cJSON_GetObjectItemCaseSensitive(od, "last_observed");
	const cJSON *n =
	    cJSON_GetObjectItemCaseSensitive(od, "number_observed");
	struct vg_pattern_time tf, tl;
	if (!cJSON_IsString(f) || !cJSON_IsString(l) || !cJSON_IsNumber(n) ||
	    vg_pattern_time_parse(f->valuestring, &tf) ||
	    vg_pattern_time_parse(l->valuestring, &tl) ||
	    vg__time_cmp(&tl, &tf) < 0)
		return VG_EINVAL;
	double c = n->valuedouble;
	if (!(c >= 1 && c <= 999999999) || c != (double)(uint64_t)c)
		return VG_EINVAL;
	o->first = tf;
	o->last = tl;
	o->count = (uint64_t)c;
	return VG_OK;
}
