#!/bin/sh
# tests/sh/load-mariadb.sh: the interchange format loads unchanged into
# MySQL/MariaDB with LOAD DATA's defaults (\N is NULL, backslash escapes):
# hostile values (tabs, line ends, backslashes, the text \N, control
# bytes, CJK) and integers past int64 read back byte for byte as SQLite
# has them after wy-load.  Runs a private mariadbd (no TCP, a socket in a
# temporary folder) when the Debian package mariadb-server is installed,
# and is skipped otherwise: installing it would cost CI a minute for one
# test (apt-get install mariadb-server to run it).
top=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-$top/build}
PATH=$B/bin:$PATH:/usr/sbin:/usr/bin
FIX=$top/fixtures/load
export PATH
if ! command -v mariadbd >/dev/null 2>&1 || ! command -v mariadb-install-db >/dev/null 2>&1; then
	echo "load-mariadb.sh: skipped: mariadbd is not installed"
	exit 0
fi
dir=$(mktemp -d /tmp/wy-my.XXXXXX) || exit 1
user=
[ "$(id -u)" = 0 ] && user=--user=mysql && chown mysql "$dir"
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid"; rm -rf "$dir"' EXIT
nfail=0

fail() {
	echo "FAIL: $*"
	nfail=$((nfail + 1))
}

mariadb-install-db --no-defaults $user --datadir="$dir/data" --skip-test-db \
    --auth-root-authentication-method=normal >"$dir/install.log" 2>&1 || {
	cat "$dir/install.log"
	exit 1
}
mariadbd --no-defaults $user --datadir="$dir/data" --socket="$dir/sock" \
    --skip-networking --pid-file="$dir/pid" --log-error="$dir/err.log" \
    --local-infile=1 --character-set-server=utf8mb4 2>"$dir/stderr.log" &
pid=$!
i=0
until mariadb-admin --no-defaults --socket="$dir/sock" -uroot ping >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -lt 300 ] || { cat "$dir/err.log"; exit 1; }
	sleep 0.1
done
my() {
	mariadb --no-defaults --socket="$dir/sock" -uroot --local-infile=1 \
	    --batch --skip-column-names --default-character-set=utf8mb4 t -e "$1"
}
mariadb --no-defaults --socket="$dir/sock" -uroot -e 'CREATE DATABASE t' || exit 1
cd "$FIX" || exit 1

# compare NAME FILE CREATE SELECT-MARIADB SELECT-SQLITE
compare() {
	my "$3" || { fail "$1: create"; return; }
	warnings=$(my "LOAD DATA LOCAL INFILE '$2' INTO TABLE x CHARACTER SET utf8mb4
	    FIELDS TERMINATED BY '\\t' IGNORE 1 LINES; SHOW WARNINGS" 2>&1) ||
	    { fail "$1: LOAD DATA: $warnings"; return; }
	[ -z "$warnings" ] || fail "$1: LOAD DATA warns: $warnings"
	rm -f "$dir/x.db"
	wy-load --db "sqlite:$dir/x.db" --table x "$2" || { fail "$1: wy-load"; return; }
	my "$4" >"$dir/my.out"
	sqlite3 "$dir/x.db" "$5" | tr '|' '\t' >"$dir/lite.out"
	if cmp -s "$dir/my.out" "$dir/lite.out"; then
		echo "$1: same as SQLite after wy-load ($(wc -l <"$dir/my.out") rows x 2)"
	else
		fail "$1: MariaDB and SQLite differ:
$(diff "$dir/lite.out" "$dir/my.out")"
	fi
	my "DROP TABLE x"
}

compare hostile.tsv hostile.tsv \
    "CREATE TABLE x (编号 BIGINT, 名称 TEXT, 说明 TEXT, 金额 TEXT) CHARACTER SET utf8mb4" \
    "SELECT 编号, COALESCE(HEX(名称), 'null'), COALESCE(HEX(说明), 'null'),
    COALESCE(HEX(金额), 'null') FROM x ORDER BY 编号" \
    "SELECT 编号, iif(名称 IS NULL, 'null', hex(名称)), iif(说明 IS NULL, 'null', hex(说明)),
    iif(金额 IS NULL, 'null', hex(金额)) FROM x ORDER BY 编号"
compare bigint.tsv bigint.tsv \
    "CREATE TABLE x (编号 BIGINT, 合计 DECIMAL(40, 0), 比例 DECIMAL(30, 20)) CHARACTER SET utf8mb4" \
    "SELECT 编号, 合计, TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM 比例)) FROM x ORDER BY 编号" \
    "SELECT 编号, 合计, 比例 FROM x ORDER BY 编号"

echo "load-mariadb.sh: $nfail failures"
[ "$nfail" = 0 ]
