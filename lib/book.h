/*
 * book: the rows of a workbook or an XML feed, whatever its format.
 *
 * wy-extract reads CSV itself (lib/rdcsv); everything else comes through
 * here.  The format is told from the bytes (book_sniff), never from the
 * file's name.  A book has one or more sheets (a feed has one, named after
 * its file); each sheet is read row by row, in constant memory, into the
 * same struct rec the CSV reader fills, so that the header, unit, skip
 * and reject rules of wy-extract apply to every format alike.
 *
 * Rows are the sheet's rows from the first one that holds a value: an
 * empty row inside the table is returned (no fields), rows after the last
 * value are not.  A row's fields run from column A to its last non-empty
 * cell; a missing cell is an empty field.  Field text is the cell as its
 * producer stored it, in UTF-8: numbers as the shortest decimal that reads
 * back as the stored double, dates in ISO 8601, booleans TRUE/FALSE,
 * errors as written (#DIV/0!), formulas by their cached value.
 *
 * Each format is a module with an open function that fills in the book's
 * ops (lib/xlsx.c, lib/xls.c, lib/xmlss.c, lib/feed.c).
 */
#ifndef WY_BOOK_H
#define WY_BOOK_H

#include <stddef.h>

#include "input.h"
#include "tsv.h"
#include "util.h"

enum book_format {
	BOOK_CSV,   /* not a book: CSV or TSV text */
	BOOK_XLSX,  /* zip holding xl/workbook.xml */
	BOOK_XLS,   /* OLE2 compound file (BIFF8) */
	BOOK_XMLSS, /* Excel 2003 XML Spreadsheet */
	BOOK_FEED   /* any other XML */
};

#define BOOK_MAX_INFLATE (1ull << 30)

struct book_opts {
	unsigned long long max_inflate; /* bytes inflated per zip part or gzip stream */
	int want_merges;		/* fill in merges for each sheet (slower for xlsx) */
	size_t sst_memmax; /* .xlsx shared strings held in memory before they
			    * go to a temporary file; 0: STRTAB_MEMMAX */
	/* XML feeds */
	const char *record;  /* XPath of the element that is one row, or NULL */
	char *const *fields; /* "NAME=XPATH" relative to the record */
	size_t nfields;
	char *const *ns; /* "PREFIX=URI" */
	size_t nns;
};

/* A merged range of cells: rows 1-based as in the sheet, columns 0-based. */
struct book_merge {
	long row1, row2;
	size_t col1, col2;
};

struct book;

struct book_ops {
	/* Start reading sheet i (0-based; each at most once, in any order). */
	int (*sheet)(struct book *b, size_t i, struct wy_err *e);
	/* Next row of the sheet into row: 1, 0 at its end, or -1 with e set. */
	int (*row)(struct book *b, struct rec *row, struct wy_err *e);
	void (*close)(struct book *b);
};

struct book {
	const char *name; /* for messages and --src */
	enum book_format format;
	const struct book_opts *opts;
	const struct book_ops *ops;
	void *impl; /* the format module's state */
	/* sheet names in workbook order; a module fills these at open */
	char **sheets;
	size_t nsheets;
	/*
	 * Set by ops->sheet when opts->want_merges: the sheet's merged ranges
	 * (freed by the module).  A module that cannot know them leaves 0.
	 */
	const struct book_merge *merges;
	size_t nmerges;
	/*
	 * Set by ops->row: where the row was, for --src and messages: its
	 * row number in the sheet (1-based; for a feed, the line of the
	 * record's start tag).  row->line is set to the same.
	 */
	long row;
	/*
	 * Set by ops->row: NULL, or why the row cannot be taken as it is
	 * (a feed record with an element that is not a column); wy-extract
	 * rejects such a row with this reason.
	 */
	const char *rowerr;
	/* the spooled copy of the file, when it was not a plain seekable
	 * file: removed by book_close */
	char *tmppath;
};

/* Which format do these first bytes (after any gzip) begin? */
enum book_format book_sniff(const char *p, size_t n);

/* The format for a --format name, or -1. */
int book_format_named(const char *name);

/*
 * Open a book of the given format from in, which input_start has begun
 * (its first bytes are in in->raw).  path: the file's path if it is a
 * plain file given by name, else NULL (stdin, a pipe).  Zip and OLE2
 * files need random access: when the input is gzipped or not a plain
 * file, its bytes are first copied to a temporary file (at most
 * o->max_inflate of them).  Returns 0 or -1 with e set (then nothing needs
 * closing but in).
 */
int book_open(struct book *b, enum book_format f, struct input *in,
    const char *path, const struct book_opts *o, struct wy_err *e);

void book_close(struct book *b);

/* Free b->sheets and the names in it, and say there are none: for the
 * format modules, which fill them in at open. */
void book_free_sheets(struct book *b);

/*
 * Format modules.  Each sets b->ops, b->impl, b->sheets and b->nsheets,
 * or returns -1 with e set having freed what it allocated.
 * The file-based ones get a path they may open as often as they like (a
 * SpreadsheetML file is read once for its sheet names, then per sheet);
 * a feed streams the input's raw bytes once, with input_raw_read.
 */
int xlsx_open(struct book *b, const char *path, struct wy_err *e);
int xls_open(struct book *b, const char *path, struct wy_err *e);
int xmlss_open(struct book *b, const char *path, struct wy_err *e);
int feed_open(struct book *b, struct input *in, struct wy_err *e);

/*
 * What the modules share (lib/cell.c).  A workbook stores numbers as IEEE
 * doubles; the exact text a person typed is the shortest decimal that
 * reads back as that double, which is what cell_number writes (plain
 * digits, no exponent, no trailing ".0"; "-0" is "0").  cell_date writes
 * an Excel serial date as ISO 8601, rounded to the nearest second: kind
 * CELL_DATE gives "2025-03-01" (with "T08:30:00" if the serial has a time
 * of day), CELL_DATETIME always the time too, CELL_TIME "08:30:00" for a
 * serial below 1 (else as CELL_DATETIME).  Both write a NUL-terminated
 * string into out (CELL_MAX bytes) and return its length, or -1 when the
 * value cannot be one (NaN, infinite, a date outside 1900-9999).
 */
#define CELL_MAX 400
enum { CELL_NUMBER, CELL_DATE, CELL_DATETIME, CELL_TIME };
int cell_number(double v, char *out);

/*
 * A number as its producer wrote it into the file ("18374.150000000001",
 * "1E+15", "0.10"), as cell_number writes the double it reads as, mostly
 * without the cost of formatting one.  Returns the length written to out,
 * or -1 when s[0..n) is not a decimal number of at most CELL_TEXTMAX
 * bytes (hexadecimal, inf and nan are not): such a value stays text.
 */
#define CELL_TEXTMAX 64
int cell_number_text(const char *s, size_t n, char *out);
int cell_date(double serial, int date1904, int kind, char *out);

/*
 * What an Excel number format shows: CELL_NUMBER, CELL_DATE,
 * CELL_DATETIME or CELL_TIME.  id: the numFmtId (built-in date and time
 * ids are 14-22, 27-36, 45-47 and 50-58); code: the format's text for a
 * custom one (id 164 and up), else NULL.
 */
int cell_date_format(int id, const char *code);

/*
 * Refuse every external entity and DTD that libxml2 would load (the
 * loader is process-wide): call before any XML parsing.  XML_PARSE_NONET
 * alone does not stop file:// URLs.
 */
void book_xml_harden(void);

#endif
