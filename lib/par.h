/*
 * par: a line-oriented filter's work spread over threads, in order.
 *
 * par_file cuts its input into blocks of whole lines, about `blocksize`
 * bytes each.  Every block is handed to work() on one of `jobs` threads
 * and then, in the order of the input, to emit() on the caller's thread,
 * which writes what work() made of it.  Output is the same whatever the
 * number of jobs; with one job there are no threads at all.  At most
 * 2 * jobs blocks are in flight, so memory stays bounded.
 *
 * Rows must not span lines (the TSV of lib/tsv.h escapes LF; prose
 * reports end sentences at line ends).  A block knows the line its input
 * starts at, so work() can name lines in messages.
 */
#ifndef WY_PAR_H
#define WY_PAR_H

#include <stddef.h>

#include "util.h"

/* Blocks of about this many bytes: large enough that handing one over
 * costs nothing next to its work, small enough to stay in the caches. */
#define PAR_BLOCK (512u << 10)

/* Threads at most, whatever the machine. */
#define PAR_MAXJOBS 64

struct par_block {
	char *buf;	   /* whole lines; work() may change the bytes */
	size_t len;
	long line0;	   /* lines of the file before buf */
	size_t off0;	   /* bytes of the file before buf */
	const char *name;  /* the file's name, for messages */
	void *res;	   /* the tool's, kept with the block across uses */
	/* par's own */
	char *mem;	   /* the block's buffer, for par_file */
	size_t cap;
	int state;
	struct par_block *next;
};

struct par_ops {
	/* On a worker thread (or the caller's, with one job). */
	void (*work)(void *arg, struct par_block *b);
	/* On the caller's thread, in input order. */
	void (*emit)(void *arg, struct par_block *b);
	/*
	 * NULL, or called with each file's first line (without its LF) on the
	 * caller's thread, after every earlier block has been emitted and
	 * before any later one is worked on, so that it may set up what work
	 * reads.  Returns 1 when the line is data too, 0 when it is not.
	 */
	int (*head)(void *arg, char *line, size_t len, const char *name);
	/* Free a block's res at the end (NULL: nothing to free). */
	void (*res_free)(void *res);
};

struct par;

/*
 * The number of jobs to run when the user gave none: the processors this
 * process may use, at most 8 (beyond that, writing the output is the
 * bottleneck of every tool here).
 */
int par_default_jobs(void);

/*
 * Start `jobs` workers (1: none) over blocks of about blocksize bytes
 * (0: PAR_BLOCK, and never more than maxline); a line may be as long as
 * maxline bytes (maxline > 0).  Returns NULL
 * with e set when threads or memory cannot be had.
 */
struct par *par_new(int jobs, size_t blocksize, size_t maxline,
    const struct par_ops *ops, void *arg, struct wy_err *e);

/*
 * Read the open file fd (named name in messages) to its end and run its
 * lines through head, work and emit.  Blocks of it may still be in
 * flight on return.  Returns 0, or -1 with e set (read error, or a line
 * longer than maxline: "name:line: a line is longer than N bytes"), once
 * the blocks before the error are emitted.
 */
int par_file(struct par *p, int fd, const char *name, struct wy_err *e);

/*
 * Run the lines of buf[0..len) through work and emit as par_file does a
 * file's (without head), cutting it in place: buf must stay until
 * par_drain returns.  Returns 0, or -1 with e set (out of memory).
 */
int par_buffer(struct par *p, char *buf, size_t len, const char *name,
    struct wy_err *e);

/* Emit every block still in flight. */
void par_drain(struct par *p);

/*
 * Stop the workers without emitting what is in flight: those at work
 * finish their block, none takes another.  For a caller about to exit
 * in the middle of a run: no thread is left using what exit tears down.
 */
void par_abort(struct par *p);

/* Drain, stop the workers, free everything. */
void par_free(struct par *p);

/* Bytes read so far by par_file, for --progress. */
unsigned long long par_nread(const struct par *p);

#endif
