/*
 * xls: legacy Excel workbooks (OLE2 compound files holding BIFF5 or BIFF8)
 * read with FreeXL, and what FreeXL drops read from the records (biff.h).
 *
 * FreeXL reads the whole workbook at open and gives each cell a type:
 * numbers (INT, DOUBLE), text already in UTF-8, and date, datetime or time
 * cells already written as text from the file's date system (1900 or
 * 1904).  What it does not give: the cached value of a formula cell
 * (FreeXL skips FORMULA records; the cell comes back empty), error cells
 * (empty too), booleans told from numbers (a BOOLERR boolean is INT 1 or
 * 0), and merged ranges.  The first three come from lib/biff.c's overlay
 * of the sheet: its text is taken where FreeXL's cell is empty, and for
 * every BOOLERR cell; a cell only the overlay has (a formula outside the
 * sheet's DIMENSIONS) counts too.  Merged ranges stay unknown.
 *
 * FreeXL 1.0.6 is not safe on hostile files: fuzzing finds a stack
 * over-read and an invalid free within seconds.  So it runs in a child
 * process, one for the sheet names and one per sheet read (FreeXL and
 * the overlay both, libgsf under it being no safer), which sends what it
 * reads down a pipe; a child that dies is a corrupt file (exit 1) to us,
 * never our crash.  The messages, each a tag byte then native
 * integers (u32) and bytes:
 *	'N' count, then count names as (length, bytes)	the sheets
 *	'S'						the sheet is selected
 *	'R' row number, field count, fields as (length, bytes)
 *	'Z'						no more rows
 *	'E' exit status, length, message		an error; the end
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <freexl.h>

#include "biff.h"
#include "book.h"

/* FreeXL's columns are unsigned short: a row has no more fields. */
#define XLS_MAXFIELDS 65536u

struct xls {
	char *path;
	pid_t pid;   /* the child reading, or -1 */
	FILE *from;  /* its pipe */
	int ended;   /* it sent 'Z' or 'E' */
	size_t lastrow; /* the row number last returned from the sheet */
	char *sheet; /* the sheet read, for messages */
	/* the row being returned: field i is text[fend[i-1]..fend[i]) */
	char *text;
	size_t textcap;
	size_t *fend;
	size_t fendcap;
};

/* What FreeXL's error codes mean, in the house's words. */
static const char *
freexl_why(int rc)
{
	switch (rc) {
	case FREEXL_INVALID_CFBF_HEADER:
	case FREEXL_CFBF_INVALID_SIGNATURE:
		return "not an OLE2 compound file";
	case FREEXL_CFBF_READ_ERROR:
	case FREEXL_CFBF_SEEK_ERROR:
		return "truncated or corrupt OLE2 file";
	case FREEXL_CFBF_INVALID_SECTOR_SIZE:
	case FREEXL_CFBF_EMPTY_FAT_CHAIN:
	case FREEXL_CFBF_ILLEGAL_FAT_ENTRY:
	case FREEXL_INVALID_MINI_STREAM:
	case FREEXL_CFBF_ILLEGAL_MINI_FAT_ENTRY:
		return "corrupt OLE2 file";
	case FREEXL_BIFF_WORKBOOK_NOT_FOUND:
		return "no Excel workbook in the OLE2 file";
	case FREEXL_BIFF_INVALID_BOF:
	case FREEXL_BIFF_INVALID_SST:
	case FREEXL_BIFF_ILLEGAL_SST_INDEX:
	case FREEXL_ILLEGAL_CELL_ROW_COL:
	case FREEXL_ILLEGAL_RK_VALUE:
	case FREEXL_CRAFTED_FILE:
		return "corrupt BIFF records";
	case FREEXL_INVALID_CHARACTER:
		return "text that does not decode in the workbook's code page";
	case FREEXL_UNSUPPORTED_CHARSET:
		return "unsupported code page";
	default:
		return "unreadable .xls file";
	}
}

static int
freexl_fail(const char *name, int rc, struct wy_err *e)
{
	if (rc == FREEXL_INSUFFICIENT_MEMORY)
		return wy_errf(e, WY_EXIT_IO, "%s: out of memory", name);
	if (rc == FREEXL_FILE_NOT_FOUND)
		return wy_errf(e, WY_EXIT_IO, "%s: cannot open", name);
	return wy_errf(e, WY_EXIT_DATA, "%s: %s (FreeXL error %d)", name,
	    freexl_why(rc), rc);
}

/* ---- the child: FreeXL, whose results go down the pipe ---- */

static void
put_u32(FILE *to, size_t v)
{
	uint32_t u = (uint32_t)v;

	fwrite(&u, sizeof u, 1, to);
}

static void
put_bytes(FILE *to, const char *p, size_t n)
{
	put_u32(to, n);
	fwrite(p, 1, n, to);
}

/* Send e and end the child. */
static _Noreturn void
child_fail(FILE *to, const void *h, const struct wy_err *e)
{
	freexl_close(h);
	fputc('E', to);
	put_u32(to, (size_t)e->exit);
	put_bytes(to, e->msg, strlen(e->msg));
	fflush(to);
	_exit(0);
}

static _Noreturn void
child_done(FILE *to, const void *h)
{
	freexl_close(h);
	_exit(fflush(to) == 0 ? 0 : 1);
}

static const void *
child_open(const char *path, const char *name, FILE *to)
{
	struct wy_err e = { 0 };
	unsigned int info;
	const void *h = NULL;
	int rc;

	/* a failed freexl_open has freed what it allocated */
	if ((rc = freexl_open(path, &h)) != FREEXL_OK) {
		freexl_fail(name, rc, &e);
		child_fail(to, NULL, &e);
	}
	/* FreeXL gives up on an encrypted workbook: success, but no handle */
	if (h == NULL ||
	    (freexl_get_info(h, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK &&
	        info == FREEXL_BIFF_OBFUSCATED)) {
		wy_errf(&e, WY_EXIT_DATA, "%s: the workbook is password-protected",
		    name);
		child_fail(to, h, &e);
	}
	return h;
}

static _Noreturn void
child_names(const char *path, const char *name, FILE *to)
{
	struct wy_err e = { 0 };
	const void *h = child_open(path, name, to);
	const char *sheet;
	char fallback[32];
	unsigned int n;
	int rc;

	if ((rc = freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &n)) != FREEXL_OK) {
		freexl_fail(name, rc, &e);
		child_fail(to, h, &e);
	}
	if (n > USHRT_MAX) {
		freexl_fail(name, FREEXL_CRAFTED_FILE, &e);
		child_fail(to, h, &e);
	}
	fputc('N', to);
	put_u32(to, n);
	for (unsigned int i = 0; i < n; i++) {
		if (freexl_get_worksheet_name(h, i, &sheet) != FREEXL_OK ||
		    sheet == NULL || sheet[0] == '\0') {
			snprintf(fallback, sizeof fallback, "Sheet%u", i + 1);
			sheet = fallback;
		}
		put_bytes(to, sheet, strlen(sheet));
	}
	child_done(to, h);
}

/* The selected sheet: FreeXL's cells and the overlay of those it lacks. */
struct sheet {
	const void *h;
	unsigned int fxrows, fxcols; /* FreeXL's dimensions */
	unsigned int nrows, ncols;   /* with the overlay's */
	struct biff_overlay ov;
};

/* FreeXL's cell at (r, c); one outside its dimensions is NULL. */
static int
fx_value(const struct sheet *sh, unsigned int r, unsigned int c,
    FreeXL_CellValue *v)
{
	if (r >= sh->fxrows || c >= sh->fxcols) {
		v->type = FREEXL_CELL_NULL;
		return FREEXL_OK;
	}
	return freexl_get_cell_value(sh->h, r, (unsigned short)c, v);
}

/*
 * The overlay's cell to give instead of FreeXL's v, or NULL: where FreeXL
 * has nothing (a formula, an error value) and where it took a BOOLERR
 * boolean for a number.
 */
static const struct biff_cell *
overlay_over(const struct sheet *sh, unsigned int r, unsigned int c,
    const FreeXL_CellValue *v)
{
	const struct biff_cell *oc = biff_cell(&sh->ov, r, c);

	if (oc != NULL && (oc->kind == BIFF_BOOLERR || v->type == FREEXL_CELL_NULL))
		return oc;
	return NULL;
}

/* Is the cell at (r, c) empty?  Unreadable counts as not empty, so that
 * its row reports it. */
static int
cell_empty(const struct sheet *sh, unsigned int r, unsigned int c)
{
	const struct biff_cell *oc;
	FreeXL_CellValue v;

	if (fx_value(sh, r, c, &v) != FREEXL_OK)
		return 0;
	if ((oc = overlay_over(sh, r, c, &v)) != NULL)
		return oc->len == 0;
	if (v.type == FREEXL_CELL_NULL)
		return 1;
	if (v.type == FREEXL_CELL_TEXT || v.type == FREEXL_CELL_SST_TEXT)
		return v.value.text_value == NULL || v.value.text_value[0] == '\0';
	return 0;
}

static int
row_empty(const struct sheet *sh, unsigned int r)
{
	for (unsigned int c = 0; c < sh->ncols; c++)
		if (!cell_empty(sh, r, c))
			return 0;
	return 1;
}

/* Column c (0-based) as its letters: 0 is A, 26 is AA. */
static void
col_name(unsigned int c, char *out)
{
	char rev[8];
	size_t n = 0;

	for (c++; c > 0 && n < sizeof rev; c = (c - 1) / 26)
		rev[n++] = 'A' + (c - 1) % 26;
	while (n > 0)
		*out++ = rev[--n];
	*out = '\0';
}

/*
 * The text of cell (r, c) into buf (CELL_MAX bytes) or as a pointer into
 * FreeXL's memory or the overlay's: *text and its length, or -1 with e
 * set.
 */
static int
cell_text(const struct sheet *sh, unsigned int r, unsigned int c, char *buf,
    const char **text, const char *where, struct wy_err *e)
{
	const struct biff_cell *oc;
	FreeXL_CellValue v;
	int rc, n = 0;

	*text = buf;
	buf[0] = '\0';
	if ((rc = fx_value(sh, r, c, &v)) != FREEXL_OK)
		return freexl_fail(where, rc, e);
	if ((oc = overlay_over(sh, r, c, &v)) != NULL) {
		*text = sh->ov.text + oc->off;
		return (int)oc->len;
	}
	switch (v.type) {
	case FREEXL_CELL_INT:
		return cell_number(v.value.int_value, buf);
	case FREEXL_CELL_DOUBLE:
		if ((n = cell_number(v.value.double_value, buf)) < 0) {
			col_name(c, buf);
			return wy_errf(e, WY_EXIT_DATA, "%s!%s%u: not a number", where,
			    buf, r + 1);
		}
		return n;
	case FREEXL_CELL_DATETIME:
		/* "2025-03-01 08:30:00" as ISO 8601: "2025-03-01T08:30:00" */
		n = snprintf(buf, CELL_MAX, "%s",
		    v.value.text_value ? v.value.text_value : "");
		if (n > 10 && buf[10] == ' ')
			buf[10] = 'T';
		return n < CELL_MAX ? n : CELL_MAX - 1;
	case FREEXL_CELL_TEXT:
	case FREEXL_CELL_SST_TEXT:
	case FREEXL_CELL_DATE:
	case FREEXL_CELL_TIME:
		*text = v.value.text_value != NULL ? v.value.text_value : "";
		n = strlen(*text);
		if (utf8_valid_prefix(*text, n) != (size_t)n) {
			col_name(c, buf);
			return wy_errf(e, WY_EXIT_DATA, "%s!%s%u: text is not UTF-8",
			    where, buf, r + 1);
		}
		return n;
	default: /* FREEXL_CELL_NULL */
		return 0;
	}
}

/* Send row r: fields from column A to its last non-empty cell. */
static int
child_row(const struct sheet *sh, unsigned int r, FILE *to, const char *where,
    struct wy_err *e)
{
	char buf[CELL_MAX];
	const char *text;
	unsigned int nf = 0;
	int n;

	for (unsigned int c = sh->ncols; c > 0 && nf == 0; c--)
		if (!cell_empty(sh, r, c - 1))
			nf = c;
	fputc('R', to);
	put_u32(to, (size_t)r + 1);
	put_u32(to, nf);
	for (unsigned int c = 0; c < nf; c++) {
		if ((n = cell_text(sh, r, c, buf, &text, where, e)) < 0)
			return -1;
		put_bytes(to, text, n);
	}
	return ferror(to) ? -1 : 0;
}

/* Select sheet i in FreeXL and read its overlay; 0 or -1 with e set. */
static int
child_sheet(struct sheet *sh, const char *path, const char *name, size_t i,
    struct wy_err *e)
{
	unsigned short fxcols;
	int rc;

	if ((rc = freexl_select_active_worksheet(sh->h, (unsigned short)i)) !=
	        FREEXL_OK ||
	    (rc = freexl_worksheet_dimensions(sh->h, &sh->fxrows, &fxcols)) !=
	        FREEXL_OK)
		return freexl_fail(name, rc, e);
	sh->fxcols = fxcols;
	if (biff_read(path, i, name, &sh->ov, e) < 0)
		return -1;
	sh->nrows = sh->fxrows > sh->ov.nrows ? sh->fxrows : sh->ov.nrows;
	sh->ncols = sh->fxcols > sh->ov.ncols ? sh->fxcols : sh->ov.ncols;
	return 0;
}

static _Noreturn void
child_rows(const char *path, const char *name, const char *sheet, size_t i,
    FILE *to)
{
	struct wy_err e = { 0 };
	struct sheet sh = { .h = child_open(path, name, to) };
	char where[512];
	unsigned int first, end;

	snprintf(where, sizeof where, "%s:%s", name, sheet);
	if (child_sheet(&sh, path, name, i, &e) < 0)
		child_fail(to, sh.h, &e);
	fputc('S', to);
	/* rows before the first value and after the last are not the table's */
	for (first = 0; first < sh.nrows && row_empty(&sh, first);)
		first++;
	for (end = sh.nrows; end > first && row_empty(&sh, end - 1);)
		end--;
	for (unsigned int r = first; r < end; r++)
		if (child_row(&sh, r, to, where, &e) < 0) {
			if (ferror(to))
				_exit(1); /* the parent has stopped reading */
			child_fail(to, sh.h, &e);
		}
	fputc('Z', to);
	child_done(to, sh.h);
}

/* ---- the parent: reads the child's pipe ---- */

/* Wait for the child (killed first if it is still at work). */
static int
reap(struct xls *x, int kill_it)
{
	int status = 0;

	if (x->from != NULL)
		fclose(x->from);
	x->from = NULL;
	if (x->pid <= 0)
		return 0;
	if (kill_it)
		kill(x->pid, SIGKILL);
	while (waitpid(x->pid, &status, 0) < 0 && errno == EINTR)
		;
	x->pid = -1;
	return status;
}

/* The child ended without its last message: FreeXL crashed or failed. */
static int
child_died(struct book *b, struct wy_err *e)
{
	struct xls *x = b->impl;
	int status = reap(x, 1);

	x->ended = 1;
	if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL)
		return wy_errf(e, WY_EXIT_DATA,
		    "%s: corrupt .xls file: FreeXL crashed on it (signal %d)", b->name,
		    WTERMSIG(status));
	return wy_errf(e, WY_EXIT_DATA, "%s: corrupt .xls file: FreeXL failed on it",
	    b->name);
}

/* Start a child reading the sheet names (sheet NULL) or sheet i; x->from
 * is its pipe. */
static int
spawn(struct book *b, const char *sheet, size_t i, struct wy_err *e)
{
	struct xls *x = b->impl;
	int fds[2];
	FILE *to;

	reap(x, 1);
	x->ended = 0;
	if (pipe(fds) < 0)
		return wy_syserr(e, errno, "%s: pipe", b->name);
	/* the child ends with _exit: nothing buffered here is written twice */
	if ((x->pid = fork()) < 0) {
		close(fds[0]);
		close(fds[1]);
		return wy_syserr(e, errno, "%s: fork", b->name);
	}
	if (x->pid == 0) {
		close(fds[0]);
		if ((to = fdopen(fds[1], "w")) == NULL)
			_exit(1);
		if (sheet == NULL)
			child_names(x->path, b->name, to);
		child_rows(x->path, b->name, sheet, i, to);
	}
	close(fds[1]);
	if ((x->from = fdopen(fds[0], "r")) == NULL) {
		close(fds[0]);
		reap(x, 1);
		return wy_errf(e, WY_EXIT_IO, "%s: out of memory", b->name);
	}
	return 0;
}

static int
get_u32(struct book *b, size_t *v, struct wy_err *e)
{
	struct xls *x = b->impl;
	uint32_t u;

	if (fread(&u, sizeof u, 1, x->from) != 1)
		return child_died(b, e);
	*v = u;
	return 0;
}

/* Read a length and that many bytes onto x->text at *len. */
static int
get_bytes(struct book *b, size_t *len, struct wy_err *e)
{
	struct xls *x = b->impl;
	size_t n = 0;

	if (get_u32(b, &n, e) < 0)
		return -1;
	if (*len + n + 1 > TSV_MAXREC)
		return wy_errf(e, WY_EXIT_DATA, "%s: row longer than %u bytes",
		    b->name, TSV_MAXREC);
	if (wy_grow(&x->text, &x->textcap, *len + n + 1, TSV_MAXREC, e) < 0)
		return -1;
	if (n > 0 && fread(x->text + *len, 1, n, x->from) != n)
		return child_died(b, e);
	*len += n;
	x->text[*len] = '\0';
	return 0;
}

/* The next message's tag; an 'E' is read whole into e (returns -1). */
static int
get_tag(struct book *b, struct wy_err *e)
{
	struct xls *x = b->impl;
	size_t status = 0, len = 0;
	int tag;

	if ((tag = getc(x->from)) == EOF)
		return child_died(b, e);
	if (tag != 'E')
		return tag;
	if (get_u32(b, &status, e) < 0 || get_bytes(b, &len, e) < 0)
		return -1;
	x->ended = 1;
	reap(x, 0);
	return wy_errf(e, status >= WY_EXIT_DATA && status <= WY_EXIT_IO ?
	    (int)status : WY_EXIT_DATA, "%s", x->text);
}

static int
xls_sheet(struct book *b, size_t i, struct wy_err *e)
{
	struct xls *x = b->impl;
	int tag;

	if (i >= b->nsheets)
		return wy_errf(e, WY_EXIT_USAGE, "%s: no sheet %zu", b->name, i + 1);
	x->sheet = b->sheets[i];
	x->lastrow = 0;
	if (spawn(b, x->sheet, i, e) < 0 || (tag = get_tag(b, e)) < 0)
		return -1;
	if (tag != 'S')
		return child_died(b, e);
	return 0;
}

static int
xls_row(struct book *b, struct rec *row, struct wy_err *e)
{
	struct xls *x = b->impl;
	size_t rownum = 0, nf = 0, len = 0;
	int tag;

	row->nf = 0;
	if (x->ended || x->from == NULL)
		return 0;
	if ((tag = get_tag(b, e)) < 0)
		return -1;
	if (tag == 'Z') {
		x->ended = 1;
		reap(x, 0);
		return 0;
	}
	if (tag != 'R' || get_u32(b, &rownum, e) < 0 || get_u32(b, &nf, e) < 0)
		return tag != 'R' ? child_died(b, e) : -1;
	if (nf > XLS_MAXFIELDS || rownum <= x->lastrow)
		return child_died(b, e); /* not what a sane child sends */
	if (wy_grow(&x->fend, &x->fendcap, (nf + 1) * sizeof *x->fend,
	        (size_t)-1 / 2, e) < 0)
		return -1;
	for (size_t i = 0; i < nf; i++) {
		if (get_bytes(b, &len, e) < 0)
			return -1;
		x->fend[i] = len;
	}
	for (size_t i = 0, start = 0; i < nf; start = x->fend[i++])
		if (rec_push(row, x->text + start, x->fend[i] - start, e) < 0)
			return -1;
	b->row = row->line = (long)rownum;
	x->lastrow = rownum;
	return 1;
}

static void
xls_close(struct book *b)
{
	struct xls *x = b->impl;

	if (x == NULL)
		return;
	reap(x, 1);
	free(x->path);
	free(x->text);
	free(x->fend);
	free(x);
	book_free_sheets(b);
	b->impl = NULL;
}

static const struct book_ops xls_ops = { xls_sheet, xls_row, xls_close };

static int
read_names(struct book *b, struct wy_err *e)
{
	struct xls *x = b->impl;
	size_t n = 0, len;
	int tag;

	if (spawn(b, NULL, 0, e) < 0 || (tag = get_tag(b, e)) < 0)
		return -1;
	if (tag != 'N')
		return child_died(b, e);
	if (get_u32(b, &n, e) < 0)
		return -1;
	if (n > USHRT_MAX)
		return child_died(b, e);
	if (n > 0 && (b->sheets = calloc(n, sizeof *b->sheets)) == NULL)
		return wy_errf(e, WY_EXIT_IO, "%s: out of memory", b->name);
	for (size_t i = 0; i < n; i++) {
		len = 0;
		if (get_bytes(b, &len, e) < 0)
			return -1;
		if (utf8_valid_prefix(x->text, len) != len)
			return wy_errf(e, WY_EXIT_DATA, "%s: sheet name is not UTF-8",
			    b->name);
		if ((b->sheets[i] = strdup(x->text)) == NULL)
			return wy_errf(e, WY_EXIT_IO, "%s: out of memory", b->name);
		b->nsheets++;
	}
	reap(x, 0);
	return 0;
}

/* Does the file begin with the OLE2 signature?  FreeXL reports text and a
 * truncated .xls alike, as a read error.  1, 0, or -1 with e set. */
static int
ole2_signed(struct book *b, const char *path, struct wy_err *e)
{
	static const unsigned char magic[8] = { 0xd0, 0xcf, 0x11, 0xe0, 0xa1,
		0xb1, 0x1a, 0xe1 };
	unsigned char head[8];
	size_t n = 0;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL)
		return wy_syserr(e, errno, "%s: cannot open", b->name);
	n = fread(head, 1, sizeof head, f);
	fclose(f);
	return n == sizeof head && memcmp(head, magic, sizeof magic) == 0;
}

int
xls_open(struct book *b, const char *path, struct wy_err *e)
{
	struct xls *x;
	int rc;

	if ((rc = ole2_signed(b, path, e)) <= 0)
		return rc < 0 ? -1 : wy_errf(e, WY_EXIT_DATA,
		    "%s: not an .xls file (no OLE2 signature)", b->name);
	if ((x = calloc(1, sizeof *x)) == NULL ||
	    (x->path = strdup(path)) == NULL) {
		free(x);
		return wy_errf(e, WY_EXIT_IO, "%s: out of memory", b->name);
	}
	x->pid = -1;
	b->impl = x;
	if (read_names(b, e) < 0) {
		xls_close(b);
		return -1;
	}
	b->ops = &xls_ops;
	return 0;
}
