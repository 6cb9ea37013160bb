/* input + rdcsv: encodings, gzip, separators, quotes, line numbers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "rdcsv.h"
#include "t.h"

/* gzip of s as one member. */
static size_t
gz(const char *s, size_t n, unsigned char *out, size_t cap)
{
	z_stream z = { 0 };

	deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
	z.next_in = (unsigned char *)s;
	z.avail_in = n;
	z.next_out = out;
	z.avail_out = cap;
	deflate(&z, Z_FINISH);
	deflateEnd(&z);
	return cap - z.avail_out;
}

struct got {
	char text[512];
	char enc[16];
	int delim;
	int rc;
	char err[WY_ERRMAX];
};

/* Records as "line:a|b;", rows with rowerr as "line:!;". */
static void
parse(const void *bytes, size_t n, const char *enc, int delim, struct got *g)
{
	struct input in;
	struct rdcsv rd;
	struct rec rec = { 0 };
	struct wy_err e = { 0 };
	size_t len = 0;
	int st;

	memset(g, 0, sizeof *g);
	if (input_open(&in, t_bytes_fd(bytes, n), "t", enc, &e) < 0 ||
	    rdcsv_open(&rd, &in, delim, &e) < 0) {
		input_close(&in, &(struct wy_err){ 0 });
		g->rc = -1;
		snprintf(g->err, sizeof g->err, "%s", e.msg);
		return;
	}
	snprintf(g->enc, sizeof g->enc, "%s", in.encoding);
	g->delim = rd.delim;
	while ((st = rdcsv_read(&rd, &rec, &e)) > 0) {
		len += snprintf(g->text + len, sizeof g->text - len, "%ld:", rec.line);
		if (rd.rowerr) {
			len += snprintf(g->text + len, sizeof g->text - len, "!;");
			continue;
		}
		for (size_t i = 0; i < rec.nf; i++)
			len += snprintf(g->text + len, sizeof g->text - len, "%s%.*s",
			    i ? "|" : "", (int)rec.f[i].len, rec.f[i].p);
		len += snprintf(g->text + len, sizeof g->text - len, ";");
	}
	g->rc = st;
	if (st == 0 && input_close(&in, &e) < 0)
		g->rc = -1;
	else if (st < 0)
		input_close(&in, &(struct wy_err){ 0 });
	if (g->rc < 0)
		snprintf(g->err, sizeof g->err, "%s", e.msg);
	rdcsv_close(&rd);
	rec_free(&rec);
}

static void
test_records(void)
{
	static const struct {
		const char *in, *want;
		int delim;
	} cases[] = {
		{ "a,b\n1,2\n", "1:a|b;2:1|2;", ',' },
		{ "a,b\r\n1,2\r\n", "1:a|b;2:1|2;", ',' },
		{ "a,b\n1,2", "1:a|b;2:1|2;", ',' },
		{ "a,b\n\n1,2\n", "1:a|b;3:1|2;", ',' },
		{ "a,b\n\"x,y\",\"say \"\"hi\"\"\"\n", "1:a|b;2:x,y|say \"hi\";", ',' },
		{ "a,b\n\"two\nlines\",z\n3,4\n", "1:a|b;2:two\nlines|z;4:3|4;", ',' },
		{ "a,b\r\n\"two\r\nlines\",z\r\n", "1:a|b;2:two\r\nlines|z;", ',' },
		{ "a\tb\n1\t2\n", "1:a|b;2:1|2;", '\t' },
		{ "a;b;c\n1;2,5;3\n", "1:a|b|c;2:1|2,5|3;", ';' },
		{ "a|b\n1|2\n", "1:a|b;2:1|2;", '|' },
		{ " a , b \n", "1: a | b ;", ',' },
		{ "a,,\n,,\n", "1:a||;2:||;", ',' },
		{ "x,\"\"\n", "1:x|;", ',' },
		{ "title,,\n单位：万元,,\n地区,金额,人数\n雁塔区,1.5,3\n",
		  "1:title||;2:单位：万元||;3:地区|金额|人数;4:雁塔区|1.5|3;", ',' },
		{ "a,b\r1,2\r3,4", "1:a|b;2:1|2;3:3|4;", ',' },
		{ "a,b\r\n1,2\r3,4\n", "1:a|b;2:1|2;3:3|4;", ',' },
		{ "a,b\r\"x\ry\",2\r", "1:a|b;2:x\ry|2;", ',' },
		{ "a,b\n\"x,1\",\"\"\"\"\n", "1:a|b;2:x,1|\";", ',' },
		{ "a,b\n\"x\"y\",2\n", "1:a|b;2:x\"y|2;", ',' },
		{ "a,b\nx\"y,2\n", "1:a|b;2:x\"y|2;", ',' },
		{ "a,b\n\"unclosed,1\n", NULL, ',' },
	};
	struct got g;

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		parse(cases[i].in, strlen(cases[i].in), NULL, 0, &g);
		if (cases[i].want == NULL) {
			CHECK(g.rc < 0, "case %zu: want an error", i);
			CHECK_STR(g.err, "t:2: a quoted field is not closed");
			continue;
		}
		CHECK(g.rc == 0, "case %zu: rc %d %s", i, g.rc, g.err);
		CHECK(g.delim == cases[i].delim, "case %zu: delim %c", i, g.delim);
		CHECK_STR(g.text, cases[i].want);
	}
}

static void
test_encodings(void)
{
	struct got g;
	/* 地区,金额\n雁塔区,1 in GB18030 */
	static const char gb[] = "\xb5\xd8\xc7\xf8,\xbd\xf0\xb6\xee\n\xd1\xe3\xcb\xfe\xc7\xf8,1\n";
	static const char u16le[] = "\xff\xfe" "a\0\t\0b\0\r\0\n\0" "1\0\t\0\x07\x4e\r\0\n\0";
	static const char u16be[] = "\xfe\xff" "\0a\0,\0b\0\n";
	static const char bom[] = "\xef\xbb\xbf" "a,b\n";
	char bad[4096];

	parse(gb, sizeof gb - 1, NULL, 0, &g);
	CHECK_STR(g.enc, "GB18030");
	CHECK_STR(g.text, "1:地区|金额;2:雁塔区|1;");
	parse(gb, sizeof gb - 1, "gbk", 0, &g);
	CHECK_STR(g.text, "1:地区|金额;2:雁塔区|1;");
	parse(u16le, sizeof u16le - 1, NULL, 0, &g);
	CHECK_STR(g.enc, "UTF-16LE");
	CHECK_STR(g.text, "1:a|b;2:1|万;");
	parse(u16be, sizeof u16be - 1, NULL, 0, &g);
	CHECK_STR(g.text, "1:a|b;");
	parse(bom, sizeof bom - 1, NULL, 0, &g);
	CHECK_STR(g.enc, "UTF-8");
	CHECK_STR(g.text, "1:a|b;");
	parse(bom, sizeof bom - 1, "utf-8", 0, &g);
	CHECK_STR(g.text, "1:a|b;");
	/* a UTF-8 file with one bad byte stays UTF-8; the row is flagged */
	snprintf(bad, sizeof bad, "地区,金额\n雁塔区,一万\n碑林区,\xff\n莲湖区,三\n");
	parse(bad, strlen(bad), NULL, 0, &g);
	CHECK_STR(g.enc, "UTF-8");
	CHECK_STR(g.text, "1:地区|金额;2:雁塔区|一万;3:!;4:莲湖区|三;");
	parse("a\n\xff\xff\xff\n", 6, "utf-8", 0, &g);
	CHECK_STR(g.text, "1:a;2:!;");
	parse("a,b\n", 4, "no-such-encoding", 0, &g);
	CHECK(g.rc < 0, "unknown encoding");
	CHECK_STR(g.err, "unknown encoding \"no-such-encoding\"");
	/* a GB18030 byte that does not decode: line number given */
	parse("a\nb\n\x81\x20\n", 7, "gb18030", 0, &g);
	CHECK(g.rc < 0, "bad GB18030");
	CHECK_STR(g.err, "t:3: bytes that are not GB18030");
}

static void
test_gzip(void)
{
	static const char text[] = "a,b\n1,2\n";
	unsigned char buf[512];
	size_t n = gz(text, sizeof text - 1, buf, sizeof buf);
	struct got g;

	parse(buf, n, NULL, 0, &g);
	CHECK(g.rc == 0, "gzip: %s", g.err);
	CHECK_STR(g.text, "1:a|b;2:1|2;");
	n += gz("3,4\n", 4, buf + n, sizeof buf - n);
	parse(buf, n, NULL, 0, &g);
	CHECK_STR(g.text, "1:a|b;2:1|2;3:3|4;");
	parse(buf, n - 12, NULL, 0, &g);
	CHECK(g.rc < 0, "truncated gzip is an error");
	CHECK_STR(g.err, "t: truncated gzip data");
	buf[n - 6] ^= 0xff; /* the last member's CRC */
	parse(buf, n, NULL, 0, &g);
	CHECK(g.rc < 0, "bad CRC is an error");
	CHECK(strstr(g.err, "corrupt gzip data") != NULL, "bad CRC: %s", g.err);
}

int
main(void)
{
	test_records();
	test_encodings();
	test_gzip();
	return t_done("csv");
}
