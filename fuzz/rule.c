/*
 * libFuzzer target: the rule parser and evaluator.  The input up to the
 * first NUL is a rule; the bytes after it give its fields' values.  A rule
 * must parse or fail with "column C: ..." (C within the rule); one that
 * parses must evaluate to true, false, unknown or overflow, the same way
 * twice.
 */
#include "fuzz.h" /* first: it asks for _GNU_SOURCE */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule.h"

/* Characters of s[0..n), as the parser counts columns. */
static long
chars(const uint8_t *s, size_t n)
{
	long c = 0;

	for (size_t i = 0; i < n; i++)
		c += (s[i] & 0xc0) != 0x80;
	return c;
}

/* The value of name k from the bytes after the rule: NULL, int or decimal. */
static const struct value *
value_of(size_t k, const uint8_t *v, size_t nv, struct value *out)
{
	uint8_t b = nv ? v[(k * 3) % nv] : (uint8_t)k;
	int64_t x = nv ? (int64_t)(int8_t)v[(k * 3 + 1) % nv] * 1000 +
	    (nv > 2 ? v[(k * 3 + 2) % nv] : 7) : (int64_t)k;

	switch (b % 5) {
	case 0:
		return NULL;
	case 1:
		out->type = VALUE_NUMBER;
		out->d.mant = x;
		out->d.scale = b % 7;
		return out;
	case 2:
		out->type = VALUE_INTEGER;
		out->i = b & 0x80 ? INT64_MAX - (x < 0 ? -x : x) : INT64_MIN + (x < 0 ? -x : x);
		return out;
	default:
		out->type = VALUE_INTEGER;
		out->i = x;
		return out;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t n = nul ? (size_t)(nul - data) : size, nv = nul ? size - n - 1 : 0;
	struct value store[64];
	const struct value *vals[64];
	struct rule *r;
	struct wy_err e;
	long col;
	int a, b;

	if (rule_parse((const char *)data, n, &r, &e) < 0) {
		CHECK(memchr(e.msg, '\0', sizeof e.msg) != NULL);
		if (n <= RULE_MAXLEN) {
			CHECK(e.exit == WY_EXIT_USAGE);
			CHECK(sscanf(e.msg, "column %ld:", &col) == 1);
			CHECK(col >= 1 && col <= chars(data, n) + 1);
		}
		return 0;
	}
	for (size_t k = 0; k < rule_nnames(r) && k < 64; k++) {
		size_t len;

		CHECK(rule_name(r, k, &len) != NULL && len > 0);
		vals[k] = value_of(k, nul ? nul + 1 : data, nv, &store[k]);
	}
	if (rule_nnames(r) <= 64) {
		a = rule_eval(r, vals);
		b = rule_eval(r, vals);
		CHECK(a == b);
		CHECK(a == RULE_TRUE || a == RULE_FALSE || a == RULE_UNKNOWN ||
		    a == RULE_EOVERFLOW);
	}
	rule_free(r);
	return 0;
}
