/*
 * biff: the cells of a legacy .xls sheet that FreeXL does not give, read
 * from the BIFF records themselves (lib/xls.c lays them over FreeXL's).
 *
 * Not a second BIFF reader: of a sheet's records only FORMULA (with the
 * STRING and CONTINUE records after it) and BOOLERR are read, for their
 * cached value as text, and of the workbook globals only what that text
 * needs (XF, FORMAT, DATEMODE, CODEPAGE, BOUNDSHEET).  The text follows
 * lib/book.h: numbers by cell_number, numbers in a date format by
 * cell_date, TRUE/FALSE, errors as written (#DIV/0!), a formula's text
 * result in UTF-8.
 */
#ifndef WY_BIFF_H
#define WY_BIFF_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* At most a sheet's worth of cells (BIFF5 and BIFF8 have 65536 x 256). */
#define BIFF_MAXCELLS (65536u * 256u)
#define BIFF_MAXCOLS 256u
/* At most this much text in one sheet's overlay. */
#define BIFF_MAXTEXT (256u << 20)

enum biff_kind {
	BIFF_FORMULA, /* a formula's cached value */
	BIFF_BOOLERR  /* a BOOLERR cell: a boolean, or an error value */
};

struct biff_cell {
	uint32_t row; /* 0-based, as FreeXL's */
	uint16_t col; /* 0-based, below BIFF_MAXCOLS */
	uint8_t kind; /* enum biff_kind */
	size_t off, len; /* its text: the overlay's text[off..off+len) */
};

/* One sheet's cells, in row then column order, each (row, col) once. */
struct biff_overlay {
	struct biff_cell *cells;
	size_t ncells, cellcap;
	char *text;
	size_t textlen, textcap;
	uint32_t nrows;	  /* 1 + the last cell's row, or 0 */
	unsigned int ncols; /* 1 + the rightmost cell's column, or 0 */
};

/*
 * Read the overlay of sheet i (0-based, in BOUNDSHEET order, as FreeXL
 * counts them) of the .xls at path.  where names the file in messages.
 * Returns 0, or -1 with e set (a corrupt or unreadable record stream).
 * o is to be freed by biff_free either way.
 */
int biff_read(const char *path, size_t i, const char *where,
    struct biff_overlay *o, struct wy_err *e);

/* The overlay's cell at (row, col), or NULL. */
const struct biff_cell *biff_cell(const struct biff_overlay *o, uint32_t row,
    unsigned int col);

void biff_free(struct biff_overlay *o);

#endif
