/* schema: TSV and Frictionless JSON schemas, their bounds, and their errors. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "schema.h"
#include "t.h"

static int
bytes_fd(const char *s)
{
	FILE *f = tmpfile();

	fputs(s, f);
	fflush(f);
	rewind(f);
	return dup(fileno(f));
}

/* Read text as TSV (json 0) or JSON; 0 or -1 with e. */
static int
read_schema(const char *text, int json, struct schema *s, struct wy_err *e)
{
	int fd = bytes_fd(text), rc;

	rc = json ? schema_read_json(fd, "s.json", s, e) : schema_read_tsv(fd, "s.tsv", s, e);
	close(fd);
	return rc;
}

static void
test_tsv(void)
{
	struct schema s;
	struct wy_err e;
	const struct schema_field *f;
	char buf[VALUE_STRMAX];
	if (read_schema("field\ttype\trequired\tminimum\tmaximum\tmaxLength\tpattern\tenum\tmissing\tdescription\n"
	    "编号\tinteger\ttrue\t1\t\t\t\t\t\t序号\n"
	    "\t\t\t\t\t\t\t\t\t\n"
	    "代码\t\t是\t\t\t6\t[0-9]{6}\t\t\t\n"
	    "金额\tnumber\t\t0\t12939.37\t\t\t\t—|-\t\n"
	    "日期\tdate\tno\t2025年1月1日\t2025.12.31\t\t\t\t\t\n"
	    "项目\t\\N\t\t\t\t\t\t城市低保|农村低保\t\t\n", 0, &s, &e) < 0) {
		CHECK(0, "%s", e.msg);
		return;
	}
	CHECK(s.nf == 5, "fields %zu (a blank row is skipped)", s.nf);
	CHECK(s.nmissing == 1 && s.missing[0][0] == '\0', "table missing [\"\"]");
	f = schema_find(&s, "编号", strlen("编号"));
	CHECK(f && f->type == VALUE_INTEGER && f->required && f->hasmin && f->min.i == 1 &&
	    !f->hasmax && f->line == 2, "编号");
	f = schema_find(&s, "代码", strlen("代码"));
	CHECK(f && f->type == VALUE_STRING && f->required && f->maxlen == 6 &&
	    f->minlen == -1 && f->pattern != NULL, "代码");
	CHECK(f && pattern_match(&f->pat, "6101130", 6), "a prefix of the buffer");
	CHECK(f && !pattern_match(&f->pat, "6101130", 7), "whole value");
	f = schema_find(&s, "金额", strlen("金额"));
	CHECK(f && f->type == VALUE_NUMBER && f->nmissing == 2 && strcmp(f->missing[0], "—") == 0,
	    "金额 missing");
	CHECK(f && (value_format(&f->max, buf), strcmp(buf, "12939.37") == 0), "max exact");
	f = schema_find(&s, "日期", strlen("日期"));
	CHECK(f && !f->required && (value_format(&f->min, buf), strcmp(buf, "2025-01-01") == 0),
	    "date bound in Chinese form");
	f = schema_find(&s, "项目", strlen("项目"));
	CHECK(f && f->type == VALUE_STRING && f->nenum == 2 && strcmp(f->enums[1], "农村低保") == 0,
	    "enum");
	schema_free(&s);
}

static void
test_json(void)
{
	struct schema s;
	struct wy_err e;
	const struct schema_field *f;
	char buf[VALUE_STRMAX];

	if (read_schema("{\"fields\": [\n"
	    " {\"name\": \"编号\", \"type\": \"integer\", \"title\": \"x\"},\n"
	    " {\"name\": \"金额\", \"type\": \"number\", \"constraints\": {\"minimum\": -0.5,"
	    "  \"maximum\": 12939.37, \"enum\": [1.10, 2, \"3\"]}},\n"
	    " {\"name\": \"人数\", \"type\": \"integer\", \"constraints\": {\"maximum\": 1.5E+6}},\n"
	    " {\"name\": \"大\", \"type\": \"number\", \"constraints\": {\"maximum\": 123456789012345678901234567890.123456789}},\n"
	    " {\"name\": \"备注\", \"missingValues\": [\"无\"], \"constraints\": {\"required\": \"true\"}}\n"
	    "], \"missingValues\": [\"\", \"—\", -1], \"primaryKey\": [\"编号\", \"人数\"]}\n",
	    1, &s, &e) < 0) {
		CHECK(0, "%s", e.msg);
		return;
	}
	CHECK(s.nf == 5 && s.nkey == 2 && strcmp(s.key[1], "人数") == 0, "fields, key");
	CHECK(s.nmissing == 3 && strcmp(s.missing[2], "-1") == 0, "missingValues as text");
	f = schema_find(&s, "金额", strlen("金额"));
	CHECK(f && (value_format(&f->max, buf), strcmp(buf, "12939.37") == 0), "no double: %s", buf);
	CHECK(f && strcmp(f->mintext, "-0.5") == 0, "min text");
	CHECK(f && f->nenum == 3 && strcmp(f->enums[0], "1.10") == 0, "enum numbers as written");
	f = schema_find(&s, "人数", strlen("人数"));
	CHECK(f && f->hasmax && f->max.i == 1500000, "exponent");
	f = schema_find(&s, "大", strlen("大"));
	CHECK(f && strcmp(f->maxtext, "123456789012345678901234567890.123456789") == 0, "39 digits");
	f = schema_find(&s, "备注", strlen("备注"));
	CHECK(f && f->type == VALUE_STRING && f->required && f->nmissing == 1, "备注");
	schema_free(&s);
}

static void
test_errors(void)
{
	static const struct {
		int json;
		const char *text, *msg;
	} cases[] = {
		{ 0, "field\ttype\tmaximum\n编号\tinteger\t\n地区\tstring\t\n金额\tnumber\tabc\n",
		  "s.tsv:4: column maximum: not a number: \"abc\"" },
		{ 0, "field\ttype\tmaximum\n人数\tinteger\t3.5\n",
		  "s.tsv:2: column maximum: not an integer: \"3.5\"" },
		{ 0, "field\ttype\tminimum\n日期\tdate\t2025-02-29\n",
		  "s.tsv:2: column minimum: not a date: \"2025-02-29\" (2025-02 has only 28 days)" },
		{ 0, "field\ttype\n人数\tint\n",
		  "s.tsv:2: column type: unknown type \"int\" (string, integer, number, boolean, date, datetime, year, yearmonth)" },
		{ 0, "field\tmaxlength\n地区\t10\n",
		  "s.tsv:1: unknown column \"maxlength\" (field, type, required, unique, minimum, maximum, minLength, maxLength, pattern, enum, missing)" },
		{ 0, "type\nstring\n", "s.tsv:1: no column field" },
		{ 0, "field\tfield\n", "s.tsv:1: column field twice" },
		{ 0, "field\n", "s.tsv: no fields" },
		{ 0, "", "s.tsv: no fields" },
		{ 0, "field\ttype\n\tstring\n", "s.tsv:2: column field: empty" },
		{ 0, "field\n地区\n人数\n地区\n", "s.tsv:4: column field: 地区 again (first on line 2)" },
		{ 0, "field\ttype\n地区\tstring\tx\n", "s.tsv:2: row has 3 fields, header has 2" },
		{ 0, "type\tfield\nstring\n", "s.tsv:2: column field: empty" },
		{ 0, "field\trequired\n地区\tmaybe\n", "s.tsv:2: column required: not true or false: \"maybe\"" },
		{ 0, "field\tminLength\n地区\t-1\n", "s.tsv:2: column minLength: not a count: \"-1\"" },
		{ 0, "field\tminLength\tmaxLength\n地区\t5\t2\n", "s.tsv:2: column maxLength: 2 is less than minLength 5" },
		{ 0, "field\ttype\tminimum\tmaximum\n人数\tinteger\t100\t10\n",
		  "s.tsv:2: column maximum: \"10\" is less than the minimum \"100\"" },
		{ 0, "field\ttype\tminimum\n地区\tstring\ta\n", "s.tsv:2: column minimum: a string field has no minimum" },
		{ 0, "field\ttype\tmaximum\n有\tboolean\ttrue\n", "s.tsv:2: column maximum: a boolean field has no maximum" },
		{ 0, "field\tpattern\n代码\t[0-9]{6\n", "s.tsv:2: column pattern: bad regular expression: Unmatched \\{" },
		{ 0, "field\tpattern\n代码\ta)(b\n", "s.tsv:2: column pattern: a ) without its (" },
		{ 0, "field\tpattern\n代码\t(a\n", "s.tsv:2: column pattern: bad regular expression: Unmatched ( or \\(" },
		{ 0, "field\tpattern\n代码\t(:a{1,100}){1,100}){1,100}\n", "s.tsv:2: column pattern: a ) without its (" },
		{ 0, "field\tpattern\n代码\tx{1,1001}\n", "s.tsv:2: column pattern: a count of repetitions above 1000" },
		{ 0, "field\tpattern\n代码\t(a)\\\\1\n", "s.tsv:2: column pattern: back-references (\\1) are not supported" },
		{ 0, "field\tpattern\n代码\t(a{1,100}){1,101}\n",
		  "s.tsv:2: column pattern: too large once its repetitions are expanded (more than 10000)" },
		{ 0, "field\tpattern\n代码\t((x{1,100}){1,100}){3}\n",
		  "s.tsv:2: column pattern: too large once its repetitions are expanded (more than 10000)" },
		{ 0, "field\ttype\tenum\n年份\tyear\t2023|二〇二五\n", "s.tsv:2: column enum: not a year: \"二〇二五\"" },
		{ 1, "{\"fields\": [\n  {\"name\": \"a\"},\n]}", "s.json:3: unexpected token near ']'" },
		{ 1, "[]", "s.json: the schema: not a JSON object" },
		{ 1, "{}", "s.json: fields: missing or empty" },
		{ 1, "{\"fields\": [1]}", "s.json: fields: not a list of objects" },
		{ 1, "{\"fields\": [{\"type\": \"string\"}]}", "s.json: fields[0]: no name" },
		{ 1, "{\"fields\": [{\"name\": \"a\"}, {\"name\": \"a\"}]}", "s.json: fields[1]: a again" },
		{ 1, "{\"fields\": [{\"name\": \"人数\", \"type\": \"integer\", \"constraints\": {\"maximum\": \"abc\"}}]}",
		  "s.json: fields[0] (人数): constraints.maximum: not an integer: \"abc\"" },
		{ 1, "{\"fields\": [{\"name\": \"人数\", \"constraints\": {\"exclusiveMinimum\": 0}}]}",
		  "s.json: fields[0] (人数): constraints.exclusiveMinimum: not supported" },
		{ 1, "{\"fields\": [{\"name\": \"人数\", \"constraints\": {\"enum\": \"a\"}}]}",
		  "s.json: fields[0] (人数): constraints.enum: not a list" },
		{ 1, "{\"fields\": [{\"name\": \"人数\", \"constraints\": {\"minLength\": [1]}}]}",
		  "s.json: fields[0] (人数): constraints.minLength: not a string, number or boolean" },
		{ 1, "{\"fields\": [{\"name\": \"日期\", \"type\": \"date\", \"format\": \"%d/%m/%Y\"}]}",
		  "s.json: fields[0] (日期): format: not supported (only default and any)" },
		{ 1, "{\"fields\": [{\"name\": \"是\", \"type\": \"boolean\", \"trueValues\": [\"是\"]}]}",
		  "s.json: fields[0] (是): trueValues: not supported" },
		{ 1, "{\"fields\": [{\"name\": \"a\"}], \"primaryKey\": [\"a\", \"b\"]}",
		  "s.json: primaryKey: no field b in fields" },
		{ 1, "{\"fields\": [{\"name\": \"a\"}], \"primaryKey\": 3}",
		  "s.json: primaryKey: not a name or a list of names" },
		{ 1, "{\"fields\": [{\"name\": \"a\", \"type\": \"number\", \"constraints\": {\"maximum\": 1e99999}}]}",
		  "s.json: fields[0] (a): constraints.maximum: not a number: \"1e99999\"" },
	};
	struct schema s;
	struct wy_err e;

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int rc = read_schema(cases[i].text, cases[i].json, &s, &e);

		CHECK(rc == -1 && e.exit == WY_EXIT_USAGE, "case %zu: rc %d", i, rc);
		if (rc == -1)
			CHECK_STR(e.msg, cases[i].msg);
		else
			schema_free(&s);
	}
}

int
main(void)
{
	CHECK(schema_is_json("x.JSON") && !schema_is_json("x.tsv") && !schema_is_json("json"),
	    "is_json");
	test_tsv();
	test_json();
	test_errors();
	return t_done("schema");
}
