#!/bin/sh
# tests/sh/facts-samples.sh: wy-facts against facts read by hand.
#
# Each tests/facts-expected/NAME.tsv lists, with a header, the facts a
# reader finds in the document NAME: sent, text, value, unit, qual, kind.
# The document is fixtures/facts/NAME.txt or NAME.html (read with --html),
# or, for the real samples, ../shared/samples/NAME.txt beside the repo
# (skipped, and said so, when it is not there).  A fact counts as found
# when wy-facts writes a row with the same six fields; recall is found /
# expected, precision found / written.  Prints both per document and
# overall, the facts missed and the rows not expected, and fails when
# overall recall < 98% or precision < 95%.
. "$(dirname "$0")/lib/test.sh"
samples=$top/../shared/samples

: >"$tmp/counts"
for want in "$top"/tests/facts-expected/*.tsv; do
	name=$(basename "$want" .tsv)
	if [ -f "$top/fixtures/facts/$name.txt" ]; then
		set -- "$top/fixtures/facts/$name.txt"
	elif [ -f "$top/fixtures/facts/$name.html" ]; then
		set -- --html "$top/fixtures/facts/$name.html"
	elif [ -f "$samples/$name.txt" ]; then
		set -- "$samples/$name.txt"
	else
		echo "facts: $name: skipped: no $samples/$name.txt"
		continue
	fi
	if ! wy-facts "$@" >"$tmp/out" 2>"$tmp/err"; then
		echo "facts: $name: wy-facts failed: $(cat "$tmp/err")"
		exit 1
	fi
	cut -f 2,5-9 "$tmp/out" | tail -n +2 >"$tmp/got"
	tail -n +2 "$want" >"$tmp/want"
	# multiset match: a row found as often as it is expected
	awk -F '\t' -v name="$name" -v counts="$tmp/counts" '
	FNR == NR { want[$0]++; nwant++; next }
	{
		ngot++
		if (want[$0] > 0) { want[$0]--; found++ } else extra[++nextra] = $0
	}
	END {
		printf "facts: %s: recall %.1f%% (%d/%d), precision %.1f%% (%d/%d)\n",
		    name, nwant ? 100 * found / nwant : 100, found, nwant,
		    ngot ? 100 * found / ngot : 100, found, ngot
		for (k in want)
			for (i = 0; i < want[k]; i++)
				print "  missed: " k
		for (i = 1; i <= nextra; i++)
			print "  not expected: " extra[i]
		print found, nwant, ngot >>counts
	}' "$tmp/want" "$tmp/got"
done
awk '{ found += $1; nwant += $2; ngot += $3 }
END {
	r = nwant ? 100 * found / nwant : 0
	p = ngot ? 100 * found / ngot : 0
	printf "facts: recall %.1f%% (%d/%d), precision %.1f%% (%d/%d)\n",
	    r, found, nwant, p, found, ngot
	if (nwant == 0) { print "facts: no documents"; exit 1 }
	if (r < 98) { print "facts: recall below 98%"; exit 1 }
	if (p < 95) { print "facts: precision below 95%"; exit 1 }
}' "$tmp/counts"
