/*
 * wrjson: fields written as JSON values, for JSON Lines.
 *
 * NULL is null.  A field that is a plain number in its canonical form,
 * -?(0|[1-9][0-9]*)(\.[0-9]+)?, is a JSON number, copied digit for digit
 * (never through floating point), when it is a decimal or an integer
 * within int64; an integer beyond int64 is a string, as many JSON readers
 * keep integers in 64 bits.  Everything else is a string, with ", \ and
 * the control characters escaped (\n \r \t \b \f, else \u00XX), and
 * U+2028 and U+2029 as \u2028 and \u2029 so that the line is also
 * JavaScript.  Strings must be valid UTF-8: the caller checks.
 */
#ifndef WY_WRJSON_H
#define WY_WRJSON_H

#include "tsv.h"

/* Append p[0..len), valid UTF-8, as a JSON string in double quotes. */
void wrjson_string(struct tsv_writer *w, const char *p, size_t len);

/* Append field f as a JSON value: null, a number or a string. */
void wrjson_value(struct tsv_writer *w, const struct fld *f);

#endif
