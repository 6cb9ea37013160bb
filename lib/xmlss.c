/*
 * xmlss: Excel 2003 XML Spreadsheets (SpreadsheetML), streamed with
 * libxml2's xmlTextReader.
 *
 * Workbook > Worksheet ss:Name > Table > Row > Cell > Data ss:Type, all
 * in the spreadsheet namespace whatever their prefix.  A Row or Cell with
 * ss:Index jumps to that row or column (the rows or cells skipped are
 * empty); ss:MergeAcross="N" makes a cell span N more columns, so the next
 * one starts after them; ss:MergeDown spans rows.  A Data element holds
 * the value as text: Number (written as the shortest decimal of its
 * double), DateTime (ISO 8601, the time dropped at midnight), Boolean (1
 * or 0), String and Error (as written); rich text (html:B and such inside
 * Data) is joined.  Data inside a Comment is not the cell's.
 *
 * The file is read once at open for the sheet names, then once per sheet
 * read (and once more for its merged ranges when they are wanted): a sheet
 * is never held in memory, only the row being returned.  No entity is
 * expanded: libxml2 parses without XML_PARSE_NOENT, so a reference to one
 * declared in a DOCTYPE is an error here, as is anything libxml2 finds
 * malformed or too amplified.
 */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/xmlreader.h>

#include "book.h"

#define SS_NS "urn:schemas-microsoft-com:office:spreadsheet"
/* Excel's own limits; a larger ss:Index is an error, not a huge row. */
#define XMLSS_MAXCOL 16384L
#define XMLSS_MAXROW 1048576L
/* Never XML_PARSE_NOENT, XML_PARSE_DTDLOAD or XML_PARSE_HUGE; no
 * XML_PARSE_NOBLANKS either: a Data of spaces is the cell's text. */
#define XMLSS_PARSE XML_PARSE_NONET
/* Bytes searched for entity declarations before libxml2 sees the file. */
#define XMLSS_PROLOG (64u << 10)

/* the depths of the elements in the reader, the Workbook at 0 */
enum { D_SHEET = 1, D_TABLE, D_ROW, D_CELL, D_DATA };

struct xmlss {
	const char *path;
	char *pathcopy;
	int fd;
	int ioerr;		/* errno of a failed read, 0 if none */
	xmlTextReaderPtr rd;
	char xmlerr[256];	/* libxml2's first error, without its newline */
	int xmlline;
	const char *sheet;	/* the sheet being read, for messages */
	int intable;		/* the reader is inside the sheet's Table */
	long lastrow;		/* the last row the previous Row element took */
	long rownum;		/* the row read_row read */
	long prev;		/* the last non-empty row returned, 0 if none */
	long pending;		/* the non-empty row read but not returned, or 0 */
	long nextempty;		/* the next empty row to return before it */
	int collect;		/* record merged ranges */
	struct book_merge *merges;
	size_t nmerges, mergecap;
	/* the row read: field i is text[fend[i-1]..fend[i]) */
	char *text;
	size_t textcap, textlen;
	size_t *fend;
	size_t fendcap, nf;
};

/* The attributes of Row and Cell that matter, 0 when absent. */
struct ssattr {
	long index, span, across, down;
	char type[16];
};

static int
read_cb(void *ctx, char *buf, int len)
{
	struct xmlss *x = ctx;
	ssize_t n;

	while ((n = read(x->fd, buf, len)) < 0 && errno == EINTR)
		;
	if (n < 0)
		x->ioerr = errno;
	return (int)n;
}

static int
close_cb(void *ctx)
{
	struct xmlss *x = ctx;

	if (x->fd >= 0)
		close(x->fd);
	x->fd = -1;
	return 0;
}

static void
on_error(void *ctx, xmlErrorPtr err)
{
	struct xmlss *x = ctx;
	size_t n;

	if (err == NULL || err->level < XML_ERR_ERROR || x->xmlerr[0] != '\0')
		return;
	snprintf(x->xmlerr, sizeof x->xmlerr, "%s",
	    err->message ? err->message : "malformed XML");
	n = strlen(x->xmlerr);
	while (n > 0 && (x->xmlerr[n - 1] == '\n' || x->xmlerr[n - 1] == ' '))
		x->xmlerr[--n] = '\0';
	x->xmlline = err->line;
}

/* The error that stopped the reader. */
static int
xml_fail(struct book *b, struct wy_err *e)
{
	struct xmlss *x = b->impl;

	if (x->ioerr != 0)
		return wy_syserr(e, x->ioerr, "%s: read error", b->name);
	if (x->xmlerr[0] != '\0')
		return wy_errf(e, WY_EXIT_DATA, "%s:%d: %s", b->name, x->xmlline,
		    x->xmlerr);
	return wy_errf(e, WY_EXIT_DATA, "%s: malformed XML", b->name);
}

static void
reader_close(struct xmlss *x)
{
	if (x->rd != NULL)
		xmlFreeTextReader(x->rd); /* closes fd through close_cb */
	x->rd = NULL;
	close_cb(x);
}

/* Start reading the file from its beginning. */
static int
reader_open(struct book *b, struct wy_err *e)
{
	struct xmlss *x = b->impl;

	reader_close(x);
	x->ioerr = 0;
	x->xmlerr[0] = '\0';
	if ((x->fd = open(x->path, O_RDONLY | O_CLOEXEC)) < 0)
		return wy_syserr(e, errno, "%s: cannot open", b->name);
	/* on failure xmlReaderForIO has closed fd through close_cb */
	x->rd = xmlReaderForIO(read_cb, close_cb, x, NULL, NULL, XMLSS_PARSE);
	if (x->rd == NULL)
		return wy_errf(e, WY_EXIT_IO, "%s: out of memory", b->name);
	xmlTextReaderSetStructuredErrorHandler(x->rd, on_error, x);
	return 0;
}

/* The line of the node the reader is on (the parser reads ahead). */
static long
node_line(struct xmlss *x)
{
	xmlNodePtr node = xmlTextReaderCurrentNode(x->rd);

	return node != NULL ? xmlGetLineNo(node) : xmlTextReaderGetParserLineNumber(x->rd);
}

/*
 * The next node (skip: past the current one's subtree): 1, 0 at the end
 * of the document, or -1 with e set.  An entity reference is an error:
 * its text would be lost, and it may be an external entity.
 */
static int
step(struct book *b, int skip, struct wy_err *e)
{
	struct xmlss *x = b->impl;
	int rc;

	rc = skip ? xmlTextReaderNext(x->rd) : xmlTextReaderRead(x->rd);
	if (rc < 0 || x->ioerr != 0 || x->xmlerr[0] != '\0')
		return xml_fail(b, e);
	if (rc == 1 && xmlTextReaderNodeType(x->rd) == XML_READER_TYPE_ENTITY_REFERENCE)
		return wy_errf(e, WY_EXIT_DATA, "%s:%ld: entity &%s; is not expanded",
		    b->name, node_line(x),
		    (const char *)xmlTextReaderConstLocalName(x->rd));
	return rc;
}

/* Is the current node the spreadsheet element name at depth? */
static int
is_ss(xmlTextReaderPtr rd, int type, int depth, const char *name)
{
	const xmlChar *ns;

	if (xmlTextReaderNodeType(rd) != type || xmlTextReaderDepth(rd) != depth)
		return 0;
	ns = xmlTextReaderConstNamespaceUri(rd);
	return ns != NULL && strcmp((const char *)ns, SS_NS) == 0 &&
	    strcmp((const char *)xmlTextReaderConstLocalName(rd), name) == 0;
}

static int
is_element(xmlTextReaderPtr rd, int depth)
{
	return xmlTextReaderNodeType(rd) == XML_READER_TYPE_ELEMENT &&
	    xmlTextReaderDepth(rd) == depth;
}

static int
is_end(xmlTextReaderPtr rd, int depth)
{
	return xmlTextReaderNodeType(rd) == XML_READER_TYPE_END_ELEMENT &&
	    xmlTextReaderDepth(rd) == depth;
}

/* A positive decimal attribute value up to max, else -1. */
static long
attr_count(const char *s, long max)
{
	long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > max)
			return -1;
	}
	return v;
}

/*
 * Read the ss: attributes of the current element (unprefixed ones too, as
 * hand-made files have them) and go back to the element.
 */
static int
read_attrs(struct book *b, struct ssattr *a, struct wy_err *e)
{
	struct xmlss *x = b->impl;
	const char *name, *ns, *val;
	long *slot, v;

	memset(a, 0, sizeof *a);
	while (xmlTextReaderMoveToNextAttribute(x->rd) == 1) {
		ns = (const char *)xmlTextReaderConstNamespaceUri(x->rd);
		if (ns != NULL && strcmp(ns, SS_NS) != 0)
			continue;
		name = (const char *)xmlTextReaderConstLocalName(x->rd);
		val = (const char *)xmlTextReaderConstValue(x->rd);
		if (val == NULL)
			continue;
		if (strcmp(name, "Type") == 0) {
			snprintf(a->type, sizeof a->type, "%s", val);
			continue;
		}
		if (strcmp(name, "Index") == 0)
			slot = &a->index;
		else if (strcmp(name, "Span") == 0)
			slot = &a->span;
		else if (strcmp(name, "MergeAcross") == 0)
			slot = &a->across;
		else if (strcmp(name, "MergeDown") == 0)
			slot = &a->down;
		else
			continue;
		if ((v = attr_count(val, XMLSS_MAXROW)) < 0 ||
		    (slot == &a->index && v == 0)) {
			xmlTextReaderMoveToElement(x->rd);
			return wy_errf(e, WY_EXIT_DATA, "%s:%ld: ss:%s=\"%.40s\" is not %s",
			    b->name, node_line(x), name, val,
			    slot == &a->index ? "a row or column number" : "a count");
		}
		*slot = v;
	}
	xmlTextReaderMoveToElement(x->rd);
	return 0;
}

static int
text_add(struct book *b, const char *s, size_t n, struct wy_err *e)
{
	struct xmlss *x = b->impl;

	if (wy_grow(&x->text, &x->textcap, x->textlen + n + 1, TSV_MAXREC, e) < 0)
		return -1;
	memcpy(x->text + x->textlen, s, n);
	x->textlen += n;
	return 0;
}

/* End field nf at the current end of the text. */
static int
field_end(struct book *b, struct wy_err *e)
{
	struct xmlss *x = b->impl;

	if (wy_grow(&x->fend, &x->fendcap, (x->nf + 1) * sizeof *x->fend,
	        (size_t)-1 / 2, e) < 0)
		return -1;
	x->fend[x->nf++] = x->textlen;
	return 0;
}

/* Days from 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long
days_from_civil(long y, long m, long d)
{
	long era, yoe, doy;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static void
civil_from_days(long z, long *y, long *m, long *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = z / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* n (at most 9) digits at s as a number, or -1. */
static long
digits(const char *s, size_t n)
{
	long v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int
all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/*
 * "2025-03-01T08:30:00.000" as "2025-03-01T08:30:00", rounded to the
 * second, "2025-03-01" at midnight, "08:30:00" on Excel's day 0
 * (1899-12-31, a time alone).  Returns the length, or -1 when s is not
 * such a date.
 */
static int
iso_date(const char *s, size_t n, char *out)
{
	long y, mo, d, dd, h, mi, sec, days, secs;

	if (n < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':')
		return -1;
	y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
	h = digits(s + 11, 2), mi = digits(s + 14, 2), sec = digits(s + 17, 2);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 ||
	    mi < 0 || mi > 59 || sec < 0 || sec > 59)
		return -1;
	if (n > 19 && (s[19] != '.' || n == 20 || !all_digits(s + 20, n - 20)))
		return -1;
	days = days_from_civil(y, mo, d);
	civil_from_days(days, &y, &mo, &dd);
	if (dd != d)
		return -1; /* 2025-02-31 */
	secs = h * 3600 + mi * 60 + sec + (n > 20 && s[20] >= '5');
	days += secs / 86400;
	secs %= 86400;
	civil_from_days(days, &y, &mo, &d);
	if (y == 1899 && mo == 12 && d == 31)
		return snprintf(out, CELL_MAX, "%02ld:%02ld:%02ld", secs / 3600,
		    secs / 60 % 60, secs % 60);
	if (secs == 0)
		return snprintf(out, CELL_MAX, "%04ld-%02ld-%02ld", y, mo, d);
	return snprintf(out, CELL_MAX, "%04ld-%02ld-%02ldT%02ld:%02ld:%02ld", y, mo,
	    d, secs / 3600, secs / 60 % 60, secs % 60);
}

/*
 * Replace the value at text[start..] by what its type makes of it.
 */
static int
typed_value(struct book *b, const char *type, size_t start, struct wy_err *e)
{
	struct xmlss *x = b->impl;
	const char *s = x->text + start;
	size_t n = x->textlen - start;
	char out[CELL_MAX];
	int len = -1;

	if (strcmp(type, "Number") == 0)
		len = cell_number_text(s, n, out);
	else if (strcmp(type, "DateTime") == 0)
		len = iso_date(s, n, out);
	else if (strcmp(type, "Boolean") == 0 && n == 1 && (*s == '0' || *s == '1'))
		len = snprintf(out, sizeof out, "%s", *s == '1' ? "TRUE" : "FALSE");
	if (len < 0)
		return 0; /* String, Error, or not what the type says: as written */
	x->textlen = start;
	return text_add(b, out, len, e);
}

/* The text of the Data element the reader is on, with its type applied,
 * appended to the row's text. */
static int
read_data(struct book *b, struct wy_err *e)
{
	struct xmlss *x = b->impl;
	struct ssattr a;
	size_t start = x->textlen;
	const char *s;
	int rc, type;

	if (read_attrs(b, &a, e) < 0)
		return -1;
	if (xmlTextReaderIsEmptyElement(x->rd))
		return 0;
	while ((rc = step(b, 0, e)) > 0 && !is_end(x->rd, D_DATA)) {
		type = xmlTextReaderNodeType(x->rd);
		if (type != XML_READER_TYPE_TEXT && type != XML_READER_TYPE_CDATA &&
		    type != XML_READER_TYPE_WHITESPACE &&
		    type != XML_READER_TYPE_SIGNIFICANT_WHITESPACE)
			continue; /* rich text: the runs' text is the value */
		s = (const char *)xmlTextReaderConstValue(x->rd);
		if (s != NULL && text_add(b, s, strlen(s), e) < 0)
			return -1;
	}
	if (rc <= 0)
		return rc < 0 ? -1 : xml_fail(b, e);
	return typed_value(b, a.type, start, e);
}

static int
add_merge(struct book *b, long row, long col, const struct ssattr *a,
    struct wy_err *e)
{
	struct xmlss *x = b->impl;
	struct book_merge *m;

	if (!x->collect || (a->across == 0 && a->down == 0))
		return 0;
	if (wy_grow(&x->merges, &x->mergecap, (x->nmerges + 1) * sizeof *m,
	        (size_t)-1 / 2, e) < 0)
		return -1;
	m = &x->merges[x->nmerges++];
	m->row1 = row;
	m->row2 = row + a->down;
	m->col1 = col;
	m->col2 = col + a->across;
	return 0;
}

/*
 * The Cell the reader is on, whose column is at least *col (0-based): its
 * value as field *col, after empty ones; *col moves past it.  Returns 0,
 * 2 when the reader has moved past the cell (merges' pass), or -1.
 */
static int
read_cell(struct book *b, long *col, struct wy_err *e)
{
	struct xmlss *x = b->impl;
	struct ssattr a;
	size_t nf, textlen;
	long c = *col;
	int rc = 0, skipped = 0;

	if (read_attrs(b, &a, e) < 0)
		return -1;
	if (a.index != 0) {
		if (a.index - 1 < c)
			return wy_errf(e, WY_EXIT_DATA,
			    "%s:%ld: cell ss:Index=\"%ld\" is not after the cells before it",
			    b->name, node_line(x), a.index);
		c = a.index - 1;
	}
	if (c + a.across >= XMLSS_MAXCOL || x->rownum + a.down > XMLSS_MAXROW)
		return wy_errf(e, WY_EXIT_DATA, "%s:%ld: cell beyond column %ld or row %ld",
		    b->name, node_line(x), XMLSS_MAXCOL,
		    XMLSS_MAXROW);
	*col = c + 1 + a.across;
	if (add_merge(b, x->rownum, c, &a, e) < 0)
		return -1;
	if (x->collect) { /* the merges' pass needs no values */
		if ((rc = step(b, 1, e)) <= 0)
			return rc < 0 ? -1 : xml_fail(b, e);
		return 2; /* the reader is on the node after the cell */
	}
	if (xmlTextReaderIsEmptyElement(x->rd))
		return 0;
	nf = x->nf;
	textlen = x->textlen;
	while (x->nf < (size_t)c)
		if (field_end(b, e) < 0)
			return -1;
	for (;;) {
		if (!skipped && (rc = step(b, 0, e)) <= 0)
			break;
		skipped = 0;
		if (is_end(x->rd, D_CELL))
			break;
		if (is_ss(x->rd, XML_READER_TYPE_ELEMENT, D_DATA, "Data")) {
			if (read_data(b, e) < 0)
				return -1;
		} else if (is_element(x->rd, D_DATA)) { /* Comment, NamedCell */
			if ((rc = step(b, 1, e)) <= 0)
				break;
			skipped = 1; /* the reader is on the node after it */
		}
	}
	if (rc <= 0)
		return rc < 0 ? -1 : xml_fail(b, e);
	if (x->textlen == textlen) { /* no value: no field, the empties undone */
		x->nf = nf;
		return 0;
	}
	return field_end(b, e);
}

/* The cells of the Row the reader is on. */
static int
read_cells(struct book *b, struct wy_err *e)
{
	struct xmlss *x = b->impl;
	long col = 0;
	int rc = 0, skipped = 0;

	if (xmlTextReaderIsEmptyElement(x->rd))
		return 0;
	for (;;) {
		if (!skipped && (rc = step(b, 0, e)) <= 0)
			break;
		skipped = 0;
		if (is_end(x->rd, D_ROW))
			return 0;
		if (is_ss(x->rd, XML_READER_TYPE_ELEMENT, D_CELL, "Cell")) {
			if ((rc = read_cell(b, &col, e)) < 0)
				return -1;
			skipped = rc == 2;
		} else if (is_element(x->rd, D_CELL)) {
			if ((rc = step(b, 1, e)) <= 0)
				break;
			skipped = 1; /* the reader is on the node after it */
		}
	}
	return rc < 0 ? -1 : xml_fail(b, e);
}

/*
 * The next Row of the sheet's Table into the row's fields, x->rownum its
 * number: 1, 0 after the last, or -1 with e set.
 */
static int
read_row(struct book *b, struct wy_err *e)
{
	struct xmlss *x = b->impl;
	struct ssattr a;
	int rc = 0, skipped = 0;

	if (!x->intable)
		return 0;
	for (;;) {
		if (!skipped && (rc = step(b, 0, e)) <= 0)
			return rc < 0 ? -1 : xml_fail(b, e);
		skipped = 0;
		if (is_end(x->rd, D_TABLE)) {
			x->intable = 0;
			return 0;
		}
		if (is_ss(x->rd, XML_READER_TYPE_ELEMENT, D_ROW, "Row"))
			break;
		if (is_element(x->rd, D_ROW)) { /* Column */
			if ((rc = step(b, 1, e)) <= 0)
				return rc < 0 ? -1 : xml_fail(b, e);
			skipped = 1;
		}
	}
	if (read_attrs(b, &a, e) < 0)
		return -1;
	if (a.index != 0 && a.index <= x->lastrow)
		return wy_errf(e, WY_EXIT_DATA,
		    "%s:%ld: row ss:Index=\"%ld\" is not after the rows before it",
		    b->name, node_line(x), a.index);
	x->rownum = a.index != 0 ? a.index : x->lastrow + 1;
	x->lastrow = x->rownum + a.span;
	if (x->lastrow > XMLSS_MAXROW)
		return wy_errf(e, WY_EXIT_DATA, "%s:%ld: row beyond %ld", b->name,
		    node_line(x), XMLSS_MAXROW);
	x->textlen = 0;
	x->nf = 0;
	return read_cells(b, e) < 0 ? -1 : 1;
}

/* Read from the start of the file to the Table of sheet i (0-based). */
static int
find_table(struct book *b, size_t i, struct wy_err *e)
{
	struct xmlss *x = b->impl;
	size_t nseen = 0;
	int rc = 0, skipped = 0, in_sheet = 0;

	if (reader_open(b, e) < 0)
		return -1;
	x->intable = 0;
	x->lastrow = x->prev = x->pending = 0;
	for (;;) {
		if (!skipped && (rc = step(b, 0, e)) <= 0)
			return rc; /* the sheet is gone: no rows */
		skipped = 0;
		if (in_sheet) {
			if (is_end(x->rd, D_SHEET))
				return 0; /* no Table */
			if (is_ss(x->rd, XML_READER_TYPE_ELEMENT, D_TABLE, "Table")) {
				x->intable = !xmlTextReaderIsEmptyElement(x->rd);
				return 0;
			}
			if (!is_element(x->rd, D_TABLE))
				continue;
		} else if (is_ss(x->rd, XML_READER_TYPE_ELEMENT, D_SHEET, "Worksheet") &&
		    nseen++ == i) {
			if (xmlTextReaderIsEmptyElement(x->rd))
				return 0;
			in_sheet = 1;
			continue;
		} else if (!is_element(x->rd, D_SHEET)) {
			continue;
		}
		if ((rc = step(b, 1, e)) <= 0)
			return rc;
		skipped = 1;
	}
}

static int
xmlss_sheet(struct book *b, size_t i, struct wy_err *e)
{
	struct xmlss *x = b->impl;
	int rc;

	if (i >= b->nsheets)
		return wy_errf(e, WY_EXIT_USAGE, "%s: no sheet %zu", b->name, i + 1);
	x->sheet = b->sheets[i];
	x->nmerges = 0;
	b->merges = NULL;
	b->nmerges = 0;
	if (b->opts != NULL && b->opts->want_merges) {
		/* merged ranges come with the cells: a pass of their own */
		x->collect = 1;
		if (find_table(b, i, e) < 0)
			return -1;
		while ((rc = read_row(b, e)) > 0)
			;
		x->collect = 0;
		if (rc < 0)
			return -1;
		b->merges = x->merges;
		b->nmerges = x->nmerges;
	}
	return find_table(b, i, e);
}

static int
xmlss_row(struct book *b, struct rec *row, struct wy_err *e)
{
	struct xmlss *x = b->impl;
	size_t start = 0;
	int rc;

	row->nf = 0;
	for (;;) {
		if (x->pending != 0 && x->nextempty < x->pending) {
			b->row = row->line = x->nextempty++; /* an empty row inside */
			return 1;
		}
		if (x->pending != 0)
			break;
		if ((rc = read_row(b, e)) <= 0)
			return rc;
		if (x->nf == 0)
			continue; /* empty: returned only if a row with a value follows */
		x->pending = x->rownum;
		x->nextempty = x->prev != 0 ? x->prev + 1 : x->rownum;
	}
	for (size_t i = 0; i < x->nf; i++) {
		if (rec_push(row, x->text + start, x->fend[i] - start, e) < 0)
			return -1;
		start = x->fend[i];
	}
	b->row = row->line = x->pending;
	x->prev = x->pending;
	x->pending = 0;
	return 1;
}

static void
xmlss_close(struct book *b)
{
	struct xmlss *x = b->impl;

	if (x == NULL)
		return;
	reader_close(x);
	free(x->pathcopy);
	free(x->text);
	free(x->fend);
	free(x->merges);
	free(x);
	b->impl = NULL;
	b->merges = NULL;
	b->nmerges = 0;
	book_free_sheets(b);
}

static const struct book_ops xmlss_ops = { xmlss_sheet, xmlss_row, xmlss_close };

static int
add_name(struct book *b, struct wy_err *e)
{
	struct xmlss *x = b->impl;
	xmlChar *name;
	char fallback[32];
	char **grown;
	size_t cap = b->nsheets + 1;

	name = xmlTextReaderGetAttributeNs(x->rd, BAD_CAST "Name", BAD_CAST SS_NS);
	if (name == NULL)
		name = xmlTextReaderGetAttribute(x->rd, BAD_CAST "Name");
	snprintf(fallback, sizeof fallback, "Sheet%zu", cap);
	grown = realloc(b->sheets, cap * sizeof *b->sheets);
	if (grown != NULL)
		b->sheets = grown;
	if (grown == NULL || (b->sheets[b->nsheets] = strdup(
	    name != NULL && name[0] != '\0' ? (char *)name : fallback)) == NULL) {
		xmlFree(name);
		return wy_errf(e, WY_EXIT_IO, "%s: out of memory", b->name);
	}
	b->nsheets++;
	xmlFree(name);
	return 0;
}

/* The whole file once: the root must be a Workbook; its Worksheets' names. */
static int
read_names(struct book *b, struct wy_err *e)
{
	struct xmlss *x = b->impl;
	int rc = 0, skipped = 0;

	if (reader_open(b, e) < 0)
		return -1;
	while ((rc = step(b, 0, e)) > 0 &&
	    xmlTextReaderNodeType(x->rd) != XML_READER_TYPE_ELEMENT)
		;
	if (rc <= 0)
		return rc < 0 ? -1 : wy_errf(e, WY_EXIT_DATA, "%s: no XML element", b->name);
	if (!is_ss(x->rd, XML_READER_TYPE_ELEMENT, 0, "Workbook"))
		return wy_errf(e, WY_EXIT_DATA,
		    "%s: not an Excel 2003 XML Spreadsheet: the root is <%s>", b->name,
		    (const char *)xmlTextReaderConstName(x->rd));
	for (;;) {
		if (!skipped && (rc = step(b, 0, e)) <= 0)
			break;
		skipped = 0;
		if (!is_element(x->rd, D_SHEET))
			continue;
		if (is_ss(x->rd, XML_READER_TYPE_ELEMENT, D_SHEET, "Worksheet") &&
		    add_name(b, e) < 0)
			return -1;
		if ((rc = step(b, 1, e)) <= 0)
			break;
		skipped = 1;
	}
	if (rc < 0)
		return -1;
	if (b->nsheets == 0)
		return wy_errf(e, WY_EXIT_DATA, "%s: no Worksheet in the workbook",
		    b->name);
	reader_close(x);
	return 0;
}

/*
 * Does the prolog declare entities?  Excel never writes a DOCTYPE; a file
 * that declares entities is refused before libxml2 expands any (its
 * amplification limits end a bomb, but only after a second or so).  The
 * first XMLSS_PROLOG bytes are searched, NULs dropped so that UTF-16 is
 * searched too; beyond them libxml2's limits remain.  1, 0, or -1.
 */
static int
declares_entities(struct book *b, const char *path, struct wy_err *e)
{
	char *buf;
	ssize_t got;
	size_t len = 0, kept = 0;
	int fd, found;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return wy_syserr(e, errno, "%s: cannot open", b->name);
	if ((buf = malloc(XMLSS_PROLOG)) == NULL) {
		close(fd);
		return wy_errf(e, WY_EXIT_IO, "%s: out of memory", b->name);
	}
	while (len < XMLSS_PROLOG &&
	    ((got = read(fd, buf + len, XMLSS_PROLOG - len)) > 0 ||
	        (got < 0 && errno == EINTR)))
		if (got > 0)
			len += got;
	close(fd);
	for (size_t i = 0; i < len; i++)
		if (buf[i] != '\0')
			buf[kept++] = buf[i];
	found = memmem(buf, kept, "<!ENTITY", 8) != NULL;
	free(buf);
	return found;
}

int
xmlss_open(struct book *b, const char *path, struct wy_err *e)
{
	struct xmlss *x;
	int rc;

	if ((rc = declares_entities(b, path, e)) != 0)
		return rc < 0 ? -1 : wy_errf(e, WY_EXIT_DATA,
		    "%s: entity declarations (<!ENTITY) are refused", b->name);
	if ((x = calloc(1, sizeof *x)) == NULL ||
	    (x->pathcopy = strdup(path)) == NULL) {
		free(x);
		return wy_errf(e, WY_EXIT_IO, "%s: out of memory", b->name);
	}
	x->path = x->pathcopy;
	x->fd = -1;
	b->impl = x;
	if (read_names(b, e) < 0) {
		xmlss_close(b);
		return -1;
	}
	b->ops = &xmlss_ops;
	return 0;
}
