/*
 * cli: the conventions every wy- tool follows, written once.
 *
 * This is the one lib module that talks to the user: it prints messages in
 * the house form ("wy-norm: file:line: ..."), exits with the table's
 * statuses, and owns the outputs (stdout or -o FILE written to a temporary
 * file and renamed on success; the rejects file likewise), the counters
 * in/out/rejected and the options that every tool shares.  cmd/ files call
 * it; no other lib module prints or exits.
 */
#ifndef WY_CLI_H
#define WY_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "par.h"
#include "tsv.h"
#include "util.h"

/* Option codes of the shared long options (beyond any short option). */
enum {
	CLI_OPT_REJECTS = 0x1000,
	CLI_OPT_MAXERR,
	CLI_OPT_STATS,
	CLI_OPT_SRC,
	CLI_OPT_NAMES,
	CLI_OPT_PROGRESS,
	CLI_OPT_HELP,
	CLI_OPT_VERSION
};

/* The shared options, to end each tool's getopt_long table ("o:n" short). */
#define CLI_SHORTOPTS "o:nh"
#define CLI_LONGOPTS                                                     \
	{ "output", required_argument, NULL, 'o' },                      \
	{ "no-header", no_argument, NULL, 'n' },                         \
	{ "names", required_argument, NULL, CLI_OPT_NAMES },             \
	{ "rejects", required_argument, NULL, CLI_OPT_REJECTS },         \
	{ "max-errors", required_argument, NULL, CLI_OPT_MAXERR },       \
	{ "stats", no_argument, NULL, CLI_OPT_STATS },                   \
	{ "src", no_argument, NULL, CLI_OPT_SRC },                       \
	{ "progress", no_argument, NULL, CLI_OPT_PROGRESS },             \
	{ "help", no_argument, NULL, 'h' },                              \
	{ "version", no_argument, NULL, CLI_OPT_VERSION },               \
	{ NULL, 0, NULL, 0 }

/* Usage lines of the shared options, for each tool's --help. */
#define CLI_USAGE                                                              \
	"  -o, --output FILE   write to FILE (atomically) instead of stdout\n"   \
	"  -n, --no-header     input and output have no header line\n"          \
	"      --names A,B,..  column names for headerless input\n"             \
	"      --rejects FILE  write bad rows to FILE with _line and _error, and go on\n" \
	"      --max-errors N  fail (exit 1) only when more than N rows are rejected\n" \
	"      --stats         print \"in N, out N, rejected N\" on stderr\n"     \
	"      --src           add a _src column: where each row came from\n"    \
	"      --progress      show rows and bytes done on stderr (on a terminal)\n" \
	"  -h, --help          this help\n"                                      \
	"      --version       the version\n"

struct cli {
	const char *prog;
	const char *usage; /* the tool's whole --help text */
	/* shared options */
	const char *outpath, *rejpath, *names;
	long long max_errors;
	int stats, src, noheader, progress;
	/* outputs */
	struct tsv_writer out, rej;
	int rej_open;
	/* counters: in = out + rejected */
	unsigned long long nin, nout, nrej;
	unsigned long long bytes; /* input bytes, for --progress */
	struct par *par;	  /* cli_par's, stopped before any exit */
};

/*
 * Set up: program name, SIGPIPE ignored (a closed pipe ends the run
 * quietly with status 0), temporary outputs removed on SIGINT/SIGTERM.
 */
void cli_init(struct cli *c, const char *prog, const char *usage);

/*
 * getopt_long over the tool's options, which must end with CLI_LONGOPTS
 * (and shortopts with CLI_SHORTOPTS).  The shared options are handled
 * here (--help and --version exit); returns the next option of the
 * tool's own, or -1 when there are no more.  Bad options exit 2.
 */
int cli_getopt(struct cli *c, int argc, char **argv, const char *shortopts,
    const struct option *longopts);

/* Print "prog: message" (printf-style) on stderr. */
void cli_warn(struct cli *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Print the message, remove temporary outputs, exit with status. */
void cli_die(struct cli *c, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));

/* cli_die with a struct wy_err. */
void cli_fail(struct cli *c, const struct wy_err *e) __attribute__((noreturn));

/* Usage error: message, then "try 'prog --help'", exit 2. */
void cli_usage(struct cli *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

/* Open the output (stdout or the -o temporary) as c->out. */
void cli_open_out(struct cli *c);

/*
 * Reject a row.  Without --rejects this is the end: the message
 * "prog: where: why" and exit 1.  With it, the row's fields, then
 * _line and _error, go to the rejects file (whose header, the input
 * header plus _line and _error, is written on first use from hdr;
 * hdr NULL: no header, as with -n).
 */
void cli_reject(struct cli *c, const struct rec *hdr, const struct rec *row,
    const char *where, long line, const char *why);

/* End the record on c->out and count it out. */
void cli_emit(struct cli *c);

/*
 * A part of the input done apart (on another thread: lib/par.h): its
 * output records and its rejected rows, in two memory writers (fd -1),
 * and its counts.  Without --rejects the part ends at its first bad row,
 * whose message ("where:line: why") is in first.
 */
struct cli_part {
	struct tsv_writer out, rej;
	unsigned long long nin, nout, nrej;
	char first[5 * WY_ERRMAX]; /* as long as a row's reasons may be */
};

/* Format a rejected row (its fields, _line, _error) onto w. */
void cli_put_reject(struct tsv_writer *w, const struct rec *row, long line,
    const char *why);

/*
 * Write out a part, as cli_emit and cli_reject would have its rows, and
 * empty it for reuse.  Dies as they do (a bad row without --rejects, a
 * failed write); a part that ran out of memory dies too.
 */
void cli_take(struct cli *c, const struct rec *hdr, struct cli_part *part);

/* The argument of -j: a number of threads from 1 to PAR_MAXJOBS; else exit 2. */
int cli_jobs(struct cli *c, const char *arg);

/*
 * lib/par over jobs threads (0: par_default_jobs) for lines of at most
 * maxline bytes; dies when it cannot start.  The environment variable
 * WANYI_BLOCKSIZE sets the bytes of a block (tests cut tiny blocks).
 * Every exit of cli (cli_die, a closed pipe, cli_finish) stops its
 * threads first.
 */
struct par *cli_par(struct cli *c, int jobs, size_t maxline,
    const struct par_ops *ops, void *arg);

/* Call per input row with the bytes read so far; cheap. */
void cli_tick(struct cli *c);

/* Show the progress now (at most once a second): for a tool that counts in parts. */
void cli_show_progress(struct cli *c);

/*
 * Finish: flush and check the outputs, rename temporaries into place,
 * print --stats, and exit 1 if more rows were rejected than allowed,
 * else 0.  Closed-pipe and write errors are handled as the conventions say.
 */
void cli_finish(struct cli *c) __attribute__((noreturn));

/* Open an input file (NULL or "-" = stdin) for reading; dies on error. */
int cli_open_in(struct cli *c, const char *path);

/*
 * Header for -n input: names from --names, or "1", "2", ... for nf
 * columns.  The strings live until exit.
 */
void cli_names(struct cli *c, struct rec *hdr, size_t nf);

/* What cli_header found. */
enum {
	CLI_HDR_NEW = 1, /* *hdr was set just now: set up the columns */
	CLI_HDR_DATA = 2 /* the line is a row of data (-n) */
};

/*
 * The first line of an input file, read as every tool reads it.  Without
 * -n it is a header: the first file's is copied into *hdr (which must be
 * empty then; the copy lives until exit), a later file's must equal it,
 * else exit 1 ("header differs from the first file's").  With -n it is
 * data, and the first file's width names the columns (cli_names).
 * Returns CLI_HDR_NEW, CLI_HDR_DATA, both or neither.
 */
int cli_header(struct cli *c, struct rec *hdr, const struct rec *line,
    const char *name);

#endif
