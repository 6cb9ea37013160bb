#!/bin/sh
# tests/sh/pipeline-pg.sh: pipelines/civil-affairs-nightly with --db on a
# real PostgreSQL server (tests/sh/pg.sh starts a private one for this
# script): the table it loads there holds the same rows as the one it
# loads into SQLite from the same files; the same files sent again leave
# it the same (upsert through COPY and ON CONFLICT).
[ -n "${WY_PG_URL:-}" ] || exec sh "$(dirname "$0")/pg.sh" sh "$0" "$@"
. "$(dirname "$0")/lib/test.sh"
FIX=$top/fixtures/nightly
nightly=$top/pipelines/civil-affairs-nightly
WY_MIN_AGE=0
export WY_MIN_AGE

# night NAME DB: a run on the CSV fixtures in $tmp/NAME into DB.
night() {
	mkdir -p "$tmp/$1/inbox"
	cp "$FIX"/*.csv "$FIX"/*.txt "$tmp/$1/inbox/"
	bash "$nightly" --db "$2" "$tmp/$1/inbox" >"$tmp/out" 2>&1 ||
		fail "$1: exit $?: $(cat "$tmp/out")"
}

rows='SELECT 月份, 区县, 项目, sum_金额, sum_人数, sum_户数, count FROM civil_affairs'
night lite "sqlite:$tmp/stats.db"
sqlite3 "$tmp/stats.db" "$rows" | LC_ALL=C sort >"$tmp/want"
[ "$(wc -l <"$tmp/want")" -gt 8 ] || fail "too few rows in SQLite"
night pg "$WY_PG_URL"
psql -XAtq -v ON_ERROR_STOP=1 -c "$rows" | LC_ALL=C sort >"$tmp/got"
cmp -s "$tmp/want" "$tmp/got" || fail "PostgreSQL and SQLite differ: $(diff "$tmp/want" "$tmp/got")"
[ "$(psql -XAtq -c "SELECT data_type FROM information_schema.columns
    WHERE table_name = 'civil_affairs' AND column_name = 'sum_金额'")" = bigint ] ||
	fail "sum_金额 is not bigint: the table schema was not used"
night pg2 "$WY_PG_URL"
psql -XAtq -v ON_ERROR_STOP=1 -c "$rows" | LC_ALL=C sort >"$tmp/got"
cmp -s "$tmp/want" "$tmp/got" || fail "the files sent again changed the table: $(diff "$tmp/want" "$tmp/got")"

echo "pipeline-pg.sh: $nfail failures"
[ $nfail = 0 ]
