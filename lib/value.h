/*
 * value: the types of a table schema and the typed reading of a cell.
 *
 * The types and their names are Frictionless Table Schema's: string,
 * integer, number, boolean, date, datetime, year, yearmonth.  A number is
 * an exact decimal (lib/dec.h), never floating point.  Dates are real
 * calendar dates, read in ISO form (2025-03-01) and in the forms Chinese
 * tables write them (2025年3月1日, 2025.3.1, 2025/03/01).  wy-check reads
 * cells, schema bounds and rule operands with it.
 */
#ifndef WY_VALUE_H
#define WY_VALUE_H

#include <stddef.h>
#include <stdint.h>

#include "dec.h"

enum value_type {
	VALUE_STRING,
	VALUE_INTEGER,	 /* int64 */
	VALUE_NUMBER,	 /* exact decimal */
	VALUE_BOOLEAN,	 /* true/false/1/0 as Frictionless spells them */
	VALUE_DATE,
	VALUE_DATETIME,	 /* 2025-03-01T08:30:00[.f][Z|+08:00], or a space for T */
	VALUE_YEAR,	 /* 2025 */
	VALUE_YEARMONTH, /* 2025-03 */
	VALUE_NTYPES
};

/* Room for a reason of value_parse, and for a value_format text, with NUL. */
#define VALUE_WHYMAX 96
#define VALUE_STRMAX DEC_STRMAX

struct value {
	enum value_type type;
	/*
	 * integer: the value; boolean: 0 or 1; date: days since 1970-01-01;
	 * year: the year; yearmonth: year * 12 + month - 1; datetime: seconds
	 * since 1970-01-01T00:00:00, in UTC when an offset was written.
	 */
	int64_t i;
	int32_t ns;   /* datetime: nanoseconds */
	int iso;      /* date, yearmonth: written in ISO form already */
	struct dec d; /* number */
};

/* The type named s[0..n) ("integer"), or -1. */
int value_type_lookup(const char *s, size_t n);

/* The name of a type ("integer"). */
const char *value_type_name(enum value_type t);

/* The type's name with an article, for messages: "an integer", "a date". */
const char *value_type_noun(enum value_type t);

/*
 * Read s[0..n) as a value of type t into *v.  Returns 0, or -1 with `why`
 * (VALUE_WHYMAX bytes) completing a sentence that begins with the quoted
 * cell: "is not an integer", "is not a date: 2025-02 has only 28 days".
 * A string is any valid UTF-8 ("is not valid UTF-8" otherwise).
 */
int value_parse(enum value_type t, const char *s, size_t n, struct value *v,
    char *why);

/*
 * dec_cmp, without a 128-bit division when the scales are equal or the
 * mantissas small (wy-check compares decimals on every row).
 */
int value_dec_cmp(struct dec a, struct dec b);

/* -1, 0, 1 as a <, ==, > b; both of the same type, not string. */
int value_cmp(const struct value *a, const struct value *b);

/*
 * Write the value's canonical text with NUL into buf (VALUE_STRMAX bytes):
 * integers without sign or leading zeros, numbers in their shortest
 * exact form, dates in ISO form, booleans as true/false.  Returns the
 * length.  Not for strings (their text is their own).
 */
size_t value_format(const struct value *v, char *buf);

/*
 * The number of characters of UTF-8 text, or -1 if it is not valid
 * UTF-8 (overlong forms, surrogates and code points past U+10FFFF count
 * as invalid).
 */
long value_utf8_len(const char *s, size_t n);

#endif
