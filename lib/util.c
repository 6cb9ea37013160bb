#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static void
vset(struct wy_err *e, int exitcode, const char *fmt, va_list ap)
{
	e->exit = exitcode;
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
}

int
wy_errf(struct wy_err *e, int exitcode, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset(e, exitcode, fmt, ap);
	va_end(ap);
	return -1;
}

int
wy_syserr(struct wy_err *e, int errnum, const char *fmt, ...)
{
	va_list ap;
	size_t len;

	va_start(ap, fmt);
	vset(e, WY_EXIT_IO, fmt, ap);
	va_end(ap);
	len = strlen(e->msg);
	snprintf(e->msg + len, sizeof e->msg - len, ": %s", strerror(errnum));
	return -1;
}

int
wy_grow(void *bufp, size_t *cap, size_t need, size_t limit, struct wy_err *e)
{
	char **buf = bufp;
	size_t ncap;
	char *nbuf;

	if (need <= *cap)
		return 0;
	if (need > limit)
		return wy_errf(e, WY_EXIT_DATA,
		    "a record is longer than the limit of %zu bytes", limit);
	ncap = *cap ? *cap : 4096;
	while (ncap < need)
		ncap = ncap > limit / 2 ? limit : ncap * 2;
	if ((nbuf = realloc(*buf, ncap)) == NULL)
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	*buf = nbuf;
	*cap = ncap;
	return 0;
}

const char *
wy_name(const char *path)
{
	return path == NULL || strcmp(path, "-") == 0 ? "<stdin>" : path;
}
