/*
 * feed: XML data feeds as rows (fixtures/feed-unit; gb18030.xml and
 * gbk.xml made by its make-gb18030.sh): default columns, --record paths,
 * --field XPaths, namespaces, encodings, entities, line numbers, rows to
 * reject, and hostile files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "book.h"
#include "t.h"


struct got {
	char text[8192];    /* rows as "line:a|b;" */
	char rowerr[1024];  /* "line:why;" for each row to reject */
	char sheet[64];
	int rc;		    /* 0, or -1 */
	int exit;
	char err[WY_ERRMAX];
	long nrows;
};

static int
fixture_fd(const char *name)
{
	const char *path = t_fixture("feed-unit", name);
	FILE *f;
	int fd;

	if ((f = fopen(path, "rb")) == NULL) {
		perror(path);
		exit(2);
	}
	fd = dup(fileno(f));
	fclose(f);
	return fd;
}

static void
append(char *buf, size_t cap, const char *fmt, const char *p, size_t n)
{
	size_t len = strlen(buf);

	snprintf(buf + len, cap - len, fmt, (int)n, p);
}

/* Read every row of the feed on fd with these options into g. */
static void
read_feed(int fd, const char *name, const char *record, char *const *fields,
    size_t nfields, char *const *ns, size_t nns, struct got *g)
{
	struct book_opts o = { .max_inflate = BOOK_MAX_INFLATE, .record = record,
		.fields = fields, .nfields = nfields, .ns = ns, .nns = nns };
	struct book b = { .name = name, .format = BOOK_FEED, .opts = &o };
	struct input in;
	struct rec row = { 0 };
	struct wy_err e = { 0 };
	char num[32];
	int st;

	memset(g, 0, sizeof *g);
	if (input_start(&in, fd, name, &e) < 0 || feed_open(&b, &in, &e) < 0) {
		input_close(&in, &(struct wy_err){ 0 });
		g->rc = -1;
		g->exit = e.exit;
		snprintf(g->err, sizeof g->err, "%s", e.msg);
		return;
	}
	snprintf(g->sheet, sizeof g->sheet, "%s", b.nsheets == 1 ? b.sheets[0] : "?");
	if (b.ops->sheet(&b, 0, &e) < 0)
		goto fail;
	while ((st = b.ops->row(&b, &row, &e)) > 0) {
		g->nrows++;
		snprintf(num, sizeof num, "%ld:", b.row);
		append(g->text, sizeof g->text, "%.*s", num, strlen(num));
		if (row.line != b.row)
			append(g->text, sizeof g->text, "%.*s", "(line!)", 7);
		for (size_t i = 0; i < row.nf; i++) {
			if (row.f[i].p == NULL)
				append(g->text, sizeof g->text, "%.*s", "(NULL)", 6);
			else
				append(g->text, sizeof g->text, i ? "|%.*s" : "%.*s",
				    row.f[i].p, row.f[i].len);
		}
		append(g->text, sizeof g->text, "%.*s", ";", 1);
		if (b.rowerr != NULL) {
			append(g->rowerr, sizeof g->rowerr, "%.*s", num, strlen(num));
			append(g->rowerr, sizeof g->rowerr, "%.*s;", b.rowerr,
			    strlen(b.rowerr));
		}
	}
	if (st < 0) {
fail:
		g->rc = -1;
		g->exit = e.exit;
		snprintf(g->err, sizeof g->err, "%s", e.msg);
	}
	b.ops->close(&b);
	input_close(&in, &(struct wy_err){ 0 });
	rec_free(&row);
}

static void
fixture(const char *name, const char *record, struct got *g)
{
	read_feed(fixture_fd(name), name, record, NULL, 0, NULL, 0, g);
}

static void
text(const char *xml, const char *record, struct got *g)
{
	read_feed(t_bytes_fd(xml, strlen(xml)), "t.xml", record, NULL, 0, NULL, 0, g);
}

static void
test_default_columns(void)
{
	struct got g;

	fixture("basic.xml", NULL, &g);
	CHECK(g.rc == 0, "basic.xml: %s", g.err);
	CHECK_STR(g.sheet, "basic");
	/*
	 * Columns in order of first appearance; CDATA, character references
	 * and internal entities decoded; whitespace inside a value kept;
	 * comments dropped; the line is the record's start tag's.
	 */
	CHECK_STR(g.text,
	    "7:@id|地区|金额|金额@unit|备注|来源|金额@scale;"
	    "7:1|北京|12.5|万元|a<b & \"c\";"
	    "12:2|上海市|00123|亿元||国家统计局（发布）;"
	    "17:3|  天津 |||tab\tand\nnewline & <tag>;"
	    "20:4;"
	    "21:5|重庆市||元;");
	CHECK_STR(g.rowerr, "");
	/* a column first seen in a later record than the first */
	CHECK(strstr(g.text, "来源") != NULL, "late column missing");
}

/* The attribute scale="" makes a column though it is always empty. */
static void
test_empty_attribute_column(void)
{
	struct got g;

	text("<r><x a=\"1\"><v s=\"\">2</v></x><x a=\"3\"><v>4</v></x></r>", NULL, &g);
	CHECK_STR(g.text, "1:@a|v|v@s;1:1|2;1:3|4;");
}

static void
test_record_paths(void)
{
	struct got g;

	fixture("fields.xml", "//item", &g);
	CHECK(g.rc == 0 && g.nrows == 4, "//item: %ld rows, %s", g.nrows, g.err);
	fixture("fields.xml", "/root/items/item", &g);
	CHECK(g.rc == 0, "%s", g.err);
	CHECK_STR(g.text, "4:@id|金额|金额@unit|where|tag;"
	    "4:a1|12.5|万元|广州510000|x;"
	    "9:a2|7|||y;");
	CHECK_STR(g.rowerr, "9:\"tag\" occurs more than once in the record "
	    "(choose with --field);");
	fixture("fields.xml", "//items/item", &g);
	CHECK(g.rc == 0 && g.nrows == 3, "//items/item: %ld rows, %s", g.nrows, g.err);
	/* and the 金额 of the <item> outside <items> */
	fixture("fields.xml", "/*/*/*", &g);
	CHECK(g.rc == 0 && g.nrows == 4, "/*/*/*: %ld rows, %s", g.nrows, g.err);
	fixture("fields.xml", "/root//item", &g);
	CHECK(g.rc == 0 && g.nrows == 4, "/root//item: %ld rows, %s", g.nrows, g.err);
	CHECK(strstr(g.text, ";15:not-a-record|0;") != NULL, "%s", g.text);
	fixture("fields.xml", "//nothing", &g);
	CHECK(g.rc == -1 && g.exit == WY_EXIT_DATA, "rc %d exit %d", g.rc, g.exit);
	CHECK_STR(g.err, "fields.xml: no element matches --record //nothing");
	fixture("fields.xml", "item", &g);
	CHECK(g.rc == -1 && g.exit == WY_EXIT_USAGE, "relative path: exit %d", g.exit);
	fixture("fields.xml", "//item[@id='a1']", &g);
	CHECK(g.rc == -1 && g.exit == WY_EXIT_USAGE, "predicate: exit %d", g.exit);
	fixture("fields.xml", "//it*", &g);
	CHECK(g.rc == -1 && g.exit == WY_EXIT_USAGE, "it*: exit %d", g.exit);
	fixture("fields.xml", "//item/", &g);
	CHECK(g.rc == -1 && g.exit == WY_EXIT_USAGE, "trailing /: exit %d", g.exit);
	/* the default: every child of the root, whatever its name */
	fixture("fields.xml", NULL, &g);
	CHECK(g.rc == 0, "%s", g.err);
	CHECK_STR(g.text, "3:item|item@id|@id|金额;3:12.5广州510000x|a1;"
	    "15:||not-a-record|0;");
	CHECK_STR(g.rowerr, "3:\"item\" occurs more than once in the record "
	    "(choose with --field);");
	text("<empty/>", NULL, &g);
	CHECK_STR(g.err, "t.xml: the root element <empty> holds no elements to make rows of");
	text("<r><x/><x/></r>", NULL, &g);
	CHECK_STR(g.err, "t.xml:1: the records have no child elements, attributes or text");
}

/* Records whose text is their value: a column named after them. */
static void
test_text_records(void)
{
	struct got g;

	text("<list>\n <item>a</item>\n <item n=\"2\"> b </item>\n</list>\n", NULL, &g);
	CHECK_STR(g.text, "2:item|@n;2:a;3: b |2;");
}

static void
test_namespaces(void)
{
	char *ns[] = { "st=urn:example:stat", "f=urn:example:feed" };
	char *fields[] = { "code=@st:code", "name=st:name", "value=f:value",
		"doc=string(s:name)" };
	struct got g;

	/* unprefixed: any namespace; prefixed: the declared one */
	fixture("ns.xml", "//rec", &g);
	CHECK(g.rc == 0 && g.nrows == 4, "//rec: %ld rows %s", g.nrows, g.err);
	fixture("ns.xml", "//s:rec", &g);
	CHECK(g.rc == 0, "%s", g.err);
	CHECK_STR(g.text, "6:@code|name|value;6:110000|北京|43760.7;13:310000|上海|47218.7;");
	read_feed(fixture_fd("ns.xml"), "ns.xml", "/f:feed/st:rec", NULL, 0, ns, 2, &g);
	CHECK(g.rc == 0 && g.nrows == 3, "--ns: %ld rows %s", g.nrows, g.err);
	read_feed(fixture_fd("ns.xml"), "ns.xml", "//st:rec", fields, 4, ns, 2, &g);
	CHECK(g.rc == 0, "%s", g.err);
	/* s: comes from the root's declarations */
	CHECK_STR(g.text, "6:code|name|value|doc;6:110000|北京|43760.7|北京;"
	    "13:310000|上海|47218.7|上海;");
	fixture("ns.xml", "//x:rec", &g);
	CHECK(g.rc == -1 && g.exit == WY_EXIT_DATA, "exit %d", g.exit);
	CHECK_STR(g.err, "ns.xml:2: --record //x:rec: namespace prefix \"x\" is "
	    "not declared (give --ns x=URI)");
	{
		char *bad[] = { "st" };

		read_feed(fixture_fd("ns.xml"), "ns.xml", "//st:rec", NULL, 0, bad, 1, &g);
		CHECK(g.rc == -1 && g.exit == WY_EXIT_USAGE, "--ns st: exit %d", g.exit);
	}
	/* the default record path: the root's children, <meta> too */
	fixture("ns.xml", NULL, &g);
	CHECK(g.rc == 0 && g.nrows == 5, "default: %ld rows %s", g.nrows, g.err);
	CHECK(strncmp(g.text, "3:title|@code|name|value;3:GDP;", 31) == 0, "%s", g.text);
}

static void
test_fields(void)
{
	char *fields[] = { "编号=@id", "金额=金额", "单位=金额/@unit", "城市=where/city",
		"n=count(tag)", "有=boolean(where)", "缺=nothing" };
	char *badxp[] = { "x=foo[" };
	char *noname[] = { "=foo" };
	char *undeclared[] = { "x=zz:foo" };
	struct got g;

	read_feed(fixture_fd("fields.xml"), "fields.xml", "/root/items/item", fields,
	    7, NULL, 0, &g);
	CHECK(g.rc == 0, "%s", g.err);
	CHECK_STR(g.text, "4:编号|金额|单位|城市|n|有|缺;"
	    "4:a1|12.5|万元|广州|1|true;9:a2|7|||2|false;");
	CHECK_STR(g.rowerr, "");
	{
		char *two[] = { "tag=tag" };

		read_feed(fixture_fd("fields.xml"), "fields.xml", "//items/item", two, 1,
		    NULL, 0, &g);
		CHECK_STR(g.text, "4:tag;4:x;9:y;");
		CHECK_STR(g.rowerr, "9:--field tag=tag: 2 nodes match;");
	}
	read_feed(fixture_fd("fields.xml"), "fields.xml", "//item", badxp, 1, NULL, 0, &g);
	CHECK(g.rc == -1 && g.exit == WY_EXIT_USAGE, "bad XPath: exit %d %s", g.exit, g.err);
	read_feed(fixture_fd("fields.xml"), "fields.xml", "//item", noname, 1, NULL, 0, &g);
	CHECK(g.rc == -1 && g.exit == WY_EXIT_USAGE, "no name: exit %d", g.exit);
	read_feed(fixture_fd("fields.xml"), "fields.xml", "//item", undeclared, 1, NULL, 0,
	    &g);
	CHECK(g.rc == -1 && g.exit == WY_EXIT_DATA, "undeclared prefix: exit %d", g.exit);
	CHECK(strncmp(g.err, "fields.xml:4: --field x=zz:foo: ", 32) == 0, "%s", g.err);
	/* no record: the header alone, since the columns are known */
	read_feed(fixture_fd("fields.xml"), "fields.xml", "//none", fields, 2, NULL, 0, &g);
	CHECK(g.rc == 0, "%s", g.err);
	CHECK_STR(g.text, "2:编号|金额;");
}

static void
test_encodings(void)
{
	struct got g;

	fixture("gb18030.xml", NULL, &g);
	CHECK(g.rc == 0, "%s", g.err);
	CHECK_STR(g.text, "3:地区|单位|名称;3:北京|万元|𠀀字与€符号;4:广东|亿元|镕;");
	fixture("gbk.xml", NULL, &g);
	CHECK(g.rc == 0, "%s", g.err);
	CHECK_STR(g.text, "3:地区|单位|名称;3:北京|万元|字与€符号;4:广东|亿元|镕;");
	/* GB18030 bytes in a feed that says nothing: not UTF-8, an error */
	{
		const char gb[] = "<r><x><a>\xb1\xb1\xbe\xa9</a></x></r>";

		text(gb, NULL, &g);
		CHECK(g.rc == -1 && g.exit == WY_EXIT_DATA, "undeclared GB18030: exit %d",
		    g.exit);
		CHECK(strncmp(g.err, "t.xml:1: ", 9) == 0, "%s", g.err);
	}
	/* UTF-16 with a byte-order mark */
	{
		const char u16[] = "\xff\xfe<\0r\0>\0<\0x\0>\0<\0a\0>\0\x17\x53<\0/\0a\0>\0"
				   "<\0/\0x\0>\0<\0/\0r\0>\0";

		read_feed(t_bytes_fd(u16, sizeof u16 - 1), "t.xml", NULL, NULL, 0, NULL, 0, &g);
		CHECK_STR(g.text, "1:a;1:北;");
	}
}

static void
test_rows_to_reject(void)
{
	char *xml = malloc(64 << 10), longel[3 * 100 + 4] = "<";
	struct got g;
	size_t n;
	const char *last;

	for (int i = 0; i < 100; i++)
		strcat(longel, "名");
	strcat(longel, "/>");
	n = sprintf(xml, "<r>\n");
	for (int i = 0; i < 205; i++)
		n += sprintf(xml + n, "<x><a>%d</a>%s</x>\n", i,
		    i == 202 ? "<late>L</late>" : i == 203 ? "<a>again</a>" :
		    i == 204 ? longel : "");
	sprintf(xml + n, "</r>\n");
	text(xml, NULL, &g);
	CHECK(g.rc == 0, "%s", g.err);
	CHECK(g.nrows == 206, "%ld rows", g.nrows);
	/* the row is returned with what has a column, and the reason */
	CHECK(strstr(g.text, ";204:202;205:203;206:204;") != NULL, "%s",
	    g.text + strlen(g.text) - 40);
	CHECK(strncmp(g.rowerr, "204:no column for \"late\" (the columns are those "
	    "of the first records; choose them with --field);"
	    "205:\"a\" occurs more than once in the record (choose with --field);"
	    "206:no column for \"名名", 175) == 0, "%s", g.rowerr);
	/* a long reason is cut between characters */
	last = strstr(g.rowerr, "206:");
	CHECK(last != NULL && utf8_valid_prefix(last, strlen(last)) == strlen(last),
	    "%s", last ? last : "no reason for row 206");
	free(xml);
}

/* Line numbers past 65535, each row checked. */
static void
test_lines_big(void)
{
	size_t cap = 8u << 20, n = 0;
	char *xml = malloc(cap);
	struct book_opts o = { .max_inflate = BOOK_MAX_INFLATE };
	struct book b = { .name = "big.xml", .format = BOOK_FEED, .opts = &o };
	struct input in;
	struct rec row = { 0 };
	struct wy_err e = { 0 };
	long nbad = 0, nrows = 0, firstbad = 0;
	int st;

	n += sprintf(xml + n, "<r>\n");
	for (int i = 0; i < 30000; i++)
		n += sprintf(xml + n, "\t<x i=\"%d\">\n  <a>v</a>\n </x>\n", i);
	/* no whitespace before it, and a start tag over two lines */
	n += sprintf(xml + n, "<x i=\"-1\"><a>v</a></x><x\ni=\"-2\"\n><a>v</a></x></r>\n");
	if (input_start(&in, t_bytes_fd(xml, n), "big.xml", &e) < 0 ||
	    feed_open(&b, &in, &e) < 0) {
		CHECK(0, "%s", e.msg);
		free(xml);
		return;
	}
	while ((st = b.ops->row(&b, &row, &e)) > 0) {
		long i;

		if (nrows++ == 0)
			continue;
		i = strtol(row.f[0].p, NULL, 10);
		if (i >= 0 && b.row != 2 + 3 * i && nbad++ == 0)
			firstbad = i;
		if (i == -1)
			CHECK(b.row >= 90002 && b.row <= 90003, "no whitespace: line %ld",
			    b.row);
		if (i == -2)
			CHECK(b.row >= 90002 && b.row <= 90004, "two-line tag: line %ld",
			    b.row);
	}
	CHECK(st == 0, "%s", e.msg);
	CHECK(nrows == 30003, "%ld rows", nrows);
	CHECK(nbad == 0, "%ld rows with a wrong line, the first record %ld", nbad,
	    firstbad);
	b.ops->close(&b);
	input_close(&in, &e);
	rec_free(&row);
	free(xml);
}

static int
has_passwd(const struct got *g)
{
	return strstr(g->text, "root:") != NULL || strstr(g->err, "root:") != NULL;
}

static void
test_hostile(void)
{
	struct got g;

	fixture("xxe.xml", "//rec", &g);
	CHECK(g.rc == -1 && g.exit == WY_EXIT_DATA, "xxe: rc %d exit %d", g.rc, g.exit);
	CHECK_STR(g.err, "xxe.xml:7: entity &secret; is external: refused");
	CHECK(!has_passwd(&g), "the file's content is out");
	{
		char *f[] = { "a=a", "s=string(a)" };

		read_feed(fixture_fd("xxe.xml"), "xxe.xml", "//rec", f, 2, NULL, 0, &g);
		CHECK(g.rc == -1 && g.exit == WY_EXIT_DATA, "xxe --field: exit %d", g.exit);
		CHECK(!has_passwd(&g), "the file's content is out");
	}
	fixture("xxe-attr.xml", "//rec", &g);
	CHECK(g.rc == -1 && g.exit == WY_EXIT_DATA, "xxe attr: exit %d", g.exit);
	CHECK(!has_passwd(&g), "the file's content is out");
	fixture("xxe-param.xml", "//rec", &g);
	CHECK(!has_passwd(&g), "the file's content is out");
	CHECK(g.rc == -1 || strcmp(g.text, "7:a;7:1;") == 0, "%s %s", g.text, g.err);
	fixture("xxe-dtd.xml", "//rec", &g);
	CHECK(!has_passwd(&g), "the file's content is out");
	CHECK_STR(g.text, "4:a;4:1;");
	fixture("laughs.xml", NULL, &g);
	CHECK(g.rc == -1 && g.exit == WY_EXIT_DATA, "billion laughs: exit %d", g.exit);
	CHECK(strlen(g.text) < 100, "laughs expanded: %.60s", g.text);
	fixture("laughs-attr.xml", NULL, &g);
	CHECK(g.rc == -1 && g.exit == WY_EXIT_DATA, "billion laughs in an attribute: "
	    "exit %d", g.exit);
	/* one entity of 100 KB used 30 times: 3 MB of text from 100 KB */
	{
		char *xml = malloc(1 << 20);
		size_t n = sprintf(xml, "<!DOCTYPE r [<!ENTITY big \"");

		memset(xml + n, 'x', 100000);
		n += 100000;
		n += sprintf(xml + n, "\">]>\n<r>\n<x><a>");
		for (int i = 0; i < 30; i++)
			n += sprintf(xml + n, "&big;");
		n += sprintf(xml + n, "</a></x>\n</r>\n");
		read_feed(t_bytes_fd(xml, n), "t.xml", NULL, NULL, 0, NULL, 0, &g);
		CHECK_STR(g.err, "t.xml:3: entities expand to more than 10 times the "
		    "size of the document");
		/* a record of 300,000 nodes would take 40 MB as a tree */
		n = sprintf(xml, "<r>\n<x>");
		for (int i = 0; i < 300000 / 2; i++)
			n += sprintf(xml + n, "<a/>b");
		n += sprintf(xml + n, "</x>\n</r>\n");
		read_feed(t_bytes_fd(xml, n), "t.xml", NULL, NULL, 0, NULL, 0, &g);
		CHECK_STR(g.err, "t.xml:2: record of more than 16 MiB of XML or "
		    "262144 nodes");
		free(xml);
	}
	fixture("malformed.xml", NULL, &g);
	CHECK(g.rc == -1 && g.exit == WY_EXIT_DATA, "malformed: exit %d", g.exit);
	CHECK_STR(g.err, "malformed.xml:4: opening and ending tag mismatch: a line 4 and b");
	text("<r><x><a>&nope;</a></x></r>", NULL, &g);
	CHECK(g.rc == -1 && g.exit == WY_EXIT_DATA, "undeclared entity: exit %d", g.exit);
	text("<r><x><a>1</a></x>", NULL, &g);
	CHECK(g.rc == -1 && g.exit == WY_EXIT_DATA, "cut off: exit %d", g.exit);
	text("", NULL, &g);
	CHECK(g.rc == -1 && g.exit == WY_EXIT_DATA, "empty: exit %d", g.exit);
	text("<r><x><y:a>1</y:a></x></r>", NULL, &g);
	CHECK(g.rc == -1 && g.exit == WY_EXIT_DATA, "undeclared prefix: exit %d", g.exit);
}

int
main(void)
{
	test_default_columns();
	test_empty_attribute_column();
	test_record_paths();
	test_text_records();
	test_namespaces();
	test_fields();
	test_encodings();
	test_rows_to_reject();
	test_lines_big();
	test_hostile();
	return t_done("feed");
}
