/* Streams STIX objects out of JSON input fed in chunks, so memory does not
 * grow with the input: a bundle or TAXII envelope ($.objects[*]), a JSON
 * array ($[*]), JSON lines or concatenated objects ($ each), or an OASIS
 * medallion data file ($.*.collections[*].objects[*]). The whole input is
 * checked against RFC 8259 (including UTF-8 and \u surrogate pairs); each
 * object reaches the callback as compact text: whitespace outside strings
 * removed, every other byte verbatim. Pure: no I/O. */
#ifndef VIGIL_JSTREAM_H
#define VIGIL_JSTREAM_H

#include <stddef.h>

/* Called once per object, in input order; index counts from 0. json is
 * NUL-terminated and valid only during the call. A non-zero return stops
 * the stream and is returned by vg_jstream_feed. */
typedef int (*vg_jstream_cb)(void *ud, const char *json, size_t len,
			     size_t index);

struct vg_jstream;

/* New stream; objects longer than max_object bytes (compact) fail with
 * VG_ETOOBIG. Returns NULL when out of memory. */
struct vg_jstream *vg_jstream_new(size_t max_object, vg_jstream_cb cb,
				  void *ud);
/* Called when a top-level object that holds an "objects" array (a bundle,
 * a TAXII envelope) ends, with that object's other members as one compact
 * JSON object ("{\"type\":\"bundle\",\"id\":...}"), NUL-terminated and
 * valid only during the call; a non-zero return stops the stream. An
 * object without such an array reaches the object callback whole. */
typedef int (*vg_jstream_env_cb)(void *ud, const char *json, size_t len);
void vg_jstream_on_envelope(struct vg_jstream *s, vg_jstream_env_cb cb);
/* Feed the next n bytes. VG_OK, VG_EJSON (malformed: see
 * vg_jstream_error), VG_ETOOBIG, VG_ENOMEM, or the callback's code. After
 * an error the stream accepts nothing more. */
int vg_jstream_feed(struct vg_jstream *s, const char *p, size_t n);
/* End of input: VG_EJSON when the input is empty or stops inside a value,
 * or the callback's code for a last bare number; after an error the
 * stream accepts nothing more. */
int vg_jstream_finish(struct vg_jstream *s);
/* What went wrong and where: "line 3, column 17: expected ':'". "" when
 * nothing did. Valid until the stream is freed. */
const char *vg_jstream_error(const struct vg_jstream *s);
/* Take one JSON value only (a TAXII envelope): a byte after it other than
 * white space fails with VG_EJSON ("data after the JSON value"). Call
 * before the first feed. */
void vg_jstream_one_value(struct vg_jstream *s);
/* 1 when the input was a container (bundle, envelope, array, medallion
 * file) rather than bare objects. */
int vg_jstream_is_container(const struct vg_jstream *s);
void vg_jstream_free(struct vg_jstream *s);

#endif
