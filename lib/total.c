#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keyset.h"
#include "total.h"

/* One line of the report. */
struct stat {
	const char *field;
	unsigned long long nfail;
	long first;
	char *example;
};

struct total {
	const char *spec, *sumspec, *byspec; /* the options, as given */
	char *col;			     /* the --total column's name */
	char **words;			     /* the values that mark a total row */
	size_t nwords;
	size_t totcol, *sumcols, *bycols, nsum, nby;
	char **sumnames;
	/* groups: index from the keyset; per group and sum column */
	struct keyset groups;
	size_t ngroups, gcap;
	struct dec *gsum;
	long *gbad;	  /* first line whose value could not be read, 0 none */
	unsigned char *gover; /* the sum overflowed */
	long *gheld;	  /* the group's held total row, -1 none */
	/* held total rows, with their claims and groups */
	struct total_held *held;
	size_t nheld, hcap;
	struct dec *claims;
	unsigned char *claimnull;
	size_t *hgroup;
	char *key;
	size_t keycap;
	struct stat *stats; /* nsum + 1 */
};

static int
nomem(struct wy_err *e)
{
	return wy_errf(e, WY_EXIT_IO, "out of memory");
}

/* Grow *p (of *cap elements of size sz) to hold n; 0 or -1. */
static int
grow(void *p, size_t *cap, size_t n, size_t sz)
{
	void **pp = p, *np;
	size_t ncap = *cap ? *cap : 16;

	if (n <= *cap)
		return 0;
	while (ncap < n)
		ncap *= 2;
	if ((np = realloc(*pp, ncap * sz)) == NULL)
		return -1;
	*pp = np;
	*cap = ncap;
	return 0;
}

static int
split_words(struct total *t, const char *s)
{
	for (;;) {
		const char *bar = strchr(s, '|');
		size_t len = bar ? (size_t)(bar - s) : strlen(s);
		char **nw = realloc(t->words, (t->nwords + 1) * sizeof *nw);

		if (nw == NULL)
			return -1;
		t->words = nw;
		if ((nw[t->nwords] = strndup(s, len)) == NULL)
			return -1;
		t->nwords++;
		if (bar == NULL)
			return 0;
		s = bar + 1;
	}
}

int
total_new(const char *spec, const char *sum, const char *by, struct total **out,
    struct wy_err *e)
{
	const char *eq = strchr(spec, '=');
	struct total *t;

	*out = NULL;
	if (eq == NULL || eq == spec || eq[1] == '\0')
		return wy_errf(e, WY_EXIT_USAGE, "--total: expected FIELD=VALUE, as "
		    "地区=合计, not \"%s\"", spec);
	if (sum == NULL || *sum == '\0')
		return wy_errf(e, WY_EXIT_USAGE, "--total needs --sum: the columns to add up");
	if ((t = calloc(1, sizeof *t)) == NULL)
		return nomem(e);
	t->spec = spec;
	t->sumspec = sum;
	t->byspec = by;
	keyset_init(&t->groups);
	if ((t->col = strndup(spec, eq - spec)) == NULL || split_words(t, eq + 1) < 0) {
		total_free(t);
		return nomem(e);
	}
	*out = t;
	return 0;
}

size_t
total_nsum(const struct total *t)
{
	return t->nsum;
}

static int
select_cols(const struct rec *hdr, const char *opt, const char *spec,
    size_t **cols, size_t *n, struct wy_err *e)
{
	if (tsv_select(hdr, NULL, spec, cols, n, e) == 0)
		return 0;
	if (e->exit == WY_EXIT_USAGE) {
		char msg[WY_ERRMAX];

		snprintf(msg, sizeof msg, "%s", e->msg);
		wy_errf(e, WY_EXIT_USAGE, "%s: %s", opt, msg);
	}
	return -1;
}

const size_t *
total_sumcols(const struct total *t)
{
	return t->sumcols;
}

int
total_bind(struct total *t, const struct rec *hdr, struct wy_err *e)
{
	size_t *col, n;

	if (select_cols(hdr, "--total", t->col, &col, &n, e) < 0)
		return -1;
	t->totcol = col[0];
	free(col);
	if (select_cols(hdr, "--sum", t->sumspec, &t->sumcols, &t->nsum, e) < 0 ||
	    (t->byspec != NULL &&
	    select_cols(hdr, "--by", t->byspec, &t->bycols, &t->nby, e) < 0))
		return -1;
	if ((t->stats = calloc(t->nsum + 1, sizeof *t->stats)) == NULL)
		return nomem(e);
	for (size_t k = 0; k < t->nsum; k++) {
		const struct fld *h = &hdr->f[t->sumcols[k]];

		t->stats[k].field = h->p != NULL ? strndup(h->p, h->len) : strdup("\\N");
		if (t->stats[k].field == NULL)
			return nomem(e);
	}
	t->stats[t->nsum].field = t->col;
	return 0;
}

int
total_is_total(const struct total *t, const struct rec *row)
{
	const struct fld *f = &row->f[t->totcol];

	if (f->p == NULL)
		return 0;
	for (size_t k = 0; k < t->nwords; k++)
		if (strlen(t->words[k]) == f->len && memcmp(t->words[k], f->p, f->len) == 0)
			return 1;
	return 0;
}

/* The group of row (created if new), or -1 when out of memory. */
static long
group_of(struct total *t, const struct rec *row, struct wy_err *e)
{
	size_t len = 0, need = 0;
	long id;
	int rc;

	for (size_t k = 0; k < t->nby; k++)
		need += 5 + row->f[t->bycols[k]].len;
	if (wy_grow(&t->key, &t->keycap, need + 1, (size_t)-1 / 2, e) < 0)
		return -1;
	/* each column: a NULL mark or a length, then its bytes */
	for (size_t k = 0; k < t->nby; k++) {
		const struct fld *f = &row->f[t->bycols[k]];
		unsigned len32 = f->p == NULL ? 0xffffffffu : (unsigned)f->len;

		memcpy(t->key + len, &len32, 4);
		len += 4;
		if (f->p != NULL) {
			memcpy(t->key + len, f->p, f->len);
			len += f->len;
		}
	}
	if ((rc = keyset_put(&t->groups, t->key, len, (long)t->ngroups, &id, e)) < 0)
		return -1;
	if (rc == 0)
		return id;
	if (grow(&t->gheld, &t->gcap, t->ngroups + 1, sizeof *t->gheld) < 0)
		return nomem(e);
	t->gsum = realloc(t->gsum, t->gcap * t->nsum * sizeof *t->gsum + 1);
	t->gbad = realloc(t->gbad, t->gcap * t->nsum * sizeof *t->gbad + 1);
	t->gover = realloc(t->gover, t->gcap * t->nsum + 1);
	if (t->gsum == NULL || t->gbad == NULL || t->gover == NULL)
		return nomem(e);
	for (size_t k = 0; k < t->nsum; k++) {
		t->gsum[t->ngroups * t->nsum + k] = (struct dec){ 0, 0 };
		t->gbad[t->ngroups * t->nsum + k] = 0;
		t->gover[t->ngroups * t->nsum + k] = 0;
	}
	t->gheld[t->ngroups] = -1;
	return (long)t->ngroups++;
}

int
total_add(struct total *t, const struct rec *row, const struct dec *const *vals,
    const int *bad, long line, struct wy_err *e)
{
	long g = group_of(t, row, e);

	if (g < 0)
		return -1;
	for (size_t k = 0; k < t->nsum; k++) {
		size_t at = (size_t)g * t->nsum + k;

		if (bad[k] && t->gbad[at] == 0)
			t->gbad[at] = line;
		if (vals[k] != NULL && !t->gover[at] &&
		    dec_add(t->gsum[at], *vals[k], &t->gsum[at]) != 0)
			t->gover[at] = 1;
	}
	return 0;
}

/* A copy of row's fields in one block, into h->row. */
static int
copy_row(struct total_held *h, const struct rec *row)
{
	size_t bytes = 0;
	char *buf;
	struct wy_err e;

	for (size_t i = 0; i < row->nf; i++)
		bytes += row->f[i].len;
	if ((buf = malloc(bytes + 1)) == NULL)
		return -1;
	h->mem = buf;
	for (size_t i = 0; i < row->nf; i++) {
		const struct fld *f = &row->f[i];

		if (f->p != NULL)
			memcpy(buf, f->p, f->len);
		if (rec_push(&h->row, f->p ? buf : NULL, f->len, &e) < 0)
			return -1;
		buf += f->len;
	}
	h->row.line = row->line;
	return 0;
}

static void
stat_fail(struct stat *s, long line, const char *why)
{
	if (s->nfail++ == 0) {
		s->first = line;
		s->example = strdup(why);
	}
}

int
total_hold(struct total *t, const struct rec *row, const struct dec *const *vals,
    const char *where, long line, char *why, struct wy_err *e)
{
	long g = group_of(t, row, e);
	const struct fld *w = &row->f[t->totcol];
	struct total_held *h;

	if (g < 0)
		return -1;
	if (t->gheld[g] >= 0) {
		snprintf(why, WY_ERRMAX, "a second %.*s row %s(the first is line %ld)%s",
		    (int)w->len, w->p, t->nby ? "in its --by group " : "",
		    t->held[t->gheld[g]].line,
		    t->nby ? "" : "; --by names the columns that group the rows");
		stat_fail(&t->stats[t->nsum], line, why);
		return 0;
	}
	if (grow(&t->held, &t->hcap, t->nheld + 1, sizeof *t->held) < 0 ||
	    (t->claims = realloc(t->claims, t->hcap * t->nsum * sizeof *t->claims + 1)) == NULL ||
	    (t->claimnull = realloc(t->claimnull, t->hcap * t->nsum + 1)) == NULL ||
	    (t->hgroup = realloc(t->hgroup, t->hcap * sizeof *t->hgroup)) == NULL)
		return nomem(e);
	h = &t->held[t->nheld];
	memset(h, 0, sizeof *h);
	if (copy_row(h, row) < 0) {
		free(h->mem);
		rec_free(&h->row);
		return nomem(e);
	}
	h->where = where;
	h->line = line;
	for (size_t k = 0; k < t->nsum; k++) {
		t->claimnull[t->nheld * t->nsum + k] = vals[k] == NULL;
		if (vals[k] != NULL)
			t->claims[t->nheld * t->nsum + k] = *vals[k];
	}
	t->hgroup[t->nheld] = (size_t)g;
	t->gheld[g] = (long)t->nheld++;
	return 1;
}

/* Why column k of held row i is wrong, into why; 0 if it is right. */
static int
judge(const struct total *t, size_t i, size_t k, char *why, size_t whysz)
{
	const struct total_held *h = &t->held[i];
	size_t at = t->hgroup[i] * t->nsum + k;
	const struct fld *said = &h->row.f[t->sumcols[k]], *w = &h->row.f[t->totcol];
	const char *field = t->stats[k].field;
	char sum[DEC_STRMAX], diff[DEC_STRMAX];
	struct dec d;

	if (t->claimnull[i * t->nsum + k])
		return 0;
	if (t->gbad[at] != 0) {
		snprintf(why, whysz, "total %s: cannot be checked: line %ld's value is "
		    "not a number", field, t->gbad[at]);
		return 1;
	}
	if (t->gover[at] || dec_sub(t->claims[i * t->nsum + k], t->gsum[at], &d) != 0) {
		snprintf(why, whysz, "total %s: cannot be checked: the sum of the "
		    "detail rows passes 38 digits", field);
		return 1;
	}
	if (d.mant == 0)
		return 0;
	dec_format(t->gsum[at], sum);
	dec_format(d, diff);
	snprintf(why, whysz, "total %s: %.*s row says %.*s, detail rows sum to %s "
	    "(difference %s)", field, (int)w->len, w->p, (int)said->len, said->p,
	    sum, diff);
	return 1;
}

int
total_finish(struct total *t, struct wy_err *e)
{
	char one[WY_ERRMAX], all[4 * WY_ERRMAX];

	for (size_t i = 0; i < t->nheld; i++) {
		size_t len = 0;

		for (size_t k = 0; k < t->nsum; k++) {
			if (!judge(t, i, k, one, sizeof one))
				continue;
			stat_fail(&t->stats[k], t->held[i].line, one);
			len += snprintf(all + len, sizeof all - len, "%s%s",
			    len ? "; " : "", one);
			if (len >= sizeof all)
				len = sizeof all - 1;
		}
		if (len > 0 && (t->held[i].why = strdup(all)) == NULL)
			return nomem(e);
	}
	return 0;
}

size_t
total_nheld(const struct total *t)
{
	return t->nheld;
}

const struct total_held *
total_held(const struct total *t, size_t i)
{
	return &t->held[i];
}

void
total_report(const struct total *t, size_t k, const char **field,
    unsigned long long *nfail, long *first, const char **example)
{
	*field = t->stats[k].field;
	*nfail = t->stats[k].nfail;
	*first = t->stats[k].first;
	*example = t->stats[k].example;
}

void
total_free(struct total *t)
{
	if (t == NULL)
		return;
	for (size_t k = 0; k < t->nwords; k++)
		free(t->words[k]);
	free(t->words);
	for (size_t i = 0; i < t->nheld; i++) {
		free(t->held[i].mem);
		rec_free(&t->held[i].row);
		free(t->held[i].why);
	}
	if (t->stats != NULL) {
		for (size_t k = 0; k <= t->nsum; k++) {
			if (k < t->nsum)
				free((void *)t->stats[k].field);
			free(t->stats[k].example);
		}
	}
	free(t->stats);
	free(t->col);
	free(t->sumcols);
	free(t->bycols);
	free(t->held);
	free(t->claims);
	free(t->claimnull);
	free(t->hgroup);
	free(t->gsum);
	free(t->gbad);
	free(t->gover);
	free(t->gheld);
	free(t->key);
	keyset_free(&t->groups);
	free(t);
}
