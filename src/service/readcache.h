/* The read cache of a store that several processes share (store.h gens):
 * authentications and pages of objects kept in memory while the store's
 * generations stay where they were when they were made, so that a read
 * asked again costs no round trip to the database.
 *
 * The store's generations move in the same transaction as any change to
 * what an answer was read from. A request takes from the cache what was
 * made at the generations last known to the process; before anything of
 * the answer leaves, the transaction that puts the request on record
 * reads them again, under the write lock: when they are still those,
 * the answer is the one the store gives at that moment; when not, the
 * request fails with VG_ESTALE, nothing of it recorded, and the front
 * asks the store (docs/architecture.md). */
#ifndef VIGIL_SERVICE_READCACHE_H
#define VIGIL_SERVICE_READCACHE_H

#include "vigil/service/objects.h"
#include "vigil/service/service.h"
#include "vigil/util/buf.h"

#include <stddef.h>

struct vg_rcache;

/* A cache of pages up to budget bytes (NULL when out of memory). */
struct vg_rcache *vg__rcache_new(size_t budget);
void vg__rcache_free(struct vg_rcache *k);

/* The generations last known to this process; vg__rcache_saw sets them
 * from a reading of the writer's (a reading lower than the last empties
 * the cache: the database was restored or made again). */
void vg__rcache_gens(struct vg_rcache *k, int64_t gens[2]);
void vg__rcache_saw(struct vg_rcache *k, const int64_t gens[2]);
/* Inside the write transaction that puts c's entries on record: VG_OK
 * when what c took from the cache (c->kept) was made at the generations
 * the store is at, VG_ESTALE when not (the front then asks again). The
 * process learns the generations so. */
int vg__rcache_check(struct vg_store *s, const struct vg_ctx *c);

/* Answers taken from the cache, made for it, found out of date. */
void vg__rcache_counts(struct vg_rcache *k, unsigned long long *hits,
                       unsigned long long *misses, unsigned long long *stale);

/* The principal of key id for c when c's generations are those it was
 * kept at, hash is the key's, the key has not expired and user (when
 * not NULL) is its user: 1, c authenticated as by vg__key_principal;
 * else 0 (c untouched), and the store must say. */
int vg__rcache_auth_get(struct vg_ctx *c, const char *id,
                        const unsigned char *hash, const char *user,
                        const char *scheme);
/* Keep c's principal, just authenticated with key id (hash), at c's
 * generations. */
void vg__rcache_auth_put(struct vg_ctx *c, const char *id,
                         const unsigned char *hash);

/* The page that key names, made at c's generations: 1, its answer
 * appended to out, *info and its audit entry's target and detail (to
 * free) set; 0 none (or out of memory). */
int vg__rcache_page_get(struct vg_ctx *c, const struct vg_buf *key,
                        struct vg_buf *out, struct vg_page_info *info,
                        char **target, char **detail);
/* Keep the page that key names, made at c's generations. */
void vg__rcache_page_put(struct vg_ctx *c, const struct vg_buf *key,
                         const struct vg_buf *body,
                         const struct vg_page_info *info, const char *target,
                         const char *detail);

#endif
