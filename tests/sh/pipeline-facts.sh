#!/bin/sh
# tests/sh/pipeline-facts.sh: pipelines/report-facts end to end into
# SQLite, on reports of fixtures/facts/ (text and an HTML page, one named
# without .html) and a binary file: the binary one lands in failed/, the
# others load, the status is 1; each report's rows in the table are the
# rows wy-facts writes for it alone; summary.tsv keeps in = out +
# rejected; a second run finds nothing new; a report sent again replaces
# its own rows and leaves the table the same.
. "$(dirname "$0")/lib/test.sh"
FIX=$top/fixtures/facts
facts=$top/pipelines/report-facts
WY_MIN_AGE=0
export WY_MIN_AGE

run() {
	st=$1
	shift
	expect "$st" "report-facts $*" bash "$facts" "$@"
}

q() {
	sqlite3 "$tmp/stats.db" "$1"
}

mkdir -p "$tmp/inbox"
cp "$FIX/county-civil-affairs.txt" "$FIX/township-traditional.txt" "$FIX/binary.txt" "$tmp/inbox/"
cp "$FIX/bulletin.html" "$tmp/inbox/bulletin-page"
run 1 "$tmp/inbox" --db "sqlite:$tmp/stats.db"
r=$(cd "$tmp/runs/latest" && pwd -P)
[ -n "$(find "$tmp/failed" -name binary.txt)" ] || fail "binary.txt not in failed/"
[ "$(find "$tmp/done" -type f | wc -l)" = 3 ] || fail "not 3 reports in done/"
grep -q '^failed: binary.txt (at facts)' "$tmp/out" || fail "the text summary: $(cat "$tmp/out")"

# each report's rows: what wy-facts writes for it alone, all columns
for doc in county-civil-affairs.txt township-traditional.txt bulletin-page; do
	html=
	[ "$doc" = bulletin-page ] && html=--html
	(cd "$(dirname "$(find "$tmp/done" -name "$doc")")" && wy-facts $html --src "$doc") |
	    tail -n +2 | LC_ALL=C sort >"$tmp/want"
	[ "$(wc -l <"$tmp/want")" -gt 5 ] || fail "$doc: wy-facts found too few figures"
	sqlite3 -separator '	' "$tmp/stats.db" "SELECT doc, sent, start, \"end\", text,
	    value, unit, qual, kind, context, _src FROM report_facts WHERE doc = '$doc'" |
	    LC_ALL=C sort >"$tmp/got"
	cmp -s "$tmp/want" "$tmp/got" || fail "$doc: the table differs from wy-facts: $(diff "$tmp/want" "$tmp/got" | head -5)"
done
[ "$(q 'SELECT count(DISTINCT doc) FROM report_facts')" = 3 ] || fail "not 3 documents in the table"
awk -F '\t' 'NR > 1 && $3 != "\\N" && $3 != $4 + $5' "$r/summary.tsv" >"$tmp/bad"
[ -s "$tmp/bad" ] && fail "in != out + rejected: $(cat "$tmp/bad")"
# facts's out (documents) feed check with their figures: check in = load in
awk -F '\t' '$1 == "check" { c[$2] = $4 } $1 == "load" { if (c[$2] != $3) print $2 }' \
    "$r/summary.tsv" >"$tmp/bad"
[ -s "$tmp/bad" ] && fail "load in != check out: $(cat "$tmp/bad")"
[ "$(awk -F '\t' '$1 == "load" { n += $4 } END { print n }' "$r/summary.tsv")" = "$(q 'SELECT count(*) FROM report_facts')" ] ||
	fail "the loads' out is not the table's rows"
xmllint --noout "$r/summary.html" || fail "summary.html is not well-formed"
grep -q '<svg' "$r/summary.html" || fail "summary.html has no <svg>"
grep -q 'binary.txt:1' "$r/summary.html" || fail "summary.html lacks the rejected document"

# nothing new
q "SELECT * FROM report_facts ORDER BY doc, start" >"$tmp/dump1"
run 0 "$tmp/inbox" --db "sqlite:$tmp/stats.db"
grep -q 'nothing new' "$tmp/out" || fail "the second run: $(cat "$tmp/out")"
# a report sent again replaces its rows: the same table
cp "$FIX/county-civil-affairs.txt" "$tmp/inbox/"
run 0 "$tmp/inbox" --db "sqlite:$tmp/stats.db"
q "SELECT * FROM report_facts ORDER BY doc, start" >"$tmp/dump2"
cmp -s "$tmp/dump1" "$tmp/dump2" || fail "a report sent again changed the table: $(diff "$tmp/dump1" "$tmp/dump2" | head -5)"

echo "pipeline-facts.sh: $nfail failures"
[ $nfail = 0 ]
