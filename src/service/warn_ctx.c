/* The operator acting as a user (warn.h vg_warn_ctx_as): what the
 * command shows is what that user would see; what it does is done in
 * the user's name, and the audit log names the operator too. */
#include "warn_int.h"
#include "vigil/util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct as {
	struct vg_ctx *c;
	int found;
	char name[128], org[128];
};

static int take(void *ud, const struct vg_user *u)
{
	struct as *a = ud;
	if (u->disabled)
		return 0;
	a->found = 1;
	a->c->p = (struct vg_principal){
	    .user = u->id,
	    .org = u->org,
	    .role = (enum vg_role)u->role,
	    .clearance = u->clearance,
	};
	snprintf(a->name, sizeof(a->name), "%s", u->name);
	snprintf(a->org, sizeof(a->org), "%s", u->org_name);
	return 0;
}

int vg_warn_ctx_as(struct vg_ctx *c, const char *user, char *err, size_t errlen)
{
	struct vg_store *s = vg__reader(c->svc);
	if (!c->p.operator)
		return vg__deny(c, "operator", "operator.as");
	if (!s)
		return VG_ESTORE;
	struct vg_principal op = c->p;
	struct as a = {c, 0, "", ""};
	int rc = s->ops->hub->user_find(s, user, 0, take, &a);
	if (rc == VG_ENOTFOUND || (!rc && !a.found)) {
		c->p = op;
		snprintf(err, errlen, "no enabled user '%s'", user);
		return VG_ENOTFOUND;
	}
	if (rc) {
		c->p = op;
		return rc;
	}
	int64_t *groups = NULL, *grants = NULL;
	size_t ng = 0, nr = 0;
	rc = s->ops->sharing->groups_of(s, c->p.org, &groups, &ng);
	if (!rc && s->ops->warn)
		rc = s->ops->warn->grants_of(s, c->p.org, &grants, &nr);
	if (rc) {
		free(groups);
		c->p = op;
		return rc;
	}
	/* on record first, as the operator */
	struct vg__detail d;
	struct vg_principal as_user = c->p;
	c->p = op;
	vg__detail_begin(&d);
	vg_jw_kstr(&d.w, "org", a.org);
	const char *detail = vg__detail_end(&d);
	rc = detail ? vg__audit_now(c, "operator.as", a.name, detail)
	            : VG_ENOMEM;
	vg__detail_release(&d);
	if (rc) {
		free(groups);
		free(grants);
		return rc;
	}
	free(c->groups);
	free(c->grants);
	c->groups = groups;
	c->grants = grants;
	c->p = as_user;
	c->p.groups = groups;
	c->p.n_groups = ng;
	c->p.grants = grants;
	c->p.n_grants = nr;
	char actor[sizeof(c->user)];
	snprintf(actor, sizeof(actor), "%.60s as %.60s", c->user, a.name);
	snprintf(c->user, sizeof(c->user), "%s", actor);
	snprintf(c->org_name, sizeof(c->org_name), "%s", a.org);
	return VG_OK;
}
