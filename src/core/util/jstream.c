/* A validating, compacting JSON stream splitter: one pass, bounded memory,
 * that hands each STIX object of a bundle, envelope, array, JSON lines or
 * medallion file to a callback (see jstream.h). */
#include "vigil/util/jstream.h"
#include "vigil/util/buf.h"
#include "vigil/util/error.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 512

enum state {
	S_VALUE,     /* a value must start (top level, after ':' or ',' in []) */
	S_OBJ_FIRST, /* after '{': a key or '}' */
	S_OBJ_KEY,   /* after ',' in an object: a key */
	S_COLON,     /* after a key */
	S_OBJ_NEXT,  /* after a member: ',' or '}' */
	S_ARR_FIRST, /* after '[': a value or ']' */
	S_ARR_NEXT,  /* after an element: ',' or ']' */
	S_STRING,
	S_NUMBER,
	S_LITERAL,
	S_TOP_NEXT, /* after a top-level value: another one, or the end */
	S_FAILED,
};

enum key { K_OTHER, K_OBJECTS, K_COLLECTIONS };

enum num {
	N_MINUS, N_ZERO, N_INT, N_DOT, N_FRAC, N_E, N_ESIGN, N_EXP,
};

struct frame {
	char kind;         /* '{' or '[' */
	unsigned char key; /* enum key of the member being read, in '{' */
};

struct vg_jstream {
	vg_jstream_cb cb;
	void *ud;
	enum state st;
	struct frame stack[MAX_DEPTH];
	int depth;
	/* string state */
	int is_key;
	int esc;        /* 0, 1 after '\', 2..5 reading \u hex digits */
	unsigned hex;   /* the \u value being read */
	int want_low;   /* 1: a high surrogate must be followed by "\u" low */
	int utf8_need;  /* continuation bytes still expected */
	unsigned char utf8_lo, utf8_hi; /* bounds of the next continuation */
	char keytext[16];
	size_t keylen;
	/* number and literal state */
	enum num num;
	const char *lit;
	int lit_pos;
	/* capture */
	int capturing;
	int cap_top;   /* capturing a top-level object that may be a container */
	int cap_depth; /* depth at which the captured value started */
	struct vg_buf cap;
	size_t index;
	int container;
	int any_value;
	/* the envelope: a top-level container object's members other than
	 * "objects", gathered around the objects array (see jstream.h) */
	vg_jstream_env_cb env_cb;
	struct vg_buf env;
	int env_open; /* the objects array at depth 1 has started */
	int one_value; /* nothing but white space may follow the first value */
	/* position */
	uint64_t offset, line, line_start;
	char error[160];
};

struct vg_jstream *vg_jstream_new(size_t max_object, vg_jstream_cb cb,
				  void *ud)
{
	struct vg_jstream *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->cb = cb;
	s->ud = ud;
	s->st = S_VALUE;
	s->line = 1;
	vg_buf_init(&s->cap, max_object);
	vg_buf_init(&s->env, max_object);
	return s;
}

void vg_jstream_free(struct vg_jstream *s)
{
	if (!s)
		return;
	vg_buf_release(&s->cap);
	vg_buf_release(&s->env);
	free(s);
}

const char *vg_jstream_error(const struct vg_jstream *s)
{
	return s->error;
}

int vg_jstream_is_container(const struct vg_jstream *s)
{
	return s->container;
}

void vg_jstream_on_envelope(struct vg_jstream *s, vg_jstream_env_cb cb)
{
	s->env_cb = cb;
}

/* Add the captured members of the top-level object to the envelope:
 * text is "{..." at first, ",..." or "}" after the objects array; the
 * key "objects": that ends a piece is dropped, and so is the comma that
 * would then stand next to the brace. */
static int env_add(struct vg_jstream *s, const char *text, size_t n,
		   int before_objects)
{
	static const char key[] = "\"objects\":";
	if (before_objects) {
		if (n >= sizeof(key) - 1 &&
		    !memcmp(text + n - (sizeof(key) - 1), key, sizeof(key) - 1))
			n -= sizeof(key) - 1;
		if (n && text[n - 1] == ',')
			n--;
	}
	if (n && text[0] == ',' && s->env.len &&
	    s->env.data[s->env.len - 1] == '{') {
		text++;
		n--;
	}
	return vg_buf_append(&s->env, text, n);
}

void vg_jstream_one_value(struct vg_jstream *s)
{
	s->one_value = 1;
}

static int fail(struct vg_jstream *s, const char *fmt, ...)
{
	char what[100];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(s->error, sizeof(s->error), "line %llu, column %llu: %s",
		 (unsigned long long)s->line,
		 (unsigned long long)(s->offset - s->line_start + 1), what);
	s->st = S_FAILED;
	return VG_EJSON;
}

static const char *show(unsigned char c, char tmp[8])
{
	if (c >= 0x20 && c < 0x7f)
		snprintf(tmp, 8, "'%c'", c);
	else
		snprintf(tmp, 8, "0x%02x", c);
	return tmp;
}

/* Is the value about to start at the current depth an object to emit, or
 * the array that holds them? Only the paths of jstream.h qualify. */
static int is_element_path(const struct vg_jstream *s)
{
	const struct frame *f = s->stack;
	switch (s->depth) {
	case 1:
		return f[0].kind == '[';
	case 2:
		return f[0].kind == '{' && f[0].key == K_OBJECTS &&
		       f[1].kind == '[';
	case 5:
		return f[0].kind == '{' && f[1].kind == '{' &&
		       f[1].key == K_COLLECTIONS && f[2].kind == '[' &&
		       f[3].kind == '{' && f[3].key == K_OBJECTS &&
		       f[4].kind == '[';
	}
	return 0;
}

static int is_holder_path(const struct vg_jstream *s)
{
	const struct frame *f = s->stack;
	switch (s->depth) {
	case 0:
		return 0;
	case 1:
		return f[0].kind == '{' && f[0].key == K_OBJECTS;
	case 4:
		return f[0].kind == '{' && f[1].kind == '{' &&
		       f[1].key == K_COLLECTIONS && f[2].kind == '[' &&
		       f[3].kind == '{' && f[3].key == K_OBJECTS;
	}
	return 0;
}

static int cap_byte(struct vg_jstream *s, char c)
{
	if (!s->capturing)
		return VG_OK;
	if (s->cap.len + 1 < s->cap.cap && s->cap.len < s->cap.max) {
		s->cap.data[s->cap.len++] = c;
		return VG_OK;
	}
	return vg_buf_append(&s->cap, &c, 1);
}

/* A value starts with byte c at the current depth. */
static int value_start(struct vg_jstream *s, char c)
{
	s->any_value = 1;
	if (s->capturing && !s->cap_top)
		return cap_byte(s, c);
	if (c == '[' && (s->depth == 0 || is_holder_path(s))) {
		/* the array that holds the objects: a container */
		if (s->env_cb && s->depth == 1 && s->cap_top) {
			int rc = env_add(s, s->cap.data, s->cap.len, 1);
			if (rc)
				return rc;
			s->env_open = 1;
		}
		s->container = 1;
		s->capturing = s->cap_top = 0;
		vg_buf_reset(&s->cap);
		return VG_OK;
	}
	if (is_element_path(s) || s->depth == 0) {
		s->capturing = 1;
		s->cap_top = s->depth == 0 && c == '{';
		s->cap_depth = s->depth;
		vg_buf_reset(&s->cap);
	}
	return cap_byte(s, c);
}

/* A value ended; emit it if it was the captured one. */
static int value_done(struct vg_jstream *s)
{
	if (s->depth == 0)
		s->st = S_TOP_NEXT;
	else
		s->st = s->stack[s->depth - 1].kind == '{' ? S_OBJ_NEXT
							   : S_ARR_NEXT;
	if (!s->capturing || s->depth != s->cap_depth)
		return VG_OK;
	s->capturing = s->cap_top = 0;
	int rc;
	if (s->env_open && s->depth == 0) {
		/* the container's end: its envelope is complete */
		s->env_open = 0;
		if ((rc = env_add(s, s->cap.data, s->cap.len, 0)) ||
		    (rc = vg_buf_append(&s->env, "", 0)))
			return rc;
		rc = s->env_cb(s->ud, s->env.data, s->env.len);
		vg_buf_reset(&s->env);
		return rc;
	}
	rc = vg_buf_append(&s->cap, "", 0); /* NUL-terminate */
	if (rc)
		return rc;
	return s->cb(s->ud, s->cap.data, s->cap.len, s->index++);
}

static int push(struct vg_jstream *s, char kind)
{
	if (s->depth == MAX_DEPTH)
		return fail(s, "nesting deeper than %d levels", MAX_DEPTH);
	s->stack[s->depth].kind = kind;
	s->stack[s->depth].key = K_OTHER;
	s->depth++;
	return VG_OK;
}

static int start_value(struct vg_jstream *s, unsigned char c)
{
	char tmp[8];
	int rc;
	switch (c) {
	case '{':
	case '[':
		rc = value_start(s, (char)c);
		if (rc)
			return rc;
		rc = push(s, (char)c);
		s->st = c == '{' ? S_OBJ_FIRST : S_ARR_FIRST;
		return rc;
	case '"':
		s->is_key = 0;
		s->st = S_STRING;
		return value_start(s, '"');
	case 't':
	case 'f':
	case 'n':
		s->lit = c == 't' ? "true" : c == 'f' ? "false" : "null";
		s->lit_pos = 1;
		s->st = S_LITERAL;
		return value_start(s, (char)c);
	case '-':
		s->num = N_MINUS;
		s->st = S_NUMBER;
		return value_start(s, (char)c);
	default:
		if (c >= '0' && c <= '9') {
			s->num = c == '0' ? N_ZERO : N_INT;
			s->st = S_NUMBER;
			return value_start(s, (char)c);
		}
		return fail(s, "expected a value, found %s", show(c, tmp));
	}
}

static int close_container(struct vg_jstream *s, char c)
{
	s->depth--;
	int rc = cap_byte(s, c);
	if (rc)
		return rc;
	rc = value_done(s);
	if (!rc && s->env_open && s->depth == 1 && c == ']' && !s->capturing) {
		/* the objects array ended: capture the members after it */
		s->capturing = s->cap_top = 1;
		s->cap_depth = 0;
		vg_buf_reset(&s->cap);
	}
	return rc;
}

/* One byte of a string (after the opening quote). */
static int string_byte(struct vg_jstream *s, unsigned char c)
{
	char tmp[8];
	if (s->utf8_need) {
		if (c < s->utf8_lo || c > s->utf8_hi)
			return fail(s, "invalid UTF-8 in string");
		s->utf8_lo = 0x80;
		s->utf8_hi = 0xbf;
		s->utf8_need--;
	} else if (s->esc == 1) {
		if (c == 'u') {
			s->esc = 2;
			s->hex = 0;
		} else if (s->want_low) {
			return fail(s, "high surrogate escape without low surrogate");
		} else if (strchr("\"\\/bfnrt", c) && c) {
			s->esc = 0;
		} else {
			return fail(s, "invalid escape '\\%c'", c >= 0x20 && c < 0x7f ? c : '?');
		}
	} else if (s->esc >= 2) {
		unsigned d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (c | 0x20) - 'a' + 10;
		else
			return fail(s, "invalid \\u escape");
		s->hex = s->hex << 4 | d;
		if (++s->esc == 6) {
			s->esc = 0;
			int high = s->hex >= 0xd800 && s->hex <= 0xdbff;
			int low = s->hex >= 0xdc00 && s->hex <= 0xdfff;
			if (s->want_low && !low)
				return fail(s, "high surrogate escape without low surrogate");
			if (!s->want_low && low)
				return fail(s, "low surrogate escape without high surrogate");
			s->want_low = high;
		}
	} else if (s->want_low && c != '\\') {
		return fail(s, "high surrogate escape without low surrogate");
	} else if (c == '\\') {
		s->esc = 1;
	} else if (c == '"') {
		if (s->is_key && s->depth <= 4) {
			struct frame *f = &s->stack[s->depth - 1];
			f->key = K_OTHER;
			if (s->keylen == 7 && !memcmp(s->keytext, "objects", 7))
				f->key = K_OBJECTS;
			else if (s->keylen == 11 &&
				 !memcmp(s->keytext, "collections", 11))
				f->key = K_COLLECTIONS;
		}
		int rc = cap_byte(s, '"');
		if (rc)
			return rc;
		if (s->is_key) {
			s->st = S_COLON;
			return VG_OK;
		}
		return value_done(s);
	} else if (c < 0x20) {
		return fail(s, "control character %s in string", show(c, tmp));
	} else if (c >= 0x80) {
		s->utf8_lo = 0x80;
		s->utf8_hi = 0xbf;
		if (c >= 0xc2 && c <= 0xdf) {
			s->utf8_need = 1;
		} else if (c >= 0xe0 && c <= 0xef) {
			s->utf8_need = 2;
			if (c == 0xe0)
				s->utf8_lo = 0xa0; /* no overlongs */
			if (c == 0xed)
				s->utf8_hi = 0x9f; /* no surrogates */
		} else if (c >= 0xf0 && c <= 0xf4) {
			s->utf8_need = 3;
			if (c == 0xf0)
				s->utf8_lo = 0x90;
			if (c == 0xf4)
				s->utf8_hi = 0x8f; /* <= U+10FFFF */
		} else {
			return fail(s, "invalid UTF-8 in string");
		}
	}
	if (s->is_key && s->keylen < sizeof(s->keytext))
		s->keytext[s->keylen++] = (char)c;
	return cap_byte(s, (char)c);
}

/* One byte while a number is being read; returns 1 (through *ended) when
 * the byte is not part of the number and must be read again. */
static int number_byte(struct vg_jstream *s, unsigned char c, int *ended)
{
	int digit = c >= '0' && c <= '9';
	enum num n = s->num;
	*ended = 0;
	switch (n) {
	case N_MINUS:
		if (!digit)
			return fail(s, "expected a digit after '-'");
		s->num = c == '0' ? N_ZERO : N_INT;
		break;
	case N_ZERO:
	case N_INT:
		if (digit && n == N_INT)
			break;
		if (digit)
			return fail(s, "leading zero in number");
		if (c == '.')
			s->num = N_DOT;
		else if (c == 'e' || c == 'E')
			s->num = N_E;
		else
			*ended = 1;
		break;
	case N_DOT:
		if (!digit)
			return fail(s, "expected a digit after '.'");
		s->num = N_FRAC;
		break;
	case N_FRAC:
		if (digit)
			break;
		if (c == 'e' || c == 'E')
			s->num = N_E;
		else
			*ended = 1;
		break;
	case N_E:
		if (c == '+' || c == '-')
			s->num = N_ESIGN;
		else if (digit)
			s->num = N_EXP;
		else
			return fail(s, "expected a digit in exponent");
		break;
	case N_ESIGN:
		if (!digit)
			return fail(s, "expected a digit in exponent");
		s->num = N_EXP;
		break;
	case N_EXP:
		if (!digit)
			*ended = 1;
		break;
	}
	if (*ended)
		return value_done(s);
	return cap_byte(s, (char)c);
}

static int is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int vg_jstream_feed(struct vg_jstream *s, const char *p, size_t n)
{
	char tmp[8];
	int rc = VG_OK;
	if (s->st == S_FAILED)
		return VG_EJSON;
	for (size_t i = 0; i < n; i++, s->offset++) {
		if (rc)
			break;
		unsigned char c = (unsigned char)p[i];
		if (s->st == S_STRING) {
			/* fast path: a run of plain ASCII inside a string */
			if (!s->esc && !s->utf8_need && !s->want_low &&
			    !s->is_key) {
				size_t j = i;
				while (j < n && p[j] != '"' && p[j] != '\\' &&
				       (unsigned char)p[j] >= 0x20 &&
				       (unsigned char)p[j] < 0x80)
					j++;
				if (j > i) {
					if (s->capturing)
						rc = vg_buf_append(&s->cap,
								   p + i, j - i);
					if (rc) {
						/* the error names the first byte
						 * past the limit, wherever the
						 * chunk ends (the byte path does
						 * too); the loop's end steps back
						 * one */
						size_t room = s->cap.max - s->cap.len;
						s->offset += (room < j - i ? room : j - i) + 1;
						break;
					}
					s->offset += j - i;
					i = j;
					if (i == n)
						break;
					c = (unsigned char)p[i];
				}
			}
			rc = string_byte(s, c);
			continue;
		}
		if (s->st == S_NUMBER) {
			int ended;
			rc = number_byte(s, c, &ended);
			if (rc || !ended)
				continue;
			/* fall through: c follows the number */
		} else if (s->st == S_LITERAL) {
			if (c != (unsigned char)s->lit[s->lit_pos]) {
				rc = fail(s, "invalid literal, expected '%s'",
					  s->lit);
				continue;
			}
			rc = cap_byte(s, (char)c);
			if (!rc && !s->lit[++s->lit_pos])
				rc = value_done(s);
			continue;
		}
		if (is_ws(c)) {
			if (c == '\n') {
				s->line++;
				s->line_start = s->offset + 1;
			}
			continue;
		}
		switch (s->st) {
		case S_TOP_NEXT:
			/* another value: JSON lines, unless one was asked for */
			if (s->one_value)
				rc = fail(s, "data after the JSON value, found %s",
					  show(c, tmp));
			else
				rc = start_value(s, c);
			break;
		case S_VALUE:
			rc = start_value(s, c);
			break;
		case S_ARR_FIRST:
			if (c == ']')
				rc = close_container(s, ']');
			else
				rc = start_value(s, c);
			break;
		case S_OBJ_FIRST:
		case S_OBJ_KEY:
			if (c == '}' && s->st == S_OBJ_FIRST) {
				rc = close_container(s, '}');
			} else if (c == '"') {
				s->is_key = 1;
				s->keylen = 0;
				s->st = S_STRING;
				rc = cap_byte(s, '"');
			} else {
				rc = fail(s, "expected a property name, found %s",
					  show(c, tmp));
			}
			break;
		case S_COLON:
			if (c != ':')
				rc = fail(s, "expected ':', found %s", show(c, tmp));
			else {
				s->st = S_VALUE;
				rc = cap_byte(s, ':');
			}
			break;
		case S_OBJ_NEXT:
			if (c == '}')
				rc = close_container(s, '}');
			else if (c == ',') {
				s->st = S_OBJ_KEY;
				rc = cap_byte(s, ',');
			} else
				rc = fail(s, "expected ',' or '}', found %s",
					  show(c, tmp));
			break;
		case S_ARR_NEXT:
			if (c == ']')
				rc = close_container(s, ']');
			else if (c == ',') {
				s->st = S_VALUE;
				rc = cap_byte(s, ',');
			} else
				rc = fail(s, "expected ',' or ']', found %s",
					  show(c, tmp));
			break;
		default:
			rc = fail(s, "internal state");
		}
	}
	if (rc) {
		/* the loop stepped past the failing byte */
		s->offset--;
	}
	if (rc && rc != VG_EJSON && s->st != S_FAILED) {
		if (rc == VG_ETOOBIG)
			fail(s, "object longer than %zu bytes", s->cap.max);
		s->st = S_FAILED;
	}
	return rc;
}

int vg_jstream_finish(struct vg_jstream *s)
{
	if (s->st == S_FAILED)
		return VG_EJSON;
	if (s->st == S_NUMBER && s->depth == 0) {
		int ended;
		int rc = number_byte(s, ' ', &ended);
		if (rc) {
			/* the callback's code: failed like any other error */
			s->st = S_FAILED;
			return rc;
		}
	}
	if (s->st == S_TOP_NEXT)
		return VG_OK;
	if (!s->any_value)
		return fail(s, "no JSON value in the input");
	return fail(s, "unexpected end of input inside a value");
}
