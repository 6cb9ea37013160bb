/*
 * xmlss: Excel 2003 XML Spreadsheets, on LibreOffice's export
 * (fixtures/xmlss-unit/basic.xml, made by tests/unit/make-xls.sh) and on
 * hand-written odd and hostile files beside it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "book_t.h"

static int
open_ss(struct book *b, const char *name, int want_merges, struct wy_err *e)
{
	static struct book_opts opts = { .max_inflate = BOOK_MAX_INFLATE };

	opts.want_merges = want_merges;
	memset(b, 0, sizeof *b);
	b->name = name;
	b->format = BOOK_XMLSS;
	b->opts = &opts;
	return xmlss_open(b, t_fixture("xmlss-unit", name), e);
}

static void
test_libreoffice(void)
{
	struct book b;
	struct wy_err e = { 0 };
	char got[2048];

	CHECK(open_ss(&b, "basic.xml", 0, &e) == 0, "open: %s", e.msg);
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
	 * LibreOffice writes booleans as the numbers 1 and 0 with a TRUE()
	 * formula, formula results as numbers with 15 digits
	 * (1.00000000001837E+015), drops the TAB of A8, and writes empty
	 * styled cells and rows down to row 15: none of them is a row here.
	 */
	t_book_dump(&b, 0, got, sizeof got);
	CHECK_STR(got, "2:2025年统计;"
		       "3:地区|金额|数量|日期|时间戳|时间|布尔|错误|代码|备注;"
		       "4:北京|18374.15|42|2025-03-01|2025-03-01T08:30:00|08:30:00"
		       "|1|#DIV/0!|00123|\\N;"
		       "5:;"
		       "6:上海|1000000000000000|-3|2025-03-01T08:30:00|0.1||0;"
		       "7:合计|1000000000018370|北京市;"
		       "8:tabhere|line1\nline2;");
	t_book_dump(&b, 1, got, sizeof got);
	CHECK_STR(got, "1:2025年||地区;2:金额|数量;3:1|2|东;");
	t_book_dump(&b, 2, got, sizeof got);
	CHECK_STR(got, "");
	/* LibreOffice counts days from 1899-12-30 and has no 1900-02-29:
	 * its serial 1 is 1899-12-31, Excel's day 0, which holds a time */
	t_book_dump(&b, 3, got, sizeof got);
	CHECK_STR(got, "1:00:00:00|00:00:00;"
		       "2:1900-02-27|1900-02-27;"
		       "3:1900-03-01|1900-03-01;"
		       "4:2025-03-01T12:00:00|2025-03-01T12:00:00;");
	b.ops->close(&b);
}

static void
test_layout(void)
{
	struct book b;
	struct wy_err e = { 0 };
	char got[2048];

	CHECK(open_ss(&b, "odd-layout.xml", 1, &e) == 0, "open: %s", e.msg);
	if (b.ops == NULL)
		return;
	CHECK(b.nsheets == 4, "nsheets %zu", b.nsheets);
	if (b.nsheets == 4) {
		CHECK_STR(b.sheets[0], "甲");
		CHECK_STR(b.sheets[1], "乙");
		CHECK_STR(b.sheets[2], "no table");
		CHECK_STR(b.sheets[3], "empty table");
	}
	/* read the second sheet first: each sheet rereads the file */
	t_book_dump(&b, 1, got, sizeof got);
	CHECK_STR(got, "1:1||3;");
	CHECK(b.nmerges == 0, "乙 has %zu merges", b.nmerges);
	/*
	 * Row 3 starts the table (ss:Index), MergeAcross="1" puts 地区 in
	 * column C, the Comment's Data is not the cell's; rows 6-7 (skipped
	 * by ss:Index) and 9-10 (ss:Span) are empty rows inside; numbers as
	 * their shortest decimal, text that is not a number stays; DateTime
	 * at midnight is a date, on 1899-12-31 a time, 23:59:59.5 rounds to
	 * the next day, an impossible date stays as written; rich text is
	 * joined; blank text survives; the empty Data of row 14 and the
	 * styled cell of row 40 make no rows.
	 */
	t_book_dump(&b, 0, got, sizeof got);
	CHECK_STR(got, "3:2025年||地区||备注;"
		       "4:金额|数量;"
		       "5:18374.15||00123||#DIV/0!;"
		       "6:;7:;"
		       "8:1000000000000000|0|TRUE|FALSE|0x10|\\N;"
		       "9:;10:;"
		       "11:2025-03-01|2025-03-01T08:30:00|08:30:00|2025-01-01"
		       "|2025-02-31T00:00:00.000;"
		       "12:粗红 字|  |a<b&\nc|tab\there;");
	CHECK(b.nmerges == 2, "甲 has %zu merges", b.nmerges);
	if (b.nmerges == 2) {
		CHECK(b.merges[0].row1 == 3 && b.merges[0].row2 == 3 &&
			b.merges[0].col1 == 0 && b.merges[0].col2 == 1,
		    "merge 1: %ld-%ld %zu-%zu", b.merges[0].row1, b.merges[0].row2,
		    b.merges[0].col1, b.merges[0].col2);
		CHECK(b.merges[1].row1 == 3 && b.merges[1].row2 == 4 &&
			b.merges[1].col1 == 2 && b.merges[1].col2 == 2,
		    "merge 2: %ld-%ld %zu-%zu", b.merges[1].row1, b.merges[1].row2,
		    b.merges[1].col1, b.merges[1].col2);
	}
	t_book_dump(&b, 2, got, sizeof got);
	CHECK_STR(got, "");
	t_book_dump(&b, 3, got, sizeof got);
	CHECK_STR(got, "");
	b.ops->close(&b);
}

static void
test_encoding(void)
{
	struct book b;
	struct wy_err e = { 0 };
	char got[512];

	CHECK(open_ss(&b, "gb2312.xml", 0, &e) == 0, "open: %s", e.msg);
	if (b.ops == NULL)
		return;
	CHECK(b.nsheets == 1 && strcmp(b.sheets[0], "统计") == 0, "GB2312 name");
	t_book_dump(&b, 0, got, sizeof got);
	CHECK_STR(got, "1:地区|金额（万元）;2:北京|12.5;");
	b.ops->close(&b);
}

/* Cells and rows that go back, or far beyond Excel's limits. */
static void
test_bad_index(void)
{
	struct book b;
	struct wy_err e = { 0 };
	char got[512];

	CHECK(open_ss(&b, "odd-back.xml", 0, &e) == 0, "open: %s", e.msg);
	if (b.ops == NULL)
		return;
	t_book_dump(&b, 0, got, sizeof got);
	CHECK_STR(got, "!odd-back.xml:4: cell ss:Index=\"2\" is not after the cells "
		       "before it");
	t_book_dump(&b, 1, got, sizeof got);
	CHECK_STR(got, "5:1;!odd-back.xml:8: row ss:Index=\"5\" is not after the rows "
		       "before it");
	t_book_dump(&b, 2, got, sizeof got);
	CHECK_STR(got, "!odd-back.xml:11: ss:Index=\"99999999\" is not a row or "
		       "column number");
	b.ops->close(&b);
}

/*
 * Numbers written as producers write them read as cell_number writes
 * their double (the module takes a short cut for most).
 */
static void
test_numbers(void)
{
	static const char *const nums[] = { "0", "-0", "0.0", "-0.00", "000",
		"00123", "12.", "12.50", "18374.15", "18374.150000000001",
		"0.1", "0.30000000000000004", "-3", "1E+15", "1e-7",
		"123456789012345", "1234567890123456", "12345678901234567",
		"0.000000000000000000001", "100000000000000000000", "-45.6700",
		"999999999999999.9", ".5", "+5", "9007199254740993",
		"1.00000000001837E+015" };
	char tmpl[] = "/tmp/xmlss_test.XXXXXX", want[CELL_MAX];
	struct book_opts opts = { .max_inflate = BOOK_MAX_INFLATE };
	struct book b = { .name = "numbers", .opts = &opts };
	struct wy_err e = { 0 };
	struct rec row = { 0 };
	size_t n = sizeof nums / sizeof nums[0];
	FILE *f;
	int fd;

	if ((fd = mkstemp(tmpl)) < 0 || (f = fdopen(fd, "w")) == NULL) {
		CHECK(0, "cannot make %s", tmpl);
		return;
	}
	fprintf(f, "<Workbook xmlns=\"" "urn:schemas-microsoft-com:office:spreadsheet"
		   "\"><Worksheet Name=\"n\"><Table><Row>");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "<Cell><Data Type=\"Number\">%s</Data></Cell>", nums[i]);
	fprintf(f, "</Row></Table></Worksheet></Workbook>\n");
	fclose(f);
	CHECK(xmlss_open(&b, tmpl, &e) == 0, "open: %s", e.msg);
	if (b.ops != NULL && b.ops->sheet(&b, 0, &e) == 0 &&
	    b.ops->row(&b, &row, &e) == 1) {
		CHECK(row.nf == n, "%zu fields", row.nf);
		for (size_t i = 0; i < n && i < row.nf; i++) {
			cell_number(strtod(nums[i], NULL), want);
			CHECK(row.f[i].len == strlen(want) &&
				memcmp(row.f[i].p, want, row.f[i].len) == 0,
			    "%s: got %.*s, want %s", nums[i], (int)row.f[i].len,
			    row.f[i].p, want);
		}
	} else {
		CHECK(0, "no row: %s", e.msg);
	}
	if (b.ops != NULL)
		b.ops->close(&b);
	rec_free(&row);
	unlink(tmpl);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Every row of every sheet into out, "!message" at the first error. */
static int
read_all(const char *name, char *out, size_t cap)
{
	struct book b;
	struct wy_err e = { 0 };
	size_t len;

	if (open_ss(&b, name, 1, &e) < 0) {
		snprintf(out, cap, "!%s", e.msg);
		return e.exit;
	}
	out[0] = '\0';
	for (size_t i = 0; i < b.nsheets; i++) {
		len = strlen(out);
		t_book_dump(&b, i, out + len, cap - len);
	}
	b.ops->close(&b);
	return 0;
}

/* 80 KB of comment then the file: past what xmlss_open searches for
 * entity declarations, so that libxml2's limits and ours are tested. */
static const char *
padded(const char *name, char *tmpl)
{
	char line[4096];
	FILE *in, *out;
	int fd;

	if ((in = fopen(t_fixture("xmlss-unit", name), "r")) == NULL || (fd = mkstemp(tmpl)) < 0 ||
	    (out = fdopen(fd, "w")) == NULL)
		return NULL;
	if (fgets(line, sizeof line, in) != NULL)
		fputs(line, out); /* the XML declaration */
	fputs("<!--", out);
	for (int i = 0; i < 80 * 1024 / 57; i++)
		fputs("  a comment that hides the DOCTYPE from the first 64 KB  \n", out);
	fputs("-->\n", out);
	while (fgets(line, sizeof line, in) != NULL)
		fputs(line, out);
	fclose(in);
	fclose(out);
	return tmpl;
}

/*
 * Entity bombs end fast with an error; an external entity is an error and
 * its file never shows; an external DTD or parameter entity is not read.
 * Run before and after book_xml_harden: the module is safe on its own.
 */
static void
test_hostile(const char *when)
{
	static const struct {
		const char *file, *msg, *deep;
	} cases[] = {
		{ "hostile-bomb.xml", "entity declarations (<!ENTITY) are refused",
		    "Detected an entity reference loop" },
		{ "hostile-bomb-attr.xml",
		    "entity declarations (<!ENTITY) are refused",
		    "Detected an entity reference loop" },
		{ "hostile-xxe.xml", "entity declarations (<!ENTITY) are refused",
		    "entity &secret; is not expanded" },
		{ "hostile-pe.xml", "entity declarations (<!ENTITY) are refused",
		    NULL },
		{ "notworkbook.xml",
		    "not an Excel 2003 XML Spreadsheet: the root is <feed>", NULL },
		{ "truncated.xml", "", NULL },
	};
	char got[4096], tmpl[64];
	const char *deep;
	double t;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		t = now();
		read_all(cases[i].file, got, sizeof got);
		CHECK(now() - t < 1.0, "%s %s: %.1f s", when, cases[i].file, now() - t);
		CHECK(got[0] == '!' &&
			strncmp(got + 1, cases[i].file, strlen(cases[i].file)) == 0 &&
			strstr(got, cases[i].msg) != NULL,
		    "%s %s: got \"%.200s\"", when, cases[i].file, got);
		CHECK(strstr(got, "root:") == NULL, "%s: /etc/passwd in output", when);
		if (cases[i].deep == NULL)
			continue;
		snprintf(tmpl, sizeof tmpl, "/tmp/xmlss_test.XXXXXX");
		if ((deep = padded(cases[i].file, tmpl)) == NULL) {
			CHECK(0, "cannot pad %s", cases[i].file);
			continue;
		}
		t = now();
		read_all(deep, got, sizeof got);
		CHECK(now() - t < 1.0, "%s padded %s: %.1f s", when, cases[i].file,
		    now() - t);
		CHECK(got[0] == '!' && strstr(got, cases[i].deep) != NULL,
		    "%s padded %s: got \"%.200s\"", when, cases[i].file, got);
		CHECK(strstr(got, "root:") == NULL && strstr(got, "lollol") == NULL,
		    "%s padded %s: expanded: %.200s", when, cases[i].file, got);
		unlink(deep);
	}
	CHECK(read_all("hostile-dtd.xml", got, sizeof got) == 0, "%s dtd: %s", when,
	    got);
	CHECK_STR(got, "1:ok;");
}

int
main(void)
{
	test_libreoffice();
	test_layout();
	test_encoding();
	test_bad_index();
	test_numbers();
	test_hostile("unhardened");
	book_xml_harden();
	test_hostile("hardened");
	return t_done("xmlss");
}
