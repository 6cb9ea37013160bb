#include <stdint.h>
#include <string.h>

#include "coltype.h"
#include "wrjson.h"

/* The letter after the backslash, or 'u' for \u00XX; 0 for a plain byte. */
static const char esc[256] = {
	[0x00] = 'u', [0x01] = 'u', [0x02] = 'u', [0x03] = 'u', [0x04] = 'u',
	[0x05] = 'u', [0x06] = 'u', [0x07] = 'u', ['\b'] = 'b', ['\t'] = 't',
	['\n'] = 'n', [0x0b] = 'u', ['\f'] = 'f', ['\r'] = 'r', [0x0e] = 'u',
	[0x0f] = 'u', [0x10] = 'u', [0x11] = 'u', [0x12] = 'u', [0x13] = 'u',
	[0x14] = 'u', [0x15] = 'u', [0x16] = 'u', [0x17] = 'u', [0x18] = 'u',
	[0x19] = 'u', [0x1a] = 'u', [0x1b] = 'u', [0x1c] = 'u', [0x1d] = 'u',
	[0x1e] = 'u', [0x1f] = 'u', ['"'] = '"', ['\\'] = '\\',
	[0xe2] = 'e', /* maybe U+2028 or U+2029 */
};

/* Write the escape of the byte or sequence at p; returns the bytes used. */
static size_t
put_escape(struct tsv_writer *w, const char *p, size_t left)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char c = p[0];
	char seq[6] = { '\\', esc[c] };

	if (esc[c] == 'e') {
		if (left >= 3 && (unsigned char)p[1] == 0x80 &&
		    ((unsigned char)p[2] == 0xa8 || (unsigned char)p[2] == 0xa9)) {
			tsv_put_raw(w, (unsigned char)p[2] == 0xa8 ? "\\u2028" : "\\u2029", 6);
			return 3;
		}
		tsv_put_raw(w, p, 1);
		return 1;
	}
	if (esc[c] != 'u') {
		tsv_put_raw(w, seq, 2);
		return 1;
	}
	memcpy(seq + 2, "00", 2);
	seq[4] = hex[c >> 4];
	seq[5] = hex[c & 15];
	tsv_put_raw(w, seq, 6);
	return 1;
}

void
wrjson_string(struct tsv_writer *w, const char *p, size_t len)
{
	size_t i = 0, start = 0;

	tsv_put_raw(w, "\"", 1);
	while (i < len) {
		if (!esc[(unsigned char)p[i]]) {
			i++;
			continue;
		}
		tsv_put_raw(w, p + start, i - start);
		i += put_escape(w, p + i, len - i);
		start = i;
	}
	tsv_put_raw(w, p + start, len - start);
	tsv_put_raw(w, "\"", 1);
}

void
wrjson_value(struct tsv_writer *w, const struct fld *f)
{
	enum coltype_class c;

	if (f->p == NULL) {
		tsv_put_raw(w, "null", 4);
		return;
	}
	c = coltype_classify(f->p, f->len, NULL);
	if (c == COLTYPE_C_INT || c == COLTYPE_C_DECIMAL)
		tsv_put_raw(w, f->p, f->len);
	else
		wrjson_string(w, f->p, f->len);
}
