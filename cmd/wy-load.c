/*
 * wy-load: the interchange format into a SQLite or PostgreSQL table, in
 * one transaction: every row or none.  See man/wy-load.1.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "load.h"

static const char usage[] =
    "usage: wy-load --db URL --table NAME [options] [FILE...]\n"
    "Load TSV into a database table in one transaction: every row or none.\n"
    "      --db URL        sqlite:PATH, postgresql://... or postgres://...\n"
    "      --table NAME    the table, created when missing\n"
    "      --schema FILE   types of a new table's columns (field, type)\n"
    "      --mode MODE     append (default), replace (every row) or upsert\n"
    "      --key A,B       upsert: the columns that identify a row\n"
    "      --replace-where COL=VALUE\n"
    "                      replace the rows whose COL is VALUE\n"
    "  -n, --no-header     the input has no header line\n"
    "      --names A,B,..  column names for headerless input\n"
    "      --rejects FILE  write bad rows to FILE with _line and _error, and go on\n"
    "      --max-errors N  load nothing (exit 1) when more than N rows are rejected\n"
    "      --stats         print \"in N, out N, rejected N\" (out: rows loaded)\n"
    "      --src           load a _src column too: where each row came from\n"
    "      --progress      show rows and bytes done on stderr (on a terminal)\n"
    "  -h, --help          this help\n"
    "      --version       the version\n";

enum { OPT_DB = 1, OPT_TABLE, OPT_SCHEMA, OPT_MODE, OPT_KEY, OPT_WHERE };

static const struct option longopts[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "table", required_argument, NULL, OPT_TABLE },
	{ "schema", required_argument, NULL, OPT_SCHEMA },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "replace-where", required_argument, NULL, OPT_WHERE },
	CLI_LONGOPTS
};

static struct cli cli;
static struct load_db db;
static struct load_spec spec;
static const char *url, *schemapath, *keyspec, *wherespec;
static struct rec hdr;
static struct load_cell *cells;

/* Without a table or a schema, rows wait in a spool file for the types. */
static int spooling;
static struct coltype_guess *guess;
static struct tsv_writer spool;
static const char **inputs; /* names of the inputs, by number, for the spool */
static long ninputs;

static void
check(int rc, const struct wy_err *e)
{
	if (rc < 0)
		cli_fail(&cli, e);
}

static void
close_db(void)
{
	load_close(&db);
}

/* The header's names become the columns (and _src with --src). */
static void
set_columns(const char *name)
{
	spec.nfields = hdr.nf;
	spec.ncols = hdr.nf + cli.src;
	cells = calloc(spec.ncols + 1, sizeof *cells);
	spec.cols = calloc(spec.ncols + 1, sizeof *spec.cols);
	if (cells == NULL || spec.cols == NULL)
		cli_die(&cli, WY_EXIT_IO, "out of memory");
	for (size_t i = 0; i < spec.ncols; i++) {
		const struct fld *f = &hdr.f[i];

		if (i < hdr.nf && (f->p == NULL || f->len == 0))
			cli_die(&cli, WY_EXIT_DATA, "%s:1: column %zu has no name", name, i + 1);
		if (i < hdr.nf && memchr(f->p, '\0', f->len) != NULL)
			cli_die(&cli, WY_EXIT_DATA, "%s:1: column %zu: a NUL byte in its name",
			    name, i + 1);
		spec.cols[i].name = i < hdr.nf ? strndup(f->p, f->len) : "_src";
		if (spec.cols[i].name == NULL)
			cli_die(&cli, WY_EXIT_IO, "out of memory");
		for (size_t k = 0; k < i; k++)
			if (strcmp(spec.cols[k].name, spec.cols[i].name) == 0)
				cli_die(&cli, WY_EXIT_DATA, "%s:1: column %s appears twice",
				    name, spec.cols[i].name);
	}
}

static void
open_spool(void)
{
	const char *dir = getenv("TMPDIR");
	char *path;
	struct wy_err e;
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	if ((path = malloc(strlen(dir) + 20)) == NULL ||
	    (guess = calloc(spec.ncols + 1, sizeof *guess)) == NULL)
		cli_die(&cli, WY_EXIT_IO, "out of memory");
	strcpy(path, dir);
	strcat(path, "/wy-load.XXXXXX");
	if ((fd = mkstemp(path)) < 0)
		cli_die(&cli, WY_EXIT_IO, "%s: cannot create: %s", path, strerror(errno));
	unlink(path);
	free(path);
	check(tsv_wopen(&spool, fd, "temporary file", &e), &e);
	spooling = 1;
}

/*
 * The columns are known: connect, begin, look the table up, create it or
 * wait for the rows.
 */
static void
setup(const char *name)
{
	struct wy_err e;
	int exists;

	set_columns(name);
	if (keyspec != NULL &&
	    tsv_select(&hdr, NULL, keyspec, &spec.key, &spec.nkey, &e) < 0)
		cli_usage(&cli, "--key: %s", e.msg);
	if (wherespec != NULL && load_where(&spec, wherespec, &e) < 0)
		cli_usage(&cli, "%s", e.msg);
	check(load_open(&db, url, &e), &e);
	check(db.ops->begin(db.h, &e), &e);
	check(exists = db.ops->lookup(db.h, &spec, &e), &e);
	if (!exists && schemapath == NULL) {
		open_spool();
		return;
	}
	if (!exists) {
		check(load_schema(schemapath, &spec, &e), &e);
		check(db.ops->create(db.h, &spec, &e), &e);
	}
	check(load_start(&db, &spec, &e), &e);
}

/* Hand checked cells to the database. */
static void
put_row(const char *name, long line)
{
	char src[WY_ERRMAX];
	struct wy_err e;

	if (cli.src) {
		cells[spec.nfields].p = src;
		cells[spec.nfields].len = snprintf(src, sizeof src, "%s:%ld", name, line);
		cells[spec.nfields].isint = 0;
	}
	if (db.ops->row(db.h, cells, &e) < 0)
		cli_die(&cli, e.exit, "%s:%ld: %s", name, line, e.msg);
	cli.nout++;
}

static void
spool_row(long input, const struct rec *row)
{
	for (size_t i = 0; i < row->nf; i++) {
		coltype_see(&guess[i], row->f[i].p, row->f[i].len);
		tsv_put_fld(&spool, &row->f[i]);
	}
	tsv_put_long(&spool, input);
	tsv_put_long(&spool, row->line);
	tsv_end(&spool);
	if (spool.failed)
		cli_die(&cli, WY_EXIT_IO, "temporary file: write error: %s",
		    strerror(spool.failed));
}

static void
take_row(long input, const struct rec *row)
{
	char why[LOAD_WHYMAX];

	cli.nin++;
	cli_tick(&cli);
	if (load_cells(&spec, row, cells, why) < 0)
		cli_reject(&cli, cli.noheader ? NULL : &hdr, row, inputs[input],
		    row->line, why);
	else if (spooling)
		spool_row(input, row);
	else
		put_row(inputs[input], row->line);
}

/* The types are those of the spooled rows: create the table, load them. */
static void
replay(void)
{
	struct tsv_reader rd;
	struct rec row = { 0 };
	struct wy_err e;
	char why[LOAD_WHYMAX];
	int st;

	check(tsv_flush(&spool, &e), &e);
	if (lseek(spool.fd, 0, SEEK_SET) < 0)
		cli_die(&cli, WY_EXIT_IO, "temporary file: cannot rewind: %s",
		    strerror(errno));
	for (size_t i = 0; i < spec.ncols; i++)
		spec.cols[i].type = coltype_guessed(&guess[i], db.ops->double_only);
	check(db.ops->create(db.h, &spec, &e), &e);
	check(load_start(&db, &spec, &e), &e);
	spooling = 0;
	spec.textok = 1;
	tsv_open(&rd, spool.fd, "temporary file");
	while ((st = tsv_read(&rd, &row, &e)) > 0) {
		long input = strtol(row.f[spec.nfields].p, NULL, 10);

		row.line = strtol(row.f[spec.nfields + 1].p, NULL, 10);
		row.nf = spec.nfields;
		if (load_cells(&spec, &row, cells, why) < 0)
			cli_reject(&cli, cli.noheader ? NULL : &hdr, &row, inputs[input],
			    row.line, why);
		else
			put_row(inputs[input], row.line);
	}
	check(st, &e);
	tsv_close(&rd);
	rec_free(&row);
}

static void
load_file(long input, const char *path)
{
	static unsigned long long bytes_before;
	const char *name = inputs[input];
	struct tsv_reader rd;
	struct rec row = { 0 };
	struct wy_err e;
	int st, fd = cli_open_in(&cli, path), first = 1, h;

	tsv_open(&rd, fd, name);
	while ((st = tsv_read(&rd, &row, &e)) > 0) {
		cli.bytes = bytes_before + rd.nread;
		if (first) {
			first = 0;
			h = cli_header(&cli, &hdr, &row, name);
			if (h & CLI_HDR_NEW)
				setup(name);
			if (!(h & CLI_HDR_DATA))
				continue;
		}
		take_row(input, &row);
	}
	check(st, &e);
	bytes_before += rd.nread;
	tsv_close(&rd);
	rec_free(&row);
	if (fd != 0)
		close(fd);
}

static void
parse_options(int argc, char **argv)
{
	struct wy_err e;
	int ch;

	while ((ch = cli_getopt(&cli, argc, argv, CLI_SHORTOPTS, longopts)) != -1) {
		switch (ch) {
		case OPT_DB: url = optarg; break;
		case OPT_TABLE: spec.table = optarg; break;
		case OPT_SCHEMA: schemapath = optarg; break;
		case OPT_KEY: keyspec = optarg; break;
		case OPT_WHERE: wherespec = optarg; break;
		case OPT_MODE:
			if (strcmp(optarg, "append") == 0)
				spec.mode = LOAD_APPEND;
			else if (strcmp(optarg, "replace") == 0)
				spec.mode = LOAD_REPLACE;
			else if (strcmp(optarg, "upsert") == 0)
				spec.mode = LOAD_UPSERT;
			else
				cli_usage(&cli, "--mode: append, replace or upsert, not \"%s\"", optarg);
			break;
		default:
			cli_usage(&cli, "unknown option");
		}
	}
	if (url == NULL || spec.table == NULL || *spec.table == '\0')
		cli_usage(&cli, "--db URL and --table NAME are required");
	if (load_check_url(url, &e) < 0)
		cli_usage(&cli, "%s", e.msg);
	if (cli.outpath != NULL)
		cli_usage(&cli, "-o: wy-load writes to the database of --db");
	if ((spec.mode == LOAD_UPSERT) != (keyspec != NULL))
		cli_usage(&cli, "--mode upsert and --key KEY go together");
	if (wherespec != NULL && spec.mode != LOAD_APPEND)
		cli_usage(&cli, "--replace-where replaces rows: no --mode with it");
	if (wherespec != NULL)
		spec.mode = LOAD_REPLACE_WHERE;
}

int
main(int argc, char **argv)
{
	struct wy_err e;

	cli_init(&cli, "wy-load", usage);
	parse_options(argc, argv);
	ninputs = optind == argc ? 1 : argc - optind;
	if ((inputs = calloc(ninputs, sizeof *inputs)) == NULL)
		cli_die(&cli, WY_EXIT_IO, "out of memory");
	for (long i = 0; i < ninputs; i++)
		inputs[i] = wy_name(optind == argc ? NULL : argv[optind + i]);
	atexit(close_db);
	for (long i = 0; i < ninputs; i++)
		load_file(i, optind == argc ? NULL : argv[optind + i]);
	if (spooling)
		replay();
	if (cli.nrej > (unsigned long long)cli.max_errors) {
		load_close(&db);
		cli_warn(&cli, "nothing loaded: the transaction is rolled back");
	} else if (hdr.nf > 0) {
		check(db.ops->commit(db.h, &e), &e);
	}
	cli_finish(&cli);
}
