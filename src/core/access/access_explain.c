/* The access rule explained step by step (access.h), for the console's
 * "who can see this and why". The steps are the rule's own, and
 * tests/unit/test_access.c proves vg_access_explain's verdict equal to
 * vg_access_read over every combination. */
#include "vigil/access/access.h"
#include "vigil/stix/stix.h"

enum vg_audience vg_access_audience(const struct vg_access_meta *m, int64_t org,
                                    const int64_t *groups, size_t n)
{
	if (m->owner == org)
		return VG_AUD_OWNER;
	switch (m->scope) {
	case VG_SCOPE_COMMUNITY:
	case VG_SCOPE_CONNECTED:
	case VG_SCOPE_ALL:
		return m->tlp == VG_TLP_RED ? VG_AUD_RED : VG_AUD_HUB;
	case VG_SCOPE_GROUP:
		for (size_t i = 0; i < n; i++)
			if (groups[i] == m->group)
				return VG_AUD_GROUP;
		return VG_AUD_NOT_MEMBER;
	case VG_SCOPE_ORG:
	case VG_SCOPE__COUNT:
		break;
	}
	return VG_AUD_NOT_OWNER;
}

int vg_audience_admits(enum vg_audience a)
{
	return a == VG_AUD_OWNER || a == VG_AUD_HUB || a == VG_AUD_GROUP ||
	       a == VG_AUD_GRANTED;
}

const char *vg_audience_name(enum vg_audience a)
{
	static const char *const names[] = {
	    "owner",     "hub-wide", "group-member",
	    "not-owner", "tlp-red",  "not-member", "granted",
	};
	return (unsigned)a < sizeof(names) / sizeof(names[0]) ? names[a] : "?";
}

void vg_access_explain(const struct vg_principal *p,
                       const struct vg_access_meta *m,
                       struct vg_access_why *out)
{
	out->role = p->operator|| vg_role_allows(p->role, VG_ACT_READ);
	out->clearance = p->operator|| m->classification <= p->clearance;
	out->audience = vg_access_audience(m, p->org, p->groups, p->n_groups);
	if (!vg_audience_admits(out->audience) &&
	    vg_access_granted(p, m->added))
		out->audience = VG_AUD_GRANTED;
	out->read = p->operator||(out->role && out->clearance &&
	                          vg_audience_admits(out->audience));
}
