/* libFuzzer target for early warning's keys: any bytes as a STIX object
 * (its observable values, pattern literals, names, references, facets)
 * and as a value a user gives; every key is checked against what keys.h
 * promises (bounded, NUL-free, sorted and unique, a kind before ':'). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vigil/util/error.h"
#include "vigil/warn/keys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct vg_warn_keyer *keyer;

static void check(const struct vg_warn_keyset *ks, int finished)
{
	for (size_t i = 0; i < ks->n; i++) {
		const char *k = vg_warn_keyset_at(ks, i);
		size_t n = strlen(k);
		if (!n || n > VG_WARN_KEY_MAX || !strchr(k, ':'))
			__builtin_trap();
		if (finished && i &&
		    strcmp(vg_warn_keyset_at(ks, i - 1), k) >= 0)
			__builtin_trap();
		char shown[VG_WARN_KEY_MAX];
		vg_warn_key_display(k, shown, sizeof(shown));
		if (!memchr(shown, '\0', sizeof(shown)))
			__builtin_trap();
		struct vg_warn_keyset sup;
		char lo[VG_WARN_KEY_MAX], hi[VG_WARN_KEY_MAX];
		vg_warn_keyset_init(&sup);
		vg_warn_ip_supernets(k, &sup);
		for (size_t j = 0; j < sup.n; j++)
			if (!vg_warn_ip_within(k, vg_warn_keyset_at(&sup, j)))
				__builtin_trap();
		if (!vg_warn_ip_range(k, lo, hi) && strcmp(lo, hi) > 0)
			__builtin_trap();
		vg_warn_keyset_release(&sup);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_warn_keyset ks;
	char why[256], text[1024];
	if (!keyer && vg_warn_keyer_new(&keyer))
		return 0;
	vg_warn_keyset_init(&ks);
	cJSON *v = cJSON_ParseWithLength((const char *)data, size);
	if (v && !vg_warn_object_keys(keyer, v, &ks))
		check(&ks, 1);
	cJSON_Delete(v);
	size_t n = size < sizeof(text) - 1 ? size : sizeof(text) - 1;
	memcpy(text, data, n);
	text[n] = '\0';
	vg_warn_keyset_reset(&ks);
	if (!vg_warn_value_key(keyer, text, NULL, &ks, why, sizeof(why)))
		check(&ks, 0);
	vg_warn_keyset_release(&ks);
	return 0;
}
