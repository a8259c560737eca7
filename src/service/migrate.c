/* vigil migrate: a hub copied table by table between two stores, then
 * compared and verified (migrate.h). */
#include "service_int.h"
#include "vigil/service/audit.h"
#include "vigil/service/migrate.h"
#include "vigil/store/copy.h"
#include "vigil/util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The directory where a store's signing key is. */
static const char *key_dir_of(const char *location, const char *conf)
{
	if (strstr(location, "://"))
		return conf;
	if (!strncmp(location, "memory:", 7))
		return NULL;
	return !strncmp(location, "sqlite:", 7) ? location + 7 : location;
}

static const char *backend_of(const char *location)
{
	return strstr(location, "://")            ? "postgres"
	       : !strncmp(location, "memory:", 7) ? "memory"
	                                          : "sqlite";
}

struct copy {
	struct vg_store *to;
	int64_t rows;
	int to_failed; /* the copy refused a row (else the source failed) */
};

static int copy_row(void *ud, const struct vg_store_value *v, size_t n)
{
	struct copy *c = ud;
	c->rows++;
	int rc = c->to->ops->copy->load_row(c->to, v, n);
	c->to_failed = rc != 0;
	return rc;
}

/* A digest of every row of a table as the copy interface gives it. */
struct digest {
	crypto_generichash_state st;
	int64_t rows;
};

static int digest_row(void *ud, const struct vg_store_value *v, size_t n)
{
	struct digest *d = ud;
	d->rows++;
	for (size_t i = 0; i < n; i++) {
		uint64_t len = v[i].null ? UINT64_MAX : (uint64_t)v[i].len;
		crypto_generichash_update(&d->st, (const unsigned char *)&len,
		                          sizeof(len));
		if (!v[i].null)
			crypto_generichash_update(
			    &d->st, (const unsigned char *)v[i].p, v[i].len);
	}
	return 0;
}

static int table_digest(struct vg_store *s, const struct vg_store_table *t,
                        unsigned char out[32], int64_t *rows)
{
	struct digest d = {.rows = 0};
	crypto_generichash_init(&d.st, NULL, 0, 32);
	int rc = s->ops->copy->rows(s, t, digest_row, &d);
	crypto_generichash_final(&d.st, out, 32);
	*rows = d.rows;
	return rc;
}

/* Copy the signing key file between the two key directories. */
static int copy_key(const char *from, const char *to, char *err, size_t errlen)
{
	char src[4096], dst[4096], buf[512];
	snprintf(src, sizeof(src), "%s/hub-signing.key", from);
	snprintf(dst, sizeof(dst), "%s/hub-signing.key", to);
	int in = open(src, O_RDONLY);
	if (in < 0) {
		snprintf(err, errlen,
		         "cannot read the hub's signing key '%.300s'", src);
		return VG_EIO;
	}
	ssize_t n = read(in, buf, sizeof(buf));
	close(in);
	if (mkdir(to, 0700) != 0 && errno != EEXIST)
		n = -1;
	int out = n > 0 ? open(dst, O_WRONLY | O_CREAT | O_EXCL, 0600) : -1;
	int ok = out >= 0 && write(out, buf, (size_t)n) == n && fsync(out) == 0;
	if (out >= 0)
		close(out);
	sodium_memzero(buf, sizeof(buf));
	if (!ok) {
		snprintf(err, errlen,
		         "cannot write the hub's signing key '%.300s'%s", dst,
		         errno == EEXIST ? ": it exists" : "");
		return VG_EIO;
	}
	return VG_OK;
}

struct mark {
	const struct vg_ctx *c;
	const char *detail;
};

static int mark_fn(struct vg_store *s, void *arg)
{
	struct mark *m = arg;
	return vg__audit(s, m->c, "hub.migrate", "", m->detail);
}

/* The copy's audit entry and verification, through the service. */
static int finish(const struct vg_migrate *m, struct vg_migrate_result *out,
                  char *err, size_t errlen)
{
	struct vg_service_conf conf = {.location = m->to,
	                               .key_dir = m->to_key_dir};
	struct vg_service *svc = NULL;
	struct vg_ctx c;
	struct vg__detail d;
	int rc = vg_service_open(&conf, &svc, err, errlen);
	if (rc)
		return rc;
	vg_ctx_init(&c, svc, VG_CHANNEL_CLI, "cli");
	vg_ctx_operator(&c, m->login ? m->login : "-");
	/* verified first: the copy is the source's log, entry for entry */
	struct vg_audit_verified v = {0};
	rc = vg_audit_verify(&c, NULL, NULL, &v, err, errlen);
	out->entries = v.entries;
	out->checkpoints = v.checkpoints;
	if (rc == VG_EINVAL) {
		char why[300];
		snprintf(why, sizeof(why), "%s", err);
		snprintf(err, errlen, "the copy's audit log is not intact: %s",
		         why);
		rc = VG_ESTORE;
	}
	vg__detail_begin(&d);
	vg_jw_kstr(&d.w, "from", backend_of(m->from));
	vg_jw_kint(&d.w, "tables", (int64_t)out->tables);
	vg_jw_kint(&d.w, "rows", out->rows);
	const char *detail = vg__detail_end(&d);
	struct mark mk = {&c, detail};
	if (!rc)
		rc = detail ? vg__write(svc, mark_fn, &mk) : VG_ENOMEM;
	vg__detail_release(&d);
	vg_ctx_release(&c);
	vg_service_close(svc);
	return rc;
}

int vg_hub_migrate(const struct vg_migrate *m, struct vg_migrate_result *out,
                   char *err, size_t errlen)
{
	struct vg_store *from = NULL, *to = NULL;
	const char *fdir = key_dir_of(m->from, m->from_key_dir);
	const char *tdir = key_dir_of(m->to, m->to_key_dir);
	char *v = NULL;
	int rc, from_tx = 0, to_tx = 0;
	memset(out, 0, sizeof(*out));
	err[0] = '\0';
	if (!fdir || !tdir) {
		snprintf(err, errlen, "%s",
		         !fdir ? "the source's signing key: give "
		                 "its key directory (--from-key-dir)"
		               : "the copy's signing key: give its "
		                 "key directory (--key-dir)");
		return VG_EINVAL;
	}
	if ((rc = vg_store_open(m->from, 0, &from, err, errlen)))
		goto out;
	rc = from->ops->hub->get(from, VG_HUB_ID, &v);
	free(v);
	v = NULL;
	if (rc) {
		if (rc == VG_ENOTFOUND)
			snprintf(err, errlen, "no hub in '%.300s'", m->from);
		goto out;
	}
	if ((rc = vg_store_open(m->to, VG_STORE_CREATE, &to, err, errlen)))
		goto out;
	rc = to->ops->hub->get(to, VG_HUB_ID, &v);
	free(v);
	if (rc != VG_ENOTFOUND) {
		if (!rc)
			snprintf(err, errlen, "'%.300s' holds a hub already",
			         m->to);
		rc = rc ? rc : VG_EDUPLICATE;
		goto out;
	}
	if (!from->ops->copy || !to->ops->copy) {
		snprintf(err, errlen, "the %s backend cannot copy a hub",
		         !from->ops->copy ? from->ops->name : to->ops->name);
		rc = VG_EUNSUPPORTED;
		goto out;
	}
	char key[4096];
	snprintf(key, sizeof(key), "%s/hub-signing.key", fdir);
	if (access(key, R_OK) != 0) {
		snprintf(err, errlen,
		         "cannot read the hub's signing key '%.300s'", key);
		rc = VG_EIO;
		goto out;
	}
	snprintf(key, sizeof(key), "%s/hub-signing.key", tdir);
	if (access(key, F_OK) == 0) {
		snprintf(err, errlen,
		         "'%.300s' exists: the copy's key directory "
		         "holds another hub's key",
		         key);
		rc = VG_EDUPLICATE;
		goto out;
	}
	/* the source's write lock holds its writers still while it is read */
	if ((rc = from->ops->begin(from)))
		goto fail;
	from_tx = 1;
	if ((rc = to->ops->begin(to)))
		goto fail;
	to_tx = 1;
	for (const struct vg_store_table *t = vg_store_tables; t->name && !rc;
	     t++) {
		struct copy c = {to, 0, 0};
		struct vg_store *failed = to;
		rc = to->ops->copy->load_begin(to, t);
		if (!rc) {
			rc = from->ops->copy->rows(from, t, copy_row, &c);
			if (rc && !c.to_failed)
				failed = from;
			int e = to->ops->copy->load_end(to);
			rc = rc ? rc : e;
		}
		if (rc) {
			snprintf(err, errlen, "copying table '%s': %.300s",
			         t->name,
			         rc == VG_ESTORE ? vg_store_errmsg(failed)
			                         : vg_strerror(rc));
			goto fail;
		}
		out->tables++;
		out->rows += c.rows;
	}
	rc = to->ops->commit(to);
	to_tx = 0;
	if (rc) {
		snprintf(err, errlen, "commit: %.300s", vg_store_errmsg(to));
		goto fail;
	}
	/* every table read back from both, in key order, compared */
	for (const struct vg_store_table *t = vg_store_tables; t->name && !rc;
	     t++) {
		unsigned char a[32], b[32];
		int64_t na = 0, nb = 0;
		rc = table_digest(from, t, a, &na);
		if (!rc)
			rc = table_digest(to, t, b, &nb);
		if (!rc && (na != nb || memcmp(a, b, 32))) {
			snprintf(err, errlen,
			         "table '%s' differs after the copy (%lld"
			         " rows in the source, %lld in the copy)",
			         t->name, (long long)na, (long long)nb);
			rc = VG_ESTORE;
		}
	}
	from->ops->rollback(from);
	from_tx = 0;
	vg_store_close(from);
	vg_store_close(to);
	from = to = NULL;
	if (!rc)
		rc = copy_key(fdir, tdir, err, errlen);
	if (!rc)
		rc = finish(m, out, err, errlen);
	goto out;
fail:
	if (to_tx)
		to->ops->rollback(to);
	if (from_tx)
		from->ops->rollback(from);
out:
	vg_store_close(from);
	vg_store_close(to);
	return rc;
}
