/*
 * facts: the quantities of a report, found in its prose.
 *
 * A work report or a statistical communiqué carries a dozen figures a
 * paragraph: "全市累计下发各类社会保障资金11.82亿元，有效保障16.19万名
 * 农村低保".  facts_scan cleans the text line by line (lib/clean.h),
 * splits it into sentences (lib/sent.h), reads every figure with
 * num_scan (lib/num.h) and hands each one that is a fact to a callback:
 * where it is, how the source spells it, its exact value, unit,
 * qualifier and kind, and the clause that says what it counts.
 *
 * What is a fact (and what is a name):
 *   - a figure with a unit or a classifier (元 人 户 个 项 % 个百分点 ...),
 *     or an Arabic figure with its own 万 or 亿 ("1.4亿"): yes;
 *   - a bare number (no unit, no 万/亿: "3560" followed by nothing the
 *     unit table knows): no; it is a code, a count of something unnamed,
 *     or a number in a name;
 *   - years and dates ("2025年", "2025年2月28日", "2月28日") are kind
 *     year, spans of them ("2021—2035", "2023-24年度", "10月至12月")
 *     kind range; without 年, two numbers are a span of years only when
 *     both are from 1900 to 2100 and no unit follows ("1500-2000户" is
 *     a range of households);
 *   - an ordinal ("第3", "第一产业"), digits that belong to letters
 *     ("M2", "PM2.5", "G20", "5G", "COVID-19"), a figure within a code
 *     ("0915-3212345"): no;
 *   - figures written in Chinese numerals only are read more strictly,
 *     since slogans and names are made of them: they need a unit
 *     ("五大", "二十大", "四议两公开": no; "八项实事", "两项补贴": yes),
 *     and are no fact when the number is a lone 一 or 二 ("一批", "一起":
 *     an article; "二次会议": an ordinal, counts say 两), when they open
 *     a quotation ("“两个维护”"), when the unit is a rank (级 届 期:
 *     "市县两级", "十四届"), in a place name ("三门峡", "九台区": a unit
 *     other than 个 followed by 市 区 县 镇 乡 峡 路 街 州 省), or in
 *     "三次产业";
 *   - a lone 分 or 角 is no money ("十分重要"); "3个月", "5个工作日"
 *     are spans of time, not counts.
 * Beyond num_scan: 约为 约占 约有 约达 约合 约计 before a number make it
 * approx (num_scan reads qualifiers only right before the number), and
 * the classifiers 类 (大类), 成 and the unit 微克/立方米, which the unit
 * table lacks, are read here with a qualifier after them (九成以上).
 */
#ifndef WY_FACTS_H
#define WY_FACTS_H

#include <stddef.h>

#include "clean.h"
#include "num.h"
#include "sent.h"
#include "util.h"

enum facts_kind {
	FACTS_QUANTITY, /* a count or an amount: 1182000000 元 */
	FACTS_PERCENT,	/* %, ‰, 百分点, and fractions (三分之一) */
	FACTS_YEAR,	/* a year or a date: 2025, 2025-02-28, --02-28 */
	FACTS_RANGE	/* two ends: 2021/2035, 30000/50000 */
};

/* Room for a value: two decimals (a range), a slash, NUL. */
#define FACTS_VALUEMAX (2 * DEC_STRMAX + 2)

/* Bytes of text after a figure's start that num_scan is shown. */
#define FACTS_FIGMAX 256

struct facts_fact {
	unsigned long sent;  /* sentence of the document, from 1 */
	size_t start, end;   /* code points of the cleaned text: [start, end) */
	const char *text;    /* the figure as the input spells it (a view) */
	size_t textlen;
	size_t srcoff;	     /* byte offset of text in the input */
	long line;	     /* line of the input where it starts, from 1 */
	char value[FACTS_VALUEMAX]; /* exact; "a/b" for a range or a
				       quotient that does not terminate */
	char unit[UNIT_NAMEMAX]; /* simplified base unit, "" if none */
	enum num_qual qual;
	enum facts_kind kind;
	const char *ctx;     /* the clause, cleaned (a view) */
	size_t ctxlen;
	int plain;	     /* text and ctx hold no TAB, LF, CR or
				backslash (in valid UTF-8: see facts_scan) */
};

/*
 * Called for each fact, in the order of the text; the views live until
 * it returns.  Returns 0, or -1 with e set to stop the scan.
 */
typedef int (*facts_fn)(void *arg, const struct facts_fact *f,
    struct wy_err *e);

/* The reader's reusable state; zero it before the first use. */
struct facts {
	struct clean cl;
	unsigned long nsent; /* sentences of the last document */
	size_t nchar;	     /* code points of its cleaned text */
	long nline;	     /* and its lines (a last one without LF too) */
	struct sent_line sl; /* the sentences of the line being read */
};

/*
 * Find the facts of one document s[0..n), valid UTF-8 (see clean_check;
 * other bytes are read as U+FFFD and never crash it), calling fn for
 * each.  Sentences and offsets count from the document's start.
 * Returns 0, or -1 with e set (out of memory, or fn's error).
 *
 * Nothing carries over a line end (sentences end there, and each line
 * is cleaned alone), so a document cut at line ends may be read piece
 * by piece, by several readers at once: a fact of a piece is the fact
 * of the whole whose sent, start, end, line and srcoff are the piece's
 * plus the nsent, nchar, nline and bytes of the pieces before it.
 */
int facts_scan(struct facts *f, const char *s, size_t n, facts_fn fn,
    void *arg, struct wy_err *e);

void facts_free(struct facts *f);

/* "quantity", "percent", "year", "range". */
const char *facts_kind_name(enum facts_kind k);

/* "", "gt", "lt", "approx": the words of wy-norm. */
const char *facts_qual_name(enum num_qual q);

#endif
