#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* Temporary outputs, removed if the run does not finish (also on signals). */
static char *tmppath[2];

static void
remove_temps(void)
{
	for (int i = 0; i < 2; i++)
		if (tmppath[i] != NULL)
			unlink(tmppath[i]);
}

static void
on_signal(int sig)
{
	remove_temps();
	signal(sig, SIG_DFL);
	raise(sig);
}

void
cli_init(struct cli *c, const char *prog, const char *usage)
{
	memset(c, 0, sizeof *c);
	c->prog = prog;
	c->usage = usage;
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
}

static void
vwarn(struct cli *c, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", c->prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
cli_warn(struct cli *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(c, fmt, ap);
	va_end(ap);
}

static void
drain_quietly(struct tsv_writer *w)
{
	struct wy_err e;

	tsv_flush(w, &e);
}

/*
 * exit, once the threads of cli_par (if any) have stopped: exit runs the
 * libraries' destructors (OpenCC's), which a thread at work may be using.
 */
static void __attribute__((noreturn))
leave(struct cli *c, int status)
{
	par_abort(c->par);
	exit(status);
}

void
cli_die(struct cli *c, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(c, fmt, ap);
	va_end(ap);
	/* what stdout's reader already has stays consistent with the message */
	if (c->out.buf != NULL && c->out.fd == 1)
		drain_quietly(&c->out);
	remove_temps();
	leave(c, status);
}

void
cli_fail(struct cli *c, const struct wy_err *e)
{
	cli_die(c, e->exit, "%s", e->msg);
}

void
cli_usage(struct cli *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(c, fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n", c->prog);
	remove_temps();
	exit(WY_EXIT_USAGE);
}

static long long
parse_count(struct cli *c, const char *opt, const char *arg)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(arg, &end, 10);
	if (errno || end == arg || *end || v < 0)
		cli_usage(c, "%s: not a count: \"%s\"", opt, arg);
	return v;
}

/* Print --help or --version text and exit; a failed write is an error. */
static void
print_exit(struct cli *c, const char *text)
{
	fputs(text, stdout);
	if (fflush(stdout) != 0 || ferror(stdout))
		cli_die(c, WY_EXIT_IO, "<stdout>: write error: %s", strerror(errno));
	exit(WY_EXIT_OK);
}

/* Handle a shared option; returns 1 if ch was one. */
static int
shared_option(struct cli *c, int ch, const char *arg)
{
	char version[128];

	switch (ch) {
	case 'o': c->outpath = arg; break;
	case 'n': c->noheader = 1; break;
	case CLI_OPT_NAMES: c->names = arg; break;
	case CLI_OPT_REJECTS: c->rejpath = arg; break;
	case CLI_OPT_MAXERR: c->max_errors = parse_count(c, "--max-errors", arg); break;
	case CLI_OPT_STATS: c->stats = 1; break;
	case CLI_OPT_SRC: c->src = 1; break;
	case CLI_OPT_PROGRESS: c->progress = isatty(2); break;
	case 'h':
		print_exit(c, c->usage);
		break;
	case CLI_OPT_VERSION:
		snprintf(version, sizeof version, "%s (wanyi) %s\n", c->prog, WY_VERSION);
		print_exit(c, version);
		break;
	case '?':
		fprintf(stderr, "Try '%s --help' for more information.\n", c->prog);
		exit(WY_EXIT_USAGE);
	default:
		return 0;
	}
	return 1;
}

int
cli_getopt(struct cli *c, int argc, char **argv, const char *shortopts,
    const struct option *longopts)
{
	int ch;

	argv[0] = (char *)c->prog; /* getopt's own messages name the tool */
	while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1)
		if (!shared_option(c, ch, optarg))
			return ch;
	if (c->names != NULL && !c->noheader)
		cli_usage(c, "--names names the columns of headerless input: it needs -n");
	if (c->max_errors > 0 && c->rejpath == NULL)
		cli_usage(c, "--max-errors needs --rejects FILE: rejected rows are kept");
	return -1;
}

/* The process's umask (mkstemp creates 0600; the output gets the usual mode). */
static mode_t
umask_now(void)
{
	mode_t m = umask(022);

	umask(m);
	return m;
}

/*
 * Open path for writing through a temporary sibling (slot indexes
 * tmppath), renamed into place at the end.  A path that is not a regular
 * file (/dev/null, a FIFO, a terminal), or that names one through /dev or
 * /proc (/dev/stderr when standard error is a file), is opened as it is:
 * renaming over it would replace the device or the link.  Another
 * symbolic link is followed, so that the file it points to is replaced
 * and the link stays.
 */
static int
open_temp(struct cli *c, const char *path, int slot)
{
	struct stat st;
	char *tmp, *real = NULL;
	size_t len;
	int fd;

	if ((stat(path, &st) == 0 && !S_ISREG(st.st_mode)) ||
	    strncmp(path, "/dev/", 5) == 0 || strncmp(path, "/proc/", 6) == 0) {
		if ((fd = open(path, O_WRONLY | O_CLOEXEC | O_TRUNC)) < 0)
			cli_die(c, WY_EXIT_IO, "%s: cannot open: %s", path, strerror(errno));
		return fd;
	}
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) &&
	    (real = realpath(path, NULL)) != NULL)
		path = real;
	len = strlen(path);
	if ((tmp = malloc(len + 8)) == NULL)
		cli_die(c, WY_EXIT_IO, "out of memory");
	memcpy(tmp, path, len);
	memcpy(tmp + len, ".XXXXXX", 8);
	free(real);
	if ((fd = mkstemp(tmp)) < 0)
		cli_die(c, WY_EXIT_IO, "%s: cannot create: %s", tmp, strerror(errno));
	fchmod(fd, 0666 & ~umask_now());
	tmppath[slot] = tmp;
	return fd;
}

static void
open_writer(struct cli *c, struct tsv_writer *w, int fd, const char *name)
{
	struct wy_err e;

	if (tsv_wopen(w, fd, name, &e) < 0)
		cli_fail(c, &e);
}

void
cli_open_out(struct cli *c)
{
	if (c->outpath == NULL || strcmp(c->outpath, "-") == 0)
		open_writer(c, &c->out, 1, "<stdout>");
	else
		open_writer(c, &c->out, open_temp(c, c->outpath, 0), c->outpath);
}

/* Stop at once when stdout's reader went away (quietly) or a write failed. */
static void
check_writer(struct cli *c, struct tsv_writer *w)
{
	if (w->failed == 0)
		return;
	if (w->failed == EPIPE && w->fd == 1) {
		remove_temps();
		leave(c, WY_EXIT_OK);
	}
	cli_die(c, WY_EXIT_IO, "%s: write error: %s", w->name, strerror(w->failed));
}

static void
write_rej_header(struct cli *c, const struct rec *hdr)
{
	if (hdr == NULL || c->noheader)
		return;
	for (size_t i = 0; i < hdr->nf; i++)
		tsv_put_fld(&c->rej, &hdr->f[i]);
	tsv_put(&c->rej, "_line", 5);
	tsv_put(&c->rej, "_error", 6);
	tsv_end(&c->rej);
}

void
cli_put_reject(struct tsv_writer *w, const struct rec *row, long line,
    const char *why)
{
	for (size_t i = 0; i < row->nf; i++)
		tsv_put_fld(w, &row->f[i]);
	tsv_put_long(w, line);
	tsv_put(w, why, strlen(why));
	tsv_end(w);
}

/* The rejects file, opened (and its header written) on first use. */
static struct tsv_writer *
rejects(struct cli *c, const struct rec *hdr)
{
	if (!c->rej_open) {
		open_writer(c, &c->rej, open_temp(c, c->rejpath, 1), c->rejpath);
		c->rej_open = 1;
		write_rej_header(c, hdr);
	}
	return &c->rej;
}

void
cli_reject(struct cli *c, const struct rec *hdr, const struct rec *row,
    const char *where, long line, const char *why)
{
	c->nrej++;
	if (c->rejpath == NULL)
		cli_die(c, WY_EXIT_DATA, "%s:%ld: %s", where, line, why);
	cli_put_reject(rejects(c, hdr), row, line, why);
	check_writer(c, &c->rej);
}

void
cli_emit(struct cli *c)
{
	tsv_end(&c->out);
	c->nout++;
	check_writer(c, &c->out);
}

void
cli_take(struct cli *c, const struct rec *hdr, struct cli_part *part)
{
	if (part->out.failed || part->rej.failed)
		cli_die(c, WY_EXIT_IO, "out of memory");
	c->nin += part->nin;
	tsv_put_raw(&c->out, part->out.buf, part->out.len);
	c->nout += part->nout;
	check_writer(c, &c->out);
	if (part->nrej > 0) {
		c->nrej += part->nrej;
		if (c->rejpath == NULL)
			cli_die(c, WY_EXIT_DATA, "%s", part->first);
		tsv_put_raw(rejects(c, hdr), part->rej.buf, part->rej.len);
		check_writer(c, &c->rej);
	}
	part->out.len = part->rej.len = 0;
	part->nin = part->nout = part->nrej = 0;
}

int
cli_jobs(struct cli *c, const char *arg)
{
	char *end;
	long n = strtol(arg, &end, 10);

	if (*end != '\0' || end == arg || n < 1 || n > PAR_MAXJOBS)
		cli_usage(c, "-j: a number of threads from 1 to %d, not \"%s\"",
		    PAR_MAXJOBS, arg);
	return (int)n;
}

struct par *
cli_par(struct cli *c, int jobs, size_t maxline, const struct par_ops *ops,
    void *arg)
{
	const char *bs = getenv("WANYI_BLOCKSIZE");
	struct wy_err e;
	struct par *p;

	p = par_new(jobs > 0 ? jobs : par_default_jobs(),
	    bs != NULL ? strtoul(bs, NULL, 10) : 0, maxline, ops, arg, &e);
	if (p == NULL)
		cli_fail(c, &e);
	return c->par = p;
}

void
cli_tick(struct cli *c)
{
	if (c->progress && (c->nin & 0xffff) == 0)
		cli_show_progress(c);
}

void
cli_show_progress(struct cli *c)
{
	static struct timespec last;
	struct timespec now;

	if (!c->progress)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec == last.tv_sec)
		return;
	last = now;
	fprintf(stderr, "\r%s: %llu rows, %llu MB", c->prog, c->nin,
	    c->bytes >> 20);
}

/* Flush w, fsync a file output, and move its temporary into place. */
static void
commit(struct cli *c, struct tsv_writer *w, int slot, const char *path)
{
	struct wy_err e;
	char *target;

	if (tsv_wclose(w, &e) < 0) {
		check_writer(c, w);
		cli_fail(c, &e);
	}
	if (tmppath[slot] == NULL)
		return;
	if (fsync(w->fd) < 0 || close(w->fd) < 0)
		cli_die(c, WY_EXIT_IO, "%s: write error: %s", path, strerror(errno));
	/* the temporary is the target (the link's, if path is one) + .XXXXXX */
	if ((target = strndup(tmppath[slot], strlen(tmppath[slot]) - 7)) == NULL)
		cli_die(c, WY_EXIT_IO, "out of memory");
	if (rename(tmppath[slot], target) < 0)
		cli_die(c, WY_EXIT_IO, "%s: cannot rename into place: %s", path,
		    strerror(errno));
	free(target);
	free(tmppath[slot]);
	tmppath[slot] = NULL;
}

void
cli_finish(struct cli *c)
{
	if (c->progress)
		fputc('\n', stderr);
	commit(c, &c->out, 0, c->outpath);
	if (c->rejpath != NULL) {
		if (!c->rej_open) {
			/* an empty rejects file says "none", a missing one would not */
			open_writer(c, &c->rej, open_temp(c, c->rejpath, 1), c->rejpath);
			c->rej_open = 1;
		}
		commit(c, &c->rej, 1, c->rejpath);
	}
	if (c->stats)
		fprintf(stderr, "%s: in %llu, out %llu, rejected %llu\n", c->prog,
		    c->nin, c->nout, c->nrej);
	if (c->nrej > (unsigned long long)c->max_errors) {
		fprintf(stderr, "%s: %llu %s rejected (allowed: %lld)\n", c->prog,
		    c->nrej, c->nrej == 1 ? "row" : "rows", c->max_errors);
		leave(c, WY_EXIT_DATA);
	}
	leave(c, WY_EXIT_OK);
}

int
cli_open_in(struct cli *c, const char *path)
{
	int fd;

	if (path == NULL || strcmp(path, "-") == 0)
		return 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		cli_die(c, WY_EXIT_IO, "%s: cannot open: %s", path, strerror(errno));
	return fd;
}

void
cli_names(struct cli *c, struct rec *hdr, size_t nf)
{
	struct wy_err e;

	hdr->nf = 0;
	if (c->names != NULL) {
		const char *p = c->names;

		for (;;) {
			const char *comma = strchr(p, ',');
			size_t len = comma ? (size_t)(comma - p) : strlen(p);

			if (rec_push(hdr, p, len, &e) < 0)
				cli_fail(c, &e);
			if (comma == NULL)
				break;
			p = comma + 1;
		}
		return;
	}
	for (size_t i = 0; i < nf; i++) {
		char *num = malloc(24);

		if (num == NULL)
			cli_die(c, WY_EXIT_IO, "out of memory");
		if (rec_push(hdr, num, snprintf(num, 24, "%zu", i + 1), &e) < 0)
			cli_fail(c, &e);
	}
}

/* Copy the fields of line into hdr: the reader's buffer moves. */
static void
copy_rec(struct cli *c, struct rec *hdr, const struct rec *line)
{
	struct wy_err e;

	for (size_t i = 0; i < line->nf; i++) {
		const struct fld *f = &line->f[i];
		char *p = f->p ? strndup(f->p, f->len) : NULL;

		if (f->p && p == NULL)
			cli_die(c, WY_EXIT_IO, "out of memory");
		if (rec_push(hdr, p, f->len, &e) < 0)
			cli_fail(c, &e);
	}
	hdr->line = line->line;
}

int
cli_header(struct cli *c, struct rec *hdr, const struct rec *line,
    const char *name)
{
	if (c->noheader) {
		if (hdr->nf > 0)
			return CLI_HDR_DATA;
		cli_names(c, hdr, line->nf);
		return CLI_HDR_NEW | CLI_HDR_DATA;
	}
	if (hdr->nf == 0) {
		copy_rec(c, hdr, line);
		return CLI_HDR_NEW;
	}
	if (!rec_equal(line, hdr))
		cli_die(c, WY_EXIT_DATA, "%s:%ld: header differs from the first file's",
		    name, line->line);
	return 0;
}
