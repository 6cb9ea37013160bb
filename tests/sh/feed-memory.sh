#!/bin/sh
# tests/sh/feed-memory.sh: wy-extract streams an XML feed in flat memory.
# A feed of about 50 MB (250,000 records in a default namespace, with
# attributes, CDATA and Chinese names), generated here and read from
# standard input, must come out whole (every record a row, in order, with
# the right --src line) with a peak RSS under 64 MiB, measured by
# /usr/bin/time.
# Prints each failure; exits 1 if any.
. "$(dirname "$0")/lib/test.sh"
n=250000
max_kb=65536
# ASan's shadow memory and quarantine are no measure of the reader's
case $B in *asan*) max_kb=999999999 ;; esac

# Record i (from 0) starts on line 3 + 6 * i.
awk -v n=$n 'BEGIN {
	print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	print "<数据 xmlns=\"urn:example:stat\">"
	for (i = 0; i < n; i++) {
		printf "  <记录 id=\"%d\">\n    <地区>北京市海淀区</地区>\n", i
		printf "    <金额 unit=\"万元\">%d.%02d</金额>\n", i * 7, i % 100
		printf "    <备注><![CDATA[第%d行 & <说明>]]></备注>\n", i
		printf "    <年份>2025</年份>\n  </记录>\n"
	}
	print "</数据>"
}' >"$tmp/feed.xml"
size=$(wc -c <"$tmp/feed.xml")
[ "$size" -gt 45000000 ] || fail "the generated feed has $size bytes"

/usr/bin/time -f %M -o "$tmp/mem" wy-extract --record //记录 --src \
	<"$tmp/feed.xml" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 0 ] || fail "exit $rc: $(head -n 3 "$tmp/err")"
kb=$(tail -n 1 "$tmp/mem")
echo "feed-memory: $size bytes, peak RSS $kb KiB"
[ -n "$kb" ] && [ "$kb" -lt $max_kb ] || fail "peak RSS $kb KiB, want < $max_kb"

rows=$(wc -l <"$tmp/out" | tr -d ' ')
[ "$rows" = $((n + 1)) ] || fail "$rows lines of output, want $((n + 1))"
want=$(printf '@id\t地区\t金额\t金额@unit\t备注\t年份\t_src')
[ "$(head -n 1 "$tmp/out")" = "$want" ] || fail "header: $(head -n 1 "$tmp/out")"
i=$((n - 1))
want=$(printf '%d\t北京市海淀区\t%d.%02d\t万元\t第%d行 & <说明>\t2025\t<stdin>:%d' \
	$i $((i * 7)) $((i % 100)) $i $((3 + 6 * i)))
[ "$(tail -n 1 "$tmp/out")" = "$want" ] || fail "last row: $(tail -n 1 "$tmp/out")"

[ $nfail = 0 ]
