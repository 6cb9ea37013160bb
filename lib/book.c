/*
 * book: tell a file's format from its first bytes, and open it with the
 * module that reads that format.
 */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "book.h"

static const char *const format_names[] = {
	[BOOK_CSV] = "csv",
	[BOOK_XLSX] = "xlsx",
	[BOOK_XLS] = "xls",
	[BOOK_XMLSS] = "xmlss",
	[BOOK_FEED] = "feed",
};

int
book_format_named(const char *name)
{
	for (size_t i = 0; i < sizeof format_names / sizeof *format_names; i++)
		if (strcmp(name, format_names[i]) == 0)
			return (int)i;
	return -1;
}

/* The '>' ending a DOCTYPE at p, after its internal subset if any. */
static const char *
doctype_end(const char *p, const char *end)
{
	const char *gt = memchr(p, '>', end - p), *bracket = memchr(p, '[', end - p);

	if (bracket != NULL && (gt == NULL || bracket < gt)) {
		/* good enough to sniff: the subset ends at the first "]" */
		const char *close = memchr(bracket, ']', end - bracket);

		gt = close ? memchr(close, '>', end - close) : NULL;
	}
	return gt;
}

/* Skip an XML prolog's declaration, PIs, comments, DOCTYPE and spaces. */
static const char *
skip_prolog(const char *p, const char *end)
{
	while (p < end) {
		const char *close = NULL;
		size_t closelen = 1;

		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
			p++;
			continue;
		}
		if (end - p >= 2 && memcmp(p, "<?", 2) == 0)
			close = memmem(p, end - p, "?>", closelen = 2);
		else if (end - p >= 4 && memcmp(p, "<!--", 4) == 0)
			close = memmem(p, end - p, "-->", closelen = 3);
		else if (end - p >= 9 && memcmp(p, "<!DOCTYPE", 9) == 0)
			close = doctype_end(p, end);
		else
			return p;
		if (close == NULL)
			return end;
		p = close + closelen;
	}
	return p;
}

static int
is_name_start(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
	    c == ':' || c >= 0x80;
}

/* Is the root element at p a SpreadsheetML Workbook? */
static int
is_spreadsheetml(const char *p, const char *end)
{
	const char *name = p + 1, *q = name, *colon = NULL;

	while (q < end && *q != '>' && *q != ' ' && *q != '\t' && *q != '\r' &&
	    *q != '\n' && *q != '/') {
		if (*q == ':')
			colon = q;
		q++;
	}
	if (colon != NULL)
		name = colon + 1;
	return q - name == 8 && memcmp(name, "Workbook", 8) == 0 &&
	    memmem(p, end - p, "urn:schemas-microsoft-com:office:spreadsheet", 44) != NULL;
}

/*
 * Is p UTF-16 text that starts with '<' (after a byte-order mark)?  Then
 * its characters below U+0100 as bytes, others as 0x80, into narrow.
 */
static size_t
narrow_utf16(const char *p, size_t n, char *narrow, size_t cap)
{
	const unsigned char *u = (const unsigned char *)p;
	int le;
	size_t k = 0, i = 0;

	if (n >= 2 && ((u[0] == 0xff && u[1] == 0xfe) || (u[0] == 0xfe && u[1] == 0xff))) {
		le = u[0] == 0xff;
		i = 2;
	} else {
		le = n >= 2 && u[1] == 0;
	}
	if (n < i + 2 || u[i + !le] != '<' || u[i + le] != 0)
		return 0;
	for (; i + 1 < n && k < cap; i += 2) {
		unsigned lo = u[i + !le], hi = u[i + le];

		narrow[k++] = hi == 0 ? (char)lo : (char)0x80;
	}
	return k;
}

enum book_format
book_sniff(const char *p, size_t n)
{
	const char *end = p + n, *root;
	char narrow[4096];
	size_t nn;

	if (n >= 4 && memcmp(p, "PK\3\4", 4) == 0)
		return BOOK_XLSX;
	if ((nn = narrow_utf16(p, n, narrow, sizeof narrow)) > 0)
		return book_sniff(narrow, nn) == BOOK_XMLSS ? BOOK_XMLSS : BOOK_FEED;
	if (n >= 8 && memcmp(p, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0)
		return BOOK_XLS;
	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	/* XML starts with its declaration or, without one, with a tag */
	if (end - p < 2 || p[0] != '<' || (p[1] != '?' && p[1] != '!' &&
	    !is_name_start((unsigned char)p[1])))
		return BOOK_CSV;
	root = skip_prolog(p, end);
	if (root + 1 >= end || *root != '<' || !is_name_start((unsigned char)root[1]))
		return root >= end ? BOOK_FEED : BOOK_CSV;
	return is_spreadsheetml(root, end) ? BOOK_XMLSS : BOOK_FEED;
}

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		p += k;
		n -= k;
	}
	return 0;
}

/*
 * Copy the rest of the input to a temporary file for the modules that
 * need random access, at most max bytes of it.
 */
static int
spool(struct book *b, struct input *in, struct wy_err *e)
{
	const char *dir = getenv("TMPDIR");
	char *buf = NULL;
	unsigned long long total = 0;
	ssize_t n;
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	if ((b->tmppath = malloc(strlen(dir) + 32)) == NULL ||
	    (buf = malloc(1u << 16)) == NULL) {
		free(buf);
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	}
	strcpy(b->tmppath, dir);
	strcat(b->tmppath, "/wy-extract.XXXXXX");
	if ((fd = mkstemp(b->tmppath)) < 0) {
		wy_syserr(e, errno, "%s", b->tmppath);
		free(b->tmppath);
		b->tmppath = NULL;
		free(buf);
		return -1;
	}
	while ((n = input_raw_read(in, buf, 1u << 16, e)) > 0) {
		total += n;
		if (total > b->opts->max_inflate) {
			n = wy_errf(e, WY_EXIT_DATA,
			    "%s: more than %llu bytes once uncompressed (see --max-inflate)",
			    b->name, b->opts->max_inflate);
			break;
		}
		if (write_all(fd, buf, n) < 0) {
			n = wy_syserr(e, errno, "%s", b->tmppath);
			break;
		}
	}
	free(buf);
	if (close(fd) < 0 && n == 0)
		n = wy_syserr(e, errno, "%s", b->tmppath);
	return n < 0 ? -1 : 0;
}

/* Can the module open path itself, or does it need a copy? */
static int
plain_file(const char *path, const struct input *in)
{
	struct stat st;

	return path != NULL && !in->gzipped && stat(path, &st) == 0 &&
	    S_ISREG(st.st_mode);
}

static void
quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* libxml2 loads no external entity or DTD, from the network or a file. */
static xmlParserInputPtr
refuse_entity(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)id;
	(void)ctxt;
	(void)url;
	return NULL;
}

void
book_xml_harden(void)
{
	xmlInitParser();
	xmlSetExternalEntityLoader(refuse_entity);
	/* errors reach the user through wy_err, never libxml2's own printing */
	xmlSetGenericErrorFunc(NULL, quiet);
}

int
book_open(struct book *b, enum book_format f, struct input *in, const char *path,
    const struct book_opts *o, struct wy_err *e)
{
	int rc;

	memset(b, 0, sizeof *b);
	b->name = in->name;
	b->format = f;
	b->opts = o;
	book_xml_harden();
	if (f == BOOK_FEED)
		return feed_open(b, in, e);
	if (!plain_file(path, in)) {
		if (spool(b, in, e) < 0) {
			book_close(b);
			return -1;
		}
		path = b->tmppath;
	}
	if (f == BOOK_XLSX)
		rc = xlsx_open(b, path, e);
	else if (f == BOOK_XLS)
		rc = xls_open(b, path, e);
	else
		rc = xmlss_open(b, path, e);
	if (rc < 0) {
		b->ops = NULL;
		book_close(b);
	}
	return rc;
}

void
book_free_sheets(struct book *b)
{
	for (size_t i = 0; i < b->nsheets; i++)
		free(b->sheets[i]);
	free(b->sheets);
	b->sheets = NULL;
	b->nsheets = 0;
}

void
book_close(struct book *b)
{
	if (b->ops != NULL)
		b->ops->close(b);
	b->ops = NULL;
	if (b->tmppath != NULL) {
		unlink(b->tmppath);
		free(b->tmppath);
		b->tmppath = NULL;
	}
}
