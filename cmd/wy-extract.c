/*
 * wy-extract: tables as offices send them -> the interchange TSV.
 * This first reader takes CSV and TSV in any of Excel's encodings, gzip
 * or not; see man/wy-extract.1.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "input.h"
#include "rdcsv.h"
#include "table.h"

static const char usage[] =
    "usage: wy-extract [options] [FILE...]\n"
    "Read CSV or TSV (any Excel encoding, gzip or not) and write TSV.\n"
    "  -d, --delimiter C   field separator (default: guessed among , TAB ; |)\n"
    "      --encoding ENC  input encoding (default: BOM, else UTF-8 or GB18030)\n"
    "      --skip N        drop N rows above the header (a 单位：X row among\n"
    "                      them gives numeric columns the unit X)\n"
    "      --ragged MODE   rows of the wrong width: reject (default), pad or cut\n"
    CLI_USAGE;

enum { OPT_ENCODING = 1, OPT_SKIP, OPT_RAGGED };
enum ragged { RAGGED_REJECT, RAGGED_PAD, RAGGED_CUT };

static const struct option longopts[] = {
	{ "delimiter", required_argument, NULL, 'd' },
	{ "encoding", required_argument, NULL, OPT_ENCODING },
	{ "skip", required_argument, NULL, OPT_SKIP },
	{ "ragged", required_argument, NULL, OPT_RAGGED },
	CLI_LONGOPTS
};

static struct cli cli;
static int delim;
static const char *encoding;
static long nskip;
static enum ragged ragged;

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
	for (size_t i = 0; i < table.hdr.nf; i++)
		tsv_put_fld(&cli.out, &table.hdr.f[i]);
	if (cli.src)
		tsv_put(&cli.out, "_src", 4);
	tsv_end(&cli.out);
}

/*
 * Check, shape and write one data row.  line: the row's line when it had
 * no quotes, which can often be copied whole.
 */
static void
put_row(const char *name, struct rec *row, const char *rowerr,
    const struct rdcsv *line)
{
	char why[128], src[WY_ERRMAX];
	const struct rec *hdr = cli.noheader ? NULL : &table.hdr;

	cli.nin++;
	cli_tick(&cli);
	if (rowerr != NULL) {
		cli_reject(&cli, hdr, row, name, row->line, rowerr);
		return;
	}
	if ((row->nf > width && ragged != RAGGED_CUT) ||
	    (row->nf < width && ragged != RAGGED_PAD)) {
		snprintf(why, sizeof why, "row has %zu field%s, header has %zu",
		    row->nf, row->nf == 1 ? "" : "s", width);
		cli_reject(&cli, hdr, row, name, row->line, why);
		return;
	}
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
	if (cli.src) {
		int n = snprintf(src, sizeof src, "%s:%ld", name, row->line);

		tsv_put(&cli.out, src, n);
	}
	cli_emit(&cli);
}

/* A header for a file after the first must equal the first's. */
static void
check_same_header(const char *name, const struct rec *row)
{
	struct table t = { 0 };
	struct wy_err e;
	int same;

	if (table_header(&t, row, warn_header, (void *)name, &e) < 0)
		cli_fail(&cli, &e);
	same = rec_equal(&t.hdr, &first.hdr);
	table_free(&t);
	if (!same)
		cli_die(&cli, WY_EXIT_DATA, "%s:%ld: header differs from the first file's",
		    name, row->line);
}

/* Decide the header's units, write it, then the rows held for that. */
static void
release_held(const char *name)
{
	struct rec row = { 0 };
	struct wy_err e;

	pending = 0;
	table_decide(&table, &e);
	write_header();
	for (size_t i = 0; i < table.nheld; i++) {
		if (table_held(&table, i, &row, &e) < 0)
			cli_fail(&cli, &e);
		put_row(name, &row, heldwhy[i], NULL);
		free(heldwhy[i]);
		heldwhy[i] = NULL;
	}
	table.nheld = 0;
	rec_free(&row);
}

static void
take_header(const char *name, const struct rec *row, const char *rowerr)
{
	struct wy_err e;

	if (rowerr != NULL)
		cli_die(&cli, WY_EXIT_DATA, "%s:%ld: %s", name, row->line, rowerr);
	if (have_header) {
		check_same_header(name, row);
		return;
	}
	if (table_header(&table, row, warn_header, (void *)name, &e) < 0 ||
	    table_header(&first, row, NULL, NULL, &e) < 0)
		cli_fail(&cli, &e);
	have_header = 1;
	width = row->nf;
	if (table_wants_rows(&table))
		pending = 1;
	else
		write_header();
}

static void
extract(const char *path)
{
	const char *name = wy_name(path);
	struct input in;
	struct rdcsv rd;
	struct rec row = { 0 };
	struct wy_err e;
	long skipped = 0;
	int st, seen_header = cli.noheader;

	if (input_open(&in, cli_open_in(&cli, path), name, encoding, &e) < 0 ||
	    rdcsv_open(&rd, &in, delim, &e) < 0)
		cli_fail(&cli, &e);
	while ((st = rdcsv_read(&rd, &row, &e)) > 0) {
		cli.bytes = in.nraw;
		if (skipped < nskip) {
			skipped++;
			if (!have_header)
				table_unit_row(&table, &row);
			continue;
		}
		if (!seen_header) {
			seen_header = 1;
			take_header(name, &row, rd.rowerr);
			continue;
		}
		if (width == 0)
			width = row.nf;
		if (pending) {
			/* a bad row is held too, to be rejected under the final header */
			if (rd.rowerr && (heldwhy[table.nheld] = strdup(rd.rowerr)) == NULL)
				cli_die(&cli, WY_EXIT_IO, "out of memory");
			if (table_hold(&table, &row, rd.rowerr != NULL, &e) < 0)
				cli_fail(&cli, &e);
			if (table.nheld == TABLE_SAMPLE)
				release_held(name);
			continue;
		}
		put_row(name, &row, rd.rowerr, &rd);
	}
	if (st < 0)
		cli_fail(&cli, &e);
	if (input_close(&in, &e) < 0)
		cli_fail(&cli, &e);
	rdcsv_close(&rd);
	rec_free(&row);
	if (pending)
		release_held(name);
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
	cli_open_out(&cli);
	if (optind == argc)
		extract(NULL);
	for (int i = optind; i < argc; i++)
		extract(argv[i]);
	if (!have_header && !cli.noheader && cli.nin == 0)
		cli_warn(&cli, "no header: the input is empty");
	table_free(&table);
	table_free(&first);
	cli_finish(&cli);
}
