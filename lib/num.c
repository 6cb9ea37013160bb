/*
 * num: figures as Chinese statistics write them, read into exact decimals.
 *
 * A figure is: qualifiers and a currency sign or a sign, then one number
 * (or two, for a range), each followed by a unit, 角 and 分 after 元,
 * qualifiers and 整.  A number mixes Arabic digit runs ("11.82", "1,234",
 * "1.182E+09") and Chinese numerals; multipliers (十 百 千 万 亿) are
 * summed on a stack of (value, magnitude) entries: a multiplier of
 * magnitude k takes every entry below k plus the pending coefficient,
 * multiplies by 10^k and pushes the product with magnitude k.
 *
 * Plain ASCII figures ("12345", "-3.5", "11.82亿元", "5700户左右") take a
 * fast path, and most other cells the express reader; num_scan has a
 * scan reader made of the express reader's parts ("35538.79 亿元，",
 * "约3500人次参与", "5000万至8000万元", "百分之三十").  They only read
 * what the general reader reads the same way, and leave it the rest and
 * every error but a rejected range (num_parse_general and
 * num_scan_general run it alone, for tests to compare).  The general
 * reader walks the text one character at a time.  Nothing is allocated:
 * a text with pinyin annotations is cleaned into a buffer on the stack.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "num.h"
#include "util.h"

#define NUM_CLEANMAX 512 /* bytes of text that pinyin is removed from */
#define NUM_SPANMAX 32	 /* pinyin annotations removed from one text */
#define NUM_QUOTEMAX 48	 /* bytes of the text quoted in a reason */
#define NUM_STACKMAX 8	 /* magnitudes strictly fall: 亿 万 千 百 十 */
#define NUM_EXPMAX 9999	 /* largest exponent of 1.182E+09 */

typedef unsigned __int128 num_u128;

#define MANTMAX ((num_u128)(~(num_u128)0 >> 1))
#define NOTFOUND (-1) /* internal: no number at this place */

/* Kinds of characters inside a figure. */
enum ck {
	CK_END,
	CK_BAD,	   /* invalid UTF-8 */
	CK_OTHER,
	CK_SPACE,
	CK_ADIG,   /* 0-9 ０-９, val the digit */
	CK_APOINT, /* . ． */
	CK_SEP,	   /* , ， */
	CK_CDIG,   /* 一-九 壹-玖 两, val the digit */
	CK_ZERO,   /* 零 〇 */
	CK_TENS,   /* 廿 卅, val the tens */
	CK_MULT,   /* 十 百 千 万 亿 and their variants, val the exponent */
	CK_CPOINT, /* 点 點 */
	CK_MORE	   /* 余 餘 多, which may sit before a multiplier: 十余万 */
};

/* Small enough to travel in a register. */
struct ch {
	uint32_t cp;
	unsigned char k; /* enum ck */
	unsigned char val;
	unsigned char len;
};

struct ctx {
	const char *s;
	size_t n;
	size_t i;
	int scan;  /* num_scan: the figure may end anywhere */
	int nofig; /* the text does not start with a figure */
	char *why;
	enum num_qual qual;
	size_t ustart, uend; /* the last unit read, for "unknown unit" */
};

enum { PK_NONE, PK_ARABIC, PK_CHN, PK_DEC };

/* A number being read. */
struct numst {
	struct dec pend; /* coefficient not yet multiplied */
	int pk;		 /* what pend is: PK_* */
	int plen;	 /* digits pend has before its point, as written */
	int pfrac;	 /* pend has a fraction or an exponent */
	int pliang;	 /* pend is 两, which never starts a digit string */
	size_t pend_end; /* where pend's text ends */
	int zero;	 /* a 零 since the last multiplier */
	int lastk;	 /* exponent of the last multiplier */
	size_t mat, mlen; /* where it is written */
	int chain;	 /* exponents of the multipliers since the last coefficient */
	int prevmult;	 /* the last token was a multiplier */
	int nst;
	int ndig;   /* digits read */
	int nmult;  /* multipliers applied */
	int ncoef;  /* coefficients multiplied or summed */
	int ownmag; /* 万 or 亿 applied */
	int bare10; /* began with 十 and no digit: 十五 */
	int point;  /* a decimal point was read */
	size_t start;
	/* Last, and not cleared: only st[0..nst) is read. */
	struct {
		struct dec v;
		int k;
	} st[NUM_STACKMAX];
};

/* A number read: the value and what the figure needs to know of it. */
struct numres {
	struct dec v;
	int ownmag; /* it wrote 万 or 亿 */
	int bare;   /* no digit at all: 十, 万 */
	int bare10;
	int nmult;
	int trail; /* 10^trail multiplied its only coefficient: 5万 */
};

/* One number of a figure (of two for a range) with its unit. */
struct part {
	struct numres num;
	struct dec extra; /* 角 and 分 after 元, in 元 */
	struct dec den;	  /* N of N分之M; 1 otherwise */
	const struct unit *u;
	int neg;
};

struct word {
	char s[10]; /* in the table itself: one load less a compare */
	unsigned char len;
	unsigned char qual;
};

/* Longer words first where one starts another (超过, 超). */
static const struct word qual_before[] = {
	{ "大约", 6, NUM_APPROX }, { "大約", 6, NUM_APPROX },
	{ "约", 3, NUM_APPROX },   { "約", 3, NUM_APPROX },
	{ "将近", 6, NUM_LT },	   { "將近", 6, NUM_LT },
	{ "近", 3, NUM_LT },	   { "超过", 6, NUM_GT },
	{ "超過", 6, NUM_GT },	   { "超", 3, NUM_GT },
	{ "逾", 3, NUM_GT },	   { "不到", 6, NUM_LT },
	{ "不足", 6, NUM_LT },	   { "未满", 6, NUM_LT },
	{ "未滿", 6, NUM_LT },	   { "过", 3, NUM_GT },
	{ "過", 3, NUM_GT }
};

static const struct word qual_after[] = {
	{ "余", 3, NUM_GT },	   { "餘", 3, NUM_GT },
	{ "多", 3, NUM_GT },	   { "以上", 6, NUM_GT },
	{ "以下", 6, NUM_LT },	   { "左右", 6, NUM_APPROX },
	{ "上下", 6, NUM_APPROX }, { "前后", 6, NUM_APPROX },
	{ "前後", 6, NUM_APPROX }, { "许", 3, NUM_APPROX },
	{ "許", 3, NUM_APPROX }
};

/* Written before the number, they make its unit 元. */
static const struct word currency[] = {
	{ "人民币", 9, 0 }, { "人民幣", 9, 0 }, { "￥", 3, 0 }, { "¥", 2, 0 }
};

/*
 * A table of words, and a quick no for the characters that start none of
 * them: bit b & 63 of ends is set for the last byte b of each word's first
 * character, and of mids for the byte before it (filled by words_init()
 * before main: threads only read them).
 */
struct words {
	const struct word *w;
	size_t n;
	uint64_t ends, mids;
};

#define WORDS(tab) { tab, sizeof(tab) / sizeof(tab[0]), 0, 0 }
static struct words before_words = WORDS(qual_before),
    after_words = WORDS(qual_after), currency_words = WORDS(currency);

/* 百分之十二点五 is 12.5 %; 万分之五 has no unit of its own. */
static const struct {
	const char *s;
	const char *unit;
	int exp10;
} per_forms[] = {
	{ "百分之", "%", 0 },
	{ "千分之", "‰", 0 },
	{ "万分之", NULL, -4 },
	{ "萬分之", NULL, -4 }
};

/* Whole cells that stand for no value. */
static const char *const null_marks[] = {
	"", "\\N", "—", "——", "－", "－－", "-", "--", "…", "……", "/"
};

static const struct dec dec_zero = { 0, 0 };
static const struct dec dec_one = { 1, 0 };

static int fail(struct ctx *, int, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(struct ctx *c, int st, const char *fmt, ...)
{
	va_list ap;
	int len;

	if (c->why == NULL)
		return st;
	va_start(ap, fmt);
	len = vsnprintf(c->why, NUM_WHYMAX, fmt, ap);
	va_end(ap);
	/* Cut short, the reason must still end on a whole character. */
	if (len >= NUM_WHYMAX) {
		unsigned char *w = (unsigned char *)c->why;
		int at = NUM_WHYMAX - 2, need;

		while (at > 0 && (w[at] & 0xc0) == 0x80)
			at--;
		need = w[at] < 0x80 ? 1 : w[at] < 0xe0 ? 2 : w[at] < 0xf0 ? 3 : 4;
		if (at + need > NUM_WHYMAX - 1)
			w[at] = '\0';
	}
	return st;
}

/* The kinds of ASCII characters: a look-up, not a switch of compares. */
static const unsigned char ascii_kind[128] = {
	[0 ... '\t' - 1] = CK_OTHER, ['\t'] = CK_SPACE, ['\n'] = CK_SPACE,
	['\n' + 1 ... '\r' - 1] = CK_OTHER, ['\r'] = CK_SPACE,
	['\r' + 1 ... ' ' - 1] = CK_OTHER, [' '] = CK_SPACE,
	[' ' + 1 ... ',' - 1] = CK_OTHER, [','] = CK_SEP, ['-'] = CK_OTHER,
	['.'] = CK_APOINT, ['/'] = CK_OTHER, ['0' ... '9'] = CK_ADIG,
	['9' + 1 ... 127] = CK_OTHER
};

/* h->k and h->val for h->cp (< 0x80). */
static inline void
classify_ascii(struct ch *h)
{
	h->k = ascii_kind[h->cp];
	h->val = h->k == CK_ADIG ? (unsigned char)(h->cp - '0') : 0;
}

/*
 * The non-ASCII characters a number is made of, all of three bytes in
 * UTF-8, found by a perfect hash of those bytes: a hit is a valid
 * character, classified, without decoding it.  Two in one slot make the
 * compiler reject the table (-Woverride-init, -Winitializer-overrides):
 * then pick another multiplier.
 */
#define U8KEY(cp) ((0xe0u | (cp) >> 12) | \
    (0x80u | ((cp) >> 6 & 0x3f)) << 8 | (0x80u | ((cp) & 0x3f)) << 16)
#define U8SLOT(key) ((uint32_t)((key) * 0xfe8a0ec9u) >> 25)
#define CPK(cp, kind, v) [U8SLOT(U8KEY(cp))] = { U8KEY(cp), cp, kind, v }

static const struct u8kind {
	uint32_t key; /* UTF-8 bytes, the first lowest; 0: an empty slot */
	uint16_t cp;
	unsigned char k, val;
} u8kind[128] = {
	CPK(0xff10, CK_ADIG, 0), CPK(0xff11, CK_ADIG, 1), /* ０ １ */
	CPK(0xff12, CK_ADIG, 2), CPK(0xff13, CK_ADIG, 3), /* ２ ３ */
	CPK(0xff14, CK_ADIG, 4), CPK(0xff15, CK_ADIG, 5), /* ４ ５ */
	CPK(0xff16, CK_ADIG, 6), CPK(0xff17, CK_ADIG, 7), /* ６ ７ */
	CPK(0xff18, CK_ADIG, 8), CPK(0xff19, CK_ADIG, 9), /* ８ ９ */
	CPK(0xff0e, CK_APOINT, 0),	/* ． */
	CPK(0xff0c, CK_SEP, 0),		/* ， */
	CPK(0x3000, CK_SPACE, 0),	/* U+3000; U+00A0 is two bytes */
	CPK(0x3007, CK_ZERO, 0), CPK(0x96f6, CK_ZERO, 0), /* 〇 零 */
	CPK(0x4e00, CK_CDIG, 1), CPK(0x58f9, CK_CDIG, 1), /* 一 壹 */
	CPK(0x4e8c, CK_CDIG, 2), CPK(0x8d30, CK_CDIG, 2), /* 二 贰 */
	CPK(0x8cb3, CK_CDIG, 2), CPK(0x4e24, CK_CDIG, 2), /* 貳 两 */
	CPK(0x5169, CK_CDIG, 2),			  /* 兩 */
	CPK(0x4e09, CK_CDIG, 3), CPK(0x53c1, CK_CDIG, 3), /* 三 叁 */
	CPK(0x53c3, CK_CDIG, 3), CPK(0x53c4, CK_CDIG, 3), /* 參 叄 */
	CPK(0x56db, CK_CDIG, 4), CPK(0x8086, CK_CDIG, 4), /* 四 肆 */
	CPK(0x4e94, CK_CDIG, 5), CPK(0x4f0d, CK_CDIG, 5), /* 五 伍 */
	CPK(0x516d, CK_CDIG, 6), CPK(0x9646, CK_CDIG, 6), /* 六 陆 */
	CPK(0x9678, CK_CDIG, 6),			  /* 陸 */
	CPK(0x4e03, CK_CDIG, 7), CPK(0x67d2, CK_CDIG, 7), /* 七 柒 */
	CPK(0x516b, CK_CDIG, 8), CPK(0x634c, CK_CDIG, 8), /* 八 捌 */
	CPK(0x4e5d, CK_CDIG, 9), CPK(0x7396, CK_CDIG, 9), /* 九 玖 */
	CPK(0x5eff, CK_TENS, 2), CPK(0x5345, CK_TENS, 3), /* 廿 卅 */
	CPK(0x5341, CK_MULT, 1), CPK(0x62fe, CK_MULT, 1), /* 十 拾 */
	CPK(0x767e, CK_MULT, 2), CPK(0x4f70, CK_MULT, 2), /* 百 佰 */
	CPK(0x5343, CK_MULT, 3), CPK(0x4edf, CK_MULT, 3), /* 千 仟 */
	CPK(0x4e07, CK_MULT, 4), CPK(0x842c, CK_MULT, 4), /* 万 萬 */
	CPK(0x4ebf, CK_MULT, 8), CPK(0x5104, CK_MULT, 8), /* 亿 億 */
	CPK(0x70b9, CK_CPOINT, 0), CPK(0x9ede, CK_CPOINT, 0), /* 点 點 */
	CPK(0x4f59, CK_MORE, 0), CPK(0x9918, CK_MORE, 0), /* 余 餘 */
	CPK(0x591a, CK_MORE, 0)				  /* 多 */
};

/*
 * The key of u8kind for the three bytes at p, the first byte lowest: on
 * a little-endian machine the first two are one load (gcc does not merge
 * the byte loads itself), and keys are what a numeral costs.
 */
static inline uint32_t
u8key(const unsigned char *p)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint16_t lo;

	memcpy(&lo, p, 2);
	return lo | (uint32_t)p[2] << 16;
#else
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
#endif
}

/*
 * The character at s[i] (i < n) that is neither ASCII nor in u8kind.  An
 * invalid sequence is CK_BAD of one byte; its cp is whatever u8dec left
 * there (read_sign looks at it).
 */
static struct ch __attribute__((noinline))
decode_other(const char *s, size_t n, size_t i)
{
	struct ch h = { 0, CK_BAD, 0, 1 };

	if ((h.len = (unsigned char)wy_u8dec((const unsigned char *)s + i, n - i,
	    &h.cp)) == 0) {
		h.len = 1;
		return h;
	}
	h.k = h.cp == 0xa0 ? CK_SPACE : CK_OTHER;
	return h;
}

/* The character at c->s[i], or CK_END: small enough to inline. */
static inline struct ch
peek(const struct ctx *c, size_t i)
{
	const unsigned char *p = (const unsigned char *)c->s + i;
	struct ch h = { 0, CK_END, 0, 0 };
	uint32_t key, slot;

	if (i >= c->n)
		return h;
	if (p[0] < 0x80) {
		h.cp = p[0];
		h.len = 1;
		classify_ascii(&h);
		return h;
	}
	/* A hit is a valid character: no need to decode it. */
	if (c->n - i >= 3) {
		key = u8key(p);
		slot = U8SLOT(key);
		if (u8kind[slot].key == key) {
			h.cp = u8kind[slot].cp;
			h.k = u8kind[slot].k;
			h.val = u8kind[slot].val;
			h.len = 3;
			return h;
		}
	}
	return decode_other(c->s, c->n, i);
}

/*
 * peek() for the fast readers, which only ask whether a character is one
 * a number is made of: any other is CK_OTHER, not decoded (cp 0), U+00A0
 * and invalid UTF-8 too.
 */
static inline struct ch __attribute__((always_inline))
peek_kind(const struct ctx *c, size_t i)
{
	const unsigned char *p = (const unsigned char *)c->s + i;
	struct ch h = { 0, CK_END, 0, 0 };
	uint32_t key;
	const struct u8kind *e;

	if (i >= c->n)
		return h;
	if (p[0] < 0x80) {
		h.cp = p[0];
		h.len = 1;
		classify_ascii(&h);
		return h;
	}
	h.k = CK_OTHER;
	h.len = (unsigned char)(p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : 4);
	if (c->n - i >= 3) {
		key = u8key(p);
		e = &u8kind[U8SLOT(key)];
		if (e->key == key) {
			h.cp = e->cp;
			h.k = e->k;
			h.val = e->val;
			h.len = 3;
		}
	}
	return h;
}

/* The first bytes of spaces: \t \n \r, ' ', U+00A0 and U+3000. */
static const unsigned char space_first[256] = {
	['\t'] = 1, ['\n'] = 1, ['\r'] = 1, [' '] = 1, [0xc2] = 1, [0xe3] = 1
};

static size_t __attribute__((noinline))
skip_spaces_loop(const struct ctx *c, size_t i)
{
	struct ch h;

	while ((h = peek(c, i)).k == CK_SPACE)
		i += h.len;
	return i;
}

/* Where the spaces at i end.  Most places hold none: one look says so. */
static inline size_t __attribute__((always_inline))
skip_spaces(const struct ctx *c, size_t i)
{
	if (i >= c->n || !space_first[(unsigned char)c->s[i]])
		return i;
	return skip_spaces_loop(c, i);
}

/* Words are a few bytes: a loop the compiler inlines beats memcmp calls. */
static int
has(const struct ctx *c, size_t i, const char *w, size_t len)
{
	if (c->n - i < len)
		return 0;
	for (size_t k = 0; k < len; k++)
		if (c->s[i + k] != w[k])
			return 0;
	return 1;
}

/* Bytes of the UTF-8 character led by byte b (2 to 4; b >= 0xc0). */
static inline size_t
lead_len(unsigned char b)
{
	return b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
}

/* The bits of t->ends and t->mids. */
static void
word_bits(struct words *t)
{
	for (size_t k = 0; k < t->n; k++) {
		const unsigned char *w = (const unsigned char *)t->w[k].s;
		size_t cl = lead_len(w[0]);

		t->ends |= (uint64_t)1 << (w[cl - 1] & 63);
		t->mids |= (uint64_t)1 << (w[cl - 2] & 63);
	}
}

static void __attribute__((constructor))
words_init(void)
{
	word_bits(&before_words);
	word_bits(&after_words);
	word_bits(&currency_words);
}

/* The word of t written at c->s[i], or NULL. */
static inline const struct word *
find_word(const struct ctx *c, size_t i, struct words *t)
{
	const unsigned char *p = (const unsigned char *)c->s + i;
	size_t cl;

	/* Every word starts with a whole non-ASCII character. */
	if (i >= c->n || p[0] < 0xc0 || c->n - i < (cl = lead_len(p[0])))
		return NULL;
	/* Most characters end in bytes no first character of t ends in. */
	if ((t->ends >> (p[cl - 1] & 63) & 1) == 0 ||
	    (t->mids >> (p[cl - 2] & 63) & 1) == 0)
		return NULL;
	for (size_t k = 0; k < t->n; k++)
		if (t->w[k].s[0] == c->s[i] && t->w[k].s[1] == c->s[i + 1] &&
		    has(c, i, t->w[k].s, t->w[k].len))
			return &t->w[k];
	return NULL;
}

/*
 * Copy whole characters of s[0..n) into buf (NUM_QUOTEMAX * 4 + 1 bytes)
 * until NUM_QUOTEMAX bytes are written, control bytes as \xNN.  Returns
 * -1 if the text is not valid UTF-8.
 */
static int
quote(const char *s, size_t n, char *buf)
{
	size_t i = 0, o = 0;
	uint32_t cp;

	while (i < n && o < NUM_QUOTEMAX) {
		unsigned char b = (unsigned char)s[i];
		size_t l = wy_u8dec((const unsigned char *)s + i, n - i, &cp);

		if (l == 0)
			return -1;
		if (b < 0x20 || b == 0x7f)
			o += (size_t)sprintf(buf + o, "\\x%02x", b);
		else
			memcpy(buf + o, s + i, l), o += l;
		i += l;
	}
	buf[o] = '\0';
	return 0;
}

/* A char of the text, quoted in the reason "unexpected ...". */
static int
fail_at(struct ctx *c, size_t i)
{
	char q[NUM_QUOTEMAX * 4 + 1];
	struct ch h = peek(c, i);

	if (h.k == CK_BAD || quote(c->s + i, h.len, q) != 0)
		return fail(c, NUM_ESYNTAX, "invalid UTF-8");
	return fail(c, NUM_ESYNTAX, "unexpected \"%s\"", q);
}

static int
overflow(struct ctx *c)
{
	return fail(c, NUM_EOVERFLOW, "too large");
}

/* The multiplier last applied, as written: 万, 萬. */
static int
fail_mult(struct ctx *c, const struct numst *st, int code, const char *what)
{
	return fail(c, code, "%s after %.*s", what, (int)st->mlen,
	    c->s + st->mat);
}

/*
 * Whether a unit that itself begins with a numeral (千克 千米 千瓦 两
 * 百分点) is written at i and ends the figure: "一千克" is 1 千克, not
 * 1000 克.  It does not end the figure when the number goes on after it.
 */
static int
unit_ends(const struct ctx *c, size_t i)
{
	const struct unit *u = unit_match(c->s + i, c->n - i);
	struct ch h;

	/* A composed unit (十万元) starts with a magnitude, not a numeral. */
	if (u == NULL || u->exp10 != 0)
		return 0;
	h = peek(c, skip_spaces(c, i + u->len));
	switch (h.k) {
	case CK_ADIG: case CK_APOINT: case CK_CDIG: case CK_ZERO:
	case CK_TENS: case CK_MULT: case CK_CPOINT:
		return 0;
	default:
		return 1;
	}
}

static int
have_digits(const struct numst *st)
{
	return st->ndig > 0 || st->nst > 0 || st->pk != PK_NONE;
}

static void
set_pend(struct numst *st, struct dec v, int pk, int plen, size_t end)
{
	st->pend = v;
	st->pk = pk;
	st->plen = plen;
	st->pfrac = 0;
	st->pliang = 0;
	st->pend_end = end;
	st->prevmult = 0;
}

/* pend + others as the two readings of "1万6": 16000 or 10006. */
static int
fail_ambig(struct ctx *c, const struct numst *st, struct dec others)
{
	char q[NUM_QUOTEMAX * 4 + 1], a[DEC_STRMAX], b[DEC_STRMAX];
	struct dec x, y;

	if (dec_shift(st->pend, st->lastk - st->plen, &x) != 0 ||
	    dec_add(others, x, &x) != 0 || dec_add(others, st->pend, &y) != 0)
		return overflow(c);
	dec_format(x, a);
	dec_format(y, b);
	if (quote(c->s + st->start, st->pend_end - st->start, q) != 0)
		return fail(c, NUM_ESYNTAX, "invalid UTF-8");
	return fail(c, NUM_EAMBIG, "ambiguous: %s could be %s or %s", q, a, b);
}

/*
 * The pending coefficient as an addend to the entries above it (others):
 * "一万二" reads 二 as 2000, "3万4000" reads 4000 as itself, "1万6" is
 * ambiguous and "1万60000" too long.
 */
static int
resolve(struct ctx *c, struct numst *st, struct dec others, struct dec *p)
{
	int k = st->lastk;

	if (st->pk == PK_DEC) {
		*p = st->pend;
		return 0;
	}
	if (st->zero || (st->pk == PK_CHN && st->plen == 1)) {
		if (st->pfrac)
			return fail_mult(c, st, NUM_ESYNTAX, "fraction");
		if (st->zero && st->plen >= k)
			return fail_mult(c, st, NUM_ESYNTAX, "too many digits");
		if (st->zero)
			*p = st->pend;
		else if (dec_shift(st->pend, k - 1, p) != 0)
			return overflow(c);
		return 0;
	}
	if (st->pfrac)
		return fail_mult(c, st, NUM_ESYNTAX, "fraction");
	if (st->plen > k)
		return fail_mult(c, st, NUM_ESYNTAX, "too many digits");
	if (st->plen < k)
		return fail_ambig(c, st, others);
	*p = st->pend;
	return 0;
}

/* Apply the multiplier 10^k written at c->s[at..at+len). */
static int
apply_mult(struct ctx *c, struct numst *st, int k, size_t at, size_t len)
{
	struct dec sum = dec_zero, p;
	int popped = 0, err;

	while (st->nst > 0 && st->st[st->nst - 1].k < k) {
		if (dec_add(sum, st->st[--st->nst].v, &sum) != 0)
			return overflow(c);
		popped = 1;
	}
	if (st->pk != PK_NONE) {
		p = st->pend;
		if (popped && (err = resolve(c, st, sum, &p)) != 0)
			return err;
		if (dec_add(sum, p, &sum) != 0)
			return overflow(c);
		st->ncoef++;
	} else if (!popped) {
		/* An implied 一 only at the start: 十五, 万余人. */
		if (st->nst > 0 || st->nmult > 0)
			return fail_at(c, at);
		sum = dec_one;
		st->bare10 = k == 1 && st->ndig == 0;
		st->ncoef++;
	}
	if (st->nst > 0 && st->st[st->nst - 1].k == k)
		return fail_at(c, at);
	if (dec_shift(sum, k, &sum) != 0)
		return overflow(c);
	st->st[st->nst].v = sum;
	st->st[st->nst++].k = k;
	st->chain = st->prevmult ? st->chain + k : k;
	st->prevmult = 1;
	st->lastk = k;
	st->mat = at;
	st->mlen = len;
	st->nmult++;
	st->zero = 0;
	st->pk = PK_NONE;
	st->ownmag |= k >= 4;
	return 0;
}

/* Exactly three digits at i and no fourth: what may follow a separator. */
static int
group_of_three(const struct ctx *c, size_t i)
{
	struct ch h;

	for (int k = 0; k < 3; k++, i += h.len)
		if ((h = peek(c, i)).k != CK_ADIG)
			return 0;
	return peek(c, i).k != CK_ADIG;
}

/* Append digit d to the magnitude m; -1 past 2^127-1. */
static int
push_digit(num_u128 *m, int d)
{
	/* m * 10 + d <= MANTMAX, with constants: no 128-bit division */
	if (*m > MANTMAX / 10 ||
	    (*m == MANTMAX / 10 && (num_u128)d > MANTMAX % 10))
		return -1;
	*m = *m * 10 + (num_u128)d;
	return 0;
}

/*
 * Fraction digits (Arabic or Chinese, as kind) at *i onto the magnitude
 * *m at *scale.  Zeros are held back until a digit follows, so
 * "1.50000000000000000000000000000000" stays within DEC_MAXSCALE.
 */
static int
read_frac(struct ctx *c, size_t *i, enum ck kind, num_u128 *m, int *scale)
{
	int zeros = 0;
	struct ch h;

	for (;; *i += h.len) {
		h = peek(c, *i);
		if (h.k == CK_ZERO && kind == CK_CDIG)
			h.val = 0;
		else if (h.k != kind || (kind == CK_CDIG &&
		    (h.cp == 0x4e24 || h.cp == 0x5169)))
			return 0;
		if (h.val == 0) {
			zeros++;
			continue;
		}
		for (; zeros > 0; zeros--, (*scale)++)
			if (push_digit(m, 0) != 0)
				return overflow(c);
		if (++*scale > DEC_MAXSCALE)
			return fail(c, NUM_EOVERFLOW, "too many decimals");
		if (push_digit(m, h.val) != 0)
			return overflow(c);
	}
}

/* Separator at i in an integer part: 1 to take it, 0 to stop, or an error. */
static int
take_sep(struct ctx *c, size_t i, int nsep, int group)
{
	size_t j = i + peek(c, i).len;
	int three = group_of_three(c, j);

	if (three && (nsep > 0 || group <= 3))
		return 1;
	if (c->scan || peek(c, j).k != CK_ADIG)
		return 0;
	if (three)
		return fail(c, NUM_ESYNTAX,
		    "thousands separator after more than three digits");
	return fail(c, NUM_ESYNTAX,
	    "thousands separator not before a group of three digits");
}

/* The exponent of 1.182E+09 at *i, if one is written there. */
static int
read_exp(struct ctx *c, size_t *i, int *exp)
{
	size_t j = *i + 1;
	int neg = 0, v = 0;

	if (*i >= c->n || (c->s[*i] != 'e' && c->s[*i] != 'E'))
		return 0;
	if (j < c->n && (c->s[j] == '+' || c->s[j] == '-'))
		neg = c->s[j++] == '-';
	if (j >= c->n || c->s[j] < '0' || c->s[j] > '9')
		return 0;
	for (; j < c->n && c->s[j] >= '0' && c->s[j] <= '9'; j++)
		if ((v = v * 10 + (c->s[j] - '0')) > NUM_EXPMAX)
			return overflow(c);
	*exp = neg ? -v : v;
	*i = j;
	return 0;
}

/* An Arabic run at c->i: 1,234.5, ．5, 1.182E+09. */
static int
read_arabic(struct ctx *c, struct numst *st)
{
	num_u128 m = 0;
	size_t i = c->i;
	int nint = 0, group = 0, nsep = 0, scale = 0, exp = 0, frac = 0, err;
	struct ch h;
	struct dec d;

	for (;; i += h.len) {
		h = peek(c, i);
		if (h.k == CK_ADIG) {
			if (push_digit(&m, h.val) != 0)
				return overflow(c);
			nint++;
			group++;
		} else if (h.k == CK_SEP && nint > 0) {
			if ((err = take_sep(c, i, nsep, group)) == 0)
				break;
			if (err != 1)
				return err;
			nsep++;
			group = 0;
		} else {
			break;
		}
	}
	if (h.k == CK_APOINT && peek(c, i + h.len).k == CK_ADIG) {
		if (st->point)
			return fail(c, NUM_ESYNTAX, "second decimal point");
		i += h.len;
		if ((err = read_frac(c, &i, CK_ADIG, &m, &scale)) != 0)
			return err;
		st->point = frac = 1;
		h = peek(c, i);
		if ((h.k == CK_APOINT || h.k == CK_CPOINT) &&
		    peek(c, i + h.len).k == CK_ADIG)
			return fail(c, NUM_ESYNTAX, "second decimal point");
	}
	if ((err = read_exp(c, &i, &exp)) != 0)
		return err;
	d.mant = (dec_i128)m;
	d.scale = scale;
	if (dec_shift(d, exp, &d) != 0)
		return overflow(c);
	set_pend(st, d, PK_ARABIC, nint, i);
	st->pfrac = frac || exp != 0;
	st->ndig += nint + scale + 1;
	c->i = i;
	return 0;
}

/* 零 or 〇: a digit inside 二〇二三, a gap in 一千零五十, or zero itself. */
static int
read_zero(struct numst *st, size_t end)
{
	struct dec t;

	if (st->pk == PK_CHN && !st->pliang) {
		if (st->plen >= 38 || dec_shift(st->pend, 1, &t) != 0)
			return -1;
		st->pend = t;
		st->plen++;
		st->pend_end = end;
	} else if (st->pk == PK_NONE && st->nst > 0) {
		st->zero = 1;
	} else if (st->pk == PK_NONE) {
		set_pend(st, dec_zero, PK_CHN, 1, end);
	} else {
		return -1;
	}
	st->ndig++;
	return 0;
}

/* 一 .. 九: a coefficient, or the next digit of 一九九八. */
static int
read_cdig(struct numst *st, const struct ch *h, size_t end)
{
	int liang = h->cp == 0x4e24 || h->cp == 0x5169;
	struct dec t;

	if (st->pk == PK_NONE) {
		set_pend(st, (struct dec){ h->val, 0 }, PK_CHN, 1, end);
		st->pliang = liang;
	} else if (st->pk == PK_CHN && !liang && !st->pliang &&
	    st->plen < 38) {
		if (dec_shift(st->pend, 1, &t) != 0)
			return -1;
		t.mant += h->val;
		st->pend = t;
		st->plen++;
		st->pend_end = end;
	} else {
		return -1;
	}
	st->ndig++;
	return 0;
}

/* The whole value read so far: the stack plus the pending coefficient. */
static int
total(struct ctx *c, struct numst *st, struct dec *v)
{
	struct dec sum = dec_zero, p;
	int err;

	for (int k = 0; k < st->nst; k++)
		if (dec_add(sum, st->st[k].v, &sum) != 0)
			return overflow(c);
	if (st->pk != PK_NONE) {
		p = st->pend;
		if (st->nst > 0 && (err = resolve(c, st, sum, &p)) != 0)
			return err;
		if (dec_add(sum, p, &sum) != 0)
			return overflow(c);
		st->ncoef++;
	}
	*v = sum;
	return 0;
}

/* 点 after Chinese numerals: 十二点五, 三点二亿.  0 if it is not one. */
static int
read_cpoint(struct ctx *c, struct numst *st, const struct ch *h, int *took)
{
	size_t i = c->i + h->len;
	struct ch nx = peek(c, i);
	num_u128 m = 0;
	int scale = 0, err;
	struct dec whole, frac;

	*took = 0;
	if (nx.k != CK_ZERO && (nx.k != CK_CDIG || nx.cp == 0x4e24 ||
	    nx.cp == 0x5169))
		return 0;
	if (st->point)
		return fail(c, NUM_ESYNTAX, "second decimal point");
	if (st->pk == PK_ARABIC || (st->pk == PK_NONE && st->nst == 0))
		return 0;
	if ((err = total(c, st, &whole)) != 0 ||
	    (err = read_frac(c, &i, CK_CDIG, &m, &scale)) != 0)
		return err;
	frac.mant = (dec_i128)m;
	frac.scale = scale;
	if (dec_add(whole, frac, &whole) != 0)
		return overflow(c);
	st->nst = 0;
	st->ncoef = 0; /* the whole is one coefficient now: 三点二亿 */
	set_pend(st, whole, PK_DEC, 0, i);
	st->point = 1;
	st->ndig++;
	c->i = i;
	*took = 1;
	return 0;
}

/* One character of a number at c->i; *more = 0 when it is not one. */
static int
number_step(struct ctx *c, struct numst *st, int *more)
{
	struct ch h = peek(c, c->i), nx;
	size_t end = c->i + h.len;
	int err, took;

	*more = 1;
	switch (h.k) {
	case CK_APOINT:
		if (peek(c, end).k != CK_ADIG)
			break;
		/* FALLTHROUGH */
	case CK_ADIG:
		if (st->pk != PK_NONE)
			break;
		return read_arabic(c, st);
	case CK_ZERO:
		if (read_zero(st, end) != 0)
			break;
		c->i = end;
		return 0;
	case CK_CDIG:
		if (have_digits(st) && (h.cp == 0x4e24 || h.cp == 0x5169) &&
		    unit_ends(c, c->i))
			break;
		if (read_cdig(st, &h, end) != 0)
			break;
		c->i = end;
		return 0;
	case CK_TENS:
		if (st->pk != PK_NONE)
			break;
		set_pend(st, (struct dec){ h.val, 0 }, PK_CHN, 1, end);
		st->ndig++;
		c->i = end;
		return apply_mult(c, st, 1, end - h.len, h.len);
	case CK_MULT:
		if (have_digits(st) && (h.val == 2 || h.val == 3) &&
		    unit_ends(c, c->i))
			break;
		c->i = end;
		return apply_mult(c, st, h.val, end - h.len, h.len);
	case CK_CPOINT:
		if ((err = read_cpoint(c, st, &h, &took)) != 0 || took)
			return err;
		break;
	case CK_MORE:
		/* 十余万: 余 between the number and its multiplier. */
		nx = peek(c, skip_spaces(c, end));
		if (!have_digits(st) || nx.k != CK_MULT)
			break;
		c->qual = NUM_GT;
		c->i = end;
		return 0;
	default:
		break;
	}
	*more = 0;
	return 0;
}

/* The number at c->i, or NOTFOUND (c->i unchanged). */
static int
read_number(struct ctx *c, struct numres *r)
{
	struct numst st;
	int err, more;

	memset(&st, 0, offsetof(struct numst, st));
	st.pend = dec_zero;
	st.start = c->i;
	for (;;) {
		size_t save = c->i;

		/* Spaces may part the parts: "7 万5 千". */
		if (have_digits(&st) || st.nmult > 0)
			c->i = skip_spaces(c, c->i);
		if ((err = number_step(c, &st, &more)) != 0)
			return err;
		if (!more) {
			c->i = save;
			break;
		}
	}
	if (st.ndig == 0 && st.nmult == 0)
		return NOTFOUND;
	if ((err = total(c, &st, &r->v)) != 0)
		return err;
	r->ownmag = st.ownmag;
	r->bare = st.ndig == 0;
	r->bare10 = st.bare10;
	r->nmult = st.nmult;
	r->trail = st.nst == 1 && st.pk == PK_NONE && st.ncoef == 1 ?
	    st.chain : 0;
	return 0;
}

/* After 元 (or 角): 三角八分, 零五分; each later unit smaller. */
static int
money_tail(struct ctx *c, struct part *p, const struct unit *u)
{
	int exp = u->exp10;
	struct numres sub;
	struct dec x;

	if (strcmp(u->base, "元") != 0 || exp > 0 ||
	    strcmp(u->name, "元人民币") == 0)
		return 0;
	for (;;) {
		size_t save = c->i;
		enum num_qual qual = c->qual; /* a try must leave no trace */
		const struct unit *v;
		struct ch h;

		c->i = skip_spaces(c, c->i);
		if ((h = peek(c, c->i)).k == CK_ZERO)
			c->i = skip_spaces(c, c->i + h.len);
		if (read_number(c, &sub) != 0) {
			c->i = save;
			c->qual = qual;
			return 0;
		}
		c->i = skip_spaces(c, c->i);
		v = unit_match(c->s + c->i, c->n - c->i);
		if (v == NULL || strcmp(v->base, "元") != 0 || v->exp10 >= exp ||
		    sub.nmult > 0 || sub.v.mant < 0) {
			c->i = save;
			c->qual = qual;
			return 0;
		}
		if (dec_shift(sub.v, v->exp10, &x) != 0 ||
		    dec_add(p->extra, x, &p->extra) != 0)
			return overflow(c);
		c->ustart = c->i;
		c->i += v->len;
		c->uend = c->i;
		exp = v->exp10;
	}
}

/* Unit, 角 and 分, qualifiers and 整 after a number. */
static int
part_tail(struct ctx *c, struct part *p)
{
	const struct word *w;
	const struct unit *u;
	int err;

	for (;;) {
		size_t save = c->i;

		c->i = skip_spaces(c, c->i);
		if (c->i >= c->n) {
			c->i = save;
			return 0;
		}
		if ((w = find_word(c, c->i, &after_words)) != NULL) {
			c->qual = w->qual;
			c->i += w->len;
		} else if (p->u == NULL &&
		    (u = unit_match(c->s + c->i, c->n - c->i)) != NULL) {
			p->u = u;
			c->ustart = c->i;
			c->i += u->len;
			c->uend = c->i;
			if ((err = money_tail(c, p, u)) != 0)
				return err;
		} else if (p->u != NULL && has(c, c->i, "整", 3)) {
			c->i += 3;
		} else {
			c->i = save;
			return 0;
		}
	}
}

/* -, −, +, 负: 1 if one is at c->i (and taken). */
static int
read_sign(struct ctx *c, int *neg)
{
	struct ch h;

	/*
	 * Most text holds no sign: rule it out by the first byte of what
	 * could read as one (the signs, and overlong forms of - and +, which
	 * peek leaves in cp).
	 */
	if (c->i >= c->n)
		return 0;
	switch ((unsigned char)c->s[c->i]) {
	case '-': case '+':
	case 0xe0: case 0xe2: case 0xe8: case 0xef: case 0xf0:
		break;
	default:
		return 0;
	}
	h = peek(c, c->i);
	switch (h.cp) {
	case '-': case 0x2212: case 0xff0d: case 0x8d1f: case 0x8ca0:
		*neg = 1;
		break;
	case '+': case 0xff0b:
		*neg = 0;
		break;
	default:
		return 0;
	}
	c->i += h.len;
	return 1;
}

/* N分之M as M / N: exact when it terminates, else kept as a quotient. */
static int
read_fraction(struct ctx *c, struct part *p)
{
	struct numres m;
	struct dec q;
	int err;

	c->i = skip_spaces(c, c->i) + 6;
	c->i = skip_spaces(c, c->i);
	if ((err = read_number(c, &m)) == NOTFOUND)
		return fail(c, NUM_ESYNTAX, "no digits after 分之");
	if (err != 0)
		return err;
	if (p->num.v.mant == 0)
		return fail(c, NUM_ESYNTAX, "zero denominator");
	if (dec_div(m.v, p->num.v, DEC_MAXSCALE, DEC_ROUND_NONE, &q) == 0) {
		p->num.v = dec_normalize(q);
	} else {
		p->den = dec_normalize(p->num.v);
		p->num.v = m.v;
	}
	p->num.ownmag = 0;
	p->num.nmult = 1;
	p->num.trail = 0;
	return 0;
}

/* 百分之, 千分之, 万分之 at c->i: the number after it. */
static int
read_per(struct ctx *c, struct part *p, int *took)
{
	int err;

	*took = 0;
	for (size_t k = 0; k < sizeof(per_forms) / sizeof(per_forms[0]); k++) {
		if (!has(c, c->i, per_forms[k].s, 9))
			continue;
		*took = 1;
		c->i = skip_spaces(c, c->i + 9);
		if ((err = read_number(c, &p->num)) == NOTFOUND)
			return fail(c, NUM_ESYNTAX, "no digits after %s",
			    per_forms[k].s);
		if (err != 0)
			return err;
		if (per_forms[k].unit != NULL) {
			p->u = unit_lookup(per_forms[k].unit,
			    strlen(per_forms[k].unit));
		} else if (dec_shift(p->num.v, per_forms[k].exp10,
		    &p->num.v) != 0) {
			return overflow(c);
		}
		p->num.ownmag = 0;
		p->num.nmult = 1;
		p->num.trail = 0;
		return 0;
	}
	return 0;
}

/* One number with all that follows it; NOTFOUND if none is at c->i. */
static int
read_part(struct ctx *c, struct part *p, int with_sign)
{
	int err, took;
	size_t save = c->i;

	memset(p, 0, sizeof(*p));
	p->extra = dec_zero;
	p->den = dec_one;
	if (with_sign && read_sign(c, &p->neg))
		c->i = skip_spaces(c, c->i);
	if ((err = read_per(c, p, &took)) != 0)
		return err;
	if (!took) {
		if ((err = read_number(c, &p->num)) == NOTFOUND) {
			c->i = save;
			return NOTFOUND;
		}
		if (err != 0)
			return err;
		if (has(c, skip_spaces(c, c->i), "分之", 6) &&
		    (err = read_fraction(c, p)) != 0)
			return err;
	}
	return part_tail(c, p);
}

static int
is_range_sep(const struct ch *h)
{
	switch (h->cp) {
	case '-': case '~': case 0xff0d: case 0x2014: case 0x2013:
	case 0xff5e: case 0x301c: case 0x81f3: case 0x5230:
		return 1;
	}
	return 0;
}

/* Qualifiers, a currency sign and a sign before the number, in any order. */
static void
read_prefixes(struct ctx *c, int *money, int *neg)
{
	const struct word *w;
	int signs = 0;

	for (;;) {
		if ((w = find_word(c, c->i, &before_words)) != NULL) {
			c->qual = w->qual;
			c->i += w->len;
		} else if (!*money &&
		    (w = find_word(c, c->i, &currency_words)) != NULL) {
			*money = 1;
			c->i += w->len;
		} else if (!signs && read_sign(c, neg)) {
			signs = 1;
		} else {
			return;
		}
		c->i = skip_spaces(c, c->i);
	}
}

/* "至5万" after a number: the second end of a range, if one is there. */
static int
read_range(struct ctx *c, struct part *b, int *range)
{
	size_t save = c->i, j = skip_spaces(c, c->i);
	struct ch h = peek(c, j);
	int err;

	if (!is_range_sep(&h))
		return 0;
	c->i = skip_spaces(c, j + h.len);
	if ((err = read_part(c, b, 1)) == NOTFOUND) {
		c->i = save;
		return 0;
	}
	if (err != 0)
		return err;
	*range = 1;
	return 0;
}

/* The figure at c->i: prefixes, one part, and maybe a second (a range). */
static int
read_figure(struct ctx *c, struct part *a, struct part *b, int *range,
    int *money)
{
	int err, neg = 0;
	size_t start = c->i;
	struct ch h;

	*range = *money = 0;
	c->qual = NUM_EXACT;
	read_prefixes(c, money, &neg);
	if ((err = read_part(c, a, 0)) == NOTFOUND) {
		h = peek(c, c->i);
		c->i = start;
		c->nofig = 1;
		return fail(c, NUM_ESYNTAX, h.k == CK_BAD ? "invalid UTF-8" :
		    "no digits");
	}
	if (err != 0)
		return err;
	a->neg = neg;
	return read_range(c, b, range);
}

/* The end of a range without a multiplier or unit takes the other's: 3-5万. */
static int
join_range(struct ctx *c, struct part *a, struct part *b)
{
	if (a->den.mant != 1 || a->den.scale != 0 || b->den.mant != 1 ||
	    b->den.scale != 0)
		return fail(c, NUM_ESYNTAX, "a fraction in a range");
	if (a->u == NULL && b->u != NULL) {
		a->u = b->u;
		if (a->num.nmult == 0 && b->num.trail > 0) {
			if (dec_shift(a->num.v, b->num.trail, &a->num.v) != 0)
				return overflow(c);
			a->num.ownmag = b->num.ownmag;
		}
	} else if (a->u == NULL && a->num.nmult == 0 && b->num.trail > 0) {
		if (dec_shift(a->num.v, b->num.trail, &a->num.v) != 0)
			return overflow(c);
		a->num.ownmag = b->num.ownmag;
	} else if (b->u == NULL) {
		b->u = a->u;
	}
	if (a->u != NULL && strcmp(a->u->base, b->u->base) != 0)
		return fail(c, NUM_ESYNTAX, "a range of %s and %s",
		    a->u->base, b->u->base);
	return 0;
}

/* The value of a part in its unit's base, and that base. */
static int
part_value(struct ctx *c, const struct part *p, const struct num_opts *o,
    int money, struct dec *v, const char **base)
{
	const struct unit *h = o != NULL ? o->hdr_unit : NULL;
	int exp = 0;

	*base = "";
	if (p->u != NULL) {
		exp = p->u->exp10;
		*base = p->u->base;
		if (money && strcmp(*base, "元") != 0)
			return fail(c, NUM_EUNIT, "a currency sign and %s",
			    p->u->name);
	} else if (money) {
		*base = "元";
	} else if (h != NULL) {
		/* "3.46亿" under 万元 keeps its 亿 and takes only 元. */
		exp = p->num.ownmag ? 0 : h->exp10;
		*base = h->base;
	}
	if (dec_shift(p->num.v, exp, v) != 0 || dec_add(*v, p->extra, v) != 0)
		return overflow(c);
	if (p->neg)
		v->mant = -v->mant;
	return 0;
}

static inline void
set_unit(struct num_val *out, const char *base)
{
	size_t n;

	/* Most bases are one character of three bytes: one copy of four. */
	if (base[0] != '\0' && base[1] != '\0' && base[2] != '\0' &&
	    base[3] == '\0') {
		memcpy(out->unit, base, 4);
		return;
	}
	/* A few bytes: a loop beats strlen and memcpy calls. */
	for (n = 0; n < UNIT_NAMEMAX - 1 && base[n] != '\0'; n++)
		out->unit[n] = base[n];
	out->unit[n] = '\0';
}

/* A range as o->range says: one end, the exact middle, or an error. */
static int
pick_range(struct ctx *c, struct dec x, struct dec y,
    const struct num_opts *o, struct dec *v)
{
	enum num_range mode = o != NULL ? o->range : NUM_RANGE_REJECT;
	int lt = dec_cmp(x, y) < 0;

	switch (mode) {
	case NUM_RANGE_LOW:
		*v = lt ? x : y;
		return 0;
	case NUM_RANGE_HIGH:
		*v = lt ? y : x;
		return 0;
	case NUM_RANGE_MID:
		/* (x + y) / 2 = (x + y) * 5 / 10, exact. */
		if (dec_add(x, y, v) != 0 ||
		    dec_mul(*v, (struct dec){ 5, 0 }, v) != 0 ||
		    dec_shift(*v, -1, v) != 0)
			return overflow(c);
		return 0;
	default:
		return fail(c, NUM_ERANGE, "a range: use --range low|high|mid");
	}
}

/* Turn what read_figure read into out. */
static int
finish(struct ctx *c, struct part *a, struct part *b, int range, int money,
    const struct num_opts *o, struct num_val *out)
{
	const char *base, *bbase;
	struct dec x, y;
	int err;

	if ((a->num.bare && !a->num.bare10 && c->qual == NUM_EXACT) ||
	    (range && b->num.bare && !b->num.bare10 && c->qual == NUM_EXACT)) {
		c->i = 0;
		c->nofig = 1;
		return fail(c, NUM_ESYNTAX, "no digits");
	}
	if (range && (err = join_range(c, a, b)) != 0)
		return err;
	if ((err = part_value(c, a, o, money, &x, &base)) != 0)
		return err;
	out->den = a->den;
	out->v = x;
	if (range) {
		if ((err = part_value(c, b, o, money, &y, &bbase)) != 0 ||
		    (err = pick_range(c, x, y, o, &out->v)) != 0)
			return err;
	}
	set_unit(out, base);
	out->qual = c->qual;
	return 0;
}

/* 10^0 .. 10^18 */
static const uint64_t xp10[19] = {
	1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
	10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
	100000000000ULL, 1000000000000ULL, 10000000000000ULL,
	100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
	100000000000000000ULL, 1000000000000000000ULL
};

/*
 * *v * 10^exp as dec_shift makes it.  A mantissa below 2^64 times at most
 * 10^18 stays below 2^127: the usual small shifts need no check (and by
 * 10^0 nothing changes).  Returns 0, or -1 on overflow.
 */
static inline int
shift_small(struct dec *v, int exp)
{
	if (exp == 0 || v->mant == 0)
		return 0;
	if (exp > 0 && exp <= v->scale) {
		v->scale -= exp;
		return 0;
	}
	if (exp > 0 && exp - v->scale <= 18 && v->mant > 0 &&
	    v->mant >> 64 == 0) {
		v->mant *= (dec_i128)xp10[exp - v->scale];
		v->scale = 0;
		return 0;
	}
	return dec_shift(*v, exp, v) != 0 ? -1 : 0;
}

/* Cheap checks for the cells that need the general reader. */
static int
fast_digits(const char *s, size_t n, size_t *i, uint64_t *m, int *nd)
{
	/* In locals: a store through a char pointer could change them. */
	size_t at = *i;
	uint64_t v = *m;
	int d = *nd;
	unsigned digit;

	/* Past 18 digits v wraps, but then the cell is not ours. */
	for (; at < n && (digit = (unsigned char)s[at] - '0') <= 9; at++)
		v = v * 10 + digit;
	if (at - *i > 18 || (d += (int)(at - *i)) > 18)
		return -1;
	*i = at;
	*m = v;
	*nd = d;
	return 0;
}

static int x_tail(struct ctx *, const struct unit **);

/*
 * What follows the number of the fast path at s[i] (i < n): a unit,
 * qualifiers and 整, as x_tail() reads them; the qualifier (*u the unit),
 * or -1 to leave the cell to the other readers.
 */
static int
fast_tail(const char *s, size_t n, size_t i, const struct unit **u)
{
	struct ctx c = { .s = s, .n = n, .i = i, .qual = NUM_EXACT };
	struct ch h = peek(&c, i);

	/* 十余万: 余 before a multiplier belongs to the number. */
	if (h.k == CK_MORE && peek(&c, i + h.len).k == CK_MULT)
		return -1;
	if (x_tail(&c, u) != 0)
		return -1;
	return (int)c.qual;
}

/*
 * The fast path: [-+]digits[.digits][万|亿][unit, qualifiers, 整] filling
 * s exactly.
 * Returns 1 with out set, or 0 to let the general reader decide; it
 * reads nothing the general reader would read otherwise.
 */
static int
fast_parse(const char *s, size_t n, const struct num_opts *o,
    struct num_val *out)
{
	size_t i = 0, nint;
	uint64_t m = 0;
	int nd = 0, neg = 0, exp = 0, own = 0, qual = NUM_EXACT;
	const struct unit *u = NULL, *h = o != NULL ? o->hdr_unit : NULL;
	struct dec v;

	if (n > 0 && (s[0] == '-' || s[0] == '+'))
		neg = s[i++] == '-';
	if (fast_digits(s, n, &i, &m, &nd) != 0 || nd == 0)
		return 0;
	nint = (size_t)nd;
	if (i < n && s[i] == '.') {
		i++;
		if (fast_digits(s, n, &i, &m, &nd) != 0 || (size_t)nd == nint)
			return 0;
	}
	if (n - i >= 3 && (memcmp(s + i, "万", 3) == 0 ||
	    memcmp(s + i, "亿", 3) == 0)) {
		exp = s[i + 1] == "万"[1] ? 4 : 8;
		own = 1;
		i += 3;
	}
	if (i < n && ((unsigned char)s[i] < 0x80 && s[i] != '%'))
		return 0;
	/* Most often a unit ends the cell; else qualifiers and 整 may follow. */
	if (i < n && ((u = unit_match(s + i, n - i)) == NULL ||
	    u->len != n - i) && (qual = fast_tail(s, n, i, &u)) < 0)
		return 0;
	/* 8亿亿元 is no figure: no magnitude after a multiplier. */
	if (u != NULL && own && u->exp10 > 0)
		return 0;
	if (u != NULL)
		exp += u->exp10;
	else if (h != NULL)
		exp += own ? 0 : h->exp10;
	v.mant = (dec_i128)m;
	v.scale = nd - (int)nint;
	if (shift_small(&v, exp) != 0)
		return 0;
	out->v = v;
	if (neg)
		out->v.mant = -out->v.mant;
	set_unit(out, u != NULL ? u->base : h != NULL ? h->base : "");
	out->qual = (enum num_qual)qual;
	out->den = dec_one;
	return 1;
}

/*
 * The express reader.  Most cells are one plain shape with no spaces:
 * qualifiers, a currency sign or a sign; Arabic digits (full-width too)
 * with a point and 万 or 亿, or Chinese numerals; then a unit, qualifiers
 * and 整.  It reads them in one pass with 64-bit integers, by the general
 * reader's rules, and leaves everything else to the general reader,
 * errors included (by returning 0): a cell is never read differently.
 * Its readers are inlined into both of its users, num_parse's and
 * num_scan's (see scan_express): a call and a frame cost a numeral more
 * than the code they would save.
 */

#define XMAX 1000000000000000000ULL /* 10^18: a few of these sum in 64 bits */
#define XDIGMAX 17		    /* digits of 一九九八, below XMAX */

/* A number read, what the readers after it need to know (see numres). */
struct xnum {
	int ndig, nmult, ownmag;
	int bare10;   /* began with 十 and no digit: 十五 */
	int trail;    /* an Arabic number's multipliers: 4 of 5万 (numres) */
	int unitnext; /* it ends before a unit of 百 or 千: 一千克, 5 千克 */
	struct dec v; /* the value read */
};

/*
 * Chinese numerals being read as read_number reads them, in integers
 * (see struct numst).  The magnitudes on its stack strictly fall, so the
 * stack is a set: bit k of mag says st[k] holds the entry of magnitude k.
 * A local of x_chinese(), which copies out what the readers after it use.
 */
struct xcn {
	uint64_t pend;
	int pk; /* PK_NONE or PK_CHN */
	int plen, pliang, zero, lastk;
	unsigned mag;
	int ndig, nmult, ownmag, bare10;
};

static int
x_have_digits(const struct xcn *x)
{
	return x->ndig > 0 || x->mag != 0 || x->pk != PK_NONE;
}

/* *p * 10^k, or -1 beyond XMAX. */
static int
x_scale(uint64_t *p, int k)
{
	/* XMAX / 10^k, without a division. */
	static const uint64_t lim[9] = {
		XMAX, XMAX / 10, XMAX / 100, XMAX / 1000, XMAX / 10000,
		XMAX / 100000, XMAX / 1000000, XMAX / 10000000,
		XMAX / 100000000
	};

	if (*p > lim[k])
		return -1;
	*p *= xp10[k];
	return 0;
}

static void
x_pend(struct xcn *x, int digit, int liang)
{
	x->pend = (uint64_t)digit;
	x->pk = PK_CHN;
	x->plen = 1;
	x->pliang = liang;
}

/* As resolve(), in integers: -1 where it fails. */
static inline int
x_resolve(const struct xcn *x, uint64_t *p)
{
	int k = x->lastk;

	*p = x->pend;
	if (x->zero)
		return x->plen >= k ? -1 : 0;
	if (x->plen == 1)
		return x_scale(p, k - 1);
	return x->plen == k ? 0 : -1;
}

/* The sum of the entries of st[] whose magnitudes are in mag. */
static uint64_t
x_sum(const uint64_t *st, unsigned mag)
{
	uint64_t sum = 0;

	/* At most five entries of at most XMAX: no wrap-around. */
	for (; mag != 0; mag &= mag - 1)
		sum += st[__builtin_ctz(mag)];
	return sum;
}

/* As apply_mult(), st[] holding the stack's values: -1 where it fails. */
static inline int __attribute__((always_inline))
x_mult(struct xcn *x, uint64_t *st, int k)
{
	unsigned below = x->mag & ((1u << k) - 1);
	uint64_t sum = x_sum(st, below), p;

	x->mag &= ~below;
	if (x->pk != PK_NONE) {
		p = x->pend;
		if (below != 0 && x_resolve(x, &p) != 0)
			return -1;
		sum += p;
	} else if (below == 0) {
		if (x->mag != 0 || x->nmult > 0)
			return -1;
		sum = 1;
		x->bare10 = k == 1;
	}
	if ((x->mag & 1u << k) != 0 || x_scale(&sum, k) != 0)
		return -1;
	st[k] = sum;
	x->mag |= 1u << k;
	x->lastk = k;
	x->nmult++;
	x->zero = 0;
	x->pk = PK_NONE;
	x->ownmag |= k >= 4;
	return 0;
}

/* As read_zero(): -1 where it does not take the 零. */
static inline int __attribute__((always_inline))
x_zero(struct xcn *x)
{
	if (x->pk == PK_CHN && !x->pliang) {
		if (x->plen >= XDIGMAX)
			return -1;
		x->pend *= 10;
		x->plen++;
	} else if (x->pk == PK_NONE && x->mag != 0) {
		x->zero = 1;
	} else if (x->pk == PK_NONE) {
		x_pend(x, 0, 0);
	} else {
		return -1;
	}
	x->ndig++;
	return 0;
}

/* As read_cdig() of digit (两 if liang): -1 where it does not take it. */
static inline int __attribute__((always_inline))
x_cdig(struct xcn *x, int digit, int liang)
{
	if (x->pk == PK_NONE) {
		x_pend(x, digit, liang);
	} else if (!liang && !x->pliang && x->plen < XDIGMAX) {
		x->pend = x->pend * 10 + (uint64_t)digit;
		x->plen++;
	} else {
		return -1;
	}
	x->ndig++;
	return 0;
}

/* Whether the number ends before h (nx after it), as number_step ends it. */
static int
x_ends(const struct ch *h, const struct ch *nx)
{
	/* 十余万: 余 before a multiplier belongs to the number. */
	if (h->k == CK_MORE)
		return nx->k != CK_MULT;
	/* 1.182E+09 is read_exp's. */
	return h->k == CK_END || (h->k == CK_OTHER && (h->cp | 0x20) != 'e');
}

/* u8kind's entry for the three bytes at p, or NULL. */
static inline const struct u8kind *
x_entry(const unsigned char *p)
{
	uint32_t key = u8key(p);
	const struct u8kind *e = &u8kind[U8SLOT(key)];

	/* An empty slot has key 0 and kind CK_END: no numeral either. */
	return e->key == key ? e : NULL;
}

/*
 * unit_ends() for 百 or 千 at c->s[at].  No unit of exp10 0 starts with
 * 百 or 千 and a numeral (see lib/unit.c): before one, 0.
 */
static inline int __attribute__((always_inline))
x_unit_ends(const struct ctx *c, size_t at)
{
	const struct u8kind *nx;

	if (c->n - at >= 6 && (nx = x_entry((const unsigned char *)c->s +
	    at + 3)) != NULL && (nx->k == CK_CDIG || nx->k == CK_ZERO ||
	    nx->k == CK_MULT))
		return 0;
	return unit_ends(c, at);
}

/*
 * number_step() on u8kind's entry e, at c->s[at]: 1 took it, 0 the
 * number ends before it, -1 give up, 2 it is no numeral.
 */
static inline int __attribute__((always_inline))
x_step(const struct ctx *c, size_t at, struct xcn *x, uint64_t *st,
    const struct u8kind *e)
{
	int liang, val = e->val;

	switch (e->k) {
	case CK_ZERO:
		return x_zero(x) == 0 ? 1 : -1;
	case CK_CDIG:
		liang = e->cp == 0x4e24 || e->cp == 0x5169; /* 两 兩 */
		if (liang && x_have_digits(x))
			return -1;
		return x_cdig(x, val, liang) == 0 ? 1 : -1;
	case CK_MULT:
		if (x_have_digits(x) && (val == 2 || val == 3) &&
		    x_unit_ends(c, at))
			return 0;
		return x_mult(x, st, val) == 0 ? 1 : -1;
	}
	return 2;
}

/* As total(): the value into *v. */
static inline int __attribute__((always_inline))
x_total(const struct xcn *x, const uint64_t *st, struct dec *v)
{
	uint64_t sum = x_sum(st, x->mag), p;

	if (x->pk != PK_NONE) {
		p = x->pend;
		if (x->mag != 0 && x_resolve(x, &p) != 0)
			return -1;
		sum += p;
	}
	v->mant = (dec_i128)sum;
	v->scale = 0;
	return 0;
}

/*
 * Chinese numerals at c->i, as read_number reads them, or -1.  Every
 * numeral is three bytes, in u8kind: one look-up each, and the text in
 * locals (stores through x could change c's fields).
 */
static inline int __attribute__((always_inline))
x_chinese(struct ctx *c, struct xnum *x, int scan)
{
	uint64_t st[9]; /* by magnitude: 十 百 千 万 亿 */
	const unsigned char *s = (const unsigned char *)c->s;
	const struct u8kind *e;
	size_t i = c->i, n = c->n;
	struct ch h, nx;
	struct xcn q = { .pk = PK_NONE };
	int took = 2;

	while (n - i >= 3 && (e = x_entry(s + i)) != NULL &&
	    (took = x_step(c, i, &q, st, e)) == 1)
		i += 3;
	c->i = i;
	if (took < 0)
		return -1;
	x->ndig = q.ndig;
	x->nmult = q.nmult;
	x->ownmag = q.ownmag;
	x->bare10 = q.bare10;
	x->unitnext = took == 0;
	/* No numeral: whether number_step() would end the number there. */
	if (took == 2 && !scan) {
		h = peek(c, i);
		nx = peek(c, i + h.len);
		if (!x_ends(&h, &nx))
			return -1;
	}
	/* A bare 万 or 十 is judged with the qualifiers (see x_value). */
	return x_total(&q, st, &x->v);
}

/*
 * As read_arabic() without an exponent, then a multiplier; or -1.  For
 * num_scan (scan set) spaces may stand before the multiplier, and the
 * caller judges where the number ends (x_scan_ends).
 */
static inline int __attribute__((always_inline))
x_arabic(struct ctx *c, struct xnum *x, int scan)
{
	uint64_t m = 0;
	int nd = 0, scale = 0, zeros = 0, group = 0, nsep = 0;
	size_t at;
	struct ch h, nx;

	for (;; c->i += h.len) {
		/* Digits in locals, without peek's look-up: 5 and ５ (EF BC 95). */
		const unsigned char *s = (const unsigned char *)c->s;
		size_t i = c->i, n = c->n;
		unsigned d;
		int nfrom = nd;

		for (;;) {
			if (i < n && (d = s[i] - (unsigned)'0') <= 9) {
				i++;
			} else if (n - i >= 3 && s[i] == 0xef &&
			    s[i + 1] == 0xbc && (d = s[i + 2] - 0x90u) <= 9) {
				i += 3;
			} else {
				break;
			}
			m = m * 10 + d;
			if (++nd > 18)
				return -1;
		}
		group += nd - nfrom;
		c->i = i;
		if ((h = peek_kind(c, c->i)).k != CK_SEP || nd == 0)
			break;
		/* As take_sep(); a separator it refuses ends the number */
		if (!group_of_three(c, c->i + h.len) || (nsep == 0 && group > 3))
			break;
		nsep++;
		group = 0;
	}
	if (h.k == CK_APOINT && peek_kind(c, c->i + h.len).k == CK_ADIG) {
		/* As read_frac: zeros wait for a digit after them. */
		for (c->i += h.len; (h = peek_kind(c, c->i)).k == CK_ADIG;
		    c->i += h.len) {
			if (h.val == 0) {
				zeros++;
				continue;
			}
			if ((nd += zeros + 1) > 18)
				return -1;
			m = m * xp10[zeros + 1] + (uint64_t)h.val;
			scale += zeros + 1;
			zeros = 0;
		}
	}
	/* 1.182E+09 is read_exp's. */
	if (h.k == CK_OTHER && (h.cp | 0x20) == 'e')
		return -1;
	x->v.mant = (dec_i128)m;
	x->v.scale = scale;
	x->ndig = 1;
	/*
	 * Multipliers, each larger than the last (1.2万亿); a smaller one is
	 * an error the end checks leave to the general reader.
	 */
	for (;;) {
		at = scan ? skip_spaces(c, c->i) : c->i;
		if (at != c->i)
			h = peek_kind(c, at);
		if (h.k != CK_MULT || h.val <= x->trail)
			break;
		/* not the 千 of 千克 (see number_step) */
		if ((h.val == 2 || h.val == 3) && unit_ends(c, at)) {
			x->unitnext = 1;
			break;
		}
		if (shift_small(&x->v, h.val) != 0)
			return -1;
		x->ownmag |= h.val >= 4;
		x->trail += h.val;
		x->nmult++;
		c->i = at + h.len;
		h = peek_kind(c, c->i);
	}
	if (scan)
		return 0;
	nx = peek_kind(c, c->i + h.len);
	return x_ends(&h, &nx) ? 0 : -1;
}

/* The number at c->i, h the character there, as read_part() reads it; or -1. */
static inline int __attribute__((always_inline))
x_number(struct ctx *c, struct xnum *x, struct ch h, int scan)
{
	x->ndig = x->nmult = x->ownmag = x->bare10 = x->trail = 0;
	x->unitnext = 0;
	if (h.k == CK_ADIG)
		return x_arabic(c, x, scan);
	if (h.k != CK_CDIG && h.k != CK_ZERO && h.k != CK_MULT)
		return -1;
	/* 百分之五 is read_per's. */
	for (size_t k = 0; h.k == CK_MULT && k < sizeof(per_forms) /
	    sizeof(per_forms[0]); k++)
		if (has(c, c->i, per_forms[k].s, 9))
			return -1;
	return x_chinese(c, x, scan);
}

/*
 * As read_prefixes(); a space after them is the number's to refuse.
 * Returns the character at c->i, where they end.
 */
static inline struct ch __attribute__((always_inline))
x_prefixes(struct ctx *c, int *money, int *neg)
{
	const struct word *w;
	int signs = 0;

	for (;;) {
		struct ch h = peek_kind(c, c->i);

		/* No prefix starts with a numeral: most cells stop here. */
		if (h.k == CK_ADIG || h.k == CK_CDIG || h.k == CK_ZERO ||
		    h.k == CK_MULT || h.k == CK_BAD)
			return h;
		if ((w = find_word(c, c->i, &before_words)) != NULL) {
			c->qual = w->qual;
			c->i += w->len;
		} else if (!*money &&
		    (w = find_word(c, c->i, &currency_words)) != NULL) {
			*money = 1;
			c->i += w->len;
		} else if (!signs && read_sign(c, neg)) {
			signs = 1;
		} else {
			return h;
		}
	}
}

/*
 * As part_tail() up to the end of the text, with no spaces: 0, or -1.
 * money_tail() would read nothing: after a unit this takes only a
 * qualifier, 整 or the end, and no number starts with one of them.
 */
static int
x_tail(struct ctx *c, const struct unit **u)
{
	const struct word *w;

	*u = NULL;
	while (c->i < c->n) {
		if ((w = find_word(c, c->i, &after_words)) != NULL) {
			c->qual = w->qual;
			c->i += w->len;
		} else if (*u == NULL &&
		    (*u = unit_match(c->s + c->i, c->n - c->i)) != NULL) {
			c->i += (*u)->len;
		} else if (*u != NULL && has(c, c->i, "整", 3)) {
			c->i += 3;
		} else {
			return -1;
		}
	}
	return 0;
}

/* Whether a unit's base is 元: three bytes, no strcmp call. */
static inline int
is_yuan(const char *base)
{
	return base[0] == "元"[0] && base[1] == "元"[1] && base[2] == "元"[2] &&
	    base[3] == '\0';
}

/* As part_value() and finish() for one part: 1 with out set, or 0. */
static inline int __attribute__((always_inline))
x_value(const struct ctx *c, const struct xnum *x, const struct unit *u,
    int money, int neg, const struct num_opts *o, struct num_val *out)
{
	const struct unit *h = o != NULL ? o->hdr_unit : NULL;
	const char *base = "";
	int exp = 0;

	/* As finish(): 万 alone is no figure, but 十 is, and so is 近万. */
	if (x->ndig == 0 && !x->bare10 && c->qual == NUM_EXACT)
		return 0;
	if (u != NULL) {
		/* A currency sign and 人: an error the general reader words. */
		if (money && !is_yuan(u->base))
			return 0;
		exp = u->exp10;
		base = u->base;
	} else if (money) {
		base = "元";
	} else if (h != NULL) {
		exp = x->ownmag ? 0 : h->exp10;
		base = h->base;
	}
	out->v = x->v;
	if (shift_small(&out->v, exp) != 0)
		return 0;
	if (neg)
		out->v.mant = -out->v.mant;
	out->den = dec_one;
	set_unit(out, base);
	out->qual = c->qual;
	return 1;
}

/*
 * The express reader: 1 with out set, or 0 for the general reader.
 * Inlined into parse(): a frame of its own costs more than it saves.
 */
static inline int __attribute__((always_inline))
express(const char *s, size_t n, const struct num_opts *o,
    struct num_val *out)
{
	struct ctx c = { .s = s, .n = n, .qual = NUM_EXACT };
	struct xnum x;
	const struct unit *u;
	int money = 0, neg = 0;

	if (x_number(&c, &x, x_prefixes(&c, &money, &neg), 0) != 0)
		return 0;
	/* Most numbers in words end the cell: no call for nothing. */
	u = NULL;
	if (c.i < c.n && x_tail(&c, &u) != 0)
		return 0;
	return x_value(&c, &x, u, money, neg, o, out);
}

/*
 * The scan reader: the express reader for num_scan, where a figure ends
 * anywhere.  The general reader ends a figure where the next step reads
 * nothing and goes back over the spaces before it; this reader gives up
 * wherever a step might read something (a numeral after the number, a
 * number after 元, a range sign) and leaves those texts to it.
 */

/*
 * Whether read_number() ends the number at c->i, at where the spaces
 * after it end: what is there is nothing number_step() takes.
 */
static inline int __attribute__((always_inline))
x_scan_ends(const struct ctx *c, size_t at)
{
	struct ch h = peek_kind(c, at);

	/* Invalid UTF-8 ends a number as any other character does. */
	switch (h.k) {
	case CK_END: case CK_OTHER: case CK_SEP:
		return 1;
	case CK_APOINT:
		return peek_kind(c, at + h.len).k != CK_ADIG;
	case CK_MORE:
		/* 十余万: 余 before a multiplier belongs to the number. */
		return peek_kind(c, skip_spaces(c, at + h.len)).k != CK_MULT;
	}
	return 0;
}

/* Whether a range sign (see is_range_sep) may be at i. */
static inline int __attribute__((always_inline))
may_range(const struct ctx *c, size_t i)
{
	struct ch h;

	if (i >= c->n)
		return 0;
	/* - ~ or the first byte of － — – ～ 〜 至 到 */
	switch ((unsigned char)c->s[i]) {
	case '-': case '~': case 0xef: case 0xe2: case 0xe3: case 0xe8:
	case 0xe5:
		break;
	default:
		return 0;
	}
	h = peek(c, i);
	return is_range_sep(&h);
}

/* Whether money_tail() might read a number after the unit u at c->i. */
static inline int __attribute__((always_inline))
x_money_follows(const struct ctx *c, const struct unit *u)
{
	if (u->exp10 > 0 || !is_yuan(u->base))
		return 0;
	switch (peek_kind(c, skip_spaces(c, c->i)).k) {
	case CK_ADIG: case CK_APOINT: case CK_CDIG: case CK_ZERO:
	case CK_TENS: case CK_MULT:
		return 1;
	}
	return 0;
}

/*
 * As part_tail() in scan mode, where money_tail() reads nothing, from at
 * (where the spaces at c->i end) with the unit *u (NULL, or that of
 * 百分之): 0 with c->i where it ends (before spaces) and *stop after
 * those spaces, or -1.
 */
static inline int __attribute__((always_inline))
x_scan_tail(struct ctx *c, size_t at, const struct unit **u, size_t *stop)
{
	const struct word *w;
	size_t save = c->i;

	for (c->i = at;; c->i = skip_spaces(c, c->i)) {
		if (c->i >= c->n)
			break;
		if ((w = find_word(c, c->i, &after_words)) != NULL) {
			c->qual = w->qual;
			c->i += w->len;
		} else if (*u == NULL &&
		    (*u = unit_match(c->s + c->i, c->n - c->i)) != NULL) {
			c->i += (*u)->len;
			if (x_money_follows(c, *u))
				return -1;
		} else if (*u != NULL && has(c, c->i, "整", 3)) {
			c->i += 3;
		} else {
			break;
		}
		save = c->i;
	}
	*stop = c->i;
	c->i = save;
	return 0;
}

/*
 * What read_part() reads after a number at c->i (after 百分之 when per
 * is set, with its unit in *u): 0 as x_scan_tail(), or -1.
 */
static inline int __attribute__((always_inline))
x_scan_rest(struct ctx *c, const struct xnum *x, int per,
    const struct unit **u, size_t *stop)
{
	size_t at = skip_spaces(c, c->i);

	if (!x->unitnext && !x_scan_ends(c, at))
		return -1;
	/* N分之M is read_fraction's. */
	if (!per && has(c, at, "分之", 6))
		return -1;
	return x_scan_tail(c, at, u, stop);
}

/*
 * 百分之, 千分之, 万分之 at c->i and the number after them, as read_per()
 * reads them: 0 with *u the unit they give (or NULL), or -1.
 */
static int
x_per(struct ctx *c, struct xnum *x, const struct unit **u)
{
	size_t k;

	for (k = 0; k < sizeof(per_forms) / sizeof(per_forms[0]); k++)
		if (has(c, c->i, per_forms[k].s, 9))
			break;
	if (k == sizeof(per_forms) / sizeof(per_forms[0]))
		return -1;
	c->i = skip_spaces(c, c->i + 9);
	if (x_number(c, x, peek_kind(c, c->i), 1) != 0)
		return -1;
	if (per_forms[k].unit != NULL)
		*u = unit_lookup(per_forms[k].unit, strlen(per_forms[k].unit));
	else if (shift_small(&x->v, per_forms[k].exp10) != 0)
		return -1;
	x->ownmag = 0;
	x->nmult = 1;
	x->trail = 0;
	return 0;
}

/*
 * After a range sign at c->s[at]: 1 if read_part() reads no number there
 * (then there is no range), 0 if it reads an Arabic one, which is the
 * caller's to read; -1 for anything else.
 */
static inline int __attribute__((always_inline))
x_range_none(const struct ctx *c, size_t at)
{
	struct ch h = peek_kind(c, at);

	switch (h.k) {
	case CK_END: case CK_SEP: case CK_CPOINT: case CK_MORE:
		return 1;
	case CK_ADIG:
		return 0;
	case CK_APOINT:
		return peek_kind(c, at + h.len).k == CK_ADIG ? -1 : 1;
	case CK_OTHER:
		/* What read_sign() might take: the first bytes it looks for. */
		switch ((unsigned char)c->s[at]) {
		case '-': case '+':
		case 0xc0: case 0xc1: case 0xe0: case 0xe2: case 0xe8:
		case 0xef: case 0xf0:
			return -1;
		}
		return 1;
	}
	return -1;
}

/* A number read by the scan reader as the general reader's part. */
static void
x_part(const struct xnum *x, const struct unit *u, int neg, struct part *p)
{
	memset(p, 0, sizeof(*p));
	p->num.v = x->v;
	p->num.ownmag = x->ownmag;
	p->num.bare = x->ndig == 0;
	p->num.bare10 = x->bare10;
	p->num.nmult = x->nmult;
	p->num.trail = x->trail;
	p->extra = dec_zero;
	p->den = dec_one;
	p->u = u;
	p->neg = neg;
}

/*
 * The second number of a range at c->i, after the first, x with unit u:
 * as scan_express().  Apart, for its frame: most texts hold no range.
 */
static int __attribute__((noinline))
scan_range(struct ctx *c, const struct xnum *x, const struct unit *u,
    int money, int neg, const struct num_opts *o, struct num_val *out,
    size_t *used)
{
	struct xnum y = { 0 };
	const struct unit *v = NULL;
	struct part a, b;
	size_t at;
	int err;

	if (x_arabic(c, &y, 1) != 0 || x_scan_rest(c, &y, 0, &v, &at) != 0)
		return -1;
	x_part(x, u, neg, &a);
	x_part(&y, v, 0, &b);
	/* What num_scan leaves in out when finish() fails, as set_null(). */
	out->unit[0] = '\0';
	out->qual = NUM_EXACT;
	err = finish(c, &a, &b, 1, money, o, out);
	if (err != NUM_OK && err != NUM_ERANGE)
		return -1;
	*used = c->i;
	return err;
}

/*
 * The scan reader on s[0..n), which holds no parenthesis (no pinyin to
 * clean): NUM_OK with out and *used set, NUM_ERANGE for a range the
 * options reject (with why), or -1 for the general reader.  A range
 * whose second number is Arabic ("3-5万", "5000万至8000万元") is read
 * here, and finish() makes one value of it as the general reader does.
 */
static inline int __attribute__((always_inline))
scan_express(const char *s, size_t n, const struct num_opts *o,
    struct num_val *out, size_t *used, char *why)
{
	struct ctx c = { .s = s, .n = n, .scan = 1, .qual = NUM_EXACT,
		.why = why };
	struct xnum x;
	const struct unit *u = NULL;
	struct ch h;
	size_t at, save;
	int money = 0, neg = 0, per = 0, none;

	h = x_prefixes(&c, &money, &neg);
	if (h.k == CK_MULT && c.n - c.i >= 9 && c.s[c.i + 3] == "分"[0] &&
	    has(&c, c.i + 3, "分之", 6)) {
		if (x_per(&c, &x, &u) != 0)
			return -1;
		per = 1;
	} else if (x_number(&c, &x, h, 1) != 0) {
		return -1;
	}
	if (x_scan_rest(&c, &x, per, &u, &at) != 0)
		return -1;
	if (!may_range(&c, at)) {
		if (!x_value(&c, &x, u, money, neg, o, out))
			return -1;
		*used = c.i;
		return NUM_OK;
	}
	save = c.i;
	c.i = skip_spaces(&c, at + peek(&c, at).len);
	if ((none = x_range_none(&c, c.i)) < 0)
		return -1;
	if (none) {
		c.i = save;
		if (!x_value(&c, &x, u, money, neg, o, out))
			return -1;
		*used = c.i;
		return NUM_OK;
	}
	return scan_range(&c, &x, u, money, neg, o, out, used);
}

/* Text with pinyin annotations removed, and where they were. */
struct clean {
	char buf[NUM_CLEANMAX];
	size_t n;
	size_t at[NUM_SPANMAX];	 /* offset in buf where text was removed */
	size_t len[NUM_SPANMAX]; /* bytes removed there */
	int nspan;
};

static int
is_cjk(uint32_t cp)
{
	return (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) ||
	    (cp >= 0xf900 && cp <= 0xfaff);
}

/* A letter of pinyin: ascii, ü and the vowels with tone marks. */
static int
is_pinyin(uint32_t cp)
{
	static const uint32_t marked[] = {
		0x101, 0xe1, 0x1ce, 0xe0, 0x113, 0xe9, 0x11b, 0xe8, 0x12b,
		0xed, 0x1d0, 0xec, 0x14d, 0xf3, 0x1d2, 0xf2, 0x16b, 0xfa,
		0x1d4, 0xf9, 0x1d6, 0x1d8, 0x1da, 0x1dc, 0xfc
	};

	if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))
		return 1;
	for (size_t k = 0; k < sizeof(marked) / sizeof(marked[0]); k++)
		if (cp == marked[k])
			return 1;
	return 0;
}

static int
is_open(const struct ctx *t, size_t i, size_t *len)
{
	*len = t->s[i] == '(' ? 1 : has(t, i, "（", 3) ? 3 : 0;
	return *len != 0;
}

/* Bytes of "(chǎng)" at i, or 0 when no annotation is there. */
static size_t
pinyin_at(const struct ctx *t, size_t i)
{
	size_t j, ol, letters = 0;
	uint32_t cp;

	if (!is_open(t, i, &ol))
		return 0;
	for (j = i + ol; j < t->n;) {
		size_t l = wy_u8dec((const unsigned char *)t->s + j, t->n - j, &cp);

		if (l == 0)
			return 0;
		if (cp == ')' || cp == 0xff09)
			return letters > 0 ? j + l - i : 0;
		if (!is_pinyin(cp) && cp != ' ' && cp != '\'')
			return 0;
		letters += cp != ' ';
		j += l;
	}
	return 0;
}

/* Copy s[0..n) (n <= NUM_CLEANMAX) without pinyin after CJK characters. */
static void
clean_pinyin(const char *s, size_t n, struct clean *cl)
{
	struct ctx t = { .s = s, .n = n };
	size_t i = 0, skip;
	uint32_t cp, prev = 0;

	cl->n = 0;
	cl->nspan = 0;
	while (i < n) {
		size_t l = wy_u8dec((const unsigned char *)s + i, n - i, &cp);

		if (l > 0 && is_cjk(prev) && cl->nspan < NUM_SPANMAX &&
		    (skip = pinyin_at(&t, i)) > 0) {
			cl->at[cl->nspan] = cl->n;
			cl->len[cl->nspan++] = skip;
			i += skip;
			prev = 0;
			continue;
		}
		if (l == 0)
			l = 1, cp = 0;
		memcpy(cl->buf + cl->n, s + i, l);
		cl->n += l;
		i += l;
		prev = cp;
	}
}

/* Where offset i of the cleaned text is in the original. */
static size_t
orig_offset(const struct clean *cl, size_t i)
{
	size_t o = i;

	for (int k = 0; k < cl->nspan; k++)
		if (cl->at[k] <= i)
			o += cl->len[k];
	return o;
}

static int
has_paren(const char *s, size_t n)
{
	const char *p;

	if (memchr(s, '(', n) != NULL)
		return 1;
	for (p = s; (p = memchr(p, 0xef, n - (size_t)(p - s))) != NULL; p++)
		if (n - (size_t)(p - s) >= 3 && (unsigned char)p[1] == 0xbc &&
		    (unsigned char)p[2] == 0x88)
			return 1;
	return 0;
}

/* The reason for text left after a figure in a cell. */
static int
fail_rest(struct ctx *c)
{
	char q[NUM_QUOTEMAX * 4 + 1];
	struct ch h = peek(c, c->i);
	size_t from = c->i, end = c->n;

	if (h.k == CK_BAD)
		return fail(c, NUM_ESYNTAX, "invalid UTF-8");
	if (h.k != CK_OTHER || (h.cp < 0x80 && !((h.cp | 0x20) >= 'a' &&
	    (h.cp | 0x20) <= 'z')))
		return fail_at(c, c->i);
	/* "5斤斤": the word is what follows the number, unit and all. */
	if (c->uend == c->i && c->uend > c->ustart)
		from = c->ustart;
	if (quote(c->s + from, end - from, q) != 0)
		return fail(c, NUM_ESYNTAX, "invalid UTF-8");
	return fail(c, NUM_EUNIT, "unknown unit \"%s\"", q);
}

static int
is_null(const char *s, size_t n)
{
	if (n > 6) /* the longest marker, …… */
		return 0;
	for (size_t k = 0; k < sizeof(null_marks) / sizeof(null_marks[0]); k++)
		if (strlen(null_marks[k]) == n && memcmp(s, null_marks[k], n) == 0)
			return 1;
	return 0;
}

static void
set_null(struct num_val *out)
{
	out->v = dec_zero;
	out->den = dec_one;
	out->unit[0] = '\0';
	out->qual = NUM_EXACT;
}

/* Whether s[0..n) (n > 0) starts (or ends) with a space, U+00A0 U+3000 too. */
static int
edge_space(const char *s, size_t n, int end)
{
	const unsigned char *p = (const unsigned char *)s;

	switch (end ? p[n - 1] : p[0]) {
	case ' ': case '\t': case '\r': case '\n':
		return 1;
	case 0xa0:
		return end && n >= 2 && p[n - 2] == 0xc2;
	case 0x80:
		return end && n >= 3 && p[n - 3] == 0xe3 && p[n - 2] == 0x80;
	case 0xc2:
		return !end && n >= 2 && p[1] == 0xa0;
	case 0xe3:
		return !end && n >= 3 && p[1] == 0x80 && p[2] == 0x80;
	}
	return 0;
}

/*
 * Whether byte c may be the first or last byte of a space (see
 * edge_space): bytes up to ' ', 0xc2 0xe3 (first), 0xa0 0x80 (last).
 * A table: two tests a cell instead of ten.
 */
#define EDGE16(b) [b] = 1, [b + 1] = 1, [b + 2] = 1, [b + 3] = 1, \
    [b + 4] = 1, [b + 5] = 1, [b + 6] = 1, [b + 7] = 1, [b + 8] = 1, \
    [b + 9] = 1, [b + 10] = 1, [b + 11] = 1, [b + 12] = 1, [b + 13] = 1, \
    [b + 14] = 1, [b + 15] = 1
static const unsigned char edge_bytes[256] = {
	EDGE16(0), EDGE16(16), [' '] = 1,
	[0xc2] = 1, [0xe3] = 1, [0xa0] = 1, [0x80] = 1
};

static inline int
edge_byte(char c)
{
	return edge_bytes[(unsigned char)c];
}

/* s[*b..*e) without the spaces around it. */
static void
trim(const char *s, size_t *b, size_t *e)
{
	struct ctx t;

	/* Most cells neither start nor end with a space. */
	if (*b < *e && !edge_byte(s[*b]) && !edge_byte(s[*e - 1]))
		return;
	if (*b < *e && !edge_space(s + *b, *e - *b, 0) &&
	    !edge_space(s + *b, *e - *b, 1))
		return;
	t.s = s;
	t.n = *e;
	*b = skip_spaces(&t, *b);
	while (*e > *b) {
		char l = s[*e - 1];

		if (l == ' ' || l == '\t' || l == '\r' || l == '\n')
			*e -= 1;
		else if (*e - *b >= 2 && memcmp(s + *e - 2, "\xc2\xa0", 2) == 0)
			*e -= 2;
		else if (*e - *b >= 3 && memcmp(s + *e - 3, "\u3000", 3) == 0)
			*e -= 3;
		else
			break;
	}
}

/*
 * The general reader on the trimmed cell s[0..n).  Apart from parse(),
 * and never inlined: its large frame would cost every cell the fast
 * readers take.
 */
static int __attribute__((noinline))
general_reader(const char *s, size_t n, const struct num_opts *o,
    struct num_val *out, char *why)
{
	struct clean cl;
	struct ctx c;
	struct part a, b;
	int err, range, money;

	set_null(out);
	if (is_null(s, n))
		return NUM_NULL;
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.n = n;
	c.why = why;
	if (c.n <= NUM_CLEANMAX && has_paren(c.s, c.n)) {
		clean_pinyin(c.s, c.n, &cl);
		c.s = cl.buf;
		c.n = cl.n;
	}
	if ((err = read_figure(&c, &a, &b, &range, &money)) != 0)
		return err;
	c.i = skip_spaces(&c, c.i);
	if (c.i < c.n)
		return fail_rest(&c);
	if ((err = finish(&c, &a, &b, range, money, o, out)) != 0)
		return err;
	if (why != NULL)
		why[0] = '\0';
	return NUM_OK;
}

/* num_parse, with the fast readers first when fast is set. */
static int
parse(const char *s, size_t n, const struct num_opts *o, struct num_val *out,
    char *why, int fast)
{
	size_t lo = 0, hi = n;

	if (why != NULL)
		why[0] = '\0';
	/* trim()'s first test, here: most cells need no more */
	if (n == 0 || edge_byte(s[0]) || edge_byte(s[n - 1]))
		trim(s, &lo, &hi);
	if (fast && (fast_parse(s + lo, hi - lo, o, out) ||
	    express(s + lo, hi - lo, o, out)))
		return NUM_OK;
	return general_reader(s + lo, hi - lo, o, out, why);
}

int
num_parse(const char *s, size_t n, const struct num_opts *o,
    struct num_val *out, char *why)
{
	return parse(s, n, o, out, why, 1);
}

int
num_parse_general(const char *s, size_t n, const struct num_opts *o,
    struct num_val *out, char *why)
{
	return parse(s, n, o, out, why, 0);
}

/*
 * num_scan by the general reader.  Never inlined: its large frame would
 * cost every text the scan reader takes.
 */
static int __attribute__((noinline))
scan_general(const char *s, size_t n, const struct num_opts *o,
    struct num_val *out, size_t *used, char *why)
{
	struct clean cl;
	struct ctx c;
	struct part a, b;
	size_t win = n < NUM_CLEANMAX ? n : NUM_CLEANMAX;
	int err, range, money, cleaned = 0;

	if (why != NULL)
		why[0] = '\0';
	*used = 0;
	set_null(out);
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.n = n;
	c.why = why;
	c.scan = 1;
	if (has_paren(s, win)) {
		clean_pinyin(s, win, &cl);
		c.s = cl.buf;
		c.n = cl.n;
		cleaned = 1;
	}
	err = read_figure(&c, &a, &b, &range, &money);
	if (err == 0)
		err = finish(&c, &a, &b, range, money, o, out);
	if (err == 0 && why != NULL)
		why[0] = '\0';
	/* An error inside a figure still covers at least its first character. */
	if (err != 0 && !c.nofig && c.i == 0 && n > 0)
		c.i = peek(&c, 0).len;
	*used = cleaned ? orig_offset(&cl, c.i) : c.i;
	if (*used > n)
		*used = n;
	return err;
}

int
num_scan(const char *s, size_t n, const struct num_opts *o,
    struct num_val *out, size_t *used, char *why)
{
	int st;

	if (why != NULL)
		why[0] = '\0';
	/* A figure is short: only its first bytes can hold pinyin. */
	if (!has_paren(s, n < NUM_CLEANMAX ? n : NUM_CLEANMAX) &&
	    (st = scan_express(s, n, o, out, used, why)) >= 0)
		return st;
	return scan_general(s, n, o, out, used, why);
}

int
num_scan_general(const char *s, size_t n, const struct num_opts *o,
    struct num_val *out, size_t *used, char *why)
{
	return scan_general(s, n, o, out, used, why);
}

/* "not whole: 12345.67" and its kin. */
static int
fail_inexact(char *why, int scale, struct dec x)
{
	char buf[DEC_STRMAX];
	struct ctx c = { .why = why };

	dec_format(x, buf);
	if (scale == 0)
		return fail(&c, NUM_EINEXACT, "not whole: %s", buf);
	return fail(&c, NUM_EINEXACT, "more than %d decimal place%s: %s", scale,
	    scale == 1 ? "" : "s", buf);
}

/* v's value expressed in `to`. */
static int
result_in(const struct num_val *v, const struct unit *to, struct dec *x,
    char *why)
{
	struct ctx c = { .why = why };

	if (v->unit[0] != '\0' && strcmp(to->base, v->unit) != 0)
		return fail(&c, NUM_EUNIT, "unit %s cannot be expressed in %s",
		    v->unit, to->name);
	if (dec_shift(*x, -to->exp10, x) != 0)
		return fail(&c, NUM_EOVERFLOW, "beyond int64");
	return 0;
}

/* x / den at scale digits: 三分之一. */
static int
result_quotient(struct dec *x, struct dec den, int scale,
    enum dec_round mode, char *why)
{
	struct ctx c = { .why = why };
	char a[DEC_STRMAX], b[DEC_STRMAX];
	int err;

	dec_format(*x, a);
	dec_format(den, b);
	if (scale < 0)
		return fail(&c, NUM_EINEXACT,
		    "not a terminating decimal: %s/%s", a, b);
	err = dec_div(*x, den, scale, mode, x);
	if (err == DEC_EINEXACT)
		return fail(&c, NUM_EINEXACT, "not exact: %s/%s", a, b);
	if (err != 0)
		return fail(&c, NUM_EOVERFLOW, "beyond int64");
	return 0;
}

/* x at scale digits. */
static int
result_round(struct dec *x, int scale, enum dec_round mode, char *why)
{
	struct ctx c = { .why = why };
	int err = dec_round(*x, scale, mode, x);

	if (err == DEC_EINEXACT)
		return fail_inexact(why, scale, *x);
	if (err != 0)
		return fail(&c, NUM_EOVERFLOW, "beyond int64");
	return 0;
}

/* Whether x's integer part fits int64: wy-norm's consumers read it so. */
static int
int_part_fits(struct dec x)
{
	struct dec ip;

	/* It does when the mantissa does. */
	if (x.mant <= INT64_MAX && x.mant >= INT64_MIN)
		return 1;
	return dec_round(x, 0, DEC_ROUND_TRUNC, &ip) == 0 &&
	    ip.mant <= INT64_MAX && ip.mant >= INT64_MIN;
}

/* num_result but for its usual case; apart, for its large frame. */
static int __attribute__((noinline))
result_general(const struct num_val *v, const struct unit *to, int scale,
    enum dec_round mode, struct dec *out, char *why)
{
	struct ctx c;
	struct dec x = v->v;
	int err = 0;

	if (to != NULL && (err = result_in(v, to, &x, why)) != 0)
		return err;
	if (v->den.mant != 1 || v->den.scale != 0)
		err = result_quotient(&x, v->den, scale, mode, why);
	else if (scale >= 0)
		err = result_round(&x, scale, mode, why);
	else if (x.scale != 0) /* a whole number is normal already */
		x = dec_normalize(x);
	if (err != 0)
		return err;
	if (!int_part_fits(x)) {
		c.why = why;
		return fail(&c, NUM_EOVERFLOW, "beyond int64");
	}
	*out = x;
	return NUM_OK;
}

int
num_result(const struct num_val *v, const struct unit *to, int scale,
    enum dec_round mode, struct dec *out, char *why)
{
	if (why != NULL)
		why[0] = '\0';
	/*
	 * The usual: a number that fits, which no scale changes if whole,
	 * and which is the shortest exact decimal already if its last digit
	 * is no 0 (12.5).
	 */
	if (to == NULL && v->den.mant == 1 && v->den.scale == 0 &&
	    v->v.mant <= INT64_MAX && v->v.mant >= INT64_MIN &&
	    (v->v.scale == 0 || (scale < 0 && (int64_t)v->v.mant % 10 != 0))) {
		*out = v->v;
		return NUM_OK;
	}
	return result_general(v, to, scale, mode, out, why);
}

/* The bytes of "(" or "（" that opens the last group of h[0..n), or n. */
static size_t
last_open(const char *h, size_t n)
{
	for (size_t i = n; i-- > 0;) {
		if (h[i] == '(')
			return i;
		if (n - i >= 3 && memcmp(h + i, "（", 3) == 0)
			return i;
	}
	return n;
}

const struct unit *
num_header_unit(const char *s, size_t n, size_t *namelen)
{
	size_t lo = 0, hi = n, open, ib, ie, nb = 0, ne;
	const struct unit *u;
	static const char *const label[] = { "单位：", "单位:", "單位：",
		"單位:" };

	*namelen = n;
	trim(s, &lo, &hi);
	if (hi > lo && s[hi - 1] == ')')
		hi -= 1;
	else if (hi - lo >= 3 && memcmp(s + hi - 3, "）", 3) == 0)
		hi -= 3;
	else
		return NULL;
	if ((open = last_open(s + lo, hi - lo)) == hi - lo)
		return NULL;
	open += lo;
	ib = open + (s[open] == '(' ? 1 : 3);
	ie = hi;
	trim(s, &ib, &ie);
	for (size_t k = 0; k < sizeof(label) / sizeof(label[0]); k++) {
		size_t l = strlen(label[k]);

		if (ie - ib >= l && memcmp(s + ib, label[k], l) == 0) {
			ib += l;
			trim(s, &ib, &ie);
			break;
		}
	}
	if ((u = unit_lookup(s + ib, ie - ib)) == NULL)
		return NULL;
	ne = open;
	trim(s, &nb, &ne);
	*namelen = ne;
	return u;
}
