/* Signed checkpoints of the audit log: the hub's signing key (read when
 * needed, wiped after), the checkpoint entry and its signature in one
 * transaction, the head appended to a file outside the store (and the
 * syslog), and vigil serve's automatic checkpoints. */
#include "service_int.h"
#include "vigil/audit/audit.h"
#include "vigil/service/audit.h"
#include "vigil/util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

/* The hub's secret key from its file. Refused when group or others may
 * read or change the file (whoever reads it can sign a forged log), and
 * when its public half is not the store's (a checkpoint signed with
 * another hub's key would never verify). */
static int read_signing_key(struct vg_service *svc, unsigned char sk[64],
                            char *err, size_t errlen)
{
	const char *path = svc->signing_key;
	char hex[260], pkhex[80];
	unsigned char pk[32];
	struct stat st;
	ssize_t n;
	int rc;
	if (!path) {
		snprintf(err, errlen,
		         "this store has no signing key: set "
		         "signing_key");
		return VG_ENOTFOUND;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen,
		         "cannot read the hub's signing key "
		         "'%.300s': %s",
		         path, strerror(errno));
		return VG_ENOTFOUND;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		snprintf(err, errlen,
		         "the hub's signing key '%.300s' is not a "
		         "file",
		         path);
		return VG_EINVAL;
	}
	if (st.st_mode & 077) {
		close(fd);
		snprintf(err, errlen,
		         "the hub's signing key '%.300s' may be %s "
		         "by group or others (mode %04o): chmod 600 it",
		         path, st.st_mode & 044 ? "read" : "changed",
		         (unsigned)(st.st_mode & 07777));
		return VG_EDENIED;
	}
	n = read(fd, hex, sizeof(hex) - 1);
	close(fd);
	rc = VG_EINVAL;
	if (n >= 128) {
		hex[n] = '\0';
		/* 128 hex digits, then nothing but white space */
		if (strspn(hex + 128, " \t\r\n") == (size_t)n - 128) {
			hex[128] = '\0';
			rc = vg__unhex(hex, sk, 64);
		}
	}
	sodium_memzero(hex, sizeof(hex));
	if (rc) {
		sodium_memzero(sk, 64);
		snprintf(err, errlen,
		         "the hub's signing key '%.300s' is not 128 "
		         "hex digits",
		         path);
		return rc;
	}
	struct vg_store *s = vg__reader(svc);
	rc = s ? vg__setting(s, VG_HUB_SIGN_PK, pkhex, sizeof(pkhex))
	       : VG_ESTORE;
	if (!rc)
		rc = vg__unhex(pkhex, pk, 32);
	if (!rc && memcmp(sk + 32, pk, 32)) {
		snprintf(err, errlen,
		         "the signing key '%.300s' is not this hub's "
		         "(its public key is not the store's)",
		         path);
		rc = VG_EINVAL;
	} else if (rc) {
		snprintf(err, errlen,
		         "the hub's public key is missing or damaged");
	}
	if (rc)
		sodium_memzero(sk, 64);
	return rc;
}

/* fsync the directory of path, so that a file just created in it stays. */
static void sync_dir(const char *path)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash == dir)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		snprintf(dir, sizeof(dir), ".");
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* Append line to path in one write (O_APPEND: several writers never mix
 * their lines) and fsync it; 0, or -1 with errno. Never rewrites. */
static int append_line(const char *path, const char *line)
{
	struct stat st;
	int existed = stat(path, &st) == 0;
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	size_t n = strlen(line), done = 0;
	while (done < n) {
		ssize_t k = write(fd, line + done, n - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		done += (size_t)k;
	}
	int ok = done == n && fsync(fd) == 0;
	int e = errno;
	close(fd);
	if (ok && !existed)
		sync_dir(path);
	errno = e;
	return ok ? 0 : -1;
}

/* The head of a signed checkpoint, outside the store: the heads file and,
 * when asked, the syslog (which can carry it off the machine). */
static int record_head(struct vg_service *svc, const struct vg_checkpoint *c,
                       char *err, size_t errlen)
{
	char line[VG_HEAD_LINE_LEN];
	vg_checkpoint_head_line(c, line);
	if (svc->conf.checkpoint_syslog)
		syslog(LOG_AUTH | LOG_NOTICE, "%s%.*s", VG_HEAD_SYSLOG_TAG,
		       (int)strlen(line) - 1, line);
	if (!svc->heads || !append_line(svc->heads, line))
		return VG_OK;
	snprintf(err, errlen,
	         "checkpoint at entry %lld is signed, but its head "
	         "could not be appended to '%.300s' (%s); the line "
	         "is: %.*s",
	         (long long)c->seq, svc->heads, strerror(errno),
	         (int)strlen(line) - 1, line);
	return VG_EIO;
}

struct sign_job {
	const struct vg_ctx *c;
	const char *detail;
	const unsigned char *sk;
	struct vg_checkpoint cp;
	unsigned char sig[VG_SIG_LEN];
};

static int sign_fn(struct vg_store *s, void *arg)
{
	struct sign_job *j = arg;
	int rc = vg__audit(s, j->c, "audit.checkpoint", "", j->detail);
	/* the head now includes the entry that records this checkpoint */
	if (!rc)
		rc = s->ops->audit->head(s, &j->cp.seq, j->cp.head);
	j->cp.ts = vg__now_us();
	if (!rc)
		rc = vg_checkpoint_sign(j->cp.seq, j->cp.head, j->cp.ts, j->sk,
		                        j->sig);
	j->cp.sig = j->sig;
	if (!rc)
		rc = s->ops->audit->checkpoint_add(s, &j->cp);
	return rc;
}

/* Sign a checkpoint for c (detail: its entry's) and record its head. */
static int checkpoint(struct vg_ctx *c, const char *detail, int64_t *seq,
                      char *err, size_t errlen)
{
	struct vg_service *svc = c->svc;
	unsigned char sk[64];
	int rc = read_signing_key(svc, sk, err, errlen);
	if (rc)
		return rc;
	struct sign_job j = {.c = c, .detail = detail, .sk = sk};
	rc = vg__write(svc, sign_fn, &j);
	sodium_memzero(sk, sizeof(sk));
	if (rc)
		return rc;
	pthread_mutex_lock(&svc->mu);
	svc->cp.seq = j.cp.seq;
	svc->cp.us = j.cp.ts;
	pthread_mutex_unlock(&svc->mu);
	*seq = j.cp.seq;
	/* after the commit: a head in the file is always one in the store */
	return record_head(svc, &j.cp, err, errlen);
}

int vg_audit_checkpoint(struct vg_ctx *c, int64_t *seq, char *err,
                        size_t errlen)
{
	err[0] = '\0';
	/* the signing key is on the hub's machine: the operator's */
	if (!c->p.operator)
		return vg__deny(c, "operator", "audit.checkpoint");
	return checkpoint(c, "{}", seq, err, errlen);
}

static int last_checkpoint(void *ud, const struct vg_checkpoint *c)
{
	struct vg_checkpoint *last = ud;
	if (c->seq > last->seq) {
		last->seq = c->seq;
		last->ts = c->ts;
	}
	return VG_OK;
}

int vg_audit_checkpoint_auto(struct vg_ctx *c, int64_t *seq, char *err,
                             size_t errlen)
{
	struct vg_service *svc = c->svc;
	int64_t every = svc->conf.checkpoint_entries;
	int64_t secs = svc->conf.checkpoint_seconds;
	int64_t now = vg__now_us(), head;
	unsigned char hash[VG_HASH_LEN];
	const char *why = NULL;
	int rc;
	*seq = 0;
	err[0] = '\0';
	if (!c->p.operator)
		return vg__deny(c, "operator", "audit.checkpoint");
	if (every <= 0 && secs <= 0)
		return VG_OK;
	struct vg_store *s = vg__reader(svc);
	if (!s)
		return VG_ESTORE;
	pthread_mutex_lock(&svc->mu);
	int known = svc->cp.known;
	pthread_mutex_unlock(&svc->mu);
	if (!known) {
		/* the time counts from the last checkpoint, or from now: a
		 * hub never checkpointed is not signed the moment it starts */
		struct vg_checkpoint last = {0};
		rc = s->ops->audit->checkpoint_list(s, last_checkpoint, &last);
		if (rc)
			return rc;
		pthread_mutex_lock(&svc->mu);
		svc->cp.known = 1;
		svc->cp.seq = last.seq;
		svc->cp.us = last.ts > now ? last.ts : now;
		pthread_mutex_unlock(&svc->mu);
	}
	rc = s->ops->audit->head(s, &head, hash);
	if (rc)
		return rc;
	pthread_mutex_lock(&svc->mu);
	int64_t cp_seq = svc->cp.seq, cp_us = svc->cp.us;
	int waiting = now < svc->cp.retry_us;
	pthread_mutex_unlock(&svc->mu);
	if (waiting)
		return VG_OK;
	if (every > 0 && head - cp_seq >= every)
		why = "{\"trigger\":\"entries\"}";
	else if (secs > 0 && head > cp_seq && now - cp_us >= secs * 1000000)
		why = "{\"trigger\":\"seconds\"}";
	if (!why)
		return VG_OK;
	rc = checkpoint(c, why, seq, err, errlen);
	if (rc && !*seq) {
		/* not signed: try again later, not every second */
		int64_t wait = secs > 0 && secs < 60 ? secs : 60;
		pthread_mutex_lock(&svc->mu);
		svc->cp.retry_us = now + wait * 1000000;
		pthread_mutex_unlock(&svc->mu);
	}
	return rc;
}

/* 1 when path names a file inside dir (both resolved). */
static int inside(const char *path, const char *dir)
{
	char p[PATH_MAX], d[PATH_MAX];
	if (!realpath(path, p) || !realpath(dir, d))
		return 0;
	size_t n = strlen(d);
	return !strncmp(p, d, n) && p[n] == '/';
}

int vg_audit_checkpoint_ready(struct vg_ctx *c, char *note, size_t notelen,
                              char *err, size_t errlen)
{
	struct vg_service *svc = c->svc;
	unsigned char sk[64];
	note[0] = '\0';
	err[0] = '\0';
	if (!c->p.operator)
		return vg__deny(c, "operator", "audit.checkpoint");
	int rc = read_signing_key(svc, sk, err, errlen);
	sodium_memzero(sk, sizeof(sk));
	if (rc || !svc->heads)
		return rc;
	int fd =
	    open(svc->heads, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, errlen,
		         "cannot append to the checkpoint heads file "
		         "'%.300s': %s",
		         svc->heads, strerror(errno));
		return VG_EIO;
	}
	close(fd);
	if (svc->key_dir && inside(svc->heads, svc->key_dir))
		snprintf(
		    note, notelen,
		    "checkpoint heads go to '%.300s', in the data directory, "
		    "where whoever can cut the log can cut them too: set "
		    "checkpoint_heads to a file on another disk or an "
		    "append-only one",
		    svc->heads);
	return VG_OK;
}
