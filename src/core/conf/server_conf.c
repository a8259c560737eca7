/* Server settings: defaults and "key = value" parsing (vigil.conf, the
 * environment and flags all go through vg_server_conf_set). Pure. */
#include "vigil/conf/server_conf.h"
#include "vigil/util/error.h"
#include "vigil/util/num.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stddef.h>
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
	c->max_envelope_objects = 10000;
	c->max_screen_travellers = 10000;
	c->screen_per_minute = 60000;
	c->session_idle_seconds = 1800;
	c->session_max_seconds = 43200;
	c->read_cache_mb = 64;
}

static const char *const keys[] = {
	"listen", "threads", "tls_cert", "tls_key", "max_content_length",
	"max_header_bytes", "max_url_length", "connection_limit",
	"per_ip_connection_limit", "idle_timeout", "purpose_required",
	"status_ttl_hours", "commit_wait_us", "checkpoint_entries",
	"checkpoint_seconds", "checkpoint_heads", "checkpoint_syslog",
	"signing_key", "max_objects_per_envelope", "max_screen_travellers",
	"screen_travellers_per_minute", "public_url", "trusted_proxies",
	"session_idle_seconds", "session_max_seconds", "read_cache_mb",
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
	uint64_t n;
	if (vg_num_uint(v, lo, hi, &n)) {
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

/* "https://host[:port][/path]" without query or fragment; the trailing
 * '/' is dropped. */
static int public_url(struct vg_server_conf *c, const char *v, char *err,
		      size_t errlen)
{
	size_t n = strlen(v);
	const char *host = !strncmp(v, "https://", 8)  ? v + 8
			   : !strncmp(v, "http://", 7) ? v + 7
						       : NULL;
	if (!n) {
		c->public_url[0] = '\0';
		return VG_OK;
	}
	while (n && v[n - 1] == '/')
		n--;
	if (!host || !*host || *host == '/' || strpbrk(v, "?# \t\"<>\\") ||
	    n >= sizeof(c->public_url)) {
		snprintf(err, errlen, "'public_url': '%s' is not an http:// or "
				      "https:// URL (as 'https://hub.example.org', "
				      "at most %zu characters, no query)",
			 v, sizeof(c->public_url) - 1);
		return VG_EINVAL;
	}
	memcpy(c->public_url, v, n);
	c->public_url[n] = '\0';
	return VG_OK;
}

/* One address or network: "192.0.2.10", "10.0.0.0/8", "::1", "fd00::/8". */
static int parse_net(const char *s, struct vg_net *out)
{
	char a[64];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	if (!n || n >= sizeof(a))
		return -1;
	memcpy(a, s, n);
	a[n] = '\0';
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, a, out->addr) == 1) {
		out->family = AF_INET;
		out->bits = 32;
	} else if (inet_pton(AF_INET6, a, out->addr) == 1) {
		out->family = AF_INET6;
		out->bits = 128;
	} else {
		return -1;
	}
	if (slash) {
		char *end;
		unsigned long b = strtoul(slash + 1, &end, 10);
		if (!slash[1] || *end || b > out->bits)
			return -1;
		out->bits = (unsigned)b;
	}
	return 0;
}

static int trusted_proxies(struct vg_server_conf *c, const char *v, char *err,
			   size_t errlen)
{
	char list[1024], *save = NULL;
	size_t n = 0;
	struct vg_net nets[VG_MAX_TRUSTED_PROXIES];
	if (strlen(v) >= sizeof(list)) {
		snprintf(err, errlen, "'trusted_proxies': longer than %zu "
				      "characters", sizeof(list) - 1);
		return VG_EINVAL;
	}
	snprintf(list, sizeof(list), "%s", v);
	for (char *t = strtok_r(list, ", ", &save); t;
	     t = strtok_r(NULL, ", ", &save)) {
		if (n == VG_MAX_TRUSTED_PROXIES) {
			snprintf(err, errlen, "'trusted_proxies': more than %d "
					      "addresses or networks",
				 VG_MAX_TRUSTED_PROXIES);
			return VG_EINVAL;
		}
		if (parse_net(t, &nets[n++])) {
			snprintf(err, errlen, "'trusted_proxies': '%s' is not an "
					      "address or a network (192.0.2.10, "
					      "10.0.0.0/8, ::1, fd00::/8)",
				 t);
			return VG_EINVAL;
		}
	}
	memcpy(c->proxies, nets, n * sizeof(nets[0]));
	c->n_proxies = n;
	return VG_OK;
}

int vg_server_conf_trusted(const struct vg_server_conf *c, const char *addr)
{
	struct vg_net a;
	if (!addr || parse_net(addr, &a) || strchr(addr, '/'))
		return 0;
	for (size_t i = 0; i < c->n_proxies; i++) {
		const struct vg_net *p = &c->proxies[i];
		if (p->family != a.family)
			continue;
		unsigned full = p->bits / 8, rest = p->bits % 8;
		if (memcmp(p->addr, a.addr, full))
			continue;
		if (rest && (p->addr[full] ^ a.addr[full]) &
				    (unsigned char)(0xff << (8 - rest)))
			continue;
		return 1;
	}
	return 0;
}

int vg_server_conf_set(struct vg_server_conf *c, const char *key,
		       const char *v, char *err, size_t errlen)
{
	unsigned long long n;
	int rc;
	if (!strcmp(key, "public_url"))
		return public_url(c, v, err, errlen);
	if (!strcmp(key, "trusted_proxies"))
		return trusted_proxies(c, v, err, errlen);
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
	/* each numeric setting: its range and where it goes */
#define NUM(k, lo, hi, field)                                                \
	{k, lo, hi, offsetof(struct vg_server_conf, field),                   \
	 sizeof(((struct vg_server_conf *)0)->field)}
	static const struct {
		const char *key;
		unsigned long long lo, hi;
		size_t off, size;
	} nums[] = {
		NUM("threads", 1, 512, threads),
		NUM("max_content_length", 1024, 1ull << 32, max_content_length),
		NUM("max_header_bytes", 1024, 1u << 20, max_header_bytes),
		NUM("max_url_length", 64, 1u << 16, max_url_length),
		NUM("connection_limit", 1, 1000000, connection_limit),
		NUM("per_ip_connection_limit", 1, 1000000, per_ip_limit),
		NUM("idle_timeout", 1, 86400, idle_timeout),
		NUM("status_ttl_hours", 24, 24 * 365, status_ttl_hours),
		NUM("commit_wait_us", 0, 100000, commit_wait_us),
		NUM("checkpoint_entries", 0, 1000000000, checkpoint_entries),
		NUM("checkpoint_seconds", 0, 86400, checkpoint_seconds),
		NUM("max_objects_per_envelope", 1, 100000, max_envelope_objects),
		NUM("max_screen_travellers", 1, 1000000, max_screen_travellers),
		NUM("screen_travellers_per_minute", 1, 100000000,
		    screen_per_minute),
		NUM("session_idle_seconds", 1, 86400, session_idle_seconds),
		NUM("session_max_seconds", 60, 30 * 86400, session_max_seconds),
		NUM("read_cache_mb", 0, 65536, read_cache_mb),
	};
#undef NUM
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		if (strcmp(key, nums[i].key))
			continue;
		rc = num(key, v, nums[i].lo, nums[i].hi, &n, err, errlen);
		if (rc)
			return rc;
		/* every range fits the field it goes to: 64 bits (size_t,
		 * unsigned long long) or 32 (int, unsigned) */
		_Static_assert(sizeof(size_t) == sizeof(unsigned long long),
			       "size_t settings are copied as 64 bits");
		char *f = (char *)c + nums[i].off;
		if (nums[i].size == sizeof(unsigned long long)) {
			unsigned long long x = n;
			memcpy(f, &x, sizeof(x));
		} else {
			unsigned x = (unsigned)n;
			memcpy(f, &x, sizeof(x));
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
