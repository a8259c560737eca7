/* Tokens of STIX patterns, shared by the lexer and the parser. */
#ifndef VIGIL_CORE_PATTERN_LEX_H
#define VIGIL_CORE_PATTERN_LEX_H

#include <stddef.h>

#include "pat_int.h"

enum vg__tok {
	VG__T_EOF,
	VG__T_LBRACK,
	VG__T_RBRACK,
	VG__T_LPAREN,
	VG__T_RPAREN,
	VG__T_COLON,
	VG__T_DOT,
	VG__T_COMMA,
	VG__T_STAR,
	VG__T_EQ,
	VG__T_NEQ,
	VG__T_LT,
	VG__T_LE,
	VG__T_GT,
	VG__T_GE,
	VG__T_IDENT,   /* [A-Za-z_][A-Za-z0-9_]* */
	VG__T_IDENT_H, /* the same with '-' */
	VG__T_STRING,
	VG__T_INT,
	VG__T_INT_NEG,
	VG__T_FLOAT,
	VG__T_FLOAT_NEG,
	VG__T_BIN,
	VG__T_HEX,
	VG__T_TS,
	VG__T_BOOL,
	VG__T_AND,
	VG__T_OR,
	VG__T_NOT,
	VG__T_FOLLOWEDBY,
	VG__T_LIKE,
	VG__T_MATCHES,
	VG__T_ISSUPERSET,
	VG__T_ISSUBSET,
	VG__T_EXISTS,
	VG__T_LAST,
	VG__T_IN,
	VG__T_START,
	VG__T_STOP,
	VG__T_SECONDS,
	VG__T_WITHIN,
	VG__T_REPEATS,
	VG__T_TIMES,
};

struct vg__token {
	enum vg__tok kind;
	size_t off, len;
};

struct vg__lexer {
	const char *s;
	size_t len, pos;
	const char *err; /* set with err_off when lexing fails */
	size_t err_off;
};

/* The next token; VG_EINVAL with lx->err and lx->err_off set. */
int vg__lex_next(struct vg__lexer *lx, struct vg__token *t);
/* The keyword that s[0..n) spells in another case, or NULL. */
const char *vg__keyword_like(const char *s, size_t n);

#endif
