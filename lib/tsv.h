/*
 * tsv: records of the interchange format, read and written.
 *
 * UTF-8, the first line a header, fields separated by TAB and records by LF
 * (CRLF tolerated on reading); inside a field \t \n \r and \\ are escaped;
 * a field that is exactly \N is NULL, as in PostgreSQL's COPY text format.
 *
 * The reader owns one buffer; a record's fields are views into it, valid
 * until the next tsv_read.  The writer buffers output and reports write
 * errors with the system's text.
 */
#ifndef WY_TSV_H
#define WY_TSV_H

#include <stddef.h>

#include "util.h"

/* A record longer than this is an error (bounded memory on hostile input). */
#define TSV_MAXREC (256u << 20)

struct fld {
	const char *p; /* unescaped bytes; NULL when the field is NULL (\N) */
	size_t len;
};

struct rec {
	struct fld *f;
	size_t nf, cap;
	long line; /* line of the input where the record starts, from 1 */
	/*
	 * Set by tsv_read when no field is NULL or holds TAB, LF, CR or
	 * backslash: each field can go out as its bytes (tsv_put_plain).
	 * 0 means not known.
	 */
	int plain;
};

/* Make room for more fields; returns 0 or -1 with e set (out of memory). */
int rec_grow(struct rec *r, struct wy_err *e);

/* Append a field view; returns 0 or -1 with e set (out of memory). */
static inline int
rec_push(struct rec *r, const char *p, size_t len, struct wy_err *e)
{
	if (r->nf == r->cap && rec_grow(r, e) < 0)
		return -1;
	r->f[r->nf].p = p;
	r->f[r->nf].len = len;
	r->nf++;
	return 0;
}
void rec_free(struct rec *r);

/* Do a and b hold the same fields (NULL equal only to NULL)? */
int rec_equal(const struct rec *a, const struct rec *b);

struct tsv_reader {
	int fd;
	const char *name; /* for messages */
	char *buf;
	size_t cap, pos, end;
	long line;
	int eof;
	int borrowed; /* buf is the caller's (tsv_open_mem) */
	unsigned long long nread; /* bytes read so far, for --progress */
};

/* Start reading fd (not closed by the reader). */
void tsv_open(struct tsv_reader *r, int fd, const char *name);

/*
 * Read the records of buf[0..len), whole lines that the reader may change
 * in place (unescaping), numbering their lines from line0 + 1.  buf stays
 * the caller's.
 */
void tsv_open_mem(struct tsv_reader *r, char *buf, size_t len,
    const char *name, long line0);

/* Next record into rec: 1, or 0 at end of input, or -1 with e set. */
int tsv_read(struct tsv_reader *r, struct rec *rec, struct wy_err *e);

void tsv_close(struct tsv_reader *r);

struct tsv_writer {
	int fd;
	const char *name; /* for messages: "<stdout>" or the path */
	char *buf;
	size_t len, cap;
	int nfield; /* fields written in the current record */
	int failed; /* errno of the first failed write, 0 if none */
};

/*
 * Start writing to fd; returns 0 or -1 with e set.  fd -1 makes a memory
 * writer: its buffer grows and is never written out (failed is ENOMEM
 * when it cannot); the caller takes buf[0..len) and resets len.
 */
int tsv_wopen(struct tsv_writer *w, int fd, const char *name, struct wy_err *e);

/*
 * Write p[0..len) escaped for the format (TAB, LF, CR, backslash) into
 * dst, which has room for 2 * len bytes; returns the bytes written.
 * PostgreSQL's COPY text format is the same (lib/wrpg.c uses it).
 */
size_t tsv_escape(char *dst, const char *p, size_t len);

/* Append one field (escaped) / a NULL field / raw bytes (not escaped). */
void tsv_put(struct tsv_writer *w, const char *p, size_t len);
void tsv_put_null(struct tsv_writer *w);
void tsv_put_fld(struct tsv_writer *w, const struct fld *f);
void tsv_put_raw(struct tsv_writer *w, const char *p, size_t len);

/* Append a field the caller knows needs no escaping (digits, unit names). */
void tsv_put_plain(struct tsv_writer *w, const char *p, size_t len);
void tsv_put_long(struct tsv_writer *w, long long v);

/*
 * Write a whole record given as a line of fields separated by delim, as
 * CSV without quotes has them, when no field needs escaping: the line is
 * copied with delim turned into TAB.  Returns 0, or -1 (nothing written)
 * when a field holds TAB, CR or backslash and must go through tsv_put.
 * More fields may follow; tsv_end ends the record.
 */
int tsv_put_line(struct tsv_writer *w, const char *p, size_t len, int delim);

/*
 * Room for n bytes at the end of the buffer, for a caller that writes
 * fields itself (plain, or through tsv_escape, TAB-separated, with a TAB
 * first when the record has fields already); NULL when the writer failed
 * (see tsv_flush).  tsv_wrote(w, end, nfield) then takes the bytes up to
 * end as nfield fields; without it they are not written.
 */
char *tsv_room(struct tsv_writer *w, size_t n);
void tsv_wrote(struct tsv_writer *w, const char *end, int nfield);

/* End the current record with LF. */
void tsv_end(struct tsv_writer *w);

/* Write out the buffer; returns 0 or -1 with e set (EPIPE is reported too). */
int tsv_flush(struct tsv_writer *w, struct wy_err *e);

/* Flush, then free; does not close fd. */
int tsv_wclose(struct tsv_writer *w, struct wy_err *e);

/*
 * Resolve a field list such as "数值,3" against a header: each item is a
 * header name (exact), a name in alt (other names of the same columns, as
 * 金额 for 金额（万元）; alt may be NULL) or a 1-based index.  *out (malloc'd, *nout entries)
 * gets 0-based column numbers in the order given.  Returns 0 or -1 with e
 * set (WY_EXIT_USAGE, "no field 数值 in the header").
 */
int tsv_select(const struct rec *hdr, const struct rec *alt, const char *spec,
    size_t **out, size_t *nout, struct wy_err *e);

#endif
