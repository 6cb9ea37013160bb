#include <stdlib.h>
#include <string.h>

#include "infer.h"
#include "value.h"

/* Cells that mean "no figure" in Chinese tables (as wy-norm reads them). */
static const char *const markers[] = { "—", "－", "-", "…", "/", "NA", "N/A",
	"null", "NULL" };
#define NMARKERS (sizeof markers / sizeof *markers)

/* The types tried, narrowest first (string: when none fits). */
static const enum value_type tried[] = { VALUE_BOOLEAN, VALUE_INTEGER,
	VALUE_NUMBER, VALUE_DATE, VALUE_DATETIME, VALUE_YEARMONTH };
#define NTRIED (sizeof tried / sizeof *tried)

struct guess {
	char *name;
	unsigned long long nvalues, nnull, nmarked;
	unsigned possible; /* bit k: tried[k] fits every value so far */
	int words;	   /* a boolean written as a word, not 0 or 1 */
	struct value min[NTRIED], max[NTRIED];
	long minlen, maxlen;
	unsigned seen; /* bit k: markers[k] appeared */
	char *distinct[INFER_ENUM_MAX];
	size_t ndistinct;
	int many; /* more distinct values than INFER_ENUM_MAX, or one with | */
};

struct infer {
	struct guess *g;
	size_t n;
};

int
infer_new(const struct rec *hdr, struct infer **out, struct wy_err *e)
{
	struct infer *in = calloc(1, sizeof *in);

	if (in == NULL || (in->g = calloc(hdr->nf + 1, sizeof *in->g)) == NULL) {
		free(in);
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	}
	in->n = hdr->nf;
	*out = in;
	for (size_t i = 0; i < hdr->nf; i++) {
		struct guess *g = &in->g[i];

		g->possible = (1u << NTRIED) - 1;
		g->minlen = g->maxlen = -1;
		g->name = hdr->f[i].p ? strndup(hdr->f[i].p, hdr->f[i].len) : strdup("\\N");
		if (g->name == NULL)
			return wy_errf(e, WY_EXIT_IO, "out of memory");
	}
	return 0;
}

static int
marker(const struct fld *f)
{
	for (size_t k = 0; k < NMARKERS; k++)
		if (strlen(markers[k]) == f->len && memcmp(markers[k], f->p, f->len) == 0)
			return (int)k;
	return -1;
}

/* Text: lengths and the first few distinct values. */
static int
see_text(struct guess *g, const struct fld *f)
{
	long len = value_utf8_len(f->p, f->len);
	size_t k;

	if (len >= 0 && (g->minlen < 0 || len < g->minlen))
		g->minlen = len;
	if (len > g->maxlen)
		g->maxlen = len;
	if (g->many)
		return 0;
	for (k = 0; k < g->ndistinct; k++)
		if (strlen(g->distinct[k]) == f->len && memcmp(g->distinct[k], f->p, f->len) == 0)
			return 0;
	if (k == INFER_ENUM_MAX || memchr(f->p, '|', f->len) != NULL ||
	    memchr(f->p, '\0', f->len) != NULL) {
		g->many = 1;
		return 0;
	}
	if ((g->distinct[k] = strndup(f->p, f->len)) == NULL)
		return -1;
	g->ndistinct++;
	return 0;
}

/* The bit of type t in a guess's possible. */
static unsigned
bit(enum value_type t)
{
	for (size_t k = 0; k < NTRIED; k++)
		if (tried[k] == t)
			return 1u << k;
	return 0;
}

/* Typed: which types still fit, and their ranges. */
static void
see_typed(struct guess *g, const struct fld *f)
{
	char why[VALUE_WHYMAX];
	struct value v;

	/* 0101 is a code, not a number: a database would lose its zero */
	if (f->len > 1 && f->p[0] == '0' && f->p[1] >= '0' && f->p[1] <= '9')
		g->possible &= ~(bit(VALUE_INTEGER) | bit(VALUE_NUMBER));
	for (size_t k = 0; k < NTRIED; k++) {
		if (!(g->possible & (1u << k)))
			continue;
		if (value_parse(tried[k], f->p, f->len, &v, why) < 0) {
			g->possible &= ~(1u << k);
			continue;
		}
		if (tried[k] == VALUE_BOOLEAN && !(f->len == 1))
			g->words = 1;
		if (g->nvalues == 0 || value_cmp(&v, &g->min[k]) < 0)
			g->min[k] = v;
		if (g->nvalues == 0 || value_cmp(&v, &g->max[k]) > 0)
			g->max[k] = v;
	}
}

int
infer_row(struct infer *in, const struct rec *row, struct wy_err *e)
{
	for (size_t i = 0; i < in->n && i < row->nf; i++) {
		struct guess *g = &in->g[i];
		const struct fld *f = &row->f[i];
		int m;

		if (f->p == NULL || f->len == 0) {
			g->nnull++;
			continue;
		}
		if (see_text(g, f) < 0)
			return wy_errf(e, WY_EXIT_IO, "out of memory");
		if ((m = marker(f)) >= 0) {
			g->seen |= 1u << m;
			g->nmarked++;
			continue;
		}
		see_typed(g, f);
		g->nvalues++;
	}
	return 0;
}

/* The index into tried[] of the column's type, or -1 for string. */
static int
chosen(const struct guess *g)
{
	if (g->nvalues == 0)
		return -1;
	for (size_t k = 0; k < NTRIED; k++)
		if ((g->possible & (1u << k)) && (tried[k] != VALUE_BOOLEAN || g->words))
			return (int)k;
	return -1;
}

static void
put_str(struct tsv_writer *w, const char *s)
{
	tsv_put(w, s, strlen(s));
}

static void
put_joined(struct tsv_writer *w, const char *const *items, size_t n, unsigned mask)
{
	char buf[4096];
	size_t len = 0;

	buf[0] = '\0';
	for (size_t k = 0; k < n; k++) {
		size_t l = strlen(items[k]);

		if (!(mask & (1u << k)) || len + l + 2 > sizeof buf)
			continue;
		if (len > 0)
			buf[len++] = '|';
		memcpy(buf + len, items[k], l + 1);
		len += l;
	}
	tsv_put(w, buf, len);
}

static void
put_count(struct tsv_writer *w, long n)
{
	if (n < 0)
		tsv_put(w, "", 0);
	else
		tsv_put_long(w, n);
}

static void
write_guess(const struct guess *g, struct tsv_writer *w)
{
	int k = chosen(g);
	int text = k < 0;
	char buf[VALUE_STRMAX];
	int range = !text && tried[k] != VALUE_BOOLEAN;

	put_str(w, g->name);
	put_str(w, text ? "string" : value_type_name(tried[k]));
	put_str(w, g->nnull == 0 && (text || g->nmarked == 0) ? "true" : "false");
	put_str(w, "");
	tsv_put(w, buf, range ? value_format(&g->min[k], buf) : 0);
	tsv_put(w, buf, range ? value_format(&g->max[k], buf) : 0);
	put_count(w, text ? g->minlen : -1);
	put_count(w, text ? g->maxlen : -1);
	put_str(w, "");
	if (text && !g->many && g->ndistinct > 0 &&
	    g->nvalues + g->nmarked >= 2 * g->ndistinct)
		put_joined(w, (const char *const *)g->distinct, g->ndistinct, ~0u);
	else
		put_str(w, "");
	put_joined(w, markers, text ? 0 : NMARKERS, g->seen);
	tsv_end(w);
}

void
infer_write(const struct infer *in, struct tsv_writer *w)
{
	static const char *const cols[] = { "field", "type", "required", "unique",
		"minimum", "maximum", "minLength", "maxLength", "pattern", "enum",
		"missing" };

	for (size_t k = 0; k < sizeof cols / sizeof *cols; k++)
		put_str(w, cols[k]);
	tsv_end(w);
	for (size_t i = 0; i < in->n; i++)
		write_guess(&in->g[i], w);
}

void
infer_free(struct infer *in)
{
	if (in == NULL)
		return;
	for (size_t i = 0; i < in->n; i++) {
		free(in->g[i].name);
		for (size_t k = 0; k < in->g[i].ndistinct; k++)
			free(in->g[i].distinct[k]);
	}
	free(in->g);
	free(in);
}
