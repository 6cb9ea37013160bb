#!/bin/sh
# tests/sh/pipeline-nightly.sh: pipelines/civil-affairs-nightly end to
# end, into SQLite (the sqlite3 CLI reads the table back), on the CSV
# fixtures of fixtures/nightly/ (the workbooks: pipeline-xlsx.sh).
#
#   1. a first run loads every district; the table is what SQL's GROUP BY
#      makes of the tools' own output, and each district whose 合计 row
#      passed adds up to that row; summary.tsv keeps in = out + rejected,
#      agrees with the rejects files and from stage to stage; summary.html
#      is well-formed XML with inline SVG, no script and no link out
#   2. a second run finds nothing new, does nothing, leaves the table
#   3. the same files sent again: the table is the same (upsert)
#   4. broken inputs (a missing column, a cut gzip) land in failed/, the
#      others load, the status is 1; odd file names go through
#   5. two runs at once: the second finds the lock, says so, exits 0 and
#      touches nothing; the first loads everything once
#   6. a file younger than --min-age waits
#   7. usage errors
. "$(dirname "$0")/lib/test.sh"
FIX=$top/fixtures/nightly
nightly=$top/pipelines/civil-affairs-nightly
slow=
trap '[ -n "$slow" ] && kill $slow 2>/dev/null; rm -rf "$tmp"' EXIT
WY_MIN_AGE=0
export WY_MIN_AGE

# run WANT_STATUS ARGS...: the pipeline, its output in $tmp/out and $tmp/err.
run() {
	st=$1
	shift
	expect "$st" "civil-affairs-nightly $*" bash "$nightly" "$@"
}

# q DB SQL: rows as a|b|c.
q() {
	sqlite3 "$1" "$2"
}

# reference DB FILES...: the table as SQL makes it from the tools' output,
# run by hand on FILES, into table ref of DB.
# The _src of the rows they reject are in $tmp/ref.src.
reference() {
	ref=$1
	shift
	: >"$tmp/ref.src"
	for f in "$@"; do
		(cd "$(dirname "$f")" && wy-extract --skip 2 --src "$(basename "$f")") |
		    wy-norm -f 金额,人数,户数 --rejects "$tmp/ref.nrej" --max-errors 99 |
		    wy-check --schema "$top/pipelines/schemas/civil-affairs.tsv" --fix-dates \
		        --rule '户数 <= 人数' --total 街道=合计 --sum 金额,人数,户数 --by 月份,区县 \
		        --drop-totals --rejects "$tmp/ref.crej" --max-errors 99 2>/dev/null
		srcs "$tmp/ref.nrej" "$tmp/ref.crej" >>"$tmp/ref.src"
	done | awk 'NR == 1 || !/^月份\t/' >"$tmp/ref.tsv"
	wy-load --db "sqlite:$tmp/ref.db" --table detail "$tmp/ref.tsv" || fail "reference load"
	q "$tmp/ref.db" "SELECT 月份, 区县, 项目, sum(金额), sum(人数), sum(户数), count(*)
	    FROM detail GROUP BY 1, 2, 3 ORDER BY 1, 2, 3" >"$ref"
	rm -f "$tmp/ref.db"
}

# srcs REJECTS...: the _src of each rejected row ("?" when it has none).
srcs() {
	for f in "$@"; do
		awk -F '\t' 'NR == 1 { c = 0; for (i = 1; i <= NF; i++) if ($i == "_src") c = i; next }
		    { print (c && NF > c ? $c : "?") }' "$f"
	done
}

# table DB: the loaded table in the reference's order.
table() {
	q "$1" "SELECT 月份, 区县, 项目, sum_金额, sum_人数, sum_户数, count
	    FROM civil_affairs ORDER BY 1, 2, 3"
}

# check_summary RUN: summary.tsv against itself, the rejects files, the
# stage outputs and the table; summary.html against XML.
check_summary() {
	r=$1
	[ -f "$r/summary.tsv" ] || { fail "$r: no summary.tsv"; return; }
	awk -F '\t' 'NR > 1 && $3 != "\\N" && $3 != $4 + $5 { print "row " NR ": " $0 }' \
	    "$r/summary.tsv" >"$tmp/bad"
	[ -s "$tmp/bad" ] && fail "in != out + rejected: $(cat "$tmp/bad")"
	# each rejects file has as many rows as the stage says it rejected
	tail -n +2 "$r/summary.tsv" | while IFS='	' read -r stage input in out rej status rejects note; do
		[ "$rejects" = '\N' ] && continue
		n=$(($(wc -l <"$r/$rejects") - 1))
		[ "$n" -lt 0 ] && n=0
		[ "$n" = "$rej" ] || echo "$stage $input: $rej rejected, $n in $rejects"
	done >"$tmp/bad"
	[ -s "$tmp/bad" ] && fail "rejects files: $(cat "$tmp/bad")"
	# from stage to stage: what one writes, the next reads (check's in
	# leaves out the total rows it dropped)
	awk -F '\t' 'NR > 1 && $6 == 0 { out[$1, $2] = $4; inn[$1, $2] = $3; note[$1, $2] = $8; seen[$2] = 1 }
	    END {
		for (f in seen) {
			if (f == "*") continue
			if (("norm", f) in inn && inn["norm", f] != out["extract", f]) print f ": norm in != extract out"
			d = 0
			if (match(note["check", f], /dropped [0-9]+ total row/)) {
				d = substr(note["check", f], RSTART + 8, RLENGTH - 18) + 0
			}
			if (("check", f) in inn && inn["check", f] + d != out["norm", f]) print f ": check in + dropped != norm out"
			if (("agg", f) in inn && inn["agg", f] != out["check", f]) print f ": agg in != check out"
		}
	    }' "$r/summary.tsv" >"$tmp/bad"
	[ -s "$tmp/bad" ] && fail "stage to stage: $(cat "$tmp/bad")"
	if [ -f "$r/merged.tsv" ]; then
		parts=0
		for a in "$r"/[0-9]*/agg.tsv; do
			grep -q "	$(basename "$(dirname "$a")")/agg.rejects.tsv	" "$r/summary.tsv" || continue
			parts=$((parts + $(wc -l <"$a") - 1))
		done
		merge_in=$(awk -F '\t' '$1 == "merge" { print $3 }' "$r/summary.tsv")
		[ "$merge_in" = "$parts" ] || fail "merge in $merge_in, the partial sums have $parts rows"
		load_in=$(awk -F '\t' '$1 == "load" { print $3 }' "$r/summary.tsv")
		[ "$load_in" = $(($(wc -l <"$r/merged.tsv") - 1)) ] || fail "load in $load_in != rows of merged.tsv"
	fi
	h=$r/summary.html
	[ -f "$h" ] || { fail "$r: no summary.html"; return; }
	xmllint --noout "$h" 2>"$tmp/xml" || fail "summary.html is not well-formed: $(head -5 "$tmp/xml")"
	grep -q '<svg' "$h" || fail "summary.html has no <svg>"
	grep -qi '<script' "$h" && fail "summary.html has a script"
	grep -Eiq '(src|href)=' "$h" && fail "summary.html links out"
	sed 's/xmlns="[^"]*"//g' "$h" | grep -Eiq 'https?:' && fail "summary.html names a URL"
}

# rejected_src RUN STAGE: the _src of the first row that STAGE rejected.
rejected_src() {
	f=$(ls "$1"/[0-9]*/"$2".rejects.tsv 2>/dev/null | while read -r f; do
		[ "$(wc -l <"$f")" -gt 1 ] && echo "$f" && break; done)
	[ -n "$f" ] || return 1
	awk -F '\t' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "_src") c = i } NR == 2 { print $c }' "$f"
}

# 1. the first run
base=$tmp/a
mkdir -p "$base/inbox"
cp "$FIX"/*.csv "$FIX"/*.txt "$base/inbox/"
ninputs=$(ls "$base/inbox" | wc -l)
run 0 "$base/inbox"
db=$base/stats.db
[ -d "$base/runs/latest" ] || fail "no runs/latest"
r=$(cd "$base/runs/latest" && pwd -P)
ls -A "$base/inbox" | grep -v '^\.civil-affairs-nightly\.lock$' >"$tmp/left"
[ -s "$tmp/left" ] && fail "files left in the inbox: $(cat "$tmp/left")"
[ "$(find "$base/done" -type f | wc -l)" = "$ninputs" ] || fail "not every input in done/"
[ -z "$(find "$base/failed" -type f)" ] || fail "something in failed/"
reference "$tmp/want" "$FIX"/*.csv "$FIX"/*.txt
table "$db" >"$tmp/got"
cmp -s "$tmp/want" "$tmp/got" || fail "the table is not SQL's sums of the tools' rows: $(diff "$tmp/want" "$tmp/got")"
[ "$(wc -l <"$tmp/got")" -gt 8 ] || fail "too few rows loaded: $(cat "$tmp/got")"
loaded=$(awk -F '\t' '$1 == "load" { print $4 }' "$r/summary.tsv")
[ "$loaded" = "$(q "$db" 'SELECT count(*) FROM civil_affairs')" ] || fail "load out $loaded is not the table's rows"
check_summary "$r"
# the rows set aside: those the tools set aside run by hand, no others
srcs "$r"/[0-9]*/*.rejects.tsv "$r"/*.rejects.tsv | sort >"$tmp/got"
sort "$tmp/ref.src" >"$tmp/want.src"
[ -s "$tmp/want.src" ] || fail "the fixtures were meant to have bad rows"
cmp -s "$tmp/want.src" "$tmp/got" || fail "rejected rows: $(diff "$tmp/want.src" "$tmp/got")"
# the districts whose 合计 row passed add up to it, exactly
for f in "$FIX"/*.csv "$FIX"/*.txt; do
	(cd "$FIX" && wy-extract --skip 2 "$(basename "$f")") |
	    wy-norm -f 金额,人数,户数 --rejects "$tmp/x.rej" --max-errors 99 |
	    awk -F '\t' '$3 == "合计" { print $2 "|" $5 "|" $8 }'
done >"$tmp/totals"
n=0
while IFS='|' read -r district amount people; do
	grep -q "^[^	]*	$district	合计	" "$r"/[0-9]*/check.rejects.tsv && continue
	got=$(q "$db" "SELECT sum(sum_金额) || '|' || sum(sum_人数) FROM civil_affairs WHERE 区县 = '$district'")
	[ "$got" = "$amount|$people" ] || fail "$district: table says $got, its 合计 row $amount|$people"
	n=$((n + 1))
done <"$tmp/totals"
[ "$n" -ge 3 ] || fail "only $n districts checked against their 合计 row"
# the rows set aside are in the page, with their _src
for s in norm check; do
	src=$(rejected_src "$r" $s) || { fail "no row rejected by $s: the fixtures have some"; continue; }
	grep -qF "$src" "$r/summary.html" || fail "summary.html lacks the $s reject $src"
done
grep -q '^failed:' "$tmp/out" && fail "the text summary names a failure: $(cat "$tmp/out")"

# 2. nothing new: nothing done, the table as it was
q "$db" .dump >"$tmp/dump1"
nruns=$(ls "$base/runs" | wc -l)
run 0 "$base/inbox"
grep -q 'nothing new' "$tmp/out" || fail "the second run does not say it found nothing: $(cat "$tmp/out")"
[ "$(ls "$base/runs" | wc -l)" = "$nruns" ] || fail "the second run made a run folder"
q "$db" .dump >"$tmp/dump2"
cmp -s "$tmp/dump1" "$tmp/dump2" || fail "the second run changed the database"

# 3. the same files again: the same table
cp "$FIX"/*.csv "$FIX"/*.txt "$base/inbox/"
run 0 "$base/inbox"
table "$db" >"$tmp/got"
cmp -s "$tmp/want" "$tmp/got" || fail "files sent again changed the table: $(diff "$tmp/want" "$tmp/got")"
check_summary "$(cd "$base/runs/latest" && pwd -P)"

# 4. broken inputs beside good ones, and odd names
base=$tmp/b
mkdir -p "$base/inbox"
cp "$FIX/雁塔区-2026-10.csv" "$FIX/碑林区-2026-10.csv" "$FIX"/broken/*.csv "$FIX"/broken/*.csv.gz "$base/inbox/"
cp "$FIX/莲湖区-2026-10.csv" "$base/inbox/-莲湖 \"区\" & <b>.csv"
touch "$base/inbox/.hidden.csv" "$base/inbox/upload.csv.part"
run 1 "$base/inbox" --db "sqlite:$base/other.db" --runs "$base/r"
r=$(cd "$base/r/latest" && pwd -P)
for f in "$FIX"/broken/*.csv "$FIX"/broken/*.csv.gz; do
	n=$(basename "$f")
	[ -n "$(find "$base/failed" -name "$n")" ] || fail "$n not in failed/"
	grep -qF "$n" "$tmp/out" || fail "the text summary does not name $n"
done
for n in 雁塔区-2026-10.csv 碑林区-2026-10.csv "-莲湖 \"区\" & <b>.csv"; do
	[ -n "$(find "$base/done" -name "$n")" ] || fail "$n not in done/"
done
[ -f "$base/inbox/.hidden.csv" ] && [ -f "$base/inbox/upload.csv.part" ] ||
	fail "a hidden or partial file was taken"
grep -q "^extract	高陵区-2026-10.csv.gz	.*	1	" "$r/summary.tsv" || fail "the cut gzip does not fail at extract"
grep -q "^norm	临潼区-2026-10.csv	.*	2	" "$r/summary.tsv" || fail "the old template does not fail at norm"
grep -q '临潼区.*failed.*norm' "$r/files.tsv" || fail "files.tsv lacks the failure: $(cat "$r/files.tsv")"
reference "$tmp/want" "$FIX/雁塔区-2026-10.csv" "$FIX/碑林区-2026-10.csv" "$FIX/莲湖区-2026-10.csv"
table "$base/other.db" >"$tmp/got"
cmp -s "$tmp/want" "$tmp/got" || fail "with broken inputs, the good ones did not load: $(diff "$tmp/want" "$tmp/got")"
check_summary "$r"
grep -q '&lt;b&gt;' "$r/summary.html" || fail "summary.html does not escape a file name"
grep -q '<b>' "$r/summary.html" && fail "a file name became markup"

# 5. two runs at once: wy-load made slow, the second run starts during it
base=$tmp/c
mkdir -p "$base/inbox" "$tmp/shim"
cp "$FIX"/*.csv "$base/inbox/"
printf '#!/bin/sh\ntouch "%s"\nsleep 3\nPATH=%s exec wy-load "$@"\n' "$tmp/loading" "$PATH" >"$tmp/shim/wy-load"
chmod +x "$tmp/shim/wy-load"
PATH=$tmp/shim:$PATH bash "$nightly" "$base/inbox" >"$tmp/out1" 2>&1 &
slow=$!
i=0
while [ ! -f "$tmp/loading" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -f "$tmp/loading" ] || fail "the first run never reached the load"
cp "$FIX/长安区-2026-10.txt" "$base/inbox/"
run 0 "$base/inbox"
grep -q 'another run holds' "$tmp/err" || fail "the second run does not say why it stops: $(cat "$tmp/err")"
wait $slow
rc=$?
slow=
[ $rc = 0 ] || fail "the first run: exit $rc: $(cat "$tmp/out1")"
[ "$(ls "$base/runs" | grep -vc '^latest$')" = 1 ] || fail "two run folders: $(ls "$base/runs")"
[ -f "$base/inbox/长安区-2026-10.txt" ] || fail "the second run took a file"
[ "$(q "$base/stats.db" "SELECT count(*) FROM civil_affairs WHERE 区县 = '长安区'")" = 0 ] ||
	fail "the second run loaded"
reference "$tmp/want" "$FIX"/*.csv
table "$base/stats.db" >"$tmp/got"
cmp -s "$tmp/want" "$tmp/got" || fail "the first run's load is wrong: $(diff "$tmp/want" "$tmp/got")"
# the lock went with the first run: now the file goes in
run 0 "$base/inbox"
[ "$(q "$base/stats.db" "SELECT count(*) FROM civil_affairs WHERE 区县 = '长安区'")" -gt 0 ] ||
	fail "the run after the lock was freed loaded nothing"

# 6. a file still young waits for the next run (--min-age), an old one goes
base=$tmp/d
mkdir -p "$base/inbox"
cp "$FIX/雁塔区-2026-10.csv" "$FIX/碑林区-2026-10.csv" "$base/inbox/"
touch -d '-10 min' "$base/inbox/碑林区-2026-10.csv"
run 0 --min-age 300 "$base/inbox"
[ -f "$base/inbox/雁塔区-2026-10.csv" ] || fail "--min-age: a young file was taken"
[ -n "$(find "$base/done" -name 碑林区-2026-10.csv)" ] || fail "--min-age: an old file was left"
grep -q 'younger than 300 s' "$tmp/err" || fail "--min-age: the young file is not mentioned: $(cat "$tmp/err")"

# 7. usage
run 2 --no-such-option "$base/inbox"
run 2 "$tmp/no-such-inbox"
run 2 --max-errors x "$base/inbox"
run 0 --help
grep -q '^usage: civil-affairs-nightly' "$tmp/out" || fail "--help prints no usage"

echo "pipeline-nightly.sh: $nfail failures"
[ $nfail = 0 ]
