/*
 * agg: group-by with exact aggregates, for wy-agg.
 *
 * Rows are grouped on the bytes of their key columns (NULL is a key value
 * of its own, distinct from any text) and each group keeps a fixed-size
 * state per operation: 128-bit decimal sums, counts, min and max, the
 * first and last text.  median keeps the group's numbers and distinct its
 * distinct texts; nothing else grows with the rows.  No floating point.
 *
 * Modes: by default every group is kept in a hash table (lib/hash.h) and
 * written at the end; `sorted` keeps one group at a time for input that
 * comes grouped and hands each group to a callback as it ends.  `partial`
 * writes each group's state instead of its results, as plain TSV columns
 * that `merge` reads back and combines (see state_name in agg.c and
 * man/wy-agg.1 for the format), so that splits aggregated apart and
 * merged give exactly the result of one run.
 *
 * Nothing here prints or exits: bad rows come back as a reason, fatal
 * errors (a sum beyond 128 bits, out of memory) as a struct wy_err.
 */
#ifndef WY_AGG_H
#define WY_AGG_H

#include <stddef.h>
#include <stdint.h>

#include "dec.h"
#include "hash.h"
#include "tsv.h"
#include "util.h"

enum agg_kind {
	AGG_COUNT,    /* count: rows; count:F: F's values that are not NULL */
	AGG_SUM,      /* exact sum of F's numbers */
	AGG_MIN,
	AGG_MAX,
	AGG_MEAN,     /* exact sum / count, rounded half-even to `scale` digits */
	AGG_MEDIAN,   /* middle number, or the exact mean of the two middle ones */
	AGG_DISTINCT, /* number of distinct texts of F (bytewise) */
	AGG_FIRST,    /* F's first value that is not NULL */
	AGG_LAST      /* F's last value that is not NULL */
};

/* No column: count of rows. */
#define AGG_NOCOL ((size_t)-1)

struct agg_op {
	enum agg_kind kind;
	const char *arg;   /* the operation as given: "sum:数值" */
	const char *field; /* FIELD of OP:FIELD as given; NULL for count of rows */
	size_t col;	   /* FIELD's input column, 0-based (set by the caller) */
	/* set by agg_init */
	char *name;  /* result column: "count", "sum_数值" */
	size_t off;  /* offset of its state in a group's state */
	size_t scol; /* merge: its first state column */
	int slot;    /* the slot of its number (sum mean min max median), or -1 */
};

/*
 * Read an operation, "count", "count:F", "sum:F", ..., into op (kind and
 * field, a pointer into arg).  Returns 0; 1 if arg is no operation at
 * all (it has no "word:" in front and is not a bare name of one: a file
 * name); or -1 with e set (WY_EXIT_USAGE: unknown operation, missing
 * field).
 */
int agg_parse_op(const char *arg, struct agg_op *op, struct wy_err *e);

struct agg;

struct agg_conf {
	const size_t *keycols; /* group columns, in order, --pivot's last (copied) */
	size_t nkeys;	       /* merge: keycols unused: the keys, then the states */
	int sorted;	       /* input grouped: one group at a time, given to emit */
	int merge;	       /* rows are partial states (agg_put_* of partial) */
	int partial;	       /* write states, not results */
	int scale;	       /* digits after the point of mean, 0 to DEC_MAXSCALE */
	/* sorted: called with each group that ends (it may agg_put_group it) */
	int (*emit)(void *arg, struct agg *a, uint32_t gid, struct wy_err *e);
	void *arg;
};

struct agg_val; /* a number kept for median */
struct agg_in;	/* a row's input to one operation */

/* The fields are agg.c's own; they are here so that a struct agg can be declared. */
struct agg {
	struct agg_op *op;
	size_t nop, ncols;
	struct agg_conf c;
	char **keyname;	       /* names of the key columns */
	size_t *mkeys;	       /* the key columns (merge: 0, 1, ...) */
	struct hash_map group; /* group keys; a group's id indexes state */
	unsigned char *state;
	size_t stride, scap;
	char *kbuf, *tbuf;     /* a key being built; a decoded text or list */
	size_t kcap, tcap;
	/* numbers of the row being added, one per column read as numbers */
	size_t nslot, *slotcol;
	char **slotname;
	struct dec *num;
	struct agg_in *in;     /* the row's input to each operation */
	/* median: every number as (group, op, number); per group, where its start */
	struct agg_val *val;
	size_t nval, vcap, *vstart, vscap;
	/* distinct: (group, op, text) once each; each group's texts linked */
	struct hash_map seen;
	uint32_t *seen_next;
	size_t seen_cap;
	/* merge: the lists of the row being added */
	struct agg_val *lval;
	struct fld *lfld;
	size_t nlval, lvcap, nlfld, lfcap;
	/* pivot: groups by row, then column; rows and columns of the layout */
	struct hash_map prow, pcol;
	uint32_t *order, *ordcol, *colbyrank;
	size_t *prowstart, nprow, npcol;
};

/*
 * Set up a over the header hdr (its names, and its width, which every
 * row must have): names of the result columns, the state layout, and
 * with merge a check that hdr is a --partial header of these operations
 * (column names such as "sum_数值" and "mean_数值:count"; the names of
 * keys and fields are taken from it).  ops must outlive a; their col is
 * the caller's, unused with merge.  Returns 0 or -1 with e set
 * (WY_EXIT_USAGE: not such a header; WY_EXIT_IO: out of memory).
 */
int agg_init(struct agg *a, struct agg_op *ops, size_t nops,
    const struct agg_conf *c, const struct rec *hdr, struct wy_err *e);

/*
 * The header that --partial writes when the key columns are named by the
 * comma-separated list keys (or NULL) and pivot (or NULL), and the fields
 * as the operations name them: for --merge of headerless input or of no
 * input.  The names are malloc'd: free each out->f[i].p, then
 * rec_free(out).  Returns 0 or -1 with e set.
 */
int agg_partial_header(struct agg_op *ops, size_t nops, const char *keys,
    const char *pivot, struct rec *out, struct wy_err *e);

/*
 * Add a row (a partial state row with merge).  name is the input's name
 * for messages.  Returns 0; 1 if the row is bad (why, of whysz bytes,
 * says why, e.g. `field 数值: not a number: "12万"`; nothing was added);
 * or -1 with e set: "f.tsv:9: group (雁塔区): sum_数值 does not fit in
 * 128 bits" (WY_EXIT_DATA), out of memory (WY_EXIT_IO), or what emit
 * returned.
 */
int agg_add(struct agg *a, const struct rec *row, const char *name,
    char *why, size_t whysz, struct wy_err *e);

/*
 * After the last row: with no key columns, make the one group if no row
 * came (so that counts are 0, as SQL has it); sort each group's numbers;
 * with sorted, emit the last group.  Returns 0 or -1 with e set.
 */
int agg_finish(struct agg *a, struct wy_err *e);

/* Number of groups (hash mode). */
size_t agg_ngroups(const struct agg *a);

/*
 * Group ids in output order: first seen, or bytewise by key (NULL first)
 * with sort.  *ids is malloc'd.  Returns 0 or -1 with e set.
 */
int agg_order(struct agg *a, int sort, uint32_t **ids, struct wy_err *e);

/* Write the header: key names, then results or states.  Not with pivot. */
void agg_put_header(const struct agg *a, struct tsv_writer *w);

/*
 * Write group gid's fields, its keys and then its results (or states),
 * without ending the record.  Returns 0 or -1 with e set (the median of
 * two numbers whose sum passes 128 bits; a partial list longer than
 * TSV_MAXREC; out of memory).
 */
int agg_put_group(struct agg *a, uint32_t gid, struct tsv_writer *w,
    struct wy_err *e);

/*
 * --pivot: lay the groups out as rows of the other keys and columns of
 * the pivot column's values, each in first-seen order or, with sort,
 * bytewise.  Then agg_put_pivot_header, and agg_put_pivot_row for rows
 * 0 .. agg_pivot's *nrows - 1 (a cell with no group is NULL).  Returns
 * 0 or -1 with e set.
 */
int agg_pivot(struct agg *a, int sort, size_t *nrows, struct wy_err *e);
int agg_put_pivot_header(struct agg *a, struct tsv_writer *w, struct wy_err *e);
int agg_put_pivot_row(struct agg *a, size_t row, struct tsv_writer *w,
    struct wy_err *e);

/* Free what a holds (not ops themselves). */
void agg_free(struct agg *a);

#endif
