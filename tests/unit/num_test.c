/*
 * num_test: the figure grammar, one table row per figure.  Expected
 * values are worked out by hand: they are the spec, not the output.
 */
#include <stdint.h>

#include "num.h"
#include "t.h"

enum { E = NUM_EXACT, GT = NUM_GT, LT = NUM_LT, AP = NUM_APPROX };

/* Option sets a row can name. */
enum { O_NONE, O_WANYUAN, O_REN, O_LOW, O_HIGH, O_MID, O_WANYUAN_MID,
	O_PCT, O_YIYUAN, O_JIAO, O_NOPTS };

static struct num_opts opts[O_NOPTS];

static void
init_opts(void)
{
	opts[O_WANYUAN].hdr_unit = unit_lookup("万元", strlen("万元"));
	opts[O_REN].hdr_unit = unit_lookup("人", strlen("人"));
	opts[O_LOW].range = NUM_RANGE_LOW;
	opts[O_HIGH].range = NUM_RANGE_HIGH;
	opts[O_MID].range = NUM_RANGE_MID;
	opts[O_WANYUAN_MID] = opts[O_WANYUAN];
	opts[O_WANYUAN_MID].range = NUM_RANGE_MID;
	opts[O_PCT].hdr_unit = unit_lookup("%", 1);
	opts[O_YIYUAN].hdr_unit = unit_lookup("亿元", strlen("亿元"));
	opts[O_JIAO].hdr_unit = unit_lookup("角", strlen("角"));
}

struct pcase {
	const char *in;
	int opt;
	int st;
	const char *v; /* dec_format of the value; "v/den" for a quotient */
	const char *unit;
	int qual;
	const char *why; /* NULL: the reason is not checked */
};

#define OK(in, v, unit, q) { in, O_NONE, NUM_OK, v, unit, q, NULL }
#define OKO(opt, in, v, unit, q) { in, opt, NUM_OK, v, unit, q, NULL }
#define BAD(in, st, why) { in, O_NONE, st, NULL, NULL, 0, why }
#define BADO(opt, in, st, why) { in, opt, st, NULL, NULL, 0, why }
#define NUL(in) { in, O_NONE, NUM_NULL, NULL, NULL, 0, NULL }

static const struct pcase parse_cases[] = {
	/* Plain Arabic numbers */
	OK("12345", "12345", "", E),
	OK("-3.5", "-3.5", "", E),
	OK("3.5", "3.5", "", E),
	OK("0", "0", "", E),
	OK("-0", "0", "", E),
	OK("0.5", "0.5", "", E),
	OK(".5", "0.5", "", E),
	OK("007", "7", "", E),
	OK("3.14159", "3.14159", "", E),
	OK("12.500", "12.5", "", E),
	OK("1234567890123456789", "1234567890123456789", "", E),
	OK("123456789012345678901234567890", "123456789012345678901234567890",
	    "", E),
	OK("0.000001", "0.000001", "", E),
	OK("1.2345678901234567890123456789", "1.2345678901234567890123456789",
	    "", E),

	/* Arabic digits with multipliers; the float traps */
	OK("11.82亿", "1182000000", "", E),
	OK("4.35万", "43500", "", E),
	OK("0.07亿", "7000000", "", E),
	OK("1.1万", "11000", "", E),
	OK("2.675亿", "267500000", "", E),
	OK("1.2万亿", "1200000000000", "", E),
	OK("0.1万", "1000", "", E),
	OK("0.0001亿", "10000", "", E),
	OK("99.99万", "999900", "", E),
	OK("12.345万", "123450", "", E),
	OK("1.23456万", "12345.6", "", E),
	OK("0.3万", "3000", "", E),
	OK("-1.5万", "-15000", "", E),
	OK("+2万", "20000", "", E),
	OK("5十", "50", "", E),
	OK("5百", "500", "", E),
	OK("5千", "5000", "", E),
	OK("5万", "50000", "", E),
	OK("5亿", "500000000", "", E),
	OK("5拾", "50", "", E),
	OK("5佰", "500", "", E),
	OK("5仟", "5000", "", E),
	OK("5萬", "50000", "", E),
	OK("5億", "500000000", "", E),
	OK("5万亿", "5000000000000", "", E),
	OK("5千万", "50000000", "", E),
	OK("5百万", "5000000", "", E),
	OK("1.5千万", "15000000", "", E),
	OK("2千亿", "200000000000", "", E),
	OK("3千万亿", "3000000000000000", "", E),
	OK("1亿2000万", "120000000", "", E),
	OK("3千5百万", "35000000", "", E),
	OK("1亿1千万", "110000000", "", E),
	OK("1万2千", "12000", "", E),
	OK("2万3千4百5十", "23450", "", E),
	OK("1万6千", "16000", "", E),
	OK("1.5万3000", "18000", "", E),

	/* A bare Arabic addend after a multiplier of 10^k: exactly k digits */
	OK("3万4000", "34000", "", E),
	OK("1万0600", "10600", "", E),
	OK("1十5", "15", "", E),
	OK("1亿2000万3000", "120003000", "", E),
	OK("1百05", "105", "", E),
	OK("1万零600", "10600", "", E),
	BAD("1万6", NUM_EAMBIG, "ambiguous: 1万6 could be 16000 or 10006"),
	BAD("1亿2000", NUM_EAMBIG,
	    "ambiguous: 1亿2000 could be 120000000 or 100002000"),
	BAD("3千5", NUM_EAMBIG, "ambiguous: 3千5 could be 3500 or 3005"),
	BAD("3千5万", NUM_EAMBIG, "ambiguous: 3千5 could be 3500 or 3005"),
	BAD("3万45", NUM_EAMBIG, "ambiguous: 3万45 could be 34500 or 30045"),
	BAD("1万 6", NUM_EAMBIG, NULL),
	BAD("1万60000", NUM_ESYNTAX, "too many digits after 万"),
	BAD("1十55", NUM_ESYNTAX, "too many digits after 十"),
	BAD("1萬60000", NUM_ESYNTAX, "too many digits after 萬"),
	BAD("1万6.5", NUM_ESYNTAX, "fraction after 万"),

	/* Chinese numerals */
	OK("十", "10", "", E),
	OK("十五", "15", "", E),
	OK("二十", "20", "", E),
	OK("二十五", "25", "", E),
	OK("九十九", "99", "", E),
	OK("一百", "100", "", E),
	OK("一百零五", "105", "", E),
	OK("一百一十五", "115", "", E),
	OK("一千零五十", "1050", "", E),
	OK("一万零一", "10001", "", E),
	OK("一万零五百", "10500", "", E),
	OK("一亿零一", "100000001", "", E),
	OK("九千九百九十九", "9999", "", E),
	OK("三万五千", "35000", "", E),
	OK("十万", "100000", "", E),
	OK("三十万", "300000", "", E),
	OK("十万八千", "108000", "", E),
	OK("一百万", "1000000", "", E),
	OK("五千万", "50000000", "", E),
	OK("三千亿", "300000000000", "", E),
	OK("一万亿", "1000000000000", "", E),
	OK("两万亿", "2000000000000", "", E),
	OK("一千万亿", "1000000000000000", "", E),
	OK("一千二百三十四万五千六百七十八", "12345678", "", E),
	OK("四千五百六十九万八千三百一十一亿四千八百七十二万五千三百八十二",
	    "4569831148725382", "", E),
	OK("两", "2", "", E),
	OK("两万", "20000", "", E),
	OK("兩萬", "20000", "", E),
	OK("廿", "20", "", E),
	OK("廿五", "25", "", E),
	OK("卅", "30", "", E),
	OK("卅六", "36", "", E),
	OK("一百廿五", "125", "", E),
	/* spoken elliptical forms */
	OK("三千五", "3500", "", E),
	OK("一万二", "12000", "", E),
	OK("两百五", "250", "", E),
	OK("一亿二", "120000000", "", E),
	OK("三万五", "35000", "", E),
	OK("三千五万", "35000000", "", E),
	/* digit by digit */
	OK("二〇二三", "2023", "", E),
	OK("一九九八", "1998", "", E),
	OK("二零零八", "2008", "", E),
	OK("〇", "0", "", E),
	OK("零", "0", "", E),
	/* 点 */
	OK("零点五", "0.5", "", E),
	OK("三点二亿", "320000000", "", E),
	OK("三点一四一五九", "3.14159", "", E),
	OK("十二点五", "12.5", "", E),
	OK("一点零五", "1.05", "", E),
	OK("三點二", "3.2", "", E),
	OK("十二点五万", "125000", "", E),
	OK("一百点零一", "100.01", "", E),
	/* spaces between the parts */
	OK("7 万5 千", "75000", "", E),
	OK("七 万 五 千", "75000", "", E),
	OK("3 万 4000", "34000", "", E),
	BAD("一千一千", NUM_ESYNTAX, "unexpected \"千\""),
	BAD("一亿万", NUM_ESYNTAX, "unexpected \"万\""),
	BAD("万万", NUM_ESYNTAX, "unexpected \"万\""),
	BAD("三点", NUM_ESYNTAX, "unexpected \"点\""),
	BAD("三点二点五", NUM_ESYNTAX, "second decimal point"),
	BAD("1.2.3万", NUM_ESYNTAX, "second decimal point"),
	BAD("1.2.3", NUM_ESYNTAX, "second decimal point"),
	BAD("5五", NUM_ESYNTAX, "unexpected \"五\""),

	/* Financial capitals, 元 角 分, currency signs */
	OK("人民币壹仟贰佰叁拾肆万伍仟元整", "12345000", "元", E),
	OK("人民幣壹仟貳佰參拾肆萬伍仟圓整", "12345000", "元", E),
	OK("壹佰元", "100", "元", E),
	OK("伍拾圆整", "50", "元", E),
	OK("贰拾叁万元", "230000", "元", E),
	OK("陆仟柒佰捌拾玖", "6789", "", E),
	OK("陸仟柒佰捌拾玖", "6789", "", E),
	OK("玖亿", "900000000", "", E),
	OK("貳萬參仟", "23000", "", E),
	OK("壹拾", "10", "", E),
	OK("壹拾万元", "100000", "元", E),
	OK("零元", "0", "元", E),
	OK("壹佰元零伍分", "100.05", "元", E),
	OK("十元三角八分", "10.38", "元", E),
	OK("3元5角", "3.5", "元", E),
	OK("3元5角2分", "3.52", "元", E),
	OK("3元05分", "3.05", "元", E),
	OK("5角", "0.5", "元", E),
	OK("8分", "0.08", "元", E),
	OK("三角", "0.3", "元", E),
	OK("5元整", "5", "元", E),
	OK("人民币5万", "50000", "元", E),
	OK("人民幣5萬", "50000", "元", E),
	OK("￥1,234.56", "1234.56", "元", E),
	OK("¥5", "5", "元", E),
	OK("￥5元", "5", "元", E),
	OK("5亿人民币", "500000000", "元", E),
	OK("3亿元人民币", "300000000", "元", E),
	BAD("￥5美元", NUM_EUNIT, "a currency sign and 美元"),
	BAD("3元5", NUM_ESYNTAX, "unexpected \"5\""),
	BAD("3角5角", NUM_ESYNTAX, "unexpected \"5\""),

	/* Full-width forms, separators, spaces, signs, Excel's E */
	OK("１２３", "123", "", E),
	OK("１２．５万", "125000", "", E),
	OK("１，２３４", "1234", "", E),
	OK("1,234", "1234", "", E),
	OK("12,345,678", "12345678", "", E),
	OK("1,234.5", "1234.5", "", E),
	OK("1,234.5万", "12345000", "", E),
	OK("1，234", "1234", "", E),
	OK("1，234万元", "12340000", "元", E),
	BAD("1,23", NUM_ESYNTAX,
	    "thousands separator not before a group of three digits"),
	BAD("1,2345", NUM_ESYNTAX,
	    "thousands separator not before a group of three digits"),
	BAD("1,234,56", NUM_ESYNTAX,
	    "thousands separator not before a group of three digits"),
	BAD("1234,567", NUM_ESYNTAX,
	    "thousands separator after more than three digits"),
	BAD("1,234,", NUM_ESYNTAX, "unexpected \",\""),
	OK(" 12 ", "12", "", E),
	OK("\t12\t", "12", "", E),
	OK("　12　", "12", "", E),
	OK("\xc2\xa0" "12" "\xc2\xa0", "12", "", E),
	OK("  1.5万元  ", "15000", "元", E),
	OK("-5", "-5", "", E),
	OK("−5", "-5", "", E),
	OK("+5", "5", "", E),
	OK("＋5", "5", "", E),
	OK("－5", "-5", "", E),
	OK("负5", "-5", "", E),
	OK("負三", "-3", "", E),
	OK("负1.5万", "-15000", "", E),
	OK("- 5", "-5", "", E),
	OK("-3.5万元", "-35000", "元", E),
	OK("1.182E+09", "1182000000", "", E),
	OK("1.182e+09", "1182000000", "", E),
	OK("1.5E3", "1500", "", E),
	OK("1E-3", "0.001", "", E),
	OK("2.5e-1", "0.25", "", E),
	OK("-1.2E+05", "-120000", "", E),
	OK("1.2E3万", "12000000", "", E),
	BAD("1e99999", NUM_EOVERFLOW, "too large"),
	BAD("1E40", NUM_EOVERFLOW, "too large"),

	/* Traditional forms and pinyin annotations */
	OK("16.19萬名", "161900", "名", E),
	OK("3億", "300000000", "", E),
	OK("兩百", "200", "", E),
	OK("5個", "5", "个", E),
	OK("3戶", "3", "户", E),
	OK("5畝", "5", "亩", E),
	OK("3場次", "3", "场次", E),
	OK("5張", "5", "张", E),
	OK("5萬元", "50000", "元", E),
	OK("2億美元", "200000000", "美元", E),
	OK("3100余場(chǎng)次", "3100", "场次", GT),
	OK("16.19萬(wàn)名", "161900", "名", E),
	OK("16.19萬（wàn）名", "161900", "名", E),
	OK("16.19萬(wàn）名", "161900", "名", E),
	OK("5萬(wan)", "50000", "", E),
	OK("3場(chǎng)次(cì)", "3", "场次", E),
	OK("兩(liǎng)萬(wàn)", "20000", "", E),
	OK("5億(yì)元", "500000000", "元", E),
	OK("5个(gè)", "5", "个", E),
	BAD("5(wan)", NUM_ESYNTAX, "unexpected \"(\""),
	BAD("5萬(12)", NUM_ESYNTAX, "unexpected \"(\""),
	BAD("場(chǎng)次", NUM_ESYNTAX, "no digits"),

	/* Units: counts and classifiers */
	OK("5人", "5", "人", E),
	OK("5名", "5", "名", E),
	OK("5户", "5", "户", E),
	OK("5个", "5", "个", E),
	OK("5家", "5", "家", E),
	OK("5所", "5", "所", E),
	OK("5张", "5", "张", E),
	OK("5对", "5", "对", E),
	OK("5位", "5", "位", E),
	OK("5例", "5", "例", E),
	OK("5项", "5", "项", E),
	OK("5次", "5", "次", E),
	OK("5人次", "5", "人次", E),
	OK("5场次", "5", "场次", E),
	OK("5件", "5", "件", E),
	OK("5台", "5", "台", E),
	OK("5辆", "5", "辆", E),
	OK("5座", "5", "座", E),
	OK("5处", "5", "处", E),
	OK("5套", "5", "套", E),
	OK("5间", "5", "间", E),
	OK("5床", "5", "床", E),
	OK("5条", "5", "条", E),
	OK("5只", "5", "只", E),
	OK("5头", "5", "头", E),
	OK("5株", "5", "株", E),
	OK("5本", "5", "本", E),
	OK("5册", "5", "册", E),
	OK("5篇", "5", "篇", E),
	OK("5部", "5", "部", E),
	OK("5门", "5", "门", E),
	OK("5种", "5", "种", E),
	OK("5批", "5", "批", E),
	OK("5期", "5", "期", E),
	OK("5届", "5", "届", E),
	OK("5起", "5", "起", E),
	OK("5宗", "5", "宗", E),
	OK("5笔", "5", "笔", E),
	OK("5份", "5", "份", E),
	OK("5块", "5", "块", E),
	OK("5口", "5", "口", E),
	OK("5级", "5", "级", E),
	OK("5栋", "5", "栋", E),
	OK("5幢", "5", "幢", E),
	OK("5艘", "5", "艘", E),
	OK("5架", "5", "架", E),
	OK("5列", "5", "列", E),
	OK("5名次", "5", "名次", E),
	OK("5倍", "5", "倍", E),
	/* magnitude units */
	OK("5万元", "50000", "元", E),
	OK("5亿元", "500000000", "元", E),
	OK("5千元", "5000", "元", E),
	OK("5百万元", "5000000", "元", E),
	OK("5十万元", "500000", "元", E),
	OK("5千万元", "50000000", "元", E),
	OK("5万亿元", "5000000000000", "元", E),
	OK("5万人", "50000", "人", E),
	OK("5万户", "50000", "户", E),
	OK("5万人次", "50000", "人次", E),
	OK("5亿人", "500000000", "人", E),
	OK("1.5万亩", "15000", "亩", E),
	OK("10亿美元", "1000000000", "美元", E),
	OK("3.5万欧元", "35000", "欧元", E),
	OK("2亿日元", "200000000", "日元", E),
	OK("100港元", "100", "港元", E),
	OK("5英镑", "5", "英镑", E),
	OK("5歐元", "5", "欧元", E),
	OK("11.82亿元", "1182000000", "元", E),
	OK("16.19万名", "161900", "名", E),
	/* area, length, mass, energy, volume */
	OK("5亩", "5", "亩", E),
	OK("5公顷", "5", "公顷", E),
	OK("5平方米", "5", "平方米", E),
	OK("5平方公里", "5", "平方千米", E),
	OK("5平方千米", "5", "平方千米", E),
	OK("5米", "5", "米", E),
	OK("5公里", "5", "千米", E),
	OK("5吨", "5", "吨", E),
	OK("5斤", "5", "斤", E),
	OK("5公斤", "5", "千克", E),
	OK("5克", "5", "克", E),
	OK("5千克", "5", "千克", E),
	OK("5千瓦", "5", "千瓦", E),
	OK("5千瓦时", "5", "千瓦时", E),
	OK("5度", "5", "度", E),
	OK("5立方米", "5", "立方米", E),
	OK("5升", "5", "升", E),
	OK("5万吨", "50000", "吨", E),
	OK("5亿千瓦时", "500000000", "千瓦时", E),
	OK("3万千瓦", "30000", "千瓦", E),
	OK("三千万千瓦", "30000000", "千瓦", E),
	OK("960万平方公里", "9600000", "平方千米", E),
	/* ratios */
	OK("12.5%", "12.5", "%", E),
	OK("12.5％", "12.5", "%", E),
	OK("5‰", "5", "‰", E),
	OK("2.5个百分点", "2.5", "百分点", E),
	OK("2.5百分点", "2.5", "百分点", E),
	OK("-0.3个百分点", "-0.3", "百分点", E),
	/* units that begin with a numeral end the number */
	OK("一千克", "1", "千克", E),
	OK("二两", "2", "两", E),
	OK("三千瓦", "3", "千瓦", E),
	OK("5千米", "5", "千米", E),
	OK("三千瓦时", "3", "千瓦时", E),
	OK("两千克", "2", "千克", E),
	OK("十两", "10", "两", E),
	OK("三万千克", "30000", "千克", E),
	OK("一千米", "1", "千米", E),
	OK("1.2千克", "1.2", "千克", E),
	OK("一千克多", "1", "千克", GT),
	OK("一千多克", "1000", "克", GT),
	OK("一百米", "100", "米", E),
	OK("五百人", "500", "人", E),
	OK("一百二十万元", "1200000", "元", E),
	/* unknown words are named, never dropped */
	BAD("5斤斤", NUM_EUNIT, "unknown unit \"斤斤\""),
	BAD("12abc", NUM_EUNIT, "unknown unit \"abc\""),
	BAD("5个人", NUM_EUNIT, "unknown unit \"个人\""),
	BAD("5元钱", NUM_EUNIT, "unknown unit \"元钱\""),
	BAD("5 x", NUM_EUNIT, "unknown unit \"x\""),
	BAD("18岁", NUM_EUNIT, "unknown unit \"岁\""),
	BAD("5万人口", NUM_EUNIT, "unknown unit \"人口\""),

	/* Qualifiers before, inside and after */
	OK("十余万", "100000", "", GT),
	OK("500余万", "5000000", "", GT),
	OK("三万多", "30000", "", GT),
	OK("1.6万余亩", "16000", "亩", GT),
	OK("3100余场次", "3100", "场次", GT),
	OK("近300", "300", "", LT),
	OK("约1.2亿", "120000000", "", AP),
	OK("5万人左右", "50000", "人", AP),
	OK("大约5万", "50000", "", AP),
	OK("約5", "5", "", AP),
	OK("将近5万", "50000", "", LT),
	OK("將近5萬", "50000", "", LT),
	OK("超5万", "50000", "", GT),
	OK("超过5万", "50000", "", GT),
	OK("超過5萬", "50000", "", GT),
	OK("逾千", "1000", "", GT),
	OK("逾5000人", "5000", "人", GT),
	OK("不到5万", "50000", "", LT),
	OK("不足5万", "50000", "", LT),
	OK("未满18", "18", "", LT),
	OK("未滿18", "18", "", LT),
	OK("过万", "10000", "", GT),
	OK("過萬", "10000", "", GT),
	OK("近万人", "10000", "人", LT),
	OK("万余人", "10000", "人", GT),
	OK("百余家", "100", "家", GT),
	OK("千余人", "1000", "人", GT),
	OK("5万以上", "50000", "", GT),
	OK("5万以下", "50000", "", LT),
	OK("5万上下", "50000", "", AP),
	OK("5万前后", "50000", "", AP),
	OK("5万前後", "50000", "", AP),
	OK("5万许", "50000", "", AP),
	OK("一千多万", "10000000", "", GT),
	OK("3千多元", "3000", "元", GT),
	OK("5万余元", "50000", "元", GT),
	OK("5萬餘", "50000", "", GT),
	OK("5万人以上", "50000", "人", GT),
	OK("约 5 万 人 左右", "50000", "人", AP),
	OK("二十多", "20", "", GT),
	BAD("约", NUM_ESYNTAX, "no digits"),

	/* Percent, per-mille and fractions */
	OK("百分之十二点五", "12.5", "%", E),
	OK("百分之五十", "50", "%", E),
	OK("百分之12.5", "12.5", "%", E),
	OK("百分之一百", "100", "%", E),
	OK("约百分之五十", "50", "%", AP),
	OK("负百分之五", "-5", "%", E),
	OK("千分之三", "3", "‰", E),
	OK("千分之五点五", "5.5", "‰", E),
	OK("万分之五", "0.0005", "", E),
	OK("四分之一", "0.25", "", E),
	OK("二分之一", "0.5", "", E),
	OK("八分之三", "0.375", "", E),
	OK("4分之1", "0.25", "", E),
	OK("一百分之五", "0.05", "", E),
	OK("三分之一", "1/3", "", E),
	OK("三分之二", "2/3", "", E),
	OK("七分之一", "1/7", "", E),
	OK("负三分之一", "-1/3", "", E),
	BAD("零分之一", NUM_ESYNTAX, "zero denominator"),
	BAD("百分之", NUM_ESYNTAX, "no digits after 百分之"),
	BAD("三分之", NUM_ESYNTAX, "no digits after 分之"),

	/* The header's unit */
	OKO(O_WANYUAN, "12.5", "125000", "元", E),
	OKO(O_WANYUAN, "3.46亿", "346000000", "元", E),
	OKO(O_WANYUAN, "5万", "50000", "元", E),
	OKO(O_WANYUAN, "5人", "5", "人", E),
	OKO(O_WANYUAN, "5元", "5", "元", E),
	OKO(O_WANYUAN, "12.5万元", "125000", "元", E),
	OKO(O_WANYUAN, "一千二百", "12000000", "元", E),
	OKO(O_WANYUAN, "-3", "-30000", "元", E),
	OKO(O_WANYUAN, "1.5亿", "150000000", "元", E),
	OKO(O_WANYUAN, "￥5", "5", "元", E),
	OKO(O_WANYUAN, "12.5%", "12.5", "%", E),
	OKO(O_WANYUAN, "约12.5", "125000", "元", AP),
	OKO(O_WANYUAN, "1.182E+03", "11820000", "元", E),
	OKO(O_WANYUAN, "1万亿", "1000000000000", "元", E),
	OKO(O_WANYUAN, "0.07", "700", "元", E),
	OKO(O_REN, "12", "12", "人", E),
	OKO(O_REN, "1.5万", "15000", "人", E),
	OKO(O_PCT, "12.5", "12.5", "%", E),
	OKO(O_YIYUAN, "1.5", "150000000", "元", E),
	OKO(O_YIYUAN, "3000万", "30000000", "元", E),
	OKO(O_JIAO, "5", "0.5", "元", E),
	BADO(O_WANYUAN, "3-5", NUM_ERANGE, "a range: use --range low|high|mid"),

	/* Null markers */
	NUL(""),
	NUL("\\N"),
	NUL("—"),
	NUL("－"),
	NUL("-"),
	NUL("--"),
	NUL("——"),
	NUL("…"),
	NUL("……"),
	NUL("/"),
	NUL(" / "),
	NUL(" - "),
	NUL("　—　"),
	NUL("   "),

	/* Ranges */
	BAD("3-5万", NUM_ERANGE, "a range: use --range low|high|mid"),
	BAD("3～5万", NUM_ERANGE, "a range: use --range low|high|mid"),
	BAD("3~5万", NUM_ERANGE, NULL),
	BAD("3至5万", NUM_ERANGE, NULL),
	BAD("3到5万", NUM_ERANGE, NULL),
	BAD("3—5万", NUM_ERANGE, NULL),
	BAD("三至五万", NUM_ERANGE, NULL),
	BAD("3-5", NUM_ERANGE, NULL),
	OKO(O_LOW, "3-5万", "30000", "", E),
	OKO(O_LOW, "3～5万元", "30000", "元", E),
	OKO(O_LOW, "三至五万", "30000", "", E),
	OKO(O_LOW, "5-3万", "30000", "", E),
	OKO(O_LOW, "3-15万", "30000", "", E),
	OKO(O_LOW, "1.5-2亿元", "150000000", "元", E),
	OKO(O_HIGH, "3-5万", "50000", "", E),
	OKO(O_HIGH, "3到5万人", "50000", "人", E),
	OKO(O_HIGH, "1.5-2亿元", "200000000", "元", E),
	OKO(O_HIGH, "3〜5千万", "50000000", "", E),
	OKO(O_MID, "3-5万", "40000", "", E),
	OKO(O_MID, "3-4万", "35000", "", E),
	OKO(O_MID, "1-2", "1.5", "", E),
	OKO(O_MID, "3万-5万", "40000", "", E),
	OKO(O_MID, "3千-5万", "26500", "", E),
	OKO(O_MID, "-5至-3", "-4", "", E),
	OKO(O_MID, "约3-5万", "40000", "", AP),
	OKO(O_MID, "3-5万人左右", "40000", "人", AP),
	OKO(O_MID, "3元-5元", "4", "元", E),
	OKO(O_MID, "3 – 5 万", "40000", "", E),
	OKO(O_MID, "1.2-1.3亿", "125000000", "", E),
	OKO(O_MID, "0.1-0.2", "0.15", "", E),
	OKO(O_WANYUAN_MID, "3-5", "40000", "元", E),
	OKO(O_WANYUAN_MID, "3-5亿", "400000000", "元", E),
	BADO(O_MID, "3元-5人", NUM_ESYNTAX, "a range of 元 and 人"),
	BADO(O_MID, "三分之一-1", NUM_ESYNTAX, "a fraction in a range"),

	/* Other syntax errors */
	BAD("abc", NUM_ESYNTAX, "no digits"),
	BAD("元", NUM_ESYNTAX, "no digits"),
	BAD("万", NUM_ESYNTAX, "no digits"),
	BAD("万元", NUM_ESYNTAX, "no digits"),
	BAD("千万", NUM_ESYNTAX, "no digits"),
	BAD(".", NUM_ESYNTAX, "no digits"),
	BAD("(5)", NUM_ESYNTAX, "no digits"),
	BAD("5.", NUM_ESYNTAX, "unexpected \".\""),
	BAD("1..5", NUM_ESYNTAX, "unexpected \".\""),
	BAD("1 234", NUM_ESYNTAX, "unexpected \"2\""),
	BAD("5 5", NUM_ESYNTAX, "unexpected \"5\""),
	BAD("5-", NUM_ESYNTAX, "unexpected \"-\""),
	BAD("12.5%%", NUM_ESYNTAX, "unexpected \"%\""),
	BAD("5人万", NUM_ESYNTAX, "unexpected \"万\""),
	BAD("2023-01-02", NUM_ESYNTAX, "unexpected \"-\""),
	BAD("5\x01", NUM_ESYNTAX, "unexpected \"\\x01\""),

	/* Invalid UTF-8 never crashes and is named */
	BAD("\xff", NUM_ESYNTAX, "invalid UTF-8"),
	BAD("1\xff", NUM_ESYNTAX, "invalid UTF-8"),
	BAD("5\xe4\xb8", NUM_ESYNTAX, "invalid UTF-8"),
	BAD("\xe4\xb8\x87\xff", NUM_ESYNTAX, "invalid UTF-8"),
	BAD("\xc0\x80", NUM_ESYNTAX, "invalid UTF-8"),
	BAD("\xed\xa0\x80", NUM_ESYNTAX, "invalid UTF-8"),
	BAD("1万\xf0\x9f\x98", NUM_ESYNTAX, "invalid UTF-8"),
	BAD("5个\x80", NUM_ESYNTAX, "invalid UTF-8"),
	BAD("5\xf8\x88\x80\x80\x80", NUM_ESYNTAX, "invalid UTF-8"),

	/* Overflow */
	BAD("999999999999999999999999999999999999999", NUM_EOVERFLOW,
	    "too large"),
	BAD("9999999999999999999999999999999999亿", NUM_EOVERFLOW,
	    "too large"),
	OK("99999999999999999999999999999999999999",
	    "99999999999999999999999999999999999999", "", E),
};

/*
 * num_result at scale -1 in the value's own unit is the value without
 * the zeros that end its fraction, for every figure of the table.
 */
static void
test_result_shortest(void)
{
	static const char *const more[] = { "12.50%", "-0.30", "0.0", "1.50元",
		"100.000", "-12.5%", "0.001", "9223372036854775807.5" };
	size_t npc = sizeof(parse_cases) / sizeof(parse_cases[0]);
	size_t nmore = sizeof(more) / sizeof(more[0]);

	for (size_t i = 0; i < npc + nmore; i++) {
		const char *in = i < npc ? parse_cases[i].in : more[i - npc];
		struct num_val v;
		struct dec d, want;
		char why[NUM_WHYMAX], a[DEC_STRMAX], b[DEC_STRMAX];

		if (num_parse(in, strlen(in), NULL, &v, why) != NUM_OK ||
		    v.den.mant != 1 || v.den.scale != 0)
			continue;
		want = dec_normalize(v.v);
		if (num_result(&v, NULL, -1, DEC_ROUND_NONE, &d, why) != NUM_OK)
			continue; /* beyond int64: test_result's */
		dec_format(d, a);
		dec_format(want, b);
		CHECK(dec_cmp(d, want) == 0 && d.scale == want.scale,
		    "result \"%s\" at scale -1: %s, want %s", in, a, b);
	}
}

/* The value as a string: "12.5", or "1/3" for a quotient. */
static void
show(const struct num_val *v, char *buf)
{
	size_t n = dec_format(v->v, buf);

	if (v->den.mant != 1 || v->den.scale != 0) {
		buf[n++] = '/';
		dec_format(v->den, buf + n);
	}
}

static void
test_parse(void)
{
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]);
	    i++) {
		const struct pcase *t = &parse_cases[i];
		struct num_val v;
		char why[NUM_WHYMAX], buf[2 * DEC_STRMAX];
		int st = num_parse(t->in, strlen(t->in), &opts[t->opt], &v, why);

		CHECK(st == t->st, "parse \"%s\": status %d, want %d (%s)", t->in,
		    st, t->st, why);
		if (st != t->st)
			continue;
		if (st == NUM_OK) {
			show(&v, buf);
			CHECK(strcmp(buf, t->v) == 0 &&
			    strcmp(v.unit, t->unit) == 0 && (int)v.qual == t->qual,
			    "parse \"%s\": got %s %s q%d, want %s %s q%d", t->in,
			    buf, v.unit, v.qual, t->v, t->unit, t->qual);
		} else if (t->why != NULL) {
			CHECK(strcmp(why, t->why) == 0,
			    "parse \"%s\": why \"%s\", want \"%s\"", t->in, why,
			    t->why);
		}
	}
}

/* num_scan: where a figure in prose ends. */
static const struct scase {
	const char *in;
	int st;
	const char *covers; /* the text *used must cover */
	const char *v, *unit;
	int qual;
} scan_cases[] = {
	{ "11.82亿元，有效保障", NUM_OK, "11.82亿元", "1182000000", "元", E },
	{ "16.19万名学生", NUM_OK, "16.19万名", "161900", "名", E },
	{ "约1.2亿人次参与", NUM_OK, "约1.2亿人次", "120000000", "人次", AP },
	{ "3100余場(chǎng)次，观众", NUM_OK, "3100余場(chǎng)次", "3100",
	    "场次", GT },
	{ "12.5%的增长", NUM_OK, "12.5%", "12.5", "%", E },
	{ "三千五百万元的投资", NUM_OK, "三千五百万元", "35000000", "元", E },
	{ "5个多月", NUM_OK, "5个多", "5", "个", GT },
	{ "2023年", NUM_OK, "2023", "2023", "", E },
	{ "1,234人参加", NUM_OK, "1,234人", "1234", "人", E },
	{ "1,23人", NUM_OK, "1", "1", "", E },
	{ "12，较上年", NUM_OK, "12", "12", "", E },
	{ "1.5。", NUM_OK, "1.5", "1.5", "", E },
	{ "5-", NUM_OK, "5", "5", "", E },
	{ "5\xff", NUM_OK, "5", "5", "", E },
	{ "1万6千人次", NUM_OK, "1万6千人次", "16000", "人次", E },
	{ "十元三角八分钱", NUM_OK, "十元三角八分", "10.38", "元", E },
	{ "一千克的", NUM_OK, "一千克", "1", "千克", E },
	{ "2.5个百分点，", NUM_OK, "2.5个百分点", "2.5", "百分点", E },
	{ "5万人左右。", NUM_OK, "5万人左右", "50000", "人", AP },
	{ "11.82亿元 有效", NUM_OK, "11.82亿元", "1182000000", "元", E },
	{ "16.19萬(wàn)名学生", NUM_OK, "16.19萬(wàn)名", "161900", "名", E },
	{ "3-5万元之间", NUM_ERANGE, "3-5万元", NULL, NULL, 0 },
	{ "增长12.5%", NUM_ESYNTAX, "", NULL, NULL, 0 },
	{ "", NUM_ESYNTAX, "", NULL, NULL, 0 },
	{ " 5", NUM_ESYNTAX, "", NULL, NULL, 0 },
	{ "\xff" "5", NUM_ESYNTAX, "", NULL, NULL, 0 },
	{ "超过了", NUM_ESYNTAX, "", NULL, NULL, 0 },
	{ "万元", NUM_ESYNTAX, "", NULL, NULL, 0 },
	{ "—", NUM_ESYNTAX, "", NULL, NULL, 0 },
	/* Spaces inside a figure, and where they end it. */
	{ "35538.79 亿元 ，增长", NUM_OK, "35538.79 亿元", "3553879000000", "元",
	    E },
	{ "3953 万人", NUM_OK, "3953 万人", "39530000", "人", E },
	{ "0.67 个百分点", NUM_OK, "0.67 个百分点", "0.67", "百分点", E },
	{ "5 千克", NUM_OK, "5 千克", "5", "千克", E },
	{ "約4千戶", NUM_OK, "約4千戶", "4000", "户", AP },
	{ "5 年", NUM_OK, "5", "5", "", E },
	{ "5 5", NUM_OK, "5", "5", "", E },
	{ "7 万5 千人", NUM_OK, "7 万5 千人", "75000", "人", E },
	{ "3 余万人", NUM_OK, "3 余万人", "30000", "人", GT },
	{ "3100余场次", NUM_OK, "3100余场次", "3100", "场次", GT },
	{ "1,257億港元，", NUM_OK, "1,257億港元", "125700000000", "港元", E },
	{ "￥1,200,000.00元", NUM_OK, "￥1,200,000.00元", "1200000", "元", E },
	{ "1,2345", NUM_OK, "1", "1", "", E },
	{ "1234,567", NUM_OK, "1234", "1234", "", E },
	{ "100元 5角", NUM_OK, "100元 5角", "100.5", "元", E },
	{ "100元、5人", NUM_OK, "100元", "100", "元", E },
	{ "三次产业", NUM_OK, "三次", "3", "次", E },
	{ "12支增加到19支", NUM_OK, "12支", "12", "支", E },
	{ "5000万至8000万元", NUM_ERANGE, "5000万至8000万元", NULL, NULL, 0 },
	{ "5 至", NUM_OK, "5", "5", "", E },
	{ "三分之一为", NUM_OK, "三分之一", "1/3", "", E },
	{ "5分钱", NUM_OK, "5分", "0.05", "元", E },
	{ "1.5.3", NUM_ESYNTAX, "1", NULL, NULL, 0 },
	{ "5e3人", NUM_OK, "5e3人", "5000", "人", E },
	/* Ranges, bare numbers with a qualifier, multipliers in a row. */
	{ "0916-7212345", NUM_ERANGE, "0916-7212345", NULL, NULL, 0 },
	{ "3至5万人参加", NUM_ERANGE, "3至5万人", NULL, NULL, 0 },
	{ "3 - 约5", NUM_OK, "3", "3", "", E },
	{ "5元-6人", NUM_ESYNTAX, "5元-6人", NULL, NULL, 0 },
	{ "近千万元", NUM_OK, "近千万元", "10000000", "元", LT },
	{ "万余人", NUM_OK, "万余人", "10000", "人", GT },
	{ "十个", NUM_OK, "十个", "10", "个", E },
	{ "10.28 万亿元", NUM_OK, "10.28 万亿元", "10280000000000", "元", E },
	{ "5十万人", NUM_OK, "5十万人", "500000", "人", E },
	{ "5万千克", NUM_OK, "5万千克", "50000", "千克", E },
	{ "5万万", NUM_ESYNTAX, "5万万", NULL, NULL, 0 },
};
#define NSCASES (sizeof(scan_cases) / sizeof(scan_cases[0]))

static void
test_scan(void)
{
	const struct scase *t = scan_cases;

	for (size_t i = 0; i < NSCASES; i++) {
		struct num_val v;
		char why[NUM_WHYMAX], buf[2 * DEC_STRMAX];
		size_t used = 99;
		int st = num_scan(t[i].in, strlen(t[i].in), NULL, &v, &used, why);

		CHECK(st == t[i].st && used == strlen(t[i].covers),
		    "scan \"%s\": status %d used %zu, want %d %zu (%s)", t[i].in,
		    st, used, t[i].st, strlen(t[i].covers), why);
		if (st == NUM_OK && t[i].st == NUM_OK) {
			show(&v, buf);
			CHECK(strcmp(buf, t[i].v) == 0 &&
			    strcmp(v.unit, t[i].unit) == 0 &&
			    (int)v.qual == t[i].qual,
			    "scan \"%s\": got %s %s q%d", t[i].in, buf, v.unit,
			    v.qual);
		}
	}
	/* A range under --range: both readers, each end. */
	static const struct {
		const char *in;
		int opt;
		const char *v, *unit;
	} r[] = {
		{ "3至5万人参加", O_LOW, "30000", "人" },
		{ "3至5万人参加", O_HIGH, "50000", "人" },
		{ "3至5万人参加", O_MID, "40000", "人" },
		{ "5000万至8000万元建设", O_LOW, "50000000", "元" },
		{ "5000万至8000万元建设", O_HIGH, "80000000", "元" },
		{ "1.5-2亿元，", O_MID, "175000000", "元" },
		{ "0916-7212345", O_LOW, "916", "" },
		{ "3万-5人", O_HIGH, "30000", "人" },
	};
	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		struct num_val v;
		char why[NUM_WHYMAX], buf[2 * DEC_STRMAX];
		size_t used;
		int st = num_scan(r[i].in, strlen(r[i].in), &opts[r[i].opt], &v,
		    &used, why);

		show(&v, buf);
		CHECK(st == NUM_OK && strcmp(buf, r[i].v) == 0 &&
		    strcmp(v.unit, r[i].unit) == 0, "scan \"%s\" (options %d): "
		    "status %d, %s %s, want %s %s (%s)", r[i].in, r[i].opt, st,
		    buf, v.unit, r[i].v, r[i].unit, why);
	}
	/* The bytes past n are never read: "12" of "123". */
	struct num_val v;
	size_t used;
	char buf[DEC_STRMAX];
	CHECK(num_scan("123", 2, NULL, &v, &used, NULL) == NUM_OK && used == 2,
	    "scan bounded by n");
	dec_format(v.v, buf);
	CHECK_STR(buf, "12");
}

/* num_result: a value in a target unit, rounded, within int64. */
static void
test_result(void)
{
	static const struct {
		const char *in;
		int opt;
		const char *to; /* NULL: the value's own base */
		int scale;
		enum dec_round mode;
		int st;
		const char *out; /* the value, or the reason */
	} t[] = {
		{ "11.82亿元", O_NONE, "万元", 0, DEC_ROUND_NONE, NUM_OK, "118200" },
		{ "11.82亿元", O_NONE, "亿元", -1, DEC_ROUND_NONE, NUM_OK, "11.82" },
		{ "11.82亿元", O_NONE, "亿元", 0, DEC_ROUND_NONE, NUM_EINEXACT,
		    "not whole: 11.82" },
		{ "11.82亿元", O_NONE, "亿元", 0, DEC_ROUND_HALF_EVEN, NUM_OK, "12" },
		{ "11.82亿元", O_NONE, "亿元", 1, DEC_ROUND_TRUNC, NUM_OK, "11.8" },
		{ "11.82亿元", O_NONE, "元", 0, DEC_ROUND_NONE, NUM_OK,
		    "1182000000" },
		{ "11.82亿元", O_NONE, NULL, 0, DEC_ROUND_NONE, NUM_OK,
		    "1182000000" },
		{ "3元5角", O_NONE, "分", 0, DEC_ROUND_NONE, NUM_OK, "350" },
		{ "3元5角", O_NONE, "角", 0, DEC_ROUND_NONE, NUM_OK, "35" },
		{ "十元三角八分", O_NONE, "分", 0, DEC_ROUND_NONE, NUM_OK, "1038" },
		{ "5人", O_NONE, "元", 0, DEC_ROUND_NONE, NUM_EUNIT,
		    "unit 人 cannot be expressed in 元" },
		{ "5人", O_NONE, "万元", 0, DEC_ROUND_NONE, NUM_EUNIT,
		    "unit 人 cannot be expressed in 万元" },
		{ "5亩", O_NONE, "公顷", 0, DEC_ROUND_NONE, NUM_EUNIT,
		    "unit 亩 cannot be expressed in 公顷" },
		/* no unit: a count of the target's base, so 5万 is 5万元 */
		{ "5", O_NONE, "万元", 0, DEC_ROUND_NONE, NUM_EINEXACT,
		    "not whole: 0.0005" },
		{ "5", O_NONE, "万元", -1, DEC_ROUND_NONE, NUM_OK, "0.0005" },
		{ "5万", O_NONE, "万元", 0, DEC_ROUND_NONE, NUM_OK, "5" },
		{ "13200", O_NONE, "万人", -1, DEC_ROUND_NONE, NUM_OK, "1.32" },
		{ "5万元", O_NONE, "万元", 0, DEC_ROUND_NONE, NUM_OK, "5" },
		{ "5万元", O_NONE, "亿元", -1, DEC_ROUND_NONE, NUM_OK, "0.0005" },
		{ "5万元", O_NONE, "亿元", 0, DEC_ROUND_NONE, NUM_EINEXACT,
		    "not whole: 0.0005" },
		{ "12.5", O_WANYUAN, "万元", -1, DEC_ROUND_NONE, NUM_OK, "12.5" },
		{ "5公斤", O_NONE, "千克", 0, DEC_ROUND_NONE, NUM_OK, "5" },
		{ "5万吨", O_NONE, "万吨", 0, DEC_ROUND_NONE, NUM_OK, "5" },
		{ "1.234567万", O_NONE, NULL, 0, DEC_ROUND_NONE, NUM_EINEXACT,
		    "not whole: 12345.67" },
		{ "1.234567万", O_NONE, NULL, 0, DEC_ROUND_HALF_EVEN, NUM_OK,
		    "12346" },
		{ "1.234567万", O_NONE, NULL, 0, DEC_ROUND_TRUNC, NUM_OK, "12345" },
		{ "1.234567万", O_NONE, NULL, 2, DEC_ROUND_NONE, NUM_OK,
		    "12345.67" },
		{ "1.234567万", O_NONE, NULL, 1, DEC_ROUND_NONE, NUM_EINEXACT,
		    "more than 1 decimal place: 12345.67" },
		{ "1.234567万", O_NONE, NULL, -1, DEC_ROUND_NONE, NUM_OK,
		    "12345.67" },
		{ "12.5%", O_NONE, NULL, -1, DEC_ROUND_NONE, NUM_OK, "12.5" },
		{ "12.5%", O_NONE, NULL, 0, DEC_ROUND_NONE, NUM_EINEXACT,
		    "not whole: 12.5" },
		{ "12.5%", O_NONE, NULL, 0, DEC_ROUND_HALF_UP, NUM_OK, "13" },
		{ "12.5%", O_NONE, NULL, 0, DEC_ROUND_HALF_EVEN, NUM_OK, "12" },
		{ "-2.5", O_NONE, NULL, 0, DEC_ROUND_HALF_EVEN, NUM_OK, "-2" },
		{ "-2.5", O_NONE, NULL, 0, DEC_ROUND_HALF_UP, NUM_OK, "-3" },
		{ "-2.5", O_NONE, NULL, 0, DEC_ROUND_FLOOR, NUM_OK, "-3" },
		{ "-2.5", O_NONE, NULL, 0, DEC_ROUND_CEIL, NUM_OK, "-2" },
		{ "三分之一", O_NONE, NULL, -1, DEC_ROUND_NONE, NUM_EINEXACT,
		    "not a terminating decimal: 1/3" },
		{ "三分之一", O_NONE, NULL, 2, DEC_ROUND_NONE, NUM_EINEXACT,
		    "not exact: 1/3" },
		{ "三分之一", O_NONE, NULL, 2, DEC_ROUND_HALF_EVEN, NUM_OK, "0.33" },
		{ "三分之二", O_NONE, NULL, 0, DEC_ROUND_HALF_UP, NUM_OK, "1" },
		{ "三分之二", O_NONE, NULL, 4, DEC_ROUND_TRUNC, NUM_OK, "0.6666" },
		{ "四分之一", O_NONE, NULL, -1, DEC_ROUND_NONE, NUM_OK, "0.25" },
		{ "9223372036854775807", O_NONE, NULL, 0, DEC_ROUND_NONE, NUM_OK,
		    "9223372036854775807" },
		{ "-9223372036854775808", O_NONE, NULL, 0, DEC_ROUND_NONE, NUM_OK,
		    "-9223372036854775808" },
		{ "9223372036854775808", O_NONE, NULL, 0, DEC_ROUND_NONE,
		    NUM_EOVERFLOW, "beyond int64" },
		{ "922337203685477580.75", O_NONE, NULL, -1, DEC_ROUND_NONE, NUM_OK,
		    "922337203685477580.75" },
		{ "100000000000000亿", O_NONE, NULL, 0, DEC_ROUND_NONE,
		    NUM_EOVERFLOW, "beyond int64" },
		{ "9.3万亿亿", O_NONE, NULL, 0, DEC_ROUND_NONE, NUM_ESYNTAX, NULL },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct num_val v;
		struct dec out;
		char why[NUM_WHYMAX], buf[DEC_STRMAX];
		const struct unit *to = NULL;
		int st = num_parse(t[i].in, strlen(t[i].in), &opts[t[i].opt], &v,
		    why);

		if (t[i].st == NUM_ESYNTAX) {
			CHECK(st == NUM_ESYNTAX, "result \"%s\": parse %d", t[i].in,
			    st);
			continue;
		}
		CHECK(st == NUM_OK, "result \"%s\": parse %d (%s)", t[i].in, st,
		    why);
		if (st != NUM_OK)
			continue;
		if (t[i].to != NULL) {
			to = unit_lookup(t[i].to, strlen(t[i].to));
			CHECK(to != NULL, "unit %s", t[i].to);
		}
		st = num_result(&v, to, t[i].scale, t[i].mode, &out, why);
		CHECK(st == t[i].st, "result \"%s\" in %s: status %d, want %d (%s)",
		    t[i].in, t[i].to ? t[i].to : "-", st, t[i].st, why);
		if (st != t[i].st)
			continue;
		if (st == NUM_OK) {
			dec_format(out, buf);
			CHECK(strcmp(buf, t[i].out) == 0,
			    "result \"%s\" in %s: %s, want %s", t[i].in,
			    t[i].to ? t[i].to : "-", buf, t[i].out);
		} else {
			CHECK(strcmp(why, t[i].out) == 0,
			    "result \"%s\": why \"%s\", want \"%s\"", t[i].in, why,
			    t[i].out);
		}
	}
}

static void
test_header(void)
{
	static const struct {
		const char *in;
		const char *unit; /* the unit's written name, or NULL */
		const char *name;
	} t[] = {
		{ "金额（万元）", "万元", "金额" },
		{ "金额(万元)", "万元", "金额" },
		{ "金额 (万元)", "万元", "金额" },
		{ "金额　（万元）", "万元", "金额" },
		{ "人数(人)", "人", "人数" },
		{ "增长率(%)", "%", "增长率" },
		{ "增长率（％）", "％", "增长率" },
		{ "产量(万吨)", "万吨", "产量" },
		{ "面积(公顷)", "公顷", "面积" },
		{ "金额（亿美元）", "亿美元", "金额" },
		{ "金额（单位：万元）", "万元", "金额" },
		{ "金额(单位:元)", "元", "金额" },
		{ "收入( 万元 )", "万元", "收入" },
		{ "金额（萬元）", "萬元", "金额" },
		{ "金额(万元) ", "万元", "金额" },
		{ "金额", NULL, "金额" },
		{ "金额(注)", NULL, "金额(注)" },
		{ "(万元)", "万元", "" },
		{ "金额()", NULL, "金额()" },
		{ "金额)", NULL, "金额)" },
		{ "", NULL, "" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		size_t namelen = 999;
		const struct unit *u = num_header_unit(t[i].in, strlen(t[i].in),
		    &namelen);

		if (t[i].unit == NULL) {
			CHECK(u == NULL && namelen == strlen(t[i].in),
			    "header \"%s\": a unit or namelen %zu", t[i].in,
			    namelen);
			continue;
		}
		CHECK(u != NULL && strcmp(u->name, t[i].unit) == 0 &&
		    namelen == strlen(t[i].name) &&
		    memcmp(t[i].in, t[i].name, namelen) == 0,
		    "header \"%s\": %s, namelen %zu", t[i].in,
		    u != NULL ? u->name : "NULL", namelen);
	}
}

/* Every unit the table should have, and what it stands for. */
static void
test_units(void)
{
	static const char *const names[] = {
		"元", "圆", "圓", "角", "分", "人民币", "人民幣", "元人民币",
		"元人民幣", "美元", "美金", "日元", "日圆", "日圓", "欧元",
		"歐元", "港元", "港币", "港幣", "英镑", "英鎊", "澳元", "加元",
		"韩元", "韓元", "卢布", "盧布", "新台币", "新台幣", "人", "人次",
		"名", "户", "户次", "个", "家", "所", "张", "对", "位", "例", "项",
		"次", "场次", "场", "件", "台", "辆", "辆次", "座", "处", "套",
		"间", "床", "床位", "条", "只", "头", "株", "本", "册", "篇", "部",
		"门", "种", "批", "期", "届", "起", "宗", "笔", "份", "块", "口",
		"级", "栋", "幢", "艘", "艘次", "架", "架次", "列", "车次", "班次",
		"支", "枚", "颗", "棵", "根", "片", "副", "双", "箱", "瓶", "袋",
		"包", "盒", "桶", "罐", "层", "首", "匹", "头次", "个体", "戶",
		"戶次", "個", "張", "對", "項", "場次", "場", "臺", "輛", "輛次",
		"處", "間", "條", "隻", "頭", "冊", "門", "種", "屆", "筆", "塊",
		"級", "棟", "車次", "顆", "雙", "層", "牀", "牀位", "頭次", "個體",
		"名次", "倍", "亩", "畝", "公顷", "公頃", "平方米", "平米",
		"平方千米", "平方公里", "米", "千米", "公里", "厘米", "毫米", "吨",
		"噸", "公吨", "公噸", "千克", "公斤", "克", "毫克", "斤", "两",
		"兩", "吨标准煤", "噸標準煤", "吨标煤", "瓦", "千瓦", "兆瓦",
		"千伏安", "千瓦时", "千瓦時", "兆瓦时", "兆瓦時", "度", "千卡",
		"大卡", "立方米", "升", "毫升", "%", "％", "‰", "百分点", "百分點",
		"个百分点", "個百分點", "个百分點",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct unit *u = unit_lookup(names[i], strlen(names[i]));
		const struct unit *m = unit_match(names[i], strlen(names[i]));

		CHECK(u != NULL && strcmp(u->name, names[i]) == 0,
		    "unit_lookup %s", names[i]);
		CHECK(m == u, "unit_match %s", names[i]);
	}

	static const struct {
		const char *in;
		size_t n; /* 0: strlen */
		const char *name, *base;
		int exp10;
	} t[] = {
		{ "万元", 0, "万元", "元", 4 },
		{ "萬元", 0, "萬元", "元", 4 },
		{ "亿美元", 0, "亿美元", "美元", 8 },
		{ "万亿元", 0, "万亿元", "元", 12 },
		{ "百万元", 0, "百万元", "元", 6 },
		{ "十万元", 0, "十万元", "元", 5 },
		{ "千元", 0, "千元", "元", 3 },
		{ "角", 0, "角", "元", -1 },
		{ "分", 0, "分", "元", -2 },
		{ "万人次", 0, "万人次", "人次", 4 },
		{ "亿人", 0, "亿人", "人", 8 },
		{ "万千瓦时", 0, "万千瓦时", "千瓦时", 4 },
		{ "公斤", 0, "公斤", "千克", 0 },
		{ "場次", 0, "場次", "场次", 0 },
		{ "％", 0, "％", "%", 0 },
		{ "百分", 0, NULL, NULL, 0 },
		{ "万%", 0, NULL, NULL, 0 },
		{ "万角", 0, NULL, NULL, 0 },
		{ "万", 0, NULL, NULL, 0 },
		{ "x", 0, NULL, NULL, 0 },
		{ "", 0, NULL, NULL, 0 },
		{ "元元", 0, NULL, NULL, 0 },
		{ "元", 2, NULL, NULL, 0 }, /* a cut character */
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		size_t n = t[i].n ? t[i].n : strlen(t[i].in);
		const struct unit *u = unit_lookup(t[i].in, n);

		if (t[i].name == NULL) {
			CHECK(u == NULL, "unit_lookup %s: not a unit", t[i].in);
			continue;
		}
		CHECK(u != NULL && strcmp(u->name, t[i].name) == 0 &&
		    strcmp(u->base, t[i].base) == 0 && u->exp10 == t[i].exp10,
		    "unit_lookup %s", t[i].in);
	}

	/* unit_match: the longest unit at the start, composed or not. */
	static const struct {
		const char *in, *name;
	} m[] = {
		{ "万人次以上", "万人次" },
		{ "人次", "人次" },
		{ "人口", "人" },
		{ "千瓦时", "千瓦时" },
		{ "千克多", "千克" },
		{ "平方公里", "平方公里" },
		{ "个百分点", "个百分点" },
		{ "个人", "个" },
		{ "亿元，", "亿元" },
		{ "百万千瓦", "百万千瓦" },
		{ "元整", "元" },
		{ "斤斤", "斤" },
		{ "百分之", NULL },
		{ "有效", NULL },
		{ "万", NULL },
	};

	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		const struct unit *u = unit_match(m[i].in, strlen(m[i].in));

		CHECK(m[i].name == NULL ? u == NULL :
		    u != NULL && strcmp(u->name, m[i].name) == 0,
		    "unit_match %s: %s", m[i].in, u != NULL ? u->name : "NULL");
	}
	CHECK(unit_match("", 0) == NULL, "unit_match empty");
	CHECK(unit_match("\xe5", 1) == NULL, "unit_match cut character");
}

/* Bytes that are not text: every status is known, nothing crashes. */
static void
test_garbage(void)
{
	static const char *const t[] = {
		"\xe4\xb8\x87\xe4\xb8\x87\xe4\xb8\x87\xe4\xb8\x87\xe4\xb8\x87",
		"(((((((((((((((((((((((((((((((((((((((((",
		"萬(wàn)(wàn)(wàn)(wàn)(wàn)(wàn)(wàn)(wàn)",
		"1,1,1,1,1,1,1,1,1,1,1",
		"点点点点点",
		"分之分之分之",
		"百分之百分之百分之",
		"---------",
		"1-2-3-4-5",
		"余余余余",
		"\x80\x81\x82\x83",
		"１．２．３",
		"一二三四五六七八九十百千万亿",
		"9999999999999999999999999999999999999999999999999999999999",
		"0.00000000000000000000000000000000000000000000000000001",
		"1e-99",
		"壹貳參肆伍陸柒捌玖拾佰仟萬億",
		"十十十十十",
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct num_val v;
		char why[NUM_WHYMAX];
		size_t used;
		int st = num_parse(t[i], strlen(t[i]), NULL, &v, why);
		int st2 = num_scan(t[i], strlen(t[i]), NULL, &v, &used, why);

		CHECK(st >= NUM_OK && st <= NUM_EOVERFLOW && st2 >= NUM_OK &&
		    st2 <= NUM_EOVERFLOW && used <= strlen(t[i]),
		    "garbage %zu: %d %d", i, st, st2);
	}
	/* All 2-byte strings: no crash, a known status. */
	char s[2];
	int bad = 0;
	for (int a = 0; a < 256; a++) {
		for (int b = 0; b < 256; b++) {
			struct num_val v;
			size_t used;
			s[0] = (char)a;
			s[1] = (char)b;
			int st = num_parse(s, 2, NULL, &v, NULL);
			int st2 = num_scan(s, 2, NULL, &v, &used, NULL);
			bad += st < NUM_OK || st > NUM_EOVERFLOW || st2 < NUM_OK ||
			    st2 > NUM_EOVERFLOW || used > 2;
		}
	}
	CHECK(bad == 0, "%d two-byte strings misread", bad);
}

/* Two readers' results agree: status, then reason or reading. */
static int
same_result(int sa, int sb, const struct num_val *a, const struct num_val *b,
    const char *wa, const char *wb)
{
	if (sa != sb)
		return 0;
	if (sa != NUM_OK)
		return strcmp(wa, wb) == 0;
	return dec_cmp(a->v, b->v) == 0 && dec_cmp(a->den, b->den) == 0 &&
	    strcmp(a->unit, b->unit) == 0 && a->qual == b->qual;
}

/* Whether the fast readers of num_parse read s as the general one does. */
static int
same_reading(const char *s, size_t n, const struct num_opts *o)
{
	struct num_val a, b;
	char wa[NUM_WHYMAX], wb[NUM_WHYMAX];
	int sa = num_parse(s, n, o, &a, wa);
	int sb = num_parse_general(s, n, o, &b, wb);

	return same_result(sa, sb, &a, &b, wa, wb);
}

/*
 * Whether the scan reader of num_scan reads s as the general one does:
 * the same status, bytes used, reading and reason.
 */
static int
same_scan(const char *s, size_t n, const struct num_opts *o)
{
	struct num_val a, b;
	char wa[NUM_WHYMAX], wb[NUM_WHYMAX];
	size_t ua = 0, ub = 1;
	int sa = num_scan(s, n, o, &a, &ua, wa);
	int sb = num_scan_general(s, n, o, &b, &ub, wb);

	return ua == ub && same_result(sa, sb, &a, &b, wa, wb);
}

/* Both: a cell reads the same, and so does a text that starts with it. */
static int
same_both(const char *s, size_t n, const struct num_opts *o)
{
	return same_reading(s, n, o) && same_scan(s, n, o);
}

/* The pieces figures are made of, for test_fast's strings. */
static const char *const pieces[] = {
	"0", "1", "2", "5", "9", "12", "100", ".", ",", "，", "１", "．",
	"一", "二", "两", "五", "九", "十", "百", "千", "万", "亿", "零", "〇",
	"点", "壹", "拾", "佰", "仟", "萬", "億", "廿", "元", "整", "角", "分",
	"余", "多", "约", "近", "超过", "左右", "以上", "%", "％", "人", "户",
	"万元", "千克", "人民币", "￥", "-", "+", "E", " ", "(wàn)", "之", "至",
	"年", "、", "有效", "次", "\xc2\xa0", "\xff",
};

/* What prose puts after a figure, for test_fast's scans. */
static const char *const after[] = {
	"", "，有效", "元。", "余", "多万", "年", " ", "、", " 亿元", "万人",
	"分之一", "至5", "-3", "5角", " 个", "(chǎng)次", ".5", "千克",
};
#define NAFTER (sizeof(after) / sizeof(after[0]))

/* The readers agree on s and on s followed by each of after[]. */
static int
same_extended(const char *s, const struct num_opts *o)
{
	char buf[512];
	size_t n = strlen(s);

	for (size_t k = 0; k < NAFTER; k++) {
		size_t l = strlen(after[k]);

		if (n + l >= sizeof(buf))
			continue;
		memcpy(buf, s, n);
		memcpy(buf + n, after[k], l + 1);
		if (!same_both(buf, n + l, o))
			return 0;
	}
	return 1;
}
#define NPIECES (sizeof(pieces) / sizeof(pieces[0]))

/* Join pieces k[0..len) into buf; returns the length. */
static size_t
join(const size_t *k, int len, char *buf)
{
	size_t n = 0;

	for (int i = 0; i < len; i++) {
		size_t l = strlen(pieces[k[i]]);

		memcpy(buf + n, pieces[k[i]], l);
		n += l;
	}
	buf[n] = '\0';
	return n;
}

/*
 * The fast readers are shortcuts: num_parse must read every cell as the
 * general reader does.  The table's cases under every option set, every
 * string of up to three pieces, and pseudo-random strings of more.
 */
static void
test_fast(void)
{
	static const int some[] = { O_NONE, O_WANYUAN, O_PCT };
#define NSOME (sizeof(some) / sizeof(some[0]))
#define NPCASES (sizeof(parse_cases) / sizeof(parse_cases[0]))
	char buf[512], first[512] = "";
	size_t k[8];
	int bad = 0;
	unsigned long x = 20240602;

	for (size_t i = 0; i < NPCASES; i++)
		for (int o = 0; o < O_NOPTS; o++)
			CHECK(same_extended(parse_cases[i].in, &opts[o]),
			    "fast and general differ: \"%s\" (options %d)",
			    parse_cases[i].in, o);
	for (size_t i = 0; i < NSCASES; i++)
		for (int o = 0; o < O_NOPTS; o++)
			CHECK(same_extended(scan_cases[i].in, &opts[o]),
			    "fast and general differ: \"%s\" (options %d)",
			    scan_cases[i].in, o);
	for (k[0] = 0; k[0] < NPIECES; k[0]++)
		for (k[1] = 0; k[1] < NPIECES; k[1]++)
			for (k[2] = 0; k[2] <= NPIECES; k[2]++) {
				/* k[2] == NPIECES: two pieces only */
				size_t n = join(k, k[2] < NPIECES ? 3 : 2, buf);

				for (size_t o = 0; o < NSOME; o++)
					if (!same_both(buf, n, &opts[some[o]]) &&
					    bad++ == 0)
						memcpy(first, buf, n + 1);
			}
	for (int r = 0; r < 200000; r++) {
		int len = 4 + (int)((x >> 33) % 5);
		size_t n;

		for (int i = 0; i < len; i++) {
			x = x * 6364136223846793005UL + 1442695040888963407UL;
			k[i] = (size_t)(x >> 33) % NPIECES;
		}
		n = join(k, len, buf);
		if (!same_both(buf, n, &opts[r % O_NOPTS]) && bad++ == 0)
			memcpy(first, buf, n + 1);
	}
	CHECK(bad == 0, "fast and general differ on %d strings, first \"%s\"",
	    bad, first);
}

int
main(void)
{
	init_opts();
	test_parse();
	test_scan();
	test_result();
	test_result_shortest();
	test_header();
	test_units();
	test_garbage();
	test_fast();
	return t_done("num");
}
