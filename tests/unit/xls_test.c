/*
 * xls: legacy workbooks through FreeXL, on files LibreOffice and gnumeric
 * saved (fixtures/xls-unit, made by tests/unit/make-xls.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "book_t.h"

static int
open_xls(struct book *b, const char *name, struct wy_err *e)
{
	static const struct book_opts opts = { .max_inflate = BOOK_MAX_INFLATE };

	memset(b, 0, sizeof *b);
	b->name = name;
	b->format = BOOK_XLS;
	b->opts = &opts;
	return xls_open(b, t_fixture("xls-unit", name), e);
}

static void
test_libreoffice(void)
{
	struct book b;
	struct wy_err e = { 0 };
	char got[2048];

	CHECK(open_xls(&b, "basic.xls", &e) == 0, "open: %s", e.msg);
	if (b.ops == NULL)
		return;
	CHECK(b.nsheets == 4, "nsheets %zu", b.nsheets);
	if (b.nsheets == 4) {
		CHECK_STR(b.sheets[0], "数据");
		CHECK_STR(b.sheets[1], "Sheet2");
		CHECK_STR(b.sheets[2], "空");
		CHECK_STR(b.sheets[3], "serial");
	}
	/*
	 * Row 1 is empty and not returned, row 5 is kept empty, the styled
	 * empty J12 makes no row.  Numbers as typed, dates in ISO 8601,
	 * 45717.3541666 (08:29:59.99) rounded to the second.  Formula cells,
	 * which FreeXL drops, by their cached values from the BIFF records
	 * (lib/biff.c): TRUE and FALSE (TRUE() formulas in LibreOffice's
	 * file), =1/0 as #DIV/0!, row 7's sum and text.
	 */
	t_book_dump(&b, 0, got, sizeof got);
	CHECK_STR(got, "2:2025年统计;"
		       "3:地区|金额|数量|日期|时间戳|时间|布尔|错误|代码|备注;"
		       "4:北京|18374.15|42|2025-03-01|2025-03-01T08:30:00|08:30:00"
		       "|TRUE|#DIV/0!|00123|\\N;"
		       "5:;"
		       "6:上海|1000000000000000|-3|2025-03-01T08:30:00|0.1||FALSE;"
		       "7:合计|1000000000018374.1|北京市;"
		       "8:tab\there|line1\nline2;");
	/* merged cells: the text is in the first cell only */
	t_book_dump(&b, 1, got, sizeof got);
	CHECK_STR(got, "1:2025年||地区;2:金额|数量;3:1|2|东;");
	t_book_dump(&b, 2, got, sizeof got);
	CHECK_STR(got, "");
	/* the 1900 system with its leap-year bug: 59 is 1900-02-28, 61 is
	 * 1900-03-01; a date format drops the time of day (FreeXL) */
	t_book_dump(&b, 3, got, sizeof got);
	CHECK_STR(got, "1:1900-01-01|1900-01-01T00:00:00;"
		       "2:1900-02-28|1900-02-28T00:00:00;"
		       "3:1900-03-01|1900-03-01T00:00:00;"
		       "4:2025-03-01|2025-03-01T12:00:00;");
	CHECK(b.merges == NULL && b.nmerges == 0, "merges from FreeXL");
	CHECK(b.ops->sheet(&b, 4, &e) < 0 && e.exit == WY_EXIT_USAGE,
	    "sheet 5 of 4: %s", e.msg);
	b.ops->close(&b);
}

/* Sheets read out of order. */
static void
test_order(void)
{
	struct book b;
	struct wy_err e = { 0 };
	char got[2048];

	if (open_xls(&b, "basic.xls", &e) < 0) {
		CHECK(0, "open: %s", e.msg);
		return;
	}
	t_book_dump(&b, 1, got, sizeof got);
	CHECK_STR(got, "1:2025年||地区;2:金额|数量;3:1|2|东;");
	t_book_dump(&b, 0, got, sizeof got);
	CHECK(strncmp(got, "2:2025年统计;3:地区|", strlen("2:2025年统计;3:地区|")) == 0,
	    "sheet 1 after 2: %.60s", got);
	b.ops->close(&b);
}

/* gnumeric writes booleans as BOOLERR records, which FreeXL gives as 1
 * and 0: the overlay's TRUE and FALSE replace them. */
static void
test_gnumeric(void)
{
	struct book b;
	struct wy_err e = { 0 };
	char got[2048];

	if (open_xls(&b, "gnumeric.xls", &e) < 0) {
		CHECK(0, "open: %s", e.msg);
		return;
	}
	t_book_dump(&b, 0, got, sizeof got);
	CHECK_STR(got, "2:2025年统计;"
		       "3:地区|金额|数量|日期|时间戳|时间|布尔|错误|代码|备注;"
		       "4:北京|18374.15|42|2025-03-01|2025-03-01T08:30:00|08:30:00"
		       "|TRUE|#DIV/0!|00123|\\N;"
		       "5:;"
		       "6:上海|1000000000000000|-3|2025-03-01T08:30:00|0.1||FALSE;"
		       "7:合计|1000000000018374.1|北京市;"
		       "8:tab\there|line1\nline2;");
	b.ops->close(&b);
}

/*
 * Formula results the overlay reads (formulas.xls: openpyxl formulas that
 * LibreOffice computed and saved): dates by the cell's format, a text of
 * 5001 characters that goes on in a CONTINUE record, Latin text, the
 * empty string, TRUE, #N/A, a double's shortest text, and a row that
 * holds only a formula, right of every other cell.
 */
static void
test_formulas(void)
{
	struct book b;
	struct rec row = { 0 };
	struct wy_err e = { 0 };
	static char got[32768];
	char want[64];
	int st;

	if (open_xls(&b, "formulas.xls", &e) < 0) {
		CHECK(0, "open: %s", e.msg);
		return;
	}
	if (b.ops->sheet(&b, 0, &e) < 0) {
		CHECK(0, "sheet: %s", e.msg);
		b.ops->close(&b);
		return;
	}
	for (long r = 1; (st = b.ops->row(&b, &row, &e)) > 0; r++) {
		CHECK(b.row == r, "row %ld, want %ld", b.row, r);
		if (r != 3 && r != 4)
			continue;
		CHECK(row.nf == 2, "row %ld: %zu fields", r, row.nf);
		if (row.nf != 2)
			continue;
		/* 雁 x 5000 then 塔; "ab" x 3000 */
		CHECK(row.f[1].len == (r == 3 ? 5001 * 3 : 6000), "row %ld: %zu bytes",
		    r, row.f[1].len);
		snprintf(want, sizeof want, "%s", r == 3 ? "雁雁" : "abab");
		CHECK(memcmp(row.f[1].p, want, strlen(want)) == 0, "row %ld starts %.6s",
		    r, row.f[1].p);
		CHECK(r != 3 || memcmp(row.f[1].p + row.f[1].len - 6, "雁塔", 6) == 0,
		    "row 3 ends %.6s", row.f[1].p + row.f[1].len - 6);
	}
	CHECK(st == 0, "rows: %s", e.msg);
	rec_free(&row);
	b.ops->close(&b);
	if (open_xls(&b, "formulas.xls", &e) < 0)
		return;
	t_book_dump(&b, 0, got, sizeof got);
	/* rows 3 and 4, long, checked above */
	CHECK(strncmp(got, "1:日期|2025-03-01;2:时间戳|2025-03-01T08:30:00;3:长文本|雁",
	          strlen("1:日期|2025-03-01;2:时间戳|2025-03-01T08:30:00;3:长文本|雁")) == 0,
	    "%.80s", got);
	CHECK(strstr(got, "雁塔;4:拉丁|abab") != NULL, "rows 3-4");
	CHECK(strstr(got, "abab;5:空串;6:真|TRUE;7:无值|#N/A;8:小数|0.30000000000000004;"
			  "9:;10:|||42;") != NULL,
	    "rows 5-10: %s", strstr(got, "5:") ? strstr(got, "5:") : got);
	b.ops->close(&b);
}

static void
test_1904(void)
{
	struct book b;
	struct wy_err e = { 0 };
	char got[512];

	if (open_xls(&b, "date1904.xls", &e) < 0) {
		CHECK(0, "open: %s", e.msg);
		return;
	}
	t_book_dump(&b, 0, got, sizeof got);
	CHECK_STR(got, "1:日期|时间戳;2:2025-03-01|2025-03-01T08:30:00;");
	b.ops->close(&b);
}

static void
test_errors(void)
{
	static const struct {
		const char *file;
		int exit;
		const char *msg;
	} cases[] = {
		{ "password.xls", WY_EXIT_DATA,
		    "password.xls: the workbook is password-protected" },
		{ "truncated.xls", WY_EXIT_DATA,
		    "truncated.xls: truncated or corrupt OLE2 file (FreeXL error -8)" },
		{ "text.xls", WY_EXIT_DATA,
		    "text.xls: not an .xls file (no OLE2 signature)" },
		{ "missing.xls", WY_EXIT_IO,
		    "missing.xls: cannot open: No such file or directory" },
	};
	struct book b;
	struct wy_err e;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		memset(&e, 0, sizeof e);
		CHECK(open_xls(&b, cases[i].file, &e) == -1, "%s opens", cases[i].file);
		CHECK(e.exit == cases[i].exit, "%s: exit %d", cases[i].file, e.exit);
		CHECK_STR(e.msg, cases[i].msg);
		CHECK(b.sheets == NULL && b.impl == NULL, "%s: left allocated",
		    cases[i].file);
	}
}

/*
 * Files on which FreeXL 1.0.6 reads past a stack buffer (found by
 * fuzz/xls.c) or frees a bad pointer: FreeXL runs in a child process, so
 * they end as an error (the bad free kills the child: "corrupt .xls
 * file: FreeXL crashed on it") or, for the over-read, possibly as rows;
 * never as our crash.
 */
static void
test_freexl_crashes(void)
{
	static const char *const files[] = { "freexl-overread.xls",
		"freexl-badfree.xls" };
	struct book b;
	struct wy_err e;
	char got[4096];

	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		memset(&e, 0, sizeof e);
		if (open_xls(&b, files[i], &e) < 0) {
			CHECK(e.exit == WY_EXIT_DATA, "%s: exit %d: %s", files[i], e.exit,
			    e.msg);
			CHECK(strncmp(e.msg, files[i], strlen(files[i])) == 0, "%s: %s",
			    files[i], e.msg);
			continue;
		}
		for (size_t s = 0; s < b.nsheets; s++)
			t_book_dump(&b, s, got, sizeof got);
		CHECK(1, "read %s", files[i]);
		b.ops->close(&b);
	}
}

int
main(void)
{
	test_libreoffice();
	test_order();
	test_gnumeric();
	test_formulas();
	test_1904();
	test_errors();
	test_freexl_crashes();
	return t_done("xls");
}
