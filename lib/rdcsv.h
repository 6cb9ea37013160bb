/*
 * rdcsv: records of a CSV or TSV file as people export them from Excel.
 *
 * Text comes from lib/input (so any encoding, gzip or not).  Lines without
 * a quote character are split directly, and so are lines whose quoted
 * fields are simple ("a,b" or "say ""hi""" between separators); other
 * lines go through libcsv, which also joins quoted fields that hold line
 * ends.  Empty lines are not records.  Each physical line is checked to
 * be UTF-8.
 */
#ifndef WY_RDCSV_H
#define WY_RDCSV_H

#include <csv.h>

#include "input.h"
#include "tsv.h"

struct rdcsv {
	struct input *in;
	int delim;
	struct csv_parser csv;
	int in_quotes; /* libcsv holds a record that goes on past this line */
	/* decoded text: text[pos..end) unread */
	char *text;
	size_t tcap, pos, end;
	int eof;
	long line; /* physical lines consumed */
	/* the record being built: field bytes in arena, offsets in fofs */
	char *arena;
	size_t acap, alen;
	size_t *fofs; /* start of field i; its end is the start of i+1 */
	size_t nfo, fcap;
	int done; /* libcsv ended a record */
	int libcsv_only; /* for tests: every quoted line through libcsv */
	int failed;
	struct wy_err *err;
	/* for the record last returned: the line it came from when it had no
	 * quotes (else NULL), without its line end; NULL, or why it is bad */
	const char *plain;
	size_t plainlen;
	const char *rowerr;
	char rowerrbuf[96];
};

/*
 * Start reading records from in.  delim: the separator, or 0 to choose
 * among , TAB ; | from the first lines.  Returns 0 or -1 with e set (and
 * nothing to close).
 */
int rdcsv_open(struct rdcsv *r, struct input *in, int delim, struct wy_err *e);

/*
 * Next record into rec (fields valid until the next call; none is NULL):
 * 1, 0 at the end, or -1 with e set (an unterminated quoted field, a read
 * or decoding error).  A record whose bytes are not UTF-8 is returned with
 * r->rowerr set; the caller rejects it.
 */
int rdcsv_read(struct rdcsv *r, struct rec *rec, struct wy_err *e);

void rdcsv_close(struct rdcsv *r);

#endif
