/* HTTP for the sync front, on libcurl: TLS verification always on (a CA
 * file for private PKIs, a client certificate for mutual TLS), timeouts on
 * connect and on every read, bodies capped, the credential sent as Bearer
 * or Basic. */
#include "sync_int.h"
#include "vigil/util/error.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define TAXII_ACCEPT "Accept: application/taxii+json;version=2.1"

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	struct vg_http_answer *a = ud;
	if (vg_buf_append(&a->body, p, size * n)) {
		snprintf(
		    a->error, sizeof(a->error),
		    "the answer is larger than %zu bytes (oversized envelope)",
		    (size_t)VG_SYNC_MAX_BODY);
		return 0; /* stops the transfer */
	}
	return size * n;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
	struct vg_http_answer *a = ud;
	size_t len = size * n;
	static const char name[] = "X-TAXII-Date-Added-Last:";
	if (len > sizeof(name) && !strncasecmp(p, name, sizeof(name) - 1)) {
		const char *v = p + sizeof(name) - 1;
		size_t k = len - (sizeof(name) - 1);
		while (k && (*v == ' ' || *v == '\t'))
			v++, k--;
		while (k && (v[k - 1] == '\r' || v[k - 1] == '\n' ||
		             v[k - 1] == ' '))
			k--;
		if (k < sizeof(a->date_last)) {
			memcpy(a->date_last, v, k);
			a->date_last[k] = '\0';
		}
	}
	return len;
}

void vg__sync_answer_release(struct vg_http_answer *a)
{
	vg_buf_release(&a->body);
}

int vg__sync_get(const struct vg_partner_conn *pc, const char *url,
                 struct vg_http_answer *a)
{
	return vg__sync_post(pc, url, NULL, 0, a);
}

int vg__sync_post(const struct vg_partner_conn *pc, const char *url,
                  const char *body, size_t len, struct vg_http_answer *a)
{
	char auth[1200] = "";
	struct curl_slist *h = NULL;
	memset(a, 0, sizeof(*a));
	vg_buf_init(&a->body, VG_SYNC_MAX_BODY);
	CURL *c = curl_easy_init();
	if (!c)
		return VG_ENOMEM;
	h = curl_slist_append(h, TAXII_ACCEPT);
	h = curl_slist_append(h, "X-Vigil-Federation: 1");
	if (!strncmp(pc->secret, "basic ", 6)) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERPWD, pc->secret + 6);
	} else if (pc->secret[0]) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
		         pc->secret);
		h = curl_slist_append(h, auth);
	}
	if (body) {
		h = curl_slist_append(h, "Content-Type: "
		                         "application/taxii+json;version=2.1");
		curl_easy_setopt(c, CURLOPT_POST, 1L);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
		                 (curl_off_t)len);
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "vigil-sync/1");
	/* TLS: verified, always */
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	if (pc->ca[0])
		curl_easy_setopt(c, CURLOPT_CAINFO, pc->ca);
	if (pc->cert[0]) {
		curl_easy_setopt(c, CURLOPT_SSLCERT, pc->cert);
		curl_easy_setopt(c, CURLOPT_SSLKEY, pc->key);
	}
	/* timeouts: connect, and a read that stalls (under 1 byte/s for
	 * 30 s), and the whole exchange */
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME,
	                 (long)(pc->timeout > 0 ? pc->timeout : 30));
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 600L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, a);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, a);
	CURLcode cc = curl_easy_perform(c);
	int rc = VG_OK;
	if (cc != CURLE_OK) {
		if (!a->error[0])
			snprintf(a->error, sizeof(a->error), "%s",
			         curl_easy_strerror(cc));
		rc = VG_EIO;
	} else {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a->status);
	}
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	memset(auth, 0, sizeof(auth));
	return rc;
}
