#!/bin/sh
# tests/sh/agg-sqlite.sh: wy-agg against sqlite3's GROUP BY, on generated
# data with NULLs (in keys and values), empty keys, decimals, values near
# 2^63 whose sums pass int64, and many groups (100k) or few large ones.
#
# sqlite's sum() overflows past int64 (or turns to floating point), so
# the reference sums are decimal_sum() of the decimal extension that the
# sqlite3 shell carries: exact at any size.  min and max compare with its
# "decimal" collation, median is picked with window functions, first and
# last by rowid.  wy-agg's mean is checked for being sum / count rounded
# half-even to 2 digits: |sum - mean * count| <= count / 200, and on a tie
# the last digit is even.  Prints each failure; exits 1 if any.
. "$(dirname "$0")/lib/test.sh"
command -v sqlite3 >/dev/null 2>&1 || { echo "agg-sqlite.sh: sqlite3 is not installed"; exit 1; }

# gen ROWS K1 K2 SEED: the data of fixtures/agg/gen.awk
gen() {
	awk -v rows="$1" -v k1="$2" -v k2="$3" -v seed="$4" -f "$top/fixtures/agg/gen.awk"
}

# The shortest form of each decimal of the lines: 12.50 -> 12.5, 3.0 -> 3,
# -0 -> 0.
shortest() {
	awk -F '\t' 'BEGIN { OFS = "\t" } {
		for (i = 1; i <= NF; i++)
			if ($i ~ /^-?[0-9]+(\.[0-9]+)?$/) {
				if ($i ~ /\./) {
					sub(/0+$/, "", $i)
					sub(/\.$/, "", $i)
				}
				if ($i == "-0")
					$i = "0"
			}
		print
	}'
}

OPS="count count:v sum:v min:v max:v median:v distinct:t first:t last:t"

# compare NAME FILE: wy-agg and sqlite on FILE.
compare() {
	name=$1 in=$2
	wy-agg -g k1,k2 --sort $OPS "$in" >"$tmp/wy" 2>"$tmp/err" ||
		{ fail "$name: wy-agg: $(cat "$tmp/err")"; return; }
	wy-agg -g k1,k2 --sort mean:v sum:v count:v "$in" >"$tmp/mean" 2>"$tmp/err" ||
		{ fail "$name: wy-agg mean: $(cat "$tmp/err")"; return; }
	sqlite3 "$tmp/db" >"$tmp/sq" 2>"$tmp/err" <<EOF
.mode tabs
.import $in raw
.nullvalue '\N'
CREATE TABLE d (r INTEGER PRIMARY KEY, gk TEXT, k1 TEXT, k2 TEXT, v TEXT, t TEXT);
INSERT INTO d SELECT rowid, coalesce(nullif(k1, '\\N'), '~') || char(9) ||
    coalesce(nullif(k2, '\\N'), '~'), nullif(k1, '\\N'), nullif(k2, '\\N'),
    nullif(v, '\\N'), nullif(t, '\\N') FROM raw;
CREATE INDEX d_gk ON d (gk);
CREATE TABLE m AS SELECT gk, v,
    row_number() OVER (PARTITION BY gk ORDER BY v COLLATE decimal) AS i,
    count(*) OVER (PARTITION BY gk) AS n FROM d WHERE v IS NOT NULL;
CREATE TABLE med (gk TEXT PRIMARY KEY, med TEXT);
INSERT INTO med SELECT gk, CASE WHEN n % 2 = 1
    THEN max(CASE WHEN i = (n + 1) / 2 THEN v END)
    ELSE decimal_mul(decimal_add(max(CASE WHEN i = n / 2 THEN v END),
        max(CASE WHEN i = n / 2 + 1 THEN v END)), '0.5') END
    FROM m GROUP BY gk;
CREATE TABLE fl (gk TEXT PRIMARY KEY, fr INTEGER, lr INTEGER);
INSERT INTO fl SELECT gk, min(r), max(r) FROM d WHERE t IS NOT NULL GROUP BY gk;
SELECT 'k1', 'k2', 'count', 'count_v', 'sum_v', 'min_v', 'max_v', 'median_v',
    'distinct_t', 'first_t', 'last_t';
SELECT k1, k2, count(*), count(v),
    CASE WHEN count(v) > 0 THEN decimal_sum(v) END,
    min(v COLLATE decimal), max(v COLLATE decimal),
    (SELECT med FROM med WHERE med.gk = d.gk),
    count(DISTINCT t),
    (SELECT x.t FROM d x, fl WHERE fl.gk = d.gk AND x.r = fl.fr),
    (SELECT x.t FROM d x, fl WHERE fl.gk = d.gk AND x.r = fl.lr)
    FROM d GROUP BY gk ORDER BY k1 IS NOT NULL, k1, k2 IS NOT NULL, k2;
EOF
	[ $? = 0 ] || { fail "$name: sqlite3: $(head -n 3 "$tmp/err")"; return; }
	shortest <"$tmp/sq" >"$tmp/sq.short"
	if ! cmp -s "$tmp/wy" "$tmp/sq.short"; then
		fail "$name: wy-agg and sqlite differ (< wy-agg, > sqlite):"
		diff "$tmp/wy" "$tmp/sq.short" | head -n 10
	fi
	groups=$(($(wc -l <"$tmp/wy") - 1))
	# mean: sum / count rounded half-even to 2 digits
	sqlite3 "$tmp/db" >"$tmp/meanbad" 2>"$tmp/err" <<EOF
.mode tabs
.import $tmp/mean w
CREATE TEMP VIEW c AS SELECT mean_v AS mean, count_v AS n,
    decimal_sub(sum_v, decimal_mul(mean_v, count_v)) AS d FROM w WHERE count_v > 0;
CREATE TEMP VIEW s AS SELECT mean, n,
    decimal_sub(n, decimal_mul(d, '200')) AS hi, decimal_add(n, decimal_mul(d, '200')) AS lo
    FROM c;
CREATE TEMP VIEW sg AS SELECT mean, n,
    CASE WHEN trim(replace(replace(hi, '-', ''), '.', ''), '0') = '' THEN 0
        WHEN hi LIKE '-%' THEN -1 ELSE 1 END AS hs,
    CASE WHEN trim(replace(replace(lo, '-', ''), '.', ''), '0') = '' THEN 0
        WHEN lo LIKE '-%' THEN -1 ELSE 1 END AS ls FROM s;
SELECT 'not rounded: ' || mean FROM sg WHERE hs < 0 OR ls < 0;
SELECT 'tie not to even: ' || mean FROM sg
    WHERE (hs = 0 OR ls = 0) AND substr(mean, -1) NOT IN ('0', '2', '4', '6', '8');
SELECT 'not 2 digits: ' || mean_v FROM w WHERE mean_v NOT GLOB '*.[0-9][0-9]'
    AND NOT (count_v = 0 AND mean_v = '\\N');
SELECT 'groups: ' || count(*) FROM w;
EOF
	[ $? = 0 ] || { fail "$name: sqlite3 (mean): $(head -n 3 "$tmp/err")"; return; }
	if [ "$(cat "$tmp/meanbad")" != "groups: $groups" ]; then
		fail "$name: mean:"
		head -n 5 "$tmp/meanbad"
	fi
	rm -f "$tmp/db"
	echo "$name: $groups groups compared"
}

gen 300000 2500 50 7 >"$tmp/many.tsv"
compare "100k groups" "$tmp/many.tsv"
gen 100000 3 2 11 >"$tmp/few.tsv"
compare "few large groups" "$tmp/few.tsv"

# the same through --sorted, on input sorted by its keys
body() {
	awk 'NR == 1 { print; next } { print | "LC_ALL=C sort" }'
}
{ head -n 1 "$tmp/few.tsv"; tail -n +2 "$tmp/few.tsv" | LC_ALL=C sort -s -t "$(printf '\t')" -k 1,2; } >"$tmp/sorted.tsv"
wy-agg -g k1,k2 $OPS "$tmp/sorted.tsv" | body >"$tmp/hash"
wy-agg -g k1,k2 --sorted $OPS "$tmp/sorted.tsv" | body >"$tmp/stream"
[ -s "$tmp/hash" ] && cmp -s "$tmp/hash" "$tmp/stream" ||
	fail "--sorted gives other groups than the hash table"

echo "agg-sqlite.sh: $nfail failures"
[ $nfail = 0 ]
