/*
 * check: wy-check's program.  A schema (lib/schema.h), row rules
 * (lib/rule.h), a key and totals (lib/total.h) are compiled once against a
 * table's header into one small program of per-column checks, then run on
 * every row: no allocation per row, integers read straight from the
 * field's bytes.  A row's failures are collected, all of them, as
 * "field 人数: \"3.5\" is not an integer; field 地区: \"\" is required".
 *
 * Every row counts for the checks across rows, also a row rejected for
 * another reason: a key repeated from a rejected row is still a repeat, and
 * a detail row's values are in its group's sum.
 */
#ifndef WY_CHECK_H
#define WY_CHECK_H

#include <stddef.h>

#include "schema.h"
#include "total.h"
#include "tsv.h"
#include "util.h"

struct check_opts {
	const struct schema *schema;  /* NULL: rules, keys and totals only */
	const char *const *rules;     /* the --rule texts (kept, not copied) */
	size_t nrules;
	const char *key;	      /* --key A,B, or NULL: the schema's primaryKey */
	const char *total, *sum, *by; /* --total, --sum, --by; total NULL: none */
	int sorted;		      /* the input is sorted on the key */
	int fix_dates;		      /* dates and year-months written in ISO form */
	int strict_header;	      /* columns not in the schema are an error */
};

/* What check_row says of a row. */
enum {
	CHECK_GOOD,
	CHECK_BAD, /* check_why says why */
	CHECK_HELD /* a total row, held for check_finish */
};

struct checker;

/*
 * Compile the options that need no header: parse the rules and the totals'
 * options.  o must outlive the checker.  Returns 0 and *out, or -1 with e
 * (WY_EXIT_USAGE: "--rule \"a + == b\": column 5: expected a field name or
 * a number, found \"==\"").
 */
int check_new(const struct check_opts *o, struct checker **out, struct wy_err *e);

/*
 * Bind to the header (hdr must outlive the checker; where names the
 * input).  Returns 0, or -1 with e: WY_EXIT_DATA when the header lacks
 * fields of the schema ("f.tsv:1: the header lacks fields of the schema:
 * 人数, 金额") or, with strict_header, has others; WY_EXIT_USAGE when an
 * option names a field that is not there or is not a number.
 */
int check_bind(struct checker *ck, const struct rec *hdr, const char *where,
    struct wy_err *e);

/* The header's columns that the schema does not have, as a warning, or NULL. */
const char *check_warning(const struct checker *ck);

/*
 * Check a row (where and line name it; where must outlive the checker).
 * Returns CHECK_GOOD, CHECK_BAD (check_why has every reason) or CHECK_HELD,
 * or -1 with e: out of memory, or WY_EXIT_DATA when --sorted input is not
 * sorted.
 */
int check_row(struct checker *ck, const struct rec *row, const char *where,
    long line, struct wy_err *e);

/* The reasons of the last CHECK_BAD row, "; "-separated. */
const char *check_why(const struct checker *ck);

/*
 * Write the fields of the row last checked (or last returned by
 * check_held) to w, dates in ISO form with fix_dates.  Does not end the
 * record.
 */
void check_put(struct checker *ck, struct tsv_writer *w, const struct rec *row);

/* At the end of the input: judge the held total rows.  0, or -1 with e. */
int check_finish(struct checker *ck, struct wy_err *e);

/* The held total rows, after check_finish; why NULL for a right one. */
size_t check_nheld(const struct checker *ck);
const struct total_held *check_held(struct checker *ck, size_t i);

/*
 * Write the --report: a header (check, field, failures, first_line,
 * example) and a line per check, failed or not, in the order of the
 * schema, the key, the rules and the totals.
 */
void check_report(const struct checker *ck, struct tsv_writer *w);

void check_free(struct checker *ck);

#endif
