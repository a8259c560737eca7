/* The keys of a whole STIX object (keys.h): SCO values, the literals of
 * indicator patterns, names and aliases, document numbers, references
 * and facets; and the keys of values, names and patterns a user gives. */
#include "warn_int.h"
#include "vigil/pattern/pattern.h"
#include "vigil/util/error.h"
#include "vigil/watchlist/wl_stix.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/uidna.h>

int vg_warn_keyer_new(struct vg_warn_keyer **out)
{
	struct vg_warn_keyer *k = calloc(1, sizeof(*k));
	if (!k)
		return VG_ENOMEM;
	*out = k;
	return VG_OK;
}

void vg_warn_keyer_free(struct vg_warn_keyer *k)
{
	if (!k)
		return;
	vg_name_norm_free(k->norm);
	if (k->idna)
		uidna_close(k->idna);
	free(k);
}

static const char *jstr(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* ---- names ------------------------------------------------------------- */

#define MAX_CODES 6
#define CODE_LEN 24

static int by_code(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

static int add_codes(struct vg_warn_keyset *out, const char *kind,
                     char codes[][CODE_LEN], const size_t *idx, size_t n)
{
	char key[MAX_CODES * CODE_LEN + 8];
	size_t at = (size_t)snprintf(key, sizeof(key), "%s", kind);
	for (size_t i = 0; i < n; i++) {
		if (i)
			key[at++] = ' ';
		size_t l = strlen(codes[idx[i]]);
		memcpy(key + at, codes[idx[i]], l);
		at += l;
	}
	key[at] = '\0';
	return vg_warn_keyset_add(out, key, at);
}

int vg_warn_name_keys(struct vg_warn_keyer *k, const char *name,
                      enum vg_person_kind kind, struct vg_warn_keyset *out)
{
	int rc;
	if (!name || !*name)
		return VG_OK;
	if (!k->norm && (rc = vg_name_norm_new(&k->norm)))
		return rc;
	struct vg_name_tokens *t = &k->tok;
	if ((rc = vg_name_normalize(k->norm, name, strlen(name), kind, t)))
		return rc;
	/* the distinctive tokens, heaviest first: a common name's group,
	 * else the consonant skeleton, which Latin and Arabic spellings of
	 * one name share */
	char codes[VG_NAME_MAX_TOKENS][CODE_LEN];
	float weight[VG_NAME_MAX_TOKENS];
	size_t n = 0;
	for (size_t i = 0; i < t->n; i++) {
		const struct vg_name_token *tk = &t->tok[i];
		if (tk->sym != VG_SYM_NONE || tk->weight <= 0 ||
		    (tk->flags & VG_TOK_INITIAL))
			continue;
		if (tk->group)
			snprintf(codes[n], CODE_LEN, "#%u", tk->group);
		else if (tk->skel_len >= 2 &&
		         !(tk->flags & (VG_TOK_DIGITS | VG_TOK_CJK)))
			snprintf(codes[n], CODE_LEN, "%s", t->pool + tk->skel);
		else
			snprintf(codes[n], CODE_LEN, "%s", t->pool + tk->text);
		weight[n++] = tk->weight;
	}
	/* keep the heaviest MAX_CODES, then sort and drop repeats */
	while (n > MAX_CODES) {
		size_t light = 0;
		for (size_t i = 1; i < n; i++)
			if (weight[i] < weight[light])
				light = i;
		memmove(codes[light], codes[n - 1], CODE_LEN);
		weight[light] = weight[n - 1];
		n--;
	}
	qsort(codes, n, CODE_LEN, by_code);
	size_t u = 0;
	for (size_t i = 0; i < n; i++)
		if (!u || strcmp(codes[i], codes[u - 1]))
			memmove(codes[u++], codes[i], CODE_LEN);
	n = u;
	size_t idx[MAX_CODES];
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	if (n == 0)
		return VG_OK;
	/* one token alone is a key only when it says enough */
	if (n == 1)
		return codes[0][0] != '#' && strlen(codes[0]) >= 3
		           ? add_codes(out, "name:", codes, idx, 1)
		           : VG_OK;
	rc = add_codes(out, "name:", codes, idx, n);
	/* a person's name with a token more (a second given name, a nisba)
	 * still shares a pair with the shorter spelling; an entity's words
	 * in pairs ("security agency") say nothing */
	for (size_t i = 0;
	     !rc && n >= 3 && kind == VG_PERSON_INDIVIDUAL && i < n; i++)
		for (size_t j = i + 1; !rc && j < n; j++) {
			size_t p[2] = {i, j};
			rc = add_codes(out, "name2:", codes, p, 2);
		}
	return rc;
}

int vg_warn_doc_key(const char *number, char *out, size_t n)
{
	size_t at = 4, digits = 0;
	if (n < 80)
		return -1;
	memcpy(out, "doc:", 4);
	for (const char *p = number; p && *p && at + 1 < n && at < 68; p++)
		if (isalnum((unsigned char)*p)) {
			out[at++] = (char)toupper((unsigned char)*p);
			digits++;
		}
	out[at] = '\0';
	return digits >= 4 ? 0 : -1;
}

static int add_docs_array(const cJSON *arr, struct vg_person *p)
{
	const cJSON *d;
	int rc = VG_OK;
	cJSON_ArrayForEach(d, arr)
	{
		if (cJSON_IsString(d))
			rc = vg_person_add_doc_unique(p, NULL, d->valuestring,
			                              NULL);
		else if (jstr(d, "number"))
			rc = vg_person_add_doc_unique(p, jstr(d, "type"),
			                              jstr(d, "number"),
			                              jstr(d, "country"));
		if (rc)
			return rc;
	}
	return VG_OK;
}

int vg_warn_object_person(const cJSON *obj, struct vg_person *p,
                          enum vg_person_kind *kind)
{
	const char *type = jstr(obj, "type"), *name = jstr(obj, "name");
	const cJSON *a;
	int rc = VG_OK;
	if (!type)
		return VG_ENOTFOUND;
	if (!strcmp(type, "identity")) {
		const char *cls = jstr(obj, "identity_class");
		*kind = cls && !strcmp(cls, "individual") ? VG_PERSON_INDIVIDUAL
		                                          : VG_PERSON_ENTITY;
		if (vg_wl_stix_ext(obj)) {
			struct vg_wl_ref ref;
			rc = vg_wl_stix_person(obj, p, &ref);
			if (rc == VG_EINVAL)
				rc = VG_OK; /* malformed: the name alone */
			if (rc)
				return rc;
			*kind = p->kind;
		}
	} else if (!strcmp(type, "threat-actor")) {
		const char *rl = jstr(obj, "resource_level");
		*kind = rl && !strcmp(rl, "individual") ? VG_PERSON_INDIVIDUAL
		                                        : VG_PERSON_ENTITY;
	} else if (!strcmp(type, "intrusion-set") ||
	           !strcmp(type, "campaign")) {
		*kind = VG_PERSON_ENTITY;
	} else {
		return VG_ENOTFOUND;
	}
	p->kind = *kind;
	int have = 0;
	for (size_t i = 0; name && i < p->n_names; i++)
		have |= !strcmp(p->names[i].full, name);
	if (name && !have)
		rc = vg_person_add_name(p, name, NULL, NULL, VG_NAME_PRIMARY);
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(obj, "aliases"))
	{
		if (rc || p->n_names >= 16)
			break;
		if (cJSON_IsString(a) && *a->valuestring)
			rc = vg_person_add_name(p, a->valuestring, NULL, NULL,
			                        VG_NAME_GOOD);
	}
	if (!rc)
		rc = add_docs_array(
		    cJSON_GetObjectItemCaseSensitive(obj, "x_vigil_documents"),
		    p);
	if (rc)
		return rc;
	return p->n_names || p->n_docs ? VG_OK : VG_ENOTFOUND;
}

static int person_keys(struct vg_warn_keyer *k, const cJSON *obj,
                       struct vg_warn_keyset *out)
{
	struct vg_person p;
	enum vg_person_kind kind;
	vg_person_init(&p);
	int rc = vg_warn_object_person(obj, &p, &kind);
	if (rc == VG_ENOTFOUND) {
		rc = VG_OK;
		goto out;
	}
	for (size_t i = 0; !rc && i < p.n_names && i < 16; i++)
		rc = vg_warn_name_keys(k, p.names[i].full, kind, out);
	for (size_t i = 0; !rc && i < p.n_docs; i++) {
		char key[96];
		if (!vg_warn_doc_key(p.docs[i].number, key, sizeof(key)))
			rc = vg_warn_keyset_add(out, key, strlen(key));
	}
out:
	vg_person_release(&p);
	return rc;
}

/* ---- pattern literals ---------------------------------------------------- */

struct lit_ctx {
	struct vg_warn_keyer *k;
	struct vg_warn_keyset *out;
};

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

static int on_literal(void *ud, const struct vg_pattern_literal *l)
{
	struct lit_ctx *c = ud;
	const char *t = l->object_type, *path = l->path;
	int added = 0;
	if (l->negated)
		return VG_OK;
	if (l->op == VG_PAT_ISSUBSET) {
		if (l->kind == VG_PAT_STRING &&
		    (!strcmp(t, "ipv4-addr") || !strcmp(t, "ipv6-addr")) &&
		    !strcmp(path, "value"))
			return vg__warn_add_ip(c->out, l->text, l->len, &added);
		return VG_OK;
	}
	if (l->op != VG_PAT_EQ && l->op != VG_PAT_IN)
		return VG_OK;
	if (!strcmp(t, "autonomous-system") && !strcmp(path, "number") &&
	    l->kind == VG_PAT_INT) {
		char key[40];
		snprintf(key, sizeof(key), "asn:%.*s",
		         (int)(l->len < 24 ? l->len : 24), l->text);
		return vg_warn_keyset_add(c->out, key, strlen(key));
	}
	if (l->kind != VG_PAT_STRING)
		return VG_OK;
	if ((!strcmp(t, "ipv4-addr") || !strcmp(t, "ipv6-addr")) &&
	    !strcmp(path, "value"))
		return vg__warn_add_ip(c->out, l->text, l->len, &added);
	if (!strcmp(t, "network-traffic") && (!strcmp(path, "src_ref.value") ||
	                                      !strcmp(path, "dst_ref.value"))) {
		int rc = vg__warn_add_ip(c->out, l->text, l->len, &added);
		if (rc || added)
			return rc;
	}
	if (!strcmp(t, "domain-name") && !strcmp(path, "value")) {
		char dom[300];
		if (!vg__warn_domain(c->k, l->text, l->len, dom, sizeof(dom)))
			return vg__warn_add_domain(c->out, dom);
		return VG_OK;
	}
	if (!strcmp(t, "url") && !strcmp(path, "value"))
		return vg__warn_add_url(c->k, c->out, l->text, l->len, &added);
	if ((!strcmp(t, "email-addr") && !strcmp(path, "value")) ||
	    (!strcmp(t, "email-message") && ends_with(path, ".value")))
		return vg__warn_add_email(c->k, c->out, l->text, l->len,
		                          &added);
	if (!strcmp(t, "mac-addr") && !strcmp(path, "value"))
		return vg__warn_add_mac(c->out, l->text, l->len, &added);
	if ((!strcmp(t, "file") || !strcmp(t, "artifact") ||
	     !strcmp(t, "x509-certificate")) &&
	    !strncmp(path, "hashes.", 7) && !strchr(path + 7, '.'))
		return vg__warn_add_hash(c->out, path + 7, l->text, l->len);
	return VG_OK;
}

int vg_warn_pattern_keys(struct vg_warn_keyer *k, const char *text,
                         struct vg_warn_keyset *out)
{
	struct vg_pattern *p;
	int rc = vg_pattern_parse(text, strlen(text), &p, NULL);
	if (rc)
		return rc;
	struct lit_ctx c = {k, out};
	rc = vg_pattern_literals(p, on_literal, &c);
	vg_pattern_free(p);
	return rc;
}

/* ---- SCOs, references, facets ------------------------------------------ */

static int sco_keys(struct vg_warn_keyer *k, const cJSON *o, const char *type,
                    struct vg_warn_keyset *out)
{
	const char *v = jstr(o, "value");
	int added = 0;
	if ((!strcmp(type, "ipv4-addr") || !strcmp(type, "ipv6-addr")) && v)
		return vg__warn_add_ip(out, v, strlen(v), &added);
	if (!strcmp(type, "domain-name") && v) {
		char dom[300];
		return vg__warn_domain(k, v, strlen(v), dom, sizeof(dom))
		           ? VG_OK
		           : vg__warn_add_domain(out, dom);
	}
	if (!strcmp(type, "url") && v)
		return vg__warn_add_url(k, out, v, strlen(v), &added);
	if (!strcmp(type, "email-addr") && v)
		return vg__warn_add_email(k, out, v, strlen(v), &added);
	if (!strcmp(type, "mac-addr") && v)
		return vg__warn_add_mac(out, v, strlen(v), &added);
	if (!strcmp(type, "autonomous-system")) {
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, "number");
		if (cJSON_IsNumber(n) && n->valuedouble >= 0) {
			char key[40];
			snprintf(key, sizeof(key), "asn:%.0f", n->valuedouble);
			return vg_warn_keyset_add(out, key, strlen(key));
		}
		return VG_OK;
	}
	const cJSON *h;
	int rc = VG_OK;
	cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(
	                          o, "hashes")) if (!rc && cJSON_IsString(h) &&
	                                            h->string) rc =
	    vg__warn_add_hash(out, h->string, h->valuestring,
	                      strlen(h->valuestring));
	return rc;
}

static int add_ref(struct vg_warn_keyset *out, const char *id)
{
	char key[VG_WARN_KEY_MAX];
	size_t n = strlen(id);
	if (!strstr(id, "--") || n + 5 > sizeof(key))
		return VG_OK;
	memcpy(key, "ref:", 4);
	for (size_t i = 0; i < n; i++)
		key[4 + i] = (char)tolower((unsigned char)id[i]);
	return vg_warn_keyset_add(out, key, n + 4);
}

static int ref_keys(const cJSON *obj, struct vg_warn_keyset *out)
{
	const cJSON *p;
	int rc = VG_OK;
	cJSON_ArrayForEach(p, obj)
	{
		const char *name = p->string;
		if (rc)
			break;
		/* most members are no reference: their name's end tells */
		size_t n = name ? strlen(name) : 0;
		int one = n >= 4 && !memcmp(name + n - 4, "_ref", 4);
		int many = !one && n >= 5 && !memcmp(name + n - 5, "_refs", 5);
		if ((!one && !many) || !strcmp(name, "created_by_ref") ||
		    !strcmp(name, "object_marking_refs"))
			continue;
		if (one && cJSON_IsString(p)) {
			rc = add_ref(out, p->valuestring);
		} else if (many && cJSON_IsArray(p)) {
			const cJSON *e;
			size_t i = 0;
			cJSON_ArrayForEach(e, p)
			{
				/* a report of 100,000 objects is not 100,000
				 * edges of one object */
				if (rc || ++i > 1000)
					break;
				if (cJSON_IsString(e))
					rc = add_ref(out, e->valuestring);
			}
		}
	}
	return rc;
}

static int facet(struct vg_warn_keyset *out, const char *kind, const char *v,
                 int upper)
{
	char key[200];
	size_t n = (size_t)snprintf(key, sizeof(key), "%s:", kind);
	for (; *v && n + 1 < 120; v++) {
		char c = upper ? (char)toupper((unsigned char)*v)
		               : (char)tolower((unsigned char)*v);
		key[n++] = c;
	}
	key[n] = '\0';
	return vg_warn_keyset_add(out, key, n);
}

static int facet_keys(const cJSON *obj, const char *type,
                      struct vg_warn_keyset *out)
{
	const cJSON *e;
	int rc = VG_OK;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(
	                          obj, "labels")) if (!rc &&
	                                              cJSON_IsString(e) &&
	                                              *e->valuestring) rc =
	    facet(out, "label", e->valuestring, 0);
	if (!strcmp(type, "identity"))
		cJSON_ArrayForEach(
		    e, cJSON_GetObjectItemCaseSensitive(
		           obj, "sectors")) if (!rc && cJSON_IsString(e) &&
		                                *e->valuestring) rc =
		    facet(out, "sector", e->valuestring, 0);
	const char *country = jstr(obj, "country");
	if (!rc && country && strlen(country) == 2 && !strcmp(type, "location"))
		rc = facet(out, "country", country, 1);
	return rc;
}

int vg_warn_object_keys(struct vg_warn_keyer *k, const cJSON *obj,
                        struct vg_warn_keyset *out)
{
	const char *type = jstr(obj, "type");
	int rc = VG_OK;
	vg_warn_keyset_reset(out);
	if (!type)
		return VG_OK;
	if (!strcmp(type, "indicator")) {
		const char *pt = jstr(obj, "pattern_type"),
		           *pat = jstr(obj, "pattern");
		if (pt && pat && !strcmp(pt, "stix")) {
			rc = vg_warn_pattern_keys(k, pat, out);
			if (rc == VG_EINVAL)
				rc = VG_OK; /* validation refuses it */
		}
	} else if (!strcmp(type, "identity") || !strcmp(type, "threat-actor") ||
	           !strcmp(type, "intrusion-set")) {
		rc = person_keys(k, obj, out);
	} else if (!strcmp(type, "observed-data")) {
		/* STIX 2.0's embedded objects */
		const cJSON *e;
		cJSON_ArrayForEach(
		    e, cJSON_GetObjectItemCaseSensitive(obj, "objects"))
		{
			const char *t = jstr(e, "type");
			if (!rc && t)
				rc = sco_keys(k, e, t, out);
		}
	} else {
		rc = sco_keys(k, obj, type, out);
	}
	if (!rc)
		rc = ref_keys(obj, out);
	if (!rc)
		rc = facet_keys(obj, type, out);
	return rc ? rc : vg_warn_keyset_finish(out);
}

/* ---- values a user gives --------------------------------------------------
 */

static int all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

int vg_warn_value_key(struct vg_warn_keyer *k, const char *value,
                      const char *kind, struct vg_warn_keyset *out, char *why,
                      size_t whylen)
{
	size_t len = value ? strlen(value) : 0;
	int added = 0, rc = VG_OK;
	char dom[300];
	while (len && isspace((unsigned char)*value)) {
		value++;
		len--;
	}
	while (len && isspace((unsigned char)value[len - 1]))
		len--;
	if (!len) {
		snprintf(why, whylen, "the value is empty");
		return VG_EINVAL;
	}
	int any = !kind || !*kind;
#define KIND(x) (any || !strcmp(kind, x))
	if (KIND("ip") && (rc = vg__warn_add_ip(out, value, len, &added)))
		return rc;
	if (!added && KIND("url") &&
	    (rc = vg__warn_add_url(k, out, value, len, &added)))
		return rc;
	if (!added && KIND("email") && memchr(value, '@', len) &&
	    (rc = vg__warn_add_email(k, out, value, len, &added)))
		return rc;
	if (!added && KIND("asn") && len > 2 && !strncasecmp(value, "as", 2)) {
		const char *d = value + 2;
		size_t dl = len - 2;
		int ok = dl > 0 && dl < 11;
		for (size_t i = 0; ok && i < dl; i++)
			ok = isdigit((unsigned char)d[i]);
		if (ok) {
			char key[24];
			snprintf(key, sizeof(key), "asn:%.*s", (int)dl, d);
			rc = vg_warn_keyset_add(out, key, strlen(key));
			added = 1;
		}
	}
	if (!added && KIND("mac") &&
	    (!any || memchr(value, ':', len) || memchr(value, '-', len)) &&
	    (rc = vg__warn_add_mac(out, value, len, &added)))
		return rc;
	if (!added && KIND("hash") && all_hex(value, len) &&
	    (len == 32 || len == 40 || len == 64 || len == 128)) {
		const char *alg = len == 32   ? "md5"
		                  : len == 40 ? "sha1"
		                  : len == 64 ? "sha256"
		                              : "sha512";
		rc = vg__warn_add_hash(out, alg, value, len);
		added = 1;
	}
	if (!added && KIND("domain") &&
	    !vg__warn_domain(k, value, len, dom, sizeof(dom)) &&
	    (strchr(dom, '.') || !any)) {
		rc = vg__warn_add_domain(out, dom);
		added = 1;
	}
#undef KIND
	if (!rc && !added) {
		snprintf(why, whylen, "'%.*s' is not %s%s",
		         (int)(len > 100 ? 100 : len), value,
		         any ? "an address, block, domain, URL, e-mail "
		               "address, MAC address, AS number or hash"
		             : "a value of kind ",
		         any ? "" : kind);
		return VG_EINVAL;
	}
	return rc;
}
