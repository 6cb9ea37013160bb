/*
 * facts and sent: sentences and clauses, and the facts found in short
 * texts: value, unit, qualifier, kind, offsets, the source's spelling,
 * the context, and what is no fact.
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "sent.h"
#include "t.h"

static void
test_sentences(void)
{
	static const struct {
		const char *s;
		const char *first; /* the first sentence, as sent_next ends it */
	} cases[] = {
		{ "甲。乙", "甲。" },
		{ "甲！乙", "甲！" },
		{ "甲？乙", "甲？" },
		{ "甲；乙", "甲；" },
		{ "甲;乙", "甲;" },
		{ "甲\n乙", "甲\n" },
		{ "甲。\n乙", "甲。\n" },
		{ "他说：“好。”然后", "他说：“好。”" },
		{ "（注：略。）正文", "（注：略。）" },
		{ "真的？！是", "真的？！" },
		{ "增长5.0%，比上年", "增长5.0%，比上年" },
		{ "3.5亿元．", "3.5亿元．" },
		{ "", "" },
	};

	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		size_t n = sent_next(cases[k].s, strlen(cases[k].s));
		char *got = strndup(cases[k].s, n);

		CHECK_STR(got, cases[k].first);
		free(got);
	}
	CHECK(sent_blank(" \t\n　", strlen(" \t\n　")), "spaces are blank");
	CHECK(!sent_blank(" 甲 ", strlen(" 甲 ")), "a character is not");
}

static void
test_context(void)
{
	static const struct {
		const char *s, *fig, *want;
	} cases[] = {
		{ "新纳入低保3560户、7814人，特困供养1566人。", "3560户",
		    "新纳入低保3560户" },
		{ "新纳入低保3560户、7814人，特困供养1566人。", "7814人",
		    "新纳入低保3560户、7814人" },
		{ "新纳入低保3560户、7814人，特困供养1566人。", "1566人",
		    "特困供养1566人" },
		{ "比重分别为6.8%、36.5%、56.7%。", "56.7%",
		    "比重分别为6.8%、36.5%、56.7%" },
		{ "2025年，我们将继续努力。", "2025年", "2025年，我们将继续努力" },
		{ "  增长 5.3% 。", "5.3%", "增长 5.3%" },
		{ "12%", "12%", "12%" },
	};

	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		const char *s = cases[k].s, *hit = strstr(s, cases[k].fig);
		size_t a = (size_t)(hit - s), b = a + strlen(cases[k].fig), cb, ce;
		char *got;

		sent_context(s, strlen(s), a, b, &cb, &ce);
		got = strndup(s + cb, ce - cb);
		CHECK_STR(got, cases[k].want);
		free(got);
	}
}

/* The facts of a text, one line each: "sent start end text value unit qual kind". */
struct found {
	char buf[8192];
	size_t len;
	int fail_after; /* make the callback fail at this fact (0: never) */
	int n;
};

static int
collect(void *arg, const struct facts_fact *f, struct wy_err *e)
{
	struct found *fd = arg;

	if (fd->fail_after > 0 && ++fd->n >= fd->fail_after)
		return wy_errf(e, WY_EXIT_IO, "stop");
	fd->len += (size_t)snprintf(fd->buf + fd->len, sizeof fd->buf - fd->len,
	    "%s%lu %zu %zu %.*s %s %s %s %s", fd->len ? "|" : "", f->sent,
	    f->start, f->end, (int)f->textlen, f->text, f->value,
	    f->unit[0] ? f->unit : "-", f->qual ? facts_qual_name(f->qual) : "-",
	    facts_kind_name(f->kind));
	return 0;
}

static const struct {
	const char *in, *want;
} docs[] = {
	/* amounts, counts, percentages, qualifiers on both sides */
	{ "全市累计下发资金11.82亿元。", "1 8 15 11.82亿元 1182000000 元 - quantity" },
	{ "增长5.0%", "1 2 6 5.0% 5 % - percent" },
	{ "比上年下降 0.1 个百分点。", "1 6 14 0.1 个百分点 0.1 百分点 - percent" },
	{ "约3500人次", "1 0 7 约3500人次 3500 人次 approx quantity" },
	{ "近千万元", "1 0 4 近千万元 10000000 元 lt quantity" },
	{ "超过1.2万名", "1 0 7 超过1.2万名 12000 名 gt quantity" },
	{ "逾2600万元", "1 0 7 逾2600万元 26000000 元 gt quantity" },
	{ "3000元左右", "1 0 7 3000元左右 3000 元 approx quantity" },
	{ "1.6萬余畝", "1 0 6 1.6萬余畝 16000 亩 gt quantity" },
	{ "98.6%以上", "1 0 7 98.6%以上 98.6 % gt percent" },
	{ "平均约为122.4万元", "1 2 11 约为122.4万元 1224000 元 approx quantity" },
	{ "八项实事", "1 0 2 八项 8 项 - quantity" },
	{ "两项补贴", "1 0 2 两项 2 项 - quantity" },
	{ "四百二十张", "1 0 5 四百二十张 420 张 - quantity" },
	{ "人民币壹仟贰佰万元整", "1 0 10 人民币壹仟贰佰万元整 12000000 元 - quantity" },
	{ "１２．５万元", "1 0 6 １２．５万元 125000 元 - quantity" },
	{ "百分之十二点五", "1 0 7 百分之十二点五 12.5 % - percent" },
	{ "三分之一", "1 0 4 三分之一 1/3 - - percent" },
	{ "万分之五", "1 0 4 万分之五 0.0005 - - percent" },
	{ "约三成", "1 0 3 约三成 3 成 approx percent" },
	{ "6大类", "1 0 3 6大类 6 类 - quantity" },
	{ "35 微克/立方米", "1 0 9 35 微克/立方米 35 微克/立方米 - quantity" },
	{ "1.4亿", "1 0 4 1.4亿 140000000 - - quantity" },
	{ "增速为-2.3%", "1 3 8 -2.3% -2.3 % - percent" },
	{ "¥3,500元", "1 0 7 ¥3,500元 3500 元 - quantity" },
	/* ranges, years and dates */
	{ "5000万至8000万元", "1 0 12 5000万至8000万元 50000000/80000000 元 - range" },
	{ "2024年", "1 0 5 2024年 2024 - - year" },
	{ "2025年2月28日发布", "1 0 10 2025年2月28日 2025-02-28 - - year" },
	{ "二〇二五年三月", "1 0 7 二〇二五年三月 2025-03 - - year" },
	{ "10月至12月", "1 0 7 10月至12月 --10/--12 - - range" },
	{ "(2021—2035)", "1 1 10 2021—2035 2021/2035 - - range" },
	{ "2023-24年度", "1 0 8 2023-24年 2023/2024 - - range" },
	{ "1500-2000户", "1 0 10 1500-2000户 1500/2000 户 - range" },
	/* the source's spelling, offsets in the cleaned text */
	{ "有效保障16.19萬(wàn)名農(nóng)村",
	    "1 4 11 16.19萬(wàn)名 161900 名 - quantity" },
	{ "局長(zhǎng),,3100余場(chǎng)次",
	    "1 3 10 3100余場(chǎng)次 3100 场次 gt quantity" },
	{ "新增就业[7]1267 万人", "1 4 11 1267 万人 12670000 人 - quantity" },
	{ "甲。\n\n乙3个，丙4个。丁5个", "2 5 7 3个 3 个 - quantity|2 9 11 4个 4 个 - quantity|"
	    "3 13 15 5个 5 个 - quantity" },
	/* no facts */
	{ "二十大精神", "" },
	{ "“五大社会化工作体系”", "" },
	{ "四议两公开", "" },
	{ "第3名，第一产业", "" },
	{ "三次产业增加值", "" },
	{ "市县两级", "" },
	{ "一批项目、一起推动、二次会议", "" },
	{ "“两个维护”", "" },
	{ "三门峡市、九台区", "" },
	{ "(CPI)上涨、(M2)余额、PM2.5浓度、G20峰会、5G基站、COVID-19", "" },
	{ "编号3560", "" },
	{ "电话0916-7212345", "" },
	{ "这一点十分重要", "" },
	{ "压缩至3个月、5个工作日", "" },
	{ "80岁以上", "" },
	{ "节约6.5万元", "1 2 7 6.5万元 65000 元 - quantity" },
	{ "通过3项", "1 2 4 3项 3 项 - quantity" },
	{ "", "" },
};

static void
test_docs(void)
{
	struct facts f = { 0 };
	struct wy_err e;

	for (size_t k = 0; k < sizeof(docs) / sizeof(docs[0]); k++) {
		struct found fd = { .len = 0 };

		fd.buf[0] = '\0';
		CHECK(facts_scan(&f, docs[k].in, strlen(docs[k].in), collect, &fd,
		    &e) == 0, "facts_scan failed on \"%s\"", docs[k].in);
		CHECK_STR(fd.buf, docs[k].want);
	}
	/* the callback's error stops the scan */
	{
		static const char s[] = "3个，4个，5个";
		struct found fd = { .fail_after = 2 };

		CHECK(facts_scan(&f, s, strlen(s), collect, &fd, &e) == -1,
		    "the callback's error");
		CHECK_STR(e.msg, "stop");
		CHECK(fd.n == 2, "stopped at the second: %d", fd.n);
	}
	/* sentences of the last document */
	{
		static const char s[] = "甲。乙；丙\n\n丁";
		struct found fd = { .len = 0 };

		facts_scan(&f, s, strlen(s), collect, &fd, &e);
		CHECK(f.nsent == 4, "4 sentences, not %lu", f.nsent);
		CHECK(f.nchar == 8, "8 characters, not %zu", f.nchar);
		CHECK(f.nline == 3, "3 lines, not %ld", f.nline);
	}
	facts_free(&f);
}

/* The contexts and lines of the first facts of a text. */
struct contexts {
	int n;
	char ctx[3][256];
	long line[3];
};

static int
keep_context(void *arg, const struct facts_fact *fc, struct wy_err *err)
{
	struct contexts *got = arg;

	(void)err;
	if (got->n < 3) {
		snprintf(got->ctx[got->n], sizeof got->ctx[0], "%.*s",
		    (int)fc->ctxlen, fc->ctx);
		got->line[got->n] = fc->line;
	}
	got->n++;
	return 0;
}

static void
test_context_of_facts(void)
{
	static const char s[] = "陜西省,、局長(zhǎng) 某某。\r\n"
	    "新納(nà)入低保 3560戶,、7814人,，\n特困1566人。";
	struct facts f = { 0 };
	struct contexts got = { 0 };
	struct wy_err e;

	CHECK(facts_scan(&f, s, strlen(s), keep_context, &got, &e) == 0,
	    "facts_scan");
	CHECK(got.n == 3, "3 facts, not %d", got.n);
	CHECK_STR(got.ctx[0], "新納入低保 3560戶");
	CHECK_STR(got.ctx[1], "新納入低保 3560戶、7814人");
	CHECK_STR(got.ctx[2], "特困1566人");
	CHECK(got.line[0] == 2 && got.line[1] == 2 && got.line[2] == 3,
	    "lines %ld %ld %ld", got.line[0], got.line[1], got.line[2]);
	facts_free(&f);
}

/* The facts of a document as text, every field, one a line. */
struct listing {
	char *buf;
	size_t len, cap;
	const char *doc;     /* the whole document */
	size_t off;	     /* where the piece being read starts in it */
	unsigned long sent;  /* what the pieces before it held */
	size_t nchar;
	long nline;
};

static int
list_fact(void *arg, const struct facts_fact *f, struct wy_err *e)
{
	struct listing *l = arg;
	int n;

	if (l->buf == NULL && wy_grow(&l->buf, &l->cap, 4096, (size_t)-1 / 2,
	    e) < 0)
		return -1;
	for (;;) {
		n = snprintf(l->buf + l->len, l->cap - l->len,
		    "%lu %zu %zu %zu %ld %td %.*s|%s|%s|%s|%s|%.*s|%d\n",
		    l->sent + f->sent, l->nchar + f->start, l->nchar + f->end,
		    l->off + f->srcoff, l->nline + f->line,
		    (l->doc + l->off + f->srcoff) - f->text, (int)f->textlen,
		    f->text, f->value, f->unit, facts_qual_name(f->qual),
		    facts_kind_name(f->kind), (int)f->ctxlen, f->ctx, f->plain);
		if (n >= 0 && (size_t)n < l->cap - l->len)
			break;
		if (wy_grow(&l->buf, &l->cap, l->len + (size_t)(n > 0 ? n : 0) + 256,
		    (size_t)-1 / 2, e) < 0)
			return -1;
	}
	l->len += (size_t)n;
	return 0;
}

/* The start of line k + 1 of s[0..n) (the lines from 0), or n. */
static size_t
line_start(const char *s, size_t n, size_t k)
{
	size_t at = 0;

	while (k-- > 0 && at < n) {
		const char *nl = memchr(s + at, '\n', n - at);

		at = nl != NULL ? (size_t)(nl - s) + 1 : n;
	}
	return at;
}

/*
 * The facts of s[0..n) read in pieces cut at the line starts cut[0..ncut)
 * (in order), each piece's counts added up, into l (emptied first).
 */
static int
scan_pieces(struct facts *f, const char *s, size_t n, const size_t *cut,
    size_t ncut, struct listing *l)
{
	struct wy_err e;
	size_t from = 0;

	l->len = 0;
	l->doc = s;
	l->off = l->nchar = 0;
	l->sent = 0;
	l->nline = 0;
	for (size_t k = 0; k <= ncut; k++) {
		size_t to = k < ncut ? cut[k] : n;

		l->off = from;
		if (facts_scan(f, s + from, to - from, list_fact, l, &e) < 0)
			return -1;
		l->sent += f->nsent;
		l->nchar += f->nchar;
		l->nline += f->nline;
		from = to;
	}
	return 0;
}

static char *
read_file(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, got;
	struct wy_err e;

	*n = 0;
	if (fp == NULL)
		return NULL;
	do {
		if (wy_grow(&buf, &cap, *n + 4096, (size_t)-1 / 2, &e) < 0)
			break;
		got = fread(buf + *n, 1, cap - *n, fp);
		*n += got;
	} while (got > 0);
	fclose(fp);
	return buf;
}

/*
 * A document read in pieces cut at line ends, the counts of the pieces
 * before added, gives the facts of the whole: at every line end alone,
 * and in pieces of 1 to 8 lines.
 */
static void
test_pieces(void)
{
	const char *pattern = t_fixture("facts", "*");
	struct facts f = { 0 };
	struct listing whole = { 0 }, parts = { 0 };
	glob_t g;
	size_t nfiles = 0, nlines, *cut;

	CHECK(glob(pattern, 0, NULL, &g) == 0, "no fixtures: %s", pattern);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		size_t n, lines_ok = 1, pieces_ok = 1, nfacts = 0;
		char *s = read_file(g.gl_pathv[i], &n);

		if (s == NULL)
			continue;
		nfiles++;
		CHECK(scan_pieces(&f, s, n, NULL, 0, &whole) == 0, "%s", g.gl_pathv[i]);
		for (size_t k = 0; k < whole.len; k++)
			nfacts += whole.buf[k] == '\n';
		for (nlines = 0; line_start(s, n, nlines) < n; nlines++)
			;
		CHECK(f.nline == (long)nlines, "%s: %ld lines, not %zu",
		    g.gl_pathv[i], f.nline, nlines);
		cut = malloc((nlines + 1) * sizeof *cut);
		/* two pieces, cut at each line end */
		for (size_t k = 1; k < nlines; k++) {
			cut[0] = line_start(s, n, k);
			if (scan_pieces(&f, s, n, cut, 1, &parts) < 0 ||
			    parts.len != whole.len ||
			    memcmp(parts.buf, whole.buf, whole.len) != 0)
				lines_ok = 0;
		}
		/* pieces of k lines */
		for (size_t k = 1; k <= 8; k++) {
			size_t ncut = 0;

			for (size_t at = k; at < nlines; at += k)
				cut[ncut++] = line_start(s, n, at);
			if (scan_pieces(&f, s, n, cut, ncut, &parts) < 0 ||
			    parts.len != whole.len ||
			    memcmp(parts.buf, whole.buf, whole.len) != 0)
				pieces_ok = 0;
		}
		CHECK(lines_ok, "%s: cut at one line end, other facts", g.gl_pathv[i]);
		CHECK(pieces_ok, "%s: in pieces of lines, other facts", g.gl_pathv[i]);
		CHECK(nfacts > 0 || strstr(g.gl_pathv[i], "binary") != NULL,
		    "%s: no facts to compare", g.gl_pathv[i]);
		free(cut);
		free(s);
	}
	CHECK(nfiles >= 7, "%zu fixtures", nfiles);
	globfree(&g);
	free(whole.buf);
	free(parts.buf);
	facts_free(&f);
}

int
main(void)
{
	test_sentences();
	test_context();
	test_docs();
	test_context_of_facts();
	test_pieces();
	return t_done("facts");
}
