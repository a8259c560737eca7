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

int vg_principal_allows(const struct vg_principal *p, enum vg_action action)
{
	return p->operator || vg_role_allows(p->role, action);
}

int vg_principal_in_group(const struct vg_principal *p, int64_t group)
{
	for (size_t i = 0; i < p->n_groups; i++)
		if (p->groups[i] == group)
			return 1;
	return 0;
}

/* 1 when row is in the ascending list v[0..n). */
static int in_list(const int64_t *v, size_t n, int64_t row)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] == row)
			return 1;
		if (v[mid] < row)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int vg_access_granted(const struct vg_principal *p, int64_t added)
{
	return p->n_grants && in_list(p->grants, p->n_grants, added);
}

int vg_access_read(const struct vg_principal *p, const struct vg_access_meta *m)
{
	if (p->operator)
		return 1;
	if (!vg_role_allows(p->role, VG_ACT_READ))
		return 0;
	if (m->classification > p->clearance)
		return 0;
	if (m->owner == p->org)
		return 1;
	/* an owner's grant opens the audience to the organisation */
	if (vg_access_granted(p, m->added))
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
		return vg_principal_in_group(p, m->group);
	case VG_SCOPE__COUNT:
		break;
	}
	return 0;
}

/* ---- the expression -------------------------------------------------- */

static unsigned node(struct vg_access_expr *x, enum vg_xop op, enum vg_col col,
		     int64_t value)
{
	unsigned i = x->n++;
	x->node[i] = (struct vg_expr){.op = op, .col = col, .value = value};
	return i;
}

void vg_access_expr(const struct vg_principal *p, struct vg_access_expr *x)
{
	memset(x, 0, sizeof(*x));
	if (p->operator || !vg_role_allows(p->role, VG_ACT_READ)) {
		node(x, p->operator ? VG_X_TRUE : VG_X_FALSE, 0, 0);
		return;
	}
	/* 0: AND(1 classification, 2 audience)
	 * 2: OR(3 owner, 4 hub-wide, [5 group], [grants])
	 * hub-wide: AND(scope IN hub-wide, tlp != RED)
	 * group: AND(scope = GROUP, grp IN groups)
	 * grants: date_added IN grants
	 * children of a node are consecutive, so the optional ones are
	 * placed after the audience's children */
	unsigned root = node(x, VG_X_AND, 0, 0);
	x->node[root].first = 1;
	x->node[root].n = 2;
	node(x, VG_X_LE, VG_COL_CLASSIFICATION, p->clearance);
	unsigned aud = node(x, VG_X_OR, 0, 0);
	x->node[aud].first = x->n;
	node(x, VG_X_EQ, VG_COL_OWNER, p->org);
	unsigned wide = node(x, VG_X_AND, 0, 0);
	unsigned grp = p->n_groups ? node(x, VG_X_AND, 0, 0) : 0;
	unsigned gr = p->n_grants ? node(x, VG_X_IN, VG_COL_ADDED, 0) : 0;
	x->node[aud].n = x->n - x->node[aud].first;
	if (gr) {
		x->node[gr].set = p->grants;
		x->node[gr].n_set = p->n_grants;
	}
	x->node[wide].first = x->n;
	x->node[wide].n = 2;
	x->hubwide[0] = VG_SCOPE_COMMUNITY;
	x->hubwide[1] = VG_SCOPE_CONNECTED;
	x->hubwide[2] = VG_SCOPE_ALL;
	unsigned in = node(x, VG_X_IN, VG_COL_SCOPE, 0);
	x->node[in].set = x->hubwide;
	x->node[in].n_set = 3;
	node(x, VG_X_NE, VG_COL_TLP, VG_TLP_RED);
	if (grp) {
		x->node[grp].first = x->n;
		x->node[grp].n = 2;
		node(x, VG_X_EQ, VG_COL_SCOPE, VG_SCOPE_GROUP);
		unsigned gin = node(x, VG_X_IN, VG_COL_GRP, 0);
		x->node[gin].set = p->groups;
		x->node[gin].n_set = p->n_groups;
	}
}

static int64_t column(const struct vg_access_meta *m, enum vg_col c)
{
	switch (c) {
	case VG_COL_OWNER: return m->owner;
	case VG_COL_SCOPE: return m->scope;
	case VG_COL_GRP: return m->group;
	case VG_COL_TLP: return m->tlp;
	case VG_COL_CLASSIFICATION: return m->classification;
	case VG_COL_ADDED: return m->added;
	}
	return 0;
}

int vg_expr_eval(const struct vg_access_expr *x, unsigned i,
		 const struct vg_access_meta *m)
{
	const struct vg_expr *e = &x->node[i];
	switch (e->op) {
	case VG_X_TRUE: return 1;
	case VG_X_FALSE: return 0;
	case VG_X_AND:
		for (unsigned k = 0; k < e->n; k++)
			if (!vg_expr_eval(x, e->first + k, m))
				return 0;
		return 1;
	case VG_X_OR:
		for (unsigned k = 0; k < e->n; k++)
			if (vg_expr_eval(x, e->first + k, m))
				return 1;
		return 0;
	case VG_X_EQ: return column(m, e->col) == e->value;
	case VG_X_NE: return column(m, e->col) != e->value;
	case VG_X_LE: return column(m, e->col) <= e->value;
	case VG_X_IN:
		for (size_t k = 0; k < e->n_set; k++)
			if (column(m, e->col) == e->set[k])
				return 1;
		return 0;
	}
	return 0;
}
