/* The hub's federation keys: its Ed25519 signing key (DATA/hub-signing.key,
 * made by vigil init), the secret that seals partner credentials
 * (DATA/hub-sync.key, made on first use, mode 0600, never in the store);
 * signatures of object versions; settings of hubs seen as origins; the
 * commit notification of the push loops. */
#include "fed_int.h"
#include "vigil/fed/seal.h"
#include "vigil/stix/stix.h"
#include "vigil/util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int read_hex_file(const char *path, unsigned char *out, size_t n)
{
	char hex[300];
	FILE *f = fopen(path, "r");
	if (!f)
		return errno == ENOENT ? VG_ENOTFOUND : VG_EIO;
	size_t got = fread(hex, 1, sizeof(hex) - 1, f);
	fclose(f);
	hex[got] = '\0';
	while (got && (hex[got - 1] == '\n' || hex[got - 1] == '\r'))
		hex[--got] = '\0';
	int rc = vg__unhex(hex, out, n);
	sodium_memzero(hex, sizeof(hex));
	return rc;
}

/* The credential sealing key: read, or made once (O_EXCL: two processes
 * making it at once agree on the first). */
static int box_key(const char *dir, unsigned char key[32], char *err,
                   size_t errlen)
{
	char path[4200], hex[65];
	snprintf(path, sizeof(path), "%s/hub-sync.key", dir);
	int rc = read_hex_file(path, key, 32);
	if (rc != VG_ENOTFOUND)
		goto out;
	randombytes_buf(key, 32);
	vg__hex(key, 32, hex);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0 && errno == EEXIST) {
		rc = read_hex_file(path, key, 32);
		goto out;
	}
	rc = fd >= 0 && write(fd, hex, 64) == 64 && write(fd, "\n", 1) == 1 &&
	             fsync(fd) == 0
	         ? VG_OK
	         : VG_EIO;
	if (fd >= 0)
		close(fd);
	sodium_memzero(hex, sizeof(hex));
out:
	if (rc)
		snprintf(err, errlen, "cannot read or make '%.300s'", path);
	return rc;
}

int vg__fed_key_file(const char *dir, char *err, size_t errlen)
{
	unsigned char key[32];
	int rc = box_key(dir, key, err, errlen);
	sodium_memzero(key, sizeof(key));
	return rc;
}

int vg__fed_get(struct vg_service *svc, struct vg__fed **out, char *err,
                size_t errlen)
{
	int rc = VG_OK;
	/* the read handle first: making one takes svc->mu */
	struct vg_store *s = vg__reader(svc);
	pthread_mutex_lock(&svc->mu);
	if (svc->fed)
		goto done;
	struct vg__fed *f = calloc(1, sizeof(*f));
	if (!f || !s) {
		free(f);
		rc = f ? VG_ESTORE : VG_ENOMEM;
		goto done;
	}
	if ((rc = vg__setting(s, VG_HUB_ID, f->hub_id, sizeof(f->hub_id)))) {
		free(f);
		goto done;
	}
	snprintf(f->hub_name, sizeof(f->hub_name), "%s", svc->hub.name);
	if (svc->key_dir) {
		char path[4200];
		snprintf(path, sizeof(path), "%s/hub-signing.key",
		         svc->key_dir);
		rc = read_hex_file(path, f->sk, sizeof(f->sk));
		if (rc)
			snprintf(err, errlen,
			         "cannot read the signing key '%.300s'", path);
		if (!rc)
			rc = box_key(svc->key_dir, f->box, err, errlen);
		if (!rc)
			crypto_sign_ed25519_sk_to_pk(f->pk, f->sk);
	} else {
		/* a store in memory (the unit tests): keys derived from the
		 * hub's secret, for this process only */
		unsigned char seed[32];
		crypto_generichash(seed, 32,
		                   (const unsigned char *)"vigil fed sign", 14,
		                   svc->hub.secret, 32);
		crypto_sign_seed_keypair(f->pk, f->sk, seed);
		crypto_generichash(f->box, 32,
		                   (const unsigned char *)"vigil fed box", 13,
		                   svc->hub.secret, 32);
		sodium_memzero(seed, sizeof(seed));
	}
	if (rc) {
		vg__fed_free(f);
		goto done;
	}
	vg__hex(f->pk, sizeof(f->pk), f->pk_hex);
	pthread_mutex_init(&f->mu, NULL);
	pthread_cond_init(&f->cond, NULL);
	svc->fed = f;
done:
	if (!rc)
		*out = svc->fed;
	pthread_mutex_unlock(&svc->mu);
	return rc;
}

void vg__fed_free(struct vg__fed *f)
{
	if (!f)
		return;
	if (f->pk_hex[0]) {
		pthread_mutex_destroy(&f->mu);
		pthread_cond_destroy(&f->cond);
	}
	sodium_memzero(f, sizeof(*f));
	free(f);
}

void vg__fed_notify(struct vg_service *svc)
{
	struct vg__fed *f = svc->fed;
	if (!f)
		return;
	pthread_mutex_lock(&f->mu);
	f->commits++;
	pthread_cond_broadcast(&f->cond);
	pthread_mutex_unlock(&f->mu);
}

/* ---- signatures ---------------------------------------------------------- */

static const char sig_prefix[] = "vigil-object-v1\n";

static int signed_text(const cJSON *obj, struct vg_buf *b)
{
	int rc = vg_buf_puts(b, sig_prefix);
	return rc ? rc : vg_jcs(obj, b);
}

int vg__fed_sign(const struct vg__fed *f, const char *json, size_t len,
                 char out[100])
{
	struct vg_buf b;
	unsigned char sig[crypto_sign_BYTES];
	cJSON *obj = cJSON_ParseWithLength(json, len);
	if (!obj)
		return VG_EINVAL;
	vg_buf_init(&b, 0);
	int rc = signed_text(obj, &b);
	cJSON_Delete(obj);
	if (!rc) {
		crypto_sign_detached(sig, NULL, (const unsigned char *)b.data,
		                     b.len, f->sk);
		sodium_bin2base64(out, 100, sig, sizeof(sig),
		                  sodium_base64_VARIANT_ORIGINAL);
	}
	vg_buf_release(&b);
	return rc;
}

int vg__fed_verify(const char *pk_hex, const char *origin, const cJSON *obj,
                   const char *sig, struct vg__seal_cache *cache)
{
	if (sig && !strncmp(sig, "seal1:", 6)) {
		struct vg_seal_proof p;
		unsigned char pk[crypto_sign_PUBLICKEYBYTES], msg[256];
		if (vg_seal_parse(sig, &p) || !vg_seal_holds(obj, &p))
			return 0;
		/* the root's signature: checked once per seal */
		for (size_t i = 0; cache && i < cache->n; i++)
			if (!memcmp(cache->seal[i], p.root, VG_SEAL_HASH) &&
			    !memcmp(cache->seal[i] + VG_SEAL_HASH, p.sig, 64) &&
			    !strcmp(cache->origin[i], origin))
				return 1;
		size_t ml = vg_seal_message(origin, p.root, msg, sizeof(msg));
		if (!pk_hex || vg__unhex(pk_hex, pk, sizeof(pk)) || !ml ||
		    crypto_sign_verify_detached(p.sig, msg, ml, pk))
			return 0;
		if (cache) {
			size_t i =
			    cache->n < 8 ? cache->n++ : cache->next++ % 8;
			memcpy(cache->seal[i], p.root, VG_SEAL_HASH);
			memcpy(cache->seal[i] + VG_SEAL_HASH, p.sig, 64);
			snprintf(cache->origin[i], sizeof(cache->origin[i]),
			         "%s", origin);
		}
		return 1;
	}
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], raw[crypto_sign_BYTES];
	size_t n = 0;
	struct vg_buf b;
	if (!pk_hex || vg__unhex(pk_hex, pk, sizeof(pk)) || !sig ||
	    sodium_base642bin(raw, sizeof(raw), sig, strlen(sig), NULL, &n,
	                      NULL, sodium_base64_VARIANT_ORIGINAL) ||
	    n != sizeof(raw))
		return 0;
	vg_buf_init(&b, 0);
	int ok = !signed_text(obj, &b) &&
	         !crypto_sign_verify_detached(
	             raw, (const unsigned char *)b.data, b.len, pk);
	vg_buf_release(&b);
	return ok;
}

/* ---- hubs seen as origins -------------------------------------------- */

int vg__fed_hub_setting(struct vg_store *s, const char *hub_id,
                        const char *what, char *out, size_t n)
{
	char key[160];
	snprintf(key, sizeof(key), "fed.hub.%.80s.%s", hub_id, what);
	return vg__setting(s, key, out, n);
}

int vg__fed_hub_set(struct vg_store *s, const char *hub_id, const char *what,
                    const char *value)
{
	char key[160];
	snprintf(key, sizeof(key), "fed.hub.%.80s.%s", hub_id, what);
	return s->ops->hub->set(s, key, value);
}
