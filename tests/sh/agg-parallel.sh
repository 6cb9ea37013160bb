#!/bin/sh
# tests/sh/agg-parallel.sh: wy-agg --partial on splits and --merge of the
# pieces give exactly the single run's output, with GNU parallel as the
# man page shows it and as Hadoop Streaming runs it, on generated data
# (fixtures/agg/gen.awk: NULLs, decimals, values near 2^63, many groups).
#
#   parallel --pipe --header : -k   chunks with their header, in order
#   parallel --pipe (no -k)         chunks in any order: the operations
#                                   that do not depend on it
#   headerless splits (-n)          as Hadoop hands them to mappers, with
#                                   empty splits, a combiner (--merge
#                                   --partial), and the reducer's input
#                                   sorted by key (--merge --sorted)
# Prints each failure; exits 1 if any.
. "$(dirname "$0")/lib/test.sh"
LC_ALL=C
export LC_ALL
command -v parallel >/dev/null 2>&1 || { echo "agg-parallel.sh: GNU parallel is not installed"; exit 1; }

# same NAME FILE [HEADER_LINES]: FILE must be the single run's output
# ($tmp/want).
same() {
	if [ ! -s "$2" ] || ! cmp -s "$tmp/want" "$2"; then
		fail "$1: not the single run's output (< single run, > merged):"
		diff "$tmp/want" "$2" | head -n 10
	else
		echo "$1: same $(($(wc -l <"$2") - ${3:-1})) groups"
	fi
}

awk -v rows=200000 -v k1=400 -v k2=40 -v seed=5 -f "$top/fixtures/agg/gen.awk" >"$tmp/in.tsv"
ALL="count count:v sum:v min:v max:v mean:v median:v distinct:t first:t last:t"
ANY="count count:v sum:v min:v max:v mean:v median:v distinct:t"

wy-agg -g k1,k2 --sort $ALL "$tmp/in.tsv" >"$tmp/want"
parallel --pipe --header : -k --block 300k "wy-agg -g k1,k2 --partial $ALL" \
	<"$tmp/in.tsv" >"$tmp/parts"
n=$(grep -c '^k1	k2	count	' "$tmp/parts")
[ "$n" -gt 5 ] || fail "parallel made $n chunks, want more than 5"
wy-agg -g k1,k2 --merge --sort $ALL "$tmp/parts" >"$tmp/got"
same "parallel -k, $n chunks" "$tmp/got"

# chunks in any order, two jobs at a time; by records, not bytes
wy-agg -g k1,k2 --sort $ANY "$tmp/in.tsv" >"$tmp/want"
parallel --pipe --header : -j 2 -N 7000 "wy-agg -g k1,k2 --partial $ANY" <"$tmp/in.tsv" |
	wy-agg -g k1,k2 --merge --sort $ANY >"$tmp/got"
same "parallel -N 7000, any order" "$tmp/got"

# Hadoop: headerless splits (some empty), mappers, a combiner, reducers
IDX="count count:3 sum:3 min:3 max:3 mean:3 median:3 distinct:4"
tail -n +2 "$tmp/in.tsv" >"$tmp/body"
wy-agg -n -g 1,2 --sort $IDX "$tmp/body" >"$tmp/want"
split -l 30000 "$tmp/body" "$tmp/split."
: >"$tmp/split.empty"
for s in "$tmp"/split.*; do
	wy-agg -n -g 1,2 --partial $IDX "$s" >"$s.part" || fail "mapper on $s"
done
cat "$tmp"/split.*.part >"$tmp/mapped"
wy-agg -n -g 1,2 --merge --sort $IDX "$tmp/mapped" >"$tmp/got"
same "mappers, reducer" "$tmp/got" 0
# a combiner merges some mappers' output into one partial
cat "$tmp"/split.a[ab].part | wy-agg -n -g 1,2 --merge --partial $IDX >"$tmp/combined"
cat "$tmp/combined" "$tmp"/split.a[c-z].part "$tmp/split.empty.part" |
	wy-agg -n -g 1,2 --merge --sort $IDX >"$tmp/got"
same "mappers, combiner, reducer" "$tmp/got" 0
# the shuffle sorts by key: the reducer streams with --sorted
sort -t '	' -k 1,2 "$tmp/mapped" | wy-agg -n -g 1,2 --merge --sorted $IDX |
	sort -t '	' -k 1,2 >"$tmp/got"
sort -t '	' -k 1,2 "$tmp/want" >"$tmp/want.sorted" && mv "$tmp/want.sorted" "$tmp/want"
same "mappers, sorted shuffle, streaming reducer" "$tmp/got" 0

# a header-only input and an empty one merge to nothing more
wy-agg -g k1,k2 --sort $ALL "$tmp/in.tsv" >"$tmp/want"
head -n 1 "$tmp/in.tsv" | wy-agg -g k1,k2 --partial $ALL >"$tmp/hdronly"
: >"$tmp/empty"
wy-agg -g k1,k2 --merge --sort $ALL "$tmp/hdronly" "$tmp/parts" "$tmp/hdronly" >"$tmp/got"
same "with header-only partials" "$tmp/got"
wy-agg -g k1,k2 --merge --sort $ALL "$tmp/empty" "$tmp/parts" "$tmp/empty" >"$tmp/got"
same "with empty partials" "$tmp/got"

echo "agg-parallel.sh: $nfail failures"
[ $nfail = 0 ]
