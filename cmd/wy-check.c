/*
 * wy-check: validate a table against a schema, rules, a key and its totals
 * rows; good rows pass on, bad rows go to the rejects with every reason.
 * See man/wy-check.1.
 */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "cli.h"
#include "infer.h"

static const char usage[] =
    "usage: wy-check [--schema FILE] [--rule EXPR]... [options] [FILE...]\n"
    "       wy-check --infer [-o SCHEMA] [FILE...]\n"
    "Pass on the rows that keep a schema and rules; reject the others.\n"
    "      --schema FILE   the schema: TSV, a row per field, or Frictionless JSON (.json)\n"
    "      --rule EXPR     a rule each row keeps: \"城市低保 + 农村低保 == 低保合计\"\n"
    "      --key A,B       no two rows have the same A,B (also the schema's primaryKey)\n"
    "      --sorted        the input is sorted on the key: constant memory\n"
    "      --total F=W     rows whose F is W (合计) are totals of the other rows ...\n"
    "      --sum A,B       ... of these columns, checked exactly at the end ...\n"
    "      --by A,B        ... within the groups of rows alike in these columns\n"
    "      --drop-totals   pass on the detail rows only (not the total rows)\n"
    "      --fix-dates     write dates such as 2025年3月1日 in ISO form (2025-03-01)\n"
    "      --strict-header columns that the schema lacks are an error, not a warning\n"
    "      --report FILE   write a line per check: failures, first line, example\n"
    "      --max-error-rate R  fail only when more than R of the rows (0.01, 1%) are rejected\n"
    "      --infer         write a schema guessed from the input, to edit\n"
    CLI_USAGE;

enum {
	OPT_SCHEMA = 1, OPT_RULE, OPT_KEY, OPT_SORTED, OPT_TOTAL, OPT_SUM, OPT_BY,
	OPT_DROP, OPT_FIX, OPT_STRICT, OPT_REPORT, OPT_RATE, OPT_INFER
};

static const struct option longopts[] = {
	{ "schema", required_argument, NULL, OPT_SCHEMA },
	{ "rule", required_argument, NULL, OPT_RULE },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "sorted", no_argument, NULL, OPT_SORTED },
	{ "total", required_argument, NULL, OPT_TOTAL },
	{ "sum", required_argument, NULL, OPT_SUM },
	{ "by", required_argument, NULL, OPT_BY },
	{ "drop-totals", no_argument, NULL, OPT_DROP },
	{ "fix-dates", no_argument, NULL, OPT_FIX },
	{ "strict-header", no_argument, NULL, OPT_STRICT },
	{ "report", required_argument, NULL, OPT_REPORT },
	{ "max-error-rate", required_argument, NULL, OPT_RATE },
	{ "infer", no_argument, NULL, OPT_INFER },
	CLI_LONGOPTS
};

static struct cli cli;
static struct check_opts opts;
static struct schema schema;
static struct checker *ck;
static struct infer *guess;
static const char *schemapath, *reportpath, *ratearg;
static const char **rules;
static int drop_totals, infer;
static struct dec rate;
static unsigned long long ndropped;
static struct rec hdr;

/* --max-error-rate: a fraction (0.01) or a percentage (1%) from 0 to 1. */
static void
parse_rate(const char *arg)
{
	size_t n = strlen(arg);
	int pct = n > 0 && arg[n - 1] == '%';
	struct dec one = { 1, 0 };

	if (dec_parse(arg, n - pct, &rate) != 0 ||
	    (pct && dec_shift(rate, -2, &rate) != 0) || rate.mant < 0 ||
	    dec_cmp(rate, one) > 0)
		cli_usage(&cli, "--max-error-rate: a fraction from 0 to 1 (0.01) or a "
		    "percentage (1%%), not \"%s\"", arg);
	ratearg = arg;
}

static void
load_schema(void)
{
	struct wy_err e;
	int fd = cli_open_in(&cli, schemapath), rc;

	if (fd == 0)
		cli_usage(&cli, "--schema: a file, not standard input");
	rc = schema_is_json(schemapath) ? schema_read_json(fd, schemapath, &schema, &e) :
	    schema_read_tsv(fd, schemapath, &schema, &e);
	close(fd);
	if (rc < 0)
		cli_fail(&cli, &e);
	opts.schema = &schema;
}

static void
parse_options(int argc, char **argv)
{
	int ch;

	if ((rules = calloc(argc, sizeof *rules)) == NULL)
		cli_die(&cli, WY_EXIT_IO, "out of memory");
	opts.rules = rules;
	while ((ch = cli_getopt(&cli, argc, argv, CLI_SHORTOPTS, longopts)) != -1) {
		switch (ch) {
		case OPT_SCHEMA: schemapath = optarg; break;
		case OPT_RULE: rules[opts.nrules++] = optarg; break;
		case OPT_KEY: opts.key = optarg; break;
		case OPT_SORTED: opts.sorted = 1; break;
		case OPT_TOTAL: opts.total = optarg; break;
		case OPT_SUM: opts.sum = optarg; break;
		case OPT_BY: opts.by = optarg; break;
		case OPT_DROP: drop_totals = 1; break;
		case OPT_FIX: opts.fix_dates = 1; break;
		case OPT_STRICT: opts.strict_header = 1; break;
		case OPT_REPORT: reportpath = optarg; break;
		case OPT_RATE: parse_rate(optarg); break;
		case OPT_INFER: infer = 1; break;
		default: cli_usage(&cli, "unknown option");
		}
	}
	if (infer && (schemapath || opts.nrules || opts.key || opts.total ||
	    reportpath || ratearg || cli.rejpath || cli.stats || cli.src))
		cli_usage(&cli, "--infer writes a schema: it takes no checks, "
		    "--rejects, --report, --stats or --src");
	if (ratearg != NULL && cli.rejpath == NULL)
		cli_usage(&cli, "--max-error-rate needs --rejects FILE: rejected rows are kept");
	if (drop_totals && opts.total == NULL)
		cli_usage(&cli, "--drop-totals needs --total");
	if (!infer && schemapath == NULL && opts.nrules == 0 && opts.key == NULL &&
	    opts.total == NULL)
		cli_usage(&cli, "nothing to check: give --schema, --rule, --key or --total");
}

static void
write_header(void)
{
	for (size_t i = 0; i < hdr.nf; i++)
		tsv_put_fld(&cli.out, &hdr.f[i]);
	if (cli.src)
		tsv_put(&cli.out, "_src", 4);
	tsv_end(&cli.out);
}

/* The first header (or -n's names): checked, and written. */
static void
take_header(const char *name)
{
	struct wy_err e;
	int rc;

	rc = infer ? infer_new(&hdr, &guess, &e) : check_bind(ck, &hdr, name, &e);
	if (rc < 0 && e.exit == WY_EXIT_USAGE)
		cli_usage(&cli, "%s", e.msg);
	if (rc < 0)
		cli_fail(&cli, &e);
	if (!infer && check_warning(ck) != NULL)
		cli_warn(&cli, "%s", check_warning(ck));
	if (!infer && !cli.noheader)
		write_header();
}

static void
put_src(const char *name, long line)
{
	char src[WY_ERRMAX];

	if (cli.src)
		tsv_put(&cli.out, src, snprintf(src, sizeof src, "%s:%ld", name, line));
}

static void
row(const char *name, const struct rec *r)
{
	struct wy_err e;
	int st;

	cli.nin++;
	cli_tick(&cli);
	if (infer) {
		if (r->nf != hdr.nf)
			cli_die(&cli, WY_EXIT_DATA, "%s:%ld: row has %zu field%s, header has %zu",
			    name, r->line, r->nf, r->nf == 1 ? "" : "s", hdr.nf);
		if (infer_row(guess, r, &e) < 0)
			cli_fail(&cli, &e);
		return;
	}
	if ((st = check_row(ck, r, name, r->line, &e)) < 0)
		cli_fail(&cli, &e);
	if (st == CHECK_BAD) {
		cli_reject(&cli, cli.noheader ? NULL : &hdr, r, name, r->line, check_why(ck));
	} else if (st == CHECK_GOOD) {
		check_put(ck, &cli.out, r);
		put_src(name, r->line);
		cli_emit(&cli);
	}
}

static void
check_file(const char *path)
{
	const char *name = wy_name(path);
	struct tsv_reader rd;
	struct rec r = { 0 };
	struct wy_err e;
	int st, fd = cli_open_in(&cli, path), first = 1, h;

	tsv_open(&rd, fd, name);
	while ((st = tsv_read(&rd, &r, &e)) > 0) {
		cli.bytes = rd.nread;
		if (first) {
			first = 0;
			h = cli_header(&cli, &hdr, &r, name);
			if (h & CLI_HDR_NEW)
				take_header(name);
			if (!(h & CLI_HDR_DATA))
				continue;
		}
		row(name, &r);
	}
	if (st < 0)
		cli_fail(&cli, &e);
	tsv_close(&rd);
	rec_free(&r);
	if (fd != 0)
		close(fd);
}

/* The held total rows: wrong ones rejected, right ones passed on or dropped. */
static void
finish_totals(void)
{
	struct wy_err e;

	if (check_finish(ck, &e) < 0)
		cli_fail(&cli, &e);
	for (size_t i = 0; i < check_nheld(ck); i++) {
		const struct total_held *h = check_held(ck, i);

		if (h->why != NULL) {
			cli_reject(&cli, cli.noheader ? NULL : &hdr, &h->row, h->where,
			    h->line, h->why);
		} else if (drop_totals) {
			/* not a row of the output, nor a reject: see --stats */
			cli.nin--;
			ndropped++;
		} else {
			check_put(ck, &cli.out, &h->row);
			put_src(h->where, h->line);
			cli_emit(&cli);
		}
	}
}

/*
 * --report, written whole into a temporary file renamed into place; a
 * path that is not a regular file (/dev/stderr, a pipe) is written as is.
 */
static void
write_report(void)
{
	size_t len = strlen(reportpath);
	char *tmp = malloc(len + 8);
	struct tsv_writer w;
	struct wy_err e;
	struct stat st;
	int fd, direct = stat(reportpath, &st) == 0 && !S_ISREG(st.st_mode);

	e.msg[0] = '\0';
	if (tmp == NULL)
		cli_die(&cli, WY_EXIT_IO, "out of memory");
	memcpy(tmp, reportpath, len);
	memcpy(tmp + len, ".XXXXXX", 8);
	fd = direct ? open(reportpath, O_WRONLY) : mkstemp(tmp);
	if (fd < 0)
		cli_die(&cli, WY_EXIT_IO, "%s: cannot create: %s", reportpath, strerror(errno));
	if (tsv_wopen(&w, fd, reportpath, &e) == 0) {
		check_report(ck, &w);
		if (tsv_wclose(&w, &e) == 0 && (direct || (fchmod(fd, 0644) == 0 &&
		    fsync(fd) == 0 && rename(tmp, reportpath) == 0)) && close(fd) == 0) {
			free(tmp);
			return;
		}
	}
	if (!direct)
		unlink(tmp);
	cli_die(&cli, WY_EXIT_IO, "%s: write error: %s", reportpath,
	    e.msg[0] ? e.msg : strerror(errno));
}

/* --max-error-rate R: allow floor(R * rows in) rejects, within --max-errors. */
static void
apply_rate(void)
{
	struct dec in = { (dec_i128)cli.nin, 0 }, allowed;
	int64_t n;

	if (dec_mul(rate, in, &allowed) != 0 ||
	    dec_round(allowed, 0, DEC_ROUND_FLOOR, &allowed) != 0 ||
	    dec_to_i64(allowed, &n) != 0)
		n = 0;
	if (cli.max_errors == 0 || n < cli.max_errors)
		cli.max_errors = n;
}

int
main(int argc, char **argv)
{
	struct wy_err e;

	/* patterns match characters, not bytes */
	setlocale(LC_CTYPE, "C.UTF-8");
	cli_init(&cli, "wy-check", usage);
	parse_options(argc, argv);
	if (schemapath != NULL)
		load_schema();
	if (!infer && check_new(&opts, &ck, &e) < 0) {
		if (e.exit == WY_EXIT_USAGE)
			cli_usage(&cli, "%s", e.msg);
		cli_fail(&cli, &e);
	}
	cli_open_out(&cli);
	if (optind == argc)
		check_file(NULL);
	for (int i = optind; i < argc; i++)
		check_file(argv[i]);
	if (infer) {
		if (guess != NULL)
			infer_write(guess, &cli.out);
		cli_finish(&cli);
	}
	finish_totals();
	if (reportpath != NULL)
		write_report();
	if (ratearg != NULL)
		apply_rate();
	if (ndropped > 0 && cli.stats)
		cli_warn(&cli, "dropped %llu total row%s (--drop-totals)", ndropped,
		    ndropped == 1 ? "" : "s");
	cli_finish(&cli);
}
