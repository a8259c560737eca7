/* A fictional multi-agency scenario for tests and benchmarks of early
 * warning (vigil gen --scenario N): three agencies' bundles (a local cell
 * and its leader, a foreign group and its contact, travel with a
 * passport, indicators and observables, sightings) that share values,
 * spellings of one name in two scripts and a document number, hidden in
 * unrelated synthetic data; and the ground truth: the cross-border links
 * correlation must find, the paths link analysis must find, the watches
 * to make before the first bundle and the alerts each must raise, bundle
 * by bundle. Every name is fictional. Pure. */
#ifndef VIGIL_WARN_SCENARIO_H
#define VIGIL_WARN_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#define VG_SCENARIO_AGENCIES 3

struct vg_scenario_out {
	/* an object of agency a (0: alpha, 1: beta, 2: gamma) */
	int (*object)(void *ud, size_t agency, const char *json, size_t len);
	/* the ground truth, once, at the end (JSON) */
	int (*truth)(void *ud, const char *json, size_t len);
};

/* The agencies' names ("alpha", "beta", "gamma") and the step (1-3) at
 * which each agency's bundle is posted. */
const char *vg_scenario_agency(size_t agency);
int vg_scenario_step(size_t agency);

/* Scenario n, with noise unrelated synthetic objects per agency. Every
 * object is valid STIX 2.1 without created_by_ref (each bundle is posted
 * by a user of its agency, who becomes its creator). VG_OK, VG_ENOMEM or
 * a callback's code. */
int vg_scenario(uint64_t n, size_t noise, const struct vg_scenario_out *o,
                void *ud);

#endif
