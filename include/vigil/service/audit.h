/* The audit log as a use case: reading it (auditors, the operator),
 * verifying the chain and its checkpoints, signing a checkpoint. Every
 * reading of the log is itself on record, committed before the read. */
#ifndef VIGIL_SERVICE_AUDIT_H
#define VIGIL_SERVICE_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/audit/audit.h"
#include "vigil/service/service.h"

/* Entries matching f, oldest first. VG_EDENIED unless the auditor role
 * (or the operator). */
int vg_audit_read(struct vg_ctx *c, const struct vg_audit_filter *f,
		  vg_audit_cb cb, void *ud);

/* Verify the whole chain and every checkpoint against the hub's public
 * key. VG_OK when intact; otherwise VG_EINVAL with the first finding in
 * err, naming the entry ("entry 17: changed (its hash does not match its
 * content)"). n_entries and n_checkpoints count what was checked. */
int vg_audit_verify(struct vg_ctx *c, int64_t *n_entries,
		    int64_t *n_checkpoints, char *err, size_t errlen);
/* Sign the current head with the hub's key (in the store's directory):
 * the operator only. */
int vg_audit_checkpoint(struct vg_ctx *c, int64_t *seq, char *err,
			size_t errlen);

#endif
