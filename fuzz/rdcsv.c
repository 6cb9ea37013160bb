/*
 * libFuzzer target: the CSV path of wy-extract (gzip, encoding guess,
 * separator sniffing, the direct splits and libcsv), on arbitrary bytes.
 * The first byte picks the options.  Every input is read twice, once with
 * the direct split of simply quoted lines and once with all quoted lines
 * through libcsv: both must give the same records and the same end.
 */
#include "fuzz.h" /* first: it asks for _GNU_SOURCE */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rdcsv.h"

struct out {
	char *p;
	size_t len, cap;
};

/* Append a length-prefixed field (or a record mark) to o. */
static void
put(struct out *o, const void *p, size_t n, char tag)
{
	if (o->len + n + 16 > o->cap) {
		o->cap = (o->len + n + 16) * 2;
		if ((o->p = realloc(o->p, o->cap)) == NULL)
			abort();
	}
	o->p[o->len++] = tag;
	memcpy(o->p + o->len, &n, sizeof n);
	o->len += sizeof n;
	memcpy(o->p + o->len, p, n);
	o->len += n;
}

/* Read all records of data with the options of opt; returns the status. */
static int
read_all(const uint8_t *data, size_t size, int opt, int libcsv_only, struct out *o)
{
	static const char *const encs[] = { NULL, "gb18030", "utf-16le", "utf-8" };
	struct input in;
	struct rdcsv rd;
	struct rec rec = { 0 };
	struct wy_err e;
	int fd, st = -2, delim = "\0,\t;"[opt >> 6];

	fd = fuzz_fd("fuzz", NULL, data, size);
	if (input_open(&in, fd, "fuzz", encs[opt & 3], &e) < 0)
		return -3;
	if (rdcsv_open(&rd, &in, delim, &e) == 0) {
		rd.libcsv_only = libcsv_only;
		while ((st = rdcsv_read(&rd, &rec, &e)) > 0) {
			put(o, &rec.line, sizeof rec.line, 'R');
			for (size_t i = 0; i < rec.nf; i++) {
				if (rec.f[i].p == NULL)
					abort(); /* CSV never yields NULL */
				put(o, rec.f[i].p, rec.f[i].len, 'F');
			}
		}
		rdcsv_close(&rd);
	}
	input_close(&in, &e);
	rec_free(&rec);
	return st;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct out direct = { 0 }, libcsv = { 0 };

	if (size < 1)
		return 0;
	if (read_all(data + 1, size - 1, data[0], 0, &direct) !=
	    read_all(data + 1, size - 1, data[0], 1, &libcsv) ||
	    direct.len != libcsv.len ||
	    (direct.len > 0 && memcmp(direct.p, libcsv.p, direct.len) != 0))
		abort();
	free(direct.p);
	free(libcsv.p);
	return 0;
}
