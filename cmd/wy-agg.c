/*
 * wy-agg: group rows and aggregate them exactly; see man/wy-agg.1.
 * The groups, their states and the partial format are lib/agg.c's.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agg.h"
#include "cli.h"

static const char usage[] =
    "usage: wy-agg [-g FIELDS] [options] OP[:FIELD]... [FILE...]\n"
    "Group rows and aggregate them exactly.  OP is count (rows; count:F counts\n"
    "F's values that are not NULL), sum, min, max, mean, median, distinct, first\n"
    "or last.\n"
    "  -g, --group LIST    group by these columns, by name or 1-based index\n"
    "      --sort          write groups in bytewise order of their keys\n"
    "      --sorted        the input comes grouped: stream in constant memory\n"
    "      --pivot F       one column per value of F, the -g groups down\n"
    "      --scale N       digits after the point of mean (default 2)\n"
    "      --partial       write mergeable states (for GNU parallel, Hadoop)\n"
    "      --merge         read states that --partial wrote and combine them\n"
    CLI_USAGE;

enum { OPT_SORT = 1, OPT_SORTED, OPT_PIVOT, OPT_SCALE, OPT_PARTIAL, OPT_MERGE };

static const struct option longopts[] = {
	{ "group", required_argument, NULL, 'g' },
	{ "sort", no_argument, NULL, OPT_SORT },
	{ "sorted", no_argument, NULL, OPT_SORTED },
	{ "pivot", required_argument, NULL, OPT_PIVOT },
	{ "scale", required_argument, NULL, OPT_SCALE },
	{ "partial", no_argument, NULL, OPT_PARTIAL },
	{ "merge", no_argument, NULL, OPT_MERGE },
	CLI_LONGOPTS
};

static struct cli cli;
static const char *groupspec, *pivotspec;
static int sort, sorted, partial, merge, scale = 2;
static struct agg_op *ops;
static size_t nops;
static struct agg agg;
static int ready; /* agg is set up: a header (or a first row) was read */
static struct rec hdr;

/* sorted: write each group as it ends. */
static int
emit_group(void *arg, struct agg *a, uint32_t gid, struct wy_err *e)
{
	(void)arg;
	if (agg_put_group(a, gid, &cli.out, e) < 0)
		return -1;
	cli_emit(&cli);
	return 0;
}

/* The input column of one field named on the command line. */
static size_t
column(const struct rec *h, const char *what, const char *spec)
{
	struct wy_err e;
	size_t *sel, nsel, col;

	if (tsv_select(h, NULL, spec, &sel, &nsel, &e) < 0)
		cli_usage(&cli, "%s: %s", what, e.msg);
	if (nsel != 1)
		cli_usage(&cli, "%s: one field, not \"%s\"", what, spec);
	col = sel[0];
	free(sel);
	return col;
}

/* The key columns: -g's, then --pivot's; with merge, only their number. */
static size_t *
key_columns(const struct rec *h, size_t *nkeys)
{
	struct wy_err e;
	size_t *cols = NULL, n = 0;

	if (groupspec != NULL && !merge &&
	    tsv_select(h, NULL, groupspec, &cols, &n, &e) < 0)
		cli_usage(&cli, "-g: %s", e.msg);
	if (groupspec != NULL && merge) {
		n = 1;
		for (const char *s = groupspec; *s != '\0'; s++)
			n += *s == ',';
	}
	if ((cols = realloc(cols, (n + 1) * sizeof *cols)) == NULL)
		cli_die(&cli, WY_EXIT_IO, "out of memory");
	if (pivotspec != NULL) {
		cols[n] = merge ? 0 : column(h, "--pivot", pivotspec);
		for (size_t i = 0; i < n && !merge; i++)
			if (cols[i] == cols[n])
				cli_usage(&cli, "--pivot %s is a -g field", pivotspec);
		n++;
	}
	*nkeys = n;
	return cols;
}

/* Set up the aggregation over the header h (line 1 of name). */
static void
setup(const char *name, const struct rec *h)
{
	struct agg_conf c = { 0 };
	struct wy_err e;

	for (size_t i = 0; i < nops && !merge; i++)
		if (ops[i].field != NULL)
			ops[i].col = column(h, ops[i].arg, ops[i].field);
	c.keycols = key_columns(h, &c.nkeys);
	c.sorted = sorted;
	c.merge = merge;
	c.partial = partial;
	c.scale = scale;
	c.emit = emit_group;
	if (agg_init(&agg, ops, nops, &c, h, &e) < 0) {
		if (merge && e.exit == WY_EXIT_USAGE)
			cli_die(&cli, WY_EXIT_USAGE, "%s:1: %s", name, e.msg);
		cli_fail(&cli, &e);
	}
	free((size_t *)c.keycols);
	ready = 1;
	if (sorted && !cli.noheader) {
		agg_put_header(&agg, &cli.out);
		tsv_end(&cli.out);
	}
}

/* merge with -n, or of no input at all: the partial header the options make. */
static void
setup_from_options(void)
{
	struct wy_err e;

	if (agg_partial_header(ops, nops, groupspec, pivotspec, &hdr, &e) < 0)
		cli_fail(&cli, &e);
	setup("<options>", &hdr);
}

/*
 * Is row a header line?  The first line of a file is (without -n): the
 * first file's sets up, a later one must be the same.  With merge, so is
 * any later line equal to it: GNU parallel's chunks each bring theirs.
 */
static int
header_line(const char *name, const struct rec *row, int first)
{
	int h;

	if (!first)
		return merge && !cli.noheader && hdr.nf > 0 && rec_equal(row, &hdr);
	h = cli_header(&cli, &hdr, row, name);
	if (h & CLI_HDR_NEW)
		setup(name, &hdr);
	return !(h & CLI_HDR_DATA);
}

static void
add_row(const char *name, const struct rec *row)
{
	char why[4 * WY_ERRMAX];
	struct wy_err e;

	cli.nin++;
	cli_tick(&cli);
	switch (agg_add(&agg, row, name, why, sizeof why, &e)) {
	case 0:
		break;
	case 1:
		cli_reject(&cli, cli.noheader ? NULL : &hdr, row, name, row->line, why);
		break;
	default:
		cli_fail(&cli, &e);
	}
}

static void
agg_file(const char *path)
{
	const char *name = wy_name(path);
	struct tsv_reader rd;
	struct rec row = { 0 };
	struct wy_err e;
	int st, fd = cli_open_in(&cli, path), first = 1;

	tsv_open(&rd, fd, name);
	while ((st = tsv_read(&rd, &row, &e)) > 0) {
		cli.bytes = rd.nread;
		if (header_line(name, &row, first)) {
			first = 0;
			continue;
		}
		first = 0;
		add_row(name, &row);
	}
	if (st < 0)
		cli_fail(&cli, &e);
	tsv_close(&rd);
	rec_free(&row);
	if (fd != 0)
		close(fd);
}

static void
write_pivot(void)
{
	struct wy_err e;
	size_t nrows;

	if (agg_pivot(&agg, sort, &nrows, &e) < 0)
		cli_fail(&cli, &e);
	if (!cli.noheader) {
		if (agg_put_pivot_header(&agg, &cli.out, &e) < 0)
			cli_fail(&cli, &e);
		tsv_end(&cli.out);
	}
	for (size_t r = 0; r < nrows; r++) {
		if (agg_put_pivot_row(&agg, r, &cli.out, &e) < 0)
			cli_fail(&cli, &e);
		cli_emit(&cli);
	}
}

/* After the last row: the groups kept (all but with --sorted). */
static void
write_groups(void)
{
	struct wy_err e;
	uint32_t *ids;

	if (agg_finish(&agg, &e) < 0)
		cli_fail(&cli, &e);
	if (sorted)
		return;
	if (pivotspec != NULL && !partial) {
		write_pivot();
		return;
	}
	if (!cli.noheader) {
		agg_put_header(&agg, &cli.out);
		tsv_end(&cli.out);
	}
	if (agg_order(&agg, sort, &ids, &e) < 0)
		cli_fail(&cli, &e);
	for (size_t i = 0; i < agg_ngroups(&agg); i++) {
		if (agg_put_group(&agg, ids[i], &cli.out, &e) < 0)
			cli_fail(&cli, &e);
		cli_emit(&cli);
	}
	free(ids);
}

static int
parse_scale(const char *arg)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (*end || end == arg || v < 0 || v > DEC_MAXSCALE)
		cli_usage(&cli, "--scale: a number of digits from 0 to %d, not \"%s\"",
		    DEC_MAXSCALE, arg);
	return (int)v;
}

/* The operations at the start of the operands; the rest are files. */
static void
parse_ops(int argc, char **argv)
{
	struct wy_err e;
	int st;

	if ((ops = calloc(argc + 1, sizeof *ops)) == NULL)
		cli_die(&cli, WY_EXIT_IO, "out of memory");
	for (; optind < argc; optind++, nops++)
		if ((st = agg_parse_op(argv[optind], &ops[nops], &e)) < 0)
			cli_usage(&cli, "%s", e.msg);
		else if (st > 0)
			break;
	if (nops == 0)
		cli_usage(&cli, "no operation: give count, sum:FIELD, ...");
}

static void
parse_options(int argc, char **argv)
{
	int ch;

	while ((ch = cli_getopt(&cli, argc, argv, "g:" CLI_SHORTOPTS, longopts)) != -1) {
		switch (ch) {
		case 'g': groupspec = optarg; break;
		case OPT_SORT: sort = 1; break;
		case OPT_SORTED: sorted = 1; break;
		case OPT_PIVOT: pivotspec = optarg; break;
		case OPT_SCALE: scale = parse_scale(optarg); break;
		case OPT_PARTIAL: partial = 1; break;
		case OPT_MERGE: merge = 1; break;
		default:
			cli_usage(&cli, "unknown option");
		}
	}
	parse_ops(argc, argv);
	if (cli.src)
		cli_usage(&cli, "--src: a group's row comes from many rows");
	if (sort && sorted)
		cli_usage(&cli, "--sort and --sorted: with --sorted, groups are "
		    "written in the input's order");
	if (pivotspec != NULL && sorted)
		cli_usage(&cli, "--pivot needs every group: not with --sorted");
	if (merge && cli.names != NULL)
		cli_usage(&cli, "--names and --merge: the columns of partial states "
		    "are named by the operations");
}

int
main(int argc, char **argv)
{
	cli_init(&cli, "wy-agg", usage);
	parse_options(argc, argv);
	cli_open_out(&cli);
	if (merge && cli.noheader)
		setup_from_options();
	if (optind == argc)
		agg_file(NULL);
	for (int i = optind; i < argc; i++)
		agg_file(argv[i]);
	if (!ready && merge)
		setup_from_options();
	if (ready)
		write_groups();
	/* out counts the input rows aggregated, so that in = out + rejected */
	cli.nout = cli.nin - cli.nrej;
	cli_finish(&cli);
}
