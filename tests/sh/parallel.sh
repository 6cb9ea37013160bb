#!/bin/sh
# tests/sh/parallel.sh: the tools that spread their work over threads
# (lib/par) write the same bytes whatever the threads and block sizes:
# output, rejects file, messages and exit status of -j 1 with the usual
# blocks are the reference, and -j 2, -j 3 and -j 8 with blocks cut at
# every line (WANYI_BLOCKSIZE=1) or at a few lines must match it.  Inputs:
# generated figures with bad rows, several files, stdin, -n, --src, a run
# stopped by its first bad row, a header that differs.  Prints each
# difference; exits 1 if any.
. "$(dirname "$0")/lib/test.sh"

# run DIR ARGS...: the tool line ARGS (a shell line: $tmp, files) into DIR
# as out, rej, err and rc.
run() {
	d=$1
	shift
	mkdir -p "$d"
	(cd "$tmp" && eval "$*" >"$d/out" 2>"$d/err"; echo $? >"$d/rc")
	if [ -f "$tmp/rej.tsv" ]; then mv "$tmp/rej.tsv" "$d/rej"; else : >"$d/rej"; fi
}

# same NAME LINE: LINE with -j 1 (JOBS replaced) against the other settings.
same() {
	name=$1 line=$2
	run "$tmp/ref" "$(echo "$line" | sed 's/JOBS/-j 1/g')"
	for setting in "2 1" "3 1" "2 100" "8 1000" "2 0" "1 1"; do
		set -- $setting
		if [ "$2" = 0 ]; then unset WANYI_BLOCKSIZE; else WANYI_BLOCKSIZE=$2; export WANYI_BLOCKSIZE; fi
		run "$tmp/par" "$(echo "$line" | sed "s/JOBS/-j $1/g")"
		unset WANYI_BLOCKSIZE
		for f in out rej err rc; do
			cmp -s "$tmp/ref/$f" "$tmp/par/$f" ||
			    fail "$name: -j $1, blocks of $2 bytes: $f differs: $(diff "$tmp/ref/$f" "$tmp/par/$f" | head -n 3)"
		done
	done
	[ -s "$tmp/ref/out" ] || fail "$name: no output at all"
}

"$top/bench/gen-norm" 3000 "$tmp/truth" >"$tmp/a.tsv" || exit 1
# bad rows: an unreadable figure, a short row, an escaped field
awk -F '\t' -v OFS='\t' 'NR > 1 && NR % 97 == 0 { $2 = "1.2.3万" }
	NR > 1 && NR % 211 == 0 { $0 = $1 }
	NR > 1 && NR % 89 == 0 { $1 = $1 "\\t" }
	{ print }' "$tmp/a.tsv" >"$tmp/bad.tsv"
tail -n +2 "$tmp/a.tsv" >"$tmp/body.tsv"
head -n 1 "$tmp/a.tsv" | sed 's/数值/数额/' >"$tmp/other.tsv"
tail -n 5 "$tmp/a.tsv" >>"$tmp/other.tsv"

same "norm, rejects" "wy-norm JOBS -f 数值 --rejects rej.tsv --max-errors 100000 --stats bad.tsv"
same "norm, decimal, files" "wy-norm JOBS -f 数值 --decimal --rejects rej.tsv --max-errors 5 bad.tsv a.tsv bad.tsv"
same "norm, stdin, --src" "wy-norm JOBS -f 2 --src --rejects rej.tsv --max-errors 100000 <bad.tsv"
same "norm, -n" "wy-norm JOBS -n -f 2 --unit 万元 --round half-even --rejects rej.tsv --max-errors 100000 body.tsv"
same "norm, stops at a bad row" "wy-norm JOBS -f 数值 --decimal a.tsv bad.tsv"
same "norm, header differs" "wy-norm JOBS -f 数值 --rejects rej.tsv --max-errors 100000 a.tsv other.tsv"

# wy-facts cuts each document into blocks of lines once it has read and
# checked it whole: sentences and offsets count on across the cuts.
f=$top/fixtures/facts
for r in county-civil-affairs communique-scraped township-traditional hk-welfare; do
	cat "$f/$r.txt" "$f/$r.txt" >>"$tmp/reports.txt"
done
cp "$f/bad-utf8.txt" "$f/bulletin.html" "$tmp/"
same "facts, text" "wy-facts JOBS --stats reports.txt"
same "facts, --src --simplified" "wy-facts JOBS --src --simplified reports.txt reports.txt"
same "facts, stdin, a bad document" "wy-facts JOBS --rejects rej.tsv <reports.txt && wy-facts JOBS --rejects rej.tsv --max-errors 1 reports.txt bad-utf8.txt reports.txt"
same "facts, --html --src" "wy-facts JOBS --html --src bulletin.html"

[ "$nfail" = 0 ]
