#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rule.h"

enum op {
	OP_CONST, OP_NAME, OP_NEG, OP_ADD, OP_SUB, OP_MUL,
	OP_LT, OP_LE, OP_EQ, OP_NE, OP_GE, OP_GT, OP_AND, OP_OR
};

enum tok {
	T_END, T_NUM, T_NAME, T_LPAREN, T_RPAREN, T_PLUS, T_MINUS, T_STAR,
	T_CMP, T_AND, T_OR
};

/* A value on the stack: NULL, int64, decimal, or truth (0, 1, 2 unknown). */
enum { S_NULL, S_INT, S_DEC, S_BOOL };

struct slot {
	int kind;
	int64_t i;
	struct dec d;
};

struct ins {
	enum op op;
	size_t arg; /* OP_CONST: index into consts; OP_NAME: name number */
};

struct name {
	char *s;
	size_t len;
};

struct rule {
	struct ins *prog;
	size_t nprog;
	struct slot *consts, *stack;
	size_t nconst;
	struct name *names;
	size_t nnames;
};

/* The types a parse function returns. */
enum { TY_NUM, TY_BOOL };

struct parser {
	const char *s;
	size_t n, pos;
	/* the current token */
	enum tok tok;
	enum op cmp;	    /* T_CMP: which */
	size_t start, len; /* its bytes */
	struct rule *r;
	int depth, sp, maxsp;
	struct wy_err *e;
};

/* 1-based column, in characters, of byte offset off. */
static long
column(const char *s, size_t off)
{
	long col = 1;

	for (size_t i = 0; i < off; i++)
		col += ((unsigned char)s[i] & 0xc0) != 0x80;
	return col;
}

/* "column C: why" at byte offset off; returns -1. */
static int
fail(struct parser *p, size_t off, const char *fmt, const char *arg)
{
	char why[WY_ERRMAX / 2];

	snprintf(why, sizeof why, fmt, arg);
	return wy_errf(p->e, WY_EXIT_USAGE, "column %ld: %s", column(p->s, off),
	    why);
}

/* The current token, for messages: "\"==\"" or "the end". */
static const char *
shown(struct parser *p, char *buf, size_t bufsz)
{
	if (p->tok == T_END)
		return "the end";
	snprintf(buf, bufsz, "\"%.*s\"", (int)(p->len > 40 ? 40 : p->len),
	    p->s + p->start);
	return buf;
}

static int
expected(struct parser *p, const char *what)
{
	char buf[64], msg[128];

	snprintf(msg, sizeof msg, "expected %s, found %%s", what);
	return fail(p, p->start, msg, shown(p, buf, sizeof buf));
}

/* Length of U+3000 at s[i], or 0. */
static size_t
ideo_space(const char *s, size_t n, size_t i)
{
	return n - i >= 3 && memcmp(s + i, "\xe3\x80\x80", 3) == 0 ? 3 : 0;
}

static int
name_byte(const char *s, size_t n, size_t i, int first)
{
	unsigned char c = s[i];

	if (c >= 0x80)
		return ideo_space(s, n, i) == 0;
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (!first && c >= '0' && c <= '9');
}

static void
lex_word(struct parser *p)
{
	size_t i = p->pos;

	while (i < p->n && name_byte(p->s, p->n, i, 0))
		i++;
	p->len = i - p->start;
	p->tok = T_NAME;
	if (p->len == 3 && strncasecmp(p->s + p->start, "and", 3) == 0)
		p->tok = T_AND;
	else if (p->len == 2 && strncasecmp(p->s + p->start, "or", 2) == 0)
		p->tok = T_OR;
	p->pos = i;
}

static int
lex_quoted(struct parser *p)
{
	size_t i = p->pos + 1;

	for (;;) {
		if (i == p->n)
			return fail(p, p->start, "%s", "unterminated quoted name");
		if (p->s[i] == '"' && (i + 1 == p->n || p->s[i + 1] != '"'))
			break;
		i += p->s[i] == '"' ? 2 : 1;
	}
	p->pos = i + 1;
	p->len = p->pos - p->start;
	if (p->len == 2)
		return fail(p, p->start, "%s", "empty quoted name");
	p->tok = T_NAME;
	return 0;
}

/* Two-character operators first, then one-character ones. */
static int
lex_op(struct parser *p)
{
	static const struct {
		const char *text;
		enum tok tok;
		enum op cmp;
	} ops[] = {
		{ "<=", T_CMP, OP_LE }, { ">=", T_CMP, OP_GE }, { "==", T_CMP, OP_EQ },
		{ "!=", T_CMP, OP_NE }, { "<>", T_CMP, OP_NE }, { "<", T_CMP, OP_LT },
		{ ">", T_CMP, OP_GT }, { "=", T_CMP, OP_EQ }, { "+", T_PLUS, 0 },
		{ "-", T_MINUS, 0 }, { "*", T_STAR, 0 }, { "(", T_LPAREN, 0 },
		{ ")", T_RPAREN, 0 },
	};

	for (size_t k = 0; k < sizeof ops / sizeof *ops; k++) {
		size_t len = strlen(ops[k].text);

		if (p->n - p->pos >= len && memcmp(p->s + p->pos, ops[k].text, len) == 0) {
			p->tok = ops[k].tok;
			p->cmp = ops[k].cmp;
			p->len = len;
			p->pos += len;
			return 0;
		}
	}
	return fail(p, p->start, "unexpected \"%.1s\"", p->s + p->start);
}

/* The next token into p. */
static int
next(struct parser *p)
{
	size_t sp;

	while (p->pos < p->n) {
		if (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
		    p->s[p->pos] == '\n' || p->s[p->pos] == '\r')
			p->pos++;
		else if ((sp = ideo_space(p->s, p->n, p->pos)) > 0)
			p->pos += sp;
		else
			break;
	}
	p->start = p->pos;
	if (p->pos == p->n) {
		p->tok = T_END;
		p->len = 0;
		return 0;
	}
	if (p->s[p->pos] >= '0' && p->s[p->pos] <= '9') {
		while (p->pos < p->n && ((p->s[p->pos] >= '0' && p->s[p->pos] <= '9') ||
		    p->s[p->pos] == '.'))
			p->pos++;
		p->len = p->pos - p->start;
		p->tok = T_NUM;
		return 0;
	}
	if (name_byte(p->s, p->n, p->pos, 1)) {
		lex_word(p);
		return 0;
	}
	if (p->s[p->pos] == '"')
		return lex_quoted(p);
	return lex_op(p);
}

static int
emit(struct parser *p, enum op op, size_t arg)
{
	p->r->prog[p->r->nprog].op = op;
	p->r->prog[p->r->nprog].arg = arg;
	p->r->nprog++;
	if (op == OP_CONST || op == OP_NAME)
		p->sp++;
	else if (op != OP_NEG)
		p->sp--;
	if (p->sp > p->maxsp)
		p->maxsp = p->sp;
	return 0;
}

static int
emit_number(struct parser *p)
{
	struct slot *c = &p->r->consts[p->r->nconst];
	int rc = dec_parse(p->s + p->start, p->len, &c->d);
	char buf[64];

	if (rc != 0)
		return fail(p, p->start, rc == DEC_EOVERFLOW ?
		    "too many digits in %s" : "not a number: %s",
		    shown(p, buf, sizeof buf));
	c->kind = S_DEC;
	if (c->d.scale == 0 && c->d.mant <= INT64_MAX && c->d.mant >= INT64_MIN) {
		c->kind = S_INT;
		c->i = (int64_t)c->d.mant;
	}
	return emit(p, OP_CONST, p->r->nconst++);
}

/* The name of the current token (unquoted), interned. */
static int
emit_name(struct parser *p)
{
	const char *t = p->s + p->start;
	size_t len = p->len, k;
	struct name *nm;
	char *s;

	if ((s = malloc(len + 1)) == NULL)
		return wy_errf(p->e, WY_EXIT_IO, "out of memory");
	if (t[0] == '"') {
		size_t w = 0;

		for (size_t i = 1; i + 1 < len; i++) {
			s[w++] = t[i];
			i += t[i] == '"';
		}
		len = w;
	} else {
		memcpy(s, t, len);
	}
	s[len] = '\0';
	for (k = 0; k < p->r->nnames; k++)
		if (p->r->names[k].len == len && memcmp(p->r->names[k].s, s, len) == 0)
			break;
	nm = &p->r->names[k];
	if (k < p->r->nnames) {
		free(s);
	} else {
		nm->s = s;
		nm->len = len;
		p->r->nnames++;
	}
	return emit(p, OP_NAME, k);
}

static int p_or(struct parser *p, int *ty);

static int
p_atom(struct parser *p, int *ty)
{
	size_t open = p->start;

	*ty = TY_NUM;
	switch (p->tok) {
	case T_NUM:
		if (emit_number(p) < 0)
			return -1;
		return next(p);
	case T_NAME:
		if (emit_name(p) < 0)
			return -1;
		return next(p);
	case T_LPAREN:
		if (++p->depth > RULE_MAXDEPTH)
			return fail(p, open, "more than %s nested parentheses", "64");
		if (next(p) < 0 || p_or(p, ty) < 0)
			return -1;
		if (p->tok != T_RPAREN)
			return expected(p, "\")\"");
		p->depth--;
		return next(p);
	default:
		return expected(p, "a field name or a number");
	}
}

static int
p_unary(struct parser *p, int *ty)
{
	size_t at = p->start;

	if (p->tok != T_MINUS)
		return p_atom(p, ty);
	if (++p->depth > RULE_MAXDEPTH)
		return fail(p, at, "more than %s nested minus signs", "64");
	if (next(p) < 0 || p_unary(p, ty) < 0)
		return -1;
	if (*ty != TY_NUM)
		return fail(p, at, "%s", "minus before a comparison");
	p->depth--;
	return emit(p, OP_NEG, 0);
}

/*
 * sub, then any number of (t1 or t2, sub), left-associative; each operand
 * must be of type want.
 */
static int
chain(struct parser *p, int *ty, int (*sub)(struct parser *, int *),
    enum tok t1, enum tok t2, int want)
{
	size_t at = p->start;
	int rty;

	if (sub(p, ty) < 0)
		return -1;
	while (p->tok == t1 || p->tok == t2) {
		enum tok t = p->tok;
		enum op op = t == T_PLUS ? OP_ADD : t == T_MINUS ? OP_SUB :
		    t == T_STAR ? OP_MUL : t == T_AND ? OP_AND : OP_OR;
		char what[64];

		snprintf(what, sizeof what, "%s before \"%.*s\"",
		    want == TY_NUM ? "a number, not a comparison," : "a comparison",
		    (int)p->len, p->s + p->start);
		if (*ty != want)
			return fail(p, at, "expected %s", what);
		if (next(p) < 0)
			return -1;
		at = p->start;
		if (sub(p, &rty) < 0)
			return -1;
		if (rty != want)
			return fail(p, at, "expected %s", want == TY_NUM ?
			    "a number, not a comparison" : "a comparison");
		emit(p, op, 0);
	}
	return 0;
}

static int
p_prod(struct parser *p, int *ty)
{
	return chain(p, ty, p_unary, T_STAR, T_STAR, TY_NUM);
}

static int
p_sum(struct parser *p, int *ty)
{
	return chain(p, ty, p_prod, T_PLUS, T_MINUS, TY_NUM);
}

static int
p_cmp(struct parser *p, int *ty)
{
	size_t at = p->start;
	enum op op;
	int rty;

	if (p_sum(p, ty) < 0)
		return -1;
	if (p->tok != T_CMP)
		return 0;
	op = p->cmp;
	if (*ty != TY_NUM)
		return fail(p, at, "%s", "a comparison cannot be compared");
	if (next(p) < 0)
		return -1;
	at = p->start;
	if (p_sum(p, &rty) < 0)
		return -1;
	if (rty != TY_NUM)
		return fail(p, at, "%s", "a comparison cannot be compared");
	if (p->tok == T_CMP)
		return fail(p, p->start, "%s", "comparisons do not chain: use and");
	*ty = TY_BOOL;
	return emit(p, op, 0);
}

static int
p_and(struct parser *p, int *ty)
{
	return chain(p, ty, p_cmp, T_AND, T_AND, TY_BOOL);
}

static int
p_or(struct parser *p, int *ty)
{
	return chain(p, ty, p_and, T_OR, T_OR, TY_BOOL);
}

static int
alloc_rule(struct rule *r, size_t n, struct wy_err *e)
{
	/* every token adds at most one instruction, constant or name */
	size_t max = n + 1;

	r->prog = calloc(max, sizeof *r->prog);
	r->consts = calloc(max, sizeof *r->consts);
	r->names = calloc(max, sizeof *r->names);
	if (r->prog == NULL || r->consts == NULL || r->names == NULL)
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	return 0;
}

int
rule_parse(const char *s, size_t n, struct rule **out, struct wy_err *e)
{
	struct parser p = { .s = s, .n = n, .e = e };
	struct rule *r;
	int ty;

	*out = NULL;
	if (n > RULE_MAXLEN)
		return wy_errf(e, WY_EXIT_USAGE, "longer than %d bytes", RULE_MAXLEN);
	if ((r = calloc(1, sizeof *r)) == NULL)
		return wy_errf(e, WY_EXIT_IO, "out of memory");
	p.r = r;
	if (alloc_rule(r, n, e) < 0 || next(&p) < 0 || p_or(&p, &ty) < 0)
		goto bad;
	if (p.tok != T_END) {
		expected(&p, "an operator");
		goto bad;
	}
	if (ty != TY_BOOL) {
		fail(&p, 0, "%s", "not a comparison: a rule is true or false, as a <= b");
		goto bad;
	}
	if ((r->stack = calloc(p.maxsp + 1, sizeof *r->stack)) == NULL) {
		wy_errf(e, WY_EXIT_IO, "out of memory");
		goto bad;
	}
	*out = r;
	return 0;
bad:
	rule_free(r);
	return -1;
}

size_t
rule_nnames(const struct rule *r)
{
	return r->nnames;
}

const char *
rule_name(const struct rule *r, size_t k, size_t *len)
{
	*len = r->names[k].len;
	return r->names[k].s;
}

void
rule_free(struct rule *r)
{
	if (r == NULL)
		return;
	for (size_t k = 0; k < r->nnames; k++)
		free(r->names[k].s);
	free(r->names);
	free(r->prog);
	free(r->consts);
	free(r->stack);
	free(r);
}

static struct dec
to_dec(const struct slot *a)
{
	struct dec d = { a->i, 0 };

	return a->kind == S_DEC ? a->d : d;
}

/*
 * a op b when both mantissas fit int64 and the scales are close: then the
 * exact result fits 128 bits and dec's division-checked path is not needed.
 * 0, or -1 to take that path.
 */
static int
arith_small(struct dec x, struct dec y, enum op op, struct dec *r)
{
	static const int64_t p10[19] = { 1, 10, 100, 1000, 10000, 100000, 1000000,
		10000000, 100000000, 1000000000, 10000000000, 100000000000,
		1000000000000, 10000000000000, 100000000000000, 1000000000000000,
		10000000000000000, 100000000000000000, 1000000000000000000 };
	dec_i128 big = (dec_i128)1 << 63;
	int diff = x.scale - y.scale;

	if (x.mant >= big || x.mant <= -big || y.mant >= big || y.mant <= -big)
		return -1;
	if (op == OP_MUL) {
		if (x.scale + y.scale > DEC_MAXSCALE)
			return -1;
		r->mant = x.mant * y.mant;
		r->scale = x.scale + y.scale;
		return 0;
	}
	if (diff > 18 || diff < -18)
		return -1;
	if (diff > 0)
		y.mant *= p10[diff];
	else
		x.mant *= p10[-diff];
	r->mant = op == OP_ADD ? x.mant + y.mant : x.mant - y.mant;
	r->scale = diff > 0 ? x.scale : y.scale;
	return 0;
}

/* a = a op b, exactly; -1 on overflow. */
static int
arith(struct slot *a, const struct slot *b, enum op op)
{
	struct dec r;
	int64_t i;
	int rc;

	if (a->kind == S_NULL || b->kind == S_NULL) {
		a->kind = S_NULL;
		return 0;
	}
	if (a->kind == S_INT && b->kind == S_INT) {
		rc = op == OP_ADD ? __builtin_add_overflow(a->i, b->i, &i) :
		    op == OP_SUB ? __builtin_sub_overflow(a->i, b->i, &i) :
		    __builtin_mul_overflow(a->i, b->i, &i);
		if (!rc) {
			a->i = i;
			return 0;
		}
	}
	if (arith_small(to_dec(a), to_dec(b), op, &r) < 0) {
		rc = op == OP_ADD ? dec_add(to_dec(a), to_dec(b), &r) :
		    op == OP_SUB ? dec_sub(to_dec(a), to_dec(b), &r) :
		    dec_mul(to_dec(a), to_dec(b), &r);
		if (rc != 0)
			return -1;
	}
	a->kind = S_DEC;
	a->d = r;
	return 0;
}

static void
negate(struct slot *a)
{
	if (a->kind == S_INT && a->i != INT64_MIN) {
		a->i = -a->i;
	} else if (a->kind != S_NULL) {
		a->d = to_dec(a);
		a->d.mant = -a->d.mant; /* |mant| < 2^127: always safe */
		a->kind = S_DEC;
	}
}

/* Three-valued comparison into a: 0 false, 1 true, 2 unknown. */
static void
compare(struct slot *a, const struct slot *b, enum op op)
{
	int c;

	if (a->kind == S_NULL || b->kind == S_NULL) {
		a->kind = S_BOOL;
		a->i = RULE_UNKNOWN;
		return;
	}
	if (a->kind == S_INT && b->kind == S_INT)
		c = (a->i > b->i) - (a->i < b->i);
	else
		c = value_dec_cmp(to_dec(a), to_dec(b));
	a->kind = S_BOOL;
	a->i = op == OP_LT ? c < 0 : op == OP_LE ? c <= 0 : op == OP_EQ ? c == 0 :
	    op == OP_NE ? c != 0 : op == OP_GE ? c >= 0 : c > 0;
}

/* SQL's AND and OR on 0 false, 1 true, 2 unknown. */
static void
logic(struct slot *a, const struct slot *b, enum op op)
{
	int64_t x = a->i, y = b->i, stop = op == OP_AND ? RULE_FALSE : RULE_TRUE;

	a->i = x == stop || y == stop ? stop :
	    x == RULE_UNKNOWN || y == RULE_UNKNOWN ? RULE_UNKNOWN : !stop;
}

static void
load(struct slot *s, const struct value *v)
{
	if (v == NULL) {
		s->kind = S_NULL;
	} else if (v->type == VALUE_NUMBER) {
		s->kind = S_DEC;
		s->d = v->d;
	} else {
		s->kind = S_INT;
		s->i = v->i;
	}
}

int
rule_eval(struct rule *r, const struct value *const *vals)
{
	struct slot *st = r->stack;
	size_t sp = 0;

	for (size_t k = 0; k < r->nprog; k++) {
		const struct ins *in = &r->prog[k];

		switch (in->op) {
		case OP_CONST: st[sp++] = r->consts[in->arg]; break;
		case OP_NAME: load(&st[sp++], vals[in->arg]); break;
		case OP_NEG: negate(&st[sp - 1]); break;
		case OP_ADD:
		case OP_SUB:
		case OP_MUL:
			if (arith(&st[sp - 2], &st[sp - 1], in->op) < 0)
				return RULE_EOVERFLOW;
			sp--;
			break;
		case OP_AND:
		case OP_OR:
			logic(&st[sp - 2], &st[sp - 1], in->op);
			sp--;
			break;
		default:
			compare(&st[sp - 2], &st[sp - 1], in->op);
			sp--;
			break;
		}
	}
	return (int)st[0].i;
}
