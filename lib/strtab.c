#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strtab.h"

/* Spilled, pending writes are flushed past these. */
#define FLUSH_BYTES (1u << 20)
#define FLUSH_ENDS 65536

void
strtab_init(struct strtab *t, size_t memmax)
{
	memset(t, 0, sizeof *t);
	t->memmax = memmax;
	t->bytesfd = t->endfd = -1;
}

int
strtab_add(struct strtab *t, const char *s, size_t n, struct wy_err *e)
{
	if (n == 0)
		return 0; /* mem may still be NULL */
	if (t->len + n > t->cap &&
	    wy_grow(&t->mem, &t->cap, t->len + n, SIZE_MAX / 2, e) < 0)
		return -1;
	memcpy(t->mem + t->len, s, n);
	t->len += n;
	return 0;
}

char *
strtab_building(struct strtab *t, size_t *n)
{
	*n = t->len - t->cur;
	return t->mem != NULL ? t->mem + t->cur : (char *)"";
}

void
strtab_cut(struct strtab *t, size_t n)
{
	t->len = t->cur + n;
}

static int
write_all(int fd, const void *buf, size_t n, struct wy_err *e)
{
	const char *p = buf;

	while (n > 0) {
		ssize_t k = write(fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return wy_syserr(e, errno, "shared strings: temporary file");
		p += k;
		n -= k;
	}
	return 0;
}

static int
read_all(int fd, void *buf, size_t n, uint64_t at, struct wy_err *e)
{
	char *p = buf;

	while (n > 0) {
		ssize_t k = pread(fd, p, n, (off_t)at);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return wy_syserr(e, k < 0 ? errno : EIO, "shared strings: temporary file");
		p += k;
		n -= k;
		at += k;
	}
	return 0;
}

/* A temporary file, unlinked at once: it goes when it is closed. */
static int
temp_file(struct wy_err *e)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	if ((size_t)snprintf(path, sizeof path, "%s/wy-strtab.XXXXXX", dir) >= sizeof path)
		return wy_errf(e, WY_EXIT_IO, "TMPDIR is too long");
	if ((fd = mkstemp(path)) < 0)
		return wy_syserr(e, errno, "%s", path);
	unlink(path);
	return fd;
}

/* Write the strings ended and their ends; the one being built moves down. */
static int
flush(struct strtab *t, struct wy_err *e)
{
	if (write_all(t->bytesfd, t->mem, t->cur, e) < 0 ||
	    write_all(t->endfd, t->end, (t->n - t->nwritten) * sizeof *t->end, e) < 0)
		return -1;
	t->nwritten = t->n;
	if (t->len > t->cur)
		memmove(t->mem, t->mem + t->cur, t->len - t->cur);
	t->len -= t->cur;
	t->cur = 0;
	return 0;
}

/* From memory to the files (mem's offsets are the files' offsets). */
static int
spill(struct strtab *t, struct wy_err *e)
{
	if ((t->bytesfd = temp_file(e)) < 0 || (t->endfd = temp_file(e)) < 0)
		return -1;
	t->filelen = t->cur;
	if (flush(t, e) < 0)
		return -1;
	/* give the memory back: from now on it only buffers writes */
	free(t->mem);
	free(t->end);
	t->mem = NULL;
	t->end = NULL;
	t->len = t->cap = t->endcap = t->cur = 0;
	return 0;
}

int
strtab_end(struct strtab *t, struct wy_err *e)
{
	size_t k = t->n - t->nwritten;

	if (k + 1 > t->endcap) {
		size_t ncap = t->endcap * 2 + 1024;
		uint64_t *grown = reallocarray(t->end, ncap, sizeof *grown);

		if (grown == NULL)
			return wy_errf(e, WY_EXIT_IO, "out of memory");
		t->end = grown;
		t->endcap = ncap;
	}
	if (t->bytesfd < 0) {
		t->end[k] = t->len;
		t->n++;
		t->cur = t->len;
		if (t->len + t->n * sizeof *t->end > t->memmax)
			return spill(t, e);
		return 0;
	}
	t->filelen += t->len - t->cur;
	t->end[k] = t->filelen;
	t->n++;
	t->cur = t->len;
	if (t->cur >= FLUSH_BYTES || k + 1 >= FLUSH_ENDS)
		return flush(t, e);
	return 0;
}

int
strtab_get(struct strtab *t, size_t i, const char **p, size_t *n,
    int *spilled, struct wy_err *e)
{
	uint64_t ends[2] = { 0, 0 }, len;

	*spilled = t->bytesfd >= 0;
	if (!*spilled) {
		size_t start = i > 0 ? t->end[i - 1] : 0;

		*p = t->mem != NULL ? t->mem + start : "";
		*n = t->end[i] - start;
		return 0;
	}
	if (t->nwritten < t->n && flush(t, e) < 0)
		return -1;
	if (i == 0 ? read_all(t->endfd, &ends[1], sizeof ends[1], 0, e) :
	    read_all(t->endfd, ends, sizeof ends, (i - 1) * sizeof *ends, e))
		return -1;
	len = ends[1] - ends[0];
	if (ends[1] < ends[0] || ends[1] > t->filelen)
		return wy_errf(e, WY_EXIT_IO, "shared strings: temporary file changed");
	if (len + 1 > t->gotcap && wy_grow(&t->got, &t->gotcap, len + 1, SIZE_MAX / 2, e) < 0)
		return -1;
	if (read_all(t->bytesfd, t->got, len, ends[0], e) < 0)
		return -1;
	*p = t->got;
	*n = len;
	return 0;
}

void
strtab_free(struct strtab *t)
{
	if (t->bytesfd >= 0)
		close(t->bytesfd);
	if (t->endfd >= 0)
		close(t->endfd);
	free(t->mem);
	free(t->end);
	free(t->got);
	strtab_init(t, t->memmax);
}
