/*
 * clean: text as republished reports carry it, made fit to read, with a
 * map back to the source.
 *
 * Web copies of Chinese reports carry pinyin after characters (長(zhǎng),
 * 場(chǎng)次), doubled punctuation (",、" ",,"), ASCII commas used as
 * Chinese commas and footnote markers glued to figures ("就业[7]1267").
 * clean_line removes or mends these in one line of text and keeps a map
 * from each offset of the cleaned text to the source, so that a figure
 * found in the cleaned text can be shown as the source spells it.
 *
 * Also here: clean_check, which tells text from binary, and the OpenCC
 * conversion to simplified characters.
 */
#ifndef WY_CLEAN_H
#define WY_CLEAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util.h"

/*
 * A point of the map where the cleaned text and the source stop running
 * side by side.  From `at` on (up to the next point), cleaned offset
 * at + k is source offset src + k.
 */
struct clean_pt {
	size_t at;     /* offset in the cleaned text */
	size_t src;    /* source offset of the character that starts at `at` */
	size_t srcend; /* source offset where the character ending at `at`
			  ends, with the pinyin annotated to it */
};

struct clean {
	char *buf; /* the cleaned text, len bytes (not NUL-terminated) */
	size_t len, cap;
	int escapes; /* the line holds TAB, CR or \, which TSV escapes */
	struct clean_pt *pt;
	size_t npt, ptcap;
	size_t *marks; /* offsets in buf of its clause and sentence marks */
	size_t nmarks, markcap;
};

/*
 * Clean s[0..n), one line of UTF-8 text (a final LF stays), into c->buf,
 * replacing what c held; c starts zeroed and is reused line after line.
 *   - "(zhǎng)" or "（zhǎng）" right after a Han character: removed
 *     (lowercase pinyin letters with or without tone marks, 2 to 24 of
 *     them, in up to 4 syllables parted by spaces or apostrophes);
 *   - "[7]" or "［7］" (one to three digits): a footnote marker, removed;
 *   - a run of punctuation marks among , ; ， 、 。 ； ！ ？ becomes its
 *     strongest mark (。！？ over ；; over 、 over ，,): ",、" is "、",
 *     ",," is "，", ",;" is "；"; a lone ASCII comma or semicolon becomes
 *     "，" or "；", a comma unless it stands between two digits (1,234);
 *   - CR and U+FEFF (a BOM) are removed.
 * c->escapes tells whether s holds a TAB, CR or backslash (a writer of
 * TSV that knows it does not copies text of the line as it is).
 * c->marks lists, in order, where the cleaned text has a mark that parts
 * clauses or ends a sentence, ， 、 。 ！ ？ ； ! ? ; or LF, noted on the
 * way so that sent_split_marks (lib/sent.h) need not look for them.
 * Offsets are source offsets relative to s.  Invalid UTF-8 is copied
 * byte by byte.  Returns 0, or -1 with e set (out of memory).
 */
int clean_line(struct clean *c, const char *s, size_t n, struct wy_err *e);

/* Source offset of the character that starts at cleaned offset at. */
size_t clean_src_start(const struct clean *c, size_t at);

/*
 * Source offset where the character that ends at cleaned offset at ends,
 * including a pinyin annotation written after it.
 */
size_t clean_src_end(const struct clean *c, size_t at);

void clean_free(struct clean *c);

/*
 * Is s[0..n) text: valid UTF-8 without NUL bytes?  Returns 0, or -1 with
 * *line (from 1) and *why ("invalid UTF-8", "a NUL byte: binary data")
 * set for the first fault.
 */
int clean_check(const char *s, size_t n, long *line, const char **why);

/*
 * The character at s[0] (n > 0): its code point in *cp and its length;
 * a byte that starts no valid UTF-8 character is U+FFFD of length 1.
 * ASCII and the three bytes of most Chinese are decoded inline.
 */
size_t clean_u8_slow(const char *s, size_t n, uint32_t *cp);

static inline size_t
clean_u8(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	/* E1-EC, EE, EF and any two continuation bytes: always valid */
	if (((u[0] >= 0xe1 && u[0] <= 0xec) || u[0] == 0xee || u[0] == 0xef) &&
	    n >= 3 && (u[1] & 0xc0) == 0x80 && (u[2] & 0xc0) == 0x80) {
		*cp = (uint32_t)(u[0] & 0x0f) << 12 | (uint32_t)(u[1] & 0x3f) << 6 |
		    (u[2] & 0x3f);
		return 3;
	}
	return clean_u8_slow(s, n, cp);
}

/* Is cp a Han character (CJK ideographs, extensions, compatibility)? */
int clean_is_han(uint32_t cp);

/*
 * Code points in the UTF-8 text s[0..n): the bytes that are no
 * continuation bytes (10xxxxxx), 8 and then 4 at a time.  Inline, for
 * the short spans between the figures of a line (lib/facts).
 */
static inline size_t
clean_ncp(const char *s, size_t n)
{
	size_t k = 0, i = 0;
	uint64_t w;
	uint32_t h;

	for (; n - i >= 8; i += 8) {
		memcpy(&w, s + i, 8);
		w = (w & ~(w << 1) & WY_HIGHS) >> 7;
		k += 8 - (size_t)((w * WY_ONES) >> 56);
	}
	if (n - i >= 4) {
		memcpy(&h, s + i, 4);
		h = (h & ~(h << 1) & 0x80808080u) >> 7;
		k += 4 - (size_t)((h * 0x01010101u) >> 24);
		i += 4;
	}
	for (; i < n; i++)
		k += ((unsigned char)s[i] & 0xc0) != 0x80;
	return k;
}

/*
 * Traditional to simplified characters with OpenCC's t2s.json.
 * clean_t2s_open returns a handle, or NULL with e set (WY_EXIT_USAGE:
 * the configuration cannot be loaded).  clean_t2s converts s[0..n) into
 * *out (malloc'd, NUL-terminated, *outlen bytes; free it with free());
 * returns 0, or -1 with e set.
 */
struct clean_t2s;
struct clean_t2s *clean_t2s_open(struct wy_err *e);
int clean_t2s(struct clean_t2s *t, const char *s, size_t n, char **out,
    size_t *outlen, struct wy_err *e);
void clean_t2s_close(struct clean_t2s *t);

#endif
