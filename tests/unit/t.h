/*
 * t.h: the unit tests' harness.  Each tests/unit/NAME_test.c is a program;
 * CHECK records one case, and t_done() prints "NAME: N passed, N failed"
 * (tests/run adds these up) and returns the exit status.
 */
#ifndef WY_T_H
#define WY_T_H

#include <stdio.h>
#include <string.h>

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

static int
t_done(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, t_npass, t_nfail);
	return t_nfail != 0;
}

#endif
