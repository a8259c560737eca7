/* Behind a reverse proxy: the client's address from X-Forwarded-For, and
 * the scheme and host it used from X-Forwarded-Proto and -Host, believed
 * only from the addresses of trusted_proxies; the hub's own URL from
 * public_url when set. And the warning for plain HTTP off loopback. */
#include "http_int.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

/* An address as text, checked ("" when s is none). */
static void addr_of(const char *s, size_t n, char *out, size_t cap)
{
	unsigned char bin[16];
	char a[64];
	out[0] = '\0';
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (!n || n >= sizeof(a))
		return;
	memcpy(a, s, n);
	a[n] = '\0';
	if (inet_pton(AF_INET, a, bin) == 1 || inet_pton(AF_INET6, a, bin) == 1)
		snprintf(out, cap, "%s", a);
}

void vg__forwarded(struct req *r)
{
	const struct vg_server_conf *c = r->h->conf;
	if (!c->n_proxies || !vg_server_conf_trusted(c, r->source))
		return;
	r->proxied = 1;
	const char *xff = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	                                              "X-Forwarded-For");
	if (!xff)
		return;
	/* from the right: each proxy appends the address it was reached
	 * from; the first one that is not a trusted proxy is the client */
	const char *end = xff + strlen(xff);
	char a[64] = "";
	while (end > xff) {
		const char *comma = end;
		while (comma > xff && comma[-1] != ',')
			comma--;
		addr_of(comma, (size_t)(end - comma), a, sizeof(a));
		if (!a[0])
			return; /* not an address: keep the proxy's */
		if (!vg_server_conf_trusted(c, a))
			break;
		end = comma > xff ? comma - 1 : xff;
	}
	if (a[0])
		snprintf(r->source, sizeof(r->source), "%s", a);
}

/* A header value fit for a URL's host or scheme: letters, digits and
 * ".-:[]" only. */
static int plain(const char *s, size_t max)
{
	if (!s || !*s || strlen(s) > max)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr(".-:[]", *s))
			return 0;
	return 1;
}

void vg__root_url(struct req *r, char *out, size_t n)
{
	const char *host = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	                                               MHD_HTTP_HEADER_HOST);
	const char *scheme = r->h->tls ? "https" : "http";
	if (r->h->conf->public_url[0]) {
		snprintf(out, n, "%s" TAXII_ROOT, r->h->conf->public_url);
		return;
	}
	if (r->proxied) {
		const char *p = MHD_lookup_connection_value(
		    r->conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
		const char *h = MHD_lookup_connection_value(
		    r->conn, MHD_HEADER_KIND, "X-Forwarded-Host");
		if (p && (!strcmp(p, "https") || !strcmp(p, "http")))
			scheme = p;
		if (plain(h, 200))
			host = h;
	}
	if (plain(host, 200))
		snprintf(out, n, "%s://%s" TAXII_ROOT, scheme, host);
	else
		snprintf(out, n, TAXII_ROOT);
}

void vg__warn_plain(const struct vg_server_conf *c, const void *sa)
{
	const struct sockaddr_storage *ss = sa;
	int loopback = 0;
	if (c->tls_cert[0])
		return;
	if (ss->ss_family == AF_INET)
		loopback =
		    (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >>
		     24) == 127;
	else if (ss->ss_family == AF_INET6)
		loopback = IN6_IS_ADDR_LOOPBACK(
		    &((const struct sockaddr_in6 *)sa)->sin6_addr);
	if (!loopback)
		fprintf(stderr,
		        "vigil serve: warning: plain HTTP on %s, which is "
		        "not a loopback address: API keys cross the "
		        "network in clear. Set tls_cert and tls_key, or "
		        "listen on 127.0.0.1 behind a TLS proxy "
		        "(docs/configuration.md)\n",
		        c->listen);
}
