#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "tsv.h"

#define RDCHUNK (256u << 10)
#define WRBUF (256u << 10)

int
rec_grow(struct rec *r, struct wy_err *e)
{
	size_t ncap = r->cap ? r->cap * 2 : 16;
	struct fld *nf = realloc(r->f, ncap * sizeof *nf);

	if (nf == NULL)
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	r->f = nf;
	r->cap = ncap;
	return 0;
}

void
rec_free(struct rec *r)
{
	free(r->f);
	r->f = NULL;
	r->nf = r->cap = 0;
}

int
rec_equal(const struct rec *a, const struct rec *b)
{
	if (a->nf != b->nf)
		return 0;
	for (size_t i = 0; i < a->nf; i++) {
		const struct fld *x = &a->f[i], *y = &b->f[i];

		if ((x->p == NULL) != (y->p == NULL) || x->len != y->len ||
		    (x->p != NULL && memcmp(x->p, y->p, x->len) != 0))
			return 0;
	}
	return 1;
}

void
tsv_open(struct tsv_reader *r, int fd, const char *name)
{
	memset(r, 0, sizeof *r);
	r->fd = fd;
	r->name = name;
}

void
tsv_open_mem(struct tsv_reader *r, char *buf, size_t len, const char *name,
    long line0)
{
	tsv_open(r, -1, name);
	r->buf = buf;
	r->cap = r->end = len;
	r->eof = r->borrowed = 1;
	r->line = line0;
}

void
tsv_close(struct tsv_reader *r)
{
	if (!r->borrowed)
		free(r->buf);
	r->buf = NULL;
}

/* Read more input after buf[end]; moves the unread tail to the front first. */
static int
fill(struct tsv_reader *r, struct wy_err *e)
{
	ssize_t n;

	if (r->pos > 0) {
		memmove(r->buf, r->buf + r->pos, r->end - r->pos);
		r->end -= r->pos;
		r->pos = 0;
	}
	if (r->cap - r->end < RDCHUNK &&
	    wy_grow(&r->buf, &r->cap, r->end + RDCHUNK, TSV_MAXREC + RDCHUNK, e) < 0)
		return -1;
	do
		n = read(r->fd, r->buf + r->end, r->cap - r->end);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return wy_syserr(e, errno, "%s: read error", r->name);
	if (n == 0)
		r->eof = 1;
	r->end += n;
	r->nread += n;
	return 0;
}

/* Undo the escapes of a field in place; returns its new length. */
static size_t
unescape(char *p, size_t len)
{
	char *w = p, *end = p + len;

	for (const char *s = p; s < end; s++) {
		if (*s != '\\' || s + 1 == end) {
			*w++ = *s;
			continue;
		}
		switch (*++s) {
		case 't': *w++ = '\t'; break;
		case 'n': *w++ = '\n'; break;
		case 'r': *w++ = '\r'; break;
		case '\\': *w++ = '\\'; break;
		default: *w++ = '\\'; *w++ = *s; break;
		}
	}
	return w - p;
}

/*
 * Split a line into fields.  Most records hold no backslash at all: one
 * look for it saves the per-field checks for \N and escapes.
 */
static int
split(struct rec *rec, char *p, size_t len, struct wy_err *e)
{
	char *end = p + len, *tab;
	int escapes = memchr(p, '\\', len) != NULL;

	rec->nf = 0;
	for (;;) {
		size_t flen;

		tab = memchr(p, '\t', end - p);
		flen = (tab ? tab : end) - p;
		if (escapes && flen == 2 && p[0] == '\\' && p[1] == 'N') {
			if (rec_push(rec, NULL, 0, e) < 0)
				return -1;
		} else {
			if (escapes && memchr(p, '\\', flen) != NULL)
				flen = unescape(p, flen);
			if (rec_push(rec, p, flen, e) < 0)
				return -1;
		}
		if (tab == NULL)
			return 0;
		p = tab + 1;
	}
}

/* The bytes a line is split at, or that need a closer look. */
static const char stop[256] = {
	['\n'] = 1, ['\t'] = 1, ['\\'] = 1, ['\r'] = 1,
};

/* A line being split: where its current field starts, and what it holds. */
struct cut {
	char *f;
	int escapes; /* a backslash was seen */
	int crs;     /* CRs seen */
};

/* Act on the stop byte at q: 1 at the line's end, 0 to go on, -1 with e set. */
static inline int
cut_at(struct cut *c, struct rec *rec, char *q, struct wy_err *e)
{
	if (*q == '\\') {
		c->escapes = 1;
		return 0;
	}
	if (*q == '\r') {
		c->crs++;
		return 0;
	}
	if (*q == '\n')
		return 1;
	if (rec_push(rec, c->f, q - c->f, e) < 0)
		return -1;
	c->f = q + 1;
	return 0;
}

/*
 * Split the fields of the line at p (bytes up to end) until its LF,
 * which *nl gets: 1, or 0 when there is none before end, or -1 with e set.
 */
static int
cut_line(struct cut *c, struct rec *rec, char *p, char *end, char **nl,
    struct wy_err *e)
{
	int st;

#ifdef __SSE2__
	/* 16 bytes a step, every stop in them taken from one mask. */
	const __m128i lf = _mm_set1_epi8('\n'), tab = _mm_set1_epi8('\t'),
	    bs = _mm_set1_epi8('\\'), cr = _mm_set1_epi8('\r');

	for (; end - p >= 16; p += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
		__m128i lt = _mm_or_si128(_mm_cmpeq_epi8(x, lf),
		    _mm_cmpeq_epi8(x, tab));
		__m128i bc = _mm_or_si128(_mm_cmpeq_epi8(x, bs),
		    _mm_cmpeq_epi8(x, cr));
		unsigned hit = (unsigned)_mm_movemask_epi8(_mm_or_si128(lt, bc));

		for (; hit != 0; hit &= hit - 1) {
			char *q = p + __builtin_ctz(hit);

			if ((st = cut_at(c, rec, q, e)) != 0) {
				*nl = q;
				return st;
			}
		}
	}
#endif
	/* The tail of the buffer, or every byte without SSE2. */
	for (; p < end; p++) {
		if (!stop[(unsigned char)*p])
			continue;
		if ((st = cut_at(c, rec, p, e)) != 0) {
			*nl = p;
			return st;
		}
	}
	return 0;
}

/* Turn the fields that hold a backslash into NULL or unescaped text. */
static void
unescape_fields(struct rec *rec)
{
	for (size_t i = 0; i < rec->nf; i++) {
		struct fld *f = &rec->f[i];
		char *p = (char *)f->p;

		if (memchr(p, '\\', f->len) == NULL)
			continue;
		if (f->len == 2 && p[0] == '\\' && p[1] == 'N')
			f->p = NULL, f->len = 0;
		else
			f->len = unescape(p, f->len);
	}
}

/*
 * The record at r->pos when its whole line is in the buffer, found and
 * split in one pass over its bytes (most lines are).  Returns 1, or 0
 * with nothing taken (and nothing changed) when the line goes on past
 * the buffer, or -1 with e set.
 */
static int
take_line(struct tsv_reader *r, struct rec *rec, struct wy_err *e)
{
	struct cut c = { NULL, 0, 0 };
	char *start, *nl;
	int st;

	if (r->pos == r->end)
		return 0;
	start = c.f = r->buf + r->pos;
	rec->nf = 0;
	if ((st = cut_line(&c, rec, start, r->buf + r->end, &nl, e)) <= 0)
		return st;
	r->pos = nl + 1 - r->buf;
	if (nl > start && nl[-1] == '\r')
		nl--, c.crs--;
	if (rec_push(rec, c.f, nl - c.f, e) < 0)
		return -1;
	rec->plain = !c.escapes && c.crs == 0;
	/* Unescaping waited for the whole line: a 0 must change nothing. */
	if (c.escapes)
		unescape_fields(rec);
	rec->line = ++r->line;
	return 1;
}

int
tsv_read(struct tsv_reader *r, struct rec *rec, struct wy_err *e)
{
	char *nl;
	size_t scanned = 0, len;
	int st;

	if ((st = take_line(r, rec, e)) != 0)
		return st;
	/* The careful way: find the line's end, reading more as needed. */
	for (;;) {
		nl = r->end > r->pos + scanned ? memchr(r->buf + r->pos + scanned,
		    '\n', r->end - r->pos - scanned) : NULL;
		if (nl != NULL)
			break;
		scanned = r->end - r->pos;
		if (r->eof)
			break;
		if (scanned > TSV_MAXREC)
			return wy_errf(e, WY_EXIT_DATA, "%s:%ld: a record is longer than %u bytes",
			    r->name, r->line + 1, TSV_MAXREC);
		if (fill(r, e) < 0)
			return -1;
	}
	if (nl == NULL && r->pos == r->end)
		return 0;
	len = (nl ? nl : r->buf + r->end) - (r->buf + r->pos);
	rec->line = ++r->line;
	rec->plain = 0; /* not known: the careful way */
	{
		char *p = r->buf + r->pos;

		r->pos += len + (nl != NULL);
		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (split(rec, p, len, e) < 0)
			return -1;
	}
	return 1;
}

int
tsv_wopen(struct tsv_writer *w, int fd, const char *name, struct wy_err *e)
{
	memset(w, 0, sizeof *w);
	w->fd = fd;
	w->name = name;
	if ((w->buf = malloc(WRBUF)) == NULL)
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	w->cap = WRBUF;
	return 0;
}

/* write(2) p[0..n) whole, unless the writer failed before; notes a failure. */
static void
write_all(struct tsv_writer *w, const char *p, size_t n)
{
	size_t off = 0;

	while (off < n && !w->failed) {
		ssize_t k = write(w->fd, p + off, n - off);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			w->failed = errno;
		else
			off += k;
	}
}

static void
drain(struct tsv_writer *w)
{
	if (w->fd < 0)
		return; /* a memory writer: the caller takes the bytes */
	write_all(w, w->buf, w->len);
	w->len = 0;
}

/*
 * Make room for n more bytes; fields longer than the buffer grow it, and
 * a memory writer's buffer grows by doubling.
 */
static char *
room(struct tsv_writer *w, size_t n)
{
	if (w->cap - w->len < n) {
		size_t need = n;

		if (w->fd >= 0)
			drain(w);
		else
			need = w->len + n > 2 * w->cap ? w->len + n : 2 * w->cap;
		if (w->cap < need) {
			char *nb = realloc(w->buf, need);

			if (nb == NULL) {
				w->failed = ENOMEM;
				return NULL;
			}
			w->buf = nb;
			w->cap = need;
		}
	}
	return w->buf + w->len;
}

char *
tsv_room(struct tsv_writer *w, size_t n)
{
	return room(w, n);
}

void
tsv_wrote(struct tsv_writer *w, const char *end, int nfield)
{
	w->len = (size_t)(end - w->buf);
	w->nfield += nfield;
}

static void
sep(struct tsv_writer *w)
{
	if (w->nfield++ > 0) {
		char *d = room(w, 1);

		if (d != NULL) {
			*d = '\t';
			w->len++;
		}
	}
}

/* Which bytes need a backslash, and the letter that follows it. */
static const char esc[256] = {
	['\t'] = 't', ['\n'] = 'n', ['\r'] = 'r', ['\\'] = '\\',
};

/* Bytes before the first that needs escaping, 8 at a time. */
static size_t
plain_prefix(const char *p, size_t len)
{
	size_t i = 0;
	uint64_t x;

	for (; i + 8 <= len; i += 8) {
		memcpy(&x, p + i, 8);
		if (wy_hasbyte(x, '\t') | wy_hasbyte(x, '\n') |
		    wy_hasbyte(x, '\r') | wy_hasbyte(x, '\\'))
			break;
	}
	while (i < len && !esc[(unsigned char)p[i]])
		i++;
	return i;
}

/* Fields this short (keys, codes, numbers) take a byte loop and no call. */
#define SHORTFIELD 16

size_t
tsv_escape(char *dst, const char *p, size_t len)
{
	size_t plain;
	char *d;

	if (len <= SHORTFIELD) {
		for (plain = 0; plain < len && !esc[(unsigned char)p[plain]];
		    plain++)
			dst[plain] = p[plain];
	} else {
		plain = plain_prefix(p, len);
		memcpy(dst, p, plain);
	}
	d = dst + plain;
	for (size_t i = plain; i < len; i++) {
		unsigned char c = p[i];

		if (esc[c]) {
			*d++ = '\\';
			*d++ = esc[c];
		} else {
			*d++ = c;
		}
	}
	return d - dst;
}

void
tsv_put(struct tsv_writer *w, const char *p, size_t len)
{
	char *d;

	if ((d = room(w, 1 + 2 * len)) == NULL)
		return;
	if (w->nfield++ > 0)
		*d++ = '\t';
	w->len = d + tsv_escape(d, p, len) - w->buf;
}

int
tsv_put_line(struct tsv_writer *w, const char *p, size_t len, int delim)
{
	const uint64_t dl = WY_ONES * (unsigned char)delim, bs = WY_ONES * '\\';
	const uint64_t ctl = WY_ONES * 0x20, flip = (unsigned char)(delim ^ '\t');
	uint64_t x, hit;
	size_t i = 0;
	char *d;

	if ((d = room(w, len + 1)) == NULL)
		return 0;
	if (w->nfield > 0)
		*d++ = '\t';
	/*
	 * One pass: copy 8 bytes at a time turning delim into TAB, and give up
	 * on a backslash or any control byte (TAB, CR among them; a false
	 * alarm only sends the line to the careful path).  With delim TAB, the
	 * TABs are the separators, so only bytes below TAB count.
	 */
	for (; i + 8 <= len; i += 8) {
		memcpy(&x, p + i, 8);
		hit = ((x - (delim == '\t' ? WY_ONES * 0x09 : ctl)) & ~x & WY_HIGHS) |
		    wy_haszero(x ^ bs);
		if (hit)
			return -1;
		x ^= (wy_zerobytes(x ^ dl) >> 7) * flip;
		memcpy(d + i, &x, 8);
	}
	for (; i < len; i++) {
		unsigned char c = p[i];

		if (c == '\\' || (c < 0x20 && c != delim))
			return -1;
		d[i] = c == delim ? '\t' : c;
	}
	w->len = d + len - w->buf;
	w->nfield++;
	return 0;
}

void
tsv_put_plain(struct tsv_writer *w, const char *p, size_t len)
{
	char *d;

	if ((d = room(w, 1 + len)) == NULL)
		return;
	if (w->nfield++ > 0)
		*d++ = '\t';
	memcpy(d, p, len);
	w->len = d + len - w->buf;
}

void
tsv_put_null(struct tsv_writer *w)
{
	sep(w);
	tsv_put_raw(w, "\\N", 2);
}

void
tsv_put_fld(struct tsv_writer *w, const struct fld *f)
{
	if (f->p == NULL)
		tsv_put_null(w);
	else
		tsv_put(w, f->p, f->len);
}

void
tsv_put_raw(struct tsv_writer *w, const char *p, size_t len)
{
	char *d;

	/* a piece as large as the buffer (a block of lib/par's) goes straight out */
	if (w->fd >= 0 && len >= w->cap) {
		drain(w);
		write_all(w, p, len);
		return;
	}
	d = room(w, len);

	if (d != NULL) {
		memcpy(d, p, len);
		w->len += len;
	}
}

void
tsv_put_long(struct tsv_writer *w, long long v)
{
	char num[24];
	int n = snprintf(num, sizeof num, "%lld", v);

	sep(w);
	tsv_put_raw(w, num, n);
}

void
tsv_end(struct tsv_writer *w)
{
	char *d = room(w, 1);

	if (d != NULL) {
		*d = '\n';
		w->len++;
	}
	w->nfield = 0;
}

int
tsv_flush(struct tsv_writer *w, struct wy_err *e)
{
	drain(w);
	if (w->failed)
		return wy_syserr(e, w->failed, "%s: write error", w->name);
	return 0;
}

int
tsv_wclose(struct tsv_writer *w, struct wy_err *e)
{
	int rc = tsv_flush(w, e);

	free(w->buf);
	w->buf = NULL;
	return rc;
}

/* Column named item in hdr, or -1. */
static long
find_name(const struct rec *hdr, const char *item, size_t len)
{
	for (size_t i = 0; hdr != NULL && i < hdr->nf; i++)
		if (hdr->f[i].p && hdr->f[i].len == len &&
		    memcmp(hdr->f[i].p, item, len) == 0)
			return i;
	return -1;
}

/* Column of one item of a field list, or -1. */
static long
find(const struct rec *hdr, const struct rec *alt, const char *item, size_t len)
{
	char *end;
	long idx;

	if ((idx = find_name(hdr, item, len)) >= 0 ||
	    (idx = find_name(alt, item, len)) >= 0)
		return idx;
	if (len == 0 || item[0] < '1' || item[0] > '9')
		return -1;
	errno = 0;
	idx = strtol(item, &end, 10);
	if (end != item + len || errno || idx < 1 || (size_t)idx > hdr->nf)
		return -1;
	return idx - 1;
}

int
tsv_select(const struct rec *hdr, const struct rec *alt, const char *spec,
    size_t **out, size_t *nout, struct wy_err *e)
{
	size_t n = 1, k = 0;
	const char *p = spec;

	for (const char *s = spec; *s; s++)
		n += *s == ',';
	if ((*out = malloc(n * sizeof **out)) == NULL)
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		long col = find(hdr, alt, p, len);

		if (col < 0) {
			free(*out);
			*out = NULL;
			return wy_errf(e, WY_EXIT_USAGE, "no field %.*s in the header",
			    (int)len, p);
		}
		(*out)[k++] = col;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	*nout = k;
	return 0;
}
