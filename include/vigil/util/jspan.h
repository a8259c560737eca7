/* Spans of a JSON text without parsing it into a tree: the members of the
 * top-level object and the elements of an array, each as the exact text
 * it has in the input. For envelopes whose objects must stay byte for
 * byte and whose other members are wanted alone. Assumes JSON that a
 * parser will check anyway: on text that is not, it fails (VG_EJSON)
 * rather than reading past the end. Pure. */
#ifndef VIGIL_UTIL_JSPAN_H
#define VIGIL_UTIL_JSPAN_H

#include <stddef.h>

struct vg_span {
	const char *p;
	size_t n;
};

/* Call cb for each member of the top-level object in text, in one pass
 * (key without its quotes, as written: escapes are not decoded); stops on
 * a non-zero return (returned). VG_EJSON when text is not an object. */
int vg_jspan_members(const char *text, size_t len,
                     int (*cb)(void *ud, const struct vg_span *key,
                               const struct vg_span *value),
                     void *ud);
/* Call cb for each element of the array in text (a value span); stops on
 * a non-zero return (returned). VG_EJSON when text is not an array. */
int vg_jspan_elements(const char *text, size_t len,
                      int (*cb)(void *ud, const struct vg_span *e), void *ud);

#endif
