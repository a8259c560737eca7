/* The webhook sender of `vigil serve`: one thread that POSTs each due
 * delivery (the service gives the body, as the watcher may see the
 * alert, and its HMAC-SHA256 signature) with libcurl, and reports the
 * outcome; the service retries with backoff and puts every attempt on
 * record. Woken by new alerts, else once a second. */
#include "warn_http.h"
#include "vigil/service/warn.h"
#include "vigil/util/error.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static pthread_t thread;
static int running, stop, poked;
static struct vg_service *svc;

static void poke(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mu);
	poked = 1;
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&mu);
}

static size_t discard(char *p, size_t size, size_t n, void *ud)
{
	(void)p;
	(void)ud;
	return size * n;
}

static int deliver(void *ud, const struct vg_webhook *h)
{
	CURL *c = ud;
	char sig[96], ts[64], alert[64], err[CURL_ERROR_SIZE] = "";
	struct curl_slist *hdr = NULL;
	long status = 0;
	snprintf(sig, sizeof(sig), "X-Vigil-Signature: %s", h->signature);
	snprintf(ts, sizeof(ts), "X-Vigil-Timestamp: %s", h->timestamp);
	snprintf(alert, sizeof(alert), "X-Vigil-Alert: %lld",
	         (long long)h->alert);
	hdr = curl_slist_append(hdr, "Content-Type: application/json");
	hdr = curl_slist_append(hdr, sig);
	hdr = curl_slist_append(hdr, ts);
	hdr = curl_slist_append(hdr, alert);
	hdr = curl_slist_append(hdr, "Expect:");
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, h->url);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, h->body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)h->len);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "vigil-webhook/1");
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
	CURLcode rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(hdr);
	int ok = rc == CURLE_OK && status >= 200 && status < 300;
	char why[CURL_ERROR_SIZE + 40];
	if (rc != CURLE_OK)
		snprintf(why, sizeof(why), "%s",
		         err[0] ? err : curl_easy_strerror(rc));
	else
		snprintf(why, sizeof(why), "HTTP %ld", status);
	vg_webhook_done(svc, h, ok, ok ? NULL : why);
	return 0;
}

static void *loop(void *arg)
{
	CURL *c = curl_easy_init();
	(void)arg;
	pthread_mutex_lock(&mu);
	while (!stop) {
		if (!poked) {
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += 1;
			pthread_cond_timedwait(&cond, &mu, &until);
		}
		poked = 0;
		if (stop)
			break;
		pthread_mutex_unlock(&mu);
		if (c)
			vg_webhooks_due(svc, 50, deliver, c);
		pthread_mutex_lock(&mu);
	}
	pthread_mutex_unlock(&mu);
	curl_easy_cleanup(c);
	return NULL;
}

int vg__webhooks_start(struct vg_http *h)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT))
		return VG_EINTERNAL;
	svc = h->svc;
	stop = 0;
	if (pthread_create(&thread, NULL, loop, NULL)) {
		curl_global_cleanup();
		return VG_ENOMEM;
	}
	running = 1;
	vg_warn_listen(svc, poke, NULL);
	return VG_OK;
}

void vg__webhooks_stop(void)
{
	if (!running)
		return;
	vg_warn_unlisten(svc, poke, NULL);
	pthread_mutex_lock(&mu);
	stop = 1;
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&mu);
	pthread_join(thread, NULL);
	running = 0;
	curl_global_cleanup();
}
