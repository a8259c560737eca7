/* libFuzzer target for name matching: any bytes as a person's and an
 * organisation's name, normalised, scored against fixed names and a
 * second name cut from the input, and the explanation rendered. */
#include "vigil/util/error.h"
#include "vigil/names/match.h"
#include "vigil/names/person.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct vg_match_scratch *scratch;

static void screen(const char *a, const char *b, enum vg_person_kind kind)
{
	struct vg_person q, e;
	struct vg_match_explain ex;
	struct vg_buf buf;
	double s;
	vg_person_init(&q);
	vg_person_init(&e);
	q.kind = e.kind = kind;
	if (vg_person_add_name(&q, a, NULL, NULL, VG_NAME_PRIMARY) ||
	    vg_person_add_name(&e, b, NULL, NULL, VG_NAME_PRIMARY) ||
	    vg_person_add_name(&e, "Abd al-Aziz bin Baz", NULL, NULL,
	                       VG_NAME_LOW))
		abort();
	if (vg_match_persons(scratch, &q, &e, &s, &ex) == VG_OK) {
		if (s < 0 || s > 1)
			abort();
		vg_buf_init(&buf, 0);
		vg_match_explain_json(&ex, &buf);
		vg_match_explain_line(&ex, &buf);
		vg_buf_release(&buf);
	}
	vg_person_release(&q);
	vg_person_release(&e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *a, *b;
	size_t cut = size / 2;
	if (!scratch && vg_match_scratch_new(NULL, &scratch))
		abort();
	a = malloc(size + 1);
	b = malloc(size - cut + 1);
	if (!a || !b)
		abort();
	memcpy(a, data, size);
	a[size] = '\0';
	memcpy(b, data + cut, size - cut);
	b[size - cut] = '\0';
	/* the names are C strings: whatever follows a NUL is not seen */
	screen(a, "Mohammed bin Salman Al Saud", VG_PERSON_INDIVIDUAL);
	screen(a, b, VG_PERSON_INDIVIDUAL);
	screen(a, "Joint Stock Company Gazprom", VG_PERSON_ENTITY);
	free(a);
	free(b);
	return 0;
}
