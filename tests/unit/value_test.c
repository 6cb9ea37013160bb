/* value: typed cells, real calendar dates in their Chinese forms, lengths. */
#include <string.h>

#include "t.h"
#include "value.h"

static void
test_parse(void)
{
	static const struct {
		enum value_type t;
		const char *in, *canon; /* canon NULL: bad, why is the reason */
		const char *why;
	} cases[] = {
		{ VALUE_INTEGER, "13200", "13200", NULL },
		{ VALUE_INTEGER, "+7", "7", NULL },
		{ VALUE_INTEGER, "-0012", "-12", NULL },
		{ VALUE_INTEGER, "9223372036854775807", "9223372036854775807", NULL },
		{ VALUE_INTEGER, "-9223372036854775808", "-9223372036854775808", NULL },
		{ VALUE_INTEGER, "9223372036854775808", NULL, "is not an integer: beyond int64" },
		{ VALUE_INTEGER, "3.5", NULL, "is not an integer" },
		{ VALUE_INTEGER, "", NULL, "is not an integer" },
		{ VALUE_INTEGER, "-", NULL, "is not an integer" },
		{ VALUE_INTEGER, "1 ", NULL, "is not an integer" },
		{ VALUE_INTEGER, "１２", NULL, "is not an integer" },
		{ VALUE_NUMBER, "12939.37", "12939.37", NULL },
		{ VALUE_NUMBER, "1296.10", "1296.1", NULL },
		{ VALUE_NUMBER, "-0.001", "-0.001", NULL },
		{ VALUE_NUMBER, "1.2.3", NULL, "is not a number" },
		{ VALUE_NUMBER, "1e3", NULL, "is not a number" },
		{ VALUE_NUMBER, "1,234", NULL, "is not a number" },
		{ VALUE_BOOLEAN, "TRUE", "true", NULL },
		{ VALUE_BOOLEAN, "0", "false", NULL },
		{ VALUE_BOOLEAN, "是", NULL, "is not a boolean (true or false)" },
		{ VALUE_DATE, "2025-03-01", "2025-03-01", NULL },
		{ VALUE_DATE, "2025年3月1日", "2025-03-01", NULL },
		{ VALUE_DATE, "2025年03月01日", "2025-03-01", NULL },
		{ VALUE_DATE, "2025.3.1", "2025-03-01", NULL },
		{ VALUE_DATE, "2025/03/01", "2025-03-01", NULL },
		{ VALUE_DATE, "2025-3-1", "2025-03-01", NULL },
		{ VALUE_DATE, "2024-02-29", "2024-02-29", NULL },
		{ VALUE_DATE, "2000-02-29", "2000-02-29", NULL },
		{ VALUE_DATE, "1900-02-29", NULL, "is not a date: 1900-02 has only 28 days" },
		{ VALUE_DATE, "2025-02-29", NULL, "is not a date: 2025-02 has only 28 days" },
		{ VALUE_DATE, "2025-04-31", NULL, "is not a date: 2025-04 has only 30 days" },
		{ VALUE_DATE, "2025-13-01", NULL, "is not a date: no month 13" },
		{ VALUE_DATE, "2025-00-10", NULL, "is not a date: no month 0" },
		{ VALUE_DATE, "2025-01-00", NULL, "is not a date: no day 0" },
		{ VALUE_DATE, "0000-01-01", NULL, "is not a date: no year 0" },
		{ VALUE_DATE, "2025/03-01", NULL, "is not a date" },
		{ VALUE_DATE, "2025-003-01", NULL, "is not a date" },
		{ VALUE_DATE, "25-03-01", NULL, "is not a date" },
		{ VALUE_DATE, "2025年3月1", NULL, "is not a date" },
		{ VALUE_DATE, "20250301", NULL, "is not a date" },
		{ VALUE_DATE, "2025-03-01 ", NULL, "is not a date" },
		{ VALUE_YEARMONTH, "2025-03", "2025-03", NULL },
		{ VALUE_YEARMONTH, "2025年3月", "2025-03", NULL },
		{ VALUE_YEARMONTH, "2025.12", "2025-12", NULL },
		{ VALUE_YEARMONTH, "2025-13", NULL, "is not a year and month: no month 13" },
		{ VALUE_YEARMONTH, "2025-03-01", NULL, "is not a year and month" },
		{ VALUE_YEAR, "2025", "2025", NULL },
		{ VALUE_YEAR, "0000", NULL, "is not a year" },
		{ VALUE_YEAR, "25", NULL, "is not a year" },
		{ VALUE_DATETIME, "2025-03-01T08:30:00", "2025-03-01T08:30:00", NULL },
		{ VALUE_DATETIME, "2025-03-01 08:30:00", "2025-03-01T08:30:00", NULL },
		{ VALUE_DATETIME, "2025-03-01T08:30:00.250Z", "2025-03-01T08:30:00.25Z", NULL },
		{ VALUE_DATETIME, "2025-03-01T08:30:00+08:00", "2025-03-01T00:30:00Z", NULL },
		{ VALUE_DATETIME, "2025-03-01T02:00:00+0800", "2025-02-28T18:00:00Z", NULL },
		{ VALUE_DATETIME, "2025-03-01T24:00:00", NULL, "is not a date and time" },
		{ VALUE_DATETIME, "2025-02-30T00:00:00", NULL, "is not a date and time: 2025-02 has only 28 days" },
		{ VALUE_DATETIME, "2025-03-01", NULL, "is not a date and time" },
		{ VALUE_STRING, "雁塔区", NULL, NULL },
		{ VALUE_STRING, "\xff", NULL, "is not valid UTF-8" },
	};
	char why[VALUE_WHYMAX], buf[VALUE_STRMAX];
	struct value v;

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int rc = value_parse(cases[i].t, cases[i].in, strlen(cases[i].in), &v, why);

		if (cases[i].why != NULL) {
			CHECK(rc == -1, "%s: read", cases[i].in);
			if (rc == -1)
				CHECK_STR(why, cases[i].why);
			continue;
		}
		CHECK(rc == 0, "%s: %s", cases[i].in, why);
		if (rc == 0 && cases[i].canon != NULL) {
			value_format(&v, buf);
			CHECK_STR(buf, cases[i].canon);
		}
	}
}

static void
test_cmp(void)
{
	static const struct {
		enum value_type t;
		const char *a, *b;
		int want;
	} cases[] = {
		{ VALUE_INTEGER, "-5", "0", -1 },
		{ VALUE_NUMBER, "1.10", "1.1", 0 },
		{ VALUE_NUMBER, "100000.01", "100000", 1 },
		{ VALUE_DATE, "2025年3月1日", "2025-03-01", 0 },
		{ VALUE_DATE, "2023-12-31", "2024-01-01", -1 },
		{ VALUE_DATE, "1969-12-31", "1970-01-01", -1 },
		{ VALUE_YEARMONTH, "2024-12", "2025-01", -1 },
		{ VALUE_DATETIME, "2025-03-01T08:00:00+08:00", "2025-03-01T00:00:00Z", 0 },
		{ VALUE_DATETIME, "2025-03-01T00:00:00.1", "2025-03-01T00:00:00.01", 1 },
	};
	char why[VALUE_WHYMAX];
	struct value a, b;

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int ok = value_parse(cases[i].t, cases[i].a, strlen(cases[i].a), &a, why) == 0 &&
		    value_parse(cases[i].t, cases[i].b, strlen(cases[i].b), &b, why) == 0;

		CHECK(ok && value_cmp(&a, &b) == cases[i].want, "%s vs %s", cases[i].a,
		    cases[i].b);
	}
}

static void
test_utf8(void)
{
	static const struct {
		const char *s;
		long want;
	} cases[] = {
		{ "", 0 }, { "abc", 3 }, { "雁塔区", 3 }, { "西咸新区沣东新城管理委员会", 13 },
		{ "0123456789abcdef雁", 17 }, { "𠀀", 1 }, { "\xe9\x9b", -1 },
		{ "\xc0\xaf", -1 }, { "\xed\xa0\x80", -1 }, { "\xf4\x90\x80\x80", -1 },
		{ "abcdefgh\x80", -1 },
	};

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		CHECK(value_utf8_len(cases[i].s, strlen(cases[i].s)) == cases[i].want,
		    "case %zu", i);
}

int
main(void)
{
	CHECK(value_type_lookup("yearmonth", 9) == VALUE_YEARMONTH, "lookup");
	CHECK(value_type_lookup("time", 4) == -1, "lookup time");
	test_parse();
	test_cmp();
	test_utf8();
	return t_done("value");
}
