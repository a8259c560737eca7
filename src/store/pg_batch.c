/* Object rows, owner registrations and early warning's keys written in a
 * write transaction are gathered and sent as one statement per table
 * (INSERT ... SELECT FROM unnest(arrays)): an import or a POST of a
 * thousand objects costs a few statements, not thousands. Gathered rows
 * are sent before any other statement of the handle, so every read sees
 * them, and dropped with the transaction. */
#include "pg_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct vg__pg pg_t;

enum { OBJ_COLS = 17, MAX_ROWS = 1000, MAX_BYTES = 8 << 20 };

struct batch {
	struct vg_buf col[OBJ_COLS]; /* array literals, '{' written */
	size_t rows;
	struct vg_buf own_id, own_owner;
	size_t owners;
	/* warn_keys (key text) and warn_refs (its hash), with their added */
	struct vg_buf key[2], key_added[2];
	size_t keys[2];
	struct vg_buf ids; /* of the object and owner rows, NUL-separated */
	size_t bytes;
};

static const char types[OBJ_COLS + 1] = "ittttttiiiiiitiit";

#define OBJ_SQL                                                                \
	"INSERT INTO objects (date_added, id, version, type, created,"        \
	" modified, spec_version, revoked, owner, scope, tlp, classification," \
	" latest, collection, grp, copy, json) SELECT * FROM"                  \
	" unnest($1::int8[], $2::text[], $3::text[], $4::text[], $5::text[],"  \
	" $6::text[], $7::text[], $8::int4[], $9::int8[], $10::int4[],"        \
	" $11::int4[], $12::int4[], $13::int4[], $14::text[], $15::int8[],"    \
	" $16::int4[], $17::text[])"
#define OWN_SQL                                                                \
	"INSERT INTO owners (id, owner) SELECT * FROM unnest($1::text[],"      \
	" $2::int8[])"
/* a key already held for that version is kept (as SQLite's INSERT OR
 * IGNORE), also when repeated within the batch */
static const char *const key_sql[2] = {
    "INSERT INTO warn_keys (key, added) SELECT *"
    " FROM unnest($1::text[], $2::int8[]) ON CONFLICT DO NOTHING",
    "INSERT INTO warn_refs (h, added) SELECT *"
    " FROM unnest($1::int8[], $2::int8[]) ON CONFLICT DO NOTHING"};

static struct batch *batch_of(pg_t *p)
{
	struct batch *b = p->batch;
	if (b)
		return b;
	if (!(b = calloc(1, sizeof(*b))))
		return NULL;
	for (int i = 0; i < OBJ_COLS; i++)
		vg_buf_init(&b->col[i], 0);
	vg_buf_init(&b->own_id, 0);
	vg_buf_init(&b->own_owner, 0);
	vg_buf_init(&b->ids, 0);
	for (int i = 0; i < 2; i++) {
		vg_buf_init(&b->key[i], 0);
		vg_buf_init(&b->key_added[i], 0);
	}
	p->batch = b;
	return b;
}

/* One element of an array literal: NULL, a number, or a quoted text. */
static int element(struct vg_buf *a, int first, char type, const char *s,
                   size_t len, int64_t n)
{
	int rc = first ? VG_OK : vg_buf_putc(a, ',');
	if (rc)
		return rc;
	if (type == 'i')
		return vg_buf_printf(a, "%lld", (long long)n);
	if (!s)
		return vg_buf_puts(a, "NULL");
	rc = vg_buf_putc(a, '"');
	size_t from = 0;
	for (size_t i = 0; !rc && i < len; i++) {
		if (s[i] != '"' && s[i] != '\\')
			continue;
		rc = vg_buf_append(a, s + from, i - from);
		if (!rc)
			rc = vg_buf_putc(a, '\\');
		from = i;
	}
	if (!rc)
		rc = vg_buf_append(a, s + from, len - from);
	return rc ? rc : vg_buf_putc(a, '"');
}

int vg__pg_batch_object(struct vg__pg *p, const struct vg_object *o,
                        int64_t added)
{
	struct batch *b = batch_of(p);
	if (!b)
		return VG_ENOMEM;
	const char *coll = o->collection ? o->collection : "";
	const char *t[OBJ_COLS] = {NULL,
	                           o->id,
	                           o->version,
	                           o->type,
	                           o->created,
	                           o->modified,
	                           o->spec_version,
	                           NULL,
	                           NULL,
	                           NULL,
	                           NULL,
	                           NULL,
	                           NULL,
	                           coll,
	                           NULL,
	                           NULL,
	                           o->json};
	int64_t n[OBJ_COLS] = {added,     0,        0,      0,
	                       0,         0,        0,      o->revoked,
	                       o->owner,  o->scope, o->tlp, o->classification,
	                       o->latest, 0,        o->grp, o->copy,
	                       0};
	int rc = VG_OK;
	for (int i = 0; !rc && i < OBJ_COLS; i++) {
		if (!b->rows)
			rc = vg_buf_putc(&b->col[i], '{');
		size_t len = !t[i] ? 0 : i == 16 ? o->json_len : strlen(t[i]);
		if (!rc)
			rc = element(&b->col[i], !b->rows, types[i], t[i], len,
			             n[i]);
	}
	if (!rc)
		rc = vg_buf_append(&b->ids, o->id, strlen(o->id) + 1);
	if (rc)
		return rc;
	b->rows++;
	b->bytes += o->json_len + 200;
	if (b->rows >= MAX_ROWS || b->bytes >= MAX_BYTES)
		return vg__pg_batch_flush(p);
	return VG_OK;
}

int vg__pg_batch_owner(struct vg__pg *p, const char *id, int64_t owner)
{
	struct batch *b = batch_of(p);
	if (!b)
		return VG_ENOMEM;
	int rc = b->owners ? VG_OK : vg_buf_putc(&b->own_id, '{');
	if (!rc && !b->owners)
		rc = vg_buf_putc(&b->own_owner, '{');
	if (!rc)
		rc = element(&b->own_id, !b->owners, 't', id, strlen(id), 0);
	if (!rc)
		rc = element(&b->own_owner, !b->owners, 'i', NULL, 0, owner);
	if (!rc)
		rc = vg_buf_append(&b->ids, id, strlen(id) + 1);
	if (!rc)
		b->owners++;
	return rc;
}

int vg__pg_batch_key(struct vg__pg *p, const char *key, int64_t hash,
                     int hashed, int64_t added)
{
	struct batch *b = batch_of(p);
	if (!b)
		return VG_ENOMEM;
	int h = !!hashed, first = !b->keys[h];
	int rc = first ? vg_buf_putc(&b->key[h], '{') : VG_OK;
	if (!rc && first)
		rc = vg_buf_putc(&b->key_added[h], '{');
	if (!rc)
		rc = element(&b->key[h], first, h ? 'i' : 't', key,
		             h ? 0 : strlen(key), hash);
	if (!rc)
		rc = element(&b->key_added[h], first, 'i', NULL, 0, added);
	if (rc)
		return rc;
	b->keys[h]++;
	b->bytes += (h ? 0 : strlen(key)) + 40;
	if (b->bytes >= MAX_BYTES)
		return vg__pg_batch_flush(p);
	return VG_OK;
}

static void reset(struct batch *b)
{
	for (int i = 0; i < OBJ_COLS; i++)
		vg_buf_reset(&b->col[i]);
	vg_buf_reset(&b->own_id);
	vg_buf_reset(&b->own_owner);
	vg_buf_reset(&b->ids);
	for (int i = 0; i < 2; i++) {
		vg_buf_reset(&b->key[i]);
		vg_buf_reset(&b->key_added[i]);
		b->keys[i] = 0;
	}
	b->rows = b->owners = b->bytes = 0;
}

int vg__pg_batch_prepare(struct vg__pg *p)
{
	int rc = vg__pg_prepare(p, OBJ_SQL);
	if (!rc)
		rc = vg__pg_prepare(p, OWN_SQL);
	for (int h = 0; !rc && h < 2; h++)
		rc = vg__pg_prepare(p, key_sql[h]);
	return rc;
}

const char *vg__pg_batch_ids(struct vg__pg *p, size_t *len)
{
	struct batch *b = p->batch;
	*len = b ? b->ids.len : 0;
	return b && b->ids.len ? b->ids.data : NULL;
}

int vg__pg_batch_flush(struct vg__pg *p)
{
	struct batch *b = p->batch;
	int rc = VG_OK;
	if (!b || (!b->rows && !b->owners && !b->keys[0] && !b->keys[1]))
		return VG_OK;
	p->batch = NULL; /* the statements below are not gathered again */
	if (b->rows) {
		struct vg__pg_arg a[OBJ_COLS];
		memset(a, 0, sizeof(a));
		for (int i = 0; !rc && i < OBJ_COLS; i++) {
			rc = vg_buf_putc(&b->col[i], '}');
			a[i].p = b->col[i].data;
		}
		if (!rc)
			rc = vg__pg_queuev(p, OBJ_SQL, OBJ_COLS, a);
	}
	if (!rc && b->owners) {
		struct vg__pg_arg a[2];
		memset(a, 0, sizeof(a));
		rc = vg_buf_putc(&b->own_id, '}');
		if (!rc)
			rc = vg_buf_putc(&b->own_owner, '}');
		a[0].p = b->own_id.data;
		a[1].p = b->own_owner.data;
		if (!rc)
			rc = vg__pg_queuev(p, OWN_SQL, 2, a);
	}
	for (int h = 0; !rc && h < 2; h++) {
		if (!b->keys[h])
			continue;
		struct vg__pg_arg a[2];
		memset(a, 0, sizeof(a));
		rc = vg_buf_putc(&b->key[h], '}');
		if (!rc)
			rc = vg_buf_putc(&b->key_added[h], '}');
		a[0].p = b->key[h].data;
		a[1].p = b->key_added[h].data;
		if (!rc)
			rc = vg__pg_queuev(p, key_sql[h], 2, a);
	}
	reset(b);
	p->batch = b;
	return rc;
}

void vg__pg_batch_drop(struct vg__pg *p)
{
	if (p->batch)
		reset(p->batch);
}

void vg__pg_batch_free(struct vg__pg *p)
{
	struct batch *b = p->batch;
	if (!b)
		return;
	for (int i = 0; i < OBJ_COLS; i++)
		vg_buf_release(&b->col[i]);
	vg_buf_release(&b->own_id);
	vg_buf_release(&b->own_owner);
	vg_buf_release(&b->ids);
	for (int i = 0; i < 2; i++) {
		vg_buf_release(&b->key[i]);
		vg_buf_release(&b->key_added[i]);
	}
	free(b);
	p->batch = NULL;
}
