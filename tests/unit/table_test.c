/*
 * table_test: header rows joined into one (--header-rows), with merged
 * ranges known (workbooks) and without (CSV, where a merged cell leaves
 * the cells it spanned empty).
 */
#include <stdlib.h>

#include "book.h"
#include "table.h"
#include "t.h"

/* Hold rows given as "a|b|c" strings, at sheet rows first, first+1, ... */
static void
hold_rows(struct table *t, const char *const *rows, size_t n, long first)
{
	struct wy_err e;

	for (size_t i = 0; i < n; i++) {
		struct rec r = { 0 };
		const char *p = rows[i];

		for (;;) {
			const char *bar = strchr(p, '|');
			size_t len = bar ? (size_t)(bar - p) : strlen(p);

			rec_push(&r, p, len, &e);
			if (bar == NULL)
				break;
			p = bar + 1;
		}
		r.line = first + (long)i;
		table_hold(t, &r, 0, &e);
		rec_free(&r);
	}
}

/* The joined names as "a|b|c". */
static const char *
joined(const char *const *rows, size_t n, const struct book_merge *m, size_t nm,
    int fill)
{
	static char out[WY_ERRMAX + 16];
	struct table t = { 0 };
	struct rec r = { 0 };
	char *buf = NULL;
	size_t cap = 0, len = 0;
	struct wy_err e;

	hold_rows(&t, rows, n, 3);
	if (table_join(&t, m, nm, fill, &r, &buf, &cap, &e) < 0)
		snprintf(out, sizeof out, "error: %s", e.msg);
	else
		for (size_t i = 0; i < r.nf; i++)
			len += snprintf(out + len, sizeof out - len, "%s%.*s", i ? "|" : "",
			    (int)r.f[i].len, r.f[i].p);
	if (r.nf == 0)
		out[len] = '\0';
	rec_free(&r);
	table_free(&t);
	free(buf);
	return out;
}

int
main(void)
{
	static const char *const years[] = {
		"地区|2025年||2024年|",
		"|金额（万元）|人数|金额（万元）|人数",
	};
	/* rows 3-4: 地区 merged down A3:A4, years merged across B3:C3, D3:E3 */
	static const struct book_merge merges[] = {
		{ 3, 4, 0, 0 }, { 3, 3, 1, 2 }, { 3, 3, 3, 4 },
	};
	static const char *const remark[] = {
		"地区|2025年||备注",
		"|金额|人数|",
	};
	static const char *const same[] = { "合计|人数", "合计|人数" };
	static const char *const three[] = { "甲|||", "乙||丙|", "金额|人数|金额|人数" };
	static const char *const one[] = { "a|b|c" };

	CHECK_STR(joined(years, 2, merges, 3, 0),
	    "地区|2025年/金额（万元）|2025年/人数|2024年/金额（万元）|2024年/人数");
	/* the same table saved as CSV: no merges, the text goes on rightwards */
	CHECK_STR(joined(years, 2, NULL, 0, 1),
	    "地区|2025年/金额（万元）|2025年/人数|2024年/金额（万元）|2024年/人数");
	/* merges known, and none over 人数: its upper cell is truly empty */
	CHECK_STR(joined(years, 2, merges, 1, 0),
	    "地区|2025年/金额（万元）|人数|2024年/金额（万元）|人数");
	CHECK_STR(joined(remark, 2, NULL, 0, 0), "地区|2025年/金额|人数|备注");
	CHECK_STR(joined(same, 2, NULL, 0, 1), "合计|人数");
	CHECK_STR(joined(three, 3, NULL, 0, 1), "甲/乙/金额|甲/乙/人数|甲/丙/金额|甲/丙/人数");
	CHECK_STR(joined(one, 1, NULL, 0, 1), "a|b|c");
	return t_done("table");
}
