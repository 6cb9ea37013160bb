/*
 * wrsql: fields written as SQL literals, for INSERT statements.
 *
 * NULL is NULL; a plain number in canonical form,
 * -?(0|[1-9][0-9]*)(\.[0-9]+)?, is bare when it is a decimal or an integer
 * within int64 (an integer beyond int64 is a string: SQLite would read it
 * as a double); anything else is a standard SQL string, in single quotes
 * with each quote doubled and every other byte as it is (no backslash
 * escapes: PostgreSQL's standard_conforming_strings, SQLite, and MySQL
 * only with sql_mode NO_BACKSLASH_ESCAPES).  Identifiers are
 * double-quoted with each double quote doubled.  NUL bytes cannot be
 * written: the caller refuses them.
 */
#ifndef WY_WRSQL_H
#define WY_WRSQL_H

#include "tsv.h"

/* Append p[0..len) as a double-quoted identifier. */
void wrsql_ident(struct tsv_writer *w, const char *p, size_t len);

/* Append field f as an SQL literal: NULL, a bare number or a string. */
void wrsql_value(struct tsv_writer *w, const struct fld *f);

#endif
