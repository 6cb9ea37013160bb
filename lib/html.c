/*
 * html: libxml2 builds the tree; an iterative walk (no recursion, so
 * that a deep page cannot exhaust the stack) collects the text.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "html.h"

/* Elements whose text is no text of the page. */
static const char *const skipped[] = { "script", "style", "noscript",
	"template" };

/* Elements that end a line before and after them. */
static const char *const blocks[] = { "address", "article", "aside",
	"blockquote", "body", "br", "caption", "center", "dd", "details",
	"dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure",
	"footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
	"html", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
	"table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul" };

static int
named(const xmlNode *nd, const char *const *names, size_t n)
{
	if (nd->type != XML_ELEMENT_NODE || nd->name == NULL)
		return 0;
	for (size_t k = 0; k < n; k++)
		if (strcasecmp((const char *)nd->name, names[k]) == 0)
			return 1;
	return 0;
}

static int
is_skipped(const xmlNode *nd)
{
	return named(nd, skipped, sizeof(skipped) / sizeof(skipped[0]));
}

static int
is_block(const xmlNode *nd)
{
	return named(nd, blocks, sizeof(blocks) / sizeof(blocks[0]));
}

/* Inside pre or textarea, where line ends are kept? */
static int
in_pre(const xmlNode *nd)
{
	static const char *const pre[] = { "pre", "textarea" };

	for (; nd != NULL; nd = nd->parent)
		if (named(nd, pre, 2))
			return 1;
	return 0;
}

static int
put(struct html *h, const char *p, size_t n, struct wy_err *e)
{
	if (wy_grow(&h->text, &h->cap, h->len + n, HTML_MAX * 4, e) < 0)
		return -1;
	memcpy(h->text + h->len, p, n);
	h->len += n;
	return 0;
}

/* End the line, unless the text is empty or already ends one. */
static int
newline(struct html *h, struct wy_err *e)
{
	while (h->len > 0 && h->text[h->len - 1] == ' ')
		h->len--;
	if (h->len == 0 || h->text[h->len - 1] == '\n')
		return 0;
	return put(h, "\n", 1, e);
}

/* Remember that the text from here on comes from the page's line. */
static int
mark_line(struct html *h, long line, struct wy_err *e)
{
	size_t bytes = h->lcap;

	/* the text follows the page: its lines never go back */
	if (h->nlines > 0 && h->lines[h->nlines - 1].line >= line)
		return 0;
	if (wy_grow(&h->lines, &bytes, (h->nlines + 1) * sizeof *h->lines,
	    HTML_MAX * sizeof *h->lines, e) < 0)
		return -1;
	h->lcap = bytes;
	h->lines[h->nlines].off = h->len;
	h->lines[h->nlines].line = line;
	h->nlines++;
	return 0;
}

static int
is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/*
 * The line of the page where a text node starts: libxml2 notes the line
 * where the parser stood after reading it (for a text of less than
 * about 1000 bytes, read at once, its last line).
 */
static long
first_line(const xmlNode *nd)
{
	long line = xmlGetLineNo(nd);

	for (const char *p = (const char *)nd->content; *p != '\0'; p++)
		line -= *p == '\n';
	return line > 0 ? line : 1;
}

/* A text node's content, its runs of blanks made one space. */
static int
put_text(struct html *h, const xmlNode *nd, struct wy_err *e)
{
	const char *p = (const char *)nd->content;
	int pre = in_pre(nd);
	long line;

	if (p == NULL)
		return 0;
	line = first_line(nd);
	while (*p != '\0') {
		size_t run = 0;

		while (p[run] != '\0' && !is_blank((unsigned char)p[run]))
			run++;
		if (run > 0 && (mark_line(h, line, e) < 0 || put(h, p, run, e) < 0))
			return -1;
		for (p += run; is_blank((unsigned char)*p); p++) {
			line += *p == '\n';
			if (pre && *p == '\n') {
				if (put(h, "\n", 1, e) < 0)
					return -1;
			} else if (h->len > 0 && h->text[h->len - 1] != ' ' &&
			    h->text[h->len - 1] != '\n' && put(h, " ", 1, e) < 0) {
				return -1;
			}
		}
	}
	return 0;
}

/* Visit a node on the way down; *down: go into its children. */
static int
enter(struct html *h, const xmlNode *nd, int *down, struct wy_err *e)
{
	*down = 0;
	switch (nd->type) {
	case XML_TEXT_NODE:
	case XML_CDATA_SECTION_NODE:
		return put_text(h, nd, e);
	case XML_ELEMENT_NODE:
		if (is_skipped(nd))
			return 0;
		*down = 1;
		return is_block(nd) ? newline(h, e) : 0;
	default:
		return 0;
	}
}

static int
walk(struct html *h, xmlNode *nd, struct wy_err *e)
{
	int down;

	while (nd != NULL) {
		if (enter(h, nd, &down, e) < 0)
			return -1;
		if (down && nd->children != NULL) {
			nd = nd->children;
			continue;
		}
		/* leave nd, then its parents that have no next sibling */
		for (;;) {
			if (is_block(nd) && newline(h, e) < 0)
				return -1;
			if (nd->next != NULL) {
				nd = nd->next;
				break;
			}
			nd = nd->parent;
			if (nd == NULL || nd->type == XML_DOCUMENT_NODE ||
			    nd->type == XML_HTML_DOCUMENT_NODE)
				return 0;
		}
	}
	return 0;
}

/* libxml2 must not print: lib never does. */
static void
quiet(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

int
html_text(struct html *h, const char *s, size_t n, struct wy_err *e)
{
	htmlDocPtr doc;
	int st;

	h->len = 0;
	h->nlines = 0;
	if (n > HTML_MAX)
		return wy_errf(e, WY_EXIT_DATA, "a page larger than %zu bytes",
		    HTML_MAX);
	xmlInitParser();
	xmlSetGenericErrorFunc(NULL, quiet);
	doc = htmlReadMemory(s, (int)n, NULL, "UTF-8", HTML_PARSE_NONET |
	    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
	if (doc == NULL) {
		if (n == 0)
			return 0;
		return wy_errf(e, WY_EXIT_DATA, "cannot read the page as HTML");
	}
	st = walk(h, doc->children, e);
	xmlFreeDoc(doc);
	if (st == 0)
		st = newline(h, e);
	return st;
}

long
html_line(const struct html *h, size_t off)
{
	size_t lo = 0, hi = h->nlines;

	if (hi == 0)
		return 1;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (h->lines[mid].off <= off)
			lo = mid;
		else
			hi = mid;
	}
	return h->lines[lo].line;
}

void
html_free(struct html *h)
{
	free(h->text);
	free(h->lines);
	memset(h, 0, sizeof *h);
}
