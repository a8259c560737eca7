/* Deterministic synthetic STIX 2.1 for tests and benchmarks: fictional
 * people and agencies, terrorist threat actors, incidents, locations,
 * indicators with their observables, sightings, relationships and reports.
 * The same seed and count give the same bytes. Pure. */
#ifndef VIGIL_GEN_H
#define VIGIL_GEN_H

#include <stddef.h>
#include <stdint.h>

/* Called with each object's compact JSON (valid during the call). A
 * non-zero return stops generation and is returned. */
typedef int (*vg_gen_cb)(void *ud, const char *json, size_t len);

/* Generate count objects from seed. Every reference points to an object
 * generated before it. VG_OK, VG_ENOMEM or the callback's code. */
int vg_gen_stix(uint64_t seed, size_t count, vg_gen_cb cb, void *ud);

/* The generator's random numbers (splitmix64), shared with other
 * generators of test data. */
struct vg_rng {
	uint64_t s;
};
uint64_t vg_rng_next(struct vg_rng *r);
/* Uniform in [0, n). */
uint32_t vg_rng_below(struct vg_rng *r, uint32_t n);
/* A fictional name part of 2-3 syllables, capitalised, into out. */
void vg_rng_name(struct vg_rng *r, char *out, size_t n);

#endif
