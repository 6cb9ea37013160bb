# make install PREFIX=... puts every tool and man page in place, and the
# installed tools run.
set -eu
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
make -s -C "$top" install B="$B" PREFIX="$d" >/dev/null
for t in "$B"/bin/wy-*; do
	n=${t##*/}
	test -x "$d/bin/$n" || { echo "not installed: bin/$n"; exit 1; }
	test -f "$d/share/man/man1/$n.1" || { echo "not installed: man1/$n.1"; exit 1; }
	"$d/bin/$n" --version | grep -q "^$n (wanyi) " || { echo "$n --version"; exit 1; }
done
