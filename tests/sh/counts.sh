#!/bin/sh
# tests/sh/counts.sh: no row is lost.  On generated inputs with some bad
# rows, every tool's --stats line must say in = out + rejected, and agree
# with the rows in its output and in its rejects file; the same through a
# pipeline wy-extract | wy-norm.  Prints each failure; exits 1 if any.
. "$(dirname "$0")/lib/test.sh"

# lines FILE: its line count (a file that does not exist has none)
lines() {
	if [ -f "$1" ]; then wc -l <"$1" | tr -d ' '; else echo 0; fi
}

# check NAME TOOL WANT_IN HEADER_LINES: compare $tmp/err's --stats line
# with $tmp/out and $tmp/rej (HEADER_LINES: 1, or 0 with -n).
check() {
	name=$1 tool=$2 want_in=$3 h=$4
	set -- $(sed -n "s/^$tool: in \([0-9]*\), out \([0-9]*\), rejected \([0-9]*\)\$/\1 \2 \3/p" "$tmp/err")
	if [ $# != 3 ]; then
		fail "$name: no stats line on stderr: $(head -n 3 "$tmp/err")"
		return
	fi
	nin=$1 nout=$2 nrej=$3
	echo "$name: in $nin, out $nout, rejected $nrej"
	[ "$nin" = $((nout + nrej)) ] || fail "$name: in $nin != out $nout + rejected $nrej"
	[ "$nin" = "$want_in" ] || fail "$name: in $nin, want $want_in rows read"
	got=$(($(lines "$tmp/out") - h))
	[ "$got" = "$nout" ] || fail "$name: stats say out $nout, the output has $got rows"
	got=$(lines "$tmp/rej")
	[ "$got" -gt 0 ] && [ "$h" = 1 ] && got=$((got - 1))
	[ "$got" = "$nrej" ] || fail "$name: stats say rejected $nrej, the rejects file has $got rows"
	[ "$nrej" -gt 0 ] || fail "$name: the input was meant to have bad rows"
}

# A CSV as offices send it: quoted cells with commas and line ends, rows
# of the wrong width (every 7th), a stray GBK byte (every 13th), blank
# lines (which are not rows).
n=5000
awk -v n=$n 'BEGIN {
	print "地区,项目,说明,人数,金额"
	split("雁塔区 碑林区 莲湖区 新城区 未央区 灞桥区 长安区 临潼区", area, " ")
	split("城市低保 农村低保 特困人员 临时救助", item, " ")
	split("16.19万 3560 三千五 约1.2万 — 1.6万余 8126", people, " ")
	for (i = 1; i <= n; i++) {
		a = area[i % 8 + 1]; it = item[i % 4 + 1]; p = people[i % 7 + 1]
		if (i % 7 == 0)
			printf "%s,%s,缺列,%s\n", a, it, p
		else if (i % 13 == 0)
			printf "%s,%s\265,,%s,%d.%d\n", a, it, p, i, i % 10
		else if (i % 5 == 0)
			printf "%s,%s,\"含\"\"一户一策\"\"，\n第%d批\",%s,%d.%d\n", a, it, i, p, i, i % 10
		else
			printf "%s,%s,,%s,%d.%d\n", a, it, p, i, i % 10
		if (i % 101 == 0)
			print ""
	}
}' >"$tmp/in.csv"

rm -f "$tmp/rej"
wy-extract --rejects "$tmp/rej" --max-errors $n --stats "$tmp/in.csv" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 0 ] || fail "wy-extract: exit $rc, want 0: $(head -n 3 "$tmp/err")"
check wy-extract wy-extract $n 1
cp "$tmp/out" "$tmp/extracted.tsv"

# gzip'd, twice on the command line: twice the rows
gzip -c "$tmp/in.csv" >"$tmp/in.csv.gz"
rm -f "$tmp/rej"
wy-extract --rejects "$tmp/rej" --max-errors $((2 * n)) --stats "$tmp/in.csv.gz" "$tmp/in.csv" >"$tmp/out" 2>"$tmp/err"
check "wy-extract (gzip + plain)" wy-extract $((2 * n)) 1

# -n: the header line is a row too (and the rejects have no header)
rm -f "$tmp/rej"
wy-extract -n --rejects "$tmp/rej" --max-errors $n --stats "$tmp/in.csv" >"$tmp/out" 2>"$tmp/err"
check "wy-extract -n" wy-extract $((n + 1)) 0

# wy-norm on what wy-extract wrote: the 人数 forms are all readable, so
# add bad cells (every 11th) and rows of the wrong width (every 17th).
awk -F '\t' 'BEGIN { OFS = "\t" }
NR == 1 { print; next }
{
	if (NR % 11 == 0)
		$4 = "1.2.3万"
	if (NR % 17 == 0)
		$0 = $0 "\t多余"
	print
}' "$tmp/extracted.tsv" >"$tmp/in.tsv"
nt=$(($(lines "$tmp/in.tsv") - 1))
rm -f "$tmp/rej"
wy-norm -f 人数 --rejects "$tmp/rej" --max-errors $nt --stats "$tmp/in.tsv" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 0 ] || fail "wy-norm: exit $rc, want 0: $(head -n 3 "$tmp/err")"
check wy-norm wy-norm $nt 1

# wy-agg: rows in = rows aggregated + rows rejected; the counts add up
rm -f "$tmp/rej"
wy-agg -g 项目 count sum:金额 --rejects "$tmp/rej" --max-errors $nt --stats "$tmp/in.tsv" >"$tmp/out" 2>"$tmp/err"
set -- $(sed -n 's/^wy-agg: in \([0-9]*\), out \([0-9]*\), rejected \([0-9]*\)$/\1 \2 \3/p' "$tmp/err")
if [ $# = 3 ] && [ "$1" = "$nt" ] && [ "$1" = $(($2 + $3)) ] && [ "$3" -gt 0 ] &&
    [ $(($(lines "$tmp/rej") - 1)) = "$3" ] &&
    [ "$2" = "$(awk -F '\t' 'NR > 1 { n += $2 } END { print n }' "$tmp/out")" ]; then
	echo "wy-agg: in $1, out $2, rejected $3"
else fail "wy-agg: $(cat "$tmp/err")"; fi

# the pipeline: what wy-extract lets out is what wy-norm takes in
rm -f "$tmp/rej" "$tmp/rej1"
wy-extract --rejects "$tmp/rej1" --max-errors $n --stats "$tmp/in.csv" 2>"$tmp/err1" |
	wy-norm -f 人数,金额 --rejects "$tmp/rej" --max-errors $n --stats >"$tmp/out" 2>"$tmp/err"
set -- $(sed -n 's/^wy-extract: in \([0-9]*\), out \([0-9]*\), .*/\1 \2/p' "$tmp/err1")
check "wy-extract | wy-norm" wy-norm "${2:-none}" 1

echo "counts.sh: $nfail failures"
[ $nfail = 0 ]
