/*
 * coltype: the types of database columns as wy-load and wy-emit see them.
 *
 * A column's type says which cells it takes (coltype_check); a schema's
 * Frictionless type names map onto these (coltype_lookup); and without a
 * schema, the type is guessed from all of a column's cells
 * (coltype_see, coltype_guessed), or a single cell is told apart as a
 * number or text (coltype_classify).  Numbers are read digit by digit,
 * never through floating point.
 */
#ifndef WY_COLTYPE_H
#define WY_COLTYPE_H

#include <stddef.h>
#include <stdint.h>

enum coltype {
	COLTYPE_TEXT,	    /* any text */
	COLTYPE_INT16,	    /* [+-]digits, within 16, 32, 64 bits */
	COLTYPE_INT32,
	COLTYPE_INT64,
	COLTYPE_NUMBER,	    /* [+-]digits[.digits], any length */
	COLTYPE_NUMBER15,   /* a NUMBER a double keeps: an int64, or <= 15 digits */
	COLTYPE_BOOLEAN,    /* true True TRUE 1, false False FALSE 0 */
	COLTYPE_DATE,	    /* 2025-03-01, a real date */
	COLTYPE_DATETIME,   /* 2025-03-01T08:30:00[.ffffff][Z], or a space for T */
	COLTYPE_YEAR,	    /* 2025 */
	COLTYPE_YEARMONTH   /* 2025-03 */
};

/* Significant digits that a double (SQLite's REAL) always keeps. */
#define COLTYPE_DOUBLE_DIGITS 15

/* Room for a reason of coltype_check, with NUL. */
#define COLTYPE_WHYMAX 64

/*
 * The type of a schema's Frictionless type name s[0..n): string, integer,
 * number, boolean, date, datetime, year, yearmonth (an empty name is
 * string).  Returns 0, or -1 for another name.
 */
int coltype_lookup(const char *s, size_t n, enum coltype *t);

/*
 * Does s[0..n) fit type t?  Returns 0, with *isint set when *iv holds the
 * value: an integer, a year, a boolean (0 or 1), a number that is a whole
 * int64; or -1 with why (COLTYPE_WHYMAX bytes) ending a
 * sentence that starts with the quoted cell: "is not an integer".  Text
 * fits TEXT whatever it is (its encoding is the caller's concern).
 */
int coltype_check(enum coltype t, const char *s, size_t n, int64_t *iv,
    int *isint, char *why);

/* What a single cell looks like, read strictly (no +, no leading zeros). */
enum coltype_class {
	COLTYPE_C_TEXT,
	COLTYPE_C_INT,	   /* -?(0|[1-9][0-9]*) within int64 */
	COLTYPE_C_BIGINT,  /* the same, beyond int64 */
	COLTYPE_C_DECIMAL, /* -?(0|[1-9][0-9]*)\.[0-9]+ */
	COLTYPE_C_DATE	   /* 2025-03-01, a real date */
};

/*
 * The class of s[0..n), and in *ndigits (may be NULL) the significant
 * digits of a number: those from the first non-zero one on, less the
 * trailing zeros of a fraction.
 */
enum coltype_class coltype_classify(const char *s, size_t n, unsigned *ndigits);

/* What the cells of a column seen so far allow.  Zero it to start. */
struct coltype_guess {
	unsigned char seen;   /* some cell was not NULL nor empty */
	unsigned char notint; /* some cell was no integer */
	unsigned char notnum; /* some cell was no number */
	unsigned char notdate;
	unsigned char big;  /* some integer was beyond int64 */
	unsigned char long15; /* some number had more than 15 digits */
};

/* Take one cell into account (NULL and empty cells count for nothing). */
void coltype_see(struct coltype_guess *g, const char *s, size_t n);

/*
 * The narrowest type that every cell seen fits: INT64, NUMBER, DATE or
 * TEXT (TEXT when no cell had a value).  With double_only (a database
 * whose numbers are int64 or double, as SQLite's), numbers that a double
 * cannot keep make the column TEXT, and NUMBER is NUMBER15; without it,
 * integers beyond int64 make the column NUMBER.
 */
enum coltype coltype_guessed(const struct coltype_guess *g, int double_only);

#endif
