/* The versioning and ownership rules (versions.h). Version keys are
 * normalised timestamps, so they compare as strings. */
#include "vigil/stix/versions.h"
#include "vigil/stix/stix.h"

#include <string.h>

void vg_version_plan(const struct vg_stored_version *rows, size_t n,
		     const struct vg_new_version *v, struct vg_version_plan *out)
{
	const char *coll_max = NULL;
	int duplicate = 0, is_copy = 0, after_revoked = 0, before_own = 0;
	int64_t first_added = 0, first_owner = 0;
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		const struct vg_stored_version *r = &rows[i];
		int same_coll = !strcmp(r->collection, v->collection);
		/* the poster's own rows, of any collection */
		int own = r->owner == v->owner;
		int same_version = !strcmp(r->version, v->version);
		duplicate |= own && same_coll && same_version;
		if (!first_added || r->date_added < first_added) {
			first_added = r->date_added;
			first_owner = r->owner;
		}
		is_copy |= same_version && same_coll;
		if (same_coll && (!coll_max || strcmp(r->version, coll_max) > 0))
			coll_max = r->version;
		/* revocation ends the object, not one collection's copy;
		 * another organisation's copies never count */
		if (own) {
			int cmp = strcmp(v->version, r->version);
			after_revoked |= cmp > 0 && r->revoked;
			before_own |= cmp < 0;
		}
	}
	/* an owned id has one owner, for ever: any other organisation gets
	 * the same answer, whatever the version and whatever it may read */
	if (!v->shared) {
		int64_t holder = v->registered ? v->registered
				 : first_added ? first_owner
					       : v->owner;
		if (holder != v->owner) {
			out->action = VG_PLAN_DENIED;
			return;
		}
	}
	if (duplicate) {
		out->action = VG_PLAN_DUPLICATE;
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
	 * holds it (shared copies of it are latest too) */
	int cmp = coll_max ? strcmp(v->version, coll_max) : 1;
	out->action = VG_PLAN_INSERT;
	out->clear_latest = coll_max && cmp > 0;
	out->latest = cmp >= 0;
	/* another organisation stored this version here first: reads show
	 * this row only to those who cannot see that one (shared ids) */
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

int vg_stix_id_shared(const char *id)
{
	/* the 18 cyber-observable types of STIX 2.1 [6], whose ids are derived
	 * from their values: nobody creates them */
	static const char *const sco[] = {
		"artifact", "autonomous-system", "directory", "domain-name",
		"email-addr", "email-message", "file", "ipv4-addr", "ipv6-addr",
		"mac-addr", "mutex", "network-traffic", "process", "software",
		"url", "user-account", "windows-registry-key", "x509-certificate",
	};
	const char *sep = strstr(id, "--");
	if (!sep)
		return 0;
	size_t n = (size_t)(sep - id);
	for (size_t i = 0; i < sizeof(sco) / sizeof(sco[0]); i++)
		if (strlen(sco[i]) == n && !strncmp(id, sco[i], n))
			return 1;
	return vg_tlp_of_marking(id) != VG_TLP_NONE;
}
