#!/bin/bash
# report.sh — the daily report at county scale (issue 7): GET
# /api/v1/reports/daily?date=D on a generated database (bench/gen-scale.sh,
# cached), against the same queries run raw in the sqlite3 shell on the
# same file (bench/report-raw.sql).
#
# Times, one request after another on loopback (curl; p50 and p99 of
# BENCH_REQUESTS, default 20, after two warm-up requests), and the median
# of as many runs of the raw queries (the sum of their run times):
#   - the report of the last day of the history (2020-02-10), town-wide;
#   - the same day for a village leader limited to ten villages;
#   - a day early in the history (2019-12-20), to show that the cost
#     follows the day's records, not the days before it;
#   - with BENCH_HISTORY=1, the last day on a database with twice the days
#     of history (120; generated and cached too);
#   - with BENCH_OLD_BIN=path/to/an/older/fangyi, the last day served by
#     that binary on the same file (5 requests), for a before/after figure.
# Prints a table and writes bench/results/report.json.
# Usage: bench/report.sh [SCALE]   (town, county (default) or city)
# The databases are cached in $BENCH_CACHE (default /tmp/fangyi-bench-cache),
# keyed by the generator's and the migrations' sources.
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=${1:-county}
PORT=${BENCH_PORT:-18194}
REQS=${BENCH_REQUESTS:-20}
CACHE=${BENCH_CACHE:-/tmp/fangyi-bench-cache}
D=2020-02-10
EARLY=2019-12-20
DIR=$(mktemp -d /tmp/fangyi-bench-XXXXXX)
SERVER=
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null; rm -rf "$DIR"' EXIT
mkdir -p bench/results "$CACHE"
make -s fangyi bench-gen >/dev/null

# dataset DAYS → the path of the cached database of SCALE with DAYS days
dataset() {
    local key db
    key=$(cat bench/gen/*.c bench/gen/*.h bench/gen-scale.sh \
        src/db/migrations/sqlite/*.sql | sha1sum | cut -c1-12)
    db=$CACHE/$SCALE-$1d-$key.db
    if [ ! -f "$db" ]; then
        rm -f "$CACHE/$SCALE-$1d-"*
        echo "generating $SCALE with $1 days of history (cached as $db)" >&2
        bench/gen-scale.sh "$SCALE" "$db.part" 1 "$1" >&2
        mv "$db.part" "$db"
    fi
    echo "$db"
}

# serve BIN DB: start the server, set TOKEN (admin) and LEAD (lead001)
serve() {
    "$1" serve "$2" --listen 127.0.0.1:$PORT --quiet --threads 2 \
        --sweep-seconds 3600 > "$DIR/serve.log" 2>&1 &
    SERVER=$!
    for _ in $(seq 300); do
        curl -sf http://127.0.0.1:$PORT/api/v1/health >/dev/null && break
        sleep 0.1
    done
    TOKEN=$(token admin)
    LEAD=$(token lead001)
}
stop() { kill -TERM $SERVER; wait $SERVER 2>/dev/null || true; SERVER=; }
token() {
    local jar=$DIR/jar.$1 csrf
    curl -sf -c "$jar" -H 'content-type: application/json' \
        -d "{\"username\":\"$1\",\"password\":\"bench-pass-1\"}" \
        http://127.0.0.1:$PORT/api/v1/login > "$DIR/login.json"
    csrf=$(sed 's/.*"csrf_token":"\([^"]*\)".*/\1/' "$DIR/login.json")
    curl -sf -b "$jar" -H "X-CSRF-Token: $csrf" \
        -H 'content-type: application/json' -d '{"name":"bench"}' \
        http://127.0.0.1:$PORT/api/v1/tokens | sed 's/.*"token":"\([^"]*\)".*/\1/'
}

# latency TOKEN DAY N → "p50 p99" in ms over N requests (2 warm-up first)
latency() {
    local url="http://127.0.0.1:$PORT/api/v1/reports/daily?date=$2" out
    for _ in 1 2; do
        curl -sf -o "$DIR/report.json" -H "Authorization: Bearer $1" "$url"
    done
    grep -q "\"date\":\"$2\"" "$DIR/report.json" ||
        { echo "report.sh: no report of $2: $(head -c 300 "$DIR/report.json")" >&2; exit 1; }
    out=$(for _ in $(seq "$3"); do
        curl -s -o /dev/null -w '%{http_code} %{time_total}\n' \
            -H "Authorization: Bearer $1" "$url"
    done)
    if echo "$out" | grep -qv '^200 '; then
        echo "report.sh: a request was refused: $(echo "$out" | grep -v '^200 ' | head -1)" >&2
        exit 1
    fi
    echo "$out" | awk '{print $2 * 1000}' | sort -n | awk '
        {v[NR] = $1} END {
            i50 = int((NR + 1) / 2); i99 = int(NR * 0.99); if (i99 < NR * 0.99) i99++
            printf "%.1f %.1f\n", v[i50], v[i99] }'
}

# raw DB DAY → the median over REQS runs of the report's queries in the
# sqlite3 shell (the sum of the statements' run times, after a warm-up)
raw() {
    local from to first sql n
    from=$(date -u -d "TZ=\"Asia/Shanghai\" $2 00:00" +%Y-%m-%dT%H:%M:%SZ)
    to=$(date -u -d "TZ=\"Asia/Shanghai\" $2 00:00 +1 day" +%Y-%m-%dT%H:%M:%SZ)
    first=$(date -d "$2 -59 days" +%F)
    sql=$(sed "s/@D@/$2/g; s/@FROM@/$from/g; s/@TO@/$to/g; s/@FIRST@/$first/g" \
        bench/report-raw.sql | grep -v '^--')
    n=$(echo "$sql" | grep -c '^SELECT')
    for _ in $(seq $((REQS + 1))); do echo "$sql"; done |
        sqlite3 -cmd '.timer on' "$1" | awk -v n="$n" '
            /^Run Time:/ { t += $4; if (++k % n == 0) { if (k > n) print t * 1000; t = 0 } }' |
        sort -n | awk '{v[NR] = $1} END { printf "%.1f\n", v[int((NR + 1) / 2)] }'
}

ROWS=()
row() {   # NAME DB DAYS DATE TOKEN
    local p50 p99 rawms ratio people
    read -r p50 p99 <<< "$(latency "$5" "$4" "$REQS")"
    rawms=$(raw "$2" "$4")
    ratio=$(awk -v a="$p50" -v b="$rawms" 'BEGIN { printf "%.2f", a / b }')
    people=$(sqlite3 "$2" "SELECT count(*) FROM people")
    printf '%-44s %9s %9s %11s %7s\n' "$1" "$p50" "$p99" "$rawms" "$ratio"
    ROWS+=("{\"benchmark\":\"$1\",\"scale\":\"$SCALE\",\"people\":$people,\"days_of_history\":$3,\"date\":\"$4\",\"requests\":$REQS,\"p50_ms\":$p50,\"p99_ms\":$p99,\"raw_sql_ms\":$rawms,\"ratio_p50_to_raw\":$ratio}")
}

DB=$(dataset 60)
[ -z "${BENCH_HISTORY:-}" ] || DB2=$(dataset 120)
echo "$SCALE: $(sqlite3 "$DB" "SELECT (SELECT count(*) FROM people) || ' people, ' || (SELECT count(*) FROM checks) || ' checks, ' || (SELECT count(*) FROM passes) || ' passes'")"
printf '%-44s %9s %9s %11s %7s\n' "GET /reports/daily ($REQS requests)" p50_ms p99_ms raw_sql_ms ratio
serve ./fangyi "$DB"
row "last day $D" "$DB" 60 $D "$TOKEN"
row "last day, a leader of 10 villages" "$DB" 60 $D "$LEAD"
row "early day $EARLY" "$DB" 60 $EARLY "$TOKEN"
stop
if [ -n "${BENCH_HISTORY:-}" ]; then
    serve ./fangyi "$DB2"
    row "last day $D, 120 days of history" "$DB2" 120 $D "$TOKEN"
    stop
fi
if [ -n "${BENCH_OLD_BIN:-}" ]; then
    serve "$BENCH_OLD_BIN" "$DB"
    read -r p50 p99 <<< "$(latency "$TOKEN" $D 5)"
    printf '%-44s %9s %9s %11s %7s\n' "last day, $BENCH_OLD_BIN" "$p50" "$p99" - -
    ROWS+=("{\"benchmark\":\"last day, $BENCH_OLD_BIN\",\"scale\":\"$SCALE\",\"date\":\"$D\",\"requests\":5,\"p50_ms\":$p50,\"p99_ms\":$p99}")
    stop
fi
echo "ratio: p50 ÷ the report's queries run raw in the sqlite3 shell"
(IFS=,; echo "[${ROWS[*]}]") > bench/results/report.json
echo "written bench/results/report.json"
