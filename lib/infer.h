/*
 * infer: a schema guessed from a sample, for a person to edit
 * (wy-check --infer).
 *
 * Each column gets the narrowest type all its cells fit (boolean when
 * they are true/false words, integer, number, date, datetime, yearmonth,
 * else string), whether it was ever empty, the range its values span, the
 * lengths of text, an enum for text of a few repeated values, and the null
 * markers (— - / NA ...) seen among numbers and dates.  Memory is the same
 * for any number of rows.  The result is a TSV schema as lib/schema.h reads
 * it.
 */
#ifndef WY_INFER_H
#define WY_INFER_H

#include "tsv.h"
#include "util.h"

/* A text column of at most this many distinct values, each seen twice on
 * average, gets an enum. */
#define INFER_ENUM_MAX 10

struct infer;

/* Start guessing for the columns of hdr (copied).  0 or -1 with e. */
int infer_new(const struct rec *hdr, struct infer **out, struct wy_err *e);

/* Look at a row of the header's width.  0, or -1 with e (out of memory). */
int infer_row(struct infer *in, const struct rec *row, struct wy_err *e);

/* Write the schema: a header, then a row per column. */
void infer_write(const struct infer *in, struct tsv_writer *w);

void infer_free(struct infer *in);

#endif
