/*
 * xlsx and zip: workbooks as rows (fixtures/xlsx-unit, made by
 * tests/unit/make-xlsx.py): sheets, shared and inline strings, numbers,
 * dates, sparse cells, merges, namespaces, and hostile zips and XML.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "book.h"
#include "t.h"
#include "zippart.h"

struct got {
	char text[32768]; /* "row:a|b;" per row */
	char sheets[256];  /* "name,name," */
	char merges[256];  /* "r1-r2:c1-c2," */
	int rc;		   /* -1 if open, sheet or a row failed */
	int stage;	   /* where: 1 open, 2 sheet, 3 row */
	struct wy_err e;
};

static void
add(char *buf, size_t cap, const char *s, size_t n)
{
	size_t len = strlen(buf);

	if (len + n + 1 < cap) {
		memcpy(buf + len, s, n);
		buf[len + n] = '\0';
	}
}

/* Shared strings held in memory before they spill to a file (0: default). */
static size_t sst_memmax;

/* Read sheet i of a fixture; rows as "N:a|b;". */
static void
readbook(const char *name, size_t sheet, unsigned long long max_inflate,
    int merges, struct got *g)
{
	struct book_opts o = { 0 };
	struct book b = { 0 };
	struct rec r = { 0 };
	char num[64];
	int rc, badline = 0, nullfield = 0;

	memset(g, 0, sizeof *g);
	o.max_inflate = max_inflate ? max_inflate : BOOK_MAX_INFLATE;
	o.want_merges = merges;
	o.sst_memmax = sst_memmax;
	b.name = name;
	b.opts = &o;
	g->rc = -1;
	g->stage = 1;
	if (xlsx_open(&b, t_fixture("xlsx-unit", name), &g->e) < 0)
		return;
	for (size_t i = 0; i < b.nsheets; i++) {
		add(g->sheets, sizeof g->sheets, b.sheets[i], strlen(b.sheets[i]));
		add(g->sheets, sizeof g->sheets, ",", 1);
	}
	g->stage = 2;
	if (b.ops->sheet(&b, sheet, &g->e) < 0)
		goto done;
	for (size_t i = 0; i < b.nmerges; i++) {
		const struct book_merge *m = &b.merges[i];

		snprintf(num, sizeof num, "%ld-%ld:%zu-%zu,", m->row1, m->row2,
		    m->col1, m->col2);
		add(g->merges, sizeof g->merges, num, strlen(num));
	}
	g->stage = 3;
	while ((rc = b.ops->row(&b, &r, &g->e)) > 0) {
		snprintf(num, sizeof num, "%ld:", b.row);
		badline += r.line != b.row;
		add(g->text, sizeof g->text, num, strlen(num));
		for (size_t i = 0; i < r.nf; i++) {
			nullfield += r.f[i].p == NULL;
			if (i > 0)
				add(g->text, sizeof g->text, "|", 1);
			add(g->text, sizeof g->text, r.f[i].p, r.f[i].len);
		}
		add(g->text, sizeof g->text, ";", 1);
	}
	CHECK(badline == 0, "%s: row->line is not b->row", name);
	CHECK(nullfield == 0, "%s: NULL field", name);
	if (rc == 0) {
		g->rc = 0;
		g->stage = 0;
	}
done:
	b.ops->close(&b);
	rec_free(&r);
}

static void
test_openpyxl(void)
{
	struct got g;

	readbook("openpyxl.xlsx", 0, 0, 0, &g);
	CHECK(g.rc == 0, "openpyxl.xlsx: %s", g.e.msg);
	CHECK_STR(g.sheets, "数据,Second,");
	/* the styled empty H20 makes no row; #,##0.00 is not shown */
	CHECK_STR(g.text, "1:地区|金额|日期|代码|真;"
			  "2:北京|18374.15|2025-03-01|00123|TRUE;"
			  "3:上海|-3|2025-03-01T08:30:00|\\N|FALSE;"
			  "4:;"
			  "5:广州|1000000000000000|2025-03-01|||08:30:00;");
	/* rows from the first that holds a value */
	readbook("openpyxl.xlsx", 1, 0, 0, &g);
	CHECK_STR(g.text, "2:|0.1;");

	readbook("date1904.xlsx", 0, 0, 0, &g);
	CHECK_STR(g.text, "1:日期|时间戳;2:2025-03-01|2025-03-01T08:30:00;");
}

static void
test_merges(void)
{
	struct got g;

	readbook("merges.xlsx", 0, 0, 1, &g);
	CHECK(g.rc == 0, "merges.xlsx: %s", g.e.msg);
	CHECK_STR(g.merges, "1-2:0-0,1-1:1-2,1-1:3-4,");
	CHECK_STR(g.text, "1:地区|2025年||2024年;"
			  "2:|金额（万元）|增长|金额（万元）|增长;"
			  "3:东|1|2|3|4;");
	/* merges only when asked */
	readbook("merges.xlsx", 0, 0, 0, &g);
	CHECK_STR(g.merges, "");
}

static void
test_handmade(void)
{
	struct got g;

	/* prefixed names, an absolute target, sheets not in part order */
	readbook("handmade.xlsx", 0, 0, 1, &g);
	CHECK(g.rc == 0, "handmade.xlsx: %s", g.e.msg);
	CHECK_STR(g.sheets, "数据,B,");
	CHECK_STR(g.merges, "2-2:0-6,");
	CHECK_STR(g.text,
	    "2:2025年统计;"
	    "3:地区|金额;"
	    /* rich runs joined and rPh dropped; 18374.150000000001; custom
	     * 年月日 and built-in 22 formats; t="d"; a shared "00123" */
	    "4:北京|18374.15|2025-03-01|2025-03-01T08:30:00|2025-03-01|00123|1234.5;"
	    "5:;"
	    /* C6 missing, cells without r after D6, an error, a formula's
	     * string with _x0009_ */
	    "6:|1000000000000000||#DIV/0!|TRUE|a\tb||2025-03-01T08:30:00;"
	    "7:-0.5|0.1|上海 ;"
	    /* a styled-only row inside the table is an empty row */
	    "8:;"
	    /* \N is text; _x005F_ is a literal underscore, a surrogate pair
	     * one character; the styled AZ9 and the rows after count not */
	    "9:\\N|a_x0041_b\rc\xf0\x9f\x98\x80;");

	readbook("handmade.xlsx", 1, 0, 0, &g);
	CHECK(g.rc == 0, "handmade.xlsx B: %s", g.e.msg);
	CHECK_STR(g.text, "1:1|2;2:x;");

	readbook("strict.xlsx", 0, 0, 0, &g);
	CHECK(g.rc == 0, "strict.xlsx: %s", g.e.msg);
	CHECK_STR(g.sheets, "Strict,");
	/* 1904 date system: serial 44255 is 2025-03-01 */
	CHECK_STR(g.text, "1:日期|时间;2:2025-03-01|2025-03-01T08:30:00;");

	readbook("sparse.xlsx", 0, 0, 0, &g);
	CHECK(g.rc == 0, "sparse.xlsx: %s", g.e.msg);
	/* XFD is field 16384 */
	CHECK(strncmp(g.text, "1:1||3;2:||", 11) == 0 && strlen(g.text) == 9 + 16383 + 2 &&
		strcmp(g.text + strlen(g.text) - 3, "|z;") == 0,
	    "sparse: %.40s (%zu)", g.text, strlen(g.text));
	readbook("dupcell.xlsx", 0, 0, 0, &g);
	CHECK(g.rc < 0 && strstr(g.e.msg, "sheet1.xml:2: two cells at \"B1\"") != NULL,
	    "dupcell: %s", g.e.msg);

	readbook("handmade.xlsx", 2, 0, 0, &g);
	CHECK(g.rc < 0 && g.stage == 2, "sheet 3 of 2 opened");
}

/* Column A's numbers must read as column B says (python's repr). */
static void
test_numbers(void)
{
	struct got g;
	int nrows = 0, nbad = 0;

	readbook("numbers.xlsx", 0, 0, 0, &g);
	CHECK(g.rc == 0, "numbers.xlsx: %s", g.e.msg);
	/* g.text is cut at 8 KiB: read the rows again, whole */
	{
		struct book_opts o = { .max_inflate = BOOK_MAX_INFLATE };
		struct book b = { 0 };
		struct rec r = { 0 };
		struct wy_err e;

		b.name = "numbers.xlsx";
		b.opts = &o;
		if (xlsx_open(&b, t_fixture("xlsx-unit", "numbers.xlsx"), &e) < 0 ||
		    b.ops->sheet(&b, 0, &e) < 0) {
			CHECK(0, "numbers.xlsx: %s", e.msg);
			return;
		}
		while (b.ops->row(&b, &r, &e) > 0) {
			nrows++;
			if (r.nf != 2 || r.f[0].len != r.f[1].len ||
			    memcmp(r.f[0].p, r.f[1].p, r.f[0].len) != 0) {
				if (nbad++ < 5)
					CHECK(0, "row %ld: %.*s, want %.*s", b.row,
					    (int)r.f[0].len, r.f[0].p,
					    r.nf > 1 ? (int)r.f[1].len : 0,
					    r.nf > 1 ? r.f[1].p : "");
			}
		}
		b.ops->close(&b);
		rec_free(&r);
	}
	CHECK(nrows == 926 && nbad == 0, "%d rows, %d wrong", nrows, nbad);
}

static void
test_hostile(void)
{
	struct got g;

	readbook("doctype.xlsx", 0, 0, 0, &g);
	CHECK(g.rc < 0 && g.e.exit == WY_EXIT_DATA &&
		strstr(g.e.msg, "sheet1.xml: DOCTYPE not allowed") != NULL,
	    "doctype: %s", g.e.msg);
	CHECK_STR(g.text, "");

	readbook("xxe.xlsx", 0, 0, 0, &g);
	CHECK(g.rc < 0 && g.stage == 2 &&
		strstr(g.e.msg, "sharedStrings.xml: DOCTYPE not allowed") != NULL,
	    "xxe: %s", g.e.msg);
	CHECK(strstr(g.text, "root") == NULL, "xxe: /etc/passwd read");

	/* the reader parses ahead: row 1 may or may not come first */
	readbook("malformed.xlsx", 0, 0, 0, &g);
	CHECK(strcmp(g.text, "") == 0 || strcmp(g.text, "1:1;") == 0, "%s", g.text);
	CHECK(g.rc < 0 && g.e.exit == WY_EXIT_DATA &&
		strstr(g.e.msg, "malformed.xlsx: xl/worksheets/sheet1.xml:4: malformed XML") != NULL,
	    "malformed: %s", g.e.msg);

	/* the bad CRC is seen at the part's end, by the rows or the merges */
	readbook("badcrc.xlsx", 0, 0, 0, &g);
	CHECK(g.rc < 0 && strstr(g.e.msg, "sheet1.xml: corrupt zip data (bad CRC)") != NULL,
	    "badcrc: %s", g.e.msg);
	readbook("badcrc.xlsx", 0, 0, 1, &g);
	CHECK(g.rc < 0 && g.stage == 2 && strstr(g.e.msg, "bad CRC") != NULL,
	    "badcrc merges: %s", g.e.msg);

	readbook("bomb.xlsx", 0, 4u << 20, 0, &g);
	CHECK(g.rc < 0 && g.e.exit == WY_EXIT_DATA &&
		strcmp(g.e.msg, "bomb.xlsx: xl/worksheets/sheet1.xml inflates "
				"past 4194304 bytes (--max-inflate)") == 0,
	    "bomb: %s", g.e.msg);
	readbook("bomb.xlsx", 0, 4u << 20, 1, &g);
	CHECK(g.rc < 0 && g.stage == 2 && strstr(g.e.msg, "inflates past") != NULL,
	    "bomb merges: %s", g.e.msg);
	/* its 1 GiB and a bit are refused under the default cap as well,
	 * before anything is inflated */
	readbook("bomb.xlsx", 0, 0, 0, &g);
	CHECK(g.rc < 0 && g.stage == 2 && strstr(g.e.msg, "inflates past 1073741824 bytes") != NULL,
	    "bomb: %s", g.e.msg);

	readbook("nowb.xlsx", 0, 0, 0, &g);
	CHECK(g.stage == 1 && g.e.exit == WY_EXIT_DATA &&
		strcmp(g.e.msg, "nowb.xlsx: no workbook in the zip (xl/workbook.xml)") == 0,
	    "nowb: %s", g.e.msg);
	readbook("truncated.xlsx", 0, 0, 0, &g);
	CHECK(g.stage == 1 && g.e.exit == WY_EXIT_DATA &&
		strstr(g.e.msg, "not a zip file, or a truncated or corrupt one") != NULL,
	    "truncated: %s", g.e.msg);
	readbook("missing.xlsx", 0, 0, 0, &g);
	CHECK(g.stage == 1 && g.e.exit == WY_EXIT_IO, "missing: %s", g.e.msg);
}

static void
test_zip(void)
{
	struct zip z;
	struct wy_err e;
	char buf[512];
	ssize_t n, total = 0;

	if (zip_open(&z, t_fixture("xlsx-unit", "handmade.xlsx"), "h", 1 << 20, &e) < 0) {
		CHECK(0, "zip_open: %s", e.msg);
		return;
	}
	/* OPC names: case-insensitive, a leading / */
	CHECK(zip_has(&z, "XL/Workbook.xml") == 1, "case");
	CHECK(zip_has(&z, "/xl/workbook.xml") == 1, "leading /");
	CHECK(zip_has(&z, "xl/nothere.xml") == 0, "missing part");
	CHECK(zip_part_open(&z, "xl/nothere.xml", &e) < 0 &&
		strcmp(e.msg, "h: no part xl/nothere.xml in the zip") == 0,
	    "%s", e.msg);
	CHECK(zip_part_open(&z, "xl/workbook.xml", &e) == 0, "%s", e.msg);
	while ((n = zip_part_read(&z, buf, sizeof buf, &e)) > 0)
		total += n;
	CHECK(n == 0 && z.eof && total > 200 && (unsigned long long)total == z.ninflated,
	    "read %zd, n %zd", total, n);
	CHECK(zip_part_read(&z, buf, sizeof buf, &e) == 0, "read after the end");
	/* a cap below the size the header gives: refused at once */
	z.limit = 100;
	CHECK(zip_part_open(&z, "xl/workbook.xml", &e) < 0 &&
		strcmp(e.msg, "h: xl/workbook.xml inflates past 100 bytes "
			      "(--max-inflate)") == 0, "%s", e.msg);
	/* the bytes inflated are counted too (as if the header had lied) */
	z.limit = 1 << 20;
	CHECK(zip_part_open(&z, "xl/workbook.xml", &e) == 0, "%s", e.msg);
	z.limit = 100;
	while ((n = zip_part_read(&z, buf, 64, &e)) > 0)
		;
	CHECK(n < 0 && z.ninflated > 100 && z.ninflated <= 164 &&
		strcmp(e.msg, "h: xl/workbook.xml inflates past 100 bytes "
			      "(--max-inflate)") == 0, "%s", e.msg);
	zip_close(&z);
	zip_close(&z);
}

/* Shared strings read back from the temporary file give the same rows. */
static void
test_spill(void)
{
	static const char *const books[] = { "openpyxl.xlsx", "handmade.xlsx",
		"sparse.xlsx", "strict.xlsx", "merges.xlsx" };
	static struct got mem, file;

	for (size_t i = 0; i < sizeof books / sizeof *books; i++) {
		for (size_t sheet = 0; sheet < 2; sheet++) {
			sst_memmax = 0;
			readbook(books[i], sheet, 0, 0, &mem);
			sst_memmax = 1; /* every string goes to the file */
			readbook(books[i], sheet, 0, 0, &file);
			sst_memmax = 0;
			CHECK(mem.rc == file.rc && strcmp(mem.text, file.text) == 0,
			    "%s sheet %zu: spilled strings differ", books[i], sheet);
		}
	}
}

int
main(void)
{
	test_openpyxl();
	test_merges();
	test_handmade();
	test_numbers();
	test_hostile();
	test_zip();
	test_spill();
	return t_done("xlsx");
}
