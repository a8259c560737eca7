/* The web console's sessions. A user signs in with their user name and
 * one of their API keys; the session then stands for that key: every
 * request it authenticates is that key's principal (re-checked at each
 * request, so a revoked key, an expired key or a disabled user ends it
 * at once), with the same access rule and audit entries, "session:ID"
 * as the credential. Sessions live in the server's memory (a restart
 * signs everyone out); only the hash of a session's id is kept. A
 * session ends after conf.session_idle_us without a request, after
 * conf.session_max_us from its start (or at the key's expiry, if
 * sooner), or at sign-out. Every request that changes something must
 * carry the session's CSRF token. */
#ifndef VIGIL_SERVICE_SESSION_H
#define VIGIL_SERVICE_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/service/service.h"

/* 32 random bytes as base64url without padding, and the NUL */
#define VG_SESSION_TOKEN_LEN 44
#define VG_PURPOSE_MAX 500

struct vg_session_info {
	char id[VG_SESSION_TOKEN_LEN]; /* the cookie's value: from open only */
	char csrf[VG_SESSION_TOKEN_LEN]; /* for X-CSRF-Token */
	char purpose[VG_PURPOSE_MAX + 1];
	int64_t created; /* microseconds */
	int64_t expires; /* the absolute end */
	int64_t idle_us; /* the idle limit */
};

/* Sign in: user's key opens a session (as HTTP Basic: the key must be
 * user's, valid, its user enabled). With purpose_required the purpose
 * (at most VG_PURPOSE_MAX bytes) must not be empty: VG_EPURPOSE.
 * On success c is the principal, out the session with its id, and the
 * opening is audited "session.open" (target: the user). A failed
 * credential is audited "auth.fail" and *res says why (c stays
 * unauthenticated). VG_EINVAL for a purpose too long. */
int vg_session_open(struct vg_ctx *c, const char *user, const char *key,
                    const char *purpose, struct vg_session_info *out,
                    enum vg_auth_result *res);

/* Authenticate c by a session id (the cookie). write: the request
 * changes something, and csrf (the X-CSRF-Token header, may be NULL)
 * must then be the session's, else VG_EDENIED (c is the principal,
 * the refusal audited "access.denied" with {"needs":"csrf-token"}).
 * An unknown or expired session, or a key or user no longer valid, is
 * audited "auth.fail" (what: the request path) and *res says why; an
 * expired one is ended. On success out (without its id) is the
 * session and its idle time starts again. */
int vg_session_authenticate(struct vg_ctx *c, const char *sid, int write,
                            const char *csrf, const char *what,
                            struct vg_session_info *out,
                            enum vg_auth_result *res);

/* Sign out: end the session sid of c (authenticated by it). Audited
 * "session.close". */
int vg_session_close(struct vg_ctx *c, const char *sid);

/* State a new purpose for the session sid of c: its later requests are
 * audited with it. VG_EPURPOSE when empty and the hub requires one,
 * VG_EINVAL when too long. Audited "session.purpose". */
int vg_session_set_purpose(struct vg_ctx *c, const char *sid,
                           const char *purpose, struct vg_session_info *out);

/* Who c is, for the console: audited "session.read" (no purpose
 * needed: the console asks for it first). */
int vg_session_read(struct vg_ctx *c);

/* The names of the actions c's role allows ("read", "write",
 * "org-admin", "hub-admin", "audit", "screen"), into names (room for 6);
 * how many. What the console offers follows from it; every action is
 * still checked when taken. */
size_t vg_ctx_actions(const struct vg_ctx *c, const char *names[6]);

/* How many sessions are open (for tests and /metrics). */
size_t vg_session_count(struct vg_service *svc);

#endif
