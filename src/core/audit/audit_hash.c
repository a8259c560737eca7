/* Hash chain and checkpoint signatures of the audit log. */
#include "vigil/audit/audit.h"
#include "vigil/util/error.h"

#include <sodium.h>
#include <string.h>

static void put_u64(crypto_generichash_state *st, uint64_t v)
{
	unsigned char b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	crypto_generichash_update(st, b, 8);
}

static void put_str(crypto_generichash_state *st, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	put_u64(st, n);
	if (n)
		crypto_generichash_update(st, (const unsigned char *)s, n);
}

void vg_audit_hash(const struct vg_audit_entry *e, unsigned char out[VG_HASH_LEN])
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, VG_HASH_LEN);
	crypto_generichash_update(&st, e->prev, VG_HASH_LEN);
	put_u64(&st, (uint64_t)e->seq);
	put_u64(&st, (uint64_t)e->ts);
	put_str(&st, e->actor);
	put_u64(&st, (uint64_t)e->org);
	put_str(&st, e->action);
	put_str(&st, e->target);
	put_str(&st, e->detail);
	put_str(&st, e->source);
	put_str(&st, e->purpose);
	crypto_generichash_final(&st, out, VG_HASH_LEN);
}

void vg_checkpoint_message(int64_t seq, const unsigned char head[VG_HASH_LEN],
			   int64_t ts, unsigned char out[64], size_t *len)
{
	static const char tag[] = "vigil-audit-chkpt"; /* 17 bytes + NUL */
	memcpy(out, tag, 16);
	for (int i = 0; i < 8; i++) {
		out[16 + i] = (unsigned char)((uint64_t)seq >> (8 * i));
		out[24 + i] = (unsigned char)((uint64_t)ts >> (8 * i));
	}
	memcpy(out + 32, head, VG_HASH_LEN);
	*len = 64;
}

int vg_checkpoint_sign(int64_t seq, const unsigned char head[VG_HASH_LEN],
		       int64_t ts, const unsigned char sk[VG_SIGN_SK_LEN],
		       unsigned char sig[VG_SIG_LEN])
{
	unsigned char msg[64];
	size_t len;
	vg_checkpoint_message(seq, head, ts, msg, &len);
	return crypto_sign_detached(sig, NULL, msg, len, sk) ? VG_EINTERNAL
							     : VG_OK;
}

int vg_checkpoint_verify(int64_t seq, const unsigned char head[VG_HASH_LEN],
			 int64_t ts, const unsigned char sig[VG_SIG_LEN],
			 const unsigned char pk[VG_SIGN_PK_LEN])
{
	unsigned char msg[64];
	size_t len;
	vg_checkpoint_message(seq, head, ts, msg, &len);
	return crypto_sign_verify_detached(sig, msg, len, pk) ? VG_EAUTH : VG_OK;
}
