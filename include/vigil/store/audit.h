/* The store's audit log and its signed checkpoints (part of store.h). The
 * chain is computed by the caller (vg_audit_link); the store keeps the
 * entries in seq order. Writes happen inside the caller's transaction. */
#ifndef VIGIL_STORE_AUDIT_H
#define VIGIL_STORE_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/audit/audit.h"

struct vg_store;

struct vg_store_audit_ops {
	/* The last entry's seq and hash (0 and zeros when the log is empty). */
	int (*head)(struct vg_store *s, int64_t *seq,
		    unsigned char hash[VG_HASH_LEN]);
	/* Keep e, already chained (VG_EDUPLICATE when e->seq is taken). */
	int (*append)(struct vg_store *s, const struct vg_audit_entry *e);
	int (*scan)(struct vg_store *s, const struct vg_audit_filter *f,
		    vg_audit_cb cb, void *ud);
	int (*checkpoint_add)(struct vg_store *s, const struct vg_checkpoint *c);
	int (*checkpoint_list)(struct vg_store *s, vg_checkpoint_cb cb, void *ud);
};

#endif
