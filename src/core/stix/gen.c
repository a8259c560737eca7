/* The synthetic STIX generator behind `vigil gen`. */
#include "vigil/stix/gen.h"
#include "vigil/util/buf.h"
#include "vigil/util/error.h"
#include "vigil/stix/stix.h"
#include "vigil/util/timefmt.h"

#include <stdio.h>
#include <string.h>

uint64_t vg_rng_next(struct vg_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint32_t vg_rng_below(struct vg_rng *r, uint32_t n)
{
	return (uint32_t)((vg_rng_next(r) >> 32) * n >> 32);
}

static const char *const syllables[] = {
	"ka", "lo", "ri", "zen", "mar", "tu", "vel", "qo", "sa", "dri",
	"no", "bex", "ul", "fen", "ira", "go", "pel", "ta", "wyn", "or",
	"mi", "dax", "el", "ru", "sto", "ven", "ha", "ly", "kor", "bi",
};

void vg_rng_name(struct vg_rng *r, char *out, size_t n)
{
	size_t len = 0;
	int k = 2 + (int)vg_rng_below(r, 2);
	out[0] = '\0';
	for (int i = 0; i < k; i++) {
		const char *s = syllables[vg_rng_below(
			r, sizeof(syllables) / sizeof(syllables[0]))];
		len += (size_t)snprintf(out + len, n > len ? n - len : 0, "%s", s);
	}
	if (out[0] >= 'a' && out[0] <= 'z')
		out[0] = (char)(out[0] - 'a' + 'A');
}

enum kind {
	K_PERSON, K_AGENCY, K_ACTOR, K_LOCATION, K_INCIDENT, K_OBSERVABLE,
	K_INDICATOR, K_SIGHTING, K_RELATIONSHIP, K_REPORT, K__N,
};

/* Twenty objects a round, in this order, so references point back. */
static const enum kind round_plan[] = {
	K_AGENCY, K_PERSON, K_PERSON, K_ACTOR, K_ACTOR, K_LOCATION,
	K_INCIDENT, K_OBSERVABLE, K_INDICATOR, K_OBSERVABLE, K_INDICATOR,
	K_OBSERVABLE, K_INDICATOR, K_SIGHTING, K_SIGHTING, K_RELATIONSHIP,
	K_RELATIONSHIP, K_RELATIONSHIP, K_RELATIONSHIP, K_REPORT,
};
#define ROUND (sizeof(round_plan) / sizeof(round_plan[0]))

#define RECENT 16

struct gen {
	struct vg_rng rng;
	struct vg_buf b;
	char ids[K__N][RECENT][80]; /* recent ids by kind */
	size_t n[K__N];
	char last_obs_pattern[260];
	char ts[32];
	size_t index; /* of the object being generated */
};

static const char *recent(struct gen *g, enum kind k)
{
	size_t n = g->n[k] < RECENT ? g->n[k] : RECENT;
	if (!n)
		return NULL;
	return g->ids[k][vg_rng_below(&g->rng, (uint32_t)n)];
}

static void new_id(struct gen *g, enum kind k, const char *type)
{
	unsigned char rnd[16];
	char uuid[37];
	for (int i = 0; i < 16; i += 8) {
		uint64_t v = vg_rng_next(&g->rng);
		memcpy(rnd + i, &v, 8);
	}
	vg_uuid_v4(rnd, uuid);
	snprintf(g->ids[k][g->n[k] % RECENT], 80, "%s--%s", type, uuid);
}

static const char *cur(struct gen *g, enum kind k)
{
	return g->ids[k][g->n[k] % RECENT];
}

static const char *const countries[] = {"FR", "DE", "ES", "IT", "NL", "BE",
					"PT", "PL", "SE", "AT", "GR", "IE"};
static const char *const motivations[] = {"ideology", "dominance",
					  "revenge", "organizational-gain"};
static const char *const sectors[] = {"government-national",
				      "government-public-services",
				      "law-enforcement", "defense",
				      "transportation"};

static int common(struct gen *g, const char *type, enum kind k)
{
	new_id(g, k, type);
	return vg_buf_printf(&g->b,
			     "{\"type\":\"%s\",\"spec_version\":\"2.1\","
			     "\"id\":\"%s\",\"created\":\"%s\",\"modified\":\"%s\"",
			     type, cur(g, k), g->ts, g->ts);
}

static int person_name(struct gen *g, char *out, size_t n)
{
	char given[32], family[32];
	vg_rng_name(&g->rng, given, sizeof(given));
	vg_rng_name(&g->rng, family, sizeof(family));
	return snprintf(out, n, "%s %s", given, family) < 0;
}

static int emit(struct gen *g, enum kind k)
{
	struct vg_rng *r = &g->rng;
	struct vg_buf *b = &g->b;
	char name[80], tmp[200];
	int rc = VG_OK;
	const char *a, *t;
	if ((unsigned)k >= K__N)
		return VG_EINVAL;
	switch (k) {
	case K_AGENCY:
		vg_rng_name(r, tmp, sizeof(tmp));
		rc = common(g, "identity", k) ||
		     vg_buf_printf(b, ",\"name\":\"%s Security Agency\","
				      "\"identity_class\":\"organization\","
				      "\"sectors\":[\"%s\"],\"contact_information\":"
				      "\"duty-desk@agency-%zu.example\"}",
				   tmp, sectors[vg_rng_below(r, 5)], g->index);
		break;
	case K_PERSON:
		person_name(g, name, sizeof(name));
		rc = common(g, "identity", k) ||
		     vg_buf_printf(b, ",\"name\":\"%s\",\"identity_class\":"
				      "\"individual\",\"description\":\"Fictional "
				      "person of interest, born %d, national of %s.\"}",
				   name, 1950 + (int)vg_rng_below(r, 55),
				   countries[vg_rng_below(r, 12)]);
		break;
	case K_ACTOR:
		vg_rng_name(r, tmp, sizeof(tmp));
		a = recent(g, K_AGENCY);
		rc = common(g, "threat-actor", k) ||
		     vg_buf_printf(b, ",\"created_by_ref\":\"%s\",\"name\":"
				      "\"%s Cell\",\"threat_actor_types\":[\"terrorist\"],"
				      "\"aliases\":[\"%s Network\"],\"roles\":[\"agent\"],"
				      "\"primary_motivation\":\"%s\",\"sophistication\":"
				      "\"intermediate\",\"description\":\"Fictional "
				      "group for testing.\"}",
				   a, tmp, tmp, motivations[vg_rng_below(r, 4)]);
		break;
	case K_LOCATION:
		rc = common(g, "location", k) ||
		     vg_buf_printf(b, ",\"country\":\"%s\",\"latitude\":%d.%04u,"
				      "\"longitude\":%d.%04u}",
				   countries[vg_rng_below(r, 12)],
				   35 + (int)vg_rng_below(r, 25), vg_rng_below(r, 10000),
				   -9 + (int)vg_rng_below(r, 35), vg_rng_below(r, 10000));
		break;
	case K_INCIDENT:
		vg_rng_name(r, tmp, sizeof(tmp));
		rc = common(g, "incident", k) ||
		     vg_buf_printf(b, ",\"created_by_ref\":\"%s\",\"name\":"
				      "\"Operation %s\",\"description\":\"Fictional "
				      "incident reported by a partner agency.\"}",
				   recent(g, K_AGENCY), tmp);
		break;
	case K_OBSERVABLE: {
		/* SCO ids are UUIDv5 over the JCS form, as the standard says */
		char uuid[37], jcs[240];
		int ip = vg_rng_below(r, 2);
		/* the object's index makes every value, so every id, unique */
		if (ip)
			snprintf(tmp, sizeof(tmp), "10.%u.%u.%u",
				 (unsigned)(g->index >> 16 & 255),
				 (unsigned)(g->index >> 8 & 255),
				 (unsigned)(g->index & 255));
		else {
			vg_rng_name(r, name, sizeof(name));
			for (char *p = name; *p; p++)
				*p = (char)(*p | 0x20);
			snprintf(tmp, sizeof(tmp), "%s-%zu.example", name,
				 g->index);
		}
		snprintf(jcs, sizeof(jcs), "{\"value\":\"%s\"}", tmp);
		vg_uuid_v5("00abedb4-aa42-466c-9c01-fed23315a9b7", jcs,
			   strlen(jcs), uuid);
		t = ip ? "ipv4-addr" : "domain-name";
		snprintf(g->ids[k][g->n[k] % RECENT], 80, "%s--%s", t, uuid);
		snprintf(g->last_obs_pattern, sizeof(g->last_obs_pattern),
			 "[%s:value = '%s']", t, tmp);
		rc = vg_buf_printf(b, "{\"type\":\"%s\",\"spec_version\":\"2.1\","
				      "\"id\":\"%s\",\"value\":\"%s\"}",
				   t, cur(g, k), tmp);
		break;
	}
	case K_INDICATOR:
		rc = common(g, "indicator", k) ||
		     vg_buf_printf(b, ",\"created_by_ref\":\"%s\",\"name\":"
				      "\"Infrastructure of interest\",\"indicator_types\":"
				      "[\"malicious-activity\"],\"pattern\":\"%s\","
				      "\"pattern_type\":\"stix\",\"valid_from\":\"%s\","
				      "\"confidence\":%u}",
				   recent(g, K_AGENCY), g->last_obs_pattern, g->ts,
				   50 + vg_rng_below(r, 51));
		break;
	case K_SIGHTING:
		rc = common(g, "sighting", k) ||
		     vg_buf_printf(b, ",\"sighting_of_ref\":\"%s\","
				      "\"where_sighted_refs\":[\"%s\"],\"count\":%u,"
				      "\"first_seen\":\"%s\",\"last_seen\":\"%s\"}",
				   recent(g, K_INDICATOR), recent(g, K_AGENCY),
				   1 + vg_rng_below(r, 20), g->ts, g->ts);
		break;
	case K_RELATIONSHIP: {
		static const char *const kinds[][3] = {
			{"indicates", "i", "a"},
			{"attributed-to", "n", "a"},
			{"located-at", "a", "l"},
			{"related-to", "p", "a"},
		};
		const char *const *kd = kinds[vg_rng_below(r, 4)];
		const char *src = recent(g, kd[1][0] == 'i'   ? K_INDICATOR
					    : kd[1][0] == 'n' ? K_INCIDENT
							      : kd[1][0] == 'a'
								? K_ACTOR
								: K_PERSON);
		const char *dst = recent(g, kd[2][0] == 'l' ? K_LOCATION : K_ACTOR);
		rc = common(g, "relationship", k) ||
		     vg_buf_printf(b, ",\"relationship_type\":\"%s\","
				      "\"source_ref\":\"%s\",\"target_ref\":\"%s\"}",
				   kd[0], src, dst);
		break;
	}
	case K_REPORT:
		vg_rng_name(r, tmp, sizeof(tmp));
		rc = common(g, "report", k) ||
		     vg_buf_printf(b, ",\"created_by_ref\":\"%s\",\"name\":"
				      "\"Threat assessment %s\",\"report_types\":"
				      "[\"threat-actor\"],\"published\":\"%s\","
				      "\"object_refs\":[\"%s\",\"%s\",\"%s\"]}",
				   recent(g, K_AGENCY), tmp, g->ts,
				   recent(g, K_ACTOR), recent(g, K_INCIDENT),
				   recent(g, K_INDICATOR));
		break;
	case K__N:
		return VG_EINVAL;
	}
	g->n[k]++;
	return rc ? VG_ENOMEM : VG_OK;
}

int vg_gen_stix(uint64_t seed, size_t count, vg_gen_cb cb, void *ud)
{
	struct gen gs = {.rng.s = seed};
	struct gen *g = &gs;
	vg_buf_init(&g->b, 0);
	int rc = VG_OK;
	/* 2024-01-01T00:00:00Z, one object a second */
	const int64_t base = 1704067200LL * 1000000;
	for (size_t i = 0; i < count && !rc; i++) {
		char t[VG_TIME_LEN];
		vg_time_format_us(base + (int64_t)i * 1000000 +
					  (int64_t)(i % 1000) * 1000,
				  t);
		memcpy(g->ts, t, 23); /* keep milliseconds */
		g->ts[23] = 'Z';
		g->ts[24] = '\0';
		vg_buf_reset(&g->b);
		g->index = i;
		rc = emit(g, round_plan[i % ROUND]);
		if (!rc)
			rc = cb(ud, g->b.data, g->b.len);
	}
	vg_buf_release(&g->b);
	return rc;
}
