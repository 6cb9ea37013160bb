/*
 * biff: formula results, booleans and error values of one .xls sheet,
 * from its BIFF records (see biff.h for what and why).
 *
 * The OLE2 container is opened with libgsf, which gives the Workbook
 * (BIFF8) or Book (BIFF5) stream.  A record is a type (u16), a length
 * (u16) and that many bytes; every length is checked against the stream
 * before it is read, into a buffer that holds the largest record.  The
 * globals substream, from the stream's start to its EOF record, gives the
 * XF records' formats (which formula results are dates), the FORMAT codes,
 * the date system, the code page, and each sheet's offset (BOUNDSHEET): a
 * sheet's substream runs from the BOF record there to its EOF; the BOF/EOF
 * pairs of embedded charts inside it are skipped by depth, not recursion.
 *
 * A FORMULA record holds its cached result in 8 bytes: an IEEE double, or,
 * when the last two bytes are FF FF, a tag in the first byte: 0 text (in
 * the STRING record that follows, after any SHRFMLA or ARRAY record; a
 * BIFF8 string goes on in CONTINUE records, each with a new flags byte),
 * 1 boolean, 2 error code, 3 the empty string.  Shared and array formulas
 * have a FORMULA record per cell with its own cached result, so they are
 * covered too.
 */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-input-stdio.h>
#include <gsf/gsf-input.h>

#include "biff.h"
#include "book.h"

enum {
	REC_FORMULA = 0x0006,
	REC_EOF = 0x000a,
	REC_DATEMODE = 0x0022,
	REC_CONTINUE = 0x003c,
	REC_CODEPAGE = 0x0042,
	REC_BOUNDSHEET = 0x0085,
	REC_XF = 0x00e0,
	REC_BOOLERR = 0x0205,
	REC_STRING = 0x0207,
	REC_BOF = 0x0809,
	REC_FORMAT = 0x041e
};

#define BIFF_MAXSHEETS 65535u
#define BIFF_MAXXF 65536u
#define BIFF_NOKIND 0xff /* a format id without a FORMAT record */

struct scan {
	GsfInput *in;
	const char *where;
	int biff8;	   /* else BIFF5 */
	int date1904;
	unsigned int codepage;
	iconv_t cd; /* from it, once a BIFF5 string needs it, or (iconv_t)-1 */
	unsigned int type, len; /* the record just read */
	unsigned char rec[0xffff];
	/* globals: each XF's format id, each format id's cell_date_format */
	uint16_t *xf;
	size_t nxf;
	unsigned char *fmtkind;
	/* the sheet's BOF offset */
	size_t want, nsheets;
	gsf_off_t sheet_at;
	/* a formula's text result being read from STRING and CONTINUE */
	int pending;	    /* a FORMULA asked for a STRING */
	uint32_t prow;
	uint16_t pcol;
	size_t pstart, pleft; /* where its text began, chars still to read */
	unsigned int hi;      /* a UTF-16 high surrogate waiting for its low */
};

static unsigned int
u16(const unsigned char *p)
{
	return p[0] | (unsigned int)p[1] << 8;
}

static uint32_t
u32(const unsigned char *p)
{
	return u16(p) | (uint32_t)u16(p + 2) << 16;
}

static int
corrupt(struct scan *s, const char *why, struct wy_err *e)
{
	return wy_errf(e, WY_EXIT_DATA, "%s: corrupt BIFF records: %s", s->where,
	    why);
}

/* The next record into s: 1, 0 at the stream's end, or -1 with e set. */
static int
next_record(struct scan *s, struct wy_err *e)
{
	unsigned char head[4];
	gsf_off_t left = gsf_input_remaining(s->in);

	if (left == 0)
		return 0;
	if (left < 4 || gsf_input_read(s->in, 4, head) == NULL)
		return corrupt(s, "a record is cut off", e);
	s->type = u16(head);
	s->len = u16(head + 2);
	if (gsf_input_remaining(s->in) < (gsf_off_t)s->len ||
	    (s->len > 0 && gsf_input_read(s->in, s->len, s->rec) == NULL))
		return corrupt(s, "a record runs past the stream", e);
	return 1;
}

static int
add_text(struct scan *s, struct biff_overlay *o, const char *p, size_t n,
    struct wy_err *e)
{
	if (o->textlen + n > BIFF_MAXTEXT)
		return wy_errf(e, WY_EXIT_DATA,
		    "%s: more than %u bytes of formula text in a sheet", s->where,
		    BIFF_MAXTEXT);
	if (wy_grow(&o->text, &o->textcap, o->textlen + n + 1, BIFF_MAXTEXT + 1,
	        e) < 0)
		return -1;
	memcpy(o->text + o->textlen, p, n);
	o->textlen += n;
	return 0;
}

/* Code point c as UTF-8 onto the text. */
static int
add_char(struct scan *s, struct biff_overlay *o, unsigned int c,
    struct wy_err *e)
{
	char u[4];
	size_t n;

	if (c < 0x80) {
		u[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (char)(0xc0 | c >> 6);
		u[1] = (char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (char)(0xe0 | c >> 12);
		u[1] = (char)(0x80 | (c >> 6 & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | c >> 18);
		u[1] = (char)(0x80 | (c >> 12 & 0x3f));
		u[2] = (char)(0x80 | (c >> 6 & 0x3f));
		u[3] = (char)(0x80 | (c & 0x3f));
		n = 4;
	}
	return add_text(s, o, u, n, e);
}

/* One UTF-16 unit; a surrogate without its pair becomes U+FFFD. */
static int
add_utf16(struct scan *s, struct biff_overlay *o, unsigned int u,
    struct wy_err *e)
{
	if (s->hi != 0 && u >= 0xdc00 && u <= 0xdfff) {
		u = 0x10000 + ((s->hi - 0xd800) << 10) + (u - 0xdc00);
		s->hi = 0;
		return add_char(s, o, u, e);
	}
	if (s->hi != 0) {
		s->hi = 0;
		if (add_char(s, o, 0xfffd, e) < 0)
			return -1;
	}
	if (u >= 0xd800 && u <= 0xdbff) {
		s->hi = u;
		return 0;
	}
	return add_char(s, o, u >= 0xdc00 && u <= 0xdfff ? 0xfffd : u, e);
}

/*
 * Up to *left characters of a BIFF8 string from p (n bytes): UTF-16LE
 * when wide, else one byte each (Latin-1); *left counts down.
 */
static int
add_chars8(struct scan *s, struct biff_overlay *o, const unsigned char *p,
    size_t n, int wide, size_t *left, struct wy_err *e)
{
	size_t i = 0, step = wide ? 2 : 1;

	for (; *left > 0 && i + step <= n; i += step, --*left)
		if ((wide ? add_utf16(s, o, u16(p + i), e) : add_char(s, o, p[i], e)) < 0)
			return -1;
	return 0;
}

/* The converter from the workbook's code page (BIFF5) to UTF-8. */
static int
open_codepage(struct scan *s, struct wy_err *e)
{
	char name[32];

	if (s->cd != (iconv_t)-1)
		return 0;
	if (s->codepage == 367 || s->codepage == 20127)
		snprintf(name, sizeof name, "ASCII");
	else if (s->codepage == 10000 || s->codepage == 32768)
		snprintf(name, sizeof name, "MACINTOSH");
	else if (s->codepage == 32769 || s->codepage == 1200)
		snprintf(name, sizeof name, "CP1252");
	else
		snprintf(name, sizeof name, "CP%u", s->codepage);
	if ((s->cd = iconv_open("UTF-8", name)) == (iconv_t)-1)
		return wy_errf(e, WY_EXIT_DATA, "%s: unsupported code page %u",
		    s->where, s->codepage);
	return 0;
}

/* n bytes in the workbook's code page (BIFF5) as UTF-8 onto the text. */
static int
add_codepage(struct scan *s, struct biff_overlay *o, const unsigned char *p,
    size_t n, struct wy_err *e)
{
	char out[1024], *in = (char *)p, *to;
	size_t inleft = n, outleft;
	int rc = 0;

	if (open_codepage(s, e) < 0)
		return -1;
	iconv(s->cd, NULL, NULL, NULL, NULL);
	while (inleft > 0 && rc == 0) {
		to = out;
		outleft = sizeof out;
		if (iconv(s->cd, &in, &inleft, &to, &outleft) == (size_t)-1 &&
		    errno != E2BIG)
			rc = wy_errf(e, WY_EXIT_DATA, "%s: text that does not decode "
			    "in the workbook's code page", s->where);
		else
			rc = add_text(s, o, out, (size_t)(to - out), e);
	}
	return rc;
}

/* Add cell (row, col) whose text began at start and runs to the end. */
static int
add_cell(struct scan *s, struct biff_overlay *o, uint32_t row, unsigned int col,
    int kind, size_t start, struct wy_err *e)
{
	struct biff_cell *c;

	if (col >= BIFF_MAXCOLS) { /* not a cell FreeXL has either */
		o->textlen = start;
		return 0;
	}
	if (o->ncells >= BIFF_MAXCELLS)
		return corrupt(s, "more formula cells than a sheet has", e);
	if (wy_grow(&o->cells, &o->cellcap, (o->ncells + 1) * sizeof *o->cells,
	        (size_t)BIFF_MAXCELLS * sizeof *o->cells, e) < 0)
		return -1;
	c = &o->cells[o->ncells++];
	c->row = row;
	c->col = (uint16_t)col;
	c->kind = (uint8_t)kind;
	c->off = start;
	c->len = o->textlen - start;
	return 0;
}

static int
add_cell_text(struct scan *s, struct biff_overlay *o, uint32_t row,
    unsigned int col, int kind, const char *text, struct wy_err *e)
{
	size_t start = o->textlen;

	if (add_text(s, o, text, strlen(text), e) < 0)
		return -1;
	return add_cell(s, o, row, col, kind, start, e);
}

/* The text an error code shows; an unknown code is #N/A's kin, #VALUE!. */
static const char *
error_text(unsigned int code)
{
	switch (code) {
	case 0x00: return "#NULL!";
	case 0x07: return "#DIV/0!";
	case 0x0f: return "#VALUE!";
	case 0x17: return "#REF!";
	case 0x1d: return "#NAME?";
	case 0x24: return "#NUM!";
	case 0x2a: return "#N/A";
	default: return "#VALUE!";
	}
}

/* The display kind (CELL_NUMBER, CELL_DATE...) of XF ixfe. */
static int
xf_kind(const struct scan *s, unsigned int ixfe)
{
	unsigned int fmt;

	if (ixfe >= s->nxf)
		return CELL_NUMBER;
	fmt = s->xf[ixfe];
	if (s->fmtkind[fmt] != BIFF_NOKIND)
		return s->fmtkind[fmt];
	return cell_date_format((int)fmt, NULL);
}

/* A FORMULA's number: as a date when its XF shows one. */
static int
add_number(struct scan *s, struct biff_overlay *o, uint32_t row,
    unsigned int col, unsigned int ixfe, const unsigned char *p,
    struct wy_err *e)
{
	char buf[CELL_MAX];
	uint64_t bits = u32(p) | (uint64_t)u32(p + 4) << 32;
	double v;
	int kind = xf_kind(s, ixfe), n = -1;

	memcpy(&v, &bits, sizeof v);
	if (kind != CELL_NUMBER)
		n = cell_date(v, s->date1904, kind, buf);
	if (n < 0 && cell_number(v, buf) < 0)
		return wy_errf(e, WY_EXIT_DATA, "%s: a formula's cached value in "
		    "row %u is not a number", s->where, (unsigned int)row + 1);
	return add_cell_text(s, o, row, col, BIFF_FORMULA, buf, e);
}

static int
on_formula(struct scan *s, struct biff_overlay *o, struct wy_err *e)
{
	const unsigned char *r = s->rec;
	uint32_t row;
	unsigned int col;

	if (s->len < 16)
		return corrupt(s, "a FORMULA record is too short", e);
	row = u16(r);
	col = u16(r + 2);
	s->pending = 0;
	if (u16(r + 12) != 0xffff)
		return add_number(s, o, row, col, u16(r + 4), r + 6, e);
	switch (r[6]) {
	case 0: /* the text is in the STRING record to come */
		s->pending = 1;
		s->prow = row;
		s->pcol = (uint16_t)col;
		return 0;
	case 1:
		return add_cell_text(s, o, row, col, BIFF_FORMULA,
		    r[8] ? "TRUE" : "FALSE", e);
	case 2:
		return add_cell_text(s, o, row, col, BIFF_FORMULA, error_text(r[8]),
		    e);
	case 3:
		return add_cell_text(s, o, row, col, BIFF_FORMULA, "", e);
	default:
		return corrupt(s, "a FORMULA record has an unknown result type", e);
	}
}

/* The pending formula's text is all read (or cut short): its cell. */
static int
end_string(struct scan *s, struct biff_overlay *o, struct wy_err *e)
{
	s->pending = 0;
	s->pleft = 0;
	if (s->hi != 0) {
		s->hi = 0;
		if (add_char(s, o, 0xfffd, e) < 0)
			return -1;
	}
	return add_cell(s, o, s->prow, s->pcol, BIFF_FORMULA, s->pstart, e);
}

static int
on_string(struct scan *s, struct biff_overlay *o, struct wy_err *e)
{
	const unsigned char *r = s->rec;
	size_t at, cch, len = s->len;
	unsigned int flags;

	s->pstart = o->textlen;
	s->hi = 0;
	if (len < 2)
		return corrupt(s, "a STRING record is too short", e);
	cch = u16(r);
	if (!s->biff8) {
		if (cch > len - 2)
			return corrupt(s, "a STRING record is cut off", e);
		s->pleft = 0;
		if (add_codepage(s, o, r + 2, cch, e) < 0)
			return -1;
		return end_string(s, o, e);
	}
	if (len < 3)
		return corrupt(s, "a STRING record is too short", e);
	flags = r[2];
	at = 3 + (flags & 0x08 ? 2 : 0) + (flags & 0x04 ? 4 : 0);
	if (at > len)
		return corrupt(s, "a STRING record is cut off", e);
	s->pleft = cch;
	if (add_chars8(s, o, r + at, len - at, flags & 1, &s->pleft, e) < 0)
		return -1;
	return s->pleft == 0 ? end_string(s, o, e) : 0;
}

/* A CONTINUE of the pending string: a flags byte, then more characters. */
static int
on_continue(struct scan *s, struct biff_overlay *o, struct wy_err *e)
{
	if (s->len < 1)
		return end_string(s, o, e);
	if (add_chars8(s, o, s->rec + 1, s->len - 1, s->rec[0] & 1, &s->pleft,
	        e) < 0)
		return -1;
	return s->pleft == 0 ? end_string(s, o, e) : 0;
}

static int
on_boolerr(struct scan *s, struct biff_overlay *o, struct wy_err *e)
{
	const unsigned char *r = s->rec;

	if (s->len < 8)
		return corrupt(s, "a BOOLERR record is too short", e);
	return add_cell_text(s, o, u16(r), u16(r + 2), BIFF_BOOLERR,
	    r[7] ? error_text(r[6]) : r[6] ? "TRUE" : "FALSE", e);
}

/* One record of the sheet's own substream. */
static int
sheet_record(struct scan *s, struct biff_overlay *o, struct wy_err *e)
{
	int reading = s->pending && s->pleft > 0; /* a string goes on */

	if (reading && s->type == REC_CONTINUE)
		return on_continue(s, o, e);
	if (reading && end_string(s, o, e) < 0) /* cut short */
		return -1;
	switch (s->type) {
	case REC_FORMULA:
		return on_formula(s, o, e);
	case REC_STRING:
		return s->pending ? on_string(s, o, e) : 0;
	case REC_BOOLERR:
		return on_boolerr(s, o, e);
	default:
		return 0;
	}
}

/* A BIFF5 or BIFF8 BOF record; sets s->biff8. */
static int
check_bof(struct scan *s, struct wy_err *e)
{
	unsigned int vers;

	if (s->type != REC_BOF || s->len < 4)
		return corrupt(s, "no BOF record where a substream begins", e);
	vers = u16(s->rec);
	if (vers != 0x0600 && vers != 0x0500)
		return corrupt(s, "not BIFF5 or BIFF8", e);
	s->biff8 = vers == 0x0600;
	return 0;
}

/* A FORMAT record: the display kind of its format id. */
static void
on_format(struct scan *s)
{
	char code[256];
	size_t cch, n = 0, at;
	unsigned int id;
	int wide;

	if (s->len < 3)
		return;
	id = u16(s->rec);
	if (s->biff8) {
		if (s->len < 5)
			return;
		cch = u16(s->rec + 2);
		wide = s->rec[4] & 1;
		at = 5;
	} else {
		cch = s->rec[2];
		wide = 0;
		at = 3;
	}
	/* only ASCII letters and quotes tell a date: other characters are '?' */
	for (; n < cch && n + 1 < sizeof code && at + (wide ? 2 : 1) <= s->len; n++) {
		unsigned int c = wide ? u16(s->rec + at) : s->rec[at];

		code[n] = c > 0 && c < 0x80 ? (char)c : '?';
		at += wide ? 2 : 1;
	}
	code[n] = '\0';
	s->fmtkind[id] = (unsigned char)cell_date_format((int)id, code);
}

/* The globals substream, up to its EOF. */
static int
read_globals(struct scan *s, struct wy_err *e)
{
	int rc;

	if ((rc = next_record(s, e)) <= 0)
		return rc < 0 ? -1 : corrupt(s, "the workbook stream is empty", e);
	if (check_bof(s, e) < 0)
		return -1;
	while ((rc = next_record(s, e)) > 0 && s->type != REC_EOF) {
		if (s->type == REC_DATEMODE && s->len >= 2)
			s->date1904 = u16(s->rec) != 0;
		else if (s->type == REC_CODEPAGE && s->len >= 2)
			s->codepage = u16(s->rec);
		else if (s->type == REC_FORMAT)
			on_format(s);
		else if (s->type == REC_XF && s->len >= 4 && s->nxf < BIFF_MAXXF)
			s->xf[s->nxf++] = (uint16_t)u16(s->rec + 2);
		else if (s->type == REC_BOUNDSHEET && s->len >= 4 &&
		    s->nsheets++ == s->want)
			s->sheet_at = u32(s->rec);
	}
	return rc < 0 ? -1 : 0;
}

/* The sheet's substream: from its BOF to the EOF at the same depth. */
static int
read_sheet(struct scan *s, struct biff_overlay *o, struct wy_err *e)
{
	unsigned long depth = 1;
	int rc;

	if (s->sheet_at < 0)
		return wy_errf(e, WY_EXIT_DATA, "%s: no sheet %zu in the BIFF records",
		    s->where, s->want + 1);
	if (s->sheet_at >= gsf_input_size(s->in) ||
	    gsf_input_seek(s->in, s->sheet_at, G_SEEK_SET))
		return corrupt(s, "a sheet's offset is past the stream", e);
	if ((rc = next_record(s, e)) <= 0)
		return rc < 0 ? -1 : corrupt(s, "a sheet is empty", e);
	if (check_bof(s, e) < 0)
		return -1;
	while ((rc = next_record(s, e)) > 0) {
		if (s->type == REC_BOF)
			depth++;
		else if (s->type == REC_EOF && --depth == 0)
			break;
		else if (depth == 1 && sheet_record(s, o, e) < 0)
			return -1;
	}
	if (rc < 0)
		return -1;
	return s->pending && s->pleft > 0 ? end_string(s, o, e) : 0;
}

static int
by_place(const void *a, const void *b)
{
	const struct biff_cell *x = a, *y = b;

	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	/*
	 * Record order, for a cell given twice: text is added in record
	 * order, and a record's text starts where the one before ended, so
	 * of two at the same offset the earlier is empty.
	 */
	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return x->len < y->len ? -1 : x->len > y->len;
}

/* Sort the cells; of a cell given twice the later record wins. */
static void
settle(struct biff_overlay *o)
{
	size_t n = 0;

	if (o->ncells > 0)
		qsort(o->cells, o->ncells, sizeof *o->cells, by_place);
	for (size_t i = 0; i < o->ncells; i++) {
		if (n > 0 && o->cells[n - 1].row == o->cells[i].row &&
		    o->cells[n - 1].col == o->cells[i].col)
			n--;
		o->cells[n++] = o->cells[i];
	}
	o->ncells = n;
	for (size_t i = 0; i < n; i++)
		if (o->cells[i].col + 1u > o->ncols)
			o->ncols = o->cells[i].col + 1u;
	o->nrows = n > 0 ? o->cells[n - 1].row + 1 : 0;
}

/* libgsf's warnings on a corrupt file: the error we return says it. */
static void
quiet(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer data)
{
	(void)domain;
	(void)level;
	(void)msg;
	(void)data;
}

/* The workbook stream of the OLE2 file at path. */
static GsfInput *
open_stream(const char *path, const char *where, GsfInfile **ole,
    struct wy_err *e)
{
	static const char *const names[] = { "Workbook", "Book", "WORKBOOK",
		"BOOK" };
	static int quieted;
	GError *err = NULL;
	GsfInput *file, *in = NULL;

	*ole = NULL;
	if (!quieted) {
		g_log_set_handler("libgsf:msole", G_LOG_LEVEL_MASK, quiet, NULL);
		g_log_set_handler("libgsf", G_LOG_LEVEL_MASK, quiet, NULL);
		quieted = 1;
	}
	if ((file = gsf_input_stdio_new(path, &err)) == NULL) {
		wy_errf(e, WY_EXIT_IO, "%s: cannot open: %s", where,
		    err ? err->message : "?");
		g_clear_error(&err);
		return NULL;
	}
	*ole = (GsfInfile *)gsf_infile_msole_new(file, &err);
	g_object_unref(file);
	if (*ole == NULL) {
		wy_errf(e, WY_EXIT_DATA, "%s: corrupt OLE2 file: %s", where,
		    err ? err->message : "?");
		g_clear_error(&err);
		return NULL;
	}
	for (size_t i = 0; in == NULL && i < sizeof names / sizeof names[0]; i++)
		in = gsf_infile_child_by_name(*ole, names[i]);
	if (in == NULL)
		wy_errf(e, WY_EXIT_DATA, "%s: no Excel workbook in the OLE2 file",
		    where);
	return in;
}

int
biff_read(const char *path, size_t i, const char *where,
    struct biff_overlay *o, struct wy_err *e)
{
	struct scan *s;
	GsfInfile *ole;
	int rc = -1;

	memset(o, 0, sizeof *o);
	if ((s = calloc(1, sizeof *s)) == NULL ||
	    (s->xf = calloc(BIFF_MAXXF, sizeof *s->xf)) == NULL ||
	    (s->fmtkind = malloc(BIFF_MAXXF)) == NULL) {
		if (s != NULL)
			free(s->xf);
		free(s);
		return wy_errf(e, WY_EXIT_IO, "%s: out of memory", where);
	}
	memset(s->fmtkind, BIFF_NOKIND, BIFF_MAXXF);
	s->where = where;
	s->codepage = 1252;
	s->cd = (iconv_t)-1;
	s->want = i;
	s->sheet_at = -1;
	if ((s->in = open_stream(path, where, &ole, e)) != NULL &&
	    read_globals(s, e) == 0 && read_sheet(s, o, e) == 0) {
		settle(o);
		rc = 0;
	}
	if (s->in != NULL)
		g_object_unref(s->in);
	if (ole != NULL)
		g_object_unref(ole);
	if (s->cd != (iconv_t)-1)
		iconv_close(s->cd);
	free(s->xf);
	free(s->fmtkind);
	free(s);
	return rc;
}

const struct biff_cell *
biff_cell(const struct biff_overlay *o, uint32_t row, unsigned int col)
{
	size_t lo = 0, hi = o->ncells;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct biff_cell *c = &o->cells[mid];

		if (c->row == row && c->col == col)
			return c;
		if (c->row < row || (c->row == row && c->col < col))
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void
biff_free(struct biff_overlay *o)
{
	free(o->cells);
	free(o->text);
	memset(o, 0, sizeof *o);
}
