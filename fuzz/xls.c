/*
 * libFuzzer target: lib/xls.c and FreeXL under it, on arbitrary bytes
 * given as a file (FreeXL reads a path): open, then every row of every
 * sheet.  FreeXL is not instrumented, so coverage guides only through our
 * side; its memory errors show as crashes or as ASan's on malloc and free.
 * lib/biff.c's record scan runs in the forked child there, out of the
 * fuzzer's sight, so it is also called here directly, for the first
 * sheets, whatever FreeXL made of the file.
 */
#include "fuzz.h" /* first: it asks for _GNU_SOURCE */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "biff.h"
#include "book.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct book_opts opts = { .max_inflate = BOOK_MAX_INFLATE };
	struct book b = { .name = "fuzz.xls", .format = BOOK_XLS, .opts = &opts };
	struct rec row = { 0 };
	struct biff_overlay o;
	struct wy_err e;
	char path[64];
	int fd, st;

	fd = fuzz_fd("fuzz.xls", NULL, data, size);
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	if (xls_open(&b, path, &e) == 0) {
		for (size_t i = 0; i < b.nsheets; i++) {
			if (b.ops->sheet(&b, i, &e) < 0)
				continue;
			while ((st = b.ops->row(&b, &row, &e)) > 0)
				for (size_t f = 0; f < row.nf; f++)
					if (row.f[f].p == NULL)
						abort(); /* never a NULL field */
		}
		b.ops->close(&b);
	} else if (b.impl != NULL || b.sheets != NULL) {
		abort(); /* a failed open frees what it allocated */
	}
	for (size_t i = 0; i < 4; i++) {
		if (biff_read(path, i, "fuzz.xls", &o, &e) == 0)
			for (size_t c = 0; c < o.ncells; c++)
				if (o.cells[c].off + o.cells[c].len > o.textlen ||
				    o.cells[c].col >= BIFF_MAXCOLS ||
				    biff_cell(&o, o.cells[c].row, o.cells[c].col) !=
				        &o.cells[c])
					abort(); /* text in bounds, cells sorted, once */
		biff_free(&o);
	}
	rec_free(&row);
	close(fd);
	return 0;
}
