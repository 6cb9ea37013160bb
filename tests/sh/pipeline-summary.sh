#!/bin/sh
# tests/sh/pipeline-summary.sh: pipelines/lib/summary.sh on a run folder
# made by hand with hostile data: markup, quotes, ampersands, control
# bytes, bytes that are not UTF-8, escaped TABs and a row of the wrong
# width in a rejects file, in file names and in messages.  The page must
# stay well-formed XML without a script; the totals it prints must be the
# sums of summary.tsv; a row that breaks in = out + rejected must make it
# exit 1 and say so; every reject is counted under its reason.
. "$(dirname "$0")/lib/test.sh"
summary=$top/pipelines/lib/summary.sh

r=$tmp/run
mkdir -p "$r/01"
printf 'stage\tinput\tin\tout\trejected\tstatus\trejects\tnote\n' >"$r/summary.tsv"
printf 'extract\t<script>alert(1)</script>&amp;.csv\t9\t7\t2\t0\t01/extract.rejects.tsv\t\n' >>"$r/summary.tsv"
printf 'norm\t<script>alert(1)</script>&amp;.csv\t7\t4\t3\t0\t01/norm.rejects.tsv\ttab\\there & <i>\001\n' >>"$r/summary.tsv"
printf 'norm\tb\377.csv\t5\t5\t0\t1\t\\N\t\\N\n' >>"$r/summary.tsv"
printf 'load\t*\t\\N\t\\N\t\\N\t3\t\\N\tcannot connect: "x" \047y\047\n' >>"$r/summary.tsv"
printf 'input\toutcome\tstage\tmoved_to\n<script>alert(1)</script>&amp;.csv\tdone\t\\N\t/d/x\nb\377.csv\tfailed\tnorm\t/f/b\377.csv\n' >"$r/files.tsv"
printf 'a\tb\t_line\t_error\n</td><script>x</script>\n\t\001\t3\trow has 1 fields, header has 2\nok\t"quoted" & \\t\\\\N\t4\trow has 3 fields, header has 2\n' >"$r/01/extract.rejects.tsv"
printf '地区\t金额\t_src\t_line\t_error\n雁塔区\t待核实\tf.csv:3\t2\tfield 金额: cannot read "待核实": no digits\n碑林区\t\377\376\tf.csv:4\t3\tfield 金额: cannot read "x": no digits; field 地区: "<b>" is required\n莲湖区\t1\tf.csv:5\t4\ttotal 金额: 合计 row says 12.5, detail rows sum to 12 (difference 0.5)\n' >"$r/01/norm.rejects.tsv"

sh "$summary" -t 'nightly <&>' "$r" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 0 ] || fail "exit $rc, want 0: $(cat "$tmp/err")"
h=$r/summary.html
xmllint --noout "$h" 2>"$tmp/xml" || fail "not well-formed: $(head -5 "$tmp/xml")"
grep -qi '<script' "$h" && fail "a script got through: $(grep -i '<script' "$h" | head -3)"
grep -q '<i>' "$h" && fail "markup from a message got through"
grep -q '&lt;script&gt;alert(1)&lt;/script&gt;&amp;amp;.csv' "$h" || fail "the file name is not escaped as text"
grep -q 'nightly &lt;&amp;&gt;' "$h" || fail "the title is not escaped"
iconv -f UTF-8 -t UTF-8 "$h" >/dev/null 2>&1 || fail "the page is not UTF-8"
LC_ALL=C grep -q "$(printf '[\001-\010]')" "$h" && fail "a control byte got through"
grep -q 'f.csv:4' "$h" || fail "the _src of a reject is missing"
grep -q '>extract line 3<\|&lt;script&gt;alert(1)&lt;/script&gt;&amp;amp;.csv:3' "$h" ||
	fail "a reject of the wrong width lacks its input and line"
# reasons: values left out, alike ones counted together
grep -q 'norm: field 金额: cannot read &quot;…&quot;: no digits' "$h" || fail "no reason 'cannot read'"
[ "$(grep -c 'cannot read &quot;…&quot;: no digits</text>' "$h")" = 1 ] || fail "alike reasons not counted together"
grep -q '>2</text>' "$h" || fail "the 2 'cannot read' rejects are not one bar of 2"
# the text totals are the sums of summary.tsv
awk -F '\t' 'NR > 1 && $3 ~ /^[0-9]+$/ { i[$1] += $3; o[$1] += $4; j[$1] += $5 }
    END { for (s in i) print s, i[s], o[s], j[s] }' "$r/summary.tsv" | sort >"$tmp/want"
awk 'NR > 2 && NF >= 4 && $2 ~ /^[0-9]+$/ && $1 != "load" { print $1, $2, $3, $4 }' "$tmp/out" | sort >"$tmp/got"
cmp -s "$tmp/want" "$tmp/got" || fail "text totals: $(diff "$tmp/want" "$tmp/got")"
grep -q '^failed: b.csv (at norm)' "$tmp/out" || fail "the failed input is not named: $(cat "$tmp/out")"

# a row that breaks in = out + rejected
printf 'check\tx.csv\t5\t3\t1\t0\t\\N\t\n' >>"$r/summary.tsv"
sh "$summary" "$r" >"$tmp/out" 2>&1
rc=$?
[ $rc = 1 ] || fail "in != out + rejected: exit $rc, want 1"
grep -q 'in != out + rejected' "$tmp/out" || fail "the text does not say in != out + rejected"
grep -q 'break in = out + rejected' "$h" || fail "the page does not say in != out + rejected"
xmllint --noout "$h" 2>/dev/null || fail "not well-formed after a mismatch"

# usage
sh "$summary" "$tmp/none" 2>/dev/null
[ $? = 2 ] || fail "a folder without summary.tsv: want exit 2"
ls -A "$r" | grep -q '^\.summary' && fail "a temporary file was left: $(ls -A "$r")"

echo "pipeline-summary.sh: $nfail failures"
[ $nfail = 0 ]
