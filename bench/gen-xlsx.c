/*
 * gen-xlsx ROWS OUT.xlsx [SEED]: write a workbook of one sheet, 民政统计,
 * with a header row and ROWS rows of civil-affairs statistics in 8 columns,
 * the way statistical offices lay out their tables:
 *
 *   地区    年份  指标          单位名称                  人数   金额（万元）  占比    统计日期
 *   湖南省  2021  城市低保人数  长沙市岳麓区望月湖街道第17社区  16190  1,182.40     12.34%  2021-06-30
 *
 * 地区 and 指标 come from small sets, 单位名称 from a set that grows with
 * ROWS (about ROWS / 4 names, so the shared-string table grows too); 人数
 * is an integer, 金额 a decimal of two places shown as #,##0.00, 占比 a
 * fraction shown as 0.00%, 统计日期 a date serial shown as yyyy-mm-dd.
 *
 * Strings go to the shared-string table, as Excel writes them: the
 * default mode of libxlsxwriter, which holds the whole sheet in memory
 * until it closes the workbook (constant_memory mode would write inline
 * strings instead, which Excel never does).  The same ROWS and SEED give
 * the same cells (Park-Miller LCG, as bench/gen-csv).
 *
 * Build: cc -O2 -o gen-xlsx bench/gen-xlsx.c -lxlsxwriter
 */
#include <stdio.h>
#include <stdlib.h>

#include <xlsxwriter.h>

#define NCOLS 8

static const char *const regions[] = {
	"北京市", "天津市", "河北省", "山西省", "辽宁省", "上海市",
	"江苏省", "浙江省", "安徽省", "福建省", "山东省", "河南省",
	"湖北省", "湖南省", "广东省", "四川省", "陕西省", "甘肃省",
};
static const char *const items[] = {
	"城市低保人数", "农村低保人数", "特困供养人数", "临时救助人次",
	"医疗救助人次", "孤儿人数", "养老机构床位数", "社区服务站数",
};
static const char *const cities[] = {
	"长沙市岳麓区", "成都市武侯区", "西安市雁塔区", "杭州市西湖区",
	"武汉市洪山区", "南京市鼓楼区", "广州市天河区", "郑州市金水区",
	"济南市历下区", "合肥市蜀山区", "福州市鼓楼区", "兰州市城关区",
};
static const char *const streets[] = {
	"望月湖", "橘子洲", "浆洗街", "小寨路", "北山", "珞南",
	"湖南路", "石牌", "花园路", "泉城路", "三里庵", "东街",
	"皋兰路", "芙蓉", "解放路", "建设路",
};
static const char *const headers[NCOLS] = {
	"地区", "年份", "指标", "单位名称", "人数", "金额（万元）", "占比",
	"统计日期",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static unsigned long seed;

/* 0 .. n-1, from the Park-Miller minimal standard LCG. */
static unsigned long
rnd(unsigned long n)
{
	seed = seed * 16807 % 2147483647;
	return (unsigned long)((double)seed / 2147483647 * n);
}

static const char *
pick(const char *const *a, size_t n)
{
	return a[rnd(n)];
}

/* The formats a statistician gives these columns. */
struct formats {
	lxw_format *header, *money, *percent, *date;
};

static void
make_formats(lxw_workbook *wb, struct formats *f)
{
	f->header = workbook_add_format(wb);
	format_set_bold(f->header);
	f->money = workbook_add_format(wb);
	format_set_num_format(f->money, "#,##0.00");
	f->percent = workbook_add_format(wb);
	format_set_num_format(f->percent, "0.00%");
	f->date = workbook_add_format(wb);
	format_set_num_format(f->date, "yyyy-mm-dd");
}

/* Row r (1-based below the header) of the table. */
static void
write_row(lxw_worksheet *ws, const struct formats *f, lxw_row_t r,
    unsigned long nunits)
{
	char unit[128];
	lxw_datetime day;
	int year = 2015 + (int)rnd(11);
	unsigned long u = rnd(nunits);

	snprintf(unit, sizeof(unit), "%s%s街道第%lu社区",
	    cities[u % NELEM(cities)],
	    streets[u / NELEM(cities) % NELEM(streets)],
	    u / (NELEM(cities) * NELEM(streets)) + 1);
	worksheet_write_string(ws, r, 0, pick(regions, NELEM(regions)), NULL);
	worksheet_write_number(ws, r, 1, year, NULL);
	worksheet_write_string(ws, r, 2, pick(items, NELEM(items)), NULL);
	worksheet_write_string(ws, r, 3, unit, NULL);
	worksheet_write_number(ws, r, 4, (double)rnd(100000), NULL);
	/* cents / 100 is the double nearest the two-place decimal */
	worksheet_write_number(ws, r, 5, (double)rnd(10000000) / 100, f->money);
	worksheet_write_number(ws, r, 6, (double)rnd(10001) / 10000, f->percent);
	day = (lxw_datetime){ year, 1 + (int)rnd(12), 1 + (int)rnd(28), 0, 0, 0 };
	worksheet_write_datetime(ws, r, 7, &day, f->date);
}

int
main(int argc, char *argv[])
{
	lxw_workbook_options opts = { .constant_memory = LXW_FALSE };
	lxw_workbook *wb;
	lxw_worksheet *ws;
	struct formats f;
	unsigned long rows, nunits;
	char *end;
	lxw_error err;

	if (argc < 3 || argc > 4)
		goto usage;
	rows = strtoul(argv[1], &end, 10);
	if (*argv[1] == '\0' || *end != '\0' || rows > 1048575)
		goto usage;
	seed = argc > 3 ? strtoul(argv[3], NULL, 10) : 20240601;
	if (seed % 2147483647 == 0)
		goto usage;
	/* about ROWS / 4 names, at least one per city and street */
	nunits = rows / 4 > NELEM(cities) * NELEM(streets) ? rows / 4 :
	    NELEM(cities) * NELEM(streets);

	wb = workbook_new_opt(argv[2], &opts);
	if (wb == NULL) {
		fprintf(stderr, "gen-xlsx: cannot create %s\n", argv[2]);
		return 3;
	}
	make_formats(wb, &f);
	ws = workbook_add_worksheet(wb, "民政统计");
	worksheet_set_column(ws, 0, 2, 14, NULL);
	worksheet_set_column(ws, 3, 3, 36, NULL);
	worksheet_set_column(ws, 4, 7, 12, NULL);
	worksheet_freeze_panes(ws, 1, 0);
	for (lxw_col_t c = 0; c < NCOLS; c++)
		worksheet_write_string(ws, 0, c, headers[c], f.header);
	for (unsigned long r = 1; r <= rows; r++)
		write_row(ws, &f, (lxw_row_t)r, nunits);
	err = workbook_close(wb);
	if (err != LXW_NO_ERROR) {
		fprintf(stderr, "gen-xlsx: %s: %s\n", argv[2], lxw_strerror(err));
		return 3;
	}
	return 0;
usage:
	fprintf(stderr, "usage: gen-xlsx ROWS OUT.xlsx [SEED] (ROWS <= 1048575)\n");
	return 2;
}
