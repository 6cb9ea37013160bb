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
#include "sent.h"

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

/* The digits a year is written with in Chinese: 二〇二五. */
static const uint32_t cdigits[] = { U'〇', U'零', U'一', U'二', U'三',
	U'四', U'五', U'六', U'七', U'八', U'九', 0 };

static int
is_cdigit(uint32_t cp)
{
	return in_set(cp, cdigits);
}

static const uint32_t mults[] = { U'十', U'百', U'千', U'万', U'亿', U'拾',
	U'佰', U'仟', U'萬', U'億', 0 };

/*
 * The 256-character blocks (cp >> 8) that hold the numerals below, one
 * bit each: most characters are ruled out by one look.
 */
static const unsigned char numeral_blocks[32] = {
	[0x30 >> 3] = 1 << (0x30 & 7),
	[0x4e >> 3] = 1 << (0x4e & 7) | 1 << (0x4f & 7),
	[0x51 >> 3] = 1 << (0x51 & 7) | 1 << (0x53 & 7) | 1 << (0x56 & 7),
	[0x58 >> 3] = 1 << (0x58 & 7) | 1 << (0x5e & 7),
	[0x62 >> 3] = 1 << (0x62 & 7) | 1 << (0x63 & 7) | 1 << (0x67 & 7),
	[0x73 >> 3] = 1 << (0x73 & 7) | 1 << (0x76 & 7),
	[0x80 >> 3] = 1 << (0x80 & 7) | 1 << (0x84 & 7),
	[0x8c >> 3] = 1 << (0x8c & 7) | 1 << (0x8d & 7),
	[0x96 >> 3] = 1 << (0x96 & 7)
};

/* A character num_scan may read as (part of) a Chinese number. */
static inline __attribute__((always_inline)) int
is_numeral(uint32_t cp)
{
	if (cp > 0xffff ||
	    !(numeral_blocks[cp >> 11] & 1 << ((cp >> 8) & 7)))
		return 0;
	switch (cp) {
	case U'〇': case U'零': case U'一': case U'二': case U'三': case U'四':
	case U'五': case U'六': case U'七': case U'八': case U'九': case U'十':
	case U'百': case U'千': case U'万': case U'亿': case U'两': case U'兩':
	case U'壹': case U'贰': case U'貳': case U'叁': case U'參': case U'叄':
	case U'肆': case U'伍': case U'陆': case U'陸': case U'柒': case U'捌':
	case U'玖': case U'拾': case U'佰': case U'仟': case U'萬': case U'億':
	case U'廿': case U'卅':
		return 1;
	}
	return 0;
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
static inline uint32_t
before(const struct scan *sc, size_t i, size_t *at)
{
	size_t j = i;
	uint32_t cp = 0;

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

/* Is the word w written at s[i] (within the sentence)? */
static int
has(const struct scan *sc, size_t i, const char *w)
{
	size_t len = strlen(w);

	return i <= sc->se && sc->se - i >= len && memcmp(sc->s + i, w, len) == 0;
}

/* Code points from the line's start to s[i] (i never goes back). */
static size_t
cp_at(struct scan *sc, size_t i)
{
	if (i < sc->cpos)
		sc->cpos = sc->ccp = 0;
	sc->ccp += clean_ncp(sc->s + sc->cpos, i - sc->cpos);
	sc->cpos = i;
	return sc->ccp;
}

/* End of the digits and numerals at p, with points and separators inside. */
static size_t
numeral_run(const struct scan *sc, size_t p)
{
	size_t i = p, l;
	uint32_t cp, nx;

	while ((l = ch(sc, i, &cp)) > 0) {
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
	sent_context(sc->s + sc->sb, sc->se - sc->sb, q - sc->sb, end - sc->sb,
	    &cb, &ce);
	fc->ctx = sc->s + sc->sb + cb;
	fc->ctxlen = ce - cb;
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

/* The whole number that s[a..b) writes, read by num_scan. */
static int
read_int(const struct scan *sc, size_t a, size_t b, long *v)
{
	struct num_val nv;
	size_t used;
	int64_t x;

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

static const char *const w_month[] = { "月", NULL };
static const char *const w_day[] = { "日", "号", "號", NULL };

/* A month, and maybe its day, at p; value "--MM" or "--MM-DD". */
static size_t
month_day(const struct scan *sc, size_t p, const char *year, char *value)
{
	long m, d;
	size_t j, k;

	if ((j = date_part(sc, p, w_month, 12, &m)) == 0)
		return 0;
	if ((k = date_part(sc, j, w_day, 31, &d)) > 0) {
		snprintf(value, FACTS_VALUEMAX, "%s-%02ld-%02ld", year, m, d);
		return k;
	}
	snprintf(value, FACTS_VALUEMAX, "%s-%02ld", year, m);
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
	snprintf(year, sizeof year, "%04ld", y);
	if (!has(sc, i, "年")) {
		if ((k = year_span(sc, i, y, 0, &y2)) == 0)
			return 0;
		fc->kind = FACTS_RANGE;
		snprintf(fc->value, FACTS_VALUEMAX, "%ld/%ld", y, y2);
		return k;
	}
	j = i + strlen("年");
	if ((k = month_day(sc, j, year, fc->value)) > 0)
		return k;
	if ((k = year_span(sc, j, y, 1, &y2)) > 0) {
		fc->kind = FACTS_RANGE;
		snprintf(fc->value, FACTS_VALUEMAX, "%ld/%ld", y, y2);
		return k;
	}
	snprintf(fc->value, FACTS_VALUEMAX, "%s", year);
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
	snprintf(fc->value + l, FACTS_VALUEMAX - l, "/%s", second.value);
	fc->kind = FACTS_RANGE;
	return k;
}

/* Digits that belong to letters: M2, PM2.5, G20, COVID-19, 8:30. */
static int
in_name(const struct scan *sc, size_t p)
{
	size_t at;
	uint32_t a = before(sc, p, &at), b;

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

/* The last characters of the words above. */
static const uint32_t prefix_ends[] = { U'币', U'幣', U'约', U'約', U'近',
	U'过', U'過', U'到', U'足', U'满', U'滿', U'为', U'為', U'占', U'佔',
	U'有', U'达', U'達', U'合', U'计', U'計', U'超', U'逾', U'负', U'負',
	U'￥', U'¥', U'−', U'－', '-', 0 };

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

/* Where the figure whose number starts at p starts, with its prefixes. */
static void
prefix_start(const struct scan *sc, size_t lo, size_t p, struct start *st)
{
	st->q = st->qs = p;
	st->qual = NUM_EXACT;
	if (!in_set(before(sc, spaces_back(sc, lo, p), NULL), prefix_ends))
		return;
	for (int k = 0; k < FACTS_PREFIXMAX; k++) {
		size_t j = spaces_back(sc, lo, st->q), len = 0, at, w;

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
 * The text num_scan sees for a figure at q: up to the first mark no
 * figure goes past (a full-width comma between digits is a thousands
 * separator to num_scan, and it may judge), at most FACTS_FIGMAX bytes.
 */
static size_t
window_end(const struct scan *sc, size_t q)
{
	size_t i = q, l, lim = sc->se - q > FACTS_FIGMAX ? q + FACTS_FIGMAX :
	    sc->se;
	uint32_t cp, nx;

	while (i < lim) {
		unsigned char b = (unsigned char)sc->s[i];

		/* stoppers are ASCII or start with E2 80, E3 80 or EF BC */
		if (b >= 0x80 && b != 0xe2 && b != 0xe3 && b != 0xef) {
			i += b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
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
 * Read the figure whose number starts at p (prefixes not before lo).
 * Returns 0 with g set, or -1 when num_scan reads none there.
 */
static int
read_fig(const struct scan *sc, size_t lo, size_t p, struct fig *g)
{
	struct start st;
	size_t w, used, cut;
	int r;

	memset(g, 0, sizeof *g);
	g->p = p;
	prefix_start(sc, lo, p, &st);
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
	return strcmp(g->v.unit, u) == 0;
}

/* Units that rank rather than count: 两级, 十四届, 二期. */
static int
is_rank(const struct fig *g)
{
	return is_unit(g, "级") || is_unit(g, "届") || is_unit(g, "期");
}

/* What g's text holds: one pass over it sets g->spelt. */
static void
spell(const struct scan *sc, struct fig *g)
{
	uint32_t cp, prev = 0;
	size_t l;

	g->spelt = 0;
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
	uint32_t last;

	if (!(g->spelt & F_ARABIC) && !chinese_fact(sc, g))
		return 0;
	if (g->v.unit[0] == '\0' && !(g->spelt & (F_FRACTION | F_MAG)))
		return 0;
	/* 3个月, 5个工作日: spans of time */
	if ((is_unit(g, "个") || is_unit(g, "個")) && (has(sc, g->end, "月") ||
	    has(sc, g->end, "工作日")))
		return 0;
	/* 十分重要: a lone 分 or 角 is no money */
	last = before(sc, g->end, NULL);
	return !((last == U'分' || last == U'角') && !(g->spelt & F_YUAN));
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
	size_t run = numeral_run(sc, p), end;
	uint32_t nx;

	*next = run;
	if (in_name(sc, p)) {
		*next = skip_name(sc, p);
		return 0;
	}
	/* a date goes on with 年, 月 or a separator: 2025年, 10月, 2021—2035 */
	if (before(sc, p, NULL) != U'第' && (has(sc, run, "年") ||
	    has(sc, run, "月") || (ch(sc, run, &nx) > 0 && is_range_sep(nx))) &&
	    (end = read_date(sc, p, &fc)) > 0) {
		end = date_span(sc, end, &fc);
		fc.unit[0] = '\0';
		fc.qual = NUM_EXACT;
		*next = end;
		return emit(sc, p, end, &fc);
	}
	/* 第3, 第一产业: ordinals; 一批, 二次: a lone 一 or 二 (is_lone) */
	if (before(sc, p, NULL) == U'第' ||
	    (run == p + ch(sc, p, &nx) && is_lone(sc, p)))
		return 0;
	if (read_fig(sc, lo, p, &g) != 0)
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

static int
scan_sentence(struct scan *sc)
{
	size_t i = sc->sb, lo = sc->sb, l;
	uint32_t cp;

	while (i < sc->se) {
		unsigned char b = (unsigned char)sc->s[i];

		if (b < 0x80 && (b < '0' || b > '9')) {
			i++;
			continue;
		}
		l = ch(sc, i, &cp);
		if (!is_numeral(cp) && !is_adigit(cp)) {
			i += l;
			continue;
		}
		if (candidate(sc, lo, i, &lo) < 0)
			return -1;
		i = lo > i ? lo : i + l;
		lo = i;
	}
	return 0;
}

/* The facts of one cleaned line, sentence by sentence. */
static int
scan_line(struct scan *sc)
{
	const struct clean *cl = &sc->f->cl;
	size_t n = cl->len;

	for (sc->sb = 0; sc->sb < n; sc->sb = sc->se) {
		sc->se = sc->sb + sent_next(cl->buf + sc->sb, n - sc->sb);
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
	return 0;
}

void
facts_free(struct facts *f)
{
	clean_free(&f->cl);
}
