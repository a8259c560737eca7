/* Server settings: defaults and "key = value" parsing (vigil.conf, the
 * environment and flags all go through vg_server_conf_set). Pure. */
#include "vigil/conf/server_conf.h"
#include "vigil/util/error.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void vg_server_conf_defaults(struct vg_server_conf *c, const char *data)
{
	memset(c, 0, sizeof(*c));
	c->data = data;
	snprintf(c->listen, sizeof(c->listen), "127.0.0.1:8080");
	c->threads = 4;
	c->max_content_length = 16u << 20;
	c->max_header_bytes = 16u << 10;
	c->max_url_length = 4096;
	c->connection_limit = 1024;
	c->per_ip_limit = 64;
	c->idle_timeout = 30;
	c->status_ttl_hours = 24;
	c->commit_wait_us = 1000;
	c->checkpoint_entries = 10000;
	c->checkpoint_seconds = 300;
	c->session_idle_seconds = 1800;
	c->session_max_seconds = 43200;
}

static const char *const keys[] = {
	"listen", "threads", "tls_cert", "tls_key", "max_content_length",
	"max_header_bytes", "max_url_length", "connection_limit",
	"per_ip_connection_limit", "idle_timeout", "purpose_required",
	"status_ttl_hours", "commit_wait_us", "checkpoint_entries",
	"checkpoint_seconds", "checkpoint_heads", "checkpoint_syslog",
	"signing_key", "session_idle_seconds", "session_max_seconds",
};

const char *vg_server_conf_key(size_t i)
{
	return i < sizeof(keys) / sizeof(keys[0]) ? keys[i] : NULL;
}

static int boolean(const char *key, const char *v, int *out, char *err,
		   size_t errlen)
{
	if (!strcasecmp(v, "true") || !strcmp(v, "1") || !strcasecmp(v, "yes"))
		*out = 1;
	else if (!strcasecmp(v, "false") || !strcmp(v, "0") ||
		 !strcasecmp(v, "no"))
		*out = 0;
	else {
		snprintf(err, errlen, "'%s': '%s' is not true or false", key, v);
		return VG_EINVAL;
	}
	return VG_OK;
}

static int num(const char *key, const char *v, unsigned long long lo,
	       unsigned long long hi, unsigned long long *out, char *err,
	       size_t errlen)
{
	char *end;
	unsigned long long n = strtoull(v, &end, 10);
	if (!*v || *end || *v == '-' || n < lo || n > hi) {
		snprintf(err, errlen, "'%s': '%s' is not a number from %llu to %llu",
			 key, v, lo, hi);
		return VG_EINVAL;
	}
	*out = n;
	return VG_OK;
}

static int text(const char *key, const char *v, char *out, size_t n, char *err,
		size_t errlen)
{
	if (strlen(v) >= n) {
		snprintf(err, errlen, "'%s': value longer than %zu characters", key,
			 n - 1);
		return VG_EINVAL;
	}
	snprintf(out, n, "%s", v);
	return VG_OK;
}

int vg_server_conf_set(struct vg_server_conf *c, const char *key,
		       const char *v, char *err, size_t errlen)
{
	unsigned long long n;
	int rc;
	if (!strcmp(key, "listen"))
		return text(key, v, c->listen, sizeof(c->listen), err, errlen);
	if (!strcmp(key, "tls_cert"))
		return text(key, v, c->tls_cert, sizeof(c->tls_cert), err, errlen);
	if (!strcmp(key, "tls_key"))
		return text(key, v, c->tls_key, sizeof(c->tls_key), err, errlen);
	if (!strcmp(key, "checkpoint_heads"))
		return text(key, v, c->checkpoint_heads, sizeof(c->checkpoint_heads),
			    err, errlen);
	if (!strcmp(key, "signing_key"))
		return text(key, v, c->signing_key, sizeof(c->signing_key), err,
			    errlen);
	if (!strcmp(key, "purpose_required"))
		return boolean(key, v, &c->purpose_required, err, errlen);
	if (!strcmp(key, "checkpoint_syslog"))
		return boolean(key, v, &c->checkpoint_syslog, err, errlen);
	static const struct {
		const char *key;
		unsigned long long lo, hi;
	} nums[] = {
		{"threads", 1, 512},
		{"max_content_length", 1024, 1ull << 32},
		{"max_header_bytes", 1024, 1u << 20},
		{"max_url_length", 64, 1u << 16},
		{"connection_limit", 1, 1000000},
		{"per_ip_connection_limit", 1, 1000000},
		{"idle_timeout", 1, 86400},
		{"status_ttl_hours", 24, 24 * 365},
		{"commit_wait_us", 0, 100000},
		{"checkpoint_entries", 0, 1000000000},
		{"checkpoint_seconds", 0, 86400},
		{"session_idle_seconds", 1, 86400},
		{"session_max_seconds", 60, 30 * 86400},
	};
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		if (strcmp(key, nums[i].key))
			continue;
		rc = num(key, v, nums[i].lo, nums[i].hi, &n, err, errlen);
		if (rc)
			return rc;
		switch (i) {
		case 0: c->threads = (int)n; break;
		case 1: c->max_content_length = (size_t)n; break;
		case 2: c->max_header_bytes = (size_t)n; break;
		case 3: c->max_url_length = (size_t)n; break;
		case 4: c->connection_limit = (unsigned)n; break;
		case 5: c->per_ip_limit = (unsigned)n; break;
		case 6: c->idle_timeout = (unsigned)n; break;
		case 7: c->status_ttl_hours = (unsigned)n; break;
		case 8: c->commit_wait_us = (unsigned)n; break;
		case 9: c->checkpoint_entries = n; break;
		case 10: c->checkpoint_seconds = (unsigned)n; break;
		case 11: c->session_idle_seconds = (unsigned)n; break;
		case 12: c->session_max_seconds = (unsigned)n; break;
		}
		return VG_OK;
	}
	snprintf(err, errlen, "unknown setting '%s'", key);
	return VG_EINVAL;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int vg_server_conf_parse(struct vg_server_conf *c, const char *text_in,
			 char *err, size_t errlen)
{
	char line[1024];
	int lineno = 0;
	const char *p = text_in;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		lineno++;
		if (len >= sizeof(line)) {
			snprintf(err, errlen, "line %d: longer than %zu characters",
				 lineno, sizeof(line) - 1);
			return VG_EINVAL;
		}
		memcpy(line, p, len);
		line[len] = '\0';
		p += len + (nl ? 1 : 0);
		char *s = trim(line);
		if (!*s || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			snprintf(err, errlen, "line %d: expected 'key = value'", lineno);
			return VG_EINVAL;
		}
		*eq = '\0';
		char msg[300];
		if (vg_server_conf_set(c, trim(s), trim(eq + 1), msg, sizeof(msg))) {
			snprintf(err, errlen, "line %d: %s", lineno, msg);
			return VG_EINVAL;
		}
	}
	return VG_OK;
}
