/* The one access rule: may this principal read this object version? One
 * pure function decides (vg_access_read), and the same rule is given to
 * the stores as a neutral expression (vg_access_expr) that each backend
 * translates into its query language, so the two cannot drift.
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
	/* the stored versions (their date_added) the organisation was granted
	 * by their owners (early warning's access grants), ascending: an
	 * exception to the audience, never to the clearance */
	const int64_t *grants;
	size_t n_grants;
	/* the hub operator: whoever runs the vigil command on the hub's
	 * machine owns the store's files and so reads and does everything
	 * (every action still audited); never a user of the API */
	int operator;
};

/* What the rule needs to know of an object version. */
struct vg_access_meta {
	int64_t owner;  /* organisation */
	enum vg_scope scope;
	int64_t group;  /* the sharing group when scope is VG_SCOPE_GROUP */
	int tlp;        /* enum vg_tlp */
	int classification;
	int64_t added;  /* the version's row (date_added): what grants name */
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
/* 1 when p may take action: its role grants it, or p is the operator. */
int vg_principal_allows(const struct vg_principal *p, enum vg_action action);
/* 1 when p may read an object version with meta m. */
int vg_access_read(const struct vg_principal *p, const struct vg_access_meta *m);
/* 1 when p belongs to sharing group g. */
int vg_principal_in_group(const struct vg_principal *p, int64_t g);

/* ---- the rule explained ----------------------------------------------- */

/* Whether an organisation is in a version's audience (step 3 of the
 * rule), and why. */
enum vg_audience {
	VG_AUD_OWNER,      /* the owner organisation */
	VG_AUD_HUB,        /* a hub-wide scope, not TLP:RED */
	VG_AUD_GROUP,      /* a member of the version's sharing group */
	VG_AUD_NOT_OWNER,  /* organisation scope: the owner only */
	VG_AUD_RED,        /* TLP:RED in a hub-wide scope: the owner only */
	VG_AUD_NOT_MEMBER, /* group scope, not a member */
	VG_AUD_GRANTED,    /* outside the audience, but its owner granted it */
};

/* 1 when an owner granted p's organisation the version stored as row
 * added (early warning's access grants). */
int vg_access_granted(const struct vg_principal *p, int64_t added);

/* The audience step for organisation org, member of groups (n). */
enum vg_audience vg_access_audience(const struct vg_access_meta *m,
				    int64_t org, const int64_t *groups,
				    size_t n);
/* 1 for the reasons that admit (owner, hub, group). */
int vg_audience_admits(enum vg_audience a);
/* "owner", "hub-wide", "group-member", "not-owner", "tlp-red",
 * "not-member". */
const char *vg_audience_name(enum vg_audience a);

/* vg_access_read step by step: read is exactly vg_access_read. */
struct vg_access_why {
	int role;      /* the role reads intelligence */
	int clearance; /* the classification is within the clearance */
	enum vg_audience audience;
	int read;
};
void vg_access_explain(const struct vg_principal *p,
		       const struct vg_access_meta *m, struct vg_access_why *out);

/* ---- the rule as an expression for the stores ---------------------- */

/* The columns of a stored version the rule reads. */
enum vg_col {
	VG_COL_OWNER,
	VG_COL_SCOPE,
	VG_COL_GRP,
	VG_COL_TLP,
	VG_COL_CLASSIFICATION,
	VG_COL_ADDED, /* date_added */
};

enum vg_xop {
	VG_X_TRUE,
	VG_X_FALSE,
	VG_X_AND, /* every child */
	VG_X_OR,  /* any child */
	VG_X_EQ,  /* col = value */
	VG_X_NE,  /* col != value */
	VG_X_LE,  /* col <= value */
	VG_X_IN,  /* col IN set (an empty set is false) */
};

struct vg_expr {
	enum vg_xop op;
	enum vg_col col;
	int64_t value;
	const int64_t *set; /* IN: borrowed from the principal or the tree */
	size_t n_set;
	unsigned first, n;  /* AND, OR: children are node[first .. first+n) */
};

#define VG_EXPR_NODES 16

/* A tree of integers only (never text), root at node[0]. */
struct vg_access_expr {
	struct vg_expr node[VG_EXPR_NODES];
	unsigned n;
	int64_t hubwide[3]; /* the scopes that reach every organisation */
};

/* The rule for p as an expression: true of a version's columns exactly
 * when vg_access_read is true of its meta. The tree borrows p->groups
 * and p->grants (a principal without grants gets no node for them). */
void vg_access_expr(const struct vg_principal *p, struct vg_access_expr *x);
/* Evaluate node i of x over m (the reference a backend's translation is
 * tested against). */
int vg_expr_eval(const struct vg_access_expr *x, unsigned i,
		 const struct vg_access_meta *m);

/* "reader", "analyst", "org-admin", "hub-admin", "auditor"; parse returns
 * -1 for an unknown name. */
const char *vg_role_name(enum vg_role role);
int vg_role_parse(const char *name);
/* "organisation", "community", "connected", "all", "group". */
const char *vg_scope_name(enum vg_scope scope);

#endif
