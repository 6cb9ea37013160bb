#!/bin/sh
# tests/sh/pipeline-xlsx.sh: pipelines/civil-affairs-nightly on the
# workbooks of fixtures/nightly/ (written by make-books.py with openpyxl)
# beside a CSV: the two good workbooks load and each district adds up to
# its 合计 row, exactly; the workbook cut short (broken/阎良区-2026-10.xlsx)
# fails at extract and lands in failed/, the rest loads, the status is 1;
# summary.tsv keeps in = out + rejected; summary.html is well-formed.
. "$(dirname "$0")/lib/test.sh"
FIX=$top/fixtures/nightly

mkdir -p "$tmp/inbox"
cp "$FIX"/*.xlsx "$FIX/broken/阎良区-2026-10.xlsx" "$FIX/雁塔区-2026-10.csv" "$tmp/inbox/"
WY_MIN_AGE=0 bash "$top/pipelines/civil-affairs-nightly" "$tmp/inbox" >"$tmp/out" 2>&1
rc=$?
[ $rc = 1 ] || fail "exit $rc, want 1: $(cat "$tmp/out")"
r=$(cd "$tmp/runs/latest" && pwd -P) || exit 1
[ -n "$(find "$tmp/failed" -name 阎良区-2026-10.xlsx)" ] || fail "the cut workbook is not in failed/"
grep -q '^extract	阎良区-2026-10.xlsx	.*	1	' "$r/summary.tsv" ||
	fail "the cut workbook does not fail at extract: $(grep 阎良区 "$r/summary.tsv")"
for n in 灞桥区-2026-10.xlsx 未央区-2026-10.xlsx 雁塔区-2026-10.csv; do
	[ -n "$(find "$tmp/done" -name "$n")" ] || fail "$n not in done/"
done
# each district, the CSV's too, adds up to its own 合计 row
n=0
for f in "$FIX"/*.xlsx "$FIX/雁塔区-2026-10.csv"; do
	(cd "$FIX" && wy-extract --skip 2 "$(basename "$f")") | wy-norm -f 金额,人数,户数 |
	    awk -F '\t' '$3 == "合计" { print $2 "|" $5 "|" $8 "|" $11 }'
done >"$tmp/totals"
while IFS='|' read -r district amount people homes; do
	got=$(sqlite3 "$tmp/stats.db" "SELECT sum(sum_金额) || '|' || sum(sum_人数) || '|' ||
	    sum(sum_户数) FROM civil_affairs WHERE 区县 = '$district'")
	[ "$got" = "$amount|$people|$homes" ] || fail "$district: table says $got, its 合计 row $amount|$people|$homes"
	n=$((n + 1))
done <"$tmp/totals"
[ "$n" = 3 ] || fail "$n 合计 rows read, want 3"
awk -F '\t' 'NR > 1 && $3 != "\\N" && $3 != $4 + $5' "$r/summary.tsv" >"$tmp/bad"
[ -s "$tmp/bad" ] && fail "in != out + rejected: $(cat "$tmp/bad")"
xmllint --noout "$r/summary.html" || fail "summary.html is not well-formed"

echo "pipeline-xlsx.sh: $nfail failures"
[ $nfail = 0 ]
