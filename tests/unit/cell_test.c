/*
 * cell_test: a workbook's stored doubles and serial dates as text.  The
 * number rows are the text a producer writes into <v>, read as Excel
 * reads it (strtod), and the shortest decimal that reads back the same.
 */
#include <stdlib.h>

#include "book.h"
#include "t.h"

static void
test_number(void)
{
	static const struct {
		const char *stored, *text;
	} t[] = {
		{ "18374.150000000001", "18374.15" },
		{ "1E+15", "1000000000000000" },
		{ "1.182E+09", "1182000000" },
		{ "0.1", "0.1" },
		{ "0.30000000000000004", "0.30000000000000004" },
		{ "-3", "-3" },
		{ "-0", "0" },
		{ "12.0", "12" },
		{ "1234567.8", "1234567.8" },
		{ "4.35", "4.35" },
		{ "0.07", "0.07" },
		{ "2.675", "2.675" },
		{ "1E-7", "0.0000001" },
		{ "-1.5E-3", "-0.0015" },
		{ "123456789012345678", "123456789012345680" },
		{ "9007199254740993", "9007199254740992" },
	};
	char out[CELL_MAX];

	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		int n = cell_number(strtod(t[i].stored, NULL), out);

		CHECK_STR(out, t[i].text);
		CHECK(n == (int)strlen(t[i].text), "%s: length %d", t[i].stored, n);
	}
	/* the extremes fit in CELL_MAX: 309 digits, and "0." + 323 zeros + "5" */
	CHECK(cell_number(1.7976931348623157e308, out) == 309 &&
	    strncmp(out, "17976931348623157000", 20) == 0 &&
	    strspn(out + 17, "0") == 292, "largest double: %s", out);
	CHECK(cell_number(-4.9406564584124654e-324, out) == 327 &&
	    strncmp(out, "-0.000", 6) == 0 && strspn(out + 3, "0") == 323 &&
	    strcmp(out + 326, "5") == 0, "smallest double: %s", out);
	CHECK(cell_number(strtod("nan", NULL), out) < 0, "NaN is no number");
	CHECK(cell_number(strtod("inf", NULL), out) < 0, "inf is no number");
}

/* A number's text as written in the file: its shortest decimal. */
static void
test_number_text(void)
{
	static const struct {
		const char *text, *want;
	} t[] = {
		{ "18374.150000000001", "18374.15" },
		{ "1E+15", "1000000000000000" },
		{ "0.10", "0.1" },
		{ "12.", "12" },
		{ "007", "7" },
		{ "-0", "0" },
		{ "-0.000", "0" },
		{ "+5", "5" },
		{ ".5", "0.5" },
		{ "3560.39999999999999991", "3560.4" },
		{ "0.30000000000000004", "0.30000000000000004" },
		{ "99999999999999999", "100000000000000000" },
		{ "123456789012345", "123456789012345" },
		{ "1234567890123456", "1234567890123456" },
		{ "-1.5E-3", "-0.0015" },
		{ "0x10", NULL },
		{ "inf", NULL },
		{ "nan", NULL },
		{ "1e999", NULL },
		{ "1.2.3", NULL },
		{ "", NULL },
		{ "12 ", NULL },
	};
	char out[CELL_MAX];

	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		int n = cell_number_text(t[i].text, strlen(t[i].text), out);

		if (t[i].want == NULL)
			CHECK(n < 0, "\"%s\" is no number, got \"%s\"", t[i].text, out);
		else
			CHECK(n >= 0 && strcmp(out, t[i].want) == 0,
			    "\"%s\": got \"%s\", want \"%s\"", t[i].text, n >= 0 ? out : "-1",
			    t[i].want);
	}
}

/* The fast paths agree with strtod + cell_number on many decimals. */
static void
test_number_text_agrees(void)
{
	char text[40], want[CELL_MAX], got[CELL_MAX];
	unsigned long long seed = 12345;
	int bad = 0;

	for (int i = 0; i < 200000; i++) {
		int ndig, point, len = 0;

		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		ndig = 1 + (int)(seed >> 59) % 19;
		point = (int)(seed >> 40) % (ndig + 1);
		if (seed & 1)
			text[len++] = '-';
		for (int k = 0; k < ndig; k++) {
			if (k == point && k > 0)
				text[len++] = '.';
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			text[len++] = (char)('0' + (seed >> 60) % 10);
		}
		text[len] = '\0';
		cell_number(strtod(text, NULL), want);
		if (cell_number_text(text, len, got) < 0 || strcmp(got, want) != 0) {
			if (bad++ < 5)
				CHECK(0, "\"%s\": got \"%s\", cell_number says \"%s\"", text, got, want);
		}
	}
	CHECK(bad == 0, "%d of 200000 decimals disagree", bad);
}

static void
test_date(void)
{
	static const struct {
		double serial;
		int date1904, kind;
		const char *text;
	} t[] = {
		{ 45717, 0, CELL_DATE, "2025-03-01" },
		{ 45717.35416666666, 0, CELL_DATE, "2025-03-01T08:30:00" },
		{ 45717.35416666666, 0, CELL_DATETIME, "2025-03-01T08:30:00" },
		{ 45717, 0, CELL_DATETIME, "2025-03-01T00:00:00" },
		{ 45717.99999999, 0, CELL_DATE, "2025-03-02" },
		{ 0.35416666666, 0, CELL_TIME, "08:30:00" },
		{ 0.5, 0, CELL_TIME, "12:00:00" },
		{ 45717.5, 0, CELL_TIME, "2025-03-01T12:00:00" },
		{ 1, 0, CELL_DATE, "1900-01-01" },
		{ 59, 0, CELL_DATE, "1900-02-28" },
		{ 60, 0, CELL_DATE, "1900-02-29" },
		{ 61, 0, CELL_DATE, "1900-03-01" },
		{ 36526, 0, CELL_DATE, "2000-01-01" },
		{ 2958465, 0, CELL_DATE, "9999-12-31" },
		{ 0, 1, CELL_DATE, "1904-01-01" },
		{ 44255, 1, CELL_DATE, "2025-03-01" },
		{ 44255.75, 1, CELL_DATE, "2025-03-01T18:00:00" },
	};
	char out[CELL_MAX];

	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		cell_date(t[i].serial, t[i].date1904, t[i].kind, out);
		CHECK_STR(out, t[i].text);
	}
	CHECK(cell_date(-1, 0, CELL_DATE, out) < 0, "negative serial");
	CHECK(cell_date(2958466, 0, CELL_DATE, out) < 0, "year 10000");
}

static void
test_format(void)
{
	static const struct {
		int id;
		const char *code;
		int kind;
	} t[] = {
		{ 0, NULL, CELL_NUMBER },
		{ 2, NULL, CELL_NUMBER },
		{ 4, NULL, CELL_NUMBER },
		{ 14, NULL, CELL_DATE },
		{ 17, NULL, CELL_DATE },
		{ 20, NULL, CELL_TIME },
		{ 22, NULL, CELL_DATETIME },
		{ 31, NULL, CELL_DATE },
		{ 32, NULL, CELL_TIME },
		{ 46, NULL, CELL_TIME },
		{ 49, NULL, CELL_NUMBER },
		{ 57, NULL, CELL_DATE },
		{ 164, "yyyy\"年\"m\"月\"d\"日\"", CELL_DATE },
		{ 164, "yyyy-mm-dd", CELL_DATE },
		{ 164, "yyyy/m/d h:mm", CELL_DATETIME },
		{ 164, "yyyy-mm-dd hh:mm:ss", CELL_DATETIME },
		{ 164, "h:mm", CELL_TIME },
		{ 164, "mm:ss", CELL_TIME },
		{ 164, "[h]:mm:ss", CELL_TIME },
		{ 164, "h:mm AM/PM", CELL_TIME },
		{ 164, "mmm-yy", CELL_DATE },
		{ 164, "[$-F800]dddd, mmmm dd, yyyy", CELL_DATE },
		{ 164, "[Red]yyyy-mm-dd", CELL_DATE },
		{ 164, "#,##0.00", CELL_NUMBER },
		{ 164, "#,##0.00_);[Red](#,##0.00)", CELL_NUMBER },
		{ 164, "0.00E+00", CELL_NUMBER },
		{ 164, "General", CELL_NUMBER },
		{ 164, "0.0\"万元\"", CELL_NUMBER },
		{ 164, "0.0\"day\"", CELL_NUMBER },
		{ 164, "\\d0", CELL_NUMBER },
		{ 164, "@", CELL_NUMBER },
		{ 164, "0%", CELL_NUMBER },
	};

	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		int kind = cell_date_format(t[i].id, t[i].code);

		CHECK(kind == t[i].kind, "format %d \"%s\": kind %d, want %d", t[i].id,
		    t[i].code ? t[i].code : "", kind, t[i].kind);
	}
}

int
main(void)
{
	test_number();
	test_number_text();
	test_number_text_agrees();
	test_date();
	test_format();
	return t_done("cell");
}
