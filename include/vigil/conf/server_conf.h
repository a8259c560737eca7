/* The server's settings: defaults, and the "key = value" lines of a
 * vigil.conf, parsed without I/O (docs/configuration.md lists them). */
#ifndef VIGIL_CONF_SERVER_CONF_H
#define VIGIL_CONF_SERVER_CONF_H

#include <stddef.h>
#include <stdint.h>

struct vg_server_conf {
	const char *data;        /* the store */
	/* a store without a directory (PostgreSQL): where its files are
	 * (signing key, heads file, vigil.conf); NULL none */
	const char *key_dir;
	char listen[128];        /* ADDR:PORT, default 127.0.0.1:8080 */
	int threads;             /* worker threads, default 4 */
	char tls_cert[512];      /* PEM files; both or neither */
	char tls_key[512];
	size_t max_content_length; /* request bodies, default 16 MiB */
	size_t max_header_bytes;   /* request line and headers, default 16 KiB */
	size_t max_url_length;     /* default 4096 */
	unsigned connection_limit; /* default 1024 */
	unsigned per_ip_limit;     /* connections per client address, 64 */
	unsigned idle_timeout;     /* seconds, default 30 */
	int purpose_required;      /* X-Vigil-Purpose on every read */
	unsigned status_ttl_hours; /* status resources live, default 24 */
	unsigned commit_wait_us;   /* group commit gathering, default 1000 */
	/* audit checkpoints: signed automatically after this many entries
	 * (default 10000) or seconds (default 300; 0: never by that) */
	unsigned long long checkpoint_entries;
	unsigned checkpoint_seconds;
	char checkpoint_heads[512]; /* heads file; "": DATA/audit-heads.log */
	int checkpoint_syslog;      /* heads to the syslog too */
	char signing_key[512];      /* "": DATA/hub-signing.key */
	size_t max_envelope_objects;  /* objects in one TAXII POST, 10,000 */
	size_t max_screen_travellers; /* records in one screening, 10,000 */
	size_t screen_per_minute;     /* records a user screens a minute,
				       * 60,000 */
	/* console sessions: idle limit and lifetime, seconds (default 1800
	 * and 43200) */
	unsigned session_idle_seconds;
	unsigned session_max_seconds;
	unsigned read_cache_mb;    /* pages kept on a shared database */
	int print_ready;           /* print the URL when listening */
	/* the hub's URL as its clients reach it, without a trailing '/'
	 * ("https://hub.example.org"): discovery's URLs are made from it
	 * instead of the request's Host; "" none */
	char public_url[256];
	/* the reverse proxies whose X-Forwarded-For, -Proto and -Host are
	 * believed: addresses or networks (CIDR), at most
	 * VG_MAX_TRUSTED_PROXIES */
	struct vg_net {
		int family; /* AF_INET, AF_INET6 */
		unsigned char addr[16];
		unsigned bits;
	} proxies[16];
	size_t n_proxies;
};

#define VG_MAX_TRUSTED_PROXIES 16

void vg_server_conf_defaults(struct vg_server_conf *c, const char *data);
/* Apply "key = value" lines (a vigil.conf) to c. VG_EINVAL with the line
 * and reason in err. Pure. */
int vg_server_conf_parse(struct vg_server_conf *c, const char *text,
			 char *err, size_t errlen);
/* Apply one setting by its key (as in vigil.conf). */
int vg_server_conf_set(struct vg_server_conf *c, const char *key,
		       const char *value, char *err, size_t errlen);
/* The i-th setting's key (from 0; NULL past the last): what VIGIL_<KEY>
 * variables can set. */
const char *vg_server_conf_key(size_t i);
/* 1 when addr (an IPv4 or IPv6 address as text) is one of the trusted
 * proxies or in one of their networks. Pure. */
int vg_server_conf_trusted(const struct vg_server_conf *c, const char *addr);

#endif
