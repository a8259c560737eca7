/* An RFC 4180 record reader over a memory buffer, shared by the travel
 * CSV parser and the OFAC list parser (not public API). */
#ifndef VIGIL_CORE_CSV_H
#define VIGIL_CORE_CSV_H

#include <stddef.h>

#include "vigil/util/buf.h"

struct vg__csv {
	const char *p, *end;
	size_t line;        /* line the reader is on, 1-based */
	size_t rec_line;    /* line where the last record read starts */
	int done;           /* no more records (end, or an unclosed quote) */
	struct vg_buf text; /* the fields of the record, each NUL-ended */
	size_t *off;        /* start of each field in text */
	size_t *len;        /* length of each field */
	size_t n, cap;      /* fields in the record, slots allocated */
};

/* Start reading buf[0..len). A leading UTF-8 byte order mark is skipped. */
void vg__csv_init(struct vg__csv *c, const char *buf, size_t len);
void vg__csv_release(struct vg__csv *c);
/* Read the next record. Records end at CRLF, LF or CR outside quotes;
 * blank lines are skipped, and so is a DOS end-of-file byte (0x1A) at the
 * very end. Returns VG_OK with *got 1 (a record: c->n fields) or 0 (end),
 * VG_EINVAL for a malformed record (why says what; the reader has moved
 * past it, or c->done is set when an unclosed quote ran to the end), or
 * VG_ENOMEM. */
int vg__csv_next(struct vg__csv *c, int *got, char *why, size_t whylen);
/* Field i of the last record (NUL-terminated; *len set when len). */
const char *vg__csv_field(const struct vg__csv *c, size_t i, size_t *len);

#endif
