/*
 * book_t.h: what the unit tests of the workbook readers share (after t.h).
 */
#ifndef WY_BOOK_T_H
#define WY_BOOK_T_H

#include "book.h"
#include "t.h"

/* Sheet i as "ROW:a|b;" per row (ROW from b->row), then "!message" if it fails. */
static inline void
t_book_dump(struct book *b, size_t i, char *out, size_t cap)
{
	struct rec row = { 0 };
	struct wy_err e = { 0 };
	size_t len = 0;
	int st;

	out[0] = '\0';
	if (b->ops->sheet(b, i, &e) < 0) {
		snprintf(out, cap, "!%s", e.msg);
		return;
	}
	while ((st = b->ops->row(b, &row, &e)) > 0) {
		CHECK(row.line == b->row, "row.line %ld, b->row %ld", row.line, b->row);
		len += snprintf(out + len, cap - len, "%ld:", b->row);
		for (size_t f = 0; f < row.nf; f++) {
			CHECK(row.f[f].p != NULL, "NULL field in row %ld", b->row);
			len += snprintf(out + len, cap - len, "%s%.*s", f ? "|" : "",
			    (int)row.f[f].len, row.f[f].p);
		}
		len += snprintf(out + len, cap - len, ";");
	}
	if (st < 0)
		snprintf(out + len, cap - len, "!%s", e.msg);
	rec_free(&row);
}

#endif
