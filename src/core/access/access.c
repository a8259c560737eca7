/* The access rule (see access.h and docs/security.md): a role must grant
 * reading; the classification must not exceed the reader's clearance; and
 * the reader's organisation must be in the object's audience, which the
 * scope sets and TLP:RED narrows to the owner and the named group. */
#include "vigil/access/access.h"
#include "vigil/util/error.h"
#include "vigil/stix/stix.h"

#include <string.h>

static const char *const role_names[VG_ROLE__COUNT] = {
	"reader", "analyst", "org-admin", "hub-admin", "auditor",
};

/* rows: roles; columns: enum vg_action */
static const unsigned char grants[VG_ROLE__COUNT][6] = {
	/*                 read write org hub audit screen */
	[VG_ROLE_READER] = {1, 0, 0, 0, 0, 1},
	[VG_ROLE_ANALYST] = {1, 1, 0, 0, 0, 1},
	[VG_ROLE_ORG_ADMIN] = {1, 1, 1, 0, 0, 1},
	[VG_ROLE_HUB_ADMIN] = {1, 1, 1, 1, 0, 1},
	[VG_ROLE_AUDITOR] = {0, 0, 0, 0, 1, 0},
};

int vg_role_allows(enum vg_role role, enum vg_action action)
{
	if ((unsigned)role >= VG_ROLE__COUNT || (unsigned)action > VG_ACT_SCREEN)
		return 0;
	return grants[role][action];
}

const char *vg_role_name(enum vg_role role)
{
	return (unsigned)role < VG_ROLE__COUNT ? role_names[role] : "?";
}

int vg_role_parse(const char *name)
{
	for (int i = 0; i < VG_ROLE__COUNT; i++)
		if (!strcmp(name, role_names[i]))
			return i;
	return -1;
}

const char *vg_scope_name(enum vg_scope scope)
{
	static const char *const names[VG_SCOPE__COUNT] = {
		"organisation", "community", "connected", "all", "group",
	};
	return (unsigned)scope < VG_SCOPE__COUNT ? names[scope] : "?";
}

static int in_group(const struct vg_principal *p, int64_t group)
{
	for (size_t i = 0; i < p->n_groups; i++)
		if (p->groups[i] == group)
			return 1;
	return 0;
}

int vg_access_read(const struct vg_principal *p, const struct vg_access_meta *m)
{
	if (!vg_role_allows(p->role, VG_ACT_READ))
		return 0;
	if (m->classification > p->clearance)
		return 0;
	if (m->owner == p->org)
		return 1;
	switch (m->scope) {
	case VG_SCOPE_ORG:
		return 0;
	case VG_SCOPE_COMMUNITY:
	case VG_SCOPE_CONNECTED:
	case VG_SCOPE_ALL:
		/* TLP:RED is for named recipients: a hub-wide scope names
		 * nobody beyond the owner */
		return m->tlp != VG_TLP_RED;
	case VG_SCOPE_GROUP:
		return in_group(p, m->group);
	case VG_SCOPE__COUNT:
		break;
	}
	return 0;
}

int vg_access_sql(const struct vg_principal *p, const char *alias,
		  struct vg_buf *sql)
{
	const char *a = alias ? alias : "";
	const char *dot = alias ? "." : "";
	int rc;
	if (!vg_role_allows(p->role, VG_ACT_READ))
		return vg_buf_puts(sql, "(0)");
	rc = vg_buf_printf(sql,
			   "(%s%sclassification <= %d AND (%s%sowner = %lld"
			   " OR (%s%sscope IN (%d,%d,%d) AND %s%stlp != %d)",
			   a, dot, p->clearance, a, dot, (long long)p->org, a,
			   dot, VG_SCOPE_COMMUNITY, VG_SCOPE_CONNECTED,
			   VG_SCOPE_ALL, a, dot, VG_TLP_RED);
	if (!rc && p->n_groups) {
		rc = vg_buf_printf(sql, " OR (%s%sscope = %d AND %s%sgrp IN (", a,
				   dot, VG_SCOPE_GROUP, a, dot);
		for (size_t i = 0; !rc && i < p->n_groups; i++)
			rc = vg_buf_printf(sql, "%s%lld", i ? "," : "",
					   (long long)p->groups[i]);
		if (!rc)
			rc = vg_buf_puts(sql, "))");
	}
	if (!rc)
		rc = vg_buf_puts(sql, "))");
	return rc;
}
