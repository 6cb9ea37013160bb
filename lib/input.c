#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "input.h"

#define RAWCAP (256u << 10)

/* One sequence at s[i] (i < n): its length if valid, else 0. */
static size_t
utf8_seq(const unsigned char *s, size_t i, size_t n)
{
	unsigned c = s[i], lo = 0x80, hi = 0xbf;
	size_t len;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
	else
		return 0;
	if (n - i < len || s[i + 1] < lo || s[i + 1] > hi)
		return 0;
	for (size_t k = 2; k < len; k++)
		if ((s[i + k] & 0xc0) != 0x80)
			return 0;
	return len;
}

/*
 * RFC 3629's table (no overlong forms, surrogates or code points past
 * U+10FFFF), with two fast paths for what statistics are made of: runs of
 * ASCII, skipped 8 bytes at a time, and the 3-byte sequences of CJK text,
 * checked with one load (little-endian byte order assumed, as on x86 and
 * arm64; other machines take the general path).
 */
size_t
utf8_valid_prefix(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, len;
	uint64_t w;
	uint32_t v;

	while (i < n) {
		if (s[i] < 0x80) {
			/* skip the whole ASCII run */
			i++;
			while (i + 8 <= n) {
				memcpy(&w, s + i, 8);
				if ((w &= WY_HIGHS) != 0) {
					i += __builtin_ctzll(w) / 8;
					break;
				}
				i += 8;
			}
			continue;
		}
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		if (i + 4 <= n) {
			memcpy(&v, s + i, 4);
			/* lead E1-EC or EE-EF: no overlong or surrogate check needed */
			if ((v & 0xc0c0f0) == 0x8080e0 && (v & 0xff) != 0xe0 &&
			    (v & 0xff) != 0xed) {
				i += 3;
				continue;
			}
		}
#endif
		if ((len = utf8_seq(s, i, n)) == 0)
			return i;
		i += len;
	}
	return n;
}

/*
 * Is this block UTF-8?  Invalid sequences are counted against valid
 * multibyte ones, so one corrupt byte in a UTF-8 file stays UTF-8 (and is
 * reported where it is), while GBK text, which rarely forms valid UTF-8,
 * is not.  A sequence cut by the end of the block is not held against it.
 */
static int
looks_utf8(const char *s, size_t n, int at_eof)
{
	size_t i = 0, nvalid = 0, nbad = 0;

	while (i < n) {
		size_t ok = utf8_valid_prefix(s + i, n - i);

		for (size_t k = i; k < i + ok; k++)
			nvalid += ((unsigned char)s[k] & 0xc0) == 0xc0;
		i += ok;
		if (i == n)
			break;
		if (!at_eof && n - i < 4)
			break;
		nbad++;
		i++;
	}
	return nbad == 0 || nvalid >= 4 * nbad;
}

static int
fill_raw(struct input *in, struct wy_err *e)
{
	int n, errnum;
	const char *msg;

	if (in->rawpos > 0) {
		memmove(in->raw, in->raw + in->rawpos, in->rawlen - in->rawpos);
		in->rawlen -= in->rawpos;
		in->rawpos = 0;
	}
	while (!in->eof && in->rawlen < RAWCAP) {
		n = gzread(in->gz, in->raw + in->rawlen, RAWCAP - in->rawlen);
		if (n < 0) {
			msg = gzerror(in->gz, &errnum);
			if (errnum == Z_ERRNO)
				return wy_syserr(e, errno, "%s: read error", in->name);
			return wy_errf(e, WY_EXIT_DATA, "%s: corrupt gzip data: %s",
			    in->name, msg);
		}
		if (n == 0) {
			/* zlib tells of a cut-off member only through gzerror */
			gzerror(in->gz, &errnum);
			if (errnum == Z_BUF_ERROR)
				return wy_errf(e, WY_EXIT_DATA,
				    "%s: truncated gzip data", in->name);
			in->eof = 1;
			break;
		}
		in->rawlen += n;
		in->nraw += n;
		if (in->rawlen >= INPUT_SNIFF)
			break;
	}
	return 0;
}

/* Pick the decoder from a BOM or from the first block. */
static const char *
guess(struct input *in)
{
	const unsigned char *r = (const unsigned char *)in->raw;
	size_t n = in->rawlen;

	if (n >= 3 && r[0] == 0xef && r[1] == 0xbb && r[2] == 0xbf) {
		in->rawpos = 3;
		return "UTF-8";
	}
	if (n >= 2 && r[0] == 0xff && r[1] == 0xfe) {
		in->rawpos = 2;
		return "UTF-16LE";
	}
	if (n >= 2 && r[0] == 0xfe && r[1] == 0xff) {
		in->rawpos = 2;
		return "UTF-16BE";
	}
	return looks_utf8(in->raw, n, in->eof) ? "UTF-8" : "GB18030";
}

static const char *
canonical(const char *enc)
{
	static const char *const gb[] = { "gbk", "gb2312", "cp936", "gb18030" };

	for (size_t i = 0; i < sizeof gb / sizeof *gb; i++)
		if (strcasecmp(enc, gb[i]) == 0)
			return "GB18030";
	if (strcasecmp(enc, "utf8") == 0 || strcasecmp(enc, "utf-8") == 0)
		return "UTF-8";
	return enc;
}

int
input_start(struct input *in, int fd, const char *name, struct wy_err *e)
{
	memset(in, 0, sizeof *in);
	in->name = name;
	in->cd = (iconv_t)-1;
	if ((in->gz = gzdopen(fd, "rb")) == NULL) {
		close(fd);
		return wy_errf(e, WY_EXIT_IO, "%s: out of memory", name);
	}
	gzbuffer(in->gz, 128u << 10);
	if ((in->raw = malloc(RAWCAP)) == NULL) {
		wy_errf(e, WY_EXIT_IO, "out of memory");
		goto fail;
	}
	if (fill_raw(in, e) < 0)
		goto fail;
	in->gzipped = !gzdirect(in->gz);
	return 0;
fail:
	input_close(in, &(struct wy_err){ 0 });
	return -1;
}

int
input_decode(struct input *in, const char *encoding, struct wy_err *e)
{
	in->encoding = encoding ? canonical(encoding) : guess(in);
	if (encoding && strcmp(in->encoding, "UTF-8") == 0 && in->rawlen >= 3 &&
	    memcmp(in->raw, "\xef\xbb\xbf", 3) == 0)
		in->rawpos = 3;
	if (strcmp(in->encoding, "UTF-8") != 0) {
		in->cd = iconv_open("UTF-8", in->encoding);
		if (in->cd == (iconv_t)-1)
			return wy_errf(e, WY_EXIT_USAGE, "unknown encoding \"%s\"",
			    encoding ? encoding : in->encoding);
	}
	return 0;
}

int
input_open(struct input *in, int fd, const char *name, const char *encoding,
    struct wy_err *e)
{
	if (input_start(in, fd, name, e) < 0)
		return -1;
	if (input_decode(in, encoding, e) < 0) {
		input_close(in, &(struct wy_err){ 0 });
		return -1;
	}
	return 0;
}

ssize_t
input_raw_read(struct input *in, char *buf, size_t cap, struct wy_err *e)
{
	size_t n;

	if (in->rawpos == in->rawlen) {
		if (in->eof)
			return 0;
		in->rawpos = in->rawlen = 0;
		if (fill_raw(in, e) < 0)
			return -1;
	}
	n = in->rawlen - in->rawpos;
	if (n > cap)
		n = cap;
	memcpy(buf, in->raw + in->rawpos, n);
	in->rawpos += n;
	return n;
}

static long
count_lf(const char *s, size_t n)
{
	long k = 0;
	const char *end = s + n;

	while ((s = memchr(s, '\n', end - s)) != NULL) {
		k++;
		s++;
	}
	return k;
}

static ssize_t
decode(struct input *in, char *buf, size_t cap, struct wy_err *e)
{
	char *src = in->raw + in->rawpos, *dst = buf;
	size_t srclen = in->rawlen - in->rawpos, dstlen = cap;
	size_t rc = iconv(in->cd, &src, &srclen, &dst, &dstlen);
	size_t got = dst - buf;

	in->rawpos = src - in->raw;
	in->lines += count_lf(buf, got);
	if (rc == (size_t)-1 && errno == EILSEQ && got == 0)
		return wy_errf(e, WY_EXIT_DATA, "%s:%ld: bytes that are not %s",
		    in->name, in->lines + 1, in->encoding);
	if (rc == (size_t)-1 && errno == EINVAL && got == 0 && in->eof)
		return wy_errf(e, WY_EXIT_DATA, "%s:%ld: a character cut off at the end",
		    in->name, in->lines + 1);
	return got;
}

ssize_t
input_read(struct input *in, char *buf, size_t cap, struct wy_err *e)
{
	for (;;) {
		size_t avail = in->rawlen - in->rawpos;

		if (avail > 0 && in->cd == (iconv_t)-1) {
			size_t n = avail < cap ? avail : cap;

			memcpy(buf, in->raw + in->rawpos, n);
			in->rawpos += n;
			return n;
		}
		if (avail > 0) {
			ssize_t n = decode(in, buf, cap, e);

			if (n != 0)
				return n;
			/* only an incomplete character is left: read more */
		}
		if (in->eof)
			return 0;
		if (fill_raw(in, e) < 0)
			return -1;
		if (in->eof && in->rawlen == in->rawpos)
			return 0;
	}
}

int
input_close(struct input *in, struct wy_err *e)
{
	int rc = 0, zrc;

	if (in->cd != (iconv_t)-1)
		iconv_close(in->cd);
	free(in->raw);
	in->raw = NULL;
	if (in->gz == NULL)
		return 0;
	zrc = gzclose_r(in->gz);
	in->gz = NULL;
	if (zrc == Z_BUF_ERROR)
		rc = wy_errf(e, WY_EXIT_DATA, "%s: truncated gzip data", in->name);
	else if (zrc == Z_ERRNO)
		rc = wy_syserr(e, errno, "%s: read error", in->name);
	else if (zrc != Z_OK)
		rc = wy_errf(e, WY_EXIT_DATA, "%s: corrupt gzip data", in->name);
	return rc;
}
