/* One pull round with a partner, by the TAXII 2.1 rules: added_after from
 * the partner's own X-TAXII-Date-Added-Last (never this hub's clock), a
 * small overlap before it re-read (ties, de-duplicated by (id, version) in
 * the store), `next` followed with the original parameters, each page
 * stored with its cursor in one transaction. A server that does not
 * advance, a `next` that never ends, errors and oversized or broken
 * answers end the round with an error; what was stored stays. */
#include "sync_int.h"
#include "vigil/service/partners.h"
#include "vigil/sync/sync.h"
#include "vigil/util/error.h"
#include "vigil/util/timefmt.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PAGES 1000000

/* scheme://host[:port] of the API root, for /.well-known/vigil-hub */
static void origin_of(const char *url, char *out, size_t n)
{
	const char *p = strstr(url, "://");
	const char *slash = p ? strchr(p + 3, '/') : NULL;
	size_t len = slash ? (size_t)(slash - url) : strlen(url);
	snprintf(out, n, "%.*s", (int)len, url);
}

/* A vigil partner says who it is; its id and key are pinned the first
 * time. A plain TAXII server has no such document (404): nothing to pin. */
int vg__sync_learn(struct vg_ctx *c, const struct vg_partner_conn *pc,
		   char *err, size_t errlen)
{
	char url[1200];
	struct vg_http_answer a;
	origin_of(pc->url, url, sizeof(url) - 32);
	strcat(url, "/.well-known/vigil-hub");
	int rc = vg__sync_get(pc, url, &a);
	if (rc) {
		snprintf(err, errlen, "%.300s: %.250s", url, a.error);
		goto out;
	}
	if (a.status != 200) {
		if (pc->hub_id[0]) {
			snprintf(err, errlen, "%.300s: HTTP %ld from a pinned vigil hub",
				 url, a.status);
			rc = VG_EIO;
		}
		goto out;
	}
	cJSON *d = cJSON_ParseWithLength(a.body.data ? a.body.data : "", a.body.len);
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(d, "hub_id");
	const cJSON *nm = cJSON_GetObjectItemCaseSensitive(d, "name");
	const cJSON *pk = cJSON_GetObjectItemCaseSensitive(d, "sign_pk");
	rc = vg_fed_learn(c, cJSON_IsString(id) ? id->valuestring : NULL,
			  cJSON_IsString(nm) ? nm->valuestring : NULL,
			  cJSON_IsString(pk) ? pk->valuestring : NULL, err, errlen);
	cJSON_Delete(d);
out:
	vg__sync_answer_release(&a);
	return rc;
}

static int add_param(char *url, size_t n, const char *name, const char *value)
{
	char *esc = curl_easy_escape(NULL, value, 0);
	if (!esc)
		return VG_ENOMEM;
	size_t len = strlen(url);
	int w = snprintf(url + len, n - len, "%c%s=%s",
			 strchr(url, '?') ? '&' : '?', name, esc);
	curl_free(esc);
	return w < 0 || (size_t)w >= n - len ? VG_ETOOBIG : VG_OK;
}

/* One remote collection, page after page. */
static int pull_collection(struct vg_ctx *c, const struct vg_partner_conn *pc,
			   const char *remote, struct vg_sync_report *r)
{
	char cursor[64], after[VG_TIME_LEN] = "", next[256] = "", prev_next[256] = "";
	char *esc = curl_easy_escape(NULL, remote, 0);
	int rc = vg_fed_cursor(c, remote, cursor);
	if (!esc)
		return VG_ENOMEM;
	if (rc)
		goto out;
	if (cursor[0]) {
		/* the overlap: ties at the cursor's instant are read again */
		int64_t us;
		if (!vg_time_parse_us(cursor, &us))
			vg_time_format_us(us - pc->overlap_us, after);
	}
	for (int pages = 0;; pages++) {
		char url[2048], limit[24];
		struct vg_http_answer a;
		struct vg_fed_page res = {0};
		if (pages == MAX_PAGES) {
			snprintf(r->error, sizeof(r->error), "collection '%s': more "
					   "than %d pages in one round", remote, MAX_PAGES);
			r->more = 1;
			rc = VG_EIO;
			break;
		}
		snprintf(url, sizeof(url), "%scollections/%s/objects/", pc->url, esc);
		snprintf(limit, sizeof(limit), "%zu", pc->limit);
		rc = add_param(url, sizeof(url), "limit", limit);
		if (!rc && after[0])
			rc = add_param(url, sizeof(url), "added_after", after);
		if (!rc && next[0])
			rc = add_param(url, sizeof(url), "next", next);
		if (rc)
			break;
		rc = vg__sync_get(pc, url, &a);
		if (rc) {
			snprintf(r->error, sizeof(r->error), "collection '%s': %s",
				 remote, a.error);
		} else if (a.status != 200) {
			snprintf(r->error, sizeof(r->error), "collection '%s': HTTP "
					   "%ld: %.200s", remote, a.status,
				 a.body.data ? a.body.data : "");
			rc = VG_EIO;
		} else {
			rc = vg_fed_store_page(c, remote, a.body.data ? a.body.data : "",
					       a.body.len, a.date_last, &res,
					       r->error, sizeof(r->error));
		}
		vg__sync_answer_release(&a);
		if (rc)
			break;
		r->pages++;
		r->accepted += res.accepted;
		r->duplicates += res.duplicates;
		r->quarantined += res.quarantined;
		r->returned += res.returned;
		if (!res.more)
			break;
		if (!res.accepted && !res.duplicates && !res.quarantined &&
		    !res.returned) {
			snprintf(r->error, sizeof(r->error), "collection '%s': 'more' "
					   "with an empty page", remote);
			rc = VG_EIO;
			break;
		}
		if (res.next[0]) {
			/* next, with the original parameters; one that repeats
			 * would never end */
			if (!strcmp(res.next, prev_next)) {
				snprintf(r->error, sizeof(r->error), "collection '%s': "
						   "'next' does not advance", remote);
				rc = VG_EIO;
				break;
			}
			snprintf(prev_next, sizeof(prev_next), "%s", res.next);
			snprintf(next, sizeof(next), "%s", res.next);
			continue;
		}
		/* more without next: go on after the page's last date_added,
		 * which must move */
		int64_t was = 0, now = 0;
		if (after[0])
			vg_time_parse_us(after, &was);
		if (!a.date_last[0] || vg_time_parse_us(a.date_last, &now) ||
		    now <= was) {
			snprintf(r->error, sizeof(r->error), "collection '%s': more "
					   "objects, but the server does not advance "
					   "(X-TAXII-Date-Added-Last)", remote);
			rc = VG_EIO;
			break;
		}
		vg_time_format_us(now, after);
		next[0] = '\0';
	}
out:
	curl_free(esc);
	return rc;
}

/* A vigil partner's deletions, after the tombstone cursor. */
static int pull_tombstones(struct vg_ctx *c, const struct vg_partner_conn *pc,
			   struct vg_sync_report *r)
{
	char cursor[64], base[1100];
	int rc = vg_fed_cursor(c, "#tombstones", cursor);
	origin_of(pc->url, base, sizeof(base));
	for (int round = 0; !rc && round < 10000; round++) {
		char url[1300];
		struct vg_http_answer a;
		size_t applied = 0, refused = 0;
		int64_t more = 0;
		snprintf(url, sizeof(url), "%s/api/v1/fed/tombstones?after=%s&limit=1000",
			 base, cursor[0] ? cursor : "0");
		rc = vg__sync_get(pc, url, &a);
		if (rc) {
			snprintf(r->error, sizeof(r->error), "tombstones: %.300s",
				 a.error);
		} else if (a.status != 200) {
			snprintf(r->error, sizeof(r->error), "tombstones: HTTP %ld",
				 a.status);
			rc = VG_EIO;
		} else {
			rc = vg_fed_store_tombstones(c, a.body.data ? a.body.data : "",
						     a.body.len, 1, &applied,
						     &refused, &more, r->error,
						     sizeof(r->error));
		}
		vg__sync_answer_release(&a);
		r->quarantined += refused;
		r->tombstones += applied;
		if (rc || !more)
			break;
		if ((rc = vg_fed_cursor(c, "#tombstones", cursor)))
			break;
	}
	return rc;
}

/* Without collections set, every collection the partner lets this hub
 * read (its collections resource, in its order). */
static int discover(const struct vg_partner_conn *pc, char (*out)[200],
		    size_t max, size_t *n, char *err, size_t errlen)
{
	char url[1200];
	struct vg_http_answer a;
	*n = 0;
	snprintf(url, sizeof(url), "%scollections/", pc->url);
	int rc = vg__sync_get(pc, url, &a);
	if (rc) {
		snprintf(err, errlen, "%.300s: %.250s", url, a.error);
	} else if (a.status != 200) {
		snprintf(err, errlen, "%.300s: HTTP %ld", url, a.status);
		rc = VG_EIO;
	} else {
		cJSON *d = cJSON_ParseWithLength(a.body.data ? a.body.data : "",
						 a.body.len);
		const cJSON *c;
		cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(d, "collections"))
		{
			const cJSON *id = cJSON_GetObjectItemCaseSensitive(c, "id");
			const cJSON *cr = cJSON_GetObjectItemCaseSensitive(c, "can_read");
			if (cJSON_IsString(id) && cJSON_IsTrue(cr) && *n < max &&
			    strlen(id->valuestring) < 200)
				snprintf(out[(*n)++], 200, "%s", id->valuestring);
		}
		if (!cJSON_IsObject(d)) {
			snprintf(err, errlen, "%.300s: not a TAXII collections "
					      "resource", url);
			rc = VG_EIO;
		}
		cJSON_Delete(d);
	}
	vg__sync_answer_release(&a);
	return rc;
}

int vg_sync_round(struct vg_service *svc, const char *name,
		  struct vg_sync_report *r)
{
	struct vg_ctx c;
	struct vg_partner_conn *pc = calloc(1, sizeof(*pc));
	memset(r, 0, sizeof(*r));
	if (!pc)
		return VG_ENOMEM;
	int rc = vg_fed_open(svc, name, &c, r->error, sizeof(r->error));
	if (rc) {
		free(pc);
		return rc;
	}
	rc = vg_partner_conn(&c, name, pc, r->error, sizeof(r->error));
	if (!rc && !(pc->direction & VG_FED_PULL)) {
		/* this hub does not pull from it */
		vg_ctx_release(&c);
		free(pc);
		return VG_OK;
	}
	if (!rc)
		rc = vg__sync_learn(&c, pc, r->error, sizeof(r->error));
	if (!rc && pc->hub_id[0] == '\0') {
		/* pinned just now: read it back */
		char hub[80];
		snprintf(hub, sizeof(hub), "%s", pc->hub_id);
		vg_partner_conn_wipe(pc);
		rc = vg_partner_conn(&c, name, pc, r->error, sizeof(r->error));
	}
	if (!rc && !pc->n_remote)
		rc = discover(pc, pc->remote, VG_FED_MAX_LIST, &pc->n_remote,
			      r->error, sizeof(r->error));
	for (size_t i = 0; !rc && i < pc->n_remote; i++)
		rc = pull_collection(&c, pc, pc->remote[i], r);
	if (!rc && pc->hub_id[0])
		rc = pull_tombstones(&c, pc, r);
	if (rc && !r->error[0])
		snprintf(r->error, sizeof(r->error), "%s", vg_strerror(rc));
	struct vg_fed_round done = {
		.error = rc ? r->error : NULL,
		.pages = r->pages,
		.accepted = r->accepted,
		.duplicates = r->duplicates,
		.quarantined = r->quarantined,
		.more = r->more,
	};
	int rd = vg_fed_round_done(&c, &done);
	if (!rc)
		rc = rd;
	vg_partner_conn_wipe(pc);
	free(pc);
	vg_ctx_release(&c);
	return rc;
}
