/* Creating the hub and its organisations, users, keys and sharing groups;
 * each action checked against the caller's role and run in one
 * transaction with its audit entry (admin.h says who may do what). */
#include "service_int.h"
#include "vigil/service/admin.h"
#include "vigil/stix/stix.h"
#include "vigil/util/error.h"
#include "vigil/util/timefmt.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void stix_now(char out[32])
{
	char t[VG_TIME_LEN];
	vg_time_format_us(vg__now_us(), t);
	memcpy(out, t, 23); /* millisecond precision, as STIX asks */
	out[23] = 'Z';
	out[24] = '\0';
}

/* The identity object of an organisation, stored in the community
 * collection and owned by the organisation itself. */
static int store_identity(struct vg_store *s, int64_t org, const char *name,
			  const char *identity, char *err, size_t errlen)
{
	char ts[32], community[64];
	struct vg_buf b;
	struct vg_jw w;
	int rc = vg__setting(s, VG_HUB_COMMUNITY, community, sizeof(community));
	if (rc)
		return rc;
	stix_now(ts);
	vg_buf_init(&b, 0);
	vg_jw_init(&w, &b);
	vg_jw_obj(&w);
	vg_jw_kstr(&w, "type", "identity");
	vg_jw_kstr(&w, "spec_version", "2.1");
	vg_jw_kstr(&w, "id", identity);
	vg_jw_kstr(&w, "created", ts);
	vg_jw_kstr(&w, "modified", ts);
	vg_jw_kstr(&w, "name", name);
	vg_jw_kstr(&w, "identity_class", "organization");
	vg_jw_close(&w);
	rc = vg_jw_end(&w);
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
	vg__uuid4(id);
	struct vg_collection c = {
		.id = id,
		.alias = alias,
		.title = title,
		.description = description,
		.scope = scope,
		.org = org,
		.grp = grp,
	};
	int rc = s->ops->sharing->collection_add(s, &c);
	if (!rc && id_out)
		memcpy(id_out, id, 37);
	return rc;
}

/* Inside a transaction: the organisation, its identity and its private
 * collection. */
int vg__org_create(struct vg_store *s, const char *name, int64_t *id,
		    char *err, size_t errlen)
{
	char identity[64], uuid[37], alias[140], title[160], sl[120];
	vg__uuid4(uuid);
	snprintf(identity, sizeof(identity), "identity--%s", uuid);
	int rc = s->ops->hub->org_add(s, name, identity, id);
	if (rc == VG_EDUPLICATE) {
		snprintf(err, errlen, "organisation '%s' exists already", name);
		return rc;
	}
	if (!rc)
		rc = store_identity(s, *id, name, identity, err, errlen);
	vg_hub_slug(name, sl, sizeof(sl));
	snprintf(alias, sizeof(alias), "org-%s", sl);
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

int vg__make_key(struct vg_store *s, int64_t user, int expires_days,
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
	sodium_memzero(b64, sizeof(b64));
	return VG_OK;
}

/* A new key pair: the secret key to path (hex, mode 0600), never over a
 * file that exists (another hub's key, or anything else); *made says the
 * file was created, so that a failed init can take it back. */
static int write_signing_key(const char *path, unsigned char pk[32],
			     int *made, char *err, size_t errlen)
{
	unsigned char sk[crypto_sign_SECRETKEYBYTES];
	char hex[2 * crypto_sign_SECRETKEYBYTES + 2];
	crypto_sign_keypair(pk, sk);
	vg__hex(sk, sizeof(sk), hex);
	strcat(hex, "\n");
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	int e = errno;
	*made = fd >= 0;
	int ok = fd >= 0 && write(fd, hex, strlen(hex)) == (ssize_t)strlen(hex) &&
		 fsync(fd) == 0;
	if (fd >= 0)
		close(fd);
	sodium_memzero(sk, sizeof(sk));
	sodium_memzero(hex, sizeof(hex));
	if (!ok) {
		snprintf(err, errlen, "cannot write the signing key '%.400s': %s",
			 path, fd < 0 && e == EEXIST ? "it exists already"
				    : strerror(fd < 0 ? e : errno));
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
		char uuid[37], name[160], key[64], id[80], statement[100];
		struct vg_buf b;
		struct vg_jw w;
		if (!vg_hub_name_ok(t, 60) || i == VG_MAX_LEVELS) {
			snprintf(err, errlen, "classification level '%s' is not "
					      "a valid name (at most %d levels)",
				 t, VG_MAX_LEVELS);
			return VG_EINVAL;
		}
		snprintf(name, sizeof(name), "vigil classification %s", t);
		vg_uuid_v5(hub_id, name, strlen(name), uuid);
		snprintf(id, sizeof(id), "marking-definition--%s", uuid);
		snprintf(key, sizeof(key), "hub.level.%d", i);
		snprintf(statement, sizeof(statement), "Classification: %s", t);
		rc = s->ops->hub->set(s, key, id);
		vg_buf_init(&b, 0);
		vg_jw_init(&w, &b);
		vg_jw_obj(&w);
		vg_jw_kstr(&w, "type", "marking-definition");
		vg_jw_kstr(&w, "spec_version", "2.1");
		vg_jw_kstr(&w, "id", id);
		vg_jw_kstr(&w, "created", ts);
		vg_jw_kstr(&w, "name", t);
		vg_jw_kstr(&w, "definition_type", "statement");
		vg_jw_key(&w, "definition");
		vg_jw_obj(&w);
		vg_jw_kstr(&w, "statement", statement);
		vg_jw_close(&w);
		vg_jw_close(&w);
		if (!rc)
			rc = vg_jw_end(&w);
		struct vg_ingest_opts o = {.collection = community, .owner = org,
					   .scope = VG_SCOPE_COMMUNITY};
		if (!rc)
			rc = vg__store_json(s, b.data, &o, err, errlen);
		vg_buf_release(&b);
	}
	*n_levels = i;
	return rc;
}

struct create {
	const struct vg_hub_init *in;
	const char *key_path; /* NULL: no key file (a memory store) */
	int key_made;
	char *pk_out;
	struct vg_ctx *c;
	char *key_out;
	char *err;
	size_t errlen;
};

static int create_fn(struct vg_store *s, void *arg)
{
	struct create *j = arg;
	const struct vg_hub_init *in = j->in;
	char hub_id[37], community[37], hex[80], keyid[17], orgid[32];
	unsigned char secret[32], pk[32];
	const char *levels = in->levels ? in->levels
					: "UNCLASSIFIED,RESTRICTED,CONFIDENTIAL,SECRET";
	int64_t org = 0, user = 0;
	int n_levels = 0, rc;
	char *v = NULL;
	rc = s->ops->hub->get(s, VG_HUB_ID, &v);
	free(v);
	if (rc != VG_ENOTFOUND)
		return rc ? rc : VG_EDUPLICATE;
	vg__uuid4(hub_id);
	randombytes_buf(secret, sizeof(secret));
	rc = j->key_path ? write_signing_key(j->key_path, pk, &j->key_made,
					     j->err, j->errlen)
			 : (crypto_sign_keypair(pk, (unsigned char[64]){0}), VG_OK);
	if (!rc)
		rc = s->ops->hub->set(s, VG_HUB_ID, hub_id);
	if (!rc)
		rc = s->ops->hub->set(s, VG_HUB_NAME,
				      in->hub_name ? in->hub_name : "vigil hub");
	vg__hex(secret, sizeof(secret), hex);
	sodium_memzero(secret, sizeof(secret));
	if (!rc)
		rc = s->ops->hub->set(s, VG_HUB_SECRET, hex);
	sodium_memzero(hex, sizeof(hex));
	vg__hex(pk, sizeof(pk), hex);
	if (j->pk_out)
		memcpy(j->pk_out, hex, 2 * 32 + 1);
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
		rc = vg__org_create(s, in->org_name ? in->org_name : "hub", &org,
				j->err, j->errlen);
	snprintf(orgid, sizeof(orgid), "%lld", (long long)org);
	if (!rc)
		rc = s->ops->hub->set(s, VG_HUB_ORG, orgid);
	if (!rc)
		rc = level_markings(s, hub_id, levels, org, community, &n_levels,
				    j->err, j->errlen);
	if (!rc)
		rc = s->ops->hub->user_add(s, in->admin_name ? in->admin_name
							     : "admin",
					   org, VG_ROLE_HUB_ADMIN, n_levels - 1,
					   &user);
	if (!rc)
		rc = vg__make_key(s, user, 0, j->key_out, keyid);
	if (!rc)
		rc = vg__audit(s, j->c, "hub.create", hub_id, "{}");
	return rc;
}

int vg_hub_create(const char *location, const struct vg_hub_init *in,
		  const char *login, char key_out[VG_KEY_TEXT_LEN],
		  char pk_out[2 * 32 + 1], char *err, size_t errlen)
{
	struct vg_store *s = NULL;
	struct vg_writer *w = NULL;
	struct vg_ctx c;
	char path[4200];
	err[0] = '\0';
	if (!vg_hub_name_ok(in->org_name ? in->org_name : "hub", 100)) {
		snprintf(err, errlen, "organisation name '%s' must be 1-100 "
				      "printable characters without quotes",
			 in->org_name);
		return VG_EINVAL;
	}
	if (!vg_hub_user_name_ok(in->admin_name ? in->admin_name : "admin")) {
		snprintf(err, errlen, "user name '%s' must be 1-64 of A-Z a-z "
				      "0-9 . _ @ -", in->admin_name);
		return VG_EINVAL;
	}
	if (sodium_init() < 0)
		return VG_EINTERNAL;
	int rc;
	/* a directory store keeps the signing key beside the database, a
	 * PostgreSQL hub in its key directory, unless the operator keeps it
	 * elsewhere */
	int is_dir = strncmp(location, "memory:", 7) != 0;
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s",
		 !strncmp(location, "sqlite:", 7) ? location + 7 : location);
	if (strstr(location, "://")) {
		if (!in->key_dir || !*in->key_dir) {
			snprintf(err, errlen, "a PostgreSQL hub keeps its signing "
					      "key in a key directory: give "
					      "--key-dir DIR (or VIGIL_KEY_DIR)");
			return VG_EINVAL;
		}
		snprintf(dir, sizeof(dir), "%s", in->key_dir);
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			snprintf(err, errlen, "cannot make the key directory '%.300s'",
				 dir);
			return VG_EIO;
		}
	}
	rc = vg_store_open(location, VG_STORE_CREATE, &s, err, errlen);
	if (rc)
		return rc;
	if (in->signing_key)
		snprintf(path, sizeof(path), "%s", in->signing_key);
	else
		snprintf(path, sizeof(path), "%s/hub-signing.key", dir);
	vg_ctx_init(&c, NULL, VG_CHANNEL_CLI, "cli");
	vg_ctx_operator(&c, login);
	if (pk_out)
		pk_out[0] = '\0';
	struct create j = {in, in->signing_key || is_dir ? path : NULL, 0,
			   pk_out, &c, key_out, err, errlen};
	rc = vg_writer_start(s, 0, 1, 0, &w);
	if (!rc)
		rc = vg_writer_run(w, create_fn, &j);
	/* in the data directory: the secret of partner credentials */
	if (!rc && is_dir)
		rc = vg__fed_key_file(dir, err, errlen);
	if (w)
		vg_writer_stop(w); /* closes s */
	else
		vg_store_close(s);
	/* no hub, no key: a second try must not find this one in its way */
	if (rc && j.key_made)
		unlink(path);
	return rc;
}

/* ---- the admin actions --------------------------------------------------- */

/* Run fn in a transaction for c (the writer's). */
struct tx {
	struct vg_ctx *c;
	const char *name, *org, *role;
	int64_t id, org_id, grp;
	int level, add, days;
	char *key_out;
	char *err;
	size_t errlen;
};

static int org_add_fn(struct vg_store *s, void *arg)
{
	struct tx *t = arg;
	int rc = vg__org_create(s, t->name, &t->id, t->err, t->errlen);
	return rc ? rc : vg__audit(s, t->c, "org.add", t->name, "{}");
}

int vg_org_add(struct vg_ctx *c, const char *name, char *err, size_t errlen)
{
	struct tx t = {.c = c, .name = name, .err = err, .errlen = errlen};
	int rc = vg__require(c, VG_ACT_HUB_ADMIN, "org.add");
	if (rc)
		return rc;
	if (!vg_hub_name_ok(name, 100)) {
		snprintf(err, errlen, "organisation name '%s' must be 1-100 "
				      "printable characters without quotes", name);
		return VG_EINVAL;
	}
	return vg__write(c->svc, org_add_fn, &t);
}

static int copy_org(void *ud, const struct vg_org *o)
{
	*(int64_t *)ud = o->id;
	return 0;
}

struct user_row {
	int64_t id, org;
	int role, disabled;
	char org_name[128];
};

static int copy_user(void *ud, const struct vg_user *u)
{
	struct user_row *r = ud;
	r->id = u->id;
	r->org = u->org;
	r->role = u->role;
	r->disabled = u->disabled;
	snprintf(r->org_name, sizeof(r->org_name), "%s", u->org_name);
	return 0;
}

/* A user or key refused as not found: on record too, and the same entry
 * whether it does not exist or is another organisation's. */
static int not_found(struct vg_ctx *c, const char *action, const char *target)
{
	int rc = vg__audit_now(c, action, target,
			       "{\"refused\":\"not found\"}");
	return rc ? rc : VG_ENOTFOUND;
}

/* May c manage user u (an org-admin: users of their organisation whose
 * role is below hub-admin and auditor)? The operator and hub-admins may
 * manage everyone. */
static int may_manage(const struct vg_ctx *c, int64_t org, int role)
{
	if (vg_principal_allows(&c->p, VG_ACT_HUB_ADMIN))
		return 1;
	return vg_principal_allows(&c->p, VG_ACT_ORG_ADMIN) && org == c->p.org &&
	       role != VG_ROLE_HUB_ADMIN && role != VG_ROLE_AUDITOR;
}

static int user_add_fn(struct vg_store *s, void *arg)
{
	struct tx *t = arg;
	int64_t id = 0;
	int rc = s->ops->hub->user_add(s, t->name, t->org_id, vg_role_parse(t->role),
				       t->level, &id);
	if (rc == VG_EDUPLICATE)
		snprintf(t->err, t->errlen, "user '%s' exists already", t->name);
	if (rc)
		return rc;
	struct vg__detail d;
	vg__detail_begin(&d);
	vg_jw_kint(&d.w, "org", t->org_id);
	vg_jw_kstr(&d.w, "role", t->role);
	vg_jw_kint(&d.w, "clearance", t->level);
	const char *detail = vg__detail_end(&d);
	rc = detail ? vg__audit(s, t->c, "user.add", t->name, detail) : VG_ENOMEM;
	vg__detail_release(&d);
	return rc;
}

int vg_user_add(struct vg_ctx *c, const char *name, const char *org,
		const char *role, const char *clearance, char *err,
		size_t errlen)
{
	struct vg_store *s = vg__reader(c->svc);
	struct tx t = {.c = c, .name = name, .role = role, .err = err,
		       .errlen = errlen};
	int r = vg_role_parse(role), rc;
	if ((rc = vg__require(c, VG_ACT_ORG_ADMIN, "user.add")))
		return rc;
	if (!s)
		return VG_ESTORE;
	if (!vg_hub_user_name_ok(name)) {
		snprintf(err, errlen, "user name '%s' must be 1-64 of "
				      "A-Z a-z 0-9 . _ @ -", name);
		return VG_EINVAL;
	}
	if (r < 0) {
		snprintf(err, errlen, "role '%s' is not one of reader, analyst, "
				      "org-admin, hub-admin, auditor", role);
		return VG_EINVAL;
	}
	if (clearance && (t.level = vg__hub_level(&c->svc->hub, clearance)) < 0) {
		char levels[1024] = "";
		vg__setting(s, VG_HUB_LEVELS, levels, sizeof(levels));
		snprintf(err, errlen, "clearance '%s' is not a level of this hub "
				      "(%s)", clearance, levels);
		return VG_EINVAL;
	}
	if (s->ops->hub->org_find(s, org, 0, copy_org, &t.org_id)) {
		snprintf(err, errlen, "no organisation '%s'", org);
		return VG_ENOTFOUND;
	}
	/* an org-admin adds users to their organisation, below their own
	 * powers and clearance */
	if (!may_manage(c, t.org_id, r) ||
	    (!c->p.operator && !vg_principal_allows(&c->p, VG_ACT_HUB_ADMIN) &&
	     t.level > c->p.clearance)) {
		snprintf(err, errlen, "the role does not allow adding a user "
				      "with role '%s' to '%s'", role, org);
		return vg__require(c, VG_ACT_HUB_ADMIN, "user.add");
	}
	return vg__write(c->svc, user_add_fn, &t);
}

static int user_disable_fn(struct vg_store *s, void *arg)
{
	struct tx *t = arg;
	int rc = s->ops->hub->user_set_disabled(s, t->id, 1);
	return rc ? rc : vg__audit(s, t->c, "user.disable", t->name, "{}");
}

int vg_user_disable(struct vg_ctx *c, const char *name, char *err,
		    size_t errlen)
{
	struct vg_store *s = vg__reader(c->svc);
	struct user_row u = {0};
	struct tx t = {.c = c, .name = name};
	int rc = vg__require(c, VG_ACT_ORG_ADMIN, "user.disable");
	if (rc)
		return rc;
	if (!s)
		return VG_ESTORE;
	/* another organisation's user is not found, as one that does not
	 * exist: an org-admin learns nothing of other organisations */
	if (s->ops->hub->user_find(s, name, 0, copy_user, &u) ||
	    !(vg_principal_allows(&c->p, VG_ACT_HUB_ADMIN) || u.org == c->p.org)) {
		snprintf(err, errlen, "no user '%s'", name);
		return not_found(c, "user.disable", name);
	}
	if (!may_manage(c, u.org, u.role)) {
		snprintf(err, errlen, "the role does not allow disabling '%s'",
			 name);
		return vg__require(c, VG_ACT_HUB_ADMIN, "user.disable");
	}
	t.id = u.id;
	return vg__write(c->svc, user_disable_fn, &t);
}

static int key_new_fn(struct vg_store *s, void *arg)
{
	struct tx *t = arg;
	char keyid[17];
	int rc = vg__make_key(s, t->id, t->days, t->key_out, keyid);
	if (rc)
		return rc;
	struct vg__detail d;
	vg__detail_begin(&d);
	vg_jw_kstr(&d.w, "user", t->name);
	vg_jw_kint(&d.w, "expires_days", t->days);
	const char *detail = vg__detail_end(&d);
	rc = detail ? vg__audit(s, t->c, "key.new", keyid, detail) : VG_ENOMEM;
	vg__detail_release(&d);
	return rc;
}

int vg_key_new(struct vg_ctx *c, const char *user, int expires_days,
	       char key_out[VG_KEY_TEXT_LEN], char *err, size_t errlen)
{
	struct vg_store *s = vg__reader(c->svc);
	struct user_row u = {0};
	struct tx t = {.c = c, .name = user, .days = expires_days,
		       .key_out = key_out};
	if (!c->authenticated)
		return vg__deny(c, "authentication", "key.new");
	if (!s)
		return VG_ESTORE;
	if (s->ops->hub->user_find(s, user, 0, copy_user, &u) ||
	    !(vg_principal_allows(&c->p, VG_ACT_HUB_ADMIN) || u.org == c->p.org)) {
		snprintf(err, errlen, "no user '%s'", user);
		return not_found(c, "key.new", user);
	}
	/* everyone their own keys; admins those of the users they manage */
	if (u.id != c->p.user && !may_manage(c, u.org, u.role)) {
		snprintf(err, errlen, "the role does not allow keys for '%s'",
			 user);
		return vg__require(c, VG_ACT_HUB_ADMIN, "key.new");
	}
	if (u.disabled) {
		snprintf(err, errlen, "user '%s' is disabled", user);
		return VG_EINVAL;
	}
	if (expires_days < 0 || expires_days > 3650) {
		snprintf(err, errlen, "--expires must be 1 to 3650 days");
		return VG_EINVAL;
	}
	t.id = u.id;
	return vg__write(c->svc, key_new_fn, &t);
}

struct key_owner {
	int have;
	int64_t user;
};

static int take_key_owner(void *ud, const struct vg_key *k)
{
	struct key_owner *o = ud;
	o->have = 1;
	o->user = k->user;
	return 0;
}

static int key_revoke_fn(struct vg_store *s, void *arg)
{
	struct tx *t = arg;
	int rc = s->ops->hub->key_revoke(s, t->name);
	if (rc == VG_ENOTFOUND)
		snprintf(t->err, t->errlen, "no key '%s'", t->name);
	return rc ? rc : vg__audit(s, t->c, "key.revoke", t->name, "{}");
}

int vg_key_revoke(struct vg_ctx *c, const char *id, char *err, size_t errlen)
{
	struct vg_store *s = vg__reader(c->svc);
	struct key_owner k = {0};
	struct user_row u = {0};
	struct tx t = {.c = c, .name = id, .err = err, .errlen = errlen};
	if (!c->authenticated)
		return vg__deny(c, "authentication", "key.revoke");
	if (!s)
		return VG_ESTORE;
	int rc = s->ops->hub->key_find(s, id, take_key_owner, &k);
	if (rc && rc != VG_ENOTFOUND)
		return rc;
	if (k.have)
		s->ops->hub->user_find(s, NULL, k.user, copy_user, &u);
	if (!k.have || !(vg_principal_allows(&c->p, VG_ACT_HUB_ADMIN) ||
			 u.org == c->p.org)) {
		snprintf(err, errlen, "no key '%s'", id);
		return not_found(c, "key.revoke", id);
	}
	if (k.user != c->p.user && !may_manage(c, u.org, u.role)) {
		snprintf(err, errlen, "the role does not allow revoking '%s'", id);
		return vg__require(c, VG_ACT_HUB_ADMIN, "key.revoke");
	}
	return vg__write(c->svc, key_revoke_fn, &t);
}

static int group_add_fn(struct vg_store *s, void *arg)
{
	struct tx *t = arg;
	char alias[140], sl[120], title[160];
	int rc = s->ops->sharing->group_add(s, t->name, &t->id);
	if (rc == VG_EDUPLICATE)
		snprintf(t->err, t->errlen, "group '%s' exists already", t->name);
	vg_hub_slug(t->name, sl, sizeof(sl));
	snprintf(alias, sizeof(alias), "group-%s", sl);
	snprintf(title, sizeof(title), "%s (sharing group)", t->name);
	if (!rc)
		rc = add_collection(s, alias, title,
				    "Shared with the organisations of the "
				    "sharing group",
				    VG_SCOPE_GROUP, 0, t->id, NULL);
	if (rc == VG_EDUPLICATE && !t->err[0])
		snprintf(t->err, t->errlen, "group '%s' clashes with the "
					    "collection alias '%s'", t->name, alias);
	return rc ? rc : vg__audit(s, t->c, "group.add", t->name, "{}");
}

int vg_group_add(struct vg_ctx *c, const char *name, char *err, size_t errlen)
{
	struct tx t = {.c = c, .name = name, .err = err, .errlen = errlen};
	int rc = vg__require(c, VG_ACT_HUB_ADMIN, "group.add");
	if (rc)
		return rc;
	if (!vg_hub_name_ok(name, 100)) {
		snprintf(err, errlen, "group name '%s' must be 1-100 printable "
				      "characters without quotes", name);
		return VG_EINVAL;
	}
	err[0] = '\0';
	return vg__write(c->svc, group_add_fn, &t);
}

static int group_member_fn(struct vg_store *s, void *arg)
{
	struct tx *t = arg;
	int rc = s->ops->sharing->group_member(s, t->grp, t->org_id, t->add);
	if (rc == VG_EDUPLICATE)
		snprintf(t->err, t->errlen, "'%s' is a member of '%s' already",
			 t->org, t->name);
	if (rc == VG_ENOTFOUND)
		snprintf(t->err, t->errlen, "'%s' is not a member of '%s'", t->org,
			 t->name);
	if (rc)
		return rc;
	struct vg__detail d;
	vg__detail_begin(&d);
	vg_jw_kint(&d.w, "org", t->org_id);
	const char *detail = vg__detail_end(&d);
	rc = detail ? vg__audit(s, t->c, t->add ? "group.member.add"
						: "group.member.remove",
				t->name, detail)
		    : VG_ENOMEM;
	vg__detail_release(&d);
	return rc;
}

int vg_group_member(struct vg_ctx *c, const char *group, const char *org,
		    int add, char *err, size_t errlen)
{
	struct vg_store *s = vg__reader(c->svc);
	struct tx t = {.c = c, .name = group, .org = org, .add = add,
		       .err = err, .errlen = errlen};
	int rc = vg__require(c, VG_ACT_HUB_ADMIN, "group.member");
	if (rc)
		return rc;
	if (!s)
		return VG_ESTORE;
	if (s->ops->sharing->group_find(s, group, &t.grp)) {
		snprintf(err, errlen, "no group '%s'", group);
		return VG_ENOTFOUND;
	}
	if (s->ops->hub->org_find(s, org, 0, copy_org, &t.org_id)) {
		snprintf(err, errlen, "no organisation '%s'", org);
		return VG_ENOTFOUND;
	}
	return vg__write(c->svc, group_member_fn, &t);
}

/* ---- lists ----------------------------------------------------------- */

static int listed(struct vg_ctx *c, const char *what, int64_t scope_org)
{
	struct vg__detail d;
	vg__detail_begin(&d);
	if (scope_org)
		vg_jw_kint(&d.w, "org", scope_org);
	const char *detail = vg__detail_end(&d);
	int rc = detail ? vg__audit_read(c, what, "", detail) : VG_ENOMEM;
	vg__detail_release(&d);
	return rc;
}

int vg_org_list(struct vg_ctx *c, vg_org_cb cb, void *ud)
{
	struct vg_store *s = vg__reader(c->svc);
	int rc_read = vg__may_read(c, "orgs.read");
	if (rc_read)
		return rc_read;
	if (!s)
		return VG_ESTORE;
	int rc = listed(c, "orgs.read", 0);
	return rc ? rc : s->ops->hub->org_list(s, cb, ud);
}

/* Users and keys: everything for a hub admin, the organisation for an
 * org-admin, the caller's own for the rest. */
struct own_filter {
	int64_t user;
	vg_user_cb ucb;
	vg_key_cb kcb;
	void *ud;
};

static int own_user(void *ud, const struct vg_user *u)
{
	struct own_filter *f = ud;
	return u->id == f->user ? f->ucb(f->ud, u) : 0;
}

static int own_key(void *ud, const struct vg_key *k)
{
	struct own_filter *f = ud;
	return k->user == f->user ? f->kcb(f->ud, k) : 0;
}

static int64_t list_scope(const struct vg_ctx *c, int *own)
{
	*own = 0;
	if (vg_principal_allows(&c->p, VG_ACT_HUB_ADMIN))
		return 0;
	if (!vg_principal_allows(&c->p, VG_ACT_ORG_ADMIN))
		*own = 1;
	return c->p.org;
}

int vg_user_list(struct vg_ctx *c, vg_user_cb cb, void *ud)
{
	struct vg_store *s = vg__reader(c->svc);
	int own;
	int rc_read = vg__may_read(c, "users.read");
	if (rc_read)
		return rc_read;
	if (!s)
		return VG_ESTORE;
	int64_t org = list_scope(c, &own);
	int rc = listed(c, "users.read", org);
	struct own_filter f = {.user = c->p.user, .ucb = cb, .ud = ud};
	if (!rc)
		rc = own ? s->ops->hub->user_list(s, org, own_user, &f)
			 : s->ops->hub->user_list(s, org, cb, ud);
	return rc;
}

int vg_key_list(struct vg_ctx *c, vg_key_cb cb, void *ud)
{
	struct vg_store *s = vg__reader(c->svc);
	int own;
	int rc_read = vg__may_read(c, "keys.read");
	if (rc_read)
		return rc_read;
	if (!s)
		return VG_ESTORE;
	int64_t org = list_scope(c, &own);
	int rc = listed(c, "keys.read", org);
	struct own_filter f = {.user = c->p.user, .kcb = cb, .ud = ud};
	if (!rc)
		rc = own ? s->ops->hub->key_list(s, org, own_key, &f)
			 : s->ops->hub->key_list(s, org, cb, ud);
	return rc;
}

struct my_groups {
	const struct vg_ctx *c;
	vg_group_cb cb;
	void *ud;
};

static int my_group(void *ud, const struct vg_group *g, const char *members)
{
	struct my_groups *m = ud;
	if (!vg_principal_allows(&m->c->p, VG_ACT_HUB_ADMIN) &&
	    !vg_principal_in_group(&m->c->p, g->id))
		return 0;
	return m->cb(m->ud, g, members);
}

int vg_group_list(struct vg_ctx *c, vg_group_cb cb, void *ud)
{
	struct vg_store *s = vg__reader(c->svc);
	int rc_read = vg__may_read(c, "groups.read");
	if (rc_read)
		return rc_read;
	if (!s)
		return VG_ESTORE;
	struct my_groups m = {c, cb, ud};
	int rc = listed(c, "groups.read", 0);
	return rc ? rc : s->ops->sharing->group_list(s, my_group, &m);
}
