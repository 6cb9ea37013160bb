#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "keyset.h"
#include "rule.h"

/* Bytes of a value shown in a reason or a report. */
#define SHOWMAX 60
/* An index that names no probe. */
#define NOPROBE ((size_t)-1)

/* The checks, as the report names them. */
enum kind {
	P_WIDTH, P_TYPE, P_REQUIRED, P_MINIMUM, P_MAXIMUM, P_MINLENGTH,
	P_MAXLENGTH, P_PATTERN, P_ENUM, P_UNIQUE, P_KEY, P_RULE, P_NKIND
};

static const char *const kind_names[P_NKIND] = {
	"width", "type", "required", "minimum", "maximum", "minLength",
	"maxLength", "pattern", "enum", "unique", "key", "rule"
};

/* A line of the report: one check of one field (or key, or rule). */
struct probe {
	enum kind kind;
	char *field;
	unsigned long long nfail;
	long first;
	char *example; /* NULL: none, or the value was NULL */
};

/* A null marker: the cell's exact bytes. */
struct marker {
	const char *p;
	size_t len;
};

/* How a column's cell read in the current row. */
enum { ST_NULL = 1, ST_VALUE, ST_BAD };

struct col {
	const char *name;
	size_t namelen;
	long fc;	/* its field check, or -1 */
	int state;	/* of the current row: every field check runs on every row */
	struct value v;
	unsigned fixgen; /* fix holds its ISO form in row number fixgen */
	char fix[VALUE_STRMAX];
	size_t fixlen;
};

/* The checks of a column: a schema field's, or an implicit one. */
struct fcheck {
	size_t col;
	const struct schema_field *sf; /* NULL: implicit */
	enum value_type type;
	int required, lenient; /* lenient: an integer if it can, else a number */
	char *enumtext;	       /* "is not one of a|b|c" */
	struct marker *mk;
	size_t nmk;
	size_t probe[P_NKIND];
};

/* A key, or a unique field: distinct values over the whole input. */
struct keycheck {
	enum kind kind; /* P_KEY or P_UNIQUE */
	size_t *cols, n;
	const char *name; /* "地区,年份" */
	size_t probe;
	struct keyset set;
	/* --sorted: the previous key, its values and where its run began */
	int sorted, have_prev;
	char *prev;
	size_t prevcap;
	struct value *prevv;
	long runline;
};

struct rulecheck {
	struct rule *r;
	const char *text;
	size_t *cols;
	const struct value **vals;
	size_t probe;
};

struct checker {
	const struct check_opts *o;
	const struct rec *hdr;
	struct col *cols;
	size_t ncols;
	struct fcheck *fc;
	size_t nfc;
	struct keycheck *keys;
	size_t nkeys;
	char *keyname;
	struct rulecheck *rules;
	struct total *total;
	const struct dec **sumvals;
	struct dec *sumdec;
	int *sumbad;
	struct probe *probes;
	size_t nprobes;
	unsigned gen;
	int nfix;
	/* the reasons of the current row */
	char *why;
	size_t whylen, whycap;
	int nfail, oom;
	char *keybuf;
	size_t keycap;
	char *warning;
};

static int
nomem(struct wy_err *e)
{
	return wy_errf(e, WY_EXIT_IO, "out of memory");
}

/* ---- reasons and probes ---- */

/* Append "; " and the formatted reason (cut at WY_ERRMAX) to the row's reasons. */
static void
add_reason(struct checker *ck, const char *fmt, ...)
{
	char one[WY_ERRMAX];
	struct wy_err e;
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(one, sizeof one, fmt, ap);
	va_end(ap);
	n = strlen(one);
	if (wy_grow(&ck->why, &ck->whycap, ck->whylen + n + 3, (size_t)-1 / 2, &e) < 0) {
		ck->oom = 1;
		return;
	}
	if (ck->nfail++ > 0) {
		memcpy(ck->why + ck->whylen, "; ", 2);
		ck->whylen += 2;
	}
	memcpy(ck->why + ck->whylen, one, n + 1);
	ck->whylen += n;
}

/*
 * The cell as a reason shows it: quoted ("\"12.5\"") or not, cut after
 * SHOWMAX bytes (at a character's start) with "…"; NULL for NULL.
 */
static const char *
shown(const struct fld *f, int quote, char *buf, size_t bufsz)
{
	size_t n = f->len;
	const char *q = quote ? "\"" : "";

	if (f->p == NULL)
		return "NULL";
	if (n > SHOWMAX) {
		n = SHOWMAX;
		while (n > 0 && ((unsigned char)f->p[n] & 0xc0) == 0x80)
			n--;
	}
	snprintf(buf, bufsz, "%s%.*s%s%s", q, (int)n, f->p, n < f->len ? "…" : "", q);
	return buf;
}

static void
probe_fail(struct checker *ck, size_t idx, long line, const char *example,
    size_t len)
{
	struct probe *p = &ck->probes[idx];

	if (p->nfail++ > 0)
		return;
	p->first = line;
	if (example != NULL && (p->example = strndup(example, len)) == NULL)
		ck->oom = 1;
}

/* A field check failed: count it and say why. */
static void
field_fail(struct checker *ck, const struct fcheck *fc, enum kind k,
    const struct fld *f, long line, const char *why)
{
	const struct col *c = &ck->cols[fc->col];
	char buf[SHOWMAX + 16];

	probe_fail(ck, fc->probe[k], line, f->p, f->len > SHOWMAX ? SHOWMAX : f->len);
	add_reason(ck, "field %.*s: %s %s", (int)c->namelen, c->name,
	    shown(f, 1, buf, sizeof buf), why);
}

static long
add_probe(struct checker *ck, enum kind k, const char *field, size_t len)
{
	struct probe *np = realloc(ck->probes, (ck->nprobes + 1) * sizeof *np);

	if (np == NULL)
		return -1;
	ck->probes = np;
	memset(&np[ck->nprobes], 0, sizeof *np);
	np[ck->nprobes].kind = k;
	if ((np[ck->nprobes].field = strndup(field, len)) == NULL)
		return -1;
	return (long)ck->nprobes++;
}

/* ---- the field checks ---- */

static int
is_null(const struct fcheck *fc, const struct fld *f)
{
	if (f->p == NULL)
		return 1;
	for (size_t k = 0; k < fc->nmk; k++)
		if (fc->mk[k].len == f->len && memcmp(fc->mk[k].p, f->p, f->len) == 0)
			return 1;
	return 0;
}

static int
in_enum(const struct schema_field *sf, const struct value *v, const struct fld *f)
{
	for (size_t k = 0; k < sf->nenum; k++) {
		if (sf->type == VALUE_STRING) {
			if (strlen(sf->enums[k]) == f->len &&
			    memcmp(sf->enums[k], f->p, f->len) == 0)
				return 1;
		} else if (value_cmp(v, &sf->enumv[k]) == 0) {
			return 1;
		}
	}
	return 0;
}

/* Bounds, lengths, pattern and enum of a value read. */
static void
check_constraints(struct checker *ck, const struct fcheck *fc,
    const struct value *v, const struct fld *f, long line)
{
	const struct schema_field *sf = fc->sf;
	char why[SHOWMAX + 64];
	long len;

	if (sf->hasmin && value_cmp(v, &sf->min) < 0) {
		snprintf(why, sizeof why, "is below the minimum %s", sf->mintext);
		field_fail(ck, fc, P_MINIMUM, f, line, why);
	}
	if (sf->hasmax && value_cmp(v, &sf->max) > 0) {
		snprintf(why, sizeof why, "is above the maximum %s", sf->maxtext);
		field_fail(ck, fc, P_MAXIMUM, f, line, why);
	}
	if (sf->minlen >= 0 || sf->maxlen >= 0) {
		len = sf->type == VALUE_STRING ? v->i : value_utf8_len(f->p, f->len);
		if (sf->minlen >= 0 && len < sf->minlen) {
			snprintf(why, sizeof why, "is shorter than %ld characters", sf->minlen);
			field_fail(ck, fc, P_MINLENGTH, f, line, why);
		}
		if (sf->maxlen >= 0 && len > sf->maxlen) {
			snprintf(why, sizeof why, "is longer than %ld characters", sf->maxlen);
			field_fail(ck, fc, P_MAXLENGTH, f, line, why);
		}
	}
	if (sf->pattern != NULL && !pattern_match(&sf->pat, f->p, f->len)) {
		snprintf(why, sizeof why, "does not match the pattern %.*s", SHOWMAX,
		    sf->pattern);
		field_fail(ck, fc, P_PATTERN, f, line, why);
	}
	if (sf->nenum > 0 && !in_enum(sf, v, f))
		field_fail(ck, fc, P_ENUM, f, line, fc->enumtext);
}

/* The ISO form of a date or year-month read in another form, for --fix-dates. */
static void
fix(struct checker *ck, struct col *c)
{
	if ((c->v.type != VALUE_DATE && c->v.type != VALUE_YEARMONTH) || c->v.iso)
		return;
	c->fixlen = value_format(&c->v, c->fix);
	c->fixgen = ck->gen;
	ck->nfix++;
}

static void
check_field(struct checker *ck, const struct fcheck *fc, const struct fld *f,
    long line)
{
	struct col *c = &ck->cols[fc->col];
	char why[VALUE_WHYMAX];

	if (is_null(fc, f)) {
		c->state = ST_NULL;
		if (fc->required)
			field_fail(ck, fc, P_REQUIRED, f, line, "is required");
		return;
	}
	if (fc->lenient && value_parse(VALUE_INTEGER, f->p, f->len, &c->v, why) == 0) {
		c->state = ST_VALUE;
		return;
	}
	if (value_parse(fc->type, f->p, f->len, &c->v, why) < 0) {
		c->state = ST_BAD;
		field_fail(ck, fc, P_TYPE, f, line, why);
		return;
	}
	c->state = ST_VALUE;
	if (fc->sf != NULL)
		check_constraints(ck, fc, &c->v, f, line);
	if (ck->o->fix_dates)
		fix(ck, c);
}

/* ---- keys ---- */

/* The key's bytes into ck->keybuf: typed values canonical, text as is. */
static size_t
encode_key(struct checker *ck, const struct keycheck *kc, const struct rec *row)
{
	size_t len = 0, need = 0;
	struct wy_err e;

	for (size_t k = 0; k < kc->n; k++)
		need += 4 + sizeof(struct value) + row->f[kc->cols[k]].len;
	if (wy_grow(&ck->keybuf, &ck->keycap, need, (size_t)-1 / 2, &e) < 0) {
		ck->oom = 1;
		return 0;
	}
	for (size_t k = 0; k < kc->n; k++) {
		const struct col *c = &ck->cols[kc->cols[k]];
		const struct fld *f = &row->f[kc->cols[k]];
		struct value v = c->v;
		unsigned len32 = (unsigned)f->len;

		if (c->fc < 0 || ck->fc[c->fc].type == VALUE_STRING) {
			memcpy(ck->keybuf + len, &len32, 4);
			memcpy(ck->keybuf + len + 4, f->p, f->len);
			len += 4 + f->len;
			continue;
		}
		if (v.type == VALUE_NUMBER) {
			v.d = dec_normalize(v.d);
			memcpy(ck->keybuf + len, &v.d.mant, sizeof v.d.mant);
			memcpy(ck->keybuf + len + sizeof v.d.mant, &v.d.scale, sizeof v.d.scale);
			len += sizeof v.d.mant + sizeof v.d.scale;
		} else {
			memcpy(ck->keybuf + len, &v.i, sizeof v.i);
			memcpy(ck->keybuf + len + sizeof v.i, &v.ns, sizeof v.ns);
			len += sizeof v.i + sizeof v.ns;
		}
	}
	return len;
}

/* The key's cells for a message, "\"雁塔区\", \"2024\"", or unquoted. */
static void
key_shown(const struct keycheck *kc, const struct rec *row, int quote, char *buf,
    size_t bufsz)
{
	char one[SHOWMAX + 16];
	size_t len = 0;

	buf[0] = '\0';
	for (size_t k = 0; k < kc->n && len < bufsz; k++)
		len += snprintf(buf + len, bufsz - len, "%s%s", k ? ", " : "",
		    shown(&row->f[kc->cols[k]], quote, one, sizeof one));
}

static void
key_fail(struct checker *ck, const struct keycheck *kc, const struct rec *row,
    long line, long first)
{
	char cells[4 * SHOWMAX + 64];

	key_shown(kc, row, 0, cells, sizeof cells);
	probe_fail(ck, kc->probe, line, cells, strlen(cells));
	key_shown(kc, row, 1, cells, sizeof cells);
	add_reason(ck, "%s %s: %s is not unique (first at line %ld)",
	    kc->kind == P_KEY ? "key" : "field", kc->name, cells, first);
}

/* --sorted: this key against the previous one, component by component. */
static int
key_order(const struct checker *ck, const struct keycheck *kc, const struct rec *row)
{
	size_t off = 0;

	for (size_t k = 0; k < kc->n; k++) {
		const struct col *c = &ck->cols[kc->cols[k]];
		const struct fld *f = &row->f[kc->cols[k]];
		unsigned plen;
		int r;

		if (c->fc >= 0 && ck->fc[c->fc].type != VALUE_STRING) {
			if ((r = value_cmp(&c->v, &kc->prevv[k])) != 0)
				return r;
			continue;
		}
		memcpy(&plen, kc->prev + off, 4);
		r = memcmp(f->p, kc->prev + off + 4, f->len < plen ? f->len : plen);
		if (r != 0 || f->len != plen)
			return r != 0 ? r : f->len < plen ? -1 : 1;
		off += 4 + plen;
	}
	return 0;
}

static int
key_sorted(struct checker *ck, struct keycheck *kc, const struct rec *row,
    const char *where, long line, size_t len, struct wy_err *e)
{
	char cells[4 * SHOWMAX + 64];
	int r = kc->have_prev ? key_order(ck, kc, row) : 1;

	if (r == 0) {
		key_fail(ck, kc, row, line, kc->runline);
		return 0;
	}
	if (r < 0) {
		key_shown(kc, row, 1, cells, sizeof cells);
		return wy_errf(e, WY_EXIT_DATA, "%s:%ld: --sorted, but the key %s, %s, "
		    "comes after a greater one (line %ld): sort the input, or leave "
		    "--sorted out", where, line, kc->name, cells, kc->runline);
	}
	if (wy_grow(&kc->prev, &kc->prevcap, len + 1, (size_t)-1 / 2, e) < 0)
		return -1;
	memcpy(kc->prev, ck->keybuf, len);
	for (size_t k = 0; k < kc->n; k++)
		kc->prevv[k] = ck->cols[kc->cols[k]].v;
	kc->have_prev = 1;
	kc->runline = line;
	return 0;
}

static int
check_key(struct checker *ck, struct keycheck *kc, const struct rec *row,
    const char *where, long line, struct wy_err *e)
{
	size_t len;
	long first;
	int rc;

	for (size_t k = 0; k < kc->n; k++)
		if (ck->cols[kc->cols[k]].state != ST_VALUE)
			return 0; /* NULL, or bad: said already */
	len = encode_key(ck, kc, row);
	if (ck->oom)
		return nomem(e);
	if (kc->sorted)
		return key_sorted(ck, kc, row, where, line, len, e);
	if ((rc = keyset_put(&kc->set, ck->keybuf, len, line, &first, e)) < 0)
		return -1;
	if (rc == 0)
		key_fail(ck, kc, row, line, first);
	return 0;
}

/* ---- rules ---- */

static void
check_rule(struct checker *ck, struct rulecheck *rc, const struct rec *row, long line)
{
	char ex[WY_ERRMAX], buf[SHOWMAX + 16];
	size_t n = rule_nnames(rc->r), len = 0, namelen;
	int res;

	for (size_t k = 0; k < n; k++) {
		const struct col *c = &ck->cols[rc->cols[k]];

		if (c->state == ST_BAD)
			return; /* its field's failure is reason enough */
		rc->vals[k] = c->state == ST_VALUE ? &c->v : NULL;
	}
	if ((res = rule_eval(rc->r, rc->vals)) == RULE_TRUE || res == RULE_UNKNOWN)
		return;
	for (size_t k = 0; k < n && len < sizeof ex; k++) {
		const char *name = rule_name(rc->r, k, &namelen);
		const struct fld *f = &row->f[rc->cols[k]];

		len += snprintf(ex + len, sizeof ex - len, "%s%.*s = %s", k ? ", " : "",
		    (int)namelen, name, shown(f, 0, buf, sizeof buf));
	}
	probe_fail(ck, rc->probe, line, ex, strlen(ex));
	if (res == RULE_EOVERFLOW)
		add_reason(ck, "rule %s: a result passes 38 digits: %s", rc->text, ex);
	else
		add_reason(ck, "rule %s: false for %s", rc->text, ex);
}

/* ---- totals ---- */

static int
check_total(struct checker *ck, const struct rec *row, const char *where,
    long line, struct wy_err *e)
{
	const size_t *cols = total_sumcols(ck->total);
	size_t n = total_nsum(ck->total);
	char why[WY_ERRMAX];
	int held;

	for (size_t k = 0; k < n; k++) {
		const struct col *c = &ck->cols[cols[k]];

		ck->sumbad[k] = c->state == ST_BAD;
		ck->sumvals[k] = NULL;
		if (c->state != ST_VALUE)
			continue;
		ck->sumdec[k] = c->v.d;
		if (c->v.type == VALUE_INTEGER)
			ck->sumdec[k] = (struct dec){ c->v.i, 0 };
		ck->sumvals[k] = &ck->sumdec[k];
	}
	if (!total_is_total(ck->total, row))
		return total_add(ck->total, row, ck->sumvals, ck->sumbad, line, e) < 0 ?
		    -1 : CHECK_GOOD;
	if (ck->nfail > 0)
		return CHECK_BAD;
	if ((held = total_hold(ck->total, row, ck->sumvals, where, line, why, e)) < 0)
		return -1;
	if (held)
		return CHECK_HELD;
	add_reason(ck, "%s", why);
	return CHECK_BAD;
}

/* ---- the row ---- */

int
check_row(struct checker *ck, const struct rec *row, const char *where,
    long line, struct wy_err *e)
{
	int rc = CHECK_GOOD;

	ck->gen++;
	ck->whylen = 0;
	ck->nfail = 0;
	ck->nfix = 0;
	if (row->nf != ck->ncols) {
		add_reason(ck, "row has %zu field%s, header has %zu", row->nf,
		    row->nf == 1 ? "" : "s", ck->ncols);
		probe_fail(ck, 0, line, NULL, 0);
		return ck->oom ? nomem(e) : CHECK_BAD;
	}
	for (size_t i = 0; i < ck->nfc; i++)
		check_field(ck, &ck->fc[i], &row->f[ck->fc[i].col], line);
	for (size_t i = 0; i < ck->nkeys; i++)
		if (check_key(ck, &ck->keys[i], row, where, line, e) < 0)
			return -1;
	for (size_t i = 0; i < ck->o->nrules; i++)
		check_rule(ck, &ck->rules[i], row, line);
	if (ck->total != NULL && (rc = check_total(ck, row, where, line, e)) < 0)
		return -1;
	if (ck->oom)
		return nomem(e);
	return ck->nfail > 0 ? CHECK_BAD : rc;
}

const char *
check_why(const struct checker *ck)
{
	return ck->whylen > 0 ? ck->why : "";
}

/* Does p[0..n) hold byte a or byte b?  8 bytes at a time. */
static int
has2(const char *p, size_t n, int a, int b)
{
	size_t i = 0;
	uint64_t x;

	for (; i + 8 <= n; i += 8) {
		memcpy(&x, p + i, 8);
		if (wy_hasbyte(x, a) | wy_hasbyte(x, b))
			return 1;
	}
	for (; i < n; i++)
		if (p[i] == a || p[i] == b)
			return 1;
	return 0;
}

/*
 * The row as one span of the reader's buffer, when writing it as is gives
 * what writing field by field would: its fields lie one TAB apart (so none
 * was unescaped or is NULL; the last one is searched for TAB and LF
 * instead) and none holds a backslash or CR.  NULL otherwise.
 */
static const char *
raw_span(const struct rec *row, size_t *len)
{
	const struct fld *f = row->f, *last;

	if (row->nf == 0 || f[0].p == NULL)
		return NULL;
	last = &f[row->nf - 1];
	for (size_t i = 1; i < row->nf; i++)
		if (f[i].p == NULL || f[i].p != f[i - 1].p + f[i - 1].len + 1)
			return NULL;
	*len = (size_t)(last->p + last->len - f[0].p);
	if (has2(f[0].p, *len, '\\', '\r') || has2(last->p, last->len, '\t', '\n'))
		return NULL;
	return f[0].p;
}

void
check_put(struct checker *ck, struct tsv_writer *w, const struct rec *row)
{
	const char *span;
	size_t len;

	if (ck->nfix == 0 && (span = raw_span(row, &len)) != NULL) {
		tsv_put_raw(w, span, len);
		w->nfield = (int)row->nf; /* for a _src after it */
		return;
	}
	if (ck->nfix == 0) {
		for (size_t i = 0; i < row->nf; i++)
			tsv_put_fld(w, &row->f[i]);
		return;
	}
	for (size_t i = 0; i < row->nf; i++) {
		const struct col *c = &ck->cols[i];

		if (c->fixgen == ck->gen)
			tsv_put(w, c->fix, c->fixlen);
		else
			tsv_put_fld(w, &row->f[i]);
	}
}

int
check_finish(struct checker *ck, struct wy_err *e)
{
	return ck->total != NULL ? total_finish(ck->total, e) : 0;
}

size_t
check_nheld(const struct checker *ck)
{
	return ck->total != NULL ? total_nheld(ck->total) : 0;
}

const struct total_held *
check_held(struct checker *ck, size_t i)
{
	const struct total_held *h = total_held(ck->total, i);

	if (!ck->o->fix_dates)
		return h;
	/* read its fields again, for check_put's ISO dates */
	ck->gen++;
	ck->nfix = 0;
	ck->nfail = 0;
	ck->whylen = 0;
	for (size_t k = 0; k < ck->nfc; k++)
		if (ck->fc[k].sf != NULL)
			check_field(ck, &ck->fc[k], &h->row.f[ck->fc[k].col], h->line);
	return h;
}

/* ---- the report ---- */

static void
report_line(struct tsv_writer *w, const char *check, const char *field,
    unsigned long long nfail, long first, const char *example)
{
	tsv_put(w, check, strlen(check));
	tsv_put(w, field, strlen(field));
	tsv_put_long(w, (long long)nfail);
	if (nfail > 0)
		tsv_put_long(w, first);
	else
		tsv_put_null(w);
	if (example != NULL)
		tsv_put(w, example, strlen(example));
	else
		tsv_put_null(w);
	tsv_end(w);
}

void
check_report(const struct checker *ck, struct tsv_writer *w)
{
	static const char *const cols[] = { "check", "field", "failures",
		"first_line", "example" };
	const char *field, *example;
	unsigned long long nfail;
	long first;

	for (size_t k = 0; k < 5; k++)
		tsv_put(w, cols[k], strlen(cols[k]));
	tsv_end(w);
	if (ck->cols == NULL) /* no header was read */
		return;
	for (size_t i = 0; i < ck->nprobes; i++) {
		const struct probe *p = &ck->probes[i];

		report_line(w, kind_names[p->kind], p->field, p->nfail, p->first,
		    p->example);
	}
	for (size_t k = 0; ck->total != NULL && k <= total_nsum(ck->total); k++) {
		total_report(ck->total, k, &field, &nfail, &first, &example);
		report_line(w, "total", field, nfail, first, example);
	}
}

/* ---- compiling: before the header ---- */

/* The key: --key, the schema's primaryKey, or with --sorted its one unique field. */
static int
sorted_key_exists(const struct check_opts *o)
{
	size_t nunique = 0;

	if (o->key != NULL || (o->schema != NULL && o->schema->nkey > 0))
		return 1;
	for (size_t i = 0; o->schema != NULL && i < o->schema->nf; i++)
		nunique += o->schema->f[i].unique;
	return nunique == 1;
}

int
check_new(const struct check_opts *o, struct checker **out, struct wy_err *e)
{
	struct checker *ck;

	*out = NULL;
	if ((o->sum != NULL || o->by != NULL) && o->total == NULL)
		return wy_errf(e, WY_EXIT_USAGE, "--sum and --by need --total");
	if (o->sorted && !sorted_key_exists(o))
		return wy_errf(e, WY_EXIT_USAGE, "--sorted needs a key: --key, a "
		    "primaryKey, or a single unique field");
	if ((ck = calloc(1, sizeof *ck)) == NULL ||
	    (ck->rules = calloc(o->nrules + 1, sizeof *ck->rules)) == NULL) {
		free(ck);
		return nomem(e);
	}
	ck->o = o;
	*out = ck;
	for (size_t i = 0; i < o->nrules; i++) {
		ck->rules[i].text = o->rules[i];
		if (rule_parse(o->rules[i], strlen(o->rules[i]), &ck->rules[i].r, e) < 0) {
			char msg[WY_ERRMAX];

			snprintf(msg, sizeof msg, "%s", e->msg);
			return wy_errf(e, e->exit, "--rule \"%s\": %s", o->rules[i], msg);
		}
	}
	if (o->total != NULL && total_new(o->total, o->sum, o->by, &ck->total, e) < 0)
		return -1;
	return 0;
}

/* ---- binding to the header ---- */

/* The column named name[0..len): its index, -1 if none, -2 if twice. */
static long
find_col(const struct checker *ck, const char *name, size_t len)
{
	long found = -1;

	for (size_t i = 0; i < ck->ncols; i++)
		if (ck->cols[i].namelen == len && memcmp(ck->cols[i].name, name, len) == 0) {
			if (found >= 0)
				return -2;
			found = (long)i;
		}
	return found;
}

/* Null markers of a field: the table's, then its own. */
static int
markers(const struct checker *ck, struct fcheck *fc)
{
	static const char *const empty = "";
	const struct schema *s = ck->o->schema;
	size_t ntable = s != NULL ? s->nmissing : 1;
	size_t nown = fc->sf != NULL ? fc->sf->nmissing : 0;

	if ((fc->mk = calloc(ntable + nown, sizeof *fc->mk)) == NULL)
		return -1;
	for (size_t k = 0; k < ntable; k++) {
		fc->mk[k].p = s != NULL ? s->missing[k] : empty;
		fc->mk[k].len = strlen(fc->mk[k].p);
	}
	for (size_t k = 0; k < nown; k++) {
		fc->mk[ntable + k].p = fc->sf->missing[k];
		fc->mk[ntable + k].len = strlen(fc->sf->missing[k]);
	}
	fc->nmk = ntable + nown;
	return 0;
}

/* "is not one of a|b|c" for a field's enum, cut after about 200 bytes. */
static char *
enum_text(const struct schema_field *sf)
{
	char *s = malloc(WY_ERRMAX / 2);
	size_t len = 0;

	if (s == NULL)
		return NULL;
	len = snprintf(s, WY_ERRMAX / 2, "is not one of ");
	for (size_t k = 0; k < sf->nenum && len < 200; k++)
		len += snprintf(s + len, WY_ERRMAX / 2 - len, "%s%s", k ? "|" : "",
		    sf->enums[k]);
	if (len >= 200)
		snprintf(s + 200, WY_ERRMAX / 2 - 200, "…");
	return s;
}

/* A new check of column col (sf NULL: implicit, of type t); its index or -1. */
static long
add_fcheck(struct checker *ck, size_t col, const struct schema_field *sf,
    enum value_type t)
{
	struct fcheck *nf = realloc(ck->fc, (ck->nfc + 1) * sizeof *nf), *fc;

	if (nf == NULL)
		return -1;
	ck->fc = nf;
	fc = &nf[ck->nfc];
	memset(fc, 0, sizeof *fc);
	fc->col = col;
	fc->sf = sf;
	fc->type = sf != NULL ? sf->type : t;
	fc->required = sf != NULL && sf->required;
	if (markers(ck, fc) < 0 || (sf != NULL && sf->nenum > 0 &&
	    (fc->enumtext = enum_text(sf)) == NULL))
		return -1;
	ck->cols[col].fc = (long)ck->nfc;
	return (long)ck->nfc++;
}

/* names[0..n) joined by sep into buf. */
static void
join_names(char *buf, size_t bufsz, const char *const *names, size_t n,
    const char *sep)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t k = 0; k < n && len < bufsz; k++)
		len += snprintf(buf + len, bufsz - len, "%s%s", k ? sep : "", names[k]);
}

static int
bind_schema(struct checker *ck, const char *where, struct wy_err *e)
{
	const struct schema *s = ck->o->schema;
	const char **missing;
	char list[WY_ERRMAX / 2];
	size_t nmissing = 0;
	long col;

	if ((missing = calloc(s->nf + 1, sizeof *missing)) == NULL)
		return nomem(e);
	for (size_t i = 0; i < s->nf; i++) {
		const struct schema_field *sf = &s->f[i];

		if ((col = find_col(ck, sf->name, strlen(sf->name))) == -1) {
			missing[nmissing++] = sf->name;
			continue;
		}
		if (col == -2) {
			free(missing);
			return wy_errf(e, WY_EXIT_DATA, "%s: the header has %s twice",
			    where, sf->name);
		}
		if (add_fcheck(ck, (size_t)col, sf, sf->type) < 0) {
			free(missing);
			return nomem(e);
		}
	}
	join_names(list, sizeof list, missing, nmissing, ", ");
	free(missing);
	if (nmissing > 0)
		return wy_errf(e, WY_EXIT_DATA, "%s: the header lacks %s of the schema: %s",
		    where, nmissing == 1 ? "a field" : "fields", list);
	return 0;
}

/* Columns the schema does not name: a warning, or with strict_header an error. */
static int
extra_columns(struct checker *ck, const char *where, struct wy_err *e)
{
	char list[WY_ERRMAX / 2];
	size_t len = 0, n = 0;

	list[0] = '\0';
	for (size_t i = 0; i < ck->ncols && len < sizeof list; i++) {
		if (ck->cols[i].fc >= 0)
			continue;
		len += snprintf(list + len, sizeof list - len, "%s%.*s", n++ ? ", " : "",
		    (int)ck->cols[i].namelen, ck->cols[i].name);
	}
	if (n == 0)
		return 0;
	if (ck->o->strict_header)
		return wy_errf(e, WY_EXIT_DATA, "%s: %s not in the schema (--strict-header): %s",
		    where, n == 1 ? "a column" : "columns", list);
	if ((ck->warning = malloc(2 * WY_ERRMAX)) == NULL)
		return nomem(e);
	snprintf(ck->warning, 2 * WY_ERRMAX, "%s: %s not in the schema: %s", where,
	    n == 1 ? "a column" : "columns", list);
	return 0;
}

/*
 * Column col is read as a number (by a rule or --sum): its schema type
 * must be one, or it gets an implicit check that reads integers and
 * decimals.  opt names the option for messages.
 */
static int
numeric(struct checker *ck, size_t col, const char *opt, struct wy_err *e)
{
	struct col *c = &ck->cols[col];
	struct fcheck *fc;

	if (c->fc < 0 && add_fcheck(ck, col, NULL, VALUE_NUMBER) < 0)
		return nomem(e);
	fc = &ck->fc[c->fc];
	if (fc->type == VALUE_INTEGER || fc->type == VALUE_NUMBER)
		return 0;
	if (fc->sf == NULL) { /* implicit (also a key column's): read numbers */
		fc->type = VALUE_NUMBER;
		fc->lenient = 1;
		return 0;
	}
	return wy_errf(e, WY_EXIT_USAGE, "%s: field %.*s is %s, not a number", opt,
	    (int)c->namelen, c->name, value_type_noun(fc->type));
}

static int
bind_rules(struct checker *ck, struct wy_err *e)
{
	char opt[WY_ERRMAX / 2];

	for (size_t i = 0; i < ck->o->nrules; i++) {
		struct rulecheck *rc = &ck->rules[i];
		size_t n = rule_nnames(rc->r), len;

		snprintf(opt, sizeof opt, "--rule \"%s\"", rc->text);
		if ((rc->cols = calloc(n + 1, sizeof *rc->cols)) == NULL ||
		    (rc->vals = calloc(n + 1, sizeof *rc->vals)) == NULL)
			return nomem(e);
		for (size_t k = 0; k < n; k++) {
			const char *name = rule_name(rc->r, k, &len);
			long col = find_col(ck, name, len);

			if (col < 0)
				return wy_errf(e, WY_EXIT_USAGE, "%s: %s %.*s in the header", opt,
				    col == -1 ? "no field" : "twice the field", (int)len, name);
			rc->cols[k] = (size_t)col;
			if (numeric(ck, (size_t)col, opt, e) < 0)
				return -1;
		}
	}
	return 0;
}

static int
add_key(struct checker *ck, enum kind kind, size_t *cols, size_t n,
    const char *name, int sorted, struct wy_err *e)
{
	struct keycheck *nk = realloc(ck->keys, (ck->nkeys + 1) * sizeof *nk), *kc;

	if (nk == NULL) {
		free(cols);
		return nomem(e);
	}
	ck->keys = nk;
	kc = &nk[ck->nkeys++];
	memset(kc, 0, sizeof *kc);
	kc->kind = kind;
	kc->cols = cols;
	kc->n = n;
	kc->name = name;
	kc->sorted = sorted;
	if (sorted && (kc->prevv = calloc(n, sizeof *kc->prevv)) == NULL)
		return nomem(e);
	return 0;
}

/* The primary key's columns, from --key or the schema's primaryKey. */
static int
key_columns(struct checker *ck, size_t **cols, size_t *n, struct wy_err *e)
{
	const struct schema *s = ck->o->schema;
	char msg[WY_ERRMAX];

	if (ck->o->key != NULL) {
		if (tsv_select(ck->hdr, NULL, ck->o->key, cols, n, e) == 0)
			return (ck->keyname = strdup(ck->o->key)) == NULL ? nomem(e) : 0;
		snprintf(msg, sizeof msg, "%s", e->msg);
		return wy_errf(e, e->exit, "--key: %s", msg);
	}
	if ((*cols = calloc(s->nkey, sizeof **cols)) == NULL ||
	    (ck->keyname = calloc(1, WY_ERRMAX)) == NULL)
		return nomem(e);
	*n = s->nkey;
	for (size_t k = 0; k < s->nkey; k++)
		(*cols)[k] = (size_t)find_col(ck, s->key[k], strlen(s->key[k]));
	join_names(ck->keyname, WY_ERRMAX, (const char *const *)s->key, s->nkey, ",");
	return 0;
}

/* Key columns are required: an implicit text check for those not in the schema. */
static int
bind_keys(struct checker *ck, struct wy_err *e)
{
	const struct schema *s = ck->o->schema;
	size_t *cols = NULL, n = 0, *one;
	int sorted = ck->o->sorted;

	if (ck->o->key != NULL || (s != NULL && s->nkey > 0)) {
		if (key_columns(ck, &cols, &n, e) < 0)
			return -1;
		for (size_t k = 0; k < n; k++) {
			struct col *c = &ck->cols[cols[k]];

			if (c->fc < 0 && add_fcheck(ck, cols[k], NULL, VALUE_STRING) < 0) {
				free(cols);
				return nomem(e);
			}
			ck->fc[c->fc].required = 1;
		}
		if (add_key(ck, P_KEY, cols, n, ck->keyname, sorted, e) < 0)
			return -1;
		sorted = 0;
	}
	for (size_t i = 0; i < ck->nfc; i++) {
		const struct fcheck *fc = &ck->fc[i];

		if (fc->sf == NULL || !fc->sf->unique ||
		    (n == 1 && cols[0] == fc->col)) /* the key already */
			continue;
		if ((one = malloc(sizeof *one)) == NULL)
			return nomem(e);
		*one = fc->col;
		if (add_key(ck, P_UNIQUE, one, 1, fc->sf->name, sorted, e) < 0)
			return -1;
	}
	return 0;
}

static int
bind_totals(struct checker *ck, struct wy_err *e)
{
	size_t n;

	if (ck->total == NULL)
		return 0;
	if (total_bind(ck->total, ck->hdr, e) < 0)
		return -1;
	n = total_nsum(ck->total);
	for (size_t k = 0; k < n; k++)
		if (numeric(ck, total_sumcols(ck->total)[k], "--sum", e) < 0)
			return -1;
	if ((ck->sumvals = calloc(n, sizeof *ck->sumvals)) == NULL ||
	    (ck->sumdec = calloc(n, sizeof *ck->sumdec)) == NULL ||
	    (ck->sumbad = calloc(n, sizeof *ck->sumbad)) == NULL)
		return nomem(e);
	return 0;
}

/* The lines of the report, in order: width, the fields', the keys', the rules'. */
static int
make_probes(struct checker *ck, struct wy_err *e)
{
	long p = add_probe(ck, P_WIDTH, "*", 1);

	for (size_t i = 0; i < ck->nfc && p >= 0; i++) {
		struct fcheck *fc = &ck->fc[i];
		const struct schema_field *sf = fc->sf;
		const struct col *c = &ck->cols[fc->col];
		int want[P_NKIND] = { 0 };

		want[P_TYPE] = 1;
		want[P_REQUIRED] = fc->required;
		if (sf != NULL) {
			want[P_MINIMUM] = sf->hasmin;
			want[P_MAXIMUM] = sf->hasmax;
			want[P_MINLENGTH] = sf->minlen >= 0;
			want[P_MAXLENGTH] = sf->maxlen >= 0;
			want[P_PATTERN] = sf->pattern != NULL;
			want[P_ENUM] = sf->nenum > 0;
		}
		for (int k = P_TYPE; k <= P_ENUM && p >= 0; k++)
			fc->probe[k] = want[k] && (p = add_probe(ck, k, c->name, c->namelen)) >= 0 ?
			    (size_t)p : NOPROBE;
	}
	for (size_t i = 0; i < ck->nkeys && p >= 0; i++)
		if ((p = add_probe(ck, ck->keys[i].kind, ck->keys[i].name,
		    strlen(ck->keys[i].name))) >= 0)
			ck->keys[i].probe = (size_t)p;
	for (size_t i = 0; i < ck->o->nrules && p >= 0; i++)
		if ((p = add_probe(ck, P_RULE, ck->rules[i].text, strlen(ck->rules[i].text))) >= 0)
			ck->rules[i].probe = (size_t)p;
	return p < 0 ? nomem(e) : 0;
}

int
check_bind(struct checker *ck, const struct rec *hdr, const char *where,
    struct wy_err *e)
{
	char at[WY_ERRMAX / 2];

	ck->hdr = hdr;
	ck->ncols = hdr->nf;
	if ((ck->cols = calloc(hdr->nf + 1, sizeof *ck->cols)) == NULL)
		return nomem(e);
	for (size_t i = 0; i < hdr->nf; i++) {
		ck->cols[i].name = hdr->f[i].p != NULL ? hdr->f[i].p : "\\N";
		ck->cols[i].namelen = hdr->f[i].p != NULL ? hdr->f[i].len : 2;
		ck->cols[i].fc = -1;
	}
	if (hdr->line > 0)
		snprintf(at, sizeof at, "%s:%ld", where, hdr->line);
	else
		snprintf(at, sizeof at, "%s", where);
	if (ck->o->schema != NULL &&
	    (bind_schema(ck, at, e) < 0 || extra_columns(ck, at, e) < 0))
		return -1;
	if (bind_keys(ck, e) < 0 || bind_rules(ck, e) < 0 || bind_totals(ck, e) < 0)
		return -1;
	return make_probes(ck, e);
}

const char *
check_warning(const struct checker *ck)
{
	return ck->warning;
}

void
check_free(struct checker *ck)
{
	if (ck == NULL)
		return;
	for (size_t i = 0; i < ck->nfc; i++) {
		free(ck->fc[i].mk);
		free(ck->fc[i].enumtext);
	}
	for (size_t i = 0; i < ck->nkeys; i++) {
		keyset_free(&ck->keys[i].set);
		free(ck->keys[i].cols);
		free(ck->keys[i].prev);
		free(ck->keys[i].prevv);
	}
	for (size_t i = 0; ck->rules != NULL && i < ck->o->nrules; i++) {
		rule_free(ck->rules[i].r);
		free(ck->rules[i].cols);
		free(ck->rules[i].vals);
	}
	for (size_t i = 0; i < ck->nprobes; i++) {
		free(ck->probes[i].field);
		free(ck->probes[i].example);
	}
	free(ck->probes);
	free(ck->rules);
	free(ck->keys);
	free(ck->keyname);
	free(ck->fc);
	free(ck->cols);
	free(ck->sumvals);
	free(ck->sumdec);
	free(ck->sumbad);
	free(ck->why);
	free(ck->keybuf);
	free(ck->warning);
	total_free(ck->total);
	free(ck);
}
