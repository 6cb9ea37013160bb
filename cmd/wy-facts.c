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

static void
put_str(const char *s)
{
	tsv_put(&cli.out, s, strlen(s));
}

/* "\tN" at d: a count as a field that follows another. */
static size_t
put_count(char *d, size_t v)
{
	char buf[24], *p = buf + sizeof buf;
	size_t n;

	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	n = (size_t)(buf + sizeof buf - p);
	d[0] = '\t';
	memcpy(d + 1, p, n);
	return n + 1;
}

/* "\ts" at d (s short and never escaped: a value, a unit, a word). */
static size_t
put_word(char *d, const char *s)
{
	size_t n = strlen(s);

	d[0] = '\t';
	memcpy(d + 1, s, n);
	return n + 1;
}

static int
put_context(const struct facts_fact *f, struct wy_err *e)
{
	char *conv;
	size_t len;

	if (t2s == NULL) {
		tsv_put(&cli.out, f->ctx, f->ctxlen);
		return 0;
	}
	if (clean_t2s(t2s, f->ctx, f->ctxlen, &conv, &len, e) < 0)
		return -1;
	tsv_put(&cli.out, conv, len);
	free(conv);
	return 0;
}

/*
 * One row.  The fields that can hold any text go through tsv_put, which
 * escapes; the counts and words, which never need it, are written raw.
 */
static int
put_fact(void *arg, const struct facts_fact *f, struct wy_err *e)
{
	const struct doc *d = arg;
	char raw[4 * 24 + FACTS_VALUEMAX + UNIT_NAMEMAX + 32];
	size_t n;

	put_str(d->name);
	n = put_count(raw, f->sent);
	n += put_count(raw + n, f->start);
	n += put_count(raw + n, f->end);
	tsv_put_raw(&cli.out, raw, n);
	tsv_put(&cli.out, f->text, f->textlen);
	n = put_word(raw, f->value);
	n += put_word(raw + n, f->unit);
	n += put_word(raw + n, facts_qual_name(f->qual));
	n += put_word(raw + n, facts_kind_name(f->kind));
	tsv_put_raw(&cli.out, raw, n);
	if (put_context(f, e) < 0)
		return -1;
	if (cli.src) {
		char src[WY_ERRMAX];
		long line = d->html ? html_line(d->html, f->srcoff) : f->line;
		int len = snprintf(src, sizeof src, "%s:%ld", d->name, line);

		tsv_put(&cli.out, src, (size_t)len < sizeof src ? (size_t)len :
		    sizeof src - 1);
	}
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

static void
facts_file(const char *path)
{
	struct doc d = { wy_name(path), NULL };
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
