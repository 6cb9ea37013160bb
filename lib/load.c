#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dec.h"
#include "input.h"
#include "load.h"
#include "wrpg.h"
#include "wrsqlite.h"

/* The writer of url and where its own part starts, or -1. */
static int
url_kind(const char *url, const char **rest)
{
	if (strncmp(url, "sqlite:", 7) == 0 && url[7] != '\0') {
		*rest = url + 7;
		return 0;
	}
	*rest = url;
	if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0)
		return 1;
	*rest = url + 11;
	return strncmp(url, "postgresql:", 11) == 0 ? 1 : -1;
}

int
load_check_url(const char *url, struct wy_err *e)
{
	const char *rest;

	if (url_kind(url, &rest) < 0)
		return wy_errf(e, WY_EXIT_USAGE,
		    "--db: sqlite:PATH or postgresql://..., not \"%s\"", url);
	return 0;
}

int
load_open(struct load_db *db, const char *url, struct wy_err *e)
{
	const char *rest;
	int kind = url_kind(url, &rest);

	db->ops = NULL;
	db->h = NULL;
	if (kind < 0)
		return load_check_url(url, e);
	return kind == 0 ? wrsqlite_open(db, rest, e) : wrpg_open(db, rest, e);
}

void
load_close(struct load_db *db)
{
	if (db->ops != NULL)
		db->ops->close(db->h);
	db->ops = NULL;
	db->h = NULL;
}

/* The column named p[0..n) among the input's, or -1. */
static long
find_col(const struct load_spec *s, const char *p, size_t n)
{
	for (size_t i = 0; i < s->nfields; i++)
		if (strlen(s->cols[i].name) == n && memcmp(s->cols[i].name, p, n) == 0)
			return i;
	return -1;
}

/* Columns `field` and `type` of a schema's header, or -1 with e set. */
static int
schema_header(const char *path, const struct rec *hdr, size_t *fcol,
    size_t *tcol, struct wy_err *e)
{
	int nfound = 0;

	for (size_t i = 0; i < hdr->nf; i++) {
		const struct fld *f = &hdr->f[i];

		if (f->p != NULL && f->len == 5 && memcmp(f->p, "field", 5) == 0)
			*fcol = i, nfound |= 1;
		if (f->p != NULL && f->len == 4 && memcmp(f->p, "type", 4) == 0)
			*tcol = i, nfound |= 2;
	}
	if (nfound != 3)
		return wy_errf(e, WY_EXIT_USAGE, "%s: no column \"%s\" in the header",
		    path, nfound & 1 ? "type" : "field");
	return 0;
}

/* One row of a schema: the type of the column it names, if the input has it. */
static int
schema_row(const char *path, struct load_spec *s, const struct rec *row,
    size_t fcol, size_t tcol, unsigned char *typed, struct wy_err *e)
{
	const struct fld *name = &row->f[fcol], *type = &row->f[tcol];
	enum coltype t;
	long col;

	if (type->p != NULL &&
	    coltype_lookup(type->p, type->len, &t) < 0)
		return wy_errf(e, WY_EXIT_USAGE, "%s:%ld: unknown type \"%.*s\"",
		    path, row->line, (int)type->len, type->p);
	if (type->p == NULL)
		t = COLTYPE_TEXT;
	if (name->p == NULL || (col = find_col(s, name->p, name->len)) < 0)
		return 0;
	s->cols[col].type = t;
	typed[col] = 1;
	return 0;
}

static int
read_schema(const char *path, int fd, struct load_spec *s, unsigned char *typed,
    struct wy_err *e)
{
	struct tsv_reader rd;
	struct rec row = { 0 };
	size_t fcol = 0, tcol = 0;
	int st, rc = 0;

	tsv_open(&rd, fd, path);
	while (rc == 0 && (st = tsv_read(&rd, &row, e)) > 0) {
		if (row.line == 1)
			rc = schema_header(path, &row, &fcol, &tcol, e);
		else if (row.nf <= fcol || row.nf <= tcol)
			rc = wy_errf(e, WY_EXIT_USAGE, "%s:%ld: row has %zu fields",
			    path, row.line, row.nf);
		else
			rc = schema_row(path, s, &row, fcol, tcol, typed, e);
	}
	if (rc == 0 && st < 0)
		rc = -1;
	if (rc == 0 && row.line == 0)
		rc = wy_errf(e, WY_EXIT_USAGE, "%s: empty", path);
	tsv_close(&rd);
	rec_free(&row);
	return rc;
}

int
load_schema(const char *path, struct load_spec *s, struct wy_err *e)
{
	unsigned char *typed = calloc(s->ncols + 1, 1);
	int fd, rc;

	if (typed == NULL)
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		free(typed);
		return wy_syserr(e, errno, "%s: cannot open", path);
	}
	rc = read_schema(path, fd, s, typed, e);
	close(fd);
	for (size_t i = 0; rc == 0 && i < s->nfields; i++)
		if (!typed[i])
			rc = wy_errf(e, WY_EXIT_USAGE, "%s: no field %s (a column of the input)",
			    path, s->cols[i].name);
	for (size_t i = s->nfields; i < s->ncols; i++)
		s->cols[i].type = COLTYPE_TEXT;
	free(typed);
	return rc;
}

int
load_where(struct load_spec *s, const char *arg, struct wy_err *e)
{
	const char *eq = strchr(arg, '=');
	long col;

	if (eq == NULL || eq == arg || eq[1] == '\0')
		return wy_errf(e, WY_EXIT_USAGE,
		    "--replace-where: COLUMN=VALUE, not \"%s\"", arg);
	if ((col = find_col(s, arg, eq - arg)) < 0)
		return wy_errf(e, WY_EXIT_USAGE, "--replace-where: no field %.*s in the header",
		    (int)(eq - arg), arg);
	s->wherecol = col;
	s->whereval = eq + 1;
	return 0;
}

/* Check one value against its column; 0, or -1 with why (COLTYPE_WHYMAX). */
static int
fill_cell(const struct load_col *col, const char *p, size_t n,
    struct load_cell *c, char *why)
{
	c->p = p;
	c->len = n;
	c->isint = 0;
	if (p == NULL || (n == 0 && col->type != COLTYPE_TEXT)) {
		c->p = NULL;
		return 0;
	}
	return coltype_check(col->type, p, n, &c->iv, &c->isint, why);
}

int
load_start(struct load_db *db, const struct load_spec *s, struct wy_err *e)
{
	struct load_cell where = { 0 };
	char why[COLTYPE_WHYMAX];

	if (s->mode == LOAD_REPLACE_WHERE) {
		const struct load_col *col = &s->cols[s->wherecol];

		if (fill_cell(col, s->whereval, strlen(s->whereval), &where, why) < 0)
			return wy_errf(e, WY_EXIT_USAGE, "--replace-where: \"%s\" %s",
			    s->whereval, why);
	}
	return db->ops->start(db->h, s, &where, e);
}

/* Append "field NAME: " and a reason to why. */
static void
add_why(char *why, const char *name, const char *fmt, const char *p, size_t n,
    const char *reason)
{
	size_t used = strlen(why);

	used += snprintf(why + used, LOAD_WHYMAX - used, "%sfield %s: ",
	    used ? "; " : "", name);
	if (used < LOAD_WHYMAX)
		snprintf(why + used, LOAD_WHYMAX - used, fmt, (int)n, p, reason);
}

/* Is the row's value v the --replace-where value? */
static int
same_value(const struct load_col *col, const struct load_cell *v,
    const struct load_cell *want)
{
	struct dec a, b;

	if (v->p == NULL)
		return 0;
	if (v->isint && want->isint)
		return v->iv == want->iv;
	if ((col->type == COLTYPE_NUMBER || col->type == COLTYPE_NUMBER15) &&
	    dec_parse(v->p, v->len, &a) == 0 && dec_parse(want->p, want->len, &b) == 0)
		return dec_cmp(a, b) == 0;
	return v->len == want->len && memcmp(v->p, want->p, v->len) == 0;
}

/* The checks beyond types: keys, --replace-where's value. */
static void
mode_checks(const struct load_spec *s, const struct load_cell *cells, char *why)
{
	char tmp[COLTYPE_WHYMAX];

	for (size_t k = 0; k < s->nkey; k++) {
		const struct load_cell *c = &cells[s->key[k]];

		if (c->p == NULL || c->len == 0)
			add_why(why, s->cols[s->key[k]].name, "%.*s%s", "", 0,
			    c->p == NULL ? "a key is NULL" : "a key is empty");
	}
	if (s->mode == LOAD_REPLACE_WHERE) {
		const struct load_col *col = &s->cols[s->wherecol];
		const struct load_cell *c = &cells[s->wherecol];
		struct load_cell want;

		if (fill_cell(col, s->whereval, strlen(s->whereval), &want, tmp) == 0 &&
		    !same_value(col, c, &want))
			add_why(why, col->name, "\"%.*s\" %s", c->p ? c->p : "\\N",
			    c->p ? c->len : 2, "is not the value of --replace-where");
	}
}

int
load_cells(const struct load_spec *s, const struct rec *row,
    struct load_cell *cells, char *why)
{
	char reason[COLTYPE_WHYMAX];

	why[0] = '\0';
	if (row->nf != s->nfields) {
		snprintf(why, LOAD_WHYMAX, "row has %zu field%s, header has %zu",
		    row->nf, row->nf == 1 ? "" : "s", s->nfields);
		return -1;
	}
	for (size_t i = 0; i < s->nfields; i++) {
		const struct fld *f = &row->f[i];
		/* the other types take only ASCII letters, digits and signs */
		int text = s->cols[i].type == COLTYPE_TEXT && f->p != NULL && !s->textok;

		if (text && memchr(f->p, '\0', f->len) != NULL)
			add_why(why, s->cols[i].name, "%.*s%s", "", 0, "a NUL byte");
		else if (text && utf8_valid_prefix(f->p, f->len) < f->len)
			add_why(why, s->cols[i].name, "%.*s%s", "", 0, "not UTF-8");
		else if (fill_cell(&s->cols[i], f->p, f->len, &cells[i], reason) < 0)
			add_why(why, s->cols[i].name, "\"%.*s\" %s", f->p, f->len, reason);
	}
	if (why[0] == '\0')
		mode_checks(s, cells, why);
	return why[0] == '\0' ? 0 : -1;
}

/* Make room for n more bytes. */
static int
sql_room(struct load_sql *q, size_t n)
{
	struct wy_err e;

	if (q->failed)
		return -1;
	if (wy_grow(&q->p, &q->cap, q->len + n + 1, (size_t)-1 / 2, &e) < 0) {
		q->failed = 1;
		return -1;
	}
	return 0;
}

void
load_sql_add(struct load_sql *q, const char *s)
{
	size_t n = strlen(s);

	if (sql_room(q, n) < 0)
		return;
	memcpy(q->p + q->len, s, n + 1);
	q->len += n;
}

void
load_sql_ident(struct load_sql *q, const char *name)
{
	size_t n = strlen(name);
	char *d;

	if (sql_room(q, 2 * n + 2) < 0)
		return;
	d = q->p + q->len;
	*d++ = '"';
	for (const char *s = name; *s; s++) {
		if (*s == '"')
			*d++ = '"';
		*d++ = *s;
	}
	*d++ = '"';
	*d = '\0';
	q->len = d - q->p;
}

void
load_sql_cols(struct load_sql *q, const struct load_spec *s)
{
	for (size_t i = 0; i < s->ncols; i++) {
		load_sql_add(q, i ? ", " : "");
		load_sql_ident(q, s->cols[i].name);
	}
}

void
load_sql_keys(struct load_sql *q, const struct load_spec *s)
{
	load_sql_add(q, " (");
	for (size_t k = 0; k < s->nkey; k++) {
		load_sql_add(q, k ? ", " : "");
		load_sql_ident(q, s->cols[s->key[k]].name);
	}
	load_sql_add(q, ")");
}

const char *
load_sql_text(struct load_sql *q, struct wy_err *e)
{
	if (q->failed || sql_room(q, 0) < 0) {
		wy_errf(e, WY_EXIT_IO, "out of memory");
		return NULL;
	}
	q->p[q->len] = '\0';
	return q->p;
}

void
load_sql_free(struct load_sql *q)
{
	free(q->p);
	memset(q, 0, sizeof *q);
}
