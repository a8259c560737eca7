/* The scenario generator (scenario.h). One story per scenario number,
 * told by three agencies in turn:
 *   alpha (step 1): a local cell, its leader (Latin script), an
 *     indicator of the cell's server address;
 *   gamma (step 2): a foreign network, its contact (the same leader, in
 *     Arabic script, with a passport number), the same address as the
 *     network's server, a URL on the cell's phishing domain;
 *   beta (step 3): the leader travelling (another spelling, the same
 *     passport), sighted at a border, the phishing domain.
 * and each agency's unrelated synthetic data around it. */
#include "vigil/warn/scenario.h"
#include "vigil/stix/gen.h"
#include "vigil/stix/stix.h"
#include "vigil/util/buf.h"
#include "vigil/util/error.h"
#include "vigil/util/jsonw.h"

#include <stdio.h>
#include <string.h>

/* Fictional people: one name in Latin script, in Arabic script, and as a
 * travel document spells it. */
static const struct {
	const char *latin, *arabic, *travel;
} people[] = {
    {"Abu Khalid al-Jumrani",
     "\xd8\xa3\xd8\xa8\xd9\x88 \xd8\xae\xd8\xa7\xd9\x84\xd8\xaf "
     "\xd8\xa7\xd9\x84\xd8\xac\xd9\x85\xd8\xb1\xd8\xa7\xd9\x86\xd9\x8a",
     "Khaled Joumrani"},
    {"Abu Yusuf al-Tarvadi",
     "\xd8\xa3\xd8\xa8\xd9\x88 \xd9\x8a\xd9\x88\xd8\xb3\xd9\x81 "
     "\xd8\xa7\xd9\x84\xd8\xaa\xd8\xb1\xd9\x81\xd8\xa7\xd8\xaf\xd9\x8a",
     "Youssef Tarvadi"},
    {"Abu Omar al-Saffuri",
     "\xd8\xa3\xd8\xa8\xd9\x88 \xd8\xb9\xd9\x85\xd8\xb1 "
     "\xd8\xa7\xd9\x84\xd8\xb5\xd9\x81\xd9\x88\xd8\xb1\xd9\x8a",
     "Omar Safouri"},
    {"Abu Bakr al-Haddali",
     "\xd8\xa3\xd8\xa8\xd9\x88 \xd8\xa8\xd9\x83\xd8\xb1 "
     "\xd8\xa7\xd9\x84\xd8\xad\xd8\xaf\xd8\xa7\xd9\x84\xd9\x8a",
     "Bakr Hadali"},
    {"Abu Zaid al-Bakhiri",
     "\xd8\xa3\xd8\xa8\xd9\x88 \xd8\xb2\xd9\x8a\xd8\xaf "
     "\xd8\xa7\xd9\x84\xd8\xa8\xd8\xae\xd9\x8a\xd8\xb1\xd9\x8a",
     "Zaid Bakhiri"},
};
#define N_PEOPLE (sizeof(people) / sizeof(people[0]))

static const char *const agencies[VG_SCENARIO_AGENCIES] = {"alpha", "beta",
                                                           "gamma"};
static const int steps[VG_SCENARIO_AGENCIES] = {1, 3, 2};
static const char *const countries[VG_SCENARIO_AGENCIES] = {"FR", "DE", "ES"};

const char *vg_scenario_agency(size_t a)
{
	return a < VG_SCENARIO_AGENCIES ? agencies[a] : "?";
}

int vg_scenario_step(size_t a)
{
	return a < VG_SCENARIO_AGENCIES ? steps[a] : 0;
}

#define SCO_NS "00abedb4-aa42-466c-9c01-fed23315a9b7"

struct sc {
	struct vg_rng rng;
	struct vg_buf b;
	const struct vg_scenario_out *o;
	void *ud;
	size_t agency;
	const char *ts;
};

static void new_id(struct sc *s, const char *type, char out[80])
{
	unsigned char rnd[16];
	char uuid[37];
	for (int i = 0; i < 16; i += 8) {
		uint64_t v = vg_rng_next(&s->rng);
		memcpy(rnd + i, &v, 8);
	}
	vg_uuid_v4(rnd, uuid);
	snprintf(out, 80, "%s--%s", type, uuid);
}

/* An SCO's id: UUIDv5 over its value, as STIX says. */
static void sco_id(const char *type, const char *value, char out[80])
{
	char uuid[37], jcs[400];
	snprintf(jcs, sizeof(jcs), "{\"value\":\"%s\"}", value);
	vg_uuid_v5(SCO_NS, jcs, strlen(jcs), uuid);
	snprintf(out, 80, "%s--%s", type, uuid);
}

/* Emit the object in s->b for the current agency. */
static int emit(struct sc *s)
{
	int rc = s->b.data ? s->o->object(s->ud, s->agency, s->b.data, s->b.len)
	                   : VG_ENOMEM;
	vg_buf_reset(&s->b);
	return rc;
}

static int common(struct sc *s, const char *type, const char *id)
{
	return vg_buf_printf(
	    &s->b,
	    "{\"type\":\"%s\",\"spec_version\":\"2.1\",\"id\":\"%s\","
	    "\"created\":\"%s\",\"modified\":\"%s\"",
	    type, id, s->ts, s->ts);
}

static int person(struct sc *s, const char *id, const char *name,
                  const char *passport, const char *country)
{
	int rc = common(s, "identity", id);
	if (rc)
		return rc;
	/* the name through the JSON writer: it may be Arabic script */
	rc = vg_buf_puts(&s->b, ",\"name\":");
	if (!rc)
		rc = vg_buf_json_str(&s->b, name);
	if (!rc)
		rc = vg_buf_puts(&s->b, ",\"identity_class\":\"individual\"");
	if (!rc && passport)
		rc = vg_buf_printf(&s->b,
		                   ",\"x_vigil_documents\":[{\"type\":\"P\","
		                   "\"number\":\"%s\",\"country\":\"%s\"}]",
		                   passport, country);
	return rc ? rc : vg_buf_putc(&s->b, '}');
}

static int rel(struct sc *s, const char *id, const char *type, const char *src,
               const char *dst)
{
	int rc = common(s, "relationship", id);
	return rc ? rc
	          : vg_buf_printf(
	                &s->b,
	                ",\"relationship_type\":\"%s\","
	                "\"source_ref\":\"%s\",\"target_ref\":\"%s\"}",
	                type, src, dst);
}

static int indicator(struct sc *s, const char *id, const char *name,
                     const char *pattern)
{
	int rc = common(s, "indicator", id);
	return rc ? rc
	          : vg_buf_printf(
	                &s->b,
	                ",\"name\":\"%s\",\"indicator_types\":"
	                "[\"malicious-activity\"],\"pattern\":\"%s\","
	                "\"pattern_type\":\"stix\",\"valid_from\":\"%s\"}",
	                name, pattern, s->ts);
}

static int sco(struct sc *s, const char *type, const char *id,
               const char *value)
{
	return vg_buf_printf(&s->b,
	                     "{\"type\":\"%s\",\"spec_version\":\"2.1\","
	                     "\"id\":\"%s\",\"value\":\"%s\"}",
	                     type, id, value);
}

/* The agency's unrelated synthetic objects, without created_by_ref (the
 * poster's identity becomes it). */
struct noise {
	struct sc *s;
};

#define CBR "\"created_by_ref\":\""

static int on_noise(void *ud, const char *json, size_t len)
{
	struct sc *s = ((struct noise *)ud)->s;
	const char *at = strstr(json, CBR);
	int rc;
	if (at) {
		/* "created_by_ref":"identity--UUID", */
		size_t head = (size_t)(at - json), cut = strlen(CBR) + 46 + 2;
		rc = vg_buf_append(&s->b, json, head);
		if (!rc)
			rc = vg_buf_append(&s->b, json + head + cut,
			                   len - head - cut);
	} else {
		rc = vg_buf_append(&s->b, json, len);
	}
	return rc ? rc : emit(s);
}

static int noise(struct sc *s, uint64_t seed, size_t n)
{
	struct noise x = {s};
	return n ? vg_gen_stix(seed, n, on_noise, &x) : VG_OK;
}

int vg_scenario(uint64_t n, size_t noise_n, const struct vg_scenario_out *o,
                void *ud)
{
	struct sc s = {.rng.s = 0x5ce7a210ULL ^ (n * 0x9e3779b97f4a7c15ULL),
	               .o = o,
	               .ud = ud};
	char la[80], lg[80], lb[80], cell[80], net[80], ia[80], ig[80], r1[80],
	    r2[80], r3[80], r4[80], url[80], dom[80], od[80], loc[80], sig[80];
	char ip[32], domain[96], urlv[160], pass[16], cname[64], nname[64],
	    p[200];
	char q[160];
	const size_t who = (size_t)(n % N_PEOPLE);
	int rc;
	vg_buf_init(&s.b, 1 << 20);
	/* what ties the story together */
	snprintf(ip, sizeof(ip), "203.0.113.%u", 1 + vg_rng_below(&s.rng, 250));
	vg_rng_name(&s.rng, cname, sizeof(cname));
	vg_rng_name(&s.rng, nname, sizeof(nname));
	char lower[64];
	snprintf(lower, sizeof(lower), "%s", cname);
	for (char *c = lower; *c; c++)
		*c = (char)(*c | 0x20);
	snprintf(domain, sizeof(domain), "login-%s-%llu.example", lower,
	         (unsigned long long)n);
	snprintf(urlv, sizeof(urlv), "http://%s/verify/account", domain);
	snprintf(pass, sizeof(pass), "%c%07u", 'A' + vg_rng_below(&s.rng, 26),
	         vg_rng_below(&s.rng, 10000000));
	new_id(&s, "identity", la);
	new_id(&s, "identity", lg);
	new_id(&s, "identity", lb);
	new_id(&s, "threat-actor", cell);
	new_id(&s, "intrusion-set", net);
	new_id(&s, "indicator", ia);
	new_id(&s, "indicator", ig);
	new_id(&s, "relationship", r1);
	new_id(&s, "relationship", r2);
	new_id(&s, "relationship", r3);
	new_id(&s, "relationship", r4);
	new_id(&s, "observed-data", od);
	new_id(&s, "location", loc);
	new_id(&s, "sighting", sig);
	sco_id("url", urlv, url);
	sco_id("domain-name", domain, dom);
	snprintf(p, sizeof(p), "[ipv4-addr:value = '%s']", ip);

	/* alpha: the cell, its leader, its server */
	s.agency = 0;
	s.ts = "2025-03-01T08:00:00.000Z";
	rc = person(&s, la, people[who].latin, NULL, NULL) || emit(&s);
	if (!rc)
		rc = common(&s, "threat-actor", cell) ||
		     vg_buf_printf(
		         &s.b,
		         ",\"name\":\"%s Brigade\",\"threat_actor_types\":"
		         "[\"terrorist\"],\"labels\":[\"cell\"],"
		         "\"description\":\"Fictional local cell.\"}",
		         cname) ||
		     emit(&s);
	if (!rc)
		rc = rel(&s, r1, "related-to", la, cell) || emit(&s);
	if (!rc)
		rc = indicator(&s, ia, "Server of the cell", p) || emit(&s);
	if (!rc)
		rc = rel(&s, r2, "indicates", ia, cell) || emit(&s);
	if (!rc)
		rc = noise(&s, n * 3 + 1, noise_n);

	/* gamma: the foreign network, its contact, the same server */
	s.agency = 2;
	s.ts = "2025-03-05T08:00:00.000Z";
	if (!rc)
		rc = common(&s, "intrusion-set", net) ||
		     vg_buf_printf(&s.b,
		                   ",\"name\":\"%s Network\",\"description\":"
		                   "\"Fictional foreign network.\"}",
		                   nname) ||
		     emit(&s);
	if (!rc)
		rc = person(&s, lg, people[who].arabic, pass, countries[2]) ||
		     emit(&s);
	if (!rc)
		rc = rel(&s, r3, "related-to", lg, net) || emit(&s);
	if (!rc)
		rc = indicator(&s, ig, "Server of the network", p) || emit(&s);
	if (!rc)
		rc = rel(&s, r4, "indicates", ig, net) || emit(&s);
	if (!rc)
		rc = sco(&s, "url", url, urlv) || emit(&s);
	if (!rc)
		rc = common(&s, "observed-data", od) ||
		     vg_buf_printf(
		         &s.b,
		         ",\"first_observed\":\"%s\",\"last_observed\":"
		         "\"%s\",\"number_observed\":4,\"object_refs\":"
		         "[\"%s\"]}",
		         s.ts, s.ts, url) ||
		     emit(&s);
	if (!rc)
		rc = noise(&s, n * 3 + 3, noise_n);

	/* beta: the leader travels; the phishing domain */
	s.agency = 1;
	s.ts = "2025-03-09T08:00:00.000Z";
	if (!rc)
		rc = person(&s, lb, people[who].travel, pass, countries[2]) ||
		     emit(&s);
	if (!rc)
		rc = common(&s, "location", loc) ||
		     vg_buf_printf(&s.b,
		                   ",\"name\":\"Border crossing\",\"country\":"
		                   "\"%s\"}",
		                   countries[1]) ||
		     emit(&s);
	if (!rc)
		rc = common(&s, "sighting", sig) ||
		     vg_buf_printf(
		         &s.b,
		         ",\"sighting_of_ref\":\"%s\","
		         "\"where_sighted_refs\":[\"%s\"],\"count\":1}",
		         lb, loc) ||
		     emit(&s);
	if (!rc)
		rc = sco(&s, "domain-name", dom, domain) || emit(&s);
	if (!rc)
		rc = noise(&s, n * 3 + 2, noise_n);
	if (rc) {
		vg_buf_release(&s.b);
		return rc == 1 ? VG_ENOMEM : rc;
	}

	/* the ground truth */
	struct vg_buf t;
	struct vg_jw w;
	vg_buf_init(&t, 0);
	vg_jw_init(&w, &t);
	vg_jw_obj(&w);
	vg_jw_kint(&w, "scenario", (int64_t)n);
	vg_jw_kint(&w, "noise", (int64_t)noise_n);
	vg_jw_key(&w, "agencies");
	vg_jw_arr(&w);
	static const size_t order[] = {0, 2, 1};
	for (size_t i = 0; i < 3; i++) {
		vg_jw_obj(&w);
		vg_jw_kstr(&w, "name", agencies[order[i]]);
		vg_jw_kint(&w, "step", steps[order[i]]);
		vg_jw_close(&w);
	}
	vg_jw_close(&w);
#define LINK(k, a, b)                                                          \
	do {                                                                   \
		vg_jw_obj(&w);                                                 \
		vg_jw_kstr(&w, "kind", k);                                     \
		vg_jw_kstr(&w, "from", a);                                     \
		vg_jw_kstr(&w, "to", b);                                       \
		vg_jw_close(&w);                                               \
	} while (0)
	vg_jw_key(&w, "links");
	vg_jw_arr(&w);
	LINK("name", la, lg);     /* alpha's leader, gamma's contact */
	LINK("name", la, lb);     /* alpha's leader, beta's traveller */
	LINK("document", lb, lg); /* beta's traveller, gamma's contact */
	LINK("ip", ia, ig);       /* the one server */
	LINK("domain", dom, url); /* beta's domain, gamma's URL on it */
	vg_jw_close(&w);
	vg_jw_key(&w, "paths");
	vg_jw_arr(&w);
	vg_jw_obj(&w);
	vg_jw_kstr(&w, "from", cell);
	vg_jw_kstr(&w, "to", net);
	vg_jw_kint(&w, "max_length", 3);
	vg_jw_close(&w);
	vg_jw_close(&w);
#define WATCH(nm, ag, k, term)                                                 \
	do {                                                                   \
		vg_jw_obj(&w);                                                 \
		vg_jw_kstr(&w, "name", nm);                                    \
		vg_jw_kstr(&w, "agency", ag);                                  \
		vg_jw_kstr(&w, "kind", k);                                     \
		vg_jw_kstr(&w, "term", term);                                  \
		vg_jw_close(&w);                                               \
	} while (0)
	snprintf(q, sizeof(q), "[domain-name:value = '%s']", domain);
	vg_jw_key(&w, "watches");
	vg_jw_arr(&w);
	WATCH("w-ip", "alpha", "value", ip);
	WATCH("w-name", "alpha", "name", people[who].latin);
	WATCH("w-doc", "beta", "document", pass);
	WATCH("w-pattern", "gamma", "pattern", q);
	WATCH("w-object", "gamma", "object", net);
	WATCH("w-query", "beta", "query", "{\"labels\":[\"cell\"]}");
	vg_jw_close(&w);
#define ALERT(nm, st, obj)                                                     \
	do {                                                                   \
		vg_jw_obj(&w);                                                 \
		vg_jw_kstr(&w, "watch", nm);                                   \
		vg_jw_kint(&w, "step", st);                                    \
		vg_jw_kstr(&w, "object", obj);                                 \
		vg_jw_close(&w);                                               \
	} while (0)
	vg_jw_key(&w, "alerts");
	vg_jw_arr(&w);
	ALERT("w-ip", 1, ia);
	ALERT("w-name", 1, la);
	ALERT("w-query", 1, cell);
	ALERT("w-ip", 2, ig);
	ALERT("w-name", 2, lg);
	ALERT("w-doc", 2, lg);
	ALERT("w-object", 2, net);
	ALERT("w-object", 2, r3);
	ALERT("w-object", 2, r4);
	ALERT("w-name", 3, lb);
	ALERT("w-doc", 3, lb);
	ALERT("w-pattern", 3, dom);
	vg_jw_close(&w);
	vg_jw_close(&w);
	rc = vg_jw_end(&w);
	if (!rc)
		rc = o->truth(ud, t.data, t.len);
	vg_buf_release(&t);
	vg_buf_release(&s.b);
	return rc;
}
