#!/bin/sh
# tests/sh/man.sh: the man pages are lint-clean, complete, and their
# EXAMPLES run as the pages say.
#
#   1. `mandoc -Tlint -W warning` is silent on every man/*.1 and man/*.7.
#   2. Every tool in bin/ (wy-*) has man/TOOL.1, and every long option
#      that `TOOL --help` prints appears in it.
#   3. In the EXAMPLES section of every page, each `.Bd -literal` block is
#      a shell session: a line "$ CMD" is a command, the lines after it
#      (up to the next "$ " line or the end of the block) are what it
#      prints, stdout and stderr together, compared with runs of blanks
#      (TABs of TSV output) squeezed to one space.  A command followed by
#      "$ echo $?" and a number must exit with that number; any other must
#      exit 0.  The commands of a page run in order in one scratch folder
#      where fixtures/ is the repo's, so they may use the files that
#      earlier ones wrote, and write none into the repo.
#      Source escapes \e (backslash) and \& (nothing) are undone; other
#      roff requests must not appear in those blocks.
#
# Run by tests/run (which puts the built tools first on PATH), or alone
# from anywhere after `make`.
top=${top:-$(cd "$(dirname "$0")/../.." && pwd)}
bindir=${B:+$B/bin}
[ -d "${bindir:-/nonexistent}" ] || bindir=$top/bin
PATH=$bindir:$PATH
LC_ALL=C
export PATH LC_ALL
cd "$top" || exit 1

fail=0
bad() {
	echo "man.sh: $*"
	fail=1
}
command -v mandoc >/dev/null 2>&1 || { echo "man.sh: mandoc is not installed"; exit 1; }
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT

# 1. lint
for page in man/*.1 man/*.7; do
	[ -f "$page" ] || continue
	if ! mandoc -Tlint -W warning "$page" >"$work/lint" 2>&1 || [ -s "$work/lint" ]; then
		bad "$page: mandoc -Tlint -W warning is not clean:"
		cat "$work/lint"
	fi
done

# 2. a page per tool, every --help option in it
ntools=0
bs=$(printf '\b')
for tool in "$bindir"/wy-*; do
	[ -x "$tool" ] || continue
	name=${tool##*/}
	ntools=$((ntools + 1))
	page=man/$name.1
	if [ ! -f "$page" ]; then
		bad "$name has no man page $page"
		continue
	fi
	if ! "$name" --help >"$work/help" 2>&1; then
		bad "$name --help exits non-zero"
	fi
	mandoc -Tutf8 "$page" 2>/dev/null | sed "s/.$bs//g" >"$work/page"
	for opt in $(grep -o -- '--[a-z][a-z0-9-]*' "$work/help" | sort -u); do
		grep -Eq -- "$opt([^a-z0-9-]|\$)" "$work/page" ||
			bad "$page does not document $opt (from $name --help)"
	done
done
[ "$ntools" -gt 0 ] || bad "no tools in $bindir: run make first"

# 3. the EXAMPLES: split each page's sessions into N.cmd, N.want, N.rc
squeeze() {
	sed 's/[[:space:]][[:space:]]*/ /g; s/ $//' "$1"
}
nex=0
for page in man/*.1 man/*.7; do
	[ -f "$page" ] || continue
	ex=$work/ex
	rm -rf "$ex" && mkdir "$ex" || exit 1
	awk -v dir="$ex" '
	function unesc(s) {
		gsub(/\\&/, "", s)
		gsub(/\\e/, "\\", s)
		return s
	}
	function fin() {
		if (n > 0) close(dir "/" n ".want")
	}
	/^\.Sh / { inex = ($0 == ".Sh EXAMPLES"); inblock = 0; next }
	!inex { next }
	/^\.Bd -literal/ { inblock = 1; cmd = 0; next }
	/^\.Ed/ { inblock = 0; cmd = 0; next }
	!inblock { next }
	/^[.\047]/ { print "roff request in an example: " $0 > (dir "/error"); next }
	{ line = unesc($0) }
	line == "$ echo $?" { status = 1; next }
	status == 1 && cmd {
		print line > (dir "/" n ".rc"); close(dir "/" n ".rc")
		status = 0; next
	}
	{ status = 0 }
	substr(line, 1, 2) == "$ " {
		fin()
		n++
		cmd = 1
		print substr(line, 3) > (dir "/" n ".cmd"); close(dir "/" n ".cmd")
		printf "" > (dir "/" n ".want")
		next
	}
	cmd { print line > (dir "/" n ".want") }
	END { fin() }
	' "$page"
	if [ -f "$ex/error" ]; then
		bad "$page: $(cat "$ex/error")"
	fi
	scratch=$work/run
	rm -rf "$scratch" && mkdir "$scratch" && ln -s "$top/fixtures" "$scratch/fixtures" || exit 1
	i=1
	while [ -f "$ex/$i.cmd" ]; do
		cmd=$(cat "$ex/$i.cmd")
		want_rc=0
		[ -f "$ex/$i.rc" ] && want_rc=$(cat "$ex/$i.rc")
		(cd "$scratch" && sh -c "$cmd") </dev/null >"$work/got" 2>&1
		rc=$?
		nex=$((nex + 1))
		if [ "$rc" != "$want_rc" ]; then
			bad "$page: \$ $cmd: exit $rc, the page says $want_rc"
			cat "$work/got"
		fi
		squeeze "$work/got" >"$work/got.sq"
		squeeze "$ex/$i.want" >"$work/want.sq"
		if ! cmp -s "$work/got.sq" "$work/want.sq"; then
			bad "$page: \$ $cmd: output differs from the page (- page, + real):"
			diff -u "$work/want.sq" "$work/got.sq" | sed 1,2d
		fi
		i=$((i + 1))
	done
done
[ "$nex" -gt 0 ] || bad "no examples found in man/"

[ "$fail" = 0 ] && echo "man.sh: pages clean, $ntools tools documented, $nex examples run"
exit "$fail"
