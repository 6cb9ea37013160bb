#define _GNU_SOURCE /* sched_getaffinity */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "par.h"

enum { B_TODO = 1, B_BUSY, B_DONE };

struct par {
	const struct par_ops *ops;
	void *arg;
	int jobs;
	size_t blocksize, maxline;
	pthread_t *tids;
	int nthreads;
	/* the blocks in flight, oldest first; guarded by mu */
	pthread_mutex_t mu;
	pthread_cond_t todo, done;
	struct par_block *head, *tail, *next_todo;
	int nflight, stop;
	/* the caller's alone */
	struct par_block *spare;
	char *carry; /* a line cut by the end of the last block */
	size_t ncarry, carrycap;
	unsigned long long nread;
};

int
par_default_jobs(void)
{
	cpu_set_t set;
	int n;

	if (sched_getaffinity(0, sizeof set, &set) == 0)
		n = CPU_COUNT(&set);
	else
		n = (int)sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 8 ? 8 : n;
}

static void *
worker(void *vp)
{
	struct par *p = vp;
	struct par_block *b;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->stop && p->next_todo == NULL)
			pthread_cond_wait(&p->todo, &p->mu);
		if ((b = p->next_todo) == NULL)
			break;
		p->next_todo = b->next;
		b->state = B_BUSY;
		pthread_mutex_unlock(&p->mu);
		p->ops->work(p->arg, b);
		pthread_mutex_lock(&p->mu);
		b->state = B_DONE;
		pthread_cond_signal(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

struct par *
par_new(int jobs, size_t blocksize, size_t maxline, const struct par_ops *ops,
    void *arg, struct wy_err *e)
{
	struct par *p;
	int err;

	if ((p = calloc(1, sizeof *p)) == NULL) {
		wy_errf(e, WY_EXIT_IO, "out of memory");
		return NULL;
	}
	p->ops = ops;
	p->arg = arg;
	p->jobs = jobs < 1 ? 1 : jobs > PAR_MAXJOBS ? PAR_MAXJOBS : jobs;
	p->blocksize = blocksize ? blocksize : PAR_BLOCK;
	p->maxline = maxline;
	if (p->blocksize > maxline)
		p->blocksize = maxline; /* a line longer goes past a block's end */
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->todo, NULL);
	pthread_cond_init(&p->done, NULL);
	if (p->jobs == 1)
		return p;
	if ((p->tids = calloc(p->jobs, sizeof *p->tids)) == NULL) {
		par_free(p);
		wy_errf(e, WY_EXIT_IO, "out of memory");
		return NULL;
	}
	for (; p->nthreads < p->jobs; p->nthreads++) {
		if ((err = pthread_create(&p->tids[p->nthreads], NULL, worker, p)) != 0) {
			par_free(p);
			wy_syserr(e, err, "cannot start a thread");
			return NULL;
		}
	}
	return p;
}

/* Emit the oldest block in flight, waiting for its work; keep it spare. */
static void
emit_oldest(struct par *p)
{
	struct par_block *b;

	pthread_mutex_lock(&p->mu);
	b = p->head;
	while (b->state != B_DONE)
		pthread_cond_wait(&p->done, &p->mu);
	if ((p->head = b->next) == NULL)
		p->tail = NULL;
	p->nflight--;
	pthread_mutex_unlock(&p->mu);
	p->ops->emit(p->arg, b);
	b->next = p->spare;
	p->spare = b;
}

void
par_drain(struct par *p)
{
	while (p->head != NULL)
		emit_oldest(p);
}

/* Hand b to the workers (or, with one job, do it now). */
static void
submit(struct par *p, struct par_block *b)
{
	if (p->jobs == 1) {
		p->ops->work(p->arg, b);
		p->ops->emit(p->arg, b);
		b->next = p->spare;
		p->spare = b;
		return;
	}
	b->next = NULL;
	pthread_mutex_lock(&p->mu);
	b->state = B_TODO;
	if (p->tail != NULL)
		p->tail->next = b;
	else
		p->head = b;
	p->tail = b;
	if (p->next_todo == NULL)
		p->next_todo = b;
	p->nflight++;
	pthread_cond_signal(&p->todo);
	pthread_mutex_unlock(&p->mu);
	while (p->nflight >= 2 * p->jobs)
		emit_oldest(p);
}

/* A spare block (or a new one) with room for need bytes; NULL on ENOMEM. */
static struct par_block *
take_block(struct par *p, size_t need, struct wy_err *e)
{
	struct par_block *b = p->spare;

	if (b != NULL) {
		p->spare = b->next;
	} else if ((b = calloc(1, sizeof *b)) == NULL) {
		wy_errf(e, WY_EXIT_IO, "out of memory");
		return NULL;
	}
	b->len = 0;
	if (b->cap < need && wy_grow(&b->mem, &b->cap, need, need, e) < 0) {
		b->next = p->spare;
		p->spare = b;
		return NULL;
	}
	b->buf = b->mem;
	return b;
}

/*
 * The LFs in s[0..n).  With SSE2, 16 bytes a step: each step subtracts
 * its compare mask (-1 per LF) from byte counters, which are summed
 * before they can wrap, every 255 steps.
 */
static long
count_lines(const char *s, size_t n)
{
	long lines = 0;
	size_t i = 0;

#ifdef __SSE2__
	const __m128i lf = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();

	while (i + 16 <= n) {
		__m128i counts = zero, sums;

		for (int k = 0; k < 255 && i + 16 <= n; k++, i += 16) {
			__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));

			counts = _mm_sub_epi8(counts, _mm_cmpeq_epi8(x, lf));
		}
		sums = _mm_sad_epu8(counts, zero);
		lines += _mm_cvtsi128_si32(sums) +
		    _mm_cvtsi128_si32(_mm_unpackhi_epi64(sums, sums));
	}
#endif
	for (; i < n; i++)
		lines += s[i] == '\n';
	return lines;
}

/*
 * read(2) into b until it holds want bytes (no more: a whole line in a
 * block is then never longer than the block was meant to be) or the file
 * ends; -1 on error.
 */
static int
fill(struct par *p, int fd, struct par_block *b, size_t want)
{
	ssize_t n;

	while (b->len < want) {
		n = read(fd, b->buf + b->len, want - b->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -1 : 0;
		b->len += n;
		p->nread += n;
	}
	return 0;
}

/* The error of a line too long, the line0 + 1st of name. */
static void
too_long(const struct par *p, const char *name, long line0, struct wy_err *e)
{
	wy_errf(e, WY_EXIT_DATA, "%s:%ld: a line is longer than %zu bytes", name,
	    line0 + 1, p->maxline);
}

/*
 * The next block of whole lines of fd (line0 lines read before it), the
 * carried line first: NULL at the end of the file (*e untouched) or on
 * error (e->exit set).  A line past maxline is found as the carry, as a
 * line that does not end in a block grown to maxline, or as the file's
 * last: every line longer than a block passes one of them.
 */
static struct par_block *
next_block(struct par *p, int fd, const char *name, long line0, int *eof,
    struct wy_err *e)
{
	struct par_block *b;
	size_t want = p->blocksize > p->ncarry ? p->blocksize : p->ncarry + 1;
	size_t tail;
	char *lf;

	if (*eof && p->ncarry == 0)
		return NULL;
	if (p->ncarry > p->maxline) {
		too_long(p, name, line0, e);
		return NULL;
	}
	if ((b = take_block(p, want + 1, e)) == NULL)
		return NULL;
	if (p->ncarry > 0) /* carry is NULL until a line was cut */
		memcpy(b->buf, p->carry, p->ncarry);
	b->len = p->ncarry;
	for (;;) {
		if (!*eof) {
			if (fill(p, fd, b, want) < 0) {
				wy_syserr(e, errno, "%s: read error", name);
				goto fail;
			}
			*eof = b->len < want;
		}
		lf = b->len > 0 ? memrchr(b->buf, '\n', b->len) : NULL;
		if (lf != NULL || *eof)
			break;
		/* not one whole line yet (it began the block): a longer block */
		if (b->len > p->maxline) {
			too_long(p, name, line0, e);
			goto fail;
		}
		want = b->len < p->maxline / 2 ? b->len * 2 : p->maxline + 1;
		if (wy_grow(&b->mem, &b->cap, want + 1, p->maxline + 2, e) < 0)
			goto fail;
		b->buf = b->mem;
	}
	/* the bytes after the last LF: the next block's, or the file's last line */
	tail = b->len - (lf != NULL ? (size_t)(lf + 1 - b->buf) : 0);
	if (*eof && tail > p->maxline && lf == NULL) {
		too_long(p, name, line0, e);
		goto fail;
	}
	p->ncarry = lf != NULL && (!*eof || tail > p->maxline) ? tail : 0;
	if (p->ncarry > 0 && wy_grow(&p->carry, &p->carrycap, p->ncarry,
	    (size_t)-1 / 2, e) < 0)
		goto fail;
	b->len -= p->ncarry;
	if (p->ncarry > 0)
		memcpy(p->carry, b->buf + b->len, p->ncarry);
	if (b->len == 0)
		goto fail; /* an empty file */
	b->name = name;
	return b;
fail:
	b->next = p->spare;
	p->spare = b;
	return NULL;
}

int
par_file(struct par *p, int fd, const char *name, struct wy_err *e)
{
	int (*head)(void *, char *, size_t, const char *) = p->ops->head;
	struct par_block *b;
	long line0 = 0;
	size_t off0 = 0;
	int eof = 0;

	e->exit = WY_EXIT_OK;
	p->ncarry = 0;
	while ((b = next_block(p, fd, name, line0, &eof, e)) != NULL) {
		if (head != NULL) {
			char *lf = memchr(b->buf, '\n', b->len);
			size_t hl = lf != NULL ? (size_t)(lf - b->buf) : b->len;
			size_t skip = hl + (lf != NULL);

			par_drain(p);
			if (!head(p->arg, b->buf, hl, name)) {
				memmove(b->buf, b->buf + skip, b->len - skip);
				b->len -= skip;
				line0 = 1;
				off0 = skip;
			}
			head = NULL;
		}
		b->line0 = line0;
		b->off0 = off0;
		line0 += count_lines(b->buf, b->len);
		off0 += b->len;
		if (b->len == 0) {
			b->next = p->spare;
			p->spare = b;
			continue;
		}
		submit(p, b);
	}
	if (e->exit == WY_EXIT_OK)
		return 0;
	par_drain(p);
	return -1;
}

int
par_buffer(struct par *p, char *buf, size_t len, const char *name,
    struct wy_err *e)
{
	struct par_block *b;
	size_t at = 0, cut;
	long line0 = 0;

	while (at < len) {
		char *lf = NULL;

		cut = len - at > p->blocksize ? at + p->blocksize : len;
		if (cut < len && (lf = memchr(buf + cut - 1, '\n', len - cut + 1)) != NULL)
			cut = (size_t)(lf + 1 - buf);
		else
			cut = len;
		/* a block without a buffer of its own */
		if ((b = take_block(p, 0, e)) == NULL) {
			par_drain(p);
			return -1;
		}
		b->buf = buf + at;
		b->len = cut - at;
		b->name = name;
		b->line0 = line0;
		b->off0 = at;
		line0 += count_lines(b->buf, b->len);
		submit(p, b);
		at = cut;
	}
	return 0;
}

unsigned long long
par_nread(const struct par *p)
{
	return p->nread;
}

void
par_abort(struct par *p)
{
	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	p->next_todo = NULL;
	pthread_cond_broadcast(&p->todo);
	pthread_mutex_unlock(&p->mu);
	for (; p->nthreads > 0; p->nthreads--)
		pthread_join(p->tids[p->nthreads - 1], NULL);
}

void
par_free(struct par *p)
{
	struct par_block *b;

	if (p == NULL)
		return;
	if (p->nthreads == p->jobs)
		par_drain(p);
	par_abort(p);
	while ((b = p->spare) != NULL) {
		p->spare = b->next;
		if (p->ops->res_free != NULL && b->res != NULL)
			p->ops->res_free(b->res);
		free(b->mem);
		free(b);
	}
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->todo);
	pthread_cond_destroy(&p->done);
	free(p->tids);
	free(p->carry);
	free(p);
}
