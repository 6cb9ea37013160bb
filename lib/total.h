/*
 * total: the totals rows of statistical tables, checked against the exact
 * sum of their detail rows.
 *
 * A total row is one whose --total column holds the total's word
 * (地区=合计, or 合计|总计 for either).  The other rows are detail rows.
 * Rows belong to groups by the text of the --by columns (no --by: one
 * group, the whole input).  A total row covers every detail row of its
 * group, wherever it stands (first, last or in between), so the sums can
 * only be compared at the end: total rows are held (copied) until then, and
 * for each group only the running sums are kept, never the detail rows.
 * Memory grows with the number of groups, not of rows.
 *
 * Sums are exact (lib/dec.h).  NULL values add nothing, as SQL's SUM; a
 * NULL in a total row claims nothing.
 */
#ifndef WY_TOTAL_H
#define WY_TOTAL_H

#include <stddef.h>

#include "dec.h"
#include "tsv.h"
#include "util.h"

struct total;

/* A held total row, and after total_finish why it is wrong (NULL: right). */
struct total_held {
	struct rec row; /* a copy, valid until total_free */
	const char *where;
	long line;
	char *why;
	void *mem; /* the copy's bytes */
};

/*
 * Read the options: spec "地区=合计" (or "地区=合计|总计"), sum "金额,人数",
 * by "年份" or NULL.  Returns 0 and *out, or -1 with e (WY_EXIT_USAGE, the
 * message naming the option).
 */
int total_new(const char *spec, const char *sum, const char *by,
    struct total **out, struct wy_err *e);

/*
 * Find the columns in the header.  Returns 0, or -1 with e set
 * (WY_EXIT_USAGE, "--sum: no field 金额 in the header").
 */
int total_bind(struct total *t, const struct rec *hdr, struct wy_err *e);

/* The number of --sum columns, and their columns (after total_bind). */
size_t total_nsum(const struct total *t);
const size_t *total_sumcols(const struct total *t);

/* Is row (of the header's width) a total row? */
int total_is_total(const struct total *t, const struct rec *row);

/*
 * Count a detail row: vals[k] is the value of sum column k, NULL for
 * NULL; bad[k] says it could not be read (then the group's total of that
 * column cannot be checked).  Returns 0, or -1 with e (out of memory).
 */
int total_add(struct total *t, const struct rec *row, const struct dec *const *vals,
    const int *bad, long line, struct wy_err *e);

/*
 * Hold a total row that passed every other check (vals as total_add,
 * where the file name, which must outlive t).  Returns 1 when held, 0 when
 * the group already has its total row (why, of WY_ERRMAX bytes, says so),
 * -1 with e when out of memory.
 */
int total_hold(struct total *t, const struct rec *row, const struct dec *const *vals,
    const char *where, long line, char *why, struct wy_err *e);

/* Compare each held row with its group's sums, setting their why. */
int total_finish(struct total *t, struct wy_err *e);

size_t total_nheld(const struct total *t);
const struct total_held *total_held(const struct total *t, size_t i);

/*
 * A line of the --report, k from 0 to total_nsum(t) (the last: second
 * total rows of a group): the column, the failures, the first failing
 * line, an example (the message of the first failure).
 */
void total_report(const struct total *t, size_t k, const char **field,
    unsigned long long *nfail, long *first, const char **example);

void total_free(struct total *t);

#endif
