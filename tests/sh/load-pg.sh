#!/bin/sh
# tests/sh/load-pg.sh: wy-load against a real PostgreSQL server, which
# tests/sh/pg.sh starts for this script and stops after it (without the
# Debian package postgresql this fails: it does not skip).  Types inferred
# and from a schema, NULL and empty fields, hostile values read back by
# COPY TO exactly as the TSV has them, integers past int64, identifiers
# that try SQL injection, all or nothing on a bad row and past
# --max-errors, rows the server refuses, re-runs of replace, replace-where
# and upsert that leave the same table, the URL forms.
[ -n "${WY_PG_URL:-}" ] || exec sh "$(dirname "$0")/pg.sh" sh "$0" "$@"
. "$(dirname "$0")/lib/test.sh"
FIX=$top/fixtures/load
ntest=0

# q SQL: run it, rows as a|b|c, NULL empty.
q() {
	psql -XAtq -v ON_ERROR_STOP=1 -c "$1"
}

# same NAME WANT GOT
same() {
	ntest=$((ntest + 1))
	[ "$2" = "$3" ] || fail "$1: want
$2
got
$3"
}

# load WANT_RC ARGS...: run wy-load on the server, stderr in $tmp/err.
load() {
	want=$1
	shift
	wy-load --db "$WY_PG_URL" "$@" 2>"$tmp/err"
	rc=$?
	ntest=$((ntest + 1))
	[ "$rc" = "$want" ] || fail "wy-load $*: exit $rc, want $want: $(cat "$tmp/err")"
}

cd "$FIX" || exit 1

# Types inferred from the data; NULL is NULL, an empty field NULL in a
# typed column and '' in a text column.
load 0 --table 低保 people.tsv
same "inferred types" "地区|text
年份|bigint
人数|bigint
金额|numeric
日期|date
备注|text" "$(q "SELECT column_name, data_type FROM information_schema.columns
    WHERE table_name = '低保' ORDER BY ordinal_position")"
same "values and NULLs" "雁塔区|2025|13200|3560.4|2025-03-01|'全年'
碑林区|2025|8126|2184.75|2025-03-01|''
莲湖区|2025|NULL|1296.10|2025-03-01|NULL
长安区|2024|20600|NULL|2024-12-31|'未报'" "$(q "SELECT 地区, 年份, coalesce(人数::text, 'NULL'),
    coalesce(金额::text, 'NULL'), 日期, quote_nullable(备注) FROM 低保 ORDER BY ctid")"

# Types from a schema.
load 0 --table 低保2 --schema schema.tsv people.tsv
same "schema types" "text integer bigint numeric date text" \
    "$(q "SELECT data_type FROM information_schema.columns
    WHERE table_name = '低保2' ORDER BY ordinal_position" | tr '\n' ' ' | sed 's/ $//')"
printf 'field\ttype\nb\tboolean\nts\tdatetime\nym\tyearmonth\ny\tyear\n' >"$tmp/s.tsv"
printf 'b\tts\tym\ty\nTrue\t2025-03-01T08:30:00\t2025-03\t2025\n0\t2025-03-01 08:30:00.5Z\t\t\\N\nyes\t2025-03-01\t2025-13\t25\n' |
    load 0 --table types --schema "$tmp/s.tsv" --rejects "$tmp/rej" --max-errors 1
same "boolean, datetime, yearmonth, year" "t|2025-03-01 08:30:00|2025-03|2025
f|2025-03-01 08:30:00.5||" "$(q "SELECT b, ts, ym, y FROM types ORDER BY ctid")"
same "their types" "boolean timestamp without time zone text integer" \
    "$(q "SELECT data_type FROM information_schema.columns
    WHERE table_name = 'types' ORDER BY ordinal_position" | tr '\n' ' ' | sed 's/ $//')"

# Hostile values: COPY TO gives back the very lines of the TSV.
load 0 --table hostile hostile.tsv
psql -XAtq -c '\copy (SELECT * FROM hostile ORDER BY 编号) TO STDOUT' >"$tmp/copy"
tail -n +2 hostile.tsv >"$tmp/want"
ntest=$((ntest + 1))
cmp -s "$tmp/copy" "$tmp/want" || fail "hostile values: COPY TO differs: $(diff "$tmp/want" "$tmp/copy")"
same "\\N as text, NULL as NULL, empty as ''" "4|3|8" \
    "$(q "SELECT (SELECT 编号 FROM hostile WHERE 名称 = E'\\\\N'),
    (SELECT 编号 FROM hostile WHERE 金额 IS NULL), (SELECT 编号 FROM hostile WHERE 金额 = '')")"

# Integers past int64 are numeric, exact.
load 0 --table big bigint.tsv
same "past int64" "numeric|numeric
9223372036854775807|0.123456789012345
123456789012345678901234567890|0.1234567890123456789
-9223372036854775809|1" "$(q "SELECT pg_typeof(合计), pg_typeof(比例) FROM big LIMIT 1;
    SELECT 合计, 比例 FROM big ORDER BY 编号")"

# Identifiers that try SQL injection are names.
q "CREATE TABLE victim (x int); INSERT INTO victim VALUES (42)"
load 0 --table 't"; DROP TABLE victim; --' injection.tsv
same "injection: victim" 42 "$(q "SELECT x FROM victim")"
same "injection: columns" 'x"; DROP TABLE victim; --|"|SELECT|ok
1|2|3|4' "$(q "SELECT string_agg(column_name, '|' ORDER BY ordinal_position)
    FROM information_schema.columns WHERE table_name = 't\"; DROP TABLE victim; --';
    SELECT * FROM \"t\"\"; DROP TABLE victim; --\"")"

# All or nothing: a bad row stops the run and leaves the table as it was;
# a new table is not created.
load 1 --table 低保2 bad-rows.tsv
same "bad row: message" 'wy-load: bad-rows.tsv:3: field 人数: "三千" is not an integer' "$(cat "$tmp/err")"
same "bad row: table unchanged" 4 "$(q "SELECT count(*) FROM 低保2")"
load 1 --table 新表 bad-rows.tsv
same "bad row: no new table" "" "$(q "SELECT to_regclass('新表')")"
load 1 --table 低保2 --rejects "$tmp/rej" --max-errors 2 bad-rows.tsv
same "past --max-errors: table unchanged" 4 "$(q "SELECT count(*) FROM 低保2")"
load 0 --table 低保2 --rejects "$tmp/rej" --max-errors 3 --stats bad-rows.tsv
same "rejects: the rest loaded" "6|3" "$(q "SELECT count(*) FROM 低保2")|$(($(wc -l <"$tmp/rej") - 1))"
same "rejects: stats" "wy-load: in 5, out 2, rejected 3" "$(cat "$tmp/err")"

# A row the server refuses (a unique key) stops the run: nothing loaded.
q "CREATE TABLE uniq (地区 text PRIMARY KEY, 年份 int)"
printf '地区\t年份\n雁塔区\t2024\n' | load 0 --table uniq
printf '地区\t年份\n碑林区\t2025\n雁塔区\t2025\n' | load 1 --table uniq
same "refused by the server" "雁塔区|2024" "$(q "SELECT * FROM uniq")"
grep -q 'duplicate key value violates unique constraint' "$tmp/err" ||
	fail "refused by the server: message $(cat "$tmp/err")"

# Values checked against an existing table's types before COPY.
q "CREATE TABLE small (n integer, d date)"
printf 'n\td\n1\t2025-01-01\n2147483648\t2025-01-01\n3\t2025-02-30\n' |
    load 0 --table small --rejects "$tmp/rej" --max-errors 2
same "int4 and date columns" "1" "$(q "SELECT n FROM small")"
same "their rejects" 'field n: "2147483648" is beyond int32
field d: "2025-02-30" is not a date (2025-03-01)' "$(cut -f 4 "$tmp/rej" | tail -n +2)"
load 2 --table small people.tsv
same "a column the table lacks" "wy-load: postgresql: table small has no column 地区" "$(cat "$tmp/err")"

# Re-runs: replace, replace-where, upsert leave the same table.
load 0 --table r --mode replace people.tsv
load 0 --table r --mode replace people.tsv
same "replace twice" 4 "$(q "SELECT count(*) FROM r")"
load 0 --table r --mode replace period-2025.tsv
same "replace" "雁塔区|13250 碑林区|8130 莲湖区|5473" \
    "$(q "SELECT 地区, 人数 FROM r ORDER BY ctid" | tr '\n' ' ' | sed 's/ $//')"
load 0 --table p periods.tsv
load 0 --table p --replace-where 年份=2025 period-2025.tsv
load 0 --table p --replace-where 年份=2025 period-2025.tsv
same "replace-where twice" "2024|碑林区|8000 2024|雁塔区|13000 2025|碑林区|8130 2025|莲湖区|5473 2025|雁塔区|13250" \
    "$(q "SELECT 年份, 地区, 人数 FROM p ORDER BY 年份, 地区 COLLATE \"C\"" | tr '\n' ' ' | sed 's/ $//')"
load 1 --table p --replace-where 年份=2025 period-2025-stray.tsv
same "replace-where: a stray year stops it" 5 "$(q "SELECT count(*) FROM p")"
load 0 --table u --mode upsert --key 地区,年份 upsert-1.tsv
load 0 --table u --mode upsert --key 地区,年份 upsert-2.tsv
load 0 --table u --mode upsert --key 地区,年份 upsert-2.tsv
same "upsert twice, the last row of a key wins" "碑林区|2025|8130|修订 莲湖区|2025|5480|再订 雁塔区|2025|13200|初报" \
    "$(q "SELECT * FROM u ORDER BY 地区 COLLATE \"C\"" | tr '\n' ' ' | sed 's/ $//')"
load 2 --table 低保 --mode upsert --key 地区,年份 upsert-2.tsv
grep -q 'needs a UNIQUE constraint' "$tmp/err" || fail "upsert without a unique key: $(cat "$tmp/err")"

# --src, and the URL forms.
load 0 --table s --schema schema.tsv --src people.tsv
same "--src" "people.tsv:2" "$(q "SELECT _src FROM s ORDER BY ctid LIMIT 1")"
wy-load --db "postgres://postgres@/postgres?host=$PGHOST" --table url1 people.tsv ||
	fail "postgres:// URL"
wy-load --db "postgresql:host=$PGHOST user=postgres dbname=postgres" --table url2 people.tsv ||
	fail "postgresql:key=value URL"
same "URL forms" "4|4" "$(q "SELECT (SELECT count(*) FROM url1), (SELECT count(*) FROM url2)")"
wy-load --db "postgresql:///postgres?host=$tmp/nowhere" --table t people.tsv 2>"$tmp/err"
same "cannot connect: exit" 3 $?
grep -q '^wy-load: postgresql: cannot connect: ' "$tmp/err" || fail "cannot connect: $(cat "$tmp/err")"
long=$(printf 'c%.0s' $(seq 64))
printf '%s\n1\n' "$long" | load 1 --table longname
same "a name PostgreSQL would cut" "wy-load: postgresql: column name $long is longer than 63 bytes" "$(cat "$tmp/err")"

# A bigger load, in several COPY pieces.
awk 'BEGIN { print "id\tv\tt"; for (i = 1; i <= 200000; i++) printf "%d\t%d.%02d\t行%d\\t尾\n", i, i, i % 100, i }' >"$tmp/big.tsv"
load 0 --table bigload "$tmp/big.tsv"
same "200000 rows" "200000|20000100000|20000199000.00|行200000	尾" \
    "$(q "SELECT count(*), sum(id), sum(v), (SELECT t FROM bigload WHERE id = 200000) FROM bigload")"

echo "load-pg.sh: $ntest checks, $nfail failures"
[ "$nfail" = 0 ]
