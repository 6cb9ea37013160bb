/*
 * libFuzzer target: XML feeds (lib/feed.c) on arbitrary bytes, through
 * lib/input as wy-extract reads them (gzip undone).  The first byte picks
 * --record, --field and --ns.  Checks what must hold whatever the bytes:
 * a header first, no NULL field, a row never wider than the header, the
 * row's line in b->row and row.line, a reason (readable) for each row to
 * reject but never for the header, and never the text of a local file
 * that an external entity names (the seeds point entities at the canary).
 */
#include "fuzz.h" /* first: it asks for _GNU_SOURCE */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "book.h"

#define CANARY_PATH "/tmp/wy-fuzz-feed-canary"
#define CANARY "wy-canary-3c1e9a"

static void
make_canary(void)
{
	static int done;
	FILE *f;

	if (done++)
		return;
	if ((f = fopen(CANARY_PATH, "w")) == NULL)
		abort();
	fputs(CANARY "\n", f);
	fclose(f);
}

static int
has_canary(const char *p, size_t n)
{
	return memmem(p, n, CANARY, sizeof CANARY - 1) != NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *records[] = { NULL, "//rec", "/*/*/*", "//s:rec" };
	static char *fields[] = { "id=@id", "a=a", "n=count(*)", "u=a/@unit",
		"s=string(s:b)" };
	static char *ns[] = { "s=urn:s" };
	struct book_opts o = { .max_inflate = BOOK_MAX_INFLATE };
	struct book b = { .name = "fuzz.xml", .format = BOOK_FEED, .opts = &o };
	struct input in;
	struct rec row = { 0 };
	struct wy_err e;
	size_t width = 0;
	long nrows = 0;
	int fd, st, leaks;

	if (size < 1)
		return 0;
	make_canary();
	/* the fuzzer learns the canary's text: only a canary it did not write is a leak */
	leaks = !has_canary((const char *)data, size);
	o.record = records[data[0] & 3];
	if (data[0] & 4) {
		o.fields = fields;
		o.nfields = sizeof fields / sizeof *fields;
	}
	if (data[0] & 8) {
		o.ns = ns;
		o.nns = 1;
	}
	fd = fuzz_fd("fuzz.xml", NULL, data + 1, size - 1);
	if (input_start(&in, fd, "fuzz.xml", &e) < 0)
		return 0;
	if (feed_open(&b, &in, &e) < 0) {
		input_close(&in, &e);
		return 0;
	}
	if (b.nsheets != 1 || b.ops->sheet(&b, 0, &e) < 0)
		abort();
	while ((st = b.ops->row(&b, &row, &e)) > 0) {
		if (nrows++ == 0)
			width = row.nf;
		else if (row.nf > width)
			abort();
		if (row.line != b.row || b.row < 0)
			abort();
		if (b.rowerr != NULL && (nrows == 1 || strlen(b.rowerr) == 0))
			abort();
		for (size_t i = 0; i < row.nf; i++)
			if (row.f[i].p == NULL ||
			    (leaks && has_canary(row.f[i].p, row.f[i].len)))
				abort();
	}
	if (st < 0 && (e.exit == WY_EXIT_OK ||
	    (leaks && has_canary(e.msg, strlen(e.msg)))))
		abort();
	b.ops->close(&b);
	input_close(&in, &e);
	rec_free(&row);
	return 0;
}
