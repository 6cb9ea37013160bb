/*
 * clean: what clean_line removes and mends, the marks it notes, the map
 * back to the source, clean_check's verdicts, and the OpenCC conversion.
 */
#include <stdlib.h>
#include <string.h>

#include "clean.h"
#include "t.h"

/* clean_line(in) gives want. */
static const struct {
	const char *in, *want;
} lines[] = {
	/* pinyin after a Han character, ASCII or full-width brackets */
	{ "局長(zhǎng) 燕", "局長 燕" },
	{ "3100余場(chǎng)次", "3100余場次" },
	{ "16.19萬(wàn)名", "16.19萬名" },
	{ "社區（qū）服務", "社區服務" },
	{ "長(zhang)", "長" },
	{ "西安(xī ān)市", "西安市" },
	{ "西安(xi'an)市", "西安市" },
	/* not pinyin: capitals, digits, Han, one letter, after no Han */
	{ "指数（CPI）上涨", "指数（CPI）上涨" },
	{ "供应量(M2)余额", "供应量(M2)余额" },
	{ "规划(2021—2035)》", "规划(2021—2035)》" },
	{ "村(社區)", "村(社區)" },
	{ "第一条(a)", "第一条(a)" },
	{ "GDP (zhang)", "GDP (zhang)" },
	{ "字(zhng)", "字(zhng)" },
	{ "字(zhang", "字(zhang" },
	/* doubled punctuation, ASCII commas and semicolons */
	{ "書記,、局長", "書記、局長" },
	{ "以來,,陜西", "以來，陜西" },
	{ "底線,。充分", "底線。充分" },
	{ "需求,;對", "需求；對" },
	{ "甲,乙", "甲，乙" },
	{ "甲;乙", "甲；乙" },
	{ "甲，，乙", "甲，乙" },
	{ "甲、，乙", "甲、乙" },
	{ "甲。。", "甲。" },
	{ "1,234,567元", "1,234,567元" },
	{ "共1,、2", "共1、2" },
	{ "好……", "好……" },
	/* footnote markers */
	{ "新增就业[7]1267 万人", "新增就业1267 万人" },
	{ "农民工[8]总量", "农民工总量" },
	{ "中位数［63］36231", "中位数36231" },
	{ "文号[2024]", "文号[2024]" },
	{ "见[a]", "见[a]" },
	/* CR and BOM */
	{ "甲\r\n", "甲\n" },
	{ "\xef\xbb\xbf甲", "甲" },
	{ "", "" },
};

static void
test_lines(void)
{
	struct clean c = { 0 };
	struct wy_err e;

	for (size_t k = 0; k < sizeof(lines) / sizeof(lines[0]); k++) {
		char *got;

		CHECK(clean_line(&c, lines[k].in, strlen(lines[k].in), &e) == 0,
		    "clean_line failed on \"%s\"", lines[k].in);
		got = strndup(c.buf, c.len);
		CHECK_STR(got, lines[k].want);
		free(got);
	}
	clean_free(&c);
}

/* Is a mark that c->marks lists at s? */
static int
is_mark(const char *s)
{
	static const char *const marks[] = { "，", "、", "。", "！", "？", "；",
		"!", "?", ";", "\n" };

	for (size_t m = 0; m < sizeof(marks) / sizeof(marks[0]); m++)
		if (strncmp(s, marks[m], strlen(marks[m])) == 0)
			return 1;
	return 0;
}

/* c->marks lists every mark of the cleaned text, and nothing else. */
static void
test_marks(void)
{
	static const char *const more[] = {
		"甲！乙? 丙!\n", "甲。。乙；；丙,,丁;;戊\r\n", "，", "a,b;c",
		"1,234、5。", "字(zhǎng)，（注：略。）？！\n", "[1]。［2］，",
		"\xef\xbb\xbf。甲，",
	};
	struct clean c = { 0 };
	struct wy_err e;
	size_t nlines = sizeof(lines) / sizeof(lines[0]);

	for (size_t k = 0; k < nlines + sizeof(more) / sizeof(more[0]); k++) {
		const char *in = k < nlines ? lines[k].in : more[k - nlines];
		size_t m = 0, want = 0;
		int ok;

		char *out;

		CHECK(clean_line(&c, in, strlen(in), &e) == 0, "clean_line");
		out = strndup(c.buf, c.len);
		ok = 1;
		for (size_t i = 0; i < c.len; i++) {
			if (!is_mark(out + i))
				continue;
			want++;
			if (m >= c.nmarks || c.marks[m++] != i)
				ok = 0;
		}
		CHECK(ok && c.nmarks == want, "\"%s\": %zu marks listed, want %zu",
		    in, c.nmarks, want);
		free(out);
	}
	clean_free(&c);
}

/* The span s[a..b) of the cleaned line maps to the source's [sa, sb). */
static const struct {
	const char *in;
	const char *clean;	/* the text whose span is mapped */
	const char *src;	/* what it must map to */
} spans[] = {
	{ "有效保障16.19萬(wàn)名農(nóng)村", "16.19萬名", "16.19萬(wàn)名" },
	{ "救助1928個(gè)、站點", "1928個", "1928個(gè)" },
	{ "就业[7]1267 万人，", "1267 万人", "1267 万人" },
	{ "3100余場(chǎng)次,,服務", "3100余場次", "3100余場(chǎng)次" },
	{ "資金11.82億元,,有效", "有效", "有效" },
	{ "資金11.82億元,,有效", "，", ",," },
	{ "低保 3560戶,、7814人", "7814人", "7814人" },
	{ "人数[3]，增长", "人数", "人数" },
	{ "超過(guò)3萬(wàn)人次", "超過3萬人次", "超過(guò)3萬(wàn)人次" },
	{ "\xef\xbb\xbf" "2024年", "2024年", "2024年" },
};

/* Where w first occurs in s[0..n), or NULL. */
static const char *
find(const char *s, size_t n, const char *w)
{
	size_t len = strlen(w);

	for (size_t i = 0; i + len <= n; i++)
		if (memcmp(s + i, w, len) == 0)
			return s + i;
	return NULL;
}

static void
test_map(void)
{
	struct clean c = { 0 };
	struct wy_err e;

	for (size_t k = 0; k < sizeof(spans) / sizeof(spans[0]); k++) {
		const char *in = spans[k].in, *hit;
		size_t a, b, sa, sb;
		char *got;

		CHECK(clean_line(&c, in, strlen(in), &e) == 0, "clean_line");
		hit = find(c.buf, c.len, spans[k].clean);
		CHECK(hit != NULL, "\"%s\" not in the cleaned \"%s\"",
		    spans[k].clean, in);
		if (hit == NULL)
			continue;
		a = (size_t)(hit - c.buf);
		b = a + strlen(spans[k].clean);
		sa = clean_src_start(&c, a);
		sb = clean_src_end(&c, b);
		CHECK(sa <= sb && sb <= strlen(in), "span %zu..%zu", sa, sb);
		got = strndup(in + sa, sb - sa);
		CHECK_STR(got, spans[k].src);
		free(got);
	}
	/* every offset maps into the source, in order */
	{
		const char *in = "甲(jiǎ),,乙[1]丙（bǐng）、,丁\r\n";
		size_t prev = 0;

		clean_line(&c, in, strlen(in), &e);
		for (size_t i = 0; i <= c.len; i++) {
			size_t s = clean_src_start(&c, i);

			CHECK(s >= prev && s <= strlen(in), "offset %zu -> %zu", i, s);
			CHECK(clean_src_end(&c, i) <= s, "end %zu", i);
			prev = s;
		}
		CHECK(clean_src_start(&c, c.len) == strlen(in), "the end maps to the end");
	}
	clean_free(&c);
}

static void
test_check(void)
{
	static const struct {
		const char *s;
		size_t n;
		int ok;
		long line;
		const char *why;
	} cases[] = {
		{ "甲乙丙\n", 10, 1, 0, NULL },
		{ "", 0, 1, 0, NULL },
		{ "abcdefghijklmnop\nqrstuvwxyz", 27, 1, 0, NULL },
		{ "ok\n第二行\n\xe4\xb8\n", 17, 0, 3, "invalid UTF-8" },
		{ "ok\nab\0c", 7, 0, 2, "a NUL byte: binary data, not text" },
		{ "a\n\xed\xa0\x80", 5, 0, 2, "invalid UTF-8" },	/* surrogate */
		{ "\xc0\x80", 2, 0, 1, "invalid UTF-8" },		/* overlong */
		{ "\xe0\x80\x80", 3, 0, 1, "invalid UTF-8" },	/* overlong */
		{ "\xf4\x90\x80\x80", 4, 0, 1, "invalid UTF-8" },	/* > U+10FFFF */
		{ "\xf0\x9f\x98\x80", 4, 1, 0, NULL },		/* U+1F600 */
		{ "\xc3\xa9\n\x80", 4, 0, 2, "invalid UTF-8" },
		{ "\xe4\xb8", 2, 0, 1, "invalid UTF-8" },		/* cut short */
		{ "\n\n\xff\0", 4, 0, 3, "invalid UTF-8" },	/* the first fault */
		{ "\n\0\xff", 3, 0, 2, "a NUL byte: binary data, not text" },
		/* two characters of three bytes at once, the second bad */
		{ "甲\xe4\xb8" "x乙丙丁", 15, 0, 1, "invalid UTF-8" },
		{ "甲乙\xed\xa0\x80丙", 12, 0, 1, "invalid UTF-8" },
		{ "\n甲乙丙\xe4\x80\xc0丁", 16, 0, 2, "invalid UTF-8" },
		{ "甲乙丙丁戊", 15, 1, 0, NULL },
	};

	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		long line = -1;
		const char *why = NULL;
		int st = clean_check(cases[k].s, cases[k].n, &line, &why);

		CHECK((st == 0) == cases[k].ok, "case %zu: status %d", k, st);
		if (!cases[k].ok && why != NULL) {
			CHECK(line == cases[k].line, "case %zu: line %ld, want %ld",
			    k, line, cases[k].line);
			CHECK_STR(why, cases[k].why);
		}
	}
}

static void
test_ncp(void)
{
	static const char s[] = "2025年2月28日，国家统计局 ABC １２３";

	CHECK(clean_ncp(s, strlen(s)) == 24, "clean_ncp: %zu",
	    clean_ncp(s, strlen(s)));
	CHECK(clean_ncp("", 0) == 0, "empty");
	CHECK(clean_ncp("\xf0\x9f\x98\x80x", 5) == 2, "4-byte character");
	/* 8 bytes, then 4, then one by one */
	for (size_t n = 0; n <= strlen(s); n++) {
		size_t want = 0;

		for (size_t i = 0; i < n; i++)
			want += ((unsigned char)s[i] & 0xc0) != 0x80;
		CHECK(clean_ncp(s, n) == want, "clean_ncp of %zu bytes: %zu, want %zu",
		    n, clean_ncp(s, n), want);
	}
}

static void
test_t2s(void)
{
	struct wy_err e;
	struct clean_t2s *t = clean_t2s_open(&e);
	char *out;
	size_t len;

	CHECK(t != NULL, "clean_t2s_open: %s", e.msg);
	if (t == NULL)
		return;
	/* 陝 is mapped; its variant 陜 is not in OpenCC's t2s tables */
	CHECK(clean_t2s(t, "陝西省安康市民政局黨組書記 陜", strlen("陝西省安康市民政局黨組書記 陜"),
	    &out, &len, &e) == 0, "clean_t2s");
	CHECK_STR(out, "陕西省安康市民政局党组书记 陜");
	CHECK(len == strlen(out), "length");
	free(out);
	CHECK(clean_t2s(t, "", 0, &out, &len, &e) == 0 && len == 0, "empty");
	free(out);
	clean_t2s_close(t);
}

int
main(void)
{
	test_lines();
	test_marks();
	test_map();
	test_check();
	test_ncp();
	test_t2s();
	return t_done("clean");
}
