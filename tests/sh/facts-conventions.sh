#!/bin/sh
# tests/sh/facts-conventions.sh: the conventions of lib/cli.h on large
# inputs of wy-facts, where the golden cases use small ones:
#   - a bad document leaves nothing of itself on stdout, however many
#     facts come before its bad byte, and -o leaves no file;
#   - a closed pipe ends the run quietly with status 0;
#   - a full disk is status 3 with the system's words;
#   - --stats counts documents, in = out + rejected, and its facts are
#     the rows written.
# Prints each failure; exits 1 if any.
. "$(dirname "$0")/lib/test.sh"
# ~3 MB of good reports, and the same with an invalid byte at the end
fix=$top/fixtures/facts
i=0
while [ $i -lt 300 ]; do
	cat "$fix/county-civil-affairs.txt" "$fix/township-traditional.txt" \
	    "$fix/communique-scraped.txt"
	i=$((i + 1))
done >"$tmp/big.txt"
{ cat "$tmp/big.txt"; printf '最后一行\377\n'; } >"$tmp/bad.txt"
cp "$fix/short.txt" "$tmp/short.txt"

# a bad document after a good one: the good one's rows, nothing more
wy-facts "$tmp/short.txt" "$tmp/bad.txt" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 1 ] || fail "bad document: exit $rc, want 1"
n=$(wc -l <"$tmp/out" | tr -d ' ')
[ "$n" = 5 ] || fail "bad document: $n lines on stdout, want the header and short.txt's 4"
grep -q "bad.txt" "$tmp/out" && fail "bad document: rows of bad.txt on stdout"
grep -q "^wy-facts: $tmp/bad.txt:[0-9]*: invalid UTF-8\$" "$tmp/err" ||
	fail "bad document: stderr '$(cat "$tmp/err")'"

# -o: no file, and an old one stays
mkdir "$tmp/o"
wy-facts -o "$tmp/o/out.tsv" "$tmp/big.txt" "$tmp/bad.txt" 2>/dev/null
[ -z "$(ls "$tmp/o")" ] || fail "-o, bad document: left $(ls "$tmp/o" | tr '\n' ' ')"
echo old >"$tmp/o/out.tsv"
wy-facts -o "$tmp/o/out.tsv" "$tmp/bad.txt" 2>/dev/null
[ "$(cat "$tmp/o/out.tsv")" = old ] || fail "-o, bad document: the old file changed"
[ "$(ls "$tmp/o")" = out.tsv ] || fail "-o, bad document: left $(ls "$tmp/o" | tr '\n' ' ')"

# -o, good: the file is what stdout gets
wy-facts -o "$tmp/o/out.tsv" "$tmp/big.txt" || fail "-o, good: exit $?"
wy-facts "$tmp/big.txt" >"$tmp/want"
cmp -s "$tmp/o/out.tsv" "$tmp/want" || fail "-o, good: the file differs from stdout"

# closed pipe
{ wy-facts "$tmp/big.txt" 2>"$tmp/err"; echo $? >"$tmp/rc"; } | head -n 1 >/dev/null
[ "$(cat "$tmp/rc")" = 0 ] || fail "big | head -1: exit $(cat "$tmp/rc"), want 0"
[ -s "$tmp/err" ] && fail "big | head -1: stderr: $(head -n 3 "$tmp/err")"

# full disk, large and small outputs
for f in big.txt short.txt; do
	wy-facts "$tmp/$f" >/dev/full 2>"$tmp/err"
	rc=$?
	[ $rc = 3 ] || fail "$f >/dev/full: exit $rc, want 3"
	[ "$(cat "$tmp/err")" = "wy-facts: <stdout>: write error: No space left on device" ] ||
		fail "$f >/dev/full: stderr '$(cat "$tmp/err")'"
done

# --stats: documents in = out + rejected; facts = rows
wy-facts --stats --rejects "$tmp/rej.tsv" --max-errors 1 "$tmp/big.txt" \
    "$tmp/bad.txt" "$tmp/short.txt" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 0 ] || fail "--stats: exit $rc, want 0"
rows=$(($(wc -l <"$tmp/out") - 1))
grep -q "^wy-facts: $rows facts in [0-9]* sentences\$" "$tmp/err" ||
	fail "--stats: '$(head -n 1 "$tmp/err")', want $rows facts"
grep -q "^wy-facts: in 3, out 2, rejected 1\$" "$tmp/err" ||
	fail "--stats: '$(tail -n 1 "$tmp/err")'"
[ "$(tail -n +2 "$tmp/rej.tsv" | cut -f 1)" = "$tmp/bad.txt" ] ||
	fail "--rejects: $(cat "$tmp/rej.tsv")"

echo "facts-conventions.sh: $nfail failures"
[ $nfail = 0 ]
