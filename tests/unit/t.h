/*
 * t.h: the unit tests' harness.  Each tests/unit/NAME_test.c is a program;
 * CHECK records one case, and t_done() prints "NAME: N passed, N failed"
 * (tests/run adds these up) and returns the exit status.
 */
#ifndef WY_T_H
#define WY_T_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int t_npass, t_nfail;

#define CHECK(cond, ...)                                                   \
	do {                                                               \
		if (cond) {                                                \
			t_npass++;                                         \
		} else {                                                   \
			t_nfail++;                                         \
			fprintf(stderr, "%s:%d: FAIL: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__);                      \
			fputc('\n', stderr);                               \
		}                                                          \
	} while (0)

#define CHECK_STR(got, want)                                               \
	CHECK(strcmp((got), (want)) == 0, "got \"%s\", want \"%s\"", (got), (want))

/*
 * The path of fixture name in $FIX/dir (fixtures/dir without FIX; dir
 * may be ""), in a buffer the next call reuses.  A name that starts
 * with / is a path already.
 */
static inline const char *
t_fixture(const char *dir, const char *name)
{
	static char path[4096];
	const char *fix = getenv("FIX");

	if (name[0] == '/')
		return name;
	snprintf(path, sizeof path, "%s/%s%s%s", fix ? fix : "fixtures", dir,
	    dir[0] ? "/" : "", name);
	return path;
}

/* A file descriptor on a temporary file that holds s[0..n), at its start. */
static inline int
t_bytes_fd(const void *s, size_t n)
{
	FILE *f = tmpfile();
	int fd;

	fwrite(s, 1, n, f);
	fflush(f);
	fd = dup(fileno(f));
	fclose(f);
	lseek(fd, 0, SEEK_SET);
	return fd;
}

static int
t_done(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, t_npass, t_nfail);
	return t_nfail != 0;
}

#endif
