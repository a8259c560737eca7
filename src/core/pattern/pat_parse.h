/* The parser's state and the helpers that pat_parse.c (comparisons and
 * observation expressions) and pat_path.c (literals and object paths)
 * share. */
#ifndef VIGIL_CORE_PATTERN_PARSE_H
#define VIGIL_CORE_PATTERN_PARSE_H

#include "pat_lex.h"

struct vg__vec {
	void **v;
	size_t n, cap;
};

int vg__vec_push(struct vg__vec *a, void *x);

struct vg__ps {
	struct vg__lexer lx;
	struct vg__token tok;
	struct vg_pattern *p;
	struct vg_pattern_error *err;
	struct vg__vec cmps, leaves;
	int depth;
};

/* Fill the caller's error at byte off; VG__FAIL also gives VG_EINVAL. */
void vg__ps_error(struct vg__ps *ps, size_t off, const char *sec,
                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
#define VG__FAIL(ps, off, sec, ...)                                            \
	(vg__ps_error((ps), (off), (sec), __VA_ARGS__), VG_EINVAL)

/* Refuse the current token: "expected <what>, found <token>". */
int vg__ps_expected(struct vg__ps *ps, const char *what);
/* Advance to the next token (lexical errors are refusals). */
int vg__ps_next(struct vg__ps *ps);
/* Require token k (else vg__ps_expected(what)) and advance. */
int vg__ps_expect(struct vg__ps *ps, enum vg__tok k, const char *what);
void *vg__ps_alloc(struct vg__ps *ps, size_t n);

/* pat_path.c */
int vg__is_literal(enum vg__tok k);
/* Decode the current literal token [9.2] into *l and advance. */
int vg__ps_literal(struct vg__ps *ps, struct vg__lit *l);
/* An object path [9.3] from the current token on. */
int vg__ps_path(struct vg__ps *ps, struct vg__path *p);

#endif
