/*
 * biff: the overlay of formula results, booleans and error values, on the
 * committed .xls fixtures (what LibreOffice and gnumeric wrote) and on
 * workbooks written here record by record into an OLE2 file with libgsf,
 * for what the producers do not make: strings continued in CONTINUE
 * records, BIFF5, charts inside a sheet, repeated cells, damage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsf/gsf-outfile-msole.h>
#include <gsf/gsf-outfile.h>
#include <gsf/gsf-output-stdio.h>

#include "biff.h"
#include "t.h"

/* The overlay of sheet i as "ROW,COL=text;" (0-based; "b" after a BOOLERR
 * cell's place), or "!message". */
static void
dump(const char *file, size_t i, char *out, size_t cap)
{
	struct biff_overlay o;
	struct wy_err e = { 0 };
	size_t len = 0;

	out[0] = '\0';
	if (biff_read(file, i, "t.xls", &o, &e) < 0) {
		snprintf(out, cap, "!%s", e.msg);
		biff_free(&o);
		return;
	}
	for (size_t c = 0; c < o.ncells && len < cap; c++) {
		const struct biff_cell *bc = &o.cells[c];

		CHECK(biff_cell(&o, bc->row, bc->col) == bc, "lookup %u,%u", bc->row,
		    bc->col);
		len += snprintf(out + len, cap - len, "%u,%u%s=%.*s;", bc->row, bc->col,
		    bc->kind == BIFF_BOOLERR ? "b" : "", (int)bc->len,
		    o.text + bc->off);
	}
	if (o.ncells > 0) {
		CHECK(o.nrows == o.cells[o.ncells - 1].row + 1, "nrows %u", o.nrows);
		CHECK(biff_cell(&o, o.nrows, 0) == NULL, "a cell past the last");
	}
	biff_free(&o);
}

static void
test_fixtures(void)
{
	static char got[32768];

	/* LibreOffice: a number, a string formula whose cached value
	 * LibreOffice wrote as the number 0 (it took the file from .xlsx
	 * without recalculating; there is no STRING record), =1/0 */
	dump(t_fixture("", "books/types.xls"), 0, got, sizeof got);
	CHECK_STR(got, "11,1=36748.3;12,1=0;13,1=#DIV/0!;");
	/* the totals row of 2024年 */
	dump(t_fixture("", "books/regions.xls"), 0, got, sizeof got);
	CHECK_STR(got, "");
	dump(t_fixture("", "books/regions.xls"), 1, got, sizeof got);
	CHECK_STR(got, "4,2=8332.85;4,3=34160;");
	dump(t_fixture("", "books/gnumeric.xls"), 1, got, sizeof got);
	CHECK_STR(got, "4,2=8332.85;4,3=34160;");
	/* LibreOffice writes TRUE and FALSE as formulas, gnumeric as BOOLERR */
	dump(t_fixture("", "xls-unit/basic.xls"), 0, got, sizeof got);
	CHECK_STR(got, "3,6=TRUE;3,7=#DIV/0!;5,6=FALSE;6,1=1000000000018374.1;"
		       "6,2=北京市;");
	dump(t_fixture("", "xls-unit/gnumeric.xls"), 0, got, sizeof got);
	CHECK_STR(got, "3,6b=TRUE;3,7=#DIV/0!;5,6b=FALSE;6,1=1000000000018374.1;"
		       "6,2=北京市;");
	/* a 5001-character result in a STRING and a CONTINUE record */
	dump(t_fixture("", "xls-unit/formulas.xls"), 0, got, sizeof got);
	CHECK(strncmp(got, "0,1=2025-03-01;1,1=2025-03-01T08:30:00;2,1=雁雁", 49) == 0,
	    "%.60s", got);
	CHECK(strstr(got, "雁雁塔;3,1=abab") != NULL, "formulas.xls rows 3-4");
	CHECK(strstr(got, "abab;4,1=;5,1=TRUE;6,1=#N/A;7,1=0.30000000000000004;"
			  "9,3=42;") != NULL, "formulas.xls rows 5-10");
	dump(t_fixture("", "xls-unit/date1904.xls"), 0, got, sizeof got);
	CHECK_STR(got, "");
	dump(t_fixture("", "xls-unit/basic.xls"), 9, got, sizeof got);
	CHECK_STR(got, "!t.xls: no sheet 10 in the BIFF records");
	dump(t_fixture("", "xls-unit/text.xls"), 0, got, sizeof got);
	CHECK(strncmp(got, "!t.xls: corrupt OLE2 file: ", 27) == 0, "%s", got);
	dump(t_fixture("", "xls-unit/truncated.xls"), 0, got, sizeof got);
	CHECK(strncmp(got, "!t.xls: corrupt OLE2 file: ", 27) == 0, "%s", got);
	dump(t_fixture("", "xls-unit/missing.xls"), 0, got, sizeof got);
	CHECK(strncmp(got, "!t.xls: cannot open: ", 21) == 0, "%s", got);
}

/* ---- workbooks made here ---- */

struct buf {
	unsigned char p[1 << 16];
	size_t n;
};

static void
put(struct buf *b, const void *p, size_t n)
{
	if (n > 0 && b->n + n <= sizeof b->p)
		memcpy(b->p + b->n, p, n);
	b->n += n;
}

static void
put16(struct buf *b, unsigned int v)
{
	unsigned char u[2] = { v & 0xff, v >> 8 & 0xff };

	put(b, u, 2);
}

static void
put32(struct buf *b, unsigned long v)
{
	put16(b, v & 0xffff);
	put16(b, v >> 16 & 0xffff);
}

/* A record: type, length, body. */
static void
rec(struct buf *b, unsigned int type, const void *body, size_t n)
{
	put16(b, type);
	put16(b, (unsigned int)n);
	put(b, body, n);
}

static void
bof(struct buf *b, unsigned int vers, unsigned int dt)
{
	struct buf r = { .n = 0 };

	put16(&r, vers);
	put16(&r, dt);
	put32(&r, 0);
	put32(&r, 0);
	put32(&r, 0);
	rec(b, 0x0809, r.p, vers == 0x0600 ? 16 : 8);
}

/* A FORMULA record with the 8 result bytes res (a formula of 3 bytes). */
static void
formula(struct buf *b, unsigned int row, unsigned int col, unsigned int xf,
    const unsigned char res[8])
{
	struct buf r = { .n = 0 };

	put16(&r, row);
	put16(&r, col);
	put16(&r, xf);
	put(&r, res, 8);
	put16(&r, 0);
	put32(&r, 0);
	put16(&r, 3);
	put(&r, "\x1e\x01\x00", 3);
	rec(b, 0x0006, r.p, r.n);
}

static void
formula_num(struct buf *b, unsigned int row, unsigned int col, unsigned int xf,
    double v)
{
	unsigned char res[8];

	memcpy(res, &v, 8); /* little-endian, as BIFF */
	formula(b, row, col, xf, res);
}

/* A result of type t (0 string, 1 bool, 2 error, 3 empty) with value v. */
static void
formula_tag(struct buf *b, unsigned int row, unsigned int col, int t, int v)
{
	unsigned char res[8] = { (unsigned char)t, 0, (unsigned char)v, 0, 0, 0,
		0xff, 0xff };

	formula(b, row, col, 15, res);
}

static void
boolerr(struct buf *b, unsigned int row, unsigned int col, int v, int err)
{
	struct buf r = { .n = 0 };

	put16(&r, row);
	put16(&r, col);
	put16(&r, 15);
	put(&r, (unsigned char[]){ (unsigned char)v, (unsigned char)err }, 2);
	rec(b, 0x0205, r.p, r.n);
}

/* The globals: XF 0-15 general, 16 custom date (164), 17 built-in 14. */
static void
globals(struct buf *b, unsigned int vers, int date1904, unsigned int cp,
    size_t nsheets, size_t *sheetpos)
{
	struct buf r;

	bof(b, vers, 0x0005);
	r.n = 0;
	put16(&r, cp);
	rec(b, 0x0042, r.p, r.n);
	r.n = 0;
	put16(&r, (unsigned int)date1904);
	rec(b, 0x0022, r.p, r.n);
	r.n = 0;
	put16(&r, 164);
	if (vers == 0x0600) {
		put16(&r, 10);
		put(&r, "\0yyyy-mm-dd", 11);
	} else {
		put(&r, "\x0ayyyy-mm-dd", 11);
	}
	rec(b, 0x041e, r.p, r.n);
	for (unsigned int i = 0; i < 18; i++) {
		r.n = 0;
		put16(&r, 0);
		put16(&r, i == 16 ? 164 : i == 17 ? 14 : 0);
		put(&r, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", vers == 0x0600 ? 16 : 12);
		rec(b, 0x00e0, r.p, r.n);
	}
	for (size_t i = 0; i < nsheets; i++) {
		r.n = 0;
		sheetpos[i] = b->n + 4; /* the offset, filled in later */
		put32(&r, 0);
		put(&r, "\0\0\x01\0A", 5);
		rec(b, 0x0085, r.p, r.n);
	}
	rec(b, 0x000a, NULL, 0);
}

/* This sheet begins here: fill in its BOUNDSHEET's offset. */
static void
sheet_here(struct buf *b, size_t at)
{
	size_t off = b->n;

	b->p[at] = off & 0xff;
	b->p[at + 1] = off >> 8 & 0xff;
	b->p[at + 2] = off >> 16 & 0xff;
	b->p[at + 3] = off >> 24 & 0xff;
}

/* Write b as the stream named stream of an OLE2 file; its path. */
static const char *
ole2(const struct buf *b, const char *stream)
{
	static char tmp[64];
	GsfOutput *out;
	GsfOutfile *ole;
	GsfOutput *child;
	int fd;

	snprintf(tmp, sizeof tmp, "/tmp/biff_test.XXXXXX");
	if ((fd = mkstemp(tmp)) < 0)
		return "/nonexistent";
	close(fd);
	out = gsf_output_stdio_new(tmp, NULL);
	ole = gsf_outfile_msole_new(out);
	child = gsf_outfile_new_child(ole, stream, FALSE);
	gsf_output_write(child, b->n, b->p);
	gsf_output_close(child);
	g_object_unref(child);
	gsf_output_close(GSF_OUTPUT(ole));
	g_object_unref(ole);
	g_object_unref(out);
	return tmp;
}

static void
test_biff8(void)
{
	struct buf b = { .n = 0 };
	size_t pos[2];
	char got[4096];
	const char *p;

	globals(&b, 0x0600, 0, 1200, 2, pos);
	sheet_here(&b, pos[0]);
	bof(&b, 0x0600, 0x0010);
	formula_num(&b, 0, 0, 15, 0.1 + 0.2);
	formula_num(&b, 0, 1, 16, 45717.0);	 /* custom date format */
	formula_num(&b, 0, 2, 17, 45717.354166666664); /* built-in 14 */
	formula_num(&b, 0, 3, 99, 1e15);	 /* an XF that is not there */
	/* a text result, after a SHRFMLA record, compressed */
	formula_tag(&b, 1, 0, 0, 0);
	rec(&b, 0x04bc, "\0\0\0\0\0\0\0\0\0\0", 10);
	rec(&b, 0x0207, "\x03\0\0abc", 6);
	/* UTF-16, going on in CONTINUE records: compressed, then wide with a
	 * surrogate pair cut between two records */
	formula_tag(&b, 1, 1, 0, 0);
	rec(&b, 0x0207, "\x05\0\x01\xc1\x96", 5);
	rec(&b, 0x003c, "\0xy", 3);
	rec(&b, 0x003c, "\x01\x3d\xd8", 3);
	rec(&b, 0x003c, "\x01\x00\xde", 3);
	/* rich text runs and extended data before the characters */
	formula_tag(&b, 1, 2, 0, 0);
	rec(&b, 0x0207, "\x02\0\x0c\x01\0\0\0\0\0ok", 11);
	/* a string cut short by another record: what was read, and a lone
	 * high surrogate as U+FFFD */
	formula_tag(&b, 1, 3, 0, 0);
	rec(&b, 0x0207, "\x04\0\x01\x41\0\x3d\xd8", 7);
	boolerr(&b, 1, 4, 1, 0);
	formula_tag(&b, 2, 0, 1, 1);
	formula_tag(&b, 2, 1, 1, 0);
	formula_tag(&b, 2, 2, 3, 0);
	static const int codes[] = { 0x00, 0x07, 0x0f, 0x17, 0x1d, 0x24, 0x2a };
	for (int i = 0; i < 7; i++)
		formula_tag(&b, 3, (unsigned int)i, 2, codes[i]);
	boolerr(&b, 4, 0, 1, 0);
	boolerr(&b, 4, 1, 0, 0);
	boolerr(&b, 4, 2, 0x07, 1);
	/* a chart inside the sheet: its records are not the sheet's */
	bof(&b, 0x0600, 0x0020);
	formula_num(&b, 5, 0, 15, 7);
	rec(&b, 0x000a, NULL, 0);
	/* a cell given twice: the later record; a column past IV: none */
	formula_num(&b, 6, 0, 15, 1);
	formula_num(&b, 6, 0, 15, 2);
	formula_num(&b, 6, 256, 15, 3);
	/* a STRING no FORMULA asked for */
	rec(&b, 0x0207, "\x01\0\0z", 4);
	rec(&b, 0x000a, NULL, 0);
	sheet_here(&b, pos[1]);
	bof(&b, 0x0600, 0x0010);
	formula_num(&b, 9, 5, 15, -3);
	rec(&b, 0x000a, NULL, 0);

	p = ole2(&b, "Workbook");
	dump(p, 0, got, sizeof got);
	CHECK_STR(got, "0,0=0.30000000000000004;0,1=2025-03-01;"
		       "0,2=2025-03-01T08:30:00;0,3=1000000000000000;"
		       "1,0=abc;1,1=雁xy😀;1,2=ok;1,3=A\xef\xbf\xbd;1,4b=TRUE;"
		       "2,0=TRUE;2,1=FALSE;2,2=;"
		       "3,0=#NULL!;3,1=#DIV/0!;3,2=#VALUE!;3,3=#REF!;3,4=#NAME?;"
		       "3,5=#NUM!;3,6=#N/A;"
		       "4,0b=TRUE;4,1b=FALSE;4,2b=#DIV/0!;6,0=2;");
	dump(p, 1, got, sizeof got);
	CHECK_STR(got, "9,5=-3;");
	dump(p, 2, got, sizeof got);
	CHECK_STR(got, "!t.xls: no sheet 3 in the BIFF records");
	unlink(p);

	/* the 1904 date system */
	b.n = 0;
	globals(&b, 0x0600, 1, 1200, 1, pos);
	sheet_here(&b, pos[0]);
	bof(&b, 0x0600, 0x0010);
	formula_num(&b, 0, 0, 16, 44255.0);
	rec(&b, 0x000a, NULL, 0);
	p = ole2(&b, "Workbook");
	dump(p, 0, got, sizeof got);
	CHECK_STR(got, "0,0=2025-03-01;");
	unlink(p);

	/* a sheet with no EOF ends with its stream; a string left open too */
	b.n = 0;
	globals(&b, 0x0600, 0, 1200, 1, pos);
	sheet_here(&b, pos[0]);
	bof(&b, 0x0600, 0x0010);
	formula_tag(&b, 0, 0, 0, 0);
	rec(&b, 0x0207, "\x09\0\0abc", 6);
	p = ole2(&b, "Workbook");
	dump(p, 0, got, sizeof got);
	CHECK_STR(got, "0,0=abc;");
	unlink(p);
}

/* BIFF5: a "Book" stream, strings in the code page (936 here). */
static void
test_biff5(void)
{
	struct buf b = { .n = 0 };
	size_t pos[1];
	char got[1024];
	const char *p;

	globals(&b, 0x0500, 0, 936, 1, pos);
	sheet_here(&b, pos[0]);
	bof(&b, 0x0500, 0x0010);
	formula_tag(&b, 0, 0, 0, 0);
	rec(&b, 0x0207, "\x04\0\xd1\xe3\xcb\xfe", 6); /* 雁塔 in GBK */
	formula_num(&b, 0, 1, 16, 45717.0);
	rec(&b, 0x000a, NULL, 0);
	p = ole2(&b, "Book");
	dump(p, 0, got, sizeof got);
	CHECK_STR(got, "0,0=雁塔;0,1=2025-03-01;");
	unlink(p);

	b.n = 0;
	globals(&b, 0x0500, 0, 936, 1, pos);
	sheet_here(&b, pos[0]);
	bof(&b, 0x0500, 0x0010);
	formula_tag(&b, 0, 0, 0, 0);
	rec(&b, 0x0207, "\x02\0\xd1\xff", 4); /* not GBK */
	rec(&b, 0x000a, NULL, 0);
	p = ole2(&b, "Book");
	dump(p, 0, got, sizeof got);
	CHECK_STR(got, "!t.xls: text that does not decode in the workbook's code page");
	unlink(p);
}

/* Damage: every length is checked against the stream. */
static void
test_corrupt(void)
{
	struct buf b = { .n = 0 }, ok;
	size_t pos[1];
	char got[1024];
	const char *p;

	globals(&b, 0x0600, 0, 1200, 1, pos);
	sheet_here(&b, pos[0]);
	bof(&b, 0x0600, 0x0010);
	ok = b;

	/* a record longer than what is left of the stream */
	put16(&b, 0x0006);
	put16(&b, 30);
	put(&b, "\0\0\0\0", 4);
	p = ole2(&b, "Workbook");
	dump(p, 0, got, sizeof got);
	CHECK_STR(got, "!t.xls: corrupt BIFF records: a record runs past the stream");
	unlink(p);

	/* a header cut off */
	b = ok;
	put(&b, "\x06\0", 2);
	p = ole2(&b, "Workbook");
	dump(p, 0, got, sizeof got);
	CHECK_STR(got, "!t.xls: corrupt BIFF records: a record is cut off");
	unlink(p);

	/* a FORMULA too short to hold its result */
	b = ok;
	rec(&b, 0x0006, "\0\0\0\0\0\0\0\0", 8);
	p = ole2(&b, "Workbook");
	dump(p, 0, got, sizeof got);
	CHECK_STR(got, "!t.xls: corrupt BIFF records: a FORMULA record is too short");
	unlink(p);

	/* a sheet offset past the stream's end */
	b = ok;
	b.p[pos[0] + 3] = 0x7f;
	p = ole2(&b, "Workbook");
	dump(p, 0, got, sizeof got);
	CHECK_STR(got, "!t.xls: corrupt BIFF records: a sheet's offset is past the stream");
	unlink(p);

	/* a sheet offset that is not a BOF (4: inside the globals' BOF) */
	b = ok;
	memcpy(b.p + pos[0], "\x04\0\0\0", 4);
	p = ole2(&b, "Workbook");
	dump(p, 0, got, sizeof got);
	CHECK_STR(got, "!t.xls: corrupt BIFF records: no BOF record where a substream begins");
	unlink(p);

	/* no workbook stream */
	b = ok;
	p = ole2(&b, "Other");
	dump(p, 0, got, sizeof got);
	CHECK_STR(got, "!t.xls: no Excel workbook in the OLE2 file");
	unlink(p);
}

int
main(void)
{
	test_fixtures();
	test_biff8();
	test_biff5();
	test_corrupt();
	return t_done("biff");
}
