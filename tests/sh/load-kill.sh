#!/bin/sh
# tests/sh/load-kill.sh: kill -9 wy-load half way through a big load, into
# SQLite and into PostgreSQL (a private server from tests/sh/pg.sh), in
# append and in replace mode: the table must be as it was.  The input
# comes through a FIFO whose writer stops before the end, so that wy-load
# is surely in the middle: rows already in SQLite's WAL, or already
# counted by the server's COPY progress, when it is killed.
[ -n "${WY_PG_URL:-}" ] || exec sh "$(dirname "$0")/pg.sh" sh "$0" "$@"
. "$(dirname "$0")/lib/test.sh"
feeder=
trap '[ -n "$feeder" ] && kill $feeder 2>/dev/null; rm -rf "$tmp"' EXIT

# 300000 rows, then the writer waits: the load cannot end by itself.
feed() {
	rm -f "$tmp/fifo"
	mkfifo "$tmp/fifo" || exit 1
	(awk 'BEGIN { print "id\ttxt"
		for (i = 1; i <= 300000; i++) printf "%d\t第%d行 some text\n", 1000 + i, i }'
	exec sleep 120) >"$tmp/fifo" &
	feeder=$!
}

# kill_when WHAT CMD: poll CMD (prints a number) until it is > 0, then
# kill -9 the load in $pid and reap it.
kill_when() {
	i=0
	while [ "$i" -lt 300 ]; do
		n=$(eval "$2" 2>/dev/null)
		[ "${n:-0}" -gt 0 ] && break
		sleep 0.1
		i=$((i + 1))
	done
	[ "${n:-0}" -gt 0 ] || fail "$1: the load never got going"
	kill -9 "$pid"
	wait "$pid"
	rc=$?
	[ "$rc" = 137 ] || fail "$1: wy-load ended with $rc before it was killed"
	kill "$feeder" 2>/dev/null
	wait "$feeder" 2>/dev/null
	feeder=
	echo "$1: killed after $n"
}

# SQLite: three rows, then a load killed while its pages are in the WAL.
for mode in append replace; do
	db=$tmp/k-$mode.db
	printf 'id\ttxt\n1\tone\n2\ttwo\n3\tthree\n' | wy-load --db "sqlite:$db" --table k ||
		fail "sqlite $mode: first load"
	feed
	wy-load --db "sqlite:$db" --table k --mode "$mode" "$tmp/fifo" &
	pid=$!
	kill_when "sqlite $mode" "[ \$(stat -c %s '$db-wal') -gt 2000000 ] && echo 1"
	got=$(sqlite3 "$db" 'PRAGMA integrity_check' 'SELECT count(*), sum(id) FROM k')
	[ "$got" = "ok
3|6" ] || fail "sqlite $mode: after kill -9: $got"
done

# PostgreSQL: the same, killed while the server's COPY has taken rows.
for mode in append replace; do
	t=k_$mode
	printf 'id\ttxt\n1\tone\n2\ttwo\n3\tthree\n' | wy-load --db "$WY_PG_URL" --table "$t" ||
		fail "postgresql $mode: first load"
	feed
	wy-load --db "$WY_PG_URL" --table "$t" --mode "$mode" "$tmp/fifo" &
	pid=$!
	kill_when "postgresql $mode" "psql -XAtc 'SELECT coalesce(sum(tuples_processed), 0) FROM pg_stat_progress_copy'"
	# the server sees the client gone and rolls back
	i=0
	while [ "$(psql -XAtc "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'wy-load'")" != 0 ] &&
	    [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	got=$(psql -XAtc "SELECT count(*), sum(id) FROM $t")
	[ "$got" = "3|6" ] || fail "postgresql $mode: after kill -9: $got"
done

echo "load-kill.sh: $nfail failures"
[ "$nfail" = 0 ]
