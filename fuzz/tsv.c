/*
 * libFuzzer target: the TSV reader and writer.  Whatever is read and
 * written again must read back as the same records.
 */
#include "fuzz.h" /* first: it asks for _GNU_SOURCE */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tsv.h"

/* Read every record of fd and write it to out; returns the record count. */
static long
copy(int fd, int out)
{
	struct tsv_reader r;
	struct tsv_writer w;
	struct rec rec = { 0 };
	struct wy_err e;
	long n = 0;

	tsv_open(&r, fd, "fuzz");
	tsv_wopen(&w, out, "out", &e);
	while (tsv_read(&r, &rec, &e) > 0) {
		for (size_t i = 0; i < rec.nf; i++)
			tsv_put_fld(&w, &rec.f[i]);
		tsv_end(&w);
		n++;
	}
	tsv_wclose(&w, &e);
	tsv_close(&r);
	rec_free(&rec);
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int in = fuzz_fd("in", NULL, data, size), once = memfd_create("once", 0);
	int twice = memfd_create("twice", 0);
	off_t n1, n2;
	char *a, *b;

	if (in < 0 || once < 0 || twice < 0)
		abort();
	copy(in, once);
	n1 = lseek(once, 0, SEEK_CUR);
	lseek(once, 0, SEEK_SET);
	copy(once, twice);
	n2 = lseek(twice, 0, SEEK_CUR);
	/* writing is canonical: a second round trip changes nothing */
	if (n1 != n2)
		abort();
	a = malloc(n1 + 1);
	b = malloc(n2 + 1);
	if (pread(once, a, n1, 0) != n1 || pread(twice, b, n2, 0) != n2 ||
	    memcmp(a, b, n1) != 0)
		abort();
	free(a);
	free(b);
	close(in);
	close(once);
	close(twice);
	return 0;
}
