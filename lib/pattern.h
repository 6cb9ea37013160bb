/*
 * pattern: whole-value matching of a schema's patterns, POSIX extended
 * regular expressions.
 *
 * Every pattern is compiled by glibc's regcomp as ^(pattern)$.  The simple
 * ones, a sequence of ASCII characters and ASCII bracket expressions each
 * maybe followed by ? * + {m} {m,} or {m,n} ([0-9]{6}, [A-Z]{2}[0-9]{4},
 * 6101[0-9]+), are also compiled into a bit-parallel automaton of at most
 * 63 states that matches them with a table look-up per byte: no copy, no
 * locale work (regexec in a UTF-8 locale costs a thousand instructions
 * per cell).  Both give the same answers; the rest uses regexec.
 *
 * regcomp takes time that grows with the square of a pattern's expanded
 * size, so patterns are limited: PATTERN_MAXLEN bytes, repetition counts
 * up to PATTERN_MAXREP, PATTERN_MAXSIZE states once expanded.
 */
#ifndef WY_PATTERN_H
#define WY_PATTERN_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

#define PATTERN_MAXLEN 1024
#define PATTERN_MAXSIZE 10000
#define PATTERN_MAXREP 1000

struct pattern {
	regex_t re; /* ^(pattern)$ */
	int fast;   /* the automaton below is used */
	int nstate;
	uint64_t cls[256]; /* bit j: state j takes the byte */
	uint64_t loop;	   /* states that may take another byte */
	uint64_t opt;	   /* states that may be skipped */
};

/*
 * Compile s[0..n) (it may hold any bytes; the current locale applies to
 * regcomp).  Returns 0; or -1 with why (whysz bytes) saying what is wrong
 * ("bad regular expression: Unmatched [", "a ) without its (", "a count
 * of repetitions above 1000", "back-references (\1) are not supported");
 * or -2 when out of memory.
 */
int pattern_compile(struct pattern *p, const char *s, size_t n, char *why,
    size_t whysz);

/* Does all of s[0..n) match? */
int pattern_match(const struct pattern *p, const char *s, size_t n);

void pattern_free(struct pattern *p);

#endif
