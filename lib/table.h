/*
 * table: what stands above a statistical table's rows, made usable.
 *
 * Chinese statistical sheets carry title rows and a "单位：万元" row above
 * the header, and headers with empty or repeated names.  A 单位 row seen
 * among the skipped rows gives the table's unit, which is appended as
 * "（万元）" to the names of numeric-looking columns that carry no unit of
 * their own, so wy-norm can apply it.  Deciding "numeric-looking" needs the
 * first rows, which the table holds (copied) until table_decide.
 */
#ifndef WY_TABLE_H
#define WY_TABLE_H

#include "tsv.h"

#define TABLE_UNITMAX 64
#define TABLE_SAMPLE 200 /* rows looked at to call a column numeric */
#define TABLE_MAXJOIN 16384 /* columns of a joined header (Excel has 16384) */

struct table {
	char unit[TABLE_UNITMAX]; /* "万元", or "" */
	struct rec hdr;		  /* names, in `names` */
	char *names;
	size_t ncap, nlen;
	/* held rows: fields in `held` as (len, bytes) runs */
	char *held;
	size_t hcap, hlen;
	size_t nheld;
	long heldline[TABLE_SAMPLE];
	char heldbad[TABLE_SAMPLE];
	size_t heldpos[TABLE_SAMPLE];
};

/* If a skipped row says 单位：X (or 单位:X), keep X; returns 1 if so. */
int table_unit_row(struct table *t, const struct rec *row);

/*
 * Take row as the header.  Empty names become c<column> and repeated ones
 * NAME_2, NAME_3, ...; warn(arg, message) is called for each (warn may
 * be NULL).  Returns 0
 * or -1 with e set.
 */
int table_header(struct table *t, const struct rec *row,
    void (*warn)(void *arg, const char *msg), void *arg, struct wy_err *e);

/* Does the table wait for rows before its header is final? */
int table_wants_rows(const struct table *t);

/*
 * Hold a copy of a row (bad: it takes no part in the decision); returns 1
 * when enough are held to decide, 0, or -1 with e set.
 */
int table_hold(struct table *t, const struct rec *row, int bad, struct wy_err *e);

/* Append the unit to the numeric-looking columns' names. */
void table_decide(struct table *t, struct wy_err *e);

/* Held row i (0-based) into rec; valid until table_free. */
int table_held(const struct table *t, size_t i, struct rec *rec, struct wy_err *e);

/*
 * Join the header rows held in `held` (--header-rows) into one row, out:
 * each column's name is its rows' texts joined with "/" (empty ones and
 * one equal to the text above left out).  Merged ranges m[0..nm) are
 * known (rows as the held rows' lines): an empty cell of a range that
 * starts in its row takes the range's first text, and a range merged down
 * is named once, in its first row.  fill: no merges are known, so an
 * upper row's text goes on over the empty cells to its right, which is
 * how a merged cell looks once saved as CSV.  out's fields point into
 * *buf (capacity *cap).  Returns 0 or -1 with e set.
 */
struct book_merge;
int table_join(const struct table *held, const struct book_merge *m, size_t nm,
    int fill, struct rec *out, char **buf, size_t *cap, struct wy_err *e);

void table_free(struct table *t);

#endif
