/* The versioning and ownership rules (versions.h). Version keys are
 * normalised timestamps, so they compare as strings. */
#include "vigil/stix/versions.h"

#include <string.h>

void vg_version_plan(const struct vg_stored_version *rows, size_t n,
		     const struct vg_new_version *v, struct vg_version_plan *out)
{
	const char *coll_max = NULL;
	int version_known = 0, is_copy = 0, after_revoked = 0, before_own = 0;
	int64_t first_added = 0, owner = 0;
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		const struct vg_stored_version *r = &rows[i];
		int same_coll = !strcmp(r->collection, v->collection);
		/* the poster's own rows, of any collection */
		int own = r->owner == v->owner;
		int same_version = !strcmp(r->version, v->version);
		if (own && same_coll && same_version) {
			out->action = VG_PLAN_DUPLICATE;
			return;
		}
		/* the owner is whoever stored the id first: a copy of a
		 * version by another organisation does not make it theirs */
		if (!first_added || r->date_added < first_added) {
			first_added = r->date_added;
			owner = r->owner;
		}
		if (same_version) {
			version_known = 1;
			is_copy |= same_coll;
		}
		if (same_coll && (!coll_max || strcmp(r->version, coll_max) > 0))
			coll_max = r->version;
		/* revocation ends the object, not one collection's copy;
		 * another organisation's copies (of versions it did not make)
		 * never count */
		if (own) {
			int cmp = strcmp(v->version, r->version);
			after_revoked |= cmp > 0 && r->revoked;
			before_own |= cmp < 0;
		}
	}
	/* a new version is its owner's to make; a copy of a known one is not */
	if (first_added && owner != v->owner && !version_known) {
		out->action = VG_PLAN_DENIED;
		return;
	}
	/* revocation is final: nothing may follow a revoked version, and a
	 * revoked version may not arrive before one that exists */
	if (after_revoked || (before_own && v->revoked)) {
		out->action = VG_PLAN_REVOKED;
		out->after_revoked = after_revoked;
		return;
	}
	/* latest: the newest version of the id in the collection, whoever
	 * holds it (copies of it are latest too) */
	int cmp = coll_max ? strcmp(v->version, coll_max) : 1;
	out->action = VG_PLAN_INSERT;
	out->clear_latest = coll_max && cmp > 0;
	out->latest = cmp >= 0;
	out->copy = is_copy;
}

const char *vg_version_newest(const struct vg_stored_version *rows, size_t n,
			      const char *collection)
{
	const char *best = NULL;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(rows[i].collection, collection) &&
		    (!best || strcmp(rows[i].version, best) > 0))
			best = rows[i].version;
	return best;
}
