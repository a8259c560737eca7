/* libFuzzer target: the streaming JSON splitter that parses POST bodies
 * (util/jstream.c). The input is fed bare and inside each container the
 * splitter knows (a bundle, a TAXII envelope's array, a medallion data
 * file), once whole and once in chunks whose sizes come from the input.
 * Aborts unless every value handed out is one valid JSON text (cJSON,
 * exactly its length, NUL-terminated) without white space outside
 * strings, no longer than the limit, counted from 0; and unless the
 * chunked run hands out the same values, the same result and the same
 * error message as the whole one. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "vigil/util/buf.h"
#include "vigil/util/error.h"
#include "vigil/util/jstream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct run {
	struct vg_buf out; /* the values, each followed by '\n' */
	size_t n;
	size_t stop_at; /* the callback stops the stream at this value */
	size_t max;
};

/* No white space outside strings: the splitter compacts. */
static int compact(const char *s, size_t n)
{
	int in_str = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			return 0;
		}
	}
	return 1;
}

static int take(void *ud, const char *json, size_t len, size_t index)
{
	struct run *r = ud;
	const char *end = NULL;
	if (index != r->n || strlen(json) != len || len > r->max ||
	    !compact(json, len))
		abort();
	cJSON *v = cJSON_ParseWithLengthOpts(json, len + 1, &end, 1);
	if (!v || end != json + len)
		abort();
	cJSON_Delete(v);
	r->n++;
	if (vg_buf_append(&r->out, json, len) || vg_buf_putc(&r->out, '\n'))
		abort();
	return r->n == r->stop_at ? VG_ECONFLICT : VG_OK;
}

/* Feed p through a stream in chunks (sizes from seed; 0: all at once);
 * returns the result, the error text in err. */
static int run(struct run *r, const char *p, size_t n, uint32_t seed, char *err,
               size_t errlen)
{
	struct vg_jstream *s = vg_jstream_new(r->max, take, r);
	int rc = VG_OK;
	if (!s)
		abort();
	for (size_t i = 0; i < n && !rc;) {
		size_t k = n - i;
		if (seed) {
			/* xorshift: mostly small chunks, now and then a big one
			 */
			seed ^= seed << 13;
			seed ^= seed >> 17;
			seed ^= seed << 5;
			size_t want = seed % 8 == 0 ? seed % 4096 : seed % 17;
			k = want && want < k ? want : k;
		}
		rc = vg_jstream_feed(s, p + i, k);
		i += k;
	}
	if (!rc)
		rc = vg_jstream_finish(s);
	/* a failed stream takes nothing more */
	if (rc && vg_jstream_feed(s, "{}", 2) != VG_EJSON)
		abort();
	if (rc == VG_EJSON && !vg_jstream_error(s)[0])
		abort();
	snprintf(err, errlen, "%s", vg_jstream_error(s));
	vg_jstream_free(s);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const open[] = {
	    "",
	    "{\"type\":\"bundle\",\"id\":\"bundle--1\",\"objects\":[",
	    "[",
	    "{\"objects\":[",
	    "{\"api1\":{\"collections\":[{\"id\":\"c\",\"objects\":[",
	};
	static const char *const close[] = {"", "]}", "]", "],\"more\":false}",
	                                    "]}]}}"};
	if (size < 6)
		return 0;
	/* the first bytes choose the limit, where the callback stops, and
	 * the chunk sizes; the rest is the body */
	uint32_t seed = (uint32_t)data[0] | (uint32_t)data[1] << 8 |
	                (uint32_t)data[2] << 16 | (uint32_t)data[3] << 24;
	size_t max =
	    data[4] & 0x80 ? (size_t)(data[4] & 0x7f) * 8 + 2 : 1 << 20;
	size_t stop_at = data[5] < 16 ? data[5] : 0;
	const char *body = (const char *)data + 6;
	size_t n = size - 6;
	for (size_t m = 0; m < sizeof(open) / sizeof(open[0]); m++) {
		struct vg_buf in;
		vg_buf_init(&in, 0);
		if (vg_buf_puts(&in, open[m]) || vg_buf_append(&in, body, n) ||
		    vg_buf_puts(&in, close[m]))
			abort();
		struct run whole = {.stop_at = stop_at, .max = max};
		struct run parts = {.stop_at = stop_at, .max = max};
		char err1[200], err2[200];
		vg_buf_init(&whole.out, 0);
		vg_buf_init(&parts.out, 0);
		int rc1 = run(&whole, in.data, in.len, 0, err1, sizeof(err1));
		int rc2 =
		    run(&parts, in.data, in.len, seed | 1, err2, sizeof(err2));
		if (rc1 != rc2 || whole.n != parts.n ||
		    whole.out.len != parts.out.len ||
		    (whole.out.len &&
		     memcmp(whole.out.data, parts.out.data, whole.out.len)) ||
		    strcmp(err1, err2)) {
			fprintf(stderr,
			        "mode %zu: whole %d %zu '%s', chunked %d %zu "
			        "'%s'\n",
			        m, rc1, whole.n, err1, rc2, parts.n, err2);
			abort();
		}
		vg_buf_release(&whole.out);
		vg_buf_release(&parts.out);
		vg_buf_release(&in);
	}
	return 0;
}
