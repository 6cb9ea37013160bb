#!/bin/sh
# tests/sh/conventions.sh: the conventions of lib/cli.h, checked on every
# wy- tool in $B/bin: --help, --version, a bad option (exit 2), -o FILE
# written atomically, a closed pipe (quiet exit 0), a full disk (exit 3
# with the system's words).  Prints each failure; exits 1 if any.
. "$(dirname "$0")/lib/test.sh"
version=$(sed -n 's/^VERSION *= *//p' "$top/Makefile")

# Inputs: $tmp/good.* are fine; $tmp/bad.* hold a bad row after ~600 KB
# of good rows, so a run writes to its output before it fails.
awk 'BEGIN {
	print "地区,项目,人数,金额"
	for (i = 1; i <= 12000; i++)
		printf "雁塔区%d,城市低保,%d,%d.%02d\n", i, 1000 + i, 3560 + i, i % 100
}' >"$tmp/good.csv"
{ cat "$tmp/good.csv"; echo "碑林区,城市低保,8126"; echo "莲湖区,农村低保,5473,1296.1"; } >"$tmp/bad.csv"
awk 'BEGIN {
	print "地区\t项目\t人数\t金额"
	for (i = 1; i <= 12000; i++)
		printf "雁塔区%d\t城市低保\t%d万\t%d.%02d亿元\n", i, i, 3560 + i, i % 100
}' >"$tmp/good.tsv"
{ cat "$tmp/good.tsv"; printf '碑林区\t城市低保\t1.2.3万\t1亿元\n'; } >"$tmp/bad.tsv"
head -n 3 "$tmp/good.csv" >"$tmp/small.csv"
head -n 3 "$tmp/good.tsv" >"$tmp/small.tsv"
for f in good bad small; do tr ',' '\t' <"$tmp/$f.csv" >"$tmp/$f.agg.tsv"; done
# ~5 MB, for the closed pipe
i=0
cp "$tmp/good.csv" "$tmp/big.csv"
cp "$tmp/good.tsv" "$tmp/big.tsv"
while [ $i -lt 8 ]; do
	tail -n +2 "$tmp/good.csv" >>"$tmp/big.csv"
	tail -n +2 "$tmp/good.tsv" >>"$tmp/big.tsv"
	i=$((i + 1))
done
tr ',' '\t' <"$tmp/big.csv" >"$tmp/big.agg.tsv"

# args TOOL good|bad|big|small|usage: the arguments of a run of TOOL
# (empty: a tool this script does not know yet); "usage" is a run that
# fails as late as a usage error can.
args() {
	case $1:$2 in
	wy-extract:usage) echo "--ragged fill $tmp/good.csv" ;;
	wy-extract:*) echo "$tmp/$2.csv" ;;
	wy-norm:usage) echo "-f 无此列 $tmp/good.tsv" ;;
	wy-norm:*) echo "-f 人数,金额 $tmp/$2.tsv" ;;
	wy-agg:usage) echo "-g 无此列 count $tmp/good.agg.tsv" ;;
	wy-agg:*) echo "-g 项目 sum:人数 mean:金额 $tmp/$2.agg.tsv" ;;
	wy-check:usage) echo "--rule 无此列>0 $tmp/good.tsv" ;;
	wy-check:*) echo "--schema $top/fixtures/check/conventions.tsv $tmp/$2.tsv" ;;
	wy-emit:usage) echo "--format xml $tmp/good.agg.tsv" ;;
	wy-emit:bad) echo "--format jsonl $tmp/bad.agg.tsv" ;;
	wy-emit:*) echo "--format csv $tmp/$2.agg.tsv" ;;
	esac
}

ntools=0
for path in "$B"/bin/wy-*; do
	[ -x "$path" ] || continue
	t=${path##*/}
	ntools=$((ntools + 1))

	# --help: usage on stdout, exit 0
	"$t" --help >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc = 0 ] || fail "$t --help: exit $rc, want 0"
	head -n 1 "$tmp/out" | grep -q "^usage: $t " || fail "$t --help: no 'usage: $t' line"
	[ -s "$tmp/err" ] && fail "$t --help: wrote on stderr"

	# --version: "NAME (wanyi) VERSION"
	"$t" --version >"$tmp/out" 2>&1
	rc=$?
	[ $rc = 0 ] || fail "$t --version: exit $rc, want 0"
	[ "$(cat "$tmp/out")" = "$t (wanyi) $version" ] ||
		fail "$t --version: printed '$(cat "$tmp/out")', want '$t (wanyi) $version'"

	# a bad option: exit 2, a hint on stderr, nothing on stdout
	"$t" --no-such-option >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc = 2 ] || fail "$t --no-such-option: exit $rc, want 2"
	grep -q "Try '$t --help' for more information." "$tmp/err" ||
		fail "$t --no-such-option: no hint on stderr"
	[ -s "$tmp/out" ] && fail "$t --no-such-option: wrote on stdout"

	# --help and --version on a full disk: exit 3 and say so
	for opt in --help --version; do
		"$t" $opt >/dev/full 2>"$tmp/err"
		rc=$?
		[ $rc = 3 ] || fail "$t $opt >/dev/full: exit $rc, want 3"
		grep -q "write error: No space left on device" "$tmp/err" ||
			fail "$t $opt >/dev/full: no write error message"
	done

	good=$(args "$t" good)
	if [ -z "$good" ]; then
		echo "conventions.sh: $t: no inputs known here; add it to args()"
		continue
	fi
	bad=$(args "$t" bad)
	big=$(args "$t" big)
	small=$(args "$t" small)
	usage=$(args "$t" usage)

	# -o FILE: a good run leaves FILE (and nothing else)
	mkdir "$tmp/o"
	$t -o "$tmp/o/out.tsv" $good 2>"$tmp/err"
	rc=$?
	[ $rc = 0 ] || fail "$t -o (good run): exit $rc, want 0: $(cat "$tmp/err")"
	$t $good >"$tmp/want" 2>/dev/null
	cmp -s "$tmp/o/out.tsv" "$tmp/want" || fail "$t -o (good run): FILE is not what stdout gets"
	[ "$(ls "$tmp/o")" = out.tsv ] || fail "$t -o (good run): left $(ls "$tmp/o" | tr '\n' ' ')"
	rm -rf "$tmp/o"

	# -o FILE: a run that fails half-way leaves no FILE and no FILE.XXXXXX
	mkdir "$tmp/o"
	$t -o "$tmp/o/out.tsv" $bad 2>"$tmp/err"
	rc=$?
	[ $rc = 1 ] || fail "$t -o (bad row): exit $rc, want 1"
	[ -z "$(ls "$tmp/o")" ] || fail "$t -o (bad row): left $(ls "$tmp/o" | tr '\n' ' ')"
	# ... and an older FILE stays as it was
	echo old >"$tmp/o/out.tsv"
	$t -o "$tmp/o/out.tsv" $bad 2>/dev/null
	[ "$(cat "$tmp/o/out.tsv")" = old ] || fail "$t -o (bad row): an existing FILE was changed"
	[ "$(ls "$tmp/o")" = out.tsv ] || fail "$t -o (bad row, FILE existed): left $(ls "$tmp/o" | tr '\n' ' ')"
	rm -rf "$tmp/o"

	# -o through a symbolic link replaces the file it points to; the link stays
	mkdir "$tmp/o"
	echo old >"$tmp/o/real.tsv"
	ln -s real.tsv "$tmp/o/link.tsv"
	$t -o "$tmp/o/link.tsv" $good 2>/dev/null
	[ -L "$tmp/o/link.tsv" ] || fail "$t -o LINK: the link was replaced"
	cmp -s "$tmp/o/real.tsv" "$tmp/want" || fail "$t -o LINK: the file linked to is not the output"
	[ "$(ls "$tmp/o" | tr '\n' ' ')" = "link.tsv real.tsv " ] ||
		fail "$t -o LINK: left $(ls "$tmp/o" | tr '\n' ' ')"
	rm -rf "$tmp/o"

	# -o /dev/stderr with standard error a file writes there, and the
	# /dev/stderr link stays a link
	$t -o /dev/stderr $small >/dev/null 2>"$tmp/err"
	[ -L /dev/stderr ] || fail "$t -o /dev/stderr replaced /dev/stderr"
	$t $small 2>/dev/null | cmp -s - "$tmp/err" || fail "$t -o /dev/stderr: not the output"

	# a usage error leaves nothing either
	mkdir "$tmp/o"
	$t -o "$tmp/o/out.tsv" --rejects "$tmp/o/rej.tsv" $usage 2>/dev/null
	rc=$?
	[ $rc = 2 ] || fail "$t -o $usage: exit $rc, want 2"
	[ -z "$(ls "$tmp/o")" ] || fail "$t -o $usage: left $(ls "$tmp/o" | tr '\n' ' ')"
	rm -rf "$tmp/o"

	# nor does a missing input, with --rejects too
	mkdir "$tmp/o"
	$t -o "$tmp/o/out.tsv" --rejects "$tmp/o/rej.tsv" $good "$tmp/no-such-file" 2>"$tmp/err"
	rc=$?
	[ $rc = 3 ] || fail "$t -o --rejects (missing input): exit $rc, want 3"
	[ -z "$(ls "$tmp/o")" ] || fail "$t -o --rejects (missing input): left $(ls "$tmp/o" | tr '\n' ' ')"
	rm -rf "$tmp/o"

	# closed pipe: quiet, exit 0
	{ $t $big 2>"$tmp/err"; echo $? >"$tmp/rc"; } | head -n 1 >/dev/null
	rc=$(cat "$tmp/rc")
	[ "$rc" = 0 ] || fail "$t big | head -1: exit $rc, want 0"
	[ -s "$tmp/err" ] && fail "$t big | head -1: stderr: $(head -n 3 "$tmp/err")"

	# full disk: exit 3, the system's words
	$t $good >/dev/full 2>"$tmp/err"
	rc=$?
	[ $rc = 3 ] || fail "$t >/dev/full: exit $rc, want 3"
	[ "$(cat "$tmp/err")" = "$t: <stdout>: write error: No space left on device" ] ||
		fail "$t >/dev/full: stderr '$(cat "$tmp/err")'"
	# ... also when the output is small enough to sit in a buffer until the end
	$t $small >/dev/full 2>"$tmp/err"
	rc=$?
	[ $rc = 3 ] || fail "$t (3 lines) >/dev/full: exit $rc, want 3"
	grep -q "write error: No space left on device" "$tmp/err" ||
		fail "$t (3 lines) >/dev/full: stderr '$(cat "$tmp/err")'"
done

[ $ntools -gt 0 ] || fail "no tools in $B/bin"
# -o and --rejects onto something that is not a regular file (a FIFO here,
# /dev/null in real use) write into it and leave it what it was
mkfifo "$tmp/fifo"
timeout 20 cat "$tmp/fifo" >"$tmp/fromfifo" &
timeout 20 wy-extract -o "$tmp/fifo" "$tmp/small.csv" 2>"$tmp/err" || fail "wy-extract -o FIFO: $(cat "$tmp/err")"
wait
[ -p "$tmp/fifo" ] || fail "wy-extract -o FIFO: the FIFO was replaced"
[ "$(wc -l <"$tmp/fromfifo")" = 3 ] || fail "wy-extract -o FIFO: wrote $(wc -l <"$tmp/fromfifo") lines, want 3"

echo "conventions.sh: $ntools tools, $nfail failures"
[ $nfail = 0 ]
