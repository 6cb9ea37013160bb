/*
 * par_test: whatever the jobs and block sizes, from a file, a pipe that
 * delivers a few bytes at a time or a buffer, every line reaches work() once, with
 * its right line number, and emit() sees the blocks in input order; the
 * first line goes to head when asked; a line past the limit is an error.
 */
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>

#include "par.h"
#include "t.h"

#define NLINES 3000

static char text[NLINES * 200];
static size_t textlen;

/* Lines of 0 to 150 bytes (some empty), with or without a last LF. */
static void
make_text(int last_lf)
{
	textlen = 0;
	for (int i = 0; i < NLINES; i++) {
		size_t n = (size_t)(i * 37 % 151) * (i % 11 != 0);

		for (size_t k = 0; k < n; k++)
			text[textlen++] = (char)('a' + (i + k) % 26);
		text[textlen++] = '\n';
	}
	if (!last_lf)
		textlen--;
}

/* What one line becomes: "line:length:first byte upper-cased". */
static size_t
line_out(char *d, long line, char *s, size_t n)
{
	if (n > 0)
		s[0] = (char)(s[0] - 'a' + 'A'); /* work may change its block */
	return (size_t)sprintf(d, "%ld:%zu:%c\n", line, n, n > 0 ? s[0] : '-');
}

struct res {
	char *buf;
	size_t len;
	size_t off0, bytes;
};

static void
work(void *arg, struct par_block *b)
{
	struct res *r = b->res;
	char *s = b->buf, *end = b->buf + b->len;
	long line = b->line0;

	(void)arg;
	if (r == NULL)
		r = b->res = calloc(1, sizeof *r);
	free(r->buf);
	r->buf = malloc(b->len * 8 + 64);
	r->len = 0;
	r->off0 = b->off0;
	r->bytes = b->len;
	while (s < end) {
		char *lf = memchr(s, '\n', (size_t)(end - s));
		size_t n = lf ? (size_t)(lf - s) : (size_t)(end - s);

		r->len += line_out(r->buf + r->len, ++line, s, n);
		s += n + (lf != NULL);
	}
}

static char got[NLINES * 32 + 256];
static size_t gotlen, emitted_bytes;
static int order_bad, headcalls, head_keeps;

static void
emit(void *arg, struct par_block *b)
{
	struct res *r = b->res;

	(void)arg;
	if (r->off0 != emitted_bytes)
		order_bad = 1;
	emitted_bytes = r->off0 + r->bytes;
	memcpy(got + gotlen, r->buf, r->len);
	gotlen += r->len;
}

static int
head(void *arg, char *line, size_t len, const char *name)
{
	(void)arg;
	(void)name;
	headcalls++;
	if (head_keeps)
		return 1;
	gotlen += (size_t)sprintf(got + gotlen, "head:%zu\n", len);
	emitted_bytes = len + 1;
	(void)line;
	return 0;
}

static void
res_free(void *vp)
{
	struct res *r = vp;

	free(r->buf);
	free(r);
}

/* What par should give: every line through line_out, the first maybe to head. */
static size_t
expect(char *d, int with_head)
{
	char copy[sizeof text];
	size_t len = 0, at = 0;
	long line = 0;

	memcpy(copy, text, textlen);
	while (at < textlen) {
		char *lf = memchr(copy + at, '\n', textlen - at);
		size_t n = lf ? (size_t)(lf - (copy + at)) : textlen - at;

		if (with_head == 1 && line == 0)
			len += (size_t)sprintf(d + len, "head:%zu\n", n), line++;
		else
			len += line_out(d + len, ++line, copy + at, n);
		at += n + (lf != NULL);
	}
	return len;
}

/* An fd that reads text: a file, or a pipe written 5 bytes at a time. */
static int
open_text(int piped, pid_t *child)
{
	int fds[2];

	*child = -1;
	if (piped == 2)
		return -1; /* par_buffer */
	if (!piped) {
		char path[] = "/tmp/par_testXXXXXX";
		int fd = mkstemp(path);

		unlink(path);
		if (write(fd, text, textlen) != (ssize_t)textlen)
			return -1;
		lseek(fd, 0, SEEK_SET);
		return fd;
	}
	if (pipe(fds) < 0)
		return -1;
	if ((*child = fork()) == 0) {
		close(fds[0]);
		for (size_t at = 0; at < textlen; at += 5)
			if (write(fds[1], text + at, textlen - at < 5 ? textlen - at : 5) < 0)
				_exit(1);
		_exit(0);
	}
	close(fds[1]);
	return fds[0];
}

static void
run(int jobs, size_t blocksize, int with_head, int piped)
{
	static char want[sizeof got];
	struct par_ops ops = { work, emit, with_head ? head : NULL, res_free };
	struct wy_err e;
	struct par *p;
	pid_t child;
	int fd = open_text(piped, &child), rc;
	size_t wantlen = expect(want, with_head);

	gotlen = emitted_bytes = 0;
	order_bad = headcalls = 0;
	head_keeps = with_head == 2;
	p = par_new(jobs, blocksize, 1 << 20, &ops, NULL, &e);
	CHECK(p != NULL, "par_new: %s", e.msg);
	if (p == NULL)
		return;
	if (piped == 2) {
		static char copy[sizeof text];

		memcpy(copy, text, textlen);
		rc = par_buffer(p, copy, textlen, "text", &e);
	} else {
		rc = par_file(p, fd, "text", &e);
		close(fd);
	}
	par_free(p);
	if (child > 0)
		waitpid(child, NULL, 0);
	CHECK(rc == 0, "jobs %d block %zu: %s", jobs, blocksize, e.msg);
	CHECK(!order_bad, "jobs %d block %zu head %d: blocks out of order",
	    jobs, blocksize, with_head);
	CHECK(headcalls == (with_head && textlen > 0), "jobs %d block %zu: %d head calls",
	    jobs, blocksize, headcalls);
	CHECK(gotlen == wantlen && memcmp(got, want, wantlen) == 0,
	    "jobs %d block %zu head %d piped %d: %zu bytes out, want %zu",
	    jobs, blocksize, with_head, piped, gotlen, wantlen);
}

/*
 * A line longer than maxline is an error that names the file and its
 * line (as the carry, in a grown block, or the file's last), once the
 * lines before it are emitted.
 */
static void
too_long(const char *head, const char *tail, size_t blocksize,
    const char *want_msg, const char *want_out)
{
	struct par_ops ops = { work, emit, NULL, res_free };
	struct wy_err e;
	struct par *p = par_new(2, blocksize, 100, &ops, NULL, &e);
	pid_t child;
	int fd;

	textlen = strlen(head);
	memcpy(text, head, textlen);
	memset(text + textlen, 'x', 1000);
	textlen += 1000;
	memcpy(text + textlen, tail, strlen(tail));
	textlen += strlen(tail);
	fd = open_text(0, &child);
	gotlen = emitted_bytes = 0;
	CHECK(par_file(p, fd, "long.txt", &e) < 0, "a 1000-byte line passed");
	CHECK(strcmp(e.msg, want_msg) == 0, "message: %s", e.msg);
	got[gotlen] = '\0';
	CHECK(strcmp(got, want_out) == 0, "before the error: %s", got);
	par_free(p);
	close(fd);
}

int
main(void)
{
	static const size_t sizes[] = { 1, 2, 7, 150, 151, 4096, 0 };
	static const int jobs[] = { 1, 2, 3, 8 };

	for (int last_lf = 0; last_lf <= 1; last_lf++) {
		make_text(last_lf);
		for (size_t j = 0; j < sizeof jobs / sizeof jobs[0]; j++)
			for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
				for (int h = 0; h <= 2; h++)
					run(jobs[j], sizes[s], h, (int)(s + h) % 2);
		/* a buffer: no head */
		for (size_t j = 0; j < sizeof jobs / sizeof jobs[0]; j++)
			for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
				run(jobs[j], sizes[s], 0, 2);
	}
	textlen = 0;
	run(2, 16, 1, 0); /* an empty file: no head, no block */
	too_long("ab\ncd\n", "", 4, "long.txt:3: a line is longer than 100 bytes",
	    "1:2:A\n2:2:C\n");
	too_long("ab\n", "\nok\n", 0, "long.txt:2: a line is longer than 100 bytes",
	    "1:2:A\n");
	too_long("", "", 0, "long.txt:1: a line is longer than 100 bytes", "");
	too_long("", "\n", 7, "long.txt:1: a line is longer than 100 bytes", "");
	CHECK(par_default_jobs() >= 1 && par_default_jobs() <= 8, "default jobs %d",
	    par_default_jobs());
	return t_done("par");
}
