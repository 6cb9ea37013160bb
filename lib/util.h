/*
 * util: the error record every lib function fills, and checked allocation.
 *
 * lib never prints and never exits: a function that fails fills a struct
 * wy_err with the exit status the tool should end with and a message in the
 * house's words, and returns -1.  cmd/ decides what to do with it.
 */
#ifndef WY_UTIL_H
#define WY_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Exit statuses, the same table in every man page. */
enum {
	WY_EXIT_OK = 0,
	WY_EXIT_DATA = 1,  /* bad data: a bad row, rejects past --max-errors, corrupt input */
	WY_EXIT_USAGE = 2, /* usage or configuration */
	WY_EXIT_IO = 3	   /* I/O or system error, out of memory */
};

#define WY_ERRMAX 1024

struct wy_err {
	int exit;	     /* one of WY_EXIT_* */
	char msg[WY_ERRMAX]; /* "sales.csv:42: row has 7 fields, header has 9" */
};

/* Fill e with status and printf-style message; returns -1 for `return wy_errf(...)`. */
int wy_errf(struct wy_err *e, int exitcode, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* As wy_errf, then append ": " and strerror(errnum). */
int wy_syserr(struct wy_err *e, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Grow *buf (of *cap bytes) to hold at least need bytes, doubling.
 * Returns 0, or -1 with e set (WY_EXIT_IO, "out of memory") when need
 * passes limit or malloc fails; *buf is left valid either way.
 */
int wy_grow(void *buf, size_t *cap, size_t need, size_t limit, struct wy_err *e);

/*
 * Word-at-a-time byte tests (SWAR): a word whose bytes are all ASCII, and
 * a word holding a byte equal to c.  The hot loops of the readers and the
 * writer use them to skip 8 ordinary bytes at a time.
 */
#define WY_ONES 0x0101010101010101ull
#define WY_HIGHS 0x8080808080808080ull
#define wy_haszero(x) (((x) - WY_ONES) & ~(x) & WY_HIGHS)
#define wy_hasbyte(x, c) wy_haszero((x) ^ (WY_ONES * (unsigned char)(c)))
/* 0x80 in exactly the bytes of x that are zero (no false positives). */
#define WY_LOWS7 0x7f7f7f7f7f7f7f7full
#define wy_zerobytes(x) (~((((x) & WY_LOWS7) + WY_LOWS7) | (x) | WY_LOWS7))

/*
 * Decode the UTF-8 character at s (n > 0) into *cp; returns its length, or
 * 0 when it is not valid UTF-8 (overlong, surrogate, cut off, past U+10FFFF).
 */
static inline size_t
wy_u8dec(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c = s[0];

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c < 0xc2 || c > 0xf4)
		return 0;
	if (c < 0xe0) {
		if (n < 2 || (s[1] & 0xc0) != 0x80)
			return 0;
		*cp = (c & 0x1f) << 6 | (s[1] & 0x3f);
		return 2;
	}
	if (c < 0xf0) {
		if (n < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		*cp = (c & 0x0f) << 12 | (uint32_t)(s[1] & 0x3f) << 6 |
		    (s[2] & 0x3f);
		return *cp >= 0x800 && (*cp < 0xd800 || *cp > 0xdfff) ? 3 : 0;
	}
	if (n < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
	    (s[3] & 0xc0) != 0x80)
		return 0;
	*cp = (c & 0x07) << 18 | (uint32_t)(s[1] & 0x3f) << 12 |
	    (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
	return *cp >= 0x10000 && *cp <= 0x10ffff ? 4 : 0;
}

/* The display name of a path: "<stdin>" for NULL or "-". */
const char *wy_name(const char *path);

#endif
