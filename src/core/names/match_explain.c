/* Rendering a match explanation: one JSON object for machines, one line
 * for the analyst reading the alert. */
#include "match_int.h"
#include "vigil/util/error.h"

static const char *how_name(uint8_t how)
{
	static const char *const n[] = {"exact",  "symbol",   "variant",
	                                "fuzzy",  "skeleton", "initial",
	                                "packed", "none",     "ignored"};
	return how < sizeof(n) / sizeof(n[0]) ? n[how] : "none";
}

static const char *qual_name(uint8_t kind)
{
	static const char *const n[] = {"dob", "gender", "nationality",
	                                "document", "name_quality"};
	return kind < sizeof(n) / sizeof(n[0]) ? n[kind] : "other";
}

static const char *quality_name(enum vg_name_quality q)
{
	switch (q) {
	case VG_NAME_PRIMARY:
		return "primary";
	case VG_NAME_GOOD:
		return "good";
	case VG_NAME_LOW:
		return "low";
	case VG_NAME_ORIGINAL:
		return "original";
	}
	return "unknown";
}

static int json(const struct vg_match_explain *ex, struct vg_buf *b)
{
	int rc = vg_buf_printf(b,
	                       "{\"score\":%.4f,\"name_score\":%.4f,"
	                       "\"query_name\":",
	                       ex->score, ex->name_score);
	if (!rc)
		rc = vg_buf_json_str(b, ex->query_text ? ex->query_text : "");
	if (!rc)
		rc = vg_buf_puts(b, ",\"entry_name\":");
	if (!rc)
		rc = vg_buf_json_str(b, ex->entry_text ? ex->entry_text : "");
	if (!rc)
		rc = vg_buf_printf(b,
		                   ",\"entry_name_quality\":\"%s\","
		                   "\"parts\":[",
		                   quality_name(ex->entry_quality));
	for (size_t i = 0; !rc && i < ex->n_parts; i++) {
		const struct vg_match_part *p = &ex->parts[i];
		rc = vg_buf_puts(b, i ? ",{\"query\":" : "{\"query\":");
		if (!rc)
			rc = vg_buf_json_str(b, p->query);
		if (!rc)
			rc = vg_buf_puts(b, ",\"entry\":");
		if (!rc)
			rc = vg_buf_json_str(b, p->entry);
		if (!rc)
			rc = vg_buf_printf(b,
			                   ",\"similarity\":%.4f,"
			                   "\"weight\":%.2f,\"how\":\"%s\"}",
			                   p->similarity, p->weight,
			                   how_name(p->how));
	}
	if (!rc)
		rc = vg_buf_puts(b, "],\"qualifiers\":[");
	for (size_t i = 0; !rc && i < ex->n_adj; i++) {
		const struct vg_match_adjust *a = &ex->adj[i];
		rc = vg_buf_printf(b,
		                   "%s{\"kind\":\"%s\",\"delta\":%.4f,"
		                   "\"detail\":",
		                   i ? "," : "", qual_name(a->kind), a->delta);
		if (!rc)
			rc = vg_buf_json_str(b, a->detail);
		if (!rc)
			rc = vg_buf_putc(b, '}');
	}
	if (!rc)
		rc = vg_buf_puts(b, "]}");
	return rc;
}

/* Both renderers write straight into b and cut it back on failure, so b
 * is unchanged on error as buf.h promises for single appends. */
static int undo(struct vg_buf *b, size_t len, int rc)
{
	if (rc && b->data) {
		b->len = len;
		b->data[len] = '\0';
	}
	return rc;
}

int vg_match_explain_json(const struct vg_match_explain *ex, struct vg_buf *b)
{
	size_t len = b->len;
	return undo(b, len, json(ex, b));
}

static int line(const struct vg_match_explain *ex, struct vg_buf *b)
{
	int rc = vg_buf_printf(b, "%.2f ", ex->score);
	if (!rc)
		rc = vg_buf_json_str(b, ex->query_text ? ex->query_text : "");
	if (!rc)
		rc = vg_buf_puts(b, " ~ ");
	if (!rc)
		rc = vg_buf_json_str(b, ex->entry_text ? ex->entry_text : "");
	if (!rc)
		rc = vg_buf_printf(
		    b, " (%s, name %.2f):", quality_name(ex->entry_quality),
		    ex->name_score);
	for (size_t i = 0; !rc && i < ex->n_parts; i++) {
		const struct vg_match_part *p = &ex->parts[i];
		const char *sep = i ? ", " : " ";
		if (p->how == VG_HOW_NONE || p->how == VG_HOW_IGNORED)
			rc = vg_buf_printf(b, "%s%s%s %s", sep,
			                   p->query[0] ? p->query : p->entry,
			                   p->query[0] ? "" : " (entry)",
			                   p->how == VG_HOW_NONE ? "unmatched"
			                                         : "ignored");
		else
			rc = vg_buf_printf(b, "%s%s=%s %.2f %s", sep, p->query,
			                   p->entry, p->similarity,
			                   how_name(p->how));
	}
	for (size_t i = 0; !rc && i < ex->n_adj; i++) {
		const struct vg_match_adjust *a = &ex->adj[i];
		rc = vg_buf_printf(b, "; %s %+.2f %s", qual_name(a->kind),
		                   a->delta, a->detail);
	}
	return rc;
}

int vg_match_explain_line(const struct vg_match_explain *ex, struct vg_buf *b)
{
	size_t len = b->len;
	return undo(b, len, line(ex, b));
}
