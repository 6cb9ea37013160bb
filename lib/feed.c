/*
 * feed: an XML data feed as the rows of one sheet, streamed.
 *
 * The rows are the elements that --record names (/a/b, //b, //a/b,
 * //ns:b, and * for any name; by default every child element of the
 * root, as pandas.read_xml does: a feed whose root holds a header element
 * before its records shows it as a row rather than losing it).  The path
 * is matched against the reader's stack of open elements, without a
 * document tree.  Each record is expanded alone (xmlTextReaderExpand),
 * made into a row and skipped (xmlTextReaderNext), which lets the reader
 * free it: memory stays flat whatever the feed's size.  A record inside a
 * record is part of the outer one.
 *
 * Columns are the --field XPaths, or else learnt from the first
 * FEED_LEARN records, which are held meanwhile: each child element by its
 * local name, each attribute of a child as child@attr, each attribute of
 * the record as @attr, and text written directly in the record under the
 * record's own name, in the order of first appearance.  The first row
 * returned is that header.  A later record that has something the header
 * has no column for, or a column twice, is still returned, with the
 * reason to reject it in rowerr.
 *
 * No entity is ever loaded from outside the document: external entities
 * and DTDs are not read (no XML_PARSE_NOENT, DTDLOAD or DTDVALID), and a
 * reference to an external or undeclared entity is an error.  Internal
 * entities are expanded by our own walk, not by libxml2, so the walk
 * guards against bombs: libxml2 (without XML_PARSE_HUGE) refuses the
 * nested kind (billion laughs) as it parses, and the walk refuses entities
 * that expand to more than FEED_AMPLIFY times the document's size (one
 * big entity used over and over), and rows longer than FEED_MAXROW.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "book.h"

/* Records held to learn the columns from, and their bytes at most. */
#define FEED_LEARN 200
#define FEED_LEARNBYTES (16u << 20)
/* Columns at most (as many as a worksheet has). */
#define FEED_MAXCOLS 16384
/*
 * One record's XML text and nodes at most (a node of the expanded tree
 * takes some 130 bytes: a record of 16 MiB of <a/> would take 500 MiB),
 * and the text of its row.
 */
#define FEED_MAXRECORD (16u << 20)
#define FEED_MAXNODES (256ul << 10)
#define FEED_MAXROW (16u << 20)
/* Text from entities at most, per byte of the document (past a floor). */
#define FEED_AMPLIFY 10
#define FEED_AMPLIFY_FLOOR (1u << 20)
/* Internal entities within entities, at most. */
#define FEED_MAXENTDEPTH 16

#define FEED_OPTIONS (XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_COMPACT)

/* One step of --record: "/" or "//" (deep), then [prefix:]local or "*". */
struct step {
	char *prefix; /* NULL: any namespace */
	char *local;  /* "*": any name */
	xmlChar *uri; /* of prefix, found at the root element */
	int deep;
};

/* A value of a row: bytes off..off+len of the row's text, in column col. */
struct cell {
	size_t col, off, len;
};

/* One record made into values. */
struct row {
	long line;
	int measure; /* count the text's length without keeping it */
	struct cell *cell;
	size_t ncell, cellcap;
	char *text;
	size_t len, cap;
	int rejected; /* why says why it is to be rejected */
	char why[256];
};

/* An element open in the document, as the reader streams past it. */
struct open {
	const xmlChar *local, *uri; /* in the reader's dictionary */
};

struct feed {
	struct book *b;
	struct input *in;
	xmlTextReaderPtr rd;
	/* a failed read of the input, or the first XML error */
	int iofailed, xmlfailed;
	struct wy_err ioerr;
	long xmlline;
	char xmlmsg[256];
	xmlStructuredErrorFunc oldserror;
	void *oldsctx;
	/* input bytes given to libxml2; where the record being expanded began */
	unsigned long long nfed, recstart;
	unsigned long long nentity; /* bytes of text that entities made */
	int has_entities; /* the document declares general entities */
	int expanding;
	unsigned long nodestart; /* nodes_made when the expansion began */
	xmlRegisterNodeFunc oldregister;
	long recline;
	int recline_guessed; /* recline is not known, only guessed */
	/* --record */
	const char *path;
	struct step *step;
	size_t nstep;
	struct open *stack;
	size_t stackcap;
	char *reach; /* 2 * stackcap flags for path_matches */
	char *const *nsdef; /* --ns as "prefix=uri" */
	size_t nns;
	/* columns */
	xmlHashTablePtr colid; /* name -> index + 1 */
	char **colname;
	size_t ncol, colcap;
	unsigned long *seen; /* serial of the last record with column i */
	unsigned long serial;
	char *name;
	size_t namecap;
	/* --field */
	xmlXPathCompExprPtr *comp;
	xmlXPathContextPtr xp;
	char xperr[256];
	/* rows */
	struct row cur;
	struct row *held;
	size_t nheld, nextheld, heldbytes;
	int learnt; /* the header was returned */
	int positioned; /* the reader is at a node not looked at yet */
	int eof;
	int nrecords; /* some element matched --record */
	long rootline;
	long wsline; /* line of the '<' after the whitespace just read, or 0 */
	const xmlChar *rootname;
};

/*
 * Nodes libxml2 has made in this thread, counted by on_node (libxml2's
 * node-creation callback: the one way to see a tree grow while
 * xmlTextReaderExpand builds it).
 */
static unsigned long nodes_made;

static void
on_node(xmlNodePtr n)
{
	(void)n;
	nodes_made++;
}

static int
nomem(struct wy_err *e)
{
	return wy_errf(e, WY_EXIT_IO, "out of memory");
}

/* A data error at line of the feed, printf-style. */
static int
bad(struct feed *st, long line, struct wy_err *e, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
bad(struct feed *st, long line, struct wy_err *e, const char *fmt, ...)
{
	char msg[WY_ERRMAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return wy_errf(e, WY_EXIT_DATA, "%s:%ld: %s", st->b->name, line, msg);
}

/*
 * libxml2 reports here, for the reader's parser and for what it reports
 * without a parser (encoding conversion): keep the first error, drop
 * warnings; lib never prints.
 */
static void
on_xmlerr(void *ctx, xmlErrorPtr err)
{
	struct feed *st = ctx;
	size_t n;

	if (err == NULL || err->level < XML_ERR_ERROR || st->xmlfailed)
		return;
	st->xmlfailed = 1;
	/* in an entity's text, the line is within that text */
	st->xmlline = err->file != NULL && strcmp(err->file, st->b->name) == 0 ?
	    err->line : 0;
	snprintf(st->xmlmsg, sizeof st->xmlmsg, "%s",
	    err->message ? err->message : "XML error");
	n = strlen(st->xmlmsg);
	while (n > 0 && (st->xmlmsg[n - 1] == '\n' || st->xmlmsg[n - 1] == ' '))
		st->xmlmsg[--n] = '\0';
	/* one line: "...encoding !\nBytes: 0xE5 ..." */
	for (char *nl = st->xmlmsg; (nl = strchr(nl, '\n')) != NULL;)
		*nl = ' ';
	if (st->xmlmsg[0] >= 'A' && st->xmlmsg[0] <= 'Z' &&
	    !(st->xmlmsg[1] >= 'A' && st->xmlmsg[1] <= 'Z'))
		st->xmlmsg[0] += 'a' - 'A';
}

/* The reason the reader stopped, into e. */
static int
xml_failure(struct feed *st, struct wy_err *e)
{
	if (st->iofailed) {
		*e = st->ioerr;
		return -1;
	}
	if (st->xmlfailed)
		return bad(st, st->xmlline > 0 ? st->xmlline :
		    xmlTextReaderGetParserLineNumber(st->rd), e, "%s", st->xmlmsg);
	return bad(st, xmlTextReaderGetParserLineNumber(st->rd), e,
	    "cannot read the XML");
}

/* libxml2's input callback: the file's bytes, gzip undone. */
static int
feed_read(void *ctx, char *buf, int len)
{
	struct feed *st = ctx;
	ssize_t n;

	if (st->iofailed)
		return -1;
	/* a record too big to hold stops the parser at its next read */
	if (st->expanding && (st->nfed - st->recstart > FEED_MAXRECORD ||
	    nodes_made - st->nodestart > FEED_MAXNODES)) {
		wy_errf(&st->ioerr, WY_EXIT_DATA,
		    "%s:%ld: record of more than %u MiB of XML or %lu nodes",
		    st->b->name, st->recline, FEED_MAXRECORD >> 20, FEED_MAXNODES);
		st->iofailed = 1;
		return -1;
	}
	if ((n = input_raw_read(st->in, buf, len, &st->ioerr)) < 0) {
		st->iofailed = 1;
		return -1;
	}
	st->nfed += n;
	return n;
}

static int
feed_noclose(void *ctx)
{
	(void)ctx;
	return 0;
}

/* --ns PREFIX=URI: the URI of prefix, or NULL. */
static const char *
ns_uri(const struct feed *st, const char *prefix)
{
	size_t n = strlen(prefix);

	for (size_t i = 0; i < st->nns; i++)
		if (strncmp(st->nsdef[i], prefix, n) == 0 && st->nsdef[i][n] == '=')
			return st->nsdef[i] + n + 1;
	return NULL;
}

static int
check_ns(struct feed *st, struct wy_err *e)
{
	for (size_t i = 0; i < st->nns; i++) {
		const char *eq = strchr(st->nsdef[i], '=');

		if (eq == NULL || eq == st->nsdef[i] || eq[1] == '\0')
			return wy_errf(e, WY_EXIT_USAGE,
			    "--ns %s: want PREFIX=URI", st->nsdef[i]);
	}
	return 0;
}

/* A name test of --record: a QName or "*", or "prefix:*". */
static int
name_test_ok(const char *s, size_t n)
{
	if (n == 0 || s[0] == '.' || s[0] == '-' || s[0] == ':' ||
	    s[n - 1] == ':' || (s[0] >= '0' && s[0] <= '9'))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (strchr("[]()@=!<>|,'\" \t\n$", s[i]) != NULL)
			return 0;
	return 1;
}

/* Split --record into steps; only the forms a streaming match can answer. */
static int
parse_path(struct feed *st, const char *path, struct wy_err *e)
{
	const char *p = path;
	size_t cap = 0;

	if (*p != '/')
		goto unsupported;
	while (*p != '\0') {
		struct step s = { 0 };
		const char *q, *colon;

		p++;
		if (*p == '/')
			s.deep = 1, p++;
		for (q = p; *q != '\0' && *q != '/'; q++)
			;
		if (!name_test_ok(p, q - p))
			goto unsupported;
		colon = memchr(p, ':', q - p);
		if (colon != NULL && (memchr(colon + 1, ':', q - colon - 1) ||
		    (colon - p == 1 && *p == '*')))
			goto unsupported;
		if (st->nstep == cap) {
			struct step *n = realloc(st->step, (cap = cap * 2 + 4) * sizeof *n);

			if (n == NULL)
				return nomem(e);
			st->step = n;
		}
		if (colon != NULL) {
			s.prefix = strndup(p, colon - p);
			s.local = strndup(colon + 1, q - colon - 1);
		} else {
			s.local = strndup(p, q - p);
		}
		st->step[st->nstep++] = s;
		if (s.local == NULL || (colon != NULL && s.prefix == NULL))
			return nomem(e);
		if (strcmp(s.local, "*") != 0 && strchr(s.local, '*') != NULL)
			goto unsupported;
		p = q;
	}
	return 0;
unsupported:
	return wy_errf(e, WY_EXIT_USAGE,
	    "--record %s: not a path of element names (/a/b, //b, //a/b, //ns:b, *)",
	    path);
}

/*
 * At the root element: the namespaces of --record's prefixes, from --ns
 * or else from the root's declarations.
 */
static int
resolve_path(struct feed *st, struct wy_err *e)
{
	for (size_t i = 0; i < st->nstep; i++) {
		struct step *s = &st->step[i];
		const char *uri;

		if (s->prefix == NULL)
			continue;
		if ((uri = ns_uri(st, s->prefix)) != NULL)
			s->uri = xmlStrdup((const xmlChar *)uri);
		else
			s->uri = xmlTextReaderLookupNamespace(st->rd,
			    (const xmlChar *)s->prefix);
		if (s->uri == NULL)
			return bad(st, st->rootline, e,
			    "--record %s: namespace prefix \"%s\" is not declared "
			    "(give --ns %s=URI)", st->path, s->prefix, s->prefix);
	}
	return 0;
}

/*
 * Does step s name the element at depth k?  An unprefixed name matches
 * in any namespace: feeds put their records in a default namespace more
 * often than not, and //record should find them.
 */
static int
step_names(const struct step *s, const struct open *o)
{
	if (strcmp(s->local, "*") != 0 &&
	    !xmlStrEqual(o->local, (const xmlChar *)s->local))
		return 0;
	return s->prefix == NULL || xmlStrEqual(o->uri, s->uri);
}

/*
 * Is the element at depth (stack[0..depth]) one --record names?  A table
 * of which steps can end at which depth, O(steps * depth): no
 * backtracking, whatever the number of // steps.
 */
static int
path_matches(struct feed *st, size_t depth)
{
	char *prev = st->reach, *cur = st->reach + st->stackcap, *t;

	if (!step_names(&st->step[st->nstep - 1], &st->stack[depth]))
		return 0;
	for (size_t i = 0; i < st->nstep; i++) {
		const struct step *s = &st->step[i];
		int before = 0; /* the previous step ends above k */

		for (size_t k = 0; k <= depth; k++) {
			int placed;

			if (i == 0)
				placed = s->deep || k == 0;
			else
				placed = s->deep ? before : (k > 0 && prev[k - 1]);
			if (i > 0)
				before |= prev[k];
			cur[k] = placed && step_names(s, &st->stack[k]);
		}
		t = prev, prev = cur, cur = t;
	}
	return prev[depth];
}

static int
push_open(struct feed *st, size_t depth, struct wy_err *e)
{
	if (depth >= st->stackcap) {
		size_t ncap = depth * 2 + 16;
		struct open *s = realloc(st->stack, ncap * sizeof *s);
		char *r;

		if (s == NULL)
			return nomem(e);
		st->stack = s;
		if ((r = realloc(st->reach, 2 * ncap)) == NULL)
			return nomem(e);
		st->reach = r;
		st->stackcap = ncap;
	}
	st->stack[depth].local = xmlTextReaderConstLocalName(st->rd);
	st->stack[depth].uri = xmlTextReaderConstNamespaceUri(st->rd);
	return 0;
}

/* Append n bytes to the row's text. */
static int
put(struct feed *st, struct row *r, const void *p, size_t n, struct wy_err *e)
{
	if (n == 0)
		return 0;
	if (n > FEED_MAXROW - r->len)
		return bad(st, r->line, e, "record has more than %u MiB of text",
		    FEED_MAXROW >> 20);
	if (r->measure) {
		r->len += n;
		return 0;
	}
	if (r->len + n + 1 > r->cap &&
	    wy_grow(&r->text, &r->cap, r->len + n + 1, (size_t)-1, e) < 0)
		return -1;
	memcpy(r->text + r->len, p, n);
	r->len += n;
	return 0;
}

static int
blank(const xmlChar *s)
{
	for (; s != NULL && *s != '\0'; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

static int put_text(struct feed *, const xmlNode *, int, int, struct row *,
    struct wy_err *);

/*
 * The internal entity a reference is to; an undeclared or external one is
 * an error (external entities are never read, and their reference must
 * not pass for an empty value).
 */
static xmlEntityPtr
entity_of(struct feed *st, const xmlNode *ref, long line, struct wy_err *e)
{
	xmlEntityPtr ent = xmlGetDocEntity(ref->doc, ref->name);

	if (ent == NULL)
		bad(st, line, e, "entity &%s; is not declared "
		    "(external DTDs are not read)", ref->name);
	else if (ent->etype != XML_INTERNAL_GENERAL_ENTITY &&
	    ent->etype != XML_INTERNAL_PREDEFINED_ENTITY)
		bad(st, line, e, "entity &%s; is external: refused", ref->name);
	else
		return ent;
	return NULL;
}

/* The replacement text of an entity reference. */
static int
put_entity(struct feed *st, const xmlNode *ref, int depth, struct row *r,
    struct wy_err *e)
{
	xmlEntityPtr ent = entity_of(st, ref, r->line, e);
	size_t start = r->len;
	int rc;

	if (ent == NULL)
		return -1;
	if (depth >= FEED_MAXENTDEPTH)
		return bad(st, r->line, e, "entities nested more than %d deep",
		    FEED_MAXENTDEPTH);
	if (ent->children == NULL && ent->content != NULL)
		rc = put(st, r, ent->content, xmlStrlen(ent->content), e);
	else
		rc = put_text(st, ent->children, depth + 1, 0, r, e);
	if (rc < 0 || depth > 0)
		return rc;
	st->nentity += r->len - start;
	if (st->nentity > FEED_AMPLIFY_FLOOR &&
	    st->nentity / FEED_AMPLIFY > st->nfed)
		return bad(st, r->line, e, "entities expand to more than %d times "
		    "the size of the document", FEED_AMPLIFY);
	return 0;
}

/*
 * Append the text of the node list first (an element's children, an
 * attribute's value, an entity's content): text and CDATA as written,
 * character references decoded, entities expanded, comments and
 * processing instructions left out.  A whitespace-only text beside an
 * element is the indentation between elements, not a value: left out.
 * shallow: not the text inside child elements.
 */
static int
put_text(struct feed *st, const xmlNode *first, int depth, int shallow,
    struct row *r, struct wy_err *e)
{
	const xmlNode *n;
	int indented = 0;

	for (n = first; n != NULL && !indented; n = n->next)
		indented = n->type == XML_ELEMENT_NODE;
	for (n = first; n != NULL; n = n->next) {
		switch (n->type) {
		case XML_TEXT_NODE:
			if (indented && blank(n->content))
				break;
			/* FALLTHROUGH */
		case XML_CDATA_SECTION_NODE:
			if (put(st, r, n->content, xmlStrlen(n->content), e) < 0)
				return -1;
			break;
		case XML_ELEMENT_NODE:
			if (!shallow &&
			    put_text(st, n->children, depth, 0, r, e) < 0)
				return -1;
			break;
		case XML_ENTITY_REF_NODE:
			if (put_entity(st, n, depth, r, e) < 0)
				return -1;
			break;
		default:
			break;
		}
	}
	return 0;
}

static void
row_reject(struct row *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Mark the row to be rejected (the first reason stays). */
static void
row_reject(struct row *r, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (r->rejected)
		return;
	va_start(ap, fmt);
	n = vsnprintf(r->why, sizeof r->why, fmt, ap);
	va_end(ap);
	if (n >= sizeof r->why) {
		/* cut before a character cut off */
		n = sizeof r->why - 1;
		while (n > 0 && ((unsigned char)r->why[n - 1] & 0xc0) == 0x80)
			n--;
		if (n > 0 && (unsigned char)r->why[n - 1] >= 0xc0)
			n--;
		r->why[n] = '\0';
	}
	r->rejected = 1;
}

static void
row_reset(struct row *r, long line)
{
	r->line = line;
	r->ncell = 0;
	r->len = 0;
	r->rejected = 0;
}

static int
add_cell(struct row *r, size_t col, size_t off, struct wy_err *e)
{
	if (r->ncell == r->cellcap) {
		size_t ncap = r->cellcap * 2 + 16;
		struct cell *c = realloc(r->cell, ncap * sizeof *c);

		if (c == NULL)
			return nomem(e);
		r->cell = c;
		r->cellcap = ncap;
	}
	r->cell[r->ncell++] = (struct cell){ col, off, r->len - off };
	return 0;
}

/* Add a column named name; returns its index or -1 with e set. */
static long
new_column(struct feed *st, const char *name, struct wy_err *e)
{
	if (st->ncol == FEED_MAXCOLS)
		return bad(st, st->cur.line, e, "more than %d columns",
		    FEED_MAXCOLS);
	if (st->ncol == st->colcap) {
		size_t ncap = st->colcap * 2 + 32;
		char **c = realloc(st->colname, ncap * sizeof *c);
		unsigned long *s;

		if (c == NULL)
			return nomem(e);
		st->colname = c;
		if ((s = realloc(st->seen, ncap * sizeof *s)) == NULL)
			return nomem(e);
		st->seen = s;
		st->colcap = ncap;
	}
	if ((st->colname[st->ncol] = strdup(name)) == NULL)
		return nomem(e);
	st->seen[st->ncol] = 0;
	if (xmlHashAddEntry(st->colid, (const xmlChar *)name,
	    (void *)(uintptr_t)(st->ncol + 1)) < 0) {
		free(st->colname[st->ncol]);
		return nomem(e);
	}
	return st->ncol++;
}

/*
 * The column for the name in st->name: its index, a new one while the
 * columns are being learnt, or -2 when the row has no place for it (the
 * row is then marked to be rejected).  -1 with e set on error.
 */
static long
column(struct feed *st, struct row *r, struct wy_err *e)
{
	uintptr_t id = (uintptr_t)xmlHashLookup(st->colid, (xmlChar *)st->name);
	long col;

	if (id != 0)
		col = id - 1;
	else if (!st->learnt)
		col = new_column(st, st->name, e);
	else {
		row_reject(r, "no column for \"%s\" (the columns are those of the "
		    "first records; choose them with --field)", st->name);
		return -2;
	}
	if (col < 0)
		return -1;
	if (st->seen[col] == st->serial) {
		row_reject(r, "\"%s\" occurs more than once in the record "
		    "(choose with --field)", st->name);
		return -2;
	}
	st->seen[col] = st->serial;
	return col;
}

/* st->name = a b c. */
static int
set_name(struct feed *st, const char *a, const char *b, const char *c,
    struct wy_err *e)
{
	size_t la = strlen(a), lb = strlen(b), lc = strlen(c);

	if (wy_grow(&st->name, &st->namecap, la + lb + lc + 1, (size_t)-1, e) < 0)
		return -1;
	memcpy(st->name, a, la);
	memcpy(st->name + la, b, lb);
	memcpy(st->name + la + lb, c, lc);
	st->name[la + lb + lc] = '\0';
	return 0;
}

/* A value from the node list first into the column named in st->name. */
static int
put_value(struct feed *st, struct row *r, const xmlNode *first, int shallow,
    struct wy_err *e)
{
	size_t off = r->len;
	long col;

	if ((col = column(st, r, e)) == -1)
		return -1;
	if (col == -2)
		return 0;
	if (put_text(st, first, 0, shallow, r, e) < 0)
		return -1;
	return add_cell(r, col, off, e);
}

static int
put_attrs(struct feed *st, struct row *r, const xmlNode *el, const char *owner,
    struct wy_err *e)
{
	for (const xmlAttr *a = el->properties; a != NULL; a = a->next)
		if (set_name(st, owner, "@", (const char *)a->name, e) < 0 ||
		    put_value(st, r, a->children, 0, e) < 0)
			return -1;
	return 0;
}

/* Text written in the record itself (not in a child), if any. */
static int
has_own_text(const xmlNode *rec)
{
	for (const xmlNode *n = rec->children; n != NULL; n = n->next)
		if ((n->type == XML_TEXT_NODE && !blank(n->content)) ||
		    n->type == XML_CDATA_SECTION_NODE ||
		    n->type == XML_ENTITY_REF_NODE)
			return 1;
	return 0;
}

/* The row of a record by its children and attributes. */
static int
build_default(struct feed *st, const xmlNode *rec, struct row *r,
    struct wy_err *e)
{
	if (put_attrs(st, r, rec, "", e) < 0)
		return -1;
	if (has_own_text(rec) &&
	    (set_name(st, (const char *)rec->name, "", "", e) < 0 ||
	    put_value(st, r, rec->children, 1, e) < 0))
		return -1;
	for (const xmlNode *c = rec->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (set_name(st, (const char *)c->name, "", "", e) < 0 ||
		    put_value(st, r, c->children, 0, e) < 0 ||
		    put_attrs(st, r, c, (const char *)c->name, e) < 0)
			return -1;
	}
	return 0;
}

/* The text of one node an XPath selected. */
static int
put_node(struct feed *st, struct row *r, const xmlNode *n, struct wy_err *e)
{
	xmlChar *s;
	int rc;

	switch (n->type) {
	case XML_ELEMENT_NODE:
	case XML_ATTRIBUTE_NODE:
		return put_text(st, n->children, 0, 0, r, e);
	case XML_TEXT_NODE:
	case XML_CDATA_SECTION_NODE:
		return put(st, r, n->content, xmlStrlen(n->content), e);
	case XML_ENTITY_REF_NODE:
		return put_entity(st, n, 0, r, e);
	default:
		if ((s = xmlXPathCastNodeToString((xmlNodePtr)n)) == NULL)
			return nomem(e);
		rc = put(st, r, s, xmlStrlen(s), e);
		xmlFree(s);
		return rc;
	}
}

static void
on_xpatherr(void *ctx, xmlErrorPtr err)
{
	struct feed *st = ctx;

	snprintf(st->xperr, sizeof st->xperr, "%s",
	    err && err->message ? err->message : "XPath error");
	st->xperr[strcspn(st->xperr, "\n")] = '\0';
}

/*
 * The text the entities in a record make, counted but not kept, for the
 * guards of put_entity: XPath's string values expand entities themselves,
 * unguarded.  Refuses external entities anywhere in the record, too.
 */
static int
measure_entities(struct feed *st, const xmlNode *el, struct row *m,
    struct wy_err *e)
{
	for (const xmlAttr *a = el->properties; a != NULL; a = a->next)
		if (put_text(st, a->children, 0, 0, m, e) < 0)
			return -1;
	for (const xmlNode *c = el->children; c != NULL; c = c->next) {
		if (c->type == XML_ELEMENT_NODE && measure_entities(st, c, m, e) < 0)
			return -1;
		if (c->type == XML_ENTITY_REF_NODE && put_entity(st, c, 0, m, e) < 0)
			return -1;
	}
	return 0;
}

/* The row of a record by the --field XPaths. */
static int
build_fields(struct feed *st, xmlNodePtr rec, struct row *r, struct wy_err *e)
{
	struct row m = { .line = r->line, .measure = 1 };

	if (st->has_entities && measure_entities(st, rec, &m, e) < 0)
		return -1;
	for (size_t i = 0; i < st->b->opts->nfields; i++) {
		const char *spec = st->b->opts->fields[i];
		xmlXPathObjectPtr v;
		size_t off = r->len;
		xmlChar *s;
		int rc = 0;

		st->xp->doc = rec->doc;
		st->xp->node = rec;
		st->xperr[0] = '\0';
		if ((v = xmlXPathCompiledEval(st->comp[i], st->xp)) == NULL)
			return bad(st, r->line, e, "--field %s: %s", spec,
			    st->xperr[0] ? st->xperr : "cannot evaluate");
		if (v->type == XPATH_NODESET) {
			int n = v->nodesetval ? v->nodesetval->nodeNr : 0;

			if (n > 1)
				row_reject(r, "--field %s: %d nodes match", spec, n);
			if (n > 0)
				rc = put_node(st, r, v->nodesetval->nodeTab[0], e);
		} else if ((s = xmlXPathCastToString(v)) == NULL) {
			rc = nomem(e);
		} else {
			rc = put(st, r, s, xmlStrlen(s), e);
			xmlFree(s);
		}
		xmlXPathFreeObject(v);
		if (rc < 0 || add_cell(r, i, off, e) < 0)
			return -1;
	}
	return 0;
}

/* Line of the '<' of the element the reader is at. */
static long
element_line(struct feed *st)
{
	xmlNodePtr n = xmlTextReaderCurrentNode(st->rd);

	/*
	 * A whitespace run before the tag is parsed in one piece up to the
	 * '<' (runs under 300 bytes), so its line is the tag's, even past
	 * line 65534 where libxml2 stores no line in an element.
	 */
	if (st->wsline > 0)
		return st->wsline;
	if (n != NULL && n->line < 65535)
		return n->line;
	st->recline_guessed = 1;
	return xmlTextReaderGetParserLineNumber(st->rd); /* a little ahead */
}

/*
 * A better guess, once the record is expanded, when element_line had
 * none: where its first text begins (that text's line is where libxml2
 * was when it began reading it), usually the start tag's line.
 */
static long
guess_line(const xmlNode *rec, long guess)
{
	const xmlNode *n = rec->children;
	long line;

	while (n != NULL && n->type == XML_ELEMENT_NODE)
		n = n->children;
	if (n == NULL || n->type != XML_TEXT_NODE || (line = xmlGetLineNo(n)) <= 0)
		return guess;
	for (const xmlChar *s = n->content; s != NULL && *s != '\0'; s++)
		line -= *s == '\n';
	return line > 0 && line < guess ? line : guess;
}

/* At the root element: what needs the document's declarations. */
static int
at_root(struct feed *st, struct wy_err *e)
{
	xmlNodePtr root = xmlTextReaderCurrentNode(st->rd);

	st->rootline = element_line(st);
	st->rootname = xmlTextReaderConstName(st->rd);
	st->has_entities = root != NULL && root->doc != NULL &&
	    root->doc->intSubset != NULL &&
	    root->doc->intSubset->entities != NULL &&
	    xmlHashSize(root->doc->intSubset->entities) > 0;
	if (resolve_path(st, e) < 0)
		return -1;
	if (st->xp == NULL || root == NULL)
		return 0;
	/* --field may use the prefixes the root declares, unless --ns does */
	for (xmlNsPtr ns = root->nsDef; ns != NULL; ns = ns->next)
		if (ns->prefix != NULL && ns_uri(st, (const char *)ns->prefix) == NULL &&
		    xmlXPathRegisterNs(st->xp, ns->prefix, ns->href) < 0)
			return nomem(e);
	return 0;
}

/*
 * Move the reader to the next record: 1 (the reader is at its start
 * tag), 0 at the end of the document, -1 with e set.
 */
static int
seek_record(struct feed *st, struct wy_err *e)
{
	int rc, type, depth;

	for (;;) {
		if (st->positioned)
			st->positioned = 0;
		else if ((rc = xmlTextReaderRead(st->rd)) != 1) {
			if (rc < 0 || st->xmlfailed || st->iofailed)
				return xml_failure(st, e);
			return 0;
		}
		if (st->xmlfailed || st->iofailed)
			return xml_failure(st, e);
		type = xmlTextReaderNodeType(st->rd);
		if (type == XML_READER_TYPE_WHITESPACE ||
		    type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) {
			st->wsline = xmlGetLineNo(xmlTextReaderCurrentNode(st->rd));
			continue;
		}
		if (type == XML_READER_TYPE_ENTITY_REFERENCE &&
		    entity_of(st, xmlTextReaderCurrentNode(st->rd),
		    element_line(st), e) == NULL)
			return -1;
		if (type != XML_READER_TYPE_ELEMENT) {
			st->wsline = 0;
			continue;
		}
		depth = xmlTextReaderDepth(st->rd);
		if (depth < 0 || push_open(st, depth, e) < 0)
			return depth < 0 ? xml_failure(st, e) : -1;
		if (depth == 0 && at_root(st, e) < 0)
			return -1;
		if (path_matches(st, depth)) {
			st->recline_guessed = 0;
			st->recline = element_line(st);
			st->wsline = 0;
			return 1;
		}
		st->wsline = 0;
	}
}

/* The next record into r: 1, 0 at the end, -1 with e set. */
static int
next_record(struct feed *st, struct row *r, struct wy_err *e)
{
	xmlNodePtr rec;
	int rc;

	if (st->eof)
		return 0;
	if ((rc = seek_record(st, e)) <= 0) {
		st->eof = rc == 0;
		return rc;
	}
	st->nrecords = 1;
	row_reset(r, st->recline);
	st->expanding = 1;
	st->recstart = st->nfed;
	st->nodestart = nodes_made;
	rec = xmlTextReaderExpand(st->rd);
	st->expanding = 0;
	if (rec == NULL || st->xmlfailed || st->iofailed)
		return xml_failure(st, e);
	if (st->recline_guessed)
		r->line = st->recline = guess_line(rec, st->recline);
	st->serial++;
	if ((st->xp ? build_fields(st, rec, r, e) : build_default(st, rec, r, e)) < 0)
		return -1;
	rc = xmlTextReaderNext(st->rd);
	if (rc < 0 || st->xmlfailed || st->iofailed)
		return xml_failure(st, e);
	st->positioned = rc == 1;
	st->eof = rc == 0;
	return 1;
}

/* A copy of r to hold, sized to fit. */
static int
hold(struct feed *st, const struct row *r, struct wy_err *e)
{
	struct row *h;
	struct row *nh = realloc(st->held, (st->nheld + 1) * sizeof *nh);

	if (nh == NULL)
		return nomem(e);
	st->held = nh;
	h = &st->held[st->nheld];
	*h = (struct row){ .line = r->line, .ncell = r->ncell, .len = r->len };
	h->cell = malloc(r->ncell * sizeof *h->cell + 1);
	h->text = malloc(r->len + 1);
	if (h->cell == NULL || h->text == NULL) {
		free(h->cell);
		free(h->text);
		return nomem(e);
	}
	if (r->ncell > 0)
		memcpy(h->cell, r->cell, r->ncell * sizeof *h->cell);
	if (r->len > 0)
		memcpy(h->text, r->text, r->len);
	h->rejected = r->rejected;
	memcpy(h->why, r->why, sizeof h->why);
	st->nheld++;
	st->heldbytes += r->len + r->ncell * sizeof *h->cell;
	return 0;
}

static void
free_held(struct feed *st)
{
	for (size_t i = 0; i < st->nheld; i++) {
		free(st->held[i].cell);
		free(st->held[i].text);
	}
	free(st->held);
	st->held = NULL;
	st->nheld = st->nextheld = 0;
}

/* Read the records the columns are learnt from. */
static int
learn(struct feed *st, struct wy_err *e)
{
	size_t want = st->xp ? 1 : FEED_LEARN;
	int rc;

	while (st->nheld < want && st->heldbytes < FEED_LEARNBYTES) {
		if ((rc = next_record(st, &st->cur, e)) < 0)
			return -1;
		if (rc == 0)
			break;
		if (hold(st, &st->cur, e) < 0)
			return -1;
	}
	if (st->xp != NULL)
		return 0;
	if (st->nrecords == 0 && st->b->opts->record != NULL)
		return wy_errf(e, WY_EXIT_DATA, "%s: no element matches --record %s",
		    st->b->name, st->b->opts->record);
	if (st->nrecords == 0)
		return wy_errf(e, WY_EXIT_DATA,
		    "%s: the root element <%s> holds no elements to make rows of",
		    st->b->name, st->rootname ? (const char *)st->rootname : "");
	if (st->ncol == 0)
		return bad(st, st->held[0].line, e,
		    "the records have no child elements, attributes or text");
	return 0;
}

/* A row into out: fields up to the last non-empty one. */
static int
emit(struct feed *st, const struct row *r, struct rec *out, struct wy_err *e)
{
	size_t nf = 0;

	for (size_t i = 0; i < r->ncell; i++)
		if (r->cell[i].len > 0 && r->cell[i].col >= nf)
			nf = r->cell[i].col + 1;
	out->nf = 0;
	while (out->nf < nf)
		if (rec_push(out, "", 0, e) < 0)
			return -1;
	for (size_t i = 0; i < r->ncell; i++)
		if (r->cell[i].len > 0) {
			out->f[r->cell[i].col].p = r->text + r->cell[i].off;
			out->f[r->cell[i].col].len = r->cell[i].len;
		}
	out->line = st->b->row = r->line;
	st->b->rowerr = r->rejected ? r->why : NULL;
	return 1;
}

static int
emit_header(struct feed *st, struct rec *out, struct wy_err *e)
{
	size_t n = st->xp ? st->b->opts->nfields : st->ncol;

	out->nf = 0;
	for (size_t i = 0; i < n; i++) {
		const char *name = st->xp ? st->b->opts->fields[i] : st->colname[i];
		size_t len = st->xp ? strcspn(name, "=") : strlen(name);

		if (rec_push(out, name, len, e) < 0)
			return -1;
	}
	out->line = st->b->row = st->nheld > 0 ? st->held[0].line : st->rootline;
	st->b->rowerr = NULL;
	return 1;
}

static int
feed_row(struct book *b, struct rec *row, struct wy_err *e)
{
	struct feed *st = b->impl;
	int rc;

	if (!st->learnt) {
		if (learn(st, e) < 0)
			return -1;
		st->learnt = 1;
		return emit_header(st, row, e);
	}
	if (st->nextheld < st->nheld)
		return emit(st, &st->held[st->nextheld++], row, e);
	if (st->held != NULL)
		free_held(st);
	if ((rc = next_record(st, &st->cur, e)) <= 0)
		return rc;
	return emit(st, &st->cur, row, e);
}

static int
feed_sheet(struct book *b, size_t i, struct wy_err *e)
{
	if (i != 0)
		return wy_errf(e, WY_EXIT_USAGE, "%s: a feed has one sheet, not %zu",
		    b->name, i + 1);
	return 0;
}

static void
feed_close(struct book *b)
{
	struct feed *st = b->impl;

	if (st == NULL)
		return;
	if (st->rd != NULL)
		xmlFreeTextReader(st->rd);
	if (st->xp != NULL)
		xmlXPathFreeContext(st->xp);
	for (size_t i = 0; st->comp != NULL && i < st->b->opts->nfields; i++)
		xmlXPathFreeCompExpr(st->comp[i]);
	free(st->comp);
	for (size_t i = 0; i < st->nstep; i++) {
		free(st->step[i].prefix);
		free(st->step[i].local);
		xmlFree(st->step[i].uri);
	}
	free(st->step);
	free(st->stack);
	free(st->reach);
	if (st->colid != NULL)
		xmlHashFree(st->colid, NULL);
	for (size_t i = 0; i < st->ncol; i++)
		free(st->colname[i]);
	free(st->colname);
	free(st->seen);
	free(st->name);
	free(st->cur.cell);
	free(st->cur.text);
	free_held(st);
	xmlSetStructuredErrorFunc(st->oldsctx, st->oldserror);
	xmlRegisterNodeDefault(st->oldregister);
	book_free_sheets(b);
	free(st);
	b->impl = NULL;
}

static const struct book_ops feed_ops = { feed_sheet, feed_row, feed_close };

/* The sheet's name: the file's, without directory, .gz and extension. */
static int
sheet_name(struct book *b, struct wy_err *e)
{
	const char *base = strrchr(b->name, '/') ? strrchr(b->name, '/') + 1 : b->name;
	size_t n = strlen(base);
	const char *dot;

	if (n > 3 && strcmp(base + n - 3, ".gz") == 0)
		n -= 3;
	for (dot = base + n; dot > base && dot[-1] != '.'; dot--)
		;
	if (dot > base + 1)
		n = dot - 1 - base;
	if ((b->sheets = malloc(sizeof *b->sheets)) == NULL ||
	    (b->sheets[0] = strndup(base, n)) == NULL) {
		free(b->sheets);
		b->sheets = NULL;
		return nomem(e);
	}
	b->nsheets = 1;
	return 0;
}

/* Compile --field NAME=XPATH, with --ns prefixes. */
static int
compile_fields(struct feed *st, struct wy_err *e)
{
	const struct book_opts *o = st->b->opts;

	if ((st->xp = xmlXPathNewContext(NULL)) == NULL ||
	    (st->comp = calloc(o->nfields, sizeof *st->comp)) == NULL)
		return nomem(e);
	st->xp->error = on_xpatherr;
	st->xp->userData = st;
	for (size_t i = 0; i < st->nns; i++) {
		char *eq = strchr(st->nsdef[i], '=');
		char *prefix = strndup(st->nsdef[i], eq - st->nsdef[i]);
		int rc = prefix ? xmlXPathRegisterNs(st->xp, (xmlChar *)prefix,
		    (xmlChar *)eq + 1) : -1;

		free(prefix);
		if (rc < 0)
			return nomem(e);
	}
	for (size_t i = 0; i < o->nfields; i++) {
		const char *eq = strchr(o->fields[i], '=');

		if (eq == NULL || eq == o->fields[i] || eq[1] == '\0')
			return wy_errf(e, WY_EXIT_USAGE,
			    "--field %s: want NAME=XPATH", o->fields[i]);
		st->xperr[0] = '\0';
		st->comp[i] = xmlXPathCtxtCompile(st->xp, (const xmlChar *)eq + 1);
		if (st->comp[i] == NULL)
			return wy_errf(e, WY_EXIT_USAGE, "--field %s: %s",
			    o->fields[i], st->xperr[0] ? st->xperr : "not an XPath");
	}
	return 0;
}

int
feed_open(struct book *b, struct input *in, struct wy_err *e)
{
	struct feed *st = calloc(1, sizeof *st);
	const struct book_opts *o = b->opts;

	if (st == NULL)
		return nomem(e);
	st->b = b;
	st->in = in;
	st->nsdef = o->ns;
	st->nns = o->nns;
	st->path = o->record ? o->record : "/*/*";
	st->oldserror = xmlStructuredError;
	st->oldsctx = xmlStructuredErrorContext;
	b->impl = st;
	b->ops = &feed_ops;
	xmlSetStructuredErrorFunc(st, on_xmlerr);
	st->oldregister = xmlRegisterNodeDefault(on_node);
	if (sheet_name(b, e) < 0 || check_ns(st, e) < 0 ||
	    parse_path(st, st->path, e) < 0 ||
	    (o->nfields > 0 && compile_fields(st, e) < 0))
		goto fail;
	if ((st->colid = xmlHashCreate(64)) == NULL) {
		nomem(e);
		goto fail;
	}
	st->rd = xmlReaderForIO(feed_read, feed_noclose, st, b->name, NULL,
	    FEED_OPTIONS);
	if (st->rd == NULL) {
		if (!st->iofailed)
			nomem(e);
		else
			*e = st->ioerr;
		goto fail;
	}
	xmlTextReaderSetStructuredErrorHandler(st->rd, on_xmlerr, st);
	return 0;
fail:
	feed_close(b);
	b->ops = NULL;
	return -1;
}
