/*
 * agg: groups, their states, and the partial format.
 *
 * A group's key is its key fields encoded so that equal keys are equal
 * bytes and bytewise order is the order of the fields (NULL first):
 * NULL is 00, a text is 01, its bytes with 00 written 00 FF, then 00 01.
 *
 * The partial format: one TSV row per group, the key fields, then per
 * operation its state columns, named as below.  Sums, min and max are
 * exact decimals or \N (no value); counts are integers; mean has a sum
 * and a count; median's list is its numbers separated by spaces, and
 * distinct's its texts each as LENGTH:BYTES, separated by spaces.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"

#define NKIND (AGG_LAST + 1)
#define MANTMAX ((dec_i128)(~(unsigned __int128)0 >> 1))

static const char *const kind_name[NKIND] = {
	"count", "sum", "min", "max", "mean", "median", "distinct", "first", "last"
};

struct agg_val {
	dec_i128 mant;
	int32_t scale;
	uint32_t gid, op;
};

/* A row's input to one operation. */
struct agg_in {
	int null;		/* no value */
	struct dec d;		/* the number (merge: sum, min, max) */
	uint64_t n;		/* how many values this row brings */
	const char *p;		/* the text (first, last) */
	size_t len;
	size_t lo, hi;		/* median: lval[lo..hi); distinct: lfld[lo..hi) */
};

/* States, each at a 16-byte boundary within a group's. */
struct st_count {
	uint64_t n;
};
struct st_num { /* sum, mean, min, max */
	dec_i128 mant;
	int32_t scale;
	uint64_t n; /* values seen */
};
struct st_list { /* median, distinct */
	uint64_t n;
	uint32_t head, tail; /* distinct: its texts in a->seen, linked */
};
struct st_text { /* first, last */
	char *p;
	uint32_t len, cap;
	int has;
};

#define ROUND16(n) (((n) + 15) & ~(size_t)15)

static size_t
state_size(enum agg_kind k)
{
	switch (k) {
	case AGG_COUNT: return ROUND16(sizeof(struct st_count));
	case AGG_MEDIAN:
	case AGG_DISTINCT: return ROUND16(sizeof(struct st_list));
	case AGG_FIRST:
	case AGG_LAST: return ROUND16(sizeof(struct st_text));
	default: return ROUND16(sizeof(struct st_num));
	}
}

static int
reads_number(enum agg_kind k)
{
	return k == AGG_SUM || k == AGG_MEAN || k == AGG_MIN || k == AGG_MAX ||
	    k == AGG_MEDIAN;
}

/* State columns of an operation, and their suffixes after its name. */
static size_t
nstates(enum agg_kind k)
{
	return k == AGG_MEAN ? 2 : 1;
}

static const char *
state_suffix(enum agg_kind k, size_t part)
{
	if (k == AGG_MEAN)
		return part == 0 ? ":sum" : ":count";
	return k == AGG_MEDIAN || k == AGG_DISTINCT ? ":list" : "";
}

int
agg_parse_op(const char *arg, struct agg_op *op, struct wy_err *e)
{
	const char *colon = strchr(arg, ':');
	size_t n = colon ? (size_t)(colon - arg) : strlen(arg), i;
	int k;

	memset(op, 0, sizeof *op);
	op->col = AGG_NOCOL;
	op->slot = -1;
	for (k = 0; k < NKIND; k++)
		if (strlen(kind_name[k]) == n && memcmp(kind_name[k], arg, n) == 0)
			break;
	if (k == NKIND) {
		for (i = 0; i < n && arg[i] >= 'a' && arg[i] <= 'z'; i++)
			;
		if (colon == NULL || n == 0 || i < n)
			return 1;
		return wy_errf(e, WY_EXIT_USAGE, "unknown operation \"%.*s\": count, "
		    "sum, min, max, mean, median, distinct, first or last", (int)n, arg);
	}
	op->kind = k;
	if (colon == NULL && k != AGG_COUNT)
		return wy_errf(e, WY_EXIT_USAGE, "%s needs a field: %s:FIELD",
		    kind_name[k], kind_name[k]);
	if (colon != NULL && colon[1] == '\0')
		return wy_errf(e, WY_EXIT_USAGE, "%s: no field after the colon", arg);
	op->arg = arg;
	op->field = colon ? colon + 1 : NULL;
	return 0;
}

/* Room for need bytes in *buf; e says which limit was passed. */
static int
room(char **buf, size_t *cap, size_t need, struct wy_err *e)
{
	return wy_grow(buf, cap, need, (size_t)TSV_MAXREC * 2 + 64, e);
}

/* A malloc'd copy of p[0..n), with a NUL. */
static char *
dupn(const char *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s == NULL)
		return NULL;
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

/* A field for "%.*s": its text, or \N. */
#define FLDARG(f) (f)->p ? (int)(f)->len : 2, (f)->p ? (f)->p : "\\N"

static char *
fld_dup(const struct fld *f)
{
	return f->p ? dupn(f->p, f->len) : dupn("\\N", 2);
}

/* A malloc'd "op_name" (at most WY_ERRMAX bytes): "sum_数值", "count". */
static char *
op_name(enum agg_kind k, const struct fld *f, const char *suffix)
{
	char buf[WY_ERRMAX];
	int n = f == NULL ? snprintf(buf, sizeof buf, "%s%s", kind_name[k], suffix) :
	    snprintf(buf, sizeof buf, "%s_%.*s%s", kind_name[k], FLDARG(f), suffix);

	return dupn(buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

/* Result names from the input header: "count", "sum_数值". */
static int
names_from_input(struct agg *a, const struct rec *hdr, struct wy_err *e)
{
	for (size_t i = 0; i < a->c.nkeys; i++)
		if ((a->keyname[i] = fld_dup(&hdr->f[a->c.keycols[i]])) == NULL)
			return wy_errf(e, WY_EXIT_IO, "out of memory");
	for (size_t i = 0; i < a->nop; i++) {
		struct agg_op *op = &a->op[i];

		op->name = op_name(op->kind, op->col == AGG_NOCOL ? NULL :
		    &hdr->f[op->col], "");
		if (op->name == NULL)
			return wy_errf(e, WY_EXIT_IO, "out of memory");
	}
	return 0;
}

/* Is name (len bytes) a state column of op, part `part`?  Sets *base. */
static int
is_state(const struct agg_op *op, size_t part, const struct fld *name,
    size_t *base)
{
	const char *kn = kind_name[op->kind], *suf = state_suffix(op->kind, part);
	size_t kl = strlen(kn), sl = strlen(suf);

	if (name->p == NULL || name->len < kl + sl ||
	    memcmp(name->p, kn, kl) != 0 ||
	    memcmp(name->p + name->len - sl, suf, sl) != 0)
		return 0;
	*base = name->len - sl;
	if (op->field == NULL)
		return *base == kl;
	return *base > kl + 1 && name->p[kl] == '_';
}

/*
 * How many of op's state columns hdr has from column col on (all of
 * them: it has op's states); *base gets the length of their common name.
 */
static size_t
states_at(const struct agg_op *op, const struct rec *hdr, size_t col,
    size_t *base)
{
	size_t part, b;

	for (part = 0; part < nstates(op->kind); part++) {
		const struct fld *f = &hdr->f[col + part];

		if (!is_state(op, part, f, &b) || (part > 0 && (b != *base ||
		    memcmp(f->p, hdr->f[col].p, b) != 0)))
			break;
		*base = b;
	}
	return part;
}

/* With merge: hdr must be a --partial header of these operations. */
static int
names_from_partial(struct agg *a, const struct rec *hdr, struct wy_err *e)
{
	size_t col = a->c.nkeys, want = a->c.nkeys, base = 0, good;

	for (size_t i = 0; i < a->nop; i++)
		want += nstates(a->op[i].kind);
	if (hdr->nf != want)
		return wy_errf(e, WY_EXIT_USAGE, "not a header of wy-agg --partial with "
		    "these options: it has %zu columns, not %zu", hdr->nf, want);
	for (size_t i = 0; i < a->c.nkeys; i++)
		if ((a->keyname[i] = fld_dup(&hdr->f[i])) == NULL)
			return wy_errf(e, WY_EXIT_IO, "out of memory");
	for (size_t i = 0; i < a->nop; i++) {
		struct agg_op *op = &a->op[i];

		op->scol = col;
		if ((good = states_at(op, hdr, col, &base)) < nstates(op->kind))
			return wy_errf(e, WY_EXIT_USAGE, "not a header of wy-agg "
			    "--partial with these options: column %zu is \"%.*s\", "
			    "not a state of %s", col + good + 1,
			    FLDARG(&hdr->f[col + good]), op->arg);
		if ((op->name = dupn(hdr->f[col].p, base)) == NULL)
			return wy_errf(e, WY_EXIT_IO, "out of memory");
		col += good;
	}
	return 0;
}

/* State offsets; one number slot per column that operations read numbers of. */
static void
layout(struct agg *a, size_t *slotcol)
{
	size_t off = 0;

	for (size_t i = 0; i < a->nop; i++) {
		struct agg_op *op = &a->op[i];

		op->off = off;
		off += state_size(op->kind);
		op->slot = -1;
		if (a->c.merge || !reads_number(op->kind))
			continue;
		for (size_t s = 0; s < a->nslot && op->slot < 0; s++)
			if (slotcol[s] == op->col)
				op->slot = (int)s;
		if (op->slot < 0) {
			slotcol[a->nslot] = op->col;
			op->slot = (int)a->nslot++;
		}
	}
	a->stride = off > 0 ? off : 16;
}

/* Names of the columns read as numbers, for messages. */
static int
slot_names(struct agg *a, const struct rec *hdr, struct wy_err *e)
{
	for (size_t s = 0; s < a->nslot; s++)
		if ((a->slotname[s] = fld_dup(&hdr->f[a->slotcol[s]])) == NULL)
			return wy_errf(e, WY_EXIT_IO, "out of memory");
	return 0;
}

int
agg_init(struct agg *a, struct agg_op *ops, size_t nops,
    const struct agg_conf *c, const struct rec *hdr, struct wy_err *e)
{
	memset(a, 0, sizeof *a);
	a->op = ops;
	a->nop = nops;
	a->c = *c;
	a->ncols = hdr->nf;
	a->keyname = calloc(c->nkeys + 1, sizeof *a->keyname);
	a->mkeys = calloc(c->nkeys + 1, sizeof *a->mkeys);
	a->in = calloc(nops + 1, sizeof *a->in);
	a->slotcol = calloc(nops + 1, sizeof *a->slotcol);
	a->slotname = calloc(nops + 1, sizeof *a->slotname);
	a->num = calloc(nops + 1, sizeof *a->num);
	if (a->keyname == NULL || a->mkeys == NULL || a->in == NULL ||
	    a->slotcol == NULL || a->slotname == NULL || a->num == NULL ||
	    room(&a->kbuf, &a->kcap, 64, e) < 0)
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	for (size_t i = 0; i < c->nkeys; i++)
		a->mkeys[i] = c->merge ? i : c->keycols[i];
	a->c.keycols = a->mkeys;
	layout(a, a->slotcol);
	if (c->merge)
		return names_from_partial(a, hdr, e);
	if (names_from_input(a, hdr, e) < 0)
		return -1;
	return slot_names(a, hdr, e);
}

/* Push a malloc'd copy of p[0..n) to r; -1 with e set. */
static int
push_name(struct rec *r, const char *p, size_t n, struct wy_err *e)
{
	char *s = dupn(p, n);

	if (s == NULL || rec_push(r, s, n, e) < 0) {
		free(s);
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	}
	return 0;
}

int
agg_partial_header(struct agg_op *ops, size_t nops, const char *keys,
    const char *pivot, struct rec *out, struct wy_err *e)
{
	memset(out, 0, sizeof *out);
	for (const char *p = keys, *comma; p != NULL; p = comma ? comma + 1 : NULL) {
		comma = strchr(p, ',');
		if (push_name(out, p, comma ? (size_t)(comma - p) : strlen(p), e) < 0)
			return -1;
	}
	if (pivot != NULL && push_name(out, pivot, strlen(pivot), e) < 0)
		return -1;
	for (size_t i = 0; i < nops; i++)
		for (size_t part = 0; part < nstates(ops[i].kind); part++) {
			struct fld f = { ops[i].field, ops[i].field ? strlen(ops[i].field) : 0 };
			char *s = op_name(ops[i].kind, f.p ? &f : NULL,
			    state_suffix(ops[i].kind, part));

			if (s == NULL || rec_push(out, s, strlen(s), e) < 0) {
				free(s);
				return wy_errf(e, WY_EXIT_IO, "out of memory");
			}
		}
	return 0;
}

/* Encode the key fields of row into a->kbuf; *len gets the length. */
static int
build_key(struct agg *a, const struct rec *row, size_t *len, struct wy_err *e)
{
	size_t n = 0;

	for (size_t i = 0; i < a->c.nkeys; i++) {
		const struct fld *f = &row->f[a->c.keycols[i]];

		if (n + 3 + 2 * f->len > a->kcap &&
		    room(&a->kbuf, &a->kcap, n + 3 + 2 * f->len, e) < 0)
			return -1;
		if (f->p == NULL) {
			a->kbuf[n++] = 0;
			continue;
		}
		a->kbuf[n++] = 1;
		if (memchr(f->p, 0, f->len) == NULL) {
			memcpy(a->kbuf + n, f->p, f->len);
			n += f->len;
		} else {
			for (size_t j = 0; j < f->len; j++)
				if ((a->kbuf[n++] = f->p[j]) == 0)
					a->kbuf[n++] = (char)0xff;
		}
		a->kbuf[n++] = 0;
		a->kbuf[n++] = 1;
	}
	*len = n;
	return 0;
}

/* The 00 01 that ends the text field starting at p (before end). */
static const char *
text_end(const char *p, const char *end)
{
	const char *z = memchr(p, 0, end - p);

	while (z[1] != 1)
		z = memchr(z + 2, 0, end - z - 2);
	return z;
}

/*
 * The key field at *pos of k (klen bytes) into f, decoded (into a->tbuf
 * when it holds a 00 byte); advances *pos.  The key must be well formed.
 */
static int
key_field(struct agg *a, const char *k, size_t klen, size_t *pos,
    struct fld *f, struct wy_err *e)
{
	const char *p = k + *pos + 1, *z;
	size_t n = 0;

	if (k[*pos] == 0) {
		f->p = NULL;
		f->len = 0;
		(*pos)++;
		return 0;
	}
	z = text_end(p, k + klen);
	f->p = p;
	f->len = (size_t)(z - p);
	*pos = (size_t)(z + 2 - k);
	if (memchr(p, 0, f->len) == NULL)
		return 0;
	if (room(&a->tbuf, &a->tcap, f->len, e) < 0)
		return -1;
	for (size_t i = 0; i < f->len; i++)
		if ((a->tbuf[n++] = p[i]) == 0)
			i++;
	f->p = a->tbuf;
	f->len = n;
	return 0;
}

/* Bytes of the first nf fields of key k (klen bytes). */
static size_t
key_skip(const char *k, size_t klen, size_t nf)
{
	size_t pos = 0;

	while (nf-- > 0)
		if (k[pos++] != 0)
			pos = (size_t)(text_end(k + pos, k + klen) + 2 - k);
	return pos;
}

/* "group (雁塔区, \N): " for messages, or "" with no key columns. */
static void
group_text(struct agg *a, uint32_t gid, char *buf, size_t size)
{
	size_t klen, pos = 0, used = 0;
	const char *k = hash_get(&a->group, gid, &klen);
	struct wy_err e;
	struct fld f;

	buf[0] = '\0';
	if (a->c.nkeys == 0)
		return;
	for (size_t i = 0; i < a->c.nkeys && used < size; i++) {
		if (key_field(a, k, klen, &pos, &f, &e) < 0)
			break;
		used += snprintf(buf + used, size - used, "%s%.*s", i ? ", " : "group (",
		    FLDARG(&f));
	}
	if (used < size)
		snprintf(buf + used, size - used, "): ");
}

/* Overflows: of a 128-bit number, of a 64-bit count. */
enum { OVER128 = 1, OVER64 };

/* The fatal error of a result that does not fit, naming the group. */
static int
overflow(struct agg *a, uint32_t gid, const struct agg_op *op, int over,
    const char *where, long line, struct wy_err *e)
{
	char grp[WY_ERRMAX / 2];
	int bits = over == OVER64 ? 64 : 128;

	group_text(a, gid, grp, sizeof grp);
	if (where != NULL)
		return wy_errf(e, WY_EXIT_DATA, "%s:%ld: %s%s does not fit in %d bits",
		    where, line, grp, op->name, bits);
	return wy_errf(e, WY_EXIT_DATA, "%s%s does not fit in %d bits", grp,
	    op->name, bits);
}

/* Append "; " and a reason (or the first reason) to buf; returns 1. */
static int
add_reason(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
add_reason(char *buf, size_t size, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used > 0 && used + 2 < size) {
		memcpy(buf + used, "; ", 3);
		used += 2;
	}
	va_start(ap, fmt);
	vsnprintf(buf + used, size - used, fmt, ap);
	va_end(ap);
	return 1;
}

/* The value of the 8 ASCII digits at p, or -1 if they are not all digits. */
static inline int64_t
digits8(const char *p)
{
	const uint64_t hi = 0xf0f0f0f0f0f0f0f0ull, zeros = 0x3030303030303030ull;
	uint64_t x;

	memcpy(&x, p, 8);
	if ((x & hi) != zeros || ((x + 0x0606060606060606ull) & hi) != zeros)
		return -1;
	/* pairs, then fours, then all eight; the first byte is the top digit */
	x -= zeros;
	x = x * 10 + (x >> 8);
	x = ((x & 0x000000ff000000ffull) * (100 + (1000000ull << 32)) +
	    ((x >> 16) & 0x000000ff000000ffull) * (1 + (10000ull << 32))) >> 32;
	return (int64_t)x;
}

/*
 * Parse a number.  Plain integers of up to 18 digits, the most common
 * cells, are read 8 digits at a time without dec_parse.
 */
static int
parse_number(const struct fld *f, struct dec *d)
{
	const char *p = f->p;
	size_t len = f->len, i = len > 0 && (p[0] == '-' || p[0] == '+');
	int64_t v = 0, eight;

	if (len <= i || len - i > 18)
		return dec_parse(p, len, d);
	for (; len - i >= 8; i += 8) {
		if ((eight = digits8(p + i)) < 0)
			return dec_parse(p, len, d);
		v = v * 100000000 + eight;
	}
	for (; i < len; i++) {
		if ((unsigned)(p[i] - '0') >= 10)
			return dec_parse(p, len, d);
		v = v * 10 + (p[i] - '0');
	}
	d->mant = p[0] == '-' ? -v : v;
	d->scale = 0;
	return 0;
}

static int
bad_number(char *why, size_t whysz, const char *name, const struct fld *f,
    int st)
{
	return add_reason(why, whysz, "field %s: %s: \"%.*s\"", name,
	    st == DEC_EOVERFLOW ? "out of range" : "not a number", FLDARG(f));
}

/* The row's numbers, one per slot; 1 if one is bad (reasons in why). */
static int
read_numbers(struct agg *a, const struct rec *row, char *why, size_t whysz)
{
	int bad = 0;

	for (size_t s = 0; s < a->nslot; s++) {
		const struct fld *f = &row->f[a->slotcol[s]];
		int st;

		if (f->p != NULL && (st = parse_number(f, &a->num[s])) != 0)
			bad = bad_number(why, whysz, a->slotname[s], f, st);
	}
	return bad;
}

/* The inputs of a data row to each operation. */
static void
fill_data(struct agg *a, const struct rec *row)
{
	for (size_t i = 0; i < a->nop; i++) {
		const struct agg_op *op = &a->op[i];
		struct agg_in *in = &a->in[i];
		const struct fld *f = op->col == AGG_NOCOL ? NULL : &row->f[op->col];

		in->null = f != NULL && f->p == NULL;
		in->n = !in->null;
		if (op->slot >= 0) {
			in->d = a->num[op->slot];
		} else if (f != NULL) {
			in->p = f->p;
			in->len = f->len;
		}
	}
}

/* A count of a partial row: digits, at most 2^64 - 1. */
static int
parse_count(const struct fld *f, uint64_t *n)
{
	*n = 0;
	if (f->p == NULL || f->len == 0)
		return -1;
	for (size_t i = 0; i < f->len; i++)
		if ((unsigned)(f->p[i] - '0') >= 10 ||
		    __builtin_mul_overflow(*n, 10, n) ||
		    __builtin_add_overflow(*n, (uint64_t)(f->p[i] - '0'), n))
			return -1;
	return 0;
}

/* Append v to *arr (of *n, room for *cap); -1 when out of memory. */
static int
push(void *arrp, size_t *n, size_t *cap, const void *v, size_t size)
{
	char **arr = arrp;

	if (*n == *cap) {
		size_t ncap = *cap ? 2 * *cap : 64;
		char *na = realloc(*arr, ncap * size);

		if (na == NULL)
			return -1;
		*arr = na;
		*cap = ncap;
	}
	memcpy(*arr + *n * size, v, size);
	(*n)++;
	return 0;
}

/* A median list "3 12.5 -1" into lval; 1 if malformed, -1 out of memory. */
static int
parse_numbers(struct agg *a, const struct fld *f, struct agg_in *in)
{
	const char *p = f->p, *end = p ? p + f->len : NULL;

	in->lo = in->hi = a->nlval;
	while (p != NULL && p < end) {
		const char *sp = memchr(p, ' ', end - p);
		struct fld tok = { p, (size_t)((sp ? sp : end) - p) };
		struct agg_val v = { 0 };
		struct dec d;

		if (parse_number(&tok, &d) != 0 || (sp != NULL && sp + 1 == end))
			return 1;
		v.mant = d.mant;
		v.scale = d.scale;
		if (push(&a->lval, &a->nlval, &a->lvcap, &v, sizeof v) < 0)
			return -1;
		p = sp ? sp + 1 : end;
	}
	in->hi = a->nlval;
	return 0;
}

/* A distinct list "6:雁塔 0: 3:a b" into lfld; 1 if malformed, -1 out of memory. */
static int
parse_texts(struct agg *a, const struct fld *f, struct agg_in *in)
{
	const char *p = f->p, *end = p ? p + f->len : NULL;

	in->lo = in->hi = a->nlfld;
	while (p != NULL && p < end) {
		struct fld t;
		size_t n = 0;

		if ((unsigned)(*p - '0') >= 10)
			return 1;
		for (; p < end && (unsigned)(*p - '0') < 10; p++)
			if ((n = n * 10 + (size_t)(*p - '0')) > f->len)
				return 1;
		if (p == end || *p++ != ':' || n > (size_t)(end - p))
			return 1;
		t.p = p;
		t.len = n;
		if (push(&a->lfld, &a->nlfld, &a->lfcap, &t, sizeof t) < 0)
			return -1;
		p += n;
		if (p < end && (*p++ != ' ' || p == end))
			return 1;
	}
	in->hi = a->nlfld;
	return 0;
}

/* mean's sum and count of a partial row. */
static int
read_mean(const struct agg_op *op, const struct rec *row, struct agg_in *in,
    char *why, size_t whysz)
{
	const struct fld *s = &row->f[op->scol], *n = &row->f[op->scol + 1];
	int st;

	if (parse_count(n, &in->n) < 0)
		return add_reason(why, whysz, "field %s:count: not a count: \"%.*s\"",
		    op->name, FLDARG(n));
	if (s->p != NULL && (st = parse_number(s, &in->d)) != 0)
		return add_reason(why, whysz, "field %s:sum: %s: \"%.*s\"", op->name,
		    st == DEC_EOVERFLOW ? "out of range" : "not a number", FLDARG(s));
	if ((s->p == NULL) != (in->n == 0))
		return add_reason(why, whysz, "field %s:sum: \"%.*s\" with a count of "
		    "%llu", op->name, FLDARG(s), (unsigned long long)in->n);
	return 0;
}

/* One operation's state columns of a partial row: 0, 1 (bad), -1. */
static int
read_state(struct agg *a, const struct agg_op *op, const struct rec *row,
    struct agg_in *in, char *why, size_t whysz)
{
	const struct fld *f = &row->f[op->scol];
	int st;

	in->null = f->p == NULL;
	in->n = !in->null;
	in->p = f->p;
	in->len = f->len;
	switch (op->kind) {
	case AGG_COUNT:
		if (parse_count(f, &in->n) < 0)
			return add_reason(why, whysz, "field %s: not a count: \"%.*s\"",
			    op->name, FLDARG(f));
		return 0;
	case AGG_MEAN:
		return read_mean(op, row, in, why, whysz);
	case AGG_MEDIAN:
		if ((st = parse_numbers(a, f, in)) > 0)
			return add_reason(why, whysz, "field %s:list: not a list of "
			    "numbers: \"%.*s\"", op->name, FLDARG(f));
		return st;
	case AGG_DISTINCT:
		if ((st = parse_texts(a, f, in)) > 0)
			return add_reason(why, whysz, "field %s:list: not a list of "
			    "LENGTH:TEXT: \"%.*s\"", op->name, FLDARG(f));
		return st;
	case AGG_FIRST:
	case AGG_LAST:
		return 0;
	default:
		if (f->p != NULL && (st = parse_number(f, &in->d)) != 0)
			return bad_number(why, whysz, op->name, f, st);
		return 0;
	}
}

/* The inputs of a partial row: 0, 1 if it is bad, -1 with e set. */
static int
read_partial(struct agg *a, const struct rec *row, char *why, size_t whysz,
    struct wy_err *e)
{
	int bad = 0, st;

	a->nlval = a->nlfld = 0;
	for (size_t i = 0; i < a->nop; i++) {
		if ((st = read_state(a, &a->op[i], row, &a->in[i], why, whysz)) < 0)
			return wy_errf(e, WY_EXIT_IO, "out of memory");
		bad |= st;
	}
	return bad;
}

/* Make room for group gid's state, all zero. */
static int
new_group(struct agg *a, uint32_t gid, struct wy_err *e)
{
	if (gid >= a->scap) {
		size_t ncap = a->scap ? 2 * a->scap : 64;
		unsigned char *ns = realloc(a->state, ncap * a->stride);

		if (ns == NULL)
			return wy_errf(e, WY_EXIT_IO, "out of memory");
		a->state = ns;
		a->scap = ncap;
	}
	memset(a->state + (size_t)gid * a->stride, 0, a->stride);
	return 0;
}

static inline void *
state_of(const struct agg *a, uint32_t gid, const struct agg_op *op)
{
	return a->state + (size_t)gid * a->stride + op->off;
}

static int
cmp_dec(dec_i128 am, int as, dec_i128 bm, int bs)
{
	struct dec x = { am, as }, y = { bm, bs };

	if (as == bs)
		return am < bm ? -1 : am > bm;
	return dec_cmp(x, y);
}

static int
cmp_val(const void *x, const void *y)
{
	const struct agg_val *a = x, *b = y;

	if (a->gid != b->gid)
		return a->gid < b->gid ? -1 : 1;
	if (a->op != b->op)
		return a->op < b->op ? -1 : 1;
	return cmp_dec(a->mant, a->scale, b->mant, b->scale);
}

/* Sort median's numbers; vstart[g] is where group g's begin. */
static int
finish_values(struct agg *a, struct wy_err *e)
{
	size_t ng = a->group.n, at = 0;

	if (ng + 1 > a->vscap) {
		size_t *nv = realloc(a->vstart, (ng + 1) * sizeof *nv);

		if (nv == NULL)
			return wy_errf(e, WY_EXIT_IO, "out of memory");
		a->vstart = nv;
		a->vscap = ng + 1;
	}
	if (a->nval > 1)
		qsort(a->val, a->nval, sizeof *a->val, cmp_val);
	for (size_t g = 0; g <= ng; g++) {
		a->vstart[g] = at;
		while (at < a->nval && a->val[at].gid == g)
			at++;
	}
	return 0;
}

static void
free_texts(struct agg *a, uint32_t gid)
{
	for (size_t i = 0; i < a->nop; i++)
		if (a->op[i].kind == AGG_FIRST || a->op[i].kind == AGG_LAST)
			free(((struct st_text *)state_of(a, gid, &a->op[i]))->p);
}

/* sorted: the group ends: hand it to emit, then forget it. */
static int
end_group(struct agg *a, struct wy_err *e)
{
	if (finish_values(a, e) < 0 || a->c.emit(a->c.arg, a, 0, e) < 0)
		return -1;
	free_texts(a, 0);
	memset(a->state, 0, a->stride);
	hash_clear(&a->group);
	hash_clear(&a->seen);
	a->nval = 0;
	return 0;
}

/* The row's group (added if new); with sorted, a new key ends the group. */
static int
find_group(struct agg *a, const struct rec *row, uint32_t *gid,
    struct wy_err *e)
{
	size_t len, clen;
	const char *cur;
	int r;

	if (build_key(a, row, &len, e) < 0)
		return -1;
	if (a->c.sorted && a->group.n > 0) {
		cur = hash_get(&a->group, 0, &clen);
		if (clen == len && memcmp(cur, a->kbuf, len) == 0) {
			*gid = 0;
			return 0;
		}
		if (end_group(a, e) < 0)
			return -1;
	}
	r = hash_put(&a->group, a->kbuf, len, hash_bytes(a->kbuf, len), gid, e);
	if (r < 0)
		return -1;
	return r == 1 ? new_group(a, *gid, e) : 0;
}

/* s += d exactly; 1 past 128 bits. */
static int
add_num(struct st_num *s, const struct dec *d)
{
	struct dec x = { s->mant, s->scale }, r;
	dec_i128 m;

	if (s->scale == d->scale) {
		if (__builtin_add_overflow(s->mant, d->mant, &m) || m < -MANTMAX)
			return 1;
		s->mant = m;
		return 0;
	}
	if (dec_add(x, *d, &r) != 0)
		return 1;
	s->mant = r.mant;
	s->scale = r.scale;
	return 0;
}

static int
apply_sum(struct st_num *s, const struct agg_in *in)
{
	if (!in->null && add_num(s, &in->d) != 0)
		return OVER128;
	return __builtin_add_overflow(s->n, in->n, &s->n) ? OVER64 : 0;
}

static void
apply_extreme(struct st_num *s, const struct agg_in *in, int max)
{
	int c;

	if (in->null)
		return;
	c = s->n == 0 ? 0 : cmp_dec(in->d.mant, in->d.scale, s->mant, s->scale);
	if (s->n == 0 || (max ? c > 0 : c < 0)) {
		s->mant = in->d.mant;
		s->scale = in->d.scale;
		s->n = 1;
	}
}

static int
apply_median(struct agg *a, uint32_t gid, uint32_t op, struct st_list *s,
    const struct agg_in *in)
{
	struct agg_val v = { in->d.mant, in->d.scale, gid, op };

	if (!a->c.merge) {
		s->n += !in->null;
		return in->null ? 0 : push(&a->val, &a->nval, &a->vcap, &v, sizeof v);
	}
	for (size_t j = in->lo; j < in->hi; j++) {
		v = a->lval[j];
		v.gid = gid;
		v.op = op;
		if (push(&a->val, &a->nval, &a->vcap, &v, sizeof v) < 0)
			return -1;
	}
	s->n += in->hi - in->lo;
	return 0;
}

/* Count text t of group gid's operation op once; link it to the group. */
static int
see(struct agg *a, uint32_t gid, uint32_t op, struct st_list *s,
    const char *t, size_t len, struct wy_err *e)
{
	uint32_t id;
	int r;

	if (room(&a->kbuf, &a->kcap, 8 + len, e) < 0)
		return -1;
	memcpy(a->kbuf, &gid, 4);
	memcpy(a->kbuf + 4, &op, 4);
	memcpy(a->kbuf + 8, t, len);
	r = hash_put(&a->seen, a->kbuf, 8 + len, hash_bytes(a->kbuf, 8 + len), &id, e);
	if (r <= 0)
		return r;
	if (id >= a->seen_cap) {
		size_t ncap = a->seen_cap ? 2 * a->seen_cap : 64;
		uint32_t *nn = realloc(a->seen_next, ncap * sizeof *nn);

		if (nn == NULL)
			return wy_errf(e, WY_EXIT_IO, "out of memory");
		a->seen_next = nn;
		a->seen_cap = ncap;
	}
	a->seen_next[id] = UINT32_MAX;
	if (s->n++ == 0)
		s->head = id;
	else
		a->seen_next[s->tail] = id;
	s->tail = id;
	return 0;
}

static int
apply_distinct(struct agg *a, uint32_t gid, uint32_t op, struct st_list *s,
    const struct agg_in *in, struct wy_err *e)
{
	if (!a->c.merge)
		return in->null ? 0 : see(a, gid, op, s, in->p, in->len, e);
	for (size_t j = in->lo; j < in->hi; j++)
		if (see(a, gid, op, s, a->lfld[j].p, a->lfld[j].len, e) < 0)
			return -1;
	return 0;
}

static int
apply_text(struct st_text *s, const struct agg_in *in, int first,
    struct wy_err *e)
{
	if (in->null || (first && s->has))
		return 0;
	if (in->len > s->cap) {
		size_t ncap = in->len > 2 * (size_t)s->cap ? in->len : 2 * (size_t)s->cap;
		char *np = realloc(s->p, ncap);

		if (np == NULL)
			return wy_errf(e, WY_EXIT_IO, "out of memory");
		s->p = np;
		s->cap = (uint32_t)ncap;
	}
	if (in->len > 0)
		memcpy(s->p, in->p, in->len);
	s->len = (uint32_t)in->len;
	s->has = 1;
	return 0;
}

/* Add the inputs to group gid: 0, or -1 with e set. */
static int
apply(struct agg *a, uint32_t gid, const char *where, long line,
    struct wy_err *e)
{
	for (uint32_t i = 0; i < a->nop; i++) {
		const struct agg_op *op = &a->op[i];
		const struct agg_in *in = &a->in[i];
		void *s = state_of(a, gid, op);
		int rc = 0;

		switch (op->kind) {
		case AGG_COUNT:
			if (__builtin_add_overflow(((struct st_count *)s)->n, in->n,
			    &((struct st_count *)s)->n))
				rc = OVER64;
			break;
		case AGG_SUM:
		case AGG_MEAN: rc = apply_sum(s, in); break;
		case AGG_MIN: apply_extreme(s, in, 0); break;
		case AGG_MAX: apply_extreme(s, in, 1); break;
		case AGG_MEDIAN:
			if (apply_median(a, gid, i, s, in) < 0)
				return wy_errf(e, WY_EXIT_IO, "out of memory");
			break;
		case AGG_DISTINCT: rc = apply_distinct(a, gid, i, s, in, e); break;
		case AGG_FIRST: rc = apply_text(s, in, 1, e); break;
		case AGG_LAST: rc = apply_text(s, in, 0, e); break;
		}
		if (rc > 0)
			return overflow(a, gid, op, rc, where, line, e);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int
agg_add(struct agg *a, const struct rec *row, const char *name,
    char *why, size_t whysz, struct wy_err *e)
{
	uint32_t gid;
	int st;

	why[0] = '\0';
	if (row->nf != a->ncols) {
		snprintf(why, whysz, "row has %zu field%s, header has %zu", row->nf,
		    row->nf == 1 ? "" : "s", a->ncols);
		return 1;
	}
	if (a->c.merge) {
		if ((st = read_partial(a, row, why, whysz, e)) != 0)
			return st;
	} else {
		if (read_numbers(a, row, why, whysz))
			return 1;
		fill_data(a, row);
	}
	if (find_group(a, row, &gid, e) < 0)
		return -1;
	return apply(a, gid, name, row->line, e);
}

int
agg_finish(struct agg *a, struct wy_err *e)
{
	uint32_t gid;

	if (a->c.nkeys == 0 && a->group.n == 0 &&
	    (hash_put(&a->group, "", 0, hash_bytes("", 0), &gid, e) < 0 ||
	    new_group(a, gid, e) < 0))
		return -1;
	if (a->c.sorted)
		return a->group.n > 0 ? end_group(a, e) : 0;
	return finish_values(a, e);
}

size_t
agg_ngroups(const struct agg *a)
{
	return a->group.n;
}

struct keyref {
	const char *p;
	size_t len;
	uint32_t id;
};

static int
cmp_keyref(const void *x, const void *y)
{
	const struct keyref *a = x, *b = y;
	int c = memcmp(a->p, b->p, a->len < b->len ? a->len : b->len);

	if (c != 0)
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

/* ids[0..m->n) = the keys of m in first-seen order, or bytewise with sort. */
static int
key_order(const struct hash_map *m, int sort, uint32_t *ids, struct wy_err *e)
{
	struct keyref *r;

	for (size_t i = 0; i < m->n; i++)
		ids[i] = (uint32_t)i;
	if (!sort || m->n < 2)
		return 0;
	if ((r = malloc(m->n * sizeof *r)) == NULL)
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	for (size_t i = 0; i < m->n; i++) {
		r[i].p = hash_get(m, (uint32_t)i, &r[i].len);
		r[i].id = (uint32_t)i;
	}
	qsort(r, m->n, sizeof *r, cmp_keyref);
	for (size_t i = 0; i < m->n; i++)
		ids[i] = r[i].id;
	free(r);
	return 0;
}

int
agg_order(struct agg *a, int sort, uint32_t **ids, struct wy_err *e)
{
	if ((*ids = malloc((a->group.n + 1) * sizeof **ids)) == NULL)
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	if (key_order(&a->group, sort, *ids, e) < 0) {
		free(*ids);
		*ids = NULL;
		return -1;
	}
	return 0;
}

static void
put_name(struct tsv_writer *w, const char *name, const char *suffix)
{
	char buf[WY_ERRMAX];
	int n = snprintf(buf, sizeof buf, "%s%s", name, suffix);

	tsv_put(w, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

void
agg_put_header(const struct agg *a, struct tsv_writer *w)
{
	for (size_t i = 0; i < a->c.nkeys; i++)
		tsv_put(w, a->keyname[i], strlen(a->keyname[i]));
	for (size_t i = 0; i < a->nop; i++) {
		const struct agg_op *op = &a->op[i];

		if (!a->c.partial) {
			tsv_put(w, op->name, strlen(op->name));
			continue;
		}
		for (size_t part = 0; part < nstates(op->kind); part++)
			put_name(w, op->name, state_suffix(op->kind, part));
	}
}

/* The first nf key fields of k. */
static int
put_keys(struct agg *a, const char *k, size_t klen, size_t nf,
    struct tsv_writer *w, struct wy_err *e)
{
	size_t pos = 0;
	struct fld f;

	for (size_t i = 0; i < nf; i++) {
		if (key_field(a, k, klen, &pos, &f, e) < 0)
			return -1;
		tsv_put_fld(w, &f);
	}
	return 0;
}

/* v in decimal at the end of buf[24]; returns where it starts. */
static char *
u64_text(uint64_t v, char *end)
{
	do
		*--end = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	return end;
}

static void
put_u64(struct tsv_writer *w, uint64_t v)
{
	char buf[24], *p = u64_text(v, buf + sizeof buf);

	tsv_put(w, p, (size_t)(buf + sizeof buf - p));
}

static void
put_dec(struct tsv_writer *w, dec_i128 mant, int scale)
{
	char buf[DEC_STRMAX], *p;
	struct dec d = { mant, scale };

	if (scale != 0 || mant < INT64_MIN || mant > INT64_MAX) {
		tsv_put(w, buf, dec_format(d, buf));
		return;
	}
	/* most sums: whole and within 64 bits, without 128-bit divisions */
	p = u64_text(mant < 0 ? -(uint64_t)mant : (uint64_t)mant, buf + 24);
	if (mant < 0)
		*--p = '-';
	tsv_put(w, p, (size_t)(buf + 24 - p));
}

/* sum / n rounded half-even to scale digits, all of them written. */
static int
put_mean(struct agg *a, const struct st_num *s, struct tsv_writer *w)
{
	char buf[DEC_STRMAX + DEC_MAXSCALE];
	struct dec sum = { s->mant, s->scale }, n = { (dec_i128)s->n, 0 }, q;
	size_t len;
	char *point;
	int have;

	if (dec_div(sum, n, a->c.scale, DEC_ROUND_HALF_EVEN, &q) != 0)
		return 1;
	len = dec_format(q, buf);
	point = strchr(buf, '.');
	have = point ? (int)(buf + len - point - 1) : 0;
	if (a->c.scale > 0 && point == NULL)
		buf[len++] = '.';
	for (; have < a->c.scale; have++)
		buf[len++] = '0';
	tsv_put(w, buf, len);
	return 0;
}

/* The middle of n sorted numbers v[0..n), or the mean of the two middle ones. */
static int
put_median(const struct agg_val *v, uint64_t n, struct tsv_writer *w)
{
	const struct agg_val *m = &v[(n - 1) / 2];
	struct dec x = { m->mant, m->scale }, y, sum, two = { 2, 0 }, half;

	if (n % 2 == 1) {
		put_dec(w, x.mant, x.scale);
		return 0;
	}
	y.mant = m[1].mant;
	y.scale = m[1].scale;
	if (dec_add(x, y, &sum) != 0 || sum.scale >= DEC_MAXSCALE ||
	    dec_div(sum, two, sum.scale + 1, DEC_ROUND_NONE, &half) != 0)
		return 1;
	put_dec(w, half.mant, half.scale);
	return 0;
}

/* Operation i's result for group gid; *vpos walks the group's numbers. */
static int
put_result(struct agg *a, uint32_t gid, size_t i, size_t *vpos,
    struct tsv_writer *w)
{
	const struct agg_op *op = &a->op[i];
	const void *s = state_of(a, gid, op);
	const struct st_num *num = s;
	const struct st_list *list = s;
	const struct st_text *text = s;
	int rc = 0;

	switch (op->kind) {
	case AGG_COUNT: put_u64(w, ((const struct st_count *)s)->n); return 0;
	case AGG_DISTINCT: put_u64(w, list->n); return 0;
	case AGG_FIRST:
	case AGG_LAST:
		if (text->has)
			tsv_put(w, text->p != NULL ? text->p : "", text->len);
		else
			tsv_put_null(w);
		return 0;
	case AGG_MEDIAN:
		if (list->n == 0)
			tsv_put_null(w);
		else
			rc = put_median(a->val + *vpos, list->n, w);
		*vpos += list->n;
		return rc;
	default:
		break;
	}
	if (num->n == 0)
		tsv_put_null(w);
	else if (op->kind == AGG_MEAN)
		return put_mean(a, num, w);
	else
		put_dec(w, num->mant, num->scale);
	return 0;
}

/* Make room for n more bytes of a list in a->tbuf (used bytes so far). */
static int
list_room(struct agg *a, size_t used, size_t n, struct wy_err *e)
{
	if (used + n <= a->tcap)
		return 0;
	return wy_grow(&a->tbuf, &a->tcap, used + n, TSV_MAXREC, e);
}

/* median's list: its numbers, separated by spaces. */
static int
put_numbers(struct agg *a, const struct agg_val *v, uint64_t n,
    struct tsv_writer *w, struct wy_err *e)
{
	size_t used = 0;

	for (uint64_t j = 0; j < n; j++) {
		struct dec d = { v[j].mant, v[j].scale };

		if (list_room(a, used, DEC_STRMAX + 1, e) < 0)
			return -1;
		if (j > 0)
			a->tbuf[used++] = ' ';
		used += dec_format(d, a->tbuf + used);
	}
	tsv_put(w, a->tbuf != NULL ? a->tbuf : "", used);
	return 0;
}

/* distinct's list: LENGTH:TEXT, separated by spaces. */
static int
put_texts(struct agg *a, const struct st_list *s, struct tsv_writer *w,
    struct wy_err *e)
{
	size_t used = 0, len;
	uint32_t id = s->head;

	for (uint64_t j = 0; j < s->n; j++, id = a->seen_next[id]) {
		const char *t = hash_get(&a->seen, id, &len);

		if (list_room(a, used, len + 24, e) < 0)
			return -1;
		used += (size_t)sprintf(a->tbuf + used, "%s%zu:", j ? " " : "", len - 8);
		memcpy(a->tbuf + used, t + 8, len - 8);
		used += len - 8;
	}
	tsv_put(w, a->tbuf != NULL ? a->tbuf : "", used);
	return 0;
}

/* Operation i's state columns for group gid (--partial). */
static int
put_state(struct agg *a, uint32_t gid, size_t i, size_t *vpos,
    struct tsv_writer *w, struct wy_err *e)
{
	const struct agg_op *op = &a->op[i];
	const void *s = state_of(a, gid, op);
	const struct st_num *num = s;
	const struct st_list *list = s;
	int rc;

	switch (op->kind) {
	case AGG_MEDIAN:
		rc = put_numbers(a, list->n ? a->val + *vpos : NULL, list->n, w, e);
		*vpos += list->n;
		return rc;
	case AGG_DISTINCT:
		return put_texts(a, list, w, e);
	case AGG_SUM:
	case AGG_MIN:
	case AGG_MAX:
	case AGG_MEAN:
		if (num->n == 0)
			tsv_put_null(w);
		else
			put_dec(w, num->mant, num->scale);
		if (op->kind == AGG_MEAN)
			put_u64(w, num->n);
		return 0;
	default:
		return put_result(a, gid, i, vpos, w);
	}
}

/* Group gid's results (or states) after its keys. */
static int
put_values(struct agg *a, uint32_t gid, struct tsv_writer *w, struct wy_err *e)
{
	size_t vpos = a->vstart[gid];
	char grp[WY_ERRMAX / 2];

	for (size_t i = 0; i < a->nop; i++) {
		int rc = a->c.partial ? put_state(a, gid, i, &vpos, w, e) :
		    put_result(a, gid, i, &vpos, w);

		if (rc > 0)
			return overflow(a, gid, &a->op[i], OVER128, NULL, 0, e);
		if (rc < 0) {
			group_text(a, gid, grp, sizeof grp);
			if (e->exit == WY_EXIT_DATA)
				return wy_errf(e, WY_EXIT_DATA, "%sthe list of %s is longer "
				    "than %u bytes, the limit of a record", grp,
				    a->op[i].name, TSV_MAXREC);
			return -1;
		}
	}
	return 0;
}

int
agg_put_group(struct agg *a, uint32_t gid, struct tsv_writer *w,
    struct wy_err *e)
{
	size_t klen;
	const char *k = hash_get(&a->group, gid, &klen);

	if (put_keys(a, k, klen, a->c.nkeys, w, e) < 0)
		return -1;
	return put_values(a, gid, w, e);
}

/* rank[id] = the place of each key of m in first-seen or bytewise order. */
static int
ranks(const struct hash_map *m, int sort, uint32_t **byrank, uint32_t **rank,
    struct wy_err *e)
{
	*byrank = malloc((m->n + 1) * sizeof **byrank);
	*rank = malloc((m->n + 1) * sizeof **rank);
	if (*byrank == NULL || *rank == NULL)
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	if (key_order(m, sort, *byrank, e) < 0)
		return -1;
	for (size_t r = 0; r < m->n; r++)
		(*rank)[(*byrank)[r]] = (uint32_t)r;
	return 0;
}

struct cell {
	uint32_t row, col, gid;
};

static int
cmp_cell(const void *x, const void *y)
{
	const struct cell *a = x, *b = y;

	if (a->row != b->row)
		return a->row < b->row ? -1 : 1;
	return a->col < b->col ? -1 : a->col > b->col;
}

/* Each group's row (other keys) and column (pivot value), as ranks. */
static int
pivot_cells(struct agg *a, struct cell *cell, struct wy_err *e)
{
	for (uint32_t g = 0; g < a->group.n; g++) {
		size_t klen, split;
		const char *k = hash_get(&a->group, g, &klen);

		split = key_skip(k, klen, a->c.nkeys - 1);
		cell[g].gid = g;
		if (hash_put(&a->prow, k, split, hash_bytes(k, split), &cell[g].row,
		    e) < 0 || hash_put(&a->pcol, k + split, klen - split,
		    hash_bytes(k + split, klen - split), &cell[g].col, e) < 0)
			return -1;
	}
	return 0;
}

int
agg_pivot(struct agg *a, int sort, size_t *nrows, struct wy_err *e)
{
	size_t n = a->group.n;
	uint32_t *rowbyrank = NULL, *rowrank = NULL, *colrank = NULL;
	struct cell *cell = malloc((n + 1) * sizeof *cell);
	int rc = -1;

	a->order = malloc((n + 1) * sizeof *a->order);
	a->ordcol = malloc((n + 1) * sizeof *a->ordcol);
	if (cell == NULL || a->order == NULL || a->ordcol == NULL) {
		wy_errf(e, WY_EXIT_IO, "out of memory");
		goto out;
	}
	if (pivot_cells(a, cell, e) < 0 ||
	    ranks(&a->prow, sort, &rowbyrank, &rowrank, e) < 0 ||
	    ranks(&a->pcol, sort, &a->colbyrank, &colrank, e) < 0)
		goto out;
	a->nprow = a->prow.n;
	a->npcol = a->pcol.n;
	if ((a->prowstart = calloc(a->nprow + 1, sizeof *a->prowstart)) == NULL) {
		wy_errf(e, WY_EXIT_IO, "out of memory");
		goto out;
	}
	for (size_t g = 0; g < n; g++) {
		cell[g].row = rowrank[cell[g].row];
		cell[g].col = colrank[cell[g].col];
	}
	qsort(cell, n, sizeof *cell, cmp_cell);
	for (size_t j = 0; j < n; j++) {
		a->order[j] = cell[j].gid;
		a->ordcol[j] = cell[j].col;
		a->prowstart[cell[j].row + 1] = j + 1;
	}
	*nrows = a->nprow;
	rc = 0;
out:
	free(cell);
	free(rowbyrank);
	free(rowrank);
	free(colrank);
	return rc;
}

int
agg_put_pivot_header(struct agg *a, struct tsv_writer *w, struct wy_err *e)
{
	char buf[WY_ERRMAX];

	for (size_t i = 0; i + 1 < a->c.nkeys; i++)
		tsv_put(w, a->keyname[i], strlen(a->keyname[i]));
	for (size_t c = 0; c < a->npcol; c++) {
		size_t klen, pos = 0;
		const char *k = hash_get(&a->pcol, a->colbyrank[c], &klen);
		struct fld f;

		if (key_field(a, k, klen, &pos, &f, e) < 0)
			return -1;
		if (a->nop == 1) {
			tsv_put_fld(w, &f);
			continue;
		}
		for (size_t i = 0; i < a->nop; i++) {
			int n = snprintf(buf, sizeof buf, "%.*s_%s", FLDARG(&f),
			    a->op[i].name);

			tsv_put(w, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
		}
	}
	return 0;
}

int
agg_put_pivot_row(struct agg *a, size_t row, struct tsv_writer *w,
    struct wy_err *e)
{
	size_t j = a->prowstart[row], end = a->prowstart[row + 1], klen;
	const char *k = hash_get(&a->group, a->order[j], &klen);

	if (put_keys(a, k, klen, a->c.nkeys - 1, w, e) < 0)
		return -1;
	for (size_t c = 0; c < a->npcol; c++) {
		if (j < end && a->ordcol[j] == c) {
			if (put_values(a, a->order[j++], w, e) < 0)
				return -1;
			continue;
		}
		for (size_t i = 0; i < a->nop; i++)
			tsv_put_null(w);
	}
	return 0;
}

void
agg_free(struct agg *a)
{
	for (uint32_t g = 0; a->state != NULL && g < a->group.n; g++)
		free_texts(a, g);
	for (size_t i = 0; a->keyname != NULL && i < a->c.nkeys; i++)
		free(a->keyname[i]);
	for (size_t i = 0; i < a->nop; i++) {
		free(a->op[i].name);
		a->op[i].name = NULL;
	}
	for (size_t s = 0; a->slotname != NULL && s < a->nslot; s++)
		free(a->slotname[s]);
	hash_free(&a->group);
	hash_free(&a->seen);
	hash_free(&a->prow);
	hash_free(&a->pcol);
	free(a->keyname);
	free(a->mkeys);
	free(a->state);
	free(a->kbuf);
	free(a->tbuf);
	free(a->slotcol);
	free(a->slotname);
	free(a->num);
	free(a->in);
	free(a->val);
	free(a->vstart);
	free(a->seen_next);
	free(a->lval);
	free(a->lfld);
	free(a->order);
	free(a->ordcol);
	free(a->colbyrank);
	free(a->prowstart);
	memset(a, 0, sizeof *a);
}
