/* Shared between the federation files of service/ (partners.c,
 * fed_keys.c, fed_ingest.c, fed_serve.c). */
#ifndef VIGIL_FED_INT_H
#define VIGIL_FED_INT_H

#include <cjson/cJSON.h>
#include <sodium.h>
#include <stdint.h>

#include "service_int.h"
#include "vigil/access/egress.h"
#include "vigil/service/partners.h"

/* What the hub holds for federation, loaded on first use. */
struct vg__fed {
	char hub_id[40];
	char hub_name[200];
	unsigned char sk[crypto_sign_SECRETKEYBYTES];
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	char pk_hex[2 * crypto_sign_PUBLICKEYBYTES + 1];
	unsigned char box[crypto_secretbox_KEYBYTES]; /* seals credentials */
	/* the push loops wait here for commits that stored objects */
	pthread_mutex_t mu;
	pthread_cond_t cond;
	uint64_t commits;
};

/* The hub's federation keys (VG_EIO with err when a key file cannot be
 * read or made). */
int vg__fed_get(struct vg_service *svc, struct vg__fed **out, char *err,
                size_t errlen);
void vg__fed_free(struct vg__fed *f);

/* A partner's settings (its config JSON), parsed. */
#define FED_LIST VG_FED_MAX_LIST
struct vg__fed_cfg {
	char remote[FED_LIST][200], local[FED_LIST][80];
	size_t n_remote;
	char ca[512], cert[512], key[512];
	char lv_ours[VG_MAX_LEVELS][64], lv_theirs[VG_MAX_LEVELS][64];
	size_t n_lv;
	char types[FED_LIST][120], labels[FED_LIST][120], colls[FED_LIST][120];
	size_t n_types, n_labels, n_colls;
	int interval;
	size_t limit;
	int64_t overlap_us;
	int timeout; /* seconds a read may stall */
};
void vg__fed_cfg_defaults(struct vg__fed_cfg *c);
int vg__fed_cfg_parse(const char *json, struct vg__fed_cfg *c);
int vg__fed_cfg_json(const struct vg__fed_cfg *c, struct vg_buf *out);

/* A partner as the service works with it (copied out of the store). */
struct vg__partner {
	int64_t id, org;
	char name[101], url[1024], hub_id[80], sign_pk[80], org_name[128];
	int direction;
	struct vg__fed_cfg cfg;
	unsigned char secret[1200];
	size_t secret_len;
	char state[2048];
	int64_t created;
};
/* An organisation's name into ud (128 bytes): an org_find callback. */
int vg__fed_org_name(void *ud, const struct vg_org *o);
/* By name (id 0) or id; VG_ENOTFOUND. */
int vg__partner_get(struct vg_store *s, const char *name, int64_t id,
                    struct vg__partner *out);
/* The partner whose organisation is org (VG_ENOTFOUND: org is no
 * partner's). */
int vg__partner_of_org(struct vg_store *s, int64_t org,
                       struct vg__partner *out);

/* The egress rule's view of partner p (lists point into p and groups). */
struct vg__egress {
	struct vg_egress_partner rule;
	const char *colls[FED_LIST], *types[FED_LIST], *labels[FED_LIST];
	int level_map[VG_MAX_LEVELS];
	int64_t *groups;
};
int vg__egress_init(struct vg_service *svc, struct vg_store *s,
                    const struct vg__partner *p, struct vg__egress *e);
void vg__egress_release(struct vg__egress *e);

/* The partner page of a TAXII read (taxii.c hands it over when the
 * reader's organisation is a partner hub's): the egress rule in place of
 * the read rule, and with fed_meta the provenance of each object. Writes
 * the envelope up to "more" ("{" or the arrays and a comma). */
struct vg_coll_view;
struct vg_taxii_filter;
struct vg_page_info;
int vg__fed_page(struct vg_ctx *t, struct vg_store *s,
                 const struct vg__partner *p, const struct vg_coll_view *c,
                 const struct vg_taxii_filter *f, int64_t after,
                 const struct vg_buf *canon, struct vg_buf *out,
                 struct vg_page_info *info, int *more);

/* Settings of hubs seen as origins: "fed.hub.ID.org|pk|name". */
int vg__fed_hub_setting(struct vg_store *s, const char *hub_id,
                        const char *what, char *out, size_t n);
int vg__fed_hub_set(struct vg_store *s, const char *hub_id, const char *what,
                    const char *value);

/* The signature of an object text by this hub: Ed25519 over
 * "vigil-object-v1\n" and the JCS form, base64 (89 bytes with NUL). */
int vg__fed_sign(const struct vg__fed *f, const char *json, size_t len,
                 char out[100]);
/* Seals whose signature was checked already (the last 8). */
struct vg__seal_cache {
	unsigned char seal[8][16 + 64];
	char origin[8][100];
	size_t n, next;
};
/* 1 when sig is origin's (key pk_hex) over obj: a seal (seal.h), or a
 * signature of the object alone (vg__fed_sign). */
int vg__fed_verify(const char *pk_hex, const char *origin, const cJSON *obj,
                   const char *sig, struct vg__seal_cache *cache);

/* The partner of a sync context (VG_EDENIED for any other context). */
int vg__fed_ctx_partner(struct vg_ctx *c, struct vg_store *s,
                        struct vg__partner *p);

/* Each object's outcome, for a status resource: refused (with reason). */
struct vg__outcome {
	unsigned char *bad;
	char **reason;
	size_t n;
};
/* Store one envelope from partner p as c (its sync principal): into the
 * local collection (NULL: by provenance), moving the cursor of remote
 * (NULL: none) to date_last, taking quarantined object retry_id (0: none)
 * out; oc (may be NULL) gets each object's outcome (the caller frees). */
int vg__fed_store(struct vg_ctx *c, struct vg__partner *p, const char *remote,
                  const char *local, int64_t retry_id, const char *body,
                  size_t len, const char *date_last, struct vg_fed_page *res,
                  struct vg__outcome *oc, char *err, size_t errlen);

/* A TAXII POST by a partner hub's principal (taxii_write.c hands it
 * over): stored by the sync rules, owned by each object's origin hub. */
struct vg_ingest_counts;
int vg__fed_add(struct vg_ctx *c, const struct vg_coll_view *coll,
                const char *body, size_t len, struct vg_buf *out,
                struct vg_ingest_counts *counts, char *err, size_t errlen);

/* Inside a delete of this hub's own versions (taxii_write.c del_fn, with
 * the delete's query): tombstones for those made here. */
struct vg_query;
int vg__fed_deleting(struct vg_ctx *c, struct vg_store *s,
                     const struct vg_query *q);

/* Tell the push loops that objects were stored. */
void vg__fed_notify(struct vg_service *svc);

#endif
