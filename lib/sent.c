/*
 * sent: sentences end at a few marks, looked for character by character
 * (Han characters, which are none, skipped by their first byte); the
 * clause marks are noted on the way, so that the clause of each figure
 * is looked up, not walked to.  sent_context walks for a lone sentence.
 */
#include <stdlib.h>
#include <string.h>

#include "clean.h"
#include "sent.h"

/* Marks that end a sentence. */
static int
is_stop(uint32_t cp)
{
	switch (cp) {
	case '\n': case '!': case '?': case ';':
	case 0x3002: case 0xff01: case 0xff1f: case 0xff1b: /* 。！？； */
		return 1;
	}
	return 0;
}

/* Closing quotes and brackets that stay with the sentence they end. */
static int
is_closing(uint32_t cp)
{
	switch (cp) {
	case '"': case '\'': case ')': case 0x201d: case 0x2019: /* ” ’ */
	case 0x300d: case 0x300f: case 0xff09: case 0x300b:	  /* 」』）》 */
	case 0x3009: case 0x3011:				  /* 〉】 */
		return 1;
	}
	return 0;
}

/* Marks between clauses. */
static int
is_comma(uint32_t cp)
{
	return cp == 0xff0c || cp == 0x3001; /* ， 、 */
}

static int
is_space(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
	    cp == 0x3000 || cp == 0xa0;
}

/*
 * How far sentence() steps over a byte: 0 for the bytes that may
 * start a stop, \n ! ; ? and the first bytes of 。 and ！？； (E3, EF);
 * 3 for the first bytes of Han characters (E4 to E9); 1 for the others.
 */
static const unsigned char stop_step[256] = {
	[0x00 ... '\n' - 1] = 1, ['\n' + 1 ... '!' - 1] = 1,
	['!' + 1 ... ';' - 1] = 1, [';' + 1 ... '?' - 1] = 1,
	['?' + 1 ... 0xe2] = 1, [0xe4 ... 0xe9] = 3, [0xea ... 0xee] = 1,
	[0xf0 ... 0xff] = 1
};

/* Note the clause mark at s[at] (marks may be NULL); 0 or -1. */
static int
note_mark(struct sent_marks *marks, size_t at, struct wy_err *e)
{
	size_t bytes;

	if (marks == NULL)
		return 0;
	if (marks->n == marks->cap) {
		bytes = marks->cap * sizeof *marks->at;
		if (wy_grow(&marks->at, &bytes, (marks->n + 1) * sizeof *marks->at,
		    (size_t)-1 / 2, e) < 0)
			return -1;
		marks->cap = bytes / sizeof *marks->at;
	}
	marks->at[marks->n++] = at;
	return 0;
}

/*
 * The end of the sentence that starts at s[i] (as sent_next ends it),
 * noting where its clause marks are in marks when it is not NULL.
 * Returns the end, or (size_t)-1 with e set (out of memory).
 */
static size_t
sentence(const char *s, size_t n, size_t i, struct sent_marks *marks,
    struct wy_err *e)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t l, k;
	uint32_t cp;

	while (i < n) {
		while (n - i >= 3 && (k = stop_step[u[i]]) != 0)
			i += k;
		/* a Han character in three bytes, unless the text ends first */
		if (i < n && (k = stop_step[u[i]]) != 0) {
			i += k == 3 ? 1 : k;
			continue;
		}
		if (i == n)
			break;
		l = clean_u8(s + i, n - i, &cp);
		if ((is_comma(cp) || is_stop(cp)) &&
		    note_mark(marks, i, e) < 0)
			return (size_t)-1;
		i += l;
		if (!is_stop(cp))
			continue;
		while (i < n && (l = clean_u8(s + i, n - i, &cp)) > 0 &&
		    (is_stop(cp) || is_closing(cp) || cp == '\r')) {
			if (is_stop(cp) && note_mark(marks, i, e) < 0)
				return (size_t)-1;
			i += l;
		}
		return i;
	}
	return n;
}

size_t
sent_next(const char *s, size_t n)
{
	return sentence(s, n, 0, NULL, NULL);
}

/* A sentence of sl that ends at end, after the first nmarks marks. */
static inline __attribute__((always_inline)) int
add_sentence(struct sent_line *sl, size_t end, size_t nmarks,
    struct wy_err *e)
{
	size_t bytes;

	if (sl->nsent == sl->cap) {
		bytes = sl->cap * sizeof *sl->sent;
		if (wy_grow(&sl->sent, &bytes, (sl->nsent + 1) * sizeof *sl->sent,
		    (size_t)-1 / 2, e) < 0)
			return -1;
		sl->cap = bytes / sizeof *sl->sent;
	}
	sl->sent[sl->nsent].end = end;
	sl->sent[sl->nsent].nmarks = nmarks;
	sl->nsent++;
	return 0;
}

int
sent_split(struct sent_line *sl, const char *s, size_t n, struct wy_err *e)
{
	size_t at, end;

	sl->nsent = 0;
	sl->marks.n = 0;
	for (at = 0; at < n; at = end) {
		end = sentence(s, n, at, &sl->marks, e);
		if (end == (size_t)-1 || add_sentence(sl, end, sl->marks.n, e) < 0)
			return -1;
	}
	sl->mark = sl->marks.at;
	sl->nmark = sl->marks.n;
	return 0;
}

/*
 * The end of the sentence whose last mark, a stop, ends at s[i]: after
 * the stops and closing marks that follow (as sentence ends it).  *k,
 * the marks passed, goes on over those stops, and over any mark of the
 * list before the end, so that the marks of a sentence lie within it
 * whatever the list holds.
 */
static size_t
stop_run(const char *s, size_t n, size_t i, const size_t *mark,
    size_t nmark, size_t *k)
{
	size_t l;
	uint32_t cp;

	while (i < n && (l = clean_u8(s + i, n - i, &cp)) > 0 &&
	    (is_stop(cp) || is_closing(cp) || cp == '\r'))
		i += l;
	while (*k < nmark && mark[*k] < i)
		(*k)++;
	return i;
}

int
sent_split_marks(struct sent_line *sl, const char *s, size_t n,
    const size_t *mark, size_t nmark, struct wy_err *e)
{
	size_t k = 0, at, end = 0;
	uint32_t cp;

	sl->nsent = 0;
	sl->mark = mark;
	sl->nmark = nmark;
	while (k < nmark) {
		at = mark[k++];
		if (at >= n || at < end)
			continue;
		at += clean_u8(s + at, n - at, &cp);
		if (!is_stop(cp))
			continue;
		end = stop_run(s, n, at, mark, nmark, &k);
		if (add_sentence(sl, end, k, e) < 0)
			return -1;
	}
	if (end < n && add_sentence(sl, n, nmark, e) < 0)
		return -1;
	return 0;
}

void
sent_line_free(struct sent_line *sl)
{
	free(sl->sent);
	free(sl->marks.at);
	memset(sl, 0, sizeof *sl);
}

int
sent_blank(const char *s, size_t n)
{
	uint32_t cp;

	for (size_t i = 0; i < n;) {
		i += clean_u8(s + i, n - i, &cp);
		if (!is_space(cp))
			return 0;
	}
	return 1;
}

/* Start of the character that ends at s[i] (i > 0). */
static inline __attribute__((always_inline)) size_t
back(const char *s, size_t i)
{
	size_t j = i - 1;

	while (j > 0 && i - j < 4 && ((unsigned char)s[j] & 0xc0) == 0x80)
		j--;
	return j;
}

/* Bytes of the space that ends s[0..e), or 0. */
static inline __attribute__((always_inline)) size_t
space_before(const char *s, size_t e)
{
	size_t j = back(s, e);
	uint32_t cp;

	clean_u8(s + j, e - j, &cp);
	return is_space(cp) ? e - j : 0;
}

/* Han characters in s[i..j), counted up to 2. */
static inline __attribute__((always_inline)) int
nhan(const char *s, size_t i, size_t j)
{
	uint32_t cp;
	int k = 0;

	while (i < j && k < 2) {
		unsigned char b = (unsigned char)s[i];

		if (b < 0x80) {
			i++;
			continue;
		}
		/* E4-E9 lead U+4000-U+9FFF: Han but for a few symbols */
		if (b >= 0xe4 && b <= 0xe9 && j - i >= 3) {
			k++;
			i += 3;
			continue;
		}
		i += clean_u8(s + i, j - i, &cp);
		k += clean_is_han(cp);
	}
	return k;
}

/* clause_start by walking back from s[a]. */
static size_t
walk_back(const char *s, size_t a)
{
	uint32_t cp;

	while (a > 0) {
		unsigned char b = (unsigned char)s[a - 1];
		size_t j;

		/* commas and stops are ASCII or end in 81 82 8C 9B 9F */
		if (b >= 0x80 && b != 0x81 && b != 0x82 && b != 0x8c &&
		    b != 0x9b && b != 0x9f) {
			a--;
			continue;
		}
		j = back(s, a);
		if (clean_u8(s + j, a - j, &cp) == a - j &&
		    (is_comma(cp) || is_stop(cp)))
			return a;
		a = j;
	}
	return 0;
}

/* clause_end by walking on from s[i]. */
static size_t
walk_on(const char *s, size_t n, size_t i)
{
	size_t l;
	uint32_t cp;

	while (i < n) {
		unsigned char b = (unsigned char)s[i];

		if (b >= 0x80 && b != 0xe3 && b != 0xef) {
			i++;
			continue;
		}
		l = clean_u8(s + i, n - i, &cp);
		if (is_comma(cp) || is_stop(cp))
			break;
		i += l;
	}
	return i;
}

/*
 * The clause marks of a sentence s[0..n): when listed, those of mark[]
 * from first to end (exclusive), offsets in the line, where the sentence
 * starts at base; when not, found by walking the text.
 */
struct clauses {
	const char *s;
	size_t n;
	int listed;
	const size_t *mark;
	size_t first, end, base;
};

/* The first of v[lo..hi), which is sorted, that is x or more; or hi. */
static inline __attribute__((always_inline)) size_t
lower_bound(const size_t *v, size_t lo, size_t hi, size_t x)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The end of the mark k of c, which is ASCII or three bytes. */
static inline __attribute__((always_inline)) size_t
mark_end(const struct clauses *c, size_t k)
{
	size_t at = c->mark[k] - c->base;

	return at + ((unsigned char)c->s[at] < 0x80 ? 1 : 3);
}

/*
 * clause_start by the marks before mark k, the first at a or after (a
 * mark that ends after a, which a span inside a mark may have, holds
 * none).
 */
static inline __attribute__((always_inline)) size_t
start_before(const struct clauses *c, size_t k, size_t a)
{
	for (; k > c->first; k--)
		if (mark_end(c, k - 1) <= a)
			return mark_end(c, k - 1);
	return 0;
}

/* The start of the clause that holds s[a]: after the comma before it. */
static inline __attribute__((always_inline)) size_t
clause_start(const struct clauses *c, size_t a)
{
	if (!c->listed)
		return walk_back(c->s, a);
	return start_before(c, lower_bound(c->mark, c->first, c->end,
	    c->base + a), a);
}

/* The end of the clause that goes on at s[i]: before its comma or stop. */
static inline __attribute__((always_inline)) size_t
clause_end(const struct clauses *c, size_t i)
{
	size_t k;

	if (!c->listed)
		return walk_on(c->s, c->n, i);
	k = lower_bound(c->mark, c->first, c->end, c->base + i);
	return k < c->end ? c->mark[k] - c->base : c->n;
}

/* Do s[cb..a) and s[b..ce) say something: two Han characters? */
static inline __attribute__((always_inline)) int
says(const char *s, size_t cb, size_t a, size_t b, size_t ce)
{
	int k = nhan(s, cb, a);

	return k >= 2 || k + nhan(s, b, ce) >= 2;
}

/*
 * The context of s[a..b) (see sent_context) with the marks of c.  With
 * the marks listed, the first mark at a or after is found from the first
 * at b or after, stepping back over those inside the figure (seldom any).
 */
static inline __attribute__((always_inline)) void
context(const struct clauses *c, size_t a, size_t b, size_t *cb, size_t *ce)
{
	const char *s = c->s;
	size_t n = c->n, l, k;
	uint32_t cp;
	int enough;

	if (c->listed) {
		k = lower_bound(c->mark, c->first, c->end, c->base + b);
		*ce = k < c->end ? c->mark[k] - c->base : n;
		while (k > c->first && c->mark[k - 1] >= c->base + a)
			k--;
		*cb = start_before(c, k, a);
	} else {
		*ce = clause_end(c, b);
		*cb = clause_start(c, a);
	}
	enough = says(s, *cb, a, b, *ce);
	/* "7814人" of "3560户、7814人": say what it counts */
	while (*cb > 0 && !enough) {
		*cb = clause_start(c, back(s, *cb));
		enough = says(s, *cb, a, b, *ce);
	}
	/* "2025年，我们将...": or what follows */
	while (*ce < n && !enough &&
	    (l = clean_u8(s + *ce, n - *ce, &cp)) > 0 && is_comma(cp)) {
		*ce = clause_end(c, *ce + l);
		enough = says(s, *cb, a, b, *ce);
	}
	while (*cb < a && (l = clean_u8(s + *cb, a - *cb, &cp)) > 0 &&
	    (is_space(cp) || is_comma(cp)))
		*cb += l;
	while (*ce > b && (l = space_before(s, *ce)) > 0)
		*ce -= l;
}

void
sent_context(const char *s, size_t n, size_t a, size_t b, size_t *cb,
    size_t *ce)
{
	struct clauses c = { s, n, 0, NULL, 0, 0, 0 };

	context(&c, a, b, cb, ce);
}

void
sent_clause(const struct sent_line *sl, const char *s, size_t k, size_t a,
    size_t b, size_t *cb, size_t *ce)
{
	size_t sb = k > 0 ? sl->sent[k - 1].end : 0;
	struct clauses c = { s + sb, sl->sent[k].end - sb, 1, sl->mark,
		k > 0 ? sl->sent[k - 1].nmarks : 0, sl->sent[k].nmarks, sb };

	context(&c, a, b, cb, ce);
}
