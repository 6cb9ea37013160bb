/*
 * pattern: whole-value matches, the limits on patterns, and the fast
 * automaton against glibc's regexec on many simple patterns and texts.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pattern.h"
#include "t.h"

/* regexec on ^(pattern)$, whatever the fast path says. */
static int
slow(const struct pattern *p, const char *s, size_t n)
{
	regmatch_t m[1];

	m[0].rm_so = 0;
	m[0].rm_eo = (regoff_t)n;
	return regexec(&p->re, s, 1, m, REG_STARTEND) == 0;
}

static void
test_match(void)
{
	static const struct {
		const char *pat, *text;
		int fast, want;
	} cases[] = {
		{ "[0-9]{6}", "610113", 1, 1 },
		{ "[0-9]{6}", "61011", 1, 0 },
		{ "[0-9]{6}", "6101130", 1, 0 },
		{ "[0-9]{6}", "61O113", 1, 0 },
		{ "^[0-9]{6}$", "610113", 1, 1 },
		{ "[A-Z]{2}[0-9]{4}", "SX0029", 1, 1 },
		{ "6101[0-9]+", "6101", 1, 0 },
		{ "6101[0-9]+", "610113", 1, 1 },
		{ "[0-9]*[0-9]{2}", "12", 1, 1 },
		{ "[0-9]*[0-9]{2}", "1", 1, 0 },
		{ "a?b{0,2}c{2,}", "cc", 1, 1 },
		{ "a?b{0,2}c{2,}", "abbccc", 1, 1 },
		{ "a?b{0,2}c{2,}", "abbbcc", 1, 0 },
		{ "x{0}", "", 1, 1 },
		{ "", "", 1, 1 },
		{ "", "a", 1, 0 },
		{ "[]a-]+", "]-a", 1, 1 },
		{ "[0-9]{6}", "６１０１１３", 1, 0 },
		{ "区", "区", 0, 1 },
		{ "[^0-9]{2}", "雁塔", 0, 1 },
		{ ".{3}区", "西咸新区", 0, 1 },
		{ "城市低保|农村低保", "农村低保", 0, 1 },
		{ "(a|b)+", "abba", 0, 1 },
		{ "[[:digit:]]{2}", "12", 0, 1 },
		{ "(a?b)+", "bab", 0, 1 },
		{ "(a|b)?c{2}", "cc", 0, 1 },
		{ "(-?[0-9]+)?", "", 0, 1 },
	};
	struct pattern p;
	char why[256];

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		if (pattern_compile(&p, cases[i].pat, strlen(cases[i].pat), why, sizeof why) < 0) {
			CHECK(0, "%s: %s", cases[i].pat, why);
			continue;
		}
		CHECK(p.fast == cases[i].fast, "%s: fast %d", cases[i].pat, p.fast);
		CHECK(pattern_match(&p, cases[i].text, strlen(cases[i].text)) == cases[i].want,
		    "%s on %s", cases[i].pat, cases[i].text);
		CHECK(slow(&p, cases[i].text, strlen(cases[i].text)) == cases[i].want,
		    "regexec: %s on %s", cases[i].pat, cases[i].text);
		pattern_free(&p);
	}
}

static void
test_errors(void)
{
	static const struct {
		const char *pat, *why;
	} cases[] = {
		{ "[0-9]{6", "bad regular expression: Unmatched \\{" },
		{ "(a", "bad regular expression: Unmatched ( or \\(" },
		{ "a)(b", "a ) without its (" },
		{ "(a)\\1", "back-references (\\1) are not supported" },
		{ "x{1,1001}", "a count of repetitions above 1000" },
		{ "(){500}+", "repeats what can match nothing, as (a?)+: write a* instead" },
		{ "(()*){200}", "repeats what can match nothing, as (a?)+: write a* instead" },
		{ "(((a?){10}){10}){10}+", "repeats what can match nothing, as (a?)+: write a* instead" },
		{ "(a|b?)+", "repeats what can match nothing, as (a?)+: write a* instead" },
		{ "a?+", "repeats what can match nothing, as (a?)+: write a* instead" },
		{ "(a{1,100}){1,101}", "too large once its repetitions are expanded (more than 10000)" },
		{ "((x{1,100}){1,100}){3}", "too large once its repetitions are expanded (more than 10000)" },
	};
	struct pattern p;
	char why[256], big[PATTERN_MAXLEN + 2];

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int rc = pattern_compile(&p, cases[i].pat, strlen(cases[i].pat), why, sizeof why);

		CHECK(rc == -1, "%s compiles", cases[i].pat);
		if (rc == -1)
			CHECK_STR(why, cases[i].why);
		else
			pattern_free(&p);
	}
	memset(big, 'a', sizeof big);
	CHECK(pattern_compile(&p, big, sizeof big, why, sizeof why) == -1, "too long");
	CHECK(pattern_compile(&p, "a\0b", 3, why, sizeof why) == -1, "NUL");
}

/* Random simple patterns and texts: the automaton agrees with regexec. */
static void
test_random(void)
{
	static const char *const atoms[] = { "a", "b", "[ab]", "[0-9]", "[a-c]", "-",
		"[]x]", "0" };
	static const char *const quants[] = { "", "", "?", "*", "+", "{2}", "{0,2}",
		"{1,}", "{,3}", "{0}" };
	static const char alphabet[] = "ab0c-]x9\xe5";
	struct pattern p;
	char pat[128], text[16], why[256];
	int disagree = 0, nfast = 0;
	unsigned seed = 12345;

	for (int round = 0; round < 3000; round++) {
		size_t len = 0, natoms = 1 + rand_r(&seed) % 4;

		for (size_t k = 0; k < natoms; k++)
			len += snprintf(pat + len, sizeof pat - len, "%s%s",
			    atoms[rand_r(&seed) % 8], quants[rand_r(&seed) % 10]);
		if (pattern_compile(&p, pat, len, why, sizeof why) < 0)
			continue;
		nfast += p.fast;
		for (int t = 0; t < 40; t++) {
			size_t n = rand_r(&seed) % 7;

			for (size_t k = 0; k < n; k++)
				text[k] = alphabet[rand_r(&seed) % (sizeof alphabet - 1)];
			text[n] = '\0'; /* for sanitizers' regexec, which reads to one */
			if (pattern_match(&p, text, n) != slow(&p, text, n) && disagree++ < 5)
				fprintf(stderr, "%s on %.*s: fast %d\n", pat, (int)n, text,
				    pattern_match(&p, text, n));
		}
		pattern_free(&p);
	}
	CHECK(disagree == 0, "%d disagreements", disagree);
	CHECK(nfast > 2500, "only %d fast", nfast);
}

int
main(void)
{
	setlocale(LC_CTYPE, "C.UTF-8");
	test_match();
	test_errors();
	test_random();
	return t_done("pattern");
}
