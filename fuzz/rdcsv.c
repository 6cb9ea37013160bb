/*
 * libFuzzer target: the CSV path of wy-extract (gzip, encoding guess,
 * separator sniffing, libcsv and the fast split), on arbitrary bytes.
 * The first byte picks the options so that forced encodings are covered.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rdcsv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const encs[] = { NULL, "gb18030", "utf-16le", "utf-8" };
	struct input in;
	struct rdcsv rd;
	struct rec rec = { 0 };
	struct wy_err e;
	int fd, delim;

	if (size < 1)
		return 0;
	delim = "\0,\t;"[data[0] >> 6];
	if ((fd = memfd_create("fuzz", 0)) < 0)
		return 0;
	if (write(fd, data + 1, size - 1) != (ssize_t)(size - 1)) {
		close(fd);
		return 0;
	}
	lseek(fd, 0, SEEK_SET);
	if (input_open(&in, fd, "fuzz", encs[data[0] & 3], &e) == 0 &&
	    rdcsv_open(&rd, &in, delim, &e) == 0) {
		while (rdcsv_read(&rd, &rec, &e) > 0)
			for (size_t i = 0; i < rec.nf; i++)
				if (rec.f[i].p == NULL)
					__builtin_trap(); /* CSV never yields NULL */
		rdcsv_close(&rd);
	}
	input_close(&in, &e);
	rec_free(&rec);
	return 0;
}
