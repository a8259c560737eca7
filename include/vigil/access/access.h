/* The one access rule: may this principal read this object version? One
 * pure function decides, and the SQL filter that every store query uses is
 * generated from the same rule (vg_access_sql), so the two cannot drift.
 * docs/security.md states the rule as a table. */
#ifndef VIGIL_ACCESS_H
#define VIGIL_ACCESS_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/util/buf.h"

enum vg_role {
	VG_ROLE_READER = 0,
	VG_ROLE_ANALYST,
	VG_ROLE_ORG_ADMIN,
	VG_ROLE_HUB_ADMIN,
	VG_ROLE_AUDITOR,
	VG_ROLE__COUNT,
};

/* Sharing scopes, set by the collection an object version is posted to. */
enum vg_scope {
	VG_SCOPE_ORG = 0,   /* the owner organisation only */
	VG_SCOPE_COMMUNITY, /* every organisation of this hub */
	VG_SCOPE_CONNECTED, /* this hub's community and connected hubs */
	VG_SCOPE_ALL,       /* everyone the data reaches */
	VG_SCOPE_GROUP,     /* the owner and the sharing group's members */
	VG_SCOPE__COUNT,
};

/* Who asks. groups lists the sharing groups the principal's organisation
 * belongs to. */
struct vg_principal {
	int64_t user;
	int64_t org;
	enum vg_role role;
	int clearance; /* highest classification level the user may read */
	const int64_t *groups;
	size_t n_groups;
};

/* What the rule needs to know of an object version. */
struct vg_access_meta {
	int64_t owner;  /* organisation */
	enum vg_scope scope;
	int64_t group;  /* the sharing group when scope is VG_SCOPE_GROUP */
	int tlp;        /* enum vg_tlp */
	int classification;
};

/* Actions a role grants (never content). */
enum vg_action {
	VG_ACT_READ,       /* read intelligence (subject to vg_access_read) */
	VG_ACT_WRITE,      /* add objects and versions, delete own objects */
	VG_ACT_ORG_ADMIN,  /* manage users and keys of the own organisation */
	VG_ACT_HUB_ADMIN,  /* manage organisations, groups, every user */
	VG_ACT_AUDIT,      /* read the audit log */
	VG_ACT_SCREEN,     /* screen travellers against watchlists */
};

/* 1 when role grants action. */
int vg_role_allows(enum vg_role role, enum vg_action action);
/* 1 when p may read an object version with meta m. */
int vg_access_read(const struct vg_principal *p, const struct vg_access_meta *m);

/* Append to sql a boolean SQL expression over the columns owner, scope,
 * grp, tlp and classification (optionally qualified by alias, e.g. "o")
 * that is true exactly when vg_access_read is: the same rule as SQL. Only
 * integers from p are written, never text, so no binding is needed. */
int vg_access_sql(const struct vg_principal *p, const char *alias,
		  struct vg_buf *sql);

/* "reader", "analyst", "org-admin", "hub-admin", "auditor"; parse returns
 * -1 for an unknown name. */
const char *vg_role_name(enum vg_role role);
int vg_role_parse(const char *name);
/* "organisation", "community", "connected", "all", "group". */
const char *vg_scope_name(enum vg_scope scope);

#endif
