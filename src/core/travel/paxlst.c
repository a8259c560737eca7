/* PAXLST: the interchange envelope (UNB/UNG/UNE/UNZ), each message's
 * structure in the order of the guide (UNH, BGM, Groups 1-5, CNT, UNT),
 * and the flight groups. Traveller groups are in paxlst_trav.c. */
#include "paxlst_int.h"
#include "util/text.h"
#include "vigil/util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Text of (el, c) that a structural field needs: VG_EINVAL reported. */
static int text_or_fail(struct vg__pax *p, size_t el, size_t c, char **out)
{
	int rc = vg__pax_text(p, el, c, out);
	if (rc == VG_EINVAL)
		return vg__pax_fail(p, el, c, "not valid UTF-8");
	return rc;
}

static int is_tag(const struct vg__pax *p, const char *tag)
{
	return !memcmp(p->s.tag, tag, 4);
}

static int comp_is(const struct vg__pax *p, size_t el, size_t c,
                   const char *want)
{
	return !strcmp(vg__edi_get(&p->s, el, c, NULL), want);
}

/* A count element: digits only, at most 9 of them; -1 otherwise. */
static long count_of(const struct vg__pax *p, size_t el, size_t c)
{
	size_t n;
	const char *v = vg__edi_get(&p->s, el, c, &n);
	return vg__digits(v, n);
}

static int out_of_order(struct vg__pax *p)
{
	return vg__pax_fail(p, 0, 0, "out of order after segment %zu '%s'",
	                    p->prev_no, p->prev_tag);
}

/* Order inside Group 4 or 5: ranks may repeat but never go back. */
static int rank(struct vg__pax *p, int r)
{
	if (r < p->rank)
		return out_of_order(p);
	p->rank = r;
	return VG_OK;
}

/* ---- the envelope ----------------------------------------------------- */

static int unb(struct vg__pax *p)
{
	struct vg_paxlst *px = &p->px;
	size_t n;
	const char *syn = vg__edi_get(&p->s, 1, 1, &n);
	char s[64], s2[64];
	if (!(n == 4 && (!strcmp(syn, "UNOA") || !strcmp(syn, "UNOB") ||
	                 !strcmp(syn, "UNOC") || !strcmp(syn, "UNOY"))))
		return vg__pax_fail(p, 1, 1,
		                    "syntax identifier '%s' is not UNOA, "
		                    "UNOB, UNOC or UNOY",
		                    vg__pax_snip(p, 1, 1, s));
	memcpy(px->syntax, syn, 5);
	p->latin1 = !strcmp(syn, "UNOC");
	int rc;
	if ((rc = text_or_fail(p, 2, 1, &px->sender)) ||
	    (rc = text_or_fail(p, 3, 1, &px->recipient)) ||
	    (rc = text_or_fail(p, 5, 1, &px->control_ref)))
		return rc;
	if (!px->sender)
		return vg__pax_fail(p, 2, 1, "no sender identification");
	if (!px->control_ref)
		return vg__pax_fail(p, 5, 1,
		                    "no interchange control reference");
	const char *d = vg__edi_get(&p->s, 4, 1, &n);
	size_t tn;
	const char *tm = vg__edi_get(&p->s, 4, 2, &tn);
	char v[16];
	if ((n != 6 && n != 8) || (tn != 4 && tn != 0))
		goto bad_date;
	memcpy(v, d, n);
	memcpy(v + n, tm, tn);
	v[n + tn] = '\0';
	if (vg__pax_time(p, v, n + tn,
	                 n == 6 ? (tn ? "201" : "101") : (tn ? "203" : "102"),
	                 0, &px->prepared))
		goto bad_date;
	p->ref.year = px->prepared.year;
	p->ref.month = px->prepared.month;
	p->ref.day = px->prepared.day;
	return VG_OK;
bad_date:
	return vg__pax_fail(p, 4, 0,
	                    "date and time of preparation '%s:%s' is not a "
	                    "date (YYMMDD:HHMM)",
	                    vg__pax_snip(p, 4, 1, s),
	                    vg__pax_snip(p, 4, 2, s2));
}

static int unh(struct vg__pax *p)
{
	struct vg_paxlst *px = &p->px;
	char s1[64], s2[64], s3[64];
	int rc;
	if (vg__grow((void **)&px->msgs, px->n_msgs, sizeof(*px->msgs)))
		return VG_ENOMEM;
	p->m = &px->msgs[px->n_msgs++];
	memset(p->m, 0, sizeof(*p->m));
	vg_travel_list_init(&p->m->list);
	p->mseg = 1;
	p->st = VG__M_BGM;
	p->trav = p->doc = VG__PAX_NONE;
	if ((rc = vg__pax_text(p, 1, 1, &p->m->ref)) == VG_ENOMEM)
		return rc;
	if (!p->m->ref) {
		/* the errors name the message: give it an empty name */
		if (!(p->m->ref = strdup("")))
			return VG_ENOMEM;
		return vg__pax_fail(p, 1, 1,
		                    rc ? "message reference is not valid UTF-8"
		                       : "no message reference");
	}
	if (!comp_is(p, 2, 1, "PAXLST") || !comp_is(p, 2, 2, "D") ||
	    !(comp_is(p, 2, 3, "02B") || comp_is(p, 2, 3, "05B")))
		return vg__pax_fail(p, 2, 0,
		                    "message type '%s:%s:%s' is not "
		                    "PAXLST:D:02B or PAXLST:D:05B",
		                    vg__pax_snip(p, 2, 1, s1),
		                    vg__pax_snip(p, 2, 2, s2),
		                    vg__pax_snip(p, 2, 3, s3));
	memcpy(p->m->version, vg__edi_get(&p->s, 2, 3, NULL), 4);
	return VG_OK;
}

static int unt(struct vg__pax *p)
{
	char s[64], r[64];
	if (p->st != VG__M_CNT)
		return vg__pax_fail(p, 0, 0,
		                    "the message has no CNT before UNT");
	long n = count_of(p, 1, 1);
	if (n < 0)
		return vg__pax_fail(p, 1, 0,
		                    "segment count '%s' is not a number",
		                    vg__pax_snip(p, 1, 1, s));
	if ((size_t)n != p->mseg)
		return vg__pax_fail(p, 1, 0,
		                    "segment count %ld but the message has %zu "
		                    "segments",
		                    n, p->mseg);
	if (strcmp(vg__edi_get(&p->s, 2, 1, NULL), p->m->ref)) {
		vg__snippet(r, sizeof(r), p->m->ref, strlen(p->m->ref));
		return vg__pax_fail(p, 2, 0,
		                    "message reference '%s' does not match UNH "
		                    "'%s'",
		                    vg__pax_snip(p, 2, 1, s), r);
	}
	p->m = NULL;
	return VG_OK;
}

/* UNE and UNZ: a count of what they close and the opening reference. */
static int trailer(struct vg__pax *p, size_t want, const char *what,
                   const char *ref, const char *opener)
{
	char s[64], r[64];
	long n = count_of(p, 1, 1);
	if (n < 0)
		return vg__pax_fail(p, 1, 0, "%s count '%s' is not a number",
		                    what, vg__pax_snip(p, 1, 1, s));
	if ((size_t)n != want)
		return vg__pax_fail(p, 1, 0, "%s count %ld but there %s %zu",
		                    what, n, want == 1 ? "is" : "are", want);
	if (strcmp(vg__edi_get(&p->s, 2, 1, NULL), ref)) {
		vg__snippet(r, sizeof(r), ref, strlen(ref));
		return vg__pax_fail(p, 2, 0,
		                    "reference '%s' does not match %s '%s'",
		                    vg__pax_snip(p, 2, 1, s), opener, r);
	}
	return VG_OK;
}

/* ---- message header, Group 1, Groups 2 and 3 ------------------------- */

static int bgm(struct vg__pax *p)
{
	char s[64];
	if (comp_is(p, 1, 1, "745"))
		p->m->doc_code = 745;
	else if (comp_is(p, 1, 1, "250"))
		p->m->doc_code = 250;
	else
		return vg__pax_fail(p, 1, 1,
		                    "document code '%s' is not 745 "
		                    "(passengers) or 250 (crew)",
		                    vg__pax_snip(p, 1, 1, s));
	return VG_OK;
}

static int nad_ms(struct vg__pax *p)
{
	int rc;
	if (p->m->reporting_party)
		return VG_OK; /* the first reporting party is kept */
	if ((rc = text_or_fail(p, 4, 1, &p->m->reporting_party)))
		return rc;
	if (!p->m->reporting_party)
		rc = text_or_fail(p, 3, 1, &p->m->reporting_party);
	return rc;
}

static int com(struct vg__pax *p)
{
	if (p->m->contact)
		return VG_OK;
	return text_or_fail(p, 1, 1, &p->m->contact);
}

static int tdt(struct vg__pax *p)
{
	struct vg_paxlst_msg *m = p->m;
	char s[64];
	int rc;
	if (!comp_is(p, 1, 1, "20"))
		return vg__pax_fail(p, 1, 0,
		                    "transport stage qualifier '%s' is not 20",
		                    vg__pax_snip(p, 1, 1, s));
	if (vg__grow((void **)&m->flights, m->n_flights, sizeof(*m->flights)))
		return VG_ENOMEM;
	struct vg_pax_flight *f = &m->flights[m->n_flights++];
	memset(f, 0, sizeof(*f));
	if ((rc = text_or_fail(p, 2, 1, &f->ident)) ||
	    (rc = text_or_fail(p, 5, 1, &f->carrier)))
		return rc;
	if (!f->ident)
		return vg__pax_fail(p, 2, 0, "no flight identification");
	size_t cl = f->carrier ? strlen(f->carrier) : 0;
	size_t il = strlen(f->ident);
	if (cl && strncmp(f->ident, f->carrier, cl)) {
		f->number = malloc(cl + il + 1);
		if (f->number)
			sprintf(f->number, "%s%s", f->carrier, f->ident);
	} else {
		f->number = strdup(f->ident);
	}
	return f->number ? VG_OK : VG_ENOMEM;
}

static struct vg_pax_leg *last_leg(struct vg__pax *p)
{
	struct vg_pax_flight *f = &p->m->flights[p->m->n_flights - 1];
	return f->n_legs ? &f->legs[f->n_legs - 1] : NULL;
}

static int flight_loc(struct vg__pax *p)
{
	struct vg_pax_flight *f = &p->m->flights[p->m->n_flights - 1];
	struct vg_pax_leg *leg = last_leg(p);
	int dep = comp_is(p, 1, 1, "125"), arr = comp_is(p, 1, 1, "87");
	char *code = NULL;
	int rc;
	if (!dep && !arr)
		return VG_OK; /* routing (92) and other places: not kept */
	if ((rc = text_or_fail(p, 2, 1, &code)))
		return rc;
	if (!code)
		return vg__pax_fail(p, 2, 1, "no location code");
	if (!leg || dep || leg->arr_airport) {
		if (vg__grow((void **)&f->legs, f->n_legs, sizeof(*f->legs))) {
			free(code);
			return VG_ENOMEM;
		}
		leg = &f->legs[f->n_legs++];
		memset(leg, 0, sizeof(*leg));
		leg->dep_time.hour = leg->dep_time.minute = -1;
		leg->arr_time.hour = leg->arr_time.minute = -1;
	}
	if (dep)
		leg->dep_airport = code;
	else
		leg->arr_airport = code;
	return VG_OK;
}

static int flight_dtm(struct vg__pax *p)
{
	struct vg_pax_leg *leg = last_leg(p);
	int dep = comp_is(p, 1, 1, "189"), arr = comp_is(p, 1, 1, "232");
	size_t n;
	char s[64];
	if (!dep && !arr)
		return VG_OK;
	if (!leg || (dep && !leg->dep_airport) || (arr && !leg->arr_airport))
		return vg__pax_fail(
		    p, 1, 1, "%s time without its place (LOC+%s)",
		    dep ? "departure" : "arrival", dep ? "125" : "87");
	const char *v = vg__edi_get(&p->s, 1, 2, &n);
	if (vg__pax_time(p, v, n, vg__edi_get(&p->s, 1, 3, NULL), 0,
	                 dep ? &leg->dep_time : &leg->arr_time))
		return vg__pax_fail(p, 1, 2, "%s time '%s' is not a date",
		                    dep ? "departure" : "arrival",
		                    vg__pax_snip(p, 1, 2, s));
	return VG_OK;
}

static int cnt(struct vg__pax *p)
{
	char s[64];
	int pax = comp_is(p, 1, 1, "42"), crew = comp_is(p, 1, 1, "41");
	if (!pax && !crew)
		return VG_OK;
	long n = count_of(p, 1, 2);
	if (n < 0)
		return vg__pax_fail(p, 1, 2, "count '%s' is not a number",
		                    vg__pax_snip(p, 1, 2, s));
	size_t have = pax ? p->m->n_passengers : p->m->n_crew;
	if ((size_t)n != have)
		return vg__pax_fail(p, 1, 2,
		                    "%s count %ld but the message holds %zu "
		                    "%s",
		                    pax ? "passenger" : "crew", n, have,
		                    pax ? "passengers (NAD+FL/DDT)"
		                        : "crew members (NAD+FM/DDU)");
	return VG_OK;
}

/* ---- one message segment in the guide's order ----------------------- */

static int nad(struct vg__pax *p)
{
	char s[64];
	static const struct {
		const char *q;
		enum vg_traveller_role role;
	} roles[] = {
	    {"FL", VG_ROLE_PASSENGER},
	    {"FM", VG_ROLE_CREW},
	    {"DDT", VG_ROLE_TRANSIT_PASSENGER},
	    {"DDU", VG_ROLE_TRANSIT_CREW},
	};
	if (comp_is(p, 1, 1, "MS")) {
		if (p->st != VG__M_HDR && p->st != VG__M_G1)
			return out_of_order(p);
		p->st = VG__M_G1;
		return nad_ms(p);
	}
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		if (!comp_is(p, 1, 1, roles[i].q))
			continue;
		if (p->st < VG__M_G2 || p->st > VG__M_G5)
			return out_of_order(p);
		p->st = VG__M_G4;
		p->rank = 0;
		return vg__pax_traveller(p, roles[i].role);
	}
	return vg__pax_fail(p, 1, 1,
	                    "party qualifier '%s' is not MS, FL, FM, DDT or "
	                    "DDU",
	                    vg__pax_snip(p, 1, 1, s));
}

/* Segments of Group 4 in the guide's order (NAD is rank 0). */
static const struct {
	char tag[4];
	int g4, g5; /* rank in Group 4 / Group 5, -1 not there */
} ranks[] = {
    {"ATT", 1, -1}, {"DTM", 2, 1},  {"MEA", 3, -1}, {"GEI", 4, 2},
    {"FTX", 5, -1}, {"LOC", 6, 4},  {"COM", 7, -1}, {"EMP", 8, -1},
    {"NAT", 9, -1}, {"RFF", 10, 3}, {"CPI", -1, 5}, {"QTY", -1, 6},
};

static int in_traveller(struct vg__pax *p)
{
	for (size_t i = 0; i < sizeof(ranks) / sizeof(ranks[0]); i++) {
		if (!is_tag(p, ranks[i].tag))
			continue;
		int r = p->st == VG__M_G4 ? ranks[i].g4 : ranks[i].g5;
		int rc;
		if (r < 0)
			return out_of_order(p);
		if ((rc = rank(p, r)))
			return rc;
		return p->st == VG__M_G4 ? vg__pax_g4(p) : vg__pax_g5(p);
	}
	return -1; /* not a traveller segment */
}

static int message_segment(struct vg__pax *p)
{
	enum vg__pax_st st = p->st;
	int rc;

	if (st == VG__M_BGM) {
		if (!is_tag(p, "BGM"))
			return out_of_order(p);
		p->st = VG__M_HDR;
		return bgm(p);
	}
	if (is_tag(p, "NAD"))
		return nad(p);
	if (is_tag(p, "DOC")) {
		if (st != VG__M_G4 && st != VG__M_G5)
			return out_of_order(p);
		p->st = VG__M_G5;
		p->rank = 0;
		return vg__pax_g5(p);
	}
	if (st == VG__M_G4 || st == VG__M_G5) {
		if ((rc = in_traveller(p)) >= 0)
			return rc;
	}
	if (is_tag(p, "CNT")) {
		if (st < VG__M_G2)
			return out_of_order(p);
		p->st = VG__M_CNT;
		return cnt(p);
	}
	if (is_tag(p, "TDT")) {
		if (st < VG__M_HDR || st > VG__M_G3)
			return out_of_order(p);
		p->st = VG__M_G2;
		return tdt(p);
	}
	if (is_tag(p, "LOC")) {
		if (st != VG__M_G2 && st != VG__M_G3)
			return out_of_order(p);
		p->st = VG__M_G3;
		return flight_loc(p);
	}
	if (is_tag(p, "DTM")) {
		if (st == VG__M_G3)
			return flight_dtm(p);
		if (st == VG__M_HDR || st == VG__M_G2)
			return VG_OK; /* message and flight dates: not kept */
		return out_of_order(p);
	}
	if (is_tag(p, "RFF"))
		return st == VG__M_HDR ? VG_OK : out_of_order(p);
	if (is_tag(p, "CTA"))
		return st == VG__M_G1 ? VG_OK : out_of_order(p);
	if (is_tag(p, "COM"))
		return st == VG__M_G1 ? com(p) : out_of_order(p);
	for (size_t i = 0; i < sizeof(ranks) / sizeof(ranks[0]); i++)
		if (is_tag(p, ranks[i].tag))
			return out_of_order(p);
	if (p->s.tag[0] == 'U' && p->s.tag[1] == 'N')
		return vg__pax_fail(p, 0, 0,
		                    "truncated: '%s' before the UNT of the "
		                    "message",
		                    p->s.tag);
	return vg__pax_fail(p, 0, 0, "unknown segment");
}

/* ---- the interchange -------------------------------------------------- */

enum env { E_START, E_IC, E_GRP, E_END };

struct envelope {
	enum env st;
	char *group_ref;
	size_t n_groups, group_msgs;
};

static int envelope_segment(struct vg__pax *p, struct envelope *v)
{
	int rc;
	if (v->st == E_START) {
		if (!is_tag(p, "UNB"))
			return vg__pax_fail(p, 0, 0,
			                    "the interchange must begin with "
			                    "UNB");
		v->st = E_IC;
		return unb(p);
	}
	if (v->st == E_END)
		return vg__pax_fail(p, 0, 0, "segment after UNZ");
	if (is_tag(p, "UNH")) {
		if (v->st == E_IC && v->n_groups)
			return vg__pax_fail(p, 0, 0,
			                    "message outside a group in an "
			                    "interchange with groups");
		v->group_msgs++;
		return unh(p);
	}
	if (v->st == E_IC && is_tag(p, "UNG")) {
		if (p->px.n_msgs)
			return vg__pax_fail(p, 0, 0,
			                    "group after messages outside "
			                    "groups");
		free(v->group_ref);
		v->group_ref = NULL;
		if ((rc = text_or_fail(p, 5, 1, &v->group_ref)))
			return rc;
		if (!v->group_ref)
			return vg__pax_fail(p, 5, 1, "no group reference");
		v->n_groups++;
		v->group_msgs = 0;
		v->st = E_GRP;
		return VG_OK;
	}
	if (v->st == E_GRP && is_tag(p, "UNE")) {
		v->st = E_IC;
		return trailer(p, v->group_msgs, "message", v->group_ref,
		               "UNG");
	}
	if (v->st == E_IC && is_tag(p, "UNZ")) {
		v->st = E_END;
		return trailer(p, v->n_groups ? v->n_groups : p->px.n_msgs,
		               v->n_groups ? "group" : "message",
		               p->px.control_ref, "UNB");
	}
	return vg__pax_fail(p, 0, 0, "'%s' where %s was expected", p->s.tag,
	                    v->st == E_GRP ? "UNH or UNE" : "UNG, UNH or UNZ");
}

static int at_end(struct vg__pax *p, const struct envelope *v)
{
	char ref[64];
	if (p->m) {
		vg__snippet(ref, sizeof(ref), p->m->ref, strlen(p->m->ref));
		vg__errf(p->err, p->errlen,
		         "message '%s': truncated: the input ends after "
		         "segment %zu '%s' without UNT",
		         ref, p->mseg, p->s.tag);
		return VG_EINVAL;
	}
	switch (v->st) {
	case E_START:
		vg__errf(p->err, p->errlen,
		         "interchange: the input holds no segments");
		return VG_EINVAL;
	case E_GRP:
		vg__errf(p->err, p->errlen,
		         "interchange: truncated: the input ends without UNE");
		return VG_EINVAL;
	case E_IC:
		vg__errf(p->err, p->errlen,
		         "interchange: truncated: the input ends without UNZ");
		return VG_EINVAL;
	case E_END:
		break;
	}
	return VG_OK;
}

static void flight_release(struct vg_pax_flight *f)
{
	for (size_t i = 0; i < f->n_legs; i++) {
		free(f->legs[i].dep_airport);
		free(f->legs[i].arr_airport);
	}
	free(f->legs);
	free(f->ident);
	free(f->carrier);
	free(f->number);
}

void vg_paxlst_release(struct vg_paxlst *px)
{
	for (size_t i = 0; i < px->n_msgs; i++) {
		struct vg_paxlst_msg *m = &px->msgs[i];
		free(m->ref);
		free(m->reporting_party);
		free(m->contact);
		for (size_t j = 0; j < m->n_flights; j++)
			flight_release(&m->flights[j]);
		free(m->flights);
		vg_travel_list_release(&m->list);
	}
	free(px->msgs);
	free(px->sender);
	free(px->recipient);
	free(px->control_ref);
	memset(px, 0, sizeof(*px));
}

int vg_paxlst_parse(const char *buf, size_t len, struct vg_paxlst *out,
                    char *err, size_t errlen)
{
	return vg_paxlst_parse_max(buf, len, 0, out, err, errlen);
}

int vg_paxlst_parse_max(const char *buf, size_t len, size_t max,
                        struct vg_paxlst *out, char *err, size_t errlen)
{
	struct vg__pax *p = calloc(1, sizeof(*p));
	struct envelope v = {E_START, NULL, 0, 0};
	char why[160];
	int rc, got;

	if (!p)
		return VG_ENOMEM;
	p->max = max;
	p->err = err;
	p->errlen = errlen;
	vg__edi_seg_init(&p->s);
	if ((rc = vg__edi_init(&p->e, buf, len, why, sizeof(why)))) {
		vg__errf(err, errlen, "interchange: %s", why);
		goto out;
	}
	p->px.comp = p->e.comp;
	p->px.elem = p->e.elem;
	p->px.dec = p->e.dec;
	p->px.rel = p->e.rel;
	p->px.term = p->e.term;
	for (;;) {
		rc = vg__edi_next(&p->e, &p->s, &got, why, sizeof(why));
		if (rc == VG_EINVAL) {
			char ref[64];
			if (p->m) {
				vg__snippet(ref, sizeof(ref), p->m->ref,
				            strlen(p->m->ref));
				vg__errf(err, errlen,
				         "message '%s', segment %zu: %s", ref,
				         p->mseg + 1, why);
			} else {
				vg__errf(err, errlen,
				         "interchange, segment %zu: %s",
				         p->e.count, why);
			}
		}
		if (rc)
			goto out;
		if (!got)
			break;
		if (p->m) {
			p->mseg++;
			rc = is_tag(p, "UNT") ? unt(p) : message_segment(p);
			if (p->m) {
				memcpy(p->prev_tag, p->s.tag, 4);
				p->prev_no = p->mseg;
			}
		} else {
			rc = envelope_segment(p, &v);
			if (p->m) { /* UNH began a message */
				memcpy(p->prev_tag, p->s.tag, 4);
				p->prev_no = p->mseg;
			}
		}
		if (rc)
			goto out;
	}
	if ((rc = at_end(p, &v)))
		goto out;
	*out = p->px;
	memset(&p->px, 0, sizeof(p->px));
out:
	if (rc == VG_ENOMEM)
		vg__errf(err, errlen, "out of memory");
	vg_paxlst_release(&p->px);
	vg__edi_seg_release(&p->s);
	free(v.group_ref);
	free(p);
	return rc;
}
