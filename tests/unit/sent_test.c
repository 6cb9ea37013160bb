/*
 * sent: sent_split, the one pass that wy-facts makes over a line, gives
 * the sentences sent_next gives one at a time, and sent_clause, which
 * looks the clause marks up, the context sent_context finds by walking,
 * for every span of every sentence of lines that have marks of every
 * kind, spaces, figures that fill a clause and none at all; and
 * sent_split_marks, told where the marks are, splits them as sent_split.
 */
#include <stdlib.h>
#include <string.h>

#include "sent.h"
#include "t.h"

static const char *const lines[] = {
	"新纳入低保3560户、7814人，特困供养1566人。全年救助3.46亿元！\n",
	"2025年，我们将继续努力；比重分别为6.8%、36.5%、56.7%。",
	"他说：“好。”然后又说（注：略。）正文？！真的\n",
	"  增长 5.3% 。12%, 7814人;3560户! ok?\r\n",
	"甲，，乙、、丙。。。丁",
	"，、。！？；",
	"没有标点的一行",
	"\n",
	"",
	"a\xe4\xb8", /* cut off in a character */
	"１２．５万元，约１．２亿",
};

/* Every sentence of s[0..n): sent_next's ends, from the start on. */
static size_t
ends(const char *s, size_t n, size_t *end, size_t max)
{
	size_t k = 0, at = 0;

	while (at < n && k < max) {
		at += sent_next(s + at, n - at);
		end[k++] = at;
	}
	return k;
}

/* The offsets of the marks of s[0..n) that sent_split_marks is given. */
static size_t
find_marks(const char *s, size_t n, size_t *mark, size_t max)
{
	static const char *const marks[] = { "，", "、", "。", "！", "？", "；",
		"!", "?", ";", "\n" };
	size_t k = 0;

	for (size_t i = 0; i < n && k < max; i++)
		for (size_t m = 0; m < sizeof(marks) / sizeof(marks[0]); m++)
			if (strncmp(s + i, marks[m], strlen(marks[m])) == 0)
				mark[k++] = i;
	return k;
}

/* sent_split_marks, told where the marks are, splits s as sent_split. */
static void
test_split_marks(const char *s)
{
	struct sent_line a, b;
	struct wy_err e;
	size_t n = strlen(s), mark[64], nmark = find_marks(s, n, mark, 64), k;

	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	CHECK(sent_split(&a, s, n, &e) == 0 &&
	    sent_split_marks(&b, s, n, mark, nmark, &e) == 0, "split \"%s\"", s);
	CHECK(a.nsent == b.nsent, "\"%s\": %zu sentences, want %zu", s, b.nsent,
	    a.nsent);
	for (k = 0; k < a.nsent && k < b.nsent; k++)
		CHECK(a.sent[k].end == b.sent[k].end &&
		    a.sent[k].nmarks == b.sent[k].nmarks, "\"%s\": sentence %zu: "
		    "end %zu after %zu marks, want %zu after %zu", s, k,
		    b.sent[k].end, b.sent[k].nmarks, a.sent[k].end,
		    a.sent[k].nmarks);
	CHECK(a.nmark == b.nmark && (a.nmark == 0 ||
	    memcmp(a.mark, b.mark, a.nmark * sizeof *a.mark) == 0),
	    "\"%s\": the marks", s);
	sent_line_free(&a);
	sent_line_free(&b);
}

static void
test_split(struct sent_line *sl, const char *s)
{
	struct wy_err e;
	size_t n = strlen(s), end[64], nend = ends(s, n, end, 64), k, a, b;
	size_t cb, ce, wcb, wce, sb;

	CHECK(sent_split(sl, s, n, &e) == 0, "sent_split \"%s\"", s);
	CHECK(sl->nsent == nend, "\"%s\": %zu sentences, want %zu", s,
	    sl->nsent, nend);
	for (k = 0; k < sl->nsent && k < nend; k++)
		CHECK(sl->sent[k].end == end[k], "\"%s\": sentence %zu ends at "
		    "%zu, want %zu", s, k, sl->sent[k].end, end[k]);
	for (k = 0, sb = 0; k < sl->nsent && k < nend; sb = end[k], k++) {
		size_t len = end[k] - sb;

		/* every span, at the boundaries of characters or not */
		for (a = 0; a <= len; a++) {
			for (b = a; b <= len; b++) {
				sent_context(s + sb, len, a, b, &wcb, &wce);
				sent_clause(sl, s, k, a, b, &cb, &ce);
				CHECK(cb == wcb && ce == wce, "\"%s\" [%zu,%zu) of "
				    "sentence %zu: [%zu,%zu), want [%zu,%zu)", s, a,
				    b, k, cb, ce, wcb, wce);
			}
		}
	}
}

int
main(void)
{
	struct sent_line sl;

	memset(&sl, 0, sizeof sl);
	for (size_t k = 0; k < sizeof(lines) / sizeof(lines[0]); k++) {
		test_split(&sl, lines[k]);
		test_split_marks(lines[k]);
	}
	sent_line_free(&sl);
	return t_done("sent");
}
