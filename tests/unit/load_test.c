/*
 * coltype, load, wrcsv, wrjson, wrsql: column types and their guesses,
 * the checks of a row, the CSV/JSON/SQL writers; and the escapes of the
 * interchange format read back by the rules that PostgreSQL's COPY,
 * MySQL's LOAD DATA and ClickHouse's TabSeparated document.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load.h"
#include "t.h"
#include "wrcsv.h"
#include "wrjson.h"
#include "wrsql.h"

static void
test_check(void)
{
	static const struct {
		enum coltype t;
		const char *in;
		int ok;
		long long iv;
		const char *why;
	} cases[] = {
		{ COLTYPE_INT64, "12", 1, 12, "" },
		{ COLTYPE_INT64, "-007", 1, -7, "" },
		{ COLTYPE_INT64, "+5", 1, 5, "" },
		{ COLTYPE_INT64, "9223372036854775807", 1, INT64_MAX, "" },
		{ COLTYPE_INT64, "-9223372036854775808", 1, INT64_MIN, "" },
		{ COLTYPE_INT64, "9223372036854775808", 0, 0, "is beyond int64" },
		{ COLTYPE_INT64, "99999999999999999999999", 0, 0, "is beyond int64" },
		{ COLTYPE_INT64, "9999999999999999999", 0, 0, "is beyond int64" },
		{ COLTYPE_INT64, "18446744073709551617", 0, 0, "is beyond int64" },
		{ COLTYPE_INT64, "00000000000000000000012", 1, 12, "" },
		{ COLTYPE_INT64, "1.5", 0, 0, "is not an integer" },
		{ COLTYPE_INT64, "1e5", 0, 0, "is not an integer" },
		{ COLTYPE_INT64, "-", 0, 0, "is not an integer" },
		{ COLTYPE_INT64, " 1", 0, 0, "is not an integer" },
		{ COLTYPE_INT32, "2147483648", 0, 0, "is beyond int32" },
		{ COLTYPE_INT16, "-32768", 1, -32768, "" },
		{ COLTYPE_INT16, "32768", 0, 0, "is beyond int16" },
		{ COLTYPE_NUMBER, "12.50", 1, 0, "" },
		{ COLTYPE_NUMBER, "123456789012345678901234567890.123", 1, 0, "" },
		{ COLTYPE_NUMBER, "1.", 0, 0, "is not a number" },
		{ COLTYPE_NUMBER, ".5", 0, 0, "is not a number" },
		{ COLTYPE_NUMBER, "12万", 0, 0, "is not a number" },
		{ COLTYPE_NUMBER15, "0.000123456789012345", 1, 0, "" },
		{ COLTYPE_NUMBER15, "1234567890.1234567", 0, 0,
		    "has more than 15 digits: SQLite would round it" },
		{ COLTYPE_NUMBER15, "9223372036854775807", 1, INT64_MAX, "" },
		{ COLTYPE_NUMBER15, "9223372036854775808", 0, 0,
		    "has more than 15 digits: SQLite would round it" },
		{ COLTYPE_NUMBER15, "100.500000000000000000", 1, 0, "" },
		{ COLTYPE_BOOLEAN, "True", 1, 1, "" },
		{ COLTYPE_BOOLEAN, "0", 1, 0, "" },
		{ COLTYPE_BOOLEAN, "yes", 0, 0, "is not a boolean (true, false, 1, 0)" },
		{ COLTYPE_DATE, "2024-02-29", 1, 0, "" },
		{ COLTYPE_DATE, "2025-02-29", 0, 0, "is not a date (2025-03-01)" },
		{ COLTYPE_DATE, "2025-3-1", 0, 0, "is not a date (2025-03-01)" },
		{ COLTYPE_DATE, "0000-01-01", 0, 0, "is not a date (2025-03-01)" },
		{ COLTYPE_DATETIME, "2025-03-01T08:30:00", 1, 0, "" },
		{ COLTYPE_DATETIME, "2025-03-01 08:30:00.123456Z", 1, 0, "" },
		{ COLTYPE_DATETIME, "2025-03-01T08:30:00.1234567", 0, 0,
		    "has more than 6 digits after the second" },
		{ COLTYPE_DATETIME, "2025-03-01T24:00:00", 0, 0,
		    "is not a date and time: no such time" },
		{ COLTYPE_DATETIME, "2025-03-01T08:30:00+08:00", 0, 0,
		    "is not a date and time" },
		{ COLTYPE_DATETIME, "2025-03-01T08:30:00.", 0, 0, "is not a date and time" },
		{ COLTYPE_YEAR, "2025", 1, 2025, "" },
		{ COLTYPE_YEAR, "25", 0, 0, "is not a year (2025)" },
		{ COLTYPE_YEARMONTH, "2025-12", 1, 0, "" },
		{ COLTYPE_YEARMONTH, "2025-13", 0, 0, "is not a year and month (2025-03)" },
		{ COLTYPE_TEXT, "\\N anything", 1, 0, "" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char why[COLTYPE_WHYMAX] = "";
		int64_t iv = 0;
		int isint = 0;
		int rc = coltype_check(cases[i].t, cases[i].in, strlen(cases[i].in), &iv,
		    &isint, why);

		CHECK((rc == 0) == cases[i].ok, "check %s: rc %d", cases[i].in, rc);
		CHECK_STR(why, cases[i].why);
		if (rc == 0 && isint)
			CHECK(iv == cases[i].iv, "check %s: %lld", cases[i].in, (long long)iv);
	}
}

static void
test_classify(void)
{
	static const struct {
		const char *in;
		enum coltype_class c;
		unsigned ndig;
	} cases[] = {
		{ "0", COLTYPE_C_INT, 0 },
		{ "-0", COLTYPE_C_INT, 0 },
		{ "12", COLTYPE_C_INT, 2 },
		{ "1200", COLTYPE_C_INT, 4 },
		{ "007", COLTYPE_C_TEXT, 0 },
		{ "+7", COLTYPE_C_TEXT, 0 },
		{ "9223372036854775808", COLTYPE_C_BIGINT, 19 },
		{ "0.000120", COLTYPE_C_DECIMAL, 2 },
		{ "-100.50", COLTYPE_C_DECIMAL, 4 },
		{ "01.5", COLTYPE_C_TEXT, 0 },
		{ "1.", COLTYPE_C_TEXT, 0 },
		{ "1e5", COLTYPE_C_TEXT, 0 },
		{ "2025-03-01", COLTYPE_C_DATE, 0 },
		{ "2025-02-30", COLTYPE_C_TEXT, 0 },
		{ "", COLTYPE_C_TEXT, 0 },
		{ "雁塔区", COLTYPE_C_TEXT, 0 },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		unsigned nd = 0;
		enum coltype_class c = coltype_classify(cases[i].in, strlen(cases[i].in), &nd);

		CHECK(c == cases[i].c, "classify %s: %d, want %d", cases[i].in, c, cases[i].c);
		if (c != COLTYPE_C_TEXT && c != COLTYPE_C_DATE)
			CHECK(nd == cases[i].ndig, "classify %s: %u digits", cases[i].in, nd);
	}
}

/* The type guessed from cells separated by | ("~" is NULL). */
static enum coltype
guess(const char *cells, int double_only)
{
	struct coltype_guess g = { 0 };
	char buf[256], *save, *tok;

	snprintf(buf, sizeof buf, "%s", cells);
	for (tok = strtok_r(buf, "|", &save); tok; tok = strtok_r(NULL, "|", &save))
		coltype_see(&g, strcmp(tok, "~") ? tok : NULL, strlen(tok));
	return coltype_guessed(&g, double_only);
}

static void
test_guess(void)
{
	CHECK(guess("1|-2|~|300", 0) == COLTYPE_INT64, "ints");
	CHECK(guess("1|2.5", 0) == COLTYPE_NUMBER, "numbers");
	CHECK(guess("1|2.5", 1) == COLTYPE_NUMBER15, "numbers, SQLite");
	CHECK(guess("1|99999999999999999999", 0) == COLTYPE_NUMBER, "big, PostgreSQL");
	CHECK(guess("1|99999999999999999999", 1) == COLTYPE_TEXT, "big, SQLite");
	CHECK(guess("0.1234567890123456", 1) == COLTYPE_TEXT, "16 digits, SQLite");
	CHECK(guess("0.1234567890123456", 0) == COLTYPE_NUMBER, "16 digits");
	CHECK(guess("2025-01-01|2024-02-29", 0) == COLTYPE_DATE, "dates");
	CHECK(guess("2025-01-01|1", 0) == COLTYPE_TEXT, "date and int");
	CHECK(guess("1|007", 0) == COLTYPE_TEXT, "a code with a leading zero");
	CHECK(guess("~|~", 0) == COLTYPE_TEXT, "only NULLs");
	CHECK(guess("12|x", 0) == COLTYPE_TEXT, "text");
}

/* A spec of columns a (integer), b (text), c (number). */
static struct load_col cols[] = {
	{ "a", COLTYPE_INT64 }, { "b", COLTYPE_TEXT }, { "c", COLTYPE_NUMBER }
};

static int
cells_of(const struct load_spec *s, const char *const *f, size_t nf,
    struct load_cell *c, char *why)
{
	struct rec r = { 0 };
	struct wy_err e;
	int rc;

	for (size_t i = 0; i < nf; i++)
		rec_push(&r, f[i], f[i] ? strlen(f[i]) : 0, &e);
	r.line = 2;
	rc = load_cells(s, &r, c, why);
	rec_free(&r);
	return rc;
}

static void
test_cells(void)
{
	struct load_spec s = { .table = "t", .cols = cols, .ncols = 3, .nfields = 3 };
	struct load_cell c[3];
	char why[LOAD_WHYMAX];
	size_t key[] = { 0 };

	CHECK(cells_of(&s, (const char *[]){ "", "", "" }, 3, c, why) == 0, "%s", why);
	CHECK(c[0].p == NULL && c[1].p != NULL && c[1].len == 0 && c[2].p == NULL,
	    "empty: NULL in typed columns, '' in text");
	CHECK(cells_of(&s, (const char *[]){ "-3", NULL, "1.5" }, 3, c, why) == 0, "%s", why);
	CHECK(c[0].isint && c[0].iv == -3 && c[1].p == NULL && !c[2].isint, "values");
	CHECK(cells_of(&s, (const char *[]){ "x", "y" }, 2, c, why) < 0, "short row");
	CHECK_STR(why, "row has 2 fields, header has 3");
	CHECK(cells_of(&s, (const char *[]){ "x", "\xff", "1.2.3" }, 3, c, why) < 0, "bad");
	CHECK_STR(why, "field a: \"x\" is not an integer; field b: not UTF-8; "
	    "field c: \"1.2.3\" is not a number");
	s.mode = LOAD_UPSERT;
	s.key = key;
	s.nkey = 1;
	CHECK(cells_of(&s, (const char *[]){ "", "y", "1" }, 3, c, why) < 0, "NULL key");
	CHECK_STR(why, "field a: a key is NULL");
	s.mode = LOAD_REPLACE_WHERE;
	s.nkey = 0;
	s.wherecol = 2;
	s.whereval = "2025";
	CHECK(cells_of(&s, (const char *[]){ "1", "y", "2025.00" }, 3, c, why) == 0,
	    "2025.00 is 2025: %s", why);
	CHECK(cells_of(&s, (const char *[]){ "1", "y", "2024" }, 3, c, why) < 0, "2024");
	CHECK_STR(why, "field c: \"2024\" is not the value of --replace-where");
}

static void
test_sql_text(void)
{
	struct load_sql q = { 0 };
	struct load_spec s = { .table = "t", .cols = cols, .ncols = 3, .nfields = 3 };
	struct wy_err e;

	load_sql_add(&q, "INSERT INTO ");
	load_sql_ident(&q, "x\"; DROP TABLE t; --");
	load_sql_add(&q, " (");
	load_sql_cols(&q, &s);
	load_sql_add(&q, ")");
	CHECK_STR(load_sql_text(&q, &e),
	    "INSERT INTO \"x\"\"; DROP TABLE t; --\" (\"a\", \"b\", \"c\")");
	load_sql_free(&q);
}

/* What a writer put into a tsv_writer on a temporary file. */
struct sink {
	struct tsv_writer w;
	FILE *f;
};

static void
sink_open(struct sink *k)
{
	struct wy_err e;

	k->f = tmpfile();
	tsv_wopen(&k->w, fileno(k->f), "t", &e);
}

static void
sink_text(struct sink *k, char *out, size_t outsz)
{
	struct wy_err e;
	size_t n;

	tsv_wclose(&k->w, &e);
	rewind(k->f);
	n = fread(out, 1, outsz - 1, k->f);
	out[n] = '\0';
	fclose(k->f);
}

static const struct fld null_fld = { NULL, 0 };

static struct fld
fld(const char *s)
{
	return (struct fld){ s, strlen(s) };
}

static void
test_csv(void)
{
	static const struct {
		const char *in;
		int excel;
		const char *want;
	} cases[] = {
		{ "plain", 0, "plain" },
		{ "", 0, "\"\"" },
		{ "a,b", 0, "\"a,b\"" },
		{ "say \"hi\"", 0, "\"say \"\"hi\"\"\"" },
		{ "line\nbreak", 0, "\"line\nbreak\"" },
		{ "cr\rhere", 0, "\"cr\rhere\"" },
		{ "tab\there", 0, "tab\there" },
		{ "=1+1", 0, "=1+1" },
		{ "=1+1", 1, "'=1+1" },
		{ "=HYPERLINK(\"http://x\",\"y\")", 1,
		    "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"" },
		{ "+41 22", 1, "'+41 22" },
		{ "-12.5", 1, "-12.5" },
		{ "+12", 1, "+12" },
		{ "-", 1, "'-" },
		{ "-1+1", 1, "'-1+1" },
		{ "-12.", 1, "'-12." },
		{ "@SUM(A1)", 1, "'@SUM(A1)" },
		{ "\tx", 1, "'\tx" },
		{ "\rx", 1, "\"'\rx\"" },
		{ "a;=1+1", 1, "\"a;=1+1\"" },
		{ "a;b", 0, "a;b" },
		{ "雁塔区", 1, "雁塔区" },
	};
	char out[256];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct sink k;
		struct fld f = fld(cases[i].in);

		sink_open(&k);
		wrcsv_field(&k.w, &f, 1, cases[i].excel);
		sink_text(&k, out, sizeof out);
		CHECK_STR(out, cases[i].want);
	}
	{
		struct sink k;
		struct fld a = fld("a");

		sink_open(&k);
		wrcsv_field(&k.w, &a, 1, 0);
		wrcsv_field(&k.w, &null_fld, 0, 0);
		wrcsv_field(&k.w, &a, 0, 0);
		wrcsv_cr(&k.w);
		tsv_end(&k.w);
		sink_text(&k, out, sizeof out);
		CHECK_STR(out, "a,,a\r\n");
	}
}

static void
test_json_sql(void)
{
	static const struct {
		const char *in; /* NULL: NULL */
		const char *json, *sql;
	} cases[] = {
		{ NULL, "null", "NULL" },
		{ "12", "12", "12" },
		{ "-0.50", "-0.50", "-0.50" },
		{ "9223372036854775807", "9223372036854775807", "9223372036854775807" },
		{ "9223372036854775808", "\"9223372036854775808\"", "'9223372036854775808'" },
		{ "007", "\"007\"", "'007'" },
		{ "1e5", "\"1e5\"", "'1e5'" },
		{ "", "\"\"", "''" },
		{ "\\N", "\"\\\\N\"", "'\\N'" },
		{ "it's \"x\"", "\"it's \\\"x\\\"\"", "'it''s \"x\"'" },
		{ "a\tb\nc\rd\\e", "\"a\\tb\\nc\\rd\\\\e\"", "'a\tb\nc\rd\\e'" },
		{ "\x01\x1f\x7f\b\f", "\"\\u0001\\u001f\x7f\\b\\f\"", "'\x01\x1f\x7f\b\f'" },
		{ "\xe2\x80\xa8\xe2\x80\xa9\xe2\x80\x94", "\"\\u2028\\u2029\xe2\x80\x94\"",
		    "'\xe2\x80\xa8\xe2\x80\xa9\xe2\x80\x94'" },
		{ "雁塔区", "\"雁塔区\"", "'雁塔区'" },
	};
	char out[256];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct sink k;
		struct fld f = cases[i].in ? fld(cases[i].in) : null_fld;

		sink_open(&k);
		wrjson_value(&k.w, &f);
		sink_text(&k, out, sizeof out);
		CHECK_STR(out, cases[i].json);
		sink_open(&k);
		wrsql_value(&k.w, &f);
		sink_text(&k, out, sizeof out);
		CHECK_STR(out, cases[i].sql);
	}
	{
		struct sink k;

		sink_open(&k);
		wrsql_ident(&k.w, "x\"; DROP TABLE t; --", 20);
		sink_text(&k, out, sizeof out);
		CHECK_STR(out, "\"x\"\"; DROP TABLE t; --\"");
	}
}

/*
 * Decoders of one field, written from each system's documentation; each
 * returns the length, or -1 for NULL.
 *
 * PostgreSQL, COPY text format: \b \f \n \r \t \v, \ and 1-3 octal
 * digits, \x and 1-2 hex digits; a backslash before any other character
 * stands for that character; the field \N is NULL.
 */
static int
hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	    c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static long
decode_pg(const char *s, size_t n, char *out)
{
	size_t o = 0;

	if (n == 2 && s[0] == '\\' && s[1] == 'N')
		return -1;
	for (size_t i = 0; i < n; i++) {
		int v = 0, k;

		if (s[i] != '\\' || i + 1 == n) {
			out[o++] = s[i];
			continue;
		}
		switch (s[++i]) {
		case 'b': out[o++] = '\b'; break;
		case 'f': out[o++] = '\f'; break;
		case 'n': out[o++] = '\n'; break;
		case 'r': out[o++] = '\r'; break;
		case 't': out[o++] = '\t'; break;
		case 'v': out[o++] = '\v'; break;
		case 'x':
			for (k = 0; k < 2 && i + 1 < n && hexval(s[i + 1]) >= 0; k++)
				v = v * 16 + hexval(s[++i]);
			out[o++] = k ? v : 'x';
			break;
		default:
			if (s[i] >= '0' && s[i] <= '7') {
				v = s[i] - '0';
				for (k = 1; k < 3 && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '7'; k++)
					v = v * 8 + s[++i] - '0';
				out[o++] = v;
			} else {
				out[o++] = s[i];
			}
		}
	}
	return o;
}

/*
 * MySQL/MariaDB LOAD DATA with its defaults (FIELDS TERMINATED BY '\t'
 * ENCLOSED BY '' ESCAPED BY '\\'): \0 \b \n \r \t \Z; a backslash before
 * any other character stands for it; the field \N is NULL.
 */
static long
decode_mysql(const char *s, size_t n, char *out)
{
	size_t o = 0;

	if (n == 2 && s[0] == '\\' && s[1] == 'N')
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\' || i + 1 == n) {
			out[o++] = s[i];
			continue;
		}
		switch (s[++i]) {
		case '0': out[o++] = '\0'; break;
		case 'b': out[o++] = '\b'; break;
		case 'n': out[o++] = '\n'; break;
		case 'r': out[o++] = '\r'; break;
		case 't': out[o++] = '\t'; break;
		case 'Z': out[o++] = 26; break;
		default: out[o++] = s[i];
		}
	}
	return o;
}

/*
 * ClickHouse TabSeparated: \b \f \r \n \t \0 \' \\ as written, and on
 * reading also \a \v, \xHH, and \c for any other c as c; \N is NULL.
 */
static long
decode_clickhouse(const char *s, size_t n, char *out)
{
	size_t o = 0;

	if (n == 2 && s[0] == '\\' && s[1] == 'N')
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\' || i + 1 == n) {
			out[o++] = s[i];
			continue;
		}
		switch (s[++i]) {
		case 'a': out[o++] = '\a'; break;
		case 'b': out[o++] = '\b'; break;
		case 'f': out[o++] = '\f'; break;
		case 'n': out[o++] = '\n'; break;
		case 'r': out[o++] = '\r'; break;
		case 't': out[o++] = '\t'; break;
		case 'v': out[o++] = '\v'; break;
		case '0': out[o++] = '\0'; break;
		case 'x':
			if (i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
				out[o++] = hexval(s[i + 1]) * 16 + hexval(s[i + 2]);
				i += 2;
				break;
			}
			/* FALLTHROUGH */
		default: out[o++] = s[i];
		}
	}
	return o;
}

/* Each hostile value, written by tsv_put, reads back the same in all three. */
static void
test_escapes_agree(void)
{
	static const char *const values[] = { "plain", "", "\\N", "\\\\N", "\\.",
		"a\tb", "a\nb", "a\rb", "\r\n", "back\\slash", "\\x41", "\\101",
		"\\0", "\\t literally", "trailing\\", "雁塔区\t１２．５万", "\x01\x7f",
		"'quote'", "\"dq\"", "N", "\\" };
	static long (*const dec[])(const char *, size_t, char *) = { decode_pg,
		decode_mysql, decode_clickhouse };
	static const char *const who[] = { "PostgreSQL", "MySQL", "ClickHouse" };
	char line[256], out[256];

	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		struct sink k;
		size_t n;

		sink_open(&k);
		tsv_put(&k.w, values[i], strlen(values[i]));
		tsv_put_null(&k.w);
		tsv_end(&k.w);
		sink_text(&k, line, sizeof line);
		n = strlen(line);
		CHECK(strchr(line, '\r') == NULL && strcmp(line, "\\.\n") != 0,
		    "raw CR or end marker for \"%s\"", values[i]);
		CHECK(n >= 4 && memcmp(line + n - 4, "\t\\N\n", 4) == 0, "NULL: %s", line);
		for (int d = 0; d < 3; d++) {
			char *tab = strchr(line, '\t');
			long len = dec[d](line, tab - line, out);

			CHECK(len == (long)strlen(values[i]) &&
			    memcmp(out, values[i], len) == 0,
			    "%s reads \"%.*s\" for \"%s\"", who[d], (int)(tab - line),
			    line, values[i]);
			CHECK(dec[d](tab + 1, 2, out) == -1, "%s: \\N is NULL", who[d]);
		}
	}
}

int
main(void)
{
	test_check();
	test_classify();
	test_guess();
	test_cells();
	test_sql_text();
	test_csv();
	test_json_sql();
	test_escapes_agree();
	return t_done("load");
}
