/*
 * clean: one pass over a line, copying what needs no mending in runs and
 * recording a point of the map wherever the cleaned text and the source
 * part ways.  Han characters are stepped over by their first byte;
 * nothing is decoded but the full-width characters (which may be marks,
 * （ or ［), and nothing more is looked at than ( [ , ; CR, and TAB and
 * backslash, which are only noted.  clean_check goes by the character
 * too, the three bytes of most Chinese at once.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <opencc/opencc.h>

#include "clean.h"

#define CLEAN_PYMAX 24	   /* letters of a pinyin annotation */
#define CLEAN_PYSYL 4	   /* its syllables */
#define CLEAN_NOTEMAX 3	   /* digits of a footnote marker */
#define CLEAN_LIMIT ((size_t)-1 / 4) /* bytes of a cleaned line */

/* The punctuation marks a run of which becomes one, and their strength. */
enum { P_COMMA, P_ENUM, P_SEMI, P_STOP };

size_t
clean_u8_slow(const char *s, size_t n, uint32_t *cp)
{
	size_t l = wy_u8dec((const unsigned char *)s, n, cp);

	if (l == 0) {
		*cp = 0xfffd;
		l = 1;
	}
	return l;
}

/* The character at s[i]. */
static size_t
decode(const char *s, size_t n, size_t i, uint32_t *cp)
{
	return clean_u8(s + i, n - i, cp);
}

int
clean_is_han(uint32_t cp)
{
	return (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) ||
	    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x3134f);
}

/* A letter of pinyin: a-z, ü, and the vowels with tone marks. */
static int
is_pinyin(uint32_t cp)
{
	static const uint32_t marked[] = {
		0x101, 0xe1, 0x1ce, 0xe0, 0x113, 0xe9, 0x11b, 0xe8, 0x12b,
		0xed, 0x1d0, 0xec, 0x14d, 0xf3, 0x1d2, 0xf2, 0x16b, 0xfa,
		0x1d4, 0xf9, 0x1d6, 0x1d8, 0x1da, 0x1dc, 0xfc
	};

	if (cp >= 'a' && cp <= 'z')
		return 1;
	for (size_t k = 0; k < sizeof(marked) / sizeof(marked[0]); k++)
		if (cp == marked[k])
			return 1;
	return 0;
}

static int
is_vowel(uint32_t cp)
{
	return cp == 'a' || cp == 'e' || cp == 'i' || cp == 'o' || cp == 'u' ||
	    cp == 'v' || cp > 0x7f;
}

/* Bytes of "(zhǎng)" or "（zhǎng）" at s[i], or 0 when none is there. */
static size_t
pinyin_at(const char *s, size_t n, size_t i)
{
	size_t j, close = 0;
	int letters = 0, vowels = 0, syl = 1, gap = 0;
	uint32_t cp;

	if (s[i] == '(')
		j = i + 1;
	else if (n - i >= 3 && memcmp(s + i, "（", 3) == 0)
		j = i + 3;
	else
		return 0;
	while (j < n) {
		size_t l = decode(s, n, j, &cp);

		if (cp == ')' || cp == 0xff09) {
			close = j + l;
			break;
		}
		if (cp == ' ' || cp == '\'') {
			if (gap || letters == 0 || ++syl > CLEAN_PYSYL)
				return 0;
			gap = 1;
		} else if (is_pinyin(cp)) {
			if (++letters > CLEAN_PYMAX)
				return 0;
			vowels += is_vowel(cp);
			gap = 0;
		} else {
			return 0;
		}
		j += l;
	}
	if (close == 0 || gap || letters < 2 || vowels == 0)
		return 0;
	return close - i;
}

/* Bytes of a footnote marker "[7]" or "［7］" at s[i], or 0. */
static size_t
note_at(const char *s, size_t n, size_t i)
{
	size_t j, ol = s[i] == '[' ? 1 : 3;
	int nd = 0;

	if (ol == 3 && (n - i < 3 || memcmp(s + i, "［", 3) != 0))
		return 0;
	for (j = i + ol; j < n && s[j] >= '0' && s[j] <= '9'; j++)
		if (++nd > CLEAN_NOTEMAX)
			return 0;
	if (nd == 0)
		return 0;
	if (ol == 1)
		return j < n && s[j] == ']' ? j + 1 - i : 0;
	return n - j >= 3 && memcmp(s + j, "］", 3) == 0 ? j + 3 - i : 0;
}

/* The strength of the full-width mark cp, or -1. */
static int
wide_strength(uint32_t cp)
{
	switch (cp) {
	case 0xff0c: return P_COMMA;	/* ， */
	case 0x3001: return P_ENUM;	/* 、 */
	case 0xff1b: return P_SEMI;	/* ； */
	case 0x3002: case 0xff01: case 0xff1f:
		return P_STOP;		/* 。！？ */
	}
	return -1;
}

/* The strength of the mark at s[i] (*len bytes), or -1. */
static int
punct_at(const char *s, size_t n, size_t i, size_t *len)
{
	uint32_t cp;

	*len = decode(s, n, i, &cp);
	switch (cp) {
	case ',':
		/* 1,234: a thousands separator, not a mark */
		if (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9' && i + 1 < n &&
		    s[i + 1] >= '0' && s[i + 1] <= '9')
			return -1;
		return P_COMMA;
	case ';': return P_SEMI;
	}
	return wide_strength(cp);
}

/* A mark of c->marks (see clean.h) at cleaned offset at. */
static void
note_mark(struct clean *c, size_t at)
{
	c->marks[c->nmarks++] = at;
}

/* Make room for need bytes of text and one more point of the map. */
static int
room(struct clean *c, size_t need, struct wy_err *e)
{
	size_t ptbytes = c->ptcap * sizeof *c->pt;

	if (wy_grow(&c->buf, &c->cap, c->len + need, CLEAN_LIMIT, e) < 0)
		return -1;
	if (c->npt < c->ptcap)
		return 0;
	if (wy_grow(&c->pt, &ptbytes, (c->npt + 1) * sizeof *c->pt,
	    CLEAN_LIMIT, e) < 0)
		return -1;
	c->ptcap = ptbytes / sizeof *c->pt;
	return 0;
}

/* Room for as many marks as a line of n bytes may hold. */
static int
marks_room(struct clean *c, size_t n, struct wy_err *e)
{
	size_t bytes = c->markcap * sizeof *c->marks;

	if (n < c->markcap)
		return 0;
	if (wy_grow(&c->marks, &bytes, (n + 1) * sizeof *c->marks,
	    CLEAN_LIMIT, e) < 0)
		return -1;
	c->markcap = bytes / sizeof *c->marks;
	return 0;
}

/* Source offset of cleaned offset at, by the last point (at >= its at). */
static size_t
linear(const struct clean_pt *p, size_t at)
{
	return p->src + (at - p->at);
}

/*
 * The source has moved on to src while the cleaned text stands at c->len;
 * srcend is where the character before ends in the source (see clean.h).
 */
static void
mark(struct clean *c, size_t src, size_t srcend)
{
	struct clean_pt *last = &c->pt[c->npt - 1];

	if (last->at == c->len) {
		last->src = src;
		last->srcend = srcend;
		return;
	}
	c->pt[c->npt].at = c->len;
	c->pt[c->npt].src = src;
	c->pt[c->npt].srcend = srcend;
	c->npt++;
}

/* Where the character before the cleaned text's end ends in the source. */
static size_t
end_here(const struct clean *c)
{
	const struct clean_pt *last = &c->pt[c->npt - 1];

	return last->at == c->len ? last->srcend : linear(last, c->len);
}

/* The last character of the cleaned text, or 0. */
static uint32_t
last_char(const struct clean *c)
{
	size_t i = c->len;
	uint32_t cp = 0;

	while (i > 0 && c->len - i < 4) {
		i--;
		if (((unsigned char)c->buf[i] & 0xc0) != 0x80)
			break;
	}
	if (i < c->len)
		decode(c->buf, c->len, i, &cp);
	return cp;
}

/* A run of marks at s[i]: write its strongest; returns the bytes read. */
static size_t
punct_run(struct clean *c, const char *s, size_t n, size_t i)
{
	size_t j = i, len, best = i, bestlen = 0, nmarks = 0;
	int k, strength = -1;

	while (j < n && (k = punct_at(s, n, j, &len)) >= 0) {
		if (k > strength) {
			strength = k;
			best = j;
			bestlen = len;
		}
		nmarks++;
		j += len;
	}
	if (nmarks == 1 && s[i] != ',' && s[i] != ';') {
		note_mark(c, c->len);
		memcpy(c->buf + c->len, s + i, len);
		c->len += len;
		return len;
	}
	note_mark(c, c->len);
	if (s[best] == ',' || s[best] == ';') {
		memcpy(c->buf + c->len, s[best] == ',' ? "，" : "；", 3);
		c->len += 3;
	} else {
		memcpy(c->buf + c->len, s + best, bestlen);
		c->len += bestlen;
	}
	mark(c, j, j);
	return j - i;
}

/*
 * How to step over a byte of text that needs no mending (see clean_line):
 * 0 for the bytes that may start something to mend, \r ( , ; [ and E3
 * and EF (the first bytes of full-width marks), for TAB and \, which
 * TSV escapes (see clean.h), and for ! ? LF, marks to note; 3 for the
 * first bytes of Han characters, E4 to E9; 1 for the others.
 */
static const unsigned char copy_step[256] = {
	[0x00 ... '\t' - 1] = 1, ['\v' ... '\r' - 1] = 1,
	['\r' + 1 ... '!' - 1] = 1, ['!' + 1 ... '(' - 1] = 1,
	['(' + 1 ... ',' - 1] = 1, [',' + 1 ... ';' - 1] = 1,
	[';' + 1 ... '?' - 1] = 1, ['?' + 1 ... '[' - 1] = 1,
	['\\' + 1 ... 0xe2] = 1, [0xe4 ... 0xe9] = 3, [0xea ... 0xee] = 1,
	[0xf0 ... 0xff] = 1
};

/*
 * The bytes of the character at s[i] (E3 or EF first) when it needs no
 * mending, or 0: （ and ［ may open pinyin or a footnote marker, U+FEFF
 * goes, and a mark followed by another is a run to mend.  A mark that
 * needs none is noted: at is where the character goes in c->buf.
 */
static size_t
plain_wide(struct clean *c, const char *s, size_t n, size_t i, size_t at)
{
	size_t len, next;
	uint32_t cp;

	len = decode(s, n, i, &cp);
	if (cp == 0xff08 || cp == 0xff3b || cp == 0xfeff)
		return 0;
	if (wide_strength(cp) < 0)
		return len;
	if (i + len < n && punct_at(s, n, i + len, &next) >= 0)
		return 0;
	note_mark(c, at);
	return len;
}

/*
 * The end of the text from s[i] on that needs no mending, which goes to
 * c->buf from c->len on.
 */
static size_t
plain_run(struct clean *c, const char *s, size_t n, size_t i)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t k, from = i, lim = n > 2 ? n - 2 : 0; /* 3 bytes left below lim */

	for (;;) {
		while (i < lim && (k = copy_step[u[i]]) != 0)
			i += k;
		while (i < n && (k = copy_step[u[i]]) != 0)
			i += k == 3 ? 1 : k;
		if (i == n || (u[i] != 0xe3 && u[i] != 0xef) ||
		    (k = plain_wide(c, s, n, i, c->len + (i - from))) == 0)
			return i;
		i += k;
	}
}

/* What to do at s[i], where plain_run stopped: returns the bytes consumed. */
static size_t
mend(struct clean *c, const char *s, size_t n, size_t i)
{
	size_t skip, len;
	uint32_t cp;

	if (s[i] == '\t' || s[i] == '\\' || s[i] == '\r')
		c->escapes = 1;
	if ((s[i] == '(' || s[i] == (char)0xef) && clean_is_han(last_char(c)) &&
	    (skip = pinyin_at(s, n, i)) > 0) {
		mark(c, i + skip, i + skip);
		return skip;
	}
	if ((s[i] == '[' || s[i] == (char)0xef) && (skip = note_at(s, n, i)) > 0) {
		mark(c, i + skip, end_here(c));
		return skip;
	}
	if (punct_at(s, n, i, &len) >= 0)
		return punct_run(c, s, n, i);
	len = decode(s, n, i, &cp);
	if (cp == '\r' || cp == 0xfeff) {
		mark(c, i + len, end_here(c));
		return len;
	}
	if (cp == '!' || cp == '?' || cp == '\n')
		note_mark(c, c->len);
	memcpy(c->buf + c->len, s + i, len);
	c->len += len;
	return len;
}

int
clean_line(struct clean *c, const char *s, size_t n, struct wy_err *e)
{
	size_t i = 0;

	c->len = 0;
	c->npt = 0;
	c->escapes = 0;
	c->nmarks = 0;
	/*
	 * The cleaned line is never longer than 3 bytes per source byte, and
	 * holds fewer marks than that.
	 */
	if (room(c, n * 3 + 4, e) < 0 || marks_room(c, n, e) < 0)
		return -1;
	c->pt[0].at = c->pt[0].src = c->pt[0].srcend = 0;
	c->npt = 1;
	while (i < n) {
		size_t j = plain_run(c, s, n, i);

		memcpy(c->buf + c->len, s + i, j - i);
		c->len += j - i;
		if (j == n)
			break;
		if (c->npt == c->ptcap && room(c, 0, e) < 0)
			return -1;
		i = j + mend(c, s, n, j);
	}
	return 0;
}

/* The last point at or before cleaned offset at. */
static const struct clean_pt *
point(const struct clean *c, size_t at)
{
	size_t lo = 0, hi = c->npt;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->pt[mid].at <= at)
			lo = mid;
		else
			hi = mid;
	}
	return &c->pt[lo];
}

size_t
clean_src_start(const struct clean *c, size_t at)
{
	return linear(point(c, at), at);
}

size_t
clean_src_end(const struct clean *c, size_t at)
{
	const struct clean_pt *p = point(c, at);

	return p->at == at ? p->srcend : linear(p, at);
}

void
clean_free(struct clean *c)
{
	free(c->buf);
	free(c->pt);
	free(c->marks);
	memset(c, 0, sizeof *c);
}

/*
 * What u8valid does with a byte that starts a character: 1 for ASCII, 3
 * for the first bytes of the three-byte characters that are valid with
 * any two continuation bytes after them (E1-EC, EE, EF: most Chinese),
 * 0 for the rest, which wy_u8dec decodes.
 */
static const unsigned char u8fast[256] = {
	[0x00 ... 0x7f] = 1, [0xe1 ... 0xec] = 3, [0xee ... 0xef] = 3
};

/* Where s[0..n) stops being UTF-8: the start of the bad character, or n. */
static size_t
u8valid(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, l, lim = n > 2 ? n - 2 : 0; /* 3 bytes left below lim */
	uint32_t cp;
	uint16_t cont, cont2;

	for (;;) {
		while (i < lim) {
			unsigned k = u8fast[u[i]];

			if (k == 1) {
				i++;
				continue;
			}
			/* two characters of three bytes at once, the most common */
			if (k == 3 && n - i >= 6 && u8fast[u[i + 3]] == 3) {
				memcpy(&cont, u + i + 1, 2);
				memcpy(&cont2, u + i + 4, 2);
				if ((((cont ^ 0x8080) | (cont2 ^ 0x8080)) & 0xc0c0) == 0) {
					i += 6;
					continue;
				}
			}
			memcpy(&cont, u + i + 1, 2);
			if (k != 3 || (cont & 0xc0c0) != 0x8080)
				break;
			i += 3;
		}
		if (i == n)
			return n;
		if ((l = wy_u8dec(u + i, n - i, &cp)) == 0)
			return i;
		i += l;
	}
}

int
clean_check(const char *s, size_t n, long *line, const char **why)
{
	const char *nul = n > 0 ? memchr(s, '\0', n) : NULL;
	size_t bad = u8valid(s, nul != NULL ? (size_t)(nul - s) : n);

	*line = 1;
	if (bad == n)
		return 0;
	*why = nul != NULL && bad == (size_t)(nul - s) ?
	    "a NUL byte: binary data, not text" : "invalid UTF-8";
	for (const char *p = s; (p = memchr(p, '\n', bad - (size_t)(p - s))) != NULL;
	    p++)
		(*line)++;
	return -1;
}

struct clean_t2s {
	opencc_t cc;
};

struct clean_t2s *
clean_t2s_open(struct wy_err *e)
{
	struct clean_t2s *t = malloc(sizeof *t);

	if (t == NULL) {
		wy_errf(e, WY_EXIT_IO, "out of memory");
		return NULL;
	}
	t->cc = opencc_open("t2s.json");
	if (t->cc == (opencc_t)-1) {
		wy_errf(e, WY_EXIT_USAGE, "cannot load OpenCC's t2s.json: %s",
		    opencc_error());
		free(t);
		return NULL;
	}
	return t;
}

int
clean_t2s(struct clean_t2s *t, const char *s, size_t n, char **out,
    size_t *outlen, struct wy_err *e)
{
	char *conv = opencc_convert_utf8(t->cc, s, n);

	if (conv == NULL)
		return wy_errf(e, WY_EXIT_IO, "OpenCC: %s", opencc_error());
	*outlen = strlen(conv);
	*out = malloc(*outlen + 1);
	if (*out != NULL)
		memcpy(*out, conv, *outlen + 1);
	opencc_convert_utf8_free(conv);
	if (*out == NULL)
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	return 0;
}

void
clean_t2s_close(struct clean_t2s *t)
{
	if (t == NULL)
		return;
	opencc_close(t->cc);
	free(t);
}
