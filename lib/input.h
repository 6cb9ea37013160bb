/*
 * input: a file's bytes as UTF-8, whatever Excel saved it as.
 *
 * gzip is undone transparently (detected by its magic bytes, not by name;
 * concatenated members are read whole; a truncated member or bad CRC is an
 * error).  The encoding is taken from a byte-order mark (UTF-8, UTF-16LE,
 * UTF-16BE), else guessed from the first block: bytes that are not UTF-8
 * are GB18030, the default CSV of Chinese Windows Excel (GBK and GB2312
 * are subsets of it).  Anything but UTF-8 goes through iconv.
 */
#ifndef WY_INPUT_H
#define WY_INPUT_H

#include <iconv.h>
#include <stddef.h>
#include <sys/types.h>
#include <zlib.h>

#include "util.h"

/* Bytes looked at to guess the encoding. */
#define INPUT_SNIFF (64u << 10)

struct input {
	gzFile gz;
	const char *name;
	const char *encoding; /* "UTF-8", "GB18030", "UTF-16LE", ... */
	iconv_t cd;	      /* (iconv_t)-1 when the bytes pass through */
	char *raw;	      /* undecoded bytes: raw[rawpos..rawlen) */
	size_t rawpos, rawlen;
	int eof;
	long lines; /* decoded line ends so far, for messages (iconv path) */
	unsigned long long nraw; /* bytes read from the file, for --progress */
	int gzipped;		 /* the file was gzip data */
};

/*
 * Start reading fd (which input_close closes).  encoding: NULL to guess,
 * or an iconv name ("gbk" and "gb2312" read as GB18030).  Returns 0 or -1
 * with e set (unknown encoding: WY_EXIT_USAGE; read error: WY_EXIT_IO),
 * and then fd is closed and nothing needs input_close (which is harmless).
 */
int input_open(struct input *in, int fd, const char *name, const char *encoding,
    struct wy_err *e);

/*
 * Up to cap bytes of UTF-8 into buf (cap >= 64).  Returns the count, 0 at
 * the end, or -1 with e set: a corrupt or truncated gzip, or bytes that do
 * not decode, are WY_EXIT_DATA.
 */
ssize_t input_read(struct input *in, char *buf, size_t cap, struct wy_err *e);

/*
 * input_open in two steps, for readers that must see the first bytes
 * before they know the file is text: input_start reads them (gzip undone)
 * into in->raw[0..in->rawlen), input_decode picks the encoding as
 * input_open does.  Both return 0 or -1 with e set; after a failed
 * input_start nothing needs closing.
 */
int input_start(struct input *in, int fd, const char *name, struct wy_err *e);
int input_decode(struct input *in, const char *encoding, struct wy_err *e);

/*
 * Up to cap bytes as they are in the file (after gzip, before any
 * decoding), for readers that decode themselves (XML).  Returns the count,
 * 0 at the end, or -1 with e set.  Not to be mixed with input_read.
 */
ssize_t input_raw_read(struct input *in, char *buf, size_t cap, struct wy_err *e);

/* Close; reports a gzip error seen only at the end.  Returns 0 or -1. */
int input_close(struct input *in, struct wy_err *e);

/* Length of the longest prefix of s[0..n) that is valid UTF-8. */
size_t utf8_valid_prefix(const char *s, size_t n);

#endif
