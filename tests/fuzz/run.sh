#!/bin/sh
# run.sh SECONDS — runs every fuzz target built in build/fuzz/bin: first
# each input of tests/fuzz/regress/TARGET/ (crashes found before, which
# must pass now) and of the seed corpus tests/fuzz/corpus/TARGET/, then
# fuzzing for SECONDS (0: replay only), from the seeds plus what earlier
# runs found (build/fuzz/work/TARGET/corpus).  Prints the executions of
# each target; stops at the first failure, leaving the input that failed
# in build/fuzz/work/TARGET/ (copy it to regress/ once fixed).
# FUZZ_TARGETS="http csv" limits the run to some targets.
set -eu
secs=${1:-15}
cd "$(dirname "$0")/../.."
bin=build/fuzz/bin
work=build/fuzz/work
# the targets' databases: in memory when /dev/shm is there, removed after
base=/tmp
[ -d /dev/shm ] && [ -w /dev/shm ] && base=/dev/shm
tmp=$(mktemp -d "$base/fangyi-fuzz-run.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
export TMPDIR="$tmp"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
total=0
for exe in "$bin"/fuzz_*; do
    case $exe in *.d) continue ;; esac
    t=${exe##*/fuzz_}
    if [ -n "${FUZZ_TARGETS:-}" ] &&
       ! echo " $FUZZ_TARGETS " | grep -q " $t "; then
        continue
    fi
    mkdir -p "$work/$t/corpus"
    log="$work/$t/log"
    # replay: every regression and seed input once
    set --
    for f in tests/fuzz/regress/"$t"/* tests/fuzz/corpus/"$t"/*; do
        [ -f "$f" ] && set -- "$@" "$f"
    done
    if [ $# -gt 0 ] && ! "$exe" "$@" >"$log" 2>&1; then
        tail -n 40 "$log"
        echo "fuzz $t: an input of tests/fuzz/regress/$t or corpus/$t fails" \
             "(log: $log)" >&2
        exit 1
    fi
    nreplay=$#
    [ "$secs" -gt 0 ] || { echo "fuzz $t: $nreplay inputs replayed"; continue; }
    dict=""
    case $t in http|checkin) dict="-dict=build/fuzz/http.dict" ;; esac
    if ! "$exe" -max_total_time="$secs" -print_final_stats=1 -timeout=20 \
            -rss_limit_mb=4096 -max_len=65536 \
            -artifact_prefix="$work/$t/" $dict \
            "$work/$t/corpus" "tests/fuzz/corpus/$t" >"$log" 2>&1; then
        tail -n 60 "$log"
        echo "fuzz $t: FAILED; the input is $(ls -t "$work/$t"/crash-* \
             "$work/$t"/leak-* "$work/$t"/timeout-* "$work/$t"/oom-* \
             2>/dev/null | head -n 1) (log: $log)" >&2
        exit 1
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
    total=$((total + ${runs:-0}))
    echo "fuzz $t: $nreplay inputs replayed, ${runs:-?} executions in" \
         "${secs}s ($cov), no failure"
done
echo "fuzz: $total executions in all"
