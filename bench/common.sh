# bench/common.sh: what bench/extract and bench/norm share.  Sourced, not run.
#
# Every tool of a benchmark runs RUNS times (default 3), the tools taking
# turns round by round so that a noisy minute on this shared machine hurts
# them alike; a tool's time is its best run (with the CPU seconds, user +
# system, of that run), its memory the largest peak RSS of its runs (GNU
# time's %M).

root=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-3}
load0=$(cut -d ' ' -f 1-3 /proc/loadavg)
tools=
status=0

die() {
	echo "$prog: $*" >&2
	exit 1
}

# The Debian packages of `scripts/deps bench`, unless their commands are
# already here (a node from elsewhere brings its own npm, and Debian's npm
# package would then refuse to install).
need_commands() {
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || {
			"$root/scripts/deps" bench || exit 3
			return
		}
	done
}

# A temporary folder, removed however we end.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wy-bench.XXXXXX") || exit 3
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# npm packages into $tmp/npm.
npm_install() {
	mkdir -p "$tmp/npm" &&
	(cd "$tmp/npm" && echo '{"private":true}' >package.json &&
	    npm install --no-audit --no-fund --loglevel=error "$@" >&2) ||
	    die "npm install $* failed"
}

# Quote a word for sh.
q() {
	printf "'%s'" "$(printf %s "$1" | sed "s/'/'\\\\''/g")"
}

# tool ID LABEL COMMAND: a contender; COMMAND (sh text, stdout its output)
# is what the results file shows, run as is.
tool() {
	tools="$tools $1"
	eval "label_$1=\$2 cmd_$1=\$3 best_$1= rss_$1=0 failed_$1="
}

# Run every tool `runs` times; stdout of ID goes to $tmp/out.ID.
run_all() {
	r=1
	while [ "$r" -le "$runs" ]; do
		for id in $tools; do
			eval "cmd=\$cmd_$id"
			t0=$(date +%s%N)
			if ! eval "/usr/bin/time -f '%M %U %S' -o \"\$tmp/rss\" $cmd" >"$tmp/out.$id"; then
				echo "$prog: $id failed: $cmd" >&2
				eval "failed_$id=1"
				status=1
			fi
			t1=$(date +%s%N)
			ns=$((t1 - t0))
			set -- $(tail -n 1 "$tmp/rss")
			kib=$1
			cpu=$(echo "$2 $3" | awk '{ print $1 + $2 }')
			eval "b=\$best_$id m=\$rss_$id"
			[ -z "$b" ] || [ "$ns" -lt "$b" ] && eval "best_$id=$ns cpu_$id=$cpu"
			[ "$kib" -gt "$m" ] && eval "rss_$id=$kib"
			printf '%s: run %d: %-14s %6.2f s\n' "$prog" "$r" "$id" \
			    "$(echo "$ns" | awk '{ print $1 / 1e9 }')" >&2
		done
		r=$((r + 1))
	done
}

# The header of a results file.
about() {
	echo "# $1, $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "machine: $(uname -m), $(nproc) cores" \
	    "($(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | sed 1q))," \
	    "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)," \
	    "shared and noisy"
	echo "wanyi: $(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown)," \
	    "cc: $(${CC:-cc} --version 2>/dev/null | sed 1q)"
	echo "each tool run $runs times, taking turns; time = best run (wall)," \
	    "memory = largest peak RSS (GNU time %M)"
	echo "load average at the start: $load0$(echo "$load0" | awk -v n="$(nproc)" \
	    '$1 > n / 2 { printf " (busy: tools that use several cores lose them)" }')"
}

# A line for each tool of ID... that failed a run.
failures() {
	for id in "$@"; do
		eval "f=\$failed_$id l=\$label_$id"
		[ -z "$f" ] || echo "$l FAILED (see the messages above): do not trust its line"
	done
}
