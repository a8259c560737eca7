/* vigil's one error enum: VG_OK = 0, every other code with its name and
 * message in one table (VG_ERRNO_MAP). Only http/ maps codes to statuses. */
#ifndef VIGIL_ERROR_H
#define VIGIL_ERROR_H

#define VG_ERRNO_MAP(X)                                                      \
	X(NOMEM, "out of memory")                                            \
	X(INVAL, "invalid input")                                            \
	X(JSON, "malformed JSON")                                            \
	X(TOOBIG, "input exceeds a size limit")                              \
	X(NOTFOUND, "not found")                                             \
	X(DUPLICATE, "duplicate")                                            \
	X(REVOKED, "a version may not follow a revoked version")             \
	X(CONFLICT, "conflicts with the stored state")                       \
	X(IO, "input/output error")                                          \
	X(STORE, "store error")                                              \
	X(SCHEMA, "store schema is newer than this program")                 \
	X(DENIED, "permission denied")                                       \
	X(AUTH, "authentication failed")                                     \
	X(UNSUPPORTED, "unsupported")                                        \
	X(PURPOSE, "a purpose is required")                                  \
	X(TOOMANY, "more items than one request may hold")                   \
	X(RATE, "rate limit reached")                                        \
	X(INTERNAL, "internal error")                                        \
	X(STALE, "an answer kept in memory is out of date")

enum vg_err {
	VG_OK = 0,
#define VG__ERR_ENUM(name, msg) VG_E##name,
	VG_ERRNO_MAP(VG__ERR_ENUM)
#undef VG__ERR_ENUM
	VG_E__COUNT
};

/* Static name ("VG_EINVAL") and message of an error code; never NULL. */
const char *vg_err_name(int err);
const char *vg_strerror(int err);

#endif
