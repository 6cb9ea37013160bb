/*
 * xlsx: Office Open XML workbooks (.xlsx, .xlsm), ISO Strict ones too.
 *
 * The package is read with lib/zip (minizip) one part at a time, each
 * part's inflated bytes streamed into libxml2.  Opening reads the package
 * and workbook relationships and the workbook (sheet names, date system);
 * the first sheet read also loads the styles (which cell formats are
 * dates) and the shared strings, the one thing held whole.  These small
 * parts go through xmlTextReader.  A sheet, which can be large, goes
 * through libxml2's push parser with SAX callbacks (no tree, half the
 * work of xmlTextReader): a chunk of the part at a time, the rows it
 * completes queued until they are returned, so memory is bounded by a
 * chunk, never the sheet.
 *
 * Elements are matched by local name and namespace URI, never by prefix
 * (x:c is c).  Names are compared as pointers: libxml2 interns every
 * element and attribute name in its dictionary, and so are ours.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/SAX2.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlreader.h>

#include "book.h"
#include "strtab.h"
#include "zippart.h"

/* Excel's grid: columns A..XFD, rows 1..1048576. */
#define XLSX_MAXCOL 16384
#define XLSX_MAXROW 1048576L
/* Merged ranges kept for one sheet (a header needs a few). */
#define XLSX_MAXMERGES (1u << 20)
/* Bytes of a sheet given to its parser at a time. */
#define XLSX_CHUNK (64u << 10)

/* SpreadsheetML: transitional, then ISO Strict. */
static const char *const main_ns[] = {
	"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
	"http://purl.oclc.org/ooxml/spreadsheetml/main",
	NULL,
};
/* OPC relationship parts (the same in Strict). */
static const char *const rels_ns[] = {
	"http://schemas.openxmlformats.org/package/2006/relationships",
	NULL,
};
/* The r: of r:id on <sheet>. */
static const char *const relid_ns[] = {
	"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
	"http://purl.oclc.org/ooxml/officeDocument/relationships",
	NULL,
};

enum name {
	N_RELATIONSHIP,
	N_WORKBOOKPR,
	N_SHEET,
	N_NUMFMT,
	N_CELLXFS,
	N_XF,
	N_SI,
	N_SHEETDATA,
	N_ROW,
	N_C,
	N_V,
	N_IS,
	N_T,
	N_RPH,
	N_R,
	N_S,
	NNAMES
};

static const char *const names[NNAMES] = {
	"Relationship", "workbookPr", "sheet", "numFmt", "cellXfs", "xf", "si",
	"sheetData", "row", "c", "v", "is", "t", "rPh", "r", "s",
};

/* One part being read. */
struct part {
	struct xlsx *x;
	xmlTextReaderPtr rd;
	const char *const *ns; /* the namespaces its elements are in */
	const xmlChar *nm[NNAMES];
	xmlNodePtr node; /* the node part_next stopped on */
	int type;	 /* its XML_READER_TYPE_* */
	char *tmp[4];	 /* attribute values that had to be built */
	unsigned ntmp;
	struct wy_err zerr; /* a zip error met by the reader's read callback */
	int zfailed;
	char errmsg[200]; /* libxml2's first error */
	int errline;
	xmlDocPtr doc; /* the document, when asked for after an error */
};

/* A cell with a value: text at p, or in the arena at off. */
struct cell {
	const char *p;
	size_t off, len;
	long col;
};

/*
 * A row read and waiting: its cells with values are cells[cell0..cell0 +
 * ncells), in the order written; width: its last such column + 1.  Only
 * cells with values are kept, so that far-apart cells (A1 and XFD1) cost
 * no more than near ones until a row is returned.
 */
struct qrow {
	long num;
	size_t cell0, ncells;
	long width;
};

/* A relationship: target resolved to a part name. */
struct rel {
	char *id, *type, *target;
};

struct xlsx {
	struct book *b;
	struct zip zip;
	char **parts; /* sheet i's part */
	char *sstpart, *stylespart;
	int date1904;
	int loaded; /* shared strings and styles read */
	struct strtab sst; /* shared strings */
	/* styles: the kind of number (CELL_*) each cell format shows */
	unsigned char *xfkind;
	size_t nxf;
	/*
	 * The sheet being read: libxml2's push parser is given a chunk of it
	 * at a time (SAX: no tree is built); the rows a chunk completes wait
	 * in a queue, their cells in cells and texts in arena.
	 */
	xmlParserCtxtPtr ctxt;
	char *chunk;
	const xmlChar *nm[NNAMES]; /* names interned in the parser's dictionary */
	const xmlChar *okuri;	    /* a SpreadsheetML namespace URI met */
	int eof;
	struct wy_err cberr; /* an error met in a callback */
	int cbfailed;
	char errmsg[200]; /* libxml2's first error */
	int errline;
	struct book_merge *merges;
	size_t nmerges, mergecap;
	struct qrow *q;
	size_t nq, qpos, qcap;
	const struct qrow *pending; /* popped, not yet all returned */
	long rownum;  /* number of the last <row> read */
	long emitted; /* number of the last row returned; 0 before the first */
	int insheetdata, inrow, incell, inis, inrph, collect;
	size_t ntext; /* bytes of text since the last tag */
	struct cell *cells;
	size_t ncells, cellcap;
	size_t rowcell0, rowtext0; /* where the row being read begins */
	long rowwidth;		/* its last column with a value + 1 */
	uint64_t colbits[XLSX_MAXCOL / 64]; /* its columns with a value */
	long col;		/* column of the current cell, 0-based */
	int ctype;		/* its t="" as one letter (cell_type) */
	unsigned char ckind;	/* what its style shows (CELL_*) */
	size_t cstart;		/* where its text begins in arena */
	char *arena;
	size_t alen, acap;
};

static const struct book_ops xlsx_ops;

/* Part reading. */

static int
part_read(void *ctx, char *buf, int len)
{
	struct part *p = ctx;
	ssize_t n = zip_part_read(&p->x->zip, buf, (size_t)len, &p->zerr);

	if (n < 0)
		p->zfailed = 1;
	return (int)n;
}

static void
part_onerror(void *ctx, xmlErrorPtr err)
{
	struct part *p = ctx;
	size_t n;

	if (err->level < XML_ERR_ERROR || p->errmsg[0] != '\0')
		return;
	snprintf(p->errmsg, sizeof p->errmsg, "%s",
	    err->message ? err->message : "parse error");
	n = strlen(p->errmsg);
	while (n > 0 && (p->errmsg[n - 1] == '\n' || p->errmsg[n - 1] == ' '))
		p->errmsg[--n] = '\0';
	p->errline = err->line;
}

/*
 * Why the reader stopped: the zip's error, else a DOCTYPE (libxml2 may
 * stop on what its entities do before the reader returns the DOCTYPE
 * node), else libxml2's error.
 */
static int
part_error(struct part *p, struct wy_err *e)
{
	struct xlsx *x = p->x;

	if (p->zfailed) {
		*e = p->zerr;
		return -1;
	}
	/* asking for the document makes the reader keep it: part_close frees it */
	if (p->doc == NULL)
		p->doc = xmlTextReaderCurrentDoc(p->rd);
	if (p->doc != NULL && p->doc->intSubset != NULL)
		return wy_errf(e, WY_EXIT_DATA, "%s: %s: DOCTYPE not allowed",
		    x->b->name, x->zip.part);
	if (p->errmsg[0] == '\0')
		return wy_errf(e, WY_EXIT_DATA, "%s: %s: malformed XML", x->b->name,
		    x->zip.part);
	return wy_errf(e, WY_EXIT_DATA, "%s: %s:%d: malformed XML: %s",
	    x->b->name, x->zip.part, p->errline, p->errmsg);
}

static void
part_close(struct part *p)
{
	if (p->rd != NULL)
		xmlFreeTextReader(p->rd);
	p->rd = NULL;
	if (p->doc != NULL)
		xmlFreeDoc(p->doc);
	p->doc = NULL;
	for (unsigned i = 0; i < sizeof p->tmp / sizeof p->tmp[0]; i++) {
		free(p->tmp[i]);
		p->tmp[i] = NULL;
	}
	zip_part_close(&p->x->zip);
}

/* Start reading the part name, whose elements are in one of ns. */
static int
part_open(struct xlsx *x, struct part *p, const char *name,
    const char *const *ns, struct wy_err *e)
{
	memset(p, 0, sizeof *p);
	p->x = x;
	p->ns = ns;
	if (zip_part_open(&x->zip, name, e) < 0)
		return -1;
	/* never NOENT, DTDLOAD or HUGE: see book_xml_harden */
	p->rd = xmlReaderForIO(part_read, NULL, p, name, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT);
	if (p->rd == NULL) {
		if (!p->zfailed)
			wy_errf(e, WY_EXIT_IO, "%s: %s: cannot start reading",
			    x->b->name, name);
		else
			*e = p->zerr;
		zip_part_close(&x->zip);
		return -1;
	}
	xmlTextReaderSetStructuredErrorHandler(p->rd, part_onerror, p);
	for (int i = 0; i < NNAMES; i++)
		if ((p->nm[i] = xmlTextReaderConstString(p->rd,
		    (const xmlChar *)names[i])) == NULL) {
			part_close(p);
			return wy_errf(e, WY_EXIT_IO, "out of memory");
		}
	return 0;
}

/*
 * Step to the next node: returns its XML_READER_TYPE_* (also in p->type,
 * the node in p->node), 0 at the end of the part, or -1 with e set.
 */
static int
part_next(struct part *p, struct wy_err *e)
{
	int rc = xmlTextReaderRead(p->rd);

	if (rc < 0 || (rc == 0 && (p->zfailed || p->errmsg[0] != '\0')))
		return part_error(p, e);
	if (rc == 0)
		return 0;
	p->type = xmlTextReaderNodeType(p->rd);
	p->node = xmlTextReaderCurrentNode(p->rd);
	if (p->type == XML_READER_TYPE_DOCUMENT_TYPE)
		/* a DTD could declare entities; no producer writes one */
		return wy_errf(e, WY_EXIT_DATA, "%s: %s: DOCTYPE not allowed",
		    p->x->b->name, p->x->zip.part);
	if (p->node == NULL)
		return part_error(p, e);
	return p->type;
}

static int
in_ns(const xmlNs *ns, const char *const *set)
{
	if (ns == NULL || ns->href == NULL)
		return 0;
	for (; *set != NULL; set++)
		if (strcmp((const char *)ns->href, *set) == 0)
			return 1;
	return 0;
}

/* Is the current node the start (or end) of element n of the part's namespace? */
static int
is_start(struct part *p, enum name n)
{
	return p->type == XML_READER_TYPE_ELEMENT && p->node->name == p->nm[n] &&
	    in_ns(p->node->ns, p->ns);
}

static int
is_end(struct part *p, enum name n)
{
	return p->type == XML_READER_TYPE_END_ELEMENT &&
	    p->node->name == p->nm[n] && in_ns(p->node->ns, p->ns);
}

static int
is_empty(struct part *p)
{
	return xmlTextReaderIsEmptyElement(p->rd) == 1;
}

/*
 * The value of the current element's attribute name, in one of the
 * namespaces ns (NULL: in none), or NULL when it has none.  Valid until
 * the reader moves on.
 */
static const char *
attr(struct part *p, const char *name, const char *const *ns)
{
	for (xmlAttrPtr a = p->node->properties; a != NULL; a = a->next) {
		xmlNodePtr t = a->children;
		char **slot;

		if (strcmp((const char *)a->name, name) != 0 ||
		    (ns == NULL ? a->ns != NULL : !in_ns(a->ns, ns)))
			continue;
		if (t == NULL)
			return "";
		if (t->type == XML_TEXT_NODE && t->next == NULL)
			return (const char *)t->content;
		/* the value was split into several nodes: join them */
		slot = &p->tmp[p->ntmp++ % (sizeof p->tmp / sizeof p->tmp[0])];
		free(*slot);
		*slot = (char *)xmlNodeListGetString(p->node->doc, t, 1);
		return *slot != NULL ? *slot : "";
	}
	return NULL;
}

/* The text of a text node, or NULL when the node holds none. */
static const char *
node_text(struct part *p)
{
	switch (p->type) {
	case XML_READER_TYPE_TEXT:
	case XML_READER_TYPE_CDATA:
	case XML_READER_TYPE_WHITESPACE:
	case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
		return (const char *)p->node->content;
	}
	return NULL;
}

/* Text. */

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The UTF-16 unit of an _xHHHH_ escape at s (n bytes left), or -1. */
static long
xescape(const char *s, size_t n)
{
	long u = 0;

	if (n < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_')
		return -1;
	for (int i = 2; i < 6; i++) {
		int h = hexval((unsigned char)s[i]);

		if (h < 0)
			return -1;
		u = u << 4 | h;
	}
	return u;
}

static size_t
utf8_put(char *o, uint32_t c)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xc0 | c >> 6);
		o[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (char)(0xe0 | c >> 12);
		o[1] = (char)(0x80 | (c >> 6 & 0x3f));
		o[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | c >> 18);
	o[1] = (char)(0x80 | (c >> 12 & 0x3f));
	o[2] = (char)(0x80 | (c >> 6 & 0x3f));
	o[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/*
 * Decode the _xHHHH_ escapes of s[0..n) in place (Excel writes control
 * characters so, and a literal "_x" as _x005F_x); returns the new length.
 * A UTF-8 character is never longer than the escape it comes from.  NUL
 * and unpaired surrogates stay as they were written.
 */
static size_t
unescape_x(char *s, size_t n)
{
	size_t i = 0, o = 0;

	if (memchr(s, '_', n) == NULL)
		return n;
	while (i < n) {
		long u = xescape(s + i, n - i), lo;

		if (u >= 0xd800 && u < 0xdc00 &&
		    (lo = xescape(s + i + 7, n - i - 7)) >= 0xdc00 && lo < 0xe000) {
			o += utf8_put(s + o,
			    0x10000 + ((uint32_t)(u - 0xd800) << 10) + (uint32_t)(lo - 0xdc00));
			i += 14;
		} else if (u > 0 && (u < 0xd800 || u >= 0xe000)) {
			o += utf8_put(s + o, (uint32_t)u);
			i += 7;
		} else {
			s[o++] = s[i++];
		}
	}
	return o;
}

/* Append n bytes to the row arena. */
static int
arena_put(struct xlsx *x, const char *s, size_t n, struct wy_err *e)
{
	if (x->alen + n + 1 > x->acap &&
	    wy_grow(&x->arena, &x->acap, x->alen + n + 1, TSV_MAXREC, e) < 0)
		return -1;
	memcpy(x->arena + x->alen, s, n);
	x->alen += n;
	return 0;
}

/*
 * Resolve a relationship's target against base (the source part's folder,
 * "" or ending in "/"): "worksheets/sheet1.xml", "../x.xml" and the
 * absolute "/xl/worksheets/sheet1.xml".  Returns a new string or NULL.
 */
static char *
resolve(const char *base, const char *target)
{
	size_t nb = strlen(base), nt = strlen(target), o = 0;
	char *path, *s;

	if (target[0] == '/')
		nb = 0;
	if ((s = malloc(nb + nt + 2)) == NULL)
		return NULL;
	memcpy(s, base, nb);
	memcpy(s + nb, target, nt + 1);
	if ((path = malloc(nb + nt + 2)) == NULL) {
		free(s);
		return NULL;
	}
	/* copy segment by segment, undoing "." and ".." */
	for (char *seg = s, *next; seg != NULL; seg = next) {
		size_t len;

		next = strchr(seg, '/');
		len = next != NULL ? (size_t)(next - seg) : strlen(seg);
		if (next != NULL)
			next++;
		if (len == 0 || (len == 1 && seg[0] == '.'))
			continue;
		if (len == 2 && seg[0] == '.' && seg[1] == '.') {
			while (o > 0 && path[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
			continue;
		}
		if (o > 0)
			path[o++] = '/';
		memcpy(path + o, seg, len);
		o += len;
	}
	path[o] = '\0';
	free(s);
	return path;
}

/* Does a relationship type end in /suffix? */
static int
rel_is(const struct rel *r, const char *suffix)
{
	size_t nt = strlen(r->type), ns = strlen(suffix);

	return nt > ns && r->type[nt - ns - 1] == '/' &&
	    strcmp(r->type + nt - ns, suffix) == 0;
}

static void
rels_free(struct rel *rels, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rels[i].id);
		free(rels[i].type);
		free(rels[i].target);
	}
	free(rels);
}

/*
 * The relationships of the part source ("" for the package): read from
 * its _rels part if there is one.  Targets are resolved; external ones
 * are left out.
 */
static int
read_rels(struct xlsx *x, const char *source, struct rel **out, size_t *nout,
    struct wy_err *e)
{
	const char *slash = strrchr(source, '/');
	size_t ndir = slash != NULL ? (size_t)(slash - source + 1) : 0;
	char *relspart, *dir;
	struct rel *rels = NULL;
	size_t n = 0, cap = 0;
	struct part p;
	int type;

	*out = NULL;
	*nout = 0;
	if ((relspart = malloc(strlen(source) + 16)) == NULL ||
	    (dir = strndup(source, ndir)) == NULL) {
		free(relspart);
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	}
	sprintf(relspart, "%.*s_rels/%s.rels", (int)ndir, source, source + ndir);
	if (!zip_has(&x->zip, relspart)) {
		free(relspart);
		free(dir);
		return 0;
	}
	if (part_open(x, &p, relspart, rels_ns, e) < 0)
		goto fail;
	while ((type = part_next(&p, e)) > 0) {
		const char *id, *rtype, *target, *mode;

		if (!is_start(&p, N_RELATIONSHIP))
			continue;
		id = attr(&p, "Id", NULL);
		rtype = attr(&p, "Type", NULL);
		target = attr(&p, "Target", NULL);
		mode = attr(&p, "TargetMode", NULL);
		if (id == NULL || rtype == NULL || target == NULL ||
		    (mode != NULL && strcmp(mode, "External") == 0))
			continue;
		if (n == cap) {
			struct rel *nr = reallocarray(rels, cap = cap * 2 + 8,
			    sizeof *nr);

			if (nr == NULL)
				goto nomem;
			rels = nr;
		}
		rels[n].id = strdup(id);
		rels[n].type = strdup(rtype);
		rels[n].target = resolve(dir, target);
		n++;
		if (rels[n - 1].id == NULL || rels[n - 1].type == NULL ||
		    rels[n - 1].target == NULL)
			goto nomem;
	}
	if (type < 0)
		goto fail;
	part_close(&p);
	free(relspart);
	free(dir);
	*out = rels;
	*nout = n;
	return 0;
nomem:
	wy_errf(e, WY_EXIT_IO, "out of memory");
fail:
	part_close(&p);
	rels_free(rels, n);
	free(relspart);
	free(dir);
	return -1;
}

/* The target of the first relationship of a type, or NULL. */
static const char *
rel_target(const struct rel *rels, size_t n, const char *type)
{
	for (size_t i = 0; i < n; i++)
		if (rel_is(&rels[i], type))
			return rels[i].target;
	return NULL;
}

/* The workbook part: the package's officeDocument, else the usual name. */
static int
find_workbook(struct xlsx *x, char **wb, struct wy_err *e)
{
	struct rel *rels;
	size_t n;
	const char *t;

	if (read_rels(x, "", &rels, &n, e) < 0)
		return -1;
	t = rel_target(rels, n, "officeDocument");
	if (t == NULL || !zip_has(&x->zip, t))
		t = "xl/workbook.xml";
	*wb = strdup(t);
	rels_free(rels, n);
	if (*wb == NULL)
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	if (!zip_has(&x->zip, *wb))
		return wy_errf(e, WY_EXIT_DATA, "%s: no workbook in the zip (%s)",
		    x->b->name, *wb);
	return 0;
}

static int
add_sheet(struct xlsx *x, const char *name, const char *target, size_t *cap,
    struct wy_err *e)
{
	struct book *b = x->b;
	char *nm;

	if (b->nsheets == *cap) {
		size_t ncap = *cap * 2 + 8;
		char **ns = reallocarray(b->sheets, ncap, sizeof *ns);
		char **np;

		if (ns == NULL)
			return wy_errf(e, WY_EXIT_IO, "out of memory");
		b->sheets = ns;
		if ((np = reallocarray(x->parts, ncap, sizeof *np)) == NULL)
			return wy_errf(e, WY_EXIT_IO, "out of memory");
		x->parts = np;
		*cap = ncap;
	}
	if ((nm = strdup(name)) == NULL)
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	nm[unescape_x(nm, strlen(nm))] = '\0';
	b->sheets[b->nsheets] = nm;
	if ((x->parts[b->nsheets] = strdup(target)) == NULL) {
		free(nm);
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	}
	b->nsheets++;
	return 0;
}

/* Sheet names and parts in workbook order, and the date system. */
static int
read_workbook(struct xlsx *x, const char *wb, struct wy_err *e)
{
	struct rel *rels;
	size_t nrels, cap = 0;
	struct part p;
	const char *t;
	int type;

	if (read_rels(x, wb, &rels, &nrels, e) < 0)
		return -1;
	if (((t = rel_target(rels, nrels, "sharedStrings")) != NULL &&
	    (x->sstpart = strdup(t)) == NULL) ||
	    ((t = rel_target(rels, nrels, "styles")) != NULL &&
	    (x->stylespart = strdup(t)) == NULL)) {
		rels_free(rels, nrels);
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	}
	if (part_open(x, &p, wb, main_ns, e) < 0) {
		rels_free(rels, nrels);
		return -1;
	}
	while ((type = part_next(&p, e)) > 0) {
		const char *name, *id, *v;
		size_t i;

		if (is_start(&p, N_WORKBOOKPR)) {
			v = attr(&p, "date1904", NULL);
			x->date1904 = v != NULL &&
			    (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
		}
		if (!is_start(&p, N_SHEET))
			continue;
		name = attr(&p, "name", NULL);
		id = attr(&p, "id", relid_ns);
		if (name == NULL || id == NULL) {
			wy_errf(e, WY_EXIT_DATA, "%s: %s:%d: sheet without %s",
			    x->b->name, wb, xmlTextReaderGetParserLineNumber(p.rd),
			    name == NULL ? "a name" : "r:id");
			type = -1;
			break;
		}
		for (i = 0; i < nrels && strcmp(rels[i].id, id) != 0; i++)
			;
		if (i == nrels) {
			wy_errf(e, WY_EXIT_DATA,
			    "%s: sheet %s: no relationship %s in the workbook's",
			    x->b->name, name, id);
			type = -1;
			break;
		}
		if (add_sheet(x, name, rels[i].target, &cap, e) < 0) {
			type = -1;
			break;
		}
	}
	part_close(&p);
	rels_free(rels, nrels);
	if (type < 0)
		return -1;
	if (x->b->nsheets == 0)
		return wy_errf(e, WY_EXIT_DATA, "%s: the workbook has no sheets",
		    x->b->name);
	return 0;
}

/* Styles. */

struct numfmt {
	long id;
	char *code;
};

static int
numfmt_cmp(const void *a, const void *b)
{
	const struct numfmt *fa = a, *fb = b;

	return (fa->id > fb->id) - (fa->id < fb->id);
}

/* A non-negative integer of at most 9 digits, or -1. */
static long
small_uint(const char *s)
{
	long v = 0;
	int n = 0;

	if (s == NULL)
		return -1;
	for (; *s >= '0' && *s <= '9'; s++, n++) {
		if (n == 9)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return n > 0 && *s == '\0' ? v : -1;
}

/* Give each cell format (<cellXfs><xf>) the kind its numFmtId shows. */
static int
styles_kinds(struct xlsx *x, const long *xfid, size_t nxf,
    struct numfmt *fmts, size_t nfmt)
{
	if ((x->xfkind = malloc(nxf + 1)) == NULL)
		return -1;
	x->nxf = nxf;
	if (nfmt > 0)
		qsort(fmts, nfmt, sizeof *fmts, numfmt_cmp);
	for (size_t i = 0; i < nxf; i++) {
		struct numfmt key = { xfid[i], NULL }, *f = NULL;

		if (nfmt > 0)
			f = bsearch(&key, fmts, nfmt, sizeof *fmts, numfmt_cmp);
		x->xfkind[i] = xfid[i] < 0 ? CELL_NUMBER :
		    (unsigned char)cell_date_format((int)xfid[i],
			f != NULL ? f->code : NULL);
	}
	return 0;
}

static int
read_styles(struct xlsx *x, struct wy_err *e)
{
	struct numfmt *fmts = NULL;
	size_t nfmt = 0, fmtcap = 0, nxf = 0, xfcap = 0;
	long *xfid = NULL;
	int type, incellxfs = 0;
	struct part p;

	if (part_open(x, &p, x->stylespart, main_ns, e) < 0)
		return -1;
	while ((type = part_next(&p, e)) > 0) {
		if (is_start(&p, N_CELLXFS))
			incellxfs = !is_empty(&p);
		else if (is_end(&p, N_CELLXFS))
			incellxfs = 0;
		else if (is_start(&p, N_NUMFMT)) {
			long id = small_uint(attr(&p, "numFmtId", NULL));
			const char *code = attr(&p, "formatCode", NULL);

			if (id < 0 || code == NULL)
				continue;
			if (nfmt == fmtcap) {
				struct numfmt *nf = reallocarray(fmts,
				    fmtcap = fmtcap * 2 + 16, sizeof *nf);

				if (nf == NULL)
					goto nomem;
				fmts = nf;
			}
			if ((fmts[nfmt].code = strdup(code)) == NULL)
				goto nomem;
			fmts[nfmt++].id = id;
		} else if (incellxfs && is_start(&p, N_XF)) {
			if (nxf == xfcap) {
				long *nx = reallocarray(xfid, xfcap = xfcap * 2 + 16,
				    sizeof *nx);

				if (nx == NULL)
					goto nomem;
				xfid = nx;
			}
			xfid[nxf++] = small_uint(attr(&p, "numFmtId", NULL));
		}
	}
	if (type == 0 && styles_kinds(x, xfid, nxf, fmts, nfmt) < 0)
		goto nomem;
	goto done;
nomem:
	type = wy_errf(e, WY_EXIT_IO, "out of memory");
done:
	part_close(&p);
	for (size_t i = 0; i < nfmt; i++)
		free(fmts[i].code);
	free(fmts);
	free(xfid);
	return type < 0 ? -1 : 0;
}

/* Shared strings. */

/*
 * <si> is a <t>, or rich-text runs <r><t> to be joined; the phonetic
 * reading runs <rPh><t> are not the text.
 */
static int
read_sst(struct xlsx *x, struct wy_err *e)
{
	int type, insi = 0, inrph = 0, collect = 0;
	struct part p;
	char *si;
	size_t n;

	if (part_open(x, &p, x->sstpart, main_ns, e) < 0)
		return -1;
	while ((type = part_next(&p, e)) > 0) {
		const char *text;

		if (is_start(&p, N_SI)) {
			insi = 1;
			inrph = collect = 0;
			if (is_empty(&p)) {
				if (strtab_end(&x->sst, e) < 0)
					goto fail;
				insi = 0;
			}
		} else if (is_end(&p, N_SI) && insi) {
			si = strtab_building(&x->sst, &n);
			strtab_cut(&x->sst, unescape_x(si, n));
			if (strtab_end(&x->sst, e) < 0)
				goto fail;
			insi = 0;
		} else if (is_start(&p, N_RPH)) {
			inrph = !is_empty(&p);
		} else if (is_end(&p, N_RPH)) {
			inrph = 0;
		} else if (is_start(&p, N_T)) {
			collect = insi && !inrph && !is_empty(&p);
		} else if (is_end(&p, N_T)) {
			collect = 0;
		} else if (collect && (text = node_text(&p)) != NULL) {
			if (strtab_add(&x->sst, text, strlen(text), e) < 0)
				goto fail;
		}
	}
	if (type < 0)
		goto fail;
	part_close(&p);
	return 0;
fail:
	part_close(&p);
	return -1;
}

/* Shared strings and styles, the first time a sheet is read. */
static int
load_shared(struct xlsx *x, struct wy_err *e)
{
	if (x->loaded)
		return 0;
	/* after a failed try, from the start */
	free(x->xfkind);
	x->xfkind = NULL;
	x->nxf = 0;
	strtab_free(&x->sst);
	if (x->stylespart == NULL && zip_has(&x->zip, "xl/styles.xml"))
		x->stylespart = strdup("xl/styles.xml");
	if (x->sstpart == NULL && zip_has(&x->zip, "xl/sharedStrings.xml"))
		x->sstpart = strdup("xl/sharedStrings.xml");
	if (x->stylespart != NULL && zip_has(&x->zip, x->stylespart) &&
	    read_styles(x, e) < 0)
		return -1;
	if (x->sstpart != NULL && zip_has(&x->zip, x->sstpart) &&
	    read_sst(x, e) < 0)
		return -1;
	x->loaded = 1;
	return 0;
}

/* Cell references. */

/*
 * Column letters at the start of s ("XFD7" → 16383) into *col, 0-based;
 * returns the letters' length, 0 when there are none or the column is past
 * XFD.
 */
static size_t
col_letters(const char *s, long *col)
{
	long c = 0;
	size_t n = 0;

	for (; s[n] >= 'A' && s[n] <= 'Z'; n++) {
		c = c * 26 + (s[n] - 'A' + 1);
		if (c > XLSX_MAXCOL)
			return 0;
	}
	*col = c - 1;
	return n;
}

/* A row number of the grid, or -1. */
static long
row_number(const char *s)
{
	long r = small_uint(s);

	return r >= 1 && r <= XLSX_MAXROW ? r : -1;
}

/* "A1", or "A1:B2", into a merge; -1 when it is not one. */
static int
merge_ref(const char *s, size_t n, struct book_merge *m)
{
	char a[16], b[16];
	const char *colon = memchr(s, ':', n);
	size_t na = colon != NULL ? (size_t)(colon - s) : n;
	size_t nb = colon != NULL ? n - na - 1 : n;
	long c1, c2, r;
	size_t l;

	if (na == 0 || nb == 0 || na >= sizeof a || nb >= sizeof b)
		return -1;
	memcpy(a, s, na);
	a[na] = '\0';
	memcpy(b, colon != NULL ? colon + 1 : s, nb);
	b[nb] = '\0';
	if ((l = col_letters(a, &c1)) == 0 || (m->row1 = row_number(a + l)) < 0 ||
	    (l = col_letters(b, &c2)) == 0 || (m->row2 = row_number(b + l)) < 0)
		return -1;
	if (m->row1 > m->row2) {
		r = m->row1;
		m->row1 = m->row2;
		m->row2 = r;
	}
	m->col1 = (size_t)(c1 < c2 ? c1 : c2);
	m->col2 = (size_t)(c1 < c2 ? c2 : c1);
	return 0;
}

/* Merges. */

/* The tag's text between < and >: keep it if it is a <mergeCell ref=""> */
static int
merge_tag(struct xlsx *x, const char *s, size_t n, struct wy_err *e)
{
	const char *name = s, *p, *end = s + n, *q;
	size_t nname;

	while (s < end && !strchr(" \t\r\n/", *s))
		s++;
	nname = (size_t)(s - name);
	/* the local name, whatever the prefix */
	for (p = name; p < s; p++)
		if (*p == ':')
			name = p + 1, nname = (size_t)(s - name);
	if (nname != 9 || memcmp(name, "mergeCell", 9) != 0)
		return 0;
	for (p = s; p + 4 < end; p++) {
		if (!strchr(" \t\r\n", p[0]) || memcmp(p + 1, "ref", 3) != 0)
			continue;
		for (q = p + 4; q < end && strchr(" \t\r\n", *q); q++)
			;
		if (q >= end || *q++ != '=')
			continue;
		while (q < end && strchr(" \t\r\n", *q))
			q++;
		if (q < end && (*q == '"' || *q == '\'')) {
			const char *close = memchr(q + 1, *q, (size_t)(end - q - 1));
			struct book_merge m;

			if (close == NULL ||
			    merge_ref(q + 1, (size_t)(close - q - 1), &m) < 0)
				return 0;
			if (x->nmerges == XLSX_MAXMERGES)
				return wy_errf(e, WY_EXIT_DATA,
				    "%s: %s: more than %u merged ranges",
				    x->b->name, x->zip.part, XLSX_MAXMERGES);
			if (x->nmerges == x->mergecap) {
				size_t ncap = x->mergecap * 2 + 16;
				struct book_merge *nm = reallocarray(x->merges,
				    ncap, sizeof *nm);

				if (nm == NULL)
					return wy_errf(e, WY_EXIT_IO,
					    "out of memory");
				x->merges = nm;
				x->mergecap = ncap;
			}
			x->merges[x->nmerges++] = m;
		}
		return 0;
	}
	return 0;
}

/*
 * The <mergeCell>s of a sheet part come after its <sheetData>, but a
 * two-row header needs them first: a pass over the raw bytes finds them,
 * far cheaper than parsing.  '<' never stands for itself in XML text or
 * attribute values, so every '<' starts markup (a comment or CDATA that
 * holds a <mergeCell> would fool it; no producer writes one).
 */
static int
scan_merges(struct xlsx *x, const char *part, struct wy_err *e)
{
	enum { CAP = 1 << 16, MAXTAG = 4096 };
	char *buf;
	size_t len = 0;
	int eof = 0, rc = -1;

	if ((buf = malloc(CAP)) == NULL)
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	if (zip_part_open(&x->zip, part, e) < 0)
		goto done;
	while (!eof) {
		ssize_t n = zip_part_read(&x->zip, buf + len, CAP - len, e);
		size_t pos = 0, keep = 0;
		char *lt, *gt;

		if (n < 0)
			goto done;
		eof = n == 0;
		len += (size_t)n;
		while ((lt = memchr(buf + pos, '<', len - pos)) != NULL) {
			size_t i = (size_t)(lt - buf);

			if ((gt = memchr(lt, '>', len - i)) == NULL) {
				if (!eof && len - i < MAXTAG)
					keep = len - i;
				break;
			}
			if (merge_tag(x, lt + 1, (size_t)(gt - lt - 1), e) < 0)
				goto done;
			pos = (size_t)(gt - buf) + 1;
		}
		memmove(buf, buf + len - keep, keep);
		len = keep;
	}
	rc = 0;
done:
	zip_part_close(&x->zip);
	free(buf);
	return rc;
}

/* Sheet rows. */

static int
cells_room(struct xlsx *x, size_t n, struct wy_err *e)
{
	struct cell *nc;
	size_t ncap;

	if (n <= x->cellcap)
		return 0;
	ncap = x->cellcap * 2 > n ? x->cellcap * 2 : n + 16;
	if ((nc = reallocarray(x->cells, ncap, sizeof *nc)) == NULL)
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	x->cells = nc;
	x->cellcap = ncap;
	return 0;
}

static void
ref_text(long col, long row, char *out)
{
	char letters[8];
	int n = 0;

	for (col++; col > 0; col = (col - 1) / 26)
		letters[n++] = (char)('A' + (col - 1) % 26);
	while (n > 0)
		*out++ = letters[--n];
	sprintf(out, "%ld", row);
}

/* The line the sheet's parser is on. */
static int
sheet_line(struct xlsx *x)
{
	return x->ctxt != NULL ? xmlSAX2GetLineNumber(x->ctxt) : 0;
}

/* Fail the sheet from inside a SAX callback: the parser stops. */
static void
sheet_fail(struct xlsx *x, const char *what, const char *v)
{
	if (!x->cbfailed)
		wy_errf(&x->cberr, WY_EXIT_DATA, "%s: %s:%d: %s \"%.40s\"",
		    x->b->name, x->zip.part, sheet_line(x), what, v);
	x->cbfailed = 1;
	xmlStopParser(x->ctxt);
}

static void
sheet_nomem(struct xlsx *x)
{
	if (!x->cbfailed)
		wy_errf(&x->cberr, WY_EXIT_IO, "out of memory");
	x->cbfailed = 1;
	xmlStopParser(x->ctxt);
}

/*
 * The value of a SAX attribute without a namespace, NUL-terminated in buf;
 * NULL when there is none.  A value too long for buf is "?", which is
 * not a reference, type or style.
 */
static const char *
sax_attr(const xmlChar **attrs, int nattr, const xmlChar *name, char *buf,
    size_t cap)
{
	for (int i = 0; i < nattr; i++, attrs += 5) {
		size_t n = (size_t)(attrs[4] - attrs[3]);

		if (attrs[0] != name || attrs[2] != NULL)
			continue;
		if (n >= cap)
			n = 0, buf[n++] = '?';
		else
			memcpy(buf, attrs[3], n);
		buf[n] = '\0';
		return buf;
	}
	return NULL;
}

static void
row_begin(struct xlsx *x, const xmlChar **attrs, int nattr)
{
	char buf[16];
	const char *r = sax_attr(attrs, nattr, x->nm[N_R], buf, sizeof buf);
	long n = x->rownum + 1;

	if (r != NULL && (n = row_number(r)) < 0) {
		sheet_fail(x, "bad row number", r);
		return;
	}
	/* rows out of order keep their order: numbers only go up */
	x->rownum = n > x->rownum ? n : x->rownum + 1;
	if (x->rownum > XLSX_MAXROW) {
		sheet_fail(x, "more rows than a sheet holds at row",
		    r != NULL ? r : "");
		return;
	}
	x->rowcell0 = x->ncells;
	x->rowtext0 = x->alen;
	x->rowwidth = 0;
	x->col = -1;
	x->inrow = 1;
}

/* A row with a value waits in the queue; others are gone. */
static void
row_end(struct xlsx *x)
{
	x->inrow = 0;
	for (size_t i = x->rowcell0; i < x->ncells; i++)
		x->colbits[x->cells[i].col / 64] = 0;
	if (x->ncells == x->rowcell0)
		return;
	if (x->nq == x->qcap) {
		size_t ncap = x->qcap * 2 + 64;
		struct qrow *nq = reallocarray(x->q, ncap, sizeof *nq);

		if (nq == NULL) {
			sheet_nomem(x);
			return;
		}
		x->q = nq;
		x->qcap = ncap;
	}
	x->q[x->nq++] = (struct qrow){ x->rownum, x->rowcell0,
		x->ncells - x->rowcell0, x->rowwidth };
	x->rowcell0 = x->ncells;
}

/* A cell's t="" as one letter: s n b e d, f (str), i (inlineStr), u. */
static int
cell_type(const char *t)
{
	static const char *const types[] = { "s", "n", "b", "e", "d" };

	if (t == NULL)
		return 'n';
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strcmp(t, types[i]) == 0)
			return t[0];
	if (strcmp(t, "str") == 0)
		return 'f';
	return strcmp(t, "inlineStr") == 0 ? 'i' : 'u';
}

static void
cell_begin(struct xlsx *x, const xmlChar **attrs, int nattr)
{
	char rbuf[16], tbuf[16], sbuf[16];
	const char *r = sax_attr(attrs, nattr, x->nm[N_R], rbuf, sizeof rbuf);
	const char *t = sax_attr(attrs, nattr, x->nm[N_T], tbuf, sizeof tbuf);
	long s = small_uint(sax_attr(attrs, nattr, x->nm[N_S], sbuf, sizeof sbuf));

	if (r != NULL) {
		long col;

		if (col_letters(r, &col) == 0) {
			sheet_fail(x, "bad cell reference", r);
			return;
		}
		x->col = col;
	} else if (++x->col >= XLSX_MAXCOL) {
		sheet_fail(x, "too many cells in row", "");
		return;
	}
	x->ctype = cell_type(t);
	x->ckind = s >= 0 && (size_t)s < x->nxf ? x->xfkind[s] : CELL_NUMBER;
	x->cstart = x->alen;
	x->incell = 1;
	x->inis = x->inrph = x->collect = 0;
}

/* A number cell's text: shortest decimal, or ISO date by its style. */
static int
number_text(struct xlsx *x, char *s, size_t n, char *out)
{
	int len;

	if (x->ckind == CELL_NUMBER)
		return cell_number_text(s, n, out);
	if ((len = cell_number_text(s, n, out)) < 0)
		return -1;
	/* out holds the shortest decimal: strtod reads it as the double */
	len = cell_date(strtod(out, NULL), x->date1904, x->ckind, out);
	return len >= 0 ? len : cell_number_text(s, n, out);
}

static long long
days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(long long z, int *y, int *m, int *d)
{
	long long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int
digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + s[i] - '0';
	}
	return v;
}

/*
 * The time of day of a t="d" cell, from s[*i] ("T08:30:00.5"), in seconds
 * rounded to the nearest; -1 when it is not one.
 */
static long
iso_time(const char *s, size_t n, size_t *i)
{
	size_t k = *i;
	int hh, mm, ss = 0;

	if (k == n || (s[k] != 'T' && s[k] != ' '))
		return 0;
	if (n < k + 6 || (hh = digits(s + k + 1, 2)) < 0 || hh > 23 ||
	    s[k + 3] != ':' || (mm = digits(s + k + 4, 2)) < 0 || mm > 59)
		return -1;
	k += 6;
	if (k < n && s[k] == ':') {
		if (n < k + 3 || (ss = digits(s + k + 1, 2)) < 0 || ss > 59)
			return -1;
		k += 3;
		if (k < n && s[k] == '.') {
			if (++k == n || s[k] < '0' || s[k] > '9')
				return -1;
			ss += s[k] >= '5';
			while (k < n && s[k] >= '0' && s[k] <= '9')
				k++;
		}
	}
	*i = k;
	return hh * 3600L + mm * 60L + ss;
}

/*
 * A t="d" cell's ISO 8601 text ("2025-03-01T08:30:00.000Z") as wanyi
 * writes dates: the date, with the time of day (to the nearest second)
 * when it is not midnight.  A zone is dropped: the cell holds the wall
 * time its producer meant.  -1 when it is not such a date.
 */
static int
iso_text(const char *s, size_t n, char *out)
{
	int y, m, d, y2, m2, d2;
	long long days;
	size_t i = 10;
	long secs;

	if (n < 10 || s[4] != '-' || s[7] != '-' || (y = digits(s, 4)) < 0 ||
	    (m = digits(s + 5, 2)) < 0 || (d = digits(s + 8, 2)) < 0)
		return -1;
	days = days_from_civil(y, m, d);
	civil_from_days(days, &y2, &m2, &d2);
	if (y2 != y || m2 != m || d2 != d || (secs = iso_time(s, n, &i)) < 0)
		return -1;
	if (i < n && s[i] == 'Z')
		i++;
	else if (i + 6 == n && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':')
		i = n;
	if (i != n)
		return -1;
	if (secs == 86400) { /* 23:59:59.5 */
		civil_from_days(days + 1, &y, &m, &d);
		secs = 0;
	}
	if (y > 9999)
		return -1;
	if (secs == 0)
		return snprintf(out, CELL_MAX, "%04d-%02d-%02d", y, m, d);
	return snprintf(out, CELL_MAX, "%04d-%02d-%02dT%02ld:%02ld:%02ld", y, m,
	    d, secs / 3600, secs / 60 % 60, secs % 60);
}

/* The cell's text as the field's: 0, or -1 with e set. */
static int
cell_text(struct xlsx *x, const char **p, size_t *n, struct wy_err *e)
{
	char *s = x->arena + x->cstart, out[CELL_MAX];
	const char *sst;
	long len = -1, i;
	int spilled;

	switch (x->ctype) {
	case 's':
		s[*n] = '\0';
		if ((i = small_uint(s)) < 0 || (size_t)i >= x->sst.n)
			return wy_errf(e, WY_EXIT_DATA, "%s: %s:%d: no shared string %.20s",
			    x->b->name, x->zip.part, sheet_line(x), s);
		x->alen = x->cstart;
		if (strtab_get(&x->sst, (size_t)i, &sst, n, &spilled, e) < 0)
			return -1;
		if (!spilled) {
			*p = sst;
			return 0;
		}
		/* read from the file: the row keeps a copy */
		*p = NULL;
		return arena_put(x, sst, *n, e);
	case 'n':
		len = number_text(x, s, *n, out);
		break;
	case 'b':
		if (*n == 1 && (s[0] == '0' || s[0] == '1')) {
			len = s[0] == '1' ? 4 : 5;
			memcpy(out, s[0] == '1' ? "TRUE" : "FALSE", (size_t)len);
		}
		break;
	case 'd':
		len = iso_text(s, *n, out);
		break;
	case 'e':
		break;
	default: /* inline strings, formula strings, t="" unknown */
		*n = unescape_x(s, *n);
		x->alen = x->cstart + *n;
		break;
	}
	if (len >= 0) {
		x->alen = x->cstart;
		*n = (size_t)len;
		return arena_put(x, out, *n, e);
	}
	return 0;
}

/* The cell ends: a field of the row when it holds a value. */
static void
cell_end(struct xlsx *x)
{
	size_t n = x->alen - x->cstart;
	const char *p = NULL;

	x->incell = x->collect = 0;
	if (n == 0)
		return;
	if (cell_text(x, &p, &n, &x->cberr) < 0) {
		x->cbfailed = 1;
		xmlStopParser(x->ctxt);
		return;
	}
	if (n == 0) {
		x->alen = x->cstart;
		return;
	}
	if (x->colbits[x->col / 64] & 1ull << x->col % 64) {
		char ref[24];

		ref_text(x->col, x->rownum, ref);
		sheet_fail(x, "two cells at", ref);
		return;
	}
	if (cells_room(x, x->ncells + 1, &x->cberr) < 0) {
		sheet_nomem(x);
		return;
	}
	x->cells[x->ncells++] = (struct cell){ p, x->cstart, n, x->col };
	x->colbits[x->col / 64] |= 1ull << x->col % 64;
	if (x->col >= x->rowwidth)
		x->rowwidth = x->col + 1;
}

/* Is uri SpreadsheetML's?  URIs are interned: the last one found is remembered. */
static int
main_uri(struct xlsx *x, const xmlChar *uri)
{
	const char *const *ns;

	if (uri == x->okuri && uri != NULL)
		return 1;
	if (uri == NULL)
		return 0;
	for (ns = main_ns; *ns != NULL; ns++)
		if (strcmp((const char *)uri, *ns) == 0) {
			x->okuri = uri;
			return 1;
		}
	return 0;
}

static void
sax_start(void *ctx, const xmlChar *name, const xmlChar *prefix,
    const xmlChar *uri, int nns, const xmlChar **ns, int nattr, int ndefault,
    const xmlChar **attrs)
{
	struct xlsx *x = ctx;

	(void)prefix, (void)nns, (void)ns, (void)ndefault;
	x->ntext = 0;
	if (x->cbfailed || !main_uri(x, uri))
		return;
	if (name == x->nm[N_SHEETDATA])
		x->insheetdata = 1;
	else if (name == x->nm[N_ROW] && x->insheetdata && !x->inrow)
		row_begin(x, attrs, nattr);
	else if (name == x->nm[N_C] && x->inrow && !x->incell)
		cell_begin(x, attrs, nattr);
	else if (!x->incell)
		return;
	else if (name == x->nm[N_V])
		x->collect = x->ctype != 'i';
	else if (name == x->nm[N_IS])
		x->inis = 1, x->ctype = 'i';
	else if (name == x->nm[N_T])
		x->collect = x->inis && !x->inrph;
	else if (name == x->nm[N_RPH])
		x->inrph = 1;
}

static void
sax_end(void *ctx, const xmlChar *name, const xmlChar *prefix,
    const xmlChar *uri)
{
	struct xlsx *x = ctx;

	(void)prefix;
	x->ntext = 0;
	if (x->cbfailed || !main_uri(x, uri))
		return;
	if (name == x->nm[N_V] || name == x->nm[N_T])
		x->collect = 0;
	else if (name == x->nm[N_C] && x->incell)
		cell_end(x);
	else if (name == x->nm[N_ROW] && x->inrow)
		row_end(x);
	else if (name == x->nm[N_IS])
		x->inis = 0;
	else if (name == x->nm[N_RPH])
		x->inrph = 0;
	else if (name == x->nm[N_SHEETDATA])
		x->insheetdata = 0;
}

static void
sax_text(void *ctx, const xmlChar *s, int len)
{
	struct xlsx *x = ctx;

	if (x->cbfailed)
		return;
	/* libxml2's own limit on a text node: whitespace bombs end here */
	if ((x->ntext += (size_t)len) > XML_MAX_TEXT_LENGTH) {
		sheet_fail(x, "text longer than 10000000 bytes", "");
		return;
	}
	if (x->collect && arena_put(x, (const char *)s, (size_t)len, &x->cberr) < 0) {
		x->cbfailed = 1;
		xmlStopParser(x->ctxt);
	}
}

static void
sax_doctype(void *ctx, const xmlChar *name, const xmlChar *id,
    const xmlChar *sysid)
{
	struct xlsx *x = ctx;

	(void)name, (void)id, (void)sysid;
	if (!x->cbfailed)
		wy_errf(&x->cberr, WY_EXIT_DATA, "%s: %s: DOCTYPE not allowed",
		    x->b->name, x->zip.part);
	x->cbfailed = 1;
	xmlStopParser(x->ctxt);
}

static void
sax_error(void *ctx, xmlErrorPtr err)
{
	struct xlsx *x = ctx;
	size_t n;

	if (err->level < XML_ERR_ERROR || x->errmsg[0] != '\0')
		return;
	snprintf(x->errmsg, sizeof x->errmsg, "%s",
	    err->message ? err->message : "parse error");
	n = strlen(x->errmsg);
	while (n > 0 && (x->errmsg[n - 1] == '\n' || x->errmsg[n - 1] == ' '))
		x->errmsg[--n] = '\0';
	x->errline = err->line;
}

/*
 * The rows waiting have all been returned: drop them, keeping the row
 * being read (its cells and text move to the front).
 */
static void
queue_reset(struct xlsx *x)
{
	size_t c0 = x->inrow ? x->rowcell0 : x->ncells;
	size_t t0 = x->inrow ? x->rowtext0 : x->alen;

	x->nq = x->qpos = 0;
	if (c0 == 0 && t0 == 0)
		return;
	if (x->ncells > c0)
		memmove(x->cells, x->cells + c0, (x->ncells - c0) * sizeof *x->cells);
	x->ncells -= c0;
	for (size_t i = 0; i < x->ncells; i++)
		if (x->cells[i].p == NULL)
			x->cells[i].off -= t0;
	if (x->alen > t0)
		memmove(x->arena, x->arena + t0, x->alen - t0);
	x->alen -= t0;
	if (x->incell)
		x->cstart -= t0;
	x->rowcell0 = x->rowtext0 = 0;
}

/* Give the parser the next chunk of the sheet: 0, or -1 with e set. */
static int
feed(struct xlsx *x, struct wy_err *e)
{
	ssize_t n = zip_part_read(&x->zip, x->chunk, XLSX_CHUNK, e);

	if (n < 0)
		return -1;
	xmlParseChunk(x->ctxt, x->chunk, (int)n, n == 0);
	if (x->cbfailed) {
		*e = x->cberr;
		return -1;
	}
	if (!x->ctxt->wellFormed || x->errmsg[0] != '\0')
		return wy_errf(e, WY_EXIT_DATA, "%s: %s:%d: malformed XML: %s",
		    x->b->name, x->zip.part, x->errline,
		    x->errmsg[0] ? x->errmsg : "parse error");
	x->eof = n == 0;
	return 0;
}

static int
xlsx_row(struct book *b, struct rec *row, struct wy_err *e)
{
	struct xlsx *x = b->impl;
	const struct qrow *q;

	row->nf = 0;
	b->rowerr = NULL;
	if (x->ctxt == NULL)
		return 0;
	while (x->pending == NULL) {
		if (x->qpos < x->nq) {
			x->pending = &x->q[x->qpos++];
			if (x->emitted == 0)
				x->emitted = x->pending->num - 1;
			break;
		}
		if (x->eof)
			return 0;
		queue_reset(x);
		if (feed(x, e) < 0)
			return -1;
	}
	q = x->pending;
	b->row = row->line = ++x->emitted;
	if (x->emitted < q->num)
		return 1; /* an empty row inside the table */
	for (long i = 0; i < q->width; i++)
		if (rec_push(row, "", 0, e) < 0)
			return -1;
	for (size_t i = q->cell0; i < q->cell0 + q->ncells; i++) {
		const struct cell *c = &x->cells[i];

		row->f[c->col].p = c->p != NULL ? c->p : x->arena + c->off;
		row->f[c->col].len = c->len;
	}
	x->pending = NULL;
	return 1;
}

static void
sheet_close(struct xlsx *x)
{
	if (x->ctxt != NULL) {
		xmlFreeParserCtxt(x->ctxt);
		x->ctxt = NULL;
	}
	zip_part_close(&x->zip);
	free(x->merges);
	x->merges = NULL;
	x->nmerges = x->mergecap = 0;
	x->b->merges = NULL;
	x->b->nmerges = 0;
}

/* Start the push parser on a sheet part. */
static int
sheet_open(struct xlsx *x, const char *part, struct wy_err *e)
{
	static xmlSAXHandler sax = {
		.initialized = XML_SAX2_MAGIC,
		.startElementNs = sax_start,
		.endElementNs = sax_end,
		.characters = sax_text,
		.ignorableWhitespace = sax_text,
		.cdataBlock = sax_text,
		.internalSubset = sax_doctype,
		.externalSubset = sax_doctype,
		.serror = sax_error,
	};

	if (x->chunk == NULL && (x->chunk = malloc(XLSX_CHUNK)) == NULL)
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	if (zip_part_open(&x->zip, part, e) < 0)
		return -1;
	if ((x->ctxt = xmlCreatePushParserCtxt(&sax, x, NULL, 0, part)) == NULL)
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	/* never NOENT, DTDLOAD or HUGE: see book_xml_harden */
	xmlCtxtUseOptions(x->ctxt, XML_PARSE_NONET);
	for (int i = 0; i < NNAMES; i++)
		if ((x->nm[i] = xmlDictLookup(x->ctxt->dict,
		    (const xmlChar *)names[i], -1)) == NULL)
			return wy_errf(e, WY_EXIT_IO, "out of memory");
	x->okuri = NULL;
	x->errmsg[0] = '\0';
	x->cbfailed = x->eof = 0;
	x->rownum = x->emitted = 0;
	x->pending = NULL;
	x->insheetdata = x->inrow = x->incell = x->inis = x->inrph = 0;
	x->collect = 0;
	x->ncells = x->alen = x->rowcell0 = x->rowtext0 = 0;
	x->cstart = x->ntext = 0;
	x->nq = x->qpos = 0;
	memset(x->colbits, 0, sizeof x->colbits);
	return 0;
}

static int
xlsx_sheet(struct book *b, size_t i, struct wy_err *e)
{
	struct xlsx *x = b->impl;

	sheet_close(x);
	if (i >= b->nsheets)
		return wy_errf(e, WY_EXIT_USAGE, "%s: no sheet %zu", b->name,
		    i + 1);
	if (load_shared(x, e) < 0)
		return -1;
	if (b->opts->want_merges) {
		if (scan_merges(x, x->parts[i], e) < 0)
			return -1;
		b->merges = x->merges;
		b->nmerges = x->nmerges;
	}
	if (sheet_open(x, x->parts[i], e) < 0) {
		sheet_close(x);
		return -1;
	}
	return 0;
}

static void
xlsx_close(struct book *b)
{
	struct xlsx *x = b->impl;

	if (x != NULL) {
		sheet_close(x);
		zip_close(&x->zip);
		for (size_t i = 0; i < b->nsheets; i++)
			free(x->parts[i]);
		free(x->parts);
		free(x->sstpart);
		free(x->stylespart);
		strtab_free(&x->sst);
		free(x->xfkind);
		free(x->cells);
		free(x->arena);
		free(x->chunk);
		free(x->q);
		free(x);
	}
	book_free_sheets(b);
	b->impl = NULL;
}

int
xlsx_open(struct book *b, const char *path, struct wy_err *e)
{
	struct xlsx *x;
	char *wb = NULL;

	if ((x = calloc(1, sizeof *x)) == NULL)
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	x->b = b;
	strtab_init(&x->sst, b->opts->sst_memmax ? b->opts->sst_memmax : STRTAB_MEMMAX);
	b->impl = x;
	b->sheets = NULL;
	b->nsheets = 0;
	if (zip_open(&x->zip, path, b->name, b->opts->max_inflate, e) < 0 ||
	    find_workbook(x, &wb, e) < 0 || read_workbook(x, wb, e) < 0) {
		free(wb);
		xlsx_close(b);
		return -1;
	}
	free(wb);
	b->ops = &xlsx_ops;
	return 0;
}

static const struct book_ops xlsx_ops = {
	xlsx_sheet,
	xlsx_row,
	xlsx_close,
};
