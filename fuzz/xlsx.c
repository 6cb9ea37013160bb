/*
 * libFuzzer target: lib/xlsx and lib/zip over whole zip files.  The input
 * is put in a memory file and opened as a workbook; every sheet (up to
 * 16) is read to its end, with merges when the input's size is odd
 * (and shared strings spilled to a file when its bit 1 is set), under
 * a 1 MiB inflate cap so that bombs end fast.  Whatever the bytes, the
 * reader must end with rows or an error, and the rows must hold together:
 * no NULL field, rows numbered upwards, row->line the same as b->row.
 */
#include "fuzz.h" /* first: it asks for _GNU_SOURCE */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "book.h"

/* Read sheet i to its end: 0, or -1 when the sheet or a row failed. */
static int
read_sheet(struct book *b, size_t i, struct rec *r)
{
	struct wy_err e;
	long last = 0;
	int rc;

	if (b->ops->sheet(b, i, &e) < 0) {
		CHECK(e.exit != 0 && e.msg[0] != '\0');
		return -1;
	}
	for (size_t k = 0; k < b->nmerges; k++)
		CHECK(b->merges[k].row1 <= b->merges[k].row2 &&
		    b->merges[k].col1 <= b->merges[k].col2);
	while ((rc = b->ops->row(b, r, &e)) > 0) {
		CHECK(b->row > last && r->line == b->row);
		last = b->row;
		for (size_t f = 0; f < r->nf; f++)
			CHECK(r->f[f].p != NULL);
		/* the row's last field holds a value, unless it is empty */
		CHECK(r->nf == 0 || r->f[r->nf - 1].len > 0);
	}
	if (rc < 0)
		CHECK(e.exit != 0 && e.msg[0] != '\0');
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* odd sizes want merges; every other pair of sizes spills the
	 * shared strings to a file after 64 bytes */
	struct book_opts o = { .max_inflate = 1u << 20, .want_merges = size & 1,
		.sst_memmax = size & 2 ? 64 : 0 };
	struct book b = { 0 };
	struct rec r = { 0 };
	struct wy_err e;
	char path[64];
	int fd;

	book_xml_harden();
	fd = fuzz_fd("fuzz.xlsx", NULL, data, size);
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	b.name = "fuzz.xlsx";
	b.opts = &o;
	if (xlsx_open(&b, path, &e) == 0) {
		CHECK(b.nsheets > 0 && b.ops != NULL);
		for (size_t i = 0; i < b.nsheets && i < 16; i++)
			read_sheet(&b, i, &r);
		b.ops->close(&b);
	} else {
		CHECK(e.exit != 0 && e.msg[0] != '\0');
	}
	close(fd);
	rec_free(&r);
	return 0;
}
