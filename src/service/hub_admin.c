/* Creating the hub and its organisations, users, keys and sharing groups;
 * each action in one transaction with its audit entry. */
#include "service_int.h"
#include "vigil/audit/audit.h"
#include "vigil/util/error.h"
#include "vigil/stix/stix.h"
#include "vigil/util/timefmt.h"

#include <ctype.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static void uuid4(char out[37])
{
	unsigned char rnd[16];
	randombytes_buf(rnd, sizeof(rnd));
	vg_uuid_v4(rnd, out);
}

static void stix_now(char out[32])
{
	char t[VG_TIME_LEN];
	vg_time_format_us(vg__now_us(), t);
	memcpy(out, t, 23); /* millisecond precision, as STIX asks */
	out[23] = 'Z';
	out[24] = '\0';
}

/* Names people type: 1-100 printable characters, no quotes or controls. */
static int name_ok(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (!n || n > max)
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '"' || *p == '\\')
			return 0;
	return 1;
}

/* User names: 1-64 of [A-Za-z0-9._@-] (they appear in HTTP Basic). */
static int user_name_ok(const char *s)
{
	size_t n = strlen(s);
	if (!n || n > 64)
		return 0;
	for (const char *p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("._@-", *p))
			return 0;
	return 1;
}

static void slug(const char *name, char *out, size_t n)
{
	size_t j = 0;
	for (const unsigned char *p = (const unsigned char *)name;
	     *p && j + 1 < n; p++)
		out[j++] = isalnum(*p) ? (char)tolower(*p) : '-';
	out[j] = '\0';
}

int vg__audit(struct vg_store *s, const struct vg_actor *a, const char *action,
	      const char *target, const char *detail)
{
	struct vg_audit_entry e = {
		.actor = a->name,
		.org = a->org,
		.action = action,
		.target = target,
		.detail = detail ? detail : "{}",
		.source = a->source ? a->source : "cli",
		.purpose = a->purpose ? a->purpose : "",
	};
	return s->ops->hub->audit_append(s, &e);
}

int vg_audit_record(struct vg_store *s, const struct vg_actor *a,
		    const char *action, const char *target, const char *detail)
{
	int rc = s->ops->begin(s);
	if (rc)
		return rc;
	rc = vg__audit(s, a, action, target, detail);
	if (!rc)
		rc = s->ops->commit(s);
	else
		s->ops->rollback(s);
	return rc;
}

int vg_hub_exists(struct vg_store *s)
{
	char *v = NULL;
	int rc = s->ops->hub->get(s, VG_HUB_ID, &v);
	free(v);
	return rc == VG_OK;
}

static int get_setting(struct vg_store *s, const char *key, char *out, size_t n)
{
	char *v = NULL;
	int rc = s->ops->hub->get(s, key, &v);
	if (!rc)
		snprintf(out, n, "%s", v);
	free(v);
	return rc;
}

int vg_hub_info(struct vg_store *s, struct vg_hub_info *out)
{
	char hex[80], levels[1024];
	memset(out, 0, sizeof(*out));
	int rc = get_setting(s, VG_HUB_SECRET, hex, sizeof(hex));
	if (rc)
		return rc;
	if (vg__unhex(hex, out->secret, sizeof(out->secret)))
		return VG_EINVAL;
	if (get_setting(s, VG_HUB_NAME, out->name, sizeof(out->name)))
		snprintf(out->name, sizeof(out->name), "vigil hub");
	if (get_setting(s, VG_HUB_LEVELS, levels, sizeof(levels)))
		levels[0] = '\0';
	size_t i = 0;
	for (char *save = NULL, *t = strtok_r(levels, ",", &save);
	     t && i < sizeof(out->levels) / sizeof(out->levels[0]);
	     t = strtok_r(NULL, ",", &save), i++) {
		char key[32];
		snprintf(key, sizeof(key), "hub.level.%zu", i);
		snprintf(out->level_names[i], sizeof(out->level_names[i]), "%s", t);
		if (get_setting(s, key, out->levels[i], sizeof(out->levels[i])))
			break;
		out->level_ptrs[i] = out->levels[i];
		out->n_levels = i + 1;
	}
	return VG_OK;
}

struct target {
	char id[40];
	int scope;
	int64_t org, grp;
};

static int take_target(void *ud, const struct vg_collection *c)
{
	struct target *t = ud;
	snprintf(t->id, sizeof(t->id), "%s", c->id);
	t->scope = c->scope;
	t->org = c->org;
	t->grp = c->grp;
	return 0;
}

int vg_hub_target(struct vg_store *s, const char *collection,
		  struct vg_ingest_opts *o, struct vg_hub_info *hub)
{
	struct target t;
	char org[32];
	int rc = s->ops->hub->collection_find(s, collection, take_target, &t);
	if (!rc)
		rc = vg_hub_info(s, hub);
	if (!rc)
		rc = get_setting(s, VG_HUB_ORG, org, sizeof(org));
	if (rc)
		return rc;
	snprintf(hub->target, sizeof(hub->target), "%s", t.id);
	memset(o, 0, sizeof(*o));
	o->collection = hub->target;
	o->scope = t.scope;
	o->grp = t.grp;
	o->owner = t.org ? t.org : strtoll(org, NULL, 10);
	o->level_markings = hub->level_ptrs;
	o->n_levels = hub->n_levels;
	return VG_OK;
}

int vg_hub_level(struct vg_store *s, const char *name)
{
	char levels[1024];
	if (get_setting(s, VG_HUB_LEVELS, levels, sizeof(levels)))
		return -1;
	int i = 0;
	for (char *save = NULL, *t = strtok_r(levels, ",", &save); t;
	     t = strtok_r(NULL, ",", &save), i++)
		if (!strcasecmp(t, name))
			return i;
	return -1;
}

/* The identity object of an organisation, stored in the community
 * collection and owned by the organisation itself. */
static int store_identity(struct vg_store *s, int64_t org, const char *name,
			  const char *identity, char *err, size_t errlen)
{
	char ts[32], community[64];
	struct vg_buf b;
	int rc = get_setting(s, VG_HUB_COMMUNITY, community, sizeof(community));
	if (rc)
		return rc;
	stix_now(ts);
	vg_buf_init(&b, 0);
	rc = vg_buf_printf(&b, "{\"type\":\"identity\",\"spec_version\":\"2.1\","
			       "\"id\":\"%s\",\"created\":\"%s\",\"modified\":\"%s\","
			       "\"name\":",
			   identity, ts, ts);
	if (!rc)
		rc = vg_buf_json_str(&b, name);
	if (!rc)
		rc = vg_buf_puts(&b, ",\"identity_class\":\"organization\"}");
	struct vg_ingest_opts o = {
		.collection = community,
		.owner = org,
		.scope = VG_SCOPE_COMMUNITY,
	};
	if (!rc)
		rc = vg__store_json(s, b.data, &o, err, errlen);
	vg_buf_release(&b);
	return rc;
}

static int add_collection(struct vg_store *s, const char *alias,
			  const char *title, const char *description,
			  enum vg_scope scope, int64_t org, int64_t grp,
			  char id_out[37])
{
	char id[37];
	uuid4(id);
	struct vg_collection c = {
		.id = id,
		.alias = alias,
		.title = title,
		.description = description,
		.scope = scope,
		.org = org,
		.grp = grp,
	};
	int rc = s->ops->hub->collection_add(s, &c);
	if (!rc && id_out)
		memcpy(id_out, id, 37);
	return rc;
}

/* Inside a transaction: the organisation, its identity and its private
 * collection. */
static int org_create(struct vg_store *s, const char *name, int64_t *id,
		      char *err, size_t errlen)
{
	char identity[64], uuid[37], alias[140], title[160];
	uuid4(uuid);
	snprintf(identity, sizeof(identity), "identity--%s", uuid);
	int rc = s->ops->hub->org_add(s, name, identity, id);
	if (rc == VG_EDUPLICATE) {
		snprintf(err, errlen, "organisation '%s' exists already", name);
		return rc;
	}
	if (!rc)
		rc = store_identity(s, *id, name, identity, err, errlen);
	slug(name, uuid, sizeof(uuid));
	snprintf(alias, sizeof(alias), "org-%s", uuid);
	snprintf(title, sizeof(title), "%s (private)", name);
	if (!rc)
		rc = add_collection(s, alias, title,
				    "Shared only within the organisation",
				    VG_SCOPE_ORG, *id, 0, NULL);
	if (rc == VG_EDUPLICATE)
		snprintf(err, errlen, "organisation '%s' clashes with the "
				      "collection alias '%s'", name, alias);
	return rc;
}

static int make_key(struct vg_store *s, int64_t user, int expires_days,
		    char key_out[VG_KEY_TEXT_LEN], char id_out[17])
{
	unsigned char id[8], secret[32], hash[VG_HASH_LEN];
	char idhex[17], b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	randombytes_buf(id, sizeof(id));
	randombytes_buf(secret, sizeof(secret));
	vg__hex(id, sizeof(id), idhex);
	sodium_bin2base64(b64, sizeof(b64), secret, sizeof(secret),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	crypto_generichash(hash, VG_HASH_LEN, (const unsigned char *)b64,
			   strlen(b64), NULL, 0);
	int64_t expires = expires_days > 0
				  ? vg__now_us() + (int64_t)expires_days * 86400000000LL
				  : 0;
	int rc = s->ops->hub->key_add(s, idhex, user, hash, expires);
	if (rc)
		return rc;
	snprintf(key_out, VG_KEY_TEXT_LEN, "vgk_%.16s_%.43s", idhex, b64);
	memcpy(id_out, idhex, 17);
	sodium_memzero(secret, sizeof(secret));
	return VG_OK;
}

static int write_signing_key(const char *dir, unsigned char pk[32], char *err,
			     size_t errlen)
{
	unsigned char sk[crypto_sign_SECRETKEYBYTES];
	char hex[2 * crypto_sign_SECRETKEYBYTES + 2], path[4096];
	crypto_sign_keypair(pk, sk);
	vg__hex(sk, sizeof(sk), hex);
	strcat(hex, "\n");
	snprintf(path, sizeof(path), "%s/hub-signing.key", dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int ok = fd >= 0 && write(fd, hex, strlen(hex)) == (ssize_t)strlen(hex) &&
		 fsync(fd) == 0;
	if (fd >= 0)
		close(fd);
	sodium_memzero(sk, sizeof(sk));
	sodium_memzero(hex, sizeof(hex));
	if (!ok) {
		snprintf(err, errlen, "cannot write '%.400s'", path);
		return VG_EIO;
	}
	return VG_OK;
}

static int level_markings(struct vg_store *s, const char *hub_id,
			  const char *levels, int64_t org, const char *community,
			  int *n_levels, char *err, size_t errlen)
{
	char copy[1024], ts[32];
	int i = 0, rc = VG_OK;
	snprintf(copy, sizeof(copy), "%s", levels);
	stix_now(ts);
	for (char *save = NULL, *t = strtok_r(copy, ",", &save); t && !rc;
	     t = strtok_r(NULL, ",", &save), i++) {
		char uuid[37], name[160], key[64], id[80];
		struct vg_buf b;
		if (!name_ok(t, 60)) {
			snprintf(err, errlen, "classification level '%s' is not "
					      "a valid name", t);
			return VG_EINVAL;
		}
		snprintf(name, sizeof(name), "vigil classification %s", t);
		vg_uuid_v5(hub_id, name, strlen(name), uuid);
		snprintf(id, sizeof(id), "marking-definition--%s", uuid);
		snprintf(key, sizeof(key), "hub.level.%d", i);
		rc = s->ops->hub->set(s, key, id);
		vg_buf_init(&b, 0);
		if (!rc)
			rc = vg_buf_printf(&b,
					   "{\"type\":\"marking-definition\","
					   "\"spec_version\":\"2.1\",\"id\":\"%s\","
					   "\"created\":\"%s\",\"name\":\"%s\","
					   "\"definition_type\":\"statement\","
					   "\"definition\":{\"statement\":"
					   "\"Classification: %s\"}}",
					   id, ts, t, t);
		struct vg_ingest_opts o = {.collection = community, .owner = org,
					   .scope = VG_SCOPE_COMMUNITY};
		if (!rc)
			rc = vg__store_json(s, b.data, &o, err, errlen);
		vg_buf_release(&b);
	}
	*n_levels = i;
	return rc;
}

int vg_hub_create(struct vg_store *s, const struct vg_hub_init *in,
		  const struct vg_actor *actor, char key_out[VG_KEY_TEXT_LEN])
{
	char err[512] = "", hub_id[37], community[37], hex[80], keyid[17];
	char orgid[32];
	unsigned char secret[32], pk[32];
	const char *levels = in->levels ? in->levels
					: "UNCLASSIFIED,RESTRICTED,CONFIDENTIAL,SECRET";
	const char *org_name = in->org_name ? in->org_name : "hub";
	const char *admin = in->admin_name ? in->admin_name : "admin";
	int64_t org = 0, user = 0;
	int n_levels = 0;
	if (vg_hub_exists(s))
		return VG_EDUPLICATE;
	if (!name_ok(org_name, 100) || !user_name_ok(admin))
		return VG_EINVAL;
	int rc = s->ops->begin(s);
	if (rc)
		return rc;
	uuid4(hub_id);
	randombytes_buf(secret, sizeof(secret));
	rc = write_signing_key(in->dir, pk, err, sizeof(err));
	if (!rc)
		rc = s->ops->hub->set(s, VG_HUB_ID, hub_id);
	if (!rc)
		rc = s->ops->hub->set(s, VG_HUB_NAME,
				      in->hub_name ? in->hub_name : "vigil hub");
	vg__hex(secret, sizeof(secret), hex);
	if (!rc)
		rc = s->ops->hub->set(s, VG_HUB_SECRET, hex);
	vg__hex(pk, sizeof(pk), hex);
	if (!rc)
		rc = s->ops->hub->set(s, VG_HUB_SIGN_PK, hex);
	if (!rc)
		rc = s->ops->hub->set(s, VG_HUB_LEVELS, levels);
	if (!rc)
		rc = add_collection(s, "community", "Community",
				    "Shared with every organisation of this hub",
				    VG_SCOPE_COMMUNITY, 0, 0, community);
	if (!rc)
		rc = s->ops->hub->set(s, VG_HUB_COMMUNITY, community);
	if (!rc)
		rc = add_collection(s, "connected", "Connected communities",
				    "Shared with this hub and the hubs connected "
				    "to it",
				    VG_SCOPE_CONNECTED, 0, 0, NULL);
	if (!rc)
		rc = add_collection(s, "all", "All communities",
				    "Shared with everyone the data reaches",
				    VG_SCOPE_ALL, 0, 0, NULL);
	if (!rc)
		rc = org_create(s, org_name, &org, err, sizeof(err));
	snprintf(orgid, sizeof(orgid), "%lld", (long long)org);
	if (!rc)
		rc = s->ops->hub->set(s, VG_HUB_ORG, orgid);
	if (!rc)
		rc = level_markings(s, hub_id, levels, org, community, &n_levels,
				    err, sizeof(err));
	if (!rc)
		rc = s->ops->hub->user_add(s, admin, org, VG_ROLE_HUB_ADMIN,
					   n_levels - 1, &user);
	if (!rc)
		rc = make_key(s, user, 0, key_out, keyid);
	if (!rc)
		rc = vg__audit(s, actor, "hub.create", hub_id, "{}");
	if (!rc)
		rc = s->ops->commit(s);
	if (rc) {
		s->ops->rollback(s);
		if (err[0])
			fprintf(stderr, "vigil: %s\n", err);
	}
	sodium_memzero(secret, sizeof(secret));
	return rc;
}

/* Run body inside a transaction, audit it, commit. */
#define TX(s, body)                                                          \
	do {                                                                 \
		rc = (s)->ops->begin(s);                                     \
		if (rc)                                                      \
			return rc;                                           \
		body;                                                        \
		if (!rc)                                                     \
			rc = (s)->ops->commit(s);                            \
		else                                                         \
			(s)->ops->rollback(s);                               \
	} while (0)

int vg_org_add(struct vg_store *s, const struct vg_actor *a, const char *name,
	       char *err, size_t errlen)
{
	int64_t id = 0;
	int rc;
	if (!name_ok(name, 100)) {
		snprintf(err, errlen, "organisation name '%s' must be 1-100 "
				      "printable characters without quotes", name);
		return VG_EINVAL;
	}
	TX(s, {
		rc = org_create(s, name, &id, err, errlen);
		if (!rc)
			rc = vg__audit(s, a, "org.add", name, "{}");
	});
	return rc;
}

static int copy_id(void *ud, const struct vg_org *o)
{
	*(int64_t *)ud = o->id;
	return 0;
}

struct user_row {
	int64_t id;
	int disabled;
};

static int copy_user(void *ud, const struct vg_user *u)
{
	struct user_row *r = ud;
	r->id = u->id;
	r->disabled = u->disabled;
	return 0;
}

int vg_user_add(struct vg_store *s, const struct vg_actor *a, const char *name,
		const char *org, const char *role, const char *clearance,
		char *err, size_t errlen)
{
	int64_t org_id = 0, id = 0;
	int r = vg_role_parse(role), level = 0, rc;
	if (!user_name_ok(name)) {
		snprintf(err, errlen, "user name '%s' must be 1-64 of "
				      "A-Z a-z 0-9 . _ @ -", name);
		return VG_EINVAL;
	}
	if (r < 0) {
		snprintf(err, errlen, "role '%s' is not one of reader, analyst, "
				      "org-admin, hub-admin, auditor", role);
		return VG_EINVAL;
	}
	if (clearance && (level = vg_hub_level(s, clearance)) < 0) {
		char levels[1024] = "";
		get_setting(s, VG_HUB_LEVELS, levels, sizeof(levels));
		snprintf(err, errlen, "clearance '%s' is not a level of this hub "
				      "(%s)", clearance, levels);
		return VG_EINVAL;
	}
	if (s->ops->hub->org_find(s, org, 0, copy_id, &org_id)) {
		snprintf(err, errlen, "no organisation '%s'", org);
		return VG_ENOTFOUND;
	}
	TX(s, {
		rc = s->ops->hub->user_add(s, name, org_id, r, level, &id);
		if (rc == VG_EDUPLICATE)
			snprintf(err, errlen, "user '%s' exists already", name);
		if (!rc) {
			char detail[200];
			snprintf(detail, sizeof(detail),
				 "{\"org\":%lld,\"role\":\"%s\",\"clearance\":%d}",
				 (long long)org_id, role, level);
			rc = vg__audit(s, a, "user.add", name, detail);
		}
	});
	return rc;
}

int vg_user_disable(struct vg_store *s, const struct vg_actor *a,
		    const char *name, char *err, size_t errlen)
{
	struct user_row u = {0};
	int rc;
	if (s->ops->hub->user_find(s, name, 0, copy_user, &u)) {
		snprintf(err, errlen, "no user '%s'", name);
		return VG_ENOTFOUND;
	}
	TX(s, {
		rc = s->ops->hub->user_set_disabled(s, u.id, 1);
		if (!rc)
			rc = vg__audit(s, a, "user.disable", name, "{}");
	});
	return rc;
}

int vg_key_new(struct vg_store *s, const struct vg_actor *a, const char *user,
	       int expires_days, char key_out[VG_KEY_TEXT_LEN], char *err,
	       size_t errlen)
{
	struct user_row u = {0};
	char keyid[17];
	int rc;
	if (s->ops->hub->user_find(s, user, 0, copy_user, &u)) {
		snprintf(err, errlen, "no user '%s'", user);
		return VG_ENOTFOUND;
	}
	if (u.disabled) {
		snprintf(err, errlen, "user '%s' is disabled", user);
		return VG_EINVAL;
	}
	if (expires_days < 0 || expires_days > 3650) {
		snprintf(err, errlen, "--expires must be 1 to 3650 days");
		return VG_EINVAL;
	}
	TX(s, {
		rc = make_key(s, u.id, expires_days, key_out, keyid);
		if (!rc) {
			char detail[100];
			snprintf(detail, sizeof(detail),
				 "{\"user\":\"%s\",\"expires_days\":%d}", user,
				 expires_days);
			rc = vg__audit(s, a, "key.new", keyid, detail);
		}
	});
	return rc;
}

int vg_key_revoke(struct vg_store *s, const struct vg_actor *a,
		  const char *id, char *err, size_t errlen)
{
	int rc;
	TX(s, {
		rc = s->ops->hub->key_revoke(s, id);
		if (rc == VG_ENOTFOUND)
			snprintf(err, errlen, "no key '%s'", id);
		if (!rc)
			rc = vg__audit(s, a, "key.revoke", id, "{}");
	});
	return rc;
}

int vg_group_add(struct vg_store *s, const struct vg_actor *a,
		 const char *name, char *err, size_t errlen)
{
	int64_t id = 0;
	char alias[140], sl[120], title[160];
	int rc;
	if (!name_ok(name, 100)) {
		snprintf(err, errlen, "group name '%s' must be 1-100 printable "
				      "characters without quotes", name);
		return VG_EINVAL;
	}
	slug(name, sl, sizeof(sl));
	snprintf(alias, sizeof(alias), "group-%s", sl);
	snprintf(title, sizeof(title), "%s (sharing group)", name);
	TX(s, {
		rc = s->ops->hub->group_add(s, name, &id);
		if (rc == VG_EDUPLICATE)
			snprintf(err, errlen, "group '%s' exists already", name);
		if (!rc)
			rc = add_collection(s, alias, title,
					    "Shared with the organisations of the "
					    "sharing group",
					    VG_SCOPE_GROUP, 0, id, NULL);
		if (!rc)
			rc = vg__audit(s, a, "group.add", name, "{}");
	});
	return rc;
}

int vg_group_member(struct vg_store *s, const struct vg_actor *a,
		    const char *group, const char *org, int add, char *err,
		    size_t errlen)
{
	int64_t gid = 0, oid = 0;
	int rc;
	if (s->ops->hub->group_find(s, group, &gid)) {
		snprintf(err, errlen, "no group '%s'", group);
		return VG_ENOTFOUND;
	}
	if (s->ops->hub->org_find(s, org, 0, copy_id, &oid)) {
		snprintf(err, errlen, "no organisation '%s'", org);
		return VG_ENOTFOUND;
	}
	TX(s, {
		rc = s->ops->hub->group_member(s, gid, oid, add);
		if (rc == VG_EDUPLICATE)
			snprintf(err, errlen, "'%s' is a member of '%s' already",
				 org, group);
		if (rc == VG_ENOTFOUND)
			snprintf(err, errlen, "'%s' is not a member of '%s'", org,
				 group);
		if (!rc) {
			char detail[200];
			snprintf(detail, sizeof(detail), "{\"org\":%lld}",
				 (long long)oid);
			rc = vg__audit(s, a, add ? "group.member.add"
						 : "group.member.remove",
				       group, detail);
		}
	});
	return rc;
}
