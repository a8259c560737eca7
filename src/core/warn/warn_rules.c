/* Early warning's pure rules (rules.h): disclosure for hit / no-hit,
 * watch kinds and query watches, Poisson spikes, webhook signatures. */
#include "vigil/warn/rules.h"
#include "vigil/stix/stix.h"
#include "vigil/util/error.h"
#include "vigil/util/jsonw.h"

#include <ctype.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int vg_warn_disclosable(const struct vg_access_meta *m, int object_choice,
                        int collection_choice)
{
	if (object_choice != VG_DISCLOSE_DEFAULT)
		return object_choice == VG_DISCLOSE_YES;
	if (collection_choice != VG_DISCLOSE_DEFAULT)
		return collection_choice == VG_DISCLOSE_YES;
	return m->scope != VG_SCOPE_ORG && m->tlp != VG_TLP_RED;
}

static const char *const kind_names[VG_WATCH__COUNT] = {
    "value", "name", "document", "pattern", "object", "query",
};

const char *vg_watch_kind_name(enum vg_watch_kind k)
{
	return (unsigned)k < VG_WATCH__COUNT ? kind_names[k] : "?";
}

int vg_watch_kind_parse(const char *name)
{
	for (int i = 0; i < VG_WATCH__COUNT; i++)
		if (name && !strcmp(name, kind_names[i]))
			return i;
	return -1;
}

/* ---- query watches ------------------------------------------------------ */

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void vg_watch_query_release(struct vg_watch_query *q)
{
	free_list(q->types, q->n_types);
	free_list(q->labels, q->n_labels);
	free_list(q->sectors, q->n_sectors);
	free_list(q->countries, q->n_countries);
	free_list(q->locations, q->n_locations);
	memset(q, 0, sizeof(*q));
}

/* A list member as the keys hold it: lower case, countries upper. */
static char *norm_member(const char *s, int upper)
{
	size_t n = strlen(s);
	char *o = malloc(n + 1);
	if (!o)
		return NULL;
	for (size_t i = 0; i <= n; i++)
		o[i] = upper ? (char)toupper((unsigned char)s[i])
		             : (char)tolower((unsigned char)s[i]);
	return o;
}

static int take_list(const cJSON *root, const char *name, char ***v, size_t *n,
                     int upper, char *why, size_t whylen)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, name), *e;
	if (!a)
		return VG_OK;
	size_t cnt = (size_t)cJSON_GetArraySize(a);
	if (!cJSON_IsArray(a) || cnt > 100) {
		snprintf(why, whylen,
		         "'%s' must be a list of at most 100 strings", name);
		return VG_EINVAL;
	}
	*v = calloc(cnt ? cnt : 1, sizeof(char *));
	if (!*v)
		return VG_ENOMEM;
	cJSON_ArrayForEach(e, a)
	{
		if (!cJSON_IsString(e) || !*e->valuestring ||
		    strlen(e->valuestring) > 100) {
			snprintf(why, whylen,
			         "'%s' must be a list of strings of "
			         "1 to 100 bytes",
			         name);
			return VG_EINVAL;
		}
		if (!strcmp(name, "countries") && strlen(e->valuestring) != 2) {
			snprintf(why, whylen,
			         "'countries' holds ISO 3166-1 "
			         "alpha-2 codes, not '%s'",
			         e->valuestring);
			return VG_EINVAL;
		}
		if (!strcmp(name, "locations") &&
		    !vg_stix_id_valid(e->valuestring, "location")) {
			snprintf(why, whylen,
			         "'locations' holds location ids, "
			         "not '%s'",
			         e->valuestring);
			return VG_EINVAL;
		}
		if (!((*v)[(*n)++] = norm_member(e->valuestring, upper)))
			return VG_ENOMEM;
	}
	return VG_OK;
}

int vg_watch_query_parse(const char *json, struct vg_watch_query *q, char *why,
                         size_t whylen)
{
	static const char *const known[] = {"types", "labels", "sectors",
	                                    "countries", "locations"};
	memset(q, 0, sizeof(*q));
	cJSON *root = cJSON_Parse(json ? json : "");
	int rc = VG_OK;
	if (!cJSON_IsObject(root)) {
		snprintf(why, whylen,
		         "a query is a JSON object with types, labels, "
		         "sectors, countries or locations");
		cJSON_Delete(root);
		return VG_EINVAL;
	}
	const cJSON *m;
	cJSON_ArrayForEach(m, root)
	{
		int ok = 0;
		for (size_t i = 0; i < 5; i++)
			ok |= !strcmp(m->string, known[i]);
		if (!ok) {
			snprintf(why, whylen,
			         "'%.60s' is not a field of a query "
			         "(types, labels, sectors, countries, "
			         "locations)",
			         m->string);
			rc = VG_EINVAL;
			goto out;
		}
	}
	if ((rc = take_list(root, "types", &q->types, &q->n_types, 0, why,
	                    whylen)) ||
	    (rc = take_list(root, "labels", &q->labels, &q->n_labels, 0, why,
	                    whylen)) ||
	    (rc = take_list(root, "sectors", &q->sectors, &q->n_sectors, 0, why,
	                    whylen)) ||
	    (rc = take_list(root, "countries", &q->countries, &q->n_countries,
	                    1, why, whylen)) ||
	    (rc = take_list(root, "locations", &q->locations, &q->n_locations,
	                    0, why, whylen)))
		goto out;
	if (!q->n_types && !q->n_labels && !q->n_sectors && !q->n_countries &&
	    !q->n_locations) {
		snprintf(why, whylen,
		         "a query needs at least one of types, labels, "
		         "sectors, countries, locations");
		rc = VG_EINVAL;
	}
out:
	cJSON_Delete(root);
	if (rc)
		vg_watch_query_release(q);
	return rc;
}

static void list_json(struct vg_jw *w, const char *name, char **v, size_t n)
{
	if (!n)
		return;
	vg_jw_key(w, name);
	vg_jw_arr(w);
	for (size_t i = 0; i < n; i++)
		vg_jw_str(w, v[i]);
	vg_jw_close(w);
}

int vg_watch_query_json(const struct vg_watch_query *q, struct vg_buf *out)
{
	struct vg_jw w;
	vg_jw_init(&w, out);
	vg_jw_obj(&w);
	list_json(&w, "types", q->types, q->n_types);
	list_json(&w, "labels", q->labels, q->n_labels);
	list_json(&w, "sectors", q->sectors, q->n_sectors);
	list_json(&w, "countries", q->countries, q->n_countries);
	list_json(&w, "locations", q->locations, q->n_locations);
	vg_jw_close(&w);
	return vg_jw_end(&w);
}

static int has_key(const struct vg_warn_keyset *ks, const char *kind,
                   const char *v)
{
	char key[VG_WARN_KEY_MAX];
	snprintf(key, sizeof(key), "%s:%s", kind, v);
	return vg_warn_keyset_has(ks, key);
}

static int any_key(const struct vg_warn_keyset *ks, const char *kind, char **v,
                   size_t n)
{
	if (!n)
		return 1;
	for (size_t i = 0; i < n; i++)
		if (has_key(ks, kind, v[i]))
			return 1;
	return 0;
}

int vg_watch_query_matches(const struct vg_watch_query *q, const char *type,
                           const struct vg_warn_keyset *ks)
{
	if (q->n_types) {
		int ok = 0;
		for (size_t i = 0; i < q->n_types && !ok; i++)
			ok = !strcmp(q->types[i], type);
		if (!ok)
			return 0;
	}
	if (!any_key(ks, "label", q->labels, q->n_labels) ||
	    !any_key(ks, "sector", q->sectors, q->n_sectors))
		return 0;
	/* where: a location object of the country, or an object that refers
	 * to one of the locations named */
	if (q->n_countries || q->n_locations) {
		int ok = q->n_countries &&
		         any_key(ks, "country", q->countries, q->n_countries);
		ok |= q->n_locations &&
		      any_key(ks, "ref", q->locations, q->n_locations);
		if (!ok)
			return 0;
	}
	return 1;
}

static int add_all(struct vg_warn_keyset *out, const char *kind, char **v,
                   size_t n)
{
	int rc = VG_OK;
	for (size_t i = 0; !rc && i < n; i++) {
		char key[VG_WARN_KEY_MAX];
		int l = snprintf(key, sizeof(key), "%s:%s", kind, v[i]);
		rc = vg_warn_keyset_add(out, key, (size_t)l);
	}
	return rc;
}

int vg_watch_query_anchors(const struct vg_watch_query *q,
                           struct vg_warn_keyset *out)
{
	if (q->n_labels)
		return add_all(out, "label", q->labels, q->n_labels);
	if (q->n_sectors)
		return add_all(out, "sector", q->sectors, q->n_sectors);
	if (q->n_countries || q->n_locations) {
		int rc = add_all(out, "country", q->countries, q->n_countries);
		return rc ? rc
		          : add_all(out, "ref", q->locations, q->n_locations);
	}
	return add_all(out, "type", q->types, q->n_types);
}

/* ---- spikes ---------------------------------------------------------------
 */

double vg_warn_poisson_tail(uint64_t k, double lambda)
{
	if (k == 0)
		return 1.0;
	if (lambda <= 0)
		return 0.0;
	/* 1 - P(X <= k-1), summed in log space term by term */
	double term = exp(-lambda), cdf = term;
	for (uint64_t i = 1; i < k; i++) {
		term *= lambda / (double)i;
		cdf += term;
		if (term < 1e-300 && (double)i > lambda)
			break;
	}
	double p = 1.0 - cdf;
	if (p < 1e-12) {
		/* cancellation: sum the upper tail instead */
		double t = exp(-lambda + (double)k * log(lambda) -
		               lgamma((double)k + 1));
		double s = 0;
		for (uint64_t i = k; i < k + 1000 && t > 1e-320; i++) {
			s += t;
			t *= lambda / (double)(i + 1);
		}
		p = s;
	}
	return p < 0 ? 0 : p;
}

void vg_warn_spike(uint64_t count, const uint64_t *history, size_t n,
                   uint64_t min_count, double alpha, struct vg_spike *out)
{
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += (double)history[i];
	double base = n ? sum / (double)n : 0;
	if (base < 0.5)
		base = 0.5;
	out->baseline = n ? sum / (double)n : 0;
	out->p = vg_warn_poisson_tail(count, base);
	out->spike = count >= min_count && out->p < alpha;
}

/* ---- webhooks ---------------------------------------------------------- */

void vg_warn_sign(const unsigned char *secret, size_t secret_len,
                  const char *timestamp, const char *body, size_t len,
                  char out[65])
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	static const char digits[] = "0123456789abcdef";
	crypto_auth_hmacsha256_init(&st, secret, secret_len);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)timestamp,
	                              strlen(timestamp));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
	crypto_auth_hmacsha256_final(&st, mac);
	for (size_t i = 0; i < sizeof(mac); i++) {
		out[2 * i] = digits[mac[i] >> 4];
		out[2 * i + 1] = digits[mac[i] & 15];
	}
	out[64] = '\0';
	sodium_memzero(&st, sizeof(st));
}
