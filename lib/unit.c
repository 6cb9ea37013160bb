/*
 * unit: the static table of units and their powers of ten.
 *
 * Base units sit in one table sorted by name bytes.  unit_match finds the
 * entries that start with a character through a small hash of first
 * characters, filled before main (threads only read it), and scans those
 * few; unit_lookup searches the table.
 * Magnitude prefixes (万元, 亿美元, 百万千瓦) are not listed one by one:
 * a second table, built by the preprocessor from the same list, holds each
 * prefix x base combination, so lookups return pointers into const data.
 */
#include <stdint.h>
#include <string.h>

#include "unit.h"

#define UNIT_KEYMAX 16 /* bytes of the longest name, with room to read 4 at once */

/*
 * X(prefix, prefix exp10, name, base, exp10, takes a prefix), sorted by
 * the bytes of name (a unit test looks every name up, which fails for a
 * misplaced one).  Traditional spellings fold to the simplified base;
 * synonyms share a base (公斤 = 千克, 公里 = 千米); units of one quantity
 * but not a power of ten apart (斤, 亩, 两) keep bases of their own.
 * lib/num.c relies on this: no unit of exp10 0 starts with 百 or 千 and
 * then a Chinese digit, 零 or a multiplier, so 三千二 never ends at 千.
 */
#define UNITS(X, P, E) \
	X(P, E, "%", "%", 0, 0) \
	X(P, E, "‰", "‰", 0, 0) \
	X(P, E, "两", "两", 0, 1) \
	X(P, E, "个", "个", 0, 1) \
	X(P, E, "个体", "个体", 0, 1) \
	X(P, E, "个百分点", "百分点", 0, 0) \
	X(P, E, "个百分點", "百分点", 0, 0) \
	X(P, E, "亩", "亩", 0, 1) \
	X(P, E, "人", "人", 0, 1) \
	X(P, E, "人次", "人次", 0, 1) \
	X(P, E, "人民币", "元", 0, 1) \
	X(P, E, "人民幣", "元", 0, 1) \
	X(P, E, "件", "件", 0, 1) \
	X(P, E, "份", "份", 0, 1) \
	X(P, E, "位", "位", 0, 1) \
	X(P, E, "例", "例", 0, 1) \
	X(P, E, "個", "个", 0, 1) \
	X(P, E, "個百分點", "百分点", 0, 0) \
	X(P, E, "個體", "个体", 0, 1) \
	X(P, E, "倍", "倍", 0, 0) \
	X(P, E, "元", "元", 0, 1) \
	X(P, E, "元人民币", "元", 0, 1) \
	X(P, E, "元人民幣", "元", 0, 1) \
	X(P, E, "兆瓦", "兆瓦", 0, 1) \
	X(P, E, "兆瓦时", "兆瓦时", 0, 1) \
	X(P, E, "兆瓦時", "兆瓦时", 0, 1) \
	X(P, E, "克", "克", 0, 1) \
	X(P, E, "兩", "两", 0, 1) \
	X(P, E, "公吨", "吨", 0, 1) \
	X(P, E, "公噸", "吨", 0, 1) \
	X(P, E, "公斤", "千克", 0, 1) \
	X(P, E, "公里", "千米", 0, 1) \
	X(P, E, "公頃", "公顷", 0, 1) \
	X(P, E, "公顷", "公顷", 0, 1) \
	X(P, E, "冊", "册", 0, 1) \
	X(P, E, "册", "册", 0, 1) \
	X(P, E, "分", "元", -2, 0) \
	X(P, E, "列", "列", 0, 1) \
	X(P, E, "副", "副", 0, 1) \
	X(P, E, "加元", "加元", 0, 1) \
	X(P, E, "包", "包", 0, 1) \
	X(P, E, "匹", "匹", 0, 1) \
	X(P, E, "千伏安", "千伏安", 0, 1) \
	X(P, E, "千克", "千克", 0, 1) \
	X(P, E, "千卡", "千卡", 0, 1) \
	X(P, E, "千瓦", "千瓦", 0, 1) \
	X(P, E, "千瓦时", "千瓦时", 0, 1) \
	X(P, E, "千瓦時", "千瓦时", 0, 1) \
	X(P, E, "千米", "千米", 0, 1) \
	X(P, E, "升", "升", 0, 1) \
	X(P, E, "卢布", "卢布", 0, 1) \
	X(P, E, "厘米", "厘米", 0, 1) \
	X(P, E, "双", "双", 0, 1) \
	X(P, E, "口", "口", 0, 1) \
	X(P, E, "只", "只", 0, 1) \
	X(P, E, "台", "台", 0, 1) \
	X(P, E, "名", "名", 0, 1) \
	X(P, E, "名次", "名次", 0, 0) \
	X(P, E, "吨", "吨", 0, 1) \
	X(P, E, "吨标准煤", "吨标准煤", 0, 1) \
	X(P, E, "吨标煤", "吨标准煤", 0, 1) \
	X(P, E, "噸", "吨", 0, 1) \
	X(P, E, "噸標準煤", "吨标准煤", 0, 1) \
	X(P, E, "圆", "元", 0, 1) \
	X(P, E, "圓", "元", 0, 1) \
	X(P, E, "场", "场", 0, 1) \
	X(P, E, "场次", "场次", 0, 1) \
	X(P, E, "块", "块", 0, 1) \
	X(P, E, "場", "场", 0, 1) \
	X(P, E, "場次", "场次", 0, 1) \
	X(P, E, "塊", "块", 0, 1) \
	X(P, E, "处", "处", 0, 1) \
	X(P, E, "大卡", "千卡", 0, 1) \
	X(P, E, "头", "头", 0, 1) \
	X(P, E, "头次", "头次", 0, 1) \
	X(P, E, "套", "套", 0, 1) \
	X(P, E, "宗", "宗", 0, 1) \
	X(P, E, "家", "家", 0, 1) \
	X(P, E, "对", "对", 0, 1) \
	X(P, E, "對", "对", 0, 1) \
	X(P, E, "层", "层", 0, 1) \
	X(P, E, "屆", "届", 0, 1) \
	X(P, E, "届", "届", 0, 1) \
	X(P, E, "層", "层", 0, 1) \
	X(P, E, "幢", "幢", 0, 1) \
	X(P, E, "平方公里", "平方千米", 0, 1) \
	X(P, E, "平方千米", "平方千米", 0, 1) \
	X(P, E, "平方米", "平方米", 0, 1) \
	X(P, E, "平米", "平方米", 0, 1) \
	X(P, E, "床", "床", 0, 1) \
	X(P, E, "床位", "床位", 0, 1) \
	X(P, E, "度", "度", 0, 1) \
	X(P, E, "座", "座", 0, 1) \
	X(P, E, "张", "张", 0, 1) \
	X(P, E, "張", "张", 0, 1) \
	X(P, E, "戶", "户", 0, 1) \
	X(P, E, "戶次", "户次", 0, 1) \
	X(P, E, "户", "户", 0, 1) \
	X(P, E, "户次", "户次", 0, 1) \
	X(P, E, "所", "所", 0, 1) \
	X(P, E, "批", "批", 0, 1) \
	X(P, E, "支", "支", 0, 1) \
	X(P, E, "斤", "斤", 0, 1) \
	X(P, E, "新台币", "新台币", 0, 1) \
	X(P, E, "新台幣", "新台币", 0, 1) \
	X(P, E, "日元", "日元", 0, 1) \
	X(P, E, "日圆", "日元", 0, 1) \
	X(P, E, "日圓", "日元", 0, 1) \
	X(P, E, "期", "期", 0, 1) \
	X(P, E, "本", "本", 0, 1) \
	X(P, E, "条", "条", 0, 1) \
	X(P, E, "枚", "枚", 0, 1) \
	X(P, E, "架", "架", 0, 1) \
	X(P, E, "架次", "架次", 0, 1) \
	X(P, E, "栋", "栋", 0, 1) \
	X(P, E, "株", "株", 0, 1) \
	X(P, E, "根", "根", 0, 1) \
	X(P, E, "桶", "桶", 0, 1) \
	X(P, E, "條", "条", 0, 1) \
	X(P, E, "棟", "栋", 0, 1) \
	X(P, E, "棵", "棵", 0, 1) \
	X(P, E, "次", "次", 0, 1) \
	X(P, E, "欧元", "欧元", 0, 1) \
	X(P, E, "歐元", "欧元", 0, 1) \
	X(P, E, "毫克", "毫克", 0, 1) \
	X(P, E, "毫升", "毫升", 0, 1) \
	X(P, E, "毫米", "毫米", 0, 1) \
	X(P, E, "港元", "港元", 0, 1) \
	X(P, E, "港币", "港元", 0, 1) \
	X(P, E, "港幣", "港元", 0, 1) \
	X(P, E, "澳元", "澳元", 0, 1) \
	X(P, E, "牀", "床", 0, 1) \
	X(P, E, "牀位", "床位", 0, 1) \
	X(P, E, "片", "片", 0, 1) \
	X(P, E, "班次", "班次", 0, 1) \
	X(P, E, "瓦", "瓦", 0, 1) \
	X(P, E, "瓶", "瓶", 0, 1) \
	X(P, E, "畝", "亩", 0, 1) \
	X(P, E, "百分点", "百分点", 0, 0) \
	X(P, E, "百分點", "百分点", 0, 0) \
	X(P, E, "盒", "盒", 0, 1) \
	X(P, E, "盧布", "卢布", 0, 1) \
	X(P, E, "种", "种", 0, 1) \
	X(P, E, "種", "种", 0, 1) \
	X(P, E, "立方米", "立方米", 0, 1) \
	X(P, E, "笔", "笔", 0, 1) \
	X(P, E, "筆", "笔", 0, 1) \
	X(P, E, "箱", "箱", 0, 1) \
	X(P, E, "篇", "篇", 0, 1) \
	X(P, E, "米", "米", 0, 1) \
	X(P, E, "級", "级", 0, 1) \
	X(P, E, "级", "级", 0, 1) \
	X(P, E, "罐", "罐", 0, 1) \
	X(P, E, "美元", "美元", 0, 1) \
	X(P, E, "美金", "美元", 0, 1) \
	X(P, E, "臺", "台", 0, 1) \
	X(P, E, "艘", "艘", 0, 1) \
	X(P, E, "艘次", "艘次", 0, 1) \
	X(P, E, "英鎊", "英镑", 0, 1) \
	X(P, E, "英镑", "英镑", 0, 1) \
	X(P, E, "處", "处", 0, 1) \
	X(P, E, "袋", "袋", 0, 1) \
	X(P, E, "角", "元", -1, 0) \
	X(P, E, "起", "起", 0, 1) \
	X(P, E, "車次", "车次", 0, 1) \
	X(P, E, "輛", "辆", 0, 1) \
	X(P, E, "輛次", "辆次", 0, 1) \
	X(P, E, "车次", "车次", 0, 1) \
	X(P, E, "辆", "辆", 0, 1) \
	X(P, E, "辆次", "辆次", 0, 1) \
	X(P, E, "部", "部", 0, 1) \
	X(P, E, "門", "门", 0, 1) \
	X(P, E, "間", "间", 0, 1) \
	X(P, E, "门", "门", 0, 1) \
	X(P, E, "间", "间", 0, 1) \
	X(P, E, "隻", "只", 0, 1) \
	X(P, E, "雙", "双", 0, 1) \
	X(P, E, "韓元", "韩元", 0, 1) \
	X(P, E, "韩元", "韩元", 0, 1) \
	X(P, E, "項", "项", 0, 1) \
	X(P, E, "頭", "头", 0, 1) \
	X(P, E, "頭次", "头次", 0, 1) \
	X(P, E, "顆", "颗", 0, 1) \
	X(P, E, "项", "项", 0, 1) \
	X(P, E, "颗", "颗", 0, 1) \
	X(P, E, "首", "首", 0, 1) \
	X(P, E, "％", "%", 0, 0)

struct ubase {
	struct unit u;
	char key[UNIT_KEYMAX];	/* the name again, zero-padded */
	unsigned char len;	/* strlen(u.name) */
	unsigned char pre;	/* takes a magnitude prefix */
};

#define BASE(P, E, nm, bs, ex, pr) \
	{ { nm, bs, ex, sizeof(nm) - 1 }, nm, sizeof(nm) - 1, pr },
static const struct ubase ubases[] = { UNITS(BASE, "", 0) };
#define NBASE (sizeof(ubases) / sizeof(ubases[0]))

/* Magnitude prefixes, one row of ucomp each, in the same order. */
static const struct {
	const char *s;
	unsigned char len;
	int exp10;
} upre[] = {
	{ "十", 3, 1 }, { "百", 3, 2 }, { "千", 3, 3 }, { "万", 3, 4 },
	{ "十万", 6, 5 }, { "百万", 6, 6 }, { "千万", 6, 7 }, { "亿", 3, 8 },
	{ "十亿", 6, 9 }, { "百亿", 6, 10 }, { "千亿", 6, 11 },
	{ "万亿", 6, 12 }, { "萬", 3, 4 }, { "十萬", 6, 5 }, { "百萬", 6, 6 },
	{ "千萬", 6, 7 }, { "億", 3, 8 }, { "十億", 6, 9 }, { "百億", 6, 10 },
	{ "千億", 6, 11 }, { "萬億", 6, 12 }
};
#define NPRE (sizeof(upre) / sizeof(upre[0]))

#define COMP(P, E, nm, bs, ex, pr) { P nm, bs, (E) + (ex), sizeof(P nm) - 1 },
static const struct unit ucomp[NPRE][NBASE] = {
	{ UNITS(COMP, "十", 1) }, { UNITS(COMP, "百", 2) },
	{ UNITS(COMP, "千", 3) }, { UNITS(COMP, "万", 4) },
	{ UNITS(COMP, "十万", 5) }, { UNITS(COMP, "百万", 6) },
	{ UNITS(COMP, "千万", 7) }, { UNITS(COMP, "亿", 8) },
	{ UNITS(COMP, "十亿", 9) }, { UNITS(COMP, "百亿", 10) },
	{ UNITS(COMP, "千亿", 11) }, { UNITS(COMP, "万亿", 12) },
	{ UNITS(COMP, "萬", 4) }, { UNITS(COMP, "十萬", 5) },
	{ UNITS(COMP, "百萬", 6) }, { UNITS(COMP, "千萬", 7) },
	{ UNITS(COMP, "億", 8) }, { UNITS(COMP, "十億", 9) },
	{ UNITS(COMP, "百億", 10) }, { UNITS(COMP, "千億", 11) },
	{ UNITS(COMP, "萬億", 12) }
};

/* Bytes of the UTF-8 character led by byte c (1 for a stray byte). */
static const unsigned char charlens[256] = {
	[0x00 ... 0xbf] = 1, [0xc0 ... 0xdf] = 2, [0xe0 ... 0xef] = 3,
	[0xf0 ... 0xff] = 4
};

static inline size_t
charlen(unsigned char c)
{
	return charlens[c];
}

/*
 * memcmp for the few bytes of a unit name, as a loop the compiler
 * inlines: unit_match runs once per figure and a call per compare shows.
 */
static int
bytecmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return (unsigned char)a[i] < (unsigned char)b[i] ? -1 : 1;
	return 0;
}

/* A table name against key, the shorter one sorting first. */
static int
keycmp(const struct ubase *b, const char *key, size_t klen)
{
	int c = bytecmp(b->u.name, key, b->len < klen ? b->len : klen);

	if (c != 0)
		return c;
	return b->len < klen ? -1 : b->len > klen;
}

/* 4 bytes as a big-endian number: numbers sort as the bytes do. */
static uint32_t
be32(const char *p)
{
	uint32_t v;

	memcpy(&v, p, 4); /* one load, and a byte swap where needed */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap32(v);
#endif
	return v;
}

/* Index of the first entry >= key[0..klen). */
static size_t
lower(const char *key, size_t klen)
{
	size_t lo = 0, hi = NBASE;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (keycmp(&ubases[mid], key, klen) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The first characters of names: each slot holds the range of ubases
 * that start with its character (they are neighbours in the sorted
 * table) and the magnitude prefixes that start with it, in upre's order.
 */
#define NSLOT 2048 /* a power of two, well above the first characters */
#define NSLOTBITS 11 /* log2 NSLOT */
#define SLOTPRE 6	/* prefixes that share a first character, at most */

static struct slot {
	uint32_t key; /* the character, as key_of() makes it; 0: empty */
	unsigned char first, end; /* ubases[first..end) */
	unsigned char npre, pre[SLOTPRE];
} slots[NSLOT];

/* The first character of s (n > 0) as a big-endian number, or 0 if cut. */
static inline uint32_t
key_of(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t cl = charlen(p[0]);

	if (cl > n)
		return 0;
	switch (cl) {
	case 1:
		return (uint32_t)p[0] << 24;
	case 2:
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16;
	case 3:
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		    (uint32_t)p[2] << 8;
	default:
		return be32(s);
	}
}

/* The slot of key: its own, or the empty one where it would go. */
static inline struct slot *
slot_at(uint32_t key)
{
	uint32_t i = (key * 0x9e3779b1u) >> (32 - NSLOTBITS);

	while (slots[i].key != 0 && slots[i].key != key)
		i = (i + 1) & (NSLOT - 1);
	return &slots[i];
}

/* Fill slots from the tables, once, before main. */
static void __attribute__((constructor))
fill_slots(void)
{
	struct slot *sl;

	for (size_t i = 0; i < NBASE; i++) {
		uint32_t key = key_of(ubases[i].u.name, ubases[i].len);

		if ((sl = slot_at(key))->key == 0) {
			sl->key = key;
			sl->first = (unsigned char)i;
		}
		sl->end = (unsigned char)(i + 1);
	}
	for (size_t p = 0; p < NPRE; p++) {
		sl = slot_at(key_of(upre[p].s, upre[p].len));
		sl->key = key_of(upre[p].s, upre[p].len);
		sl->pre[sl->npre++] = (unsigned char)p;
	}
}

/* The slot of s's first character, or NULL when no name starts with it. */
static inline const struct slot *
slot_of(const char *s, size_t n)
{
	uint32_t key;
	const struct slot *sl;

	if (n == 0 || (key = key_of(s, n)) == 0)
		return NULL;
	sl = slot_at(key);
	return sl->key == key ? sl : NULL;
}

/*
 * The longest base unit that prefixes s[0..n), as an index, or -1.  The
 * slot is that of s's first character: only the bytes after it differ.
 */
static inline long
base_match(const struct slot *sl, const char *s, size_t n)
{
	size_t best = 0, cl = charlen((unsigned char)s[0]);
	long found = -1;

	for (size_t i = sl->first; i < sl->end; i++) {
		const struct ubase *b = &ubases[i];

		if (b->len <= n && b->len > best &&
		    bytecmp(b->u.name + cl, s + cl, b->len - cl) == 0) {
			best = b->len;
			found = (long)i;
		}
	}
	return found;
}

static long
base_exact(const char *s, size_t n)
{
	size_t i = lower(s, n);

	return i < NBASE && keycmp(&ubases[i], s, n) == 0 ? (long)i : -1;
}

/* Prefixes start with 十 百 千 万 亿 萬 億: cheap to rule out. */
static int
may_prefix(const char *s, size_t n)
{
	if (n < 6)
		return 0;
	switch (be32(s) >> 8) {
	case 0xe58d81: case 0xe799be: case 0xe58d83:	/* 十 百 千 */
	case 0xe4b887: case 0xe4babf:			/* 万 亿 */
	case 0xe890ac: case 0xe58484:			/* 萬 億 */
		return 1;
	}
	return 0;
}

const struct unit *
unit_match(const char *s, size_t n)
{
	const struct slot *sl = slot_of(s, n), *rest;
	const struct unit *best = NULL;
	size_t bestlen = 0;
	long b;

	if (sl == NULL)
		return NULL;
	if ((b = base_match(sl, s, n)) >= 0) {
		best = &ubases[b].u;
		bestlen = ubases[b].len;
	}
	for (size_t k = 0; k < sl->npre; k++) {
		size_t p = sl->pre[k], pl = upre[p].len;

		if (pl > n || bytecmp(s, upre[p].s, pl) != 0 ||
		    (rest = slot_of(s + pl, n - pl)) == NULL)
			continue;
		/* A longer written form wins; on a tie the base (千克). */
		b = base_match(rest, s + pl, n - pl);
		if (b >= 0 && ubases[b].pre && pl + ubases[b].len > bestlen) {
			best = &ucomp[p][b];
			bestlen = pl + ubases[b].len;
		}
	}
	return best;
}

const struct unit *
unit_lookup(const char *s, size_t n)
{
	size_t p;
	long b;

	if ((b = base_exact(s, n)) >= 0)
		return &ubases[b].u;
	if (n == 0 || !may_prefix(s, n))
		return NULL;
	for (p = 0; p < NPRE; p++) {
		size_t pl = upre[p].len;

		if (pl < n && bytecmp(s, upre[p].s, pl) == 0 &&
		    (b = base_exact(s + pl, n - pl)) >= 0 && ubases[b].pre)
			return &ucomp[p][b];
	}
	return NULL;
}
