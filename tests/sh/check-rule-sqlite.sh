#!/bin/sh
# tests/sh/check-rule-sqlite.sh: wy-check --rule against SQLite, row by row.
#
# Generates ROWS (3000) rows of integers a..d (-1000..1000) and decimals
# x..z (-100..100, up to 2 digits after the point), about 5% NULL, and
# RULES (40 + 40) random rules of + - * unary minus, the six comparisons,
# and, or, parentheses and literals.  Each rule runs through wy-check
# (its rejected lines) and through sqlite3 (the rows where the rule is
# false; NULL, as in a CHECK constraint, is not a failure).  The two sets
# of lines must be equal for every rule.
#
# Integer rules use SQLite's integer arithmetic, exact at these sizes.
# Decimal rules use SQLite's decimal extension (decimal_add, decimal_sub,
# decimal_mul: exact text arithmetic), comparing by the sign of a
# difference, as floating point would not be exact.
top=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-$top/build}
PATH=$B/bin:$PATH
export PATH
rows=${ROWS:-3000}
nrules=${RULES:-40}
seed=${SEED:-20251129}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v sqlite3 >/dev/null || { echo "check-rule-sqlite.sh: no sqlite3"; exit 1; }
sqlite3 :memory: "select decimal_add('0.1','0.2')" 2>/dev/null | grep -qx 0.3 ||
	{ echo "check-rule-sqlite.sh: sqlite3 lacks the decimal extension"; exit 1; }

awk -v rows="$rows" -v nrules="$nrules" -v seed="$seed" -v dir="$tmp" '
function rnd(n) { return int(rand() * n) }
function dec(  v) {
	v = sprintf("%d.%02d", rnd(200) - 100, rnd(100))
	sub(/^-0\./, "-0.", v)
	return v
}
# A numeric expression: W gets its wy-check text, S its SQL (mode "int"
# or "dec").  Returns nothing; results in globals W and S.
function num(depth, mode,   k, lw, ls, rw, rs, c) {
	k = rnd(10)
	if (depth == 0 || k < 4) {
		if (rnd(3)) {
			c = mode == "int" ? substr("abcd", 1 + rnd(4), 1) : substr("abcdxyz", 1 + rnd(7), 1)
			W = c
			S = mode == "int" ? c : "CAST(" c " AS TEXT)"
		} else if (mode == "int" || rnd(2)) {
			W = rnd(2000) - 1000
			S = mode == "int" ? W : "\047" W "\047"
			if (W < 0) { W = "(" W ")"; if (mode == "int") S = "(" S ")" }
		} else {
			W = dec(); S = "\047" W "\047"
			if (W ~ /^-/) W = "(" W ")"
		}
		return
	}
	if (k == 4) {
		num(depth - 1, mode)
		W = "-" W
		S = mode == "int" ? "(-" S ")" : "decimal_sub(\0470\047, " S ")"
		return
	}
	num(depth - 1, mode); lw = W; ls = S
	num(depth - 1, mode); rw = W; rs = S
	c = substr("+-*", 1 + rnd(3), 1)
	W = "(" lw " " c " " rw ")"
	if (mode == "int")
		S = "(" ls " " c " " rs ")"
	else
		S = (c == "+" ? "decimal_add(" : c == "-" ? "decimal_sub(" : "decimal_mul(") ls ", " rs ")"
}
function sign(x) {
	return "(CASE WHEN " x " IS NULL THEN NULL WHEN ltrim(" x ", \047-0.\047) = \047\047 THEN 0 WHEN " x " LIKE \047-%\047 THEN -1 ELSE 1 END)"
}
function cond(depth, mode,   lw, ls, rw, rs, op, sq, k) {
	if (depth == 0 || rnd(2)) {
		num(2, mode); lw = W; ls = S
		num(2, mode); rw = W; rs = S
		k = rnd(6)
		op = k == 0 ? "<" : k == 1 ? "<=" : k == 2 ? "==" : k == 3 ? "!=" : k == 4 ? ">=" : ">"
		sq = op == "==" ? "=" : op == "!=" ? "<>" : op
		W = lw " " op " " rw
		S = mode == "int" ? "(" ls " " sq " " rs ")" : "(" sign("decimal_sub(" ls ", " rs ")") " " sq " 0)"
		return
	}
	cond(depth - 1, mode); lw = W; ls = S
	cond(depth - 1, mode); rw = W; rs = S
	k = rnd(2)
	W = "(" lw (k ? " and " : " or ") rw ")"
	S = "(" ls (k ? " AND " : " OR ") rs ")"
}
BEGIN {
	srand(seed)
	data = dir "/in.tsv"; sql = dir "/load.sql"; rules = dir "/rules"; q = dir "/query.sql"
	print "a\tb\tc\td\tx\ty\tz" > data
	print "CREATE TABLE t (line INTEGER, a INTEGER, b INTEGER, c INTEGER, d INTEGER, x TEXT, y TEXT, z TEXT);" > sql
	print "BEGIN;" > sql
	for (i = 1; i <= rows; i++) {
		line = ""; vals = i + 1
		for (j = 1; j <= 7; j++) {
			v = rnd(20) == 0 ? "NULL" : j <= 4 ? rnd(2001) - 1000 : dec()
			line = line (j > 1 ? "\t" : "") (v == "NULL" ? "\\N" : v)
			vals = vals ", " (v == "NULL" ? v : j <= 4 ? v : "\047" v "\047")
		}
		print line > data
		print "INSERT INTO t VALUES (" vals ");" > sql
	}
	print "COMMIT;" > sql
	for (r = 1; r <= 2 * nrules; r++) {
		mode = r <= nrules ? "int" : "dec"
		cond(2, mode)
		print W > rules
		print "SELECT " r ", line FROM t WHERE NOT " S ";" > q
	}
}'
sqlite3 "$tmp/db" <"$tmp/load.sql" || { echo "check-rule-sqlite.sh: sqlite3 load failed"; exit 1; }
sqlite3 -separator ' ' "$tmp/db" <"$tmp/query.sql" >"$tmp/sqlite.out" ||
	{ echo "check-rule-sqlite.sh: sqlite3 query failed"; exit 1; }

nfail=0 nbad=0 r=0
while IFS= read -r rule; do
	r=$((r + 1))
	rm -f "$tmp/rej"
	wy-check --rule "$rule" --rejects "$tmp/rej" --max-errors "$rows" "$tmp/in.tsv" >/dev/null 2>"$tmp/err"
	rc=$?
	if [ $rc != 0 ]; then
		echo "rule $r: wy-check exit $rc: $rule"
		cat "$tmp/err"
		nfail=$((nfail + 1))
		continue
	fi
	awk -F '\t' -v r=$r 'NR > 1 { print r, $8 }' "$tmp/rej" | sort >"$tmp/wy"
	awk -v r=$r '$1 == r' "$tmp/sqlite.out" | sort >"$tmp/sq"
	nbad=$((nbad + $(wc -l <"$tmp/wy")))
	if ! cmp -s "$tmp/wy" "$tmp/sq"; then
		echo "rule $r differs (< wy-check, > sqlite): $rule"
		diff "$tmp/wy" "$tmp/sq" | head -5
		nfail=$((nfail + 1))
	fi
done <"$tmp/rules"
total=$((r * rows))
echo "check-rule-sqlite.sh: $r rules on $rows rows, $nbad of $total row checks false, $nfail rules differ"
# the rules must test something: some rows fail, most do not fail every rule
[ "$nbad" -gt $((total / 20)) ] && [ "$nbad" -lt $((total * 19 / 20)) ] ||
	{ echo "check-rule-sqlite.sh: the generated rules are too one-sided"; exit 1; }
[ $nfail = 0 ]
