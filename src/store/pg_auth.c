/* Authentication's reads in PostgreSQL in one round trip. Every request
 * asks, one after the other: the key, its user, the user's sharing groups
 * and the grants of its organisation (service/ctx.c). Outside a
 * transaction the key's statement reads all four (one snapshot, one round
 * trip instead of four) and keeps the answer on the handle; the three
 * reads that follow take it from there. It is forgotten at the next
 * statement of the handle and at every begin, so nothing is answered from
 * anything older than the statement before. */
#include "pg_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct vg__pg pg_t;

enum {
	K_ID,
	K_USER,
	K_USER_NAME,
	K_HASH,
	K_CREATED,
	K_EXPIRES,
	K_REVOKED,
	U_FOUND,
	U_ID,
	U_NAME,
	U_ORG,
	U_ORG_NAME,
	U_ROLE,
	U_CLEARANCE,
	U_DISABLED,
	U_CREATED,
	GROUPS,
	GRANTS
};

/* The user, organisation, groups and grants columns are those of
 * user_find (pg_hub.c), groups_of (pg_hub.c) and grants_of (pg_warn.c). */
#define AHEAD_SQL                                                              \
	"SELECT k.id, k.\"user\", u.name, k.hash, k.created, k.expires,"       \
	" k.revoked, (o.id IS NOT NULL)::int, u.id, u.name, u.org, o.name,"    \
	" u.role, u.clearance, u.disabled, u.created,"                         \
	" ARRAY(SELECT grp FROM group_members g WHERE g.org = u.org"           \
	" ORDER BY grp),"                                                      \
	" ARRAY(SELECT DISTINCT added FROM warn_grants w WHERE"                \
	" w.org = u.org AND w.revoked = 0 ORDER BY added)"                     \
	" FROM keys k JOIN users u ON u.id = k.\"user\""                       \
	" LEFT JOIN orgs o ON o.id = u.org WHERE k.id = $1"

void vg__pg_ahead_forget(struct vg__pg *p)
{
	PQclear(p->ahead);
	p->ahead = NULL;
	p->ahead_left = 0;
}

int vg__pg_key_find(struct vg_store *s, const char *id, vg_key_cb cb, void *ud)
{
	pg_t *p = vg__pg(s);
	PGresult *r = NULL;
	int found = 0;
	int rc = vg__pg_run(p, &r, AHEAD_SQL, "t", id);
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		unsigned char hash[VG_HASH_LEN];
		if (vg__pg_bytes(r, i, K_HASH, hash, VG_HASH_LEN))
			continue; /* a damaged row never authenticates */
		struct vg_key k = {
		    .id = PQgetvalue(r, i, K_ID),
		    .user = vg__pg_int(r, i, K_USER),
		    .user_name = PQgetvalue(r, i, K_USER_NAME),
		    .hash = hash,
		    .created = vg__pg_int(r, i, K_CREATED),
		    .expires = vg__pg_int(r, i, K_EXPIRES),
		    .revoked = (int)vg__pg_int(r, i, K_REVOKED),
		};
		found = 1;
		rc = cb(ud, &k);
	}
	/* kept for the reads that follow (a key is one row: its id is the
	 * primary key) */
	if (!rc && found && !p->in_tx && PQntuples(r) == 1) {
		p->ahead = r;
		p->ahead_left = 3;
		r = NULL;
	}
	PQclear(r);
	return rc ? rc : found ? VG_OK : VG_ENOTFOUND;
}

/* The read ahead when it holds what is asked (1), taken once. */
static int take(pg_t *p, int col, int64_t want)
{
	if (!p->ahead || p->in_tx || !vg__pg_int(p->ahead, 0, U_FOUND) ||
	    vg__pg_int(p->ahead, 0, col) != want)
		return 0;
	return 1;
}

static void used(pg_t *p)
{
	if (!--p->ahead_left)
		vg__pg_ahead_forget(p);
}

int vg__pg_ahead_user(struct vg__pg *p, int64_t id, vg_user_cb cb, void *ud,
                      int *rc)
{
	if (!take(p, U_ID, id))
		return 0;
	const PGresult *r = p->ahead;
	struct vg_user u = {
	    .id = vg__pg_int(r, 0, U_ID),
	    .name = PQgetvalue(r, 0, U_NAME),
	    .org = vg__pg_int(r, 0, U_ORG),
	    .org_name = PQgetvalue(r, 0, U_ORG_NAME),
	    .role = (int)vg__pg_int(r, 0, U_ROLE),
	    .clearance = (int)vg__pg_int(r, 0, U_CLEARANCE),
	    .disabled = (int)vg__pg_int(r, 0, U_DISABLED),
	    .created = vg__pg_int(r, 0, U_CREATED),
	};
	*rc = cb(ud, &u);
	used(p);
	return 1;
}

/* An int8[] in text form ("{1,2}", "{}") into a new array. */
static int int_array(const char *s, int64_t **out, size_t *n)
{
	size_t k = 0, cap = 0;
	int64_t *v = NULL;
	if (*s++ != '{')
		return VG_ESTORE;
	while (*s && *s != '}') {
		char *end;
		long long x = strtoll(s, &end, 10);
		if (end == s || (*end != ',' && *end != '}')) {
			free(v);
			return VG_ESTORE;
		}
		if (k == cap) {
			cap = cap ? 2 * cap : 8;
			int64_t *w = realloc(v, cap * sizeof(*v));
			if (!w) {
				free(v);
				return VG_ENOMEM;
			}
			v = w;
		}
		v[k++] = x;
		s = *end == ',' ? end + 1 : end;
	}
	*out = v;
	*n = k;
	return VG_OK;
}

int vg__pg_ahead_ids(struct vg__pg *p, int grants, int64_t org, int64_t **ids,
                     size_t *n, int *rc)
{
	if (!take(p, U_ORG, org))
		return 0;
	*rc = int_array(PQgetvalue(p->ahead, 0, grants ? GRANTS : GROUPS), ids,
	                n);
	if (*rc)
		snprintf(p->err, sizeof(p->err), "%s",
		         "read ahead: a malformed array of ids");
	used(p);
	return 1;
}
