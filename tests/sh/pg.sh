#!/bin/sh
# tests/sh/pg.sh [COMMAND [ARG...]]: run COMMAND beside a private
# PostgreSQL server, started for it and stopped after it, even when it
# fails or is interrupted.  Exits with COMMAND's status.
#
# The server is Debian's (package postgresql, which `scripts/deps test`
# installs): initdb into a new folder under /tmp, owned by the postgres
# user when we are root (PostgreSQL refuses to run as root), listening on
# no TCP address, only on a unix socket in that folder.  Without the
# package this fails loudly: the tests that need it must not pass unseen.
#
# COMMAND sees PGHOST, PGPORT, PGUSER, PGDATABASE (for psql) and
# WY_PG_URL, a URL for wy-load --db.  PG_OPTS adds server options
# ("-c name=value ..."); by default the server does not fsync (tests
# only), PG_DURABLE=1 keeps PostgreSQL's defaults (benchmarks).
#
# Without COMMAND: a self-check (the server starts, answers, stops), which
# is what tests/run does with this file.
set -u
pgbin=
for d in /usr/lib/postgresql/*/bin; do
	[ -x "$d/initdb" ] && pgbin=$d
done
if [ -z "$pgbin" ]; then
	echo "pg.sh: no PostgreSQL server in /usr/lib/postgresql/*/bin:" \
	    "install the Debian package postgresql (scripts/deps test does)" >&2
	exit 1
fi

# as_pg CMD...: run CMD as the server's owner.
if [ "$(id -u)" = 0 ]; then
	as_pg() { runuser -u postgres -- "$@"; }
else
	as_pg() { "$@"; }
fi

dir=$(mktemp -d /tmp/wy-pg.XXXXXX) || exit 1
[ "$(id -u)" = 0 ] && chown postgres "$dir"
stop() {
	as_pg "$pgbin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1
	rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
[ "${PG_DURABLE:-0}" = 1 ] && fast=
if ! as_pg "$pgbin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
    --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1; then
	echo "pg.sh: initdb failed:" >&2
	cat "$dir/initdb.log" >&2
	exit 1
fi
if ! as_pg "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses='' -c unix_socket_directories='$dir' $fast ${PG_OPTS:-}" \
    start >/dev/null; then
	echo "pg.sh: the server did not start:" >&2
	cat "$dir/server.log" >&2
	exit 1
fi

PGHOST=$dir PGPORT=5432 PGUSER=postgres PGDATABASE=postgres
WY_PG_URL="postgresql:///postgres?host=$dir&user=postgres"
export PGHOST PGPORT PGUSER PGDATABASE WY_PG_URL
if [ $# = 0 ]; then
	v=$("$pgbin/psql" -XAtc 'SELECT 6 * 7') && [ "$v" = 42 ] || {
		echo "pg.sh: the server does not answer (got '$v')" >&2
		exit 1
	}
	echo "pg.sh: PostgreSQL $("$pgbin/postgres" -V | awk '{ print $3 }') answers"
	exit 0
fi
"$@"
