# tests/sh/lib/test.sh: how a test script begins, sourced by each
# (. "$(dirname "$0")/lib/test.sh"): $top, the tools of $B (default
# build/) first on PATH, a temporary folder $tmp removed at exit (a
# script that sets its own EXIT trap removes it there), and
# fail MESSAGE, which prints it and counts it in $nfail, and expect.  A
# script ends with [ "$nfail" = 0 ], its exit status.
top=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-$top/build}
PATH=$B/bin:$PATH
export PATH
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
nfail=0

fail() {
	echo "FAIL: $*"
	nfail=$((nfail + 1))
}

# expect STATUS NAME COMMAND...: run COMMAND, its stdout in $tmp/out and
# stderr in $tmp/err; fail NAME unless it exits with STATUS (in $rc).
expect() {
	x_want=$1 x_name=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ "$rc" = "$x_want" ] || fail "$x_name: exit $rc, want $x_want: $(cat "$tmp/out" "$tmp/err" | head -n 20)"
}
