/* rule: the parser's messages and columns, and exact three-valued evaluation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule.h"
#include "t.h"

/*
 * Evaluate rule with "name=value" settings separated by spaces (NULL for
 * SQL's NULL; a value with a point is a decimal).  Returns the result, or
 * 99 if the rule does not parse or names a field not set.
 */
static int
eval(const char *text, const char *settings)
{
	struct value store[16];
	const struct value *vals[16];
	struct rule *r;
	struct wy_err e;
	int res = 99;

	if (rule_parse(text, strlen(text), &r, &e) < 0) {
		fprintf(stderr, "%s: %s\n", text, e.msg);
		return 99;
	}
	for (size_t k = 0; k < rule_nnames(r); k++) {
		size_t len;
		const char *name = rule_name(r, k, &len), *at = settings, *v;
		char buf[64], why[VALUE_WHYMAX];

		vals[k] = NULL;
		for (;;) {
			at = strstr(at, name);
			if (at == NULL)
				goto out;
			if ((at == settings || at[-1] == ' ') && at[len] == '=')
				break;
			at += len;
		}
		v = at + len + 1;
		snprintf(buf, sizeof buf, "%.*s", (int)strcspn(v, " "), v);
		if (strcmp(buf, "NULL") == 0)
			continue;
		if (value_parse(strchr(buf, '.') ? VALUE_NUMBER : VALUE_INTEGER, buf,
		    strlen(buf), &store[k], why) < 0)
			goto out;
		vals[k] = &store[k];
	}
	res = rule_eval(r, vals);
out:
	rule_free(r);
	return res;
}

static void
test_eval(void)
{
	static const struct {
		const char *rule, *vals;
		int want;
	} cases[] = {
		{ "城市低保 + 农村低保 == 低保合计", "城市低保=1200 农村低保=300 低保合计=1500", RULE_TRUE },
		{ "城市低保 + 农村低保 == 低保合计", "城市低保=1200 农村低保=300 低保合计=1600", RULE_FALSE },
		{ "集中供养 <= 特困人员", "集中供养=500 特困人员=380", RULE_FALSE },
		{ "集中供养 <= 特困人员", "集中供养=380 特困人员=380", RULE_TRUE },
		/* exact decimals: 0.1 + 0.2 is 0.3, and 1.10 is 1.1 */
		{ "a + b == c", "a=0.1 b=0.2 c=0.3", RULE_TRUE },
		{ "a == b", "a=1.10 b=1.1", RULE_TRUE },
		{ "a * b == 3.375", "a=1.5 b=2.25", RULE_TRUE },
		{ "a - b < 0", "a=2 b=2.000000000000000000001", RULE_TRUE },
		{ "a != b", "a=1 b=1.0", RULE_FALSE },
		/* past int64: exact in 128 bits, not wrapped */
		{ "a + a > a", "a=9223372036854775807", RULE_TRUE },
		{ "a * a == 85070591730234615847396907784232501249", "a=9223372036854775807", RULE_TRUE },
		{ "-a > 0", "a=-9223372036854775808", RULE_TRUE },
		{ "a * a * a * a * a > 0", "a=9223372036854775807", RULE_EOVERFLOW },
		/* NULL: unknown, as in SQL */
		{ "a == b", "a=NULL b=1", RULE_UNKNOWN },
		{ "a + 1 > 0", "a=NULL", RULE_UNKNOWN },
		{ "a == 1 and b == 1", "a=2 b=NULL", RULE_FALSE },
		{ "a == 1 and b == 1", "a=1 b=NULL", RULE_UNKNOWN },
		{ "a == 1 or b == 1", "a=1 b=NULL", RULE_TRUE },
		{ "a == 1 or b == 1", "a=2 b=NULL", RULE_UNKNOWN },
		{ "a == 1 OR b == 1 AND c == 1", "a=1 b=0 c=0", RULE_TRUE },
		{ "(a == 1 or b == 1) and c == 1", "a=1 b=0 c=0", RULE_FALSE },
		/* precedence: * before + - before comparisons */
		{ "a + b * c == 7", "a=1 b=2 c=3", RULE_TRUE },
		{ "(a + b) * c == 9", "a=1 b=2 c=3", RULE_TRUE },
		{ "a - b - c == -4", "a=1 b=2 c=3", RULE_TRUE },
		{ "- - a == a", "a=5", RULE_TRUE },
		{ "a = b", "a=3 b=3", RULE_TRUE },
		{ "a <> b", "a=3 b=3", RULE_FALSE },
		{ "a >= 0 and a > -1 and a < 1 and a <= 0", "a=0", RULE_TRUE },
		{ "\"人数(人)\" > 0", "人数(人)=3", RULE_TRUE },
		{ "\"say \"\"hi\"\"\" == 1", "say \"hi\"=1", RULE_TRUE },
		{ "金额（万元）　>　0", "金额（万元）=1", RULE_TRUE },
		{ "x1 + _y == 2", "x1=1 _y=1", RULE_TRUE },
		{ "a + a == 2 * a", "a=7", RULE_TRUE },
	};

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int got = eval(cases[i].rule, cases[i].vals);

		CHECK(got == cases[i].want, "%s with %s: got %d, want %d",
		    cases[i].rule, cases[i].vals, got, cases[i].want);
	}
}

static void
test_errors(void)
{
	static const struct {
		const char *rule, *msg;
	} cases[] = {
		{ "城市低保 + == 低保合计", "column 8: expected a field name or a number, found \"==\"" },
		{ "a +", "column 4: expected a field name or a number, found the end" },
		{ "", "column 1: expected a field name or a number, found the end" },
		{ "a b", "column 3: expected an operator, found \"b\"" },
		{ "a + b", "column 1: not a comparison: a rule is true or false, as a <= b" },
		{ "a < b < c", "column 7: comparisons do not chain: use and" },
		{ "(a < b) < c", "column 1: a comparison cannot be compared" },
		{ "a and b > 1", "column 1: expected a comparison before \"and\"" },
		{ "a > 1 or 2", "column 10: expected a comparison" },
		{ "(a > 1) + 1 > 0", "column 1: expected a number, not a comparison, before \"+\"" },
		{ "a > 1 + (b < 2)", "column 9: expected a number, not a comparison" },
		{ "-(a > 1)", "column 1: minus before a comparison" },
		{ "(a > 1", "column 7: expected \")\", found the end" },
		{ "a > 1)", "column 6: expected an operator, found \")\"" },
		{ "a > 1.2.3", "column 5: not a number: \"1.2.3\"" },
		{ "a > 1.", "column 5: not a number: \"1.\"" },
		{ "a > 1234567890123456789012345678901234567890", "column 5: too many digits in \"1234567890123456789012345678901234567890\"" },
		{ "a # b", "column 3: unexpected \"#\"" },
		{ "\"a > 1", "column 1: unterminated quoted name" },
		{ "\"\" > 1", "column 1: empty quoted name" },
		{ "地区 ＝ 1", "column 4: expected an operator, found \"＝\"" },
	};
	struct rule *r;
	struct wy_err e;

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int rc = rule_parse(cases[i].rule, strlen(cases[i].rule), &r, &e);

		CHECK(rc == -1 && e.exit == WY_EXIT_USAGE, "%s: rc %d", cases[i].rule, rc);
		if (rc == -1)
			CHECK_STR(e.msg, cases[i].msg);
		else
			rule_free(r);
	}
}

static void
test_limits(void)
{
	char deep[2 * RULE_MAXDEPTH + 16], *p = deep;
	struct rule *r;
	struct wy_err e;
	size_t len;

	for (int i = 0; i <= RULE_MAXDEPTH; i++)
		*p++ = '(';
	strcpy(p, "a");
	CHECK(rule_parse(deep, strlen(deep), &r, &e) == -1, "too deep parses");
	CHECK(strstr(e.msg, "nested parentheses") != NULL, "%s", e.msg);
	CHECK(rule_parse("a", RULE_MAXLEN + 1, &r, &e) == -1, "too long parses");
	/* names are interned: a + a has one */
	CHECK(rule_parse("a + a > b", 9, &r, &e) == 0, "%s", e.msg);
	CHECK(rule_nnames(r) == 2, "names %zu", rule_nnames(r));
	CHECK(strcmp(rule_name(r, 1, &len), "b") == 0 && len == 1, "second name");
	rule_free(r);
}

int
main(void)
{
	test_eval();
	test_errors();
	test_limits();
	return t_done("rule");
}
