#!/bin/sh
# tests/sh/check-counts.sh: wy-check loses no row.  On generated tables
# with bad rows of every kind, --stats must say in = out + rejected and
# agree with the rows of the output and of the rejects file; with
# --drop-totals, the rows read are in + the dropped total rows.
. "$(dirname "$0")/lib/test.sh"

lines() {
	if [ -f "$1" ]; then wc -l <"$1" | tr -d ' '; else echo 0; fi
}

# check NAME WANT_IN: compare $tmp/err's --stats line with $tmp/out, $tmp/rej.
check() {
	set -- "$1" "$2" $(sed -n 's/^wy-check: in \([0-9]*\), out \([0-9]*\), rejected \([0-9]*\)$/\1 \2 \3/p' "$tmp/err")
	if [ $# != 5 ]; then
		fail "$1: no stats line: $(head -n 3 "$tmp/err")"
		return
	fi
	echo "$1: in $3, out $4, rejected $5"
	[ "$3" = $(($4 + $5)) ] || fail "$1: in $3 != out $4 + rejected $5"
	[ "$3" = "$2" ] || fail "$1: in $3, want $2"
	[ $(($(lines "$tmp/out") - 1)) = "$4" ] || fail "$1: the output has not $4 rows"
	[ $(($(lines "$tmp/rej") - 1)) = "$5" ] || fail "$1: the rejects have not $5 rows"
	[ "$5" -gt 0 ] || fail "$1: the input was meant to have bad rows"
}

# 20000 rows: bad dates, types, bounds, enum, patterns, repeated keys,
# wrong widths, rules that fail, NULLs that make rules unknown.
n=20000
awk -v n=$n 'BEGIN {
	print "编号\t地区\t代码\t日期\t城市\t农村\t合计\t金额"
	split("雁塔区 碑林区 莲湖区 新城区", area, " ")
	for (i = 1; i <= n; i++) {
		id = i; date = sprintf("2025-%02d-%02d", i % 12 + 1, i % 28 + 1)
		code = sprintf("61%04d", i % 10000); a = i % 1000; b = i % 77
		s = a + b; amt = sprintf("%d.%02d", i % 5000, i % 100)
		if (i % 101 == 0) date = "2025-02-30"
		if (i % 103 == 0) a = "十"
		if (i % 107 == 0) amt = "-1"
		if (i % 109 == 0) code = "61O113"
		if (i % 113 == 0) id = i - 1
		if (i % 127 == 0) s = s + 1
		if (i % 131 == 0) b = "\\N"
		if (i % 137 == 0) { print id "\t" area[i % 4 + 1]; continue }
		printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", id, area[i % 4 + 1], code,
		    date, a, b, s, amt
	}
}' >"$tmp/in.tsv"
printf 'field\ttype\trequired\tunique\tminimum\tpattern\tenum\n编号\tinteger\ttrue\ttrue\t1\t\t\n地区\tstring\ttrue\t\t\t\t雁塔区|碑林区|莲湖区|新城区\n代码\tstring\t\t\t\t[0-9]{6}\t\n日期\tdate\ttrue\t\t\t\t\n城市\tinteger\t\t\t0\t\t\n金额\tnumber\t\t\t0\t\t\n' >"$tmp/schema.tsv"
expect 0 "schema and rule" wy-check --schema "$tmp/schema.tsv" \
    --rule '城市 + 农村 == 合计' --rejects "$tmp/rej" --max-errors $n --stats "$tmp/in.tsv"
check "schema and rule" $n

# the same through a pipe, with -n, and a key on sorted input
rm -f "$tmp/rej"
tail -n +2 "$tmp/in.tsv" | LC_ALL=C sort -t '	' -k 2,2 -k 1,1 |
    wy-check -n --names 编号,地区,代码,日期,城市,农村,合计,金额 --key 地区,编号 --sorted \
    --rule '城市 + 农村 == 合计' --rejects "$tmp/rej" --max-errors $n --stats >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 0 ] || fail "-n, sorted key: exit $rc: $(head -n 3 "$tmp/err")"
# headerless: no header lines to discount
sed -i '1i x' "$tmp/out" "$tmp/rej" 2>/dev/null
check "-n, sorted key" $n

# totals: 500 groups, a total row first or last in each, one in 7 wrong
awk 'BEGIN {
	print "年份\t地区\t金额\t人数"
	for (g = 1; g <= 500; g++) {
		sum = 0; cnt = 0
		for (k = 1; k <= 9; k++) {
			v[k] = sprintf("%d.%02d", (g * k) % 900, (g + k) % 100)
			sum += v[k] * 100; c[k] = g + k; cnt += c[k]
		}
		tot = sprintf("%d.%02d", int(sum / 100) + (g % 7 == 0), sum % 100)
		if (g % 2)
			print g "\t合计\t" tot "\t" cnt
		for (k = 1; k <= 9; k++)
			print g "\t区" k "\t" v[k] "\t" c[k]
		if (!(g % 2))
			print g "\t合计\t" tot "\t" cnt
	}
}' >"$tmp/tot.tsv"
rm -f "$tmp/rej"
expect 0 totals wy-check --total 地区=合计 --sum 金额,人数 --by 年份 --rejects "$tmp/rej" \
    --max-errors 1000 --stats "$tmp/tot.tsv"
check totals 5000
[ "$(($(lines "$tmp/rej") - 1))" = 71 ] || fail "totals: want the 71 wrong totals rejected"

rm -f "$tmp/rej"
wy-check --total 地区=合计 --sum 金额,人数 --by 年份 --drop-totals --rejects "$tmp/rej" \
    --max-errors 1000 --stats "$tmp/tot.tsv" >"$tmp/out" 2>"$tmp/err"
dropped=$(sed -n 's/^wy-check: dropped \([0-9]*\) total rows.*/\1/p' "$tmp/err")
check "--drop-totals" $((5000 - dropped))
[ "$dropped" = 429 ] || fail "--drop-totals: dropped ${dropped:-none}, want 429"

echo "check-counts.sh: $nfail failures"
[ $nfail = 0 ]
