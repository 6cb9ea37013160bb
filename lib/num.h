/*
 * num: the grammar of figures as Chinese statistics write them.
 *
 * "11.82亿元", "16.19萬名", "1.6万余亩", "人民币壹仟贰佰叁拾肆万伍仟元整",
 * "三点二亿元", "1亿2000万", "１２．５万", "百分之十二点五", "约1.2亿",
 * "3100余場(chǎng)次" are read into an exact value in the base unit of the
 * figure's unit, the unit's simplified base name and a qualifier.
 * Never floating point: values are struct dec (lib/dec.h).
 *
 * num_scan reads the longest figure at the start of a text (for wy-facts,
 * which finds figures in prose); num_parse requires a whole cell to be one
 * figure (for wy-norm and wy-check) and names what it could not read.
 */
#ifndef WY_NUM_H
#define WY_NUM_H

#include <stddef.h>

#include "dec.h"
#include "unit.h"

#define NUM_WHYMAX 160 /* bytes of an error reason, with NUL */

enum num_qual {
	NUM_EXACT = 0,
	NUM_GT,	    /* 余 多 逾 超 超过 以上 过 */
	NUM_LT,	    /* 近 将近 不到 不足 以下 未满 */
	NUM_APPROX  /* 约 大约 左右 上下 前后 */
};

/* What to do with a range such as "3-5万" or "3至5万". */
enum num_range {
	NUM_RANGE_REJECT = 0,
	NUM_RANGE_LOW,
	NUM_RANGE_HIGH,
	NUM_RANGE_MID
};

enum num_status {
	NUM_OK = 0,
	NUM_NULL,	/* a null marker: empty, \N, —, －, -, …, / */
	NUM_ESYNTAX,	/* not a figure ("1.2.3万": second decimal point) */
	NUM_EAMBIG,	/* "1万6": 16000 or 10006 */
	NUM_EUNIT,	/* unknown word after the number, or unit not convertible */
	NUM_ERANGE,	/* a range and NUM_RANGE_REJECT */
	NUM_EINEXACT,	/* not whole (or not exact) in the target and no rounding */
	NUM_EOVERFLOW	/* beyond what the result can hold */
};

struct num_opts {
	/* Unit from the column header ("万元" of "金额（万元）"), or NULL.
	 * Applies to cells with no unit; a cell that writes its own
	 * magnitude (万, 亿) keeps it and takes only the header's base.
	 * 十 百 千 are number words, not magnitudes: "5千" under 万元 is
	 * 5000 万元.  A currency sign (￥) or 百分之 is a unit of the cell. */
	const struct unit *hdr_unit;
	enum num_range range;
};

struct num_val {
	struct dec v;		      /* value in units of `unit`'s base */
	char unit[UNIT_NAMEMAX];      /* simplified base unit, "" if none */
	enum num_qual qual;
	/* A quotient that is not a terminating decimal (三分之一) is kept
	 * as v / den; den is 1 otherwise.  num_result resolves it. */
	struct dec den;
};

/*
 * Read the figure that fills s[0..n) exactly (surrounding spaces allowed).
 * Returns NUM_OK, NUM_NULL or an error; on error `why` (NUM_WHYMAX bytes)
 * holds the reason in the house's words, e.g. "second decimal point",
 * "unknown unit \"斤斤\"", "ambiguous: 1万6 could be 16000 or 10006",
 * "a range: use --range low|high|mid".
 */
int num_parse(const char *s, size_t n, const struct num_opts *o,
    struct num_val *out, char *why);

/*
 * num_parse by the general reader alone, without the fast readers that
 * num_parse tries first for the usual shapes ("16.19万", "三千五",
 * "约1.2亿元").  The general reader is the definition: tests and the
 * fuzzer check that both read every cell the same.
 */
int num_parse_general(const char *s, size_t n, const struct num_opts *o,
    struct num_val *out, char *why);

/*
 * num_scan by the general reader alone, without the scan reader that
 * num_scan tries first.  Tests and the fuzzer check that both read every
 * text the same, bytes used included.
 */
int num_scan_general(const char *s, size_t n, const struct num_opts *o,
    struct num_val *out, size_t *used, char *why);

/*
 * Read the longest figure that starts at s[0] (qualifiers, number, unit,
 * qualifiers), without demanding that the text ends there.  *used gets
 * the bytes read.  Returns NUM_OK or an error as num_parse; NUM_ESYNTAX
 * with *used == 0 when s does not start with a figure (leading spaces
 * included).  On any other error *used covers at least the first
 * character, so a caller can step past it.  Words that only end a figure
 * in a cell (an unknown unit) end it quietly here: "11.82亿元，有效"
 * uses the 11 bytes of "11.82亿元".
 */
int num_scan(const char *s, size_t n, const struct num_opts *o,
    struct num_val *out, size_t *used, char *why);

/*
 * Express v in `to` (NULL: in its own base unit) at `scale` digits after
 * the point, rounding with `mode`, and check that the result's integer
 * part fits int64.  to's base must equal v's unit (else NUM_EUNIT, with
 * why); a value with no unit ("5万" in a column without a header unit) is
 * a count of to's base unit, so "5万" in 万元 is 5 and "13200" in 万人 is
 * 1.32 (exact only with a scale).  Returns NUM_OK, NUM_EUNIT,
 * NUM_EINEXACT ("not whole: 12345.67") or NUM_EOVERFLOW ("beyond
 * int64").  scale < 0 means: the exact shortest decimal (then a
 * non-terminating quotient needs a rounding mode and scale >= 0).
 */
int num_result(const struct num_val *v, const struct unit *to, int scale,
    enum dec_round mode, struct dec *out, char *why);

/*
 * Split a header name into name and unit: "金额（万元）" gives name
 * "金额" (*namelen bytes) and the unit 万元; "人数(人)" gives 人.  Returns
 * NULL (and *namelen = n) when the header carries no known unit.
 */
const struct unit *num_header_unit(const char *s, size_t n, size_t *namelen);

#endif
