/* Object rows, owner registrations and early warning's keys written in a
 * write transaction are gathered and sent as one statement per table
 * (INSERT ... SELECT FROM unnest(arrays)): an import or a POST of a
 * thousand objects costs a few statements, not thousands. The arrays go
 * in PostgreSQL's binary form: the server reads each value by its length
 * instead of parsing quoted text (array_in was a sixth of its work in an
 * import), and nothing is escaped here. Gathered rows are sent before any
 * other statement of the handle, so every read sees them, and dropped
 * with the transaction. */
#include "pg_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct vg__pg pg_t;

enum { OBJ_COLS = 17, MAX_ROWS = 1000, MAX_BYTES = 8 << 20 };

struct batch {
	struct vg_buf col[OBJ_COLS]; /* binary arrays, their header reserved */
	size_t rows;
	struct vg_buf own_id, own_owner;
	size_t owners;
	/* warn_keys (key text) and warn_refs (its hash), with their added */
	struct vg_buf key[2], key_added[2];
	size_t keys[2];
	struct vg_buf ids; /* of the object and owner rows, NUL-separated */
	size_t bytes;
};

/* each column's element type: l int8, i int4, t text (as OBJ_SQL's) */
static const char types[OBJ_COLS + 1] = "lttttttiliiiitlit";

/* The arrays are unnested in the select list, in step (all of one
 * length): FROM unnest(a, b, ...) would first copy every column into a
 * tuple store of its own and read it back, a third more of the server's
 * work for the object rows. */
#define OBJ_SQL                                                                \
	"INSERT INTO objects (date_added, id, version, type, created,"         \
	" modified, spec_version, revoked, owner, scope, tlp, classification," \
	" latest, collection, grp, copy, json) SELECT unnest($1::int8[]),"     \
	" unnest($2::text[]), unnest($3::text[]), unnest($4::text[]),"         \
	" unnest($5::text[]), unnest($6::text[]), unnest($7::text[]),"         \
	" unnest($8::int4[]), unnest($9::int8[]), unnest($10::int4[]),"        \
	" unnest($11::int4[]), unnest($12::int4[]), unnest($13::int4[]),"      \
	" unnest($14::text[]), unnest($15::int8[]), unnest($16::int4[]),"      \
	" unnest($17::text[])"
#define OWN_SQL                                                                \
	"INSERT INTO owners (id, owner) SELECT unnest($1::text[]),"            \
	" unnest($2::int8[])"
/* a key already held for that version is kept (as SQLite's INSERT OR
 * IGNORE), also when repeated within the batch */
static const char *const key_sql[2] = {
    "INSERT INTO warn_keys (key, added) SELECT unnest($1::text[]),"
    " unnest($2::int8[]) ON CONFLICT DO NOTHING",
    "INSERT INTO warn_refs (h, added) SELECT unnest($1::int8[]),"
    " unnest($2::int8[]) ON CONFLICT DO NOTHING"};

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

/* A binary array (array_send's form): ndim, has-null flags, element
 * type, then for its one dimension the length and lower bound, written by
 * vg__pg_arr_arg; each element its length (-1: NULL) and its bytes,
 * big-endian for numbers. */
enum { ARR_HEAD = 20, OID_INT8 = 20, OID_INT4 = 23, OID_TEXT = 25 };

static void be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

int vg__pg_arr_add(struct vg_buf *a, char type, const char *s, size_t len,
                   int64_t n)
{
	static const char head[ARR_HEAD];
	unsigned char w[12];
	int rc = a->len ? VG_OK : vg_buf_append(a, head, ARR_HEAD);
	if (rc)
		return rc;
	if (type == 'l') {
		be32(w, 8);
		be32(w + 4, (uint32_t)((uint64_t)n >> 32));
		be32(w + 8, (uint32_t)n);
		return vg_buf_append(a, w, 12);
	}
	if (type == 'i') {
		if (n < INT32_MIN || n > INT32_MAX)
			return VG_EINVAL;
		be32(w, 4);
		be32(w + 4, (uint32_t)n);
		return vg_buf_append(a, w, 8);
	}
	if (!s) {
		a->data[7] = 1; /* the has-null flag */
		be32(w, UINT32_MAX);
		return vg_buf_append(a, w, 4);
	}
	if (len > INT32_MAX)
		return VG_ETOOBIG;
	be32(w, (uint32_t)len);
	rc = vg_buf_append(a, w, 4);
	return rc ? rc : vg_buf_append(a, s, len);
}

void vg__pg_arr_arg(struct vg_buf *a, char type, size_t n,
                    struct vg__pg_arg *arg)
{
	unsigned char *h = (unsigned char *)a->data;
	be32(h, 1);
	be32(h + 8, type == 'l' ? OID_INT8 : type == 'i' ? OID_INT4 : OID_TEXT);
	be32(h + 12, (uint32_t)n);
	be32(h + 16, 1);
	memset(arg, 0, sizeof(*arg));
	arg->p = a->data;
	arg->len = (int)a->len;
	arg->binary = 1;
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
		size_t len = !t[i] ? 0 : i == 16 ? o->json_len : strlen(t[i]);
		rc = vg__pg_arr_add(&b->col[i], types[i], t[i], len, n[i]);
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
	int rc = vg__pg_arr_add(&b->own_id, 't', id, strlen(id), 0);
	if (!rc)
		rc = vg__pg_arr_add(&b->own_owner, 'l', NULL, 0, owner);
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
	int h = !!hashed;
	int rc = vg__pg_arr_add(&b->key[h], h ? 'l' : 't', key,
	                        h ? 0 : strlen(key), hash);
	if (!rc)
		rc = vg__pg_arr_add(&b->key_added[h], 'l', NULL, 0, added);
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
		for (int i = 0; i < OBJ_COLS; i++)
			vg__pg_arr_arg(&b->col[i], types[i], b->rows, &a[i]);
		rc = vg__pg_queuev(p, OBJ_SQL, OBJ_COLS, a);
	}
	if (!rc && b->owners) {
		struct vg__pg_arg a[2];
		vg__pg_arr_arg(&b->own_id, 't', b->owners, &a[0]);
		vg__pg_arr_arg(&b->own_owner, 'l', b->owners, &a[1]);
		rc = vg__pg_queuev(p, OWN_SQL, 2, a);
	}
	for (int h = 0; !rc && h < 2; h++) {
		if (!b->keys[h])
			continue;
		struct vg__pg_arg a[2];
		vg__pg_arr_arg(&b->key[h], h ? 'l' : 't', b->keys[h], &a[0]);
		vg__pg_arr_arg(&b->key_added[h], 'l', b->keys[h], &a[1]);
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
