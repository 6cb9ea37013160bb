/*
 * check: the compiled program on rows (reasons, keys, --sorted, totals,
 * --fix-dates, the report), and what it is built from: keyset, infer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "infer.h"
#include "keyset.h"
#include "t.h"

/* A record from "a\tb\t\\N" (\N is NULL); the text is copied into buf. */
static struct rec
mkrec(const char *line, char *buf, long lineno)
{
	struct rec r = { 0 };
	struct wy_err e;
	char *p = strcpy(buf, line);

	for (;;) {
		char *tab = strchr(p, '\t');
		size_t len = tab ? (size_t)(tab - p) : strlen(p);

		if (len == 2 && memcmp(p, "\\N", 2) == 0)
			rec_push(&r, NULL, 0, &e);
		else
			rec_push(&r, p, len, &e);
		if (tab == NULL)
			break;
		p = tab + 1;
	}
	r.line = lineno;
	return r;
}

static int
schema_from(const char *text, struct schema *s)
{
	FILE *f = tmpfile();
	struct wy_err e;
	int rc;

	fputs(text, f);
	fflush(f);
	rewind(f);
	rc = schema_read_tsv(fileno(f), "s.tsv", s, &e);
	fclose(f);
	if (rc < 0)
		fprintf(stderr, "schema: %s\n", e.msg);
	return rc;
}

/* Run rows[] (rows[0] the header) through o; each row's result in got. */
struct run {
	struct checker *ck;
	struct rec hdr;
	char hbuf[512];
	struct wy_err e;
};

static int
start(struct run *r, const struct check_opts *o, const char *header)
{
	memset(r, 0, sizeof *r);
	if (check_new(o, &r->ck, &r->e) < 0)
		return -1;
	r->hdr = mkrec(header, r->hbuf, 1);
	return check_bind(r->ck, &r->hdr, "t.tsv", &r->e);
}

static void
stop(struct run *r)
{
	check_free(r->ck);
	rec_free(&r->hdr);
}

/* One row: the result, and its reasons in why. */
static int
one(struct run *r, const char *line, long lineno, char *why, size_t whysz)
{
	char buf[1024];
	struct rec row = mkrec(line, buf, lineno);
	int st = check_row(r->ck, &row, "t.tsv", lineno, &r->e);

	snprintf(why, whysz, "%s", st == CHECK_BAD ? check_why(r->ck) :
	    st < 0 ? r->e.msg : "");
	rec_free(&row);
	return st;
}

static void
test_fields(void)
{
	static const struct {
		const char *row, *why;
	} cases[] = {
		{ "1\t雁塔区\t610113\t2025-03-01\t13200\t3560.40", "" },
		{ "2\t碑林区\t610103\t2025年3月1日\t—\t0", "" },
		{ "3\t\t610104\t2025-02-29\t3.5\t1296.10",
		  "field 地区: \"\" is required; field 日期: \"2025-02-29\" is not a date: "
		  "2025-02 has only 28 days; field 人数: \"3.5\" is not an integer" },
		{ "4\t长安\t61O116\t2023-12-31\t-5\t100000.01",
		  "field 地区: \"长安\" is not one of 雁塔区|碑林区|莲湖区; field 代码: \"61O116\" does not "
		  "match the pattern [0-9]{6}; field 日期: \"2023-12-31\" is below the minimum "
		  "2024-01-01; field 人数: \"-5\" is below the minimum 0; field 金额: "
		  "\"100000.01\" is above the maximum 100000" },
		{ "\\N\t莲湖区\t61011\t2025-03-01\t1\t1", "field 编号: NULL is required; field "
		  "代码: \"61011\" is shorter than 6 characters; field 代码: \"61011\" does not "
		  "match the pattern [0-9]{6}" },
		{ "5\t莲湖区", "row has 2 fields, header has 6" },
		{ "1\t莲湖区\t610104\t2025-03-01\t1\t1", "field 编号: \"1\" is not unique (first at line 2)" },
		{ "01\t莲湖区\t610104\t2025-03-01\t1\t1", "field 编号: \"01\" is not unique (first at line 2)" },
		{ "6\t莲湖区\t6101040123456789012345678901234567890123456789012345678901234567890\t2025-03-01\t1\t1",
		  "field 代码: \"610104012345678901234567890123456789012345678901234567890123…\" is longer "
		  "than 6 characters; field 代码: \"610104012345678901234567890123456789012345678901234567890123…\" "
		  "does not match the pattern [0-9]{6}" },
	};
	struct schema s;
	struct check_opts o = { 0 };
	struct run r;
	char why[2048];

	if (schema_from("field\ttype\trequired\tunique\tminimum\tmaximum\tminLength\tmaxLength\tpattern\tenum\tmissing\n"
	    "编号\tinteger\ttrue\ttrue\t1\t\t\t\t\t\t\n"
	    "地区\tstring\ttrue\t\t\t\t\t\t\t雁塔区|碑林区|莲湖区\t\n"
	    "代码\tstring\ttrue\t\t\t\t6\t6\t[0-9]{6}\t\t\n"
	    "日期\tdate\ttrue\t\t2024-01-01\t\t\t\t\t\t\n"
	    "人数\tinteger\t\t\t0\t\t\t\t\t\t—\n"
	    "金额\tnumber\t\t\t0\t100000\t\t\t\t\t\n", &s) < 0)
		return;
	o.schema = &s;
	if (start(&r, &o, "编号\t地区\t代码\t日期\t人数\t金额") < 0) {
		CHECK(0, "%s", r.e.msg);
		return;
	}
	CHECK(check_warning(r.ck) == NULL, "no warning");
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int st = one(&r, cases[i].row, (long)i + 2, why, sizeof why);

		CHECK(st == (cases[i].why[0] ? CHECK_BAD : CHECK_GOOD), "row %zu: %d", i, st);
		CHECK_STR(why, cases[i].why);
	}
	stop(&r);
	schema_free(&s);
}

static void
test_header(void)
{
	struct schema s;
	struct check_opts o = { 0 };
	struct run r;
	const char *rules[] = { "人数 > 0" };

	if (schema_from("field\ttype\n地区\tstring\n人数\tinteger\n金额\tnumber\n", &s) < 0)
		return;
	o.schema = &s;
	CHECK(start(&r, &o, "地区\t备注") < 0 && r.e.exit == WY_EXIT_DATA, "missing fields");
	CHECK_STR(r.e.msg, "t.tsv:1: the header lacks fields of the schema: 人数, 金额");
	stop(&r);
	CHECK(start(&r, &o, "地区\t人数\t地区\t金额") < 0 && r.e.exit == WY_EXIT_DATA, "twice");
	CHECK_STR(r.e.msg, "t.tsv:1: the header has 地区 twice");
	stop(&r);
	CHECK(start(&r, &o, "地区\t人数\t金额\t备注\t说明") == 0, "extra columns");
	CHECK(check_warning(r.ck) != NULL &&
	    strcmp(check_warning(r.ck), "t.tsv:1: columns not in the schema: 备注, 说明") == 0,
	    "warning %s", check_warning(r.ck));
	stop(&r);
	o.strict_header = 1;
	CHECK(start(&r, &o, "地区\t人数\t金额\t备注") < 0 && r.e.exit == WY_EXIT_DATA, "strict");
	CHECK_STR(r.e.msg, "t.tsv:1: a column not in the schema (--strict-header): 备注");
	stop(&r);
	o.strict_header = 0;
	o.rules = rules;
	o.nrules = 1;
	o.schema = NULL;
	CHECK(start(&r, &o, "地区\t金额") < 0 && r.e.exit == WY_EXIT_USAGE, "rule field");
	CHECK_STR(r.e.msg, "--rule \"人数 > 0\": no field 人数 in the header");
	stop(&r);
	rules[0] = "地区 > 0";
	o.schema = &s;
	CHECK(start(&r, &o, "地区\t人数\t金额") < 0 && r.e.exit == WY_EXIT_USAGE, "rule type");
	CHECK_STR(r.e.msg, "--rule \"地区 > 0\": field 地区 is a string, not a number");
	stop(&r);
	rules[0] = "地区 > ";
	CHECK(check_new(&o, &r.ck, &r.e) < 0 && r.e.exit == WY_EXIT_USAGE, "rule syntax");
	CHECK_STR(r.e.msg, "--rule \"地区 > \": column 6: expected a field name or a number, found the end");
	check_free(r.ck);
	schema_free(&s);
}

static void
test_rules(void)
{
	const char *rules[] = { "城市 + 农村 == 合计", "集中 <= 特困" };
	struct check_opts o = { .rules = rules, .nrules = 2 };
	struct run r;
	char why[1024];

	if (start(&r, &o, "地区\t城市\t农村\t合计\t集中\t特困") < 0) {
		CHECK(0, "%s", r.e.msg);
		return;
	}
	CHECK(one(&r, "雁塔区\t13200\t2100\t15300\t320\t410", 2, why, sizeof why) == CHECK_GOOD, "good");
	CHECK(one(&r, "碑林区\t8126.5\t0.5\t8127\t\\N\t150", 3, why, sizeof why) == CHECK_GOOD, "NULL");
	CHECK(one(&r, "莲湖区\t7000\t500\t7600\t500\t380", 4, why, sizeof why) == CHECK_BAD, "bad");
	CHECK_STR(why, "rule 城市 + 农村 == 合计: false for 城市 = 7000, 农村 = 500, 合计 = 7600; "
	    "rule 集中 <= 特困: false for 集中 = 500, 特困 = 380");
	CHECK(one(&r, "长安区\t七千\t500\t7500\t\t1", 5, why, sizeof why) == CHECK_BAD, "not a number");
	CHECK_STR(why, "field 城市: \"七千\" is not a number");
	stop(&r);
}

static void
test_keys(void)
{
	struct check_opts o = { .key = "地区,年份" };
	struct run r;
	char why[1024];

	if (start(&r, &o, "地区\t年份\t金额") < 0) {
		CHECK(0, "%s", r.e.msg);
		return;
	}
	CHECK(one(&r, "雁塔区\t2023\t1", 2, why, sizeof why) == CHECK_GOOD, "first");
	CHECK(one(&r, "雁塔区\t2024\t1", 3, why, sizeof why) == CHECK_GOOD, "second");
	CHECK(one(&r, "雁塔区\t2023\t2", 4, why, sizeof why) == CHECK_BAD, "repeat");
	CHECK_STR(why, "key 地区,年份: \"雁塔区\", \"2023\" is not unique (first at line 2)");
	CHECK(one(&r, "\t2023\t2", 5, why, sizeof why) == CHECK_BAD, "empty key part");
	CHECK_STR(why, "field 地区: \"\" is required");
	stop(&r);

	o.sorted = 1;
	if (start(&r, &o, "地区\t年份\t金额") < 0) {
		CHECK(0, "%s", r.e.msg);
		return;
	}
	CHECK(one(&r, "碑林区\t2023\t1", 2, why, sizeof why) == CHECK_GOOD, "s1");
	CHECK(one(&r, "碑林区\t2023\t1", 3, why, sizeof why) == CHECK_BAD, "s2");
	CHECK(one(&r, "碑林区\t2023\t1", 4, why, sizeof why) == CHECK_BAD, "s3");
	CHECK_STR(why, "key 地区,年份: \"碑林区\", \"2023\" is not unique (first at line 2)");
	CHECK(one(&r, "碑林区\t2024\t1", 5, why, sizeof why) == CHECK_GOOD, "s4");
	CHECK(one(&r, "碑林区\t2023\t1", 6, why, sizeof why) == -1 && r.e.exit == WY_EXIT_DATA,
	    "disorder");
	CHECK_STR(why, "t.tsv:6: --sorted, but the key 地区,年份, \"碑林区\", \"2023\", comes "
	    "after a greater one (line 5): sort the input, or leave --sorted out");
	stop(&r);
}

static void
test_totals(void)
{
	struct check_opts o = { .total = "地区=合计|总计", .sum = "金额,人数", .by = "年份" };
	struct run r;
	char why[1024];
	const struct total_held *h;
	static const char *const rows[] = {
		"2023\t合计\t7041.25\t26799", "2023\t雁塔区\t3560.40\t13200",
		"2023\t碑林区\t2184.75\t8126", "2023\t莲湖区\t1296.09\t5473",
		"2024\t雁塔区\t3611.20\t\\N", "2024\t总计\t3611.2\t\\N", "2024\t合计\t1\t1",
		"2025\t合计\t0\t0", "2026\t合计\tabc\t1",
	};
	static const int want[] = { CHECK_HELD, CHECK_GOOD, CHECK_GOOD, CHECK_GOOD,
		CHECK_GOOD, CHECK_HELD, CHECK_BAD, CHECK_HELD, CHECK_BAD };

	if (start(&r, &o, "年份\t地区\t金额\t人数") < 0) {
		CHECK(0, "%s", r.e.msg);
		return;
	}
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
		CHECK(one(&r, rows[i], (long)i + 2, why, sizeof why) == want[i], "row %zu", i);
	CHECK(check_finish(r.ck, &r.e) == 0 && check_nheld(r.ck) == 3, "held");
	h = check_held(r.ck, 0);
	CHECK(h->line == 2 && h->why != NULL && strcmp(h->why, "total 金额: 合计 row says "
	    "7041.25, detail rows sum to 7041.24 (difference 0.01)") == 0, "mismatch: %s",
	    h->why ? h->why : "(null)");
	h = check_held(r.ck, 1);
	CHECK(h->line == 7 && h->why == NULL, "2024 right (NULLs claim nothing)");
	h = check_held(r.ck, 2);
	CHECK(h->line == 9 && h->why == NULL, "2025: no detail rows, sums are 0");
	stop(&r);
}

static void
test_fix_and_report(void)
{
	struct schema s;
	struct check_opts o = { .fix_dates = 1 };
	struct run r;
	struct tsv_writer w;
	struct wy_err e;
	char why[256], out[1024];
	FILE *f = tmpfile();
	char buf[512];
	struct rec row;
	size_t n;

	if (schema_from("field\ttype\tminimum\n日期\tdate\t2024-01-01\n月\tyearmonth\t\n", &s) < 0)
		return;
	o.schema = &s;
	if (start(&r, &o, "日期\t月\t备注") < 0) {
		CHECK(0, "%s", r.e.msg);
		return;
	}
	tsv_wopen(&w, fileno(f), "out", &e);
	row = mkrec("2025年3月1日\t2025.3\t2025年3月1日", buf, 2);
	CHECK(check_row(r.ck, &row, "t.tsv", 2, &e) == CHECK_GOOD, "good");
	check_put(r.ck, &w, &row);
	tsv_end(&w);
	rec_free(&row);
	CHECK(one(&r, "2023-1-1\t2025-03\tx", 3, why, sizeof why) == CHECK_BAD, "bad");
	check_report(r.ck, &w);
	tsv_wclose(&w, &e);
	rewind(f);
	n = fread(out, 1, sizeof out - 1, f);
	out[n] = '\0';
	CHECK_STR(out, "2025-03-01\t2025-03\t2025年3月1日\n"
	    "check\tfield\tfailures\tfirst_line\texample\n"
	    "width\t*\t0\t\\N\t\\N\n"
	    "type\t日期\t0\t\\N\t\\N\n"
	    "minimum\t日期\t1\t3\t2023-1-1\n"
	    "type\t月\t0\t\\N\t\\N\n");
	fclose(f);
	stop(&r);
	schema_free(&s);
}

static void
test_keyset(void)
{
	struct keyset ks = { 0 };
	struct wy_err e;
	char key[32];
	long old;
	int ok = 1;

	for (long i = 0; i < 100000; i++) {
		snprintf(key, sizeof key, "k%ld", i);
		ok &= keyset_put(&ks, key, strlen(key), i, &old, &e) == 1;
	}
	CHECK(ok && keyset_count(&ks) == 100000, "100000 new keys");
	for (long i = 0; i < 100000; i += 997) {
		snprintf(key, sizeof key, "k%ld", i);
		ok &= keyset_put(&ks, key, strlen(key), -1, &old, &e) == 0 && old == i;
	}
	CHECK(ok, "repeats keep their first tag");
	CHECK(keyset_put(&ks, "", 0, 7, &old, &e) == 1 &&
	    keyset_put(&ks, "", 0, 8, &old, &e) == 0 && old == 7, "empty key");
	keyset_free(&ks);
}

static void
test_infer(void)
{
	static const char *const rows[] = {
		"1\t雁塔区\t2025-03-01\t13200\t3560.40\ttrue\t010101",
		"2\t碑林区\t2025年3月2日\t—\t2184.75\tfalse\t010102",
		"3\t雁塔区\t2025-03-03\t5473\t-1\tTRUE\t010103",
		"4\t碑林区\t2025-03-04\t20600\t4620\tFalse\t010104",
	};
	struct infer *in;
	struct tsv_writer w;
	struct wy_err e;
	char hbuf[256], buf[256], out[2048];
	struct rec hdr = mkrec("编号\t地区\t日期\t人数\t金额\t有效\t代码", hbuf, 1), row;
	FILE *f = tmpfile();
	size_t n;

	CHECK(infer_new(&hdr, &in, &e) == 0, "new");
	for (size_t i = 0; i < 4; i++) {
		row = mkrec(rows[i], buf, (long)i + 2);
		infer_row(in, &row, &e);
		rec_free(&row);
	}
	tsv_wopen(&w, fileno(f), "out", &e);
	infer_write(in, &w);
	tsv_wclose(&w, &e);
	rewind(f);
	n = fread(out, 1, sizeof out - 1, f);
	out[n] = '\0';
	CHECK_STR(out, "field\ttype\trequired\tunique\tminimum\tmaximum\tminLength\tmaxLength\tpattern\tenum\tmissing\n"
	    "编号\tinteger\ttrue\t\t1\t4\t\t\t\t\t\n"
	    "地区\tstring\ttrue\t\t\t\t3\t3\t\t雁塔区|碑林区\t\n"
	    "日期\tdate\ttrue\t\t2025-03-01\t2025-03-04\t\t\t\t\t\n"
	    "人数\tinteger\tfalse\t\t5473\t20600\t\t\t\t\t—\n"
	    "金额\tnumber\ttrue\t\t-1\t4620\t\t\t\t\t\n"
	    "有效\tboolean\ttrue\t\t\t\t\t\t\t\t\n"
	    "代码\tstring\ttrue\t\t\t\t6\t6\t\t\t\n");
	fclose(f);
	infer_free(in);
	rec_free(&hdr);
}

int
main(void)
{
	test_fields();
	test_header();
	test_rules();
	test_keys();
	test_totals();
	test_fix_and_report();
	test_keyset();
	test_infer();
	return t_done("check");
}
