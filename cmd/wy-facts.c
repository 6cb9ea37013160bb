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

static const char usage[] =
    "usage: wy-facts [--html] [--simplified] [options] [FILE...]\n"
    "Find the figures of reports written in Chinese: one row per quantity.\n"
    "      --html          read HTML pages (libxml2, no network) for their text\n"
    "      --simplified    write the context in simplified characters (OpenCC)\n"
    "      --max-doc N     refuse a document larger than N bytes (default 268435456)\n"
    CLI_USAGE;

enum { OPT_HTML = 1, OPT_SIMPLIFIED, OPT_MAXDOC };

static const struct option longopts[] = {
	{ "html", no_argument, NULL, OPT_HTML },
	{ "simplified", no_argument, NULL, OPT_SIMPLIFIED },
	{ "max-doc", required_argument, NULL, OPT_MAXDOC },
	CLI_LONGOPTS
};

#define FACTS_DOCMAX ((size_t)256 << 20) /* bytes of a document, --max-doc */
#define READCHUNK ((size_t)1 << 20)

static const char *const columns[] = { "doc", "sent", "start", "end", "text",
	"value", "unit", "qual", "kind", "context" };

static struct cli cli;
static int html_mode, simplified;
static size_t maxdoc = FACTS_DOCMAX;
static struct clean_t2s *t2s;
static struct facts facts;
static struct html page;
static unsigned long long nfacts, nsents;

/* The document whose facts are being written. */
struct doc {
	const char *name;
	const char *field;	 /* name as a field, escaped */
	size_t fieldlen;
	const struct html *html; /* its page, or NULL for text */
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

/* "\tN" at d: a count as a field that follows another. */
static size_t
put_count(char *d, size_t v)
{
	char digits[24], *p = digits + sizeof digits;
	size_t n;

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
	n = (size_t)(digits + sizeof digits - p);
	d[0] = '\t';
	memcpy(d + 1, p, n);
	return n + 1;
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
context(const struct facts_fact *f, const char **ctx, size_t *len, char **conv,
    struct wy_err *e)
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
 * One row, made whole in a buffer and written at once: the fields that
 * can hold any text (the name, the figure's text, the context, --src)
 * are escaped, the counts and words, which never need it, are not.
 */
static int
put_fact(void *arg, const struct facts_fact *f, struct wy_err *e)
{
	static char *row;
	static size_t cap;
	const struct doc *d = arg;
	char src[WY_ERRMAX], *conv;
	const char *ctx;
	size_t n, ctxlen, srclen = 0;

	if (context(f, &ctx, &ctxlen, &conv, e) < 0)
		return -1;
	if (cli.src) {
		long line = d->html ? html_line(d->html, f->srcoff) : f->line;
		int len = snprintf(src, sizeof src, "%s:%ld", d->name, line);

		srclen = (size_t)len < sizeof src ? (size_t)len : sizeof src - 1;
	}
	n = d->fieldlen + 3 * 24 + 2 * f->textlen + FACTS_VALUEMAX +
	    UNIT_NAMEMAX + 32 + 2 * ctxlen + 2 * srclen + 8;
	if (wy_grow(&row, &cap, n, (size_t)-1 / 2, e) < 0) {
		free(conv);
		return -1;
	}
	memcpy(row, d->field, d->fieldlen);
	n = d->fieldlen;
	n += put_count(row + n, f->sent);
	n += put_count(row + n, f->start);
	n += put_count(row + n, f->end);
	n += put_text(row + n, f->text, f->textlen, f->plain);
	n += put_word(row + n, f->value);
	n += put_word(row + n, f->unit);
	n += put_word(row + n, facts_qual_name(f->qual));
	n += put_word(row + n, facts_kind_name(f->kind));
	n += put_text(row + n, ctx, ctxlen, f->plain && conv == NULL);
	free(conv);
	if (cli.src)
		n += put_text(row + n, src, srclen, 0);
	tsv_put_raw(&cli.out, row, n);
	cli_emit(&cli);
	return 0;
}

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
	struct doc d = { wy_name(path), NULL, 0, NULL };
	struct wy_err e;
	const char *text;
	size_t len, tlen;
	unsigned long long before = cli.nout;
	char *buf = read_doc(path, d.name, &len);

	cli.nin++;
	cli.bytes += len;
	cli_tick(&cli);
	if (buf == NULL) {
		snprintf(e.msg, sizeof e.msg, "larger than %zu bytes (--max-doc)",
		    maxdoc);
		reject_doc(d.name, 1, e.msg);
		return;
	}
	if (doc_text(d.name, buf, len, &d, &text, &tlen) < 0)
		return;
	d.field = name_field(d.name, &d.fieldlen);
	if (facts_scan(&facts, text, tlen, put_fact, &d, &e) < 0)
		cli_fail(&cli, &e);
	nfacts += cli.nout - before;
	nsents += facts.nsent;
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

	while ((ch = cli_getopt(&cli, argc, argv, CLI_SHORTOPTS, longopts)) != -1) {
		switch (ch) {
		case OPT_HTML: html_mode = 1; break;
		case OPT_SIMPLIFIED: simplified = 1; break;
		case OPT_MAXDOC: maxdoc = parse_size("--max-doc", optarg); break;
		default:
			cli_usage(&cli, "unknown option");
		}
	}
}

int
main(int argc, char **argv)
{
	struct wy_err e;

	cli_init(&cli, "wy-facts", usage);
	parse_options(argc, argv);
	if (simplified && (t2s = clean_t2s_open(&e)) == NULL)
		cli_fail(&cli, &e);
	cli_open_out(&cli);
	write_header();
	if (optind == argc)
		facts_file(NULL);
	for (int i = optind; i < argc; i++)
		facts_file(argv[i]);
	if (cli.stats)
		cli_warn(&cli, "%llu facts in %llu sentences", nfacts, nsents);
	cli_finish(&cli);
}
