/*
 * wrcsv: fields written as CSV (RFC 4180), for spreadsheets and the tools
 * that read CSV.
 *
 * A field is quoted when it holds a comma, a double quote, CR or LF, and
 * its quotes are doubled.  NULL is an empty field and the empty string is
 * "" (quoted), so that the two stay apart for readers that care, such as
 * PostgreSQL's COPY ... CSV.  Records end with CRLF.  NUL bytes cannot be
 * written: the caller refuses them.
 *
 * For Excel, cells that a spreadsheet would run as formulas are guarded
 * as OWASP advises (CSV injection): a cell that starts with = + - @ TAB or
 * CR gets a single quote in front, unless it is a plain number such as
 * -12.5, which Excel reads as a number and runs nothing.  Cells holding a
 * semicolon are quoted too, as Excel splits on it where it is the list
 * separator.
 */
#ifndef WY_WRCSV_H
#define WY_WRCSV_H

#include "tsv.h"

/* The UTF-8 byte-order mark, by which Excel knows the encoding. */
#define WRCSV_BOM "\xef\xbb\xbf"

/* Would a spreadsheet read p[0..len) as a formula (excel mode guards it)? */
int wrcsv_formula(const char *p, size_t len);

/*
 * Append field f to w: after a comma unless it is the record's first,
 * quoted as needed, guarded when excel is set.
 */
void wrcsv_field(struct tsv_writer *w, const struct fld *f, int first, int excel);

/*
 * The CR of the record's CRLF; the caller ends the record with tsv_end
 * (or cli_emit), which writes the LF.
 */
void wrcsv_cr(struct tsv_writer *w);

#endif
