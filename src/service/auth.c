/* Authentication by API key (Bearer, or HTTP Basic with the user name). */
#include "service_int.h"
#include "vigil/util/error.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *vg_auth_result_name(enum vg_auth_result r)
{
	static const char *const names[] = {
		"ok", "missing credentials", "malformed key", "unknown key",
		"revoked key", "expired key", "disabled user", "key of another user",
	};
	return (unsigned)r < sizeof(names) / sizeof(names[0]) ? names[r] : "?";
}

struct found {
	int have;
	char user_name[128];
	int64_t user;
	unsigned char hash[VG_HASH_LEN];
	int64_t expires;
	int revoked;
};

static int take_key(void *ud, const struct vg_key *k)
{
	struct found *f = ud;
	f->have = 1;
	snprintf(f->user_name, sizeof(f->user_name), "%s", k->user_name);
	f->user = k->user;
	memcpy(f->hash, k->hash, VG_HASH_LEN);
	f->expires = k->expires;
	f->revoked = k->revoked;
	return 0;
}

static int take_user(void *ud, const struct vg_user *u)
{
	struct vg_session *s = ud;
	s->p.user = u->id;
	s->p.org = u->org;
	s->p.role = (enum vg_role)u->role;
	s->p.clearance = u->clearance;
	snprintf(s->user, sizeof(s->user), "%s", u->name);
	snprintf(s->org_name, sizeof(s->org_name), "%s", u->org_name);
	return u->disabled ? VG_EDENIED : 0;
}

int vg_auth_key(struct vg_store *s, const char *key, const char *user,
		int64_t now, struct vg_session *out, enum vg_auth_result *res)
{
	char id[17];
	unsigned char hash[VG_HASH_LEN];
	struct found f = {0};
	int rc;
	*res = VG_AUTH_MISSING;
	if (!key || !*key)
		return VG_OK;
	*res = VG_AUTH_MALFORMED;
	/* vgk_ + 16 hex + _ + 43 base64url */
	if (strlen(key) != 4 + 16 + 1 + 43 || strncmp(key, "vgk_", 4) ||
	    key[20] != '_')
		return VG_OK;
	memcpy(id, key + 4, 16);
	id[16] = '\0';
	for (int i = 0; i < 16; i++)
		if (!strchr("0123456789abcdef", id[i]))
			return VG_OK;
	rc = s->ops->hub->key_find(s, id, take_key, &f);
	if (rc && rc != VG_ENOTFOUND)
		return rc;
	/* hash even for an unknown id, so both take the same time */
	crypto_generichash(hash, VG_HASH_LEN, (const unsigned char *)key + 21,
			   43, NULL, 0);
	*res = VG_AUTH_UNKNOWN;
	if (!f.have || sodium_memcmp(hash, f.hash, VG_HASH_LEN) != 0)
		return VG_OK;
	if (f.revoked) {
		*res = VG_AUTH_REVOKED;
		return VG_OK;
	}
	if (f.expires && now >= f.expires) {
		*res = VG_AUTH_EXPIRED;
		return VG_OK;
	}
	if (user && strcmp(user, f.user_name)) {
		*res = VG_AUTH_WRONG_USER;
		return VG_OK;
	}
	memset(out, 0, sizeof(*out));
	rc = s->ops->hub->user_find(s, NULL, f.user, take_user, out);
	if (rc == VG_EDENIED) {
		*res = VG_AUTH_DISABLED;
		return VG_OK;
	}
	if (rc)
		return rc == VG_ENOTFOUND ? VG_OK : rc;
	int64_t *groups = NULL;
	size_t n = 0;
	rc = s->ops->hub->groups_of(s, out->p.org, &groups, &n);
	if (rc)
		return rc;
	if (n > sizeof(out->groups) / sizeof(out->groups[0]))
		n = sizeof(out->groups) / sizeof(out->groups[0]);
	if (n)
		memcpy(out->groups, groups, n * sizeof(*groups));
	free(groups);
	out->p.groups = out->groups;
	out->p.n_groups = n;
	*res = VG_AUTH_OK;
	return VG_OK;
}
