/* Signals between the processes of one PostgreSQL store: NOTIFY inside
 * the writer's transaction (sent by PostgreSQL at commit, dropped on
 * rollback), LISTEN on a handle kept for it, and a wait on its socket. */
#include "pg_int.h"

#include <poll.h>
#include <string.h>

typedef struct vg__pg pg_t;

/* "vigil_" topic, when topic is [a-z_]{1,40}. */
static int channel(const char *topic, char out[48])
{
	size_t n = strlen(topic);
	if (!n || n > 40 || strspn(topic, "abcdefghijklmnopqrstuvwxyz_") != n)
		return VG_EINVAL;
	snprintf(out, 48, "vigil_%s", topic);
	return VG_OK;
}

int vg__pg_notify(struct vg_store *s, const char *topic)
{
	char ch[48];
	int rc = channel(topic, ch);
	return rc ? rc
	          : vg__pg_queue(vg__pg(s), "SELECT pg_notify($1, '')", "t",
	                         ch);
}

int vg__pg_relisten(struct vg__pg *p)
{
	int rc = VG_OK;
	for (int i = 0; !rc && i < p->n_topics; i++) {
		char sql[64];
		snprintf(sql, sizeof(sql), "LISTEN %s", p->topics[i]);
		rc = vg__pg_exec(p, sql);
	}
	return rc;
}

int vg__pg_listen(struct vg_store *s, const char *topic)
{
	pg_t *p = vg__pg(s);
	char ch[48], sql[64];
	int rc = channel(topic, ch);
	if (rc)
		return rc;
	for (int i = 0; i < p->n_topics; i++)
		if (!strcmp(p->topics[i], ch))
			return VG_OK;
	if (p->n_topics == (int)(sizeof(p->topics) / sizeof(p->topics[0])))
		return VG_ETOOBIG;
	snprintf(sql, sizeof(sql), "LISTEN %s", ch);
	if ((rc = vg__pg_exec(p, sql)))
		return rc;
	memcpy(p->topics[p->n_topics++], ch, sizeof(ch));
	return VG_OK;
}

/* Hand every notification received to heard. */
static int deliver(pg_t *p, void (*heard)(void *, const char *), void *ud)
{
	PGnotify *n;
	int any = 0;
	while ((n = PQnotifies(p->conn))) {
		const char *t = strncmp(n->relname, "vigil_", 6)
		                    ? n->relname
		                    : n->relname + 6;
		heard(ud, t);
		PQfreemem(n);
		any = 1;
	}
	return any;
}

int vg__pg_wait(struct vg_store *s, int ms,
                void (*heard)(void *ud, const char *topic), void *ud)
{
	pg_t *p = vg__pg(s);
	unsigned before = p->connections;
	if (PQstatus(p->conn) != CONNECTION_OK || !PQconsumeInput(p->conn)) {
		/* a lost connection: make it again (listening again) and say
		 * that anything may have changed meanwhile */
		int rc = vg__pg_reconnect(p);
		if (rc)
			return rc;
	}
	if (p->connections != before) {
		heard(ud, "*");
		return VG_OK;
	}
	if (deliver(p, heard, ud))
		return VG_OK;
	struct pollfd pfd = {.fd = PQsocket(p->conn), .events = POLLIN};
	if (pfd.fd < 0)
		return vg__pg_fail(p, "listen", NULL);
	if (poll(&pfd, 1, ms) > 0 && !PQconsumeInput(p->conn))
		return vg__pg_fail(p, "listen", NULL);
	deliver(p, heard, ud);
	return VG_OK;
}
