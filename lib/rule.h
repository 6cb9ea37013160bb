/*
 * rule: the row rules of wy-check, such as
 *
 *	城市低保 + 农村低保 == 低保合计
 *	集中供养 <= 特困人员 and (金额 > 0 or 人数 == 0)
 *
 * parsed once by a hand-written recursive-descent parser into a small
 * postfix program, then run on every row.  Arithmetic (+ - *, unary -) is
 * exact on integers and decimals: int64 while it fits, else 128-bit
 * decimals (lib/dec.h); a result beyond those is an error, never rounded.
 * Comparisons are < <= == != >= >; they combine with `and`, `or` (also
 * AND, OR) and parentheses; a comparison does not chain (a < b < c is an
 * error: write a < b and b < c).
 *
 * Operands are numeric literals (12, 0.5) and field names: bare words of
 * letters, digits, _ and any non-ASCII character (CJK, full-width
 * parentheses), not starting with a digit, or quoted with "..." ("" for a
 * quote inside) for names with spaces, ASCII punctuation or the words and,
 * or.  U+3000 (ideographic space) counts as space.
 *
 * NULL is SQL's: arithmetic with NULL gives NULL, a comparison with NULL is
 * unknown, `false and unknown` is false, `true or unknown` is true, and a
 * rule fails only when it is false, as a CHECK constraint does.
 */
#ifndef WY_RULE_H
#define WY_RULE_H

#include <stddef.h>

#include "util.h"
#include "value.h"

/* Limits on a rule's text and on the depth of its parentheses. */
#define RULE_MAXLEN 4096
#define RULE_MAXDEPTH 64

/* What rule_eval returns. */
enum {
	RULE_FALSE = 0,
	RULE_TRUE = 1,
	RULE_UNKNOWN = 2,   /* a NULL made the answer unknown: not a failure */
	RULE_EOVERFLOW = -1 /* a result past 38 digits */
};

struct rule;

/*
 * Parse s[0..n).  Returns 0 and *out (free with rule_free), or -1 with e
 * set (WY_EXIT_USAGE) to "column C: why", C the 1-based character of the
 * rule where parsing failed ("column 8: expected a field name or a
 * number, found \"==\""), or WY_EXIT_IO when out of memory.
 */
int rule_parse(const char *s, size_t n, struct rule **out, struct wy_err *e);

/* The distinct field names of the rule, in order of first use: 0 .. n-1. */
size_t rule_nnames(const struct rule *r);
const char *rule_name(const struct rule *r, size_t k, size_t *len);

/*
 * Evaluate the rule with the values of its names: vals[k] is the value of
 * name k, an integer or number (value.h), or NULL for SQL's NULL.  Returns
 * RULE_TRUE, RULE_FALSE, RULE_UNKNOWN or RULE_EOVERFLOW.  Not reentrant on
 * one rule (it keeps its stack).
 */
int rule_eval(struct rule *r, const struct value *const *vals);

void rule_free(struct rule *r);

#endif
