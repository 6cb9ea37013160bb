# pipelines/lib/common.sh: what the pipelines share; sourced by bash.
#
# A pipeline sets `prog` and the defaults of `inbox` and `table`, then
# calls, in order:
#   parse_options "$@"  the options and environment every pipeline takes
#   setup_dirs         inbox, runs, done, failed: made absolute and created
#   find_tools         the wy-* tools: those on PATH, else this tree's bin/
#   lock_inbox         one run per inbox: another one running ends this one
#   pick_inputs        the files of the inbox to read, into `inputs`
#   start_run          the run folder RUNS/<date>T<time>-<pid>/
#   stage ...          each stage of each input (summary.tsv rows)
#   settle NAME OUTCOME STAGE
#                      moves an input to done/ or failed/ (files.tsv rows)
#   finish_run         summary.tsv, summary.html, the text summary; exits
#
# Variables: inbox runs done_dir failed_dir min_age max_errors, and after
# start_run: run (the run folder), run_id.

lib=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
nfailed=0

warn() {
	printf '%s: %s\n' "$prog" "$*" >&2
}

# die STATUS MESSAGE: the run cannot go on.
die() {
	local status=$1
	shift
	warn "$*"
	exit "$status"
}

# tsv_field TEXT: TEXT escaped as a field of the interchange format.
tsv_field() {
	local s=$1
	s=${s//\\/\\\\}
	s=${s//$'\t'/\\t}
	s=${s//$'\n'/\\n}
	s=${s//$'\r'/\\r}
	printf '%s' "$s"
}

# is_count TEXT: TEXT is a whole number (an option's value).
is_count() {
	[[ $1 =~ ^[0-9]+$ ]]
}

# absolute DIR: DIR, created when missing, as an absolute path.
absolute() {
	mkdir -p -- "$1" || die 3 "$1: cannot create"
	(cd -- "$1" && pwd -P) || die 3 "$1: cannot enter"
}

# usage [STATUS]: the options of every pipeline; exits STATUS (2: on
# standard error).
usage() {
	local status=${1:-2}
	[ "$status" = 0 ] || exec >&2
	cat <<EOF
usage: $prog [--db URL] [--table NAME] [--runs DIR] [--done DIR] [--failed DIR]
       [--max-errors N] [--min-age SECONDS] [INBOX]
  INBOX            where files arrive (\$WY_INBOX; $inbox)
  --db URL         sqlite:PATH or postgresql://... (\$WY_DB; sqlite:INBOX/../stats.db)
  --table NAME     the table (\$WY_TABLE; $table)
  --runs DIR       run folders (\$WY_RUNS; INBOX/../runs)
  --done DIR       inputs loaded (\$WY_DONE; INBOX/../done)
  --failed DIR     inputs a stage failed on (\$WY_FAILED; INBOX/../failed)
  --max-errors N   rows each stage may reject in an input (\$WY_MAX_ERRORS; 10)
  --min-age S      leave files younger than S seconds (\$WY_MIN_AGE; 60)
EOF
	exit "$status"
}

# parse_options ARGS: the options and environment above, over the
# defaults of `inbox` and `table` that the pipeline set.
parse_options() {
	db=${WY_DB:-}
	runs=${WY_RUNS:-} done_dir=${WY_DONE:-} failed_dir=${WY_FAILED:-}
	max_errors=${WY_MAX_ERRORS:-10} min_age=${WY_MIN_AGE:-60}
	local operands=()
	while [ $# -gt 0 ]; do
		case $1 in
		--db | --table | --runs | --done | --failed | --max-errors | --min-age)
			[ $# -ge 2 ] || usage
			case $1 in
			--db) db=$2 ;;
			--table) table=$2 ;;
			--runs) runs=$2 ;;
			--done) done_dir=$2 ;;
			--failed) failed_dir=$2 ;;
			--max-errors) max_errors=$2 ;;
			--min-age) min_age=$2 ;;
			esac
			shift 2 ;;
		-h | --help) usage 0 ;;
		--) shift; operands+=("$@"); break ;;
		-?*) warn "unknown option $1"; usage ;;
		*) operands+=("$1"); shift ;;
		esac
	done
	[ ${#operands[@]} -le 1 ] || usage
	[ ${#operands[@]} = 0 ] || inbox=${operands[0]}
	is_count "$max_errors" || die 2 "--max-errors: not a number: $max_errors"
	is_count "$min_age" || die 2 "--min-age: not a number: $min_age"
	local base
	base=$(dirname -- "$inbox")
	db=${db:-sqlite:$base/stats.db}
	runs=${runs:-$base/runs} done_dir=${done_dir:-$base/done}
	failed_dir=${failed_dir:-$base/failed}
}

setup_dirs() {
	[ -d "$inbox" ] || die 2 "$inbox: no such folder (the inbox)"
	inbox=$(absolute "$inbox")
	runs=$(absolute "$runs")
	done_dir=$(absolute "$done_dir")
	failed_dir=$(absolute "$failed_dir")
}

find_tools() {
	command -v wy-extract >/dev/null 2>&1 || PATH=$lib/../../bin:$PATH
	local tool
	for tool in "$@"; do
		command -v "$tool" >/dev/null 2>&1 ||
			die 3 "$tool: not found on PATH (make, or make install)"
	done
}

# lock_inbox: hold the inbox's lock (flock on INBOX/.PROG.lock) until this
# process and its children end, so that two cron runs never overlap.
# When another run holds it, say so and exit 0: that run does the work.
lock_inbox() {
	local lock=$inbox/.$prog.lock
	exec 9<>"$lock" || die 3 "$lock: cannot open"
	if ! flock -n 9; then
		warn "another run holds $lock ($(head -c 200 "$lock" | tr -d '\n')): not running"
		exit 0
	fi
	printf 'pid %s since %s\n' "$$" "$(date '+%Y-%m-%d %H:%M:%S')" >"$lock"
}

# pick_inputs: `inputs`, the names of the inbox's files to read, sorted:
# regular files, not hidden, not partial (.part .tmp ~), and older than
# min_age seconds, so that a file still being copied in waits for the
# next run.
pick_inputs() {
	local wanted=(-mindepth 1 -maxdepth 1 -type f ! -name '.*' ! -name '*.part'
	    ! -name '*.tmp' ! -name '*~') old=() young=0
	if [ "$min_age" -gt 0 ]; then
		old=(! -newermt "@$(($(date +%s) - min_age))")
		young=$(find "$inbox" "${wanted[@]}" ! \( "${old[@]}" \) -printf . | wc -c)
	fi
	mapfile -d '' inputs < <(find "$inbox" "${wanted[@]}" "${old[@]}" -printf '%f\0' |
	    LC_ALL=C sort -z)
	[ "$young" = 0 ] ||
		warn "$young file(s) in $inbox younger than $min_age s: left for the next run"
}

start_run() {
	run_id=$(date '+%Y-%m-%dT%H%M%S')-$$
	run=$runs/$run_id
	mkdir -- "$run" || die 3 "$run: cannot create"
	printf 'stage\tinput\tin\tout\trejected\tstatus\trejects\tnote\n' >"$run/.summary.tsv"
	printf 'input\toutcome\tstage\tmoved_to\n' >"$run/.files.tsv"
}

# stage STAGE INPUT PREFIX CMD...: run one stage of one input (INPUT is
# "*" for a stage of all inputs).  CMD writes its rejects to
# PREFIX.rejects.tsv; its standard error goes to PREFIX.log, whose --stats
# line and other messages make a row of summary.tsv with CMD's status.
# Returns CMD's status.
stage() {
	local name=$1 input=$2 prefix=$3 status=0 counts note rejects
	shift 3
	"$@" 2>"$prefix.log" || status=$?
	counts=$(sed -n 's/^wy-[a-z]*: in \([0-9]*\), out \([0-9]*\), rejected \([0-9]*\)$/\1\t\2\t\3/p' \
	    "$prefix.log" | tail -n 1)
	[ -n "$counts" ] || counts=$'\\N\t\\N\t\\N'
	note=$(grep -v -e '^wy-[a-z]*: in [0-9]*, out [0-9]*, rejected [0-9]*$' \
	    -e "^Try '" "$prefix.log" | head -n 5 | sed 's/^wy-[a-z]*: //' |
	    awk 'NR > 1 { printf "; " } { printf "%s", $0 }' | head -c 600 |
	    iconv -c -f UTF-8 -t UTF-8 || true)
	rejects='\N'
	[ -f "$prefix.rejects.tsv" ] && rejects=${prefix#"$run"/}.rejects.tsv
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$(tsv_field "$input")" "$counts" \
	    "$status" "$rejects" "$(tsv_field "$note")" >>"$run/.summary.tsv"
	return "$status"
}

# in_dir DIR CMD...: run CMD in DIR, so that _src names the file alone.
in_dir() {
	local dir=$1
	shift
	(cd -- "$dir" && exec "$@")
}

# settle NAME OUTCOME STAGE: move the input NAME of the inbox to
# done/RUN_ID/ or failed/RUN_ID/ (OUTCOME done or failed; STAGE the stage
# that failed on it, or \N) and note it in files.tsv.
settle() {
	local name=$1 outcome=$2 at=$3 dest
	if [ "$outcome" = done ]; then dest=$done_dir/$run_id; else dest=$failed_dir/$run_id; fi
	[ "$outcome" = done ] || nfailed=$((nfailed + 1))
	mkdir -p -- "$dest" || die 3 "$dest: cannot create"
	mv -- "$inbox/$name" "$dest/$name" || die 3 "$inbox/$name: cannot move to $dest"
	printf '%s\t%s\t%s\t%s\n' "$(tsv_field "$name")" "$outcome" "$at" \
	    "$(tsv_field "$dest/$name")" >>"$run/.files.tsv"
}

# finish_run: put summary.tsv and files.tsv in place, write summary.html,
# point RUNS/latest at the run, print the text summary and exit: 0 when
# every input is done and every stage keeps in = out + rejected, else 1.
finish_run() {
	local status=0
	mv -f -- "$run/.summary.tsv" "$run/summary.tsv"
	mv -f -- "$run/.files.tsv" "$run/files.tsv"
	sh "$lib/summary.sh" -t "$prog" "$run" || status=$?
	[ "$status" -le 1 ] || die 3 "$run/summary.html: cannot write"
	ln -sfn -- "$run_id" "$runs/.latest" && mv -fT -- "$runs/.latest" "$runs/latest"
	echo "summary: $run/summary.html"
	[ "$nfailed" = 0 ] || status=1
	exit "$status"
}
