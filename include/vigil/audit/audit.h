/* The audit log's hash chain and checkpoints, pure: the hash of an entry
 * covers the previous entry's hash, so changing, removing or reordering an
 * entry breaks every hash after it; checkpoints sign the head with the
 * hub's Ed25519 key (libsodium). */
#ifndef VIGIL_AUDIT_H
#define VIGIL_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#define VG_HASH_LEN 32

struct vg_audit_entry {
	int64_t seq;     /* assigned by audit_append */
	int64_t ts;      /* microseconds */
	const char *actor;  /* user name, "-" unknown, "local:NAME" for CLI */
	int64_t org;
	const char *action; /* "auth.ok", "objects.read", "org.add", ... */
	const char *target; /* what it acted on */
	const char *detail; /* JSON: ids returned, query and count, ... */
	const char *source; /* client address, or "cli" */
	const char *purpose;
	/* the credential of the request ("key:ID", "basic:ID"; "" none) */
	const char *auth;
	unsigned char prev[VG_HASH_LEN];
	unsigned char hash[VG_HASH_LEN];
};

struct vg_checkpoint {
	int64_t seq;
	unsigned char head[VG_HASH_LEN];
	int64_t ts;
	const unsigned char *sig; /* 64 bytes */
};

typedef int (*vg_audit_cb)(void *ud, const struct vg_audit_entry *e);
typedef int (*vg_checkpoint_cb)(void *ud, const struct vg_checkpoint *c);

struct vg_audit_filter {
	const char *actor;   /* NULL: everyone */
	const char *action;  /* NULL: every action */
	int64_t since;       /* ts >= since; 0: all */
	int64_t after_seq;   /* seq > after_seq */
	size_t limit;        /* 0: no limit */
};

#define VG_SIG_LEN 64
#define VG_SIGN_PK_LEN 32
#define VG_SIGN_SK_LEN 64

/* BLAKE2b-256 over e->prev, seq, ts and every text field, each
 * length-prefixed, into out (auth only when not empty, so entries written
 * before it existed keep their hashes). */
void vg_audit_hash(const struct vg_audit_entry *e, unsigned char out[VG_HASH_LEN]);
/* Chain e after the entry (head_seq, head_hash) of the log (0 and zeros
 * for an empty log): sets e->seq, e->prev and e->hash. */
void vg_audit_link(struct vg_audit_entry *e, int64_t head_seq,
		   const unsigned char head_hash[VG_HASH_LEN]);
/* e as one JSON object on one line: seq, time, actor, org, action,
 * target, detail, source, purpose, auth (and hash when with_hash), every
 * string through the encoder; a detail is written as it is only when it
 * is one strictly valid JSON object that needs no escaping (as the
 * service writes them), else as a string, so the output is valid JSON
 * with exactly these keys whatever the log holds. */
struct vg_buf;
int vg_audit_entry_json(const struct vg_audit_entry *e, int with_hash,
			struct vg_buf *out);
/* The bytes a checkpoint signs: "vigil-audit-checkpoint", seq, head, ts. */
void vg_checkpoint_message(int64_t seq, const unsigned char head[VG_HASH_LEN],
			   int64_t ts, unsigned char out[64], size_t *len);
int vg_checkpoint_sign(int64_t seq, const unsigned char head[VG_HASH_LEN],
		       int64_t ts, const unsigned char sk[VG_SIGN_SK_LEN],
		       unsigned char sig[VG_SIG_LEN]);
/* VG_OK when sig is valid for pk, else VG_EAUTH. */
int vg_checkpoint_verify(int64_t seq, const unsigned char head[VG_HASH_LEN],
			 int64_t ts, const unsigned char sig[VG_SIG_LEN],
			 const unsigned char pk[VG_SIGN_PK_LEN]);

/* A checkpoint head as one line of a heads file (kept outside the store,
 * so that a cut tail of the log is seen): "SEQ TIME HEAD SIG\n", TIME as
 * YYYY-MM-DDTHH:MM:SS.ssssssZ (the exact microseconds signed), HEAD and
 * SIG in lowercase hex. */
#define VG_HEAD_LINE_LEN 256
void vg_checkpoint_head_line(const struct vg_checkpoint *c,
			     char out[VG_HEAD_LINE_LEN]);
/* Parse one line (len bytes, a trailing newline allowed) of a heads file;
 * a line copied from the syslog ("... audit checkpoint head: SEQ TIME
 * HEAD SIG") is taken too. Fills c, with c->sig pointing at sig. VG_EINVAL
 * when it is not a head. */
int vg_checkpoint_head_parse(const char *line, size_t len,
			     struct vg_checkpoint *c,
			     unsigned char sig[VG_SIG_LEN]);
/* What a syslog message of a head starts with (vg_checkpoint_head_parse
 * finds the head after it). */
#define VG_HEAD_SYSLOG_TAG "audit checkpoint head: "

#endif
