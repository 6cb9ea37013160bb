/*
 * wy-extract: tables as offices send them -> the interchange TSV.
 * CSV and TSV in any of Excel's encodings are read by lib/rdcsv; .xlsx,
 * .xls, Excel 2003 XML and XML feeds by lib/book's modules; gzip around
 * any of them is undone.  Every row, whatever its source, goes through
 * take_row, so title rows, 单位 rows, headers and rejects follow one set of
 * rules.  See man/wy-extract.1.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "book.h"
#include "cli.h"
#include "input.h"
#include "rdcsv.h"
#include "table.h"

static const char usage[] =
    "usage: wy-extract [options] [FILE...]\n"
    "Read CSV/TSV (any Excel encoding), .xlsx, .xls, Excel 2003 XML or an XML\n"
    "feed, gzip or not, and write TSV.\n"
    "  -d, --delimiter C   CSV field separator (default: guessed among , TAB ; |)\n"
    "      --encoding ENC  CSV encoding (default: BOM, else UTF-8 or GB18030)\n"
    "      --format F      csv, xlsx, xls, xmlss or feed (default: from the bytes)\n"
    "      --sheet S       sheet by name, by number from 1, or all (adds _sheet)\n"
    "      --list-sheets   print the sheet names and stop\n"
    "      --skip N        drop N rows above the header (a 单位：X row among\n"
    "                      them gives numeric columns the unit X)\n"
    "      --header-rows N the header is N rows, joined as upper/lower\n"
    "      --ragged MODE   rows of the wrong width: reject (default), pad or cut\n"
    "      --max-inflate SIZE  largest uncompressed zip part or gzip copy\n"
    "                      (default 1G; K, M, G suffixes)\n"
    "      --record XPATH  XML feed: the element that is one row\n"
    "      --field NAME=XPATH  XML feed: a column, relative to the record\n"
    "      --ns PREFIX=URI XML feed: a namespace prefix for the paths\n"
    CLI_USAGE;

enum {
	OPT_ENCODING = 1, OPT_SKIP, OPT_RAGGED, OPT_FORMAT, OPT_SHEET,
	OPT_LIST_SHEETS, OPT_HEADER_ROWS, OPT_MAX_INFLATE, OPT_RECORD,
	OPT_FIELD, OPT_NS
};
enum ragged { RAGGED_REJECT, RAGGED_PAD, RAGGED_CUT };

static const struct option longopts[] = {
	{ "delimiter", required_argument, NULL, 'd' },
	{ "encoding", required_argument, NULL, OPT_ENCODING },
	{ "skip", required_argument, NULL, OPT_SKIP },
	{ "ragged", required_argument, NULL, OPT_RAGGED },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "sheet", required_argument, NULL, OPT_SHEET },
	{ "list-sheets", no_argument, NULL, OPT_LIST_SHEETS },
	{ "header-rows", required_argument, NULL, OPT_HEADER_ROWS },
	{ "max-inflate", required_argument, NULL, OPT_MAX_INFLATE },
	{ "record", required_argument, NULL, OPT_RECORD },
	{ "field", required_argument, NULL, OPT_FIELD },
	{ "ns", required_argument, NULL, OPT_NS },
	CLI_LONGOPTS
};

static struct cli cli;
static int delim;
static const char *encoding;
static long nskip;
static enum ragged ragged;
static int format = -1; /* forced, or -1 */
static const char *sheetopt;
static int list_sheets;
static long header_rows = 1;
static struct book_opts bookopts = { .max_inflate = BOOK_MAX_INFLATE };
static char **fieldopts, **nsopts;

/*
 * The rows of one CSV file or one sheet, as take_row sees them: each
 * source has its own title rows and header.
 */
struct source {
	const char *name;  /* for messages: "a.csv", "book.xlsx:Sheet1" */
	const char *file;  /* for --src */
	const char *sheet; /* for _sheet and --src; NULL for CSV and feeds */
	int is_book;	   /* short rows are padded: sheets drop empty cells */
	int fill;	   /* --header-rows without merges known: see table_join */
	const struct book *book;
	long skipped;
	int seen_header;
	struct table hrows; /* the header's rows so far */
};
static int sheet_column; /* --sheet all: a leading _sheet column */

/* State across the input files: all must share the first one's header. */
static struct table table;
static struct table first; /* the first header as read, before any unit */
static int have_header;
static int pending; /* the header waits for rows to decide the unit */
static char *heldwhy[TABLE_SAMPLE]; /* why a held row is bad, or NULL */
static size_t width;

static void
warn_header(void *arg, const char *msg)
{
	cli_warn(&cli, "%s: %s", (const char *)arg, msg);
}

static void
write_header(void)
{
	if (sheet_column)
		tsv_put(&cli.out, "_sheet", 6);
	for (size_t i = 0; i < table.hdr.nf; i++)
		tsv_put_fld(&cli.out, &table.hdr.f[i]);
	if (cli.src)
		tsv_put(&cli.out, "_src", 4);
	tsv_end(&cli.out);
}

static void
put_src(const struct source *src, long line)
{
	char buf[WY_ERRMAX];
	int n;

	if (src->sheet != NULL)
		n = snprintf(buf, sizeof buf, "%s:%s!A%ld", src->file, src->sheet, line);
	else
		n = snprintf(buf, sizeof buf, "%s:%ld", src->file, line);
	tsv_put(&cli.out, buf, n < (int)sizeof buf ? n : (int)sizeof buf - 1);
}

/*
 * Check, shape and write one data row.  line: the row's line when it had
 * no quotes, which can often be copied whole.
 */
static void
put_row(const struct source *src, struct rec *row, const char *rowerr,
    const struct rdcsv *line)
{
	char why[128];
	const struct rec *hdr = cli.noheader ? NULL : &table.hdr;
	int pad = ragged == RAGGED_PAD || src->is_book;

	cli.nin++;
	cli_tick(&cli);
	if (rowerr != NULL) {
		cli_reject(&cli, hdr, row, src->name, row->line, rowerr);
		return;
	}
	if ((row->nf > width && ragged != RAGGED_CUT) || (row->nf < width && !pad)) {
		snprintf(why, sizeof why, "row has %zu field%s, header has %zu",
		    row->nf, row->nf == 1 ? "" : "s", width);
		cli_reject(&cli, hdr, row, src->name, row->line, why);
		return;
	}
	if (sheet_column)
		tsv_put(&cli.out, src->sheet, strlen(src->sheet));
	if (line != NULL && line->plain != NULL && row->nf == width &&
	    tsv_put_line(&cli.out, line->plain, line->plainlen, line->delim) == 0)
		goto src;
	for (size_t i = 0; i < width; i++) {
		if (i < row->nf)
			tsv_put(&cli.out, row->f[i].p, row->f[i].len);
		else
			tsv_put(&cli.out, "", 0);
	}
src:
	if (cli.src)
		put_src(src, row->line);
	cli_emit(&cli);
}

/* A header for a file or sheet after the first must equal the first's. */
static void
check_same_header(const struct source *src, const struct rec *row)
{
	struct table t = { 0 };
	struct wy_err e;
	int same;

	if (table_header(&t, row, warn_header, (void *)src->name, &e) < 0)
		cli_fail(&cli, &e);
	same = rec_equal(&t.hdr, &first.hdr);
	table_free(&t);
	if (!same)
		cli_die(&cli, WY_EXIT_DATA, "%s:%ld: header differs from the first %s's",
		    src->name, row->line, src->sheet ? "sheet" : "file");
}

/* Decide the header's units, write it, then the rows held for that. */
static void
release_held(const struct source *src)
{
	struct rec row = { 0 };
	struct wy_err e;

	pending = 0;
	table_decide(&table, &e);
	write_header();
	for (size_t i = 0; i < table.nheld; i++) {
		if (table_held(&table, i, &row, &e) < 0)
			cli_fail(&cli, &e);
		put_row(src, &row, heldwhy[i], NULL);
		free(heldwhy[i]);
		heldwhy[i] = NULL;
	}
	table.nheld = 0;
	rec_free(&row);
}

/* Cells of a sheet's header row past its last name are no columns. */
static void
trim_header(struct rec *row)
{
	while (row->nf > 0 && row->f[row->nf - 1].len == 0)
		row->nf--;
}

static void
take_header(const struct source *src, struct rec *row, const char *rowerr)
{
	struct wy_err e;

	if (rowerr != NULL)
		cli_die(&cli, WY_EXIT_DATA, "%s:%ld: %s", src->name, row->line, rowerr);
	if (src->is_book)
		trim_header(row);
	if (have_header) {
		check_same_header(src, row);
		return;
	}
	if (table_header(&table, row, warn_header, (void *)src->name, &e) < 0 ||
	    table_header(&first, row, NULL, NULL, &e) < 0)
		cli_fail(&cli, &e);
	have_header = 1;
	width = row->nf;
	if (table_wants_rows(&table))
		pending = 1;
	else
		write_header();
}

/*
 * Hold a row of a header of several rows; once all are in, join them and
 * take the result as the header.
 */
static void
take_header_row(struct source *src, struct rec *row, const char *rowerr)
{
	static char *buf;
	static size_t cap;
	struct rec joined = { 0 };
	const struct book *b = src->book;
	struct wy_err e;

	if (rowerr != NULL)
		cli_die(&cli, WY_EXIT_DATA, "%s:%ld: %s", src->name, row->line, rowerr);
	if (table_hold(&src->hrows, row, 0, &e) < 0)
		cli_fail(&cli, &e);
	if ((long)src->hrows.nheld < header_rows)
		return;
	if (table_join(&src->hrows, b ? b->merges : NULL, b ? b->nmerges : 0,
	    src->fill, &joined, &buf, &cap, &e) < 0)
		cli_fail(&cli, &e);
	src->seen_header = 1;
	take_header(src, &joined, NULL);
	rec_free(&joined);
	table_free(&src->hrows);
}

/* One row of a source, in order: title rows, the header, data. */
static void
take_row(struct source *src, struct rec *row, const char *rowerr,
    const struct rdcsv *line)
{
	struct wy_err e;

	if (!src->seen_header && row->nf == 0)
		return; /* a sheet's empty rows above its table */
	if (src->skipped < nskip) {
		src->skipped++;
		if (!have_header)
			table_unit_row(&table, row);
		return;
	}
	if (!src->seen_header) {
		if (header_rows > 1) {
			take_header_row(src, row, rowerr);
			return;
		}
		src->seen_header = 1;
		take_header(src, row, rowerr);
		return;
	}
	if (width == 0)
		width = row->nf;
	if (pending) {
		/* a bad row is held too, to be rejected under the final header */
		if (rowerr && (heldwhy[table.nheld] = strdup(rowerr)) == NULL)
			cli_die(&cli, WY_EXIT_IO, "out of memory");
		if (table_hold(&table, row, rowerr != NULL, &e) < 0)
			cli_fail(&cli, &e);
		if (table.nheld == TABLE_SAMPLE)
			release_held(src);
		return;
	}
	put_row(src, row, rowerr, line);
}

static void
end_source(struct source *src)
{
	if (pending)
		release_held(src);
	table_free(&src->hrows);
}

static void
extract_csv(struct input *in, const char *name)
{
	struct source src = { .name = name, .file = name, .seen_header = cli.noheader };
	struct rdcsv rd;
	struct rec row = { 0 };
	struct wy_err e;
	int st;

	if (input_decode(in, encoding, &e) < 0 || rdcsv_open(&rd, in, delim, &e) < 0)
		cli_fail(&cli, &e);
	src.fill = 1;
	while ((st = rdcsv_read(&rd, &row, &e)) > 0) {
		cli.bytes = in->nraw;
		take_row(&src, &row, rd.rowerr, &rd);
	}
	if (st < 0)
		cli_fail(&cli, &e);
	rdcsv_close(&rd);
	rec_free(&row);
	end_source(&src);
}

/* The sheet that --sheet names (a name first, then a number), or die. */
static size_t
find_sheet(const struct book *b, const char *want)
{
	char *end;
	long n;

	for (size_t i = 0; i < b->nsheets; i++)
		if (strcmp(b->sheets[i], want) == 0)
			return i;
	n = strtol(want, &end, 10);
	if (*end == '\0' && end != want && n >= 1 && (size_t)n <= b->nsheets)
		return n - 1;
	cli_die(&cli, WY_EXIT_DATA, "%s: no sheet \"%s\" (it has %zu: see --list-sheets)",
	    b->name, want, b->nsheets);
}

static void
extract_sheet(struct book *b, size_t i)
{
	char name[WY_ERRMAX];
	struct source src = { .name = name, .file = b->name, .book = b,
		.is_book = 1, .seen_header = cli.noheader };
	struct rec row = { 0 };
	struct wy_err e;
	int st;

	if (b->format != BOOK_FEED) {
		src.sheet = b->sheets[i];
		snprintf(name, sizeof name, "%s:%s", b->name, b->sheets[i]);
	} else {
		snprintf(name, sizeof name, "%s", b->name);
	}
	src.fill = b->format == BOOK_XLS;
	if (b->ops->sheet(b, i, &e) < 0)
		cli_fail(&cli, &e);
	while ((st = b->ops->row(b, &row, &e)) > 0)
		take_row(&src, &row, b->rowerr, NULL);
	if (st < 0)
		cli_fail(&cli, &e);
	rec_free(&row);
	end_source(&src);
}

static void
list_book_sheets(const struct book *b)
{
	for (size_t i = 0; i < b->nsheets; i++) {
		tsv_put(&cli.out, b->sheets[i], strlen(b->sheets[i]));
		tsv_end(&cli.out);
	}
}

static void
extract_book(struct input *in, const char *path, enum book_format f)
{
	struct book b;
	struct wy_err e;

	if (book_open(&b, f, in, path, &bookopts, &e) < 0)
		cli_fail(&cli, &e);
	if (list_sheets)
		list_book_sheets(&b);
	else if (b.format == BOOK_FEED || sheetopt == NULL)
		extract_sheet(&b, 0);
	else if (strcmp(sheetopt, "all") == 0)
		for (size_t i = 0; i < b.nsheets; i++)
			extract_sheet(&b, i);
	else
		extract_sheet(&b, find_sheet(&b, sheetopt));
	book_close(&b);
}

static void
extract(const char *path)
{
	const char *name = wy_name(path);
	struct input in;
	struct wy_err e;
	int f;

	if (input_start(&in, cli_open_in(&cli, path), name, &e) < 0)
		cli_fail(&cli, &e);
	f = format >= 0 ? format : (int)book_sniff(in.raw, in.rawlen);
	if (f == BOOK_CSV && !list_sheets)
		extract_csv(&in, name);
	else if (f != BOOK_CSV)
		extract_book(&in, path, f);
	if (input_close(&in, &e) < 0)
		cli_fail(&cli, &e);
}

/* A size with an optional K, M or G (powers of 1024). */
static unsigned long long
parse_size(const char *s)
{
	char *end;
	unsigned long long n = strtoull(s, &end, 10);
	int shift = 0;

	if (*end == 'K' || *end == 'k')
		shift = 10, end++;
	else if (*end == 'M' || *end == 'm')
		shift = 20, end++;
	else if (*end == 'G' || *end == 'g')
		shift = 30, end++;
	if (*end != '\0' || end == s || s[0] == '-' || n == 0 || n > (~0ull >> shift))
		cli_usage(&cli, "--max-inflate: not a size: \"%s\"", s);
	return n << shift;
}

/* Append an option's argument to a NULL-ended list. */
static void
add_opt(char ***list, size_t *n, char *arg, const char *opt)
{
	char **grown = realloc(*list, (*n + 2) * sizeof **list);

	if (grown == NULL)
		cli_die(&cli, WY_EXIT_IO, "out of memory");
	if (strchr(arg, '=') == NULL || arg[0] == '=')
		cli_usage(&cli, "%s: NAME=VALUE, not \"%s\"", opt, arg);
	grown[(*n)++] = arg;
	grown[*n] = NULL;
	*list = grown;
}

static void
parse_options(int argc, char **argv)
{
	int ch;
	char *end;

	while ((ch = cli_getopt(&cli, argc, argv, "d:" CLI_SHORTOPTS, longopts)) != -1) {
		switch (ch) {
		case 'd':
			if (strcmp(optarg, "\\t") == 0 || strcmp(optarg, "tab") == 0)
				delim = '\t';
			else if (strlen(optarg) == 1)
				delim = (unsigned char)optarg[0];
			else
				cli_usage(&cli, "-d: one character, \\t or tab, not \"%s\"", optarg);
			break;
		case OPT_ENCODING:
			encoding = optarg;
			break;
		case OPT_SKIP:
			nskip = strtol(optarg, &end, 10);
			if (*end || end == optarg || nskip < 0)
				cli_usage(&cli, "--skip: not a count: \"%s\"", optarg);
			break;
		case OPT_RAGGED:
			if (strcmp(optarg, "pad") == 0)
				ragged = RAGGED_PAD;
			else if (strcmp(optarg, "cut") == 0)
				ragged = RAGGED_CUT;
			else if (strcmp(optarg, "reject") == 0)
				ragged = RAGGED_REJECT;
			else
				cli_usage(&cli, "--ragged: reject, pad or cut, not \"%s\"", optarg);
			break;
		case OPT_FORMAT:
			if ((format = book_format_named(optarg)) < 0)
				cli_usage(&cli, "--format: csv, xlsx, xls, xmlss or feed, not \"%s\"", optarg);
			break;
		case OPT_SHEET:
			sheetopt = optarg;
			sheet_column = strcmp(optarg, "all") == 0;
			break;
		case OPT_LIST_SHEETS:
			list_sheets = 1;
			break;
		case OPT_HEADER_ROWS:
			header_rows = strtol(optarg, &end, 10);
			if (*end || end == optarg || header_rows < 1 || header_rows > TABLE_SAMPLE)
				cli_usage(&cli, "--header-rows: not a count from 1 to %d: \"%s\"",
				    TABLE_SAMPLE, optarg);
			break;
		case OPT_MAX_INFLATE:
			bookopts.max_inflate = parse_size(optarg);
			break;
		case OPT_RECORD:
			bookopts.record = optarg;
			break;
		case OPT_FIELD:
			add_opt(&fieldopts, &bookopts.nfields, optarg, "--field");
			bookopts.fields = fieldopts;
			break;
		case OPT_NS:
			add_opt(&nsopts, &bookopts.nns, optarg, "--ns");
			bookopts.ns = nsopts;
			break;
		default:
			cli_usage(&cli, "unknown option");
		}
	}
}

int
main(int argc, char **argv)
{
	cli_init(&cli, "wy-extract", usage);
	parse_options(argc, argv);
	bookopts.want_merges = header_rows > 1;
	cli_open_out(&cli);
	if (optind == argc)
		extract(NULL);
	for (int i = optind; i < argc; i++)
		extract(argv[i]);
	free(fieldopts);
	free(nsopts);
	if (!have_header && !cli.noheader && cli.nin == 0 && !list_sheets)
		cli_warn(&cli, "no header: the input is empty");
	table_free(&table);
	table_free(&first);
	cli_finish(&cli);
}
