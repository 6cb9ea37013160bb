/*
 * html: the text of an HTML page, as a reader sees it.
 *
 * libxml2's HTML parser reads the page (HTML_PARSE_NONET: no network;
 * no DTD or external entity is loaded; errors and warnings silenced);
 * the text of its elements is kept, that of script, style, noscript and
 * template is not.  Runs of spaces and line ends in the source are one
 * space (except inside pre and textarea, whose line ends stay); block
 * elements (p, div, li, td, h1 ... and br) end a line, so that
 * sentences never run from one to the next.
 */
#ifndef WY_HTML_H
#define WY_HTML_H

#include <stddef.h>

#include "util.h"

/* A page larger than this is refused (libxml2 takes an int size). */
#define HTML_MAX ((size_t)1 << 30)

struct html_line {
	size_t off; /* offset in the text */
	long line;  /* line of the page where the text from off comes from */
};

struct html {
	char *text; /* UTF-8, len bytes, not NUL-terminated */
	size_t len, cap;
	struct html_line *lines;
	size_t nlines, lcap; /* lcap in bytes */
};

/*
 * The text of the page s[0..n), UTF-8, into h (zeroed before the first
 * use, reused after).  Returns 0, or -1 with e set: WY_EXIT_DATA when the
 * page is too large or cannot be parsed, WY_EXIT_IO when memory is out.
 */
int html_text(struct html *h, const char *s, size_t n, struct wy_err *e);

/* The line of the page that the text at offset off comes from. */
long html_line(const struct html *h, size_t off);

void html_free(struct html *h);

#endif
