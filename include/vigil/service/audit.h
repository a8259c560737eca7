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

struct vg_audit_verified {
	int64_t entries;     /* entries whose chain was checked */
	int64_t checkpoints; /* the store's signed checkpoints verified */
	int64_t heads;       /* lines of the heads file that matched */
};

/* Verify the whole chain and every checkpoint against the hub's public
 * key; with heads (a file of checkpoint heads kept outside the store),
 * also each of its lines: signed by the hub, its entry still in the log
 * with the hash it signed, its checkpoint still in the store. public_key
 * (64 hex digits, as the operator keeps it; NULL: none) must be the one
 * in the store. VG_OK when intact; otherwise VG_EINVAL with the first
 * finding in err, naming the entry ("entry 17: changed (its hash does not
 * match its content)", "entry 40: removed (truncated after the
 * checkpoint of FILE line 3)"); VG_EIO when heads cannot be read. out
 * counts what was checked. */
int vg_audit_verify(struct vg_ctx *c, const char *heads,
		    const char *public_key, struct vg_audit_verified *out,
		    char *err, size_t errlen);

/* vg_audit_verify for an auditor of the API or the console: the chain,
 * the checkpoints and, when it exists, the hub's heads file. *intact is
 * 1 when nothing was found, else 0 with the finding in err. Audited
 * "audit.verify" with the outcome and the counts. */
int vg_audit_check(struct vg_ctx *c, struct vg_audit_verified *out,
		   int *intact, char *err, size_t errlen);

/* Sign the current head with the hub's key (conf.signing_key, read for
 * this and wiped after; refused when group or others may read it or when
 * it is not the hub's), then append the head to the heads file (O_APPEND,
 * fsync) and, with checkpoint_syslog, to the syslog: the operator only.
 * *seq is the checkpoint's entry. When the head cannot be appended the
 * checkpoint stays signed in the store and err says so (VG_EIO). */
int vg_audit_checkpoint(struct vg_ctx *c, int64_t *seq, char *err,
			size_t errlen);

/* vigil serve's automatic checkpoints, called about every second: signs
 * one (as vg_audit_checkpoint, with the trigger in its entry's detail)
 * when conf.checkpoint_entries entries, or conf.checkpoint_seconds seconds
 * with at least one new entry, have passed since the last checkpoint (or
 * since the first call). *seq is 0 when none was due. After a failure
 * the next attempt waits a minute (or checkpoint_seconds, if shorter). */
int vg_audit_checkpoint_auto(struct vg_ctx *c, int64_t *seq, char *err,
			     size_t errlen);

/* Can checkpoints be signed and recorded? Reads the key (as above) and
 * opens the heads file for appending (creating it). note gets a warning
 * for the operator ("" none): the heads file is in the store's
 * directory, where whoever can cut the log can cut it too. */
int vg_audit_checkpoint_ready(struct vg_ctx *c, char *note, size_t notelen,
			      char *err, size_t errlen);

#endif
