/*
 * dec_test: exact decimals.  Each table row is an operation on values
 * written as text and the text (or status) it must give.
 */
#include <stdint.h>

#include "dec.h"
#include "t.h"

#define MAX128 "170141183460469231731687303715884105727"

static struct dec
D(const char *s)
{
	struct dec d = { 0, 0 };

	if (dec_parse(s, strlen(s), &d) != 0)
		fprintf(stderr, "bad test value %s\n", s);
	return d;
}

static const char *
F(struct dec d)
{
	static char buf[8][DEC_STRMAX];
	static int k;

	k = (k + 1) % 8;
	dec_format(d, buf[k]);
	return buf[k];
}

static void
test_parse(void)
{
	static const struct {
		const char *in;
		int st;
		const char *out;
		int scale;
	} t[] = {
		{ "0", 0, "0", 0 },
		{ "12345", 0, "12345", 0 },
		{ "-3.5", 0, "-3.5", 1 },
		{ "+7", 0, "7", 0 },
		{ "12.500", 0, "12.5", 1 }, /* trailing zeros are not kept */
		{ "0.001", 0, "0.001", 3 },
		{ "007", 0, "7", 0 },
		{ MAX128, 0, MAX128, 0 },
		{ "-" MAX128, 0, "-" MAX128, 0 },
		{ "170141183460469231731687303715884105728", DEC_EOVERFLOW, "", 0 },
		{ "0.000000000000000000000000000001", 0,
		    "0.000000000000000000000000000001", 30 },
		{ "0.0000000000000000000000000000001", DEC_EOVERFLOW, "", 0 },
		{ "1.50000000000000000000000000000000000000", 0, "1.5", 1 },
		{ "", DEC_ESYNTAX, "", 0 },
		{ "-", DEC_ESYNTAX, "", 0 },
		{ ".5", DEC_ESYNTAX, "", 0 },
		{ "5.", DEC_ESYNTAX, "", 0 },
		{ "1.2.3", DEC_ESYNTAX, "", 0 },
		{ "1e3", DEC_ESYNTAX, "", 0 },
		{ " 1", DEC_ESYNTAX, "", 0 },
		{ "1,000", DEC_ESYNTAX, "", 0 },
		{ "--1", DEC_ESYNTAX, "", 0 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct dec d = { 0, 0 };
		int st = dec_parse(t[i].in, strlen(t[i].in), &d);

		CHECK(st == t[i].st, "parse %s: status %d, want %d", t[i].in,
		    st, t[i].st);
		if (st == 0 && t[i].st == 0) {
			CHECK_STR(F(d), t[i].out);
			CHECK(d.scale == t[i].scale, "parse %s: scale %d",
			    t[i].in, d.scale);
		}
	}
	/* The length bounds the text: "123" of "12345" read as 3 bytes. */
	struct dec d;
	CHECK(dec_parse("12345", 3, &d) == 0 && d.mant == 123, "n bounds");
}

enum op { ADD, SUB, MUL };

static void
test_arith(void)
{
	static const struct {
		enum op op;
		const char *a, *b;
		int st;
		const char *out;
	} t[] = {
		{ ADD, "0.1", "0.2", 0, "0.3" },
		{ ADD, "1.1", "2.25", 0, "3.35" },
		{ ADD, "-5", "3.5", 0, "-1.5" },
		{ ADD, "0.07", "11.82", 0, "11.89" },
		{ ADD, MAX128, "0", 0, MAX128 },
		{ ADD, MAX128, "1", DEC_EOVERFLOW, "" },
		{ ADD, "-" MAX128, "-1", DEC_EOVERFLOW, "" },
		{ ADD, "-" MAX128, "1", 0, "-170141183460469231731687303715884105726" },
		/* aligning would overflow, but the zeros can go: exact anyway */
		{ ADD, "100000000000000000000000000000000000000",
		    "0.000000000000000000000000000000", 0,
		    "100000000000000000000000000000000000000" },
		{ ADD, "100000000000000000000000000000000000000", "0.5",
		    DEC_EOVERFLOW, "" },
		{ SUB, "0.3", "0.1", 0, "0.2" },
		{ SUB, "1", "1.000", 0, "0" },
		{ SUB, "-" MAX128, "1", DEC_EOVERFLOW, "" },
		{ SUB, "2", "5.5", 0, "-3.5" },
		{ MUL, "1.1", "10000", 0, "11000" },
		{ MUL, "4.35", "10000", 0, "43500" },
		{ MUL, "2.675", "100000000", 0, "267500000" },
		{ MUL, "-0.5", "-0.5", 0, "0.25" },
		{ MUL, "-3", "7", 0, "-21" },
		{ MUL, "0", MAX128, 0, "0" },
		{ MUL, "10000000000000000000", "10000000000000000000", 0,
		    "100000000000000000000000000000000000000" },
		{ MUL, "100000000000000000000", "10000000000000000000",
		    DEC_EOVERFLOW, "" },
		{ MUL, "0.000000000000001", "0.000000000000001", 0,
		    "0.000000000000000000000000000001" },
		{ MUL, "0.0000000000000001", "0.000000000000001",
		    DEC_EOVERFLOW, "" },
		/* scales add to 32 but trailing zeros make it fit */
		{ MUL, "0.1000000000000000", "0.1000000000000000", 0, "0.01" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct dec r = { 0, 0 };
		int st;

		if (t[i].op == ADD)
			st = dec_add(D(t[i].a), D(t[i].b), &r);
		else if (t[i].op == SUB)
			st = dec_sub(D(t[i].a), D(t[i].b), &r);
		else
			st = dec_mul(D(t[i].a), D(t[i].b), &r);
		CHECK(st == t[i].st, "op %d %s %s: status %d, want %d",
		    t[i].op, t[i].a, t[i].b, st, t[i].st);
		if (st == 0 && t[i].st == 0)
			CHECK_STR(F(r), t[i].out);
	}
}

static void
test_shift(void)
{
	static const struct {
		const char *a;
		int e, st;
		const char *out;
	} t[] = {
		{ "11.82", 8, 0, "1182000000" },
		{ "0.07", 8, 0, "7000000" },
		{ "1.6", 4, 0, "16000" },
		{ "12.5", 1, 0, "125" },
		{ "5", -1, 0, "0.5" },
		{ "5", -2, 0, "0.05" },
		{ "-3", 2, 0, "-300" },
		{ "0", 1000, 0, "0" },
		{ "1", 38, 0, "100000000000000000000000000000000000000" },
		{ "2", 38, DEC_EOVERFLOW, "" }, /* 2e38 > 2^127 */
		{ "1", 39, DEC_EOVERFLOW, "" },
		{ "1", 100000, DEC_EOVERFLOW, "" },
		{ "1", -30, 0, "0.000000000000000000000000000001" },
		{ "1", -31, DEC_EOVERFLOW, "" },
		{ "1000", -31, 0, "0.0000000000000000000000000001" },
		{ "1", -2147483647, DEC_EOVERFLOW, "" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct dec r = { 0, 0 };
		int st = dec_shift(D(t[i].a), t[i].e, &r);

		CHECK(st == t[i].st, "shift %s %d: status %d, want %d",
		    t[i].a, t[i].e, st, t[i].st);
		if (st == 0 && t[i].st == 0)
			CHECK_STR(F(r), t[i].out);
	}
}

static void
test_round(void)
{
	static const struct {
		const char *a;
		int scale;
		enum dec_round mode;
		int st;
		const char *out;
	} t[] = {
		{ "2.5", 0, DEC_ROUND_HALF_EVEN, 0, "2" },
		{ "3.5", 0, DEC_ROUND_HALF_EVEN, 0, "4" },
		{ "-2.5", 0, DEC_ROUND_HALF_EVEN, 0, "-2" },
		{ "-3.5", 0, DEC_ROUND_HALF_EVEN, 0, "-4" },
		{ "2.51", 0, DEC_ROUND_HALF_EVEN, 0, "3" },
		{ "2.49", 0, DEC_ROUND_HALF_EVEN, 0, "2" },
		{ "2.5", 0, DEC_ROUND_HALF_UP, 0, "3" },
		{ "-2.5", 0, DEC_ROUND_HALF_UP, 0, "-3" },
		{ "2.4999", 0, DEC_ROUND_HALF_UP, 0, "2" },
		{ "2.1", 0, DEC_ROUND_FLOOR, 0, "2" },
		{ "-2.1", 0, DEC_ROUND_FLOOR, 0, "-3" },
		{ "2.1", 0, DEC_ROUND_CEIL, 0, "3" },
		{ "-2.1", 0, DEC_ROUND_CEIL, 0, "-2" },
		{ "2.9", 0, DEC_ROUND_TRUNC, 0, "2" },
		{ "-2.9", 0, DEC_ROUND_TRUNC, 0, "-2" },
		{ "2.5", 0, DEC_ROUND_NONE, DEC_EINEXACT, "" },
		{ "2.0", 0, DEC_ROUND_NONE, 0, "2" },
		{ "12345.67", 0, DEC_ROUND_NONE, DEC_EINEXACT, "" },
		{ "2.675", 2, DEC_ROUND_HALF_EVEN, 0, "2.68" },
		{ "2.665", 2, DEC_ROUND_HALF_EVEN, 0, "2.66" },
		{ "2.675", 2, DEC_ROUND_HALF_UP, 0, "2.68" },
		{ "-0.005", 2, DEC_ROUND_HALF_UP, 0, "-0.01" },
		{ "-0.005", 2, DEC_ROUND_HALF_EVEN, 0, "0" },
		{ "1.5", 3, DEC_ROUND_NONE, 0, "1.5" }, /* adds no digits */
		{ "1250", -2, DEC_ROUND_HALF_EVEN, 0, "1200" },
		{ "1350", -2, DEC_ROUND_HALF_EVEN, 0, "1400" },
		{ "1250", -2, DEC_ROUND_NONE, DEC_EINEXACT, "" },
		{ "1200", -2, DEC_ROUND_NONE, 0, "1200" },
		{ "5", -100, DEC_ROUND_HALF_UP, 0, "0" },
		{ "5", -100, DEC_ROUND_CEIL, DEC_EOVERFLOW, "" },
		{ MAX128, -1, DEC_ROUND_CEIL, DEC_EOVERFLOW, "" },
		{ MAX128, -1, DEC_ROUND_FLOOR, 0,
		    "170141183460469231731687303715884105720" },
		{ "0.999", 2, DEC_ROUND_CEIL, 0, "1" },
		{ "-0.999", 2, DEC_ROUND_FLOOR, 0, "-1" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct dec r = { 0, 0 };
		int st;

		st = dec_round(D(t[i].a), t[i].scale, t[i].mode, &r);
		CHECK(st == t[i].st, "round %s %d mode %d: status %d, want %d",
		    t[i].a, t[i].scale, t[i].mode, st, t[i].st);
		if (st == 0 && t[i].st == 0)
			CHECK_STR(F(r), t[i].out);
	}
}

static void
test_div(void)
{
	static const struct {
		const char *a, *b;
		int scale;
		enum dec_round mode;
		int st;
		const char *out;
	} t[] = {
		{ "1", "4", 2, DEC_ROUND_NONE, 0, "0.25" },
		{ "1", "4", 1, DEC_ROUND_NONE, DEC_EINEXACT, "" },
		{ "1", "4", 1, DEC_ROUND_HALF_EVEN, 0, "0.2" },
		{ "3", "4", 1, DEC_ROUND_HALF_EVEN, 0, "0.8" },
		{ "1", "4", 1, DEC_ROUND_HALF_UP, 0, "0.3" },
		{ "1", "3", 2, DEC_ROUND_HALF_EVEN, 0, "0.33" },
		{ "2", "3", 2, DEC_ROUND_HALF_EVEN, 0, "0.67" },
		{ "2", "3", 2, DEC_ROUND_TRUNC, 0, "0.66" },
		{ "-2", "3", 2, DEC_ROUND_FLOOR, 0, "-0.67" },
		{ "-2", "3", 2, DEC_ROUND_CEIL, 0, "-0.66" },
		{ "1", "3", 30, DEC_ROUND_NONE, DEC_EINEXACT, "" },
		{ "1", "-8", 3, DEC_ROUND_NONE, 0, "-0.125" },
		{ "12.5", "0.5", 0, DEC_ROUND_NONE, 0, "25" },
		{ "0.001", "1000", 6, DEC_ROUND_NONE, 0, "0.000001" },
		{ "0.001", "1000", 5, DEC_ROUND_HALF_UP, 0, "0" },
		{ "7", "0.001", 0, DEC_ROUND_NONE, 0, "7000" },
		{ "10", "2", 0, DEC_ROUND_NONE, 0, "5" },
		{ "1", "0", 0, DEC_ROUND_HALF_UP, DEC_EOVERFLOW, "" },
		{ MAX128, "0.1", 0, DEC_ROUND_NONE, DEC_EOVERFLOW, "" },
		{ MAX128, "1", 0, DEC_ROUND_NONE, 0, MAX128 },
		/* n * 10^30 overflows 128 bits: long division still exact */
		{ "1000000000", "100000000", 30, DEC_ROUND_NONE, 0, "10" },
		{ "100000000000", "4", 30, DEC_ROUND_NONE, DEC_EOVERFLOW, "" },
		{ "1", "3", 31, DEC_ROUND_HALF_UP, DEC_EOVERFLOW, "" },
		{ "1", "3", -1, DEC_ROUND_HALF_UP, DEC_EOVERFLOW, "" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct dec r = { 0, 0 };
		int st = dec_div(D(t[i].a), D(t[i].b), t[i].scale, t[i].mode,
		    &r);

		CHECK(st == t[i].st, "div %s/%s at %d mode %d: status %d, want %d",
		    t[i].a, t[i].b, t[i].scale, t[i].mode, st, t[i].st);
		if (st == 0 && t[i].st == 0)
			CHECK_STR(F(r), t[i].out);
	}
}

static void
test_cmp_norm(void)
{
	static const struct {
		const char *a, *b;
		int want;
	} t[] = {
		{ "1", "1.000", 0 },
		{ "1.5", "1.49", 1 },
		{ "-1.5", "-1.49", -1 },
		{ "-0.1", "0", -1 },
		{ "0", "0.000", 0 },
		{ MAX128, "-" MAX128, 1 },
		{ MAX128, "1.000000000000000000000000000001", 1 },
		{ "1.000000000000000000000000000001", "1", 1 },
		{ "0.3", "0.30000000000000000000000000001", -1 },
		{ "-2", "-10", 1 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int c = dec_cmp(D(t[i].a), D(t[i].b));

		CHECK(c == t[i].want, "cmp %s %s: %d, want %d", t[i].a, t[i].b,
		    c, t[i].want);
		CHECK(dec_cmp(D(t[i].b), D(t[i].a)) == -t[i].want,
		    "cmp %s %s reversed", t[i].b, t[i].a);
	}

	struct dec n = dec_normalize((struct dec){ 12500, 3 });
	CHECK(n.mant == 125 && n.scale == 1, "normalize 12.500");
	n = dec_normalize((struct dec){ 1200, 0 });
	CHECK(n.mant == 1200 && n.scale == 0, "normalize keeps scale 0");
	n = dec_normalize((struct dec){ 0, 5 });
	CHECK(n.mant == 0 && n.scale == 0, "normalize zero");
	n = dec_normalize((struct dec){ -3000, 3 });
	CHECK(n.mant == -3 && n.scale == 0, "normalize -3.000");
}

static void
test_i64(void)
{
	static const struct {
		const char *a;
		int st;
		int64_t want;
	} t[] = {
		{ "1182000000", 0, 1182000000 },
		{ "12.000", 0, 12 },
		{ "-5", 0, -5 },
		{ "9223372036854775807", 0, INT64_MAX },
		{ "-9223372036854775808", 0, INT64_MIN },
		{ "9223372036854775808", DEC_EOVERFLOW, 0 },
		{ "-9223372036854775809", DEC_EOVERFLOW, 0 },
		{ "12345.67", DEC_EINEXACT, 0 },
		{ "0.5", DEC_EINEXACT, 0 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int64_t v = 0;
		int st = dec_to_i64(D(t[i].a), &v);

		CHECK(st == t[i].st && (st != 0 || v == t[i].want),
		    "to_i64 %s: status %d", t[i].a, st);
	}
}

static void
test_format(void)
{
	static const struct {
		dec_i128 mant;
		int scale;
		const char *want;
	} t[] = {
		{ 0, 0, "0" },
		{ 0, 7, "0" },
		{ 125, 1, "12.5" },
		{ -25, 2, "-0.25" },
		{ 5, 3, "0.005" },
		{ 1182000000, 0, "1182000000" },
		{ 1200, 2, "12" },
		{ -1, 30, "-0.000000000000000000000000000001" },
		{ 100, 0, "100" },
		/* either side of utoa64's switch to 32-bit divisions */
		{ 9, 0, "9" },
		{ 99, 0, "99" },
		{ 4294967295, 0, "4294967295" },
		{ 4294967296, 0, "4294967296" },
		{ 42949672961, 0, "42949672961" },
		{ (dec_i128)UINT64_MAX, 0, "18446744073709551615" },
		{ (dec_i128)UINT64_MAX, 5, "184467440737095.51615" },
		{ -(dec_i128)4294967301, 1, "-429496730.1" },
	};
	char buf[DEC_STRMAX];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		size_t n = dec_format((struct dec){ t[i].mant, t[i].scale }, buf);

		CHECK_STR(buf, t[i].want);
		CHECK(n == strlen(t[i].want), "format length %zu", n);
	}
	dec_i128 big = D(MAX128).mant;
	CHECK(dec_format_i128(big, buf) == 39, "i128 length");
	CHECK_STR(buf, MAX128);
	dec_format_i128(-big - 1, buf);
	CHECK_STR(buf, "-170141183460469231731687303715884105728");
	dec_format_i128(0, buf);
	CHECK_STR(buf, "0");
	dec_format_i128(-42, buf);
	CHECK_STR(buf, "-42");
	/* The widest: a sign, 39 digits at scale 30. */
	dec_format((struct dec){ -big, 30 }, buf);
	CHECK_STR(buf, "-170141183.460469231731687303715884105727");
}

int
main(void)
{
	test_parse();
	test_arith();
	test_shift();
	test_round();
	test_div();
	test_cmp_norm();
	test_i64();
	test_format();
	return t_done("dec");
}
