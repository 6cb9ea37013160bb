/*
 * fuzz.h: what the libFuzzer targets share.  CHECK aborts (a finding)
 * when a property of the code under test does not hold; fuzz_fd gives
 * the readers that want a file descriptor the input as a memory file.
 */
#ifndef WY_FUZZ_H
#define WY_FUZZ_H

#define _GNU_SOURCE /* memfd_create */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)                 \
	do {                     \
		if (!(c))        \
			abort(); \
	} while (0)

/*
 * A memory file (named name) holding head (a string, or NULL) and then
 * p[0..n), positioned at its start; aborts when it cannot be made.
 */
static inline int
fuzz_fd(const char *name, const char *head, const void *p, size_t n)
{
	int fd = memfd_create(name, 0);
	size_t hn = head != NULL ? strlen(head) : 0;

	CHECK(fd >= 0);
	CHECK(hn == 0 || write(fd, head, hn) == (ssize_t)hn);
	CHECK(n == 0 || write(fd, p, n) == (ssize_t)n);
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	return fd;
}

#endif
