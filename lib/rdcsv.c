#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rdcsv.h"

#define TEXTCHUNK (256u << 10)
#define SNIFF_LINES 50

static int
never_space(unsigned char c)
{
	(void)c;
	return 0;
}

/* Append bytes to the record under construction. */
static int
arena_add(struct rdcsv *r, const char *p, size_t len)
{
	if (wy_grow(&r->arena, &r->acap, r->alen + len + 1, TSV_MAXREC, r->err) < 0)
		return -1;
	memcpy(r->arena + r->alen, p, len);
	r->alen += len;
	return 0;
}

static int
field_start(struct rdcsv *r)
{
	if (r->nfo == r->fcap) {
		size_t ncap = r->fcap ? r->fcap * 2 : 32;
		size_t *n = realloc(r->fofs, ncap * sizeof *n);

		if (n == NULL)
			return wy_errf(r->err, WY_EXIT_IO, "out of memory");
		r->fofs = n;
		r->fcap = ncap;
	}
	r->fofs[r->nfo++] = r->alen;
	return 0;
}

static void
on_field(void *p, size_t len, void *data)
{
	struct rdcsv *r = data;

	if (r->failed)
		return;
	if (field_start(r) < 0 || arena_add(r, p ? p : "", p ? len : 0) < 0)
		r->failed = 1;
}

static void
on_record(int c, void *data)
{
	(void)c;
	((struct rdcsv *)data)->done = 1;
}

/* Read more text after text[end]; moves the unread part to the front. */
static int
fill(struct rdcsv *r)
{
	ssize_t n;

	if (r->pos > 0) {
		memmove(r->text, r->text + r->pos, r->end - r->pos);
		r->end -= r->pos;
		r->pos = 0;
	}
	if (r->tcap - r->end < TEXTCHUNK &&
	    wy_grow(&r->text, &r->tcap, r->end + TEXTCHUNK, TSV_MAXREC + TEXTCHUNK,
	    r->err) < 0)
		return -1;
	n = input_read(r->in, r->text + r->end, r->tcap - r->end, r->err);
	if (n < 0)
		return -1;
	if (n == 0)
		r->eof = 1;
	r->end += n;
	return 0;
}

/*
 * The separator that splits the first lines most consistently: for each
 * candidate, the most common nonzero count per line (outside quotes) and
 * how many lines have it.  Title rows above a table do not mislead it.
 */
static int
sniff(const char *s, size_t n)
{
	static const char cand[] = { ',', '\t', ';', '|' };
	int best = ',', best_lines = 0, best_count = 0;

	for (size_t k = 0; k < sizeof cand; k++) {
		int counts[SNIFF_LINES], nl = 0, q = 0, cur = 0;

		for (size_t i = 0; i < n && nl < SNIFF_LINES; i++) {
			if (s[i] == '"')
				q = !q;
			else if (s[i] == cand[k] && !q)
				cur++;
			else if (s[i] == '\n' && !q) {
				counts[nl++] = cur;
				cur = 0;
			}
		}
		for (int i = 0; i < nl; i++) {
			int same = 0;

			if (counts[i] == 0)
				continue;
			for (int j = 0; j < nl; j++)
				same += counts[j] == counts[i];
			if (same > best_lines ||
			    (same == best_lines && counts[i] > best_count)) {
				best = cand[k];
				best_lines = same;
				best_count = counts[i];
			}
		}
	}
	return best;
}

int
rdcsv_open(struct rdcsv *r, struct input *in, int delim, struct wy_err *e)
{
	memset(r, 0, sizeof *r);
	r->in = in;
	r->err = e;
	if (csv_init(&r->csv, CSV_STRICT_FINI) != 0)
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	csv_set_space_func(&r->csv, never_space);
	while (!r->eof && r->end < INPUT_SNIFF)
		if (fill(r) < 0) {
			rdcsv_close(r);
			return -1;
		}
	r->delim = delim ? delim : sniff(r->text, r->end);
	csv_set_delim(&r->csv, r->delim);
	return 0;
}

/*
 * Split a line with no quote character at the separator: the fields are
 * views into the text buffer, which stays put until the next read.  The
 * separators are found 8 bytes at a time.
 */
static int
split_plain(struct rdcsv *r, struct rec *rec, const char *p, size_t len)
{
	const uint64_t dl = WY_ONES * (unsigned char)r->delim;
	size_t start = 0, i = 0;
	uint64_t x, m;

	rec->nf = 0;
	for (; i + 8 <= len; i += 8) {
		memcpy(&x, p + i, 8);
		for (m = wy_zerobytes(x ^ dl); m != 0; m &= m - 1) {
			size_t at = i + __builtin_ctzll(m) / 8;

			if (rec_push(rec, p + start, at - start, r->err) < 0)
				return -1;
			start = at + 1;
		}
	}
	for (; i < len; i++)
		if (p[i] == r->delim) {
			if (rec_push(rec, p + start, i - start, r->err) < 0)
				return -1;
			start = i + 1;
		}
	return rec_push(rec, p + start, len - start, r->err);
}

/*
 * Is this one-line record simple: each field either free of quotes, or
 * "..." (with "" for a quote) ending at the separator or the line end?
 * Other lines (a quoted field that goes on to the next line, text after
 * a closing quote, a quote inside a bare field) go to libcsv, which stays
 * the reference: fuzz/rdcsv.c checks that both read the same records.
 */
static int
simple_quotes(const char *p, size_t len, int delim)
{
	const char *end = p + len;

	for (;;) {
		if (p < end && *p == '"') {
			for (p++;; p++) {
				if (p == end)
					return 0;
				if (*p == '"' && p + 1 < end && p[1] == '"')
					p++;
				else if (*p == '"')
					break;
			}
			if (++p < end && *p != delim)
				return 0;
		} else {
			while (p < end && *p != delim)
				if (*p++ == '"')
					return 0;
		}
		if (p == end)
			return 1;
		p++;
	}
}

/* Split a simple line (see simple_quotes), unescaping quoted fields in place. */
static int
split_quoted(struct rdcsv *r, struct rec *rec, char *p, size_t len)
{
	char *end = p + len;

	rec->nf = 0;
	for (;;) {
		char *f = p, *w;

		if (p < end && *p == '"') {
			for (w = f, p++; !(*p == '"' && (p + 1 == end || p[1] != '"')); p++) {
				if (*p == '"')
					p++;
				*w++ = *p;
			}
			p++;
		} else {
			p = memchr(p, r->delim, end - p);
			w = p ? p : end;
			p = w;
		}
		if (rec_push(rec, f, w - f, r->err) < 0)
			return -1;
		if (p == end)
			return 1;
		p++;
	}
}

static void
mark_bad_utf8(struct rdcsv *r, const char *p, size_t len)
{
	size_t ok;

	if (r->rowerr != NULL)
		return;
	ok = utf8_valid_prefix(p, len);
	if (ok == len)
		return;
	snprintf(r->rowerrbuf, sizeof r->rowerrbuf,
	    "invalid UTF-8 at byte %zu", ok + 1);
	r->rowerr = r->rowerrbuf;
}

/* Feed one line (with its LF, if any) to libcsv. */
static int
parse_quoted(struct rdcsv *r, const char *p, size_t len, int has_lf)
{
	r->done = 0;
	if (csv_parse(&r->csv, p, len, on_field, on_record, r) != len)
		return wy_errf(r->err, WY_EXIT_DATA, "%s:%ld: %s", r->in->name,
		    r->line, csv_strerror(csv_error(&r->csv)));
	if (r->failed)
		return -1;
	if (!has_lf && r->eof) {
		if (csv_fini(&r->csv, on_field, on_record, r) != 0)
			return wy_errf(r->err, WY_EXIT_DATA,
			    "%s:%ld: a quoted field is not closed", r->in->name,
			    r->line);
		r->done = 1;
	}
	r->in_quotes = !r->done;
	return 0;
}

/*
 * The next physical line: *p and *len cover it with its terminator, of
 * *termlen bytes (0 for a last line without one).  Lines end at LF, CRLF
 * or a lone CR (old Mac files; and libcsv ends records there too).
 * Returns 1, 0 at the end, or -1 with r->err set.
 */
static int
next_line(struct rdcsv *r, char **p, size_t *len, size_t *termlen)
{
	for (;;) {
		char *s = r->text + r->pos, *end = r->text + r->end, *nl, *cr;

		nl = end > s ? memchr(s, '\n', end - s) : NULL;
		cr = end > s ? memchr(s, '\r', (nl ? nl : end) - s) : NULL;
		if ((nl == NULL || cr != NULL) && !r->eof &&
		    (cr == NULL ? nl == NULL : cr + 1 == end)) {
			/* no line end yet, or a CR whose LF may follow */
			if ((size_t)(end - s) > TSV_MAXREC)
				return wy_errf(r->err, WY_EXIT_DATA,
				    "%s:%ld: a line is longer than %u bytes",
				    r->in->name, r->line + 1, TSV_MAXREC);
			if (fill(r) < 0)
				return -1;
			continue;
		}
		if (s == end)
			return 0;
		*p = s;
		if (cr != NULL && cr + 1 != nl) {
			*len = cr + 1 - s;
			*termlen = 1;
		} else if (nl != NULL) {
			*len = nl + 1 - s;
			*termlen = cr != NULL ? 2 : 1;
		} else {
			*len = end - s;
			*termlen = 0;
		}
		r->pos += *len;
		r->line++;
		return 1;
	}
}

int
rdcsv_read(struct rdcsv *r, struct rec *rec, struct wy_err *e)
{
	long first = 0;

	r->err = e;
	r->rowerr = NULL;
	r->plain = NULL;
	r->alen = r->nfo = 0;
	for (;;) {
		char *p = NULL;
		size_t len = 0, term = 0, body;
		int st = next_line(r, &p, &len, &term);

		if (st < 0)
			return -1;
		if (st == 0) {
			if (r->in_quotes)
				return wy_errf(e, WY_EXIT_DATA,
				    "%s:%ld: a quoted field is not closed", r->in->name, first);
			return 0;
		}
		if (first == 0)
			first = r->line;
		mark_bad_utf8(r, p, len);
		body = len - term;
		if (!r->in_quotes && memchr(p, '"', body) == NULL) {
			if (body == 0) {
				first = 0;
				r->rowerr = NULL;
				continue;
			}
			rec->line = first;
			r->plain = p;
			r->plainlen = body;
			return split_plain(r, rec, p, body) < 0 ? -1 : 1;
		}
		if (!r->in_quotes && !r->libcsv_only && simple_quotes(p, body, r->delim)) {
			rec->line = first;
			return split_quoted(r, rec, p, body) < 0 ? -1 : 1;
		}
		if (parse_quoted(r, p, len, term > 0) < 0)
			return -1;
		if (r->done && r->nfo > 0)
			break;
		if (r->done)
			first = 0;
	}
	rec->nf = 0;
	rec->line = first;
	for (size_t i = 0; i < r->nfo; i++) {
		size_t end = i + 1 < r->nfo ? r->fofs[i + 1] : r->alen;

		if (rec_push(rec, r->arena + r->fofs[i], end - r->fofs[i], e) < 0)
			return -1;
	}
	return 1;
}

void
rdcsv_close(struct rdcsv *r)
{
	csv_free(&r->csv);
	free(r->text);
	free(r->arena);
	free(r->fofs);
}
