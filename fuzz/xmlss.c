/*
 * libFuzzer target: lib/xmlss.c over libxml2's xmlTextReader, on arbitrary
 * bytes given as a file: open (the sheet names), then for every sheet its
 * merged ranges and every row.  Rows must be numbered upwards, merges lie
 * within Excel's limits, and no field is NULL.
 */
#include "fuzz.h" /* first: it asks for _GNU_SOURCE */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "book.h"

static void
read_sheet(struct book *b, size_t i, struct rec *row)
{
	struct wy_err e;
	long last = 0;

	if (b->ops->sheet(b, i, &e) < 0)
		return;
	for (size_t m = 0; m < b->nmerges; m++)
		if (b->merges[m].row1 > b->merges[m].row2 ||
		    b->merges[m].col1 > b->merges[m].col2 ||
		    b->merges[m].col2 >= 16384 || b->merges[m].row2 > 1048576)
			abort();
	while (b->ops->row(b, row, &e) > 0) {
		if (b->row <= last || row->line != b->row)
			abort();
		last = b->row;
		for (size_t f = 0; f < row->nf; f++)
			if (row->f[f].p == NULL)
				abort();
		if (row->nf > 0 && row->f[row->nf - 1].len == 0)
			abort(); /* trailing empty cells are not fields */
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct book_opts opts = { .max_inflate = BOOK_MAX_INFLATE,
		.want_merges = 1 };
	struct book b = { .name = "fuzz.xml", .format = BOOK_XMLSS, .opts = &opts };
	struct rec row = { 0 };
	struct wy_err e;
	char path[64];
	int fd;

	book_xml_harden();
	fd = fuzz_fd("fuzz.xml", NULL, data, size);
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	if (xmlss_open(&b, path, &e) == 0) {
		for (size_t i = 0; i < b.nsheets; i++)
			read_sheet(&b, i, &row);
		b.ops->close(&b);
	} else if (b.impl != NULL || b.sheets != NULL) {
		abort(); /* a failed open frees what it allocated */
	}
	rec_free(&row);
	close(fd);
	return 0;
}
