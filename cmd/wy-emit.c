/*
 * wy-emit: the interchange format as CSV (for spreadsheets), JSON Lines or
 * SQL INSERT statements.  See man/wy-emit.1.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "input.h"
#include "wrcsv.h"
#include "wrjson.h"
#include "wrsql.h"

static const char usage[] =
    "usage: wy-emit --format csv|jsonl|sql [options] [FILE...]\n"
    "Write TSV as CSV (RFC 4180), JSON Lines or SQL INSERT statements.\n"
    "      --format F      csv, jsonl or sql\n"
    "      --excel         csv: a UTF-8 BOM, and formula cells guarded\n"
    "      --table NAME    sql: the table of the INSERT statements\n"
    CLI_USAGE;

enum { OPT_FORMAT = 1, OPT_EXCEL, OPT_TABLE };

static const struct option longopts[] = {
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "excel", no_argument, NULL, OPT_EXCEL },
	{ "table", required_argument, NULL, OPT_TABLE },
	CLI_LONGOPTS
};

enum format { CSV, JSONL, SQL };

static struct cli cli;
static enum format format = -1;
static int excel;
static const char *table;
static struct rec hdr;
static size_t ncols; /* of the input; the output has _src too with --src */
static struct tsv_writer keys; /* JSON: each "key": in turn; SQL: INSERT ... VALUES ( */
static size_t *keyend;

/* Column names for JSON keys and SQL must be present and different. */
static void
check_names(const char *name, const struct rec *h)
{
	for (size_t i = 0; i < h->nf; i++) {
		if (h->f[i].p == NULL || h->f[i].len == 0)
			cli_die(&cli, WY_EXIT_DATA, "%s:1: column %zu has no name", name, i + 1);
		if (utf8_valid_prefix(h->f[i].p, h->f[i].len) < h->f[i].len)
			cli_die(&cli, WY_EXIT_DATA, "%s:1: column %zu: name not UTF-8",
			    name, i + 1);
		for (size_t k = 0; k < i; k++)
			if (h->f[k].len == h->f[i].len &&
			    memcmp(h->f[k].p, h->f[i].p, h->f[i].len) == 0)
				cli_die(&cli, WY_EXIT_DATA, "%s:1: column %.*s appears twice",
				    name, (int)h->f[i].len, h->f[i].p);
	}
}

/*
 * The pieces written before the values: each JSON key, or the INSERT.
 * keys never drains (its fd is none): it gets room for all at once.
 */
static void
prepare(const char *name, const struct rec *h, int named)
{
	static const struct fld src = { "_src", 4 };
	size_t n = h->nf + cli.src, need = 64 + 2 * (table ? strlen(table) : 0);
	struct wy_err e;

	if (format == CSV)
		return;
	if (named)
		check_names(name, h);
	for (size_t i = 0; i < h->nf; i++)
		need += 6 * h->f[i].len + 8;
	if (tsv_wopen(&keys, -1, "keys", &e) < 0 ||
	    wy_grow(&keys.buf, &keys.cap, need, TSV_MAXREC * 8ull, &e) < 0 ||
	    (keyend = calloc(n + 1, sizeof *keyend)) == NULL)
		cli_die(&cli, WY_EXIT_IO, "out of memory");
	if (format == SQL) {
		tsv_put_raw(&keys, "INSERT INTO ", 12);
		wrsql_ident(&keys, table, strlen(table));
		for (size_t i = 0; named && i < n; i++) {
			const struct fld *f = i < h->nf ? &h->f[i] : &src;

			tsv_put_raw(&keys, i ? ", " : " (", 2);
			wrsql_ident(&keys, f->p, f->len);
		}
		tsv_put_raw(&keys, named ? ") VALUES (" : " VALUES (", named ? 10 : 9);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct fld *f = i < h->nf ? &h->f[i] : &src;

		tsv_put_raw(&keys, i ? "," : "{", 1);
		wrjson_string(&keys, f->p, f->len);
		tsv_put_raw(&keys, ":", 1);
		keyend[i + 1] = keys.len;
	}
}

static void
put_field(size_t i, const struct fld *f)
{
	switch (format) {
	case CSV:
		wrcsv_field(&cli.out, f, i == 0, excel);
		break;
	case JSONL:
		tsv_put_raw(&cli.out, keys.buf + keyend[i], keyend[i + 1] - keyend[i]);
		wrjson_value(&cli.out, f);
		break;
	case SQL:
		if (i == 0)
			tsv_put_raw(&cli.out, keys.buf, keys.len);
		else
			tsv_put_raw(&cli.out, ", ", 2);
		wrsql_value(&cli.out, f);
		break;
	}
}

static void
end_record(void)
{
	static const char *const ends[] = { [CSV] = "\r", [JSONL] = "}", [SQL] = ");" };

	tsv_put_raw(&cli.out, ends[format], strlen(ends[format]));
}

/* A row's fields that cannot be written: not UTF-8, NUL (but in JSON). */
static int
bad_fields(const struct rec *row, char *why, size_t whysz)
{
	size_t used = 0;

	why[0] = '\0';
	for (size_t i = 0; i < row->nf; i++) {
		const struct fld *f = &row->f[i];
		const char *reason = NULL;

		if (f->p == NULL)
			continue;
		if (utf8_valid_prefix(f->p, f->len) < f->len)
			reason = "not UTF-8";
		else if (format != JSONL && memchr(f->p, '\0', f->len) != NULL)
			reason = format == SQL ? "a NUL byte cannot be written in SQL" :
			    "a NUL byte cannot be written in CSV";
		if (reason != NULL && used < whysz)
			used += snprintf(why + used, whysz - used, "%sfield %.*s: %s",
			    used ? "; " : "", hdr.f[i].p ? (int)hdr.f[i].len : 2,
			    hdr.f[i].p ? hdr.f[i].p : "\\N", reason);
	}
	return why[0] != '\0';
}

static void
emit_row(const char *name, const struct rec *row)
{
	char why[4 * WY_ERRMAX];

	cli.nin++;
	cli_tick(&cli);
	if (row->nf != ncols)
		snprintf(why, sizeof why, "row has %zu field%s, header has %zu",
		    row->nf, row->nf == 1 ? "" : "s", ncols);
	if (row->nf != ncols || bad_fields(row, why, sizeof why)) {
		cli_reject(&cli, cli.noheader ? NULL : &hdr, row, name, row->line, why);
		return;
	}
	for (size_t i = 0; i < ncols; i++)
		put_field(i, &row->f[i]);
	if (cli.src) {
		char src[WY_ERRMAX];
		struct fld f = { src, snprintf(src, sizeof src, "%s:%ld", name, row->line) };

		put_field(ncols, &f);
	}
	end_record();
	cli_emit(&cli);
}

/* The header is known: the BOM, the CSV header line, the JSON keys. */
static void
start(const char *name, int named)
{
	static const struct fld src = { "_src", 4 };

	ncols = hdr.nf;
	if (excel)
		tsv_put_raw(&cli.out, WRCSV_BOM, 3);
	prepare(name, &hdr, named);
	if (format != CSV || cli.noheader)
		return;
	for (size_t i = 0; i < ncols; i++)
		wrcsv_field(&cli.out, &hdr.f[i], i == 0, excel);
	if (cli.src)
		wrcsv_field(&cli.out, &src, 0, excel);
	wrcsv_cr(&cli.out);
	tsv_end(&cli.out);
}

static void
emit_file(const char *path)
{
	static unsigned long long bytes_before;
	const char *name = wy_name(path);
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
				start(name, !cli.noheader || cli.names != NULL ||
				    format == JSONL);
			if (!(h & CLI_HDR_DATA))
				continue;
		}
		emit_row(name, &row);
	}
	if (st < 0)
		cli_fail(&cli, &e);
	bytes_before += rd.nread;
	tsv_close(&rd);
	rec_free(&row);
	if (fd != 0)
		close(fd);
}

static void
parse_options(int argc, char **argv)
{
	int ch;

	while ((ch = cli_getopt(&cli, argc, argv, CLI_SHORTOPTS, longopts)) != -1) {
		switch (ch) {
		case OPT_FORMAT:
			if (strcmp(optarg, "csv") == 0)
				format = CSV;
			else if (strcmp(optarg, "jsonl") == 0)
				format = JSONL;
			else if (strcmp(optarg, "sql") == 0)
				format = SQL;
			else
				cli_usage(&cli, "--format: csv, jsonl or sql, not \"%s\"", optarg);
			break;
		case OPT_EXCEL: excel = 1; break;
		case OPT_TABLE: table = optarg; break;
		default:
			cli_usage(&cli, "unknown option");
		}
	}
	if ((int)format < 0)
		cli_usage(&cli, "--format csv|jsonl|sql is required");
	if (excel && format != CSV)
		cli_usage(&cli, "--excel is for --format csv");
	if ((format == SQL) != (table != NULL))
		cli_usage(&cli, "--table NAME goes with --format sql, and it needs one");
}

int
main(int argc, char **argv)
{
	cli_init(&cli, "wy-emit", usage);
	parse_options(argc, argv);
	cli_open_out(&cli);
	if (optind == argc)
		emit_file(NULL);
	for (int i = optind; i < argc; i++)
		emit_file(argv[i]);
	cli_finish(&cli);
}
