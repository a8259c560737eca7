/* Hash chain and checkpoint signatures of the audit log. */
#include "vigil/audit/audit.h"
#include "vigil/util/error.h"
#include "vigil/util/jsonw.h"
#include "vigil/util/jstream.h"
#include "vigil/util/timefmt.h"

#include <cjson/cJSON.h>

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
	if (e->auth && *e->auth)
		put_str(&st, e->auth);
	crypto_generichash_final(&st, out, VG_HASH_LEN);
}

void vg_audit_link(struct vg_audit_entry *e, int64_t head_seq,
		   const unsigned char head_hash[VG_HASH_LEN])
{
	e->seq = head_seq + 1;
	memcpy(e->prev, head_hash, VG_HASH_LEN);
	vg_audit_hash(e, e->hash);
}

static int any_value(void *ud, const char *json, size_t len, size_t index)
{
	(void)ud;
	(void)json;
	(void)len;
	(void)index;
	return VG_OK;
}

/* Is d a detail as the service writes them: one object, strictly valid
 * JSON (RFC 8259 and UTF-8, as jstream checks POST bodies), holding
 * nothing the encoder escapes (controls, DEL, < > &, U+2028 and U+2029)?
 * Only such a detail is written as JSON; anything else (a log altered by
 * hand: trailing text, a raw new line, a lenient number) is written as a
 * string, so that no detail can add a field, break the JSON or start a
 * new line (found by fuzz/fuzz_audit.c: cJSON_Parse took "{} ,..."). */
static int detail_is_json(const char *d)
{
	const unsigned char *p = (const unsigned char *)d;
	size_t n = strlen(d);
	if (p[0] != '{')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] == 0x7f || p[i] == '<' || p[i] == '>' ||
		    p[i] == '&' ||
		    (p[i] == 0xe2 && i + 2 < n && p[i + 1] == 0x80 &&
		     (p[i + 2] == 0xa8 || p[i + 2] == 0xa9)))
			return 0;
	struct vg_jstream *s = vg_jstream_new(n + 1, any_value, NULL);
	if (!s)
		return 0;
	int ok = !vg_jstream_feed(s, d, n) && !vg_jstream_finish(s);
	vg_jstream_free(s);
	if (!ok)
		return 0;
	/* one value, and an object: nothing after it */
	cJSON *parsed = cJSON_ParseWithOpts(d, NULL, 1);
	ok = cJSON_IsObject(parsed);
	cJSON_Delete(parsed);
	return ok;
}

int vg_audit_entry_json(const struct vg_audit_entry *e, int with_hash,
			struct vg_buf *out)
{
	struct vg_jw w;
	char t[VG_TIME_LEN], h[2 * VG_HASH_LEN + 1];
	vg_time_format_us(e->ts, t);
	vg_jw_init(&w, out);
	vg_jw_obj(&w);
	vg_jw_kint(&w, "seq", e->seq);
	vg_jw_kstr(&w, "time", t);
	vg_jw_kstr(&w, "actor", e->actor ? e->actor : "");
	vg_jw_kint(&w, "org", e->org);
	vg_jw_kstr(&w, "action", e->action ? e->action : "");
	vg_jw_kstr(&w, "target", e->target ? e->target : "");
	vg_jw_key(&w, "detail");
	const char *d = e->detail && *e->detail ? e->detail : "{}";
	if (detail_is_json(d))
		vg_jw_raw(&w, d, strlen(d));
	else
		vg_jw_str(&w, d);
	vg_jw_kstr(&w, "source", e->source ? e->source : "");
	vg_jw_kstr(&w, "purpose", e->purpose ? e->purpose : "");
	vg_jw_kstr(&w, "auth", e->auth ? e->auth : "");
	if (with_hash) {
		static const char hex[] = "0123456789abcdef";
		for (int i = 0; i < VG_HASH_LEN; i++) {
			h[2 * i] = hex[e->hash[i] >> 4];
			h[2 * i + 1] = hex[e->hash[i] & 15];
		}
		h[2 * VG_HASH_LEN] = '\0';
		vg_jw_kstr(&w, "hash", h);
	}
	vg_jw_close(&w);
	return vg_jw_end(&w);
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
