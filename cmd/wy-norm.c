/*
 * wy-norm: figures as Chinese statistics write them -> exact numbers.
 * Each selected column F becomes F, F_unit and F_qual; see man/wy-norm.1.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "num.h"
#include "par.h"

static const char usage[] =
    "usage: wy-norm -f FIELDS [options] [FILE...]\n"
    "Turn figures such as 11.82亿元, 三千五, 壹仟贰佰元整 into exact numbers.\n"
    "  -f, --fields LIST   columns to read, by name or 1-based index (\"金额,3\")\n"
    "      --unit U        express values in U (万元, 分, 人, ...)\n"
    "      --decimal       write exact decimals (12.5) instead of integers\n"
    "      --scale N       keep N digits after the point (needs --round if inexact)\n"
    "      --round MODE    half-even, half-up, floor, ceil or trunc (default: reject\n"
    "                      values that are not exact)\n"
    "      --range MODE    ranges such as 3-5万: low, high or mid (default: reject)\n"
    "  -j, --jobs N        threads to use (default: the processors, at most 8)\n"
    CLI_USAGE;

enum { OPT_UNIT = 1, OPT_DECIMAL, OPT_SCALE, OPT_ROUND, OPT_RANGE };

static const struct option longopts[] = {
	{ "fields", required_argument, NULL, 'f' },
	{ "unit", required_argument, NULL, OPT_UNIT },
	{ "decimal", no_argument, NULL, OPT_DECIMAL },
	{ "scale", required_argument, NULL, OPT_SCALE },
	{ "round", required_argument, NULL, OPT_ROUND },
	{ "range", required_argument, NULL, OPT_RANGE },
	{ "jobs", required_argument, NULL, 'j' },
	CLI_LONGOPTS
};

static struct cli cli;
static const char *fieldspec;
static const struct unit *to_unit;
static int scale = -2; /* digits after the point; -1: shortest exact; -2: unset */
static int decimal;
static enum dec_round round_mode = DEC_ROUND_NONE;
static enum num_range range_mode = NUM_RANGE_REJECT;
static int jobs;

/* Per input column: selected?  And its options (the header's unit). */
struct col {
	int selected;
	struct num_opts opts;
	const char *name; /* without the unit */
	size_t namelen;
};

static struct col *cols;
static size_t ncols;

static struct rec header; /* the first file's */
static struct par *par;

/* Each in 8 bytes: one move writes it (CELLMAX leaves room for that). */
static const char qual_word[][8] = { "", "gt", "lt", "approx" };
static const unsigned char qual_len[] = { 0, 2, 2, 6 };

/* Columns, their stripped names and units, and the output header. */
static void
setup(const struct rec *hdr)
{
	struct rec bare = { 0 };
	struct wy_err e;
	size_t *sel, nsel;

	ncols = hdr->nf;
	if ((cols = calloc(ncols + 1, sizeof *cols)) == NULL)
		cli_die(&cli, WY_EXIT_IO, "out of memory");
	for (size_t i = 0; i < ncols; i++) {
		struct col *c = &cols[i];

		c->name = hdr->f[i].p ? hdr->f[i].p : "";
		c->namelen = hdr->f[i].len;
		c->opts.range = range_mode;
		c->opts.hdr_unit = num_header_unit(c->name, c->namelen, &c->namelen);
		if (rec_push(&bare, c->name, c->namelen, &e) < 0)
			cli_fail(&cli, &e);
	}
	/* -f may name a column with its unit or without it */
	if (tsv_select(hdr, &bare, fieldspec, &sel, &nsel, &e) < 0)
		cli_usage(&cli, "-f: %s", e.msg);
	for (size_t i = 0; i < nsel; i++)
		cols[sel[i]].selected = 1;
	free(sel);
	rec_free(&bare);
}

static void
write_header(const struct rec *hdr)
{
	char name[WY_ERRMAX];

	for (size_t i = 0; i < ncols; i++) {
		const struct col *c = &cols[i];

		if (!c->selected) {
			tsv_put_fld(&cli.out, &hdr->f[i]);
			continue;
		}
		tsv_put(&cli.out, c->name, c->namelen);
		snprintf(name, sizeof name, "%.*s_unit", (int)c->namelen, c->name);
		tsv_put(&cli.out, name, strlen(name));
		snprintf(name, sizeof name, "%.*s_qual", (int)c->namelen, c->name);
		tsv_put(&cli.out, name, strlen(name));
	}
	if (cli.src)
		tsv_put(&cli.out, "_src", 4);
	tsv_end(&cli.out);
}

/* Bytes of a cell's three output columns: value TAB unit TAB qual. */
#define CELLMAX (DEC_STRMAX + UNIT_NAMEMAX + 16)

/* The value with exactly `scale` digits after the point (--scale N). */
static size_t
format_fixed(struct dec d, char *buf)
{
	size_t len = dec_format(d, buf);
	const char *point;
	int have;

	if (scale <= 0)
		return len;
	point = memchr(buf, '.', len);
	have = point ? (int)(buf + len - point - 1) : 0;
	if (have >= scale)
		return len;
	if (point == NULL)
		buf[len++] = '.';
	while (have++ < scale)
		buf[len++] = '0';
	buf[len] = '\0';
	return len;
}

/* Copy the NUL-terminated word w (at most max bytes of it) to d; its length. */
static size_t
copy_word(char *d, const char *w, size_t max)
{
	size_t n;

	/* A few bytes: a loop beats strlen and memcpy calls. */
	for (n = 0; n < max && w[n] != '\0'; n++)
		d[n] = w[n];
	return n;
}

/*
 * Read one cell and write its three columns (value, unit, qual), which
 * never need escaping, at t (CELLMAX bytes); returns their length.  On
 * failure append the reason to why (which may hold earlier reasons of the
 * row) and return -1.
 */
static int
read_cell(const struct col *c, const struct fld *f, char *t, char *why,
    size_t whysz)
{
	struct num_val v;
	struct dec d;
	char reason[NUM_WHYMAX];
	int st;
	size_t used, n;

	if (f->p == NULL) {
		st = NUM_NULL;
	} else {
		st = num_parse(f->p, f->len, &c->opts, &v, reason);
		if (st == NUM_OK)
			st = num_result(&v, to_unit, scale, round_mode, &d, reason);
	}
	if (st == NUM_NULL) {
		memcpy(t, "\\N\t\t", 4);
		return 4;
	}
	if (st != NUM_OK) {
		used = strlen(why);
		snprintf(why + used, whysz - used, "%sfield %.*s: cannot read \"%.*s\": %s",
		    used ? "; " : "", (int)c->namelen, c->name, (int)f->len, f->p,
		    reason);
		return -1;
	}
	n = format_fixed(d, t);
	t[n++] = '\t';
	n += copy_word(t + n, to_unit ? to_unit->name : v.unit,
	    UNIT_NAMEMAX - 1);
	t[n++] = '\t';
	memcpy(t + n, qual_word[v.qual], 8);
	n += qual_len[v.qual];
	return (int)n;
}

/* A bad row: to the part's rejects, or (without --rejects) the end of it. */
static void
bad_row(struct cli_part *pt, const char *name, const struct rec *row,
    const char *why)
{
	pt->nrej++;
	if (cli.rejpath == NULL)
		snprintf(pt->first, sizeof pt->first, "%s:%ld: %s", name,
		    row->line, why);
	else
		cli_put_reject(&pt->rej, row, row->line, why);
}

/*
 * The record goes straight into the part's output buffer, and is taken
 * only when every cell reads; a bad row goes to the rejects instead.
 */
static void
norm_row(struct cli_part *pt, const char *name, const struct rec *row)
{
	char why[4 * WY_ERRMAX], *d;
	/* In locals: the stores through d could change the globals. */
	const struct col *cl = cols;
	size_t need = 0, nc = ncols;
	int bad = 0, len, plain = row->plain;

	why[0] = '\0'; /* not "= {...}": that would clear 4 KiB per row */
	pt->nin++;
	if (row->nf != ncols) {
		snprintf(why, sizeof why, "row has %zu field%s, header has %zu",
		    row->nf, row->nf == 1 ? "" : "s", ncols);
		bad_row(pt, name, row, why);
		return;
	}
	for (size_t i = 0; i < nc; i++)
		need += cl[i].selected ? CELLMAX + 1 : 2 * row->f[i].len + 3;
	if ((d = tsv_room(&pt->out, need)) == NULL)
		return; /* out of memory: cli_take reports it */
	for (size_t i = 0; i < nc; i++) {
		const struct fld *f = &row->f[i];

		if (i > 0)
			*d++ = '\t';
		if (cl[i].selected) {
			len = read_cell(&cl[i], f, d, why, sizeof why);
			if (len < 0)
				bad = 1;
			else
				d += len;
		} else if (f->p == NULL) {
			*d++ = '\\';
			*d++ = 'N';
		} else if (plain) {
			memcpy(d, f->p, f->len);
			d += f->len;
		} else {
			d += tsv_escape(d, f->p, f->len);
		}
	}
	if (bad) {
		bad_row(pt, name, row, why);
		return;
	}
	tsv_wrote(&pt->out, d, (int)nc);
	if (cli.src) {
		char src[WY_ERRMAX];
		int n = snprintf(src, sizeof src, "%s:%ld", name, row->line);

		tsv_put(&pt->out, src, n);
	}
	tsv_end(&pt->out);
	pt->nout++;
}

/* What a block of input becomes: its part of the output and rejects. */
struct res {
	struct cli_part part;
	struct rec row;
};

static void
res_free(void *vp)
{
	struct res *r = vp;
	struct wy_err e;

	tsv_wclose(&r->part.out, &e);
	tsv_wclose(&r->part.rej, &e);
	rec_free(&r->row);
	free(r);
}

/* A block's rows, on a worker thread; what goes wrong waits for emit. */
static void
work(void *arg, struct par_block *b)
{
	struct res *r = b->res;
	struct tsv_reader rd;
	struct wy_err e;
	int st;

	(void)arg;
	if (r == NULL) {
		if ((r = b->res = calloc(1, sizeof *r)) == NULL)
			return;
		if (tsv_wopen(&r->part.out, -1, "<memory>", &e) < 0 ||
		    tsv_wopen(&r->part.rej, -1, "<memory>", &e) < 0)
			r->part.out.failed = ENOMEM;
	}
	if (r->part.out.failed || r->part.rej.failed)
		return; /* out of memory: cli_take says so */
	tsv_open_mem(&rd, b->buf, b->len, b->name, b->line0);
	while ((st = tsv_read(&rd, &r->row, &e)) > 0) {
		norm_row(&r->part, b->name, &r->row);
		if (r->part.nrej > 0 && cli.rejpath == NULL)
			break;
	}
	if (st < 0)
		r->part.out.failed = ENOMEM; /* the only error reading memory */
	tsv_close(&rd);
}

static void
emit(void *arg, struct par_block *b)
{
	struct res *r = b->res;

	(void)arg;
	if (r == NULL)
		cli_die(&cli, WY_EXIT_IO, "out of memory");
	cli_take(&cli, cli.noheader ? NULL : &header, &r->part);
	cli.bytes = par_nread(par);
	cli_show_progress(&cli);
}

/*
 * The first line of each file: the header (0: not data), or with -n the
 * first row, whose width names the columns (1: data too).
 */
static int
head(void *arg, char *line, size_t len, const char *name)
{
	struct tsv_reader rd;
	struct rec row = { 0 };
	struct wy_err e;
	int h;

	(void)arg;
	tsv_open_mem(&rd, line, len, name, 0);
	switch (tsv_read(&rd, &row, &e)) {
	case -1:
		cli_fail(&cli, &e);
	case 0: /* an empty line: one empty field, as in the stream */
		if (rec_push(&row, line, 0, &e) < 0)
			cli_fail(&cli, &e);
		row.line = 1;
	}
	h = cli_header(&cli, &header, &row, name);
	rec_free(&row);
	if (h & CLI_HDR_NEW)
		setup(&header);
	if (h == CLI_HDR_NEW)
		write_header(&header);
	return (h & CLI_HDR_DATA) != 0;
}

static const struct par_ops ops = { work, emit, head, res_free };

static void
norm_file(const char *path)
{
	const char *name = wy_name(path);
	struct wy_err e;
	int fd = cli_open_in(&cli, path);

	if (par_file(par, fd, name, &e) < 0)
		cli_fail(&cli, &e);
	if (fd != 0)
		close(fd);
}

static long
parse_scale(const char *arg)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (*end || end == arg || v < 0 || v > DEC_MAXSCALE)
		cli_usage(&cli, "--scale: a number of digits from 0 to %d, not \"%s\"",
		    DEC_MAXSCALE, arg);
	return v;
}

static void
parse_options(int argc, char **argv)
{
	static const char *const rounds[] = { "", "half-even", "half-up", "floor",
		"ceil", "trunc" };
	static const char *const ranges[] = { "", "low", "high", "mid" };
	int ch;

	while ((ch = cli_getopt(&cli, argc, argv, "f:j:" CLI_SHORTOPTS, longopts)) != -1) {
		switch (ch) {
		case 'f': fieldspec = optarg; break;
		case 'j': jobs = cli_jobs(&cli, optarg); break;
		case OPT_UNIT:
			if ((to_unit = unit_lookup(optarg, strlen(optarg))) == NULL)
				cli_usage(&cli, "--unit: unknown unit \"%s\"", optarg);
			break;
		case OPT_DECIMAL: decimal = 1; break;
		case OPT_SCALE: scale = parse_scale(optarg); break;
		case OPT_ROUND:
			for (round_mode = DEC_ROUND_TRUNC; round_mode > 0; round_mode--)
				if (strcmp(optarg, rounds[round_mode]) == 0)
					break;
			if (round_mode == DEC_ROUND_NONE)
				cli_usage(&cli, "--round: half-even, half-up, floor, ceil or trunc, not \"%s\"", optarg);
			break;
		case OPT_RANGE:
			for (range_mode = NUM_RANGE_MID; range_mode > 0; range_mode--)
				if (strcmp(optarg, ranges[range_mode]) == 0)
					break;
			if (range_mode == NUM_RANGE_REJECT)
				cli_usage(&cli, "--range: low, high or mid, not \"%s\"", optarg);
			break;
		default:
			cli_usage(&cli, "unknown option");
		}
	}
	if (fieldspec == NULL)
		cli_usage(&cli, "-f FIELDS is required");
	if (scale == -2)
		scale = decimal ? -1 : 0;
}

int
main(int argc, char **argv)
{
	cli_init(&cli, "wy-norm", usage);
	parse_options(argc, argv);
	cli_open_out(&cli);
	par = cli_par(&cli, jobs, TSV_MAXREC, &ops, NULL);
	if (optind == argc)
		norm_file(NULL);
	for (int i = optind; i < argc; i++)
		norm_file(argv[i]);
	par_drain(par);
	cli_finish(&cli);
}
