/*
 * sent: sentences end at a few marks, looked for byte by byte; clauses
 * are found by walking back and forth from a figure.
 */
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

size_t
sent_next(const char *s, size_t n)
{
	size_t i = 0, l;
	uint32_t cp;

	while (i < n) {
		unsigned char b = (unsigned char)s[i];

		/* only \n ! ; ? and the lead bytes of 。 and ！？； matter */
		if (b >= 0xe4 && b <= 0xe9) {
			i += n - i >= 3 ? 3 : 1;
			continue;
		}
		if (b != '\n' && b != '!' && b != ';' && b != '?' && b != 0xe3 &&
		    b != 0xef) {
			i++;
			continue;
		}
		l = clean_u8(s + i, n - i, &cp);
		i += l;
		if (!is_stop(cp))
			continue;
		while (i < n && (l = clean_u8(s + i, n - i, &cp)) > 0 &&
		    (is_stop(cp) || is_closing(cp) || cp == '\r'))
			i += l;
		return i;
	}
	return n;
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
static size_t
back(const char *s, size_t i)
{
	size_t j = i - 1;

	while (j > 0 && i - j < 4 && ((unsigned char)s[j] & 0xc0) == 0x80)
		j--;
	return j;
}

/* Bytes of the space that ends s[0..e), or 0. */
static size_t
space_before(const char *s, size_t e)
{
	size_t j = back(s, e);
	uint32_t cp;

	clean_u8(s + j, e - j, &cp);
	return is_space(cp) ? e - j : 0;
}

/* Han characters in s[i..j), counted up to 2. */
static int
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

/* The start of the clause that holds s[a]: after the comma before it. */
static size_t
clause_start(const char *s, size_t a)
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

/* The end of the clause that goes on at s[i]: before its comma or stop. */
static size_t
clause_end(const char *s, size_t n, size_t i)
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

void
sent_context(const char *s, size_t n, size_t a, size_t b, size_t *cb,
    size_t *ce)
{
	size_t l;
	uint32_t cp;

	*ce = clause_end(s, n, b);
	*cb = clause_start(s, a);
	/* "7814人" of "3560户、7814人": say what it counts */
	while (*cb > 0 && nhan(s, *cb, a) + nhan(s, b, *ce) < 2)
		*cb = clause_start(s, back(s, *cb));
	/* "2025年，我们将...": or what follows */
	while (*ce < n && nhan(s, *cb, a) + nhan(s, b, *ce) < 2 &&
	    (l = clean_u8(s + *ce, n - *ce, &cp)) > 0 && is_comma(cp))
		*ce = clause_end(s, n, *ce + l);
	while (*cb < a && (l = clean_u8(s + *cb, a - *cb, &cp)) > 0 &&
	    (is_space(cp) || is_comma(cp)))
		*cb += l;
	while (*ce > b && (l = space_before(s, *ce)) > 0)
		*ce -= l;
}
