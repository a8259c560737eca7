/* Changing a watch (warn.h, vg_watch_update): its name, term, threshold,
 * sharing and webhook, never its kind. The checks are a new watch's
 * (warn_watches.c); a change of what it matches moves the generation, so
 * every process rebuilds its watch cache, and evaluates the new term over
 * what is stored, leaving aside what the old term already matched. */
#include "warn_int.h"
#include "vigil/util/error.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A watch row with its own strings. */
struct held {
	struct vg_watch_row r;
	int found;
};

static void held_release(struct held *h)
{
	free((char *)h->r.name);
	free((char *)h->r.user_name);
	free((char *)h->r.term);
	free((char *)h->r.display);
	free((char *)h->r.webhook);
	if (h->r.secret)
		sodium_memzero((char *)h->r.secret, strlen(h->r.secret));
	free((char *)h->r.secret);
	memset(h, 0, sizeof(*h));
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int take_held(void *ud, const struct vg_watch_row *r)
{
	struct held *h = ud;
	h->r = *r;
	h->r.name = strdup(r->name ? r->name : "");
	h->r.user_name = strdup(r->user_name ? r->user_name : "");
	h->r.term = strdup(r->term ? r->term : "");
	h->r.display = strdup(r->display ? r->display : "");
	h->r.webhook = dup_or_null(r->webhook);
	h->r.secret = dup_or_null(r->secret);
	h->found = 1;
	if (!h->r.name || !h->r.user_name || !h->r.term || !h->r.display ||
	    (r->webhook && !h->r.webhook) || (r->secret && !h->r.secret)) {
		held_release(h);
		return VG_ENOMEM;
	}
	return 0;
}

/* The watch as it will be: the change over the row as stored. */
struct edit {
	struct vg_ctx *c;
	int64_t id;
	const struct vg_watch_change *ch;
	const struct vg__watch_made *m; /* the new term checked */
	int term_given;
	/* what differs, for the audit entry and the retroactive run */
	int name, term, threshold, shared, webhook, matching;
	int64_t horizon; /* the newest version stored with the change */
};

static int update_fn(struct vg_store *s, void *arg)
{
	struct edit *e = arg;
	const struct vg_watch_change *ch = e->ch;
	struct held h = {0};
	char target[32];
	int rc = s->ops->warn->watch_get(s, e->id, take_held, &h);
	if (rc)
		goto out;
	struct vg_watch_row n = h.r;
	if (e->term_given) {
		n.term = e->m->term;
		n.display = e->m->display;
	}
	if (ch->name)
		n.name = *ch->name ? ch->name : n.display;
	else if (e->term_given && !strcmp(h.r.name, h.r.display))
		n.name = n.display; /* the name was the term: it follows */
	if (ch->threshold_set)
		n.threshold = ch->threshold;
	if (ch->shared >= 0)
		n.shared = ch->shared;
	if (ch->webhook) {
		n.webhook = *ch->webhook ? ch->webhook : NULL;
		n.secret = *ch->webhook ? e->m->secret : NULL;
	}
	e->name = strcmp(n.name, h.r.name) != 0;
	e->term = strcmp(n.display, h.r.display) || strcmp(n.term, h.r.term);
	e->threshold = n.threshold != h.r.threshold;
	e->shared = n.shared != h.r.shared;
	e->webhook = ch->webhook != NULL;
	e->matching = strcmp(n.term, h.r.term) ||
	              (n.kind == VG_WATCH_NAME && e->threshold);
	if ((rc = s->ops->warn->watch_update(s, &n)) ||
	    (rc = vg__warn_gen_move(s)) ||
	    (rc = vg__watch_horizon(s, &e->horizon)))
		goto out;
	struct vg__detail d;
	vg__detail_begin(&d);
	vg_jw_kstr(&d.w, "kind",
	           vg_watch_kind_name((enum vg_watch_kind)n.kind));
	if (e->name)
		vg_jw_kstr(&d.w, "name", n.name);
	if (e->term) {
		vg_jw_key(&d.w, "term");
		vg_jw_strn(&d.w, n.display, 500);
		vg_jw_key(&d.w, "was");
		vg_jw_strn(&d.w, h.r.display, 500);
	}
	if (e->threshold)
		vg_jw_knum(&d.w, "threshold", n.threshold, 2);
	if (e->shared)
		vg_jw_kbool(&d.w, "shared", n.shared);
	if (e->webhook)
		vg_jw_kstr(&d.w, "webhook", n.webhook ? "new" : "removed");
	const char *detail = vg__detail_end(&d);
	snprintf(target, sizeof(target), "%lld", (long long)e->id);
	rc = detail ? vg__audit(s, e->c, "watch.update", target, detail)
	            : VG_ENOMEM;
	vg__detail_release(&d);
out:
	held_release(&h);
	return rc;
}

/* The check as a new watch's: the current term stands in for one not
 * given, so the threshold and the webhook are checked with it. */
static int check(struct vg_store *s, const struct held *cur,
                 const struct vg_watch_change *ch, struct vg__watch_made *m,
                 char *err, size_t errlen)
{
	struct vg_watch_spec w = {
	    .kind = vg_watch_kind_name((enum vg_watch_kind)cur->r.kind),
	    .term = ch->term ? ch->term : cur->r.display,
	    .threshold = ch->threshold_set ? ch->threshold : cur->r.threshold,
	    .webhook = ch->webhook,
	};
	if (cur->r.kind == VG_WATCH_NAME)
		w.name_kind =
		    !strncmp(cur->r.term, "entity:", 7) ? "entity" : "person";
	else if (ch->threshold_set) {
		snprintf(err, errlen, "only a name watch has a threshold");
		return VG_EINVAL;
	}
	int rc = vg__watch_check(s, &w, m, err, errlen);
	if (!rc && !ch->term) {
		/* the term as stored, however it would be keyed now */
		snprintf(m->term, sizeof(m->term), "%s", cur->r.term);
		snprintf(m->display, sizeof(m->display), "%s", cur->r.display);
	}
	return rc;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int answer(struct vg_store *s, int64_t id, const char *secret,
                  size_t raised, int truncated, struct vg_buf *out)
{
	struct held h = {0};
	int rc = s->ops->warn->watch_get(s, id, take_held, &h);
	if (rc)
		return rc;
	struct vg_jw jw;
	vg_jw_init(&jw, out);
	vg_jw_obj(&jw);
	vg__watch_fields(&jw, &h.r);
	if (secret && *secret)
		vg_jw_kstr(&jw, "secret", secret);
	vg_jw_kint(&jw, "retro", (int64_t)raised);
	if (truncated)
		vg_jw_kstr(&jw, "retro_note", "stopped at the hub's retro_max");
	vg_jw_close(&jw);
	held_release(&h);
	return vg_jw_end(&jw);
}

int vg_watch_update(struct vg_ctx *c, int64_t id,
                    const struct vg_watch_change *ch, struct vg_buf *out,
                    char *err, size_t errlen)
{
	struct vg_store *s = vg__reader(c->svc);
	struct vg__watch_made *m = calloc(1, sizeof(*m));
	struct held cur = {0};
	char target[32], **old = NULL;
	size_t n_old = 0, raised = 0;
	int truncated = 0;
	int rc = vg__require(c, VG_ACT_READ, "watch.update");
	if (rc || !m) {
		free(m);
		return rc ? rc : VG_ENOMEM;
	}
	snprintf(target, sizeof(target), "%lld", (long long)id);
	if (!s || !s->ops->warn || !s->ops->warn->watch_update) {
		rc = s ? VG_EUNSUPPORTED : VG_ESTORE;
		goto out;
	}
	rc = s->ops->warn->watch_get(s, id, take_held, &cur);
	if (rc && rc != VG_ENOTFOUND)
		goto out;
	if (!cur.found || !vg__watch_sees(c, &cur.r)) {
		/* another's watch is none, as for a removal */
		rc = vg__audit_now(c, "watch.update", target,
		                   "{\"found\":false}");
		rc = rc ? rc : VG_ENOTFOUND;
		goto out;
	}
	if (!vg__watch_may_change(c, &cur.r)) {
		rc = vg__deny(c, "the watch's creator or org-admin",
		              "watch.update");
		goto out;
	}
	/* the webhook gets the alerts as the creator may see them: only
	 * the creator points it somewhere */
	int creator = cur.r.user == c->p.user || c->p.operator;
	if (ch->webhook && !creator) {
		rc = vg__deny(c, "the watch's creator", "watch.update");
		goto out;
	}
	if (!ch->name && !ch->term && !ch->threshold_set && ch->shared < 0 &&
	    !ch->webhook) {
		snprintf(err, errlen,
		         "nothing to change: give name, term, threshold, "
		         "shared or webhook");
		rc = VG_EINVAL;
		goto out;
	}
	if ((rc = check(s, &cur, ch, m, err, errlen)))
		goto out;
	int matching = strcmp(m->term, cur.r.term) ||
	               (cur.r.kind == VG_WATCH_NAME && ch->threshold_set &&
	                ch->threshold != cur.r.threshold);
	/* what the watch matched before the change already has its alerts
	 * (at arrival or when it was made) */
	if (matching && (rc = vg__watch_matches(c, id, &old, &n_old)))
		goto out;
	struct edit e = {
	    .c = c, .id = id, .ch = ch, .m = m, .term_given = ch->term != NULL};
	if ((rc = vg__write(c->svc, update_fn, &e)))
		goto out;
	if (e.matching &&
	    (rc = vg__watch_retro(c, id, old, n_old, e.horizon, &raised,
	                          &truncated)))
		goto out;
	rc = answer(s, id, ch->webhook ? m->secret : NULL, raised, truncated,
	            out);
out:
	free_list(old, n_old);
	held_release(&cur);
	sodium_memzero(m, sizeof(*m));
	free(m);
	return rc;
}
