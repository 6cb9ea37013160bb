#!/bin/sh
# pipelines/lib/summary.sh [-t TITLE] RUNDIR: the summary of a pipeline run.
#
# RUNDIR holds summary.tsv, a row per stage of each input:
#   stage  input  in  out  rejected  status  rejects  note
# (in, out and rejected from the tool's --stats line, \N when it printed
# none; status its exit status; rejects the path of its rejects file under
# RUNDIR, or \N; note its other messages), and optionally files.tsv, a row
# per input: input  outcome (done or failed)  stage  moved_to.
#
# Writes RUNDIR/summary.html, a page that needs nothing else: inline SVG
# bars of the rows per stage and the rejects per reason, and the first
# rejected rows with their _src; no script, nothing fetched.  Everything
# taken from the data is HTML-escaped, and bytes that are not UTF-8 are
# dropped.  Prints the same totals as text.  Exits 1 when a row breaks
# in = out + rejected, 2 on bad usage, 3 when a file cannot be written.
set -eu
title=wanyi
case ${1:-} in
-t) title=$2; shift 2 ;;
esac
[ $# = 1 ] || { echo "usage: summary.sh [-t TITLE] RUNDIR" >&2; exit 2; }
run=$1
lib=$(cd "$(dirname "$0")" && pwd)
[ -f "$run/summary.tsv" ] || { echo "summary.sh: $run/summary.tsv: no such file" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# copies of the rejects files, without bytes that are not UTF-8
tail -n +2 "$run/summary.tsv" | cut -f 7 | grep -v '^\\N$' | while IFS= read -r rel; do
	mkdir -p "$tmp/rej/$(dirname "$rel")"
	iconv -c -f UTF-8 -t UTF-8 "$run/$rel" >"$tmp/rej/$rel" 2>/dev/null || [ -f "$tmp/rej/$rel" ]
done
# the same for the tables themselves: file names need not be UTF-8
iconv -c -f UTF-8 -t UTF-8 "$run/summary.tsv" >"$tmp/summary.tsv" 2>/dev/null || :
set -- "$tmp/summary.tsv"
if [ -f "$run/files.tsv" ]; then
	iconv -c -f UTF-8 -t UTF-8 "$run/files.tsv" >"$tmp/files.tsv" 2>/dev/null || :
	set -- "$@" "$tmp/files.tsv"
fi
# written beside the page and renamed onto it: never a half page
part=$run/.summary.html.part
status=0
LC_ALL=C awk -v title="$title" -v run="$(basename "$run")" -v rejdir="$tmp/rej" \
    -v html="$part" -f "$lib/summary.awk" "$@" || status=$?
[ "$status" -le 1 ] && [ -s "$part" ] || { rm -f "$part"; exit 3; }
mv -f "$part" "$run/summary.html" || exit 3
exit "$status"
