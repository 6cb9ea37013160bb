#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "book.h"
#include "num.h"
#include "table.h"

/* Copy bytes into the names arena; returns the offset, or -1. */
static long
keep_name(struct table *t, const char *p, size_t len, struct wy_err *e)
{
	size_t at = t->nlen;

	if (wy_grow(&t->names, &t->ncap, t->nlen + len + 1, TSV_MAXREC, e) < 0)
		return -1;
	memcpy(t->names + at, p, len);
	t->names[at + len] = '\0';
	t->nlen += len + 1;
	return at;
}

static const char *
find_bytes(const char *s, size_t n, const char *what)
{
	size_t wl = strlen(what);

	for (size_t i = 0; i + wl <= n; i++)
		if (memcmp(s + i, what, wl) == 0)
			return s + i;
	return NULL;
}

/* Skip spaces (ASCII, U+3000) at *p. */
static const char *
skip_space(const char *p, const char *end)
{
	for (;;) {
		if (p < end && (*p == ' ' || *p == '\t'))
			p++;
		else if (end - p >= 3 && memcmp(p, "\u3000", 3) == 0)
			p += 3;
		else
			return p;
	}
}

static int
unit_in_field(struct table *t, const char *s, size_t n)
{
	const char *end = s + n, *p = find_bytes(s, n, "单位"), *u;

	if (p == NULL)
		return 0;
	p = skip_space(p + strlen("单位"), end);
	if (end - p >= 3 && memcmp(p, "：", 3) == 0)
		p += 3;
	else if (p < end && *p == ':')
		p++;
	else
		return 0;
	p = skip_space(p, end);
	for (u = p; u < end; u++)
		if (*u == ' ' || *u == ')' || *u == ',' ||
		    (end - u >= 3 && (memcmp(u, "）", 3) == 0 ||
		    memcmp(u, "，", 3) == 0 || memcmp(u, "\u3000", 3) == 0)))
			break;
	if (u == p || (size_t)(u - p) >= sizeof t->unit)
		return 0;
	memcpy(t->unit, p, u - p);
	t->unit[u - p] = '\0';
	return 1;
}

int
table_unit_row(struct table *t, const struct rec *row)
{
	for (size_t i = 0; i < row->nf; i++)
		if (row->f[i].p && unit_in_field(t, row->f[i].p, row->f[i].len))
			return 1;
	return 0;
}

/* Is name among the first n names already kept (at offsets ofs)? */
static int
name_taken(const struct table *t, const long *ofs, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t->names + ofs[i], name) == 0)
			return 1;
	return 0;
}

int
table_header(struct table *t, const struct rec *row,
    void (*warn)(void *arg, const char *msg), void *arg, struct wy_err *e)
{
	long *ofs = calloc(row->nf + 1, sizeof *ofs);
	char msg[2 * WY_ERRMAX], name[WY_ERRMAX];
	int rc = -1;

	if (ofs == NULL)
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	for (size_t i = 0; i < row->nf; i++) {
		const struct fld *f = &row->f[i];

		if (f->p == NULL || f->len == 0) {
			snprintf(name, sizeof name, "c%zu", i + 1);
			snprintf(msg, sizeof msg, "column %zu has no name: named %s", i + 1, name);
			if (warn != NULL)
				warn(arg, msg);
		} else {
			snprintf(name, sizeof name, "%.*s", (int)f->len, f->p);
		}
		if (name_taken(t, ofs, i, name)) {
			size_t base = strlen(name);

			for (int k = 2;; k++) {
				snprintf(name + base, sizeof name - base, "_%d", k);
				if (!name_taken(t, ofs, i, name))
					break;
			}
			snprintf(msg, sizeof msg, "column %zu repeats the name %.*s: named %s",
			    i + 1, (int)base, name, name);
			if (warn != NULL)
				warn(arg, msg);
		}
		if ((ofs[i] = keep_name(t, name, strlen(name), e)) < 0)
			goto out;
	}
	t->hdr.nf = 0;
	for (size_t i = 0; i < row->nf; i++)
		if (rec_push(&t->hdr, t->names + ofs[i], strlen(t->names + ofs[i]), e) < 0)
			goto out;
	rc = 0;
out:
	free(ofs);
	return rc;
}

int
table_wants_rows(const struct table *t)
{
	return t->unit[0] != '\0';
}

int
table_hold(struct table *t, const struct rec *row, int bad, struct wy_err *e)
{
	size_t need = t->hlen + sizeof(size_t);

	for (size_t i = 0; i < row->nf; i++)
		need += sizeof(size_t) + row->f[i].len;
	if (wy_grow(&t->held, &t->hcap, need, TSV_MAXREC, e) < 0)
		return -1;
	t->heldpos[t->nheld] = t->hlen;
	t->heldline[t->nheld] = row->line;
	t->heldbad[t->nheld] = bad != 0;
	memcpy(t->held + t->hlen, &row->nf, sizeof(size_t));
	t->hlen += sizeof(size_t);
	for (size_t i = 0; i < row->nf; i++) {
		memcpy(t->held + t->hlen, &row->f[i].len, sizeof(size_t));
		t->hlen += sizeof(size_t);
		memcpy(t->held + t->hlen, row->f[i].p, row->f[i].len);
		t->hlen += row->f[i].len;
	}
	return ++t->nheld == TABLE_SAMPLE;
}

int
table_held(const struct table *t, size_t i, struct rec *rec, struct wy_err *e)
{
	const char *p = t->held + t->heldpos[i];
	size_t nf;

	memcpy(&nf, p, sizeof nf);
	p += sizeof nf;
	rec->nf = 0;
	rec->line = t->heldline[i];
	for (size_t k = 0; k < nf; k++) {
		size_t len;

		memcpy(&len, p, sizeof len);
		p += sizeof len;
		if (rec_push(rec, p, len, e) < 0)
			return -1;
		p += len;
	}
	return 0;
}

/*
 * Columns that hold numbers but are not amounts: periods, codes, serial
 * numbers.  The table's unit must not be stuck on them.
 */
static int
is_key_name(const char *name)
{
	static const char *const within[] = {
		"年份", "年度", "月份", "季度", "日期", "时间", "序号", "编号",
		"代码", "代号", "邮编", "电话", "行次", "排名",
	};
	static const char *const ending[] = { "年", "月", "日", "id", "ID", "No", "NO" };
	size_t len = strlen(name);

	for (size_t i = 0; i < sizeof within / sizeof *within; i++)
		if (strstr(name, within[i]) != NULL)
			return 1;
	for (size_t i = 0; i < sizeof ending / sizeof *ending; i++) {
		size_t kl = strlen(ending[i]);

		if (len >= kl && memcmp(name + len - kl, ending[i], kl) == 0)
			return 1;
	}
	return 0;
}

/* Do the held cells of column col all read as bare numbers (and some do)? */
static int
numeric_column(const struct table *t, size_t col, struct wy_err *e)
{
	struct rec row = { 0 };
	struct num_opts o = { 0 };
	struct num_val v;
	char why[NUM_WHYMAX];
	size_t nnum = 0;
	int ok = 1;

	for (size_t i = 0; i < t->nheld && ok; i++) {
		int st;

		if (t->heldbad[i] || table_held(t, i, &row, e) < 0 || col >= row.nf)
			continue;
		st = num_parse(row.f[col].p, row.f[col].len, &o, &v, why);
		if (st == NUM_OK && v.unit[0] == '\0')
			nnum++;
		else if (st != NUM_NULL)
			ok = 0;
	}
	rec_free(&row);
	return ok && nnum > 0;
}

void
table_decide(struct table *t, struct wy_err *e)
{
	char name[WY_ERRMAX];
	size_t *ofs = malloc((t->hdr.nf + 1) * sizeof *ofs);

	if (ofs == NULL) {
		wy_errf(e, WY_EXIT_IO, "out of memory");
		return;
	}
	/* offsets, since keep_name may move the arena */
	for (size_t i = 0; i < t->hdr.nf; i++)
		ofs[i] = t->hdr.f[i].p - t->names;
	for (size_t i = 0; i < t->hdr.nf; i++) {
		const char *old = t->names + ofs[i];
		size_t namelen;
		long at;

		if (num_header_unit(old, strlen(old), &namelen) != NULL ||
		    is_key_name(old) || old[0] == '_' || !numeric_column(t, i, e))
			continue;
		snprintf(name, sizeof name, "%s（%s）", old, t->unit);
		if ((at = keep_name(t, name, strlen(name), e)) < 0)
			break;
		ofs[i] = at;
	}
	for (size_t i = 0; i < t->hdr.nf; i++) {
		t->hdr.f[i].p = t->names + ofs[i];
		t->hdr.f[i].len = strlen(t->hdr.f[i].p);
	}
	free(ofs);
}

void
table_free(struct table *t)
{
	rec_free(&t->hdr);
	free(t->names);
	free(t->held);
	memset(t, 0, sizeof *t);
}

/* The merged range holding row's cell col, or NULL. */
static const struct book_merge *
merge_at(const struct book_merge *m, size_t nm, long row, size_t col)
{
	for (size_t i = 0; i < nm; i++)
		if (m[i].row1 <= row && row <= m[i].row2 && m[i].col1 <= col &&
		    col <= m[i].col2)
			return &m[i];
	return NULL;
}

static struct fld
cell_at(const struct rec *row, size_t col)
{
	return col < row->nf ? row->f[col] : (struct fld){ "", 0 };
}

/* What header row r (of n) says about column col. */
static struct fld
header_text(const struct rec *rows, size_t r, size_t n, size_t col,
    const struct book_merge *m, size_t nm, int fill)
{
	struct fld f = cell_at(&rows[r], col);
	const struct book_merge *mg;

	if (f.len > 0)
		return f;
	if ((mg = merge_at(m, nm, rows[r].line, col)) != NULL)
		/* a range merged down from a row above was named there */
		return mg->row1 == rows[r].line ? cell_at(&rows[r], mg->col1) :
		    (struct fld){ "", 0 };
	/* no merges known: a merged cell saved as CSV leaves the cells it
	 * spanned empty, so an upper row's text goes on to the right */
	while (fill && r + 1 < n && col > 0 && f.len == 0)
		f = cell_at(&rows[r], --col);
	return f;
}

int
table_join(const struct table *held, const struct book_merge *m, size_t nm,
    int fill, struct rec *out, char **buf, size_t *cap, struct wy_err *e)
{
	struct rec rows[TABLE_SAMPLE] = { 0 };
	size_t n = held->nheld, width = 0, len = 0;
	size_t ends[TABLE_MAXJOIN];
	int rc = -1;

	for (size_t r = 0; r < n; r++) {
		if (table_held(held, r, &rows[r], e) < 0)
			goto done;
		if (rows[r].nf > width)
			width = rows[r].nf;
	}
	if (width > TABLE_MAXJOIN) {
		wy_errf(e, WY_EXIT_DATA, "a header of %zu columns is too wide to join", width);
		goto done;
	}
	for (size_t c = 0; c < width; c++) {
		struct fld prev = { "", 0 };

		for (size_t r = 0; r < n; r++) {
			struct fld f = header_text(rows, r, n, c, m, nm, fill);

			if (f.len == 0 || (f.len == prev.len && memcmp(f.p, prev.p, f.len) == 0))
				continue;
			if (wy_grow(buf, cap, len + f.len + 1, TSV_MAXREC, e) < 0)
				goto done;
			if (prev.len > 0)
				(*buf)[len++] = '/';
			memcpy(*buf + len, f.p, f.len);
			len += f.len;
			prev = f;
		}
		ends[c] = len;
	}
	out->nf = 0;
	out->line = n > 0 ? rows[n - 1].line : 0;
	for (size_t c = 0; c < width; c++) {
		size_t start = c == 0 ? 0 : ends[c - 1];

		if (rec_push(out, *buf + start, ends[c] - start, e) < 0)
			goto done;
	}
	rc = 0;
done:
	for (size_t r = 0; r < n; r++)
		rec_free(&rows[r]);
	return rc;
}
