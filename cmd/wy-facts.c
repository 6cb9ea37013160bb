/*
 * wy-facts: the figures of reports written in prose, one TSV row each.
 * Each document is read whole and checked before any of its rows is
 * written, so that a bad one leaves nothing of itself; see man/wy-facts.1.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "facts.h"
#include "html.h"
#include "par.h"

static const char usage[] =
    "usage: wy-facts [--html] [--simplified] [options] [FILE...]\n"
    "Find the figures of reports written in Chinese: one row per quantity.\n"
    "      --html          read HTML pages (libxml2, no network) for their text\n"
    "      --simplified    write the context in simplified characters (OpenCC)\n"
    "      --max-doc N     refuse a document larger than N bytes (default 268435456)\n"
    "  -j, --jobs N        threads to use (default: the processors, at most 8)\n"
    CLI_USAGE;

enum { OPT_HTML = 1, OPT_SIMPLIFIED, OPT_MAXDOC };

static const struct option longopts[] = {
	{ "html", no_argument, NULL, OPT_HTML },
	{ "simplified", no_argument, NULL, OPT_SIMPLIFIED },
	{ "max-doc", required_argument, NULL, OPT_MAXDOC },
	{ "jobs", required_argument, NULL, 'j' },
	CLI_LONGOPTS
};

#define FACTS_DOCMAX ((size_t)256 << 20) /* bytes of a document, --max-doc */
#define READCHUNK ((size_t)1 << 20)

static const char *const columns[] = { "doc", "sent", "start", "end", "text",
	"value", "unit", "qual", "kind", "context" };

static struct cli cli;
static int html_mode, simplified, jobs;
static size_t maxdoc = FACTS_DOCMAX;
static struct html page;
static struct par *par;
static unsigned long long nfacts, nsents;

/* The document whose facts are being written (the workers read it). */
struct doc {
	const char *name;
	const char *field;	 /* name as a field, escaped */
	size_t fieldlen;
	const struct html *html; /* its page, or NULL for text */
	/* what the blocks written so far held: the next one counts from there */
	unsigned long nsent;
	size_t nchar;
};

static struct doc doc;

/*
 * A fact as a block finds it: where it is, counted from the block's
 * start (the first columns wait for the counts of the blocks before),
 * and the bytes of its row from the text column on.
 */
struct place {
	unsigned long sent;
	size_t start, end;
	size_t len;
};

/* What a block of a document becomes, on a worker thread. */
struct res {
	struct facts facts;
	struct clean_t2s *t2s; /* its own: OpenCC's converter is not shared */
	const struct par_block *b;
	char *rows;	       /* the places' row tails, one after another */
	size_t len, cap;
	struct place *at;
	size_t nat, atcap;     /* places, and bytes of at */
	int failed;	       /* and why, in e */
	struct wy_err e;
};

static void
write_header(void)
{
	if (cli.noheader)
		return;
	for (size_t k = 0; k < sizeof(columns) / sizeof(columns[0]); k++)
		tsv_put(&cli.out, columns[k], strlen(columns[k]));
	if (cli.src)
		tsv_put(&cli.out, "_src", 4);
	tsv_end(&cli.out);
}

/* "00" to "99": put_count writes two digits at a time. */
static const char pairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233"
    "34353637383940414243444546474849505152535455565758596061626364656667"
    "6869707172737475767778798081828384858687888990919293949596979899";

/*
 * "\tN" at d: a count as a field that follows another.  The digits are
 * made from the last, two at a time, then copied 20 bytes at once (as
 * many as a count may have): a copy of a known size takes a few moves,
 * where one of the digits' own size is a call.  Room: 21 bytes at d.
 */
static size_t
put_count(char *d, size_t v)
{
	char digits[40], *end = digits + 20, *p = end;

	for (; v >= 100; v /= 100) {
		p -= 2;
		memcpy(p, pairs + 2 * (v % 100), 2);
	}
	if (v >= 10) {
		p -= 2;
		memcpy(p, pairs + 2 * v, 2);
	} else {
		*--p = (char)('0' + v);
	}
	memset(end, 0, 20);
	d[0] = '\t';
	memcpy(d + 1, p, 20);
	return (size_t)(end - p) + 1;
}

/* "\ts" at d (s short and never escaped: a value, a unit, a word). */
static size_t
put_word(char *d, const char *s)
{
	size_t n = 0;

	d[n++] = '\t';
	while (*s != '\0')
		d[n++] = *s++;
	return n;
}

/* "\ts" at d, s[0..n) escaped unless plain (room for 1 + 2 * n bytes). */
static size_t
put_text(char *d, const char *s, size_t n, int plain)
{
	d[0] = '\t';
	if (!plain)
		return 1 + tsv_escape(d + 1, s, n);
	memcpy(d + 1, s, n);
	return 1 + n;
}

/* The context as written: simplified with --simplified (malloc'd). */
static int
context(struct clean_t2s *t2s, const struct facts_fact *f, const char **ctx,
    size_t *len, char **conv, struct wy_err *e)
{
	*ctx = f->ctx;
	*len = f->ctxlen;
	*conv = NULL;
	if (t2s == NULL)
		return 0;
	if (clean_t2s(t2s, f->ctx, f->ctxlen, conv, len, e) < 0)
		return -1;
	*ctx = *conv;
	return 0;
}

/*
 * A fact's row from its text column on, made in the block's buffer: the
 * fields that can hold any text (the figure's text, the context, --src)
 * are escaped, the words, which never need it, are not.
 */
static int
put_fact(void *arg, const struct facts_fact *f, struct wy_err *e)
{
	struct res *r = arg;
	const struct par_block *b = r->b;
	struct place *at;
	char src[WY_ERRMAX], *conv, *row;
	const char *ctx;
	size_t n, ctxlen, srclen = 0;

	if (context(r->t2s, f, &ctx, &ctxlen, &conv, e) < 0)
		return -1;
	if (cli.src) {
		long line = doc.html ? html_line(doc.html, b->off0 + f->srcoff) :
		    b->line0 + f->line;
		int len = snprintf(src, sizeof src, "%s:%ld", doc.name, line);

		srclen = (size_t)len < sizeof src ? (size_t)len : sizeof src - 1;
	}
	n = r->len + 2 * f->textlen + FACTS_VALUEMAX + UNIT_NAMEMAX + 32 +
	    2 * ctxlen + 2 * srclen + 8;
	if (wy_grow(&r->rows, &r->cap, n, (size_t)-1 / 2, e) < 0 ||
	    wy_grow(&r->at, &r->atcap, (r->nat + 1) * sizeof *at,
	    (size_t)-1 / 2, e) < 0) {
		free(conv);
		return -1;
	}
	row = r->rows + r->len;
	n = put_text(row, f->text, f->textlen, f->plain);
	n += put_word(row + n, f->value);
	n += put_word(row + n, f->unit);
	n += put_word(row + n, facts_qual_name(f->qual));
	n += put_word(row + n, facts_kind_name(f->kind));
	n += put_text(row + n, ctx, ctxlen, f->plain && conv == NULL);
	free(conv);
	if (cli.src)
		n += put_text(row + n, src, srclen, 0);
	at = &r->at[r->nat++];
	at->sent = f->sent;
	at->start = f->start;
	at->end = f->end;
	at->len = n;
	r->len += n;
	return 0;
}

/* A block's facts, on a worker thread; what goes wrong waits for emit. */
static void
work(void *arg, struct par_block *b)
{
	struct res *r = b->res;

	(void)arg;
	if (r == NULL && (r = b->res = calloc(1, sizeof *r)) == NULL)
		return;
	r->b = b;
	r->len = r->nat = 0;
	r->failed = 0;
	if (simplified && r->t2s == NULL &&
	    (r->t2s = clean_t2s_open(&r->e)) == NULL) {
		r->failed = 1;
		return;
	}
	if (facts_scan(&r->facts, b->buf, b->len, put_fact, r, &r->e) < 0)
		r->failed = 1;
}

/* A block's rows, their first columns counted from the document's start. */
static void
emit(void *arg, struct par_block *b)
{
	struct res *r = b->res;
	const char *tail;
	char *row;
	size_t n;

	(void)arg;
	if (r == NULL)
		cli_die(&cli, WY_EXIT_IO, "out of memory");
	if (r->failed)
		cli_fail(&cli, &r->e);
	tail = r->rows;
	for (size_t i = 0; i < r->nat; i++) {
		const struct place *at = &r->at[i];

		if ((row = tsv_room(&cli.out, doc.fieldlen + 3 * 24 + at->len)) == NULL) {
			cli_emit(&cli); /* which reports the failed writer */
			return;
		}
		memcpy(row, doc.field, doc.fieldlen);
		n = doc.fieldlen;
		n += put_count(row + n, doc.nsent + at->sent);
		n += put_count(row + n, doc.nchar + at->start);
		n += put_count(row + n, doc.nchar + at->end);
		memcpy(row + n, tail, at->len);
		tail += at->len;
		tsv_wrote(&cli.out, row + n + at->len, 1);
		cli_emit(&cli);
	}
	/* the block's sentences and code points: the next block counts on */
	doc.nsent += r->facts.nsent;
	doc.nchar += r->facts.nchar;
}

static void
res_free(void *vp)
{
	struct res *r = vp;

	facts_free(&r->facts);
	if (r->t2s != NULL)
		clean_t2s_close(r->t2s);
	free(r->rows);
	free(r->at);
	free(r);
}

static const struct par_ops ops = { work, emit, NULL, res_free };

/* A bad document: the message and exit 1, or a row of --rejects. */
static void
reject_doc(const char *name, long line, const char *why)
{
	static struct rec hdr, row;
	struct wy_err e;

	hdr.nf = row.nf = 0;
	if (rec_push(&hdr, "doc", 3, &e) < 0 ||
	    rec_push(&row, name, strlen(name), &e) < 0)
		cli_fail(&cli, &e);
	cli_reject(&cli, &hdr, &row, name, line, why);
}

/* The whole input; NULL when it is larger than --max-doc. */
static char *
read_doc(const char *path, const char *name, size_t *len)
{
	static char *buf;
	static size_t cap;
	struct wy_err e;
	int fd = cli_open_in(&cli, path);
	ssize_t got;

	*len = 0;
	for (;;) {
		size_t want = *len + READCHUNK;

		if (want > maxdoc + 1)
			want = maxdoc + 1;
		if (wy_grow(&buf, &cap, want, (size_t)-1 / 2, &e) < 0)
			cli_fail(&cli, &e);
		do
			got = read(fd, buf + *len, want - *len);
		while (got < 0 && errno == EINTR);
		if (got < 0)
			cli_die(&cli, WY_EXIT_IO, "%s: read error: %s", name,
			    strerror(errno));
		if (got == 0)
			break;
		*len += (size_t)got;
		if (*len > maxdoc)
			break;
	}
	if (fd != 0)
		close(fd);
	return *len > maxdoc ? NULL : buf;
}

/* The text to read facts in: the document's, or its page's. */
static int
doc_text(const char *name, const char *buf, size_t len, struct doc *d,
    const char **text, size_t *tlen)
{
	struct wy_err e;
	const char *why;
	long line;

	if (clean_check(buf, len, &line, &why) < 0) {
		reject_doc(name, line, why);
		return -1;
	}
	*text = buf;
	*tlen = len;
	if (!html_mode)
		return 0;
	if (html_text(&page, buf, len, &e) < 0) {
		if (e.exit != WY_EXIT_DATA)
			cli_fail(&cli, &e);
		reject_doc(name, 1, e.msg);
		return -1;
	}
	/* a character reference such as &#0; can still make a NUL */
	if (clean_check(page.text, page.len, &line, &why) < 0) {
		reject_doc(name, html_line(&page, 0), why);
		return -1;
	}
	d->html = &page;
	*text = page.text;
	*tlen = page.len;
	return 0;
}

/* name escaped as a field (in a buffer reused from file to file). */
static const char *
name_field(const char *name, size_t *len)
{
	static char *buf;
	static size_t cap;
	struct wy_err e;
	size_t n = strlen(name);

	if (wy_grow(&buf, &cap, 2 * n + 1, (size_t)-1 / 2, &e) < 0)
		cli_fail(&cli, &e);
	*len = tsv_escape(buf, name, n);
	return buf;
}

static void
facts_file(const char *path)
{
	struct doc *d = &doc;
	struct wy_err e;
	const char *text;
	size_t len, tlen;
	unsigned long long before = cli.nout;
	char *buf;

	memset(d, 0, sizeof *d);
	d->name = wy_name(path);
	buf = read_doc(path, d->name, &len);

	cli.nin++;
	cli.bytes += len;
	cli_tick(&cli);
	if (buf == NULL) {
		snprintf(e.msg, sizeof e.msg, "larger than %zu bytes (--max-doc)",
		    maxdoc);
		reject_doc(d->name, 1, e.msg);
		return;
	}
	if (doc_text(d->name, buf, len, d, &text, &tlen) < 0)
		return;
	d->field = name_field(d->name, &d->fieldlen);
	/* the blocks read text in place: it stays until they are written */
	if (par_buffer(par, (char *)text, tlen, d->name, &e) < 0)
		cli_fail(&cli, &e);
	par_drain(par);
	nfacts += cli.nout - before;
	nsents += d->nsent;
	/* --stats counts documents, so that in = out + rejected */
	cli.nout = before + 1;
}

static size_t
parse_size(const char *opt, const char *arg)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno || end == arg || *end || v == 0 || arg[0] == '-' ||
	    v > HTML_MAX * 4)
		cli_usage(&cli, "%s: a number of bytes from 1 to %zu, not \"%s\"",
		    opt, HTML_MAX * 4, arg);
	return (size_t)v;
}

static void
parse_options(int argc, char **argv)
{
	int ch;

	while ((ch = cli_getopt(&cli, argc, argv, "j:" CLI_SHORTOPTS, longopts)) != -1) {
		switch (ch) {
		case OPT_HTML: html_mode = 1; break;
		case OPT_SIMPLIFIED: simplified = 1; break;
		case OPT_MAXDOC: maxdoc = parse_size("--max-doc", optarg); break;
		case 'j': jobs = cli_jobs(&cli, optarg); break;
		default:
			cli_usage(&cli, "unknown option");
		}
	}
}

int
main(int argc, char **argv)
{
	struct wy_err e;
	struct clean_t2s *t2s;

	cli_init(&cli, "wy-facts", usage);
	parse_options(argc, argv);
	/* each block opens its own; this says at once if it cannot */
	if (simplified && (t2s = clean_t2s_open(&e)) == NULL)
		cli_fail(&cli, &e);
	if (simplified)
		clean_t2s_close(t2s);
	cli_open_out(&cli);
	par = cli_par(&cli, jobs, maxdoc, &ops, NULL);
	write_header();
	if (optind == argc)
		facts_file(NULL);
	for (int i = optind; i < argc; i++)
		facts_file(argv[i]);
	if (cli.stats)
		cli_warn(&cli, "%llu facts in %llu sentences", nfacts, nsents);
	cli_finish(&cli);
}
