/* One push round with a partner: the envelopes of what may go to it,
 * posted to its collection, each status resource polled until complete
 * (failures per object go on record); the push cursor moves only after the
 * partner answered for an envelope, so a crash sends it again (the
 * partner counts it as already present). */
#include "sync_int.h"
#include "vigil/sync/sync.h"
#include "vigil/util/error.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ENVELOPE 1000

static void nap_ms(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&t, NULL);
}

/* The status of a POST, polled until it is complete (at most a minute). */
static int complete(const struct vg_partner_conn *pc, struct vg_http_answer *a,
                    char **status, char *err, size_t errlen)
{
	cJSON *st = cJSON_ParseWithLength(a->body.data ? a->body.data : "",
	                                  a->body.len);
	int rc = VG_OK;
	for (long wait = 100, total = 0;;
	     wait = wait < 5000 ? wait * 2 : wait) {
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(st, "id");
		const cJSON *s = cJSON_GetObjectItemCaseSensitive(st, "status");
		if (!cJSON_IsString(id) || !cJSON_IsString(s)) {
			snprintf(err, errlen,
			         "the partner's answer is not a status");
			rc = VG_EIO;
			break;
		}
		if (!strcmp(s->valuestring, "complete"))
			break;
		if (total > 60000) {
			snprintf(err, errlen,
			         "status %.60s still pending after a "
			         "minute",
			         id->valuestring);
			rc = VG_EIO;
			break;
		}
		nap_ms(wait);
		total += wait;
		char url[1400];
		char *esc = curl_easy_escape(NULL, id->valuestring, 0);
		struct vg_http_answer b;
		snprintf(url, sizeof(url), "%sstatus/%s/", pc->url,
		         esc ? esc : "");
		curl_free(esc);
		rc = vg__sync_get(pc, url, &b);
		if (!rc && b.status != 200)
			rc = VG_EIO;
		if (rc) {
			snprintf(err, errlen, "status %.60s: %s",
			         id->valuestring,
			         b.error[0] ? b.error : "not readable");
			vg__sync_answer_release(&b);
			break;
		}
		cJSON_Delete(st);
		st = cJSON_ParseWithLength(b.body.data ? b.body.data : "",
		                           b.body.len);
		vg__sync_answer_release(&b);
	}
	if (!rc && !(*status = cJSON_PrintUnformatted(st)))
		rc = VG_ENOMEM;
	cJSON_Delete(st);
	return rc;
}

/* The deletions that may go to a vigil partner, after its cursor. */
static int push_tombstones(struct vg_ctx *c, const struct vg_partner_conn *pc,
                           struct vg_sync_report *r)
{
	char url[1300];
	const char *p = strstr(pc->url, "://");
	const char *slash = p ? strchr(p + 3, '/') : NULL;
	snprintf(url, sizeof(url), "%.*s/api/v1/fed/tombstones",
	         (int)(slash ? slash - pc->url : (long)strlen(pc->url)),
	         pc->url);
	int rc = VG_OK;
	for (int round = 0; !rc && round < 10000; round++) {
		struct vg_buf out;
		struct vg_http_answer a;
		int64_t last = 0;
		size_t n = 0;
		vg_buf_init(&out, 0);
		rc = vg_fed_tomb_outbox(c, 1000, &out, &last, &n);
		if (!rc && n) {
			rc = vg__sync_post(pc, url, out.data, out.len, &a);
			if (!rc && a.status != 200)
				rc = VG_EIO;
			if (rc)
				snprintf(r->error, sizeof(r->error),
				         "tombstones: %.300s (HTTP %ld)",
				         a.error[0] ? a.error : "refused",
				         a.status);
			vg__sync_answer_release(&a);
		}
		cJSON *d = rc ? NULL : cJSON_Parse(out.data);
		int more =
		    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(d, "more"));
		cJSON_Delete(d);
		vg_buf_release(&out);
		/* the cursor moves only when it passed something */
		char cur[64];
		snprintf(cur, sizeof(cur), "%lld", (long long)last);
		if (!rc && (n || more))
			rc = vg_fed_tomb_pushed(c, last);
		r->tombstones += n;
		if (rc || !more)
			break;
	}
	return rc;
}

int vg_sync_push(struct vg_service *svc, const char *name,
                 struct vg_sync_report *r)
{
	struct vg_ctx c;
	struct vg_partner_conn *pc = calloc(1, sizeof(*pc));
	struct vg_buf env;
	memset(r, 0, sizeof(*r));
	if (!pc)
		return VG_ENOMEM;
	int rc = vg_fed_open(svc, name, &c, r->error, sizeof(r->error));
	if (rc) {
		free(pc);
		return rc;
	}
	vg_buf_init(&env, 0);
	rc = vg_partner_conn(&c, name, pc, r->error, sizeof(r->error));
	if (!rc && (!(pc->direction & VG_FED_PUSH) || !pc->secret[0]))
		goto out; /* this hub does not push to it (without a credential
		           * the partner pulls) */
	if (!rc && !pc->hub_id[0]) {
		/* its hub id keeps what came from it from going back */
		rc = vg__sync_learn(&c, pc, r->error, sizeof(r->error));
		vg_partner_conn_wipe(pc);
		if (!rc)
			rc = vg_partner_conn(&c, name, pc, r->error,
			                     sizeof(r->error));
	}
	char url[1400];
	char *esc =
	    curl_easy_escape(NULL, pc->n_remote ? pc->remote[0] : "all", 0);
	snprintf(url, sizeof(url), "%scollections/%s/objects/", pc->url,
	         esc ? esc : "all");
	curl_free(esc);
	while (!rc) {
		int64_t last = 0;
		size_t n = 0;
		vg_buf_reset(&env);
		rc = vg_fed_outbox(&c, ENVELOPE, &env, &last, &n);
		if (rc || !n) {
			/* what stays is passed over once */
			if (!rc && last)
				rc = vg_fed_pushed(&c, last, 0, NULL);
			break;
		}
		struct vg_http_answer a;
		char *status = NULL;
		rc = vg__sync_post(pc, url, env.data, env.len, &a);
		if (rc) {
			snprintf(r->error, sizeof(r->error), "%.300s: %.250s",
			         url, a.error);
		} else if (a.status != 202) {
			snprintf(r->error, sizeof(r->error),
			         "%.300s: HTTP %ld: %.200s", url, a.status,
			         a.body.data ? a.body.data : "");
			rc = VG_EIO;
		} else {
			rc = complete(pc, &a, &status, r->error,
			              sizeof(r->error));
		}
		vg__sync_answer_release(&a);
		if (!rc)
			rc = vg_fed_pushed(&c, last, n, status);
		if (!rc) {
			cJSON *st = cJSON_Parse(status);
			const cJSON *f = cJSON_GetObjectItemCaseSensitive(
			    st, "failure_count");
			r->pages++;
			r->accepted += n;
			r->quarantined +=
			    cJSON_IsNumber(f) ? (size_t)f->valuedouble : 0;
			cJSON_Delete(st);
		}
		free(status);
	}
	if (!rc && pc->hub_id[0])
		rc = push_tombstones(&c, pc, r);
	if (rc && !r->error[0])
		snprintf(r->error, sizeof(r->error), "%s", vg_strerror(rc));
	if (rc || r->pages) {
		/* on record for status; a round with nothing to send is not
		 * (its write would wake the loop again) */
		struct vg_fed_round done = {.error = rc ? r->error : NULL,
		                            .pages = r->pages,
		                            .accepted = r->accepted,
		                            .quarantined = r->quarantined};
		vg_fed_round_done(&c, &done);
	}
out:
	vg_buf_release(&env);
	vg_partner_conn_wipe(pc);
	free(pc);
	vg_ctx_release(&c);
	return rc;
}
