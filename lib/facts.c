/*
 * facts: line by line, clean; sentence by sentence, look for the places
 * where a number may start (a digit or a Chinese numeral), and at each
 * decide between a date, a name and a figure.  Figures are read by
 * num_scan alone; this file only says where they start (the qualifier
 * or currency words before them) and whether what was read is a fact.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "facts.h"

#define FACTS_PREFIXMAX 3 /* words before a number: 约 人民币 - */
#define FACTS_YEARLO 1000 /* a year written with 年 */
#define FACTS_YEARHI 2999
#define FACTS_SPANLO 1900 /* the ends of a span of years without 年 */
#define FACTS_SPANHI 2100

/* One sentence of a cleaned line being read. */
struct scan {
	struct facts *f;
	const char *s;	    /* the cleaned line */
	size_t sb, se;	    /* the sentence, in s */
	size_t k;	    /* and its number in the line (see sent_split) */
	const char *doc;    /* the document, and the line's offset in it */
	size_t base;
	size_t cpos, ccp;   /* a place in s and the code points before it */
	size_t cpbase;	    /* code points of the lines before */
	long line;
	facts_fn fn;
	void *arg;
	struct wy_err *e;
};

/* What a figure's text holds (see spell). */
enum {
	F_ARABIC = 1,	/* a digit 0-9 or ０-９ in its number */
	F_MAG = 2,	/* 万 亿 萬 億 in its number */
	F_FRACTION = 4,	/* 分之: 三分之一, 万分之五 */
	F_YUAN = 8	/* 元 圆 圓 */
};

/* A figure read: where, and what num_scan made of it. */
struct fig {
	size_t q, end;	  /* the figure in s, prefixes and unit included */
	size_t p;	  /* where its number starts */
	struct num_val v; /* the value (the low end of a range) */
	struct num_val hi;
	int range;
	int spelt;	  /* F_* */
	uint32_t last;	  /* its last character */
};

static const char *const kind_names[] = { "quantity", "percent", "year",
	"range" };
static const char *const qual_names[] = { "", "gt", "lt", "approx" };

const char *
facts_kind_name(enum facts_kind k)
{
	return kind_names[k];
}

const char *
facts_qual_name(enum num_qual q)
{
	return qual_names[q];
}

static int
in_set(uint32_t cp, const uint32_t *set)
{
	for (; *set != 0; set++)
		if (*set == cp)
			return 1;
	return 0;
}

static int
is_adigit(uint32_t cp)
{
	return (cp >= '0' && cp <= '9') || (cp >= 0xff10 && cp <= 0xff19);
}

static int
is_letter(uint32_t cp)
{
	return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
}

static const uint32_t mults[] = { U'十', U'百', U'千', U'万', U'亿', U'拾',
	U'佰', U'仟', U'萬', U'億', 0 };

/*
 * The characters a figure's number may start with: those num_scan may
 * read as (part of) a Chinese number and the full-width digits, as a
 * bitmap in two levels.  digit_block maps a block of 64 code points
 * (cp >> 6) to its row of digit_bits (0: none in it), whose bit cp & 63
 * says whether cp is one.  The scan asks this of every character.
 */
#define BIT(c) (1ull << ((c) & 63))
static const uint64_t digit_bits[] = {
	0,
	BIT(U'〇'),
	BIT(U'一') | BIT(U'三') | BIT(U'七') | BIT(U'万') | BIT(U'两'),
	BIT(U'九'),
	BIT(U'二') | BIT(U'五') | BIT(U'亿'),
	BIT(U'仟'),
	BIT(U'伍'),
	BIT(U'佰'),
	BIT(U'億'),
	BIT(U'六') | BIT(U'八') | BIT(U'兩'),
	BIT(U'十') | BIT(U'千') | BIT(U'卅'),
	BIT(U'叁') | BIT(U'參') | BIT(U'叄'),
	BIT(U'四'),
	BIT(U'壹'),
	BIT(U'廿'),
	BIT(U'拾'),
	BIT(U'捌'),
	BIT(U'柒'),
	BIT(U'玖'),
	BIT(U'百'),
	BIT(U'肆'),
	BIT(U'萬'),
	BIT(U'貳'),
	BIT(U'贰'),
	BIT(U'陆') | BIT(U'陸'),
	BIT(U'零'),
	/* ０ to ９, U+FF10 to U+FF19 */
	0x3ffull << (0xff10 & 63)
};
#undef BIT
static const unsigned char digit_block[0x10000 >> 6] = {
	[U'〇' >> 6] = 1, [U'一' >> 6] = 2, [U'九' >> 6] = 3, [U'二' >> 6] = 4,
	[U'仟' >> 6] = 5, [U'伍' >> 6] = 6, [U'佰' >> 6] = 7, [U'億' >> 6] = 8,
	[U'六' >> 6] = 9, [U'十' >> 6] = 10, [U'叁' >> 6] = 11, [U'四' >> 6] = 12,
	[U'壹' >> 6] = 13, [U'廿' >> 6] = 14, [U'拾' >> 6] = 15,
	[U'捌' >> 6] = 16, [U'柒' >> 6] = 17, [U'玖' >> 6] = 18,
	[U'百' >> 6] = 19, [U'肆' >> 6] = 20, [U'萬' >> 6] = 21,
	[U'貳' >> 6] = 22, [U'贰' >> 6] = 23, [U'陆' >> 6] = 24, [U'零' >> 6] = 25,
	[0xff10 >> 6] = 26
};

/* In the bitmap above: cp >> 6 is blk, cp & 63 is bit. */
static inline int
in_digit_map(uint32_t blk, uint32_t bit)
{
	return digit_bits[digit_block[blk]] >> bit & 1;
}

/*
 * A character num_scan may read as (part of) a Chinese number: 〇 零 一
 * to 九 十 百 千 万 亿 两 兩, the financial capitals 壹 贰 貳 叁 參 叄 肆
 * 伍 陆 陸 柒 捌 玖 拾 佰 仟 萬 億, and 廿 卅 (the map less the full-width
 * digits, the only characters of it from U+FF00 on).
 */
static inline int
is_numeral(uint32_t cp)
{
	return cp < 0xff00 && in_digit_map(cp >> 6, cp & 63);
}

/* The digits a year is written with in Chinese: 二〇二五. */
static const uint32_t cdigits[] = { U'〇', U'零', U'一', U'二', U'三',
	U'四', U'五', U'六', U'七', U'八', U'九', 0 };

/* All of them are numerals: most characters are told no by the map. */
static int
is_cdigit(uint32_t cp)
{
	return is_numeral(cp) && in_set(cp, cdigits);
}

static int
is_range_sep(uint32_t cp)
{
	switch (cp) {
	case '-': case '~': case U'－': case U'—': case U'–': case U'～':
	case U'〜': case U'至': case U'到':
		return 1;
	}
	return 0;
}

/* The character at s[i] within the sentence: its length, 0 at the end. */
static inline size_t
ch(const struct scan *sc, size_t i, uint32_t *cp)
{
	*cp = 0;
	if (i >= sc->se)
		return 0;
	return clean_u8(sc->s + i, sc->se - i, cp);
}

/* The character before s[i] in the sentence (0 if none); *at its start. */
static inline __attribute__((always_inline)) uint32_t
before(const struct scan *sc, size_t i, size_t *at)
{
	const unsigned char *u = (const unsigned char *)sc->s;
	size_t j = i;
	uint32_t cp = 0;

	/* ASCII, and the three bytes clean_u8 decodes inline, at once */
	if (i > sc->sb && u[i - 1] < 0x80) {
		if (at != NULL)
			*at = i - 1;
		return u[i - 1];
	}
	if (i - sc->sb >= 3 && (u[i - 1] & 0xc0) == 0x80 &&
	    (u[i - 2] & 0xc0) == 0x80 && u[i - 3] >= 0xe1 && u[i - 3] != 0xed &&
	    u[i - 3] <= 0xef) {
		if (at != NULL)
			*at = i - 3;
		return (uint32_t)(u[i - 3] & 0x0f) << 12 |
		    (uint32_t)(u[i - 2] & 0x3f) << 6 | (u[i - 1] & 0x3f);
	}
	while (j > sc->sb && i - j < 4) {
		j--;
		if (((unsigned char)sc->s[j] & 0xc0) != 0x80)
			break;
	}
	if (j < i)
		clean_u8(sc->s + j, i - j, &cp);
	if (at != NULL)
		*at = j;
	return cp;
}

static int
is_space(uint32_t cp)
{
	return cp == ' ' || cp == 0xa0 || cp == U'\u3000';
}

/* Skip spaces from i on. */
static size_t
spaces_fwd(const struct scan *sc, size_t i)
{
	size_t l;
	uint32_t cp;

	while ((l = ch(sc, i, &cp)) > 0 && is_space(cp))
		i += l;
	return i;
}

/*
 * Is the word w written at s[i] (within the sentence)?  Inline, and byte
 * by byte, so that a literal w is compared without a call, and most
 * places are told no at the first byte.
 */
static inline __attribute__((always_inline)) int
has(const struct scan *sc, size_t i, const char *w)
{
	size_t len = strlen(w);

	if (i > sc->se || sc->se - i < len)
		return 0;
	for (size_t k = 0; k < len; k++)
		if (sc->s[i + k] != w[k])
			return 0;
	return 1;
}

/*
 * Code points from the line's start to s[i], counted from the last place
 * asked for (sc->cpos), forth or back.  next_start counts what it passes
 * over, so that only the figures and their prefixes are counted here.
 */
static inline __attribute__((always_inline)) size_t
cp_at(struct scan *sc, size_t i)
{
	if (i >= sc->cpos)
		sc->ccp += clean_ncp(sc->s + sc->cpos, i - sc->cpos);
	else
		sc->ccp -= clean_ncp(sc->s + i, sc->cpos - i);
	sc->cpos = i;
	return sc->ccp;
}

/* End of the digits and numerals at p, with points and separators inside. */
static size_t
numeral_run(const struct scan *sc, size_t p)
{
	size_t i = p, l;
	uint32_t cp, nx;

	while (i < sc->se) {
		/* most are ASCII digits */
		if (sc->s[i] >= '0' && sc->s[i] <= '9') {
			i++;
			continue;
		}
		l = ch(sc, i, &cp);
		if (!is_adigit(cp) && !is_numeral(cp) &&
		    !((cp == '.' || cp == U'．' || cp == ',') && i > p &&
		    ch(sc, i + l, &nx) > 0 && is_adigit(nx)))
			break;
		i += l;
	}
	return i;
}

/*
 * Hand a fact to the callback: its places in the cleaned text and in the
 * source, and its clause.
 */
static int
emit(struct scan *sc, size_t q, size_t end, struct facts_fact *fc)
{
	const struct clean *cl = &sc->f->cl;
	size_t a = clean_src_start(cl, q), b = clean_src_end(cl, end), cb, ce;

	fc->sent = sc->f->nsent;
	fc->start = sc->cpbase + cp_at(sc, q);
	fc->end = sc->cpbase + cp_at(sc, end);
	fc->srcoff = sc->base + a;
	fc->text = sc->doc + fc->srcoff;
	fc->textlen = b > a ? b - a : 0;
	fc->line = sc->line;
	sent_clause(&sc->f->sl, sc->s, sc->k, q - sc->sb, end - sc->sb, &cb,
	    &ce);
	fc->ctx = sc->s + sc->sb + cb;
	fc->ctxlen = ce - cb;
	/* the line's one LF, if any, ends it: it would end them */
	fc->plain = !cl->escapes && (fc->textlen == 0 ||
	    fc->text[fc->textlen - 1] != '\n') && (fc->ctxlen == 0 ||
	    fc->ctx[fc->ctxlen - 1] != '\n');
	return sc->fn(sc->arg, fc, sc->e);
}

/* Digits at p, all Arabic or all of cdigits: the end; *nchar of them. */
static size_t
digit_run(const struct scan *sc, size_t p, int *nchar)
{
	size_t i = p, l;
	uint32_t cp;
	int arabic = -1;

	*nchar = 0;
	while ((l = ch(sc, i, &cp)) > 0) {
		int a = is_adigit(cp);

		if ((!a && !is_cdigit(cp)) || (arabic >= 0 && a != arabic))
			break;
		arabic = a;
		i += l;
		(*nchar)++;
	}
	return i;
}

/*
 * The whole number that s[a..b) writes, read by num_scan; up to 4 ASCII
 * digits (most years, months and days) are read here, as num_scan
 * would.
 */
static int
read_int(const struct scan *sc, size_t a, size_t b, long *v)
{
	struct num_val nv;
	size_t used, i;
	int64_t x;

	for (i = a, *v = 0; i < b && b - a <= 4 && sc->s[i] >= '0' &&
	    sc->s[i] <= '9'; i++)
		*v = *v * 10 + (sc->s[i] - '0');
	if (i == b && b > a)
		return 0;
	if (num_scan(sc->s + a, b - a, NULL, &nv, &used, NULL) != NUM_OK ||
	    used != b - a || nv.unit[0] != '\0' || nv.qual != NUM_EXACT ||
	    nv.den.mant != 1 || dec_to_i64(nv.v, &x) != 0)
		return -1;
	*v = (long)x;
	return 0;
}

/*
 * A month or a day at p: a number from 1 to hi, then one of words.
 * Returns the end (after the word) with *v set, or 0.
 */
static size_t
date_part(const struct scan *sc, size_t p, const char *const *words, long hi,
    long *v)
{
	size_t i = p, l;
	uint32_t cp;
	int nc = 0, arabic = -1;

	while (nc < 3 && (l = ch(sc, i, &cp)) > 0) {
		int a = is_adigit(cp);

		if ((!a && !is_cdigit(cp) && cp != U'十') ||
		    (arabic >= 0 && a != arabic))
			break;
		arabic = a;
		i += l;
		nc++;
	}
	if (nc == 0 || (arabic && nc > 2))
		return 0;
	for (; *words != NULL; words++)
		if (has(sc, i, *words))
			break;
	if (*words == NULL || read_int(sc, p, i, v) != 0 || *v < 1 || *v > hi)
		return 0;
	return i + strlen(*words);
}

/*
 * "—2035", "至2035年" after the year y at i: the end, *y2 set, or 0.
 * Without 年 on either end, both must be plausible years and no unit
 * may follow ("1500-2000户" is a range of households).
 */
static size_t
year_span(const struct scan *sc, size_t i, long y, int nian, long *y2)
{
	size_t l, j;
	uint32_t cp;
	int nc;

	if ((l = ch(sc, i, &cp)) == 0 || !is_range_sep(cp))
		return 0;
	i += l;
	if (cp == U'—' && ch(sc, i, &cp) > 0 && cp == U'—')
		i += l;
	j = digit_run(sc, i, &nc);
	if ((nc != 4 && nc != 2) || read_int(sc, i, j, y2) != 0)
		return 0;
	/* 2023-24年度: the second end in two digits */
	if (nc == 2 && !has(sc, j, "年"))
		return 0;
	if (nc == 2)
		*y2 += y / 100 * 100;
	if (*y2 <= y)
		return 0;
	if (has(sc, j, "年"))
		return j + strlen("年");
	if (!nian && (y < FACTS_SPANLO || *y2 > FACTS_SPANHI ||
	    unit_match(sc->s + j, sc->se - j) != NULL || has(sc, j, "万") ||
	    has(sc, j, "亿")))
		return 0;
	return j;
}

/* v in decimal at d, at least width digits (zeros first): the end. */
static char *
put_decimal(char *d, unsigned long v, int width)
{
	char digits[24];
	int k = 0;

	do
		digits[k++] = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	while (k < width)
		digits[k++] = '0';
	while (k > 0)
		*d++ = digits[--k];
	return d;
}

/* "y/y2" into value. */
static void
put_span(char *value, long y, long y2)
{
	char *d = put_decimal(value, (unsigned long)y, 1);

	*d++ = '/';
	*put_decimal(d, (unsigned long)y2, 1) = '\0';
}

static const char *const w_month[] = { "月", NULL };
static const char *const w_day[] = { "日", "号", "號", NULL };

/* A month, and maybe its day, at p; value "--MM" or "--MM-DD". */
static size_t
month_day(const struct scan *sc, size_t p, const char *year, char *value)
{
	long m, d;
	size_t j, k;
	char *end;

	if ((j = date_part(sc, p, w_month, 12, &m)) == 0)
		return 0;
	end = stpcpy(value, year);
	*end++ = '-';
	end = put_decimal(end, (unsigned long)m, 2);
	if ((k = date_part(sc, j, w_day, 31, &d)) > 0) {
		*end++ = '-';
		*put_decimal(end, (unsigned long)d, 2) = '\0';
		return k;
	}
	*end = '\0';
	return j;
}

/*
 * A year, a date or a span of years at p: fills fc (value, kind) and
 * returns its end, or 0 when there is none.
 */
static size_t
read_date(const struct scan *sc, size_t p, struct facts_fact *fc)
{
	char year[16];
	long y, y2;
	size_t i, j, k;
	uint32_t cp;
	int nc;

	fc->kind = FACTS_YEAR;
	i = digit_run(sc, p, &nc);
	if (nc != 4 || (!has(sc, i, "年") && (ch(sc, i, &cp) == 0 ||
	    !is_range_sep(cp))) || read_int(sc, p, i, &y) != 0 ||
	    y < FACTS_YEARLO || y > FACTS_YEARHI)
		return month_day(sc, p, "-", fc->value);
	*put_decimal(year, (unsigned long)y, 4) = '\0';
	if (!has(sc, i, "年")) {
		if ((k = year_span(sc, i, y, 0, &y2)) == 0)
			return 0;
		fc->kind = FACTS_RANGE;
		put_span(fc->value, y, y2);
		return k;
	}
	j = i + strlen("年");
	if ((k = month_day(sc, j, year, fc->value)) > 0)
		return k;
	if ((k = year_span(sc, j, y, 1, &y2)) > 0) {
		fc->kind = FACTS_RANGE;
		put_span(fc->value, y, y2);
		return k;
	}
	memcpy(fc->value, year, sizeof year);
	return j;
}

/*
 * A date, a separator and a date of the same kind ("2024年10月21日至
 * 2024年10月23日", "10月至12月"): one range.  Returns the end of the
 * span (fc's value and kind set), or end when there is none.
 */
static size_t
date_span(const struct scan *sc, size_t end, struct facts_fact *fc)
{
	struct facts_fact second;
	size_t l, k, i = end;
	uint32_t cp;

	if (fc->kind != FACTS_YEAR || (l = ch(sc, i, &cp)) == 0 ||
	    !is_range_sep(cp))
		return end;
	i += l;
	if (cp == U'—' && ch(sc, i, &cp) > 0 && cp == U'—')
		i += l;
	if ((k = read_date(sc, i, &second)) == 0 || second.kind != FACTS_YEAR ||
	    (fc->value[0] == '-') != (second.value[0] == '-'))
		return end;
	l = strlen(fc->value);
	fc->value[l] = '/';
	strcpy(fc->value + l + 1, second.value);
	fc->kind = FACTS_RANGE;
	return k;
}

/*
 * Digits that belong to letters: M2, PM2.5, G20, COVID-19, 8:30.  a is
 * the character before them, which starts at s[at].
 */
static int
in_name(const struct scan *sc, uint32_t a, size_t at)
{
	uint32_t b;

	if (is_letter(a))
		return 1;
	if (a != '-' && a != '.' && a != '/' && a != ':' && a != '_' &&
	    a != '#')
		return 0;
	b = before(sc, at, NULL);
	return is_letter(b) || (b >= '0' && b <= '9');
}

static size_t
skip_name(const struct scan *sc, size_t p)
{
	size_t i = p, l;
	uint32_t cp;

	while ((l = ch(sc, i, &cp)) > 0 && (is_letter(cp) || is_adigit(cp) ||
	    cp == '.' || cp == '-' || cp == '_'))
		i += l;
	return i;
}

enum { W_QUAL, W_CURRENCY, W_SIGN, W_VERB };

#define W(s) s, sizeof(s) - 1

/*
 * What num_scan reads before a number, longer words first; and 约为,
 * 约占 ..., a qualifier and a verb, which num_scan does not read: the
 * figure then starts at the qualifier and is about (approx).
 */
static const struct {
	const char *s;
	size_t len;
	int what;
} prefixes[] = {
	{ W("人民币"), W_CURRENCY }, { W("人民幣"), W_CURRENCY },
	{ W("大约"), W_QUAL }, { W("大約"), W_QUAL }, { W("将近"), W_QUAL },
	{ W("將近"), W_QUAL }, { W("超过"), W_QUAL }, { W("超過"), W_QUAL },
	{ W("不到"), W_QUAL }, { W("不足"), W_QUAL }, { W("未满"), W_QUAL },
	{ W("未滿"), W_QUAL }, { W("约为"), W_VERB }, { W("约占"), W_VERB },
	{ W("约有"), W_VERB }, { W("约达"), W_VERB }, { W("约合"), W_VERB },
	{ W("约计"), W_VERB }, { W("約為"), W_VERB }, { W("約佔"), W_VERB },
	{ W("約占"), W_VERB }, { W("約有"), W_VERB }, { W("約達"), W_VERB },
	{ W("約合"), W_VERB }, { W("約計"), W_VERB }, { W("约"), W_QUAL },
	{ W("約"), W_QUAL }, { W("近"), W_QUAL }, { W("超"), W_QUAL },
	{ W("逾"), W_QUAL }, { W("过"), W_QUAL }, { W("過"), W_QUAL },
	{ W("负"), W_SIGN }, { W("負"), W_SIGN }, { W("￥"), W_CURRENCY },
	{ W("¥"), W_CURRENCY }, { W("−"), W_SIGN }, { W("－"), W_SIGN },
	{ W("-"), W_SIGN }
};

/* Is cp the last character of a word above? */
static int
is_prefix_end(uint32_t cp)
{
	switch (cp) {
	case U'币': case U'幣': case U'约': case U'約': case U'近': case U'过':
	case U'過': case U'到': case U'足': case U'满': case U'滿': case U'为':
	case U'為': case U'占': case U'佔': case U'有': case U'达': case U'達':
	case U'合': case U'计': case U'計': case U'超': case U'逾': case U'负':
	case U'負': case U'￥': case U'¥': case U'−': case U'－': case '-':
		return 1;
	}
	return 0;
}

/*
 * May c0 come before c1 in a word above?  Those that end in 为 占 有 达
 * 合 计 (and their traditional forms) start with 约 or 約, those that end
 * in 到 or 足 with 不, in 满 with 未, in 币 with 民 before it: the search
 * of the words is spared for 为 and 有 of common prose.
 */
static int
prefix_pair(uint32_t c0, uint32_t c1)
{
	switch (c1) {
	case U'为': case U'為': case U'占': case U'佔': case U'有': case U'达':
	case U'達': case U'合': case U'计': case U'計':
		return c0 == U'约' || c0 == U'約';
	case U'到': case U'足':
		return c0 == U'不';
	case U'满': case U'滿':
		return c0 == U'未';
	case U'币': case U'幣':
		return c0 == U'民';
	}
	return 1;
}

/* Words that 约 近 超 end, where they are no qualifier: 节约, 最近. */
static const uint32_t not_yue[] = { U'节', U'節', U'制', U'签', U'簽', U'预',
	U'預', U'公', U'契', U'条', U'條', U'合', U'履', U'违', U'違', U'相',
	U'誓', U'隐', U'隱', U'婚', U'特', U'邀', U'简', U'簡', 0 };
static const uint32_t not_jin[] = { U'最', U'附', U'靠', U'邻', U'鄰', U'临',
	U'臨', U'亲', U'親', U'贴', U'貼', U'就', U'远', U'遠', U'晚', U'新', 0 };
static const uint32_t not_chao[] = { U'赶', U'趕', U'高', 0 };

/* Is the prefix word w, written at s[at..q) before the number at p, one? */
static int
prefix_ok(const struct scan *sc, const char *w, int what, size_t at, size_t q,
    size_t p)
{
	uint32_t b = before(sc, at, NULL), nx;

	if (what == W_SIGN)
		return q == p && !is_letter(b) && !is_adigit(b) &&
		    !is_numeral(b) && b != '.';
	if (strncmp(w, "约", strlen("约")) == 0 ||
	    strncmp(w, "約", strlen("約")) == 0)
		return !in_set(b, not_yue);
	if (strcmp(w, "近") == 0)
		return !in_set(b, not_jin);
	if (strcmp(w, "超") == 0)
		return !in_set(b, not_chao);
	/* 过万, 过亿: 通过, 经过 are no qualifiers */
	if (strcmp(w, "过") == 0 || strcmp(w, "過") == 0)
		return ch(sc, p, &nx) > 0 && in_set(nx, mults);
	return 1;
}

/* Skip spaces backwards from q, not below lo. */
static size_t
spaces_back(const struct scan *sc, size_t lo, size_t q)
{
	size_t at;

	while (q > lo && is_space(before(sc, q, &at)) && at >= lo)
		q = at;
	return q;
}

/* Where a figure starts: its text, and the text num_scan reads. */
struct start {
	size_t q;	   /* the figure's text, prefix words included */
	size_t qs;	   /* where num_scan is to read */
	enum num_qual qual; /* the qualifier of 约为, 约占 ... */
};

/*
 * Where the figure whose number starts at p (after the character prev)
 * starts, with its prefixes.
 */
static void
prefix_start(const struct scan *sc, size_t lo, size_t p, uint32_t prev,
    struct start *st)
{
	size_t word_end = is_space(prev) ? spaces_back(sc, lo, p) : p;

	st->q = st->qs = p;
	st->qual = NUM_EXACT;
	/* most numbers have none: the character before says so at once */
	if (!is_prefix_end(word_end == p ? prev : before(sc, word_end, NULL)))
		return;
	for (int k = 0; k < FACTS_PREFIXMAX; k++) {
		size_t j = spaces_back(sc, lo, st->q), len = 0, at, w;
		uint32_t last = before(sc, j, &at);

		if (!is_prefix_end(last) ||
		    !prefix_pair(before(sc, at, NULL), last))
			return;
		for (w = 0; w < sizeof(prefixes) / sizeof(prefixes[0]); w++) {
			len = prefixes[w].len;
			if (j - lo >= len && sc->s[j - 1] == prefixes[w].s[len - 1] &&
			    memcmp(sc->s + j - len, prefixes[w].s, len) == 0)
				break;
		}
		if (w == sizeof(prefixes) / sizeof(prefixes[0]))
			return;
		at = j - len;
		if (!prefix_ok(sc, prefixes[w].s, prefixes[w].what, at, j, p) ||
		    (prefixes[w].what == W_SIGN && k > 0))
			return;
		if (prefixes[w].what == W_VERB) {
			st->q = at;
			st->qual = NUM_APPROX;
			return;
		}
		st->q = st->qs = at;
	}
}

/* Marks no figure goes past: brackets, quotes, colons, clause marks. */
static int
is_stopper(uint32_t cp)
{
	switch (cp) {
	case '(': case ')': case U'（': case U'）': case U'“': case U'”':
	case U'《': case U'》': case U'【': case U'】': case U'「': case U'」':
	case U'『': case U'』': case ':': case U'：': case U'；': case U'。':
	case U'！': case U'？': case U'、': case U'，': case '[': case ']':
	case '"':
		return 1;
	}
	return 0;
}

/*
 * How window_end steps over a character by its first byte: 0 for those
 * of the characters that may be stoppers, which are ASCII or start with
 * E2 E3 EF; the length of the character for the others (1 for a stray
 * byte).
 */
static const unsigned char win_step[256] = {
	[0x00 ... '"' - 1] = 1, ['"' + 1 ... '(' - 1] = 1,
	['*' ... ':' - 1] = 1, [':' + 1 ... '[' - 1] = 1, ['\\'] = 1,
	[']' + 1 ... 0x7f] = 1, [0x80 ... 0xdf] = 2, [0xe0 ... 0xe1] = 3,
	[0xe4 ... 0xee] = 3, [0xf0 ... 0xff] = 4
};

/*
 * The text num_scan sees for a figure at q: up to the first mark no
 * figure goes past (a full-width comma between digits is a thousands
 * separator to num_scan, and it may judge), at most FACTS_FIGMAX bytes.
 */
static size_t
window_end(const struct scan *sc, size_t q)
{
	const unsigned char *u = (const unsigned char *)sc->s;
	size_t i = q, l, lim = sc->se - q > FACTS_FIGMAX ? q + FACTS_FIGMAX :
	    sc->se;
	uint32_t cp, nx;

	while (i < lim) {
		if ((l = win_step[u[i]]) != 0) {
			i += l;
			continue;
		}
		l = ch(sc, i, &cp);
		if (i + l > lim || (is_stopper(cp) && (cp != U'，' ||
		    !is_adigit(before(sc, i, NULL)) ||
		    ch(sc, i + l, &nx) == 0 || !is_adigit(nx))))
			break;
		i += l;
	}
	return i < lim ? i : lim;
}

/* The first range separator after p in s[p..w), or w. */
static size_t
sep_after(const struct scan *sc, size_t p, size_t w)
{
	size_t i = p, l;
	uint32_t cp;

	while (i < w && (l = ch(sc, i, &cp)) > 0) {
		if (i > p && is_range_sep(cp))
			return i;
		i += l;
	}
	return w;
}

static int
scan_fig(const struct scan *sc, size_t q, size_t w, enum num_range mode,
    struct num_val *v, size_t *used)
{
	struct num_opts o = { NULL, mode };

	return num_scan(sc->s + q, w - q, &o, v, used, NULL);
}

/*
 * Read the figure whose number starts at p, after the character prev
 * (prefixes not before lo).  Returns 0 with g set, or -1 when num_scan
 * reads none there.
 */
static int
read_fig(const struct scan *sc, size_t lo, size_t p, uint32_t prev,
    struct fig *g)
{
	struct start st;
	size_t w, used, cut;
	int r;

	g->p = p;
	g->range = 0;
	prefix_start(sc, lo, p, prev, &st);
	w = window_end(sc, st.qs);
	r = scan_fig(sc, st.qs, w, NUM_RANGE_REJECT, &g->v, &used);
	if (r != NUM_OK && r != NUM_ERANGE && st.qs < p) {
		st.q = st.qs = p;
		st.qual = NUM_EXACT;
		w = window_end(sc, p);
		r = scan_fig(sc, p, w, NUM_RANGE_REJECT, &g->v, &used);
	}
	/* "3560户-7814人" is no range: read the first figure alone */
	if (r != NUM_OK && r != NUM_ERANGE && (cut = sep_after(sc, p, w)) < w) {
		w = cut;
		r = scan_fig(sc, st.qs, w, NUM_RANGE_REJECT, &g->v, &used);
	}
	if (r == NUM_ERANGE) {
		if (scan_fig(sc, st.qs, w, NUM_RANGE_LOW, &g->v, &used) != NUM_OK ||
		    scan_fig(sc, st.qs, w, NUM_RANGE_HIGH, &g->hi, &used) != NUM_OK)
			return -1;
		g->range = 1;
		r = NUM_OK;
	}
	if (r != NUM_OK)
		return -1;
	g->q = st.q;
	g->end = st.qs + used;
	if (st.qual != NUM_EXACT && g->v.qual == NUM_EXACT)
		g->v.qual = st.qual;
	return 0;
}

/*
 * Classifiers and units the unit table lacks: 6大类 is 6 类, 三成 is 3
 * 成 (tenths), 35 微克/立方米 a concentration; and the qualifier after
 * them, which num_scan, stopped before them, has not read (九成以上).
 */
static void
add_classifier(const struct scan *sc, struct fig *g)
{
	static const struct {
		const char *s, *unit;
	} words[] = {
		{ "大类", "类" }, { "大類", "类" }, { "类", "类" }, { "類", "类" },
		{ "成", "成" }, { "微克/立方米", "微克/立方米" }
	};
	static const struct {
		const char *s;
		enum num_qual qual;
	} after[] = {
		{ "以上", NUM_GT }, { "以下", NUM_LT }, { "左右", NUM_APPROX },
		{ "上下", NUM_APPROX }, { "余", NUM_GT }, { "餘", NUM_GT },
		{ "多", NUM_GT }
	};
	size_t at, k;

	if (g->v.unit[0] != '\0' || g->range)
		return;
	at = spaces_fwd(sc, g->end);
	for (k = 0; k < sizeof(words) / sizeof(words[0]); k++)
		if (has(sc, at, words[k].s))
			break;
	if (k == sizeof(words) / sizeof(words[0]))
		return;
	g->end = at + strlen(words[k].s);
	snprintf(g->v.unit, sizeof g->v.unit, "%s", words[k].unit);
	for (k = 0; k < sizeof(after) / sizeof(after[0]); k++) {
		if (has(sc, g->end, after[k].s)) {
			g->end += strlen(after[k].s);
			if (g->v.qual == NUM_EXACT)
				g->v.qual = after[k].qual;
			return;
		}
	}
}

static int
is_unit(const struct fig *g, const char *u)
{
	/* most units differ from u in their first two bytes */
	return g->v.unit[0] == u[0] && (u[0] == '\0' || (g->v.unit[1] == u[1] &&
	    strcmp(g->v.unit, u) == 0));
}

/* Units that rank rather than count: 两级, 十四届, 二期. */
static int
is_rank(const struct fig *g)
{
	return is_unit(g, "级") || is_unit(g, "届") || is_unit(g, "期");
}

/*
 * What g's text holds (g->spelt) and its last character (g->last).
 * Every figure is asked whether its number has an Arabic digit, and most
 * say so at their first character; 万 亿, 分之 and 元 matter only to a
 * figure without a unit or one that ends in 分 or 角 (see is_fact and
 * describe), the only ones read through.
 */
static void
spell(const struct scan *sc, struct fig *g)
{
	uint32_t cp, prev = 0;
	size_t l;

	g->spelt = 0;
	g->last = g->end > g->q ? before(sc, g->end, NULL) : 0;
	if (g->v.unit[0] != '\0' && g->last != U'分' && g->last != U'角') {
		for (size_t i = g->p; i < g->end && (l = ch(sc, i, &cp)) > 0;
		    i += l) {
			if (is_adigit(cp)) {
				g->spelt = F_ARABIC;
				break;
			}
		}
		return;
	}
	for (size_t i = g->q; i < g->end; i += l, prev = cp) {
		l = ch(sc, i, &cp);
		if (l == 0)
			break;
		if (i >= g->p && is_adigit(cp))
			g->spelt |= F_ARABIC;
		else if (i >= g->p && (cp == U'万' || cp == U'亿' ||
		    cp == U'萬' || cp == U'億'))
			g->spelt |= F_MAG;
		else if (cp == U'之' && prev == U'分')
			g->spelt |= F_FRACTION;
		else if (cp == U'元' || cp == U'圆' || cp == U'圓')
			g->spelt |= F_YUAN;
	}
}

static const uint32_t openq[] = { U'“', U'「', U'『', U'‘', '"', '\'', 0 };

/* What ends a place name: 三门峡, 九台区. */
static const uint32_t places[] = { U'市', U'区', U'區', U'县', U'縣', U'镇',
	U'鎮', U'乡', U'鄉', U'峡', U'峽', U'路', U'街', U'州', U'省', 0 };

/*
 * A lone 一 or 二: "一批", "一起" say "a", "二次会议" "the second";
 * counts say 两.
 */
static int
is_lone(const struct scan *sc, size_t p)
{
	uint32_t first, nx;
	size_t l = ch(sc, p, &first);

	if (first != U'一' && first != U'壹' && first != U'二' &&
	    first != U'贰' && first != U'貳')
		return 0;
	return ch(sc, p + l, &nx) == 0 ||
	    (!is_numeral(nx) && nx != U'点' && nx != U'點');
}

/* The rules for figures in Chinese numerals only (see facts.h). */
static int
chinese_fact(const struct scan *sc, const struct fig *g)
{
	uint32_t nx;

	if (g->v.unit[0] == '\0' && !(g->spelt & F_FRACTION))
		return 0;
	if (is_lone(sc, g->p) || is_rank(g) ||
	    in_set(before(sc, g->q, NULL), openq))
		return 0;
	if (!is_unit(g, "个") && ch(sc, g->end, &nx) > 0 && in_set(nx, places))
		return 0;
	return !(is_unit(g, "次") && (has(sc, g->end, "产业") ||
	    has(sc, g->end, "產業")));
}

/* Is the figure g a fact?  (See facts.h.) */
static int
is_fact(const struct scan *sc, const struct fig *g)
{
	if (!(g->spelt & F_ARABIC) && !chinese_fact(sc, g))
		return 0;
	if (g->v.unit[0] == '\0' && !(g->spelt & (F_FRACTION | F_MAG)))
		return 0;
	/* 3个月, 5个工作日: spans of time */
	if ((is_unit(g, "个") || is_unit(g, "個")) && (has(sc, g->end, "月") ||
	    has(sc, g->end, "工作日")))
		return 0;
	/* 十分重要: a lone 分 or 角 is no money */
	return !((g->last == U'分' || g->last == U'角') && !(g->spelt & F_YUAN));
}

static void
format_value(const struct num_val *v, char *buf)
{
	size_t k = dec_format(dec_normalize(v->v), buf);

	if (v->den.mant != 1 || v->den.scale != 0) {
		buf[k++] = '/';
		dec_format(dec_normalize(v->den), buf + k);
	}
}

/* Fill fc from a figure that is a fact. */
static void
describe(const struct fig *g, struct facts_fact *fc)
{
	size_t k;

	memcpy(fc->unit, g->v.unit, sizeof fc->unit);
	fc->qual = g->v.qual;
	format_value(&g->v, fc->value);
	if (g->range) {
		k = strlen(fc->value);
		fc->value[k++] = '/';
		format_value(&g->hi, fc->value + k);
		fc->kind = FACTS_RANGE;
	} else if (is_unit(g, "%") || is_unit(g, "‰") || is_unit(g, "百分点") ||
	    is_unit(g, "成") ||
	    (g->v.unit[0] == '\0' && (g->spelt & F_FRACTION))) {
		fc->kind = FACTS_PERCENT;
	} else {
		fc->kind = FACTS_QUANTITY;
	}
}

/*
 * What starts at p, a digit or a numeral (nothing before lo belongs to
 * it): a date, a name, an ordinal, a figure or nothing.  Emits a fact if
 * it is one; *next is where to go on.  Returns 0 or -1 (fn failed).
 */
static int
candidate(struct scan *sc, size_t lo, size_t p, size_t *next)
{
	struct facts_fact fc;
	struct fig g;
	size_t run = numeral_run(sc, p), end, at;
	uint32_t nx, prev = before(sc, p, &at);

	*next = run;
	if (in_name(sc, prev, at)) {
		*next = skip_name(sc, p);
		return 0;
	}
	/* a date goes on with 年, 月 or a separator: 2025年, 10月, 2021—2035 */
	if (prev != U'第' && (has(sc, run, "年") ||
	    has(sc, run, "月") || (ch(sc, run, &nx) > 0 && is_range_sep(nx))) &&
	    (end = read_date(sc, p, &fc)) > 0) {
		end = date_span(sc, end, &fc);
		fc.unit[0] = '\0';
		fc.qual = NUM_EXACT;
		*next = end;
		return emit(sc, p, end, &fc);
	}
	/* 第3, 第一产业: ordinals; 一批, 二次: a lone 一 or 二 (is_lone) */
	if (prev == U'第' ||
	    (run == p + ch(sc, p, &nx) && is_lone(sc, p)))
		return 0;
	if (read_fig(sc, lo, p, prev, &g) != 0)
		return 0;
	add_classifier(sc, &g);
	spell(sc, &g);
	if (g.end > run)
		*next = g.end;
	/* 5G, 3A: names */
	if (ch(sc, g.end, &nx) > 0 && is_letter(nx)) {
		*next = skip_name(sc, g.end);
		return 0;
	}
	if (!is_fact(sc, &g))
		return 0;
	describe(&g, &fc);
	return emit(sc, g.q, g.end, &fc);
}

/*
 * Where the next digit or numeral starts, from s[i] on: i, or se.  The
 * code points passed over are counted into sc->ccp (see cp_at): those of
 * three bytes by the bytes they fill, the others one by one.
 *
 * A character of three bytes, first byte E0 to EF, is looked up in the
 * map by its bytes alone.  This takes in E0 and ED, which clean_u8 reads
 * as U+FFFD when they make an overlong or a surrogate: harmless, as the
 * map has no numeral in their ranges (U+0000-0FFF, U+D000-DFFF), and
 * either way the three bytes are passed.
 */
static size_t
next_start(struct scan *sc, size_t i)
{
	const unsigned char *u = (const unsigned char *)sc->s;
	size_t se = sc->se, lim = se > 2 ? se - 2 : 0, from = i, l;
	size_t nother = 0, other = 0; /* code points and bytes of the rest */
	uint32_t cp;
	unsigned b, c1, c2;

	cp_at(sc, i);
	while (i < se) {
		b = u[i];
		if (b < 0x80) {
			if (b >= '0' && b <= '9')
				break;
			i++;
			nother++;
			other++;
		} else if (b - 0xe0 < 16 && i < lim &&
		    ((c1 = u[i + 1] ^ 0x80) | (c2 = u[i + 2] ^ 0x80)) < 0x40) {
			if (in_digit_map((b & 0x0f) << 6 | c1, c2))
				break;
			i += 3;
		} else {
			l = ch(sc, i, &cp);
			if (is_numeral(cp) || is_adigit(cp))
				break;
			nother += clean_ncp(sc->s + i, l);
			other += l;
			i += l;
		}
	}
	sc->ccp += nother + (i - from - other) / 3;
	sc->cpos = i;
	return i;
}

static int
scan_sentence(struct scan *sc)
{
	size_t i, lo = sc->sb, next;
	uint32_t cp;

	for (i = next_start(sc, lo); i < sc->se; i = next_start(sc, lo)) {
		if (candidate(sc, lo, i, &next) < 0)
			return -1;
		lo = next > i ? next : i + ch(sc, i, &cp);
	}
	return 0;
}

/* The facts of one cleaned line, sentence by sentence. */
static int
scan_line(struct scan *sc)
{
	const struct clean *cl = &sc->f->cl;
	struct sent_line *sl = &sc->f->sl;
	size_t n = cl->len;

	if (sent_split_marks(sl, cl->buf, n, cl->marks, cl->nmarks, sc->e) < 0)
		return -1;
	sc->se = 0;
	for (sc->k = 0; sc->k < sl->nsent; sc->k++) {
		sc->sb = sc->se;
		sc->se = sl->sent[sc->k].end;
		if (sent_blank(cl->buf + sc->sb, sc->se - sc->sb))
			continue;
		sc->f->nsent++;
		if (scan_sentence(sc) < 0)
			return -1;
	}
	sc->cpbase += cp_at(sc, n);
	return 0;
}

int
facts_scan(struct facts *f, const char *s, size_t n, facts_fn fn, void *arg,
    struct wy_err *e)
{
	struct scan sc;
	size_t at = 0;

	memset(&sc, 0, sizeof sc);
	sc.f = f;
	sc.doc = s;
	sc.fn = fn;
	sc.arg = arg;
	sc.e = e;
	f->nsent = 0;
	f->nchar = 0;
	f->nline = 0;
	while (at < n) {
		const char *nl = memchr(s + at, '\n', n - at);
		size_t len = nl != NULL ? (size_t)(nl - (s + at)) + 1 : n - at;

		if (clean_line(&f->cl, s + at, len, e) < 0)
			return -1;
		sc.s = f->cl.buf;
		sc.base = at;
		sc.line++;
		sc.cpos = sc.ccp = 0;
		if (scan_line(&sc) < 0)
			return -1;
		at += len;
	}
	f->nchar = sc.cpbase;
	f->nline = sc.line;
	return 0;
}

void
facts_free(struct facts *f)
{
	clean_free(&f->cl);
	sent_line_free(&f->sl);
}
