#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>

#include "schema.h"
#include "tsv.h"

/* What a schema says about a field: the TSV columns, the JSON keys. */
enum attr {
	A_FIELD, A_TYPE, A_REQUIRED, A_UNIQUE, A_MINIMUM, A_MAXIMUM,
	A_MINLENGTH, A_MAXLENGTH, A_PATTERN, A_ENUM, A_MISSING, A_IGNORED,
	A_NATTR
};

static const char *const attr_names[A_NATTR] = {
	"field", "type", "required", "unique", "minimum", "maximum",
	"minLength", "maxLength", "pattern", "enum", "missing", ""
};

/* Why a value is bad, for "column maximum: <why>". */
#define WHYMAX 512
/* Bytes of a bad value shown in a message. */
#define SHOWMAX 60

/* set_attr and friends: 0, BAD (why says), or NOMEM. */
enum { BAD = -1, NOMEM = -2 };

static char *
dupn(const char *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s != NULL) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

static int
list_push(char ***list, size_t *n, const char *p, size_t len)
{
	char **nl = realloc(*list, (*n + 1) * sizeof *nl);

	if (nl == NULL)
		return NOMEM;
	*list = nl;
	if ((nl[*n] = dupn(p, len)) == NULL)
		return NOMEM;
	(*n)++;
	return 0;
}

static void
list_free(char **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

/* why = the formatted message; returns BAD. */
static int
bad(char *why, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, WHYMAX, fmt, ap);
	va_end(ap);
	return BAD;
}

/* why = "not a date: \"2025-02-30\" (2025-02 has only 28 days)" from value_parse's reason. */
static int
bad_value(char *why, const char *reason, const char *p, size_t n)
{
	const char *r = strncmp(reason, "is ", 3) == 0 ? reason + 3 : reason;
	const char *colon = strstr(r, ": ");
	int shown = n > SHOWMAX ? SHOWMAX : (int)n;

	if (colon != NULL)
		snprintf(why, WHYMAX, "%.*s: \"%.*s\" (%s)", (int)(colon - r), r,
		    shown, p, colon + 2);
	else
		snprintf(why, WHYMAX, "%s: \"%.*s\"", r, shown, p);
	return BAD;
}

static int
parse_flag(const char *p, size_t n, int *out, char *why)
{
	static const char *const words[] = { "", "false", "False", "FALSE", "0",
		"no", "否", "true", "True", "TRUE", "1", "yes", "是" };

	for (int k = 0; k < 13; k++)
		if (strlen(words[k]) == n && memcmp(words[k], p, n) == 0) {
			*out = k >= 7;
			return 0;
		}
	snprintf(why, WHYMAX, "not true or false: \"%.*s\"", n > SHOWMAX ? SHOWMAX : (int)n, p);
	return BAD;
}

static int
parse_count(const char *p, size_t n, long *out, char *why)
{
	long v = 0;

	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9' || v > (1L << 40)) {
			snprintf(why, WHYMAX, "not a count: \"%.*s\"",
			    n > SHOWMAX ? SHOWMAX : (int)n, p);
			return BAD;
		}
		v = v * 10 + (p[i] - '0');
	}
	*out = v;
	return 0;
}

static int
compile_pattern(struct schema_field *f, const char *p, size_t n, char *why)
{
	int rc = pattern_compile(&f->pat, p, n, why, WHYMAX);

	if (rc == -2)
		return NOMEM;
	if (rc < 0)
		return BAD;
	if ((f->pattern = dupn(p, n)) == NULL) {
		pattern_free(&f->pat);
		return NOMEM;
	}
	return 0;
}

static int
set_bound(struct schema_field *f, enum attr a, const char *p, size_t n, char *why)
{
	char reason[VALUE_WHYMAX];
	struct value *v = a == A_MINIMUM ? &f->min : &f->max;
	char **text = a == A_MINIMUM ? &f->mintext : &f->maxtext;

	if (f->type == VALUE_STRING || f->type == VALUE_BOOLEAN) {
		snprintf(why, WHYMAX, "a %s field has no %s", value_type_name(f->type),
		    attr_names[a]);
		return BAD;
	}
	if (value_parse(f->type, p, n, v, reason) < 0)
		return bad_value(why, reason, p, n);
	free(*text);
	if ((*text = dupn(p, n)) == NULL)
		return NOMEM;
	*(a == A_MINIMUM ? &f->hasmin : &f->hasmax) = 1;
	return 0;
}

/* One value of an enum, read in the field's type. */
static int
add_enum(struct schema_field *f, const char *p, size_t n, char *why)
{
	char reason[VALUE_WHYMAX];
	struct value v, *nv;

	if (value_parse(f->type, p, n, &v, reason) < 0)
		return bad_value(why, reason, p, n);
	if ((nv = realloc(f->enumv, (f->nenum + 1) * sizeof *nv)) == NULL)
		return NOMEM;
	f->enumv = nv;
	nv[f->nenum] = v;
	return list_push(&f->enums, &f->nenum, p, n);
}

/* Call add(f, piece) for each |-separated piece of p[0..n). */
static int
split(struct schema_field *f, const char *p, size_t n, char *why,
    int (*add)(struct schema_field *, const char *, size_t, char *))
{
	const char *end = p + n, *bar;
	int rc;

	for (;;) {
		bar = memchr(p, '|', end - p);
		if ((rc = add(f, p, (bar ? bar : end) - p, why)) != 0)
			return rc;
		if (bar == NULL)
			return 0;
		p = bar + 1;
	}
}

static int
add_missing(struct schema_field *f, const char *p, size_t n, char *why)
{
	(void)why;
	return list_push(&f->missing, &f->nmissing, p, n);
}

static int
set_type(struct schema_field *f, const char *p, size_t n, char *why)
{
	int t = n == 0 ? VALUE_STRING : value_type_lookup(p, n);

	if (t < 0) {
		snprintf(why, WHYMAX, "unknown type \"%.*s\" (string, integer, number, "
		    "boolean, date, datetime, year, yearmonth)", n > SHOWMAX ? SHOWMAX : (int)n, p);
		return BAD;
	}
	f->type = t;
	return 0;
}

/*
 * Set attribute a of f from its text (empty: not set).  The type must be
 * set first.  0, BAD with why, or NOMEM.
 */
static int
set_attr(struct schema_field *f, enum attr a, const char *p, size_t n, char *why)
{
	if (n == 0 && a != A_TYPE)
		return 0;
	if (memchr(p, '\0', n) != NULL)
		return bad(why, "holds a NUL byte");
	switch (a) {
	case A_TYPE: return set_type(f, p, n, why);
	case A_REQUIRED: return parse_flag(p, n, &f->required, why);
	case A_UNIQUE: return parse_flag(p, n, &f->unique, why);
	case A_MINIMUM:
	case A_MAXIMUM: return set_bound(f, a, p, n, why);
	case A_MINLENGTH: return parse_count(p, n, &f->minlen, why);
	case A_MAXLENGTH: return parse_count(p, n, &f->maxlen, why);
	case A_PATTERN: return compile_pattern(f, p, n, why);
	case A_ENUM: return split(f, p, n, why, add_enum);
	case A_MISSING: return split(f, p, n, why, add_missing);
	default: return 0;
	}
}

/* Bounds that contradict each other; the attribute to blame, or -1. */
static int
check_bounds(const struct schema_field *f, char *why)
{
	if (f->hasmin && f->hasmax && value_cmp(&f->max, &f->min) < 0) {
		snprintf(why, WHYMAX, "\"%s\" is less than the minimum \"%s\"",
		    f->maxtext, f->mintext);
		return A_MAXIMUM;
	}
	if (f->minlen >= 0 && f->maxlen >= 0 && f->maxlen < f->minlen) {
		snprintf(why, WHYMAX, "%ld is less than minLength %ld", f->maxlen,
		    f->minlen);
		return A_MAXLENGTH;
	}
	return -1;
}

static void
field_free(struct schema_field *f)
{
	free(f->name);
	free(f->mintext);
	free(f->maxtext);
	if (f->pattern != NULL)
		pattern_free(&f->pat);
	free(f->pattern);
	list_free(f->enums, f->nenum);
	free(f->enumv);
	list_free(f->missing, f->nmissing);
}

void
schema_free(struct schema *s)
{
	for (size_t i = 0; i < s->nf; i++)
		field_free(&s->f[i]);
	free(s->f);
	list_free(s->missing, s->nmissing);
	list_free(s->key, s->nkey);
	memset(s, 0, sizeof *s);
}

const struct schema_field *
schema_find(const struct schema *s, const char *name, size_t len)
{
	for (size_t i = 0; i < s->nf; i++)
		if (strlen(s->f[i].name) == len && memcmp(s->f[i].name, name, len) == 0)
			return &s->f[i];
	return NULL;
}

/* A new field named p[0..n) at the end of s; NULL when out of memory. */
static struct schema_field *
add_field(struct schema *s, const char *p, size_t n, long line)
{
	struct schema_field *nf = realloc(s->f, (s->nf + 1) * sizeof *nf), *f;

	if (nf == NULL)
		return NULL;
	s->f = nf;
	f = &nf[s->nf];
	memset(f, 0, sizeof *f);
	f->minlen = f->maxlen = -1;
	f->line = line;
	if ((f->name = dupn(p, n)) == NULL)
		return NULL;
	s->nf++;
	return f;
}

static int
init(struct schema *s, struct wy_err *e)
{
	memset(s, 0, sizeof *s);
	if (list_push(&s->missing, &s->nmissing, "", 0) < 0)
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	return 0;
}

int
schema_is_json(const char *path)
{
	size_t n = strlen(path);

	return n >= 5 && strcasecmp(path + n - 5, ".json") == 0;
}

/* ---- TSV ---- */

static int
tsv_attr(const struct fld *h)
{
	static const char *const ignored[] = { "title", "description", "example",
		"comment" };

	if (h->p == NULL)
		return -1;
	if (h->len == 4 && memcmp(h->p, "name", 4) == 0)
		return A_FIELD;
	for (int a = 0; a < A_IGNORED; a++)
		if (strlen(attr_names[a]) == h->len && memcmp(attr_names[a], h->p, h->len) == 0)
			return a;
	for (size_t k = 0; k < 4; k++)
		if (strlen(ignored[k]) == h->len && memcmp(ignored[k], h->p, h->len) == 0)
			return A_IGNORED;
	return -1;
}

/* The columns of the header: attrs[i] for column i. */
static int
tsv_header(const struct rec *h, const char *name, int *attrs, struct wy_err *e)
{
	int have[A_NATTR] = { 0 };

	for (size_t i = 0; i < h->nf; i++) {
		int a = tsv_attr(&h->f[i]);

		if (a < 0)
			return wy_errf(e, WY_EXIT_USAGE, "%s:1: unknown column \"%.*s\" "
			    "(field, type, required, unique, minimum, maximum, minLength, "
			    "maxLength, pattern, enum, missing)", name,
			    h->f[i].p ? (int)(h->f[i].len > SHOWMAX ? SHOWMAX : h->f[i].len) : 2,
			    h->f[i].p ? h->f[i].p : "\\N");
		if (a != A_IGNORED && have[a]++)
			return wy_errf(e, WY_EXIT_USAGE, "%s:1: column %s twice", name,
			    attr_names[a]);
		attrs[i] = a;
	}
	if (!have[A_FIELD])
		return wy_errf(e, WY_EXIT_USAGE, "%s:1: no column field", name);
	return 0;
}

static int
blank(const struct rec *r)
{
	for (size_t i = 0; i < r->nf; i++)
		if (r->f[i].p != NULL && r->f[i].len > 0)
			return 0;
	return 1;
}

static int
tsv_fail(int rc, const char *name, long line, enum attr a, const char *why,
    struct wy_err *e)
{
	if (rc == NOMEM)
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	return wy_errf(e, WY_EXIT_USAGE, "%s:%ld: column %s: %s", name, line,
	    attr_names[a], why);
}

/* One row of the schema: a field. */
static int
tsv_row(struct schema *s, const struct rec *r, const int *attrs, const char *name,
    struct wy_err *e)
{
	struct schema_field *f = NULL;
	const struct schema_field *dup;
	char why[WHYMAX];
	size_t i;
	int rc, a;

	for (i = 0; i < r->nf; i++)
		if (attrs[i] == A_FIELD)
			break;
	if (i == r->nf || r->f[i].p == NULL || r->f[i].len == 0)
		return tsv_fail(BAD, name, r->line, A_FIELD, "empty", e);
	if (memchr(r->f[i].p, '\0', r->f[i].len) != NULL)
		return tsv_fail(BAD, name, r->line, A_FIELD, "holds a NUL byte", e);
	if ((dup = schema_find(s, r->f[i].p, r->f[i].len)) != NULL) {
		snprintf(why, sizeof why, "%s again (first on line %ld)", dup->name, dup->line);
		return tsv_fail(BAD, name, r->line, A_FIELD, why, e);
	}
	if ((f = add_field(s, r->f[i].p, r->f[i].len, r->line)) == NULL)
		return tsv_fail(NOMEM, name, 0, 0, NULL, e);
	/* the type first: the bounds are read in it */
	for (int pass = 0; pass < 2; pass++)
		for (i = 0; i < r->nf; i++) {
			a = attrs[i];
			if ((a == A_TYPE) != (pass == 0) || a == A_FIELD || r->f[i].p == NULL)
				continue;
			if ((rc = set_attr(f, a, r->f[i].p, r->f[i].len, why)) != 0)
				return tsv_fail(rc, name, r->line, a, why, e);
		}
	if ((a = check_bounds(f, why)) >= 0)
		return tsv_fail(BAD, name, r->line, a, why, e);
	return 0;
}

static int
tsv_rows(struct tsv_reader *rd, struct schema *s, const char *name, struct wy_err *e)
{
	struct rec r = { 0 };
	int *attrs = NULL, st, rc = -1;
	size_t ncol = 0;

	while ((st = tsv_read(rd, &r, e)) > 0) {
		if (attrs == NULL) {
			ncol = r.nf;
			if ((attrs = calloc(ncol, sizeof *attrs)) == NULL) {
				wy_errf(e, WY_EXIT_IO, "out of memory");
				goto out;
			}
			if (tsv_header(&r, name, attrs, e) < 0)
				goto out;
			continue;
		}
		if (blank(&r))
			continue;
		if (r.nf > ncol) { /* fewer: the cells left out are empty */
			wy_errf(e, WY_EXIT_USAGE, "%s:%ld: row has %zu fields, header has %zu",
			    name, r.line, r.nf, ncol);
			goto out;
		}
		if (tsv_row(s, &r, attrs, name, e) < 0)
			goto out;
	}
	if (st == 0 && s->nf == 0)
		wy_errf(e, WY_EXIT_USAGE, "%s: no fields", name);
	else if (st == 0)
		rc = 0;
out:
	free(attrs);
	rec_free(&r);
	return rc;
}

int
schema_read_tsv(int fd, const char *name, struct schema *s, struct wy_err *e)
{
	struct tsv_reader rd;
	int rc;

	if (init(s, e) < 0)
		return -1;
	tsv_open(&rd, fd, name);
	rc = tsv_rows(&rd, s, name, e);
	tsv_close(&rd);
	if (rc < 0) {
		if (e->exit == WY_EXIT_DATA)
			e->exit = WY_EXIT_USAGE;
		schema_free(s);
	}
	return rc;
}

/* ---- JSON ---- */

/*
 * jansson reads numbers as doubles.  So that 12939.37 stays exact, each
 * number of the text becomes a string "\u0001N", N its digits, before
 * jansson reads it (8 bytes more per number, numbers at least 2 bytes apart: 5n + 16 do).
 */
static char *
quote_numbers(const char *in, size_t n, size_t *outlen)
{
	char *out = malloc(5 * n + 16), *w = out;
	int instr = 0;

	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < n;) {
		char c = in[i];

		if (instr || (c != '-' && (c < '0' || c > '9'))) {
			if (instr && c == '\\' && i + 1 < n)
				*w++ = in[i++];
			else if (c == '"')
				instr = !instr;
			*w++ = in[i++];
			continue;
		}
		memcpy(w, "\"\\u0001", 7);
		w += 7;
		while (i < n && in[i] != '\0' && strchr("+-.eE0123456789", in[i]) != NULL)
			*w++ = in[i++];
		*w++ = '"';
	}
	*outlen = w - out;
	return out;
}

/* A number as JSON writes it (1.5e3) into plain decimal text in buf. */
static void
plain_number(const char *s, size_t n, char *buf, size_t bufsz)
{
	const char *e = memchr(s, 'e', n);
	struct dec d;
	long exp = 0;

	if (e == NULL)
		e = memchr(s, 'E', n);
	snprintf(buf, bufsz, "%.*s", (int)n, s);
	if (e == NULL || dec_parse(s, e - s, &d) != 0)
		return;
	for (const char *p = e + 1 + (e[1] == '+' || e[1] == '-'); p < s + n; p++) {
		if (*p < '0' || *p > '9' || exp > 1000)
			return;
		exp = exp * 10 + (*p - '0');
	}
	if (e + 1 == s + n || (e + 2 == s + n && (e[1] == '+' || e[1] == '-')))
		return;
	if (dec_shift(d, e[1] == '-' ? (int)-exp : (int)exp, &d) == 0 && bufsz >= DEC_STRMAX)
		dec_format(d, buf);
}

/* The text of a JSON string, number or boolean, into p and n (buf for numbers). */
static int
json_text(json_t *v, const char **p, size_t *n, char *buf, size_t bufsz)
{
	if (json_is_string(v)) {
		*p = json_string_value(v);
		*n = json_string_length(v);
		if (*n > 0 && **p == '\x01') {
			plain_number(*p + 1, *n - 1, buf, bufsz);
			*p = buf;
			*n = strlen(buf);
		}
		return 0;
	}
	if (json_is_boolean(v)) {
		*p = json_is_true(v) ? "true" : "false";
		*n = strlen(*p);
		return 0;
	}
	return -1;
}

/* A JSON string that is not a number in disguise (see quote_numbers). */
static int
is_text(json_t *v)
{
	return json_is_string(v) && json_string_value(v)[0] != '\x01';
}

struct jctx {
	const char *name; /* the file's */
	size_t idx;	  /* of the field in fields[] */
	const char *field;
	struct wy_err *e;
};

static int
jfail(struct jctx *c, int rc, const char *what, const char *why)
{
	if (rc == NOMEM)
		return wy_errf(c->e, WY_EXIT_IO, "out of memory");
	if (c->field != NULL)
		return wy_errf(c->e, WY_EXIT_USAGE, "%s: fields[%zu] (%s): %s: %s",
		    c->name, c->idx, c->field, what, why);
	return wy_errf(c->e, WY_EXIT_USAGE, "%s: %s: %s", c->name, what, why);
}

/* A JSON value (or array of them, for enum and missingValues) as attribute a. */
static int
jattr(struct jctx *c, struct schema_field *f, enum attr a, json_t *v, const char *what)
{
	char buf[DEC_STRMAX + 64], why[WHYMAX];
	const char *p;
	size_t n, i;
	json_t *item;
	int rc;

	if ((a == A_ENUM || a == A_MISSING) && json_is_array(v)) {
		json_array_foreach(v, i, item) {
			if (json_text(item, &p, &n, buf, sizeof buf) < 0)
				return jfail(c, BAD, what, "not a list of strings or numbers");
			rc = a == A_ENUM ? add_enum(f, p, n, why) : add_missing(f, p, n, why);
			if (rc != 0)
				return jfail(c, rc, what, why);
		}
		return 0;
	}
	if (a == A_ENUM || a == A_MISSING)
		return jfail(c, BAD, what, "not a list");
	if (json_text(v, &p, &n, buf, sizeof buf) < 0)
		return jfail(c, BAD, what, "not a string, number or boolean");
	if ((rc = set_attr(f, a, p, n, why)) != 0)
		return jfail(c, rc, what, why);
	return 0;
}

static int
jconstraints(struct jctx *c, struct schema_field *f, json_t *cons)
{
	char what[64];
	const char *key;
	json_t *v;
	int a;

	if (!json_is_object(cons))
		return jfail(c, BAD, "constraints", "not an object");
	json_object_foreach(cons, key, v) {
		snprintf(what, sizeof what, "constraints.%.40s", key);
		for (a = A_REQUIRED; a <= A_ENUM; a++)
			if (strcmp(key, attr_names[a]) == 0)
				break;
		if (a > A_ENUM)
			return jfail(c, BAD, what, "not supported");
		if (jattr(c, f, a, v, what) < 0)
			return -1;
	}
	return 0;
}

static int
jfield(struct jctx *c, struct schema *s, json_t *jf)
{
	static const char *const unsupported[] = { "trueValues", "falseValues",
		"bareNumber", "groupChar", "decimalChar" };
	struct schema_field *f;
	const char *fmt;
	json_t *v, *name = json_object_get(jf, "name");
	char why[WHYMAX];
	int a;

	c->field = NULL;
	if (!json_is_object(jf))
		return jfail(c, BAD, "fields", "not a list of objects");
	if (!is_text(name) || json_string_length(name) == 0)
		return wy_errf(c->e, WY_EXIT_USAGE, "%s: fields[%zu]: no name", c->name, c->idx);
	if (schema_find(s, json_string_value(name), json_string_length(name)) != NULL)
		return wy_errf(c->e, WY_EXIT_USAGE, "%s: fields[%zu]: %s again", c->name,
		    c->idx, json_string_value(name));
	if ((f = add_field(s, json_string_value(name), json_string_length(name), c->idx)) == NULL)
		return jfail(c, NOMEM, "", "");
	c->field = f->name;
	for (size_t k = 0; k < 5; k++)
		if (json_object_get(jf, unsupported[k]) != NULL)
			return jfail(c, BAD, unsupported[k], "not supported");
	fmt = json_string_value(json_object_get(jf, "format"));
	if (json_object_get(jf, "format") != NULL && (fmt == NULL ||
	    (strcmp(fmt, "default") != 0 && strcmp(fmt, "any") != 0)))
		return jfail(c, BAD, "format", "not supported (only default and any)");
	if ((v = json_object_get(jf, "type")) != NULL && jattr(c, f, A_TYPE, v, "type") < 0)
		return -1;
	if ((v = json_object_get(jf, "missingValues")) != NULL &&
	    jattr(c, f, A_MISSING, v, "missingValues") < 0)
		return -1;
	if ((v = json_object_get(jf, "constraints")) != NULL && jconstraints(c, f, v) < 0)
		return -1;
	if ((a = check_bounds(f, why)) >= 0)
		return jfail(c, BAD, attr_names[a], why);
	return 0;
}

static int
jkey(struct jctx *c, struct schema *s, json_t *pk)
{
	json_t *item;
	size_t i;

	c->field = NULL;
	if (is_text(pk))
		pk = json_pack("[O]", pk);
	else
		json_incref(pk);
	if (pk == NULL)
		return jfail(c, NOMEM, "", "");
	if (!json_is_array(pk) || json_array_size(pk) == 0) {
		json_decref(pk);
		return jfail(c, BAD, "primaryKey", "not a name or a list of names");
	}
	json_array_foreach(pk, i, item) {
		const char *name = is_text(item) ? json_string_value(item) : NULL;
		char why[WHYMAX];

		if (name == NULL) {
			json_decref(pk);
			return jfail(c, BAD, "primaryKey", "not a name or a list of names");
		}
		if (schema_find(s, name, strlen(name)) == NULL) {
			snprintf(why, sizeof why, "no field %.*s in fields", SHOWMAX, name);
			json_decref(pk);
			return jfail(c, BAD, "primaryKey", why);
		}
		if (list_push(&s->key, &s->nkey, name, strlen(name)) < 0) {
			json_decref(pk);
			return jfail(c, NOMEM, "", "");
		}
	}
	json_decref(pk);
	return 0;
}

static int
jtable(struct jctx *c, struct schema *s, json_t *root)
{
	json_t *fields = json_object_get(root, "fields"), *v;
	struct schema_field table = { 0 };
	int rc;

	if (!json_is_object(root))
		return jfail(c, BAD, "the schema", "not a JSON object");
	if (!json_is_array(fields) || json_array_size(fields) == 0)
		return jfail(c, BAD, "fields", "missing or empty");
	json_array_foreach(fields, c->idx, v)
		if (jfield(c, s, v) < 0)
			return -1;
	if ((v = json_object_get(root, "missingValues")) != NULL) {
		c->field = NULL;
		rc = jattr(c, &table, A_MISSING, v, "missingValues");
		list_free(s->missing, s->nmissing);
		s->missing = table.missing;
		s->nmissing = table.nmissing;
		if (rc < 0)
			return -1;
	}
	if ((v = json_object_get(root, "primaryKey")) != NULL && jkey(c, s, v) < 0)
		return -1;
	return 0;
}

/* All of fd into a malloc'd buffer of at most SCHEMA_MAXBYTES. */
static char *
slurp(int fd, const char *name, size_t *len, struct wy_err *e)
{
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;

	*len = 0;
	for (;;) {
		if (wy_grow(&buf, &cap, *len + 65536, SCHEMA_MAXBYTES + 65536, e) < 0) {
			free(buf);
			return NULL;
		}
		do
			n = read(fd, buf + *len, cap - *len);
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			wy_syserr(e, errno, "%s: read error", name);
			free(buf);
			return NULL;
		}
		if (n == 0)
			return buf;
		*len += n;
	}
}

int
schema_read_json(int fd, const char *name, struct schema *s, struct wy_err *e)
{
	struct jctx c = { .name = name, .e = e };
	json_error_t jerr;
	json_t *root;
	char *text, *quoted;
	size_t len, qlen;
	int rc;

	if (init(s, e) < 0)
		return -1;
	if ((text = slurp(fd, name, &len, e)) == NULL) {
		schema_free(s);
		return -1;
	}
	quoted = quote_numbers(text, len, &qlen);
	free(text);
	if (quoted == NULL) {
		schema_free(s);
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	}
	root = json_loadb(quoted, qlen, JSON_REJECT_DUPLICATES, &jerr);
	free(quoted);
	if (root == NULL) {
		schema_free(s);
		return wy_errf(e, WY_EXIT_USAGE, "%s:%d: %s", name, jerr.line, jerr.text);
	}
	rc = jtable(&c, s, root);
	json_decref(root);
	if (rc < 0)
		schema_free(s);
	return rc;
}
